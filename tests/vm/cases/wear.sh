#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The wear budget holds: from curburst 0 with accrate A and maxburst B,
# the bytes written to the SSD (its own /sys/block statistics) over T
# seconds stay at or below B + A*T plus one 16-block write, come within 20%
# of A*T when plenty of inactive data waits, and equal write_count, the
# superblock's and the checkpoint's writes (meta_written, status field
# 34) apart.  Then
# minburst through sysfs: once a burst is spent the writer stays
# "recovering", writing nothing, until curburst passes minburst (not
# merely accrate), then writes again.
# timeout: 600
. /tests/lib.sh

# A kernel tscale times slower (make check-debug) reads and writes more
# slowly: it gets a budget it can fill.
A=$((400000 / $(tscale 1)))	# bytes/s
B=2000000	# bytes
mk_hdd hdd 512 || die "no origin"
mk_fast_ssd ssd 64 || die "no cache"
w0=$(sectors_written /dev/ssd)
t0=$(now_cs)
sc_create sc /dev/hdd /dev/ssd curburst 0 accrate $A maxburst $B \
	minburst 400000 hysteresis 64 ram_budget 128 min_reads 1 ||
	die "create"
DEV=$(dm_node sc)

ktap_plan 8

# Random reads over 384 MiB keep far more than A*T of new inactive data
# waiting (every block read once is staged, then ages out).
fio --name=r --filename="$DEV" --direct=1 --ioengine=libaio --iodepth=16 \
    --rw=randread --bs=4k --size=384M --time_based --runtime=40 \
    --output-format=terse >/dev/null 2>&1 || die "fio"
# Suspended, the writer is stopped and its writes are complete: the SSD's
# counter and write_count can be compared.
dmsetup suspend sc
w1=$(sectors_written /dev/ssd)
t1=$(now_cs)
wc=$(sc_stat sc 11)
meta=$(sc_stat sc 34)
# The superblock at the first resume (formatting: both slots) and at the
# suspend, 3 writes of 4 KiB, and the checkpoint pages the suspend wrote
# (the ones whose copies changed: some, at most the 33 a 64 MiB SSD has),
# all outside the burst budget.
ck=$(((meta - 12288) / 4096))
ktap_check "metadata writes: a format, a suspend and $ck checkpoint pages ($meta bytes)" \
	[ $(((meta - 12288) % 4096)) -eq 0 -a $ck -gt 0 -a $ck -le 33 ]
bytes=$(((w1 - w0) * 512 - meta))
T100=$((t1 - t0))			# centiseconds
limit=$((B + A * T100 / 100 + 65536))
expect=$((A * T100 / 100))
ktap_diag "T=${T100}cs written=$bytes limit=$limit A*T=$expect"
ktap_diag "status: $(dmsetup status sc)"
ktap_check "SSD bytes written ($bytes) <= B + A*T + 64 KiB ($limit)" \
	[ $bytes -le $limit ]
ktap_check "SSD bytes written ($bytes) >= 80% of A*T ($expect)" \
	[ $((bytes * 10)) -ge $((expect * 8)) ]
ktap_expect_eq "write_count equals the SSD's written bytes less meta_written" \
	"$bytes" "$wc"
ktap_check "staged blocks were waiting ($(sc_stat sc 3))" \
	[ "$(sc_stat sc 3)" -gt $((expect / 4096)) ]
dmsetup resume sc
# minburst: 1 MB/s, 3 MB needed after a burst: about 3 s of silence.
D=$(sc_sysdir sc)
echo 1000000 >"$D/accrate"
echo 10000000 >"$D/maxburst"
echo 3000000 >"$D/minburst"
echo 0 >"$D/curburst"
# New misses keep inactive blocks coming for the writer.
fio --name=more --filename="$DEV" --direct=1 --ioengine=libaio \
    --iodepth=4 --rw=randread --bs=4k --offset=384M --size=128M \
    --time_based --runtime=14 >/dev/null 2>&1 &
i=0
while [ $i -lt 60 ]; do
	echo "$(cat "$D/burst_state") $(cat "$D/write_count") $(cat "$D/curburst") $(now_cs)"
	sleep 0.2
	i=$((i + 1))
done >/tmp/trace
# Recovering: the longest stretch with no SSD write, whether curburst was
# ever seen well past minburst with the writer still silent, and whether
# writing went on after the first stretch.
res=$(awk '$1 == "recovering" && $2 == w && r { if ($4 - t > best)
		best = $4 - t; if ($3 > 3000000 + 300000) late++ }
	   $1 == "recovering" && ($2 != w || !r) { w = $2; t = $4 }
	   { r = $1 == "recovering"; if (!first) first = $2; last = $2 }
	   END { printf "%d %d %d", best, late, (last > first) }' /tmp/trace)
wait
set -- $res
ktap_diag "recovering: longest silence $1 cs, late $2, wrote after: $3"
[ "$2$3" = 01 -a "$1" -ge 200 ] || sed 's/^/# /' /tmp/trace
# accrate alone would allow a write after 100 cs; minburst asks 300.
ktap_check "spent: silent about minburst / accrate ($1 cs >= 200)" \
	[ "$1" -ge 200 ]
ktap_check "writing resumes once curburst passes minburst" [ "$2" = 0 ]
ktap_check "then the writer wrote again" [ "$3" = 1 ]
dmsetup remove sc
ktap_done
