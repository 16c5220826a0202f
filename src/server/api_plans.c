/* A client's action plan and contract over HTTP: GET/POST
 * /api/v1/clients/{code}/actions, PATCH /api/v1/clients/{code}/actions/{id} (If-Match),
 * GET/PUT /api/v1/clients/{code}/contract (If-Match once one exists, as the KPI
 * targets). Room: server. The ETag of an action or the contract is its version. */
#include <stdio.h>
#include <string.h>

#include "core/parse.h"
#include "server/api.h"
#include "server/json.h"
#include "service/plans.h"

static json_t *json_day(int64_t day)
{
	char buf[16];
	return day == PLAN_NO_DAY ? json_null() : json_string(plan_day_format(day, buf, sizeof(buf)));
}

static json_t *json_action(const char *client, const struct action *a)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "client", json_string(client));
	json_object_set_new(o, "title", json_string(a->title));
	json_object_set_new(o, "owner", json_string(a->owner ? a->owner : ""));
	json_object_set_new(o, "state", json_string(action_state_to_string(a->state)));
	json_object_set_new(o, "agreed_on", json_day(a->agreed_on));
	json_object_set_new(o, "due_on", json_day(a->due_on));
	json_object_set_new(o, "closed_on", json_day(a->closed_on));
	json_object_set_new(o, "finding", json_str_or_null(a->finding));
	json_object_set_new(o, "version", json_integer(a->version));
	json_object_set_new(o, "created_at", json_time(a->created_at));
	json_object_set_new(o, "updated_at", json_time(a->updated_at));
	return o;
}

static const struct jfield action_spec[] = {
        {"title", JF_STRING, false, 0, 300},
        {"owner", JF_STRING, false, 0, PLAN_MAX_OWNER_BYTES},
        {"state", JF_STRING, false, 0, 16},
        {"agreed_on", JF_STRING, false, 0, 10},
        {"due_on", JF_STRING, false, 0, 10},
        {"closed_on", JF_STRING_OR_NULL, false, 0, 10},
        {"finding", JF_STRING_OR_NULL, false, 0, PLAN_MAX_FINDING_BYTES},
        {"version", JF_INT, false, 1, INT64_MAX},
        {"id", JF_STRING, false, 0, 0, NULL, "the id is given by the server", true},
        {"client", JF_STRING, false, 0, 0, NULL, "an action stays with the client of its path", true},
        {NULL},
};

static void read_action(json_t *body, struct action_input *in)
{
	*in = (struct action_input){
	        .title = jstr(body, "title"),
	        .owner = jstr(body, "owner"),
	        .state = jstr(body, "state"),
	        .agreed_on = jstr(body, "agreed_on"),
	        .due_on = jstr(body, "due_on"),
	        .closed_on = jstr(body, "closed_on"),
	        .finding = jstr(body, "finding"),
	        .clear_finding = jhas(body, "finding") && !jstr(body, "finding"),
	};
}

int api_actions_list(struct request *rq)
{
	struct action_list l;
	int r = plans_actions(&rq->svc, rq->params[0], &l);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(items, json_action(l.client, &l.items[i]));
	return reply_json(rq, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

int api_actions_create(struct request *rq)
{
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, action_spec, "") < 0)
		return -EINVAL;
	if (jhas(body, "version"))
		return reply_errorf(rq, "invalid_field", "version", "field 'version' cannot be set on a new action");
	struct action_input in;
	read_action(body, &in);
	struct action a;
	int r = plans_action_add(&rq->svc, rq->params[0], &in, &a);
	if (r < 0)
		return reply_error(rq, r);
	snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)a.version);
	return reply_json(rq, 201, json_action(rq->params[0], &a));
}

int api_actions_update(struct request *rq)
{
	int64_t id;
	if (parse_i64(rq->params[1], 1, INT64_MAX, &id) < 0)
		return reply_errorf(rq, "not_found", "id", "action '%.40s' does not exist", rq->params[1]);
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, action_spec, "") < 0)
		return -EINVAL;
	int64_t ver = jint(body, "version", 0);
	const char *im = request_header(rq, MHD_HTTP_HEADER_IF_MATCH);
	if (im && (ver = if_match_version(im)) < 0)
		return reply_errorf(rq, "invalid_parameter", "If-Match", "If-Match must name a version like \"3\"");
	if (ver == 0)
		return reply_error_full(rq, "precondition_required", "If-Match",
		                        "a change of an action must name the version it changes",
		                        "send If-Match: \"<version>\" with the version from GET");
	struct action_input in;
	read_action(body, &in);
	struct action a;
	int r = plans_action_update(&rq->svc, rq->params[0], id, ver, &in, &a);
	if (r < 0)
		return reply_error(rq, r);
	snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)a.version);
	return reply_json(rq, 200, json_action(rq->params[0], &a));
}

static int reply_contract(struct request *rq, const struct contract_set *c)
{
	if (c->version)
		snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)c->version);
	json_t *o = json_object();
	json_object_set_new(o, "client", json_string(c->client));
	json_object_set_new(o, "contract", c->stored ? contract_to_json(&c->c) : json_null());
	json_object_set_new(o, "version", json_integer(c->version));
	json_object_set_new(o, "updated_at", json_time(c->updated_at));
	json_object_set_new(o, "updated_by", json_str_or_null(c->updated_by));
	return reply_json(rq, 200, o);
}

int api_contract_get(struct request *rq)
{
	struct contract_set c;
	int r = plans_contract_get(&rq->svc, rq->params[0], &c);
	if (r < 0)
		return reply_error(rq, r);
	return reply_contract(rq, &c);
}

int api_contract_put(struct request *rq)
{
	json_t *body;
	if (request_json_object(rq, &body) < 0)
		return -EINVAL;
	struct contract check; /* the body's errors come before the version's */
	if (contract_from_json(body, &check, &rq->err) < 0)
		return reply_error(rq, -EINVAL);
	int64_t ver = 0;
	const char *im = request_header(rq, MHD_HTTP_HEADER_IF_MATCH);
	if (im && (ver = if_match_version(im)) < 0)
		return reply_errorf(rq, "invalid_parameter", "If-Match", "If-Match must name a version like \"3\"");
	struct contract_set cur;
	int r = plans_contract_get(&rq->svc, rq->params[0], &cur);
	if (r < 0)
		return reply_error(rq, r);
	if (!im && cur.version)
		return reply_error_full(rq, "precondition_required", "If-Match",
		                        "a change of an existing contract must name the version it changes",
		                        "send If-Match: \"<version>\" with the version from GET");
	struct contract_set c;
	if ((r = plans_contract_put(&rq->svc, rq->params[0], body, ver, &c)) < 0)
		return reply_error(rq, r);
	return reply_contract(rq, &c);
}
