/* Report subscriptions, their runs, and produced reports over HTTP. Room: server. */
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "core/parse.h"
#include "jobs/reports.h"
#include "server/api.h"
#include "server/json.h"
#include "service/report_subs.h"

static json_t *json_words(const char *list)
{
	json_t *a = json_array();
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len)
			json_array_append_new(a, json_stringn(p, len));
		p += len + (end ? 1 : 0);
	}
	return a;
}

static json_t *json_sub(const struct report_sub *w)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:b,s:o,s:I,s:o,s:o}", "id", (json_int_t)w->id, "client",
	                 w->client_code, "kind", w->kind, "format", w->format, "lang", w->lang, "recipients",
	                 json_words(w->recipients), "schedule", w->schedule, "timezone", w->timezone, "holidays",
	                 w->holidays_region, "active", w->active, "next_run_at", json_time(w->next_run_at), "version",
	                 (json_int_t)w->version, "created_at", json_time(w->created_at), "updated_at",
	                 json_time(w->updated_at));
}

static json_t *json_run(const struct report_run *r)
{
	json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)r->id,
	                      "subscription", (json_int_t)r->subscription_id, "trigger", r->trigger, "period",
	                      r->period, "state", report_run_state_to_string(r->state), "report",
	                      r->report_id ? json_integer(r->report_id) : json_null(), "attempts",
	                      (json_int_t)r->attempts, "scheduled_for", json_time(r->scheduled_for), "created_at",
	                      json_time(r->created_at), "first_attempt_at", json_time(r->first_attempt_at),
	                      "last_attempt_at", json_time(r->last_attempt_at), "next_attempt_at",
	                      json_time(r->next_attempt_at), "delivered_at", json_time(r->delivered_at), "last_error",
	                      json_str_or_null(r->last_error), "recipients", json_words(r->recipients));
	if (r->state == REPORT_RUN_STORED)
		json_object_set_new(o, "note", json_string("stored, not mailed"));
	return o;
}

static int reply_sub(struct request *rq, unsigned status, const struct report_sub *w)
{
	snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)w->version);
	return reply_json(rq, status, json_sub(w));
}

static void kick(void)
{
	struct report_worker *w = report_worker_current();
	if (w)
		report_worker_kick(w);
}

static int path_id(struct request *rq, const char *what, int64_t *ret)
{
	if (parse_i64(rq->params[0], 1, INT64_MAX, ret) < 0) {
		reply_errorf(rq, "not_found", "id", "%s '%.40s' does not exist", what, rq->params[0]);
		return -ENOENT;
	}
	return 0;
}

static void read_input(struct request *rq, json_t *body, struct report_sub_input *in)
{
	*in = (struct report_sub_input){
	        .client = jstr(body, "client"),
	        .kind = jstr(body, "kind"),
	        .format = jstr(body, "format"),
	        .lang = jstr(body, "lang"),
	        .schedule = jstr(body, "schedule"),
	        .timezone = jstr(body, "timezone"),
	        .holidays = jstr(body, "holidays"),
	        .active = jhas(body, "active") ? json_is_true(json_object_get(body, "active")) : 1,
	};
	in->recipients = jstrv(&rq->arena, body, "recipients", &in->n_recipients);
}

int api_report_subs_create(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"client", JF_STRING, true, 0, LS_MAX_CODE_BYTES},
	        {"kind", JF_STRING, true, 0, 16},
	        {"format", JF_STRING, false, 0, 16},
	        {"lang", JF_STRING, false, 0, 8},
	        {"recipients", JF_STRING_ARRAY, true},
	        {"schedule", JF_STRING, true, 0, 80},
	        {"timezone", JF_STRING, false, 0, 64},
	        {"holidays", JF_STRING, false, 0, 32},
	        {"active", JF_BOOL, false},
	        {NULL},
	};
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0)
		return -EINVAL;
	struct report_sub_input in;
	read_input(rq, body, &in);
	struct report_sub w;
	int r = report_subs_create(&rq->svc, &in, &w);
	if (r < 0)
		return reply_error(rq, r);
	kick();
	return reply_sub(rq, 201, &w);
}

