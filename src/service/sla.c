/* SLA policies and a ticket's SLA (see sla.h). Room: service.
 *
 * The engine is the judge of a definition: policy_parse() checks it and the calendar
 * it runs on is compiled once; the service adds what only a database knows (the
 * client, stored calendars, unique orders among the client's policies). A ticket's
 * SLA is derived on every request from its history and the client's current policy
 * versions; the events map to clock events thus: created → CREATED (priority at
 * creation), state → STATE (the engine reads resolved, closed and a reopen from the
 * state itself, so 'reopened' adds nothing), reply → public agent reply,
 * customer_reply → public customer reply, note → non-public agent reply, priority →
 * PRIORITY followed by POLICY when another policy applies from then on. */
#include "service/sla.h"

#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "core/parse.h"
#include "service/calendars.h"
#include "service/directory.h"
#include "service/tickets.h"
#include "sla/policy.h"
#include "store/dirdb.h"
#include "store/sladb.h"
#include "store/ticketdb.h"

static int visible_client(struct svc *s, const char *code, const char *field, struct client *ret)
{
	if (!code || !*code)
		return lserr_set(s->err, -EINVAL, "missing_field", field, "client must be given");
	int r = dirdb_client_by_code(s->st, s->arena, code, ret);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, ret->id)))
		return lserr_set(s->err, -ENOENT, "not_found", field, "client '%.40s' does not exist", code);
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");
	return 0;
}

static int require_writer(struct svc *s)
{
	if (s->actor->role != USER_ROLE_ADMIN && s->actor->role != USER_ROLE_MANAGER)
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL,
				 "only admins and managers may change SLA policies");
	return 0;
}

static int check_name(struct svc *s, const char *name)
{
	if (!name || !*name)
		return lserr_set(s->err, -EINVAL, "missing_field", "name", "name must not be empty");
	if (strlen(name) > LS_MAX_NAME_BYTES)
		return lserr_set(s->err, -EINVAL, "invalid_field", "name", "name is longer than %d bytes",
				 LS_MAX_NAME_BYTES);
	return 0;
}

/* Names an engine error's field as the API does: under "definition". */
static int in_definition(struct svc *s, int r)
{
	if (r < 0 && s->err) {
		char f[sizeof(s->err->field)];
		snprintf(f, sizeof(f), "%s%s%.50s", "definition", *s->err->field ? "." : "", s->err->field);
		snprintf(s->err->field, sizeof(s->err->field), "%s", f);
		if (!s->err->code || strcmp(s->err->code, "missing_field") != 0)
			s->err->code = "invalid_field";
	}
	return r;
}

static void free_calendar(void *p)
{
	calendar_free(p);
}

/* Compiles the calendar p runs on for local years first..last: its inline calendar,
 * or the client's stored calendar it names. The calendar is freed with s->arena. */
static int compile_calendar(struct svc *s, const struct client *c, const struct policy *p, int first, int last,
			    struct calendar **ret)
{
	struct calendar *cal = NULL;
	int r;
	if (p->calendar.ref) {
		struct calendar_def d;
		r = calendars_get(s, c->code, p->calendar.ref, p->calendar.version, &d);
		if (r == -ENOENT)
			return lserr_set(s->err, -EINVAL, "invalid_field", "definition.calendar",
					 "client '%s' has no calendar '%.40s'%s", c->code, p->calendar.ref,
					 p->calendar.version ? " in that version" : "");
		if (r < 0)
			return r;
		r = calendars_compile(s, &d, first, last, &cal);
	} else {
		r = in_definition(s, policy_compile_calendar(p, first, last, &cal, s->err));
	}
	if (r < 0)
		return r;
	arena_on_reset(s->arena, free_calendar, cal);
	*ret = cal;
	return 0;
}

/* Parses a stored or submitted definition; the stored name and version label it. */
static int parse_def(struct svc *s, const struct sla_def *d, struct policy **ret)
{
	int r = in_definition(s, policy_parse(d->definition, strlen(d->definition), s->arena, ret, s->err));
	if (r < 0)
		return r;
	(*ret)->name = d->name;
	(*ret)->version = d->version ? d->version : 1;
	return 0;
}

static int validate(struct svc *s, const struct client *c, struct sla_def *d)
{
	if (!d->definition || !*d->definition)
		return lserr_set(s->err, -EINVAL, "missing_field", "definition", "definition must be given");
	struct policy *p;
	struct calendar *cal;
	int r = parse_def(s, d, &p);
	if (r == 0)
		r = compile_calendar(s, c, p, 2000, 2000, &cal);
	if (r == 0)
		d->sort_order = p->order;
	return r;
}

