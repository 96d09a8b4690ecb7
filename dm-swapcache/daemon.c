// SPDX-License-Identifier: GPL-2.0
/*
 * daemon.c - swapcached, one kernel thread per target, DragonFly's
 * vm_swapcached_thread for a block device.  Ten times a second it:
 *
 *  1. grows the staging hash if the RAM budget was raised, ages the active
 *     queue and reclaims staged blocks over the budget, in batches of
 *     SC_QUEUES_BATCH blocks per hold of sc->lock;
 *  2. asks the burst state machine (burst.c) what to do;
 *  3. WRITE: scans the inactive queue from its marker and copies idle
 *     staged blocks to the SSD, clustered by origin range and filled to
 *     16 blocks, one bio per SSD extent, while the burst budget lasts;
 *  4. CLEAN: frees SSD blocks with the map's clock until use is below
 *     maxswappct - 5.
 *
 * After a warm start it first loads the checkpoint (load.c), and steps 2
 * to 4 wait until the load is over.
 *
 * The thread is created with the target and stopped with it; it works
 * only while the target is resumed: postsuspend pauses it and waits for
 * its SSD writes (sc_daemon_stop), so a suspended target writes nothing,
 * and resume lets it run again (sc_daemon_start).  Resume runs while dm
 * still holds the device's I/O, so it must not allocate: creating a
 * thread there would (kthreadd allocates, and resume would wait for it).
 * The pause is the thread's own freezable wait, not kthread_park(): a
 * parked thread cannot be frozen, so a suspended device would block
 * hibernation.  Everything it touches that I/O paths touch too is under
 * sc->lock; struct sc_wio is its own until the bio completes.
 */
#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include "swapcache.h"

/* Active blocks visited per tick: the whole queue once a second. */
#define SC_AGE_MIN_SCAN		64
/* SSD blocks examined and freed per cleaning call, to bound lock holds. */
#define SC_CLEAN_MAX_FREE	1024
#define SC_CLEAN_MAX_SCAN	4096
#define SC_CLEAN_CALLS		16
/* Staged blocks reclaimed per call. */
#define SC_RECLAIM_BATCH	256
/*
 * SSD writes in flight at most (16 blocks each): a stalled SSD cannot
 * leave the whole budget WRITING, which reclaim would then step over on
 * every call.  Far above what a working SSD keeps in flight at 10 Hz.
 */
#define SC_MAX_WRITES_INFLIGHT	64
/* Blocks the scan may step over for one write before it yields. */
#define SC_SCAN_SKIP_MAX	1024

/* One SSD write: a run of staged blocks to a run of SSD blocks. */
struct sc_wio {
	struct swapcache *sc;
	sc_cblock_t cblock;
	unsigned int n;
	struct sc_stage *st[SC_CLUSTER_BLOCKS];
};

static void sc_params(struct swapcache *sc, struct sc_burst_params *p)
{
	p->accrate = sc_knob(sc, SC_KNOB_ACCRATE);
	p->maxburst = sc_knob(sc, SC_KNOB_MAXBURST);
	p->minburst = sc_knob(sc, SC_KNOB_MINBURST);
	p->maxswappct = sc_knob(sc, SC_KNOB_MAXSWAPPCT);
	p->hysteresis = sc_knob(sc, SC_KNOB_HYSTERESIS);
}

/*
 * Step 1a: a budget raised at run time grows the staging hash: the bigger
 * table is allocated here, without the lock, and the blocks move to it
 * SC_QUEUES_BATCH at a time, the lock dropped between batches.
 */
static void sc_grow_hash(struct swapcache *sc)
{
	struct sc_queues *q = &sc->queues;
	struct hlist_head *buckets, *old;
	unsigned long flags;
	unsigned int bits, noio;
	bool growing;

	sc_lock_irqsave(sc, flags);
	bits = sc_queues_hash_want(q);
	growing = q->old_buckets;
	sc_unlock_irqrestore(sc, flags);
	if (bits) {
		/*
		 * Postsuspend waits for this thread while dm holds the
		 * device's I/O: reclaim must not wait on it (noio), and a
		 * big table fails rather than wake the OOM killer.
		 */
		noio = memalloc_noio_save();
		buckets = kvcalloc(1UL << bits, sizeof(*buckets),
				   GFP_KERNEL | __GFP_RETRY_MAYFAIL |
				   __GFP_NOWARN);
		memalloc_noio_restore(noio);
		if (!buckets)
			return;		/* longer chains; retried next tick */
		sc_lock_irqsave(sc, flags);
		if (sc_queues_hash_want(q) == bits) {
			sc_queues_hash_start(q, buckets, bits);
			buckets = NULL;
		}
		sc_unlock_irqrestore(sc, flags);
		kvfree(buckets);
		growing = true;
	}
	while (growing) {
		sc_lock_irqsave(sc, flags);
		old = sc_queues_hash_step(q);
		growing = q->old_buckets;
		sc_unlock_irqrestore(sc, flags);
		kvfree(old);
		cond_resched();
	}
}

