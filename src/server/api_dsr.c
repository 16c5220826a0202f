/* The register of data-subject requests over HTTP. Room: server.
 * docs/privacy.md ("Data-subject requests register") gives the rules; who may is
 * in service/dsr.h. Every item carries its deadline, days_left and overdue. */
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "core/parse.h"
#include "server/api.h"
#include "server/json.h"
#include "service/dsr.h"

static json_t *json_dsr(const struct dsr_request *r, bool with_history)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "client", json_string(r->client_code));
	json_object_set_new(o, "person", r->person_id ? json_integer(r->person_id) : json_null());
	json_object_set_new(o, "person_pseudonym", json_str_or_null(r->person_pseudonym));
	json_object_set_new(o, "kind", json_string(dsr_kind_to_string(r->kind)));
	json_object_set_new(o, "channel", json_string(privacy_channel_to_string(r->channel)));
	json_object_set_new(o, "reference", json_str_or_null(r->reference));
	json_object_set_new(o, "state", json_string(dsr_state_to_string(r->state)));
	json_object_set_new(o, "received_at", json_time(r->received_at));
	json_object_set_new(o, "due_date", json_string(r->due_date));
	json_object_set_new(o, "due_at", json_time(r->due_at));
	json_object_set_new(o, "extended_date", json_str_or_null(r->extended_until ? r->extended_date : NULL));
	json_object_set_new(o, "extended_until", json_time(r->extended_until));
	json_object_set_new(o, "extension_reason", json_str_or_null(r->extension_reason));
	json_object_set_new(o, "extended_at", json_time(r->extended_at));
	json_object_set_new(o, "deadline", json_string(r->extended_until ? r->extended_date : r->due_date));
	json_object_set_new(o, "days_left", json_integer(r->days_left));
	json_object_set_new(o, "overdue", json_boolean(r->overdue));
	json_object_set_new(o, "late", json_boolean(r->late));
	json_object_set_new(o, "completed_at", json_time(r->completed_at));
	json_object_set_new(o, "outcome", json_str_or_null(r->outcome));
	json_object_set_new(o, "created_by", json_string(r->created_by));
	json_object_set_new(o, "created_at", json_time(r->created_at));
	json_object_set_new(o, "updated_at", json_time(r->updated_at));
	json_object_set_new(o, "version", json_integer(r->version));
	if (with_history) {
		json_t *h = json_array();
		for (size_t i = 0; i < r->n_events; i++) {
			const struct dsr_event *e = &r->events[i];
			json_array_append_new(
			        h, json_pack("{s:o, s:s, s:s, s:o, s:o, s:o}", "at", json_time(e->at), "actor",
			                     e->actor, "action", e->action, "from", json_str_or_null(e->from_value),
			                     "to", json_str_or_null(e->to_value), "note", json_str_or_null(e->note)));
		}
		json_object_set_new(o, "history", h);
	}
	return o;
}

static int reply_dsr(struct request *rq, unsigned status, const struct dsr_request *r)
{
	snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)r->version);
	return reply_json(rq, status, json_dsr(r, true));
}

static int path_id(struct request *rq, int64_t *ret)
{
	if (parse_i64(rq->params[0], 1, INT64_MAX, ret) < 0) {
		reply_errorf(rq, "not_found", "id", "request '%.40s' does not exist", rq->params[0]);
		return -ENOENT;
	}
	return 0;
}

static const struct jfield create_fields[] = {
        {"client", JF_STRING, true, 0, LS_MAX_CODE_BYTES},
        {"kind", JF_STRING, true, 0, 32},
        {"channel", JF_STRING, true, 0, 16},
        {"person", JF_INT, false, 1, INT64_MAX},
        {"received_at", JF_STRING_OR_NULL, false, 0, 40},
        {"reference", JF_STRING_OR_NULL, false, 0, DSR_MAX_REFERENCE},
        {"note", JF_STRING_OR_NULL, false, 0, DSR_MAX_REASON},
        {NULL},
};

static const struct jfield patch_fields[] = {
        {"state", JF_STRING, false, 0, 32},
        {"person", JF_INT, false, 0, INT64_MAX},
        {"extension_reason", JF_STRING, false, 0, DSR_MAX_REASON},
        {"outcome", JF_STRING_OR_NULL, false, 0, DSR_MAX_REASON},
        {"reference", JF_STRING_OR_NULL, false, 0, DSR_MAX_REFERENCE},
        {"version", JF_INT, false, 1, INT64_MAX},
        {"client", JF_STRING, false, 0, 0, NULL, "a request stays with its client", true},
        {"kind", JF_STRING, false, 0, 0, NULL, "a request keeps its kind; register a new one", true},
        {"received_at", JF_STRING, false, 0, 0, NULL, "the receipt and the deadline are fixed", true},
        {"due_at", JF_STRING, false, 0, 0, NULL, "the deadline follows from the receipt; extend instead", true},
        {NULL},
};

