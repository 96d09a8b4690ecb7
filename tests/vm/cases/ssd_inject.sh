#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# SSD fault injection under load.  The SSD is a dm device over a RAM disk
# whose table is swapped (dmsetup suspend/reload/resume) while verified fio
# I/O runs on the swapcache device: a zipf random reader checking every
# block against fio's crc32c headers (so SSD hits and new SSD writes
# happen), and a random writer with a verify backlog on the other half.
#
# Injects, one after the other, each followed by recovery:
#  - SSD read errors: dm-flakey error_reads (6.12); on 6.1, whose flakey
#    has no error_reads, an intermittent SSD instead (flakey up 1 s, down
#    1 s, every I/O fails while down);
#  - SSD write errors: dm-flakey error_writes (reads still work, so an SSD
#    slot whose write failed must never be read back);
#  - an SSD that vanishes: the error target, swapped in mid-I/O (ssd_fault
#    swaps it between runs);
#  - a very slow SSD: dm-delay, 500 ms on reads and writes.
# Not injected: dm-flakey drop_writes or corrupt_bio_byte, an SSD that
# acknowledges writes it did not do or returns altered data; the design
# keeps no checksums, so no cache of this kind can detect that.
#
# Asserts: user reads and writes never fail and never return wrong data,
# during each fault and over the whole device afterwards; the status counts
# SSD errors (field 15) and says degraded (field 16) for the three error
# faults; the slow SSD is no error (field 15 does not grow, state cache), the
# swapcache device still suspends and resumes; after each fault the SSD is
# put back (linear) and the swapcache table reloaded, and caching resumes:
# state cache and SSD hits (field 5) grow again.
# timeout: 900
. /tests/lib.sh

mk_hdd hdd 128 || die "no origin"
mk_ssd 16 || die "no cache"
sc_mod dm-swapcache || die "module"
sc_mod dm-flakey || die "no dm-flakey"
sc_mod dm-delay || die "no dm-delay"
SS=$(sectors /dev/ram0)
dmsetup create ssd --table "0 $SS linear /dev/ram0 0" || die "no ssd"
SSD=$(dm_node ssd)
TABLE="0 $(sectors /dev/hdd) swapcache /dev/hdd $SSD 8 hysteresis 0 ram_budget 1 accrate 1000000000 seq_cutoff 0"
dmsetup create sc --table "$TABLE" || die "create"
DEV=$(dm_node sc)

ktap_plan 20

# ssd_table TABLE: swap the SSD's table under the running I/O.
ssd_table() {
	dmsetup suspend ssd && dmsetup reload ssd --table "$1" &&
		dmsetup resume ssd
}

# The reader checks the first 64 MiB, filled once with crc32c headers; the
# writer owns the second 64 MiB.
fio --name=fill --filename="$DEV" --direct=1 --rw=write --bs=1M --size=64M \
    --ioengine=libaio --iodepth=4 --verify=crc32c --verify_interval=4k \
    --do_verify=0 >/dev/null 2>&1 || die "fill"

# load SECONDS: the reader and the writer side by side; 0 if both verified.
load() {
	fio --name=reader --filename="$DEV" --direct=1 --rw=randread --bs=4k \
	    --size=64M --ioengine=libaio --iodepth=8 \
	    --random_distribution=zipf:1.2 --time_based --runtime="$1" \
	    --verify=crc32c --verify_interval=4k --verify_only \
	    --verify_fatal=1 >/tmp/reader.out 2>&1 &
	local r=$!
	fio --name=writer --filename="$DEV" --direct=1 --rw=randrw --bs=4k \
	    --offset=64M --size=64M --ioengine=libaio --iodepth=4 \
	    --time_based --runtime="$1" --verify=crc32c --verify_backlog=16 \
	    --verify_fatal=1 >/tmp/writer.out 2>&1
	local w=$?
	wait $r
	local rc=$?
	[ $rc -eq 0 ] || grep -iE 'verify|error|bad' /tmp/reader.out |
		head -n 5 | sed 's/^/# reader: /'
	[ $w -eq 0 ] || grep -iE 'verify|error|bad' /tmp/writer.out |
		head -n 5 | sed 's/^/# writer: /'
	[ $rc -eq 0 -a $w -eq 0 ]
}

