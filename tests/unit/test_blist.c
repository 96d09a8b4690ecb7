// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dm-swapcache/blist.c, compiled in user space against the
 * kernel shim (see shim/README) with ASan and UBSan.
 *
 * Every result is compared with a plain bitmap model that knows nothing
 * of the tree.  test_blist_deep.c builds the same tests against a tiny
 * tree (BLIST_CHUNK_SHIFT=2, BLIST_RADIX_SHIFT=1) so that small devices
 * have deep trees.  Output is TAP.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/types.h>
#include <linux/slab.h>
#include "shim.h"
#include "testlib.h"
#include "blist.h"

#ifndef BLIST_CHUNK_SHIFT
#define BLIST_CHUNK_SHIFT	4
#endif
#ifndef BLIST_RADIX_SHIFT
#define BLIST_RADIX_SHIFT	4
#endif
#define CHUNK_WORDS		(1U << BLIST_CHUNK_SHIFT)
#define RADIX			(1U << BLIST_RADIX_SHIFT)
#ifdef BLIST_TEST_DEEP
#define MAX_BITS		1.3	/* 32-bit summary per 256 blocks */
#define SEED			100
#else
#define MAX_BITS		1.1
#define SEED			0
#endif

typedef unsigned long long ull;

/* ---- the model: one bool per block, nothing clever -------------------- */

struct model {
	u64 n, nfree;
	unsigned char *free;	/* 1 = free */
	/*
	 * Answers of the slow O(n) questions, kept while only allocations
	 * happen (they cannot create a run or an aligned extent); any free
	 * forgets them.
	 */
	u64 run_ub;		/* if run_known: longest run is <= this */
	int run_known;
	unsigned int no_aligned;	/* bit k: no free aligned 2^k extent */
};

static void model_init(struct model *m, u64 n)
{
	m->n = n;
	m->nfree = n;
	m->free = malloc(n);
	memset(m->free, 1, n);
}

static void model_exit(struct model *m)
{
	free(m->free);
}

static int model_all_free(const struct model *m, u64 b, u64 c)
{
	u64 i;

	for (i = 0; i < c; i++)
		if (!m->free[b + i])
			return 0;
	return 1;
}

static void model_set(struct model *m, u64 b, u64 c, int fr)
{
	u64 i;

	for (i = 0; i < c; i++) {
		m->nfree += fr - m->free[b + i];
		m->free[b + i] = fr;
	}
	if (fr) {
		m->run_known = 0;
		m->no_aligned = 0;
	}
}

/* Is some p-aligned extent of p blocks free? */
static int model_has_aligned(struct model *m, u64 p)
{
	u64 s;

	if (m->no_aligned & p)
		return 0;
	for (s = 0; s + p <= m->n; s += p)
		if (m->free[s] && m->free[s + p - 1] && model_all_free(m, s, p))
			return 1;
	m->no_aligned |= p;
	return 0;
}

