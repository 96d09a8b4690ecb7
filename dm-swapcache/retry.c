// SPDX-License-Identifier: GPL-2.0
/*
 * retry.c - a read served from the SSD that fails is read again from the
 * origin, so user I/O never sees an SSD error.  This file owns the retry:
 * its bio set, its work item and the completion of the dm clone.
 *
 * The failed clone is never submitted again.  When its end_io runs, the
 * block layer is done with it: if the SSD's stack split it, every piece
 * has completed and __bi_remaining has reached 0 (bio_remaining_done
 * cleared BIO_CHAIN), and bio_endio has already dropped its blkg.  Reusing
 * it would mean restoring all of that by hand, and a second split on the
 * origin side would then complete the clone early (remaining 0 -> 1 -> 0
 * after the first piece) and again later, on freed memory.  Instead:
 *
 *  - sc_end_io (any context, often an interrupt) sees the error, returns
 *    DM_ENDIO_INCOMPLETE so dm keeps the clone, and queues a work item;
 *  - the work item (process context) restores the clone's data iterator
 *    and clones a fresh bio from it (sharing its bvecs) from sc->retry_bs,
 *    a mempool-backed bio set, with GFP_NOIO: it waits for a retry bio to
 *    come back rather than fail, and never recurses into this device;
 *  - that bio's own end_io copies its status into the clone, restores the
 *    clone's map-time flags and ends the clone; sc_end_io then sees kind
 *    SC_BIO_RETRY and lets dm complete it.
 *
 * The fresh bio may be split and chained by the origin's stack however it
 * likes: it is a new bio with __bi_remaining 1, owned by this file.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include "swapcache.h"

/* Retry bios kept in reserve; each is held only while one read is redone. */
#define SC_RETRY_POOL		16

/*
 * End the clone for a second time.  Its flags are put back as they were at
 * map time: what the SSD's stack set on it (tracing, rq-qos accounting)
 * must not be undone twice.
 */
static void sc_retry_complete(struct bio *clone, struct sc_bio *pb)
{
	clone->bi_flags = pb->bi_flags;
	bio_endio(clone);
}

/* The origin read of a retry is done: end the dm clone with its status. */
static void sc_retry_end(struct bio *rb)
{
	struct bio *clone = rb->bi_private;
	struct sc_bio *pb = dm_per_bio_data(clone, sizeof(*pb));

	clone->bi_status = rb->bi_status;
	bio_put(rb);
	sc_retry_complete(clone, pb);
}

/* Work item: read the clone's data from the origin into its pages. */
static void sc_retry_on_origin(struct work_struct *work)
{
	struct sc_bio *pb = container_of(work, struct sc_bio, work);
	struct bio *clone = dm_bio_from_per_bio_data(pb, sizeof(*pb));
	struct swapcache *sc = pb->sc;
	struct bio *rb;

	clone->bi_iter = pb->iter;
	rb = bio_alloc_clone(sc->origin->bdev, clone, GFP_NOIO, &sc->retry_bs);
	if (!rb) {
		/* Only a crypt or integrity context can fail to clone. */
		clone->bi_status = BLK_STS_RESOURCE;
		sc_retry_complete(clone, pb);
		return;
	}
	/* Completed by interrupt: nobody polls this bio. */
	rb->bi_opf &= ~REQ_POLLED;
	rb->bi_iter.bi_sector = pb->osector;
	rb->bi_end_io = sc_retry_end;
	rb->bi_private = clone;
	submit_bio_noacct(rb);
}

/**
 * sc_retry() - retry a failed SSD read on the origin
 * @sc: the target
 * @bio: the read whose SSD part failed
 * @pb: its per-bio data
 *
 * The read is reissued from a work item on sc->wq.
 *
 * Context: sc_end_io(), any context.
 * Return: DM_ENDIO_INCOMPLETE, for sc_end_io() to return.
 */
int sc_retry(struct swapcache *sc, struct bio *bio, struct sc_bio *pb)
{
	pb->kind = SC_BIO_RETRY;
	pb->sc = sc;
	INIT_WORK(&pb->work, sc_retry_on_origin);
	queue_work(sc->wq, &pb->work);
	return DM_ENDIO_INCOMPLETE;
}

/**
 * sc_retry_init() - the bio set of the retries
 * @sc: the target
 *
 * Return: 0, or a negative errno.
 */
int sc_retry_init(struct swapcache *sc)
{
	return bioset_init(&sc->retry_bs, SC_RETRY_POOL, 0, 0);
}

/**
 * sc_retry_exit() - free the bio set of the retries
 * @sc: the target; a zeroed bio set is tolerated
 */
void sc_retry_exit(struct swapcache *sc)
{
	bioset_exit(&sc->retry_bs);
}
