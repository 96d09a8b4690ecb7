#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `dmsetup message` fuzzer, under verified fio I/O.  Random knob names
# (valid and not), values (valid, at and past the documented range ends,
# negative, signed, hex, fractional, huge, empty, with extra words), the
# minburst < maxburst rule, ram_budget around half of the RAM,
# clear_stats and invalidate_on_remove (also with an extra word).
#
# The expected decision comes from a model of the documented rules
# (Documentation/swapcache.rst: ranges, "decimal, without sign, without
# suffix", minburst below maxburst unless both are 0, ram_budget at most
# half of the RAM), kept in this script independently of the kernel, with
# its own copy of every knob's value.  After each message:
#  - the kernel's answer (accepted or -EINVAL) is the model's;
#  - `dmsetup table` is the line the device was created with: messages
#    never change it (the guide: "Knobs changed later with dmsetup message
#    are not part of it");
#  - every knob in /sys/block/dm-N/swapcache/ reads the model's value: an
#    accepted message shows there, a refused one changed nothing
#    (curburst is left out: it moves every tick);
#  - a refused message logged why (a "message:" line naming the device),
#    so each refusal is known to have reached the target, not dmsetup's
#    own option parser ("-1" is passed after "--" for that reason).
# clear_stats, when accepted, must have zeroed the read counters.
# fio (verified writes, random reads) runs the whole time and must finish
# without an error; the device then equals its origin.
#
# Deterministic from the seed printed first ("# seed N"); replay with
# SC_SEED=N (wrapper case) or sc.seed=N on the kernel command line.
# SC_FUZZ_N messages (default 200), fio in rounds of SC_FUZZ_SECS (20) s
# until the last message, so every message races with I/O however slow
# the host (a single 90 s run saw only 27 of 200 messages during the I/O
# with five guests on two cores).
# timeout: 900
. /tests/lib.sh

case_seed
FIO_SECS=${SC_FUZZ_SECS:-20}
MAXMSG=${SC_FUZZ_N:-200}
echo "# seed $SEED"

mk_hdd hdd 128 || die "no origin"
mk_ssd 16 || die "no cache"
sc_create sc /dev/hdd /dev/ram0 hysteresis 64 ram_budget 8 accrate 1000000 ||
	die "create"
DEV=$(dm_node sc)
D=$(sc_sysdir sc)
[ -d "$D" ] || die "no sysfs directory $D"
TABLE0=$(dmsetup table sc)
RAMMAX=$(awk '/^MemTotal:/ { printf "%d", int(int($2 / 4) / 2) / 256 }' /proc/meminfo)

# The documented knobs: name min max (ram_budget's max is RAM/2 as well).
KNOBS="read_enable 0 1
data_enable 0 1
meta_enable 0 1
accrate 0 1000000000000
maxburst 0 1000000000000000
minburst 0 1000000000000000
curburst 0 1000000000000000
maxlaunder 1 1048576
maxswappct 6 100
hysteresis 0 1073741824
ram_budget 1 1048576
seq_cutoff 0 1099511627776
endurance_tbw 0 18446744
min_reads 1 2"
NAMES=$(echo "$KNOBS" | awk '{ printf "%s ", $1 }')
# The model's state: every knob's value, from sysfs once at the start
# (the defaults and the table line's options), then only from the model.
files=""
for k in $NAMES; do
	[ "$k" = curburst ] && continue
	files="$files $D/$k"
	eval "V_$k=\$(cat $D/$k)"
done
echo "$KNOBS" | while read -r k lo hi; do echo "MIN_$k=$lo MAX_$k=$hi"; done \
	>/tmp/ranges
. /tmp/ranges
# want_knobs, have_knobs: the model's and sysfs's values, in WANT and
# HAVE (no subshell: this runs several hundred times under emulation).
want_knobs() {
	local k
	WANT=""
	for k in $NAMES; do
		[ "$k" = curburst ] || eval "WANT=\"\$WANT \$V_$k\""
	done
}
have_knobs() {
	local f x
	HAVE=""
	for f in $files; do
		read -r x <"$f"
		HAVE="$HAVE $x"
	done
}
want_knobs
ktap_diag "knobs at start:$WANT"

