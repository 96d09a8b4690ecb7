// SPDX-License-Identifier: GPL-2.0
/*
 * blist: SSD space allocator for dm-swapcache.
 *
 * WHAT IT DOES
 *
 * Hands out contiguous extents of 1..BLIST_MAX_ALLOC (256) SSD blocks and
 * takes them back.  A request for c <= BLIST_MAX_ALIGN (64) blocks is
 * rounded up to a power of two p and placed p-aligned whenever a free
 * p-aligned p-block extent exists anywhere on the device; only when there is
 * none does it fall back to any free run of c blocks (not aligned), and
 * only when there is no run of c free blocks at all does it return
 * BLIST_NONE.  Requests above 64 blocks take any free run.  Callers that
 * can live with smaller extents halve the request on failure, as FreeBSD's
 * swp_pager_getswapspace() does (16, 8, 4, 2, 1).
 *
 * A new blist is entirely free (a cache device starts empty); reserved
 * areas are taken out with blist_fill().
 *
 * PLACEMENT POLICY: NEXT-FIT
 *
 * A cursor remembers where the last allocation ended.  A search first looks
 * for a fitting extent starting at or after the cursor, then wraps to the
 * start of the device.  Successive allocations therefore walk the device:
 * SSD writes are spread over the whole device and a burst of allocations
 * is laid out in ascending order, which keeps write streams sequential.
 * Frees do not move the cursor.
 *
 * MEMORY LAYOUT
 *
 * The map is a plain bitmap, one bit per block, bit set = block free, in
 * 64-bit words.  Blocks past the end of the device are permanently "used"
 * (zero), so no code needs a special case for a partial last word, chunk or
 * node.  Words are grouped in chunks of BL_CHUNK_WORDS (16) words, 1024
 * blocks.  There are no per-word hints: a chunk is small enough to scan.
 *
 * Above the bitmap sits a tree of 32-bit summaries: level 0 holds one
 * summary per chunk, level l+1 one summary per BL_RADIX (16) summaries of
 * level l, up to a single root summary.  Every level is one flat array,
 * padded with zero ("all used") summaries to a multiple of the radix, so a
 * node's children are summaries [i * 16, i * 16 + 15] of the level below.
 *
 * Memory per block: 1 bit of map + 32 / 1024 bits of chunk summaries
 * + 1/15 of that for the upper levels = ~1.033 bits (0.129 bytes) per
 * block.  1 Gi blocks take ~132 MiB, 2^32 blocks ~529 MiB.
 *
 * WHAT A SUMMARY (HINT) MEANS
 *
 * A summary describes the free blocks of its subtree exactly:
 *
 *   ord: 0 if the subtree has no free block, else k + 1 where 2^k is the
 *        largest naturally aligned free power-of-two extent (k <= 6, one
 *        word at most) in the subtree;
 *   max: length of the longest run of free blocks inside the subtree;
 *   pre: number of free blocks at the start of the subtree;
 *   suf: number of free blocks at the end of the subtree;
 *
 * with max, pre and suf capped at BLIST_MAX_ALLOC.  A node's summary is
 * computed from its children's alone: ord is the largest child ord; pre
 * and suf are the first child's pre and the last child's suf; max is the
 * largest of the children's max and of suf(i) + pre(i + 1) over adjacent
 * children.  This is exact (within the cap) because a subtree spans at
 * least a chunk, 1024 >= BLIST_MAX_ALLOC blocks: a run that crosses more
 * than one child boundary covers a whole child, whose max is already at
 * the cap.  Summaries are kept exact at all times, never lowered lazily,
 * so the root answers "is there a fit at all" and blist_largest_free_hint()
 * is exact.
 *
 * SEARCH AND COMPLEXITY
 *
 * blist_alloc() first asks the root: if its max is below the request, it
 * fails at once.  Otherwise it descends from the root to the first child
 * at or after the cursor whose summary says it holds a fit (ord > k for an
 * aligned request, max >= c for a run), or finds a run crossing the
 * boundary of two adjacent children from their suf and pre.  A child
 * whose summary says "no fit" is skipped without descending.  Only the
 * path containing the cursor can fail after descending (its fit may lie
 * before the cursor); every other descent succeeds.  In a chunk the words
 * are scanned.  A search therefore examines at most about
 * 2 * (2 * BL_RADIX * height + 2 * BL_CHUNK_WORDS) summaries and words
 * (cursor pass plus wrap pass), with height = log16(N / 1024), 5 at 2^30
 * blocks.  An update rewrites the bits, recomputes the summary of each
 * chunk touched and walks up, stopping at the first level where no
 * summary changed.  Above a single changed summary the parent is mostly
 * fixed in O(1) (meta_change(): a maximum can be kept or raised without
 * looking at the siblings); only when the changed child held a maximum
 * and shrank are its 16 siblings read.  Alloc and free of up to 256
 * blocks are O(log N):
 * bounded work, no loops over the device, no sleeping, no allocation.
 * blist_fill() and blist_free() of n blocks cost O(n / 64) plus the
 * summary updates of the chunks touched.
 *
 * LIMITS
 *
 * 1 .. BLIST_MAX_BLOCKS (2^33) blocks: the bitmap, at most 1 GiB, is one
 * kvmalloc'ed array, which the kernel caps below INT_MAX bytes.
 *
 * LOCKING
 *
 * None.  The caller serialises all calls on one blist, typically with a
 * spinlock; no function here sleeps except blist_create() (depending on
 * its gfp mask) and blist_destroy().
 *
 * The tree parameters can be shrunk at compile time (BLIST_CHUNK_SHIFT,
 * BLIST_RADIX_SHIFT) so that the user-space tests reach deep trees with
 * small devices.
 */

