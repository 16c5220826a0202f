/* SLA policies and a ticket's SLA over HTTP. Room: server.
 * A policy's definition travels as a JSON object and is stored as its compact text;
 * its "name" and "version" are the server's (top-level name, the stored version), so
 * the definition may not carry them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "core/parse.h"
#include "jobs/timers.h"
#include "server/api.h"
#include "server/json.h"
#include "service/sla.h"
#include "service/sla_timer.h"
#include "sla/duration.h"

json_t *api_ticket_escalations(struct request *rq, int64_t ticket_id);
static int reply_ticket_sla(struct request *rq, ls_time at, int repaired);

static json_t *json_policy(const struct sla_def *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "client", json_string(d->client_code));
	json_object_set_new(o, "code", json_string(d->code));
	json_object_set_new(o, "name", json_string(d->name));
	json_object_set_new(o, "order", json_integer(d->sort_order));
	json_object_set_new(o, "version", json_integer(d->version));
	json_object_set_new(o, "current_version", json_integer(d->current_version));
	json_t *def = json_loads(d->definition, 0, NULL);
	json_object_set_new(o, "definition", def ? def : json_null());
	json_object_set_new(o, "created_at", json_time(d->created_at));
	json_object_set_new(o, "version_created_at", json_time(d->version_created_at));
	json_object_set_new(o, "version_created_by", json_str_or_null(d->version_created_by));
	json_object_set_new(o, "retired_at", json_time(d->retired_at));
	return o;
}

static int reply_policy(struct request *rq, unsigned status, const struct sla_def *d)
{
	snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)d->current_version);
	return reply_json(rq, status, json_policy(d));
}

/* The definition's text, or NULL (absent); -EINVAL after replying. */
static int read_definition(struct request *rq, json_t *body, const char **ret)
{
	json_t *def = json_object_get(body, "definition");
	*ret = NULL;
	if (!def)
		return 0;
	static const char *const refused[] = {"name", "version"};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (json_object_get(def, refused[i])) {
			char field[32];
			snprintf(field, sizeof(field), "definition.%s", refused[i]);
			reply_error_full(rq, "invalid_field", field, "the server names and numbers policy versions",
			                 "give the name at the top level of the body; versions count by themselves");
			return -EINVAL;
		}
	char *text = json_dumps(def, JSON_COMPACT);
	if (!text) {
		reply_errorf(rq, "invalid_field", "definition", "definition cannot be serialised");
		return -EINVAL;
	}
	size_t n = strlen(text);
	*ret = n <= LS_MAX_SLA_POLICY_BYTES ? arena_strdup(&rq->arena, text) : NULL;
	xfree(text);
	if (!*ret) {
		reply_errorf(rq, "invalid_field", "definition", "definition is longer than %d bytes",
		             LS_MAX_SLA_POLICY_BYTES);
		return -EINVAL;
	}
	return 0;
}

int api_sla_policies_create(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"client", JF_STRING, true, 0, LS_MAX_CODE_BYTES},
	        {"code", JF_STRING, true, 0, LS_MAX_CODE_BYTES},
	        {"name", JF_STRING, false, 0, LS_MAX_NAME_BYTES},
	        {"definition", JF_OBJECT, true},
	        {NULL},
	};
	json_t *body;
	struct sla_input in = {0};
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0 ||
	    read_definition(rq, body, &in.definition) < 0)
		return -EINVAL;
	in.client = jstr(body, "client");
	in.code = jstr(body, "code");
	in.name = jstr(body, "name");
	struct sla_def d;
	int r = sla_policies_create(&rq->svc, &in, &d);
	if (r < 0)
		return reply_error(rq, r);
	return reply_policy(rq, 201, &d);
}

