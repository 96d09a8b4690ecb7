#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A real client: ext4 and xfs on a swapcache device.
#
# Injects: nothing but load.  On each file system the same deterministic
# workload runs twice, first on the bare origin, then through a swapcache
# device over the same origin (2 MiB SSD, 4 MiB RAM budget, hysteresis 0,
# accrate 1 GB/s, seq_cutoff off, so the writer and the cleaner both run):
# fsx (tests/vm/fsx: random read/write/truncate/fsync/reopen on 4 files,
# every read checked against an in-memory model) alongside fio's file
# engine (direct randwrite with pattern verify, then verify-only re-reads),
# while the page cache is dropped every half second.
#
# Asserts, per file system: the bare run verifies and fsck is clean
# (baseline); through the cache fsx and fio verify every read; the SSD
# filled to maxswappct and the cleaner ran (cleaned_blocks > 0, use
# reached 70%); reads were served from the SSD; after unmount
# `e2fsck -fn` / `xfs_repair -n` read through the cache are clean; the
# md5sums of every file, read after a remount with cold caches,
# equal those of the bare run.  Without xfs tools or the xfs module the xfs
# results are reported as skipped, with the reason.
# timeout: 600
. /tests/lib.sh

FSX_OPS=3000
mk_hdd hdd 320 || die "no origin"	# mkfs.xfs wants 300 MB at least
mk_ssd 4 || die "no cache"
sc_mod dm-swapcache || die "module"
# A 2 MiB SSD (512 blocks), so that the workload fills it many times over.
dmsetup create ssd --table "0 4096 linear /dev/ram0 0" || die "no ssd"
mkdir -p /mnt

ktap_plan 14

# drop_loop: drop the page cache every half second until /tmp/dropping goes.
drop_loop() {
	while [ -e /tmp/dropping ]; do
		echo 3 >/proc/sys/vm/drop_caches
		sleep 0.5
	done
}

