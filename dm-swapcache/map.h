/* SPDX-License-Identifier: GPL-2.0 */
/*
 * map: the block map of dm-swapcache.
 *
 * Which cache block (cblock) holds a valid copy of which origin block
 * (oblock), the SSD space allocator behind it, and the clock the cleaner
 * uses.  The design essay is at the top of map.c.
 *
 * Locking: none inside.  The caller holds one spinlock around every call;
 * no function here sleeps or allocates except sc_map_create() and
 * sc_map_destroy(), and every other call does bounded work.
 *
 * Memory: 6 bytes of reverse map + 4 * 10/9 bytes of hash table + ~0.13
 * bytes of blist = ~10.57 bytes per cache block; sc_map_mem_bytes() gives
 * the exact figure.
 */
#ifndef DM_SWAPCACHE_MAP_H
#define DM_SWAPCACHE_MAP_H

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/limits.h>
#include "ckpt.h"

/* A cache block number; SC_CBLOCK_NONE means "no block". */
typedef u32 sc_cblock_t;
#define SC_CBLOCK_NONE		U32_MAX

/* Largest cache: every cblock is below SC_CBLOCK_NONE. */
#define SC_MAP_MAX_BLOCKS	((u64)U32_MAX)
/* Origin blocks are below 2^40 (4 PiB with 4 KiB blocks). */
#define SC_MAP_OBLOCK_BITS	40
#define SC_MAP_MAX_OBLOCKS	BIT_ULL(SC_MAP_OBLOCK_BITS)
/* Largest extent sc_map_alloc() hands out: one 16-block cluster. */
#define SC_MAP_MAX_ALLOC	16U
/* Readers that may pin one cblock at once; sc_map_get() fails beyond. */
#define SC_MAP_MAX_PINS		7U
/* cblocks per group of the changed bitmap: a checkpoint page's (ckpt.h) */
#define SC_MAP_GROUP		SC_CKPT_ENTRIES

struct sc_map;

struct sc_map_stats {
	u64 installed;		/* copies made visible */
	u64 invalidated;	/* copies hidden by sc_map_invalidate() */
	u64 cleaned;		/* copies freed by sc_map_clean() */
	u64 dropped;		/* copies hidden by sc_map_drop() */
	u64 freed_unread;	/* copies that went away never read */
};

struct sc_map *sc_map_create(u64 cache_blocks, gfp_t gfp);
void sc_map_destroy(struct sc_map *m);

sc_cblock_t sc_map_alloc(struct sc_map *m, unsigned int want,
			 unsigned int *got);
void sc_map_install(struct sc_map *m, sc_cblock_t cb, u64 oblock);
void sc_map_release(struct sc_map *m, sc_cblock_t cb);

sc_cblock_t sc_map_get(struct sc_map *m, u64 oblock);
void sc_map_put(struct sc_map *m, sc_cblock_t cb);
void sc_map_drop(struct sc_map *m, sc_cblock_t cb);
bool sc_map_present(struct sc_map *m, u64 oblock);
void sc_map_touch(struct sc_map *m, u64 oblock);

bool sc_map_entry(const struct sc_map *m, sc_cblock_t cb, u64 *oblock,
		  bool *ref);
bool sc_map_restore(struct sc_map *m, sc_cblock_t cb, u64 oblock, bool ref);
bool sc_map_group_changed(const struct sc_map *m, u64 group);
void sc_map_group_set(struct sc_map *m, u64 group, bool changed);
u64 sc_map_changes(const struct sc_map *m);

u64 sc_map_invalidate(struct sc_map *m, u64 first, u64 count);
u64 sc_map_clean(struct sc_map *m, u64 max_free, u64 max_scan);

u64 sc_map_used(const struct sc_map *m);
u64 sc_map_valid(const struct sc_map *m);
u64 sc_map_blocks(const struct sc_map *m);
size_t sc_map_mem_bytes(const struct sc_map *m);
u64 sc_map_mem_need(u64 cache_blocks);
void sc_map_get_stats(const struct sc_map *m, struct sc_map_stats *st);

#ifdef SC_MAP_DEBUG
/* Test builds only.  State of one cblock, as flags: */
#define SC_MAP_S_FREE		0
#define SC_MAP_S_ALLOC		0x01
#define SC_MAP_S_VALID		0x02
#define SC_MAP_S_DOOMED		0x04
#define SC_MAP_S_REF		0x08
#define SC_MAP_S_UNREAD		0x10
unsigned int sc_map_cb_state(const struct sc_map *m, sc_cblock_t cb,
			     u64 *oblock, unsigned int *pins);
/* Home slot of @oblock and the table size (to craft collisions). */
u64 sc_map_home(const struct sc_map *m, u64 oblock);
u64 sc_map_nslots(const struct sc_map *m);
/* Clock hand position. */
u64 sc_map_hand(const struct sc_map *m);
/* Recheck every invariant, O(blocks); 0 if sound, else a line number. */
int sc_map_check(const struct sc_map *m, u64 *max_disp);
#endif

#endif /* DM_SWAPCACHE_MAP_H */
