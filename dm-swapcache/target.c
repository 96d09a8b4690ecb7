// SPDX-License-Identifier: GPL-2.0
/*
 * target.c - the device-mapper glue of dm-swapcache: table line parsing,
 * constructor and destructor, bio mapping, status, messages and the device
 * hints.  The caching itself lives in io.c and daemon.c; this file only
 * parses, reports and routes.
 *
 * Table line:
 *   <origin_dev> <cache_dev> [<#opt_args> <opt>...]
 * where an option is the word "format" or "cold", or a pair
 * "<name> <value>":
 * block_size <bytes>, or any knob of knobs.c.  See
 * Documentation/swapcache.rst.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "swapcache.h"
#include "compat.h"

#define SC_VERSION_MAJOR	1
#define SC_VERSION_MINOR	2
#define SC_VERSION_PATCH	0

/* Every option is a name and a value, but format and cold, words alone. */
#define SC_MAX_OPT_ARGS		(2 * (SC_NR_KNOBS + 1) + 2)

/* ---- Devices in use (the rules are in claims.c) -------------------------- */

static LIST_HEAD(sc_claims);		/* under sc_claims_lock */
static DEFINE_MUTEX(sc_claims_lock);

static int sc_claim_devices(struct swapcache *sc, char **error)
{
	struct dm_table *t = sc->ti->table;
	const char *why;

	mutex_lock(&sc_claims_lock);
	why = sc_claims_take(&sc_claims, sc->claims,
			     sc->origin->bdev->bd_dev, sc->cache->bdev->bd_dev,
			     dm_table_get_md(t), t);
	mutex_unlock(&sc_claims_lock);
	if (why) {
		*error = (char *)why;
		return -EBUSY;
	}
	return 0;
}

/**
 * sc_reload_repairs() - does a table loaded for this device keep our
 * origin or our SSD, but not both?
 * @sc: the target, its claims taken
 *
 * Return: whether the checkpoint of this table would go stale under the
 * new one (claims.c, sc_claims_repaired()).
 */
bool sc_reload_repairs(struct swapcache *sc)
{
	bool r;

	mutex_lock(&sc_claims_lock);
	r = sc_claims_repaired(&sc_claims, sc->claims);
	mutex_unlock(&sc_claims_lock);
	return r;
}

static void sc_release_devices(struct swapcache *sc)
{
	mutex_lock(&sc_claims_lock);
	sc_claims_release(sc->claims);
	mutex_unlock(&sc_claims_lock);
}

/* ---- Table line parsing -------------------------------------------------- */

static int sc_parse_block_size(struct swapcache *sc, const char *str,
			       char **error)
{
	unsigned int bs;

	if (kstrtouint(str, 10, &bs) || !is_power_of_2(bs) ||
	    bs < SECTOR_SIZE || bs > PAGE_SIZE) {
		*error = "Invalid block_size: a power of two from 512 to 4096";
		return -EINVAL;
	}
	if (sc->table_block_size) {
		*error = "Duplicate optional argument";
		return -EINVAL;
	}
	sc->block_size = bs;
	sc->table_block_size = true;
	return 0;
}

/* A word alone: format, cold. */
static int sc_parse_word(bool *word, char **error)
{
	if (*word) {
		*error = "Duplicate optional argument";
		return -EINVAL;
	}
	*word = true;
	return 0;
}

static int sc_parse_knob(struct swapcache *sc, const char *name,
			 const char *str, char **error)
{
	int id = sc_knob_lookup(name);
	u64 v;

	if (id < 0) {
		DMERR("unknown optional argument '%s'", name);
		*error = "Unknown optional argument";
		return -EINVAL;
	}
	if (test_bit(id, &sc->table_knobs)) {
		*error = "Duplicate optional argument";
		return -EINVAL;
	}
	if (sc_knob_parse(id, str, &v)) {
		DMERR("bad value '%s' for %s", str, name);
		*error = (char *)sc_knob_descs[id].error;
		return -EINVAL;
	}
	sc->knobs[id] = v;
	sc->table_values[id] = v;
	__set_bit(id, &sc->table_knobs);
	return 0;
}

