/* Retention rules, legal holds, retention runs and the Art. 30 record over HTTP:
 * /api/v1/privacy/retention/{client}, /legal-holds, /retention-runs and
 * /processing-record/{client}. Room: server. Bodies are checked strictly by the
 * services (service/retention.h, service/processing.h), which name the field; a PUT
 * carries its version in If-Match like the KPI targets (a first PUT needs none). */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "core/parse.h"
#include "server/api.h"
#include "server/json.h"
#include "service/processing.h"
#include "service/retention.h"

/* The If-Match version: 0 when absent; -1 after replying to a malformed one. */
static int64_t expected_version(struct request *rq)
{
	const char *im = request_header(rq, MHD_HTTP_HEADER_IF_MATCH);
	if (!im)
		return 0;
	int64_t v = if_match_version(im);
	if (v < 0) {
		reply_errorf(rq, "invalid_parameter", "If-Match", "If-Match must name a version like \"3\"");
		return -1;
	}
	return v;
}

static int page(struct request *rq, int64_t *limit, int64_t *before)
{
	const char *v;
	*limit = 50;
	*before = 0;
	if ((v = request_query(rq, "limit")) && parse_i64(v, 1, LS_MAX_PAGE_SIZE, limit) < 0)
		return reply_errorf(rq, "invalid_parameter", "limit", "limit must be 1 to %d", LS_MAX_PAGE_SIZE),
		       -EINVAL;
	if ((v = request_query(rq, "cursor")) && parse_i64(v, 1, INT64_MAX, before) < 0)
		return reply_errorf(rq, "invalid_cursor", "cursor",
		                    "cursor must be the 'next' value of a previous page"),
		       -EINVAL;
	return 0;
}

static json_t *next_cursor(struct request *rq, bool more, int64_t last_id)
{
	return more ? json_string(arena_printf(&rq->arena, "%lld", (long long)last_id)) : json_null();
}

/* ---- rules ---- */

static int reply_rules(struct request *rq, const struct retention_rule_set *set)
{
	if (set->version)
		snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)set->version);
	return reply_json(rq, 200, retention_rules_json(set));
}

int api_retention_get(struct request *rq)
{
	struct retention_rule_set set;
	int r = retention_rules_get(&rq->svc, rq->params[0], &set);
	return r < 0 ? reply_error(rq, r) : reply_rules(rq, &set);
}

int api_retention_put(struct request *rq)
{
	json_t *body;
	if (request_json_object(rq, &body) < 0)
		return -EINVAL;
	struct retention_rule_set check; /* the body's errors come before the version's */
	if (retention_rules_parse(body, &rq->arena, &check, &rq->err) < 0)
		return reply_error(rq, -EINVAL);
	int64_t ver = expected_version(rq);
	if (ver < 0)
		return -EINVAL;
	struct retention_rule_set cur;
	int r = retention_rules_get(&rq->svc, rq->params[0], &cur);
	if (r < 0)
		return reply_error(rq, r);
	if (!ver && cur.version)
		return reply_error_full(rq, "precondition_required", "If-Match",
		                        "a change of existing retention rules must name the version it changes",
		                        "send If-Match: \"<version>\" with the version from GET");
	struct retention_rule_set set;
	if ((r = retention_rules_put(&rq->svc, rq->params[0], body, ver, &set)) < 0)
		return reply_error(rq, r);
	return reply_rules(rq, &set);
}

/* ---- legal holds ---- */

int api_legal_holds_list(struct request *rq)
{
	int64_t limit, before;
	if (page(rq, &limit, &before) < 0)
		return -EINVAL;
	struct legal_hold *h;
	size_t n;
	bool more;
	int r = retention_hold_list(&rq->svc, request_query(rq, "client"), before, (unsigned)limit, &h, &n, &more);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, retention_hold_json(&h[i], rq->svc.now));
	return reply_json(rq, 200,
	                  json_pack("{s:o, s:o}", "items", items, "next", next_cursor(rq, more, n ? h[n - 1].id : 0)));
}

