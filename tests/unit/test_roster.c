/* Tests for wfm/roster.c and wfm/arbzg.c: every rule of the working-time check with a
 * violating and a compliant case (daily maximum, the 8-hour average, breaks, six
 * hours in a row, eleven hours of rest, Sundays, public holidays of the place of work,
 * weekly contract hours, availability, skill), and the assignment: it gives shifts
 * only where every rule holds, leaves the rest uncovered with the reason, and its
 * result passes the check. Times are Europe/Berlin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "wfm/arbzg.h"
#include "wfm/roster.h"

#define H(x) ((int32_t)((x)*3600))

static struct tz *berlin;

static int setup(void **state)
{
	(void)state;
	struct lserr e;
	return tz_load("Europe/Berlin", &berlin, &e) < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	tz_free(berlin);
	return 0;
}

static int32_t day_of(int y, int m, int d)
{
	return (int32_t)time_days_from_civil(y, (unsigned)m, (unsigned)d);
}

struct world {
	struct shift_template t[8];
	size_t n_t;
	struct shift s[64];
	size_t n_s;
	struct roster_agent a[4];
	size_t n_a;
	int32_t first_day, n_days;
};

/* A template of len_h hours from start_h with one break of brk_min minutes after
 * brk_after_h hours (none when brk_min is 0); returns its index. */
static uint32_t add_tpl(struct world *w, double start_h, double len_h, double brk_after_h, int brk_min)
{
	struct shift_template *t = &w->t[w->n_t];
	*t = (struct shift_template){
	        .name = "t", .start = H(start_h), .length = H(len_h), .days = 0x7f, .cost = 1, .skills = 1};
	if (brk_min) {
		t->breaks[0] = (struct arbzg_pause){H(brk_after_h), H(brk_after_h) + brk_min * 60};
		t->n_breaks = 1;
	}
	return (uint32_t)w->n_t++;
}

static void add_shift(struct world *w, uint32_t tpl, int32_t day, uint32_t skill)
{
	ls_time start = tz_local_to_utc(berlin, (int64_t)day * 86400 + w->t[tpl].start);
	w->s[w->n_s++] =
	        (struct shift){.tpl = tpl, .skill = skill, .day = day, .start = start, .end = start + w->t[tpl].length};
}

static void world_init(struct world *w, int32_t first_day, int32_t n_days)
{
	memset(w, 0, sizeof(*w));
	w->first_day = first_day;
	w->n_days = n_days;
	w->n_a = 1;
	w->a[0] = (struct roster_agent){.name = "Anna", .skills = 1, .place = HOLIDAYS_DE_NW, .weekly_hours = 60};
	memset(w->a[0].avail, 0xff, sizeof(w->a[0].avail));
}

static struct roster_input input(struct world *w)
{
	return (struct roster_input){.tz = berlin,
	                             .first_day = w->first_day,
	                             .n_days = w->n_days,
	                             .templates = w->t,
	                             .shifts = w->s,
	                             .n_shifts = w->n_s,
	                             .agents = w->a,
	                             .n_agents = w->n_a};
}

/* Violations of rule when agent 0 works every shift. */
static size_t count(struct world *w, enum roster_rule rule, struct roster_violation *first)
{
	int32_t who[64];
	for (size_t i = 0; i < w->n_s; i++)
		who[i] = 0;
	struct roster_input in = input(w);
	struct roster_violation *v;
	size_t n, k = 0;
	struct lserr e;
	assert_int_equal(roster_check(&in, who, &v, &n, &e), 0);
	for (size_t i = 0; i < n; i++)
		if (v[i].rule == rule && k++ == 0 && first)
			*first = v[i];
	xfree(v);
	return k;
}

#define MON day_of(2026, 3, 2)

static void test_arbzg_break_figures(void **state)
{
	(void)state;
	assert_int_equal(arbzg_break_required(H(6)), 0);
	assert_int_equal(arbzg_break_required(H(6) + 1), 30 * 60);
	assert_int_equal(arbzg_break_required(H(9)), 30 * 60);
	assert_int_equal(arbzg_break_required(H(9) + 1), 45 * 60);
	/* two 15-minute parts count; a 10-minute pause does not */
	struct arbzg_pause p[3] = {{H(2), H(2) + 600}, {H(3), H(3.25)}, {H(5), H(5.25)}};
	struct arbzg_figures f;
	arbzg_figures(H(7), p, 3, &f);
	assert_int_equal(f.breaks, 30 * 60);
	assert_int_equal(f.work, H(6.5));
	assert_true(arbzg_breaks_ok(&f) && arbzg_stretch_ok(&f));
}

