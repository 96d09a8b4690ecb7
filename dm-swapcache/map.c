// SPDX-License-Identifier: GPL-2.0
/*
 * map: the block map of dm-swapcache.
 *
 * WHAT IT MAPS
 *
 * Origin block (oblock, u64 < 2^40) -> cache block (cblock, u32) holding a
 * valid copy of it, and back.  It also owns the SSD space allocator (a
 * blist) and a clock hand for the cleaner.  It is pure: no bio, no
 * thread, no lock of its own, so the same file builds in the kernel and
 * in tests/unit.
 *
 * MEMORY LAYOUT
 *
 * Reverse map: one 48-bit entry per cblock, kept as a u32 (bits 0..31)
 * in one array and a u16 (bits 32..47) in another, 6 bytes in all,
 *
 *   bits  0..39  oblock held (meaningful when VALID or DOOMED)
 *   bit  40      VALID   installed, in the hash, visible to lookups
 *   bit  41      ALLOC   handed out by sc_map_alloc(), SSD write in flight
 *   bit  42      REF     clock reference: spares it one sweep
 *   bit  43      UNREAD  installed and never read since (telemetry)
 *   bit  44      DOOMED  invalidated while pinned: freed on the last put
 *   bits 45..47  pins    reads in flight from this cblock (at most 7; an
 *                        eighth reader is sent to the origin)
 *
 * An all-zero entry is a FREE cblock (free in the blist too).  Entries are
 * read with e_get() and written back with e_set().
 *
 * Forward index: an open-addressing hash table of u32 slots, each holding
 * cblock + 1 (0 = empty slot, so the table starts zeroed).  The key of a
 * slot is the oblock in the reverse map entry of its cblock, so a slot is
 * 4 bytes.  The table has blocks + ceil(blocks / 9) slots: even a cache in
 * which every cblock is valid keeps the load <= 0.9.  The home slot of an
 * oblock is a multiply-shift hash with a random odd multiplier chosen at
 * create, h = (oblock * mult) >> 32, scaled to the (non power of two)
 * table with (h * nslots) >> 32.  Collisions use linear probing with Robin
 * Hood insertion (an entry never sits further from its home than the entry
 * it passes), so lookups stop as soon as they meet an entry closer to its
 * home than the probe is, and deletion shifts the following run back by
 * one slot (no tombstones), so long runs never build up from deletes.
 *
 * The arrays are split in chunks of 2^SC_MAP_CHUNK_SHIFT entries (4, 2 and
 * 4 MiB by default), each one kvmalloc: the kernel refuses a single
 * kvmalloc above INT_MAX bytes, which a flat array would pass at 2^29
 * cblocks.
 *
 * Bytes per cache block: 6 (reverse map) + 4 * 10 / 9 (hash) + ~0.129
 * (blist, 1.03 bits) = ~10.57, plus the chunk pointer arrays (24 bytes per
 * 2^20 blocks) and a struct.  sc_map_mem_bytes() reports the exact sum.
 *
 * STATES OF A CBLOCK
 *
 *          sc_map_alloc           sc_map_install
 *   FREE ---------------> ALLOC ----------------> VALID ----+
 *    ^ ^                    |                      |   |    | clean (no
 *    | +--------------------+ sc_map_release       |   |    | pin, no REF)
 *    |                                             |   |    |
 *    +---------------------------------------------+---+----+
 *    |   invalidate / drop / replaced, not pinned      |
 *    |                                                 | same, pinned
 *    +------------------ DOOMED <----------------------+
 *        last sc_map_put
 *
 * VALID entries are exactly the ones in the hash table.  A DOOMED entry is
 * in no table: lookups miss it, the allocator cannot hand it out (it is
 * still used in the blist) until its last reader is gone.  Pins exist only
 * on VALID and DOOMED entries.  blist_free() is called in one place,
 * free_cblock(), only for an entry that is not FREE, and it zeroes the
 * entry: no double free can reach the blist.
 *
 * An ALLOC entry has no oblock yet, so sc_map_invalidate() cannot see an
 * SSD write in flight: the caller must notice that the block was written
 * meanwhile (DESIGN rule 2, e.g. a generation number) and release it
 * instead of installing it.
 *
 * CHANGED GROUPS
 *
 * The checkpoint (ckpt.h) describes the cblocks in groups of
 * SC_MAP_GROUP, one page each.  A bit per group says that what a
 * checkpoint records of its cblocks (VALID, with its oblock and REF) may
 * differ from the page the SSD holds for it: e_set() sets it whenever that
 * view of an entry changes, so a clean suspend writes exactly the pages
 * that changed (sc_map_group_changed()), and the warm load clears it for a
 * page the map took whole (sc_map_group_set()).  Pins, UNREAD, ALLOC and
 * DOOMED never reach a checkpoint and mark nothing.  Every such change is
 * also counted (sc_map_changes()), so a save can tell that none came
 * while it ran.
 *
 * CLOCK
 *
 * The cleaner's hand sweeps the reverse map in cblock order.  A VALID,
 * unpinned entry with REF gets REF cleared and survives this sweep; one
 * without REF is freed.  Other entries are passed over untouched.  Install
 * sets REF (a fresh copy survives one sweep) and every read hit sets it,
 * so copies go in least-recently-hit order, as in a second chance clock.
 *
 * LOCKING
 *
 * The caller serialises every call on one map with its spinlock.  Only
 * create and destroy allocate or free memory.
 *
 * COMPLEXITY
 *
 * Lookup, install, delete: expected O(1) probes (Robin Hood at load <= 0.9
 * keeps the mean around 5.5 and the maximum O(log n)).  Alloc, release,
 * put, free: O(log blocks) in the blist.  Clean: O(max_scan).  Invalidate
 * of count blocks: O(min(count, blocks)) - it looks each block up when
 * count is below blocks / SC_MAP_WALK_RATIO, else it walks the reverse map
 * once, and it stops as soon as no valid copy is left.
 */

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "blist.h"
#include "map.h"

