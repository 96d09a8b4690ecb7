// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs.c - /sys/block/dm-N/swapcache/: one file per knob (read-write,
 * parsed and checked exactly as the table line and `dmsetup message` do)
 * and one per counter (read-only), plus clear_stats (write-only).
 *
 * The directory lives while the target is resumed: resume adds it and
 * postsuspend removes it, so a reload's old and new tables never own it
 * at once (dm suspends the old table before it resumes the new one).
 * kobject_del() returns only when no show or store is running, and the
 * files never reach the target after that.
 *
 * The kobject is the kernel's own (kobject_create_and_add), so its release
 * is kernel code: whenever the last reference goes, even after the module
 * is unloaded (CONFIG_DEBUG_KOBJECT_RELEASE delays it by seconds), no
 * code of this module runs.  The files are per-target attributes that
 * point back at the target, freed once kobject_del() has drained them.
 *
 * Resume runs while dm holds the device's I/O: the directory is added
 * under memalloc_noio_save(), so its allocations (ours, kobject and
 * kernfs) never wait on I/O to this device.
 *
 * A second swapcache target in the same table gets "swapcache-<start>"
 * (its start sector): sc_sysfs_lock and sc_sysfs_list track which mapped
 * devices have a "swapcache" directory.  sc->sysfs is only touched from
 * the constructor, destructor, resume and postsuspend, which dm serialises.
 */
#include <linux/blkdev.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include "swapcache.h"

static LIST_HEAD(sc_sysfs_list);	/* under sc_sysfs_lock */
static DEFINE_MUTEX(sc_sysfs_lock);

/* The read-only files; the knob files are made from the knob table. */
enum sc_stat_id {
	SC_STAT_BLOCK_SIZE, SC_STAT_CACHE_BLOCKS, SC_STAT_USED_BLOCKS,
	SC_STAT_STAGED_BLOCKS, SC_STAT_RAM_HITS, SC_STAT_SSD_HITS,
	SC_STAT_MISSES, SC_STAT_CAPTURED, SC_STAT_BYPASSED,
	SC_STAT_INVALIDATED, SC_STAT_SSD_WRITES, SC_STAT_WRITE_COUNT,
	SC_STAT_WRITER_STATE, SC_STAT_BURST_STATE, SC_STAT_SSD_ERRORS,
	SC_STAT_DEGRADED, SC_STAT_WASTED, SC_STAT_HITS_PER_MIB,
	SC_STAT_DAYS_HOUR, SC_STAT_DAYS_TOTAL, SC_STAT_CLEANED,
	SC_STAT_SHRUNK, SC_STAT_META_WRITTEN, SC_STAT_LIFETIME,
	SC_STAT_RESTORED, SC_STAT_LOAD_LEFT,
	SC_STAT_BYPASS,		/* + enum sc_bypass */
	SC_STAT_CLEAR = SC_STAT_BYPASS + SC_NR_BYPASS,
	SC_NR_STATS
};

#define SC_NR_ATTRS	(SC_NR_KNOBS + SC_NR_STATS)

/* One file of one target. */
struct sc_attr {
	struct kobj_attribute ka;
	struct swapcache *sc;	/* valid until kobject_del() */
	bool knob;
	int id;			/* enum sc_knob or enum sc_stat_id */
};

struct sc_sysfs {
	struct kobject *kobj;		/* the kernel's, released by it */
	struct mapped_device *md;
	struct list_head list;		/* on sc_sysfs_list */
	struct attribute_group group;
	struct attribute *attrs[SC_NR_ATTRS + 1];
	struct sc_attr attr[SC_NR_ATTRS];
};

