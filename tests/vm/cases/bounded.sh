#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Work under the engine's spinlock is bounded (review findings 4 and 6):
#  - ordinary bios reach the target split to max_io_len (1024 blocks): with
#    block_size 512 and data_enable 0 (a miss run that is not staged), 1 MiB
#    O_DIRECT reads and writes reach the origin (a dm-linear, which counts
#    the bios it gets) as bios of at most 512 KiB;
#  - a device created with ram_budget 1 takes ram_budget 128 at run time
#    and stages more than 100,000 blocks (its staging hash grows with the
#    budget);
#  - a debug build (SC_LOCK_STATS=y) prints the longest hold of the lock
#    after filling, after big reads and after big writes: diagnostics only,
#    timings are not asserted.
# timeout: 300
. /tests/lib.sh

mk_hdd hdd 256 || die "no origin"
mk_ssd 64 || die "no cache"
sc_mod dm-swapcache || die "module"
dmsetup create org --table "0 $(sectors /dev/hdd) linear /dev/hdd 0" ||
	die "origin linear"
ORG=/dev/mapper/org
ORGSTAT=/sys/block/$(basename "$(dm_node org)")/stat
sc_create sc "$ORG" /dev/ram0 block_size 512 ram_budget 1 seq_cutoff 0 \
	hysteresis 0 || die "create"
DEV=$(dm_node sc)

ktap_plan 5

lock_max() {
	dmsetup message sc 0 lock_stats 2>/dev/null | sed -n 's/^lock_max_ns //p'
}
lock_diag() {
	local ns
	ns=$(lock_max)
	[ -n "$ns" ] && ktap_diag "lock_max_ns after $1: $ns"
	dmsetup message sc 0 clear_stats
}
# ios field of the origin's stat: 1 reads, 5 writes
org_ios() { awk -v f="$1" '{ print $f }' "$ORGSTAT"; }

# 1, 2: 8 x 1 MiB, not staged, each to the origin in >= 2 bios.
dmsetup message sc 0 data_enable 0
r0=$(org_ios 1)
fio --name=bigread --filename="$DEV" --direct=1 --rw=read --bs=1M \
    --offset=128M --size=8M --ioengine=psync >/dev/null 2>&1 || die "read"
r1=$(org_ios 1)
ktap_diag "8 x 1 MiB reads: $((r1 - r0)) origin read bios"
ktap_check "1 MiB reads reach the origin in bios of at most 512 KiB" \
	[ $((r1 - r0)) -ge 16 ]
w0=$(org_ios 5)
fio --name=bigwrite --filename="$DEV" --direct=1 --rw=write --bs=1M \
    --offset=160M --size=8M --ioengine=psync >/dev/null 2>&1 || die "write"
w1=$(org_ios 5)
ktap_diag "8 x 1 MiB writes: $((w1 - w0)) origin write bios"
ktap_check "1 MiB writes reach the origin in bios of at most 512 KiB" \
	[ $((w1 - w0)) -ge 16 ]
dmsetup message sc 0 data_enable 1

# 3: raise the budget at run time: 128 MiB = 262144 blocks.
ktap_check "ram_budget 1 -> 128 at run time" \
	dmsetup message sc 0 ram_budget 128
dmsetup message sc 0 clear_stats

# 4: fill: 96 MiB of 32 KiB reads, each staged (64 blocks).
fio --name=fill --filename="$DEV" --direct=1 --rw=read --bs=32k \
    --size=96M --ioengine=libaio --iodepth=4 >/dev/null 2>&1 || die "fill"
sleep 1
staged=$(sc_stat sc 3)
ktap_diag "after fill: $(dmsetup status sc)"
ktap_check "more than 100000 blocks staged ($staged)" [ "$staged" -gt 100000 ]
lock_diag "fill (96 MiB of 32 KiB reads, ram_budget 128)"

# Big bios over the staged range: 4 MiB reads (misses and RAM hits), then
# 1 MiB writes that drop staged copies.
fio --name=big --filename="$DEV" --direct=1 --rw=read --bs=4M \
    --offset=96M --size=32M --ioengine=psync >/dev/null 2>&1 || die "big read"
lock_diag "4 MiB reads"
fio --name=bigw --filename="$DEV" --direct=1 --rw=write --bs=1M \
    --size=32M --ioengine=psync >/dev/null 2>&1 || die "big write"
lock_diag "1 MiB writes over staged blocks"
sleep 2
lock_diag "2 s of aging"

dmsetup remove sc && dmsetup remove org
ktap_check "removed" [ ! -e /dev/mapper/sc ]
ktap_done
