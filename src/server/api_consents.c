/* Consent records over HTTP: record, withdraw, a person's consents with their
 * history, and the list of who consented to a purpose. Room: server.
 * docs/privacy.md ("Consent records") gives the rules; service/consents.h who may. */
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "core/parse.h"
#include "server/api.h"
#include "server/json.h"
#include "service/consents.h"

static json_t *json_consent(const struct consent *c, bool with_history)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "client", json_string(c->client_code));
	json_object_set_new(o, "person", json_integer(c->person_id));
	json_object_set_new(o, "person_pseudonym", json_string(c->person_pseudonym));
	json_object_set_new(o, "person_erased", json_boolean(c->person_erased));
	json_object_set_new(o, "purpose", json_string(c->purpose));
	json_object_set_new(o, "state", json_string(c->withdrawn_at ? "withdrawn" : "given"));
	json_object_set_new(o, "channel", json_string(privacy_channel_to_string(c->channel)));
	json_object_set_new(o, "text_version", json_string(c->text_version));
	json_object_set_new(o, "wording", json_str_or_null(c->wording));
	json_object_set_new(o, "evidence", json_str_or_null(c->evidence));
	json_object_set_new(o, "given_at", json_time(c->given_at));
	json_object_set_new(o, "recorded_at", json_time(c->recorded_at));
	json_object_set_new(o, "recorded_by", json_string(c->recorded_by));
	json_object_set_new(o, "withdrawn_at", json_time(c->withdrawn_at));
	json_object_set_new(o, "withdrawn_channel",
	                    json_str_or_null(c->withdrawn_at ? privacy_channel_to_string(c->withdrawn_channel) : NULL));
	json_object_set_new(o, "withdrawn_recorded_at", json_time(c->withdrawn_recorded_at));
	json_object_set_new(o, "withdrawn_by", json_str_or_null(c->withdrawn_by));
	json_object_set_new(o, "version", json_integer(c->version));
	if (with_history) {
		json_t *h = json_array();
		for (size_t i = 0; i < c->n_events; i++) {
			const struct consent_event *e = &c->events[i];
			json_array_append_new(h, json_pack("{s:s, s:o, s:s, s:o, s:s}", "action", e->action, "at",
			                                   json_time(e->at), "channel",
			                                   privacy_channel_to_string(e->channel), "recorded_at",
			                                   json_time(e->recorded_at), "actor", e->actor));
		}
		json_object_set_new(o, "history", h);
	}
	return o;
}

static int reply_consent(struct request *rq, unsigned status, const struct consent *c)
{
	snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)c->version);
	return reply_json(rq, status, json_consent(c, true));
}

static int path_id(struct request *rq, const char *what, int64_t *ret)
{
	if (parse_i64(rq->params[0], 1, INT64_MAX, ret) < 0) {
		reply_errorf(rq, "not_found", "id", "%s '%.40s' does not exist", what, rq->params[0]);
		return -ENOENT;
	}
	return 0;
}

/* An optional RFC 3339 field into *ret (0 when absent or null). */
static int time_field(struct request *rq, json_t *body, const char *name, ls_time *ret)
{
	const char *v = jstr(body, name);
	*ret = 0;
	if (v && time_parse_rfc3339(v, ret) < 0) {
		reply_errorf(rq, "invalid_field", name, "%s must be an RFC 3339 time like 2026-03-02T09:30:00Z", name);
		return -EINVAL;
	}
	return 0;
}

static const struct jfield consent_give_fields[] = {
        {"purpose", JF_STRING, true, 0, CONSENT_MAX_PURPOSE},
        {"channel", JF_STRING, true, 0, 16},
        {"text_version", JF_STRING, true, 0, CONSENT_MAX_TEXT_VERSION},
        {"wording", JF_STRING_OR_NULL, false, 0, CONSENT_MAX_WORDING},
        {"evidence", JF_STRING_OR_NULL, false, 0, CONSENT_MAX_EVIDENCE},
        {"given_at", JF_STRING_OR_NULL, false, 0, 40},
        {NULL},
};

