// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dm-swapcache/queues.c, compiled in user space against the
 * kernel shim (see shim/README) with ASan and UBSan.
 *
 * Directed tests pin down each rule (aging transcript, reclaim order,
 * marker scan, clustering, writer bookkeeping); a randomized test checks
 * millions of mixed operations against a model that keeps one record per
 * origin block and orders each queue by a "queued at" stamp.  Stages are
 * allocated and freed for real through the shim, so a freed victim that
 * the code still touches is an ASan error, and leaks show in the shim's
 * live allocation counter.  Output is TAP.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>
#include <linux/list.h>
#include <linux/slab.h>
#include "shim.h"
#include "testlib.h"
#include "queues.h"

typedef unsigned long long ull;

#define DATA_BYTES	16	/* the tests' "block size": data = oblock */

/* ---- stages, allocated the way the target will ----------------------- */

static struct sc_stage *stage_new(u64 oblock, u8 flags)
{
	struct sc_stage *st = kzalloc(sizeof(*st), GFP_KERNEL);

	if (!st)
		abort();
	st->data = kmalloc(DATA_BYTES, GFP_KERNEL);
	if (!st->data)
		abort();
	memcpy(st->data, &oblock, sizeof(oblock));
	st->oblock = oblock;
	st->flags = flags;
	return st;
}

static void stage_free(struct sc_stage *st)
{
	kfree(st->data);
	kfree(st);
}

static bool stage_data_ok(const struct sc_stage *st)
{
	u64 v;

	memcpy(&v, st->data, sizeof(v));
	return v == st->oblock;
}

static u64 free_list(struct list_head *l)
{
	struct sc_stage *st, *n;
	u64 count = 0;

	list_for_each_entry_safe(st, n, l, lru) {
		list_del(&st->lru);
		stage_free(st);
		count++;
	}
	return count;
}

/* Oblocks of a queue from the head (newest), markers left out. */
static unsigned int queue_oblocks(struct list_head *h, u64 *out,
				  unsigned int max)
{
	struct sc_stage *st;
	unsigned int n = 0;

	list_for_each_entry(st, h, lru)
		if (!(st->flags & SC_STAGE_MARKER) && n < max)
			out[n++] = st->oblock;
	return n;
}

static bool queue_is(struct list_head *h, const u64 *want, unsigned int n)
{
	u64 got[64];

	return queue_oblocks(h, got, 64) == n &&
	       !memcmp(got, want, n * sizeof(*want));
}

static void drain_exit(struct sc_queues *q)
{
	LIST_HEAD(out);

	sc_queues_drain(q, &out);
	free_list(&out);
	sc_queues_exit(q);
}

/* Insert a block and age it onto the inactive queue (active must be
 * empty before the call, so the aging visits only this block). */
static struct sc_stage *insert_inactive(struct sc_queues *q, u64 oblock)
{
	struct sc_stage *st = stage_new(oblock, 0);
	int i;

	if (sc_queues_insert(q, st))
		abort();
	for (i = 0; i < SC_ACT_INIT; i++)
		sc_queues_age(q, 1);
	if (st->queue != SC_QUEUE_INACTIVE)
		abort();
	return st;
}

/* ---- basics: insert, lookup, remove, writer bookkeeping --------------- */

static void test_basic(void)
{
	struct sc_queues q;
	struct sc_stage *a, *dup, *b, *c, *d, *r;

	ok(sizeof(struct sc_stage) == 56, "sizeof(struct sc_stage) = %zu (56 on x86_64)",
	   sizeof(struct sc_stage));
	ok(sc_queues_init(&q, 100, GFP_KERNEL) == 0, "init, budget 100");
	ok(q.hash_bits == 6 && q.budget == 100, "hash: 64 buckets minimum (bits %u)",
	   q.hash_bits);
	ok(sc_queues_mem_need(100) == 8 << 6 &&
	   sc_queues_mem_need(1ULL << 40) == 8ULL << SC_QUEUES_MAX_HASH_BITS,
	   "mem_need: the hash init allocates, within the bounds");

	a = stage_new(10, SC_STAGE_REFERENCED | SC_STAGE_ONSSD |
		      SC_STAGE_META | SC_STAGE_WRITING | SC_STAGE_DEAD);
	ok(sc_queues_insert(&q, a) == 0, "insert 10");
	ok(a->flags == SC_STAGE_META && a->act_count == SC_ACT_INIT &&
	   a->queue == SC_QUEUE_ACTIVE, "insert keeps only META, act INIT, active");
	r = stage_new(12, SC_STAGE_REUSED | SC_STAGE_WRITING);
	ok(sc_queues_insert(&q, r) == 0 && r->flags == SC_STAGE_REUSED,
	   "insert keeps REUSED (a ghost hit)");
	sc_queues_remove(&q, r);
	stage_free(r);
	ok(q.nr_active == 1 && q.nr_inactive == 0, "counts 1/0");
	ok(sc_queues_lookup(&q, 10) == a && !sc_queues_lookup(&q, 11),
	   "lookup hit 10, miss 11");
	dup = stage_new(10, 0);
	ok(sc_queues_insert(&q, dup) == -EEXIST, "duplicate insert: -EEXIST");
	ok(sc_queues_lookup(&q, 10) == a && q.nr_active == 1,
	   "duplicate changed nothing");
	stage_free(dup);
	ok(sc_queues_remove(&q, a), "remove of a plain block: free it now");
	ok(!sc_queues_lookup(&q, 10) && q.nr_active == 0 && list_empty(&q.active),
	   "removed: lookup misses, queue empty");
	stage_free(a);

	b = stage_new(20, 0);
	sc_queues_insert(&q, b);
	ok(sc_queues_writable(b), "fresh block writable");
	sc_queues_write_start(&q, b);
	ok((b->flags & SC_STAGE_WRITING) && !sc_queues_writable(b) &&
	   q.nr_writing == 1, "write_start: WRITING, not writable");
	ok(!sc_queues_remove(&q, b), "remove of a WRITING block: not now");
	ok(!sc_queues_lookup(&q, 20) && (b->flags & SC_STAGE_DEAD) &&
	   q.nr_active == 0 && b->queue == SC_QUEUE_NONE,
	   "... DEAD, lookup misses at once, unqueued");
	/* a new capture of the same block may be staged meanwhile */
	c = stage_new(20, 0);
	ok(sc_queues_insert(&q, c) == 0 && sc_queues_lookup(&q, 20) == c,
	   "new capture of a DEAD block's oblock is staged");
	ok(q.active.next == &c->lru && q.nr_active == 1,
	   "... at the active head, the only queued block");
	sc_queues_remove(&q, c);
	stage_free(c);
	ok(sc_queues_write_done(&q, b, true) && q.nr_writing == 0 &&
	   !(b->flags & SC_STAGE_WRITING),
	   "write_done of the DEAD block: caller frees");
	stage_free(b);

	c = stage_new(30, 0);
	sc_queues_insert(&q, c);
	sc_queues_write_start(&q, c);
	ok(!sc_queues_write_done(&q, c, true), "write_done installed: keep");
	ok((c->flags & SC_STAGE_ONSSD) && !(c->flags & SC_STAGE_WRITING) &&
	   !sc_queues_writable(c) && sc_queues_lookup(&q, 30) == c,
	   "... ONSSD set, WRITING clear, not writable, still staged");
	shim_warn_quiet = 1;
	shim_warn_count = 0;
	sc_queues_write_start(&q, c);
	ok(shim_warn_count == 1 && !(c->flags & SC_STAGE_WRITING) &&
	   q.nr_writing == 0, "write_start of an ONSSD block: WARN, no-op");
	shim_warn_quiet = 0;

	d = stage_new(31, 0);
	sc_queues_insert(&q, d);
	sc_queues_write_start(&q, d);
	ok(!sc_queues_write_done(&q, d, false) && d->flags == 0 &&
	   sc_queues_writable(d), "write_done not installed: writable again");
	drain_exit(&q);
}

