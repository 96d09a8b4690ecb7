#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Resume allocates nothing that could wait on the device's own I/O, which
# dm still holds while the target's resume runs (finding 11).  Memory
# reclaim recursing into that I/O cannot be provoked in these kernels (no
# lockdep, no fault injection), so this checks how resume is built: the
# daemon thread (whose creation makes kthreadd allocate while resume
# waits) exists from the constructor (after `dmsetup load`, before any
# resume), the same thread serves every suspend/resume cycle and a
# suspended target's thread sleeps; the sysfs directory still comes and
# goes with resume and suspend, and remove ends the thread.
# timeout: 240
. /tests/lib.sh

mk_hdd hdd 64 || die "no origin"
mk_ssd 16 || die "no cache"
sc_mod dm-swapcache || die "module"

# daemon_pids: the pids of the swapcached threads.
daemon_pids() {
	for c in /proc/[0-9]*/comm; do
		grep -q '^swapcached' "$c" 2>/dev/null &&
			basename "$(dirname "$c")"
	done | sort | tr '\n' ' '
}

ktap_plan 7

dmsetup create sc --notable || die "create"
dmsetup load sc --table \
	"0 $(sectors /dev/hdd) swapcache /dev/hdd /dev/ram0" || die "load"
pids=$(daemon_pids)
ktap_check "the constructor created the daemon thread ($pids)" [ -n "$pids" ]
dmsetup resume sc || die "resume"
first=$(daemon_pids)
D=$(sc_sysdir sc)
ktap_check "sysfs directory after resume" [ -d "$D" ]
ok=1
i=0
while [ $i -lt 3 ]; do
	dmsetup suspend sc || ok=0
	[ -d "$D" ] && ok=0
	now=$(daemon_pids)
	[ "$now" = "$first" ] || { ktap_diag "suspended: $now, was $first"; ok=0; }
	dmsetup resume sc || ok=0
	now=$(daemon_pids)
	[ "$now" = "$first" ] || { ktap_diag "resumed: $now, was $first"; ok=0; }
	[ -d "$D" ] || ok=0
	i=$((i + 1))
done
ktap_check "3 suspend/resume cycles: one thread throughout ($first), sysfs comes and goes" [ $ok = 1 ]
dmsetup suspend sc
st=$(awk '/^State:/ { print $2 }' "/proc/${first% }/status" 2>/dev/null)
ktap_expect_eq "suspended: the thread sleeps" S "$st"
dd if="$(dm_node sc)" of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null &
DD=$!
dmsetup resume sc
wait $DD
ktap_check "I/O held across the suspend completes after resume" [ $? = 0 ]
dmsetup reload sc --table \
	"0 $(sectors /dev/hdd) swapcache /dev/hdd /dev/ram0 2 accrate 1000"
dmsetup resume sc
n=$(echo $(daemon_pids) | wc -w)
ktap_expect_eq "a reload: the old table's thread gone, one new thread" 1 "$n"
dmsetup remove sc
ktap_expect_eq "remove ends the thread" "" "$(daemon_pids)"
ktap_done
