/* Tests for wfm/staffing.c: one voice interval as the CLI and the API will ask for it
 * (the published example with shrinkage and occupancy cap, Erlang A, load 0, max ASA,
 * min agents); scheduled heads with the guarded ceiling against exact integer
 * arithmetic; validation naming the field; per-interval plans for voice and for
 * deferred work (response windows shorter than, equal to and longer than an interval,
 * rounding carried over, backlog at the horizon, minimality of every interval). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "core/rng.h"
#include "wfm/erlang.h"
#include "wfm/staffing.h"

#define assert_near(got, want, tol)                                                                                    \
	do {                                                                                                           \
		double g_ = (got), w_ = (want);                                                                        \
		if (!(fabs(g_ - w_) <= (tol)))                                                                         \
			fail_msg("%s = %.17g, want %.17g (tolerance %g)", #got, g_, w_, (double)(tol));                \
	} while (0)

static struct staffing_input voice(double calls, double interval, double aht, double target, double answer)
{
	struct staffing_input in;
	staffing_input_init(&in);
	in.contacts = calls;
	in.interval = interval;
	in.aht = aht;
	in.target = target;
	in.answer_time = answer;
	return in;
}

static struct staffing_input deferred(double contacts, double interval, double aht, double response)
{
	struct staffing_input in;
	staffing_input_init(&in);
	in.channel = STAFFING_DEFERRED;
	in.contacts = contacts;
	in.interval = interval;
	in.aht = aht;
	in.response_time = response;
	return in;
}

static struct staffing_result voice_ok(const struct staffing_input *in)
{
	struct staffing_result r;
	struct lserr e;
	lserr_clear(&e);
	if (staffing_voice(in, &r, &e) < 0)
		fail_msg("staffing_voice: %s", e.message);
	return r;
}

static void expect_error(const struct staffing_input *in, int rc, const char *code, const char *field)
{
	struct staffing_result r = {.agents = 4711};
	struct lserr e;
	lserr_clear(&e);
	int got = staffing_voice(in, &r, &e);
	if (got != rc)
		fail_msg("staffing_voice = %d (%s), want %d", got, e.message, rc);
	assert_string_equal(e.code, code);
	assert_string_equal(e.field, field);
	assert_true(e.message[0] != '\0');
	assert_int_equal(r.agents, 4711);
}

/* The exact CLI example: 100 calls / 1800 s, AHT 180 s, 80 % in 20 s, 30 % shrinkage,
 * occupancy <= 0.85. */
static void test_cli_example_gives_14_agents_20_scheduled(void **state)
{
	(void)state;
	struct staffing_input in = voice(100, 1800, 180, 0.8, 20);
	in.shrinkage = 0.3;
	in.max_occupancy = 0.85;
	struct staffing_result r = voice_ok(&in);
	assert_true(r.load == 10.0);
	assert_int_equal(r.agents, 14);
	assert_int_equal(r.scheduled, 20);
	assert_false(r.erlang_a);
	assert_int_equal(r.channel, STAFFING_VOICE);
	assert_near(r.service_level, 0.88835001917946688, 1e-15);
	assert_near(r.prob_wait, 0.17413193359504984, 1e-15);
	assert_near(r.asa, 7.8359370117772429, 1e-13);
	assert_true(r.occupancy == 10.0 / 14.0);
	assert_near(r.prob_abandon, 0.0, 0);
	/* without shrinkage, scheduled = agents */
	in.shrinkage = 0.0;
	assert_int_equal(voice_ok(&in).scheduled, 14);
	/* max occupancy 0.7 (pyworkforce): 15 agents, 22 positions at 30 % */
	in.shrinkage = 0.3;
	in.max_occupancy = 0.7;
	r = voice_ok(&in);
	assert_int_equal(r.agents, 15);
	assert_int_equal(r.scheduled, 22);
}

static void test_patience_selects_erlang_a(void **state)
{
	(void)state;
	struct staffing_input in = voice(100, 1800, 180, 0.8, 20);
	in.shrinkage = 0.3;
	in.max_occupancy = 0.85;
	in.patience = 300;
	in.max_abandon = 0.05;
	struct staffing_result r = voice_ok(&in);
	assert_true(r.erlang_a);
	assert_int_equal(r.agents, 13);
	assert_int_equal(r.scheduled, 19);
	assert_near(r.prob_abandon, 0.025, 5e-4);
	/* an abandonment cap can bind */
	in.max_abandon = 0.01;
	r = voice_ok(&in);
	assert_true(r.prob_abandon <= 0.01);
	struct erlang_metrics below;
	struct erlang_params p = {.load = 10, .aht = 180, .answer_time = 20, .patience = 300};
	assert_int_equal(erlang_eval(&p, r.agents - 1, &below), 0);
	assert_true(below.prob_abandon > 0.01);
}

