/* Tests for kpi/findings.c with hand-computed numbers: arrival peaks against agents
 * active in events, against ACD handled load and without staffing data; SLA hot spots
 * (minimum support, z-score, Wilson interval, value); reassignment ping-pong (hand-
 * backs, unassigned steps, event order, pairs, extra resolution time); repeat
 * incidents on a configuration item, a symptom and title words, the window boundary
 * and generic symptoms; the Pareto sets by volume and effort; sorting and the cut per
 * kind; hours of the week in a zone; the JSON shape; bad input. The analysed period
 * is one month (30.436875 days) unless a test says otherwise, so a count per month is
 * the count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/tz.h"
#include "kpi/findings.h"

#define H     3600
#define D     86400
#define MONTH 2629746 /* seconds in 30.436875 days */

#define assert_near(a, b) assert_true(fabs((double)(a) - (double)(b)) < 1e-9)

static ls_time at(int y, unsigned m, unsigned d, int hh, int mm)
{
	return time_days_from_civil(y, m, d) * D + hh * H + mm * 60;
}

/* Monday 2024-01-01 00:00 UTC */
#define FROM at(2024, 1, 1, 0, 0)

static struct rec_ticket T[128];
static size_t NT;
static struct findings_event EV[64];
static size_t NE;
static char names[128][16];

static struct rec_ticket *add(ls_time opened, double res_hours)
{
	struct rec_ticket *t = &T[NT];
	rec_ticket_init(t);
	snprintf(names[NT], sizeof(names[NT]), "T%zu", NT);
	t->source = "test";
	t->source_id = t->number = names[NT];
	t->opened_at = opened;
	if (!isnan(res_hours))
		t->resolved_at = opened + (ls_time)(res_hours * H);
	NT++;
	return t;
}

static void event(size_t ticket, ls_time when, const char *field, const char *old, const char *new_value,
                  const char *actor)
{
	EV[NE++] = (struct findings_event){ticket, when, field, old, new_value, actor};
}

static int reset(void **state)
{
	(void)state;
	NT = NE = 0;
	return 0;
}

static void run(const struct findings_options *o, struct findings_result *r)
{
	struct findings_input in = {T, NT, EV, NE, NULL, 0};
	struct lserr e;
	assert_int_equal(findings_compute(&in, o, r, &e), 0);
}

/* The i-th finding of a kind, or NULL. */
static const struct findings_item *item(const struct findings_result *r, enum findings_kind k, size_t i)
{
	for (size_t j = 0; j < r->n_items; j++)
		if (r->items[j].kind == k && i-- == 0)
			return &r->items[j];
	return NULL;
}

static json_t *ev(const struct findings_item *it, const char *key)
{
	json_t *v = json_object_get(it->evidence, key);
	if (!v)
		fail_msg("evidence has no '%s'", key);
	return v;
}

static double evnum(const struct findings_item *it, const char *key)
{
	return json_number_value(ev(it, key));
}

static const char *evstr(const struct findings_item *it, const char *key)
{
	return json_string_value(ev(it, key));
}

static void test_names_and_hour_labels(void **state)
{
	(void)state;
	for (int k = 0; k < _FINDINGS_KIND_MAX; k++)
		assert_int_equal(findings_kind_from_string(findings_kind_to_string((enum findings_kind)k)), k);
	assert_int_equal(findings_kind_from_string("nope"), _FINDINGS_KIND_INVALID);
	assert_string_equal(findings_staffing_to_string(FINDINGS_STAFF_ACTORS), "ticket_event_actors");
	char b[16];
	assert_string_equal(findings_hour_label(0, false, b, sizeof(b)), "Mon 00:00");
	assert_string_equal(findings_hour_label(33, false, b, sizeof(b)), "Tue 09:00");
	assert_string_equal(findings_hour_label(167, true, b, sizeof(b)), "So 23:00");
}

/* Hours of the week (UTC, week of Monday 2024-01-01), tickets and distinct agents:
 *   Mon 09 (9):    6 tickets (10 h each), agent a twice in week 1 + agent b in week 2 → 2 agent-hours, ratio 3
 *   Tue 09 (33):   3 tickets (4 h), agents a, b, c → 3, ratio 1
 *   Wed 09 (57):   4 tickets (4 h), agents a, b → 2, ratio 2
 *   Thu 09 (81):   2 tickets (4 h), agents a, b → 2, ratio 1
 *   Fri 09 (105):  3 tickets (10 h), only an event without actor → unstaffed
 *   Mon 10 (10):   agent a, no tickets (not in the median)
 *   Sun 09 (153):  agent z, but before the period
 * Median ratio of 3, 1, 2, 1 = 1.5; peaks are ratios >= 2 x 1.5 = 3 with >= 3 tickets:
 * Mon 09 (exactly 3) and Fri 09 (no staff). Value: 9 peak tickets resolved in 10 h,
 * the others' median 4 h → (10 − 4) x 9 = 54 h per month. */
