#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The cache warms: after a skewed random read phase the status shows RAM
# and SSD hits and SSD blocks in use, reads of SSD-cached blocks come back
# right, and every block read through the target equals the origin.
# timeout: 600
. /tests/lib.sh

mk_hdd hdd 256 1000000 4 || die "no origin"
mk_ssd 32 || die "no cache"
# A small RAM budget so blocks age out of RAM and are served by the SSD.
sc_create sc /dev/hdd /dev/ram0 ram_budget 4 hysteresis 16 || die "create"
DEV=$(dm_node sc)

ktap_plan 8

st() { sc_stat sc "$1"; }

# Known contents on the origin: write through the target, then drop caches.
fio --name=fill --filename="$DEV" --direct=1 --rw=write --bs=1M \
    --size=128M --ioengine=libaio --iodepth=4 --verify=crc32c \
    --do_verify=0 --verify_pattern=0 >/dev/null 2>&1 || die "fill"
ktap_diag "after fill: $(dmsetup status sc)"

fio --name=warm --filename="$DEV" --direct=1 --rw=randread --bs=4k \
    --size=128M --ioengine=libaio --iodepth=8 \
    --random_distribution=zipf:1.1 --time_based --runtime=40 \
    --output-format=terse >/tmp/warm.out 2>&1 || die "warm-up read"
ktap_diag "after warm-up: $(dmsetup status sc)"

used=$(st 2 | cut -d/ -f1)
ktap_check "SSD blocks in use after warm-up ($used)" [ "$used" -gt 0 ]
ktap_check "write_count counts SSD bytes ($(st 11))" [ "$(st 11)" -gt 0 ]
ktap_check "RAM hits counted ($(st 4))" [ "$(st 4)" -gt 0 ]

fio --name=hot --filename="$DEV" --direct=1 --rw=randread --bs=4k \
    --size=128M --ioengine=libaio --iodepth=8 \
    --random_distribution=zipf:1.1 --time_based --runtime=20 \
    --output-format=terse >/dev/null 2>&1 || die "hot read"
ktap_diag "after hot phase: $(dmsetup status sc)"
ktap_check "SSD hits counted ($(st 5))" [ "$(st 5)" -gt 0 ]

# swapcache-stat --once --json reports the same totals as dmsetup status;
# suspended, the writer is stopped and no counter moves meanwhile.
dmsetup suspend sc
json=$(swapcache-stat --once --json sc)
ktap_diag "$json"
want="\"ssd_hits\":$(st 5),\"misses\":$(st 6),"
want2="\"curburst\":$(st 12),\"ssd_used\":$(st 2 | cut -d/ -f1),"
ktap_check "swapcache-stat --once --json matches dmsetup status" \
	sh -c "echo '$json' | grep -q '$want' && echo '$json' | grep -q '$want2'"
dmsetup resume sc
ktap_check "swapcache-stat refuses a device that is not swapcache" \
	sh -c '! swapcache-stat --once hdd 2>/dev/null'

fio --name=verify --filename="$DEV" --direct=1 --rw=read --bs=1M \
    --size=128M --ioengine=libaio --iodepth=4 --verify=crc32c \
    --do_verify=1 --verify_only >/tmp/verify.out 2>&1
rc=$?
[ $rc -eq 0 ] || tail -n 20 /tmp/verify.out | sed 's/^/# /'
ktap_check "every block read through the target verifies" [ $rc -eq 0 ]
dmsetup remove sc
drop_caches
cmp_ok=1
# The origin holds exactly what the target returned.
fio --name=verify2 --filename=/dev/hdd --direct=1 --rw=read --bs=1M \
    --size=128M --ioengine=libaio --iodepth=4 --verify=crc32c \
    --do_verify=1 --verify_only >/dev/null 2>&1 || cmp_ok=0
ktap_check "the origin verifies after remove" [ $cmp_ok = 1 ]
ktap_done
