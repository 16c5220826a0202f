/* iCalendar content lines (see ical.h). Room: wfm.
 * A logical line is built whole, then copied out in pieces of at most 75 octets
 * (74 after the folding space), each cut moved back to the start of a UTF-8
 * character. */
#include "wfm/ical.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

static int fold(struct strbuf *sb, const char *line, size_t n)
{
	size_t room = ICAL_LINE_MAX;
	int r = 0;
	while (n > room && r == 0) {
		size_t cut = room;
		while (cut > 1 && ((unsigned char)line[cut] & 0xc0) == 0x80)
			cut--;
		r = strbuf_add(sb, line, cut);
		if (r == 0)
			r = strbuf_add(sb, "\r\n ", 3);
		line += cut;
		n -= cut;
		room = ICAL_LINE_MAX - 1;
	}
	if (r == 0)
		r = strbuf_add(sb, line, n);
	if (r == 0)
		r = strbuf_add(sb, "\r\n", 2);
	return r;
}

int ical_line(struct strbuf *sb, const char *name, const char *value)
{
	struct strbuf l = STRBUF_INIT_MAX(sb->max);
	strbuf_adds(&l, name);
	strbuf_addch(&l, ':');
	strbuf_adds(&l, value);
	int r = strbuf_ok(&l) ? fold(sb, l.buf, l.len) : -LS_ETOOLARGE;
	strbuf_release(&l);
	return r;
}

int ical_text(struct strbuf *sb, const char *name, const char *text)
{
	struct strbuf v = STRBUF_INIT_MAX(sb->max);
	for (const char *p = text; *p; p++) {
		switch (*p) {
		case '\\': strbuf_adds(&v, "\\\\"); break;
		case ';': strbuf_adds(&v, "\\;"); break;
		case ',': strbuf_adds(&v, "\\,"); break;
		case '\n': strbuf_adds(&v, "\\n"); break;
		case '\r': break;
		default: strbuf_addch(&v, *p); break;
		}
	}
	int r = strbuf_ok(&v) ? ical_line(sb, name, v.buf) : -LS_ETOOLARGE;
	strbuf_release(&v);
	return r;
}

int ical_utc(struct strbuf *sb, const char *name, ls_time t)
{
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t sec = t - days * 86400;
	int64_t y;
	unsigned m, d;
	time_civil_from_days(days, &y, &m, &d);
	char v[40];
	snprintf(v, sizeof(v), "%04lld%02u%02uT%02d%02d%02dZ", (long long)y, m, d, (int)(sec / 3600),
	         (int)(sec % 3600 / 60), (int)(sec % 60));
	return ical_line(sb, name, v);
}
