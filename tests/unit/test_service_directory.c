/* Tests for service/directory.c (named test_service_directory to keep it apart
 * from model/directory.c): adding clients, users and teams with validation that
 * names the field, conflicts on duplicate codes and emails, role checks (only
 * admins add clients and users, managers may add teams), visibility of client
 * lists, and the shared code and email shape checks. */
#include "helpers.h"

#include "core/limits.h"
#include "store/dirdb.h"

static char *repeat(struct fixture *f, char c, size_t n)
{
	char *s = arena_alloc(&f->arena, n + 1);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void test_client_add_stores_defaults(void **state)
{
	struct fixture *f = *state;
	f->svc.now = TEST_T0 + 5;
	struct client_input in = {.code = "ACME", .name = "Acme GmbH"};
	struct client c;
	assert_ok(f, directory_client_add(&f->svc, &in, &c));
	assert_true(c.id > 0);
	assert_string_equal(c.timezone, "Europe/Berlin");
	assert_string_equal(c.priority_matrix, PRIORITY_MATRIX_DEFAULT);
	assert_true(c.created_at == TEST_T0 + 5);
	struct client g;
	assert_int_equal(dirdb_client_by_code(f->st, &f->arena, "ACME", &g), 0);
	assert_true(g.id == c.id);
	assert_string_equal(g.name, "Acme GmbH");
	struct client_input own = {
	        .code = "own_matrix-1", .name = "Own", .timezone = "America/New_York", .priority_matrix = "112223345"};
	assert_ok(f, directory_client_add(&f->svc, &own, &c));
	assert_int_equal(dirdb_client_by_code(f->st, &f->arena, "own_matrix-1", &g), 0);
	assert_string_equal(g.priority_matrix, "112223345");
	assert_string_equal(g.timezone, "America/New_York");
}

static void test_client_add_validation_names_the_field(void **state)
{
	struct fixture *f = *state;
	static const struct {
		struct client_input in;
		const char *code, *field;
	} cases[] = {
	        {{.code = NULL, .name = "n"}, "invalid_field", "code"},
	        {{.code = "", .name = "n"}, "invalid_field", "code"},
	        {{.code = "has space", .name = "n"}, "invalid_field", "code"},
	        {{.code = "Müller", .name = "n"}, "invalid_field", "code"},
	        {{.code = "a/b", .name = "n"}, "invalid_field", "code"},
	        {{.code = "OK", .name = NULL}, "missing_field", "name"},
	        {{.code = "OK", .name = ""}, "missing_field", "name"},
	        {{.code = "OK", .name = "n", .priority_matrix = "12323434"}, "invalid_field", "priority_matrix"},
	        {{.code = "OK", .name = "n", .priority_matrix = "923234345"}, "invalid_field", "priority_matrix"},
	        {{.code = "OK", .name = "n", .timezone = ""}, "invalid_field", "timezone"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct client c;
		assert_svc_error(f, directory_client_add(&f->svc, &cases[i].in, &c), -EINVAL, cases[i].code,
		                 cases[i].field);
	}
	struct client c;
	struct client_input in = {.code = repeat(f, 'C', LS_MAX_CODE_BYTES + 1), .name = "n"};
	assert_svc_error(f, directory_client_add(&f->svc, &in, &c), -EINVAL, "invalid_field", "code");
	in.code = repeat(f, 'C', LS_MAX_CODE_BYTES);
	in.name = repeat(f, 'n', LS_MAX_NAME_BYTES + 1);
	assert_svc_error(f, directory_client_add(&f->svc, &in, &c), -EINVAL, "invalid_field", "name");
	in.name = "n";
	in.timezone = repeat(f, 'z', 65);
	assert_svc_error(f, directory_client_add(&f->svc, &in, &c), -EINVAL, "invalid_field", "timezone");
	struct client *v;
	size_t n;
	assert_ok(f, directory_client_list(&f->svc, &v, &n));
	assert_int_equal(n, 0);
	in.timezone = NULL;
	assert_ok(f, directory_client_add(&f->svc, &in, &c)); /* 32 characters are fine */
}

static void test_duplicate_client_code_is_a_conflict(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	struct client_input in = {.code = "ACME", .name = "Second Acme"};
	struct client c;
	assert_svc_error(f, directory_client_add(&f->svc, &in, &c), -LS_ECONFLICT, "conflict", "code");
	assert_string_equal(f->err.message, "client 'ACME' exists already");
	/* the failed insert left no transaction open */
	in.code = "ACME2";
	assert_ok(f, directory_client_add(&f->svc, &in, &c));
}

static void test_only_admins_add_clients_and_users(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	int64_t mgr = fx_user(f, "mia@example.com", USER_ROLE_MANAGER, "ACME");
	int64_t agent = fx_user(f, "anna@example.com", USER_ROLE_AGENT, "ACME");
	const struct actor *actors[] = {fx_actor(f, mgr), fx_actor(f, agent)};
	for (int i = 0; i < 2; i++) {
		f->svc.actor = actors[i];
		struct client_input ci = {.code = "NEW", .name = "New"};
		struct client c;
		assert_svc_error(f, directory_client_add(&f->svc, &ci, &c), -LS_EFORBIDDEN, "forbidden", "");
		struct user_input ui = {.email = "x@example.com", .name = "X", .role = USER_ROLE_AGENT};
		struct user u;
		assert_svc_error(f, directory_user_add(&f->svc, &ui, &u), -LS_EFORBIDDEN, "forbidden", "");
		assert_svc_error(f, directory_user_set_password(&f->svc, "anna@example.com", "long enough pw"),
		                 -LS_EFORBIDDEN, "forbidden", "");
	}
	f->svc.actor = &actor_system;
	struct client *v;
	size_t n;
	assert_ok(f, directory_client_list(&f->svc, &v, &n));
	assert_int_equal(n, 1);
}

static void test_client_list_and_get_show_only_granted_clients(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ZETA", NULL);
	fx_client(f, "ACME", NULL);
	fx_client(f, "GLOBEX", NULL);
	struct client *v;
	size_t n;
	assert_ok(f, directory_client_list(&f->svc, &v, &n));
	assert_int_equal(n, 3);
	assert_string_equal(v[0].code, "ACME");
	assert_string_equal(v[1].code, "GLOBEX");
	assert_string_equal(v[2].code, "ZETA");
	f->svc.actor = fx_actor(f, fx_user(f, "anna@example.com", USER_ROLE_AGENT, "ZETA", "ACME"));
	assert_ok(f, directory_client_list(&f->svc, &v, &n));
	assert_int_equal(n, 2);
	assert_string_equal(v[0].code, "ACME");
	assert_string_equal(v[1].code, "ZETA");
	struct client c;
	assert_ok(f, directory_client_get(&f->svc, "ZETA", &c));
	assert_string_equal(c.code, "ZETA");
	assert_svc_error(f, directory_client_get(&f->svc, "GLOBEX", &c), -ENOENT, "not_found", "client");
	assert_string_equal(f->err.message, "client 'GLOBEX' does not exist");
	assert_svc_error(f, directory_client_get(&f->svc, "NOPE", &c), -ENOENT, "not_found", "client");
}

static void test_user_add_grants_clients(void **state)
{
	struct fixture *f = *state;
	int64_t acme = fx_client(f, "ACME", NULL), globex = fx_client(f, "GLOBEX", NULL);
	const char *clients[] = {"GLOBEX", "ACME"};
	struct user_input in = {.email = "anna@example.com",
	                        .name = "Anna",
	                        .role = USER_ROLE_AGENT,
	                        .clients = clients,
	                        .n_clients = 2};
	f->svc.now = TEST_T0 + 9;
	struct user u;
	assert_ok(f, directory_user_add(&f->svc, &in, &u));
	assert_true(u.id > 0);
	assert_true(u.active);
	assert_true(u.created_at == TEST_T0 + 9);
	assert_int_equal(u.n_clients, 2);
	assert_string_equal(u.client_codes[0], "GLOBEX");
	assert_string_equal(u.client_codes[1], "ACME");
	int64_t *ids;
	size_t n;
	assert_int_equal(dirdb_user_grants(f->st, &f->arena, u.id, &ids, &n), 0);
	assert_int_equal(n, 2);
	assert_true(ids[0] == (acme < globex ? acme : globex));
	const char *hash;
	assert_int_equal(dirdb_user_password_hash(f->st, &f->arena, u.id, &hash), -ENOENT); /* token access only */
	struct user *list;
	assert_ok(f, directory_user_list(&f->svc, &list, &n));
	assert_int_equal(n, 1);
	assert_string_equal(list[0].email, "anna@example.com");
	assert_int_equal(list[0].role, USER_ROLE_AGENT);
	assert_int_equal(list[0].n_clients, 2);
}

static void test_user_add_validation_names_the_field(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	const char *acme[] = {"ACME"};
	const char *unknown[] = {"ACME", "NOPE"};
	static const char *const bad_emails[] = {"", "x", "a@", "@b", "a b@c.de", "a@b@c.de", "a@b\tc"};
	for (size_t i = 0; i < sizeof(bad_emails) / sizeof(bad_emails[0]); i++) {
		struct user_input in = {.email = bad_emails[i], .name = "N", .role = USER_ROLE_AGENT};
		struct user u;
		assert_svc_error(f, directory_user_add(&f->svc, &in, &u), -EINVAL, "invalid_field", "email");
	}
	struct user u;
	struct user_input in = {.email = NULL, .name = "N", .role = USER_ROLE_AGENT};
	assert_svc_error(f, directory_user_add(&f->svc, &in, &u), -EINVAL, "invalid_field", "email");
	in.email = "ok@example.com";
	in.name = "";
	assert_svc_error(f, directory_user_add(&f->svc, &in, &u), -EINVAL, "missing_field", "name");
	in.name = "N";
	in.role = _USER_ROLE_MAX;
	assert_svc_error(f, directory_user_add(&f->svc, &in, &u), -EINVAL, "invalid_field", "role");
	in.role = _USER_ROLE_INVALID;
	assert_svc_error(f, directory_user_add(&f->svc, &in, &u), -EINVAL, "invalid_field", "role");
	in.role = USER_ROLE_CLIENT_VIEWER; /* a viewer without a client would see nothing */
	assert_svc_error(f, directory_user_add(&f->svc, &in, &u), -EINVAL, "missing_field", "clients");
	in.clients = unknown;
	in.n_clients = 2;
	assert_svc_error(f, directory_user_add(&f->svc, &in, &u), -EINVAL, "invalid_field", "clients");
	assert_string_equal(f->err.message, "client 'NOPE' does not exist");
	in.n_clients = LS_MAX_GRANTS + 1;
	assert_svc_error(f, directory_user_add(&f->svc, &in, &u), -EINVAL, "invalid_field", "clients");
	in.clients = acme;
	in.n_clients = 1;
	in.password = "short";
	assert_svc_error(f, directory_user_add(&f->svc, &in, &u), -EINVAL, "invalid_field", "password");
	/* none of the failures left a user behind, not even the one rolled back after its insert */
	struct user *list;
	size_t n;
	assert_ok(f, directory_user_list(&f->svc, &list, &n));
	assert_int_equal(n, 0);
	in.password = NULL;
	assert_ok(f, directory_user_add(&f->svc, &in, &u));
	assert_int_equal(u.role, USER_ROLE_CLIENT_VIEWER);
}

static void test_duplicate_email_is_a_conflict_whatever_the_case(void **state)
{
	struct fixture *f = *state;
	fx_user_v(f, "anna@example.com", USER_ROLE_AGENT, NULL);
	struct user_input in = {.email = "ANNA@Example.com", .name = "Anna 2", .role = USER_ROLE_MANAGER};
	struct user u;
	assert_svc_error(f, directory_user_add(&f->svc, &in, &u), -LS_ECONFLICT, "conflict", "email");
	struct user *list;
	size_t n;
	assert_ok(f, directory_user_list(&f->svc, &list, &n));
	assert_int_equal(n, 1);
	assert_int_equal(list[0].role, USER_ROLE_AGENT);
}

static void test_team_add_with_members_and_role_check(void **state)
{
	struct fixture *f = *state;
	int64_t mgr = fx_user_v(f, "mia@example.com", USER_ROLE_MANAGER, NULL);
	int64_t agent = fx_user_v(f, "anna@example.com", USER_ROLE_AGENT, NULL);
	const char *members[] = {"anna@example.com", "MIA@example.com"};
	struct team_input in = {.code = "L1-DESK", .name = "Service Desk", .members = members, .n_members = 2};
	struct team t;
	f->svc.actor = fx_actor(f, agent);
	assert_svc_error(f, directory_team_add(&f->svc, &in, &t), -LS_EFORBIDDEN, "forbidden", "");
	f->svc.actor = fx_actor(f, mgr); /* managers may add teams */
	f->svc.now = TEST_T0 + 3;
	assert_ok(f, directory_team_add(&f->svc, &in, &t));
	assert_true(t.id > 0);
	assert_string_equal(t.code, "L1-DESK");
	assert_true(t.created_at == TEST_T0 + 3);
	struct team *v;
	size_t n;
	assert_ok(f, directory_team_list(&f->svc, &v, &n));
	assert_int_equal(n, 1);
	assert_string_equal(v[0].name, "Service Desk");
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_handle(f->st), "SELECT count(*) FROM team_members", -1, &s, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 2);
	sqlite3_finalize(s);
}

static void test_team_add_validation_and_conflicts(void **state)
{
	struct fixture *f = *state;
	const char *ghost[] = {"ghost@example.com"};
	struct team t;
	struct team_input in = {.code = "bad code", .name = "x"};
	assert_svc_error(f, directory_team_add(&f->svc, &in, &t), -EINVAL, "invalid_field", "code");
	in.code = NULL;
	assert_svc_error(f, directory_team_add(&f->svc, &in, &t), -EINVAL, "invalid_field", "code");
	in.code = "L2";
	in.name = "";
	assert_svc_error(f, directory_team_add(&f->svc, &in, &t), -EINVAL, "missing_field", "name");
	in.name = "Second level";
	in.members = ghost;
	in.n_members = 1;
	assert_svc_error(f, directory_team_add(&f->svc, &in, &t), -EINVAL, "invalid_field", "members");
	struct team *v;
	size_t n;
	assert_ok(f, directory_team_list(&f->svc, &v, &n));
	assert_int_equal(n, 0); /* the team insert was rolled back */
	in.members = NULL;
	in.n_members = 0;
	assert_ok(f, directory_team_add(&f->svc, &in, &t));
	assert_svc_error(f, directory_team_add(&f->svc, &in, &t), -LS_ECONFLICT, "conflict", "code");
}

static void test_set_password_of_unknown_user_is_not_found(void **state)
{
	struct fixture *f = *state;
	assert_svc_error(f, directory_user_set_password(&f->svc, "nobody@example.com", "long enough pw"), -ENOENT,
	                 "not_found", "email");
	fx_user_v(f, "anna@example.com", USER_ROLE_AGENT, NULL);
	assert_svc_error(f, directory_user_set_password(&f->svc, "anna@example.com", "short"), -EINVAL, "invalid_field",
	                 "password");
	assert_svc_error(
	        f, directory_user_set_password(&f->svc, "anna@example.com", repeat(f, 'p', LS_MAX_PASSWORD_BYTES + 1)),
	        -EINVAL, "invalid_field", "password");
}

static void test_code_and_email_shape_checks(void **state)
{
	(void)state;
	assert_true(directory_code_valid("A"));
	assert_true(directory_code_valid("L2-APPS_01"));
	assert_true(directory_code_valid("abcdefghijklmnopqrstuvwxyz012345")); /* 32 */
	assert_false(directory_code_valid("abcdefghijklmnopqrstuvwxyz0123456"));
	assert_false(directory_code_valid(""));
	assert_false(directory_code_valid("A B"));
	assert_false(directory_code_valid("A.B"));
	assert_false(directory_code_valid("Ä"));
	assert_true(directory_email_valid("a@b"));
	assert_true(directory_email_valid("first.last+tag@sub.example.com"));
	assert_false(directory_email_valid("ab"));
	assert_false(directory_email_valid("a@"));
	assert_false(directory_email_valid("@ab"));
	assert_false(directory_email_valid("a@b@c"));
	assert_false(directory_email_valid("a b@c"));
	assert_false(directory_email_valid("a@b\n"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_client_add_stores_defaults),
	        T(test_client_add_validation_names_the_field),
	        T(test_duplicate_client_code_is_a_conflict),
	        T(test_only_admins_add_clients_and_users),
	        T(test_client_list_and_get_show_only_granted_clients),
	        T(test_user_add_grants_clients),
	        T(test_user_add_validation_names_the_field),
	        T(test_duplicate_email_is_a_conflict_whatever_the_case),
	        T(test_team_add_with_members_and_role_check),
	        T(test_team_add_validation_and_conflicts),
	        T(test_set_password_of_unknown_user_is_not_found),
	        cmocka_unit_test(test_code_and_email_shape_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
