/* SPDX-License-Identifier: GPL-2.0 */
/*
 * knobs.h - the tunables of a swapcache target: their names, units,
 * defaults and ranges, and the strict parser shared by the table line,
 * `dmsetup message` and sysfs.  Pure code: no bio, no locking.
 */
#ifndef DM_SWAPCACHE_KNOBS_H
#define DM_SWAPCACHE_KNOBS_H

#include <linux/types.h>

enum sc_knob {
	SC_KNOB_READ_ENABLE,	/* serve reads from the SSD: 0/1 */
	SC_KNOB_DATA_ENABLE,	/* cache non-metadata bios: 0/1 */
	SC_KNOB_META_ENABLE,	/* cache REQ_META bios: 0/1 */
	SC_KNOB_ACCRATE,	/* bytes/s added to curburst */
	SC_KNOB_MAXBURST,	/* bytes, cap of curburst */
	SC_KNOB_MINBURST,	/* bytes, curburst needed to leave RECOVERING */
	SC_KNOB_CURBURST,	/* bytes, the burst budget now */
	SC_KNOB_MAXLAUNDER,	/* blocks written per writer pass at most */
	SC_KNOB_MAXSWAPPCT,	/* percent of the SSD filled before cleaning */
	SC_KNOB_HYSTERESIS,	/* blocks newly inactive before the next pass */
	SC_KNOB_RAM_BUDGET,	/* MiB of RAM for staged blocks */
	SC_KNOB_SEQ_CUTOFF,	/* bytes of a sequential stream before bypass */
	SC_KNOB_ENDURANCE_TBW,	/* rated SSD endurance, TB written; 0 unknown */
	SC_KNOB_MIN_READS,	/* reads of a block before it may go to the SSD */
	SC_NR_KNOBS
};

struct sc_knob_desc {
	const char *name;
	const char *unit;
	u64 def;
	u64 min;
	u64 max;
	const char *error;	/* the ti->error text for a bad value */
};

extern const struct sc_knob_desc sc_knob_descs[SC_NR_KNOBS];

int sc_knob_lookup(const char *name);

int sc_knob_parse(enum sc_knob id, const char *str, u64 *val);

const char *sc_knobs_conflict(const u64 *v);

void sc_knobs_defaults(u64 *v);

#endif
