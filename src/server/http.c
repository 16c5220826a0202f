/* The libmicrohttpd daemon and request lifecycle (see http.h). Room: server.
 *
 * Invariants:
 *  - the response is queued on the final access-handler call, never the first
 *    (queuing early makes MHD close keep-alive connections);
 *  - a body larger than LS_MAX_BODY_BYTES is drained and answered with 413; it
 *    is never buffered;
 *  - every response, error or not, is counted in metrics with its latency;
 *  - suspended connections are resumed before the daemon stops. */
#include "server/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "server/metrics.h"
#include "server/router.h"
#include "service/audit.h"
#include "service/auth.h"
#include "store/store.h"

struct server {
	struct MHD_Daemon *daemon;
	char *db_path;
	pthread_t slow_thread;
	bool slow_started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct request **queue;
	size_t q_len, q_cap;
	bool stopping;
};

/* Frozen for the life of the server: which database worker threads open. */
static pthread_key_t store_key;
static pthread_once_t store_key_once = PTHREAD_ONCE_INIT;
static const char *server_db_path;
static char *upload_dir;

const char *server_upload_dir(void)
{
	return upload_dir;
}

/* Opens a new file in the upload directory for an upload route. */
static void upload_open(struct request *rq)
{
	if (mkdir(upload_dir, 0700) < 0 && errno != EEXIST) {
		log_error("uploads: cannot create %s: %s", upload_dir, strerror(errno));
		rq->upload_failed = true;
		return;
	}
	char *path = xmalloc(strlen(upload_dir) + 32);
	snprintf(path, strlen(upload_dir) + 32, "%s/upload-XXXXXX", upload_dir);
	int fd = mkstemp(path);
	if (fd < 0) {
		log_error("uploads: cannot create a file in %s: %s", upload_dir, strerror(errno));
		xfree(path);
		rq->upload_failed = true;
		return;
	}
	rq->upload_fd = fd;
	rq->upload_path = path;
}

static void upload_write(struct request *rq, const char *data, size_t n)
{
	if (rq->upload_failed || rq->body_too_large)
		return;
	if (rq->upload_bytes + (int64_t)n > LS_MAX_UPLOAD_BYTES) {
		rq->body_too_large = true;
		return;
	}
	while (n) {
		ssize_t w = write(rq->upload_fd, data, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_error("uploads: writing %s: %s", rq->upload_path, strerror(errno));
			rq->upload_failed = true;
			return;
		}
		data += w;
		n -= (size_t)w;
		rq->upload_bytes += w;
	}
}

static void store_destroy(void *p)
{
	store_close(p);
}

static void store_key_init(void)
{
	pthread_key_create(&store_key, store_destroy);
}

static struct store *thread_store(struct lserr *e)
{
	struct store *st = pthread_getspecific(store_key);
	if (st)
		return st;
	if (store_open(server_db_path, STORE_OPEN_NO_MIGRATE, &st, e) < 0)
		return NULL;
	pthread_setspecific(store_key, st);
	return st;
}

/* ---- responses ---- */

static void set_response(struct request *rq, unsigned status, const char *ctype, char *body, size_t len)
{
	xfree(rq->resp);
	rq->status = status;
	rq->content_type = ctype;
	rq->disposition = NULL;
	rq->resp = body;
	rq->resp_len = len;
}

int reply_json(struct request *rq, unsigned status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(body);
	if (!s) {
		set_response(rq, 500, "application/json", xstrdup("{\"error\":{\"code\":\"internal\"}}"), 29);
		return 0;
	}
	/* jansson allocates with malloc: the buffer can go to MHD as is */
	set_response(rq, status, "application/json", s, strlen(s));
	return 0;
}

int reply_text(struct request *rq, unsigned status, const char *content_type, const char *text)
{
	set_response(rq, status, content_type, xstrdup(text), strlen(text));
	return 0;
}

int reply_file(struct request *rq, unsigned status, const char *content_type, const void *data, size_t n,
               const char *filename)
{
	char *copy = xmalloc(n ? n : 1);
	memcpy(copy, data, n);
	set_response(rq, status, content_type, copy, n);
	rq->disposition = arena_printf(&rq->arena, "attachment; filename=\"%s\"", filename);
	return 0;
}

