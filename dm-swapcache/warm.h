/* SPDX-License-Identifier: GPL-2.0 */
/*
 * warm: the pure half of a warm start.
 *
 * A clean suspend describes the map in checkpoint pages (ckpt.h); only
 * the pages whose entries changed since the SSD last held them are
 * written, which the map's changed groups tell exactly (map.c, CHANGED
 * GROUPS; sc_warm_restore() clears a group the map took whole).
 *
 * The next table loads those pages in the background while I/O flows.
 * A write that reaches the target during the load would make the entry
 * of its block stale, and the entry may not be in the map yet for the
 * write to invalidate.  So every write during the load marks its blocks
 * in a hashed bitmap (sc_warm_note_write(), under sc->lock, in the map
 * path before the write goes to the origin), and the loader restores an
 * entry only when its bit is clear (sc_warm_restore(), under the same
 * lock).  A write mapped before the restore has marked the bit, so the
 * entry is dropped; a write mapped after it finds the entry in the map
 * and invalidates it as any write does.  A bit shared by two blocks only
 * drops a good copy.
 *
 * Pure code: no bios, no locks, no allocation; tests/unit/test_warm.c
 * compiles it in user space.  The caller holds the map's lock around
 * every call that takes the map.
 */
#ifndef DM_SWAPCACHE_WARM_H
#define DM_SWAPCACHE_WARM_H

#include <linux/types.h>
#include <linux/bits.h>
#include "ckpt.h"
#include "map.h"

/* The written bitmap: 2^20 bits, 128 KiB. */
#define SC_WARM_BITS		20
#define SC_WARM_BYTES		(BIT(SC_WARM_BITS) / 8)

struct sc_warm_count {
	u64 restored;		/* entries made copies again */
	u64 written;		/* dropped: the block was written meanwhile */
	u64 refused;		/* dropped: cblock or block taken already */
};

void sc_warm_note_write(unsigned long *written, u64 first, u64 count);
bool sc_warm_was_written(const unsigned long *written, u64 oblock);
void sc_warm_fill(const struct sc_map *m, void *page,
		  const struct sc_ckpt_hdr *h, unsigned int entries);
void sc_warm_restore(struct sc_map *m, const unsigned long *written,
		     const void *page, u64 page_no, unsigned int entries,
		     struct sc_warm_count *c);

#endif
