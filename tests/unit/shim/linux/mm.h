/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: <linux/mm.h> is where older kernels declared kvmalloc & co. */
#ifndef SHIM_LINUX_MM_H
#define SHIM_LINUX_MM_H

#include <linux/slab.h>

#endif
