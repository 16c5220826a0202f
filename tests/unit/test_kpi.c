/* Tests for kpi/kpi.c and kpi/kpi_json.c with hand-computed values: every KPI of
 * docs/kpi.md over five tickets (one spanning a month boundary, one reopened, two
 * unresolved, one in-flight SLA breach), per month, ISO week, quarter, custom range
 * and team, business hours through a compiled calendar, period boundaries in a time
 * zone, zero denominators as NaN/null, the percentile definition, negative durations,
 * option errors and the JSON shape the CLI prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"
#include "kpi/kpi.h"
#include "kpi/kpi_json.h"

#define H 3600
#define D 86400

static ls_time at(int y, unsigned m, unsigned d, int hh, int mm)
{
	return time_days_from_civil(y, m, d) * D + hh * H + mm * 60;
}

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

static struct rec_ticket T[5];

/* The five tickets of every test (UTC):
 *  T1 team A  opened Mon 2024-01-01 10:00, first reply 11:00, resolved 14:00, closed 01-03;
 *             1 agent reply, no reassignment, SLA made, 30 effort minutes, CSAT 5, NPS 10
 *  T2 team A  opened Tue 2024-01-30 08:00, resolved Fri 2024-02-02 08:00 (spans the month);
 *             reopened once, 2 reassignments, SLA missed, 3 replies, 90 minutes, CSAT 2, NPS 5
 *  T3 team B  opened 2024-02-05 09:00, unresolved, 1 reassignment, SLA made so far (in flight)
 *  T4 team B  opened 2024-02-10 09:00, unresolved, SLA already breached
 *  T5 no team opened Mon 2024-02-12 12:00, resolved 13:00, 2 replies, SLA made */
static int setup(void **state)
{
	(void)state;
	for (int i = 0; i < 5; i++) {
		rec_ticket_init(&T[i]);
		T[i].source = "test";
		T[i].reassignment_count = 0;
	}
	T[0].team = "A";
	T[0].opened_at = at(2024, 1, 1, 10, 0);
	T[0].first_response_at = at(2024, 1, 1, 11, 0);
	T[0].resolved_at = at(2024, 1, 1, 14, 0);
	T[0].closed_at = at(2024, 1, 3, 0, 0);
	T[0].reopen_count = 0;
	T[0].made_sla = 1;
	T[0].agent_replies = 1;
	T[0].effort_minutes = 30;
	T[0].csat = 5;
	T[0].nps = 10;

	T[1].team = "A";
	T[1].opened_at = at(2024, 1, 30, 8, 0);
	T[1].resolved_at = at(2024, 2, 2, 8, 0);
	T[1].reopen_count = 1;
	T[1].reassignment_count = 2;
	T[1].made_sla = 0;
	T[1].agent_replies = 3;
	T[1].effort_minutes = 90;
	T[1].csat = 2;
	T[1].nps = 5;

	T[2].team = "B";
	T[2].opened_at = at(2024, 2, 5, 9, 0);
	T[2].reassignment_count = 1;
	T[2].made_sla = 1;
	T[2].agent_replies = 0;

	T[3].team = "B";
	T[3].opened_at = at(2024, 2, 10, 9, 0);
	T[3].made_sla = 0;

	T[4].opened_at = at(2024, 2, 12, 12, 0);
	T[4].resolved_at = at(2024, 2, 12, 13, 0);
	T[4].reopen_count = 0;
	T[4].made_sla = 1;
	T[4].agent_replies = 2;
	return 0;
}

static void test_percentiles_follow_the_documented_definition(void **state)
{
	(void)state;
	struct kpi_dist d = kpi_dist_of(NULL, 0);
	assert_int_equal(d.n, 0);
	assert_true(isnan(d.mean) && isnan(d.median) && isnan(d.p90));
	double one[] = {5};
	d = kpi_dist_of(one, 1);
	assert_near(d.median, 5);
	assert_near(d.p90, 5);
	double four[] = {4, 1, 3, 2};
	d = kpi_dist_of(four, 4);
	assert_near(d.mean, 2.5);
	assert_near(d.median, 2.5); /* mean of the two middle values */
	assert_near(d.p90, 4);      /* rank ceil(3.6) = 4 */
	double ten[] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
	d = kpi_dist_of(ten, 10);
	assert_near(d.median, 5.5);
	assert_near(d.p90, 9); /* rank 9 of 10 */
	double eleven[] = {7, 7, 1, 11, 2, 3, 10, 4, 5, 6, 7};
	d = kpi_dist_of(eleven, 11);
	assert_near(d.median, 6);
	assert_near(d.p90, 10); /* rank ceil(9.9) = 10 */
	double same[] = {2, 2, 2, 2, 2, 2};
	d = kpi_dist_of(same, 6);
	assert_near(d.median, 2);
	assert_near(d.p90, 2);
}

