#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A cache device whose metadata cannot fit in the RAM: an SSD of 2^31
# blocks (8 TiB, a null_blk that keeps no data) needs about 21 GiB of block
# map in a 2 GiB guest.  The table must be refused with the documented
# error, the kernel log must say what it needs and what the limit is, and
# the kernel must not invoke the OOM killer (the harness fails a case
# whose console shows one).  An SSD whose metadata fits still comes up.
# timeout: 180
# memory: 2048
. /tests/lib.sh

mk_hdd hdd 64 || die "no origin"	# loads null_blk and configfs
mk_sparse huge $((8 * 1024 * 1024)) || die "no 8 TiB SSD"
mk_sparse big $((64 * 1024)) || die "no 64 GiB SSD"
sc_mod dm-swapcache || die "module"

ktap_plan 5

ktap_expect_eq "the SSD has 2^34 sectors" 17179869184 "$(sectors /dev/huge)"
klog_mark
ok=0
sc_create sc /dev/hdd /dev/huge 2>/tmp/err || ok=1
ktap_check "an 8 TiB SSD (2^31 blocks) in a 2 GiB guest is refused" [ $ok = 1 ]
sed 's/^/# /' /tmp/err
klog | grep swapcache | sed 's/^/# /'
ktap_check "with the documented error" \
	sh -c 'dmesg | grep -q "swapcache: Cache device too large for the RAM"'
# 2^31 blocks less the first 16 GiB (superblock and checkpoint, 8 bytes
# a block): 2143264512 (sc_super_geometry()).
ktap_check "the log names the need and the limit" \
	sh -c 'dmesg | grep -qE "metadata of 2143264512 cache blocks needs [0-9]+ MiB, the limit is [0-9]+ MiB"'

# 2^24 blocks: about 180 MiB of metadata, below a quarter of the RAM;
# the first 129 MiB hold the superblock and the checkpoint: 16744192 blocks.
ok=0
sc_create sc /dev/hdd /dev/big && dmsetup status sc |
	grep -q " 0/16744192 " && dmsetup remove sc && ok=1
ktap_check "a 64 GiB SSD (16744192 blocks after the metadata) is accepted" \
	[ $ok = 1 ]
ktap_done
