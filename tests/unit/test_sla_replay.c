/* Tests for sla/replay.c: the JSON-lines event format of `leitstand sla replay`
 * (every kind, defaults, errors naming the field), tickets interleaved in one stream,
 * time order per ticket, evaluation as of an earlier instant (later events checked,
 * not applied), tickets no policy applies to (reported, counted), a priority change
 * that moves a ticket to another policy, choice by order between two policies, and
 * the summary: compliance = met / (met + breached) without superseded targets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sla/replay.h"

static struct arena parena = ARENA_INIT;
static struct calendar *cals[4];
static size_t ncals;
static struct policy *P;       /* the issue's example */
static struct policy *P_P1;    /* applies to P1 tickets only */
static struct policy *NETWORK; /* order 1, category Network */
static struct policy *GENERAL; /* order 2 */

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

#define BERLIN "\"calendar\":{\"tz\":\"Europe/Berlin\",\"hours\":\"mon-fri 08:00-17:00\",\"holidays\":\"DE-NW\"}"

static int group_setup(void **state)
{
	(void)state;
	P = load("{" BERLIN ",\"pause_states\":[\"pending_customer\"],\"targets\":{\"P1\":{\"first_response\":\"1h\","
	         "\"resolution\":\"4h\"},\"P2\":{\"first_response\":\"4h\",\"next_update\":\"8h\",\"resolution\":"
	         "\"16h\"}}}");
	P_P1 = load("{" BERLIN
	            ",\"applies_to\":{\"priorities\":[\"P1\"]},\"targets\":{\"P1\":{\"resolution\":\"4h\"}}}");
	NETWORK = load("{\"name\":\"Network\",\"order\":1," BERLIN ",\"applies_to\":{\"categories\":[\"Network\"]},"
	               "\"targets\":{\"P2\":{\"resolution\":\"8h\"}}}");
	GENERAL = load("{\"name\":\"General\",\"order\":2," BERLIN ",\"targets\":{\"P2\":{\"resolution\":\"16h\"}}}");
	return P && P_P1 && NETWORK && GENERAL ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < ncals; i++)
		calendar_free(cals[i]);
	arena_release(&parena);
	return 0;
}

static struct replay *replay_of(const struct policy **set, size_t n)
{
	return replay_new(set, n);
}

static void feed(struct replay *r, const char *const *lines, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct lserr e;
		lserr_clear(&e);
		if (replay_line(r, lines[i], strlen(lines[i]), &e) < 0)
			fail_msg("line %zu: %s", i + 1, e.message);
	}
}

/* Parses one line expecting failure with code and field. */
static void bad_line(const char *line, const char *code, const char *field)
{
	struct arena a = ARENA_INIT;
	struct replay_event ev;
	struct lserr e;
	lserr_clear(&e);
	int r = replay_parse_event(line, strlen(line), &a, &ev, &e);
	arena_release(&a);
	if (r >= 0 || strcmp(e.code, code) != 0 || strcmp(e.field, field) != 0)
		fail_msg("%s: got %d %s field '%s' (%s), want %s field '%s'", line, r, e.code ? e.code : "-", e.field,
		         e.message, code, field);
}

