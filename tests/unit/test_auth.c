/* Tests for service/auth.c: API tokens (shape, token -> actor round trip with
 * sorted client grants, malformed, unknown, tampered and expired tokens all fail
 * with -LS_EAUTH, only a hash is stored, deactivated users lose access) and
 * password login (right and wrong password, unknown email and token-only users
 * fail alike; failed logins lock an account; revoked tokens stop at once). argon2id costs ~0.1 s per hash, so the
 * password paths share one test and the length checks are exercised without hashing. */
#include "helpers.h"

#include <pthread.h>

#include <sodium.h>

#include "core/limits.h"
#include "service/audit.h"
#include "store/dirdb.h"

static int exec_sql(struct fixture *f, const char *sql)
{
	return sqlite3_exec(store_handle(f->st), sql, NULL, NULL, NULL);
}

static const char *token_for(struct fixture *f, const char *email, ls_time expires_at)
{
	const char *tok = NULL;
	assert_ok(f, auth_token_create(&f->svc, email, "test", expires_at, &tok));
	assert_non_null(tok);
	return tok;
}

static void test_token_resolves_to_the_users_actor(void **state)
{
	struct fixture *f = *state;
	int64_t globex = fx_client(f, "GLOBEX", NULL);
	int64_t acme = fx_client(f, "ACME", NULL);
	int64_t uid = fx_user(f, "anna@example.com", USER_ROLE_AGENT, "ACME", "GLOBEX");
	const char *tok = token_for(f, "anna@example.com", 0);
	assert_int_equal(strlen(tok), AUTH_TOKEN_LEN);
	assert_int_equal(strncmp(tok, "lst_", 4), 0);
	for (const char *p = tok + 4; *p; p++)
		assert_true((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		            *p == '-' || *p == '_');
	struct actor a;
	assert_ok(f, auth_actor_from_token(&f->svc, tok, &a));
	assert_true(a.user_id == uid);
	assert_string_equal(a.email, "anna@example.com");
	assert_int_equal(a.role, USER_ROLE_AGENT);
	assert_false(a.all_clients);
	assert_int_equal(a.n_clients, 2);
	assert_true(a.client_ids[0] == globex && a.client_ids[1] == acme); /* ascending: GLOBEX was added first */
	assert_true(actor_sees_client(&a, acme));
	assert_true(actor_sees_client(&a, globex));
}

static void test_admin_token_sees_all_clients(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	fx_user_v(f, "root@example.com", USER_ROLE_ADMIN, NULL);
	struct actor a;
	assert_ok(f, auth_actor_from_token(&f->svc, token_for(f, "root@example.com", 0), &a));
	assert_int_equal(a.role, USER_ROLE_ADMIN);
	assert_true(a.all_clients);
	assert_true(actor_sees_client(&a, 12345));
}

static void test_every_token_is_new_and_each_works(void **state)
{
	struct fixture *f = *state;
	int64_t uid = fx_user_v(f, "anna@example.com", USER_ROLE_AGENT, NULL);
	const char *t1 = token_for(f, "anna@example.com", 0);
	const char *t2 = token_for(f, "anna@example.com", 0);
	assert_string_not_equal(t1, t2);
	struct actor a;
	assert_ok(f, auth_actor_from_token(&f->svc, t1, &a));
	assert_true(a.user_id == uid);
	assert_ok(f, auth_actor_from_token(&f->svc, t2, &a));
	assert_true(a.user_id == uid);
}

static void test_malformed_tokens_fail_with_eauth(void **state)
{
	struct fixture *f = *state;
	fx_user_v(f, "anna@example.com", USER_ROLE_AGENT, NULL);
	const char *good = token_for(f, "anna@example.com", 0);
	const char *bad[] = {
	        "",
	        "lst_",
	        "Bearer",
	        arena_strndup(&f->arena, good, AUTH_TOKEN_LEN - 1),
	        arena_printf(&f->arena, "%sx", good),
	        arena_printf(&f->arena, "xyz_%s", good + 4),
	        arena_printf(&f->arena, "LST_%s", good + 4),
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct actor a = {.user_id = 4242};
		assert_svc_error(f, auth_actor_from_token(&f->svc, bad[i], &a), -LS_EAUTH, "unauthorized", "");
		assert_non_null(strstr(f->err.message, "malformed"));
		assert_true(a.user_id == 4242); /* untouched */
	}
}

static void test_unknown_and_tampered_tokens_fail_with_eauth(void **state)
{
	struct fixture *f = *state;
	fx_user_v(f, "anna@example.com", USER_ROLE_AGENT, NULL);
	char *tok = arena_strdup(&f->arena, token_for(f, "anna@example.com", 0));
	struct actor a;
	assert_svc_error(f, auth_actor_from_token(&f->svc, "lst_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &a),
	                 -LS_EAUTH, "unauthorized", "");
	assert_non_null(strstr(f->err.message, "unknown or expired"));
	tok[20] = tok[20] == 'A' ? 'B' : 'A';
	assert_svc_error(f, auth_actor_from_token(&f->svc, tok, &a), -LS_EAUTH, "unauthorized", "");
}

static void test_token_expiry_follows_the_injected_clock(void **state)
{
	struct fixture *f = *state;
	fx_user_v(f, "anna@example.com", USER_ROLE_AGENT, NULL);
	const char *tok = token_for(f, "anna@example.com", TEST_T0 + 3600);
	struct actor a;
	f->svc.now = TEST_T0 + 3599;
	assert_ok(f, auth_actor_from_token(&f->svc, tok, &a));
	f->svc.now = TEST_T0 + 3600;
	assert_svc_error(f, auth_actor_from_token(&f->svc, tok, &a), -LS_EAUTH, "unauthorized", "");
	f->svc.now = TEST_T0 + 10 * 365 * 86400; /* a token without expiry lasts */
	assert_ok(f, auth_actor_from_token(&f->svc, token_for(f, "anna@example.com", 0), &a));
}

static void test_token_needs_an_existing_active_user(void **state)
{
	struct fixture *f = *state;
	const char *tok = "x";
	assert_svc_error(f, auth_token_create(&f->svc, "nobody@example.com", "t", 0, &tok), -ENOENT, "not_found",
	                 "email");
	assert_string_equal(tok, "x");
	fx_user_v(f, "anna@example.com", USER_ROLE_AGENT, NULL);
	const char *old = token_for(f, "anna@example.com", 0);
	assert_int_equal(exec_sql(f, "UPDATE users SET active = 0"), SQLITE_OK);
	assert_svc_error(f, auth_token_create(&f->svc, "anna@example.com", "t", 0, &tok), -LS_EFORBIDDEN, "forbidden",
	                 "email");
	struct actor a;
	assert_svc_error(f, auth_actor_from_token(&f->svc, old, &a), -LS_EAUTH, "unauthorized", "");
}

static void test_only_the_token_hash_is_stored(void **state)
{
	struct fixture *f = *state;
	fx_user_v(f, "anna@example.com", USER_ROLE_AGENT, NULL);
	const char *tok = NULL;
	f->svc.now = TEST_T0 + 7;
	assert_ok(f, auth_token_create(&f->svc, "anna@example.com", "ci", TEST_T0 + 100, &tok));
	unsigned char want[32];
	crypto_generichash(want, sizeof(want), (const unsigned char *)tok, strlen(tok), NULL, 0);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_handle(f->st),
	                                    "SELECT token_hash, name, created_at, expires_at FROM api_tokens", -1, &s,
	                                    NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_bytes(s, 0), 32);
	assert_memory_equal(sqlite3_column_blob(s, 0), want, 32);
	assert_string_equal((const char *)sqlite3_column_text(s, 1), "ci");
	assert_true(sqlite3_column_int64(s, 2) == TEST_T0 + 7);
	assert_true(sqlite3_column_int64(s, 3) == TEST_T0 + 100);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
}

static void test_actor_for_a_vanished_user_is_unauthorized(void **state)
{
	struct fixture *f = *state;
	struct actor a;
	assert_svc_error(f, auth_actor_for_user(&f->svc, 4242, &a), -LS_EAUTH, "unauthorized", "");
}

static void test_password_length_is_checked_before_hashing(void **state)
{
	struct fixture *f = *state;
	const char *h = "untouched";
	char shortpw[LS_MIN_PASSWORD_BYTES];
	memset(shortpw, 'p', sizeof(shortpw) - 1);
	shortpw[sizeof(shortpw) - 1] = '\0';
	assert_svc_error(f, auth_password_hash(&f->svc, shortpw, &h), -EINVAL, "invalid_field", "password");
	char *longpw = arena_alloc(&f->arena, LS_MAX_PASSWORD_BYTES + 2);
	memset(longpw, 'p', LS_MAX_PASSWORD_BYTES + 1);
	longpw[LS_MAX_PASSWORD_BYTES + 1] = '\0';
	assert_svc_error(f, auth_password_hash(&f->svc, longpw, &h), -EINVAL, "invalid_field", "password");
	assert_string_equal(h, "untouched");
}

/* All argon2id work of this file: one hash for the user, one for set_password,
 * one for the dummy, and one verification per login attempt. */
static void test_login_accepts_only_the_right_password(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	struct user_input in = {.email = "anna@example.com",
	                        .name = "Anna",
	                        .role = USER_ROLE_AGENT,
	                        .password = "correct horse battery",
	                        .clients = (const char *const[]){"ACME"},
	                        .n_clients = 1};
	struct user u;
	assert_ok(f, directory_user_add(&f->svc, &in, &u));
	const char *hash;
	assert_int_equal(dirdb_user_password_hash(f->st, &f->arena, u.id, &hash), 0);
	assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
	assert_null(strstr(hash, "correct horse"));
	fx_user_v(f, "tokenonly@example.com", USER_ROLE_AGENT, NULL);

	const char *tok = NULL;
	f->svc.now = TEST_T0;
	assert_ok(f, auth_login(&f->svc, "ANNA@example.com", "correct horse battery", 3600, &tok, NULL));
	assert_int_equal(strlen(tok), AUTH_TOKEN_LEN);
	struct actor a;
	f->svc.now = TEST_T0 + 3599;
	assert_ok(f, auth_actor_from_token(&f->svc, tok, &a));
	assert_true(a.user_id == u.id);
	assert_int_equal(a.n_clients, 1);
	f->svc.now = TEST_T0 + 3600; /* the login token lives ttl seconds */
	assert_int_equal(auth_actor_from_token(&f->svc, tok, &a), -LS_EAUTH);

	const char *none = "none";
	assert_svc_error(f, auth_login(&f->svc, "anna@example.com", "correct horse batterY", 3600, &none, NULL),
	                 -LS_EAUTH, "login_failed", "");
	char wrong_msg[sizeof(f->err.message)];
	snprintf(wrong_msg, sizeof(wrong_msg), "%s", f->err.message);
	assert_svc_error(f, auth_login(&f->svc, "nobody@example.com", "correct horse battery", 3600, &none, NULL),
	                 -LS_EAUTH, "login_failed", "");
	assert_string_equal(f->err.message, wrong_msg); /* no hint which emails exist */
	assert_svc_error(f, auth_login(&f->svc, "tokenonly@example.com", "correct horse battery", 3600, &none, NULL),
	                 -LS_EAUTH, "login_failed", "");
	char *huge = arena_alloc(&f->arena, LS_MAX_PASSWORD_BYTES + 2);
	memset(huge, 'h', LS_MAX_PASSWORD_BYTES + 1);
	huge[LS_MAX_PASSWORD_BYTES + 1] = '\0';
	assert_svc_error(f, auth_login(&f->svc, "anna@example.com", huge, 3600, &none, NULL), -LS_EAUTH, "login_failed",
	                 "");
	assert_string_equal(none, "none");

	/* a new password replaces the stored hash */
	assert_ok(f, directory_user_set_password(&f->svc, "anna@example.com", "another long password"));
	const char *hash2;
	assert_int_equal(dirdb_user_password_hash(f->st, &f->arena, u.id, &hash2), 0);
	assert_int_equal(strncmp(hash2, "$argon2id$", 10), 0);
	assert_string_not_equal(hash, hash2);
	assert_int_equal(exec_sql(f, "UPDATE users SET active = 0 WHERE email = 'anna@example.com'"), SQLITE_OK);
	assert_svc_error(f, auth_login(&f->svc, "anna@example.com", "another long password", 3600, &none, NULL),
	                 -LS_EAUTH, "login_failed", "");
}

static void test_failed_logins_lock_the_account_for_growing_times_until_unlocked(void **state)
{
	struct fixture *f = *state;
	const char *none = "none";
	ls_time retry = 0;
	f->svc.now = TEST_T0;
	/* an email nobody has: it locks like a real one, so a lockout tells nothing */
	for (int i = 0; i < LS_LOGIN_MAX_FAILURES; i++)
		assert_svc_error(f, auth_login(&f->svc, "Ghost@example.com", "wrong password 1", 3600, &none, &retry),
		                 -LS_EAUTH, "login_failed", "");
	assert_svc_error(f, auth_login(&f->svc, "ghost@example.com", "wrong password 1", 3600, &none, &retry), -EAGAIN,
	                 "login_locked", "");
	assert_true(retry == LS_LOGIN_LOCK_S);
	f->svc.now = TEST_T0 + LS_LOGIN_LOCK_S - 1;
	assert_int_equal(auth_login(&f->svc, "ghost@example.com", "x", 3600, &none, &retry), -EAGAIN);
	assert_true(retry == 1);
	/* the lock ends; the next lockout lasts twice as long */
	f->svc.now = TEST_T0 + LS_LOGIN_LOCK_S;
	for (int i = 0; i < LS_LOGIN_MAX_FAILURES; i++)
		assert_int_equal(auth_login(&f->svc, "ghost@example.com", "wrong password 1", 3600, &none, &retry),
		                 -LS_EAUTH);
	assert_int_equal(auth_login(&f->svc, "ghost@example.com", "x", 3600, &none, &retry), -EAGAIN);
	assert_true(retry == 2 * LS_LOGIN_LOCK_S);
	assert_true(auth_lockout_seconds(30) == LS_LOGIN_LOCK_MAX_S);
	assert_string_equal(none, "none");
	/* failures, lockouts and refused attempts are all on record */
	struct audit_query q = {.limit = 50};
	struct audit_entry *e;
	size_t n;
	bool more;
	assert_ok(f, audit_list(&f->svc, &q, &e, &n, &more));
	size_t failed = 0, locked = 0;
	for (size_t i = 0; i < n; i++) {
		failed += strcmp(e[i].kind, "login_failed") == 0;
		locked += strcmp(e[i].kind, "login_locked") == 0;
		assert_null(strstr(e[i].detail, "wrong password"));
	}
	assert_int_equal(failed, 2 * LS_LOGIN_MAX_FAILURES);
	assert_int_equal(locked, 2 + 3); /* two lockouts, three refused attempts */
	/* an administrator unlocks; then the password is checked again */
	assert_ok(f, auth_unlock(&f->svc, "GHOST@example.com"));
	assert_svc_error(f, auth_login(&f->svc, "ghost@example.com", "wrong password 1", 3600, &none, &retry),
	                 -LS_EAUTH, "login_failed", "");
	assert_svc_error(f, auth_unlock(&f->svc, "nobody.else@example.com"), -ENOENT, "not_found", "email");
}

struct guess {
	const char *path;
	int rc;
};

/* One wrong password on a connection of its own, as a request thread has. */
static void *guess_wrong(void *arg)
{
	struct guess *g = arg;
	struct store *st = NULL;
	struct lserr e = {0};
	struct arena a;
	arena_init(&a);
	g->rc = store_open(g->path, 0, &st, &e);
	if (g->rc == 0) {
		struct svc s = {.st = st, .arena = &a, .actor = &actor_system, .now = TEST_T0, .err = &e};
		const char *tok = NULL;
		g->rc = auth_login(&s, "racer@example.com", "wrong password", 3600, &tok, NULL);
	}
	store_close(st);
	arena_release(&a);
	return NULL;
}

static void test_concurrent_failed_logins_all_count(void **state)
{
	struct fixture *f = *state;
	/* the slow password check of each runs at the same time; every failure must count */
	pthread_t t[LS_LOGIN_MAX_FAILURES];
	struct guess g[LS_LOGIN_MAX_FAILURES];
	for (int i = 0; i < LS_LOGIN_MAX_FAILURES; i++) {
		g[i] = (struct guess){.path = f->path};
		assert_int_equal(pthread_create(&t[i], NULL, guess_wrong, &g[i]), 0);
	}
	for (int i = 0; i < LS_LOGIN_MAX_FAILURES; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(g[i].rc, -LS_EAUTH);
	}
	const char *none = "none";
	ls_time retry = 0;
	f->svc.now = TEST_T0;
	assert_svc_error(f, auth_login(&f->svc, "racer@example.com", "wrong password", 3600, &none, &retry), -EAGAIN,
	                 "login_locked", "");
	assert_true(retry == LS_LOGIN_LOCK_S);
}

static void test_a_revoked_token_stops_working_at_once(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	int64_t uid = fx_user(f, "anna@example.com", USER_ROLE_AGENT, "ACME");
	const char *tok = token_for(f, "anna@example.com", 0);
	const char *other = token_for(f, "anna@example.com", 0);
	struct actor a;
	assert_ok(f, auth_actor_from_token(&f->svc, tok, &a)); /* now in this thread's cache */
	int64_t id;
	assert_ok(f, auth_token_id(&f->svc, tok, &id));
	/* anna lists and revokes her own token */
	struct actor anna = a;
	const struct actor *sys = f->svc.actor;
	f->svc.actor = &anna;
	struct api_token *v;
	size_t n;
	assert_ok(f, auth_token_list(&f->svc, &v, &n));
	assert_int_equal(n, 2);
	assert_true(v[0].user_id == uid && v[1].id == id && v[1].revoked_at == 0);
	struct api_token t;
	assert_ok(f, auth_token_revoke(&f->svc, id, &t));
	assert_true(t.revoked_at == f->svc.now);
	assert_ok(f, auth_token_revoke(&f->svc, id, &t)); /* again: nothing changes */
	f->svc.actor = sys;
	assert_int_equal(auth_actor_from_token(&f->svc, tok, &a), -LS_EAUTH);
	assert_ok(f, auth_actor_from_token(&f->svc, other, &a));
	/* somebody else's token is missing to a non-admin */
	fx_user(f, "bert@example.com", USER_ROLE_AGENT, "ACME");
	const char *berts = token_for(f, "bert@example.com", 0);
	int64_t bid;
	assert_ok(f, auth_token_id(&f->svc, berts, &bid));
	f->svc.actor = &anna;
	assert_svc_error(f, auth_token_revoke(&f->svc, bid, &t), -ENOENT, "not_found", "id");
	f->svc.actor = sys;
	assert_ok(f, auth_actor_from_token(&f->svc, berts, &a));
}

static void test_csrf_token_belongs_to_its_session_token_only(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	fx_user(f, "anna@example.com", USER_ROLE_AGENT, "ACME");
	const char *t1 = token_for(f, "anna@example.com", 0), *t2 = token_for(f, "anna@example.com", 0);
	char c1[AUTH_CSRF_LEN + 1], c2[AUTH_CSRF_LEN + 1];
	auth_csrf_token(t1, c1);
	auth_csrf_token(t2, c2);
	assert_int_equal(strlen(c1), AUTH_CSRF_LEN);
	assert_string_not_equal(c1, c2);
	assert_null(strstr(t1, c1));
	assert_true(auth_csrf_valid(t1, c1));
	assert_false(auth_csrf_valid(t1, c2));
	assert_false(auth_csrf_valid(t1, NULL));
	assert_false(auth_csrf_valid(t1, ""));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_token_resolves_to_the_users_actor),
	        T(test_admin_token_sees_all_clients),
	        T(test_every_token_is_new_and_each_works),
	        T(test_malformed_tokens_fail_with_eauth),
	        T(test_unknown_and_tampered_tokens_fail_with_eauth),
	        T(test_token_expiry_follows_the_injected_clock),
	        T(test_token_needs_an_existing_active_user),
	        T(test_only_the_token_hash_is_stored),
	        T(test_actor_for_a_vanished_user_is_unauthorized),
	        T(test_password_length_is_checked_before_hashing),
	        T(test_login_accepts_only_the_right_password),
	        T(test_failed_logins_lock_the_account_for_growing_times_until_unlocked),
	        T(test_concurrent_failed_logins_all_count),
	        T(test_a_revoked_token_stops_working_at_once),
	        T(test_csrf_token_belongs_to_its_session_token_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
