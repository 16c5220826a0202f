/* Tickets over HTTP: CRUD, transitions, messages, effort, links, history and
 * search. Room: server.
 *
 * Cursors are opaque to clients: URL-safe base64 of "i:<id>" for the default
 * order (newest first) or "u:<updated_at>:<id>" for updated_since order. A cursor
 * of the wrong kind or shape is refused with invalid_cursor. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "core/parse.h"
#include "server/api.h"
#include "server/json.h"
#include "service/tickets.h"

static const struct jfield requester_spec[] = {
        {"name", JF_STRING_OR_NULL, false, 0, LS_MAX_NAME_BYTES},
        {"email", JF_STRING_OR_NULL, false, 0, LS_MAX_EMAIL_BYTES},
        {"phone", JF_STRING_OR_NULL, false, 0, LS_MAX_PHONE_BYTES},
        {NULL},
};

static int reply_ticket(struct request *rq, unsigned status, const struct ticket *t)
{
	snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)t->version);
	return reply_json(rq, status, json_ticket(t));
}

/* Reads enum values given as strings; replies on error. */
static int parse_enum_field(struct request *rq, json_t *body, const char *name, int (*conv)(const char *),
                            const char *allowed, int *ret)
{
	const char *s = jstr(body, name);
	if (!s)
		return 0;
	int v = conv(s);
	if (v < 0) {
		reply_errorf(rq, "invalid_field", name, "field '%s' must be one of %s (got '%.40s')", name, allowed, s);
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

static int conv_type(const char *s)
{
	return (int)ticket_type_from_string(s);
}
static int conv_channel(const char *s)
{
	return (int)ticket_channel_from_string(s);
}
static int conv_state(const char *s)
{
	return (int)ticket_state_from_string(s);
}

#define TYPES    "incident, problem, service_request, complaint"
#define CHANNELS "email, phone, web, chat, api"
#define STATES   "new, assigned, in_progress, pending_customer, pending_vendor, resolved, closed"

int api_tickets_create(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"client", JF_STRING, true, 0, LS_MAX_CODE_BYTES},
	        {"type", JF_STRING, true, 0, 32},
	        {"title", JF_STRING, true, 0, LS_MAX_TITLE_BYTES},
	        {"description", JF_STRING, false, 0, LS_MAX_TEXT_BYTES},
	        {"impact", JF_INT, false, 1, 3},
	        {"urgency", JF_INT, false, 1, 3},
	        {"category", JF_STRING_OR_NULL, false, 0, LS_MAX_CATEGORY_BYTES},
	        {"channel", JF_STRING, false, 0, 16},
	        {"requester", JF_OBJECT, false, 0, 0, requester_spec},
	        {"team", JF_STRING_OR_NULL, false, 0, LS_MAX_CODE_BYTES},
	        {"assignee", JF_STRING_OR_NULL, false, 0, LS_MAX_EMAIL_BYTES},
	        {"vendor", JF_STRING_OR_NULL, false, 0, LS_MAX_CODE_BYTES},
	        {"tags", JF_STRING_ARRAY, false},
	        {"priority", JF_INT, false, 0, 0, NULL,
	         "priority follows from impact and urgency through the client's matrix", true},
	        {"state", JF_STRING, false, 0, 0, NULL,
	         "a new ticket starts as new (or assigned when it names a team or assignee)", true},
	        {NULL},
	};
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0)
		return -EINVAL;
	struct ticket_input in = {
	        .client = jstr(body, "client"),
	        .title = jstr(body, "title"),
	        .description = jstr(body, "description"),
	        .impact = (int)jint(body, "impact", 0),
	        .urgency = (int)jint(body, "urgency", 0),
	        .category = jstr(body, "category"),
	        .channel = -1,
	        .team = jstr(body, "team"),
	        .assignee = jstr(body, "assignee"),
	        .vendor = jstr(body, "vendor"),
	};
	int type = -1;
	if (parse_enum_field(rq, body, "type", conv_type, TYPES, &type) < 0 ||
	    parse_enum_field(rq, body, "channel", conv_channel, CHANNELS, &in.channel) < 0)
		return -EINVAL;
	in.type = (enum ticket_type)type;
	json_t *req = json_object_get(body, "requester");
	in.requester_name = jstr(req, "name");
	in.requester_email = jstr(req, "email");
	in.requester_phone = jstr(req, "phone");
	in.tags = jstrv(&rq->arena, body, "tags", &in.n_tags);
	struct ticket t;
	int r = tickets_create(&rq->svc, &in, &t);
	if (r < 0)
		return reply_error(rq, r);
	return reply_ticket(rq, 201, &t);
}

int api_tickets_get(struct request *rq)
{
	struct ticket t;
	int r = tickets_get(&rq->svc, rq->params[0], &t);
	if (r < 0)
		return reply_error(rq, r);
	return reply_ticket(rq, 200, &t);
}

