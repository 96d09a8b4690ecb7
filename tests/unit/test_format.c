// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dm-swapcache/format.c (the superblock) and ckpt.c (the
 * checkpoint's pages), compiled in user space against the kernel shim
 * with ASan and UBSan.  Output is TAP.
 *
 *  - the shim's crc32c is the standard CRC-32C (the check value);
 *  - geometry: the data area is 1 MiB aligned, holds the most blocks its
 *    checkpoint leaves room for, fits the device, is the same every time;
 *    too small a device, a bad block size, the 2^32 - 1 block cap;
 *  - superblock: every field round-trips at its limits; a wrong magic,
 *    a flipped bit anywhere, another version, a bad state, a geometry
 *    that contradicts itself, an unterminated or unpadded origin_id and
 *    a non-zero unused byte are each refused;
 *  - slots: the valid one with the higher seq wins, a torn slot falls
 *    back to the other, neither valid is an error; blank (both slots
 *    zero), ours and foreign (a file system's first blocks, one zero slot
 *    beside garbage) are told apart;
 *  - misfit and stranger: each changed property is named;
 *  - checkpoint pages: entries round-trip at their limits, an entry set
 *    without VALID is empty, every check (magic, flipped bits, format
 *    generation, page number, a later checkpoint, a malformed entry, a
 *    used entry past the last block) refuses, an older generation is
 *    accepted and reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/crc32c.h>
#include "testlib.h"
#include "ckpt.h"
#include "format.h"
#include "map.h"

static u8 slot_a[SC_SB_BYTES], slot_b[SC_SB_BYTES];

static void test_crc(void)
{
	ok(~crc32c(~0U, "123456789", 9) == 0xe3069283U,
	   "crc32c of \"123456789\" is the CRC-32C check value");
}

/* The geometry's invariants for one device and block size. */
static int geometry_ok(u64 ssd, u32 bs)
{
	struct sc_super sb, again;
	u64 spb = bs >> 9;

	memset(&sb, 0, sizeof(sb));
	/* No room is right only when not one block fits at 1 MiB. */
	if (sc_super_geometry(&sb, ssd, bs))
		return ssd < SC_DATA_ALIGN + spb;
	memset(&again, 0, sizeof(again));
	sc_super_geometry(&again, ssd, bs);
	return sb.ckpt_start == SC_CKPT_START &&
	       sb.data_start % SC_DATA_ALIGN == 0 &&
	       sb.ckpt_pages == sc_ckpt_pages(sb.data_blocks) &&
	       sb.ckpt_start + sb.ckpt_pages * SC_CKPT_SECTORS <=
			sb.data_start &&
	       sb.data_start + sb.data_blocks * spb <= ssd &&
	       /* one more block would not fit with its checkpoint */
	       (sb.data_blocks == SC_MAP_MAX_BLOCKS ||
		round_up(SC_CKPT_START +
			 sc_ckpt_pages(sb.data_blocks + 1) * SC_CKPT_SECTORS,
			 (u64)SC_DATA_ALIGN) + (sb.data_blocks + 1) * spb > ssd) &&
	       !memcmp(&sb, &again, sizeof(sb));
}

