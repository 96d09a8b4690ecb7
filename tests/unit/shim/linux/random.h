/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: get_random_u64().  Deterministic here (splitmix64 from a fixed
 * start), so test runs repeat exactly.
 */
#ifndef SHIM_LINUX_RANDOM_H
#define SHIM_LINUX_RANDOM_H

#include <linux/types.h>

static inline u64 get_random_u64(void)
{
	static u64 state = 0x5eed5eed5eed5eedULL;
	u64 z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#endif
