/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: WARN*, BUG*, BUILD_BUG_ON.  Every WARN whose condition is true
 * bumps shim_warn_count (even the _ONCE ones, which print only once per
 * call site as in Linux), so tests can count them.  Like Linux, the WARN
 * macros evaluate to the truth value of the condition.
 */
#ifndef SHIM_LINUX_BUG_H
#define SHIM_LINUX_BUG_H

#include <stdio.h>
#include <stdlib.h>
#include <linux/compiler.h>

void shim_warn(const char *file, int line, int print, const char *fmt, ...)
	__printf(4, 5);

#define WARN(cond, fmt, ...) ({						\
	int __w_c = !!(cond);						\
	if (unlikely(__w_c))						\
		shim_warn(__FILE__, __LINE__, 1, fmt, ##__VA_ARGS__);	\
	__w_c;								\
})

#define WARN_ONCE(cond, fmt, ...) ({					\
	static int __w_done;						\
	int __w_c = !!(cond);						\
	if (unlikely(__w_c)) {						\
		shim_warn(__FILE__, __LINE__, !__w_done, fmt,		\
			  ##__VA_ARGS__);				\
		__w_done = 1;						\
	}								\
	__w_c;								\
})

#define WARN_ON(cond)		WARN(cond, "WARN_ON(%s)\n", #cond)
#define WARN_ON_ONCE(cond)	WARN_ONCE(cond, "WARN_ON_ONCE(%s)\n", #cond)

#define BUG() do {							\
	fprintf(stderr, "BUG at %s:%d\n", __FILE__, __LINE__);		\
	abort();							\
} while (0)
#define BUG_ON(cond)		do { if (unlikely(cond)) BUG(); } while (0)
#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")

#endif