static void test_geometry(void)
{
	static const u64 sizes[] = {
		2049, 4096, 8192, 100000, 1ULL << 21, (1ULL << 21) + 7,
		1ULL << 27, (1ULL << 31) + 12345, 1ULL << 37, 1ULL << 40,
	};
	static const u32 bss[] = { 512, 1024, 2048, 4096 };
	struct sc_super sb;
	unsigned int i, j, bad = 0;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		for (j = 0; j < ARRAY_SIZE(bss); j++)
			if (!geometry_ok(sizes[i], bss[j])) {
				bad++;
				diag("geometry of %llu sectors, %u B: wrong",
				     sizes[i], bss[j]);
			}
	ok(!bad, "geometry: aligned, fits, full, repeatable (%zu devices)",
	   ARRAY_SIZE(sizes) * ARRAY_SIZE(bss));
	memset(&sb, 0, sizeof(sb));
	sc_super_geometry(&sb, 1ULL << 21, 4096);	/* 1 GiB */
	ok(sb.data_start == 6144 && sb.data_blocks == 261376 &&
	   sb.ckpt_pages == 515,
	   "1 GiB at 4 KiB: 515 checkpoint pages, data at 3 MiB, 261376 blocks");
	ok(sc_super_geometry(&sb, 2048, 4096) == -ENOSPC &&
	   sc_super_geometry(&sb, 0, 4096) == -ENOSPC &&
	   sc_super_geometry(&sb, 2055, 4096) == -ENOSPC,
	   "no room for one block after the 1 MiB boundary: -ENOSPC");
	ok(!sc_super_geometry(&sb, 2056, 4096) && sb.data_blocks == 1,
	   "2056 sectors: one block");
	ok(sc_super_geometry(&sb, 1 << 21, 8192) == -EINVAL &&
	   sc_super_geometry(&sb, 1 << 21, 256) == -EINVAL &&
	   sc_super_geometry(&sb, 1 << 21, 3000) == -EINVAL,
	   "block sizes other than 512..4096, powers of two: -EINVAL");
	ok(!sc_super_geometry(&sb, 1ULL << 45, 4096) &&
	   sb.data_blocks == SC_MAP_MAX_BLOCKS && geometry_ok(1ULL << 45, 4096),
	   "16 PiB: capped at 2^32 - 1 blocks");
}

/* A superblock with every field set, seq @seq. */
static void make_super(struct sc_super *sb, u64 seq)
{
	unsigned int i;

	memset(sb, 0, sizeof(*sb));
	sc_super_geometry(sb, 1ULL << 21, 4096);
	sb->seq = seq;
	for (i = 0; i < sizeof(sb->uuid); i++)
		sb->uuid[i] = 0xa0 + i;
	sb->state = SC_SB_CLEAN;
	sb->format_gen = 7;
	sb->ckpt_gen = 42;
	sb->origin_sectors = 1ULL << 30;
	sb->created = 1796083200;
	sb->bytes_written = 123456789012ULL;
	sb->curburst = 987654321;
	strcpy(sb->origin_id, "wwn-0x5000c500a1b2c3d4");
	sb->origin_sample = 0x1234abcd;
}

static void test_roundtrip(void)
{
	struct sc_super sb, got;

	make_super(&sb, 5);
	sc_super_encode(&sb, slot_a);
	memset(&got, 0x55, sizeof(got));
	ok(!sc_super_decode(slot_a, &got) && !memcmp(&sb, &got, sizeof(sb)),
	   "every field round-trips");
	sb.seq = U64_MAX;
	sb.format_gen = U64_MAX;
	sb.ckpt_gen = U64_MAX;
	sb.origin_sectors = U64_MAX;
	sb.created = U64_MAX;
	sb.bytes_written = U64_MAX;
	sb.curburst = U64_MAX;
	sb.origin_sample = U64_MAX;
	memset(sb.origin_id, 'x', SC_ORIGIN_ID_LEN - 1);
	sb.origin_id[SC_ORIGIN_ID_LEN - 1] = 0;
	sc_super_encode(&sb, slot_a);
	ok(!sc_super_decode(slot_a, &got) && !memcmp(&sb, &got, sizeof(sb)),
	   "fields at their maxima, a 63-byte origin_id, round-trip");
	sb.origin_id[0] = 0;
	sb.state = SC_SB_OPEN;
	sc_super_encode(&sb, slot_a);
	ok(!sc_super_decode(slot_a, &got) && !got.origin_id[0] &&
	   got.state == SC_SB_OPEN, "an empty origin_id and OPEN round-trip");
}

/* Encode @sb, overwrite @len bytes at @off with @val (little-endian) and
 * fix the checksum: the decoder must see a well-sealed, wrong slot. */
static int decode_patched(const struct sc_super *sb, unsigned int off,
			  u64 val, unsigned int len)
{
	struct sc_super got;
	u32 crc;
	u8 *p = slot_a;

	sc_super_encode(sb, p);
	memcpy(p + off, &val, len);
	memset(p + 8, 0, 4);
	crc = ~crc32c(~0U, p, SC_SB_BYTES);
	memcpy(p + 8, &crc, 4);
	return sc_super_decode(p, &got);
}

