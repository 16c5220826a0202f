/* Tests for retention (model/retention.c, store/retentiondb.c, the schema of
 * migration 0016): period parsing, adding periods across month ends and leap
 * years, the cutoff agreeing with due_at at every instant around it, the year-end
 * start, due selection of persons (all tickets due, waiting, held by ticket and by
 * person, open tickets never due), replies and call records, and the audit log
 * losing only a prefix under the anchor, with verify starting from the anchor. */
#include "helpers.h"

#include "model/retention.h"
#include "service/audit.h"
#include "store/retentiondb.h"

static struct retention_period P(const char *s) {
	struct retention_period p;
	assert_int_equal(retention_period_parse(s, &p), 0);
	return p;
}

static void
test_periods_parse_iso_8601_date_durations_and_refuse_the_rest(void **state)
{
	(void)state;
	struct retention_period p = P("P6M");
	assert_int_equal(p.months, 6);
	p = P("P1Y6M2W3D");
	assert_int_equal(p.years, 1);
	assert_int_equal(p.months, 6);
	assert_int_equal(p.days, 17);
	char buf[32];
	assert_string_equal(retention_period_format(&p, buf, sizeof(buf)), "P1Y6M17D");
	assert_string_equal(retention_period_format(&(struct retention_period){.years = 10}, buf, sizeof(buf)), "P10Y");
	static const char *const bad[] = {"",      "P",    "6M",    "P0D",   "P0Y0M", "P1H",  "PT1H",     "P1M1Y",
	                                  "P1.5Y", "P-1Y", "P1Y1Y", "P101Y", "p1y",   "P1Y ", "P9999999D"};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++)
		assert_int_equal(retention_period_parse(bad[i], &p), -EINVAL);
	assert_int_equal(retention_period_parse(NULL, &p), -EINVAL);
}

static void test_month_periods_clamp_to_the_end_of_shorter_months(void **state)
{
	(void)state;
	struct retention_period m1 = P("P1M"), y1 = P("P1Y"), m6 = P("P6M");
	/* 31 Jan + 1 month ends with 28 Feb in a common year, 29 Feb in a leap year (§ 188(3) BGB) */
	assert_int_equal(retention_due_at(fx_time("2025-01-31T10:15:00Z"), &m1, false),
	                 fx_time("2025-03-01T00:00:00Z"));
	assert_int_equal(retention_due_at(fx_time("2024-01-31T10:15:00Z"), &m1, false),
	                 fx_time("2024-03-01T00:00:00Z"));
	/* 29 Feb + 1 year ends with 28 Feb; 29 Feb + 4 years is 29 Feb */
	assert_int_equal(retention_due_at(fx_time("2024-02-29T00:00:00Z"), &y1, false),
	                 fx_time("2025-03-01T00:00:00Z"));
	assert_int_equal(
	        retention_due_at(fx_time("2024-02-29T00:00:00Z"), &(struct retention_period){.years = 4}, false),
	        fx_time("2028-02-29T00:00:00Z"));
	/* across a year boundary; 31 Aug + 6 months ends with 28 Feb; a day the month has keeps the time */
	assert_int_equal(retention_due_at(fx_time("2025-08-31T23:59:59Z"), &m6, false),
	                 fx_time("2026-03-01T00:00:00Z"));
	assert_int_equal(retention_due_at(fx_time("2025-12-15T08:00:00Z"), &m1, false),
	                 fx_time("2026-01-15T08:00:00Z"));
	/* days after months: 31 Jan + P1M1D = the end of 1 Mar (common year) */
	assert_int_equal(retention_due_at(fx_time("2025-01-31T00:00:00Z"),
	                                  &(struct retention_period){.months = 1, .days = 1}, false),
	                 fx_time("2025-03-02T00:00:00Z"));
	/* 2100 is no leap year */
	assert_int_equal(retention_due_at(fx_time("2100-01-31T00:00:00Z"), &m1, false),
	                 fx_time("2100-03-01T00:00:00Z"));
}

static void test_year_end_periods_run_from_the_end_of_the_calendar_year(void **state)
{
	(void)state;
	/* § 147 AO: a letter of 3 March 2020 kept 6 years is due at the end of 2026 */
	struct retention_period y6 = P("P6Y");
	assert_int_equal(retention_due_at(fx_time("2020-03-03T12:00:00Z"), &y6, true), fx_time("2027-01-01T00:00:00Z"));
	assert_int_equal(retention_due_at(fx_time("2020-12-31T23:59:59Z"), &y6, true), fx_time("2027-01-01T00:00:00Z"));
	assert_int_equal(retention_due_at(fx_time("2021-01-01T00:00:00Z"), &y6, true), fx_time("2028-01-01T00:00:00Z"));
}

