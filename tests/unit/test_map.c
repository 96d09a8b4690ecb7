// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dm-swapcache/map.c (the block map), compiled in user
 * space against the kernel shim (see shim/README) with ASan and UBSan.
 *
 * Built with SC_MAP_DEBUG (state peek, home slot, full invariant check),
 * BLIST_DEBUG, and small array chunks (SC_MAP_CHUNK_SHIFT=11) so that the
 * small caches of the model test span several chunks.  The model test
 * compares every result with a plain model: an array oblock -> cblock and
 * a per-cblock state.  Output is TAP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include "shim.h"
#include "testlib.h"
#include "blist.h"
#include "map.h"

typedef unsigned long long ull;

#define NONE		SC_CBLOCK_NONE
#define OB_END		SC_MAP_MAX_OBLOCKS

/* ---- small helpers ------------------------------------------------------ */

static struct sc_map *mk(u64 n)
{
	struct sc_map *m = sc_map_create(n, GFP_KERNEL);

	if (!m) {
		printf("Bail out! sc_map_create(%llu) failed\n", (ull)n);
		exit(1);
	}
	return m;
}

static unsigned int state(struct sc_map *m, sc_cblock_t cb,
			  unsigned int *pins)
{
	unsigned int p;
	u64 ob;

	return sc_map_cb_state(m, cb, &ob, pins ? pins : &p);
}

static int check(struct sc_map *m)
{
	int r = sc_map_check(m, NULL);

	if (r)
		diag("sc_map_check failed at map.c line %d", r);
	return !r;
}

/* Alloc one block and install it as @ob. */
static sc_cblock_t put_in(struct sc_map *m, u64 ob)
{
	unsigned int got;
	sc_cblock_t cb = sc_map_alloc(m, 1, &got);

	if (cb != NONE)
		sc_map_install(m, cb, ob);
	return cb;
}

/* Fill the whole cache: cblock c holds oblock base + c. */
static int fill(struct sc_map *m, u64 base)
{
	u64 n = sc_map_blocks(m), c;
	unsigned int got, i;
	sc_cblock_t cb;
	int bad = 0;

	for (c = 0; c < n; c += got) {
		cb = sc_map_alloc(m, 16, &got);
		if (cb == NONE)
			return 0;
		for (i = 0; i < got; i++)
			sc_map_install(m, cb + i, base + cb + i);
	}
	bad |= sc_map_alloc(m, 1, &got) != NONE || got;
	return !bad && sc_map_used(m) == n && sc_map_valid(m) == n;
}

/* ---- basic -------------------------------------------------------------- */

static void test_create_limits(void)
{
	long live = shim_alloc_live;

	ok(sc_map_create(0, GFP_KERNEL) == NULL, "create(0) returns NULL");
	ok(sc_map_create(SC_MAP_MAX_BLOCKS + 1, GFP_KERNEL) == NULL,
	   "create(2^32) returns NULL");
	sc_map_destroy(NULL);
	ok(shim_alloc_live == live, "destroy(NULL) tolerated, nothing leaked");
}

