// SPDX-License-Identifier: GPL-2.0
/*
 * io.c - the bio paths of dm-swapcache: where each bio goes, what its
 * completion leaves behind, and the write fences that keep a read racing a
 * write from ever being captured.  Documentation/design.rst explains the
 * protocol; in short:
 *
 *  - a write (or discard, write-zeroes) raises the fences of its blocks and
 *    drops their staged and SSD copies, under sc->lock, before it is
 *    submitted; its completion lowers the fences and bumps their sequence;
 *  - a read that misses records the fence sequence when it is issued; its
 *    data is staged at completion only if no fence of its blocks moved or
 *    is raised, checked and inserted under one hold of sc->lock;
 *  - a miss to be staged is read into the target's own buffers, then copied
 *    to the caller: never staged from the caller's pages, which an
 *    O_DIRECT reader could change between the device's DMA and the copy;
 *  - a read served from the SSD pins its SSD blocks until it completes.
 *
 * sc->lock is taken with interrupts off: completions run in any context.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/hash.h>
#include <linux/highmem.h>
#include <linux/ioprio.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "swapcache.h"
#include "runs.h"

static struct kmem_cache *sc_stage_cache;

/* Reads of up to this many blocks per SSD bio: one cluster. */
#define SC_MAX_HIT_RUN		SC_CLUSTER_BLOCKS
/* Blocks staged from one read at most (one bio of staged buffers). */
#define SC_MAX_CAPTURE		64

static int sc_read_to_stage(struct swapcache *sc, struct bio *bio,
			    struct sc_bio *pb);

static inline u64 sc_sector_to_block(struct swapcache *sc, sector_t s)
{
	return s >> sc->block_shift;
}

static inline sector_t sc_block_to_sector(struct swapcache *sc, u64 b)
{
	return (sector_t)b << sc->block_shift;
}

/**
 * sc_budget_blocks() - the ram_budget knob, in blocks
 * @sc: the target
 *
 * Return: how many blocks ram_budget (MiB) holds at this block size.
 */
u64 sc_budget_blocks(struct swapcache *sc)
{
	return (sc_knob(sc, SC_KNOB_RAM_BUDGET) << 20) >>
	       (sc->block_shift + SECTOR_SHIFT);
}

/* ---- Staged blocks: allocation and freeing ------------------------------- */

static struct sc_stage *sc_alloc_stage(struct swapcache *sc, gfp_t gfp)
{
	struct sc_stage *st = kmem_cache_zalloc(sc_stage_cache, gfp);

	if (!st)
		return NULL;
	/* A power-of-two kmalloc up to a page never crosses a page. */
	st->data = kmalloc(sc->block_size, gfp);
	if (!st->data) {
		kmem_cache_free(sc_stage_cache, st);
		return NULL;
	}
	return st;
}

void sc_free_stage(struct sc_stage *st)
{
	kfree(st->data);
	kmem_cache_free(sc_stage_cache, st);
}

/**
 * sc_free_stage_list() - free staged blocks, buffers and all
 * @list: blocks linked by their lru, off every queue; left empty
 */
void sc_free_stage_list(struct list_head *list)
{
	struct sc_stage *st, *tmp;

	list_for_each_entry_safe(st, tmp, list, lru) {
		list_del(&st->lru);
		sc_free_stage(st);
	}
}

/* ---- Write fences -------------------------------------------------------- */

static struct sc_fence *sc_fence_of(struct swapcache *sc, u64 oblock)
{
	return &sc->fences[hash_64(oblock, SC_FENCE_BITS)];
}

/* Raise (delta 1) or lower (delta -1) the fences of a write.  Caller: L. */
static void __sc_fence_move(struct swapcache *sc, struct sc_bio *pb,
			    int delta)
{
	struct sc_fence *f;
	u64 b;

	if (pb->wide) {
		sc->wide.inflight += delta;
		sc->wide.seq = ++sc->fence_seq;
		return;
	}
	for (b = pb->oblock; b < pb->oblock + pb->nblocks; b++) {
		f = sc_fence_of(sc, b);
		f->inflight += delta;
		f->seq = ++sc->fence_seq;
	}
}

