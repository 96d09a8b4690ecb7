// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dm-swapcache/wear.c (the SSD lifetime projection),
 * compiled in user space against the kernel shim with ASan and UBSan.
 * Output is TAP.
 *
 *  - rates: exact small cases, rounding, and no overflow at the ends of
 *    the ranges (10^15 bytes, 2^64 - 1 bytes, 1 ms);
 *  - the sample ring: at most one sample a period, the hour window slides,
 *    and a random run checked against a brute-force scan of every sample
 *    ever taken;
 *  - days left: unknown, never, exhausted, rounding, the admin guide's
 *    example (600 TB at 100 KB/s), and the endurance_tbw knob's whole
 *    range against 128-bit arithmetic (no value it accepts wraps).
 */
#include <stdio.h>
#include <stdlib.h>

#include <linux/kernel.h>
#include "testlib.h"
#include "wear.h"
#include "knobs.h"

#define DAY_MS		86400000ULL
#define HOUR_MS		3600000ULL
#define MIN_MS		60000ULL
#define TB		1000000000000ULL

static void test_rate(void)
{
	ok(sc_wear_rate(0, 0) == 0, "no time: rate 0");
	ok(sc_wear_rate(1000, 0) == 0, "bytes, no time: rate 0");
	ok(sc_wear_rate(86400, DAY_MS) == 86400, "a day's bytes in a day");
	ok(sc_wear_rate(1, 1000) == 86400, "1 B/s = 86400 B/day");
	ok(sc_wear_rate(100000, 1000) == 8640000000ULL,
	   "100 KB/s = 8.64 GB/day");
	ok(sc_wear_rate(1, 3) == 28800000, "rounds down (86400000 / 3)");
	ok(sc_wear_rate(2, 7 * DAY_MS) == 0, "2 bytes a week: 0 a day");
	/* 10^15 * 86400000 overflows u64: the other branches. */
	ok(sc_wear_rate(1000 * TB, DAY_MS) == 1000 * TB,
	   "10^15 bytes in a day, no overflow");
	ok(sc_wear_rate(1000 * TB, 2 * DAY_MS) == 500 * TB,
	   "10^15 bytes in two days");
	ok(sc_wear_rate(1000 * TB, HOUR_MS) == 24 * 1000 * TB,
	   "10^15 bytes in an hour: 2.4 * 10^16 a day");
	ok(sc_wear_rate(U64_MAX, DAY_MS) == U64_MAX, "2^64 - 1 in a day");
	ok(sc_wear_rate(U64_MAX, U64_MAX) == U64_MAX / (U64_MAX / DAY_MS),
	   "2^64 - 1 in 2^64 - 1 ms: no overflow, no division by 0");
	ok(sc_wear_rate(U64_MAX / DAY_MS, 1) == (U64_MAX / DAY_MS) * DAY_MS,
	   "largest exact product");
}

static void test_days(void)
{
	ok(sc_wear_days_left(0, 0, 1000) == SC_WEAR_UNKNOWN,
	   "endurance 0: unknown");
	ok(sc_wear_days_left(0, 5 * TB, 0) == SC_WEAR_UNKNOWN,
	   "endurance 0, rate 0: unknown");
	ok(sc_wear_days_left(1, 0, 0) == SC_WEAR_NEVER, "rate 0: never");
	ok(sc_wear_days_left(1, TB, 1000) == 0, "written == endurance: 0");
	ok(sc_wear_days_left(1, 2 * TB, 0) == 0, "exceeded, rate 0: 0");
	ok(sc_wear_days_left(600, 0, 8640000000ULL) == 69444,
	   "600 TB at 100 KB/s: 69444 days");
	ok(sc_wear_days_left(600, 0, 86400ULL * 4000000) == 1736,
	   "600 TB at 4 MB/s: 1736 days (4.75 years)");
	ok(sc_wear_days_left(1, TB - 99, 33) == 3, "rounds down (99/33)");
	ok(sc_wear_days_left(1, TB - 1, 1000) == 0, "less than a day: 0");
}

/*
 * The knob's whole range, against 128-bit arithmetic done here: the days
 * left at 1 B/day are the endurance in bytes, and no accepted value may
 * wrap.  (The old check compared with (1 << 30) * TB in u64, which wraps
 * the same way as the code, so it could not fail.)
 */