/* ---- aging transcript ------------------------------------------------- */

static void test_aging(void)
{
	struct sc_queues q;
	struct sc_stage *x, *y, *z, *s[3];
	u64 want[3];
	int i, first = -1, ok_trail = 1;

	sc_queues_init(&q, 1000, GFP_KERNEL);
	x = stage_new(1, 0);
	sc_queues_insert(&q, x);
	for (i = 1; i <= 2 * SC_ACT_INIT && first < 0; i++) {
		u64 d = sc_queues_age(&q, 100);	/* one block: one visit */

		if (d)
			first = i;
		else if (x->act_count != SC_ACT_INIT - i)
			ok_trail = 0;
	}
	ok(first == SC_ACT_INIT && ok_trail,
	   "never referenced: deactivated at visit %d (ACT_INIT %d), act_count %d..1 before",
	   first, SC_ACT_INIT, SC_ACT_INIT - 1);
	ok(x->queue == SC_QUEUE_INACTIVE && x->act_count == 0 &&
	   q.nr_active == 0 && q.nr_inactive == 1 && q.stat_deactivated == 1,
	   "... on inactive, act 0, counts 0/1, stat 1");
	ok(sc_queues_age(&q, 100) == 0, "aging an empty active queue: nothing");

	y = stage_new(2, 0);
	sc_queues_insert(&q, y);
	sc_queues_reference(&q, y);
	ok(y->flags == (SC_STAGE_REFERENCED | SC_STAGE_REUSED) &&
	   y->queue == SC_QUEUE_ACTIVE,
	   "reference of an active block sets REFERENCED and REUSED only");
	sc_queues_age(&q, 1);
	ok(y->act_count == SC_ACT_INIT + SC_ACT_ADVANCE &&
	   !(y->flags & SC_STAGE_REFERENCED) && y->queue == SC_QUEUE_ACTIVE,
	   "referenced: act %d (+ADVANCE), REFERENCED cleared, survives",
	   y->act_count);
	for (i = 1, first = -1; i <= 20 && first < 0; i++)
		if (sc_queues_age(&q, 1))
			first = i;
	ok(first == SC_ACT_INIT + SC_ACT_ADVANCE,
	   "... then deactivated after exactly %d idle visits (%d)",
	   SC_ACT_INIT + SC_ACT_ADVANCE, first);

	z = stage_new(3, 0);
	sc_queues_insert(&q, z);
	for (i = 0; i < 30; i++) {
		sc_queues_reference(&q, z);
		sc_queues_age(&q, 1);
	}
	ok(z->act_count == SC_ACT_MAX, "act_count capped at ACT_MAX (%d)",
	   z->act_count);
	for (i = 1, first = -1; i <= 100 && first < 0; i++)
		if (sc_queues_age(&q, 1))
			first = i;
	ok(first == SC_ACT_MAX, "ACT_MAX block needs %d idle visits (%d)",
	   SC_ACT_MAX, first);

	sc_queues_reference(&q, x);
	ok(x->queue == SC_QUEUE_ACTIVE && x->act_count == SC_ACT_INIT &&
	   (x->flags & SC_STAGE_REFERENCED) && q.stat_activated == 1 &&
	   q.active.next == &x->lru,
	   "reference of an inactive block: active head, act INIT, REFERENCED");
	ok(q.nr_active == 1 && q.nr_inactive == 2, "counts 1/2");
	sc_queues_remove(&q, x);
	stage_free(x);

	/* order: the oldest active block is visited first, then requeued */
	for (i = 0; i < 3; i++) {
		s[i] = stage_new(10 + i, 0);
		sc_queues_insert(&q, s[i]);
	}
	sc_queues_age(&q, 1);
	want[0] = 10; want[1] = 12; want[2] = 11;
	ok(queue_is(&q.active, want, 3) && s[0]->act_count == SC_ACT_INIT - 1 &&
	   s[1]->act_count == SC_ACT_INIT,
	   "age(1) visits the oldest (10) and requeues it at the head");
	sc_queues_age(&q, 100);
	ok(s[0]->act_count == SC_ACT_INIT - 2 &&
	   s[1]->act_count == SC_ACT_INIT - 1 &&
	   s[2]->act_count == SC_ACT_INIT - 1,
	   "age(100) with 3 active blocks visits each exactly once");
	drain_exit(&q);
}

/* ---- reclaim ---------------------------------------------------------- */

