/* leitstand shifts plan: a cost-minimal shift plan for required agents per interval,
 * rostered to named agents under the Arbeitszeitgesetz. Room: cli.
 * Reads three files (requirements CSV, templates JSON, agents JSON), runs the wfm
 * engine with CBC (or the greedy alone with --solver greedy) and prints JSON, CSV or
 * iCalendar. No database. Invalid input exits 2 with the file, line or JSON path and
 * field; an unreadable file or a failed run exits 1. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/limits.h"
#include "core/parse.h"
#include "core/strbuf.h"
#include "core/timeutil.h"
#include "wfm/shiftplan.h"
#include "wfm/shifts_cbc.h"

static const char help[] =
        "Usage: leitstand shifts plan --requirements FILE.csv --templates FILE.json --agents FILE.json\n"
        "                             --from DATE --days N [--format json|csv|ics] [OPTIONS]\n\n"
        "Plans the cheapest set of shifts that covers the agents required per interval (an\n"
        "integer programme solved by CBC, with a greedy plan as start and fallback), then\n"
        "gives the shifts to named agents under the Arbeitszeitgesetz: at most 8 h of work a\n"
        "day (10 h while the average stays at 8 h), breaks of 30 min after 6 h and 45 min\n"
        "after 9 h, 11 h of rest, Sundays and public holidays of the place of work only where\n"
        "the contract allows. Shifts nobody may lawfully take are reported as uncovered.\n\n"
        "  --requirements FILE  CSV: start, required[, skill (or queue)][, interval]\n"
        "  --templates FILE     JSON: [{\"name\", \"start\": \"06:00\", \"length\": \"8h30m\",\n"
        "                       \"breaks\": [{\"after\": \"4h\", \"length\": \"30m\"}], \"days\": \"mon-fri\",\n"
        "                       \"cost\", \"skills\"}]\n"
        "  --agents FILE        JSON: [{\"name\", \"skills\", \"place_of_work\": \"DE-NW\",\n"
        "                       \"contract\": {\"weekly_hours\", \"sundays\", \"holidays\"},\n"
        "                       \"availability\": \"mon-fri 06:00-22:00\", \"absent\": [dates]}]\n"
        "  --from DATE          first day of the plan (YYYY-MM-DD, local)\n"
        "  --days N             days to plan, 1 to 366\n"
        "  --format FMT         json (default): shifts, roster, coverage, violations, solver, cost;\n"
        "                       csv: one row per assigned shift;\n"
        "                       ics: one iCalendar (VCALENDAR) per agent with shifts\n"
        "  --out DIR            with ics: write DIR/<agent>.ics per agent instead of all\n"
        "                       calendars one after another to standard output\n"
        "  --tz ZONE            time zone of the plan and of local times (default Europe/Berlin)\n"
        "  --interval SECONDS   length of a requirement row without an interval column\n"
        "                       (default: the smallest step between the rows' starts)\n"
        "  --time-limit SECONDS wall-clock time for the solver (default 10); when it finds\n"
        "                       nothing in time the greedy plan is used and the output says so\n"
        "  --solver NAME        cbc (default) or greedy\n"
        "  --help               show this help\n\n"
        "Exit status: 0 a plan was made (look at summary.uncovered_shifts and violations);\n"
        "1 a file cannot be read or written; 2 invalid options or input.\n"
        "See docs/wfm.md, \"Shift plans\", for the file formats and the output.\n";

enum format { FMT_JSON, FMT_CSV, FMT_ICS };

static int read_file(const char *path, char **ret, size_t *ret_len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return cli_failf("shifts", "%s: %s", path, strerror(errno));
	struct strbuf sb = STRBUF_INIT_MAX(LS_MAX_SHIFT_FILE_BYTES);
	char buf[65536];
	size_t n;
	int r = 0;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (strbuf_add(&sb, buf, n) < 0) {
			r = cli_usage("shifts", "%s: larger than %d bytes", path, LS_MAX_SHIFT_FILE_BYTES);
			break;
		}
	if (r == 0 && ferror(f))
		r = cli_failf("shifts", "%s: read error", path);
	if (f != stdin)
		fclose(f);
	if (r) {
		strbuf_release(&sb);
		return r;
	}
	*ret = strbuf_detach(&sb, ret_len);
	return 0;
}

/* An input error: the file, then the engine's message (line or JSON path and field). */
static int bad_input(const char *path, const struct lserr *e)
{
	fprintf(stderr, "leitstand shifts: %s: %s\n", path, e->message);
	if (e->hint[0])
		fprintf(stderr, "hint: %s\n", e->hint);
	return EXIT_USAGE;
}

