// SPDX-License-Identifier: GPL-2.0
/*
 * runs.c - the extent of one read of dm-swapcache: a run of SSD hits,
 * pinned, or a run of misses.  Pure logic over the queues (queues.c) and
 * the block map (map.c): no bios, no locks, no allocation; the unit test
 * compiles it against a small model of both.
 *
 * SSD runs
 *	The first block of the run is already pinned at cblock @cb by the
 *	caller.  Block oblock + n joins the run if it is not staged (a RAM
 *	copy is served from RAM), has an SSD copy, and that copy sits at
 *	cblock cb + n, so that one SSD bio reads the run.  sc_map_get()
 *	pins the copy it finds; a copy that does not fit is unpinned again.
 *	sc_map_get() returns SC_CBLOCK_NONE when it cannot pin (the block
 *	has SC_MAP_MAX_PINS readers), which ends the run.  The comparison
 *	with cb + n is made in 64 bits: cblocks are u32, and a run at the
 *	top of a cache of 2^32 - 1 blocks must neither take SC_CBLOCK_NONE
 *	(U32_MAX) for the cblock after U32_MAX - 1 nor wrap to cblock 0.
 *
 * Miss runs
 *	Blocks neither staged nor on the SSD, read from the origin in one
 *	piece.  The caller bounds @max: the lookups are made under the
 *	engine's spinlock with interrupts off.
 */
#include "runs.h"

/**
 * sc_pin_run() - size a read hit's run on the SSD, pinning it
 * @q: the staged blocks
 * @m: the block map
 * @oblock: first origin block of the read, already pinned at @cb
 * @cb: its cblock
 * @max: blocks the read covers at most
 *
 * Extends the run over the blocks after @oblock that are not staged and
 * whose SSD copies follow @cb contiguously, pinning each.
 *
 * Context: the caller holds sc->lock.
 * Return: the run's length, 1..@max; every block of it is pinned.
 */
u32 sc_pin_run(struct sc_queues *q, struct sc_map *m, u64 oblock,
	       sc_cblock_t cb, u32 max)
{
	sc_cblock_t next;
	u32 n = 1;

	while (n < max && !sc_queues_lookup(q, oblock + n) &&
	       sc_map_present(m, oblock + n)) {
		next = sc_map_get(m, oblock + n);
		if (next == SC_CBLOCK_NONE)
			break;
		if ((u64)next != (u64)cb + n) {
			sc_map_put(m, next);
			break;
		}
		n++;
	}
	return n;
}

/**
 * sc_miss_run() - size a read miss's run on the origin
 * @q: the staged blocks
 * @m: the block map
 * @oblock: first origin block of the read, neither staged nor on the SSD
 * @max: blocks the read covers at most
 *
 * Context: the caller holds sc->lock.
 * Return: the number of blocks from @oblock, 1..@max, neither staged nor
 * on the SSD.
 */
u32 sc_miss_run(struct sc_queues *q, struct sc_map *m, u64 oblock, u32 max)
{
	u32 n = 1;

	while (n < max && !sc_queues_lookup(q, oblock + n) &&
	       !sc_map_present(m, oblock + n))
		n++;
	return n;
}
