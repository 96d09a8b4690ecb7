/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wear.h - the SSD lifetime projection of dm-swapcache: the average SSD
 * write rate since creation and over the last hour, and the days left
 * until the SSD's rated endurance is written at each rate.
 *
 * Pure code: no clock, no locking, no allocation.  The caller passes the
 * time as milliseconds since the target was created and the bytes written
 * to the SSD since then (write_count), serialises every call on one
 * struct sc_wear, and calls sc_wear_sample() about once a minute.
 */
#ifndef DM_SWAPCACHE_WEAR_H
#define DM_SWAPCACHE_WEAR_H

#include <linux/types.h>

/* A sample a minute, an hour back: the oldest is at most an hour old. */
#define SC_WEAR_SAMPLES		61
#define SC_WEAR_PERIOD_MS	60000ULL
#define SC_WEAR_WINDOW_MS	(60 * SC_WEAR_PERIOD_MS)

/* sc_wear_days_left() results that are not a number of days. */
#define SC_WEAR_UNKNOWN		U64_MAX		/* no endurance given */
#define SC_WEAR_NEVER		(U64_MAX - 1)	/* nothing written lately */

struct sc_wear {
	u64 ms[SC_WEAR_SAMPLES];	/* when, ms since creation */
	u64 bytes[SC_WEAR_SAMPLES];	/* write_count then */
	unsigned int head;		/* the newest sample */
	unsigned int n;			/* samples held, >= 1 */
};

void sc_wear_init(struct sc_wear *w);

void sc_wear_sample(struct sc_wear *w, u64 ms, u64 bytes);

u64 sc_wear_rate(u64 bytes, u64 ms);

u64 sc_wear_rate_hour(const struct sc_wear *w, u64 ms, u64 bytes);

u64 sc_wear_days_left(u64 endurance_tb, u64 written, u64 per_day);

#endif