int api_dsr_create(struct request *rq)
{
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, create_fields, "") < 0)
		return -EINVAL;
	struct dsr_input in = {
	        .client = jstr(body, "client"),
	        .kind = jstr(body, "kind"),
	        .channel = jstr(body, "channel"),
	        .person_id = jint(body, "person", 0),
	        .reference = jstr(body, "reference"),
	        .note = jstr(body, "note"),
	};
	const char *v = jstr(body, "received_at");
	if (v && time_parse_rfc3339(v, &in.received_at) < 0)
		return reply_errorf(rq, "invalid_field", "received_at",
		                    "received_at must be an RFC 3339 time like 2026-03-02T09:30:00Z");
	struct dsr_request r;
	int rc = dsr_create(&rq->svc, &in, &r);
	if (rc < 0)
		return reply_error(rq, rc);
	return reply_dsr(rq, 201, &r);
}

int api_dsr_get(struct request *rq)
{
	int64_t id;
	if (path_id(rq, &id) < 0)
		return -ENOENT;
	struct dsr_request r;
	int rc = dsr_get(&rq->svc, id, &r);
	if (rc < 0)
		return reply_error(rq, rc);
	return reply_dsr(rq, 200, &r);
}

int api_dsr_update(struct request *rq)
{
	int64_t id;
	if (path_id(rq, &id) < 0)
		return -ENOENT;
	json_t *body;
	if (request_json_object(rq, &body) < 0)
		return -EINVAL;
	/* "person": null unlinks, like 0 */
	if (json_is_null(json_object_get(body, "person")))
		json_object_set_new(body, "person", json_integer(0));
	if (json_check(rq, body, patch_fields, "") < 0)
		return -EINVAL;
	int64_t ver = jint(body, "version", 0);
	const char *im = request_header(rq, MHD_HTTP_HEADER_IF_MATCH);
	if (im && (ver = if_match_version(im)) < 0)
		return reply_errorf(rq, "invalid_parameter", "If-Match", "If-Match must name a version like \"3\"");
	if (ver == 0)
		return reply_error_full(rq, "precondition_required", "If-Match",
		                        "a change of a request must name the version it changes",
		                        "send If-Match: \"<version>\" with the version from GET");
	struct dsr_patch p = {
	        .state = jstr(body, "state"),
	        .person_id = jint(body, "person", 0),
	        .extension_reason = jstr(body, "extension_reason"),
	        .outcome = jstr(body, "outcome"),
	        .reference = jstr(body, "reference"),
	};
	p.fields = (jhas(body, "state") ? DSR_PATCH_STATE : 0) | (jhas(body, "person") ? DSR_PATCH_PERSON : 0) |
	           (jhas(body, "extension_reason") ? DSR_PATCH_EXTEND : 0) |
	           (jhas(body, "outcome") ? DSR_PATCH_OUTCOME : 0) |
	           (jhas(body, "reference") ? DSR_PATCH_REFERENCE : 0);
	struct dsr_request r;
	int rc = dsr_update(&rq->svc, id, ver, &p, &r);
	if (rc < 0)
		return reply_error(rq, rc);
	return reply_dsr(rq, 200, &r);
}

int api_dsr_list(struct request *rq)
{
	struct dsr_query q = {
	        .client = request_query(rq, "client"),
	        .state = request_query(rq, "state"),
	        .kind = request_query(rq, "kind"),
	        .cursor = request_query(rq, "cursor"),
	        .limit = LS_DEFAULT_PAGE_SIZE,
	};
	const char *v;
	int64_t n64;
	if ((v = request_query(rq, "limit"))) {
		if (parse_i64(v, 1, LS_MAX_PAGE_SIZE, &n64) < 0)
			return reply_errorf(rq, "invalid_parameter", "limit", "limit must be 1 to %d",
			                    LS_MAX_PAGE_SIZE);
		q.limit = (size_t)n64;
	}
	if ((v = request_query(rq, "overdue"))) {
		if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
			return reply_errorf(rq, "invalid_parameter", "overdue", "overdue must be true or false");
		q.overdue = strcmp(v, "true") == 0;
	}
	if ((v = request_query(rq, "person"))) {
		if (parse_i64(v, 1, INT64_MAX, &q.person_id) < 0)
			return reply_errorf(rq, "invalid_parameter", "person", "person must be a person id");
	}
	struct dsr_request *items;
	size_t n;
	const char *next;
	int rc = dsr_list(&rq->svc, &q, &items, &n, &next);
	if (rc < 0)
		return reply_error(rq, rc);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_dsr(&items[i], false));
	return reply_json(rq, 200, json_pack("{s:o, s:o}", "items", a, "next", json_str_or_null(next)));
}