#ifndef SC_MAP_CHUNK_SHIFT
#define SC_MAP_CHUNK_SHIFT	20	/* entries per array chunk, log2 */
#endif
#define SC_MAP_CHUNK		BIT_ULL(SC_MAP_CHUNK_SHIFT)
#define SC_MAP_CHUNK_MASK	(SC_MAP_CHUNK - 1)

/*
 * One lookup costs a hash and a few random reads; one reverse map entry
 * in a walk is a sequential read.  Walk when a range has at least
 * blocks / SC_MAP_WALK_RATIO blocks.
 */
#define SC_MAP_WALK_RATIO	4

/* Reverse map entry layout (see above). */
#define E_OBLOCK		GENMASK_ULL(SC_MAP_OBLOCK_BITS - 1, 0)
#define E_VALID			BIT_ULL(40)
#define E_ALLOC			BIT_ULL(41)
#define E_REF			BIT_ULL(42)
#define E_UNREAD		BIT_ULL(43)
#define E_DOOMED		BIT_ULL(44)
#define E_PIN_SHIFT		45
#define E_PIN_ONE		BIT_ULL(E_PIN_SHIFT)
#define E_PINS			GENMASK_ULL(47, E_PIN_SHIFT)

struct sc_map {
	u64 blocks;		/* cache size in cblocks */
	u64 nslots;		/* hash table slots */
	u64 mult;		/* hash multiplier, odd */
	void **rlo;		/* chunks of u32, entry bits 0..31 */
	void **rhi;		/* chunks of u16, entry bits 32..47 */
	void **slots;		/* chunks of u32 hash slots, cblock + 1 */
	unsigned long nrchunks;
	unsigned long nschunks;
	struct blist *bl;	/* SSD space */
	u64 nvalid;		/* VALID entries = filled slots */
	u64 npins;		/* pins held, all cblocks */
	u64 hand;		/* clock hand, next cblock to look at */
	unsigned long *changed;	/* a bit per SC_MAP_GROUP cblocks */
	u64 ngroups;
	u64 nchanges;		/* changes a checkpoint would record */
	size_t mem;		/* bytes allocated at create */
	struct sc_map_stats st;
};

/* ---- entries and slots ------------------------------------------------- */

static inline u64 e_get(const struct sc_map *m, u64 cb)
{
	u64 c = cb >> SC_MAP_CHUNK_SHIFT, i = cb & SC_MAP_CHUNK_MASK;

	return ((u32 *)m->rlo[c])[i] | (u64)((u16 *)m->rhi[c])[i] << 32;
}

/* What a checkpoint records of an entry (see CHANGED GROUPS). */
static inline u64 e_kept(u64 e)
{
	return e & E_VALID ? e & (E_OBLOCK | E_VALID | E_REF) : 0;
}

static inline void e_set(struct sc_map *m, u64 cb, u64 e)
{
	u64 c = cb >> SC_MAP_CHUNK_SHIFT, i = cb & SC_MAP_CHUNK_MASK;

	if (e_kept(e) != e_kept(e_get(m, cb))) {
		__set_bit(div_u64(cb, SC_MAP_GROUP), m->changed);
		m->nchanges++;
	}
	((u32 *)m->rlo[c])[i] = lower_32_bits(e);
	((u16 *)m->rhi[c])[i] = upper_32_bits(e) & 0xffff;
}

