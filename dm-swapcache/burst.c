// SPDX-License-Identifier: GPL-2.0
/*
 * burst.c - the write-burst state machine of the swapcache daemon.
 *
 * WHAT IT DECIDES
 *
 * An SSD wears out with the bytes written to it, so the cache may not copy
 * every block that goes inactive.  A token bucket, curburst (bytes), sets
 * the pace: each tick adds accrate / SC_BURST_HZ to it, each SSD write takes
 * its size out.  Two state variables say what the daemon does with it:
 *
 *   wstate   WRITING   SSD use is at most maxswappct: write passes allowed.
 *            CLEANING  use went above maxswappct (or the SSD is full, which
 *                      is how maxswappct 100 cleans): run cleaning passes
 *                      until use drops below maxswappct - 5 percent.
 *   bstate   BURSTING    a write pass runs at every tick that finds
 *                        curburst >= accrate; the burst ends when a pass
 *                        leaves curburst <= 0.
 *            RECOVERING  no pass until curburst > minburst (and >= accrate);
 *                        that pass starts the next burst.
 *
 * So the SSD sees bursts of up to about max(minburst, maxburst) bytes
 * followed by quiet recovery, not a trickle of small writes that would
 * fragment the allocator.  No pass runs for less than one second's worth
 * of budget (curburst >= accrate): the seed's "do not nickel-and-dime".
 *
 * A second gate, the inactive heuristic (blocks), keeps the writer from
 * rescanning a queue it has just exhausted: a pass that reached the end of
 * the inactive queue sets it to -hysteresis, every block moved to the
 * inactive queue adds one, and a pass only scans once it is back at >= 0.
 *
 * UNITS
 *
 * curburst, accrate (per second), maxburst, minburst, write_count: bytes.
 * hysteresis and the heuristic: blocks.  maxswappct: percent of the SSD
 * blocks.  One tick is 1 / SC_BURST_HZ seconds.
 *
 * WHY PURE
 *
 * The code takes the tick, the SSD use and a snapshot of the knobs as
 * arguments and touches nothing else: no bio, no kthread, no lock, no
 * clock.  The daemon owns the timer and the passes; tests/unit compiles
 * this file unchanged and drives it tick by tick against a literal copy of
 * the seed's loop.  The caller serialises all calls on one struct sc_burst.
 *
 * THE SEED
 *
 * DragonFly's vm_swapcache.c, vm_swapcached_thread(), at about 10 Hz:
 *
 *   seed                                   here
 *   state hysteresis, SWAPMAX(0)/(-5)      sc_burst_tick(): update_wstate
 *   curburst += accrate / 10, capped       sc_burst_tick(): accumulate
 *   WRITING: curburst >= accrate and       sc_burst_tick() returns WRITE
 *     BURSTING, or curburst > minburst
 *   vm_swapcache_writing()                 the daemon's pass, gated by
 *                                          sc_burst_may_write(), each write
 *                                          gated by sc_burst_may_issue()
 *                                          and counted by sc_burst_charge()
 *   after the pass: BURSTING and           sc_burst_pass_done()
 *     curburst <= 0 -> RECOVERING;
 *     RECOVERING -> BURSTING
 *   CLEANING: vm_swapcache_cleaning()      sc_burst_tick() returns CLEAN
 *   heuristic clamp and "< 0: return"      sc_burst_may_write()
 *   "m == NULL: heuristic = -hysteresis"   sc_burst_scan_at_end()
 *   "curburst < 0: break" per page         sc_burst_may_issue()
 *
 * The seed checks the burst state after the pass, in the branch the pass
 * was started from: a pass started while RECOVERING switches to BURSTING
 * even if it wrote nothing or overshot, and only the next BURSTING pass can
 * end that burst.  sc_burst_tick() therefore leaves bstate alone and
 * sc_burst_pass_done() applies the branch's rule; the daemon must call it
 * after every WRITE tick, also when sc_burst_may_write() said no (the seed
 * runs the same check after vm_swapcache_writing() returned early).  When
 * the seed is disabled (no swap, data and meta off) it sleeps without
 * accumulating; likewise the daemon simply does not tick.
 *
 * Departures: a full SSD starts cleaning whatever maxswappct says (the
 * seed's "use > SWAPMAX(0)" never holds at 100, which would freeze the
 * SSD's contents after the first fill; below 100 a full SSD is above
 * maxswappct anyway).  None visible at the knobs' ranges: every u64 knob
 * is saturated at S64_MAX before it meets the signed curburst, and
 * curburst, the heuristic and write_count saturate instead of wrapping
 * (the seed's counters wrap after 2^63 bytes or 2^31 blocks).
 *
 * THE WEAR BOUND
 *
 * Over any T seconds (N = T * SC_BURST_HZ ticks) that start with
 * curburst = C, in which the user does not set curburst, the bytes issued
 * to the SSD are
 *
 *	I <= max(C, 0) + accrate * T + W
 *
 * where W is the largest single write (16 blocks, 64 KiB).  Proof: the
 * only increase of curburst is the accumulation, at most accrate /
 * SC_BURST_HZ a tick, so the total added in the window is A <= accrate * T;
 * every write lowers it by exactly its size.  If nothing was issued, I = 0.
 * Otherwise look at the last write, of w <= W bytes: sc_burst_may_issue()
 * let it through, so curburst was c >= 0 just before it.  By then C plus
 * at most A was added and I - w was taken out, so
 *
 *	0 <= c <= C + A - (I - w),  i.e.  I <= C + A + w <= max(C, 0) + A + W.
 *
 * The cap at maxburst, RECOVERING, CLEANING and the heuristic only ever
 * withhold writes, so they cannot break the bound.  In steady state (C
 * bounded by max(maxburst, minburst + accrate)) the long-run SSD write
 * rate is therefore at most accrate, whatever the workload: 100 KB/s by
 * default, about 3 TB a year.
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include "burst.h"

/* Hysteresis band below maxswappct, in percent (the seed's 75 -> 70). */
#define SC_BURST_PCT_BAND	5