#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "blist.h"

#ifndef BLIST_CHUNK_SHIFT
#define BLIST_CHUNK_SHIFT	4	/* log2(words per chunk) */
#endif
#ifndef BLIST_RADIX_SHIFT
#define BLIST_RADIX_SHIFT	4	/* log2(children per meta node) */
#endif

#define BL_WORD_SHIFT		6
#define BL_WORD_BITS		64U
#define BL_CHUNK_WORDS		BIT(BLIST_CHUNK_SHIFT)
#define BL_CHUNK_BSHIFT		(BLIST_CHUNK_SHIFT + BL_WORD_SHIFT)
#define BL_RADIX		BIT(BLIST_RADIX_SHIFT)
#define BL_MAX_LEVELS		32

/* Summary word: ord in bits 0-2, max 3-11, pre 12-20, suf 21-29. */
#define BL_ORD_MASK		0x7U
#define BL_LEN_BITS		9
#define BL_LEN_MASK		((1U << BL_LEN_BITS) - 1)
#define BL_MAX_SHIFT		3
#define BL_PRE_SHIFT		(BL_MAX_SHIFT + BL_LEN_BITS)
#define BL_SUF_SHIFT		(BL_PRE_SHIFT + BL_LEN_BITS)

struct blist {
	blist_blk_t blocks;		/* device size in blocks */
	blist_blk_t free;		/* free blocks */
	blist_blk_t cursor;		/* next-fit: where the next search starts */
	u64 *map;			/* bit set = free; nchunks chunks */
	u32 *sum;			/* all summary levels, level 0 first */
	unsigned long nchunks;
	unsigned int top;		/* level of the root summary */
	unsigned long lvl_off[BL_MAX_LEVELS];	/* level l starts at sum[off] */
	size_t mem;			/* bytes allocated */
};

/* What a search looks for. */
struct bl_req {
	unsigned int count;		/* blocks */
	unsigned int ord;		/* log2 of the alignment, if aligned */
	bool aligned;			/* look for a free 2^ord aligned extent */
};

#ifdef BLIST_STATS
unsigned long blist_stat_visits;
#define BL_VISIT()		(blist_stat_visits++)
#else
#define BL_VISIT()		do { } while (0)
#endif

/* Bits at multiples of 2^k, k = 0..6. */
static const u64 bl_align_pattern[7] = {
	0xffffffffffffffffULL, 0x5555555555555555ULL, 0x1111111111111111ULL,
	0x0101010101010101ULL, 0x0001000100010001ULL, 0x0000000100000001ULL,
	0x0000000000000001ULL,
};

static inline u32 sum_make(unsigned int ord, unsigned int len,
			   unsigned int pre, unsigned int suf)
{
	return ord | len << BL_MAX_SHIFT | pre << BL_PRE_SHIFT |
	       suf << BL_SUF_SHIFT;
}