/*
 * Step 1: aging and the RAM budget.  The page daemon's inactive target:
 * when staged blocks fill more than half the budget, the inactive queue is
 * topped up to a quarter of it with the oldest active blocks, so that at a
 * high miss rate the writer still finds blocks before reclaim frees them.
 * Both walks go SC_QUEUES_BATCH blocks per hold of the lock.
 */
static void sc_age(struct swapcache *sc)
{
	u64 budget = sc_budget_blocks(sc), deactivated = 0, scan, n, moved;
	struct sc_queues *q = &sc->queues;
	unsigned long flags;
	LIST_HEAD(to_free);

	sc_lock_irqsave(sc, flags);
	sc_queues_set_budget(q, budget);
	scan = max_t(u64, q->nr_active / SC_BURST_HZ, SC_AGE_MIN_SCAN);
	while (scan && q->nr_active) {
		n = min_t(u64, scan, SC_QUEUES_BATCH);
		deactivated += sc_queues_age(q, n);
		scan -= n;
		sc_unlock_irqrestore(sc, flags);
		cond_resched();
		sc_lock_irqsave(sc, flags);
	}
	while (q->nr_active + q->nr_inactive > budget / 2 &&
	       q->nr_inactive < budget / 4) {
		moved = sc_queues_deactivate(q, budget / 4 - q->nr_inactive);
		if (!moved)
			break;
		deactivated += moved;
		sc_unlock_irqrestore(sc, flags);
		cond_resched();
		sc_lock_irqsave(sc, flags);
	}
	sc_burst_note_inactive(&sc->burst, deactivated);
	/* Down to the budget, a batch a hold: a lowered budget holds now. */
	while (sc_queues_reclaim(q, &to_free, SC_RECLAIM_BATCH)) {
		__sc_note_drops(sc, &to_free);
		sc_unlock_irqrestore(sc, flags);
		sc_free_stage_list(&to_free);
		INIT_LIST_HEAD(&to_free);
		cond_resched();
		sc_lock_irqsave(sc, flags);
	}
	sc_unlock_irqrestore(sc, flags);
}

/* ---- Writing ------------------------------------------------------------- */

static void sc_write_end(struct bio *bio)
{
	struct sc_wio *w = bio->bi_private;
	struct swapcache *sc = w->sc;
	bool ok = bio->bi_status == BLK_STS_OK, installed;
	struct sc_stage *st;
	unsigned long flags;
	LIST_HEAD(to_free);
	unsigned int i;

	bio_put(bio);		/* back to sc->bs while sc surely lives */
	sc_lock_irqsave(sc, flags);
	for (i = 0; i < w->n; i++) {
		st = w->st[i];
		/* A block written to meanwhile is DEAD: never installed. */
		installed = ok && !(st->flags & SC_STAGE_DEAD) &&
			    !sc->degraded;
		if (installed)
			sc_map_install(sc->map, w->cblock + i, st->oblock);
		else
			sc_map_release(sc->map, w->cblock + i);
		if (sc_queues_write_done(&sc->queues, st, installed))
			list_add(&st->lru, &to_free);
	}
	sc_unlock_irqrestore(sc, flags);

	if (!ok)
		sc_ssd_error(sc);
	sc_free_stage_list(&to_free);
	kfree(w);
	/*
	 * Last access to sc: sc_daemon_stop() waits for the count under the
	 * lock, so it cannot return (and sc be freed) before this unlock.
	 */
	sc_lock_irqsave(sc, flags);
	if (!--sc->ssd_writes_inflight)
		wake_up(&sc->ssd_writes_wait);
	sc_unlock_irqrestore(sc, flags);
}

