/* Passwords, tokens and actors (see auth.h). Room: service. */
#include "service/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
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

static int token_issue(struct svc *s, int64_t user_id, const char *name, ls_time expires_at, const char **ret,
                       int64_t *ret_id)
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
	if (ret_id)
		*ret_id = store_last_insert_id(s->st);
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
	r = token_issue(s, u.id, name, expires_at, ret, NULL);
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

/* Appends one login-related entry in a transaction of its own; a failure to
 * write it does not change the login's answer (the attempt failed anyway). */
static void audit_login_event(struct svc *s, enum audit_kind kind, const char *given, json_t *detail)
{
	if (store_begin(s->st) < 0) {
		json_decref(detail);
		return;
	}
	int r = audit_append_as(s, 0, given, kind, 0, given, detail);
	if (r == 0)
		store_commit(s->st);
	else
		store_rollback(s->st);
}

/* A failed login counted, and the account locked at the limit, in one write
 * transaction: the count is read inside it, so concurrent failures all count. */
static void record_failure(struct svc *s, const char *given)
{
	if (store_begin(s->st) < 0)
		return;
	struct login_throttle th;
	json_t *lock = NULL;
	int r = dirdb_login_throttle_get(s->st, given, &th);
	if (r == 0 && ++th.failures >= LS_LOGIN_MAX_FAILURES) {
		th.failures = 0;
		th.lockouts++;
		th.locked_until = s->now + auth_lockout_seconds(th.lockouts);
		lock = json_pack("{s:s,s:I,s:i}", "scope", "account", "locked_until", (json_int_t)th.locked_until,
		                 "lockouts", th.lockouts);
	}
	if (r == 0)
		r = dirdb_login_throttle_put(s->st, given, &th, s->now);
	if (r == 0)
		r = audit_append_as(s, 0, given, AUDIT_KIND_LOGIN_FAILED, 0, given, NULL);
	if (r == 0 && lock) {
		r = audit_append_as(s, 0, given, AUDIT_KIND_LOGIN_LOCKED, 0, given, lock);
		lock = NULL;
	}
	json_decref(lock);
	if (r == 0)
		store_commit(s->st);
	else
		store_rollback(s->st);
}

static int locked(struct svc *s, ls_time until, ls_time *ret_retry_after)
{
	if (ret_retry_after)
		*ret_retry_after = until - s->now;
	lserr_set(s->err, -EAGAIN, "login_locked", NULL,
	          "too many failed logins: this account is locked for %lld more seconds", (long long)(until - s->now));
	lserr_hint(s->err, "wait, or ask an administrator: leitstand user unlock --email EMAIL");
	return -EAGAIN;
}

ls_time auth_lockout_seconds(int lockouts)
{
	ls_time t = LS_LOGIN_LOCK_S;
	for (int i = 1; i < lockouts && t < LS_LOGIN_LOCK_MAX_S; i++)
		t *= 2;
	return t < LS_LOGIN_LOCK_MAX_S ? t : LS_LOGIN_LOCK_MAX_S;
}

