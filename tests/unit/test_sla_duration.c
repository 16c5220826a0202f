/* Tests for sla/duration.c: the "90s", "30m", "4h", "1h30m" syntax, what it refuses
 * (days, spaces, signs, fractions, wrong unit order, repeated units), the limit, the
 * hint for days, and canonical formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "core/limits.h"
#include "sla/duration.h"

static int64_t ok(const char *s)
{
	int64_t v = -1;
	struct lserr e;
	lserr_clear(&e);
	if (duration_parse(s, "d", &v, &e) < 0)
		fail_msg("duration_parse(%s): %s", s, e.message);
	return v;
}

static void test_units_and_combinations(void **state)
{
	(void)state;
	assert_int_equal(ok("90s"), 90);
	assert_int_equal(ok("30m"), 1800);
	assert_int_equal(ok("4h"), 14400);
	assert_int_equal(ok("1h30m"), 5400);
	assert_int_equal(ok("2h15m30s"), 8130);
	assert_int_equal(ok("1h5s"), 3605);
	assert_int_equal(ok("0s"), 0);
	assert_int_equal(ok("90m"), 5400);
	assert_int_equal(ok("0001h"), 3600);
}

static void test_refuses_everything_else(void **state)
{
	(void)state;
	static const char *bad[] = {"",     "h",    "1",     "1.5h", "-1h", "+1h",  "1 h",  " 1h", "1h ", "1H",
	                            "1m1h", "1h1h", "1s30m", "1hh",  "4x",  "1h30", "h30m", "1d",  "2w",  "P1D"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t v = 77;
		struct lserr e;
		lserr_clear(&e);
		if (duration_parse(bad[i], "resolution", &v, &e) != -EINVAL)
			fail_msg("'%s' should be refused", bad[i]);
		assert_int_equal(v, 77); /* untouched */
		assert_string_equal(e.field, "resolution");
	}
}

static void test_days_get_a_hint_naming_the_ambiguity(void **state)
{
	(void)state;
	int64_t v;
	struct lserr e;
	lserr_clear(&e);
	assert_int_equal(duration_parse("1d", "targets.P2.resolution", &v, &e), -EINVAL);
	assert_non_null(strstr(e.message, "targets.P2.resolution: '1d' is not a duration"));
	assert_non_null(strstr(e.hint, "24 business hours"));
}

static void test_limit_and_overflow(void **state)
{
	(void)state;
	int64_t v;
	assert_int_equal(ok("87600h"), LS_MAX_SLA_SECONDS);
	assert_int_equal(duration_parse("87600h1s", "x", &v, NULL), -ERANGE);
	assert_int_equal(duration_parse("99999999999999999999999h", "x", &v, NULL), -ERANGE);
	assert_int_equal(duration_parse("315360001s", "x", &v, NULL), -ERANGE);
}

static void test_format_is_canonical(void **state)
{
	(void)state;
	char buf[DURATION_TEXT_MAX];
	assert_string_equal(duration_format(0, buf, sizeof(buf)), "0s");
	assert_string_equal(duration_format(45, buf, sizeof(buf)), "45s");
	assert_string_equal(duration_format(5400, buf, sizeof(buf)), "1h30m");
	assert_string_equal(duration_format(8130, buf, sizeof(buf)), "2h15m30s");
	assert_string_equal(duration_format(3605, buf, sizeof(buf)), "1h5s");
	assert_string_equal(duration_format(LS_MAX_SLA_SECONDS, buf, sizeof(buf)), "87600h");
	assert_int_equal(ok(duration_format(8130, buf, sizeof(buf))), 8130);
	char small[4];
	assert_string_equal(duration_format(8130, small, sizeof(small)), "2h1"); /* truncated, terminated */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_units_and_combinations),
	        cmocka_unit_test(test_refuses_everything_else),
	        cmocka_unit_test(test_days_get_a_hint_naming_the_ambiguity),
	        cmocka_unit_test(test_limit_and_overflow),
	        cmocka_unit_test(test_format_is_canonical),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
