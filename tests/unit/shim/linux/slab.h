/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: k*alloc and kv*alloc all go through shim_alloc(), which counts
 * live allocations and can be told to fail (see shim.h).
 */
#ifndef SHIM_LINUX_SLAB_H
#define SHIM_LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>

void *shim_alloc(size_t size, gfp_t gfp);
void *shim_alloc_array(size_t n, size_t size, gfp_t gfp);
void shim_free(const void *p);

#define kmalloc(s, g)		shim_alloc(s, g)
#define kzalloc(s, g)		shim_alloc(s, (g) | __GFP_ZERO)
#define kmalloc_array(n, s, g)	shim_alloc_array(n, s, g)
#define kcalloc(n, s, g)	shim_alloc_array(n, s, (g) | __GFP_ZERO)
#define kfree(p)		shim_free(p)
#define kvmalloc(s, g)		shim_alloc(s, g)
#define kvzalloc(s, g)		shim_alloc(s, (g) | __GFP_ZERO)
#define kvmalloc_array(n, s, g)	shim_alloc_array(n, s, g)
#define kvcalloc(n, s, g)	shim_alloc_array(n, s, (g) | __GFP_ZERO)
#define kvfree(p)		shim_free(p)

#endif