static void test_max_asa_and_min_agents_bind(void **state)
{
	(void)state;
	struct staffing_input in = voice(100, 1800, 180, 0.8, 20);
	in.max_asa = 5.0;
	assert_int_equal(voice_ok(&in).agents, 15);
	in.max_asa = INFINITY;
	in.min_agents = 18;
	struct staffing_result r = voice_ok(&in);
	assert_int_equal(r.agents, 18);
	assert_true(r.occupancy == 10.0 / 18.0);
}

static void test_no_contacts_no_agents(void **state)
{
	(void)state;
	struct staffing_input in = voice(0, 1800, 180, 0.8, 20);
	in.shrinkage = 0.3;
	struct staffing_result r = voice_ok(&in);
	assert_true(r.load == 0.0);
	assert_int_equal(r.agents, 0);
	assert_int_equal(r.scheduled, 0);
	assert_near(r.service_level, 1.0, 0);
	in.min_agents = 1; /* an open queue keeps one agent */
	r = voice_ok(&in);
	assert_int_equal(r.agents, 1);
	assert_int_equal(r.scheduled, 2);
}

/* ceil(agents / (1 - s)) for s = k/100 and k/1000, against exact integer arithmetic. */
static void test_scheduled_heads_match_exact_arithmetic(void **state)
{
	(void)state;
	int heads;
	assert_int_equal(staffing_scheduled(66, 0.34, &heads), 0);
	assert_int_equal(heads, 100); /* 66 / 0.66 is 100.00000000000001 in doubles */
	assert_int_equal(staffing_scheduled(14, 0.3, &heads), 0);
	assert_int_equal(heads, 20);
	assert_int_equal(staffing_scheduled(0, 0.3, &heads), 0);
	assert_int_equal(heads, 0);
	for (long k = 0; k < 100; k++)
		for (long a = 1; a <= 2000; a++) {
			assert_int_equal(staffing_scheduled((int)a, (double)k / 100.0, &heads), 0);
			long want = (a * 100 + (100 - k) - 1) / (100 - k);
			if (heads != want)
				fail_msg("%ld agents at shrinkage %ld %%: %d heads, want %ld", a, k, heads, want);
		}
	for (long k = 0; k < 1000; k += 7)
		for (long a = 1; a <= 500; a++) {
			assert_int_equal(staffing_scheduled((int)a, (double)k / 1000.0, &heads), 0);
			assert_int_equal(heads, (a * 1000 + (1000 - k) - 1) / (1000 - k));
		}
	heads = 4711;
	assert_int_equal(staffing_scheduled(5, 1.0, &heads), -EINVAL);
	assert_int_equal(staffing_scheduled(5, -0.1, &heads), -EINVAL);
	assert_int_equal(staffing_scheduled(-1, 0.1, &heads), -EINVAL);
	assert_int_equal(staffing_scheduled(100000, 0.99999999, &heads), -ERANGE);
	assert_int_equal(heads, 4711);
}

