// SPDX-License-Identifier: GPL-2.0
/*
 * format.c - the superblock: its geometry, encoding, checks and the
 * choice between its two slots (see format.h).
 *
 * A slot, 4096 bytes, little-endian:
 *
 *	offset	size	field
 *	0	8	magic SC_SB_MAGIC
 *	8	4	crc32c of the slot, this field taken as zero
 *	12	4	version
 *	16	8	seq
 *	24	16	uuid
 *	40	4	state
 *	44	4	block_size
 *	48	8	format_gen
 *	56	8	ckpt_gen
 *	64	8	origin_sectors
 *	72	8	ssd_sectors
 *	80	8	ckpt_start
 *	88	8	ckpt_pages
 *	96	8	data_start
 *	104	8	data_blocks
 *	112	8	created
 *	120	8	bytes_written
 *	128	8	curburst
 *	136	64	origin_id
 *	200	8	origin_sample
 *	208	3888	zero
 *
 * Decoding is strict: every field must make sense on its own and with the
 * others, and the unused bytes must be zero, so that a later format can
 * use them under a new version number.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include "ckpt.h"
#include "map.h"
#include "ondisk.h"
#include "format.h"

#define SC_SB_OFF_MAGIC		0
#define SC_SB_OFF_CRC		8
#define SC_SB_OFF_VERSION	12
#define SC_SB_OFF_SEQ		16
#define SC_SB_OFF_UUID		24
#define SC_SB_OFF_STATE		40
#define SC_SB_OFF_BSIZE		44
#define SC_SB_OFF_FGEN		48
#define SC_SB_OFF_CGEN		56
#define SC_SB_OFF_OSECT		64
#define SC_SB_OFF_SSECT		72
#define SC_SB_OFF_CSTART	80
#define SC_SB_OFF_CPAGES	88
#define SC_SB_OFF_DSTART	96
#define SC_SB_OFF_DBLOCKS	104
#define SC_SB_OFF_CREATED	112
#define SC_SB_OFF_WRITTEN	120
#define SC_SB_OFF_BURST		128
#define SC_SB_OFF_ORIGIN_ID	136
#define SC_SB_OFF_SAMPLE	200
#define SC_SB_USED		(SC_SB_OFF_SAMPLE + 8)

/* The checksum of a slot, its own field taken as zero. */
#define sc_super_crc(p)	sc_crc_without(p, SC_SB_BYTES, SC_SB_OFF_CRC)

static bool sc_block_size_ok(u32 bs)
{
	return bs >= 512 && bs <= 4096 && !(bs & (bs - 1));
}

/* The data area's start for @blocks cache blocks. */
static u64 sc_data_start(u64 blocks)
{
	return round_up(SC_CKPT_START + sc_ckpt_pages(blocks) * SC_CKPT_SECTORS,
			(u64)SC_DATA_ALIGN);
}

/* @blocks cache blocks and their checkpoint fit on the device. */
static bool sc_fits(u64 blocks, u64 ssd_sectors, u64 spb)
{
	u64 start = sc_data_start(blocks);

	return start < ssd_sectors && (ssd_sectors - start) / spb >= blocks;
}

/**
 * sc_super_geometry() - lay out a cache device
 * @sb: its ssd_sectors, block_size, ckpt_* and data_* fields are set
 * @ssd_sectors: the cache device's size
 * @block_size: bytes, a power of two from 512 to 4096
 *
 * The data area gets the most cache blocks (at most SC_MAP_MAX_BLOCKS)
 * that fit after the slots and the checkpoint that describes them; the
 * same device and block size always get the same layout.
 *
 * Return: 0, -EINVAL for a bad block size, or -ENOSPC when not one
 * cache block fits.
 */
