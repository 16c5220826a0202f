/* Action plan and contract rules (see plan.h). Room: model.
 * Money is integer cents throughout; the one division (the penalty's exact share of
 * a percentage point, the revenue per ticket) is done on 128-bit integers and
 * rounded half away from zero, so every figure is the one a hand calculation with
 * the contract's decimal amounts gives. */
#include "model/plan.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const state_names[_ACTION_STATE_MAX] = {
        [ACTION_OPEN] = "open",
        [ACTION_IN_PROGRESS] = "in_progress",
        [ACTION_DONE] = "done",
        [ACTION_DROPPED] = "dropped",
};

const char *action_state_to_string(enum action_state s)
{
	return (unsigned)s < _ACTION_STATE_MAX ? state_names[s] : NULL;
}

enum action_state action_state_from_string(const char *s)
{
	for (int i = 0; s && i < _ACTION_STATE_MAX; i++)
		if (strcmp(state_names[i], s) == 0)
			return (enum action_state)i;
	return _ACTION_STATE_INVALID;
}

static bool closed_by(const struct action *a, int64_t day)
{
	return action_state_closed(a->state) && a->closed_on != PLAN_NO_DAY && a->closed_on <= day;
}

bool action_in_period(const struct action *a, const struct plan_period *p)
{
	if (a->agreed_on > p->last)
		return false;
	return !(action_state_closed(a->state) && a->closed_on != PLAN_NO_DAY && a->closed_on < p->first);
}

enum action_state action_state_at(const struct action *a, const struct plan_period *p)
{
	if (closed_by(a, p->last))
		return a->state;
	return action_state_closed(a->state) ? ACTION_OPEN : a->state;
}

bool action_overdue_at(const struct action *a, const struct plan_period *p)
{
	return !closed_by(a, p->last) && a->due_on <= p->last;
}

bool action_done_in(const struct action *a, const struct plan_period *p)
{
	return a->state == ACTION_DONE && a->closed_on != PLAN_NO_DAY && a->closed_on >= p->first &&
	       a->closed_on <= p->last;
}

static bool digits(const char *s, int n, int64_t *ret)
{
	int64_t v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*ret = v;
	return true;
}

int plan_day_parse(const char *s, int64_t *ret)
{
	int64_t y, m, d;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
	    !digits(s + 8, 2, &d) || y < 1900 || m < 1 || m > 12 || d < 1)
		return -EINVAL;
	int64_t day = time_days_from_civil(y, (unsigned)m, (unsigned)d);
	int64_t yy;
	unsigned mm, dd;
	time_civil_from_days(day, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d) /* 2026-02-30 */
		return -EINVAL;
	*ret = day;
	return 0;
}

char *plan_day_format(int64_t day, char *buf, size_t size)
{
	int64_t y;
	unsigned m, d;
	time_civil_from_days(day, &y, &m, &d);
	snprintf(buf, size, "%04lld-%02u-%02u", (long long)y, m, d);
	return buf;
}

bool plan_finding_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > PLAN_MAX_FINDING_BYTES || s[0] == ':')
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* ---- money ---- */

char *plan_money_format(int64_t cents, char *buf, size_t size)
{
	uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	snprintf(buf, size, "%s%llu.%02llu", cents < 0 ? "-" : "", (unsigned long long)(a / 100),
	         (unsigned long long)(a % 100));
	return buf;
}

int plan_money_parse(const char *s, int64_t *ret)
{
	if (!s || !*s)
		return -EINVAL;
	int64_t whole = 0, frac = 0;
	size_t i = 0, nd = 0;
	for (; s[i] >= '0' && s[i] <= '9'; i++, nd++) {
		if (nd >= 12)
			return -EINVAL;
		whole = whole * 10 + (s[i] - '0');
	}
	if (nd == 0)
		return -EINVAL;
	if (s[i] == '.') {
		i++;
		size_t nf = 0;
		for (; s[i] >= '0' && s[i] <= '9'; i++, nf++) {
			if (nf >= 2)
				return -EINVAL;
			frac = frac * 10 + (s[i] - '0');
		}
		if (nf == 0)
			return -EINVAL;
		if (nf == 1)
			frac *= 10;
	}
	if (s[i])
		return -EINVAL;
	int64_t v = whole * 100 + frac;
	if (v > PLAN_MAX_CENTS)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* ---- contract JSON ---- */

static int money_field(const json_t *j, const char *name, bool required, int64_t *ret, struct lserr *e)
{
	const json_t *v = json_object_get(j, name);
	if (!v) {
		if (required)
			return lserr_set(e, -EINVAL, "missing_field", name, "field '%s' is required", name);
		*ret = 0;
		return 0;
	}
	if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= PLAN_MAX_CENTS / 100) {
		*ret = (int64_t)json_integer_value(v) * 100;
		return 0;
	}
	if (json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v) &&
	    plan_money_parse(json_string_value(v), ret) == 0)
		return 0;
	return lserr_set(e, -EINVAL, "invalid_field", name,
	                 "field '%s' must be an amount like \"1250.00\" (0 to 1000000000, at most two decimals)", name);
}