int api_report_subs_list(struct request *rq)
{
	struct report_sub *v;
	size_t n;
	int r = report_subs_list(&rq->svc, request_query(rq, "client"), &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_sub(&v[i]));
	return reply_json(rq, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

int api_report_subs_get(struct request *rq)
{
	int64_t id;
	if (path_id(rq, "report subscription", &id) < 0)
		return -ENOENT;
	struct report_sub w;
	int r = report_subs_get(&rq->svc, id, &w);
	if (r < 0)
		return reply_error(rq, r);
	return reply_sub(rq, 200, &w);
}

int api_report_subs_update(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"kind", JF_STRING, false, 0, 16},
	        {"format", JF_STRING, false, 0, 16},
	        {"lang", JF_STRING, false, 0, 8},
	        {"recipients", JF_STRING_ARRAY, false},
	        {"schedule", JF_STRING, false, 0, 80},
	        {"timezone", JF_STRING, false, 0, 64},
	        {"holidays", JF_STRING, false, 0, 32},
	        {"active", JF_BOOL, false},
	        {"version", JF_INT, false, 1, INT64_MAX},
	        {"client", JF_STRING, false, 0, 0, NULL, "a report subscription stays with its client", true},
	        {NULL},
	};
	int64_t id;
	if (path_id(rq, "report subscription", &id) < 0)
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
		                        "a report subscription change must name the version it changes",
		                        "send If-Match: \"<version>\" with the version from GET");
	struct report_sub_input in;
	read_input(rq, body, &in);
	unsigned mask = (jhas(body, "kind") ? REPORT_SUB_PATCH_KIND : 0) |
	                (jhas(body, "format") ? REPORT_SUB_PATCH_FORMAT : 0) |
	                (jhas(body, "lang") ? REPORT_SUB_PATCH_LANG : 0) |
	                (jhas(body, "recipients") ? REPORT_SUB_PATCH_RECIPIENTS : 0) |
	                (jhas(body, "schedule") ? REPORT_SUB_PATCH_SCHEDULE : 0) |
	                (jhas(body, "timezone") ? REPORT_SUB_PATCH_TIMEZONE : 0) |
	                (jhas(body, "holidays") ? REPORT_SUB_PATCH_HOLIDAYS : 0) |
	                (jhas(body, "active") ? REPORT_SUB_PATCH_ACTIVE : 0);
	struct report_sub w;
	int r = report_subs_update(&rq->svc, id, ver, mask, &in, &w);
	if (r < 0)
		return reply_error(rq, r);
	kick();
	return reply_sub(rq, 200, &w);
}

int api_report_subs_delete(struct request *rq)
{
	int64_t id;
	if (path_id(rq, "report subscription", &id) < 0)
		return -ENOENT;
	int r = report_subs_delete(&rq->svc, id);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "deleted", 1));
}

int api_report_subs_run(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"period", JF_STRING, false, 0, 16},
	        {NULL},
	};
	int64_t id;
	if (path_id(rq, "report subscription", &id) < 0)
		return -ENOENT;
	json_t *body = NULL;
	if (rq->body.len > 0 && (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0))
		return -EINVAL;
	struct report_run run;
	int r = report_subs_run_now(&rq->svc, id, body ? jstr(body, "period") : NULL, &run);
	if (r < 0)
		return reply_error(rq, r);
	kick();
	return reply_json(rq, 202, json_run(&run));
}

int api_report_subs_runs(struct request *rq)
{
	int64_t id, before = 0, limit = 50;
	if (path_id(rq, "report subscription", &id) < 0)
		return -ENOENT;
	const char *v;
	if ((v = request_query(rq, "limit")) && parse_i64(v, 1, 500, &limit) < 0)
		return reply_errorf(rq, "invalid_parameter", "limit", "limit must be 1 to 500");
	if ((v = request_query(rq, "cursor")) && parse_i64(v, 1, INT64_MAX, &before) < 0)
		return reply_errorf(rq, "invalid_cursor", "cursor",
		                    "cursor must be the 'next' value of a previous page");
	struct report_run *d;
	size_t n;
	int r = report_subs_runs(&rq->svc, id, before, (size_t)limit + 1, &d, &n);
	if (r < 0)
		return reply_error(rq, r);
	bool more = n > (size_t)limit;
	if (more)
		n = (size_t)limit;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_run(&d[i]));
	json_t *next = more ? json_string(arena_printf(&rq->arena, "%lld", (long long)d[n - 1].id)) : json_null();
	return reply_json(rq, 200, json_pack("{s:o,s:o}", "items", items, "next", next));
}

int api_reports_get(struct request *rq)
{
	int64_t id;
	if (path_id(rq, "report", &id) < 0)
		return -ENOENT;
	struct report_file f;
	int r = report_subs_file(&rq->svc, id, &f);
	if (r < 0)
		return reply_error(rq, r);
	return reply_file(rq, 200, f.content_type, f.bytes, f.size, f.filename);
}