static void test_arrival_peaks_against_agents_active_in_events(void **state)
{
	(void)state;
	for (int i = 0; i < 6; i++)
		add(at(2024, 1, 1, 9, i), 10);
	for (int i = 0; i < 3; i++)
		add(at(2024, 1, 2, 9, i), 4);
	for (int i = 0; i < 4; i++)
		add(at(2024, 1, 3, 9, i), 4);
	for (int i = 0; i < 2; i++)
		add(at(2024, 1, 4, 9, i), 4);
	for (int i = 0; i < 3; i++)
		add(at(2024, 1, 5, 9, i), 10);
	event(0, at(2024, 1, 1, 9, 10), "comment", NULL, NULL, "a");
	event(0, at(2024, 1, 1, 9, 50), "comment", NULL, NULL, "a");
	event(0, at(2024, 1, 8, 9, 20), "comment", NULL, NULL, "b");
	event(1, at(2024, 1, 2, 9, 10), "state", NULL, NULL, "a");
	event(1, at(2024, 1, 2, 9, 11), "state", NULL, NULL, "b");
	event(1, at(2024, 1, 2, 9, 12), "state", NULL, NULL, "c");
	event(2, at(2024, 1, 3, 9, 10), "state", NULL, NULL, "a");
	event(2, at(2024, 1, 3, 9, 10), "state", NULL, NULL, "b");
	event(3, at(2024, 1, 4, 9, 10), "state", NULL, NULL, "a");
	event(3, at(2024, 1, 4, 9, 10), "state", NULL, NULL, "b");
	event(4, at(2024, 1, 5, 9, 30), "state", NULL, NULL, NULL);
	event(0, at(2024, 1, 1, 10, 30), "state", NULL, NULL, "a");
	event(0, at(2023, 12, 31, 9, 0), "state", NULL, NULL, "z");
	struct findings_options o = {.from = FROM, .to = FROM + MONTH, .min_support = 3};
	struct findings_result r;
	run(&o, &r);
	const struct findings_profile *p = &r.profile;
	assert_int_equal(r.tickets, 18);
	assert_near(r.months, 1);
	assert_int_equal(p->staffing, FINDINGS_STAFF_ACTORS);
	assert_int_equal(p->tickets[9], 6);
	assert_int_equal(p->tickets[105], 3);
	assert_near(p->agent_hours[9], 2);
	assert_near(p->agent_hours[33], 3);
	assert_near(p->agent_hours[10], 1);
	assert_near(p->agent_hours[105], 0);
	assert_near(p->agent_hours[153], 0);
	assert_near(p->ratio[9], 3);
	assert_true(isnan(p->ratio[105]));
	assert_near(p->median_ratio, 1.5);
	for (int h = 0; h < FINDINGS_HOURS_OF_WEEK; h++)
		assert_int_equal(p->flagged[h], h == 9 || h == 105);
	assert_int_equal(r.n_items, 1);
	const struct findings_item *it = item(&r, FINDINGS_ARRIVAL_PEAKS, 0);
	assert_non_null(it);
	assert_near(it->value_hours_per_month, 54);
	assert_string_equal(evstr(it, "staffing_source"), "ticket_event_actors");
	assert_near(evnum(it, "tickets_in_peak_hours"), 9);
	assert_near(evnum(it, "median_resolution_hours_peak"), 10);
	assert_near(evnum(it, "median_resolution_hours_other"), 4);
	json_t *hours = ev(it, "hours");
	assert_int_equal(json_array_size(hours), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(hours, 0), "hour")), "Fri 09:00");
	assert_true(json_is_null(json_object_get(json_array_get(hours, 0), "ratio")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(hours, 1), "hour")), "Mon 09:00");
	assert_near(json_number_value(json_object_get(json_array_get(hours, 1), "times_median")), 2);
	assert_string_equal(it->title, "Arrival peaks without staff: 2 hours of the week, worst Fri 09:00 with 3 "
	                               "tickets and no agent active");
	assert_string_equal(it->title_de, "Ankunftsspitzen ohne Besetzung: 2 Wochenstunden, am stärksten Fr 09:00 mit "
	                                  "3 Tickets und keinem aktiven Agenten");
	findings_result_release(&r);
}

/* 30-minute ACD intervals, talk seconds only (AHT 300 s everywhere):
 *   Mon 09:00 and 09:30: offered 100, answered 20, abandoned 80, talk 6,000 s each
 *     → 200 calls over 12,000 s / 3,600 = 3.333 busy agent-hours: ratio 60
 *   Tue 09, Wed 09: offered 40, answered 40, talk 12,000 s → ratio 12
 *   Thu 09: offered 40, answered 38, abandoned 2, talk 11,400 s → ratio 12.6316
 * Median (12 + 12.6316) / 2; only Mon 09 is >= 2 x that. Other hours abandon 2 of 120,
 * so 200 x 2/120 = 3.333 abandons are expected at Mon 09 and 156.667 are excess,
 * each worth 300 s: 13.056 h per month. */
