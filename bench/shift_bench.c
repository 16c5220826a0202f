/* Shift planning on one core: a 4-week plan (28 days from Monday 4 May 2026, with
 * Christi Himmelfahrt and Pfingstmontag) for 200 agents, three skills and quarter-hour
 * requirements, once with CBC and once with the greedy alone. The inputs are generated
 * with a fixed seed and go through the same parsers as `leitstand shifts plan`; the
 * table shows the wall-clock time of each step and the plan's figures.
 * Usage: shift_bench [TIME_LIMIT_SECONDS]   (default 60)
 * Build type matters: run the release build (meson setup build-rel --buildtype=release). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/limits.h"
#include "core/parse.h"
#include "core/rng.h"
#include "core/strbuf.h"
#include "core/timeutil.h"
#include "wfm/shiftplan.h"
#include "wfm/shifts_cbc.h"

enum { DAYS = 28, AGENTS = 200 };
static const char *const skills[3] = {"de", "en", "billing"};
static const double share[3] = {0.70, 0.15, 0.15};

/* Heads needed in quarter hour q of a day (0..95), peak at 10:00 and 15:00. */
static double curve(int q, int wd)
{
	double h = (q + 0.5) / 4.0;
	double open = wd == 6 ? 9.0 : 7.0, close = wd == 6 ? 17.0 : 20.0;
	if (h < open || h >= close)
		return 0.0;
	double c = 0.25 + 0.75 * exp(-pow((h - 10.0) / 2.0, 2.0)) + 0.6 * exp(-pow((h - 15.0) / 2.5, 2.0));
	return wd == 6 ? 0.3 * c : wd == 5 ? 0.6 * c : c;
}

static char *requirements_csv(size_t *ret_len)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "start,skill,required,interval\n");
	int32_t day0 = (int32_t)time_days_from_civil(2026, 5, 4);
	for (int d = 0; d < DAYS; d++) {
		int64_t y;
		unsigned m, md;
		time_civil_from_days(day0 + d, &y, &m, &md);
		for (int q = 0; q < 96; q++)
			for (int k = 0; k < 3; k++) {
				int need = (int)lround(48.0 * share[k] * curve(q, d % 7));
				if (need > 0)
					strbuf_addf(&sb, "%04lld-%02u-%02uT%02d:%02d,%s,%d,900\n", (long long)y, m, md,
					            q / 4, q % 4 * 15, skills[k], need);
			}
	}
	return strbuf_detach(&sb, ret_len);
}

