#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Staged RAM is given back under memory pressure (finding 13): with a
# 400 MiB ram_budget in a 1024 MiB guest (more under make check-debug,
# whose KASAN shadow and checkers take their share: SC_VM_MEM_EXTRA),
# reads fill the staging, then a program allocates and touches a buffer
# 200 MiB larger than what the kernel counts available.  It must complete, the
# kernel must not invoke the OOM killer (the harness fails a case whose
# console shows one), and staged_blocks must drop, counted in
# shrunk_blocks (status field 33).  Devices are null_blk that store
# nothing, so that only the staging holds memory.
# timeout: 300
# memory: 1024
. /tests/lib.sh

mk_hdd dummy 4 || die "no null_blk"	# loads null_blk and configfs
mk_sparse hdd 1024 || die "no origin"
mk_sparse ssd 1024 || die "no cache"
# Nothing goes to the SSD (no burst budget): every staged block stays
# reclaimable; seq_cutoff 0 stages the sequential fill.
sc_create sc /dev/hdd /dev/ssd ram_budget 400 seq_cutoff 0 accrate 0 \
	curburst 0 || die "cannot create the target"
DEV=$(dm_node sc)

ktap_plan 5

dd if="$DEV" of=/dev/null bs=256k count=1600 iflag=direct 2>/dev/null
before=$(sc_stat sc 3)
ktap_diag "staged $before blocks; $(grep -E 'MemFree|MemAvailable' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
ktap_check "the staging holds more than 350 MiB ($before blocks)" \
	[ "$before" -gt 89600 ]

# More than is available: the staging must give back at least 200 MiB.
need=$(($(mem_available_kb) / 1024 + 200))
ktap_diag "allocating $need MiB"
dd if=/dev/zero of=/dev/null bs="${need}M" count=1 2>/tmp/dd.err &
DD=$!
i=0
while kill -0 $DD 2>/dev/null && [ $i -lt 60 ]; do
	sleep 3
	echo "# t=$i staged $(sc_stat sc 3) shrunk $(sc_stat sc 33) $(grep -E 'MemFree' /proc/meminfo | tr -s ' ')"
	i=$((i + 1))
done
wait $DD
rc=$?
sed 's/^/# /' /tmp/dd.err
ktap_check "a $need MiB allocation completes" [ $rc = 0 ]
after=$(sc_stat sc 3)
shrunk=$(sc_stat sc 33)
ktap_diag "staged $before -> $after blocks, shrunk_blocks $shrunk"
ktap_check "staged_blocks dropped by more than 100 MiB" \
	[ $((before - after)) -gt 25600 ]
ok=0
[ "${shrunk:-0}" -gt 0 ] && [ "$shrunk" -ge $((before - after)) ] && ok=1
ktap_check "shrunk_blocks counts the blocks given back" [ $ok = 1 ]
ktap_expect_eq "its sysfs file agrees" "${shrunk:-none}" \
	"$(cat "$(sc_sysdir sc)/shrunk_blocks" 2>/dev/null)"
ktap_done
