/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tap.h - tiny TAP (KTAP-ish) helpers for the user-space unit tests.
 *
 *	tap_start();			prints "TAP version 13"
 *	ok(cond, "what %d", x);		"ok N - what 1" / "not ok N - what 1"
 *	diag("seed %llu", s);		"# seed 42"
 *	return tap_done();		plan "1..N" at the end, a summary line,
 *					exit code 1 if anything failed
 */
#ifndef TESTS_UNIT_TAP_H
#define TESTS_UNIT_TAP_H

#include <stdarg.h>
#include <stdio.h>

static unsigned int tap_count, tap_failed;

static inline void tap_start(void)
{
	printf("TAP version 13\n");
	fflush(stdout);
}

static inline __attribute__((format(printf, 1, 2)))
void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static inline __attribute__((format(printf, 2, 3)))
int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %u - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

static inline int tap_done(void)
{
	printf("1..%u\n", tap_count);
	printf("# %u passed, %u failed\n", tap_count - tap_failed, tap_failed);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

#endif
