/* Escalation levels: when each level of a target falls due. Room: sla.
 *
 * A level fires when the target's consumed time reaches its threshold (a share of
 * the target, or the target plus an offset after the breach), measured on the
 * target's own clock, so pauses stop it like they stop the target. A level that
 * requires acknowledgement and is not acknowledged within its reaction time makes
 * the next level fall due at the end of that reaction time, unless the next level's
 * own threshold comes first ("climbing"). The clock engine (clock.h) finds the
 * instants at which thresholds are reached; this module turns them into the
 * instants at which levels fall due, given the acknowledgements known so far.
 * Recording acknowledgements is the caller's business (an event in the ticket's
 * history); everything here is pure, allocation-free and thread-safe. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/calendar.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "sla/policy.h"

/* The consumed seconds at which level l falls due for a target of target_seconds:
 * ceil(target × percent / 100) for a share, target + offset after a breach. */
int64_t escalation_threshold(const struct policy_level *l, int64_t target_seconds);

/* The levels of metric m in p that apply to priority (1..5), in order: writes their
 * indices into p->levels[m] to out (room for LS_MAX_SLA_LEVELS) and returns how many. */
size_t escalation_levels(const struct policy *p, enum policy_metric m, int priority, uint8_t *out);

struct escalation_input {
	const struct policy_level *level;
	ls_time reached; /* when the threshold was reached (or, while the clock runs, will be); 0: unknown */
	ls_time acked;   /* when the level was acknowledged; 0: not */
};

/* The instant each of n levels falls due, into out[i] (0: it does not, as far as is
 * known). Level 0 falls due when reached; level i > 0 at the earlier of its own
 * threshold and the end of level i-1's reaction time when level i-1 needs an
 * acknowledgement that did not come within it (climbed[i] then says so; may be NULL),
 * never before level i-1. stop: the instant the target stopped counting for good
 * (met, cancelled, superseded; 0 while it is active): nothing falls due at or after
 * it. Reaction times run on cal in business time when time is POLICY_TIME_BUSINESS
 * (pauses do not stop them), else in UTC seconds. Returns 0, or the calendar's
 * -ERANGE when a reaction time ends beyond the compiled years (e names the field). */
int escalation_schedule(const struct escalation_input *in, size_t n, ls_time stop, const struct calendar *cal,
                        enum policy_time time, ls_time *out, bool *climbed, struct lserr *e);