int api_sla_policies_list(struct request *rq)
{
	const char *client = request_query(rq, "client");
	if (!client)
		return reply_errorf(rq, "invalid_parameter", "client", "client is required, e.g. ?client=ACME");
	struct sla_def *v;
	size_t n;
	int r = sla_policies_list(&rq->svc, client, &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_policy(&v[i]));
	return reply_json(rq, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

static int query_version(struct request *rq, int64_t *ret)
{
	const char *v = request_query(rq, "version");
	*ret = 0;
	if (v && parse_i64(v, 1, INT64_MAX, ret) < 0) {
		reply_errorf(rq, "invalid_parameter", "version", "version must be a positive integer");
		return -EINVAL;
	}
	return 0;
}

int api_sla_policies_get(struct request *rq)
{
	int64_t version;
	if (query_version(rq, &version) < 0)
		return -EINVAL;
	struct sla_def d;
	int r = sla_policies_get(&rq->svc, rq->params[0], rq->params[1], version, &d);
	if (r < 0)
		return reply_error(rq, r);
	return reply_policy(rq, 200, &d);
}

int api_sla_policies_update(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"name", JF_STRING, false, 0, LS_MAX_NAME_BYTES},
	        {"definition", JF_OBJECT, false},
	        {"version", JF_INT, false, 1, INT64_MAX},
	        {"client", JF_STRING, false, 0, 0, NULL, "a policy stays with its client", true},
	        {"code", JF_STRING, false, 0, 0, NULL, "create a policy with the new code instead", true},
	        {NULL},
	};
	json_t *body;
	struct sla_input in = {0};
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0 ||
	    read_definition(rq, body, &in.definition) < 0)
		return -EINVAL;
	int64_t ver = jint(body, "version", 0);
	const char *im = request_header(rq, MHD_HTTP_HEADER_IF_MATCH);
	if (im && (ver = if_match_version(im)) < 0)
		return reply_errorf(rq, "invalid_parameter", "If-Match", "If-Match must name a version like \"3\"");
	if (ver == 0)
		return reply_error_full(rq, "precondition_required", "If-Match",
		                        "an SLA policy change must name the version it changes",
		                        "send If-Match: \"<version>\" with the version from GET");
	unsigned mask = (jhas(body, "name") ? SLA_PATCH_NAME : 0) | (in.definition ? SLA_PATCH_DEFINITION : 0);
	in.name = jstr(body, "name");
	struct sla_def d;
	int r = sla_policies_update(&rq->svc, rq->params[0], rq->params[1], ver, mask, &in, &d);
	if (r < 0)
		return reply_error(rq, r);
	return reply_policy(rq, 200, &d);
}

int api_sla_policies_retire(struct request *rq)
{
	struct sla_def d;
	int r = sla_policies_retire(&rq->svc, rq->params[0], rq->params[1], &d);
	if (r < 0)
		return reply_error(rq, r);
	return reply_policy(rq, 200, &d);
}

static json_t *json_policy_ref(const struct sla_def *d)
{
	if (!d)
		return json_null();
	return json_pack("{s:s,s:s,s:I}", "code", d->code, "name", d->name, "version", (json_int_t)d->version);
}

static json_t *json_priority(int p)
{
	const char *s = policy_priority_to_string(p);
	return s ? json_string(s) : json_null();
}

static json_t *json_target(const struct sla_ticket_result *res, const struct clock_target *t)
{
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(policy_metric_to_string(t->metric)));
	json_object_set_new(o, "priority", json_priority(t->priority));
	json_object_set_new(o, "state", json_string(clock_state_to_string(t->state)));
	json_object_set_new(o, "policy", json_policy_ref(sla_ticket_policy(res, t->policy)));
	json_object_set_new(o, "time", json_string(policy_time_to_string(t->time)));
	json_object_set_new(o, "target_seconds", json_integer(t->target_seconds));
	json_object_set_new(o, "started_at", json_time(t->started_at));
	json_object_set_new(o, "stopped_at", json_time(t->stopped_at));
	json_object_set_new(o, "due", json_time(t->due));
	json_object_set_new(o, "breached_at", json_time(t->breached_at));
	json_object_set_new(o, "business_seconds", json_integer(t->consumed));
	int64_t left = t->target_seconds - t->consumed;
	json_object_set_new(o, "remaining_seconds", json_integer(left > 0 ? left : 0));
	json_t *w = json_array();
	for (size_t i = 0; i < t->n_warnings; i++)
		json_array_append_new(w, json_pack("{s:I,s:o,s:b}", "percent", (json_int_t)t->policy->warnings[i], "at",
		                                   json_time(t->warnings[i].at), "reached", t->warnings[i].reached));
	json_object_set_new(o, "warnings", w);
	return o;
}

int api_tickets_sla(struct request *rq)
{
	ls_time at = 0;
	const char *as = request_query(rq, "at");
	if (as && time_parse_rfc3339(as, &at) < 0)
		return reply_errorf(rq, "invalid_parameter", "at",
		                    "at must be an RFC 3339 time such as 2025-03-28T16:00:00+01:00");
	return reply_ticket_sla(rq, at, -1);
}

