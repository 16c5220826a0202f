/* Tests for the audit chain (model/audit.c, store/auditdb.c, service/audit.c):
 * the hash of a fixed entry (so the documented serialisation cannot drift), the
 * chain continuing across appends, the schema refusing UPDATE, DELETE and entries
 * that do not continue the chain, verify naming the first broken entry for an
 * edited detail, an edited hash, a deleted middle row and a deleted last row, and
 * listing filtered to a dpo's clients. */
#include "helpers.h"

#include <sodium.h>

#include "model/audit.h"
#include "service/audit.h"
#include "store/auditdb.h"

static int exec_sql(struct fixture *f, const char *sql)
{
	return sqlite3_exec(store_handle(f->st), sql, NULL, NULL, NULL);
}

static void append_n(struct fixture *f, int n, int64_t client)
{
	for (int i = 0; i < n; i++) {
		f->svc.now = TEST_T0 + i;
		assert_ok(f, audit_record(&f->svc, AUDIT_KIND_API_WRITE, client, "INC0000001",
		                          json_pack("{s:s,s:i}", "route", "/api/v1/tickets", "i", i)));
	}
}

static struct audit_verify_result verify(struct fixture *f)
{
	struct audit_verify_result r;
	assert_ok(f, audit_verify(&f->svc, &r));
	return r;
}

static void test_hash_of_a_fixed_entry_matches_the_documented_serialisation(void **state)
{
	(void)state;
	struct audit_entry e = {
	        .id = 1,
	        .at = 1772442000,
	        .actor_id = 0,
	        .actor_email = "system",
	        .kind = "login",
	        .client_id = 0,
	        .subject = "a@b.de",
	        .detail = "{}",
	};
	memcpy(e.prev_hash, audit_genesis_hash, sizeof(e.prev_hash));
	char h[AUDIT_HASH_HEX_LEN + 1];
	assert_int_equal(audit_entry_hash(&e, h), 0);
	/* the same bytes hashed independently: 32 zero bytes, then the length-prefixed fields */
	static const char ser[] = "17:leitstand-audit-11:110:17724420000:6:system5:login0:6:a@b.de2:{}";
	unsigned char buf[32 + sizeof(ser)], d[32];
	memset(buf, 0, 32);
	memcpy(buf + 32, ser, sizeof(ser) - 1);
	crypto_hash_sha256(d, buf, 32 + sizeof(ser) - 1);
	char want[65];
	sodium_bin2hex(want, sizeof(want), d, sizeof(d));
	assert_string_equal(h, want);
	/* any field change changes the hash; so does moving bytes between fields */
	e.subject = "a@b.d";
	e.detail = "e{}";
	char h2[65];
	assert_int_equal(audit_entry_hash(&e, h2), 0);
	assert_string_not_equal(h, h2);
	memcpy(e.prev_hash, "zz", 2);
	assert_int_equal(audit_entry_hash(&e, h2), -EINVAL);
}

static void test_appends_continue_the_chain_and_verify_ok(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(verify(f).n, 0);
	append_n(f, 5, 0);
	struct audit_verify_result r = verify(f);
	assert_int_equal(r.n, 5);
	assert_int_equal(r.bad_id, 0);
	int64_t id;
	char hash[65];
	assert_int_equal(auditdb_head(f->st, &id, hash), 0);
	assert_int_equal(id, 5);
}

static void test_schema_refuses_update_delete_and_out_of_chain_inserts(void **state)
{
	struct fixture *f = *state;
	append_n(f, 3, 0);
	assert_int_not_equal(exec_sql(f, "UPDATE audit_log SET detail = '{}' WHERE id = 2"), SQLITE_OK);
	assert_int_not_equal(exec_sql(f, "DELETE FROM audit_log WHERE id = 3"), SQLITE_OK);
	assert_int_not_equal(exec_sql(f, "DELETE FROM audit_head"), SQLITE_OK);
	assert_int_not_equal(exec_sql(f, "UPDATE audit_head SET last_id = 2"), SQLITE_OK);
	assert_int_not_equal(exec_sql(f, "INSERT INTO audit_log (id, at, actor_email, kind, detail, prev_hash, hash) "
	                                 "VALUES (9, 0, 'x', 'login', '{}', printf('%064d', 0), printf('%064d', 0))"),
	                     SQLITE_OK);
	assert_int_equal(verify(f).n, 3);
}