/* A u64 knob as a signed byte or block count (knobs stop far below). */
static s64 sc_burst_s64(u64 v)
{
	return v > (u64)S64_MAX ? S64_MAX : (s64)v;
}

/*
 * The seed's SWAPMAX(): @pct percent of @total, rounded down.  No
 * overflow while total <= 2^32 and pct < 2^32 (maxswappct is 6..100).
 */
static u64 sc_burst_pct_of(u64 total, u64 pct)
{
	return div_u64(total * pct, 100);
}

/**
 * sc_burst_init() - a writer at creation: WRITING, BURSTING
 * @b: the state
 * @curburst: the initial budget, bytes (the curburst knob)
 * @hysteresis: blocks to become inactive before the first pass
 */
void sc_burst_init(struct sc_burst *b, u64 curburst, u64 hysteresis)
{
	b->curburst = sc_burst_s64(curburst);
	b->wstate = SC_WSTATE_WRITING;
	b->bstate = SC_BSTATE_BURSTING;
	b->inactive_heuristic = -sc_burst_s64(hysteresis);
	b->write_count = 0;
}

/*
 * WRITING up to maxswappct, then CLEANING down to below maxswappct - 5.
 * With maxswappct <= 5 the low mark is 0 and use < 0 never holds: the
 * seed's negative SWAPMAX(-5) keeps it cleaning too.  A full SSD always
 * cleans: at maxswappct 100, use > 100% never holds, and without this the
 * SSD would keep its first working set for ever.
 */
static void sc_burst_update_wstate(struct sc_burst *b,
				   const struct sc_burst_params *p,
				   u64 used, u64 total)
{
	u64 pct = min_t(u64, p->maxswappct, U32_MAX);
	u64 low_pct = pct > SC_BURST_PCT_BAND ? pct - SC_BURST_PCT_BAND : 0;

	if (b->wstate == SC_WSTATE_WRITING) {
		if (used > sc_burst_pct_of(total, pct) ||
		    (total && used >= total))
			b->wstate = SC_WSTATE_CLEANING;
	} else {
		if (used < sc_burst_pct_of(total, low_pct))
			b->wstate = SC_WSTATE_WRITING;
	}
}

/*
 * Add one tick's worth of accrate while below maxburst, not above it.  A
 * curburst the user set above maxburst (the first load-in) is kept.
 */
static void sc_burst_accumulate(struct sc_burst *b,
				const struct sc_burst_params *p)
{
	s64 maxburst = sc_burst_s64(p->maxburst);
	u64 add = div_u64(p->accrate, SC_BURST_HZ);
	u64 room;

	if (b->curburst >= maxburst)
		return;
	/* maxburst - curburst > 0 always fits a u64; wrap-around is exact */
	room = (u64)maxburst - (u64)b->curburst;
	if (add >= room)
		b->curburst = maxburst;
	else
		b->curburst += (s64)add;
}

/*
 * While WRITING: a pass needs a second's worth of budget, and after a
 * spent burst also more than minburst.
 */
static bool sc_burst_want_pass(const struct sc_burst *b,
			       const struct sc_burst_params *p)
{
	if (b->curburst < sc_burst_s64(p->accrate))
		return false;
	if (b->bstate == SC_BSTATE_BURSTING)
		return true;
	return b->curburst > sc_burst_s64(p->minburst);
}

/**
 * sc_burst_tick() - one tick of the writer's state machine
 * @b: the state
 * @p: the knobs for this tick
 * @used: SSD blocks in use, <= @total
 * @total: SSD blocks, <= 2^32
 *
 * Moves WRITING -> CLEANING when @used > @total * maxswappct / 100 or,
 * with @total > 0, @used == @total (a full SSD; at maxswappct 100 the
 * first never holds), and CLEANING -> WRITING when @used < @total *
 * (maxswappct - 5) / 100; adds accrate / SC_BURST_HZ to curburst while it
 * is below maxburst (capped at maxburst; a curburst set above maxburst is
 * left alone).
 *
 * Return: SC_BURST_CLEAN while cleaning; while writing, SC_BURST_WRITE
 * when curburst >= accrate and either BURSTING or (RECOVERING and
 * curburst > minburst), else SC_BURST_IDLE.
 */
