/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ckpt: the pages of the checkpoint, the on-SSD copy of the block map.
 *
 * Page p (4 KiB, at sector ckpt_start + 8 * p) describes cache blocks
 * p * SC_CKPT_ENTRIES .. p * SC_CKPT_ENTRIES + SC_CKPT_ENTRIES - 1, one
 * 8-byte entry each, by position: entry i is cache block
 * p * SC_CKPT_ENTRIES + i.
 *
 *	offset	size	field
 *	0	4	magic "scck"
 *	4	4	crc32c of the page, this field taken as zero
 *	8	8	format_gen of the superblock it was written under
 *	16	8	ckpt_gen of the checkpoint it belongs to
 *	24	8	page number p
 *	32	4064	SC_CKPT_ENTRIES entries
 *
 * An entry is a little-endian u64: bits 0..39 the origin block, bits
 * 40..47 the flags (SC_CKPT_VALID, SC_CKPT_REF), bits 48..63 zero.  An
 * entry without SC_CKPT_VALID is all zero, and so is every entry past the
 * last cache block.
 *
 * A page is trusted only when sc_ckpt_check() accepts it: its checksum,
 * its place, a format_gen equal to the superblock's and a ckpt_gen not
 * above the superblock's (a page a later, unfinished checkpoint wrote is
 * never believed), every entry well formed.
 *
 * Pure code: no bios, no locks, no allocation; tests/unit/test_format.c
 * compiles it in user space.
 */
#ifndef DM_SWAPCACHE_CKPT_H
#define DM_SWAPCACHE_CKPT_H

#include <linux/types.h>

#define SC_CKPT_MAGIC		0x6b636373U	/* "scck" */
#define SC_CKPT_BYTES		4096U
#define SC_CKPT_SECTORS		(SC_CKPT_BYTES >> 9)
#define SC_CKPT_HDR_BYTES	32U
#define SC_CKPT_ENTRIES		((SC_CKPT_BYTES - SC_CKPT_HDR_BYTES) / 8)

/* Entry flags. */
#define SC_CKPT_VALID		0x01	/* the block holds the origin block */
#define SC_CKPT_REF		0x02	/* read since the cleaner last passed */
#define SC_CKPT_FLAGS		(SC_CKPT_VALID | SC_CKPT_REF)
#define SC_CKPT_OBLOCK_BITS	40

/* Where a page belongs, and what wrote it. */
struct sc_ckpt_hdr {
	u64 format_gen;
	u64 ckpt_gen;
	u64 page_no;
};

u64 sc_ckpt_pages(u64 data_blocks);
unsigned int sc_ckpt_page_entries(u64 data_blocks, u64 page_no);
void sc_ckpt_init(void *page, const struct sc_ckpt_hdr *h);
void sc_ckpt_set(void *page, unsigned int i, u64 oblock, unsigned int flags);
void sc_ckpt_seal(void *page);
int sc_ckpt_check(const void *page, const struct sc_ckpt_hdr *want,
		  unsigned int entries, u64 origin_blocks, u64 *ckpt_gen);
bool sc_ckpt_get(const void *page, unsigned int i, u64 *oblock,
		 unsigned int *flags);

#endif
