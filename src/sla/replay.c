/* What-if replay of SLA policies over JSON-lines ticket events (see replay.h).
 * Room: sla.
 *
 * Tickets are found by reference through an open-addressing hash table (FNV-1a,
 * linear probing, at most half full) over a vector in order of first appearance.
 * Every ticket remembers the instant of its last event read, applied or not, so the
 * time order is checked for the whole input even when `until` cuts it short. Policy
 * choice happens here, not in the clock: at creation from the created event's
 * attributes and again on every priority change; a change of policy is fed to the
 * clock as a POLICY event at the same instant, which the clock merges with the
 * priority change. */
#include "sla/replay.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "calendar/tz.h"
#include "core/alloc.h"
#include "core/limits.h"

/* ---- parsing one line ---- */

static int get_str(json_t *v, const char *field, size_t max, const char **ret, struct lserr *e)
{
	if (!v)
		return lserr_set(e, -EINVAL, "missing_field", field, "%s: required", field);
	if (!json_is_string(v))
		return lserr_set(e, -EINVAL, "invalid_field", field, "%s: must be a string", field);
	size_t n = json_string_length(v);
	if (n == 0)
		return lserr_set(e, -EINVAL, "invalid_field", field, "%s: must not be empty", field);
	if (n > max || memchr(json_string_value(v), '\0', n))
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", field, "%s: longer than %zu bytes", field, max);
	*ret = json_string_value(v);
	return 0;
}

