/* leitstand staff: agents needed for a forecast, by Erlang C, Erlang A or the
 * deferred-work model. Room: cli.
 * Two forms: one interval from options (--calls ... --answer-time), or a forecast
 * file (--intervals FILE.csv, one row per queue and interval) with the options as
 * defaults for every row. No database. Invalid input is a usage error naming the
 * option (exit 2); targets no staffing can meet, or an unreadable file, exit 1.
 * Numbers in JSON and CSV are full double precision (%.17g), reals stay reals. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/limits.h"
#include "core/parse.h"
#include "core/strbuf.h"
#include "wfm/intervals.h"
#include "wfm/staffing.h"

static const char help[] =
        "Usage: leitstand staff --calls N --interval SECONDS --aht SECONDS --target SHARE --answer-time SECONDS\n"
        "                       [OPTIONS] [--format text|json|csv]\n"
        "       leitstand staff --intervals FILE [OPTIONS] [--format text|json|csv]\n\n"
        "Agents needed to answer a forecast. Voice (callers wait on the line) by Erlang C,\n"
        "or by Erlang A when callers hang up after --patience seconds on average; deferred\n"
        "work (e-mail, tickets) by workload within a response window. Durations are seconds,\n"
        "SHARE is a fraction (0.8 = 80 %). The agent search starts at floor(load) + 1.\n\n"
        "  --calls N            contacts arriving in the interval (also --contacts)\n"
        "  --interval SECONDS   length of the interval, e.g. 900, 1800, 3600\n"
        "  --aht SECONDS        average handle time (talk + hold + after-call work)\n"
        "  --target SHARE       service level: this share of calls answered ...\n"
        "  --answer-time SEC    ... within this many seconds (80/20: --target 0.8 --answer-time 20)\n"
        "  --shrinkage SHARE    paid time not available (breaks, training, absence);\n"
        "                       scheduled = ceil(agents / (1 - shrinkage)); default 0\n"
        "  --max-occupancy SHARE  at most this busy share per agent; default 1 (no cap)\n"
        "  --max-asa SECONDS    average speed of answer at most this; default no cap\n"
        "  --patience SECONDS   mean time callers wait before hanging up: Erlang A\n"
        "  --max-abandon SHARE  (Erlang A) at most this share of callers hang up\n"
        "  --min-agents N       never fewer agents (e.g. 1 for an open queue); default 0\n"
        "  --channel CHANNEL    voice (default) or deferred\n"
        "  --response-time SEC  (deferred) every contact answered within this window\n"
        "  --intervals FILE     forecast CSV ('-' for standard input): header row with columns\n"
        "                       queue, skill, channel, start, contacts (or calls), aht and any of\n"
        "                       the options above as columns (interval, target, answer_time, ...);\n"
        "                       options give the value for absent columns and empty cells;\n"
        "                       rows of one queue are consecutive intervals in time order\n"
        "  --format FMT         text (default), json or csv\n"
        "  --help               show this help\n\n"
        "JSON of one interval: {\"load\":10.0,\"agents\":14,\"scheduled\":20,\"service_level\":...,\n"
        "\"prob_wait\":...,\"asa\":...,\"occupancy\":...} (Erlang A adds \"prob_abandon\").\n"
        "Example: leitstand staff --calls 100 --interval 1800 --aht 180 --target 0.8 --answer-time 20 \\\n"
        "             --shrinkage 0.3                 # 14 agents, 20 scheduled\n"
        "See docs/wfm.md for the formulas and the file format.\n";

enum format { FMT_TEXT, FMT_JSON, FMT_CSV };

/* Option names by engine field, for messages. */
static const struct {
	const char *field, *option;
} options_by_field[] = {
        {"contacts", "--calls"},
        {"interval", "--interval"},
        {"aht", "--aht"},
        {"target", "--target"},
        {"answer_time", "--answer-time"},
        {"max_occupancy", "--max-occupancy"},
        {"max_asa", "--max-asa"},
        {"patience", "--patience"},
        {"max_abandon", "--max-abandon"},
        {"response_time", "--response-time"},
        {"shrinkage", "--shrinkage"},
        {"min_agents", "--min-agents"},
        {"channel", "--channel"},
};

