/* Tests for model/plan.c: dates, money, the action rules as of a period end, the
 * contract's JSON and its economics, each against a figure computed by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "model/plan.h"

static int64_t day(int y, unsigned m, unsigned d)
{
	return time_days_from_civil(y, m, d);
}

static void test_days_and_amounts_parse_exactly(void **state)
{
	(void)state;
	int64_t d, c;
	char buf[32];
	assert_int_equal(plan_day_parse("2026-03-31", &d), 0);
	assert_int_equal(d, day(2026, 3, 31));
	assert_string_equal(plan_day_format(d, buf, sizeof(buf)), "2026-03-31");
	assert_int_equal(plan_day_parse("2024-02-29", &d), 0);
	assert_int_equal(plan_day_parse("2026-02-29", &d), -EINVAL); /* not a leap year */
	assert_int_equal(plan_day_parse("2026-3-31", &d), -EINVAL);
	assert_int_equal(plan_day_parse("2026-03-31T00", &d), -EINVAL);
	assert_int_equal(plan_money_parse("12500", &c), 0);
	assert_int_equal(c, 1250000);
	assert_int_equal(plan_money_parse("6.5", &c), 0);
	assert_int_equal(c, 650);
	assert_int_equal(plan_money_parse("0.07", &c), 0);
	assert_int_equal(c, 7);
	assert_int_equal(plan_money_parse("1.234", &c), -EINVAL);
	assert_int_equal(plan_money_parse("-1", &c), -EINVAL);
	assert_int_equal(plan_money_parse("1e3", &c), -EINVAL);
	assert_int_equal(plan_money_parse("12.", &c), -EINVAL);
	assert_int_equal(plan_money_parse("1000000000.01", &c), -EINVAL);
	assert_string_equal(plan_money_format(-123405, buf, sizeof(buf)), "-1234.05");
	assert_true(plan_finding_valid("sla_hotspot:VPN"));
	assert_false(plan_finding_valid(":x"));
	assert_false(plan_finding_valid("a\nb"));
}

/* Q1 2026: 1 January to 31 March. */
static void test_overdue_and_state_as_of_the_period_end(void **state)
{
	(void)state;
	struct plan_period q1 = {day(2026, 1, 1), day(2026, 3, 31)};
	struct action a = {.state = ACTION_OPEN,
	                   .agreed_on = day(2026, 1, 10),
	                   .due_on = day(2026, 3, 31),
	                   .closed_on = PLAN_NO_DAY};
	/* due on the last day and still open when the period ends: overdue */
	assert_true(action_in_period(&a, &q1));
	assert_true(action_overdue_at(&a, &q1));
	a.due_on = day(2026, 4, 1); /* due the day after: not yet */
	assert_false(action_overdue_at(&a, &q1));
	/* done on the last day: done in the period, not overdue although due before */
	a = (struct action){.state = ACTION_DONE,
	                    .agreed_on = day(2026, 1, 10),
	                    .due_on = day(2026, 2, 1),
	                    .closed_on = day(2026, 3, 31)};
	assert_true(action_done_in(&a, &q1));
	assert_false(action_overdue_at(&a, &q1));
	assert_int_equal(action_state_at(&a, &q1), ACTION_DONE);
	/* done after the period end: open and overdue as of the end, not done in it */
	a.closed_on = day(2026, 4, 2);
	assert_false(action_done_in(&a, &q1));
	assert_true(action_overdue_at(&a, &q1));
	assert_int_equal(action_state_at(&a, &q1), ACTION_OPEN);
	/* dropped in the period: closed, but not "done" */
	a.state = ACTION_DROPPED;
	a.closed_on = day(2026, 2, 10);
	assert_false(action_done_in(&a, &q1));
	assert_false(action_overdue_at(&a, &q1));
	/* closed before the period: not in it; agreed after it: not in it either */
	a.closed_on = day(2025, 12, 31);
	assert_false(action_in_period(&a, &q1));
	a = (struct action){.state = ACTION_IN_PROGRESS,
	                    .agreed_on = day(2026, 4, 1),
	                    .due_on = day(2026, 5, 1),
	                    .closed_on = PLAN_NO_DAY};
	assert_false(action_in_period(&a, &q1));
	a.agreed_on = day(2026, 3, 31);
	assert_true(action_in_period(&a, &q1));
	assert_int_equal(action_state_at(&a, &q1), ACTION_IN_PROGRESS);
}

