/* Baseline findings: where a client's service operation loses time, computed from its
 * ticket history (and call intervals when there are any) — the quick wins of an
 * onboarding analysis (docs/kpi.md "Findings"). Room: kpi (pure: no I/O, no logging).
 *
 * Kinds, each with the numbers that support it (evidence) and an estimate of what
 * fixing it is worth in hours per month, the assumption stated in the evidence:
 *   arrival_peaks          hours of the week whose arrivals per staffed agent-hour are
 *                          far above the median (staffing from ACD handled load, else
 *                          distinct agents active in the ticket events, else none)
 *   sla_hotspot            a team, category, priority or hour of the week whose SLA
 *                          breach rate lies significantly above the overall rate
 *                          (one-sided binomial z-score, minimum support)
 *   reassignment_pingpong  tickets handed back to a team they came from (X→Y→X)
 *   problem_candidate      repeat incidents on one configuration item, or one symptom
 *                          or title in one category, within a window
 *   pareto_volume, pareto_effort
 *                          the smallest set of categories covering 80 % of tickets /
 *                          of effort
 *
 * A ticket is analysed when it was opened in [from, to) (every ticket without a
 * range). Per month = per 30.436875 days of the analysed period.
 *
 * Ownership and threads: findings_compute() reads the input and fills a result the
 * caller releases with findings_result_release() (accepts NULL). Strings in the
 * evidence are copies; the result does not point into the input. Any thread, own
 * result; tz is only read. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/tz.h"
#include "core/err.h"
#include "kpi/kpi.h"
#include "model/record.h"

#define FINDINGS_HOURS_OF_WEEK 168

enum findings_kind {
	FINDINGS_ARRIVAL_PEAKS,
	FINDINGS_SLA_HOTSPOT,
	FINDINGS_PINGPONG,
	FINDINGS_PROBLEM_CANDIDATE,
	FINDINGS_PARETO_VOLUME,
	FINDINGS_PARETO_EFFORT,
	_FINDINGS_KIND_MAX,
	_FINDINGS_KIND_INVALID = -22,
};

/* "arrival_peaks", "sla_hotspot", "reassignment_pingpong", "problem_candidate",
 * "pareto_volume", "pareto_effort" */
const char *findings_kind_to_string(enum findings_kind k);
enum findings_kind findings_kind_from_string(const char *s);

/* What the staffing side of the hour-of-week profile is. */
enum findings_staffing {
	FINDINGS_STAFF_NONE,   /* "none": arrivals are compared with the median arrivals */
	FINDINGS_STAFF_ACD,    /* "acd_handled_load": calls offered per busy agent-hour
	                        * (talk + hold + wrap-up seconds / 3600) */
	FINDINGS_STAFF_ACTORS, /* "ticket_event_actors": tickets opened per agent-hour, an
	                        * agent-hour being one distinct actor of a ticket event in
	                        * one clock hour */
	_FINDINGS_STAFF_MAX,
};
const char *findings_staffing_to_string(enum findings_staffing s);

/* One change of a ticket, as the service reads it from the history. */
struct findings_event {
	size_t ticket; /* index into findings_input.tickets */
	ls_time at;
	const char *field;     /* "team": a change of the assigned team, old → new */
	const char *old_value; /* NULL: none */
	const char *new_value; /* NULL: cleared */
	const char *actor;     /* the agent who made the change; NULL unknown */
};

struct findings_input {
	const struct rec_ticket *tickets;
	size_t n_tickets;
	const struct findings_event *events; /* any order */
	size_t n_events;
	const struct rec_interval *intervals; /* ACD intervals; may be none */
	size_t n_intervals;
};