static void test_invalid_input_names_the_field(void **state)
{
	(void)state;
	struct staffing_input in = voice(100, 1800, 180, 0.8, 20);
	in.contacts = NAN;
	expect_error(&in, -EINVAL, "missing_field", "contacts");
	in = voice(-1, 1800, 180, 0.8, 20);
	expect_error(&in, -EINVAL, "invalid_field", "contacts");
	in = voice(100, 0, 180, 0.8, 20);
	expect_error(&in, -EINVAL, "invalid_field", "interval");
	in = voice(100, 1800, 0, 0.8, 20);
	expect_error(&in, -EINVAL, "invalid_field", "aht");
	in = voice(100, 1800, INFINITY, 0.8, 20);
	expect_error(&in, -EINVAL, "invalid_field", "aht");
	in = voice(100, 1800, 180, NAN, 20);
	expect_error(&in, -EINVAL, "missing_field", "target");
	in = voice(100, 1800, 180, 1.2, 20);
	expect_error(&in, -EINVAL, "invalid_field", "target");
	in = voice(100, 1800, 180, 0.8, -1);
	expect_error(&in, -EINVAL, "invalid_field", "answer_time");
	in = voice(100, 1800, 180, 0.8, 20);
	in.shrinkage = 1.0;
	expect_error(&in, -EINVAL, "invalid_field", "shrinkage");
	in.shrinkage = 0.0;
	in.max_occupancy = 0.0;
	expect_error(&in, -EINVAL, "invalid_field", "max_occupancy");
	in.max_occupancy = 1.01;
	expect_error(&in, -EINVAL, "invalid_field", "max_occupancy");
	in.max_occupancy = 1.0;
	in.max_asa = 0.0;
	expect_error(&in, -EINVAL, "invalid_field", "max_asa");
	in.max_asa = INFINITY;
	in.patience = -3;
	expect_error(&in, -EINVAL, "invalid_field", "patience");
	in.patience = 1e15;
	expect_error(&in, -EINVAL, "invalid_field", "patience");
	in.patience = 0;
	in.max_abandon = 2;
	expect_error(&in, -EINVAL, "invalid_field", "max_abandon");
	in.max_abandon = 1;
	in.min_agents = -1;
	expect_error(&in, -EINVAL, "invalid_field", "min_agents");
	in.min_agents = 0;
	in.channel = STAFFING_DEFERRED;
	expect_error(&in, -EINVAL, "missing_field", "response_time");
	in.response_time = 3600;
	expect_error(&in, -EINVAL, "invalid_field", "channel"); /* staffing_voice is for voice */
}

/* A 100 % service level is unreachable: a clear error with a hint, not a long search. */
static void test_target_one_is_refused_with_a_hint(void **state)
{
	(void)state;
	struct staffing_input in = voice(100, 1800, 180, 1.0, 20);
	struct staffing_result r;
	struct lserr e;
	lserr_clear(&e);
	assert_int_equal(staffing_voice(&in, &r, &e), -EINVAL);
	assert_string_equal(e.field, "target");
	assert_non_null(strstr(e.message, "cannot be met"));
	assert_non_null(strstr(e.hint, "0.99"));
	/* just below 1 is reachable */
	in.target = 0.999999;
	r = voice_ok(&in);
	assert_true(r.service_level >= 0.999999 - 1e-12);
}

static void test_loads_beyond_the_limit_are_range_errors(void **state)
{
	(void)state;
	struct staffing_input in = voice(1e9, 1800, 180, 0.8, 20);
	expect_error(&in, -ERANGE, "invalid_field", "contacts");
	in = voice(100, 1800, 180, 0.8, 20);
	in.max_asa = 1e-300;
	in.contacts = 99990.0 * 1800.0 / 180.0;
	expect_error(&in, -ERANGE, "invalid_field", "target");
}

static void test_plan_of_voice_intervals_is_per_interval(void **state)
{
	(void)state;
	struct staffing_input rows[4] = {voice(100, 1800, 180, 0.8, 20), voice(0, 1800, 180, 0.8, 20),
	                                 voice(250, 1800, 200, 0.8, 20), voice(40, 900, 240, 0.9, 15)};
	struct staffing_result out[4];
	struct lserr e;
	lserr_clear(&e);
	assert_int_equal(staffing_plan(rows, 4, out, NULL, &e), 0);
	for (int i = 0; i < 4; i++) {
		struct staffing_result one = voice_ok(&rows[i]);
		assert_int_equal(one.agents, out[i].agents);
		assert_int_equal(one.scheduled, out[i].scheduled);
		assert_true(one.load == out[i].load && one.service_level == out[i].service_level &&
		            one.prob_wait == out[i].prob_wait && one.asa == out[i].asa &&
		            one.occupancy == out[i].occupancy);
	}
	assert_int_equal(out[0].agents, 14);
	assert_int_equal(out[1].agents, 0);
	/* the failing row is reported */
	rows[2].aht = -1;
	size_t failed = 99;
	assert_int_equal(staffing_plan(rows, 4, out, &failed, &e), -EINVAL);
	assert_int_equal(failed, 2);
	assert_string_equal(e.field, "aht");
	rows[2].aht = 200;
	rows[3].channel = STAFFING_DEFERRED;
	rows[3].response_time = 0;
	assert_int_equal(staffing_plan(rows, 4, out, &failed, &e), -EINVAL);
	assert_int_equal(failed, 3);
	assert_string_equal(e.field, "channel");
	assert_int_equal(staffing_plan(rows, 0, out, NULL, &e), 0);
	assert_int_equal(staffing_plan(rows, LS_MAX_STAFFING_ROWS + 1, out, NULL, &e), -LS_ETOOLARGE);
}

