#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Wear telemetry and the counters, each made to move by a workload chosen
# for it and read back from status, sysfs and swapcache-stat:
#  - bypass reasons: 512-byte reads (partial), ionice -c3 reads (idle), a
#    sequential scan past seq_cutoff, data_enable=0 reads (data_off), ext4
#    metadata with meta_enable=0 (meta_off), staged blocks dropped with no
#    burst budget (burst), while the writer waits for hysteresis
#    (ram_full), and with the SSD full at maxswappct 100 (ssd_full);
#  - min_reads 2: blocks read once are written only until the SSD first
#    fills (the cleaner then frees some: cleaned_blocks), then not
#    (bypass_once), and blocks read again after leaving RAM are;
#  - nothing else moves while one reason is exercised;
#  - read_enable=0 stops SSD hits, and 1 brings them back;
#  - the staged blocks stay within ram_budget;
#  - hits_per_mib is SSD hits * 2^20 / write_count; days_left_* are "inf"
#    before any write, "-" without endurance_tbw, and with it equal to the
#    projection from write_count and the time since creation;
#  - wasted_writes counts SSD copies overwritten before they were read;
#  - clear_stats (message and sysfs) zeroes the cache's counters and keeps
#    write_count and ssd_writes; sysfs refuses anything but "1";
#  - swapcache-stat --once --json carries the same values as status.
# (bypass_degraded is checked in ssd_fault.)
# timeout: 500
. /tests/lib.sh

mk_hdd hdd 128 || die "no origin"
mk_hdd hdd2 64 || die "no second origin"
mk_ssd 16 2 || die "no cache"
sc_fs_mod ext4 || die "no ext4 module"
sc_mod dm-swapcache || die "module"

t0=$(now_cs)
# Writes frozen at first: no budget, none accrues.
sc_create sc /dev/hdd /dev/ram0 hysteresis 0 ram_budget 1 accrate 0 \
	curburst 0 maxburst 0 minburst 0 endurance_tbw 1 min_reads 1 ||
	die "create"
DEV=$(dm_node sc)
D=$(sc_sysdir sc)
f() { sc_stat sc "$1"; }
# bypass REASON: the sysfs counter of one reason.
bypass() { cat "$D/bypass_$1"; }
REASONS="seq_cutoff idle meta_off data_off partial degraded nomem burst
ssd_full ram_full once"
snap() { for r in $REASONS; do echo "$r $(bypass $r)"; done >"$1"; }
# moved OLD NEW: the reasons whose counters changed.
moved() { paste -d' ' "$1" "$2" | awk '$2 != $4 { printf " %s", $1 }'; }
rd4k() { # rd4k BLOCK...: 4 KiB direct reads
	for b in "$@"; do
		dd if="$DEV" of=/dev/null bs=4k count=1 skip="$b" \
		   iflag=direct 2>/dev/null
	done
}

ktap_plan 31

ktap_expect_eq "before any SSD write: hits_per_mib -, days inf inf" \
	"- inf inf" "$(f 29) $(f 30) $(f 31)"

snap /tmp/a
fio --name=partial --filename="$DEV" --direct=1 --rw=randread --bs=512 \
    --offset=96M --size=1M --number_ios=20 --ioengine=psync >/dev/null 2>&1 ||
	die "fio 512"
snap /tmp/b
ktap_expect_eq "20 reads of 512 bytes: bypass_partial 20" 20 \
	"$(bypass partial)"
ktap_expect_eq "only partial moved" " partial" "$(moved /tmp/a /tmp/b)"

i=0; while [ $i -lt 20 ]; do
	ionice -c3 dd if="$DEV" of=/dev/null bs=4k count=1 \
		skip=$((i * 37 + 5000)) iflag=direct 2>/dev/null
	i=$((i + 1))
done
snap /tmp/c
ktap_expect_eq "20 idle-class reads: bypass_idle 20" 20 "$(bypass idle)"
ktap_expect_eq "only idle moved" " idle" "$(moved /tmp/b /tmp/c)"

# 8 MiB in sequence: the second 4 MiB are past the 4 MiB cutoff.
dd if="$DEV" of=/dev/null bs=64k count=128 skip=512 iflag=direct 2>/dev/null
snap /tmp/d
s=$(bypass seq_cutoff)
ktap_check "a sequential 8 MiB read: bypass_seq_cutoff 1008..1024 ($s)" \
	[ "$s" -ge 1008 -a "$s" -le 1024 ]

echo 0 >"$D/data_enable"
rd4k 7001 7101 7201 7301 7401 7501 7601 7701 7801 7901
echo 1 >"$D/data_enable"
snap /tmp/e
ktap_expect_eq "10 reads with data_enable=0: bypass_data_off 10" 10 \
	"$(bypass data_off)"
ktap_expect_eq "only data_off moved (the scan's last blocks aside)" \
	" data_off" "$(moved /tmp/d /tmp/e)"

