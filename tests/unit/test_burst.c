// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dm-swapcache/burst.c, compiled in user space against the
 * kernel shim (see shim/README) with ASan and UBSan.  Output is TAP.
 *
 *  - transcripts of the WRITING/CLEANING and BURSTING/RECOVERING machines
 *    against hand-computed expectations from the seed;
 *  - a reference model: DragonFly's vm_swapcached_thread() loop and the
 *    burst parts of vm_swapcache_writing() re-typed literally (int64_t
 *    globals, SWAPMAX(), the same if/else), driven side by side with the
 *    module by the same random inputs, compared at every tick;
 *  - the wear bound of the design comment in burst.c, simulated for an
 *    hour of an always-full inactive queue.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include "testlib.h"
#include "burst.h"
#include "knobs.h"

typedef unsigned long long ull;
typedef long long sll;

#define KIB		4096ULL		/* one cache block */
#define BIG_WRITE	(16 * KIB)	/* the largest single SSD write */

/* ---- helpers ---------------------------------------------------------- */

/* The seed's defaults, hysteresis 0. */
static struct sc_burst_params defaults(void)
{
	struct sc_burst_params p = {
		.accrate = 100000,
		.maxburst = 2000000000ULL,
		.minburst = 10000000ULL,
		.maxswappct = 75,
		.hysteresis = 0,
	};
	return p;
}

static const char *act_name(enum sc_burst_action a)
{
	switch (a) {
	case SC_BURST_IDLE:
		return "idle";
	case SC_BURST_WRITE:
		return "write";
	case SC_BURST_CLEAN:
		return "clean";
	}
	return "?";
}

/* ---- WRITING / CLEANING hysteresis ------------------------------------ */

struct wstep {
	u64 used;
	enum sc_wstate want;
	enum sc_burst_action act;
};

static int run_wsteps(struct sc_burst *b, const struct sc_burst_params *p,
		      u64 total, const struct wstep *s, unsigned int n,
		      const char *name)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		enum sc_burst_action a = sc_burst_tick(b, p, s[i].used, total);

		if (b->wstate != s[i].want || a != s[i].act) {
			diag("%s step %u: used %llu/%llu: %s/%s, want %s/%s",
			     name, i, (ull)s[i].used, (ull)total,
			     sc_burst_wstate_name(b->wstate), act_name(a),
			     sc_burst_wstate_name(s[i].want),
			     act_name(s[i].act));
			return 0;
		}
	}
	return 1;
}

#define W	SC_WSTATE_WRITING
#define C	SC_WSTATE_CLEANING
#define AW	SC_BURST_WRITE
#define AC	SC_BURST_CLEAN
#define AI	SC_BURST_IDLE

static void test_wstate_75(void)
{
	/* 10000 blocks: 75% = 7500, 70% = 7000 */
	static const struct wstep s[] = {
		{ 0, W, AW }, { 7000, W, AW },
		{ 7500, W, AW },		/* = 75%: stays */
		{ 7501, C, AC },		/* > 75% */
		{ 7200, C, AC },		/* 72% */
		{ 7000, C, AC },		/* = 70%: not below */
		{ 6990, W, AW },		/* 69.9% */
		{ 7400, W, AW }, { 7501, C, AC }, { 10000, C, AC },
		{ 6999, W, AW },
	};
	struct sc_burst_params p = defaults();
	struct sc_burst b;

	sc_burst_init(&b, 4000000000ULL, 0);
	ok(b.wstate == W && b.bstate == SC_BSTATE_BURSTING &&
	   b.curburst == 4000000000LL && b.write_count == 0 &&
	   b.inactive_heuristic == 0, "init: writing/bursting, curburst 4e9");
	ok(run_wsteps(&b, &p, 10000, s, ARRAY_SIZE(s), "75%"),
	   "maxswappct 75: > 75%% cleans, 72%% keeps cleaning, 69.9%% writes");
	ok(b.curburst == 4000000000LL,
	   "curburst above maxburst is not accumulated nor reduced");
}

static void test_wstate_rounding(void)
{
	/* 1001 blocks: 75% = 750 (750.75 rounded down), 70% = 700 (700.7) */
	static const struct wstep s[] = {
		{ 750, W, AW }, { 751, C, AC }, { 700, C, AC }, { 699, W, AW },
	};
	struct sc_burst_params p = defaults();
	struct sc_burst b;

	sc_burst_init(&b, 4000000000ULL, 0);
	ok(run_wsteps(&b, &p, 1001, s, ARRAY_SIZE(s), "round"),
	   "thresholds round down as the seed's SWAPMAX()");
}

static void test_wstate_6(void)
{
	/* 1000 blocks: 6% = 60, 1% = 10 */
	static const struct wstep s[] = {
		{ 60, W, AW }, { 61, C, AC }, { 30, C, AC }, { 10, C, AC },
		{ 9, W, AW }, { 1000, C, AC }, { 0, W, AW },
	};
	/* 99 blocks: 6% = 5, 1% = 0: nothing is below, cleaning sticks */
	static const struct wstep s99[] = {
		{ 5, W, AW }, { 6, C, AC }, { 0, C, AC }, { 0, C, AC },
	};
	struct sc_burst_params p = defaults();
	struct sc_burst b;

	p.maxswappct = 6;
	sc_burst_init(&b, 4000000000ULL, 0);
	ok(run_wsteps(&b, &p, 1000, s, ARRAY_SIZE(s), "6%"),
	   "maxswappct 6: cleans above 6%%, writes again below 1%%");
	sc_burst_init(&b, 4000000000ULL, 0);
	ok(run_wsteps(&b, &p, 99, s99, ARRAY_SIZE(s99), "6% of 99"),
	   "maxswappct 6 on 99 blocks: low mark 0, stays cleaning (seed)");
}