static int day_field(const json_t *j, const char *name, bool required, int64_t *ret, struct lserr *e)
{
	const json_t *v = json_object_get(j, name);
	if (!v || json_is_null(v)) {
		if (required)
			return lserr_set(e, -EINVAL, "missing_field", name, "field '%s' is required", name);
		*ret = PLAN_NO_DAY;
		return 0;
	}
	if (json_is_string(v) && plan_day_parse(json_string_value(v), ret) == 0)
		return 0;
	return lserr_set(e, -EINVAL, "invalid_field", name, "field '%s' must be a date like \"2026-01-01\"", name);
}

int contract_from_json(const json_t *j, struct contract *ret, struct lserr *e)
{
	static const char *const known[] = {"currency",   "monthly_fee",       "included_tickets", "price_per_ticket",
	                                    "sla_target", "penalty_per_point", "valid_from",       "valid_to"};
	if (!json_is_object(j))
		return lserr_set(e, -EINVAL, "invalid_field", "contract", "the contract must be a JSON object");
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)j, key, v)
	{
		size_t k = 0;
		while (k < sizeof(known) / sizeof(known[0]) && strcmp(known[k], key) != 0)
			k++;
		if (k == sizeof(known) / sizeof(known[0]))
			return lserr_set(e, -EINVAL, "unknown_field", key, "unknown field '%.60s'", key);
	}
	struct contract c = {.currency = "EUR", .valid_to = PLAN_NO_DAY};
	const json_t *cur = json_object_get(j, "currency");
	if (cur) {
		const char *s = json_string_value(cur);
		if (!s || strlen(s) != 3 || json_string_length(cur) != 3 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' ||
		    s[1] > 'Z' || s[2] < 'A' || s[2] > 'Z')
			return lserr_set(e, -EINVAL, "invalid_field", "currency",
			                 "field 'currency' must be an ISO 4217 code like \"EUR\"");
		memcpy(c.currency, s, 4);
	}
	int r;
	if ((r = money_field(j, "monthly_fee", true, &c.monthly_fee, e)) < 0 ||
	    (r = money_field(j, "price_per_ticket", false, &c.price_per_ticket, e)) < 0 ||
	    (r = money_field(j, "penalty_per_point", false, &c.penalty_per_point, e)) < 0)
		return r;
	const json_t *inc = json_object_get(j, "included_tickets");
	if (inc) {
		if (!json_is_integer(inc) || json_integer_value(inc) < 0 || json_integer_value(inc) > PLAN_MAX_TICKETS)
			return lserr_set(e, -EINVAL, "invalid_field", "included_tickets",
			                 "field 'included_tickets' must be an integer from 0 to 1000000000");
		c.included_tickets = (int64_t)json_integer_value(inc);
	}
	const json_t *sla = json_object_get(j, "sla_target");
	if (sla && !json_is_null(sla)) {
		double x = json_is_number(sla) ? json_number_value(sla) : NAN;
		double bp = round(x * 10000);
		if (!(x > 0 && x <= 1) || fabs(x * 10000 - bp) > 1e-6)
			return lserr_set(
			        e, -EINVAL, "invalid_field", "sla_target",
			        "field 'sla_target' must be a fraction above 0 and at most 1 with at most four "
			        "decimals, e.g. 0.95");
		c.sla_target_bp = (int32_t)bp;
	}
	if (c.penalty_per_point && !c.sla_target_bp)
		return lserr_set(e, -EINVAL, "missing_field", "sla_target",
		                 "field 'sla_target' is required with a penalty_per_point");
	if ((r = day_field(j, "valid_from", true, &c.valid_from, e)) < 0 ||
	    (r = day_field(j, "valid_to", false, &c.valid_to, e)) < 0)
		return r;
	if (c.valid_to != PLAN_NO_DAY && c.valid_to < c.valid_from)
		return lserr_set(e, -EINVAL, "invalid_field", "valid_to", "field 'valid_to' is before valid_from");
	*ret = c;
	return 0;
}

