/* Webhook subscriptions and the outbox (see webhooks.h). Room: service. */
#include "service/webhooks.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "core/strbuf.h"
#include "store/dirdb.h"
#include "store/jobsdb.h"

const char *const webhook_event_names[] = {
        "sla.warning",     "sla.breach",      "sla.escalation",
        "ticket.created",  "ticket.state",    "ticket.reply",
        "ticket.assigned", "ticket.priority", NULL,
};

#define WEBHOOK_MAX_URL    2048
#define WEBHOOK_MAX_SECRET 256

bool webhook_wants(const char *events, const char *event)
{
	size_t elen = strlen(event);
	const char *dot = strchr(event, '.');
	size_t group = dot ? (size_t)(dot - event) : elen;
	for (const char *p = events; p && *p;) {
		while (*p == ' ')
			p++;
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 1 && p[0] == '*')
			return true;
		if (len == elen && memcmp(p, event, len) == 0)
			return true;
		if (len == group + 2 && memcmp(p, event, group) == 0 && p[group] == '.' && p[group + 1] == '*')
			return true;
		p += len;
	}
	return false;
}

static bool event_name_valid(const char *e)
{
	if (strcmp(e, "*") == 0 || strcmp(e, "sla.*") == 0 || strcmp(e, "ticket.*") == 0)
		return true;
	for (size_t i = 0; webhook_event_names[i]; i++)
		if (strcmp(webhook_event_names[i], e) == 0)
			return true;
	return false;
}

static int require_config(struct svc *s)
{
	if (s->actor->role != USER_ROLE_ADMIN && s->actor->role != USER_ROLE_MANAGER)
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL,
		                 "only admins and managers may see and change webhooks");
	return 0;
}

/* Checks what is given of in and writes it into w. */
static int apply_input(struct svc *s, const struct webhook_input *in, unsigned fields, struct webhook_sub *w)
{
	if (fields & WEBHOOK_PATCH_URL) {
		const char *u = in->url;
		if (!u || !*u)
			return lserr_set(s->err, -EINVAL, "missing_field", "url", "url must be given");
		size_t n = strlen(u);
		const char *rest = strncmp(u, "https://", 8) == 0  ? u + 8
		                   : strncmp(u, "http://", 7) == 0 ? u + 7
		                                                   : NULL;
		if (n > WEBHOOK_MAX_URL)
			return lserr_set(s->err, -EINVAL, "invalid_field", "url", "url is longer than %d bytes",
			                 WEBHOOK_MAX_URL);
		if (!rest || !*rest || *rest == '/' || *rest == ':')
			return lserr_set(s->err, -EINVAL, "invalid_field", "url",
			                 "url must be http:// or https:// followed by a host, e.g. "
			                 "https://hooks.example.com/leitstand");
		for (const char *p = u; *p; p++)
			if ((unsigned char)*p <= ' ' || *p == 0x7f)
				return lserr_set(s->err, -EINVAL, "invalid_field", "url",
				                 "url must not contain spaces or control characters");
		w->url = arena_strdup(s->arena, u);
	}
	if (fields & WEBHOOK_PATCH_EVENTS) {
		if (in->n_events == 0)
			return lserr_set(s->err, -EINVAL, in->events ? "invalid_field" : "missing_field", "events",
			                 "events must name at least one event, e.g. [\"sla.*\"]");
		if (in->n_events > 32)
			return lserr_set(s->err, -EINVAL, "invalid_field", "events", "at most 32 events");
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < in->n_events; i++) {
			if (!event_name_valid(in->events[i])) {
				strbuf_release(&sb);
				int r = lserr_set(s->err, -EINVAL, "invalid_field", "events",
				                  "events[%zu]: '%.40s' is not an event", i, in->events[i]);
				lserr_hint(s->err,
				           "events are sla.warning, sla.breach, sla.escalation, ticket.created, "
				           "ticket.state, ticket.reply, ticket.assigned, ticket.priority, or the "
				           "groups sla.*, ticket.*, *");
				return r;
			}
			strbuf_addf(&sb, "%s%s", i ? " " : "", in->events[i]);
		}
		w->events = arena_strdup(s->arena, sb.buf);
		strbuf_release(&sb);
	}
	if (fields & WEBHOOK_PATCH_FORMAT) {
		const char *f = in->format ? in->format : "json";
		if (strcmp(f, "json") != 0 && strcmp(f, "slack") != 0 && strcmp(f, "teams") != 0)
			return lserr_set(s->err, -EINVAL, "invalid_field", "format",
			                 "format must be json, slack or teams");
		w->format = f;
	}
	if (fields & WEBHOOK_PATCH_LANG) {
		const char *l = in->lang ? in->lang : "en";
		if (strcmp(l, "en") != 0 && strcmp(l, "de") != 0)
			return lserr_set(s->err, -EINVAL, "invalid_field", "lang", "lang must be en or de");
		w->lang = l;
	}
	if (fields & WEBHOOK_PATCH_SECRET) {
		if (in->secret) {
			size_t n = strlen(in->secret);
			if (n < 16 || n > WEBHOOK_MAX_SECRET)
				return lserr_set(s->err, -EINVAL, "invalid_field", "secret",
				                 "secret must be 16 to %d bytes", WEBHOOK_MAX_SECRET);
			w->secret = arena_strdup(s->arena, in->secret);
		} else {
			unsigned char raw[24];
			randombytes_buf(raw, sizeof(raw));
			char *hex = arena_alloc(s->arena, sizeof(raw) * 2 + 1);
			sodium_bin2hex(hex, sizeof(raw) * 2 + 1, raw, sizeof(raw));
			w->secret = hex;
		}
	}
	if (fields & WEBHOOK_PATCH_ACTIVE)
		w->active = in->active != 0;
	return 0;
}

