/* Vendors over HTTP: list, add, get. Room: server. */
#include "core/limits.h"
#include "server/api.h"
#include "server/json.h"
#include "service/vendors.h"

int api_vendors_list(struct request *rq)
{
	struct vendor *v;
	size_t n;
	int r = vendors_list(&rq->svc, &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_vendor(&v[i]));
	return reply_json(rq, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

int api_vendors_create(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"code", JF_STRING, true, 0, LS_MAX_CODE_BYTES},
	        {"name", JF_STRING, true, 0, LS_MAX_NAME_BYTES},
	        {"clients", JF_STRING_ARRAY, true},
	        {NULL},
	};
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0)
		return -EINVAL;
	struct vendor_input in = {.code = jstr(body, "code"), .name = jstr(body, "name")};
	in.clients = jstrv(&rq->arena, body, "clients", &in.n_clients);
	struct vendor v;
	int r = vendors_add(&rq->svc, &in, &v);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 201, json_vendor(&v));
}

int api_vendors_get(struct request *rq)
{
	struct vendor v;
	int r = vendors_get(&rq->svc, rq->params[0], &v);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 200, json_vendor(&v));
}