/* May data of @oblock read since fence_seq was @seq be staged?  Caller: L. */
static bool __sc_fence_clear(struct swapcache *sc, u64 oblock, u64 seq)
{
	struct sc_fence *f = sc_fence_of(sc, oblock);

	return !f->inflight && f->seq <= seq &&
	       !sc->wide.inflight && sc->wide.seq <= seq;
}

/* ---- Invalidation -------------------------------------------------------- */

/* Drop one staged copy; a block being written is freed by the writer. */
static void __sc_unstage(struct swapcache *sc, struct sc_stage *st,
			 struct list_head *to_free)
{
	if (sc_queues_remove(&sc->queues, st))
		list_add(&st->lru, to_free);
}

/* Drop the staged copies of [first, first + n).  Caller: L. */
static u64 __sc_unstage_range(struct swapcache *sc, u64 first, u64 n,
			      struct list_head *to_free)
{
	struct sc_queues *q = &sc->queues;
	struct list_head *queues[] = { &q->active, &q->inactive };
	struct sc_stage *st, *tmp;
	u64 b, dropped = 0;
	int i;

	if (n <= q->nr_active + q->nr_inactive) {
		for (b = first; b < first + n; b++) {
			st = sc_queues_lookup(q, b);
			if (st) {
				__sc_unstage(sc, st, to_free);
				dropped++;
			}
		}
		return dropped;
	}
	/* A range wider than all staged blocks: walk the queues instead. */
	for (i = 0; i < ARRAY_SIZE(queues); i++) {
		list_for_each_entry_safe(st, tmp, queues[i], lru) {
			if (st->flags & SC_STAGE_MARKER)
				continue;
			if (st->oblock >= first && st->oblock - first < n) {
				__sc_unstage(sc, st, to_free);
				dropped++;
			}
		}
	}
	return dropped;
}

/* ---- Classes: which reads may be staged ---------------------------------- */

/*
 * A read stream longer than seq_cutoff is a scan or a backup: it is not
 * staged, so it cannot flush the cache.  Caller: L.
 */
static bool __sc_sequential(struct swapcache *sc, sector_t sector,
			    unsigned int sectors)
{
	u64 cutoff = sc_knob(sc, SC_KNOB_SEQ_CUTOFF);
	struct sc_stream *s, *lru = &sc->streams[0];
	int i;

	for (i = 0; i < SC_NR_STREAMS; i++) {
		s = &sc->streams[i];
		if (s->next == sector && s->bytes)
			break;
		if (time_before(s->used, lru->used))
			lru = s;
	}
	if (i == SC_NR_STREAMS) {
		s = lru;
		s->bytes = 0;
	}
	s->next = sector + sectors;
	s->bytes += (u64)sectors << SECTOR_SHIFT;
	s->used = jiffies;
	return cutoff && s->bytes > cutoff;
}

/*
 * The I/O priority class of a read.  submit_bio() gives a bio without one
 * its submitter's; one submitted with submit_bio_noacct() alone may still
 * carry none, and takes the class of the task map runs in, if it runs in
 * task context: the submitter, for reads a task issues itself.  In a
 * kworker (dm's deferred bios, async work) current is not the submitter;
 * a kworker's class is never IDLE, so such reads are staged as before.
 */
static int sc_bio_class(struct bio *bio)
{
	int class = IOPRIO_PRIO_CLASS(bio->bi_ioprio);

	if (class == IOPRIO_CLASS_NONE && in_task())
		class = IOPRIO_PRIO_CLASS(get_current_ioprio());
	return class;
}

/* Whether a miss of this class may be staged: SC_BYPASS_NONE, or why not. */
static enum sc_bypass sc_class_bypass(struct swapcache *sc, struct bio *bio)
{
	if (READ_ONCE(sc->degraded))
		return SC_BYPASS_DEGRADED;
	if (sc_bio_class(bio) == IOPRIO_CLASS_IDLE)
		return SC_BYPASS_IDLE;
	if (bio->bi_opf & REQ_META)
		return sc_knob(sc, SC_KNOB_META_ENABLE) ? SC_BYPASS_NONE :
							  SC_BYPASS_META;
	return sc_knob(sc, SC_KNOB_DATA_ENABLE) ? SC_BYPASS_NONE :
						  SC_BYPASS_DATA;
}

