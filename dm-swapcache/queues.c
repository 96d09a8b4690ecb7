// SPDX-License-Identifier: GPL-2.0
/*
 * queues: the staged blocks of dm-swapcache and their LRU queues.
 *
 * A staged block (struct sc_stage) is a RAM copy of one clean origin
 * block, captured from a completed read.  It plays the part of a resident
 * page in a BSD page daemon: it lives on one of two queues and ages there,
 * the writer copies idle ones to the SSD, and the oldest ones are dropped
 * when staged data exceeds its RAM budget.  This file is pure bookkeeping:
 * no bios, no threads, no locks, no allocation except the hash table.
 *
 * Queues
 *	Both queues are list_heads with the most recently queued entry at
 *	the head (->next) and the oldest at the tail (->prev).  A new capture
 *	enters the ACTIVE head.  The aging scan moves idle blocks to the
 *	INACTIVE head; a RAM hit moves an inactive block back to the ACTIVE
 *	head.  Every staged block is also in a hash of origin block numbers
 *	(power-of-two buckets, ~budget/2 of them, hash_64), so lookups are
 *	O(1).  When the budget is raised past twice what the table was
 *	sized for, the table grows (see Growing the hash).
 *
 * Growing the hash (sc_queues_hash_*)
 *	sc_queues_hash_want() tells the caller the table is too small for
 *	the budget and how big it should be; the caller allocates the new
 *	bucket array without its lock and hands it over with
 *	sc_queues_hash_start().  The old table stays, and is emptied by
 *	sc_queues_hash_step() calls, each of which moves at most
 *	SC_QUEUES_BATCH blocks (or steps over as many empty buckets) into
 *	the new one, so the caller can drop its lock between them.  Until
 *	the last step, which hands the empty old array back for freeing,
 *	a lookup searches the new table, then the old one; inserts go to the
 *	new one; removal needs neither (hlist_del).  The table never shrinks.
 *
 * Aging (sc_queues_age)
 *	The page daemon's act_count scheme with its constants.  A block
 *	starts at SC_ACT_INIT (5).  Each aging visit takes one block from the
 *	oldest end of the active queue: if it was read since the last visit
 *	(REFERENCED) it gains SC_ACT_ADVANCE (3, capped at SC_ACT_MAX 64),
 *	else it loses SC_ACT_DECLINE (1); it goes back to the active head
 *	unless its count reached 0, in which case it is deactivated.  So a
 *	block read once is deactivated after exactly 5 idle visits, and a
 *	block that keeps being read builds up credit, up to 64 idle visits,
 *	before it is considered cold: re-read blocks outlive one-shot ones,
 *	and the asymmetric +3/-1 lets an occasional hit keep a block warm.
 *	One call visits each active block at most once.  Under memory
 *	pressure the caller may deactivate the oldest active blocks at once
 *	(sc_queues_deactivate) to keep an inactive target.
 *
 * Budget (sc_queues_reclaim, _reserve, _shrink)
 *	The budget bounds staged blocks plus reserved ones: buffers of reads
 *	in flight that will be offered for staging when they complete.  A
 *	reservation is refused only when reads in flight alone would exceed
 *	the budget; otherwise reclaim makes room among the staged blocks.
 *	Under memory pressure the caller's shrinker takes blocks regardless
 *	of the budget (sc_queues_shrink), in the same order as reclaim.
 *
 * Marker scan (sc_queues_scan_*)
 *	The writer walks the inactive queue from the oldest end towards the
 *	newest, a bounded number of blocks at a time, dropping the caller's
 *	lock between steps.  Its position is a marker: a struct sc_stage with
 *	SC_STAGE_MARKER linked into the inactive queue just newer than the
 *	last block it returned.  Whatever happens to other entries meanwhile
 *	(removal, activation, reclaim, new deactivations at the head), the
 *	marker's own links stay valid, so the scan resumes exactly where it
 *	was and returns every block that is on the inactive queue and newer
 *	than the marker, each once per stay on that queue.  Markers do not
 *	count as blocks, are not hashed, and every walk here steps over them,
 *	so several scans can run at once without seeing each other.
 *
 * Flags (struct sc_stage.flags)
 *	REFERENCED  set by a RAM hit (sc_queues_reference), cleared by the
 *		    aging visit that credits it.
 *	WRITING	    set by sc_queues_write_start, cleared by
 *		    sc_queues_write_done: the writer is copying the data
 *		    buffer to the SSD, so reclaim skips the block and an
 *		    invalidation cannot free it.
 *	ONSSD	    set by sc_queues_write_done when the SSD copy was
 *		    installed; such a block is never written again (while
 *		    the write is in flight, WRITING keeps it off the list).
 *	DEAD	    set by sc_queues_remove on a WRITING block: it is off the
 *		    queues and the hash already, and the writer's completion
 *		    (sc_queues_write_done returns true) hands it back to be
 *		    freed.
 *	META	    set by the caller before sc_queues_insert, for REQ_META
 *		    captures.
 *	REUSED	    set by a RAM hit, or by the caller before sc_queues_insert
 *		    when the block was read before (its ghost); never
 *		    cleared.  META and REUSED are the flags insert keeps.
 *	MARKER	    set by sc_queues_marker_init; never on a block.
 *	SCAN_DONE   marker only: its last scan_next found nothing newer.
 *
 * Locking
 *	None here.  The caller holds one spinlock around every call, so no
 *	function may sleep, and each does bounded work: lookups walk one
 *	hash chain (two while the hash grows), insert/reference/remove/
 *	write_* are O(1), age, deactivate and hash_step visit at most
 *	SC_QUEUES_BATCH blocks, reclaim at most max victims plus the WRITING
 *	blocks and markers it steps over (the writer keeps at most 64
 *	writes of 16 blocks in flight: daemon.c SC_MAX_WRITES_INFLIGHT),
 *	scan_next steps over markers only, and cluster does 16 lookups.
 *	Only sc_queues_init (allocation) and the destructor's
 *	sc_queues_drain (a walk of everything) are not bounded that way.
 *
 * Ownership
 *	The caller allocates every struct sc_stage and its data buffer and
 *	frees them when this file says so: after a failed insert, after
 *	remove returns true, for every victim reclaim and drain put on the
 *	caller's list, and when write_done returns true.
 */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/hash.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "queues.h"

