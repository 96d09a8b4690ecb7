/* SPDX-License-Identifier: GPL-2.0 */
/*
 * claims.h - one device, one role: which origins and cache devices the
 * swapcache targets use, and whether a new target may use its two.
 *
 * dm opens every device of every table for "dm" as a whole, so nothing in
 * the block layer stops two targets from naming the same device.  A target
 * whose SSD is someone's data disk overwrites it; two targets on one SSD
 * overwrite each other's copies; two caches over one origin never see each
 * other's writes.  Every target therefore records a claim on its origin
 * and one on its cache device, and a new target is refused when either of
 * its devices is claimed by
 *   - another target of the same table (whatever the roles),
 *   - a target of another mapped device (whatever the roles), or
 *   - a target of another table of the same mapped device in the other
 *     role (a reload that swaps origin and SSD).
 * The one sharing allowed is a device in the same role in another table of
 * the same mapped device: the live table and the one a reload is loading.
 * The claim is keyed by the table, not just the mapped device, so that a
 * sibling target of one table can never pass as a reload.
 *
 * Pure code: no locking, no allocation (each target embeds its two
 * claims), no dm calls; the caller serialises every call on one list.
 * The mapped device and the table are only compared, never dereferenced.
 */
#ifndef DM_SWAPCACHE_CLAIMS_H
#define DM_SWAPCACHE_CLAIMS_H

#include <linux/types.h>
#include <linux/list.h>

enum sc_claim_role {
	SC_CLAIM_ORIGIN,
	SC_CLAIM_CACHE,
	SC_NR_CLAIM_ROLES
};

struct sc_claim {
	struct list_head list;		/* in the claims list, or empty */
	u32 dev;			/* the device's dev_t */
	enum sc_claim_role role;
	const void *md;			/* owner's struct mapped_device */
	const void *table;		/* owner's struct dm_table */
};

void sc_claims_init(struct sc_claim c[SC_NR_CLAIM_ROLES]);

/*
 * May a target of @table (of mapped device @md) use @origin and @cache
 * (dev_t numbers) given the claims in @list?  NULL, or why not: the
 * ti->error text.
 */
const char *sc_claims_check(const struct list_head *list, u32 origin,
			    u32 cache, const void *md, const void *table);

const char *sc_claims_take(struct list_head *list,
			   struct sc_claim c[SC_NR_CLAIM_ROLES], u32 origin,
			   u32 cache, const void *md, const void *table);

void sc_claims_release(struct sc_claim c[SC_NR_CLAIM_ROLES]);
bool sc_claims_repaired(const struct list_head *list,
			const struct sc_claim c[SC_NR_CLAIM_ROLES]);

#endif
