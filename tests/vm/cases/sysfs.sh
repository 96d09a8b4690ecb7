#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The tuning interface: /sys/block/dm-N/swapcache/, `dmsetup message` and
# the table line, for every knob.
#  - each knob reads back its default; a valid value is taken and read
#    back; each bad value (not a number, signed, hex, fractional, empty,
#    out of range, 2^64) is refused with EINVAL and leaves it unchanged;
#    the rules between knobs (minburst below maxburst, ram_budget at most
#    half the RAM) hold through sysfs and messages alike;
#  - the same bad values through `dmsetup message` are refused and leave
#    the table line unchanged; unknown knobs and messages are refused with
#    a message naming them in the kernel log;
#  - a table line setting every knob comes up with those values, and
#    `dmsetup table` reproduces it;
#  - the directory lives with the device: gone while suspended, back on
#    resume, replaced on reload (with the new table's values), one per
#    device with two devices, "swapcache" and "swapcache-<start>" for two
#    targets in one table, gone on remove; a file held open across the
#    remove reads an error, not freed memory; reads racing suspend/resume
#    do not oops.
# timeout: 400
. /tests/lib.sh

mk_hdd hdd 64 || die "no origin"
mk_hdd hdd2 64 || die "no second origin"
mk_hdd hdd3 64 || die "no third origin"
mk_ssd 16 3 || die "no cache"
sc_mod dm-swapcache || die "module"

# name default min max (the documented ranges; ram_budget's max is RAM/2)
KNOBS="read_enable 1 0 1
data_enable 1 0 1
meta_enable 1 0 1
accrate 100000 0 1000000000000
maxburst 2000000000 0 1000000000000000
minburst 10000000 0 1000000000000000
curburst 4000000000 0 1000000000000000
maxlaunder 256 1 1048576
maxswappct 75 6 100
hysteresis 512 0 1073741824
ram_budget 64 1 RAM
seq_cutoff 4194304 0 1099511627776
endurance_tbw 0 0 18446744
min_reads 2 1 2"
NKNOBS=14
STATS="block_size cache_blocks used_blocks staged_blocks ram_hits ssd_hits
misses captured bypassed invalidated ssd_writes write_count writer_state
burst_state ssd_errors degraded wasted_writes hits_per_mib days_left_hour
days_left_total bypass_seq_cutoff bypass_idle bypass_meta_off
bypass_data_off bypass_partial bypass_degraded bypass_nomem bypass_burst
bypass_ssd_full bypass_ram_full bypass_once cleaned_blocks shrunk_blocks
meta_written lifetime_written restored_blocks load_pages_left"
RAM_MAX=$(awk '/^MemTotal:/ { printf "%d", $2 / 2048 }' /proc/meminfo)

ktap_plan 26

sc_create sc /dev/hdd /dev/ram0 || die "create"
D=$(sc_sysdir sc)
ktap_check "sysfs directory exists ($D)" [ -d "$D" ]

# Every knob file reads its default; every counter file is readable.
bad=""
echo "$KNOBS" | while read -r n def min max; do
	v=$(cat "$D/$n" 2>/dev/null)
	[ "$v" = "$def" ] || echo "$n=$v(want $def)"
done >/tmp/bad
ktap_check "all $NKNOBS knobs read back their defaults $(cat /tmp/bad)" \
	[ ! -s /tmp/bad ]
for s in $STATS; do
	[ -r "$D/$s" ] && [ -n "$(cat "$D/$s")" ] || bad="$bad $s"
done
ktap_check "every counter file reads a value$bad" [ -z "$bad" ]
n=$(ls "$D" | wc -l)
ktap_expect_eq "files: knobs, counters and clear_stats" \
	$((NKNOBS + $(echo $STATS | wc -w) + 1)) "$n"

# try_sysfs KNOB VALUE: 0 when the write was accepted.
try_sysfs() { printf '%s\n' "$2" >"$D/$1" 2>/dev/null; }