# sample_loop NAME: record the highest SSD use and whether the writer was
# seen cleaning, until /tmp/sampling goes.
sample_loop() {
	local name=$1 max=0 u
	while [ -e /tmp/sampling ]; do
		set -- $(dmsetup status "$name")
		u=${5%/*}	# field 2, used/total
		[ "$u" -gt $max ] && max=$u
		sleep 0.1
	done
	echo "$max" >/tmp/sampled
}

mkfs_dev() { # FS DEV
	case $1 in
	ext4) mkfs.ext4 -q -F -b 4096 "$2" ;;
	xfs) mkfs.xfs -q -f "$2" ;;
	esac
}

fsck_dev() { # FS DEV
	case $1 in
	ext4) e2fsck -fn "$2" ;;
	xfs) xfs_repair -n "$2" ;;
	esac >/tmp/fsck.out 2>&1
	local rc=$?
	[ $rc -eq 0 ] || tail -n 15 /tmp/fsck.out | sed 's/^/# fsck: /'
	return $rc
}

# fio_files RW ARGS...: fio's file engine on 4 files of 4 MiB in /mnt/fio,
# data a pattern of each block's offset, so the files are deterministic.
fio_files() {
	fio --name=fs --directory=/mnt/fio --nrfiles=4 --size=16M --bs=4k \
	    --ioengine=psync --direct=1 --verify=pattern --verify_pattern=%o \
	    --verify_fatal=1 --output-format=terse "$@" >>/tmp/fio.out 2>&1
}

# workload FS DEV TAG: mkfs, run fsx and fio with page cache drops, unmount,
# fsck, remount read-only with cold caches and list the md5sums in
# /tmp/md5.TAG.  Sets fsx_rc, fio_rc, fsck_rc.
workload() {
	local fs=$1 dev=$2 tag=$3 fsx_pid drop_pid t0=$(now_cs)
	fsx_rc=1 fio_rc=1 fsck_rc=1
	mkfs_dev "$fs" "$dev" >/tmp/mkfs.out 2>&1 || {
		sed 's/^/# mkfs: /' /tmp/mkfs.out; return 1; }
	mount -t "$fs" "$dev" /mnt || return 1
	mkdir /mnt/fsx /mnt/fio
	: >/tmp/dropping
	drop_loop &
	drop_pid=$!
	fsx -n $FSX_OPS -s 7 -f 4 -m 1048576 /mnt/fsx >/tmp/fsx.out 2>&1 &
	fsx_pid=$!
	: >/tmp/fio.out
	fio_files --rw=randwrite --do_verify=1 &&
		fio_files --rw=randread --verify_only --number_ios=4096 &&
		fio_files --rw=randread --verify_only --number_ios=4096 &&
		fio_files --rw=randread --verify_only --number_ios=4096
	fio_rc=$?
	ktap_diag "$tag: fio done at $(($(now_cs) - t0)) cs"
	wait $fsx_pid
	fsx_rc=$?
	rm -f /tmp/dropping
	wait $drop_pid
	sed 's/^/# /' /tmp/fsx.out
	[ $fio_rc -eq 0 ] || grep -iE 'verify|error|bad' /tmp/fio.out |
		head -n 10 | sed 's/^/# fio: /'
	umount /mnt || return 1
	fsck_dev "$fs" "$dev"
	fsck_rc=$?
	ktap_diag "$tag: fsck done at $(($(now_cs) - t0)) cs"
	drop_caches
	mount -t "$fs" -o ro "$dev" /mnt || return 1
	(cd /mnt && find . -type f | sort | xargs md5sum) >/tmp/md5.$tag
	umount /mnt
	ktap_diag "$tag: done in $(($(now_cs) - t0)) cs"
}

# one_fs FS: the bare run, then the run through the cache; 7 results.
one_fs() {
	local fs=$1 DEV max cleaned total low sample_pid
	workload "$fs" /dev/hdd "$fs.bare"
	ktap_check "$fs: bare origin: fsx and fio verify, fsck clean" \
		[ $fsx_rc -eq 0 -a $fio_rc -eq 0 -a $fsck_rc -eq 0 ]

	sc_create sc /dev/hdd "$(dm_node ssd)" ram_budget 4 hysteresis 0 \
		accrate 1000000000 seq_cutoff 0 || die "create"
	DEV=$(dm_node sc)
	: >/tmp/sampling
	sample_loop sc &
	sample_pid=$!
	workload "$fs" "$DEV" "$fs.cache"
	rm -f /tmp/sampling
	wait $sample_pid
	read -r max </tmp/sampled
	cleaned=$(sc_stat sc 32)	# cleaned_blocks
	total=$(sc_stat sc 2 | cut -d/ -f2)
	low=$((total * 70 / 100))
	ktap_diag "$fs: status: $(dmsetup status sc)"
	ktap_check "$fs: cache: fsx verified every read" [ $fsx_rc -eq 0 ]
	ktap_check "$fs: cache: fio verified every read" [ $fio_rc -eq 0 ]
	# The writer cleans only above maxswappct (75%); the 0.1 s samples
	# may miss the peak, not the 70% it cleans down to.
	ktap_check "$fs: cache: the cleaner freed blocks ($cleaned) and SSD use reached $max of $total" \
		[ "$cleaned" -gt 0 -a "$max" -ge "$low" ]
	ktap_check "$fs: cache: reads served from the SSD ($(sc_stat sc 5))" \
		[ "$(sc_stat sc 5)" -gt 0 ]
	ktap_check "$fs: cache: fsck through the cache is clean" \
		[ $fsck_rc -eq 0 ]
	if [ -s /tmp/md5.$fs.bare ] && cmp -s /tmp/md5.$fs.bare /tmp/md5.$fs.cache
	then
		ktap_ok "$fs: cache: md5sums of all $(wc -l </tmp/md5.$fs.cache) files equal the bare run"
	else
		diff /tmp/md5.$fs.bare /tmp/md5.$fs.cache | head -n 10 |
			sed 's/^/# /'
		ktap_fail "$fs: cache: md5sums equal the bare run"
	fi
	dmsetup remove sc || die "remove"
}

skip_fs() { # FS REASON: the 7 results of one_fs, skipped
	local i=0
	while [ $i -lt 7 ]; do
		ktap_ok "$1: result $((i + 1)) # SKIP $2"
		i=$((i + 1))
	done
}

if sc_fs_mod ext4; then one_fs ext4; else skip_fs ext4 "no ext4 module"; fi

why=""
command -v mkfs.xfs >/dev/null || why="no mkfs.xfs in the guest"
command -v xfs_repair >/dev/null || why="${why:+$why, }no xfs_repair in the guest"
[ -n "$why" ] || sc_fs_mod xfs >/dev/null || why="no xfs module in the guest"
if [ -z "$why" ]; then one_fs xfs; else skip_fs xfs "$why"; fi
dmsetup remove ssd
ktap_done
