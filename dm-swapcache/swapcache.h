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
 *   G  under target.c's sc_claims_lock (global to the module)
 *   S  the constructor, preresume and postsuspend (dm serialises them)
 */
#ifndef DM_SWAPCACHE_H
#define DM_SWAPCACHE_H

#include <linux/device-mapper.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/wait.h>
#include <linux/bio.h>
#include <linux/sched/clock.h>
#include "knobs.h"
#include "map.h"
#include "queues.h"
#include "burst.h"
#include "wear.h"
#include "ghost.h"
#include "claims.h"
#include "format.h"
#include "warm.h"

#define DM_MSG_PREFIX "swapcache"

/* An SSD write covers at most one cluster: 16 blocks, as in the seed. */
#define SC_CLUSTER_BLOCKS	16
/* The smallest useful cache: four clusters. */
#define SC_MIN_CACHE_BLOCKS	(4 * SC_CLUSTER_BLOCKS)
#define SC_DEFAULT_BLOCK_SIZE	4096
/* Write fences: slots a block hashes to; wider writes fence everything. */
#define SC_FENCE_BITS		12
#define SC_FENCE_WIDE		(1U << (SC_FENCE_BITS - 2))
/*
 * Blocks one bio covers at most (the target's max_io_len; discards and
 * write-zeroes: SC_MAX_DISCARD_BLOCKS), so that the work a bio does under
 * sc->lock - fences, lookups, invalidation - is bounded whatever its size.
 * Not above SC_FENCE_WIDE: ordinary writes are fenced block by block.
 */
#define SC_MAX_IO_BLOCKS	1024U
#define SC_MAX_DISCARD_BLOCKS	16384U
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

/*
 * Why a block read from the origin never reached the SSD.  The first seven
 * are decided when a miss is read (the block is not staged: bypassed
 * counts these); burst, ssd_full, ram_full and once, and again degraded,
 * meta_off and data_off, when a staged block leaves RAM with no SSD copy.
 * Names in stats.c, meanings in the admin guide.
 */
enum sc_bypass {
	SC_BYPASS_SEQ,		/* part of a stream past seq_cutoff */
	SC_BYPASS_IDLE,		/* IDLE I/O priority class */
	SC_BYPASS_META,		/* metadata, meta_enable 0 */
	SC_BYPASS_DATA,		/* data, data_enable 0 */
	SC_BYPASS_PARTIAL,	/* not whole, aligned blocks */
	SC_BYPASS_DEGRADED,	/* the SSD failed: nothing is cached */
	SC_BYPASS_NOMEM,	/* no memory for the staged copies */
	SC_BYPASS_BURST,	/* dropped from RAM, burst budget spent */
	SC_BYPASS_SSD_FULL,	/* dropped from RAM, SSD full or cleaning */
	SC_BYPASS_RAM,		/* dropped from RAM before the writer came */
	SC_BYPASS_ONCE,		/* dropped from RAM, read once (min_reads) */
	SC_NR_BYPASS,
	SC_BYPASS_NONE = SC_NR_BYPASS
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
	u64 bypass[SC_NR_BYPASS];	/* blocks, by reason */
	u64 shrunk;		/* staged blocks freed by the shrinker */
	u64 wasted_base;	/* the map's freed_unread at clear_stats */
	u64 cleaned_base;	/* the map's cleaned at clear_stats */
#ifdef SC_LOCK_STATS
	u64 lock_max_ns;	/* longest hold of sc->lock (debug build) */
#endif
};

/* Everything status and sysfs report, taken under one lock hold. */
struct sc_snapshot {
	struct sc_stats st;
	u64 used, total, staged;
	s64 curburst;
	u64 write_count;
	enum sc_wstate wstate;
	enum sc_bstate bstate;
	bool degraded;
	u64 wasted;		/* SSD blocks freed never read */
	u64 cleaned;		/* SSD blocks freed by the cleaner */
	u64 hits_per_mib;	/* SSD hits per MiB written; U64_MAX: none */
	u64 days_hour;		/* sc_wear_days_left() at the hour rate */
	u64 days_total;		/* ... at the rate since creation */
	u64 meta_written;	/* superblock bytes this table wrote */
	u64 lifetime_written;	/* the SSD's ledger (super.c) */
	u64 restored;		/* copies the load took from the checkpoint */
	u64 load_left;		/* checkpoint pages not loaded yet */
};

/* Checkpoint pages one I/O of the save or the load moves at most. */
#define SC_CKPT_BATCH		16

/*
 * The warm start: the checkpoint a clean suspend saves (save.c), the
 * load after resume (load.c), their I/O (ckptio.c).  The save runs in
 * postsuspend, the load in the daemon thread while the target runs; the
 * daemon is paused before the save starts, so the two never overlap.
 */
