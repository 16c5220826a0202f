/* Delivery schedules of report subscriptions: a small text syntax and the exact
 * instant of the next run after a given one. Room: calendar.
 *
 * Syntax (words case-insensitive, single spaces or more between them):
 *   every monday 07:00                      weekly, any weekday monday … sunday
 *   first working day 07:00                 monthly: the first working day of each month
 *   first working day of month 07:00        the same
 *   first working day of quarter 07:00      January, April, July and October
 * A working day is Monday to Friday and not a public holiday of the region
 * (calendar/holidays.h). The time is wall-clock time in the zone passed to
 * schedule_next(): a time inside a spring-forward gap runs at the end of the gap, an
 * ambiguous time on the fall-back day at its first occurrence (tz_local_to_utc()),
 * so every scheduled day has exactly one run.
 *
 * Pure and reentrant; nothing here logs. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "calendar/holidays.h"
#include "calendar/tz.h"
#include "core/err.h"
#include "core/timeutil.h"

/* Longest schedule text accepted, and a buffer for schedule_format(). */
#define SCHEDULE_MAX_BYTES 80

enum schedule_kind {
	SCHEDULE_WEEKDAY,             /* every <weekday> HH:MM */
	SCHEDULE_FIRST_WORKING_MONTH, /* first working day [of month] HH:MM */
	SCHEDULE_FIRST_WORKING_QUARTER,
	_SCHEDULE_KIND_MAX,
};

struct schedule {
	enum schedule_kind kind;
	int weekday; /* SCHEDULE_WEEKDAY: 0 Monday … 6 Sunday */
	int minute;  /* minute of the day, 0 … 1439 */
};

/* Parses text. Returns 0, or -EINVAL with e naming the field "schedule" and the
 * accepted forms in its hint. *ret is untouched on failure. */
int schedule_parse(const char *text, struct schedule *ret, struct lserr *e);

/* The canonical text of sc ("every monday 07:00", "first working day of month
 * 07:00", …) into buf of n bytes (SCHEDULE_MAX_BYTES suffice). Returns buf. */
char *schedule_format(const struct schedule *sc, char *buf, size_t n);

/* The first run instant strictly after `after` in zone tz, with the holidays of
 * region (HOLIDAYS_NONE: weekends only). Returns 0, or the holidays_year() error
 * (a year outside HOLIDAYS_FIRST_YEAR … HOLIDAYS_LAST_YEAR) with e set. */
int schedule_next(const struct schedule *sc, const struct tz *tz, enum holidays_region region, ls_time after,
                  ls_time *ret, struct lserr *e);

/* The weekday of a day number (days since 1970-01-01): 0 Monday … 6 Sunday. */
int schedule_weekday(int64_t day);
