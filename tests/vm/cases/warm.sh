#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The warm start (Documentation/swapcache.rst, "Warm restart"; issue 13):
#  - a clean suspend writes the checkpoint and the superblock CLEAN; the
#    resume writes it OPEN again before any bio passes;
#  - after a reload, and after remove and create, the new table loads
#    every SSD copy (restored_blocks = the blocks in use before), the SSD
#    serves at least 90% of what it served before of a re-read of the
#    cached region, and every
#    block read equals the origin;
#  - a reload while fio writes and verifies over the cached region: fio
#    verifies clean and so does a full compare against the origin;
#  - a second suspend with nothing changed writes no checkpoint page;
#  - cold starts, each with its log line and the data still right: the
#    origin's first blocks rewritten while detached, the origin's size
#    changed, the table option `cold`, the message invalidate_on_remove,
#    a torn CLEAN superblock (the older OPEN slot is in charge);
#  - a damaged checkpoint page gives none of its copies, the others load;
#  - writes while the load runs (the SSD's reads delayed by dm-delay):
#    the load drops their entries, and every block reads as written;
#  - a reload that keeps the origin and names another SSD leaves the
#    first SSD OPEN: the first pair comes back cold, with the new data.
# timeout: 600
. /tests/lib.sh

mk_hdd hdd 64 || die "no origin"
mk_fast_ssd ssd 32 || die "no cache"
sc_mod dm-swapcache || die "module"
H=/dev/hdd
S=/dev/ssd
HS=$(sectors $H)
OPTS="min_reads 1 hysteresis 0 accrate 100000000"
TABLE="0 $HS swapcache $H $S 6 $OPTS"
dd if=/dev/urandom of=$H bs=1M count=64 oflag=direct 2>/dev/null

ktap_plan 33

sum_dev() { dd if="$1" bs=1M count="${2:-64}" iflag=direct 2>/dev/null | md5sum; }
same_as_origin() { [ "$(sum_dev "$(dm_node sc)")" = "$(sum_dev $H)" ]; }
state_of() { swapcache-ctl show-super $S 2>/dev/null | awk '$1 == "state:" { print $2 }'; }
# wait_loaded: until the load has read every checkpoint page.
wait_loaded() {
	local i=0
	while [ "$(sc_stat sc 37)" != 0 ] && [ $i -lt 120 ]; do
		sleep 0.5; i=$((i + 1))
	done
	[ "$(sc_stat sc 37)" = 0 ]
}
# ssd_share MIB: read MIB MiB through the target; print the percentage
# of the sectors that came from the SSD.
ssd_share() {
	local r0 r1
	r0=$(sectors_read $S)
	dd if="$(dm_node sc)" of=/dev/null bs=1M count="$1" iflag=direct \
		2>/dev/null
	r1=$(sectors_read $S)
	echo $(((r1 - r0) * 100 / ($1 * 2048)))
}

# Warm 8 MiB, all of it: read it twice, wait for the writer, drop the
# RAM copies.  Nothing is left to write: the map stays as it is.
sc_create sc $H $S $OPTS || die "create"
DEV=$(dm_node sc)
sc_fill sc 8 2048
dmsetup message sc 0 ram_budget 1
sleep 2
used=$(sc_used sc)
share=$(ssd_share 8)
ktap_diag "warm: $used blocks on the SSD, the SSD served $share% of a re-read"
[ "$used" -ge 2048 ] || die "the SSD did not fill ($used blocks)"

# 1. A clean suspend: CLEAN on the SSD; resume: OPEN before any I/O.
m0=$(sc_stat sc 34)
dmsetup suspend sc
m1=$(sc_stat sc 34)
ktap_expect_eq "a clean suspend leaves the superblock CLEAN" clean "$(state_of)"
pages=$(((m1 - m0 - 4096) / 4096))
ktap_check "it wrote the checkpoint pages that hold copies ($pages, >= $(((used + 507) / 508)))" \
	[ "$pages" -ge $(((used + 507) / 508)) -a \
	  $(((m1 - m0) % 4096)) = 0 ]
dmsetup resume sc
ktap_expect_eq "the resume writes it OPEN" open "$(state_of)"
ktap_expect_eq "the same table keeps its map (nothing loaded)" 0 \
	"$(sc_stat sc 36)"
m2=$(sc_stat sc 34)
dmsetup suspend sc
m3=$(sc_stat sc 34)
dmsetup resume sc
ktap_expect_eq "a second suspend, nothing changed: the superblock only" \
	4096 "$((m3 - m2))"