static int fail(struct svc *s, int r, const char *what)
{
	if (r != -LS_ESTALE && r != -ENOENT)
		r = store_error(s->st, s->err, what);
	store_rollback(s->st);
	return r;
}

int webhooks_create(struct svc *s, const struct webhook_input *in, struct webhook_sub *ret)
{
	lserr_clear(s->err);
	int r = require_config(s);
	if (r < 0)
		return r;
	if (!in->client || !*in->client)
		return lserr_set(s->err, -EINVAL, "missing_field", "client", "client must be given");
	struct client c;
	r = dirdb_client_by_code(s->st, s->arena, in->client, &c);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, c.id)))
		return lserr_set(s->err, -EINVAL, "invalid_field", "client", "client '%.40s' does not exist",
		                 in->client);
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");
	struct webhook_sub w = {
	        .client_id = c.id, .client_code = c.code, .active = in->active != 0, .created_at = s->now};
	if ((r = apply_input(s, in, ~0u & ~WEBHOOK_PATCH_ACTIVE, &w)) < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	if ((r = jobsdb_webhook_insert(s->st, &w)) < 0 || (r = store_commit(s->st)) < 0)
		return fail(s, r, "storing the webhook");
	*ret = w;
	return 0;
}

static int load(struct svc *s, int64_t id, struct webhook_sub *ret)
{
	int r = jobsdb_webhook_get(s->st, s->arena, id, ret);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, ret->client_id)))
		return lserr_set(s->err, -ENOENT, "not_found", "id", "webhook %lld does not exist", (long long)id);
	return r < 0 ? store_error(s->st, s->err, "loading the webhook") : 0;
}

int webhooks_get(struct svc *s, int64_t id, struct webhook_sub *ret)
{
	lserr_clear(s->err);
	int r = require_config(s);
	return r < 0 ? r : load(s, id, ret);
}

int webhooks_list(struct svc *s, const char *client, struct webhook_sub **ret, size_t *ret_n)
{
	lserr_clear(s->err);
	int r = require_config(s);
	if (r < 0)
		return r;
	struct client *cs;
	size_t nc;
	if (client) {
		cs = arena_alloc(s->arena, sizeof(*cs));
		nc = 1;
		r = dirdb_client_by_code(s->st, s->arena, client, cs);
		if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, cs->id)))
			return lserr_set(s->err, -EINVAL, "invalid_parameter", "client",
			                 "client '%.40s' does not exist", client);
	} else {
		r = dirdb_client_list(s->st, s->arena, &cs, &nc);
	}
	if (r < 0)
		return store_error(s->st, s->err, "looking up clients");
	struct webhook_sub *all = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < nc; i++) {
		if (!actor_sees_client(s->actor, cs[i].id))
			continue;
		struct webhook_sub *v;
		size_t k;
		if ((r = jobsdb_webhooks(s->st, s->arena, cs[i].id, false, &v, &k)) < 0)
			return store_error(s->st, s->err, "listing webhooks");
		for (size_t j = 0; j < k; j++)
			ARENA_PUSH(s->arena, all, n, cap) = v[j];
	}
	*ret = all;
	*ret_n = n;
	return 0;
}