static void test_every_event_kind_parses(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct replay_event ev;
	const char *l =
	        "{\"ticket\":\"INC1\",\"at\":\"2025-03-28T16:00:00+01:00\",\"kind\":\"created\",\"priority\":\"P2\","
	        "\"type\":\"incident\",\"category\":\"Network\",\"channel\":\"email\"}";
	assert_int_equal(replay_parse_event(l, strlen(l), &a, &ev, NULL), 0);
	assert_string_equal(ev.ticket, "INC1");
	assert_int_equal(ev.ev.at, T("2025-03-28T15:00:00Z"));
	assert_int_equal(ev.ev.kind, CLOCK_EV_CREATED);
	assert_int_equal(ev.ev.priority, 2);
	assert_int_equal(ev.subject.type, TICKET_TYPE_INCIDENT);
	assert_int_equal(ev.subject.channel, TICKET_CHANNEL_EMAIL);
	assert_string_equal(ev.subject.category, "Network");
	l = "{\"ticket\":\"INC1\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"reply\",\"author\":\"customer\"}";
	assert_int_equal(replay_parse_event(l, strlen(l), &a, &ev, NULL), 0);
	assert_int_equal(ev.ev.author, AUTHOR_KIND_CUSTOMER);
	assert_true(ev.ev.is_public); /* default */
	l = "{\"ticket\":\"INC1\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"reply\",\"author\":\"agent\",\"public\":"
	    "false}";
	assert_int_equal(replay_parse_event(l, strlen(l), &a, &ev, NULL), 0);
	assert_false(ev.ev.is_public);
	l = "{\"kind\":\"state\",\"to\":\"pending_vendor\",\"ticket\":\"INC1\",\"at\":\"2025-03-28T16:00:00.5+01:00\"}";
	assert_int_equal(replay_parse_event(l, strlen(l), &a, &ev, NULL), 0);
	assert_int_equal(ev.ev.state, TICKET_STATE_PENDING_VENDOR);
	l = "{\"ticket\":\"INC1\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"priority\",\"to\":\"P1\"}";
	assert_int_equal(replay_parse_event(l, strlen(l), &a, &ev, NULL), 0);
	assert_int_equal(ev.ev.priority, 1);
	static const char *const plain[] = {"resolved", "reopened", "closed"};
	for (size_t i = 0; i < 3; i++) {
		char buf[128];
		snprintf(buf, sizeof(buf), "{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"%s\"}",
		         plain[i]);
		assert_int_equal(replay_parse_event(buf, strlen(buf), &a, &ev, NULL), 0);
		assert_int_equal(ev.ev.kind, clock_event_kind_from_string(plain[i]));
	}
	l = "{\"ticket\":\"INC1\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"acknowledged\",\"target\":\"resolution\","
	    "\"level\":2}";
	assert_int_equal(replay_parse_event(l, strlen(l), &a, &ev, NULL), 0);
	assert_int_equal(ev.ev.metric, POLICY_RESOLUTION);
	assert_int_equal(ev.ev.level, 2);
	arena_release(&a);
}

static void test_bad_lines_name_the_field(void **state)
{
	(void)state;
	bad_line("not json", "invalid_json", "line");
	bad_line("[1,2]", "invalid_json", "line");
	bad_line("{\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"closed\"}", "missing_field", "ticket");
	bad_line("{\"ticket\":\"\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"closed\"}", "invalid_field", "ticket");
	bad_line("{\"ticket\":1,\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"closed\"}", "invalid_field", "ticket");
	bad_line("{\"ticket\":\"X\",\"kind\":\"closed\"}", "missing_field", "at");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28\",\"kind\":\"closed\"}", "invalid_field", "at");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00\",\"kind\":\"closed\"}", "invalid_field", "at");
	bad_line("{\"ticket\":\"X\",\"at\":\"yesterday\",\"kind\":\"closed\"}", "invalid_field", "at");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\"}", "missing_field", "kind");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"solved\"}", "invalid_field", "kind");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"policy\"}", "invalid_field", "kind");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"created\"}", "missing_field",
	         "priority");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"created\",\"priority\":\"P9\"}",
	         "invalid_field", "priority");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"created\",\"priority\":2}",
	         "invalid_field", "priority");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"created\",\"priority\":\"P1\",\"type\":"
	         "\"bug\"}",
	         "invalid_field", "type");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"created\",\"priority\":\"P1\",\"to\":"
	         "\"P2\"}",
	         "unknown_field", "to");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"reply\"}", "missing_field", "author");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"reply\",\"author\":\"bot\"}",
	         "invalid_field", "author");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"reply\",\"author\":\"agent\",\"public\":"
	         "1}",
	         "invalid_field", "public");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"reply\",\"author\":\"agent\",\"body\":"
	         "\"x\"}",
	         "unknown_field", "body");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"state\"}", "missing_field", "to");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"state\",\"to\":\"on_hold\"}",
	         "invalid_field", "to");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"priority\",\"to\":\"high\"}",
	         "invalid_field", "to");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"resolved\",\"to\":\"closed\"}",
	         "unknown_field", "to");
	bad_line(
	        "{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"acknowledged\",\"target\":\"resolution\","
	        "\"level\":0}",
	        "invalid_field", "level");
	bad_line("{\"ticket\":\"X\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"acknowledged\",\"level\":1}",
	         "missing_field", "target");
	bad_line("{\"ticket\":\"X\",\"ticket\":\"Y\",\"at\":\"2025-03-28T16:00:00Z\",\"kind\":\"closed\"}",
	         "invalid_json", "line");
	char big[LS_MAX_SLA_EVENT_BYTES + 2];
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	struct lserr e;
	assert_int_equal(replay_parse_event(big, strlen(big), NULL, NULL, &e), -LS_ETOOLARGE);
}

