// SPDX-License-Identifier: GPL-2.0
/*
 * shrinker.c - staged RAM given back to the kernel under memory pressure.
 *
 * Staged blocks are clean copies of origin blocks, so any of them may go
 * at any time; ram_budget bounds each target, but several targets (or one
 * with a large budget) could still hold RAM that a program needs.  One
 * shrinker for the module covers every target: count is the staged blocks
 * it could free now (not those being written to the SSD), scan frees them
 * in bounded batches under each target's lock, oldest inactive first, a
 * batch from each target in turn, and frees the memory outside the lock.
 * Each target counts what it gave back (shrunk_blocks).
 *
 * sc_shrink_lock guards the list of targets; a target is on it from the
 * end of sc_engine_create() to the start of sc_engine_destroy(), so the
 * shrinker never sees one half built or half gone.
 */
#include <linux/mutex.h>
#include <linux/list.h>
#include <linux/sched.h>
#include "swapcache.h"
#include "compat.h"

/* Staged blocks freed per lock hold. */
#define SC_SHRINK_BATCH		128

static LIST_HEAD(sc_shrink_list);	/* under sc_shrink_lock */
static DEFINE_MUTEX(sc_shrink_lock);
static struct shrinker *sc_shrinker;

static unsigned long sc_shrink_count(struct shrinker *s,
				     struct shrink_control *ctl)
{
	struct swapcache *sc;
	unsigned long flags, n = 0;

	mutex_lock(&sc_shrink_lock);
	list_for_each_entry(sc, &sc_shrink_list, shrink_node) {
		sc_lock_irqsave(sc, flags);
		n += sc_queues_reclaimable(&sc->queues);
		sc_unlock_irqrestore(sc, flags);
	}
	mutex_unlock(&sc_shrink_lock);
	return n ? n : SHRINK_EMPTY;
}

/* Free up to @max staged blocks of @sc; returns how many went. */
static unsigned long sc_shrink_one(struct swapcache *sc, unsigned long max)
{
	unsigned long flags;
	LIST_HEAD(to_free);
	u64 n;

	sc_lock_irqsave(sc, flags);
	n = sc_queues_shrink(&sc->queues, &to_free, max);
	__sc_note_drops(sc, &to_free);
	sc->stats.shrunk += n;
	sc_unlock_irqrestore(sc, flags);
	sc_free_stage_list(&to_free);
	return n;
}

static unsigned long sc_shrink_scan(struct shrinker *s,
				    struct shrink_control *ctl)
{
	unsigned long want = ctl->nr_to_scan, freed = 0, round, n;
	struct swapcache *sc;

	mutex_lock(&sc_shrink_lock);
	do {
		round = 0;
		list_for_each_entry(sc, &sc_shrink_list, shrink_node) {
			n = sc_shrink_one(sc, min_t(unsigned long,
						    want - freed,
						    SC_SHRINK_BATCH));
			round += n;
			freed += n;
			if (freed >= want)
				break;
		}
		cond_resched();
	} while (round && freed < want);
	mutex_unlock(&sc_shrink_lock);
	ctl->nr_scanned = freed;
	return freed ? freed : SHRINK_STOP;
}

/**
 * sc_shrinker_add() - let the shrinker take staged blocks of @sc
 * @sc: the target
 *
 * Context: process context; takes sc_shrink_lock.
 */
void sc_shrinker_add(struct swapcache *sc)
{
	mutex_lock(&sc_shrink_lock);
	list_add_tail(&sc->shrink_node, &sc_shrink_list);
	mutex_unlock(&sc_shrink_lock);
}

/**
 * sc_shrinker_remove() - undo sc_shrinker_add()
 * @sc: the target; one never added is tolerated (constructor unwinding)
 *
 * Context: process context; takes sc_shrink_lock.
 */
void sc_shrinker_remove(struct swapcache *sc)
{
	if (!sc->shrink_node.next)
		return;
	mutex_lock(&sc_shrink_lock);
	list_del(&sc->shrink_node);
	mutex_unlock(&sc_shrink_lock);
	sc->shrink_node.next = NULL;
}

/**
 * sc_shrinker_init() - register the module's one shrinker
 *
 * Context: module init.
 * Return: 0, or -ENOMEM.
 */
int sc_shrinker_init(void)
{
	sc_shrinker = shrinker_alloc(0, "dm-swapcache");
	if (!sc_shrinker)
		return -ENOMEM;
	sc_shrinker->count_objects = sc_shrink_count;
	sc_shrinker->scan_objects = sc_shrink_scan;
	sc_shrinker->batch = SC_SHRINK_BATCH;
	shrinker_register(sc_shrinker);
	return 0;
}

/**
 * sc_shrinker_exit() - unregister and free the shrinker
 *
 * Context: module exit, or a failed module init.
 */
void sc_shrinker_exit(void)
{
	shrinker_free(sc_shrinker);
	sc_shrinker = NULL;
}
