/* Tests for importers/value.c: missing markers of the real sets, leading codes,
 * decimal commas, booleans, and timestamps in every shape of the real sets (d/m/Y
 * H:MM, dd/mm/yyyy HH:MM:SS, d-m-yyyy, yyyy-mm-dd, yyyy/m/d, ISO 8601 with offset),
 * zone-less stamps in a named zone (--tz) including the DST gap, and rejections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "importers/value.h"

static ls_time utc(int y, unsigned m, unsigned d, int hh, int mm, int ss)
{
	return time_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

static void test_missing_markers(void **state)
{
	(void)state;
	assert_true(value_is_missing(NULL));
	assert_true(value_is_missing(""));
	assert_true(value_is_missing("?"));
	assert_true(value_is_missing("#N/B"));
	assert_true(value_is_missing("#N/A"));
	assert_true(value_is_missing("#MULTIVALUE"));
	assert_false(value_is_missing("??"));
	assert_false(value_is_missing("0"));
	assert_false(value_is_missing(" "));
	assert_null(value_or_null("?"));
	assert_string_equal(value_or_null("Group 1"), "Group 1");
}

static void test_ints_with_labels(void **state)
{
	(void)state;
	int x = -1;
	assert_int_equal(value_int("3 - Moderate", true, 1, 5, &x), 0);
	assert_int_equal(x, 3);
	assert_int_equal(value_int("2-High", true, 1, 5, &x), 0);
	assert_int_equal(x, 2);
	assert_int_equal(value_int("3 - Moderate", false, 1, 5, &x), -EINVAL);
	assert_int_equal(value_int("7 - Extreme", true, 1, 5, &x), -ERANGE);
	assert_int_equal(value_int("?", true, 1, 5, &x), -ENODATA);
	assert_int_equal(value_int("High", true, 1, 5, &x), -EINVAL);
	assert_int_equal(value_int("12x", false, 0, 100, &x), -EINVAL);
	assert_int_equal(x, 2);
}

static void test_decimal_comma_and_point(void **state)
{
	(void)state;
	double d = 0;
	assert_int_equal(value_double("3871,691111", 0, 1e9, &d), 0);
	assert_true(fabs(d - 3871.691111) < 1e-9);
	assert_int_equal(value_double("2.5", 0, 10, &d), 0);
	assert_true(d == 2.5);
	assert_int_equal(value_double("1,234,5", 0, 1e9, &d), -EINVAL);
	assert_int_equal(value_double("#N/B", 0, 10, &d), -ENODATA);
	assert_int_equal(value_double("", 0, 10, &d), -ENODATA);
	assert_int_equal(value_double("abc", 0, 10, &d), -EINVAL);
}

static void test_booleans(void **state)
{
	(void)state;
	bool b = false;
	assert_int_equal(value_bool("true", &b), 0);
	assert_true(b);
	assert_int_equal(value_bool("N", &b), 0);
	assert_false(b);
	assert_int_equal(value_bool("Y", &b), 0);
	assert_true(b);
	assert_int_equal(value_bool("maybe", &b), -EINVAL);
	assert_int_equal(value_bool("?", &b), -ENODATA);
}

static void test_timestamps_of_the_real_sets(void **state)
{
	(void)state;
	ls_time t = 0;
	assert_int_equal(value_time("29/2/2016 01:16", VALUE_DMY, NULL, &t), 0); /* UCI */
	assert_int_equal(t, utc(2016, 2, 29, 1, 16, 0));
	assert_int_equal(value_time("05/02/2012 13:32:57", VALUE_DMY, NULL, &t), 0); /* BPI 2014 incident */
	assert_int_equal(t, utc(2012, 2, 5, 13, 32, 57));
	assert_int_equal(value_time("9-9-2011 9:23", VALUE_DMY, NULL, &t), 0); /* BPI 2014 interaction */
	assert_int_equal(t, utc(2011, 9, 9, 9, 23, 0));
	assert_int_equal(value_time("2013-10-04 10:59:40", VALUE_DMY, NULL, &t), 0); /* activity log */
	assert_int_equal(t, utc(2013, 10, 4, 10, 59, 40));
	assert_int_equal(value_time("2012/10/9 14:50:17", VALUE_DMY, NULL, &t), 0); /* helpdesk */
	assert_int_equal(t, utc(2012, 10, 9, 14, 50, 17));
	assert_int_equal(value_time("2010-03-31T15:59:42+01:00", VALUE_DMY, NULL, &t), 0); /* BPI 2013 */
	assert_int_equal(t, utc(2010, 3, 31, 14, 59, 42));
	assert_int_equal(value_time("2010-03-31T15:59:42.123Z", VALUE_DMY, NULL, &t), 0);
	assert_int_equal(t, utc(2010, 3, 31, 15, 59, 42));
	assert_int_equal(value_time("2010-03-31 15:59:42 -0230", VALUE_DMY, NULL, &t), 0);
	assert_int_equal(t, utc(2010, 3, 31, 18, 29, 42));
	assert_int_equal(value_time("31.12.2024", VALUE_DMY, NULL, &t), 0);
	assert_int_equal(t, utc(2024, 12, 31, 0, 0, 0));
	assert_int_equal(value_time("3/5/2016 10:00", VALUE_MDY, NULL, &t), 0);
	assert_int_equal(t, utc(2016, 3, 5, 10, 0, 0));
}

