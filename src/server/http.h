/* The HTTP edge: the libmicrohttpd daemon, request state, responses. Room: server.
 *
 * Threads: an epoll thread pool (one per core) serves connections; each worker
 * thread lazily opens its own store connection, closed when the thread ends.
 * Slow work (password hashing) runs on a separate worker thread: the connection
 * is suspended, the work done, the connection resumed and answered.
 *
 * Request life: first callback sets up a struct request (with its arena); body
 * chunks are appended up to LS_MAX_BODY_BYTES; the final callback routes,
 * authenticates, runs the handler and queues the response; the completion
 * callback releases everything. Handlers allocate from rq->arena only. */
#pragma once
#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "model/directory.h"
#include "service/svc.h"

struct route;

#define REQUEST_MAX_PARAMS 4

struct request {
	struct arena arena;
	struct MHD_Connection *conn;
	const char *method;
	const char *path; /* without the query string */
	struct strbuf body;
	bool body_too_large;
	uint64_t t0_ns;
	const struct route *route;
	int route_index;                        /* -1 when no route matched */
	const char *params[REQUEST_MAX_PARAMS]; /* path captures, in pattern order */
	struct actor actor;
	const char *token; /* the API token presented (header or session cookie), or NULL */
	bool cookie_auth;  /* authenticated by the session cookie: writes need X-CSRF-Token */
	struct lserr err;
	struct svc svc; /* ready for handlers: store, arena, actor, now, err */
	/* response */
	unsigned status;
	char *resp; /* allocated with xmalloc; handed to MHD */
	size_t resp_len;
	const char *content_type;
	const char *disposition; /* Content-Disposition, or NULL */
	char etag[32];
	const char *set_cookie; /* Set-Cookie value, or NULL */
	ls_time retry_after;    /* > 0: Retry-After seconds (429) */
	bool read_tx;           /* a GET runs in one read transaction */
	/* upload routes: the body goes to a file in the upload directory */
	int upload_fd;     /* -1: none */
	char *upload_path; /* xmalloc'd; removed on completion unless a handler took it (NULL) */
	int64_t upload_bytes;
	bool upload_failed;
	/* slow work */
	int job; /* 0 none, 1 queued, 2 done */
};

struct server_config {
	const char *db_path;
	const char *host;
	uint16_t port;    /* 0: any free port */
	unsigned threads; /* 0: one per core */
	bool hsts;        /* send Strict-Transport-Security: only behind TLS (docs/privacy.md) */
};

struct server;
/* Starts listening; the actual port goes to *ret_port (useful with port 0). */
int server_start(const struct server_config *cfg, struct server **ret, uint16_t *ret_port, struct lserr *e);
/* Stops accepting, finishes in-flight requests, joins threads. Accepts NULL. */
struct server *server_stop(struct server *srv);

/* Response helpers for handlers. Each returns 0 so handlers can `return reply_...`. */
int reply_json(struct request *rq, unsigned status, json_t *body); /* steals body */
int reply_text(struct request *rq, unsigned status, const char *content_type, const char *text);
/* A download: a copy of data[0..n) with Content-Disposition: attachment and filename
 * (which must be a plain name without quotes, as the caller made it). */
int reply_file(struct request *rq, unsigned status, const char *content_type, const void *data, size_t n,
               const char *filename);
/* Error from the lserr in rq->err (or rc when it carries no code). */
int reply_error(struct request *rq, int rc);
int reply_error_full(struct request *rq, const char *code, const char *field, const char *message, const char *hint);
int reply_errorf(struct request *rq, const char *code, const char *field, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* Query parameter or NULL. */
const char *request_query(struct request *rq, const char *name);
const char *request_header(struct request *rq, const char *name);
/* The version named by an If-Match value ("3", W/"3" or 3): >= 1, or -EINVAL. */
int64_t if_match_version(const char *value);
/* Parses the body as a JSON object; on failure replies and returns negative. */
int request_json_object(struct request *rq, json_t **ret);

/* The directory uploads are written to (beside the database: "<db>-uploads"). */
const char *server_upload_dir(void);