static void test_arrival_peaks_against_acd_handled_load(void **state)
{
	(void)state;
	struct rec_interval iv[6];
	struct {
		ls_time start;
		int64_t offered, answered, abandoned;
		double talk;
	} rows[] = {
	        {at(2024, 1, 1, 9, 0), 100, 20, 80, 6000}, {at(2024, 1, 1, 9, 30), 100, 20, 80, 6000},
	        {at(2024, 1, 2, 9, 0), 40, 40, 0, 12000},  {at(2024, 1, 3, 9, 0), 40, 40, 0, 12000},
	        {at(2024, 1, 4, 9, 0), 40, 38, 2, 11400},  {at(2023, 12, 4, 9, 0), 999, 0, 999, 0},
	};
	for (size_t i = 0; i < 6; i++) {
		rec_interval_init(&iv[i]);
		iv[i].start = rows[i].start;
		iv[i].length = 1800;
		iv[i].offered = rows[i].offered;
		iv[i].answered = rows[i].answered;
		iv[i].abandoned = rows[i].abandoned;
		iv[i].talk = rows[i].talk;
	}
	struct findings_input in = {.intervals = iv, .n_intervals = 6};
	struct findings_options o = {.from = FROM, .to = FROM + MONTH, .min_support = 3};
	struct findings_result r;
	struct lserr e;
	assert_int_equal(findings_compute(&in, &o, &r, &e), 0);
	const struct findings_profile *p = &r.profile;
	assert_int_equal(p->staffing, FINDINGS_STAFF_ACD);
	assert_int_equal(p->calls[9], 200);
	assert_near(p->agent_hours[9], 12000.0 / 3600);
	assert_near(p->ratio[9], 60);
	assert_near(p->ratio[81], 40 / (11400.0 / 3600));
	assert_near(p->median_ratio, (12 + 40 / (11400.0 / 3600)) / 2);
	for (int h = 0; h < FINDINGS_HOURS_OF_WEEK; h++)
		assert_int_equal(p->flagged[h], h == 9);
	const struct findings_item *it = item(&r, FINDINGS_ARRIVAL_PEAKS, 0);
	assert_non_null(it);
	assert_string_equal(evstr(it, "staffing_source"), "acd_handled_load");
	assert_near(evnum(it, "calls_in_peak_hours"), 200);
	assert_near(evnum(it, "excess_abandoned_calls"), 160 - 200 * 2.0 / 120);
	assert_near(evnum(it, "aht_hours"), 300.0 / 3600);
	assert_near(it->value_hours_per_month, (160 - 200 * 2.0 / 120) * 300 / 3600);
	assert_string_equal(it->title, "Arrival peaks without matching staff: 1 hour of the week, worst Mon 09:00 with "
	                               "4.9 times the median calls per agent-hour");
	findings_result_release(&r);
}

/* Without events or intervals the arrivals are compared with the median arrivals:
 * 40 tickets at Mon 09, 10 each at Tue 09 and Wed 09 → median 10, Mon 09 is 4 x. */
static void test_arrival_peaks_without_staffing_data(void **state)
{
	(void)state;
	for (int i = 0; i < 40; i++)
		add(at(2024, 1, 1, 9, i), NAN);
	for (int i = 0; i < 10; i++) {
		add(at(2024, 1, 2, 9, i), NAN);
		add(at(2024, 1, 3, 9, i), NAN);
	}
	struct findings_options o = {.from = FROM, .to = FROM + MONTH};
	struct findings_result r;
	run(&o, &r);
	assert_int_equal(r.profile.staffing, FINDINGS_STAFF_NONE);
	assert_near(r.profile.median_ratio, 10);
	const struct findings_item *it = item(&r, FINDINGS_ARRIVAL_PEAKS, 0);
	assert_non_null(it);
	assert_true(isnan(it->value_hours_per_month)); /* no resolution times */
	assert_string_equal(it->title, "Arrival peaks: 1 hour of the week with 2.0 times the median arrivals or more "
	                               "(no staffing data), worst Mon 09:00 with 4.0 times");
	findings_result_release(&r);
}

/* Team A: 40 counted tickets, 30 breached (one of them unsolved with made_sla false);
 * plus one unsolved with made_sla true (in flight) and one without an outcome, both
 * not counted. Team B: 60, 10 breached. Team C: 10, all breached (below support).
 * Overall 50 of 110 = 5/11. A: z = (30 − 40·5/11) / sqrt(40·5/11·6/11) = 3.7528 >= 3,
 * Wilson 95 % for 30/40 = [0.59806, 0.85813]. Priority 2 is exactly team A.
 * Breached tickets take 30 h, met ones 10 h: 20 h per breach; excess 30 − 40·5/11. */
