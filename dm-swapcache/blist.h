/* SPDX-License-Identifier: GPL-2.0 */
/*
 * blist: SSD space allocator for dm-swapcache.
 *
 * A radix bitmap allocator of fixed-size blocks with summary levels, so
 * that alloc and free are O(log N) and never allocate memory.  The design
 * essay is at the top of blist.c.
 *
 * Locking: none inside.  The caller serialises every call on one blist
 * (the target holds a spinlock around it); alloc, free, fill and the
 * queries never sleep and never allocate.  Only blist_create() allocates.
 *
 * Memory: about 1.03 bits per block (one bit per block plus a 32-bit
 * summary per 1024 blocks plus ~1/15 of that for the upper levels), i.e.
 * ~0.129 bytes per block; blist_mem_bytes() gives the exact figure.
 */
#ifndef DM_SWAPCACHE_BLIST_H
#define DM_SWAPCACHE_BLIST_H

#include <linux/types.h>
#include <linux/bits.h>

typedef u64 blist_blk_t;

/* "No block": returned by blist_alloc() when nothing fits. */
#define BLIST_NONE		((blist_blk_t)~0ULL)

/* Largest count blist_alloc() accepts. */
#define BLIST_MAX_ALLOC		256U

/*
 * Requests of up to this many blocks are rounded up to a power of two p
 * and placed p-aligned whenever a free p-aligned p-block extent exists.
 */
#define BLIST_MAX_ALIGN		64U

/* Largest device blist_create() accepts (2^33 blocks, 1 GiB of bitmap). */
#define BLIST_MAX_BLOCKS	BIT_ULL(33)

struct blist;

struct blist *blist_create(blist_blk_t blocks, gfp_t gfp);
void blist_destroy(struct blist *bl);

blist_blk_t blist_alloc(struct blist *bl, unsigned int count);
void blist_free(struct blist *bl, blist_blk_t blk, unsigned int count);
blist_blk_t blist_fill(struct blist *bl, blist_blk_t blk, blist_blk_t count);

blist_blk_t blist_free_count(const struct blist *bl);
blist_blk_t blist_blocks(const struct blist *bl);
unsigned int blist_largest_free_hint(const struct blist *bl);
size_t blist_mem_bytes(const struct blist *bl);
u64 blist_mem_need(blist_blk_t blocks);

#ifdef BLIST_STATS
/* Summaries and bitmap words examined by searches (test builds only). */
extern unsigned long blist_stat_visits;
#endif

#ifdef BLIST_DEBUG
/* Test builds only: peek at one block, recheck every summary. */
bool blist_block_is_free(const struct blist *bl, blist_blk_t blk);
int blist_check(const struct blist *bl);
unsigned int blist_height(const struct blist *bl);
#endif

#endif /* DM_SWAPCACHE_BLIST_H */
