/* SLA clocks of one ticket: its events in, targets, a ledger and the next deadline
 * out. Room: sla.
 *
 * A caller (a service, the replay command, a benchmark) feeds a ticket's events in
 * time order with clock_apply() and asks clock_evaluate() for the state as of an
 * instant; clock_eval() does both for an array of events. The rules (docs/sla.md):
 *  - first response runs from creation to the first public agent reply;
 *  - next update runs from the oldest public customer message no public agent reply
 *    has answered yet (after the first response) to the next public agent reply;
 *    every such customer turn is a new target;
 *  - resolution runs from creation to resolution; the policy's pause states and the
 *    time a ticket spends resolved stop it; a reopen resumes the same target;
 *  - resolution or close cancels running first-response and next-update targets;
 *  - a priority or policy change supersedes the running and paused targets at that
 *    instant (several changes at one instant count as one) and starts the new
 *    priority's targets measured from the original start with past pauses excluded;
 *    a target already breached when superseded stays breached;
 *  - a target is breached when its clock runs past its due instant; once breached it
 *    stays breached, also when met later. An event at the due instant is in time;
 *    evaluated *as of* an instant T (all events at T applied), a target due at T and
 *    not met is breached (T is read as the end of that second).
 *
 * Instants are UTC seconds. Business time comes from the policy's compiled calendar
 * (struct policy.cal, which must be set and cover every instant involved; queries
 * outside it fail with -ERANGE).
 *
 * Ownership and threads: a struct clock and everything it holds live in the arena
 * given to clock_new(); results live in the arena given to clock_evaluate(). Nothing
 * is freed individually. A clock belongs to one thread at a time; policies and
 * calendars are only read and may be shared. No logging, no I/O. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/timeutil.h"
#include "model/ticket.h"
#include "sla/policy.h"

enum clock_event_kind {
	CLOCK_EV_CREATED,  /* priority, policy */
	CLOCK_EV_REPLY,    /* author, is_public */
	CLOCK_EV_STATE,    /* state: any ticket state; resolved/closed/reopen as below */
	CLOCK_EV_PRIORITY, /* priority */
	CLOCK_EV_RESOLVED,
	CLOCK_EV_REOPENED, /* back to in_progress */
	CLOCK_EV_CLOSED,   /* final; closing an unresolved ticket resolves it first */
	CLOCK_EV_POLICY,   /* policy (NULL: none applies from here on) */
	CLOCK_EV_ACK,      /* metric, level: an escalation level was acknowledged */
	_CLOCK_EV_MAX,
	_CLOCK_EV_INVALID = -22,
};

struct clock_event {
	ls_time at;
	enum clock_event_kind kind;
	int priority;                /* CREATED, PRIORITY: 1..5 */
	enum ticket_state state;     /* STATE */
	enum author_kind author;     /* REPLY */
	bool is_public;              /* REPLY: visible to the requester (not a note) */
	const struct policy *policy; /* CREATED, POLICY; its cal must be set */
	enum policy_metric metric;   /* ACK */
	unsigned level;              /* ACK: 1-based among the levels that apply to the target */
	/* ACK, optional: the target the acknowledged level belongs to (its start and
	 * priority). When given, an acknowledgement for another target of the kind (one
	 * that superseded it) or for a level that target does not have is ignored. */
	ls_time target_started;
	int target_priority;
};

enum clock_state {
	CLOCK_RUNNING,
	CLOCK_PAUSED,
	CLOCK_MET,
	CLOCK_BREACHED,
	CLOCK_SUPERSEDED,
	CLOCK_CANCELLED,
	_CLOCK_STATE_MAX,
	_CLOCK_STATE_INVALID = -22,
};

/* A threshold on a target's clock (a warning, an escalation level). */
struct clock_mark {
	ls_time at;   /* reached at, or projected while the clock runs; 0: unknown */
	bool reached; /* at <= the evaluation instant */
};

struct clock_level {
	uint8_t index;   /* into policy->levels[metric] */
	ls_time due;     /* when the level falls due (escalation_schedule()); 0: not as far as is known */
	bool fired;      /* due <= the evaluation instant */
	bool climbed;    /* due because the level below was not acknowledged in time */
	ls_time reached; /* when the level's own threshold was reached or will be; 0: unknown */
	ls_time acked;   /* 0: not acknowledged */
};