/* The SLA of the ticket in the path as of at; repaired >= 0 adds "repaired". */
static int reply_ticket_sla(struct request *rq, ls_time at, int repaired)
{
	struct sla_ticket_result res;
	int r = sla_ticket(&rq->svc, rq->params[0], at, &res);
	if (r < 0)
		return reply_error(rq, r);
	const struct clock_result *c = res.clock;
	json_t *o = json_object();
	json_object_set_new(o, "ticket", json_string(res.ticket.number));
	json_object_set_new(o, "at", json_time(res.at));
	json_object_set_new(o, "state", json_string(ticket_state_to_string(c->state)));
	json_object_set_new(o, "priority", json_priority(c->priority));
	json_object_set_new(o, "policy", json_policy_ref(res.policy));
	json_object_set_new(o, "no_policy", json_str_or_null(res.no_policy));
	json_t *targets = json_array();
	for (size_t i = 0; i < c->n_targets; i++)
		json_array_append_new(targets, json_target(&res, &c->targets[i]));
	json_object_set_new(o, "targets", targets);
	json_t *ledger = json_array();
	for (size_t i = 0; i < c->n_ledger; i++) {
		const struct clock_segment *g = &c->ledger[i];
		/* the calendar the segment was counted on: a stored one by name and version */
		const struct policy_calendar *pc = g->policy ? &g->policy->calendar : NULL;
		json_array_append_new(
		        ledger,
		        json_pack("{s:o,s:o,s:s,s:I,s:o,s:o,s:o,s:o}", "from", json_time(g->from), "to",
		                  json_time(g->to), "kind", clock_segment_kind_to_string(g->kind), "business_seconds",
		                  (json_int_t)g->business_seconds, "priority", json_priority(g->priority), "policy",
		                  json_policy_ref(sla_ticket_policy(&res, g->policy)), "calendar",
		                  !pc       ? json_null()
		                  : pc->ref ? json_string(pc->ref)
		                            : json_string("inline"),
		                  "calendar_version",
		                  pc && pc->ref && pc->version ? json_integer(pc->version) : json_null()));
	}
	json_object_set_new(o, "ledger", ledger);
	json_t *next = json_null();
	if (res.has_deadline) {
		const struct clock_target *t = &c->targets[res.deadline.target];
		next = json_pack("{s:o,s:s,s:s,s:I}", "at", json_time(res.deadline.at), "kind",
		                 clock_deadline_kind_to_string(res.deadline.kind), "target",
		                 policy_metric_to_string(t->metric), "target_index", (json_int_t)res.deadline.target);
	}
	json_object_set_new(o, "next_deadline", next);
	json_object_set_new(o, "escalations", api_ticket_escalations(rq, res.ticket.id));
	if (repaired >= 0)
		json_object_set_new(o, "repaired", json_boolean(repaired));
	return reply_json(rq, 200, o);
}

int api_tickets_sla_repair(struct request *rq)
{
	bool changed;
	int r = sla_repair(&rq->svc, rq->params[0], &changed);
	if (r < 0)
		return reply_error(rq, r);
	return reply_ticket_sla(rq, 0, changed);
}

/* ---- escalations and targets at risk ---- */

static json_t *json_escalation(const struct sla_escalation *e)
{
	return json_pack("{s:I,s:s,s:s,s:o,s:i,s:s,s:s,s:b,s:o,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)e->id, "ticket",
	                 e->ticket_number, "target", e->target, "priority", json_priority(e->priority), "level",
	                 e->level, "action", e->action, "owner", e->owner, "climbed", e->climbed, "due_at",
	                 json_time(e->due_at), "fired_at", json_time(e->fired_at), "ack_within_seconds",
	                 e->ack_within ? json_integer(e->ack_within) : json_null(), "acked_at", json_time(e->acked_at),
	                 "acked_by", json_str_or_null(e->acked_by), "ack_note", json_str_or_null(e->ack_note));
}

json_t *api_ticket_escalations(struct request *rq, int64_t ticket_id)
{
	struct sla_escalation *v;
	size_t n;
	json_t *a = json_array();
	if (sla_escalations_of_ticket(&rq->svc, ticket_id, &v, &n) == 0)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_escalation(&v[i]));
	return a;
}

static int escalation_id(struct request *rq, int64_t *ret)
{
	if (parse_i64(rq->params[0], 1, INT64_MAX, ret) < 0) {
		reply_errorf(rq, "not_found", "id", "escalation '%.40s' does not exist", rq->params[0]);
		return -ENOENT;
	}
	return 0;
}

