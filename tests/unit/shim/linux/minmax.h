/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: min/max/clamp, without the kernel's strict type checks.  Locals
 * get unique names (__COUNTER__) so that nested uses do not shadow.
 */
#ifndef SHIM_LINUX_MINMAX_H
#define SHIM_LINUX_MINMAX_H

#define __shim_cat2(a, b)	a##b
#define __shim_cat(a, b)	__shim_cat2(a, b)
#define __shim_pick(op, ta, tb, a, b, id) ({				\
	ta __shim_cat(__x, id) = (a);					\
	tb __shim_cat(__y, id) = (b);					\
	__shim_cat(__x, id) op __shim_cat(__y, id) ?			\
		__shim_cat(__x, id) : __shim_cat(__y, id);		\
})

#define min(a, b) __shim_pick(<, __typeof__(a), __typeof__(b), a, b, __COUNTER__)
#define max(a, b) __shim_pick(>, __typeof__(a), __typeof__(b), a, b, __COUNTER__)
#define min_t(t, a, b)		__shim_pick(<, t, t, a, b, __COUNTER__)
#define max_t(t, a, b)		__shim_pick(>, t, t, a, b, __COUNTER__)
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#define clamp_t(t, v, lo, hi)	min_t(t, max_t(t, v, lo), hi)
#define clamp_val(v, lo, hi)	clamp_t(__typeof__(v), v, lo, hi)
#define swap(a, b) do {							\
	__typeof__(a) __shim_swap_tmp = (a);				\
	(a) = (b);							\
	(b) = __shim_swap_tmp;						\
} while (0)

#endif