/* May @st go to the SSD now, by state and by class?  Caller: L. */
static bool sc_pickable(struct swapcache *sc, struct sc_stage *st)
{
	/* Its SSD copy was cleaned or dropped since: it may go again. */
	if ((st->flags & (SC_STAGE_ONSSD | SC_STAGE_WRITING)) ==
	    SC_STAGE_ONSSD && !sc_map_present(sc->map, st->oblock))
		st->flags &= ~SC_STAGE_ONSSD;
	if (!sc_queues_writable(st))
		return false;
	/* Read once only: not worth the SSD's wear (min_reads 2). */
	if (__sc_read_once_off(sc, st))
		return false;
	if (st->flags & SC_STAGE_META)
		return sc_knob(sc, SC_KNOB_META_ENABLE);
	return sc_knob(sc, SC_KNOB_DATA_ENABLE);
}

/*
 * Gather up to @max (<= 16) blocks for one write: @first and its writable
 * origin neighbours (vm_swapcached_flush), then more inactive blocks from
 * the scan.  Every gathered block is marked WRITING.  Sets *at_end when
 * the scan ran off the queue.  Caller: L.
 */
static unsigned int __sc_gather(struct swapcache *sc, struct sc_stage *first,
				struct sc_stage **batch, unsigned int max,
				bool *at_end)
{
	struct sc_stage *cl[SC_CLUSTER_BLOCKS], *st;
	unsigned int i, n = 0, ncl, skipped = 0;
	bool took_first = false;

	ncl = sc_queues_cluster(&sc->queues, first, cl);
	/*
	 * In origin order, so that neighbours sit side by side on the SSD
	 * too (SSD hits are read as runs); @first always, its neighbours
	 * while there is room, keeping a slot for @first.
	 */
	for (i = 0; i < ncl && n < max; i++) {
		if (cl[i] == first) {
			took_first = true;
		} else if (!sc_pickable(sc, cl[i]) ||
			   n + !took_first >= max) {
			continue;
		}
		sc_queues_write_start(&sc->queues, cl[i]);
		batch[n++] = cl[i];
	}
	while (n < max) {
		st = sc_queues_scan_next(&sc->queues, &sc->marker);
		if (!st) {
			*at_end = true;
			break;
		}
		if (!sc_pickable(sc, st)) {
			if (++skipped >= SC_SCAN_SKIP_MAX)
				break;
			continue;
		}
		sc_queues_write_start(&sc->queues, st);
		batch[n++] = st;
	}
	return n;
}

/* Blocks gathered but not written: back to writable.  Caller: L. */
static void __sc_ungather(struct swapcache *sc, struct sc_stage **batch,
			  unsigned int n)
{
	unsigned int i;

	/* Nothing can have killed them: the lock was held throughout. */
	for (i = 0; i < n; i++)
		WARN_ON_ONCE(sc_queues_write_done(&sc->queues, batch[i],
						  false));
}

static void sc_submit_write(struct swapcache *sc, struct sc_wio *w)
{
	struct bio *bio;
	unsigned int i;

	bio = bio_alloc_bioset(sc->cache->bdev, w->n, REQ_OP_WRITE,
			       GFP_NOIO, &sc->bs);
	bio->bi_iter.bi_sector = sc_cblock_sector(sc, w->cblock);
	bio->bi_end_io = sc_write_end;
	bio->bi_private = w;
	for (i = 0; i < w->n; i++)
		__bio_add_page(bio, virt_to_page(w->st[i]->data),
			       sc->block_size, offset_in_page(w->st[i]->data));
	submit_bio(bio);
}

/*
 * One write of at most @max blocks: pick the next block from the marker,
 * gather, allocate SSD space (halving on fragmentation), charge the burst
 * budget.  Returns the blocks written, 0 when the pass should stop.
 */