static void test_totals_by_hand(void **state)
{
	(void)state;
	struct kpi_options o = {0};
	struct kpi_result r;
	struct lserr e;
	assert_int_equal(kpi_compute(T, 5, &o, &r, &e), 0);
	const struct kpi_set *s = &r.total;
	assert_int_equal(s->tickets, 5);
	assert_int_equal(s->solved, 3);
	assert_int_equal(s->backlog, 2); /* T3, T4 */
	assert_rate(s->reopen_rate, 1, 3);
	assert_int_equal(r.sla_variant, KPI_SLA_SOURCE);
	assert_rate(s->sla_compliance, 2, 4); /* T1 T5 made; T2 missed; T4 breached in flight; T3 excluded */
	assert_rate(s->sla_target, 0, 0);
	assert_rate(s->reassigned_share, 2, 5);
	assert_near(s->reassignments_mean, 0.6);
	assert_int_equal(s->resolution_hours.n, 3);
	assert_near(s->resolution_hours.mean, 77.0 / 3);
	assert_near(s->resolution_hours.median, 4);
	assert_near(s->resolution_hours.p90, 72);
	assert_int_equal(s->first_response_hours.n, 1);
	assert_near(s->first_response_hours.median, 1);
	assert_near(s->handle_minutes.mean, 60);
	assert_near(s->handle_minutes.p90, 90);
	assert_rate(s->fcr_one_touch, 1, 3);
	assert_rate(s->fcr_zoho, 1, 1); /* only T1 is closed */
	assert_rate(s->fcr_canonical, 1, 3);
	assert_rate(s->fcr_net, 1, 3); /* no category excluded */
	assert_rate(s->fcr_freshservice, 0, 0);
	assert_rate(s->fcr_one_touch_messaging, 0, 0); /* wait counts unknown */
	assert_rate(s->fcr_one_business_hour, 0, 0);   /* no calendar */
	assert_rate(s->fcr_source, 0, 0);
	assert_rate(s->csat, 1, 2);
	assert_int_equal(s->nps.n, 2);
	assert_near(s->nps.value, 0);
	assert_true(isnan(s->resolution_business_hours.mean));
	assert_null(r.groups);
	kpi_result_release(&r);
}

static void test_backlog_as_of_an_instant(void **state)
{
	(void)state;
	struct kpi_options o = {.as_of = at(2024, 2, 1, 0, 0)};
	struct kpi_result r;
	assert_int_equal(kpi_compute(T, 5, &o, &r, NULL), 0);
	assert_int_equal(r.total.backlog, 1); /* T2: opened before, resolved after */
	kpi_result_release(&r);
}

static void test_months_count_each_kpi_at_its_own_event(void **state)
{
	(void)state;
	struct kpi_options o = {.period = KPI_PERIOD_MONTH};
	struct kpi_result r;
	assert_int_equal(kpi_compute(T, 5, &o, &r, NULL), 0);
	assert_int_equal(r.n_groups, 2);
	const struct kpi_group *jan = &r.groups[0], *feb = &r.groups[1];
	assert_string_equal(jan->period, "2024-01");
	assert_int_equal(jan->period_start, at(2024, 1, 1, 0, 0));
	assert_int_equal(jan->period_end, at(2024, 2, 1, 0, 0));
	assert_null(jan->value);
	assert_int_equal(jan->set.tickets, 2); /* T1, T2 opened in January */
	assert_int_equal(jan->set.solved, 1);  /* T2 was solved in February */
	assert_rate(jan->set.reopen_rate, 0, 1);
	assert_int_equal(jan->set.resolution_hours.n, 1);
	assert_rate(jan->set.sla_compliance, 1, 1);
	assert_rate(jan->set.reassigned_share, 1, 2);
	assert_int_equal(jan->set.backlog, 1); /* T2 open at the end of January */

	assert_string_equal(feb->period, "2024-02");
	assert_int_equal(feb->set.tickets, 3);
	assert_int_equal(feb->set.solved, 2);
	assert_rate(feb->set.reopen_rate, 1, 2);
	assert_near(feb->set.resolution_hours.median, 36.5);
	assert_near(feb->set.resolution_hours.p90, 72);
	assert_rate(feb->set.sla_compliance, 1, 3); /* T2 missed, T5 made, T4 breached (opened Feb) */
	assert_rate(feb->set.reassigned_share, 1, 3);
	assert_near(feb->set.reassignments_mean, 1.0 / 3);
	assert_int_equal(feb->set.backlog, 2);
	assert_int_equal(r.total.backlog, 2);
	assert_int_equal(r.total.tickets, 5);
	kpi_result_release(&r);
}

