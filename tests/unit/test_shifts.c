/* Tests for wfm/shifts.c: the set-covering programme on small cases whose optimum is
 * worked out by hand (and what the greedy makes of the same), breaks that do not
 * cover, the day cap and demand no template reaches, the fallback when the solver
 * fails or is slow, the daylight-saving grid, and the template check (ArbZG §3, §4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "wfm/shifts.h"
#include "wfm/shifts_cbc.h"

#define H(x) ((int32_t)((x)*3600))
#define DAY0 ((int32_t)20514) /* 2026-03-02, a Monday */

static struct tz *utc, *berlin;

static int setup(void **state)
{
	(void)state;
	struct lserr e;
	if (tz_load("UTC", &utc, &e) < 0 || tz_load("Europe/Berlin", &berlin, &e) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tz_free(utc);
	tz_free(berlin);
	return 0;
}

static struct shift_template tpl(const char *name, double start_h, double len_h, double cost)
{
	return (struct shift_template){
	        .name = name, .start = H(start_h), .length = H(len_h), .days = 0x7f, .cost = cost, .skills = 1};
}

/* required[slot] = n for slots [from_h, to_h) of one day on a UTC grid. */
static void need(int32_t *req, double from_h, double to_h, int n)
{
	for (int s = (int)(from_h * 4); s < (int)(to_h * 4); s++)
		req[s] = n;
}

static bool has(const struct shifts_plan *p, uint32_t tpl_index)
{
	for (size_t i = 0; i < p->n_shifts; i++)
		if (p->shifts[i].tpl == tpl_index)
			return true;
	return false;
}

/* One agent 08:00-16:00. Candidates: X 08-14 (5), Y 14-16 (5), Z 08-12 (4), W 12-16 (4).
 * Someone must work at 08:00 (X or Z, >= 4) and at 15:45 (W or Y, >= 4): the optimum
 * is Z + W = 8. The greedy takes X first (24 short slots for 5 beats 16 for 4), then
 * W (8 slots for 4 beats 8 for 5), and cannot drop X: 9. */
static void test_ilp_finds_the_hand_optimum_the_greedy_misses(void **state)
{
	(void)state;
	struct shift_template t[4] = {tpl("X", 8, 6, 5), tpl("Y", 14, 2, 5), tpl("Z", 8, 4, 4), tpl("W", 12, 4, 4)};
	int32_t req[96] = {0};
	need(req, 8, 16, 1);
	struct shifts_problem p = {.tz = utc,
	                           .first_day = DAY0,
	                           .n_days = 1,
	                           .n_skills = 1,
	                           .required = req,
	                           .templates = t,
	                           .n_templates = 4};
	struct lserr e;
	struct shifts_plan opt, gr;
	assert_int_equal(shifts_plan(&p, shifts_cbc_solver(), 10.0, &opt, &e), 0);
	assert_int_equal(opt.status, SHIFTS_OPTIMAL);
	assert_string_equal(opt.solver, "cbc");
	assert_true(fabs(opt.cost - 8.0) < 1e-9);
	assert_int_equal(opt.n_shifts, 2);
	assert_true(has(&opt, 2) && has(&opt, 3));
	assert_true(fabs(opt.gap) < 1e-9);
	assert_true(fabs(opt.greedy_objective - 9.0) < 1e-9);
	assert_int_equal(opt.short_slots, 0);

	assert_int_equal(shifts_plan(&p, NULL, 10.0, &gr, &e), 0);
	assert_int_equal(gr.status, SHIFTS_GREEDY);
	assert_string_equal(gr.solver, "greedy");
	assert_true(fabs(gr.cost - 9.0) < 1e-9);
	assert_true(has(&gr, 0) && has(&gr, 3));
	assert_true(isnan(gr.bound) && isnan(gr.gap));
	assert_true(strstr(gr.fallback, "no solver") != NULL);
	shifts_plan_free(&opt);
	shifts_plan_free(&gr);
}

/* Two agents 08:00-12:00 and 12:30-16:30, one 12:00-12:30. E (08:00, 8h30m, break
 * 12:00-12:30, cost 8) covers everything but its break; F (12:00, 1h, cost 1) covers
 * the break. Optimum by hand: 2 E + 1 F = 17, and no E may count during its break. */
static void test_breaks_do_not_cover_and_heads_multiply(void **state)
{
	(void)state;
	struct shift_template t[2] = {tpl("E", 8, 8.5, 8), tpl("F", 12, 1, 1)};
	t[0].breaks[0] = (struct arbzg_pause){H(4), H(4.5)};
	t[0].n_breaks = 1;
	int32_t req[96] = {0};
	need(req, 8, 12, 2);
	need(req, 12, 12.5, 1);
	need(req, 12.5, 16.5, 2);
	struct shifts_problem p = {.tz = utc,
	                           .first_day = DAY0,
	                           .n_days = 1,
	                           .n_skills = 1,
	                           .required = req,
	                           .templates = t,
	                           .n_templates = 2};
	struct lserr e;
	for (int k = 0; k < 2; k++) {
		struct shifts_plan pl;
		assert_int_equal(shifts_plan(&p, k ? NULL : shifts_cbc_solver(), 10.0, &pl, &e), 0);
		assert_true(fabs(pl.cost - 17.0) < 1e-9);
		assert_int_equal(pl.n_shifts, 3);
		assert_int_equal(pl.planned[12 * 4], 1);     /* 12:00: only F */
		assert_int_equal(pl.planned[12 * 4 + 2], 3); /* 12:30: E, E, F */
		assert_int_equal(pl.short_slots, 0);
		shifts_plan_free(&pl);
	}
}

/* The day cap (agents available) and demand no template reaches stay short, priced
 * above any shift, so the plan covers everything else. */
static void test_capped_days_and_unreachable_slots_stay_short(void **state)
{
	(void)state;
	struct shift_template t[1] = {tpl("D", 8, 4, 4)};
	int32_t req[96] = {0};
	need(req, 8, 12, 2);
	need(req, 2, 3, 1); /* 02:00-03:00: no template */
	int32_t cap[1] = {1};
	struct shifts_problem p = {.tz = utc,
	                           .first_day = DAY0,
	                           .n_days = 1,
	                           .n_skills = 1,
	                           .required = req,
	                           .templates = t,
	                           .n_templates = 1,
	                           .day_cap = cap};
	struct lserr e;
	struct shifts_plan pl;
	assert_int_equal(shifts_plan(&p, shifts_cbc_solver(), 10.0, &pl, &e), 0);
	assert_int_equal(pl.n_shifts, 1);
	assert_int_equal(pl.short_slots, 16 + 4);
	shifts_plan_free(&pl);
}

static int failing(const struct shifts_solver *s, const struct shifts_ilp *ilp, const double *start, double limit,
                   double *x, struct shifts_solution *ret)
{
	(void)ilp;
	(void)start;
	(void)limit;
	(void)x;
	(void)ret;
	return s->data ? -ETIME : -EIO;
}

static int worse(const struct shifts_solver *s, const struct shifts_ilp *ilp, const double *start, double limit,
                 double *x, struct shifts_solution *ret)
{
	(void)s;
	(void)start;
	(void)limit;
	for (size_t j = 0; j < ilp->n_cols; j++)
		x[j] = start[j];
	x[2] += 1; /* Z on top of the greedy's X and W */
	*ret = (struct shifts_solution){false, 0, 0};
	return 0;
}

static void test_the_greedy_plan_is_taken_when_the_solver_gives_nothing_better(void **state)
{
	(void)state;
	struct shift_template t[4] = {tpl("X", 8, 6, 5), tpl("Y", 14, 2, 5), tpl("Z", 8, 4, 4), tpl("W", 12, 4, 4)};
	int32_t req[96] = {0};
	need(req, 8, 16, 1);
	struct shifts_problem p = {.tz = utc,
	                           .first_day = DAY0,
	                           .n_days = 1,
	                           .n_skills = 1,
	                           .required = req,
	                           .templates = t,
	                           .n_templates = 4};
	int token = 1;
	struct shifts_solver slow = {"slow", failing, &token}, broken = {"broken", failing, NULL},
	                     bad = {"bad", worse, NULL};
	const struct shifts_solver *all[3] = {&slow, &broken, &bad};
	const char *why[3] = {"time limit", "failed", "above the greedy"};
	for (int k = 0; k < 3; k++) {
		struct lserr e;
		struct shifts_plan pl;
		assert_int_equal(shifts_plan(&p, all[k], 0.5, &pl, &e), 0);
		assert_int_equal(pl.status, SHIFTS_GREEDY);
		assert_string_equal(pl.solver, "greedy");
		assert_true(fabs(pl.cost - 9.0) < 1e-9);
		assert_non_null(strstr(pl.fallback, why[k]));
		shifts_plan_free(&pl);
	}
}

/* 2026-03-29 in Berlin has 23 hours: 92 slots. A template at 02:30 starts when the
 * gap ends, 03:00 CEST = 01:00 UTC. */
static void test_daylight_saving_day_has_92_slots(void **state)
{
	(void)state;
	int32_t day = (int32_t)time_days_from_civil(2026, 3, 29);
	ls_time g;
	size_t n;
	struct lserr e;
	assert_int_equal(shifts_grid(berlin, day, 1, &g, &n, &e), 0);
	assert_int_equal(n, 92);
	struct shift_template t[1] = {tpl("N", 2.5, 4, 4)};
	int32_t req[92] = {0};
	for (int s = 8; s < 16; s++) /* 01:00 UTC .. 03:00 UTC (slot 0 is 23:00 UTC) */
		req[s] = 1;
	struct shifts_problem p = {.tz = berlin,
	                           .first_day = day,
	                           .n_days = 1,
	                           .n_skills = 1,
	                           .required = req,
	                           .templates = t,
	                           .n_templates = 1};
	struct shifts_plan pl;
	assert_int_equal(shifts_plan(&p, NULL, 1.0, &pl, &e), 0);
	assert_int_equal(pl.n_shifts, 1);
	assert_int_equal(pl.shifts[0].start, g + 8 * 900);
	assert_int_equal(pl.shifts[0].start, (ls_time)time_days_from_civil(2026, 3, 29) * 86400 + 3600);
	shifts_plan_free(&pl);
}

static void test_templates_follow_the_working_time_act(void **state)
{
	(void)state;
	struct lserr e;
	struct shift_template t = tpl("T", 8, 6, 6); /* 6 h: no break needed */
	assert_int_equal(shift_template_check(&t, &e), 0);
	t = tpl("T", 8, 6.25, 6); /* 6 h 15 min of work without a break */
	assert_int_equal(shift_template_check(&t, &e), -EINVAL);
	assert_string_equal(e.field, "breaks");
	assert_non_null(strstr(e.message, "30 minutes"));
	t = tpl("T", 8, 9.5, 9); /* 9 h of work + 30 min: enough */
	t.breaks[0] = (struct arbzg_pause){H(4), H(4.5)};
	t.n_breaks = 1;
	assert_int_equal(shift_template_check(&t, &e), 0);
	t.length = H(9.75); /* 9 h 15 min of work need 45 min */
	assert_int_equal(shift_template_check(&t, &e), -EINVAL);
	assert_non_null(strstr(e.message, "45 minutes"));
	t.breaks[0].end = H(4.75);
	t.length = H(10);
	assert_int_equal(shift_template_check(&t, &e), 0);
	t.length = H(11); /* 10 h 15 min of work */
	t.breaks[1] = (struct arbzg_pause){H(8), H(8.25)};
	t.n_breaks = 2;
	t.length = H(11.25);
	assert_int_equal(shift_template_check(&t, &e), -EINVAL);
	assert_string_equal(e.field, "length");
	t = tpl("T", 8, 8, 8); /* break after 7 h: a 7-hour stretch */
	t.breaks[0] = (struct arbzg_pause){H(7), H(7.5)};
	t.n_breaks = 1;
	assert_int_equal(shift_template_check(&t, &e), -EINVAL);
	assert_non_null(strstr(e.message, "in a row"));
	t.breaks[0] = (struct arbzg_pause){H(4), H(4.5)};
	assert_int_equal(shift_template_check(&t, &e), 0);
	t.start = 8 * 3600 + 600; /* 08:10 is off the grid */
	assert_int_equal(shift_template_check(&t, &e), -EINVAL);
	assert_string_equal(e.field, "start");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_ilp_finds_the_hand_optimum_the_greedy_misses),
	        cmocka_unit_test(test_breaks_do_not_cover_and_heads_multiply),
	        cmocka_unit_test(test_capped_days_and_unreachable_slots_stay_short),
	        cmocka_unit_test(test_the_greedy_plan_is_taken_when_the_solver_gives_nothing_better),
	        cmocka_unit_test(test_daylight_saving_day_has_92_slots),
	        cmocka_unit_test(test_templates_follow_the_working_time_act),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
