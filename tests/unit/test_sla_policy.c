/* Tests for sla/policy.c: the JSON form of the issue's example and of a full policy,
 * defaults (pause on pending_customer, warnings 75/90 %, 24×7 UTC without a calendar,
 * "holidays" absent means none), errors that name the field by its path, choosing
 * between overlapping policies by order, reporting a ticket no policy applies to, and
 * compiling the inline calendar with errors prefixed "calendar.". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "sla/policy.h"

static const char issue_example[] =
        "{\"calendar\":{\"tz\":\"Europe/Berlin\",\"hours\":\"mon-fri 08:00-17:00\",\"holidays\":\"DE-NW\"},"
        "\"pause_states\":[\"pending_customer\"],\"targets\":{\"P1\":{\"first_response\":\"1h\",\"resolution\":\"4h\"},"
        "\"P2\":{\"first_response\":\"4h\",\"next_update\":\"8h\",\"resolution\":\"16h\"}}}";

static struct policy *parse_ok(struct arena *a, const char *json)
{
	struct policy *p = NULL;
	struct lserr e;
	lserr_clear(&e);
	if (policy_parse(json, strlen(json), a, &p, &e) < 0)
		fail_msg("policy_parse: %s (%s)", e.message, json);
	return p;
}

/* Parses json expecting failure; returns the error for inspection. */
static struct lserr parse_bad(const char *json, int rc, const char *field)
{
	struct arena a = ARENA_INIT;
	struct policy *p = (struct policy *)0x1;
	struct lserr e;
	lserr_clear(&e);
	int r = policy_parse(json, strlen(json), &a, &p, &e);
	arena_release(&a);
	if (r != rc || strcmp(e.field, field) != 0)
		fail_msg("policy_parse(%s) = %d field '%s' (%s), want %d field '%s'", json, r, e.field, e.message, rc,
		         field);
	assert_ptr_equal(p, (struct policy *)0x1); /* untouched */
	return e;
}

static void test_issue_example_parses(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct policy *p = parse_ok(&a, issue_example);
	assert_string_equal(p->calendar.spec.tz, "Europe/Berlin");
	assert_string_equal(p->calendar.spec.holidays, "DE-NW");
	assert_null(p->calendar.ref);
	assert_int_equal(p->version, 1);
	assert_true(policy_pauses(p, TICKET_STATE_PENDING_CUSTOMER));
	assert_false(policy_pauses(p, TICKET_STATE_PENDING_VENDOR));
	assert_int_equal(policy_target(p, 1, POLICY_FIRST_RESPONSE)->seconds, 3600);
	assert_int_equal(policy_target(p, 1, POLICY_RESOLUTION)->seconds, 4 * 3600);
	assert_null(policy_target(p, 1, POLICY_NEXT_UPDATE));
	assert_int_equal(policy_target(p, 2, POLICY_NEXT_UPDATE)->seconds, 8 * 3600);
	assert_int_equal(policy_target(p, 2, POLICY_RESOLUTION)->time, POLICY_TIME_BUSINESS);
	assert_null(policy_target(p, 3, POLICY_RESOLUTION));
	assert_null(policy_target(p, 6, POLICY_RESOLUTION));
	assert_int_equal(p->n_warnings, 2);
	assert_int_equal(p->warnings[0], 75);
	assert_int_equal(p->warnings[1], 90);
	arena_release(&a);
}

