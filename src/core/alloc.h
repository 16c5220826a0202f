/* Allocation wrappers. They never return NULL: out of memory aborts the process,
 * because every size a user controls is bounded by core/limits.h before we allocate.
 * Room: core. Outside alloc.c, raw malloc/calloc/realloc/free are not used. */
#pragma once
#include <stddef.h>

void *xmalloc(size_t n);
/* Zeroed array of n elements of size sz; aborts on multiplication overflow. */
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Accepts NULL. */
void xfree(void *p);

/* Cleanup helpers in the style of systemd: `_cleanup_free_ char *s = NULL;` */
#define _cleanup_(f) __attribute__((cleanup(f)))
static inline void freep(void *p)
{
	xfree(*(void **)p);
}
#define _cleanup_free_ _cleanup_(freep)
/* Hand ownership out of a _cleanup_ variable. */
#define TAKE_PTR(p)                                                                                                    \
	({                                                                                                             \
		__typeof__(p) _tp = (p);                                                                               \
		(p) = NULL;                                                                                            \
		_tp;                                                                                                   \
	})
#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))