static void test_reclaim(void)
{
	struct sc_queues q;
	struct sc_stage *s[8], *m, marker;
	LIST_HEAD(out);
	u64 got[16], want[8];
	unsigned int n;
	int i;

	sc_queues_init(&q, 4, GFP_KERNEL);
	for (i = 0; i < 4; i++)
		s[i] = insert_inactive(&q, i);	/* inactive, 0 oldest */
	for (i = 4; i < 8; i++) {
		s[i] = stage_new(i, 0);
		sc_queues_insert(&q, s[i]);	/* active, 4 oldest */
	}
	sc_queues_marker_init(&marker);
	sc_queues_scan_start(&q, &marker);	/* a marker at the oldest end */
	sc_queues_write_start(&q, s[1]);
	sc_queues_write_start(&q, s[5]);
	ok(sc_queues_reclaim(&q, &out, 100) == 4, "8 staged, budget 4: 4 victims");
	n = queue_oblocks(&out, got, 16);
	want[0] = 0; want[1] = 2; want[2] = 3; want[3] = 4;
	ok(n == 4 && !memcmp(got, want, sizeof(u64) * 4),
	   "victims 0,2,3 (inactive, oldest first, WRITING 1 skipped) then 4");
	ok(q.nr_active + q.nr_inactive == 4 && q.nr_inactive == 1 &&
	   q.nr_active == 3 && q.stat_reclaimed == 4, "stops at the budget");
	n = 0;
	list_for_each_entry(m, &out, lru)
		if (m->queue != SC_QUEUE_NONE || !hlist_unhashed(&m->hash) ||
		    sc_queues_lookup(&q, m->oblock) || (m->flags & SC_STAGE_MARKER))
			n++;
	ok(n == 0, "victims unhashed, unqueued, not markers");
	free_list(&out);
	ok(marker.queue == SC_QUEUE_INACTIVE, "marker still queued");

	sc_queues_set_budget(&q, 0);
	ok(sc_queues_reclaim(&q, &out, 1) == 1, "max 1: one victim");
	ok(sc_queues_reclaim(&q, &out, 100) == 1, "then the last non-WRITING one");
	n = queue_oblocks(&out, got, 16);
	ok(n == 2 && got[0] == 6 && got[1] == 7, "victims 6, 7 (5 is WRITING)");
	free_list(&out);
	ok(sc_queues_reclaim(&q, &out, 100) == 0 && list_empty(&out),
	   "only WRITING blocks left: nothing reclaimed");
	ok(sc_queues_lookup(&q, 1) == s[1] && sc_queues_lookup(&q, 5) == s[5],
	   "WRITING blocks still staged");
	sc_queues_write_done(&q, s[1], true);
	sc_queues_write_done(&q, s[5], false);
	ok(sc_queues_reclaim(&q, &out, 100) == 2 && q.nr_active == 0 &&
	   q.nr_inactive == 0, "after write_done both go");
	free_list(&out);
	ok(sc_queues_reclaim(&q, &out, 100) == 0, "empty: nothing");
	sc_queues_marker_remove(&q, &marker);
	ok(list_empty(&q.inactive) && list_empty(&q.active), "queues empty");
	sc_queues_set_budget(&q, 10);
	for (i = 0; i < 5; i++)
		sc_queues_insert(&q, stage_new(100 + i, 0));
	ok(sc_queues_reclaim(&q, &out, 100) == 0, "under budget: nothing");
	drain_exit(&q);
}

/*
 * Reads in flight to be staged count against the budget (reserve), and
 * memory pressure takes staged blocks whatever the budget (shrink).
 */
static void test_reserve_shrink(void)
{
	struct sc_queues q;
	struct sc_stage *s[6];
	LIST_HEAD(out);
	u64 got[8];
	unsigned int n;
	int i;

	sc_queues_init(&q, 8, GFP_KERNEL);
	for (i = 0; i < 3; i++)
		s[i] = insert_inactive(&q, i);	/* inactive, 0 oldest */
	for (i = 3; i < 6; i++) {
		s[i] = stage_new(i, 0);
		sc_queues_insert(&q, s[i]);	/* active, 3 oldest */
	}
	ok(sc_queues_reserve(&q, 4) && q.nr_reserved == 4,
	   "6 staged, budget 8: a read of 4 is reserved");
	ok(sc_queues_reclaim(&q, &out, 100) == 2, "reclaim makes room: 2 go");
	ok(q.nr_active + q.nr_inactive + q.nr_reserved == 8,
	   "staged + reserved = the budget");
	free_list(&out);
	ok(!sc_queues_reserve(&q, 5) && q.nr_reserved == 4,
	   "reads in flight would exceed the budget: refused, nothing changed");
	ok(sc_queues_reserve(&q, 4) && q.nr_reserved == 8,
	   "up to the whole budget in flight");
	ok(sc_queues_reclaim(&q, &out, 100) == 4 && !q.nr_active &&
	   !q.nr_inactive, "every staged block makes room for them");
	free_list(&out);
	sc_queues_unreserve(&q, 8);
	ok(q.nr_reserved == 0, "unreserve");
	shim_warn_quiet = 1;
	sc_queues_unreserve(&q, 1);
	shim_warn_quiet = 0;
	ok(q.nr_reserved == 0, "unreserve past zero warns, stays at 0");

	for (i = 0; i < 3; i++)
		s[i] = insert_inactive(&q, 10 + i);
	for (i = 3; i < 6; i++) {
		s[i] = stage_new(10 + i, 0);
		sc_queues_insert(&q, s[i]);
	}
	sc_queues_write_start(&q, s[1]);
	ok(sc_queues_reclaim(&q, &out, 100) == 0, "6 staged, budget 8: no reclaim");
	ok(sc_queues_reclaimable(&q) == 5, "5 reclaimable (one WRITING)");
	ok(sc_queues_shrink(&q, &out, 3) == 3, "shrink 3 under the budget");
	n = queue_oblocks(&out, got, 8);
	ok(n == 3 && got[0] == 10 && got[1] == 12 && got[2] == 13,
	   "oldest inactive first, WRITING 11 skipped, then oldest active");
	free_list(&out);
	ok(sc_queues_shrink(&q, &out, 100) == 2 &&
	   sc_queues_reclaimable(&q) == 0, "then the rest but the WRITING one");
	free_list(&out);
	ok(sc_queues_lookup(&q, 11) == s[1] && q.nr_inactive == 1,
	   "the WRITING block stays staged");
	sc_queues_write_done(&q, s[1], true);
	ok(sc_queues_reclaimable(&q) == 1 && sc_queues_shrink(&q, &out, 1) == 1,
	   "after write_done it goes too");
	free_list(&out);
	drain_exit(&q);
}

/* ---- marker scan ------------------------------------------------------ */

/* Memory pressure: the oldest active blocks go inactive at once. */
static void test_deactivate(void)
{
	struct sc_queues q;
	struct sc_stage *s[6];
	u64 d0;
	int i;

	sc_queues_init(&q, 1000, GFP_KERNEL);
	for (i = 0; i < 6; i++) {
		s[i] = stage_new(200 + i, 0);
		sc_queues_insert(&q, s[i]);
	}
	sc_queues_reference(&q, s[0]);
	d0 = q.stat_deactivated;
	ok(sc_queues_deactivate(&q, 2) == 2 && q.nr_active == 4 &&
	   q.nr_inactive == 2 && q.stat_deactivated == d0 + 2,
	   "deactivate 2: counts 4/2, both counted as deactivations");
	ok(s[0]->queue == SC_QUEUE_INACTIVE && s[1]->queue == SC_QUEUE_INACTIVE &&
	   s[2]->queue == SC_QUEUE_ACTIVE,
	   "the two oldest active blocks moved, the newer stayed");
	ok(s[0]->act_count == 0 && !(s[0]->flags & SC_STAGE_REFERENCED),
	   "a deactivated block is cold: act_count 0, REFERENCED cleared");
	ok(sc_queues_lookup(&q, 200) == s[0] && sc_queues_lookup(&q, 201) == s[1],
	   "deactivated blocks stay staged (hashed)");
	ok(sc_queues_deactivate(&q, 100) == 4 && q.nr_active == 0 &&
	   q.nr_inactive == 6, "more than are active: all of them, no more");
	ok(sc_queues_deactivate(&q, 5) == 0, "nothing active: nothing moved");
	drain_exit(&q);
}