static void test_full_policy(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct policy *p = parse_ok(
	        &a, "{\"name\":\"Gold\",\"version\":3,\"order\":5,"
	            "\"applies_to\":{\"types\":[\"incident\",\"complaint\"],\"priorities\":[\"P1\",\"P2\"],"
	            "\"categories\":[\"Network\"],\"channels\":[\"email\",\"phone\"]},"
	            "\"calendar\":{\"name\":\"Office\",\"version\":2,\"tz\":\"Europe/Berlin\",\"hours\":\"mon-fri "
	            "08:00-17:00\","
	            "\"closed\":[\"2025-12-24\"],\"open\":[\"2025-12-27 09:00-13:00\"]},"
	            "\"pause_states\":[\"pending_customer\",\"pending_vendor\"],\"warnings\":[\"50%\",80],"
	            "\"targets\":{\"P1\":{\"resolution\":{\"within\":\"24h\",\"time\":\"calendar\"},\"first_response\":"
	            "\"30m\"}},"
	            "\"escalations\":{\"resolution\":[{\"at\":\"75%\",\"action\":\"notify\",\"owner\":\"team_lead\","
	            "\"ack_within\":\"30m\"},{\"at\":\"100%\",\"action\":\"reassign\",\"owner\":\"L2\"},"
	            "{\"after_breach\":\"1h\",\"owner\":\"service_manager\",\"priorities\":[\"P1\"]}]}}");
	char buf[96];
	assert_string_equal(policy_label(p, buf, sizeof(buf)), "Gold v3");
	assert_int_equal(p->order, 5);
	assert_string_equal(p->calendar.name, "Office");
	assert_int_equal(p->calendar.version, 2);
	assert_string_equal(p->calendar.spec.holidays, "none"); /* absent means none */
	assert_int_equal(p->calendar.spec.n_closed, 1);
	assert_int_equal(p->calendar.spec.n_open, 1);
	assert_true(policy_pauses(p, TICKET_STATE_PENDING_VENDOR));
	assert_int_equal(p->warnings[0], 50);
	assert_int_equal(p->warnings[1], 80);
	const struct policy_target *t = policy_target(p, 1, POLICY_RESOLUTION);
	assert_int_equal(t->seconds, 86400);
	assert_int_equal(t->time, POLICY_TIME_CALENDAR);
	assert_int_equal(p->n_levels[POLICY_RESOLUTION], 3);
	assert_int_equal(p->levels[POLICY_RESOLUTION][0].percent, 75);
	assert_int_equal(p->levels[POLICY_RESOLUTION][0].ack_within, 1800);
	assert_int_equal(p->levels[POLICY_RESOLUTION][1].action, POLICY_ACTION_REASSIGN);
	assert_string_equal(p->levels[POLICY_RESOLUTION][1].owner, "L2");
	assert_int_equal(p->levels[POLICY_RESOLUTION][2].trigger, POLICY_TRIGGER_AFTER_BREACH);
	assert_int_equal(p->levels[POLICY_RESOLUTION][2].offset, 3600);
	assert_int_equal(p->levels[POLICY_RESOLUTION][2].action, POLICY_ACTION_NOTIFY);
	assert_int_equal(p->levels[POLICY_RESOLUTION][2].priorities, 1u << 1);

	struct calendar *cal;
	struct lserr e;
	assert_int_equal(policy_compile_calendar(p, 2025, 2025, &cal, &e), 0);
	ls_time sat;
	assert_int_equal(time_parse_rfc3339("2025-12-27T10:00:00+01:00", &sat), 0);
	assert_true(calendar_is_open(cal, sat)); /* a Saturday made an open day */
	assert_int_equal(time_parse_rfc3339("2025-12-24T10:00:00+01:00", &sat), 0);
	assert_false(calendar_is_open(cal, sat)); /* a Wednesday closed */
	calendar_free(cal);
	arena_release(&a);
}

static void test_defaults_without_calendar_are_24x7_utc(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct policy *p = parse_ok(&a, "{\"targets\":{\"P3\":{\"resolution\":\"8h\"}}}");
	assert_true(policy_pauses(p, TICKET_STATE_PENDING_CUSTOMER));
	assert_int_equal(p->n_warnings, 2);
	struct calendar *cal;
	assert_int_equal(policy_compile_calendar(p, 2025, 2025, &cal, NULL), 0);
	assert_string_equal(tz_name(calendar_tz(cal)), "UTC");
	int64_t s;
	assert_int_equal(calendar_elapsed(cal, 1735689600, 1735689600 + 7 * 86400, &s, NULL), 0);
	assert_int_equal(s, 7 * 86400);
	calendar_free(cal);
	/* empty lists switch the defaults off */
	p = parse_ok(&a, "{\"pause_states\":[],\"warnings\":[],\"targets\":{\"P3\":{\"resolution\":\"8h\"}}}");
	assert_false(policy_pauses(p, TICKET_STATE_PENDING_CUSTOMER));
	assert_int_equal(p->n_warnings, 0);
	arena_release(&a);
}

