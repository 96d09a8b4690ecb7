#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo`, inside the VM: a simulated HDD (memory-backed null_blk, 5 ms
# timer completion, queue depth 2) and a simulated SSD (brd), a swapcache
# target over them, and a skewed random read workload with fio, first on
# the bare HDD and then through the target.
. /tests/lib.sh

HDD_MB=1024
SSD_MB=128
RUNTIME=${DEMO_RUNTIME:-20}

say() { printf '\n== %s\n' "$*"; }

fio_read() {
	fio --name="$1" --filename="$2" --direct=1 --ioengine=libaio \
	    --iodepth=4 --rw=randread --bs=4k --random_distribution=zipf:0.8 \
	    --size=512M --time_based --runtime="$RUNTIME" --randseed=42 \
	    --group_reporting 2>&1 |
		grep -E '^ *(read:|lat \(usec\): min|clat percentiles|\|  *(50|99)\.00th| *bw \(|READ:)' |
		sed 's/^ */   /'
}

say "simulated HDD: null_blk ${HDD_MB} MiB, 5 ms completion, queue depth 2"
mk_hdd hdd $HDD_MB 5000000 2 || die "no HDD"
say "simulated SSD: brd ${SSD_MB} MiB"
mk_ssd $SSD_MB 1 || die "no SSD"

say "dmsetup create demo: swapcache over /dev/hdd with /dev/ram0 as cache"
sc_create demo /dev/hdd /dev/ram0 || die "dmsetup create failed"
DEV=$(dm_node demo)
echo "   table:  $(dmsetup table demo)"
echo "   status: $(dmsetup status demo)"

say "fio: random 4 KiB reads, zipf:0.8 over 512 MiB, ${RUNTIME} s, bare HDD"
fio_read hdd /dev/hdd
say "fio: the same workload through swapcache ($DEV)"
fio_read swapcache "$DEV"

say "after the run"
echo "   status: $(dmsetup status demo)"
dmsetup remove demo || die "dmsetup remove failed"
echo "   removed; module refcount $(cat /sys/module/dm_swapcache/refcnt)"