static const char *const sc_stat_names[SC_NR_STATS] = {
	[SC_STAT_BLOCK_SIZE] = "block_size",
	[SC_STAT_CACHE_BLOCKS] = "cache_blocks",
	[SC_STAT_USED_BLOCKS] = "used_blocks",
	[SC_STAT_STAGED_BLOCKS] = "staged_blocks",
	[SC_STAT_RAM_HITS] = "ram_hits",
	[SC_STAT_SSD_HITS] = "ssd_hits",
	[SC_STAT_MISSES] = "misses",
	[SC_STAT_CAPTURED] = "captured",
	[SC_STAT_BYPASSED] = "bypassed",
	[SC_STAT_INVALIDATED] = "invalidated",
	[SC_STAT_SSD_WRITES] = "ssd_writes",
	[SC_STAT_WRITE_COUNT] = "write_count",
	[SC_STAT_WRITER_STATE] = "writer_state",
	[SC_STAT_BURST_STATE] = "burst_state",
	[SC_STAT_SSD_ERRORS] = "ssd_errors",
	[SC_STAT_DEGRADED] = "degraded",
	[SC_STAT_WASTED] = "wasted_writes",
	[SC_STAT_HITS_PER_MIB] = "hits_per_mib",
	[SC_STAT_DAYS_HOUR] = "days_left_hour",
	[SC_STAT_DAYS_TOTAL] = "days_left_total",
	[SC_STAT_CLEANED] = "cleaned_blocks",
	[SC_STAT_SHRUNK] = "shrunk_blocks",
	[SC_STAT_META_WRITTEN] = "meta_written",
	[SC_STAT_LIFETIME] = "lifetime_written",
	[SC_STAT_RESTORED] = "restored_blocks",
	[SC_STAT_LOAD_LEFT] = "load_pages_left",
	[SC_STAT_BYPASS + SC_BYPASS_SEQ] = "bypass_seq_cutoff",
	[SC_STAT_BYPASS + SC_BYPASS_IDLE] = "bypass_idle",
	[SC_STAT_BYPASS + SC_BYPASS_META] = "bypass_meta_off",
	[SC_STAT_BYPASS + SC_BYPASS_DATA] = "bypass_data_off",
	[SC_STAT_BYPASS + SC_BYPASS_PARTIAL] = "bypass_partial",
	[SC_STAT_BYPASS + SC_BYPASS_DEGRADED] = "bypass_degraded",
	[SC_STAT_BYPASS + SC_BYPASS_NOMEM] = "bypass_nomem",
	[SC_STAT_BYPASS + SC_BYPASS_BURST] = "bypass_burst",
	[SC_STAT_BYPASS + SC_BYPASS_SSD_FULL] = "bypass_ssd_full",
	[SC_STAT_BYPASS + SC_BYPASS_RAM] = "bypass_ram_full",
	[SC_STAT_BYPASS + SC_BYPASS_ONCE] = "bypass_once",
	[SC_STAT_CLEAR] = "clear_stats",
};

/* The numeric counters of a snapshot, indexed by enum sc_stat_id. */
static void sc_stat_values(struct swapcache *sc, const struct sc_snapshot *s,
			   u64 *v)
{
	int i;

	v[SC_STAT_BLOCK_SIZE] = sc->block_size;
	v[SC_STAT_CACHE_BLOCKS] = s->total;
	v[SC_STAT_USED_BLOCKS] = s->used;
	v[SC_STAT_STAGED_BLOCKS] = s->staged;
	v[SC_STAT_RAM_HITS] = s->st.ram_hits;
	v[SC_STAT_SSD_HITS] = s->st.ssd_hits;
	v[SC_STAT_MISSES] = s->st.misses;
	v[SC_STAT_CAPTURED] = s->st.captured;
	v[SC_STAT_BYPASSED] = s->st.bypassed;
	v[SC_STAT_INVALIDATED] = s->st.invalidated;
	v[SC_STAT_SSD_WRITES] = s->st.ssd_writes;
	v[SC_STAT_WRITE_COUNT] = s->write_count;
	v[SC_STAT_SSD_ERRORS] = s->st.ssd_errors;
	v[SC_STAT_DEGRADED] = s->degraded;
	v[SC_STAT_WASTED] = s->wasted;
	v[SC_STAT_HITS_PER_MIB] = s->hits_per_mib;
	v[SC_STAT_CLEANED] = s->cleaned;
	v[SC_STAT_SHRUNK] = s->st.shrunk;
	v[SC_STAT_META_WRITTEN] = s->meta_written;
	v[SC_STAT_LIFETIME] = s->lifetime_written;
	v[SC_STAT_RESTORED] = s->restored;
	v[SC_STAT_LOAD_LEFT] = s->load_left;
	for (i = 0; i < SC_NR_BYPASS; i++)
		v[SC_STAT_BYPASS + i] = s->st.bypass[i];
}

static ssize_t sc_show_stat(struct swapcache *sc, int id, char *buf)
{
	u64 v[SC_NR_STATS];
	struct sc_snapshot s;
	char days[24];

	sc_snapshot(sc, &s);
	switch (id) {
	case SC_STAT_WRITER_STATE:
		return sysfs_emit(buf, "%s\n", sc_burst_wstate_name(s.wstate));
	case SC_STAT_BURST_STATE:
		return sysfs_emit(buf, "%s\n", sc_burst_bstate_name(s.bstate));
	case SC_STAT_DAYS_HOUR:
	case SC_STAT_DAYS_TOTAL:
		sc_format_days(days, sizeof(days), id == SC_STAT_DAYS_HOUR ?
			       s.days_hour : s.days_total);
		return sysfs_emit(buf, "%s\n", days);
	case SC_STAT_HITS_PER_MIB:
		if (s.hits_per_mib == U64_MAX)
			return sysfs_emit(buf, "-\n");
		break;
	case SC_STAT_CLEAR:
		return -EINVAL;
	}
	sc_stat_values(sc, &s, v);
	return sysfs_emit(buf, "%llu\n", v[id]);
}

static ssize_t sc_attr_show(struct kobject *kobj, struct kobj_attribute *ka,
			    char *buf)
{
	struct sc_attr *a = container_of(ka, struct sc_attr, ka);
	struct swapcache *sc = a->sc;
	unsigned long flags;
	s64 cur;

	if (!a->knob)
		return sc_show_stat(sc, a->id, buf);
	if (a->id != SC_KNOB_CURBURST)
		return sysfs_emit(buf, "%llu\n", sc_knob(sc, a->id));
	/* The budget now, not the value last set: it moves every tick. */
	sc_lock_irqsave(sc, flags);
	cur = sc->burst.curburst;
	sc_unlock_irqrestore(sc, flags);
	return sysfs_emit(buf, "%lld\n", cur);
}

