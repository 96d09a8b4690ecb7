/* SPDX-License-Identifier: GPL-2.0 */
/*
 * queues: the staged blocks of dm-swapcache and their LRU queues.
 *
 * A staged block is a RAM copy of one clean origin block, captured from a
 * completed read.  Staged blocks sit on an active and an inactive queue and
 * age with an act_count, as pages do in a BSD page daemon; the writer scans
 * the inactive queue for blocks to copy to the SSD, and blocks beyond the
 * RAM budget are reclaimed oldest inactive first.  The design essay is at
 * the top of queues.c.
 *
 * Locking: none inside.  The caller holds one spinlock around every call;
 * no function here sleeps, and every call does bounded work.  Only
 * sc_queues_init() allocates (the hash table; a bigger one for a grown
 * budget the caller allocates, see sc_queues_hash_want()); the caller
 * allocates and
 * frees each struct sc_stage and its data buffer, this file only links,
 * ages and picks them.
 *
 * Memory per staged block on x86_64: sizeof(struct sc_stage) = 56 bytes
 * (64 from a kmalloc-64 slab, 56 from a dedicated kmem_cache) plus the
 * block_size data buffer (4096), plus 8 bytes of hash bucket per 2 blocks
 * of budget: ~4156 bytes per 4 KiB block, 1.5% overhead.  The hash grows
 * with the budget at run time (sc_queues_hash_*), never shrinks.
 */
#ifndef DM_SWAPCACHE_QUEUES_H
#define DM_SWAPCACHE_QUEUES_H

#include <linux/types.h>
#include <linux/list.h>

/*
 * act_count aging, the page daemon's values: a new block starts at INIT,
 * each aging visit that finds it referenced adds ADVANCE (up to MAX), each
 * visit that finds it idle takes DECLINE; at 0 it is deactivated.
 */
#define SC_ACT_INIT		5
#define SC_ACT_ADVANCE		3
#define SC_ACT_DECLINE		1
#define SC_ACT_MAX		64

/* The blocks of one clustered SSD write: a 16-aligned origin range. */
#define SC_QUEUES_CLUSTER	16U

/* Largest hash table: 2^24 buckets (128 MiB), for a 128 GiB budget. */
#define SC_QUEUES_MAX_HASH_BITS	24
#define SC_QUEUES_MIN_HASH_BITS	6
/*
 * Most blocks one call of sc_queues_age(), sc_queues_deactivate() or
 * sc_queues_hash_step() visits or moves, so that no lock hold grows with
 * the budget: the caller loops, dropping its lock between calls.
 */
#define SC_QUEUES_BATCH		1024

enum sc_queue {
	SC_QUEUE_NONE,		/* on no queue: new, removed or reclaimed */
	SC_QUEUE_ACTIVE,
	SC_QUEUE_INACTIVE,
};

/*
 * sc_stage.flags; who sets each is described in queues.c.  0x40 is
 * reserved: it is the markers' SCAN_DONE (queues.c).
 */
/* read since the last aging visit */
#define SC_STAGE_REFERENCED	0x01
/* being copied to the SSD: not reclaimable, buffer in use */
#define SC_STAGE_WRITING	0x02
/* a valid SSD copy exists: not written again */
#define SC_STAGE_ONSSD		0x04
/* invalidated while WRITING: freed by the writer's completion */
#define SC_STAGE_DEAD		0x08
/* captured from a REQ_META bio */
#define SC_STAGE_META		0x10
/* read again since it was first read (min_reads) */
#define SC_STAGE_REUSED		0x20
/* a scan marker, not a block */
#define SC_STAGE_MARKER		0x80

struct sc_stage {
	struct list_head lru;		/* on a queue (markers too) */
	struct hlist_node hash;		/* in the oblock hash (not markers) */
	u64 oblock;
	u8 queue;			/* enum sc_queue */
	u8 act_count;			/* 0..SC_ACT_MAX */
	u8 flags;			/* SC_STAGE_* */
	void *data;			/* block_size bytes, the caller's */
};

/*
 * Embedded in the target.  Every field is under the caller's lock (L);
 * the caller may read the counters for status without calling in here.
 */
struct sc_queues {
	/* head (->next) = most recently queued, tail (->prev) = oldest */
	struct list_head active;	/* L: blocks */
	struct list_head inactive;	/* L: blocks and scan markers */
	struct hlist_head *buckets;	/* L: oblock hash, 1 << hash_bits */
	unsigned int hash_bits;		/* L */
	/* While the hash grows: the old table, emptied bucket by bucket. */
	struct hlist_head *old_buckets;	/* L: NULL when not growing */
	unsigned int old_bits;		/* L */
	u64 old_next;			/* L: first old bucket not emptied */
	u64 nr_active;			/* L: blocks on active */
	u64 nr_inactive;		/* L: blocks on inactive (no markers) */
	u64 nr_writing;			/* L: WRITING blocks, DEAD ones too */
	u64 nr_reserved;		/* L: blocks being read to be staged */
	u64 budget;			/* L: blocks the caller may stage */
	/* statistics, only ever incremented */
	u64 stat_deactivated;		/* L: active -> inactive by aging */
	u64 stat_activated;		/* L: inactive -> active by a hit */
	u64 stat_reclaimed;		/* L: victims handed out by reclaim */
};

int sc_queues_init(struct sc_queues *q, u64 budget_blocks, gfp_t gfp);
u64 sc_queues_mem_need(u64 budget_blocks);
void sc_queues_exit(struct sc_queues *q);
void sc_queues_set_budget(struct sc_queues *q, u64 budget_blocks);
unsigned int sc_queues_hash_want(const struct sc_queues *q);
void sc_queues_hash_start(struct sc_queues *q, struct hlist_head *buckets,
			  unsigned int bits);
struct hlist_head *sc_queues_hash_step(struct sc_queues *q);

struct sc_stage *sc_queues_lookup(struct sc_queues *q, u64 oblock);
int sc_queues_insert(struct sc_queues *q, struct sc_stage *st);
void sc_queues_reference(struct sc_queues *q, struct sc_stage *st);
bool sc_queues_remove(struct sc_queues *q, struct sc_stage *st);

u64 sc_queues_age(struct sc_queues *q, u64 max_scan);
u64 sc_queues_deactivate(struct sc_queues *q, u64 n);
u64 sc_queues_reclaim(struct sc_queues *q, struct list_head *out, u64 max);
bool sc_queues_reserve(struct sc_queues *q, u64 n);
void sc_queues_unreserve(struct sc_queues *q, u64 n);
u64 sc_queues_reclaimable(const struct sc_queues *q);
u64 sc_queues_shrink(struct sc_queues *q, struct list_head *out, u64 max);

void sc_queues_marker_init(struct sc_stage *marker);
void sc_queues_scan_start(struct sc_queues *q, struct sc_stage *marker);
struct sc_stage *sc_queues_scan_next(struct sc_queues *q,
				     struct sc_stage *marker);
void sc_queues_marker_remove(struct sc_queues *q, struct sc_stage *marker);

bool sc_queues_writable(const struct sc_stage *st);
unsigned int sc_queues_cluster(struct sc_queues *q, struct sc_stage *st,
			       struct sc_stage **out);
void sc_queues_write_start(struct sc_queues *q, struct sc_stage *st);
bool sc_queues_write_done(struct sc_queues *q, struct sc_stage *st,
			  bool installed);

u64 sc_queues_drain(struct sc_queues *q, struct list_head *out);

#endif /* DM_SWAPCACHE_QUEUES_H */
