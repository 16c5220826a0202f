/* Region allocator with cleanup callbacks (see arena.h). Room: core.
 * Invariant: blocks form a singly linked list, newest first; the oldest block is
 * the one kept across arena_reset(), so a request that fits in one block never
 * touches the C allocator after the first request on that thread. */
#include "core/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

struct arena_cleanup {
	struct arena_cleanup *next;
	void (*fn)(void *);
	void *ptr;
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->cleanups = NULL;
	a->block_size = 8192;
}

static void run_cleanups(struct arena *a)
{
	/* cleanup records live inside the arena's blocks: read next before calling */
	struct arena_cleanup *c = a->cleanups;
	a->cleanups = NULL;
	while (c) {
		struct arena_cleanup *next = c->next;
		c->fn(c->ptr);
		c = next;
	}
}

void arena_reset(struct arena *a)
{
	run_cleanups(a);
	/* big blocks sit behind the head, so the tail may be one: keep the oldest
	 * block of regular size, the last such in the list */
	struct arena_block *keep = NULL;
	for (struct arena_block *b = a->head; b; b = b->next)
		if (b->size == a->block_size)
			keep = b;
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		if (b != keep)
			xfree(b);
		b = next;
	}
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
}

void arena_release(struct arena *a)
{
	if (!a)
		return;
	run_cleanups(a);
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		xfree(b);
		b = next;
	}
	a->head = NULL;
}

void *arena_alloc(struct arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	if (n > SIZE_MAX - align - sizeof(struct arena_block))
		n = SIZE_MAX - align - sizeof(struct arena_block); /* xmalloc below aborts */
	n = (n + align - 1) & ~(align - 1);
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t size = a->block_size;
		if (n > size)
			size = n;
		struct arena_block *nb = xmalloc(sizeof(*nb) + size);
		nb->size = size;
		nb->used = 0;
		if (b && n > a->block_size) {
			/* a big allocation gets its own block behind the current one,
			 * so the current block's free space stays usable */
			nb->next = b->next;
			b->next = nb;
			nb->used = n;
			return nb->data;
		}
		nb->next = b;
		a->head = b = nb;
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return arena_strdup(a, "");
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void arena_on_reset(struct arena *a, void (*fn)(void *), void *ptr)
{
	struct arena_cleanup *c = arena_alloc(a, sizeof(*c));
	c->fn = fn;
	c->ptr = ptr;
	c->next = a->cleanups;
	a->cleanups = c;
}

void *arena_push(struct arena *a, void *vp, size_t *n, size_t *cap, size_t elem)
{
	unsigned char *v;
	memcpy(&v, vp, sizeof(v));
	if (!v || *n >= *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		unsigned char *nv = arena_alloc(a, nc * elem);
		if (v && *n)
			memcpy(nv, v, *n * elem);
		*cap = nc;
		v = nv;
		memcpy(vp, &v, sizeof(v));
	}
	unsigned char *slot = v + *n * elem;
	memset(slot, 0, elem);
	(*n)++;
	return slot;
}
