/* Tests for calendar/calendar.c: hand-computed business-time cases (the DST and
 * holiday examples of domain research §2, ServiceNow's and Jira's worked examples),
 * every semantic rule of the issue (frame ends, add 0, closed starts, holidays that
 * remove whole local days, 24:00 running into 00:00, DST gaps and overlaps in
 * several zones, 24x7 with 23 h and 25 h days), holidays on weekends, closures of
 * weeks, extra open days, range and input errors naming their field, extension of
 * the compiled range, concurrent readers, and property tests against a slow
 * day-by-day reference: elapsed(from, add(from, s)) == s, additivity, earliest
 * instant. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "calendar/hours.h"
#include "core/alloc.h"
#include "core/rng.h"

#define H 3600

static ls_time T(const char *s)
{
	ls_time t = 0;
	if (time_parse_rfc3339(s, &t) < 0)
		fail_msg("bad test timestamp %s", s);
	return t;
}

struct cal_args {
	const char *tz, *hours, *holidays;
	const char **closed;
	size_t n_closed;
	const char **open;
	size_t n_open;
	int first_year, last_year;
};

static struct calendar *make(struct cal_args a)
{
	struct calendar_spec spec = {.tz = a.tz,
	                             .hours = a.hours,
	                             .holidays = a.holidays,
	                             .closed = a.closed,
	                             .n_closed = a.n_closed,
	                             .open = a.open,
	                             .n_open = a.n_open,
	                             .first_year = a.first_year,
	                             .last_year = a.last_year};
	struct calendar *cal = NULL;
	struct lserr e;
	lserr_clear(&e);
	if (calendar_compile(&spec, &cal, &e) < 0)
		fail_msg("calendar_compile(%s, %s, %s): %s", a.tz, a.hours, a.holidays, e.message);
	return cal;
}
#define CAL(...) make((struct cal_args){__VA_ARGS__})

static void assert_add(const struct calendar *cal, const char *from, int64_t s, const char *want)
{
	ls_time out;
	struct lserr e;
	lserr_clear(&e);
	if (calendar_add(cal, T(from), s, &out, &e) < 0)
		fail_msg("add(%s, %lld): %s", from, (long long)s, e.message);
	char buf[TZ_RFC3339_MAX];
	tz_format_rfc3339(calendar_tz(cal), out, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("add(%s, %lld) = %s, want %s", from, (long long)s, buf, want);
}

static int64_t elapsed(const struct calendar *cal, const char *from, const char *to)
{
	int64_t s = -1;
	struct lserr e;
	lserr_clear(&e);
	if (calendar_elapsed(cal, T(from), T(to), &s, &e) < 0)
		fail_msg("elapsed(%s, %s): %s", from, to, e.message);
	return s;
}

static void assert_next(const struct calendar *cal, bool open, const char *at, const char *want)
{
	ls_time out;
	struct lserr e;
	lserr_clear(&e);
	int r = open ? calendar_next_open(cal, T(at), &out, &e) : calendar_next_close(cal, T(at), &out, &e);
	if (r < 0)
		fail_msg("next_%s(%s): %s", open ? "open" : "close", at, e.message);
	char buf[TZ_RFC3339_MAX];
	tz_format_rfc3339(calendar_tz(cal), out, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("next_%s(%s) = %s, want %s", open ? "open" : "close", at, buf, want);
}

/* ---- the worked examples ---- */

static void test_dst_example_from_domain_research(void **state)
{
	(void)state;
	struct calendar *cal = CAL(.tz = "Europe/Berlin", .hours = "mon-fri 08:00-17:00", .holidays = "DE-NW");
	/* Fri 28 Mar 2025 16:00 CET + 4 business hours = Mon 31 Mar 11:00 CEST (09:00 UTC) */
	assert_add(cal, "2025-03-28T16:00:00+01:00", 4 * H, "2025-03-31T11:00:00+02:00");
	assert_int_equal(elapsed(cal, "2025-03-28T16:00:00+01:00", "2025-03-31T11:00:00+02:00"), 4 * H);
	/* 66 hours of real time, not 67 */
	assert_int_equal(T("2025-03-31T11:00:00+02:00") - T("2025-03-28T16:00:00+01:00"), 66 * H);
	calendar_free(cal);
}

static void test_holiday_example_from_domain_research(void **state)
{
	(void)state;
	struct calendar *cal = CAL(.tz = "Europe/Berlin", .hours = "mon-fri 08:00-17:00", .holidays = "DE-NW");
	/* Thu 17 Apr 2025 15:00 + 8 h; Karfreitag 18.04. and Ostermontag 21.04. closed */
	assert_add(cal, "2025-04-17T15:00:00+02:00", 8 * H, "2025-04-22T14:00:00+02:00");
	assert_int_equal(elapsed(cal, "2025-04-17T15:00:00+02:00", "2025-04-22T14:00:00+02:00"), 8 * H);
	calendar_free(cal);
	/* the same without holidays ends on Good Friday */
	cal = CAL(.tz = "Europe/Berlin", .hours = "mon-fri 08:00-17:00", .holidays = "none");
	assert_add(cal, "2025-04-17T15:00:00+02:00", 8 * H, "2025-04-18T14:00:00+02:00");
	calendar_free(cal);
}

