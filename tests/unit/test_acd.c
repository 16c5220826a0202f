/* Tests for importers/acd.c: a German export excerpt (tests/unit/data) with BOM, CRLF,
 * ';', decimal commas, missing markers, a sum line and three bad rows named with file
 * and line; an English gzip export with quoted queues, averages as M:SS and the
 * abandon counts; date and time columns with a time range; end and length columns;
 * the --interval option and the inferred length (also past the look-ahead); the
 * repeated hour of a DST change in local-time exports; a total column beating an average; Windows-1252 and "Ø" headers;
 * duplicates and overlaps; missing required columns; the bad-row limit; a sink error. */
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

#include "calendar/tz.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "importers/acd.h"

struct got {
	struct arena arena;
	struct rec_interval *v;
	size_t n, cap;
	char bad[16][320];
	size_t n_bad;
	int fail_at; /* on_interval returns -ECANCELED for interval number fail_at (1-based) */
};

static int on_interval(void *ctx, const struct rec_interval *iv)
{
	struct got *g = ctx;
	if (g->fail_at && (int)g->n + 1 == g->fail_at)
		return -ECANCELED;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		g->v = xrealloc(g->v, g->cap * sizeof(*g->v));
	}
	g->v[g->n] = *iv;
	g->v[g->n].queue = arena_strdup(&g->arena, iv->queue);
	g->n++;
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
	xfree(g->v);
	xfree(g);
	return 0;
}

static void reset(struct got *g)
{
	g->n = 0;
	g->n_bad = 0;
	g->fail_at = 0;
}