static inline u32 *slot(const struct sc_map *m, u64 i)
{
	return (u32 *)m->slots[i >> SC_MAP_CHUNK_SHIFT] +
	       (i & SC_MAP_CHUNK_MASK);
}

static inline u64 e_oblock(u64 e)
{
	return e & E_OBLOCK;
}

static inline unsigned int e_pins(u64 e)
{
	return e >> E_PIN_SHIFT;
}

static inline bool cb_bad(const struct sc_map *m, sc_cblock_t cb)
{
	return cb >= m->blocks;
}

/* ---- the hash table ------------------------------------------------------ */

static inline u64 home_of(const struct sc_map *m, u64 oblock)
{
	u32 h = (oblock * m->mult) >> 32;

	return mul_u64_u32_shr(m->nslots, h, 32);
}

static inline u64 next_slot(const struct sc_map *m, u64 i)
{
	return i + 1 == m->nslots ? 0 : i + 1;
}

/* How far slot @i is from @home, going forward with wrap-around. */
static inline u64 dist(const struct sc_map *m, u64 i, u64 home)
{
	return i >= home ? i - home : i + m->nslots - home;
}

/* Displacement of the entry in (non-empty) slot @i. */
static u64 slot_dist(const struct sc_map *m, u64 i, u32 v)
{
	return dist(m, i, home_of(m, e_oblock(e_get(m, v - 1))));
}

/*
 * Find @oblock: returns its cblock and sets *@where to its slot, or
 * SC_CBLOCK_NONE.  Stops at an empty slot or at an entry closer to its
 * home than the probe is to ours (Robin Hood order: ours would be there).
 */
static sc_cblock_t hash_find(const struct sc_map *m, u64 oblock, u64 *where)
{
	u64 i = home_of(m, oblock), d = 0;
	u32 v;

	for (;; d++, i = next_slot(m, i)) {
		v = *slot(m, i);
		if (!v)
			return SC_CBLOCK_NONE;
		if (e_oblock(e_get(m, v - 1)) == oblock) {
			*where = i;
			return v - 1;
		}
		if (slot_dist(m, i, v) < d)
			return SC_CBLOCK_NONE;
	}
}

/* Add @cb, whose entry already holds @oblock; @oblock is not in. */
static void hash_insert(struct sc_map *m, sc_cblock_t cb, u64 oblock)
{
	u64 i = home_of(m, oblock), d = 0, vd;
	u32 v = cb + 1, cur;

	for (;; d++, i = next_slot(m, i)) {
		cur = *slot(m, i);
		if (!cur) {
			*slot(m, i) = v;
			return;
		}
		vd = slot_dist(m, i, cur);
		if (vd < d) {
			/* Take from the rich: carry the evicted entry on. */
			*slot(m, i) = v;
			v = cur;
			d = vd;
		}
	}
}

/* Empty slot @i, shifting the entries after it back by one. */
static void hash_delete(struct sc_map *m, u64 i)
{
	u64 j;
	u32 v;

	for (;; i = j) {
		j = next_slot(m, i);
		v = *slot(m, j);
		if (!v || !slot_dist(m, j, v))
			break;
		*slot(m, i) = v;
	}
	*slot(m, i) = 0;
}

/* ---- state changes ------------------------------------------------------- */

static void free_cblock(struct sc_map *m, sc_cblock_t cb)
{
	e_set(m, cb, 0);
	blist_free(m->bl, cb, 1);
}

/*
 * Hide the VALID copy @cb found in slot @where: it leaves the hash now;
 * its space is freed now, or by the last sc_map_put() if it is pinned.
 */
static void unmap_copy(struct sc_map *m, sc_cblock_t cb, u64 where)
{
	u64 e = e_get(m, cb);

	hash_delete(m, where);
	m->nvalid--;
	if (e & E_UNREAD)
		m->st.freed_unread++;
	if (e_pins(e))
		e_set(m, cb, (e & (E_PINS | E_OBLOCK)) | E_DOOMED);
	else
		free_cblock(m, cb);
}

/* Hide the VALID copy @cb (slot unknown). */
static void unmap_cblock(struct sc_map *m, sc_cblock_t cb)
{
	u64 where = 0;

	if (WARN_ON_ONCE(hash_find(m, e_oblock(e_get(m, cb)), &where) != cb))
		return;
	unmap_copy(m, cb, where);
}

/* ---- create and destroy -------------------------------------------------- */

static void chunks_free(void **c, unsigned long n)
{
	unsigned long i;

	if (!c)
		return;
	for (i = 0; i < n; i++)
		kvfree(c[i]);
	kfree(c);
}

