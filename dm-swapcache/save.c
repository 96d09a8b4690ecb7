// SPDX-License-Identifier: GPL-2.0
/*
 * save.c - the checkpoint of a clean suspend, which a CLEAN superblock
 * then vouches for (super.c; the argument is in Documentation/design.rst,
 * "What the format must guarantee").
 *
 * Postsuspend calls sc_save() once the daemon has paused and its SSD
 * writes have completed; dm has waited for every bio of the target
 * before postsuspend, so the map no longer changes.  It:
 *
 *  1. writes, under ckpt_gen + 1, the checkpoint pages whose group of
 *     the map changed (map.c, CHANGED GROUPS), in runs of up to
 *     SC_CKPT_BATCH pages, without FUA: the superblock's PREFLUSH makes
 *     them durable before it;
 *  2. flushes the origin: a copy may have come from data still in the
 *     HDD's volatile cache;
 *  3. takes the origin sample the next load compares.
 *
 * Any failure is returned, and the caller leaves the superblock OPEN.
 *
 * Locking: the map is read and its groups cleared under sc->lock, a page
 * per hold; sc->sb belongs to postsuspend here (S).
 */
#include <linux/blkdev.h>
#include <linux/sched.h>
#include "swapcache.h"

/*
 * Write the run of @n pages from @first.  Their groups were cleared as
 * they were filled, so a change since sets them again; a failed write
 * sets them again too.
 */
static int sc_save_run(struct swapcache *sc, u64 first, unsigned int n)
{
	unsigned long flags;
	unsigned int i;
	int r;

	r = sc_ckpt_io(sc, REQ_OP_WRITE | REQ_SYNC, first, n);
	if (!r)
		return 0;
	sc_lock_irqsave(sc, flags);
	for (i = 0; i < n; i++)
		sc_map_group_set(sc->map, first + i, true);
	sc_unlock_irqrestore(sc, flags);
	return r;
}

/* Step 1: the pages that changed; *@pages set to how many were written. */
static int sc_save_pages(struct swapcache *sc, u64 *pages)
{
	struct sc_ckpt_hdr h = {
		.format_gen = sc->sb.format_gen,
		.ckpt_gen = sc->sb.ckpt_gen,
	};
	u64 p, first = 0;
	unsigned long flags;
	unsigned int n = 0;
	bool changed;
	int r;

	*pages = 0;
	for (p = 0; p < sc->sb.ckpt_pages; p++) {
		h.page_no = p;
		sc_lock_irqsave(sc, flags);
		changed = sc_map_group_changed(sc->map, p);
		if (changed) {
			sc_warm_fill(sc->map, sc_ckpt_buf(sc, n), &h,
				     sc_ckpt_page_entries(sc->sb.data_blocks,
							  p));
			sc_map_group_set(sc->map, p, false);
		}
		sc_unlock_irqrestore(sc, flags);
		if (changed && !n++)
			first = p;
		/* A run ends at a page that did not change, or when full. */
		if (n && (!changed || n == SC_CKPT_BATCH ||
			  p + 1 == sc->sb.ckpt_pages)) {
			r = sc_save_run(sc, first, n);
			if (r)
				return r;
			*pages += n;
			n = 0;
		}
		cond_resched();
	}
	return 0;
}

/**
 * sc_save() - write the checkpoint a CLEAN superblock may vouch for
 * @sc: the target, suspended, its daemon paused, nothing in flight
 *
 * On success sc->sb.ckpt_gen is the checkpoint's and sc->sb.origin_sample
 * the origin's now: the caller writes the superblock CLEAN.
 *
 * Return: 0, or a negative errno (the superblock stays OPEN).
 */
int sc_save(struct swapcache *sc)
{
	u64 pages, sample, changes;
	unsigned long flags;
	bool moved;
	int r;

	/* Every page this save writes is of the new generation. */
	sc->sb.ckpt_gen++;
	sc_lock_irqsave(sc, flags);
	changes = sc_map_changes(sc->map);
	sc_unlock_irqrestore(sc, flags);
	r = sc_save_pages(sc, &pages);
	if (r) {
		DMERR("%s: cannot write the checkpoint (%d): the next load starts cold",
		      sc_name(sc), r);
		return r;
	}
	r = blkdev_issue_flush(sc->origin->bdev);
	if (!r)
		r = sc_origin_sample(sc, &sample);
	if (r) {
		DMERR("%s: cannot flush or read the origin (%d): the next load starts cold",
		      sc_name(sc), r);
		return r;
	}
	/*
	 * dm waited for every bio before postsuspend, except on a remove of
	 * a device not suspended (Known issues): a copy dropped meanwhile
	 * may be on a page written already.
	 */
	sc_lock_irqsave(sc, flags);
	moved = sc_map_changes(sc->map) != changes;
	sc_unlock_irqrestore(sc, flags);
	if (moved) {
		DMERR("%s: the map changed during the checkpoint: the next load starts cold",
		      sc_name(sc));
		return -EBUSY;
	}
	sc->sb.origin_sample = sample;
	return 0;
}
