/* What-if replay of SLA policies over JSON-lines ticket events (see replay.h).
 * Room: sla.
 *
 * Reading keeps little per ticket: its reference, its policy subject and a list of
 * compact events (24 bytes each, with their line numbers) threaded through one
 * growing array, so a stream of millions of tickets fits in memory; the clocks are
 * built only when a ticket is checked or evaluated, exactly as a service would build
 * them from stored history. Tickets are found through an open-addressing hash table
 * (FNV-1a, linear probing, at most half full). Every ticket remembers the instant of
 * its last event read, applied or not, so the time order is checked for the whole
 * input even when `until` cuts it short. Policy choice happens here, not in the
 * clock: at creation from the created event's attributes and again on every priority
 * change; a change of policy is recorded as a POLICY event at the same instant, which
 * the clock merges with the priority change. */
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
		                 "at: '%.40s' is not an RFC 3339 timestamp with offset, e.g. 2025-03-28T16:00:00+01:00",
		                 at);
	ev->ev.kind = clock_event_kind_from_string(kind);
	if ((int)ev->ev.kind < 0 || ev->ev.kind == CLOCK_EV_POLICY)
		return lserr_set(e, -EINVAL, "invalid_field", "kind",
		                 "kind: '%.32s' is not an event kind; use created, reply, state, priority, resolved, "
		                 "reopened, closed or acknowledged",
		                 kind);
	ev->subject = (struct policy_subject){.type = _TICKET_TYPE_INVALID, .channel = _TICKET_CHANNEL_INVALID};
	ev->ev.is_public = true;

	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		const char *s = NULL;
		if (strcmp(key, "ticket") == 0 || strcmp(key, "at") == 0 || strcmp(key, "kind") == 0)
			continue;
		switch (ev->ev.kind) {
		case CLOCK_EV_CREATED:
			if (strcmp(key, "priority") == 0) {
				if ((r = get_str(v, key, 8, &s, e)) < 0)
					return r;
				if ((ev->ev.priority = policy_priority_from_string(s)) < 0)
					return lserr_set(e, -EINVAL, "invalid_field", key,
					                 "priority: '%s' is not P1 .. P5", s);
			} else if (strcmp(key, "type") == 0) {
				if ((r = get_str(v, key, 32, &s, e)) < 0)
					return r;
				if ((int)(ev->subject.type = ticket_type_from_string(s)) < 0)
					return lserr_set(
					        e, -EINVAL, "invalid_field", key,
					        "type: '%s' is not incident, problem, service_request or complaint", s);
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
					return lserr_set(e, -EINVAL, "invalid_field", key,
					                 "public: must be true or false");
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
					return lserr_set(
					        e, -EINVAL, "invalid_field", key,
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
		default: goto unknown;
		}
		continue;
	unknown:
		return lserr_set(e, -EINVAL, "unknown_field", key, "%.64s: unknown field for a '%s' event", key, kind);
	}

	static const struct {
		enum clock_event_kind kind;
		const char *field;
	} required[] = {
	        {CLOCK_EV_CREATED, "priority"}, {CLOCK_EV_REPLY, "author"}, {CLOCK_EV_STATE, "to"},
	        {CLOCK_EV_PRIORITY, "to"},      {CLOCK_EV_ACK, "target"},   {CLOCK_EV_ACK, "level"},
	};
	for (size_t i = 0; i < ELEMENTSOF(required); i++)
		if (required[i].kind == ev->ev.kind && !json_object_get(o, required[i].field))
			return lserr_set(e, -EINVAL, "missing_field", required[i].field,
			                 "%s: required for a '%s' event", required[i].field, kind);
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
		return lserr_set(e, -EINVAL, "invalid_json", "line", "not a JSON object: column %d: %s", je.column,
		                 je.text);
	struct replay_event ev;
	int r = json_is_object(o) ? parse_object(o, a, &ev, e)
	                          : lserr_set(e, -EINVAL, "invalid_json", "line", "not a JSON object");
	json_decref(o);
	if (r == 0)
		*ret = ev;
	return r;
}

