// SPDX-License-Identifier: GPL-2.0
/*
 * claims.c - the claim rules of claims.h: a list of (device, role, owner
 * mapped device, owner table) entries, two per target, and the decision
 * whether a new target's origin and cache device are free for it.
 *
 * A device may be claimed several times only in one role and only by the
 * tables of one mapped device, at most one claim a table; so for a given
 * device every claim tells the same story, and the first one that refuses
 * gives the reason.  The cache device is checked before the origin.
 */
#include <linux/kernel.h>
#include <linux/list.h>
#include "claims.h"

/* Who holds the device already, as seen from the new target. */
enum sc_claim_holder {
	SC_HOLDER_SIBLING,	/* another target of the same table */
	SC_HOLDER_OTHER_MD,	/* a target of another mapped device */
	SC_HOLDER_OTHER_TABLE,	/* another table of the same device */
	SC_NR_HOLDERS
};

/* [holder][the new target's role][the holder's role] */
static const char *const sc_claim_errors[SC_NR_HOLDERS]
					[SC_NR_CLAIM_ROLES][SC_NR_CLAIM_ROLES] = {
	[SC_HOLDER_SIBLING] = {
		[SC_CLAIM_ORIGIN] = {
			"Origin device is already the origin of another target of this table",
			"Origin device is already the cache of another target of this table",
		},
		[SC_CLAIM_CACHE] = {
			"Cache device is already the origin of another target of this table",
			"Cache device is already the cache of another target of this table",
		},
	},
	[SC_HOLDER_OTHER_MD] = {
		[SC_CLAIM_ORIGIN] = {
			"Origin device is in use by another swapcache device",
			"Origin device is the cache of another swapcache device",
		},
		[SC_CLAIM_CACHE] = {
			"Cache device is the origin of another swapcache device",
			"Cache device is in use by another swapcache device",
		},
	},
	[SC_HOLDER_OTHER_TABLE] = {
		[SC_CLAIM_ORIGIN] = {
			NULL,	/* a reload: the same origin */
			"Origin device is the cache in another table of this device",
		},
		[SC_CLAIM_CACHE] = {
			"Cache device is the origin in another table of this device",
			NULL,	/* a reload: the same SSD */
		},
	},
};

/**
 * sc_claims_init() - make a target's claims empty
 * @c: the target's two claims, in no list yet
 *
 * Before any other call on @c.
 */
void sc_claims_init(struct sc_claim c[SC_NR_CLAIM_ROLES])
{
	int i;

	for (i = 0; i < SC_NR_CLAIM_ROLES; i++)
		INIT_LIST_HEAD(&c[i].list);
}

/* Why @dev may not take @role for a target of @table of @md, or NULL. */
static const char *sc_claims_check_one(const struct list_head *list,
				       u32 dev, enum sc_claim_role role,
				       const void *md, const void *table)
{
	const struct sc_claim *c;
	enum sc_claim_holder h;
	const char *why;

	list_for_each_entry(c, list, list) {
		if (c->dev != dev)
			continue;
		if (c->table == table)
			h = SC_HOLDER_SIBLING;
		else if (c->md != md)
			h = SC_HOLDER_OTHER_MD;
		else
			h = SC_HOLDER_OTHER_TABLE;
		why = sc_claim_errors[h][role][c->role];
		if (why)
			return why;
	}
	return NULL;
}

const char *sc_claims_check(const struct list_head *list, u32 origin,
			    u32 cache, const void *md, const void *table)
{
	const char *why;

	if (origin == cache)
		return "Cache device must not be the origin device";
	why = sc_claims_check_one(list, cache, SC_CLAIM_CACHE, md, table);
	if (!why)
		why = sc_claims_check_one(list, origin, SC_CLAIM_ORIGIN, md,
					  table);
	return why;
}

/**
 * sc_claims_take() - check, then record a target's claims
 * @list: the claims of every target
 * @c: the target's two claims, empty
 * @origin: dev_t of its origin device
 * @cache: dev_t of its cache device
 * @md: its mapped device, only compared
 * @table: its table, only compared
 *
 * sc_claims_check(); when that allows, @c is filled in and added to @list.
 *
 * Return: NULL, or why not (the ti->error text), as sc_claims_check().
 */
const char *sc_claims_take(struct list_head *list,
			   struct sc_claim c[SC_NR_CLAIM_ROLES], u32 origin,
			   u32 cache, const void *md, const void *table)
{
	const char *why = sc_claims_check(list, origin, cache, md, table);
	int i;

	if (why)
		return why;
	c[SC_CLAIM_ORIGIN].dev = origin;
	c[SC_CLAIM_CACHE].dev = cache;
	for (i = 0; i < SC_NR_CLAIM_ROLES; i++) {
		c[i].role = i;
		c[i].md = md;
		c[i].table = table;
		list_add_tail(&c[i].list, list);
	}
	return NULL;
}

/**
 * sc_claims_release() - drop a target's claims, if taken
 * @c: the target's two claims
 *
 * Safe to call twice, and on claims never taken.
 */
void sc_claims_release(struct sc_claim c[SC_NR_CLAIM_ROLES])
{
	int i;

	for (i = 0; i < SC_NR_CLAIM_ROLES; i++)
		list_del_init(&c[i].list);
}

/**
 * sc_claims_repaired() - does another table of the device pair one of a
 * target's devices with another?
 * @list: the claims of every target
 * @c: the target's two claims, in @list
 *
 * A reload that keeps the origin and names another SSD, or keeps the SSD
 * over another origin: the old table's checkpoint must not be believed
 * later, since the new table writes the origin without that SSD seeing
 * it, or fills the SSD for another origin.
 *
 * Return: whether a target of another table of @c's mapped device holds
 * @c's origin or cache in the same role without holding the other too.
 */
bool sc_claims_repaired(const struct list_head *list,
			const struct sc_claim c[SC_NR_CLAIM_ROLES])
{
	const struct sc_claim *x, *pair;

	list_for_each_entry(x, list, list) {
		if (x->md != c[0].md || x->table == c[0].table ||
		    x->dev != c[x->role].dev)
			continue;
		/* A target's two claims are one array: origin, cache. */
		pair = x->role == SC_CLAIM_ORIGIN ? x + 1 : x - 1;
		if (pair->dev != c[pair->role].dev)
			return true;
	}
	return false;
}