# bad_values MIN MAX: values every knob must refuse.
bad_values() {
	echo "abc"; echo "-1"; echo "0x10"; echo "1.5"; echo "+1"
	echo "1 2"; echo "18446744073709551616"; echo ""
	echo "99999999999999999999999"
	[ "$2" != 18446744073709551615 ] && echo "$(($2 + 1))"
	[ "$1" -gt 0 ] && echo "$(($1 - 1))"
}

# For each knob: a valid value is taken; bad ones are refused, unchanged.
echo "$KNOBS" | while read -r n def min max; do
	[ "$max" = RAM ] && max=$RAM_MAX
	valid=$max
	[ "$n" = minburst ] && valid=$((min + 1))	# below maxburst
	[ "$n" = maxburst ] && valid=$max
	if ! try_sysfs "$n" "$valid"; then
		echo "$n: valid $valid refused"
		continue
	fi
	got=$(cat "$D/$n")
	# curburst reads the live budget, which may move by a tick.
	[ "$n" = curburst ] && [ "$got" -ge "$valid" ] && got=$valid
	[ "$got" = "$valid" ] || echo "$n: wrote $valid, read $got"
	bad_values "$min" "$max" | while read -r b; do
		if try_sysfs "$n" "$b"; then
			echo "$n: '$b' accepted"
		fi
		now=$(cat "$D/$n")
		[ "$n" = curburst ] && [ "$now" -ge "$valid" ] && now=$valid
		[ "$now" = "$valid" ] || echo "$n: '$b' changed it to $now"
	done
	try_sysfs "$n" "$def" || echo "$n: default $def refused"
done >/tmp/bad 2>&1
ktap_check "sysfs: valid values taken, bad ones refused and unchanged" \
	[ ! -s /tmp/bad ]
head -n 10 /tmp/bad | sed 's/^/# /'

# The bad-value writes answered EINVAL, not some other error.
err=$( (echo abc >"$D/maxswappct") 2>&1 | head -n 1)
ktap_check "a bad write answers 'Invalid argument' ($err)" \
	sh -c "echo '$err' | grep -q 'Invalid argument'"

# Rules between knobs.
try_sysfs minburst 2000000000
ktap_expect_eq "sysfs: minburst equal to maxburst refused" \
	10000000 "$(cat "$D/minburst")"
try_sysfs maxburst 5000000
ktap_expect_eq "sysfs: maxburst below minburst refused" \
	2000000000 "$(cat "$D/maxburst")"
try_sysfs ram_budget $((RAM_MAX + 1))
ktap_expect_eq "sysfs: ram_budget above half of the RAM refused" \
	64 "$(cat "$D/ram_budget")"
ktap_check "sysfs: maxburst 0 with minburst 0 accepted (stop writing)" \
	sh -c "echo 0 >$D/minburst && echo 0 >$D/maxburst"
echo 2000000000 >"$D/maxburst"; echo 10000000 >"$D/minburst"

# Messages: the same bad values are refused, the table line unchanged.
table=$(dmsetup table sc)
klog_mark
echo "$KNOBS" | while read -r n def min max; do
	[ "$max" = RAM ] && max=$RAM_MAX
	bad_values "$min" "$max" | while read -r b; do
		[ -z "$b" ] && continue	# dmsetup drops an empty argument
		dmsetup message sc 0 "$n" "$b" 2>/dev/null &&
			echo "message $n '$b' accepted"
	done
	dmsetup message sc 0 "$n" "$def" || echo "message $n $def refused"
	[ "$(cat "$D/$n")" = "$def" ] || [ "$n" = curburst ] ||
		echo "message $n $def: sysfs reads $(cat "$D/$n")"
done >/tmp/bad 2>&1
ktap_check "messages: bad values refused, valid ones reach sysfs" \
	[ ! -s /tmp/bad ]
head -n 10 /tmp/bad | sed 's/^/# /'
ktap_expect_eq "messages: the table line is unchanged" "$table" \
	"$(dmsetup table sc)"
ktap_check "bad message values are named in the kernel log" \
	sh -c 'dmesg | grep -q "message: Invalid maxswappct: percent, 6 to 100"'
