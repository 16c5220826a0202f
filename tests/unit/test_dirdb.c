/* Tests for store/dirdb.c against a fresh database: clients, users (emails are
 * case-insensitive), sorted client grants, teams and members, password hashes,
 * and API token lookup honouring expiry and deactivated users. */
#include "helpers.h"

#include <sqlite3.h>

#include "store/dirdb.h"

static void test_clients_insert_lookup_and_list_by_code(void **state)
{
	struct fixture *f = *state;
	struct client z = {.code = "ZETA", .name = "Zeta AG", .created_at = 5};
	struct client a = {.code = "ALPHA",
	                   .name = "Alpha GmbH",
	                   .timezone = "Europe/Vienna",
	                   .priority_matrix = "112223345",
	                   .created_at = 6};
	assert_int_equal(dirdb_client_insert(f->st, &z), 0);
	assert_int_equal(dirdb_client_insert(f->st, &a), 0);
	assert_true(z.id > 0 && a.id > z.id);
	struct client c;
	assert_int_equal(dirdb_client_by_code(f->st, &f->arena, "ZETA", &c), 0);
	assert_true(c.id == z.id);
	assert_string_equal(c.timezone, "Europe/Berlin"); /* default */
	assert_string_equal(c.priority_matrix, PRIORITY_MATRIX_DEFAULT);
	assert_true(c.created_at == 5);
	assert_int_equal(dirdb_client_by_id(f->st, &f->arena, a.id, &c), 0);
	assert_string_equal(c.code, "ALPHA");
	assert_string_equal(c.name, "Alpha GmbH");
	assert_string_equal(c.timezone, "Europe/Vienna");
	assert_string_equal(c.priority_matrix, "112223345");
	assert_int_equal(dirdb_client_by_code(f->st, &f->arena, "zeta", &c), -ENOENT); /* codes are exact */
	assert_int_equal(dirdb_client_by_id(f->st, &f->arena, 999, &c), -ENOENT);
	struct client *v;
	size_t n;
	assert_int_equal(dirdb_client_list(f->st, &f->arena, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].code, "ALPHA");
	assert_string_equal(v[1].code, "ZETA");
	struct client dup = {.code = "ZETA", .name = "Other", .created_at = 7};
	assert_int_equal(dirdb_client_insert(f->st, &dup), -LS_ECONFLICT);
}

static void test_user_email_is_case_insensitive(void **state)
{
	struct fixture *f = *state;
	struct user u = {.email = "Anna.Berg@Example.com",
	                 .name = "Anna",
	                 .role = USER_ROLE_MANAGER,
	                 .active = true,
	                 .created_at = 9};
	assert_int_equal(dirdb_user_insert(f->st, &u, NULL), 0);
	struct user g;
	assert_int_equal(dirdb_user_by_email(f->st, &f->arena, "anna.berg@example.COM", &g), 0);
	assert_true(g.id == u.id);
	assert_string_equal(g.email, "Anna.Berg@Example.com");
	assert_int_equal(g.role, USER_ROLE_MANAGER);
	assert_true(g.active);
	struct user dup = {.email = "ANNA.BERG@EXAMPLE.COM", .name = "Dup", .role = USER_ROLE_AGENT, .active = true};
	assert_int_equal(dirdb_user_insert(f->st, &dup, NULL), -LS_ECONFLICT);
	assert_int_equal(dirdb_user_by_email(f->st, &f->arena, "nobody@example.com", &g), -ENOENT);
	assert_int_equal(dirdb_user_by_id(f->st, &f->arena, u.id, &g), 0);
	assert_string_equal(g.name, "Anna");
}

