/* Tests for sla/clock.c with an injected clock (every instant is given): each rule of
 * docs/sla.md on hand-computed cases in Europe/Berlin, Mon-Fri 08:00-17:00, DE-NW:
 * first response (notes and system messages do not count), next update (oldest
 * unanswered customer message, every customer turn a new target, customer writes
 * while resolved), resolution with pauses (also across a weekend with the DST change
 * and across Easter), pending_vendor only when configured, reopen resuming the same
 * clock, priority changes mid-flight (superseded, never breached; a breach before the
 * change stays; several changes at one instant supersede once), a policy change onto
 * another calendar with past pauses excluded, calendar-time targets across DST, the
 * breach boundary (an event at the due instant is in time, an evaluation at it is
 * late, a reply after closing time is late), the ledger, the next deadline with
 * warnings and escalations that climb unless acknowledged, and input errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "sla/clock.h"

#define H 3600

static struct arena parena = ARENA_INIT; /* policies */
static struct calendar *cals[8];
static size_t ncals;
static struct arena ta = ARENA_INIT; /* per test */

/* the example policy plus P3 */
static struct policy *P;
/* pending_vendor pauses too */
static struct policy *PV;
/* P1 resolution 4h with escalation levels */
static struct policy *PE;
/* no calendar: 24x7 UTC, no warnings */
static struct policy *P24;
/* P1 resolution in calendar time */
static struct policy *PC;

static ls_time T(const char *s)
{
	ls_time t = 0;
	if (time_parse_rfc3339(s, &t) < 0)
		fail_msg("bad test timestamp %s", s);
	return t;
}

static struct policy *load(const char *json)
{
	struct policy *p;
	struct lserr e;
	if (policy_parse(json, strlen(json), &parena, &p, &e) < 0 ||
	    policy_compile_calendar(p, 2024, 2026, &cals[ncals], &e) < 0) {
		print_error("policy: %s\n", e.message);
		return NULL;
	}
	p->cal = cals[ncals++];
	return p;
}

static int group_setup(void **state)
{
	(void)state;
	P = load("{\"calendar\":{\"tz\":\"Europe/Berlin\",\"hours\":\"mon-fri 08:00-17:00\",\"holidays\":\"DE-NW\"},"
	         "\"pause_states\":[\"pending_customer\"],\"targets\":{\"P1\":{\"first_response\":\"1h\","
	         "\"resolution\":\"4h\"},"
	         "\"P2\":{\"first_response\":\"4h\",\"next_update\":\"8h\",\"resolution\":\"16h\"},"
	         "\"P3\":{\"first_response\":\"8h\",\"resolution\":\"40h\"}}}");
	PV = load("{\"calendar\":{\"tz\":\"Europe/Berlin\",\"hours\":\"mon-fri 08:00-17:00\",\"holidays\":\"DE-NW\"},"
	          "\"pause_states\":[\"pending_customer\",\"pending_vendor\"],"
	          "\"targets\":{\"P2\":{\"first_response\":\"4h\",\"next_update\":\"8h\",\"resolution\":\"16h\"}}}");
	PE = load("{\"calendar\":{\"tz\":\"Europe/Berlin\",\"hours\":\"mon-fri 08:00-17:00\",\"holidays\":\"DE-NW\"},"
	          "\"targets\":{\"P1\":{\"resolution\":\"4h\"}},"
	          "\"escalations\":{\"resolution\":[{\"at\":\"75%\",\"owner\":\"team_lead\",\"ack_within\":\"30m\"},"
	          "{\"at\":\"100%\",\"action\":\"reassign\",\"owner\":\"L2\"},"
	          "{\"after_breach\":\"1h\",\"owner\":\"service_manager\"}]}}");
	P24 = load("{\"name\":\"24x7\",\"warnings\":[],\"targets\":{\"P2\":{\"first_response\":\"4h\",\"resolution\":"
	           "\"16h\"}}}");
	PC = load("{\"calendar\":{\"tz\":\"Europe/Berlin\",\"hours\":\"mon-fri 08:00-17:00\",\"holidays\":\"DE-NW\"},"
	          "\"targets\":{\"P1\":{\"resolution\":{\"within\":\"24h\",\"time\":\"calendar\"}}}}");
	return P && PV && PE && P24 && PC ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < ncals; i++)
		calendar_free(cals[i]);
	arena_release(&parena);
	arena_release(&ta);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	arena_reset(&ta);
	return 0;
}

/* ---- building events ---- */

static struct clock_event created_with(const char *at, int prio, const struct policy *p)
{
	return (struct clock_event){.at = T(at), .kind = CLOCK_EV_CREATED, .priority = prio, .policy = p};
}
static struct clock_event created(const char *at, int prio)
{
	return created_with(at, prio, P);
}
static struct clock_event msg(const char *at, enum author_kind who, bool pub)
{
	return (struct clock_event){.at = T(at), .kind = CLOCK_EV_REPLY, .author = who, .is_public = pub};
}
static struct clock_event agent(const char *at)
{
	return msg(at, AUTHOR_KIND_AGENT, true);
}
static struct clock_event customer(const char *at)
{
	return msg(at, AUTHOR_KIND_CUSTOMER, true);
}
static struct clock_event note(const char *at)
{
	return msg(at, AUTHOR_KIND_AGENT, false);
}
static struct clock_event to_state(const char *at, enum ticket_state s)
{
	return (struct clock_event){.at = T(at), .kind = CLOCK_EV_STATE, .state = s};
}
static struct clock_event prio(const char *at, int p)
{
	return (struct clock_event){.at = T(at), .kind = CLOCK_EV_PRIORITY, .priority = p};
}
static struct clock_event simple(const char *at, enum clock_event_kind k)
{
	return (struct clock_event){.at = T(at), .kind = k};
}
static struct clock_event policy_ev(const char *at, const struct policy *p)
{
	return (struct clock_event){.at = T(at), .kind = CLOCK_EV_POLICY, .policy = p};
}
static struct clock_event ack(const char *at, enum policy_metric m, unsigned level)
{
	return (struct clock_event){.at = T(at), .kind = CLOCK_EV_ACK, .metric = m, .level = level};
}

#define EVENTS(...)                                                                                                    \
	((struct clock_event[]){__VA_ARGS__}),                                                                         \
	        (sizeof((struct clock_event[]){__VA_ARGS__}) / sizeof(struct clock_event))

static struct clock_result *run_flags(struct clock_event *ev, size_t n, const char *at, unsigned flags)
{
	struct clock_result *r = NULL;
	struct lserr e;
	lserr_clear(&e);
	if (clock_eval(ev, n, T(at), flags, &ta, &r, &e) < 0)
		fail_msg("clock_eval: %s", e.message);
	return r;
}

