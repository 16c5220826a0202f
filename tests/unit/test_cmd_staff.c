/* Tests for cli/cmd_staff.c: the exact command lines of the acceptance checks and
 * their JSON (key order, "load":10.0 as a real, values that round-trip to the engine's
 * doubles), Erlang A adding prob_abandon, text and CSV output, a forecast file with
 * totals per start, and bad input naming the option with exit 2. Runs the command
 * in-process with stdout and stderr redirected to temporary files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "wfm/staffing.h"

struct out {
	int rc;
	char stdout_text[65536];
	char stderr_text[4096];
};

static void slurp(FILE *f, char *buf, size_t n)
{
	rewind(f);
	size_t got = fread(buf, 1, n - 1, f);
	buf[got] = '\0';
	fclose(f);
}

static struct out *run_v(char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	struct out *o = xcalloc(1, sizeof(*o));
	fflush(stdout);
	fflush(stderr);
	FILE *fo = tmpfile(), *fe = tmpfile();
	assert_non_null(fo);
	assert_non_null(fe);
	int so = dup(1), se = dup(2);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	o->rc = cmd_staff(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	slurp(fo, o->stdout_text, sizeof(o->stdout_text));
	slurp(fe, o->stderr_text, sizeof(o->stderr_text));
	return o;
}
#define run(...) run_v((char *[]){"staff", __VA_ARGS__, NULL})

static void expect_usage_error(struct out *o, const char *mention)
{
	if (o->rc != EXIT_USAGE || !strstr(o->stderr_text, mention))
		fail_msg("rc %d, stderr '%s': want exit 2 mentioning '%s'", o->rc, o->stderr_text, mention);
	assert_string_equal(o->stdout_text, "");
	xfree(o);
}

static double real_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_real(v))
		fail_msg("%s is not a JSON real", key);
	return json_real_value(v);
}

static void test_the_acceptance_line_in_json(void **state)
{
	(void)state;
	struct out *o = run("--calls", "100", "--interval", "1800", "--aht", "180", "--target", "0.8", "--answer-time",
	                    "20", "--shrinkage", "0.3", "--max-occupancy", "0.85", "--format", "json");
	assert_int_equal(o->rc, 0);
	const char *prefix = "{\"load\":10.0,\"agents\":14,\"scheduled\":20,\"service_level\":0.888";
	if (strncmp(o->stdout_text, prefix, strlen(prefix)) != 0)
		fail_msg("output '%s'", o->stdout_text);
	assert_non_null(strstr(o->stdout_text, ",\"prob_wait\":0.174"));
	assert_non_null(strstr(o->stdout_text, ",\"asa\":7.83"));
	assert_non_null(strstr(o->stdout_text, ",\"occupancy\":0.714"));
	assert_null(strstr(o->stdout_text, "prob_abandon"));
	assert_true(o->stdout_text[strlen(o->stdout_text) - 2] == '}');

	/* the printed doubles are the engine's doubles */
	struct staffing_input in;
	staffing_input_init(&in);
	in.contacts = 100;
	in.interval = 1800;
	in.aht = 180;
	in.target = 0.8;
	in.answer_time = 20;
	in.shrinkage = 0.3;
	in.max_occupancy = 0.85;
	struct staffing_result r;
	struct lserr e;
	assert_int_equal(staffing_voice(&in, &r, &e), 0);
	json_t *j = json_loads(o->stdout_text, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), 7);
	assert_true(real_of(j, "load") == 10.0);
	assert_int_equal(json_integer_value(json_object_get(j, "agents")), 14);
	assert_int_equal(json_integer_value(json_object_get(j, "scheduled")), 20);
	assert_true(real_of(j, "service_level") == r.service_level);
	assert_true(real_of(j, "prob_wait") == r.prob_wait);
	assert_true(real_of(j, "asa") == r.asa);
	assert_true(real_of(j, "occupancy") == r.occupancy);
	json_decref(j);
	xfree(o);

	/* without --shrinkage scheduled = agents */
	o = run("--calls", "100", "--interval", "1800", "--aht", "180", "--target", "0.8", "--answer-time", "20",
	        "--format", "json");
	assert_int_equal(o->rc, 0);
	assert_non_null(strstr(o->stdout_text, "\"agents\":14,\"scheduled\":14,"));
	xfree(o);
}

