/* Tests for kpi/kpi_calls.c and the "calls" object of kpi/kpi_json.c with
 * hand-computed values: the ICMI worked example of the domain research (§1.14: 1000
 * answered, 60 abandoned, 860 answered and 20 abandoned within 20 s, 10 short
 * abandons) split over two intervals, every service-level formula and both
 * abandonment rates; AHT with a missing hold time, a handle-only interval and an
 * interval without handle data; ASA; zero denominators as NaN and JSON null; a
 * mixed threshold; months in a time zone, queues and a custom range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/tz.h"
#include "kpi/kpi_calls.h"
#include "kpi/kpi_json.h"

#define assert_near(a, b) assert_true(fabs((double)(a) - (double)(b)) < 1e-9)
#define assert_rate(r, n, d)                                                                                           \
	do {                                                                                                           \
		assert_int_equal((r).num, (n));                                                                        \
		assert_int_equal((r).den, (d));                                                                        \
		if ((d) == 0)                                                                                          \
			assert_true(isnan((r).value));                                                                 \
		else                                                                                                   \
			assert_near((r).value, (double)(n) / (double)(d));                                             \
	} while (0)

static ls_time at(int y, unsigned m, unsigned d, int hh, int mm)
{
	return time_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60;
}

static struct rec_interval iv_of(const char *queue, ls_time start, int64_t offered, int64_t answered, int64_t abandoned)
{
	struct rec_interval iv;
	rec_interval_init(&iv);
	iv.queue = queue;
	iv.start = start;
	iv.length = 1800;
	iv.offered = offered;
	iv.answered = answered;
	iv.abandoned = abandoned;
	return iv;
}

/* The ICMI example in two intervals of one queue. */
static void icmi(struct rec_interval v[2])
{
	v[0] = iv_of("Hotline", at(2024, 3, 4, 8, 0), 640, 600, 40);
	v[0].answered_within = 500;
	v[0].abandoned_within = 15;
	v[0].abandoned_short = 8;
	v[0].threshold = 20;
	v[1] = iv_of("Hotline", at(2024, 3, 4, 8, 30), 420, 400, 20);
	v[1].answered_within = 360;
	v[1].abandoned_within = 5;
	v[1].abandoned_short = 2;
	v[1].threshold = 20;
}

static void test_icmi_example_gives_every_service_level_formula(void **state)
{
	(void)state;
	struct rec_interval v[2];
	icmi(v);
	struct kpi_options o = {0};
	struct kpi_calls *c = NULL;
	assert_int_equal(kpi_calls_compute(v, 2, &o, false, &c, NULL), 0);
	const struct kpi_calls_set *s = &c->total;
	assert_int_equal(s->intervals, 2);
	assert_int_equal(s->offered, 1060);
	assert_int_equal(s->answered, 1000);
	assert_int_equal(s->abandoned, 60);
	assert_rate(s->abandonment_rate, 60, 1060);
	assert_rate(s->abandonment_rate_excl_short, 60, 1050);
	/* domain §1.14: 880/1060 = 83 %, 86 %, 860/1060 = 81 %, 860/1040 = 83 %, (1) with short abandons */
	assert_rate(s->service_level[KPI_SL_ICMI1], 880, 1060);
	assert_rate(s->service_level[KPI_SL_ICMI2], 860, 1000);
	assert_rate(s->service_level[KPI_SL_ICMI3], 860, 1060);
	assert_rate(s->service_level[KPI_SL_ICMI4], 860, 1040);
	assert_rate(s->service_level[KPI_SL_ICMI5], 870, 1060);
	assert_rate(s->service_level[KPI_SL_OFFERED], 860, 1060);
	assert_int_equal(lround(s->service_level[KPI_SL_ICMI1].value * 100), 83);
	assert_int_equal(lround(s->service_level[KPI_SL_ICMI3].value * 100), 81);
	assert_int_equal(lround(s->service_level[KPI_SL_ICMI4].value * 100), 83);
	assert_int_equal(s->threshold, 20);
	assert_true(isnan(s->aht_seconds) && s->aht_calls == 0);
	assert_true(isnan(s->asa_seconds));
	assert_int_equal(c->queues, 1);
	assert_null(c->groups);
	kpi_calls_free(c);
}