static struct contract acme(void)
{
	/* 12,500.00 a month with 1,500 tickets, 6.50 beyond; 95 %, 250.00 per point */
	return (struct contract){.currency = "EUR",
	                         .monthly_fee = 1250000,
	                         .included_tickets = 1500,
	                         .price_per_ticket = 650,
	                         .sla_target_bp = 9500,
	                         .penalty_per_point = 25000,
	                         .valid_from = day(2026, 1, 1),
	                         .valid_to = PLAN_NO_DAY};
}

static void test_overage_and_penalty_by_hand(void **state)
{
	(void)state;
	struct contract k = acme();
	struct plan_period jan = {day(2026, 1, 1), day(2026, 1, 31)};
	struct contract_month m;
	/* 1,620 tickets: 120 over × 6.50 = 780.00; 903 of 1,000 met = 90.3 %: 4.7 points
	 * × 250.00 = 1,175.00; net 12,500 + 780 − 1,175 = 12,105.00; per ticket
	 * 12,105.00 / 1,620 = 7.4722… → 7.47 */
	contract_month_compute(&k, &jan, 1620, 903, 1000, &m);
	assert_true(m.covered);
	assert_int_equal(m.overage_tickets, 120);
	assert_int_equal(m.overage, 78000);
	assert_int_equal(m.penalty, 117500);
	assert_int_equal(m.net, 1210500);
	assert_int_equal(m.revenue_per_ticket, 747);
	/* within the included tickets and above the target: the fee alone */
	contract_month_compute(&k, &jan, 1500, 96, 100, &m);
	assert_int_equal(m.overage, 0);
	assert_int_equal(m.penalty, 0);
	assert_int_equal(m.net, 1250000);
	assert_int_equal(m.revenue_per_ticket, 833); /* 8.3333… */
	/* 2 of 3 met (66.666… %): 28.333… points × 1.00 = 28.33 */
	k.penalty_per_point = 100;
	contract_month_compute(&k, &jan, 10, 2, 3, &m);
	assert_int_equal(m.penalty, 2833);
	/* half a cent rounds up: 94.5 % is 0.5 points × 0.01 = 0.005 → 0.01; × 0.03 = 0.015 → 0.02 */
	k.penalty_per_point = 1;
	contract_month_compute(&k, &jan, 10, 189, 200, &m);
	assert_int_equal(m.penalty, 1);
	k.penalty_per_point = 3;
	contract_month_compute(&k, &jan, 10, 189, 200, &m);
	assert_int_equal(m.penalty, 2);
	/* at the limits: the largest price times more tickets than int64 can multiply is held
	 * at 2^61 − 1 cents, and the net stays defined */
	k.price_per_ticket = PLAN_MAX_CENTS;
	contract_month_compute(&k, &jan, UINT64_C(100000000000), 96, 100, &m);
	assert_true(m.overage == INT64_MAX / 4);
	assert_true(m.net == m.fee + m.overage - m.penalty && m.net > 0);
	k = acme();
	k.penalty_per_point = 3;
	/* no SLA target counted in the month: no penalty, and no tickets: no per-ticket figure */
	contract_month_compute(&k, &jan, 0, 0, 0, &m);
	assert_false(m.sla_measured);
	assert_int_equal(m.penalty, 0);
	assert_false(m.has_per_ticket);
	/* a net below zero rounds half away from zero: −0.05 / 2 = −0.025 → −0.03 */
	k = (struct contract){.monthly_fee = 0,
	                      .sla_target_bp = 10000,
	                      .penalty_per_point = 5,
	                      .valid_from = day(2026, 1, 1),
	                      .valid_to = PLAN_NO_DAY};
	contract_month_compute(&k, &jan, 2, 99, 100, &m); /* 1 point × 0.05 */
	assert_int_equal(m.net, -5);
	assert_int_equal(m.revenue_per_ticket, -3);
}

