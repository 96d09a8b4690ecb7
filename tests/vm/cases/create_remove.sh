#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 100 create/read/write/remove cycles leave nothing behind: no staged block
# outlives its device, slab caches and MemAvailable do not move beyond the
# noise (checked over the first and the second half of the cycles, so a
# leak that only shows in a long run shows), rmmod is refused while a
# device exists and succeeds after, and the module loads again.
# SC_CYCLES sets the number of cycles (even; default 100).
# timeout: 600
. /tests/lib.sh

mk_hdd hdd 64 || die "no origin"
# A 1 GiB SSD (null_blk allocates its memory only when written) makes the
# per-device map 3.3 MB, so a leaked map (165 MB in 50 cycles) shows far
# above the noise of MemAvailable, which moved by up to 20 MB either way
# in clean runs on 6.1.
mk_fast_ssd ssd 1024 || die "no cache"

cycle() {
	sc_create sc /dev/hdd /dev/ssd || return 1
	local dev
	dev=$(dm_node sc)
	# Reads are staged (captured), then a write invalidates some.
	dd if="$dev" of=/dev/null bs=64k count=16 iflag=direct 2>/dev/null &&
	dd if=/dev/zero of="$dev" bs=4k count=4 oflag=direct \
		seek=$(($1 * 4)) 2>/dev/null &&
	dmsetup status sc >/dev/null &&
	dmsetup remove sc
}

ktap_plan 12

# Warm up: the first cycles grow kernel caches (dm minors, gendisks,
# sysfs) to their steady state; a leak keeps growing after that.
i=0
while [ $i -lt 10 ]; do
	cycle $i || die "warm-up cycle failed"
	i=$((i + 1))
done
CYCLES=${SC_CYCLES:-100}
HALF=$((CYCLES / 2))
drop_caches
mem0=$(mem_available_kb)
slab_snapshot /tmp/slab0
ok=1
i=1
while [ $i -le $CYCLES ]; do
	cycle $i || { ok=0; break; }
	if [ $i = $HALF ]; then
		drop_caches
		memh=$(mem_available_kb)
		slab_snapshot /tmp/slabh
	fi
	i=$((i + 1))
done
ktap_check "$CYCLES create/remove cycles" [ $ok = 1 ]
drop_caches
sleep 1
mem1=$(mem_available_kb)
slab_snapshot /tmp/slab1
grown=$(slab_growth /tmp/slab0 /tmp/slab1 2>/tmp/grown)
sed 's/^/# /' /tmp/grown
# The second half alone: a steady leak grows there as in the first.
grown2=$(slab_growth /tmp/slabh /tmp/slab1 2>/dev/null)
ktap_diag "MemAvailable $mem0 -> $memh -> $mem1 kB, slab growth $grown bytes ($grown2 in the second half)"
ktap_check "MemAvailable did not drop by more than 64 MiB" \
	[ $((mem0 - mem1)) -lt 65536 ]
ktap_check "MemAvailable did not drop by more than 32 MiB in the second half" \
	[ $((memh - mem1)) -lt 32768 ]
# Clean runs grow them by 0 bytes: the limits catch a leak of 160 bytes
# a cycle.
ktap_check "kmalloc caches grew by less than 16 KiB in $CYCLES cycles ($grown)" \
	[ "$grown" -lt 16384 ]
ktap_check "kmalloc caches grew by less than 8 KiB in the last $HALF ($grown2)" \
	[ "$grown2" -lt 8192 ]
sc_create sc /dev/hdd /dev/ssd || die "create failed"
dd if="$(dm_node sc)" of=/dev/null bs=64k count=16 iflag=direct 2>/dev/null
staged=$(sc_stat sc 3)
ktap_check "reads were staged while the device lived ($staged)" \
	[ "$staged" -gt 0 ]

ktap_check "rmmod refused while a device exists" \
	sh -c '! rmmod dm_swapcache 2>/dev/null'
dmsetup remove sc
klog_mark
ktap_check "rmmod succeeds after remove" rmmod dm_swapcache
# Destroying a slab cache with live objects makes SLUB report them.
ktap_check "no staged block outlived its device (slab cache empty)" \
	sh -c '! dmesg | grep -q "Objects remaining"'
ktap_check "module gone from /sys/module" [ ! -d /sys/module/dm_swapcache ]
ktap_expect_eq "its slab cache is gone too" -1 \
	"$(slab_active dm_swapcache_stage)"
ktap_check "module loads and creates again" cycle 0
ktap_done