static void test_weeks_and_quarters_are_labelled_iso(void **state)
{
	(void)state;
	struct rec_ticket x[3];
	for (int i = 0; i < 3; i++)
		rec_ticket_init(&x[i]);
	x[0].opened_at = at(2021, 1, 3, 12, 0);   /* Sunday: ISO week 53 of 2020 */
	x[1].opened_at = at(2024, 12, 30, 12, 0); /* Monday: week 1 of 2025 */
	x[2].opened_at = at(2024, 1, 1, 0, 0);    /* Monday: week 1 of 2024 */
	struct kpi_options o = {.period = KPI_PERIOD_WEEK};
	struct kpi_result r;
	assert_int_equal(kpi_compute(x, 3, &o, &r, NULL), 0);
	assert_int_equal(r.n_groups, 3);
	assert_string_equal(r.groups[0].period, "2020-W53");
	assert_int_equal(r.groups[0].period_start, at(2020, 12, 28, 0, 0));
	assert_int_equal(r.groups[0].period_end, at(2021, 1, 4, 0, 0));
	assert_string_equal(r.groups[1].period, "2024-W01");
	assert_string_equal(r.groups[2].period, "2025-W01");
	kpi_result_release(&r);

	o.period = KPI_PERIOD_QUARTER;
	assert_int_equal(kpi_compute(T, 5, &o, &r, NULL), 0);
	assert_int_equal(r.n_groups, 1);
	assert_string_equal(r.groups[0].period, "2024-Q1");
	assert_int_equal(r.groups[0].period_end, at(2024, 4, 1, 0, 0));
	assert_int_equal(r.groups[0].set.tickets, 5);
	kpi_result_release(&r);
}

static void test_custom_range_limits_total_and_group(void **state)
{
	(void)state;
	struct kpi_options o = {.period = KPI_PERIOD_RANGE, .from = at(2024, 2, 1, 0, 0), .to = at(2024, 3, 1, 0, 0)};
	struct kpi_result r;
	assert_int_equal(kpi_compute(T, 5, &o, &r, NULL), 0);
	assert_int_equal(r.total.tickets, 3);
	assert_int_equal(r.total.resolution_hours.n, 2); /* T2 and T5 were resolved in February */
	assert_int_equal(r.total.backlog, 2);
	assert_int_equal(r.n_groups, 1);
	assert_string_equal(r.groups[0].period, "range");
	assert_int_equal(r.groups[0].set.tickets, 3);
	kpi_result_release(&r);
	struct lserr e;
	o.to = o.from;
	assert_int_equal(kpi_compute(T, 5, &o, &r, &e), -EINVAL);
	assert_string_equal(e.field, "to");
}

static void test_groups_by_team_with_zero_denominators_as_nan(void **state)
{
	(void)state;
	struct kpi_options o = {.group_by = KPI_DIM_TEAM};
	struct kpi_result r;
	assert_int_equal(kpi_compute(T, 5, &o, &r, NULL), 0);
	assert_int_equal(r.n_groups, 3);
	assert_null(r.groups[0].value); /* T5 has no team: first */
	assert_string_equal(r.groups[1].value, "A");
	assert_string_equal(r.groups[2].value, "B");
	const struct kpi_set *a = &r.groups[1].set, *b = &r.groups[2].set;
	assert_int_equal(a->tickets, 2);
	assert_near(a->resolution_hours.median, 38);
	assert_rate(a->reopen_rate, 1, 2);
	assert_int_equal(b->tickets, 2);
	assert_int_equal(b->solved, 0);
	assert_rate(b->reopen_rate, 0, 0); /* nothing solved: NaN, not 0 */
	assert_true(isnan(b->resolution_hours.mean));
	assert_rate(b->sla_compliance, 0, 1); /* T4's in-flight breach */
	assert_int_equal(b->backlog, 2);
	kpi_result_release(&r);

	o.group_by = KPI_DIM_PRIORITY; /* unknown priorities group under NULL */
	assert_int_equal(kpi_compute(T, 5, &o, &r, NULL), 0);
	assert_int_equal(r.n_groups, 1);
	kpi_result_release(&r);
}