/* Longest free run, stopping early once it reaches @cap. */
static u64 model_max_run(const struct model *m, u64 cap)
{
	u64 i, run = 0, best = 0;

	for (i = 0; i < m->n && best < cap; i++) {
		run = m->free[i] ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best < cap ? best : cap;
}

static unsigned int pow2_up(unsigned int c)
{
	unsigned int p = 1;

	while (p < c)
		p <<= 1;
	return p;
}

/* ---- small helpers ------------------------------------------------------ */

static struct blist *mk(u64 n)
{
	struct blist *bl = blist_create(n, GFP_KERNEL);

	if (!bl) {
		printf("Bail out! blist_create(%llu) failed\n", (ull)n);
		exit(1);
	}
	return bl;
}

/* ---- edge cases --------------------------------------------------------- */

static void test_create_limits(void)
{
	ok(blist_create(0, GFP_KERNEL) == NULL, "create(0) returns NULL");
	ok(blist_create(BLIST_MAX_BLOCKS + 1, GFP_KERNEL) == NULL,
	   "create(BLIST_MAX_BLOCKS + 1) returns NULL");
	blist_destroy(NULL);
	ok(1, "destroy(NULL) tolerated");
}

/* Fresh device of n blocks: fill by 1s in order, full, free all. */
static void test_size(u64 n)
{
	struct blist *bl = mk(n);
	u64 i, bad = 0;
	unsigned int want = n < BLIST_MAX_ALLOC ? n : BLIST_MAX_ALLOC;

	ok(blist_blocks(bl) == n && blist_free_count(bl) == n &&
	   blist_largest_free_hint(bl) == want && !blist_check(bl),
	   "n=%llu: empty: blocks, free count, hint %u", (ull)n, want);
	for (i = 0; i < n; i++)
		bad += blist_alloc(bl, 1) != i;
	ok(!bad, "n=%llu: 1-block allocs on a fresh device come in order",
	   (ull)n);
	ok(blist_alloc(bl, 1) == BLIST_NONE && blist_free_count(bl) == 0 &&
	   blist_largest_free_hint(bl) == 0 && !blist_check(bl),
	   "n=%llu: full: alloc(1) NONE, free 0, hint 0", (ull)n);
	for (i = 0; i < n; i++)
		blist_free(bl, i, 1);
	ok(blist_free_count(bl) == n && !blist_check(bl) &&
	   blist_largest_free_hint(bl) == want,
	   "n=%llu: all freed again", (ull)n);
	ok(blist_fill(bl, 0, n) == n && blist_free_count(bl) == 0 &&
	   blist_alloc(bl, 1) == BLIST_NONE && !blist_check(bl),
	   "n=%llu: fill whole device", (ull)n);
	blist_free(bl, 0, n);
	bad = 0;
	for (i = 0; i + 16 <= n; i += 16)
		bad += blist_alloc(bl, 16) != i;
	ok(!bad && !blist_check(bl),
	   "n=%llu: 16-block allocs come aligned and in order", (ull)n);
	blist_destroy(bl);
}

static void test_bad_calls(void)
{
	struct blist *bl = mk(1000);
	blist_blk_t b;
	u64 fc;

	shim_warn_quiet = 1;
	ok(WARNS(b = blist_alloc(bl, 0)) == 1 && b == BLIST_NONE,
	   "alloc(0): NONE and one warning");
	ok(WARNS(b = blist_alloc(bl, BLIST_MAX_ALLOC + 1)) == 1 &&
	   b == BLIST_NONE, "alloc(BLIST_MAX_ALLOC + 1): NONE and one warning");
	b = blist_alloc(bl, BLIST_MAX_ALLOC);
	ok(b == 0, "alloc(BLIST_MAX_ALLOC) on an empty device: %llu", (ull)b);
	b = blist_alloc(bl, 16);
	fc = blist_free_count(bl);
	blist_free(bl, b, 16);
	ok(WARNS(blist_free(bl, b, 16)) == 1 && blist_free_count(bl) == fc + 16,
	   "double free: exactly one warning, free count unchanged");
	ok(WARNS(blist_free(bl, b + 8, 8)) == 1 && !blist_check(bl),
	   "double free of a part: one warning");
	b = blist_alloc(bl, 8);
	fc = blist_free_count(bl);
	ok(WARNS(blist_free(bl, b, 16)) == 1 && blist_free_count(bl) == fc &&
	   !blist_block_is_free(bl, b) && !blist_check(bl),
	   "free of a half-used range: one warning, nothing freed");
	ok(WARNS(blist_free(bl, 1000, 1)) == 1 &&
	   WARNS(blist_free(bl, 999, 2)) == 1 &&
	   WARNS(blist_free(bl, BLIST_NONE, 1)) == 1 &&
	   WARNS(blist_free(bl, 0, 0)) == 1 &&
	   blist_free_count(bl) == fc && !blist_check(bl),
	   "free out of range / of 0 blocks: one warning each, no change");
	ok(WARNS(fc = blist_fill(bl, 990, 11)) == 1 && fc == 0 &&
	   WARNS(fc = blist_fill(bl, BLIST_NONE - 1, 4)) == 1 && fc == 0,
	   "fill out of range: one warning, returns 0");
	fc = blist_free_count(bl);
	ok(WARNS(b = blist_fill(bl, 0, 300)) == 1 && b == 300 - 256 - 8 &&
	   blist_free_count(bl) == fc - b && !blist_check(bl),
	   "fill over used blocks: one warning, returns newly used (%llu)",
	   (ull)b);
	ok(blist_fill(bl, 0, 0) == 0, "fill of 0 blocks is a no-op");
	shim_warn_quiet = 0;
	blist_destroy(bl);
}

/* Largest free run 99: 100 fails at the root, 99 fits. */
static void test_too_big(void)
{
	struct blist *bl = mk(100003);
	unsigned long v;
	blist_blk_t b;
	u64 i;

	for (i = 0; i < 100003; i += 100)
		blist_fill(bl, i, 1);
	ok(blist_largest_free_hint(bl) == 99, "hint is the longest run (99)");
	v = blist_stat_visits;
	b = blist_alloc(bl, 100);
	ok(b == BLIST_NONE && blist_stat_visits - v == 1,
	   "alloc(100) > longest run: NONE after %lu visit (root)",
	   blist_stat_visits - v);
	b = blist_alloc(bl, 99);
	ok(b != BLIST_NONE && b % 100 == 1, "alloc(99) fits at %llu", (ull)b);
	ok(blist_alloc(bl, BLIST_MAX_ALLOC) == BLIST_NONE,
	   "alloc(BLIST_MAX_ALLOC) NONE");
	ok(!blist_check(bl), "consistent");
	blist_destroy(bl);
}

static void test_alignment(void)
{
	struct blist *bl = mk(64);
	blist_blk_t b;

	ok(blist_alloc(bl, 1) == 0 && blist_alloc(bl, 16) == 16,
	   "alloc(1) then alloc(16): 16-aligned, not 1");
	ok(blist_alloc(bl, 3) == 32 && blist_alloc(bl, 5) == 40,
	   "alloc(3) is 4-aligned, alloc(5) 8-aligned");
	blist_destroy(bl);

	/* free 4..23: no aligned 16 free, a run of 16 is */
	bl = mk(64);
	blist_fill(bl, 0, 64);
	blist_free(bl, 4, 20);
	b = blist_alloc(bl, 16);
	ok(b == 4 || b == 8, "no aligned 16 free: unaligned fallback at %llu",
	   (ull)b);
	ok(blist_alloc(bl, 4) == (b == 4 ? 20 : 4),
	   "the remaining 4 blocks");
	ok(blist_alloc(bl, 1) == BLIST_NONE && !blist_check(bl), "then full");
	blist_destroy(bl);
}

/* Runs across chunk and meta node boundaries. */
static void test_crossing(void)
{
	u64 span = 64ULL * CHUNK_WORDS, n = span * RADIX * RADIX * 2;
	u64 edges[] = { span, span * RADIX, span * RADIX * RADIX };
	struct blist *bl = mk(n);
	blist_blk_t b;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		u64 e = edges[i];

		blist_fill(bl, 0, n);
		blist_free(bl, e - 37, 200);
		b = blist_alloc(bl, 200);
		ok(b == e - 37 && blist_free_count(bl) == 0 && !blist_check(bl),
		   "run of 200 across the boundary at %llu: got %llu",
		   (ull)e, (ull)b);
		blist_free(bl, 0, n);
		blist_fill(bl, 0, n);
		blist_free(bl, e - 3, 7);
		b = blist_alloc(bl, 7);
		ok(b == e - 3 && !blist_check(bl),
		   "run of 7 across the boundary at %llu: got %llu",
		   (ull)e, (ull)b);
		blist_free(bl, 0, n);
	}
	blist_destroy(bl);
}

