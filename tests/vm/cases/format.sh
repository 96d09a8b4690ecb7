#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The cache device's superblock (Documentation/swapcache.rst, "The cache
# device's format"; issue 13, format safety and the wear ledger):
#  - a blank SSD is formatted at the first resume: both slots hold the
#    magic, the kernel log says so, the cache blocks start at 1 MiB (the
#    checkpoint area between stays zero while the SSD fills) and the
#    data read back through the device is the origin's;
#  - a new table over it (same block_size) is accepted without a format,
#    and the wear ledger (lifetime_written) goes on from what the last
#    suspend wrote, while write_count starts at 0;
#  - another block_size is refused, naming why, and the SSD is untouched;
#    with `format` it is accepted and the ledger kept;
#  - an SSD holding ext4 is refused, byte for byte untouched; with
#    `format` it is overwritten and `dmsetup table` gives `format` back;
#  - half ours is not ours: slot B valid with the first KiB rewritten (as
#    mkswap does) is refused, and so are blank slots with data at 64 KiB
#    (where btrfs keeps its superblock), both untouched;
#  - a torn newest slot: the older slot is used (its ledger); both slots
#    torn: refused as foreign;
#  - swapcache-ctl show-super decodes the slot in charge (the ledger the
#    status had at the suspend), names a torn slot, and exits 1 on ext4;
#  - an SSD written between `dmsetup load` and `resume` (1 MiB): the
#    resume leaves it untouched and runs degraded;
#  - a superblock write that fails (dm-flakey error_writes) leaves the
#    device degraded, serving the origin's data, not unusable.
# timeout: 300
. /tests/lib.sh

mk_hdd hdd 64 || die "no origin"
mk_ssd 16 4 || die "no cache"
sc_mod dm-swapcache || die "module"
H=/dev/hdd
S=/dev/ram0
dd if=/dev/urandom of=$H bs=1M count=16 oflag=direct 2>/dev/null

# magic DEV SLOT: the first 8 bytes of superblock slot SLOT (0 or 1).
magic() { dd if="$1" bs=4096 skip="$2" count=1 2>/dev/null | head -c 8; }
# seq DEV SLOT: the slot's sequence number (u64 at byte 16, little-endian).
seq_of() {
	dd if="$1" bs=4096 skip="$2" count=1 2>/dev/null |
		od -An -j16 -N8 -tu8 | tr -d ' '
}
sum() { md5sum <"$1" | cut -d' ' -f1; }
refused() {	# refused "what" "table" "message"
	klog_mark
	if dmsetup create fz --table "$2" 2>/dev/null; then
		dmsetup remove fz
		ktap_fail "$1: accepted"
	elif klog | grep -q "swapcache: $3"; then
		ktap_ok "$1"
	else
		klog | tail -n 3 | sed 's/^/# log: /'
		ktap_fail "$1"
	fi
}
HS=$(sectors $H)

ktap_plan 25

# 1. A blank SSD.
klog_mark
sc_create sc $H $S min_reads 1 hysteresis 0 accrate 100000000 || die "create"
DEV=$(dm_node sc)
ktap_check "a blank SSD is formatted (log)" \
	sh -c 'dmesg | grep -q "formatting the cache device"'
ktap_check "both slots hold the magic" \
	[ "$(magic $S 0)" = dmswpcch -a "$(magic $S 1)" = dmswpcch ]
ktap_expect_eq "meta_written after a format: both slots" 8192 \
	"$(sc_stat sc 34)"
# Warm the SSD: read 8 MiB twice, wait for the writer, read it again
# from the SSD.
sc_fill sc 8 1024
# A 1 MiB budget drops the staged copies: the next reads are SSD hits.
dmsetup message sc 0 ram_budget 1
sleep 2
h0=$(sc_stat sc 5)
a=$(dd if="$DEV" bs=1M count=8 iflag=direct 2>/dev/null | md5sum)
b=$(dd if=$H bs=1M count=8 iflag=direct 2>/dev/null | md5sum)
ktap_check "SSD hits ($h0 -> $(sc_stat sc 5)) read the origin's data" \
	[ "$a" = "$b" -a "$(sc_stat sc 5)" -gt "$h0" ]