static unsigned int sc_write_one(struct swapcache *sc, unsigned int max,
				 bool *at_end)
{
	struct sc_wio *w = kzalloc(sizeof(*w), GFP_NOIO);
	struct sc_stage *batch[SC_CLUSTER_BLOCKS], *st;
	unsigned int n = 0, got = 0, skipped = 0;
	unsigned long flags;

	if (!w)
		return 0;
	sc_lock_irqsave(sc, flags);
	if (sc->ssd_writes_inflight >= SC_MAX_WRITES_INFLIGHT) {
		sc_unlock_irqrestore(sc, flags);
		kfree(w);
		return 0;
	}
	while ((st = sc_queues_scan_next(&sc->queues, &sc->marker)) &&
	       !sc_pickable(sc, st) && ++skipped < SC_SCAN_SKIP_MAX)
		;
	if (!st)
		*at_end = true;
	else if (sc_pickable(sc, st))
		n = __sc_gather(sc, st, batch, max, at_end);
	if (n) {
		w->cblock = sc_map_alloc(sc->map, n, &got);
		if (w->cblock == SC_CBLOCK_NONE)
			got = 0;
		__sc_ungather(sc, batch + got, n - got);
		if (got) {
			sc_burst_charge(&sc->burst,
					(u64)got << (sc->block_shift +
						     SECTOR_SHIFT));
			sc->stats.ssd_writes++;
			sc->ssd_writes_inflight++;
		}
	}
	sc_unlock_irqrestore(sc, flags);

	if (!got) {
		kfree(w);
		return 0;
	}
	w->sc = sc;
	w->n = got;
	memcpy(w->st, batch, got * sizeof(*batch));
	sc_submit_write(sc, w);
	return got;
}

/* Step 3: a writing pass of at most maxlaunder blocks. */
static void sc_write_pass(struct swapcache *sc,
			  const struct sc_burst_params *p)
{
	u64 count = sc_knob(sc, SC_KNOB_MAXLAUNDER);
	bool at_end = false, more = true;
	unsigned long flags;
	unsigned int n;

	sc_lock_irqsave(sc, flags);
	if (!sc_burst_may_write(&sc->burst, p)) {
		sc_unlock_irqrestore(sc, flags);
		return;
	}
	sc_queues_scan_start(&sc->queues, &sc->marker);
	sc_unlock_irqrestore(sc, flags);

	while (more && count && !at_end && !READ_ONCE(sc->degraded) &&
	       !kthread_should_stop()) {
		sc_lock_irqsave(sc, flags);
		more = sc_burst_may_issue(&sc->burst);
		sc_unlock_irqrestore(sc, flags);
		if (!more)
			break;
		n = sc_write_one(sc, min_t(u64, count, SC_CLUSTER_BLOCKS),
				 &at_end);
		if (!n)
			break;
		count -= min_t(u64, count, n);
	}
	if (at_end) {
		sc_lock_irqsave(sc, flags);
		sc_burst_scan_at_end(&sc->burst, p);
		sc_unlock_irqrestore(sc, flags);
	}
}

/* ---- Cleaning ------------------------------------------------------------ */

/* Step 4: free SSD blocks until use is below maxswappct - 5. */
static void sc_clean(struct swapcache *sc, const struct sc_burst_params *p)
{
	u64 total = sc->cache_blocks, low, used, freed;
	unsigned long flags;
	int i;

	low = total * (p->maxswappct - 5) / 100;
	for (i = 0; i < SC_CLEAN_CALLS; i++) {
		sc_lock_irqsave(sc, flags);
		used = sc_map_used(sc->map);
		freed = 0;
		if (used >= low)
			freed = sc_map_clean(sc->map,
					     min_t(u64, used - low + 1,
						   SC_CLEAN_MAX_FREE),
					     SC_CLEAN_MAX_SCAN);
		sc_unlock_irqrestore(sc, flags);
		if (used < low || !freed)
			break;
		cond_resched();
	}
}

/* ---- The thread ---------------------------------------------------------- */

static void sc_tick(struct swapcache *sc)
{
	struct sc_burst_params p;
	enum sc_burst_action act;
	unsigned long flags;

	sc_params(sc, &p);
	sc_grow_hash(sc);
	sc_age(sc);
	sc_wear_tick(sc);
	if (READ_ONCE(sc->degraded)) {
		/* No CLEAN follows: a load running gives up. */
		sc_load_abandon(sc);
		return;
	}
	/* The writer and the cleaner wait for a warm load (load.c). */
	if (sc_load_step(sc))
		return;

	sc_lock_irqsave(sc, flags);
	act = sc_burst_tick(&sc->burst, &p, sc_map_used(sc->map),
			    sc->cache_blocks);
	/* The first fill is over (min_reads): see __sc_read_once_off(). */
	if (sc->burst.wstate == SC_WSTATE_CLEANING)
		sc->filled = true;
	sc_unlock_irqrestore(sc, flags);

	switch (act) {
	case SC_BURST_WRITE:
		sc_write_pass(sc, &p);
		sc_lock_irqsave(sc, flags);
		sc_burst_pass_done(&sc->burst);
		sc_unlock_irqrestore(sc, flags);
		break;
	case SC_BURST_CLEAN:
		sc_clean(sc, &p);
		break;
	case SC_BURST_IDLE:
		break;
	}
}