struct sc_persist {
	struct page *pages[SC_CKPT_BATCH];	/* C: the I/O buffer */
	unsigned long *written;		/* C: SC_WARM_BYTES; bits L */
	bool loading;		/* L: a load runs; writes mark written */
	u64 load_next;		/* D: the next page to load */
	u64 load_left;		/* pages not loaded yet; D, READ_ONCE */
	struct sc_warm_count count;		/* L: the load's */
	bool clean_on_disk;	/* S: the SSD says CLEAN (nothing ran since) */
	bool invalidate;	/* invalidate_on_remove was sent; READ_ONCE */
};

/* The daemon thread: paused while the target is suspended (daemon.c). */
enum sc_daemon_state {
	SC_DAEMON_PAUSED,	/* waits for resume */
	SC_DAEMON_RUNNING,	/* works every tick */
	SC_DAEMON_PAUSING,	/* postsuspend waits for it to pause */
};

struct swapcache {
	struct dm_target *ti;			/* C */
	struct dm_dev *origin;			/* C */
	struct dm_dev *cache;			/* C */
	/* origin and cache in target.c's claims list; G */
	struct sc_claim claims[SC_NR_CLAIM_ROLES];
	unsigned int block_size;		/* C: bytes */
	unsigned int block_shift;		/* C: log2 of sectors a block */
	u64 origin_blocks;			/* C: ti->len in blocks */
	u64 cache_blocks;			/* C */
	sector_t data_start;			/* C: cache block 0 on the SSD */

	/* The constructor's options, replayed by `dmsetup table`. */
	bool table_block_size;			/* C: block_size was given */
	unsigned long table_knobs;		/* C: bit n: knob n was given */
	u64 table_values[SC_NR_KNOBS];		/* C */
	bool format;				/* C: the table says format */
	bool cold;				/* C: the table says cold */

	/* The superblock (super.c); S: preresume and postsuspend only */
	struct page *sb_pages;			/* C: both slots' buffer */
	struct sc_super sb;			/* S: what is written next */
	u64 sb_base;			/* S: the ledger before us; READ_ONCE */
	bool sb_fresh;				/* S: a new format */
	bool sb_ours;		/* S: the constructor found our superblock */
	bool sb_opened;				/* S: the first resume ran */
	bool sb_failed;				/* S: no more superblocks */
	u64 meta_written;			/* S, read with READ_ONCE */
	struct sc_persist ps;			/* the warm start */

	spinlock_t knob_lock;	/* serialises knob writers (cross checks) */
	u64 knobs[SC_NR_KNOBS];			/* K */

	/* The engine; lock protects everything marked L. */
	spinlock_t lock;
#ifdef SC_LOCK_STATS
	u64 lock_since;				/* L: local_clock() at lock */
#endif
	struct sc_map *map;			/* L */
	struct sc_queues queues;		/* L */
	struct sc_burst burst;			/* L */
	struct sc_fence *fences;		/* L: 1 << SC_FENCE_BITS */
	struct sc_fence wide;			/* L: fences every block */
	u64 fence_seq;				/* L */
	struct sc_stream streams[SC_NR_STREAMS];	/* L */
	struct sc_stats stats;			/* L */
	struct sc_wear wear;			/* L */
	struct sc_ghost ghost;			/* L: dropped, unwritten */
	u64 created;				/* C: jiffies64 */
	bool degraded;				/* L, read with READ_ONCE */
	bool filled;				/* L: use reached maxswappct */

	struct bio_set bs;			/* C: SSD writes */
	struct bio_set retry_bs;		/* C: SSD read retries */
	struct workqueue_struct *wq;		/* C: SSD read retries */
	struct task_struct *daemon;		/* C */
	enum sc_daemon_state daemon_state;	/* L, read with READ_ONCE */
	wait_queue_head_t daemon_wait;		/* state changes */
	struct sc_stage marker;			/* D: the writer's scan */
	unsigned int ssd_writes_inflight;	/* L */
	wait_queue_head_t ssd_writes_wait;	/* woken under lock */

	/* On the shrinker's list of targets (shrinker.c) */
	struct list_head shrink_node;		/* under sc_shrink_lock */

