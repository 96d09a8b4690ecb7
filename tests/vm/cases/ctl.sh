#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tools/swapcache-ctl, the administrator's front end: create fills in the
# origin's size (rounded down to whole blocks, and says so), puts knobs on
# the table line and prints the kernel's reason when a value is refused;
# show labels every status field and the knobs (from sysfs, or from the
# table line while suspended); set changes a knob or prints the kernel's
# reason and changes nothing; list shows every device; remove removes,
# and refuses an open device with a clear message.
# timeout: 300
. /tests/lib.sh

command -v swapcache-ctl >/dev/null ||
	ktap_skip_all "no swapcache-ctl in the guest (tests/vm/mkinitramfs)"
mk_hdd hdd 64 || die "no origin"
mk_hdd hdd2 64 || die "no second origin"
mk_hdd hdd3 64 || die "no third origin"
mk_ssd 16 3 || die "no cache"
sc_mod dm-swapcache || die "module"
HS=$(sectors /dev/hdd)
HS2=$(sectors /dev/hdd2)

ktap_plan 31

# has FILE TEXT: the file holds the fixed string TEXT.
has() { grep -qF -- "$2" "$1"; }
# len NAME: the length of a device's table (its size in sectors).
len() { dmsetup table "$1" | awk '{ n += $2 } END { print n + 0 }'; }

# Sizes filled in.
swapcache-ctl create c1 /dev/hdd /dev/ram0 >/tmp/out 2>&1
rc=$?
sed 's/^/# /' /tmp/out
ktap_check "create NAME ORIGIN SSD succeeds" [ $rc = 0 ]
ktap_expect_eq "the device's size is the origin's" "$HS" "$(len c1)"

# --dry-run: the table line, no device.
out=$(swapcache-ctl create --dry-run dry /dev/hdd2 /dev/ram1 accrate=1)
ktap_expect_eq "--dry-run prints the table line" \
	"0 $HS2 swapcache /dev/hdd2 /dev/ram1 2 accrate 1" "$out"
ktap_check "--dry-run creates nothing" sh -c '! dmsetup info dry 2>/dev/null'

# An origin that is not a multiple of 4096 bytes: 7 sectors short.
dmsetup create odd --table "0 $((HS2 - 7)) linear /dev/hdd2 0" ||
	die "no dm-linear"
ODD=$(dm_node odd)
swapcache-ctl create c2 "$ODD" /dev/ram1 >/tmp/out 2>&1
rc=$?
sed 's/^/# /' /tmp/out
ktap_expect_eq "odd origin: rounded down to whole 4096-byte blocks" \
	"$rc $((HS2 - 8))" "$rc $(len c2)"
ktap_check "odd origin: the message says it rounded" \
	has /tmp/out "not a multiple of block_size 4096 (8 sectors): rounded down to $((HS2 - 8)) sectors"
out=$(swapcache-ctl create --dry-run x "$ODD" /dev/ram2 block_size=512 2>&1)
ktap_expect_eq "odd origin, block_size=512: nothing to round" \
	"0 $((HS2 - 7)) swapcache $ODD /dev/ram2 2 block_size 512" "$out"
out=$(swapcache-ctl create --dry-run --format x "$ODD" /dev/ram2 \
	block_size=512 2>&1)
ktap_expect_eq "--format: the word format on the table line" \
	"0 $((HS2 - 7)) swapcache $ODD /dev/ram2 3 block_size 512 format" "$out"

# A bad knob value: the kernel's reason, a non-zero exit, no device.
swapcache-ctl create bad /dev/hdd3 /dev/ram2 maxswappct=5 >/tmp/out 2>&1
rc=$?
sed 's/^/# /' /tmp/out
ktap_check "bad knob value: create fails (exit $rc)" [ $rc != 0 ]
ktap_check "bad knob value: the kernel's reason is printed" \
	has /tmp/out "swapcache: Invalid maxswappct: percent, 6 to 100"
ktap_check "bad knob value: no device left" \
	sh -c '! dmsetup info bad 2>/dev/null'

# A knob name is the kernel's to check (a newer module may know more).
swapcache-ctl create bad /dev/hdd3 /dev/ram2 nosuchknob=1 >/tmp/out 2>&1
rc=$?
sed 's/^/# /' /tmp/out
ktap_check "unknown knob: create fails, the kernel names it" \
	sh -c "[ $rc = 1 ] && grep -q \"unknown optional argument 'nosuchknob'\" /tmp/out &&
	       ! dmsetup info bad 2>/dev/null"

# Knobs on the table line.
swapcache-ctl create c3 /dev/hdd3 /dev/ram2 accrate=5000 maxswappct=80 \
	>/tmp/out 2>&1 || { sed 's/^/# /' /tmp/out; die "create c3"; }
