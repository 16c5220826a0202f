/* Tests for importers/zendesk.c: a JSON lines export excerpt (tests/unit/data) with a
 * metric_set ticket, an audited ticket (reopened, reassigned, waited, closed), a
 * ticket with metric events only (first reply, reopen, SLA breach) and bad lines (no
 * id, repeated id, not JSON) named with file and line; the same file gzip-compressed;
 * a pretty-printed array with BOM and CRLF and a non-object element; API pages;
 * an unterminated object; too many bad rows; a sink error. Expected values by hand
 * from the excerpts, following domain §1.1, §1.4 and §1.10. */
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
#include "importers/zendesk.h"

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

static int import_str(struct got *g, const char *json, const struct import_options *o, struct import_stats *st)
{
	struct lserr e;
	struct import_sink s = sink_of(g);
	return zendesk_import_mem(json, strlen(json), "<memory>", o, &s, st, &e);
}

static void check_excerpt(struct got *g, const struct import_stats *st, const char *file)
{
	assert_int_equal(st->rows, 7);
	assert_int_equal(st->tickets, 4);
	assert_int_equal(st->bad_rows, 3);
	char want[320];
	snprintf(want, sizeof(want), "%s:5: id is missing", file);
	assert_string_equal(g->bad[0], want);
	snprintf(want, sizeof(want), "%s:6: ticket 1 appears a second time; this one is ignored", file);
	assert_string_equal(g->bad[1], want);
	snprintf(want, sizeof(want), "%s:7: not JSON: ", file);
	assert_memory_equal(g->bad[2], want, strlen(want));

	const struct rec_ticket *t = &g->t[0]; /* metric_set only */
	assert_string_equal(t->source, "zendesk");
	assert_string_equal(t->source_id, "1");
	assert_string_equal(t->title, "Cannot log in");
	assert_string_equal(t->state, "solved");
	assert_int_equal(t->state_canon, TICKET_STATE_RESOLVED);
	assert_int_equal(t->priority, 2);
	assert_string_equal(t->channel, "email");
	assert_string_equal(t->team, "200");
	assert_string_equal(t->agent, "300");
	assert_int_equal(t->opened_at, utc(2024, 3, 1, 8, 0));
	assert_int_equal(t->first_response_at, utc(2024, 3, 1, 8, 30));
	assert_int_equal(t->first_resolved_at, utc(2024, 3, 1, 10, 0));
	assert_int_equal(t->resolved_at, utc(2024, 3, 2, 8, 0));
	assert_int_equal(t->closed_at, 0);
	assert_int_equal(t->reopen_count, 1);
	assert_int_equal(t->agent_replies, 2);
	assert_int_equal(t->reassignment_count, 1);
	assert_int_equal(t->group_escalations, 0);
	assert_int_equal(t->wait_count, REC_UNKNOWN);
	assert_int_equal(t->made_sla, REC_UNKNOWN);
	assert_true(t->csat == 5);
	assert_int_equal(t->line, 1);

	t = &g->t[1]; /* audits only */
	assert_string_equal(t->source_id, "2");
	assert_int_equal(t->state_canon, TICKET_STATE_CLOSED);
	assert_int_equal(t->priority, 3);
	assert_string_equal(t->channel, "phone");
	/* 10:00 was a private note, the creation's comment is the request: first reply 11:00 */
	assert_int_equal(t->first_response_at, utc(2024, 3, 1, 11, 0));
	assert_int_equal(t->first_resolved_at, utc(2024, 3, 1, 11, 0));
	assert_int_equal(t->resolved_at, utc(2024, 3, 1, 14, 0));
	assert_int_equal(t->closed_at, utc(2024, 3, 5, 9, 0));
	assert_int_equal(t->reopen_count, 1);
	assert_int_equal(t->reopened_at, utc(2024, 3, 1, 12, 0));
	assert_int_equal(t->agent_replies, 2);
	assert_int_equal(t->reassignment_count, 1);
	assert_int_equal(t->group_escalations, 0);
	assert_int_equal(t->wait_count, 1);
	assert_true(isnan(t->csat));
	assert_int_equal(t->line, 2);

	t = &g->t[2]; /* metric events only, open again */
	assert_string_equal(t->title, "Slow \"reports\" {page}");
	assert_int_equal(t->state_canon, TICKET_STATE_IN_PROGRESS);
	assert_int_equal(t->priority, 4);
	assert_string_equal(t->channel, "web");
	assert_int_equal(t->first_response_at, utc(2024, 3, 3, 12, 0));
	assert_int_equal(t->first_resolved_at, utc(2024, 3, 4, 10, 0));
	assert_int_equal(t->resolved_at, 0);
	assert_int_equal(t->reopen_count, 1);
	assert_int_equal(t->reopened_at, utc(2024, 3, 4, 15, 0));
	assert_int_equal(t->made_sla, 0);
	assert_int_equal(t->agent_replies, REC_UNKNOWN);

	t = &g->t[3];
	assert_string_equal(t->source_id, "8");
	assert_int_equal(t->priority, 1);
	assert_string_equal(t->channel, "sms"); /* no canonical channel: the source's text */
	assert_int_equal(t->resolved_at, utc(2024, 3, 6, 9, 0));
	assert_int_equal(t->reopen_count, 0);
	assert_int_equal(t->reassignment_count, 0);
	assert_int_equal(t->line, 8);
}

