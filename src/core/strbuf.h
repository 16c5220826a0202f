/* Growable string builder. Room: core.
 *
 * Invariants (as in git's strbuf):
 *  - buf is never NULL: an empty strbuf points at a shared "" until first growth;
 *  - buf[len] == '\0' always, so buf is a C string at every moment;
 *  - len never exceeds max; an append that would exceed it leaves the buffer as it
 *    was, sets `overflow` and returns -LS_ETOOLARGE. Callers that build bounded
 *    output check once at the end with strbuf_ok().
 * The buffer is owned by the strbuf until strbuf_detach() hands it to the caller,
 * who frees it with xfree(). */
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	size_t len;
	size_t alloc;
	size_t max;
	bool overflow;
	char *buf;
};

extern char strbuf_empty[];
#define STRBUF_INIT_MAX(m)                                                                                             \
	{                                                                                                              \
		0, 0, (m), false, strbuf_empty                                                                         \
	}
#define STRBUF_INIT STRBUF_INIT_MAX(LS_STRBUF_DEFAULT_MAX)

void strbuf_init(struct strbuf *sb, size_t max);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
int strbuf_add(struct strbuf *sb, const void *data, size_t n);
int strbuf_adds(struct strbuf *sb, const char *s);
int strbuf_addch(struct strbuf *sb, char c);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends s as the inside of a JSON string (no quotes added). */
int strbuf_add_json_escaped(struct strbuf *sb, const char *s);
static inline bool strbuf_ok(const struct strbuf *sb)
{
	return !sb->overflow;
}
/* Returns the malloc'ed buffer (caller frees with xfree) and re-initialises sb. */
char *strbuf_detach(struct strbuf *sb, size_t *ret_len);
/* Appends text with every occurrence of needle replaced by repl, needle matching
 * regardless of ASCII case (an email address in any spelling). Returns how many
 * occurrences were replaced; an empty needle replaces nothing. */
size_t strbuf_add_ireplaced(struct strbuf *sb, const char *text, const char *needle, const char *repl);