/* ---- Mapping ------------------------------------------------------------- */

static void sc_remap_origin(struct swapcache *sc, struct bio *bio,
			    sector_t sector)
{
	bio_set_dev(bio, sc->origin->bdev);
	bio->bi_iter.bi_sector = sector;
}

/* Sectors of the bio inside @nblocks blocks from its first block. */
static unsigned int sc_run_sectors(struct swapcache *sc, sector_t sector,
				   u32 nblocks, struct bio *bio)
{
	sector_t end = sc_block_to_sector(sc,
			sc_sector_to_block(sc, sector) + nblocks);

	return min_t(sector_t, end - sector, bio_sectors(bio));
}

static u32 sc_bio_blocks(struct swapcache *sc, sector_t sector,
			 unsigned int sectors)
{
	return sc_sector_to_block(sc, sector + sectors - 1) -
	       sc_sector_to_block(sc, sector) + 1;
}

static int sc_map_write(struct swapcache *sc, struct bio *bio,
			struct sc_bio *pb, sector_t sector)
{
	unsigned long flags;
	LIST_HEAD(to_free);
	u64 n;

	pb->kind = SC_BIO_WRITE;
	pb->oblock = sc_sector_to_block(sc, sector);
	pb->nblocks = sc_bio_blocks(sc, sector, bio_sectors(bio));
	pb->wide = pb->nblocks > SC_FENCE_WIDE;

	sc_lock_irqsave(sc, flags);
	__sc_fence_move(sc, pb, 1);
	n = __sc_unstage_range(sc, pb->oblock, pb->nblocks, &to_free);
	n += sc_map_invalidate(sc->map, pb->oblock, pb->nblocks);
	sc->stats.invalidated += n;
	/* A load running may not restore these blocks' entries (warm.h). */
	if (sc->ps.loading)
		sc_warm_note_write(sc->ps.written, pb->oblock, pb->nblocks);
	sc_unlock_irqrestore(sc, flags);

	sc_free_stage_list(&to_free);
	sc_remap_origin(sc, bio, sector);
	return DM_MAPIO_REMAPPED;
}

/* Copy @len bytes from @src into the bio's data at *@iter, advancing it. */
static void sc_copy_to_iter(struct bio *bio, struct bvec_iter *iter,
			    const u8 *src, unsigned int len)
{
	struct bio_vec bv;

	while (len && iter->bi_size) {
		bv = bio_iter_iovec(bio, *iter);
		bv.bv_len = min(bv.bv_len, len);
		memcpy_to_bvec(&bv, src);
		src += bv.bv_len;
		len -= bv.bv_len;
		bio_advance_iter_single(bio, iter, bv.bv_len);
	}
}

/* A RAM hit: complete the part of the bio inside this block now. */
static int __sc_read_ram(struct swapcache *sc, struct bio *bio,
			 struct sc_stage *st, sector_t sector)
{
	unsigned int off = (sector & ((1U << sc->block_shift) - 1)) <<
			   SECTOR_SHIFT;
	struct bvec_iter iter;

	dm_accept_partial_bio(bio, sc_run_sectors(sc, sector, 1, bio));
	iter = bio->bi_iter;
	sc_copy_to_iter(bio, &iter, (u8 *)st->data + off, iter.bi_size);
	/*
	 * The first RAM hit since the last aging scan also marks the SSD copy
	 * referenced, so the cleaner keeps it; further hits in that period
	 * need not look the map up again.
	 */
	if ((st->flags & (SC_STAGE_ONSSD | SC_STAGE_REFERENCED)) ==
	    SC_STAGE_ONSSD)
		sc_map_touch(sc->map, st->oblock);
	sc_queues_reference(&sc->queues, st);
	sc->stats.ram_hits++;
	return DM_MAPIO_SUBMITTED;
}

/*
 * Decide whether the miss run of @pb, of a bio whose class allows @why,
 * may be staged: only whole blocks, and not a stream.  Returns
 * SC_BYPASS_NONE, or why not.  Caller: L.
 */