static void test_servicenow_and_jira_examples(void **state)
{
	(void)state;
	/* ServiceNow: opened Friday 21:00, now Monday 09:30 → 1 h 30 min business, 60 h 30 min actual */
	struct calendar *cal = CAL(.tz = "Europe/Berlin", .hours = "mon-fri 08:00-17:00", .holidays = "DE");
	assert_int_equal(elapsed(cal, "2025-05-16T21:00:00+02:00", "2025-05-19T09:30:00+02:00"), 90 * 60);
	assert_next(cal, true, "2025-05-16T21:00:00+02:00", "2025-05-19T08:00:00+02:00");
	calendar_free(cal);
	/* Jira: 16 h goal from Monday 11:00; Mon 09-17, Tue 09-16, Wed off, Thu 08-17 → Thursday 11:00 */
	cal = CAL(.tz = "UTC", .hours = "mon 09:00-17:00; tue 09:00-16:00; thu 08:00-17:00", .holidays = "none");
	assert_add(cal, "2025-06-02T11:00:00Z", 16 * H, "2025-06-05T11:00:00+00:00");
	calendar_free(cal);
}

/* ---- semantics ---- */

static void test_time_running_out_at_frame_end_gives_frame_end(void **state)
{
	(void)state;
	struct calendar *cal =
	        CAL(.tz = "Europe/Berlin", .hours = "mon-fri 08:00-12:00 13:00-17:00", .holidays = "DE-BY");
	assert_add(cal, "2025-06-02T16:00:00+02:00", H, "2025-06-02T17:00:00+02:00");
	assert_add(cal, "2025-06-02T11:00:00+02:00", H, "2025-06-02T12:00:00+02:00");
	assert_add(cal, "2025-06-02T11:00:00+02:00", H + 1, "2025-06-02T13:00:01+02:00");
	/* a whole week of business time from Monday's opening ends Friday at 17:00 */
	assert_add(cal, "2025-06-02T08:00:00+02:00", 5 * 8 * H, "2025-06-06T17:00:00+02:00");
	calendar_free(cal);
}

static void test_add_zero_and_closed_starts(void **state)
{
	(void)state;
	struct calendar *cal = CAL(.tz = "Europe/Berlin", .hours = "mon-fri 08:00-17:00", .holidays = "DE-NW");
	assert_add(cal, "2025-06-03T10:15:07+02:00", 0, "2025-06-03T10:15:07+02:00");
	assert_add(cal, "2025-06-03T08:00:00+02:00", 0, "2025-06-03T08:00:00+02:00");
	assert_add(cal, "2025-06-03T17:00:00+02:00", 0, "2025-06-04T08:00:00+02:00"); /* a close is closed */
	assert_add(cal, "2025-06-06T18:00:00+02:00", 0, "2025-06-10T08:00:00+02:00"); /* Pfingstmontag 9 June */
	/* counting starts at the next opening */
	assert_add(cal, "2025-06-06T18:00:00+02:00", 1, "2025-06-10T08:00:01+02:00");
	assert_add(cal, "2025-06-03T05:00:00+02:00", 30 * 60, "2025-06-03T08:30:00+02:00");
	calendar_free(cal);
}

static void test_next_open_and_next_close(void **state)
{
	(void)state;
	struct calendar *cal =
	        CAL(.tz = "Europe/Berlin", .hours = "mon-fri 08:00-12:00 13:00-17:00", .holidays = "DE-HE");
	assert_next(cal, true, "2025-06-03T09:00:00+02:00", "2025-06-03T09:00:00+02:00");
	assert_next(cal, true, "2025-06-03T12:00:00+02:00", "2025-06-03T13:00:00+02:00");
	assert_next(cal, true, "2025-06-18T17:30:00+02:00", "2025-06-20T08:00:00+02:00"); /* Fronleichnam */
	assert_next(cal, false, "2025-06-03T09:00:00+02:00", "2025-06-03T12:00:00+02:00");
	assert_next(cal, false, "2025-06-03T12:00:00+02:00", "2025-06-03T17:00:00+02:00");
	assert_next(cal, false, "2025-06-03T08:00:00+02:00", "2025-06-03T12:00:00+02:00");
	assert_next(cal, false, "2025-06-14T10:00:00+02:00", "2025-06-16T12:00:00+02:00");
	assert_true(calendar_is_open(cal, T("2025-06-03T08:00:00+02:00")));
	assert_false(calendar_is_open(cal, T("2025-06-03T12:00:00+02:00")));
	assert_false(calendar_is_open(cal, T("1990-06-03T10:00:00+02:00")));
	calendar_free(cal);
}

static void test_24x7_counts_real_seconds_on_dst_days(void **state)
{
	(void)state;
	struct calendar *cal = CAL(.tz = "Europe/Berlin", .hours = "mon-sun 00:00-24:00", .holidays = "none");
	assert_int_equal(calendar_interval_count(cal), 1); /* 24:00 runs into 00:00, every day */
	assert_int_equal(elapsed(cal, "2025-03-30T00:00:00+01:00", "2025-03-31T00:00:00+02:00"), 23 * H);
	assert_int_equal(elapsed(cal, "2025-10-26T00:00:00+02:00", "2025-10-27T00:00:00+01:00"), 25 * H);
	assert_int_equal(elapsed(cal, "2025-06-01T00:00:00+02:00", "2025-06-02T00:00:00+02:00"), 24 * H);
	assert_add(cal, "2025-03-30T00:00:00+01:00", 24 * H, "2025-03-31T01:00:00+02:00");
	assert_add(cal, "2025-10-26T00:00:00+02:00", 24 * H, "2025-10-26T23:00:00+01:00");
	ls_time out;
	assert_int_equal(calendar_next_close(cal, T("2025-06-01T00:00:00Z"), &out, NULL), -ERANGE);
	calendar_free(cal);
	/* the same in New York and Sydney */
	cal = CAL(.tz = "America/New_York", .hours = "mon-sun 00:00-24:00", .holidays = "none");
	assert_int_equal(elapsed(cal, "2025-03-09T00:00:00-05:00", "2025-03-10T00:00:00-04:00"), 23 * H);
	assert_int_equal(elapsed(cal, "2025-11-02T00:00:00-04:00", "2025-11-03T00:00:00-05:00"), 25 * H);
	calendar_free(cal);
	cal = CAL(.tz = "Australia/Sydney", .hours = "mon-sun 00:00-24:00", .holidays = "none");
	assert_int_equal(elapsed(cal, "2025-04-06T00:00:00+11:00", "2025-04-07T00:00:00+10:00"), 25 * H);
	assert_int_equal(elapsed(cal, "2025-10-05T00:00:00+10:00", "2025-10-06T00:00:00+11:00"), 23 * H);
	calendar_free(cal);
}