static inline unsigned int sum_ord(u32 s)
{
	return s & BL_ORD_MASK;
}

static inline unsigned int sum_max(u32 s)
{
	return (s >> BL_MAX_SHIFT) & BL_LEN_MASK;
}

static inline unsigned int sum_pre(u32 s)
{
	return (s >> BL_PRE_SHIFT) & BL_LEN_MASK;
}

static inline unsigned int sum_suf(u32 s)
{
	return (s >> BL_SUF_SHIFT) & BL_LEN_MASK;
}

static inline u32 bl_root(const struct blist *bl)
{
	return bl->sum[bl->lvl_off[bl->top]];
}

/* log2 of the blocks spanned by one summary of level @lvl. */
static inline unsigned int bl_span_shift(unsigned int lvl)
{
	return BL_CHUNK_BSHIFT + lvl * BLIST_RADIX_SHIFT;
}

/*
 * Word helpers.  Bit i of a word is block 64 * w + i; set means free.
 */

/* Bits where a free 2^ord-aligned extent of 2^ord blocks starts. */
static u64 word_align_starts(u64 x, unsigned int ord)
{
	unsigned int k;

	for (k = 0; k < ord; k++)
		x &= (x >> (1U << k)) & bl_align_pattern[k + 1];
	return x;
}

/* Bits where a run of @len free blocks (1..64) starts inside the word. */
static u64 word_run_starts(u64 x, unsigned int len)
{
	unsigned int have = 1, step;

	while (have < len && x) {
		step = min_t(unsigned int, have, len - have);
		x &= x >> step;
		have += step;
	}
	return x;
}

/* Longest run of free blocks inside a word, in O(log 64). */
static unsigned int word_max_run(u64 x)
{
	u64 f[6], g, t;
	unsigned int j = 0, len;

	if (x == ~0ULL)
		return BL_WORD_BITS;
	if (!x)
		return 0;
	/* f[j]: bits where a run of at least 2^j starts */
	f[0] = x;
	while (j < 5) {
		t = f[j] & (f[j] >> (1U << j));
		if (!t)
			break;
		f[++j] = t;
	}
	len = 1U << j;
	g = f[j];
	while (j--) {
		t = g & (f[j] >> len);
		if (t) {
			g = t;
			len += 1U << j;
		}
	}
	return len;
}

/* Free blocks at the low end (start) of a word that is not all free. */
static inline unsigned int word_head(u64 x)
{
	return __ffs64(~x);
}

/* Free blocks at the high end of a word that is not all free. */
static inline unsigned int word_tail(u64 x)
{
	return BL_WORD_BITS - fls64(~x);
}

/*
 * Summaries.
 */

/*
 * Summary ord of a chunk: fold all its words one order at a time, so the
 * common case (no free pair anywhere) is one cheap pass over the chunk.
 */
static unsigned int chunk_ord(const u64 *w)
{
	u64 a[BL_CHUNK_WORDS], any = 0;
	unsigned int i, k;

	for (i = 0; i < BL_CHUNK_WORDS; i++)
		any |= a[i] = w[i];
	if (!any)
		return 0;
	for (k = 0; k < 6; k++) {
		any = 0;
		for (i = 0; i < BL_CHUNK_WORDS; i++) {
			a[i] &= (a[i] >> (1U << k)) & bl_align_pattern[k + 1];
			any |= a[i];
		}
		if (!any)
			break;
	}
	return k + 1;
}

static u32 chunk_summary(const u64 *w)
{
	unsigned int i, pre = 0, head, cap = BLIST_MAX_ALLOC;
	unsigned long run = 0, best = 0;
	bool pre_done = false;
	u64 x;

	for (i = 0; i < BL_CHUNK_WORDS; i++) {
		x = w[i];
		if (x == ~0ULL) {
			run += BL_WORD_BITS;
			continue;
		}
		head = word_head(x);
		if (!pre_done) {
			pre = min_t(unsigned long, run + head, cap);
			pre_done = true;
		}
		best = max_t(unsigned long, best, run + head);
		/* an inner run can beat best only if x has a run of best + 1 */
		if (best < BL_WORD_BITS - 1 && (x & (x >> best)))
			best = max_t(unsigned long, best, word_max_run(x));
		run = word_tail(x);
	}
	if (!pre_done)
		pre = cap;
	best = min_t(unsigned long, max_t(unsigned long, best, run), cap);
	run = min_t(unsigned long, run, cap);
	return sum_make(chunk_ord(w), best, pre, run);
}

