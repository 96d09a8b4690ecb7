#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The wear budget holds: from curburst 0 with accrate A and maxburst B,
# the bytes written to the SSD (its own /sys/block statistics) over T
# seconds stay at or below B + A*T plus one 16-block write, come within 20%
# of A*T when plenty of inactive data waits, and equal write_count.
# timeout: 600
. /tests/lib.sh

A=400000	# bytes/s
B=2000000	# bytes
mk_hdd hdd 512 || die "no origin"
mk_fast_ssd ssd 64 || die "no cache"
w0=$(sectors_written /dev/ssd)
t0=$(now_cs)
sc_create sc /dev/hdd /dev/ssd curburst 0 accrate $A maxburst $B \
	minburst 400000 hysteresis 64 ram_budget 128 || die "create"
DEV=$(dm_node sc)

ktap_plan 4

# Random reads over 384 MiB keep far more than A*T of new inactive data
# waiting (every block read once is staged, then ages out).
fio --name=r --filename="$DEV" --direct=1 --ioengine=libaio --iodepth=16 \
    --rw=randread --bs=4k --size=384M --time_based --runtime=40 \
    --output-format=terse >/dev/null 2>&1 || die "fio"
w1=$(sectors_written /dev/ssd)
t1=$(now_cs)
bytes=$(((w1 - w0) * 512))
T100=$((t1 - t0))			# centiseconds
limit=$((B + A * T100 / 100 + 65536))
expect=$((A * T100 / 100))
ktap_diag "T=${T100}cs written=$bytes limit=$limit A*T=$expect"
ktap_diag "status: $(dmsetup status sc)"
ktap_check "SSD bytes written ($bytes) <= B + A*T + 64 KiB ($limit)" \
	[ $bytes -le $limit ]
ktap_check "SSD bytes written ($bytes) >= 80% of A*T ($expect)" \
	[ $((bytes * 10)) -ge $((expect * 8)) ]
ktap_expect_eq "write_count equals the SSD's written bytes" "$bytes" \
	"$(sc_stat sc 11)"
ktap_check "staged blocks were waiting ($(sc_stat sc 3))" \
	[ "$(sc_stat sc 3)" -gt $((expect / 4096)) ]
dmsetup remove sc
ktap_done
