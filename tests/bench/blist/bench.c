// SPDX-License-Identifier: GPL-2.0
/*
 * bench.c - dm-swapcache/blist.c against a plain bitmap with a linear
 * next-fit scan, same semantics, same states, same run.
 *
 * Built by the Makefile here with -O2, no sanitizers, against the unit
 * test shim.  blist.c is #included (not linked) so that the states can be
 * loaded straight into its bitmap and its summaries rebuilt in one pass
 * (bl_update); calling blist_fill()/blist_free() per extent would take
 * minutes at 1 Gi blocks.  Everything timed goes through the public API.
 *
 * States (bit set = free), rebuilt per device size:
 *   random  alternating used and free runs of 1..16 blocks (uniform),
 *           so ~50% used and no free run longer than 16;
 *   frag    every other block used, plus one free 16-aligned 16-block
 *           extent at a random place in every 2^20 blocks;
 *   frag0   every other block used, nothing else: the steady state of
 *           "frag" once the rare extents are held by the cache.
 *
 * Requests:
 *   16h     the caller's halving fallback: try 16, then 8, 4, 2, 1
 *           (FreeBSD swp_pager_getswapspace() style);
 *   1       single blocks.
 *
 * One op = one request (all its halving attempts) plus freeing the extent
 * it got, at once, so the state stays the same and only the next-fit
 * cursor moves.  In "frag", 16h therefore always finds one of the rare
 * aligned extents, which the linear scan must reach by scanning ~2^20
 * blocks.  In "frag0", 16h must halve down to 1: blist's root answers
 * "no" to 16, 8, 4 and 2 at once, the linear scan has to scan the whole
 * device twice (aligned, then any run) for each of them.  In "random",
 * free runs are 1..16 blocks and aligned 16s are common.
 *
 * Each row runs blist for up to 1 s (or 2M ops) and the linear scan for
 * up to 2 s, and prints ops per second for both and their ratio.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "blist.c"

typedef unsigned long long ull;

/* ---- utilities --------------------------------------------------------- */

static u64 rng = 0x2545f4914f6cdd1dULL;

static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void bits_set(u64 *w, u64 b, u64 c, int fr)
{
	while (c) {
		unsigned int off = b & 63;
		u64 len = 64 - off < c ? 64 - off : c;
		u64 m = (len == 64 ? ~0ULL : (1ULL << len) - 1) << off;

		if (fr)
			w[b >> 6] |= m;
		else
			w[b >> 6] &= ~m;
		b += len;
		c -= len;
	}
}

/* ---- the competitor: one bitmap, next-fit linear scan ------------------ */

struct lin {
	u64 *w, n, nwords, cursor;
};

/* First block >= from (in words [w0, w1)) starting a free aligned 2^k. */
static u64 lin_aligned(const struct lin *l, u64 from, u64 to, unsigned int k)
{
	u64 wi, x, first = ~0ULL << (from & 63);
	unsigned int s;

	for (wi = from >> 6; wi < (to + 63) >> 6; wi++, first = ~0ULL) {
		x = l->w[wi] & first;
		for (s = 0; s < k && x; s++)
			x &= (x >> (1U << s)) & bl_align_pattern[s + 1];
		if (x)
			return (wi << 6) + __builtin_ctzll(x);
	}
	return BLIST_NONE;
}

/* First run of c free blocks starting at or after from. */
static u64 lin_run(const struct lin *l, u64 from, unsigned int c)
{
	u64 wi, x, run = 0, first = ~0ULL << (from & 63), m;
	unsigned int have, step;

	for (wi = from >> 6; wi < l->nwords; wi++, first = ~0ULL) {
		x = l->w[wi] & first;
		if (x == ~0ULL) {
			run += 64;
			if (run >= c)
				return ((wi + 1) << 6) - run;
			continue;
		}
		if (run + __builtin_ctzll(~x) >= c)
			return (wi << 6) - run;
		for (m = x, have = 1; have < c && m; have += step) {
			step = have < c - have ? have : c - have;
			m &= m >> step;
		}
		if (c < 64 && m)
			return (wi << 6) + __builtin_ctzll(m);
		run = __builtin_clzll(~x);
	}
	return BLIST_NONE;
}

static u64 lin_alloc(struct lin *l, unsigned int c)
{
	u64 b = BLIST_NONE;
	unsigned int k = 0;

	while ((1U << k) < c)
		k++;
	if (c <= 64) {
		b = lin_aligned(l, l->cursor, l->n, k);
		if (b == BLIST_NONE)
			b = lin_aligned(l, 0, l->n, k);
	}
	if (b == BLIST_NONE)
		b = lin_run(l, l->cursor, c);
	if (b == BLIST_NONE)
		b = lin_run(l, 0, c);
	if (b == BLIST_NONE)
		return b;
	bits_set(l->w, b, c, 0);
	l->cursor = b + c < l->n ? b + c : 0;
	return b;
}