static enum sc_bypass __sc_may_capture(struct swapcache *sc, struct bio *bio,
				       struct sc_bio *pb, sector_t sector,
				       enum sc_bypass why)
{
	unsigned int bmask = (1U << sc->block_shift) - 1, sectors;
	bool seq;

	sectors = sc_run_sectors(sc, sector, pb->nblocks, bio);
	/* Streams are followed whatever the class, to see scans start. */
	seq = __sc_sequential(sc, sector, sectors);
	if (why != SC_BYPASS_NONE)
		return why;
	if ((sector & bmask) || (sectors & bmask))
		return SC_BYPASS_PARTIAL;
	return seq ? SC_BYPASS_SEQ : SC_BYPASS_NONE;
}

/* A miss run that will not be staged.  Caller: L. */
static void __sc_count_bypass(struct swapcache *sc, enum sc_bypass why,
			      u32 n)
{
	sc->stats.bypassed += n;
	sc->stats.bypass[why] += n;
}

static int sc_map_read(struct swapcache *sc, struct bio *bio,
		       struct sc_bio *pb, sector_t sector)
{
	bool use_ssd = sc_knob(sc, SC_KNOB_READ_ENABLE) &&
		       !READ_ONCE(sc->degraded);
	u32 max = sc_bio_blocks(sc, sector, bio_sectors(bio));
	enum sc_bypass why = SC_BYPASS_NONE;
	struct sc_stage *st;
	unsigned long flags;
	sc_cblock_t cb = SC_CBLOCK_NONE;
	int r;

	pb->oblock = sc_sector_to_block(sc, sector);
	pb->bi_flags = bio->bi_flags;

	sc_lock_irqsave(sc, flags);
	st = sc_queues_lookup(&sc->queues, pb->oblock);
	if (st) {
		r = __sc_read_ram(sc, bio, st, sector);
		sc_unlock_irqrestore(sc, flags);
		bio_endio(bio);
		return r;
	}
	if (use_ssd)
		cb = sc_map_get(sc->map, pb->oblock);
	if (cb != SC_CBLOCK_NONE) {
		pb->kind = SC_BIO_SSD;
		pb->cblock = cb;
		pb->nblocks = sc_pin_run(&sc->queues, sc->map, pb->oblock,
					 cb, min_t(u32, max, SC_MAX_HIT_RUN));
		sc->stats.ssd_hits += pb->nblocks;
	} else {
		u32 scan;

		/*
		 * The class is decided once; the run is scanned no further
		 * than what will be staged (SC_MAX_CAPTURE) or mapped.
		 */
		why = sc_class_bypass(sc, bio);
		scan = why == SC_BYPASS_NONE ? SC_MAX_CAPTURE : SC_MAX_IO_BLOCKS;
		pb->kind = SC_BIO_MISS;
		pb->nblocks = sc_miss_run(&sc->queues, sc->map, pb->oblock,
					  min_t(u32, max, scan));
		pb->seq = sc->fence_seq;
		why = __sc_may_capture(sc, bio, pb, sector, why);
		sc->stats.misses += pb->nblocks;
		if (why != SC_BYPASS_NONE)
			__sc_count_bypass(sc, why, pb->nblocks);
	}
	sc_unlock_irqrestore(sc, flags);

	if (pb->nblocks < max)
		dm_accept_partial_bio(bio, sc_run_sectors(sc, sector,
							  pb->nblocks, bio));
	pb->osector = sector;
	pb->iter = bio->bi_iter;
	if (pb->kind == SC_BIO_SSD) {
		bio_set_dev(bio, sc->cache->bdev);
		bio->bi_iter.bi_sector = sc_cblock_sector(sc, cb) +
			(sector & ((1U << sc->block_shift) - 1));
		return DM_MAPIO_REMAPPED;
	}
	if (why == SC_BYPASS_NONE) {
		if (!sc_read_to_stage(sc, bio, pb))
			return DM_MAPIO_SUBMITTED;
		/* No memory for the staged blocks now. */
		sc_lock_irqsave(sc, flags);
		__sc_count_bypass(sc, SC_BYPASS_NOMEM, pb->nblocks);
		sc_unlock_irqrestore(sc, flags);
	}
	sc_remap_origin(sc, bio, sector);
	return DM_MAPIO_REMAPPED;
}