T3=$(dmsetup table c3)
ktap_diag "c3: $T3"
case "$T3" in
*" swapcache "*" 4 accrate 5000 maxswappct 80") ok=1 ;;
*) ok=0 ;;
esac
ktap_check "create with knobs: they are on the table line" [ $ok = 1 ]

# Reads, so the hit ratio is a ratio; then show.
DEV3=$(dm_node c3)
dd if="$DEV3" of=/dev/null bs=64k count=64 iflag=direct 2>/dev/null
dd if="$DEV3" of=/dev/null bs=64k count=64 iflag=direct 2>/dev/null
swapcache-ctl show c3 >/tmp/show 2>&1
rc=$?
sed 's/^/# /' /tmp/show
missing=""
for l in "name" "device" "size" "table" "origin" "SSD" "block size" \
	"SSD use" "staged in RAM" "RAM hits" "SSD hits" "misses" "hit ratio" \
	"captured" "bypassed" "invalidated" "SSD writes" "written to SSD" \
	"curburst" "writer state" "burst state" "SSD errors" "cache state" \
	"bypassed, seq_cutoff" "bypassed, idle" "bypassed, meta_off" \
	"bypassed, data_off" "bypassed, partial" "bypassed, degraded" \
	"bypassed, nomem" "bypassed, burst" "bypassed, ssd_full" \
	"bypassed, ram_full" "bypassed, once" "wasted writes" \
	"hits per MiB written" \
	"days left (last hour)" "days left (since creation)" "knobs" \
	"  read_enable" "  data_enable" "  meta_enable" "  accrate" \
	"  maxburst" "  minburst" "  curburst" "  maxlaunder" "  maxswappct" \
	"  hysteresis" "  ram_budget" "  seq_cutoff" "  endurance_tbw" \
	"  min_reads"; do
	grep -q "^$l: " /tmp/show || missing="$missing '$l'"
done
ktap_check "show prints every label (exit $rc)$missing" \
	[ $rc = 0 -a -z "$missing" ]
ktap_check "show: SSD use and hit ratio as percentages" \
	sh -c 'grep -Eq "^SSD use: .*\([0-9.]+%\)" /tmp/show &&
	       grep -Eq "^hit ratio: +[0-9.]+% \(RAM" /tmp/show'
ktap_check "show: the knobs come from sysfs" \
	has /tmp/show "from $(sc_sysdir c3)"

# set: through a message; sysfs and show see it, the table line does not
# change (messages are not part of it, see the admin guide).
swapcache-ctl set c3 accrate 7000 >/tmp/out 2>&1
rc=$?
sed 's/^/# /' /tmp/out
ktap_expect_eq "set changes the knob (sysfs)" "0 7000" \
	"$rc $(cat "$(sc_sysdir c3)/accrate")"
swapcache-ctl show c3 >/tmp/show 2>&1
ktap_check "show: the new value, and what the table line has" \
	grep -q "^  accrate: *7000 bytes/s (set at run time; the table line has 5000)" /tmp/show
swapcache-ctl set c3 maxswappct 5 >/tmp/out 2>&1
rc=$?
sed 's/^/# /' /tmp/out
ktap_check "set with a bad value: exit 1 and the kernel's reason" \
	sh -c "[ $rc = 1 ] && grep -q 'swapcache: .*message: Invalid maxswappct: percent, 6 to 100' /tmp/out"
ktap_expect_eq "set with a bad value: table and knob unchanged" "$T3 80" \
	"$(dmsetup table c3) $(cat "$(sc_sysdir c3)/maxswappct")"

swapcache-ctl set c3 nosuchknob 1 >/tmp/out 2>&1
rc=$?
sed 's/^/# /' /tmp/out
ktap_check "set of an unknown knob: exit 1, the kernel names it" \
	sh -c "[ $rc = 1 ] && grep -q \"message: unknown knob 'nosuchknob'\" /tmp/out"

# Suspended, there is no sysfs directory: knobs from the table line.
dmsetup suspend c3
swapcache-ctl show c3 >/tmp/show 2>&1
rc=$?
dmsetup resume c3
ktap_check "show while suspended: knobs from the table line, and says so" \
	sh -c "[ $rc = 0 ] && grep -q '^knobs: *from the table line' /tmp/show &&
	       grep -q '^  accrate: *5000 bytes/s$' /tmp/show &&
	       grep -q '^  maxlaunder: *256 blocks (default)$' /tmp/show"

# list
swapcache-ctl list >/tmp/out 2>&1
sed 's/^/# /' /tmp/out
# 16 MiB of SSD: 1 MiB of superblock and checkpoint, 3840 blocks of 4 KiB.
ktap_check "list shows each device with origin, SSD and SSD use" \
	sh -c "grep -Eq '^c3 +[0-9.]+ /dev/hdd3 +/dev/ram2 +[0-9]+/3840 blocks \([0-9.]+%\)' /tmp/out &&
	       grep -q '^c1 ' /tmp/out && grep -q '^c2 ' /tmp/out &&
	       ! grep -q '^odd ' /tmp/out"

