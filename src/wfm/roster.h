/* Rostering: planned shifts to named agents under the Arbeitszeitgesetz and each
 * agent's contract. Room: wfm.
 *
 * roster_assign() goes through the horizon day by day. On each day it matches that
 * day's shifts to agents (a maximum bipartite matching by augmenting paths, scarce
 * shifts first, each shift trying the agents with the lowest share of their weekly
 * hours used first), where an agent may take a shift only if every rule below holds
 * given the days before. An agent works at most one shift per day. A shift nobody may
 * take stays uncovered, with the count of agents each rule kept away.
 *
 * The rules (roster_rule), judged on local time of the plan's zone:
 *   daily_max           more than 10 h of work on one day (ArbZG §3)
 *   daily_average       a day above 8 h while the average over the compensation period
 *                       exceeds 8 h per working day (§3; see below)
 *   breaks              too little break for the work (§4)
 *   work_without_break  more than 6 h of work in a row (§4)
 *   rest                less than 11 h between the end of one shift and the next (§5)
 *   sunday, holiday     work on a Sunday / public holiday of the agent's place of work
 *                       (00:00-24:00 local) the contract does not allow (§9, §10)
 *   weekly_hours        more work in a calendar week (Monday-Sunday) than the contract
 *   availability        outside the agent's weekly availability or on a day off
 *   skill               a shift for a skill the agent does not have
 * A day's work is the work of the shifts starting on it. The average: the work of the
 * plan plus the agent's history (hours and working days already in the current
 * compensation period) divided by the working days, where working days are Monday to
 * Saturday except the public holidays of the agent's place of work; it is checked at
 * the end of the plan, and every assignment keeps it at or below 8 h once a day above
 * 8 h is in the roster.
 *
 * roster_check() judges any assignment of the shifts by the same rules and lists every
 * violation with its figures: it is what the planner runs on its own result, so that
 * nothing unlawful leaves it unreported.
 *
 * Results are allocated with xcalloc (roster_result_free()). Nothing logs; safe from
 * any thread once the holiday rules are in force. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/holidays.h"
#include "calendar/tz.h"
#include "core/err.h"
#include "wfm/shifts.h"

#define ROSTER_WEEK_SLOTS (7 * 96) /* quarter hours of a week, Monday 00:00 first */
#define ROSTER_WEEK_WORDS ((ROSTER_WEEK_SLOTS + 63) / 64)

enum roster_rule {
	ROSTER_DAILY_MAX,
	ROSTER_DAILY_AVERAGE,
	ROSTER_BREAKS,
	ROSTER_STRETCH,
	ROSTER_REST,
	ROSTER_SUNDAY,
	ROSTER_HOLIDAY,
	ROSTER_WEEKLY_HOURS,
	ROSTER_AVAILABILITY,
	ROSTER_SKILL,
	ROSTER_BUSY, /* not a violation: already on another shift that day (uncovered reasons only) */
	_ROSTER_RULE_MAX,
};

/* "daily_max", "daily_average", "breaks", "work_without_break", "rest", "sunday",
 * "holiday", "weekly_hours", "availability", "skill", "busy"; NULL when invalid. */
const char *roster_rule_to_string(enum roster_rule r);
/* Where the rule comes from: "ArbZG §3", ..., "contract", "roster". */
const char *roster_rule_source(enum roster_rule r);

struct roster_agent {
	const char *name;
	uint64_t skills;                   /* bit k: has skill k of the plan */
	enum holidays_region place;        /* place of work: whose public holidays apply */
	double weekly_hours;               /* contract: at most this much work per calendar week */
	bool sundays, holidays;            /* contract allows work on Sundays / public holidays */
	uint64_t avail[ROSTER_WEEK_WORDS]; /* bit q: local quarter hour q of the week available */
	const int32_t *absent;             /* local days off (days since 1970-01-01), sorted */
	size_t n_absent;
	ls_time last_end;   /* end of the last shift before the plan; 0 for none */
	double prior_hours; /* compensation period before the plan: hours worked ... */
	int32_t prior_days; /* ... on this many working days */
};

struct roster_input {
	const struct tz *tz;
	int32_t first_day, n_days; /* the plan's local days */
	const struct shift_template *templates;
	const struct shift *shifts; /* by start (as shifts_plan() gives them) */
	size_t n_shifts;
	const struct roster_agent *agents;
	size_t n_agents;
	uint64_t any_skills; /* skills every agent serves (the plan's unnamed skill) */
};

struct roster_violation {
	enum roster_rule rule;
	uint32_t agent;
	int32_t day;   /* local day the rule is judged on (a week: its Monday) */
	int32_t shift; /* index, or -1 for a day's or a week's total */
	double value;  /* the figure: hours, or minutes for breaks */
	double limit;  /* the limit in the same unit */
};

struct roster_result {
	int32_t *agent_of;                     /* [n_shifts]: agent index, or -1 when uncovered */
	uint16_t (*blocked)[_ROSTER_RULE_MAX]; /* [n_shifts]: for an uncovered shift, agents
	                                        * each rule kept away (first rule that failed) */
	size_t n_uncovered;
	double *hours;                       /* [n_agents]: hours of work assigned */
	int32_t *n_assigned;                 /* [n_agents]: shifts assigned */
	int32_t *workdays;                   /* [n_agents]: working days of the plan (for the average) */
	struct roster_violation *violations; /* roster_check() of the result */
	size_t n_violations;
};

/* Assigns in->shifts to in->agents (see above) and checks the result. Returns 0 and
 * *ret (release with roster_result_free()); -ERANGE when the plan's dates lie outside
 * the holiday data (e names "from"); the holidays_init() error when no holiday rules
 * are in force. */
int roster_assign(const struct roster_input *in, struct roster_result *ret, struct lserr *e);

/* Judges the assignment agent_of[n_shifts] (-1 = unassigned) by every rule. Returns 0
 * with the violations in *ret (xcalloc, NULL when none; by agent, then day, then rule)
 * and their number; errors as roster_assign(). */
int roster_check(const struct roster_input *in, const int32_t *agent_of, struct roster_violation **ret, size_t *ret_n,
                 struct lserr *e);

void roster_result_free(struct roster_result *r);

/* Whether the agent's availability covers local quarter hour q of the week. */
static inline bool roster_available(const struct roster_agent *a, unsigned q)
{
	return (a->avail[q / 64] >> (q % 64)) & 1;
}