static void test_errors_name_the_field_by_path(void **state)
{
	(void)state;
	struct lserr e;
	e = parse_bad("{\"targets\":{\"P2\":{\"first_response\":\"1d\"}}}", -EINVAL, "targets.P2.first_response");
	assert_non_null(strstr(e.hint, "business hours"));
	parse_bad("{\"targets\":{\"P2\":{\"first_respons\":\"1h\"}}}", -EINVAL, "targets.P2.first_respons");
	parse_bad("{\"targets\":{\"P9\":{\"resolution\":\"1h\"}}}", -EINVAL, "targets.P9");
	parse_bad("{\"targets\":{\"P1\":{\"resolution\":\"0s\"}}}", -EINVAL, "targets.P1.resolution");
	parse_bad("{\"targets\":{\"P1\":{\"resolution\":4}}}", -EINVAL, "targets.P1.resolution");
	parse_bad("{\"targets\":{\"P1\":{\"resolution\":{\"time\":\"calendar\"}}}}", -EINVAL,
	          "targets.P1.resolution.within");
	parse_bad("{\"targets\":{\"P1\":{\"resolution\":{\"within\":\"1h\",\"time\":\"wall\"}}}}", -EINVAL,
	          "targets.P1.resolution.time");
	parse_bad("{\"targets\":{}}", -EINVAL, "targets");
	parse_bad("{\"calendar\":{\"tz\":\"Europe/Berlin\"}}", -EINVAL, "calendar.hours");
	parse_bad("{}", -EINVAL, "targets");
	e = parse_bad("{\"target\":{}}", -EINVAL, "target");
	assert_string_equal(e.code, "unknown_field");
	assert_non_null(strstr(e.hint, "targets"));
	parse_bad("{\"pause_states\":[\"resolved\"],\"targets\":{\"P1\":{\"resolution\":\"1h\"}}}", -EINVAL,
	          "pause_states[0]");
	parse_bad("{\"pause_states\":[\"waiting\"],\"targets\":{\"P1\":{\"resolution\":\"1h\"}}}", -EINVAL,
	          "pause_states[0]");
	parse_bad("{\"warnings\":[\"90%\",\"75%\"],\"targets\":{\"P1\":{\"resolution\":\"1h\"}}}", -EINVAL,
	          "warnings[1]");
	parse_bad("{\"warnings\":[\"100%\"],\"targets\":{\"P1\":{\"resolution\":\"1h\"}}}", -EINVAL, "warnings[0]");
	parse_bad("{\"warnings\":[\"75\"],\"targets\":{\"P1\":{\"resolution\":\"1h\"}}}", -EINVAL, "warnings[0]");
	parse_bad("{\"applies_to\":{\"types\":[\"incidents\"]},\"targets\":{\"P1\":{\"resolution\":\"1h\"}}}", -EINVAL,
	          "applies_to.types[0]");
	parse_bad("{\"applies_to\":{\"channels\":[]},\"targets\":{\"P1\":{\"resolution\":\"1h\"}}}", -EINVAL,
	          "applies_to.channels");
	parse_bad("{\"escalations\":{\"resolution\":[{\"at\":\"75%\"}]},\"targets\":{\"P1\":{\"resolution\":\"1h\"}}}",
	          -EINVAL, "escalations.resolution[0].owner");
	parse_bad(
	        "{\"escalations\":{\"resolution\":[{\"at\":\"90%\",\"owner\":\"a\"},{\"at\":\"75%\",\"owner\":\"b\"}]},"
	        "\"targets\":{\"P1\":{\"resolution\":\"1h\"}}}",
	        -EINVAL, "escalations.resolution[1]");
	parse_bad("{\"escalations\":{\"resolution\":[{\"after_breach\":\"1h\",\"owner\":\"a\"},{\"at\":\"100%\","
	          "\"owner\":\"b\"}]},\"targets\":{\"P1\":{\"resolution\":\"1h\"}}}",
	          -EINVAL, "escalations.resolution[1]");
	parse_bad("{\"escalations\":{\"resolution\":[{\"at\":\"75%\",\"after_breach\":\"1h\",\"owner\":\"a\"}]},"
	          "\"targets\":{\"P1\":{\"resolution\":\"1h\"}}}",
	          -EINVAL, "escalations.resolution[0]");
	parse_bad("{\"escalations\":{\"solution\":[]},\"targets\":{\"P1\":{\"resolution\":\"1h\"}}}", -EINVAL,
	          "escalations.solution");
	e = parse_bad("{\"targets\":{\"P1\":{\"resolution\":\"1h\"}},}", -EINVAL, "policy");
	assert_string_equal(e.code, "invalid_json");
	parse_bad("{\"targets\":{\"P1\":{\"resolution\":\"1h\"},\"P1\":{}}}", -EINVAL, "policy"); /* duplicate key */
	parse_bad("[1]", -EINVAL, "policy");
}

static void test_calendar_errors_are_prefixed(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct policy *p = parse_ok(&a, "{\"calendar\":{\"tz\":\"Europe/Berlin\",\"hours\":\"mon-fri 8:00-17:00\"},"
	                                "\"targets\":{\"P1\":{\"resolution\":\"1h\"}}}");
	struct calendar *cal = NULL;
	struct lserr e;
	lserr_clear(&e);
	assert_int_equal(policy_compile_calendar(p, 0, 0, &cal, &e), -EINVAL);
	assert_string_equal(e.field, "calendar.hours");
	assert_non_null(strstr(e.message, "calendar.hours"));
	p = parse_ok(
	        &a, "{\"calendar\":{\"tz\":\"Europe/Berlin\",\"hours\":\"mon-fri 08:00-17:00\",\"holidays\":\"DE-XX\"},"
	            "\"targets\":{\"P1\":{\"resolution\":\"1h\"}}}");
	assert_int_equal(policy_compile_calendar(p, 0, 0, &cal, &e), -EINVAL);
	assert_string_equal(e.field, "calendar.holidays");
	p = parse_ok(&a, "{\"calendar\":\"office-berlin\",\"targets\":{\"P1\":{\"resolution\":\"1h\"}}}");
	assert_string_equal(p->calendar.ref, "office-berlin");
	assert_int_equal(policy_compile_calendar(p, 0, 0, &cal, &e), -ENOENT);
	assert_string_equal(e.field, "calendar");
	arena_release(&a);
}

