// SPDX-License-Identifier: GPL-2.0
/*
 * stats.c - the counters and wear telemetry of a swapcache target: one
 * consistent snapshot for status and sysfs, clear_stats, why blocks never
 * reached the SSD, and the lifetime projection's samples.
 *
 * Every counter lives in struct sc_stats, struct sc_burst or the map and
 * is under sc->lock; this file only reads them under that lock and does
 * the arithmetic (wear.c) outside it.
 */
#include <linux/jiffies.h>
#include <linux/math64.h>
#include "swapcache.h"

const char *const sc_bypass_names[SC_NR_BYPASS] = {
	[SC_BYPASS_SEQ]		= "seq_cutoff",
	[SC_BYPASS_IDLE]	= "idle",
	[SC_BYPASS_META]	= "meta_off",
	[SC_BYPASS_DATA]	= "data_off",
	[SC_BYPASS_PARTIAL]	= "partial",
	[SC_BYPASS_DEGRADED]	= "degraded",
	[SC_BYPASS_NOMEM]	= "nomem",
	[SC_BYPASS_BURST]	= "burst",
	[SC_BYPASS_SSD_FULL]	= "ssd_full",
	[SC_BYPASS_RAM]		= "ram_full",
	[SC_BYPASS_ONCE]	= "once",
};

static u64 sc_age_ms(struct swapcache *sc)
{
	return jiffies64_to_msecs(get_jiffies_64() - sc->created);
}

/* SSD hits per MiB written to the SSD, U64_MAX before the first write. */
static u64 sc_hits_per_mib(u64 hits, u64 written)
{
	if (!written)
		return U64_MAX;
	if (hits <= U64_MAX >> 20)
		return div64_u64(hits << 20, written);
	return div64_u64(hits, max_t(u64, written >> 20, 1));
}

/**
 * sc_snapshot() - the counters and state that status and sysfs print
 * @sc: the target
 * @s: filled in, consistent under one hold of sc->lock
 *
 * Context: takes sc->lock.
 */
void sc_snapshot(struct swapcache *sc, struct sc_snapshot *s)
{
	struct sc_map_stats ms;
	unsigned long flags;
	u64 now = sc_age_ms(sc), hour, total, tbw;

	sc_lock_irqsave(sc, flags);
	s->st = sc->stats;
	s->used = sc_map_used(sc->map);
	s->staged = sc->queues.nr_active + sc->queues.nr_inactive;
	s->curburst = sc->burst.curburst;
	s->write_count = sc->burst.write_count;
	s->wstate = sc->burst.wstate;
	s->bstate = sc->burst.bstate;
	s->degraded = sc->degraded;
	sc_map_get_stats(sc->map, &ms);
	hour = sc_wear_rate_hour(&sc->wear, now, s->write_count);
	s->restored = sc->ps.count.restored;
	sc_unlock_irqrestore(sc, flags);

	s->total = sc->cache_blocks;
	s->wasted = ms.freed_unread - s->st.wasted_base;
	s->cleaned = ms.cleaned - s->st.cleaned_base;
	s->hits_per_mib = sc_hits_per_mib(s->st.ssd_hits, s->write_count);
	total = sc_wear_rate(s->write_count, now);
	tbw = sc_knob(sc, SC_KNOB_ENDURANCE_TBW);
	s->days_hour = sc_wear_days_left(tbw, s->write_count, hour);
	s->days_total = sc_wear_days_left(tbw, s->write_count, total);
	s->meta_written = READ_ONCE(sc->meta_written);
	s->lifetime_written = sc_super_lifetime(sc, s->write_count);
	s->load_left = READ_ONCE(sc->ps.load_left);
}

/**
 * sc_clear_stats() - the clear_stats message and sysfs file
 * @sc: the target
 *
 * Zero what measures the cache's effect; keep what measures the SSD's
 * life and health (ssd_writes, write_count, ssd_errors) and the state.
 *
 * Context: takes sc->lock.
 */
void sc_clear_stats(struct swapcache *sc)
{
	struct sc_map_stats ms;
	unsigned long flags;
	u64 ssd_writes, ssd_errors;

	sc_lock_irqsave(sc, flags);
	ssd_writes = sc->stats.ssd_writes;
	ssd_errors = sc->stats.ssd_errors;
	sc_map_get_stats(sc->map, &ms);
	memset(&sc->stats, 0, sizeof(sc->stats));
	sc->stats.ssd_writes = ssd_writes;
	sc->stats.ssd_errors = ssd_errors;
	sc->stats.wasted_base = ms.freed_unread;
	sc->stats.cleaned_base = ms.cleaned;
	sc_unlock_irqrestore(sc, flags);
}

/**
 * sc_wear_tick() - a wear sample once a minute
 * @sc: the target
 *
 * Context: the daemon, every tick; takes sc->lock.
 */
void sc_wear_tick(struct swapcache *sc)
{
	u64 now = sc_age_ms(sc);
	unsigned long flags;

	sc_lock_irqsave(sc, flags);
	sc_wear_sample(&sc->wear, now, sc->burst.write_count);
	sc_unlock_irqrestore(sc, flags);
}

/* Why staged block @st, leaving RAM now with no SSD copy, never got one. */
enum sc_bypass __sc_drop_reason(struct swapcache *sc, struct sc_stage *st)
{
	if (sc->degraded)
		return SC_BYPASS_DEGRADED;
	if (!sc_knob(sc, (st->flags & SC_STAGE_META) ? SC_KNOB_META_ENABLE :
						       SC_KNOB_DATA_ENABLE))
		return (st->flags & SC_STAGE_META) ? SC_BYPASS_META :
						     SC_BYPASS_DATA;
	if (__sc_read_once_off(sc, st))
		return SC_BYPASS_ONCE;
	if (sc->burst.wstate == SC_WSTATE_CLEANING ||
	    sc_map_used(sc->map) >= sc->cache_blocks)
		return SC_BYPASS_SSD_FULL;
	if (sc->burst.bstate == SC_BSTATE_RECOVERING ||
	    sc->burst.curburst < (s64)sc_knob(sc, SC_KNOB_ACCRATE) ||
	    sc->burst.curburst <= 0)
		return SC_BYPASS_BURST;
	return SC_BYPASS_RAM;
}

/**
 * __sc_note_drops() - account for reclaimed blocks that never reached the SSD
 * @sc: the target
 * @reclaimed: staged blocks just taken off the queues
 *
 * Counts why each of them has no SSD copy, and remembers it in the ghost
 * table, so that a block read again soon counts as read twice (min_reads).
 *
 * Context: the caller holds sc->lock.
 */
void __sc_note_drops(struct swapcache *sc, struct list_head *reclaimed)
{
	struct sc_stage *st;

	list_for_each_entry(st, reclaimed, lru) {
		if (st->flags & SC_STAGE_ONSSD)
			continue;
		sc->stats.bypass[__sc_drop_reason(sc, st)]++;
		sc_ghost_add(&sc->ghost, st->oblock);
	}
}

/**
 * sc_format_days() - days left as status and sysfs print them
 * @buf: the text
 * @len: size of @buf
 * @days: a sc_wear_days_left() result
 *
 * Return: the length written (scnprintf()) of a number, "-" or "inf".
 */
int sc_format_days(char *buf, size_t len, u64 days)
{
	if (days == SC_WEAR_UNKNOWN)
		return scnprintf(buf, len, "-");
	if (days == SC_WEAR_NEVER)
		return scnprintf(buf, len, "inf");
	return scnprintf(buf, len, "%llu", days);
}
