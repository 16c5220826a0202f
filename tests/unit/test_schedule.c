/* Tests for calendar/schedule.c: the schedule syntax (forms, case, canonical text,
 * refusals naming the field), and the next run instant in Europe/Berlin across both
 * DST changes (a time in the spring-forward gap, an ambiguous time on the fall-back
 * day), the first working day after New Year and a weekend, with and without
 * holidays, and quarters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "calendar/schedule.h"

static struct tz *berlin(void)
{
	struct tz *tz = NULL;
	struct lserr e = {0};
	if (tz_load("Europe/Berlin", &tz, &e) < 0)
		fail_msg("tz_load: %s", e.message);
	return tz;
}

static ls_time at(const char *rfc3339)
{
	ls_time t;
	assert_int_equal(time_parse_rfc3339(rfc3339, &t), 0);
	return t;
}

/* next run of text after `after`, formatted as RFC 3339 UTC */
static void expect_next(const char *text, enum holidays_region reg, const char *after, const char *want)
{
	struct schedule sc;
	struct lserr e = {0};
	assert_int_equal(schedule_parse(text, &sc, &e), 0);
	struct tz *tz = berlin();
	ls_time t = 0;
	assert_int_equal(schedule_next(&sc, tz, reg, at(after), &t, &e), 0);
	char buf[40];
	time_format_rfc3339(t, buf, sizeof(buf));
	tz_free(tz);
	if (strcmp(buf, want) != 0)
		fail_msg("%s after %s: got %s, want %s", text, after, buf, want);
}

static void test_schedule_forms_parse_to_canonical_text(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
	        {"every monday 07:00", "every monday 07:00"},
	        {"Every  SUNDAY 23:59", "every sunday 23:59"},
	        {"first working day 07:00", "first working day of month 07:00"},
	        {"first working day of month 00:00", "first working day of month 00:00"},
	        {"First Working Day Of Quarter 07:30", "first working day of quarter 07:30"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct schedule sc;
		struct lserr e = {0};
		assert_int_equal(schedule_parse(cases[i][0], &sc, &e), 0);
		char buf[SCHEDULE_MAX_BYTES];
		assert_string_equal(schedule_format(&sc, buf, sizeof(buf)), cases[i][1]);
	}
}

static void test_schedule_refuses_other_text_naming_the_field(void **state)
{
	(void)state;
	static const char *const bad[] = {"",
	                                  "every",
	                                  "every monday",
	                                  "every monday 7:00",
	                                  "every monday 24:00",
	                                  "every monday 07:60",
	                                  "every funday 07:00",
	                                  "every monday 07:00 now",
	                                  "first working day",
	                                  "first working day of year 07:00",
	                                  "first working day of quarter",
	                                  "daily 07:00",
	                                  "every monday 07:00:00"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct schedule sc = {.minute = 99};
		struct lserr e = {0};
		assert_int_equal(schedule_parse(bad[i], &sc, &e), -EINVAL);
		assert_string_equal(e.field, "schedule");
		assert_int_equal(sc.minute, 99);
	}
}

static void test_weekly_run_is_strictly_after_the_instant(void **state)
{
	(void)state;
	/* Monday 2026-03-23 07:00 CET is 06:00Z */
	expect_next("every monday 07:00", HOLIDAYS_DE, "2026-03-23T05:59:59Z", "2026-03-23T06:00:00Z");
	expect_next("every monday 07:00", HOLIDAYS_DE, "2026-03-20T12:00:00Z", "2026-03-23T06:00:00Z");
}

static void test_weekly_run_keeps_wall_clock_time_across_dst_changes(void **state)
{
	(void)state;
	/* summer time starts on 2026-03-29: 07:00 is 05:00Z from then on */
	expect_next("every monday 07:00", HOLIDAYS_DE, "2026-03-23T06:00:00Z", "2026-03-30T05:00:00Z");
	/* and ends on 2026-10-25: 07:00 is 06:00Z again */
	expect_next("every monday 07:00", HOLIDAYS_DE, "2026-10-19T05:00:00Z", "2026-10-26T06:00:00Z");
}

static void test_time_in_the_spring_gap_runs_at_the_end_of_the_gap(void **state)
{
	(void)state;
	/* 02:30 does not exist on 2026-03-29: the run is at 03:00 CEST = 01:00Z */
	expect_next("every sunday 02:30", HOLIDAYS_DE, "2026-03-28T00:00:00Z", "2026-03-29T01:00:00Z");
	expect_next("every sunday 02:30", HOLIDAYS_DE, "2026-03-29T01:00:00Z", "2026-04-05T00:30:00Z");
}

