/* Webhook subscriptions and their delivery log over HTTP. Room: server.
 * The secret is in the answer to a create (and to a change that sets one) only. */
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "core/parse.h"
#include "server/api.h"
#include "server/json.h"
#include "service/webhooks.h"

static json_t *json_events(const char *events)
{
	json_t *a = json_array();
	for (const char *p = events; p && *p;) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len)
			json_array_append_new(a, json_stringn(p, len));
		p += len + (end ? 1 : 0);
	}
	return a;
}

static json_t *json_webhook(const struct webhook_sub *w, bool with_secret)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:o,s:s,s:s,s:b,s:I,s:o,s:o}", "id", (json_int_t)w->id, "client",
	                      w->client_code, "url", w->url, "events", json_events(w->events), "format", w->format,
	                      "lang", w->lang, "active", w->active, "version", (json_int_t)w->version, "created_at",
	                      json_time(w->created_at), "updated_at", json_time(w->updated_at));
	if (with_secret)
		json_object_set_new(o, "secret", json_string(w->secret));
	else
		json_object_set_new(o, "secret_set", json_boolean(w->secret && *w->secret));
	return o;
}

static int reply_webhook(struct request *rq, unsigned status, const struct webhook_sub *w, bool with_secret)
{
	snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)w->version);
	return reply_json(rq, status, json_webhook(w, with_secret));
}

static int path_id(struct request *rq, int64_t *ret)
{
	if (parse_i64(rq->params[0], 1, INT64_MAX, ret) < 0) {
		reply_errorf(rq, "not_found", "id", "webhook '%.40s' does not exist", rq->params[0]);
		return -ENOENT;
	}
	return 0;
}

static const struct jfield webhook_fields[] = {
        {"client", JF_STRING, true, 0, LS_MAX_CODE_BYTES},
        {"url", JF_STRING, true, 0, 2048},
        {"events", JF_STRING_ARRAY, true},
        {"format", JF_STRING, false, 0, 16},
        {"lang", JF_STRING, false, 0, 8},
        {"secret", JF_STRING, false, 0, 256},
        {"active", JF_BOOL, false},
        {NULL},
};

int api_webhooks_create(struct request *rq)
{
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, webhook_fields, "") < 0)
		return -EINVAL;
	struct webhook_input in = {
	        .client = jstr(body, "client"),
	        .url = jstr(body, "url"),
	        .format = jstr(body, "format"),
	        .lang = jstr(body, "lang"),
	        .secret = jstr(body, "secret"),
	        .active = jhas(body, "active") ? json_is_true(json_object_get(body, "active")) : 1,
	};
	in.events = jstrv(&rq->arena, body, "events", &in.n_events);
	struct webhook_sub w;
	int r = webhooks_create(&rq->svc, &in, &w);
	if (r < 0)
		return reply_error(rq, r);
	return reply_webhook(rq, 201, &w, true);
}