# remove: refused while open (held, then mounted), then removed.
exec 3<"$DEV3"
swapcache-ctl remove c3 >/tmp/out 2>&1
rc=$?
exec 3<&-
sed 's/^/# /' /tmp/out
ktap_check "remove of an open device fails with a clear message" \
	sh -c "[ $rc = 1 ] && grep -q 'c3 is in use (open count 1)' /tmp/out &&
	       dmsetup info c3 >/dev/null"
# Held by another mapped device: the message names it.
dmsetup create top --table "0 8 linear $DEV3 0" || die "no dm-linear on c3"
swapcache-ctl remove c3 >/tmp/out 2>&1
rc=$?
dmsetup remove top
sed 's/^/# /' /tmp/out
ktap_check "remove of a device under another names the holder" \
	sh -c "[ $rc = 1 ] && grep -q 'held by top' /tmp/out &&
	       dmsetup info c3 >/dev/null"
# Mounted: the message names the mount point.
if sc_fs_mod ext4 &&
   mkfs.ext4 -q -F -b 4096 "$DEV3" >/dev/null 2>&1 &&
   mkdir -p /mnt/c3 && mount -t ext4 "$DEV3" /mnt/c3; then
	swapcache-ctl remove c3 >/tmp/out 2>&1
	rc=$?
	umount /mnt/c3
	sed 's/^/# /' /tmp/out
	ktap_check "remove of a mounted device names the mount point" \
		sh -c "[ $rc = 1 ] && grep -q 'mounted on /mnt/c3' /tmp/out &&
		       dmsetup info c3 >/dev/null"
else
	ktap_fail "remove of a mounted device: could not mount ext4"
fi
swapcache-ctl remove c3 >/tmp/out 2>&1
rc=$?
ktap_check "remove removes (exit $rc)" \
	sh -c "[ $rc = 0 ] && ! dmsetup info c3 2>/dev/null"
ktap_check "remove refuses a device that is not swapcache" \
	sh -c '! swapcache-ctl remove odd 2>/dev/null && dmsetup info odd >/dev/null'

# --help lists every knob with unit, default and range.
swapcache-ctl --help >/tmp/out 2>&1
missing=""
for k in "block_size bytes 4096 512..4096" "read_enable 0/1 1 0..1" \
	"data_enable 0/1 1 0..1" "meta_enable 0/1 1 0..1" \
	"accrate bytes/s 100000 0..10^12" "maxburst bytes 2000000000 0..10^15" \
	"minburst bytes 10000000 0..10^15" "curburst bytes 4000000000 0..10^15" \
	"maxlaunder blocks 256 1..2^20" "maxswappct percent 75 6..100" \
	"hysteresis blocks 512 0..2^30" "ram_budget MiB 64 1..2^20" \
	"seq_cutoff bytes 4194304 0..2^40" "endurance_tbw TB 0 0..18446744"; do
	awk -v w="$k" 'BEGIN { split(w, a, " ") }
		$1 == a[1] && $2 == a[2] && $3 == a[3] && index($4, a[4]) == 1 { f = 1 }
		END { exit !f }' /tmp/out || missing="$missing ${k%% *}"
done
ktap_check "--help lists every knob$missing" [ -z "$missing" ]

swapcache-ctl remove c1 >/dev/null && swapcache-ctl remove c2 >/dev/null
dmsetup remove odd
# Two swapcache targets in one table: show and list cover both.
h=$((HS / 2))
dmsetup create two --table "0 $h swapcache /dev/hdd /dev/ram0
$h $h swapcache /dev/hdd3 /dev/ram2" || die "two targets"
D=$(sc_sysdir two)
swapcache-ctl show two >/tmp/show 2>&1
rc=$?
swapcache-ctl list >/tmp/out 2>&1
grep -E '^(target|table|knobs):' /tmp/show | sed 's/^/# /'
ktap_check "two targets: show labels both, with their sysfs knobs; list both" \
	sh -c "[ $rc = 0 ] && [ \$(grep -c '^target:' /tmp/show) = 2 ] &&
	       [ \$(grep -c '^SSD use:' /tmp/show) = 2 ] &&
	       grep -q 'from $D\$' /tmp/show && grep -q 'from $D-$h\$' /tmp/show &&
	       [ \$(grep -c '^two ' /tmp/out) = 2 ]"
dmsetup remove two
ktap_expect_eq "list with no device says so" "no swapcache devices" \
	"$(swapcache-ctl list 2>&1)"
ktap_done