static void test_wstate_low_pct(void)
{
	/* below the knob's range: the seed's SWAPMAX(-5) is <= 0 */
	static const struct wstep s[] = {
		{ 0, W, AW }, { 31, C, AC }, { 0, C, AC }, { 0, C, AC },
	};
	struct sc_burst_params p = defaults();
	struct sc_burst b;

	p.maxswappct = 3;
	sc_burst_init(&b, 4000000000ULL, 0);
	ok(run_wsteps(&b, &p, 1000, s, ARRAY_SIZE(s), "3%"),
	   "maxswappct 3 (out of range): no underflow, cleaning sticks");
}

static void test_wstate_100(void)
{
	static const struct wstep s[] = {
		/* not > 100% ever, but a full SSD cleans, down below 95% */
		{ 0, W, AW }, { 999, W, AW }, { 1000, C, AC }, { 990, C, AC },
		{ 950, C, AC }, { 949, W, AW }, { 999, W, AW }, { 1000, C, AC },
	};
	static const struct wstep s2[] = {
		{ 960, C, AC }, { 950, C, AC }, { 949, W, AW }, { 999, W, AW },
		{ 1000, C, AC },
	};
	const u64 big = 1ULL << 32;
	struct sc_burst_params p = defaults();
	struct sc_burst b;

	p.maxswappct = 100;
	sc_burst_init(&b, 4000000000ULL, 0);
	ok(run_wsteps(&b, &p, 1000, s, ARRAY_SIZE(s), "100%"),
	   "maxswappct 100: a full SSD starts cleaning, down below 95%%");
	/* the knob's largest value, on the largest SSD */
	sc_burst_init(&b, 4000000000ULL, 0);
	ok(sc_burst_tick(&b, &p, big - 1, big) == AW &&
	   sc_burst_tick(&b, &p, big, big) == AC && b.wstate == C,
	   "maxswappct 100, 2^32 blocks: writing until full, then cleaning");
	/* cleaning entered under 75, then maxswappct raised to 100 */
	p.maxswappct = 75;
	sc_burst_tick(&b, &p, 800, 1000);
	p.maxswappct = 100;
	ok(b.wstate == C &&
	   run_wsteps(&b, &p, 1000, s2, ARRAY_SIZE(s2), "->100"),
	   "maxswappct 100: cleaning ends below 95%%");
	p.maxswappct = 75;
	sc_burst_init(&b, 4000000000ULL, 0);
	ok(sc_burst_tick(&b, &p, 0, 0) == AW && b.wstate == W,
	   "no SSD blocks at all (total 0): writing");
	ok(sc_burst_tick(&b, &p, big, big) == AC &&
	   sc_burst_tick(&b, &p, big * 70 / 100, big) == AC &&
	   sc_burst_tick(&b, &p, big * 70 / 100 - 1, big) == AW,
	   "total 2^32 blocks: thresholds without overflow");
}

/*
 * Every knob at the largest value the parser accepts (knobs.c), on the
 * largest SSD: no overflow in the signed curburst and heuristic.
 */
static void test_knob_limits(void)
{
	const struct sc_knob_desc *d = sc_knob_descs;
	const s64 maxb = (s64)d[SC_KNOB_MAXBURST].max;
	const u64 big = 1ULL << 32;
	struct sc_burst_params p = {
		.accrate = d[SC_KNOB_ACCRATE].max,
		.maxburst = d[SC_KNOB_MAXBURST].max,
		.minburst = d[SC_KNOB_MINBURST].max - 1,
		.maxswappct = d[SC_KNOB_MAXSWAPPCT].max,
		.hysteresis = d[SC_KNOB_HYSTERESIS].max,
	};
	struct sc_burst b;
	int i, capped = 1;

	sc_burst_init(&b, d[SC_KNOB_CURBURST].max, p.hysteresis);
	ok(b.curburst == (s64)d[SC_KNOB_CURBURST].max &&
	   b.inactive_heuristic == -(s64)p.hysteresis,
	   "largest curburst and hysteresis: exact");
	ok(sc_burst_tick(&b, &p, 0, big) == AW && b.curburst == maxb,
	   "largest accrate at the largest maxburst: stays capped");
	sc_burst_charge(&b, (u64)maxb + BIG_WRITE);
	ok(b.curburst == -(s64)BIG_WRITE &&
	   b.write_count == (u64)maxb + BIG_WRITE,
	   "charging the largest budget and one write: exact");
	sc_burst_set_curburst(&b, 0);
	for (i = 0; i < 20000; i++) {
		sc_burst_tick(&b, &p, 0, big);
		if (b.curburst > maxb || b.curburst < 0)
			capped = 0;
	}
	ok(capped && b.curburst == maxb,
	   "10^12 B/s for 2000 s: reaches maxburst 10^15 exactly, no wrap");
	sc_burst_note_inactive(&b, p.hysteresis);
	ok(sc_burst_may_write(&b, &p), "largest hysteresis: met exactly");
}