static void test_days_range(void)
{
	const u64 max = sc_knob_descs[SC_KNOB_ENDURANCE_TBW].max;
	const unsigned __int128 want = (unsigned __int128)max * TB;
	u64 tb, bad = 0;

	ok(want <= U64_MAX, "largest endurance_tbw (%llu) in bytes fits u64",
	   (unsigned long long)max);
	ok(want <= U64_MAX && sc_wear_days_left(max, 0, 1) == (u64)want,
	   "largest endurance_tbw at 1 B/day: days = its bytes (128-bit)");
	ok(sc_wear_days_left(max, (u64)want - 1, 1) == 1 &&
	   sc_wear_days_left(max, (u64)want, 1) == 0,
	   "largest endurance_tbw: one byte before the end, and at it");
	for (tb = max > 4096 ? max - 4096 : 1; tb <= max; tb++) {
		unsigned __int128 w = (unsigned __int128)tb * TB;

		if (w > U64_MAX || sc_wear_days_left(tb, 0, 1000) != w / 1000)
			bad++;
	}
	ok(!bad, "the top 4097 values of the range: days exact (%llu wrong)",
	   (unsigned long long)bad);
	ok(sc_wear_days_left(18446744, 0, 86400ULL * 100000) ==
	   (u64)((unsigned __int128)18446744 * TB / (86400ULL * 100000)),
	   "18446744 TB at 100 KB/s: no wrap");
}

static void test_ring(void)
{
	struct sc_wear w;
	u64 ms;

	sc_wear_init(&w);
	ok(w.n == 1 && w.ms[0] == 0 && w.bytes[0] == 0, "init: (0, 0)");
	ok(sc_wear_rate_hour(&w, 1000, 1000) == 86400000,
	   "first second: rate from creation");
	sc_wear_sample(&w, MIN_MS - 1, 5);
	ok(w.n == 1, "no sample before a period has passed");
	sc_wear_sample(&w, MIN_MS, 5);
	ok(w.n == 2 && w.ms[w.head] == MIN_MS, "a sample after a period");
	sc_wear_sample(&w, MIN_MS + 10, 7);
	ok(w.n == 2 && w.bytes[w.head] == 5, "one sample a period");

	/* Two hours at 1000 B/s, then nothing for 30 minutes. */
	sc_wear_init(&w);
	for (ms = 0; ms <= 2 * HOUR_MS; ms += 1000)
		sc_wear_sample(&w, ms, ms);
	ok(w.n == SC_WEAR_SAMPLES, "ring full after two hours");
	ok(sc_wear_rate_hour(&w, 2 * HOUR_MS, 2 * HOUR_MS) == 86400000,
	   "steady 1000 B/s: 86.4 MB/day over the hour");
	for (; ms <= 2 * HOUR_MS + HOUR_MS / 2; ms += 1000)
		sc_wear_sample(&w, ms, 2 * HOUR_MS);
	ok(sc_wear_rate_hour(&w, ms - 1000, 2 * HOUR_MS) == 86400000 / 2,
	   "half an hour idle: half the rate");
	for (; ms <= 4 * HOUR_MS; ms += 1000)
		sc_wear_sample(&w, ms, 2 * HOUR_MS);
	ok(sc_wear_rate_hour(&w, ms - 1000, 2 * HOUR_MS) == 0,
	   "an idle hour: rate 0");
	ok(sc_wear_rate(2 * HOUR_MS, ms - 1000) == 86400000 / 2,
	   "since creation: half the rate over four hours");
	ok(sc_wear_rate_hour(&w, 0, 0) == 0, "a time before the samples: 0");
}

/* Against every sample ever taken, kept in a plain array. */
static void test_ring_model(u64 seed)
{
	static u64 all_ms[200000], all_b[200000];
	unsigned int nall = 0, i, step, bad = 0;
	struct sc_wear w;
	u64 ms = 0, bytes = 0, want, got, from_ms, from_b;

	rng_state = seed;
	sc_wear_init(&w);
	all_ms[nall] = 0;
	all_b[nall++] = 0;
	for (step = 0; step < 100000; step++) {
		ms += rnd_below(30000);
		bytes += rnd_below(2) ? rnd_below(1 << 20) : 0;
		if (ms >= all_ms[nall - 1] + MIN_MS) {
			all_ms[nall] = ms;
			all_b[nall++] = bytes;
		}
		sc_wear_sample(&w, ms, bytes);
		/* Oldest sample still inside the hour window. */
		from_ms = all_ms[nall - 1];
		from_b = all_b[nall - 1];
		for (i = nall; i-- > 0 && nall - i <= SC_WEAR_SAMPLES;) {
			if (all_ms[i] + SC_WEAR_WINDOW_MS < ms)
				break;
			from_ms = all_ms[i];
			from_b = all_b[i];
		}
		want = ms > from_ms ? sc_wear_rate(bytes - from_b,
						   ms - from_ms) : 0;
		got = sc_wear_rate_hour(&w, ms, bytes);
		if (got != want && bad++ < 5)
			diag("step %u ms %llu: got %llu want %llu", step,
			     (unsigned long long)ms, (unsigned long long)got,
			     (unsigned long long)want);
	}
	ok(!bad, "seed %llu: hour rate equals a scan of all samples "
	   "(%u samples, %u mismatches)", (unsigned long long)seed, nall, bad);
}

int main(void)
{
	tap_start();
	test_rate();
	test_days();
	test_days_range();
	test_ring();
	test_ring_model(1);
	test_ring_model(2);
	return tap_done();
}