static void test_basic(u64 n)
{
	struct sc_map *m = mk(n);
	struct sc_map_stats st;
	unsigned int got, pins, i, bad = 0;
	sc_cblock_t cb, c2;

	ok(sc_map_blocks(m) == n && !sc_map_used(m) && !sc_map_valid(m) &&
	   check(m), "n=%llu: empty map", (ull)n);
	cb = sc_map_alloc(m, 16, &got);
	ok(cb != NONE && cb % 16 == 0 && got == 16 && sc_map_used(m) == 16 &&
	   !sc_map_valid(m), "n=%llu: alloc(16) on an empty map: %u, got %u",
	   (ull)n, cb, got);
	for (i = 0; i < 16; i++)
		bad += state(m, cb + i, NULL) != SC_MAP_S_ALLOC ||
		       sc_map_present(m, 100 + i) ||
		       sc_map_get(m, 100 + i) != NONE;
	ok(!bad && check(m), "n=%llu: allocated blocks are invisible",
	   (ull)n);
	for (i = 0; i < 16; i++)
		sc_map_install(m, cb + i, 100 + i);
	ok(sc_map_valid(m) == 16 && sc_map_used(m) == 16 && check(m),
	   "n=%llu: 16 installed", (ull)n);
	for (i = 0; i < 16; i++)
		bad += !sc_map_present(m, 100 + i) ||
		       state(m, cb + i, NULL) !=
		       (SC_MAP_S_VALID | SC_MAP_S_REF | SC_MAP_S_UNREAD);
	ok(!bad && !sc_map_present(m, 99) && !sc_map_present(m, 116),
	   "n=%llu: present, fresh copies have REF and UNREAD", (ull)n);
	c2 = sc_map_get(m, 105);
	ok(c2 == cb + 5 && state(m, c2, &pins) ==
	   (SC_MAP_S_VALID | SC_MAP_S_REF) && pins == 1,
	   "n=%llu: get pins, sets REF, clears UNREAD", (ull)n);
	sc_map_put(m, c2);
	ok(state(m, c2, &pins) == (SC_MAP_S_VALID | SC_MAP_S_REF) && !pins &&
	   check(m), "n=%llu: put unpins", (ull)n);

	cb = sc_map_alloc(m, 4, &got);
	ok(cb != NONE && got == 4 && sc_map_used(m) == 20, "n=%llu: alloc(4)",
	   (ull)n);
	for (i = 0; i < 4; i++)
		sc_map_release(m, cb + i);
	ok(sc_map_used(m) == 16 && state(m, cb, NULL) == SC_MAP_S_FREE &&
	   check(m), "n=%llu: release frees", (ull)n);

	ok(sc_map_invalidate(m, 104, 4) == 4 && !sc_map_present(m, 104) &&
	   !sc_map_present(m, 107) && sc_map_present(m, 108) &&
	   sc_map_present(m, 103) && sc_map_get(m, 105) == NONE,
	   "n=%llu: invalidate(104, 4) hides 4 copies", (ull)n);
	ok(sc_map_used(m) == 12 && sc_map_valid(m) == 12 && check(m),
	   "n=%llu: their space is free", (ull)n);
	ok(sc_map_invalidate(m, 104, 4) == 0, "n=%llu: again: 0", (ull)n);

	/* a second install of a cached oblock: warn, keep the new copy */
	c2 = sc_map_get(m, 100);
	cb = sc_map_alloc(m, 1, &got);
	shim_warn_quiet = 1;
	ok(WARNS(sc_map_install(m, cb, 100)) == 1 && sc_map_get(m, 100) == cb &&
	   state(m, c2, NULL) == SC_MAP_S_DOOMED && sc_map_valid(m) == 12 &&
	   sc_map_used(m) == 13 && check(m),
	   "n=%llu: duplicate install warns once, old copy doomed", (ull)n);
	shim_warn_quiet = 0;
	sc_map_put(m, cb);
	sc_map_put(m, c2);
	ok(state(m, c2, NULL) == SC_MAP_S_FREE && sc_map_used(m) == 12 &&
	   check(m), "n=%llu: old copy freed on its put", (ull)n);

	sc_map_get_stats(m, &st);
	ok(st.installed == 17 && st.invalidated == 4 && !st.cleaned &&
	   !st.dropped && st.freed_unread == 3,
	   "n=%llu: stats: installed %llu invalidated %llu unread %llu",
	   (ull)n, (ull)st.installed, (ull)st.invalidated,
	   (ull)st.freed_unread);
	ok(sc_map_invalidate(m, 0, U64_MAX) == 12 && !sc_map_used(m) &&
	   check(m), "n=%llu: invalidate all", (ull)n);
	ok(fill(m, 1000000) && check(m), "n=%llu: fill in 16s", (ull)n);
	sc_map_destroy(m);
}

static void test_bad_calls(void)
{
	struct sc_map *m = mk(64);
	unsigned int got = 7;
	sc_cblock_t cb;

	shim_warn_quiet = 1;
	ok(WARNS(cb = sc_map_alloc(m, 0, &got)) == 1 && cb == NONE && !got,
	   "alloc(0): NONE, one warning");
	ok(WARNS(cb = sc_map_alloc(m, 17, &got)) == 1 && cb == NONE && !got,
	   "alloc(17): NONE, one warning");
	ok(WARNS(sc_map_install(m, 3, 5)) == 1 && !sc_map_present(m, 5),
	   "install of a free cblock: warns, ignored");
	ok(WARNS(sc_map_release(m, 3)) == 1 && WARNS(sc_map_put(m, 3)) == 1 &&
	   WARNS(sc_map_drop(m, 3)) == 1 && WARNS(sc_map_put(m, 64)) == 1 &&
	   WARNS(sc_map_release(m, NONE)) == 1,
	   "release/put/drop of a free or out-of-range cblock: warn");
	cb = sc_map_alloc(m, 1, &got);
	ok(WARNS(sc_map_install(m, cb, OB_END)) == 1 &&
	   state(m, cb, NULL) == SC_MAP_S_FREE && !sc_map_used(m),
	   "install of oblock 2^40: warns, block released");
	cb = put_in(m, 9);
	ok(WARNS(sc_map_install(m, cb, 10)) == 1 && sc_map_present(m, 9) &&
	   !sc_map_present(m, 10), "second install of one cblock: warns");
	ok(sc_map_get(m, OB_END) == NONE && !sc_map_present(m, U64_MAX),
	   "lookups beyond 2^40 miss");
	ok(check(m), "consistent");
	shim_warn_quiet = 0;
	sc_map_destroy(m);
}

/* Free a pattern in every 16-block cluster, then alloc(16) halves. */
static void test_halving(void)
{
	static const struct {
		unsigned int lo, len, expect;
	} pat[] = { { 0, 8, 8 }, { 4, 4, 4 }, { 6, 3, 2 }, { 5, 1, 1 },
		    { 3, 12, 8 } };
	unsigned int p, got, first, c, total;
	struct sc_map *m;
	sc_cblock_t cb;
	int bad;

	for (p = 0; p < ARRAY_SIZE(pat); p++) {
		m = mk(256);
		fill(m, 0);
		for (c = 0; c < 256; c += 16)
			sc_map_invalidate(m, c + pat[p].lo, pat[p].len);
		bad = 0;
		total = 0;
		first = 0;
		while ((cb = sc_map_alloc(m, 16, &got)) != NONE) {
			if (!first)
				first = got;
			bad |= got > pat[p].expect || cb % 16 < pat[p].lo ||
			       cb % 16 + got > pat[p].lo + pat[p].len;
			total += got;
		}
		ok(!bad && first == pat[p].expect && total == 16 * pat[p].len &&
		   !got && sc_map_used(m) == 256 && check(m),
		   "free [%u, %u) of each cluster: alloc(16) gets %u first, "
		   "inside the holes", pat[p].lo, pat[p].lo + pat[p].len,
		   pat[p].expect);
		sc_map_destroy(m);
	}
	m = mk(100);
	cb = sc_map_alloc(m, 12, &got);
	ok(cb == 0 && got == 12, "alloc(12): 12 blocks at 0");
	for (c = 0; c < 12; c++)
		sc_map_release(m, c);
	fill(m, 0);
	sc_map_invalidate(m, 40, 10);	/* free run of 10, aligned 8 in it */
	cb = sc_map_alloc(m, 12, &got);
	ok(cb == 40 && got == 8, "alloc(12) in a run of 10: 8 at 40 (%u)", cb);
	sc_map_destroy(m);
}

