// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dm-swapcache/ghost.c, compiled in user space against the
 * kernel shim with ASan and UBSan.  Output is TAP.
 *
 *  - sizing: powers of two between the bounds, allocation failure;
 *  - add/take: a dropped block is found once, an unseen one never, a
 *    slot keeps the newest of two colliding blocks;
 *  - memory of recent drops: after adding N distinct blocks to a table of
 *    N slots, most of the last N/4 are still found (a direct-mapped table
 *    keeps about 1/e of N drops in all, the newest first);
 *  - false positives: a million never-added blocks against a full table.
 */
#include <stdio.h>
#include <stdlib.h>

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/hash.h>
#include "testlib.h"
#include "ghost.h"

static void test_sizing(void)
{
	struct sc_ghost g;

	ok(!sc_ghost_init(&g, 0, GFP_KERNEL) && g.bits == SC_GHOST_MIN_BITS,
	   "0 blocks: the smallest table");
	sc_ghost_exit(&g);
	ok(!sc_ghost_init(&g, 1000, GFP_KERNEL) && g.bits == 10 &&
	   sc_ghost_mem_bytes(&g) == 4096, "1000 blocks: 1024 slots, 4 KiB");
	sc_ghost_exit(&g);
	ok(!sc_ghost_init(&g, 1024, GFP_KERNEL) && g.bits == 10,
	   "1024 blocks: 1024 slots");
	sc_ghost_exit(&g);
	ok(!sc_ghost_init(&g, 1ULL << 40, GFP_KERNEL) &&
	   g.bits == SC_GHOST_MAX_BITS, "2^40 blocks: capped at 2^24 slots");
	sc_ghost_exit(&g);
	ok(g.slots == NULL, "exit clears the table");
	ok(sc_ghost_mem_need(0) == 4 << SC_GHOST_MIN_BITS &&
	   sc_ghost_mem_need(1000) == 4096 &&
	   sc_ghost_mem_need(1ULL << 40) == 4ULL << SC_GHOST_MAX_BITS,
	   "mem_need: the bytes init allocates, within the bounds");
	shim_fail_nth = 1;
	ok(sc_ghost_init(&g, 100, GFP_KERNEL) == -ENOMEM && !g.slots,
	   "allocation failure: -ENOMEM");
	shim_fail_nth = 0;
}

static void test_add_take(void)
{
	struct sc_ghost g;
	u64 a = 12345, b;
	int i;

	sc_ghost_init(&g, 64, GFP_KERNEL);
	ok(!sc_ghost_take(&g, a), "empty table: not found");
	sc_ghost_add(&g, a);
	ok(sc_ghost_take(&g, a), "dropped block found");
	ok(!sc_ghost_take(&g, a), "found once only");
	ok(!sc_ghost_take(&g, 0) && !sc_ghost_take(&g, U64_MAX),
	   "block 0 and 2^64 - 1 never added: not found");
	sc_ghost_add(&g, 0);
	sc_ghost_add(&g, (1ULL << 40) - 1);
	ok(sc_ghost_take(&g, 0) || hash_64(0, g.bits) ==
	   hash_64((1ULL << 40) - 1, g.bits), "block 0 can be remembered");
	/* Find a block colliding with a. */
	for (b = a + 1; hash_64(b, g.bits) != hash_64(a, g.bits); b++)
		;
	sc_ghost_add(&g, a);
	sc_ghost_add(&g, b);
	ok(sc_ghost_take(&g, b) && !sc_ghost_take(&g, a),
	   "a colliding newer drop replaces the older");
	for (i = 0; i < 64; i++)
		sc_ghost_add(&g, a);
	ok(sc_ghost_take(&g, a) && !sc_ghost_take(&g, a),
	   "added many times, found once");
	sc_ghost_exit(&g);
}

static void test_recency(void)
{
	const u64 n = 1 << 16;
	struct sc_ghost g;
	u64 i, found = 0, all = 0;

	sc_ghost_init(&g, n, GFP_KERNEL);
	rng_state = 7;
	for (i = 0; i < n; i++)
		sc_ghost_add(&g, i * 7919);
	for (i = n - n / 4; i < n; i++)
		found += sc_ghost_take(&g, i * 7919);
	diag("last quarter: %llu of %llu found", (unsigned long long)found,
	     (unsigned long long)(n / 4));
	ok(found * 100 >= (n / 4) * 85,
	   "at least 85%% of the newest quarter remembered");
	for (i = 0; i < n - n / 4; i++)
		all += sc_ghost_take(&g, i * 7919);
	diag("older three quarters: %llu found", (unsigned long long)all);
	ok(all + found <= n && all + found >= n / 2,
	   "in all between n/2 and n remembered (%llu)",
	   (unsigned long long)(all + found));
	sc_ghost_exit(&g);
}

static void test_false_positives(void)
{
	const u64 n = 1 << 16;
	struct sc_ghost g;
	u64 i, fp = 0;

	sc_ghost_init(&g, n, GFP_KERNEL);
	for (i = 0; i < 4 * n; i++)
		sc_ghost_add(&g, rnd() & ((1ULL << 40) - 1));
	for (i = 0; i < 1000000; i++)
		fp += sc_ghost_take(&g, (1ULL << 40) + i);
	ok(fp <= 2, "a million blocks never added: %llu false hits",
	   (unsigned long long)fp);
	sc_ghost_exit(&g);
}

int main(void)
{
	tap_start();
	test_sizing();
	test_add_take();
	test_recency();
	test_false_positives();
	return tap_done();
}