	/* /sys/block/dm-N/swapcache; under the md's suspend lock */
	struct sc_sysfs *sysfs;
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
	struct swapcache *sc;	/* RETRY: for the work item */
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

/* retry.c */
int sc_retry(struct swapcache *sc, struct bio *bio, struct sc_bio *pb);
int sc_retry_init(struct swapcache *sc);
void sc_retry_exit(struct swapcache *sc);

/* stats.c */
extern const char *const sc_bypass_names[SC_NR_BYPASS];
void sc_snapshot(struct swapcache *sc, struct sc_snapshot *s);
void sc_clear_stats(struct swapcache *sc);
void sc_wear_tick(struct swapcache *sc);
enum sc_bypass __sc_drop_reason(struct swapcache *sc, struct sc_stage *st);
void __sc_note_drops(struct swapcache *sc, struct list_head *reclaimed);
int sc_format_days(char *buf, size_t len, u64 days);

/* sysfs.c */
void sc_sysfs_add(struct swapcache *sc);
void sc_sysfs_remove(struct swapcache *sc);

/* target.c */
const char *sc_set_knob(struct swapcache *sc, enum sc_knob id, u64 v);

/* shrinker.c */
int sc_shrinker_init(void);
void sc_shrinker_exit(void);
void sc_shrinker_add(struct swapcache *sc);
void sc_shrinker_remove(struct swapcache *sc);

/* super.c */
int sc_super_probe(struct swapcache *sc, char **error);
bool sc_reload_repairs(struct swapcache *sc);
int sc_super_open(struct swapcache *sc);
void sc_super_close(struct swapcache *sc);
void sc_super_free(struct swapcache *sc);
u64 sc_super_lifetime(struct swapcache *sc, u64 write_count);

/* ckptio.c */
int sc_persist_create(struct swapcache *sc, char **error);
void sc_persist_destroy(struct swapcache *sc);
int sc_ckpt_io(struct swapcache *sc, blk_opf_t opf, u64 page_no,
	       unsigned int n);
void *sc_ckpt_buf(struct swapcache *sc, unsigned int i);
int sc_origin_sample(struct swapcache *sc, u64 *sample);
void sc_meta_add(struct swapcache *sc, u64 bytes);

/* save.c */
int sc_save(struct swapcache *sc);

/* load.c */
void sc_load_start(struct swapcache *sc);
bool sc_load_step(struct swapcache *sc);
void sc_load_abandon(struct swapcache *sc);

/* daemon.c */
int sc_daemon_create(struct swapcache *sc, char **error);
void sc_daemon_start(struct swapcache *sc);
void sc_daemon_stop(struct swapcache *sc);
void sc_daemon_destroy(struct swapcache *sc);

/* The SSD sector of cache block @cb: the data area follows the metadata. */
static inline sector_t sc_cblock_sector(struct swapcache *sc, u64 cb)
{
	return sc->data_start + ((sector_t)cb << sc->block_shift);
}

static inline const char *sc_name(struct swapcache *sc)
{
	return dm_device_name(dm_table_get_md(sc->ti->table));
}

#define sc_err(sc, fmt, ...) \
	DMERR("%s: " fmt, sc_name(sc), ##__VA_ARGS__)
#define sc_warn(sc, fmt, ...) \
	DMWARN("%s: " fmt, sc_name(sc), ##__VA_ARGS__)

/*
 * sc->lock is taken through these.  A debug build (SC_LOCK_STATS=y
 * tools/kbuild <kernel>) also records the longest hold in ns, which the
 * message lock_stats reports and clear_stats resets; a normal build takes
 * the spinlock and nothing else.
 */
#ifdef SC_LOCK_STATS
static inline void __sc_lock_note(struct swapcache *sc)
{
	u64 held = local_clock() - sc->lock_since;

	if (held > sc->stats.lock_max_ns)
		sc->stats.lock_max_ns = held;
}

static inline unsigned long __sc_lock_irqsave(struct swapcache *sc)
	__acquires(&sc->lock)
{
	unsigned long flags;

	spin_lock_irqsave(&sc->lock, flags);
	sc->lock_since = local_clock();
	return flags;
}

static inline void sc_unlock_irqrestore(struct swapcache *sc,
					unsigned long flags)
	__releases(&sc->lock)
{
	__sc_lock_note(sc);
	spin_unlock_irqrestore(&sc->lock, flags);
}

#define sc_lock_irqsave(sc, flags)	((flags) = __sc_lock_irqsave(sc))
#else
#define sc_lock_irqsave(sc, flags)	spin_lock_irqsave(&(sc)->lock, flags)
#define sc_unlock_irqrestore(sc, flags) \
	spin_unlock_irqrestore(&(sc)->lock, flags)
#endif

static inline u64 sc_knob(struct swapcache *sc, enum sc_knob id)
{
	return READ_ONCE(sc->knobs[id]);
}

/*
 * min_reads 2: does staged block @st stay off the SSD for being read only
 * once?  Not before the SSD first fills up to maxswappct: free space costs
 * one write a block, once, and the first fill warms the cache as fast as
 * the seed's policy; afterwards every write pushes out a block the cleaner
 * frees, and only blocks read again earn that.  Caller: L.
 */
static inline bool __sc_read_once_off(struct swapcache *sc,
				      const struct sc_stage *st)
{
	return sc_knob(sc, SC_KNOB_MIN_READS) > 1 && sc->filled &&
	       !(st->flags & SC_STAGE_REUSED);
}

#endif