static int parse_object(json_t *o, struct arena *a, struct replay_event *ev, struct lserr *e)
{
	const char *ticket = NULL, *at = NULL, *kind = NULL;
	int r;
	if ((r = get_str(json_object_get(o, "ticket"), "ticket", LS_MAX_SLA_TICKET_BYTES, &ticket, e)) < 0 ||
	    (r = get_str(json_object_get(o, "at"), "at", 64, &at, e)) < 0 ||
	    (r = get_str(json_object_get(o, "kind"), "kind", 32, &kind, e)) < 0)
		return r;
	memset(ev, 0, sizeof(*ev));
	ev->ticket = arena_strdup(a, ticket);
	/* a bare date would silently mean midnight UTC: demand a time and an offset */
	if (strlen(at) <= 10 || time_parse_rfc3339(at, &ev->ev.at) < 0)
		return lserr_set(e, -EINVAL, "invalid_field", "at",
				 "at: '%.40s' is not an RFC 3339 timestamp with offset, e.g. 2025-03-28T16:00:00+01:00", at);
	ev->ev.kind = clock_event_kind_from_string(kind);
	if ((int)ev->ev.kind < 0 || ev->ev.kind == CLOCK_EV_POLICY)
		return lserr_set(e, -EINVAL, "invalid_field", "kind",
				 "kind: '%.32s' is not an event kind; use created, reply, state, priority, resolved, "
				 "reopened, closed or acknowledged",
				 kind);
	ev->subject = (struct policy_subject){ .type = _TICKET_TYPE_INVALID, .channel = _TICKET_CHANNEL_INVALID };
	ev->ev.is_public = true;

	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		const char *s = NULL;
		if (strcmp(key, "ticket") == 0 || strcmp(key, "at") == 0 || strcmp(key, "kind") == 0)
			continue;
		switch (ev->ev.kind) {
		case CLOCK_EV_CREATED:
			if (strcmp(key, "priority") == 0) {
				if ((r = get_str(v, key, 8, &s, e)) < 0)
					return r;
				if ((ev->ev.priority = policy_priority_from_string(s)) < 0)
					return lserr_set(e, -EINVAL, "invalid_field", key, "priority: '%s' is not P1 .. P5", s);
			} else if (strcmp(key, "type") == 0) {
				if ((r = get_str(v, key, 32, &s, e)) < 0)
					return r;
				if ((int)(ev->subject.type = ticket_type_from_string(s)) < 0)
					return lserr_set(e, -EINVAL, "invalid_field", key,
							 "type: '%s' is not incident, problem, service_request or complaint",
							 s);
			} else if (strcmp(key, "channel") == 0) {
				if ((r = get_str(v, key, 32, &s, e)) < 0)
					return r;
				if ((int)(ev->subject.channel = ticket_channel_from_string(s)) < 0)
					return lserr_set(e, -EINVAL, "invalid_field", key,
							 "channel: '%s' is not email, phone, web, chat or api", s);
			} else if (strcmp(key, "category") == 0) {
				if ((r = get_str(v, key, LS_MAX_CATEGORY_BYTES, &s, e)) < 0)
					return r;
				ev->subject.category = arena_strdup(a, s);
			} else {
				goto unknown;
			}
			break;
		case CLOCK_EV_REPLY:
			if (strcmp(key, "author") == 0) {
				if ((r = get_str(v, key, 32, &s, e)) < 0)
					return r;
				if ((int)(ev->ev.author = author_kind_from_string(s)) < 0)
					return lserr_set(e, -EINVAL, "invalid_field", key,
							 "author: '%s' is not agent, customer or system", s);
			} else if (strcmp(key, "public") == 0) {
				if (!json_is_boolean(v))
					return lserr_set(e, -EINVAL, "invalid_field", key, "public: must be true or false");
				ev->ev.is_public = json_is_true(v);
			} else {
				goto unknown;
			}
			break;
		case CLOCK_EV_STATE:
			if (strcmp(key, "to") != 0)
				goto unknown;
			if ((r = get_str(v, key, 32, &s, e)) < 0)
				return r;
			if ((int)(ev->ev.state = ticket_state_from_string(s)) < 0)
				return lserr_set(e, -EINVAL, "invalid_field", key,
						 "to: '%.32s' is not a ticket state (new, assigned, in_progress, "
						 "pending_customer, pending_vendor, resolved, closed)",
						 s);
			break;
		case CLOCK_EV_PRIORITY:
			if (strcmp(key, "to") != 0)
				goto unknown;
			if ((r = get_str(v, key, 8, &s, e)) < 0)
				return r;
			if ((ev->ev.priority = policy_priority_from_string(s)) < 0)
				return lserr_set(e, -EINVAL, "invalid_field", key, "to: '%s' is not P1 .. P5", s);
			break;
		case CLOCK_EV_ACK:
			if (strcmp(key, "target") == 0) {
				if ((r = get_str(v, key, 32, &s, e)) < 0)
					return r;
				if ((int)(ev->ev.metric = policy_metric_from_string(s)) < 0)
					return lserr_set(e, -EINVAL, "invalid_field", key,
							 "target: '%s' is not first_response, next_update or resolution", s);
			} else if (strcmp(key, "level") == 0) {
				if (!json_is_integer(v) || json_integer_value(v) < 1 ||
				    json_integer_value(v) > LS_MAX_SLA_LEVELS)
					return lserr_set(e, -EINVAL, "invalid_field", key,
							 "level: must be a whole number 1 .. %d", LS_MAX_SLA_LEVELS);
				ev->ev.level = (unsigned)json_integer_value(v);
			} else {
				goto unknown;
			}
			break;
		default:
			goto unknown;
		}
		continue;
	unknown:
		return lserr_set(e, -EINVAL, "unknown_field", key, "%.64s: unknown field for a '%s' event", key, kind);
	}

	static const struct {
		enum clock_event_kind kind;
		const char *field;
	} required[] = {
		{ CLOCK_EV_CREATED, "priority" }, { CLOCK_EV_REPLY, "author" }, { CLOCK_EV_STATE, "to" },
		{ CLOCK_EV_PRIORITY, "to" },	  { CLOCK_EV_ACK, "target" },	{ CLOCK_EV_ACK, "level" },
	};
	for (size_t i = 0; i < ELEMENTSOF(required); i++)
		if (required[i].kind == ev->ev.kind && !json_object_get(o, required[i].field))
			return lserr_set(e, -EINVAL, "missing_field", required[i].field, "%s: required for a '%s' event",
					 required[i].field, kind);
	return 0;
}

