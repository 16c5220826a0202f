/* Tests for core/parse.c: parse_i64 and parse_int reject empty input, spaces,
 * trailing junk and out-of-range values and leave *ret untouched on failure;
 * parse_listen splits host and port, including bracketed IPv6 literals; parse_double
 * takes plain decimals only (no spaces, hex, inf or nan) within inclusive bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "core/parse.h"

#define UNTOUCHED 0x5eed

static void test_i64_accepts_plain_and_signed_decimals(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int64_t v;
	} ok[] = {
	        {"0", 0},
	        {"7", 7},
	        {"-7", -7},
	        {"+7", 7},
	        {"007", 7},
	        {"-0", 0},
	        {"9223372036854775807", INT64_MAX},
	        {"-9223372036854775808", INT64_MIN},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int64_t v = UNTOUCHED;
		assert_int_equal(parse_i64(ok[i].s, INT64_MIN, INT64_MAX, &v), 0);
		assert_true(v == ok[i].v);
	}
}

static void test_i64_rejects_malformed_input_untouched(void **state)
{
	(void)state;
	static const char *const bad[] = {
	        "",    " ",  " 1", "1 ",   "\t1", "1\n", "+",  "-",     "--1",
	        "+-1", "1a", "a1", "0x10", "1.5", "1e3", "１", "1,000", "- 1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t v = UNTOUCHED;
		int r = parse_i64(bad[i], INT64_MIN, INT64_MAX, &v);
		if (r != -EINVAL)
			fail_msg("'%s' gave %d, want -EINVAL", bad[i], r);
		assert_true(v == UNTOUCHED);
	}
	int64_t v = UNTOUCHED;
	assert_int_equal(parse_i64(NULL, 0, 10, &v), -EINVAL);
	assert_true(v == UNTOUCHED);
}

static void test_i64_overflow_is_a_range_error(void **state)
{
	(void)state;
	int64_t v = UNTOUCHED;
	assert_int_equal(parse_i64("9223372036854775808", INT64_MIN, INT64_MAX, &v), -ERANGE);
	assert_int_equal(parse_i64("-9223372036854775809", INT64_MIN, INT64_MAX, &v), -ERANGE);
	assert_int_equal(parse_i64("99999999999999999999999", INT64_MIN, INT64_MAX, &v), -ERANGE);
	assert_true(v == UNTOUCHED);
}

static void test_i64_enforces_the_given_bounds_inclusively(void **state)
{
	(void)state;
	int64_t v = UNTOUCHED;
	assert_int_equal(parse_i64("10", 1, 10, &v), 0);
	assert_true(v == 10);
	assert_int_equal(parse_i64("1", 1, 10, &v), 0);
	assert_true(v == 1);
	v = UNTOUCHED;
	assert_int_equal(parse_i64("11", 1, 10, &v), -ERANGE);
	assert_int_equal(parse_i64("0", 1, 10, &v), -ERANGE);
	assert_int_equal(parse_i64("-5", 0, 10, &v), -ERANGE);
	assert_true(v == UNTOUCHED);
}

static void test_int_checks_bounds_and_int_range(void **state)
{
	(void)state;
	int v = UNTOUCHED;
	assert_int_equal(parse_int("2147483647", INT32_MIN, INT32_MAX, &v), 0);
	assert_int_equal(v, INT32_MAX);
	assert_int_equal(parse_int("-2147483648", INT32_MIN, INT32_MAX, &v), 0);
	assert_int_equal(v, INT32_MIN);
	v = UNTOUCHED;
	assert_int_equal(parse_int("2147483648", INT32_MIN, INT32_MAX, &v), -ERANGE);
	assert_int_equal(parse_int("-2147483649", INT32_MIN, INT32_MAX, &v), -ERANGE);
	assert_int_equal(parse_int("501", 1, 500, &v), -ERANGE);
	assert_int_equal(parse_int("", 1, 500, &v), -EINVAL);
	assert_int_equal(parse_int("50 ", 1, 500, &v), -EINVAL);
	assert_int_equal(v, UNTOUCHED);
	assert_int_equal(parse_int("500", 1, 500, &v), 0);
	assert_int_equal(v, 500);
}

static void test_listen_splits_ipv4_host_and_port(void **state)
{
	(void)state;
	char host[64] = "untouched";
	uint16_t port = 1;
	assert_int_equal(parse_listen("127.0.0.1:8080", host, sizeof(host), &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 8080);
	assert_int_equal(parse_listen("localhost:0", host, sizeof(host), &port), 0);
	assert_string_equal(host, "localhost");
	assert_int_equal(port, 0);
	assert_int_equal(parse_listen("0.0.0.0:65535", host, sizeof(host), &port), 0);
	assert_int_equal(port, 65535);
}

static void test_listen_accepts_bracketed_ipv6(void **state)
{
	(void)state;
	char host[64];
	uint16_t port = 1;
	assert_int_equal(parse_listen("[::1]:80", host, sizeof(host), &port), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 80);
	assert_int_equal(parse_listen("[fe80::1:2]:4431", host, sizeof(host), &port), 0);
	assert_string_equal(host, "fe80::1:2");
	assert_int_equal(port, 4431);
}

static void test_listen_rejects_bad_input_and_leaves_outputs(void **state)
{
	(void)state;
	static const char *const bad[] = {
	        "",           "8080",     ":8080",    "host:", "host:-1",
	        "host:65536", "host:80x", "host: 80", "[::1]", "host:99999999999",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char host[64] = "untouched";
		uint16_t port = 7;
		int r = parse_listen(bad[i], host, sizeof(host), &port);
		if (r >= 0)
			fail_msg("'%s' was accepted", bad[i]);
		assert_string_equal(host, "untouched");
		assert_int_equal(port, 7);
	}
}

static void test_listen_refuses_host_longer_than_buffer(void **state)
{
	(void)state;
	char host[10] = "untouched";
	uint16_t port = 7;
	assert_int_equal(parse_listen("a-very-long-hostname:80", host, sizeof(host), &port), -EINVAL);
	assert_string_equal(host, "untouched");
	/* 9 characters + NUL fit exactly */
	assert_int_equal(parse_listen("123456789:80", host, sizeof(host), &port), 0);
	assert_string_equal(host, "123456789");
	assert_int_equal(parse_listen("1234567890:80", host, sizeof(host), &port), -EINVAL);
}