static void test_business_hours_use_the_calendar(void **state)
{
	(void)state;
	struct calendar_spec spec = {
	        .tz = "UTC", .hours = "mon-fri 08:00-17:00", .holidays = "none", .first_year = 2024, .last_year = 2024};
	struct calendar *cal = NULL;
	struct lserr e;
	if (calendar_compile(&spec, &cal, &e) < 0)
		fail_msg("calendar: %s", e.message);
	struct kpi_options o = {.cal = cal};
	struct kpi_result r;
	assert_int_equal(kpi_compute(T, 5, &o, &r, NULL), 0);
	const struct kpi_set *s = &r.total;
	assert_int_equal(s->resolution_business_hours.n, 3); /* 4, 27 (Tue-Thu 3 x 9 h), 1 */
	assert_near(s->resolution_business_hours.mean, 32.0 / 3);
	assert_near(s->resolution_business_hours.median, 4);
	assert_near(s->resolution_business_hours.p90, 27);
	assert_near(s->first_response_business_hours.median, 1);
	assert_rate(s->fcr_one_business_hour, 1, 3); /* only T5 */
	kpi_result_release(&r);

	struct rec_ticket old;
	rec_ticket_init(&old);
	old.opened_at = at(2020, 1, 1, 9, 0);
	old.resolved_at = at(2020, 1, 2, 9, 0);
	assert_int_equal(kpi_compute(&old, 1, &o, &r, NULL), 0);
	assert_int_equal(r.skipped_calendar, 2); /* resolution and the one-business-hour FCR */
	assert_int_equal(r.total.resolution_hours.n, 1);
	assert_int_equal(r.total.resolution_business_hours.n, 0);
	kpi_result_release(&r);
	calendar_free(cal);
}

/* Net resolution business hours of one ticket under mon-fri 08:00-17:00 UTC with
 * the German national holidays (2024-05-01, a Wednesday, is Labour Day). */
static double net_bh(const struct calendar *cal, const struct rec_ticket *t, uint64_t *ret_n)
{
	struct kpi_options o = {.cal = cal};
	struct kpi_result r;
	assert_int_equal(kpi_compute(t, 1, &o, &r, NULL), 0);
	double v = r.total.resolution_business_hours_net.median;
	*ret_n = r.total.resolution_business_hours_net.n;
	kpi_result_release(&r);
	return v;
}

static struct calendar *de_calendar(void)
{
	struct calendar_spec spec = {
	        .tz = "UTC", .hours = "mon-fri 08:00-17:00", .holidays = "DE", .first_year = 2024, .last_year = 2024};
	struct calendar *cal = NULL;
	struct lserr e;
	if (calendar_compile(&spec, &cal, &e) < 0)
		fail_msg("calendar: %s", e.message);
	return cal;
}

static void test_pause_across_a_weekend_and_a_holiday_is_subtracted(void **state)
{
	(void)state;
	struct calendar *cal = de_calendar();
	/* opened Fri 04-26 09:00, waiting Fri 15:00 .. Thu 05-02 10:00, resolved Thu
	 * 12:00: gross Fri 8 + Mon 9 + Tue 9 + Wed 0 (holiday) + Thu 4 = 30 h; paused Fri
	 * 2 + Mon 9 + Tue 9 + Thu 2 = 22 h; net 8 h (Fri 09-15, Thu 10-12) */
	struct rec_pause p[] = {{at(2024, 4, 26, 15, 0), at(2024, 5, 2, 10, 0)}};
	struct rec_ticket t;
	rec_ticket_init(&t);
	t.opened_at = at(2024, 4, 26, 9, 0);
	t.resolved_at = at(2024, 5, 2, 12, 0);
	t.pauses = p;
	t.n_pauses = 1;
	uint64_t n;
	assert_near(net_bh(cal, &t, &n), 8);
	assert_int_equal(n, 1);
	struct kpi_options o = {.cal = cal};
	struct kpi_result r;
	assert_int_equal(kpi_compute(&t, 1, &o, &r, NULL), 0);
	assert_near(r.total.resolution_business_hours.median, 30); /* gross unchanged */
	kpi_result_release(&r);
	calendar_free(cal);
}

static void test_pause_spanning_the_resolution_ends_there(void **state)
{
	(void)state;
	struct calendar *cal = de_calendar();
	/* opened Mon 04-29 08:00, resolved Tue 10:00 (gross 9 + 2 = 11 h), waiting from
	 * Mon 12:00: still waiting, or until Tue 16:00: both count Mon 12-17 + Tue 08-10
	 * = 7 h; net 4 h */
	struct rec_pause open_end[] = {{at(2024, 4, 29, 12, 0), REC_TIME_NONE}};
	struct rec_pause late_end[] = {{at(2024, 4, 29, 12, 0), at(2024, 4, 30, 16, 0)}};
	struct rec_ticket t;
	rec_ticket_init(&t);
	t.opened_at = at(2024, 4, 29, 8, 0);
	t.resolved_at = at(2024, 4, 30, 10, 0);
	uint64_t n;
	t.pauses = open_end;
	t.n_pauses = 1;
	assert_near(net_bh(cal, &t, &n), 4);
	t.pauses = late_end;
	assert_near(net_bh(cal, &t, &n), 4);
	calendar_free(cal);
}