static void test_refusals(void)
{
	struct sc_super sb, got;
	unsigned int i, missed = 0;

	make_super(&sb, 9);
	ok(decode_patched(&sb, 44, 4096, 4) == 0,
	   "the patching helper itself makes a valid slot");
	sc_super_encode(&sb, slot_a);
	slot_a[0] ^= 1;
	ok(sc_super_decode(slot_a, &got) == -EILSEQ, "wrong magic: -EILSEQ");
	for (i = 8; i < SC_SB_BYTES; i++) {
		sc_super_encode(&sb, slot_a);
		slot_a[i] ^= 1 << (i % 8);
		if (sc_super_decode(slot_a, &got) != -EBADMSG)
			missed++;
	}
	ok(!missed, "a flipped bit in any byte after the magic: -EBADMSG (%u missed)",
	   missed);
	ok(decode_patched(&sb, 12, 2, 4) == -EPROTO &&
	   decode_patched(&sb, 12, 0, 4) == -EPROTO,
	   "another format version: -EPROTO");
	ok(decode_patched(&sb, 40, 0, 4) == -EUCLEAN &&
	   decode_patched(&sb, 40, 3, 4) == -EUCLEAN, "a bad state: -EUCLEAN");
	ok(decode_patched(&sb, 44, 8192, 4) == -EUCLEAN &&
	   decode_patched(&sb, 44, 1000, 4) == -EUCLEAN,
	   "a bad block_size: -EUCLEAN");
	ok(decode_patched(&sb, 72, sb.data_start, 8) == -EUCLEAN &&
	   decode_patched(&sb, 72, sb.ssd_sectors - 1, 8) == -EUCLEAN,
	   "data past the end of the device: -EUCLEAN");
	ok(decode_patched(&sb, 80, 8, 8) == -EUCLEAN &&
	   decode_patched(&sb, 88, sb.ckpt_pages - 1, 8) == -EUCLEAN &&
	   decode_patched(&sb, 96, sb.data_start + 8, 8) == -EUCLEAN &&
	   decode_patched(&sb, 104, 0, 8) == -EUCLEAN &&
	   decode_patched(&sb, 104, sb.data_blocks * 100, 8) == -EUCLEAN,
	   "a checkpoint or data area that contradicts the rest: -EUCLEAN");
	ok(decode_patched(&sb, 104, sb.data_blocks - 1, 8) == 0,
	   "fewer data blocks with the same checkpoint: accepted");
	ok(decode_patched(&sb, 136 + 63, 'x', 1) == -EUCLEAN &&
	   decode_patched(&sb, 136 + 40, 'x', 1) == -EUCLEAN,
	   "an unterminated or unpadded origin_id: -EUCLEAN");
	ok(decode_patched(&sb, 208, 1, 1) == -EUCLEAN &&
	   decode_patched(&sb, SC_SB_BYTES - 1, 0x80, 1) == -EUCLEAN,
	   "a non-zero unused byte: -EUCLEAN");
}

