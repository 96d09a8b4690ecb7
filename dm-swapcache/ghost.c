// SPDX-License-Identifier: GPL-2.0
/*
 * ghost.c - the ghost table (see ghost.h).
 *
 * The slot comes from hash_64() of the block number, the tag from a
 * different, non-linear mix of it (two linear hashes would let blocks at
 * some distances share both), so blocks that share a slot almost never
 * share a tag.  Bit 0 of every tag is set, which keeps 0 free to mean an
 * empty slot.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "ghost.h"

/* The finaliser of splitmix64: every input bit moves every output bit. */
static u32 sc_ghost_tag(u64 x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (u32)(x ^ (x >> 31)) | 1;
}

static unsigned int sc_ghost_bits(u64 blocks)
{
	unsigned int bits = SC_GHOST_MIN_BITS;

	while (bits < SC_GHOST_MAX_BITS && (1ULL << bits) < blocks)
		bits++;
	return bits;
}

/**
 * sc_ghost_mem_need() - bytes sc_ghost_init() would allocate
 * @blocks: as given to sc_ghost_init()
 *
 * Return: the size of the slot array, by arithmetic only.
 */
u64 sc_ghost_mem_need(u64 blocks)
{
	return sizeof(u32) << sc_ghost_bits(blocks);
}

/**
 * sc_ghost_init() - allocate an empty ghost table
 * @g: the table
 * @blocks: drops to remember, about (rounded up to a power of two, bounded
 *	by SC_GHOST_MIN_BITS and SC_GHOST_MAX_BITS)
 * @gfp: for the allocation
 *
 * Return: 0, or -ENOMEM.
 */
int sc_ghost_init(struct sc_ghost *g, u64 blocks, gfp_t gfp)
{
	unsigned int bits = sc_ghost_bits(blocks);

	g->bits = bits;
	g->slots = kvcalloc(1UL << bits, sizeof(*g->slots), gfp);
	return g->slots ? 0 : -ENOMEM;
}

/**
 * sc_ghost_exit() - free the table; safe after a failed sc_ghost_init()
 * @g: the table
 */
void sc_ghost_exit(struct sc_ghost *g)
{
	kvfree(g->slots);
	g->slots = NULL;
}

/**
 * sc_ghost_add() - remember that @oblock left RAM without an SSD copy
 * @g: the table
 * @oblock: the origin block dropped
 *
 * Overwrites whatever block shared its slot.
 */
void sc_ghost_add(struct sc_ghost *g, u64 oblock)
{
	g->slots[hash_64(oblock, g->bits)] = sc_ghost_tag(oblock);
}

/**
 * sc_ghost_take() - was @oblock dropped recently?  If so, forget it
 * @g: the table
 * @oblock: the origin block being staged
 *
 * Return: true when @oblock's tag was in its slot (now emptied).
 */
bool sc_ghost_take(struct sc_ghost *g, u64 oblock)
{
	u32 *slot = &g->slots[hash_64(oblock, g->bits)];

	if (*slot != sc_ghost_tag(oblock))
		return false;
	*slot = 0;
	return true;
}

size_t sc_ghost_mem_bytes(const struct sc_ghost *g)
{
	return sizeof(*g->slots) << g->bits;
}
