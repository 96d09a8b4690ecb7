// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dm-swapcache/warm.c (a save's pages, a load's entries)
 * with map.c, ckpt.c and blist.c, in user space under ASan and UBSan.
 * Output is TAP.
 *
 *  - round trip: a random map filled into pages, checked and restored
 *    into a new map, gives every copy back in its cblock with its REF
 *    bit, and nothing else;
 *  - a block written during the load (and only such blocks, bar hash
 *    neighbours) is not restored;
 *  - a page naming one block twice, or a cblock already in use, is
 *    refused entry by entry, never overwriting;
 *  - changed groups: a load leaves unchanged exactly the pages the new
 *    map took whole; every change of what a page records (install, REF
 *    cleared, invalidate, restore) marks its group and no other, and
 *    what a page does not record (ALLOC, pins) marks nothing;
 *  - a DOOMED or ALLOC cblock is never described as a copy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include "testlib.h"
#include "warm.h"

#define NBLK	3000ULL		/* 6 pages, the last partial */
#define NORIG	100000ULL

static u8 page[SC_CKPT_BYTES];
static unsigned long written[SC_WARM_BYTES / sizeof(unsigned long)];

/* A map with about half its cblocks holding random distinct blocks. */
static struct sc_map *random_map(u64 *oblock_of)
{
	struct sc_map *m = sc_map_create(NBLK, GFP_KERNEL);
	unsigned int got;
	sc_cblock_t cb;
	u64 i;

	for (i = 0; i < NBLK; i++)
		oblock_of[i] = U64_MAX;
	for (i = 0; i < NBLK / 2; i++) {
		cb = sc_map_alloc(m, 1, &got);
		/* Blocks i * 31 are distinct below NORIG. */
		sc_map_install(m, cb, i * 31);
		oblock_of[cb] = i * 31;
	}
	/* Free some again (the second sweep: installs have REF), so holes are spread. */
	sc_map_clean(m, NBLK / 8, NBLK);
	sc_map_clean(m, NBLK / 8, NBLK);
	for (i = 0; i < NBLK; i++)
		if (!sc_map_present(m, oblock_of[i] == U64_MAX ? NORIG :
				    oblock_of[i]))
			oblock_of[i] = U64_MAX;
	return m;
}

/* Save @m into pages and load them into a new map; counts in *@c. */
static struct sc_map *save_load(struct sc_map *m, struct sc_warm_count *c)
{
	struct sc_map *n = sc_map_create(NBLK, GFP_KERNEL);
	struct sc_ckpt_hdr h = { .format_gen = 3, .ckpt_gen = 7 };
	unsigned int ent;
	u64 p, gen, bad = 0;

	memset(c, 0, sizeof(*c));
	for (p = 0; p < sc_ckpt_pages(NBLK); p++) {
		h.page_no = p;
		ent = sc_ckpt_page_entries(NBLK, p);
		sc_warm_fill(m, page, &h, ent);
		if (sc_ckpt_check(page, &h, ent, NORIG, &gen))
			bad++;
		else
			sc_warm_restore(n, written, page, p, ent, c);
	}
	ok(!bad, "every filled page passes sc_ckpt_check");
	return n;
}

static void test_roundtrip(void)
{
	static u64 oblock_of[NBLK];
	struct sc_map *m = random_map(oblock_of), *n;
	struct sc_warm_count c;
	u64 i, want = 0, same = 0, ob1, ob2;
	bool r1, r2, v1, v2;

	memset(written, 0, sizeof(written));
	n = save_load(m, &c);
	for (i = 0; i < NBLK; i++) {
		v1 = sc_map_entry(m, i, &ob1, &r1);
		v2 = sc_map_entry(n, i, &ob2, &r2);
		want += v1;
		same += v1 == v2 && (!v1 || (ob1 == ob2 && r1 == r2));
	}
	ok(same == NBLK, "restored map equals the saved one, cblock by cblock (%llu of %llu)",
	   same, NBLK);
	ok(c.restored == want && want > NBLK / 4 && !c.written && !c.refused,
	   "restored %llu copies of %llu, none dropped", c.restored, want);
	ok(sc_map_valid(n) == want && sc_map_used(n) == want,
	   "the new map counts them valid and used");
	for (i = 0, same = 0; i < sc_ckpt_pages(NBLK); i++)
		same += !sc_map_group_changed(n, i);
	ok(same == sc_ckpt_pages(NBLK) &&
	   sc_map_group_changed(n, sc_ckpt_pages(NBLK)),
	   "a page taken whole leaves its group unchanged (%llu of %llu)",
	   same, sc_ckpt_pages(NBLK));
#ifdef SC_MAP_DEBUG
	{
		u64 disp;

		ok(!sc_map_check(n, &disp), "the new map's invariants hold");
	}
#endif
	sc_map_destroy(n);
	sc_map_destroy(m);
}

