// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dm-swapcache/claims.c (one device, one role), compiled in
 * user space against the kernel shim with ASan and UBSan.  Output is TAP.
 *
 * Mapped devices and tables are stand-in addresses (claims.c only compares
 * them).  Every rule of claims.h, with the exact ti->error:
 *  - the origin as its own cache;
 *  - one table: two targets on one SSD, over one origin, one target's SSD
 *    the other's origin and the reverse;
 *  - two mapped devices: SSD twice, origin twice, SSD = the other's origin,
 *    origin = the other's SSD;
 *  - a reload (another table of the same mapped device): same devices
 *    accepted, swapped roles refused, a sibling of the reload's table
 *    still refused;
 *  - a reload that pairs the live table's origin or SSD with another
 *    device is seen (sc_claims_repaired()), one over the same pair is not;
 *  - release: a refused target takes nothing, releasing the old table
 *    keeps the new one's claims, releasing everything frees every role;
 *  - a random model: claims taken and released at random against a
 *    brute-force statement of the rules.
 */
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>
#include "testlib.h"
#include "claims.h"

/* stand-ins */
static char md1, md2, t1a, t1b, t2a;
#define HDD_A	0x800010u	/* dev_t numbers */
#define HDD_B	0x800020u
#define SSD_A	0x010000u
#define SSD_B	0x010001u

static LIST_HEAD(list);

struct tgt {
	struct sc_claim c[SC_NR_CLAIM_ROLES];
};

static const char *take(struct tgt *t, u32 o, u32 c, const void *md,
			const void *table)
{
	sc_claims_init(t->c);
	return sc_claims_take(&list, t->c, o, c, md, table);
}

static int is(const char *got, const char *want)
{
	if (!got && !want)
		return 1;
	if (got && want && !strcmp(got, want))
		return 1;
	diag("got '%s', want '%s'", got ? got : "(accepted)",
	     want ? want : "(accepted)");
	return 0;
}

static int nclaims(void)
{
	struct sc_claim *c;
	int n = 0;

	list_for_each_entry(c, &list, list)
		n++;
	return n;
}

static void test_same_table(void)
{
	struct tgt a, b;

	ok(is(take(&a, HDD_A, HDD_A, &md1, &t1a),
	      "Cache device must not be the origin device") && !nclaims(),
	   "origin as its own cache: refused, nothing taken");
	ok(is(take(&a, HDD_A, SSD_A, &md1, &t1a), NULL) && nclaims() == 2,
	   "first target: accepted, two claims");
	ok(is(take(&b, HDD_B, SSD_A, &md1, &t1a),
	      "Cache device is already the cache of another target of this table"),
	   "same table, SSD twice: refused (finding 1)");
	ok(is(take(&b, HDD_A, SSD_B, &md1, &t1a),
	      "Origin device is already the origin of another target of this table"),
	   "same table, origin twice: refused");
	ok(is(take(&b, SSD_A, SSD_B, &md1, &t1a),
	      "Origin device is already the cache of another target of this table"),
	   "same table, origin = the other target's SSD: refused");
	ok(is(take(&b, HDD_B, HDD_A, &md1, &t1a),
	      "Cache device is already the origin of another target of this table"),
	   "same table, SSD = the other target's origin: refused");
	ok(nclaims() == 2, "the refused targets took nothing");
	ok(is(take(&b, HDD_B, SSD_B, &md1, &t1a), NULL) && nclaims() == 4,
	   "same table, distinct devices: accepted");
	sc_claims_release(b.c);
	sc_claims_release(a.c);
	sc_claims_release(a.c);
	ok(!nclaims(), "released (twice is harmless): no claim left");
}