static int load_json(const char *path, struct shiftplan *p,
                     int (*feed)(struct shiftplan *, json_t *, const char *, struct lserr *), const char *what)
{
	char *text;
	size_t len;
	int r = read_file(path, &text, &len);
	if (r)
		return r;
	struct lserr e;
	lserr_clear(&e);
	json_t *v = NULL;
	if (shiftplan_parse_json(text, len, &v, &e) < 0 || feed(p, v, what, &e) < 0)
		r = bad_input(path, &e);
	json_decref(v);
	xfree(text);
	return r;
}

/* A file name for an agent: letters, digits, '-', '_' and '.' kept, the rest '_'. */
static void slug(const char *name, char *buf, size_t n)
{
	size_t k = 0;
	for (const char *c = name; *c && k + 1 < n; c++) {
		bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		          *c == '-' || *c == '_' || (*c == '.' && k > 0);
		buf[k++] = ok ? *c : '_';
	}
	buf[k] = '\0';
	if (k == 0)
		snprintf(buf, n, "agent");
}

static int write_ics(const struct shiftplan *p, const struct shiftplan_result *res, const char *dir)
{
	ls_time now = time_now();
	if (dir && mkdir(dir, 0777) < 0 && errno != EEXIST)
		return cli_failf("shifts", "%s: %s", dir, strerror(errno));
	size_t written = 0;
	char **names = xcalloc(p->n_agents ? p->n_agents : 1, sizeof(*names));
	int r = 0;
	for (size_t a = 0; a < p->n_agents && r == 0; a++) {
		struct strbuf sb = STRBUF_INIT_MAX(LS_STRBUF_DEFAULT_MAX);
		int w = shiftplan_ics(p, res, a, now, &sb);
		if (w < 0)
			r = cli_failf("shifts", "calendar of %s: too large", p->agents[a].a.name);
		else if (w > 0 && !dir)
			fwrite(sb.buf, 1, sb.len, stdout);
		else if (w > 0) {
			char base[128], path[4096];
			slug(p->agents[a].a.name, base, sizeof(base));
			/* two names with the same slug get numbered files */
			char unique[160];
			snprintf(unique, sizeof(unique), "%s", base);
			for (int k = 2;; k++) {
				bool taken = false;
				for (size_t i = 0; i < written && !taken; i++)
					taken = strcmp(names[i], unique) == 0;
				if (!taken)
					break;
				snprintf(unique, sizeof(unique), "%s-%d", base, k);
			}
			names[written++] = xstrdup(unique);
			snprintf(path, sizeof(path), "%s/%s.ics", dir, unique);
			FILE *f = fopen(path, "wb");
			if (!f || fwrite(sb.buf, 1, sb.len, f) != sb.len || fclose(f) != 0) {
				r = cli_failf("shifts", "%s: %s", path, strerror(errno));
				if (f)
					fclose(f);
			}
		}
		strbuf_release(&sb);
	}
	if (dir && r == 0)
		fprintf(stderr, "leitstand shifts: wrote %zu calendar%s to %s\n", written, written == 1 ? "" : "s",
		        dir);
	for (size_t i = 0; i < written; i++)
		xfree(names[i]);
	xfree(names);
	return r;
}