# clear_stats: the lead adds it together with the sysfs directory; its
# sysfs file marks the version that has it.  REQUIREMENT: once every
# supported version has it, drop the test and require acceptance.
CLEAR_REQUIRED=0
[ -e "$D/clear_stats" ] && CLEAR_REQUIRED=1

# model ARGS...: the decision for the message words as the target sees
# them.  Sets EXP (accept, reject or clear) and, for accept, K and NV.
model() {
	local v n lo hi mn mx
	EXP=reject NARGS=$#
	if [ $# -eq 1 ] && [ "$1" = clear_stats ]; then EXP=clear; return; fi
	# Only the next suspend's superblock state changes (warm.sh).
	if [ $# -eq 1 ] && [ "$1" = invalidate_on_remove ]; then
		EXP=accept; return
	fi
	[ $# -eq 2 ] || return
	case " $NAMES " in *" $1 "*) ;; *) return ;; esac
	K=$1 v=$2
	case "$v" in ''|*[!0-9]*) return ;; esac
	n=${v#"${v%%[!0]*}"}
	[ -n "$n" ] || n=0
	[ ${#n} -le 16 ] || return
	eval "lo=\$MIN_$K hi=\$MAX_$K"
	[ $((n < lo || n > hi)) = 0 ] || return
	[ "$K" = ram_budget ] && [ "$n" -gt "$RAMMAX" ] && return
	mn=$V_minburst mx=$V_maxburst
	[ "$K" = minburst ] && mn=$n
	[ "$K" = maxburst ] && mx=$n
	[ $((mn > mx || (mn == mx && mx != 0))) = 0 ] || return
	NV=$n EXP=accept
}

# The messages: "count|w1|w2|w3" (words may be empty).
knob_model_awk >/tmp/gen.awk
cat >>/tmp/gen.awk <<'EOF'
function rnd(k) { return int(rand() * k) }
function big(lo, hi,   r) {
	r = (rand() * 2147483648 + rand()) / 2147483649
	return sprintf("%.0f", lo + int(r * (hi - lo + 1)))
}
function valid(i,   r) {
	r = rnd(8)
	if (r == 0) return LO[i]
	if (r == 1) return HI[i]
	if (r == 2) return "000" LO[i]
	if (KN[i] == "ram_budget")
		return rnd(3) ? 1 + rnd(256) : rammax - 1 + rnd(3)
	if (KN[i] ~ /burst$/ && rnd(2))	# near the minburst/maxburst line
		return rnd(2) ? 10000000 + rnd(3) - 1 : 2000000000 + rnd(3) - 1
	return big(LO[i], HI[i] > 1e12 ? 1e12 : HI[i])
}
function bad(i,   r) {
	r = rnd(14)
	if (r == 0) return sprintf("%.0f", HI[i] + 1)
	if (r == 1) return LO[i] > 0 ? LO[i] - 1 : "-1"
	if (r == 2) return "-" valid(i)
	if (r == 3) return "+" valid(i)
	if (r == 4) return "0x" rnd(100)
	if (r == 5) return valid(i) "abc"
	if (r == 6) return "1e3"
	if (r == 7) return valid(i) ".5"
	if (r == 8) return "18446744073709551616"
	if (r == 9) return "18446744073709551615"
	if (r == 10) return "99999999999999999999"
	if (r == 11) return ""
	if (r == 12) return "abc"
	return "00000000000000000000" valid(i)
}
BEGIN {
	srand(seed)
	knob_model()
	NU = split("frobnicate ACCRATE accrate= read-enable maxswap " \
	    "block_size clear-stats clearstats status 0 - ram_budget_ " \
	    "Read_enable", U, " ")
	for (m = 0; m < n; m++) {
		i = 1 + rnd(NK); k = KN[i]; r = rnd(100)
		if (r < 40) print "2|" k "|" valid(i)
		else if (r < 65) print "2|" k "|" bad(i)
		else if (r < 70) print "2|" U[1 + rnd(NU)] "|" valid(i)
		else if (r < 74) print "1|" k
		else if (r < 78) print "3|" k "|" valid(i) "|" valid(i)
		else if (r < 81) print "3|" k "|" valid(i) "|"
		else if (r < 84) print "3||" k "|" valid(i)
		else if (r < 89) print "1|clear_stats"
		else if (r < 91) print "2|clear_stats|" rnd(2)
		else if (r < 92) print rnd(2) ? "1|invalidate_on_remove" : \
		    "2|invalidate_on_remove|" rnd(2)
		else if (r < 93) print "1|"
		else if (r < 96) print "2|ram_budget|" rammax - 1 + rnd(3)
		else print "2|" (rnd(2) ? "minburst" : "maxburst") "|" \
		    (rnd(3) ? 0 : 10000000 + rnd(3) - 1)
	}
}
EOF
awk -v seed="$SEED" -v n=$MAXMSG -v rammax="$RAMMAX" -f /tmp/gen.awk \
	>/tmp/msgs || die "generator"

ktap_plan 13

# The "--" keeps dmsetup's option parser away from values like "-1":
# check that such a message reaches the target.
klog_mark
dmsetup message -- sc 0 accrate -1 2>/dev/null; r=$?
ktap_check "'accrate -1' reaches the target and is refused" \
	[ $r -ne 0 -a -n "$(dmesg | grep 'message: Invalid accrate')" ]

# Verified writes on the first 64 MiB, random reads over the whole device,
# each job at most 300 IOPS so the fuzz loop gets its share of the CPU; a
# round after another until the loop below is done (/tmp/fuzz.stop).  The
# first failing round ends them, its output kept in /tmp/fio.out.
fio_rounds() {
	while [ ! -e /tmp/fuzz.stop ]; do
		fio --filename="$DEV" --direct=1 --ioengine=libaio \
		    --randrepeat=0 --time_based --runtime="$FIO_SECS" \
		    --output-format=terse --rate_iops=300 \
		    --name=w --rw=randrw --rwmixread=50 --bs=4k --iodepth=4 \
		    --size=32M --numjobs=2 --offset_increment=32M \
		    --verify=crc32c --verify_fatal=1 --verify_backlog=16 \
		    --name=r --rw=randread --bs=4k --iodepth=8 --size=128M \
		    --random_distribution=zipf:0.8 >/tmp/fio.out 2>&1 || return 1
	done
}
rm -f /tmp/fuzz.stop
fio_rounds &
FIO=$!
sleep 2

tries=0 during=0 acc=0 rej=0 clears=0 clear_checked=0
disagree=0 tablechg=0 knobchg=0 nolog=0 clearbad=0 shown=0
show() {
	shown=$((shown + 1))
	[ $shown -le 12 ] && echo "# $*"
}
klog_mark
set -f
while IFS='|' read -r cnt w1 w2 w3; do
	tries=$((tries + 1))
	kill -0 $FIO 2>/dev/null && during=$((during + 1))
	# dmsetup joins the words with spaces; the target splits them again.
	case $cnt in
	1) joined="$w1" ;;
	2) joined="$w1 $w2" ;;
	*) joined="$w1 $w2 $w3" ;;
	esac
	# shellcheck disable=SC2086 # split like the kernel does
	model $joined
	if [ "$EXP" = clear ]; then
		before=$(dmsetup status sc | awk '{ print $7 + $8 + $9 + $10 }')
	fi
	case $cnt in
	1) dmsetup message -- sc 0 "$w1" 2>/dev/null ;;
	2) dmsetup message -- sc 0 "$w1" "$w2" 2>/dev/null ;;
	*) dmsetup message -- sc 0 "$w1" "$w2" "$w3" 2>/dev/null ;;
	esac
	r=$?
	got=reject
	[ $r = 0 ] && got=accept
	if [ "$EXP" = clear ]; then
		clears=$((clears + 1))
		if [ $r = 0 ]; then
			after=$(dmsetup status sc | awk '{ print $7 + $8 + $9 + $10 }')
			if [ "$before" -ge 5000 ]; then
				clear_checked=$((clear_checked + 1))
				if [ "$after" -ge "$before" ]; then
					clearbad=$((clearbad + 1))
					show "#$tries clear_stats: read counters $before -> $after"
				fi
			fi
			EXP=accept
		elif [ $CLEAR_REQUIRED = 1 ]; then
			EXP=accept
		else
			EXP=reject
		fi
		K=
	fi
	if [ "$got" = accept ]; then acc=$((acc + 1)); else rej=$((rej + 1)); fi
	if [ "$got" != "$EXP" ]; then
		disagree=$((disagree + 1))
		show "#$tries '$joined': $got, model: $EXP"
	fi
	# The model follows the kernel, so one disagreement is reported once.
	if [ "$got" = accept ] && [ -n "$K" ] && [ "$EXP" = accept ]; then
		eval "V_$K=$NV"
	fi
	# Accepted messages log nothing: read the log after refusals only.
	[ "$got" = reject ] && log=$(dmesg -c)
	if [ "$got" = reject ] && [ "$NARGS" -gt 0 ]; then
		case "$log" in
		*"swapcache: "*": message: "*|*"Empty message"*) ;;
		*)	nolog=$((nolog + 1))
			show "#$tries '$joined' refused without a log line" ;;
		esac
	fi
	t=$(dmsetup table sc)
	if [ "$t" != "$TABLE0" ]; then
		tablechg=$((tablechg + 1))
		show "#$tries '$joined' changed the table to '$t'"
	fi
	have_knobs
	want_knobs
	if [ "$HAVE" != "$WANT" ]; then
		knobchg=$((knobchg + 1))
		show "#$tries '$joined' ($got): knobs '$HAVE', model '$WANT'"
		# Follow the kernel so that one fault is reported once.
		for k in $NAMES; do
			[ "$k" = curburst ] || eval "V_$k=\$(cat $D/$k)"
		done
	fi
	K=