/* ---- pins --------------------------------------------------------------- */

static void test_pin_rule(void)
{
	struct sc_map *m = mk(64);
	unsigned int got, pins, n, bad = 0;
	sc_cblock_t cb, c;

	fill(m, 500);
	cb = sc_map_get(m, 530);
	ok(cb == 30 && sc_map_invalidate(m, 530, 1) == 1 &&
	   !sc_map_present(m, 530) && sc_map_get(m, 530) == NONE,
	   "pinned copy invalidated: lookups miss at once");
	ok(state(m, cb, &pins) == SC_MAP_S_DOOMED && pins == 1 &&
	   sc_map_used(m) == 64 && sc_map_valid(m) == 63 && check(m),
	   "it is DOOMED, still used");
	ok(sc_map_clean(m, 64, 1000) == 63 && state(m, cb, NULL) ==
	   SC_MAP_S_DOOMED, "cleaner frees the 63 others, not the doomed one");
	for (n = 0; (c = sc_map_alloc(m, 1, &got)) != NONE; n++) {
		bad += c == cb;
		sc_map_install(m, c, 1000 + c);
	}
	ok(n == 63 && !bad && check(m),
	   "63 allocs after that: the doomed cblock is never handed out");
	sc_map_put(m, cb);
	ok(state(m, cb, NULL) == SC_MAP_S_FREE && sc_map_used(m) == 63 &&
	   sc_map_alloc(m, 1, &got) == cb && check(m),
	   "last put frees it; then it is reused");
	sc_map_release(m, cb);

	/* two readers */
	c = sc_map_get(m, 1000 + 7);
	ok(c == 7 && sc_map_get(m, 1007) == 7, "two pins on cblock 7");
	sc_map_invalidate(m, 0, U64_MAX);
	sc_map_put(m, 7);
	ok(state(m, 7, &pins) == SC_MAP_S_DOOMED && pins == 1 &&
	   sc_map_used(m) == 1, "first put: still doomed");
	sc_map_put(m, 7);
	ok(state(m, 7, NULL) == SC_MAP_S_FREE && !sc_map_used(m) && check(m),
	   "second put: freed");

	/* read error */
	cb = put_in(m, 42);
	c = sc_map_get(m, 42);
	sc_map_drop(m, c);
	ok(c == cb && !sc_map_present(m, 42) &&
	   state(m, cb, &pins) == SC_MAP_S_DOOMED && pins == 1,
	   "drop while pinned: hidden, doomed");
	sc_map_drop(m, c);
	sc_map_put(m, c);
	ok(state(m, cb, NULL) == SC_MAP_S_FREE && !sc_map_used(m) && check(m),
	   "second drop is a no-op; put frees");
	sc_map_destroy(m);
}

static void test_pin_saturation(void)
{
	struct sc_map *m = mk(64);
	unsigned int i, pins, bad = 0;
	sc_cblock_t cb = put_in(m, 77);

	for (i = 0; i < SC_MAP_MAX_PINS; i++)
		bad += sc_map_get(m, 77) != cb;
	state(m, cb, &pins);
	ok(!bad && pins == SC_MAP_MAX_PINS, "%u pins taken", pins);
	ok(sc_map_get(m, 77) == NONE && sc_map_present(m, 77) &&
	   state(m, cb, &pins) && pins == SC_MAP_MAX_PINS && check(m),
	   "one more get: NONE, copy still valid, count not wrapped");
	sc_map_put(m, cb);
	ok(sc_map_get(m, 77) == cb, "after a put, get works again");
	for (i = 0; i < SC_MAP_MAX_PINS; i++)
		sc_map_put(m, cb);
	ok(state(m, cb, &pins) == (SC_MAP_S_VALID | SC_MAP_S_REF) && !pins &&
	   check(m), "all puts: unpinned, valid");
	sc_map_destroy(m);
}

/* ---- the hash table ----------------------------------------------------- */

/* @k random oblocks whose home slot is @home. */
static void craft(struct sc_map *m, u64 home, u64 *ob, unsigned int k)
{
	unsigned int i = 0;
	u64 o;

	while (i < k) {
		o = rnd_below(OB_END);
		if (sc_map_home(m, o) == home)
			ob[i++] = o;
	}
}

