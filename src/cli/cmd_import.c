/* leitstand import SOURCE. Room: cli. */
#include <getopt.h>
#include <jansson.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/parse.h"
#include "service/imports.h"

static const char help[] =
        "Usage: leitstand import servicenow|freshdesk|jira|zendesk --client CODE [--tz ZONE]\n"
        "                        [--max-errors N] [--no-events] [--format text|json] [--db PATH] FILE\n"
        "       leitstand import csv --mapping FILE|PRESET --client CODE [options] FILE\n"
        "       leitstand import acd --client CODE [--interval 15m|30m|60m] [options] FILE\n\n"
        "Import a client's ticket history (or call statistics) from its old tool, as the\n"
        "baseline for KPIs and findings. FILE may be gzip-compressed, UTF-8 with or without\n"
        "BOM, CRLF, ',' or ';' separated. The whole file is one transaction: on failure\n"
        "nothing is stored. Importing the same file again changes nothing; a newer export\n"
        "updates the tickets or intervals.\n\n"
        "Sources:\n"
        "  servicenow   the incident audit log (one row per update, e.g. the UCI incident event\n"
        "               log) or the plain incident table export; an incident's values are those\n"
        "               of its record with the highest sys_mod_count\n"
        "  freshdesk    the Freshdesk ticket export (CSV, one row per ticket: Ticket ID, Status,\n"
        "               Created time, Resolved time, Initial response time, ...)\n"
        "  jira         the Jira issue export (CSV: Issue key, Status, Created, Resolved, ...;\n"
        "               stamps like 12/Mar/24 3:04 PM or ISO; repeated Component/s, Labels)\n"
        "  zendesk      the Zendesk ticket export (JSON lines or a JSON array of tickets, with\n"
        "               metric_set, audits and metric_events when present)\n"
        "  csv          any CSV export, read as a JSON column mapping says (--mapping): one row\n"
        "               per ticket, or an event log (one row per activity) grouped by case id\n"
        "               into tickets with reassignments, reopens, waits and one event per row;\n"
        "               presets for the public data sets (docs/kpi.md):\n"
        "                 bpi2013-incidents     BPI 2013 Volvo IT incident log (VINST)\n"
        "                 bpi2014-incidents     BPI 2014 Rabobank Detail_Incident table\n"
        "                 bpi2014-activities    BPI 2014 incident activity log\n"
        "                 bpi2014-interactions  BPI 2014 Detail_Interaction table\n"
        "                 helpdesk              Helpdesk event log (Italian software company)\n"
        "  acd          call-centre interval statistics (one row per interval and queue:\n"
        "               interval start, queue, offered, answered, abandoned, answered within\n"
        "               the service level, talk/hold/wrap-up seconds; English or German\n"
        "               headers, totals or averages; docs/kpi.md); an interval is keyed by\n"
        "               queue and start, so a newer export updates it\n\n"
        "  --client CODE     the client the history belongs to\n"
        "  --mapping M       csv: a preset name or a JSON mapping file (src/importers/csvmap.h)\n"
        "  --interval LEN    acd: length of intervals the file does not state (15m, 30m, 60m,\n"
        "                    1h, or minutes); default: inferred from the starts, else 30m\n"
        "  --tz ZONE         IANA zone of timestamps without an offset (default UTC)\n"
        "  --max-errors N    bad rows to skip before giving up (default 0: the first bad row\n"
        "                    stops the import); every bad row is reported with its line\n"
        "  --no-events       keep only the tickets, not their change events\n"
        "  --format FMT      text (default) or json\n"
        "  --db PATH         database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
        "  --help            show this help\n";

static void progress(size_t tickets, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "\rimport: %zu tickets", tickets);
}

static void progress_intervals(size_t intervals, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "\rimport: %zu intervals", intervals);
}

/* "15m", "30m", "60m", "1h", "90s" or plain minutes → seconds; -1 when not a length
 * of 1 minute to 1 day. */
static int interval_arg(const char *s)
{
	char num[16];
	size_t n = strlen(s);
	if (n == 0 || n >= sizeof(num))
		return -1;
	int unit = 60;
	memcpy(num, s, n + 1);
	if (num[n - 1] == 'm' || num[n - 1] == 'h' || num[n - 1] == 's') {
		unit = num[n - 1] == 'h' ? 3600 : num[n - 1] == 's' ? 1 : 60;
		num[n - 1] = '\0';
	}
	int64_t v;
	if (parse_i64(num, 1, 86400, &v) < 0 || v * unit < 60 || v * unit > 86400)
		return -1;
	return (int)(v * unit);
}