static void test_double_accepts_plain_decimals_only(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		double v;
	} ok[] = {
	        {"0", 0.0},      {"180", 180.0},     {"-0.5", -0.5}, {"+2.25", 2.25},    {".25", 0.25},
	        {"1e3", 1000.0}, {"1.5E-3", 0.0015}, {"0.34", 0.34}, {"1e-320", 1e-320},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		double v = UNTOUCHED;
		assert_int_equal(parse_double(ok[i].s, -1e300, 1e300, &v), 0);
		assert_true(v == ok[i].v);
	}
	static const char *const bad[] = {"",     " 1", "1 ",    "abc", "0x10", "inf", "nan",
	                                  "-inf", "1e", "1.2.3", ".",   "-",    "1,5", "e5"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		double v = UNTOUCHED;
		if (parse_double(bad[i], -1e300, 1e300, &v) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(v == UNTOUCHED);
	}
	double v = UNTOUCHED;
	assert_int_equal(parse_double("1e400", -1e300, 1e300, &v), -ERANGE);
	assert_int_equal(parse_double("1.5", 0.0, 1.0, &v), -ERANGE);
	assert_int_equal(parse_double("-0.1", 0.0, 1.0, &v), -ERANGE);
	assert_true(v == UNTOUCHED);
	assert_int_equal(parse_double("1", 0.0, 1.0, &v), 0); /* bounds are inclusive */
	assert_true(v == 1.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_i64_accepts_plain_and_signed_decimals),
	        cmocka_unit_test(test_i64_rejects_malformed_input_untouched),
	        cmocka_unit_test(test_i64_overflow_is_a_range_error),
	        cmocka_unit_test(test_i64_enforces_the_given_bounds_inclusively),
	        cmocka_unit_test(test_int_checks_bounds_and_int_range),
	        cmocka_unit_test(test_listen_splits_ipv4_host_and_port),
	        cmocka_unit_test(test_listen_accepts_bracketed_ipv6),
	        cmocka_unit_test(test_listen_rejects_bad_input_and_leaves_outputs),
	        cmocka_unit_test(test_listen_refuses_host_longer_than_buffer),
	        cmocka_unit_test(test_double_accepts_plain_decimals_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
