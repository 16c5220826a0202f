/* Tests for model/directory.c (named test_model_directory to keep it apart from
 * the directory service): tenant visibility through actor_sees_client (binary
 * search over sorted grants, all_clients), the built-in system actor, and the
 * permission set of every role. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/directory.h"

static void test_actor_with_all_clients_sees_everything(void **state)
{
	(void)state;
	struct actor a = {.user_id = 1, .role = USER_ROLE_ADMIN, .all_clients = true};
	assert_true(actor_sees_client(&a, 1));
	assert_true(actor_sees_client(&a, 0));
	assert_true(actor_sees_client(&a, INT64_MAX));
}

static void test_actor_without_grants_sees_nothing(void **state)
{
	(void)state;
	struct actor a = {.user_id = 2, .role = USER_ROLE_AGENT};
	for (int64_t id = -2; id < 10; id++)
		assert_false(actor_sees_client(&a, id));
}

static void test_actor_sees_exactly_the_granted_clients(void **state)
{
	(void)state;
	static const int64_t ids[] = {2, 3, 5, 7, 11, 13, 17};
	struct actor a = {.user_id = 3, .role = USER_ROLE_AGENT, .client_ids = ids, .n_clients = 7};
	for (int64_t id = -1; id <= 20; id++) {
		bool granted = false;
		for (size_t i = 0; i < 7; i++)
			granted |= ids[i] == id;
		if (actor_sees_client(&a, id) != granted)
			fail_msg("client %lld: sees=%d, granted=%d", (long long)id, !granted, granted);
	}
}

static void test_binary_search_over_many_grants_and_single_grant(void **state)
{
	(void)state;
	static int64_t ids[1000];
	for (int i = 0; i < 1000; i++)
		ids[i] = 2 * (int64_t)i + 10; /* even numbers 10..2008 */
	struct actor a = {.user_id = 4, .role = USER_ROLE_CLIENT_VIEWER, .client_ids = ids, .n_clients = 1000};
	for (int64_t id = 0; id < 2100; id++)
		assert_int_equal(actor_sees_client(&a, id), id >= 10 && id <= 2008 && id % 2 == 0);
	static const int64_t one[] = {42};
	struct actor b = {.user_id = 5, .role = USER_ROLE_AGENT, .client_ids = one, .n_clients = 1};
	assert_true(actor_sees_client(&b, 42));
	assert_false(actor_sees_client(&b, 41));
	assert_false(actor_sees_client(&b, 43));
}

static void test_system_actor_is_an_admin_seeing_all_clients(void **state)
{
	(void)state;
	assert_int_equal(actor_system.user_id, 0);
	assert_int_equal(actor_system.role, USER_ROLE_ADMIN);
	assert_true(actor_system.all_clients);
	assert_string_equal(actor_system.email, "system");
	assert_true(actor_sees_client(&actor_system, 12345));
}

static void test_role_permissions(void **state)
{
	(void)state;
	const unsigned admin = PERM_TICKET_READ | PERM_TICKET_WRITE | PERM_DIRECTORY_READ | PERM_DIRECTORY_WRITE |
	                       PERM_TEAM_WRITE | PERM_USER_READ | PERM_CONFIG_WRITE | PERM_AUDIT_READ |
	                       PERM_PRIVACY_READ | PERM_PRIVACY_WRITE;
	const unsigned manager = PERM_TICKET_READ | PERM_TICKET_WRITE | PERM_DIRECTORY_READ | PERM_TEAM_WRITE |
	                         PERM_USER_READ | PERM_CONFIG_WRITE;
	assert_int_equal(role_permissions(USER_ROLE_ADMIN), admin);
	assert_int_equal(role_permissions(USER_ROLE_MANAGER), manager);
	assert_int_equal(role_permissions(USER_ROLE_AGENT), PERM_TICKET_READ | PERM_TICKET_WRITE | PERM_DIRECTORY_READ);
	assert_int_equal(role_permissions(USER_ROLE_CLIENT_VIEWER), PERM_TICKET_READ);
	assert_int_equal(role_permissions(USER_ROLE_DPO),
	                 PERM_TICKET_READ | PERM_AUDIT_READ | PERM_PRIVACY_READ | PERM_PRIVACY_WRITE);
	assert_int_equal(role_permissions(USER_ROLE_AUDITOR),
	                 PERM_TICKET_READ | PERM_DIRECTORY_READ | PERM_AUDIT_READ | PERM_PRIVACY_READ);
	assert_int_equal(role_permissions(USER_ROLE_VENDOR_AGENT), PERM_TICKET_READ | PERM_TICKET_WRITE);
	assert_int_equal(role_permissions(_USER_ROLE_INVALID), 0);
	assert_int_equal(role_permissions(_USER_ROLE_MAX), 0);
	/* only admins create clients and users; viewers, dpos and auditors never write;
	 * only admins, auditors and dpos read the audit log */
	for (int r = 0; r < _USER_ROLE_MAX; r++) {
		unsigned p = role_permissions((enum user_role)r);
		assert_int_equal(!!(p & PERM_DIRECTORY_WRITE), r == USER_ROLE_ADMIN);
		assert_int_equal(!!(p & PERM_TICKET_WRITE),
		                 r != USER_ROLE_CLIENT_VIEWER && r != USER_ROLE_DPO && r != USER_ROLE_AUDITOR);
		assert_int_equal(!!(p & PERM_AUDIT_READ),
		                 r == USER_ROLE_ADMIN || r == USER_ROLE_DPO || r == USER_ROLE_AUDITOR);
		assert_int_equal(!!(p & PERM_CONFIG_WRITE), r == USER_ROLE_ADMIN || r == USER_ROLE_MANAGER);
		/* data-subject requests: admins and dpos act, auditors look */
		assert_int_equal(!!(p & PERM_PRIVACY_WRITE), r == USER_ROLE_ADMIN || r == USER_ROLE_DPO);
		assert_int_equal(!!(p & PERM_PRIVACY_READ),
		                 r == USER_ROLE_ADMIN || r == USER_ROLE_DPO || r == USER_ROLE_AUDITOR);
		assert_true(p & PERM_TICKET_READ);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_actor_with_all_clients_sees_everything),
	        cmocka_unit_test(test_actor_without_grants_sees_nothing),
	        cmocka_unit_test(test_actor_sees_exactly_the_granted_clients),
	        cmocka_unit_test(test_binary_search_over_many_grants_and_single_grant),
	        cmocka_unit_test(test_system_actor_is_an_admin_seeing_all_clients),
	        cmocka_unit_test(test_role_permissions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
