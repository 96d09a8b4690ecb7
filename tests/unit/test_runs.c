// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dm-swapcache/runs.c, compiled in user space against the
 * kernel shim, with a model of the queues and the block map instead of
 * queues.c and map.c: a cache of 2^32 - 1 blocks, whose top cblocks the
 * SSD-run code must handle, needs ~45 GiB of real map.  Output is TAP.
 *
 * The model: a few origin blocks, each staged or not, and with or without
 * an SSD copy at a given cblock with a pin count (sc_map_get() refuses
 * beyond SC_MAP_MAX_PINS, as map.c does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>
#include "shim.h"
#include "testlib.h"
#include "runs.h"

typedef unsigned long long ull;

#define NB	32

struct blk {
	bool staged;
	bool present;
	sc_cblock_t cb;
	unsigned int pins;
};

/* Blocks oblock BASE .. BASE + NB - 1 of the model; others are misses. */
#define BASE	1000ULL
static struct blk blk[NB];
static struct sc_stage fake_stage;
static unsigned int bad_puts;

static struct blk *blk_of(u64 oblock)
{
	return oblock >= BASE && oblock < BASE + NB ? &blk[oblock - BASE] :
						      NULL;
}

struct sc_stage *sc_queues_lookup(struct sc_queues *q, u64 oblock)
{
	struct blk *b = blk_of(oblock);

	(void)q;
	return b && b->staged ? &fake_stage : NULL;
}

bool sc_map_present(struct sc_map *m, u64 oblock)
{
	struct blk *b = blk_of(oblock);

	(void)m;
	return b && b->present;
}

sc_cblock_t sc_map_get(struct sc_map *m, u64 oblock)
{
	struct blk *b = blk_of(oblock);

	(void)m;
	if (!b || !b->present || b->pins >= SC_MAP_MAX_PINS)
		return SC_CBLOCK_NONE;
	b->pins++;
	return b->cb;
}

void sc_map_put(struct sc_map *m, sc_cblock_t cb)
{
	int i;

	(void)m;
	for (i = 0; i < NB; i++) {
		if (blk[i].present && blk[i].cb == cb && blk[i].pins) {
			blk[i].pins--;
			return;
		}
	}
	bad_puts++;
}

static void reset(void)
{
	memset(blk, 0, sizeof(blk));
	bad_puts = 0;
}

/* Blocks [first, first + n) of the model on the SSD at cblock cb... */
static void on_ssd(int first, int n, sc_cblock_t cb)
{
	int i;

	for (i = 0; i < n; i++) {
		blk[first + i].present = true;
		blk[first + i].cb = cb + i;
	}
}

static unsigned int pins_total(void)
{
	unsigned int i, t = 0;

	for (i = 0; i < NB; i++)
		t += blk[i].pins;
	return t;
}

/* The caller's pin of the first block, as sc_map_read() takes it. */
static sc_cblock_t first_pin(int i)
{
	return sc_map_get(NULL, BASE + i);
}

static void test_pin_run_basic(void)
{
	sc_cblock_t cb;
	u32 n;

	reset();
	on_ssd(0, 20, 5000);
	cb = first_pin(0);
	n = sc_pin_run(NULL, NULL, BASE, cb, 16);
	ok(n == 16 && pins_total() == 16,
	   "pin run: 16 contiguous copies, max 16: n %u, %u pins", n,
	   pins_total());

	reset();
	on_ssd(0, 4, 5000);
	on_ssd(4, 4, 9000);
	cb = first_pin(0);
	n = sc_pin_run(NULL, NULL, BASE, cb, 16);
	ok(n == 4 && pins_total() == 4 && !bad_puts,
	   "pin run: stops where the SSD copies stop being contiguous, the misfit unpinned: n %u, %u pins",
	   n, pins_total());

	reset();
	on_ssd(0, 8, 5000);
	blk[3].staged = true;
	cb = first_pin(0);
	n = sc_pin_run(NULL, NULL, BASE, cb, 16);
	ok(n == 3 && pins_total() == 3,
	   "pin run: stops at a staged block: n %u", n);

	reset();
	on_ssd(0, 8, 5000);
	blk[2].pins = SC_MAP_MAX_PINS;
	cb = first_pin(0);
	n = sc_pin_run(NULL, NULL, BASE, cb, 16);
	ok(n == 2 && pins_total() == 2 + SC_MAP_MAX_PINS,
	   "pin run: stops at a block that cannot take another pin: n %u", n);
}

/*
 * The top of a cache of 2^32 - 1 blocks: cblocks U32_MAX - 2 and
 * U32_MAX - 1 are the last ones.  The block after them cannot be pinned
 * (sc_map_get() returns SC_CBLOCK_NONE, which is cb + 2 in u32), and the
 * next one sits at cblock 0 (cb + 3 in u32).  Neither may join the run.
 */
static void test_pin_run_top(void)
{
	sc_cblock_t top = SC_CBLOCK_NONE - 2, cb;
	u32 n;

	reset();
	on_ssd(0, 2, top);
	blk[2].present = true;
	blk[2].cb = 7;
	blk[2].pins = SC_MAP_MAX_PINS;
	blk[3].present = true;
	blk[3].cb = 0;
	blk[4].present = true;
	blk[4].cb = 1;
	cb = first_pin(0);
	n = sc_pin_run(NULL, NULL, BASE, cb, 16);
	ok(n == 2, "pin run at the top of the cblock range: 2 blocks (got %u)",
	   n);
	ok(blk[3].pins == 0 && blk[4].pins == 0 && !bad_puts,
	   "pin run at the top: cblocks 0 and 1 not pinned (pins %u %u, bad puts %u)",
	   blk[3].pins, blk[4].pins, bad_puts);

	/* The last cblock itself: nothing can follow it. */
	reset();
	on_ssd(0, 1, SC_CBLOCK_NONE - 1);
	blk[1].present = true;
	blk[1].cb = 0;
	cb = first_pin(0);
	n = sc_pin_run(NULL, NULL, BASE, cb, 16);
	ok(n == 1 && blk[1].pins == 0 && !bad_puts,
	   "pin run from the last cblock: 1 block, cblock 0 not pinned (n %u, pins %u)",
	   n, blk[1].pins);
}

static void test_miss_run(void)
{
	u32 n;

	reset();
	on_ssd(0, 1, 5000);
	n = sc_miss_run(NULL, NULL, BASE - 8, 64);
	ok(n == 8, "miss run: up to the first block with a copy: %u", n);
	blk[5].staged = true;
	n = sc_miss_run(NULL, NULL, BASE, 64);
	ok(n == 5, "miss run: up to the first staged block: %u", n);
	n = sc_miss_run(NULL, NULL, BASE + 100, 64);
	ok(n == 64, "miss run: at most max blocks: %u", n);
	n = sc_miss_run(NULL, NULL, BASE + 100, 1);
	ok(n == 1, "miss run of max 1: %u", n);
}

int main(void)
{
	tap_start();
	test_pin_run_basic();
	test_pin_run_top();
	test_miss_run();
	return tap_done();
}
