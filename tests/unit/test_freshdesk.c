/* Tests for importers/freshdesk.c: a ticket export excerpt (tests/unit/data) with BOM,
 * CRLF, ';' separators, a quoted ';', missing markers and two bad rows (a broken stamp
 * and a repeated Ticket ID) named with file and line; states, priorities and channels
 * mapped; first response from "Initial response time" or the hours column; SLA
 * outcome; events; an export with only some columns; too many bad rows; a header
 * without Ticket ID; a sink error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "calendar/tz.h"
#include "importers/freshdesk.h"

struct got {
	struct arena arena;
	struct rec_ticket *t;
	size_t n, cap;
	char events[64][160];
	size_t n_events;
	char bad[16][320];
	size_t n_bad;
	int fail_at; /* on_ticket returns -ECANCELED for ticket number fail_at (1-based); 0 never */
};

static int on_ticket(void *ctx, const struct rec_ticket *t)
{
	struct got *g = ctx;
	if (g->fail_at && (int)g->n + 1 == g->fail_at)
		return -ECANCELED;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		g->t = xrealloc(g->t, g->cap * sizeof(*g->t));
	}
	rec_ticket_copy(&g->arena, t, &g->t[g->n++]);
	return 0;
}

static int on_event(void *ctx, const struct rec_event *ev)
{
	struct got *g = ctx;
	if (g->n_events < 64)
		snprintf(g->events[g->n_events++], sizeof(g->events[0]), "%s %lld %s %s>%s by %s", ev->ticket,
		         (long long)ev->at, ev->field, ev->old_value ? ev->old_value : "-",
		         ev->new_value ? ev->new_value : "-", ev->actor ? ev->actor : "-");
	return 0;
}

static void on_bad(void *ctx, const char *file, unsigned line, const char *reason)
{
	struct got *g = ctx;
	const char *base = strrchr(file, '/');
	if (g->n_bad < 16)
		snprintf(g->bad[g->n_bad++], sizeof(g->bad[0]), "%s:%u: %s", base ? base + 1 : file, line, reason);
}

static int setup(void **state)
{
	struct got *g = xcalloc(1, sizeof(*g));
	arena_init(&g->arena);
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	struct got *g = *state;
	arena_release(&g->arena);
	xfree(g->t);
	xfree(g);
	return 0;
}

static struct import_sink sink_of(struct got *g)
{
	return (struct import_sink){.ctx = g, .ticket = on_ticket, .event = on_event, .bad_row = on_bad};
}

static void data_path(char *buf, size_t n, const char *name)
{
	const char *d = getenv("LEITSTAND_TEST_DATA");
	snprintf(buf, n, "%s/%s", d ? d : "tests/unit/data", name);
}

static ls_time utc(int y, unsigned m, unsigned d, int hh, int mm)
{
	return time_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60;
}

static const char *event_of(const char *ticket, ls_time at, const char *rest)
{
	static char buf[160];
	snprintf(buf, sizeof(buf), "%s %lld %s", ticket, (long long)at, rest);
	return buf;
}

static int import_mem(struct got *g, const char *csv, const struct import_options *o, struct import_stats *st)
{
	struct csv_reader *r = NULL;
	struct lserr e;
	assert_int_equal(csv_open_mem(csv, strlen(csv), o->sep, &r, &e), 0);
	struct import_sink s = sink_of(g);
	int rc = freshdesk_import(r, o, &s, st, &e);
	csv_close(r);
	return rc;
}