# 2. Reload: the new table loads every copy, the SSD serves the re-read.
u0=$(sc_used sc)
klog_mark
dmsetup reload sc --table "$TABLE" || die "reload"
dmsetup resume sc || die "resume"
ktap_check "the reload's load finishes" wait_loaded
ktap_expect_eq "the reload restored every copy" "$u0" "$(sc_stat sc 36)"
ktap_check "the kernel log says warm start done" \
	sh -c 'dmesg | grep -q "warm start done: '"$u0"' copies restored"'
dmsetup message sc 0 ram_budget 1
s2=$(ssd_share 8)
ktap_check "after the reload the SSD serves $s2% of the re-read (>= 90% of $share%)" \
	[ $((s2 * 10)) -ge $((share * 9)) -a "$s2" -gt 0 ]
ktap_check "every block equals the origin after the reload" same_as_origin

# 3. Remove and create: warm again.
u0=$(sc_used sc)
dmsetup remove sc
ktap_expect_eq "remove leaves it CLEAN" clean "$(state_of)"
sc_create sc $H $S $OPTS || die "create 2"
wait_loaded
ktap_expect_eq "remove and create restore every copy" "$u0" "$(sc_stat sc 36)"
ktap_check "every block equals the origin after the create" same_as_origin

# 4. A reload under fio's writes and verification over the cached region.
dmsetup message sc 0 ram_budget 1
fio --name=rw --filename="$(dm_node sc)" --direct=1 --ioengine=libaio \
    --iodepth=8 --rw=randrw --bs=4k --size=16M --verify=crc32c \
    --verify_backlog=64 --time_based --runtime=20 \
    >/tmp/fio.out 2>&1 &
fpid=$!
sleep 4
n=0
while kill -0 $fpid 2>/dev/null && [ $n -lt 3 ]; do
	dmsetup reload sc --table "$TABLE" && dmsetup resume sc || break
	n=$((n + 1))
	sleep 2
done
wait $fpid
rc=$?
[ $rc = 0 ] || tail -n 15 /tmp/fio.out | sed 's/^/# /'
ktap_check "fio randrw verifies clean across $n reloads (rc $rc)" \
	[ $rc = 0 -a $n -ge 1 ]
wait_loaded
ktap_check "every block equals the origin after them ($(sc_stat sc 36) restored)" \
	same_as_origin

# 5. Cold starts, each with its reason, the data always right.
cold_check() {	# cold_check "what" "log text"
	wait_loaded
	if [ "$(sc_stat sc 36)" = 0 ] &&
	   dmesg | grep -qF "starting cold: $2"; then
		ktap_ok "$1: cold, the log says why"
	else
		dmesg | tail -n 3 | sed 's/^/# log: /'
		ktap_fail "$1: cold ($(sc_stat sc 36) restored), the log says why"
	fi
}
dmsetup remove sc
dd if=/dev/urandom of=$H bs=4k count=1 oflag=direct conv=notrunc 2>/dev/null
klog_mark
sc_create sc $H $S $OPTS || die "create 3"
cold_check "the origin's first blocks rewritten while detached" \
	"the origin's first blocks changed"
ktap_check "... and every block equals the new origin" same_as_origin
dmsetup remove sc
klog_mark
dmsetup create sc --table "0 $((HS / 2)) swapcache $H $S 6 $OPTS" ||
	die "create half"
cold_check "the origin's size changed" "the origin's size changed"
dmsetup remove sc
klog_mark
sc_create sc $H $S cold || die "create cold"
cold_check "the table says cold" "the table says cold"
ktap_check "dmsetup table gives cold back" \
	sh -c 'dmsetup table sc | grep -q " 1 cold$"'
# Warm it again for what follows.
dd if="$(dm_node sc)" of=/dev/null bs=1M count=16 iflag=direct 2>/dev/null
sleep 3
dmsetup suspend sc
ktap_check "invalidate_on_remove is refused while suspended (CLEAN is written)" \
	sh -c '! dmsetup message sc 0 invalidate_on_remove 2>/dev/null &&
	       dmesg | grep -q "invalidate_on_remove: the device is suspended"'
dmsetup resume sc
dmsetup message sc 0 invalidate_on_remove || die "message"
dmsetup remove sc
ktap_expect_eq "after invalidate_on_remove the superblock is OPEN" open \
	"$(state_of)"
klog_mark
sc_create sc $H $S $OPTS || die "create 4"
cold_check "invalidate_on_remove" "it was not shut down cleanly"
ktap_check "... every block equals the origin" same_as_origin