static void test_aht_is_talk_hold_and_wrap_up_over_answered(void **state)
{
	(void)state;
	struct rec_interval v[4];
	v[0] = iv_of("A", at(2024, 3, 4, 8, 0), 10, 8, 2);
	v[0].talk = 1200;
	v[0].hold = 60;
	v[0].wrap_up = 240;
	v[0].wait = 80;
	v[1] = iv_of("A", at(2024, 3, 4, 8, 30), 5, 4, 1);
	v[1].talk = 600; /* hold and wrap-up unknown: 0 */
	v[2] = iv_of("A", at(2024, 3, 4, 9, 0), 3, 3, 0);
	v[2].handle = 450; /* only a handle total */
	v[2].wait = 40;
	v[3] = iv_of("A", at(2024, 3, 4, 9, 30), 7, 7, 0); /* no handle data: left out */
	struct kpi_options o = {0};
	struct kpi_calls *c = NULL;
	assert_int_equal(kpi_calls_compute(v, 4, &o, false, &c, NULL), 0);
	/* (1200 + 60 + 240 + 600 + 450) / (8 + 4 + 3) = 2550 / 15 = 170 */
	assert_int_equal(c->total.aht_calls, 15);
	assert_near(c->total.aht_seconds, 170);
	/* ASA: (80 + 40) / (8 + 3) */
	assert_int_equal(c->total.asa_calls, 11);
	assert_near(c->total.asa_seconds, 120.0 / 11);
	assert_int_equal(c->total.answered, 22);
	/* no service-level counts anywhere: every formula is null, the threshold too */
	for (int f = 0; f < _KPI_SL_MAX; f++)
		assert_rate(c->total.service_level[f], 0, 0);
	assert_int_equal(c->total.threshold, REC_UNKNOWN);
	assert_near(kpi_calls_handle_seconds(&v[1]), 600);
	assert_true(isnan(kpi_calls_handle_seconds(&v[3])));
	kpi_calls_free(c);
}

static void test_zero_denominators_are_null_in_json(void **state)
{
	(void)state;
	struct rec_interval v[1] = {iv_of("Quiet", at(2024, 3, 4, 8, 0), 0, 0, 0)};
	v[0].answered_within = 0;
	v[0].abandoned_within = 0;
	v[0].abandoned_short = 0;
	v[0].talk = 0;
	struct kpi_options o = {0};
	struct kpi_calls *c = NULL;
	assert_int_equal(kpi_calls_compute(v, 1, &o, false, &c, NULL), 0);
	assert_rate(c->total.abandonment_rate, 0, 0);
	assert_rate(c->total.abandonment_rate_excl_short, 0, 0);
	assert_rate(c->total.service_level[KPI_SL_ICMI3], 0, 0);
	assert_true(isnan(c->total.aht_seconds));
	json_t *j = kpi_json_calls(c);
	assert_int_equal(json_integer_value(json_object_get(j, "offered")), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "intervals")), 1);
	static const char *const nulls[] = {"abandonment_rate", "service_level",
	                                    "aht_seconds",      "abandonment_rate_excl_short",
	                                    "asa_seconds",      "service_level_threshold_seconds"};
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		assert_true(json_is_null(json_object_get(j, nulls[i])));
	assert_true(json_is_null(json_object_get(json_object_get(j, "service_level_formulas"), "icmi1")));
	json_decref(j);
	kpi_calls_free(c);

	/* no intervals at all */
	assert_int_equal(kpi_calls_compute(NULL, 0, &o, true, &c, NULL), 0);
	assert_int_equal(c->total.intervals, 0);
	assert_int_equal(c->n_groups, 0);
	assert_true(isnan(c->total.abandonment_rate.value));
	kpi_calls_free(c);
}

