/* Tests for model/dsr.c and service/dsr.c: calendar-month deadlines counted by hand
 * (31 January, 29 February of leap years, 30 November, 31 December, the extension
 * to three months), the deadline as the end of the due day in the client's time
 * zone across DST, and the register's rules with an injected clock: back-dated
 * receipt, never in the future, one extension only before the first deadline,
 * reasons for a rejection, closed is final, the history and the append-only table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <string.h>

#include "calendar/tz.h"
#include "model/dsr.h"
#include "service/dsr.h"
#include "service/persons.h"
#include "helpers.h"

static int64_t day(int64_t y, unsigned m, unsigned d)
{
	return time_days_from_civil(y, m, d);
}

static void expect_months(int64_t y, unsigned m, unsigned d, unsigned months, int64_t ey, unsigned em, unsigned ed)
{
	int64_t got = dsr_add_months(day(y, m, d), months);
	char a[16], b[16];
	if (got != day(ey, em, ed))
		fail_msg("%s + %u months: got %s, expected %s", dsr_format_day(day(y, m, d), a, sizeof(a)), months,
		         dsr_format_day(got, b, sizeof(b)), dsr_format_day(day(ey, em, ed), a, sizeof(a)));
}

static void test_one_month_is_the_same_date_or_the_last_day_of_a_shorter_month(void **state)
{
	(void)state;
	expect_months(2026, 1, 31, 1, 2026, 2, 28);   /* no 31 February */
	expect_months(2028, 1, 31, 1, 2028, 2, 29);   /* leap year */
	expect_months(2028, 2, 29, 1, 2028, 3, 29);   /* from a leap day: the same date */
	expect_months(2026, 11, 30, 1, 2026, 12, 30); /* not the month's end: the same date */
	expect_months(2026, 12, 31, 1, 2027, 1, 31);  /* across the year */
	expect_months(2026, 3, 31, 1, 2026, 4, 30);
	expect_months(2026, 1, 30, 1, 2026, 2, 28);
	expect_months(2026, 3, 9, 1, 2026, 4, 9);
	expect_months(2100, 1, 29, 1, 2100, 2, 28); /* 2100 is no leap year */
	expect_months(2000, 1, 29, 1, 2000, 2, 29); /* 2000 is one */
	expect_months(2026, 5, 17, 0, 2026, 5, 17);
}

static void test_the_extension_runs_three_months_from_receipt(void **state)
{
	(void)state;
	expect_months(2026, 11, 30, 3, 2027, 2, 28);
	expect_months(2027, 11, 30, 3, 2028, 2, 29);
	expect_months(2026, 8, 31, 3, 2026, 11, 30);
	expect_months(2026, 12, 31, 3, 2027, 3, 31);
	expect_months(2026, 1, 31, 3, 2026, 4, 30);
	expect_months(2026, 10, 15, 3, 2027, 1, 15);
	expect_months(1970, 1, 1, 12 * 400, 2370, 1, 1);
}

static void test_dates_print_as_iso_days(void **state)
{
	(void)state;
	char buf[16];
	assert_string_equal(dsr_format_day(day(2026, 2, 28), buf, sizeof(buf)), "2026-02-28");
	assert_string_equal(dsr_format_day(day(1999, 12, 1), buf, sizeof(buf)), "1999-12-01");
}

static void test_kinds_and_states_have_one_name_each(void **state)
{
	(void)state;
	static const char *const kinds[] = {"access",      "rectification", "erasure",
	                                    "restriction", "portability",   "objection"};
	for (int i = 0; i < _DSR_KIND_MAX; i++) {
		assert_string_equal(dsr_kind_to_string((enum dsr_kind)i), kinds[i]);
		assert_int_equal(dsr_kind_from_string(kinds[i]), i);
	}
	assert_int_equal(dsr_kind_from_string("Access"), _DSR_KIND_INVALID);
	assert_int_equal(dsr_state_from_string("closed"), _DSR_STATE_INVALID);
	assert_null(dsr_state_to_string(_DSR_STATE_MAX));
	assert_true(dsr_state_closed(DSR_STATE_DONE) && dsr_state_closed(DSR_STATE_REJECTED));
	assert_false(dsr_state_closed(DSR_STATE_IN_PROGRESS));
	assert_int_equal(privacy_channel_from_string("in_person"), PRIVACY_CHANNEL_IN_PERSON);
	assert_int_equal(privacy_channel_from_string("fax"), _PRIVACY_CHANNEL_INVALID);
}