# verify_all: the reader's 64 MiB, every block, sequentially.
verify_all() {
	fio --name=all --filename="$DEV" --direct=1 --rw=read --bs=1M \
	    --size=64M --ioengine=libaio --iodepth=4 --verify=crc32c \
	    --verify_interval=4k --verify_only >/tmp/all.out 2>&1
}

# recover NAME: the SSD back to linear, the swapcache table reloaded; then
# caching must resume.
recover() {
	local h0
	ssd_table "0 $SS linear /dev/ram0 0" || die "$1: cannot restore the SSD"
	dmsetup suspend sc && dmsetup reload sc --table "$TABLE" &&
		dmsetup resume sc || die "$1: cannot reload swapcache"
	h0=$(sc_stat sc 5)
	load 8 || ktap_diag "$1: load after recovery failed"
	ktap_diag "$1: recovered: $(dmsetup status sc)"
	ktap_check "$1: after SSD recovery and reload: state $(sc_stat sc 16), SSD hits $h0 -> $(sc_stat sc 5)" \
		[ "$(sc_stat sc 16)" = cache -a "$(sc_stat sc 5)" -gt "$h0" ]
}

# fault NAME TABLE: swap TABLE in for the SSD 3 s into the load.
fault() {
	local name=$1 table=$2 rc
	(sleep 3; ssd_table "$table" || echo "# $name: ssd_table failed") &
	load 10
	rc=$?
	wait
	ktap_diag "$name: $(dmsetup status sc)"
	ktap_check "$name: user reads and writes under the fault: no error, data verifies" \
		[ $rc -eq 0 ]
	ktap_check "$name: SSD errors counted ($(sc_stat sc 15))" \
		[ "$(sc_stat sc 15)" -gt 0 ]
	ktap_expect_eq "$name: status says degraded" degraded "$(sc_stat sc 16)"
	verify_all
	ktap_check "$name: every block verifies after the fault" [ $? -eq 0 ]
	recover "$name"
}

# Warm: the reader's hot blocks reach the SSD.
load 15 || ktap_diag "warm-up load failed"
ktap_diag "warm: $(dmsetup status sc)"
ktap_check "SSD hits before the faults ($(sc_stat sc 5))" \
	[ "$(sc_stat sc 5)" -gt 0 ]

if dmsetup targets | grep -q '^flakey' &&
   dmsetup create probe --table "0 $SS flakey /dev/ram0 0 0 1 1 error_reads" \
	2>/dev/null; then
	dmsetup remove probe
	fault "read errors (flakey error_reads)" \
		"0 $SS flakey /dev/ram0 0 0 3600 1 error_reads"
else
	fault "intermittent SSD (flakey up 1 s down 1 s)" \
		"0 $SS flakey /dev/ram0 0 1 1"
fi
fault "write errors (flakey error_writes)" \
	"0 $SS flakey /dev/ram0 0 0 3600 1 error_writes"
fault "vanished SSD (error target)" "0 $SS error"

# The slow SSD: 500 ms on every read and write.
e0=$(sc_stat sc 15)
(sleep 3; ssd_table "0 $SS delay /dev/ram0 0 500" ||
	echo "# slow: ssd_table failed") &
load 10
rc=$?
wait
ktap_diag "slow: $(dmsetup status sc)"
ktap_check "slow SSD: user reads and writes: no error, data verifies" \
	[ $rc -eq 0 ]
ktap_check "slow SSD: no SSD error ($e0 -> $(sc_stat sc 15)), state $(sc_stat sc 16)" \
	[ "$(sc_stat sc 15)" -eq "$e0" -a "$(sc_stat sc 16)" = cache ]
t0=$(now_cs)
dmsetup suspend sc && dmsetup resume sc
rc=$?
ktap_check "slow SSD: the swapcache device suspends and resumes ($(($(now_cs) - t0)) cs)" \
	[ $rc -eq 0 ]
recover "slow SSD"

dmsetup remove sc
dmsetup remove ssd
ktap_done