/*
 * No call does work that grows with the budget: aging and deactivation
 * stop at SC_QUEUES_BATCH blocks (1024) a call (review finding 4).
 */
static void test_batches(void)
{
	struct sc_queues q;
	u64 i, n = 3000, d;

	sc_queues_init(&q, n, GFP_KERNEL);
	for (i = 0; i < n; i++)
		sc_queues_insert(&q, stage_new(i, 0));
	d = sc_queues_deactivate(&q, 5000);
	ok(d <= 1024, "deactivate(5000) with 3000 active moves at most 1024 (%llu)",
	   (ull)d);
	while (sc_queues_deactivate(&q, 5000))
		;
	ok(q.nr_active == 0 && q.nr_inactive == n,
	   "repeated calls deactivate everything: %llu/%llu",
	   (ull)q.nr_active, (ull)q.nr_inactive);
	drain_exit(&q);

	sc_queues_init(&q, n, GFP_KERNEL);
	for (i = 0; i < n; i++)
		sc_queues_insert(&q, stage_new(i, 0));
	/* 4 idle visits each (act_count 5 -> 1): the next deactivates. */
	for (i = 0; i < 4 * 3; i++)
		sc_queues_age(&q, 1000);
	d = sc_queues_age(&q, 5000);
	ok(d <= 1024, "age(5000) with 3000 active visits at most 1024 (%llu deactivated)",
	   (ull)d);
	drain_exit(&q);
}

/* The longest chain of the current table. */
static u64 longest_chain(struct sc_queues *q)
{
	struct sc_stage *st;
	u64 b, len, max = 0;

	for (b = 0; b < (1ULL << q->hash_bits); b++) {
		len = 0;
		hlist_for_each_entry(st, &q->buckets[b], hash)
			len++;
		max = len > max ? len : max;
	}
	return max;
}

/*
 * A budget raised at run time grows the hash (review finding 4): created
 * for 256 blocks (128 buckets), raised to 65536, the table grows to 32768
 * buckets in bounded steps, and every block stays findable throughout,
 * including ones inserted and removed while it grows.
 */
static void test_hash_grow(void)
{
	struct sc_queues q;
	struct hlist_head *nb, *old;
	u64 i, n = 40000, steps = 0, lost = 0;
	unsigned int bits, bits0;
	struct sc_stage *st, *late[100];

	sc_queues_init(&q, 256, GFP_KERNEL);
	bits0 = q.hash_bits;
	ok(sc_queues_hash_want(&q) == 0, "budget as created: no growth wanted");
	sc_queues_set_budget(&q, 65536);
	for (i = 0; i < n; i++)
		sc_queues_insert(&q, stage_new(i * 7, 0));
	bits = sc_queues_hash_want(&q);
	ok(bits == 15, "budget 256 -> 65536 blocks: wants 2^15 buckets (%u, had %u)",
	   bits, bits0);
	ok(longest_chain(&q) > 200, "before growing, chains are long (%llu)",
	   (ull)longest_chain(&q));
	nb = kvcalloc(1UL << bits, sizeof(*nb), GFP_KERNEL);
	sc_queues_hash_start(&q, nb, bits);
	ok(sc_queues_hash_want(&q) == 0, "growing: no second growth wanted");
	for (i = 0; i < 100; i++) {
		late[i] = stage_new(7 * n + i, 0);
		sc_queues_insert(&q, late[i]);
	}
	while (!(old = sc_queues_hash_step(&q))) {
		steps++;
		/* a block removed and one inserted between steps */
		st = sc_queues_lookup(&q, 7 * (steps % n));
		if (st && sc_queues_remove(&q, st)) {
			sc_queues_insert(&q, st);
		}
		for (i = steps % 97; i < n; i += 997)
			if (sc_queues_lookup(&q, i * 7) == NULL)
				lost++;
		if (steps > 1000)
			break;
	}
	ok(old != NULL && steps < 1000,
	   "the old table empties in %llu steps of at most 1024 moves",
	   (ull)steps);
	kvfree(old);
	ok(!lost, "every block found while the hash grew (%llu lookups failed)",
	   (ull)lost);
	for (i = 0; i < n; i++)
		if (!sc_queues_lookup(&q, i * 7))
			lost++;
	for (i = 0; i < 100; i++)
		if (sc_queues_lookup(&q, 7 * n + i) != late[i])
			lost++;
	ok(!lost && q.hash_bits == 15 && !q.old_buckets,
	   "after growing: all %llu blocks found, 2^%u buckets", (ull)(n + 100),
	   q.hash_bits);
	ok(longest_chain(&q) < 16, "after growing, the longest chain is %llu",
	   (ull)longest_chain(&q));
	drain_exit(&q);
}

