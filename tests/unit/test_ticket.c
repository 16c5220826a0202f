/* Tests for model/ticket.c: every enum's wire names both ways and rejection of
 * anything else, the complete state-transition matrix as documented in
 * docs/tickets.md (closed is final, leaving resolved is a reopen), the priority
 * matrix (default ServiceNow cells and a custom one), ticket number format and
 * shape check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "model/ticket.h"

/* Generic round-trip checker over one enum's name table. */
#define CHECK_ENUM(prefix, type, names, maxv)                                                                          \
	do {                                                                                                           \
		assert_int_equal((int)(maxv), (int)(sizeof(names) / sizeof(names[0])));                                \
		for (int i = 0; i < (int)(maxv); i++) {                                                                \
			assert_string_equal(prefix##_to_string((type)i), names[i]);                                    \
			assert_int_equal(prefix##_from_string(names[i]), i);                                           \
		}                                                                                                      \
		assert_null(prefix##_to_string((type)(maxv)));                                                         \
		assert_null(prefix##_to_string((type)-1));                                                             \
		assert_null(prefix##_to_string((type)-22));                                                            \
		static const char *const junk[] = {"",       " ",      "unknown",  "NEW",    "Incident",               \
		                                   "agent ", " admin", "closed\n", "replyx", "email\t"};               \
		for (size_t k = 0; k < sizeof(junk) / sizeof(junk[0]); k++)                                            \
			assert_int_equal(prefix##_from_string(junk[k]), -EINVAL);                                      \
		assert_int_equal(prefix##_from_string(NULL), -EINVAL);                                                 \
	} while (0)

static void test_ticket_type_names_round_trip(void **state)
{
	(void)state;
	static const char *const names[] = {"incident", "problem", "service_request", "complaint"};
	CHECK_ENUM(ticket_type, enum ticket_type, names, _TICKET_TYPE_MAX);
	assert_int_equal(ticket_type_from_string("service-request"), _TICKET_TYPE_INVALID);
}

static void test_ticket_state_names_round_trip(void **state)
{
	(void)state;
	static const char *const names[] = {"new",      "assigned", "in_progress", "pending_customer", "pending_vendor",
	                                    "resolved", "closed"};
	CHECK_ENUM(ticket_state, enum ticket_state, names, _TICKET_STATE_MAX);
	assert_int_equal(ticket_state_from_string("in progress"), _TICKET_STATE_INVALID);
	assert_int_equal(ticket_state_from_string("pending"), _TICKET_STATE_INVALID);
}

static void test_channel_message_author_link_and_role_names_round_trip(void **state)
{
	(void)state;
	static const char *const channels[] = {"email", "phone", "web", "chat", "api"};
	CHECK_ENUM(ticket_channel, enum ticket_channel, channels, _TICKET_CHANNEL_MAX);
	static const char *const kinds[] = {"reply", "note"};
	CHECK_ENUM(message_kind, enum message_kind, kinds, _MESSAGE_KIND_MAX);
	static const char *const authors[] = {"agent", "customer", "system"};
	CHECK_ENUM(author_kind, enum author_kind, authors, _AUTHOR_KIND_MAX);
	static const char *const links[] = {"child_of", "caused_by", "duplicate_of"};
	CHECK_ENUM(link_kind, enum link_kind, links, _LINK_KIND_MAX);
	static const char *const roles[] = {"admin", "manager", "agent",       "client_viewer",
	                                    "dpo",   "auditor", "vendor_agent"};
	CHECK_ENUM(user_role, enum user_role, roles, _USER_ROLE_MAX);
}

static void test_invalid_members_equal_minus_einval(void **state)
{
	(void)state;
	assert_int_equal(_TICKET_TYPE_INVALID, -EINVAL);
	assert_int_equal(_TICKET_STATE_INVALID, -EINVAL);
	assert_int_equal(_TICKET_CHANNEL_INVALID, -EINVAL);
	assert_int_equal(_MESSAGE_KIND_INVALID, -EINVAL);
	assert_int_equal(_AUTHOR_KIND_INVALID, -EINVAL);
	assert_int_equal(_LINK_KIND_INVALID, -EINVAL);
	assert_int_equal(_USER_ROLE_INVALID, -EINVAL);
}

static void test_type_prefixes(void **state)
{
	(void)state;
	assert_string_equal(ticket_type_prefix(TICKET_TYPE_INCIDENT), "INC");
	assert_string_equal(ticket_type_prefix(TICKET_TYPE_PROBLEM), "PRB");
	assert_string_equal(ticket_type_prefix(TICKET_TYPE_SERVICE_REQUEST), "REQ");
	assert_string_equal(ticket_type_prefix(TICKET_TYPE_COMPLAINT), "CMP");
	assert_null(ticket_type_prefix(_TICKET_TYPE_MAX));
	assert_null(ticket_type_prefix(_TICKET_TYPE_INVALID));
}

/* The table of docs/tickets.md, written out independently of ticket.c. */
enum {
	N = TICKET_STATE_NEW,
	A = TICKET_STATE_ASSIGNED,
	I = TICKET_STATE_IN_PROGRESS,
	PC = TICKET_STATE_PENDING_CUSTOMER,
	PV = TICKET_STATE_PENDING_VENDOR,
	R = TICKET_STATE_RESOLVED,
	C = TICKET_STATE_CLOSED,
};
static const bool matrix[7][7] = {
        /*            N  A  I  PC PV R  C */
        [N] = {0, 1, 1, 1, 1, 1, 0},  [A] = {1, 0, 1, 1, 1, 1, 0},  [I] = {0, 1, 0, 1, 1, 1, 0},
        [PC] = {0, 1, 1, 0, 1, 1, 0}, [PV] = {0, 1, 1, 1, 0, 1, 0}, [R] = {0, 1, 1, 0, 0, 0, 1},
        [C] = {0, 0, 0, 0, 0, 0, 0},
};

static void test_transition_matrix_matches_the_documented_life_cycle(void **state)
{
	(void)state;
	for (int from = 0; from < _TICKET_STATE_MAX; from++)
		for (int to = 0; to < _TICKET_STATE_MAX; to++) {
			bool got = ticket_transition_allowed((enum ticket_state)from, (enum ticket_state)to);
			if (got != matrix[from][to])
				fail_msg("%s -> %s: allowed=%d, documented %d",
				         ticket_state_to_string((enum ticket_state)from),
				         ticket_state_to_string((enum ticket_state)to), got, matrix[from][to]);
		}
}

static void test_closed_is_final_and_nothing_enters_it_but_resolved(void **state)
{
	(void)state;
	for (int s = 0; s < _TICKET_STATE_MAX; s++) {
		assert_false(ticket_transition_allowed(TICKET_STATE_CLOSED, (enum ticket_state)s));
		assert_int_equal(ticket_transition_allowed((enum ticket_state)s, TICKET_STATE_CLOSED),
		                 s == TICKET_STATE_RESOLVED);
		assert_false(ticket_transition_allowed((enum ticket_state)s, (enum ticket_state)s));
	}
}

static void test_out_of_range_states_never_transition(void **state)
{
	(void)state;
	assert_false(ticket_transition_allowed(_TICKET_STATE_INVALID, TICKET_STATE_NEW));
	assert_false(ticket_transition_allowed(TICKET_STATE_NEW, _TICKET_STATE_INVALID));
	assert_false(ticket_transition_allowed(_TICKET_STATE_MAX, TICKET_STATE_NEW));
	assert_false(ticket_transition_allowed(TICKET_STATE_NEW, _TICKET_STATE_MAX));
	assert_false(ticket_transition_allowed(TICKET_STATE_NEW, (enum ticket_state)31));
}

static void test_only_leaving_resolved_for_work_is_a_reopen(void **state)
{
	(void)state;
	for (int from = 0; from < _TICKET_STATE_MAX; from++)
		for (int to = 0; to < _TICKET_STATE_MAX; to++) {
			bool want = from == TICKET_STATE_RESOLVED &&
			            (to == TICKET_STATE_IN_PROGRESS || to == TICKET_STATE_ASSIGNED);
			assert_int_equal(ticket_transition_is_reopen((enum ticket_state)from, (enum ticket_state)to),
			                 want);
		}
}

static void test_open_and_pending_states(void **state)
{
	(void)state;
	static const bool open[] = {1, 1, 1, 1, 1, 0, 0};
	static const bool pending[] = {0, 0, 0, 1, 1, 0, 0};
	for (int s = 0; s < _TICKET_STATE_MAX; s++) {
		assert_int_equal(ticket_state_is_open((enum ticket_state)s), open[s]);
		assert_int_equal(ticket_state_is_pending((enum ticket_state)s), pending[s]);
	}
}

static void test_transitions_describe_lists_targets_in_order(void **state)
{
	(void)state;
	char buf[160];
	ticket_transitions_describe(TICKET_STATE_RESOLVED, buf, sizeof(buf));
	assert_string_equal(buf, "assigned, in_progress, closed");
	ticket_transitions_describe(TICKET_STATE_NEW, buf, sizeof(buf));
	assert_string_equal(buf, "assigned, in_progress, pending_customer, pending_vendor, resolved");
	ticket_transitions_describe(TICKET_STATE_CLOSED, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	/* a short buffer holds a terminated prefix, never more */
	char small[12];
	memset(small, 'x', sizeof(small));
	ticket_transitions_describe(TICKET_STATE_NEW, small, sizeof(small));
	assert_true(memchr(small, '\0', sizeof(small)) != NULL);
	assert_int_equal(strncmp(small, "assigned", 8), 0);
}

static void test_default_matrix_is_impact_plus_urgency_minus_one(void **state)
{
	(void)state;
	assert_true(priority_matrix_valid(PRIORITY_MATRIX_DEFAULT));
	for (int impact = 1; impact <= 3; impact++)
		for (int urgency = 1; urgency <= 3; urgency++)
			assert_int_equal(priority_from_matrix(PRIORITY_MATRIX_DEFAULT, impact, urgency),
			                 impact + urgency - 1);
	/* spelled out, so that a transposed matrix would fail too */
	assert_int_equal(priority_from_matrix("123234345", 1, 1), 1);
	assert_int_equal(priority_from_matrix("123234345", 3, 3), 5);
	assert_int_equal(priority_from_matrix("123234345", 2, 1), 2);
	assert_int_equal(priority_from_matrix("123234345", 1, 3), 3);
}

static void test_custom_matrix_rows_are_impact_columns_urgency(void **state)
{
	(void)state;
	const char *m = "112223345"; /* row impact 1: 1 1 2; impact 2: 2 2 3; impact 3: 3 4 5 */
	static const int want[3][3] = {{1, 1, 2}, {2, 2, 3}, {3, 4, 5}};
	for (int impact = 1; impact <= 3; impact++)
		for (int urgency = 1; urgency <= 3; urgency++)
			assert_int_equal(priority_from_matrix(m, impact, urgency), want[impact - 1][urgency - 1]);
	assert_int_equal(priority_from_matrix("155555555", 1, 2), 5);
	assert_int_equal(priority_from_matrix("155555555", 2, 1), 5);
	assert_int_equal(priority_from_matrix("512222222", 1, 1), 5);
}

static void test_priority_rejects_bad_matrix_and_levels(void **state)
{
	(void)state;
	static const char *const bad[] = {"",          "12323434",  "1232343451", "023234345",
	                                  "123234346", "12323434x", "12 234345"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(priority_matrix_valid(bad[i]));
		assert_int_equal(priority_from_matrix(bad[i], 1, 1), -EINVAL);
	}
	assert_false(priority_matrix_valid(NULL));
	assert_int_equal(priority_from_matrix(NULL, 1, 1), -EINVAL);
	assert_int_equal(priority_from_matrix(PRIORITY_MATRIX_DEFAULT, 0, 1), -EINVAL);
	assert_int_equal(priority_from_matrix(PRIORITY_MATRIX_DEFAULT, 4, 1), -EINVAL);
	assert_int_equal(priority_from_matrix(PRIORITY_MATRIX_DEFAULT, 1, 0), -EINVAL);
	assert_int_equal(priority_from_matrix(PRIORITY_MATRIX_DEFAULT, 1, 4), -EINVAL);
	assert_int_equal(priority_from_matrix(PRIORITY_MATRIX_DEFAULT, -1, -1), -EINVAL);
}

static void test_number_format_pads_to_seven_digits(void **state)
{
	(void)state;
	char buf[24];
	ticket_number_format(TICKET_TYPE_INCIDENT, 1, buf, sizeof(buf));
	assert_string_equal(buf, "INC0000001");
	ticket_number_format(TICKET_TYPE_PROBLEM, 1234, buf, sizeof(buf));
	assert_string_equal(buf, "PRB0001234");
	ticket_number_format(TICKET_TYPE_SERVICE_REQUEST, 9999999, buf, sizeof(buf));
	assert_string_equal(buf, "REQ9999999");
	ticket_number_format(TICKET_TYPE_COMPLAINT, 10000000, buf, sizeof(buf));
	assert_string_equal(buf, "CMP10000000");
	ticket_number_format(TICKET_TYPE_INCIDENT, INT64_MAX, buf, sizeof(buf));
	assert_string_equal(buf, "INC9223372036854775807");
	assert_true(ticket_number_valid(buf));
}

static void test_number_valid_checks_shape(void **state)
{
	(void)state;
	static const char *const good[] = {"INC0000001", "PRB0001234", "REQ9999999", "CMP10000000",
	                                   "INC9223372036854775807"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!ticket_number_valid(good[i]))
			fail_msg("'%s' rejected", good[i]);
	static const char *const bad[] = {
	        "",
	        "INC",
	        "INC000001",
	        "inc0000001",
	        "XYZ0000001",
	        "INC00000a1",
	        "INC0000001 ",
	        " INC0000001",
	        "INC-000001",
	        "INC+000001",
	        "IN0000001",
	        "PRBX000001",
	        "INC0000001\n",
	        "CMP０000001",
	        "INC00000000000000000000", /* 23 characters */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ticket_number_valid(bad[i]))
			fail_msg("'%s' accepted", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_ticket_type_names_round_trip),
	        cmocka_unit_test(test_ticket_state_names_round_trip),
	        cmocka_unit_test(test_channel_message_author_link_and_role_names_round_trip),
	        cmocka_unit_test(test_invalid_members_equal_minus_einval),
	        cmocka_unit_test(test_type_prefixes),
	        cmocka_unit_test(test_transition_matrix_matches_the_documented_life_cycle),
	        cmocka_unit_test(test_closed_is_final_and_nothing_enters_it_but_resolved),
	        cmocka_unit_test(test_out_of_range_states_never_transition),
	        cmocka_unit_test(test_only_leaving_resolved_for_work_is_a_reopen),
	        cmocka_unit_test(test_open_and_pending_states),
	        cmocka_unit_test(test_transitions_describe_lists_targets_in_order),
	        cmocka_unit_test(test_default_matrix_is_impact_plus_urgency_minus_one),
	        cmocka_unit_test(test_custom_matrix_rows_are_impact_columns_urgency),
	        cmocka_unit_test(test_priority_rejects_bad_matrix_and_levels),
	        cmocka_unit_test(test_number_format_pads_to_seven_digits),
	        cmocka_unit_test(test_number_valid_checks_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
