/* Fuzz target for request-body validation: the body of POST /api/v1/tickets
 * through the real handler, api_tickets_create() (server/api_tickets.c), which
 * parses it (request_json_object), checks it against the ticket-create field
 * spec (json_check in server/json.c), reads the checked fields and calls
 * tickets_create() on an in-memory database that holds one admin user, one
 * client, SWN, and one team, L1-DESK.
 *
 * No production code changes for this: a struct request needs no connection
 * for the body, the handler and the reply_* helpers (reply_* only formats into
 * rq->resp). The handler runs with an admin actor, like an authenticated call.
 *
 * Properties:
 *  - the handler always answers: 201 for a created ticket, else 400 with an
 *    error from the catalogue (never 5xx: a body can't cause an internal error);
 *  - the answer is a JSON object: a ticket with its number, or
 *    {"error":{"code","message",...}} whose code maps to the status;
 *  - a ticket is created only from a body with client, type and title;
 *  - no leaks: the arena's cleanups free the parsed body.
 * The database is recreated every few thousand tickets to bound memory. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "server/api.h"
#include "service/directory.h"
#include "store/store.h"
#include "fuzz.h"

static struct store *st;
static unsigned created;

/* The caller: an admin user of the database (user_id set in open_store()). */
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
	struct team t;
	struct user u;
	if (directory_user_add(
	            &s, &(struct user_input){.email = fuzz_admin.email, .name = "Admin", .role = USER_ROLE_ADMIN}, &u) <
	            0 ||
	    directory_client_add(&s, &(struct client_input){.code = "SWN", .name = "Stadtwerke Nordhafen"}, &c) < 0 ||
	    directory_team_add(&s, &(struct team_input){.code = "L1-DESK", .name = "Service Desk"}, &t) < 0)
		goto fail;
	fuzz_admin.user_id = u.id;
	arena_release(&a);
	return;
fail:
	fprintf(stderr, "fuzz_json_body: cannot set up the database: %s\n", e.message);
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
	if (rq->status != 201 && rq->status != 400)
		fuzz_fail(data, size, "status %u: %.*s", rq->status, (int)rq->resp_len, rq->resp ? rq->resp : "");
	if (!rq->resp)
		fuzz_fail(data, size, "status %u without a body", rq->status);
	json_error_t je;
	json_t *v = json_loadb(rq->resp, rq->resp_len, 0, &je);
	if (!json_is_object(v))
		fuzz_fail(data, size, "the reply is not a JSON object: %s", je.text);
	if (rq->status == 201) {
		json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
		if (!json_is_string(json_object_get(v, "number")) || !json_is_object(in) ||
		    !json_object_get(in, "client") || !json_object_get(in, "type") || !json_object_get(in, "title"))
			fuzz_fail(data, size, "created a ticket from this body: %.*s", (int)rq->resp_len, rq->resp);
		json_decref(in);
	} else {
		json_t *err = json_object_get(v, "error");
		const char *code = json_string_value(json_object_get(err, "code"));
		const char *msg = json_string_value(json_object_get(err, "message"));
		if (!code || !msg || !*msg || err_http_status(code) != 400)
			fuzz_fail(data, size, "malformed error reply: %.*s", (int)rq->resp_len, rq->resp);
	}
	json_decref(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > LS_MAX_BODY_BYTES)
		return 0; /* the HTTP layer answers 413 before a handler sees it */
	struct request *rq = xcalloc(1, sizeof(*rq));
	arena_init(&rq->arena);
	strbuf_init(&rq->body, LS_MAX_BODY_BYTES);
	rq->method = "POST";
	rq->path = "/api/v1/tickets";
	rq->route_index = -1;
	if (strbuf_add(&rq->body, data, size) < 0)
		abort();
	rq->actor = fuzz_admin;
	rq->svc = (struct svc){.st = st, .arena = &rq->arena, .actor = &rq->actor, .now = 1795000000, .err = &rq->err};

	int r = api_tickets_create(rq);
	if (rq->status == 0) /* as run_handler() in http.c does */
		reply_error(rq, r < 0 ? r : -EIO);
	check_reply(data, size, rq);
	if (getenv("FUZZ_VERBOSE")) /* to see what a corpus file exercises */
		fprintf(stderr, "%u %.*s\n", rq->status, (int)(rq->resp_len < 160 ? rq->resp_len : 160), rq->resp);
	if (rq->status == 201 && ++created % 4096 == 0) {
		close_store();
		open_store();
	}

	arena_release(&rq->arena);
	strbuf_release(&rq->body);
	xfree(rq->resp);
	xfree(rq);
	return 0;
}
