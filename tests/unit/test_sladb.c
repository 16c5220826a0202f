/* Tests for store/sladb.c (insert, versions with the optimistic check, get current or
 * version N, list by sort order, the append-only versions table) and for the service
 * in service/sla.c at a fixed clock: a P2 ticket created Monday 16:00 in Berlin has its
 * first response due Tuesday 11:00 on the example calendar; a pause stops only the
 * resolution clock; a customer reply starts a next update and an agent reply meets it;
 * a priority change moves the ticket to the policy that applies to the new priority. */
#include "helpers.h"

#include <sqlite3.h>
#include <string.h>

#include "service/sla.h"
#include "service/tickets.h"
#include "store/sladb.h"

#define EXAMPLE                                                                                                        \
	"{\"calendar\":{\"tz\":\"Europe/Berlin\",\"hours\":\"mon-fri 08:00-17:00\",\"holidays\":\"DE-NW\"},"           \
	"\"pause_states\":[\"pending_customer\"],\"targets\":{\"P1\":{\"first_response\":\"1h\","                      \
	"\"resolution\":\"4h\"},\"P2\":{\"first_response\":\"4h\",\"next_update\":\"8h\",\"resolution\":\"16h\"}}}"

static void test_insert_version_get_and_list(void **state)
{
	struct fixture *f = *state;
	int64_t cid = fx_client(f, "ACME", NULL);
	struct sla_def b = {
	        .client_id = cid, .code = "B", .name = "Bee", .sort_order = 5, .definition = "{}", .created_at = 100};
	struct sla_def a = {.client_id = cid,
	                    .code = "A",
	                    .name = "Ay",
	                    .sort_order = 10,
	                    .definition = "{\"a\":1}",
	                    .created_at = 101};
	assert_int_equal(sladb_insert(f->st, &b, 0), 0);
	assert_int_equal(sladb_insert(f->st, &a, 0), 0);
	assert_true(b.id > 0 && a.id > b.id && a.version == 1);
	struct sla_def dup = {.client_id = cid, .code = "A", .name = "x", .definition = "{}", .created_at = 1};
	assert_int_equal(sladb_insert(f->st, &dup, 0), -LS_ECONFLICT);

	a.definition = "{\"a\":2}";
	a.sort_order = 1;
	assert_int_equal(sladb_add_version(f->st, &a, 2, 0, 200), -LS_ESTALE);
	assert_int_equal(sladb_add_version(f->st, &a, 1, 0, 200), 0);
	assert_true(a.version == 2);

	struct sla_def d;
	assert_int_equal(sladb_get(f->st, &f->arena, cid, "A", 0, &d), 0);
	assert_true(d.version == 2 && d.current_version == 2 && d.sort_order == 1 && d.version_created_at == 200);
	assert_string_equal(d.definition, "{\"a\":2}");
	assert_string_equal(d.client_code, "ACME");
	assert_null(d.version_created_by);
	assert_int_equal(sladb_get(f->st, &f->arena, cid, "A", 1, &d), 0);
	assert_true(d.version == 1 && d.current_version == 2 && d.sort_order == 10 && d.created_at == 101);
	assert_string_equal(d.definition, "{\"a\":1}");
	assert_int_equal(sladb_get(f->st, &f->arena, cid, "A", 3, &d), -ENOENT);
	assert_int_equal(sladb_get(f->st, &f->arena, cid, "C", 0, &d), -ENOENT);
	assert_int_equal(sladb_get(f->st, &f->arena, cid + 1, "A", 0, &d), -ENOENT);

	struct sla_def *v;
	size_t n;
	assert_int_equal(sladb_list(f->st, &f->arena, cid, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].code, "A"); /* order 1 before 5 */
	assert_string_equal(v[1].code, "B");
	assert_int_equal(sladb_list(f->st, &f->arena, cid + 1, &v, &n), 0);
	assert_int_equal(n, 0);

	sqlite3 *db = store_handle(f->st);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE sla_policy_versions SET definition = '{}'", NULL, NULL, NULL),
	                     SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM sla_policy_versions", NULL, NULL, NULL), SQLITE_OK);
}

static void create_policy(struct fixture *f, const char *code, const char *definition)
{
	struct sla_input in = {.client = "ACME", .code = code, .definition = definition};
	struct sla_def d;
	assert_ok(f, sla_policies_create(&f->svc, &in, &d));
}

static struct ticket new_ticket(struct fixture *f, int impact, int urgency)
{
	struct ticket_input in = {.client = "ACME",
	                          .type = TICKET_TYPE_INCIDENT,
	                          .title = "t",
	                          .impact = impact,
	                          .urgency = urgency,
	                          .channel = -1};
	struct ticket t;
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	return t;
}

static const struct clock_target *find(const struct sla_ticket_result *r, enum policy_metric m, int nth)
{
	for (size_t i = 0; i < r->clock->n_targets; i++)
		if (r->clock->targets[i].metric == m && nth-- == 0)
			return &r->clock->targets[i];
	fail_msg("no %s target", policy_metric_to_string(m));
	return NULL;
}

static void message(struct fixture *f, const char *number, enum author_kind who, enum message_kind kind)
{
	struct message_input in = {.kind = kind, .author_kind = who, .author_name = "x", .body = "b"};
	assert_ok(f, tickets_add_message(&f->svc, number, &in, NULL, NULL));
}

#define H 3600