static void test_select(void)
{
	struct sc_super a, b, got;
	int slot;

	make_super(&a, 10);
	make_super(&b, 11);
	b.state = SC_SB_OPEN;
	sc_super_encode(&a, slot_a);
	sc_super_encode(&b, slot_b);
	ok(sc_super_select(slot_a, slot_b, &got) == 1 && got.seq == 11,
	   "B newer: B");
	ok(sc_super_select(slot_b, slot_a, &got) == 0 && got.seq == 11,
	   "A newer: A");
	slot_b[300] ^= 4;	/* torn */
	ok(sc_super_select(slot_a, slot_b, &got) == 0 && got.seq == 10 &&
	   got.state == SC_SB_CLEAN, "newer slot torn: the older one");
	memset(slot_a + 2048, 0xff, 2048);	/* torn: half of it other data */
	ok(sc_super_select(slot_a, slot_b, &got) == -EBADMSG,
	   "both torn: an error");
	sc_super_encode(&b, slot_a);
	sc_super_encode(&b, slot_b);
	ok(sc_super_select(slot_a, slot_b, &got) == 0, "a tie: A");

	memset(slot_a, 0, sizeof(slot_a));
	memset(slot_b, 0, sizeof(slot_b));
	ok(sc_super_classify(slot_a, slot_b, &got, &slot) == SC_SB_BLANK,
	   "both slots zero: blank");
	slot_a[1024 + 0x38] = 0x53;	/* ext4's magic 0xef53 */
	slot_a[1024 + 0x39] = 0xef;
	ok(sc_super_classify(slot_a, slot_b, &got, &slot) == SC_SB_FOREIGN,
	   "an ext4 superblock at 1 KiB: foreign");
	memset(slot_a, 0, sizeof(slot_a));
	slot_b[17] = 1;
	ok(sc_super_classify(slot_a, slot_b, &got, &slot) == SC_SB_FOREIGN,
	   "slot A zero, slot B not: foreign");
	sc_super_encode(&a, slot_b);
	ok(sc_super_classify(slot_a, slot_b, &got, &slot) == SC_SB_OURS &&
	   slot == 1 && got.seq == 10, "slot A zero, B valid: ours, slot B");
	slot_b[5] ^= 1;
	ok(sc_super_classify(slot_a, slot_b, &got, &slot) == SC_SB_FOREIGN,
	   "no valid slot and not blank: foreign");
	sc_super_encode(&a, slot_b);
	slot_a[0] = 0xfe;	/* mkswap's first KiB, slot B still whole */
	ok(sc_super_classify(slot_a, slot_b, &got, &slot) == SC_SB_FOREIGN,
	   "B valid, A neither zero nor ours (mkswap over it): foreign");
	make_super(&b, 12);
	sc_super_encode(&b, slot_a);
	slot_a[300] ^= 4;	/* a torn write of ours: the magic stays */
	ok(sc_super_classify(slot_a, slot_b, &got, &slot) == SC_SB_OURS &&
	   slot == 1 && got.seq == 10, "B valid, A a torn slot of ours: ours");
	sc_super_encode(&a, slot_a);
	memset(slot_b, 0, sizeof(slot_b));
	slot_b[5] = 0x42;	/* md 1.2's superblock at 4 KiB */
	ok(sc_super_classify(slot_a, slot_b, &got, &slot) == SC_SB_FOREIGN,
	   "A valid, B something else: foreign");
}

static void test_misfit(void)
{
	struct sc_super sb;

	make_super(&sb, 1);
	ok(!sc_super_misfit(&sb, sb.ssd_sectors, 4096) &&
	   !sc_super_misfit(&sb, sb.ssd_sectors, 0),
	   "same geometry, or no block_size in the table: fits");
	ok(sc_super_misfit(&sb, sb.ssd_sectors, 512) != NULL,
	   "another block_size: misfit");
	ok(sc_super_misfit(&sb, sb.ssd_sectors + 8, 4096) != NULL &&
	   sc_super_misfit(&sb, sb.ssd_sectors - 8, 4096) != NULL,
	   "a grown or shrunk cache device: misfit");
	ok(!sc_super_stranger(&sb, 1ULL << 30, "wwn-0x5000c500a1b2c3d4",
			      0x1234abcd), "same origin: no stranger");
	ok(sc_super_stranger(&sb, (1ULL << 30) + 8, "wwn-0x5000c500a1b2c3d4",
			     0x1234abcd) != NULL &&
	   sc_super_stranger(&sb, 1ULL << 30, "wwn-0x5000c500a1b2c3d5",
			     0x1234abcd) != NULL &&
	   sc_super_stranger(&sb, 1ULL << 30, "", 0x1234abcd) != NULL &&
	   sc_super_stranger(&sb, 1ULL << 30, "wwn-0x5000c500a1b2c3d4",
			     0x1234abce) != NULL,
	   "another size, id, missing id or first blocks: a stranger");
}