static u32 meta_summary(const u32 *c)
{
	unsigned int i, ord = 0, best = 0, cross = 0;

	/* three simple reductions; the compiler may vectorise them */
	for (i = 0; i < BL_RADIX; i++) {
		ord = max_t(unsigned int, ord, sum_ord(c[i]));
		best = max_t(unsigned int, best, sum_max(c[i]));
	}
	for (i = 0; i + 1 < BL_RADIX; i++)
		cross = max_t(unsigned int, cross,
			      sum_suf(c[i]) + sum_pre(c[i + 1]));
	best = min_t(unsigned int, max(best, cross), BLIST_MAX_ALLOC);
	return sum_make(ord, best, sum_pre(c[0]), sum_suf(c[BL_RADIX - 1]));
}

/* The largest run term of a parent that involves its child @i = @s. */
static unsigned int meta_terms(const u32 *c, unsigned long i, u32 s)
{
	unsigned int t = sum_max(s);

	if (i)
		t = max(t, sum_suf(c[i - 1]) + sum_pre(s));
	if (i + 1 < BL_RADIX)
		t = max(t, sum_suf(s) + sum_pre(c[i + 1]));
	return min_t(unsigned int, t, BLIST_MAX_ALLOC);
}

/*
 * Parent summary @p after its child @i in @c changed from @old to c[i],
 * in O(1): a maximum can only be kept or raised without looking at the
 * other children, unless the old child value was what attained it and
 * shrank.  Returns false in that case, and the caller recomputes the
 * parent from all its children.
 */
static bool meta_change(u32 *p, const u32 *c, unsigned long i, u32 old)
{
	unsigned int ord = sum_ord(*p), best = sum_max(*p);
	unsigned int t_new = meta_terms(c, i, c[i]);

	if (sum_ord(c[i]) < ord && sum_ord(old) >= ord)
		return false;
	if (t_new < best && meta_terms(c, i, old) >= best)
		return false;
	*p = sum_make(max(ord, sum_ord(c[i])), max(best, t_new), sum_pre(c[0]),
		      sum_suf(c[BL_RADIX - 1]));
	return true;
}

/* Recompute the summaries of level @lvl for nodes @lo..@hi. */
static bool bl_update_level(struct blist *bl, unsigned int lvl,
			    unsigned long lo, unsigned long hi)
{
	const u32 *c = bl->sum + bl->lvl_off[lvl - 1];
	u32 *p = bl->sum + bl->lvl_off[lvl], s;
	bool changed = false;
	unsigned long i;

	for (i = lo; i <= hi; i++) {
		s = meta_summary(c + (i << BLIST_RADIX_SHIFT));
		changed |= s != p[i];
		p[i] = s;
	}
	return changed;
}

/*
 * Recompute the summaries above chunks @lo..@hi, level by level.  Unless
 * @force, stop at the first level where nothing changed.  Above a single
 * changed summary, meta_change() usually avoids the O(BL_RADIX) rescan.
 */
static void bl_update(struct blist *bl, unsigned long lo, unsigned long hi,
		      bool force)
{
	u32 old = 0, prev, *p;
	unsigned int lvl;
	bool changed = false, one;
	unsigned long i;

	for (i = lo; i <= hi; i++) {
		old = bl->sum[i];
		bl->sum[i] = chunk_summary(bl->map + (i << BLIST_CHUNK_SHIFT));
		changed |= bl->sum[i] != old;
	}
	for (lvl = 1; lvl <= bl->top && (changed || force); lvl++) {
		i = lo;
		one = lo == hi && !force;
		lo >>= BLIST_RADIX_SHIFT;
		hi >>= BLIST_RADIX_SHIFT;
		if (!one) {
			old = bl->sum[bl->lvl_off[lvl] + lo];
			changed = bl_update_level(bl, lvl, lo, hi);
			continue;
		}
		/* only summary i of level lvl - 1 changed, from old */
		p = bl->sum + bl->lvl_off[lvl] + lo;
		prev = *p;
		if (!meta_change(p, bl->sum + bl->lvl_off[lvl - 1] +
				 (i & ~(BL_RADIX - 1)), i & (BL_RADIX - 1), old))
			bl_update_level(bl, lvl, lo, hi);
		changed = *p != prev;
		old = prev;
	}
}