/* Response window 0: every interval clears its own work. 30 contacts of 600 s in an
 * hour are 5 agent-hours: 5 agents, 7 at 80 % productive share (6.25 rounded up). */
static void test_deferred_without_window_clears_each_interval(void **state)
{
	(void)state;
	struct staffing_input rows[3] = {deferred(30, 3600, 600, 0), deferred(0, 3600, 600, 0),
	                                 deferred(9, 3600, 600, 0)};
	struct staffing_result out[3];
	struct lserr e;
	assert_int_equal(staffing_plan(rows, 3, out, NULL, &e), 0);
	assert_int_equal(out[0].agents, 5);
	assert_int_equal(out[1].agents, 0);
	assert_int_equal(out[2].agents, 2); /* 1.5 agent-hours */
	assert_near(out[2].occupancy, 0.75, 1e-15);
	assert_near(out[0].load, 5.0, 1e-15);
	assert_near(out[0].workload, 18000, 0);
	for (int i = 0; i < 3; i++)
		assert_near(out[i].backlog, 0.0, 1e-9);
	for (int i = 0; i < 3; i++) {
		rows[i].max_occupancy = 0.8;
		rows[i].shrinkage = 0.2;
	}
	assert_int_equal(staffing_plan(rows, 3, out, NULL, &e), 0);
	assert_int_equal(out[0].agents, 7);
	assert_int_equal(out[0].scheduled, 9); /* 7 / 0.8 = 8.75 */
	assert_near(out[0].occupancy, 18000.0 / (7 * 3600.0), 1e-15);
}

/* A window of two intervals: work is due two intervals after it arrives, and the plan
 * staffs as late as that allows. */
static void test_deferred_window_of_two_intervals_staffs_late(void **state)
{
	(void)state;
	struct staffing_input rows[5];
	for (int i = 0; i < 5; i++)
		rows[i] = deferred(i == 0 ? 12 : 0, 3600, 900, 7200); /* 3 agent-hours at first */
	struct staffing_result out[5];
	struct lserr e;
	assert_int_equal(staffing_plan(rows, 5, out, NULL, &e), 0);
	assert_int_equal(out[0].agents, 0);
	assert_int_equal(out[1].agents, 0);
	assert_int_equal(out[2].agents, 3);
	assert_near(out[1].backlog, 10800, 1e-9);
	assert_near(out[2].due, 10800, 1e-9);
	assert_near(out[2].backlog, 0, 1e-9);
	assert_int_equal(out[3].agents, 0);
}

/* Half an interval: arrivals spread evenly, so half of an interval's work is due at
 * its own end. */
static void test_deferred_half_interval_window_splits_the_work(void **state)
{
	(void)state;
	struct staffing_input rows[2] = {deferred(8, 3600, 900, 1800), deferred(8, 3600, 900, 1800)};
	struct staffing_result out[2];
	struct lserr e;
	assert_int_equal(staffing_plan(rows, 2, out, NULL, &e), 0);
	/* interval 0: 2 agent-hours arrive, 1 due; interval 1: the other 1 + 1 of the new */
	assert_near(out[0].due, 3600, 1e-9);
	assert_int_equal(out[0].agents, 1);
	assert_near(out[1].due, 3 * 3600, 1e-9);
	assert_int_equal(out[1].agents, 2);
	assert_near(out[1].backlog, 3600, 1e-9); /* due after the horizon */
}

/* Rounding surplus works ahead on arrived work, never on work not yet arrived. */
static void test_deferred_surplus_carries_over_but_not_ahead_of_arrival(void **state)
{
	(void)state;
	struct staffing_input rows[3] = {deferred(6, 3600, 900, 3600), deferred(6, 3600, 900, 3600),
	                                 deferred(6, 3600, 900, 3600)};
	struct staffing_result out[3];
	struct lserr e;
	assert_int_equal(staffing_plan(rows, 3, out, NULL, &e), 0);
	/* 1.5 agent-hours per hour, each due an hour later */
	assert_int_equal(out[0].agents, 0);
	assert_int_equal(out[1].agents, 2); /* 1.5 due, 2 agents work 2 of the 3 arrived */
	assert_near(out[1].backlog, 3600, 1e-9);
	assert_int_equal(out[2].agents, 1);      /* 3 due cumulatively, 2 done: 1 more */
	assert_near(out[2].backlog, 5400, 1e-9); /* the last hour's work, due after the horizon */
	/* min_agents holds even without work */
	for (int i = 0; i < 3; i++)
		rows[i].min_agents = 1;
	assert_int_equal(staffing_plan(rows, 3, out, NULL, &e), 0);
	assert_int_equal(out[0].agents, 1);
	assert_near(out[0].backlog, 1800, 1e-9);
}