/* Marker only: its last sc_queues_scan_next() reached the newest end. */
#define SC_STAGE_SCAN_DONE	0x40

/* ---- hash ------------------------------------------------------------ */

/* Bucket count ~ budget/2 rounded up to a power of two, within limits. */
static unsigned int sc_queues_hash_bits(u64 budget)
{
	u64 want = budget / 2;

	if (want <= (1ULL << SC_QUEUES_MIN_HASH_BITS))
		return SC_QUEUES_MIN_HASH_BITS;
	if (want >= (1ULL << SC_QUEUES_MAX_HASH_BITS))
		return SC_QUEUES_MAX_HASH_BITS;
	return fls64(want - 1);
}

static struct hlist_head *sc_queues_bucket(struct sc_queues *q, u64 oblock)
{
	return &q->buckets[hash_64(oblock, q->hash_bits)];
}

/**
 * sc_queues_mem_need() - bytes sc_queues_init() allocates
 * @budget_blocks: as given to sc_queues_init()
 *
 * Return: the size of the hash table, by arithmetic only.
 */
u64 sc_queues_mem_need(u64 budget_blocks)
{
	return sizeof(struct hlist_head) << sc_queues_hash_bits(budget_blocks);
}

/**
 * sc_queues_init() - empty queues and a hash sized for the budget
 * @q: the queues
 * @budget_blocks: blocks the caller may stage
 * @gfp: for the hash table
 *
 * Return: 0, or -ENOMEM.
 */
int sc_queues_init(struct sc_queues *q, u64 budget_blocks, gfp_t gfp)
{
	memset(q, 0, sizeof(*q));
	INIT_LIST_HEAD(&q->active);
	INIT_LIST_HEAD(&q->inactive);
	q->budget = budget_blocks;
	q->hash_bits = sc_queues_hash_bits(budget_blocks);
	q->buckets = kvcalloc(1UL << q->hash_bits, sizeof(*q->buckets), gfp);
	if (!q->buckets)
		return -ENOMEM;
	return 0;
}

/**
 * sc_queues_exit() - free the hash tables
 * @q: the queues, drained; a zeroed or failed-init one is tolerated
 *	(constructor unwinding)
 */