enum sc_burst_action sc_burst_tick(struct sc_burst *b,
				   const struct sc_burst_params *p,
				   u64 used, u64 total)
{
	sc_burst_update_wstate(b, p, used, total);
	/* accumulated in either state, as in the seed */
	sc_burst_accumulate(b, p);

	if (b->wstate == SC_WSTATE_CLEANING)
		return SC_BURST_CLEAN;
	return sc_burst_want_pass(b, p) ? SC_BURST_WRITE : SC_BURST_IDLE;
}

/**
 * sc_burst_pass_done() - after every tick that returned SC_BURST_WRITE
 * @b: the state
 *
 * Whether or not a pass ran.  A pass started while BURSTING ends the burst
 * (-> RECOVERING) when it left curburst <= 0; a pass started while
 * RECOVERING starts a new burst (-> BURSTING) whatever it wrote.  The rule
 * of the branch the pass was started from; see THE SEED above.
 */
void sc_burst_pass_done(struct sc_burst *b)
{
	if (b->bstate == SC_BSTATE_RECOVERING)
		b->bstate = SC_BSTATE_BURSTING;
	else if (b->curburst <= 0)
		b->bstate = SC_BSTATE_RECOVERING;
}

/**
 * sc_burst_may_write() - at the start of a write pass: may it scan?
 * @b: the state
 * @p: the knobs for this tick
 *
 * Clamps the heuristic at -hysteresis first (the user may have lowered
 * hysteresis).
 *
 * Return: true when at least hysteresis blocks became inactive since the
 * last pass reached the end of the inactive queue.
 */
bool sc_burst_may_write(struct sc_burst *b, const struct sc_burst_params *p)
{
	s64 low = -sc_burst_s64(p->hysteresis);

	if (b->inactive_heuristic < low)
		b->inactive_heuristic = low;
	return b->inactive_heuristic >= 0;
}

/**
 * sc_burst_note_inactive() - @blocks were moved to the inactive queue
 * @b: the state
 * @blocks: how many
 */
void sc_burst_note_inactive(struct sc_burst *b, u64 blocks)
{
	/* S64_MAX - heuristic > 0 always fits a u64; wrap-around is exact */
	u64 room = (u64)S64_MAX - (u64)b->inactive_heuristic;

	if (blocks >= room)
		b->inactive_heuristic = S64_MAX;
	else
		b->inactive_heuristic += (s64)blocks;
}

/**
 * sc_burst_scan_at_end() - a pass reached the end of the inactive queue
 * @b: the state
 * @p: the knobs for this tick
 *
 * The next pass waits for hysteresis more inactive blocks.
 */
void sc_burst_scan_at_end(struct sc_burst *b,
			  const struct sc_burst_params *p)
{
	b->inactive_heuristic = -sc_burst_s64(p->hysteresis);
}

/**
 * sc_burst_may_issue() - before each SSD write of a pass: one more?
 * @b: the state
 *
 * Return: false once curburst went negative, so a pass overshoots by at
 * most one write.
 */
bool sc_burst_may_issue(const struct sc_burst *b)
{
	return b->curburst >= 0;
}

/**
 * sc_burst_charge() - an SSD write of @bytes was issued
 * @b: the state
 * @bytes: its size
 *
 * Takes @bytes from curburst, which stays >= -S64_MAX so the subtraction
 * cannot overflow, and adds them to write_count (saturated).
 */
void sc_burst_charge(struct sc_burst *b, u64 bytes)
{
	s64 n = sc_burst_s64(bytes);

	if (b->curburst < n - S64_MAX)
		b->curburst = -S64_MAX;
	else
		b->curburst -= n;

	if (bytes > U64_MAX - b->write_count)
		b->write_count = U64_MAX;
	else
		b->write_count += bytes;
}

/**
 * sc_burst_set_curburst() - the curburst knob was set
 * @b: the state
 * @bytes: the new budget
 */
void sc_burst_set_curburst(struct sc_burst *b, u64 bytes)
{
	b->curburst = sc_burst_s64(bytes);
}

/**
 * sc_burst_wstate_name() - a write state's name, for status and sysfs
 * @s: the state
 *
 * Return: "writing" or "cleaning".
 */
const char *sc_burst_wstate_name(enum sc_wstate s)
{
	switch (s) {
	case SC_WSTATE_WRITING:
		return "writing";
	case SC_WSTATE_CLEANING:
		return "cleaning";
	}
	return "unknown";
}

/**
 * sc_burst_bstate_name() - a burst state's name, for status and sysfs
 * @s: the state
 *
 * Return: "bursting" or "recovering".
 */
const char *sc_burst_bstate_name(enum sc_bstate s)
{
	switch (s) {
	case SC_BSTATE_BURSTING:
		return "bursting";
	case SC_BSTATE_RECOVERING:
		return "recovering";
	}
	return "unknown";
}