static struct clock_result *run(struct clock_event *ev, size_t n, const char *at)
{
	return run_flags(ev, n, at, 0);
}

/* ---- checking results ---- */

static void assert_time(ls_time t, const char *want)
{
	char buf[TZ_RFC3339_MAX];
	if (!want) {
		if (t)
			fail_msg("got %s, want none", tz_format_rfc3339(calendar_tz(P->cal), t, buf, sizeof(buf)));
		return;
	}
	if (!t)
		fail_msg("got none, want %s", want);
	tz_format_rfc3339(calendar_tz(P->cal), t, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("got %s, want %s", buf, want);
}

/* The nth (0-based) target of metric m and priority p. */
static const struct clock_target *target(const struct clock_result *r, enum policy_metric m, int p, size_t nth)
{
	for (size_t i = 0; i < r->n_targets; i++)
		if (r->targets[i].metric == m && r->targets[i].priority == p && nth-- == 0)
			return &r->targets[i];
	fail_msg("no %s target #%zu for P%d", policy_metric_to_string(m), nth, p);
	return NULL;
}

static size_t count(const struct clock_result *r, enum policy_metric m)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_targets; i++)
		n += r->targets[i].metric == m;
	return n;
}

static void check(const struct clock_target *t, enum clock_state st, const char *due, const char *breached_at,
                  int64_t consumed)
{
	if (t->state != st)
		fail_msg("%s P%d: state %s, want %s", policy_metric_to_string(t->metric), t->priority,
		         clock_state_to_string(t->state), clock_state_to_string(st));
	assert_time(t->due, due);
	assert_time(t->breached_at, breached_at);
	if (t->consumed != consumed)
		fail_msg("%s P%d: consumed %lld, want %lld", policy_metric_to_string(t->metric), t->priority,
		         (long long)t->consumed, (long long)consumed);
}

/* ---- first response ---- */

static void test_first_response_met_by_first_public_agent_reply(void **state)
{
	(void)state;
	struct clock_result *r = run(EVENTS(created("2025-03-31T09:00:00+02:00", 2),
	                                    customer("2025-03-31T09:10:00+02:00"), note("2025-03-31T10:00:00+02:00"),
	                                    msg("2025-03-31T10:30:00+02:00", AUTHOR_KIND_SYSTEM, true),
	                                    msg("2025-03-31T10:40:00+02:00", AUTHOR_KIND_CUSTOMER, false),
	                                    agent("2025-03-31T11:00:00+02:00")),
	                             "2025-03-31T12:00:00+02:00");
	const struct clock_target *t = target(r, POLICY_FIRST_RESPONSE, 2, 0);
	check(t, CLOCK_MET, "2025-03-31T13:00:00+02:00", NULL, 2 * H);
	assert_time(t->started_at, "2025-03-31T09:00:00+02:00");
	assert_time(t->stopped_at, "2025-03-31T11:00:00+02:00");
	assert_int_equal(count(r, POLICY_FIRST_RESPONSE), 1);
	assert_int_equal(count(r, POLICY_NEXT_UPDATE), 0); /* the customer wrote before the first response */
}

static void test_first_response_met_late_stays_breached(void **state)
{
	(void)state;
	struct clock_result *r =
	        run(EVENTS(created("2025-03-31T09:00:00+02:00", 1), agent("2025-03-31T10:30:00+02:00")),
	            "2025-03-31T12:00:00+02:00");
	check(target(r, POLICY_FIRST_RESPONSE, 1, 0), CLOCK_BREACHED, "2025-03-31T10:00:00+02:00",
	      "2025-03-31T10:00:00+02:00", 90 * 60);
	/* without the reply, business time keeps counting until the evaluation instant */
	r = run(EVENTS(created("2025-03-31T09:00:00+02:00", 1)), "2025-03-31T12:00:00+02:00");
	check(target(r, POLICY_FIRST_RESPONSE, 1, 0), CLOCK_BREACHED, "2025-03-31T10:00:00+02:00",
	      "2025-03-31T10:00:00+02:00", 3 * H);
}

static void test_reply_at_due_instant_is_in_time_after_closing_time_is_late(void **state)
{
	(void)state;
	struct clock_result *r =
	        run(EVENTS(created("2025-03-31T13:00:00+02:00", 2), agent("2025-03-31T17:00:00+02:00")),
	            "2025-03-31T18:00:00+02:00");
	check(target(r, POLICY_FIRST_RESPONSE, 2, 0), CLOCK_MET, "2025-03-31T17:00:00+02:00", NULL, 4 * H);
	/* 19:00: no business time passed after 17:00, but the promise was 17:00 */
	r = run(EVENTS(created("2025-03-31T13:00:00+02:00", 2), agent("2025-03-31T19:00:00+02:00")),
	        "2025-03-31T19:00:00+02:00");
	check(target(r, POLICY_FIRST_RESPONSE, 2, 0), CLOCK_BREACHED, "2025-03-31T17:00:00+02:00",
	      "2025-03-31T17:00:00+02:00", 4 * H);
}

static void test_evaluated_at_due_instant_is_breached_one_second_before_running(void **state)
{
	(void)state;
	struct clock_result *r = run(EVENTS(created("2025-03-31T09:00:00+02:00", 1)), "2025-03-31T09:59:59+02:00");
	check(target(r, POLICY_FIRST_RESPONSE, 1, 0), CLOCK_RUNNING, "2025-03-31T10:00:00+02:00", NULL, H - 1);
	struct clock_deadline d;
	assert_int_equal(clock_next_deadline(r, &d), 0);
	assert_int_equal(d.kind, CLOCK_DEADLINE_BREACH);
	assert_time(d.at, "2025-03-31T10:00:00+02:00");
	assert_int_equal(r->targets[d.target].metric, POLICY_FIRST_RESPONSE);
	r = run(EVENTS(created("2025-03-31T09:00:00+02:00", 1)), "2025-03-31T10:00:00+02:00");
	check(target(r, POLICY_FIRST_RESPONSE, 1, 0), CLOCK_BREACHED, "2025-03-31T10:00:00+02:00",
	      "2025-03-31T10:00:00+02:00", H);
}

static void test_created_outside_hours_counts_from_next_opening(void **state)
{
	(void)state;
	/* ServiceNow's example: opened Friday 21:00, now Monday 09:30 → 1h30m business */
	struct clock_result *r = run(EVENTS(created("2025-03-21T21:00:00+01:00", 1)), "2025-03-24T09:30:00+01:00");
	check(target(r, POLICY_FIRST_RESPONSE, 1, 0), CLOCK_BREACHED, "2025-03-24T09:00:00+01:00",
	      "2025-03-24T09:00:00+01:00", 90 * 60);
	check(target(r, POLICY_RESOLUTION, 1, 0), CLOCK_RUNNING, "2025-03-24T12:00:00+01:00", NULL, 90 * 60);
}

