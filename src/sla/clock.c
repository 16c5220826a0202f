/* SLA clocks of one ticket (see clock.h for the rules). Room: sla.
 *
 * Model. Three logical clocks per ticket (first response, next update, resolution)
 * say *whether* something is owed and since when; targets are the measured instances
 * of a clock under one policy version and priority. Targets derive from the clocks:
 * after every event, an active clock without a target gets one from the priority and
 * policy in force; once an instant is complete (the next event is later, or the
 * state is evaluated), a running or paused target whose priority or policy is no
 * longer the ticket's is superseded and a new one starts from the clock's original
 * start. So one rule covers creation, customer turns, reopens and priority or policy
 * changes, and several changes at one instant supersede once.
 *
 * Measuring. A target counts time in running segments [a, b). Closing a segment adds
 * its length (business or UTC seconds) to `consumed` and checks every threshold X
 * (warnings, escalation levels, the target itself) not yet reached with
 * consumed-before <= X <= consumed-after: it is reached at add(a, X - before) if that
 * lies before b (an event at b is in time) or, for an evaluation as of b, at b. So a
 * due instant at 17:00 with a reply at 19:00 is a breach although no business time
 * passed after 17:00, and a reply at 17:00 is not.
 *
 * The resolution clock is stopped by pause states and while resolved; the stopped
 * intervals are kept, so a target started later (a priority change) replays the past
 * running segments under its own calendar with every past pause excluded. First
 * response and next update never pause.
 *
 * Invariants: events arrive with non-decreasing instants; run[m].cur indexes the
 * clock's current target or is -1; a target with end != END_NONE never runs; stops
 * are ordered, disjoint and non-empty, only the last may be open (to == 0). */
#include "sla/clock.h"

#include <errno.h>
#include <string.h>

#include "sla/escalation.h"

enum { END_NONE, END_MET, END_CANCELLED, END_SUPERSEDED };

struct stop {
	ls_time from, to; /* to == 0: still stopped */
	uint8_t why;      /* CLOCK_SEG_PAUSED or CLOCK_SEG_RESOLVED */
};

struct change {
	ls_time at;
	const struct policy *policy;
	int priority;
};

struct run {
	bool active;
	ls_time start;
	long cur; /* index into targets, -1: none */
};

struct clock {
	struct arena *a;
	bool created, resolved, closed, paused, failed;
	bool fr_done;    /* a public agent reply has been given */
	bool nu_waiting; /* a customer wrote while resolved: a next update is owed on reopen */
	ls_time created_at, closed_at, last_at;
	enum ticket_state state;
	int priority;
	const struct policy *policy;
	size_t n_events;
	struct run run[_POLICY_METRIC_MAX];
	struct clock_target *t;
	size_t n_t, cap_t;
	struct stop *stops;
	size_t n_stops, cap_stops;
	struct change *changes;
	size_t n_changes, cap_changes;
};

/* ---- names ---- */

static const char *const event_names[] = {"created",  "reply",  "state",  "priority",    "resolved",
                                          "reopened", "closed", "policy", "acknowledged"};
static const char *const state_names[] = {"running", "paused", "met", "breached", "superseded", "cancelled"};
static const char *const segment_names[] = {"running", "outside_hours", "paused", "resolved"};
static const char *const deadline_names[] = {"warning", "breach", "escalation"};

const char *clock_event_kind_to_string(enum clock_event_kind k)
{
	return (int)k >= 0 && k < _CLOCK_EV_MAX ? event_names[k] : NULL;
}

enum clock_event_kind clock_event_kind_from_string(const char *s)
{
	for (int i = 0; s && i < _CLOCK_EV_MAX; i++)
		if (strcmp(event_names[i], s) == 0)
			return (enum clock_event_kind)i;
	return _CLOCK_EV_INVALID;
}

const char *clock_state_to_string(enum clock_state s)
{
	return (int)s >= 0 && s < _CLOCK_STATE_MAX ? state_names[s] : NULL;
}

const char *clock_segment_kind_to_string(enum clock_segment_kind k)
{
	return (int)k >= 0 && k < _CLOCK_SEG_MAX ? segment_names[k] : NULL;
}

const char *clock_deadline_kind_to_string(enum clock_deadline_kind k)
{
	return (int)k >= 0 && k < _CLOCK_DEADLINE_MAX ? deadline_names[k] : NULL;
}