int api_legal_holds_create(struct request *rq)
{
	json_t *body;
	if (request_json_object(rq, &body) < 0)
		return -EINVAL;
	struct legal_hold h;
	int r = retention_hold_create(&rq->svc, body, &h);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 201, retention_hold_json(&h, rq->svc.now));
}

int api_legal_holds_release(struct request *rq)
{
	int64_t id;
	if (parse_i64(rq->params[0], 1, INT64_MAX, &id) < 0)
		return reply_errorf(rq, "not_found", "id", "legal hold '%.40s' does not exist", rq->params[0]);
	if (rq->body.len > 0) {
		/* a body is optional and may only say why */
		static const struct jfield spec[] = {{"reason", JF_STRING, false, 0, 500}, {NULL}};
		json_t *body;
		if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0)
			return -EINVAL;
	}
	struct legal_hold h;
	int r = retention_hold_release(&rq->svc, id, &h);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 200, retention_hold_json(&h, rq->svc.now));
}

int api_retention_runs(struct request *rq)
{
	int64_t limit, before, last;
	if (page(rq, &limit, &before) < 0)
		return -EINVAL;
	json_t *items;
	bool more;
	int r = retention_runs_list(&rq->svc, request_query(rq, "client"), before, (unsigned)limit, &items, &more,
	                            &last);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 200, json_pack("{s:o, s:o}", "items", items, "next", next_cursor(rq, more, last)));
}

/* ---- the Art. 30 record ---- */

static int reply_record(struct request *rq, json_t *doc)
{
	json_int_t v = json_integer_value(json_object_get(doc, "version"));
	if (v)
		snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)v);
	return reply_json(rq, 200, doc);
}

int api_processing_record_get(struct request *rq)
{
	json_t *doc;
	int r = processing_record_get(&rq->svc, rq->params[0], &doc);
	return r < 0 ? reply_error(rq, r) : reply_record(rq, doc);
}

int api_processing_record_put(struct request *rq)
{
	json_t *body;
	if (request_json_object(rq, &body) < 0)
		return -EINVAL;
	if (processing_record_check(body, &rq->err) < 0)
		return reply_error(rq, -EINVAL);
	int64_t ver = expected_version(rq);
	if (ver < 0)
		return -EINVAL;
	json_t *cur;
	int r = processing_record_get(&rq->svc, rq->params[0], &cur);
	if (r < 0)
		return reply_error(rq, r);
	json_int_t have = json_integer_value(json_object_get(cur, "version"));
	json_decref(cur);
	if (!ver && have)
		return reply_error_full(rq, "precondition_required", "If-Match",
		                        "a change of an existing processing record must name the version it changes",
		                        "send If-Match: \"<version>\" with the version from GET");
	json_t *doc;
	if ((r = processing_record_put(&rq->svc, rq->params[0], body, ver, &doc)) < 0)
		return reply_error(rq, r);
	return reply_record(rq, doc);
}

int api_processing_record_document(struct request *rq)
{
	const char *fmt = request_query(rq, "format"), *lang = request_query(rq, "lang");
	char *text;
	size_t n;
	int r = processing_record_document(&rq->svc, rq->params[0], fmt, lang, &text, &n);
	if (r < 0)
		return reply_error(rq, r);
	const char *f = fmt ? fmt : "html";
	static const char *const types[][2] = {{"html", "text/html; charset=utf-8"},
	                                       {"md", "text/markdown; charset=utf-8"},
	                                       {"json", "application/json"}};
	const char *type = types[0][1];
	for (size_t i = 0; i < ELEMENTSOF(types); i++)
		if (strcmp(types[i][0], f) == 0)
			type = types[i][1];
	char name[96];
	snprintf(name, sizeof(name), "vvt-%s-%s.%s", rq->params[0], lang ? lang : "de", f);
	for (char *c = name; *c; c++) /* a plain file name: the client code is [A-Z0-9-] anyway */
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' ||
		      *c == '-'))
			*c = '_';
	r = reply_file(rq, 200, type, text, n, name);
	xfree(text);
	return r;
}
