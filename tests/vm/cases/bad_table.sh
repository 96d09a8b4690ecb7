#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bad table lines are refused with their own ti->error in the kernel log and
# leave no device behind; a good line with options round-trips through
# `dmsetup table` and reload.
# timeout: 300
. /tests/lib.sh

mk_hdd hdd 64 || die "no origin"
mk_ssd 16 || die "no cache"
sc_mod dm-swapcache || die "module does not load"
H=/dev/hdd
S=/dev/ram0
HS=$(sectors $H)

# bad "description" "table" "expected ti->error"
bad() {
	klog_mark
	if dmsetup create bad --table "$2" 2>/dev/null; then
		dmsetup remove bad
		ktap_fail "$1: accepted"
		return
	fi
	if dmsetup info bad >/dev/null 2>&1; then
		ktap_fail "$1: left a device behind"
		dmsetup remove bad
		return
	fi
	if klog | grep -q "swapcache: $3"; then
		ktap_ok "$1"
	else
		echo "# expected in the kernel log: 'swapcache: $3'"
		klog | tail -n 3 | sed 's/^/# log: /'
		ktap_fail "$1"
	fi
}

ktap_plan 30

bad "one argument" "0 $HS swapcache $H" "Not enough arguments"
bad "missing origin" "0 $HS swapcache /dev/nonexistent $S" \
	"Error opening origin device"
bad "missing cache" "0 $HS swapcache $H /dev/nonexistent" \
	"Error opening cache device"
bad "cache is the origin" "0 $HS swapcache $H $H" \
	"Cache device must not be the origin device"
bad "unknown option" "0 $HS swapcache $H $S 2 frobnicate 1" \
	"Unknown optional argument"
bad "maxswappct out of range" "0 $HS swapcache $H $S 2 maxswappct 5" \
	"Invalid maxswappct"
bad "trailing garbage in a number" "0 $HS swapcache $H $S 2 accrate 12abc" \
	"Invalid accrate"
bad "negative number" "0 $HS swapcache $H $S 2 maxburst -1" \
	"Invalid maxburst"
bad "huge number" \
	"0 $HS swapcache $H $S 2 curburst 99999999999999999999999" \
	"Invalid curburst"
bad "option without value" "0 $HS swapcache $H $S 1 accrate" \
	"Optional argument without its value"
bad "format given twice" "0 $HS swapcache $H $S 2 format format" \
	"Duplicate optional argument"
bad "a value after format" "0 $HS swapcache $H $S 2 format 1" \
	"Optional argument without its value"
bad "cold given twice" "0 $HS swapcache $H $S 3 cold format cold" \
	"Duplicate optional argument"
bad "option count beyond the line" "0 $HS swapcache $H $S 4 accrate 1" \
	"Invalid number of optional arguments"
bad "option count not a number" "0 $HS swapcache $H $S x accrate 1" \
	"Invalid number of optional arguments"
bad "trailing arguments" "0 $HS swapcache $H $S 2 accrate 1 extra" \
	"Too many arguments"
bad "duplicate option" "0 $HS swapcache $H $S 4 accrate 1 accrate 2" \
	"Duplicate optional argument"
bad "minburst not below maxburst" \
	"0 $HS swapcache $H $S 4 maxburst 1000 minburst 2000" \
	"minburst must be below maxburst"
bad "block_size not a power of two" \
	"0 $HS swapcache $H $S 2 block_size 3000" "Invalid block_size"
bad "block_size above a page" \
	"0 $HS swapcache $H $S 2 block_size 8192" "Invalid block_size"
bad "length not a multiple of the block" "0 7 swapcache $H $S" \
	"Target length is not a multiple of block_size"
bad "target longer than the origin" "0 $((HS + 8)) swapcache $H $S" \
	"Origin device is smaller than the target"
dmsetup create tiny --table "0 256 linear $S 0" || die "no dm-linear"
bad "cache smaller than 64 blocks" "0 $HS swapcache $H $(dm_node tiny)" \
	"Cache device too small: need 1 MiB and 64 blocks"
dmsetup remove tiny
# 1 MiB of metadata and 63 blocks of 4 KiB.
dmsetup create tiny --table "0 $((2048 + 63 * 8)) linear $S 0" ||
	die "no dm-linear"
bad "cache of 1 MiB and 63 blocks" "0 $HS swapcache $H $(dm_node tiny)" \
	"Cache device too small: need 1 MiB and 64 blocks"
dmsetup remove tiny
bad "ram_budget beyond RAM" "0 $HS swapcache $H $S 2 ram_budget 1048576" \
	"ram_budget exceeds half of the RAM"

# One SSD, two devices: refused, and a reload of the owner still works.
sc_create first $H $S || die "first device refused"
bad "the cache of another swapcache device" \
	"0 $(sectors /dev/ram1) swapcache /dev/ram1 $S" \
	"Cache device is in use by another swapcache device"
dmsetup reload first --table "$(dmsetup table first)" &&
	dmsetup resume first
ktap_check "the owner may reload its table over the same SSD" \
	sh -c 'dmsetup table first | grep -q swapcache'
dmsetup remove first

# A good line: dmsetup table gives the options back, normalised.
sc_create good $H $S block_size 4096 accrate 5000 maxswappct 80 ||
	die "good table refused"
HM=$(sectors $H) # keep the shell happy if blockdev prints oddly
want="0 $HM swapcache $(printf '%d:%d' $(stat -L -c '0x%t 0x%T' $H)) \
$(printf '%d:%d' $(stat -L -c '0x%t 0x%T' $S)) 6 block_size 4096 \
accrate 5000 maxswappct 80"
ktap_expect_eq "dmsetup table reproduces the line" "$want" \
	"$(dmsetup table good)"
dmsetup reload good --table "$(dmsetup table good)" && dmsetup resume good
ktap_expect_eq "reload from dmsetup table keeps the line" "$want" \
	"$(dmsetup table good)"
dmsetup remove good
ktap_check "no swapcache device left" \
	sh -c '! dmsetup table --target swapcache | grep -q swapcache'
ktap_done
