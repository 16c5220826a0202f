/* Fuzz target for the request bodies of the action plan and contract routes: the
 * first byte picks the handler, the rest is the body, run through the real handler
 * on an in-memory database (one admin, client SWN with one action):
 *   0: POST  /api/v1/clients/SWN/actions      (api_actions_create)
 *   1: PATCH /api/v1/clients/SWN/actions/1    (api_actions_update; the version in
 *      the body, as there is no If-Match header here)
 *   2: PUT   /api/v1/clients/SWN/contract     (api_contract_put; the first one stores,
 *      later ones answer 428 without If-Match: both paths run)
 *
 * Properties: the handler always answers 2xx or 4xx (a body can't cause an internal
 * error); the answer is a JSON object, an error one with a catalogue code matching
 * the status; a contract that parses survives contract_to_json and parses again to
 * the same struct; no leaks. The database is recreated every few thousand writes. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "model/plan.h"
#include "server/api.h"
#include "service/directory.h"
#include "service/plans.h"
#include "store/store.h"
#include "fuzz.h"

static struct store *st;
static unsigned written;

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
	struct svc s = {.st = st, .arena = &a, .actor = &actor_system, .now = 1795000000, .err = &e};
	struct client c;
	struct user u;
	struct action x;
	if (directory_user_add(
	            &s, &(struct user_input){.email = fuzz_admin.email, .name = "Admin", .role = USER_ROLE_ADMIN}, &u) <
	            0 ||
	    directory_client_add(&s, &(struct client_input){.code = "SWN", .name = "Stadtwerke Nordhafen"}, &c) < 0 ||
	    plans_action_add(&s, "SWN", &(struct action_input){.title = "fuzz", .due_on = "2027-01-01"}, &x) < 0)
		goto fail;
	fuzz_admin.user_id = u.id;
	arena_release(&a);
	return;
fail:
	fprintf(stderr, "fuzz_plan_bodies: cannot set up the database: %s\n", e.message);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	open_store();
	atexit(close_store);
	return 0;
}

static void check_reply(const uint8_t *data, size_t size, const struct request *rq)
{
	if (rq->status < 200 || rq->status >= 500 || (rq->status >= 300 && rq->status < 400))
		fuzz_fail(data, size, "status %u: %.*s", rq->status, (int)rq->resp_len, rq->resp ? rq->resp : "");
	if (!rq->resp)
		fuzz_fail(data, size, "status %u without a body", rq->status);
	json_error_t je;
	json_t *v = json_loadb(rq->resp, rq->resp_len, 0, &je);
	if (!json_is_object(v))
		fuzz_fail(data, size, "the reply is not a JSON object: %s", je.text);
	if (rq->status >= 400) {
		json_t *err = json_object_get(v, "error");
		const char *code = json_string_value(json_object_get(err, "code"));
		const char *msg = json_string_value(json_object_get(err, "message"));
		if (!code || !msg || !*msg || err_http_status(code) != (int)rq->status)
			fuzz_fail(data, size, "malformed error reply: %.*s", (int)rq->resp_len, rq->resp);
	}
	json_decref(v);
}

/* A contract that parses comes back unchanged through its canonical JSON. */
static void check_contract(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
	struct contract c, c2;
	struct lserr e = {0};
	if (j && contract_from_json(j, &c, &e) == 0) {
		json_t *back = contract_to_json(&c);
		if (contract_from_json(back, &c2, &e) < 0 || memcmp(&c, &c2, sizeof(c)) != 0)
			fuzz_fail(data, size, "the canonical contract does not read back: %s", e.message);
		json_decref(back);
	}
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > LS_MAX_BODY_BYTES)
		return 0; /* the HTTP layer answers 413 before a handler sees it */
	unsigned which = data[0] % 3;
	struct request *rq = xcalloc(1, sizeof(*rq));
	arena_init(&rq->arena);
	strbuf_init(&rq->body, LS_MAX_BODY_BYTES);
	rq->method = which == 0 ? "POST" : which == 1 ? "PATCH" : "PUT";
	rq->route_index = -1;
	if (strbuf_add(&rq->body, data + 1, size - 1) < 0)
		abort();
	rq->actor = fuzz_admin;
	rq->svc = (struct svc){.st = st, .arena = &rq->arena, .actor = &rq->actor, .now = 1795000000, .err = &rq->err};
	rq->params[0] = "SWN";
	int r;
	switch (which) {
	case 0:
		rq->path = "/api/v1/clients/{code}/actions";
		r = api_actions_create(rq);
		break;
	case 1:
		rq->path = "/api/v1/clients/{code}/actions/{id}";
		rq->params[1] = "1";
		r = api_actions_update(rq);
		break;
	default:
		rq->path = "/api/v1/clients/{code}/contract";
		r = api_contract_put(rq);
		check_contract(data, size);
		break;
	}
	if (rq->status == 0) /* as run_handler() in http.c does */
		reply_error(rq, r < 0 ? r : -EIO);
	check_reply(data, size, rq);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "%u %u %.*s\n", which, rq->status, (int)(rq->resp_len < 160 ? rq->resp_len : 160),
		        rq->resp);
	if (rq->status < 300 && ++written % 2048 == 0) {
		close_store();
		open_store();
	}
	arena_release(&rq->arena);
	strbuf_release(&rq->body);
	xfree(rq->resp);
	xfree(rq);
	return 0;
}
