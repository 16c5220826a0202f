/* A client's action plan and service contract: what the steering committee agreed
 * and what the service costs. Room: model. docs/reports.md defines every rule here.
 *
 * Days are day numbers (days since 1970-01-01, calendar/local days of the client's
 * zone; PLAN_NO_DAY for none) and amounts integer cents, so the economics are exact:
 * no money is ever a double until a report cell shows it. Pure functions, any
 * thread. Strings are owned by whoever loaded the struct (an arena). */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/timeutil.h"

#define PLAN_NO_DAY            INT64_MIN
#define PLAN_MAX_OWNER_BYTES   200
#define PLAN_MAX_FINDING_BYTES 200
/* the largest amount accepted (cents): 1,000,000,000.00; the overage of a month is
 * computed in 128 bits and held below 2^61 (contract_month_compute) */
#define PLAN_MAX_CENTS   100000000000LL
#define PLAN_MAX_TICKETS 1000000000LL

enum action_state {
	ACTION_OPEN,
	ACTION_IN_PROGRESS,
	ACTION_DONE,
	ACTION_DROPPED,
	_ACTION_STATE_MAX,
	_ACTION_STATE_INVALID = -22,
};

/* "open", "in_progress", "done", "dropped" */
const char *action_state_to_string(enum action_state s);
enum action_state action_state_from_string(const char *s);
static inline bool action_state_closed(enum action_state s)
{
	return s == ACTION_DONE || s == ACTION_DROPPED;
}

struct action {
	int64_t id;
	const char *title;
	const char *owner;   /* free text: a name or a role ("IT-Leitung"); may be "" */
	const char *finding; /* "KIND" or "KIND:detail" of `leitstand analyze`; NULL: none */
	enum action_state state;
	int64_t agreed_on, due_on; /* days */
	int64_t closed_on;         /* day done or dropped; PLAN_NO_DAY while open */
	int64_t version;
	ls_time created_at, updated_at;
};

/* A period of whole days [first, last] (the report's, in its zone). */
struct plan_period {
	int64_t first, last;
};

/* Whether an action belongs in a period's report: agreed on or before its last day
 * and not closed before its first day. */
bool action_in_period(const struct action *a, const struct plan_period *p);
/* Its state as of the end of the period: done or dropped when closed on or before
 * the last day; an action closed after the period shows as open then (the register
 * keeps no further history); otherwise its state (open, in_progress). */
enum action_state action_state_at(const struct action *a, const struct plan_period *p);
/* Overdue as of the end of the period: not closed by its last day and due on or
 * before it (the due day is over when the period ends). */
bool action_overdue_at(const struct action *a, const struct plan_period *p);
/* Done (not dropped) within the period's days. */
bool action_done_in(const struct action *a, const struct plan_period *p);

/* "2026-10-31" (exactly: four-digit year 1900-9999, a real date) → day number.
 * 0 or -EINVAL. */
int plan_day_parse(const char *s, int64_t *ret);
/* The day as "2026-10-31" into buf (at least 11 bytes); returns buf. */
char *plan_day_format(int64_t day, char *buf, size_t size);
/* "KIND" or "KIND:detail" with a finding kind of kpi/findings.h's names (checked by
 * the caller's table: here only the shape, 1-200 bytes, no control characters). */
bool plan_finding_valid(const char *s);

/* ---- contract ---- */

struct contract {
	char currency[4];          /* ISO 4217 code, "EUR" by default */
	int64_t monthly_fee;       /* cents, the fixed fee per month */
	int64_t included_tickets;  /* tickets per month covered by the fee */
	int64_t price_per_ticket;  /* cents per ticket beyond the included ones */
	int32_t sla_target_bp;     /* SLA compliance target in basis points (9500 = 95 %); 0: no SLA clause */
	int64_t penalty_per_point; /* cents per percentage point below the target, per month */
	int64_t valid_from;        /* day */
	int64_t valid_to;          /* day, inclusive; PLAN_NO_DAY: open-ended */
};

/* Parses the JSON form (docs/reports.md "Contract economics"):
 * {"currency": "EUR", "monthly_fee": "12500.00", "included_tickets": 1500,
 *  "price_per_ticket": "6.50", "sla_target": 0.95, "penalty_per_point": "250.00",
 *  "valid_from": "2026-01-01", "valid_to": null}. Amounts are decimal strings with at
 * most two decimals (or whole integers), sla_target a fraction with at most four
 * decimals. Unknown fields are errors. Returns 0 or -EINVAL with e naming the field
 * (code invalid_field or missing_field). */
int contract_from_json(const json_t *j, struct contract *ret, struct lserr *e);
/* The canonical JSON form (new reference). */
json_t *contract_to_json(const struct contract *c);

/* "1234.50" (C notation, two decimals, "-" for negative) into buf; returns buf. */
char *plan_money_format(int64_t cents, char *buf, size_t size);
/* "1234", "1234.5", "1234.50" → cents; 0 ≤ value ≤ PLAN_MAX_CENTS. 0 or -EINVAL. */
int plan_money_parse(const char *s, int64_t *ret);

/* One month's economics under a contract. */
struct contract_month {
	bool covered;               /* the contract is valid on a day of the month */
	uint64_t tickets;           /* tickets received in the month (the report's count) */
	int64_t fee;                /* the fixed fee */
	int64_t overage_tickets;    /* tickets beyond the included ones */
	int64_t overage;            /* overage_tickets × price_per_ticket */
	bool sla_measured;          /* the month has SLA targets (den > 0) and the contract a target */
	int64_t penalty;            /* see contract_month_compute() */
	int64_t net;                /* fee + overage − penalty */
	bool has_per_ticket;        /* tickets > 0 */
	int64_t revenue_per_ticket; /* net / tickets, rounded half away from zero */
};

/* The economics of one month [first, last] with `tickets` received and the month's
 * sla_compliance num/den (targets met / counted). The penalty is pro rata of the
 * exact shortfall: penalty_per_point × (target − num/den) in percentage points,
 * rounded half up to the cent, 0 when the target is met or no target was counted.
 * A month the contract does not cover has covered = false and zeros. All integer
 * arithmetic. */
void contract_month_compute(const struct contract *c, const struct plan_period *month, uint64_t tickets,
                            uint64_t sla_num, uint64_t sla_den, struct contract_month *ret);
/* Adds a covered month to a total (months the contract does not cover are left
 * out, their tickets too); the revenue per ticket is that of the sums. */
void contract_month_add(struct contract_month *total, const struct contract_month *m);