/*
 * Bitmap ranges.
 */

static inline u64 bl_mask(unsigned int off, unsigned int len)
{
	return (len == BL_WORD_BITS ? ~0ULL : (1ULL << len) - 1) << off;
}

/* Free blocks in [blk, blk + n). */
static blist_blk_t bl_count_free(const struct blist *bl, blist_blk_t blk,
				 blist_blk_t n)
{
	blist_blk_t nfree = 0;
	unsigned int off, len;

	while (n) {
		off = blk & (BL_WORD_BITS - 1);
		len = min_t(blist_blk_t, BL_WORD_BITS - off, n);
		nfree += hweight64(bl->map[blk >> BL_WORD_SHIFT] &
				   bl_mask(off, len));
		blk += len;
		n -= len;
	}
	return nfree;
}

/* Mark [blk, blk + n) free or used; returns how many blocks changed. */
static blist_blk_t bl_set(struct blist *bl, blist_blk_t blk, blist_blk_t n,
			  bool free)
{
	unsigned long lo = blk >> BL_CHUNK_BSHIFT;
	unsigned long hi = (blk + n - 1) >> BL_CHUNK_BSHIFT;
	blist_blk_t changed = 0;
	unsigned int off, len;
	u64 *w, m;

	while (n) {
		off = blk & (BL_WORD_BITS - 1);
		len = min_t(blist_blk_t, BL_WORD_BITS - off, n);
		w = &bl->map[blk >> BL_WORD_SHIFT];
		m = bl_mask(off, len);
		changed += hweight64((free ? ~*w : *w) & m);
		*w = free ? *w | m : *w & ~m;
		blk += len;
		n -= len;
	}
	bl_update(bl, lo, hi, false);
	return changed;
}

/*
 * Search.
 */

static bool bl_fits(u32 s, const struct bl_req *rq)
{
	if (rq->aligned)
		return sum_ord(s) > rq->ord;
	return sum_max(s) >= rq->count;
}

/* Run of rq->count free blocks in words [w, end), none before @first. */
static blist_blk_t chunk_find_run(const struct blist *bl, unsigned long w,
				  unsigned long end, u64 first,
				  const struct bl_req *rq)
{
	unsigned long run = 0;
	u64 x, m;

	for (; w < end; w++, first = ~0ULL) {
		BL_VISIT();
		x = bl->map[w] & first;
		if (x == ~0ULL) {
			run += BL_WORD_BITS;
			if (run >= rq->count)
				return ((blist_blk_t)(w + 1) << BL_WORD_SHIFT) - run;
			continue;
		}
		if (run + word_head(x) >= rq->count)
			return ((blist_blk_t)w << BL_WORD_SHIFT) - run;
		if (rq->count < BL_WORD_BITS) {
			m = word_run_starts(x, rq->count);
			if (m)
				return ((blist_blk_t)w << BL_WORD_SHIFT) +
				       __ffs64(m);
		}
		run = word_tail(x);
	}
	return BLIST_NONE;
}

/* A fit for @rq inside chunk @chunk, starting at or after @start. */
static blist_blk_t chunk_find(const struct blist *bl, unsigned long chunk,
			      blist_blk_t start, const struct bl_req *rq)
{
	unsigned long w = chunk << BLIST_CHUNK_SHIFT;
	unsigned long end = w + BL_CHUNK_WORDS;
	u64 first = ~0ULL, m;

	if (start > (blist_blk_t)w << BL_WORD_SHIFT) {
		w = start >> BL_WORD_SHIFT;
		first = ~0ULL << (start & (BL_WORD_BITS - 1));
	}
	if (!rq->aligned)
		return chunk_find_run(bl, w, end, first, rq);
	for (; w < end; w++, first = ~0ULL) {
		BL_VISIT();
		m = word_align_starts(bl->map[w] & first, rq->ord);
		if (m)
			return ((blist_blk_t)w << BL_WORD_SHIFT) + __ffs64(m);
	}
	return BLIST_NONE;
}

