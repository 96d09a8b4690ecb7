// SPDX-License-Identifier: GPL-2.0
/*
 * knobs.c - the table of swapcache tunables and their strict parser.
 *
 * One table serves the constructor's optional arguments, `dmsetup message`
 * and the sysfs files, so a knob is validated the same way wherever it is
 * set.  Defaults follow DragonFly's vm.swapcache sysctls where one exists
 * (vm_swapcache.c); the units are those of the seed (bytes, bytes/s) so
 * numbers carry over.  This file is pure: it compiles unchanged in user
 * space for tests/unit.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/kstrtox.h>
#include <linux/string.h>
#include "knobs.h"

#define SC_TB	1000000000000ULL

const struct sc_knob_desc sc_knob_descs[SC_NR_KNOBS] = {
	[SC_KNOB_READ_ENABLE] = {
		"read_enable", "bool", 1, 0, 1,
		"Invalid read_enable: must be 0 or 1" },
	[SC_KNOB_DATA_ENABLE] = {
		"data_enable", "bool", 1, 0, 1,
		"Invalid data_enable: must be 0 or 1" },
	[SC_KNOB_META_ENABLE] = {
		"meta_enable", "bool", 1, 0, 1,
		"Invalid meta_enable: must be 0 or 1" },
	/* 100 KB/s: the seed's rate, about 3 TB a year. */
	[SC_KNOB_ACCRATE] = {
		"accrate", "bytes/s", 100000, 0, SC_TB,
		"Invalid accrate: bytes per second, 0 to 10^12" },
	/* 2 GB: the seed's nominal cap of the burst budget. */
	[SC_KNOB_MAXBURST] = {
		"maxburst", "bytes", 2000000000ULL, 0, 1000 * SC_TB,
		"Invalid maxburst: bytes, 0 to 10^15" },
	/* 10 MB: budget needed before writing resumes after a burst. */
	[SC_KNOB_MINBURST] = {
		"minburst", "bytes", 10000000ULL, 0, 1000 * SC_TB,
		"Invalid minburst: bytes, 0 to 10^15" },
	/* 4 GB at creation, above maxburst, for the first load-in. */
	[SC_KNOB_CURBURST] = {
		"curburst", "bytes", 4000000000ULL, 0, 1000 * SC_TB,
		"Invalid curburst: bytes, 0 to 10^15" },
	[SC_KNOB_MAXLAUNDER] = {
		"maxlaunder", "blocks", 256, 1, 1 << 20,
		"Invalid maxlaunder: blocks, 1 to 1048576" },
	[SC_KNOB_MAXSWAPPCT] = {
		"maxswappct", "percent", 75, 6, 100,
		"Invalid maxswappct: percent, 6 to 100" },
	/* Two maxlaunder passes' worth of newly inactive blocks. */
	[SC_KNOB_HYSTERESIS] = {
		"hysteresis", "blocks", 512, 0, 1 << 30,
		"Invalid hysteresis: blocks, 0 to 2^30" },
	[SC_KNOB_RAM_BUDGET] = {
		"ram_budget", "MiB", 64, 1, 1 << 20,
		"Invalid ram_budget: MiB, 1 to 1048576" },
	/* 4 MiB, bcache's sequential_cutoff default; 0 disables. */
	[SC_KNOB_SEQ_CUTOFF] = {
		"seq_cutoff", "bytes", 4 << 20, 0, 1ULL << 40,
		"Invalid seq_cutoff: bytes, 0 to 2^40" },
	/*
	 * At most floor(U64_MAX / 10^12): the endurance in bytes must fit
	 * the u64 of wear.c (18 million TB, far beyond any SSD).
	 */
	[SC_KNOB_ENDURANCE_TBW] = {
		"endurance_tbw", "TB", 0, 0, 18446744ULL,
		"Invalid endurance_tbw: terabytes, 0 to 18446744" },
	/*
	 * 2: only blocks read again while staged, or soon after they left
	 * RAM, are written; 1 is the seed's policy, every block that ages
	 * out.  2 wrote 4.6x less and hit more at zipf:0.8 (design.rst).
	 */
	[SC_KNOB_MIN_READS] = {
		"min_reads", "reads", 2, 1, 2,
		"Invalid min_reads: 1 or 2" },
};

/**
 * sc_knob_lookup() - find a knob by name
 * @name: as in sc_knob_descs[]
 *
 * Return: the knob's index (an enum sc_knob), or -ENOENT.
 */
int sc_knob_lookup(const char *name)
{
	int i;

	for (i = 0; i < SC_NR_KNOBS; i++)
		if (!strcmp(name, sc_knob_descs[i].name))
			return i;
	return -ENOENT;
}

/**
 * sc_knob_parse() - parse a value of one knob
 * @id: the knob
 * @str: a decimal number with no sign and no trailing characters (one
 *	trailing newline is accepted, for sysfs)
 * @val: set to the value on success
 *
 * Return: 0, or -EINVAL when @str is not such a number inside the knob's
 * range.
 */
int sc_knob_parse(enum sc_knob id, const char *str, u64 *val)
{
	const struct sc_knob_desc *d = &sc_knob_descs[id];
	u64 v;

	/* kstrtou64 rejects signs other than '+', so refuse that too. */
	if (!str || !*str || *str == '+')
		return -EINVAL;
	if (kstrtou64(str, 10, &v))
		return -EINVAL;
	if (v < d->min || v > d->max)
		return -EINVAL;
	*val = v;
	return 0;
}

/**
 * sc_knobs_conflict() - check the rules that tie knobs together
 * @v: one value a knob, indexed by enum sc_knob
 *
 * Return: NULL when they hold, else the reason.
 */
const char *sc_knobs_conflict(const u64 *v)
{
	/*
	 * curburst never grows past maxburst, so with minburst == maxburst
	 * a writer that spent its budget would never leave RECOVERING;
	 * maxburst 0 (stop writing once the initial budget is spent) is the
	 * one exception.
	 */
	if (v[SC_KNOB_MINBURST] > v[SC_KNOB_MAXBURST] ||
	    (v[SC_KNOB_MINBURST] == v[SC_KNOB_MAXBURST] &&
	     v[SC_KNOB_MAXBURST]))
		return "minburst must be below maxburst";
	return NULL;
}

/**
 * sc_knobs_defaults() - every knob's default
 * @v: filled in, one value a knob
 */
void sc_knobs_defaults(u64 *v)
{
	int i;

	for (i = 0; i < SC_NR_KNOBS; i++)
		v[i] = sc_knob_descs[i].def;
}