static void test_sla_hotspot_needs_support_and_a_z_score_of_three(void **state)
{
	(void)state;
	struct {
		const char *team;
		int prio, n, breached;
	} g[] = {{"A", 2, 40, 30}, {"B", 3, 60, 10}, {"C", 3, 10, 10}};
	for (size_t k = 0; k < 3; k++)
		for (int i = 0; i < g[k].n; i++) {
			bool b = i < g[k].breached;
			struct rec_ticket *t = add(FROM + 3 * D + (ls_time)i * 60, b ? 30 : 10);
			t->team = g[k].team;
			t->priority = g[k].prio;
			t->category = "X";
			t->made_sla = !b;
			if (k == 0 && i == 0)
				t->resolved_at = REC_TIME_NONE; /* breached, still open */
		}
	struct rec_ticket *t = add(FROM + 4 * D, NAN);
	t->team = "A";
	t->made_sla = 1; /* in flight */
	t = add(FROM + 4 * D, 5);
	t->team = "A"; /* no outcome */
	struct findings_options o = {.from = FROM, .to = FROM + MONTH};
	struct findings_result r;
	run(&o, &r);
	assert_int_equal(r.sla_variant, KPI_SLA_SOURCE);
	assert_int_equal(r.n_items, 2); /* priority 2 and team A, equal values: by title */
	const struct findings_item *prio = item(&r, FINDINGS_SLA_HOTSPOT, 0), *team = item(&r, FINDINGS_SLA_HOTSPOT, 1);
	assert_string_equal(evstr(prio, "dimension"), "priority");
	assert_string_equal(evstr(prio, "group"), "2");
	assert_string_equal(evstr(team, "dimension"), "team");
	assert_string_equal(evstr(team, "group"), "A");
	double p0 = 5.0 / 11;
	assert_near(evnum(team, "tickets"), 40);
	assert_near(evnum(team, "breached"), 30);
	assert_near(evnum(team, "breach_rate"), 0.75);
	assert_near(evnum(team, "overall_breach_rate"), p0);
	assert_near(evnum(team, "z"), (30 - 40 * p0) / sqrt(40 * p0 * (1 - p0)));
	assert_true(fabs(json_number_value(json_array_get(ev(team, "wilson95"), 0)) - 0.59806039) < 1e-8);
	assert_true(fabs(json_number_value(json_array_get(ev(team, "wilson95"), 1)) - 0.85812881) < 1e-8);
	assert_near(evnum(team, "excess_breaches"), 30 - 40 * p0);
	assert_near(evnum(team, "breaches_avoided_per_month"), 30 - 40 * p0);
	assert_near(evnum(team, "hours_per_breach"), 20);
	assert_near(team->value_hours_per_month, (30 - 40 * p0) * 20);
	assert_near(prio->value_hours_per_month, team->value_hours_per_month);
	assert_string_equal(team->title,
	                    "SLA breaches concentrate in team A: 75 % of 40 tickets breached vs 45 % overall");
	assert_string_equal(
	        team->title_de,
	        "SLA-Verletzungen gehäuft in Team A: 75 % von 40 Tickets verletzt gegenüber 45 % insgesamt");
	findings_result_release(&r);

	/* the cut per kind keeps the best one and counts the other */
	o.max_per_kind = 1;
	run(&o, &r);
	assert_int_equal(r.n_items, 1);
	assert_int_equal(r.omitted[FINDINGS_SLA_HOTSPOT], 1);
	assert_string_equal(evstr(&r.items[0], "group"), "2");
	findings_result_release(&r);

	/* a stricter test finds nothing: z 3.75 < 4 */
	o = (struct findings_options){.from = FROM, .to = FROM + MONTH, .z_min = 4};
	run(&o, &r);
	assert_int_equal(r.n_items, 0);
	findings_result_release(&r);
}

static void test_sla_outcome_is_the_kpi_engines(void **state)
{
	(void)state;
	struct rec_ticket t;
	rec_ticket_init(&t);
	t.opened_at = FROM;
	assert_int_equal(kpi_sla_variant_of(&t, 1), KPI_SLA_NONE);
	assert_int_equal(kpi_sla_outcome(&t, KPI_SLA_SOURCE, 0), -1);
	t.resolution_due_at = FROM + 8 * H;
	assert_int_equal(kpi_sla_variant_of(&t, 1), KPI_SLA_TARGET);
	assert_int_equal(kpi_sla_outcome(&t, KPI_SLA_TARGET, FROM + H), -1);    /* in flight */
	assert_int_equal(kpi_sla_outcome(&t, KPI_SLA_TARGET, FROM + 9 * H), 0); /* overdue */
	assert_int_equal(kpi_sla_outcome(&t, KPI_SLA_TARGET, 0), 0);            /* after everything */
	t.resolved_at = FROM + 8 * H;
	assert_int_equal(kpi_sla_outcome(&t, KPI_SLA_TARGET, 0), 1); /* at the due time is in time */
	t.made_sla = 0;
	assert_int_equal(kpi_sla_variant_of(&t, 1), KPI_SLA_SOURCE);
	assert_int_equal(kpi_sla_outcome(&t, KPI_SLA_SOURCE, 0), 0);
	t.resolved_at = REC_TIME_NONE;
	t.made_sla = 1;
	assert_int_equal(kpi_sla_outcome(&t, KPI_SLA_SOURCE, 0), -1); /* unsolved, not breached yet */
}