int webhooks_update(struct svc *s, int64_t id, int64_t expected_version, unsigned fields,
                    const struct webhook_input *in, struct webhook_sub *ret)
{
	lserr_clear(s->err);
	int r = require_config(s);
	if (r < 0)
		return r;
	struct webhook_sub w;
	if ((r = load(s, id, &w)) < 0)
		return r;
	if (w.version != expected_version) {
		r = lserr_set(s->err, -LS_ESTALE, "version_mismatch", "version",
		              "webhook %lld is at version %lld, not %lld", (long long)id, (long long)w.version,
		              (long long)expected_version);
		lserr_hint(s->err, "reload the webhook and send If-Match: \"%lld\"", (long long)w.version);
		return r;
	}
	if ((r = apply_input(s, in, fields, &w)) < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	r = jobsdb_webhook_update(s->st, &w, expected_version, s->now);
	if (r == -LS_ESTALE)
		r = lserr_set(s->err, r, "version_mismatch", "version", "webhook %lld was changed meanwhile",
		              (long long)id);
	if (r < 0 || (r = store_commit(s->st)) < 0)
		return fail(s, r, "storing the webhook");
	const char *secret = w.secret;
	if ((r = load(s, id, ret)) < 0)
		return r;
	ret->secret = secret;
	return 0;
}

int webhooks_delete(struct svc *s, int64_t id)
{
	lserr_clear(s->err);
	int r = require_config(s);
	if (r < 0)
		return r;
	struct webhook_sub w;
	if ((r = load(s, id, &w)) < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	if ((r = jobsdb_webhook_delete(s->st, id, s->now)) < 0 || (r = store_commit(s->st)) < 0)
		return fail(s, r, "deleting the webhook");
	return 0;
}

int webhooks_deliveries(struct svc *s, int64_t id, int64_t before, size_t limit, struct webhook_delivery **ret,
                        size_t *ret_n)
{
	lserr_clear(s->err);
	int r = require_config(s);
	struct webhook_sub w;
	if (r < 0 || (r = load(s, id, &w)) < 0)
		return r;
	r = jobsdb_deliveries(s->st, s->arena, id, before, limit, ret, ret_n);
	return r < 0 ? store_error(s->st, s->err, "loading the delivery log") : 0;
}

/* ---- publishing ---- */

/* The event into the outbox and a delivery for each of subs that wants it. */
static int publish_to(struct svc *s, struct outbox_event *ev, const struct webhook_sub *subs, size_t n,
                      bool *ret_inserted)
{
	int r = jobsdb_outbox_insert(s->st, ev, ret_inserted);
	if (r < 0 || !*ret_inserted)
		return r;
	for (size_t i = 0; i < n; i++)
		if (webhook_wants(subs[i].events, ev->event) &&
		    (r = jobsdb_delivery_insert(s->st, ev->client_id, ev->id, subs[i].id, s->now)) < 0)
			return r;
	return 0;
}

int outbox_publish(struct svc *s, struct outbox_event *ev, bool *ret_inserted)
{
	struct webhook_sub *subs;
	size_t n;
	int r = jobsdb_webhooks(s->st, s->arena, ev->client_id, true, &subs, &n);
	return r < 0 ? r : publish_to(s, ev, subs, n, ret_inserted);
}

int webhooks_active(struct svc *s, int64_t client_id, struct webhook_sub **ret, size_t *ret_n)
{
	return jobsdb_webhooks(s->st, s->arena, client_id, true, ret, ret_n);
}

int outbox_ticket_event(struct svc *s, const struct ticket *t, const struct webhook_sub *subs, size_t n,
                        const char *event, const char *from)
{
	bool wanted = false;
	for (size_t i = 0; i < n && !wanted; i++)
		wanted = webhook_wants(subs[i].events, event);
	if (!wanted)
		return 0;
	char at[32], prio[4];
	time_format_rfc3339(s->now, at, sizeof(at));
	snprintf(prio, sizeof(prio), "P%d", t->priority);
	json_t *tk = json_pack("{s:s, s:s, s:s, s:s, s:s}", "number", t->number, "title", t->title ? t->title : "",
	                       "priority", prio, "state", ticket_state_to_string(t->state), "type",
	                       ticket_type_to_string(t->type));
	if (t->team_code)
		json_object_set_new(tk, "team", json_string(t->team_code));
	if (t->assignee_email)
		json_object_set_new(tk, "assignee", json_string(t->assignee_email));
	json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "event", event, "at", at, "client", subs[0].client_code, "ticket",
	                      tk);
	if (from)
		json_object_set_new(o, "from", json_string(from));
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text)
		return -ENOMEM;
	struct outbox_event ev = {
	        .client_id = t->client_id,
	        .ticket_id = t->id,
	        .event = event,
	        .payload = arena_strdup(s->arena, text),
	        .created_at = s->now,
	};
	xfree(text);
	bool inserted;
	return publish_to(s, &ev, subs, n, &inserted); /* the caller's subscriptions: no second query */
}