meta=$(dd if=$S bs=512 skip=16 count=2032 2>/dev/null | tr -d '\000' | wc -c)
data=$(dd if=$S bs=512 skip=2048 count=2048 2>/dev/null | tr -d '\000' | wc -c)
ktap_check "cache blocks from 1 MiB on ($data bytes), none below ($meta)" \
	[ "$meta" -eq 0 -a "$data" -gt 0 ]
dmsetup suspend sc
wc1=$(sc_stat sc 11)
lt1=$(sc_stat sc 35)
m1=$(sc_stat sc 34)
ktap_diag "table 1: write_count $wc1 meta_written $m1 lifetime $lt1"
swapcache-ctl show-super $S >/tmp/super 2>&1
rc=$?
sed 's/^/# /' /tmp/super
ktap_check "show-super: the ledger and geometry the status has (rc $rc)" \
	sh -c "[ $rc = 0 ] && grep -q '^bytes_written: *$lt1 ' /tmp/super &&
	       grep -q '^block_size: *4096 bytes' /tmp/super &&
	       grep -q '^data: *$(sc_stat sc 2 | cut -d/ -f2) blocks from sector 2048' /tmp/super &&
	       grep -q '^state: *clean' /tmp/super"
dmsetup remove sc

# 2. The same geometry again: the ledger continues.
klog_mark
sc_create sc $H $S || die "second create"
wc2=$(sc_stat sc 11)
lt2=$(sc_stat sc 35)
ktap_check "no format the second time" \
	sh -c '! dmesg | grep -q "formatting the cache device"'
ktap_expect_eq "lifetime_written goes on (previous + this resume's 4 KiB + write_count)" \
	"$lt1" "$((lt2 - 4096 - wc2))"
dmsetup remove sc

# 3. Another block_size: refused, untouched; with format, accepted.
s0=$(sum $S)
refused "another block_size is refused" \
	"0 $HS swapcache $H $S 2 block_size 512" \
	"The cache device was formatted with another block_size"
ktap_expect_eq "the refused SSD is untouched" "$s0" "$(sum $S)"
sc_create sc $H $S block_size 512 format || die "format create"
ktap_check "format over another block_size keeps the ledger ($(sc_stat sc 35) > $lt1)" \
	[ "$(sc_stat sc 35)" -gt "$lt1" ]
dmsetup remove sc

# 3b. Half ours is not ours: the first KiB rewritten (as mkswap does) with
# slot B whole; and blank slots with data at 64 KiB (btrfs's superblock).
dd if=/dev/urandom of=$S bs=1024 count=1 conv=notrunc 2>/dev/null
s0=$(sum $S)
refused "slot B ours, the first KiB something else: refused" \
	"0 $HS swapcache $H $S 2 block_size 512" \
	"Cache device holds data that is not a swapcache superblock"
ktap_expect_eq "that SSD is untouched" "$s0" "$(sum $S)"
dd if=/dev/zero of=$S bs=8192 count=1 conv=notrunc 2>/dev/null
dd if=/dev/urandom of=$S bs=4096 seek=16 count=1 conv=notrunc 2>/dev/null
s0=$(sum $S)
refused "blank slots, data at 64 KiB: refused" "0 $HS swapcache $H $S" \
	"Cache device holds data that is not a swapcache superblock"
ktap_expect_eq "that SSD is untouched" "$s0" "$(sum $S)"

# 4. ext4 on the SSD: refused and untouched; format overwrites it.
R=/dev/ram1
mkfs.ext4 -q -F -b 4096 $R >/dev/null 2>&1 || die "mkfs.ext4"
s1=$(sum $R)
refused "an SSD holding ext4 is refused" \
	"0 $HS swapcache $H $R" \
	"Cache device holds data that is not a swapcache superblock"