static int sc_parse_options(struct swapcache *sc, struct dm_arg_set *as,
			    char **error)
{
	static const struct dm_arg opt_args = {
		0, SC_MAX_OPT_ARGS, "Invalid number of optional arguments"
	};
	unsigned int argc;
	const char *name, *conflict;
	int r;

	if (!as->argc)
		return 0;
	r = dm_read_arg_group(&opt_args, as, &argc, error);
	if (r)
		return r;
	while (argc) {
		name = dm_shift_arg(as);
		argc--;
		if (!strcmp(name, "format")) {
			r = sc_parse_word(&sc->format, error);
		} else if (!strcmp(name, "cold")) {
			r = sc_parse_word(&sc->cold, error);
		} else if (!argc) {
			*error = "Optional argument without its value";
			r = -EINVAL;
		} else if (!strcmp(name, "block_size")) {
			r = sc_parse_block_size(sc, dm_shift_arg(as), error);
			argc--;
		} else {
			r = sc_parse_knob(sc, name, dm_shift_arg(as), error);
			argc--;
		}
		if (r)
			return r;
	}
	if (as->argc) {
		*error = "Too many arguments";
		return -EINVAL;
	}
	conflict = sc_knobs_conflict(sc->knobs);
	if (conflict) {
		*error = (char *)conflict;
		return -EINVAL;
	}
	return 0;
}

/*
 * The cache is written whatever the table's mode, as dm-cache's is: a
 * read-only table keeps the origin from being written, not the SSD.
 */
#define SC_CACHE_MODE	(BLK_OPEN_READ | BLK_OPEN_WRITE)

static int sc_open_devices(struct swapcache *sc, struct dm_arg_set *as,
			   char **error)
{
	struct dm_target *ti = sc->ti;
	int r;

	r = dm_get_device(ti, dm_shift_arg(as), dm_table_get_mode(ti->table),
			  &sc->origin);
	if (r) {
		*error = "Error opening origin device";
		return r;
	}
	r = dm_get_device(ti, dm_shift_arg(as), SC_CACHE_MODE, &sc->cache);
	if (r) {
		*error = "Error opening cache device";
		return r;
	}
	if (bdev_read_only(sc->cache->bdev)) {
		*error = "Cache device is read-only";
		return -EROFS;
	}
	if (sc->origin->bdev->bd_dev == sc->cache->bdev->bd_dev) {
		*error = "Cache device must not be the origin device";
		return -EINVAL;
	}
	return 0;
}

/* The largest ram_budget: half of the RAM, in MiB. */
static u64 sc_ram_budget_max(void)
{
	return (totalram_pages() >> 1) >> (20 - PAGE_SHIFT);
}

/* Sizes are checked once the block size is known. */
static int sc_check_sizes(struct swapcache *sc, char **error)
{
	struct block_device *obdev = sc->origin->bdev;
	struct block_device *cbdev = sc->cache->bdev;
	struct dm_target *ti = sc->ti;
	sector_t bsec = sc->block_size >> SECTOR_SHIFT;
	struct sc_super geo;

	if (sc->block_size < bdev_logical_block_size(obdev) ||
	    sc->block_size < bdev_logical_block_size(cbdev)) {
		*error = "block_size is below a device's logical block size";
		return -EINVAL;
	}
	sc->block_shift = ilog2(bsec);
	if (ti->len & (bsec - 1)) {
		*error = "Target length is not a multiple of block_size";
		return -EINVAL;
	}
	if (bdev_nr_sectors(obdev) < ti->len) {
		*error = "Origin device is smaller than the target";
		return -EINVAL;
	}
	sc->origin_blocks = ti->len >> sc->block_shift;
	if (bdev_nr_sectors(cbdev) >> sc->block_shift > SC_MAP_MAX_BLOCKS) {
		*error = "Cache device too large: at most 2^32 - 1 blocks";
		return -EINVAL;
	}
	/* The superblocks and the checkpoint come first (format.h). */
	if (sc_super_geometry(&geo, bdev_nr_sectors(cbdev), sc->block_size) ||
	    geo.data_blocks < SC_MIN_CACHE_BLOCKS) {
		*error = "Cache device too small: need 1 MiB and 64 blocks";
		return -EINVAL;
	}
	sc->data_start = geo.data_start;
	sc->cache_blocks = geo.data_blocks;
	if (sc->origin_blocks > SC_MAP_MAX_OBLOCKS) {
		*error = "Origin device too large: at most 2^40 blocks";
		return -EINVAL;
	}
	if (sc->knobs[SC_KNOB_RAM_BUDGET] > sc_ram_budget_max()) {
		*error = "ram_budget exceeds half of the RAM";
		return -EINVAL;
	}
	return 0;
}