/* ---- accumulation ------------------------------------------------------ */

static void test_accumulate(void)
{
	struct sc_burst_params p = defaults();
	struct sc_burst b;
	int i, good = 1;

	p.maxburst = 1000000;
	sc_burst_init(&b, 0, 0);
	for (i = 1; i <= 150; i++) {
		sc_burst_tick(&b, &p, 0, 1000);
		if (b.curburst != (i <= 100 ? i * 10000LL : 1000000LL))
			good = 0;
	}
	ok(good, "curburst += accrate/10 a tick, capped at maxburst");

	p.accrate = 99999;	/* 9999 a tick, rounding down */
	p.maxburst = 1000000 + 5;
	sc_burst_init(&b, 995000, 0);
	sc_burst_tick(&b, &p, 0, 1000);
	ok(b.curburst == 1000000 + 5, "cap is exact when a tick overshoots it");

	p = defaults();
	sc_burst_init(&b, 0, 0);
	for (i = 0; i < 10; i++)
		sc_burst_tick(&b, &p, 900, 1000);	/* cleaning */
	ok(b.wstate == C && b.curburst == 100000,
	   "accumulates while cleaning too");

	/* initial load-in above maxburst */
	sc_burst_init(&b, 4000000000ULL, 0);
	for (i = 0; i < 100; i++)
		sc_burst_tick(&b, &p, 0, 1000);
	ok(b.curburst == 4000000000LL, "curburst > maxburst is left alone");
	sc_burst_charge(&b, 1500000000ULL);
	sc_burst_tick(&b, &p, 0, 1000);
	ok(b.curburst == 2500000000LL, "still above maxburst: left alone");
	sc_burst_charge(&b, 600000000ULL);
	sc_burst_tick(&b, &p, 0, 1000);
	ok(b.curburst == 1900000000LL + 10000, "below maxburst: accumulates");
	for (i = 0; i < 20000; i++)
		sc_burst_tick(&b, &p, 0, 1000);
	ok(b.curburst == 2000000000LL, "and is capped at maxburst again");

	/* lowering maxburst does not cut a larger curburst */
	p.maxburst = 1000;
	sc_burst_tick(&b, &p, 0, 1000);
	ok(b.curburst == 2000000000LL, "lowering maxburst keeps curburst");

	/* knob maxima: no overflow (UBSan would abort) */
	p.accrate = 1000000000000ULL;
	p.maxburst = 1000000000000000ULL;
	sc_burst_init(&b, 0, 0);
	sc_burst_charge(&b, 1000000000000000ULL);
	for (i = 0; i < 30000; i++)
		sc_burst_tick(&b, &p, 0, 1000);
	ok(b.curburst == 1000000000000000LL, "knob maxima: capped at 1e15");
	p.maxburst = U64_MAX;
	p.accrate = U64_MAX;
	sc_burst_init(&b, U64_MAX, 0);
	sc_burst_charge(&b, U64_MAX);
	sc_burst_charge(&b, U64_MAX);
	ok(b.curburst == -S64_MAX, "charge saturates at -S64_MAX");
	for (i = 0; i < 20; i++)
		sc_burst_tick(&b, &p, 0, 1000);
	ok(b.curburst == S64_MAX && b.write_count == U64_MAX,
	   "absurd values saturate: curburst %lld", (sll)b.curburst);
}

/* ---- BURSTING / RECOVERING ------------------------------------------- */