static void test_frames_in_dst_gaps_and_overlaps(void **state)
{
	(void)state;
	/* Berlin, Sunday 30 March 2025: 02:00-03:00 does not exist */
	struct calendar *cal = CAL(.tz = "Europe/Berlin", .hours = "sun 02:30-04:00", .holidays = "none");
	assert_int_equal(elapsed(cal, "2025-03-29T00:00:00+01:00", "2025-03-31T00:00:00+02:00"), H);
	assert_next(cal, true, "2025-03-29T12:00:00+01:00", "2025-03-30T03:00:00+02:00");
	/* Sunday 26 October 2025: 02:30 is its first occurrence (CEST), 04:00 CET: 2.5 h */
	assert_int_equal(elapsed(cal, "2025-10-25T00:00:00+02:00", "2025-10-27T00:00:00+01:00"), 2 * H + 30 * 60);
	assert_next(cal, true, "2025-10-25T12:00:00+02:00", "2025-10-26T02:30:00+02:00");
	calendar_free(cal);
	/* a frame wholly inside the gap vanishes */
	cal = CAL(.tz = "Europe/Berlin", .hours = "sun 02:00-02:45", .holidays = "none");
	assert_int_equal(elapsed(cal, "2025-03-29T00:00:00+01:00", "2025-03-31T00:00:00+02:00"), 0);
	assert_int_equal(elapsed(cal, "2025-04-05T00:00:00+02:00", "2025-04-07T00:00:00+02:00"), 45 * 60);
	/* ... and one in the overlap is 45 min of its first occurrence */
	assert_int_equal(elapsed(cal, "2025-10-25T00:00:00+02:00", "2025-10-27T00:00:00+01:00"), 45 * 60);
	assert_next(cal, false, "2025-10-25T12:00:00+02:00", "2025-10-26T02:45:00+02:00");
	calendar_free(cal);
	/* New York, 9 March 2025: 01:30 EST to 03:00 EDT is 30 minutes */
	cal = CAL(.tz = "America/New_York", .hours = "sun 01:30-03:00", .holidays = "none");
	assert_int_equal(elapsed(cal, "2025-03-08T00:00:00-05:00", "2025-03-10T00:00:00-04:00"), 30 * 60);
	/* 2 November 2025: 01:30 EDT to 03:00 EST is 2.5 hours */
	assert_int_equal(elapsed(cal, "2025-11-01T00:00:00-04:00", "2025-11-03T00:00:00-05:00"), 2 * H + 30 * 60);
	calendar_free(cal);
	/* Santiago, 7 September 2025: midnight does not exist; Sat 20:00-24:00 + Sun 00:00-02:00 */
	cal = CAL(.tz = "America/Santiago", .hours = "sat 20:00-24:00; sun 00:00-02:00", .holidays = "none");
	assert_int_equal(elapsed(cal, "2025-09-06T00:00:00-04:00", "2025-09-08T00:00:00-03:00"), 5 * H);
	assert_next(cal, false, "2025-09-06T21:00:00-04:00", "2025-09-07T02:00:00-03:00");
	/* 5 April 2025: 24:00 -03 becomes 23:00 -04, Sat 23:00-24:00 happens twice */
	assert_int_equal(elapsed(cal, "2025-04-05T00:00:00-03:00", "2025-04-07T00:00:00-04:00"), 7 * H);
	calendar_free(cal);
}

static void test_dst_changes_in_business_hours_of_several_zones(void **state)
{
	(void)state;
	static const struct {
		const char *tz, *from, *want;
		int64_t elapsed_week;
	} v[] = {
	        /* Friday 16:00 + 4 h over the spring-forward weekend: Monday 11:00 in summer time */
	        {"Europe/Berlin", "2025-03-28T16:00:00+01:00", "2025-03-31T11:00:00+02:00", 45 * H},
	        {"Europe/Berlin", "2025-10-24T16:00:00+02:00", "2025-10-27T11:00:00+01:00", 45 * H},
	        {"Europe/London", "2025-03-28T16:00:00+00:00", "2025-03-31T11:00:00+01:00", 45 * H},
	        {"America/New_York", "2025-03-07T16:00:00-05:00", "2025-03-10T11:00:00-04:00", 45 * H},
	        {"America/New_York", "2025-10-31T16:00:00-04:00", "2025-11-03T11:00:00-05:00", 45 * H},
	        {"Australia/Sydney", "2025-04-04T16:00:00+11:00", "2025-04-07T11:00:00+10:00", 45 * H},
	        {"Australia/Sydney", "2025-10-03T16:00:00+10:00", "2025-10-06T11:00:00+11:00", 45 * H},
	};
	for (size_t i = 0; i < ELEMENTSOF(v); i++) {
		struct calendar *cal = CAL(.tz = v[i].tz, .hours = "mon-fri 08:00-17:00", .holidays = "none");
		assert_add(cal, v[i].from, 4 * H, v[i].want);
		assert_int_equal(elapsed(cal, v[i].from, v[i].want), 4 * H);
		/* the business week of the change, Monday 00:00 to Monday 00:00 local, still has 5 x 9 hours */
		const struct tz *tz = calendar_tz(cal);
		ls_time f = T(v[i].from);
		int64_t monday = (f + tz_offset_at(tz, f)) / 86400 - 4, s;
		assert_int_equal(calendar_elapsed(cal, tz_local_to_utc(tz, monday * 86400),
		                                  tz_local_to_utc(tz, (monday + 7) * 86400), &s, NULL),
		                 0);
		assert_int_equal(s, v[i].elapsed_week);
		calendar_free(cal);
	}
}