/* ---- time on a target's clock ---- */

static inline int t_elapsed(const struct clock_target *t, ls_time a, ls_time b, int64_t *ret, struct lserr *e)
{
	if (t->time == POLICY_TIME_CALENDAR) {
		*ret = b - a;
		return 0;
	}
	return calendar_elapsed(t->policy->cal, a, b, ret, e);
}

static inline int t_add(const struct clock_target *t, ls_time a, int64_t s, ls_time *ret, struct lserr *e)
{
	if (t->time == POLICY_TIME_CALENDAR) {
		*ret = a + s;
		return 0;
	}
	return calendar_add(t->policy->cal, a, s, ret, e);
}

/* Threshold x (consumed seconds) in the running segment [a, b) that began with
 * `before` consumed and ends with `after`: sets *ret to the instant it is reached, or
 * leaves it 0 when it is not reached within the segment. */
static inline int reach(const struct clock_target *t, ls_time a, ls_time b, bool at_end, int64_t before, int64_t after,
                        int64_t x, ls_time *ret, struct lserr *e)
{
	if (after < x)
		return 0;
	ls_time inst;
	int r = t_add(t, a, x - before, &inst, e);
	if (r < 0)
		return r;
	if (inst < b || (at_end && inst == b))
		*ret = inst;
	return 0;
}

/* Counts the running segment [a, b) of t (see the top of the file). at_end: b is an
 * evaluation instant, not an event. */
static int advance(struct clock_target *t, ls_time a, ls_time b, bool at_end, struct lserr *e)
{
	int64_t el, before = t->seg_consumed;
	int r = t_elapsed(t, a, b, &el, e);
	if (r < 0)
		return r;
	int64_t after = before + el;
	if (!t->breached_at && (r = reach(t, a, b, at_end, before, after, t->target_seconds, &t->breached_at, e)) < 0)
		return r;
	const struct policy *p = t->policy;
	for (size_t i = 0; i < t->n_warnings; i++) {
		if (t->warnings[i].at)
			continue;
		int64_t x = (t->target_seconds * (int64_t)p->warnings[i] + 99) / 100;
		if ((r = reach(t, a, b, at_end, before, after, x, &t->warnings[i].at, e)) < 0)
			return r;
	}
	for (size_t i = 0; i < t->n_levels; i++)
		if (!t->levels[i].reached &&
		    (r = reach(t, a, b, at_end, before, after, t->level_x[i], &t->levels[i].reached, e)) < 0)
			return r;
	t->consumed = after;
	return 0;
}

static void seg_open(struct clock_target *t, ls_time a)
{
	t->running = true;
	t->seg_start = a;
	t->seg_consumed = t->consumed;
}

static int seg_close(struct clock_target *t, ls_time b, struct lserr *e)
{
	if (!t->running)
		return 0;
	t->running = false;
	return advance(t, t->seg_start, b, false, e);
}

static int end_target(struct clock_target *t, ls_time at, uint8_t how, struct lserr *e)
{
	int r = seg_close(t, at, e);
	t->end = how;
	t->stopped_at = at;
	return r;
}

static struct clock_target *cur(struct clock *c, enum policy_metric m)
{
	return c->run[m].cur >= 0 ? &c->t[c->run[m].cur] : NULL;
}

/* ---- the resolution clock's stopped intervals ---- */

static struct stop *open_stop(struct clock *c)
{
	return c->n_stops && c->stops[c->n_stops - 1].to == 0 ? &c->stops[c->n_stops - 1] : NULL;
}

/* Brings the stopped intervals and the resolution target in line with the ticket's
 * state at `at`. */
static int sync_resolution(struct clock *c, ls_time at, struct lserr *e)
{
	c->paused = !c->resolved && !c->closed && policy_pauses(c->policy, c->state);
	bool run = !c->resolved && !c->closed && !c->paused;
	uint8_t why = c->paused ? CLOCK_SEG_PAUSED : CLOCK_SEG_RESOLVED;
	struct stop *s = open_stop(c);
	if (s && (run || s->why != why)) {
		if (s->from == at)
			c->n_stops--; /* stopped and resumed at one instant: nothing happened */
		else
			s->to = at;
		s = NULL;
	}
	if (!run && !s) {
		struct stop *n = &ARENA_PUSH(c->a, c->stops, c->n_stops, c->cap_stops);
		*n = (struct stop){.from = at, .to = 0, .why = why};
	}
	struct clock_target *t = cur(c, POLICY_RESOLUTION);
	if (t && t->end == END_NONE) {
		if (run && !t->running)
			seg_open(t, at);
		else if (!run && t->running)
			return seg_close(t, at, e);
	}
	return 0;
}