static const char *option_for(const char *field)
{
	for (size_t i = 0; i < ELEMENTSOF(options_by_field); i++)
		if (strcmp(options_by_field[i].field, field) == 0)
			return options_by_field[i].option;
	return NULL;
}

/* One interval: an engine error names the option; invalid input exits 2, targets that
 * cannot be met exit 1. */
static int fail_single(const struct lserr *e)
{
	const char *opt = option_for(e->field);
	if (e->code && strcmp(e->code, "missing_field") == 0 && opt)
		return cli_usage("staff", "%s is required", opt);
	fprintf(stderr, "leitstand staff: %s%s%s\n", opt ? opt : "", opt ? ": " : "", e->message);
	if (e->hint[0])
		fprintf(stderr, "hint: %s\n", e->hint);
	return e->rc == -EINVAL ? EXIT_USAGE : EXIT_FAILURE;
}

static int fail_file(const char *path, const struct lserr *e)
{
	fprintf(stderr, "leitstand staff: %s: %s\n", path, e->message);
	if (e->hint[0])
		fprintf(stderr, "hint: %s\n", e->hint);
	return e->rc == -EINVAL || e->rc == -LS_ETOOLARGE ? EXIT_USAGE : EXIT_FAILURE;
}

static int number(const char *opt, const char *s, double *ret)
{
	if (parse_double(s, -HUGE_VAL, HUGE_VAL, ret) < 0)
		return cli_usage("staff", "%s: '%s' is not a number", opt, s);
	return 0;
}

