/* Tests for importers/jira.c: an issue export excerpt (tests/unit/data) with repeated
 * Component/s and Labels columns, Jira's "12/Mar/24 3:04 PM" stamps and ISO ones, a
 * summary spanning two lines, bad rows (stamp, field count, repeated key) named with
 * file and line; states, priorities and types mapped; events; jira_time() on its own,
 * in a named zone; gzip input; a header without Issue key. */
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
#include "importers/jira.h"

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
	int rc = jira_import(r, o, &s, st, &e);
	csv_close(r);
	return rc;
}

static void test_issue_export_with_repeated_columns_and_bad_rows(void **state)
{
	struct got *g = *state;
	char path[512];
	data_path(path, sizeof(path), "jira-issues.csv");
	struct import_options o = {.events = true};
	struct import_sink s = sink_of(g);
	struct import_stats st;
	struct lserr e;
	assert_int_equal(jira_import_file(path, &o, &s, &st, &e), 0);
	assert_int_equal(st.rows, 6);
	assert_int_equal(st.tickets, 3);
	assert_int_equal(st.bad_rows, 3);
	assert_string_equal(g->bad[0], "jira-issues.csv:6: Created: not a timestamp: '31/Foo/24 1:00 PM'");
	assert_string_equal(g->bad[1], "jira-issues.csv:7: 2 fields, the header has 16");
	assert_string_equal(g->bad[2], "jira-issues.csv:8: issue OPS-1 appears a second time; this row is ignored");

	const struct rec_ticket *t = &g->t[0];
	assert_string_equal(t->source, "jira");
	assert_string_equal(t->source_id, "OPS-1");
	assert_string_equal(t->number, "OPS-1");
	assert_int_equal(t->type, TICKET_TYPE_INCIDENT);
	assert_string_equal(t->state, "Done");
	assert_int_equal(t->state_canon, TICKET_STATE_RESOLVED);
	assert_int_equal(t->priority, 2);
	assert_string_equal(t->category, "Auth"); /* the first non-empty Component/s */
	assert_string_equal(t->agent, "anna");
	assert_null(t->channel);
	assert_null(t->team);
	assert_int_equal(t->opened_at, utc(2024, 3, 12, 15, 4));
	assert_int_equal(t->resolved_at, utc(2024, 3, 13, 9, 0));
	assert_int_equal(t->closed_at, 0);
	assert_int_equal(t->reopen_count, REC_UNKNOWN);
	assert_int_equal(t->line, 2);

	t = &g->t[1]; /* ISO stamps with offset, two-line summary, Closed */
	assert_string_equal(t->title, "Disk full\non db1");
	assert_int_equal(t->priority, 1);
	assert_string_equal(t->category, "Storage");
	assert_int_equal(t->state_canon, TICKET_STATE_CLOSED);
	assert_int_equal(t->opened_at, utc(2024, 3, 12, 7, 0));
	assert_int_equal(t->resolved_at, utc(2024, 3, 13, 7, 0));
	assert_int_equal(t->closed_at, utc(2024, 3, 14, 9, 0));
	assert_int_equal(t->line, 3);

	t = &g->t[2]; /* reopened service request, 24-hour clock, four-digit year */
	assert_int_equal(t->type, TICKET_TYPE_SERVICE_REQUEST);
	assert_int_equal(t->state_canon, TICKET_STATE_IN_PROGRESS);
	assert_int_equal(t->reopen_count, 1);
	assert_int_equal(t->priority, 3);
	assert_null(t->agent);
	assert_int_equal(t->opened_at, utc(2024, 3, 14, 10, 15));
	assert_int_equal(t->resolved_at, 0);
	assert_int_equal(t->line, 5);

	assert_int_equal(st.events, 5);
	assert_string_equal(g->events[0], event_of("OPS-1", utc(2024, 3, 12, 15, 4), "created ->- by carl"));
	assert_string_equal(g->events[1], event_of("OPS-1", utc(2024, 3, 13, 9, 0), "resolution ->Fixed by -"));
	assert_string_equal(g->events[4], event_of("OPS-3", utc(2024, 3, 14, 10, 15), "created ->- by dora"));
}