static void test_burst_states(void)
{
	struct sc_burst_params p = defaults();
	struct sc_burst b;
	enum sc_burst_action a;
	int i, n;

	p.minburst = 1000000;
	/* a pass that leaves exactly 0 ends the burst: <= 0 */
	sc_burst_init(&b, 200000, 0);
	a = sc_burst_tick(&b, &p, 0, 1000);
	ok(a == AW && b.curburst == 210000, "bursting, >= accrate: write");
	sc_burst_charge(&b, 210000);
	ok(sc_burst_may_issue(&b) && b.write_count == 210000,
	   "curburst 0: may still issue (the seed stops at < 0)");
	sc_burst_pass_done(&b);
	ok(b.bstate == SC_BSTATE_RECOVERING,
	   "pass left curburst 0: recovering");

	/* a pass that leaves 1 byte keeps bursting */
	sc_burst_init(&b, 200000, 0);
	sc_burst_tick(&b, &p, 0, 1000);
	sc_burst_charge(&b, 209999);
	sc_burst_pass_done(&b);
	ok(b.bstate == SC_BSTATE_BURSTING, "pass left curburst 1: bursting");
	ok(sc_burst_tick(&b, &p, 0, 1000) == AI && b.curburst == 10001,
	   "curburst < accrate: no pass (do not nickel-and-dime)");
	for (n = 1; sc_burst_tick(&b, &p, 0, 1000) == AI; n++)
		;
	ok(n == 9 && b.curburst == 100001,
	   "bursting resumes at curburst >= accrate, below minburst (%d)", n);

	/* overshoot: negative curburst, may_issue false */
	sc_burst_charge(&b, BIG_WRITE);
	sc_burst_charge(&b, BIG_WRITE);
	ok(!sc_burst_may_issue(&b) && b.curburst == 100001 - 2 * 65536,
	   "overshoot: curburst %lld < 0 stops the pass", (sll)b.curburst);
	sc_burst_pass_done(&b);
	ok(b.bstate == SC_BSTATE_RECOVERING, "overshoot ends the burst");

	/* recovering: needs > minburst (1e6) and >= accrate */
	for (i = 0, n = 0; i < 200; i++) {
		a = sc_burst_tick(&b, &p, 0, 1000);
		if (a != AI)
			break;
		n++;
	}
	/* from -31071: 1e6 reached at tick 104 (968929 + 31071 = 1e6) */
	ok(a == AW && b.curburst == -31071 + 10000LL * (n + 1) &&
	   b.curburst > 1000000 && b.curburst - 10000 <= 1000000,
	   "recovering writes once curburst > minburst (%lld after %d idle)",
	   (sll)b.curburst, n);
	ok(b.bstate == SC_BSTATE_RECOVERING,
	   "tick leaves the switch to pass_done (seed: after the pass)");
	sc_burst_pass_done(&b);
	ok(b.bstate == SC_BSTATE_BURSTING, "recovering pass starts a burst");

	/* minburst = curburst exactly: not enough */
	sc_burst_init(&b, 0, 0);
	b.bstate = SC_BSTATE_RECOVERING;
	for (i = 0; i < 100; i++)
		a = sc_burst_tick(&b, &p, 0, 1000);
	ok(a == AI && b.curburst == 1000000, "curburst == minburst: idle");
	ok(sc_burst_tick(&b, &p, 0, 1000) == AW, "one tick later: write");

	/* minburst below accrate: accrate rules */
	p.minburst = 0;
	sc_burst_init(&b, 0, 0);
	b.bstate = SC_BSTATE_RECOVERING;
	for (i = 0; i < 9; i++)
		a = sc_burst_tick(&b, &p, 0, 1000);
	ok(a == AI && b.curburst == 90000,
	   "recovering, curburst > minburst but < accrate: idle");
	ok(sc_burst_tick(&b, &p, 0, 1000) == AW, "at accrate: write");
}

/* The seed's quirk: a RECOVERING pass always switches to BURSTING. */
static void test_recovering_quirk(void)
{
	struct sc_burst_params p = defaults();
	struct sc_burst b;
	int i, n;

	p.minburst = 1000000;
	sc_burst_init(&b, 0, 0);
	b.bstate = SC_BSTATE_RECOVERING;
	for (i = 0; i < 101; i++)
		sc_burst_tick(&b, &p, 0, 1000);
	ok(b.curburst == 1010000, "recovered to 1010000");
	/* the pass overshoots: still switches to bursting, as in the seed */
	sc_burst_charge(&b, 1010000 + 100);
	sc_burst_pass_done(&b);
	ok(b.bstate == SC_BSTATE_BURSTING && b.curburst == -100,
	   "recovering pass that overshoots still leaves bursting");
	for (i = 0, n = 0; i < 10; i++)
		n += sc_burst_tick(&b, &p, 0, 1000) == AI;
	ok(n == 10 && b.curburst == 99900 && b.bstate == SC_BSTATE_BURSTING,
	   "not yet at accrate: idle, still bursting");
	ok(sc_burst_tick(&b, &p, 0, 1000) == AW,
	   "at accrate: writes without waiting for minburst (seed)");

	/* a WRITE tick whose pass did not run (heuristic) still counts */
	p.accrate = 0;
	p.hysteresis = 100;
	sc_burst_init(&b, 0, 100);
	ok(sc_burst_tick(&b, &p, 0, 1000) == AW && !sc_burst_may_write(&b, &p),
	   "accrate 0: curburst 0 >= 0 asks for a pass; heuristic says no");
	sc_burst_pass_done(&b);
	ok(b.bstate == SC_BSTATE_RECOVERING,
	   "empty bursting pass with curburst 0 ends the burst (seed)");
}

/* ---- the inactive heuristic -------------------------------------------- */