/* @n zeroed elements of @size bytes, in chunks; adds the bytes to *@mem. */
static void **chunks_alloc(u64 n, size_t size, unsigned long *nchunks,
			   size_t *mem, gfp_t gfp)
{
	unsigned long i, nc = DIV_ROUND_UP_ULL(n, SC_MAP_CHUNK);
	void **c;
	u64 len;

	c = kcalloc(nc, sizeof(*c), gfp);
	if (!c)
		return NULL;
	for (i = 0; i < nc; i++) {
		len = min_t(u64, n - ((u64)i << SC_MAP_CHUNK_SHIFT),
			    SC_MAP_CHUNK);
		c[i] = kvcalloc(len, size, gfp);
		if (!c[i]) {
			chunks_free(c, i);
			return NULL;
		}
		*mem += len * size;
	}
	*nchunks = nc;
	*mem += nc * sizeof(*c);
	return c;
}

/* Bytes of the changed-groups bitmap of a map of @blocks cblocks. */
static u64 map_changed_bytes(u64 blocks)
{
	return BITS_TO_LONGS(DIV_ROUND_UP_ULL(blocks, SC_MAP_GROUP)) *
	       sizeof(unsigned long);
}

/* Bytes chunks_alloc(@n, @size) allocates. */
static u64 chunks_mem(u64 n, size_t size)
{
	return n * size + DIV_ROUND_UP_ULL(n, SC_MAP_CHUNK) * sizeof(void *);
}

/* Hash table slots for @cache_blocks: the load stays <= 0.9. */
static u64 map_nslots(u64 cache_blocks)
{
	return cache_blocks + DIV_ROUND_UP_ULL(cache_blocks, 9);
}

/**
 * sc_map_mem_need() - bytes sc_map_create(@cache_blocks) would allocate
 * @cache_blocks: 1..SC_MAP_MAX_BLOCKS
 *
 * Pure arithmetic: the constructor refuses a cache whose map does not fit
 * in the RAM before it allocates any of it.
 *
 * Return: exactly sc_map_mem_bytes() of the map that create would return.
 */
u64 sc_map_mem_need(u64 cache_blocks)
{
	return sizeof(struct sc_map) +
	       chunks_mem(cache_blocks, sizeof(u32)) +
	       chunks_mem(cache_blocks, sizeof(u16)) +
	       chunks_mem(map_nslots(cache_blocks), sizeof(u32)) +
	       map_changed_bytes(cache_blocks) +
	       blist_mem_need(cache_blocks);
}

/**
 * sc_map_create() - block map for a cache of @cache_blocks blocks, all free
 * @cache_blocks: 1..SC_MAP_MAX_BLOCKS
 * @gfp: for the allocations (GFP_KERNEL in the constructor)
 *
 * All memory of the map is allocated here.
 *
 * Return: the map, or NULL if the size is out of range or memory is short.
 */
struct sc_map *sc_map_create(u64 cache_blocks, gfp_t gfp)
{
	struct sc_map *m;

	if (!cache_blocks || cache_blocks > SC_MAP_MAX_BLOCKS ||
	    cache_blocks > BLIST_MAX_BLOCKS)
		return NULL;
	m = kzalloc(sizeof(*m), gfp);
	if (!m)
		return NULL;
	m->blocks = cache_blocks;
	m->nslots = map_nslots(cache_blocks);
	m->mult = get_random_u64() | 1;
	m->mem = sizeof(*m);
	m->rlo = chunks_alloc(m->blocks, sizeof(u32), &m->nrchunks, &m->mem,
			      gfp);
	if (!m->rlo)
		goto out_free_map;
	m->rhi = chunks_alloc(m->blocks, sizeof(u16), &m->nrchunks, &m->mem,
			      gfp);
	if (!m->rhi)
		goto out_free_rlo;
	m->slots = chunks_alloc(m->nslots, sizeof(u32), &m->nschunks,
				&m->mem, gfp);
	if (!m->slots)
		goto out_free_rhi;
	m->ngroups = DIV_ROUND_UP_ULL(cache_blocks, SC_MAP_GROUP);
	m->changed = kvzalloc(map_changed_bytes(cache_blocks), gfp);
	if (!m->changed)
		goto out_free_slots;
	m->mem += map_changed_bytes(cache_blocks);
	m->bl = blist_create(cache_blocks, gfp);
	if (!m->bl)
		goto out_free_changed;
	m->mem += blist_mem_bytes(m->bl);
	return m;

out_free_changed:
	kvfree(m->changed);
out_free_slots:
	chunks_free(m->slots, m->nschunks);
out_free_rhi:
	chunks_free(m->rhi, m->nrchunks);
out_free_rlo:
	chunks_free(m->rlo, m->nrchunks);
out_free_map:
	kfree(m);
	return NULL;
}