static void test_plan(void)
{
	struct sc_super sb;
	const char *why;
	bool reuse;

	make_super(&sb, 1);
	ok(!sc_super_plan(SC_SB_BLANK, NULL, 1, 4096, false, &reuse) &&
	   !reuse, "blank: formatted, nothing reused");
	why = sc_super_plan(SC_SB_FOREIGN, NULL, 1, 4096, false, &reuse);
	ok(why && !strcmp(why, SC_SB_FOREIGN_ERROR) && !reuse,
	   "foreign without format: refused");
	ok(!sc_super_plan(SC_SB_FOREIGN, NULL, 1, 4096, true, &reuse) &&
	   !reuse, "foreign with format: formatted");
	ok(!sc_super_plan(SC_SB_OURS, &sb, sb.ssd_sectors, 4096, false,
			  &reuse) && reuse, "ours, same geometry: reused");
	ok(!sc_super_plan(SC_SB_OURS, &sb, sb.ssd_sectors, 4096, true,
			  &reuse) && !reuse,
	   "ours, same geometry, format: a new cache");
	why = sc_super_plan(SC_SB_OURS, &sb, sb.ssd_sectors, 512, false,
			    &reuse);
	ok(why && !strcmp(why, sc_super_misfit(&sb, sb.ssd_sectors, 512)) &&
	   !reuse, "ours, another block_size: refused with the misfit");
	ok(sc_super_plan(SC_SB_OURS, &sb, sb.ssd_sectors + 8, 4096, false,
			 &reuse) && !reuse, "ours, another size: refused");
	ok(!sc_super_plan(SC_SB_OURS, &sb, sb.ssd_sectors + 8, 512, true,
			  &reuse) && !reuse,
	   "ours, another geometry, format: a new cache");
}

static u8 page[SC_CKPT_BYTES];

static void fill_page(u64 fgen, u64 cgen, u64 page_no, unsigned int n)
{
	struct sc_ckpt_hdr h = { fgen, cgen, page_no };
	unsigned int i;

	sc_ckpt_init(page, &h);
	for (i = 0; i < n; i++)
		if (i % 3)
			sc_ckpt_set(page, i, (i * 0x9e3779b97f4aULL) &
				    (BIT_ULL(40) - 1),
				    SC_CKPT_VALID | (i % 2 ? SC_CKPT_REF : 0));
	sc_ckpt_seal(page);
}