static void test_zoneless_stamps_use_the_named_zone(void **state)
{
	(void)state;
	struct tz *tz = NULL;
	struct lserr e;
	if (tz_load("Europe/Berlin", &tz, &e) < 0)
		skip();
	ls_time t = 0;
	assert_int_equal(value_time("1/3/2016 09:00", VALUE_DMY, tz, &t), 0); /* CET */
	assert_int_equal(t, utc(2016, 3, 1, 8, 0, 0));
	assert_int_equal(value_time("1/7/2016 09:00", VALUE_DMY, tz, &t), 0); /* CEST */
	assert_int_equal(t, utc(2016, 7, 1, 7, 0, 0));
	assert_int_equal(value_time("27/3/2016 02:30", VALUE_DMY, tz, &t), 0); /* in the gap: moved past it */
	assert_int_equal(t, utc(2016, 3, 27, 1, 0, 0));
	/* an explicit offset wins over the zone */
	assert_int_equal(value_time("2016-07-01T09:00:00+00:00", VALUE_DMY, tz, &t), 0);
	assert_int_equal(t, utc(2016, 7, 1, 9, 0, 0));
	tz_free(tz);
}

static void test_bad_timestamps_are_rejected(void **state)
{
	(void)state;
	ls_time t = 42;
	assert_int_equal(value_time("?", VALUE_DMY, NULL, &t), -ENODATA);
	assert_int_equal(value_time("30/2/2016 10:00", VALUE_DMY, NULL, &t), -ERANGE);
	assert_int_equal(value_time("1/13/2016", VALUE_DMY, NULL, &t), -ERANGE);
	assert_int_equal(value_time("1/3/2016 24:00", VALUE_DMY, NULL, &t), -ERANGE);
	assert_int_equal(value_time("1/3/16 10:00", VALUE_DMY, NULL, &t), -EINVAL);
	assert_int_equal(value_time("1/3-2016", VALUE_DMY, NULL, &t), -EINVAL);
	assert_int_equal(value_time("2016-03-01 10:00 junk", VALUE_DMY, NULL, &t), -EINVAL);
	assert_int_equal(value_time("2016-03-01T10", VALUE_DMY, NULL, &t), -EINVAL);
	assert_int_equal(value_time("20160301", VALUE_DMY, NULL, &t), -EINVAL);
	assert_int_equal(t, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_missing_markers),
	        cmocka_unit_test(test_ints_with_labels),
	        cmocka_unit_test(test_decimal_comma_and_point),
	        cmocka_unit_test(test_booleans),
	        cmocka_unit_test(test_timestamps_of_the_real_sets),
	        cmocka_unit_test(test_zoneless_stamps_use_the_named_zone),
	        cmocka_unit_test(test_bad_timestamps_are_rejected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
