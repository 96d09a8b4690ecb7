#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Which reads are staged: IDLE-class I/O (ionice -c3) never is, direct,
# buffered (through the page cache) or through a file system; REQ_META
# reads (ext4 metadata) only with meta_enable=1, other reads only with
# data_enable=1; a long sequential read (past seq_cutoff) is not, so it does not
# evict a warm hot set.
# timeout: 600
. /tests/lib.sh

mk_hdd hdd 512 || die "no origin"
mk_ssd 32 || die "no cache"
# ext4 asks the crypto API for crc32c; there is no modprobe here.
sc_fs_mod ext4 || ktap_skip_all "no ext4 module"
sc_create sc /dev/hdd /dev/ram0 || die "create"
DEV=$(dm_node sc)
captured() { sc_stat sc 7; }
idle() { sc_stat sc 18; }

ktap_plan 12

# IDLE class: direct reads under ionice -c3 are not staged.
c0=$(captured)
ionice -c3 dd if="$DEV" of=/dev/null bs=4k count=512 skip=100000 \
	iflag=direct 2>/dev/null
c1=$(captured)
ktap_expect_eq "ionice -c3 reads are not staged" "$c0" "$c1"
dd if="$DEV" of=/dev/null bs=4k count=512 skip=100000 iflag=direct \
	2>/dev/null
ktap_check "the same reads at normal priority are ($(($(captured) - c1)))" \
	[ $(($(captured) - c1)) -ge 500 ]

# IDLE class, buffered: the page cache's reads and readahead reach the
# target without a priority of their own (review finding 5).
drop_caches
c0=$(captured)
i0=$(idle)
ionice -c3 dd if="$DEV" of=/dev/null bs=4k count=512 skip=110000 2>/dev/null
c1=$(captured)
ktap_check "buffered ionice -c3 reads are not staged ($((c1 - c0)) staged, bypass_idle +$(($(idle) - i0)))" \
	[ $c1 -eq $c0 -a $(($(idle) - i0)) -ge 512 ]
drop_caches
dd if="$DEV" of=/dev/null bs=4k count=512 skip=110000 2>/dev/null
ktap_check "the same buffered reads at normal priority are ($(($(captured) - c1)))" \
	[ $(($(captured) - c1)) -ge 500 ]

# ext4: metadata vs data.
mkfs.ext4 -q -F -b 4096 "$DEV" 64M >/dev/null 2>&1 || die "mkfs"
mkdir -p /mnt
mount -t ext4 "$DEV" /mnt || die "mount"
i=0
while [ $i -lt 200 ]; do
	mkdir -p /mnt/d$((i % 20))
	dd if=/dev/urandom of=/mnt/d$((i % 20))/f$i bs=16k count=1 \
		2>/dev/null
	i=$((i + 1))
done
umount /mnt

remount_read() { # remount, then walk metadata (ls) or read data (cat)
	drop_caches
	mount -t ext4 -o ro "$DEV" /mnt || return 1
	c0=$(captured)
	if [ "$1" = meta ]; then
		ls -lR /mnt >/dev/null
	else
		cat /mnt/d*/f* >/dev/null
	fi
	delta=$(($(captured) - c0))
	umount /mnt
}

# ext4 reads directory blocks ahead through the block device's page cache,
# without REQ_META, so each knob is checked with the other class off.
# Staged blocks stay staged, so each run reads blocks not staged before.
classes() { dmsetup message sc 0 meta_enable $1 &&
	    dmsetup message sc 0 data_enable $2; }
classes 0 0
remount_read meta
none=$delta
classes 1 0
remount_read meta
meta_only=$delta
ktap_check "meta_enable=0 data_enable=0: nothing staged ($none)" \
	[ $none -eq 0 ]
ktap_check "meta_enable=1 data_enable=0: ext4 metadata staged ($meta_only)" \
	[ $meta_only -gt 0 ]

remount_read data
data_off=$delta
classes 1 1
# IDLE class through ext4: lookups, file reads and their readahead, all
# issued by the reading task.
drop_caches
mount -t ext4 -o ro "$DEV" /mnt || die "mount"
c0=$(captured)
i0=$(idle)
ionice -c3 cat /mnt/d*/f* >/dev/null
c1=$(captured)
i1=$(idle)
umount /mnt
ktap_expect_eq "ext4 files read under ionice -c3 are not staged" "$c0" "$c1"
ktap_check "and count as bypass_idle ($((i1 - i0)))" [ $((i1 - i0)) -ge 700 ]
remount_read data
data_on=$delta
ktap_diag "file data staged: data_enable=0 $data_off, =1 $data_on"
ktap_check "data_enable=0: file data not staged" \
	[ $data_on -gt 500 -a $data_off -lt $((data_on / 10)) ]

# Sequential cutoff: a 128 MiB scan is not staged beyond seq_cutoff.
b0=$(sc_stat sc 8)
c0=$(captured)
dd if="$DEV" of=/dev/null bs=128k count=1024 skip=1024 iflag=direct \
	2>/dev/null
scanned=$(($(captured) - c0))
ktap_check "a 128 MiB sequential read stages at most seq_cutoff ($scanned blocks)" \
	[ $scanned -le 1100 ]
ktap_check "and counts the rest as bypassed ($(($(sc_stat sc 8) - b0)))" \
	[ $(($(sc_stat sc 8) - b0)) -ge 30000 ]

# A warm hot set keeps its hit ratio across a long sequential scan.
hot() {
	h0=$(($(sc_stat sc 4) + $(sc_stat sc 5)))
	m0=$(sc_stat sc 6)
	fio --name=hot --filename="$DEV" --direct=1 --rw=randread --bs=4k \
	    --offset=256M --size=8M --ioengine=libaio --iodepth=4 \
	    --time_based --runtime=8 >/dev/null 2>&1
	h=$(($(sc_stat sc 4) + $(sc_stat sc 5) - h0))
	m=$(($(sc_stat sc 6) - m0))
	echo $((h * 1000 / (h + m + 1)))	# per mille
}
hot >/dev/null				# warm it
before=$(hot)
dd if="$DEV" of=/dev/null bs=128k count=1024 skip=2048 iflag=direct \
	2>/dev/null
after=$(hot)
ktap_diag "hot set hit ratio: before the scan $before/1000, after $after/1000"
ktap_check "a 128 MiB scan does not evict the hot set ($after >= 90% of $before)" \
	[ $((after * 10)) -ge $((before * 9)) -a $before -gt 500 ]
dmsetup remove sc
ktap_done
