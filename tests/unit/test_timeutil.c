/* Tests for core/timeutil.c: RFC 3339 formatting and parsing (round trips over
 * four centuries, offsets, fractional seconds, bare dates, leap years, invalid
 * calendar dates and malformed text) and the civil-date conversions against
 * values computed independently (Python's datetime). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "core/timeutil.h"

#define T_2026_11_27_0815 ((ls_time)1795767300)

static void test_format_known_instants(void **state)
{
	(void)state;
	char buf[32];
	assert_string_equal(time_format_rfc3339(0, buf, sizeof(buf)), "1970-01-01T00:00:00Z");
	assert_string_equal(time_format_rfc3339(T_2026_11_27_0815, buf, sizeof(buf)), "2026-11-27T08:15:00Z");
	assert_string_equal(time_format_rfc3339(-1, buf, sizeof(buf)), "1969-12-31T23:59:59Z");
	assert_string_equal(time_format_rfc3339(-86400, buf, sizeof(buf)), "1969-12-31T00:00:00Z");
	assert_string_equal(time_format_rfc3339(951782400, buf, sizeof(buf)), "2000-02-29T00:00:00Z");
	assert_string_equal(time_format_rfc3339(253402300799, buf, sizeof(buf)), "9999-12-31T23:59:59Z");
	/* returns buf and needs no more than 21 bytes */
	char small[21];
	assert_ptr_equal(time_format_rfc3339(T_2026_11_27_0815, small, sizeof(small)), small);
	assert_string_equal(small, "2026-11-27T08:15:00Z");
}

static void test_parse_utc_and_round_trip(void **state)
{
	(void)state;
	ls_time t = 0;
	assert_int_equal(time_parse_rfc3339("2026-11-27T08:15:00Z", &t), 0);
	assert_true(t == T_2026_11_27_0815);
	/* every 7919th minute from 1900 to 2300, both directions */
	for (ls_time x = -2208988800; x < 10413792000; x += 7919 * 60 + 13) {
		char buf[32];
		time_format_rfc3339(x, buf, sizeof(buf));
		ls_time y = 0;
		assert_int_equal(time_parse_rfc3339(buf, &y), 0);
		if (x != y)
			fail_msg("%s parsed as %lld, want %lld", buf, (long long)y, (long long)x);
	}
}

static void test_parse_applies_offsets(void **state)
{
	(void)state;
	ls_time t = 0;
	assert_int_equal(time_parse_rfc3339("2026-11-27T09:15:00+01:00", &t), 0);
	assert_true(t == T_2026_11_27_0815);
	assert_int_equal(time_parse_rfc3339("2026-11-27T02:45:00-05:30", &t), 0);
	assert_true(t == T_2026_11_27_0815);
	assert_int_equal(time_parse_rfc3339("2026-11-27T08:15:00+00:00", &t), 0);
	assert_true(t == T_2026_11_27_0815);
	assert_int_equal(time_parse_rfc3339("2026-11-28T08:14:00+23:59", &t), 0);
	assert_true(t == T_2026_11_27_0815);
	/* an offset crossing midnight and a year boundary */
	assert_int_equal(time_parse_rfc3339("2026-12-31T23:30:00-01:00", &t), 0);
	char buf[32];
	assert_string_equal(time_format_rfc3339(t, buf, sizeof(buf)), "2027-01-01T00:30:00Z");
}

static void test_parse_truncates_fractional_seconds(void **state)
{
	(void)state;
	ls_time t = 0;
	assert_int_equal(time_parse_rfc3339("2026-11-27T08:15:00.999999Z", &t), 0);
	assert_true(t == T_2026_11_27_0815);
	assert_int_equal(time_parse_rfc3339("2026-11-27T08:15:00.5+01:00", &t), 0);
	assert_true(t == T_2026_11_27_0815 - 3600);
	assert_int_equal(time_parse_rfc3339("2026-11-27T08:15:00.000000001Z", &t), 0);
	assert_true(t == T_2026_11_27_0815);
}