# No burst budget: staged blocks leave RAM unwritten, counted as burst.
fio --name=burst --filename="$DEV" --direct=1 --rw=randread --bs=4k \
    --offset=0 --size=32M --ioengine=psync >/dev/null 2>&1 || die "fio"
sleep 1
b=$(bypass burst)
ktap_check "no burst budget: 8192 blocks read, bypass_burst $b > 4000" \
	[ "$b" -gt 4000 ]
ktap_expect_eq "no burst budget: nothing written to the SSD" 0 "$(f 10)"
ktap_check "staged blocks within ram_budget 1 MiB ($(f 3) <= 320)" \
	[ "$(f 3)" -le 320 ]

# Budget, but the writer waits for hysteresis: dropped as ram_full.
echo 1073741824 >"$D/hysteresis"
echo 2000000000 >"$D/maxburst"
echo 1000000000 >"$D/accrate"
echo 2000000000 >"$D/curburst"
# The blocks inactive since the freeze go in one pass, which ends at the
# end of the inactive queue; then the writer waits for 2^30 more.
sleep 2
sw=$(f 10)
snap /tmp/f
fio --name=ram --filename="$DEV" --direct=1 --rw=randread --bs=4k \
    --offset=32M --size=32M --ioengine=psync >/dev/null 2>&1 || die "fio"
sleep 1
snap /tmp/g
r=$(bypass ram_full)
ktap_check "writer held back by hysteresis: bypass_ram_full $r > 4000" \
	[ "$r" -gt 4000 ]
ktap_expect_eq "only ram_full moved, nothing more written" " ram_full $sw" \
	"$(moved /tmp/f /tmp/g) $(f 10)"

# min_reads 2: until the SSD first fills to maxswappct, blocks read once
# go to it (free space); afterwards they stay off (bypass_once), and go
# when read again after they left RAM (their ghosts).
echo 0 >"$D/hysteresis"
echo 2 >"$D/min_reads"
sleep 2
sw=$(f 10) o=$(bypass once)
once() { # once OFFSET: read 8 MiB there once
	fio --name=once --filename="$DEV" --direct=1 --rw=randread --bs=4k \
	    --offset="$1" --size=8M --ioengine=psync >/dev/null 2>&1
	sleep 2
}
once 104M
ktap_check "min_reads 2, SSD never full yet: blocks read once written ($sw -> $(f 10)), bypass_once $o -> $(bypass once)" \
	[ "$(f 10)" -gt "$sw" -a "$(bypass once)" = "$o" ]
# Fill it: at maxswappct 6 (246 blocks) the cleaner runs.
c=$(f 32)
echo 6 >"$D/maxswappct"
sleep 2
ktap_check "SSD past maxswappct 6: the cleaner freed blocks ($c -> $(f 32)), $(f 2) used" \
	[ "$(f 32)" -gt "$c" ]
echo 75 >"$D/maxswappct"
sleep 1
sw=$(f 10)
once 80M
o=$(bypass once) sw1=$(f 10)
ktap_check "min_reads 2, 2048 blocks read once: none written ($sw -> $sw1), bypass_once $o > 1500" \
	[ "$sw1" = "$sw" -a "$o" -gt 1500 ]
once 80M
ktap_check "read a second time: written to the SSD ($sw -> $(f 10))" \
	[ "$(f 10)" -gt "$sw" ]
echo 1 >"$D/min_reads"

# The writer runs: a hot set goes to the SSD and is read from it.
fio --name=hot --filename="$DEV" --direct=1 --rw=randread --bs=4k \
    --offset=64M --size=8M --ioengine=psync --time_based --runtime=12 \
    >/dev/null 2>&1 || die "fio"
h=$(f 5)
ktap_check "the writer wrote ($(f 10) writes) and SSD hits came ($h)" \
	[ "$(f 10)" -gt 0 -a "$h" -gt 0 ]

echo 0 >"$D/read_enable"
fio --name=off --filename="$DEV" --direct=1 --rw=randread --bs=4k \
    --offset=64M --size=8M --ioengine=psync --time_based --runtime=3 \
    >/dev/null 2>&1
h2=$(f 5)
echo 1 >"$D/read_enable"
fio --name=on --filename="$DEV" --direct=1 --rw=randread --bs=4k \
    --offset=64M --size=8M --ioengine=psync --time_based --runtime=3 \
    >/dev/null 2>&1
h3=$(f 5)
ktap_check "read_enable=0: no SSD hits ($h -> $h2); 1: hits again ($h3)" \
	[ "$h2" = "$h" -a "$h3" -gt "$h2" ]

# Freeze the writer so that status lines agree with each other.
echo 0 >"$D/accrate"; echo 0 >"$D/curburst"; sleep 1
line=$(dmsetup status sc)
t1=$(now_cs)
set -- $line
shift 3
hits=$5 wc=${11} hpm=${29} dh=${30} dt=${31}
want=$(awk -v h="$hits" -v w="$wc" 'BEGIN { printf "%.0f", int(h * 1048576 / w) }')
ktap_expect_eq "hits_per_mib = ssd_hits * 2^20 / write_count" "$want" "$hpm"
ktap_expect_eq "in the first hour days_left_hour = days_left_total" \
	"$dt" "$dh"
