#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Origin faults.  The origin is a dm device over a null_blk disk whose table
# is swapped (dmsetup suspend/reload/resume) under the swapcache device.
#
# Injects:
#  - origin read errors: an error target over 32 blocks of a 64-block
#    region the cache has never seen (same on 6.1 and 6.12);
#  - origin write errors: dm-flakey error_writes over the whole origin
#    (reads still work), writes of 64 KiB and 512 B over blocks the cache
#    holds; while the writes fail, new data is put on the origin directly
#    (behind the cache), so a cache that kept any copy, the old one or one
#    staged from the failed write, would be caught returning it.
#
# Asserts: read errors reach the caller (dd sees EIO), for a one-block read
# and for a read spanning good and failing blocks, while the good blocks
# read right; a failed read stages nothing (captured, field 7, and staged,
# field 3, do not grow) and after the origin recovers the blocks read what
# the origin holds; write errors reach the caller, stage nothing, and a
# read returns what the origin holds, not a cached copy; origin errors are
# not SSD errors (field 15 stays 0, state cache); after recovery every block
# of the fio-written area and of the fault regions verifies.
# timeout: 600
. /tests/lib.sh

mk_hdd hdd 128 || die "no origin"
mk_ssd 16 || die "no cache"
sc_mod dm-swapcache || die "module"
sc_mod dm-flakey || die "no dm-flakey"
HS=$(sectors /dev/hdd)
LIN="0 $HS linear /dev/hdd 0"
Y=20032		# read-fault region, blocks Y..Y+63 (64-aligned)
X=24000		# write-fault region, blocks X..X+31 (16-aligned)

# The read-fault region's data goes to the disk before the cache exists.
dd if=/dev/urandom of=/tmp/R bs=4k count=64 2>/dev/null
dd if=/tmp/R of=/dev/hdd bs=4k seek=$Y oflag=direct 2>/dev/null ||
	die "prepare"
for f in D1 D2 D3; do
	dd if=/dev/urandom of=/tmp/$f bs=4k count=32 2>/dev/null
done

dmsetup create org --table "$LIN" || die "no origin device"
ORG=$(dm_node org)
sc_create sc "$ORG" /dev/ram0 hysteresis 0 ram_budget 1 \
	accrate 1000000000 seq_cutoff 0 || die "create"
DEV=$(dm_node sc)

ktap_plan 12

# org_table: swap the origin's table, read from stdin.
org_table() {
	dmsetup suspend org && dmsetup reload org && dmsetup resume org
}
# rd BLOCK COUNT [BS]: read COUNT 4 KiB blocks of the swapcache device from
# BLOCK, direct, to stdout; dd's messages to /tmp/dd.err.
rd() {
	dd if="$DEV" bs=4k skip=$1 count=$2 iflag=direct 2>/tmp/dd.err
}
eio() { grep -qi 'input/output error' /tmp/dd.err || sed 's/^/# dd: /' /tmp/dd.err; }

fio --name=fill --filename="$DEV" --direct=1 --rw=write --bs=1M --size=64M \
    --ioengine=libaio --iodepth=4 --verify=crc32c --verify_interval=4k \
    --do_verify=0 >/dev/null 2>&1 || die "fill"

# Read errors.
printf '%s\n' "0 $(((Y + 32) * 8)) linear /dev/hdd 0" \
	"$(((Y + 32) * 8)) 256 error" \
	"$(((Y + 64) * 8)) $((HS - (Y + 64) * 8)) linear /dev/hdd $(((Y + 64) * 8))" |
	org_table || die "cannot fail origin reads"
c0=$(sc_stat sc 7)
s0=$(sc_stat sc 3)
rd $((Y + 40)) 1 >/dev/null
rc=$?
eio
ktap_check "a 4 KiB read of a failing origin block returns EIO (dd rc $rc)" \
	[ $rc -ne 0 -a $? -eq 0 ]
c1=$(sc_stat sc 7)
s1=$(sc_stat sc 3)
dd if="$DEV" bs=256k skip=$((Y / 64)) count=1 iflag=direct \
	of=/dev/null 2>/tmp/dd.err
rc=$?
eio
ktap_check "a 256 KiB read spanning good and failing blocks returns EIO (dd rc $rc)" \
	[ $rc -ne 0 -a $? -eq 0 ]
c2=$(sc_stat sc 7)
# Of the spanning read, only the 32 good blocks may be staged.
ktap_check "failed reads staged nothing (captured $c0 -> $c1 -> $c2, staged $s0 -> $s1)" \
	[ "$c1" -eq "$c0" -a "$s1" -le "$s0" -a $((c2 - c1)) -le 32 ]
