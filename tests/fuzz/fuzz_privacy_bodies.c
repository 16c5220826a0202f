/* Fuzz target for the request bodies of the person, consent and request-register
 * routes: the first byte picks the handler (modulo 6, so the seeds start with '0' … '5'),
 * the rest is the body, run through the real handler on an in-memory database
 * (one admin, client ACME with one person, a consent given, a request registered):
 *   0: POST  /api/v1/persons/{id}/consents   (api_person_consents_create)
 *   1: POST  /api/v1/consents/{id}/withdraw   (api_consents_withdraw)
 *   2: POST  /api/v1/privacy/requests         (api_dsr_create)
 *   3: PATCH /api/v1/privacy/requests/{id}    (api_dsr_update; the version comes
 *      from the body, there is no If-Match header without a connection)
 *   4: PATCH /api/v1/persons/{id}             (api_persons_update: the body is checked
 *      before the If-Match header, which is absent here: 400 or 428)
 *   5: POST  /api/v1/persons/{id}/erase       (api_persons_erase, optional body
 *      {"request": N}; a fresh person is linked before each input)
 * Before a withdrawal a consent is given again if none is in force, and before a
 * change a fresh request is registered, so that every input meets a consent to
 * withdraw and a request at version 1.
 *
 * Properties: the handler always answers 2xx or 4xx (a body can't cause an
 * internal error); the answer is a JSON object, an error one with a catalogue code
 * matching the status and a message; a created consent or request echoes the
 * purpose or kind of the body; no leaks. The database is recreated every 256
 * successful writes, so that withdrawals, extensions and closings do not leave
 * every later input a conflict. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "server/api.h"
#include "service/consents.h"
#include "service/directory.h"
#include "service/dsr.h"
#include "service/persons.h"
#include "store/store.h"
#include "fuzz.h"

#define NOW ((ls_time)1795000000) /* 2026-11-18T09:46:40Z */

static struct store *st;
static unsigned written;
static char person_id[24], consent_id[24], request_id[24], erase_id[24];
static int64_t client_id;
static unsigned people;

static struct actor fuzz_admin = {
        .email = "admin@leitstand.example",
        .role = USER_ROLE_ADMIN,
        .all_clients = true,
};

static void close_store(void)
{
	st = store_close(st);
}