static void test_patience_adds_prob_abandon_last(void **state)
{
	(void)state;
	struct out *o =
	        run("--calls", "100", "--interval", "1800", "--aht", "180", "--target", "0.8", "--answer-time", "20",
	            "--shrinkage", "0.3", "--max-occupancy", "0.85", "--patience", "120", "--format", "json");
	assert_int_equal(o->rc, 0);
	json_t *j = json_loads(o->stdout_text, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), 8);
	assert_true(real_of(j, "prob_abandon") > 0.0);
	assert_true(real_of(j, "load") == 10.0);
	json_decref(j);
	assert_non_null(strstr(o->stdout_text, ",\"prob_abandon\":"));
	assert_non_null(strstr(o->stdout_text, "}\n"));
	const char *k = strstr(o->stdout_text, "\"prob_abandon\"");
	assert_null(strchr(k, ',')); /* the last key */
	xfree(o);
	/* the published Erlang A example: 13 agents, 19 heads */
	o = run("--calls", "100", "--interval", "1800", "--aht", "180", "--target", "0.8", "--answer-time", "20",
	        "--shrinkage", "0.3", "--max-occupancy", "0.85", "--patience", "300", "--max-abandon", "0.05",
	        "--format", "json");
	assert_int_equal(o->rc, 0);
	assert_non_null(strstr(o->stdout_text, "\"agents\":13,\"scheduled\":19,"));
	xfree(o);
}

static void test_text_is_the_default_and_csv_on_request(void **state)
{
	(void)state;
	struct out *o = run("--calls", "100", "--interval", "1800", "--aht", "180", "--target", "0.8", "--answer-time",
	                    "20", "--shrinkage", "0.3");
	assert_int_equal(o->rc, 0);
	assert_non_null(strstr(o->stdout_text, "agents          14\n"));
	assert_non_null(strstr(o->stdout_text, "scheduled       20 (shrinkage 30 %)\n"));
	assert_non_null(strstr(o->stdout_text, "Erlang C"));
	xfree(o);
	o = run("--calls", "100", "--interval", "1800", "--aht", "180", "--target", "0.8", "--answer-time", "20",
	        "--format", "csv");
	assert_int_equal(o->rc, 0);
	assert_non_null(strstr(o->stdout_text, "load,agents,scheduled,occupancy,service_level,"));
	assert_non_null(strstr(o->stdout_text, "\n10,14,14,"));
	xfree(o);
	o = run("--help");
	assert_int_equal(o->rc, 0);
	assert_non_null(strstr(o->stdout_text, "Usage: leitstand staff"));
	xfree(o);
}

static void test_bad_input_names_the_option(void **state)
{
	(void)state;
	expect_usage_error(
	        run("--calls", "abc", "--interval", "1800", "--aht", "180", "--target", "0.8", "--answer-time", "20"),
	        "--calls");
	expect_usage_error(
	        run("--calls", "100", "--interval", "1800", "--aht", "180", "--target", "1.5", "--answer-time", "20"),
	        "--target");
	expect_usage_error(
	        run("--calls", "100", "--interval", "1800", "--aht", "180", "--target", "1", "--answer-time", "20"),
	        "--target: target 1 cannot be met");
	expect_usage_error(run("--calls", "100", "--interval", "1800", "--target", "0.8", "--answer-time", "20"),
	                   "--aht is required");
	expect_usage_error(
	        run("--calls", "100", "--interval", "0", "--aht", "180", "--target", "0.8", "--answer-time", "20"),
	        "--interval");
	expect_usage_error(run("--calls", "100", "--interval", "1800", "--aht", "180", "--target", "0.8",
	                       "--answer-time", "20", "--shrinkage", "1"),
	                   "--shrinkage");
	expect_usage_error(run("--calls", "100", "--interval", "1800", "--aht", "180", "--target", "0.8",
	                       "--answer-time", "20", "--max-occupancy", "0"),
	                   "--max-occupancy");
	expect_usage_error(run("--calls", "100", "--interval", "1800", "--aht", "180", "--target", "0.8",
	                       "--answer-time", "20", "--patience", "0"),
	                   "--patience");
	expect_usage_error(
	        run("--calls", "100", "--interval", "1800", "--aht", "180", "--target", "0.8", "--answer-time", "-20"),
	        "--answer-time");
	expect_usage_error(run("--calls", "100", "--interval", "1800", "--aht", "180", "--target", "0.8",
	                       "--answer-time", "20", "--format", "xml"),
	                   "--format");
	expect_usage_error(run("--calls", "100", "--bogus"), "--bogus");
	expect_usage_error(run("--calls", "100", "--intervals", "x.csv"), "exclude each other");
	expect_usage_error(run("--calls", "100", "--interval", "1800", "--aht", "180", "--target", "0.8",
	                       "--answer-time", "20", "extra"),
	                   "unexpected argument 'extra'");
}