static void test_scan(void)
{
	struct sc_queues q;
	struct sc_stage *b[12], m, m2, *st;
	u64 seq[32], seq2[32], want[32];
	LIST_HEAD(out);
	unsigned int n = 0, n2;
	int i, good;

	sc_queues_init(&q, 1000, GFP_KERNEL);
	sc_queues_marker_init(&m);
	sc_queues_marker_init(&m2);
	for (i = 0; i < 10; i++)
		b[i] = insert_inactive(&q, i);
	sc_queues_scan_start(&q, &m);
	seq[n++] = sc_queues_scan_next(&q, &m)->oblock;		/* 0 */
	sc_queues_scan_start(&q, &m);				/* resumes */
	seq[n++] = sc_queues_scan_next(&q, &m)->oblock;		/* 1 */
	sc_queues_remove(&q, b[2]);				/* unvisited */
	stage_free(b[2]);
	seq[n++] = sc_queues_scan_next(&q, &m)->oblock;		/* 3 */
	sc_queues_reference(&q, b[4]);				/* unvisited */
	sc_queues_reference(&q, b[1]);				/* visited */
	sc_queues_remove(&q, b[3]);				/* just visited */
	stage_free(b[3]);
	seq[n++] = sc_queues_scan_next(&q, &m)->oblock;		/* 5 */
	/* deactivate 4 then 1 again (4 is older on the active queue) */
	while (q.nr_active)
		sc_queues_age(&q, 100);
	b[10] = insert_inactive(&q, 10);
	sc_queues_set_budget(&q, q.nr_active + q.nr_inactive - 1);
	ok(sc_queues_reclaim(&q, &out, 100) == 1 &&
	   list_first_entry(&out, struct sc_stage, lru) == b[0],
	   "reclaim mid-scan takes the visited oldest (0)");
	free_list(&out);
	sc_queues_remove(&q, b[6]);
	stage_free(b[6]);
	while ((st = sc_queues_scan_next(&q, &m)) && n < 32)
		seq[n++] = st->oblock;
	want[0] = 0; want[1] = 1; want[2] = 3; want[3] = 5; want[4] = 7;
	want[5] = 8; want[6] = 9; want[7] = 4; want[8] = 1; want[9] = 10;
	ok(n == 10 && !memcmp(seq, want, 10 * sizeof(u64)),
	   "scan with removals, activations, new deactivations: each once, oldest first");
	ok(!sc_queues_scan_next(&q, &m) && m.queue == SC_QUEUE_INACTIVE &&
	   q.inactive.next == &m.lru, "NULL again at the end, marker at the newest end");
	sc_queues_reference(&q, b[1]);
	while (q.nr_active)
		sc_queues_age(&q, 100);
	st = sc_queues_scan_next(&q, &m);
	ok(st == b[1] && !sc_queues_scan_next(&q, &m),
	   "after NULL, a block deactivated later is still returned (live cursor)");

	/* restart; a second marker interleaved does not see the first */
	sc_queues_scan_start(&q, &m);
	sc_queues_scan_start(&q, &m2);
	n = n2 = 0;
	good = 1;
	for (i = 0; i < 40; i++) {
		struct sc_stage *x = NULL;

		if ((i % 3) != 2 && n < 32 && (x = sc_queues_scan_next(&q, &m)))
			seq[n++] = x->oblock;
		if ((i % 2) == 0 && n2 < 32 && (x = sc_queues_scan_next(&q, &m2)))
			seq2[n2++] = x->oblock;
		if (x && (x->flags & SC_STAGE_MARKER))
			good = 0;
	}
	n = queue_oblocks(&q.inactive, want, 32);
	for (i = 0; i < (int)n; i++)	/* expected: oldest first */
		if (seq[i] != want[n - 1 - i] || seq2[i] != want[n - 1 - i])
			good = 0;
	ok(good && n == 7, "restart after NULL; two markers interleaved each see all %u blocks in order",
	   n);
	sc_queues_scan_start(&q, &m);
	ok(sc_queues_scan_next(&q, &m)->oblock == want[n - 1],
	   "scan_start after NULL restarts at the oldest");
	sc_queues_marker_remove(&q, &m);
	ok(m.queue == SC_QUEUE_NONE && q.nr_inactive == n,
	   "marker_remove; block counts unaffected by markers");
	sc_queues_scan_start(&q, &m);
	ok(sc_queues_scan_next(&q, &m)->oblock == want[n - 1],
	   "scan_start after marker_remove starts at the oldest");
	sc_queues_marker_remove(&q, &m);
	sc_queues_marker_remove(&q, &m);	/* twice: harmless */
	/* scan of an empty inactive queue */
	sc_queues_drain(&q, &out);
	ok(m2.queue == SC_QUEUE_NONE && list_empty(&q.inactive),
	   "drain detaches markers, never hands them out");
	free_list(&out);
	sc_queues_scan_start(&q, &m);
	ok(!sc_queues_scan_next(&q, &m), "empty queue: NULL");
	sc_queues_marker_remove(&q, &m);
	sc_queues_exit(&q);
}

/* ---- clustering ------------------------------------------------------- */

/*
 * Stage the cluster at @base, one character per block: '.' none,
 * 'w' writable, 'o' ONSSD, 'r' WRITING, 'd' DEAD (invalidated while
 * WRITING).  Returns the DEAD stage, which the "writer" (the test) owns.
 */
static struct sc_stage *cluster_fill(struct sc_queues *q, u64 base,
				     const char *kinds)
{
	struct sc_stage *st, *dead = NULL;
	int i;

	for (i = 0; i < 16; i++) {
		if (kinds[i] == '.')
			continue;
		st = stage_new(base + i, 0);
		sc_queues_insert(q, st);
		if (kinds[i] == 'w')
			continue;
		sc_queues_write_start(q, st);
		if (kinds[i] == 'o')
			sc_queues_write_done(q, st, true);
		if (kinds[i] == 'd') {
			sc_queues_remove(q, st);
			dead = st;
		}
	}
	return dead;
}

static bool cluster_is(struct sc_queues *q, u64 chosen, const u64 *want,
		       unsigned int n)
{
	struct sc_stage *out[16], *st = sc_queues_lookup(q, chosen);
	unsigned int i, got;

	if (!st)
		return false;
	got = sc_queues_cluster(q, st, out);
	if (got != n)
		return false;
	for (i = 0; i < n; i++)
		if (out[i]->oblock != want[i])
			return false;
	return true;
}

/* Finish every WRITING block of the cluster (DEAD ones are not found). */
static void cluster_finish(struct sc_queues *q, u64 base)
{
	struct sc_stage *st;
	int i;

	for (i = 0; i < 16; i++) {
		st = sc_queues_lookup(q, base + i);
		if (st && (st->flags & SC_STAGE_WRITING))
			sc_queues_write_done(q, st, false);
	}
}

static void test_cluster(void)
{
	struct sc_queues q;
	struct sc_stage *dead;
	u64 b = 1600, w[16], top = (1ULL << 40) - 16;
	unsigned int i;
	LIST_HEAD(out);

	sc_queues_init(&q, 1000, GFP_KERNEL);
	/* neighbours just outside: writable, must not be picked */
	sc_queues_insert(&q, stage_new(b - 1, 0));
	sc_queues_insert(&q, stage_new(b + 16, 0));
	/*           0123456789abcdef */
	dead = cluster_fill(&q, b, "w.wow.rw..d.ww.w");
	w[0] = b; w[1] = b + 2; w[2] = b + 4; w[3] = b + 7; w[4] = b + 12;
	w[5] = b + 13; w[6] = b + 15;
	ok(cluster_is(&q, b + 7, w, 7), "cluster: only writable neighbours, in order");
	ok(cluster_is(&q, b, w, 7) && cluster_is(&q, b + 15, w, 7),
	   "same from the first and the last block");
	w[0] = b; w[1] = b + 2; w[2] = b + 3; w[3] = b + 4; w[4] = b + 7;
	w[5] = b + 12; w[6] = b + 13; w[7] = b + 15;
	ok(cluster_is(&q, b + 3, w, 8), "a non-writable chosen block is included");
	w[0] = b - 1;
	ok(cluster_is(&q, b - 1, w, 1), "alone in its cluster: just itself");

	cluster_fill(&q, 0, "wwwwwwwwwwwwwwww");
	for (i = 0; i < 16; i++)
		w[i] = i;
	ok(cluster_is(&q, 0, w, 16) && cluster_is(&q, 15, w, 16),
	   "oblock 0: full cluster 0..15");
	cluster_fill(&q, top, ".w.............w");
	sc_queues_insert(&q, stage_new(1ULL << 40, 0));
	w[0] = top + 1; w[1] = top + 15;
	ok(cluster_is(&q, top + 15, w, 2) && cluster_is(&q, top + 1, w, 2),
	   "near 2^40: [2^40-16, 2^40-1], 2^40 not included");
	cluster_fill(&q, ~15ULL, "w..............w");
	w[0] = ~15ULL; w[1] = ~0ULL;
	ok(cluster_is(&q, ~0ULL, w, 2), "top of u64: no wrap");

	/* the writer's completions: the DEAD one is the caller's to free */
	cluster_finish(&q, b);
	ok(q.nr_writing == 1, "only the DEAD block still in flight");
	ok(sc_queues_write_done(&q, dead, true) && q.nr_writing == 0,
	   "its write_done says free it");
	stage_free(dead);
	sc_queues_drain(&q, &out);
	free_list(&out);
	ok(q.nr_active == 0 && q.nr_inactive == 0, "drained");
	sc_queues_exit(&q);
}