static void test_several_pauses_are_clipped_to_the_ticket_and_summed(void **state)
{
	(void)state;
	struct calendar *cal = de_calendar();
	/* opened Mon 04-29 08:00, resolved Tue 12:00: gross 9 + 4 = 13 h. Waiting
	 * 07:00-08:30 (before the opening: 0.5 h counts), 09:00-10:00 (1 h), Mon 16:00 -
	 * Tue 09:00 (1 + 1 h), Tue 11:00-11:30 (0.5 h): 4 h paused, net 9 h */
	struct rec_pause p[] = {
	        {at(2024, 4, 29, 7, 0), at(2024, 4, 29, 8, 30)},
	        {at(2024, 4, 29, 9, 0), at(2024, 4, 29, 10, 0)},
	        {at(2024, 4, 29, 16, 0), at(2024, 4, 30, 9, 0)},
	        {at(2024, 4, 30, 11, 0), at(2024, 4, 30, 11, 30)},
	};
	struct rec_ticket t;
	rec_ticket_init(&t);
	t.opened_at = at(2024, 4, 29, 8, 0);
	t.resolved_at = at(2024, 4, 30, 12, 0);
	t.pauses = p;
	t.n_pauses = 4;
	uint64_t n;
	assert_near(net_bh(cal, &t, &n), 9);
	calendar_free(cal);
}

static void test_reopened_ticket_counts_the_resolved_time_but_not_its_pauses(void **state)
{
	(void)state;
	struct calendar *cal = de_calendar();
	/* opened Mon 04-29 08:00, waiting 10:00-12:00, resolved 14:00, reopened Tue
	 * 08:00, waiting 09:00-11:00, resolved again Tue 13:00. Resolution runs to the
	 * last resolution: gross 9 + 5 = 14 h (the resolved hours Mon 14-17 are no
	 * pause); paused 2 + 2 h; net 10 h */
	struct rec_pause p[] = {
	        {at(2024, 4, 29, 10, 0), at(2024, 4, 29, 12, 0)},
	        {at(2024, 4, 30, 9, 0), at(2024, 4, 30, 11, 0)},
	};
	struct rec_ticket t;
	rec_ticket_init(&t);
	t.opened_at = at(2024, 4, 29, 8, 0);
	t.first_resolved_at = at(2024, 4, 29, 14, 0);
	t.reopened_at = at(2024, 4, 30, 8, 0);
	t.reopen_count = 1;
	t.resolved_at = at(2024, 4, 30, 13, 0);
	t.pauses = p;
	t.n_pauses = 2;
	uint64_t n;
	assert_near(net_bh(cal, &t, &n), 10);
	calendar_free(cal);
}

static void test_net_needs_known_pauses_and_a_calendar(void **state)
{
	(void)state;
	struct calendar *cal = de_calendar();
	struct rec_ticket t[2];
	for (int i = 0; i < 2; i++) {
		rec_ticket_init(&t[i]);
		t[i].opened_at = at(2024, 4, 29, 8, 0);
		t[i].resolved_at = at(2024, 4, 29, 10, 0);
	}
	t[1].n_pauses = 0; /* known: never waited */
	struct kpi_options o = {.cal = cal};
	struct kpi_result r;
	assert_int_equal(kpi_compute(t, 2, &o, &r, NULL), 0);
	assert_int_equal(r.total.resolution_business_hours.n, 2);
	assert_int_equal(r.total.resolution_business_hours_net.n, 1);
	assert_near(r.total.resolution_business_hours_net.median, 2);
	kpi_result_release(&r);
	o.cal = NULL;
	assert_int_equal(kpi_compute(t, 2, &o, &r, NULL), 0);
	assert_int_equal(r.total.resolution_business_hours_net.n, 0);
	assert_true(isnan(r.total.resolution_business_hours_net.mean));
	json_t *j = kpi_json_result(&r);
	assert_true(json_is_null(json_object_get(json_object_get(j, "resolution_business_hours_net"), "median")));
	json_decref(j);
	kpi_result_release(&r);
	calendar_free(cal);
}