static void test_collisions(u64 n, u64 home, unsigned int k)
{
	struct sc_map *m = mk(n);
	u64 ob[64], max_disp, order[64];
	unsigned int i, j, bad = 0;
	sc_cblock_t cb[64] = { 0 };
	int r;

	craft(m, home, ob, k);
	for (i = 0; i < k; i++)
		cb[i] = put_in(m, ob[i]);
	/* and some neighbours homed just after */
	for (i = 0; i < 20; i++)
		put_in(m, rnd_below(OB_END));
	r = sc_map_check(m, &max_disp);
	ok(!r && max_disp >= k - 1,
	   "n=%llu: %u oblocks homed at slot %llu of %llu: max displacement "
	   "%llu",
	   (ull)n, k, (ull)home, (ull)sc_map_nslots(m), (ull)max_disp);
	for (i = 0; i < k; i++)
		bad += sc_map_get(m, ob[i]) != cb[i];
	for (i = 0; i < k; i++)
		sc_map_put(m, cb[i]);
	ok(!bad, "n=%llu: all found", (ull)n);
	for (i = 0; i < k; i++)
		order[i] = i;
	for (i = k - 1; i > 0; i--) {
		j = rnd_below(i + 1);
		u64 t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < k; i++) {
		sc_map_invalidate(m, ob[order[i]], 1);
		bad += sc_map_present(m, ob[order[i]]);
		for (j = i + 1; j < k; j++)
			bad += !sc_map_present(m, ob[order[j]]);
		bad += !!sc_map_check(m, NULL);
	}
	ok(!bad && sc_map_valid(m) == 20,
	   "n=%llu: deleted one by one: the rest always found", (ull)n);
	sc_map_destroy(m);
}

/* Every cblock valid: load 0.9 on the hash table. */
static void test_full(u64 n)
{
	struct sc_map *m = mk(n);
	u64 c, max_disp, *ob = malloc(n * sizeof(*ob));
	unsigned int got, i;
	sc_cblock_t cb;
	u64 bad = 0;
	int r;

	for (c = 0; c < n; c += got) {
		cb = sc_map_alloc(m, 16, &got);
		for (i = 0; i < got; i++) {
			/* distinct oblocks: cblock << 20 | noise, < 2^40 */
			ob[cb + i] = ((u64)(cb + i) << 20) |
				     rnd_below(1 << 20);
			sc_map_install(m, cb + i, ob[cb + i]);
		}
	}
	r = sc_map_check(m, &max_disp);
	ok(sc_map_valid(m) == n && !r,
	   "n=%llu: full cache, load %.3f, max displacement %llu",
	   (ull)n, (double)n / sc_map_nslots(m), (ull)max_disp);
	for (c = 0; c < n; c++) {
		bad += sc_map_get(m, ob[c]) != c;
		sc_map_put(m, c);
		bad += sc_map_present(m, ob[c] ^ (1ULL << 19)) !=
		       0;	/* absent: same prefix, other noise */
	}
	ok(!bad, "n=%llu: every lookup right, absent ones miss", (ull)n);
	for (c = 0; c < n; c += 2)
		sc_map_invalidate(m, ob[c], 1);
	for (c = 0; c < n; c++)
		bad += sc_map_present(m, ob[c]) != (c & 1);
	ok(!bad && sc_map_valid(m) == n / 2 && check(m),
	   "n=%llu: half invalidated, the rest found", (ull)n);
	free(ob);
	sc_map_destroy(m);
}

/* ---- invalidate ranges -------------------------------------------------- */

static void test_invalidate_ranges(void)
{
	struct sc_map *m = mk(4096);
	u64 i, bad = 0;

	/* oblocks 0..99 and 2^40-100..2^40-1; walk from 1025 blocks on */
	for (i = 0; i < 100; i++) {
		put_in(m, i);
		put_in(m, OB_END - 100 + i);
	}
	ok(sc_map_invalidate(m, OB_END - 10, 10) == 10 &&
	   !sc_map_present(m, OB_END - 1) && !sc_map_present(m, OB_END - 10) &&
	   sc_map_present(m, OB_END - 11),
	   "small range at the top [2^40-10, 2^40)");
	ok(sc_map_invalidate(m, OB_END - 12, 1000) == 2 &&
	   sc_map_present(m, OB_END - 13), "small range past 2^40 is clipped");
	ok(sc_map_invalidate(m, OB_END, 5) == 0 &&
	   sc_map_invalidate(m, U64_MAX, U64_MAX) == 0 &&
	   sc_map_invalidate(m, 5, 0) == 0,
	   "ranges at/after 2^40 or empty: nothing");
	ok(sc_map_invalidate(m, OB_END - 20, U64_MAX) == 8 &&
	   sc_map_present(m, OB_END - 21) && sc_map_valid(m) == 180,
	   "huge count from 2^40-20: clipped to 20 (lookup), 8 copies");
	ok(sc_map_invalidate(m, OB_END - 2000, U64_MAX) == 80 &&
	   sc_map_valid(m) == 100 && !sc_map_present(m, OB_END - 100) &&
	   sc_map_present(m, 99),
	   "huge count from 2^40-2000: clipped to 2000 (walk), 80 copies");
	ok(sc_map_invalidate(m, 10, 5000) == 90 && sc_map_present(m, 9) &&
	   sc_map_valid(m) == 10, "walk over [10, 5010): 90 copies");
	ok(sc_map_invalidate(m, 0, 3) == 3 && sc_map_present(m, 3),
	   "lookup over [0, 3)");
	ok(sc_map_invalidate(m, 0, OB_END) == 7 && !sc_map_valid(m) &&
	   !sc_map_used(m) && check(m), "everything [0, 2^40)");
	for (i = 0; i < 4096; i++)
		bad += put_in(m, i * 3) == NONE;
	ok(!bad && sc_map_invalidate(m, 1, 1000) == 333 &&
	   sc_map_present(m, 0) && sc_map_present(m, 1002) && check(m),
	   "full cache: lookup path over [1, 1001)");
	ok(sc_map_invalidate(m, 6000, 6000) == 2000 &&
	   sc_map_present(m, 5997) && sc_map_present(m, 12000) && check(m),
	   "full cache: walk path over [6000, 12000)");
	sc_map_destroy(m);
}

