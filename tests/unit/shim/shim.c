// SPDX-License-Identifier: GPL-2.0
/* Runtime part of the user-space kernel shim: allocation and warnings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/slab.h>
#include <linux/bug.h>
#include "shim.h"

long shim_alloc_live;
long shim_alloc_live_bytes;
unsigned long shim_alloc_calls;
unsigned long shim_fail_nth;
unsigned long shim_warn_count;
int shim_warn_quiet;

/* Each block carries its size in a 16-byte header (keeps 16-alignment). */
#define SHIM_HDR 16

void shim_reset(void)
{
	shim_alloc_calls = 0;
	shim_fail_nth = 0;
	shim_warn_count = 0;
	shim_warn_quiet = 0;
}

void *shim_alloc(size_t size, gfp_t gfp)
{
	unsigned char *p;

	shim_alloc_calls++;
	if (shim_fail_nth && --shim_fail_nth == 0)
		return NULL;
	if (size > (size_t)-1 - SHIM_HDR)
		return NULL;
	if (gfp & __GFP_ZERO)
		p = calloc(1, size + SHIM_HDR);
	else
		p = malloc(size + SHIM_HDR);
	if (!p)
		return NULL;
	memcpy(p, &size, sizeof(size));
	shim_alloc_live++;
	shim_alloc_live_bytes += size;
	return p + SHIM_HDR;
}

void *shim_alloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return shim_alloc(bytes, gfp);
}

void shim_free(const void *ptr)
{
	unsigned char *p;
	size_t size;

	if (!ptr)
		return;
	p = (unsigned char *)ptr - SHIM_HDR;
	memcpy(&size, p, sizeof(size));
	shim_alloc_live--;
	shim_alloc_live_bytes -= size;
	free(p);
}

void shim_warn(const char *file, int line, int print, const char *fmt, ...)
{
	va_list ap;

	shim_warn_count++;
	if (!print || shim_warn_quiet)
		return;
	fprintf(stderr, "WARNING: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}
