// SPDX-License-Identifier: GPL-2.0
/*
 * super.c - the superblock on the cache device: read and judged in the
 * constructor (blank, ours, or foreign: format safety), written at resume
 * and at suspend, never while the device runs.
 *
 * The constructor only reads: a reload runs the new constructor while the
 * old table is live, and the old table writes the superblock once more at
 * its postsuspend.  So the first resume reads the slots again and takes
 * the sequence number and the wear ledger from what the old table left.
 *
 * Every load starts cold for now (the checkpoint is not written yet), so
 * the state on the SSD stays OPEN; what persists is the geometry, the cache
 * UUID and the wear ledger (Documentation/design.rst, "On-SSD format").
 *
 * Locking: sc->sb, sc->sb_base, sc->sb_fresh, sc->sb_opened, sc->sb_failed
 * and sc->meta_written are written by the constructor, preresume and
 * postsuspend only, which dm serialises for a target (its suspend lock);
 * status reads sb_base and meta_written with READ_ONCE.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/timekeeping.h>
#include "swapcache.h"

/* Both slots, SC_SB_BYTES each, in the order-1 page of sc->sb_pages. */
#define SC_SB_ORDER		1

static void *sc_sb_buf(struct swapcache *sc)
{
	return page_address(sc->sb_pages);
}

/*
 * One synchronous I/O of @bytes (a multiple of PAGE_SIZE, at most both
 * slots) at @sector.  The bio lives on the stack: resume allocates nothing.
 */
static int sc_super_io(struct swapcache *sc, blk_opf_t opf, sector_t sector,
		       unsigned int bytes)
{
	struct bio_vec bv[1U << SC_SB_ORDER];
	struct bio bio;
	unsigned int i;
	int r;

	bio_init(&bio, sc->cache->bdev, bv, ARRAY_SIZE(bv), opf);
	bio.bi_iter.bi_sector = sector;
	for (i = 0; i < bytes >> PAGE_SHIFT; i++)
		__bio_add_page(&bio, sc->sb_pages + i, PAGE_SIZE, 0);
	r = submit_bio_wait(&bio);
	bio_uninit(&bio);
	return r;
}

/*
 * Read @sector.. into the buffer (both slots' size), zeroed first so that
 * a device that stores nothing (null_blk without memory) reads as zero.
 */
static int sc_super_read_at(struct swapcache *sc, sector_t sector)
{
	memset(sc_sb_buf(sc), 0, 2 * SC_SB_BYTES);
	return sc_super_io(sc, REQ_OP_READ | REQ_SYNC, sector, 2 * SC_SB_BYTES);
}

/*
 * Blank slots are not yet a blank device: ZFS leaves its first 8 KiB
 * zero, btrfs its first 64 KiB.  The first MiB (ours: slots, then the
 * checkpoint, the data at SC_DATA_ALIGN or later) must be zero too.
 */
static int sc_super_blank_mib(struct swapcache *sc, bool *blank)
{
	sector_t s;
	int r;

	*blank = true;
	for (s = 2 * SC_SB_SECTORS; s < SC_DATA_ALIGN && *blank;
	     s += 2 * SC_SB_SECTORS) {
		r = sc_super_read_at(sc, s);
		if (r)
			return r;
		*blank = !memchr_inv(sc_sb_buf(sc), 0, 2 * SC_SB_BYTES);
	}
	return 0;
}

/* Read both slots (and for blank ones the first MiB): what they hold. */
static int sc_super_read(struct swapcache *sc, struct sc_super *sb,
			 enum sc_sb_kind *kind)
{
	u8 *buf = sc_sb_buf(sc);
	bool blank;
	int slot, r;

	r = sc_super_read_at(sc, 0);
	if (r)
		return r;
	*kind = sc_super_classify(buf, buf + SC_SB_BYTES, sb, &slot);
	if (*kind != SC_SB_BLANK)
		return 0;
	r = sc_super_blank_mib(sc, &blank);
	if (!r && !blank)
		*kind = SC_SB_FOREIGN;
	return r;
}