static void test_due_across_weekend_with_dst_change(void **state)
{
	(void)state;
	/* domain research §2.2: Fri 16:00 CET + 4 business hours → Mon 11:00 CEST, 66 h later */
	struct clock_result *r = run(EVENTS(created("2025-03-28T16:00:00+01:00", 1)), "2025-03-28T16:00:00+01:00");
	const struct clock_target *t = target(r, POLICY_RESOLUTION, 1, 0);
	check(t, CLOCK_RUNNING, "2025-03-31T11:00:00+02:00", NULL, 0);
	assert_int_equal(t->due - t->started_at, 66 * H);
}

static void test_due_across_easter_holidays(void **state)
{
	(void)state;
	/* Thu 2025-04-17 15:00 + 8 business hours; Good Friday and Easter Monday closed */
	struct clock_result *r = run(EVENTS(created("2025-04-17T15:00:00+02:00", 3)), "2025-04-18T12:00:00+02:00");
	check(target(r, POLICY_FIRST_RESPONSE, 3, 0), CLOCK_RUNNING, "2025-04-22T14:00:00+02:00", NULL, 2 * H);
}

/* ---- pauses ---- */

static void test_pending_customer_pauses_resolution_clock_only(void **state)
{
	(void)state;
	struct clock_event ev[] = {created("2025-03-31T09:00:00+02:00", 2),
	                           to_state("2025-03-31T10:00:00+02:00", TICKET_STATE_PENDING_CUSTOMER),
	                           to_state("2025-04-01T10:00:00+02:00", TICKET_STATE_IN_PROGRESS)};
	struct clock_result *r = run(ev, 2, "2025-03-31T15:00:00+02:00");
	check(target(r, POLICY_RESOLUTION, 2, 0), CLOCK_PAUSED, NULL, NULL, H);
	check(target(r, POLICY_FIRST_RESPONSE, 2, 0), CLOCK_BREACHED, "2025-03-31T13:00:00+02:00",
	      "2025-03-31T13:00:00+02:00", 6 * H);
	struct clock_deadline d;
	assert_int_equal(clock_next_deadline(r, &d), -ENOENT); /* a paused clock has no deadline */

	r = run(ev, 3, "2025-04-01T10:00:00+02:00");
	/* 15 h left from Tue 10:00: Tue 10-17 (7 h), Wed 08-16 (8 h) */
	check(target(r, POLICY_RESOLUTION, 2, 0), CLOCK_RUNNING, "2025-04-02T16:00:00+02:00", NULL, H);
	assert_int_equal(r->state, TICKET_STATE_IN_PROGRESS);
}

static void test_pending_vendor_pauses_only_when_configured(void **state)
{
	(void)state;
	struct clock_event ev[] = {created_with("2025-03-31T09:00:00+02:00", 2, P),
	                           to_state("2025-03-31T10:00:00+02:00", TICKET_STATE_PENDING_VENDOR),
	                           to_state("2025-03-31T12:00:00+02:00", TICKET_STATE_IN_PROGRESS)};
	struct clock_result *r = run(ev, 3, "2025-03-31T12:00:00+02:00");
	check(target(r, POLICY_RESOLUTION, 2, 0), CLOCK_RUNNING, "2025-04-01T16:00:00+02:00", NULL, 3 * H);
	ev[0].policy = PV;
	r = run(ev, 3, "2025-03-31T12:00:00+02:00");
	check(target(r, POLICY_RESOLUTION, 2, 0), CLOCK_RUNNING, "2025-04-02T09:00:00+02:00", NULL, H);
}

static void test_pause_across_weekend_with_dst_change_and_ledger(void **state)
{
	(void)state;
	/* Thu 10-17 (7 h) + Fri 08-09 (1 h); paused Fri 09:00 CET .. Mon 09:00 CEST;
	 * 8 h left → Mon 17:00 CEST; resolved Mon 16:00 → met with 15 h */
	struct clock_result *r =
	        run_flags(EVENTS(created("2025-03-27T10:00:00+01:00", 2), agent("2025-03-27T10:30:00+01:00"),
	                         to_state("2025-03-28T09:00:00+01:00", TICKET_STATE_PENDING_CUSTOMER),
	                         to_state("2025-03-31T09:00:00+02:00", TICKET_STATE_IN_PROGRESS)),
	                  "2025-03-31T09:00:00+02:00", CLOCK_LEDGER);
	check(target(r, POLICY_RESOLUTION, 2, 0), CLOCK_RUNNING, "2025-03-31T17:00:00+02:00", NULL, 8 * H);

	r = run_flags(EVENTS(created("2025-03-27T10:00:00+01:00", 2), agent("2025-03-27T10:30:00+01:00"),
	                     to_state("2025-03-28T09:00:00+01:00", TICKET_STATE_PENDING_CUSTOMER),
	                     to_state("2025-03-31T09:00:00+02:00", TICKET_STATE_IN_PROGRESS),
	                     simple("2025-03-31T16:00:00+02:00", CLOCK_EV_RESOLVED)),
	              "2025-04-01T08:00:00+02:00", CLOCK_LEDGER);
	check(target(r, POLICY_RESOLUTION, 2, 0), CLOCK_MET, "2025-03-31T17:00:00+02:00", NULL, 15 * H);
	static const struct {
		const char *from, *to;
		enum clock_segment_kind kind;
		int64_t business;
	} want[] = {
	        {"2025-03-27T10:00:00+01:00", "2025-03-27T17:00:00+01:00", CLOCK_SEG_RUNNING, 7 * H},
	        {"2025-03-27T17:00:00+01:00", "2025-03-28T08:00:00+01:00", CLOCK_SEG_OUTSIDE_HOURS, 0},
	        {"2025-03-28T08:00:00+01:00", "2025-03-28T09:00:00+01:00", CLOCK_SEG_RUNNING, H},
	        {"2025-03-28T09:00:00+01:00", "2025-03-31T09:00:00+02:00", CLOCK_SEG_PAUSED,
	         9 * H}, /* Fri 09-17 and Mon 08-09 */
	        {"2025-03-31T09:00:00+02:00", "2025-03-31T16:00:00+02:00", CLOCK_SEG_RUNNING, 7 * H},
	        {"2025-03-31T16:00:00+02:00", "2025-04-01T08:00:00+02:00", CLOCK_SEG_RESOLVED, H},
	};
	assert_int_equal(r->n_ledger, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < r->n_ledger; i++) {
		assert_time(r->ledger[i].from, want[i].from);
		assert_time(r->ledger[i].to, want[i].to);
		assert_int_equal(r->ledger[i].kind, want[i].kind);
		assert_int_equal(r->ledger[i].business_seconds, want[i].business);
		assert_ptr_equal(r->ledger[i].policy, P);
		assert_int_equal(r->ledger[i].priority, 2);
	}
}