static void test_holiday_removes_whole_local_day_for_night_shifts(void **state)
{
	(void)state;
	/* Wednesday 1 January 2025 is Neujahr */
	struct calendar *cal =
	        CAL(.tz = "Europe/Berlin", .hours = "tue 22:00-24:00; wed 00:00-06:00", .holidays = "DE");
	assert_int_equal(elapsed(cal, "2024-12-31T00:00:00+01:00", "2025-01-02T00:00:00+01:00"), 2 * H);
	assert_next(cal, false, "2024-12-31T22:30:00+01:00", "2025-01-01T00:00:00+01:00");
	/* an ordinary week: one interval Tue 22:00 → Wed 06:00 */
	assert_int_equal(elapsed(cal, "2025-01-07T00:00:00+01:00", "2025-01-09T00:00:00+01:00"), 8 * H);
	assert_next(cal, false, "2025-01-07T23:00:00+01:00", "2025-01-08T06:00:00+01:00");
	assert_next(cal, true, "2025-01-07T21:00:00+01:00", "2025-01-07T22:00:00+01:00");
	assert_add(cal, "2025-01-07T23:00:00+01:00", 2 * H, "2025-01-08T01:00:00+01:00");
	calendar_free(cal);
	cal = CAL(.tz = "Europe/Berlin", .hours = "tue 22:00-24:00; wed 00:00-06:00", .holidays = "none");
	assert_int_equal(elapsed(cal, "2024-12-31T00:00:00+01:00", "2025-01-02T00:00:00+01:00"), 8 * H);
	calendar_free(cal);
}

static void test_holidays_on_weekends(void **state)
{
	(void)state;
	/* 2027: 1 May is a Saturday, 25/26 December Saturday and Sunday */
	struct calendar *cal = CAL(.tz = "Europe/Berlin", .hours = "mon-sat 08:00-12:00", .holidays = "DE");
	assert_int_equal(elapsed(cal, "2027-04-26T00:00:00+02:00", "2027-05-03T00:00:00+02:00"), 5 * 4 * H);
	assert_int_equal(elapsed(cal, "2027-12-20T00:00:00+01:00", "2027-12-27T00:00:00+01:00"), 5 * 4 * H);
	calendar_free(cal);
	cal = CAL(.tz = "Europe/Berlin", .hours = "mon-fri 08:00-12:00", .holidays = "DE");
	assert_int_equal(elapsed(cal, "2027-04-26T00:00:00+02:00", "2027-05-03T00:00:00+02:00"), 5 * 4 * H);
	calendar_free(cal);
	/* Brandenburg's Ostersonntag closes a Sunday service desk */
	cal = CAL(.tz = "Europe/Berlin", .hours = "sun 10:00-14:00", .holidays = "DE-BB");
	assert_int_equal(elapsed(cal, "2025-04-14T00:00:00+02:00", "2025-04-28T00:00:00+02:00"), 4 * H);
	calendar_free(cal);
	cal = CAL(.tz = "Europe/Berlin", .hours = "sun 10:00-14:00", .holidays = "DE-BE");
	assert_int_equal(elapsed(cal, "2025-04-14T00:00:00+02:00", "2025-04-28T00:00:00+02:00"), 8 * H);
	calendar_free(cal);
}

static void test_calendar_closed_for_weeks(void **state)
{
	(void)state;
	const char *closed[] = {"2025-07-28..2025-08-22", "2025-12-24", "2025-12-31"};
	struct calendar *cal = CAL(.tz = "Europe/Berlin", .hours = "mon-fri 08:00-17:00", .holidays = "DE-NW",
	                           .closed = closed, .n_closed = 3);
	assert_add(cal, "2025-07-25T16:00:00+02:00", 2 * H, "2025-08-25T09:00:00+02:00");
	assert_next(cal, true, "2025-07-28T10:00:00+02:00", "2025-08-25T08:00:00+02:00");
	assert_int_equal(elapsed(cal, "2025-07-26T00:00:00+02:00", "2025-08-25T00:00:00+02:00"), 0);
	/* 22 Dec - 2 Jan: Mon, Tue, (24 closed), (25, 26 holidays), Mon 29, Tue 30, (31 closed), (1 Jan), Fri 2 */
	assert_int_equal(elapsed(cal, "2025-12-22T00:00:00+01:00", "2026-01-03T00:00:00+01:00"), 5 * 9 * H);
	calendar_free(cal);
	/* a schedule that opens one hour a month */
	cal = CAL(.tz = "Europe/Berlin", .hours = "mon 08:00-09:00", .holidays = "none",
	          .closed = (const char *[]){"2025-01-07..2025-01-31", "2025-02-08..2025-02-28"}, .n_closed = 2);
	assert_add(cal, "2025-01-06T08:30:00+01:00", H, "2025-02-03T08:30:00+01:00");
	calendar_free(cal);
}

