#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Data written through a swapcache device reads back intact: fio with
# crc32c verification at 4 KiB, at mixed 4 KiB..1 MiB sizes and at 512 B
# (partial blocks), then the whole device equals the origin byte for byte.
# timeout: 600
. /tests/lib.sh

mk_hdd hdd 256 || die "no origin"
mk_ssd 32 || die "no cache"
sc_create sc /dev/hdd /dev/ram0 || die "cannot create the target"
DEV=$(dm_node sc)

ktap_plan 4

# fio_verify NAME ARGS...: a verified random read/write job on $DEV.
fio_verify() {
	local name=$1
	shift
	fio --name="$name" --filename="$DEV" --direct=1 --ioengine=libaio \
	    --iodepth=8 --rw=randrw --rwmixread=50 --size=128M \
	    --io_size=96M --verify=crc32c --verify_fatal=1 \
	    --verify_backlog=64 --randrepeat=0 --output-format=terse \
	    --terse-version=3 "$@" >/tmp/fio.$name 2>&1
	local rc=$?
	[ $rc -eq 0 ] || sed 's/^/# /' /tmp/fio.$name | tail -n 20
	return $rc
}

ktap_check "fio verify crc32c, random 4 KiB read/write" \
	fio_verify r4k --bs=4k
ktap_check "fio verify crc32c, random mixed 4 KiB..1 MiB" \
	fio_verify mixed --bssplit=4k/40:16k/20:64k/20:256k/10:1m/10 \
	--blockalign=4k
ktap_check "fio verify crc32c, random 512 B (partial blocks)" \
	fio_verify r512 --bs=512 --io_size=8M
drop_caches
ktap_check "device equals the origin byte for byte" cmp "$DEV" /dev/hdd
dmsetup remove sc
ktap_done
