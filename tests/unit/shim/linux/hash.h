/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: multiplicative (Fibonacci) hashing of integers to @bits bits, as
 * <linux/hash.h> offers: multiply by an odd constant near 2^64/phi and
 * keep the top bits, which depend on every bit of the key.
 */
#ifndef SHIM_LINUX_HASH_H
#define SHIM_LINUX_HASH_H

#include <linux/types.h>

#define GOLDEN_RATIO_32		0x61C88647U
#define GOLDEN_RATIO_64		0x61C8864680B583EBULL

static inline u32 hash_32(u32 val, unsigned int bits)
{
	return (u32)(val * GOLDEN_RATIO_32) >> (32 - bits);
}

static inline u32 hash_64(u64 val, unsigned int bits)
{
	return (u32)((val * GOLDEN_RATIO_64) >> (64 - bits));
}

static inline u32 hash_long(unsigned long val, unsigned int bits)
{
	return hash_64(val, bits);
}

#endif