static void test_extra_open_days(void **state)
{
	(void)state;
	const char *open[] = {"2025-04-18", "2025-12-27 09:00-13:00", "2025-12-23 08:00-12:00"};
	const char *closed[] = {"2025-12-24"};
	struct calendar *cal = CAL(.tz = "Europe/Berlin", .hours = "mon-fri 08:00-17:00", .holidays = "DE-NW",
	                           .closed = closed, .n_closed = 1, .open = open, .n_open = 3);
	/* Karfreitag reopened with Friday's hours */
	assert_int_equal(elapsed(cal, "2025-04-18T00:00:00+02:00", "2025-04-19T00:00:00+02:00"), 9 * H);
	assert_int_equal(elapsed(cal, "2025-04-21T00:00:00+02:00", "2025-04-22T00:00:00+02:00"), 0);
	/* a working Saturday and a half day */
	assert_int_equal(elapsed(cal, "2025-12-27T00:00:00+01:00", "2025-12-28T00:00:00+01:00"), 4 * H);
	assert_int_equal(elapsed(cal, "2025-12-23T00:00:00+01:00", "2025-12-24T00:00:00+01:00"), 4 * H);
	assert_add(cal, "2025-12-23T11:00:00+01:00", 2 * H, "2025-12-27T10:00:00+01:00");
	calendar_free(cal);
}

static void test_extra_days_at_the_edges_of_the_range(void **state)
{
	(void)state;
	const char *closed[] = {"1995-01-02", "2099-12-31"};           /* a Monday and a Thursday */
	const char *open[] = {"1995-01-01 10:00-11:00", "2099-12-25"}; /* a Sunday; Friday, 1. Weihnachtstag */
	struct calendar *cal = CAL(.tz = "Europe/Berlin", .hours = "mon-fri 08:00-17:00", .holidays = "DE",
	                           .closed = closed, .n_closed = 2, .open = open, .n_open = 2);
	assert_int_equal(elapsed(cal, "1995-01-01T00:00:00+01:00", "1995-01-03T00:00:00+01:00"), H);
	assert_int_equal(elapsed(cal, "2099-12-25T00:00:00+01:00", "2100-01-01T00:00:00+01:00"), 4 * 9 * H);
	assert_add(cal, "2099-12-30T16:00:00+01:00", H, "2099-12-30T17:00:00+01:00");
	ls_time out;
	assert_int_equal(calendar_add(cal, T("2099-12-30T16:00:00+01:00"), H + 1, &out, NULL), -ERANGE);
	calendar_free(cal);
	/* closed for the whole range */
	cal = CAL(.tz = "UTC", .hours = "mon-sun 00:00-24:00", .holidays = "none",
	          .closed = (const char *[]){"1995-01-01..2099-12-31"}, .n_closed = 1);
	assert_int_equal(calendar_interval_count(cal), 0);
	calendar_free(cal);
}

/* ---- errors ---- */

static void expect_compile_error(struct calendar_spec spec, int rc, const char *field, const char *part)
{
	struct calendar *cal = NULL;
	struct lserr e;
	lserr_clear(&e);
	int r = calendar_compile(&spec, &cal, &e);
	if (r != rc)
		fail_msg("compile returned %d (%s), want %d", r, e.message, rc);
	assert_null(cal);
	assert_string_equal(e.field, field);
	if (!strstr(e.message, part))
		fail_msg("message '%s' does not name '%s'", e.message, part);
}

#define SPEC(...) ((struct calendar_spec){__VA_ARGS__})

static void test_compile_errors_name_the_field(void **state)
{
	(void)state;
	const char *hours = "mon-fri 08:00-17:00";
	expect_compile_error(SPEC(.tz = "Europe/Berln", .hours = hours), -ENOENT, "tz", "Europe/Berln");
	expect_compile_error(SPEC(.hours = hours), -EINVAL, "tz", "tz");
	expect_compile_error(SPEC(.tz = "UTC", .hours = "mon-fri 8-17"), -EINVAL, "hours", "'8-17'");
	expect_compile_error(SPEC(.tz = "UTC", .hours = hours, .holidays = "DE-XX"), -EINVAL, "holidays", "DE-XX");
	expect_compile_error(SPEC(.tz = "UTC", .hours = hours, .holidays = ""), -EINVAL, "holidays", "''");
	expect_compile_error(SPEC(.tz = "UTC", .hours = hours, .first_year = 1994, .last_year = 2000), -ERANGE, "year",
	                     "1994");
	expect_compile_error(SPEC(.tz = "UTC", .hours = hours, .first_year = 2000, .last_year = 2100), -ERANGE, "year",
	                     "2100");
	expect_compile_error(SPEC(.tz = "UTC", .hours = hours, .first_year = 2001, .last_year = 2000), -ERANGE, "year",
	                     "2001");
	expect_compile_error(SPEC(.tz = "UTC", .hours = hours, .closed = (const char *[]){"2025-02-30"}, .n_closed = 1),
	                     -EINVAL, "closed", "2025-02-30");
	expect_compile_error(
	        SPEC(.tz = "UTC", .hours = hours, .closed = (const char *[]){"2025-03-01..2025-02-01"}, .n_closed = 1),
	        -EINVAL, "closed", "ends before");
	expect_compile_error(SPEC(.tz = "UTC", .hours = hours, .closed = (const char *[]){"1990-01-01"}, .n_closed = 1),
	                     -ERANGE, "closed", "1990-01-01");
	expect_compile_error(SPEC(.tz = "UTC", .hours = hours, .open = (const char *[]){"2025-12-27"}, .n_open = 1),
	                     -EINVAL, "open", "sat");
	expect_compile_error(
	        SPEC(.tz = "UTC", .hours = hours, .open = (const char *[]){"2025-12-27 9-13"}, .n_open = 1), -EINVAL,
	        "open", "'9-13'");
	expect_compile_error(SPEC(.tz = "UTC", .hours = hours,
	                          .open = (const char *[]){"2025-12-22", "2025-12-22 08:00-09:00"}, .n_open = 2),
	                     -EINVAL, "open", "twice");
	expect_compile_error(SPEC(.tz = "UTC", .hours = hours, .closed = (const char *[]){"2025-12-20..2025-12-31"},
	                          .n_closed = 1, .open = (const char *[]){"2025-12-22"}, .n_open = 1),
	                     -EINVAL, "open", "also a closed day");
	expect_compile_error(SPEC(.tz = "UTC", .hours = hours, .n_closed = LS_MAX_CALENDAR_DAYS + 1), -LS_ETOOLARGE,
	                     "closed", "extra days");
}