static void test_purpose_codes_are_short_lower_case_codes(void **state)
{
	(void)state;
	assert_true(consent_purpose_valid("newsletter"));
	assert_true(consent_purpose_valid("call_recording"));
	assert_true(consent_purpose_valid("survey.2026-q1"));
	assert_false(consent_purpose_valid(""));
	assert_false(consent_purpose_valid("Newsletter"));
	assert_false(consent_purpose_valid("1st"));
	assert_false(consent_purpose_valid("news letter"));
	assert_false(consent_purpose_valid("ümlaut"));
	assert_true(consent_purpose_valid("a234567890123456789012345678901234567890")); /* 40 */
	assert_false(consent_purpose_valid("a2345678901234567890123456789012345678901"));
}

static void expect_deadline(const struct tz *tz, const char *received, unsigned months, const char *due_day,
                            const char *due_at)
{
	int64_t d;
	ls_time at;
	dsr_deadline(tz, fx_time(received), months, &d, &at);
	char buf[32];
	assert_string_equal(dsr_format_day(d, buf, sizeof(buf)), due_day);
	assert_string_equal(time_format_rfc3339(at, buf, sizeof(buf)), due_at);
}

static void test_the_deadline_ends_with_the_due_day_in_the_client_zone(void **state)
{
	(void)state;
	struct tz *berlin;
	struct lserr e = {0};
	assert_int_equal(tz_load("Europe/Berlin", &berlin, &e), 0);
	/* 23:59:59 CET is 22:59:59Z, CEST 21:59:59Z */
	expect_deadline(berlin, "2026-01-31T10:00:00+01:00", 1, "2026-02-28", "2026-02-28T22:59:59Z");
	/* 23:30Z on 31 January is already 1 February in Berlin */
	expect_deadline(berlin, "2026-01-31T23:30:00Z", 1, "2026-03-01", "2026-03-01T22:59:59Z");
	/* the due day lies after the change to summer time (29 March 2026) */
	expect_deadline(berlin, "2026-03-01T08:00:00Z", 1, "2026-04-01", "2026-04-01T21:59:59Z");
	expect_deadline(berlin, "2026-03-28T08:00:00Z", 1, "2026-04-28", "2026-04-28T21:59:59Z");
	expect_deadline(berlin, "2026-11-30T09:00:00Z", 1, "2026-12-30", "2026-12-30T22:59:59Z");
	expect_deadline(berlin, "2026-12-31T12:00:00Z", 1, "2027-01-31", "2027-01-31T22:59:59Z");
	expect_deadline(berlin, "2026-11-30T09:00:00Z", 3, "2027-02-28", "2027-02-28T22:59:59Z");
	tz_free(berlin);
	struct tz *utc;
	assert_int_equal(tz_load("UTC", &utc, &e), 0);
	expect_deadline(utc, "2028-01-31T00:00:00Z", 1, "2028-02-29", "2028-02-29T23:59:59Z");
	tz_free(utc);
}

/* ---- the register ---- */

static int64_t person_of(struct fixture *f, int64_t client_id, const char *email)
{
	int64_t id = 0;
	assert_int_equal(store_begin(f->st), 0);
	assert_ok(f, persons_link(&f->svc, client_id, "Erika Muster", email, NULL, &id));
	assert_int_equal(store_commit(f->st), 0);
	return id;
}

static void test_a_back_dated_letter_is_due_a_month_after_its_receipt(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	struct dsr_request r;
	/* TEST_T0 is 2026-03-02; the letter came on 31 January */
	struct dsr_input in = {.client = "ACME",
	                       .kind = "access",
	                       .channel = "letter",
	                       .received_at = fx_time("2026-01-31T09:00:00+01:00"),
	                       .note = "Brief vom 29.1."};
	assert_ok(f, dsr_create(&f->svc, &in, &r));
	assert_string_equal(r.due_date, "2026-02-28");
	assert_int_equal(r.state, DSR_STATE_OPEN);
	assert_true(r.overdue);
	assert_int_equal(r.days_left, -2);
	assert_int_equal(r.n_events, 1);
	assert_string_equal(r.events[0].action, "received");
	assert_string_equal(r.events[0].note, "Brief vom 29.1.");
	/* received today: due 2 April, 31 days left */
	in.received_at = 0;
	assert_ok(f, dsr_create(&f->svc, &in, &r));
	assert_string_equal(r.due_date, "2026-04-02");
	assert_int_equal(r.days_left, 31);
	assert_false(r.overdue);
}