/* ---- leak and allocation failure --------------------------------------- */

static void test_leak(void)
{
	long live = shim_alloc_live;
	struct sc_queues q;
	struct sc_stage *st;
	LIST_HEAD(out);
	int i;

	i = sc_queues_init(&q, 1 << 20, GFP_KERNEL);
	ok(i == 0 && q.hash_bits == 19, "budget 2^20: 2^19 buckets (bits %u)",
	   q.hash_bits);
	for (i = 0; i < 1000; i++)
		sc_queues_insert(&q, stage_new(i * 7, 0));
	sc_queues_age(&q, 500);
	sc_queues_age(&q, 1000);
	ok(sc_queues_drain(&q, &out) == 1000 && free_list(&out) == 1000,
	   "drain hands out all 1000");
	sc_queues_exit(&q);
	ok(shim_alloc_live == live, "after drain + exit: live allocations back to %ld",
	   live);

	shim_fail_nth = 1;
	ok(sc_queues_init(&q, 1000, GFP_KERNEL) == -ENOMEM && !q.buckets,
	   "injected allocation failure: -ENOMEM");
	sc_queues_exit(&q);	/* the destructor tolerates it */
	ok(shim_alloc_live == live, "... no leak");

	ok(sc_queues_init(&q, 0, GFP_KERNEL) == 0 && q.hash_bits == 6,
	   "budget 0: 64 buckets");
	sc_queues_exit(&q);
	ok(sc_queues_init(&q, 1ULL << 50, GFP_KERNEL) == 0 &&
	   q.hash_bits == SC_QUEUES_MAX_HASH_BITS, "huge budget: capped at 2^%d",
	   SC_QUEUES_MAX_HASH_BITS);
	sc_queues_exit(&q);
	ok(sc_queues_init(&q, 130, GFP_KERNEL) == 0 && q.hash_bits == 7,
	   "budget 130: 128 buckets");

	/* misuse is warned about, not silently freed */
	shim_warn_quiet = 1;
	shim_warn_count = 0;
	st = stage_new(5, 0);
	sc_queues_insert(&q, st);
	sc_queues_write_start(&q, st);
	ok(sc_queues_drain(&q, &out) == 0 && shim_warn_count == 1 &&
	   sc_queues_lookup(&q, 5) == st,
	   "drain with a WRITING block: WARN, block left in place");
	sc_queues_exit(&q);
	ok(shim_warn_count == 2, "exit with blocks left: WARN");
	sc_queues_write_done(&q, st, false);	/* hash is gone: flags only */
	stage_free(st);
	shim_warn_quiet = 0;
	ok(shim_alloc_live == live, "live allocations back to %ld", live);
}

/* ---- randomized model test ------------------------------------------- */

#define NSLOT		192
#define MAXFL		64	/* stages in flight to the SSD */

struct mslot {
	struct sc_stage *st;	/* staged (hashed) or NULL */
	u64 stamp;		/* when queued at its queue's head */
	u8 queue, act, flags;
};

struct mmark {
	struct sc_stage m;
	bool on, done;
	u64 pos;		/* stamp of the last block returned */
};

struct model {
	struct sc_queues q;
	struct mslot s[NSLOT];
	struct { struct sc_stage *st; bool dead; } fl[MAXFL];
	struct mmark mk[2];
	unsigned int nfl;
	u64 base, clock, na, ni;
	u64 ops, visits, victims, deact, writes, dead_freed;
	char err[200];
};

#define CHECK(md, cond, ...) do {					\
	if (!(cond) && !(md)->err[0])					\
		snprintf((md)->err, sizeof((md)->err), __VA_ARGS__);	\
} while (0)

static int slot_of(struct model *md, const struct sc_stage *st)
{
	return (int)(st->oblock - md->base);
}

static void m_queue(struct model *md, int i, u8 which)
{
	struct mslot *s = &md->s[i];

	if (s->queue == SC_QUEUE_ACTIVE)
		md->na--;
	else if (s->queue == SC_QUEUE_INACTIVE)
		md->ni--;
	if (which == SC_QUEUE_ACTIVE)
		md->na++;
	else if (which == SC_QUEUE_INACTIVE)
		md->ni++;
	s->queue = which;
	s->stamp = ++md->clock;
}

static const struct model *sort_md;	/* for cmp_stamp */

static int cmp_stamp(const void *a, const void *b)
{
	const struct model *md = sort_md;
	u64 x = md->s[*(const int *)a].stamp, y = md->s[*(const int *)b].stamp;

	return x < y ? -1 : x > y;
}

/* Slots on @which, oldest first. */
static int m_sorted(struct model *md, u8 which, int *idx)
{
	int i, n = 0;

	for (i = 0; i < NSLOT; i++)
		if (md->s[i].st && md->s[i].queue == which)
			idx[n++] = i;
	sort_md = md;
	qsort(idx, n, sizeof(*idx), cmp_stamp);
	return n;
}

static void m_check_slot(struct model *md, int i)
{
	struct mslot *s = &md->s[i];
	struct sc_stage *st = sc_queues_lookup(&md->q, md->base + i);

	CHECK(md, st == s->st, "op %llu: lookup(%d) %p, model %p",
	      (ull)md->ops, i, (void *)st, (void *)s->st);
	if (!st || st != s->st)
		return;
	CHECK(md, st->queue == s->queue && st->act_count == s->act &&
	      st->flags == s->flags && stage_data_ok(st),
	      "op %llu: slot %d q%u/%u act %u/%u flags %x/%x", (ull)md->ops,
	      i, st->queue, s->queue, st->act_count, s->act, st->flags,
	      s->flags);
}

