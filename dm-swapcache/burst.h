/* SPDX-License-Identifier: GPL-2.0 */
/*
 * burst.h - the write-burst state machine of the swapcache daemon: how
 * many bytes the writer may put on the SSD and when, and when to clean.
 *
 * Pure code: no bio, no kthread, no locking, no allocation, no clock.  The
 * daemon calls sc_burst_tick() SC_BURST_HZ times a second with a snapshot
 * of the knobs and the SSD use, and does what it returns.  The caller
 * serialises every call on one struct sc_burst.  The design essay (and
 * the wear bound it guarantees) is at the top of burst.c.
 *
 * Daemon loop, one tick:
 *
 *	switch (sc_burst_tick(b, &p, used, total)) {
 *	case SC_BURST_WRITE:
 *		if (sc_burst_may_write(b, &p))
 *			pass: while (sc_burst_may_issue(b) && ...) {
 *				issue a write of n bytes;
 *				sc_burst_charge(b, n);
 *			}
 *			(sc_burst_scan_at_end() if the pass hit the queue end)
 *		sc_burst_pass_done(b);	(always, even with no pass)
 *		break;
 *	case SC_BURST_CLEAN: cleaning pass; break;
 *	case SC_BURST_IDLE: break;
 *	}
 */
#ifndef DM_SWAPCACHE_BURST_H
#define DM_SWAPCACHE_BURST_H

#include <linux/types.h>

#define SC_BURST_HZ	10	/* ticks per second */

enum sc_wstate {
	SC_WSTATE_WRITING,	/* SSD use was below maxswappct: fill it */
	SC_WSTATE_CLEANING,	/* it went above: free until maxswappct - 5 */
};

enum sc_bstate {
	SC_BSTATE_BURSTING,	/* write passes while curburst >= accrate */
	SC_BSTATE_RECOVERING,	/* spent: wait until curburst > minburst */
};

enum sc_burst_action {
	SC_BURST_IDLE,		/* nothing to do this tick */
	SC_BURST_WRITE,		/* write pass, then sc_burst_pass_done() */
	SC_BURST_CLEAN,		/* run a cleaning pass */
};

/* A snapshot of the knobs, taken by the caller for one tick. */
struct sc_burst_params {
	u64 accrate;		/* bytes/s added to curburst */
	u64 maxburst;		/* bytes: accumulation stops here */
	u64 minburst;		/* bytes: needed to leave RECOVERING */
	u64 maxswappct;		/* percent of the SSD, 6..100 */
	u64 hysteresis;		/* blocks newly inactive before a pass */
};

struct sc_burst {
	s64 curburst;		/* bytes; negative after an overshooting pass */
	enum sc_wstate wstate;
	enum sc_bstate bstate;
	/*
	 * Blocks deactivated since the last pass reached the end of the
	 * inactive queue, minus hysteresis.
	 */
	s64 inactive_heuristic;
	u64 write_count;	/* bytes written to the SSD since creation */
};

void sc_burst_init(struct sc_burst *b, u64 curburst, u64 hysteresis);

enum sc_burst_action sc_burst_tick(struct sc_burst *b,
				   const struct sc_burst_params *p,
				   u64 used, u64 total);

void sc_burst_pass_done(struct sc_burst *b);

bool sc_burst_may_write(struct sc_burst *b, const struct sc_burst_params *p);

void sc_burst_note_inactive(struct sc_burst *b, u64 blocks);

void sc_burst_scan_at_end(struct sc_burst *b,
			  const struct sc_burst_params *p);

bool sc_burst_may_issue(const struct sc_burst *b);

void sc_burst_charge(struct sc_burst *b, u64 bytes);

void sc_burst_set_curburst(struct sc_burst *b, u64 bytes);

const char *sc_burst_wstate_name(enum sc_wstate s);
const char *sc_burst_bstate_name(enum sc_bstate s);

#endif