/**
 * sc_map_bio() - the target's map: route one bio
 * @sc: the target
 * @bio: the bio dm hands to the target
 *
 * Empty bios and flushes go to the origin; writes invalidate what they
 * cover; reads are served from RAM, the SSD or the origin.
 *
 * Return: a DM_MAPIO_* value for dm.
 */
int sc_map_bio(struct swapcache *sc, struct bio *bio)
{
	struct sc_bio *pb = dm_per_bio_data(bio, sizeof(*pb));
	sector_t sector = dm_target_offset(sc->ti, bio->bi_iter.bi_sector);

	pb->kind = SC_BIO_PASS;
	if (!bio_sectors(bio) || bio_op(bio) == REQ_OP_FLUSH) {
		bio_set_dev(bio, sc->origin->bdev);
		return DM_MAPIO_REMAPPED;
	}
	if (op_is_write(bio_op(bio)))
		return sc_map_write(sc, bio, pb, sector);
	return sc_map_read(sc, bio, pb, sector);
}

/* ---- Completion ---------------------------------------------------------- */

/*
 * A miss to be staged: the origin is read into fresh staged blocks, which
 * are copied to the caller's bio and offered to the queues at completion.
 */
struct sc_capread {
	struct swapcache *sc;
	struct bio *bio;		/* the dm clone to complete */
	u32 n;
	struct sc_stage *st[];
};

/* Free a capture read and the staged blocks it did not hand over. */
static void sc_capread_free(struct sc_capread *cr)
{
	u32 i;

	for (i = 0; i < cr->n; i++)
		if (cr->st[i])
			sc_free_stage(cr->st[i]);
	kfree(cr);
}

/*
 * Count @n blocks about to be read for staging against the RAM budget, and
 * make room for them among the staged ones.  False when reads in flight to
 * be staged already hold the budget.
 */
static bool sc_capture_reserve(struct swapcache *sc, u32 n)
{
	unsigned long flags;
	LIST_HEAD(to_free);
	bool ok;

	sc_lock_irqsave(sc, flags);
	sc_queues_set_budget(&sc->queues, sc_budget_blocks(sc));
	ok = sc_queues_reserve(&sc->queues, n);
	if (ok) {
		sc_queues_reclaim(&sc->queues, &to_free, n);
		__sc_note_drops(sc, &to_free);
	}
	sc_unlock_irqrestore(sc, flags);
	sc_free_stage_list(&to_free);
	return ok;
}

/* A capture read that will not be offered to the queues. */
static void sc_capture_unreserve(struct swapcache *sc, u32 n)
{
	unsigned long flags;

	sc_lock_irqsave(sc, flags);
	sc_queues_unreserve(&sc->queues, n);
	sc_unlock_irqrestore(sc, flags);
}

/* Offer the blocks of a completed capture read to the queues. */
static void sc_stage_blocks(struct swapcache *sc, struct sc_capread *cr,
			    struct sc_bio *pb)
{
	u64 budget = sc_budget_blocks(sc);
	struct sc_stage *st;
	unsigned long flags;
	LIST_HEAD(to_free);
	u32 i;

	sc_lock_irqsave(sc, flags);
	sc_queues_unreserve(&sc->queues, cr->n);
	for (i = 0; i < cr->n; i++) {
		st = cr->st[i];
		if (sc_ghost_take(&sc->ghost, st->oblock))
			st->flags |= SC_STAGE_REUSED;
		if (__sc_fence_clear(sc, st->oblock, pb->seq) &&
		    !sc_map_present(sc->map, st->oblock) &&
		    !sc_queues_insert(&sc->queues, st)) {
			cr->st[i] = NULL;
			sc->stats.captured++;
		}
	}
	sc_queues_set_budget(&sc->queues, budget);
	sc_queues_reclaim(&sc->queues, &to_free, cr->n + 4);
	__sc_note_drops(sc, &to_free);
	sc_unlock_irqrestore(sc, flags);
	sc_free_stage_list(&to_free);
}