/**
 * sc_map_destroy() - free the map
 * @m: the map, or NULL
 *
 * Warns if reads still pin cblocks: the caller must wait for them first.
 */
void sc_map_destroy(struct sc_map *m)
{
	if (!m)
		return;
	WARN_ONCE(m->npins, "sc_map: destroyed with %llu pins held\n",
		  m->npins);
	blist_destroy(m->bl);
	kvfree(m->changed);
	chunks_free(m->slots, m->nschunks);
	chunks_free(m->rhi, m->nrchunks);
	chunks_free(m->rlo, m->nrchunks);
	kfree(m);
}

/* ---- writer side: alloc, install, release -------------------------------- */

/* Largest power of two below @n (n >= 2). */
static unsigned int halve(unsigned int n)
{
	return 1U << ilog2(n - 1);
}

/**
 * sc_map_alloc() - SSD space for one writer extent
 * @m: the map
 * @want: blocks wanted, 1..SC_MAP_MAX_ALLOC
 * @got: blocks handed out
 *
 * Tries @want blocks (aligned to @want rounded up to a power of two when
 * the blist has such an extent), then the powers of two below it down to
 * one block.  The blocks are ALLOCATED: invisible to lookups until
 * installed, and must each be installed or released.
 *
 * Return: the first cblock, or SC_CBLOCK_NONE (*@got = 0) when no block is
 * free.
 */
sc_cblock_t sc_map_alloc(struct sc_map *m, unsigned int want,
			 unsigned int *got)
{
	blist_blk_t blk = BLIST_NONE;
	unsigned int n = want, i;

	*got = 0;
	if (WARN_ONCE(!want || want > SC_MAP_MAX_ALLOC,
		      "sc_map: bad allocation of %u blocks\n", want))
		return SC_CBLOCK_NONE;
	for (;;) {
		blk = blist_alloc(m->bl, n);
		if (blk != BLIST_NONE || n == 1)
			break;
		n = halve(n);
	}
	if (blk == BLIST_NONE)
		return SC_CBLOCK_NONE;
	for (i = 0; i < n; i++) {
		WARN_ONCE(e_get(m, blk + i),
			  "sc_map: allocated cblock %llu in use\n", blk + i);
		e_set(m, blk + i, E_ALLOC);
	}
	*got = n;
	return blk;
}

/**
 * sc_map_install() - the SSD write of @cb completed: make it the copy of
 * @oblock
 * @m: the map
 * @cb: a cblock from sc_map_alloc(), not yet installed or released
 * @oblock: the origin block whose data @cb now holds
 *
 * The caller has checked that @oblock was not written since its data was
 * captured (else it calls sc_map_release()).  If @oblock already has a
 * valid copy, that is a caller bug: warn once, keep the new copy and hide
 * the old one.  A fresh copy gets REF (one sweep of grace) and UNREAD.
 */
void sc_map_install(struct sc_map *m, sc_cblock_t cb, u64 oblock)
{
	sc_cblock_t old;
	u64 where;

	if (WARN_ONCE(cb_bad(m, cb) || e_get(m, cb) != E_ALLOC,
		      "sc_map: install of cblock %u not allocated\n", cb))
		return;
	if (WARN_ONCE(oblock >= SC_MAP_MAX_OBLOCKS,
		      "sc_map: install of oblock %llu out of range\n",
		      oblock)) {
		free_cblock(m, cb);
		return;
	}
	old = hash_find(m, oblock, &where);
	if (WARN_ONCE(old != SC_CBLOCK_NONE,
		      "sc_map: oblock %llu already cached in cblock %u\n",
		      oblock, old))
		unmap_copy(m, old, where);
	e_set(m, cb, oblock | E_VALID | E_REF | E_UNREAD);
	hash_insert(m, cb, oblock);
	m->nvalid++;
	m->st.installed++;
}

/**
 * sc_map_release() - an allocated cblock will not be installed
 * @m: the map
 * @cb: a cblock from sc_map_alloc(), not yet installed or released
 *
 * For a failed SSD write, or data that went stale while it was written.
 */
void sc_map_release(struct sc_map *m, sc_cblock_t cb)
{
	if (WARN_ONCE(cb_bad(m, cb) || e_get(m, cb) != E_ALLOC,
		      "sc_map: release of cblock %u not allocated\n", cb))
		return;
	free_cblock(m, cb);
}

/* ---- reader side: get, put, drop, present -------------------------------- */

