#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The debug kernel by itself, before any dm-swapcache case: 40 rounds of
# creating and removing a dm-linear device, and of a create whose table
# fails, with dm-swapcache never loaded.  A KASAN, lockdep or
# debug-objects report here is the kernel's own (tools/debug-kernel.patch
# exists because of one), and would otherwise be blamed on the first
# module case that creates devices.  make check-debug runs it first.
# timeout: 300
. /tests/lib.sh

mk_hdd hdd 64 || die "no null_blk"
sc_mod dm-mod || die "no dm-mod"
ktap_plan 2
i=0 bad=0
while [ $i -lt 40 ]; do
	echo "0 8192 linear /dev/hdd 0" | dmsetup create lin$i || break
	dmsetup remove lin$i || break
	# the table fuzzer's refused lines: a device that never gets a table
	echo "0 8192 linear /dev/nonexistent 0" |
		dmsetup create bad$i 2>/dev/null && bad=$((bad + 1))
	dmsetup remove bad$i 2>/dev/null
	i=$((i + 1))
done
# Delayed kobject releases run up to 4 s after the last put.
sleep 6
ktap_check "40 rounds of dm-linear create and remove ($i)" [ $i = 40 ]
ktap_check "no device left, no bad table accepted ($bad)" \
	[ -z "$(dmsetup ls | grep -v 'No devices')" -a $bad = 0 ]
ktap_done