/* The version a write is based on: If-Match ("3", W/"3" or 3) or the body's
 * "version". 0 when neither is given; negative after replying to a bad one. */
static int64_t expected_version(struct request *rq, json_t *body)
{
	const char *im = request_header(rq, MHD_HTTP_HEADER_IF_MATCH);
	if (im) {
		int64_t v = if_match_version(im);
		if (v < 0) {
			reply_errorf(rq, "invalid_parameter", "If-Match",
			             "If-Match must name a ticket version like \"3\"");
			return -1;
		}
		if (body && jhas(body, "version") && jint(body, "version", 0) != v) {
			reply_errorf(rq, "invalid_field", "version", "version in the body and If-Match disagree");
			return -1;
		}
		return v;
	}
	return body ? jint(body, "version", 0) : 0;
}

int api_tickets_update(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"title", JF_STRING, false, 0, LS_MAX_TITLE_BYTES},
	        {"description", JF_STRING, false, 0, LS_MAX_TEXT_BYTES},
	        {"impact", JF_INT, false, 1, 3},
	        {"urgency", JF_INT, false, 1, 3},
	        {"category", JF_STRING_OR_NULL, false, 0, LS_MAX_CATEGORY_BYTES},
	        {"channel", JF_STRING, false, 0, 16},
	        {"requester", JF_OBJECT, false, 0, 0, requester_spec},
	        {"team", JF_STRING_OR_NULL, false, 0, LS_MAX_CODE_BYTES},
	        {"assignee", JF_STRING_OR_NULL, false, 0, LS_MAX_EMAIL_BYTES},
	        {"vendor", JF_STRING_OR_NULL, false, 0, LS_MAX_CODE_BYTES},
	        {"tags", JF_STRING_ARRAY, false},
	        {"version", JF_INT, false, 1, INT64_MAX},
	        {"state", JF_STRING, false, 0, 0, NULL,
	         "change the state with POST /api/v1/tickets/{number}/transition", true},
	        {"priority", JF_INT, false, 0, 0, NULL, "priority follows from impact and urgency; change those", true},
	        {"client", JF_STRING, false, 0, 0, NULL, "a ticket stays with its client", true},
	        {"type", JF_STRING, false, 0, 0, NULL, "create a ticket of the right type and link it", true},
	        {"number", JF_STRING, false, 0, 0, NULL, "ticket numbers never change", true},
	        {NULL},
	};
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0)
		return -EINVAL;
	int64_t ver = expected_version(rq, body);
	if (ver < 0)
		return -EINVAL;
	if (ver == 0) {
		reply_error_full(rq, "precondition_required", "If-Match", "an update must name the version it changes",
		                 "send If-Match: \"<version>\" with the version from GET, or \"version\" in the body");
		return -EINVAL;
	}
	struct ticket_patch p = {0};
	struct ticket_input *v = &p.v;
	static const struct {
		const char *name;
		unsigned flag;
	} simple[] = {
	        {"title", PATCH_TITLE},     {"description", PATCH_DESCRIPTION}, {"impact", PATCH_IMPACT},
	        {"urgency", PATCH_URGENCY}, {"category", PATCH_CATEGORY},       {"channel", PATCH_CHANNEL},
	        {"team", PATCH_TEAM},       {"assignee", PATCH_ASSIGNEE},       {"tags", PATCH_TAGS},
	        {"vendor", PATCH_VENDOR},
	};
	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		if (jhas(body, simple[i].name))
			p.fields |= simple[i].flag;
	v->title = jstr(body, "title");
	v->description = jstr(body, "description");
	v->impact = (int)jint(body, "impact", 0);
	v->urgency = (int)jint(body, "urgency", 0);
	v->category = jstr(body, "category");
	v->team = jstr(body, "team");
	v->assignee = jstr(body, "assignee");
	v->vendor = jstr(body, "vendor");
	v->channel = -1;
	if (parse_enum_field(rq, body, "channel", conv_channel, CHANNELS, &v->channel) < 0)
		return -EINVAL;
	json_t *req = json_object_get(body, "requester");
	if (req) {
		if (jhas(req, "name"))
			p.fields |= PATCH_REQUESTER_NAME;
		if (jhas(req, "email"))
			p.fields |= PATCH_REQUESTER_EMAIL;
		if (jhas(req, "phone"))
			p.fields |= PATCH_REQUESTER_PHONE;
		v->requester_name = jstr(req, "name");
		v->requester_email = jstr(req, "email");
		v->requester_phone = jstr(req, "phone");
	}
	v->tags = jstrv(&rq->arena, body, "tags", &v->n_tags);
	struct ticket t;
	int r = tickets_update(&rq->svc, rq->params[0], ver, &p, &t);
	if (r < 0)
		return reply_error(rq, r);
	return reply_ticket(rq, 200, &t);
}