klog_mark
dmsetup message sc 0 nosuchknob 1 2>/dev/null; r1=$?
dmsetup message sc 0 flush 2>/dev/null; r2=$?
dmsetup message sc 0 maxswappct 50 extra 2>/dev/null; r3=$?
ktap_check "unknown knob, unknown message, extra argument refused" \
	[ $r1 -ne 0 -a $r2 -ne 0 -a $r3 -ne 0 ]
ktap_check "the kernel log names the unknown knob and message" \
	sh -c "dmesg | grep -q \"unknown knob 'nosuchknob'\" &&
	       dmesg | grep -q \"unknown message 'flush'\""
ktap_check "minburst above maxburst refused by message" \
	sh -c '! dmsetup message sc 0 minburst 3000000000 2>/dev/null'

# Suspend removes the directory, resume brings it back.
dmsetup suspend sc
s1=0; [ -d "$D" ] && s1=1
dmsetup resume sc
ktap_check "suspended: no directory; resumed: back" [ $s1 = 0 -a -d "$D" ]

# Reload with a knob on the table line: the new table's directory.
dmsetup reload sc --table \
	"0 $(sectors /dev/hdd) swapcache /dev/hdd /dev/ram0 2 maxswappct 60"
dmsetup resume sc
ktap_expect_eq "reload+resume: the directory shows the new table" \
	60 "$(cat "$D/maxswappct" 2>/dev/null)"

# A table line that sets every knob comes up with those values.
opts="block_size 4096 read_enable 0 data_enable 0 meta_enable 0"
opts="$opts accrate 12345 maxburst 23456789 minburst 345678 curburst 4567"
opts="$opts maxlaunder 16 maxswappct 50 hysteresis 7 ram_budget 8"
opts="$opts seq_cutoff 65536 endurance_tbw 600 min_reads 1"
sc_create sc2 /dev/hdd2 /dev/ram1 $opts || die "create sc2"
D2=$(sc_sysdir sc2)
bad=""
set -- $opts
shift 2
while [ $# -gt 0 ]; do
	v=$(cat "$D2/$1")
	# curburst reads the live budget: accrate adds to it every tick.
	[ "$1" = curburst ] && [ "$v" -ge "$2" ] && v=$2
	[ "$v" = "$2" ] || bad="$bad $1=$v"
	shift 2
done
ktap_check "table line with every knob: sysfs reads them$bad" [ -z "$bad" ]
ktap_expect_eq "dmsetup table reproduces the table line" \
	"0 $(sectors /dev/hdd2) swapcache 252:1 1:1 30 $opts" \
	"$(dmsetup table sc2 | sed 's/ [0-9]*:[0-9]* [0-9]*:[0-9]* 30 / 252:1 1:1 30 /')"
ktap_check "two devices: two directories" \
	[ -d "$D" -a -d "$D2" -a "$D" != "$D2" ]
dmsetup remove sc2

# Two swapcache targets in one table (each its own origin and SSD): two
# directories.
h=$(($(sectors /dev/hdd) / 2))
dmsetup create two --table "0 $h swapcache /dev/hdd2 /dev/ram1
$h $h swapcache /dev/hdd3 /dev/ram2" 2>/dev/null
DT=$(sc_sysdir two)
ktap_check "two targets in one table: swapcache and swapcache-$h" \
	[ -d "$DT" -a -d "$DT-$h" ]
dmsetup remove two

# Readers racing suspend/resume: no oops (the harness reads the console).
( i=0; while [ $i -lt 400 ]; do
	cat "$D"/* >/dev/null 2>&1; i=$((i + 1)); done ) &
rd=$!
i=0
while [ $i -lt 20 ]; do
	dmsetup suspend sc && dmsetup resume sc
	i=$((i + 1))
done
wait $rd
ktap_check "sysfs readers raced 20 suspend/resume cycles" [ -d "$D" ]

# A file held open across the remove reads an error afterwards.
exec 3<"$D/ssd_hits"
dmsetup remove sc
if cat <&3 >/dev/null 2>&1; then held=read; else held=error; fi
exec 3<&-
ktap_check "after remove: no directory" [ ! -d "$D" ]
ktap_expect_eq "a file held open across remove reads an error" error "$held"
ktap_check "module unloads: nothing holds it" rmmod dm_swapcache
ktap_done
