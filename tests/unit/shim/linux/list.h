/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: the doubly linked list and hash list subset module code uses.
 *
 * Linux declares struct list_head and the hlist types in <linux/types.h>;
 * they live here so that types.h stays as it is.  Module code that uses
 * lists includes <linux/list.h> in the kernel anyway.
 *
 * list_del() and hlist_del() poison the unlinked entry, so that a caller
 * that walks a deleted entry faults instead of silently corrupting a list.
 */
#ifndef SHIM_LINUX_LIST_H
#define SHIM_LINUX_LIST_H

#include <linux/types.h>
#include <linux/kernel.h>

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

struct hlist_head {
	struct hlist_node *first;
};

#define SHIM_LIST_POISON_NEXT	((void *)0x100)
#define SHIM_LIST_POISON_PREV	((void *)0x200)

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

/* Link @e between the adjacent entries @before and @after. */
static inline void shim_list_link(struct list_head *e,
				  struct list_head *before,
				  struct list_head *after)
{
	after->prev = e;
	e->next = after;
	e->prev = before;
	before->next = e;
}

static inline void shim_list_unlink(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
}

/* Insert right after @h: a stack push. */
static inline void list_add(struct list_head *e, struct list_head *h)
{
	shim_list_link(e, h, h->next);
}

/* Insert right before @h: a queue append. */
static inline void list_add_tail(struct list_head *e, struct list_head *h)
{
	shim_list_link(e, h->prev, h);
}

static inline void list_del(struct list_head *e)
{
	shim_list_unlink(e);
	e->next = SHIM_LIST_POISON_NEXT;
	e->prev = SHIM_LIST_POISON_PREV;
}

static inline void list_del_init(struct list_head *e)
{
	shim_list_unlink(e);
	INIT_LIST_HEAD(e);
}

static inline void list_move(struct list_head *e, struct list_head *h)
{
	shim_list_unlink(e);
	list_add(e, h);
}

static inline void list_move_tail(struct list_head *e, struct list_head *h)
{
	shim_list_unlink(e);
	list_add_tail(e, h);
}

static inline int list_empty(const struct list_head *h)
{
	return READ_ONCE(h->next) == h;
}

static inline int list_is_head(const struct list_head *e,
			       const struct list_head *h)
{
	return e == h;
}

static inline int list_is_singular(const struct list_head *h)
{
	return !list_empty(h) && h->next == h->prev;
}

/* Move every entry of @from to the front of @to; @from is reinitialised. */
static inline void list_splice_init(struct list_head *from,
				    struct list_head *to)
{
	struct list_head *first = from->next, *last = from->prev;

	if (list_empty(from))
		return;
	first->prev = to;
	last->next = to->next;
	to->next->prev = last;
	to->next = first;
	INIT_LIST_HEAD(from);
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(h, type, member) list_entry((h)->next, type, member)
#define list_last_entry(h, type, member) list_entry((h)->prev, type, member)
#define list_first_entry_or_null(h, type, member)			\
	(list_empty(h) ? NULL : list_first_entry(h, type, member))
#define list_next_entry(pos, member)					\
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_prev_entry(pos, member)					\
	list_entry((pos)->member.prev, __typeof__(*(pos)), member)
#define list_entry_is_head(pos, h, member)	(&(pos)->member == (h))

#define list_for_each(p, h)						\
	for ((p) = (h)->next; (p) != (h); (p) = (p)->next)

#define list_for_each_entry(pos, h, member)				\
	for ((pos) = list_first_entry(h, __typeof__(*(pos)), member);	\
	     !list_entry_is_head(pos, h, member);			\
	     (pos) = list_next_entry(pos, member))

#define list_for_each_entry_reverse(pos, h, member)			\
	for ((pos) = list_last_entry(h, __typeof__(*(pos)), member);	\
	     !list_entry_is_head(pos, h, member);			\
	     (pos) = list_prev_entry(pos, member))

#define list_for_each_entry_safe(pos, n, h, member)			\
	for ((pos) = list_first_entry(h, __typeof__(*(pos)), member),	\
	     (n) = list_next_entry(pos, member);			\
	     !list_entry_is_head(pos, h, member);			\
	     (pos) = (n), (n) = list_next_entry(n, member))

/* ---- hash lists: singly headed, O(1) unlink through pprev ------------ */

#define HLIST_HEAD_INIT		{ .first = NULL }

static inline void INIT_HLIST_HEAD(struct hlist_head *h)
{
	h->first = NULL;
}

static inline void INIT_HLIST_NODE(struct hlist_node *n)
{
	n->next = NULL;
	n->pprev = NULL;
}

static inline int hlist_unhashed(const struct hlist_node *n)
{
	return !n->pprev;
}

static inline int hlist_empty(const struct hlist_head *h)
{
	return !READ_ONCE(h->first);
}

static inline void hlist_add_head(struct hlist_node *n, struct hlist_head *h)
{
	n->next = h->first;
	if (n->next)
		n->next->pprev = &n->next;
	h->first = n;
	n->pprev = &h->first;
}

static inline void shim_hlist_unlink(struct hlist_node *n)
{
	*n->pprev = n->next;
	if (n->next)
		n->next->pprev = n->pprev;
}

static inline void hlist_del(struct hlist_node *n)
{
	shim_hlist_unlink(n);
	n->next = SHIM_LIST_POISON_NEXT;
	n->pprev = SHIM_LIST_POISON_PREV;
}

static inline void hlist_del_init(struct hlist_node *n)
{
	if (hlist_unhashed(n))
		return;
	shim_hlist_unlink(n);
	INIT_HLIST_NODE(n);
}

#define hlist_entry(ptr, type, member)	container_of(ptr, type, member)
#define hlist_entry_safe(ptr, type, member) ({				\
	struct hlist_node *__shim_hn = (ptr);				\
	__shim_hn ? hlist_entry(__shim_hn, type, member) : NULL;	\
})

#define hlist_for_each_entry(pos, h, member)				\
	for ((pos) = hlist_entry_safe((h)->first, __typeof__(*(pos)),	\
				      member);				\
	     pos;							\
	     (pos) = hlist_entry_safe((pos)->member.next,		\
				      __typeof__(*(pos)), member))

#endif