/* Length of the valid UTF-8 sequence at s (as jansson checks it), 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* A JSON string for error text, which may quote user input cut anywhere
 * (%.60s): json_string() refuses invalid UTF-8, so such bytes become '?'. */
static json_t *error_text(struct request *rq, const char *s)
{
	json_t *v = json_string(s);
	if (v)
		return v;
	size_t n = strlen(s);
	char *out = arena_alloc(&rq->arena, n + 1);
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t k = utf8_len(p);
		if (k == 0) {
			out[o++] = '?';
			p++;
		} else {
			memcpy(out + o, p, k);
			o += k;
			p += k;
		}
	}
	out[o] = '\0';
	return json_string(out);
}

int reply_error_full(struct request *rq, const char *code, const char *field, const char *message, const char *hint)
{
	json_t *err = json_object();
	json_object_set_new(err, "code", json_string(code));
	json_object_set_new(err, "message", error_text(rq, message));
	if (field && *field)
		json_object_set_new(err, "detail", json_pack("{s:o}", "field", error_text(rq, field)));
	if (hint && *hint)
		json_object_set_new(err, "hint", error_text(rq, hint));
	unsigned status = (unsigned)err_http_status(code);
	if (status >= 500)
		log_error("%s %s: %s", rq->method, rq->path, message);
	return reply_json(rq, status, json_pack("{s:o}", "error", err));
}

int reply_error(struct request *rq, int rc)
{
	if (rq->err.code)
		return reply_error_full(rq, rq->err.code, rq->err.field, rq->err.message, rq->err.hint);
	return reply_error_full(rq, "internal", NULL, err_str(rc), NULL);
}

int reply_errorf(struct request *rq, const char *code, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(&rq->arena, fmt, ap);
	va_end(ap);
	return reply_error_full(rq, code, field, msg, NULL);
}

/* Both answer NULL without a connection (a handler called directly, as the fuzz
 * targets do). */
const char *request_query(struct request *rq, const char *name)
{
	return rq->conn ? MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name) : NULL;
}

const char *request_header(struct request *rq, const char *name)
{
	return rq->conn ? MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name) : NULL;
}

int64_t if_match_version(const char *value)
{
	const char *p = value;
	if (strncmp(p, "W/", 2) == 0)
		p += 2;
	size_t n = strlen(p);
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		p++;
		n -= 2;
	}
	char buf[24];
	int64_t v;
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (parse_i64(buf, 1, INT64_MAX, &v) < 0)
		return -EINVAL;
	return v;
}