/* Team sequences (events at hour offsets, repeats and unassigned steps removed):
 *   T0: - → A, A → B, B → A, A → B     A B A B: 2 bounces (A-B)      50 h
 *   T1: A → B, B → C                   A B C: none                   10 h
 *   T2: C → A, A → C, C → -, - → C     C A C: 1 bounce (A-C)         30 h
 *   T3: no team change                                               20 h
 *   T4: B → A at 3 h listed before A → B at 2 h: A B A: 1 bounce     40 h
 *   T5: A → B → A, opened before the period: not analysed
 * Ping-pong tickets T0, T2, T4: median 40 h; the others (T1, T3) 15 h: 25 h extra
 * each, 75 h per month. Pair A-B: 3 bounces in 2 tickets, median 45 h. */
static void test_pingpong_counts_hand_backs_between_teams(void **state)
{
	(void)state;
	double res[] = {50, 10, 30, 20, 40};
	for (int i = 0; i < 5; i++)
		add(FROM + D, res[i]);
	add(FROM - D, 99);
	ls_time t0 = FROM + D;
	event(0, t0 + 1 * H, "team", NULL, "A", "x");
	event(0, t0 + 2 * H, "team", "A", "B", "x");
	event(0, t0 + 3 * H, "team", "B", "A", "x");
	event(0, t0 + 4 * H, "team", "A", "B", "x");
	event(1, t0 + 1 * H, "team", "A", "B", "x");
	event(1, t0 + 2 * H, "team", "B", "C", "x");
	event(2, t0 + 1 * H, "team", "C", "A", "x");
	event(2, t0 + 2 * H, "team", "A", "C", "x");
	event(2, t0 + 3 * H, "team", "C", NULL, "x");
	event(2, t0 + 4 * H, "team", NULL, "C", "x");
	event(3, t0 + 1 * H, "state", "new", "in_progress", "x");
	event(4, t0 + 3 * H, "team", "B", "A", "x");
	event(4, t0 + 2 * H, "team", "A", "B", "x");
	event(5, FROM - D + H, "team", "A", "B", "x");
	event(5, FROM - D + 2 * H, "team", "B", "A", "x");
	struct findings_options o = {.from = FROM, .to = FROM + MONTH};
	struct findings_result r;
	run(&o, &r);
	assert_int_equal(r.tickets, 5);
	const struct findings_item *it = item(&r, FINDINGS_PINGPONG, 0);
	assert_non_null(it);
	assert_near(evnum(it, "tickets_with_team_history"), 4);
	assert_near(evnum(it, "pingpong_tickets"), 3);
	assert_near(evnum(it, "share"), 0.75);
	assert_near(evnum(it, "bounces"), 4);
	assert_near(evnum(it, "bounces_max"), 2);
	assert_near(evnum(it, "median_resolution_hours_pingpong"), 40);
	assert_near(evnum(it, "median_resolution_hours_other"), 15);
	assert_near(evnum(it, "extra_hours_per_ticket"), 25);
	assert_near(it->value_hours_per_month, 75);
	json_t *pairs = ev(it, "pairs");
	assert_int_equal(json_array_size(pairs), 2);
	json_t *ab = json_array_get(pairs, 0), *ac = json_array_get(pairs, 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(ab, "teams"), 0)), "A");
	assert_string_equal(json_string_value(json_array_get(json_object_get(ab, "teams"), 1)), "B");
	assert_int_equal(json_integer_value(json_object_get(ab, "bounces")), 3);
	assert_int_equal(json_integer_value(json_object_get(ab, "tickets")), 2);
	assert_near(json_number_value(json_object_get(ab, "median_resolution_hours")), 45);
	assert_near(json_number_value(json_object_get(ab, "extra_hours_per_ticket")), 30);
	assert_string_equal(json_string_value(json_array_get(json_object_get(ab, "examples"), 1)), "T4");
	assert_string_equal(json_string_value(json_array_get(json_object_get(ac, "teams"), 1)), "C");
	assert_int_equal(json_integer_value(json_object_get(ac, "bounces")), 1);
	assert_string_equal(it->title,
	                    "Reassignment ping-pong: 3 tickets handed back between teams (most: A \xe2\x86\x94 "
	                    "B), median resolution 25.0 h longer");
	findings_result_release(&r);
}

