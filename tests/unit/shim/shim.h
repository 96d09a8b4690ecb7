/* SPDX-License-Identifier: GPL-2.0 */
/* Knobs and counters of the user-space kernel shim; see README. */
#ifndef SHIM_SHIM_H
#define SHIM_SHIM_H

#include <stddef.h>

extern long shim_alloc_live;		/* live allocations */
extern long shim_alloc_live_bytes;	/* bytes in live allocations */
extern unsigned long shim_alloc_calls;	/* allocation attempts */
extern unsigned long shim_fail_nth;	/* fail the Nth attempt from now */
extern unsigned long shim_warn_count;	/* WARN* conditions that were true */
extern int shim_warn_quiet;		/* don't print WARNING lines */

void shim_reset(void);

#endif
