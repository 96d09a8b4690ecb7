#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A write that lands while the SSD write of the same blocks is in flight
# (the SSD slowed to 1.5 s a write with dm-delay) must win: the old copy is
# never installed nor read.  Each round writes pattern A, reads it (staged),
# waits until the writer has an SSD write in flight, writes pattern B, waits
# for the SSD write to finish, then reads: B, and again after RAM is dropped.
# timeout: 600
. /tests/lib.sh

mk_hdd hdd 64 || die "no origin"
mk_ssd 16 || die "no cache"
sc_mod dm-delay && sc_mod dm-swapcache || die "modules"
SS=$(sectors /dev/ram0)
# 1.5 s a write, longer on a slower kernel (tscale): the round must see
# the write in flight after dmsetup calls that take that much longer too.
DELAY_MS=$(tscale 1500)
dmsetup create slow --table "0 $SS delay /dev/ram0 0 0 /dev/ram0 0 $DELAY_MS" ||
	die "no dm-delay"
SLOW=$(dm_node slow)
sc_create sc /dev/hdd "$SLOW" hysteresis 0 accrate 1000000000 min_reads 1 ||
	die "create"
DEV=$(dm_node sc)
# dm-delay's INFO status counts the reads and writes it holds back now.
delayed_writes() { dmsetup status slow | awk '{ print $5 }'; }

ROUNDS=4
ktap_plan $((ROUNDS * 2 + 1))

dd if=/dev/urandom of=/tmp/A bs=64k count=1 2>/dev/null
raced=0
r=1
while [ $r -le $ROUNDS ]; do
	off=$((r * 16))		# 64 KiB blocks: one cluster each round
	dd if=/dev/urandom of=/tmp/B bs=64k count=1 2>/dev/null
	dd if=/tmp/A of="$DEV" bs=64k seek=$off count=1 oflag=direct \
		conv=notrunc 2>/dev/null
	dd if="$DEV" of=/dev/null bs=64k skip=$off count=1 iflag=direct \
		2>/dev/null
	# Wait (at most 20 s) for an SSD write in flight.
	i=0
	while [ "$(delayed_writes)" -eq 0 ] && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	# One reading for the count and the log line.
	held=$(delayed_writes)
	ktap_diag "round $r: $held SSD writes held back by dm-delay"
	[ "$held" -gt 0 ] && raced=$((raced + 1))
	dd if=/tmp/B of="$DEV" bs=64k seek=$off count=1 oflag=direct \
		conv=notrunc 2>/dev/null
	sleep "$(tscale 2)"	# the delayed SSD write completes
	dd if="$DEV" of=/tmp/got bs=64k skip=$off count=1 iflag=direct \
		2>/dev/null
	ktap_check "round $r: the new data is read back" cmp -s /tmp/got /tmp/B
	dmsetup message sc 0 ram_budget 1	# push staged copies out
	sleep 1
	dmsetup message sc 0 ram_budget 64
	dd if="$DEV" of=/tmp/got bs=64k skip=$off count=1 iflag=direct \
		2>/dev/null
	ktap_check "round $r: still new data once RAM copies are gone" \
		cmp -s /tmp/got /tmp/B
	r=$((r + 1))
done
ktap_diag "status: $(dmsetup status sc)"
ktap_check "the write raced an SSD write in flight in $raced of $ROUNDS rounds" \
	[ $raced -ge $((ROUNDS / 2)) ]
dmsetup remove sc
dmsetup remove slow
ktap_done
