#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# SSD use climbs to maxswappct, the cleaner brings it below maxswappct - 5,
# writing resumes, and use never passes maxswappct by more than one pass
# (maxlaunder blocks).
# timeout: 600
. /tests/lib.sh

PCT=50
LAUNDER=64
mk_hdd hdd 512 || die "no origin"
mk_fast_ssd ssd 8 || die "no cache"
sc_create sc /dev/hdd /dev/ssd maxswappct $PCT maxlaunder $LAUNDER \
	hysteresis 0 accrate 1000000000 ram_budget 64 min_reads 1 ||
	die "create"
DEV=$(dm_node sc)
TOTAL=$(sc_stat sc 2 | cut -d/ -f2)
HIGH=$((TOTAL * PCT / 100))
LOW=$((TOTAL * (PCT - 5) / 100))

ktap_plan 4

fio --name=r --filename="$DEV" --direct=1 --ioengine=libaio --iodepth=16 \
    --rw=randread --bs=4k --size=384M --time_based --runtime=45 \
    --output-format=terse >/dev/null 2>&1 &
FIO=$!
max=0 cleaned=0 min_after=$TOTAL resumed=0 state=writing
while kill -0 $FIO 2>/dev/null; do
	u=$(sc_used sc)
	s=$(sc_stat sc 13)
	[ "$u" -gt $max ] && max=$u
	[ "$s" = cleaning ] && cleaned=1
	if [ $cleaned = 1 ] && [ "$u" -lt $min_after ]; then min_after=$u; fi
	[ $cleaned = 1 ] && [ "$state" = cleaning ] && [ "$s" = writing ] &&
		resumed=$((resumed + 1))
	state=$s
	sleep 0.1
done
wait $FIO
ktap_diag "total=$TOTAL high=$HIGH low=$LOW max=$max min_after=$min_after resumed=$resumed"
ktap_diag "status: $(dmsetup status sc)"
ktap_check "the cleaner ran" [ $cleaned = 1 ]
ktap_check "use fell below maxswappct - 5 ($min_after < $LOW)" \
	[ $min_after -lt $LOW ]
ktap_check "writing resumed after cleaning ($resumed times)" \
	[ $resumed -ge 1 ]
ktap_check "use never passed maxswappct by more than one pass ($max <= $((HIGH + LAUNDER)))" \
	[ $max -le $((HIGH + LAUNDER)) ]
dmsetup remove sc
ktap_done
