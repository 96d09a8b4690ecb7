#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An SSD read that fails is retried from the origin; here both the SSD read
# and the origin retry are split and chained, because every 4 KiB of the
# SSD and of the origin's first MiB is a linear target of its own.  The
# user's reads must verify (fio crc32c) with no oops, no early completion
# (a buffer returned before all its parts were read fails the crc) and no
# double completion.  The origin is a RAM disk: its pieces complete while
# the origin's dm device is still splitting, which is when a retry that
# reuses the completed clone completes it early (review finding 2,
# correctness-8b6ae5f).
# timeout: 180
. /tests/lib.sh

mk_ssd 32 2 || die "no RAM disks"
sc_mod dm-swapcache || die "module does not load"
HS=$(sectors /dev/ram1)
RS=$(sectors /dev/ram0)
# segs TARGET TOTAL UPTO: 8-sector TARGETs up to sector UPTO, then one.
segs() {
	awk -v t="$1" -v n="$2" -v u="$3" 'BEGIN {
		for (s = 0; s < u; s += 8) print s, 8, t == "error" ? t : t " " s
		if (u < n) print u, n - u, t == "error" ? t : t " " u }'
}
# The first 2 MiB of the SSD (where the first MiB lands) and the first MiB
# of the origin are split every 4 KiB.
segs "linear /dev/ram0" "$RS" 4096 | dmsetup create ssd2 || die "ssd2"
segs "linear /dev/ram1" "$HS" 2048 | dmsetup create hdd2 || die "hdd2"
S=$(dm_node ssd2)
H=$(dm_node hdd2)
dmsetup create sc --table "0 $HS swapcache $H $S 6 ram_budget 1 min_reads 1 hysteresis 0" ||
	die "create: $(dmesg | tail -n 3)"
D=$(dm_node sc)
klog_mark

ktap_plan 5

# The first MiB, written with crc32c headers every 4 KiB.
vfio() {
	fio --name=v --filename="$D" --direct=1 --bs=64k --size=1M \
	    --ioengine=libaio --iodepth=4 --verify=crc32c --verify_interval=4k \
	    "$@"
}
vfio --rw=write --do_verify=0 >/dev/null 2>&1 || die "fill"
# Warm it: staged, written to the SSD; then RAM is evicted by other reads.
for p in 1 2 3; do
	dd if="$D" of=/dev/null bs=64k count=16 iflag=direct 2>/dev/null
	sleep 1
done
for p in 1 2; do
	dd if="$D" of=/dev/null bs=4k skip=4096 count=1024 iflag=direct \
		2>/dev/null
done
sleep 3
h0=$(sc_stat sc 5)
dd if="$D" of=/dev/null bs=64k count=16 iflag=direct 2>/dev/null
h=$(($(sc_stat sc 5) - h0))
ktap_check "the first MiB is read from the split SSD before the fault ($h of 256 blocks)" \
	[ $h -ge 128 ]

dmsetup suspend ssd2 && segs error "$RS" 4096 | dmsetup load ssd2 &&
	dmsetup resume ssd2 || die "cannot fail the SSD"
vfio --rw=read --verify_only >/tmp/v.out 2>&1
rc=$?
[ $rc -eq 0 ] || grep -iE 'verify|error|bad' /tmp/v.out | head -n 10 |
	sed 's/^/# /'
ktap_diag "after: $(dmsetup status sc)"
ktap_check "reads over the failing split SSD verify (fio crc32c)" [ $rc -eq 0 ]
ktap_check "SSD errors were seen and retried ($(sc_stat sc 15))" \
	[ "$(sc_stat sc 15)" -gt 0 ]
want=$(dd if=/dev/ram1 bs=64k count=16 iflag=direct 2>/dev/null | md5sum)
got=$(dd if="$D" bs=64k count=16 iflag=direct 2>/dev/null | md5sum)
ktap_expect_eq "md5 of the first MiB equals the origin's" "$want" "$got"
n=$(klog | grep -cE 'BUG|Oops|WARNING|use-after-free')
ktap_expect_eq "no BUG, oops or warning in the kernel log" 0 "$n"
dmsetup remove sc
dmsetup remove ssd2
dmsetup remove hdd2
ktap_done
