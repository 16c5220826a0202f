/* Region allocator: a request, a CLI command or a batch owns one arena; everything
 * allocated from it dies together in arena_reset()/arena_free(). Foreign resources
 * (a jansson value, a statement) register a cleanup that runs on reset, newest first.
 * Not thread-safe: an arena belongs to one thread at a time. Room: core. */
#pragma once
#include <stdarg.h>
#include <stddef.h>

struct arena_block;
struct arena_cleanup;

struct arena {
	struct arena_block *head;
	struct arena_cleanup *cleanups;
	size_t block_size;
};

#define ARENA_INIT                                                                                                     \
	{                                                                                                              \
		NULL, NULL, 8192                                                                                       \
	}

void arena_init(struct arena *a);
/* Runs cleanups and frees every block but the first, which is kept for reuse. */
void arena_reset(struct arena *a);
/* Runs cleanups and frees everything. Accepts NULL. */
void arena_release(struct arena *a);

/* Aligned to max_align_t. Never NULL (aborts on OOM). */
void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* fn(ptr) runs on reset/release. */
void arena_on_reset(struct arena *a, void (*fn)(void *), void *ptr);
/* Appends one zeroed element to an arena-backed vector: *vp points at n elements of
 * size elem with room for *cap; grows (doubling, old copy left in the arena) when
 * full, increments *n and returns the new element. vp is the address of the
 * vector pointer. */
void *arena_push(struct arena *a, void *vp, size_t *n, size_t *cap, size_t elem);
#define ARENA_PUSH(a, v, n, cap) (*(__typeof__(v))arena_push((a), &(v), &(n), &(cap), sizeof(*(v))))