/* The superblock this table will write, from what the device held. */
static void sc_super_build(struct swapcache *sc, const struct sc_super *old,
			   bool same)
{
	struct sc_super *sb = &sc->sb;

	memset(sb, 0, sizeof(*sb));
	sc_super_geometry(sb, bdev_nr_sectors(sc->cache->bdev),
			  sc->block_size);
	sb->state = SC_SB_OPEN;
	sb->origin_sectors = sc->ti->len;
	if (same)
		memcpy(sb->uuid, old->uuid, sizeof(sb->uuid));
	else
		get_random_bytes(sb->uuid, sizeof(sb->uuid));
	/* The ledger is the SSD's: it survives a format over our own. */
	if (old) {
		sb->seq = old->seq;
		sb->format_gen = old->format_gen + 1;
		sb->created = old->created;
		WRITE_ONCE(sc->sb_base, old->bytes_written);
	} else {
		/*
		 * No superblock says which generations the device's old
		 * checkpoint pages (a wiped or overwritten cache's) carry: a
		 * random start makes one of them pass as ours with odds of
		 * 2^-62 per page (Documentation/design.rst).
		 */
		sb->format_gen = get_random_u64() >> 2 | 1;
		sb->created = ktime_get_real_seconds();
		WRITE_ONCE(sc->sb_base, 0);
	}
	sc->sb_fresh = !same;
}

/**
 * sc_super_probe() - judge the cache device's first blocks (constructor)
 * @sc: the target, its devices open, block size and geometry set
 * @error: set to the ti->error text on failure
 *
 * A blank device is formatted at the first resume; a swapcache superblock
 * of this geometry is reused (its UUID and wear ledger kept); one of
 * another geometry, or anything else, is refused unless the table says
 * format.  Reads only.
 *
 * Return: 0, or a negative errno.
 */
int sc_super_probe(struct swapcache *sc, char **error)
{
	struct sc_super old;
	enum sc_sb_kind kind;
	const char *why;
	bool reuse;
	int r;

	sc->sb_pages = alloc_pages(GFP_KERNEL, SC_SB_ORDER);
	if (!sc->sb_pages) {
		*error = "Cannot allocate the superblock buffer";
		return -ENOMEM;
	}
	r = sc_super_read(sc, &old, &kind);
	if (r) {
		*error = "Cannot read the cache device's superblock";
		return r;
	}
	why = sc_super_plan(kind, &old, bdev_nr_sectors(sc->cache->bdev),
			    sc->block_size, sc->format, &reuse);
	if (why && kind == SC_SB_FOREIGN)
		DMERR("%s: %s holds no swapcache superblock; 'format' overwrites it",
		      sc_name(sc), sc->cache->name);
	else if (why)
		DMERR("%s: %s (block_size %u, %llu sectors); 'format' reformats it",
		      sc_name(sc), why, old.block_size, old.ssd_sectors);
	if (why) {
		*error = (char *)why;
		return -EINVAL;
	}
	sc->sb_ours = kind == SC_SB_OURS;
	sc_super_build(sc, sc->sb_ours ? &old : NULL, reuse);
	return 0;
}

/* Bytes this table's superblock writes have put on the SSD. */
static u64 sc_super_meta(struct swapcache *sc)
{
	return READ_ONCE(sc->meta_written);
}

static u64 sc_sat_add(u64 a, u64 b)
{
	return a + b < a ? U64_MAX : a + b;
}

/**
 * sc_super_lifetime() - bytes written to this SSD over its life
 * @sc: the target
 * @write_count: this table's cache block bytes written (sc->burst's)
 *
 * The ledger the superblock held when this table first resumed, plus what
 * this table wrote since: cache blocks (write_count) and superblocks.
 *
 * Return: bytes, saturated.
 */
u64 sc_super_lifetime(struct swapcache *sc, u64 write_count)
{
	return sc_sat_add(sc_sat_add(READ_ONCE(sc->sb_base),
				     sc_super_meta(sc)), write_count);
}

