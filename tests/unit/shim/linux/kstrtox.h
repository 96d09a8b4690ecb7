/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: kstrtou64 with the kernel's rules: decimal (base 10 only here), an
 * optional leading '+', one optional trailing newline, nothing else;
 * -EINVAL for a malformed string, -ERANGE for overflow.
 */
#ifndef SHIM_LINUX_KSTRTOX_H
#define SHIM_LINUX_KSTRTOX_H

#include <linux/types.h>
#include <linux/errno.h>

static inline int kstrtou64(const char *s, unsigned int base, u64 *res)
{
	u64 v = 0;
	int digits = 0;

	if (base != 10)
		return -EINVAL;
	if (*s == '+')
		s++;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (v > (~0ULL - (u64)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (u64)(*s - '0');
	}
	if (*s == '\n')
		s++;
	if (!digits || *s)
		return -EINVAL;
	*res = v;
	return 0;
}

#endif