static void test_pause_across_easter_holidays(void **state)
{
	(void)state;
	/* Wed 09-17 (8 h) + Thu 08-09 (1 h); paused Thu 09:00 .. Wed 23.04 09:00 (Good
	 * Friday, weekend, Easter Monday, Tuesday); 7 h left → Wed 16:00 */
	struct clock_result *r = run(EVENTS(created("2025-04-16T09:00:00+02:00", 2),
	                                    to_state("2025-04-17T09:00:00+02:00", TICKET_STATE_PENDING_CUSTOMER),
	                                    to_state("2025-04-23T09:00:00+02:00", TICKET_STATE_IN_PROGRESS),
	                                    simple("2025-04-23T16:30:00+02:00", CLOCK_EV_RESOLVED)),
	                             "2025-04-23T17:00:00+02:00");
	check(target(r, POLICY_RESOLUTION, 2, 0), CLOCK_BREACHED, "2025-04-23T16:00:00+02:00",
	      "2025-04-23T16:00:00+02:00", 16 * H + 30 * 60);
}

/* ---- resolution and reopen ---- */

static void test_reopen_after_resolution_resumes_same_clock(void **state)
{
	(void)state;
	struct clock_event ev[] = {created("2025-03-31T09:00:00+02:00", 1),
	                           simple("2025-03-31T10:00:00+02:00", CLOCK_EV_RESOLVED),
	                           simple("2025-04-01T09:00:00+02:00", CLOCK_EV_REOPENED),
	                           simple("2025-04-01T11:00:00+02:00", CLOCK_EV_RESOLVED)};
	struct clock_result *r = run(ev, 2, "2025-03-31T15:00:00+02:00");
	check(target(r, POLICY_RESOLUTION, 1, 0), CLOCK_MET, "2025-03-31T13:00:00+02:00", NULL, H);
	/* resolved exactly at the first response's due instant: cancelled, not breached */
	check(target(r, POLICY_FIRST_RESPONSE, 1, 0), CLOCK_CANCELLED, "2025-03-31T10:00:00+02:00", NULL, H);

	r = run(ev, 3, "2025-04-01T09:30:00+02:00");
	check(target(r, POLICY_RESOLUTION, 1, 0), CLOCK_RUNNING, "2025-04-01T12:00:00+02:00", NULL, 90 * 60);
	assert_int_equal(count(r, POLICY_RESOLUTION), 1);
	assert_int_equal(count(r, POLICY_FIRST_RESPONSE), 1); /* no new first response after a reopen */

	r = run(ev, 4, "2025-04-01T12:00:00+02:00");
	check(target(r, POLICY_RESOLUTION, 1, 0), CLOCK_MET, "2025-04-01T12:00:00+02:00", NULL, 3 * H);

	ev[3].at = T("2025-04-01T13:00:00+02:00");
	r = run(ev, 4, "2025-04-01T13:00:00+02:00");
	check(target(r, POLICY_RESOLUTION, 1, 0), CLOCK_BREACHED, "2025-04-01T12:00:00+02:00",
	      "2025-04-01T12:00:00+02:00", 5 * H);
	assert_int_equal(r->state, TICKET_STATE_RESOLVED);
}

static void test_reopen_by_state_change_into_pause(void **state)
{
	(void)state;
	/* resolved → pending_customer is a reopen straight into a pause */
	struct clock_result *r = run(EVENTS(created("2025-03-31T09:00:00+02:00", 1),
	                                    simple("2025-03-31T10:00:00+02:00", CLOCK_EV_RESOLVED),
	                                    to_state("2025-03-31T11:00:00+02:00", TICKET_STATE_PENDING_CUSTOMER),
	                                    to_state("2025-03-31T14:00:00+02:00", TICKET_STATE_IN_PROGRESS)),
	                             "2025-03-31T15:00:00+02:00");
	check(target(r, POLICY_RESOLUTION, 1, 0), CLOCK_RUNNING, "2025-03-31T17:00:00+02:00", NULL, 2 * H);
}

static void test_resolution_cancels_running_response_targets(void **state)
{
	(void)state;
	struct clock_result *r = run(
	        EVENTS(created("2025-03-31T09:00:00+02:00", 1), simple("2025-03-31T11:00:00+02:00", CLOCK_EV_RESOLVED)),
	        "2025-03-31T12:00:00+02:00");
	/* breached at 10:00 before the resolution: stays breached */
	const struct clock_target *t = target(r, POLICY_FIRST_RESPONSE, 1, 0);
	check(t, CLOCK_BREACHED, "2025-03-31T10:00:00+02:00", "2025-03-31T10:00:00+02:00", 2 * H);
	assert_time(t->stopped_at, "2025-03-31T11:00:00+02:00");
	r = run(EVENTS(created("2025-03-31T09:00:00+02:00", 2), agent("2025-03-31T09:30:00+02:00"),
	               customer("2025-03-31T10:00:00+02:00"), simple("2025-03-31T11:00:00+02:00", CLOCK_EV_RESOLVED)),
	        "2025-04-02T12:00:00+02:00");
	check(target(r, POLICY_NEXT_UPDATE, 2, 0), CLOCK_CANCELLED, "2025-04-01T09:00:00+02:00", NULL, H);
	check(target(r, POLICY_RESOLUTION, 2, 0), CLOCK_MET, "2025-04-01T16:00:00+02:00", NULL, 2 * H);
}

static void test_closing_an_open_ticket_resolves_it_and_is_final(void **state)
{
	(void)state;
	struct clock_event ev[] = {created("2025-03-31T09:00:00+02:00", 1), agent("2025-03-31T09:10:00+02:00"),
	                           simple("2025-03-31T10:00:00+02:00", CLOCK_EV_CLOSED),
	                           agent("2025-03-31T11:00:00+02:00")};
	struct clock_result *r = run(ev, 3, "2025-04-30T10:00:00+02:00");
	check(target(r, POLICY_RESOLUTION, 1, 0), CLOCK_MET, "2025-03-31T13:00:00+02:00", NULL, H);
	assert_true(r->closed);
	assert_int_equal(r->state, TICKET_STATE_CLOSED);
	struct lserr e;
	assert_int_equal(clock_eval(ev, 4, T("2025-04-30T10:00:00+02:00"), 0, &ta, &r, &e), -EINVAL);
	assert_string_equal(e.code, "invalid_transition");
	assert_non_null(strstr(e.message, "closed is final"));
}