/* ---- targets from clocks ---- */

static int start_target(struct clock *c, enum policy_metric m, struct lserr *e)
{
	const struct policy_target *cfg = policy_target(c->policy, c->priority, m);
	if (!cfg)
		return 0;
	struct clock_target *t = &ARENA_PUSH(c->a, c->t, c->n_t, c->cap_t);
	c->run[m].cur = (long)(c->n_t - 1);
	t->metric = m;
	t->priority = c->priority;
	t->policy = c->policy;
	t->time = cfg->time;
	t->target_seconds = cfg->seconds;
	t->started_at = c->run[m].start;
	t->n_warnings = c->policy->n_warnings;
	uint8_t idx[LS_MAX_SLA_LEVELS];
	t->n_levels = escalation_levels(c->policy, m, c->priority, idx);
	for (size_t i = 0; i < t->n_levels; i++) {
		t->levels[i].index = idx[i];
		t->level_x[i] = escalation_threshold(&c->policy->levels[m][idx[i]], t->target_seconds);
	}
	if (m != POLICY_RESOLUTION) {
		seg_open(t, t->started_at);
		return 0;
	}
	/* replay the past: running between the stopped intervals */
	ls_time a = t->started_at;
	for (size_t i = 0; i < c->n_stops && a; i++) {
		const struct stop *s = &c->stops[i];
		if (s->to && s->to <= a)
			continue;
		if (s->from > a) {
			seg_open(t, a);
			int r = seg_close(t, s->from, e);
			if (r < 0)
				return r;
		}
		a = s->to; /* 0 when still stopped */
	}
	if (a)
		seg_open(t, a);
	return 0;
}

static int start_missing(struct clock *c, struct lserr *e)
{
	if (!c->policy || c->resolved || c->closed)
		return 0;
	for (int m = 0; m < _POLICY_METRIC_MAX; m++)
		if (c->run[m].active && c->run[m].cur < 0) {
			int r = start_target(c, (enum policy_metric)m, e);
			if (r < 0)
				return r;
		}
	return 0;
}

/* The instant `at` is complete: supersede targets that no longer match the ticket's
 * priority and policy, then start the ones now owed. */
static int reconcile(struct clock *c, ls_time at, struct lserr *e)
{
	for (int m = 0; m < _POLICY_METRIC_MAX; m++) {
		struct clock_target *t = cur(c, (enum policy_metric)m);
		if (t && t->end == END_NONE && (t->policy != c->policy || t->priority != c->priority)) {
			int r = end_target(t, at, END_SUPERSEDED, e);
			if (r < 0)
				return r;
			c->run[m].cur = -1;
		}
	}
	return start_missing(c, e);
}

/* ---- events ---- */

static int stop_clock(struct clock *c, enum policy_metric m, ls_time at, uint8_t how, struct lserr *e)
{
	if (!c->run[m].active)
		return 0;
	c->run[m].active = false;
	struct clock_target *t = cur(c, m);
	c->run[m].cur = -1;
	return t ? end_target(t, at, how, e) : 0;
}

static int resolve(struct clock *c, ls_time at, struct lserr *e)
{
	int r;
	c->resolved = true;
	c->state = TICKET_STATE_RESOLVED;
	if ((r = stop_clock(c, POLICY_FIRST_RESPONSE, at, END_CANCELLED, e)) < 0 ||
	    (r = stop_clock(c, POLICY_NEXT_UPDATE, at, END_CANCELLED, e)) < 0)
		return r;
	c->nu_waiting = false;
	struct clock_target *t = cur(c, POLICY_RESOLUTION);
	if (t && t->end == END_NONE && (r = end_target(t, at, END_MET, e)) < 0)
		return r;
	return sync_resolution(c, at, e);
}