int sc_super_geometry(struct sc_super *sb, u64 ssd_sectors, u32 block_size)
{
	u64 spb, blocks, start;

	if (!sc_block_size_ok(block_size))
		return -EINVAL;
	spb = block_size >> 9;
	blocks = ssd_sectors > SC_CKPT_START ?
		 (ssd_sectors - SC_CKPT_START) / spb : 0;
	blocks = min_t(u64, blocks, SC_MAP_MAX_BLOCKS);
	/*
	 * Shrink until the blocks fit after their own checkpoint: fewer
	 * blocks never need a later data area, so this ends in two rounds
	 * (blocks = fit(b0) < b0 gives fit(blocks) >= fit(b0)).  Then grow
	 * while one more block still fits, which takes fewer than two
	 * alignment steps of blocks.
	 */
	while (blocks && !sc_fits(blocks, ssd_sectors, spb)) {
		start = sc_data_start(blocks);
		blocks = start < ssd_sectors ? (ssd_sectors - start) / spb : 0;
	}
	while (blocks && blocks < SC_MAP_MAX_BLOCKS &&
	       sc_fits(blocks + 1, ssd_sectors, spb))
		blocks++;
	if (!blocks)
		return -ENOSPC;
	sb->ssd_sectors = ssd_sectors;
	sb->block_size = block_size;
	sb->ckpt_start = SC_CKPT_START;
	sb->ckpt_pages = sc_ckpt_pages(blocks);
	sb->data_start = sc_data_start(blocks);
	sb->data_blocks = blocks;
	return 0;
}

/**
 * sc_super_encode() - one slot's bytes
 * @sb: the superblock; its origin_id must hold a NUL
 * @page: SC_SB_BYTES bytes, overwritten
 */
void sc_super_encode(const struct sc_super *sb, void *page)
{
	u8 *p = page;
	size_t idlen = strnlen(sb->origin_id, SC_ORIGIN_ID_LEN - 1);

	memset(p, 0, SC_SB_BYTES);
	sc_put64(p + SC_SB_OFF_MAGIC, SC_SB_MAGIC);
	sc_put32(p + SC_SB_OFF_VERSION, SC_FORMAT_VERSION);
	sc_put64(p + SC_SB_OFF_SEQ, sb->seq);
	memcpy(p + SC_SB_OFF_UUID, sb->uuid, sizeof(sb->uuid));
	sc_put32(p + SC_SB_OFF_STATE, sb->state);
	sc_put32(p + SC_SB_OFF_BSIZE, sb->block_size);
	sc_put64(p + SC_SB_OFF_FGEN, sb->format_gen);
	sc_put64(p + SC_SB_OFF_CGEN, sb->ckpt_gen);
	sc_put64(p + SC_SB_OFF_OSECT, sb->origin_sectors);
	sc_put64(p + SC_SB_OFF_SSECT, sb->ssd_sectors);
	sc_put64(p + SC_SB_OFF_CSTART, sb->ckpt_start);
	sc_put64(p + SC_SB_OFF_CPAGES, sb->ckpt_pages);
	sc_put64(p + SC_SB_OFF_DSTART, sb->data_start);
	sc_put64(p + SC_SB_OFF_DBLOCKS, sb->data_blocks);
	sc_put64(p + SC_SB_OFF_CREATED, sb->created);
	sc_put64(p + SC_SB_OFF_WRITTEN, sb->bytes_written);
	sc_put64(p + SC_SB_OFF_BURST, sb->curburst);
	memcpy(p + SC_SB_OFF_ORIGIN_ID, sb->origin_id, idlen);
	sc_put64(p + SC_SB_OFF_SAMPLE, sb->origin_sample);
	sc_put32(p + SC_SB_OFF_CRC, sc_super_crc(p));
}

/* The geometry is the one sc_super_geometry() makes, within the device. */
static bool sc_super_layout_ok(const struct sc_super *sb)
{
	u64 spb = sb->block_size >> 9;

	if (!sc_block_size_ok(sb->block_size) ||
	    sb->ckpt_start != SC_CKPT_START ||
	    !sb->data_blocks || sb->data_blocks > SC_MAP_MAX_BLOCKS ||
	    sb->ckpt_pages != sc_ckpt_pages(sb->data_blocks) ||
	    sb->data_start != sc_data_start(sb->data_blocks))
		return false;
	return sc_fits(sb->data_blocks, sb->ssd_sectors, spb);
}

/* The origin id is NUL-terminated and NUL-padded. */
static bool sc_origin_id_ok(const u8 *id)
{
	size_t len = strnlen((const char *)id, SC_ORIGIN_ID_LEN);
	size_t i;

	if (len == SC_ORIGIN_ID_LEN)
		return false;
	for (i = len; i < SC_ORIGIN_ID_LEN; i++)
		if (id[i])
			return false;
	return true;
}