/*
 * The thread's safe point: acknowledge a pause that postsuspend asked for.
 * Returns whether it may work now.
 */
static bool sc_daemon_may_run(struct swapcache *sc)
{
	bool run;

	spin_lock_irq(&sc->lock);
	if (sc->daemon_state == SC_DAEMON_PAUSING) {
		sc->daemon_state = SC_DAEMON_PAUSED;
		wake_up(&sc->daemon_wait);
	}
	run = sc->daemon_state == SC_DAEMON_RUNNING;
	spin_unlock_irq(&sc->lock);
	return run;
}

static bool sc_daemon_state_is(struct swapcache *sc, enum sc_daemon_state s)
{
	return READ_ONCE(sc->daemon_state) == s;
}

/* What ends the thread's waits: it must stop, or its state is no longer @s. */
static bool sc_left(struct swapcache *sc, enum sc_daemon_state s)
{
	return kthread_should_stop() || !sc_daemon_state_is(sc, s);
}

/*
 * Freezable: across hibernation the thread must not clean and reuse SSD
 * blocks that the saved image's map still points at.
 */
static int sc_daemon(void *data)
{
	struct swapcache *sc = data;

	set_freezable();
	while (!kthread_should_stop()) {
		if (!sc_daemon_may_run(sc)) {
			wait_event_freezable(sc->daemon_wait,
					     sc_left(sc, SC_DAEMON_PAUSED));
			continue;
		}
		wait_event_freezable_timeout(sc->daemon_wait,
					     sc_left(sc, SC_DAEMON_RUNNING),
					     HZ / SC_BURST_HZ);
		if (!kthread_should_stop() &&
		    sc_daemon_state_is(sc, SC_DAEMON_RUNNING))
			sc_tick(sc);
	}
	return 0;
}

/**
 * sc_daemon_create() - the constructor's thread, paused until the first resume
 * @sc: the target
 * @error: set to the ti->error text on failure
 *
 * Return: 0, or a negative errno.
 */
int sc_daemon_create(struct swapcache *sc, char **error)
{
	struct task_struct *t;

	/* "swapcached<minor>", cut to TASK_COMM_LEN for minors >= 10^5. */
	t = kthread_run(sc_daemon, sc, "swapcached%d",
			dm_disk(dm_table_get_md(sc->ti->table))->first_minor);
	if (IS_ERR(t)) {
		*error = "Cannot start the daemon thread";
		return PTR_ERR(t);
	}
	sc->daemon = t;
	return 0;
}

/**
 * sc_daemon_start() - let the thread work (resume)
 * @sc: the target
 *
 * Allocates nothing.
 */
void sc_daemon_start(struct swapcache *sc)
{
	spin_lock_irq(&sc->lock);
	if (sc->daemon) {
		sc->daemon_state = SC_DAEMON_RUNNING;
		wake_up(&sc->daemon_wait);
	}
	spin_unlock_irq(&sc->lock);
}

/**
 * sc_daemon_stop() - pause the thread at its safe point (postsuspend)
 * @sc: the target; a half-built one is tolerated
 *
 * Waits for the thread to pause and for its SSD writes to complete.
 *
 * Context: process context; may sleep.
 */
void sc_daemon_stop(struct swapcache *sc)
{
	spin_lock_irq(&sc->lock);
	if (sc->daemon_state == SC_DAEMON_RUNNING) {
		sc->daemon_state = SC_DAEMON_PAUSING;
		wake_up(&sc->daemon_wait);
		wait_event_lock_irq(sc->daemon_wait,
				    sc->daemon_state == SC_DAEMON_PAUSED,
				    sc->lock);
	}
	wait_event_lock_irq(sc->ssd_writes_wait, !sc->ssd_writes_inflight,
			    sc->lock);
	if (sc->queues.buckets)
		sc_queues_marker_remove(&sc->queues, &sc->marker);
	spin_unlock_irq(&sc->lock);
}

/**
 * sc_daemon_destroy() - pause, then end the thread (destructor)
 * @sc: the target, which may be freed after this
 */
void sc_daemon_destroy(struct swapcache *sc)
{
	sc_daemon_stop(sc);
	if (sc->daemon) {
		kthread_stop(sc->daemon);
		sc->daemon = NULL;
	}
}