/* Two months. Incidents at 10:00 on day d of the period:
 *   CI srv1: days 0, 2, 5 (a burst of 3; day 2 also has a symptom: the CI wins),
 *            days 20, 21 (2: too few), days 40, 41, 42, 49 (the 7-day gap still
 *            chains: 4) → 7 incidents, 2 bursts, 5 repeats; 2 h each → 5 h per month;
 *            a service request on srv1 at day 1 does not count
 *   symptom S1: category net days 1, 9, 17 (gaps of 8 days: none); category app
 *            days 1, 2, 3 → 3 incidents, 2 repeats, 4 h each → 4 h per month
 *   titles "Printer on floor 3 not printing!", "printer NOT printing on floor 2",
 *            "Floor printer: printing?" (no category) days 10-12 → the words
 *            "floor printer printing", 2 repeats, 1 h → 1 h per month */
static void test_repeat_incidents_become_problem_candidates(void **state)
{
	(void)state;
	int srv[] = {0, 2, 5, 20, 21, 40, 41, 42, 49};
	for (size_t i = 0; i < 9; i++) {
		struct rec_ticket *t = add(FROM + srv[i] * D + 10 * H, 2);
		t->ci = "srv1";
		if (srv[i] == 2)
			t->symptom = "S9";
	}
	struct rec_ticket *sr = add(FROM + D + 10 * H, 2);
	sr->ci = "srv1";
	sr->type = TICKET_TYPE_SERVICE_REQUEST;
	int net[] = {1, 9, 17};
	for (size_t i = 0; i < 3; i++) {
		struct rec_ticket *t = add(FROM + net[i] * D + 10 * H, 4);
		t->category = "net";
		t->symptom = "S1";
	}
	for (int d = 1; d <= 3; d++) {
		struct rec_ticket *t = add(FROM + d * D + 10 * H, 4);
		t->category = "app";
		t->symptom = "S1";
	}
	const char *titles[] = {"Printer on floor 3 not printing!", "printer NOT printing on floor 2",
	                        "Floor printer: printing?"};
	for (int i = 0; i < 3; i++)
		add(FROM + (10 + i) * D + 10 * H, 1)->title = titles[i];
	struct findings_options o = {.from = FROM, .to = FROM + 2 * MONTH, .generic_share = 1};
	struct findings_result r;
	run(&o, &r);
	assert_near(r.months, 2);
	const struct findings_item *ci = item(&r, FINDINGS_PROBLEM_CANDIDATE, 0),
	                           *sym = item(&r, FINDINGS_PROBLEM_CANDIDATE, 1),
	                           *ttl = item(&r, FINDINGS_PROBLEM_CANDIDATE, 2);
	assert_non_null(ttl);
	assert_null(item(&r, FINDINGS_PROBLEM_CANDIDATE, 3));
	assert_string_equal(evstr(ci, "match"), "configuration_item");
	assert_string_equal(evstr(ci, "configuration_item"), "srv1");
	assert_near(evnum(ci, "incidents"), 7);
	assert_near(evnum(ci, "clusters"), 2);
	assert_near(evnum(ci, "repeats"), 5);
	assert_near(evnum(ci, "largest_cluster"), 4);
	assert_string_equal(evstr(ci, "first"), "2024-01-01T10:00:00Z");
	assert_string_equal(evstr(ci, "last"), "2024-02-19T10:00:00Z");
	json_t *ex = ev(ci, "examples");
	assert_int_equal(json_array_size(ex), 4);
	assert_string_equal(json_string_value(json_array_get(ex, 0)), "T5"); /* day 40 */
	assert_string_equal(evstr(ci, "hours_basis"), "resolution");
	assert_near(evnum(ci, "median_hours_per_incident"), 2);
	assert_near(ci->value_hours_per_month, 5);
	assert_string_equal(ci->title, "Problem candidate: 7 incidents on configuration item srv1 in 2 bursts (gaps of "
	                               "at most 7 days), 2024-01-01 to 2024-02-19");
	assert_string_equal(ci->title_de, "Problemkandidat: 7 Incidents am Konfigurationselement srv1 in 2 Häufungen "
	                                  "(Abstand höchstens 7 Tage), 2024-01-01 bis 2024-02-19");
	assert_string_equal(evstr(sym, "match"), "category_symptom");
	assert_string_equal(evstr(sym, "category"), "app");
	assert_string_equal(evstr(sym, "symptom"), "S1");
	assert_near(evnum(sym, "incidents"), 3);
	assert_near(sym->value_hours_per_month, 4);
	assert_string_equal(evstr(ttl, "match"), "category_title_words");
	assert_string_equal(evstr(ttl, "title_words"), "floor printer printing");
	assert_true(json_is_null(ev(ttl, "category")));
	assert_near(ttl->value_hours_per_month, 1);
	findings_result_release(&r);
}