static void test_lower_order_wins_between_overlapping_policies(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct policy *general =
	        parse_ok(&a, "{\"name\":\"General\",\"order\":100,\"targets\":{\"P1\":{\"resolution\":\"8h\"}}}");
	struct policy *network = parse_ok(&a, "{\"name\":\"Network\",\"order\":10,\"applies_to\":{\"categories\":["
	                                      "\"Network\"],\"types\":[\"incident\"]},"
	                                      "\"targets\":{\"P1\":{\"resolution\":\"4h\"}}}");
	const struct policy *set[] = {general, network};
	assert_int_equal(policy_check_set(set, 2, NULL), 0);
	struct policy_subject s = {
	        .type = TICKET_TYPE_INCIDENT, .channel = TICKET_CHANNEL_EMAIL, .priority = 1, .category = "Network"};
	size_t i = 99;
	assert_int_equal(policy_select(set, 2, &s, &i, NULL), 0);
	assert_int_equal(i, 1);
	s.category = "Printer";
	assert_int_equal(policy_select(set, 2, &s, &i, NULL), 0);
	assert_int_equal(i, 0);
	s.category = NULL; /* unknown category: a category-restricted policy does not apply */
	assert_int_equal(policy_select(set, 2, &s, &i, NULL), 0);
	assert_int_equal(i, 0);
	s = (struct policy_subject){
	        .type = TICKET_TYPE_PROBLEM, .channel = _TICKET_CHANNEL_INVALID, .priority = 1, .category = "Network"};
	assert_int_equal(policy_select(set, 2, &s, &i, NULL), 0);
	assert_int_equal(i, 0);
	network->order = 100;
	struct lserr e;
	assert_int_equal(policy_check_set(set, 2, &e), -LS_ECONFLICT);
	assert_string_equal(e.field, "order");
	assert_non_null(strstr(e.message, "General v1 and Network v1"));
	arena_release(&a);
}

static void test_ticket_without_policy_is_reported(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct policy *p = parse_ok(&a, "{\"applies_to\":{\"priorities\":[\"P1\",\"P2\"],\"channels\":[\"phone\"]},"
	                                "\"targets\":{\"P1\":{\"resolution\":\"4h\"}}}");
	const struct policy *set[] = {p};
	struct policy_subject s = {.type = TICKET_TYPE_INCIDENT, .channel = TICKET_CHANNEL_PHONE, .priority = 3};
	size_t i = 42;
	struct lserr e;
	lserr_clear(&e);
	assert_int_equal(policy_select(set, 1, &s, &i, &e), -ENOENT);
	assert_int_equal(i, 42);
	assert_non_null(strstr(e.message, "no SLA policy applies to a ticket of type incident, priority P3"));
	assert_non_null(strstr(e.message, "channel phone"));
	s.priority = 2;
	assert_int_equal(policy_select(set, 1, &s, &i, &e), 0);
	s.channel = TICKET_CHANNEL_WEB;
	assert_int_equal(policy_select(set, 1, &s, &i, &e), -ENOENT);
	arena_release(&a);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(policy_priority_to_string(1), "P1");
	assert_null(policy_priority_to_string(0));
	assert_int_equal(policy_priority_from_string("P5"), 5);
	assert_int_equal(policy_priority_from_string("p1"), -EINVAL);
	assert_int_equal(policy_priority_from_string("P6"), -EINVAL);
	assert_int_equal(policy_metric_from_string("next_update"), POLICY_NEXT_UPDATE);
	assert_string_equal(policy_metric_to_string(POLICY_RESOLUTION), "resolution");
	assert_int_equal(policy_metric_from_string("solution"), _POLICY_METRIC_INVALID);
	assert_string_equal(policy_time_to_string(POLICY_TIME_CALENDAR), "calendar");
	assert_string_equal(policy_action_to_string(POLICY_ACTION_REASSIGN), "reassign");
	assert_string_equal(policy_trigger_to_string(POLICY_TRIGGER_AFTER_BREACH), "after_breach");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_issue_example_parses),
	        cmocka_unit_test(test_full_policy),
	        cmocka_unit_test(test_defaults_without_calendar_are_24x7_utc),
	        cmocka_unit_test(test_errors_name_the_field_by_path),
	        cmocka_unit_test(test_calendar_errors_are_prefixed),
	        cmocka_unit_test(test_lower_order_wins_between_overlapping_policies),
	        cmocka_unit_test(test_ticket_without_policy_is_reported),
	        cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