/* ---- cleaner ------------------------------------------------------------ */

static void test_cleaner(void)
{
	struct sc_map *m = mk(64);
	unsigned int i, bad = 0;
	struct sc_map_stats st;

	fill(m, 0);
	ok(sc_map_clean(m, 64, 64) == 0 && sc_map_hand(m) == 0,
	   "fresh copies all have REF: one sweep frees none");
	for (i = 0; i < 64; i++)
		bad += state(m, i, NULL) != (SC_MAP_S_VALID | SC_MAP_S_UNREAD);
	ok(!bad, "and clears every REF");
	for (i = 0; i < 10; i++)
		sc_map_get(m, i);
	for (i = 0; i < 5; i++)
		sc_map_put(m, i);
	/* 0..4 hit (REF), 5..9 hit and pinned */
	ok(sc_map_clean(m, 100, 64) == 54 && sc_map_valid(m) == 10 &&
	   sc_map_used(m) == 10 && check(m),
	   "second sweep frees the 54 copies not hit");
	for (i = 0; i < 5; i++)
		bad += state(m, i, NULL) != SC_MAP_S_VALID ||
		       state(m, i + 5, NULL) != (SC_MAP_S_VALID | SC_MAP_S_REF);
	ok(!bad, "hit copies lost REF, pinned ones untouched");
	ok(sc_map_clean(m, 100, 640) == 5 && sc_map_valid(m) == 5 &&
	   sc_map_present(m, 5) && !sc_map_present(m, 4),
	   "ten sweeps: the 5 unref'd freed, the 5 pinned never");
	for (i = 5; i < 10; i++)
		sc_map_put(m, i);
	ok(sc_map_clean(m, 100, 64) == 0 && sc_map_clean(m, 100, 64) == 5 &&
	   !sc_map_used(m) && check(m),
	   "unpinned: REF cleared by one sweep, freed by the next");
	sc_map_get_stats(m, &st);
	ok(st.cleaned == 64 && st.freed_unread == 54,
	   "stats: cleaned %llu, freed unread %llu", (ull)st.cleaned,
	   (ull)st.freed_unread);

	sc_map_destroy(m);

	/* touch: a hit served elsewhere (RAM) keeps the copy, still UNREAD */
	m = mk(64);
	fill(m, 0);
	sc_map_clean(m, 64, 64);
	sc_map_touch(m, 3);
	sc_map_touch(m, 1000);		/* no copy: nothing */
	sc_map_touch(m, SC_MAP_MAX_OBLOCKS);	/* out of range: nothing */
	ok(state(m, 3, NULL) == (SC_MAP_S_VALID | SC_MAP_S_REF |
				 SC_MAP_S_UNREAD) && check(m),
	   "touch sets REF, leaves UNREAD, takes no pin");
	ok(sc_map_clean(m, 100, 64) == 63 && sc_map_present(m, 3),
	   "the touched copy survives the sweep that frees the others");
	sc_map_destroy(m);

	/* limits, on a fresh map: the hand is at 0 after whole sweeps */
	m = mk(64);
	fill(m, 0);
	sc_map_clean(m, 64, 64);
	ok(sc_map_hand(m) == 0 && sc_map_clean(m, 3, 1000) == 3 &&
	   sc_map_hand(m) == 3 && !sc_map_present(m, 2) &&
	   sc_map_present(m, 3), "max_free 3: cblocks 0..2 freed, hand at 3");
	ok(sc_map_clean(m, 100, 5) == 5 && sc_map_hand(m) == 8 &&
	   !sc_map_present(m, 7) && sc_map_present(m, 8),
	   "max_scan 5: cblocks 3..7 freed, hand at 8");
	ok(sc_map_clean(m, 100, 0) == 0 && sc_map_clean(m, 0, 100) == 0 &&
	   sc_map_hand(m) == 8, "max_scan 0 / max_free 0: nothing");
	sc_map_invalidate(m, 8, 3);
	ok(sc_map_clean(m, 100, 3) == 0 && sc_map_hand(m) == 11 &&
	   sc_map_valid(m) == 53,
	   "free cblocks are passed over (they count as scanned)");
	sc_map_invalidate(m, 0, 62);
	sc_map_get(m, 63);
	sc_map_put(m, 63);
	ok(sc_map_clean(m, 1, 1000) == 1 && sc_map_hand(m) == 63 &&
	   sc_map_present(m, 63) && !sc_map_present(m, 62),
	   "wraps round: 62 freed, 63 (hit) survives; hand at 63");
	ok(sc_map_clean(m, 100, 1000) == 1 && !sc_map_valid(m) &&
	   sc_map_hand(m) == 0 && check(m),
	   "then 63 goes, and the hand wraps to 0");
	sc_map_destroy(m);
}

/* ---- randomized model test ---------------------------------------------- */

enum { M_FREE, M_ALLOC, M_VALID, M_DOOMED };

