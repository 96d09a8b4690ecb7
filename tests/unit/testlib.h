/* SPDX-License-Identifier: GPL-2.0 */
/*
 * testlib.h - what every unit test shares besides TAP output: a seeded
 * random number generator (splitmix64; tests print their seeds) and
 * WARNS(), the number of kernel warnings an expression fired.
 */
#ifndef TESTS_UNIT_TESTLIB_H
#define TESTS_UNIT_TESTLIB_H

#include <linux/types.h>
#include "shim.h"
#include "tap.h"

static u64 rng_state;

static inline u64 rnd(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline u64 rnd_below(u64 n)
{
	return n ? rnd() % n : 0;
}

/* Warnings fired by @expr. */
#define WARNS(expr) ({							\
	unsigned long __w0 = shim_warn_count;				\
	expr;								\
	shim_warn_count - __w0;						\
})

#endif