static void sc_capread_end(struct bio *rb)
{
	struct sc_capread *cr = rb->bi_private;
	struct bio *bio = cr->bio;
	struct sc_bio *pb = dm_per_bio_data(bio, sizeof(*pb));
	blk_status_t status = rb->bi_status;
	struct bvec_iter iter = pb->iter;
	u32 i;

	bio_put(rb);
	if (status == BLK_STS_OK) {
		for (i = 0; i < cr->n; i++)
			sc_copy_to_iter(bio, &iter, cr->st[i]->data,
					cr->sc->block_size);
		sc_stage_blocks(cr->sc, cr, pb);
	} else {
		sc_capture_unreserve(cr->sc, cr->n);
	}
	sc_capread_free(cr);
	/* Last: once the clone completes, the target may go away. */
	bio->bi_status = status;
	bio_endio(bio);
}

/*
 * The flags of the origin read that stages a miss: the clone's hints.  A
 * readahead or fail-fast read may fail where another would not; its error
 * then completes the clone, as it would have without the capture.
 */
static blk_opf_t sc_capture_opf(struct bio *bio)
{
	return REQ_OP_READ | (bio->bi_opf & (REQ_META | REQ_PRIO | REQ_SYNC |
					     REQ_RAHEAD | REQ_FAILFAST_MASK));
}

/*
 * Returns 0 when the read was issued; else the caller reads as usual.  The
 * buffers count against ram_budget from here until completion.
 */
static int sc_read_to_stage(struct swapcache *sc, struct bio *bio,
			    struct sc_bio *pb)
{
	gfp_t gfp = GFP_NOWAIT | __GFP_NOWARN;
	struct sc_capread *cr;
	struct bio *rb;
	u32 i;

	if (!sc_capture_reserve(sc, pb->nblocks))
		return -ENOMEM;
	cr = kzalloc(struct_size(cr, st, pb->nblocks), gfp);
	if (!cr) {
		sc_capture_unreserve(sc, pb->nblocks);
		return -ENOMEM;
	}
	cr->sc = sc;
	cr->bio = bio;
	cr->n = pb->nblocks;
	for (i = 0; i < cr->n; i++) {
		cr->st[i] = sc_alloc_stage(sc, gfp);
		if (!cr->st[i])
			goto out_free;
		cr->st[i]->oblock = pb->oblock + i;
		if (bio->bi_opf & REQ_META)
			cr->st[i]->flags = SC_STAGE_META;
	}
	rb = bio_alloc_bioset(sc->origin->bdev, cr->n, sc_capture_opf(bio),
			      gfp, &sc->bs);
	if (!rb)
		goto out_free;
	rb->bi_iter.bi_sector = pb->osector;
	rb->bi_ioprio = bio->bi_ioprio;
	bio_clone_blkg_association(rb, bio);
	rb->bi_end_io = sc_capread_end;
	rb->bi_private = cr;
	for (i = 0; i < cr->n; i++)
		__bio_add_page(rb, virt_to_page(cr->st[i]->data),
			       sc->block_size,
			       offset_in_page(cr->st[i]->data));
	pb->kind = SC_BIO_PASS;		/* completed by sc_capread_end */
	submit_bio_noacct(rb);
	return 0;

out_free:
	sc_capread_free(cr);
	sc_capture_unreserve(sc, pb->nblocks);
	return -ENOMEM;
}

/* Unpin the SSD blocks of a completed SSD read; drop them on error. */
static void sc_ssd_read_done(struct swapcache *sc, struct sc_bio *pb,
			     bool failed)
{
	unsigned long flags;
	u32 i;

	sc_lock_irqsave(sc, flags);
	for (i = 0; i < pb->nblocks; i++) {
		if (failed)
			sc_map_drop(sc->map, pb->cblock + i);
		sc_map_put(sc->map, pb->cblock + i);
	}
	sc_unlock_irqrestore(sc, flags);
}

/**
 * sc_ssd_error() - count an SSD error
 * @sc: the target
 *
 * SC_MAX_SSD_ERRORS of them switch the target to pass-through (degraded).
 *
 * Context: any; takes sc->lock.
 */
