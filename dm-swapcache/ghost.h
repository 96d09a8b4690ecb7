/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ghost.h - the ghost table of dm-swapcache: which origin blocks recently
 * left RAM without reaching the SSD, so that a block read again soon after
 * counts as read twice (min_reads) although its first copy is gone.
 *
 * A direct-mapped table of 32-bit tags: a block hashes to one slot and
 * leaves its tag there, overwriting whatever older block was there, so the
 * table remembers roughly the last (slots) drops.  A lookup that finds the
 * tag takes it out.  Two blocks share a tag with odds of 2^-31, which
 * only ever lets one more block onto the SSD.
 *
 * Pure code: no locking (the caller serialises), allocation only in
 * sc_ghost_init().  4 bytes a slot.
 */
#ifndef DM_SWAPCACHE_GHOST_H
#define DM_SWAPCACHE_GHOST_H

#include <linux/types.h>
#include <linux/gfp.h>

#define SC_GHOST_MIN_BITS	6
#define SC_GHOST_MAX_BITS	24

struct sc_ghost {
	u32 *slots;		/* 0 = empty, else a block's tag */
	unsigned int bits;
};

int sc_ghost_init(struct sc_ghost *g, u64 blocks, gfp_t gfp);
void sc_ghost_exit(struct sc_ghost *g);

void sc_ghost_add(struct sc_ghost *g, u64 oblock);

bool sc_ghost_take(struct sc_ghost *g, u64 oblock);

/* Bytes allocated. */
size_t sc_ghost_mem_bytes(const struct sc_ghost *g);
u64 sc_ghost_mem_need(u64 blocks);

#endif