static void open_store(void)
{
	struct lserr e = {0};
	struct arena a;
	arena_init(&a);
	if (store_open(":memory:", STORE_OPEN_CREATE, &st, &e) < 0)
		goto fail;
	struct svc s = {.st = st, .arena = &a, .actor = &actor_system, .now = NOW, .err = &e};
	struct client c;
	struct user u;
	if (directory_user_add(
	            &s, &(struct user_input){.email = fuzz_admin.email, .name = "Admin", .role = USER_ROLE_ADMIN}, &u) <
	            0 ||
	    directory_client_add(&s, &(struct client_input){.code = "ACME", .name = "ACME GmbH"}, &c) < 0)
		goto fail;
	fuzz_admin.user_id = u.id;
	client_id = c.id;
	int64_t pid = 0;
	if (store_begin(st) < 0 || persons_link(&s, c.id, "Erika Muster", "erika@acme.example", NULL, &pid) < 0 ||
	    store_commit(st) < 0)
		goto fail;
	struct consent con;
	struct dsr_request req;
	if (consents_give(&s, pid,
	                  &(struct consent_input){.purpose = "newsletter", .channel = "web", .text_version = "v1"},
	                  &con) < 0 ||
	    dsr_create(&s, &(struct dsr_input){.client = "ACME", .kind = "access", .channel = "email"}, &req) < 0)
		goto fail;
	snprintf(person_id, sizeof(person_id), "%lld", (long long)pid);
	snprintf(consent_id, sizeof(consent_id), "%lld", (long long)con.id);
	snprintf(request_id, sizeof(request_id), "%lld", (long long)req.id);
	arena_release(&a);
	return;
fail:
	fprintf(stderr, "fuzz_privacy_bodies: cannot set up the database: %s\n", e.message);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* the persons' fields are sealed with a key from here, not from a file */
	setenv("LEITSTAND_MASTER_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 1);
	open_store();
	atexit(close_store);
	return 0;
}

static const char *field_of(const uint8_t *body, size_t size, const char *name)
{
	json_t *in = json_loadb((const char *)body, size, JSON_REJECT_DUPLICATES, NULL);
	const char *v = json_string_value(json_object_get(in, name));
	static char copy[64];
	snprintf(copy, sizeof(copy), "%s", v ? v : "");
	json_decref(in);
	return copy;
}

static void check_reply(const uint8_t *data, size_t size, unsigned route, const struct request *rq)
{
	if (!rq->resp)
		fuzz_fail(data, size, "status %u without a body", rq->status);
	if (rq->status >= 500 || rq->status < 200)
		fuzz_fail(data, size, "status %u: %.*s", rq->status, (int)rq->resp_len, rq->resp);
	json_error_t je;
	json_t *v = json_loadb(rq->resp, rq->resp_len, 0, &je);
	if (!json_is_object(v))
		fuzz_fail(data, size, "the reply is not a JSON object: %s", je.text);
	if (rq->status < 300) {
		const uint8_t *body = data + 1;
		size_t n = size - 1;
		if (!json_is_integer(json_object_get(v, "id")))
			fuzz_fail(data, size, "a success without an id: %.*s", (int)rq->resp_len, rq->resp);
		if (route == 0 &&
		    strcmp(field_of(body, n, "purpose"), json_string_value(json_object_get(v, "purpose"))) != 0)
			fuzz_fail(data, size, "recorded another purpose: %.*s", (int)rq->resp_len, rq->resp);
		if (route == 2 && strcmp(field_of(body, n, "kind"), json_string_value(json_object_get(v, "kind"))) != 0)
			fuzz_fail(data, size, "registered another kind: %.*s", (int)rq->resp_len, rq->resp);
	} else {
		json_t *err = json_object_get(v, "error");
		const char *code = json_string_value(json_object_get(err, "code"));
		const char *msg = json_string_value(json_object_get(err, "message"));
		if (!code || !msg || !*msg || err_http_status(code) != (int)rq->status)
			fuzz_fail(data, size, "malformed error reply (%u): %.*s", rq->status, (int)rq->resp_len,
			          rq->resp);
	}
	json_decref(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size - 1 > LS_MAX_BODY_BYTES)
		return 0; /* the HTTP layer answers 413 before a handler sees it */
	unsigned route = data[0] % 6;
	static const char *const methods[] = {"POST", "POST", "POST", "PATCH", "PATCH", "POST"};
	static int (*const handlers[])(struct request *) = {
	        api_person_consents_create, api_consents_withdraw, api_dsr_create, api_dsr_update,
	        api_persons_update,         api_persons_erase};
	struct request *rq = xcalloc(1, sizeof(*rq));
	arena_init(&rq->arena);
	strbuf_init(&rq->body, LS_MAX_BODY_BYTES);
	rq->method = methods[route];
	rq->path = "/fuzz";
	rq->route_index = -1;
	rq->params[0] = route == 0 || route == 4 ? person_id
	                : route == 1             ? consent_id
	                : route == 3             ? request_id
	                : route == 5             ? erase_id
	                                         : NULL;
	if (strbuf_add(&rq->body, data + 1, size - 1) < 0)
		abort();
	rq->actor = fuzz_admin;
	rq->svc = (struct svc){.st = st, .arena = &rq->arena, .actor = &rq->actor, .now = NOW, .err = &rq->err};

	/* a consent in force to withdraw and an open request at version 1 to change */
	struct svc setup = {.st = st, .arena = &rq->arena, .actor = &actor_system, .now = NOW, .err = &rq->err};
	struct consent con;
	struct dsr_request req;
	int64_t pid = strtoll(person_id, NULL, 10);
	if (route == 1 &&
	    consents_give(&setup, pid,
	                  &(struct consent_input){.purpose = "newsletter", .channel = "web", .text_version = "v1"},
	                  &con) == 0) {
		snprintf(consent_id, sizeof(consent_id), "%lld", (long long)con.id);
		written++;
	}
	if (route == 3) {
		if (dsr_create(&setup, &(struct dsr_input){.client = "ACME", .kind = "access", .channel = "email"},
		               &req) < 0)
			abort();
		snprintf(request_id, sizeof(request_id), "%lld", (long long)req.id);
		written++;
	}
	if (route == 5) {
		char email[64];
		int64_t eid;
		snprintf(email, sizeof(email), "p%u@acme.example", people++);
		if (store_begin(st) < 0 || persons_link(&setup, client_id, "Max Muster", email, "+49 1", &eid) < 0 ||
		    store_commit(st) < 0)
			abort();
		snprintf(erase_id, sizeof(erase_id), "%lld", (long long)eid);
		written++;
	}
	lserr_clear(&rq->err);

	int r = handlers[route](rq);
	if (rq->status == 0) /* as run_handler() in http.c does */
		reply_error(rq, r < 0 ? r : -EIO);
	check_reply(data, size, route, rq);
	if (getenv("FUZZ_VERBOSE")) /* to see what a corpus file exercises */
		fprintf(stderr, "%u %u %.*s\n", route, rq->status, (int)(rq->resp_len < 200 ? rq->resp_len : 200),
		        rq->resp);
	bool wrote = rq->status < 300;

	arena_release(&rq->arena);
	strbuf_release(&rq->body);
	xfree(rq->resp);
	xfree(rq);
	if (wrote)
		written++;
	if (written >= 256) {
		written = 0;
		close_store();
		open_store();
	}
	return 0;
}