static void test_periods_in_a_zone_queues_and_a_range(void **state)
{
	(void)state;
	/* 2024-03-31 22:30 UTC is 2024-04-01 00:30 in Berlin (CEST) */
	struct rec_interval v[4] = {
	        iv_of("B", at(2024, 3, 31, 22, 30), 4, 3, 1),
	        iv_of("A", at(2024, 3, 31, 21, 30), 10, 9, 1),
	        iv_of("A", at(2024, 3, 4, 8, 0), 6, 6, 0),
	        iv_of("A", at(2024, 4, 2, 8, 0), 2, 1, 1),
	};
	v[0].answered_within = 3;
	v[0].threshold = 20;
	v[1].answered_within = 5;
	v[1].threshold = 30;
	struct tz *berlin = NULL;
	struct lserr e;
	assert_int_equal(tz_load("Europe/Berlin", &berlin, &e), 0);
	struct kpi_options o = {.period = KPI_PERIOD_MONTH, .tz = berlin};
	struct kpi_calls *c = NULL;
	assert_int_equal(kpi_calls_compute(v, 4, &o, true, &c, NULL), 0);
	assert_int_equal(c->queues, 2);
	assert_int_equal(c->total.offered, 22);
	assert_int_equal(c->total.threshold, REC_UNKNOWN); /* 20 and 30 s: mixed */
	assert_rate(c->total.service_level[KPI_SL_ICMI3], 8, 14);
	/* March: A (08:00 and 23:30 local); April: A (04-02), B (00:30 local) */
	assert_int_equal(c->n_groups, 3);
	assert_string_equal(c->groups[0].period, "2024-03");
	assert_string_equal(c->groups[0].queue, "A");
	assert_int_equal(c->groups[0].set.offered, 16);
	assert_int_equal(c->groups[0].set.intervals, 2);
	assert_int_equal(c->groups[0].set.threshold, 30);
	assert_rate(c->groups[0].set.abandonment_rate, 1, 16);
	assert_string_equal(c->groups[1].period, "2024-04");
	assert_string_equal(c->groups[1].queue, "A");
	assert_int_equal(c->groups[1].set.offered, 2);
	assert_rate(c->groups[1].set.service_level[KPI_SL_ICMI3], 0, 0);
	assert_string_equal(c->groups[2].queue, "B");
	assert_rate(c->groups[2].set.service_level[KPI_SL_ICMI3], 3, 4);
	assert_int_equal(c->groups[2].period_start, at(2024, 3, 31, 22, 0));

	json_t *j = kpi_json_calls(c);
	assert_string_equal(json_string_value(json_object_get(j, "group_by")), "queue");
	assert_string_equal(json_string_value(json_object_get(j, "period")), "month");
	json_t *g2 = json_array_get(json_object_get(j, "groups"), 2);
	assert_string_equal(json_string_value(json_object_get(g2, "group")), "B");
	assert_string_equal(json_string_value(json_object_get(g2, "period")), "2024-04");
	assert_near(json_real_value(json_object_get(g2, "service_level")), 0.75);
	assert_int_equal(json_integer_value(json_object_get(g2, "service_level_threshold_seconds")), 20);
	json_decref(j);
	kpi_calls_free(c);

	/* a custom range: only intervals starting in it */
	struct kpi_options r = {.period = KPI_PERIOD_RANGE, .from = at(2024, 3, 31, 0, 0), .to = at(2024, 4, 1, 0, 0)};
	assert_int_equal(kpi_calls_compute(v, 4, &r, false, &c, NULL), 0);
	assert_int_equal(c->total.offered, 14);
	assert_int_equal(c->queues, 2);
	assert_int_equal(c->n_groups, 1);
	assert_string_equal(c->groups[0].period, "range");
	assert_null(c->groups[0].queue);
	kpi_calls_free(c);
	r.to = r.from;
	assert_int_equal(kpi_calls_compute(v, 4, &r, false, &c, &e), -EINVAL);
	tz_free(berlin);
}

static void test_result_json_appends_calls_after_the_ticket_keys(void **state)
{
	(void)state;
	struct kpi_options o = {0};
	struct kpi_result r;
	assert_int_equal(kpi_compute(NULL, 0, &o, &r, NULL), 0);
	json_t *plain = kpi_json_result(&r);
	assert_null(json_object_get(plain, "calls"));
	struct rec_interval v[2];
	icmi(v);
	assert_int_equal(kpi_calls_compute(v, 2, &o, false, &r.calls, NULL), 0);
	json_t *j = kpi_json_result(&r);
	/* the ticket keys are the same, in the same order, calls comes last */
	const char *k;
	json_t *x;
	void *it = json_object_iter(j);
	json_object_foreach(plain, k, x)
	{
		assert_non_null(it);
		assert_string_equal(json_object_iter_key(it), k);
		it = json_object_iter_next(j, it);
	}
	assert_string_equal(json_object_iter_key(it), "calls");
	json_t *c = json_object_get(j, "calls");
	static const char *const first[] = {"offered",          "answered",      "abandoned",
	                                    "abandonment_rate", "service_level", "aht_seconds"};
	it = json_object_iter(c);
	for (size_t i = 0; i < sizeof(first) / sizeof(first[0]); i++, it = json_object_iter_next(c, it))
		assert_string_equal(json_object_iter_key(it), first[i]);
	assert_int_equal(json_integer_value(json_object_get(c, "offered")), 1060);
	assert_near(json_real_value(json_object_get(c, "abandonment_rate")), 60.0 / 1060);
	assert_near(json_real_value(json_object_get(c, "service_level")), 860.0 / 1060);
	assert_string_equal(json_string_value(json_object_get(c, "service_level_formula")), "icmi3");
	assert_near(json_real_value(json_object_get(json_object_get(c, "service_level_formulas"), "icmi4")),
	            860.0 / 1040);
	assert_int_equal(json_integer_value(json_object_get(c, "queues")), 1);
	assert_null(json_object_get(c, "groups"));
	json_decref(j);
	json_decref(plain);
	kpi_result_release(&r); /* releases the calls too */
	assert_null(r.calls);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_icmi_example_gives_every_service_level_formula),
	        cmocka_unit_test(test_aht_is_talk_hold_and_wrap_up_over_answered),
	        cmocka_unit_test(test_zero_denominators_are_null_in_json),
	        cmocka_unit_test(test_periods_in_a_zone_queues_and_a_range),
	        cmocka_unit_test(test_result_json_appends_calls_after_the_ticket_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