static void test_ambiguous_time_on_fall_back_day_runs_once(void **state)
{
	(void)state;
	/* 02:30 happens twice on 2026-10-25: the first (CEST, 00:30Z) only */
	expect_next("every sunday 02:30", HOLIDAYS_DE, "2026-10-24T00:00:00Z", "2026-10-25T00:30:00Z");
	expect_next("every sunday 02:30", HOLIDAYS_DE, "2026-10-25T00:30:00Z", "2026-11-01T01:30:00Z");
}

static void test_first_working_day_skips_new_year_and_the_weekend(void **state)
{
	(void)state;
	/* 2027-01-01 is a Friday and a holiday, 2 and 3 January a weekend: Monday the 4th */
	expect_next("first working day 07:00", HOLIDAYS_DE, "2026-12-15T00:00:00Z", "2027-01-04T06:00:00Z");
	/* without holidays the Friday counts */
	expect_next("first working day 07:00", HOLIDAYS_NONE, "2026-12-15T00:00:00Z", "2027-01-01T06:00:00Z");
	/* 2026-08-01 is a Saturday: Monday the 3rd, in summer time */
	expect_next("first working day 07:00", HOLIDAYS_DE, "2026-07-15T00:00:00Z", "2026-08-03T05:00:00Z");
	/* a run on the day itself, before and after its time */
	expect_next("first working day 07:00", HOLIDAYS_DE, "2026-08-03T04:00:00Z", "2026-08-03T05:00:00Z");
	expect_next("first working day 07:00", HOLIDAYS_DE, "2026-08-03T05:00:00Z", "2026-09-01T05:00:00Z");
}

static void test_first_working_day_uses_the_region(void **state)
{
	(void)state;
	/* 2021-11-01 is a Monday and All Saints' Day: a holiday in Bavaria, not in Berlin */
	expect_next("first working day 07:00", HOLIDAYS_DE_BY, "2021-10-15T00:00:00Z", "2021-11-02T06:00:00Z");
	expect_next("first working day 07:00", HOLIDAYS_DE_BE, "2021-10-15T00:00:00Z", "2021-11-01T06:00:00Z");
}

static void test_first_working_day_of_quarter(void **state)
{
	(void)state;
	expect_next("first working day of quarter 07:00", HOLIDAYS_DE, "2026-01-10T00:00:00Z", "2026-04-01T05:00:00Z");
	expect_next("first working day of quarter 07:00", HOLIDAYS_DE, "2026-04-01T05:00:00Z", "2026-07-01T05:00:00Z");
	/* 2026-10-01 is a Thursday, then January 2027 after New Year */
	expect_next("first working day of quarter 07:00", HOLIDAYS_DE, "2026-07-01T05:00:00Z", "2026-10-01T05:00:00Z");
	expect_next("first working day of quarter 07:00", HOLIDAYS_DE, "2026-10-01T05:00:00Z", "2027-01-04T06:00:00Z");
}

static void test_weekday_of_day_numbers(void **state)
{
	(void)state;
	assert_int_equal(schedule_weekday(0), 3);                                  /* 1970-01-01 Thursday */
	assert_int_equal(schedule_weekday(-1), 2);                                 /* 1969-12-31 Wednesday */
	assert_int_equal(schedule_weekday(time_days_from_civil(2026, 11, 23)), 0); /* a Monday */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_schedule_forms_parse_to_canonical_text),
	        cmocka_unit_test(test_schedule_refuses_other_text_naming_the_field),
	        cmocka_unit_test(test_weekly_run_is_strictly_after_the_instant),
	        cmocka_unit_test(test_weekly_run_keeps_wall_clock_time_across_dst_changes),
	        cmocka_unit_test(test_time_in_the_spring_gap_runs_at_the_end_of_the_gap),
	        cmocka_unit_test(test_ambiguous_time_on_fall_back_day_runs_once),
	        cmocka_unit_test(test_first_working_day_skips_new_year_and_the_weekend),
	        cmocka_unit_test(test_first_working_day_uses_the_region),
	        cmocka_unit_test(test_first_working_day_of_quarter),
	        cmocka_unit_test(test_weekday_of_day_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
