#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Concurrency: 16 fio jobs at iodepth 32 on overlapping ranges of one
# swapcache device: random reads (4 KiB, and 512 B..64 KiB so partial
# blocks occur), writes (plain, with fsync, with fdatasync, O_SYNC so
# REQ_FUA), discards and mixed read/write, over an SSD 1/32 of the
# origin with a 1 MiB RAM budget, hysteresis 0 and an unlimited write
# budget, so capture, the writer and the cleaner run all the time; the
# origin has a volatile write cache, so flushes and FUA writes reach the
# target.  Meanwhile a loop sets knobs at random through `dmsetup message`
# (valid values only: every one must be accepted).
# Then, everything stopped:
#  - fio finished without an error; no knob change was refused;
#  - SSD hits > 0, SSD writes > 0, flushes reached the origin, no SSD
#    error, not degraded;
#  - the whole device reads back exactly what the origin holds (md5 of
#    both): warm from the run, then after a reload (an empty cache) cold,
#    then warm again;
#  - the cleaner ran: cleaned_blocks (status field 32) counts the blocks
#    it freed after the two full reads, which write more blocks to the
#    SSD than it holds;
#  - a re-read of a 512 KiB working set hits the cache.
# Run time: SC_SOAK_SECS, or sc.soak_secs=N on the kernel command line
# (default 75 s of I/O, times the harness's timeout factor: tscale).  The soak (tests/soak) runs this case for many
# minutes; the memory lines ("# mem ...", once a minute) and the fio
# totals ("# fio ...") are for its summary.
# timeout: 900
. /tests/lib.sh

SECS=${SC_SOAK_SECS:-$(cmdline_arg sc.soak_secs)}
SECS=${SECS:-$(tscale 75)}
case_seed
echo "# $SECS s of I/O, seed $SEED"

# The origin: memory-backed null_blk with discard and a volatile write
# cache (so the dm device has one too and passes flushes down).
d=/sys/kernel/config/nullb/hdd
sc_mod configfs || die "configfs"
mount -t configfs configfs /sys/kernel/config 2>/dev/null
sc_mod null_blk nr_devices=0 || die "null_blk"
mkdir $d && echo 128 >$d/size && echo 1 >$d/memory_backed &&
	echo 2 >$d/irqmode && echo 20000 >$d/completion_nsec &&
	echo 32 >$d/hw_queue_depth && echo 1 >$d/discard &&
	echo 16 >$d/cache_size && echo 1 >$d/power || die "no origin"
mk_fast_ssd ssd 4 || die "no cache"
TABLE_OPTS="ram_budget 1 hysteresis 0 maxlaunder 4096 seq_cutoff 0 \
accrate 1000000000 maxburst 1000000000000 curburst 1000000000000"
# shellcheck disable=SC2086
sc_create sc /dev/hdd /dev/ssd $TABLE_OPTS || die "create"
DEV=$(dm_node sc)
D=$(sc_sysdir sc)
TABLE=$(dmsetup table sc)
ktap_diag "write cache of the device: $(cat /sys/block/${DEV#/dev/}/queue/write_cache)"

ktap_plan 13

rm -f /tmp/stop
# The monitor: memory once a minute (for tests/soak's trend).
monitor() {
	local t0 next=0 t
	t0=$(now_cs)
	while [ ! -e /tmp/stop ]; do
		t=$(($(now_cs) - t0))
		if [ $t -ge $next ]; then
			echo "# mem t=$((t / 100))" \
			     "MemAvailable=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)" \
			     "Slab=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)" \
			     "staged=$(cat "$D/staged_blocks" 2>/dev/null)"
			next=$((next + 6000))
		fi
		sleep 1
	done
}
monitor &
MON=$!

# The knob changer: valid values, chosen so that the cache keeps working
# (minburst always below maxburst, a small RAM budget, writes allowed most
# of the time).  Each message must be accepted.
cat >/tmp/knobs.awk <<'EOF'
function rnd(k) { return int(rand() * k) }
function big(lo, hi,   r) {
	r = (rand() * 2147483648 + rand()) / 2147483649
	return sprintf("%.0f", lo + int(r * (hi - lo + 1)))
}
BEGIN {
	srand(seed)
	for (i = 0; i < 20000; i++) {
		r = rnd(14)
		if (r == 0) print "read_enable", rnd(5) ? 1 : 0
		else if (r == 1) print "data_enable", rnd(6) ? 1 : 0
		else if (r == 2) print "meta_enable", rnd(2)
		else if (r == 3) print "accrate", big(1000000, 1000000000)
		else if (r == 4) print "maxburst", big(1000000000, 1000000000000000)
		else if (r == 5) print "minburst", big(0, 100000000)
		else if (r == 6) print "curburst", big(1000000000, 1000000000000000)
		else if (r == 7) print "maxlaunder", rnd(8) ? 16 + rnd(8192) : 1 + rnd(1048576)
		else if (r == 8) print "maxswappct", 6 + rnd(95)
		else if (r == 9) print "hysteresis", rnd(8) ? rnd(4096) : rnd(1073741825)
		else if (r == 10) print "ram_budget", 1 + rnd(16)
		else if (r == 11) print "seq_cutoff", rnd(2) ? 0 : big(0, 1099511627776)
		else if (r == 12) print "endurance_tbw", rnd(18446745)
		else print "min_reads", 1 + rnd(2)
	}
}
EOF
awk -v seed="$SEED" -f /tmp/knobs.awk >/tmp/knobs
changer() {
	local n=0 bad=0 k v
	while read -r k v; do
		[ -e /tmp/stop ] && break
		n=$((n + 1))
		if ! dmsetup message -- sc 0 "$k" "$v" 2>/dev/null; then
			bad=$((bad + 1))
			echo "# knob change refused: $k $v"
		fi
		echo "$n $bad" >/tmp/changer
		sleep 1
	done </tmp/knobs
}
echo "0 0" >/tmp/changer
changer &
CHG=$!

