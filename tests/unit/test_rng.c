/* Tests for core/rng.c: the generator is xoshiro256** seeded by splitmix64
 * (pinned against an independent implementation), equal seeds give equal
 * sequences, rng_below stays in bounds without bias, rng_weighted and rng_exp
 * follow their distributions. Everything is seeded: the tests are deterministic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "core/rng.h"

static void test_sequence_matches_reference_implementation(void **state)
{
	(void)state;
	/* computed with a straight Python transcription of splitmix64 + xoshiro256** */
	struct rng r;
	rng_seed(&r, 0);
	assert_true(rng_next(&r) == 0x99ec5f36cb75f2b4ull);
	assert_true(rng_next(&r) == 0xbf6e1f784956452aull);
	assert_true(rng_next(&r) == 0x1a5f849d4933e6e0ull);
	rng_seed(&r, 42);
	assert_true(rng_next(&r) == 0x15780b2e0c2ec716ull);
	assert_true(rng_next(&r) == 0x6104d9866d113a7eull);
	assert_true(rng_next(&r) == 0xae17533239e499a1ull);
}

static void test_same_seed_gives_same_sequence(void **state)
{
	(void)state;
	struct rng a, b, c;
	rng_seed(&a, 20261127);
	rng_seed(&b, 20261127);
	rng_seed(&c, 20261128);
	int differ = 0;
	for (int i = 0; i < 10000; i++) {
		uint64_t x = rng_next(&a);
		assert_true(x == rng_next(&b));
		differ += x != rng_next(&c);
	}
	assert_true(differ > 9990);
	/* re-seeding restarts the sequence */
	rng_seed(&a, 7);
	uint64_t first = rng_next(&a);
	rng_next(&a);
	rng_seed(&a, 7);
	assert_true(rng_next(&a) == first);
}

static void test_unit_is_in_half_open_interval(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 1);
	double sum = 0;
	for (int i = 0; i < 100000; i++) {
		double u = rng_unit(&r);
		assert_true(u >= 0.0 && u < 1.0);
		sum += u;
	}
	assert_true(fabs(sum / 100000 - 0.5) < 0.01);
}

static void test_below_stays_in_bounds(void **state)
{
	(void)state;
	static const uint64_t ns[] = {1, 2, 3, 7, 10, 1000, (1ull << 63) + 1, UINT64_MAX};
	struct rng r;
	rng_seed(&r, 99);
	for (size_t k = 0; k < sizeof(ns) / sizeof(ns[0]); k++)
		for (int i = 0; i < 20000; i++)
			assert_true(rng_below(&r, ns[k]) < ns[k]);
	for (int i = 0; i < 100; i++)
		assert_true(rng_below(&r, 1) == 0);
}

static void test_below_is_roughly_uniform(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 12345);
	unsigned count[6] = {0};
	for (int i = 0; i < 60000; i++)
		count[rng_below(&r, 6)]++;
	for (int i = 0; i < 6; i++)
		assert_in_range(count[i], 9500, 10500);
	/* with n about 2/3 of 2^64 plain modulo would put two thirds of the draws in
	 * the lower half of [0, n); without bias it is one half */
	const uint64_t n = UINT64_MAX / 3 * 2 + 1;
	unsigned lower = 0;
	for (int i = 0; i < 20000; i++)
		lower += rng_below(&r, n) < n / 2;
	assert_in_range(lower, 9600, 10400);
}

static void test_weighted_follows_weights(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 2026);
	const double w[] = {1, 2, 7};
	unsigned count[3] = {0};
	for (int i = 0; i < 100000; i++)
		count[rng_weighted(&r, w, 3)]++;
	assert_in_range(count[0], 9000, 11000);
	assert_in_range(count[1], 19000, 21000);
	assert_in_range(count[2], 69000, 71000);
}

static void test_weighted_never_picks_zero_weights(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 5);
	const double w[] = {0, 1.5, 0, 0.5, 0};
	unsigned count[5] = {0};
	for (int i = 0; i < 40000; i++)
		count[rng_weighted(&r, w, 5)]++;
	assert_int_equal(count[0], 0);
	assert_int_equal(count[2], 0);
	assert_int_equal(count[4], 0);
	assert_in_range(count[1], 29000, 31000);
	const double one[] = {3};
	assert_int_equal(rng_weighted(&r, one, 1), 0);
}

static void test_exp_has_the_requested_mean(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 77);
	double sum = 0;
	for (int i = 0; i < 100000; i++) {
		double x = rng_exp(&r, 30.0);
		assert_true(x >= 0.0 && isfinite(x));
		sum += x;
	}
	assert_true(fabs(sum / 100000 - 30.0) < 0.6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_sequence_matches_reference_implementation),
	        cmocka_unit_test(test_same_seed_gives_same_sequence),
	        cmocka_unit_test(test_unit_is_in_half_open_interval),
	        cmocka_unit_test(test_below_stays_in_bounds),
	        cmocka_unit_test(test_below_is_roughly_uniform),
	        cmocka_unit_test(test_weighted_follows_weights),
	        cmocka_unit_test(test_weighted_never_picks_zero_weights),
	        cmocka_unit_test(test_exp_has_the_requested_mean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