static void test_receipt_in_the_future_or_before_the_gdpr_is_refused(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	struct dsr_request r;
	struct dsr_input in = {.client = "ACME", .kind = "erasure", .channel = "email", .received_at = TEST_T0 + 60};
	assert_svc_error(f, dsr_create(&f->svc, &in, &r), -EINVAL, "invalid_field", "received_at");
	in.received_at = fx_time("2018-05-24T12:00:00Z");
	assert_svc_error(f, dsr_create(&f->svc, &in, &r), -EINVAL, "invalid_field", "received_at");
	in.received_at = 0;
	in.kind = "deletion";
	assert_svc_error(f, dsr_create(&f->svc, &in, &r), -EINVAL, "invalid_field", "kind");
	in.kind = "erasure";
	in.channel = "fax";
	assert_svc_error(f, dsr_create(&f->svc, &in, &r), -EINVAL, "invalid_field", "channel");
	in.channel = "email";
	in.client = "NOPE";
	assert_svc_error(f, dsr_create(&f->svc, &in, &r), -EINVAL, "invalid_field", "client");
}

static void test_an_extension_is_granted_once_and_only_before_the_first_deadline(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	struct dsr_request r, x;
	struct dsr_input in = {
	        .client = "ACME", .kind = "access", .channel = "email", .received_at = fx_time("2026-01-31T09:00:00Z")};
	assert_ok(f, dsr_create(&f->svc, &in, &r)); /* due 28 February: passed at TEST_T0 */
	struct dsr_patch p = {.fields = DSR_PATCH_EXTEND, .extension_reason = "many tickets to review"};
	assert_svc_error(f, dsr_update(&f->svc, r.id, r.version, &p, &x), -LS_ECONFLICT, "conflict",
	                 "extension_reason");
	/* the same request seen on its due day: still extendable, to 30 April */
	f->svc.now = fx_time("2026-02-28T21:00:00Z");
	assert_ok(f, dsr_update(&f->svc, r.id, r.version, &p, &x));
	assert_string_equal(x.extended_date, "2026-04-30");
	assert_string_equal(time_format_rfc3339(x.extended_until, (char[32]){0}, 32), "2026-04-30T21:59:59Z");
	assert_false(x.overdue);
	f->svc.now = TEST_T0;
	assert_ok(f, dsr_get(&f->svc, r.id, &x));
	assert_false(x.overdue); /* the extended deadline counts */
	assert_int_equal(x.days_left, 59);
	assert_svc_error(f, dsr_update(&f->svc, r.id, x.version, &p, &x), -LS_ECONFLICT, "conflict",
	                 "extension_reason");
	assert_svc_error(f, dsr_update(&f->svc, r.id, 1, &p, &x), -LS_ESTALE, "version_mismatch", "version");
	struct dsr_patch empty = {.fields = DSR_PATCH_EXTEND, .extension_reason = ""};
	assert_ok(f, dsr_get(&f->svc, r.id, &x));
	assert_svc_error(f, dsr_update(&f->svc, r.id, x.version, &empty, &x), -EINVAL, "invalid_field",
	                 "extension_reason");
}