static void test_the_cutoff_separates_due_from_not_due_starts(void **state)
{
	(void)state;
	static const char *const periods[] = {"P1D", "P1M", "P6M", "P1Y", "P2Y", "P10Y", "P1Y1M1D", "P3W"};
	static const char *const nows[] = {"2026-02-28T00:00:00Z", "2024-02-29T12:00:00Z", "2026-03-31T23:59:59Z",
	                                   "2026-01-01T00:00:00Z", "2028-03-01T06:30:00Z"};
	for (size_t i = 0; i < ELEMENTSOF(periods); i++)
		for (size_t j = 0; j < ELEMENTSOF(nows); j++)
			for (int ye = 0; ye < 2; ye++) {
				struct retention_period p = P(periods[i]);
				ls_time now = fx_time(nows[j]);
				ls_time c = retention_cutoff(now, &p, ye);
				assert_true(retention_due_at(c, &p, ye) <= now);
				assert_true(retention_due_at(c + 1, &p, ye) > now);
				/* and further away on both sides (monotone) */
				assert_true(retention_due_at(c - 86400 * 40, &p, ye) <= now);
				if (!ye) /* with the year end, later starts of the same year share the due date */
					assert_true(retention_due_at(c + 86400 * 3, &p, ye) > now);
			}
	/* 28 Feb 2026 00:00, P1M: every start up to 28 Jan 00:00 is due; 29 to 31 Jan end with 28 Feb,
	 * so at 1 Mar 00:00 they are due, and so is 1 Feb 00:00 */
	struct retention_period m1 = P("P1M");
	assert_int_equal(retention_cutoff(fx_time("2026-02-28T00:00:00Z"), &m1, false),
	                 fx_time("2026-01-28T00:00:00Z"));
	assert_int_equal(retention_cutoff(fx_time("2026-03-01T00:00:00Z"), &m1, false),
	                 fx_time("2026-02-01T00:00:00Z"));
}

static void test_kinds_events_and_actions_round_trip(void **state)
{
	(void)state;
	for (int k = 0; k < _RETENTION_KIND_MAX; k++)
		assert_int_equal(retention_kind_from_string(retention_kind_to_string((enum retention_kind)k)), k);
	for (int e = 0; e < _RETENTION_EVENT_MAX; e++)
		assert_int_equal(retention_event_from_string(retention_event_to_string((enum retention_event)e)), e);
	assert_int_equal(retention_kind_from_string("files"), _RETENTION_KIND_INVALID);
	assert_true(retention_event_fits(RETENTION_TICKETS, RETENTION_EVENT_TICKET_CLOSED));
	assert_false(retention_event_fits(RETENTION_TICKETS, RETENTION_EVENT_INTERVAL_START));
	assert_true(retention_event_fits(RETENTION_CALL_RECORDS, RETENTION_EVENT_INTERVAL_START));
	assert_false(retention_event_fits(RETENTION_AUDIT_ENTRIES, RETENTION_EVENT_TICKET_CLOSED));
	assert_string_equal(retention_action(RETENTION_TICKETS), "pseudonymise");
	assert_string_equal(retention_action(RETENTION_CALL_RECORDS), "delete");
}

/* ---- due selection on a database ---- */