/* Nesting depth of a parsed value (a scalar is 1). jansson itself stops at 2048. */
static int json_depth(json_t *v)
{
	int max = 0;
	if (json_is_object(v)) {
		const char *k;
		json_t *c;
		json_object_foreach(v, k, c)
		{
			int d = json_depth(c);
			if (d > max)
				max = d;
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *c;
		json_array_foreach(v, i, c)
		{
			int d = json_depth(c);
			if (d > max)
				max = d;
		}
	}
	return max + 1;
}

int request_json_object(struct request *rq, json_t **ret)
{
	if (rq->body.len == 0) {
		reply_errorf(rq, "invalid_json", NULL, "the request body is empty; a JSON object is expected");
		return -EINVAL;
	}
	if (memchr(rq->body.buf, '\0', rq->body.len)) {
		reply_errorf(rq, "invalid_json", NULL, "the request body contains a NUL byte");
		return -EINVAL;
	}
	json_error_t je;
	/* \u0000 is let through the parser so that json_check() can refuse it naming the field */
	json_t *v = json_loadb(rq->body.buf, rq->body.len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
	if (!v) {
		reply_errorf(rq, "invalid_json", NULL, "the body is not valid JSON: %s (line %d, column %d)", je.text,
		             je.line, je.column);
		return -EINVAL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		reply_errorf(rq, "invalid_json", NULL, "the body must be a JSON object");
		return -EINVAL;
	}
	if (json_depth(v) > LS_MAX_JSON_DEPTH) {
		json_decref(v);
		reply_errorf(rq, "invalid_json", NULL, "the body nests deeper than %d levels", LS_MAX_JSON_DEPTH);
		return -EINVAL;
	}
	arena_on_reset(&rq->arena, (void (*)(void *))json_decref, v);
	*ret = v;
	return 0;
}

/* ---- dispatch ---- */

struct query_check {
	struct request *rq;
	const char *bad;
};

static enum MHD_Result check_query_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	(void)value;
	struct query_check *qc = cls;
	const char *const *allowed = qc->rq->route->query;
	for (; allowed && *allowed; allowed++)
		if (strcmp(*allowed, key) == 0)
			return MHD_YES;
	qc->bad = key;
	return MHD_NO;
}

/* Everything up to the handler call: returns false when a response is set already. */
static bool prepare(struct request *rq)
{
	if (rq->upload_path || rq->upload_failed) {
		if (rq->body_too_large) {
			reply_errorf(rq, "body_too_large", NULL, "the file exceeds %lld bytes",
			             (long long)LS_MAX_UPLOAD_BYTES);
			return false;
		}
		if (rq->upload_failed || fsync(rq->upload_fd) < 0) {
			reply_errorf(rq, "internal", NULL, "the upload could not be stored");
			return false;
		}
	} else if (rq->body_too_large) {
		reply_errorf(rq, "body_too_large", NULL, "the request body exceeds %d bytes", LS_MAX_BODY_BYTES);
		return false;
	}
	enum route_match m = router_match(rq->method, rq->path, &rq->route_index, rq->params, &rq->arena);
	if (m == ROUTE_NO_PATH) {
		reply_errorf(rq, "route_not_found", NULL, "no endpoint '%.200s'", rq->path);
		return false;
	}
	if (m == ROUTE_WRONG_METHOD) {
		reply_errorf(rq, "method_not_allowed", NULL, "'%.200s' does not accept %s", rq->path, rq->method);
		return false;
	}
	rq->route = &routes[rq->route_index];
	struct query_check qc = {rq, NULL};
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, check_query_arg, &qc);
	if (qc.bad) {
		reply_errorf(rq, "invalid_parameter", qc.bad, "unknown query parameter '%.60s'", qc.bad);
		return false;
	}
	if (rq->route->flags & ROUTE_UPLOAD) {
		/* any content type: the importer tells formats apart */
	} else if (rq->route->flags & ROUTE_BODY) {
		const char *ct = request_header(rq, MHD_HTTP_HEADER_CONTENT_TYPE);
		/* curl -d labels JSON as a form; the body is read as JSON all the same */
		if (ct && strncasecmp(ct, "application/json", 16) != 0 &&
		    strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
			reply_errorf(rq, "unsupported_media_type", NULL, "content type '%.80s' is not application/json",
			             ct);
			return false;
		}
	} else if (rq->body.len > 0) {
		reply_errorf(rq, "invalid_json", NULL, "%s %s takes no request body", rq->method, rq->route->pattern);
		return false;
	}
	rq->svc.arena = &rq->arena;
	rq->svc.err = &rq->err;
	rq->svc.now = time_now();
	rq->svc.actor = &rq->actor;
	rq->svc.st = thread_store(&rq->err);
	if (!rq->svc.st) {
		reply_error(rq, -LS_EDB);
		rq->status = 503;
		return false;
	}
	/* a read sees one snapshot from the token check to the last query, and takes
	 * SQLite's shared lock once rather than once per statement */
	if (strcmp(rq->method, "GET") == 0 && !(rq->route->flags & ROUTE_SLOW) && store_begin_read(rq->svc.st) == 0)
		rq->read_tx = true;
	if (rq->route->flags & ROUTE_PUBLIC)
		return true;
	const char *authz = request_header(rq, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *tok = NULL;
	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		tok = authz + 7;
		while (*tok == ' ')
			tok++;
	} else if (!authz) {
		/* a browser session: the token in the HttpOnly cookie the login set */
		tok = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, AUTH_SESSION_COOKIE);
		rq->cookie_auth = tok != NULL;
	}
	if (!tok) {
		reply_errorf(rq, "unauthorized", NULL, "an API token is required: Authorization: Bearer <token>");
		return false;
	}
	if (auth_actor_from_token(&rq->svc, tok, &rq->actor) < 0) {
		reply_error(rq, -LS_EAUTH);
		return false;
	}
	rq->token = tok;
	/* a cookie rides along with any request the browser makes, a forged one from
	 * another site too; the CSRF token it got at login does not */
	if (rq->cookie_auth && strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0 &&
	    !auth_csrf_valid(tok, request_header(rq, "X-CSRF-Token"))) {
		reply_errorf(rq, "csrf_failed", "X-CSRF-Token",
		             "a write with the session cookie needs the X-CSRF-Token header from the login");
		return false;
	}
	unsigned have = role_permissions(rq->actor.role);
	if ((have & rq->route->perm) != rq->route->perm) {
		reply_errorf(rq, "forbidden", NULL, "role %s may not %s %s", user_role_to_string(rq->actor.role),
		             rq->method, rq->route->pattern);
		return false;
	}
	rq->svc.audit = arena_alloc(&rq->arena, sizeof(*rq->svc.audit));
	memset(rq->svc.audit, 0, sizeof(*rq->svc.audit));
	return true;
}

