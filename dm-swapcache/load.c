// SPDX-License-Identifier: GPL-2.0
/*
 * load.c - the warm start's load: the checkpoint a clean suspend left is
 * read back into the map by the daemon thread, after resume, while I/O
 * flows.
 *
 * A read of a block not loaded yet is an ordinary miss.  A write marks its
 * blocks in the written bitmap (io.c, under sc->lock) and the loader
 * leaves out every entry whose bit is set (warm.h has the argument).  The
 * SSD writer and the cleaner wait until the load is over, so no cblock the
 * checkpoint names is handed out before the loader takes it.
 *
 * A page that fails sc_ckpt_check() gives no copy, and its group is
 * marked changed, so the next save rewrites it from the map.  Postsuspend
 * ends a load that has not finished (sc_load_abandon()): the pages not
 * loaded are marked changed the same way, and the save rewrites them
 * from the map, which does not hold them.
 *
 * Locking: ps->loading, the bits of ps->written, ps->count and the map's
 * groups are L; load_next is the daemon's while it loads (postsuspend
 * reads it after pausing it); load_left is read with READ_ONCE.
 */
#include <linux/sched.h>
#include "swapcache.h"

/* Batches of SC_CKPT_BATCH pages per daemon tick: 4 MiB. */
#define SC_LOAD_BATCHES		64

/**
 * sc_load_start() - a warm start: load the checkpoint once resumed
 * @sc: the target, in its first preresume, its superblock's generations
 *      those of the clean superblock found
 */
void sc_load_start(struct swapcache *sc)
{
	struct sc_persist *ps = &sc->ps;
	unsigned long flags;

	memset(ps->written, 0, SC_WARM_BYTES);
	ps->load_next = 0;
	WRITE_ONCE(ps->load_left, sc->sb.ckpt_pages);
	sc_lock_irqsave(sc, flags);
	memset(&ps->count, 0, sizeof(ps->count));
	ps->loading = true;
	sc_unlock_irqrestore(sc, flags);
}

/*
 * Staged copies of blocks that got their SSD copy back are ONSSD, so the
 * writer does not write them again.  Caller: L.
 */
static void __sc_load_mark_staged(struct swapcache *sc, const void *page,
				  unsigned int entries)
{
	struct sc_stage *st;
	unsigned int i, fl;
	u64 ob;

	for (i = 0; i < entries; i++) {
		if (!sc_ckpt_get(page, i, &ob, &fl) ||
		    !sc_map_present(sc->map, ob))
			continue;
		st = sc_queues_lookup(&sc->queues, ob);
		if (st)
			st->flags |= SC_STAGE_ONSSD;
	}
}

/* Believe what page @p of the checkpoint, read into @page, says. */
static void sc_load_page(struct swapcache *sc, u64 p, const void *page)
{
	struct sc_ckpt_hdr want = {
		.format_gen = sc->sb.format_gen,
		.ckpt_gen = sc->sb.ckpt_gen,
		.page_no = p,
	};
	unsigned int entries = sc_ckpt_page_entries(sc->sb.data_blocks, p);
	unsigned long flags;
	u64 gen;
	int r;

	r = sc_ckpt_check(page, &want, entries, sc->origin_blocks, &gen);
	sc_lock_irqsave(sc, flags);
	if (r) {
		sc_map_group_set(sc->map, p, true);
	} else {
		sc_warm_restore(sc->map, sc->ps.written, page, p, entries,
				&sc->ps.count);
		__sc_load_mark_staged(sc, page, entries);
	}
	sc_unlock_irqrestore(sc, flags);
}

/* The load is over (or abandoned): the writer may run again. */
static void sc_load_end(struct swapcache *sc, const char *how)
{
	struct sc_persist *ps = &sc->ps;
	struct sc_warm_count c;
	unsigned long flags;

	sc_lock_irqsave(sc, flags);
	ps->loading = false;
	c = ps->count;
	sc_unlock_irqrestore(sc, flags);
	WRITE_ONCE(ps->load_left, 0);
	DMINFO("%s: warm start %s: %llu copies restored, %llu written meanwhile, %llu refused",
	       sc_name(sc), how, c.restored, c.written, c.refused);
}

/* Pages [@first, @end) were not believed: the next save rewrites them. */
static void sc_load_unknown(struct swapcache *sc, u64 first, u64 end)
{
	unsigned long flags;

	sc_lock_irqsave(sc, flags);
	for (; first < end; first++)
		sc_map_group_set(sc->map, first, true);
	sc_unlock_irqrestore(sc, flags);
}

/**
 * sc_load_step() - load the next pages (daemon thread, each tick)
 * @sc: the target, resumed
 *
 * Stops early when postsuspend asks the daemon to pause, and gives up
 * when the target is degraded.  A page that cannot be read gives no copy
 * and counts as an SSD error.
 *
 * Return: whether a load is running (the writer and the cleaner wait).
 */
bool sc_load_step(struct swapcache *sc)
{
	struct sc_persist *ps = &sc->ps;
	u64 pages = sc->sb.ckpt_pages;
	unsigned int b, i, n;
	int r;

	if (!READ_ONCE(ps->loading))
		return false;
	for (b = 0; b < SC_LOAD_BATCHES && ps->load_next < pages; b++) {
		if (READ_ONCE(sc->degraded) ||
		    READ_ONCE(sc->daemon_state) != SC_DAEMON_RUNNING)
			break;
		n = min_t(u64, pages - ps->load_next, SC_CKPT_BATCH);
		r = sc_ckpt_io(sc, REQ_OP_READ | REQ_SYNC, ps->load_next, n);
		if (r) {
			sc_ssd_error(sc);
			sc_load_unknown(sc, ps->load_next, ps->load_next + n);
		}
		for (i = 0; i < n && !r; i++)
			sc_load_page(sc, ps->load_next + i, sc_ckpt_buf(sc, i));
		ps->load_next += n;
		WRITE_ONCE(ps->load_left, pages - ps->load_next);
		cond_resched();
	}
	if (ps->load_next >= pages)
		sc_load_end(sc, "done");
	else if (READ_ONCE(sc->degraded))
		sc_load_abandon(sc);
	return true;
}

/**
 * sc_load_abandon() - end a load that has not finished
 * @sc: the target, its daemon paused (postsuspend), or the daemon itself
 *
 * The pages not loaded are unknown now: the save rewrites them.
 */
void sc_load_abandon(struct swapcache *sc)
{
	struct sc_persist *ps = &sc->ps;

	if (!READ_ONCE(ps->loading))
		return;
	sc_load_unknown(sc, ps->load_next, sc->sb.ckpt_pages);
	sc_load_end(sc, "stopped");
}