static ssize_t sc_attr_store(struct kobject *kobj, struct kobj_attribute *ka,
			     const char *buf, size_t len)
{
	struct sc_attr *a = container_of(ka, struct sc_attr, ka);
	struct swapcache *sc = a->sc;
	const char *why;
	u64 v;

	if (!a->knob) {
		if (a->id != SC_STAT_CLEAR || !sysfs_streq(buf, "1"))
			return -EINVAL;
		sc_clear_stats(sc);
		return len;
	}
	if (sc_knob_parse(a->id, buf, &v)) {
		sc_warn(sc, "sysfs: %s", sc_knob_descs[a->id].error);
		return -EINVAL;
	}
	why = sc_set_knob(sc, a->id, v);
	if (why) {
		sc_warn(sc, "sysfs: %s %llu refused: %s", ka->attr.name, v,
			why);
		return -EINVAL;
	}
	return len;
}

static bool __sc_sysfs_md_has(struct mapped_device *md)
{
	struct sc_sysfs *k;

	list_for_each_entry(k, &sc_sysfs_list, list)
		if (k->md == md)
			return true;
	return false;
}

/* The files of @k, pointing at @sc: knobs first, then the counters. */
static void sc_sysfs_fill(struct sc_sysfs *k, struct swapcache *sc)
{
	struct sc_attr *a = k->attr;
	int i;

	for (i = 0; i < SC_NR_ATTRS; i++, a++) {
		a->sc = sc;
		a->knob = i < SC_NR_KNOBS;
		a->id = a->knob ? i : i - SC_NR_KNOBS;
		sysfs_attr_init(&a->ka.attr);
		if (a->knob) {
			a->ka.attr.name = sc_knob_descs[a->id].name;
			a->ka.attr.mode = 0644;
		} else {
			a->ka.attr.name = sc_stat_names[a->id];
			a->ka.attr.mode = a->id == SC_STAT_CLEAR ? 0200 : 0444;
		}
		a->ka.show = sc_attr_show;
		a->ka.store = sc_attr_store;
		k->attrs[i] = &a->ka.attr;
	}
	k->group.attrs = k->attrs;
}

/* The directory "swapcache", or "swapcache-<start>" for a second target. */
static struct kobject *sc_sysfs_create(struct swapcache *sc,
				       struct kobject *parent)
{
	char name[32] = "swapcache";

	if (__sc_sysfs_md_has(dm_table_get_md(sc->ti->table)))
		snprintf(name, sizeof(name), "swapcache-%llu",
			 (unsigned long long)sc->ti->begin);
	return kobject_create_and_add(name, parent);
}

static void __sc_sysfs_add(struct swapcache *sc)
{
	struct mapped_device *md = dm_table_get_md(sc->ti->table);
	struct kobject *parent = &disk_to_dev(dm_disk(md))->kobj;
	struct sc_sysfs *k;
	int r = -ENOMEM;

	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return;
	k->md = md;
	sc_sysfs_fill(k, sc);
	mutex_lock(&sc_sysfs_lock);
	k->kobj = sc_sysfs_create(sc, parent);
	if (k->kobj) {
		r = sysfs_create_group(k->kobj, &k->group);
		if (r) {
			kobject_put(k->kobj);
			k->kobj = NULL;
		}
	}
	if (!r)
		list_add(&k->list, &sc_sysfs_list);
	mutex_unlock(&sc_sysfs_lock);
	if (r) {
		sc_warn(sc, "cannot add the sysfs directory: %d", r);
		kfree(k);
		return;
	}
	sc->sysfs = k;
}

/**
 * sc_sysfs_add() - add the target's sysfs directory, if not there yet
 * @sc: the target
 *
 * The device works without it, so a failure only warns.
 *
 * Context: resume: no allocation here may recurse into I/O.
 */
void sc_sysfs_add(struct swapcache *sc)
{
	unsigned int noio;

	if (sc->sysfs)
		return;
	noio = memalloc_noio_save();
	__sc_sysfs_add(sc);
	memalloc_noio_restore(noio);
}

/**
 * sc_sysfs_remove() - remove the target's sysfs directory, if any
 * @sc: the target
 *
 * Waits for running show and store calls.
 */
void sc_sysfs_remove(struct swapcache *sc)
{
	struct sc_sysfs *k = sc->sysfs;

	if (!k)
		return;
	sc->sysfs = NULL;
	/* Waits for running show and store calls. */
	kobject_del(k->kobj);
	mutex_lock(&sc_sysfs_lock);
	list_del(&k->list);
	mutex_unlock(&sc_sysfs_lock);
	/* Its release is the kernel's; nothing reaches @k any more. */
	kobject_put(k->kobj);
	kfree(k);
}
