# SPDX-License-Identifier: GPL-2.0
# lib.sh - helpers the VM cases source: KTAP output, module loading,
# simulated devices and swapcache targets.  Runs under busybox sh.
#
# A case:   . /tests/lib.sh; ktap_plan N; ...; ktap_ok/ktap_fail/...; ktap_done
# Exit codes follow the kernel selftests: 0 pass, 1 fail, 4 skip.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

_ktap_n=0
_ktap_fail=0
_ktap_plan=0

ktap_plan() {
	_ktap_plan=$1
	echo "KTAP version 1"
	echo "1..$1"
}

ktap_ok() {
	_ktap_n=$((_ktap_n + 1))
	echo "ok $_ktap_n $*"
}

ktap_fail() {
	_ktap_n=$((_ktap_n + 1))
	_ktap_fail=$((_ktap_fail + 1))
	echo "not ok $_ktap_n $*"
}

# ktap_check "description" command...: one result from a command's status.
ktap_check() {
	local desc=$1
	shift
	if "$@"; then ktap_ok "$desc"; else ktap_fail "$desc"; fi
}

# ktap_expect_eq "description" expected actual
ktap_expect_eq() {
	if [ "$2" = "$3" ]; then
		ktap_ok "$1"
	else
		echo "# expected: '$2'"
		echo "# actual:   '$3'"
		ktap_fail "$1"
	fi
}

ktap_diag() { echo "# $*"; }