static void test_query_errors_name_the_field(void **state)
{
	(void)state;
	struct calendar *cal = CAL(.tz = "Europe/Berlin", .hours = "mon-fri 08:00-17:00", .holidays = "DE",
	                           .first_year = 2025, .last_year = 2025);
	ls_time out;
	int64_t s;
	struct lserr e;
	assert_int_equal(calendar_elapsed(cal, T("2024-12-31T12:00:00Z"), T("2025-01-02T00:00:00Z"), &s, &e), -ERANGE);
	assert_string_equal(e.field, "from");
	assert_non_null(strstr(e.message, "2025-2025"));
	assert_int_equal(calendar_elapsed(cal, T("2025-06-01T00:00:00Z"), T("2026-01-01T00:00:00Z"), &s, &e), -ERANGE);
	assert_string_equal(e.field, "to");
	assert_int_equal(calendar_elapsed(cal, T("2025-06-02T00:00:00Z"), T("2025-06-01T00:00:00Z"), &s, &e), -EINVAL);
	assert_string_equal(e.field, "to");
	assert_int_equal(calendar_add(cal, T("2025-06-02T00:00:00Z"), -1, &out, &e), -EINVAL);
	assert_string_equal(e.field, "seconds");
	assert_int_equal(calendar_add(cal, T("2025-06-02T00:00:00Z"), 2000 * H, &out, &e), -ERANGE);
	assert_string_equal(e.field, "seconds");
	assert_int_equal(calendar_add(cal, T("2025-06-02T00:00:00Z"), INT64_MAX, &out, &e), -ERANGE);
	assert_int_equal(calendar_add(cal, T("2026-06-02T00:00:00Z"), 1, &out, &e), -ERANGE);
	assert_string_equal(e.field, "from");
	assert_int_equal(calendar_next_open(cal, T("2025-12-31T18:00:00+01:00"), &out, &e), -ERANGE);
	assert_int_equal(calendar_next_close(cal, T("2025-12-31T18:00:00+01:00"), &out, &e), -ERANGE);
	/* the range ends at local midnight of the last year: inclusive */
	assert_int_equal(
	        calendar_elapsed(cal, T("2025-01-01T00:00:00+01:00"), T("2026-01-01T00:00:00+01:00"), &s, NULL), 0);
	assert_int_equal(calendar_elapsed(cal, T("2025-01-01T00:00:00+01:00") - 1, T("2025-06-01T00:00:00Z"), &s, NULL),
	                 -ERANGE);
	/* untouched outputs on failure */
	out = 42;
	assert_int_equal(calendar_add(cal, T("2030-01-01T00:00:00Z"), 1, &out, NULL), -ERANGE);
	assert_true(out == 42);
	calendar_free(cal);
	calendar_free(NULL);
}

static void test_calendar_that_never_opens(void **state)
{
	(void)state;
	struct calendar *cal = CAL(.tz = "UTC", .hours = "mon 08:00-09:00", .holidays = "none",
	                           .closed = (const char *[]){"2025-01-01..2025-12-31"}, .n_closed = 1,
	                           .first_year = 2025, .last_year = 2025);
	assert_int_equal(calendar_interval_count(cal), 0);
	assert_int_equal(elapsed(cal, "2025-01-01T00:00:00Z", "2025-12-31T00:00:00Z"), 0);
	ls_time out;
	assert_int_equal(calendar_next_open(cal, T("2025-03-01T00:00:00Z"), &out, NULL), -ERANGE);
	assert_int_equal(calendar_add(cal, T("2025-03-01T00:00:00Z"), 0, &out, NULL), -ERANGE);
	assert_int_equal(calendar_add(cal, T("2025-03-01T00:00:00Z"), 1, &out, NULL), -ERANGE);
	calendar_free(cal);
}

