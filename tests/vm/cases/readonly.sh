#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Read-only: a read-only table (dmsetup --readonly) still caches, since the
# SSD is the target's own and is opened read-write, while the device
# refuses writes; an SSD marked read-only (blockdev --setro) is refused,
# not written behind its flag (review finding 15).
# timeout: 240
. /tests/lib.sh

mk_hdd hdd 64 || die "no origin"
mk_ssd 16 1 || die "no cache"
sc_mod dm-swapcache || die "module"
HS=$(sectors /dev/hdd)
TABLE="0 $HS swapcache /dev/hdd /dev/ram0 6 hysteresis 0 ram_budget 1 min_reads 1"

ktap_plan 5

blockdev --setro /dev/ram0
klog_mark
dmsetup create ro --table "$TABLE" 2>/dev/null
rc=$?
[ $rc -eq 0 ] && dmsetup remove ro
ktap_check "an SSD marked read-only is refused" [ $rc -ne 0 ]
n=$(klog | grep -c "Cache device is read-only")
ktap_check "with its message in the log ($n)" [ "$n" -gt 0 ]
blockdev --setrw /dev/ram0

klog_mark
dmsetup create --readonly sc --table "$TABLE" || die "create --readonly"
D=$(dm_node sc)
for p in 1 2 3; do
	dd if="$D" of=/dev/null bs=64k count=64 iflag=direct 2>/dev/null
	sleep 1
done
dd if="$D" of=/dev/null bs=64k skip=256 count=64 iflag=direct 2>/dev/null
sleep 2
ktap_check "a read-only table caches on the SSD (used $(sc_used sc))" \
	[ "$(sc_used sc)" -gt 0 ]
dd if=/dev/zero of="$D" bs=4k count=1 oflag=direct 2>/dev/null
ktap_check "and refuses writes to the device" [ $? -ne 0 ]
n=$(klog | grep -c "read-only block-device")
ktap_expect_eq "no write to a read-only block device is logged" 0 "$n"
dmsetup remove sc
ktap_done
