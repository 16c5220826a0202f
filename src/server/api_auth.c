/* Health, metrics, the OpenAPI document, login, logout, API tokens and the
 * caller's identity. Room: server.
 *
 * Login rate limiting has two parts. The account lockout lives in the service
 * (auth_login: stored, survives a restart). The per-address token bucket lives
 * here, in memory: every failed or refused login from an address takes a token,
 * LS_LOGIN_IP_BURST at most, one more every LS_LOGIN_IP_REFILL_S seconds; an
 * address without tokens gets 429 without its password being checked. Memory is
 * enough for it: a restart refills the buckets, which lets an attacker at most
 * LS_LOGIN_IP_BURST more guesses per restart, and each account still locks after
 * LS_LOGIN_MAX_FAILURES. Addresses are keyed by IPv4 address or IPv6 /64, hashed
 * with a random key into LS_LOGIN_IP_SLOTS slots (a colliding address resets the
 * slot: the per-account lockout still holds). The address is the TCP peer: behind
 * a reverse proxy every client shares the proxy's bucket (docs/privacy.md). */
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <sys/socket.h>

#include "core/limits.h"
#include "core/parse.h"
#include "core/strbuf.h"
#include "server/api.h"
#include "server/json.h"
#include "server/metrics.h"
#include "server/openapi.h"
#include "service/auth.h"
#include "store/dirdb.h"
#include "store/store.h"

#define LOGIN_TTL_S (12 * 3600)

struct ip_bucket {
	unsigned char key[8]; /* IPv4 address, or IPv6 /64 prefix */
	bool used;
	int tokens;
	ls_time refilled; /* when tokens were last topped up */
};

static struct ip_bucket ip_buckets[LS_LOGIN_IP_SLOTS];
static unsigned char ip_hash_key[crypto_shorthash_KEYBYTES];
static pthread_mutex_t ip_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t ip_once = PTHREAD_ONCE_INIT;

static void ip_init(void)
{
	randombytes_buf(ip_hash_key, sizeof(ip_hash_key));
}

/* The request's address key; false when there is none (no connection: tests). */
static bool ip_key(struct request *rq, unsigned char key[8])
{
	if (!rq->conn)
		return false;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return false;
	memset(key, 0, 8);
	if (ci->client_addr->sa_family == AF_INET) {
		memcpy(key, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, 4);
		return true;
	}
	if (ci->client_addr->sa_family == AF_INET6) {
		memcpy(key, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, 8);
		return true;
	}
	return false;
}

/* The address's bucket, topped up to `now` (ip_lock held). */
static struct ip_bucket *ip_bucket(const unsigned char key[8], ls_time now)
{
	unsigned char h[crypto_shorthash_BYTES];
	crypto_shorthash(h, key, 8, ip_hash_key);
	uint64_t slot;
	memcpy(&slot, h, sizeof(slot));
	struct ip_bucket *b = &ip_buckets[slot % LS_LOGIN_IP_SLOTS];
	if (!b->used || memcmp(b->key, key, 8) != 0) {
		*b = (struct ip_bucket){.used = true, .tokens = LS_LOGIN_IP_BURST, .refilled = now};
		memcpy(b->key, key, 8);
	}
	if (now > b->refilled) {
		ls_time k = (now - b->refilled) / LS_LOGIN_IP_REFILL_S;
		if (k > 0) {
			b->tokens = b->tokens + k >= LS_LOGIN_IP_BURST ? LS_LOGIN_IP_BURST : b->tokens + (int)k;
			b->refilled += k * LS_LOGIN_IP_REFILL_S;
		}
	}
	if (b->tokens >= LS_LOGIN_IP_BURST)
		b->refilled = now;
	return b;
}

/* 0 when the address may try a login, else the seconds until it may. */
static ls_time ip_wait(struct request *rq)
{
	unsigned char key[8];
	if (!ip_key(rq, key))
		return 0;
	pthread_once(&ip_once, ip_init);
	pthread_mutex_lock(&ip_lock);
	const struct ip_bucket *b = ip_bucket(key, rq->svc.now);
	ls_time wait = 0;
	if (b->tokens <= 0) {
		wait = b->refilled + LS_LOGIN_IP_REFILL_S - rq->svc.now;
		if (wait < 1)
			wait = 1;
	}
	pthread_mutex_unlock(&ip_lock);
	return wait;
}

/* Takes a token for a failed or refused login; true when that emptied the bucket. */
static bool ip_take(struct request *rq)
{
	unsigned char key[8];
	if (!ip_key(rq, key))
		return false;
	pthread_once(&ip_once, ip_init);
	pthread_mutex_lock(&ip_lock);
	struct ip_bucket *b = ip_bucket(key, rq->svc.now);
	bool emptied = b->tokens == 1;
	if (b->tokens > 0)
		b->tokens--;
	pthread_mutex_unlock(&ip_lock);
	return emptied;
}

