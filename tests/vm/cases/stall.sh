#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The daemon's bounds when the SSD stalls or the budget drops (a second
# review of the fixes for findings 4 and 13):
#  - while the SSD holds every write (its dm-linear suspended --noflush),
#    the writer keeps at most 64 SSD writes in flight, not the whole
#    budget: reclaim and captures would otherwise step over every WRITING
#    block under the lock; once the SSD resumes, the writes complete and
#    the device reads the origin's data;
#  - ram_budget lowered at run time holds at the next tick: the staged
#    blocks over it are reclaimed in batches, not 256 a tick.
# timeout: 300
. /tests/lib.sh

mk_hdd hdd 256 || die "no origin"
mk_ssd 64 1 || die "no cache"
sc_mod dm-swapcache || die "module"
dmsetup create ssd --table "0 $(sectors /dev/ram0) linear /dev/ram0 0" ||
	die "ssd linear"
sc_create sc /dev/hdd "$(dm_node ssd)" min_reads 1 hysteresis 0 \
	ram_budget 64 seq_cutoff 0 accrate 1000000000 || die "create"
DEV=$(dm_node sc)
dd if=/dev/urandom of=/dev/hdd bs=1M count=64 oflag=direct 2>/dev/null

ktap_plan 5

# SSD writes issued (status field 10) once unchanged for 6 s, or after
# 60 s: with the SSD stalled, every write the writer issues stays in flight.
writes_settled() {
	local prev now same=0 i=0
	now=$(sc_stat sc 10)
	while [ "$same" -lt 3 ] && [ "$i" -lt 30 ]; do
		prev=$now
		sleep 2
		now=$(sc_stat sc 10)
		if [ "$now" = "$prev" ]; then same=$((same + 1)); else same=0; fi
		i=$((i + 1))
	done
	echo "$now"
}

dmsetup suspend --noflush ssd || die "suspend the SSD"
# 32 MiB read: 8192 blocks staged, inactive after a few aging visits.
dd if="$DEV" of=/dev/null bs=64k count=512 iflag=direct 2>/dev/null
sleep 10
w=$(writes_settled)
ktap_diag "SSD stalled: $w SSD writes issued, $(sc_stat sc 3) staged"
ktap_check "the stalled SSD is sent writes ($w)" [ "$w" -gt 0 ]
ktap_check "at most 64 SSD writes in flight while it stalls ($w)" \
	[ "$w" -le 64 ]
dmsetup resume ssd || die "resume the SSD"
sleep 5
want=$(dd if=/dev/hdd bs=1M count=32 iflag=direct 2>/dev/null | md5sum)
got=$(dd if="$DEV" bs=1M count=32 iflag=direct 2>/dev/null | md5sum)
ktap_expect_eq "after the SSD resumed, the device reads the origin" \
	"$want" "$got"
ktap_diag "$(sc_stat sc 10) SSD writes, $(sc_used sc) SSD blocks used"

# The budget: 8192+ blocks staged, then ram_budget 1 (256 blocks).
dd if="$DEV" of=/dev/null bs=64k count=1024 skip=512 iflag=direct \
	2>/dev/null
before=$(sc_stat sc 3)
dmsetup message sc 0 ram_budget 1 || die "ram_budget 1"
sleep 5
after=$(sc_stat sc 3)
ktap_diag "staged $before, 5 s after ram_budget 1: $after"
ktap_check "more than the new budget was staged ($before)" \
	[ "$before" -gt 4096 ]
ktap_check "5 s after ram_budget 1, at most 256 blocks staged ($after)" \
	[ "$after" -le 256 ]
dmsetup remove sc
dmsetup remove ssd
ktap_done
