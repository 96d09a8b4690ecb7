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
 * files never reach the target after that; the kobject itself is freed
 * by its release, whenever sysfs lets go of it.
 *
 * A second swapcache target in the same table gets "swapcache-<start>"
 * (its start sector): sc_sysfs_lock and sc_sysfs_list track which mapped
 * devices have a "swapcache" directory.  sc->sysfs is only touched from
 * the constructor, destructor, resume and postsuspend, which dm serialises.
 */
#include <linux/blkdev.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include "swapcache.h"

struct sc_sysfs {
	struct kobject kobj;
	struct swapcache *sc;		/* valid until kobject_del() */
	struct mapped_device *md;
	struct list_head list;		/* on sc_sysfs_list */
};

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
	SC_STAT_BYPASS,		/* + enum sc_bypass */
	SC_STAT_CLEAR = SC_STAT_BYPASS + SC_NR_BYPASS,
	SC_NR_STATS
};

struct sc_attr {
	struct attribute attr;
	bool knob;
	int id;			/* enum sc_knob or enum sc_stat_id */
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

/* Filled by sc_sysfs_init(): knobs first, then the counters. */
static struct sc_attr sc_attr_table[SC_NR_KNOBS + SC_NR_STATS];
static struct attribute *sc_attrs[SC_NR_KNOBS + SC_NR_STATS + 1];
static const struct attribute_group sc_group = { .attrs = sc_attrs };
static const struct attribute_group *sc_groups[] = { &sc_group, NULL };

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

static ssize_t sc_attr_show(struct kobject *kobj, struct attribute *attr,
			    char *buf)
{
	struct swapcache *sc = container_of(kobj, struct sc_sysfs, kobj)->sc;
	struct sc_attr *a = container_of(attr, struct sc_attr, attr);
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

static ssize_t sc_attr_store(struct kobject *kobj, struct attribute *attr,
			     const char *buf, size_t len)
{
	struct swapcache *sc = container_of(kobj, struct sc_sysfs, kobj)->sc;
	struct sc_attr *a = container_of(attr, struct sc_attr, attr);
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
		sc_warn(sc, "sysfs: %s %llu refused: %s", attr->name, v, why);
		return -EINVAL;
	}
	return len;
}

static void sc_sysfs_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct sc_sysfs, kobj));
}

static const struct sysfs_ops sc_sysfs_ops = {
	.show	= sc_attr_show,
	.store	= sc_attr_store,
};

static struct kobj_type sc_ktype = {
	.sysfs_ops	= &sc_sysfs_ops,
	.default_groups	= sc_groups,
	.release	= sc_sysfs_release,
};

static bool __sc_sysfs_md_has(struct mapped_device *md)
{
	struct sc_sysfs *k;

	list_for_each_entry(k, &sc_sysfs_list, list)
		if (k->md == md)
			return true;
	return false;
}

/* Add the directory; the device works without it, so only warn. */
void sc_sysfs_add(struct swapcache *sc)
{
	struct mapped_device *md = dm_table_get_md(sc->ti->table);
	struct kobject *parent = &disk_to_dev(dm_disk(md))->kobj;
	struct sc_sysfs *k;
	int r;

	if (sc->sysfs)
		return;
	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k) {
		sc_warn(sc, "no memory for the sysfs directory");
		return;
	}
	k->sc = sc;
	k->md = md;
	mutex_lock(&sc_sysfs_lock);
	if (__sc_sysfs_md_has(md))
		r = kobject_init_and_add(&k->kobj, &sc_ktype, parent,
					 "swapcache-%llu",
					 (unsigned long long)sc->ti->begin);
	else
		r = kobject_init_and_add(&k->kobj, &sc_ktype, parent,
					 "swapcache");
	if (!r)
		list_add(&k->list, &sc_sysfs_list);
	mutex_unlock(&sc_sysfs_lock);
	if (r) {
		sc_warn(sc, "cannot add the sysfs directory: %d", r);
		kobject_put(&k->kobj);
		return;
	}
	sc->sysfs = k;
}

void sc_sysfs_remove(struct swapcache *sc)
{
	struct sc_sysfs *k = sc->sysfs;

	if (!k)
		return;
	sc->sysfs = NULL;
	/* Waits for running show and store calls. */
	kobject_del(&k->kobj);
	mutex_lock(&sc_sysfs_lock);
	list_del(&k->list);
	mutex_unlock(&sc_sysfs_lock);
	kobject_put(&k->kobj);
}

void sc_sysfs_init(void)
{
	struct sc_attr *a = sc_attr_table;
	int i;

	for (i = 0; i < SC_NR_KNOBS; i++, a++) {
		a->attr.name = sc_knob_descs[i].name;
		a->attr.mode = 0644;
		a->knob = true;
		a->id = i;
	}
	for (i = 0; i < SC_NR_STATS; i++, a++) {
		a->attr.name = sc_stat_names[i];
		a->attr.mode = i == SC_STAT_CLEAR ? 0200 : 0444;
		a->id = i;
	}
	for (i = 0; i < ARRAY_SIZE(sc_attr_table); i++)
		sc_attrs[i] = &sc_attr_table[i].attr;
}