void sc_queues_exit(struct sc_queues *q)
{
	WARN_ONCE(q->nr_active || q->nr_inactive || q->nr_writing ||
		  q->nr_reserved,
		  "dm-swapcache: queues freed with %llu active, %llu inactive, %llu writing, %llu reserved blocks\n",
		  q->nr_active, q->nr_inactive, q->nr_writing, q->nr_reserved);
	kvfree(q->buckets);
	q->buckets = NULL;
	kvfree(q->old_buckets);
	q->old_buckets = NULL;
}

/**
 * sc_queues_set_budget() - the ram_budget knob changed
 * @q: the queues
 * @budget_blocks: the new budget
 *
 * A bigger budget may need a bigger hash: sc_queues_hash_want().
 */
void sc_queues_set_budget(struct sc_queues *q, u64 budget_blocks)
{
	q->budget = budget_blocks;
}

/**
 * sc_queues_hash_want() - does the budget want a bigger hash?
 * @q: the queues
 *
 * Return: log2 of the bucket count the budget wants, if that is more than
 * twice the table's and the table is not already growing; else 0.
 */
unsigned int sc_queues_hash_want(const struct sc_queues *q)
{
	unsigned int bits = sc_queues_hash_bits(q->budget);

	if (q->old_buckets || bits <= q->hash_bits + 1)
		return 0;
	return bits;
}

/**
 * sc_queues_hash_start() - start growing the hash into new buckets
 * @q: the queues
 * @buckets: the new table, zeroed
 * @bits: its log2 size, from sc_queues_hash_want()
 */
void sc_queues_hash_start(struct sc_queues *q, struct hlist_head *buckets,
			  unsigned int bits)
{
	if (WARN_ON_ONCE(q->old_buckets || bits <= q->hash_bits))
		return;
	q->old_buckets = q->buckets;
	q->old_bits = q->hash_bits;
	q->old_next = 0;
	q->buckets = buckets;
	q->hash_bits = bits;
}

/**
 * sc_queues_hash_step() - move some blocks from the old hash to the new
 * @q: the queues
 *
 * Up to SC_QUEUES_BATCH blocks (empty buckets count as one).
 *
 * Return: the old bucket array once it is empty, for the caller to free;
 * NULL while there is more to move, or when the hash is not growing.
 */
struct hlist_head *sc_queues_hash_step(struct sc_queues *q)
{
	struct hlist_head *old = q->old_buckets, *head;
	unsigned int work = 0;
	struct sc_stage *st;

	if (!old)
		return NULL;
	while (q->old_next < (1ULL << q->old_bits) && work < SC_QUEUES_BATCH) {
		work++;
		head = &old[q->old_next];
		if (hlist_empty(head)) {
			q->old_next++;
			continue;
		}
		st = hlist_entry(head->first, struct sc_stage, hash);
		hlist_del(&st->hash);
		hlist_add_head(&st->hash, sc_queues_bucket(q, st->oblock));
	}
	if (q->old_next < (1ULL << q->old_bits))
		return NULL;
	q->old_buckets = NULL;
	return old;
}

static struct sc_stage *sc_queues_find(struct hlist_head *head, u64 oblock)
{
	struct sc_stage *st;

	hlist_for_each_entry(st, head, hash)
		if (st->oblock == oblock)
			return st;
	return NULL;
}

/**
 * sc_queues_lookup() - the staged block of @oblock
 * @q: the queues
 * @oblock: the origin block
 *
 * DEAD, removed and reclaimed blocks are unhashed, so never found.
 *
 * Return: the block, or NULL.
 */
struct sc_stage *sc_queues_lookup(struct sc_queues *q, u64 oblock)
{
	struct sc_stage *st = sc_queues_find(sc_queues_bucket(q, oblock),
					     oblock);

	if (st || !q->old_buckets)
		return st;
	return sc_queues_find(&q->old_buckets[hash_64(oblock, q->old_bits)],
			      oblock);
}

/* ---- queue primitives ------------------------------------------------- */

static struct list_head *sc_queues_head(struct sc_queues *q, u8 which)
{
	return which == SC_QUEUE_ACTIVE ? &q->active : &q->inactive;
}

static void sc_queues_count(struct sc_queues *q, u8 which, bool add)
{
	u64 *nr = which == SC_QUEUE_ACTIVE ? &q->nr_active : &q->nr_inactive;

	if (add)
		(*nr)++;
	else
		(*nr)--;
}

/* Move a queued block to the head (newest end) of queue @which. */
static void sc_queues_requeue(struct sc_queues *q, struct sc_stage *st,
			      u8 which)
{
	if (st->queue != which) {
		sc_queues_count(q, st->queue, false);
		sc_queues_count(q, which, true);
		st->queue = which;
	}
	list_move(&st->lru, sc_queues_head(q, which));
}

