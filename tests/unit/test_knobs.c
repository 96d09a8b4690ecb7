// SPDX-License-Identifier: GPL-2.0
/*
 * test_knobs.c - the knob table and its strict parser (knobs.c), which the
 * table line, dmsetup message and sysfs all go through.
 */
#include <errno.h>
#include <linux/kernel.h>
#include <string.h>
#include "tap.h"
#include "knobs.h"

static int parses(enum sc_knob id, const char *s, u64 want)
{
	u64 v = 12345;

	return sc_knob_parse(id, s, &v) == 0 && v == want;
}

static int refuses(enum sc_knob id, const char *s)
{
	u64 v = 12345;

	return sc_knob_parse(id, s, &v) == -EINVAL && v == 12345;
}

static void test_table(void)
{
	u64 v[SC_NR_KNOBS];
	int i, sane = 1;

	for (i = 0; i < SC_NR_KNOBS; i++) {
		const struct sc_knob_desc *d = &sc_knob_descs[i];

		if (!d->name || !d->unit || !d->error || d->min > d->max ||
		    d->def < d->min || d->def > d->max ||
		    sc_knob_lookup(d->name) != i ||
		    strncmp(d->error, "Invalid ", 8) ||
		    strncmp(d->error + 8, d->name, strlen(d->name))) {
			diag("knob %d (%s) is inconsistent", i, d->name);
			sane = 0;
		}
	}
	ok(sane, "every knob: name, unit, error naming it, min <= def <= max");
	sc_knobs_defaults(v);
	ok(!sc_knobs_conflict(v), "the defaults do not conflict");
	ok(v[SC_KNOB_ACCRATE] == 100000 && v[SC_KNOB_MAXBURST] == 2000000000ULL &&
	   v[SC_KNOB_MINBURST] == 10000000 &&
	   v[SC_KNOB_CURBURST] == 4000000000ULL &&
	   v[SC_KNOB_MAXLAUNDER] == 256 && v[SC_KNOB_MAXSWAPPCT] == 75,
	   "burst defaults are the seed's");
	ok(sc_knob_lookup("nope") == -ENOENT && sc_knob_lookup("") == -ENOENT &&
	   sc_knob_lookup("Accrate") == -ENOENT,
	   "unknown and wrongly cased names are not found");
}

static void test_parse(void)
{
	ok(parses(SC_KNOB_ACCRATE, "0", 0) &&
	   parses(SC_KNOB_ACCRATE, "1000000000000", 1000000000000ULL),
	   "accrate accepts its bounds");
	ok(parses(SC_KNOB_MAXSWAPPCT, "6", 6) &&
	   parses(SC_KNOB_MAXSWAPPCT, "100", 100),
	   "maxswappct accepts 6 and 100");
	ok(refuses(SC_KNOB_MAXSWAPPCT, "5") && refuses(SC_KNOB_MAXSWAPPCT, "101"),
	   "maxswappct refuses 5 and 101");
	ok(refuses(SC_KNOB_READ_ENABLE, "2") && parses(SC_KNOB_READ_ENABLE, "0", 0),
	   "a bool takes 0 and 1 only");
	ok(refuses(SC_KNOB_MAXLAUNDER, "0"), "maxlaunder refuses 0");
	ok(refuses(SC_KNOB_ACCRATE, "-1") && refuses(SC_KNOB_ACCRATE, "+5"),
	   "signs are refused");
	ok(refuses(SC_KNOB_ACCRATE, "12abc") && refuses(SC_KNOB_ACCRATE, "1 ") &&
	   refuses(SC_KNOB_ACCRATE, " 1") && refuses(SC_KNOB_ACCRATE, "1.5") &&
	   refuses(SC_KNOB_ACCRATE, "0x10") && refuses(SC_KNOB_ACCRATE, "1e3"),
	   "trailing garbage, spaces, fractions, hex, exponents are refused");
	ok(refuses(SC_KNOB_ACCRATE, "") && refuses(SC_KNOB_ACCRATE, NULL) &&
	   refuses(SC_KNOB_ACCRATE, "\n"),
	   "empty input is refused");
	ok(refuses(SC_KNOB_CURBURST, "18446744073709551616") &&
	   refuses(SC_KNOB_CURBURST, "99999999999999999999999"),
	   "numbers beyond 64 bits are refused");
	ok(refuses(SC_KNOB_CURBURST, "1000000000000001"),
	   "curburst above 10^15 is refused");
	ok(parses(SC_KNOB_ACCRATE, "42\n", 42) &&
	   refuses(SC_KNOB_ACCRATE, "42\n\n"),
	   "one trailing newline (sysfs) is accepted, two are not");
}