/* ---- next update ---- */

static void test_next_update_runs_from_oldest_unanswered_customer_message(void **state)
{
	(void)state;
	struct clock_result *r =
	        run(EVENTS(created("2025-03-31T09:00:00+02:00", 2), customer("2025-03-31T09:05:00+02:00"),
	                   agent("2025-03-31T10:00:00+02:00"), customer("2025-03-31T11:00:00+02:00"),
	                   customer("2025-03-31T12:00:00+02:00"), note("2025-03-31T13:00:00+02:00"),
	                   msg("2025-03-31T13:30:00+02:00", AUTHOR_KIND_SYSTEM, true),
	                   agent("2025-04-01T10:00:00+02:00"), customer("2025-04-01T11:00:00+02:00")),
	            "2025-04-01T12:00:00+02:00");
	assert_int_equal(count(r, POLICY_NEXT_UPDATE), 2);
	const struct clock_target *t = target(r, POLICY_NEXT_UPDATE, 2, 0);
	/* from 11:00 (not 12:00): Mon 11-17 6 h + Tue 08-10 2 h; the reply at the due instant is in time */
	check(t, CLOCK_MET, "2025-04-01T10:00:00+02:00", NULL, 8 * H);
	assert_time(t->started_at, "2025-03-31T11:00:00+02:00");
	t = target(r, POLICY_NEXT_UPDATE, 2, 1);
	check(t, CLOCK_RUNNING, "2025-04-02T10:00:00+02:00", NULL, H);
	assert_time(t->started_at, "2025-04-01T11:00:00+02:00");
}

static void test_customer_message_while_resolved_starts_next_update_at_reopen(void **state)
{
	(void)state;
	struct clock_result *r = run(EVENTS(created("2025-03-31T09:00:00+02:00", 2), agent("2025-03-31T09:30:00+02:00"),
	                                    simple("2025-03-31T10:00:00+02:00", CLOCK_EV_RESOLVED),
	                                    customer("2025-04-01T10:00:00+02:00"),
	                                    simple("2025-04-02T09:00:00+02:00", CLOCK_EV_REOPENED)),
	                             "2025-04-02T09:00:00+02:00");
	const struct clock_target *t = target(r, POLICY_NEXT_UPDATE, 2, 0);
	check(t, CLOCK_RUNNING, "2025-04-02T17:00:00+02:00", NULL, 0);
	assert_time(t->started_at, "2025-04-02T09:00:00+02:00");
}

/* ---- priority and policy changes ---- */

static void test_priority_change_mid_flight_restarts_from_creation_with_pauses_excluded(void **state)
{
	(void)state;
	struct clock_result *r = run(EVENTS(created("2025-03-31T09:00:00+02:00", 3),
	                                    to_state("2025-03-31T10:00:00+02:00", TICKET_STATE_PENDING_CUSTOMER),
	                                    to_state("2025-03-31T11:00:00+02:00", TICKET_STATE_IN_PROGRESS),
	                                    prio("2025-03-31T12:00:00+02:00", 1)),
	                             "2025-03-31T12:00:00+02:00");
	assert_int_equal(r->n_targets, 4);
	const struct clock_target *t = target(r, POLICY_FIRST_RESPONSE, 3, 0);
	check(t, CLOCK_SUPERSEDED, "2025-03-31T17:00:00+02:00", NULL, 3 * H);
	assert_time(t->stopped_at, "2025-03-31T12:00:00+02:00");
	check(target(r, POLICY_RESOLUTION, 3, 0), CLOCK_SUPERSEDED, "2025-04-04T14:00:00+02:00", NULL, 2 * H);
	/* P1 first response from creation: 1 h → due 10:00, already breached */
	t = target(r, POLICY_FIRST_RESPONSE, 1, 0);
	check(t, CLOCK_BREACHED, "2025-03-31T10:00:00+02:00", "2025-03-31T10:00:00+02:00", 3 * H);
	assert_time(t->started_at, "2025-03-31T09:00:00+02:00");
	/* P1 resolution from creation without the pause 10-11: 2 h used, due 14:00 */
	check(target(r, POLICY_RESOLUTION, 1, 0), CLOCK_RUNNING, "2025-03-31T14:00:00+02:00", NULL, 2 * H);
	assert_int_equal(r->priority, 1);
}

static void test_superseded_target_is_never_breached(void **state)
{
	(void)state;
	/* P1 first response due 10:00 is superseded at 09:50 and would have breached */
	struct clock_result *r = run(EVENTS(created("2025-03-31T09:00:00+02:00", 1),
	                                    prio("2025-03-31T09:50:00+02:00", 3), agent("2025-03-31T12:00:00+02:00")),
	                             "2025-03-31T12:00:00+02:00");
	check(target(r, POLICY_FIRST_RESPONSE, 1, 0), CLOCK_SUPERSEDED, "2025-03-31T10:00:00+02:00", NULL, 50 * 60);
	check(target(r, POLICY_RESOLUTION, 1, 0), CLOCK_SUPERSEDED, "2025-03-31T13:00:00+02:00", NULL, 50 * 60);
	check(target(r, POLICY_FIRST_RESPONSE, 3, 0), CLOCK_MET, "2025-03-31T17:00:00+02:00", NULL, 3 * H);
	for (size_t i = 0; i < r->n_targets; i++)
		assert_int_equal(r->targets[i].breached_at, 0);
}

static void test_breach_before_priority_change_stays_breached(void **state)
{
	(void)state;
	struct clock_result *r =
	        run(EVENTS(created("2025-03-31T09:00:00+02:00", 1), prio("2025-03-31T11:00:00+02:00", 3)),
	            "2025-03-31T11:00:00+02:00");
	const struct clock_target *t = target(r, POLICY_FIRST_RESPONSE, 1, 0);
	check(t, CLOCK_BREACHED, "2025-03-31T10:00:00+02:00", "2025-03-31T10:00:00+02:00", 2 * H);
	assert_time(t->stopped_at, "2025-03-31T11:00:00+02:00");
	check(target(r, POLICY_RESOLUTION, 1, 0), CLOCK_SUPERSEDED, "2025-03-31T13:00:00+02:00", NULL, 2 * H);
	check(target(r, POLICY_FIRST_RESPONSE, 3, 0), CLOCK_RUNNING, "2025-03-31T17:00:00+02:00", NULL, 2 * H);
}