static void test_heuristic(void)
{
	struct sc_burst_params p = defaults();
	struct sc_burst b;

	p.hysteresis = 100;
	sc_burst_init(&b, 4000000000ULL, 100);
	ok(b.inactive_heuristic == -100 && !sc_burst_may_write(&b, &p),
	   "starts at -hysteresis: no pass");
	sc_burst_note_inactive(&b, 99);
	ok(!sc_burst_may_write(&b, &p), "99 of 100 inactive: no pass");
	sc_burst_note_inactive(&b, 1);
	ok(sc_burst_may_write(&b, &p), "100 of 100 inactive: pass");
	sc_burst_note_inactive(&b, 5000);
	ok(sc_burst_may_write(&b, &p) && b.inactive_heuristic == 5000,
	   "keeps counting past 0");
	sc_burst_scan_at_end(&b, &p);
	ok(b.inactive_heuristic == -100 && !sc_burst_may_write(&b, &p),
	   "scan reached the queue end: back to -hysteresis");

	p.hysteresis = 10;	/* user lowers it */
	ok(!sc_burst_may_write(&b, &p) && b.inactive_heuristic == -10,
	   "lowered hysteresis clamps the heuristic to -10");
	sc_burst_note_inactive(&b, 10);
	ok(sc_burst_may_write(&b, &p), "10 more inactive: pass");
	p.hysteresis = 1000;	/* raising it does not move the heuristic */
	ok(sc_burst_may_write(&b, &p) && b.inactive_heuristic == 0,
	   "raised hysteresis: takes effect at the next queue end");
	sc_burst_scan_at_end(&b, &p);
	ok(b.inactive_heuristic == -1000, "... here");

	p.hysteresis = 0;
	sc_burst_init(&b, 0, 0);
	ok(sc_burst_may_write(&b, &p), "hysteresis 0: always");
	sc_burst_scan_at_end(&b, &p);
	ok(sc_burst_may_write(&b, &p),
	   "hysteresis 0: even right after the end");

	sc_burst_note_inactive(&b, U64_MAX);
	sc_burst_note_inactive(&b, U64_MAX);
	ok(b.inactive_heuristic == S64_MAX, "note_inactive saturates");
	p.hysteresis = U64_MAX;
	sc_burst_scan_at_end(&b, &p);
	sc_burst_note_inactive(&b, U64_MAX);
	ok(b.inactive_heuristic == S64_MAX, "from -S64_MAX too");
}

/* ---- small things ---------------------------------------------------- */

static void test_misc(void)
{
	struct sc_burst b;

	sc_burst_init(&b, 0, 0);
	sc_burst_charge(&b, 4096);
	sc_burst_charge(&b, 65536);
	ok(b.curburst == -69632 && b.write_count == 69632,
	   "charge: curburst -= bytes, write_count += bytes");
	sc_burst_set_curburst(&b, 123456789);
	ok(b.curburst == 123456789 && b.write_count == 69632,
	   "set_curburst sets curburst only");
	ok(!strcmp(sc_burst_wstate_name(SC_WSTATE_WRITING), "writing") &&
	   !strcmp(sc_burst_wstate_name(SC_WSTATE_CLEANING), "cleaning") &&
	   !strcmp(sc_burst_bstate_name(SC_BSTATE_BURSTING), "bursting") &&
	   !strcmp(sc_burst_bstate_name(SC_BSTATE_RECOVERING), "recovering"),
	   "state names");
	ok(!strcmp(sc_burst_wstate_name((enum sc_wstate)7), "unknown") &&
	   !strcmp(sc_burst_bstate_name((enum sc_bstate)7), "unknown"),
	   "bad state values name 'unknown'");
}

/* ---- the reference model: the seed's loop, re-typed ------------------- */

/*
 * The inputs of one tick, shared by both sides: the VM's deactivations,
 * knob writes, the SSD use and what the inactive queue holds after the
 * marker (q[i] blocks written for page i; 0 = a page the writer skips).
 */
#define QMAX	96

struct tick_in {
	u64 inactive;
	u64 used, total;
	int set_curburst;
	u64 curburst;
	struct sc_burst_params p;
	int maxlaunder;
	int nq;
	int q[QMAX];
};

/* vm_swapcache.c, the parts that decide how much is written and when */
struct seed {
	int state;		/* SWAPC_WRITING, SWAPC_CLEANING */
	int burst;		/* SWAPB_BURSTING, SWAPB_RECOVERING */
	int64_t vm_swapcache_minburst;
	int64_t vm_swapcache_curburst;
	int64_t vm_swapcache_maxburst;
	int64_t vm_swapcache_accrate;
	int64_t vm_swapcache_write_count;
	int64_t vm_swapcache_maxswappct;
	int64_t vm_swapcache_hysteresis;
	int64_t vm_swapcache_inactive_heuristic;
	int64_t vm_swap_max;
	int64_t vm_swap_cache_use;
	int did;		/* 0 idle, 1 writing called, 2 cleaning */
};

enum { SWAPC_WRITING, SWAPC_CLEANING };
enum { SWAPB_BURSTING, SWAPB_RECOVERING };

#define SWAPMAX(s, adj)						\
	((int64_t)(s)->vm_swap_max *					\
	 ((s)->vm_swapcache_maxswappct + (adj)) / 100)

static void seed_writing(struct seed *s, const struct tick_in *in)
{
	int64_t *heur = &s->vm_swapcache_inactive_heuristic;
	int64_t hyst = s->vm_swapcache_hysteresis;
	int count;
	int i = 0;

	if (*heur < -hyst)
		*heur = -hyst;
	if (*heur < 0)
		return;

	count = in->maxlaunder;
	while (i < in->nq && count-- > 0) {	/* (m = next) != NULL */
		if (s->vm_swapcache_curburst < 0)
			break;
		if (in->q[i]) {			/* vm_swapcached_flush() */
			s->vm_swapcache_curburst -= in->q[i] * KIB;
			s->vm_swapcache_write_count += in->q[i] * KIB;
			count -= in->q[i] - 1;
		}
		i++;
	}
	if (i == in->nq)			/* m == NULL */
		*heur = -hyst;
}