static void test_issue_example_end_to_end(void **state)
{
	(void)state;
	const struct policy *set[] = {P};
	struct replay *r = replay_of(set, 1);
	static const char *const lines[] = {
	        "{\"ticket\":\"INC1\",\"at\":\"2025-03-28T16:00:00+01:00\",\"kind\":\"created\",\"priority\":\"P2\"}",
	        "{\"ticket\":\"INC2\",\"at\":\"2025-04-17T15:00:00+02:00\",\"kind\":\"created\",\"priority\":\"P1\"}",
	        "",
	        "   \r\n",
	        "{\"ticket\":\"INC1\",\"at\":\"2025-03-31T09:30:00+02:00\",\"kind\":\"reply\",\"author\":\"agent\","
	        "\"public\":true}\r\n",
	        "{\"ticket\":\"INC1\",\"at\":\"2025-03-31T10:00:00+02:00\",\"kind\":\"reply\",\"author\":\"customer\","
	        "\"public\":true}",
	        "{\"ticket\":\"INC1\",\"at\":\"2025-03-31T11:00:00+02:00\",\"kind\":\"state\",\"to\":\"pending_"
	        "customer\"}",
	        "{\"ticket\":\"INC1\",\"at\":\"2025-04-01T11:00:00+02:00\",\"kind\":\"state\",\"to\":\"in_progress\"}",
	        "{\"ticket\":\"INC1\",\"at\":\"2025-04-02T12:00:00+02:00\",\"kind\":\"reply\",\"author\":\"agent\","
	        "\"public\":true}",
	        "{\"ticket\":\"INC1\",\"at\":\"2025-04-03T12:00:00+02:00\",\"kind\":\"resolved\"}",
	        "{\"ticket\":\"INC2\",\"at\":\"2025-04-22T09:00:00+02:00\",\"kind\":\"reply\",\"author\":\"agent\","
	        "\"public\":false}",
	};
	feed(r, lines, sizeof(lines) / sizeof(lines[0]));
	assert_int_equal(replay_ticket_count(r), 2);
	assert_int_equal(replay_last_at(r), T("2025-04-22T09:00:00+02:00"));
	struct arena a = ARENA_INIT;
	struct replay_summary sum = {0};
	struct replay_ticket t;
	assert_int_equal(replay_evaluate(r, 0, replay_last_at(r), 0, &a, &t, NULL), 0);
	assert_string_equal(t.ticket, "INC1");
	assert_null(t.no_policy);
	assert_int_equal(t.result->n_targets, 3);
	/* first response: Fri 16:00 CET + 4 h → Mon 11:00 CEST, met at 09:30 after 2.5 h */
	assert_int_equal(t.result->targets[0].state, CLOCK_MET);
	assert_int_equal(t.result->targets[0].due, T("2025-03-31T11:00:00+02:00"));
	assert_int_equal(t.result->targets[0].consumed, 9000);
	/* resolution: 1 + 3 + (pause) + 6 + 6 = 16 h at Wed 14:00; resolved Thu 12:00 */
	assert_int_equal(t.result->targets[1].state, CLOCK_BREACHED);
	assert_int_equal(t.result->targets[1].breached_at, T("2025-04-02T14:00:00+02:00"));
	assert_int_equal(t.result->targets[1].consumed, 23 * 3600);
	/* next update from Mon 10:00: 7 h + Tue 08-09 → due Tue 09:00; answered Wed 12:00 */
	assert_int_equal(t.result->targets[2].metric, POLICY_NEXT_UPDATE);
	assert_int_equal(t.result->targets[2].state, CLOCK_BREACHED);
	assert_int_equal(t.result->targets[2].breached_at, T("2025-04-01T09:00:00+02:00"));
	replay_summary_add(&sum, &t);
	arena_reset(&a);
	assert_int_equal(replay_evaluate(r, 1, replay_last_at(r), 0, &a, &t, NULL), 0);
	/* Thu before Easter 15:00 + 1 h → 16:00, only a private note followed */
	assert_int_equal(t.result->targets[0].state, CLOCK_BREACHED);
	assert_int_equal(t.result->targets[0].breached_at, T("2025-04-17T16:00:00+02:00"));
	assert_int_equal(t.result->targets[1].state, CLOCK_RUNNING);
	assert_int_equal(t.result->targets[1].due, T("2025-04-22T10:00:00+02:00"));
	replay_summary_add(&sum, &t);
	assert_int_equal(sum.tickets, 2);
	assert_int_equal(sum.count[CLOCK_MET], 1);
	assert_int_equal(sum.count[CLOCK_BREACHED], 3);
	assert_int_equal(sum.count[CLOCK_RUNNING], 1);
	assert_true(sum.has_compliance);
	assert_true(sum.compliance == 0.25);
	arena_release(&a);
	replay_free(r);
}