static void test_parse_bare_date_is_midnight_utc(void **state)
{
	(void)state;
	ls_time t = 1;
	assert_int_equal(time_parse_rfc3339("2026-11-27", &t), 0);
	assert_true(t == T_2026_11_27_0815 - (8 * 3600 + 15 * 60));
	assert_int_equal(time_parse_rfc3339("1970-01-01", &t), 0);
	assert_true(t == 0);
}

static void test_parse_accepts_lowercase_and_space_separator(void **state)
{
	(void)state;
	ls_time t = 0;
	assert_int_equal(time_parse_rfc3339("2026-11-27t08:15:00z", &t), 0);
	assert_true(t == T_2026_11_27_0815);
	assert_int_equal(time_parse_rfc3339("2026-11-27 08:15:00Z", &t), 0);
	assert_true(t == T_2026_11_27_0815);
}

static void test_parse_clamps_a_leap_second(void **state)
{
	(void)state;
	ls_time t = 0;
	assert_int_equal(time_parse_rfc3339("2016-12-31T23:59:60Z", &t), 0);
	char buf[32];
	assert_string_equal(time_format_rfc3339(t, buf, sizeof(buf)), "2016-12-31T23:59:59Z");
}

static void test_parse_knows_leap_years(void **state)
{
	(void)state;
	ls_time t = 0;
	assert_int_equal(time_parse_rfc3339("2024-02-29", &t), 0);
	assert_true(t == (ls_time)19782 * 86400);
	assert_int_equal(time_parse_rfc3339("2000-02-29T12:00:00Z", &t), 0); /* divisible by 400 */
	assert_int_equal(time_parse_rfc3339("2026-02-29", &t), -EINVAL);
	assert_int_equal(time_parse_rfc3339("1900-02-29", &t), -EINVAL); /* divisible by 100 only */
	assert_int_equal(time_parse_rfc3339("2100-02-29T00:00:00Z", &t), -EINVAL);
	assert_int_equal(time_parse_rfc3339("2026-02-28", &t), 0);
}