int api_tickets_transition(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"state", JF_STRING, true, 0, 32},
	        {"version", JF_INT, false, 1, INT64_MAX},
	        {NULL},
	};
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0)
		return -EINVAL;
	int64_t ver = expected_version(rq, body);
	if (ver < 0)
		return -EINVAL;
	int to = -1;
	if (parse_enum_field(rq, body, "state", conv_state, STATES, &to) < 0)
		return -EINVAL;
	struct ticket t;
	int r = tickets_transition(&rq->svc, rq->params[0], ver, (enum ticket_state)to, &t);
	if (r < 0)
		return reply_error(rq, r);
	return reply_ticket(rq, 200, &t);
}

static int add_message(struct request *rq, enum message_kind kind)
{
	static const struct jfield reply_spec[] = {
	        {"body", JF_STRING, true, 0, LS_MAX_TEXT_BYTES},
	        {"author_kind", JF_STRING, false, 0, 16},
	        {"author_name", JF_STRING, false, 0, LS_MAX_NAME_BYTES},
	        {NULL},
	};
	static const struct jfield note_spec[] = {
	        {"body", JF_STRING, true, 0, LS_MAX_TEXT_BYTES},
	        {NULL},
	};
	json_t *body;
	if (request_json_object(rq, &body) < 0 ||
	    json_check(rq, body, kind == MESSAGE_KIND_NOTE ? note_spec : reply_spec, "") < 0)
		return -EINVAL;
	struct message_input in = {
	        .kind = kind,
	        .author_kind = AUTHOR_KIND_AGENT,
	        .author_name = jstr(body, "author_name"),
	        .body = jstr(body, "body"),
	};
	const char *ak = jstr(body, "author_kind");
	if (ak) {
		in.author_kind = author_kind_from_string(ak);
		if ((int)in.author_kind < 0 || in.author_kind == AUTHOR_KIND_SYSTEM)
			return reply_errorf(rq, "invalid_field", "author_kind",
			                    "author_kind must be agent or customer (got '%.20s')", ak);
	}
	struct ticket_message m;
	struct ticket t;
	int r = tickets_add_message(&rq->svc, rq->params[0], &in, &m, &t);
	if (r < 0)
		return reply_error(rq, r);
	snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)t.version);
	return reply_json(rq, 201, json_message(&m));
}

int api_tickets_reply(struct request *rq)
{
	return add_message(rq, MESSAGE_KIND_REPLY);
}

int api_tickets_note(struct request *rq)
{
	return add_message(rq, MESSAGE_KIND_NOTE);
}

int api_tickets_messages(struct request *rq)
{
	struct ticket_message *v;
	size_t n;
	int r = tickets_messages(&rq->svc, rq->params[0], &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_message(&v[i]));
	return reply_json(rq, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

int api_tickets_effort_add(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"minutes", JF_INT, true, 1, LS_MAX_EFFORT_MINUTES},
	        {"note", JF_STRING, false, 0, LS_MAX_TEXT_BYTES},
	        {"worked_at", JF_STRING, false, 0, 40},
	        {NULL},
	};
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0)
		return -EINVAL;
	ls_time worked_at = 0;
	const char *wa = jstr(body, "worked_at");
	if (wa && time_parse_rfc3339(wa, &worked_at) < 0)
		return reply_errorf(rq, "invalid_field", "worked_at", "worked_at must be an RFC 3339 time");
	struct ticket_effort e;
	int r = tickets_add_effort(&rq->svc, rq->params[0], (int)jint(body, "minutes", 0), jstr(body, "note"),
	                           worked_at, &e);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 201, json_effort(&e));
}

int api_tickets_effort_list(struct request *rq)
{
	struct ticket_effort *v;
	size_t n;
	int r = tickets_efforts(&rq->svc, rq->params[0], &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	long long total = 0;
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(items, json_effort(&v[i]));
		total += v[i].minutes;
	}
	return reply_json(rq, 200,
	                  json_pack("{s:o,s:I,s:n}", "items", items, "total_minutes", (json_int_t)total, "next"));
}

int api_tickets_link_add(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"kind", JF_STRING, true, 0, 32},
	        {"target", JF_STRING, true, 0, 32},
	        {NULL},
	};
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0)
		return -EINVAL;
	enum link_kind kind = link_kind_from_string(jstr(body, "kind"));
	if ((int)kind < 0)
		return reply_errorf(rq, "invalid_field", "kind", "kind must be child_of, caused_by or duplicate_of");
	struct ticket t;
	int r = tickets_add_link(&rq->svc, rq->params[0], kind, jstr(body, "target"), &t);
	if (r < 0)
		return reply_error(rq, r);
	/* answer with the ticket's links as they are now */
	r = api_tickets_link_list(rq);
	if (rq->status == 200)
		rq->status = 201;
	return r;
}