static void test_period_boundaries_follow_the_zone(void **state)
{
	(void)state;
	struct tz *tz = NULL;
	if (tz_load("Europe/Berlin", &tz, NULL) < 0)
		skip();
	struct rec_ticket x;
	rec_ticket_init(&x);
	x.opened_at = at(2024, 1, 31, 23, 30); /* 00:30 on 1 February in Berlin */
	struct kpi_options o = {.period = KPI_PERIOD_MONTH};
	struct kpi_result r;
	assert_int_equal(kpi_compute(&x, 1, &o, &r, NULL), 0);
	assert_string_equal(r.groups[0].period, "2024-01");
	kpi_result_release(&r);
	o.tz = tz;
	assert_int_equal(kpi_compute(&x, 1, &o, &r, NULL), 0);
	assert_string_equal(r.groups[0].period, "2024-02");
	assert_int_equal(r.groups[0].period_start, at(2024, 1, 31, 23, 0));
	kpi_result_release(&r);
	tz_free(tz);
}

/* Many tickets (equal team texts at different addresses, instants before 1970, DST
 * switches, tickets solved before their opening): every period's received, solved
 * and backlog figures, by week, month and quarter in a zone and per team over a
 * custom range, equal a ticket-by-ticket count with kpi_period_key() and
 * kpi_period_bounds(). */
static void test_periods_and_backlog_equal_a_count_ticket_by_ticket(void **state)
{
	(void)state;
	struct tz *tz = NULL;
	if (tz_load("Europe/Berlin", &tz, NULL) < 0)
		skip();
	enum { N = 4000 };
	static char teams[4][8] = {"A", "B", "A", "C"}; /* "A" twice, at two addresses */
	struct rec_ticket *x = calloc(N, sizeof(*x));
	assert_non_null(x);
	uint64_t seed = 7;
	for (size_t i = 0; i < N; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		uint64_t r = seed >> 11;
		rec_ticket_init(&x[i]);
		x[i].team = r % 5 == 4 ? NULL : teams[r % 4];
		x[i].opened_at = at(1969, 11, 1, 0, 0) + (ls_time)(r % (800 * D));
		if (r % 7 != 0) /* solved, a few of them before the opening */
			x[i].resolved_at = x[i].opened_at + (ls_time)((r >> 20) % (40 * D)) - (r % 13 == 0 ? 2 * D : 0);
	}
	const enum kpi_period periods[] = {KPI_PERIOD_WEEK, KPI_PERIOD_MONTH, KPI_PERIOD_QUARTER};
	for (size_t p = 0; p < 3; p++) {
		struct kpi_options o = {.period = periods[p], .tz = tz};
		struct kpi_result r;
		assert_int_equal(kpi_compute(x, N, &o, &r, NULL), 0);
		uint64_t tickets = 0;
		for (size_t g = 0; g < r.n_groups; g++) {
			const struct kpi_group *kg = &r.groups[g];
			uint64_t rec = 0, sol = 0, open = 0;
			for (size_t i = 0; i < N; i++) {
				int64_t k1, k2;
				ls_time s = rec_ticket_solved_at(&x[i]);
				ls_time s_clamped = s > x[i].opened_at ? s : x[i].opened_at;
				ls_time start, end;
				char label[32];
				kpi_period_key(&o, x[i].opened_at, &k1);
				kpi_period_bounds(&o, k1, &start, &end, label, sizeof(label));
				rec += strcmp(label, kg->period) == 0;
				if (s) {
					kpi_period_key(&o, s, &k2);
					kpi_period_bounds(&o, k2, &start, &end, label, sizeof(label));
					sol += strcmp(label, kg->period) == 0;
				}
				open += x[i].opened_at < kg->period_end && !(s && s_clamped < kg->period_end);
			}
			assert_int_equal(kg->set.tickets, rec);
			assert_int_equal(kg->set.solved, sol);
			assert_int_equal(kg->set.backlog, open);
			tickets += rec;
		}
		assert_int_equal(tickets, N);
		kpi_result_release(&r);
	}
	struct kpi_options o = {.period = KPI_PERIOD_RANGE,
	                        .group_by = KPI_DIM_TEAM,
	                        .from = at(1970, 3, 1, 0, 0),
	                        .to = at(1970, 6, 1, 0, 0)};
	struct kpi_result r;
	assert_int_equal(kpi_compute(x, N, &o, &r, NULL), 0);
	assert_int_equal(r.n_groups, 4); /* A, B, C and none: one "A" however stored */
	uint64_t all_open = 0;
	for (size_t g = 0; g < r.n_groups; g++) {
		const struct kpi_group *kg = &r.groups[g];
		uint64_t rec = 0, open = 0;
		for (size_t i = 0; i < N; i++) {
			if (!(kg->value ? x[i].team && strcmp(x[i].team, kg->value) == 0 : !x[i].team))
				continue;
			ls_time s = rec_ticket_solved_at(&x[i]);
			ls_time s_clamped = s > x[i].opened_at ? s : x[i].opened_at;
			rec += x[i].opened_at >= o.from && x[i].opened_at < o.to;
			open += x[i].opened_at < o.to && !(s && s_clamped < o.to);
		}
		assert_int_equal(kg->set.tickets, rec);
		assert_int_equal(kg->set.backlog, open);
		all_open += open;
	}
	assert_int_equal(r.total.backlog, all_open);
	kpi_result_release(&r);
	free(x);
	tz_free(tz);
}