int api_webhooks_list(struct request *rq)
{
	struct webhook_sub *v;
	size_t n;
	int r = webhooks_list(&rq->svc, request_query(rq, "client"), &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_webhook(&v[i], false));
	return reply_json(rq, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

int api_webhooks_get(struct request *rq)
{
	int64_t id;
	if (path_id(rq, &id) < 0)
		return -ENOENT;
	struct webhook_sub w;
	int r = webhooks_get(&rq->svc, id, &w);
	if (r < 0)
		return reply_error(rq, r);
	return reply_webhook(rq, 200, &w, false);
}

int api_webhooks_update(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"url", JF_STRING, false, 0, 2048},
	        {"events", JF_STRING_ARRAY, false},
	        {"format", JF_STRING, false, 0, 16},
	        {"lang", JF_STRING, false, 0, 8},
	        {"secret", JF_STRING, false, 0, 256},
	        {"active", JF_BOOL, false},
	        {"version", JF_INT, false, 1, INT64_MAX},
	        {"client", JF_STRING, false, 0, 0, NULL, "a webhook stays with its client", true},
	        {NULL},
	};
	int64_t id;
	if (path_id(rq, &id) < 0)
		return -ENOENT;
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0)
		return -EINVAL;
	int64_t ver = jint(body, "version", 0);
	const char *im = request_header(rq, MHD_HTTP_HEADER_IF_MATCH);
	if (im && (ver = if_match_version(im)) < 0)
		return reply_errorf(rq, "invalid_parameter", "If-Match", "If-Match must name a version like \"3\"");
	if (ver == 0)
		return reply_error_full(rq, "precondition_required", "If-Match",
		                        "a webhook change must name the version it changes",
		                        "send If-Match: \"<version>\" with the version from GET");
	struct webhook_input in = {
	        .url = jstr(body, "url"),
	        .format = jstr(body, "format"),
	        .lang = jstr(body, "lang"),
	        .secret = jstr(body, "secret"),
	        .active = json_is_true(json_object_get(body, "active")),
	};
	in.events = jstrv(&rq->arena, body, "events", &in.n_events);
	unsigned mask =
	        (jhas(body, "url") ? WEBHOOK_PATCH_URL : 0) | (jhas(body, "events") ? WEBHOOK_PATCH_EVENTS : 0) |
	        (jhas(body, "format") ? WEBHOOK_PATCH_FORMAT : 0) | (jhas(body, "lang") ? WEBHOOK_PATCH_LANG : 0) |
	        (jhas(body, "secret") ? WEBHOOK_PATCH_SECRET : 0) | (jhas(body, "active") ? WEBHOOK_PATCH_ACTIVE : 0);
	struct webhook_sub w;
	int r = webhooks_update(&rq->svc, id, ver, mask, &in, &w);
	if (r < 0)
		return reply_error(rq, r);
	return reply_webhook(rq, 200, &w, (mask & WEBHOOK_PATCH_SECRET) != 0);
}

int api_webhooks_delete(struct request *rq)
{
	int64_t id;
	if (path_id(rq, &id) < 0)
		return -ENOENT;
	int r = webhooks_delete(&rq->svc, id);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "deleted", 1));
}

int api_webhooks_deliveries(struct request *rq)
{
	int64_t id, before = 0, limit = 50;
	if (path_id(rq, &id) < 0)
		return -ENOENT;
	const char *v;
	if ((v = request_query(rq, "limit")) && parse_i64(v, 1, 500, &limit) < 0)
		return reply_errorf(rq, "invalid_parameter", "limit", "limit must be 1 to 500");
	if ((v = request_query(rq, "cursor")) && parse_i64(v, 1, INT64_MAX, &before) < 0)
		return reply_errorf(rq, "invalid_cursor", "cursor",
		                    "cursor must be the 'next' value of a previous page");
	struct webhook_delivery *d;
	size_t n;
	int r = webhooks_deliveries(&rq->svc, id, before, (size_t)limit + 1, &d, &n);
	if (r < 0)
		return reply_error(rq, r);
	bool more = n > (size_t)limit;
	if (more)
		n = (size_t)limit;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *payload = json_loads(d[i].payload, 0, NULL);
		json_array_append_new(
		        items,
		        json_pack("{s:I,s:I,s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
		                  (json_int_t)d[i].id, "event_id", (json_int_t)d[i].outbox_id, "event", d[i].event,
		                  "state", delivery_state_to_string(d[i].state), "attempts", (json_int_t)d[i].attempts,
		                  "created_at", json_time(d[i].created_at), "first_attempt_at",
		                  json_time(d[i].first_attempt_at), "last_attempt_at", json_time(d[i].last_attempt_at),
		                  "next_attempt_at", json_time(d[i].next_attempt_at), "delivered_at",
		                  json_time(d[i].delivered_at), "last_status",
		                  d[i].last_status ? json_integer(d[i].last_status) : json_null(), "last_error",
		                  json_str_or_null(d[i].last_error), "last_response",
		                  json_str_or_null(d[i].last_response), "payload", payload ? payload : json_null()));
	}
	json_t *next = more ? json_string(arena_printf(&rq->arena, "%lld", (long long)d[n - 1].id)) : json_null();
	return reply_json(rq, 200, json_pack("{s:o,s:o}", "items", items, "next", next));
}
