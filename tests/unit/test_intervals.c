/* Tests for wfm/intervals.c: the forecast CSV (header in any order and spelling,
 * defaults for absent columns and empty cells, RFC 4180 quoting, CRLF, BOM, blank
 * lines, ';' with decimal commas), grouping by queue and skill in order of first
 * appearance, errors that name the line and the column, size limits, and planning a
 * whole table with errors traced back to their line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/limits.h"
#include "wfm/intervals.h"

struct fx {
	struct arena arena;
	struct staffing_input defaults;
	struct intervals_table t;
	struct lserr e;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	arena_init(&f->arena);
	staffing_input_init(&f->defaults);
	f->defaults.interval = 1800;
	f->defaults.target = 0.8;
	f->defaults.answer_time = 20;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	arena_release(&f->arena);
	xfree(f);
	return 0;
}

static void parse_ok(struct fx *f, const char *csv)
{
	lserr_clear(&f->e);
	if (intervals_parse_csv(&f->arena, csv, strlen(csv), &f->defaults, &f->t, &f->e) < 0)
		fail_msg("intervals_parse_csv: %s", f->e.message);
}

static void parse_fails(struct fx *f, const char *csv, int rc, const char *field, const char *in_message)
{
	lserr_clear(&f->e);
	struct intervals_table untouched = {.n_rows = 4711};
	f->t = untouched;
	int r = intervals_parse_csv(&f->arena, csv, strlen(csv), &f->defaults, &f->t, &f->e);
	if (r != rc)
		fail_msg("parse = %d (%s), want %d", r, f->e.message, rc);
	assert_string_equal(f->e.field, field);
	if (!strstr(f->e.message, in_message))
		fail_msg("message '%s' lacks '%s'", f->e.message, in_message);
	assert_int_equal(f->t.n_rows, 4711);
}

static void test_rows_are_grouped_by_queue_in_order_of_appearance(void **state)
{
	struct fx *f = *state;
	parse_ok(f, "queue,skill,start,contacts,aht\n"
	            "Hotline,de,08:00,100,180\n"
	            "Billing,de,08:00,20,300\n"
	            "Hotline,en,08:00,10,200\n"
	            "Hotline,de,08:30,120,180\n"
	            "Billing,de,08:30,25,300\n");
	assert_int_equal(f->t.n_rows, 5);
	assert_int_equal(f->t.n_queues, 3);
	const struct intervals_queue *q = f->t.queues;
	assert_string_equal(q[0].queue, "Hotline");
	assert_string_equal(q[0].skill, "de");
	assert_int_equal(q[0].n, 2);
	assert_string_equal(q[1].queue, "Billing");
	assert_int_equal(q[1].n, 2);
	assert_string_equal(q[2].skill, "en");
	assert_int_equal(q[2].n, 1);
	/* Hotline/de rows in file order, with their lines */
	assert_string_equal(f->t.rows[0].start, "08:00");
	assert_int_equal(f->t.rows[0].line, 2);
	assert_string_equal(f->t.rows[1].start, "08:30");
	assert_int_equal(f->t.rows[1].line, 5);
	assert_true(f->t.inputs[1].contacts == 120);
	assert_true(f->t.inputs[1].interval == 1800); /* from the defaults */
	assert_int_equal(f->t.rows[4].line, 4);
}

static void test_columns_override_defaults_and_empty_cells_keep_them(void **state)
{
	struct fx *f = *state;
	parse_ok(f, "Queue,Start,Calls,AHT,Answer-Time,max occupancy,Target,patience,min_agents,shrinkage\n"
	            "A,1,100,180,,0.85,,,,\n"
	            "A,2,100,180,30,,0.9,120,2,0.25\n");
	const struct staffing_input *a = &f->t.inputs[0], *b = &f->t.inputs[1];
	assert_true(a->answer_time == 20 && a->target == 0.8 && a->max_occupancy == 0.85 && a->patience == 0);
	assert_true(b->answer_time == 30 && b->target == 0.9 && b->max_occupancy == 1.0 && b->patience == 120);
	assert_int_equal(b->min_agents, 2);
	assert_true(b->shrinkage == 0.25);
	assert_string_equal(f->t.rows[0].skill, "");
}