struct mcb {
	unsigned char st, ref, unread;
	unsigned int pins;
	u64 ob;
};

struct model {
	struct sc_map *m;
	u64 n, nfree, nvalid, hand, obspace;
	struct mcb *cb;
	sc_cblock_t *fwd;	/* by oblock index */
	sc_cblock_t pend[64], held[64];
	unsigned int npend, nheld;
	struct sc_map_stats st;
	u64 fails;
};

/* Oblock index i < obspace -> an oblock: half at 0, half below 2^40. */
static u64 ob_of(const struct model *md, u64 i)
{
	u64 h = md->obspace / 2;

	return i < h ? i : OB_END - md->obspace + i;
}

static u64 idx_of(const struct model *md, u64 ob)
{
	u64 h = md->obspace / 2;

	if (ob < h)
		return ob;
	if (ob >= OB_END - (md->obspace - h) && ob < OB_END)
		return ob - (OB_END - md->obspace);
	return U64_MAX;
}

#define EXPECT(cond, ...) do {						\
	if (!(cond) && md->fails++ < 5)					\
		diag(__VA_ARGS__);					\
} while (0)

static void m_unmap(struct model *md, sc_cblock_t c)
{
	struct mcb *e = &md->cb[c];

	md->fwd[idx_of(md, e->ob)] = NONE;
	md->nvalid--;
	md->st.freed_unread += e->unread;
	e->ref = e->unread = 0;
	if (e->pins) {
		e->st = M_DOOMED;
	} else {
		e->st = M_FREE;
		md->nfree++;
	}
}

static void op_alloc(struct model *md)
{
	unsigned int want = 1 + rnd_below(16), got, i;
	sc_cblock_t c = sc_map_alloc(md->m, want, &got);

	if (c == NONE) {
		EXPECT(!got && !md->nfree, "alloc(%u) NONE with %llu free",
		       want, (ull)md->nfree);
		return;
	}
	EXPECT(got && got <= want && (got == want || !(got & (got - 1))) &&
	       c + got <= md->n, "alloc(%u): bad extent %u+%u", want, c, got);
	for (i = 0; i < got && c + i < md->n; i++) {
		EXPECT(md->cb[c + i].st == M_FREE,
		       "alloc handed out cblock %u in state %u", c + i,
		       md->cb[c + i].st);
		if (md->npend < ARRAY_SIZE(md->pend)) {
			md->cb[c + i].st = M_ALLOC;
			md->nfree--;
			md->pend[md->npend++] = c + i;
		} else {
			sc_map_release(md->m, c + i);
		}
	}
}

static sc_cblock_t take(sc_cblock_t *a, unsigned int *n)
{
	unsigned int i = rnd_below(*n);
	sc_cblock_t c = a[i];

	a[i] = a[--*n];
	return c;
}

static void op_install(struct model *md, int release)
{
	sc_cblock_t c = take(md->pend, &md->npend);
	u64 i = rnd_below(md->obspace);
	struct mcb *e = &md->cb[c];

	if (release || md->fwd[i] != NONE) {
		/* stale data, or a failed write */
		sc_map_release(md->m, c);
		e->st = M_FREE;
		md->nfree++;
		return;
	}
	sc_map_install(md->m, c, ob_of(md, i));
	*e = (struct mcb){ .st = M_VALID, .ref = 1, .unread = 1,
			   .ob = ob_of(md, i) };
	md->fwd[i] = c;
	md->nvalid++;
	md->st.installed++;
}

static void op_get(struct model *md)
{
	u64 i = rnd_below(md->obspace);
	sc_cblock_t c = sc_map_get(md->m, ob_of(md, i)), want = md->fwd[i];

	if (want != NONE && md->cb[want].pins == SC_MAP_MAX_PINS)
		want = NONE;
	EXPECT(c == want, "get(%llu): %u, model %u", (ull)ob_of(md, i), c,
	       want);
	if (c == NONE || c != want)
		return;
	md->cb[c].pins++;
	md->cb[c].ref = 1;
	md->cb[c].unread = 0;
	md->held[md->nheld++] = c;
}

static void op_put(struct model *md, int drop)
{
	sc_cblock_t c = take(md->held, &md->nheld);
	struct mcb *e = &md->cb[c];

	if (drop) {
		sc_map_drop(md->m, c);
		if (e->st == M_VALID) {
			md->st.dropped++;
			m_unmap(md, c);
		}
		md->held[md->nheld++] = c;	/* the pin stays */
		return;
	}
	sc_map_put(md->m, c);
	if (!--e->pins && e->st == M_DOOMED) {
		e->st = M_FREE;
		md->nfree++;
	}
}

static void op_invalidate(struct model *md)
{
	u64 first, count, end, c, n = 0, r;
	unsigned int k = rnd_below(10);

	first = ob_of(md, rnd_below(md->obspace));
	if (k < 6)
		count = 1 + rnd_below(8);
	else if (k < 8)
		count = 1 + rnd_below(md->n);
	else if (k < 9)
		count = rnd_below(2) ? U64_MAX : OB_END;
	else
		count = rnd_below(3);
	if (rnd_below(8) == 0)
		first = OB_END - rnd_below(md->obspace + 2);
	r = sc_map_invalidate(md->m, first, count);
	end = (unsigned __int128)first + count > OB_END ? OB_END :
	      first + count;
	for (c = 0; c < md->n; c++) {
		if (md->cb[c].st != M_VALID || md->cb[c].ob < first ||
		    md->cb[c].ob >= end)
			continue;
		m_unmap(md, c);
		n++;
	}
	md->st.invalidated += n;
	EXPECT(r == n, "invalidate(%llu, %llu): %llu, model %llu",
	       (ull)first, (ull)count, (ull)r, (ull)n);
}

