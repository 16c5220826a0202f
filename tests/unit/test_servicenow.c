/* Tests for importers/servicenow.c: an audit-log excerpt (tests/unit/data) turned into
 * tickets with the values of the highest sys_mod_count and events for changed fields;
 * rows out of order; reopened incidents; bad rows (timestamp, field count, missing
 * number, rows not contiguous) named with file and line; the plain table export with
 * BOM, CRLF, ';', quoted fields and missing markers; gzip; zone-less stamps read in a
 * named zone; and, end to end, the real UCI event log from ../shared/data with its
 * published counts and the ServiceNow KPIs. */
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
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "importers/servicenow.h"
#include "kpi/kpi.h"
#include "kpi/kpi_json.h"

struct got {
	struct arena arena;
	struct rec_ticket *t;
	size_t n, cap;
	char events[64][160];
	size_t n_events;
	char bad[16][320];
	size_t n_bad;
};

static int on_ticket(void *ctx, const struct rec_ticket *t)
{
	struct got *g = ctx;
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

static int import_mem(struct got *g, const char *csv, const struct import_options *o, struct import_stats *st)
{
	struct csv_reader *r = NULL;
	struct lserr e;
	assert_int_equal(csv_open_mem(csv, strlen(csv), o->sep, &r, &e), 0);
	struct import_sink s = sink_of(g);
	int rc = servicenow_import(r, o, &s, st, &e);
	csv_close(r);
	return rc;
}

static void test_audit_log_takes_values_of_the_last_record(void **state)
{
	struct got *g = *state;
	char path[512];
	data_path(path, sizeof(path), "servicenow-audit.csv");
	struct import_options o = {.events = true};
	struct import_sink s = sink_of(g);
	struct import_stats st;
	struct lserr e;
	assert_int_equal(servicenow_import_file(path, &o, &s, &st, &e), 0);
	assert_int_equal(st.rows, 10);
	assert_int_equal(st.tickets, 3);
	assert_int_equal(st.bad_rows, 0);
	assert_int_equal(g->n, 3);

	const struct rec_ticket *t = &g->t[0];
	assert_string_equal(t->source, "servicenow");
	assert_string_equal(t->number, "INC0000001");
	assert_string_equal(t->state, "Closed");
	assert_int_equal(t->state_canon, TICKET_STATE_CLOSED);
	assert_int_equal(t->priority, 3);
	assert_int_equal(t->impact, 2);
	assert_int_equal(t->urgency, 2);
	assert_string_equal(t->team, "Group 2");
	assert_string_equal(t->agent, "Resolver 7");
	assert_string_equal(t->channel, "Phone");
	assert_string_equal(t->category, "Category 1");
	assert_int_equal(t->opened_at, utc(2016, 3, 1, 9, 0));
	assert_int_equal(t->resolved_at, utc(2016, 3, 1, 21, 0));
	assert_int_equal(t->first_resolved_at, utc(2016, 3, 1, 21, 0));
	assert_int_equal(t->closed_at, utc(2016, 3, 6, 21, 0));
	assert_int_equal(t->reopen_count, 0);
	assert_int_equal(t->reassignment_count, 1);
	assert_int_equal(t->made_sla, 1);
	assert_int_equal(t->reopened_at, 0);
	assert_int_equal(t->wait_count, 0);
	assert_int_equal(t->first_response_at, 0); /* the log has no replies */
	assert_int_equal(t->agent_replies, REC_UNKNOWN);
	assert_int_equal(t->line, 5);

	t = &g->t[1]; /* resolved, reopened, waited, resolved again */
	assert_string_equal(t->number, "INC0000002");
	assert_int_equal(t->state_canon, TICKET_STATE_RESOLVED);
	assert_int_equal(t->priority, 1);
	assert_int_equal(t->reopen_count, 1);
	assert_int_equal(t->made_sla, 0);
	assert_int_equal(t->first_resolved_at, utc(2016, 3, 3, 8, 0));
	assert_int_equal(t->reopened_at, utc(2016, 3, 4, 8, 0));
	assert_int_equal(t->resolved_at, utc(2016, 3, 5, 8, 0));
	assert_int_equal(t->closed_at, 0);
	assert_int_equal(t->wait_count, 1);

	t = &g->t[2]; /* one row, still new; '?' category is absent */
	assert_string_equal(t->state, "New");
	assert_null(t->category);
	assert_null(t->agent);
	assert_int_equal(t->opened_at, utc(2016, 2, 29, 23, 30));
	assert_int_equal(t->resolved_at, 0);

	assert_int_equal(st.events, 13);
	assert_int_equal(g->n_events, 13);
	char want[160];
	snprintf(want, sizeof(want), "INC0000001 %lld created ->New by -", (long long)utc(2016, 3, 1, 9, 0));
	assert_string_equal(g->events[0], want);
	snprintf(want, sizeof(want), "INC0000001 %lld state New>Active by Updated by 2",
	         (long long)utc(2016, 3, 1, 10, 0));
	assert_string_equal(g->events[1], want);
	snprintf(want, sizeof(want), "INC0000001 %lld team Group 1>Group 2 by Updated by 2",
	         (long long)utc(2016, 3, 1, 10, 0));
	assert_string_equal(g->events[2], want);
	snprintf(want, sizeof(want), "INC0000001 %lld agent ->Resolver 7 by Updated by 2",
	         (long long)utc(2016, 3, 1, 10, 0));
	assert_string_equal(g->events[3], want);
	snprintf(want, sizeof(want), "INC0000002 %lld state Resolved>Active by Updated by 5",
	         (long long)utc(2016, 3, 4, 8, 0));
	assert_string_equal(g->events[9], want);
}

static const char *hdr = "number,incident_state,reopen_count,sys_mod_count,opened_at,sys_updated_at,resolved_at\n";

static void test_rows_out_of_order_use_the_highest_sys_mod_count(void **state)
{
	struct got *g = *state;
	char csv[1024];
	snprintf(csv, sizeof(csv),
	         "%sINC1,Resolved,0,2,1/3/2016 09:00,1/3/2016 12:00,1/3/2016 12:00\n"
	         "INC1,Closed,0,3,1/3/2016 09:00,2/3/2016 12:00,1/3/2016 12:00\n"
	         "INC1,New,0,0,1/3/2016 09:00,1/3/2016 09:00,?\n"
	         "INC1,Active,0,1,1/3/2016 09:00,1/3/2016 10:00,?\n",
	         hdr);
	struct import_options o = {.events = true};
	struct import_stats st;
	assert_int_equal(import_mem(g, csv, &o, &st), 0);
	assert_int_equal(g->n, 1);
	assert_string_equal(g->t[0].state, "Closed");
	assert_int_equal(g->t[0].line, 3);
	assert_int_equal(g->t[0].first_resolved_at, utc(2016, 3, 1, 12, 0));
	assert_int_equal(g->n_events, 4); /* created + New>Active>Resolved>Closed */
}

static void test_bad_rows_are_reported_with_file_line_and_reason(void **state)
{
	struct got *g = *state;
	char csv[1024];
	snprintf(csv, sizeof(csv),
	         "%sINC1,New,0,0,1/3/2016 09:00,1/3/2016 09:00,?\n"
	         "INC1,Active,0,1,31/2/2016 09:00,1/3/2016 10:00,?\n"
	         "INC1,Active,0\n"
	         "?,Active,0,1,1/3/2016 09:00,1/3/2016 10:00,?\n"
	         "INC2,New,0,0,1/3/2016 09:00,1/3/2016 09:00,?\n"
	         "INC1,Closed,0,5,1/3/2016 09:00,1/3/2016 11:00,?\n"
	         "INC2,New,0,x,1/3/2016 09:00,1/3/2016 09:00,?\n",
	         hdr);
	struct import_options o = {0};
	struct import_stats st;
	assert_int_equal(import_mem(g, csv, &o, &st), 0);
	assert_int_equal(st.rows, 7);
	assert_int_equal(st.tickets, 2);
	assert_int_equal(st.bad_rows, 5);
	assert_string_equal(g->bad[0], "<memory>:3: opened_at: not a timestamp: '31/2/2016 09:00'");
	assert_string_equal(g->bad[1], "<memory>:4: 3 fields, the header has 7");
	assert_string_equal(g->bad[2], "<memory>:5: number is missing");
	assert_string_equal(g->bad[3], "<memory>:7: rows of incident INC1 are not contiguous; this row is ignored");
	assert_string_equal(g->bad[4], "<memory>:8: sys_mod_count: not a count: 'x'");
	assert_string_equal(g->t[0].state, "New");
}

static void test_too_many_bad_rows_stop_the_import(void **state)
{
	struct got *g = *state;
	char csv[1024];
	snprintf(csv, sizeof(csv), "%sINC1,New\nINC2,New\nINC3,New\n", hdr);
	struct import_options o = {.max_bad_rows = 2};
	struct import_stats st = {0};
	struct csv_reader *r = NULL;
	struct lserr e;
	assert_int_equal(csv_open_mem(csv, strlen(csv), 0, &r, &e), 0);
	struct import_sink s = sink_of(g);
	assert_int_equal(servicenow_import(r, &o, &s, &st, &e), -EINVAL);
	assert_non_null(strstr(e.message, "2 bad rows"));
	csv_close(r);
}

static void test_header_without_number_is_refused(void **state)
{
	struct got *g = *state;
	struct import_options o = {0};
	struct import_stats st;
	assert_int_equal(import_mem(g, "id,state\n1,New\n", &o, &st), -EINVAL);
	assert_int_equal(import_mem(g, "", &o, &st), -EINVAL);
}

static void test_table_export_with_bom_crlf_semicolon_and_missing_markers(void **state)
{
	struct got *g = *state;
	char path[512];
	data_path(path, sizeof(path), "servicenow-table-bom-crlf-semicolon.csv");
	struct import_options o = {.client = "ACME"};
	struct import_sink s = sink_of(g);
	struct import_stats st;
	struct lserr e;
	assert_int_equal(servicenow_import_file(path, &o, &s, &st, &e), 0);
	assert_int_equal(st.tickets, 2);
	assert_int_equal(st.bad_rows, 0);
	const struct rec_ticket *t = &g->t[0];
	assert_string_equal(t->number, "INC0000010");
	assert_string_equal(t->client, "ACME");
	assert_string_equal(t->title, "Drucker; \"3. OG\" streikt");
	assert_int_equal(t->opened_at, utc(2016, 3, 1, 8, 0));
	assert_int_equal(t->resolved_at, utc(2016, 3, 1, 10, 30));
	assert_int_equal(t->reassignment_count, 2);
	assert_int_equal(t->made_sla, 1);
	t = &g->t[1];
	assert_string_equal(t->title, "zwei\r\nZeilen");
	assert_int_equal(t->reopen_count, REC_UNKNOWN);       /* #N/B */
	assert_int_equal(t->reassignment_count, REC_UNKNOWN); /* empty */
	assert_int_equal(t->made_sla, REC_UNKNOWN);           /* ? */
	assert_int_equal(t->resolved_at, 0);
	assert_int_equal(t->line, 3);
}

static void test_gzip_gives_the_same_tickets(void **state)
{
	struct got *g = *state;
	char path[512];
	data_path(path, sizeof(path), "servicenow-audit.csv.gz");
	struct import_options o = {.events = true};
	struct import_sink s = sink_of(g);
	struct import_stats st;
	struct lserr e;
	assert_int_equal(servicenow_import_file(path, &o, &s, &st, &e), 0);
	assert_int_equal(st.rows, 10);
	assert_int_equal(st.tickets, 3);
	assert_int_equal(st.events, 13);
	assert_int_equal(g->t[1].resolved_at, utc(2016, 3, 5, 8, 0));
}

static void test_zoneless_stamps_are_read_in_the_given_zone(void **state)
{
	struct got *g = *state;
	struct tz *tz = NULL;
	struct lserr e;
	if (tz_load("Europe/Berlin", &tz, &e) < 0)
		skip();
	char path[512];
	data_path(path, sizeof(path), "servicenow-audit.csv");
	struct import_options o = {.tz = tz};
	struct import_sink s = sink_of(g);
	struct import_stats st;
	assert_int_equal(servicenow_import_file(path, &o, &s, &st, &e), 0);
	assert_int_equal(g->t[0].opened_at, utc(2016, 3, 1, 8, 0)); /* 09:00 CET */
	assert_int_equal(g->t[2].opened_at, utc(2016, 2, 29, 22, 30));
	tz_free(tz);
}

static int stop_at_second(void *ctx, const struct rec_ticket *t)
{
	(void)t;
	int *n = ctx;
	return ++*n == 2 ? -ECANCELED : 0;
}

static void test_sink_error_stops_the_import(void **state)
{
	(void)state;
	char path[512];
	data_path(path, sizeof(path), "servicenow-audit.csv");
	struct import_options o = {0};
	int n = 0;
	struct import_sink s = {.ctx = &n, .ticket = stop_at_second};
	struct import_stats st = {0};
	struct lserr e;
	assert_int_equal(servicenow_import_file(path, &o, &s, &st, &e), -ECANCELED);
	assert_int_equal(n, 2);
	struct import_sink none = {0};
	assert_int_equal(servicenow_import_file(path, &o, &none, &st, &e), 0); /* no callbacks at all is fine */
	assert_int_equal(st.tickets, 3);
}

/* End to end: the real UCI incident event log (README: 141,712 events, 24,918
 * incidents), and the ServiceNow KPI set over it. */
static void test_uci_event_log_end_to_end(void **state)
{
	struct got *g = *state;
	const char *shared = getenv("LEITSTAND_SHARED_DATA");
	char path[1024];
	snprintf(path, sizeof(path), "%s/real/uci-incident-event-log/incident_event_log.csv.gz",
	         shared ? shared : "../shared/data");
	struct stat sb;
	if (stat(path, &sb) != 0) {
		printf("SKIP: real data set not found at %s (set LEITSTAND_SHARED_DATA)\n", path);
		skip();
	}
	struct import_options o = {.events = false};
	struct import_sink s = {.ctx = g, .ticket = on_ticket, .bad_row = on_bad};
	struct import_stats st;
	struct lserr e;
	assert_int_equal(servicenow_import_file(path, &o, &s, &st, &e), 0);
	printf("uci: %zu rows, %zu incidents, %zu bad rows\n", st.rows, st.tickets, st.bad_rows);
	assert_int_equal(st.rows, 141712);
	assert_int_equal(st.tickets, 24918);
	assert_int_equal(st.bad_rows, 0);

	struct kpi_options ko = {0};
	struct kpi_result r;
	assert_int_equal(kpi_compute(g->t, g->n, &ko, &r, &e), 0);
	json_t *j = kpi_json_result(&r);
	char *txt = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(8));
	printf("uci kpis: %s\n", txt);
	free(txt); /* allocated by jansson */
	json_decref(j);
	assert_int_equal(r.sla_variant, KPI_SLA_SOURCE);
	assert_int_equal(r.total.tickets, 24918);
	/* counted independently with awk over the last row of each incident */
	assert_int_equal(r.total.reopen_rate.num, 275);
	assert_int_equal(r.total.reopen_rate.den, 24918);
	assert_int_equal(r.total.sla_compliance.num, 15803);
	assert_int_equal(r.total.sla_compliance.den, 24918);
	assert_int_equal(r.total.reassigned_share.num, 11369);
	assert_int_equal(r.total.resolution_hours.n, 24918 - 1556);
	assert_true(r.total.resolution_hours.median > 0);
	assert_true(r.total.resolution_hours.p90 >= r.total.resolution_hours.median);
	assert_true(isnan(r.total.fcr_one_touch.value)); /* no replies in the log: null, not 0 */
	kpi_result_release(&r);

	/* grouped by priority: group tickets add up to the total */
	ko.group_by = KPI_DIM_PRIORITY;
	assert_int_equal(kpi_compute(g->t, g->n, &ko, &r, &e), 0);
	uint64_t sum = 0;
	for (size_t i = 0; i < r.n_groups; i++)
		sum += r.groups[i].set.tickets;
	assert_int_equal(sum, 24918);
	assert_int_equal(r.n_groups, 4);
	kpi_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_audit_log_takes_values_of_the_last_record, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_rows_out_of_order_use_the_highest_sys_mod_count, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_bad_rows_are_reported_with_file_line_and_reason, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_too_many_bad_rows_stop_the_import, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_header_without_number_is_refused, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_table_export_with_bom_crlf_semicolon_and_missing_markers, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_gzip_gives_the_same_tickets, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_zoneless_stamps_are_read_in_the_given_zone, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sink_error_stops_the_import, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_uci_event_log_end_to_end, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
