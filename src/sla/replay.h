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
 * The caller reads the input (the engine opens no files) and hands over every line,
 * blank ones included, so that line numbers match. Reading checks each line's syntax
 * and the time order per ticket at once, chooses the policy (policy_select()) from
 * the created event and again when the priority changes, and stores the events
 * compactly (24 bytes each). The clocks (clock.h) run later: replay_check() runs
 * them all and names the earliest line the engine refuses (a reopen of an open
 * ticket, an event after the close); replay_evaluate() runs one ticket's clock, so a
 * caller streams the output of millions of tickets one at a time.
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
	struct clock_event ev;         /* ev.policy is NULL: chosen by the replay */
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

/* Parses and records the next line (n bytes; a line of only white space is counted
 * and skipped). Returns 0, or a negative code with e naming the field; the caller
 * adds file and line. */
int replay_line(struct replay *r, const char *line, size_t n, struct lserr *e);

/* Runs every ticket's clock over its recorded events. Returns 0, or the error of the
 * event with the smallest line number the engine refused, *ret_line being that line
 * (1-based, counted by replay_line()). */
int replay_check(const struct replay *r, uint32_t *ret_line, struct lserr *e);

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
 * caller may reset after each ticket). `at` must not lie before an applied event.
 * Fails as replay_check() would for this ticket, or with the calendar's -ERANGE. */
int replay_evaluate(const struct replay *r, size_t i, ls_time at, unsigned flags, struct arena *a,
                    struct replay_ticket *ret, struct lserr *e);

struct replay_summary {
	size_t tickets;                 /* evaluated */
	size_t unmatched;               /* tickets no policy applies to */
	size_t count[_CLOCK_STATE_MAX]; /* targets by state */
	bool has_compliance;            /* met + breached > 0 */
	double compliance;              /* met / (met + breached); superseded and cancelled left out */
};

/* Adds one evaluated ticket to s (start from a zeroed struct). */
void replay_summary_add(struct replay_summary *s, const struct replay_ticket *t);