static void test_closing_needs_reasons_for_a_rejection_and_is_final(void **state)
{
	struct fixture *f = *state;
	int64_t acme = fx_client(f, "ACME", NULL);
	int64_t beta = fx_client(f, "BETA", NULL);
	int64_t erika = person_of(f, acme, "erika@acme.example");
	int64_t other = person_of(f, beta, "erika@beta.example");
	struct dsr_request r, x;
	struct dsr_input in = {.client = "ACME", .kind = "erasure", .channel = "phone"};
	assert_ok(f, dsr_create(&f->svc, &in, &r));
	assert_int_equal(r.person_id, 0);
	struct dsr_patch link = {
	        .fields = DSR_PATCH_PERSON | DSR_PATCH_STATE, .person_id = other, .state = "in_progress"};
	assert_svc_error(f, dsr_update(&f->svc, r.id, r.version, &link, &x), -EINVAL, "invalid_field", "person");
	link.person_id = erika;
	assert_ok(f, dsr_update(&f->svc, r.id, r.version, &link, &x));
	assert_int_equal(x.person_id, erika);
	assert_int_equal(x.state, DSR_STATE_IN_PROGRESS);
	struct dsr_patch reject = {.fields = DSR_PATCH_STATE, .state = "rejected"};
	assert_svc_error(f, dsr_update(&f->svc, r.id, x.version, &reject, &x), -EINVAL, "missing_field", "outcome");
	f->svc.now = TEST_T0 + 3600;
	assert_ok(f, dsr_complete(&f->svc, r.id, "erased; 3 tickets anonymised"));
	assert_ok(f, dsr_get(&f->svc, r.id, &x));
	assert_int_equal(x.state, DSR_STATE_DONE);
	assert_int_equal(x.completed_at, TEST_T0 + 3600);
	assert_string_equal(x.outcome, "erased; 3 tickets anonymised");
	assert_false(x.late);
	assert_svc_error(f, dsr_complete(&f->svc, r.id, NULL), -LS_ECONFLICT, "conflict", "request");
	struct dsr_patch reopen = {.fields = DSR_PATCH_STATE, .state = "open"};
	assert_svc_error(f, dsr_update(&f->svc, r.id, x.version, &reopen, &x), -LS_ECONFLICT, "conflict", "state");
	assert_svc_error(f, dsr_complete(&f->svc, 999, NULL), -ENOENT, "not_found", "id");
	/* history: received, state, person, state */
	assert_int_equal(x.n_events, 4);
	assert_string_equal(x.events[0].action, "received");
	assert_string_equal(x.events[1].action, "state");
	assert_string_equal(x.events[2].action, "person");
	assert_string_equal(x.events[3].to_value, "done");
	/* the schema refuses rewriting history or a closed request */
	sqlite3 *db = store_handle(f->st);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE dsr_events SET note = 'x'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM dsr_events", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE dsr_requests SET outcome = 'x'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM dsr_requests", NULL, NULL, NULL), SQLITE_OK);
}

static void test_only_privacy_roles_use_the_register_and_only_for_their_clients(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	fx_client(f, "BETA", NULL);
	int64_t dpo = fx_user(f, "dpo@acme.example", USER_ROLE_DPO, "ACME");
	int64_t agent = fx_user(f, "agent@acme.example", USER_ROLE_AGENT, "ACME");
	int64_t auditor = fx_user(f, "auditor@example.com", USER_ROLE_AUDITOR, "ACME");
	struct dsr_request r, x;
	struct dsr_input beta = {.client = "BETA", .kind = "access", .channel = "web"};
	assert_ok(f, dsr_create(&f->svc, &beta, &r));
	f->svc.actor = fx_actor(f, dpo);
	assert_svc_error(f, dsr_get(&f->svc, r.id, &x), -ENOENT, "not_found", "id");
	assert_svc_error(f, dsr_create(&f->svc, &beta, &x), -EINVAL, "invalid_field", "client");
	struct dsr_input acme = {.client = "ACME", .kind = "objection", .channel = "web"};
	assert_ok(f, dsr_create(&f->svc, &acme, &x));
	f->svc.actor = fx_actor(f, auditor);
	assert_ok(f, dsr_get(&f->svc, x.id, &x));
	assert_svc_error(f, dsr_create(&f->svc, &acme, &x), -LS_EFORBIDDEN, "forbidden", "");
	f->svc.actor = fx_actor(f, agent);
	assert_svc_error(f, dsr_get(&f->svc, x.id, &x), -LS_EFORBIDDEN, "forbidden", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_one_month_is_the_same_date_or_the_last_day_of_a_shorter_month),
	        cmocka_unit_test(test_the_extension_runs_three_months_from_receipt),
	        cmocka_unit_test(test_dates_print_as_iso_days),
	        cmocka_unit_test(test_kinds_and_states_have_one_name_each),
	        cmocka_unit_test(test_purpose_codes_are_short_lower_case_codes),
	        cmocka_unit_test(test_the_deadline_ends_with_the_due_day_in_the_client_zone),
	        cmocka_unit_test_setup_teardown(test_a_back_dated_letter_is_due_a_month_after_its_receipt,
	                                        fixture_setup, fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_receipt_in_the_future_or_before_the_gdpr_is_refused, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_an_extension_is_granted_once_and_only_before_the_first_deadline,
	                                        fixture_setup, fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_closing_needs_reasons_for_a_rejection_and_is_final, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_only_privacy_roles_use_the_register_and_only_for_their_clients,
	                                        fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