static void test_next_fit(void)
{
	struct blist *bl = mk(10000);

	ok(blist_alloc(bl, 16) == 0 && blist_alloc(bl, 16) == 16 &&
	   blist_alloc(bl, 16) == 32, "three 16-block allocs: 0 16 32");
	blist_free(bl, 0, 16);
	ok(blist_alloc(bl, 16) == 48, "next-fit: after freeing 0 the next is 48");
	blist_fill(bl, 64, 10000 - 64);
	ok(blist_alloc(bl, 16) == 0, "wraps to 0 when nothing after the cursor");
	blist_free(bl, 9000, 100);
	blist_free(bl, 16, 16);
	ok(blist_alloc(bl, 16) == 16, "cursor is past 0: next one 16");
	ok(blist_alloc(bl, 16) == 9008, "then 9008 (aligned inside 9000..9099)");
	blist_destroy(bl);
}

/* 2^32 blocks: the very end, free count, memory. */
static void test_huge(void)
{
	u64 n = 1ULL << 32;
	struct blist *bl = mk(n);
	blist_blk_t b;
	double bits = blist_mem_bytes(bl) * 8.0 / n;

	ok(blist_free_count(bl) == n && blist_blocks(bl) == n,
	   "2^32: free count 2^32");
	ok(bits < MAX_BITS && (u64)shim_alloc_live_bytes == blist_mem_bytes(bl),
	   "2^32: %.4f bits per block, %zu bytes (shim agrees)", bits,
	   blist_mem_bytes(bl));
	ok(blist_fill(bl, 0, n - 16) == n - 16 && blist_free_count(bl) == 16,
	   "2^32: fill all but the last 16");
	b = blist_alloc(bl, 16);
	ok(b == n - 16 && blist_free_count(bl) == 0 &&
	   blist_alloc(bl, 1) == BLIST_NONE, "2^32: alloc(16) = 2^32 - 16");
	blist_free(bl, n - 1, 1);
	blist_free(bl, n - 4, 2);
	ok(blist_free_count(bl) == 3 && blist_alloc(bl, 2) == n - 4 &&
	   blist_alloc(bl, 1) == n - 1 && blist_alloc(bl, 1) == BLIST_NONE,
	   "2^32: frees and allocs in the last word");
	blist_free(bl, n - 300, 256);
	ok(blist_largest_free_hint(bl) == 256 &&
	   blist_alloc(bl, 256) == n - 300, "2^32: 256 blocks near the end");
	blist_free(bl, 0, 16);
	ok(blist_alloc(bl, 16) == 0 && blist_free_count(bl) == 0,
	   "2^32: and at the start");
	blist_destroy(bl);

	bl = mk(1ULL << 30);
	bits = blist_mem_bytes(bl) * 8.0 / (1ULL << 30);
	ok(bits < MAX_BITS, "1 Gi blocks: %.4f bits per block", bits);
	blist_destroy(bl);
}

