/* leitstand report. Room: cli. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/limits.h"
#include "core/parse.h"
#include "core/strbuf.h"
#include "report/chart.h"
#include "report/report_csv.h"
#include "report/report_html.h"
#include "report/report_pdf.h"
#include "report/report_xlsx.h"
#include "service/reports.h"

static const char help[] = "Usage: leitstand report --client CODE --kind weekly|monthly|quarterly --period PERIOD\n"
                           "                        [--format html|pdf|xlsx|csv] [--lang de|en] [-o FILE]\n"
                           "                        [--tz ZONE] [--targets FILE.json] [--bench-min-tickets N]\n"
                           "                        [--db PATH]\n\n"
                           "A management report of a client: weekly (volume, backlog, SLA outcomes, agent\n"
                           "load), monthly (every KPI against its target with traffic lights, 12-month trend,\n"
                           "top findings, action plan) or quarterly (quarter comparison, trends, findings, action\n"
                           "plan, contract economics, benchmark). The numbers are\n"
                           "those of `leitstand kpi` for the same period. Details: docs/reports.md.\n\n"
                           "  --client CODE     the client\n"
                           "  --kind KIND       weekly, monthly or quarterly\n"
                           "  --period PERIOD   2026-W43 (weekly, ISO week), 2026-10 (monthly), 2026-Q3 (quarterly)\n"
                           "  --format FMT      html (default): one self-contained file; pdf: A4; xlsx: one\n"
                           "                    sheet per table; csv: one file per table into the directory -o\n"
                           "                    (without -o the KPI table goes to stdout)\n"
                           "  --lang LANG       de (default) or en; German numbers and dates in German\n"
                           "  -o, --output FILE where to write (default: stdout; xlsx needs a file; csv: a directory)\n"
                           "  --tz ZONE         zone of the period boundaries (default: the client's)\n"
                           "  --targets FILE    KPI targets as JSON: {\"sla_compliance\": {\"target\": 0.9}, ...}\n"
                           "  --bench-min-tickets N  quarterly: clients with fewer tickets in the quarter stay\n"
                           "                    out of the benchmark (default 100)\n"
                           "  --db PATH         database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
                           "  --help            show this help\n";

#define TARGETS_MAX_BYTES (256 * 1024)

static int read_small_file(const char *path, size_t max, char **ret, size_t *ret_n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -errno;
	struct strbuf sb = STRBUF_INIT_MAX(max);
	char buf[8192];
	size_t n;
	int r = 0;
	while (r == 0 && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		r = strbuf_add(&sb, buf, n);
	if (r == 0 && ferror(f))
		r = -EIO;
	fclose(f);
	if (r < 0) {
		strbuf_release(&sb);
		return r;
	}
	*ret = strbuf_detach(&sb, ret_n);
	return 0;
}

static int write_file(const char *path, const char *data, size_t n)
{
	FILE *f = path ? fopen(path, "wb") : stdout;
	if (!f)
		return -errno;
	size_t w = fwrite(data, 1, n, f);
	int r = w == n ? 0 : -EIO;
	if (path) {
		if (fclose(f) != 0 && r == 0)
			r = -errno;
	} else if (fflush(f) != 0 && r == 0) {
		r = -EIO;
	}
	return r;
}

static int write_csv(const struct report *rep, const char *dir)
{
	if (!dir) {
		for (size_t i = 0; i < rep->n_tables; i++)
			if (strcmp(rep->tables[i].id, "kpis") == 0) {
				struct strbuf sb = STRBUF_INIT;
				int r = report_csv_table(&rep->tables[i], &sb);
				if (r == 0)
					r = write_file(NULL, sb.buf, sb.len);
				strbuf_release(&sb);
				return r < 0 ? cli_failf("report", "cannot write the CSV: %s", err_str(r)) : 0;
			}
		return 0;
	}
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return cli_failf("report", "-o %s: cannot create the directory: %s", dir, strerror(errno));
	for (size_t i = 0; i < rep->n_tables; i++) {
		struct strbuf sb = STRBUF_INIT;
		int r = report_csv_table(&rep->tables[i], &sb);
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s.csv", dir, rep->tables[i].id);
		if (r == 0)
			r = write_file(path, sb.buf, sb.len);
		strbuf_release(&sb);
		if (r < 0)
			return cli_failf("report", "cannot write %s: %s", path, err_str(r));
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},      {"client", required_argument, NULL, 'c'},
	        {"kind", required_argument, NULL, 'k'},    {"period", required_argument, NULL, 'p'},
	        {"format", required_argument, NULL, 'f'},  {"lang", required_argument, NULL, 'l'},
	        {"output", required_argument, NULL, 'o'},  {"tz", required_argument, NULL, 'z'},
	        {"targets", required_argument, NULL, 't'}, {"bench-min-tickets", required_argument, NULL, 'b'},
	        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
	};
	struct report_request rq = {.kind = _REPORT_KIND_INVALID, .german = true};
	enum report_format fmt = REPORT_HTML;
	const char *db = NULL, *out = NULL, *targets_path = NULL;
	int c, r;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': rq.client = optarg; break;
		case 'k':
			rq.kind = report_kind_from_string(optarg);
			if ((int)rq.kind < 0)
				return cli_usage("report", "--kind must be weekly, monthly or quarterly, not '%s'",
				                 optarg);
			break;
		case 'p': rq.period = optarg; break;
		case 'f':
			fmt = report_format_from_string(optarg);
			if ((int)fmt < 0)
				return cli_usage("report", "--format must be html, pdf, xlsx or csv, not '%s'", optarg);
			break;
		case 'l':
			if (strcmp(optarg, "de") != 0 && strcmp(optarg, "en") != 0)
				return cli_usage("report", "--lang must be de or en, not '%s'", optarg);
			rq.german = strcmp(optarg, "de") == 0;
			break;
		case 'o': out = strcmp(optarg, "-") == 0 ? NULL : optarg; break;
		case 'z': rq.tz = optarg; break;
		case 't': targets_path = optarg; break;
		case 'b': {
			int64_t v;
			if (parse_i64(optarg, 1, 1000000000, &v) < 0)
				return cli_usage("report", "--bench-min-tickets must be 1 to 1000000000, not '%s'",
				                 optarg);
			rq.benchmark_min_tickets = (uint64_t)v;
			break;
		}
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("report", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("report", "unexpected argument '%s'", argv[optind]);
	if (!rq.client)
		return cli_usage("report", "--client CODE is required");
	if ((int)rq.kind < 0)
		return cli_usage("report", "--kind weekly|monthly|quarterly is required");
	if (!rq.period)
		return cli_usage("report", "--period is required (2026-W43, 2026-10 or 2026-Q3)");
	int64_t key;
	struct lserr perr = {0};
	if (report_period_parse(rq.period, rq.kind, &key, &perr) < 0)
		return cli_usage("report", "--period: %s", perr.message);
	if (fmt == REPORT_XLSX && !out)
		return cli_usage("report", "--format xlsx needs -o FILE");

	struct report_targets targets;
	if (targets_path) {
		_cleanup_free_ char *text = NULL;
		size_t n;
		if ((r = read_small_file(targets_path, TARGETS_MAX_BYTES, &text, &n)) < 0)
			return cli_failf("report", "--targets %s: %s", targets_path,
			                 r == -LS_ETOOLARGE ? "larger than 256 KiB" : err_str(r));
		struct lserr te = {0};
		if (report_targets_parse(text, n, &targets, &te) < 0)
			return cli_failf("report", "--targets %s: %s", targets_path, te.message);
		rq.targets = &targets;
	}

	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "report", cli_db_path(db), 0)))
		return r;
	struct report *rep = NULL;
	if (reports_build(&ctx.svc, &rq, &rep) < 0) {
		if (ctx.err.field[0] && strcmp(ctx.err.field, "client") && strcmp(ctx.err.field, "tz") &&
		    strcmp(ctx.err.field, "period"))
			r = cli_fail("report", &ctx.err);
		else if (ctx.err.field[0])
			r = cli_failf("report", "--%s: %s", ctx.err.field, ctx.err.message);
		else
			r = cli_fail("report", &ctx.err);
		cli_ctx_close(&ctx);
		return r;
	}
	struct strbuf sb = STRBUF_INIT;
	r = 0;
	switch (fmt) {
	case REPORT_HTML:
	case REPORT_PDF:
		r = fmt == REPORT_HTML ? report_html(rep, &sb) : report_pdf(rep, &sb);
		if (r < 0)
			r = cli_failf("report", "the report is larger than the limit: %s", err_str(r));
		else if ((r = write_file(out, sb.buf, sb.len)) < 0)
			r = cli_failf("report", "cannot write %s: %s", out ? out : "stdout", err_str(r));
		break;
	case REPORT_XLSX: {
		struct lserr xe = {0};
		if (report_xlsx(rep, out, &xe) < 0)
			r = cli_failf("report", "-o %s: %s", out, xe.message);
		break;
	}
	case REPORT_CSV: r = write_csv(rep, out); break;
	default: break;
	}
	strbuf_release(&sb);
	report_free(rep);
	cli_ctx_close(&ctx);
	chart_shutdown();
	return r ? EXIT_FAILURE : 0;
}