/* Take a queued block off its queue and out of the hash. */
static void sc_queues_unlink(struct sc_queues *q, struct sc_stage *st)
{
	hlist_del_init(&st->hash);
	sc_queues_count(q, st->queue, false);
	st->queue = SC_QUEUE_NONE;
}

static bool sc_queues_is_marker(const struct sc_stage *st)
{
	return st->flags & SC_STAGE_MARKER;
}

/* ---- captures, hits, invalidations ------------------------------------ */

/**
 * sc_queues_insert() - stage a captured block, at the head of active
 * @q: the queues
 * @st: the block, its oblock and data set; of its flags only META and
 *	REUSED are kept
 *
 * Return: 0, or -EEXIST when @st->oblock is already staged (the caller
 * then frees @st).
 */
int sc_queues_insert(struct sc_queues *q, struct sc_stage *st)
{
	if (sc_queues_lookup(q, st->oblock))
		return -EEXIST;
	st->flags &= SC_STAGE_META | SC_STAGE_REUSED;
	st->act_count = SC_ACT_INIT;
	st->queue = SC_QUEUE_ACTIVE;
	hlist_add_head(&st->hash, sc_queues_bucket(q, st->oblock));
	list_add(&st->lru, &q->active);
	q->nr_active++;
	return 0;
}

/**
 * sc_queues_reference() - a RAM hit on @st
 * @q: the queues
 * @st: a queued block
 *
 * Marks it REFERENCED and REUSED; an inactive block goes back to the head
 * of active.
 */
void sc_queues_reference(struct sc_queues *q, struct sc_stage *st)
{
	if (WARN_ON_ONCE(st->queue == SC_QUEUE_NONE || sc_queues_is_marker(st)))
		return;
	st->flags |= SC_STAGE_REFERENCED | SC_STAGE_REUSED;
	if (st->queue != SC_QUEUE_INACTIVE)
		return;
	sc_queues_requeue(q, st, SC_QUEUE_ACTIVE);
	st->act_count = max_t(u8, st->act_count, SC_ACT_INIT);
	q->stat_activated++;
}

/**
 * sc_queues_remove() - take @st off the queues and the hash (invalidation)
 * @q: the queues
 * @st: a block, queued or not
 *
 * Return: true when the caller may free @st now; false when the SSD write
 * of @st is in flight (it becomes DEAD, freed when sc_queues_write_done()
 * says so).
 */
bool sc_queues_remove(struct sc_queues *q, struct sc_stage *st)
{
	if (WARN_ON_ONCE(sc_queues_is_marker(st)))
		return false;
	if (st->queue != SC_QUEUE_NONE) {
		sc_queues_unlink(q, st);
		list_del_init(&st->lru);
	}
	if (st->flags & SC_STAGE_WRITING) {
		st->flags |= SC_STAGE_DEAD;
		return false;
	}
	return true;
}

/* ---- aging ------------------------------------------------------------ */

/* One visit of the active scan; true if @st was deactivated. */
static bool sc_queues_age_one(struct sc_queues *q, struct sc_stage *st)
{
	if (st->flags & SC_STAGE_REFERENCED) {
		st->flags &= ~SC_STAGE_REFERENCED;
		st->act_count = min_t(unsigned int,
				      st->act_count + SC_ACT_ADVANCE,
				      SC_ACT_MAX);
	} else if (st->act_count > SC_ACT_DECLINE) {
		st->act_count -= SC_ACT_DECLINE;
	} else {
		st->act_count = 0;
		sc_queues_requeue(q, st, SC_QUEUE_INACTIVE);
		return true;
	}
	sc_queues_requeue(q, st, SC_QUEUE_ACTIVE);
	return false;
}

/**
 * sc_queues_age() - one aging visit of the oldest active blocks
 * @q: the queues
 * @max_scan: blocks to visit at most
 *
 * Visits min(@max_scan, nr_active, SC_QUEUES_BATCH) blocks from the oldest
 * end of the active queue.  A visited block that stays active goes to the
 * head, so no block is visited twice in one call.
 *
 * Return: the number deactivated.
 */