static void exec_ok(struct fixture *f, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(store_handle(f->st), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static int exec_rc(struct fixture *f, const char *sql)
{
	return sqlite3_exec(store_handle(f->st), sql, NULL, NULL, NULL);
}

static void add_ticket(struct fixture *f, int64_t id, int64_t client, int64_t person, const char *state, ls_time closed)
{
	char sql[640], closed_text[24];
	snprintf(closed_text, sizeof(closed_text), "%lld", (long long)closed);
	snprintf(
	        sql, sizeof(sql),
	        "INSERT INTO tickets (id, client_id, number, type, title, impact, urgency, priority, state, channel, "
	        "created_at, updated_at, closed_at, person_id) VALUES (%lld, %lld, 'INC%07lld', 'incident', 't', 2, 2, "
	        "3, '%s', 'web', %lld, %lld, %s, %lld);"
	        "INSERT INTO ticket_messages (client_id, ticket_id, kind, author_kind, body, created_at) "
	        "VALUES (%lld, %lld, 'reply', 'customer', 'hello from a person', %lld)",
	        (long long)id, (long long)client, (long long)id, state, (long long)(closed - 86400), (long long)closed,
	        strcmp(state, "closed") == 0 ? closed_text : "NULL", (long long)person, (long long)client,
	        (long long)id, (long long)closed);
	exec_ok(f, sql);
}

static void add_person(struct fixture *f, int64_t id, int64_t client)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO persons (id, client_id, pseudonym, created_at, updated_at) VALUES (%lld, %lld, "
	         "'P-%08lld', 0, 0)",
	         (long long)id, (long long)client, (long long)id);
	exec_ok(f, sql);
}

static void test_due_selection_counts_waiting_and_held_persons(void **state)
{
	struct fixture *f = *state;
	int64_t c = fx_client(f, "ACME", NULL);
	ls_time old = fx_time("2020-06-01T00:00:00Z"), recent = fx_time("2026-02-01T00:00:00Z");
	for (int64_t p = 1; p <= 5; p++)
		add_person(f, p, c);
	add_ticket(f, 1, c, 1, "closed", old); /* person 1: everything due */
	add_ticket(f, 2, c, 1, "closed", old);
	add_ticket(f, 3, c, 2, "closed", old); /* person 2: one more ticket not yet due: waiting */
	add_ticket(f, 4, c, 2, "closed", recent);
	add_ticket(f, 5, c, 3, "closed", old);      /* person 3: its ticket held */
	add_ticket(f, 6, c, 4, "closed", old);      /* person 4: the person held */
	add_ticket(f, 7, c, 5, "in_progress", old); /* person 5: open tickets never fall due */
	exec_ok(f,
	        "INSERT INTO legal_holds (client_id, ticket_id, reason, from_at, created_at, created_by) "
	        "VALUES (1, 5, 'dispute', 0, 0, 'test');"
	        "INSERT INTO legal_holds (client_id, person_id, reason, from_at, created_at, created_by) "
	        "VALUES (1, 4, 'claim', 0, 0, 'test');"
	        /* released and expired holds do not count */
	        "INSERT INTO legal_holds (client_id, ticket_id, reason, from_at, created_at, created_by, released_at) "
	        "VALUES (1, 1, 'over', 0, 0, 'test', 5);"
	        "INSERT INTO legal_holds (client_id, ticket_id, reason, from_at, until_at, created_at, created_by) "
	        "VALUES (1, 2, 'over', 0, 10, 0, 'test')");
	ls_time now = fx_time("2026-03-02T00:00:00Z");
	struct retention_period y2 = P("P2Y");
	ls_time cut = retention_cutoff(now, &y2, false);
	struct retention_person *v;
	size_t n;
	assert_int_equal(retentiondb_due_persons(f->st, &f->arena, c, RETENTION_EVENT_TICKET_CLOSED, cut, now, &v, &n),
	                 0);
	assert_int_equal(n, 4);
	assert_int_equal(v[0].person_id, 1);
	assert_int_equal(v[0].tickets, 2);
	assert_int_equal(v[0].due, 2);
	assert_int_equal(v[0].held, 0);
	assert_int_equal(v[1].person_id, 2);
	assert_int_equal(v[1].tickets, 2);
	assert_int_equal(v[1].due, 1);
	assert_int_equal(v[2].person_id, 3);
	assert_int_equal(v[2].held, 1);
	assert_int_equal(v[3].person_id, 4);
	assert_int_equal(v[3].held, 1);

	bool hit;
	assert_int_equal(retentiondb_held_mentions(f->st, c, now, "FROM A PERSON", &hit), 0);
	assert_true(hit); /* ticket 5 is held and its reply says so */
	assert_int_equal(retentiondb_held_mentions(f->st, c, now, "nobody@example.com", &hit), 0);
	assert_false(hit);

	int64_t *ids, msgs, held;
	assert_int_equal(retentiondb_due_replies(f->st, &f->arena, c, RETENTION_EVENT_TICKET_CLOSED, cut, now, "[x]",
	                                         100, &ids, &n, &msgs, &held),
	                 0);
	assert_int_equal(n, 3); /* tickets 1, 2, 3; 5 and 6 held; 4 recent; 7 open */
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[2], 3);
	assert_int_equal(msgs, 3);
	assert_int_equal(held, 2);
	int64_t k;
	assert_int_equal(retentiondb_replace_replies(f->st, 1, "[x]", &k), 0);
	assert_int_equal(k, 1);
	assert_int_equal(retentiondb_due_replies(f->st, &f->arena, c, RETENTION_EVENT_TICKET_CLOSED, cut, now, "[x]",
	                                         100, &ids, &n, &msgs, &held),
	                 0);
	assert_int_equal(n, 2);

	/* a hold on the whole client */
	bool client_held;
	assert_int_equal(retentiondb_client_held(f->st, c, now, &client_held), 0);
	assert_false(client_held);
	exec_ok(f, "INSERT INTO legal_holds (client_id, reason, from_at, created_at, created_by) "
	           "VALUES (1, 'audit by the tax office', 0, 0, 'test')");
	assert_int_equal(retentiondb_client_held(f->st, c, now, &client_held), 0);
	assert_true(client_held);
}

