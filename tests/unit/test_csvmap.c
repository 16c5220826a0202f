/* Tests for importers/csvmap.c: each preset over a small excerpt of its real data set
 * (tests/unit/data) — event logs grouped into tickets with reopens, waits,
 * reassignments and first/last instants, the ungrouped BPI 2014 activity log, the
 * table exports with decimal commas, missing markers and padding rows; a mapping file;
 * zone-less stamps read in --tz; bad rows (stamp, repeated id, rows not contiguous)
 * named by line; and mapping errors that say what is wrong. */
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
#include "importers/csvmap.h"

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

static void data_path(char *buf, size_t n, const char *name)
{
	const char *d = getenv("LEITSTAND_TEST_DATA");
	snprintf(buf, n, "%s/%s", d ? d : "tests/unit/data", name);
}

static ls_time utc(int y, unsigned m, unsigned d, int hh, int mm, int ss)
{
	return time_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

/* Imports data/file with the preset or mapping file; returns the import's code. */
static int import(struct got *g, const char *mapping, const char *file, const struct import_options *o,
                  struct import_stats *st, struct lserr *e)
{
	char path[512], mpath[512];
	data_path(path, sizeof(path), file);
	struct csvmap *m = NULL;
	if (!csvmap_preset_json(mapping)) {
		data_path(mpath, sizeof(mpath), mapping);
		mapping = mpath;
	}
	assert_int_equal(csvmap_load(mapping, &m, e), 0);
	struct import_sink s = {.ctx = g, .ticket = on_ticket, .event = on_event, .bad_row = on_bad};
	int rc = csvmap_import_file(path, m, o, &s, st, e);
	csvmap_free(m);
	return rc;
}

static void test_presets_are_listed_and_parse(void **state)
{
	(void)state;
	size_t n = 0;
	for (const char *const *p = csvmap_presets; *p; p++, n++) {
		struct csvmap *m = NULL;
		struct lserr e;
		assert_non_null(csvmap_preset_json(*p));
		assert_int_equal(csvmap_load(*p, &m, &e), 0);
		csvmap_free(m);
	}
	assert_int_equal(n, 5);
	assert_null(csvmap_preset_json("bpi2015"));
}

static void test_bpi2013_log_groups_cases_with_reopen_waits_and_reassignments(void **state)
{
	struct got *g = *state;
	struct import_options o = {.events = true, .client = "VOLVO"};
	struct import_stats st;
	struct lserr e;
	assert_int_equal(import(g, "bpi2013-incidents", "bpi2013-excerpt.csv", &o, &st, &e), 0);
	assert_int_equal(st.rows, 10);
	assert_int_equal(st.tickets, 2);
	assert_int_equal(st.events, 10);
	assert_int_equal(st.bad_rows, 0);

	const struct rec_ticket *t = &g->t[0];
	assert_string_equal(t->source, "csv");
	assert_string_equal(t->source_id, "1-100");
	assert_string_equal(t->number, "1-100");
	assert_string_equal(t->client, "VOLVO");
	assert_string_equal(t->state, "Completed-Closed");
	assert_int_equal(t->state_canon, TICKET_STATE_CLOSED);
	assert_int_equal(t->opened_at, utc(2010, 3, 31, 14, 59, 42));
	assert_int_equal(t->first_resolved_at, utc(2010, 4, 2, 9, 0, 0));
	assert_int_equal(t->reopened_at, utc(2010, 4, 3, 9, 0, 0));
	assert_int_equal(t->resolved_at, utc(2010, 4, 4, 9, 0, 0));
	assert_int_equal(t->closed_at, utc(2010, 4, 5, 9, 0, 0));
	assert_int_equal(t->reopen_count, 1);
	assert_int_equal(t->wait_count, 1);
	assert_int_equal(t->reassignment_count, 2); /* Frederic → Bjorn → Anna */
	assert_int_equal(t->group_escalations, 1);  /* V30 → V5 2nd */
	assert_int_equal(t->impact, 2);             /* High, through "levels" */
	assert_string_equal(t->team, "V5 2nd");
	assert_string_equal(t->agent, "se-Anna");
	assert_string_equal(t->category, "PROD1");
	assert_int_equal(t->line, 9);

	t = &g->t[1];
	assert_string_equal(t->source_id, "1-200");
	assert_int_equal(t->state_canon, TICKET_STATE_RESOLVED);
	assert_int_equal(t->resolved_at, utc(2010, 5, 1, 7, 30, 0));
	assert_int_equal(t->closed_at, 0);
	assert_int_equal(t->reopen_count, 0);
	assert_int_equal(t->reassignment_count, 0);
	assert_int_equal(t->impact, 4);
	assert_true(rec_ticket_is_solved(t));

	char want[160];
	snprintf(want, sizeof(want), "1-100 %lld activity ->Accepted-In Progress by fr-Frederic",
	         (long long)utc(2010, 3, 31, 14, 59, 42));
	assert_string_equal(g->events[0], want);
	snprintf(want, sizeof(want),
	         "1-100 %lld activity Accepted-In Progress>Queued-Awaiting Assignment by fr-Frederic",
	         (long long)utc(2010, 3, 31, 15, 10, 0));
	assert_string_equal(g->events[1], want);
}

static void test_bpi2014_incident_table_maps_rows_and_skips_padding(void **state)
{
	struct got *g = *state;
	struct import_options o = {.events = true};
	struct import_stats st;
	struct lserr e;
	assert_int_equal(import(g, "bpi2014-incidents", "bpi2014-incidents-excerpt.csv", &o, &st, &e), 0);
	assert_int_equal(st.rows, 5); /* two ";;;" rows read and skipped */
	assert_int_equal(st.tickets, 3);
	assert_int_equal(st.bad_rows, 0);
	assert_int_equal(st.events, 3 + 2 + 2);

	const struct rec_ticket *t = &g->t[0];
	assert_string_equal(t->source_id, "IM0000004");
	assert_int_equal(t->state_canon, TICKET_STATE_CLOSED);
	assert_int_equal(t->priority, 4);
	assert_int_equal(t->reassignment_count, 26);
	assert_int_equal(t->opened_at, utc(2012, 2, 5, 13, 32, 57));
	assert_int_equal(t->resolved_at, utc(2013, 11, 4, 13, 50, 27));
	assert_int_equal(t->closed_at, utc(2013, 11, 4, 13, 51, 17));
	assert_int_equal(t->reopen_count, 0);
	assert_true(fabs(t->effort_minutes - 3871.5 * 60) < 1e-9);

	t = &g->t[1];
	assert_int_equal(t->reopen_count, 1);
	assert_int_equal(t->reopened_at, utc(2013, 12, 2, 12, 31, 2));
	assert_true(isnan(t->effort_minutes)); /* #N/B */

	t = &g->t[2];
	assert_int_equal(t->state_canon, TICKET_STATE_IN_PROGRESS);
	assert_string_equal(t->category, "request for information");
	assert_int_equal(t->resolved_at, 0);
	assert_false(rec_ticket_is_solved(t));
	assert_true(fabs(t->effort_minutes - 15) < 1e-9);
}

static void test_bpi2014_activity_log_need_not_be_grouped(void **state)
{
	struct got *g = *state;
	struct import_options o = {.events = true};
	struct import_stats st;
	struct lserr e;
	assert_int_equal(import(g, "bpi2014-activities", "bpi2014-activities-excerpt.csv", &o, &st, &e), 0);
	assert_int_equal(st.rows, 8);
	assert_int_equal(st.tickets, 2);
	assert_int_equal(st.events, 8);
	const struct rec_ticket *t = &g->t[0];
	assert_string_equal(t->source_id, "IM1");
	assert_int_equal(t->opened_at, utc(2013, 10, 4, 10, 59, 40));
	assert_int_equal(t->first_resolved_at, utc(2013, 10, 6, 9, 0, 0));
	assert_int_equal(t->reopened_at, utc(2013, 10, 7, 9, 0, 0));
	assert_int_equal(t->reopen_count, 1);
	assert_int_equal(t->closed_at, utc(2013, 10, 8, 9, 0, 0));
	assert_int_equal(t->resolved_at, utc(2013, 10, 8, 9, 0, 0));
	assert_int_equal(t->reassignment_count, 1); /* the # Reassignments column */
	assert_int_equal(t->group_escalations, 1);
	assert_string_equal(t->team, "TEAM0009");
	assert_int_equal(t->priority, 4);
	t = &g->t[1];
	assert_string_equal(t->source_id, "IM2");
	assert_int_equal(t->state_canon, TICKET_STATE_CLOSED);
	assert_int_equal(t->reopen_count, 0);
	/* rows sorted by instant within the case: the 11:30 update comes before 12:00 */
	assert_true(strstr(g->events[1], "IM1 ") == g->events[1] && strstr(g->events[1], ">Operator Update"));
	assert_true(strstr(g->events[2], "Operator Update>Reassignment") != NULL);
}

static void test_helpdesk_log_in_a_named_zone(void **state)
{
	struct got *g = *state;
	struct tz *rome = NULL;
	struct lserr e;
	assert_int_equal(tz_load("Europe/Rome", &rome, &e), 0);
	struct import_options o = {.events = false, .tz = rome};
	struct import_stats st;
	assert_int_equal(import(g, "helpdesk", "helpdesk-excerpt.csv", &o, &st, &e), 0);
	tz_free(rome);
	assert_int_equal(st.rows, 7);
	assert_int_equal(st.tickets, 2);
	assert_int_equal(st.events, 0);
	const struct rec_ticket *t = &g->t[0];
	assert_string_equal(t->source_id, "Case 1");
	assert_int_equal(t->opened_at, utc(2012, 10, 9, 12, 50, 17)); /* CEST */
	assert_int_equal(t->resolved_at, utc(2012, 10, 12, 13, 2, 56));
	assert_int_equal(t->closed_at, utc(2012, 10, 25, 9, 54, 26));
	assert_int_equal(t->wait_count, 1);
	/* Value 1 → Value 2 while open; Value 3 only closes it, which is no hand-over */
	assert_int_equal(t->reassignment_count, 1);
	assert_string_equal(t->agent, "Value 2");
	t = &g->t[1];
	assert_int_equal(t->state_canon, TICKET_STATE_IN_PROGRESS);
	assert_int_equal(t->opened_at, utc(2012, 4, 3, 14, 55, 38));
	assert_false(rec_ticket_is_solved(t));
}

static void test_mapping_file_and_bad_rows_by_line(void **state)
{
	struct got *g = *state;
	struct import_options o = {.events = false, .max_bad_rows = 3};
	struct import_stats st;
	struct lserr e;
	assert_int_equal(import(g, "mapping-interactions.json", "interactions-excerpt.csv", &o, &st, &e), 0);
	assert_int_equal(st.rows, 4);
	assert_int_equal(st.tickets, 2);
	assert_int_equal(st.bad_rows, 2);
	assert_int_equal(g->n_bad, 2);
	assert_non_null(strstr(g->bad[0], "interactions-excerpt.csv:4: Open Time (First Touch): not a timestamp"));
	assert_non_null(strstr(g->bad[1], "interactions-excerpt.csv:5: ticket SD2 appears twice"));
	const struct rec_ticket *t = &g->t[0];
	assert_int_equal(t->type, TICKET_TYPE_SERVICE_REQUEST);
	assert_int_equal(t->fcr_flag, 0);
	assert_int_equal(g->t[1].fcr_flag, 1);
	assert_int_equal(t->opened_at, utc(2011, 9, 9, 9, 23, 0));
	assert_true(fabs(t->effort_minutes - 239.0 / 60) < 1e-9);

	/* the first bad row stops the import when only one is allowed */
	g->n = g->n_bad = 0;
	o.max_bad_rows = 1;
	assert_int_equal(import(g, "mapping-interactions.json", "interactions-excerpt.csv", &o, &st, &e), -EINVAL);
	assert_non_null(strstr(e.message, "line 4"));
}

static int import_text(struct got *g, const char *json, const char *csv, struct import_stats *st, struct lserr *e)
{
	struct csvmap *m = NULL;
	int rc = csvmap_parse(json, strlen(json), &m, e);
	if (rc < 0)
		return rc;
	struct csv_reader *r = NULL;
	assert_int_equal(csv_open_mem(csv, strlen(csv), csvmap_separator(m), &r, e), 0);
	struct import_sink s = {.ctx = g, .ticket = on_ticket, .event = on_event, .bad_row = on_bad};
	struct import_options o = {.events = true};
	rc = csvmap_import(r, m, &o, &s, st, e);
	csv_close(r);
	csvmap_free(m);
	return rc;
}

static void test_grouped_log_reports_a_case_that_comes_back(void **state)
{
	struct got *g = *state;
	struct import_stats st;
	struct lserr e;
	const char *map = "{\"shape\":\"log\",\"columns\":{\"id\":\"case\",\"at\":\"when\",\"activity\":\"what\"}}";
	const char *csv = "case,when,what\nA,2020-01-01 10:00,x\nB,2020-01-01 11:00,y\nA,2020-01-02 10:00,z\n"
	                  "B,,w\n";
	assert_int_equal(import_text(g, map, csv, &st, &e), 0); /* no limit on bad rows */
	assert_int_equal(st.rows, 4);
	assert_int_equal(st.tickets, 2);
	assert_int_equal(st.bad_rows, 2);
	assert_non_null(strstr(g->bad[0], ":4: rows of case A are not contiguous"));
	assert_non_null(strstr(g->bad[1], ":5: when (the instant) is missing"));
	/* no "states": state counts stay unknown, events still one per row */
	assert_int_equal(g->t[0].reopen_count, REC_UNKNOWN);
	assert_int_equal(g->n_events, 2);
}

static void test_mapping_errors_say_what_is_wrong(void **state)
{
	struct got *g = *state;
	struct import_stats st;
	struct lserr e;
	static const struct {
		const char *json, *msg;
	} cases[] = {
	        {"[1]", "expected an object"},
	        {"{\"shape\":\"log\"", "not JSON"},
	        {"{\"shape\":\"tabel\",\"columns\":{\"id\":\"x\"}}", "shape must be"},
	        {"{\"shape\":\"table\"}", "id is required"},
	        {"{\"shape\":\"log\",\"columns\":{\"id\":\"x\"}}", "at (the instant"},
	        {"{\"shape\":\"table\",\"columns\":{\"id\":\"x\",\"owner\":\"y\"}}", "unknown role 'owner'"},
	        {"{\"shape\":\"table\",\"columns\":{\"id\":\"x\"},\"colour\":1}", "unknown key 'colour'"},
	        {"{\"shape\":\"table\",\"columns\":{\"id\":\"x\"},\"states\":{\"Done\":\"finished\"}}",
	         "'Done' is not"},
	        {"{\"shape\":\"table\",\"columns\":{\"id\":\"x\"},\"levels\":{\"Low\":9}}", "1 to 5"},
	        {"{\"shape\":\"table\",\"columns\":{\"id\":\"x\"},\"separator\":\"|\"}", "separator must be"},
	        {"{\"shape\":\"table\",\"columns\":{\"id\":\"x\"},\"time_format\":\"%d\"}", "time_format must be"},
	        {"{\"shape\":\"table\",\"columns\":{\"id\":\"x\"},\"shape\":\"log\"}", "not JSON"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct csvmap *m = NULL;
		assert_int_equal(csvmap_parse(cases[i].json, strlen(cases[i].json), &m, &e), -EINVAL);
		assert_null(m);
		if (!strstr(e.message, cases[i].msg))
			fail_msg("%s: got '%s', want '%s'", cases[i].json, e.message, cases[i].msg);
		assert_string_equal(e.field, "mapping");
	}
	struct csvmap *m = NULL;
	assert_int_equal(csvmap_load("/nonexistent/mapping.json", &m, &e), -ENOENT);
	assert_non_null(strstr(e.message, "neither a preset nor a readable file"));

	/* a mapped column the header lacks stops before any row */
	const char *map = "{\"shape\":\"table\",\"columns\":{\"id\":\"Ticket\",\"team\":\"Group\"}}";
	assert_int_equal(import_text(g, map, "Ticket,Team\n1,a\n", &st, &e), -EINVAL);
	assert_non_null(strstr(e.message, "no column 'Group' (mapped as team)"));
	assert_int_equal(g->n, 0);
	assert_int_equal(import_text(g, map, "", &st, &e), -EINVAL);
	assert_non_null(strstr(e.message, "empty file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_presets_are_listed_and_parse),
	        cmocka_unit_test_setup_teardown(test_bpi2013_log_groups_cases_with_reopen_waits_and_reassignments,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_bpi2014_incident_table_maps_rows_and_skips_padding, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_bpi2014_activity_log_need_not_be_grouped, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_helpdesk_log_in_a_named_zone, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mapping_file_and_bad_rows_by_line, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_grouped_log_reports_a_case_that_comes_back, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mapping_errors_say_what_is_wrong, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