u64 sc_queues_age(struct sc_queues *q, u64 max_scan)
{
	u64 n = min_t(u64, min(max_scan, q->nr_active), SC_QUEUES_BATCH);
	u64 deactivated = 0;
	struct sc_stage *st;

	while (n--) {
		st = list_last_entry(&q->active, struct sc_stage, lru);
		if (sc_queues_age_one(q, st))
			deactivated++;
	}
	q->stat_deactivated += deactivated;
	return deactivated;
}

/**
 * sc_queues_deactivate() - move the oldest active blocks to inactive now
 * @q: the queues
 * @n: blocks to move at most (also at most SC_QUEUES_BATCH)
 *
 * Memory pressure: the way the page daemon keeps its inactive target when
 * pages arrive faster than aging can deactivate them, so the writer still
 * finds blocks before reclaim takes them.  They go to the inactive head.
 *
 * Return: the number moved.
 */
u64 sc_queues_deactivate(struct sc_queues *q, u64 n)
{
	struct sc_stage *st;
	u64 moved;

	n = min_t(u64, min(n, q->nr_active), SC_QUEUES_BATCH);
	for (moved = 0; moved < n; moved++) {
		st = list_last_entry(&q->active, struct sc_stage, lru);
		st->act_count = 0;
		st->flags &= ~SC_STAGE_REFERENCED;
		sc_queues_requeue(q, st, SC_QUEUE_INACTIVE);
	}
	q->stat_deactivated += moved;
	return moved;
}

/* ---- reclaim and drain ------------------------------------------------ */

/* Reserved blocks count: their buffers are allocated already. */
static bool sc_queues_over_budget(const struct sc_queues *q)
{
	return q->nr_active + q->nr_inactive + q->nr_reserved > q->budget;
}

/*
 * Victims from the oldest end of one queue, stepping over WRITING ones;
 * while over the budget, or regardless of it with @force.
 */
static u64 sc_queues_reclaim_from(struct sc_queues *q, struct list_head *head,
				  struct list_head *out, u64 max, bool force)
{
	struct list_head *pos = head->prev, *newer;
	struct sc_stage *st;
	u64 n = 0;

	while (pos != head && n < max && (force || sc_queues_over_budget(q))) {
		newer = pos->prev;
		st = list_entry(pos, struct sc_stage, lru);
		if (!(st->flags & (SC_STAGE_MARKER | SC_STAGE_WRITING))) {
			sc_queues_unlink(q, st);
			list_move_tail(&st->lru, out);
			n++;
		}
		pos = newer;
	}
	return n;
}

/*
 * Bring the staged count down to the budget: at most @max victims, oldest
 * inactive first, then oldest active.  Victims are unhashed, off the
 * queues, and appended to @out through st->lru for the caller to free.
 */
static u64 sc_queues_victims(struct sc_queues *q, struct list_head *out,
			     u64 max, bool force)
{
	u64 n;

	n = sc_queues_reclaim_from(q, &q->inactive, out, max, force);
	if (n < max)
		n += sc_queues_reclaim_from(q, &q->active, out, max - n,
					    force);
	q->stat_reclaimed += n;
	return n;
}

/**
 * sc_queues_reclaim() - bring the staged blocks down to the budget
 * @q: the queues
 * @out: victims are appended here through st->lru, for the caller to free
 * @max: victims at most
 *
 * Oldest inactive first, then oldest active; WRITING blocks and markers
 * are stepped over.  Victims are unhashed and off the queues.
 *
 * Return: the number put on @out.
 */
u64 sc_queues_reclaim(struct sc_queues *q, struct list_head *out, u64 max)
{
	return sc_queues_victims(q, out, max, false);
}

/**
 * sc_queues_reserve() - count a read of blocks to be staged against the budget
 * @q: the queues
 * @n: its blocks
 *
 * The buffers count from now until sc_queues_unreserve(), when they are
 * inserted (or not).  When allowed, the caller reclaims
 * (sc_queues_reclaim()) to make room among the staged ones.
 *
 * Return: true, or false when reads in flight would alone exceed the budget.
 */
bool sc_queues_reserve(struct sc_queues *q, u64 n)
{
	if (q->nr_reserved + n > q->budget)
		return false;
	q->nr_reserved += n;
	return true;
}

/**
 * sc_queues_unreserve() - undo sc_queues_reserve()
 * @q: the queues
 * @n: the blocks reserved (warns, and clamps, when more than reserved)
 */