static void test_alloc_counting(void)
{
	struct blist *bl;
	unsigned long calls;
	int nth, fine = 1;

	ok(shim_alloc_live == 0, "no live allocations after destroys (%ld)",
	   shim_alloc_live);
	calls = shim_alloc_calls;
	bl = mk(100000);
	calls = shim_alloc_calls - calls;
	ok(shim_alloc_live == (long)calls && calls == 3,
	   "create makes %lu allocations", calls);
	calls = shim_alloc_calls;
	blist_alloc(bl, 16);
	blist_free(bl, 0, 16);
	blist_fill(bl, 5, 5000);
	ok(shim_alloc_calls == calls && shim_alloc_live == 3,
	   "alloc/free/fill allocate nothing");
	blist_destroy(bl);
	ok(shim_alloc_live == 0 && shim_alloc_live_bytes == 0,
	   "destroy frees everything");
	for (nth = 1; nth <= 3; nth++) {
		shim_fail_nth = nth;
		bl = blist_create(100000, GFP_KERNEL);
		fine &= bl == NULL && shim_alloc_live == 0;
		blist_destroy(bl);
	}
	shim_fail_nth = 0;
	ok(fine, "create with allocation 1, 2 or 3 failing: NULL, no leak");
}

/* ---- fragmentation: failing fast, bounded visits ----------------------- */

/* The caller's fallback: 16, 8, 4, 2, 1 (swp_pager_getswapspace style). */
static blist_blk_t alloc_halving(struct blist *bl, unsigned int *count,
				 unsigned long *max_visits,
				 unsigned long *fail_visits, unsigned int *fails)
{
	blist_blk_t b;
	unsigned long v;

	for (*count = 16; *count; *count >>= 1) {
		v = blist_stat_visits;
		b = blist_alloc(bl, *count);
		v = blist_stat_visits - v;
		if (v > *max_visits)
			*max_visits = v;
		if (b != BLIST_NONE)
			return b;
		*fail_visits += v;
		(*fails)++;
	}
	return BLIST_NONE;
}