# The whole case cannot run here: say why and exit 4.
ktap_skip_all() {
	echo "KTAP version 1"
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

ktap_done() {
	if [ "$_ktap_n" -ne "$_ktap_plan" ]; then
		echo "# planned $_ktap_plan results, printed $_ktap_n"
		exit $KSFT_FAIL
	fi
	[ "$_ktap_fail" -eq 0 ] && exit $KSFT_PASS
	echo "# $_ktap_fail of $_ktap_n failed"
	exit $KSFT_FAIL
}

die() {
	echo "# fatal: $*"
	ktap_fail "fatal: $*"
	exit $KSFT_FAIL
}

# sc_mod NAME [param=value...]: load a module and its dependencies
# from /modules (see mkinitramfs).  Already loaded modules are skipped.
sc_mod() {
	local n=$1 d line
	shift
	[ -d "/sys/module/$(echo "$n" | tr - _)" ] && return 0
	line=$(grep "^$n:" /modules/deps) || {
		echo "# sc_mod: no module $n"; return 1; }
	for d in ${line#*:}; do sc_mod "$d" || return 1; done
	insmod "/modules/$n.ko" "$@"
}

# sc_fs_mod NAME: load a file system module (ext4, xfs) and the crc32c
# the crypto API hands it (there is no modprobe in the guest to follow
# softdeps): crc32c_generic up to 6.x, crc32c-cryptoapi since the crc32c
# library rework (7.x, where jbd2's softdep names it).  A kernel with
# neither as a module has it built in.
sc_fs_mod() {
	if grep -q '^crc32c_generic:' /modules/deps; then
		sc_mod crc32c_generic || return 1
	elif grep -q '^crc32c-cryptoapi:' /modules/deps; then
		sc_mod crc32c-cryptoapi || return 1
	fi
	sc_mod "$1"
}

# mk_hdd NAME SIZE_MB [completion_nsec] [queue_depth] [mbps]: a memory
# backed null_blk with timer completion, /dev/NAME.  The defaults make a
# quick disk for data tests; measured tests pass HDD-like numbers.
mk_hdd() {
	local name=$1 size=$2 nsec=${3:-20000} qd=${4:-32} mbps=${5:-0}
	local d=/sys/kernel/config/nullb/$name
	sc_mod configfs || return 1
	grep -q ' /sys/kernel/config ' /proc/mounts ||
		mount -t configfs configfs /sys/kernel/config
	sc_mod null_blk nr_devices=0 || return 1
	mkdir "$d" || return 1
	echo "$size" >"$d/size"
	echo 1 >"$d/memory_backed"
	echo 2 >"$d/irqmode"
	echo "$nsec" >"$d/completion_nsec"
	echo "$qd" >"$d/hw_queue_depth"
	[ "$mbps" -gt 0 ] && echo "$mbps" >"$d/mbps"
	echo 1 >"$d/power" || return 1
	[ -b "/dev/$name" ] || { echo "# mk_hdd: no /dev/$name"; return 1; }
}

# mk_sparse NAME SIZE_MB: a null_blk that stores nothing, /dev/NAME (after
# a first mk_hdd, which loads null_blk and mounts configfs).
mk_sparse() {
	local d=/sys/kernel/config/nullb/$1
	mkdir "$d" || return 1
	echo "$2" >"$d/size"
	echo 0 >"$d/memory_backed"
	echo 1 >"$d/power" || return 1
	[ -b "/dev/$1" ]
}

# mk_ssd SIZE_MB [count]: brd RAM disks /dev/ram0.. as simulated SSDs.
# brd's size is fixed when it loads, so the first call decides.
mk_ssd() {
	sc_mod brd rd_nr="${2:-2}" rd_size=$(($1 * 1024)) || return 1
	[ -b /dev/ram0 ] || { echo "# mk_ssd: no /dev/ram0"; return 1; }
}

# mk_fast_ssd NAME SIZE_MB: a null_blk SSD (50 us completion, queue depth
# 64), /dev/NAME; unlike brd it keeps I/O statistics.
mk_fast_ssd() { mk_hdd "$1" "$2" 50000 64; }

sectors() { blockdev --getsz "$1"; }

# sectors_written DEV: sectors written to a block device since boot.
sectors_written() {
	awk '{ print $7 }' "/sys/block/$(basename "$(readlink -f "$1")")/stat"
}
sectors_read() {
	awk '{ print $3 }' "/sys/block/$(basename "$(readlink -f "$1")")/stat"
}

# sc_stat DEV N: field N of a swapcache INFO status (1 = block_size).
# Fields: 1 block_size, 2 used/total, 3 staged, 4 ram_hits, 5 ssd_hits,
# 6 misses, 7 captured, 8 bypassed, 9 invalidated, 10 ssd_writes,
# 11 write_count, 12 curburst, 13 writing|cleaning, 14 bursting|recovering,
# 15 ssd_errors, 16 cache|degraded, 17..27 bypassed by reason (seq_cutoff,
# idle, meta_off, data_off, partial, degraded, nomem, burst, ssd_full,
# ram_full, once), 28 wasted_writes, 29 hits_per_mib, 30 days_left_hour,
# 31 days_left_total, 32 cleaned_blocks, 33 shrunk_blocks.
sc_stat() {
	dmsetup status "$1" | awk -v f="$2" '{ print $(f + 3) }'
}
sc_used() { sc_stat "$1" 2 | cut -d/ -f1; }

# uptime in centiseconds, for elapsed time.
now_cs() { awk '{ split($1, t, "."); print t[1] * 100 + t[2] }' /proc/uptime; }

# dm_node NAME: the /dev/dm-N node of a mapped device (no udev here).
dm_node() {
	echo "/dev/dm-$(dmsetup info -c --noheadings -o minor "$1" | tr -d ' ')"
}

# sc_sysdir NAME: the sysfs directory of the swapcache device NAME.
sc_sysdir() { echo "/sys/block/$(basename "$(dm_node "$1")")/swapcache"; }

# sc_create NAME ORIGIN CACHE [opt...]: a swapcache over the whole origin.
sc_create() {
	local name=$1 origin=$2 cache=$3
	shift 3
	local opts=""
	[ $# -gt 0 ] && opts=" $# $*"
	sc_mod dm-swapcache || return 1
	dmsetup create "$name" --table \
		"0 $(sectors "$origin") swapcache $origin $cache$opts"
}

# The kernel log since the last klog_mark.
# sc_fill NAME MIB BLOCKS: read the first MIB MiB of device NAME twice
# (so that min_reads 2 stages them), then wait up to 60 s for BLOCKS
# blocks on its SSD.  The caller checks what it got.
sc_fill() {
	local dev i=0
	dev=$(dm_node "$1")
	dd if="$dev" of=/dev/null bs=1M count="$2" iflag=direct 2>/dev/null
	dd if="$dev" of=/dev/null bs=1M count="$2" iflag=direct 2>/dev/null
	while [ "$(sc_used "$1")" -lt "$3" ] && [ $i -lt 120 ]; do
		sleep 0.5
		i=$((i + 1))
	done
}

klog_mark() { dmesg -c >/dev/null; }
klog() { dmesg; }

mem_available_kb() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }
# slab_settle: on a debug kernel (make check-debug), let what is freed
# late be freed before a snapshot: DEBUG_KOBJECT_RELEASE releases kobjects
# 1 to 4 s late, and KASAN keeps freed objects in its quarantine, which a
# cache's shrink file drains (kmem_cache_shrink); 9 MiB of kmalloc-4k after
# 100 create/remove cycles was quarantine, not a leak.  Nothing on other
# kernels (neither symbol exists).
slab_settle() {
	grep -q ' kobject_delayed_cleanup$' /proc/kallsyms && sleep 5
	grep -q ' kasan_cache_shrink$' /proc/kallsyms || return 0
	for f in /sys/kernel/slab/kmalloc-*/shrink; do
		[ -e "$f" ] && echo 1 >"$f"
	done
}
# slab_snapshot FILE: per slab cache, bytes in use and bytes in one slab.
slab_snapshot() {
	slab_settle
	awk 'NR > 2 { print $1, $2 * $4, $5 * $4 }' /proc/slabinfo >"$1"
}
# slab_growth OLD NEW: total bytes the kmalloc caches (where the module's
# own small allocations live) grew by, each less four slabs: SLUB counts
# the objects of per-CPU (and per-CPU partial) slabs as in use, so a cache
# moves by whole slabs, two seen in clean runs on 2 CPUs.  A leak of the
# staged data (256 blocks a cycle here) is megabytes; one small struct a
# cycle is below what this sees.
# Kernel objects freed after an RCU grace period (task_struct,
# pool_workqueue, ...) are left out on purpose.  Growths are printed as
# diagnostics.
slab_growth() {
	awk 'NR == FNR { a[$1] = $2; next }
	     $1 ~ /^kmalloc-/ && $2 - a[$1] > 4 * $3 { g = $2 - a[$1] - 4 * $3; t += g;
		if (g > 4096) printf "# slab %s grew %d bytes\n", $1, g >"/dev/stderr" }
	     END { print t + 0 }' "$1" "$2"
}
# slab_active NAME: active objects of one slab cache (the VMs boot with
# slab_nomerge, so the module's caches have lines of their own), -1 if the
# cache does not exist.  SLUB counts objects free in per-CPU slabs as
# active: an upper bound, not an exact count.
slab_active() {
	awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print -1 }' \
		/proc/slabinfo
}

# drop_caches: forget the page cache so reads reach the devices.
# Only the page cache (1): 3 would also run the module's shrinker and drop
# the staged blocks, which the cases count on.
drop_caches() { sync; echo 1 >/proc/sys/vm/drop_caches; }

# cmdline_arg NAME: the value of NAME=... on the kernel command line.
cmdline_arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n 1; }