static void test_changes_at_one_instant_supersede_once(void **state)
{
	(void)state;
	struct clock_result *r = run(EVENTS(created("2025-03-31T09:00:00+02:00", 3),
	                                    prio("2025-03-31T10:00:00+02:00", 2), prio("2025-03-31T10:00:00+02:00", 1)),
	                             "2025-03-31T10:30:00+02:00");
	assert_int_equal(r->n_targets, 4); /* P3 superseded, P1 started; no P2 generation */
	check(target(r, POLICY_FIRST_RESPONSE, 3, 0), CLOCK_SUPERSEDED, "2025-03-31T17:00:00+02:00", NULL, H);
	check(target(r, POLICY_RESOLUTION, 1, 0), CLOCK_RUNNING, "2025-03-31T13:00:00+02:00", NULL, 90 * 60);
	/* a change and back within one instant changes nothing */
	r = run(EVENTS(created("2025-03-31T09:00:00+02:00", 3), prio("2025-03-31T10:00:00+02:00", 1),
	               prio("2025-03-31T10:00:00+02:00", 3)),
	        "2025-03-31T10:30:00+02:00");
	assert_int_equal(r->n_targets, 2);
}

static void test_priority_change_while_paused_restarts_paused(void **state)
{
	(void)state;
	struct clock_result *r = run(EVENTS(created("2025-03-31T09:00:00+02:00", 3),
	                                    to_state("2025-03-31T10:00:00+02:00", TICKET_STATE_PENDING_CUSTOMER),
	                                    prio("2025-03-31T11:00:00+02:00", 1)),
	                             "2025-03-31T12:00:00+02:00");
	/* stopped while paused: the due instant in force when its clock last ran */
	check(target(r, POLICY_RESOLUTION, 3, 0), CLOCK_SUPERSEDED, "2025-04-04T13:00:00+02:00", NULL, H);
	check(target(r, POLICY_RESOLUTION, 1, 0), CLOCK_PAUSED, NULL, NULL, H);
}

static void test_policy_change_restarts_on_new_calendar_with_past_pauses_excluded(void **state)
{
	(void)state;
	struct clock_result *r = run_flags(EVENTS(created("2025-03-31T09:00:00+02:00", 2),
	                                          to_state("2025-03-31T10:00:00+02:00", TICKET_STATE_PENDING_CUSTOMER),
	                                          to_state("2025-03-31T12:00:00+02:00", TICKET_STATE_IN_PROGRESS),
	                                          policy_ev("2025-03-31T14:00:00+02:00", P24)),
	                                   "2025-03-31T15:00:00+02:00", CLOCK_LEDGER);
	assert_ptr_equal(r->policy, P24);
	const struct clock_target *old = target(r, POLICY_RESOLUTION, 2, 0);
	assert_ptr_equal(old->policy, P);
	check(old, CLOCK_SUPERSEDED, "2025-04-02T09:00:00+02:00", NULL, 3 * H);
	/* 24x7: 09:00-14:00 minus the pause 10-12 = 3 h; 13 h left at 14:00 → Tue 03:00 */
	const struct clock_target *t = target(r, POLICY_RESOLUTION, 2, 1);
	assert_ptr_equal(t->policy, P24);
	check(t, CLOCK_RUNNING, "2025-04-01T03:00:00+02:00", NULL, 4 * H);
	/* the old first response had breached at 13:00 and stays breached; so does the new one */
	check(target(r, POLICY_FIRST_RESPONSE, 2, 0), CLOCK_BREACHED, "2025-03-31T13:00:00+02:00",
	      "2025-03-31T13:00:00+02:00", 5 * H);
	t = target(r, POLICY_FIRST_RESPONSE, 2, 1);
	check(t, CLOCK_BREACHED, "2025-03-31T13:00:00+02:00", "2025-03-31T13:00:00+02:00", 6 * H);
	/* the ledger records which policy applied when */
	assert_ptr_equal(r->ledger[0].policy, P);
	assert_int_equal(r->ledger[r->n_ledger - 1].kind, CLOCK_SEG_RUNNING);
	assert_ptr_equal(r->ledger[r->n_ledger - 1].policy, P24);
	assert_time(r->ledger[r->n_ledger - 1].from, "2025-03-31T14:00:00+02:00");
}

static void test_no_policy_means_no_targets_and_policy_loss_supersedes(void **state)
{
	(void)state;
	struct clock_result *r =
	        run(EVENTS(created_with("2025-03-31T09:00:00+02:00", 2, NULL)), "2025-03-31T10:00:00+02:00");
	assert_null(r->policy);
	assert_int_equal(r->n_targets, 0);
	r = run(EVENTS(created("2025-03-31T09:00:00+02:00", 2), policy_ev("2025-03-31T10:00:00+02:00", NULL)),
	        "2025-03-31T11:00:00+02:00");
	assert_int_equal(r->n_targets, 2);
	check(target(r, POLICY_RESOLUTION, 2, 0), CLOCK_SUPERSEDED, "2025-04-01T16:00:00+02:00", NULL, H);
	/* and a policy that arrives later measures from creation */
	r = run(EVENTS(created_with("2025-03-31T09:00:00+02:00", 2, NULL), policy_ev("2025-03-31T10:00:00+02:00", P)),
	        "2025-03-31T11:00:00+02:00");
	check(target(r, POLICY_RESOLUTION, 2, 0), CLOCK_RUNNING, "2025-04-01T16:00:00+02:00", NULL, 2 * H);
}

static void test_calendar_time_target_across_dst(void **state)
{
	(void)state;
	/* Sat 12:00 CET + 24 real hours = Sun 13:00 CEST (clocks went forward at 02:00) */
	struct clock_result *r =
	        run(EVENTS(created_with("2025-03-29T12:00:00+01:00", 1, PC)), "2025-03-30T12:00:00+02:00");
	const struct clock_target *t = target(r, POLICY_RESOLUTION, 1, 0);
	assert_int_equal(t->time, POLICY_TIME_CALENDAR);
	check(t, CLOCK_RUNNING, "2025-03-30T13:00:00+02:00", NULL, 23 * H);
}

/* ---- deadlines and escalations ---- */

static void test_next_deadline_warnings_then_breach(void **state)
{
	(void)state;
	struct clock_event ev[] = {created("2025-03-31T09:00:00+02:00", 1), agent("2025-03-31T09:10:00+02:00")};
	struct clock_result *r = run(ev, 2, "2025-03-31T09:10:00+02:00");
	const struct clock_target *t = target(r, POLICY_RESOLUTION, 1, 0);
	assert_int_equal(t->n_warnings, 2);
	assert_time(t->warnings[0].at, "2025-03-31T12:00:00+02:00"); /* 75 % of 4 h */
	assert_time(t->warnings[1].at, "2025-03-31T12:36:00+02:00"); /* 90 % */
	assert_false(t->warnings[0].reached);
	struct clock_deadline d;
	assert_int_equal(clock_next_deadline(r, &d), 0);
	assert_int_equal(d.kind, CLOCK_DEADLINE_WARNING);
	assert_int_equal(d.index, 0);
	assert_time(d.at, "2025-03-31T12:00:00+02:00");
	r = run(ev, 2, "2025-03-31T12:00:00+02:00");
	assert_true(target(r, POLICY_RESOLUTION, 1, 0)->warnings[0].reached);
	assert_int_equal(clock_next_deadline(r, &d), 0);
	assert_int_equal(d.index, 1);
	r = run(ev, 2, "2025-03-31T12:36:00+02:00");
	assert_int_equal(clock_next_deadline(r, &d), 0);
	assert_int_equal(d.kind, CLOCK_DEADLINE_BREACH);
	assert_time(d.at, "2025-03-31T13:00:00+02:00");
	r = run(ev, 2, "2025-03-31T13:00:00+02:00");
	assert_int_equal(clock_next_deadline(r, &d), -ENOENT);
}