/* Inside the write transaction: no other policy of the client has d's order. */
static int check_order(struct svc *s, const struct sla_def *d)
{
	struct sla_def *v;
	size_t n;
	int r = sladb_list(s->st, s->arena, d->client_id, &v, &n);
	if (r < 0)
		return store_error(s->st, s->err, "listing SLA policies");
	for (size_t i = 0; i < n; i++)
		if (v[i].sort_order == d->sort_order && strcmp(v[i].code, d->code) != 0) {
			r = lserr_set(s->err, -LS_ECONFLICT, "conflict", "definition.order",
				      "policy '%s' of client '%s' has order %lld already", v[i].code,
				      v[i].client_code, (long long)d->sort_order);
			lserr_hint(s->err, "give each policy of a client its own \"order\": the lower wins");
			return r;
		}
	return 0;
}

static int fail(struct svc *s, int r, const char *what)
{
	if (r != -LS_ECONFLICT && r != -LS_ESTALE)
		r = store_error(s->st, s->err, what);
	store_rollback(s->st);
	return r;
}

int sla_policies_create(struct svc *s, const struct sla_input *in, struct sla_def *ret)
{
	lserr_clear(s->err);
	int r = require_writer(s);
	if (r < 0)
		return r;
	struct client c;
	if ((r = visible_client(s, in->client, "client", &c)) < 0) {
		if (r != -ENOENT)
			return r;
		return lserr_set(s->err, -EINVAL, "invalid_field", "client", "client '%.40s' does not exist",
				 in->client);
	}
	if (!in->code || !directory_code_valid(in->code))
		return lserr_set(s->err, -EINVAL, "invalid_field", "code",
				 "policy code must be 1-%d letters, digits, '_' or '-'", LS_MAX_CODE_BYTES);
	if ((r = check_name(s, in->name ? in->name : in->code)) < 0)
		return r;
	struct sla_def d = {
		.client_id = c.id,
		.client_code = c.code,
		.code = arena_strdup(s->arena, in->code),
		.name = arena_strdup(s->arena, in->name ? in->name : in->code),
		.definition = in->definition,
		.version = 1,
		.created_at = s->now,
	};
	if ((r = validate(s, &c, &d)) < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	if ((r = check_order(s, &d)) < 0) {
		store_rollback(s->st);
		return r;
	}
	r = sladb_insert(s->st, &d, s->actor->user_id);
	if (r == -LS_ECONFLICT)
		r = lserr_set(s->err, r, "conflict", "code", "client '%s' has an SLA policy '%s' already", c.code,
			      in->code);
	if (r < 0 || (r = store_commit(s->st)) < 0)
		return fail(s, r, "storing the SLA policy");
	return sla_policies_get(s, c.code, d.code, 0, ret);
}

int sla_policies_get(struct svc *s, const char *client, const char *code, int64_t version, struct sla_def *ret)
{
	struct client c;
	int r = visible_client(s, client, "client", &c);
	if (r < 0)
		return r;
	r = sladb_get(s->st, s->arena, c.id, code, version, ret);
	if (r == -ENOENT)
		return version ? lserr_set(s->err, r, "not_found", "version",
					   "SLA policy '%.40s' of client '%s' has no version %lld", code, c.code,
					   (long long)version)
			       : lserr_set(s->err, r, "not_found", "code", "client '%s' has no SLA policy '%.40s'",
					   c.code, code);
	return r < 0 ? store_error(s->st, s->err, "loading the SLA policy") : 0;
}

int sla_policies_list(struct svc *s, const char *client, struct sla_def **ret, size_t *ret_n)
{
	struct client c;
	int r = visible_client(s, client, "client", &c);
	if (r < 0) {
		if (s->err && (r == -ENOENT || r == -EINVAL))
			s->err->code = "invalid_parameter"; /* a query parameter, not a resource */
		return r;
	}
	r = sladb_list(s->st, s->arena, c.id, ret, ret_n);
	return r < 0 ? store_error(s->st, s->err, "listing SLA policies") : 0;
}

int sla_policies_update(struct svc *s, const char *client, const char *code, int64_t expected_version,
			unsigned fields, const struct sla_input *in, struct sla_def *ret)
{
	lserr_clear(s->err);
	int r = require_writer(s);
	if (r < 0)
		return r;
	struct client c;
	if ((r = visible_client(s, client, "client", &c)) < 0)
		return r;
	struct sla_def d;
	if ((r = sla_policies_get(s, client, code, 0, &d)) < 0)
		return r;
	if (d.version != expected_version) {
		r = lserr_set(s->err, -LS_ESTALE, "version_mismatch", "version",
			      "SLA policy '%s' is at version %lld, not %lld", d.code, (long long)d.version,
			      (long long)expected_version);
		lserr_hint(s->err, "reload the policy and send If-Match: \"%lld\"", (long long)d.version);
		return r;
	}
	if ((fields & SLA_PATCH_NAME) && (r = check_name(s, in->name)) < 0)
		return r;
	if (fields & SLA_PATCH_NAME)
		d.name = arena_strdup(s->arena, in->name);
	if (fields & SLA_PATCH_DEFINITION)
		d.definition = in->definition;
	d.version = expected_version + 1;
	if ((r = validate(s, &c, &d)) < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	if ((r = check_order(s, &d)) < 0) {
		store_rollback(s->st);
		return r;
	}
	r = sladb_add_version(s->st, &d, expected_version, s->actor->user_id, s->now);
	if (r == -LS_ESTALE)
		r = lserr_set(s->err, r, "version_mismatch", "version", "SLA policy '%s' was changed meanwhile",
			      d.code);
	if (r < 0 || (r = store_commit(s->st)) < 0)
		return fail(s, r, "storing the SLA policy version");
	return sla_policies_get(s, client, code, 0, ret);
}

/* ---- a ticket's SLA ---- */

static int year_of(ls_time t)
{
	int64_t y;
	unsigned m, d;
	time_civil_from_days(t / 86400 - (t % 86400 < 0), &y, &m, &d);
	return (int)y;
}

static int clamp_year(int y)
{
	return y < CALENDAR_FIRST_YEAR ? CALENDAR_FIRST_YEAR : y > CALENDAR_LAST_YEAR ? CALENDAR_LAST_YEAR : y;
}

struct selection {
	struct svc *s;
	const struct client *client;
	struct policy **set;
	size_t n;
	int first_year, last_year;
	const char *no_policy; /* why none applies, after choose() returned NULL */
};

/* The policy for subject (its calendar compiled), or NULL with sel->no_policy set. */
static int choose(struct selection *sel, const struct policy_subject *subj, const struct policy **ret)
{
	size_t i;
	struct lserr pe;
	*ret = NULL;
	if (sel->n == 0) {
		sel->no_policy = arena_printf(sel->s->arena, "client '%s' has no SLA policy", sel->client->code);
		return 0;
	}
	if (policy_select((const struct policy *const *)sel->set, sel->n, subj, &i, &pe) < 0) {
		sel->no_policy = arena_strdup(sel->s->arena, pe.message);
		return 0;
	}
	struct policy *p = sel->set[i];
	if (!p->cal) {
		struct calendar *cal;
		int r = compile_calendar(sel->s, sel->client, p, sel->first_year, sel->last_year, &cal);
		if (r < 0)
			return r;
		p->cal = cal;
	}
	sel->no_policy = NULL;
	*ret = p;
	return 0;
}

/* The value a field had at creation: the old value of its first change, else now's. */
static const char *at_creation(const struct ticket_event *ev, size_t n, const char *field, const char *current,
			       bool *changed)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ev[i].field, field) == 0) {
			*changed = true;
			return ev[i].old_value;
		}
	*changed = false;
	return current;
}