/**
 * sc_map_get() - read hit: pin the copy of @oblock
 * @m: the map
 * @oblock: the origin block to read
 *
 * Return: the cblock to read, pinned (call sc_map_put() when the read is
 * done), with REF set and UNREAD cleared.  SC_CBLOCK_NONE when there is no
 * valid copy, or when SC_MAP_MAX_PINS reads already pin it (the caller
 * then reads the origin, which is always correct).
 */
sc_cblock_t sc_map_get(struct sc_map *m, u64 oblock)
{
	sc_cblock_t cb;
	u64 where, e;

	if (oblock >= SC_MAP_MAX_OBLOCKS)
		return SC_CBLOCK_NONE;
	cb = hash_find(m, oblock, &where);
	if (cb == SC_CBLOCK_NONE)
		return cb;
	e = e_get(m, cb);
	if (e_pins(e) == SC_MAP_MAX_PINS)
		return SC_CBLOCK_NONE;
	e_set(m, cb, ((e + E_PIN_ONE) | E_REF) & ~E_UNREAD);
	m->npins++;
	return cb;
}

/**
 * sc_map_put() - a read from @cb finished, with or without error
 * @m: the map
 * @cb: a cblock returned by sc_map_get()
 *
 * Drops the pin; the last pin of a DOOMED cblock frees it.
 */
void sc_map_put(struct sc_map *m, sc_cblock_t cb)
{
	u64 e;

	if (WARN_ONCE(cb_bad(m, cb) || !e_pins(e_get(m, cb)),
		      "sc_map: put of cblock %u not pinned\n", cb))
		return;
	e = e_get(m, cb) - E_PIN_ONE;
	e_set(m, cb, e);
	m->npins--;
	if (!e_pins(e) && (e & E_DOOMED))
		free_cblock(m, cb);
}

/**
 * sc_map_drop() - a read from @cb failed: drop the copy
 * @m: the map
 * @cb: a cblock the caller still pins (call this before sc_map_put())
 *
 * Hides the copy as sc_map_invalidate() would; the caller's pin keeps the
 * block until its sc_map_put().  A copy already invalidated is left alone.
 */
void sc_map_drop(struct sc_map *m, sc_cblock_t cb)
{
	u64 e;

	if (WARN_ONCE(cb_bad(m, cb) || !e_pins(e_get(m, cb)),
		      "sc_map: drop of cblock %u not pinned\n", cb))
		return;
	e = e_get(m, cb);
	if (!(e & E_VALID))
		return;
	unmap_cblock(m, cb);
	m->st.dropped++;
}

/**
 * sc_map_present() - does @oblock have a valid copy?  (No pin is taken.)
 * @m: the map
 * @oblock: the origin block
 *
 * Return: true when a VALID copy of @oblock is in the map.
 */
bool sc_map_present(struct sc_map *m, u64 oblock)
{
	u64 where;

	if (oblock >= SC_MAP_MAX_OBLOCKS)
		return false;
	return hash_find(m, oblock, &where) != SC_CBLOCK_NONE;
}

/**
 * sc_map_touch() - @oblock was read from another copy (RAM): set REF on its
 * SSD copy, if any, so the clock keeps it; it stays UNREAD.  No pin.
 * @m: the map
 * @oblock: the origin block
 */
void sc_map_touch(struct sc_map *m, u64 oblock)
{
	sc_cblock_t cb;
	u64 where;

	if (oblock >= SC_MAP_MAX_OBLOCKS)
		return;
	cb = hash_find(m, oblock, &where);
	if (cb != SC_CBLOCK_NONE)
		e_set(m, cb, e_get(m, cb) | E_REF);
}

/* ---- checkpoint: read an entry, restore one ------------------------------ */

/**
 * sc_map_entry() - what one cblock holds, for the checkpoint
 * @m: the map
 * @cb: the cblock, below sc_map_blocks()
 * @oblock: set to the origin block of a VALID copy
 * @ref: set to its clock reference bit
 *
 * Return: whether @cb holds a VALID copy.  ALLOC and DOOMED cblocks hold
 * none: a checkpoint lists only copies a lookup would find.
 */
bool sc_map_entry(const struct sc_map *m, sc_cblock_t cb, u64 *oblock,
		  bool *ref)
{
	u64 e;

	if (cb_bad(m, cb))
		return false;
	e = e_get(m, cb);
	*oblock = e_oblock(e);
	*ref = e & E_REF;
	return e & E_VALID;
}

/**
 * sc_map_restore() - make @cb the copy of @oblock again (warm load)
 * @m: the map
 * @cb: a cblock a checkpoint said holds @oblock
 * @oblock: the origin block
 * @ref: the clock reference bit the checkpoint recorded
 *
 * Only a FREE cblock and an @oblock with no copy are taken: anything else
 * (a damaged checkpoint naming one block twice) is refused, never
 * overwritten.  The copy is not UNREAD: that counts this table's writes.
 *
 * Return: whether the copy was restored.
 */