/* One iteration of vm_swapcached_thread()'s for (;;) after the sleep. */
static void seed_tick(struct seed *s, const struct tick_in *in)
{
	s->did = 0;
	if (s->state == SWAPC_WRITING) {
		/*
		 * Departure (burst.c): a full SSD cleans, also at
		 * maxswappct >= 100 where use > SWAPMAX(0) never holds.
		 */
		if (s->vm_swap_cache_use > SWAPMAX(s, 0) ||
		    (s->vm_swap_max && s->vm_swap_cache_use >= s->vm_swap_max))
			s->state = SWAPC_CLEANING;
	} else {
		if (s->vm_swap_cache_use < SWAPMAX(s, -5))
			s->state = SWAPC_WRITING;
	}

	if (s->vm_swapcache_curburst < s->vm_swapcache_maxburst) {
		s->vm_swapcache_curburst += s->vm_swapcache_accrate / 10;
		if (s->vm_swapcache_curburst > s->vm_swapcache_maxburst)
			s->vm_swapcache_curburst = s->vm_swapcache_maxburst;
	}

	if (s->state == SWAPC_WRITING) {
		if (s->vm_swapcache_curburst >= s->vm_swapcache_accrate) {
			if (s->burst == SWAPB_BURSTING) {
				s->did = 1;
				seed_writing(s, in);
				if (s->vm_swapcache_curburst <= 0)
					s->burst = SWAPB_RECOVERING;
			} else if (s->vm_swapcache_curburst >
				   s->vm_swapcache_minburst) {
				s->did = 1;
				seed_writing(s, in);
				s->burst = SWAPB_BURSTING;
			}
		}
	} else {
		s->did = 2;
	}
}

/* The same tick through the module, as the daemon will drive it. */
static enum sc_burst_action mod_tick(struct sc_burst *b,
				     const struct tick_in *in,
				     unsigned long *ends)
{
	enum sc_burst_action a;
	int count, i = 0;

	a = sc_burst_tick(b, &in->p, in->used, in->total);
	if (a != SC_BURST_WRITE)
		return a;
	if (sc_burst_may_write(b, &in->p)) {
		count = in->maxlaunder;
		while (i < in->nq && count-- > 0) {
			if (!sc_burst_may_issue(b))
				break;
			if (in->q[i]) {
				sc_burst_charge(b, in->q[i] * KIB);
				count -= in->q[i] - 1;
			}
			i++;
		}
		if (i == in->nq) {
			sc_burst_scan_at_end(b, &in->p);
			(*ends)++;
		}
	}
	sc_burst_pass_done(b);
	return a;
}

/* Knob values, mostly small so that bursts end and start often. */
static u64 rnd_bytes(void)
{
	switch (rnd_below(32)) {
	case 0:
	case 1:
		return 0;
	case 2:
	case 3:
		return rnd_below(4) * 10 + rnd_below(3);	/* tiny */
	case 4:
		return 1000000000000000ULL - rnd_below(2);	/* knob max */
	case 5 ... 15:	/* whole blocks: passes can end on exactly 0 */
		return rnd_below(700) * KIB;
	default:
		return rnd_below(3000000);
	}
}

static void gen_knobs(struct tick_in *in)
{
	switch (rnd_below(6)) {
	case 0:
		if (rnd_below(2))	/* accrate / 10 in whole blocks */
			in->p.accrate = rnd_below(50) * 10 * KIB;
		else if (rnd_below(40))
			in->p.accrate = rnd_below(2000000);
		else
			in->p.accrate = rnd_below(2) * 1000000000000ULL;
		break;
	case 1:
		in->p.maxburst = rnd_bytes();
		break;
	case 2:
		in->p.minburst = rnd_bytes();
		break;
	case 3:
		in->p.maxswappct = 1 + rnd_below(110);
		break;
	case 4:
		in->p.hysteresis = rnd_below(40) ? rnd_below(400) :
				   rnd_below(1 << 30);
		break;
	default:
		in->maxlaunder = 1 + rnd_below(300);
		break;
	}
}

static void gen_tick(struct tick_in *in)
{
	int i;

	in->set_curburst = 0;
	if (!rnd_below(50))
		gen_knobs(in);
	if (!rnd_below(2000)) {
		in->set_curburst = 1;
		in->curburst = rnd_below(2) ? rnd_bytes() : 4000000000ULL;
	}
	if (!rnd_below(5000))
		in->total = rnd_below(3) ? 1 + rnd_below(100000) :
			    (1ULL << 32) - rnd_below(2);
	/* use wanders around the thresholds */
	if (rnd_below(3))
		in->used = in->used + rnd_below(3) - (in->used > 0);
	else
		in->used = rnd_below(in->total + 1);
	if (in->used > in->total)
		in->used = in->total;
	in->inactive = rnd_below(4) ? rnd_below(200) : 0;
	in->nq = rnd_below(QMAX + 1);
	for (i = 0; i < in->nq; i++)
		in->q[i] = rnd_below(5) ? 1 + rnd_below(16) : 0;
}

static void seed_knobs(struct seed *s, const struct tick_in *in)
{
	s->vm_swapcache_accrate = in->p.accrate;
	s->vm_swapcache_maxburst = in->p.maxburst;
	s->vm_swapcache_minburst = in->p.minburst;
	s->vm_swapcache_maxswappct = in->p.maxswappct;
	s->vm_swapcache_hysteresis = in->p.hysteresis;
	s->vm_swap_max = in->total;
	s->vm_swap_cache_use = in->used;
}