static void op_clean(struct model *md)
{
	u64 max_free = rnd_below(20), max_scan = rnd_below(2 * md->n);
	u64 r = sc_map_clean(md->m, max_free, max_scan), s, freed = 0;
	struct mcb *e;

	for (s = 0; s < max_scan && freed < max_free && md->nvalid; s++) {
		e = &md->cb[md->hand];
		if (e->st == M_VALID && !e->pins) {
			if (e->ref) {
				e->ref = 0;
			} else {
				m_unmap(md, md->hand);
				freed++;
			}
		}
		md->hand = (md->hand + 1) % md->n;
	}
	md->st.cleaned += freed;
	EXPECT(r == freed, "clean(%llu, %llu): %llu, model %llu",
	       (ull)max_free, (ull)max_scan, (ull)r, (ull)freed);
}

static void op_present(struct model *md)
{
	u64 i = rnd_below(md->obspace);

	EXPECT(sc_map_present(md->m, ob_of(md, i)) == (md->fwd[i] != NONE),
	       "present(%llu) wrong", (ull)ob_of(md, i));
}

static void full_compare(struct model *md)
{
	static const unsigned int kind[] = {
		SC_MAP_S_FREE, SC_MAP_S_ALLOC, SC_MAP_S_VALID, SC_MAP_S_DOOMED
	};
	struct sc_map_stats st;
	unsigned int s, pins, want;
	int r = sc_map_check(md->m, NULL);
	u64 c, ob, i;

	EXPECT(!r, "sc_map_check: map.c line %d", r);
	for (c = 0; c < md->n; c++) {
		struct mcb *e = &md->cb[c];

		s = sc_map_cb_state(md->m, c, &ob, &pins);
		want = kind[e->st] | (e->ref ? SC_MAP_S_REF : 0) |
		       (e->unread ? SC_MAP_S_UNREAD : 0);
		EXPECT(s == want && pins == e->pins &&
		       (e->st != M_VALID || ob == e->ob),
		       "cblock %llu: state %#x pins %u, model %#x pins %u",
		       (ull)c, s, pins, want, e->pins);
	}
	for (i = 0; i < md->obspace; i++)
		EXPECT(sc_map_present(md->m, ob_of(md, i)) ==
		       (md->fwd[i] != NONE), "present(%llu) wrong",
		       (ull)ob_of(md, i));
	EXPECT(sc_map_hand(md->m) == md->hand, "hand %llu, model %llu",
	       (ull)sc_map_hand(md->m), (ull)md->hand);
	sc_map_get_stats(md->m, &st);
	EXPECT(!memcmp(&st, &md->st, sizeof(st)), "stats differ");
}

static void step(struct model *md)
{
	unsigned int r = rnd_below(100);

	if (r < 22 && md->npend < ARRAY_SIZE(md->pend))
		op_alloc(md);
	else if (r < 44 && md->npend)
		op_install(md, r >= 40);
	else if (r < 60 && md->nheld < ARRAY_SIZE(md->held))
		op_get(md);
	else if (r < 72 && md->nheld)
		op_put(md, r >= 69);
	else if (r < 84)
		op_invalidate(md);
	else if (r < 90)
		op_clean(md);
	else
		op_present(md);
}

static void test_model(u64 n, u64 obspace, u64 steps, u64 seed)
{
	struct model mdl = { .n = n, .nfree = n, .obspace = obspace };
	struct model *md = &mdl;
	long live = shim_alloc_live;
	u64 s, c;

	rng_state = seed;
	shim_reset();
	md->m = mk(n);
	md->cb = calloc(n, sizeof(*md->cb));
	md->fwd = malloc(obspace * sizeof(*md->fwd));
	for (s = 0; s < obspace; s++)
		md->fwd[s] = NONE;
	for (s = 0; s < steps && md->fails < 5; s++) {
		step(md);
		EXPECT(sc_map_used(md->m) == n - md->nfree &&
		       sc_map_valid(md->m) == md->nvalid && !shim_warn_count,
		       "step %llu: used %llu/%llu valid %llu/%llu warnings %lu",
		       (ull)s, (ull)sc_map_used(md->m), (ull)(n - md->nfree),
		       (ull)sc_map_valid(md->m), (ull)md->nvalid,
		       shim_warn_count);
		if (s % 4096 == 0)
			full_compare(md);
	}
	full_compare(md);
	ok(!md->fails && !shim_warn_count,
	   "model n=%llu obspace=%llu seed=%llu: %llu steps, %llu "
	   "mismatches, %lu warnings (installed %llu, invalidated %llu, "
	   "cleaned %llu, dropped %llu)", (ull)n, (ull)obspace, (ull)seed,
	   (ull)s, (ull)md->fails, shim_warn_count, (ull)md->st.installed,
	   (ull)md->st.invalidated, (ull)md->st.cleaned, (ull)md->st.dropped);
	while (md->nheld)
		op_put(md, 0);
	while (md->npend)
		op_install(md, 1);
	sc_map_invalidate(md->m, 0, U64_MAX);
	for (c = 0; c < n; c++)
		if (md->cb[c].st == M_VALID)
			m_unmap(md, c);
	ok(!sc_map_used(md->m) && !md->nvalid && md->nfree == n &&
	   check(md->m) && !shim_warn_count,
	   "model n=%llu: emptied, nothing left used", (ull)n);
	sc_map_destroy(md->m);
	ok(shim_alloc_live == live, "model n=%llu: no leak", (ull)n);
	free(md->cb);
	free(md->fwd);
}

