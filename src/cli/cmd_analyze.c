/* leitstand analyze: the baseline findings of a client. Room: cli. The JSON is the
 * object GET /api/v1/findings answers; the text lists the same findings, best first,
 * with the value, its assumption and the scalar evidence. */
#include <getopt.h>
#include <jansson.h>
#include <string.h>

#include "cli/cli.h"
#include "service/analysis.h"

static const char help[] = "Usage: leitstand analyze --client CODE [--from DATE --to DATE] [--tz ZONE]\n"
                           "                         [--format json|text] [--lang en|de] [--db PATH]\n\n"
                           "Baseline findings over a client's imported history and its tickets worked in\n"
                           "Leitstand, best first by what fixing them is worth (hours per month):\n"
                           "arrival peaks by hour of the week against staffing, SLA breach hot spots by team,\n"
                           "category, priority and hour, reassignment ping-pong between teams, repeat\n"
                           "incidents as problem candidates, and the Pareto of categories by volume and\n"
                           "effort. Definitions and thresholds: docs/kpi.md, section Findings.\n\n"
                           "  --client CODE   the client\n"
                           "  --from DATE     analyse tickets opened from DATE (YYYY-MM-DD or RFC 3339), with --to\n"
                           "  --to DATE       ... up to DATE, exclusive\n"
                           "  --tz ZONE       zone of the hours of the week (default: the client's)\n"
                           "  --format FMT    text (default) or json\n"
                           "  --lang LANG     language of the text titles: en (default) or de\n"
                           "  --db PATH       database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
                           "  --help          show this help\n";

static void print_scalar(const char *k, json_t *v, bool *first)
{
	char buf[64];
	const char *s = NULL;
	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_integer(v))
		s = (snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v)), buf);
	else if (json_is_real(v))
		s = (snprintf(buf, sizeof(buf), "%.4g", json_real_value(v)), buf);
	else if (json_is_null(v))
		s = "-";
	if (!s)
		return;
	printf("%s%s %s", *first ? "     " : ", ", k, s);
	*first = false;
}

static void print_text(json_t *o, bool german)
{
	json_t *p = json_object_get(o, "period");
	printf("Findings for %s: %lld tickets", json_string_value(json_object_get(o, "client")),
	       (long long)json_integer_value(json_object_get(o, "tickets")));
	if (json_is_string(json_object_get(p, "from")))
		printf(" opened %s to %s (%.1f months, %s)", json_string_value(json_object_get(p, "from")),
		       json_string_value(json_object_get(p, "to")), json_real_value(json_object_get(p, "months")),
		       json_string_value(json_object_get(p, "tz")));
	printf("\nSLA outcome used: %s\n", json_string_value(json_object_get(o, "sla_variant")));
	json_t *h = json_object_get(o, "hour_of_week");
	printf("Staffing by hour of the week: %s; %zu hours flagged\n\n",
	       json_string_value(json_object_get(h, "staffing_source")),
	       json_array_size(json_object_get(h, "flagged")));
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(o, "findings"), i, f)
	{
		json_t *ev = json_object_get(f, "evidence"), *val = json_object_get(f, "value_hours_per_month");
		printf("%2zu. [%s] %s\n", i + 1, json_string_value(json_object_get(f, "kind")),
		       json_string_value(json_object_get(f, german ? "title_de" : "title")));
		if (json_is_real(val))
			printf("     worth about %.1f h/month if %s\n", json_real_value(val),
			       json_string_value(json_object_get(ev, "value_assumption")));
		else
			printf("     worth: not estimable from the data\n");
		bool first = true;
		const char *k;
		json_t *v;
		json_object_foreach(ev, k, v)
		{
			if (strcmp(k, "value_assumption") != 0 && strcmp(k, "definition") != 0 &&
			    strcmp(k, "test") != 0)
				print_scalar(k, v, &first);
		}
		if (!first)
			putchar('\n');
	}
	if (json_array_size(json_object_get(o, "findings")) == 0)
		printf("No findings: too few tickets or nothing above the thresholds.\n");
	json_t *om = json_object_get(o, "omitted");
	if (json_object_size(om)) {
		const char *k;
		json_t *v;
		bool first = true;
		printf("\nLeft out (beyond the best per kind):");
		json_object_foreach(om, k, v)
		{
			printf("%s %s %lld", first ? "" : ",", k, (long long)json_integer_value(v));
			first = false;
		}
		putchar('\n');
	}
}

int cmd_analyze(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"client", required_argument, NULL, 'c'},
	        {"from", required_argument, NULL, 'F'},
	        {"to", required_argument, NULL, 'T'},
	        {"tz", required_argument, NULL, 'z'},
	        {"format", required_argument, NULL, 'f'},
	        {"lang", required_argument, NULL, 'l'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	struct analysis_request rq = {0};
	const char *db = NULL;
	enum cli_format fmt = CLI_FORMAT_TEXT;
	bool german = false;
	int c, r;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': rq.client = optarg; break;
		case 'F':
			if (time_parse_rfc3339(optarg, &rq.from) < 0)
				return cli_usage("analyze",
				                 "--from must be a date (YYYY-MM-DD) or RFC 3339 time, not '%s'",
				                 optarg);
			break;
		case 'T':
			if (time_parse_rfc3339(optarg, &rq.to) < 0)
				return cli_usage("analyze",
				                 "--to must be a date (YYYY-MM-DD) or RFC 3339 time, not '%s'", optarg);
			break;
		case 'z': rq.tz = optarg; break;
		case 'f':
			if ((r = cli_parse_format("analyze", optarg, &fmt)))
				return r;
			break;
		case 'l':
			if (strcmp(optarg, "en") != 0 && strcmp(optarg, "de") != 0)
				return cli_usage("analyze", "--lang must be en or de, not '%s'", optarg);
			german = strcmp(optarg, "de") == 0;
			break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("analyze", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("analyze", "unexpected argument '%s'", argv[optind]);
	if (!rq.client)
		return cli_usage("analyze", "--client CODE is required");
	if ((rq.from != 0) != (rq.to != 0))
		return cli_usage("analyze", "--from and --to go together");
	if (rq.from && rq.to <= rq.from)
		return cli_usage("analyze", "--to must lie after --from");
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "analyze", cli_db_path(db), 0)))
		return r;
	struct analysis a;
	if (analysis_run(&ctx.svc, &rq, &a) < 0) {
		r = cli_fail("analyze", &ctx.err);
	} else {
		json_t *o = analysis_json(&a);
		if (fmt == CLI_FORMAT_JSON) {
			json_dumpf(o, stdout, JSON_INDENT(2));
			putchar('\n');
		} else {
			print_text(o, german);
		}
		json_decref(o);
		analysis_release(&a);
	}
	cli_ctx_close(&ctx);
	return r;
}