ktap_expect_eq "the ext4 SSD is untouched" "$s1" "$(sum $R)"
swapcache-ctl show-super $R >/tmp/super 2>&1
rc=$?
ktap_check "show-super on ext4: exit 1, no swapcache superblock (rc $rc)" \
	sh -c "[ $rc = 1 ] && grep -q '^no swapcache superblock' /tmp/super"
sc_create sc $H $R format || die "format over ext4"
ktap_check "format overwrote ext4: slot 0 holds the magic; dmsetup table says format" \
	sh -c "[ \"\$(dd if=$R bs=8 count=1 2>/dev/null)\" = dmswpcch ] &&
	       dmsetup table sc | grep -q ' 1 format\$'"
dmsetup remove sc

# 5. Torn slots, on R: the newer slot (higher seq) gets a bad sector.
q0=$(seq_of $R 0) q1=$(seq_of $R 1)
ktap_diag "slot sequence numbers: $q0 $q1"
[ -n "$q0" -a -n "$q1" ] || die "cannot read the sequence numbers"
new=1; [ "$q0" -gt "$q1" ] && new=0
old=$((1 - new))
dd if=/dev/urandom of=$R bs=512 seek=$((new * 8 + 2)) count=1 conv=notrunc \
	2>/dev/null
swapcache-ctl show-super $R >/tmp/super 2>&1
sed 's/^/# /' /tmp/super | head -n 2
ktap_check "show-super: the torn slot has a bad checksum" \
	grep -q "^slot $new: *bad checksum" /tmp/super
klog_mark
sc_create sc $H $R || die "torn newest slot refused"
ktap_check "a torn newest slot: the older is used (no format)" \
	sh -c '! dmesg | grep -q "formatting the cache device"'
dmsetup remove sc
dd if=/dev/urandom of=$R bs=512 seek=2 count=1 conv=notrunc 2>/dev/null
dd if=/dev/urandom of=$R bs=512 seek=10 count=1 conv=notrunc 2>/dev/null
refused "both slots torn: refused as foreign" "0 $HS swapcache $H $R" \
	"Cache device holds data that is not a swapcache superblock"

# 5b. Written between load and resume: the resume formats nothing.
R3=/dev/ram3
dmsetup create late --notable || die "notable"
dmsetup load late --table "0 $HS swapcache $H $R3" || die "load"
# mke2fs refuses a device a table holds; dd does not.
dd if=/dev/urandom of=$R3 bs=64k count=16 oflag=direct 2>/dev/null ||
	die "dd late"
s3=$(sum $R3)
dmsetup resume late || die "resume late"
ktap_check "written between load and resume: untouched, $(sc_stat late 16)" \
	[ "$s3" = "$(sum $R3)" -a "$(sc_stat late 16)" = degraded ]
dmsetup remove late
ktap_expect_eq "... and after remove" "$s3" "$(sum $R3)"

# 6. The superblock write fails: degraded, the origin's data served.
R2=/dev/ram2
sc_mod dm-flakey || die "no dm-flakey"
dmsetup create bad --table \
	"0 $(sectors $R2) flakey $R2 0 0 1 1 error_writes" || die "flakey"
sc_create sc $H "$(dm_node bad)" || die "create over failing writes"
DEV=$(dm_node sc)
a=$(dd if="$DEV" bs=1M count=4 iflag=direct 2>/dev/null | md5sum)
b=$(dd if=$H bs=1M count=4 iflag=direct 2>/dev/null | md5sum)
ktap_check "a failed superblock write: $(sc_stat sc 16), ssd_errors $(sc_stat sc 15), data the origin's" \
	[ "$(sc_stat sc 16)" = degraded -a "$a" = "$b" ]
dmsetup remove sc
dmsetup remove bad
ktap_done
