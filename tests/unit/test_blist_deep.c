// SPDX-License-Identifier: GPL-2.0
/*
 * test_blist.c against a tiny tree: 4-word (256-block) chunks and radix 2
 * (see test_blist_deep_CFLAGS in the Makefile), so that devices of a few
 * thousand blocks have trees 5-10 levels deep and many partial nodes.
 */
#define BLIST_TEST_DEEP 1
#include "test_blist.c"