bool sc_map_restore(struct sc_map *m, sc_cblock_t cb, u64 oblock, bool ref)
{
	u64 where;

	if (cb_bad(m, cb) || oblock >= SC_MAP_MAX_OBLOCKS || e_get(m, cb) ||
	    hash_find(m, oblock, &where) != SC_CBLOCK_NONE)
		return false;
	if (blist_fill(m->bl, cb, 1) != 1)
		return false;
	e_set(m, cb, oblock | E_VALID | (ref ? E_REF : 0));
	hash_insert(m, cb, oblock);
	m->nvalid++;
	return true;
}

/**
 * sc_map_group_changed() - may a group differ from its checkpoint page?
 * @m: the map
 * @group: the group, cblocks @group * SC_MAP_GROUP on
 *
 * Return: whether what a checkpoint records of the group's cblocks
 * changed since sc_map_group_set() last cleared the group (or since
 * create); true for a group past the map.
 */
bool sc_map_group_changed(const struct sc_map *m, u64 group)
{
	return group >= m->ngroups || test_bit(group, m->changed);
}

/**
 * sc_map_changes() - how many times what a checkpoint records changed
 * @m: the map
 *
 * Return: a count that only grows; equal before and after a checkpoint,
 * no entry it records changed meanwhile.
 */
u64 sc_map_changes(const struct sc_map *m)
{
	return m->nchanges;
}

/**
 * sc_map_group_set() - say what the SSD holds for a group
 * @m: the map
 * @group: the group
 * @changed: false once the SSD's page records the group as the map has
 *           it, true when it may not
 */
void sc_map_group_set(struct sc_map *m, u64 group, bool changed)
{
	if (group >= m->ngroups)
		return;
	if (changed)
		__set_bit(group, m->changed);
	else
		__clear_bit(group, m->changed);
}

/* ---- invalidate ---------------------------------------------------------- */

/* Look every block of [@first, @end) up. */
static u64 invalidate_lookup(struct sc_map *m, u64 first, u64 end)
{
	sc_cblock_t cb;
	u64 ob, where, n = 0;

	for (ob = first; ob < end && m->nvalid; ob++) {
		cb = hash_find(m, ob, &where);
		if (cb == SC_CBLOCK_NONE)
			continue;
		unmap_copy(m, cb, where);
		n++;
	}
	return n;
}

/* Walk the reverse map for copies of blocks in [@first, @end). */
static u64 invalidate_walk(struct sc_map *m, u64 first, u64 end)
{
	u64 cb, e, n = 0;

	for (cb = 0; cb < m->blocks && m->nvalid; cb++) {
		e = e_get(m, cb);
		if (!(e & E_VALID) || e_oblock(e) < first ||
		    e_oblock(e) >= end)
			continue;
		unmap_cblock(m, cb);
		n++;
	}
	return n;
}

/**
 * sc_map_invalidate() - [@first, @first + @count) is being written
 * @m: the map
 * @first: first origin block
 * @count: number of blocks; the range is clipped at SC_MAP_MAX_OBLOCKS
 *
 * Every copy in the range stops being visible before this returns; its
 * space is freed now, or on its last sc_map_put() if reads pin it.  Costs
 * O(min(@count, blocks)).
 *
 * Return: the number of copies hidden.
 */
u64 sc_map_invalidate(struct sc_map *m, u64 first, u64 count)
{
	u64 end, n;

	if (first >= SC_MAP_MAX_OBLOCKS || !count || !m->nvalid)
		return 0;
	end = count < SC_MAP_MAX_OBLOCKS - first ? first + count :
						     SC_MAP_MAX_OBLOCKS;
	if (end - first < div_u64(m->blocks, SC_MAP_WALK_RATIO) + 1)
		n = invalidate_lookup(m, first, end);
	else
		n = invalidate_walk(m, first, end);
	m->st.invalidated += n;
	return n;
}

/* ---- cleaner ------------------------------------------------------------- */

/**
 * sc_map_clean() - run the clock: free copies not hit since the last sweep
 * @m: the map
 * @max_free: stop after freeing this many
 * @max_scan: look at no more than this many entries
 *
 * A VALID unpinned entry with REF loses REF; one without is freed.
 *
 * Return: the number of copies freed.
 */