struct coverage {
	unsigned long b2r, r2b, w2c, c2w, writes, cleans, idles, neg, ends;
};

static int same(const struct seed *s, const struct sc_burst *b,
		enum sc_burst_action a)
{
	static const enum sc_burst_action did[] = { AI, AW, AC };

	return s->state == (int)b->wstate && s->burst == (int)b->bstate &&
	       s->vm_swapcache_curburst == b->curburst &&
	       s->vm_swapcache_inactive_heuristic == b->inactive_heuristic &&
	       (u64)s->vm_swapcache_write_count == b->write_count &&
	       did[s->did] == a;
}

static void cover(struct coverage *c, const struct sc_burst *old,
		  const struct sc_burst *b, enum sc_burst_action a)
{
	c->b2r += old->bstate == SC_BSTATE_BURSTING &&
		  b->bstate == SC_BSTATE_RECOVERING;
	c->r2b += old->bstate == SC_BSTATE_RECOVERING &&
		  b->bstate == SC_BSTATE_BURSTING;
	c->w2c += old->wstate == W && b->wstate == C;
	c->c2w += old->wstate == C && b->wstate == W;
	c->writes += a == AW;
	c->cleans += a == AC;
	c->idles += a == AI;
	c->neg += b->curburst < 0;
}

static void test_reference_model(u64 seed, unsigned long ticks)
{
	struct tick_in in = { .used = 0, .total = 1000, .maxlaunder = 256 };
	struct coverage cov = { 0 };
	struct sc_burst b, old;
	struct seed s = { 0 };
	unsigned long t;
	int good = 1;

	rng_state = seed;
	in.p = defaults();
	in.p.hysteresis = 50;
	sc_burst_init(&b, 4000000000ULL, in.p.hysteresis);
	s.state = SWAPC_WRITING;
	s.burst = SWAPB_BURSTING;
	s.vm_swapcache_curburst = 4000000000LL;
	s.vm_swapcache_inactive_heuristic = -50;

	for (t = 0; t < ticks && good; t++) {
		enum sc_burst_action a;

		gen_tick(&in);
		/* the VM deactivates pages, the user writes sysctls */
		s.vm_swapcache_inactive_heuristic += in.inactive;
		sc_burst_note_inactive(&b, in.inactive);
		if (in.set_curburst) {
			s.vm_swapcache_curburst = in.curburst;
			sc_burst_set_curburst(&b, in.curburst);
		}
		seed_knobs(&s, &in);

		old = b;
		seed_tick(&s, &in);
		a = mod_tick(&b, &in, &cov.ends);
		cover(&cov, &old, &b, a);
		if (!same(&s, &b, a)) {
			diag("tick %lu: seed %d/%d cur %lld heur %lld "
			     "wc %lld did %d",
			     t, s.state, s.burst, (sll)s.vm_swapcache_curburst,
			     (sll)s.vm_swapcache_inactive_heuristic,
			     (sll)s.vm_swapcache_write_count, s.did);
			diag("tick %lu: mod  %d/%d cur %lld heur %lld "
			     "wc %llu act %s",
			     t, b.wstate, b.bstate, (sll)b.curburst,
			     (sll)b.inactive_heuristic, (ull)b.write_count,
			     act_name(a));
			good = 0;
		}
	}
	ok(good, "reference model, seed %llu: %lu ticks agree", (ull)seed, t);
	diag("bursting->recovering %lu, recovering->bursting %lu, "
	     "writing->cleaning %lu, cleaning->writing %lu",
	     cov.b2r, cov.r2b, cov.w2c, cov.c2w);
	diag("write %lu, clean %lu, idle %lu ticks; curburst < 0 %lu; "
	     "queue ends %lu", cov.writes, cov.cleans, cov.idles, cov.neg,
	     cov.ends);
	ok(cov.b2r > 1000 && cov.r2b > 1000 && cov.w2c > 1000 &&
	   cov.c2w > 1000 && cov.writes > 10000 && cov.cleans > 10000 &&
	   cov.idles > 10000 && cov.neg > 1000 && cov.ends > 1000,
	   "reference model, seed %llu: every transition seen often",
	   (ull)seed);
}

/* ---- the wear bound --------------------------------------------------- */

struct wear_case {
	u64 accrate, maxburst, minburst;
	s64 c0;
	int random_writes;	/* random write sizes and queue lengths */
	int lower;		/* check the lower bound too */
};

/*
 * One hour at 10 Hz.  The inactive queue always holds more than a pass
 * can take (hysteresis 0, the pass never reaches its end); a pass writes
 * 16-block (64 KiB) writes while may_issue() allows, at most maxlaunder
 * (256) blocks, i.e. 1 MiB a tick, 10 MiB/s: more than any accrate here.
 *
 * Upper bound (burst.c, THE WEAR BOUND): for every window [t0, t] inside
 * the hour, bytes issued <= max(curburst(t0), 0) + accrate * (t - t0) +
 * 65536.  Checked for every t from t0 = 0, 600 s, 1200 s, ...
 *
 * Lower bound, when data is always waiting: budget is never left unused
 * for long.  A BURSTING pass spends all of curburst (down to < 0), so
 * what is not written by the end of the hour is at most the budget a
 * RECOVERING writer waits for, max(minburst, accrate) + one tick, plus
 * what the maxburst cap discarded while an initial curburst above
 * maxburst was being drained.  For the cases below that is far less than
 * 20% of max(C0, 0) + accrate * T, so we require at least 80% of it.
 *
 * The lower bound does not hold when minburst >= maxburst and a pass can
 * spend a whole maxburst: curburst is capped at maxburst, so it never
 * exceeds minburst and RECOVERING never ends (the seed does the same; the
 * knob check should refuse minburst >= maxburst).  The last case shows it.
 */
