/* Passwords, tokens and actors (see auth.h). Room: service. */
#include "service/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "service/audit.h"
#include "store/dirdb.h"

int auth_init(void)
{
	return sodium_init() < 0 ? -EIO : 0;
}

int auth_password_hash(struct svc *s, const char *password, const char **ret)
{
	size_t len = strlen(password);
	if (len < LS_MIN_PASSWORD_BYTES)
		return lserr_set(s->err, -EINVAL, "invalid_field", "password",
		                 "password is too short: at least %d characters", LS_MIN_PASSWORD_BYTES);
	if (len > LS_MAX_PASSWORD_BYTES)
		return lserr_set(s->err, -EINVAL, "invalid_field", "password", "password is too long");
	char *out = arena_alloc(s->arena, crypto_pwhash_STRBYTES);
	if (crypto_pwhash_str_alg(out, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return lserr_set(s->err, -ENOMEM, "internal", NULL, "password hashing ran out of memory");
	*ret = out;
	return 0;
}

static void token_hash(const char *token, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

static int token_issue(struct svc *s, int64_t user_id, const char *name, ls_time expires_at, const char **ret)
{
	unsigned char raw[32], hash[32];
	randombytes_buf(raw, sizeof(raw));
	char *tok = arena_alloc(s->arena, AUTH_TOKEN_LEN + 1);
	memcpy(tok, "lst_", 4);
	sodium_bin2base64(tok + 4, AUTH_TOKEN_LEN + 1 - 4, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	token_hash(tok, hash);
	int r = dirdb_token_insert(s->st, user_id, hash, name, s->now, expires_at);
	if (r < 0)
		return store_error(s->st, s->err, "storing the token");
	*ret = tok;
	return 0;
}

int auth_token_create(struct svc *s, const char *email, const char *name, ls_time expires_at, const char **ret)
{
	struct user u;
	int r = dirdb_user_by_email(s->st, s->arena, email, &u);
	if (r == -ENOENT)
		return lserr_set(s->err, r, "not_found", "email", "user '%s' does not exist", email);
	if (r < 0)
		return store_error(s->st, s->err, "looking up the user");
	if (!u.active)
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", "email", "user '%s' is deactivated", email);
	if (store_begin(s->st) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	r = token_issue(s, u.id, name, expires_at, ret);
	if (r == 0)
		r = audit_append(s, AUDIT_KIND_PERMISSION_CHANGE, 0, u.email,
		                 json_pack("{s:s,s:s,s:I}", "action", "token_create", "name", name ? name : "",
		                           "expires_at", (json_int_t)expires_at));
	if (r < 0) {
		store_rollback(s->st);
		return r;
	}
	if (store_commit(s->st) < 0)
		return store_error(s->st, s->err, "committing the token");
	return 0;
}

/* Verifying against a dummy hash keeps the time of a wrong email equal to that
 * of a wrong password, so logins cannot probe which emails exist. */
static char dummy[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	unsigned char pw[16];
	randombytes_buf(pw, sizeof(pw));
	if (crypto_pwhash_str_alg(dummy, (const char *)pw, sizeof(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
		dummy[0] = '\0';
}

int auth_login(struct svc *s, const char *email, const char *password, ls_time ttl, const char **ret_token)
{
	pthread_once(&dummy_once, dummy_init);
	struct user u;
	const char *hash = NULL;
	bool known = dirdb_user_by_email(s->st, s->arena, email, &u) == 0 && u.active &&
	             dirdb_user_password_hash(s->st, s->arena, u.id, &hash) == 0;
	int ok = strlen(password) <= LS_MAX_PASSWORD_BYTES &&
	         crypto_pwhash_str_verify(known ? hash : dummy, password, strlen(password)) == 0;
	if (!known || !ok) {
		/* the audit entry names the email given (bounded), never the password */
		char given[LS_MAX_EMAIL_BYTES + 1];
		snprintf(given, sizeof(given), "%s", email);
		if (store_begin(s->st) == 0) {
			if (audit_append_as(s, 0, given, AUDIT_KIND_LOGIN_FAILED, 0, given, NULL) == 0)
				store_commit(s->st);
			else
				store_rollback(s->st);
		}
		return lserr_set(s->err, -LS_EAUTH, "login_failed", NULL, "email or password is wrong");
	}
	if (store_begin(s->st) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	int r = token_issue(s, u.id, "login", s->now + ttl, ret_token);
	if (r == 0)
		r = audit_append_as(s, u.id, u.email, AUDIT_KIND_LOGIN, 0, u.email,
		                    json_pack("{s:s,s:I}", "token", "login", "expires_at", (json_int_t)(s->now + ttl)));
	if (r < 0) {
		store_rollback(s->st);
		return r;
	}
	if (store_commit(s->st) < 0)
		return store_error(s->st, s->err, "committing the login");
	return 0;
}

int auth_actor_for_user(struct svc *s, int64_t user_id, struct actor *ret)
{
	struct user u;
	int r = dirdb_user_by_id(s->st, s->arena, user_id, &u);
	if (r < 0)
		return lserr_set(s->err, -LS_EAUTH, "unauthorized", NULL, "user %lld is gone", (long long)user_id);
	struct actor a = {
	        .user_id = u.id,
	        .email = u.email,
	        .role = u.role,
	        .all_clients = u.role == USER_ROLE_ADMIN,
	};
	if (!a.all_clients) {
		int64_t *ids;
		size_t n;
		r = dirdb_user_grants(s->st, s->arena, u.id, &ids, &n);
		if (r < 0)
			return store_error(s->st, s->err, "loading client grants");
		a.client_ids = ids;
		a.n_clients = n;
		/* an auditor without grants audits the whole installation */
		if (u.role == USER_ROLE_AUDITOR && n == 0)
			a.all_clients = true;
	}
	*ret = a;
	return 0;
}

/* A small per-thread cache of recently seen tokens, so that a burst of requests
 * with one token costs one hash and one lookup per second instead of per request.
 * An entry lives AUTH_CACHE_TTL_S seconds: a grant or role change, or a token
 * deleted in the database, takes effect within that time. Entries hold copies; the
 * actor handed out is copied into the caller's arena, so a later request on the
 * same thread cannot change it under an earlier one. */
#define AUTH_CACHE_SLOTS      16
#define AUTH_CACHE_TTL_S      1
#define AUTH_CACHE_MAX_GRANTS 64

struct cached_actor {
	char token[AUTH_TOKEN_LEN + 1];
	ls_time expires;
	int64_t user_id;
	enum user_role role;
	bool all_clients;
	char email[LS_MAX_EMAIL_BYTES + 1];
	size_t n_clients;
	int64_t client_ids[AUTH_CACHE_MAX_GRANTS];
};

static _Thread_local struct cached_actor actor_cache[AUTH_CACHE_SLOTS];
static _Thread_local unsigned actor_cache_next;

static void actor_from_cache(struct svc *s, const struct cached_actor *c, struct actor *ret)
{
	int64_t *ids = NULL;
	if (c->n_clients) {
		ids = arena_alloc(s->arena, c->n_clients * sizeof(*ids));
		memcpy(ids, c->client_ids, c->n_clients * sizeof(*ids));
	}
	*ret = (struct actor){
	        .user_id = c->user_id,
	        .email = arena_strdup(s->arena, c->email),
	        .role = c->role,
	        .all_clients = c->all_clients,
	        .client_ids = ids,
	        .n_clients = c->n_clients,
	};
}

static void actor_to_cache(const char *token, ls_time now, const struct actor *a)
{
	if (a->n_clients > AUTH_CACHE_MAX_GRANTS || strlen(a->email) > LS_MAX_EMAIL_BYTES)
		return;
	struct cached_actor *c = &actor_cache[actor_cache_next];
	actor_cache_next = (actor_cache_next + 1) % AUTH_CACHE_SLOTS;
	memcpy(c->token, token, AUTH_TOKEN_LEN + 1);
	c->expires = now + AUTH_CACHE_TTL_S;
	c->user_id = a->user_id;
	c->role = a->role;
	c->all_clients = a->all_clients;
	snprintf(c->email, sizeof(c->email), "%s", a->email);
	c->n_clients = a->n_clients;
	if (a->n_clients)
		memcpy(c->client_ids, a->client_ids, a->n_clients * sizeof(int64_t));
}

int auth_actor_from_token(struct svc *s, const char *token, struct actor *ret)
{
	if (strlen(token) != AUTH_TOKEN_LEN || strncmp(token, "lst_", 4) != 0)
		return lserr_set(s->err, -LS_EAUTH, "unauthorized", NULL, "the API token is malformed");
	for (unsigned i = 0; i < AUTH_CACHE_SLOTS; i++) {
		const struct cached_actor *c = &actor_cache[i];
		if (c->expires > s->now && c->expires - AUTH_CACHE_TTL_S <= s->now &&
		    sodium_memcmp(c->token, token, AUTH_TOKEN_LEN) == 0) {
			actor_from_cache(s, c, ret);
			return 0;
		}
	}
	unsigned char hash[32];
	token_hash(token, hash);
	int64_t uid;
	int r = dirdb_token_user(s->st, hash, s->now, &uid);
	if (r == -ENOENT)
		return lserr_set(s->err, -LS_EAUTH, "unauthorized", NULL, "the API token is unknown or expired");
	if (r < 0)
		return store_error(s->st, s->err, "looking up the token");
	r = auth_actor_for_user(s, uid, ret);
	if (r == 0)
		actor_to_cache(token, s->now, ret);
	return r;
}