/* ---- audit ---- */

/* The path parameters by the names the route pattern gives them. */
static json_t *audit_params(const struct request *rq)
{
	json_t *o = json_object();
	unsigned k = 0;
	for (const char *p = rq->route->pattern; (p = strchr(p, '{')) && k < REQUEST_MAX_PARAMS; k++) {
		const char *end = strchr(p, '}');
		if (!end || !rq->params[k])
			break;
		char name[32];
		snprintf(name, sizeof(name), "%.*s", (int)(end - p - 1), p + 1);
		json_t *v = json_string(rq->params[k]); /* NULL for invalid UTF-8 */
		json_object_set_new(o, name, v ? v : json_null());
		p = end;
	}
	return o;
}

/* Runs inside the handler's write transaction before COMMIT: the request's
 * api_write entry commits with the change or not at all. Once per request. */
static int audit_write_hook(struct store *st, void *ctx)
{
	(void)st;
	struct request *rq = ctx;
	struct audit_notes *n = rq->svc.audit;
	if (n->written)
		return 0;
	n->written = true;
	const char *subject = n->subject ? n->subject : (rq->params[0] ? rq->params[0] : "");
	json_t *detail = json_pack("{s:s,s:s,s:o,s:i}", "method", rq->method, "route", rq->route->pattern, "params",
	                           audit_params(rq), "status", (int)rq->route->ok_status);
	return audit_append(&rq->svc, AUDIT_KIND_API_WRITE, n->client_id, subject, detail);
}

static void run_handler(struct request *rq)
{
	bool write = rq->svc.audit && strcmp(rq->method, "GET") != 0;
	if (write)
		store_set_commit_hook(rq->svc.st, audit_write_hook, rq);
	int r = rq->route->handler(rq);
	if (write)
		store_set_commit_hook(rq->svc.st, NULL, NULL);
	if (rq->status == 0) /* a handler that failed without replying */
		reply_error(rq, r < 0 ? r : -EIO);
	if ((rq->route->flags & ROUTE_PERSONAL) && rq->status < 300 && rq->svc.audit && rq->svc.audit->n_reads) {
		/* personal data leaves only with its audit entry: without one, no answer */
		if (rq->read_tx) {
			store_commit(rq->svc.st);
			rq->read_tx = false;
		}
		char what[128];
		snprintf(what, sizeof(what), "%s %s", rq->method, rq->route->pattern);
		if (audit_record_reads(&rq->svc, what) < 0) {
			log_error("%s %s: the audit entry could not be written: %s", rq->method, rq->path,
			          rq->err.message);
			lserr_clear(&rq->err);
			reply_errorf(rq, "unavailable", NULL, "the request could not be recorded in the audit log");
		}
	}
}

/* ---- slow work ---- */