static void test_two_devices(void)
{
	struct tgt a, b;

	ok(is(take(&a, HDD_A, SSD_A, &md1, &t1a), NULL), "md1: accepted");
	ok(is(take(&b, HDD_B, SSD_A, &md2, &t2a),
	      "Cache device is in use by another swapcache device"),
	   "md2 on md1's SSD: refused");
	ok(is(take(&b, HDD_A, SSD_B, &md2, &t2a),
	      "Origin device is in use by another swapcache device"),
	   "md2 over md1's origin: refused (finding 7)");
	ok(is(take(&b, HDD_B, HDD_A, &md2, &t2a),
	      "Cache device is the origin of another swapcache device"),
	   "md2's SSD = md1's origin: refused (finding 3)");
	ok(is(take(&b, SSD_A, SSD_B, &md2, &t2a),
	      "Origin device is the cache of another swapcache device"),
	   "md2's origin = md1's SSD: refused (finding 3)");
	ok(is(take(&b, HDD_B, SSD_B, &md2, &t2a), NULL) && nclaims() == 4,
	   "md2 on its own devices: accepted");
	sc_claims_release(a.c);
	ok(is(take(&a, SSD_A, HDD_A, &md2, &t1b), NULL),
	   "md1 removed: its devices are free for any role");
	sc_claims_release(a.c);
	sc_claims_release(b.c);
	ok(!nclaims(), "no claim left");
}

static void test_repaired(void)
{
	struct tgt live, next, other;

	ok(is(take(&live, HDD_A, SSD_A, &md1, &t1a), NULL) &&
	   !sc_claims_repaired(&list, live.c), "a live table alone: not repaired");
	ok(is(take(&other, HDD_B, SSD_B, &md2, &t2a), NULL) &&
	   !sc_claims_repaired(&list, live.c),
	   "another mapped device's target: not repaired");
	sc_claims_release(other.c);
	ok(is(take(&next, HDD_A, SSD_A, &md1, &t1b), NULL) &&
	   !sc_claims_repaired(&list, live.c) &&
	   !sc_claims_repaired(&list, next.c),
	   "a reload over the same origin and SSD: not repaired");
	sc_claims_release(next.c);
	ok(is(take(&next, HDD_A, SSD_B, &md1, &t1b), NULL) &&
	   sc_claims_repaired(&list, live.c),
	   "a reload keeping the origin, another SSD: repaired");
	sc_claims_release(next.c);
	ok(is(take(&next, HDD_B, SSD_A, &md1, &t1b), NULL) &&
	   sc_claims_repaired(&list, live.c),
	   "a reload keeping the SSD over another origin: repaired");
	sc_claims_release(next.c);
	ok(is(take(&next, HDD_B, SSD_B, &md1, &t1b), NULL) &&
	   !sc_claims_repaired(&list, live.c),
	   "a reload onto two other devices: not repaired");
	sc_claims_release(next.c);
	sc_claims_release(live.c);
	ok(!nclaims(), "no claim left");
}

static void test_reload(void)
{
	struct tgt live, next, sib, next2;

	ok(is(take(&live, HDD_A, SSD_A, &md1, &t1a), NULL), "live table");
	ok(is(take(&next, HDD_A, SSD_A, &md1, &t1b), NULL) && nclaims() == 4,
	   "reload, same origin and SSD: accepted");
	ok(is(take(&sib, HDD_B, SSD_A, &md1, &t1b),
	      "Cache device is already the cache of another target of this table"),
	   "a sibling in the reload's table on the same SSD: refused");
	sc_claims_release(next.c);
	ok(is(take(&next, SSD_A, HDD_A, &md1, &t1b),
	      "Cache device is the origin in another table of this device"),
	   "reload with origin and SSD swapped: refused");
	ok(is(take(&next, SSD_A, SSD_B, &md1, &t1b),
	      "Origin device is the cache in another table of this device"),
	   "reload whose origin was the live SSD: refused");
	ok(is(take(&next, HDD_A, SSD_B, &md1, &t1b), NULL),
	   "reload to another SSD, same origin: accepted");
	/* dm swaps the tables, then destroys the old one */
	sc_claims_release(live.c);
	ok(nclaims() == 2, "old table released: the new table's claims stay");
	ok(is(take(&sib, HDD_B, SSD_B, &md2, &t2a),
	      "Cache device is in use by another swapcache device"),
	   "after the reload, the new SSD is still md1's");
	ok(is(take(&sib, HDD_B, SSD_A, &md2, &t2a), NULL),
	   "after the reload, the old SSD is free");
	sc_claims_release(sib.c);
	ok(is(take(&next2, HDD_A, SSD_B, &md1, &t1a), NULL),
	   "a further reload (table address reused) over the same devices");
	sc_claims_release(next.c);
	sc_claims_release(next2.c);
	ok(!nclaims(), "no claim left");
}

