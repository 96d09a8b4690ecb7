// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt.c - encode and check the checkpoint's pages (see ckpt.h).
 *
 * Fields are read and written byte-wise through sc_ckpt_put*() and
 * sc_ckpt_get*(), so a page needs no alignment and the layout is the same
 * on every CPU.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include "ckpt.h"
#include "ondisk.h"

#define SC_CKPT_OFF_MAGIC	0
#define SC_CKPT_OFF_CRC		4
#define SC_CKPT_OFF_FGEN	8
#define SC_CKPT_OFF_CGEN	16
#define SC_CKPT_OFF_PAGE	24

/* The checksum of a page, its own field taken as zero. */
#define sc_ckpt_crc(p)	sc_crc_without(p, SC_CKPT_BYTES, SC_CKPT_OFF_CRC)

/**
 * sc_ckpt_pages() - the checkpoint's size
 * @data_blocks: cache blocks it describes
 *
 * Return: pages of SC_CKPT_ENTRIES entries that hold @data_blocks.
 */
u64 sc_ckpt_pages(u64 data_blocks)
{
	return DIV_ROUND_UP_ULL(data_blocks, SC_CKPT_ENTRIES);
}

/**
 * sc_ckpt_page_entries() - entries in use in one page
 * @data_blocks: cache blocks of the checkpoint
 * @page_no: the page
 *
 * Return: SC_CKPT_ENTRIES, fewer in the last page, 0 past it.
 */
unsigned int sc_ckpt_page_entries(u64 data_blocks, u64 page_no)
{
	u64 first;

	if (page_no >= sc_ckpt_pages(data_blocks))
		return 0;
	first = page_no * SC_CKPT_ENTRIES;
	return min_t(u64, data_blocks - first, SC_CKPT_ENTRIES);
}

/**
 * sc_ckpt_init() - start a page: every entry empty
 * @page: SC_CKPT_BYTES bytes
 * @h: its generations and number
 *
 * The page is unsealed: sc_ckpt_seal() once its entries are set.
 */
void sc_ckpt_init(void *page, const struct sc_ckpt_hdr *h)
{
	u8 *p = page;

	memset(p, 0, SC_CKPT_BYTES);
	sc_put32(p + SC_CKPT_OFF_MAGIC, SC_CKPT_MAGIC);
	sc_put64(p + SC_CKPT_OFF_FGEN, h->format_gen);
	sc_put64(p + SC_CKPT_OFF_CGEN, h->ckpt_gen);
	sc_put64(p + SC_CKPT_OFF_PAGE, h->page_no);
}

/**
 * sc_ckpt_set() - describe one cache block
 * @page: a page made by sc_ckpt_init()
 * @i: the entry, below SC_CKPT_ENTRIES
 * @oblock: the origin block the cache block holds, below 2^40
 * @flags: SC_CKPT_* flags; without SC_CKPT_VALID the entry is left empty
 */
void sc_ckpt_set(void *page, unsigned int i, u64 oblock, unsigned int flags)
{
	u8 *e = (u8 *)page + SC_CKPT_HDR_BYTES + 8 * i;
	u64 v = 0;

	if (WARN_ON_ONCE(i >= SC_CKPT_ENTRIES ||
			 oblock >> SC_CKPT_OBLOCK_BITS))
		return;
	if (flags & SC_CKPT_VALID)
		v = oblock | (u64)(flags & SC_CKPT_FLAGS) << SC_CKPT_OBLOCK_BITS;
	sc_put64(e, v);
}

/**
 * sc_ckpt_seal() - checksum a page, after its last sc_ckpt_set()
 * @page: the page
 */
void sc_ckpt_seal(void *page)
{
	u8 *p = page;

	sc_put32(p + SC_CKPT_OFF_CRC, sc_ckpt_crc(p));
}

/* One entry is well formed: known flags, empty when not valid, in range. */
static bool sc_ckpt_entry_ok(u64 v, u64 origin_blocks)
{
	u64 flags = v >> SC_CKPT_OBLOCK_BITS;
	u64 oblock = v & (BIT_ULL(SC_CKPT_OBLOCK_BITS) - 1);

	if (!(flags & SC_CKPT_VALID))
		return v == 0;
	return !(flags & ~(u64)SC_CKPT_FLAGS) && oblock < origin_blocks;
}

/**
 * sc_ckpt_check() - may this page be believed?
 * @page: SC_CKPT_BYTES bytes read from the SSD
 * @want: the superblock's format_gen and ckpt_gen, the page's number
 * @entries: entries in use in the page (sc_ckpt_page_entries())
 * @origin_blocks: the origin's size in blocks
 * @ckpt_gen: set to the page's ckpt_gen when it is accepted
 *
 * Return: 0 when the magic, checksum, page number and format_gen match,
 * its ckpt_gen is at most @want's, and every entry is well formed (the
 * ones past @entries empty); -EILSEQ (not a checkpoint page), -EBADMSG
 * (checksum), -ESTALE (another page, format or a later checkpoint), or
 * -EUCLEAN (a malformed entry).
 */
int sc_ckpt_check(const void *page, const struct sc_ckpt_hdr *want,
		  unsigned int entries, u64 origin_blocks, u64 *ckpt_gen)
{
	const u8 *p = page;
	u64 gen;
	unsigned int i;

	if (sc_get32(p + SC_CKPT_OFF_MAGIC) != SC_CKPT_MAGIC)
		return -EILSEQ;
	if (sc_get32(p + SC_CKPT_OFF_CRC) != sc_ckpt_crc(p))
		return -EBADMSG;
	gen = sc_get64(p + SC_CKPT_OFF_CGEN);
	if (sc_get64(p + SC_CKPT_OFF_FGEN) != want->format_gen ||
	    sc_get64(p + SC_CKPT_OFF_PAGE) != want->page_no ||
	    gen > want->ckpt_gen)
		return -ESTALE;
	for (i = 0; i < SC_CKPT_ENTRIES; i++) {
		u64 v = sc_get64(p + SC_CKPT_HDR_BYTES + 8 * i);

		if (i >= entries ? v != 0 : !sc_ckpt_entry_ok(v, origin_blocks))
			return -EUCLEAN;
	}
	*ckpt_gen = gen;
	return 0;
}

/**
 * sc_ckpt_get() - one entry of a page sc_ckpt_check() accepted
 * @page: the page
 * @i: the entry, below SC_CKPT_ENTRIES
 * @oblock: set to the origin block
 * @flags: set to the SC_CKPT_* flags
 *
 * Return: whether the entry describes a valid copy.
 */
bool sc_ckpt_get(const void *page, unsigned int i, u64 *oblock,
		 unsigned int *flags)
{
	u64 v;

	if (WARN_ON_ONCE(i >= SC_CKPT_ENTRIES))
		return false;
	v = sc_get64((const u8 *)page + SC_CKPT_HDR_BYTES + 8 * i);
	*oblock = v & (BIT_ULL(SC_CKPT_OBLOCK_BITS) - 1);
	*flags = v >> SC_CKPT_OBLOCK_BITS;
	return *flags & SC_CKPT_VALID;
}
