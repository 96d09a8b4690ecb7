#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo`, inside the VM: a simulated HDD (memory-backed null_blk, 5 ms
# timer completion, queue depth 2) and a simulated SSD (null_blk, 50 us),
# a swapcache target over them, and a skewed random read workload (fio,
# zipf:0.8 over a working set four times the SSD): first on the bare HDD,
# then through the target while swapcache-stat shows the cache warming.
. /tests/lib.sh

HDD_MB=2048
SSD_MB=128
SET_MB=512
BASE=${DEMO_BASE:-15}
RUN=${DEMO_RUNTIME:-90}

say() { printf '\n== %s\n' "$*"; }

fio_read() { # fio_read NAME DEV SECONDS
	fio --name="$1" --filename="$2" --direct=1 --ioengine=libaio \
	    --iodepth=4 --rw=randread --bs=4k --random_distribution=zipf:0.8 \
	    --size=${SET_MB}M --time_based --runtime="$3" --randseed=42 \
	    --group_reporting --output-format=terse --terse-version=3 |
		awk -F';' '{ split($30, p99, "=")
			printf "   %s: %d read IOPS, mean latency %.2f ms, p99 %.2f ms\n",
			    $3, $8, $40 / 1000, p99[2] / 1000 }'
}

say "simulated HDD: null_blk ${HDD_MB} MiB, 5 ms a request, queue depth 2"
mk_hdd hdd $HDD_MB 5000000 2 || die "no HDD"
say "simulated SSD: null_blk ${SSD_MB} MiB, 50 us a request"
mk_fast_ssd ssd $SSD_MB || die "no SSD"

say "fio on the bare HDD: random 4 KiB reads, zipf:0.8 over ${SET_MB} MiB, ${BASE} s"
fio_read hdd /dev/hdd "$BASE" | tee /tmp/base

say "dmsetup create demo (swapcache over /dev/hdd, cache /dev/ssd)"
echo "   table: 0 $(sectors /dev/hdd) swapcache /dev/hdd /dev/ssd 4 hysteresis 64 endurance_tbw 600"
sc_create demo /dev/hdd /dev/ssd hysteresis 64 endurance_tbw 600 ||
	die "dmsetup create failed"
DEV=$(dm_node demo)

say "the same workload through swapcache, ${RUN} s; the cache warming, every 5 s:"
fio_read swapcache "$DEV" "$RUN" >/tmp/cached &
FIO=$!
swapcache-stat -c $((RUN / 5)) demo 5
wait $FIO

say "result"
cat /tmp/base /tmp/cached
awk '{ v[NR] = $2 } END { if (v[1]) printf "   swapcache / bare HDD: %.1fx the read IOPS (whole run, warm-up included)\n", v[2] / v[1] }' \
	/tmp/base /tmp/cached
echo "   totals: $(swapcache-stat --once demo | sed 's/  */ /g')"
echo "   status: $(dmsetup status demo)"
say "swapcache-ctl show demo"
swapcache-ctl show demo | sed 's/^/   /'
dmsetup remove demo || die "dmsetup remove failed"
echo "   removed; module refcount $(cat /sys/module/dm_swapcache/refcnt)"