int replay_parse_event(const char *line, size_t n, struct arena *a, struct replay_event *ret, struct lserr *e)
{
	if (n > LS_MAX_SLA_EVENT_BYTES)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "line", "line: longer than %d bytes",
				 LS_MAX_SLA_EVENT_BYTES);
	json_error_t je;
	json_t *o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return lserr_set(e, -EINVAL, "invalid_json", "line", "not a JSON object: column %d: %s", je.column, je.text);
	struct replay_event ev;
	int r = json_is_object(o) ? parse_object(o, a, &ev, e)
				  : lserr_set(e, -EINVAL, "invalid_json", "line", "not a JSON object");
	json_decref(o);
	if (r == 0)
		*ret = ev;
	return r;
}

/* ---- tickets ---- */

struct rticket {
	const char *id;
	struct clock *clock;
	ls_time last_read;    /* last event read, applied or not */
	bool applied;         /* some event was applied */
	struct policy_subject subject;
	size_t policy;        /* index of the policy in force; npolicies: none */
	const char *no_policy; /* why none applies */
};

struct replay {
	const struct policy *const *policies;
	size_t npolicies;
	ls_time until, last_at;
	bool has_until;
	struct arena arena; /* ids, clocks, reasons */
	struct rticket *t;
	size_t n, cap;
	uint32_t *slots; /* index + 1 into t; 0: empty */
	size_t nslots;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void grow_slots(struct replay *r)
{
	size_t n = r->nslots ? r->nslots * 2 : 1024;
	uint32_t *s = xcalloc(n, sizeof(*s));
	for (size_t i = 0; i < r->n; i++) {
		size_t k = hash(r->t[i].id) & (n - 1);
		while (s[k])
			k = (k + 1) & (n - 1);
		s[k] = (uint32_t)(i + 1);
	}
	xfree(r->slots);
	r->slots = s;
	r->nslots = n;
}

/* The ticket named id, or NULL (with *ret_slot where to insert it). */
static struct rticket *find(const struct replay *r, const char *id, size_t *ret_slot)
{
	size_t k = hash(id) & (r->nslots - 1);
	while (r->slots[k]) {
		struct rticket *t = &r->t[r->slots[k] - 1];
		if (strcmp(t->id, id) == 0)
			return t;
		k = (k + 1) & (r->nslots - 1);
	}
	*ret_slot = k;
	return NULL;
}

struct replay *replay_new(const struct policy *const *policies, size_t n)
{
	struct replay *r = xcalloc(1, sizeof(*r));
	r->policies = policies;
	r->npolicies = n;
	arena_init(&r->arena);
	r->arena.block_size = 256 * 1024;
	grow_slots(r);
	return r;
}

void replay_free(struct replay *r)
{
	if (!r)
		return;
	arena_release(&r->arena);
	xfree(r->slots);
	xfree(r);
}

void replay_set_until(struct replay *r, ls_time until)
{
	r->until = until;
	r->has_until = true;
}

ls_time replay_last_at(const struct replay *r)
{
	return r->last_at;
}

size_t replay_ticket_count(const struct replay *r)
{
	return r->n;
}

/* Chooses the policy for t's subject; returns its index or npolicies. */
static size_t choose(struct replay *r, struct rticket *t)
{
	size_t i;
	struct lserr pe;
	if (policy_select(r->policies, r->npolicies, &t->subject, &i, &pe) == 0) {
		t->no_policy = NULL;
		return i;
	}
	t->no_policy = arena_strdup(&r->arena, pe.message);
	return r->npolicies;
}

static int check_range(const struct replay *r, ls_time at, struct lserr *e)
{
	for (size_t i = 0; i < r->npolicies; i++) {
		ls_time lo, hi;
		calendar_range(r->policies[i]->cal, &lo, &hi);
		if (at < lo || at >= hi) {
			char buf[TZ_RFC3339_MAX];
			return lserr_set(e, -ERANGE, "invalid_field", "at", "at: %s lies outside the calendar's years %d-%d",
					 time_format_rfc3339(at, buf, sizeof(buf)), CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
		}
	}
	return 0;
}

int replay_line(struct replay *r, const char *line, size_t n, struct lserr *e)
{
	size_t k = 0;
	while (k < n && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r' || line[k] == '\n'))
		k++;
	if (k == n)
		return 0;
	struct arena tmp = ARENA_INIT;
	struct replay_event ev;
	int rc = replay_parse_event(line, n, &tmp, &ev, e);
	if (rc < 0)
		goto out;
	if ((rc = check_range(r, ev.ev.at, e)) < 0)
		goto out;
	size_t slot = 0;
	struct rticket *t = find(r, ev.ticket, &slot);
	if (!t) {
		if (ev.ev.kind != CLOCK_EV_CREATED) {
			rc = lserr_set(e, -EINVAL, "invalid_transition", "kind",
				       "kind: the first event of ticket %s must be 'created'", ev.ticket);
			goto out;
		}
		if (r->n >= UINT32_MAX - 1) {
			rc = lserr_set(e, -LS_ETOOLARGE, "invalid_field", "ticket", "ticket: too many tickets");
			goto out;
		}
		t = &ARENA_PUSH(&r->arena, r->t, r->n, r->cap);
		t->id = arena_strdup(&r->arena, ev.ticket);
		t->clock = clock_new(&r->arena);
		t->last_read = ev.ev.at;
		t->policy = r->npolicies;
		r->slots[slot] = (uint32_t)r->n;
		if (r->n * 2 > r->nslots)
			grow_slots(r);
	} else if (ev.ev.at < t->last_read) {
		rc = lserr_set(e, -EINVAL, "invalid_field", "at",
			       "at: lies before the previous event of ticket %s; events of a ticket must be in time order",
			       t->id);
		goto out;
	}
	t->last_read = ev.ev.at;
	if (ev.ev.at > r->last_at)
		r->last_at = ev.ev.at;
	if (r->has_until && ev.ev.at > r->until)
		goto out;

	if (ev.ev.kind == CLOCK_EV_CREATED) {
		t->subject = ev.subject;
		t->subject.priority = ev.ev.priority;
		if (ev.subject.category)
			t->subject.category = arena_strdup(&r->arena, ev.subject.category);
		t->policy = choose(r, t);
		ev.ev.policy = t->policy < r->npolicies ? r->policies[t->policy] : NULL;
	}
	if ((rc = clock_apply(t->clock, &ev.ev, e)) < 0)
		goto out;
	t->applied = true;
	if (ev.ev.kind == CLOCK_EV_PRIORITY && ev.ev.priority != t->subject.priority) {
		t->subject.priority = ev.ev.priority;
		size_t p = choose(r, t);
		if (p != t->policy) {
			t->policy = p;
			struct clock_event pe = { .at = ev.ev.at,
						  .kind = CLOCK_EV_POLICY,
						  .policy = p < r->npolicies ? r->policies[p] : NULL };
			rc = clock_apply(t->clock, &pe, e);
		}
	}
out:
	arena_release(&tmp);
	return rc;
}

int replay_evaluate(const struct replay *r, size_t i, ls_time at, unsigned flags, struct arena *a,
		    struct replay_ticket *ret, struct lserr *e)
{
	const struct rticket *t = &r->t[i];
	struct replay_ticket out = { .ticket = t->id, .no_policy = t->no_policy };
	if (t->applied) {
		int rc = clock_evaluate(t->clock, at, flags, a, &out.result, e);
		if (rc < 0)
			return rc;
	}
	*ret = out;
	return 0;
}

void replay_summary_add(struct replay_summary *s, const struct replay_ticket *t)
{
	if (!t->result)
		return;
	s->tickets++;
	if (!t->result->policy)
		s->unmatched++;
	for (size_t i = 0; i < t->result->n_targets; i++)
		s->count[t->result->targets[i].state]++;
	size_t met = s->count[CLOCK_MET], breached = s->count[CLOCK_BREACHED];
	s->has_compliance = met + breached > 0;
	s->compliance = s->has_compliance ? (double)met / (double)(met + breached) : 0.0;
}
