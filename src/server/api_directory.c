/* Clients, users and teams over HTTP. Room: server. */
#include <string.h>

#include "core/limits.h"
#include "server/api.h"
#include "server/json.h"
#include "service/directory.h"

int api_clients_list(struct request *rq)
{
	struct client *v;
	size_t n;
	int r = directory_client_list(&rq->svc, &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_client(&v[i]));
	return reply_json(rq, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

int api_clients_get(struct request *rq)
{
	struct client c;
	int r = directory_client_get(&rq->svc, rq->params[0], &c);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 200, json_client(&c));
}

int api_clients_create(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"code", JF_STRING, true, 0, LS_MAX_CODE_BYTES},
	        {"name", JF_STRING, true, 0, LS_MAX_NAME_BYTES},
	        {"timezone", JF_STRING, false, 0, 64},
	        {"priority_matrix", JF_STRING, false, 0, 9},
	        {NULL},
	};
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0)
		return -EINVAL;
	struct client_input in = {
	        .code = jstr(body, "code"),
	        .name = jstr(body, "name"),
	        .timezone = jstr(body, "timezone"),
	        .priority_matrix = jstr(body, "priority_matrix"),
	};
	struct client c;
	int r = directory_client_add(&rq->svc, &in, &c);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 201, json_client(&c));
}

int api_users_list(struct request *rq)
{
	struct user *v;
	size_t n;
	int r = directory_user_list(&rq->svc, &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_user(&v[i]));
	return reply_json(rq, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

int api_users_create(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"email", JF_STRING, true, 0, LS_MAX_EMAIL_BYTES},
	        {"name", JF_STRING, true, 0, LS_MAX_NAME_BYTES},
	        {"role", JF_STRING, true, 0, 32},
	        {"password", JF_STRING, false, 0, LS_MAX_PASSWORD_BYTES},
	        {"clients", JF_STRING_ARRAY, false},
	        {"vendor", JF_STRING, false, 0, LS_MAX_CODE_BYTES},
	        {NULL},
	};
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0)
		return -EINVAL;
	enum user_role role = user_role_from_string(jstr(body, "role"));
	if ((int)role < 0)
		return reply_errorf(rq, "invalid_field", "role",
		                    "role must be admin, manager, agent, client_viewer, dpo, auditor or vendor_agent");
	struct user_input in = {
	        .email = jstr(body, "email"),
	        .name = jstr(body, "name"),
	        .role = role,
	        .password = jstr(body, "password"),
	        .vendor = jstr(body, "vendor"),
	};
	in.clients = jstrv(&rq->arena, body, "clients", &in.n_clients);
	struct user u;
	int r = directory_user_add(&rq->svc, &in, &u);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 201, json_user(&u));
}

int api_teams_list(struct request *rq)
{
	struct team *v;
	size_t n;
	int r = directory_team_list(&rq->svc, &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_team(&v[i]));
	return reply_json(rq, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

int api_teams_create(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"code", JF_STRING, true, 0, LS_MAX_CODE_BYTES},
	        {"name", JF_STRING, true, 0, LS_MAX_NAME_BYTES},
	        {"members", JF_STRING_ARRAY, false},
	        {NULL},
	};
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0)
		return -EINVAL;
	struct team_input in = {.code = jstr(body, "code"), .name = jstr(body, "name")};
	in.members = jstrv(&rq->arena, body, "members", &in.n_members);
	struct team t;
	int r = directory_team_add(&rq->svc, &in, &t);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 201, json_team(&t));
}