static json_t *templates(void)
{
	json_t *a = json_array();
	static const struct {
		const char *name, *start, *length, *days;
		bool brk;
	} t[] = {
	        {"early", "07:00", "8h30m", "mon-sat", true}, {"day8", "08:00", "8h30m", "mon-sat", true},
	        {"day9", "09:00", "8h30m", "mon-sun", true},  {"mid", "10:00", "8h30m", "mon-sat", true},
	        {"late", "11:30", "8h30m", "mon-sat", true},  {"p-am", "08:00", "4h", "mon-sun", false},
	        {"p-noon", "12:00", "4h", "mon-sun", false},  {"p-pm", "16:00", "4h", "mon-sat", false},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "name", t[i].name, "start", t[i].start, "length",
		                      t[i].length, "days", t[i].days);
		if (t[i].brk)
			json_object_set_new(o, "breaks", json_pack("[{s:s,s:s}]", "after", "4h", "length", "30m"));
		else
			json_object_set_new(o, "cost", json_real(4.5)); /* part-time shifts cost a little more */
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *agents(struct rng *rng)
{
	static const char *const places[] = {"DE-NW", "DE-NW", "DE-NW", "DE-BY", "DE-BE", "DE-HH"};
	json_t *a = json_array();
	for (int i = 0; i < AGENTS; i++) {
		char name[32];
		snprintf(name, sizeof(name), "Agent %03d", i);
		json_t *sk = json_array();
		json_array_append_new(sk, json_string("de"));
		uint64_t r = rng_below(rng, 10);
		if (r < 3)
			json_array_append_new(sk, json_string("en"));
		else if (r < 6)
			json_array_append_new(sk, json_string("billing"));
		double hours = rng_below(rng, 10) < 7 ? 40 : rng_below(rng, 2) ? 30 : 20;
		bool sun = rng_below(rng, 10) < 4;
		json_t *o = json_pack("{s:s,s:o,s:s,s:{s:f,s:b,s:b},s:s}", "name", name, "skills", sk, "place_of_work",
		                      places[rng_below(rng, 6)], "contract", "weekly_hours", hours, "sundays", sun,
		                      "holidays", rng_below(rng, 10) < 3, "availability",
		                      sun ? "mon-sun 06:00-22:00" : "mon-sat 06:00-22:00");
		if (rng_below(rng, 10) < 2) { /* a week of leave somewhere in the month */
			int32_t d = (int32_t)time_days_from_civil(2026, 5, 4) + (int32_t)rng_below(rng, 21);
			int64_t y;
			unsigned m, md, m2, md2;
			time_civil_from_days(d, &y, &m, &md);
			time_civil_from_days(d + 6, &y, &m2, &md2);
			char range[32];
			snprintf(range, sizeof(range), "2026-%02u-%02u..2026-%02u-%02u", m, md, m2, md2);
			json_object_set_new(o, "absent", json_pack("[s]", range));
		}
		json_array_append_new(a, o);
	}
	return a;
}

static double ms_since(uint64_t t0)
{
	return (double)(time_mono_ns() - t0) / 1e6;
}

static int run(const char *label, bool greedy, double limit, const char *csv, size_t len, json_t *tpl, json_t *ag)
{
	struct arena a;
	arena_init(&a);
	struct lserr e;
	lserr_clear(&e);
	struct shiftplan p;
	uint64_t t0 = time_mono_ns();
	if (shiftplan_init(&p, &a, "Europe/Berlin", "2026-05-04", DAYS, &e) < 0 ||
	    shiftplan_requirements_csv(&p, csv, len, &e) < 0 ||
	    shiftplan_templates_json(&p, tpl, "templates", &e) < 0 || shiftplan_agents_json(&p, ag, "agents", &e) < 0) {
		fprintf(stderr, "shift_bench: %s\n", e.message);
		return 1;
	}
	p.time_limit = limit;
	double t_parse = ms_since(t0);
	struct shiftplan_result r;
	t0 = time_mono_ns();
	if (shiftplan_run(&p, greedy ? NULL : shifts_cbc_solver(), &r, &e) < 0) {
		fprintf(stderr, "shift_bench: %s\n", e.message);
		return 1;
	}
	double t_run = ms_since(t0);
	t0 = time_mono_ns();
	json_t *o = shiftplan_to_json(&p, &r);
	char *text = json_dumps(o, JSON_COMPACT);
	double t_json = ms_since(t0);
	printf("| %-8s | %7.0f ms | %9.0f ms | %7.0f ms | %6.0f ms | %-10s | %10.1f | %8.4f | %6zu | %9zu | %10zu |\n",
	       label, t_parse, r.plan.seconds * 1000.0, t_run - r.plan.seconds * 1000.0, t_json,
	       shifts_status_to_string(r.plan.status), r.plan.cost, isnan(r.plan.gap) ? NAN : r.plan.gap,
	       r.plan.n_shifts, r.roster.n_uncovered, r.roster.n_violations);
	/* why the uncovered shifts stayed so: the rule that kept most agents away */
	int why[_ROSTER_RULE_MAX] = {0};
	for (size_t i = 0; i < r.plan.n_shifts; i++) {
		if (r.roster.agent_of[i] >= 0)
			continue;
		int best = 0;
		for (int k = 1; k < _ROSTER_RULE_MAX; k++)
			if (r.roster.blocked[i][k] > r.roster.blocked[i][best])
				best = k;
		why[best]++;
	}
	printf("|          | uncovered because:");
	for (int k = 0; k < _ROSTER_RULE_MAX; k++)
		if (why[k])
			printf(" %s %d", roster_rule_to_string((enum roster_rule)k), why[k]);
	printf("\n");
	free(text); /* jansson's allocation */
	json_decref(o);
	shiftplan_result_free(&r);
	arena_release(&a);
	return 0;
}

int main(int argc, char **argv)
{
	double limit = 60.0;
	if (argc > 1 && parse_double(argv[1], 0.01, LS_MAX_SHIFT_TIME_LIMIT, &limit) < 0) {
		fprintf(stderr, "usage: shift_bench [TIME_LIMIT_SECONDS]\n");
		return 2;
	}
	struct rng rng;
	rng_seed(&rng, 4711);
	size_t len;
	char *csv = requirements_csv(&len);
	json_t *tpl = templates(), *ag = agents(&rng);
	printf("%d days, %d agents, 3 skills, quarter-hour requirements, 8 templates; CBC %s, time limit %g s\n\n",
	       DAYS, AGENTS, shifts_cbc_version(), limit);
	printf("| %-8s | %10s | %12s | %10s | %9s | %-10s | %10s | %8s | %6s | %9s | %10s |\n", "solver", "parse",
	       "solve", "roster*", "json", "status", "cost", "gap", "shifts", "uncovered", "violations");
	printf("|----------|------------|--------------|------------|-----------|------------|------------|----------|"
	       "--------|-----------|------------|\n");
	int r = run("cbc", false, limit, csv, len, tpl, ag);
	r |= run("greedy", true, limit, csv, len, tpl, ag);
	printf("\n* roster: everything in the run but the solver call (grid, greedy, roster, check)\n");
	json_decref(tpl);
	json_decref(ag);
	xfree(csv);
	return r;
}
