/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swapcache.h - the per-target state of dm-swapcache and what the files of
 * the module share.
 *
 * Glossary
 *   origin      the slow device (HDD) that always holds the data
 *   cache       the fast device (SSD) that holds copies of clean blocks
 *   block       the unit of caching, block_size bytes (default 4 KiB)
 *   oblock      a block number on the origin
 *   cblock      a block number on the cache device
 *
 * Locking key, at the end of each field's comment:
 *   C  set in the constructor, never changed after it
 *   K  written under knob_lock, read locklessly with READ_ONCE
 */
#ifndef DM_SWAPCACHE_H
#define DM_SWAPCACHE_H

#include <linux/device-mapper.h>
#include <linux/spinlock.h>
#include "knobs.h"

#define DM_MSG_PREFIX "swapcache"

/* An SSD write covers at most one cluster: 16 blocks, as in the seed. */
#define SC_CLUSTER_BLOCKS	16
/* The smallest useful cache: four clusters. */
#define SC_MIN_CACHE_BLOCKS	(4 * SC_CLUSTER_BLOCKS)
#define SC_DEFAULT_BLOCK_SIZE	4096

struct swapcache {
	struct dm_target *ti;			/* C */
	struct dm_dev *origin;			/* C */
	struct dm_dev *cache;			/* C */
	unsigned int block_size;		/* C: bytes */
	unsigned int block_shift;		/* C: log2 of sectors a block */
	u64 origin_blocks;			/* C: ti->len in blocks */
	u64 cache_blocks;			/* C */

	/* The constructor's options, replayed by `dmsetup table`. */
	bool table_block_size;			/* C: block_size was given */
	unsigned long table_knobs;		/* C: bit n: knob n was given */
	u64 table_values[SC_NR_KNOBS];		/* C */

	spinlock_t knob_lock;	/* serialises knob writers (cross checks) */
	u64 knobs[SC_NR_KNOBS];			/* K */
};

static inline const char *sc_name(struct swapcache *sc)
{
	return dm_device_name(dm_table_get_md(sc->ti->table));
}

#define sc_err(sc, fmt, ...) \
	DMERR("%s: " fmt, sc_name(sc), ##__VA_ARGS__)
#define sc_warn(sc, fmt, ...) \
	DMWARN("%s: " fmt, sc_name(sc), ##__VA_ARGS__)

static inline u64 sc_knob(struct swapcache *sc, enum sc_knob id)
{
	return READ_ONCE(sc->knobs[id]);
}

#endif