u64 sc_map_clean(struct sc_map *m, u64 max_free, u64 max_scan)
{
	u64 scanned, freed = 0, e;
	sc_cblock_t cb;

	for (scanned = 0; scanned < max_scan && freed < max_free &&
	     m->nvalid; scanned++) {
		cb = m->hand;
		m->hand = m->hand + 1 == m->blocks ? 0 : m->hand + 1;
		e = e_get(m, cb);
		if (!(e & E_VALID) || e_pins(e))
			continue;
		if (e & E_REF) {
			e_set(m, cb, e & ~E_REF);
			continue;
		}
		unmap_cblock(m, cb);
		freed++;
	}
	m->st.cleaned += freed;
	return freed;
}

/* ---- queries ------------------------------------------------------------- */

/**
 * sc_map_used() - cblocks not free
 * @m: the map
 *
 * Return: the cblocks installed, allocated or doomed.
 */
u64 sc_map_used(const struct sc_map *m)
{
	return m->blocks - blist_free_count(m->bl);
}

u64 sc_map_valid(const struct sc_map *m)
{
	return m->nvalid;
}

u64 sc_map_blocks(const struct sc_map *m)
{
	return m->blocks;
}

size_t sc_map_mem_bytes(const struct sc_map *m)
{
	return m->mem;
}

/**
 * sc_map_get_stats() - a copy of the map's counters
 * @m: the map
 * @st: filled in
 */
void sc_map_get_stats(const struct sc_map *m, struct sc_map_stats *st)
{
	*st = m->st;
}

#ifdef SC_MAP_DEBUG
/* ---- test builds only ---------------------------------------------------- */

unsigned int sc_map_cb_state(const struct sc_map *m, sc_cblock_t cb,
			     u64 *oblock, unsigned int *pins)
{
	u64 e = e_get(m, cb);
	unsigned int s = 0;

	s |= e & E_ALLOC ? SC_MAP_S_ALLOC : 0;
	s |= e & E_VALID ? SC_MAP_S_VALID : 0;
	s |= e & E_DOOMED ? SC_MAP_S_DOOMED : 0;
	s |= e & E_REF ? SC_MAP_S_REF : 0;
	s |= e & E_UNREAD ? SC_MAP_S_UNREAD : 0;
	*oblock = e_oblock(e);
	*pins = e_pins(e);
	return s;
}

u64 sc_map_home(const struct sc_map *m, u64 oblock)
{
	return home_of(m, oblock);
}

u64 sc_map_nslots(const struct sc_map *m)
{
	return m->nslots;
}

u64 sc_map_hand(const struct sc_map *m)
{
	return m->hand;
}

/* One entry on its own: a known state, pins only where allowed. */
static bool entry_bad(u64 e)
{
	u64 kind = e & (E_VALID | E_ALLOC | E_DOOMED);

	if (e >> 48)
		return true;
	if (!kind)
		return e != 0;
	if (kind == E_ALLOC)
		return e != E_ALLOC;
	if (kind == E_DOOMED)
		return !e_pins(e) || (e & (E_REF | E_UNREAD));
	return kind != E_VALID;
}

static int check_slots(const struct sc_map *m, u64 *max_disp)
{
	u64 i, d, prev = 0, n = 0, where;
	bool empty = false;
	u32 v;

	for (i = 0; i < m->nslots; i++) {
		v = *slot(m, i);
		if (!v) {
			empty = true;
			continue;
		}
		if (v - 1 >= m->blocks || !(e_get(m, v - 1) & E_VALID))
			return __LINE__;
		d = slot_dist(m, i, v);
		/*
		 * Robin Hood with backward shift: a run starts at its home and
		 * its displacements grow by one at most from slot to slot.
		 */
		if (i && (empty ? d : d > prev + 1))
			return __LINE__;
		if (hash_find(m, e_oblock(e_get(m, v - 1)), &where) != v - 1 ||
		    where != i)
			return __LINE__;
		if (max_disp && d > *max_disp)
			*max_disp = d;
		prev = d;
		empty = false;
		n++;
	}
	return n == m->nvalid ? 0 : __LINE__;
}

int sc_map_check(const struct sc_map *m, u64 *max_disp)
{
	u64 cb, e, valid = 0, used = 0, pins = 0;
	int r;

	if (max_disp)
		*max_disp = 0;
	for (cb = 0; cb < m->blocks; cb++) {
		e = e_get(m, cb);
		if (entry_bad(e))
			return __LINE__;
		valid += !!(e & E_VALID);
		used += !!e;
		pins += e_pins(e);
#ifdef BLIST_DEBUG
		if (blist_block_is_free(m->bl, cb) != !e)
			return __LINE__;
#endif
	}
	if (valid != m->nvalid || pins != m->npins ||
	    used != sc_map_used(m) || m->hand >= m->blocks)
		return __LINE__;
	r = check_slots(m, max_disp);
	return r;
}
#endif /* SC_MAP_DEBUG */
