/* Business-hours calendars and business-time arithmetic. Room: calendar.
 *
 * A calendar is an IANA time zone, weekly opening hours (hours.h), a holiday region
 * (holidays.h), extra closed days (company closures) and extra open days. Compiling
 * it turns a range of local years into one sorted array of disjoint UTC open
 * intervals with prefix sums of their lengths; every query afterwards is a binary
 * search (docs/design/0004-calendar-engine.md).
 *
 * Semantics (docs/calendar.md):
 *  - business seconds are real elapsed seconds inside open intervals, so a 24×7
 *    calendar has 23 h and 25 h on the DST change days;
 *  - a holiday or closed day removes its whole local calendar day: a frame
 *    Tue 22:00–24:00 before a holiday Wednesday counts, Wed 00:00–06:00 does not;
 *  - frames are converted to UTC one by one with tz_local_to_utc(): a boundary in a
 *    DST gap moves to the first instant after the gap, one in an overlap is its first
 *    occurrence; a frame ending at 24:00 runs straight into one starting at 00:00;
 *  - an extra open day reopens a holiday or closed day with its weekday's frames,
 *    or with frames of its own ("2025-12-24 08:00-12:00"), which replace the weekday's.
 *
 * Ownership and threads: calendar_compile() returns a calendar the caller owns and
 * releases with calendar_free() (accepts NULL). A compiled calendar is read-only:
 * any number of threads may query it concurrently. calendar_extend() is the one
 * mutator and needs exclusive access. Queries never allocate or log; they take a
 * struct lserr that may be NULL and is set only on failure. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/holidays.h"
#include "calendar/tz.h"
#include "core/err.h"
#include "core/timeutil.h"

#define CALENDAR_FIRST_YEAR HOLIDAYS_FIRST_YEAR
#define CALENDAR_LAST_YEAR  HOLIDAYS_LAST_YEAR

/* The definition in text form, as users write it; each member is validated and an
 * error names it as the field ("tz", "hours", "holidays", "closed", "open", "year"). */
struct calendar_spec {
	const char *tz;       /* IANA zone, e.g. "Europe/Berlin" */
	const char *hours;    /* "mon-fri 08:00-17:00" (hours.h) */
	const char *holidays; /* region code (holidays.h) or "none"; NULL means none */
	/* "YYYY-MM-DD" or an inclusive range "YYYY-MM-DD..YYYY-MM-DD" */
	const char **closed;
	size_t n_closed;
	/* "YYYY-MM-DD" (its weekday's frames) or "YYYY-MM-DD HH:MM-HH:MM …" */
	const char **open;
	size_t n_open;
	/* Local years to compile; both 0 means CALENDAR_FIRST_YEAR..CALENDAR_LAST_YEAR. */
	int first_year, last_year;
};

struct calendar;

/* Validates spec, loads the zone and compiles the years asked for. Returns 0 and a new
 * calendar in *ret, or a negative code with e naming the field. Extra days must lie in
 * CALENDAR_FIRST_YEAR..CALENDAR_LAST_YEAR; a date may not be both closed and open. */
int calendar_compile(const struct calendar_spec *spec, struct calendar **ret, struct lserr *e);
/* Widens the compiled range to include first_year..last_year (a recompile). Not
 * thread-safe: no other thread may use cal meanwhile. 0 or -ERANGE (field "year"). */
int calendar_extend(struct calendar *cal, int first_year, int last_year, struct lserr *e);
void calendar_free(struct calendar *cal);

/* The calendar's zone (owned by the calendar). */
const struct tz *calendar_tz(const struct calendar *cal);
enum holidays_region calendar_region(const struct calendar *cal);
/* holidays_data_version() at compile time. */
const char *calendar_holidays_version(const struct calendar *cal);
/* The UTC instants the compiled years cover: queries must lie in [*ret_lo, *ret_hi]. */
void calendar_range(const struct calendar *cal, ls_time *ret_lo, ls_time *ret_hi);
/* Compiled open intervals [start, end), for tests and diagnostics. */
size_t calendar_interval_count(const struct calendar *cal);
int calendar_interval(const struct calendar *cal, size_t i, ls_time *ret_start, ls_time *ret_end);

/* Whether t lies in an open interval (false outside the compiled range). */
bool calendar_is_open(const struct calendar *cal, ls_time t);
/* Business seconds in [from, to). -ERANGE when an instant lies outside the compiled
 * range (field "from" or "to"), -EINVAL when to < from (field "to"). */
int calendar_elapsed(const struct calendar *cal, ls_time from, ls_time to, int64_t *ret_seconds, struct lserr *e);
/* The earliest instant t >= from with elapsed(from, t) == seconds: counting starts at
 * the next opening when from is closed; time that runs out at the end of a frame gives
 * that frame's end; 0 seconds gives from when open, else the next opening. -EINVAL for
 * negative seconds, -ERANGE when from lies outside the compiled range (field "from")
 * or the result would lie beyond it (field "seconds"). */
int calendar_add(const struct calendar *cal, ls_time from, int64_t seconds, ls_time *ret, struct lserr *e);
/* t itself when open, else the start of the next open interval. -ERANGE (field "from")
 * when t is outside the range or nothing opens before its end. */
int calendar_next_open(const struct calendar *cal, ls_time t, ls_time *ret, struct lserr *e);
/* The end of the open interval that contains t or, when closed, of the next one.
 * -ERANGE (field "from") when t is outside the range or that interval reaches the end
 * of the compiled range (the close lies beyond it). */
int calendar_next_close(const struct calendar *cal, ls_time t, ls_time *ret, struct lserr *e);