/* Write the next slot: sequence number + 1, the ledger as of now. */
static int sc_super_write(struct swapcache *sc)
{
	struct sc_super *sb = &sc->sb;
	unsigned long flags;
	u64 wc;
	s64 burst;
	int r;

	sc_lock_irqsave(sc, flags);
	wc = sc->burst.write_count;
	burst = sc->burst.curburst;
	sc_unlock_irqrestore(sc, flags);
	sb->seq++;
	/* The ledger counts this write too. */
	sb->bytes_written = sc_sat_add(sc_super_lifetime(sc, wc), SC_SB_BYTES);
	sb->curburst = burst > 0 ? burst : 0;
	sc_super_encode(sb, sc_sb_buf(sc));
	r = sc_super_io(sc, REQ_OP_WRITE | REQ_SYNC | REQ_PREFLUSH | REQ_FUA,
			(sb->seq & 1) * SC_SB_SECTORS, SC_SB_BYTES);
	if (!r)
		sc_meta_add(sc, SC_SB_BYTES);
	return r;
}

/**
 * sc_meta_add() - count metadata bytes written to the SSD
 * @sc: the target
 * @bytes: superblock or checkpoint bytes just written
 */
void sc_meta_add(struct swapcache *sc, u64 bytes)
{
	WRITE_ONCE(sc->meta_written, sc_sat_add(sc->meta_written, bytes));
}

/*
 * A superblock write failed, or may not be made: stop using the SSD
 * (pass-through) and write no more superblocks.
 */
static void sc_super_failed(struct swapcache *sc, const char *when, int r)
{
	unsigned long flags;

	sc->sb_failed = true;
	sc_lock_irqsave(sc, flags);
	sc->stats.ssd_errors++;
	WRITE_ONCE(sc->degraded, true);
	sc_unlock_irqrestore(sc, flags);
	DMERR("%s: cannot write the superblock at %s (%d): cache disabled (degraded)",
	      sc_name(sc), when, r);
}

/*
 * The first resume found our superblock of this geometry: load its
 * checkpoint if it vouches for one that fits this origin, else start cold
 * under a new format_gen, saying why when a clean cache is given up.
 */
static void sc_super_warm(struct swapcache *sc, const struct sc_super *cur)
{
	const char *why = NULL;
	u64 sample;

	if (cur->state != SC_SB_CLEAN)
		why = "it was not shut down cleanly";
	else if (sc->cold)
		why = "the table says cold";
	else
		why = sc_super_misfit(cur, bdev_nr_sectors(sc->cache->bdev),
				      sc->block_size);
	if (!why && sc_origin_sample(sc, &sample))
		why = "the origin cannot be read";
	if (!why)
		why = sc_super_stranger(cur, sc->ti->len, "", sample);
	if (why) {
		DMINFO("%s: starting cold: %s", sc_name(sc), why);
		sc->sb.format_gen = cur->format_gen + 1;
		sc->sb.ckpt_gen = 0;
		return;
	}
	sc->sb.format_gen = cur->format_gen;
	sc->sb.ckpt_gen = cur->ckpt_gen;
	sc_load_start(sc);
}

/*
 * The first resume: read the slots again (a reload's old table wrote at
 * its postsuspend, after this constructor read them), decide warm or
 * cold, format a new cache in both slots.  Return: 0, or a negative errno.
 */
/* More superblock writes than any table makes between two resumes. */
#define SC_SB_SEQ_SKIP		BIT_ULL(32)