void sc_ssd_error(struct swapcache *sc)
{
	unsigned long flags;
	bool now_degraded = false;

	sc_lock_irqsave(sc, flags);
	sc->stats.ssd_errors++;
	if (sc->stats.ssd_errors >= SC_MAX_SSD_ERRORS && !sc->degraded) {
		WRITE_ONCE(sc->degraded, true);
		now_degraded = true;
	}
	sc_unlock_irqrestore(sc, flags);
	if (now_degraded)
		DMERR("%s: %u SSD errors: cache disabled (degraded)",
		      sc_name(sc), SC_MAX_SSD_ERRORS);
}

/**
 * sc_end_io() - the target's end_io: account for one finished bio
 * @sc: the target
 * @bio: the bio mapped by sc_map_bio()
 * @error: its status
 *
 * A failed SSD read is counted against the SSD (unless the SSD cannot do
 * it, or it was readahead) and retried on the origin.
 *
 * Context: bio completion, any context.
 * Return: DM_ENDIO_DONE, or DM_ENDIO_INCOMPLETE while a retry runs.
 */
int sc_end_io(struct swapcache *sc, struct bio *bio, blk_status_t *error)
{
	struct sc_bio *pb = dm_per_bio_data(bio, sizeof(*pb));
	unsigned long flags;

	switch (pb->kind) {
	case SC_BIO_SSD:
		sc_ssd_read_done(sc, pb, *error != BLK_STS_OK);
		if (*error) {
			/* Not the SSD's fault: no count against it. */
			if (*error != BLK_STS_NOTSUPP &&
			    !(bio->bi_opf & REQ_RAHEAD))
				sc_ssd_error(sc);
			return sc_retry(sc, bio, pb);
		}
		break;
	case SC_BIO_WRITE:
		sc_lock_irqsave(sc, flags);
		__sc_fence_move(sc, pb, -1);
		sc_unlock_irqrestore(sc, flags);
		break;
	case SC_BIO_PASS:
	case SC_BIO_MISS:
	case SC_BIO_RETRY:
		break;
	}
	return DM_ENDIO_DONE;
}

/* ---- Creation and destruction of the engine ------------------------------ */

/* The metadata may take at most a quarter of the RAM. */
#define SC_META_RAM_SHIFT	2

/*
 * The metadata allocations fail with ENOMEM rather than wake the OOM
 * killer: a table too large for the machine is the admin's to fix.
 */
#define SC_META_GFP	(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/* Ghost table size: about a quarter of the SSD's worth of drops. */
static u64 sc_ghost_blocks(struct swapcache *sc)
{
	return max(sc->cache_blocks / 4, sc_budget_blocks(sc));
}

/* Bytes of metadata sc_engine_create() allocates, known before it does. */
static u64 sc_engine_mem_need(struct swapcache *sc)
{
	return sc_map_mem_need(sc->cache_blocks) +
	       sc_queues_mem_need(sc_budget_blocks(sc)) +
	       sc_ghost_mem_need(sc_ghost_blocks(sc)) +
	       ((u64)sizeof(struct sc_fence) << SC_FENCE_BITS);
}

/* The constructor's error then (tests/vm/cases/meta_huge.sh greps it). */
#define SC_ERR_META_RAM \
	"Cache device too large for the RAM: its metadata would exceed a quarter of the RAM"

/* Refuse a cache whose metadata would not leave the RAM to the rest. */
static int sc_engine_check_mem(struct swapcache *sc, char **error)
{
	u64 need = sc_engine_mem_need(sc);
	u64 limit = ((u64)totalram_pages() << PAGE_SHIFT) >> SC_META_RAM_SHIFT;

	if (need <= limit)
		return 0;
	sc_err(sc, "the metadata of %llu cache blocks needs %llu MiB, the limit is %llu MiB (a quarter of the RAM)",
	       sc->cache_blocks, need >> 20, limit >> 20);
	*error = SC_ERR_META_RAM;
	return -ENOMEM;
}

/**
 * sc_engine_create() - the constructor's engine: metadata, bio sets, threads
 * @sc: the target, its devices and knobs set
 * @error: set to the ti->error text on failure
 *
 * Refuses a cache whose metadata would exceed a quarter of the RAM before
 * allocating any of it.  On failure the caller undoes the half-built
 * engine with sc_engine_destroy().
 *
 * Return: 0, or a negative errno.
 */