static void test_grants_are_sorted_and_idempotent(void **state)
{
	struct fixture *f = *state;
	int64_t c1 = fx_client(f, "C1", NULL), c2 = fx_client(f, "C2", NULL), c3 = fx_client(f, "C3", NULL);
	int64_t uid = fx_user_v(f, "agent@example.com", USER_ROLE_AGENT, NULL);
	assert_int_equal(dirdb_user_grant(f->st, uid, c3), 0);
	assert_int_equal(dirdb_user_grant(f->st, uid, c1), 0);
	assert_int_equal(dirdb_user_grant(f->st, uid, c3), 0);
	int64_t *ids;
	size_t n;
	assert_int_equal(dirdb_user_grants(f->st, &f->arena, uid, &ids, &n), 0);
	assert_int_equal(n, 2);
	assert_true(ids[0] == c1 && ids[1] == c3);
	(void)c2;
	struct user *users;
	assert_int_equal(dirdb_user_list(f->st, &f->arena, &users, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(users[0].n_clients, 2);
	assert_string_equal(users[0].client_codes[0], "C1");
	assert_string_equal(users[0].client_codes[1], "C3");
}

static void test_password_hash_is_absent_until_set(void **state)
{
	struct fixture *f = *state;
	int64_t uid = fx_user_v(f, "agent@example.com", USER_ROLE_AGENT, NULL);
	const char *h = "untouched";
	assert_int_equal(dirdb_user_password_hash(f->st, &f->arena, uid, &h), -ENOENT);
	assert_string_equal(h, "untouched");
	assert_int_equal(dirdb_user_set_password_hash(f->st, uid, "$argon2id$fake"), 0);
	assert_int_equal(dirdb_user_password_hash(f->st, &f->arena, uid, &h), 0);
	assert_string_equal(h, "$argon2id$fake");
	assert_int_equal(dirdb_user_set_password_hash(f->st, 9999, "$argon2id$x"), -ENOENT);
}

static void test_teams_and_members(void **state)
{
	struct fixture *f = *state;
	struct team t = {.code = "L2-APPS", .name = "Apps", .created_at = 3};
	assert_int_equal(dirdb_team_insert(f->st, &t), 0);
	struct team dup = {.code = "L2-APPS", .name = "Again"};
	assert_int_equal(dirdb_team_insert(f->st, &dup), -LS_ECONFLICT);
	struct team a = {.code = "A-TEAM", .name = "A"};
	assert_int_equal(dirdb_team_insert(f->st, &a), 0);
	struct team g;
	assert_int_equal(dirdb_team_by_code(f->st, &f->arena, "L2-APPS", &g), 0);
	assert_true(g.id == t.id);
	assert_string_equal(g.name, "Apps");
	assert_int_equal(dirdb_team_by_code(f->st, &f->arena, "NOPE", &g), -ENOENT);
	struct team *v;
	size_t n;
	assert_int_equal(dirdb_team_list(f->st, &f->arena, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].code, "A-TEAM");
	int64_t uid = fx_user_v(f, "agent@example.com", USER_ROLE_AGENT, NULL);
	assert_int_equal(dirdb_team_add_member(f->st, t.id, uid), 0);
	assert_int_equal(dirdb_team_add_member(f->st, t.id, uid), 0);              /* idempotent */
	assert_int_equal(dirdb_team_add_member(f->st, t.id, 4242), -LS_ECONFLICT); /* no such user */
}

static void test_token_lookup_honours_expiry_and_deactivation(void **state)
{
	struct fixture *f = *state;
	int64_t uid = fx_user_v(f, "agent@example.com", USER_ROLE_AGENT, NULL);
	unsigned char h1[32], h2[32], h3[32];
	memset(h1, 1, 32);
	memset(h2, 2, 32);
	memset(h3, 3, 32);
	assert_int_equal(dirdb_token_insert(f->st, uid, h1, "forever", 100, 0), 0);
	assert_int_equal(dirdb_token_insert(f->st, uid, h2, "short", 100, 200), 0);
	assert_int_equal(dirdb_token_insert(f->st, uid, h1, "again", 100, 0), -LS_ECONFLICT);
	int64_t who = 0;
	assert_int_equal(dirdb_token_user(f->st, h1, 1000000, &who), 0);
	assert_true(who == uid);
	who = 0;
	assert_int_equal(dirdb_token_user(f->st, h2, 199, &who), 0);
	assert_true(who == uid);
	who = 0;
	assert_int_equal(dirdb_token_user(f->st, h2, 200, &who), -ENOENT); /* expires_at is exclusive */
	assert_int_equal(dirdb_token_user(f->st, h3, 150, &who), -ENOENT);
	assert_true(who == 0);
	assert_int_equal(sqlite3_exec(store_handle(f->st), "UPDATE users SET active = 0", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(dirdb_token_user(f->st, h1, 150, &who), -ENOENT);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_clients_insert_lookup_and_list_by_code),
	        T(test_user_email_is_case_insensitive),
	        T(test_grants_are_sorted_and_idempotent),
	        T(test_password_hash_is_absent_until_set),
	        T(test_teams_and_members),
	        T(test_token_lookup_honours_expiry_and_deactivation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