static void test_unreachable_targets_fail_with_exit_1(void **state)
{
	(void)state;
	struct out *o = run("--calls", "999900", "--interval", "1800", "--aht", "180", "--target", "0.8",
	                    "--answer-time", "20", "--max-asa", "1e-300");
	assert_int_equal(o->rc, EXIT_FAILURE);
	assert_non_null(strstr(o->stderr_text, "no staffing up to"));
	xfree(o);
}

static void test_forecast_file_with_totals(void **state)
{
	(void)state;
	char path[] = "/tmp/leitstand-staff-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char csv[] = "queue,skill,start,contacts,aht,channel,response_time\n"
	                   "Hotline,de,08:00,100,180,voice,\n"
	                   "Hotline,de,08:30,0,180,voice,\n"
	                   "Mail,de,08:00,20,540,deferred,0\n"
	                   "Mail,de,08:30,10,540,deferred,0\n";
	assert_int_equal(write(fd, csv, sizeof(csv) - 1), (ssize_t)(sizeof(csv) - 1));
	close(fd);
	struct out *o = run("--intervals", path, "--interval", "1800", "--target", "0.8", "--answer-time", "20",
	                    "--shrinkage", "0.3", "--format", "json");
	if (o->rc != 0)
		fail_msg("rc %d: %s", o->rc, o->stderr_text);
	json_t *j = json_loads(o->stdout_text, 0, NULL);
	assert_non_null(j);
	json_t *rows = json_object_get(j, "intervals"), *tot = json_object_get(j, "totals");
	assert_int_equal(json_array_size(rows), 4);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "agents")), 14);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 1), "agents")), 0);
	/* mail: 20 x 540 s = 6 agent-half-hours */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 2), "agents")), 6);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 3), "agents")), 3);
	assert_int_equal(json_array_size(tot), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(tot, 0), "start")), "08:00");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(tot, 0), "agents")), 20);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(tot, 0), "scheduled")), 20 + 9);
	json_decref(j);
	xfree(o);

	o = run("--intervals", path, "--interval", "1800", "--target", "0.8", "--answer-time", "20", "--format", "csv");
	assert_int_equal(o->rc, 0);
	assert_non_null(strstr(o->stdout_text, "queue,skill,channel,start,contacts,aht,load,agents,"));
	assert_non_null(strstr(o->stdout_text, "\nHotline,de,voice,08:00,100,180,10,14,14,"));
	xfree(o);
	o = run("--intervals", path, "--interval", "1800", "--target", "0.8", "--answer-time", "20");
	assert_int_equal(o->rc, 0);
	assert_non_null(strstr(o->stdout_text, "Hotline"));
	xfree(o);

	/* a file error names the file and the line */
	fd = open(path, O_WRONLY | O_TRUNC);
	const char bad[] = "queue,contacts,aht\nA,100,oops\n";
	assert_int_equal(write(fd, bad, sizeof(bad) - 1), (ssize_t)(sizeof(bad) - 1));
	close(fd);
	o = run("--intervals", path, "--interval", "1800", "--target", "0.8", "--answer-time", "20");
	assert_int_equal(o->rc, EXIT_USAGE);
	assert_non_null(strstr(o->stderr_text, "line 2: aht 'oops' is not a number"));
	xfree(o);
	unlink(path);
	o = run("--intervals", path);
	assert_int_equal(o->rc, EXIT_FAILURE);
	assert_non_null(strstr(o->stderr_text, path));
	xfree(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_the_acceptance_line_in_json),
	        cmocka_unit_test(test_patience_adds_prob_abandon_last),
	        cmocka_unit_test(test_text_is_the_default_and_csv_on_request),
	        cmocka_unit_test(test_bad_input_names_the_option),
	        cmocka_unit_test(test_unreachable_targets_fail_with_exit_1),
	        cmocka_unit_test(test_forecast_file_with_totals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