/* ---- Constructor and destructor ------------------------------------------ */

/* Tolerates a half-built target: the constructor's failures come here. */
static void sc_dtr(struct dm_target *ti)
{
	struct swapcache *sc = ti->private;

	if (!sc)
		return;
	sc_sysfs_remove(sc);
	sc_engine_destroy(sc);
	sc_persist_destroy(sc);
	sc_super_free(sc);
	sc_release_devices(sc);
	if (sc->cache)
		dm_put_device(ti, sc->cache);
	if (sc->origin)
		dm_put_device(ti, sc->origin);
	kfree(sc);
	ti->private = NULL;
}

static int sc_ctr(struct dm_target *ti, unsigned int argc, char **argv)
{
	struct dm_arg_set as = { .argc = argc, .argv = argv };
	struct swapcache *sc;
	int r;

	if (argc < 2) {
		ti->error = "Not enough arguments: <origin_dev> <cache_dev> [<#opt_args> <opt>...]";
		return -EINVAL;
	}
	sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	if (!sc) {
		ti->error = "Cannot allocate the swapcache context";
		return -ENOMEM;
	}
	ti->private = sc;
	sc->ti = ti;
	sc_claims_init(sc->claims);
	sc->block_size = SC_DEFAULT_BLOCK_SIZE;
	spin_lock_init(&sc->knob_lock);
	spin_lock_init(&sc->lock);
	init_waitqueue_head(&sc->ssd_writes_wait);
	init_waitqueue_head(&sc->daemon_wait);
	sc_knobs_defaults(sc->knobs);

	r = sc_open_devices(sc, &as, &ti->error);
	if (!r)
		r = sc_parse_options(sc, &as, &ti->error);
	if (!r)
		r = sc_check_sizes(sc, &ti->error);
	if (!r)
		r = sc_claim_devices(sc, &ti->error);
	if (!r)
		r = sc_super_probe(sc, &ti->error);
	if (!r)
		r = sc_persist_create(sc, &ti->error);
	if (!r)
		r = sc_engine_create(sc, &ti->error);
	if (r) {
		sc_dtr(ti);
		return r;
	}

	/* Bound the blocks, so the lock work, of one bio (swapcache.h). */
	r = dm_set_target_max_io_len(ti, (sector_t)SC_MAX_IO_BLOCKS <<
					 sc->block_shift);
	if (r) {
		sc_dtr(ti);
		return r;
	}
	ti->per_io_data_size = sizeof(struct sc_bio);
	ti->num_flush_bios = 1;
	ti->num_discard_bios = 1;
	ti->num_write_zeroes_bios = 1;
	ti->discards_supported =
		bdev_max_discard_sectors(sc->origin->bdev) != 0;
	return 0;
}

/* ---- I/O ----------------------------------------------------------------- */

static int sc_map(struct dm_target *ti, struct bio *bio)
{
	return sc_map_bio(ti->private, bio);
}

static int sc_end_io_fn(struct dm_target *ti, struct bio *bio,
			blk_status_t *error)
{
	return sc_end_io(ti->private, bio, error);
}