static void test_call_records_before_the_cutoff_are_counted_and_deleted(void **state)
{
	struct fixture *f = *state;
	int64_t c = fx_client(f, "ACME", NULL);
	exec_ok(f, "INSERT INTO imports (id, client_id, source, file, started_at) VALUES (1, 1, 'acd', 'f.csv', 0)");
	exec_ok(f,
	        "INSERT INTO acd_intervals (client_id, queue, start, length, offered, answered, abandoned, import_id) "
	        "VALUES (1, 'q', 1000, 900, 1, 1, 0, 1), (1, 'q', 2000, 900, 1, 1, 0, 1), (1, 'q', 3000, 900, 1, 1, 0, "
	        "1)");
	int64_t n;
	assert_int_equal(retentiondb_call_records(f->st, c, 2000, false, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(retentiondb_call_records(f->st, c, 2000, true, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(retentiondb_call_records(f->st, c, 5000, false, &n), 0);
	assert_int_equal(n, 1);
}

static bool due_before_id_4(ls_time at, int64_t client, void *ctx)
{
	(void)client;
	(void)ctx;
	return at < TEST_T0 + 3;
}

static void test_the_audit_log_loses_only_a_prefix_under_the_anchor(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 6; i++) {
		f->svc.now = TEST_T0 + i;
		assert_ok(f, audit_record(&f->svc, AUDIT_KIND_API_WRITE, 0, "x", json_pack("{s:i}", "i", i)));
	}
	/* without the gate nothing may be deleted, nor the anchor moved */
	assert_int_not_equal(exec_rc(f, "DELETE FROM audit_log WHERE id = 1"), SQLITE_OK);
	assert_int_not_equal(exec_rc(f, "UPDATE audit_anchor SET last_id = 2, last_hash = (SELECT hash FROM audit_log "
	                                "WHERE id = 2)"),
	                     SQLITE_OK);
	/* with the gate: not beyond the anchor, not in the middle */
	exec_ok(f, "BEGIN; INSERT INTO retention_gate VALUES (1)");
	assert_int_not_equal(exec_rc(f, "DELETE FROM audit_log WHERE id = 1"), SQLITE_OK);
	exec_ok(f, "UPDATE audit_anchor SET last_id = 3, last_hash = (SELECT hash FROM audit_log WHERE id = 3)");
	assert_int_not_equal(exec_rc(f, "DELETE FROM audit_log WHERE id = 2"), SQLITE_OK);
	assert_int_not_equal(exec_rc(f, "UPDATE audit_anchor SET last_id = 2, last_hash = (SELECT hash FROM audit_log "
	                                "WHERE id = 2)"),
	                     SQLITE_OK); /* backwards */
	exec_ok(f, "ROLLBACK");

	int64_t last, n, deleted, aid;
	char hash[65], ahash[65];
	assert_int_equal(retentiondb_audit_prefix(f->st, due_before_id_4, NULL, &last, &n), 0);
	assert_int_equal(last, 3);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(retentiondb_audit_delete(f->st, last, TEST_T0 + 10, hash, &deleted), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(deleted, 3);
	assert_int_equal(retentiondb_audit_anchor(f->st, &aid, ahash), 0);
	assert_int_equal(aid, 3);
	assert_string_equal(ahash, hash);
	/* the gate is closed again */
	assert_int_not_equal(exec_rc(f, "DELETE FROM audit_log WHERE id = 4"), SQLITE_OK);

	struct audit_verify_result vr;
	assert_ok(f, audit_verify(&f->svc, &vr));
	assert_int_equal(vr.bad_id, 0);
	assert_int_equal(vr.n, 3);
	assert_int_equal(vr.anchor_id, 3);
	/* appending continues the chain */
	assert_ok(f, audit_record(&f->svc, AUDIT_KIND_API_WRITE, 0, "y", NULL));
	assert_ok(f, audit_verify(&f->svc, &vr));
	assert_int_equal(vr.bad_id, 0);
	assert_int_equal(vr.n, 4);
	/* an anchor edited behind the triggers' back breaks verification */
	exec_ok(f, "DROP TRIGGER audit_anchor_forward; UPDATE audit_anchor SET last_id = 2");
	assert_ok(f, audit_verify(&f->svc, &vr));
	assert_int_equal(vr.bad_id, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_periods_parse_iso_8601_date_durations_and_refuse_the_rest),
	        cmocka_unit_test(test_month_periods_clamp_to_the_end_of_shorter_months),
	        cmocka_unit_test(test_year_end_periods_run_from_the_end_of_the_calendar_year),
	        cmocka_unit_test(test_the_cutoff_separates_due_from_not_due_starts),
	        cmocka_unit_test(test_kinds_events_and_actions_round_trip),
	        cmocka_unit_test_setup_teardown(test_due_selection_counts_waiting_and_held_persons, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_call_records_before_the_cutoff_are_counted_and_deleted,
	                                        fixture_setup, fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_the_audit_log_loses_only_a_prefix_under_the_anchor, fixture_setup,
	                                        fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