static void test_rest_of_eleven_hours(void **state)
{
	(void)state;
	struct world w;
	world_init(&w, MON, 7);
	uint32_t late = add_tpl(&w, 14, 8.5, 4, 30); /* ends 22:30 */
	uint32_t early = add_tpl(&w, 6, 8.5, 4, 30); /* 7.5 h after 22:30 */
	uint32_t ok = add_tpl(&w, 9.5, 8.5, 4, 30);  /* exactly 11 h after */
	add_shift(&w, late, MON, 0);
	add_shift(&w, early, MON + 1, 0);
	struct roster_violation v;
	assert_int_equal(count(&w, ROSTER_REST, &v), 1);
	assert_true(fabs(v.value - 7.5) < 1e-9 && fabs(v.limit - 11) < 1e-9);
	assert_int_equal(v.day, MON + 1);
	w.n_s = 1;
	add_shift(&w, ok, MON + 1, 0);
	assert_int_equal(count(&w, ROSTER_REST, NULL), 0);
	/* the shift before the plan counts too */
	w.a[0].last_end = w.s[0].start - H(10);
	assert_int_equal(count(&w, ROSTER_REST, NULL), 1);
}

static void test_at_most_ten_hours_a_day(void **state)
{
	(void)state;
	struct world w;
	world_init(&w, MON, 7);
	uint32_t a = add_tpl(&w, 0, 6, 0, 0);  /* 00:00-06:00 */
	uint32_t b = add_tpl(&w, 17, 5, 0, 0); /* 17:00-22:00: 11 h that day */
	uint32_t c = add_tpl(&w, 17, 4, 0, 0); /* 17:00-21:00: 10 h */
	add_shift(&w, a, MON, 0);
	add_shift(&w, b, MON, 0);
	struct roster_violation v;
	assert_int_equal(count(&w, ROSTER_DAILY_MAX, &v), 1);
	assert_true(fabs(v.value - 11) < 1e-9 && fabs(v.limit - 10) < 1e-9);
	w.s[1].tpl = c;
	w.s[1].end = w.s[1].start + w.t[c].length;
	assert_int_equal(count(&w, ROSTER_DAILY_MAX, NULL), 0);
}

static void test_long_days_need_an_average_of_eight_hours(void **state)
{
	(void)state;
	struct world w;
	world_init(&w, MON, 7);                      /* Mon-Sat: 6 working days */
	uint32_t nine = add_tpl(&w, 7, 9.75, 4, 45); /* 9 h of work */
	uint32_t seven = add_tpl(&w, 8, 7.5, 4, 30); /* 7 h */
	for (int d = 0; d < 6; d++)
		add_shift(&w, nine, MON + d, 0); /* 54 h / 6 days = 9 h */
	struct roster_violation v;
	assert_int_equal(count(&w, ROSTER_DAILY_AVERAGE, &v), 6);
	assert_true(fabs(v.value - 9) < 1e-9 && fabs(v.limit - 8) < 1e-9);
	w.n_s = 1;
	for (int d = 1; d < 6; d++)
		add_shift(&w, seven, MON + d, 0);
	assert_int_equal(count(&w, ROSTER_DAILY_AVERAGE, NULL), 0); /* (9 + 5 * 7) / 6 < 8 */
	/* history of the compensation period counts: 100 h on 10 days pushes it over */
	w.a[0].prior_hours = 100;
	w.a[0].prior_days = 10;
	assert_int_equal(count(&w, ROSTER_DAILY_AVERAGE, NULL), 1);
}