rd $Y 32 >/tmp/got
dd if=/tmp/R bs=4k count=32 2>/dev/null | cmp - /tmp/got >/tmp/cmp.out 2>&1
rc=$?
[ $rc -eq 0 ] || sed 's/^/# /' /tmp/cmp.out /tmp/dd.err
ktap_check "the good blocks read right during the fault" [ $rc -eq 0 ]
echo "$LIN" | org_table || die "cannot restore the origin"
rd $Y 64 | cmp -s - /tmp/R && rd $Y 64 | cmp -s - /tmp/R
ktap_check "after recovery the failed blocks read what the origin holds" \
	[ $? -eq 0 ]

# Write errors.  D1 is written and read through the cache until it hits.
dd if=/tmp/D1 of="$DEV" bs=4k seek=$X oflag=direct 2>/dev/null ||
	die "write D1"
rd $X 32 >/dev/null
rd $X 32 >/dev/null
h0=$(($(sc_stat sc 4) + $(sc_stat sc 5)))
rd $X 32 | cmp -s - /tmp/D1 || die "D1 does not read back"
h1=$(($(sc_stat sc 4) + $(sc_stat sc 5)))
ktap_check "the blocks are cached before the fault (hits +$((h1 - h0)) of 32)" \
	[ $((h1 - h0)) -ge 16 ]
echo "0 $HS flakey /dev/hdd 0 0 3600 1 error_writes" | org_table ||
	die "cannot fail origin writes"
c0=$(sc_stat sc 7)
dd if=/tmp/D2 of="$DEV" bs=64k seek=$((X / 16)) count=1 oflag=direct \
	2>/tmp/dd.err
rc1=$?
eio
e1=$?
# busybox dd turns O_DIRECT off for a write the buffer alignment refuses:
# fio writes the 512 bytes, direct.
fio --name=w512 --filename="$DEV" --direct=1 --rw=write --bs=512 \
    --size=512 --offset=$(((X + 20) * 4096)) --ioengine=psync \
    >/tmp/dd.err 2>&1
rc2=$?
eio
ktap_check "64 KiB and 512 B writes that fail on the origin return EIO (dd rc $rc1, $rc2)" \
	[ $rc1 -ne 0 -a $e1 -eq 0 -a $rc2 -ne 0 -a $? -eq 0 ]
c1=$(sc_stat sc 7)
ktap_check "failed writes staged nothing (captured $c0 -> $c1)" \
	[ "$c1" -eq "$c0" ]
# The origin changes behind the cache where the failed writes went
# (blocks 0..15 and 20 of the region): only dropped copies read D3 there;
# the other blocks keep D1 on the origin and in the cache.
dd if=/tmp/D3 of=/dev/hdd bs=64k seek=$((X / 16)) count=1 oflag=direct \
	2>/dev/null || die "write D3"
dd if=/tmp/D3 of=/dev/hdd bs=4k seek=$((X + 20)) skip=20 count=1 \
	oflag=direct 2>/dev/null || die "write D3"
{ dd if=/tmp/D3 bs=4k count=16; dd if=/tmp/D1 bs=4k skip=16 count=4
  dd if=/tmp/D3 bs=4k skip=20 count=1; dd if=/tmp/D1 bs=4k skip=21
} >/tmp/D13 2>/dev/null
rd $X 32 >/tmp/got
cmp /tmp/got /tmp/D13 >/tmp/cmp.out 2>&1
rc=$?
[ $rc -eq 0 ] || sed 's/^/# /' /tmp/cmp.out
ktap_check "reads after the failed writes return what the origin holds" \
	[ $rc -eq 0 ]
echo "$LIN" | org_table || die "cannot restore the origin"
rd $X 32 | cmp -s - /tmp/D13 && rd $Y 64 | cmp -s - /tmp/R
ktap_check "after recovery the fault regions read right" [ $? -eq 0 ]
fio --name=all --filename="$DEV" --direct=1 --rw=read --bs=1M \
    --size=64M --ioengine=libaio --iodepth=4 --verify=crc32c \
    --verify_interval=4k --verify_only >/tmp/all.out 2>&1
ktap_check "after recovery all fio data verifies" [ $? -eq 0 ]
ktap_diag "status: $(dmsetup status sc)"
ktap_check "origin errors are not SSD errors ($(sc_stat sc 15), $(sc_stat sc 16))" \
	[ "$(sc_stat sc 15)" -eq 0 -a "$(sc_stat sc 16)" = cache ]
dmsetup remove sc
dmsetup remove org
ktap_done