static bool sc_zero(const u8 *p, size_t len)
{
	return !len || (!p[0] && !memcmp(p, p + 1, len - 1));
}

/**
 * sc_super_decode() - read and check one slot
 * @page: SC_SB_BYTES bytes read from the device
 * @sb: filled in when the slot is valid
 *
 * Return: 0 for a valid slot; -EILSEQ (no superblock), -EBADMSG (bad
 * checksum: a torn or damaged write), -EPROTO (another format version),
 * -EUCLEAN (the fields contradict each other).
 */
int sc_super_decode(const void *page, struct sc_super *sb)
{
	const u8 *p = page;
	struct sc_super s;

	if (sc_get64(p + SC_SB_OFF_MAGIC) != SC_SB_MAGIC)
		return -EILSEQ;
	if (sc_get32(p + SC_SB_OFF_CRC) != sc_super_crc(p))
		return -EBADMSG;
	if (sc_get32(p + SC_SB_OFF_VERSION) != SC_FORMAT_VERSION)
		return -EPROTO;
	memset(&s, 0, sizeof(s));
	s.seq = sc_get64(p + SC_SB_OFF_SEQ);
	memcpy(s.uuid, p + SC_SB_OFF_UUID, sizeof(s.uuid));
	s.state = sc_get32(p + SC_SB_OFF_STATE);
	s.block_size = sc_get32(p + SC_SB_OFF_BSIZE);
	s.format_gen = sc_get64(p + SC_SB_OFF_FGEN);
	s.ckpt_gen = sc_get64(p + SC_SB_OFF_CGEN);
	s.origin_sectors = sc_get64(p + SC_SB_OFF_OSECT);
	s.ssd_sectors = sc_get64(p + SC_SB_OFF_SSECT);
	s.ckpt_start = sc_get64(p + SC_SB_OFF_CSTART);
	s.ckpt_pages = sc_get64(p + SC_SB_OFF_CPAGES);
	s.data_start = sc_get64(p + SC_SB_OFF_DSTART);
	s.data_blocks = sc_get64(p + SC_SB_OFF_DBLOCKS);
	s.created = sc_get64(p + SC_SB_OFF_CREATED);
	s.bytes_written = sc_get64(p + SC_SB_OFF_WRITTEN);
	s.curburst = sc_get64(p + SC_SB_OFF_BURST);
	s.origin_sample = sc_get64(p + SC_SB_OFF_SAMPLE);
	if ((s.state != SC_SB_OPEN && s.state != SC_SB_CLEAN) ||
	    !sc_super_layout_ok(&s) ||
	    !sc_origin_id_ok(p + SC_SB_OFF_ORIGIN_ID) ||
	    !sc_zero(p + SC_SB_USED, SC_SB_BYTES - SC_SB_USED))
		return -EUCLEAN;
	memcpy(s.origin_id, p + SC_SB_OFF_ORIGIN_ID, SC_ORIGIN_ID_LEN);
	*sb = s;
	return 0;
}

/**
 * sc_super_select() - the superblock of a device, from its two slots
 * @slot_a: the first SC_SB_BYTES of the device
 * @slot_b: the next SC_SB_BYTES
 * @sb: set to the chosen slot's superblock
 *
 * The valid slot with the higher seq wins; on a tie (which the writer
 * never makes) slot A.
 *
 * Return: 0 or 1, the slot chosen; or slot A's error from
 * sc_super_decode() when neither is valid.
 */
int sc_super_select(const void *slot_a, const void *slot_b,
		    struct sc_super *sb)
{
	struct sc_super a, b;
	int ra = sc_super_decode(slot_a, &a);
	int rb = sc_super_decode(slot_b, &b);

	if (ra && rb)
		return ra;
	if (!ra && (rb || a.seq >= b.seq)) {
		*sb = a;
		return 0;
	}
	*sb = b;
	return 1;
}