/* The summary of an acd import: intervals and queues instead of tickets. */
static void print_acd(const struct import_request *rq, const struct import_summary *sum, enum cli_format fmt)
{
	if (fmt == CLI_FORMAT_JSON) {
		json_t *bad = json_array();
		for (size_t i = 0; i < sum->n_bad; i++)
			json_array_append_new(
			        bad, json_pack("{s:i,s:s}", "line", sum->bad[i].line, "reason", sum->bad[i].reason));
		json_t *o = json_pack("{s:I,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "import", (json_int_t)sum->import_id,
		                      "source", rq->source, "client", rq->client, "rows", (json_int_t)sum->stats.rows,
		                      "intervals", (json_int_t)sum->stats.intervals, "new_intervals",
		                      (json_int_t)sum->new_intervals, "updated_intervals",
		                      (json_int_t)sum->updated_intervals, "queues", (json_int_t)sum->stats.queues,
		                      "skipped_rows", (json_int_t)sum->stats.bad_rows, "skipped", bad);
		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
		return;
	}
	printf("imported %s into client %s: %zu rows, %zu intervals (%zu new, %zu updated) in %zu queues, "
	       "%zu rows skipped\n",
	       rq->path, rq->client, sum->stats.rows, sum->stats.intervals, sum->new_intervals, sum->updated_intervals,
	       sum->stats.queues, sum->stats.bad_rows);
	for (size_t i = 0; i < sum->n_bad; i++)
		printf("  skipped line %u: %s\n", sum->bad[i].line, sum->bad[i].reason);
	if (sum->stats.bad_rows > sum->n_bad)
		printf("  … and %zu more\n", sum->stats.bad_rows - sum->n_bad);
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},       {"client", required_argument, NULL, 'c'},
	        {"tz", required_argument, NULL, 'z'},       {"max-errors", required_argument, NULL, 'm'},
	        {"no-events", no_argument, NULL, 'n'},      {"format", required_argument, NULL, 'f'},
	        {"help", no_argument, NULL, 'h'},           {"mapping", required_argument, NULL, 'M'},
	        {"interval", required_argument, NULL, 'I'}, {NULL, 0, NULL, 0},
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("import", "missing source (see leitstand import --help)");
	const char *source = argv[1];
	bool known = false;
	for (const char *const *p = imports_sources; *p; p++)
		known |= strcmp(*p, source) == 0;
	if (!known)
		return cli_usage("import", "unknown source '%s' (see leitstand import --help)", source);
	struct import_request rq = {.source = source, .events = true};
	const char *db = NULL;
	enum cli_format fmt = CLI_FORMAT_TEXT;
	int c, r;
	int64_t v;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': rq.client = optarg; break;
		case 'z': rq.tz = optarg; break;
		case 'M': rq.mapping = optarg; break;
		case 'I':
			if ((rq.interval_seconds = interval_arg(optarg)) < 0)
				return cli_usage("import",
				                 "--interval must be a length such as 15m, 30m, 60m or 1h, not "
				                 "'%s'",
				                 optarg);
			break;
		case 'm':
			if (parse_i64(optarg, 0, 100000000, &v) < 0)
				return cli_usage("import", "--max-errors must be a number 0 to 100000000");
			rq.max_errors = (size_t)v;
			break;
		case 'n': rq.events = false; break;
		case 'f':
			if ((r = cli_parse_format("import", optarg, &fmt)))
				return r;
			break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("import", "unknown or incomplete option '%s'", argv[optind]);
		}
	}
	if (optind != argc - 2)
		return cli_usage("import", optind >= argc - 1 ? "missing FILE" : "only one FILE per import");
	rq.path = argv[optind + 1];
	if (!rq.client)
		return cli_usage("import", "--client CODE is required");
	if (strcmp(source, "csv") == 0 && !rq.mapping)
		return cli_usage("import", "csv needs --mapping FILE|PRESET");
	if (strcmp(source, "csv") != 0 && rq.mapping)
		return cli_usage("import", "--mapping is for the csv source only");
	if (strcmp(source, "acd") != 0 && rq.interval_seconds)
		return cli_usage("import", "--interval is for the acd source only");
	if (access(rq.path, R_OK) != 0)
		return cli_failf("import", "cannot read '%s'", rq.path);
	if (isatty(STDERR_FILENO))
		rq.progress = strcmp(source, "acd") == 0 ? progress_intervals : progress;
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "import", cli_db_path(db), 0)))
		return r;
	struct import_summary sum;
	r = imports_run(&ctx.svc, &rq, &sum);
	if (rq.progress)
		fputc('\n', stderr);
	if (r < 0) {
		r = cli_fail("import", &ctx.err);
	} else if (strcmp(source, "acd") == 0) {
		print_acd(&rq, &sum, fmt);
	} else if (fmt == CLI_FORMAT_JSON) {
		json_t *bad = json_array();
		for (size_t i = 0; i < sum.n_bad; i++)
			json_array_append_new(
			        bad, json_pack("{s:i,s:s}", "line", sum.bad[i].line, "reason", sum.bad[i].reason));
		json_t *o = json_pack("{s:I,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "import", (json_int_t)sum.import_id,
		                      "source", source, "client", rq.client, "rows", (json_int_t)sum.stats.rows,
		                      "tickets", (json_int_t)sum.stats.tickets, "new_tickets",
		                      (json_int_t)sum.new_tickets, "updated_tickets", (json_int_t)sum.updated_tickets,
		                      "events", (json_int_t)sum.stats.events, "skipped_rows",
		                      (json_int_t)sum.stats.bad_rows, "skipped", bad);
		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		printf("imported %s into client %s: %zu rows, %zu tickets (%zu new, %zu updated), %zu events, "
		       "%zu rows skipped\n",
		       rq.path, rq.client, sum.stats.rows, sum.stats.tickets, sum.new_tickets, sum.updated_tickets,
		       sum.stats.events, sum.stats.bad_rows);
		for (size_t i = 0; i < sum.n_bad; i++)
			printf("  skipped line %u: %s\n", sum.bad[i].line, sum.bad[i].reason);
		if (sum.stats.bad_rows > sum.n_bad)
			printf("  … and %zu more\n", sum.stats.bad_rows - sum.n_bad);
	}
	cli_ctx_close(&ctx);
	return r;
}
