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

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
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
			              "policy '%s' of client '%s' has order %lld already", v[i].code, v[i].client_code,
			              (long long)d->sort_order);
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

int sla_policies_update(struct svc *s, const char *client, const char *code, int64_t expected_version, unsigned fields,
                        const struct sla_input *in, struct sla_def *ret)
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
	if (d.retired_at)
		return lserr_set(s->err, -LS_ECONFLICT, "conflict", "code", "SLA policy '%s' is retired", d.code);
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

int sla_policies_retire(struct svc *s, const char *client, const char *code, struct sla_def *ret)
{
	lserr_clear(s->err);
	int r = require_writer(s);
	if (r < 0)
		return r;
	struct sla_def d;
	if ((r = sla_policies_get(s, client, code, 0, &d)) < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	r = sladb_retire(s->st, d.client_id, d.id, s->now);
	if (r == -LS_ECONFLICT)
		r = lserr_set(s->err, r, "conflict", "code", "SLA policy '%s' is retired already", d.code);
	if (r < 0 || (r = store_commit(s->st)) < 0)
		return fail(s, r, "retiring the SLA policy");
	return sla_policies_get(s, client, code, 0, ret);
}

/* ---- compiled policies, shared by every thread ----
 *
 * A policy version never changes, and neither does a stored calendar version, so a
 * parsed policy with its calendar compiled for the engine's whole range (about 1.5 ms
 * and 400 KiB for an office calendar) is kept for the life of the process, keyed by
 * (policy, version, stored calendar, calendar version), and shared read-only by every
 * thread. Beyond SLA_CACHE_MAX entries a policy is compiled per call instead. */

#define SLA_CACHE_MAX 1024

struct compiled {
	int64_t policy_id, version, cal_id, cal_version;
	struct arena arena; /* the policy, its strings */
	struct policy *p;   /* p->cal set */
	struct compiled *next;
};

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct compiled *cache_head;
static size_t cache_n;

static struct compiled *cache_find(int64_t policy_id, int64_t version, int64_t cal_id, int64_t cal_version,
                                   bool any_calendar)
{
	pthread_mutex_lock(&cache_mu);
	struct compiled *c = cache_head;
	for (; c; c = c->next)
		if (c->policy_id == policy_id && c->version == version &&
		    ((any_calendar && c->cal_id == 0) || (c->cal_id == cal_id && c->cal_version == cal_version)))
			break;
	pthread_mutex_unlock(&cache_mu);
	return c;
}

/* The policy of stored version d, parsed, with its calendar compiled for every year
 * the engine knows; from the cache when it holds it. A policy naming a stored
 * calendar runs on calendar version cal_version, else on the version the policy
 * names, else on the current one; p->calendar.version says which it got. */
static int compiled_policy(struct svc *s, const struct client *c, const struct sla_def *d, int64_t cal_version,
                           const struct policy **ret)
{
	struct compiled *hit = cache_find(d->id, d->version, 0, 0, true);
	if (hit) {
		*ret = hit->p;
		return 0;
	}
	struct policy *p;
	int r = parse_def(s, d, &p);
	if (r < 0)
		return r;
	struct calendar_def cd = {0};
	if (p->calendar.ref) {
		r = calendars_get(s, c->code, p->calendar.ref, cal_version ? cal_version : p->calendar.version, &cd);
		if (r == -ENOENT)
			return lserr_set(s->err, -EINVAL, "invalid_field", "definition.calendar",
			                 "client '%s' has no calendar '%.40s'%s", c->code, p->calendar.ref,
			                 p->calendar.version ? " in that version" : "");
		if (r < 0)
			return r;
		if ((hit = cache_find(d->id, d->version, cd.id, cd.version, false))) {
			*ret = hit->p;
			return 0;
		}
	}
	struct calendar *cal;
	if (cd.id)
		r = calendars_compile(s, &cd, 0, 0, &cal);
	else
		r = in_definition(s, policy_compile_calendar(p, CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, &cal, s->err));
	if (r < 0)
		return r;
	pthread_mutex_lock(&cache_mu);
	bool room = cache_n < SLA_CACHE_MAX;
	if (room)
		cache_n++;
	pthread_mutex_unlock(&cache_mu);
	if (!room) {
		arena_on_reset(s->arena, free_calendar, cal);
		p->cal = cal;
		if (cd.id)
			p->calendar.version = cd.version;
		*ret = p;
		return 0;
	}
	/* parse again into an arena of the entry's own, which outlives the request */
	struct compiled *e = xcalloc(1, sizeof(*e));
	arena_init(&e->arena);
	struct lserr pe;
	if (policy_parse(d->definition, strlen(d->definition), &e->arena, &e->p, &pe) < 0)
		abort(); /* it parsed a moment ago */
	e->p->name = arena_strdup(&e->arena, d->name);
	e->p->version = d->version ? d->version : 1;
	e->p->cal = cal;
	if (cd.id)
		e->p->calendar.version = cd.version;
	arena_on_reset(&e->arena, free_calendar, cal);
	e->policy_id = d->id;
	e->version = d->version;
	e->cal_id = cd.id;
	e->cal_version = cd.version;
	pthread_mutex_lock(&cache_mu);
	e->next = cache_head;
	cache_head = e;
	pthread_mutex_unlock(&cache_mu);
	*ret = e->p;
	return 0;
}

void sla_cache_clear(void)
{
	pthread_mutex_lock(&cache_mu);
	struct compiled *c = cache_head;
	cache_head = NULL;
	cache_n = 0;
	pthread_mutex_unlock(&cache_mu);
	while (c) {
		struct compiled *next = c->next;
		arena_release(&c->arena);
		xfree(c);
		c = next;
	}
}

/* ---- a ticket's SLA ---- */

struct selection {
	struct svc *s;
	const struct client *client;
	const struct policy *const *set;
	size_t n;
	const char *no_policy; /* why none applies, after choose() returned NULL */
};

/* The policy for subject, or NULL with sel->no_policy set. */
static void choose(struct selection *sel, const struct policy_subject *subj, const struct policy **ret)
{
	size_t i;
	struct lserr pe;
	*ret = NULL;
	if (sel->n == 0) {
		sel->no_policy = arena_printf(sel->s->arena, "client '%s' has no SLA policy", sel->client->code);
		return;
	}
	if (policy_select(sel->set, sel->n, subj, &i, &pe) < 0) {
		sel->no_policy = arena_strdup(sel->s->arena, pe.message);
		return;
	}
	sel->no_policy = NULL;
	*ret = sel->set[i];
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

/* Maps one history event to a clock event; false when it does not move clocks. */
static bool clock_event_of(const struct ticket_event *e, ls_time when, struct clock_event *ce)
{
	*ce = (struct clock_event){.at = when, .kind = _CLOCK_EV_INVALID};
	if (strcmp(e->field, "state") == 0 && e->new_value) {
		ce->kind = CLOCK_EV_STATE;
		ce->state = ticket_state_from_string(e->new_value);
		return (int)ce->state >= 0;
	}
	if (strcmp(e->field, "reply") == 0 || strcmp(e->field, "customer_reply") == 0 ||
	    strcmp(e->field, "note") == 0) {
		ce->kind = CLOCK_EV_REPLY;
		ce->author = e->field[0] == 'c' ? AUTHOR_KIND_CUSTOMER : AUTHOR_KIND_AGENT;
		ce->is_public = e->field[0] != 'n';
		return true;
	}
	if (strcmp(e->field, "priority") == 0 && e->new_value) {
		ce->kind = CLOCK_EV_PRIORITY;
		return parse_int(e->new_value, 1, 5, &ce->priority) == 0;
	}
	if (strcmp(e->field, "sla_ack") == 0 && e->new_value) {
		/* "<target> <level> P<priority> <target start>" (the last two name the target) */
		char metric[32];
		int level, prio = 0;
		long long started = 0;
		int n = sscanf(e->new_value, "%31s %d P%d %lld", metric, &level, &prio, &started);
		if (n < 2 || level < 1 || level > 64)
			return false;
		ce->kind = CLOCK_EV_ACK;
		ce->metric = policy_metric_from_string(metric);
		ce->level = (unsigned)level;
		if (n == 4) {
			ce->target_priority = prio;
			ce->target_started = (ls_time)started;
		}
		return (int)ce->metric >= 0;
	}
	return false; /* 'created' is the first clock event already; the rest do not move clocks */
}

/* What policy selection looks at: type, channel and category as at creation, the
 * priority given. */
static struct policy_subject subject_of(const struct ticket *t, const struct ticket_event *ev, size_t n, int priority)
{
	bool changed;
	const char *chan = at_creation(ev, n, "channel", ticket_channel_to_string(t->channel), &changed);
	return (struct policy_subject){
	        .type = t->type,
	        .channel = chan ? ticket_channel_from_string(chan) : _TICKET_CHANNEL_INVALID,
	        .priority = priority,
	        .category = at_creation(ev, n, "category", t->category, &changed),
	};
}

/* The client's current policies, compiled, into ret (arena vectors). */
static int current_set(struct svc *s, const struct client *c, struct sla_ticket_result *ret)
{
	struct sla_def *defs;
	size_t nd;
	int r = sladb_list(s->st, s->arena, c->id, &defs, &nd);
	if (r < 0)
		return store_error(s->st, s->err, "loading the SLA policies");
	const struct policy **set = arena_zalloc(s->arena, (nd ? nd : 1) * sizeof(*set));
	for (size_t i = 0; i < nd; i++)
		if ((r = compiled_policy(s, c, &defs[i], 0, &set[i])) < 0)
			return r;
	ret->policies = set;
	ret->defs = defs;
	ret->n_policies = nd;
	return 0;
}

/* "CODE vN" of a stored version, as sla_policy history events name it, followed by
 * "CALENDAR vM" when it runs on a stored calendar: a ticket keeps both. */
static const char *pin_label(struct svc *s, const struct sla_def *d, const struct policy *p)
{
	if (!d)
		return NULL;
	if (p && p->calendar.ref)
		return arena_printf(s->arena, "%s v%lld %s v%lld", d->code, (long long)d->version, p->calendar.ref,
		                    (long long)p->calendar.version);
	return arena_printf(s->arena, "%s v%lld", d->code, (long long)d->version);
}

/* The policy a sla_policy event names (NULL value: none), added to r's set when it
 * is not in it yet. */
static int pinned_policy(struct svc *s, const struct client *c, const char *label, struct sla_ticket_result *r,
                         const struct policy **ret)
{
	*ret = NULL;
	if (!label)
		return 0;
	char code[64], cal[64];
	long long version = 0, cal_version = 0;
	int n = sscanf(label, "%63s v%lld %63s v%lld", code, &version, cal, &cal_version);
	if ((n != 2 && n != 4) || version < 1 || (n == 4 && cal_version < 1))
		return lserr_set(s->err, -EINVAL, "internal", "history", "unreadable SLA policy event '%.60s'", label);
	for (size_t i = 0; i < r->n_policies; i++)
		if (strcmp(r->defs[i].code, code) == 0 && r->defs[i].version == version &&
		    (n == 2 || r->policies[i]->calendar.version == cal_version)) {
			*ret = r->policies[i];
			return 0;
		}
	struct sla_def d;
	int rc = sladb_get(s->st, s->arena, c->id, code, version, &d);
	if (rc == -ENOENT)
		return lserr_set(s->err, -EINVAL, "internal", "history", "SLA policy '%s' has no version %lld", code,
		                 (long long)version);
	if (rc < 0)
		return store_error(s->st, s->err, "loading an SLA policy version");
	const struct policy *p;
	if ((rc = compiled_policy(s, c, &d, n == 4 ? cal_version : 0, &p)) < 0)
		return rc;
	const struct policy **set = arena_alloc(s->arena, (r->n_policies + 1) * sizeof(*set));
	struct sla_def *defs = arena_alloc(s->arena, (r->n_policies + 1) * sizeof(*defs));
	if (r->n_policies) {
		memcpy(set, r->policies, r->n_policies * sizeof(*set));
		memcpy(defs, r->defs, r->n_policies * sizeof(*defs));
	}
	set[r->n_policies] = p;
	defs[r->n_policies] = d;
	r->policies = set;
	r->defs = defs;
	r->n_policies++;
	*ret = p;
	return 0;
}

static int evaluate(struct svc *s, const struct ticket *t, ls_time at, struct sla_ticket_result *ret)
{
	ret->ticket = *t;
	if (!at)
		at = s->now;
	if (at < t->created_at)
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "at", "at lies before the ticket was created");
	ret->at = at;
	struct client c;
	int r;
	if ((r = dirdb_client_by_id(s->st, s->arena, t->client_id, &c)) < 0)
		return store_error(s->st, s->err, "loading the client");
	struct ticket_event *ev;
	size_t n;
	if ((r = ticketdb_events(s->st, s->arena, t->client_id, t->id, &ev, &n)) < 0)
		return store_error(s->st, s->err, "loading the history");
	if (n > LS_MAX_SLA_TICKET_EVENTS)
		return lserr_set(s->err, -LS_ETOOLARGE, "too_large", "number", "ticket '%s' has more than %d events",
		                 t->number, LS_MAX_SLA_TICKET_EVENTS);

	if ((r = current_set(s, &c, ret)) < 0)
		return r;
	const struct ticket_event *first_pin = NULL;
	for (size_t i = 0; i < n && !first_pin; i++)
		if (strcmp(ev[i].field, "sla_policy") == 0)
			first_pin = &ev[i];

	/* priority as at creation */
	bool prio_changed;
	const char *prio = at_creation(ev, n, "priority", NULL, &prio_changed);
	int priority = t->priority;
	if (prio_changed && (!prio || parse_int(prio, 1, 5, &priority) < 0))
		priority = t->priority;
	struct policy_subject subj = subject_of(t, ev, n, priority);

	/* Pinned: the policy versions come from the ticket's sla_policy events (recorded at
	 * creation, at a priority change that selects another policy, and by a repair).
	 * Otherwise (tickets from before pinning, imports) the client's current versions
	 * are chosen from at creation and at every priority change. */
	struct selection sel = {.s = s, .client = &c, .set = ret->policies, .n = ret->n_policies};
	const struct policy *cur;
	if (first_pin && first_pin->at <= t->created_at) {
		if ((r = pinned_policy(s, &c, first_pin->new_value, ret, &cur)) < 0)
			return r;
		if (!cur)
			sel.no_policy = "no SLA policy applied when the ticket was created";
	} else {
		choose(&sel, &subj, &cur);
	}

	struct clock_event *cev = NULL;
	size_t nc = 0, cap = 0;
	ls_time last = t->created_at;
	ARENA_PUSH(s->arena, cev, nc, cap) = (struct clock_event){
	        .at = t->created_at, .kind = CLOCK_EV_CREATED, .priority = subj.priority, .policy = cur};
	for (size_t i = 0; i < n; i++) {
		const struct ticket_event *e = &ev[i];
		if (e->at > at)
			break;
		ls_time when = e->at < last ? last : e->at; /* clocks of two writers may differ by a second */
		if (strcmp(e->field, "sla_policy") == 0) {
			if (e == first_pin && first_pin->at <= t->created_at)
				continue;
			const struct policy *p;
			if ((r = pinned_policy(s, &c, e->new_value, ret, &p)) < 0)
				return r;
			sel.no_policy = p ? NULL
			                  : arena_printf(s->arena, "no SLA policy applies since %s",
			                                 e->old_value ? "a change" : "then");
			if (p != cur)
				ARENA_PUSH(s->arena, cev, nc, cap) =
				        (struct clock_event){.at = when, .kind = CLOCK_EV_POLICY, .policy = p};
			cur = p;
			last = when;
			continue;
		}
		struct clock_event ce;
		if (!clock_event_of(e, when, &ce))
			continue;
		last = when;
		ARENA_PUSH(s->arena, cev, nc, cap) = ce;
		if (ce.kind == CLOCK_EV_PRIORITY && ce.priority != subj.priority) {
			subj.priority = ce.priority;
			if (first_pin)
				continue; /* a pinned ticket's policy changes by its own events */
			const struct policy *p;
			choose(&sel, &subj, &p);
			if (p != cur)
				ARENA_PUSH(s->arena, cev, nc, cap) =
				        (struct clock_event){.at = when, .kind = CLOCK_EV_POLICY, .policy = p};
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

int sla_ticket(struct svc *s, const char *number, ls_time at, struct sla_ticket_result *ret)
{
	lserr_clear(s->err);
	memset(ret, 0, sizeof(*ret));
	struct ticket t;
	int r = tickets_get(s, number, &t);
	if (r < 0)
		return r;
	return evaluate(s, &t, at, ret);
}

int sla_ticket_by_id(struct svc *s, int64_t ticket_id, ls_time at, struct sla_ticket_result *ret)
{
	lserr_clear(s->err);
	memset(ret, 0, sizeof(*ret));
	struct ticket t;
	int r = ticketdb_get_by_id(s->st, s->arena, ticket_id, &t);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, t.client_id)))
		return lserr_set(s->err, -ENOENT, "not_found", "ticket", "ticket %lld does not exist",
		                 (long long)ticket_id);
	if (r < 0)
		return store_error(s->st, s->err, "loading the ticket");
	return evaluate(s, &t, at, ret);
}

/* ---- recording the policy a ticket runs on ---- */

int sla_record_policy(struct svc *s, const struct ticket *t, bool *ret_changed)
{
	*ret_changed = false;
	struct client c;
	int r = dirdb_client_by_id(s->st, s->arena, t->client_id, &c);
	if (r < 0)
		return store_error(s->st, s->err, "loading the client");
	struct ticket_event *ev;
	size_t n;
	if ((r = ticketdb_events(s->st, s->arena, t->client_id, t->id, &ev, &n)) < 0)
		return store_error(s->st, s->err, "loading the history");
	const char *last = NULL;
	bool pinned = false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(ev[i].field, "sla_policy") == 0) {
			pinned = true;
			last = ev[i].new_value;
		}
	struct sla_ticket_result set = {0};
	if ((r = current_set(s, &c, &set)) < 0)
		return r;
	struct selection sel = {.s = s, .client = &c, .set = set.policies, .n = set.n_policies};
	struct policy_subject subj = subject_of(t, ev, n, t->priority);
	const struct policy *p;
	choose(&sel, &subj, &p);
	const char *label = pin_label(s, sla_ticket_policy(&set, p), p);
	if (!pinned && !label)
		return 0; /* nothing applies and nothing did: the ticket stays without SLA */
	if (pinned && ((!last && !label) || (last && label && strcmp(last, label) == 0)))
		return 0;
	struct ticket_event e = {.client_id = t->client_id,
	                         .ticket_id = t->id,
	                         .at = s->now,
	                         .actor_kind = AUTHOR_KIND_SYSTEM,
	                         .actor_id = s->actor->user_id,
	                         .field = "sla_policy",
	                         .old_value = last,
	                         .new_value = label};
	if ((r = ticketdb_event_append(s->st, &e)) < 0)
		return store_error(s->st, s->err, "recording the SLA policy");
	*ret_changed = true;
	return 0;
}

int sla_repair(struct svc *s, const char *number, bool *ret_changed)
{
	lserr_clear(s->err);
	int r = require_writer(s);
	if (r < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	struct ticket t;
	if ((r = tickets_get(s, number, &t)) < 0) {
		store_rollback(s->st);
		return r;
	}
	if (t.state == TICKET_STATE_CLOSED) {
		store_rollback(s->st);
		return lserr_set(s->err, -LS_ECONFLICT, "invalid_transition", "state",
		                 "ticket '%s' is closed: its SLA is final", t.number);
	}
	if ((r = sla_record_policy(s, &t, ret_changed)) < 0) {
		store_rollback(s->st);
		return r;
	}
	if ((r = store_commit(s->st)) < 0) {
		r = store_error(s->st, s->err, "committing the repair");
		store_rollback(s->st);
		return r;
	}
	if (*ret_changed)
		tickets_changed(t.id);
	return 0;
}