static void test_export_with_bom_crlf_semicolon_and_bad_rows(void **state)
{
	struct got *g = *state;
	char path[512];
	data_path(path, sizeof(path), "freshdesk-tickets.csv");
	struct import_options o = {.events = true};
	struct import_sink s = sink_of(g);
	struct import_stats st;
	struct lserr e;
	assert_int_equal(freshdesk_import_file(path, &o, &s, &st, &e), 0);
	assert_int_equal(st.rows, 6);
	assert_int_equal(st.tickets, 4);
	assert_int_equal(st.bad_rows, 2);
	assert_int_equal(g->n_bad, 2);
	assert_string_equal(g->bad[0], "freshdesk-tickets.csv:5: Created time: not a timestamp: 'yesterday'");
	assert_string_equal(g->bad[1],
	                    "freshdesk-tickets.csv:6: ticket 101 appears a second time; this row is ignored");

	const struct rec_ticket *t = &g->t[0];
	assert_string_equal(t->source, "freshdesk");
	assert_string_equal(t->source_id, "101");
	assert_string_equal(t->number, "101");
	assert_string_equal(t->title, "Printer offline");
	assert_string_equal(t->state, "Closed");
	assert_int_equal(t->state_canon, TICKET_STATE_CLOSED);
	assert_int_equal(t->priority, 2);
	assert_string_equal(t->channel, "email");
	assert_string_equal(t->category, "Hardware");
	assert_string_equal(t->team, "Support");
	assert_string_equal(t->agent, "Anna");
	assert_int_equal(t->opened_at, utc(2024, 3, 1, 9, 0));
	assert_int_equal(t->first_response_at, utc(2024, 3, 1, 9, 30));
	assert_int_equal(t->resolved_at, utc(2024, 3, 1, 13, 0));
	assert_int_equal(t->closed_at, utc(2024, 3, 3, 9, 0));
	assert_int_equal(t->resolution_due_at, utc(2024, 3, 2, 9, 0));
	assert_int_equal(t->agent_replies, 1);
	assert_int_equal(t->customer_interactions, 0);
	assert_int_equal(t->made_sla, 1);
	assert_int_equal(t->reopen_count, REC_UNKNOWN);
	assert_int_equal(t->reassignment_count, REC_UNKNOWN);
	assert_int_equal(t->line, 2);

	t = &g->t[1]; /* quoted ';', first response from "1:30:00" hours, Category empty → Type */
	assert_string_equal(t->title, "VPN; no connection");
	assert_int_equal(t->state_canon, TICKET_STATE_RESOLVED);
	assert_int_equal(t->priority, 1);
	assert_string_equal(t->channel, "phone");
	assert_string_equal(t->category, "Incident");
	assert_int_equal(t->first_response_at, utc(2024, 3, 1, 11, 30));
	assert_int_equal(t->resolved_at, utc(2024, 3, 2, 10, 0));
	assert_int_equal(t->closed_at, 0);
	assert_int_equal(t->made_sla, 0);
	assert_int_equal(t->customer_interactions, 2);

	t = &g->t[2]; /* open, agent "N/A" is missing, Portal → web */
	assert_int_equal(t->state_canon, TICKET_STATE_IN_PROGRESS);
	assert_null(t->agent);
	assert_string_equal(t->channel, "web");
	assert_int_equal(t->priority, 4);
	assert_int_equal(t->resolved_at, 0);
	assert_int_equal(t->first_response_at, 0);
	assert_int_equal(t->made_sla, REC_UNKNOWN);
	assert_int_equal(t->line, 4);

	t = &g->t[3]; /* a source without canonical channel keeps its text */
	assert_string_equal(t->source_id, "105");
	assert_string_equal(t->channel, "Feedback Widget");
	assert_int_equal(t->state_canon, TICKET_STATE_PENDING_CUSTOMER);
	assert_int_equal(t->agent_replies, REC_UNKNOWN);
	assert_int_equal(t->line, 7);

	assert_int_equal(st.events, 7);
	assert_string_equal(g->events[0], event_of("101", utc(2024, 3, 1, 9, 0), "created ->Open by -"));
	assert_string_equal(g->events[1], event_of("101", utc(2024, 3, 1, 13, 0), "state Open>Resolved by -"));
	assert_string_equal(g->events[2], event_of("101", utc(2024, 3, 3, 9, 0), "state Resolved>Closed by -"));
	assert_string_equal(g->events[4], event_of("102", utc(2024, 3, 2, 10, 0), "state Open>Resolved by -"));
}

static void test_some_columns_only_and_hours_with_decimal_comma(void **state)
{
	struct got *g = *state;
	struct import_options o = {0};
	struct import_stats st;
	assert_int_equal(import_mem(g,
	                            "ticket id;Created time;Resolution time (in hrs);First response time (in hrs)\n"
	                            "9;2024-01-01 00:00;2,5;0:45\n"
	                            "10;2024-01-01 00:00;soon;\n",
	                            &o, &st),
	                 0);
	assert_int_equal(st.tickets, 1);
	assert_int_equal(g->t[0].resolved_at, utc(2024, 1, 1, 2, 30));
	assert_int_equal(g->t[0].first_response_at, utc(2024, 1, 1, 0, 45));
	assert_null(g->t[0].state);
	assert_int_equal(g->t[0].state_canon, _TICKET_STATE_INVALID);
	assert_int_equal(st.events, 0);
	assert_string_equal(g->bad[0], "<memory>:3: Resolution time (in hrs): not a number of hours: 'soon'");
}

static void test_too_many_bad_rows_and_no_ticket_id(void **state)
{
	struct got *g = *state;
	struct import_options o = {.max_bad_rows = 2};
	struct import_stats st;
	assert_int_equal(import_mem(g, "Ticket ID,Status\n,Open\n1,Open,extra\n2,Open\n", &o, &st), -EINVAL);
	assert_int_equal(g->n_bad, 2);
	assert_string_equal(g->bad[1], "<memory>:3: 3 fields, the header has 2");
	o.max_bad_rows = 0;
	assert_int_equal(import_mem(g, "Id,Status\n1,Open\n", &o, &st), -EINVAL);
	assert_int_equal(import_mem(g, "", &o, &st), -EINVAL);
}

static void test_sink_error_stops_the_import(void **state)
{
	struct got *g = *state;
	g->fail_at = 2;
	struct import_options o = {0};
	struct import_stats st;
	assert_int_equal(import_mem(g, "Ticket ID\n1\n2\n3\n", &o, &st), -ECANCELED);
	assert_int_equal(g->n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_export_with_bom_crlf_semicolon_and_bad_rows, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_some_columns_only_and_hours_with_decimal_comma, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_too_many_bad_rows_and_no_ticket_id, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sink_error_stops_the_import, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
