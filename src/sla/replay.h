/* What-if replay: SLA policies evaluated against a stream of ticket events in JSON
 * Lines, without a database. Room: sla.
 *
 * One event per line (docs/sla.md, "Replay"):
 *   {"ticket":"INC1","at":"2025-03-28T16:00:00+01:00","kind":"created","priority":"P2"}
 * kinds: created (priority; optional type, category, channel for policy selection),
 * reply (author agent|customer|system, public true|false, default true), state (to),
 * priority (to), resolved, reopened, closed, acknowledged (target, level). Events of
 * one ticket must be in time order; tickets may interleave. Unknown fields are errors.
 *
 * The caller reads the input (the engine opens no files) and hands over lines; each
 * ticket gets a clock (clock.h) and the policy chosen by policy_select() from its
 * created event, chosen again when its priority changes. Evaluation walks the tickets
 * in order of first appearance, one at a time, so a caller can stream the output of
 * millions of tickets with bounded memory.
 *
 * Ownership and threads: a struct replay owns its tickets and clocks; the policies
 * (with their compiled calendars) belong to the caller and must outlive it. One
 * thread at a time. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "sla/clock.h"
#include "sla/policy.h"

/* One parsed line. */
struct replay_event {
	const char *ticket;
	struct clock_event ev;        /* ev.policy is NULL: chosen by the replay */
	struct policy_subject subject; /* created: type, channel, category (priority in ev) */
};

/* Parses one JSON line (n bytes, no newline needed) into *ret, strings from a.
 * Returns 0, or -EINVAL / -LS_ETOOLARGE with e naming the JSON field. */
int replay_parse_event(const char *line, size_t n, struct arena *a, struct replay_event *ret, struct lserr *e);

struct replay;

/* A replay over n policies (each with ->cal set; n >= 1; orders unique, see
 * policy_check_set()). Never NULL. */
struct replay *replay_new(const struct policy *const *policies, size_t n);
void replay_free(struct replay *r);

/* Events after `until` are still checked, but not applied ("--at"). */
void replay_set_until(struct replay *r, ls_time until);

/* Parses and applies one line; a line of only white space is skipped. Returns 0, or
 * a negative code with e naming the field (the caller adds file and line). */
int replay_line(struct replay *r, const char *line, size_t n, struct lserr *e);

/* The latest instant of any event read (applied or not); 0 before the first. */
ls_time replay_last_at(const struct replay *r);
/* Tickets seen, in order of first appearance. */
size_t replay_ticket_count(const struct replay *r);

struct replay_ticket {
	const char *ticket;
	struct clock_result *result; /* NULL when none of its events lies at or before `at` */
	const char *no_policy;       /* why no policy applies now; NULL when one does */
};

/* Evaluates ticket i (< replay_ticket_count()) as of `at`, allocating from a (which the
 * caller may reset after each ticket). `at` must not lie before an applied event. */
int replay_evaluate(const struct replay *r, size_t i, ls_time at, unsigned flags, struct arena *a,
		    struct replay_ticket *ret, struct lserr *e);

struct replay_summary {
	size_t tickets;                  /* evaluated */
	size_t unmatched;                /* tickets no policy applies to */
	size_t count[_CLOCK_STATE_MAX];  /* targets by state */
	bool has_compliance;             /* met + breached > 0 */
	double compliance;               /* met / (met + breached); superseded and cancelled left out */
};

/* Adds one evaluated ticket to s (start from a zeroed struct). */
void replay_summary_add(struct replay_summary *s, const struct replay_ticket *t);
