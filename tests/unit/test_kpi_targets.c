/* Tests for kpi/kpi_targets.c: the traffic light at and around each threshold in
 * both directions, no light for a null KPI, the checks of a target set (each error
 * names its field) and the "lights" object added to the kpi JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "kpi/kpi_json.h"
#include "kpi/kpi_targets.h"

static void test_higher_is_better_lights_at_the_thresholds(void **state)
{
	(void)state;
	struct kpi_target t = {"sla_compliance", 0.95, 0.95, 0.90, false};
	assert_int_equal(kpi_light_of(&t, 0.95), KPI_LIGHT_GREEN); /* exactly green */
	assert_int_equal(kpi_light_of(&t, 1.0), KPI_LIGHT_GREEN);
	assert_int_equal(kpi_light_of(&t, 0.9499999), KPI_LIGHT_AMBER);
	assert_int_equal(kpi_light_of(&t, 0.90), KPI_LIGHT_AMBER); /* exactly amber */
	assert_int_equal(kpi_light_of(&t, 0.8999999), KPI_LIGHT_RED);
	assert_int_equal(kpi_light_of(&t, NAN), KPI_LIGHT_NONE);
}

static void test_lower_is_better_lights_at_the_thresholds(void **state)
{
	(void)state;
	struct kpi_target t = {"resolution_hours.median", 24, 24, 48, true};
	assert_int_equal(kpi_light_of(&t, 24), KPI_LIGHT_GREEN);
	assert_int_equal(kpi_light_of(&t, 0), KPI_LIGHT_GREEN);
	assert_int_equal(kpi_light_of(&t, 24.0001), KPI_LIGHT_AMBER);
	assert_int_equal(kpi_light_of(&t, 48), KPI_LIGHT_AMBER);
	assert_int_equal(kpi_light_of(&t, 48.0001), KPI_LIGHT_RED);
	assert_int_equal(kpi_light_of(&t, NAN), KPI_LIGHT_NONE);
	assert_string_equal(kpi_light_to_string(KPI_LIGHT_RED), "red");
	assert_null(kpi_light_to_string(KPI_LIGHT_NONE));
}

static void expect_error(const char *text, const char *field)
{
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	struct kpi_targets t;
	struct lserr e;
	memset(&e, 0, sizeof(e));
	assert_int_equal(kpi_targets_from_json(j, &t, &e), -EINVAL);
	if (strcmp(e.field, field) != 0)
		fail_msg("%s: field '%s', want '%s' (%s)", text, e.field, field, e.message);
	json_decref(j);
}

static void test_target_sets_are_checked_field_by_field(void **state)
{
	(void)state;
	json_t *j =
	        json_loads("{\"sla_compliance\":{\"target\":0.95,\"green\":0.95,\"amber\":0.9,\"better\":\"higher\"},"
	                   "\"resolution_hours.p90\":{\"green\":100,\"amber\":200,\"better\":\"lower\"},"
	                   "\"fcr.canonical\":{\"green\":0.7,\"amber\":0.7,\"better\":\"higher\"}}",
	                   0, NULL);
	struct kpi_targets t;
	struct lserr e;
	assert_int_equal(kpi_targets_from_json(j, &t, &e), 0);
	json_decref(j);
	assert_int_equal(t.n, 3);
	assert_true(t.t[1].lower_is_better);
	assert_true(t.t[1].target == 100); /* target defaults to green */
	expect_error("{\"sla\":{\"green\":1,\"amber\":0,\"better\":\"higher\"}}", "sla");
	expect_error("{\"sla_variant\":{\"green\":1,\"amber\":0,\"better\":\"higher\"}}", "sla_variant");
	expect_error("{\"resolution_hours\":{\"green\":1,\"amber\":0,\"better\":\"higher\"}}", "resolution_hours");
	expect_error("{\"csat\":{\"amber\":0,\"better\":\"higher\"}}", "csat.green");
	expect_error("{\"csat\":{\"green\":0.8,\"amber\":\"x\",\"better\":\"higher\"}}", "csat.amber");
	expect_error("{\"csat\":{\"green\":0.8,\"amber\":0.7,\"better\":\"up\"}}", "csat.better");
	expect_error("{\"csat\":{\"green\":0.8,\"amber\":0.9,\"better\":\"higher\"}}", "csat.amber");
	expect_error("{\"reopen_rate\":{\"green\":0.05,\"amber\":0.01,\"better\":\"lower\"}}", "reopen_rate.amber");
	expect_error("{\"csat\":{\"green\":0.8,\"amber\":0.7,\"better\":\"higher\",\"warn\":1}}", "csat.warn");
	expect_error("{\"csat\":0.8}", "csat");
	expect_error("[]", "targets");
}

static void test_kpi_json_gets_lights_only_for_kpis_with_values(void **state)
{
	(void)state;
	struct kpi_set s;
	memset(&s, 0, sizeof(s));
	s.tickets = 10;
	s.sla_compliance = (struct kpi_rate){9, 10, 0.9};
	s.reopen_rate = (struct kpi_rate){0, 0, NAN};
	s.resolution_hours = (struct kpi_dist){4, 10, 30, 50};
	s.resolution_business_hours = (struct kpi_dist){0, NAN, NAN, NAN};
	s.resolution_business_hours_net = s.resolution_business_hours;
	s.first_response_hours = s.first_response_business_hours = s.handle_minutes = s.resolution_business_hours;
	s.reassignments_mean = s.csat.value = s.nps.value = NAN;
	json_t *j = kpi_json_set(&s, KPI_SLA_SOURCE);
	json_t *before = json_deep_copy(j);
	json_t *tj = json_loads("{\"sla_compliance\":{\"green\":0.95,\"amber\":0.90,\"better\":\"higher\"},"
	                        "\"resolution_hours.median\":{\"green\":24,\"amber\":48,\"better\":\"lower\"},"
	                        "\"reopen_rate\":{\"green\":0.02,\"amber\":0.05,\"better\":\"lower\"}}",
	                        0, NULL);
	struct kpi_targets t;
	struct lserr e;
	assert_int_equal(kpi_targets_from_json(tj, &t, &e), 0);
	kpi_targets_add_lights(j, &t);
	json_t *l = json_object_get(j, "lights");
	assert_string_equal(json_string_value(json_object_get(l, "sla_compliance")), "amber"); /* exactly amber */
	assert_string_equal(json_string_value(json_object_get(l, "resolution_hours.median")), "amber");
	assert_null(json_object_get(l, "reopen_rate")); /* null KPI: no light */
	json_object_del(j, "lights");
	assert_true(json_equal(j, before)); /* nothing else changed */
	kpi_targets_add_lights(j, NULL);
	assert_null(json_object_get(j, "lights"));
	json_decref(j);
	json_decref(before);
	json_decref(tj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_higher_is_better_lights_at_the_thresholds),
	        cmocka_unit_test(test_lower_is_better_lights_at_the_thresholds),
	        cmocka_unit_test(test_target_sets_are_checked_field_by_field),
	        cmocka_unit_test(test_kpi_json_gets_lights_only_for_kpis_with_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