struct clock_target {
	enum policy_metric metric;
	int priority;
	const struct policy *policy;
	enum policy_time time;
	int64_t target_seconds;
	enum clock_state state; /* as of the evaluation instant */
	ls_time started_at;     /* creation, or the customer message a next update answers */
	ls_time stopped_at;     /* when met, cancelled or superseded (also if breached); 0 while active */
	ls_time due;            /* the due instant in force (the last one, once stopped); 0 while paused */
	ls_time breached_at;    /* 0 unless breached; equals the due instant that passed */
	int64_t consumed;       /* target-time seconds used until stopped_at or the evaluation instant */
	struct clock_mark warnings[LS_MAX_SLA_WARNINGS];
	size_t n_warnings; /* one per policy warning percentage */
	struct clock_level levels[LS_MAX_SLA_LEVELS];
	size_t n_levels; /* the policy's escalation levels for this metric and priority */

	/* engine state: not for callers */
	uint8_t end;                        /* how the target stopped, 0 while active */
	bool running;                       /* the clock counts right now */
	ls_time seg_start;                  /* running: start of the current running segment */
	int64_t seg_consumed;               /* consumed before seg_start */
	int64_t level_x[LS_MAX_SLA_LEVELS]; /* thresholds in consumed seconds */
};

enum clock_segment_kind {
	CLOCK_SEG_RUNNING,       /* the resolution clock counts: open business hours */
	CLOCK_SEG_OUTSIDE_HOURS, /* it would count, but the calendar is closed */
	CLOCK_SEG_PAUSED,        /* a pause state of the policy */
	CLOCK_SEG_RESOLVED,      /* resolved, until a reopen or the close */
	_CLOCK_SEG_MAX,
	_CLOCK_SEG_INVALID = -22,
};

/* One piece of the ticket's ledger: the timeline from creation to the close (or the
 * evaluation instant) cut at every event that changes the resolution clock, every
 * policy or priority change and, while the clock runs, every opening and closing of
 * the calendar. First-response and next-update targets do not pause: they count the
 * business seconds of running and paused pieces alike. */
struct clock_segment {
	ls_time from, to;
	enum clock_segment_kind kind;
	int64_t business_seconds;    /* open calendar seconds inside [from, to) */
	const struct policy *policy; /* in force; NULL when none applied */
	int priority;
};

struct clock_result {
	ls_time at; /* the evaluation instant */
	enum ticket_state state;
	int priority;
	const struct policy *policy; /* in force at `at`; NULL: none applies */
	bool closed;
	struct clock_target *targets; /* in the order they started */
	size_t n_targets;
	struct clock_segment *ledger; /* only with CLOCK_LEDGER */
	size_t n_ledger;
};

enum clock_deadline_kind {
	CLOCK_DEADLINE_WARNING,
	CLOCK_DEADLINE_BREACH,
	CLOCK_DEADLINE_ESCALATION,
	_CLOCK_DEADLINE_MAX,
	_CLOCK_DEADLINE_INVALID = -22,
};

struct clock_deadline {
	ls_time at;
	enum clock_deadline_kind kind;
	size_t target;  /* index into result->targets */
	unsigned index; /* WARNING: index into warnings; ESCALATION: 1-based level */
};

/* clock_evaluate() flags */
#define CLOCK_LEDGER 0x1u /* build result->ledger */

const char *clock_event_kind_to_string(enum clock_event_kind k);
enum clock_event_kind clock_event_kind_from_string(const char *s);
const char *clock_state_to_string(enum clock_state s);
const char *clock_segment_kind_to_string(enum clock_segment_kind k);
const char *clock_deadline_kind_to_string(enum clock_deadline_kind k);

struct clock;

/* A new clock for one ticket, allocated from a (never NULL). */
struct clock *clock_new(struct arena *a);
/* Applies one event. The first must be CREATED; instants must not decrease; nothing
 * follows CLOSED. Returns 0, -EINVAL (order, an impossible change such as reopening
 * an open ticket: code "invalid_transition"; a bad priority, level or kind) or the
 * calendar's -ERANGE, e naming the field. On failure the clock is unusable. */
int clock_apply(struct clock *c, const struct clock_event *ev, struct lserr *e);
/* The state as of `at` (not before the last applied event), allocated from a; the
 * clock itself is not changed, so more events may follow. Returns 0 and *ret, or
 * -EINVAL (no CREATED yet, `at` too early; field "at") or -ERANGE from the calendar. */
int clock_evaluate(const struct clock *c, ls_time at, unsigned flags, struct arena *a, struct clock_result **ret,
                   struct lserr *e);
/* clock_new + clock_apply for each of n events + clock_evaluate, all from a. */
int clock_eval(const struct clock_event *ev, size_t n, ls_time at, unsigned flags, struct arena *a,
               struct clock_result **ret, struct lserr *e);

/* The earliest deadline strictly after r->at: a warning or escalation level falling
 * due, or a running target's due instant (past which it is breached). Projections
 * assume the clock keeps running with no further event. 0 and *ret, or -ENOENT. */
int clock_next_deadline(const struct clock_result *r, struct clock_deadline *ret);