# 16 jobs on overlapping ranges: everything within 0..96 MiB, the mixed
# jobs over 32..128 MiB.  Trims are rate-limited so that data remains.
cat >/tmp/conc.fio <<EOF
[global]
filename=$DEV
direct=1
ioengine=libaio
iodepth=32
time_based
runtime=$SECS
randrepeat=0
size=96M
group_reporting

[rd]
rw=randread
bs=4k
random_distribution=zipf:0.9
numjobs=5

[rdodd]
rw=randread
bsrange=512-64k
blockalign=512

[wr]
rw=randwrite
bs=4k
numjobs=2

[wrfsync]
rw=randwrite
bs=4k
fsync=4

[wrdsync]
rw=randwrite
bsrange=512-16k
blockalign=512
fdatasync=2

[wrfua]
rw=randwrite
bs=8k
sync=1

[trim]
rw=randtrim
bs=64k
rate_iops=20

[trimodd]
rw=randtrim
bsrange=4k-1m
rate_iops=5

[mixed]
rw=randrw
rwmixread=70
bsrange=4k-32k
offset=32M
numjobs=3
EOF
fio /tmp/conc.fio >/tmp/fio.out 2>&1
rc=$?
touch /tmp/stop
wait $CHG
sed -nE "s/^ *(READ|WRITE|TRIM): /# fio \1: /p" /tmp/fio.out
grep -m1 'err=' /tmp/fio.out | sed 's/^ */# fio /'
[ $rc -eq 0 ] || grep -iE 'error|err=' /tmp/fio.out | head -n 20 | sed 's/^/# /'
ktap_check "fio: 16 jobs finished without an I/O error" \
	[ $rc -eq 0 -a "$(grep -c 'err= 0' /tmp/fio.out)" -ge 1 ]
read -r nchg badchg </tmp/changer
ktap_check "every one of $nchg knob changes was accepted ($badchg refused)" \
	[ "$nchg" -gt 0 -a "$badchg" = 0 ]
ktap_diag "status: $(dmsetup status sc)"
ktap_check "SSD hits happened ($(sc_stat sc 5))" [ "$(sc_stat sc 5)" -gt 0 ]
ktap_check "SSD writes happened ($(sc_stat sc 10))" [ "$(sc_stat sc 10)" -gt 0 ]
ktap_check "writes invalidated copies ($(sc_stat sc 9))" [ "$(sc_stat sc 9)" -gt 0 ]
# Field 16 of a block device's stat: flush requests completed.
flushes=$(awk '{ print $16 + 0 }' /sys/block/hdd/stat)
ktap_check "flushes reached the origin ($flushes)" [ "$flushes" -gt 0 ]
ktap_check "no SSD error, not degraded" \
	[ "$(sc_stat sc 15)" = 0 -a "$(sc_stat sc 16)" = cache ]

# The whole device against the origin, read directly.
drop_caches
want=$(md5sum </dev/hdd | cut -d' ' -f1)
got=$(md5sum <"$DEV" | cut -d' ' -f1)
ktap_expect_eq "device equals the origin after the run (warm)" "$want" "$got"
# An empty cache: reload the table (the map lives in RAM only).
dmsetup reload sc --table "$TABLE" && dmsetup resume sc || die "reload"
D=$(sc_sysdir sc)
# Where the engine has min_reads (blocks go to the SSD on their second
# read by default), ask for the seed's policy so that the full reads below
# must fill the SSD; engines without it write every block anyway.
dmsetup message -- sc 0 min_reads 1 2>/dev/null && ktap_diag "min_reads set to 1"
drop_caches
got=$(md5sum <"$DEV" | cut -d' ' -f1)
ktap_expect_eq "device equals the origin read cold" "$want" "$got"
drop_caches
got=$(md5sum <"$DEV" | cut -d' ' -f1)
ktap_expect_eq "device equals the origin read warm" "$want" "$got"
# The two full reads (no writes since the reload) put on the SSD more
# than it holds: what is gone beyond the invalidations was cleaned.
bs=$(sc_stat sc 1)
written=$(($(sc_stat sc 11) / bs))
used=$(sc_used sc)
inval=$(sc_stat sc 9)
ktap_diag "after the full reads: $written blocks written to the SSD, $used in use, $inval invalidated"
touch /tmp/stop
wait $MON
cleaned=$(sc_stat sc 32)
ktap_check "the cleaner freed blocks ($cleaned; $((written - used - inval)) blocks freed by no write)" \
	[ "$cleaned" -gt 0 ]
# A working set that fits in RAM: read 512 KiB, read it again.
dd if="$DEV" of=/dev/null bs=64k count=8 skip=100 iflag=direct 2>/dev/null
sleep 1
h0=$(($(sc_stat sc 4) + $(sc_stat sc 5)))
dd if="$DEV" of=/dev/null bs=64k count=8 skip=100 iflag=direct 2>/dev/null
h1=$(($(sc_stat sc 4) + $(sc_stat sc 5)))
ktap_check "a re-read working set hits the cache ($((h1 - h0)) of 128 blocks)" \
	[ $h1 -gt $h0 ]
ktap_diag "final status: $(dmsetup status sc)"
ktap_check "remove succeeds" dmsetup remove sc
ktap_done
