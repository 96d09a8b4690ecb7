// SPDX-License-Identifier: GPL-2.0
/*
 * warm.c - the checkpoint pages a save writes and the entries a load
 * believes (see warm.h).
 */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/string.h>
#include "warm.h"

/* The bit of @oblock: a multiplicative hash, the top SC_WARM_BITS bits. */
static unsigned long sc_warm_bit(u64 oblock)
{
	return (oblock * 0x9e3779b97f4a7c15ULL) >> (64 - SC_WARM_BITS);
}

/**
 * sc_warm_note_write() - blocks [@first, @first + @count) are written
 * @written: the bitmap, SC_WARM_BYTES
 * @first: the first origin block
 * @count: blocks; one bio covers at most SC_MAX_DISCARD_BLOCKS
 */
void sc_warm_note_write(unsigned long *written, u64 first, u64 count)
{
	u64 i;

	if (count >= BIT(SC_WARM_BITS)) {
		memset(written, 0xff, SC_WARM_BYTES);
		return;
	}
	for (i = 0; i < count; i++)
		__set_bit(sc_warm_bit(first + i), written);
}

/**
 * sc_warm_was_written() - may @oblock have been written during the load?
 * @written: the bitmap
 * @oblock: the origin block
 *
 * Return: true when it, or a block sharing its bit, was.
 */
bool sc_warm_was_written(const unsigned long *written, u64 oblock)
{
	return test_bit(sc_warm_bit(oblock), written);
}

/**
 * sc_warm_fill() - describe the map's cblocks of one page
 * @m: the map; caller holds its lock
 * @page: SC_CKPT_BYTES bytes, filled and sealed
 * @h: the page's generations and number
 * @entries: entries in use in the page (sc_ckpt_page_entries())
 */
void sc_warm_fill(const struct sc_map *m, void *page,
		  const struct sc_ckpt_hdr *h, unsigned int entries)
{
	u64 cb = h->page_no * SC_CKPT_ENTRIES, oblock;
	unsigned int i;
	bool ref;

	sc_ckpt_init(page, h);
	for (i = 0; i < entries; i++)
		if (sc_map_entry(m, cb + i, &oblock, &ref))
			sc_ckpt_set(page, i, oblock, SC_CKPT_VALID |
				    (ref ? SC_CKPT_REF : 0));
	sc_ckpt_seal(page);
}

/**
 * sc_warm_restore() - believe one page's entries
 * @m: the map; caller holds its lock
 * @written: the bitmap of blocks written during the load
 * @page: a page sc_ckpt_check() accepted
 * @page_no: its number
 * @entries: entries in use in it
 * @c: counts, added to
 *
 * The page's group is left unchanged (sc_map_group_set()) only when the
 * map now records its cblocks exactly as the page does: every entry
 * restored, and no copy in the group the page does not list.  Otherwise
 * the next save rewrites the page.
 */
void sc_warm_restore(struct sc_map *m, const unsigned long *written,
		     const void *page, u64 page_no, unsigned int entries,
		     struct sc_warm_count *c)
{
	u64 cb = page_no * SC_CKPT_ENTRIES, oblock, ob;
	unsigned int i, flags;
	bool same = true, ref;

	for (i = 0; i < entries; i++) {
		if (!sc_ckpt_get(page, i, &oblock, &flags)) {
			if (sc_map_entry(m, cb + i, &ob, &ref))
				same = false;
			continue;
		}
		if (sc_warm_was_written(written, oblock)) {
			c->written++;
			same = false;
		} else if (sc_map_restore(m, cb + i, oblock,
					  flags & SC_CKPT_REF)) {
			c->restored++;
		} else {
			c->refused++;
			same = false;
		}
	}
	sc_map_group_set(m, page_no, !same);
}