static void *slow_main(void *arg)
{
	struct server *srv = arg;
	pthread_mutex_lock(&srv->lock);
	for (;;) {
		while (srv->q_len == 0 && !srv->stopping)
			pthread_cond_wait(&srv->cond, &srv->lock);
		if (srv->q_len == 0 && srv->stopping)
			break;
		struct request *rq = srv->queue[0];
		memmove(srv->queue, srv->queue + 1, (srv->q_len - 1) * sizeof(*srv->queue));
		srv->q_len--;
		pthread_mutex_unlock(&srv->lock);
		rq->svc.st = thread_store(&rq->err);
		if (rq->svc.st)
			run_handler(rq);
		else
			reply_error(rq, -LS_EDB);
		rq->job = 2;
		MHD_resume_connection(rq->conn);
		pthread_mutex_lock(&srv->lock);
	}
	pthread_mutex_unlock(&srv->lock);
	return NULL;
}

static bool slow_enqueue(struct server *srv, struct request *rq)
{
	pthread_mutex_lock(&srv->lock);
	if (srv->stopping || srv->q_len >= 1024) {
		pthread_mutex_unlock(&srv->lock);
		return false;
	}
	if (srv->q_len == srv->q_cap) {
		srv->q_cap = srv->q_cap ? srv->q_cap * 2 : 16;
		srv->queue = xrealloc(srv->queue, srv->q_cap * sizeof(*srv->queue));
	}
	srv->queue[srv->q_len++] = rq;
	rq->job = 1;
	MHD_suspend_connection(rq->conn);
	pthread_cond_signal(&srv->cond);
	pthread_mutex_unlock(&srv->lock);
	return true;
}

/* ---- MHD callbacks ---- */

/* Sent with every answer: nothing here is a page to render, frame or cache, and
 * no answer names where the caller came from (docs/privacy.md, Security). */
