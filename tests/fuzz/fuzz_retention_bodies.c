/* Fuzz target for the request bodies of the retention and Art. 30 routes, through
 * the real handlers (server/api_retention.c): the first input byte picks the route,
 * the rest is the body of
 *   0  PUT  /api/v1/privacy/retention/ACME          (retention_rules_parse)
 *   1  POST /api/v1/privacy/legal-holds              (retention_hold_create)
 *   2  PUT  /api/v1/privacy/processing-record/ACME  (processing_record_check)
 * on an in-memory database with one client, ACME. The handler runs as an admin
 * without a connection, so a PUT carries no If-Match: the first valid body of each
 * PUT route is stored, later ones are checked and then refused with 428.
 *
 * Properties:
 *  - the handler always answers 200/201 or a 4xx from the error catalogue, never
 *    5xx (a body cannot cause an internal error), with a JSON object;
 *  - an accepted body is valid JSON that is an object;
 *  - an error reply names a catalogue code and carries a message;
 *  - no leaks. */
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
static unsigned stored;

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
	if (directory_user_add(
	            &s, &(struct user_input){.email = fuzz_admin.email, .name = "Admin", .role = USER_ROLE_ADMIN}, &u) <
	            0 ||
	    directory_client_add(&s, &(struct client_input){.code = "ACME", .name = "ACME GmbH"}, &c) < 0)
		goto fail;
	fuzz_admin.user_id = u.id;
	arena_release(&a);
	return;
fail:
	fprintf(stderr, "fuzz_retention_bodies: cannot set up the database: %s\n", e.message);
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

static const struct {
	const char *method, *path, *param;
	int (*handler)(struct request *rq);
	unsigned ok;
} targets[] = {
        {"PUT", "/api/v1/privacy/retention/ACME", "ACME", api_retention_put, 200},
        {"POST", "/api/v1/privacy/legal-holds", NULL, api_legal_holds_create, 201},
        {"PUT", "/api/v1/privacy/processing-record/ACME", "ACME", api_processing_record_put, 200},
};

static void check_reply(const uint8_t *data, size_t size, const struct request *rq, unsigned ok)
{
	if (rq->status != ok && (rq->status < 400 || rq->status >= 500))
		fuzz_fail(data, size, "status %u: %.*s", rq->status, (int)rq->resp_len, rq->resp ? rq->resp : "");
	if (!rq->resp)
		fuzz_fail(data, size, "status %u without a body", rq->status);
	json_error_t je;
	json_t *v = json_loadb(rq->resp, rq->resp_len, 0, &je);
	if (!json_is_object(v))
		fuzz_fail(data, size, "the reply is not a JSON object: %s", je.text);
	if (rq->status == ok) {
		json_t *in =
		        json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
		if (!json_is_object(in))
			fuzz_fail(data, size, "accepted a body that is not an object");
		json_decref(in);
	} else {
		json_t *err = json_object_get(v, "error");
		const char *code = json_string_value(json_object_get(err, "code"));
		const char *msg = json_string_value(json_object_get(err, "message"));
		if (!code || !msg || !*msg || err_http_status(code) != (int)rq->status)
			fuzz_fail(data, size, "malformed error reply: %.*s", (int)rq->resp_len, rq->resp);
	}
	json_decref(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size - 1 > LS_MAX_BODY_BYTES)
		return 0;
	unsigned t = data[0] % 3;
	struct request *rq = xcalloc(1, sizeof(*rq));
	arena_init(&rq->arena);
	strbuf_init(&rq->body, LS_MAX_BODY_BYTES);
	rq->method = targets[t].method;
	rq->path = targets[t].path;
	rq->route_index = -1;
	rq->params[0] = targets[t].param;
	if (strbuf_add(&rq->body, data + 1, size - 1) < 0)
		abort();
	rq->actor = fuzz_admin;
	rq->svc = (struct svc){.st = st, .arena = &rq->arena, .actor = &rq->actor, .now = 1795000000, .err = &rq->err};

	int r = targets[t].handler(rq);
	if (rq->status == 0) /* as run_handler() in http.c does */
		reply_error(rq, r < 0 ? r : -EIO);
	check_reply(data, size, rq, targets[t].ok);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "%u %u %.*s\n", t, rq->status, (int)(rq->resp_len < 160 ? rq->resp_len : 160),
		        rq->resp);
	if (rq->status == targets[t].ok && ++stored % 4096 == 0) {
		close_store();
		open_store();
	}
	arena_release(&rq->arena);
	strbuf_release(&rq->body);
	xfree(rq->resp);
	xfree(rq);
	return 0;
}