static void test_variants_need_their_data(void **state)
{
	(void)state;
	struct rec_ticket x[3];
	for (int i = 0; i < 3; i++) {
		rec_ticket_init(&x[i]);
		x[i].opened_at = at(2024, 3, 1, 8, 0);
		x[i].resolved_at = at(2024, 3, 1, 9, 0);
		x[i].first_resolved_at = x[i].resolved_at;
		x[i].agent_replies = 1;
		x[i].reassignment_count = 0;
		x[i].reopen_count = 0;
		x[i].wait_count = 0;
		x[i].customer_interactions = 0;
		x[i].resolution_due_at = at(2024, 3, 1, 10, 0);
	}
	x[1].reopen_count = 1; /* reopened 10 days after resolution: outside the 7-day window */
	x[1].reopened_at = x[1].first_resolved_at + 10 * D;
	x[1].customer_interactions = 2;
	x[1].category = "hardware";
	x[2].reopen_count = 1; /* reopened after 2 days: not FCR */
	x[2].reopened_at = x[2].first_resolved_at + 2 * D;
	x[2].wait_count = 1;
	x[2].resolved_at = at(2024, 3, 1, 11, 0); /* after the due time */
	x[2].fcr_flag = 1;
	const char *not_l1[] = {"hardware"};
	struct kpi_options o = {.not_l1_categories = not_l1, .n_not_l1 = 1};
	struct kpi_result r;
	assert_int_equal(kpi_compute(x, 3, &o, &r, NULL), 0);
	const struct kpi_set *s = &r.total;
	assert_int_equal(r.sla_variant, KPI_SLA_TARGET);
	assert_rate(s->sla_compliance, 2, 3);
	assert_rate(s->fcr_canonical, 2, 3);
	assert_rate(s->fcr_net, 2, 2); /* the hardware ticket leaves the denominator */
	assert_rate(s->fcr_one_touch_messaging, 1, 3);
	assert_rate(s->fcr_freshservice, 2, 3);
	assert_rate(s->fcr_source, 1, 1);
	assert_rate(s->reopen_rate, 2, 3);
	kpi_result_release(&r);
	o.fcr_reopen_days = 14; /* now x[1]'s reopen is inside the window */
	assert_int_equal(kpi_compute(x, 3, &o, &r, NULL), 0);
	assert_rate(r.total.fcr_canonical, 1, 3);
	kpi_result_release(&r);
}

static void test_negative_durations_are_left_out(void **state)
{
	(void)state;
	struct rec_ticket x;
	rec_ticket_init(&x);
	x.opened_at = at(2024, 3, 2, 0, 0);
	x.resolved_at = at(2024, 3, 1, 0, 0);
	struct kpi_options o = {.period = KPI_PERIOD_MONTH};
	struct kpi_result r;
	assert_int_equal(kpi_compute(&x, 1, &o, &r, NULL), 0);
	assert_int_equal(r.skipped_negative, 1);
	assert_int_equal(r.total.resolution_hours.n, 0);
	assert_int_equal(r.total.backlog, 0); /* never negative */
	kpi_result_release(&r);
}

static void test_no_tickets_gives_nulls(void **state)
{
	(void)state;
	struct kpi_options o = {0};
	struct kpi_result r;
	assert_int_equal(kpi_compute(NULL, 0, &o, &r, NULL), 0);
	json_t *j = kpi_json_result(&r);
	assert_int_equal(json_integer_value(json_object_get(j, "tickets")), 0);
	assert_true(json_is_null(json_object_get(j, "reopen_rate")));
	assert_true(json_is_null(json_object_get(j, "sla_compliance")));
	assert_true(json_is_null(json_object_get(json_object_get(j, "resolution_hours"), "median")));
	assert_true(json_is_null(json_object_get(j, "reassignments_mean")));
	json_decref(j);
	kpi_result_release(&r);
}