static void test_written(void)
{
	static u64 oblock_of[NBLK];
	struct sc_map *m = random_map(oblock_of), *n;
	struct sc_warm_count c;
	u64 i, lost = 0, extra = 0, hit = 0;

	memset(written, 0, sizeof(written));
	/* A discard-sized write over blocks 0..1023, and block 31 * 1000. */
	sc_warm_note_write(written, 0, 1024);
	sc_warm_note_write(written, 31 * 1000, 1);
	n = save_load(m, &c);
	for (i = 0; i < NBLK; i++) {
		u64 ob = oblock_of[i];

		if (ob == U64_MAX)
			continue;
		if (ob < 1024 || ob == 31 * 1000)
			hit += sc_map_present(n, ob);
		else if (!sc_map_present(n, ob))
			lost += !sc_warm_was_written(written, ob);
		extra += sc_map_present(n, ob) &&
			 sc_warm_was_written(written, ob);
	}
	ok(!hit, "no block written during the load is restored");
	ok(!extra, "no block whose bit is set is restored");
	ok(!lost, "every other copy is restored");
	ok(c.written > 0, "the drops are counted as written (%llu)", c.written);
	for (i = 0; i < NBLK && oblock_of[i] != 31 * 1000; i++)
		;
	ok(i < NBLK && sc_map_group_changed(n, i / SC_CKPT_ENTRIES),
	   "the page that lost a written block's entry is rewritten next save");
	memset(written, 0, sizeof(written));
	sc_warm_note_write(written, 5, 1ULL << SC_WARM_BITS);
	ok(sc_warm_was_written(written, 0) &&
	   sc_warm_was_written(written, NORIG - 1),
	   "a write of 2^20 blocks or more marks every block");
	sc_map_destroy(n);
	sc_map_destroy(m);
}

static void test_refused(void)
{
	struct sc_ckpt_hdr h = { .format_gen = 1, .ckpt_gen = 1 };
	struct sc_map *n = sc_map_create(NBLK, GFP_KERNEL);
	struct sc_warm_count c = { 0 };
	unsigned int got;
	sc_cblock_t cb;
	u64 ob;
	bool ref;

	memset(written, 0, sizeof(written));
	cb = sc_map_alloc(n, 1, &got);		/* cblock 0, ALLOC */
	sc_ckpt_init(page, &h);
	sc_ckpt_set(page, 0, 77, SC_CKPT_VALID);	/* cblock in use */
	sc_ckpt_set(page, 1, 88, SC_CKPT_VALID | SC_CKPT_REF);
	sc_ckpt_set(page, 2, 88, SC_CKPT_VALID);	/* 88 twice */
	sc_ckpt_seal(page);
	sc_warm_restore(n, written, page, 0, SC_CKPT_ENTRIES, &c);
	ok(c.restored == 1 && c.refused == 2,
	   "a cblock in use and a block named twice are refused (%llu, %llu)",
	   c.restored, c.refused);
	ok(sc_map_entry(n, 1, &ob, &ref) && ob == 88 && ref &&
	   !sc_map_entry(n, 2, &ob, &ref) && !sc_map_entry(n, cb, &ob, &ref),
	   "the first naming wins, the allocated cblock is untouched");
	ok(!sc_map_restore(n, NBLK, 1, false) &&
	   !sc_map_restore(n, 5, SC_MAP_MAX_OBLOCKS, false),
	   "out of range cblocks and blocks are refused");
	sc_map_release(n, cb);
	sc_map_destroy(n);
}

static void test_changed(void)
{
	struct sc_ckpt_hdr h = { .format_gen = 1, .ckpt_gen = 1 };
	struct sc_map *m = sc_map_create(NBLK, GFP_KERNEL);
	struct sc_warm_count c = { 0 };
	unsigned int got;
	sc_cblock_t cb;
	u64 p, ob, any = 0, n0;
	bool ref;

	for (p = 0; p < sc_ckpt_pages(NBLK); p++)
		any += sc_map_group_changed(m, p);
	ok(!any, "a new map has no changed group");
	cb = sc_map_alloc(m, 1, &got);
	ok(!sc_map_group_changed(m, 0) && !sc_map_entry(m, cb, &ob, &ref),
	   "an ALLOC cblock (write in flight) changes nothing, is not described");
	sc_map_install(m, cb, 42);
	ok(sc_map_group_changed(m, 0) && !sc_map_group_changed(m, 1),
	   "an install marks its own group only");
	sc_map_group_set(m, 0, false);
	n0 = sc_map_changes(m);
	ok(sc_map_get(m, 42) == cb && !sc_map_group_changed(m, 0) &&
	   sc_map_changes(m) == n0,
	   "a pin (REF already set) marks nothing, counts no change");
	sc_map_put(m, cb);
	sc_map_clean(m, 1, NBLK);
	ok(sc_map_group_changed(m, 0) && sc_map_changes(m) == n0 + 1,
	   "the sweep clearing REF marks it and counts one change");
	sc_map_group_set(m, 0, false);
	/* A pinned copy invalidated is DOOMED: no longer described. */
	ok(sc_map_get(m, 42) == cb, "pin the copy");
	sc_map_invalidate(m, 42, 1);
	sc_warm_fill(m, page, &h, SC_CKPT_ENTRIES);
	ok(sc_map_group_changed(m, 0) && !sc_ckpt_get(page, cb, &ob, &got),
	   "an invalidate marks it; a DOOMED cblock is not described");
	sc_map_put(m, cb);
	sc_map_destroy(m);

	/* A page listing nothing for cblock 600 while the map holds it. */
	m = sc_map_create(NBLK, GFP_KERNEL);
	memset(written, 0, sizeof(written));
	ok(sc_map_restore(m, SC_CKPT_ENTRIES + 92, 5, false),
	   "a copy in page 1's group");
	sc_map_group_set(m, 1, false);
	sc_ckpt_init(page, &h);
	sc_ckpt_set(page, 0, 6, SC_CKPT_VALID);
	sc_ckpt_seal(page);
	sc_warm_restore(m, written, page, 1, SC_CKPT_ENTRIES, &c);
	ok(c.restored == 1 && sc_map_group_changed(m, 1),
	   "a group holding a copy its page does not list stays changed");
	sc_map_destroy(m);
}

int main(void)
{
	rng_state = 1;
	tap_start();
	test_roundtrip();
	test_written();
	test_refused();
	test_changed();
	return tap_done();
}