static void test_parse_rejects_invalid_dates_and_times(void **state)
{
	(void)state;
	static const char *const bad[] = {
	        "2026-02-30", "2026-04-31",           "2026-06-31",           "2026-09-31",
	        "2026-11-31", "2026-13-01",           "2026-00-10",           "2026-01-00",
	        "2026-01-32", "2026-11-27T24:00:00Z", "2026-11-27T23:60:00Z", "2026-11-27T23:59:61Z",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ls_time t = 42;
		if (time_parse_rfc3339(bad[i], &t) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(t == 42);
	}
}

static void test_parse_rejects_malformed_text(void **state)
{
	(void)state;
	static const char *const bad[] = {
	        "",
	        "2026",
	        "2026-1-1",
	        "2026/11/27",
	        "26-11-27",
	        "2026-11-27X",
	        "2026-11-27T",
	        "2026-11-27T08:15Z",
	        "2026-11-27T08:15:00",      /* no offset */
	        "2026-11-27T08:15:00+0100", /* offset without colon */
	        "2026-11-27T08:15:00+01",
	        "2026-11-27T08:15:00+24:00",
	        "2026-11-27T08:15:00+01:60",
	        "2026-11-27T08:15:00Zjunk",
	        "2026-11-27T08:15:00+01:00x",
	        "2026-11-27T08:15:00.Z",
	        "2026-11-27T8:15:00Z",
	        "2026-11-27T08-15-00Z",
	        "2026-11-27X08:15:00Z",
	        "2026-11-27T08:15:00 Z",
	        " 2026-11-27",
	        "2026-11-27 ",
	        "+2026-11-27",
	        "2026-11-2a",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ls_time t = 42;
		if (time_parse_rfc3339(bad[i], &t) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(t == 42);
	}
}

static void test_parse_refuses_instants_outside_years_0000_to_9999(void **state)
{
	(void)state;
	ls_time t = 42;
	assert_int_equal(time_parse_rfc3339("0000-01-01T00:00:00Z", &t), 0);
	assert_true(t == TIME_RFC3339_MIN);
	assert_int_equal(time_parse_rfc3339("9999-12-31T23:59:59Z", &t), 0);
	assert_true(t == TIME_RFC3339_MAX);
	t = 42;
	assert_int_equal(time_parse_rfc3339("0000-01-01T00:30:00+01:00", &t), -EINVAL);
	assert_int_equal(time_parse_rfc3339("9999-12-31T23:30:00-01:00", &t), -EINVAL);
	assert_true(t == 42);
	/* whatever parses formats back */
	assert_int_equal(time_parse_rfc3339("0000-01-01T01:30:00+01:00", &t), 0);
	char buf[32];
	assert_string_equal(time_format_rfc3339(t, buf, sizeof(buf)), "0000-01-01T00:30:00Z");
}

static void test_days_from_civil_matches_known_values(void **state)
{
	(void)state;
	assert_true(time_days_from_civil(1970, 1, 1) == 0);
	assert_true(time_days_from_civil(1970, 1, 2) == 1);
	assert_true(time_days_from_civil(1969, 12, 31) == -1);
	assert_true(time_days_from_civil(2000, 1, 1) == 10957);
	assert_true(time_days_from_civil(2000, 3, 1) == 11017);
	assert_true(time_days_from_civil(2024, 2, 29) == 19782);
	assert_true(time_days_from_civil(2026, 11, 27) == 20784);
	assert_true(time_days_from_civil(1600, 1, 1) == -135140);
	assert_true(time_days_from_civil(9999, 12, 31) == 2932896);
}

static void test_civil_from_days_inverts_days_from_civil(void **state)
{
	(void)state;
	static const unsigned dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t expect = time_days_from_civil(1599, 1, 1);
	for (int64_t y = 1599; y <= 2401; y++)
		for (unsigned m = 1; m <= 12; m++) {
			bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
			unsigned n = dim[m - 1] + (m == 2 && leap);
			for (unsigned d = 1; d <= n; d++) {
				int64_t z = time_days_from_civil(y, m, d);
				if (z != expect)
					fail_msg("%lld-%u-%u is day %lld, want %lld", (long long)y, m, d, (long long)z,
					         (long long)expect);
				int64_t yy;
				unsigned mm, dd;
				time_civil_from_days(z, &yy, &mm, &dd);
				assert_true(yy == y);
				assert_int_equal(mm, m);
				assert_int_equal(dd, d);
				expect++;
			}
		}
}

static void test_clocks_are_plausible(void **state)
{
	(void)state;
	assert_true(time_now() > (ls_time)1704067200); /* after 2024-01-01 */
	uint64_t a = time_mono_ns(), b = time_mono_ns();
	assert_true(b >= a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_format_known_instants),
	        cmocka_unit_test(test_parse_utc_and_round_trip),
	        cmocka_unit_test(test_parse_applies_offsets),
	        cmocka_unit_test(test_parse_truncates_fractional_seconds),
	        cmocka_unit_test(test_parse_bare_date_is_midnight_utc),
	        cmocka_unit_test(test_parse_accepts_lowercase_and_space_separator),
	        cmocka_unit_test(test_parse_clamps_a_leap_second),
	        cmocka_unit_test(test_parse_knows_leap_years),
	        cmocka_unit_test(test_parse_rejects_invalid_dates_and_times),
	        cmocka_unit_test(test_parse_rejects_malformed_text),
	        cmocka_unit_test(test_parse_refuses_instants_outside_years_0000_to_9999),
	        cmocka_unit_test(test_days_from_civil_matches_known_values),
	        cmocka_unit_test(test_civil_from_days_inverts_days_from_civil),
	        cmocka_unit_test(test_clocks_are_plausible),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