static const struct {
	const char *name, *value;
} security_headers[] = {
        {MHD_HTTP_HEADER_CACHE_CONTROL, "no-store"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"},
        {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
};
static bool send_hsts;

static enum MHD_Result queue(struct request *rq)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(rq->resp_len, rq->resp, MHD_RESPMEM_MUST_FREE);
	rq->resp = NULL;
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        rq->content_type ? rq->content_type : "application/json");
	for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		MHD_add_response_header(resp, security_headers[i].name, security_headers[i].value);
	if (send_hsts)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_STRICT_TRANSPORT_SECURITY, "max-age=31536000");
	if (rq->set_cookie)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, rq->set_cookie);
	if (rq->retry_after > 0) {
		char ra[24];
		snprintf(ra, sizeof(ra), "%lld", (long long)rq->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	if (rq->etag[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, rq->etag);
	if (rq->disposition)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, rq->disposition);
	if (rq->status == 401)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"leitstand\"");
	enum MHD_Result ret = MHD_queue_response(rq->conn, rq->status, resp);
	MHD_destroy_response(resp);
	metrics_record(rq->route_index, rq->status, time_mono_ns() - rq->t0_ns);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	(void)version;
	struct server *srv = cls;
	struct request *rq = *con_cls;
	if (!rq) {
		rq = xcalloc(1, sizeof(*rq));
		arena_init(&rq->arena);
		strbuf_init(&rq->body, LS_MAX_BODY_BYTES);
		rq->conn = conn;
		rq->method = method;
		rq->path = url;
		rq->route_index = -1;
		rq->upload_fd = -1;
		rq->t0_ns = time_mono_ns();
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		int64_t clen;
		int ri;
		const char *params[REQUEST_MAX_PARAMS];
		bool to_file = router_match(method, url, &ri, params, &rq->arena) == ROUTE_MATCHED &&
		               (routes[ri].flags & ROUTE_UPLOAD);
		if (cl && parse_i64(cl, 0, INT64_MAX, &clen) == 0 &&
		    clen > (to_file ? LS_MAX_UPLOAD_BYTES : LS_MAX_BODY_BYTES))
			rq->body_too_large = true;
		if (to_file && !rq->body_too_large)
			upload_open(rq);
		*con_cls = rq;
		return MHD_YES;
	}
	if (*upload_size && rq->upload_path) {
		upload_write(rq, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!rq->body_too_large && strbuf_add(&rq->body, upload, *upload_size) < 0) {
			rq->body_too_large = true;
			strbuf_release(&rq->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->job == 2)
		return queue(rq);
	if (rq->job == 1)
		return MHD_YES; /* spurious call while suspended */
	if (prepare(rq)) {
		if ((rq->route->flags & ROUTE_SLOW)) {
			if (slow_enqueue(srv, rq))
				return MHD_YES;
			reply_errorf(rq, "unavailable", NULL, "the server is busy; try again");
		} else {
			run_handler(rq);
		}
	}
	if (rq->read_tx) {
		store_commit(rq->svc.st);
		rq->read_tx = false;
	}
	return queue(rq);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct request *rq = *con_cls;
	if (!rq)
		return;
	arena_release(&rq->arena);
	strbuf_release(&rq->body);
	if (rq->upload_fd >= 0)
		close(rq->upload_fd);
	if (rq->upload_path) {
		unlink(rq->upload_path);
		xfree(rq->upload_path);
	}
	xfree(rq->resp);
	xfree(rq);
	*con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char buf[512];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t n = strlen(buf);
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	log_warn("http: %s", buf);
}

int server_start(const struct server_config *cfg, struct server **ret, uint16_t *ret_port, struct lserr *e)
{
	pthread_once(&store_key_once, store_key_init);
	if (auth_init() < 0)
		return lserr_set(e, -EIO, "internal", NULL, "libsodium failed to initialise");
	/* open once here so that a bad database fails start-up, not the first request */
	struct store *probe = NULL;
	int r = store_open(cfg->db_path, STORE_OPEN_NO_MIGRATE, &probe, e);
	if (r < 0)
		return r;
	store_close(probe);

	struct server *srv = xcalloc(1, sizeof(*srv));
	srv->db_path = xstrdup(cfg->db_path);
	server_db_path = srv->db_path;
	xfree(upload_dir);
	size_t ul = strlen(cfg->db_path) + 16;
	upload_dir = xmalloc(ul);
	snprintf(upload_dir, ul, "%s-uploads", cfg->db_path);
	pthread_mutex_init(&srv->lock, NULL);
	pthread_cond_init(&srv->cond, NULL);
	metrics_init(routes_count);
	send_hsts = cfg->hsts;

	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	if (inet_pton(AF_INET, cfg->host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(cfg->port);
	} else if (inet_pton(AF_INET6, cfg->host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(cfg->port);
		flags |= MHD_USE_IPv6;
	} else {
		server_stop(srv);
		return lserr_set(e, -EINVAL, "invalid_field", "listen", "'%s' is not an IPv4 or IPv6 address",
		                 cfg->host);
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = cfg->threads ? cfg->threads : (unsigned)(cores > 0 ? cores : 2);
	srv->daemon = MHD_start_daemon(
	        flags, cfg->port, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, threads,
	        MHD_OPTION_CONNECTION_LIMIT, (unsigned)LS_MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
	        (unsigned)LS_CONNECTION_TIMEOUT_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_END);
	if (!srv->daemon) {
		server_stop(srv);
		return lserr_set(e, -EADDRINUSE, "internal", "listen", "cannot listen on %s:%u (in use or not allowed)",
		                 cfg->host, cfg->port);
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (ret_port)
		*ret_port = info ? info->port : cfg->port;
	if (pthread_create(&srv->slow_thread, NULL, slow_main, srv) != 0) {
		server_stop(srv);
		return lserr_set(e, -EAGAIN, "internal", NULL, "cannot start the worker thread");
	}
	srv->slow_started = true;
	*ret = srv;
	return 0;
}

struct server *server_stop(struct server *srv)
{
	if (!srv)
		return NULL;
	if (srv->daemon)
		MHD_quiesce_daemon(srv->daemon);
	pthread_mutex_lock(&srv->lock);
	srv->stopping = true;
	pthread_cond_broadcast(&srv->cond);
	pthread_mutex_unlock(&srv->lock);
	if (srv->slow_started)
		pthread_join(srv->slow_thread, NULL); /* drains the queue: every suspended connection is resumed */
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	/* the main thread may have opened a store too (it did not here, but be safe) */
	struct store *st = pthread_getspecific(store_key);
	if (st) {
		store_close(st);
		pthread_setspecific(store_key, NULL);
	}
	pthread_mutex_destroy(&srv->lock);
	pthread_cond_destroy(&srv->cond);
	xfree(srv->queue);
	xfree(srv->db_path);
	metrics_free();
	xfree(srv);
	return NULL;
}