json_t *contract_to_json(const struct contract *c)
{
	char fee[32], price[32], pen[32], from[16], to[16];
	json_t *o = json_object();
	json_object_set_new(o, "currency", json_string(c->currency));
	json_object_set_new(o, "monthly_fee", json_string(plan_money_format(c->monthly_fee, fee, sizeof(fee))));
	json_object_set_new(o, "included_tickets", json_integer(c->included_tickets));
	json_object_set_new(o, "price_per_ticket",
	                    json_string(plan_money_format(c->price_per_ticket, price, sizeof(price))));
	json_object_set_new(o, "sla_target", c->sla_target_bp ? json_real(c->sla_target_bp / 10000.0) : json_null());
	json_object_set_new(o, "penalty_per_point",
	                    json_string(plan_money_format(c->penalty_per_point, pen, sizeof(pen))));
	json_object_set_new(o, "valid_from", json_string(plan_day_format(c->valid_from, from, sizeof(from))));
	json_object_set_new(o, "valid_to",
	                    c->valid_to == PLAN_NO_DAY ? json_null()
	                                               : json_string(plan_day_format(c->valid_to, to, sizeof(to))));
	return o;
}

/* ---- economics ---- */

/* n / d rounded half away from zero; d > 0. */
static int64_t div_round(__int128 n, __int128 d)
{
	__int128 q = (n < 0 ? -n : n) * 2 + d;
	q /= 2 * d;
	return (int64_t)(n < 0 ? -q : q);
}

void contract_month_compute(const struct contract *c, const struct plan_period *month, uint64_t tickets,
                            uint64_t sla_num, uint64_t sla_den, struct contract_month *ret)
{
	struct contract_month m = {.tickets = tickets};
	m.covered = c->valid_from <= month->last && (c->valid_to == PLAN_NO_DAY || c->valid_to >= month->first);
	if (!m.covered) {
		*ret = m;
		return;
	}
	m.fee = c->monthly_fee;
	if (tickets > (uint64_t)c->included_tickets)
		m.overage_tickets = (int64_t)(tickets - (uint64_t)c->included_tickets);
	/* tickets come from the KPIs, unbounded: the product in 128 bits, held to a
	 * quarter of the int64 range so that fee + overage − penalty cannot overflow */
	__int128 overage = (__int128)m.overage_tickets * c->price_per_ticket;
	m.overage = overage > INT64_MAX / 4 ? INT64_MAX / 4 : (int64_t)overage;
	m.sla_measured = c->sla_target_bp > 0 && sla_den > 0;
	if (m.sla_measured) {
		/* shortfall in points = target_bp / 100 − 100 · num / den
		 *                      = (target_bp · den − 10000 · num) / (100 · den) */
		__int128 gap = (__int128)c->sla_target_bp * sla_den - (__int128)10000 * sla_num;
		if (gap > 0)
			m.penalty = div_round(gap * c->penalty_per_point, (__int128)100 * sla_den);
	}
	m.net = m.fee + m.overage - m.penalty;
	m.has_per_ticket = tickets > 0;
	if (m.has_per_ticket)
		m.revenue_per_ticket = div_round(m.net, tickets);
	*ret = m;
}

void contract_month_add(struct contract_month *t, const struct contract_month *m)
{
	if (!m->covered)
		return;
	t->covered = true;
	t->tickets += m->tickets;
	t->fee += m->fee;
	t->overage_tickets += m->overage_tickets;
	t->overage += m->overage;
	t->sla_measured |= m->sla_measured;
	t->penalty += m->penalty;
	t->net += m->net;
	t->has_per_ticket = t->tickets > 0;
	t->revenue_per_ticket = t->has_per_ticket ? div_round(t->net, t->tickets) : 0;
}