/*
 * A fit for @rq in the subtree of summary @idx of level @lvl, starting at
 * or after @start.  Children whose summary rules out a fit are skipped;
 * only the child containing @start can fail after a descent.
 */
static blist_blk_t node_find(const struct blist *bl, unsigned int lvl,
			     unsigned long idx, blist_blk_t start,
			     const struct bl_req *rq)
{
	unsigned int shift = bl_span_shift(lvl - 1);
	unsigned long i = idx << BLIST_RADIX_SHIFT;
	unsigned long end = i + BL_RADIX;
	const u32 *c = bl->sum + bl->lvl_off[lvl - 1];
	blist_blk_t blk;
	unsigned int suf;

	if (start > (blist_blk_t)i << shift)
		i = start >> shift;
	for (; i < end; i++) {
		BL_VISIT();
		if (bl_fits(c[i], rq)) {
			if (lvl == 1)
				blk = chunk_find(bl, i, start, rq);
			else
				blk = node_find(bl, lvl - 1, i, start, rq);
			if (blk != BLIST_NONE)
				return blk;
		}
		if (rq->aligned || i + 1 == end)
			continue;
		/* a run crossing into the next child */
		suf = sum_suf(c[i]);
		if (suf + sum_pre(c[i + 1]) < rq->count)
			continue;
		blk = ((blist_blk_t)(i + 1) << shift) - suf;
		if (blk >= start)
			return blk;
	}
	return BLIST_NONE;
}

static blist_blk_t bl_find_from(const struct blist *bl, blist_blk_t start,
				const struct bl_req *rq)
{
	if (!bl->top)
		return chunk_find(bl, 0, start, rq);
	return node_find(bl, bl->top, 0, start, rq);
}

/* Next-fit: from the cursor to the end, then from the start. */
static blist_blk_t bl_find(const struct blist *bl, const struct bl_req *rq)
{
	blist_blk_t blk = bl_find_from(bl, bl->cursor, rq);

	if (blk == BLIST_NONE && bl->cursor)
		blk = bl_find_from(bl, 0, rq);
	return blk;
}

/*
 * Public interface.
 */

/**
 * blist_alloc() - allocate @count contiguous blocks
 * @bl: the allocator
 * @count: 1..BLIST_MAX_ALLOC
 *
 * Placement: see "WHAT IT DOES" above.
 *
 * Return: the first block of the extent, or BLIST_NONE if no run of @count
 * free blocks exists or @count is out of range (which also warns once).
 */
blist_blk_t blist_alloc(struct blist *bl, unsigned int count)
{
	struct bl_req rq = { .count = count };
	u32 root = bl_root(bl);
	blist_blk_t blk;

	if (WARN_ONCE(!count || count > BLIST_MAX_ALLOC,
		      "blist: bad allocation count %u\n", count))
		return BLIST_NONE;
	BL_VISIT();
	if (sum_max(root) < count)
		return BLIST_NONE;
	if (count <= BLIST_MAX_ALIGN) {
		rq.ord = order_base_2(count);
		rq.aligned = sum_ord(root) > rq.ord;
	}
	blk = bl_find(bl, &rq);
	if (WARN_ONCE(blk == BLIST_NONE, "blist: summaries out of date\n"))
		return BLIST_NONE;
	bl->free -= bl_set(bl, blk, count, false);
	bl->cursor = blk + count < bl->blocks ? blk + count : 0;
	return blk;
}

static bool bl_range_bad(const struct blist *bl, blist_blk_t blk,
			 blist_blk_t count)
{
	return blk >= bl->blocks || count > bl->blocks - blk;
}

/**
 * blist_free() - return @count blocks starting at @blk
 * @bl: the allocator
 * @blk: first block
 * @count: number of blocks
 *
 * Any count is accepted; the cost is O(count / 64) plus the summary
 * updates.  Freeing a range that is out of the device, empty, or that
 * contains a block which is already free warns (once) and changes
 * nothing.
 */