static void test_unacknowledged_escalation_climbs(void **state)
{
	(void)state;
	struct clock_event ev[] = {created_with("2025-03-31T09:00:00+02:00", 1, PE),
	                           ack("2025-03-31T12:10:00+02:00", POLICY_RESOLUTION, 1)};
	struct clock_result *r = run(ev, 1, "2025-03-31T12:00:00+02:00");
	const struct clock_target *t = target(r, POLICY_RESOLUTION, 1, 0);
	assert_int_equal(t->n_levels, 3);
	assert_time(t->levels[0].due, "2025-03-31T12:00:00+02:00");
	assert_true(t->levels[0].fired);
	assert_time(t->levels[1].due, "2025-03-31T12:30:00+02:00"); /* not acknowledged within 30 min */
	assert_true(t->levels[1].climbed);
	assert_time(t->levels[2].due, "2025-03-31T14:00:00+02:00"); /* breach + 1 h */
	struct clock_deadline d;
	assert_int_equal(clock_next_deadline(r, &d), 0);
	assert_int_equal(d.kind, CLOCK_DEADLINE_ESCALATION);
	assert_int_equal(d.index, 2);
	assert_time(d.at, "2025-03-31T12:30:00+02:00");

	r = run(ev, 2, "2025-03-31T12:10:00+02:00");
	t = target(r, POLICY_RESOLUTION, 1, 0);
	assert_time(t->levels[0].acked, "2025-03-31T12:10:00+02:00");
	assert_time(t->levels[1].due, "2025-03-31T13:00:00+02:00");
	assert_false(t->levels[1].climbed);
	assert_int_equal(clock_next_deadline(r, &d), 0);
	assert_int_equal(d.kind, CLOCK_DEADLINE_WARNING); /* 90 % at 12:36 comes first now */

	/* met at 12:20: nothing further falls due */
	struct clock_event met[] = {created_with("2025-03-31T09:00:00+02:00", 1, PE),
	                            simple("2025-03-31T12:20:00+02:00", CLOCK_EV_RESOLVED)};
	r = run(met, 2, "2025-03-31T15:00:00+02:00");
	t = target(r, POLICY_RESOLUTION, 1, 0);
	assert_true(t->levels[0].fired);
	assert_int_equal(t->levels[1].due, 0);
	assert_int_equal(t->levels[2].due, 0);
	assert_int_equal(clock_next_deadline(r, &d), -ENOENT);
}

static void test_escalation_level_after_breach_waits_during_pause(void **state)
{
	(void)state;
	/* breached at 13:00, paused 13:30 .. Tue 10:00: breach + 1 h = 30 min before the
	 * pause and 30 min after it → Tue 10:30 */
	struct clock_result *r = run(EVENTS(created_with("2025-03-31T09:00:00+02:00", 1, PE),
	                                    ack("2025-03-31T12:05:00+02:00", POLICY_RESOLUTION, 1),
	                                    to_state("2025-03-31T13:30:00+02:00", TICKET_STATE_PENDING_CUSTOMER),
	                                    to_state("2025-04-01T10:00:00+02:00", TICKET_STATE_IN_PROGRESS)),
	                             "2025-04-01T10:00:00+02:00");
	const struct clock_target *t = target(r, POLICY_RESOLUTION, 1, 0);
	assert_int_equal(t->state, CLOCK_BREACHED);
	assert_time(t->levels[1].due, "2025-03-31T13:00:00+02:00");
	assert_time(t->levels[2].due, "2025-04-01T10:30:00+02:00");
	assert_false(t->levels[2].fired);
}

/* ---- the clock API ---- */

static void test_evaluation_leaves_the_clock_untouched(void **state)
{
	(void)state;
	struct clock *c = clock_new(&ta);
	struct clock_event ev[] = {created("2025-03-31T09:00:00+02:00", 3), prio("2025-03-31T10:00:00+02:00", 1),
	                           agent("2025-03-31T10:30:00+02:00"),
	                           simple("2025-03-31T11:00:00+02:00", CLOCK_EV_RESOLVED)};
	struct clock_result *r;
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(clock_apply(c, &ev[i], NULL), 0);
	assert_int_equal(clock_evaluate(c, T("2025-03-31T10:00:00+02:00"), 0, &ta, &r, NULL), 0);
	assert_int_equal(r->n_targets, 4);
	assert_int_equal(clock_evaluate(c, T("2025-03-31T10:20:00+02:00"), CLOCK_LEDGER, &ta, &r, NULL), 0);
	assert_int_equal(r->n_targets, 4);
	for (size_t i = 2; i < 4; i++)
		assert_int_equal(clock_apply(c, &ev[i], NULL), 0);
	assert_int_equal(clock_evaluate(c, T("2025-03-31T12:00:00+02:00"), 0, &ta, &r, NULL), 0);
	struct clock_result *once = run(ev, 4, "2025-03-31T12:00:00+02:00");
	assert_int_equal(r->n_targets, once->n_targets);
	for (size_t i = 0; i < r->n_targets; i++) {
		assert_int_equal(r->targets[i].state, once->targets[i].state);
		assert_int_equal(r->targets[i].due, once->targets[i].due);
		assert_int_equal(r->targets[i].consumed, once->targets[i].consumed);
	}
	check(target(r, POLICY_FIRST_RESPONSE, 1, 0), CLOCK_BREACHED, "2025-03-31T10:00:00+02:00",
	      "2025-03-31T10:00:00+02:00", 90 * 60);
	check(target(r, POLICY_RESOLUTION, 1, 0), CLOCK_MET, "2025-03-31T13:00:00+02:00", NULL, 2 * H);
}

