// SPDX-License-Identifier: GPL-2.0
/*
 * ckptio.c - the memory and the I/O of the warm start: the buffer the
 * checkpoint's pages pass through, the record of what the SSD holds for
 * each page, the written bitmap of a load (warm.h), and the origin
 * sample a clean superblock records.
 *
 * Everything is allocated in the constructor: the save runs in
 * postsuspend and the load while the device runs, and neither may wait
 * for memory that could need this device's I/O.  The I/O is synchronous,
 * from a bio on the stack, in the daemon thread (the load) or in
 * postsuspend (the save); the daemon is paused before a save starts, so
 * the buffer has one user at a time.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/crc32c.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "swapcache.h"

/* The origin's first 128 KiB: partition tables and file systems. */
#define SC_SAMPLE_BYTES		(128U << 10)

/**
 * sc_persist_create() - the warm start's memory (constructor)
 * @sc: the target, its superblock built (sc_super_probe())
 * @error: set to the ti->error text on failure
 *
 * Return: 0, or -ENOMEM.  sc_persist_destroy() frees a half-built one.
 */
int sc_persist_create(struct swapcache *sc, char **error)
{
	struct sc_persist *ps = &sc->ps;
	unsigned int i;

	for (i = 0; i < SC_CKPT_BATCH; i++) {
		ps->pages[i] = alloc_page(GFP_KERNEL);
		if (!ps->pages[i])
			goto nomem;
	}
	ps->written = kvzalloc(SC_WARM_BYTES, GFP_KERNEL);
	if (ps->written)
		return 0;
nomem:
	*error = "Cannot allocate the checkpoint buffers";
	return -ENOMEM;
}

/**
 * sc_persist_destroy() - free what sc_persist_create() allocated
 * @sc: the target
 */
void sc_persist_destroy(struct swapcache *sc)
{
	struct sc_persist *ps = &sc->ps;
	unsigned int i;

	for (i = 0; i < SC_CKPT_BATCH; i++) {
		if (ps->pages[i])
			__free_page(ps->pages[i]);
		ps->pages[i] = NULL;
	}
	kvfree(ps->written);
	ps->written = NULL;
}

/**
 * sc_ckpt_buf() - one page of the buffer
 * @sc: the target
 * @i: below SC_CKPT_BATCH
 *
 * Return: its address.
 */
void *sc_ckpt_buf(struct swapcache *sc, unsigned int i)
{
	return page_address(sc->ps.pages[i]);
}

/*
 * @bytes (sectors, at most the buffer) of the buffer from or to @sector
 * of @bdev, synchronously.  Each page of the buffer carries SC_CKPT_BYTES,
 * whatever PAGE_SIZE is.
 */
static int sc_persist_io(struct swapcache *sc, struct block_device *bdev,
			 blk_opf_t opf, sector_t sector, unsigned int bytes)
{
	struct bio_vec bv[SC_CKPT_BATCH];
	struct bio bio;
	unsigned int i, len;
	int r;

	if (WARN_ON_ONCE(!bytes || bytes > SC_CKPT_BATCH * SC_CKPT_BYTES ||
			 bytes & (SECTOR_SIZE - 1)))
		return -EINVAL;
	bio_init(&bio, bdev, bv, ARRAY_SIZE(bv), opf);
	bio.bi_iter.bi_sector = sector;
	for (i = 0; bytes; i++, bytes -= len) {
		len = min_t(unsigned int, bytes, SC_CKPT_BYTES);
		__bio_add_page(&bio, sc->ps.pages[i], len, 0);
	}
	r = submit_bio_wait(&bio);
	bio_uninit(&bio);
	return r;
}

/**
 * sc_ckpt_io() - read or write checkpoint pages @page_no.. of the SSD
 * @sc: the target
 * @opf: REQ_OP_READ or REQ_OP_WRITE, and flags
 * @page_no: the first page
 * @n: pages, the first @n of the buffer, at most SC_CKPT_BATCH
 *
 * Writes count in meta_written.
 *
 * Return: 0, or a negative errno.
 */
int sc_ckpt_io(struct swapcache *sc, blk_opf_t opf, u64 page_no,
	       unsigned int n)
{
	int r;

	if (WARN_ON_ONCE(!n || n > SC_CKPT_BATCH))
		return -EINVAL;
	r = sc_persist_io(sc, sc->cache->bdev, opf,
			  sc->sb.ckpt_start + page_no * SC_CKPT_SECTORS,
			  n * SC_CKPT_BYTES);
	if (!r && op_is_write(opf))
		sc_meta_add(sc, (u64)n * SC_CKPT_BYTES);
	return r;
}

/**
 * sc_origin_sample() - a checksum of the origin's first 128 KiB
 * @sc: the target
 * @sample: set to it
 *
 * A new file system or partition table on the origin rewrites them: a
 * clean superblock records the sample, the next load compares it
 * (sc_super_stranger()).
 *
 * Return: 0, or a negative errno.
 */
int sc_origin_sample(struct swapcache *sc, u64 *sample)
{
	u64 len = min_t(u64, (u64)sc->ti->len << SECTOR_SHIFT,
			SC_SAMPLE_BYTES);
	u32 crc = ~0U;
	u64 done, part;
	unsigned int i, n;
	int r;

	for (done = 0; done < len; done += part) {
		part = min_t(u64, len - done, SC_CKPT_BATCH * SC_CKPT_BYTES);
		n = DIV_ROUND_UP(part, SC_CKPT_BYTES);
		r = sc_persist_io(sc, sc->origin->bdev, REQ_OP_READ | REQ_SYNC,
				  done >> SECTOR_SHIFT, part);
		if (r)
			return r;
		for (i = 0; i < n; i++)
			crc = crc32c(crc, sc_ckpt_buf(sc, i),
				     min_t(u64, part - i * SC_CKPT_BYTES,
					   SC_CKPT_BYTES));
	}
	*sample = ~crc;
	return 0;
}