static void test_wear_case(const struct wear_case *wc, u64 seed)
{
	const unsigned long ticks = 3600UL * SC_BURST_HZ;
	const unsigned long win = 600UL * SC_BURST_HZ;
	struct sc_burst_params p = defaults();
	unsigned long t, k;
	double bound0, issued = 0;
	struct sc_burst b;
	int upper = 1;
	s64 c_at[8] = { 0 };	/* set at each window start before use */
	double issued_at[8] = { 0 };

	rng_state = seed;
	p.accrate = wc->accrate;
	p.maxburst = wc->maxburst;
	p.minburst = wc->minburst;
	sc_burst_init(&b, 0, 0);
	b.curburst = wc->c0;
	for (t = 0; t < ticks; t++) {
		int blocks = 0;

		if (t % win == 0) {
			c_at[t / win] = b.curburst;
			issued_at[t / win] = issued;
		}
		if (sc_burst_tick(&b, &p, 0, 1000) == SC_BURST_WRITE) {
			int nq = wc->random_writes ? rnd_below(40) : 1000;

			if (sc_burst_may_write(&b, &p)) {
				while (nq-- > 0 && blocks < 256 &&
				       sc_burst_may_issue(&b)) {
					u64 n = wc->random_writes ?
						1 + rnd_below(16) : 16;

					sc_burst_charge(&b, n * KIB);
					issued += n * KIB;
					blocks += n;
				}
			}
			sc_burst_pass_done(&b);
		}
		/* every window that started at a multiple of 600 s */
		for (k = 0; k <= t / win; k++) {
			double secs = (t + 1 - k * win) / (double)SC_BURST_HZ;
			double lim = (c_at[k] > 0 ? c_at[k] : 0) +
				     wc->accrate * secs + BIG_WRITE;

			if (issued - issued_at[k] > lim && upper) {
				diag("window from %lu s, tick %lu: %.0f > %.0f",
				     k * 600, t, issued - issued_at[k], lim);
				upper = 0;
			}
		}
	}
	bound0 = (wc->c0 > 0 ? wc->c0 : 0) + wc->accrate * 3600.0;
	ok(upper && issued == (double)b.write_count,
	   "wear: accrate %llu maxburst %llu minburst %llu C0 %lld%s: "
	   "%.0f <= %.0f + 65536 (every window)",
	   (ull)wc->accrate, (ull)wc->maxburst, (ull)wc->minburst,
	   (sll)wc->c0, wc->random_writes ? " random" : "", issued, bound0);
	if (wc->lower)
		ok(issued >= 0.8 * bound0,
		   "wear: data always waiting: %.0f >= 80%% of %.0f (%.1f%%)",
		   issued, bound0, 100.0 * issued / bound0);
	else	/* one burst, then RECOVERING waits for > minburst forever */
		ok(issued <= wc->maxburst + BIG_WRITE &&
		   b.bstate == SC_BSTATE_RECOVERING,
		   "wear: minburst == maxburst stalls after one burst, as "
		   "in the seed: %.0f of %.0f", issued, bound0);
}

static void test_wear_bound(void)
{
	static const struct wear_case cases[] = {
		/* the seed's defaults, 4 GB initial load-in */
		{ 100000, 2000000000ULL, 10000000ULL, 4000000000LL, 0, 1 },
		{ 100000, 2000000000ULL, 10000000ULL, 0, 0, 1 },
		{ 1000000, 100000000ULL, 1000000ULL, 0, 0, 1 },
		{ 1000000, 5000000ULL, 0, 10000000LL, 0, 1 },
		{ 12345, 1000000ULL, 500000ULL, 0, 0, 1 },
		{ 5000000, 20000000ULL, 1000000ULL, 0, 0, 1 },
		{ 5000000, 20000000ULL, 1000000ULL, 300000000LL, 1, 1 },
		{ 100000, 2000000000ULL, 10000000ULL, -5000000LL, 1, 1 },
		/* minburst == maxburst: the seed never leaves RECOVERING */
		{ 500000, 500000ULL, 500000ULL, 0, 0, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		test_wear_case(&cases[i], 1000 + i);
}

int main(void)
{
	tap_start();
	test_wstate_75();
	test_wstate_rounding();
	test_wstate_6();
	test_wstate_low_pct();
	test_wstate_100();
	test_knob_limits();
	test_accumulate();
	test_burst_states();
	test_recovering_quirk();
	test_heuristic();
	test_misc();
	test_reference_model(1, 1000000);
	test_reference_model(2, 1000000);
	test_reference_model(3, 1000000);
	test_wear_bound();
	return tap_done();
}