static void expect_error(struct clock_event *ev, size_t n, const char *code, const char *field)
{
	struct clock_result *r;
	struct lserr e;
	lserr_clear(&e);
	int rc = clock_eval(ev, n, ev[n - 1].at, 0, &ta, &r, &e);
	if (rc != -EINVAL || strcmp(e.code, code) != 0 || strcmp(e.field, field) != 0)
		fail_msg("got %d %s field %s (%s), want -EINVAL %s field %s", rc, e.code ? e.code : "-", e.field,
		         e.message, code, field);
}

static void test_input_errors(void **state)
{
	(void)state;
	expect_error(EVENTS(agent("2025-03-31T09:00:00+02:00")), "invalid_transition", "kind");
	expect_error(EVENTS(created("2025-03-31T09:00:00+02:00", 1), created("2025-03-31T10:00:00+02:00", 1)),
	             "invalid_transition", "kind");
	expect_error(EVENTS(created("2025-03-31T09:00:00+02:00", 1), agent("2025-03-31T08:00:00+02:00")),
	             "invalid_field", "at");
	expect_error(
	        EVENTS(created("2025-03-31T09:00:00+02:00", 1), simple("2025-03-31T10:00:00+02:00", CLOCK_EV_REOPENED)),
	        "invalid_transition", "kind");
	expect_error(EVENTS(created("2025-03-31T09:00:00+02:00", 1),
	                    simple("2025-03-31T10:00:00+02:00", CLOCK_EV_RESOLVED),
	                    simple("2025-03-31T11:00:00+02:00", CLOCK_EV_RESOLVED)),
	             "invalid_transition", "kind");
	expect_error(EVENTS(created("2025-03-31T09:00:00+02:00", 6)), "invalid_field", "priority");
	expect_error(EVENTS(created("2025-03-31T09:00:00+02:00", 1), prio("2025-03-31T10:00:00+02:00", 0)),
	             "invalid_field", "priority");
	expect_error(EVENTS(created_with("2025-03-31T09:00:00+02:00", 1, PE),
	                    ack("2025-03-31T10:00:00+02:00", POLICY_RESOLUTION, 4)),
	             "invalid_field", "level");
	expect_error(EVENTS(created("2025-03-31T09:00:00+02:00", 1),
	                    to_state("2025-03-31T10:00:00+02:00", (enum ticket_state)42)),
	             "invalid_field", "to");
	/* evaluation before the last event */
	struct clock_result *r;
	struct lserr e;
	struct clock_event ev[] = {created("2025-03-31T09:00:00+02:00", 1)};
	assert_int_equal(clock_eval(ev, 1, T("2025-03-31T08:00:00+02:00"), 0, &ta, &r, &e), -EINVAL);
	assert_string_equal(e.field, "at");
	/* a failed clock stays failed */
	struct clock *c = clock_new(&ta);
	assert_int_equal(clock_apply(c, &ev[0], NULL), 0);
	struct clock_event bad = simple("2025-03-31T10:00:00+02:00", CLOCK_EV_REOPENED);
	assert_int_equal(clock_apply(c, &bad, NULL), -EINVAL);
	struct clock_event fine = agent("2025-03-31T10:00:00+02:00");
	assert_int_equal(clock_apply(c, &fine, NULL), -EINVAL);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(clock_state_to_string(CLOCK_SUPERSEDED), "superseded");
	assert_string_equal(clock_event_kind_to_string(CLOCK_EV_REOPENED), "reopened");
	assert_int_equal(clock_event_kind_from_string("closed"), CLOCK_EV_CLOSED);
	assert_int_equal(clock_event_kind_from_string("close"), _CLOCK_EV_INVALID);
	assert_string_equal(clock_segment_kind_to_string(CLOCK_SEG_OUTSIDE_HOURS), "outside_hours");
	assert_string_equal(clock_deadline_kind_to_string(CLOCK_DEADLINE_ESCALATION), "escalation");
	assert_null(clock_state_to_string(_CLOCK_STATE_MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup(test_first_response_met_by_first_public_agent_reply, setup),
	        cmocka_unit_test_setup(test_first_response_met_late_stays_breached, setup),
	        cmocka_unit_test_setup(test_reply_at_due_instant_is_in_time_after_closing_time_is_late, setup),
	        cmocka_unit_test_setup(test_evaluated_at_due_instant_is_breached_one_second_before_running, setup),
	        cmocka_unit_test_setup(test_created_outside_hours_counts_from_next_opening, setup),
	        cmocka_unit_test_setup(test_due_across_weekend_with_dst_change, setup),
	        cmocka_unit_test_setup(test_due_across_easter_holidays, setup),
	        cmocka_unit_test_setup(test_pending_customer_pauses_resolution_clock_only, setup),
	        cmocka_unit_test_setup(test_pending_vendor_pauses_only_when_configured, setup),
	        cmocka_unit_test_setup(test_pause_across_weekend_with_dst_change_and_ledger, setup),
	        cmocka_unit_test_setup(test_pause_across_easter_holidays, setup),
	        cmocka_unit_test_setup(test_reopen_after_resolution_resumes_same_clock, setup),
	        cmocka_unit_test_setup(test_reopen_by_state_change_into_pause, setup),
	        cmocka_unit_test_setup(test_resolution_cancels_running_response_targets, setup),
	        cmocka_unit_test_setup(test_closing_an_open_ticket_resolves_it_and_is_final, setup),
	        cmocka_unit_test_setup(test_next_update_runs_from_oldest_unanswered_customer_message, setup),
	        cmocka_unit_test_setup(test_customer_message_while_resolved_starts_next_update_at_reopen, setup),
	        cmocka_unit_test_setup(test_priority_change_mid_flight_restarts_from_creation_with_pauses_excluded,
	                               setup),
	        cmocka_unit_test_setup(test_superseded_target_is_never_breached, setup),
	        cmocka_unit_test_setup(test_breach_before_priority_change_stays_breached, setup),
	        cmocka_unit_test_setup(test_changes_at_one_instant_supersede_once, setup),
	        cmocka_unit_test_setup(test_priority_change_while_paused_restarts_paused, setup),
	        cmocka_unit_test_setup(test_policy_change_restarts_on_new_calendar_with_past_pauses_excluded, setup),
	        cmocka_unit_test_setup(test_no_policy_means_no_targets_and_policy_loss_supersedes, setup),
	        cmocka_unit_test_setup(test_calendar_time_target_across_dst, setup),
	        cmocka_unit_test_setup(test_next_deadline_warnings_then_breach, setup),
	        cmocka_unit_test_setup(test_unacknowledged_escalation_climbs, setup),
	        cmocka_unit_test_setup(test_escalation_level_after_breach_waits_during_pause, setup),
	        cmocka_unit_test_setup(test_evaluation_leaves_the_clock_untouched, setup),
	        cmocka_unit_test_setup(test_input_errors, setup),
	        cmocka_unit_test_setup(test_names, setup),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