# tscale SECONDS: SECONDS times the harness's timeout factor (sc.tscale on
# the kernel command line, SC_VM_TIMEOUT_SCALE on the host; 1 but under
# make check-debug), for I/O that runs for a set time: a kernel four
# times slower gets four times as long to do the same work, so what a
# case asserts of that work holds on it too.
tscale() {
	local f
	f=$(cmdline_arg sc.tscale)
	case $f in ''|*[!0-9]*) f=1 ;; esac
	echo $(($1 * f))
}

# case_seed: set SEED for a randomised case: SC_SEED, else sc.seed=N on the
# kernel command line, else a random one (the case prints it, to replay).
case_seed() {
	SEED=${SC_SEED:-$(cmdline_arg sc.seed)}
	[ -n "$SEED" ] ||
		SEED=$(awk 'BEGIN { srand(); print int(rand() * 1000000) }')
}

# knob_model_awk: print an awk function, knob_model(), that sets the
# documented knobs (Documentation/swapcache.rst) for the fuzzers' models,
# written from the guide, not from the module: NK knobs, KN[i] the name,
# LO[i] and HI[i] the range, in the guide's order.
knob_model_awk() {
	cat <<'EOF'
function knob_model() {
	NK = split("read_enable data_enable meta_enable accrate maxburst " \
	    "minburst curburst maxlaunder maxswappct hysteresis ram_budget " \
	    "seq_cutoff endurance_tbw min_reads", KN, " ")
	split("0 0 0 0 0 0 0 1 6 0 1 0 0 1", LO, " ")
	split("1 1 1 1000000000000 1000000000000000 1000000000000000 " \
	    "1000000000000000 1048576 100 1073741824 1048576 1099511627776 " \
	    "18446744 2", HI, " ")
}
EOF
}