/*
 * Suspended, the target writes nothing to the SSD, and its sysfs directory
 * is gone: a reload's new table adds its own when it is resumed.  Resume
 * runs before dm releases the I/O it held: nothing it does may allocate
 * memory in a way that waits on I/O (the daemon thread exists since the
 * constructor; sysfs allocates under memalloc_noio).
 */
static void sc_postsuspend(struct dm_target *ti)
{
	sc_sysfs_remove(ti->private);
	sc_daemon_stop(ti->private);
	sc_super_close(ti->private);
}

/* The superblock is written before the device runs (super.c). */
static int sc_preresume(struct dm_target *ti)
{
	return sc_super_open(ti->private);
}

static void sc_resume(struct dm_target *ti)
{
	sc_daemon_start(ti->private);
	sc_sysfs_add(ti->private);
}

/* ---- Status and messages ------------------------------------------------- */

static void sc_emit_table(struct swapcache *sc, char *result,
			  unsigned int maxlen, unsigned int *szp)
{
	unsigned int sz = *szp, nopts;
	int i;

	nopts = 2 * (hweight_long(sc->table_knobs) + sc->table_block_size) +
		sc->format + sc->cold;
	DMEMIT("%s %s %u", sc->origin->name, sc->cache->name, nopts);
	if (sc->table_block_size)
		DMEMIT(" block_size %u", sc->block_size);
	if (sc->format)
		DMEMIT(" format");
	if (sc->cold)
		DMEMIT(" cold");
	for (i = 0; i < SC_NR_KNOBS; i++)
		if (test_bit(i, &sc->table_knobs))
			DMEMIT(" %s %llu", sc_knob_descs[i].name,
			       sc->table_values[i]);
	*szp = sz;
}

/*
 * INFO status, one line (Documentation/swapcache.rst numbers the fields):
 *   <block_size> <ssd_used>/<ssd_blocks> <staged> <ram_hits> <ssd_hits>
 *   <misses> <captured> <bypassed> <invalidated> <ssd_writes>
 *   <write_count> <curburst> <writing|cleaning> <bursting|recovering>
 *   <ssd_errors> <cache|degraded>
 *   <bypass_seq_cutoff> <bypass_idle> <bypass_meta_off> <bypass_data_off>
 *   <bypass_partial> <bypass_degraded> <bypass_nomem> <bypass_burst>
 *   <bypass_ssd_full> <bypass_ram_full> <wasted_writes> <hits_per_mib>
 *   <days_left_hour> <days_left_total> <cleaned_blocks> <shrunk_blocks>
 *   <meta_written> <lifetime_written> <restored_blocks> <load_pages_left>
 * Blocks are block_size bytes; write_count, curburst, meta_written and
 * lifetime_written are bytes;
 * hits_per_mib and the days are "-" when unknown, the days "inf" when
 * nothing was written over the period.  New fields are only ever added at
 * the end.
 */
static void sc_emit_info(struct swapcache *sc, char *result,
			 unsigned int maxlen, unsigned int *szp)
{
	unsigned int sz = *szp;
	struct sc_snapshot s;
	char hour[24], total[24];
	int i;

	sc_snapshot(sc, &s);
	DMEMIT("%u %llu/%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %lld %s %s %llu %s",
	       sc->block_size, s.used, s.total,
	       s.staged, s.st.ram_hits, s.st.ssd_hits, s.st.misses,
	       s.st.captured, s.st.bypassed, s.st.invalidated,
	       s.st.ssd_writes, s.write_count, s.curburst,
	       sc_burst_wstate_name(s.wstate), sc_burst_bstate_name(s.bstate),
	       s.st.ssd_errors, s.degraded ? "degraded" : "cache");
	for (i = 0; i < SC_NR_BYPASS; i++)
		DMEMIT(" %llu", s.st.bypass[i]);
	DMEMIT(" %llu", s.wasted);
	if (s.hits_per_mib == U64_MAX)
		DMEMIT(" -");
	else
		DMEMIT(" %llu", s.hits_per_mib);
	sc_format_days(hour, sizeof(hour), s.days_hour);
	sc_format_days(total, sizeof(total), s.days_total);
	DMEMIT(" %s %s %llu %llu %llu %llu %llu %llu", hour, total, s.cleaned,
	       s.st.shrunk, s.meta_written, s.lifetime_written, s.restored,
	       s.load_left);
	*szp = sz;
}