int sc_engine_create(struct swapcache *sc, char **error)
{
	int r;

	sc_queues_marker_init(&sc->marker);
	sc->created = get_jiffies_64();
	sc_wear_init(&sc->wear);
	sc_burst_init(&sc->burst, sc->knobs[SC_KNOB_CURBURST],
		      sc->knobs[SC_KNOB_HYSTERESIS]);

	r = sc_engine_check_mem(sc, error);
	if (r)
		return r;
	sc->map = sc_map_create(sc->cache_blocks, SC_META_GFP);
	if (!sc->map) {
		*error = "Cannot allocate the cache block map";
		return -ENOMEM;
	}
	if (sc_queues_init(&sc->queues, sc_budget_blocks(sc), SC_META_GFP)) {
		*error = "Cannot allocate the staging hash";
		return -ENOMEM;
	}
	if (sc_ghost_init(&sc->ghost, sc_ghost_blocks(sc), SC_META_GFP)) {
		*error = "Cannot allocate the ghost table";
		return -ENOMEM;
	}
	sc->fences = kvcalloc(1U << SC_FENCE_BITS, sizeof(*sc->fences),
			      SC_META_GFP);
	if (!sc->fences) {
		*error = "Cannot allocate the write fences";
		return -ENOMEM;
	}
	if (bioset_init(&sc->bs, SC_CLUSTER_BLOCKS, 0, BIOSET_NEED_BVECS)) {
		*error = "Cannot allocate the bio set";
		return -ENOMEM;
	}
	if (sc_retry_init(sc)) {
		*error = "Cannot allocate the retry bio set";
		return -ENOMEM;
	}
	/* Unbound: a retry needs no CPU of its own (and 6.17+ asks). */
	sc->wq = alloc_workqueue("dm-swapcache", WQ_MEM_RECLAIM | WQ_UNBOUND,
				 0);
	if (!sc->wq) {
		*error = "Cannot allocate the workqueue";
		return -ENOMEM;
	}
	r = sc_daemon_create(sc, error);
	if (r)
		return r;
	sc_shrinker_add(sc);
	return 0;
}

/*
 * Free every staged block at remove, rescheduling between batches: a GiB
 * budget is 10^5-10^6 blocks, and one run of kfree()s held the CPU for
 * 26 s on the KASAN kernel (a soft lockup in dmsetup remove).
 */
static void sc_free_all_staged(struct list_head *list)
{
	struct sc_stage *st, *tmp;
	unsigned int n = 0;

	list_for_each_entry_safe(st, tmp, list, lru) {
		list_del(&st->lru);
		sc_free_stage(st);
		if (!(++n % SC_QUEUES_BATCH))
			cond_resched();
	}
}

/**
 * sc_engine_destroy() - undo sc_engine_create()
 * @sc: the target
 *
 * Tolerates a half-built engine; frees the staged blocks.
 */
void sc_engine_destroy(struct swapcache *sc)
{
	LIST_HEAD(to_free);

	sc_shrinker_remove(sc);
	sc_daemon_destroy(sc);
	if (sc->wq)
		destroy_workqueue(sc->wq);
	bioset_exit(&sc->bs);
	sc_retry_exit(sc);
	if (sc->queues.buckets) {
		sc_queues_drain(&sc->queues, &to_free);
		sc_free_all_staged(&to_free);
		sc_queues_exit(&sc->queues);
	}
	sc_ghost_exit(&sc->ghost);
	kvfree(sc->fences);
	sc_map_destroy(sc->map);
}

/**
 * sc_io_init() - module init: the staged-block cache and the shrinker
 *
 * Return: 0, or -ENOMEM.
 */
int sc_io_init(void)
{
	sc_stage_cache = kmem_cache_create("dm_swapcache_stage",
					   sizeof(struct sc_stage), 0, 0, NULL);
	if (!sc_stage_cache)
		return -ENOMEM;
	if (sc_shrinker_init()) {
		kmem_cache_destroy(sc_stage_cache);
		return -ENOMEM;
	}
	return 0;
}

/**
 * sc_io_exit() - undo sc_io_init(), at module exit
 */
void sc_io_exit(void)
{
	sc_shrinker_exit();
	kmem_cache_destroy(sc_stage_cache);
}
