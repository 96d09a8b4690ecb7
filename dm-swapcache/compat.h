/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - what differs between the kernels dm-swapcache supports (6.1,
 * 6.12 and Debian unstable's newest, 7.2 when last tested), so that the
 * engine is written against the current API: one small inline per
 * difference, each named after the kernel change that made it, for the
 * kernels before that change.
 *
 * Two 7.x changes needed nothing here, because the engine uses what all
 * three kernels have: the bio_prio() macro is gone (the engine reads
 * bio->bi_ioprio), and alloc_workqueue() warns about a workqueue that says
 * neither WQ_PERCPU nor WQ_UNBOUND (the retry workqueue is WQ_UNBOUND).
 */
#ifndef DM_SWAPCACHE_COMPAT_H
#define DM_SWAPCACHE_COMPAT_H

#include <linux/blkdev.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/printk.h>
#include <linux/container_of.h>

/*
 * Each difference is tested by a name that came with the change, not by
 * the kernel version, so a backport is seen for what it is.
 */
#ifndef SHRINKER_ALLOCATED
/*
 * 6.7, "mm: shrinker: add infrastructure for dynamically allocating
 * shrinker": the kernel allocates a shrinker (shrinker_alloc), the caller
 * fills it in and registers it (shrinker_register), and shrinker_free()
 * unregisters and frees it.  Before, the caller owned struct shrinker and
 * named it in register_shrinker() (a failure there only leaves it
 * unregistered), and unregister_shrinker() undid that.  @name is a plain
 * string that outlives the shrinker here, not a format.  SHRINKER_ALLOCATED
 * is a flag the same change added.
 */
struct sc_compat_shrinker {
	struct shrinker shrinker;
	const char *name;
};

static inline struct shrinker *shrinker_alloc(unsigned int flags,
					      const char *name)
{
	struct sc_compat_shrinker *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return NULL;
	c->shrinker.flags = flags;
	c->shrinker.seeks = DEFAULT_SEEKS;
	c->name = name;
	return &c->shrinker;
}

static inline void shrinker_register(struct shrinker *s)
{
	struct sc_compat_shrinker *c =
		container_of(s, struct sc_compat_shrinker, shrinker);

	if (register_shrinker(s, "%s", c->name))
		pr_warn("%s: cannot register the shrinker\n", c->name);
}

static inline void shrinker_free(struct shrinker *s)
{
	if (!s)
		return;
	if (s->flags & SHRINKER_REGISTERED)
		unregister_shrinker(s);
	kfree(container_of(s, struct sc_compat_shrinker, shrinker));
}
#endif

#ifndef BLK_OPEN_WRITE
/*
 * 6.5, "block: replace fmode_t with a block-specific type for block open
 * flags": devices are opened with BLK_OPEN_* flags of type blk_mode_t.
 * Before, dm_get_device() took the FMODE_* flags of an fmode_t, which
 * have the same meaning.
 */
#define BLK_OPEN_READ		FMODE_READ
#define BLK_OPEN_WRITE		FMODE_WRITE
#endif

#endif /* DM_SWAPCACHE_COMPAT_H */