/*
 * No value a knob accepts overflows what it feeds, checked against the
 * knob table (128-bit arithmetic where a product is involved):
 *  - accrate, maxburst, minburst, curburst, hysteresis meet the signed
 *    curburst and heuristic in burst.c: at most S64_MAX;
 *  - ram_budget << 20 (bytes, io.c sc_budget_blocks) fits u64;
 *  - endurance_tbw * 10^12 (bytes, wear.c) fits u64;
 *  - maxswappct * cache blocks (at most 2^32, burst.c and the cleaner's
 *    maxswappct - 5) fits u64, and maxswappct - 5 does not underflow;
 *  - maxlaunder fits the writer's unsigned int.
 */
static void test_limits(void)
{
	static const enum sc_knob signed_knobs[] = {
		SC_KNOB_ACCRATE, SC_KNOB_MAXBURST, SC_KNOB_MINBURST,
		SC_KNOB_CURBURST, SC_KNOB_HYSTERESIS,
	};
	const struct sc_knob_desc *d = sc_knob_descs;
	unsigned int i, bad = 0;

	for (i = 0; i < sizeof(signed_knobs) / sizeof(signed_knobs[0]); i++)
		if (d[signed_knobs[i]].max > (u64)S64_MAX) {
			diag("%s max %llu > S64_MAX", d[signed_knobs[i]].name,
			     (unsigned long long)d[signed_knobs[i]].max);
			bad++;
		}
	ok(!bad, "byte and block knobs fed to s64 stay at most S64_MAX");
	ok((unsigned __int128)d[SC_KNOB_RAM_BUDGET].max << 20 <= U64_MAX,
	   "ram_budget max in bytes fits u64");
	ok((unsigned __int128)d[SC_KNOB_ENDURANCE_TBW].max * 1000000000000ULL
	   <= U64_MAX,
	   "endurance_tbw max (%llu) times 10^12 fits u64",
	   (unsigned long long)d[SC_KNOB_ENDURANCE_TBW].max);
	ok(d[SC_KNOB_ENDURANCE_TBW].max == U64_MAX / 1000000000000ULL,
	   "endurance_tbw max is floor(U64_MAX / 10^12) = 18446744");
	ok(parses(SC_KNOB_ENDURANCE_TBW, "18446744", 18446744ULL) &&
	   refuses(SC_KNOB_ENDURANCE_TBW, "18446745") &&
	   refuses(SC_KNOB_ENDURANCE_TBW, "1073741824"),
	   "endurance_tbw accepts 18446744, refuses 18446745 and 2^30");
	ok((unsigned __int128)d[SC_KNOB_MAXSWAPPCT].max << 32 <= U64_MAX &&
	   d[SC_KNOB_MAXSWAPPCT].min > 5,
	   "maxswappct times 2^32 blocks fits u64; maxswappct - 5 >= 1");
	ok(d[SC_KNOB_MAXLAUNDER].max <= 0xffffffffULL,
	   "maxlaunder fits an unsigned int");
}

static void test_conflict(void)
{
	u64 v[SC_NR_KNOBS];

	sc_knobs_defaults(v);
	v[SC_KNOB_MINBURST] = v[SC_KNOB_MAXBURST] - 1;
	ok(!sc_knobs_conflict(v), "minburst just below maxburst is allowed");
	v[SC_KNOB_MINBURST] = v[SC_KNOB_MAXBURST];
	ok(sc_knobs_conflict(v) != NULL,
	   "minburst == maxburst is refused (the writer would stall)");
	v[SC_KNOB_MINBURST] = v[SC_KNOB_MAXBURST] + 1;
	ok(sc_knobs_conflict(v) != NULL, "minburst > maxburst is refused");
	v[SC_KNOB_MINBURST] = 0;
	v[SC_KNOB_MAXBURST] = 0;
	ok(!sc_knobs_conflict(v),
	   "maxburst 0 and minburst 0 (no writing after the first budget)");
}

int main(void)
{
	tap_start();
	test_table();
	test_parse();
	test_limits();
	test_conflict();
	return tap_done();
}
