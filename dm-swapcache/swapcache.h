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
 *   staged      a RAM copy of a clean origin block (queues.c)
 *   fence       a slot counting writes in flight to the blocks hashed to it,
 *               so that reads racing writes are never captured (io.c)
 *
 * Locking key, at the end of each field's comment:
 *   C  set in the constructor, never changed after it
 *   K  written under knob_lock, read locklessly with READ_ONCE
 *   L  under lock (a spinlock taken with interrupts off: bio completions
 *      run in interrupt context)
 *   D  the daemon thread only
 *   A  atomic
 */
#ifndef DM_SWAPCACHE_H
#define DM_SWAPCACHE_H

#include <linux/device-mapper.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/wait.h>
#include <linux/bio.h>
#include "knobs.h"
#include "map.h"
#include "queues.h"
#include "burst.h"

#define DM_MSG_PREFIX "swapcache"

/* An SSD write covers at most one cluster: 16 blocks, as in the seed. */
#define SC_CLUSTER_BLOCKS	16
/* The smallest useful cache: four clusters. */
#define SC_MIN_CACHE_BLOCKS	(4 * SC_CLUSTER_BLOCKS)
#define SC_DEFAULT_BLOCK_SIZE	4096
/* Write fences: slots a block hashes to; wider writes fence everything. */
#define SC_FENCE_BITS		12
#define SC_FENCE_WIDE		(1U << (SC_FENCE_BITS - 2))
/* SSD errors before the target stops using the SSD (degraded). */
#define SC_MAX_SSD_ERRORS	8
/* Recent read streams tracked for the sequential cutoff. */
#define SC_NR_STREAMS		8

struct sc_fence {
	u64 seq;		/* fence sequence of the last write start/end */
	u32 inflight;		/* writes in flight */
};

struct sc_stream {
	sector_t next;		/* sector after the stream's last read */
	u64 bytes;		/* bytes read in sequence */
	unsigned long used;	/* jiffies of the last read */
};

/* Counters reported by status; all L. */
struct sc_stats {
	u64 ram_hits;		/* blocks read from staged copies */
	u64 ssd_hits;		/* blocks read from the SSD */
	u64 misses;		/* blocks read from the origin */
	u64 captured;		/* blocks staged from origin reads */
	u64 bypassed;		/* blocks read from the origin, not capturable */
	u64 invalidated;	/* staged and SSD copies dropped by writes */
	u64 ssd_writes;		/* SSD write bios */
	u64 ssd_errors;		/* SSD read and write errors */
};

struct swapcache {
	struct dm_target *ti;			/* C */
	struct dm_dev *origin;			/* C */
	struct dm_dev *cache;			/* C */
	bool claimed;				/* C: in the cache claims */
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

	/* The engine; lock protects everything marked L. */
	spinlock_t lock;
	struct sc_map *map;			/* L */
	struct sc_queues queues;		/* L */
	struct sc_burst burst;			/* L */
	struct sc_fence *fences;		/* L: 1 << SC_FENCE_BITS */
	struct sc_fence wide;			/* L: fences every block */
	u64 fence_seq;				/* L */
	struct sc_stream streams[SC_NR_STREAMS];	/* L */
	struct sc_stats stats;			/* L */
	bool degraded;				/* L, read with READ_ONCE */

	struct bio_set bs;			/* C: SSD writes */
	struct workqueue_struct *wq;		/* C: SSD read retries */
	struct task_struct *daemon;		/* under suspend/resume */
	struct sc_stage marker;			/* D: the writer's scan */
	unsigned int ssd_writes_inflight;	/* L */
	wait_queue_head_t ssd_writes_wait;	/* woken under lock */
};

/* Per-bio data (ti->per_io_data_size). */
enum sc_bio_kind {
	SC_BIO_PASS,		/* to the origin, nothing to do at the end */
	SC_BIO_MISS,		/* origin read, not staged */
	SC_BIO_SSD,		/* SSD read of pinned blocks */
	SC_BIO_RETRY,		/* an SSD read resubmitted to the origin */
	SC_BIO_WRITE,		/* fenced write, discard or write-zeroes */
};

struct sc_bio {
	enum sc_bio_kind kind;
	bool wide;		/* WRITE: fenced with the wide fence */
	unsigned short bi_flags;	/* SSD: the clone's flags, for a retry */
	u32 nblocks;		/* blocks covered */
	u64 oblock;		/* first origin block */
	sc_cblock_t cblock;	/* SSD: first cache block */
	u64 seq;		/* MISS: fence_seq when issued */
	sector_t osector;	/* origin sector, for a retry */
	struct bvec_iter iter;	/* the bio's data, saved at map time */
	struct work_struct work;	/* SSD: retry on the origin */
};

/* io.c */
int sc_map_bio(struct swapcache *sc, struct bio *bio);
int sc_end_io(struct swapcache *sc, struct bio *bio, blk_status_t *error);
int sc_engine_create(struct swapcache *sc, char **error);
void sc_engine_destroy(struct swapcache *sc);
void sc_free_stage(struct sc_stage *st);
void sc_free_stage_list(struct list_head *list);
void sc_ssd_error(struct swapcache *sc);
u64 sc_budget_blocks(struct swapcache *sc);
int sc_io_init(void);
void sc_io_exit(void);

/* daemon.c */
int sc_daemon_start(struct swapcache *sc);
void sc_daemon_stop(struct swapcache *sc);

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
