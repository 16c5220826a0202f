/* Tests for sla/escalation.c: thresholds (shares rounded up, offsets after the
 * breach), levels filtered by priority, and the schedule: levels fall due at their
 * thresholds, an unacknowledged level climbs to the next after its reaction time
 * (in business time: across the night and a holiday), an acknowledgement in time
 * stops the climb, a level never falls due before the one below it, and nothing
 * falls due once the target has stopped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sla/escalation.h"

static struct calendar *cal;

static ls_time T(const char *s)
{
	ls_time t = 0;
	if (time_parse_rfc3339(s, &t) < 0)
		fail_msg("bad test timestamp %s", s);
	return t;
}

static void assert_time(ls_time t, const char *want)
{
	char buf[TZ_RFC3339_MAX];
	if (!t)
		fail_msg("no instant, want %s", want);
	tz_format_rfc3339(calendar_tz(cal), t, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("got %s, want %s", buf, want);
}

static int setup(void **state)
{
	(void)state;
	struct calendar_spec spec = {.tz = "Europe/Berlin",
	                             .hours = "mon-fri 08:00-17:00",
	                             .holidays = "DE-NW",
	                             .first_year = 2024,
	                             .last_year = 2026};
	return calendar_compile(&spec, &cal, NULL);
}

static int teardown(void **state)
{
	(void)state;
	calendar_free(cal);
	return 0;
}

static void test_thresholds(void **state)
{
	(void)state;
	struct policy_level share = {.trigger = POLICY_TRIGGER_SHARE, .percent = 75};
	struct policy_level after = {.trigger = POLICY_TRIGGER_AFTER_BREACH, .offset = 3600};
	assert_int_equal(escalation_threshold(&share, 4 * 3600), 3 * 3600);
	assert_int_equal(escalation_threshold(&share, 101), 76); /* 75.75 rounds up: never early */
	assert_int_equal(escalation_threshold(&after, 4 * 3600), 5 * 3600);
	share.percent = 100;
	assert_int_equal(escalation_threshold(&share, 4 * 3600), 4 * 3600);
}

static void test_levels_filtered_by_priority(void **state)
{
	(void)state;
	struct policy p = {0};
	p.n_levels[POLICY_RESOLUTION] = 3;
	p.levels[POLICY_RESOLUTION][0] = (struct policy_level){.percent = 75};
	p.levels[POLICY_RESOLUTION][1] = (struct policy_level){.percent = 100, .priorities = 1u << 1};
	p.levels[POLICY_RESOLUTION][2] = (struct policy_level){.percent = 100, .priorities = (1u << 2) | (1u << 3)};
	uint8_t idx[LS_MAX_SLA_LEVELS];
	assert_int_equal(escalation_levels(&p, POLICY_RESOLUTION, 1, idx), 2);
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[1], 1);
	assert_int_equal(escalation_levels(&p, POLICY_RESOLUTION, 3, idx), 2);
	assert_int_equal(idx[1], 2);
	assert_int_equal(escalation_levels(&p, POLICY_RESOLUTION, 5, idx), 1);
	assert_int_equal(escalation_levels(&p, POLICY_FIRST_RESPONSE, 1, idx), 0);
}

/* 75 % → notify the team lead (ack within 30m); 100 % → reassign to L2; breach + 1h
 * → notify the service manager. */
static struct policy_level lv[3] = {
        {.trigger = POLICY_TRIGGER_SHARE, .percent = 75, .owner = "team_lead", .ack_within = 1800},
        {.trigger = POLICY_TRIGGER_SHARE, .percent = 100, .action = POLICY_ACTION_REASSIGN, .owner = "L2"},
        {.trigger = POLICY_TRIGGER_AFTER_BREACH, .offset = 3600, .owner = "service_manager"},
};

static void test_levels_fall_due_at_thresholds_when_acknowledged(void **state)
{
	(void)state;
	struct escalation_input in[3] = {
	        {&lv[0], T("2025-03-31T11:00:00+02:00"), T("2025-03-31T11:10:00+02:00")},
	        {&lv[1], T("2025-03-31T12:00:00+02:00"), 0},
	        {&lv[2], T("2025-03-31T13:00:00+02:00"), 0},
	};
	ls_time out[3];
	bool climbed[3];
	assert_int_equal(escalation_schedule(in, 3, 0, cal, POLICY_TIME_BUSINESS, out, climbed, NULL), 0);
	assert_time(out[0], "2025-03-31T11:00:00+02:00");
	assert_time(out[1], "2025-03-31T12:00:00+02:00");
	assert_time(out[2], "2025-03-31T13:00:00+02:00");
	assert_false(climbed[1]);
}

