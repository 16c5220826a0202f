/* Shift planning: from agents required per interval to the cost-minimal set of shifts
 * that covers them. Room: wfm.
 *
 * Shift templates (a local start time, a length, breaks, the weekdays they may run on,
 * a cost, the skills they may serve) are laid on every day of the horizon; each
 * placement is a candidate shift. Time runs on a grid of quarter hours (SHIFTS_SLOT)
 * in UTC from local midnight of the first day, so daylight-saving days have 92 or 100
 * slots and a template starting in the spring gap starts when the gap ends. A shift
 * works every slot between its start and end except its breaks.
 *
 * The set-covering integer programme (domain.md §4.4):
 *
 *   min  sum_j c_j x_j + sum_r P u_r
 *   s.t. sum_j a_rj x_j + u_r >= b_r      for each (skill, slot) r with b_r > 0
 *        sum_{j starts on day d} x_j <= cap_d   (agents available that day; optional)
 *        x_j, u_r integer >= 0
 *
 * u_r is demand left uncovered, priced P = 2 * max c_j + 1 per agent-slot: above the
 * cost of any shift, so a plan leaves demand open only where no shift may cover it
 * (no template reaches the slot, or the day's cap is used up). Slots no candidate
 * covers are left out of the programme and reported as uncovered.
 *
 * Solving goes through struct shifts_solver (shifts_cbc.h has CBC). The greedy below
 * always runs first: it is the solver's starting solution, the fallback when the
 * solver finds nothing in time or fails, and the plan when there is no solver.
 *
 * Greedy (documented in docs/wfm.md): repeatedly take the (skill, slot) with the
 * largest remaining shortfall (earliest on ties) and add the candidate covering it
 * that covers the most short agent-slots per unit of cost (cheaper, then earlier on
 * ties); a slot no candidate with room left can cover stays short. Then drop chosen
 * shifts whose every slot is over-covered, most expensive first.
 *
 * Nothing here logs or does I/O; results are allocated with xcalloc and released with
 * shifts_plan_free(). Safe from any thread (the solver decides for itself). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/tz.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "wfm/arbzg.h"

#define SHIFTS_SLOT       900 /* seconds of one planning slot */
#define SHIFTS_MAX_BREAKS 8   /* breaks of one template */

struct shift_template {
	const char *name;
	int32_t start;  /* local wall-clock seconds after midnight, a multiple of SHIFTS_SLOT */
	int32_t length; /* seconds from start to end, a multiple of SHIFTS_SLOT, at most 24 h */
	struct arbzg_pause breaks[SHIFTS_MAX_BREAKS]; /* sorted, disjoint, inside the shift, on the grid */
	size_t n_breaks;
	uint8_t days;    /* bit d: may start on weekday d (0 = Monday ... 6 = Sunday) */
	double cost;     /* > 0; what one such shift costs (default: paid hours) */
	uint64_t skills; /* bit k: may serve skill k of the plan */
};

/* Seconds of work: the length minus the breaks. */
int32_t shift_template_work(const struct shift_template *t);

/* Checks a template: the grid, the length, breaks inside and apart, at least one day,
 * a positive cost, and the law for any single shift: breaks of at least 15 minutes
 * each, enough break for the work (ArbZG §4), no more than 6 h without a break, no more
 * than 10 h of work (§3). Returns 0 or -EINVAL, e naming the field ("start", "length",
 * "breaks", "days", "cost") with the figures in the message. */
int shift_template_check(const struct shift_template *t, struct lserr *e);

/* One placed shift. */
struct shift {
	uint32_t tpl;   /* template index */
	uint32_t skill; /* skill index */
	int32_t day;    /* local date of the start, days since 1970-01-01 */
	ls_time start;  /* UTC */
	ls_time end;    /* UTC: start + length (real seconds, also across a DST change) */
	int32_t slot;   /* slot of the start on the plan's grid */
};

/* The grid: UTC instant of local midnight of first_day and the number of slots up to
 * local midnight after the last of n_days days. -EINVAL (field "tz") when the zone's
 * offsets are not whole quarter hours in that range. */
