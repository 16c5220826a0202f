/* Fuzz target for the request bodies of the vendor and token routes: the first
 * byte picks the handler, the rest is the body, run through the real handler on
 * an in-memory database (one admin, clients SWN and NORD, vendor PRINTFIX):
 *   0: POST /api/v1/vendors (api_vendors_create)
 *   1: POST /api/v1/users   (api_users_create, with "vendor"; a body naming a
 *      password is skipped: hashing costs 0.1 s and is not parsing)
 *   2: POST /api/v1/auth/login (api_login, "session" included) for an email that
 *      is locked, so that no password is hashed: the body parser and the lockout
 *      path run, the password check does not
 *   3: PATCH /api/v1/tickets/{number} (api_tickets_update, "vendor" included)
 *
 * Properties: the handler always answers 2xx or 4xx (a body can't cause an
 * internal error); the answer is a JSON object, an error one with a catalogue code
 * matching the status; no leaks. The database is recreated every few thousand
 * writes to bound memory. */
#define _GNU_SOURCE /* memmem */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "server/api.h"
#include "service/auth.h"
#include "service/directory.h"
#include "service/tickets.h"
#include "service/vendors.h"
#include "store/dirdb.h"
#include "store/store.h"
#include "fuzz.h"

static struct store *st;
static unsigned written;
static char number[24];

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
	struct vendor v;
	struct ticket t;
	if (directory_user_add(
	            &s, &(struct user_input){.email = fuzz_admin.email, .name = "Admin", .role = USER_ROLE_ADMIN}, &u) <
	            0 ||
	    directory_client_add(&s, &(struct client_input){.code = "SWN", .name = "Stadtwerke Nordhafen"}, &c) < 0 ||
	    directory_client_add(&s, &(struct client_input){.code = "NORD", .name = "Nord AG"}, &c) < 0 ||
	    vendors_add(&s,
	                &(struct vendor_input){.code = "PRINTFIX",
	                                       .name = "Printfix",
	                                       .clients = (const char *const[]){"SWN"},
	                                       .n_clients = 1},
	                &v) < 0 ||
	    tickets_create(&s, &(struct ticket_input){.client = "SWN", .title = "fuzz", .channel = -1}, &t) < 0)
		goto fail;
	snprintf(number, sizeof(number), "%s", t.number);
	/* every login below is for this email, locked for good: no password is hashed */
	struct login_throttle th = {.lockouts = 1, .locked_until = (ls_time)1 << 40};
	if (dirdb_login_throttle_put(st, "locked@leitstand.example", &th, s.now) < 0)
		goto fail;
	fuzz_admin.user_id = u.id;
	arena_release(&a);
	return;
fail:
	fprintf(stderr, "fuzz_vendor_body: cannot set up the database: %s\n", e.message);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (auth_init() < 0)
		abort();
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

/* A login body for the locked account: its "email" is replaced, the rest stays. */
static bool lock_login(struct request *rq)
{
	json_t *v = json_loadb(rq->body.buf, rq->body.len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
	if (!json_is_object(v)) {
		json_decref(v);
		return true; /* not an object: the parser refuses it before any login */
	}
	if (json_is_string(json_object_get(v, "email")))
		json_object_set_new(v, "email", json_string("locked@leitstand.example"));
	char *s = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	if (!s)
		return false;
	strbuf_reset(&rq->body);
	bool ok = strbuf_add(&rq->body, s, strlen(s)) == 0;
	free(s);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > LS_MAX_BODY_BYTES)
		return 0; /* the HTTP layer answers 413 before a handler sees it */
	unsigned which = data[0] % 4;
	if (which == 1 && memmem(data, size, "password", 8))
		return 0;
	struct request *rq = xcalloc(1, sizeof(*rq));
	arena_init(&rq->arena);
	strbuf_init(&rq->body, LS_MAX_BODY_BYTES);
	rq->method = which == 3 ? "PATCH" : "POST";
	rq->route_index = -1;
	if (strbuf_add(&rq->body, data + 1, size - 1) < 0)
		abort();
	rq->actor = fuzz_admin;
	rq->svc = (struct svc){.st = st, .arena = &rq->arena, .actor = &rq->actor, .now = 1795000000, .err = &rq->err};
	int r = 0;
	bool ran = true;
	switch (which) {
	case 0:
		rq->path = "/api/v1/vendors";
		r = api_vendors_create(rq);
		break;
	case 1:
		rq->path = "/api/v1/users";
		r = api_users_create(rq);
		break;
	case 2:
		rq->path = "/api/v1/auth/login";
		if ((ran = lock_login(rq)))
			r = api_login(rq);
		break;
	default:
		rq->path = "/api/v1/tickets/{number}";
		rq->params[0] = number;
		r = api_tickets_update(rq);
		break;
	}
	if (ran) {
		if (rq->status == 0) /* as run_handler() in http.c does */
			reply_error(rq, r < 0 ? r : -EIO);
		check_reply(data, size, rq);
		if (which == 2 && rq->status == 200)
			fuzz_fail(data, size, "a login of the locked account succeeded");
		if (getenv("FUZZ_VERBOSE"))
			fprintf(stderr, "%u %u %.*s\n", which, rq->status,
			        (int)(rq->resp_len < 160 ? rq->resp_len : 160), rq->resp);
		if (rq->status < 300 && which != 2 && ++written % 2048 == 0) {
			close_store();
			open_store();
		}
	}
	arena_release(&rq->arena);
	strbuf_release(&rq->body);
	xfree(rq->resp);
	xfree(rq);
	return 0;
}