static void m_insert(struct model *md)
{
	int i = rnd_below(NSLOT);
	u8 flags = rnd_below(0x40);
	struct sc_stage *st = stage_new(md->base + i, flags);
	int r = sc_queues_insert(&md->q, st);

	if (md->s[i].st) {
		CHECK(md, r == -EEXIST, "op %llu: dup insert %d", (ull)md->ops, r);
		stage_free(st);
		return;
	}
	CHECK(md, r == 0, "op %llu: insert %d", (ull)md->ops, r);
	md->s[i].st = st;
	md->s[i].queue = SC_QUEUE_NONE;
	m_queue(md, i, SC_QUEUE_ACTIVE);
	md->s[i].act = SC_ACT_INIT;
	md->s[i].flags = flags & (SC_STAGE_META | SC_STAGE_REUSED);
	m_check_slot(md, i);
}

static void m_reference(struct model *md)
{
	int i = rnd_below(NSLOT);
	struct mslot *s = &md->s[i];

	if (!s->st)
		return;
	sc_queues_reference(&md->q, s->st);
	s->flags |= SC_STAGE_REFERENCED | SC_STAGE_REUSED;
	if (s->queue == SC_QUEUE_INACTIVE) {
		m_queue(md, i, SC_QUEUE_ACTIVE);
		if (s->act < SC_ACT_INIT)
			s->act = SC_ACT_INIT;
	}
	m_check_slot(md, i);
}

static void m_remove(struct model *md)
{
	int i = rnd_below(NSLOT);
	struct mslot *s = &md->s[i];
	bool writing, r;
	unsigned int k;

	if (!s->st)
		return;
	writing = s->flags & SC_STAGE_WRITING;
	r = sc_queues_remove(&md->q, s->st);
	CHECK(md, r == !writing, "op %llu: remove %d", (ull)md->ops, r);
	if (s->queue == SC_QUEUE_ACTIVE)
		md->na--;
	else
		md->ni--;
	if (r) {
		stage_free(s->st);
	} else {
		for (k = 0; k < md->nfl; k++)
			if (md->fl[k].st == s->st)
				md->fl[k].dead = true;
		CHECK(md, s->st->flags & SC_STAGE_DEAD, "op %llu: not DEAD",
		      (ull)md->ops);
	}
	memset(s, 0, sizeof(*s));
	m_check_slot(md, i);
}

static void m_age(struct model *md)
{
	int idx[NSLOT], n, k, j;
	u64 max = rnd_below(40), d, want = 0;

	n = m_sorted(md, SC_QUEUE_ACTIVE, idx);
	d = sc_queues_age(&md->q, max);
	for (k = 0; k < n && (u64)k < max; k++) {
		struct mslot *s = &md->s[idx[k]];

		if (s->flags & SC_STAGE_REFERENCED) {
			s->flags &= ~SC_STAGE_REFERENCED;
			s->act = s->act + SC_ACT_ADVANCE > SC_ACT_MAX ?
				 SC_ACT_MAX : s->act + SC_ACT_ADVANCE;
		} else {
			s->act = s->act > SC_ACT_DECLINE ?
				 s->act - SC_ACT_DECLINE : 0;
		}
		m_queue(md, idx[k], s->act ? SC_QUEUE_ACTIVE :
			SC_QUEUE_INACTIVE);
		want += !s->act;
	}
	CHECK(md, d == want, "op %llu: age(%llu) %llu, model %llu",
	      (ull)md->ops, (ull)max, (ull)d, (ull)want);
	md->deact += d;
	md->visits += k;
	for (j = 0; j < k; j++)
		m_check_slot(md, idx[j]);
}

/* Expected victims of one queue, appended to @v. */
static int m_victims(struct model *md, u8 which, int *v, int nv, u64 max)
{
	int idx[NSLOT], n, k;

	n = m_sorted(md, which, idx);
	for (k = 0; k < n && (u64)nv < max &&
	     md->na + md->ni - nv > md->q.budget; k++)
		if (!(md->s[idx[k]].flags & SC_STAGE_WRITING))
			v[nv++] = idx[k];
	return nv;
}

static void m_reclaim(struct model *md)
{
	int v[NSLOT], nv, k = 0;
	u64 max = rnd_below(24), got;
	struct sc_stage *st, *n;
	LIST_HEAD(out);

	if (rnd_below(8) == 0)
		sc_queues_set_budget(&md->q, rnd_below(NSLOT + 20));
	nv = m_victims(md, SC_QUEUE_INACTIVE, v, 0, max);
	nv = m_victims(md, SC_QUEUE_ACTIVE, v, nv, max);
	got = sc_queues_reclaim(&md->q, &out, max);
	CHECK(md, got == (u64)nv, "op %llu: reclaim %llu, model %d",
	      (ull)md->ops, (ull)got, nv);
	list_for_each_entry_safe(st, n, &out, lru) {
		CHECK(md, k < nv && st == md->s[v[k]].st,
		      "op %llu: victim %d wrong", (ull)md->ops, k);
		list_del(&st->lru);
		stage_free(st);
		k++;
	}
	for (k = 0; k < nv; k++) {
		if (md->s[v[k]].queue == SC_QUEUE_ACTIVE)
			md->na--;
		else
			md->ni--;
		memset(&md->s[v[k]], 0, sizeof(md->s[0]));
		m_check_slot(md, v[k]);
	}
	md->victims += nv;
}

/* Cluster around @st and start writing the batch, checking the model. */
static void m_write_batch(struct model *md, struct sc_stage *st)
{
	struct sc_stage *out[16];
	u64 base = st->oblock & ~15ULL;
	unsigned int n, k = 0, j;
	int i;

	if (md->nfl + 16 > MAXFL || !sc_queues_writable(st))
		return;
	n = sc_queues_cluster(&md->q, st, out);
	for (j = 0; j < 16; j++) {
		i = (int)(base + j - md->base);
		if (i < 0 || i >= NSLOT || !md->s[i].st)
			continue;
		if (md->s[i].st != st &&
		    (md->s[i].flags & (SC_STAGE_WRITING | SC_STAGE_ONSSD)))
			continue;
		CHECK(md, k < n && out[k] == md->s[i].st,
		      "op %llu: cluster entry %u", (ull)md->ops, k);
		k++;
	}
	CHECK(md, k == n, "op %llu: cluster %u, model %u", (ull)md->ops, n, k);
	for (j = 0; j < n && !md->err[0]; j++) {
		sc_queues_write_start(&md->q, out[j]);
		md->s[slot_of(md, out[j])].flags |= SC_STAGE_WRITING;
		md->fl[md->nfl].st = out[j];
		md->fl[md->nfl++].dead = false;
	}
	md->writes += n;
}

static void m_write_done(struct model *md)
{
	unsigned int k;
	bool installed = rnd_below(4) != 0, r;
	struct sc_stage *st;
	struct mslot *s;

	if (!md->nfl)
		return;
	k = rnd_below(md->nfl);
	st = md->fl[k].st;
	r = sc_queues_write_done(&md->q, st, installed);
	CHECK(md, r == md->fl[k].dead, "op %llu: write_done %d", (ull)md->ops, r);
	if (md->fl[k].dead) {
		stage_free(st);
		md->dead_freed++;
	} else {
		s = &md->s[slot_of(md, st)];
		s->flags &= ~SC_STAGE_WRITING;
		if (installed)
			s->flags |= SC_STAGE_ONSSD;
		m_check_slot(md, slot_of(md, st));
	}
	md->fl[k] = md->fl[--md->nfl];
}