const struct sla_def *sla_ticket_policy(const struct sla_ticket_result *r, const struct policy *p)
{
	for (size_t i = 0; p && i < r->n_policies; i++)
		if (r->policies[i] == p)
			return &r->defs[i];
	return NULL;
}

int sla_ticket(struct svc *s, const char *number, ls_time at, struct sla_ticket_result *ret)
{
	lserr_clear(s->err);
	memset(ret, 0, sizeof(*ret));
	struct ticket *t = &ret->ticket;
	int r = tickets_get(s, number, t);
	if (r < 0)
		return r;
	if (!at)
		at = s->now;
	if (at < t->created_at)
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "at",
				 "at lies before the ticket was created");
	ret->at = at;
	struct client c;
	if ((r = dirdb_client_by_id(s->st, s->arena, t->client_id, &c)) < 0)
		return store_error(s->st, s->err, "loading the client");
	struct ticket_event *ev;
	size_t n;
	if ((r = ticketdb_events(s->st, s->arena, t->client_id, t->id, &ev, &n)) < 0)
		return store_error(s->st, s->err, "loading the history");
	if (n > LS_MAX_SLA_TICKET_EVENTS)
		return lserr_set(s->err, -LS_ETOOLARGE, "too_large", "number",
				 "ticket '%s' has more than %d events", t->number, LS_MAX_SLA_TICKET_EVENTS);

	struct sla_def *defs;
	size_t nd;
	if ((r = sladb_list(s->st, s->arena, t->client_id, &defs, &nd)) < 0)
		return store_error(s->st, s->err, "loading the SLA policies");
	struct policy **set = arena_zalloc(s->arena, (nd ? nd : 1) * sizeof(*set));
	for (size_t i = 0; i < nd; i++)
		if ((r = parse_def(s, &defs[i], &set[i])) < 0)
			return r;
	ret->policies = (const struct policy *const *)set;
	ret->defs = defs;
	ret->n_policies = nd;

	/* type never changes; channel, category and priority are taken from creation */
	bool changed, prio_changed;
	const char *chan = at_creation(ev, n, "channel", ticket_channel_to_string(t->channel), &changed);
	const char *prio = at_creation(ev, n, "priority", NULL, &prio_changed);
	struct policy_subject subj = {
		.type = t->type,
		.channel = chan ? ticket_channel_from_string(chan) : _TICKET_CHANNEL_INVALID,
		.priority = t->priority,
		.category = at_creation(ev, n, "category", t->category, &changed),
	};
	if (prio_changed && (!prio || parse_int(prio, 1, 5, &subj.priority) < 0))
		subj.priority = t->priority;

	struct selection sel = {
		.s = s,
		.client = &c,
		.set = set,
		.n = nd,
		.first_year = clamp_year(year_of(t->created_at) - 1),
		.last_year = clamp_year(year_of(at) + 5),
	};
	const struct policy *cur;
	if ((r = choose(&sel, &subj, &cur)) < 0)
		return r;

	struct clock_event *cev = NULL;
	size_t nc = 0, cap = 0;
	ls_time last = t->created_at;
	ARENA_PUSH(s->arena, cev, nc, cap) = (struct clock_event){
		.at = t->created_at, .kind = CLOCK_EV_CREATED, .priority = subj.priority, .policy = cur
	};
	for (size_t i = 0; i < n; i++) {
		const struct ticket_event *e = &ev[i];
		if (e->at > at)
			break;
		ls_time when = e->at < last ? last : e->at; /* clocks of two writers may differ by a second */
		struct clock_event ce = { .at = when, .kind = _CLOCK_EV_INVALID };
		if (strcmp(e->field, "state") == 0 && e->new_value) {
			ce.kind = CLOCK_EV_STATE;
			ce.state = ticket_state_from_string(e->new_value);
			if ((int)ce.state < 0)
				continue;
		} else if (strcmp(e->field, "reply") == 0 || strcmp(e->field, "customer_reply") == 0 ||
			   strcmp(e->field, "note") == 0) {
			ce.kind = CLOCK_EV_REPLY;
			ce.author = e->field[0] == 'c' ? AUTHOR_KIND_CUSTOMER : AUTHOR_KIND_AGENT;
			ce.is_public = e->field[0] != 'n';
		} else if (strcmp(e->field, "priority") == 0 && e->new_value) {
			if (parse_int(e->new_value, 1, 5, &ce.priority) < 0)
				continue;
			ce.kind = CLOCK_EV_PRIORITY;
		} else {
			continue; /* 'created' is the first clock event already; the rest do not move clocks */
		}
		last = when;
		ARENA_PUSH(s->arena, cev, nc, cap) = ce;
		if (ce.kind == CLOCK_EV_PRIORITY && ce.priority != subj.priority) {
			subj.priority = ce.priority;
			const struct policy *p;
			if ((r = choose(&sel, &subj, &p)) < 0)
				return r;
			if (p != cur)
				ARENA_PUSH(s->arena, cev, nc, cap) =
					(struct clock_event){ .at = when, .kind = CLOCK_EV_POLICY, .policy = p };
			cur = p;
		}
	}
	if ((r = clock_eval(cev, nc, at, CLOCK_LEDGER, s->arena, &ret->clock, s->err)) < 0) {
		if (s->err && r == -ERANGE)
			s->err->code = "invalid_parameter";
		return r;
	}
	ret->policy = sla_ticket_policy(ret, ret->clock->policy);
	ret->no_policy = ret->clock->policy ? NULL : sel.no_policy;
	ret->has_deadline = clock_next_deadline(ret->clock, &ret->deadline) == 0;
	return 0;
}