/* 20 incidents: 5 share the symptom "Other" (25 % > 20 %: the source's default, not
 * matched), 3 have "Disk full" on consecutive days (15 %: a candidate), 12 none. */
static void test_a_generic_symptom_is_no_problem_candidate(void **state)
{
	(void)state;
	for (int i = 0; i < 20; i++) {
		struct rec_ticket *t = add(FROM + i * D, 1);
		t->symptom = i < 5 ? "Other" : i < 8 ? "Disk full" : NULL;
	}
	struct findings_options o = {.from = FROM, .to = FROM + MONTH};
	struct findings_result r;
	run(&o, &r);
	assert_int_equal(r.generic_skipped, 5);
	const struct findings_item *it = item(&r, FINDINGS_PROBLEM_CANDIDATE, 0);
	assert_non_null(it);
	assert_string_equal(evstr(it, "symptom"), "Disk full");
	assert_null(item(&r, FINDINGS_PROBLEM_CANDIDATE, 1));
	findings_result_release(&r);
}

/* Categories by tickets A 50, B 30, C 10, D 5, E 5 (+2 without): A and B reach
 * exactly 80 %. Effort minutes per ticket A 6, B 60, C 120, D 600, E 0 → hours A 5,
 * B 30, C 20, D 50 (E carries none): D, B, C cover 100 of 105 h.
 * Values: 10 % of the 80 tickets of A and B at their median 0.1 h → 0.8 h; 10 % of
 * the 100 h → 10 h per month. */
static void test_pareto_sets_cover_eighty_percent(void **state)
{
	(void)state;
	struct {
		const char *cat;
		int n;
		double minutes;
	} c[] = {{"A", 50, 6}, {"B", 30, 60}, {"C", 10, 120}, {"D", 5, 600}, {"E", 5, 0}};
	for (size_t k = 0; k < 5; k++)
		for (int i = 0; i < c[k].n; i++) {
			struct rec_ticket *t = add(FROM + D, NAN);
			t->category = c[k].cat;
			t->effort_minutes = c[k].minutes;
		}
	add(FROM + D, NAN);
	add(FROM + D, NAN);
	struct findings_options o = {.from = FROM, .to = FROM + MONTH};
	struct findings_result r;
	run(&o, &r);
	const struct findings_item *vol = item(&r, FINDINGS_PARETO_VOLUME, 0),
	                           *eff = item(&r, FINDINGS_PARETO_EFFORT, 0);
	assert_non_null(vol);
	assert_non_null(eff);
	assert_near(evnum(vol, "categories"), 5);
	assert_near(evnum(vol, "covering"), 2);
	assert_near(evnum(vol, "covered_share"), 0.8);
	assert_near(evnum(vol, "without_category"), 2);
	assert_near(evnum(vol, "median_hours_per_ticket"), 0.1);
	assert_near(vol->value_hours_per_month, 0.1 * 80 * 0.1);
	assert_string_equal(vol->title, "Pareto by volume: 2 of 5 categories carry 80 % of the tickets (A, B)");
	assert_string_equal(evstr(eff, "basis"), "effort_hours");
	assert_near(evnum(eff, "categories"), 4);
	assert_near(evnum(eff, "covering"), 3);
	assert_near(evnum(eff, "total_hours"), 105);
	assert_near(evnum(eff, "covered_share"), 100.0 / 105);
	assert_near(eff->value_hours_per_month, 10);
	json_t *top = ev(eff, "top");
	assert_string_equal(json_string_value(json_object_get(json_array_get(top, 0), "category")), "D");
	assert_near(json_number_value(json_object_get(json_array_get(top, 2), "cumulative_share")), 100.0 / 105);
	assert_string_equal(eff->title, "Pareto by effort: 3 of 4 categories carry 95 % of it (D, B, C)");
	assert_string_equal(eff->title_de, "Pareto nach Aufwand: 3 von 4 Kategorien tragen 95 % davon (D, B, C)");
	/* sorted by value: effort (10) before volume (0.8) */
	assert_true(eff < vol);
	findings_result_release(&r);
}

/* Europe/Berlin: 08:30 UTC on Monday 2024-01-01 is 09:30 local, hour of week 9; the
 * period is whole clock hours around the openings, printed in the zone. */