static void sc_status(struct dm_target *ti, status_type_t type,
		      unsigned int status_flags, char *result,
		      unsigned int maxlen)
{
	struct swapcache *sc = ti->private;
	unsigned int sz = 0;

	switch (type) {
	case STATUSTYPE_INFO:
		sc_emit_info(sc, result, maxlen, &sz);
		break;
	case STATUSTYPE_TABLE:
		sc_emit_table(sc, result, maxlen, &sz);
		break;
	case STATUSTYPE_IMA:
		DMEMIT("target_name=%s,target_version=%u.%u.%u,origin=%s,cache=%s,block_size=%u;",
		       ti->type->name,
		       SC_VERSION_MAJOR, SC_VERSION_MINOR, SC_VERSION_PATCH,
		       sc->origin->name, sc->cache->name, sc->block_size);
		break;
	}
}

/**
 * sc_set_knob() - set one knob, keeping the rules between knobs
 * @sc: the target
 * @id: the knob
 * @v: its new value, already parsed and in range
 *
 * The one setter behind messages and sysfs.
 *
 * Return: NULL, or why the value was refused.
 */
const char *sc_set_knob(struct swapcache *sc, enum sc_knob id, u64 v)
{
	u64 next[SC_NR_KNOBS];
	unsigned long flags;
	const char *why;

	if (id == SC_KNOB_RAM_BUDGET && v > sc_ram_budget_max())
		return "ram_budget exceeds half of the RAM";
	/* Lock order: knob_lock, then lock. */
	spin_lock(&sc->knob_lock);
	memcpy(next, sc->knobs, sizeof(next));
	next[id] = v;
	why = sc_knobs_conflict(next);
	if (!why) {
		WRITE_ONCE(sc->knobs[id], v);
		if (id == SC_KNOB_CURBURST) {
			sc_lock_irqsave(sc, flags);
			sc_burst_set_curburst(&sc->burst, v);
			sc_unlock_irqrestore(sc, flags);
		}
	}
	spin_unlock(&sc->knob_lock);
	return why;
}

/*
 * dmsetup message <dev> 0 <knob> <value> | clear_stats | invalidate_on_remove
 */
static int sc_message(struct dm_target *ti, unsigned int argc, char **argv,
		      char *result, unsigned int maxlen)
{
	struct swapcache *sc = ti->private;
	const char *why;
	int id;
	u64 v;

	if (argc == 1 && !strcmp(argv[0], "clear_stats")) {
		sc_clear_stats(sc);
		return 0;
	}
	/* No suspend from now on writes CLEAN: the next load starts cold. */
	if (argc == 1 && !strcmp(argv[0], "invalidate_on_remove")) {
		/* Suspended, CLEAN is written already: a remove writes nothing. */
		if (dm_suspended(ti)) {
			sc_warn(sc, "message: invalidate_on_remove: the device is suspended; resume it first");
			return -EBUSY;
		}
		WRITE_ONCE(sc->ps.invalidate, true);
		return 0;
	}
#ifdef SC_LOCK_STATS
	if (argc == 1 && !strcmp(argv[0], "lock_stats")) {
		unsigned long flags;
		u64 ns;

		sc_lock_irqsave(sc, flags);
		ns = sc->stats.lock_max_ns;
		sc_unlock_irqrestore(sc, flags);
		scnprintf(result, maxlen, "lock_max_ns %llu", ns);
		return 1;
	}
#endif
	if (argc != 2) {
		sc_warn(sc, "message: unknown message '%s': expected <knob> <value>, clear_stats or invalidate_on_remove",
			argc ? argv[0] : "");
		return -EINVAL;
	}
	id = sc_knob_lookup(argv[0]);
	if (id < 0) {
		sc_warn(sc, "message: unknown knob '%s'", argv[0]);
		return -EINVAL;
	}
	if (sc_knob_parse(id, argv[1], &v)) {
		sc_warn(sc, "message: %s", sc_knob_descs[id].error);
		return -EINVAL;
	}
	why = sc_set_knob(sc, id, v);
	if (why) {
		sc_warn(sc, "message: %s %llu refused: %s", argv[0], v, why);
		return -EINVAL;
	}
	return 0;
}