static void test_json_has_the_cli_shape(void **state)
{
	(void)state;
	struct kpi_options o = {.group_by = KPI_DIM_TEAM};
	struct kpi_result r;
	assert_int_equal(kpi_compute(T, 5, &o, &r, NULL), 0);
	json_t *j = kpi_json_result(&r);
	static const char *const keys[] = {"tickets",          "reopen_rate",      "sla_compliance",
	                                   "resolution_hours", "reassigned_share", "reassignments_mean"};
	const char *k;
	json_t *v;
	size_t i = 0;
	json_object_foreach(j, k, v)
	{
		if (i < 6)
			assert_string_equal(k, keys[i]); /* the contract keys come first, in order */
		i++;
	}
	assert_int_equal(json_integer_value(json_object_get(j, "tickets")), 5);
	assert_near(json_real_value(json_object_get(j, "reassigned_share")), 0.4);
	json_t *res = json_object_get(j, "resolution_hours");
	assert_near(json_real_value(json_object_get(res, "median")), 4);
	assert_near(json_real_value(json_object_get(res, "p90")), 72);
	assert_string_equal(json_string_value(json_object_get(j, "group_by")), "team");
	json_t *groups = json_object_get(j, "groups");
	assert_int_equal(json_array_size(groups), 3);
	json_t *g0 = json_array_get(groups, 0), *gb = json_array_get(groups, 2);
	assert_true(json_is_null(json_object_get(g0, "group")));
	assert_string_equal(json_string_value(json_object_get(gb, "group")), "B");
	assert_true(json_is_null(json_object_get(gb, "reopen_rate")));
	assert_near(json_real_value(json_object_get(gb, "sla_compliance")), 0);
	for (size_t x = 0; x < 6; x++)
		assert_non_null(json_object_get(gb, keys[x]));
	json_decref(j);
	kpi_result_release(&r);
}

static void test_names_round_trip(void **state)
{
	(void)state;
	for (int d = 0; d < _KPI_DIM_MAX; d++)
		assert_int_equal(kpi_dim_from_string(kpi_dim_to_string((enum kpi_dim)d)), d);
	for (int p = 0; p < _KPI_PERIOD_MAX; p++)
		assert_int_equal(kpi_period_from_string(kpi_period_to_string((enum kpi_period)p)), p);
	assert_int_equal(kpi_dim_from_string("region"), _KPI_DIM_INVALID);
	assert_int_equal(kpi_period_from_string(NULL), _KPI_PERIOD_INVALID);
	struct kpi_options o = {.group_by = (enum kpi_dim)42};
	struct kpi_result r;
	struct lserr e;
	assert_int_equal(kpi_compute(T, 5, &o, &r, &e), -EINVAL);
	assert_string_equal(e.field, "group_by");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_percentiles_follow_the_documented_definition),
	        cmocka_unit_test_setup(test_totals_by_hand, setup),
	        cmocka_unit_test_setup(test_backlog_as_of_an_instant, setup),
	        cmocka_unit_test_setup(test_months_count_each_kpi_at_its_own_event, setup),
	        cmocka_unit_test_setup(test_weeks_and_quarters_are_labelled_iso, setup),
	        cmocka_unit_test_setup(test_custom_range_limits_total_and_group, setup),
	        cmocka_unit_test_setup(test_groups_by_team_with_zero_denominators_as_nan, setup),
	        cmocka_unit_test_setup(test_business_hours_use_the_calendar, setup),
	        cmocka_unit_test_setup(test_period_boundaries_follow_the_zone, setup),
	        cmocka_unit_test(test_periods_and_backlog_equal_a_count_ticket_by_ticket),
	        cmocka_unit_test(test_pause_across_a_weekend_and_a_holiday_is_subtracted),
	        cmocka_unit_test(test_pause_spanning_the_resolution_ends_there),
	        cmocka_unit_test(test_several_pauses_are_clipped_to_the_ticket_and_summed),
	        cmocka_unit_test(test_reopened_ticket_counts_the_resolved_time_but_not_its_pauses),
	        cmocka_unit_test(test_net_needs_known_pauses_and_a_calendar),
	        cmocka_unit_test(test_variants_need_their_data),
	        cmocka_unit_test(test_negative_durations_are_left_out),
	        cmocka_unit_test(test_no_tickets_gives_nulls),
	        cmocka_unit_test_setup(test_json_has_the_cli_shape, setup),
	        cmocka_unit_test_setup(test_names_round_trip, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
