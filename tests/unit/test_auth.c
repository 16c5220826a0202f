/* Tests for service/auth.c: API tokens (shape, token -> actor round trip with
 * sorted client grants, malformed, unknown, tampered and expired tokens all fail
 * with -LS_EAUTH, only a hash is stored, deactivated users lose access) and
 * password login (right and wrong password, unknown email and token-only users
 * fail alike). argon2id costs ~0.1 s per hash, so the password paths share one
 * test and the length checks are exercised without hashing. */
#include "helpers.h"

#include <sodium.h>

#include "core/limits.h"
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
		struct actor a = { .user_id = 4242 };
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
	struct user_input in = { .email = "anna@example.com", .name = "Anna", .role = USER_ROLE_AGENT,
				 .password = "correct horse battery", .clients = (const char *const[]){ "ACME" },
				 .n_clients = 1 };
	struct user u;
	assert_ok(f, directory_user_add(&f->svc, &in, &u));
	const char *hash;
	assert_int_equal(dirdb_user_password_hash(f->st, &f->arena, u.id, &hash), 0);
	assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
	assert_null(strstr(hash, "correct horse"));
	fx_user_v(f, "tokenonly@example.com", USER_ROLE_AGENT, NULL);

	const char *tok = NULL;
	f->svc.now = TEST_T0;
	assert_ok(f, auth_login(&f->svc, "ANNA@example.com", "correct horse battery", 3600, &tok));
	assert_int_equal(strlen(tok), AUTH_TOKEN_LEN);
	struct actor a;
	f->svc.now = TEST_T0 + 3599;
	assert_ok(f, auth_actor_from_token(&f->svc, tok, &a));
	assert_true(a.user_id == u.id);
	assert_int_equal(a.n_clients, 1);
	f->svc.now = TEST_T0 + 3600; /* the login token lives ttl seconds */
	assert_int_equal(auth_actor_from_token(&f->svc, tok, &a), -LS_EAUTH);

	const char *none = "none";
	assert_svc_error(f, auth_login(&f->svc, "anna@example.com", "correct horse batterY", 3600, &none), -LS_EAUTH,
			 "login_failed", "");
	char wrong_msg[sizeof(f->err.message)];
	snprintf(wrong_msg, sizeof(wrong_msg), "%s", f->err.message);
	assert_svc_error(f, auth_login(&f->svc, "nobody@example.com", "correct horse battery", 3600, &none),
			 -LS_EAUTH, "login_failed", "");
	assert_string_equal(f->err.message, wrong_msg); /* no hint which emails exist */
	assert_svc_error(f, auth_login(&f->svc, "tokenonly@example.com", "correct horse battery", 3600, &none),
			 -LS_EAUTH, "login_failed", "");
	char *huge = arena_alloc(&f->arena, LS_MAX_PASSWORD_BYTES + 2);
	memset(huge, 'h', LS_MAX_PASSWORD_BYTES + 1);
	huge[LS_MAX_PASSWORD_BYTES + 1] = '\0';
	assert_svc_error(f, auth_login(&f->svc, "anna@example.com", huge, 3600, &none), -LS_EAUTH, "login_failed", "");
	assert_string_equal(none, "none");

	/* a new password replaces the stored hash */
	assert_ok(f, directory_user_set_password(&f->svc, "anna@example.com", "another long password"));
	const char *hash2;
	assert_int_equal(dirdb_user_password_hash(f->st, &f->arena, u.id, &hash2), 0);
	assert_int_equal(strncmp(hash2, "$argon2id$", 10), 0);
	assert_string_not_equal(hash, hash2);
	assert_int_equal(exec_sql(f, "UPDATE users SET active = 0 WHERE email = 'anna@example.com'"), SQLITE_OK);
	assert_svc_error(f, auth_login(&f->svc, "anna@example.com", "another long password", 3600, &none), -LS_EAUTH,
			 "login_failed", "");
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
