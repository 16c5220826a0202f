/* SLA policies: which tickets a policy covers, its calendar, its targets per priority,
 * pause states, warning thresholds and escalation levels; loading from JSON and
 * choosing the policy for a ticket. Room: sla.
 *
 * A policy is one *version* of a client's policy: it is never changed once in use;
 * an edit is a new version (docs/sla.md). The JSON form (docs/sla.md, "Policy") is
 * parsed strictly: unknown fields are errors, every error names the field by its path
 * ("targets.P2.first_response", "escalations.resolution[1].at").
 *
 * Priorities are the model's 1..5, written P1..P5. Target kinds ("metrics") are
 * first_response, next_update and resolution.
 *
 * Ownership and threads: policy_parse() allocates the policy and all its strings from
 * the caller's arena; a policy is plain, immutable data afterwards and may be shared
 * between threads. `cal` is the compiled calendar the policy's business-time targets
 * run on: the owner of both sets it before evaluation (policy_compile_calendar() for
 * an inline calendar, a calendar cache for a stored one); the policy does not own it. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/calendar.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "model/ticket.h"

#define POLICY_PRIORITIES 5 /* P1 .. P5, the model's priority range */

enum policy_metric {
	POLICY_FIRST_RESPONSE, /* creation → first public agent reply */
	POLICY_NEXT_UPDATE,    /* oldest unanswered public customer message → next public agent reply */
	POLICY_RESOLUTION,     /* creation → resolution, pauses excluded */
	_POLICY_METRIC_MAX,
	_POLICY_METRIC_INVALID = -22,
};

/* How a target's time is counted. */
enum policy_time {
	POLICY_TIME_BUSINESS, /* seconds inside the calendar's opening hours */
	POLICY_TIME_CALENDAR, /* elapsed UTC seconds, 24×7 */
	_POLICY_TIME_MAX,
	_POLICY_TIME_INVALID = -22,
};

enum policy_trigger {
	POLICY_TRIGGER_SHARE,        /* at a share of the target (75 %) */
	POLICY_TRIGGER_AFTER_BREACH, /* an offset after the breach (breach + 1h) */
	_POLICY_TRIGGER_MAX,
	_POLICY_TRIGGER_INVALID = -22,
};

enum policy_action {
	POLICY_ACTION_NOTIFY,   /* hierarchical: inform the owner */
	POLICY_ACTION_REASSIGN, /* functional: hand the ticket to the owner (a team) */
	_POLICY_ACTION_MAX,
	_POLICY_ACTION_INVALID = -22,
};

/* One target: seconds == 0 means the priority has no target of this kind. */
struct policy_target {
	int64_t seconds;
	enum policy_time time;
};

/* One escalation level. Levels of a metric are ordered: share levels first with
 * ascending percentages (1..100), then after-breach levels with ascending offsets,
 * so the thresholds never decrease from one level to the next. */
struct policy_level {
	enum policy_trigger trigger;
	uint32_t percent; /* SHARE: 1..100 */
	int64_t offset;   /* AFTER_BREACH: seconds after the breach, > 0 */
	enum policy_action action;
	const char *owner;   /* who is notified or receives the ticket, e.g. "team_lead", "L2" */
	int64_t ack_within;  /* reaction time in the target's time; 0: no acknowledgement needed */
	uint32_t priorities; /* bit p for priority p (1..5); 0: every priority */
};

/* The calendar of a policy: inline (spec) or a stored calendar by name (ref). A policy
 * without a calendar runs on 24×7 UTC, so business time equals calendar time. */
struct policy_calendar {
	const char *ref;           /* name of a stored calendar; NULL when inline */
	struct calendar_spec spec; /* inline definition (tz, hours, holidays, closed, open) */
	const char *name;          /* optional label, for ledgers and reports */
	int64_t version;           /* optional, 0 when not given */
};

