/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: allocation flags.  Only __GFP_ZERO changes behaviour here. */
#ifndef SHIM_LINUX_GFP_H
#define SHIM_LINUX_GFP_H

#include <linux/types.h>

#define __GFP_ZERO		0x0100u
#define __GFP_NOWARN		0x0200u
#define __GFP_NORETRY		0x0400u
#define __GFP_NOFAIL		0x0800u
#define GFP_KERNEL		0x0001u
#define GFP_NOIO		0x0002u
#define GFP_NOFS		0x0004u
#define GFP_ATOMIC		0x0008u
#define GFP_NOWAIT		0x0010u

#endif