int api_tickets_link_list(struct request *rq)
{
	struct ticket_link *v;
	size_t n;
	int r = tickets_links(&rq->svc, rq->params[0], &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_link(&v[i]));
	return reply_json(rq, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

int api_tickets_history(struct request *rq)
{
	struct ticket_event *v;
	size_t n;
	int r = tickets_history(&rq->svc, rq->params[0], &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_event(&v[i]));
	return reply_json(rq, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

/* ---- list and search ---- */

static const char *cursor_encode(struct arena *a, bool by_updated, const struct ticket *last)
{
	char raw[64];
	if (by_updated)
		snprintf(raw, sizeof(raw), "u:%lld:%lld", (long long)last->updated_at, (long long)last->id);
	else
		snprintf(raw, sizeof(raw), "i:%lld", (long long)last->id);
	size_t n = sodium_base64_ENCODED_LEN(strlen(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, n);
	sodium_bin2base64(out, n, (const unsigned char *)raw, strlen(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

static int cursor_decode(const char *c, bool by_updated, struct ticket_query *q)
{
	unsigned char raw[64];
	size_t len;
	if (strlen(c) > 80 || sodium_base642bin(raw, sizeof(raw) - 1, c, strlen(c), NULL, &len, NULL,
	                                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return -EINVAL;
	raw[len] = '\0';
	char *s = (char *)raw;
	if (by_updated) {
		if (strncmp(s, "u:", 2) != 0)
			return -EINVAL;
		char *colon = strchr(s + 2, ':');
		if (!colon)
			return -EINVAL;
		*colon = '\0';
		if (parse_i64(s + 2, 0, INT64_MAX, &q->after_updated_at) < 0 ||
		    parse_i64(colon + 1, 1, INT64_MAX, &q->after_id) < 0)
			return -EINVAL;
	} else {
		if (strncmp(s, "i:", 2) != 0 || parse_i64(s + 2, 1, INT64_MAX, &q->after_id) < 0)
			return -EINVAL;
	}
	q->has_after = true;
	return 0;
}

static int list(struct request *rq, bool search)
{
	struct ticket_query q = {.state = -1, .type = -1, .limit = LS_DEFAULT_PAGE_SIZE};
	const char *v;
	q.client = request_query(rq, "client");
	q.team = request_query(rq, "team");
	q.assignee = request_query(rq, "assignee");
	q.requester = request_query(rq, "requester");
	q.q = request_query(rq, "q");
	if (search && (!q.q || !*q.q))
		return reply_errorf(rq, "invalid_parameter", "q", "q (the words to search for) is required");
	if ((v = request_query(rq, "state")) && (q.state = ticket_state_from_string(v)) < 0)
		return reply_errorf(rq, "invalid_parameter", "state", "state must be one of %s", STATES);
	if ((v = request_query(rq, "type")) && (q.type = ticket_type_from_string(v)) < 0)
		return reply_errorf(rq, "invalid_parameter", "type", "type must be one of %s", TYPES);
	if ((v = request_query(rq, "priority")) && parse_int(v, 1, 5, &q.priority) < 0)
		return reply_errorf(rq, "invalid_parameter", "priority", "priority must be 1 to 5");
	int limit;
	if ((v = request_query(rq, "limit"))) {
		if (parse_int(v, 1, LS_MAX_PAGE_SIZE, &limit) < 0)
			return reply_errorf(rq, "invalid_parameter", "limit", "limit must be 1 to %d",
			                    LS_MAX_PAGE_SIZE);
		q.limit = (unsigned)limit;
	}
	if ((v = request_query(rq, "updated_since"))) {
		if (time_parse_rfc3339(v, &q.updated_since) < 0)
			return reply_errorf(rq, "invalid_parameter", "updated_since",
			                    "updated_since must be an RFC 3339 time such as 2026-11-01T00:00:00Z");
		q.has_updated_since = true;
	}
	if ((v = request_query(rq, "cursor")) && cursor_decode(v, q.has_updated_since, &q) < 0)
		return reply_errorf(rq, "invalid_cursor", "cursor",
		                    "the cursor is malformed or was issued for a different query");
	struct ticket *items;
	size_t n;
	bool more;
	int r = tickets_list(&rq->svc, &q, &items, &n, &more);
	if (r < 0)
		return reply_error(rq, r);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_ticket(&items[i]));
	json_t *next =
	        more && n ? json_string(cursor_encode(&rq->arena, q.has_updated_since, &items[n - 1])) : json_null();
	return reply_json(rq, 200, json_pack("{s:o,s:o}", "items", arr, "next", next));
}

int api_tickets_list(struct request *rq)
{
	return list(rq, false);
}

int api_tickets_search(struct request *rq)
{
	return list(rq, true);
}