static int reopen(struct clock *c, ls_time at, enum ticket_state to, struct lserr *e)
{
	c->resolved = false;
	c->state = to;
	struct clock_target *t = cur(c, POLICY_RESOLUTION);
	if (t && t->end == END_MET) {
		t->end = END_NONE;
		t->stopped_at = 0;
	}
	if (c->nu_waiting) {
		c->run[POLICY_NEXT_UPDATE] = (struct run){.active = true, .start = at, .cur = -1};
		c->nu_waiting = false;
	}
	return sync_resolution(c, at, e);
}

static int transition_error(struct lserr *e, const char *kind, const char *why)
{
	return lserr_set(e, -EINVAL, "invalid_transition", "kind", "%s: %s", kind, why);
}

static int on_reply(struct clock *c, const struct clock_event *ev, struct lserr *e)
{
	if ((int)ev->author < 0 || ev->author >= _AUTHOR_KIND_MAX)
		return lserr_set(e, -EINVAL, "invalid_field", "author", "author: must be agent, customer or system");
	if (!ev->is_public || ev->author == AUTHOR_KIND_SYSTEM)
		return 0; /* notes and system messages neither answer nor ask */
	if (ev->author == AUTHOR_KIND_AGENT) {
		int r;
		c->fr_done = true;
		c->nu_waiting = false;
		if ((r = stop_clock(c, POLICY_FIRST_RESPONSE, ev->at, END_MET, e)) < 0)
			return r;
		return stop_clock(c, POLICY_NEXT_UPDATE, ev->at, END_MET, e);
	}
	if (!c->fr_done)
		return 0; /* the first response answers it */
	if (c->resolved)
		c->nu_waiting = true;
	else if (!c->run[POLICY_NEXT_UPDATE].active)
		c->run[POLICY_NEXT_UPDATE] = (struct run){.active = true, .start = ev->at, .cur = -1};
	return 0;
}

static void record_change(struct clock *c, ls_time at)
{
	struct change *ch = &ARENA_PUSH(c->a, c->changes, c->n_changes, c->cap_changes);
	*ch = (struct change){.at = at, .policy = c->policy, .priority = c->priority};
}

static int check_priority(int p, struct lserr *e)
{
	if (p < 1 || p > POLICY_PRIORITIES)
		return lserr_set(e, -EINVAL, "invalid_field", "priority", "priority: must be P1 .. P5");
	return 0;
}

static int check_policy(const struct policy *p, struct lserr *e)
{
	if (p && !p->cal)
		return lserr_set(e, -EINVAL, "invalid_field", "policy", "policy: has no compiled calendar");
	return 0;
}