static void m_scan(struct model *md)
{
	struct mmark *mk = &md->mk[rnd_below(2)];
	struct sc_stage *st;
	u64 best = ~0ULL;
	int i, pick = -1;

	if (!mk->on || rnd_below(16) == 0) {
		sc_queues_scan_start(&md->q, &mk->m);
		if (!mk->on || mk->done) {
			mk->on = true;
			mk->done = false;
			mk->pos = 0;
		}
		return;
	}
	if (rnd_below(64) == 0) {
		sc_queues_marker_remove(&md->q, &mk->m);
		mk->on = false;
		return;
	}
	for (i = 0; i < NSLOT; i++)
		if (md->s[i].st && md->s[i].queue == SC_QUEUE_INACTIVE &&
		    md->s[i].stamp > mk->pos && md->s[i].stamp < best) {
			best = md->s[i].stamp;
			pick = i;
		}
	st = sc_queues_scan_next(&md->q, &mk->m);
	CHECK(md, st == (pick < 0 ? NULL : md->s[pick].st),
	      "op %llu: scan_next %p, model slot %d", (ull)md->ops,
	      (void *)st, pick);
	if (pick < 0) {
		mk->done = true;
		return;
	}
	mk->pos = best;
	mk->done = false;
	if (st && rnd_below(2))
		m_write_batch(md, st);
}

/* Walk both real queues and compare everything with the model. */
static void m_full_check(struct model *md)
{
	struct sc_stage *st;
	u64 last, n;
	int i, markers;
	unsigned int k;

	for (i = 0; i < NSLOT; i++)
		m_check_slot(md, i);
	n = 0;
	last = ~0ULL;
	list_for_each_entry(st, &md->q.active, lru) {
		i = slot_of(md, st);
		CHECK(md, !(st->flags & SC_STAGE_MARKER) && i >= 0 &&
		      i < NSLOT && md->s[i].st == st &&
		      md->s[i].stamp < last, "op %llu: active order",
		      (ull)md->ops);
		if (md->err[0])
			return;
		last = md->s[i].stamp;
		n++;
	}
	CHECK(md, n == md->na && n == md->q.nr_active, "op %llu: nr_active",
	      (ull)md->ops);
	n = 0;
	markers = 0;
	last = ~0ULL;
	list_for_each_entry(st, &md->q.inactive, lru) {
		if (st->flags & SC_STAGE_MARKER) {
			markers++;
			continue;
		}
		i = slot_of(md, st);
		CHECK(md, i >= 0 && i < NSLOT && md->s[i].st == st &&
		      md->s[i].stamp < last, "op %llu: inactive order",
		      (ull)md->ops);
		if (md->err[0])
			return;
		last = md->s[i].stamp;
		n++;
	}
	CHECK(md, n == md->ni && n == md->q.nr_inactive &&
	      markers == md->mk[0].on + md->mk[1].on,
	      "op %llu: nr_inactive / markers", (ull)md->ops);
	CHECK(md, md->q.nr_writing == md->nfl, "op %llu: nr_writing",
	      (ull)md->ops);
	for (k = 0; k < md->nfl; k++)
		CHECK(md, md->fl[k].st->flags & SC_STAGE_WRITING,
		      "op %llu: in-flight not WRITING", (ull)md->ops);
}

static void m_step(struct model *md)
{
	unsigned int r = rnd_below(100);

	if (r < 30)
		m_insert(md);
	else if (r < 40)
		m_check_slot(md, rnd_below(NSLOT));
	else if (r < 50)
		m_reference(md);
	else if (r < 57)
		m_remove(md);
	else if (r < 67)
		m_age(md);
	else if (r < 75)
		m_reclaim(md);
	else if (r < 90)
		m_scan(md);
	else if (r < 94 && md->ni + md->na) {
		int i = rnd_below(NSLOT);

		if (md->s[i].st)
			m_write_batch(md, md->s[i].st);
	} else {
		m_write_done(md);
	}
}

static void m_teardown(struct model *md)
{
	LIST_HEAD(out);
	unsigned int k;

	while (md->nfl) {
		k = md->nfl - 1;
		if (sc_queues_write_done(&md->q, md->fl[k].st, false))
			stage_free(md->fl[k].st);
		md->nfl--;
	}
	sc_queues_marker_remove(&md->q, &md->mk[0].m);
	sc_queues_drain(&md->q, &out);
	free_list(&out);
	sc_queues_marker_remove(&md->q, &md->mk[1].m);
	sc_queues_exit(&md->q);
}

static void test_model(u64 seed, u64 ops, u64 base)
{
	static struct model md;
	long live = shim_alloc_live;
	u64 budget = 16 + seed % 200;

	memset(&md, 0, sizeof(md));
	rng_state = seed;
	md.base = base;
	sc_queues_init(&md.q, budget, GFP_KERNEL);
	sc_queues_marker_init(&md.mk[0].m);
	sc_queues_marker_init(&md.mk[1].m);
	for (md.ops = 0; md.ops < ops && !md.err[0]; md.ops++) {
		m_step(&md);
		CHECK(&md, md.q.nr_active == md.na &&
		      md.q.nr_inactive == md.ni, "op %llu: counts %llu/%llu, model %llu/%llu",
		      (ull)md.ops, (ull)md.q.nr_active, (ull)md.q.nr_inactive,
		      (ull)md.na, (ull)md.ni);
		if ((md.ops & 1023) == 0)
			m_full_check(&md);
	}
	m_full_check(&md);
	if (md.err[0])
		diag("%s", md.err);
	ok(!md.err[0], "model seed %llu base %#llx budget %llu: %llu ops (%llu visits, %llu deactivated, %llu victims, %llu written, %llu dead freed)",
	   (ull)seed, (ull)base, (ull)budget, (ull)md.ops, (ull)md.visits,
	   (ull)md.deact, (ull)md.victims, (ull)md.writes,
	   (ull)md.dead_freed);
	m_teardown(&md);
	ok(shim_alloc_live == live, "model seed %llu: no leak (%ld live)",
	   (ull)seed, shim_alloc_live - live);
}

int main(void)
{
	tap_start();
	test_basic();
	test_aging();
	test_deactivate();
	test_batches();
	test_hash_grow();
	test_reclaim();
	test_reserve_shrink();
	test_scan();
	test_cluster();
	test_leak();
	test_model(1, 400000, 0);
	test_model(2, 400000, (1ULL << 40) - NSLOT);
	test_model(77, 400000, 1000003);
	return tap_done();
}