static void test_fragmented(u64 n)
{
	struct blist *bl = mk(n);
	unsigned long maxv = 0, failv = 0;
	unsigned int fails = 0, cnt, h = blist_height(bl), got16 = 0;
	unsigned int rare = 0, ones = 0, bad = 0, i;
	unsigned long bound = 2 * (2 * RADIX * (h + 1) + 2 * CHUNK_WORDS) + 1;
	blist_blk_t b;
	u64 j;

	/* every other block used, plus one aligned 16 free per 65536 */
	blist_fill(bl, 0, n);
	for (j = 0; j < n; j += 2)
		blist_free(bl, j, 1);
	for (j = 32768; j + 16 <= n; j += 65536, rare++)
		for (i = 1; i < 16; i += 2)
			blist_free(bl, j + i, 1);
	ok(!blist_check(bl) && blist_largest_free_hint(bl) == 17,
	   "n=%llu: every other block used, %u aligned 16s free", (ull)n,
	   rare);
	for (i = 0; i < rare + 1000; i++) {
		b = alloc_halving(bl, &cnt, &maxv, &failv, &fails);
		if (cnt == 16) {
			got16++;
			bad += b % 16 != 0;
		} else {
			ones += cnt == 1;
		}
	}
	ok(got16 == rare && !bad, "n=%llu: found all %u rare aligned 16s",
	   (ull)n, rare);
	ok(ones == 1000, "n=%llu: then halving 16->8->4->2->1 gets 1 block",
	   (ull)n);
	ok(fails && failv == fails,
	   "n=%llu: %u failed allocs, each decided at the root (1 visit)",
	   (ull)n, fails);
	ok(maxv <= bound,
	   "n=%llu: at most %lu visits per alloc (bound %lu, height %u)",
	   (ull)n, maxv, bound, h);
	ok(!blist_check(bl), "n=%llu: consistent", (ull)n);
	blist_destroy(bl);
}

/* ---- randomized comparison with the model ----------------------------- */

struct extent {
	u64 b;
	unsigned int c;
};

struct rtest {
	struct blist *bl;
	struct model m;
	struct extent *live;
	u64 nlive;
	u64 ops, allocs, frees, fallbacks, nones, fills;
	const char *err;
	u64 err_step;
};

static unsigned int pick_count(void)
{
	u64 r = rnd_below(100);

	if (r < 40)
		return 16;
	if (r < 55)
		return 1U << rnd_below(5);	/* 1..16 */
	if (r < 80)
		return 1 + rnd_below(16);
	if (r < 90)
		return 1 + rnd_below(64);
	if (r < 95)
		return 32U << rnd_below(2);
	return 1 + rnd_below(BLIST_MAX_ALLOC);
}

#define FAIL(t, msg) do { (t)->err = (msg); return; } while (0)

static void rt_alloc(struct rtest *t, unsigned int c)
{
	blist_blk_t b = blist_alloc(t->bl, c);
	unsigned int p = c <= BLIST_MAX_ALIGN ? pow2_up(c) : 1;

	t->allocs++;
	if (b == BLIST_NONE) {
		t->nones++;
		if (t->m.run_known && t->m.run_ub < c)
			return;
		t->m.run_ub = model_max_run(&t->m, BLIST_MAX_ALLOC);
		t->m.run_known = 1;
		if (t->m.run_ub >= c)
			FAIL(t, "NONE although the model has a fitting run");
		return;
	}
	if (b >= t->m.n || c > t->m.n - b)
		FAIL(t, "extent outside the device");
	if (!model_all_free(&t->m, b, c))
		FAIL(t, "extent not free in the model (overlap)");
	if (b % p) {
		t->fallbacks++;
		if (model_has_aligned(&t->m, p))
			FAIL(t, "unaligned although an aligned extent is free");
	}
	model_set(&t->m, b, c, 0);
	t->live[t->nlive++] = (struct extent){ b, c };
}

static void rt_free(struct rtest *t)
{
	u64 i = rnd_below(t->nlive);
	struct extent *e = &t->live[i];
	unsigned int c = e->c;

	t->frees++;
	if (c > 1 && !rnd_below(8)) {		/* free the front part only */
		c = 1 + rnd_below(c - 1);
		blist_free(t->bl, e->b, c);
		model_set(&t->m, e->b, c, 1);
		e->b += c;
		e->c -= c;
		return;
	}
	blist_free(t->bl, e->b, c);
	model_set(&t->m, e->b, c, 1);
	*e = t->live[--t->nlive];
}