int api_escalations_get(struct request *rq)
{
	int64_t id;
	if (escalation_id(rq, &id) < 0)
		return -ENOENT;
	struct sla_escalation e;
	int r = sla_escalation_get(&rq->svc, id, &e);
	return r < 0 ? reply_error(rq, r) : reply_json(rq, 200, json_escalation(&e));
}

int api_escalations_ack(struct request *rq)
{
	int64_t id;
	if (escalation_id(rq, &id) < 0)
		return -ENOENT;
	static const struct jfield spec[] = {
	        {"note", JF_STRING, false, 0, LS_MAX_NAME_BYTES * 4},
	        {NULL},
	};
	json_t *body = NULL;
	if (rq->body.len > 0 && (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0))
		return -EINVAL;
	struct sla_escalation e;
	int r = sla_escalation_ack(&rq->svc, id, body ? jstr(body, "note") : NULL, &e);
	return r < 0 ? reply_error(rq, r) : reply_json(rq, 200, json_escalation(&e));
}

struct risk_item {
	ls_time due;
	json_t *json;
};

static int cmp_risk(const void *a, const void *b)
{
	const struct risk_item *x = a, *y = b;
	return x->due < y->due ? -1 : x->due > y->due;
}

#define AT_RISK_CANDIDATES 5000

int api_sla_at_risk(struct request *rq)
{
	const char *w = request_query(rq, "within");
	int64_t within = 7200, limit = 100;
	struct lserr de;
	if (w && duration_parse(w, "within", &within, &de) < 0)
		return reply_errorf(rq, "invalid_parameter", "within",
		                    "within must be a duration such as 30m, 2h or 1h30m");
	const char *v;
	if ((v = request_query(rq, "limit")) && parse_i64(v, 1, 1000, &limit) < 0)
		return reply_errorf(rq, "invalid_parameter", "limit", "limit must be 1 to 1000");
	const char *client = request_query(rq, "client");
	struct timers *tm = timers_current();
	if (!tm)
		return reply_errorf(rq, "unavailable", NULL, "the SLA timer is not running");
	ls_time now = rq->svc.now, until = now + within;
	int64_t *ids = arena_alloc(&rq->arena, AT_RISK_CANDIDATES * sizeof(*ids));
	ls_time *dues = arena_alloc(&rq->arena, AT_RISK_CANDIDATES * sizeof(*dues));
	size_t n = timers_due_before(tm, until, ids, dues, AT_RISK_CANDIDATES);
	struct risk_item *items = NULL;
	size_t ni = 0, cap = 0;
	for (size_t i = 0; i < n && ni < (size_t)limit * 4; i++) {
		struct sla_ticket_result res;
		if (sla_ticket_by_id(&rq->svc, ids[i], now, &res) < 0)
			continue; /* invisible to the caller, or gone */
		if (client && (!res.ticket.client_code || strcmp(res.ticket.client_code, client) != 0))
			continue;
		for (size_t k = 0; k < res.clock->n_targets; k++) {
			const struct clock_target *t = &res.clock->targets[k];
			if (t->state != CLOCK_RUNNING || !t->due || t->due <= now || t->due > until)
				continue;
			json_t *o = json_target(&res, t);
			json_object_set_new(o, "ticket", json_string(res.ticket.number));
			json_object_set_new(o, "client", json_str_or_null(res.ticket.client_code));
			json_object_set_new(o, "title", json_string(res.ticket.title ? res.ticket.title : ""));
			json_object_set_new(o, "ticket_state", json_string(ticket_state_to_string(res.ticket.state)));
			json_object_set_new(o, "team", json_str_or_null(res.ticket.team_code));
			json_object_set_new(o, "assignee", json_str_or_null(res.ticket.assignee_email));
			json_object_set_new(o, "seconds_until_due", json_integer(t->due - now));
			ARENA_PUSH(&rq->arena, items, ni, cap) = (struct risk_item){.due = t->due, .json = o};
		}
	}
	if (ni)
		qsort(items, ni, sizeof(*items), cmp_risk);
	json_t *arr = json_array();
	for (size_t i = 0; i < ni; i++) {
		if (i < (size_t)limit)
			json_array_append(arr, items[i].json);
		json_decref(items[i].json);
	}
	return reply_json(
	        rq, 200,
	        json_pack("{s:o,s:o,s:o,s:n}", "at", json_time(now), "until", json_time(until), "items", arr, "next"));
}