static void test_quoting_crlf_bom_and_blank_lines(void **state)
{
	struct fx *f = *state;
	parse_ok(f, "\xEF\xBB\xBFqueue,start,contacts,aht\r\n"
	            "\r\n"
	            "\"Hotline, 1st level\",\"2026-03-02T08:00\",100,180\r\n"
	            "  \"Say \"\"hi\"\"\"  ,\"a\nb\", 5 ,60\r\n"
	            "\n"
	            "last,x,1,60");
	assert_int_equal(f->t.n_rows, 3);
	assert_string_equal(f->t.rows[0].queue, "Hotline, 1st level");
	assert_int_equal(f->t.rows[0].line, 3);
	assert_string_equal(f->t.rows[1].queue, "Say \"hi\"");
	assert_string_equal(f->t.rows[1].start, "a\nb");
	assert_true(f->t.inputs[1].contacts == 5);
	assert_int_equal(f->t.rows[2].line, 7); /* the quoted newline counts */
}

static void test_semicolons_with_decimal_commas(void **state)
{
	struct fx *f = *state;
	parse_ok(f, "queue;start;contacts;aht;target;shrinkage\nA;08:00;100;180,5;0,85;0,3\n");
	assert_true(f->t.inputs[0].aht == 180.5);
	assert_true(f->t.inputs[0].target == 0.85);
	assert_true(f->t.inputs[0].shrinkage == 0.3);
}

static void test_deferred_rows_from_the_file(void **state)
{
	struct fx *f = *state;
	parse_ok(f, "queue,channel,start,contacts,aht,response_time,interval\n"
	            "Mail,deferred,08:00,30,600,0,3600\n"
	            "Mail,deferred,09:00,9,600,0,3600\n"
	            "Hotline,voice,08:00,100,180,,1800\n");
	assert_int_equal(f->t.n_queues, 2);
	assert_int_equal(f->t.queues[0].channel, STAFFING_DEFERRED);
	struct staffing_result out[3];
	assert_int_equal(intervals_plan(&f->t, out, &f->e), 0);
	assert_int_equal(out[0].agents, 5);
	assert_int_equal(out[1].agents, 2);
	assert_int_equal(out[2].agents, 14);
}

/* `leitstand forecast --format csv` writes start,volume: a forecast file as it is */
static void test_the_csv_of_a_forecast_is_a_forecast_file(void **state)
{
	struct fx *f = *state;
	f->defaults.aht = 180;
	parse_ok(f, "start,volume\n"
	            "2026-03-02T08:00:00+01:00,12.5\n"
	            "2026-03-02T08:30:00+01:00,0\n");
	assert_int_equal(f->t.n_rows, 2);
	assert_int_equal(f->t.n_queues, 1);
	assert_string_equal(f->t.rows[0].start, "2026-03-02T08:00:00+01:00");
	assert_true(f->t.inputs[0].contacts == 12.5);
	assert_true(f->t.inputs[1].contacts == 0.0);
	parse_fails(f, "start,volume,contacts\n", -EINVAL, "contacts", "appears twice");
}