# days = (10^12 - wc) / (wc / age), age between t1 - t0 and the line's time.
ok=$(awk -v wc="$wc" -v d="$dt" -v a="$((t1 - t0))" 'BEGIN {
	hi = (1e12 - wc) * (a * 10) / (wc * 86400000)
	lo = (1e12 - wc) * ((a - 200) * 10) / (wc * 86400000)
	print (d <= hi + 1 && d >= lo - 1) ? 1 : 0 }')
ktap_check "days_left_total $dt fits write_count $wc over $((t1 - t0)) cs" \
	[ "$ok" = 1 ]
dmsetup message sc 0 endurance_tbw 0
ktap_expect_eq "endurance_tbw 0: days unknown" "- -" "$(f 30) $(f 31)"

# Overwrite the hot set: SSD copies that were never read are wasted.
w0=$(cat "$D/wasted_writes")
dd if=/dev/zero of="$DEV" bs=1M count=8 seek=64 oflag=direct 2>/dev/null
w1=$(cat "$D/wasted_writes")
ktap_check "overwritten unread SSD copies: wasted_writes $w0 -> $w1" \
	[ "$w1" -gt "$w0" -a "$w1" -le $((wc / 4096)) ]

# swapcache-stat --json carries what status says (suspended: frozen).
dmsetup suspend sc
json=$(swapcache-stat --once --json sc)
set -- $(dmsetup status sc)
shift 3
want="\"bypassed\":$8,\"invalidated\":$9,\"ssd_writes\":${10},"
want="$want\"bypass\":{\"seq_cutoff\":${17},\"idle\":${18},\"meta_off\":${19},"
want="$want\"data_off\":${20},\"partial\":${21},\"degraded\":${22},"
want="$want\"nomem\":${23},\"burst\":${24},\"ssd_full\":${25},"
want="$want\"ram_full\":${26},\"once\":${27}},\"wasted_writes\":${28},"
want="$want\"hits_per_mib\":${29},\"days_left_hour\":null,"
want="$want\"days_left_total\":null,\"cleaned_blocks\":${32}}"
dmsetup resume sc
case "$json" in *"$want") r=0 ;; *) r=1; ktap_diag "json: $json";
	ktap_diag "want: ...$want" ;; esac
ktap_check "swapcache-stat --once --json matches status" [ $r = 0 ]

wc0=$(f 11) sw0=$(f 10)
dmsetup message sc 0 clear_stats
set -- $(dmsetup status sc)
shift 3
z="$4 $5 $6 $7 $8 $9 ${17} ${18} ${19} ${20} ${21} ${22} ${23} ${24} ${25}"
z="$z ${26} ${27} ${28} ${32}"
ktap_expect_eq "clear_stats: hits, misses, bypasses, wasted, cleaned zeroed" \
	"0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0" "$z"
ktap_expect_eq "clear_stats keeps write_count and ssd_writes" \
	"$wc0 $sw0" "${11} ${10}"
rd4k 9001 9002
echo 1 >"$D/clear_stats"; r1=$?
( echo 0 >"$D/clear_stats" ) 2>/dev/null; r2=$?
ktap_check "sysfs clear_stats: 1 clears, 0 refused" \
	[ $r1 = 0 -a $r2 != 0 -a "$(f 6)" = 0 ]

# SSD full at maxswappct 100: drops counted as ssd_full.
echo 100 >"$D/maxswappct"; echo 1000000000 >"$D/accrate"
echo 2000000000 >"$D/curburst"
fio --name=fill --filename="$DEV" --direct=1 --rw=randread --bs=4k \
    --offset=0 --size=128M --ioengine=libaio --iodepth=4 --time_based \
    --runtime="$(tscale 25)" >/dev/null 2>&1
ktap_check "maxswappct 100: SSD full ($(f 2)), bypass_ssd_full $(bypass ssd_full)" \
	[ "$(bypass ssd_full)" -gt 0 ]

# ext4 metadata with meta_enable=0.
sc_create m /dev/hdd2 /dev/ram1 meta_enable 0 || die "create m"
M=$(dm_node m)
mkfs.ext4 -q -F -b 4096 "$M" >/dev/null 2>&1 || die "mkfs"
mkdir -p /mnt
mount -t ext4 "$M" /mnt || die "mount"
i=0; while [ $i -lt 50 ]; do mkdir -p /mnt/d$i/e; i=$((i + 1)); done
umount /mnt
drop_caches
mount -t ext4 -o ro "$M" /mnt && ls -R /mnt >/dev/null && umount /mnt
mo=$(cat "$(sc_sysdir m)/bypass_meta_off")
ktap_check "ext4 metadata with meta_enable=0: bypass_meta_off $mo > 0" \
	[ "$mo" -gt 0 ]
ktap_expect_eq "no allocation ever failed here: bypass_nomem 0" 0 \
	"$(bypass nomem)"
dmsetup remove m
dmsetup remove sc
ktap_done
