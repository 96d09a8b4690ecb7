/* SPDX-License-Identifier: GPL-2.0 */
/*
 * format: the on-SSD layout of dm-swapcache and its superblock.
 *
 * The SSD holds, in 512-byte sectors:
 *
 *	0..7		superblock slot A (4 KiB)
 *	8..15		superblock slot B (4 KiB)
 *	16..		the checkpoint: one 4 KiB page per SC_CKPT_ENTRIES
 *			cache blocks (ckpt.h)
 *	data_start..	the cache blocks, data_start a multiple of 1 MiB so
 *			that 16-block clusters stay aligned on the SSD
 *
 * The two slots are written alternately, each with a sequence number and
 * a crc32c; the valid slot with the higher sequence number is the
 * superblock (sc_super_select()), so a torn write of one slot falls back
 * to the other.  Documentation/design.rst has every field's offset and
 * size, and the argument for the OPEN/CLEAN protocol.
 *
 * Pure code: no bios, no locks, no allocation; tests/unit/test_format.c
 * compiles it in user space.  Every multi-byte field is little-endian.
 */
#ifndef DM_SWAPCACHE_FORMAT_H
#define DM_SWAPCACHE_FORMAT_H

#include <linux/types.h>

/* "dmswpcch" as the first eight bytes of a slot. */
#define SC_SB_MAGIC		0x6863637077736d64ULL
#define SC_FORMAT_VERSION	1U
#define SC_SB_BYTES		4096U
#define SC_SB_SECTORS		(SC_SB_BYTES >> 9)
/* The checkpoint starts after the two slots. */
#define SC_CKPT_START		(2 * SC_SB_SECTORS)
/* The data area starts on a 1 MiB boundary (in sectors). */
#define SC_DATA_ALIGN		2048U
#define SC_ORIGIN_ID_LEN	64U

enum sc_sb_state {
	SC_SB_OPEN = 1,		/* in use, or not shut down cleanly */
	SC_SB_CLEAN = 2,	/* the checkpoint lists every valid copy */
};

/* The superblock, in CPU order. */
struct sc_super {
	u64 seq;		/* slot selection: the higher valid one wins */
	u8 uuid[16];		/* random, made at format */
	u32 state;		/* enum sc_sb_state */
	u32 block_size;		/* bytes, a power of two, 512..4096 */
	u64 format_gen;		/* bumped at every cold start */
	u64 ckpt_gen;		/* the checkpoint a CLEAN state vouches for */
	u64 origin_sectors;	/* the origin's size */
	u64 ssd_sectors;	/* the cache device's size at format */
	u64 ckpt_start;		/* sector of checkpoint page 0 */
	u64 ckpt_pages;		/* checkpoint pages */
	u64 data_start;		/* sector of cache block 0 */
	u64 data_blocks;	/* cache blocks */
	u64 created;		/* seconds since 1970 (UTC), first format */
	u64 bytes_written;	/* lifetime bytes written to this SSD */
	u64 curburst;		/* the burst bucket's level when written */
	char origin_id[SC_ORIGIN_ID_LEN];	/* NUL-padded, may be empty */
	u64 origin_sample;	/* a checksum of the origin's first blocks */
};

/* The refusal of a device that holds something else (sc_super_plan()). */
#define SC_SB_FOREIGN_ERROR \
	"Cache device holds data that is not a swapcache superblock (add 'format' to overwrite it)"

/* What the first two slots of a device hold (sc_super_classify()). */
enum sc_sb_kind {
	SC_SB_BLANK,		/* both slots zero (super.c checks the MiB) */
	SC_SB_OURS,		/* a valid slot, the other not foreign */
	SC_SB_FOREIGN,		/* anything else: never overwritten silently */
};

int sc_super_geometry(struct sc_super *sb, u64 ssd_sectors,
		      u32 block_size);
void sc_super_encode(const struct sc_super *sb, void *page);
int sc_super_decode(const void *page, struct sc_super *sb);
int sc_super_select(const void *slot_a, const void *slot_b,
		    struct sc_super *sb);
enum sc_sb_kind sc_super_classify(const void *slot_a, const void *slot_b,
				  struct sc_super *sb, int *slot);
const char *sc_super_misfit(const struct sc_super *sb, u64 ssd_sectors,
			    u32 block_size);
const char *sc_super_plan(enum sc_sb_kind kind, const struct sc_super *old,
			  u64 ssd_sectors, u32 block_size, bool format,
			  bool *reuse);
const char *sc_super_stranger(const struct sc_super *sb, u64 origin_sectors,
			      const char *origin_id, u64 origin_sample);

#endif