static void test_deferred_rows_must_share_the_interval_length(void **state)
{
	(void)state;
	struct staffing_input rows[2] = {deferred(6, 3600, 900, 3600), deferred(6, 1800, 900, 3600)};
	struct staffing_result out[2];
	struct lserr e;
	size_t failed = 0;
	assert_int_equal(staffing_plan(rows, 2, out, &failed, &e), -EINVAL);
	assert_int_equal(failed, 1);
	assert_string_equal(e.field, "interval");
}

/* Property: the deferred plan meets every deadline, conserves work, and no interval
 * could do with one agent fewer (given the earlier intervals). */
static void test_deferred_plan_is_feasible_and_minimal(void **state)
{
	(void)state;
	struct rng rng;
	rng_seed(&rng, 4711);
	enum { N = 96 };
	struct staffing_input rows[N];
	struct staffing_result out[N];
	for (int round = 0; round < 50; round++) {
		const double len = round % 2 ? 900 : 1800;
		const double window = (double)rng_below(&rng, 6 * 3600);
		const double occ = 0.5 + (double)rng_below(&rng, 50) / 100.0;
		for (int i = 0; i < N; i++) {
			rows[i] = deferred((double)rng_below(&rng, 40), len, 60.0 + (double)rng_below(&rng, 1200),
			                   window);
			rows[i].max_occupancy = occ;
		}
		struct lserr e;
		assert_int_equal(staffing_plan(rows, N, out, NULL, &e), 0);
		double arrived = 0.0, done = 0.0;
		for (int t = 0; t < N; t++) {
			const double cap = len * occ;
			arrived += rows[t].contacts * rows[t].aht;
			double worked = fmin(out[t].agents * cap, arrived - done);
			/* one agent fewer would miss what is due */
			if (out[t].agents > 0) {
				double less = fmin((out[t].agents - 1) * cap, arrived - done);
				assert_true(done + less < out[t].due);
			}
			done += worked;
			assert_true(done >= out[t].due - 1e-9 * fmax(1.0, out[t].due));
			assert_near(out[t].backlog, arrived - done, 1e-6);
			assert_true(out[t].backlog >= -1e-9);
		}
	}
}

static void test_channel_names_round_trip(void **state)
{
	(void)state;
	for (int c = 0; c < _STAFFING_CHANNEL_MAX; c++)
		assert_int_equal(staffing_channel_from_string(staffing_channel_to_string((enum staffing_channel)c)), c);
	assert_int_equal(staffing_channel_from_string("email"), -EINVAL);
	assert_int_equal(staffing_channel_from_string(NULL), -EINVAL);
	assert_null(staffing_channel_to_string(_STAFFING_CHANNEL_MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_cli_example_gives_14_agents_20_scheduled),
	        cmocka_unit_test(test_patience_selects_erlang_a),
	        cmocka_unit_test(test_max_asa_and_min_agents_bind),
	        cmocka_unit_test(test_no_contacts_no_agents),
	        cmocka_unit_test(test_scheduled_heads_match_exact_arithmetic),
	        cmocka_unit_test(test_invalid_input_names_the_field),
	        cmocka_unit_test(test_target_one_is_refused_with_a_hint),
	        cmocka_unit_test(test_loads_beyond_the_limit_are_range_errors),
	        cmocka_unit_test(test_plan_of_voice_intervals_is_per_interval),
	        cmocka_unit_test(test_deferred_without_window_clears_each_interval),
	        cmocka_unit_test(test_deferred_window_of_two_intervals_staffs_late),
	        cmocka_unit_test(test_deferred_half_interval_window_splits_the_work),
	        cmocka_unit_test(test_deferred_surplus_carries_over_but_not_ahead_of_arrival),
	        cmocka_unit_test(test_deferred_rows_must_share_the_interval_length),
	        cmocka_unit_test(test_deferred_plan_is_feasible_and_minimal),
	        cmocka_unit_test(test_channel_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