static void test_order_and_creation_are_checked_per_ticket(void **state)
{
	(void)state;
	const struct policy *set[] = {P};
	struct replay *r = replay_of(set, 1);
	static const char *const ok[] = {
	        "{\"ticket\":\"A\",\"at\":\"2025-03-31T09:00:00+02:00\",\"kind\":\"created\",\"priority\":\"P1\"}",
	        "{\"ticket\":\"B\",\"at\":\"2025-03-31T12:00:00+02:00\",\"kind\":\"created\",\"priority\":\"P1\"}",
	        /* tickets interleave: A's next event is earlier than B's */
	        "{\"ticket\":\"A\",\"at\":\"2025-03-31T10:00:00+02:00\",\"kind\":\"resolved\"}",
	};
	feed(r, ok, 3);
	uint32_t line = 0;
	assert_int_equal(replay_check(r, &line, NULL), 0);
	struct lserr e;
	const char *l = "{\"ticket\":\"A\",\"at\":\"2025-03-31T09:30:00+02:00\",\"kind\":\"reopened\"}";
	assert_int_equal(replay_line(r, l, strlen(l), &e), -EINVAL); /* line 4, not recorded */
	assert_string_equal(e.field, "at");
	assert_non_null(strstr(e.message, "ticket A"));
	l = "{\"ticket\":\"C\",\"at\":\"2025-03-31T09:30:00+02:00\",\"kind\":\"reply\",\"author\":\"agent\"}";
	assert_int_equal(replay_line(r, l, strlen(l), &e), -EINVAL); /* line 5 */
	assert_string_equal(e.code, "invalid_transition");
	assert_non_null(strstr(e.message, "ticket C must be 'created'"));
	l = "{\"ticket\":\"D\",\"at\":\"1990-01-01T12:00:00Z\",\"kind\":\"created\",\"priority\":\"P1\"}";
	assert_int_equal(replay_line(r, l, strlen(l), &e), -ERANGE); /* line 6 */
	assert_string_equal(e.field, "at");
	/* the engine's rules are checked over all tickets; the earliest bad line is named */
	static const char *const later[] = {
	        "{\"ticket\":\"A\",\"at\":\"2025-03-31T12:00:00+02:00\",\"kind\":\"closed\"}",   /* 7 */
	        "{\"ticket\":\"A\",\"at\":\"2025-03-31T13:00:00+02:00\",\"kind\":\"reopened\"}", /* 8: after close */
	        "{\"ticket\":\"B\",\"at\":\"2025-03-31T12:30:00+02:00\",\"kind\":\"reopened\"}", /* 9: not resolved */
	};
	feed(r, later, 3);
	lserr_clear(&e);
	assert_int_equal(replay_check(r, &line, &e), -EINVAL);
	assert_int_equal(line, 8);
	assert_string_equal(e.code, "invalid_transition");
	assert_non_null(strstr(e.message, "closed is final"));
	struct arena a = ARENA_INIT;
	struct replay_ticket t;
	assert_int_equal(replay_evaluate(r, 1, T("2025-03-31T14:00:00+02:00"), 0, &a, &t, &e), -EINVAL);
	assert_non_null(strstr(e.message, "only a resolved ticket can be reopened"));
	arena_release(&a);
	replay_free(r);
}