static const struct jfield consent_withdraw_fields[] = {
        {"channel", JF_STRING, true, 0, 16},
        {"at", JF_STRING_OR_NULL, false, 0, 40},
        {NULL},
};

int api_person_consents_create(struct request *rq)
{
	int64_t person;
	if (path_id(rq, "person", &person) < 0)
		return -ENOENT;
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, consent_give_fields, "") < 0)
		return -EINVAL;
	struct consent_input in = {
	        .purpose = jstr(body, "purpose"),
	        .channel = jstr(body, "channel"),
	        .text_version = jstr(body, "text_version"),
	        .wording = jstr(body, "wording"),
	        .evidence = jstr(body, "evidence"),
	};
	if (time_field(rq, body, "given_at", &in.given_at) < 0)
		return -EINVAL;
	struct consent c;
	int r = consents_give(&rq->svc, person, &in, &c);
	if (r < 0)
		return reply_error(rq, r);
	return reply_consent(rq, 201, &c);
}

int api_person_consents_list(struct request *rq)
{
	int64_t person;
	if (path_id(rq, "person", &person) < 0)
		return -ENOENT;
	struct consent *v;
	size_t n;
	int r = consents_of_person(&rq->svc, person, &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_consent(&v[i], true));
	return reply_json(rq, 200, json_pack("{s:o, s:n}", "items", items, "next"));
}

int api_consents_get(struct request *rq)
{
	int64_t id;
	if (path_id(rq, "consent", &id) < 0)
		return -ENOENT;
	struct consent c;
	int r = consents_get(&rq->svc, id, &c);
	if (r < 0)
		return reply_error(rq, r);
	return reply_consent(rq, 200, &c);
}

int api_consents_withdraw(struct request *rq)
{
	int64_t id;
	if (path_id(rq, "consent", &id) < 0)
		return -ENOENT;
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, consent_withdraw_fields, "") < 0)
		return -EINVAL;
	ls_time at;
	if (time_field(rq, body, "at", &at) < 0)
		return -EINVAL;
	struct consent c;
	int r = consents_withdraw(&rq->svc, id, jstr(body, "channel"), at, &c);
	if (r < 0)
		return reply_error(rq, r);
	return reply_consent(rq, 200, &c);
}

int api_consents_list(struct request *rq)
{
	struct consent_query q = {
	        .client = request_query(rq, "client"),
	        .purpose = request_query(rq, "purpose"),
	        .state = request_query(rq, "state"),
	        .limit = LS_DEFAULT_PAGE_SIZE,
	};
	const char *v;
	int64_t limit;
	if ((v = request_query(rq, "limit"))) {
		if (parse_i64(v, 1, LS_MAX_PAGE_SIZE, &limit) < 0)
			return reply_errorf(rq, "invalid_parameter", "limit", "limit must be 1 to %d",
			                    LS_MAX_PAGE_SIZE);
		q.limit = (size_t)limit;
	}
	if ((v = request_query(rq, "cursor")) && parse_i64(v, 1, INT64_MAX, &q.after_id) < 0)
		return reply_errorf(rq, "invalid_cursor", "cursor",
		                    "cursor must be the 'next' value of a previous page");
	size_t want = q.limit;
	q.limit = want + 1;
	struct consent *c;
	size_t n;
	int r = consents_list(&rq->svc, &q, &c, &n);
	if (r < 0)
		return reply_error(rq, r);
	bool more = n > want;
	if (more)
		n = want;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_consent(&c[i], false));
	json_t *next = more ? json_string(arena_printf(&rq->arena, "%lld", (long long)c[n - 1].id)) : json_null();
	return reply_json(rq, 200, json_pack("{s:o, s:o}", "items", items, "next", next));
}