static void test_extend_widens_the_range(void **state)
{
	(void)state;
	struct calendar *cal = CAL(.tz = "Europe/Berlin", .hours = "mon-fri 08:00-17:00", .holidays = "DE-SN",
	                           .first_year = 2025, .last_year = 2025);
	struct calendar *full = CAL(.tz = "Europe/Berlin", .hours = "mon-fri 08:00-17:00", .holidays = "DE-SN");
	ls_time out;
	assert_int_equal(calendar_add(cal, T("2025-12-31T16:00:00+01:00"), 2 * H, &out, NULL), -ERANGE);
	struct lserr e;
	assert_int_equal(calendar_extend(cal, 2024, 2026, &e), 0);
	assert_int_equal(calendar_extend(cal, 2025, 2025, &e), 0); /* inside: nothing to do */
	assert_int_equal(calendar_extend(cal, 2025, 2100, &e), -ERANGE);
	assert_string_equal(e.field, "year");
	assert_add(cal, "2025-12-31T16:00:00+01:00", 2 * H, "2026-01-02T09:00:00+01:00");
	ls_time lo, hi;
	calendar_range(cal, &lo, &hi);
	assert_true(lo == T("2024-01-01T00:00:00+01:00"));
	assert_true(hi == T("2027-01-01T00:00:00+01:00"));
	for (ls_time t = lo; t < hi - 40 * 86400; t += 7 * 86400 + 3601) {
		int64_t a, b;
		assert_int_equal(calendar_elapsed(cal, t, t + 30 * 86400, &a, NULL), 0);
		assert_int_equal(calendar_elapsed(full, t, t + 30 * 86400, &b, NULL), 0);
		assert_int_equal(a, b);
	}
	assert_string_equal(calendar_holidays_version(cal), holidays_data_version());
	assert_int_equal(calendar_region(cal), HOLIDAYS_DE_SN);
	calendar_free(cal);
	calendar_free(full);
}

static void test_minute_precision_frames(void **state)
{
	(void)state;
	struct calendar *cal =
	        CAL(.tz = "Asia/Kolkata", .hours = "mon-fri 08:07-08:09 23:59-24:00", .holidays = "none");
	assert_int_equal(elapsed(cal, "2025-06-02T00:00:00+05:30", "2025-06-03T00:00:00+05:30"), 180);
	assert_add(cal, "2025-06-02T08:08:00+05:30", 61, "2025-06-02T23:59:01+05:30");
	calendar_free(cal);
}

/* ---- properties ---- */

/* Slow reference: walks local days and intersects each frame with [from, to). */
static int64_t reference_elapsed(const struct tz *tz, const struct hours *h, enum holidays_region region, ls_time from,
                                 ls_time to)
{
	int64_t d0 = (from + tz_offset_at(tz, from)) / 86400 - 2, d1 = (to + tz_offset_at(tz, to)) / 86400 + 2;
	int64_t sum = 0;
	for (int64_t d = d0; d <= d1; d++) {
		int64_t y;
		unsigned m, dd;
		time_civil_from_days(d, &y, &m, &dd);
		struct holiday hol[HOLIDAYS_MAX_PER_YEAR];
		size_t nh;
		assert_int_equal(holidays_year(region, (int)y, hol, &nh, NULL), 0);
		bool closed = false;
		for (size_t i = 0; i < nh; i++)
			closed |= hol[i].day == d;
		if (closed)
			continue;
		unsigned wd = (unsigned)((d % 7 + 7 + 3) % 7);
		for (unsigned i = h->first[wd]; i < h->first[wd + 1]; i++) {
			ls_time s = tz_local_to_utc(tz, d * 86400 + h->f[i].start * 60),
			        e = tz_local_to_utc(tz, d * 86400 + h->f[i].end * 60);
			if (s < from)
				s = from;
			if (e > to)
				e = to;
			if (e > s)
				sum += e - s;
		}
	}
	return sum;
}