static int sc_iterate_devices(struct dm_target *ti,
			      iterate_devices_callout_fn fn, void *data)
{
	struct swapcache *sc = ti->private;
	int r;

	r = fn(ti, sc->origin, 0, ti->len, data);
	/*
	 * Only the whole blocks of the cache device are used: a tail that is
	 * not a multiple of the origin's logical block would have dm refuse
	 * the table for space the target never touches.
	 */
	if (!r)
		r = fn(ti, sc->cache, 0, sc_cblock_sector(sc, sc->cache_blocks),
		       data);
	return r;
}

static void sc_io_hints(struct dm_target *ti, struct queue_limits *limits)
{
	struct swapcache *sc = ti->private;
	unsigned int max, bsec;

	/* Whole blocks are what the cache can keep: advertise them. */
	if (limits->logical_block_size < sc->block_size)
		limits->io_min = max_t(unsigned int, limits->io_min,
				       sc->block_size);
	if (limits->io_opt < sc->block_size)
		limits->io_opt = sc->block_size;
	/*
	 * With max_io_len set, dm also splits a bio at the queue's
	 * max_sectors (255 sectors on many devices): keep the pieces whole
	 * blocks, or every large buffered read would be a partial miss.
	 */
	bsec = 1U << sc->block_shift;
	limits->max_hw_sectors = max(round_down(limits->max_hw_sectors, bsec),
				     bsec);
	limits->max_sectors = max(round_down(limits->max_sectors, bsec), bsec);
	/*
	 * A discard or write-zeroes drops the copies of its blocks under the
	 * engine's spinlock: bound the work one bio can ask for (64 MiB with
	 * 4 KiB blocks).  Other bios are split by max_io_len (sc_ctr).
	 */
	max = SC_MAX_DISCARD_BLOCKS << sc->block_shift;
	limits->max_hw_discard_sectors = min(limits->max_hw_discard_sectors,
					     max);
	limits->max_discard_sectors = min(limits->max_discard_sectors, max);
	limits->max_write_zeroes_sectors =
		min(limits->max_write_zeroes_sectors, max);
}

static struct target_type swapcache_target = {
	.name		= "swapcache",
	.version	= { SC_VERSION_MAJOR, SC_VERSION_MINOR,
			    SC_VERSION_PATCH },
	.module		= THIS_MODULE,
	.ctr		= sc_ctr,
	.dtr		= sc_dtr,
	.map		= sc_map,
	.end_io		= sc_end_io_fn,
	.postsuspend	= sc_postsuspend,
	.preresume	= sc_preresume,
	.resume		= sc_resume,
	.status		= sc_status,
	.message	= sc_message,
	.iterate_devices = sc_iterate_devices,
	.io_hints	= sc_io_hints,
};

static int __init sc_init(void)
{
	int r = sc_io_init();

	if (r)
		return r;
	r = dm_register_target(&swapcache_target);
	if (r)
		sc_io_exit();
	return r;
}

static void __exit sc_exit(void)
{
	dm_unregister_target(&swapcache_target);
	sc_io_exit();
}

module_init(sc_init);
module_exit(sc_exit);

MODULE_DESCRIPTION(DM_NAME " SSD read cache with rationed writes (swapcache)");
MODULE_AUTHOR("dm-swapcache developers");
MODULE_LICENSE("GPL");