void sc_queues_unreserve(struct sc_queues *q, u64 n)
{
	if (WARN_ON_ONCE(n > q->nr_reserved))
		n = q->nr_reserved;
	q->nr_reserved -= n;
}

/**
 * sc_queues_reclaimable() - what the shrinker could take now
 * @q: the queues
 *
 * Return: the staged blocks sc_queues_shrink() could take (not WRITING).
 */
u64 sc_queues_reclaimable(const struct sc_queues *q)
{
	u64 queued = q->nr_active + q->nr_inactive;

	return queued > q->nr_writing ? queued - q->nr_writing : 0;
}

/**
 * sc_queues_shrink() - hand out victims whatever the budget
 * @q: the queues
 * @out: victims are appended here through st->lru, for the caller to free
 * @max: victims at most
 *
 * Memory pressure: reclaim's order (oldest inactive first, then oldest
 * active), WRITING ones stepped over.
 *
 * Return: the number put on @out.
 */
u64 sc_queues_shrink(struct sc_queues *q, struct list_head *out, u64 max)
{
	return sc_queues_victims(q, out, max, true);
}

static u64 sc_queues_drain_one(struct sc_queues *q, struct list_head *head,
			       struct list_head *out)
{
	struct list_head *pos = head->next, *older;
	struct sc_stage *st;
	u64 n = 0;

	while (pos != head) {
		older = pos->next;
		st = list_entry(pos, struct sc_stage, lru);
		if (sc_queues_is_marker(st)) {
			list_del_init(&st->lru);
			st->queue = SC_QUEUE_NONE;
		} else if (!WARN_ON_ONCE(st->flags & SC_STAGE_WRITING)) {
			sc_queues_unlink(q, st);
			list_move_tail(&st->lru, out);
			n++;
		}
		pos = older;
	}
	return n;
}

/**
 * sc_queues_drain() - every block onto @out, for the destructor
 * @q: the queues
 * @out: blocks appended here, newest first, for the caller to free
 *
 * Markers are detached.  The writer must be idle: a WRITING block is a
 * bug, warned about and left.
 *
 * Return: the number put on @out.
 */
u64 sc_queues_drain(struct sc_queues *q, struct list_head *out)
{
	return sc_queues_drain_one(q, &q->active, out) +
	       sc_queues_drain_one(q, &q->inactive, out);
}

/* ---- the writer's marker scan ----------------------------------------- */

/**
 * sc_queues_marker_init() - a scan marker on no queue
 * @marker: the writer's marker, embedded in the target
 */
void sc_queues_marker_init(struct sc_stage *marker)
{
	memset(marker, 0, sizeof(*marker));
	INIT_LIST_HEAD(&marker->lru);
	INIT_HLIST_NODE(&marker->hash);
	marker->queue = SC_QUEUE_NONE;
	marker->flags = SC_STAGE_MARKER;
}

/* The first block newer than @marker, stepping over other markers. */
static struct sc_stage *sc_queues_newer(struct sc_queues *q,
					struct sc_stage *marker)
{
	struct list_head *pos;
	struct sc_stage *st;

	for (pos = marker->lru.prev; pos != &q->inactive; pos = pos->prev) {
		st = list_entry(pos, struct sc_stage, lru);
		if (!sc_queues_is_marker(st))
			return st;
	}
	return NULL;
}

/**
 * sc_queues_scan_start() - begin a pass of the writer, or resume one
 * @q: the queues
 * @marker: the writer's marker
 *
 * The marker goes to the oldest end of the inactive queue if it is on no
 * queue or if its last scan_next returned NULL (the previous pass is
 * complete); otherwise it stays where it is and the pass in progress
 * resumes.
 */
void sc_queues_scan_start(struct sc_queues *q, struct sc_stage *marker)
{
	if (WARN_ON_ONCE(!sc_queues_is_marker(marker)))
		return;
	if (marker->queue == SC_QUEUE_INACTIVE &&
	    !(marker->flags & SC_STAGE_SCAN_DONE))
		return;
	if (marker->queue == SC_QUEUE_INACTIVE)
		list_move_tail(&marker->lru, &q->inactive);
	else
		list_add_tail(&marker->lru, &q->inactive);
	marker->queue = SC_QUEUE_INACTIVE;
	marker->flags &= ~SC_STAGE_SCAN_DONE;
}