static void test_hours_of_the_week_are_local_and_the_json_has_the_cli_shape(void **state)
{
	(void)state;
	struct tz *berlin = NULL;
	struct lserr e;
	assert_int_equal(tz_load("Europe/Berlin", &berlin, &e), 0);
	add(at(2024, 1, 1, 8, 30), 2)->team = "A";
	add(at(2024, 7, 1, 7, 10), NAN); /* summer: 09:10 local */
	struct findings_options o = {.tz = berlin};
	struct findings_result r;
	run(&o, &r);
	assert_int_equal(r.profile.tickets[9], 2);
	assert_int_equal(r.from, at(2024, 1, 1, 8, 0));
	assert_int_equal(r.to, at(2024, 7, 1, 8, 0));
	json_t *j = findings_json(&r, "ACME", berlin);
	const char *want[] = {"client",
	                      "period",
	                      "tickets",
	                      "sla_variant",
	                      "findings",
	                      "omitted",
	                      "incidents_with_generic_symptom",
	                      "hour_of_week"};
	size_t i = 0;
	const char *k;
	json_t *v;
	json_object_foreach(j, k, v)
	{
		assert_true(i < 8);
		assert_string_equal(k, want[i++]);
	}
	assert_int_equal(i, 8);
	json_t *p = json_object_get(j, "period");
	assert_string_equal(json_string_value(json_object_get(p, "from")), "2024-01-01T09:00:00+01:00");
	assert_string_equal(json_string_value(json_object_get(p, "to")), "2024-07-01T10:00:00+02:00");
	assert_string_equal(json_string_value(json_object_get(p, "tz")), "Europe/Berlin");
	assert_string_equal(json_string_value(json_object_get(j, "sla_variant")), "none");
	json_t *h = json_object_get(j, "hour_of_week");
	assert_int_equal(json_array_size(json_object_get(h, "tickets")), 168);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(h, "tickets"), 9)), 2);
	assert_null(json_object_get(h, "agent_hours")); /* no staffing data */
	json_decref(j);
	findings_result_release(&r);

	/* a finding's keys, in order */
	reset(NULL);
	for (int i2 = 0; i2 < 3; i2++)
		add(FROM + D, 1)->category = i2 ? "B" : "A";
	o = (struct findings_options){.from = FROM, .to = FROM + MONTH};
	run(&o, &r);
	j = findings_json(&r, "ACME", NULL);
	json_t *f = json_array_get(json_object_get(j, "findings"), 0);
	const char *fkeys[] = {"kind", "title", "title_de", "value_hours_per_month", "evidence"};
	i = 0;
	json_object_foreach(f, k, v)
	{
		assert_true(i < 5);
		assert_string_equal(k, fkeys[i++]);
	}
	assert_non_null(json_object_get(json_object_get(f, "evidence"), "value_assumption"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "period"), "from")),
	                    "2024-01-01T00:00:00Z");
	json_decref(j);
	findings_result_release(&r);
	tz_free(berlin);
}

static void test_no_tickets_no_findings_and_bad_input(void **state)
{
	(void)state;
	struct findings_options o = {0};
	struct findings_result r;
	run(&o, &r);
	assert_int_equal(r.tickets, 0);
	assert_int_equal(r.n_items, 0);
	assert_true(isnan(r.months));
	json_t *j = findings_json(&r, "ACME", NULL);
	assert_true(json_is_null(json_object_get(json_object_get(j, "period"), "from")));
	json_decref(j);
	findings_result_release(&r);
	findings_result_release(NULL);

	add(FROM, 1);
	event(1, FROM, "team", "A", "B", NULL); /* ticket 1 does not exist */
	struct findings_input in = {T, NT, EV, NE, NULL, 0};
	struct lserr e;
	assert_int_equal(findings_compute(&in, &o, &r, &e), -EINVAL);
	assert_string_equal(e.field, "events");
	in.n_events = 0;
	o = (struct findings_options){.from = FROM, .to = FROM};
	assert_int_equal(findings_compute(&in, &o, &r, &e), -EINVAL);
	assert_string_equal(e.field, "to");
	o = (struct findings_options){.pareto_share = 1.5};
	assert_int_equal(findings_compute(&in, &o, &r, &e), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_names_and_hour_labels),
	        cmocka_unit_test_setup(test_arrival_peaks_against_agents_active_in_events, reset),
	        cmocka_unit_test_setup(test_arrival_peaks_against_acd_handled_load, reset),
	        cmocka_unit_test_setup(test_arrival_peaks_without_staffing_data, reset),
	        cmocka_unit_test_setup(test_sla_hotspot_needs_support_and_a_z_score_of_three, reset),
	        cmocka_unit_test(test_sla_outcome_is_the_kpi_engines),
	        cmocka_unit_test_setup(test_pingpong_counts_hand_backs_between_teams, reset),
	        cmocka_unit_test_setup(test_repeat_incidents_become_problem_candidates, reset),
	        cmocka_unit_test_setup(test_a_generic_symptom_is_no_problem_candidate, reset),
	        cmocka_unit_test_setup(test_pareto_sets_cover_eighty_percent, reset),
	        cmocka_unit_test_setup(test_hours_of_the_week_are_local_and_the_json_has_the_cli_shape, reset),
	        cmocka_unit_test_setup(test_no_tickets_no_findings_and_bad_input, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
