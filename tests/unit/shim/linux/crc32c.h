/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: crc32c(), as the kernel's: the Castagnoli CRC (reflected,
 * polynomial 0x82f63b78) continued from @crc, with no inversion of its
 * own; callers start from ~0 and invert the result for the standard
 * CRC-32C.  Bitwise here: the tests checksum a few pages.
 */
#ifndef SHIM_LINUX_CRC32C_H
#define SHIM_LINUX_CRC32C_H

#include <linux/types.h>

static inline u32 crc32c(u32 crc, const void *address, unsigned int length)
{
	const u8 *p = address;
	int k;

	while (length--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78U & -(crc & 1));
	}
	return crc;
}

#endif
