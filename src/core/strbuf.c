/* String builder (see strbuf.h for the invariants). Room: core. */
#include "core/strbuf.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/err.h"
#include "core/limits.h"

char strbuf_empty[1];

void strbuf_init(struct strbuf *sb, size_t max)
{
	sb->len = 0;
	sb->alloc = 0;
	sb->max = max;
	sb->overflow = false;
	sb->buf = strbuf_empty;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		xfree(sb->buf);
	strbuf_init(sb, sb->max);
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->overflow = false;
	sb->buf[0] = '\0';
}

static int grow(struct strbuf *sb, size_t extra)
{
	if (extra > sb->max || sb->len > sb->max - extra) {
		sb->overflow = true;
		return -LS_ETOOLARGE;
	}
	size_t need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return 0;
	size_t na = sb->alloc ? sb->alloc : 64;
	while (na < need)
		na = na * 2;
	if (sb->alloc == 0) {
		sb->buf = xmalloc(na);
		sb->buf[0] = '\0';
	} else {
		sb->buf = xrealloc(sb->buf, na);
	}
	sb->alloc = na;
	return 0;
}

int strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
	int r = grow(sb, n);
	if (r < 0)
		return r;
	if (n == 0)
		return 0;
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return 0;
}

int strbuf_adds(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int strbuf_addch(struct strbuf *sb, char c)
{
	return strbuf_add(sb, &c, 1);
}

int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -EINVAL;
	int r = grow(sb, (size_t)n);
	if (r < 0)
		return r;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return r;
}

int strbuf_add_json_escaped(struct strbuf *sb, const char *s)
{
	size_t len0 = sb->len; /* on overflow, undo the part already appended */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int r;
		switch (*p) {
		case '"': r = strbuf_add(sb, "\\\"", 2); break;
		case '\\': r = strbuf_add(sb, "\\\\", 2); break;
		case '\n': r = strbuf_add(sb, "\\n", 2); break;
		case '\r': r = strbuf_add(sb, "\\r", 2); break;
		case '\t': r = strbuf_add(sb, "\\t", 2); break;
		default:
			if (*p < 0x20)
				r = strbuf_addf(sb, "\\u%04x", *p);
			else
				r = strbuf_addch(sb, (char)*p);
		}
		if (r < 0) {
			sb->len = len0;
			sb->buf[len0] = '\0';
			return r;
		}
	}
	return 0;
}

char *strbuf_detach(struct strbuf *sb, size_t *ret_len)
{
	char *p = sb->alloc ? sb->buf : xstrdup("");
	if (ret_len)
		*ret_len = sb->len;
	strbuf_init(sb, sb->max);
	return p;
}

size_t strbuf_add_ireplaced(struct strbuf *sb, const char *text, const char *needle, const char *repl)
{
	size_t nt = strlen(text), nn = strlen(needle), hits = 0;
	for (size_t i = 0; i < nt;) {
		if (nn && i + nn <= nt && strncasecmp(text + i, needle, nn) == 0) {
			strbuf_adds(sb, repl);
			i += nn;
			hits++;
		} else {
			size_t j = i + 1; /* copy up to the next possible match in one go */
			while (j < nt && (!nn || (text[j] | 0x20) != (needle[0] | 0x20)))
				j++;
			strbuf_add(sb, text + i, j - i);
			i = j;
		}
	}
	return hits;
}