static int apply(struct clock *c, const struct clock_event *ev, struct lserr *e)
{
	ls_time at = ev->at;
	int r;
	if (ev->kind == CLOCK_EV_CREATED) {
		if (c->created)
			return transition_error(e, "created", "the ticket was created before");
		if ((r = check_priority(ev->priority, e)) < 0 || (r = check_policy(ev->policy, e)) < 0)
			return r;
		c->created = true;
		c->created_at = c->last_at = at;
		c->state = TICKET_STATE_NEW;
		c->priority = ev->priority;
		c->policy = ev->policy;
		c->run[POLICY_FIRST_RESPONSE] = (struct run){.active = true, .start = at, .cur = -1};
		c->run[POLICY_NEXT_UPDATE] = (struct run){.active = false, .cur = -1};
		c->run[POLICY_RESOLUTION] = (struct run){.active = true, .start = at, .cur = -1};
		record_change(c, at);
		return sync_resolution(c, at, e);
	}
	const char *kind = clock_event_kind_to_string(ev->kind);
	if (!kind)
		return lserr_set(e, -EINVAL, "invalid_field", "kind", "kind: unknown event kind");
	if (!c->created)
		return transition_error(e, kind, "the first event of a ticket must be 'created'");
	if (c->closed)
		return transition_error(e, kind, "the ticket is closed; closed is final");
	if (at < c->last_at)
		return lserr_set(e, -EINVAL, "invalid_field", "at",
		                 "at: lies before the ticket's previous event; events must be in time order");
	if (at > c->last_at) {
		if ((r = reconcile(c, c->last_at, e)) < 0)
			return r;
		c->last_at = at;
	}
	switch (ev->kind) {
	case CLOCK_EV_REPLY: return on_reply(c, ev, e);
	case CLOCK_EV_STATE:
		if ((int)ev->state < 0 || ev->state >= _TICKET_STATE_MAX)
			return lserr_set(e, -EINVAL, "invalid_field", "to", "to: not a ticket state");
		if (ev->state == c->state)
			return 0;
		if (ev->state == TICKET_STATE_RESOLVED)
			return resolve(c, at, e);
		if (ev->state == TICKET_STATE_CLOSED)
			goto close;
		if (c->resolved)
			return reopen(c, at, ev->state, e);
		c->state = ev->state;
		return sync_resolution(c, at, e);
	case CLOCK_EV_PRIORITY:
		if ((r = check_priority(ev->priority, e)) < 0)
			return r;
		if (ev->priority != c->priority) {
			c->priority = ev->priority;
			record_change(c, at);
		}
		return 0;
	case CLOCK_EV_POLICY:
		if ((r = check_policy(ev->policy, e)) < 0)
			return r;
		if (ev->policy == c->policy)
			return 0;
		c->policy = ev->policy;
		record_change(c, at);
		return sync_resolution(c, at, e);
	case CLOCK_EV_RESOLVED:
		if (c->resolved)
			return transition_error(e, kind, "the ticket is resolved already");
		return resolve(c, at, e);
	case CLOCK_EV_REOPENED:
		if (!c->resolved)
			return transition_error(e, kind, "only a resolved ticket can be reopened");
		return reopen(c, at, TICKET_STATE_IN_PROGRESS, e);
	case CLOCK_EV_CLOSED: goto close;
	case CLOCK_EV_ACK: {
		if ((int)ev->metric < 0 || ev->metric >= _POLICY_METRIC_MAX)
			return lserr_set(e, -EINVAL, "invalid_field", "target", "target: not a target kind");
		struct clock_target *t = cur(c, ev->metric);
		if (!t)
			return 0; /* the target is finished: nothing left to escalate */
		if (ev->target_started && (t->started_at != ev->target_started || t->priority != ev->target_priority ||
		                           ev->level < 1 || ev->level > t->n_levels))
			return 0; /* a level of a target that is gone */
		if (ev->level < 1 || ev->level > t->n_levels)
			return lserr_set(e, -EINVAL, "invalid_field", "level",
			                 "level: the %s target has %zu escalation level(s)",
			                 policy_metric_to_string(t->metric), t->n_levels);
		if (!t->levels[ev->level - 1].acked)
			t->levels[ev->level - 1].acked = at;
		return 0;
	}
	default: return lserr_set(e, -EINVAL, "invalid_field", "kind", "kind: unknown event kind");
	}
close:
	if (!c->resolved && (r = resolve(c, at, e)) < 0)
		return r;
	c->closed = true;
	c->closed_at = at;
	c->state = TICKET_STATE_CLOSED;
	return sync_resolution(c, at, e);
}

struct clock *clock_new(struct arena *a)
{
	struct clock *c = arena_zalloc(a, sizeof(*c));
	c->a = a;
	for (int m = 0; m < _POLICY_METRIC_MAX; m++)
		c->run[m].cur = -1;
	return c;
}

int clock_apply(struct clock *c, const struct clock_event *ev, struct lserr *e)
{
	if (c->failed)
		return lserr_set(e, -EINVAL, "invalid_field", "kind", "the clock stopped at an earlier error");
	if (c->n_events == LS_MAX_SLA_TICKET_EVENTS)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "ticket", "ticket: more than %d events",
		                 LS_MAX_SLA_TICKET_EVENTS);
	int r = apply(c, ev, e);
	if (r == 0)
		r = start_missing(c, e);
	if (r < 0)
		c->failed = true;
	else
		c->n_events++;
	return r;
}

/* ---- evaluation ---- */

