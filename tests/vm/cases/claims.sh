#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# One device, one role (Documentation/design.rst, "Claims"): a table or a
# reload that would make the target write where someone else's data is, or
# have two caches over one origin, is refused with its own ti->error in the
# kernel log ("device-mapper: table: M:m: swapcache: <msg>") and leaves no
# device behind:
#  - one table, two swapcache targets on one SSD (each would allocate from
#    cblock 0 and overwrite the other's copies: first shown with data, the
#    two halves filled with distinct bytes, when the table is accepted);
#  - one table, two targets over one origin; one target's SSD the other's
#    origin;
#  - a device whose SSD is another device's origin, whose origin is another
#    device's SSD, or whose origin another device already caches;
#  - a reload that swaps the roles of the live table's devices.
# A reload of the same device over the same devices still works, and once
# a device is removed its devices are free for any role.
# timeout: 300
. /tests/lib.sh

mk_hdd hdda 16 || die "no origin a"
mk_hdd hddb 16 || die "no origin b"
mk_ssd 8 3 || die "no cache"
sc_mod dm-swapcache || die "module does not load"
A=/dev/hdda
B=/dev/hddb
SA=$(sectors $A)
SB=$(sectors $B)
SR=$(sectors /dev/ram0)

# refused "description" "expected ti->error" command...
# Runs the command (a create of a device called bad, or a reload); it must
# fail, log "swapcache: <error>" and leave no device "bad".
refused() {
	local desc=$1 want=$2
	shift 2
	klog_mark
	if "$@" 2>/dev/null; then
		ktap_fail "$desc: accepted"
		dmsetup remove bad 2>/dev/null
		return
	fi
	if dmsetup info bad >/dev/null 2>&1; then
		ktap_fail "$desc: left a device behind"
		dmsetup remove bad
		return
	fi
	if klog | grep -q "device-mapper: table: .*: swapcache: $want"; then
		ktap_ok "$desc"
	else
		echo "# expected in the kernel log: 'swapcache: $want'"
		klog | tail -n 3 | sed 's/^/# log: /'
		ktap_fail "$desc"
	fi
}
# create TABLE: a device called bad
create() { dmsetup create bad --table "$1"; }

ktap_plan 12

# bytes of block range [SKIP, SKIP+COUNT) of DEV that are not CHAR
not_char() {
	dd if="$1" bs=4k skip="$2" count="$3" iflag=direct 2>/dev/null |
		tr -d "$4" | wc -c
}

# 1. Two targets, one SSD, one table.  If the table is accepted, show what
# it does: the halves are hdda (all 'a') and hddb (all 'b'); 64 KiB of each
# is read twice (min_reads 1, no hysteresis: straight to the SSD), then
# 2 MiB elsewhere in each to push those blocks out of the 1 MiB of RAM,
# then read again: from the SSD, where both wrote from cblock 0.
dd if=/dev/zero bs=1M count=16 2>/dev/null | tr '\0' a | dd of=$A bs=1M \
	oflag=direct 2>/dev/null
dd if=/dev/zero bs=1M count=16 2>/dev/null | tr '\0' b | dd of=$B bs=1M \
	oflag=direct 2>/dev/null
OPTS="10 hysteresis 0 ram_budget 1 accrate 1000000000 seq_cutoff 0 min_reads 1"
T2="0 $SA swapcache $A /dev/ram0 $OPTS
$SA $SB swapcache $B /dev/ram0 $OPTS"
klog_mark
if dmsetup create two --table "$T2" 2>/dev/null; then
	D=$(dm_node two)
	BOFF=$((SA / 8))	# hddb's first block, in 4 KiB blocks
	not_char "$D" 0 16 a >/dev/null
	not_char "$D" $BOFF 16 b >/dev/null
	not_char "$D" 0 16 a >/dev/null
	not_char "$D" $BOFF 16 b >/dev/null
	sleep 2
	not_char "$D" 64 512 a >/dev/null
	not_char "$D" $((BOFF + 64)) 512 b >/dev/null
	sleep 2
	not_char "$D" 64 512 a >/dev/null
	not_char "$D" $((BOFF + 64)) 512 b >/dev/null
	sleep 2
	wa=$(not_char "$D" 0 16 a)
	wb=$(not_char "$D" $BOFF 16 b)
	dmsetup status two | sed 's/^/# status: /'
	ktap_diag "accepted; wrong bytes read back: $wa in hdda's first" \
		"64 KiB, $wb in hddb's"
	dmsetup remove two
	ktap_fail "one table, two targets on one SSD: accepted"
else
	klog_mark
	refused "one table, two targets on one SSD" \
		"Cache device is already the cache of another target of this table" \
		create "$T2"
fi

refused "one table, two targets over one origin" \
	"Origin device is already the origin of another target of this table" create \
	"0 $SA swapcache $A /dev/ram0
$SA $SA swapcache $A /dev/ram1"
refused "one table, a target's SSD is the next one's origin" \
	"Origin device is already the cache of another target of this table" create \
	"0 $SA swapcache $A /dev/ram0
$SA $SR swapcache /dev/ram0 /dev/ram1"

# md1 owns hdda (origin) and ram0 (SSD).
sc_create md1 $A /dev/ram0 || die "md1 refused"
refused "the SSD is another device's origin" \
	"Cache device is the origin of another swapcache device" create \
	"0 $SB swapcache $B $A"
refused "the origin is another device's SSD" \
	"Origin device is the cache of another swapcache device" create \
	"0 $SR swapcache /dev/ram0 /dev/ram1"
refused "the origin is already another device's origin" \
	"Origin device is in use by another swapcache device" create \
	"0 $SA swapcache $A /dev/ram1"
refused "the SSD is already another device's SSD" \
	"Cache device is in use by another swapcache device" create \
	"0 $SB swapcache $B /dev/ram0"

# Reloads of md1: the same devices are fine, swapped roles are not.
T1=$(dmsetup table md1)
dmsetup reload md1 --table "0 $SA swapcache $A /dev/ram0 2 accrate 5000" &&
	dmsetup resume md1
ktap_expect_eq "a reload over the same origin and SSD works" \
	"0 $SA swapcache $(echo "$T1" | cut -d' ' -f4-5) 2 accrate 5000" \
	"$(dmsetup table md1)"
refused "a reload that swaps origin and SSD" \
	"Cache device is the origin in another table of this device" \
	dmsetup reload md1 --table "0 $SR swapcache /dev/ram0 $A"
ktap_check "the refused reload left md1 live and nothing inactive" \
	sh -c "dmsetup table md1 | grep -q 'accrate 5000' &&
	       ! dmsetup table --inactive md1 | grep -q swapcache"

# Removed: its devices may take any role.  hdda holds the data written
# through md1, which a cache device is only after `format`.
dmsetup remove md1
sc_create md2 /dev/ram0 $A format
ktap_check "after remove, hdda may be the SSD and ram0 the origin" \
	sh -c 'dmsetup table md2 | grep -q swapcache'
dmsetup remove md2 2>/dev/null
ktap_check "no swapcache device left; the module unloads" \
	sh -c '! dmsetup ls | grep -qE "md|bad|two" && rmmod dm_swapcache'
ktap_done