static void test_evaluation_as_of_an_earlier_instant(void **state)
{
	(void)state;
	const struct policy *set[] = {P};
	struct replay *r = replay_of(set, 1);
	replay_set_until(r, T("2025-03-31T09:40:00+02:00"));
	static const char *const lines[] = {
	        "{\"ticket\":\"A\",\"at\":\"2025-03-31T09:00:00+02:00\",\"kind\":\"created\",\"priority\":\"P1\"}",
	        "{\"ticket\":\"A\",\"at\":\"2025-03-31T09:40:00+02:00\",\"kind\":\"state\",\"to\":\"assigned\"}",
	        "{\"ticket\":\"A\",\"at\":\"2025-03-31T09:50:00+02:00\",\"kind\":\"reply\",\"author\":\"agent\"}",
	        "{\"ticket\":\"B\",\"at\":\"2025-03-31T10:00:00+02:00\",\"kind\":\"created\",\"priority\":\"P1\"}",
	        /* not applied, so a reopen of an open ticket is not noticed; the time order is */
	        "{\"ticket\":\"B\",\"at\":\"2025-03-31T11:00:00+02:00\",\"kind\":\"reopened\"}",
	};
	feed(r, lines, 5);
	struct lserr e;
	const char *l = "{\"ticket\":\"B\",\"at\":\"2025-03-31T10:30:00+02:00\",\"kind\":\"resolved\"}";
	assert_int_equal(replay_line(r, l, strlen(l), &e), -EINVAL);
	assert_string_equal(e.field, "at");
	uint32_t line;
	assert_int_equal(replay_check(r, &line, NULL), 0);

	struct arena a = ARENA_INIT;
	struct replay_ticket t;
	assert_int_equal(replay_evaluate(r, 0, T("2025-03-31T09:40:00+02:00"), 0, &a, &t, NULL), 0);
	assert_int_equal(t.result->targets[0].state, CLOCK_RUNNING); /* the reply at 09:50 has not happened */
	assert_int_equal(t.result->state, TICKET_STATE_ASSIGNED);    /* the event at the instant itself has */
	assert_int_equal(t.result->targets[0].consumed, 40 * 60);
	assert_int_equal(replay_evaluate(r, 1, T("2025-03-31T09:40:00+02:00"), 0, &a, &t, NULL), 0);
	assert_null(t.result); /* created later */
	struct replay_summary sum = {0};
	replay_summary_add(&sum, &t);
	assert_int_equal(sum.tickets, 0);
	assert_false(sum.has_compliance);
	arena_release(&a);
	replay_free(r);
}

static void test_ticket_without_policy_is_reported_not_skipped(void **state)
{
	(void)state;
	const struct policy *set[] = {P_P1};
	struct replay *r = replay_of(set, 1);
	static const char *const lines[] = {
	        "{\"ticket\":\"A\",\"at\":\"2025-03-31T09:00:00+02:00\",\"kind\":\"created\",\"priority\":\"P3\"}",
	        "{\"ticket\":\"B\",\"at\":\"2025-03-31T09:00:00+02:00\",\"kind\":\"created\",\"priority\":\"P3\"}",
	        /* B becomes P1: the policy applies from here, measured from creation */
	        "{\"ticket\":\"B\",\"at\":\"2025-03-31T10:00:00+02:00\",\"kind\":\"priority\",\"to\":\"P1\"}",
	};
	feed(r, lines, 3);
	struct arena a = ARENA_INIT;
	struct replay_summary sum = {0};
	struct replay_ticket t;
	assert_int_equal(replay_evaluate(r, 0, T("2025-03-31T11:00:00+02:00"), 0, &a, &t, NULL), 0);
	assert_null(t.result->policy);
	assert_int_equal(t.result->n_targets, 0);
	assert_non_null(t.no_policy);
	assert_non_null(strstr(t.no_policy, "priority P3"));
	replay_summary_add(&sum, &t);
	assert_int_equal(replay_evaluate(r, 1, T("2025-03-31T11:00:00+02:00"), 0, &a, &t, NULL), 0);
	assert_ptr_equal(t.result->policy, P_P1);
	assert_null(t.no_policy);
	assert_int_equal(t.result->n_targets, 1);
	assert_int_equal(t.result->targets[0].consumed, 2 * 3600);
	assert_int_equal(t.result->targets[0].due, T("2025-03-31T13:00:00+02:00"));
	replay_summary_add(&sum, &t);
	assert_int_equal(sum.tickets, 2);
	assert_int_equal(sum.unmatched, 1);
	arena_release(&a);
	replay_free(r);
}