void blist_free(struct blist *bl, blist_blk_t blk, unsigned int count)
{
	if (WARN_ONCE(!count || bl_range_bad(bl, blk, count),
		      "blist: free of %u blocks at %llu outside %llu blocks\n",
		      count, blk, bl->blocks))
		return;
	if (WARN_ONCE(bl_count_free(bl, blk, count),
		      "blist: double free of %u blocks at %llu\n", count, blk))
		return;
	bl->free += bl_set(bl, blk, count, true);
}

/**
 * blist_fill() - mark [@blk, @blk + @count) used, e.g. a reserved area
 * @bl: the allocator
 * @blk: first block
 * @count: number of blocks
 *
 * Blocks already used stay used and make it warn (once).  A range outside
 * the device warns and changes nothing; @count 0 is a no-op.
 *
 * Return: the number of blocks that were free and are now used.
 */
blist_blk_t blist_fill(struct blist *bl, blist_blk_t blk, blist_blk_t count)
{
	blist_blk_t n;

	if (!count)
		return 0;
	if (WARN_ONCE(bl_range_bad(bl, blk, count),
		      "blist: fill of %llu blocks at %llu outside %llu blocks\n",
		      count, blk, bl->blocks))
		return 0;
	n = bl_set(bl, blk, count, false);
	bl->free -= n;
	WARN_ONCE(n != count, "blist: fill: %llu of %llu blocks already used\n",
		  count - n, count);
	return n;
}

/**
 * blist_free_count() - free blocks
 * @bl: the allocator
 *
 * Return: the number of free blocks.
 */
blist_blk_t blist_free_count(const struct blist *bl)
{
	return bl->free;
}

blist_blk_t blist_blocks(const struct blist *bl)
{
	return bl->blocks;
}

/**
 * blist_largest_free_hint() - largest count blist_alloc() succeeds for
 * @bl: the allocator
 *
 * Return: exactly the length of the longest run of free blocks, capped at
 * BLIST_MAX_ALLOC: blist_alloc(bl, c) succeeds iff c <= this value.
 */
unsigned int blist_largest_free_hint(const struct blist *bl)
{
	return sum_max(bl_root(bl));
}

/**
 * blist_mem_bytes() - memory the allocator holds
 * @bl: the allocator
 *
 * Return: the bytes blist_create() allocated.
 */
size_t blist_mem_bytes(const struct blist *bl)
{
	return bl->mem;
}

/* Lay out the summary levels; returns the number of summaries. */
static unsigned long bl_layout(struct blist *bl)
{
	unsigned long len = bl->nchunks, total = 0;
	unsigned int lvl = 0;

	for (;;) {
		bl->lvl_off[lvl] = total;
		if (len == 1)
			break;
		len = (len + BL_RADIX - 1) >> BLIST_RADIX_SHIFT;
		total += len << BLIST_RADIX_SHIFT;
		lvl++;
	}
	bl->top = lvl;
	return total + 1;
}

/* Chunks of a blist of @blocks blocks. */
static unsigned long bl_nchunks(blist_blk_t blocks)
{
	return (blocks + (1ULL << BL_CHUNK_BSHIFT) - 1) >> BL_CHUNK_BSHIFT;
}

/* Bytes blist_create() allocates for @bl, once its layout is set. */
static u64 bl_mem(const struct blist *bl, unsigned long nsum)
{
	return sizeof(*bl) +
	       ((u64)bl->nchunks << BLIST_CHUNK_SHIFT) * sizeof(*bl->map) +
	       (u64)nsum * sizeof(*bl->sum);
}

/**
 * blist_mem_need() - bytes blist_create(@blocks) would allocate
 * @blocks: 1..BLIST_MAX_BLOCKS
 *
 * Pure arithmetic, so that a caller can refuse a device too large for the
 * RAM before it allocates anything.
 *
 * Return: blist_mem_bytes() of the allocator it would get.
 */
u64 blist_mem_need(blist_blk_t blocks)
{
	struct blist tmp = { .nchunks = bl_nchunks(blocks) };

	return bl_mem(&tmp, bl_layout(&tmp));
}

/**
 * blist_create() - allocator for @blocks blocks, all free
 * @blocks: 1..BLIST_MAX_BLOCKS
 * @gfp: for the allocations (GFP_KERNEL from process context)
 *
 * All memory is allocated here.
 *
 * Return: the allocator, or NULL if @blocks is out of range or memory is
 * short.
 */