struct policy {
	const char *name; /* NULL when not given */
	int64_t version;  /* >= 1; 1 when not given */
	int64_t order;    /* between overlapping policies the lower order wins */
	/* applies_to: bit masks over enum ticket_type, enum ticket_channel and priority
	 * (bit p), and a category list; 0 / empty means any. */
	uint32_t types, channels, priorities;
	const char **categories;
	size_t n_categories;
	struct policy_calendar calendar;
	uint32_t pause_states;                  /* bit per enum ticket_state */
	uint32_t warnings[LS_MAX_SLA_WARNINGS]; /* percent, ascending, 1..99 */
	size_t n_warnings;
	struct policy_target targets[POLICY_PRIORITIES][_POLICY_METRIC_MAX]; /* [priority - 1][metric] */
	struct policy_level levels[_POLICY_METRIC_MAX][LS_MAX_SLA_LEVELS];
	size_t n_levels[_POLICY_METRIC_MAX];
	const struct calendar *cal; /* set by the owner, see above; not owned */
};

/* The attributes policy selection looks at. Unknown values are negative (type,
 * channel) or NULL (category): a policy that restricts that attribute does not apply. */
struct policy_subject {
	enum ticket_type type;
	enum ticket_channel channel;
	int priority; /* 1..5 */
	const char *category;
};

const char *policy_metric_to_string(enum policy_metric m);
enum policy_metric policy_metric_from_string(const char *s);
const char *policy_time_to_string(enum policy_time t);
enum policy_time policy_time_from_string(const char *s);
const char *policy_trigger_to_string(enum policy_trigger t);
const char *policy_action_to_string(enum policy_action a);
enum policy_action policy_action_from_string(const char *s);

/* "P1".."P5" for 1..5, NULL otherwise. */
const char *policy_priority_to_string(int priority);
/* 1..5 for "P1".."P5" (exactly), -EINVAL otherwise. */
int policy_priority_from_string(const char *s);

/* Parses a policy from JSON text (n bytes, at most LS_MAX_SLA_POLICY_BYTES). Returns 0
 * and a policy allocated from a in *ret, or -EINVAL / -LS_ETOOLARGE with e naming the
 * field by its path. p->cal is NULL: see above. */
int policy_parse(const char *text, size_t n, struct arena *a, struct policy **ret, struct lserr *e);

/* Compiles the policy's inline calendar (24×7 UTC when it has none) for local years
 * first_year..last_year (both 0: all). Returns 0 and a calendar the caller owns
 * (calendar_free()), or a negative code with e naming "calendar.<field>"; -ENOENT
 * when the policy refers to a stored calendar (calendar.ref), which only a database has. */
int policy_compile_calendar(const struct policy *p, int first_year, int last_year, struct calendar **ret,
                            struct lserr *e);

/* The target of metric m for priority (1..5); NULL when the priority has none. */
const struct policy_target *policy_target(const struct policy *p, int priority, enum policy_metric m);
/* Whether a ticket in state s stops the policy's resolution clock. */
bool policy_pauses(const struct policy *p, enum ticket_state s);
/* Whether p covers the subject. */
bool policy_applies(const struct policy *p, const struct policy_subject *s);
/* Checks that a client's set of policies can be chosen from without ambiguity:
 * orders are unique. 0 or -LS_ECONFLICT with e naming "order". */
int policy_check_set(const struct policy *const *set, size_t n, struct lserr *e);
/* The policy of set (n entries) that applies to s with the lowest order: 0 and its
 * index in *ret_index, or -ENOENT with a message saying why none applies (the
 * ticket is reported, never silently skipped). Ties are impossible after
 * policy_check_set(); if they occur the earlier entry wins. */
int policy_select(const struct policy *const *set, size_t n, const struct policy_subject *s, size_t *ret_index,
                  struct lserr *e);
/* A short human label: "Standard v2", "policy v1" when unnamed. Into buf (n bytes). */
const char *policy_label(const struct policy *p, char *buf, size_t n);
