/* KPI engine: the definitions of docs/kpi.md (domain research §1) over arrays of
 * canonical tickets, in total and per period and dimension. Room: kpi (pure: no I/O,
 * no logging; may use model, core, calendar).
 *
 * Counting rule: a ticket counts in the period of the event the KPI measures —
 * received tickets and reassignments by opened_at, everything about solved tickets
 * (reopen rate, SLA outcome, FCR, AHT, CSAT, NPS) by the solve instant (resolved_at,
 * else closed_at), resolution time by resolved_at, first response by
 * first_response_at, backlog as a snapshot at the period's end.
 * Zero denominators give NaN (and JSON null), never 0.
 *
 * Ownership and threads: kpi_compute() reads the tickets and writes a result the
 * caller releases with kpi_result_release() (accepts NULL). Group values in the
 * result point into the tickets (or static strings): keep the tickets alive while
 * the result is used. Any number of threads may compute concurrently on their own
 * results; tz and calendar are only read. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/calendar.h"
#include "calendar/tz.h"
#include "core/err.h"
#include "model/record.h"

enum kpi_dim {
	KPI_DIM_NONE,
	KPI_DIM_CLIENT,
	KPI_DIM_TEAM,
	KPI_DIM_AGENT,
	KPI_DIM_PRIORITY,
	KPI_DIM_CATEGORY,
	KPI_DIM_CHANNEL,
	KPI_DIM_TYPE,
	_KPI_DIM_MAX,
	_KPI_DIM_INVALID = -22,
};

enum kpi_period {
	KPI_PERIOD_NONE,
	KPI_PERIOD_WEEK, /* ISO 8601 week, Monday 00:00 local */
	KPI_PERIOD_MONTH,
	KPI_PERIOD_QUARTER,
	KPI_PERIOD_RANGE, /* one custom range [from, to) */
	_KPI_PERIOD_MAX,
	_KPI_PERIOD_INVALID = -22,
};

/* "none", "client", "team", "agent", "priority", "category", "channel", "type" */
const char *kpi_dim_to_string(enum kpi_dim d);
enum kpi_dim kpi_dim_from_string(const char *s);
/* "none", "week", "month", "quarter", "range" */
const char *kpi_period_to_string(enum kpi_period p);
enum kpi_period kpi_period_from_string(const char *s);

/* Which SLA compliance variant `sla_compliance` reports. */
enum kpi_sla_variant {
	KPI_SLA_NONE,   /* no ticket has an SLA outcome or target */
	KPI_SLA_SOURCE, /* the source's own made_sla (ServiceNow) */
	KPI_SLA_TARGET, /* solved_at <= resolution_due_at */
};
const char *kpi_sla_variant_to_string(enum kpi_sla_variant v);
/* The variant sla_compliance reports for t[0..n): KPI_SLA_SOURCE when any ticket
 * carries the source's outcome, else KPI_SLA_TARGET when any has a resolution due
 * time, else KPI_SLA_NONE. */
enum kpi_sla_variant kpi_sla_variant_of(const struct rec_ticket *t, size_t n);
/* One ticket's SLA outcome under variant v, as sla_compliance counts it: 1 achieved,
 * 0 breached, -1 not counted. Source: a solved ticket's made_sla; an unsolved one
 * counts only when already breached (made_sla = 0). Target: solved at or before
 * resolution_due_at; an unsolved ticket is breached once its due time lies before
 * as_of (0: after every instant), else in flight and not counted. */
int kpi_sla_outcome(const struct rec_ticket *t, enum kpi_sla_variant v, ls_time as_of);

struct kpi_options {
	enum kpi_dim group_by;
	enum kpi_period period;
	ls_time from, to;                     /* KPI_PERIOD_RANGE: [from, to); required, from < to */
	const struct tz *tz;                  /* zone of period boundaries; NULL = UTC */
	const struct calendar *cal;           /* business hours; NULL: business-hour KPIs are null */
	int fcr_reopen_days;                  /* canonical FCR reopen window; 0 means 7 */
	const char *const *not_l1_categories; /* for net FCR */
	size_t n_not_l1;
	ls_time as_of; /* backlog snapshot and in-flight SLA breach instant
	                * without periods; 0 = after every instant */
};

struct kpi_rate {
	uint64_t num, den;
	double value; /* num / den, NaN when den == 0 */
};

struct kpi_dist {
	uint64_t n;
	double mean, median, p90; /* NaN when n == 0 (definitions in docs/kpi.md) */
};

struct kpi_nps {
	uint64_t n, promoters, detractors;
	double value; /* 100 * (promoters - detractors) / n; NaN when n == 0 */
};