static int plan(int argc, char **argv)
{
	enum {
		O_REQ = 256,
		O_TPL,
		O_AGENTS,
		O_FROM,
		O_DAYS,
		O_FORMAT,
		O_OUT,
		O_TZ,
		O_INTERVAL,
		O_LIMIT,
		O_SOLVER,
		O_HELP
	};
	static const struct option opts[] = {
	        {"requirements", required_argument, NULL, O_REQ},
	        {"templates", required_argument, NULL, O_TPL},
	        {"agents", required_argument, NULL, O_AGENTS},
	        {"from", required_argument, NULL, O_FROM},
	        {"days", required_argument, NULL, O_DAYS},
	        {"format", required_argument, NULL, O_FORMAT},
	        {"out", required_argument, NULL, O_OUT},
	        {"tz", required_argument, NULL, O_TZ},
	        {"interval", required_argument, NULL, O_INTERVAL},
	        {"time-limit", required_argument, NULL, O_LIMIT},
	        {"solver", required_argument, NULL, O_SOLVER},
	        {"help", no_argument, NULL, O_HELP},
	        {NULL, 0, NULL, 0},
	};
	const char *req = NULL, *tpl = NULL, *agents = NULL, *from = NULL, *out = NULL, *tz = NULL;
	int days = 0, interval = 0;
	double limit = 10.0;
	bool greedy = false;
	enum format fmt = FMT_JSON;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_REQ: req = optarg; break;
		case O_TPL: tpl = optarg; break;
		case O_AGENTS: agents = optarg; break;
		case O_FROM: from = optarg; break;
		case O_DAYS:
			if (parse_int(optarg, 1, LS_MAX_SHIFT_DAYS, &days) < 0)
				return cli_usage("shifts", "--days: '%s' is not a whole number 1 to %d", optarg,
				                 LS_MAX_SHIFT_DAYS);
			break;
		case O_FORMAT:
			if (strcmp(optarg, "json") == 0)
				fmt = FMT_JSON;
			else if (strcmp(optarg, "csv") == 0)
				fmt = FMT_CSV;
			else if (strcmp(optarg, "ics") == 0)
				fmt = FMT_ICS;
			else
				return cli_usage("shifts", "--format must be json, csv or ics, not '%s'", optarg);
			break;
		case O_OUT: out = optarg; break;
		case O_TZ: tz = optarg; break;
		case O_INTERVAL:
			if (parse_int(optarg, SHIFTS_SLOT, 86400, &interval) < 0 || interval % SHIFTS_SLOT)
				return cli_usage("shifts",
				                 "--interval: '%s' is not seconds in whole quarter hours "
				                 "(900, 1800, 3600)",
				                 optarg);
			break;
		case O_LIMIT:
			if (parse_double(optarg, 0.001, LS_MAX_SHIFT_TIME_LIMIT, &limit) < 0)
				return cli_usage("shifts", "--time-limit: '%s' is not seconds > 0 and <= %d", optarg,
				                 LS_MAX_SHIFT_TIME_LIMIT);
			break;
		case O_SOLVER:
			if (strcmp(optarg, "cbc") == 0)
				greedy = false;
			else if (strcmp(optarg, "greedy") == 0)
				greedy = true;
			else
				return cli_usage("shifts", "--solver must be cbc or greedy, not '%s'", optarg);
			break;
		case O_HELP: fputs(help, stdout); return 0;
		default: return cli_usage("shifts", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("shifts", "unexpected argument '%s'", argv[optind]);
	const char *missing = !req      ? "--requirements"
	                      : !tpl    ? "--templates"
	                      : !agents ? "--agents"
	                      : !from   ? "--from"
	                      : !days   ? "--days"
	                                : NULL;
	if (missing)
		return cli_usage("shifts", "%s is required", missing);
	if (out && fmt != FMT_ICS)
		return cli_usage("shifts", "--out belongs to --format ics");

	struct arena a;
	arena_init(&a);
	struct lserr e;
	lserr_clear(&e);
	struct shiftplan p;
	struct shiftplan_result res = {0};
	bool have_res = false;
	int r = 0;
	if (shiftplan_init(&p, &a, tz, from, days, &e) < 0) {
		const char *opt = strcmp(e.field, "tz") == 0     ? "--tz"
		                  : strcmp(e.field, "days") == 0 ? "--days"
		                                                 : "--from";
		r = cli_usage("shifts", "%s: %s", opt, e.message);
		goto done;
	}
	p.interval = interval;
	p.time_limit = limit;
	char *text;
	size_t len;
	if ((r = read_file(req, &text, &len)) != 0)
		goto done;
	if (shiftplan_requirements_csv(&p, text, len, &e) < 0)
		r = bad_input(req, &e);
	xfree(text);
	if (r)
		goto done;
	if ((r = load_json(tpl, &p, shiftplan_templates_json, "templates")) != 0 ||
	    (r = load_json(agents, &p, shiftplan_agents_json, "agents")) != 0)
		goto done;
	if (shiftplan_run(&p, greedy ? NULL : shifts_cbc_solver(), &res, &e) < 0) {
		const char *f = e.field;
		bool of_req =
		        !strcmp(f, "start") || !strcmp(f, "interval") || !strcmp(f, "required") || !strcmp(f, "skill");
		if (of_req && strcmp(f, "interval") == 0 && !strstr(e.message, "line"))
			r = cli_usage("shifts", "%s: %s", req, e.message);
		else if (of_req)
			r = bad_input(req, &e);
		else if (e.rc == -EINVAL)
			r = cli_usage("shifts", "%s", e.message);
		else
			r = cli_fail("shifts", &e);
		goto done;
	}
	have_res = true;
	if (fmt == FMT_JSON) {
		json_t *o = shiftplan_to_json(&p, &res);
		json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(17));
		putchar('\n');
		json_decref(o);
	} else if (fmt == FMT_CSV) {
		struct strbuf sb = STRBUF_INIT_MAX(LS_STRBUF_DEFAULT_MAX);
		if (shiftplan_csv(&p, &res, &sb) < 0)
			r = cli_failf("shifts", "the CSV output is too large");
		else
			fwrite(sb.buf, 1, sb.len, stdout);
		strbuf_release(&sb);
	} else {
		r = write_ics(&p, &res, out);
	}
done:
	if (have_res)
		shiftplan_result_free(&res);
	arena_release(&a);
	return r;
}

int cmd_shifts(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		if (argc < 2)
			return cli_usage("shifts", "say what to do: leitstand shifts plan ...");
		fputs(help, stdout);
		return 0;
	}
	if (strcmp(argv[1], "plan") == 0)
		return plan(argc - 1, argv + 1);
	return cli_usage("shifts", "unknown subcommand '%s'; the one there is: plan", argv[1]);
}
