#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 50 create/read/write/remove cycles leave nothing behind: rmmod is refused
# while a device exists and succeeds after, memory does not grow, and the
# module loads again.
# timeout: 600
. /tests/lib.sh

mk_hdd hdd 64 || die "no origin"
mk_ssd 16 || die "no cache"

cycle() {
	sc_create sc /dev/hdd /dev/ram0 || return 1
	local dev
	dev=$(dm_node sc)
	dd if="$dev" of=/dev/null bs=64k count=16 iflag=direct 2>/dev/null &&
	dd if=/dev/zero of="$dev" bs=4k count=4 oflag=direct \
		seek=$(($1 * 4)) 2>/dev/null &&
	dmsetup status sc >/dev/null &&
	dmsetup remove sc
}

ktap_plan 7

# Warm up: the first cycles grow kernel caches (dm minors, gendisks,
# sysfs) to their steady state; a leak keeps growing after that.
i=0
while [ $i -lt 10 ]; do
	cycle $i || die "warm-up cycle failed"
	i=$((i + 1))
done
drop_caches
mem0=$(mem_available_kb)
slab0=$(sunreclaim_kb)
ok=1
i=1
while [ $i -le 50 ]; do
	cycle $i || { ok=0; break; }
	i=$((i + 1))
done
ktap_check "50 create/remove cycles" [ $ok = 1 ]
drop_caches
mem1=$(mem_available_kb)
slab1=$(sunreclaim_kb)
ktap_diag "MemAvailable $mem0 -> $mem1 kB, SUnreclaim $slab0 -> $slab1 kB"
ktap_check "MemAvailable did not drop by more than 2 MiB" \
	[ $((mem0 - mem1)) -lt 2048 ]
ktap_check "unreclaimable slab did not grow by more than 256 KiB" \
	[ $((slab1 - slab0)) -lt 256 ]

sc_create sc /dev/hdd /dev/ram0 || die "create failed"
ktap_check "rmmod refused while a device exists" \
	sh -c '! rmmod dm_swapcache 2>/dev/null'
dmsetup remove sc
ktap_check "rmmod succeeds after remove" rmmod dm_swapcache
ktap_check "module gone from /sys/module" [ ! -d /sys/module/dm_swapcache ]
ktap_check "module loads and creates again" cycle 0
ktap_done