static void rt_fill(struct rtest *t)
{
	u64 c = 1 + rnd_below(40), b;

	if (c > t->m.n)
		return;
	b = rnd_below(t->m.n - c + 1);
	if (!model_all_free(&t->m, b, c))
		return;
	t->fills++;
	if (blist_fill(t->bl, b, c) != c)
		FAIL(t, "fill of free blocks did not return the count");
	model_set(&t->m, b, c, 0);
	t->live[t->nlive++] = (struct extent){ b, c };
}

static void rt_full_check(struct rtest *t)
{
	u64 i, run = model_max_run(&t->m, BLIST_MAX_ALLOC);

	if (blist_check(t->bl))
		FAIL(t, "blist_check failed");
	if (blist_largest_free_hint(t->bl) != run)
		FAIL(t, "largest_free_hint differs from the model");
	for (i = 0; i < t->m.n; i++)
		if (blist_block_is_free(t->bl, i) != t->m.free[i])
			FAIL(t, "bitmap differs from the model");
}

static void rt_step(struct rtest *t, int *filling)
{
	unsigned int c;
	u64 r = rnd_below(100);

	if (t->m.nfree < t->m.n / 20 + 1)
		*filling = 0;
	else if (t->m.nfree > t->m.n * 7 / 10)
		*filling = 1;
	if (!rnd_below(64)) {
		rt_fill(t);
	} else if (t->nlive && r >= (*filling ? 75U : 25U)) {
		rt_free(t);
	} else if (!rnd_below(4)) {
		/* the caller's halving fallback */
		for (c = 16; c && !t->err; c >>= 1) {
			u64 before = t->nlive;

			rt_alloc(t, c);
			if (t->nlive != before)
				break;
		}
	} else {
		rt_alloc(t, pick_count());
	}
	if (!t->err && blist_free_count(t->bl) != t->m.nfree)
		t->err = "free count differs from the model";
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void test_random(u64 n, u64 steps, u64 seed, u64 every)
{
	struct rtest t = { 0 };
	int filling = 1;
	double t0 = now();
	u64 s;

	rng_state = seed;
	t.bl = mk(n);
	model_init(&t.m, n);
	t.live = calloc(n, sizeof(*t.live));
	for (s = 0; s < steps && !t.err; s++) {
		rt_step(&t, &filling);
		if (!t.err && (s % every == every - 1 || s + 1 == steps))
			rt_full_check(&t);
		t.err_step = s;
	}
	ok(!t.err, "random n=%llu seed=%llu: %llu steps (%llu allocs, "
	   "%llu NONE, %llu unaligned fallbacks, %llu frees, %llu fills)%s%s",
	   (ull)n, (ull)seed, (ull)s, (ull)t.allocs, (ull)t.nones,
	   (ull)t.fallbacks, (ull)t.frees, (ull)t.fills,
	   t.err ? ": " : "", t.err ? t.err : "");
	if (t.err)
		diag("failed at step %llu", (ull)t.err_step);
	diag("%.1f s", now() - t0);
	free(t.live);
	model_exit(&t.m);
	blist_destroy(t.bl);
}

int main(void)
{
	static const u64 sizes[] = { 1, 2, 63, 64, 65, 255, 257, 1000, 1023,
				     1024, 1025, 4097, 100003 };
	unsigned int i;

	tap_start();
#ifdef BLIST_TEST_DEEP
	diag("deep tree: %u-word chunks, radix %u", CHUNK_WORDS, RADIX);
#else
	diag("default tree: %u-word chunks, radix %u", CHUNK_WORDS, RADIX);
#endif
	test_create_limits();
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		test_size(sizes[i]);
	test_bad_calls();
	test_too_big();
	test_alignment();
	test_crossing();
	test_next_fit();
	test_huge();
	test_fragmented(1ULL << 18);
	test_fragmented(1ULL << 21);
	test_alloc_counting();

	/* the deep build runs other seeds: more ground covered */
	test_random(1, 20000, SEED + 1, 997);
	test_random(63, 100000, SEED + 2, 997);
	test_random(257, 300000, SEED + 3, 997);
	test_random(1000, 2000000, SEED + 4, 997);
	test_random(4097, 1200000, SEED + 5, 1999);
	test_random(70000, 700000, SEED + 6, 9973);
	test_random(100003, 200000, SEED + 7, 19997);
	test_alloc_counting();
	return tap_done();
}
