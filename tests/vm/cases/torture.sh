#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Integrity torture: concurrent verified writers and random readers over a
# hot set four times the SSD, with an unlimited burst budget and small RAM
# so capture, the writer and the cleaner run all the time.  No verify
# error; the device then equals the origin byte for byte.
# timeout: 900
. /tests/lib.sh

mk_hdd hdd 256 || die "no origin"
mk_ssd 16 || die "no cache"
sc_create sc /dev/hdd /dev/ram0 ram_budget 2 hysteresis 0 maxlaunder 4096 \
	accrate 1000000000 maxburst 1000000000000 curburst 1000000000000 ||
	die "create"
DEV=$(dm_node sc)

ktap_plan 6

# 4 writers on their own 16 MiB, verifying with a backlog (reads of
# freshly written blocks go through the cache), and 2 random readers over
# all 64 MiB so written blocks are captured, aged and put on the SSD.
fio --filename="$DEV" --direct=1 --ioengine=libaio --randrepeat=0 \
    --time_based --runtime=60 --output-format=terse \
    --name=w --rw=randrw --rwmixread=30 --bs=4k --iodepth=4 --size=16M \
    --numjobs=4 --offset_increment=16M --verify=crc32c --verify_fatal=1 \
    --verify_backlog=16 \
    --name=r --rw=randread --bs=4k --iodepth=8 --size=64M --numjobs=2 \
    --random_distribution=zipf:0.8 >/tmp/fio.out 2>&1
rc=$?
[ $rc -eq 0 ] || grep -iE 'verify|error' /tmp/fio.out | head -n 20 |
	sed 's/^/# /'
ktap_diag "status: $(dmsetup status sc)"
ktap_check "fio: no I/O or verify error under torture" [ $rc -eq 0 ]
ktap_check "SSD hits happened ($(sc_stat sc 5))" [ "$(sc_stat sc 5)" -gt 0 ]
ktap_check "writes invalidated copies ($(sc_stat sc 9))" \
	[ "$(sc_stat sc 9)" -gt 0 ]
ktap_check "SSD writes happened ($(sc_stat sc 10))" [ "$(sc_stat sc 10)" -gt 0 ]
drop_caches
ktap_check "device equals the origin byte for byte" cmp "$DEV" /dev/hdd
ktap_check "no SSD error" [ "$(sc_stat sc 15)" -eq 0 ]
dmsetup remove sc
ktap_done