static int sc_super_first(struct swapcache *sc)
{
	struct sc_super cur;
	enum sc_sb_kind kind;
	int r;

	sc->sb_opened = true;
	r = sc_super_read(sc, &cur, &kind);
	if (r && sc->sb_ours) {
		/*
		 * Unread, the SSD may say CLEAN (a reload's old table may have
		 * written it since the constructor read): OPEN goes to both
		 * slots, past any seq the old table reached, or no resume.
		 */
		sc->ps.clean_on_disk = true;
		sc->sb.seq += SC_SB_SEQ_SKIP;
	}
	if (r)
		return r;
	if (kind == SC_SB_FOREIGN && !sc->format) {
		/* Written since the constructor judged it: hands off. */
		DMERR("%s: %s holds no swapcache superblock any more; not formatted",
		      sc_name(sc), sc->cache->name);
		return -EEXIST;
	}
	if (kind == SC_SB_OURS) {
		/* Until OPEN is written, the SSD vouches for its checkpoint. */
		sc->ps.clean_on_disk = cur.state == SC_SB_CLEAN;
		sc->sb.seq = max(sc->sb.seq, cur.seq);
		sc->sb.created = cur.created;
		WRITE_ONCE(sc->sb_base, cur.bytes_written);
		if (!sc->sb_fresh)
			sc_super_warm(sc, &cur);
		else
			sc->sb.format_gen = max(sc->sb.format_gen,
						cur.format_gen + 1);
	}
	if (sc->sb_fresh) {
		DMINFO("%s: formatting the cache device %s: %llu blocks",
		       sc_name(sc), sc->cache->name, sc->sb.data_blocks);
		/* Both slots: no older copy is left to choose. */
		r = sc_super_write(sc);
	}
	return r;
}

/**
 * sc_super_open() - write the superblock OPEN before the device runs
 * (preresume)
 * @sc: the target, suspended
 *
 * A failed write leaves the target degraded, never unusable: the origin
 * holds every block.  Except when the SSD still says CLEAN: a write let
 * through would make its checkpoint stale, so the resume is refused.
 *
 * Return: 0, or a negative errno (resume refused).
 */
int sc_super_open(struct swapcache *sc)
{
	int r = 0;

	if (!sc->sb_opened)
		r = sc_super_first(sc);
	if (r)
		sc_super_failed(sc, "resume", r);
	if (sc->sb_failed && !sc->ps.clean_on_disk)
		return 0;
	sc->sb.state = SC_SB_OPEN;
	r = sc_super_write(sc);
	/* Failed before: the other slot may say CLEAN as well. */
	if (!r && sc->sb_failed)
		r = sc_super_write(sc);
	if (!r) {
		sc->ps.clean_on_disk = false;
		return 0;
	}
	if (sc->ps.clean_on_disk) {
		DMERR("%s: cannot mark the cache in use (%d): not resumed, or it goes stale",
		      sc_name(sc), r);
		return r;
	}
	sc_super_failed(sc, "resume", r);
	return 0;
}

/**
 * sc_super_close() - the checkpoint and the superblock once the device
 * stopped (postsuspend)
 * @sc: the target, suspended, its writer stopped
 *
 * CLEAN is written only after the checkpoint and the origin flush
 * succeeded (save.c), never for a degraded target, after
 * invalidate_on_remove, or when a table loaded for the device keeps one of
 * our two devices without the other; otherwise the state stays OPEN and
 * the next load starts cold.
 */
void sc_super_close(struct swapcache *sc)
{
	bool clean;
	int r;

	sc_load_abandon(sc);
	if (!sc->sb_opened || sc->sb_failed)
		return;
	clean = !READ_ONCE(sc->degraded) && !READ_ONCE(sc->ps.invalidate);
	if (clean && sc_reload_repairs(sc)) {
		DMINFO("%s: the next table keeps the origin or the SSD, not both: not clean",
		       sc_name(sc));
		clean = false;
	}
	clean = clean && !sc_save(sc);
	sc->sb.state = clean ? SC_SB_CLEAN : SC_SB_OPEN;
	/* A failed CLEAN write may still have reached the SSD. */
	if (clean)
		sc->ps.clean_on_disk = true;
	r = sc_super_write(sc);
	if (r)
		sc_super_failed(sc, "suspend", r);
}

/**
 * sc_super_free() - free the superblock buffer (destructor)
 * @sc: the target
 */
void sc_super_free(struct swapcache *sc)
{
	if (sc->sb_pages)
		__free_pages(sc->sb_pages, SC_SB_ORDER);
	sc->sb_pages = NULL;
}