static void test_jira_time(void **state)
{
	(void)state;
	ls_time t = 0;
	assert_int_equal(jira_time("12/Mar/24 12:00 AM", VALUE_DMY, NULL, &t), 0);
	assert_int_equal(t, utc(2024, 3, 12, 0, 0));
	assert_int_equal(jira_time("12/Mar/24 12:30 PM", VALUE_DMY, NULL, &t), 0);
	assert_int_equal(t, utc(2024, 3, 12, 12, 30));
	assert_int_equal(jira_time("1/jan/2024 00:05:09", VALUE_DMY, NULL, &t), 0);
	assert_int_equal(t, utc(2024, 1, 1, 0, 5) + 9);
	assert_int_equal(jira_time("29/Feb/24", VALUE_DMY, NULL, &t), 0);
	assert_int_equal(t, utc(2024, 2, 29, 0, 0));
	assert_int_equal(jira_time("2024-03-12T15:04:00.000+0100", VALUE_DMY, NULL, &t), 0);
	assert_int_equal(t, utc(2024, 3, 12, 14, 4));
	assert_int_equal(jira_time("12/Mar/24 13:00 PM", VALUE_DMY, NULL, &t), -EINVAL);
	assert_int_equal(jira_time("12/Mar/245 1:00 PM", VALUE_DMY, NULL, &t), -EINVAL);
	assert_int_equal(jira_time("12/Mar/24 1:00 XM", VALUE_DMY, NULL, &t), -EINVAL);
	assert_int_equal(jira_time("30/Feb/24 1:00 PM", VALUE_DMY, NULL, &t), -ERANGE);
	assert_int_equal(jira_time("12/Mar/24 1:00 PM x", VALUE_DMY, NULL, &t), -EINVAL);
	assert_int_equal(jira_time("", VALUE_DMY, NULL, &t), -ENODATA);

	struct tz *tz = NULL;
	struct lserr e;
	if (tz_load("Europe/Berlin", &tz, &e) < 0)
		skip();
	assert_int_equal(jira_time("12/Mar/24 3:04 PM", VALUE_DMY, tz, &t), 0);
	assert_int_equal(t, utc(2024, 3, 12, 14, 4));
	tz_free(tz);
}

static void test_gzip_gives_the_same_tickets(void **state)
{
	struct got *g = *state;
	char path[512];
	data_path(path, sizeof(path), "jira-issues.csv.gz");
	struct import_options o = {.max_bad_rows = 4};
	struct import_sink s = sink_of(g);
	struct import_stats st;
	struct lserr e;
	assert_int_equal(jira_import_file(path, &o, &s, &st, &e), 0);
	assert_int_equal(st.tickets, 3);
	assert_int_equal(st.bad_rows, 3);
	assert_int_equal(st.events, 0);
	assert_string_equal(g->t[1].title, "Disk full\non db1");
	assert_string_equal(g->bad[0], "jira-issues.csv.gz:6: Created: not a timestamp: '31/Foo/24 1:00 PM'");
}

static void test_header_without_issue_key_and_too_many_bad_rows(void **state)
{
	struct got *g = *state;
	struct import_options o = {0};
	struct import_stats st;
	assert_int_equal(import_mem(g, "Key,Summary\nA-1,x\n", &o, &st), -EINVAL);
	o.max_bad_rows = 1;
	assert_int_equal(import_mem(g, "Issue key;Created\nA-1;yesterday\nA-2;1/Jan/24\n", &o, &st), -EINVAL);
	assert_int_equal(g->n, 0);
	g->fail_at = 1;
	o.max_bad_rows = 0;
	assert_int_equal(import_mem(g, "Issue key\nA-1\n", &o, &st), -ECANCELED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_issue_export_with_repeated_columns_and_bad_rows, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_jira_time, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_gzip_gives_the_same_tickets, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_header_without_issue_key_and_too_many_bad_rows, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