/* ---- tickets ---- */

#define NO_POLICY UINT16_MAX

/* One applied event, compact: a ticket's events form a list through `next`. */
struct revent {
	ls_time at;
	uint32_t line;   /* of the input, 1-based */
	uint32_t next;   /* index + 1 of the ticket's next event; 0: last */
	uint16_t policy; /* CREATED, POLICY: index into policies or NO_POLICY */
	uint8_t kind;
	uint8_t a; /* priority, state, author or metric */
	uint8_t b; /* is_public or level */
};

struct rticket {
	const char *id;
	uint32_t head, tail; /* index + 1 into events; 0: none applied */
	ls_time last_read;   /* last event read, applied or not */
	struct policy_subject subject;
	uint16_t policy;       /* in force after the last applied event */
	const char *no_policy; /* why none applies */
};

struct replay {
	const struct policy *const *policies;
	size_t npolicies;
	ls_time until, last_at;
	bool has_until;
	uint32_t line;      /* lines seen */
	struct arena arena; /* ids, categories, reasons, the ticket vector */
	struct rticket *t;
	size_t n, cap;
	struct revent *ev;
	size_t nev, capev;
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
	r->npolicies = n < NO_POLICY ? n : NO_POLICY - 1;
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
	xfree(r->ev);
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

/* Chooses the policy for t's subject. */
static uint16_t choose(struct replay *r, struct rticket *t)
{
	size_t i;
	struct lserr pe;
	if (policy_select(r->policies, r->npolicies, &t->subject, &i, &pe) == 0) {
		t->no_policy = NULL;
		return (uint16_t)i;
	}
	t->no_policy = arena_strdup(&r->arena, pe.message);
	return NO_POLICY;
}

static int check_range(const struct replay *r, ls_time at, struct lserr *e)
{
	for (size_t i = 0; i < r->npolicies; i++) {
		ls_time lo, hi;
		calendar_range(r->policies[i]->cal, &lo, &hi);
		if (at < lo || at >= hi) {
			char buf[TZ_RFC3339_MAX];
			return lserr_set(
			        e, -ERANGE, "invalid_field", "at", "at: %s lies outside the calendar's years %d-%d",
			        time_format_rfc3339(at, buf, sizeof(buf)), CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
		}
	}
	return 0;
}

static void append(struct replay *r, struct rticket *t, const struct clock_event *ce, uint16_t policy)
{
	if (r->nev == r->capev) {
		r->capev = r->capev ? r->capev * 2 : 4096;
		r->ev = xrealloc(r->ev, r->capev * sizeof(*r->ev));
	}
	struct revent *v = &r->ev[r->nev++];
	uint8_t a = 0, b = 0;
	switch (ce->kind) {
	case CLOCK_EV_CREATED:
	case CLOCK_EV_PRIORITY: a = (uint8_t)ce->priority; break;
	case CLOCK_EV_STATE: a = (uint8_t)ce->state; break;
	case CLOCK_EV_REPLY:
		a = (uint8_t)ce->author;
		b = ce->is_public;
		break;
	case CLOCK_EV_ACK:
		a = (uint8_t)ce->metric;
		b = (uint8_t)ce->level;
		break;
	default: break;
	}
	*v = (struct revent){
	        .at = ce->at, .line = r->line, .next = 0, .policy = policy, .kind = (uint8_t)ce->kind, .a = a, .b = b};
	if (t->tail)
		r->ev[t->tail - 1].next = (uint32_t)r->nev;
	else
		t->head = (uint32_t)r->nev;
	t->tail = (uint32_t)r->nev;
}

int replay_line(struct replay *r, const char *line, size_t n, struct lserr *e)
{
	r->line++;
	size_t k = 0;
	while (k < n && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r' || line[k] == '\n'))
		k++;
	if (k == n)
		return 0;
	if (r->nev >= UINT32_MAX - 2 || r->n >= UINT32_MAX - 2)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "line", "line: too many events");
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
		t = &ARENA_PUSH(&r->arena, r->t, r->n, r->cap);
		t->id = arena_strdup(&r->arena, ev.ticket);
		t->policy = NO_POLICY;
		r->slots[slot] = (uint32_t)r->n;
		if (r->n * 2 > r->nslots)
			grow_slots(r);
	} else if (ev.ev.at < t->last_read) {
		rc = lserr_set(
		        e, -EINVAL, "invalid_field", "at",
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
		if (t->head) { /* let the engine say what is wrong, with this line */
			append(r, t, &ev.ev, t->policy);
			goto out;
		}
		t->subject = ev.subject;
		t->subject.priority = ev.ev.priority;
		if (ev.subject.category)
			t->subject.category = arena_strdup(&r->arena, ev.subject.category);
		t->policy = choose(r, t);
		append(r, t, &ev.ev, t->policy);
		goto out;
	}
	append(r, t, &ev.ev, NO_POLICY);
	if (ev.ev.kind == CLOCK_EV_PRIORITY && ev.ev.priority >= 1 && ev.ev.priority != t->subject.priority) {
		t->subject.priority = ev.ev.priority;
		uint16_t p = choose(r, t);
		if (p != t->policy) {
			t->policy = p;
			struct clock_event pe = {.at = ev.ev.at, .kind = CLOCK_EV_POLICY};
			append(r, t, &pe, p);
		}
	}
out:
	arena_release(&tmp);
	return rc;
}

/* Feeds ticket i's events to a new clock from a; on failure *ret_line is the line of
 * the event the engine refused. */
static int run_ticket(const struct replay *r, size_t i, struct arena *a, struct clock **ret, uint32_t *ret_line,
                      struct lserr *e)
{
	struct clock *c = clock_new(a);
	for (uint32_t k = r->t[i].head; k; k = r->ev[k - 1].next) {
		const struct revent *v = &r->ev[k - 1];
		struct clock_event ce = {.at = v->at, .kind = (enum clock_event_kind)v->kind};
		switch (ce.kind) {
		case CLOCK_EV_CREATED:
		case CLOCK_EV_POLICY:
			ce.priority = v->a;
			ce.policy = v->policy == NO_POLICY ? NULL : r->policies[v->policy];
			break;
		case CLOCK_EV_PRIORITY: ce.priority = v->a; break;
		case CLOCK_EV_STATE: ce.state = (enum ticket_state)v->a; break;
		case CLOCK_EV_REPLY:
			ce.author = (enum author_kind)v->a;
			ce.is_public = v->b;
			break;
		case CLOCK_EV_ACK:
			ce.metric = (enum policy_metric)v->a;
			ce.level = v->b;
			break;
		default: break;
		}
		int rc = clock_apply(c, &ce, e);
		if (rc < 0) {
			*ret_line = v->line;
			return rc;
		}
	}
	*ret = c;
	return 0;
}

int replay_check(const struct replay *r, uint32_t *ret_line, struct lserr *e)
{
	struct arena a = ARENA_INIT;
	uint32_t worst = 0;
	int rc = 0;
	for (size_t i = 0; i < r->n; i++) {
		struct clock *c;
		uint32_t line = 0;
		struct lserr te;
		lserr_clear(&te);
		arena_reset(&a);
		if (r->t[i].head && run_ticket(r, i, &a, &c, &line, &te) < 0 && (!worst || line < worst)) {
			worst = line;
			rc = te.rc;
			if (e)
				*e = te;
		}
	}
	arena_release(&a);
	if (rc < 0)
		*ret_line = worst;
	return rc;
}

int replay_evaluate(const struct replay *r, size_t i, ls_time at, unsigned flags, struct arena *a,
                    struct replay_ticket *ret, struct lserr *e)
{
	const struct rticket *t = &r->t[i];
	struct replay_ticket out = {.ticket = t->id, .no_policy = t->no_policy};
	if (t->head) {
		struct clock *c;
		uint32_t line;
		int rc = run_ticket(r, i, a, &c, &line, e);
		if (rc == 0)
			rc = clock_evaluate(c, at, flags, a, &out.result, e);
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