static void test_errors_name_line_and_column(void **state)
{
	struct fx *f = *state;
	parse_fails(f, "", -EINVAL, "", "header row is required");
	parse_fails(f, "queue,contacts,aht,colour\nA,1,2,red\n", -EINVAL, "colour", "unknown column 'colour'");
	parse_fails(f, "queue,contacts,calls,aht\n", -EINVAL, "calls", "appears twice");
	parse_fails(f, "queue,aht\nA,180\n", -EINVAL, "contacts", "no contacts column");
	parse_fails(f, "queue,contacts,aht\nA,1,180\nB,2\n", -EINVAL, "", "line 3: 2 fields, the header has 3");
	parse_fails(f, "queue,contacts,aht\nA,1,180,9\n", -EINVAL, "", "line 2: more fields");
	parse_fails(f, "queue,contacts,aht\nA,1,abc\n", -EINVAL, "aht", "line 2: aht 'abc' is not a number");
	parse_fails(f, "queue,contacts,aht\nA,1,0x10\n", -EINVAL, "aht", "not a number");
	parse_fails(f, "queue,contacts,aht\nA,1,nan\n", -EINVAL, "aht", "not a number");
	parse_fails(f, "queue,contacts,aht\nA,-5,180\n", -EINVAL, "contacts", "line 2: contacts must be");
	parse_fails(f, "queue,contacts,aht,target\nA,5,180,1\n", -EINVAL, "target", "line 2: target 1 cannot be met");
	parse_fails(f, "queue,contacts\nA,5\n", -EINVAL, "aht", "line 2: aht is required");
	parse_fails(f, "queue,contacts,aht,channel\nA,5,180,email\n", -EINVAL, "channel", "line 2: channel 'email'");
	parse_fails(f, "queue,contacts,aht,min_agents\nA,5,180,1.5\n", -EINVAL, "min_agents", "whole number");
	parse_fails(f, "queue,contacts,aht\nA\xff,5,180\n", -EINVAL, "queue", "line 2: queue is not valid UTF-8");
	parse_fails(f, "queue,start,contacts,aht\nA,\xed\xa0\x80,5,180\n", -EINVAL, "start", "not valid UTF-8");
	parse_fails(f, "queue,contacts,aht\n\xc3\xa4\xe2\x82\xac,5,180\nB,5,180,\n", -EINVAL, "",
	            "line 3: more fields");
	parse_fails(f,
	            "queue,skill,channel,start,contacts,aht,interval,target,answer_time,max_occupancy,max_asa,"
	            "patience,max_abandon,response_time,shrinkage,min_agents,queue,x,y\n",
	            -EINVAL, "queue", "line 1: column 'queue' appears twice");
	parse_fails(f, "queue,contacts,aht\n\"A,5,180\n", -EINVAL, "", "line 2: unterminated quote");
	parse_fails(f, "queue,contacts,aht\n\"A\"x,5,180\n", -EINVAL, "", "text after a closing quote");
	parse_fails(f, "queue,contacts,aht\nA\"b,5,180\n", -EINVAL, "", "quote inside an unquoted field");
	parse_fails(f, "queue,channel,contacts,aht,response_time\nA,voice,5,180,\nB,voice,1,1,\nA,deferred,5,180,60\n",
	            -EINVAL, "channel", "line 4: channel deferred differs from line 2 of queue 'A'");
	parse_fails(f,
	            "queue,channel,contacts,aht,response_time,interval\nM,deferred,5,180,60,900\nM,deferred,5,180,60,"
	            "1800\n",
	            -EINVAL, "interval", "line 3: interval 1800 s differs from line 2");
}

static void test_size_limits(void **state)
{
	struct fx *f = *state;
	size_t n = LS_MAX_STAFFING_FIELD_BYTES + 64;
	char *csv = xcalloc(n + 64, 1);
	memcpy(csv, "queue,contacts,aht\n", 19);
	memset(csv + 19, 'x', LS_MAX_STAFFING_FIELD_BYTES + 1);
	memcpy(csv + 19 + LS_MAX_STAFFING_FIELD_BYTES + 1, ",1,2\n", 6);
	parse_fails(f, csv, -LS_ETOOLARGE, "", "longer than");
	/* exactly at the limit is fine */
	memset(csv + 19, 'x', LS_MAX_STAFFING_FIELD_BYTES);
	memcpy(csv + 19 + LS_MAX_STAFFING_FIELD_BYTES, ",1,2\n", 6);
	parse_ok(f, csv);
	xfree(csv);
	/* the byte limit is checked before reading anything */
	lserr_clear(&f->e);
	assert_int_equal(
	        intervals_parse_csv(&f->arena, "", (size_t)LS_MAX_STAFFING_FILE_BYTES + 1, &f->defaults, &f->t, &f->e),
	        -LS_ETOOLARGE);
}

static void test_input_need_not_be_terminated(void **state)
{
	struct fx *f = *state;
	const char csv[] = "queue,contacts,aht\nA,1,60\nB,2,60\nGARBAGE";
	lserr_clear(&f->e);
	assert_int_equal(intervals_parse_csv(&f->arena, csv, strlen(csv) - 7, &f->defaults, &f->t, &f->e), 0);
	assert_int_equal(f->t.n_rows, 2);
	assert_string_equal(f->t.rows[1].queue, "B");
}

static void test_plan_errors_name_the_line(void **state)
{
	struct fx *f = *state;
	parse_ok(f, "queue,contacts,aht,max_asa\nA,100,180,\nB,100,180,\nA,100000000,180,\n");
	struct staffing_result out[3];
	lserr_clear(&f->e);
	assert_int_equal(intervals_plan(&f->t, out, &f->e), -ERANGE);
	if (strncmp(f->e.message, "line 4: ", 8) != 0)
		fail_msg("message '%s'", f->e.message);
	assert_string_equal(f->e.field, "contacts");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_rows_are_grouped_by_queue_in_order_of_appearance, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_columns_override_defaults_and_empty_cells_keep_them, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_quoting_crlf_bom_and_blank_lines, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_semicolons_with_decimal_commas, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_deferred_rows_from_the_file, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_the_csv_of_a_forecast_is_a_forecast_file, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_errors_name_line_and_column, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_size_limits, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_input_need_not_be_terminated, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_plan_errors_name_the_line, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