static void csv_text(const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static void csv_num(double v)
{
	printf(",%.17g", v);
}

static bool is_voice(const struct staffing_result *r)
{
	return r->channel == STAFFING_VOICE;
}

/* The result fields of one interval, in the documented order (shared with the API). */
static void json_result(json_t *o, const struct staffing_result *r)
{
	staffing_result_to_json(r, o);
}

static void json_print(json_t *o)
{
	json_dumpf(o, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(o);
}

static const char csv_result_header[] = "load,agents,scheduled,occupancy,service_level,prob_wait,asa,prob_abandon,"
                                        "workload,due,backlog";

/* CSV cells of csv_result_header; empty where not applicable. */
static void csv_result(const struct staffing_result *r)
{
	printf("%.17g,%d,%d", r->load, r->agents, r->scheduled);
	csv_num(r->occupancy);
	if (is_voice(r)) {
		csv_num(r->service_level);
		csv_num(r->prob_wait);
		csv_num(r->asa);
		if (r->erlang_a)
			csv_num(r->prob_abandon);
		else
			fputs(",", stdout);
		fputs(",,,", stdout);
	} else {
		fputs(",,,,", stdout);
		csv_num(r->workload);
		csv_num(r->due);
		csv_num(r->backlog);
	}
}

static void text_single(const struct staffing_input *in, const struct staffing_result *r)
{
	printf("load            %.4g Erlangs\n", r->load);
	printf("agents          %d\n", r->agents);
	if (in->shrinkage > 0.0)
		printf("scheduled       %d (shrinkage %.4g %%)\n", r->scheduled, in->shrinkage * 100.0);
	else
		printf("scheduled       %d\n", r->scheduled);
	if (is_voice(r)) {
		printf("service level   %.1f %% within %g s (target %.4g %%)\n", r->service_level * 100.0,
		       in->answer_time, in->target * 100.0);
		printf("waiting         %.1f %% of calls\n", r->prob_wait * 100.0);
		printf("ASA             %.1f s\n", r->asa);
		printf("occupancy       %.1f %%\n", r->occupancy * 100.0);
		if (r->erlang_a)
			printf("abandoned       %.1f %% of calls\n", r->prob_abandon * 100.0);
		printf("model           Erlang %s\n", r->erlang_a ? "A" : "C");
	} else {
		printf("occupancy       %.1f %%\n", r->occupancy * 100.0);
		printf("workload        %.0f s\n", r->workload);
		printf("backlog         %.0f s of work\n", r->backlog);
		printf("model           deferred work, response within %g s\n", in->response_time);
	}
}

static int run_single(const struct staffing_input *in, enum format fmt)
{
	struct lserr e;
	lserr_clear(&e);
	struct staffing_result r;
	size_t failed;
	if (staffing_plan(in, 1, &r, &failed, &e) < 0)
		return fail_single(&e);
	if (fmt == FMT_JSON) {
		json_t *o = json_object();
		json_result(o, &r);
		json_print(o);
	} else if (fmt == FMT_CSV) {
		printf("%s\n", csv_result_header);
		csv_result(&r);
		putchar('\n');
	} else {
		text_single(in, &r);
	}
	return 0;
}

/* Reads a whole file (or stdin for "-") of at most LS_MAX_STAFFING_FILE_BYTES. */
static int read_all(const char *path, char **ret, size_t *ret_len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return cli_failf("staff", "%s: %s", path, strerror(errno));
	struct strbuf sb = STRBUF_INIT_MAX(LS_MAX_STAFFING_FILE_BYTES);
	char buf[65536];
	size_t n;
	int r = 0;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (strbuf_add(&sb, buf, n) < 0) {
			r = cli_usage("staff", "%s: larger than %d bytes", path, LS_MAX_STAFFING_FILE_BYTES);
			break;
		}
	if (r == 0 && ferror(f))
		r = cli_failf("staff", "%s: read error", path);
	if (f != stdin)
		fclose(f);
	if (r) {
		strbuf_release(&sb);
		return r;
	}
	*ret = strbuf_detach(&sb, ret_len);
	return 0;
}

struct total {
	const char *start;
	long agents, scheduled;
};

static int by_start(const void *a, const void *b)
{
	return strcmp(((const struct total *)a)->start, ((const struct total *)b)->start);
}

/* Sums per start label, sorted by label; returns the count, totals in *ret (xfree). */
static size_t totals(const struct intervals_table *t, const struct staffing_result *res, struct total **ret)
{
	struct total *v = xcalloc(t->n_rows ? t->n_rows : 1, sizeof(*v));
	for (size_t i = 0; i < t->n_rows; i++)
		v[i] = (struct total){t->rows[i].start, res[i].agents, res[i].scheduled};
	qsort(v, t->n_rows, sizeof(*v), by_start);
	size_t n = 0;
	for (size_t i = 0; i < t->n_rows; i++) {
		if (n > 0 && strcmp(v[n - 1].start, v[i].start) == 0) {
			v[n - 1].agents += v[i].agents;
			v[n - 1].scheduled += v[i].scheduled;
		} else {
			v[n++] = v[i];
		}
	}
	*ret = v;
	return n;
}

static void print_intervals(const struct intervals_table *t, const struct staffing_result *res, enum format fmt)
{
	struct total *tot;
	size_t ntot = totals(t, res, &tot);
	if (fmt == FMT_JSON) {
		json_t *rows = json_array(), *sums = json_array();
		for (size_t i = 0; i < t->n_rows; i++) {
			const struct intervals_row *row = &t->rows[i];
			const struct staffing_input *in = &t->inputs[i];
			json_t *o = json_object();
			json_object_set_new(o, "queue", json_string(row->queue));
			json_object_set_new(o, "skill", json_string(row->skill));
			json_object_set_new(o, "channel", json_string(staffing_channel_to_string(in->channel)));
			json_object_set_new(o, "start", json_string(row->start));
			json_object_set_new(o, "contacts", json_real(in->contacts));
			json_object_set_new(o, "aht", json_real(in->aht));
			json_result(o, &res[i]);
			json_array_append_new(rows, o);
		}
		for (size_t i = 0; i < ntot; i++)
			json_array_append_new(sums, json_pack("{s:s,s:I,s:I}", "start", tot[i].start, "agents",
			                                      (json_int_t)tot[i].agents, "scheduled",
			                                      (json_int_t)tot[i].scheduled));
		json_print(json_pack("{s:o,s:o}", "intervals", rows, "totals", sums));
	} else if (fmt == FMT_CSV) {
		printf("queue,skill,channel,start,contacts,aht,%s\n", csv_result_header);
		for (size_t i = 0; i < t->n_rows; i++) {
			csv_text(t->rows[i].queue);
			putchar(',');
			csv_text(t->rows[i].skill);
			printf(",%s,", staffing_channel_to_string(t->inputs[i].channel));
			csv_text(t->rows[i].start);
			csv_num(t->inputs[i].contacts);
			csv_num(t->inputs[i].aht);
			putchar(',');
			csv_result(&res[i]);
			putchar('\n');
		}
	} else {
		printf("%-12s %-10s %-20s %-8s %9s %7s %8s %6s %6s %7s %8s %6s %9s\n", "queue", "skill", "start",
		       "channel", "contacts", "aht", "load", "agents", "heads", "SL %", "ASA s", "occ %", "backlog h");
		for (size_t i = 0; i < t->n_rows; i++) {
			const struct staffing_result *r = &res[i];
			printf("%-12s %-10s %-20s %-8s %9.6g %7.6g %8.2f %6d %6d ", t->rows[i].queue, t->rows[i].skill,
			       t->rows[i].start, staffing_channel_to_string(t->inputs[i].channel),
			       t->inputs[i].contacts, t->inputs[i].aht, r->load, r->agents, r->scheduled);
			if (is_voice(r))
				printf("%7.1f %8.1f %6.1f %9s\n", r->service_level * 100.0, r->asa,
				       r->occupancy * 100.0, "-");
			else
				printf("%7s %8s %6.1f %9.2f\n", "-", "-", r->occupancy * 100.0, r->backlog / 3600.0);
		}
		printf("\n%-20s %8s %8s\n", "start", "agents", "heads");
		for (size_t i = 0; i < ntot; i++)
			printf("%-20s %8ld %8ld\n", tot[i].start, tot[i].agents, tot[i].scheduled);
	}
	xfree(tot);
}

static int run_intervals(const char *path, const struct staffing_input *defaults, enum format fmt)
{
	char *text;
	size_t len;
	int r = read_all(path, &text, &len);
	if (r)
		return r;
	struct arena a;
	arena_init(&a);
	struct lserr e;
	lserr_clear(&e);
	struct intervals_table t;
	if (intervals_parse_csv(&a, text, len, defaults, &t, &e) < 0) {
		r = fail_file(path, &e);
		goto out;
	}
	struct staffing_result *res = arena_alloc(&a, (t.n_rows ? t.n_rows : 1) * sizeof(*res));
	if (intervals_plan(&t, res, &e) < 0) {
		r = fail_file(path, &e);
		goto out;
	}
	print_intervals(&t, res, fmt);
out:
	arena_release(&a);
	xfree(text);
	return r;
}

int cmd_staff(int argc, char **argv)
{
	enum {
		O_CALLS = 256,
		O_INTERVAL,
		O_AHT,
		O_TARGET,
		O_ANSWER,
		O_SHRINK,
		O_MAXOCC,
		O_MAXASA,
		O_PATIENCE,
		O_MAXABANDON,
		O_MINAGENTS,
		O_CHANNEL,
		O_RESPONSE,
		O_INTERVALS,
		O_FORMAT,
		O_HELP
	};
	static const struct option opts[] = {
	        {"calls", required_argument, NULL, O_CALLS},
	        {"contacts", required_argument, NULL, O_CALLS},
	        {"interval", required_argument, NULL, O_INTERVAL},
	        {"aht", required_argument, NULL, O_AHT},
	        {"target", required_argument, NULL, O_TARGET},
	        {"answer-time", required_argument, NULL, O_ANSWER},
	        {"shrinkage", required_argument, NULL, O_SHRINK},
	        {"max-occupancy", required_argument, NULL, O_MAXOCC},
	        {"max-asa", required_argument, NULL, O_MAXASA},
	        {"patience", required_argument, NULL, O_PATIENCE},
	        {"max-abandon", required_argument, NULL, O_MAXABANDON},
	        {"min-agents", required_argument, NULL, O_MINAGENTS},
	        {"channel", required_argument, NULL, O_CHANNEL},
	        {"response-time", required_argument, NULL, O_RESPONSE},
	        {"intervals", required_argument, NULL, O_INTERVALS},
	        {"format", required_argument, NULL, O_FORMAT},
	        {"help", no_argument, NULL, O_HELP},
	        {NULL, 0, NULL, 0},
	};
	struct staffing_input in;
	staffing_input_init(&in);
	const char *intervals = NULL;
	bool have_calls = false;
	enum format fmt = FMT_TEXT;
	int c, r = 0, ch;
	optind = 1;
	opterr = 0;
	while (r == 0 && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_CALLS:
			r = number("--calls", optarg, &in.contacts);
			have_calls = true;
			break;
		case O_INTERVAL: r = number("--interval", optarg, &in.interval); break;
		case O_AHT: r = number("--aht", optarg, &in.aht); break;
		case O_TARGET: r = number("--target", optarg, &in.target); break;
		case O_ANSWER: r = number("--answer-time", optarg, &in.answer_time); break;
		case O_SHRINK: r = number("--shrinkage", optarg, &in.shrinkage); break;
		case O_MAXOCC: r = number("--max-occupancy", optarg, &in.max_occupancy); break;
		case O_MAXASA: r = number("--max-asa", optarg, &in.max_asa); break;
		case O_PATIENCE:
			r = number("--patience", optarg, &in.patience);
			if (r == 0 && !(in.patience > 0.0))
				r = cli_usage("staff", "--patience must be a number of seconds > 0, not '%s'", optarg);
			break;
		case O_MAXABANDON: r = number("--max-abandon", optarg, &in.max_abandon); break;
		case O_MINAGENTS:
			if (parse_int(optarg, 0, LS_MAX_STAFFING_AGENTS, &in.min_agents) < 0)
				r = cli_usage("staff", "--min-agents: '%s' is not a whole number 0 to %d", optarg,
				              LS_MAX_STAFFING_AGENTS);
			break;
		case O_CHANNEL:
			if ((ch = staffing_channel_from_string(optarg)) < 0)
				r = cli_usage("staff", "--channel must be voice or deferred, not '%s'", optarg);
			else
				in.channel = (enum staffing_channel)ch;
			break;
		case O_RESPONSE: r = number("--response-time", optarg, &in.response_time); break;
		case O_INTERVALS: intervals = optarg; break;
		case O_FORMAT:
			if (strcmp(optarg, "text") == 0)
				fmt = FMT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				fmt = FMT_JSON;
			else if (strcmp(optarg, "csv") == 0)
				fmt = FMT_CSV;
			else
				r = cli_usage("staff", "--format must be text, json or csv, not '%s'", optarg);
			break;
		case O_HELP: fputs(help, stdout); return 0;
		default: r = cli_usage("staff", "unknown or incomplete option '%s'", argv[optind - 1]); break;
		}
	}
	if (r)
		return r;
	if (optind < argc)
		return cli_usage("staff", "unexpected argument '%s'", argv[optind]);
	if (intervals) {
		if (have_calls)
			return cli_usage("staff",
			                 "--calls and --intervals exclude each other: the file gives the contacts");
		return run_intervals(intervals, &in, fmt);
	}
	if (in.channel == STAFFING_VOICE && !isnan(in.response_time))
		return cli_usage("staff", "--response-time belongs to --channel deferred");
	return run_single(&in, fmt);
}
