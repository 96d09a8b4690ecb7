#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Suspend, resume, reload (with a changed knob), noflush suspend and remove
# while fio writes and verifies through the device: no I/O error, no verify
# error, remove refused while the device is open, then accepted.
# timeout: 600
. /tests/lib.sh

mk_hdd hdd 128 || die "no origin"
mk_ssd 32 || die "no cache"
sc_create sc /dev/hdd /dev/ram0 || die "cannot create the target"
DEV=$(dm_node sc)
BASE="0 $(sectors /dev/hdd) swapcache /dev/hdd /dev/ram0"

ktap_plan 8

fio --name=w --filename="$DEV" --direct=1 --ioengine=libaio --iodepth=8 \
    --rw=randwrite --bs=4k --size=64M --verify=crc32c --verify_fatal=1 \
    --verify_backlog=32 --time_based --runtime=45 \
    --name=r --rw=randread --bs=16k --offset=64M --size=64M \
    --time_based --runtime=45 --verify=0 \
    --output-format=terse >/tmp/fio.out 2>&1 &
FIO=$!
sleep 3

ok=1
i=0
while [ $i -lt 10 ]; do
	dmsetup suspend sc && dmsetup resume sc || ok=0
	i=$((i + 1))
done
ktap_check "10 suspend/resume cycles under I/O" [ $ok = 1 ]

ok=1
i=0
while [ $i -lt 5 ]; do
	dmsetup reload sc --table "$BASE 2 accrate $((1000 + i))" &&
		dmsetup resume sc || ok=0
	i=$((i + 1))
done
ktap_expect_eq "5 reloads under I/O, the last table is live" \
	"$(dmsetup table sc | cut -d' ' -f1-5) 2 accrate 1004" \
	"$(dmsetup table sc)"

ok=1
dmsetup suspend --noflush sc && dmsetup resume sc || ok=0
ktap_check "noflush suspend and resume under I/O" [ $ok = 1 ]

ktap_check "remove refused while the device is open" \
	sh -c '! dmsetup remove sc 2>/dev/null'
ktap_check "device still there after the refused remove" \
	sh -c 'dmsetup info sc >/dev/null'

wait $FIO
rc=$?
[ $rc -eq 0 ] || tail -n 20 /tmp/fio.out | sed 's/^/# /'
ktap_check "fio finished without I/O or verify errors" [ $rc -eq 0 ]
drop_caches
ktap_check "device equals the origin" cmp "$DEV" /dev/hdd
ktap_check "remove succeeds once idle" dmsetup remove sc
ktap_done
