// SPDX-License-Identifier: GPL-2.0
/*
 * wear.c - the SSD lifetime projection (see wear.h).
 *
 * A rate is computed from two points, (0, 0) at creation or the oldest
 * sample within the last hour, and the current (ms, write_count).  The
 * samples form a ring of SC_WEAR_SAMPLES taken at least a period apart,
 * so the oldest one kept is about an hour old once the target has run
 * that long.  Time spent suspended counts: the projection is wall time.
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include "wear.h"

#define SC_MS_PER_DAY	86400000ULL
#define SC_TB		1000000000000ULL

/**
 * sc_wear_init() - start the samples at creation
 * @w: the samples
 *
 * One sample: write_count 0 at time 0.
 */
void sc_wear_init(struct sc_wear *w)
{
	w->ms[0] = 0;
	w->bytes[0] = 0;
	w->head = 0;
	w->n = 1;
}

/**
 * sc_wear_sample() - record the write count, once a period
 * @w: the samples
 * @ms: now, ms since creation
 * @bytes: write_count now
 *
 * Does nothing until SC_WEAR_PERIOD_MS passed since the newest sample;
 * the oldest of SC_WEAR_SAMPLES is overwritten.
 */
void sc_wear_sample(struct sc_wear *w, u64 ms, u64 bytes)
{
	if (ms < w->ms[w->head] + SC_WEAR_PERIOD_MS)
		return;
	w->head = (w->head + 1) % SC_WEAR_SAMPLES;
	w->ms[w->head] = ms;
	w->bytes[w->head] = bytes;
	if (w->n < SC_WEAR_SAMPLES)
		w->n++;
}

/**
 * sc_wear_rate() - bytes a day at @bytes written over @ms
 * @bytes: bytes written
 * @ms: over this many ms
 *
 * Return: the rate, saturated at U64_MAX; 0 when @ms is 0.
 */
u64 sc_wear_rate(u64 bytes, u64 ms)
{
	u64 q, r, frac, whole;

	if (!ms)
		return 0;
	/*
	 * bytes * DAY / ms = q * DAY + r * DAY / ms with bytes = q * ms + r:
	 * exact while r * DAY fits (ms below 6.7 years), saturated at
	 * U64_MAX.
	 */
	q = div64_u64_rem(bytes, ms, &r);
	if (q > U64_MAX / SC_MS_PER_DAY)
		return U64_MAX;
	whole = q * SC_MS_PER_DAY;
	if (r <= U64_MAX / SC_MS_PER_DAY)
		frac = div64_u64(r * SC_MS_PER_DAY, ms);
	else
		frac = div64_u64(r, div64_u64(ms, SC_MS_PER_DAY));
	return whole > U64_MAX - frac ? U64_MAX : whole + frac;
}

/**
 * sc_wear_rate_hour() - bytes a day over the last hour at most
 * @w: the samples
 * @ms: now, ms since creation
 * @bytes: write_count now
 *
 * From the oldest sample no older than SC_WEAR_WINDOW_MS (creation, in the
 * first hour) to (@ms, @bytes).
 *
 * Return: the rate; 0 when no time passed or the count went back.
 */
u64 sc_wear_rate_hour(const struct sc_wear *w, u64 ms, u64 bytes)
{
	unsigned int i = w->head, k, best = w->head;

	/* Walk back from the newest; keep the oldest inside the window. */
	for (k = 0; k < w->n; k++) {
		if (w->ms[i] + SC_WEAR_WINDOW_MS < ms)
			break;
		best = i;
		i = (i + SC_WEAR_SAMPLES - 1) % SC_WEAR_SAMPLES;
	}
	if (w->ms[best] >= ms || w->bytes[best] > bytes)
		return 0;
	return sc_wear_rate(bytes - w->bytes[best], ms - w->ms[best]);
}

/**
 * sc_wear_days_left() - whole days until the SSD's endurance is written
 * @endurance_tb: the endurance, terabytes (10^12 bytes); 0 when unknown
 * @written: bytes written so far
 * @per_day: bytes written a day lately
 *
 * Return: SC_WEAR_UNKNOWN when @endurance_tb is 0, 0 once @written reached
 * the endurance, else SC_WEAR_NEVER when @per_day is 0, else the days.
 */
u64 sc_wear_days_left(u64 endurance_tb, u64 written, u64 per_day)
{
	u64 endurance;

	if (!endurance_tb)
		return SC_WEAR_UNKNOWN;
	/*
	 * The knob caps endurance_tb at U64_MAX / SC_TB, so this fits; a
	 * larger value would saturate rather than wrap.
	 */
	if (endurance_tb > U64_MAX / SC_TB)
		endurance = U64_MAX;
	else
		endurance = endurance_tb * SC_TB;
	if (written >= endurance)
		return 0;
	if (!per_day)
		return SC_WEAR_NEVER;
	return div64_u64(endurance - written, per_day);
}