static void test_ticket_sla_at_a_fixed_clock(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	create_policy(f, "STD", EXAMPLE);
	f->svc.now = TEST_T0 + 6 * H; /* Monday 2026-03-02 15:00Z, 16:00 in Berlin */
	struct ticket t = new_ticket(f, 1, 2);
	assert_int_equal(t.priority, 2);

	struct sla_ticket_result r;
	assert_ok(f, sla_ticket(&f->svc, t.number, 0, &r));
	assert_non_null(r.policy);
	assert_string_equal(r.policy->code, "STD");
	assert_null(r.no_policy);
	const struct clock_target *fr = find(&r, POLICY_FIRST_RESPONSE, 0);
	assert_int_equal(fr->state, CLOCK_RUNNING);
	assert_true(fr->due == TEST_T0 + 25 * H); /* 1h Monday, 3h Tuesday: 11:00 Berlin */
	assert_true(r.has_deadline && r.deadline.kind == CLOCK_DEADLINE_WARNING);

	/* pending_customer for an hour of business time: resolution pauses, first response does not */
	f->svc.now = TEST_T0 + 7 * H;
	assert_ok(f, tickets_transition(&f->svc, t.number, 0, TICKET_STATE_PENDING_CUSTOMER, NULL));
	f->svc.now = TEST_T0 + 24 * H;                                  /* Tuesday 10:00 Berlin */
	message(f, t.number, AUTHOR_KIND_CUSTOMER, MESSAGE_KIND_REPLY); /* resumes work */
	assert_ok(f, sla_ticket(&f->svc, t.number, 0, &r));
	assert_int_equal(r.clock->state, TICKET_STATE_IN_PROGRESS);
	fr = find(&r, POLICY_FIRST_RESPONSE, 0);
	assert_int_equal(fr->state, CLOCK_RUNNING);
	assert_true(fr->consumed == 3 * H);
	const struct clock_target *res = find(&r, POLICY_RESOLUTION, 0);
	assert_true(res->consumed == 0 + 1 * H); /* 15:00-16:00Z Monday; paused since then */

	f->svc.now = TEST_T0 + 24 * H + 600;
	message(f, t.number, AUTHOR_KIND_AGENT, MESSAGE_KIND_NOTE); /* not public: nothing met */
	assert_ok(f, sla_ticket(&f->svc, t.number, 0, &r));
	assert_int_equal(find(&r, POLICY_FIRST_RESPONSE, 0)->state, CLOCK_RUNNING);
	message(f, t.number, AUTHOR_KIND_AGENT, MESSAGE_KIND_REPLY);
	assert_ok(f, sla_ticket(&f->svc, t.number, 0, &r));
	assert_int_equal(find(&r, POLICY_FIRST_RESPONSE, 0)->state, CLOCK_MET);

	/* as of an earlier instant the later events do not count */
	assert_ok(f, sla_ticket(&f->svc, t.number, TEST_T0 + 6 * H + 60, &r));
	assert_int_equal(find(&r, POLICY_FIRST_RESPONSE, 0)->state, CLOCK_RUNNING);
	assert_int_equal(r.clock->state, TICKET_STATE_NEW);
	assert_svc_error(f, sla_ticket(&f->svc, t.number, TEST_T0, &r), -EINVAL, "invalid_parameter", "at");
	assert_svc_error(f, sla_ticket(&f->svc, "INC9999999", 0, &r), -ENOENT, "not_found", "number");
}

static void test_priority_change_reselects_the_policy(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	create_policy(f, "STD", EXAMPLE);
	create_policy(f, "P1ONLY",
	              "{\"order\":-1,\"applies_to\":{\"priorities\":[\"P1\"]},"
	              "\"targets\":{\"P1\":{\"first_response\":\"30m\"}}}");
	struct ticket t = new_ticket(f, 1, 2);
	struct sla_ticket_result r;
	assert_ok(f, sla_ticket(&f->svc, t.number, 0, &r));
	assert_string_equal(r.policy->code, "STD");
	f->svc.now += 60;
	struct ticket_patch p = {.fields = PATCH_URGENCY, .v = {.urgency = 1}};
	assert_ok(f, tickets_update(&f->svc, t.number, 0, &p, NULL));
	assert_ok(f, sla_ticket(&f->svc, t.number, 0, &r));
	assert_int_equal(r.clock->priority, 1);
	assert_string_equal(r.policy->code, "P1ONLY");
	assert_int_equal(find(&r, POLICY_FIRST_RESPONSE, 0)->state, CLOCK_SUPERSEDED);
	const struct clock_target *fr = find(&r, POLICY_FIRST_RESPONSE, 1);
	assert_int_equal(fr->state, CLOCK_RUNNING);
	assert_true(fr->due == t.created_at + 1800); /* 24x7, measured from creation */
	assert_string_equal(sla_ticket_policy(&r, fr->policy)->code, "P1ONLY");

	/* a policy change that does not parse is refused with the field under definition */
	struct sla_input in = {.definition = "{\"targets\":{\"P9\":{\"resolution\":\"1h\"}}}"};
	struct lserr *e = &f->err;
	assert_int_equal(sla_policies_update(&f->svc, "ACME", "STD", 1, SLA_PATCH_DEFINITION, &in, NULL), -EINVAL);
	assert_string_equal(e->code, "invalid_field");
	assert_true(strncmp(e->field, "definition.targets", 18) == 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_insert_version_get_and_list),
	        T(test_ticket_sla_at_a_fixed_clock),
	        T(test_priority_change_reselects_the_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