/* ---- memory ------------------------------------------------------------- */

static void test_memory(u64 n)
{
	long live = shim_alloc_live, bytes = shim_alloc_live_bytes;
	struct sc_map *m = mk(n);
	double per = (double)sc_map_mem_bytes(m) / n;

	diag("%llu blocks: %zu bytes, %.4f bytes per cache block", (ull)n,
	     sc_map_mem_bytes(m), per);
	ok(per <= 10.6, "n=%llu: %.4f bytes per block <= 10.6", (ull)n, per);
	ok((long)sc_map_mem_bytes(m) == shim_alloc_live_bytes - bytes,
	   "n=%llu: sc_map_mem_bytes is exactly what was allocated", (ull)n);
	sc_map_destroy(m);
	ok(shim_alloc_live == live && shim_alloc_live_bytes == bytes,
	   "n=%llu: destroy frees it all", (ull)n);
}

/*
 * The constructor's estimate: sc_map_mem_need() is, before anything is
 * allocated, exactly what create allocates; and at the largest caches it
 * stays the ~10.6 bytes a block of the design (no overflow at 2^32 - 1).
 */
static void test_mem_need(void)
{
	static const u64 sizes[] = { 1, 63, 64, 1000, 2047, 2048, 2049,
				     65536, 1000003, 1ULL << 22 };
	u64 n, need;
	unsigned int i;
	int bad = 0;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		long bytes = shim_alloc_live_bytes;
		struct sc_map *m = mk(sizes[i]);

		need = sc_map_mem_need(sizes[i]);
		bad += need != sc_map_mem_bytes(m) ||
		       (long)need != shim_alloc_live_bytes - bytes;
		sc_map_destroy(m);
	}
	ok(!bad, "mem_need equals the bytes create allocates (%u sizes)",
	   (unsigned int)ARRAY_SIZE(sizes));
	n = SC_MAP_MAX_BLOCKS;
	need = sc_map_mem_need(n);
	diag("2^32 - 1 blocks: %llu MiB of metadata", (ull)(need >> 20));
	ok(need > 10.5 * n && need < 10.7 * n,
	   "2^32 - 1 blocks: %.3f bytes per block", (double)need / n);
	n = 1ULL << 31;
	need = sc_map_mem_need(n);
	ok(need > (21ULL << 30) && need < (22ULL << 30),
	   "2^31 blocks (8 TiB of 4 KiB blocks) need 21..22 GiB (%llu MiB)",
	   (ull)(need >> 20));
	ok(sc_map_mem_need(2 * n) > need && sc_map_mem_need(n) > n,
	   "mem_need grows with the cache");
}

static void test_alloc_failures(void)
{
	long live = shim_alloc_live;
	unsigned long nth, calls;
	struct sc_map *m;
	int bad = 0;

	shim_reset();
	m = mk(10000);
	calls = shim_alloc_calls;
	sc_map_destroy(m);
	ok(shim_alloc_live == live, "create/destroy: live allocations back "
	   "(%lu allocations)", calls);
	for (nth = 1; nth <= calls; nth++) {
		shim_fail_nth = nth;
		m = sc_map_create(10000, GFP_KERNEL);
		bad += m != NULL || shim_alloc_live != live;
		sc_map_destroy(m);
	}
	shim_fail_nth = 0;
	ok(!bad, "each of the %lu allocations failing: NULL, no leak", calls);
	shim_warn_quiet = 1;
	m = mk(64);
	put_in(m, 1);
	sc_map_get(m, 1);
	ok(WARNS(sc_map_destroy(m)) == 1 && shim_alloc_live == live,
	   "destroy with a pin held warns, still frees");
	shim_warn_quiet = 0;
}

int main(void)
{
	static const struct {
		u64 n, obspace, steps;
	} cfg[] = {
		{ 64, 48, 300000 },	{ 64, 300, 300000 },
		{ 100, 90, 200000 },	{ 1000, 700, 300000 },
		{ 1000, 5000, 300000 },	{ 2049, 1500, 300000 },
		{ 4096, 3000, 300000 },	{ 4096, 20000, 200000 },
	};
	unsigned int i;

	tap_start();
	shim_reset();
	test_create_limits();
	test_basic(64);
	test_basic(1000);
	test_basic(65536);
	test_bad_calls();
	test_halving();
	test_pin_rule();
	test_pin_saturation();
	rng_state = 7;
	test_collisions(1000, 500, 40);
	test_collisions(1000, 1109, 40);	/* wraps round the end */
	test_collisions(64, 3, 30);
	test_full(4096);
	test_full(65536);
	test_invalidate_ranges();
	test_cleaner();
	for (i = 0; i < ARRAY_SIZE(cfg); i++)
		test_model(cfg[i].n, cfg[i].obspace, cfg[i].steps, 1000 + i);
	test_memory(1ULL << 20);
	test_memory(1ULL << 24);
	test_mem_need();
	test_alloc_failures();
	return tap_done();
}