int auth_login(struct svc *s, const char *email, const char *password, ls_time ttl, const char **ret_token,
               ls_time *ret_retry_after)
{
	pthread_once(&dummy_once, dummy_init);
	/* the audit entries name the email given (bounded), never the password */
	char given[LS_MAX_EMAIL_BYTES + 1];
	snprintf(given, sizeof(given), "%s", email);
	struct login_throttle th;
	if (dirdb_login_throttle_get(s->st, given, &th) < 0)
		return store_error(s->st, s->err, "reading the login throttle");
	if (th.locked_until > s->now) {
		/* locked: the password is not even checked, so guessing goes no further */
		audit_login_event(
		        s, AUDIT_KIND_LOGIN_LOCKED, given,
		        json_pack("{s:s,s:I}", "scope", "account", "locked_until", (json_int_t)th.locked_until));
		return locked(s, th.locked_until, ret_retry_after);
	}
	struct user u;
	const char *hash = NULL;
	bool known = dirdb_user_by_email(s->st, s->arena, email, &u) == 0 && u.active &&
	             dirdb_user_password_hash(s->st, s->arena, u.id, &hash) == 0;
	int ok = strlen(password) <= LS_MAX_PASSWORD_BYTES &&
	         crypto_pwhash_str_verify(known ? hash : dummy, password, strlen(password)) == 0;
	if (!known || !ok) {
		/* unknown emails count and lock alike, so a lockout tells nothing about existence */
		record_failure(s, given);
		return lserr_set(s->err, -LS_EAUTH, "login_failed", NULL, "email or password is wrong");
	}
	if (store_begin(s->st) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	int r = token_issue(s, u.id, "login", s->now + ttl, ret_token, NULL);
	if (r == 0 && (th.failures || th.lockouts) && dirdb_login_throttle_clear(s->st, given) < 0)
		r = store_error(s->st, s->err, "clearing the login throttle");
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

void auth_record_address_throttled(struct svc *s, const char *email)
{
	char given[LS_MAX_EMAIL_BYTES + 1];
	snprintf(given, sizeof(given), "%s", email);
	audit_login_event(s, AUDIT_KIND_LOGIN_LOCKED, given, json_pack("{s:s}", "scope", "address"));
}

int auth_unlock(struct svc *s, const char *email)
{
	lserr_clear(s->err);
	if (store_begin(s->st) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	int r = dirdb_login_throttle_clear(s->st, email);
	bool changed = r == 0 && store_changes(s->st) > 0;
	if (r < 0)
		r = store_error(s->st, s->err, "clearing the login throttle");
	else if (changed)
		r = audit_append(s, AUDIT_KIND_PERMISSION_CHANGE, 0, email,
		                 json_pack("{s:s}", "action", "login_unlock"));
	if (r < 0) {
		store_rollback(s->st);
		return r;
	}
	if (store_commit(s->st) < 0)
		return store_error(s->st, s->err, "committing the unlock");
	if (!changed)
		return lserr_set(s->err, -ENOENT, "not_found", "email", "no failed logins are recorded for '%s'",
		                 email);
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
	        .vendor_id = u.role == USER_ROLE_VENDOR_AGENT ? u.vendor_id : 0,
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
 * deleted or revoked in the database by another process (the CLI), takes effect
 * within that time. A revocation through this process bumps `token_epoch`, which
 * empties every thread's cache at its next lookup: it takes effect at once. Entries hold copies; the
 * actor handed out is copied into the caller's arena, so a later request on the
 * same thread cannot change it under an earlier one. */
#define AUTH_CACHE_SLOTS      16
#define AUTH_CACHE_TTL_S      1
#define AUTH_CACHE_MAX_GRANTS 64

struct cached_actor {
	char token[AUTH_TOKEN_LEN + 1];
	ls_time expires;
	unsigned epoch;
	int64_t user_id;
	int64_t vendor_id;
	enum user_role role;
	bool all_clients;
	char email[LS_MAX_EMAIL_BYTES + 1];
	size_t n_clients;
	int64_t client_ids[AUTH_CACHE_MAX_GRANTS];
};

static _Thread_local struct cached_actor actor_cache[AUTH_CACHE_SLOTS];
static _Thread_local unsigned actor_cache_next;
static atomic_uint token_epoch;

void auth_tokens_changed(void)
{
	atomic_fetch_add_explicit(&token_epoch, 1, memory_order_release);
}

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
	        .vendor_id = c->vendor_id,
	};
}

static void actor_to_cache(const char *token, ls_time now, unsigned epoch, const struct actor *a)
{
	if (a->n_clients > AUTH_CACHE_MAX_GRANTS || strlen(a->email) > LS_MAX_EMAIL_BYTES)
		return;
	struct cached_actor *c = &actor_cache[actor_cache_next];
	actor_cache_next = (actor_cache_next + 1) % AUTH_CACHE_SLOTS;
	memcpy(c->token, token, AUTH_TOKEN_LEN + 1);
	c->expires = now + AUTH_CACHE_TTL_S;
	c->epoch = epoch;
	c->user_id = a->user_id;
	c->vendor_id = a->vendor_id;
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
	unsigned epoch = atomic_load_explicit(&token_epoch, memory_order_acquire);
	for (unsigned i = 0; i < AUTH_CACHE_SLOTS; i++) {
		const struct cached_actor *c = &actor_cache[i];
		if (c->expires > s->now && c->expires - AUTH_CACHE_TTL_S <= s->now && c->epoch == epoch &&
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
		actor_to_cache(token, s->now, epoch, ret);
	return r;
}

int auth_token_list(struct svc *s, struct api_token **ret, size_t *ret_n)
{
	int64_t uid = s->actor->role == USER_ROLE_ADMIN ? 0 : s->actor->user_id;
	if (uid == 0 && s->actor->role != USER_ROLE_ADMIN)
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL, "only users have tokens");
	if (dirdb_token_list(s->st, s->arena, uid, ret, ret_n) < 0)
		return store_error(s->st, s->err, "listing tokens");
	return 0;
}

int auth_token_revoke(struct svc *s, int64_t id, struct api_token *ret)
{
	lserr_clear(s->err);
	if (store_begin(s->st) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	struct api_token t;
	int r = dirdb_token_by_id(s->st, s->arena, id, &t);
	/* another user's token is not the caller's business: missing, unless admin */
	if (r == -ENOENT || (r == 0 && s->actor->role != USER_ROLE_ADMIN && t.user_id != s->actor->user_id)) {
		store_rollback(s->st);
		return lserr_set(s->err, -ENOENT, "not_found", "id", "token %lld does not exist", (long long)id);
	}
	if (r < 0) {
		r = store_error(s->st, s->err, "loading the token");
		store_rollback(s->st);
		return r;
	}
	if (!t.revoked_at) {
		t.revoked_at = s->now;
		r = dirdb_token_revoke(s->st, id, s->now);
		if (r < 0)
			r = store_error(s->st, s->err, "revoking the token");
		else
			r = audit_append(s, AUDIT_KIND_PERMISSION_CHANGE, 0, t.user_email,
			                 json_pack("{s:s,s:I,s:s}", "action", "token_revoke", "token", (json_int_t)id,
			                           "name", t.name ? t.name : ""));
		if (r < 0) {
			store_rollback(s->st);
			return r;
		}
	}
	if (store_commit(s->st) < 0)
		return store_error(s->st, s->err, "committing the revocation");
	auth_tokens_changed();
	if (ret)
		*ret = t;
	return 0;
}

int auth_token_id(struct svc *s, const char *token, int64_t *ret_id)
{
	unsigned char hash[32];
	token_hash(token, hash);
	int r = dirdb_token_id_by_hash(s->st, hash, ret_id);
	if (r == -ENOENT)
		return lserr_set(s->err, -LS_EAUTH, "unauthorized", NULL, "the API token is unknown");
	return r < 0 ? store_error(s->st, s->err, "looking up the token") : 0;
}

void auth_csrf_token(const char *token, char csrf[AUTH_CSRF_LEN + 1])
{
	/* the CSRF token is derived from the session token (keyed BLAKE2b under a
	 * fixed context), so the server keeps no state for it and it changes with
	 * every login; knowing it gives nothing: the session token cannot be
	 * recovered from it */
	unsigned char mac[32];
	static const unsigned char key[] = "leitstand-csrf-v1-leitstand-csrf";
	crypto_generichash(mac, sizeof(mac), (const unsigned char *)token, strlen(token), key, 32);
	sodium_bin2base64(csrf, AUTH_CSRF_LEN + 1, mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool auth_csrf_valid(const char *token, const char *presented)
{
	char want[AUTH_CSRF_LEN + 1];
	auth_csrf_token(token, want);
	return presented && strlen(presented) == AUTH_CSRF_LEN && sodium_memcmp(want, presented, AUTH_CSRF_LEN) == 0;
}
