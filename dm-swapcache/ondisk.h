/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ondisk: little-endian fields at any byte offset, and the CRC-32C of a
 * block whose own checksum field counts as zero; shared by the
 * superblock (format.c) and the checkpoint pages (ckpt.c).
 */
#ifndef DM_SWAPCACHE_ONDISK_H
#define DM_SWAPCACHE_ONDISK_H

#include <linux/types.h>
#include <linux/string.h>
#include <linux/crc32c.h>
#include <asm/byteorder.h>

static inline void sc_put32(u8 *p, u32 v)
{
	__le32 x = cpu_to_le32(v);

	memcpy(p, &x, sizeof(x));
}

static inline void sc_put64(u8 *p, u64 v)
{
	__le64 x = cpu_to_le64(v);

	memcpy(p, &x, sizeof(x));
}

static inline u32 sc_get32(const u8 *p)
{
	__le32 x;

	memcpy(&x, p, sizeof(x));
	return le32_to_cpu(x);
}

static inline u64 sc_get64(const u8 *p)
{
	__le64 x;

	memcpy(&x, p, sizeof(x));
	return le64_to_cpu(x);
}

/* CRC-32C of @len bytes, the 4-byte field at @off taken as zero. */
static inline u32 sc_crc_without(const u8 *p, size_t len, size_t off)
{
	static const u8 zero[4];
	u32 crc;

	crc = crc32c(~0U, p, off);
	crc = crc32c(crc, zero, sizeof(zero));
	crc = crc32c(crc, p + off + 4, len - off - 4);
	return ~crc;
}

#endif