static void test_json_lines_export(void **state)
{
	struct got *g = *state;
	char path[512];
	data_path(path, sizeof(path), "zendesk-tickets.jsonl");
	struct import_options o = {.events = true};
	struct import_sink s = sink_of(g);
	struct import_stats st;
	struct lserr e;
	assert_int_equal(zendesk_import_file(path, &o, &s, &st, &e), 0);
	check_excerpt(g, &st, "zendesk-tickets.jsonl");
	assert_int_equal(st.events, 14);
	assert_string_equal(g->events[0], event_of("1", utc(2024, 3, 1, 8, 0), "created ->new by -"));
	assert_string_equal(g->events[1], event_of("1", utc(2024, 3, 2, 8, 0), "state ->solved by -"));
	assert_string_equal(g->events[2], event_of("2", utc(2024, 3, 1, 9, 0), "created ->new by -"));
	assert_string_equal(g->events[3], event_of("2", utc(2024, 3, 1, 10, 0), "state new>open by 300"));
	assert_string_equal(g->events[4], event_of("2", utc(2024, 3, 1, 10, 0), "agent ->300 by 300"));
	assert_string_equal(g->events[7], event_of("2", utc(2024, 3, 1, 13, 0), "agent 300>301 by 301"));
	assert_string_equal(g->events[10], event_of("2", utc(2024, 3, 5, 9, 0), "state solved>closed by -1"));
	assert_string_equal(g->events[11], event_of("3", utc(2024, 3, 3, 10, 0), "created ->new by -"));
}

static void test_gzip_gives_the_same_tickets(void **state)
{
	struct got *g = *state;
	char path[512];
	data_path(path, sizeof(path), "zendesk-tickets.jsonl.gz");
	struct import_options o = {0};
	struct import_sink s = sink_of(g);
	struct import_stats st;
	struct lserr e;
	assert_int_equal(zendesk_import_file(path, &o, &s, &st, &e), 0);
	check_excerpt(g, &st, "zendesk-tickets.jsonl.gz");
	assert_int_equal(st.events, 0);
}

static void test_array_with_bom_crlf_and_a_non_object(void **state)
{
	struct got *g = *state;
	char path[512];
	data_path(path, sizeof(path), "zendesk-array.json");
	struct import_options o = {0};
	struct import_sink s = sink_of(g);
	struct import_stats st;
	struct lserr e;
	assert_int_equal(zendesk_import_file(path, &o, &s, &st, &e), 0);
	assert_int_equal(st.rows, 3);
	assert_int_equal(st.tickets, 2);
	assert_string_equal(g->bad[0], "zendesk-array.json:16: not a JSON object (starts with '4')");
	assert_string_equal(g->t[0].source_id, "21");
	assert_string_equal(g->t[0].channel, "api");
	assert_int_equal(g->t[0].state_canon, TICKET_STATE_NEW);
	assert_int_equal(g->t[0].line, 2);
	assert_int_equal(g->t[1].state_canon, TICKET_STATE_PENDING_VENDOR);
	assert_int_equal(g->t[1].opened_at, utc(2024, 4, 1, 10, 0));
	assert_int_equal(g->t[1].line, 10);
	assert_int_equal(zendesk_import_file("/nonexistent/zendesk.json", &o, &s, &st, &e), -ENOENT);
}

static void test_pages_unterminated_objects_and_bad_stamps(void **state)
{
	struct got *g = *state;
	struct import_options o = {0};
	struct import_stats st;
	assert_int_equal(
	        import_str(g,
	                   "{\"tickets\": [{\"id\": 5, \"status\": \"new\"}, {\"id\": \"6\"}], \"next_page\": null}\n"
	                   "{\"id\": 7, \"created_at\": \"someday\"}\n"
	                   "{\"id\": \"x7\"}\n"
	                   "{\"id\": 8, \"metric_set\": {\"solved_at\": \"soon\"}}\n"
	                   "{\"id\": 9,\n \"subject\": \"}\"",
	                   &o, &st),
	        0);
	assert_int_equal(st.tickets, 2);
	assert_int_equal(g->t[1].line, 1);
	assert_int_equal(st.bad_rows, 4);
	assert_string_equal(g->bad[0], "<memory>:2: created_at: not a timestamp: 'someday'");
	assert_string_equal(g->bad[1], "<memory>:3: id is not a ticket number");
	assert_string_equal(g->bad[2], "<memory>:4: metric_set.solved_at: not a timestamp: 'soon'");
	assert_string_equal(g->bad[3], "<memory>:5: unterminated JSON object at the end of the input");
}

static void test_too_many_bad_rows_and_sink_errors_stop(void **state)
{
	struct got *g = *state;
	struct import_options o = {.max_bad_rows = 2};
	struct import_stats st;
	assert_int_equal(import_str(g, "{}\n{\"id\":1}\n{}\n{\"id\":2}\n", &o, &st), -EINVAL);
	assert_int_equal(g->n, 1);
	g->fail_at = 2;
	o.max_bad_rows = 0;
	assert_int_equal(import_str(g, "[{\"id\":3},{\"id\":4},{\"id\":5}]", &o, &st), -ECANCELED);
	assert_int_equal(import_str(g, "", &o, &st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_json_lines_export, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_gzip_gives_the_same_tickets, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_array_with_bom_crlf_and_a_non_object, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_pages_unterminated_objects_and_bad_stamps, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_too_many_bad_rows_and_sink_errors_stop, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