/*
 * Random: 6 devices, 2 mapped devices with 2 table slots each, up to 3
 * targets a table.  The rule, stated independently: a target is accepted
 * iff its origin and cache differ and, for each of the two, every claim
 * on that device is by another table of the same mapped device in the
 * same role.
 */
#define NDEV	6
#define NMD	2
#define NTAB	2
#define NSLOT	3
static char mds[NMD], tabs[NMD][NTAB];

struct slot {
	struct tgt t;
	int used, o, c;
};

static int model_ok(struct slot s[NMD][NTAB][NSLOT], int m, int tb, int o,
		    int c)
{
	int i, j, k, r;

	if (o == c)
		return 0;
	for (i = 0; i < NMD; i++)
		for (j = 0; j < NTAB; j++)
			for (k = 0; k < NSLOT; k++) {
				const struct slot *x = &s[i][j][k];

				if (!x->used)
					continue;
				for (r = 0; r < 2; r++) {
					int dev = r ? x->c : x->o;

					if (dev != o && dev != c)
						continue;
					if (i != m || j == tb)
						return 0;
					if ((dev == o) != !r)
						return 0;
				}
			}
	return 1;
}

static void test_model(u64 seed)
{
	static struct slot s[NMD][NTAB][NSLOT];
	int step, bad = 0, acc = 0, ref = 0, m, tb, k, o, c, want;
	const char *why;

	memset(s, 0, sizeof(s));
	rng_state = seed;
	for (step = 0; step < 200000; step++) {
		m = rnd_below(NMD);
		tb = rnd_below(NTAB);
		k = rnd_below(NSLOT);
		if (s[m][tb][k].used) {
			sc_claims_release(s[m][tb][k].t.c);
			s[m][tb][k].used = 0;
			continue;
		}
		o = rnd_below(NDEV);
		c = rnd_below(NDEV);
		want = model_ok(s, m, tb, o, c);
		sc_claims_init(s[m][tb][k].t.c);
		why = sc_claims_take(&list, s[m][tb][k].t.c, 0x100 + o,
				     0x100 + c, &mds[m], &tabs[m][tb]);
		if ((!why) != want && bad++ < 5)
			diag("step %d: md %d table %d o %d c %d: %s, model %s",
			     step, m, tb, o, c, why ? why : "accepted",
			     want ? "accepts" : "refuses");
		if (!why) {
			s[m][tb][k].used = 1;
			s[m][tb][k].o = o;
			s[m][tb][k].c = c;
			acc++;
		} else {
			ref++;
		}
	}
	ok(!bad && acc > 1000 && ref > 1000,
	   "seed %llu: 200000 random takes and releases agree with the rule "
	   "(%d accepted, %d refused, %d wrong)", (unsigned long long)seed,
	   acc, ref, bad);
	for (m = 0; m < NMD; m++)
		for (tb = 0; tb < NTAB; tb++)
			for (k = 0; k < NSLOT; k++)
				sc_claims_release(s[m][tb][k].t.c);
	ok(!nclaims(), "seed %llu: all released, no claim left",
	   (unsigned long long)seed);
}

int main(void)
{
	tap_start();
	test_same_table();
	test_two_devices();
	test_reload();
	test_repaired();
	test_model(1);
	test_model(2);
	return tap_done();
}
