/* Persons over HTTP: find by email, read, rectify, export, erase (docs/privacy.md).
 * Room: server. Reads are audited like ticket reads (the entry names the person's
 * pseudonym); export and erasure write privacy entries of their own. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/parse.h"
#include "server/api.h"
#include "server/json.h"
#include "service/audit.h"
#include "service/dsr.h"
#include "service/persons.h"

static json_t *person_json(const struct person *p, const char **numbers, size_t n)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "client", json_string(p->client_code));
	json_object_set_new(o, "pseudonym", json_string(p->pseudonym));
	json_object_set_new(o, "name", json_str_or_null(p->name));
	json_object_set_new(o, "email", json_str_or_null(p->email));
	json_object_set_new(o, "phone", json_str_or_null(p->phone));
	json_object_set_new(o, "company", json_str_or_null(p->company));
	json_object_set_new(o, "version", json_integer(p->version));
	json_object_set_new(o, "created_at", json_time(p->created_at));
	json_object_set_new(o, "updated_at", json_time(p->updated_at));
	json_object_set_new(o, "erased_at", json_time(p->erased_at));
	json_object_set_new(o, "shredded", json_boolean(p->shredded));
	if (numbers) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_string(numbers[i]));
		json_object_set_new(o, "tickets", a);
	}
	return o;
}

static int path_person(struct request *rq, int64_t *ret)
{
	if (parse_i64(rq->params[0], 1, INT64_MAX, ret) < 0) {
		reply_errorf(rq, "not_found", "id", "person '%.40s' does not exist", rq->params[0]);
		return -ENOENT;
	}
	return 0;
}

int api_persons_find(struct request *rq)
{
	struct person *v;
	size_t n;
	int r = persons_find(&rq->svc, request_query(rq, "client"), request_query(rq, "email"), &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		audit_note(&rq->svc, v[i].client_id, v[i].pseudonym);
		json_array_append_new(items, person_json(&v[i], NULL, 0));
	}
	return reply_json(rq, 200, json_pack("{s:o, s:n}", "items", items, "next"));
}

int api_persons_get(struct request *rq)
{
	int64_t id;
	if (path_person(rq, &id) < 0)
		return -ENOENT;
	struct person p;
	const char **numbers;
	size_t n;
	int r = persons_get(&rq->svc, id, &p);
	if (r == 0)
		r = persons_ticket_numbers(&rq->svc, id, &numbers, &n);
	if (r < 0)
		return reply_error(rq, r);
	audit_note(&rq->svc, p.client_id, p.pseudonym);
	snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)p.version);
	return reply_json(rq, 200, person_json(&p, numbers, n));
}

static const struct jfield patch_spec[] = {
        {"name", JF_STRING, false, 0, 0},
        {"email", JF_STRING, false, 0, 0},
        {"phone", JF_STRING, false, 0, 0},
        {"company", JF_STRING, false, 0, 0},
        {NULL},
};

int api_persons_update(struct request *rq)
{
	int64_t id;
	if (path_person(rq, &id) < 0)
		return -ENOENT;
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, patch_spec, "") < 0)
		return -EINVAL;
	const char *im = request_header(rq, MHD_HTTP_HEADER_IF_MATCH);
	if (!im)
		return reply_error_full(rq, "precondition_required", "If-Match",
		                        "a rectification must name the version it changes",
		                        "send If-Match: \"<version>\" with the version from GET");
	int64_t ver = if_match_version(im);
	if (ver < 0)
		return reply_errorf(rq, "invalid_parameter", "If-Match", "If-Match must name a version like \"3\"");
	struct person_patch p = {0};
	if (jhas(body, "name")) {
		p.fields |= PERSON_PATCH_NAME;
		p.name = jstr(body, "name");
	}
	if (jhas(body, "email")) {
		p.fields |= PERSON_PATCH_EMAIL;
		p.email = jstr(body, "email");
	}
	if (jhas(body, "phone")) {
		p.fields |= PERSON_PATCH_PHONE;
		p.phone = jstr(body, "phone");
	}
	if (jhas(body, "company")) {
		p.fields |= PERSON_PATCH_COMPANY;
		p.company = jstr(body, "company");
	}
	struct person out;
	int r = persons_rectify(&rq->svc, id, ver, &p, &out);
	if (r < 0)
		return reply_error(rq, r);
	snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)out.version);
	return reply_json(rq, 200, person_json(&out, NULL, 0));
}

int api_persons_export(struct request *rq)
{
	int64_t id;
	if (path_person(rq, &id) < 0)
		return -ENOENT;
	struct person p;
	int r = persons_get(&rq->svc, id, &p);
	if (r < 0)
		return reply_error(rq, r);
	char *zip;
	size_t n;
	if ((r = persons_export(&rq->svc, &p, 1, &zip, &n)) < 0)
		return reply_error(rq, r);
	char name[64];
	snprintf(name, sizeof(name), "export-%s.zip", p.pseudonym);
	r = reply_file(rq, 200, "application/zip", zip, n, name);
	xfree(zip);
	return r;
}

int api_persons_erase(struct request *rq)
{
	int64_t id;
	if (path_person(rq, &id) < 0)
		return -ENOENT;
	/* optional: {"request": N}, the register entry this erasure answers */
	static const struct jfield spec[] = {{"request", JF_INT, false, 1, INT64_MAX}, {NULL}};
	int64_t req = 0;
	if (rq->body.len > 0) {
		json_t *body;
		if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0)
			return -EINVAL;
		req = jint(body, "request", 0);
	}
	struct erase_summary e;
	int r = persons_erase(&rq->svc, id, &e);
	if (r < 0)
		return reply_error(rq, r);
	json_t *o = json_pack("{s:I, s:s, s:I, s:I}", "id", (json_int_t)id, "pseudonym", e.pseudonym, "tickets",
	                      (json_int_t)e.tickets, "replaced", (json_int_t)e.replaced);
	if (req) {
		/* the erasure stands even if closing the register entry fails: say so */
		if (dsr_complete(&rq->svc, req, "erased") < 0)
			json_object_set_new(o, "request_error", json_string(rq->svc.err->message));
		else
			json_object_set_new(o, "request", json_integer(req));
	}
	return reply_json(rq, 200, o);
}
