// SPDX-License-Identifier: GPL-2.0
/*
 * blist_cli - drive dm-swapcache/blist.c by hand or from a script.
 *
 *	$ ../../build/unit/blist_cli
 *	create 1000
 *	alloc 16		-> 0
 *	free 0 16
 *	fill 100 50		-> 50
 *	print			runs of free blocks
 *	stats			free count, hint, memory, height, visits
 *	quit
 */
#include <stdio.h>
#include <string.h>

#include <linux/types.h>
#include <linux/slab.h>
#include "blist.h"

typedef unsigned long long ull;

static void print_runs(const struct blist *bl)
{
	u64 i, start = 0, n = blist_blocks(bl);
	int in = 0;

	for (i = 0; i <= n; i++) {
		int fr = i < n && blist_block_is_free(bl, i);

		if (fr && !in)
			start = i;
		else if (!fr && in)
			printf("  free %llu..%llu (%llu)\n", (ull)start,
			       (ull)i - 1, (ull)(i - start));
		in = fr;
	}
}

int main(void)
{
	struct blist *bl = NULL;
	char line[256], cmd[32];
	ull a, b;
	int n;

	while (fgets(line, sizeof(line), stdin)) {
		n = sscanf(line, "%31s %llu %llu", cmd, &a, &b);
		if (n < 1 || cmd[0] == '#')
			continue;
		if (!strcmp(cmd, "quit"))
			break;
		if (!strcmp(cmd, "create") && n == 2) {
			blist_destroy(bl);
			bl = blist_create(a, GFP_KERNEL);
			printf("%s\n", bl ? "ok" : "failed");
		} else if (!bl) {
			printf("create first\n");
		} else if (!strcmp(cmd, "alloc") && n == 2) {
			blist_blk_t r = blist_alloc(bl, a);

			if (r == BLIST_NONE)
				printf("NONE\n");
			else
				printf("%llu\n", (ull)r);
		} else if (!strcmp(cmd, "free") && n == 3) {
			blist_free(bl, a, b);
		} else if (!strcmp(cmd, "fill") && n == 3) {
			printf("%llu\n", (ull)blist_fill(bl, a, b));
		} else if (!strcmp(cmd, "print")) {
			print_runs(bl);
		} else if (!strcmp(cmd, "stats")) {
			printf("blocks %llu free %llu hint %u mem %zu height %u "
			       "visits %lu check %d\n", (ull)blist_blocks(bl),
			       (ull)blist_free_count(bl),
			       blist_largest_free_hint(bl), blist_mem_bytes(bl),
			       blist_height(bl), blist_stat_visits,
			       blist_check(bl));
		} else {
			printf("? create N | alloc C | free B C | fill B C | "
			       "print | stats | quit\n");
		}
		fflush(stdout);
	}
	blist_destroy(bl);
	return 0;
}
