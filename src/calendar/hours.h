/* Weekly opening hours in local wall-clock time and their text syntax. Room: calendar.
 *
 *   mon-fri 08:00-12:00 13:00-17:00; sat 09:00-13:00
 *
 * Groups are separated by ';'. A group is a day list (mon tue wed thu fri sat sun,
 * ranges such as mon-fri or fri-mon, lists such as mon,wed,fri-sun) followed by one
 * or more frames HH:MM-HH:MM at minute precision; 24:00 may end a frame. A frame
 * never crosses midnight: a night shift is two frames, "tue 22:00-24:00; wed
 * 00:00-06:00". Frames of one day must not overlap; touching frames are merged.
 * `mon-sun 00:00-24:00` is 24×7.
 *
 * Parsing is pure and reentrant; a struct hours is plain data the caller owns. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/limits.h"
#include "core/strbuf.h"

#define HOURS_MAX_FRAMES LS_MAX_HOURS_FRAMES

/* Minutes after local midnight: 0 <= start < end <= 1440. */
struct hours_frame {
	uint16_t start, end;
};

/* The frames of weekday d (0 = Monday … 6 = Sunday) are f[first[d]] .. f[first[d + 1] - 1],
 * sorted, disjoint and not touching. */
struct hours {
	uint16_t first[8];
	struct hours_frame f[HOURS_MAX_FRAMES];
};

/* Parses the syntax above into *ret. Returns 0, -EINVAL (syntax, overlap) or
 * -LS_ETOOLARGE (longer than LS_MAX_HOURS_BYTES, more than HOURS_MAX_FRAMES frames);
 * e names field "hours" and quotes the offending part. *ret is untouched on failure. */
int hours_parse(const char *s, struct hours *ret, struct lserr *e);

/* Parses a bare frame list "08:00-12:00 13:00-17:00" (the frames of one day) into out
 * (room for max), sorted and merged, count in *ret_n. Errors as hours_parse() with the
 * given field name. An empty list is an error. */
int hours_parse_frames(const char *s, const char *field, struct hours_frame *out, size_t max, size_t *ret_n,
                       struct lserr *e);

/* Appends the canonical text of h ("mon-fri 08:00-17:00; sat 09:00-13:00"); "" when h has
 * no frames. Returns 0 or -LS_ETOOLARGE from the strbuf. */
int hours_format(const struct hours *h, struct strbuf *sb);

/* Open minutes per week. */
unsigned hours_weekly_minutes(const struct hours *h);

/* "mon" … "sun" for 0 … 6, NULL otherwise. */
const char *hours_day_to_string(unsigned wday);