int shifts_grid(const struct tz *tz, int32_t first_day, int32_t n_days, ls_time *ret_start, size_t *ret_slots,
                struct lserr *e);

struct shifts_problem {
	const struct tz *tz;
	int32_t first_day;                      /* local date, days since 1970-01-01 */
	int32_t n_days;                         /* 1 .. LS_MAX_SHIFT_DAYS */
	size_t n_skills;                        /* 1 .. LS_MAX_SHIFT_SKILLS */
	const int32_t *required;                /* [skill * n_slots + slot] agents, >= 0; n_slots from shifts_grid() */
	const struct shift_template *templates; /* each passed shift_template_check() */
	size_t n_templates;
	const int32_t *day_cap; /* [n_days]: at most this many shifts start on a day; NULL for none */
};

/* A mixed-integer programme in column form, every column integer with bounds [0, ub]. */
struct shifts_ilp {
	size_t n_cols, n_rows;
	const double *obj;       /* [n_cols] */
	const double *col_ub;    /* [n_cols] */
	const size_t *col_start; /* [n_cols + 1]: column j has entries col_start[j] .. col_start[j + 1] */
	const int32_t *row;      /* row of each entry */
	const double *value;     /* coefficient of each entry */
	const char *sense;       /* [n_rows]: 'G' (>=) or 'L' (<=) */
	const double *rhs;       /* [n_rows] */
};

struct shifts_solution {
	bool optimal;     /* proven optimal (else the best found when time ran out) */
	double objective; /* of x */
	double bound;     /* best lower bound the solver proved */
};

/* A solver behind a small interface, so the engine runs and is tested without one. */
struct shifts_solver {
	const char *name;
	/* Minimises ilp within time_limit seconds of wall-clock time, given the feasible
	 * solution start. Returns 0 with x[n_cols] (whole numbers) and *ret; -ETIME when
	 * no solution came in time; another negative code when the solver failed. */
	int (*solve)(const struct shifts_solver *s, const struct shifts_ilp *ilp, const double *start,
	             double time_limit, double *x, struct shifts_solution *ret);
	void *data;
};

enum shifts_status {
	SHIFTS_OPTIMAL,    /* the solver proved the plan optimal */
	SHIFTS_TIME_LIMIT, /* the solver's best plan when time ran out (see gap) */
	SHIFTS_GREEDY,     /* the greedy plan: no solver, or the solver gave nothing better */
	_SHIFTS_STATUS_MAX,
};

/* "optimal", "time_limit", "greedy"; NULL for an invalid value. */
const char *shifts_status_to_string(enum shifts_status s);

struct shifts_plan {
	ls_time grid_start;
	size_t n_slots;
	struct shift *shifts; /* chosen shifts, one per head, by start, skill, template */
	size_t n_shifts;
	int32_t *planned;    /* [skill * n_slots + slot] heads working (breaks excluded) */
	double cost;         /* sum of the chosen shifts' costs */
	int64_t short_slots; /* agent-slots required and not covered */
	enum shifts_status status;
	const char *solver;      /* name of the solver that produced the plan, or "greedy" */
	double objective;        /* cost plus the penalty for uncovered demand in the programme */
	double bound;            /* solver's lower bound on the objective; NAN without one */
	double gap;              /* (objective - bound) / objective; NAN without a bound */
	double greedy_objective; /* the greedy plan's objective, for comparison */
	double seconds;          /* wall-clock time of the solver call */
	int64_t candidates;      /* candidate shifts in the programme */
	char fallback[160];      /* why the greedy plan was taken; "" otherwise */
};

/* Plans the shifts. solver may be NULL (greedy only); time_limit in seconds (> 0).
 * Returns 0 and *ret (release with shifts_plan_free()); -EINVAL for a bad problem,
 * -LS_ETOOLARGE for more candidates than LS_MAX_SHIFT_COLUMNS (e names "templates").
 * A failing or slow solver is not an error: the greedy plan is taken and fallback
 * says why. */
int shifts_plan(const struct shifts_problem *p, const struct shifts_solver *solver, double time_limit,
                struct shifts_plan *ret, struct lserr *e);
/* Accepts a zeroed plan. */
void shifts_plan_free(struct shifts_plan *p);