static void test_lowest_order_policy_is_chosen(void **state)
{
	(void)state;
	const struct policy *set[] = {GENERAL, NETWORK};
	struct replay *r = replay_of(set, 2);
	static const char *const lines[] = {
	        "{\"ticket\":\"N\",\"at\":\"2025-03-31T09:00:00+02:00\",\"kind\":\"created\",\"priority\":\"P2\","
	        "\"category\":\"Network\"}",
	        "{\"ticket\":\"G\",\"at\":\"2025-03-31T09:00:00+02:00\",\"kind\":\"created\",\"priority\":\"P2\","
	        "\"category\":\"Printer\"}",
	};
	feed(r, lines, 2);
	struct arena a = ARENA_INIT;
	struct replay_ticket t;
	assert_int_equal(replay_evaluate(r, 0, T("2025-03-31T09:00:00+02:00"), 0, &a, &t, NULL), 0);
	assert_ptr_equal(t.result->policy, NETWORK);
	assert_int_equal(t.result->targets[0].due, T("2025-03-31T17:00:00+02:00"));
	assert_int_equal(replay_evaluate(r, 1, T("2025-03-31T09:00:00+02:00"), 0, &a, &t, NULL), 0);
	assert_ptr_equal(t.result->policy, GENERAL);
	assert_int_equal(t.result->targets[0].due, T("2025-04-01T16:00:00+02:00"));
	arena_release(&a);
	replay_free(r);
}

static void test_compliance_leaves_superseded_and_cancelled_out(void **state)
{
	(void)state;
	const struct policy *set[] = {P};
	struct replay *r = replay_of(set, 1);
	static const char *const lines[] = {
	        "{\"ticket\":\"A\",\"at\":\"2025-03-31T09:00:00+02:00\",\"kind\":\"created\",\"priority\":\"P1\"}",
	        "{\"ticket\":\"A\",\"at\":\"2025-03-31T09:30:00+02:00\",\"kind\":\"priority\",\"to\":\"P2\"}",
	        "{\"ticket\":\"A\",\"at\":\"2025-03-31T09:45:00+02:00\",\"kind\":\"reply\",\"author\":\"agent\"}",
	        "{\"ticket\":\"A\",\"at\":\"2025-03-31T10:00:00+02:00\",\"kind\":\"reply\",\"author\":\"customer\"}",
	        "{\"ticket\":\"A\",\"at\":\"2025-03-31T11:00:00+02:00\",\"kind\":\"closed\"}",
	};
	feed(r, lines, 5);
	struct arena a = ARENA_INIT;
	struct replay_ticket t;
	struct replay_summary sum = {0};
	assert_int_equal(replay_evaluate(r, 0, replay_last_at(r), 0, &a, &t, NULL), 0);
	replay_summary_add(&sum, &t);
	/* P1 first response and resolution superseded; P2 first response and resolution
	 * met; the next update cancelled by the close */
	assert_int_equal(sum.count[CLOCK_SUPERSEDED], 2);
	assert_int_equal(sum.count[CLOCK_MET], 2);
	assert_int_equal(sum.count[CLOCK_CANCELLED], 1);
	assert_int_equal(sum.count[CLOCK_BREACHED], 0);
	assert_true(sum.compliance == 1.0);
	arena_release(&a);
	replay_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_every_event_kind_parses),
	        cmocka_unit_test(test_bad_lines_name_the_field),
	        cmocka_unit_test(test_issue_example_end_to_end),
	        cmocka_unit_test(test_order_and_creation_are_checked_per_ticket),
	        cmocka_unit_test(test_evaluation_as_of_an_earlier_instant),
	        cmocka_unit_test(test_ticket_without_policy_is_reported_not_skipped),
	        cmocka_unit_test(test_lowest_order_policy_is_chosen),
	        cmocka_unit_test(test_compliance_leaves_superseded_and_cancelled_out),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
