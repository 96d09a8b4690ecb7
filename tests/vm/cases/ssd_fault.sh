#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The SSD fails under load (its dm-linear table swapped for the error
# target): user reads and writes never see an error and data verifies, SSD
# errors are counted, the target reports degraded and stops using the SSD.
# timeout: 600
. /tests/lib.sh

mk_hdd hdd 128 || die "no origin"
mk_ssd 16 || die "no cache"
sc_mod dm-swapcache || die "module"
SS=$(sectors /dev/ram0)
dmsetup create ssd --table "0 $SS linear /dev/ram0 0" || die "no ssd"
sc_create sc /dev/hdd "$(dm_node ssd)" hysteresis 0 ram_budget 1 \
	accrate 1000000000 || die "create"
DEV=$(dm_node sc)

ktap_plan 9

fio --name=fill --filename="$DEV" --direct=1 --rw=write --bs=1M --size=64M \
    --ioengine=libaio --iodepth=4 --verify=crc32c --verify_interval=4k \
    --do_verify=0 \
    >/dev/null 2>&1 || die "fill"
# Warm: reads are staged, age out of the 1 MiB of RAM, land on the SSD.
fio --name=warm --filename="$DEV" --direct=1 --rw=randread --bs=4k \
    --size=64M --ioengine=libaio --iodepth=8 --random_distribution=zipf:1.2 \
    --time_based --runtime=25 >/dev/null 2>&1 || die "warm"
ktap_diag "warm: $(dmsetup status sc)"
ktap_check "SSD hits before the fault ($(sc_stat sc 5))" \
	[ "$(sc_stat sc 5)" -gt 0 ]

dmsetup suspend ssd && dmsetup reload ssd --table "0 $SS error" &&
	dmsetup resume ssd || die "cannot fail the SSD"

fio --name=after --filename="$DEV" --direct=1 --rw=randread --bs=4k \
    --size=64M --ioengine=libaio --iodepth=8 --random_distribution=zipf:1.2 \
    --time_based --runtime=15 --verify=crc32c --verify_interval=4k \
    --verify_only >/tmp/after.out 2>&1
rc=$?
[ $rc -eq 0 ] || grep -iE 'verify|error|bad' /tmp/after.out | head -n 10 |
	sed 's/^/# /'
ktap_diag "failed: $(dmsetup status sc)"
ktap_check "reads after the SSD failed: no error" [ $rc -eq 0 ]
fio --name=verify --filename="$DEV" --direct=1 --rw=read --bs=1M \
    --size=64M --ioengine=libaio --iodepth=4 --verify=crc32c \
    --verify_interval=4k --verify_only >/tmp/verify.out 2>&1
ktap_check "all data verifies after the fault" [ $? -eq 0 ]
dd if=/dev/zero of="$DEV" bs=4k count=256 oflag=direct 2>/dev/null
ktap_check "writes after the fault succeed" [ $? -eq 0 ]
ktap_check "SSD errors counted ($(sc_stat sc 15))" [ "$(sc_stat sc 15)" -gt 0 ]
ktap_expect_eq "status says degraded" degraded "$(sc_stat sc 16)"
ktap_expect_eq "sysfs says degraded" 1 "$(cat "$(sc_sysdir sc)/degraded")"
b0=$(sc_stat sc 22)
# Blocks past the 64 MiB the workloads used: misses.
dd if="$DEV" of=/dev/null bs=4k count=64 skip=20000 iflag=direct 2>/dev/null
b1=$(sc_stat sc 22)
ktap_check "degraded: misses not staged (bypass_degraded $b0 -> $b1)" \
	[ "$b1" -ge $((b0 + 64)) ]
MM=$(dmsetup info -c --noheadings -o major,minor sc | tr -d ' ')
ktap_check "the kernel log names the device ($MM) and the state" \
	sh -c "dmesg | grep -q 'swapcache: $MM: .*degraded'"
dmsetup remove sc
dmsetup remove ssd
ktap_done