static void test_properties_against_reference(void **state)
{
	(void)state;
	static const struct {
		const char *tz, *hours, *holidays;
	} cals[] = {
	        {"Europe/Berlin", "mon-fri 08:00-17:00", "DE-NW"},
	        {"Europe/Berlin", "mon-fri 08:00-12:00 13:00-17:00; sat 09:00-13:00", "DE-BY-AUGSBURG"},
	        {"Europe/Berlin", "mon-sun 00:00-24:00", "none"},
	        {"Europe/Berlin", "mon-sun 00:00-24:00", "DE-BB"},
	        {"Europe/Berlin", "mon-fri 22:00-24:00; tue-sat 00:00-06:00", "DE-SN"},
	        {"Europe/Berlin", "sun 01:30-03:30 23:00-24:00; mon 00:00-01:00", "DE-TH"},
	        {"America/New_York", "mon-fri 07:00-19:00; sat-sun 01:00-03:00", "none"},
	        {"Australia/Sydney", "mon-fri 09:00-17:30", "DE-BE"},
	        {"America/Santiago", "sat 20:00-24:00; sun 00:00-02:00; wed 12:00-12:01", "none"},
	        {"Australia/Lord_Howe", "mon-sun 01:45-02:15", "DE-HB"},
	};
	struct rng rng;
	rng_seed(&rng, 20250328);
	for (size_t c = 0; c < ELEMENTSOF(cals); c++) {
		struct calendar *cal = CAL(.tz = cals[c].tz, .hours = cals[c].hours, .holidays = cals[c].holidays,
		                           .first_year = 2023, .last_year = 2028);
		struct hours h;
		assert_int_equal(hours_parse(cals[c].hours, &h, NULL), 0);
		const struct tz *tz = calendar_tz(cal);
		ls_time lo = T("2024-01-01T00:00:00Z"), span = T("2027-12-01T00:00:00Z") - lo;
		for (int i = 0; i < 3000; i++) {
			ls_time a = lo + (ls_time)rng_below(&rng, (uint64_t)span);
			ls_time b = a + (ls_time)rng_below(&rng, 40 * 86400);
			ls_time m = a + (ls_time)rng_below(&rng, (uint64_t)(b - a + 1));
			int64_t ab, am, mb;
			assert_int_equal(calendar_elapsed(cal, a, b, &ab, NULL), 0);
			assert_int_equal(calendar_elapsed(cal, a, m, &am, NULL), 0);
			assert_int_equal(calendar_elapsed(cal, m, b, &mb, NULL), 0);
			assert_int_equal(ab, am + mb); /* additive over a split point */
			if (i % 10 == 0) {
				int64_t ref = reference_elapsed(tz, &h, calendar_region(cal), a, b);
				if (ref != ab)
					fail_msg("%s '%s' [%lld, %lld): %lld, reference %lld", cals[c].tz,
					         cals[c].hours, (long long)a, (long long)b, (long long)ab,
					         (long long)ref);
			}
			int64_t s = (int64_t)rng_below(&rng, (uint64_t)(hours_weekly_minutes(&h) * 60 * 30));
			ls_time due, n, lo_r, hi_r;
			if (calendar_add(cal, a, s, &due, NULL) == -ERANGE) {
				/* only when the compiled years really hold less than s */
				int64_t rest;
				calendar_range(cal, &lo_r, &hi_r);
				assert_int_equal(calendar_elapsed(cal, a, hi_r, &rest, NULL), 0);
				assert_true(rest < s);
				continue;
			}
			int64_t back;
			assert_int_equal(calendar_elapsed(cal, a, due, &back, NULL), 0);
			if (back != s)
				fail_msg("%s '%s': elapsed(%lld, add(%lld)) = %lld", cals[c].tz, cals[c].hours,
				         (long long)a, (long long)s, (long long)back);
			assert_true(due >= a);
			assert_int_equal(calendar_next_open(cal, a, &n, NULL), 0);
			if (s > 0) { /* the earliest such instant */
				assert_true(due > n);
				assert_int_equal(calendar_elapsed(cal, a, due - 1, &back, NULL), 0);
				assert_int_equal(back, s - 1);
				assert_true(calendar_is_open(cal, due - 1));
			} else {
				assert_true(due == n);
			}
			/* is_open agrees with elapsed over one second */
			int64_t one;
			assert_int_equal(calendar_elapsed(cal, a, a + 1, &one, NULL), 0);
			assert_int_equal(one, calendar_is_open(cal, a) ? 1 : 0);
			/* next_close: open up to it, closed at it */
			ls_time cl;
			if (calendar_next_close(cal, a, &cl, NULL) == 0) {
				assert_true(cl > a);
				assert_true(calendar_is_open(cal, cl - 1));
				assert_false(calendar_is_open(cal, cl));
			}
		}
		calendar_free(cal);
	}
}

/* ---- threads ---- */

struct worker {
	const struct calendar *cal;
	uint64_t seed;
	int64_t sum;
};

static void *work(void *p)
{
	struct worker *w = p;
	struct rng rng;
	rng_seed(&rng, w->seed);
	ls_time lo = T("2025-01-01T00:00:00Z");
	for (int i = 0; i < 20000; i++) {
		ls_time a = lo + (ls_time)rng_below(&rng, 365 * 86400), due;
		int64_t s;
		if (calendar_add(w->cal, a, (int64_t)rng_below(&rng, 100 * H), &due, NULL) == 0 &&
		    calendar_elapsed(w->cal, a, due, &s, NULL) == 0)
			w->sum += s;
	}
	return NULL;
}

static void test_concurrent_readers_agree(void **state)
{
	(void)state;
	struct calendar *cal = CAL(.tz = "Europe/Berlin", .hours = "mon-fri 08:00-17:00", .holidays = "DE-NW");
	struct worker w[4], single[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){cal, (uint64_t)i + 1, 0};
		single[i] = w[i];
		assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		work(&single[i]);
		assert_int_equal(w[i].sum, single[i].sum);
	}
	calendar_free(cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_dst_example_from_domain_research),
	        cmocka_unit_test(test_holiday_example_from_domain_research),
	        cmocka_unit_test(test_servicenow_and_jira_examples),
	        cmocka_unit_test(test_time_running_out_at_frame_end_gives_frame_end),
	        cmocka_unit_test(test_add_zero_and_closed_starts),
	        cmocka_unit_test(test_next_open_and_next_close),
	        cmocka_unit_test(test_24x7_counts_real_seconds_on_dst_days),
	        cmocka_unit_test(test_frames_in_dst_gaps_and_overlaps),
	        cmocka_unit_test(test_dst_changes_in_business_hours_of_several_zones),
	        cmocka_unit_test(test_holiday_removes_whole_local_day_for_night_shifts),
	        cmocka_unit_test(test_holidays_on_weekends),
	        cmocka_unit_test(test_calendar_closed_for_weeks),
	        cmocka_unit_test(test_extra_open_days),
	        cmocka_unit_test(test_extra_days_at_the_edges_of_the_range),
	        cmocka_unit_test(test_compile_errors_name_the_field),
	        cmocka_unit_test(test_query_errors_name_the_field),
	        cmocka_unit_test(test_calendar_that_never_opens),
	        cmocka_unit_test(test_extend_widens_the_range),
	        cmocka_unit_test(test_minute_precision_frames),
	        cmocka_unit_test(test_properties_against_reference),
	        cmocka_unit_test(test_concurrent_readers_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