static struct import_sink sink_of(struct got *g)
{
	return (struct import_sink){.ctx = g, .interval = on_interval, .bad_row = on_bad};
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

static int import_mem(struct got *g, const char *csv, const struct import_options *o, int interval,
                      struct import_stats *st, struct lserr *e)
{
	struct csv_reader *r = NULL;
	assert_int_equal(csv_open_mem(csv, strlen(csv), o->sep, &r, e), 0);
	struct import_sink s = sink_of(g);
	int rc = acd_import(r, o, interval, &s, st, e);
	csv_close(r);
	return rc;
}

static void test_german_export_with_bom_crlf_decimal_commas_missing_markers_and_bad_rows(void **state)
{
	struct got *g = *state;
	char path[512];
	data_path(path, sizeof(path), "acd-intervals-de.csv");
	struct tz *berlin = NULL;
	struct lserr e;
	assert_int_equal(tz_load("Europe/Berlin", &berlin, &e), 0);
	struct import_options o = {.tz = berlin};
	struct import_sink s = sink_of(g);
	struct import_stats st;
	assert_int_equal(acd_import_file(path, &o, 0, &s, &st, &e), 0);
	tz_free(berlin);
	assert_int_equal(st.rows, 9); /* the sum line "Gesamt" is read and skipped */
	assert_int_equal(st.bad_rows, 3);
	assert_int_equal(st.intervals, 5);
	assert_int_equal(st.queues, 2);
	assert_int_equal(g->n_bad, 3);
	assert_string_equal(g->bad[0], "acd-intervals-de.csv:6: answered 4 + abandoned 2 is more than offered 5");
	assert_string_equal(g->bad[1], "acd-intervals-de.csv:7: Im SL angenommen 4 is more than answered 3");
	assert_string_equal(g->bad[2], "acd-intervals-de.csv:8: Intervallbeginn: not a timestamp: 'gestern'");
	assert_int_equal(g->n, 5);

	const struct rec_interval *h = &g->v[0]; /* 08:00 CET = 07:00 UTC */
	assert_string_equal(h->queue, "Hotline");
	assert_int_equal(h->start, utc(2024, 3, 4, 7, 0));
	assert_int_equal(h->length, 1800); /* inferred from 08:00 → 08:30 */
	assert_int_equal(h->offered, 10);
	assert_int_equal(h->answered, 8);
	assert_int_equal(h->abandoned, 2);
	assert_int_equal(h->answered_within, 6);
	assert_int_equal(h->abandoned_within, REC_UNKNOWN);
	assert_int_equal(h->abandoned_short, REC_UNKNOWN);
	assert_int_equal(h->threshold, 20);
	assert_true(h->talk == 1200.5);
	assert_true(h->hold == 60 && h->wrap_up == 240);
	assert_true(isnan(h->handle) && isnan(h->wait));
	assert_int_equal(h->line, 2);

	assert_string_equal(g->v[1].queue, "Vertrieb");
	assert_int_equal(g->v[2].start, utc(2024, 3, 4, 7, 30));
	assert_true(isnan(g->v[2].hold)); /* "#N/B" */
	assert_true(g->v[2].talk == 1350);
	/* "?" offered: answered + abandoned */
	assert_int_equal(g->v[3].offered, 4);
	assert_int_equal(g->v[3].answered, 3);
	/* a row with no values: an interval without traffic */
	const struct rec_interval *q = &g->v[4];
	assert_int_equal(q->start, utc(2024, 3, 4, 8, 30));
	assert_int_equal(q->offered, 0);
	assert_int_equal(q->answered, 0);
	assert_int_equal(q->abandoned, 0);
	assert_int_equal(q->answered_within, REC_UNKNOWN);
	assert_int_equal(q->threshold, REC_UNKNOWN);
	assert_true(isnan(q->talk));
	assert_int_equal(q->line, 9);
}

static void test_english_gzip_export_with_averages_as_clock_values(void **state)
{
	struct got *g = *state;
	char path[512];
	data_path(path, sizeof(path), "acd-intervals-en.csv.gz");
	struct import_options o = {0};
	struct import_sink s = sink_of(g);
	struct import_stats st;
	struct lserr e;
	assert_int_equal(acd_import_file(path, &o, 0, &s, &st, &e), 0);
	assert_int_equal(st.rows, 3);
	assert_int_equal(st.bad_rows, 0);
	assert_int_equal(st.queues, 2);
	assert_int_equal(g->n, 3);
	const struct rec_interval *a = &g->v[0];
	assert_string_equal(a->queue, "Support, 1st level");
	assert_int_equal(a->start, utc(2024, 3, 4, 8, 0));
	assert_int_equal(a->length, 900);
	assert_int_equal(a->answered_within, 12);
	assert_int_equal(a->abandoned_within, 2);
	assert_int_equal(a->abandoned_short, 1);
	/* averages per answered call times 15 answered */
	assert_true(a->talk == 180 * 15 && a->hold == 30 * 15 && a->wrap_up == 60 * 15 && a->wait == 20 * 15);
	assert_true(g->v[1].talk == 150 * 10 && g->v[1].wrap_up == 45 * 10);
	assert_string_equal(g->v[2].queue, "Billing");
	assert_int_equal(g->v[2].length, 900); /* one row of its own: the file's length */
	assert_true(g->v[2].wait == 90);
}

static void test_date_and_time_columns_with_a_time_range(void **state)
{
	struct got *g = *state;
	struct import_options o = {.sep = ';'};
	struct import_stats st;
	struct lserr e;
	const char *csv = "Datum;Uhrzeit;Skill;Angenommen;Verloren;Kurz aufgelegt;Ø Gesprächszeit;Wartezeit (min)\n"
	                  "04.03.2024;08:00 - 08:15;A;4;1;1;01:30;2,5\n"
	                  "04.03.2024;23:45-24:00;A;2;0;0;2:00;0\n"
	                  "04.03.2024;8:15;A;1;0;0;0:10;0\n"
	                  "04.03.2024;25:00;A;1;0;0;0:10;0\n";
	assert_int_equal(import_mem(g, csv, &o, 0, &st, &e), 0);
	assert_int_equal(g->n, 3);
	assert_int_equal(g->v[0].start, utc(2024, 3, 4, 8, 0));
	assert_int_equal(g->v[0].length, 900);
	assert_int_equal(g->v[0].offered, 5);
	assert_int_equal(g->v[0].abandoned_short, 1);
	assert_true(g->v[0].talk == 90 * 4); /* "Ø": an average, M:SS */
	assert_true(g->v[0].wait == 150);    /* a total in minutes */
	assert_int_equal(g->v[1].start, utc(2024, 3, 4, 23, 45));
	assert_int_equal(g->v[1].length, 900); /* to midnight */
	assert_int_equal(g->v[2].start, utc(2024, 3, 4, 8, 15));
	assert_int_equal(g->v[2].length, 900); /* no range: the length the other rows state */
	assert_int_equal(g->n_bad, 1);
	assert_string_equal(g->bad[0], "<memory>:5: Uhrzeit: not a time of day: '25:00'");
}

static void test_end_and_length_columns_and_the_interval_option(void **state)
{
	struct got *g = *state;
	struct import_options o = {0};
	struct import_stats st;
	struct lserr e;
	assert_int_equal(import_mem(g,
	                            "Interval Start,Interval End,Answered,Abandoned\n"
	                            "2024-03-04 08:00,2024-03-04 09:00,1,0\n"
	                            "2024-03-04 09:00,10:00,1,0\n"
	                            "2024-03-04 10:00,2024-03-04 10:00,1,0\n",
	                            &o, 0, &st, &e),
	                 0);
	assert_int_equal(g->n, 2);
	assert_int_equal(g->v[0].length, 3600);
	assert_int_equal(g->v[1].length, 3600);
	assert_string_equal(g->bad[0], "<memory>:4: Interval End '2024-03-04 10:00' is not after the interval start");

	reset(g);
	assert_int_equal(import_mem(g,
	                            "Start,Interval Length,Answered,Abandoned\n"
	                            "2024-03-04 08:00,15,1,0\n"
	                            "2024-03-04 08:15,0:15,1,0\n"
	                            "2024-03-04 08:30,,1,0\n",
	                            &o, 0, &st, &e),
	                 0);
	assert_int_equal(g->n, 3);
	assert_int_equal(g->v[0].length, 900);
	assert_int_equal(g->v[1].length, 900); /* H:MM */
	assert_int_equal(g->v[2].length, 900); /* inferred */

	/* --interval: rows without their own length take it; one row per queue */
	reset(g);
	const char *one = "Interval,Queue,Answered,Abandoned\n2024-03-04 08:00,A,1,0\n2024-03-04 08:00,B,1,0\n";
	assert_int_equal(import_mem(g, one, &o, 3600, &st, &e), 0);
	assert_int_equal(g->v[0].length, 3600);
	assert_int_equal(g->v[1].length, 3600);
	/* no gap to infer from: 30 minutes */
	reset(g);
	assert_int_equal(import_mem(g, one, &o, 0, &st, &e), 0);
	assert_int_equal(g->v[0].length, ACD_DEFAULT_INTERVAL);
	assert_int_equal(import_mem(g, one, &o, 86401, &st, &e), -EINVAL);
}

static void test_duplicates_and_overlaps_are_bad_rows(void **state)
{
	struct got *g = *state;
	struct import_options o = {0};
	struct import_stats st;
	struct lserr e;
	const char *csv = "Interval,Queue,Answered,Abandoned\n"
	                  "2024-03-04 08:00,A,1,0\n"
	                  "2024-03-04 08:30,A,2,0\n"
	                  "2024-03-04 08:00,A,3,0\n"
	                  "2024-03-04 08:45,A,4,0\n"
	                  "2024-03-04 09:00,A,5,0\n";
	assert_int_equal(import_mem(g, csv, &o, 1800, &st, &e), 0);
	assert_int_equal(st.intervals, 3);
	assert_int_equal(st.bad_rows, 2);
	assert_string_equal(g->bad[0], "<memory>:4: queue 'A': a second interval starting at 2024-03-04T08:00:00Z; "
	                               "this row is ignored");
	assert_string_equal(g->bad[1], "<memory>:5: queue 'A': the interval starting at 2024-03-04T08:45:00Z "
	                               "overlaps the previous one (900 s apart, interval length 1800 s); this row "
	                               "is ignored");
	/* inferred: the smallest gap is 15 minutes, so nothing overlaps, the repeat stays bad */
	reset(g);
	assert_int_equal(import_mem(g, csv, &o, 0, &st, &e), 0);
	assert_int_equal(st.intervals, 4);
	assert_int_equal(g->v[0].length, 900);
	assert_int_equal(st.bad_rows, 1);
}

static void test_rows_past_the_look_ahead_stream_with_the_inferred_length(void **state)
{
	struct got *g = *state;
	struct strbuf sb;
	strbuf_init(&sb, 1 << 20);
	strbuf_adds(&sb, "Interval,Queue,Answered,Abandoned\n");
	for (int i = 0; i < ACD_LOOKAHEAD_ROWS + 100; i++)
		strbuf_addf(&sb, "2024-03-%02d %02d:%02d,Q%d,1,0\n", 1 + i / 96, i % 96 / 4, i % 4 * 15, i % 3);
	/* 15 minutes after the last start of Q1 (03-12 16:45): an overlap once the
	 * length (45 minutes: each queue has every third row) is known */
	strbuf_adds(&sb, "2024-03-12 17:00,Q1,1,0\n");
	struct import_options o = {.max_bad_rows = 5};
	struct import_stats st;
	struct lserr e;
	assert_int_equal(import_mem(g, sb.buf, &o, 0, &st, &e), 0);
	strbuf_release(&sb);
	assert_int_equal(st.intervals, ACD_LOOKAHEAD_ROWS + 100);
	assert_int_equal(st.queues, 3);
	for (size_t i = 0; i < g->n; i++)
		assert_int_equal(g->v[i].length, 2700);
	assert_int_equal(st.bad_rows, 1);
}

static void test_the_repeated_hour_when_clocks_go_back_is_its_second_pass(void **state)
{
	struct got *g = *state;
	struct tz *berlin = NULL;
	struct lserr e;
	assert_int_equal(tz_load("Europe/Berlin", &berlin, &e), 0);
	struct import_options o = {.tz = berlin};
	struct import_stats st;
	/* 2024-10-27: 03:00 CEST becomes 02:00 CET, so 02:00 and 02:30 occur twice */
	const char *csv = "Intervallbeginn;Angenommen;Aufgelegt\n"
	                  "27.10.2024 01:30;1;0\n27.10.2024 02:00;1;0\n27.10.2024 02:30;1;0\n"
	                  "27.10.2024 02:00;1;0\n27.10.2024 02:30;1;0\n27.10.2024 03:00;1;0\n"
	                  "27.10.2024 03:00;1;0\n";
	assert_int_equal(import_mem(g, csv, &o, 0, &st, &e), 0);
	assert_int_equal(st.intervals, 6);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(g->v[i].start, utc(2024, 10, 26, 23, 30) + (ls_time)i * 1800);
	assert_int_equal(g->v[0].length, 1800);
	/* 03:00 exists once: its repeat is a repeat */
	assert_int_equal(g->n_bad, 1);
	assert_string_equal(g->bad[0], "<memory>:8: queue 'default': a second interval starting at "
	                               "2024-10-27T02:00:00Z; this row is ignored");
	/* with an explicit offset a repeat stays a repeat */
	reset(g);
	assert_int_equal(import_mem(g,
	                            "Interval,Answered,Abandoned\n2024-10-27 02:00+02:00,1,0\n"
	                            "2024-10-27 02:00+02:00,1,0\n",
	                            &o, 1800, &st, &e),
	                 0);
	assert_int_equal(st.intervals, 1);
	tz_free(berlin);
}

static void test_header_rules_total_beats_average_and_windows_1252(void **state)
{
	struct got *g = *state;
	struct import_options o = {.sep = ';'};
	struct import_stats st;
	struct lserr e;
	assert_int_equal(import_mem(g,
	                            "Intervall;Angenommen;Aufgelegt;Durchschn. Gespr\xe4"
	                            "chszeit;Gespr\xe4"
	                            "chszeit gesamt (min);AHT\n"
	                            "2024-03-04 08:00;2;0;100;3;7\n",
	                            &o, 0, &st, &e),
	                 0);
	assert_int_equal(g->n, 1);
	assert_true(g->v[0].talk == 180);  /* the total in minutes, not the average */
	assert_true(g->v[0].handle == 14); /* AHT: an average, times 2 answered */
	assert_int_equal(g->v[0].offered, 2);
	assert_string_equal(g->v[0].queue, "default");
}

static void test_counts_and_seconds_are_checked(void **state)
{
	struct got *g = *state;
	struct import_options o = {.max_bad_rows = 0};
	struct import_stats st;
	struct lserr e;
	const char *csv = "Interval Start,Queue,Offered,Answered,Abandoned,Short Abandoned,Abandoned within SL,"
	                  "SL Threshold,Talk Time\n"
	                  "2024-03-04 08:00,A,3,-1,0,0,0,20,0\n"
	                  "2024-03-04 08:00,B,3,1,5,0,0,20,0\n"
	                  "2024-03-04 08:00,C,3,1,1,2,0,20,0\n"
	                  "2024-03-04 08:00,D,3,1,1,0,2,20,0\n"
	                  "2024-03-04 08:00,E,3,1,1,0,0,0,0\n"
	                  "2024-03-04 08:00,F,3,1,1,0,0,20,-5\n"
	                  "2024-03-04 08:00,G,3,1,5;,0,0,20,0\n"
	                  "2024-03-04 08:00,H,3,1,1,5,2\n"
	                  "2024-03-04 08:00,,3,1,1,0,0,20,0\n"
	                  "2024-03-04 08:00,I,3,,1,0,0,20,0\n"
	                  "2024-03-04 08:00,J,3,1,1,0,0,20,x\n"
	                  "2024-03-04 08:00,K,3,1,1,0,0,20,0,,\n";
	assert_int_equal(import_mem(g, csv, &o, 0, &st, &e), 0);
	static const char *const want[] = {
	        "<memory>:2: Answered is negative (-1)",
	        "<memory>:3: answered 1 + abandoned 5 is more than offered 3",
	        "<memory>:4: Short Abandoned 2 is more than abandoned 1",
	        "<memory>:5: Abandoned within SL 2 is more than abandoned 1",
	        "<memory>:6: SL Threshold 0 s is not between 1 s and 1 day",
	        "<memory>:7: Talk Time is negative (-5)",
	        "<memory>:8: Abandoned: not a whole number: '5;'",
	        "<memory>:9: 7 fields, the header has 9",
	        "<memory>:10: Queue (the queue) is missing",
	        "<memory>:11: Answered (answered calls) is missing",
	        "<memory>:12: Talk Time: not a duration: 'x'",
	};
	assert_int_equal(g->n_bad, ELEMENTSOF(want));
	for (size_t i = 0; i < ELEMENTSOF(want); i++)
		assert_string_equal(g->bad[i], want[i]);
	assert_int_equal(g->n, 1); /* K: trailing empty fields are padding */
	assert_string_equal(g->v[0].queue, "K");
}

static void test_missing_columns_the_bad_row_limit_and_a_sink_error(void **state)
{
	struct got *g = *state;
	struct import_options o = {.max_bad_rows = 2};
	struct import_stats st;
	struct lserr e;
	assert_int_equal(import_mem(g, "Queue,Answered,Abandoned\nA,1,0\n", &o, 0, &st, &e), -EINVAL);
	assert_non_null(strstr(e.message, "no column for the interval start"));
	assert_int_equal(import_mem(g, "Interval,Offered,Abandoned\n2024-03-04 08:00,1,0\n", &o, 0, &st, &e), -EINVAL);
	assert_non_null(strstr(e.message, "answered calls"));
	assert_int_equal(import_mem(g, "Interval,Answered,Offered\n", &o, 0, &st, &e), -EINVAL);
	assert_non_null(strstr(e.message, "abandoned calls"));
	assert_int_equal(import_mem(g, "", &o, 0, &st, &e), -EINVAL);
	assert_int_equal(
	        import_mem(g, "Interval,Answered,Abandoned\nx,1,0\ny,1,0\n2024-03-04 08:00,1,0\n", &o, 0, &st, &e),
	        -EINVAL);
	assert_non_null(strstr(e.message, "2 bad rows, giving up"));

	reset(g);
	g->fail_at = 2;
	o.max_bad_rows = 0;
	assert_int_equal(import_mem(g,
	                            "Interval,Answered,Abandoned\n2024-03-04 08:00,1,0\n2024-03-04 08:30,1,0\n"
	                            "2024-03-04 09:00,1,0\n",
	                            &o, 1800, &st, &e),
	                 -ECANCELED);
	assert_int_equal(g->n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(
	                test_german_export_with_bom_crlf_decimal_commas_missing_markers_and_bad_rows, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_english_gzip_export_with_averages_as_clock_values, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_date_and_time_columns_with_a_time_range, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_end_and_length_columns_and_the_interval_option, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_duplicates_and_overlaps_are_bad_rows, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_rows_past_the_look_ahead_stream_with_the_inferred_length, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_the_repeated_hour_when_clocks_go_back_is_its_second_pass, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_header_rules_total_beats_average_and_windows_1252, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_counts_and_seconds_are_checked, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_missing_columns_the_bad_row_limit_and_a_sink_error, setup,
	                                        teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