static int finish_target(struct clock_target *t, ls_time at, struct lserr *e)
{
	int r;
	bool active = t->end == END_NONE;
	if (active && t->running && (r = advance(t, t->seg_start, at, true, e)) < 0)
		return r;
	bool has_seg = t->seg_start != 0;
	bool projecting = active && t->running;
	if (t->breached_at)
		t->state = CLOCK_BREACHED;
	else if (t->end == END_MET)
		t->state = CLOCK_MET;
	else if (t->end == END_CANCELLED)
		t->state = CLOCK_CANCELLED;
	else if (t->end == END_SUPERSEDED)
		t->state = CLOCK_SUPERSEDED;
	else
		t->state = t->running ? CLOCK_RUNNING : CLOCK_PAUSED;

	t->due = 0;
	if (t->breached_at)
		t->due = t->breached_at;
	else if (has_seg && (t->running || !active) &&
	         (r = t_add(t, t->seg_start, t->target_seconds - t->seg_consumed, &t->due, e)) < 0)
		return r;

	for (size_t i = 0; i < t->n_warnings; i++) {
		struct clock_mark *w = &t->warnings[i];
		w->reached = w->at != 0;
		if (!w->reached && projecting) {
			int64_t x = (t->target_seconds * (int64_t)t->policy->warnings[i] + 99) / 100;
			if ((r = t_add(t, t->seg_start, x - t->seg_consumed, &w->at, e)) < 0)
				return r;
		}
	}
	if (t->n_levels) {
		struct escalation_input in[LS_MAX_SLA_LEVELS];
		ls_time out[LS_MAX_SLA_LEVELS];
		bool climbed[LS_MAX_SLA_LEVELS];
		for (size_t i = 0; i < t->n_levels; i++) {
			struct clock_level *l = &t->levels[i];
			if (!l->reached && projecting &&
			    (r = t_add(t, t->seg_start, t->level_x[i] - t->seg_consumed, &l->reached, e)) < 0)
				return r;
			in[i] = (struct escalation_input){.level = &t->policy->levels[t->metric][l->index],
			                                  .reached = l->reached,
			                                  .acked = l->acked};
		}
		if ((r = escalation_schedule(in, t->n_levels, active ? 0 : t->stopped_at, t->policy->cal, t->time, out,
		                             climbed, e)) < 0)
			return r;
		for (size_t i = 0; i < t->n_levels; i++) {
			t->levels[i].due = out[i];
			t->levels[i].fired = out[i] && out[i] <= at;
			t->levels[i].climbed = climbed[i];
		}
	}
	return 0;
}

static void push_segment(struct arena *a, struct clock_result *res, size_t *cap, ls_time from, ls_time to,
                         enum clock_segment_kind kind, int64_t business, const struct change *ch)
{
	struct clock_segment *s = &ARENA_PUSH(a, res->ledger, res->n_ledger, *cap);
	*s = (struct clock_segment){.from = from,
	                            .to = to,
	                            .kind = kind,
	                            .business_seconds = business,
	                            .policy = ch->policy,
	                            .priority = ch->priority};
}

/* [from, to) of one status, cut at changes and, while running, at the calendar. */
static int ledger_piece(const struct clock *c, struct arena *a, struct clock_result *res, size_t *cap, ls_time from,
                        ls_time to, enum clock_segment_kind kind, struct lserr *e)
{
	size_t ci = 0;
	while (ci + 1 < c->n_changes && c->changes[ci + 1].at <= from)
		ci++;
	for (ls_time x = from; x < to;) {
		while (ci + 1 < c->n_changes && c->changes[ci + 1].at <= x)
			ci++;
		const struct change *ch = &c->changes[ci];
		ls_time y = ci + 1 < c->n_changes && c->changes[ci + 1].at < to ? c->changes[ci + 1].at : to;
		const struct calendar *cal = ch->policy ? ch->policy->cal : NULL;
		if (kind == CLOCK_SEG_RUNNING && cal) {
			for (ls_time u = x; u < y;) {
				bool open = calendar_is_open(cal, u);
				ls_time v;
				if ((open ? calendar_next_close(cal, u, &v, NULL)
				          : calendar_next_open(cal, u, &v, NULL)) < 0 ||
				    v > y)
					v = y;
				push_segment(a, res, cap, u, v, open ? CLOCK_SEG_RUNNING : CLOCK_SEG_OUTSIDE_HOURS,
				             open ? v - u : 0, ch);
				u = v;
			}
		} else {
			int64_t business = 0;
			int r;
			if (cal && (r = calendar_elapsed(cal, x, y, &business, e)) < 0)
				return r;
			push_segment(a, res, cap, x, y, kind, business, ch);
		}
		x = y;
	}
	return 0;
}