/**
 * sc_super_classify() - what a device holds before it is used
 * @slot_a: the first SC_SB_BYTES of the device
 * @slot_b: the next SC_SB_BYTES
 * @sb: set to the superblock for SC_SB_OURS
 * @slot: set to the slot chosen for SC_SB_OURS
 *
 * Blank means both slots are all zero: a device with anything in its
 * first 8 KiB (a partition table, a file system, a damaged superblock in
 * both slots) is foreign and must not be formatted without being asked.
 * One valid slot is ours only when the other is valid too, all zero (the
 * first format's second write not made), or begins with the magic (a torn
 * write of ours): mkswap, for one, rewrites the first KiB and leaves the
 * second slot whole, and that device is not ours any more.  The caller
 * checks that a blank device is blank further on (super.c: its first MiB).
 *
 * Return: SC_SB_OURS, SC_SB_BLANK or SC_SB_FOREIGN.
 */
enum sc_sb_kind sc_super_classify(const void *slot_a, const void *slot_b,
				  struct sc_super *sb, int *slot)
{
	int r = sc_super_select(slot_a, slot_b, sb);
	const u8 *other = r ? slot_a : slot_b;

	if (r >= 0) {
		*slot = r;
		if (sc_zero(other, SC_SB_BYTES) ||
		    sc_get64(other + SC_SB_OFF_MAGIC) == SC_SB_MAGIC)
			return SC_SB_OURS;
		return SC_SB_FOREIGN;
	}
	if (sc_zero(slot_a, SC_SB_BYTES) && sc_zero(slot_b, SC_SB_BYTES))
		return SC_SB_BLANK;
	return SC_SB_FOREIGN;
}

/**
 * sc_super_misfit() - does the superblock's geometry fit this table?
 * @sb: a valid superblock
 * @ssd_sectors: the cache device's size now
 * @block_size: the table's block size, or 0 when the table gives none
 *
 * Return: NULL when it fits, or why not (for ti->error).
 */
const char *sc_super_misfit(const struct sc_super *sb, u64 ssd_sectors,
			    u32 block_size)
{
	if (block_size && block_size != sb->block_size)
		return "The cache device was formatted with another block_size";
	if (ssd_sectors != sb->ssd_sectors)
		return "The cache device's size changed since it was formatted";
	return NULL;
}

/**
 * sc_super_plan() - what a new table does with the cache device it found
 * @kind: sc_super_classify()'s verdict on the device
 * @old: the superblock found, for SC_SB_OURS
 * @ssd_sectors: the cache device's size now
 * @block_size: the table's block size
 * @format: the table says format
 * @reuse: set to true when @old's cache (UUID, ledger) carries on as it is
 *
 * A blank device is formatted; a foreign one, or a superblock of another
 * geometry, only when the table says format.
 *
 * Return: NULL, or why the table is refused (for ti->error).
 */
const char *sc_super_plan(enum sc_sb_kind kind, const struct sc_super *old,
			  u64 ssd_sectors, u32 block_size, bool format,
			  bool *reuse)
{
	const char *why = NULL;

	*reuse = false;
	if (kind == SC_SB_FOREIGN)
		return format ? NULL : SC_SB_FOREIGN_ERROR;
	if (kind != SC_SB_OURS)
		return NULL;
	why = sc_super_misfit(old, ssd_sectors, block_size);
	if (format)
		return NULL;
	*reuse = !why;
	return why;
}

/**
 * sc_super_stranger() - is the origin the one the cache was filled from?
 * @sb: a valid superblock
 * @origin_sectors: the origin's size now
 * @origin_id: the table's origin identity, "" when it gives none
 * @origin_sample: the checksum of the origin's first blocks now
 *
 * The sample catches an origin that was reformatted or replaced by one of
 * the same size while the cache was not attached: a new file system or
 * partition table rewrites the first blocks.
 *
 * Return: NULL when it is, or why not (for the log line of a cold start).
 */
const char *sc_super_stranger(const struct sc_super *sb, u64 origin_sectors,
			      const char *origin_id, u64 origin_sample)
{
	if (origin_sectors != sb->origin_sectors)
		return "the origin's size changed";
	if (strncmp(origin_id, sb->origin_id, SC_ORIGIN_ID_LEN))
		return "the origin's identity (origin_id) changed";
	if (origin_sample != sb->origin_sample)
		return "the origin's first blocks changed while it was detached";
	return NULL;
}