static void test_unacknowledged_level_climbs_after_reaction_time(void **state)
{
	(void)state;
	struct escalation_input in[3] = {
	        {&lv[0], T("2025-03-31T11:00:00+02:00"), 0},
	        {&lv[1], T("2025-03-31T12:00:00+02:00"), 0},
	        {&lv[2], T("2025-03-31T13:00:00+02:00"), 0},
	};
	ls_time out[3];
	bool climbed[3];
	assert_int_equal(escalation_schedule(in, 3, 0, cal, POLICY_TIME_BUSINESS, out, climbed, NULL), 0);
	assert_time(out[1], "2025-03-31T11:30:00+02:00");
	assert_true(climbed[1]);
	assert_time(out[2], "2025-03-31T13:00:00+02:00"); /* level 2 needs no acknowledgement */
	assert_false(climbed[2]);
	/* acknowledged too late: still climbs */
	in[0].acked = T("2025-03-31T11:45:00+02:00");
	assert_int_equal(escalation_schedule(in, 3, 0, cal, POLICY_TIME_BUSINESS, out, climbed, NULL), 0);
	assert_time(out[1], "2025-03-31T11:30:00+02:00");
	/* acknowledged exactly at the end of the reaction time: in time */
	in[0].acked = T("2025-03-31T11:30:00+02:00");
	assert_int_equal(escalation_schedule(in, 3, 0, cal, POLICY_TIME_BUSINESS, out, climbed, NULL), 0);
	assert_time(out[1], "2025-03-31T12:00:00+02:00");
}

static void test_reaction_time_runs_in_business_hours(void **state)
{
	(void)state;
	/* Thu before Easter 16:45 + 30 business minutes: Good Friday, the weekend and
	 * Easter Monday are closed (DE-NW) → Tue 08:15 */
	struct escalation_input in[2] = {
	        {&lv[0], T("2025-04-17T16:45:00+02:00"), 0},
	        {&lv[1], 0, 0}, /* its own threshold unknown (the clock is paused) */
	};
	ls_time out[2];
	assert_int_equal(escalation_schedule(in, 2, 0, cal, POLICY_TIME_BUSINESS, out, NULL, NULL), 0);
	assert_time(out[1], "2025-04-22T08:15:00+02:00");
	assert_int_equal(escalation_schedule(in, 2, 0, cal, POLICY_TIME_CALENDAR, out, NULL, NULL), 0);
	assert_time(out[1], "2025-04-17T17:15:00+02:00");
}

static void test_nothing_falls_due_after_the_target_stopped(void **state)
{
	(void)state;
	struct escalation_input in[3] = {
	        {&lv[0], T("2025-03-31T11:00:00+02:00"), 0},
	        {&lv[1], 0, 0},
	        {&lv[2], 0, 0},
	};
	ls_time out[3];
	/* met at 11:20: level 1 fired, its climb at 11:30 never happens */
	assert_int_equal(
	        escalation_schedule(in, 3, T("2025-03-31T11:20:00+02:00"), cal, POLICY_TIME_BUSINESS, out, NULL, NULL),
	        0);
	assert_time(out[0], "2025-03-31T11:00:00+02:00");
	assert_int_equal(out[1], 0);
	assert_int_equal(out[2], 0);
	/* stopped at the very instant a level would fall due: it does not */
	assert_int_equal(
	        escalation_schedule(in, 1, T("2025-03-31T11:00:00+02:00"), cal, POLICY_TIME_BUSINESS, out, NULL, NULL),
	        0);
	assert_int_equal(out[0], 0);
}

static void test_level_never_before_the_one_below(void **state)
{
	(void)state;
	struct escalation_input in[2] = {
	        {&lv[1], 0, 0}, /* not reached */
	        {&lv[2], T("2025-03-31T13:00:00+02:00"), 0},
	};
	ls_time out[2];
	assert_int_equal(escalation_schedule(in, 2, 0, cal, POLICY_TIME_BUSINESS, out, NULL, NULL), 0);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_thresholds),
	        cmocka_unit_test(test_levels_filtered_by_priority),
	        cmocka_unit_test(test_levels_fall_due_at_thresholds_when_acknowledged),
	        cmocka_unit_test(test_unacknowledged_level_climbs_after_reaction_time),
	        cmocka_unit_test(test_reaction_time_runs_in_business_hours),
	        cmocka_unit_test(test_nothing_falls_due_after_the_target_stopped),
	        cmocka_unit_test(test_level_never_before_the_one_below),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