static int build_ledger(const struct clock *c, ls_time at, struct arena *a, struct clock_result *res, struct lserr *e)
{
	size_t cap = 0;
	ls_time end = c->closed ? c->closed_at : at, x = c->created_at;
	int r;
	for (size_t i = 0; i < c->n_stops && x < end; i++) {
		const struct stop *s = &c->stops[i];
		ls_time to = s->to && s->to < end ? s->to : end;
		if (s->from > x &&
		    (r = ledger_piece(c, a, res, &cap, x, s->from < end ? s->from : end, CLOCK_SEG_RUNNING, e)) < 0)
			return r;
		if (s->from < end &&
		    (r = ledger_piece(c, a, res, &cap, s->from, to, (enum clock_segment_kind)s->why, e)) < 0)
			return r;
		x = to;
	}
	if (x < end && (r = ledger_piece(c, a, res, &cap, x, end, CLOCK_SEG_RUNNING, e)) < 0)
		return r;
	return 0;
}

int clock_evaluate(const struct clock *c, ls_time at, unsigned flags, struct arena *a, struct clock_result **ret,
                   struct lserr *e)
{
	if (!c->created)
		return lserr_set(e, -EINVAL, "invalid_field", "at", "at: the ticket has no 'created' event yet");
	if (c->failed)
		return lserr_set(e, -EINVAL, "invalid_field", "kind", "the clock stopped at an earlier error");
	if (at < c->last_at)
		return lserr_set(e, -EINVAL, "invalid_field", "at", "at: lies before the ticket's last event");
	/* work on a copy: the clock stays as it is, so more events may follow */
	struct clock *k = arena_alloc(a, sizeof(*k));
	*k = *c;
	k->a = a;
	k->cap_t = k->n_t + _POLICY_METRIC_MAX;
	k->t = arena_alloc(a, k->cap_t * sizeof(*k->t));
	if (c->n_t)
		memcpy(k->t, c->t, c->n_t * sizeof(*k->t));
	k->cap_stops = k->n_stops; /* a push copies rather than writing into c's array */
	int r = reconcile(k, k->last_at, e);
	if (r < 0)
		return r;
	struct clock_result *res = arena_zalloc(a, sizeof(*res));
	res->at = at;
	res->state = k->state;
	res->priority = k->priority;
	res->policy = k->policy;
	res->closed = k->closed;
	res->targets = k->t;
	res->n_targets = k->n_t;
	for (size_t i = 0; i < k->n_t; i++)
		if ((r = finish_target(&k->t[i], at, e)) < 0)
			return r;
	if ((flags & CLOCK_LEDGER) && (r = build_ledger(k, at, a, res, e)) < 0)
		return r;
	*ret = res;
	return 0;
}

int clock_eval(const struct clock_event *ev, size_t n, ls_time at, unsigned flags, struct arena *a,
               struct clock_result **ret, struct lserr *e)
{
	struct clock *c = clock_new(a);
	for (size_t i = 0; i < n; i++) {
		int r = clock_apply(c, &ev[i], e);
		if (r < 0)
			return r;
	}
	return clock_evaluate(c, at, flags, a, ret, e);
}

int clock_next_deadline(const struct clock_result *r, struct clock_deadline *ret)
{
	struct clock_deadline best = {0};
	for (size_t i = 0; i < r->n_targets; i++) {
		const struct clock_target *t = &r->targets[i];
		if (t->end != END_NONE)
			continue;
		if (t->state == CLOCK_RUNNING && t->due > r->at && (!best.at || t->due < best.at))
			best = (struct clock_deadline){.at = t->due, .kind = CLOCK_DEADLINE_BREACH, .target = i};
		for (size_t w = 0; w < t->n_warnings; w++)
			if (!t->warnings[w].reached && t->warnings[w].at > r->at &&
			    (!best.at || t->warnings[w].at < best.at))
				best = (struct clock_deadline){.at = t->warnings[w].at,
				                               .kind = CLOCK_DEADLINE_WARNING,
				                               .target = i,
				                               .index = (unsigned)w};
		for (size_t l = 0; l < t->n_levels; l++)
			if (!t->levels[l].fired && t->levels[l].due > r->at && (!best.at || t->levels[l].due < best.at))
				best = (struct clock_deadline){.at = t->levels[l].due,
				                               .kind = CLOCK_DEADLINE_ESCALATION,
				                               .target = i,
				                               .index = (unsigned)l + 1};
	}
	if (!best.at)
		return -ENOENT;
	*ret = best;
	return 0;
}
