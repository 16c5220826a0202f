/* iCalendar (RFC 5545) content lines into a string builder. Room: wfm.
 *
 * Every line ends in CRLF and is folded so that no line exceeds 75 octets: the rest
 * continues on the next line after one space (RFC 5545 §3.1). Folding never splits a
 * UTF-8 sequence. TEXT values are escaped (backslash, semicolon, comma, newline;
 * §3.3.11). Times are written in UTC ("20260302T050000Z", §3.3.5 form 2), which needs
 * no VTIMEZONE. Each function returns 0 or -LS_ETOOLARGE from the strbuf. */
#pragma once
#include <stddef.h>

#include "core/strbuf.h"
#include "core/timeutil.h"

#define ICAL_LINE_MAX 75 /* octets of one physical line, CRLF not counted */

/* "NAME:VALUE" with value written as is (the caller escaped it), folded. */
int ical_line(struct strbuf *sb, const char *name, const char *value);
/* "NAME:VALUE" with value escaped as TEXT, folded. */
int ical_text(struct strbuf *sb, const char *name, const char *text);
/* "NAME:YYYYMMDDTHHMMSSZ". */
int ical_utc(struct strbuf *sb, const char *name, ls_time t);