# 6. A torn CLEAN superblock: the older slot, OPEN, is in charge: cold.
sc_fill sc 16 2048
dmsetup remove sc
q0=$(dd if=$S bs=4096 skip=0 count=1 2>/dev/null | od -An -j16 -N8 -tu8 | tr -d ' ')
q1=$(dd if=$S bs=4096 skip=1 count=1 2>/dev/null | od -An -j16 -N8 -tu8 | tr -d ' ')
new=1; [ "$q0" -gt "$q1" ] && new=0
dd if=/dev/urandom of=$S bs=512 seek=$((new * 8 + 3)) count=1 oflag=direct \
	conv=notrunc 2>/dev/null
klog_mark
sc_create sc $H $S $OPTS || die "create torn"
wait_loaded
ktap_check "a torn CLEAN slot: the OPEN one before it rules, cold ($(sc_stat sc 36))" \
	[ "$(sc_stat sc 36)" = 0 ]
ktap_check "... every block equals the origin" same_as_origin

# 7. A damaged checkpoint page: its copies are lost, the others load.
sc_fill sc 16 2048
u1=$(sc_used sc)
dmsetup remove sc
# Page 1 (sector 16 + 8), full since a new map fills cblocks from 0: one
# byte of an entry changed.
printf '\377' | dd of=$S bs=1 seek=$(((16 + 8) * 512 + 100)) conv=notrunc \
	2>/dev/null
klog_mark
sc_create sc $H $S $OPTS || die "create page"
wait_loaded
r=$(sc_stat sc 36)
ktap_check "a damaged page: its 508 copies are not loaded, the others are ($r of $u1)" \
	sh -c "dmesg | grep -q 'warm start done' && [ $r -gt 0 ] &&
	       [ $r -le $((u1 - 508)) ]"
ktap_check "... every block equals the origin" same_as_origin

# 8. Writes while the load runs: the SSD's reads are 2 s late (dm-delay),
# so the load is still reading its first pages when the writes come.
# Every written block must read back as written, never the copy the
# checkpoint still names.
sc_fill sc 8 2048
dmsetup remove sc
sc_mod dm-delay || die "no dm-delay"
dmsetup create slow --table "0 $(sectors $S) delay $S 0 2000 $S 0 0" ||
	die "delay"
klog_mark
dmsetup create sc --table "0 $HS swapcache $H $(dm_node slow) 6 $OPTS" ||
	die "create over the slow SSD"
left=$(sc_stat sc 37)
dd if=/dev/urandom of="$(dm_node sc)" bs=1M count=4 oflag=direct 2>/dev/null
ktap_check "the writes came while the load ran ($left pages left)" \
	[ "$left" -gt 0 ]
wait_loaded
# Entries in pages loaded before the dd reached their blocks were restored
# and then invalidated by the write as usual; the rest were dropped by the
# load. Either way at most the 1024 written blocks, and some of them here.
dropped=$(dmesg | sed -n 's/.*restored, \([0-9]*\) written meanwhile.*/\1/p')
ktap_check "the load dropped written blocks' entries (${dropped:-none} of 1024)" \
	sh -c "[ ${dropped:-0} -gt 0 ] && [ ${dropped:-0} -le 1024 ]"
ktap_check "... every block equals the origin (the new data)" same_as_origin
dmsetup remove sc
dmsetup remove slow

# 9. A reload that keeps the origin and names another SSD: the new table
# writes the origin behind the first SSD's back, so that SSD must not be
# left CLEAN; a later table over the first pair starts cold and reads the
# new data.
mk_fast_ssd ssd2 32 || die "no second cache"
sc_create sc $H $S $OPTS || die "create over the first SSD"
sc_fill sc 8 2048
klog_mark
dmsetup reload sc --table "0 $HS swapcache $H /dev/ssd2 6 $OPTS" &&
	dmsetup resume sc || die "reload onto the second SSD"
ktap_check "a reload onto another SSD leaves the first one OPEN ($(state_of))" \
	sh -c "[ $(state_of) = open ] &&
	       dmesg | grep -q 'keeps the origin or the SSD, not both'"
# Past the origin's first 128 KiB, which the origin check would see.
dd if=/dev/urandom of="$(dm_node sc)" bs=1M seek=1 count=7 oflag=direct \
	2>/dev/null
dmsetup remove sc
klog_mark
sc_create sc $H $S $OPTS || die "create over the first SSD again"
wait_loaded
r=$(sc_stat sc 36)
ok=0
same_as_origin && ok=1
ktap_check "... the first pair again: cold ($r restored), reads the new data ($ok)" \
	sh -c "[ $r = 0 -a $ok = 1 ] && dmesg | grep -q 'starting cold'"
dmsetup remove sc
ktap_done