struct blist *blist_create(blist_blk_t blocks, gfp_t gfp)
{
	unsigned long nwords, nsum;
	struct blist *bl;

	BUILD_BUG_ON((BL_WORD_BITS << BLIST_CHUNK_SHIFT) < BLIST_MAX_ALLOC);
	BUILD_BUG_ON(BLIST_MAX_ALLOC > BL_LEN_MASK);
	BUILD_BUG_ON(BLIST_RADIX_SHIFT < 1);
	if (!blocks || blocks > BLIST_MAX_BLOCKS)
		return NULL;
	bl = kzalloc(sizeof(*bl), gfp);
	if (!bl)
		return NULL;
	bl->blocks = blocks;
	bl->nchunks = bl_nchunks(blocks);
	nwords = bl->nchunks << BLIST_CHUNK_SHIFT;
	nsum = bl_layout(bl);
	bl->map = kvcalloc(nwords, sizeof(*bl->map), gfp);
	if (!bl->map)
		goto out_free_bl;
	bl->sum = kvcalloc(nsum, sizeof(*bl->sum), gfp);
	if (!bl->sum)
		goto out_free_map;
	bl->mem = bl_mem(bl, nsum);

	memset(bl->map, 0xff, (blocks >> BL_WORD_SHIFT) * sizeof(*bl->map));
	if (blocks & (BL_WORD_BITS - 1))
		bl->map[blocks >> BL_WORD_SHIFT] =
			bl_mask(0, blocks & (BL_WORD_BITS - 1));
	bl->free = blocks;
	bl_update(bl, 0, bl->nchunks - 1, true);
	return bl;

out_free_map:
	kvfree(bl->map);
out_free_bl:
	kfree(bl);
	return NULL;
}

/**
 * blist_destroy() - free the allocator
 * @bl: from blist_create(), or NULL
 */
void blist_destroy(struct blist *bl)
{
	if (!bl)
		return;
	kvfree(bl->sum);
	kvfree(bl->map);
	kfree(bl);
}

#ifdef BLIST_DEBUG
/**
 * blist_block_is_free() - peek at one block (test builds only)
 * @bl: the allocator
 * @blk: a block below the device size
 *
 * Return: true when @blk is free.
 */
bool blist_block_is_free(const struct blist *bl, blist_blk_t blk)
{
	return bl->map[blk >> BL_WORD_SHIFT] >> (blk & (BL_WORD_BITS - 1)) & 1;
}

unsigned int blist_height(const struct blist *bl)
{
	return bl->top;
}

/*
 * Recheck everything against the bitmap: padding bits used, free count,
 * every summary.  Returns 0, or a negative code naming the first problem.
 */
int blist_check(const struct blist *bl)
{
	unsigned long i, n = bl->nchunks << BLIST_CHUNK_SHIFT, cnt, up;
	blist_blk_t nfree = 0, end = (blist_blk_t)n << BL_WORD_SHIFT;
	const u32 *c, *p;
	unsigned int lvl;

	for (i = 0; i < n; i++)
		nfree += hweight64(bl->map[i]);
	if (nfree != bl->free)
		return -1;
	if (bl->blocks < end && bl_count_free(bl, bl->blocks, end - bl->blocks))
		return -2;
	for (i = 0; i < bl->nchunks; i++)
		if (bl->sum[i] !=
		    chunk_summary(bl->map + (i << BLIST_CHUNK_SHIFT)))
			return -3;
	cnt = bl->nchunks;
	for (lvl = 1; lvl <= bl->top; lvl++) {
		c = bl->sum + bl->lvl_off[lvl - 1];
		p = bl->sum + bl->lvl_off[lvl];
		up = (cnt + BL_RADIX - 1) >> BLIST_RADIX_SHIFT;
		for (i = cnt; i < up << BLIST_RADIX_SHIFT; i++)
			if (c[i])
				return -4;
		for (i = 0; i < up; i++)
			if (p[i] != meta_summary(c + (i << BLIST_RADIX_SHIFT)))
				return -5;
		cnt = up;
	}
	return cnt == 1 ? 0 : -6;
}
#endif /* BLIST_DEBUG */