/**
 * sc_queues_scan_next() - the next block of the writer's pass
 * @q: the queues
 * @marker: the writer's marker
 *
 * The oldest inactive block newer than the marker, which moves just past
 * it.  When there is none the marker stays at the newest end, so a later
 * call returns blocks deactivated since, until sc_queues_scan_start()
 * begins a new pass from the oldest end.
 *
 * Return: the block, still on the inactive queue (the caller inspects it
 * with sc_queues_writable() before it drops the lock), or NULL.
 */
struct sc_stage *sc_queues_scan_next(struct sc_queues *q,
				     struct sc_stage *marker)
{
	struct sc_stage *st;

	if (WARN_ON_ONCE(!sc_queues_is_marker(marker) ||
			 marker->queue != SC_QUEUE_INACTIVE))
		return NULL;
	st = sc_queues_newer(q, marker);
	if (!st) {
		marker->flags |= SC_STAGE_SCAN_DONE;
		return NULL;
	}
	/* just newer than st: between st and the entry that followed it */
	list_move_tail(&marker->lru, &st->lru);
	marker->flags &= ~SC_STAGE_SCAN_DONE;
	return st;
}

/**
 * sc_queues_marker_remove() - take the marker off the queue (writer stop)
 * @q: the queues
 * @marker: the writer's marker; harmless if it is off
 */
void sc_queues_marker_remove(struct sc_queues *q, struct sc_stage *marker)
{
	if (WARN_ON_ONCE(!sc_queues_is_marker(marker)))
		return;
	if (marker->queue != SC_QUEUE_NONE &&
	    !WARN_ON_ONCE(list_empty(&q->inactive)))
		list_del_init(&marker->lru);
	marker->queue = SC_QUEUE_NONE;
	marker->flags &= ~SC_STAGE_SCAN_DONE;
}

/* ---- writer bookkeeping ----------------------------------------------- */

/**
 * sc_queues_writable() - may the writer copy @st to the SSD?
 * @st: a block from sc_queues_scan_next() or sc_queues_cluster()
 *
 * Return: false when @st is on the SSD already, being written, DEAD or a
 * marker.
 */
bool sc_queues_writable(const struct sc_stage *st)
{
	return !(st->flags & (SC_STAGE_ONSSD | SC_STAGE_WRITING |
			      SC_STAGE_DEAD | SC_STAGE_MARKER));
}

/**
 * sc_queues_cluster() - the writable blocks of @st's cluster
 * @q: the queues
 * @st: a writable staged block
 * @out: room for SC_QUEUES_CLUSTER blocks
 *
 * The writable staged blocks of @st's 16-aligned origin cluster, in oblock
 * order; @st is always included.
 *
 * Return: the number put in @out, at least 1.
 */
unsigned int sc_queues_cluster(struct sc_queues *q, struct sc_stage *st,
			       struct sc_stage **out)
{
	u64 base = st->oblock & ~(u64)(SC_QUEUES_CLUSTER - 1);
	struct sc_stage *c;
	unsigned int i, n = 0;

	for (i = 0; i < SC_QUEUES_CLUSTER; i++) {
		if (base + i == st->oblock)
			c = st;
		else
			c = sc_queues_lookup(q, base + i);
		if (c == st || (c && sc_queues_writable(c)))
			out[n++] = c;
	}
	return n;
}

/**
 * sc_queues_write_start() - the SSD write of @st is issued
 * @q: the queues
 * @st: a block the caller checked with sc_queues_writable()
 *
 * The buffer is now in use: @st is WRITING, not reclaimable.
 */
void sc_queues_write_start(struct sc_queues *q, struct sc_stage *st)
{
	if (WARN_ON_ONCE(!sc_queues_writable(st)))
		return;
	st->flags |= SC_STAGE_WRITING;
	q->nr_writing++;
}

/**
 * sc_queues_write_done() - the SSD write of @st completed
 * @q: the queues
 * @st: the block
 * @installed: its copy is now valid on the SSD
 *
 * Return: true if @st was invalidated meanwhile (DEAD): free it now.
 */
bool sc_queues_write_done(struct sc_queues *q, struct sc_stage *st,
			  bool installed)
{
	if (WARN_ON_ONCE(!(st->flags & SC_STAGE_WRITING)))
		return false;
	st->flags &= ~SC_STAGE_WRITING;
	q->nr_writing--;
	if (st->flags & SC_STAGE_DEAD)
		return true;
	if (installed)
		st->flags |= SC_STAGE_ONSSD;
	return false;
}