static void lin_free(struct lin *l, u64 b, unsigned int c)
{
	bits_set(l->w, b, c, 1);
}

/* ---- states -------------------------------------------------------------- */

static void make_random(u64 *w, u64 n)
{
	u64 b = 0, c;

	memset(w, 0, ((n + 63) >> 6) * 8);
	while (b < n) {
		b += 1 + rnd() % 16;		/* used */
		c = 1 + rnd() % 16;		/* free */
		if (b >= n)
			break;
		if (c > n - b)
			c = n - b;
		bits_set(w, b, c, 1);
		b += c;
	}
}

static void make_frag(u64 *w, u64 n, int rare)
{
	u64 i, per = 1ULL << 20;

	for (i = 0; i < (n + 63) >> 6; i++)
		w[i] = 0x5555555555555555ULL;
	for (i = 0; rare && i < n; i += per) {
		u64 span = n - i < per ? n - i : per;

		bits_set(w, i + (rnd() % (span / 16)) * 16, 16, 1);
	}
}

static struct blist *blist_load(const u64 *w, u64 n)
{
	struct blist *bl = blist_create(n, GFP_KERNEL);
	u64 i, nfree = 0;

	if (!bl) {
		fprintf(stderr, "blist_create(%llu) failed\n", (ull)n);
		exit(1);
	}
	memcpy(bl->map, w, ((n + 63) >> 6) * 8);
	for (i = 0; i < (n + 63) >> 6; i++)
		nfree += __builtin_popcountll(w[i]);
	bl->free = nfree;
	bl_update(bl, 0, bl->nchunks - 1, true);
	return bl;
}

/* ---- timing ---------------------------------------------------------------- */

#define OP(alloc, freefn, obj, req) do {				\
	unsigned int __c = (req) == 1 ? 1 : 16;				\
	u64 __b = BLIST_NONE;						\
	for (; __c; __c >>= 1) {					\
		__b = alloc(obj, __c);					\
		if (__b != BLIST_NONE)					\
			break;						\
	}								\
	if (__b == BLIST_NONE) {					\
		fprintf(stderr, "device full?\n");			\
		exit(1);						\
	}								\
	freefn(obj, __b, __c);						\
} while (0)

static double run_blist(struct blist *bl, unsigned int req, double limit)
{
	double t0 = now(), t;
	u64 ops = 0;

	do {
		for (int i = 0; i < 1000; i++)
			OP(blist_alloc, blist_free, bl, req);
		ops += 1000;
		t = now() - t0;
	} while (t < limit && ops < 2000000);
	return ops / t;
}

static double run_lin(struct lin *l, unsigned int req, double limit)
{
	double t0 = now(), t;
	u64 ops = 0;

	do {
		OP(lin_alloc, lin_free, l, req);
		ops++;
		t = now() - t0;
	} while (t < limit && ops < 2000000);
	return ops / t;
}

int main(int argc, char **argv)
{
	static const u64 sizes[] = { 1ULL << 20, 1ULL << 26, 1ULL << 30 };
	static const char *const states[] = { "random", "frag", "frag0" };
	double blim = argc > 1 ? atof(argv[1]) : 1.0;
	double llim = argc > 2 ? atof(argv[2]) : 2.0;
	unsigned int si, st, r;

	printf("blist vs linear bitmap scan; one op = alloc + free; "
	       "blist <= %.1f s, linear <= %.1f s per row\n\n", blim, llim);
	printf("%-6s %-6s %-4s %14s %14s %10s %10s\n", "blocks", "state",
	       "req", "blist ops/s", "linear ops/s", "ratio", "bits/blk");
	for (si = 0; si < 3; si++) {
		u64 n = sizes[si], nw = (n + 63) >> 6;
		u64 *ref = malloc(nw * 8);
		struct lin l = { .w = malloc(nw * 8), .n = n, .nwords = nw };

		for (st = 0; st < 3; st++) {
			struct blist *bl;
			double bits;

			if (st == 0)
				make_random(ref, n);
			else
				make_frag(ref, n, st == 1);
			bl = blist_load(ref, n);
			bits = blist_mem_bytes(bl) * 8.0 / n;
			memcpy(l.w, ref, nw * 8);
			for (r = 0; r < 2; r++) {
				unsigned int req = r ? 1 : 16;
				double a, b;

				bl->cursor = 0;
				l.cursor = 0;
				a = run_blist(bl, req, blim);
				b = run_lin(&l, req, llim);
				printf("%-6s %-6s %-4s %14.0f %14.1f %9.1fx %10.4f\n",
				       n == 1ULL << 20 ? "1Mi" :
				       n == 1ULL << 26 ? "64Mi" : "1Gi",
				       states[st], req == 1 ? "1" : "16h", a, b,
				       a / b, bits);
				fflush(stdout);
			}
			blist_destroy(bl);
		}
		free(ref);
		free(l.w);
	}
	return 0;
}
