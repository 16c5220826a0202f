/* leitstand kpi. Room: cli. */
#include <getopt.h>
#include <jansson.h>
#include <string.h>

#include "cli/cli.h"
#include "kpi/kpi_json.h"
#include "service/kpis.h"

static const char help[] = "Usage: leitstand kpi --client CODE [--from DATE --to DATE] [--by week|month|quarter]\n"
                           "                     [--group priority|team|category|channel|agent|type] [--tz ZONE]\n"
                           "                     [--calendar CODE] [--format json|text] [--db PATH]\n\n"
                           "KPIs of a client over its imported history and the tickets worked in Leitstand:\n"
                           "tickets, reopen rate, SLA compliance, resolution hours (mean, median, P90),\n"
                           "reassignments, first response, first contact resolution and more. Rates are\n"
                           "fractions 0-1; a KPI without data is null, never 0. Definitions: docs/kpi.md.\n\n"
                           "  --client CODE   the client\n"
                           "  --from DATE     start of the range (YYYY-MM-DD or RFC 3339), with --to\n"
                           "  --to DATE       end of the range, exclusive\n"
                           "  --by PERIOD     one result per ISO week, month or quarter (in 'groups')\n"
                           "  --group DIM     one result per value of a dimension (in 'groups')\n"
                           "  --tz ZONE       zone of period boundaries (default: the client's)\n"
                           "  --calendar CODE the client's business calendar for the business-hour KPIs\n"
                           "  --format FMT    json (default) or text\n"
                           "  --db PATH       database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
                           "  --help          show this help\n";

static void print_text(json_t *o, int indent)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
	{
		if (json_is_array(v))
			continue;
		if (json_is_object(v)) {
			printf("%*s%s:\n", indent, "", k);
			print_text(v, indent + 2);
		} else if (json_is_real(v)) {
			printf("%*s%-28s %.4f\n", indent, "", k, json_real_value(v));
		} else if (json_is_integer(v)) {
			printf("%*s%-28s %lld\n", indent, "", k, (long long)json_integer_value(v));
		} else if (json_is_string(v)) {
			printf("%*s%-28s %s\n", indent, "", k, json_string_value(v));
		} else if (json_is_null(v)) {
			printf("%*s%-28s -\n", indent, "", k);
		}
	}
}

int cmd_kpi(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"client", required_argument, NULL, 'c'},
	        {"from", required_argument, NULL, 'F'},
	        {"to", required_argument, NULL, 'T'},
	        {"by", required_argument, NULL, 'b'},
	        {"group", required_argument, NULL, 'g'},
	        {"tz", required_argument, NULL, 'z'},
	        {"format", required_argument, NULL, 'f'},
	        {"calendar", required_argument, NULL, 'C'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	struct kpi_request rq = {0};
	const char *db = NULL;
	enum cli_format fmt = CLI_FORMAT_JSON;
	int c, r;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': rq.client = optarg; break;
		case 'F':
			if (time_parse_rfc3339(optarg, &rq.from) < 0)
				return cli_usage("kpi", "--from must be a date (YYYY-MM-DD) or RFC 3339 time, not '%s'",
				                 optarg);
			break;
		case 'T':
			if (time_parse_rfc3339(optarg, &rq.to) < 0)
				return cli_usage("kpi", "--to must be a date (YYYY-MM-DD) or RFC 3339 time, not '%s'",
				                 optarg);
			break;
		case 'b':
			rq.by = kpi_period_from_string(optarg);
			if ((int)rq.by <= 0 || rq.by == KPI_PERIOD_RANGE)
				return cli_usage("kpi", "--by must be week, month or quarter, not '%s'", optarg);
			break;
		case 'g':
			rq.group = kpi_dim_from_string(optarg);
			if ((int)rq.group <= 0)
				return cli_usage(
				        "kpi",
				        "--group must be priority, team, category, channel, agent, type or client, "
				        "not '%s'",
				        optarg);
			break;
		case 'z': rq.tz = optarg; break;
		case 'C': rq.calendar = optarg; break;
		case 'f':
			if ((r = cli_parse_format("kpi", optarg, &fmt)))
				return r;
			break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("kpi", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("kpi", "unexpected argument '%s'", argv[optind]);
	if (!rq.client)
		return cli_usage("kpi", "--client CODE is required");
	if ((rq.from != 0) != (rq.to != 0))
		return cli_usage("kpi", "--from and --to go together");
	if (rq.from && rq.to <= rq.from)
		return cli_usage("kpi", "--to must lie after --from");
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "kpi", cli_db_path(db), 0)))
		return r;
	struct kpi_result res;
	if (kpis_compute(&ctx.svc, &rq, &res) < 0) {
		r = cli_fail("kpi", &ctx.err);
	} else {
		json_t *o = kpi_json_result(&res);
		if (fmt == CLI_FORMAT_JSON) {
			json_dumpf(o, stdout, JSON_INDENT(2));
			putchar('\n');
		} else {
			print_text(o, 0);
		}
		json_decref(o);
		kpi_result_release(&res);
	}
	cli_ctx_close(&ctx);
	return r;
}