static void test_months_outside_the_contract_stay_out_of_the_total(void **state)
{
	(void)state;
	struct contract k = acme();
	k.valid_from = day(2026, 2, 15); /* valid on a day of February: February counts in full */
	k.valid_to = day(2026, 2, 28);
	struct plan_period jan = {day(2026, 1, 1), day(2026, 1, 31)}, feb = {day(2026, 2, 1), day(2026, 2, 28)},
	                   mar = {day(2026, 3, 1), day(2026, 3, 31)};
	struct contract_month m, total = {0};
	contract_month_compute(&k, &jan, 100, 1, 1, &m);
	assert_false(m.covered);
	assert_int_equal(m.net, 0);
	contract_month_add(&total, &m);
	contract_month_compute(&k, &feb, 1600, 1, 1, &m);
	assert_true(m.covered);
	contract_month_add(&total, &m);
	contract_month_compute(&k, &mar, 100, 1, 1, &m);
	assert_false(m.covered);
	contract_month_add(&total, &m);
	assert_int_equal(total.tickets, 1600);
	assert_int_equal(total.net, 1250000 + 100 * 650);
	assert_int_equal(total.revenue_per_ticket, 822); /* 13,150.00 / 1,600 = 8.21875 */
}

static void test_contract_json_names_the_field(void **state)
{
	(void)state;
	struct contract c;
	struct lserr e = {0};
	json_t *j = json_loads("{\"monthly_fee\":\"12500.00\",\"included_tickets\":1500,\"price_per_ticket\":\"6.5\","
	                       "\"sla_target\":0.955,\"penalty_per_point\":250,\"valid_from\":\"2026-01-01\"}",
	                       0, NULL);
	assert_int_equal(contract_from_json(j, &c, &e), 0);
	assert_string_equal(c.currency, "EUR");
	assert_int_equal(c.monthly_fee, 1250000);
	assert_int_equal(c.price_per_ticket, 650);
	assert_int_equal(c.penalty_per_point, 25000);
	assert_int_equal(c.sla_target_bp, 9550);
	assert_true(c.valid_to == PLAN_NO_DAY);
	json_t *back = contract_to_json(&c);
	struct contract c2;
	assert_int_equal(contract_from_json(back, &c2, &e), 0);
	assert_memory_equal(&c, &c2, sizeof(c));
	json_decref(back);
	static const struct {
		const char *key, *value, *field;
	} bad[] = {
	        {"monthly_fee", "\"12.345\"", "monthly_fee"},
	        {"monthly_fee", "12.5", "monthly_fee"},
	        {"currency", "\"euro\"", "currency"},
	        {"included_tickets", "-1", "included_tickets"},
	        {"sla_target", "1.5", "sla_target"},
	        {"sla_target", "0.95001", "sla_target"},
	        {"valid_to", "\"2025-12-31\"", "valid_to"},
	        {"valid_from", "\"2026-13-01\"", "valid_from"},
	        {"speed", "1", "speed"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *x = json_deep_copy(j);
		json_object_set_new(x, bad[i].key, json_loads(bad[i].value, JSON_DECODE_ANY, NULL));
		memset(&e, 0, sizeof(e));
		assert_int_equal(contract_from_json(x, &c, &e), -EINVAL);
		assert_string_equal(e.field, bad[i].field);
		json_decref(x);
	}
	json_object_del(j, "sla_target"); /* a penalty needs a target */
	assert_int_equal(contract_from_json(j, &c, &e), -EINVAL);
	assert_string_equal(e.field, "sla_target");
	json_object_del(j, "monthly_fee");
	assert_int_equal(contract_from_json(j, &c, &e), -EINVAL);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_days_and_amounts_parse_exactly),
	        cmocka_unit_test(test_overdue_and_state_as_of_the_period_end),
	        cmocka_unit_test(test_overage_and_penalty_by_hand),
	        cmocka_unit_test(test_months_outside_the_contract_stay_out_of_the_total),
	        cmocka_unit_test(test_contract_json_names_the_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