static void test_breaks_and_six_hours_in_a_row(void **state)
{
	(void)state;
	struct world w;
	world_init(&w, MON, 7);
	uint32_t none = add_tpl(&w, 8, 7, 0, 0); /* 7 h without a break */
	uint32_t half = add_tpl(&w, 8, 7.5, 3, 30);
	add_shift(&w, none, MON, 0);
	struct roster_violation v;
	assert_int_equal(count(&w, ROSTER_BREAKS, &v), 1);
	assert_true(fabs(v.value) < 1e-9 && fabs(v.limit - 30) < 1e-9);
	assert_int_equal(count(&w, ROSTER_STRETCH, NULL), 1);
	w.s[0].tpl = half;
	w.s[0].end = w.s[0].start + w.t[half].length;
	assert_int_equal(count(&w, ROSTER_BREAKS, NULL), 0);
	assert_int_equal(count(&w, ROSTER_STRETCH, NULL), 0);
	uint32_t late_break = add_tpl(&w, 8, 8, 6.5, 30); /* 6.5 h before the break */
	w.s[0].tpl = late_break;
	w.s[0].end = w.s[0].start + H(8);
	assert_int_equal(count(&w, ROSTER_BREAKS, NULL), 0);
	assert_int_equal(count(&w, ROSTER_STRETCH, &v), 1);
	assert_true(fabs(v.value - 6.5) < 1e-9);
}

static void test_sundays_only_where_the_contract_allows(void **state)
{
	(void)state;
	struct world w;
	world_init(&w, MON, 7);
	uint32_t day = add_tpl(&w, 8, 6, 0, 0);
	uint32_t night = add_tpl(&w, 22, 6, 0, 0); /* Saturday 22:00 into Sunday */
	add_shift(&w, night, MON + 5, 0);
	assert_int_equal(count(&w, ROSTER_SUNDAY, NULL), 1);
	w.a[0].sundays = true;
	assert_int_equal(count(&w, ROSTER_SUNDAY, NULL), 0);
	w.a[0].sundays = false;
	w.n_s = 0;
	add_shift(&w, day, MON + 5, 0); /* Saturday */
	assert_int_equal(count(&w, ROSTER_SUNDAY, NULL), 0);
}

/* Fronleichnam, 4 June 2026, is a holiday in Nordrhein-Westfalen, not in Berlin. */
static void test_holidays_of_the_place_of_work(void **state)
{
	(void)state;
	struct world w;
	int32_t thu = day_of(2026, 6, 4);
	world_init(&w, thu - 3, 7);
	uint32_t t = add_tpl(&w, 8, 6, 0, 0);
	add_shift(&w, t, thu, 0);
	struct roster_violation v;
	assert_int_equal(count(&w, ROSTER_HOLIDAY, &v), 1);
	assert_int_equal(v.day, thu);
	w.a[0].holidays = true;
	assert_int_equal(count(&w, ROSTER_HOLIDAY, NULL), 0);
	w.a[0].holidays = false;
	w.a[0].place = HOLIDAYS_DE_BE;
	assert_int_equal(count(&w, ROSTER_HOLIDAY, NULL), 0);
}

static void test_weekly_hours_availability_and_skill(void **state)
{
	(void)state;
	struct world w;
	world_init(&w, MON, 7);
	uint32_t t = add_tpl(&w, 8, 8.5, 4, 30); /* 8 h */
	for (int d = 0; d < 5; d++)
		add_shift(&w, t, MON + d, 0);
	w.a[0].weekly_hours = 32;
	struct roster_violation v;
	assert_int_equal(count(&w, ROSTER_WEEKLY_HOURS, &v), 1);
	assert_true(fabs(v.value - 40) < 1e-9 && fabs(v.limit - 32) < 1e-9);
	assert_int_equal(v.day, MON);
	w.a[0].weekly_hours = 40;
	assert_int_equal(count(&w, ROSTER_WEEKLY_HOURS, NULL), 0);
	/* available Monday 08:00-16:00 only: 16:30 is outside */
	memset(w.a[0].avail, 0, sizeof(w.a[0].avail));
	for (unsigned q = 8 * 4; q < 16 * 4; q++)
		w.a[0].avail[q / 64] |= UINT64_C(1) << (q % 64);
	w.n_s = 1;
	assert_int_equal(count(&w, ROSTER_AVAILABILITY, NULL), 1);
	for (unsigned q = 16 * 4; q < 17 * 4; q++)
		w.a[0].avail[q / 64] |= UINT64_C(1) << (q % 64);
	assert_int_equal(count(&w, ROSTER_AVAILABILITY, NULL), 0);
	int32_t off[1] = {MON};
	w.a[0].absent = off;
	w.a[0].n_absent = 1;
	assert_int_equal(count(&w, ROSTER_AVAILABILITY, NULL), 1);
	w.a[0].n_absent = 0;
	w.s[0].skill = 1; /* a skill Anna lacks */
	assert_int_equal(count(&w, ROSTER_SKILL, NULL), 1);
	w.a[0].skills = 3;
	assert_int_equal(count(&w, ROSTER_SKILL, NULL), 0);
}