static void test_verify_names_an_edited_detail(void **state)
{
	struct fixture *f = *state;
	append_n(f, 4, 0);
	assert_int_equal(exec_sql(f, "DROP TRIGGER audit_log_no_update; "
	                             "UPDATE audit_log SET detail = '{\"i\":9}' WHERE id = 3"),
	                 SQLITE_OK);
	struct audit_verify_result r = verify(f);
	assert_int_equal(r.bad_id, 3);
	assert_int_equal(r.n, 2);
	assert_non_null(strstr(r.problem, "hash does not match"));
}

static void test_verify_names_an_edited_hash(void **state)
{
	struct fixture *f = *state;
	append_n(f, 4, 0);
	assert_int_equal(exec_sql(f, "DROP TRIGGER audit_log_no_update; "
	                             "UPDATE audit_log SET hash = printf('%064d', 1) WHERE id = 2"),
	                 SQLITE_OK);
	assert_int_equal(verify(f).bad_id, 2);
}

static void test_verify_names_a_deleted_middle_row(void **state)
{
	struct fixture *f = *state;
	append_n(f, 4, 0);
	assert_int_equal(exec_sql(f, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2"),
	                 SQLITE_OK);
	struct audit_verify_result r = verify(f);
	assert_int_equal(r.bad_id, 3);
	assert_non_null(strstr(r.problem, "entry 2 before it is missing"));
}

static void test_verify_names_a_deleted_last_row_by_the_head(void **state)
{
	struct fixture *f = *state;
	append_n(f, 4, 0);
	assert_int_equal(exec_sql(f, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 4"),
	                 SQLITE_OK);
	struct audit_verify_result r = verify(f);
	assert_int_equal(r.bad_id, 4);
	assert_int_equal(r.n, 3);
	assert_non_null(strstr(r.problem, "audit_head names entry 4"));
}

static void test_dpo_lists_only_entries_of_granted_clients(void **state)
{
	struct fixture *f = *state;
	int64_t acme = fx_client(f, "ACME", NULL);
	int64_t beta = fx_client(f, "BETA", NULL);
	int64_t dpo = fx_user(f, "dpo@example.com", USER_ROLE_DPO, "ACME");
	append_n(f, 2, acme);
	append_n(f, 3, beta);
	append_n(f, 1, 0);
	struct audit_query q = {.limit = 50};
	struct audit_entry *v;
	size_t n;
	bool more;
	f->svc.actor = fx_actor(f, dpo);
	assert_ok(f, audit_list(&f->svc, &q, &v, &n, &more));
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++)
		assert_true(v[i].client_id == acme);
	q.client = "BETA";
	assert_int_equal(audit_list(&f->svc, &q, &v, &n, &more), -EINVAL);
	f->svc.actor = &actor_system;
	q.client = NULL;
	q.limit = 2;
	assert_ok(f, audit_list(&f->svc, &q, &v, &n, &more));
	assert_int_equal(n, 2);
	assert_true(more);
	assert_true(v[0].id > v[1].id);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_hash_of_a_fixed_entry_matches_the_documented_serialisation),
	        T(test_appends_continue_the_chain_and_verify_ok),
	        T(test_schema_refuses_update_delete_and_out_of_chain_inserts),
	        T(test_verify_names_an_edited_detail),
	        T(test_verify_names_an_edited_hash),
	        T(test_verify_names_a_deleted_middle_row),
	        T(test_verify_names_a_deleted_last_row_by_the_head),
	        T(test_dpo_lists_only_entries_of_granted_clients),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