/* Thresholds; 0 selects the default in parentheses. */
struct findings_options {
	const struct tz *tz;         /* zone of the hours of the week; NULL: UTC */
	ls_time from, to;            /* analysed period [from, to); 0, 0: the clock hours
	                              * from the first to the last opening */
	ls_time as_of;               /* in-flight SLA targets (kpi_sla_outcome); 0: after all */
	unsigned min_support;        /* tickets a group or hour needs to be judged (30) */
	double z_min;                /* binomial z-score of an SLA hot spot (3) */
	unsigned repeat_window_days; /* gap that chains repeat incidents (7) */
	unsigned repeat_min;         /* incidents a repeat cluster needs (3) */
	double peak_factor;          /* arrival peak: ratio >= factor x median (2) */
	double pareto_share;         /* share a Pareto set covers (0.8) */
	double pareto_reduction;     /* assumed reduction of a Pareto set's volume or effort (0.1) */
	double generic_share;        /* a symptom or title shared by more than this share of the
	                              * incidents is the source's default, not a symptom (0.2) */
	unsigned max_per_kind;       /* findings kept per kind, best first (10) */
};

/* Arrivals and staffing by hour of the week (0 = Monday 00:00-01:00 local, 167 =
 * Sunday 23:00). */
struct findings_profile {
	enum findings_staffing staffing;
	uint64_t tickets[FINDINGS_HOURS_OF_WEEK];   /* tickets opened */
	uint64_t calls[FINDINGS_HOURS_OF_WEEK];     /* calls offered (ACD) */
	double arrivals[FINDINGS_HOURS_OF_WEEK];    /* calls with ACD data, else tickets */
	double agent_hours[FINDINGS_HOURS_OF_WEEK]; /* staffing; 0 with FINDINGS_STAFF_NONE */
	double ratio[FINDINGS_HOURS_OF_WEEK];       /* arrivals per agent-hour (arrivals
	                                             * without staffing); NaN: no staffing */
	double median_ratio;                        /* over hours with arrivals and staffing */
	bool flagged[FINDINGS_HOURS_OF_WEEK];
};

struct findings_item {
	enum findings_kind kind;
	char *title;                  /* English */
	char *title_de;               /* German */
	double value_hours_per_month; /* NaN: cannot be estimated from the data */
	json_t *evidence;             /* owned; carries "value_assumption" */
};

struct findings_result {
	size_t tickets;   /* tickets analysed */
	ls_time from, to; /* the period; 0, 0 without dated tickets */
	double months;    /* its length in months (NaN without a period) */
	enum kpi_sla_variant sla_variant;
	struct findings_profile profile;
	struct findings_item *items; /* by value, highest first; unknown values last */
	size_t n_items;
	size_t omitted[_FINDINGS_KIND_MAX]; /* found beyond max_per_kind, left out */
	uint64_t generic_skipped;           /* incidents not matched: their symptom or title is generic */
};

/* Computes every finding. Returns 0 and *ret, or -EINVAL (an event names a ticket
 * that is not in the input, from >= to, a negative threshold: e names the field). */
int findings_compute(const struct findings_input *in, const struct findings_options *o, struct findings_result *ret,
                     struct lserr *e);
void findings_result_release(struct findings_result *r);

/* The result as the CLI and the API print it:
 *   {"client":C,"period":{"from":RFC3339,"to":RFC3339,"months":M,"tz":Z},"tickets":N,
 *    "sla_variant":V,"findings":[{"kind":K,"title":T,"title_de":T,
 *    "value_hours_per_month":X,"evidence":{…}}…],"omitted":{kind:N…},
 *    "incidents_with_generic_symptom":N,
 *    "hour_of_week":{"staffing_source":S,"median_ratio":R,"tickets":[168],
 *    "calls":[168] (ACD only),"agent_hours":[168] (with staffing),"flagged":[how…]}}
 * Instants in tz (NULL: UTC). New reference. */
json_t *findings_json(const struct findings_result *r, const char *client, const struct tz *tz);

/* "Mon 09:00" (English) or "Mo 09:00" (German) for hour of week how (0..167); buf of
 * n >= 10 bytes. */
const char *findings_hour_label(int how, bool german, char *buf, size_t n);