/* Late on Monday, early on Tuesday: one agent may not do both (7.5 h of rest), so the
 * early shift goes to the second agent; without one it stays uncovered for "rest". */
static void test_assignment_keeps_the_rules_and_says_why_not(void **state)
{
	(void)state;
	struct world w;
	world_init(&w, MON, 7);
	uint32_t late = add_tpl(&w, 14, 8.5, 4, 30);
	uint32_t early = add_tpl(&w, 6, 8.5, 4, 30);
	add_shift(&w, late, MON, 0);
	add_shift(&w, early, MON + 1, 0);
	add_shift(&w, early, MON + 6, 0); /* Sunday */
	struct roster_input in = input(&w);
	struct roster_result r;
	struct lserr e;
	assert_int_equal(roster_assign(&in, &r, &e), 0);
	assert_int_equal(r.agent_of[0], 0);
	assert_int_equal(r.agent_of[1], -1);
	assert_int_equal(r.blocked[1][ROSTER_REST], 1);
	assert_int_equal(r.agent_of[2], -1);
	assert_int_equal(r.blocked[2][ROSTER_SUNDAY], 1);
	assert_int_equal(r.n_uncovered, 2);
	assert_int_equal(r.n_violations, 0);
	roster_result_free(&r);

	w.a[1] = w.a[0];
	w.a[1].name = "Ben";
	w.a[1].sundays = true;
	w.n_a = 2;
	in = input(&w);
	assert_int_equal(roster_assign(&in, &r, &e), 0);
	assert_true(r.agent_of[0] >= 0 && r.agent_of[1] >= 0 && r.agent_of[0] != r.agent_of[1]);
	assert_int_equal(r.agent_of[2], 1);
	assert_int_equal(r.n_uncovered, 0);
	assert_int_equal(r.n_violations, 0);
	assert_true(fabs(r.hours[0] + r.hours[1] - 24) < 1e-9);
	roster_result_free(&r);
}

/* A day with three shifts and three agents whose skills fit only one way: the matching
 * finds it even though the first choice of the first shift blocks the others. */
static void test_matching_finds_the_only_complete_assignment(void **state)
{
	(void)state;
	struct world w;
	world_init(&w, MON, 1);
	uint32_t t = add_tpl(&w, 8, 6, 0, 0);
	add_shift(&w, t, MON, 0); /* skill 0: anyone of A, B, C */
	add_shift(&w, t, MON, 1); /* skill 1: A or B */
	add_shift(&w, t, MON, 2); /* skill 2: A */
	w.a[0].skills = 7;
	w.a[0].name = "A";
	w.a[1] = w.a[0];
	w.a[1].skills = 3;
	w.a[1].name = "B";
	w.a[2] = w.a[0];
	w.a[2].skills = 1;
	w.a[2].name = "C";
	w.n_a = 3;
	struct roster_input in = input(&w);
	struct roster_result r;
	struct lserr e;
	assert_int_equal(roster_assign(&in, &r, &e), 0);
	assert_int_equal(r.agent_of[0], 2);
	assert_int_equal(r.agent_of[1], 1);
	assert_int_equal(r.agent_of[2], 0);
	roster_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_arbzg_break_figures),
	        cmocka_unit_test(test_rest_of_eleven_hours),
	        cmocka_unit_test(test_at_most_ten_hours_a_day),
	        cmocka_unit_test(test_long_days_need_an_average_of_eight_hours),
	        cmocka_unit_test(test_breaks_and_six_hours_in_a_row),
	        cmocka_unit_test(test_sundays_only_where_the_contract_allows),
	        cmocka_unit_test(test_holidays_of_the_place_of_work),
	        cmocka_unit_test(test_weekly_hours_availability_and_skill),
	        cmocka_unit_test(test_assignment_keeps_the_rules_and_says_why_not),
	        cmocka_unit_test(test_matching_finds_the_only_complete_assignment),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