done </tmp/msgs
set +f
ktap_diag "$tries messages ($during during the I/O): $acc accepted, $rej refused, $clears clear_stats ($clear_checked checked)"

ktap_check "all $MAXMSG messages ran, at least 50 during the I/O ($tries, $during)" \
	[ $tries -eq $MAXMSG -a $during -ge 50 ]
ktap_check "both answers seen: $acc accepted, $rej refused" \
	[ $acc -ge $((tries / 5)) -a $rej -ge $((tries / 5)) ]
ktap_check "the kernel agrees with the model on every message ($disagree)" \
	[ $disagree = 0 ]
ktap_check "every refused message logged why ($nolog without)" [ $nolog = 0 ]
ktap_check "the table line never changed ($tablechg)" [ $tablechg = 0 ]
ktap_check "sysfs knobs always read the model's values ($knobchg)" \
	[ $knobchg = 0 ]
if [ $CLEAR_REQUIRED = 1 ]; then
	ktap_check "clear_stats zeroed the read counters ($clear_checked checked, $clearbad not)" \
		[ $clearbad = 0 -a $clear_checked -gt 0 ]
else
	ktap_check "clear_stats: accepted ones zeroed the read counters ($clearbad not)" \
		[ $clearbad = 0 ]
fi

touch /tmp/fuzz.stop
wait $FIO
rc=$?
[ $rc -eq 0 ] || tail -n 20 /tmp/fio.out | sed 's/^/# /'
ktap_check "fio: no I/O or verify error under the fuzz" [ $rc -eq 0 ]
ktap_diag "status: $(dmsetup status sc)"
ktap_check "no SSD error, not degraded" \
	[ "$(sc_stat sc 15)" = 0 -a "$(sc_stat sc 16)" = cache ]
# Still a cache: with the class knobs back on, a re-read hits.
for kv in "data_enable 1" "read_enable 1" "ram_budget 64" "seq_cutoff 0"; do
	# shellcheck disable=SC2086
	dmsetup message -- sc 0 $kv || ktap_diag "message $kv refused"
done
dd if="$DEV" of=/dev/null bs=64k count=64 iflag=direct 2>/dev/null
h0=$(($(sc_stat sc 4) + $(sc_stat sc 5)))
dd if="$DEV" of=/dev/null bs=64k count=64 iflag=direct 2>/dev/null
h1=$(($(sc_stat sc 4) + $(sc_stat sc 5)))
ktap_check "after the fuzz a re-read still hits the cache ($h0 -> $h1)" \
	[ $h1 -ge $((h0 + 1024)) ]
drop_caches
ktap_check "device equals the origin byte for byte" cmp "$DEV" /dev/hdd
ktap_check "the device is removable" dmsetup remove sc
ktap_done