struct kpi_set {
	uint64_t tickets;                 /* received (opened in the period; all tickets without periods) */
	uint64_t solved;                  /* solved in the period */
	uint64_t backlog;                 /* open at the period's end (as_of without periods) */
	struct kpi_rate reopen_rate;      /* solved with reopen_count > 0 / solved (count known) */
	struct kpi_rate sla_compliance;   /* the variant of kpi_result.sla_variant */
	struct kpi_rate sla_source;       /* made_sla: true / (completed + in-flight breached) */
	struct kpi_rate sla_target;       /* achieved / (achieved + breached) by resolution_due_at */
	struct kpi_rate reassigned_share; /* received with reassignment_count >= 1 / received (known) */
	double reassignments_mean;        /* mean reassignment_count of those; NaN when none */
	struct kpi_dist resolution_hours; /* resolved_at - opened_at */
	struct kpi_dist resolution_business_hours;
	struct kpi_dist resolution_business_hours_net; /* minus waiting spans; tickets
	                                                * whose pauses are known */
	struct kpi_dist first_response_hours;
	struct kpi_dist first_response_business_hours;
	struct kpi_dist handle_minutes;          /* AHT_ticket: effort of solved tickets */
	struct kpi_rate fcr_one_touch;           /* Zendesk one-touch: agent replies <= 1 */
	struct kpi_rate fcr_one_touch_messaging; /* Zendesk messaging: replies > 0, never waited, no reopen */
	struct kpi_rate fcr_freshservice;        /* 0 customer interactions after the first contact */
	struct kpi_rate fcr_zoho;                /* closed with exactly one agent reply / closed */
	struct kpi_rate fcr_one_business_hour;   /* MetricNet/HDI e-mail: resolved within 1 business hour */
	struct kpi_rate fcr_canonical;           /* domain §1.2 recommendation */
	struct kpi_rate fcr_net;                 /* canonical / (solved - not-L1 categories) */
	struct kpi_rate fcr_source;              /* the source's own FCR flag */
	struct kpi_rate csat;                    /* ratings 4..5 / rated (5-point scale) */
	struct kpi_nps nps;
};

struct kpi_group {
	const char *value;                /* group value; NULL when the tickets have none (or no grouping) */
	char period[32];                  /* "2016-W09", "2016-03", "2016-Q1", "range", "" without periods */
	ls_time period_start, period_end; /* UTC; 0 without periods */
	struct kpi_set set;
};

struct kpi_calls;   /* kpi_calls.h */
struct kpi_targets; /* kpi_targets.h */

struct kpi_result {
	enum kpi_dim group_by;
	enum kpi_period period;
	enum kpi_sla_variant sla_variant;
	struct kpi_set total;     /* all tickets (KPI_PERIOD_RANGE: events inside the range) */
	struct kpi_group *groups; /* ordered by period, then value (NULL first); NULL/0 when
	                           * neither grouping nor periods are asked for */
	size_t n_groups;
	uint64_t skipped_negative;         /* durations with end before start, left out */
	uint64_t skipped_calendar;         /* business durations outside the calendar's years */
	struct kpi_calls *calls;           /* call KPIs (kpi_calls.h) when the caller adds them; NULL
	                                    * otherwise; owned by the result */
	const struct kpi_targets *targets; /* the client's targets when the caller adds
	                                    * them (JSON "lights"); not owned; NULL: none */
};

/* Computes every KPI. Returns 0 and *ret, or -EINVAL (bad options: e names the field
 * "group_by", "period", "to"). */
int kpi_compute(const struct rec_ticket *tickets, size_t n, const struct kpi_options *o, struct kpi_result *ret,
                struct lserr *e);
void kpi_result_release(struct kpi_result *r);

/* The key of the period instant t falls in, local to o->tz (weeks: the Monday's day
 * number, months: year * 12 + month − 1, quarters: year * 4 + quarter − 1; 0 without
 * periods); false when t lies outside a custom range. */
bool kpi_period_key(const struct kpi_options *o, ls_time t, int64_t *ret);
/* UTC bounds [start, end) and label ("2016-W09", "2016-03", "2016-Q1", "range") of a
 * period key; label n bytes. */
void kpi_period_bounds(const struct kpi_options *o, int64_t key, ls_time *start, ls_time *end, char *label, size_t n);

/* Mean, median and P90 of v[0..n) (reorders v). Median: middle value, the mean of the
 * two middle values for even n; P90: nearest rank, the value at rank ceil(0.9 n). */
struct kpi_dist kpi_dist_of(double *v, size_t n);