int api_healthz(struct request *rq)
{
	return reply_json(rq, 200, json_pack("{s:s,s:i}", "status", "ok", "schema", store_schema_version(rq->svc.st)));
}

int api_metrics(struct request *rq)
{
	struct strbuf sb = STRBUF_INIT_MAX(16 * 1024 * 1024);
	metrics_render(&sb);
	size_t len;
	char *text = strbuf_detach(&sb, &len);
	reply_text(rq, 200, "text/plain; version=0.0.4", text);
	xfree(text);
	return 0;
}

int api_openapi(struct request *rq)
{
	return reply_json(rq, 200, openapi_document());
}

int api_login(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"email", JF_STRING, true, 0, LS_MAX_EMAIL_BYTES},
	        {"password", JF_STRING, true, 0, LS_MAX_PASSWORD_BYTES},
	        {"session", JF_BOOL, false},
	        {NULL},
	};
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0)
		return -EINVAL;
	const char *email = jstr(body, "email");
	ls_time wait = ip_wait(rq);
	if (wait > 0) {
		rq->retry_after = wait;
		return reply_errorf(rq, "login_locked", NULL,
		                    "too many failed logins from this address: try again in %lld seconds",
		                    (long long)wait);
	}
	const char *token;
	ls_time retry = 0;
	int r = auth_login(&rq->svc, email, jstr(body, "password"), LOGIN_TTL_S, &token, &retry);
	if (r < 0) {
		if ((r == -LS_EAUTH || r == -EAGAIN) && ip_take(rq)) {
			struct lserr keep = rq->err;
			auth_record_address_throttled(&rq->svc, email);
			rq->err = keep;
		}
		if (r == -EAGAIN)
			rq->retry_after = retry;
		return reply_error(rq, r);
	}
	json_t *out =
	        json_pack("{s:s,s:o}", "token_type", "Bearer", "expires_at", json_time(rq->svc.now + LOGIN_TTL_S));
	if (json_is_true(json_object_get(body, "session"))) {
		/* the token goes into an HttpOnly cookie only: script cannot read it */
		char csrf[AUTH_CSRF_LEN + 1];
		auth_csrf_token(token, csrf);
		rq->set_cookie =
		        arena_printf(&rq->arena, "%s=%s; Max-Age=%d; Path=/api; HttpOnly; Secure; SameSite=Strict",
		                     AUTH_SESSION_COOKIE, token, LOGIN_TTL_S);
		json_object_set_new(out, "token_type", json_string("Cookie"));
		json_object_set_new(out, "csrf_token", json_string(csrf));
	} else {
		json_object_set_new(out, "token", json_string(token));
	}
	return reply_json(rq, 200, out);
}

static json_t *json_token(const struct api_token *t)
{
	return json_pack("{s:I,s:s,s:s,s:o,s:o,s:o}", "id", (json_int_t)t->id, "user", t->user_email, "name",
	                 t->name ? t->name : "", "created_at", json_time(t->created_at), "expires_at",
	                 json_time(t->expires_at), "revoked_at", json_time(t->revoked_at));
}

int api_tokens_list(struct request *rq)
{
	struct api_token *v;
	size_t n;
	int r = auth_token_list(&rq->svc, &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_token(&v[i]));
	return reply_json(rq, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

int api_tokens_revoke(struct request *rq)
{
	int64_t id;
	if (parse_i64(rq->params[0], 1, INT64_MAX, &id) < 0)
		return reply_errorf(rq, "not_found", "id", "token '%.30s' does not exist", rq->params[0]);
	struct api_token t;
	int r = auth_token_revoke(&rq->svc, id, &t);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 200, json_token(&t));
}

int api_logout(struct request *rq)
{
	int64_t id;
	struct api_token t;
	int r = auth_token_id(&rq->svc, rq->token, &id);
	if (r == 0)
		r = auth_token_revoke(&rq->svc, id, &t);
	if (r < 0)
		return reply_error(rq, r);
	if (rq->cookie_auth)
		rq->set_cookie = AUTH_SESSION_COOKIE "=; Max-Age=0; Path=/api; HttpOnly; Secure; SameSite=Strict";
	return reply_json(rq, 200, json_token(&t));
}

int api_me(struct request *rq)
{
	json_t *o = json_pack("{s:s,s:s}", "email", rq->actor.email, "role", user_role_to_string(rq->actor.role));
	return reply_json(rq, 200, o);
}