static void test_ckpt(void)
{
	struct sc_ckpt_hdr want = { 7, 42, 3 };
	unsigned int i, flags, bad = 0, missed = 0;
	u64 oblock, gen = 0, origin = BIT_ULL(40);

	ok(SC_CKPT_ENTRIES == 508 && sc_ckpt_pages(0) == 0 &&
	   sc_ckpt_pages(1) == 1 && sc_ckpt_pages(508) == 1 &&
	   sc_ckpt_pages(509) == 2, "508 entries a page");
	ok(sc_ckpt_page_entries(1000, 0) == 508 &&
	   sc_ckpt_page_entries(1000, 1) == 492 &&
	   sc_ckpt_page_entries(1000, 2) == 0, "the last page is partial");
	fill_page(7, 42, 3, SC_CKPT_ENTRIES);
	ok(!sc_ckpt_check(page, &want, SC_CKPT_ENTRIES, origin, &gen) &&
	   gen == 42, "a sealed page passes its check");
	for (i = 0; i < SC_CKPT_ENTRIES; i++) {
		bool v = sc_ckpt_get(page, i, &oblock, &flags);

		if (v != !!(i % 3) ||
		    (v && (oblock != ((i * 0x9e3779b97f4aULL) &
				      (BIT_ULL(40) - 1)) ||
			   flags != (SC_CKPT_VALID |
				     (i % 2 ? SC_CKPT_REF : 0)))) ||
		    (!v && (oblock || flags)))
			bad++;
	}
	ok(!bad, "every entry reads back (%u wrong)", bad);
	sc_ckpt_set(page, 0, BIT_ULL(40) - 1, SC_CKPT_VALID);
	sc_ckpt_set(page, 1, 5, SC_CKPT_REF);
	sc_ckpt_seal(page);
	ok(sc_ckpt_get(page, 0, &oblock, &flags) && oblock == BIT_ULL(40) - 1 &&
	   !sc_ckpt_get(page, 1, &oblock, &flags) && !oblock && !flags &&
	   !sc_ckpt_check(page, &want, SC_CKPT_ENTRIES, origin, &gen),
	   "oblock 2^40 - 1 round-trips; set without VALID is empty");
	ok(sc_ckpt_check(page, &want, SC_CKPT_ENTRIES, BIT_ULL(40) - 1,
			 &gen) == -EUCLEAN,
	   "an oblock past the origin: -EUCLEAN");
	shim_reset();
	shim_warn_quiet = 1;
	sc_ckpt_set(page, 2, BIT_ULL(40), SC_CKPT_VALID);
	sc_ckpt_set(page, SC_CKPT_ENTRIES, 1, SC_CKPT_VALID);
	ok(shim_warn_count == 2 && !sc_ckpt_get(page, SC_CKPT_ENTRIES,
						&oblock, &flags) &&
	   shim_warn_count == 3 && sc_ckpt_get(page, 2, &oblock, &flags) &&
	   oblock == ((2 * 0x9e3779b97f4aULL) & (BIT_ULL(40) - 1)),
	   "out-of-range set and get warn, change nothing");
	shim_warn_quiet = 0;
	sc_ckpt_seal(page);
	ok(!sc_ckpt_check(page, &want, SC_CKPT_ENTRIES, origin, &gen),
	   "... and the page still checks");

	fill_page(7, 40, 3, 100);
	ok(!sc_ckpt_check(page, &want, 100, origin, &gen) && gen == 40,
	   "an older checkpoint's page is accepted, its generation reported");
	ok(sc_ckpt_check(page, &want, 98, origin, &gen) == -EUCLEAN,
	   "a used entry past the last block: -EUCLEAN");
	fill_page(7, 43, 3, 100);
	ok(sc_ckpt_check(page, &want, 100, origin, &gen) == -ESTALE,
	   "a later checkpoint's page: -ESTALE");
	fill_page(6, 42, 3, 100);
	ok(sc_ckpt_check(page, &want, 100, origin, &gen) == -ESTALE,
	   "another format generation: -ESTALE");
	fill_page(7, 42, 4, 100);
	ok(sc_ckpt_check(page, &want, 100, origin, &gen) == -ESTALE,
	   "another page's place: -ESTALE");
	fill_page(7, 42, 3, 100);
	page[0] ^= 1;
	ok(sc_ckpt_check(page, &want, 100, origin, &gen) == -EILSEQ,
	   "wrong magic: -EILSEQ");
	for (i = 4; i < SC_CKPT_BYTES; i++) {
		fill_page(7, 42, 3, 100);
		page[i] ^= 1 << (i % 8);
		if (sc_ckpt_check(page, &want, 100, origin, &gen) != -EBADMSG)
			missed++;
	}
	ok(!missed, "a flipped bit in any byte after the magic: -EBADMSG (%u missed)",
	   missed);
	fill_page(7, 42, 3, 100);
	memset(page + SC_CKPT_HDR_BYTES + 8 * 5 + 6, 0x01, 1);	/* bit 48 */
	sc_ckpt_seal(page);
	ok(sc_ckpt_check(page, &want, 100, origin, &gen) == -EUCLEAN,
	   "a reserved entry bit: -EUCLEAN");
	fill_page(7, 42, 3, 100);
	memset(page + SC_CKPT_HDR_BYTES + 8 * 3 + 5, 0x04, 1);	/* flags 4 */
	sc_ckpt_seal(page);
	ok(sc_ckpt_check(page, &want, 100, origin, &gen) == -EUCLEAN,
	   "an unknown flag without VALID: -EUCLEAN");
	fill_page(7, 42, 3, 100);
	memset(page + SC_CKPT_HDR_BYTES + 8 * 4 + 5, 0x05, 1);	/* flags 5 */
	sc_ckpt_seal(page);
	ok(sc_ckpt_check(page, &want, 100, origin, &gen) == -EUCLEAN,
	   "an unknown flag beside VALID: -EUCLEAN");
}

int main(void)
{
	tap_start();
	test_crc();
	test_geometry();
	test_roundtrip();
	test_refusals();
	test_select();
	test_misfit();
	test_plan();
	test_ckpt();
	return tap_done();
}
