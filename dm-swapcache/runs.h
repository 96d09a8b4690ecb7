/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runs: how many blocks one read of dm-swapcache covers.
 *
 * A read is served from one place: the SSD (a run of blocks that are on
 * the SSD, contiguous there too, none staged) or the origin (a run of
 * blocks neither staged nor on the SSD).  These functions size such a run
 * from the staged-block queues and the block map; the bio code in io.c
 * then maps that much of the bio and hands the rest back to dm.
 *
 * Locking: none inside; the caller holds the lock of the queues and the
 * map (sc->lock).  Each call does at most 2 * @max lookups.
 */
#ifndef DM_SWAPCACHE_RUNS_H
#define DM_SWAPCACHE_RUNS_H

#include <linux/types.h>
#include "map.h"
#include "queues.h"

u32 sc_pin_run(struct sc_queues *q, struct sc_map *m, u64 oblock,
	       sc_cblock_t cb, u32 max);
u32 sc_miss_run(struct sc_queues *q, struct sc_map *m, u64 oblock, u32 max);

#endif /* DM_SWAPCACHE_RUNS_H */
