/* leitstand forecast: arrivals per interval for the next days, from a client's
 * stored history. Room: cli.
 * The service loads and forecasts; this file parses options and prints JSON (the
 * object GET /api/v1/forecast answers), CSV (start,volume: a forecast file for
 * `leitstand staff --intervals`) or a text summary. Option syntax and values that
 * are wrong whatever the data exit 2 naming the option; an unknown client, a history
 * too short or a failing database exit 1. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/limits.h"
#include "core/parse.h"
#include "service/forecast.h"

static const char help[] =
        "Usage: leitstand forecast --client CODE --from DATE --days N [--interval 15m|30m|60m]\n"
        "                          [OPTIONS] [--format json|csv|text] [--db PATH]\n\n"
        "Forecast of arrivals per interval (calls offered, or tickets created) for N days\n"
        "from DATE, from the client's history before DATE: Holt-Winters on the daily totals\n"
        "(weekly season, parameters fitted to the history) times each weekday's intraday\n"
        "profile; public holidays and bridge days as special days; named peaks. A backtest\n"
        "over the last weeks of history tells how far to trust it (WAPE, bias).\n\n"
        "  --client CODE        the client\n"
        "  --from DATE          first forecast day, YYYY-MM-DD (local date)\n"
        "  --days N             days to forecast, 1 to 366\n"
        "  --interval LEN       15m, 30m (default) or 60m\n"
        "  --source SRC         calls (ACD intervals, offered) or tickets (created); default:\n"
        "                       calls when the client has ACD intervals, else tickets\n"
        "  --tz ZONE            time zone of days and intervals (default: the client's)\n"
        "  --region REGION      holidays: DE (default, nationwide), DE-BW ... DE-TH,\n"
        "                       DE-BY-CATHOLIC, DE-BY-AUGSBURG or none\n"
        "  --peak FIRST..LAST:FACTOR  multiply the forecast of these days, e.g.\n"
        "                       2026-12-01..2026-12-24:1.4 (+40 %); repeatable; a single day\n"
        "                       is DATE:FACTOR\n"
        "  --backtest-weeks K   weeks of history to backtest, 0 to 52 (default 4)\n"
        "  --model SEASON       auto (default), additive or multiplicative\n"
        "  --format FMT         json (default), csv (start,volume) or text\n"
        "  --db PATH            database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
        "  --help               show this help\n\n"
        "The CSV is a forecast file for staffing:\n"
        "  leitstand forecast --client ACME --from 2026-03-02 --days 7 --format csv > f.csv\n"
        "  leitstand staff --intervals f.csv --interval 1800 --aht 180 --target 0.8 --answer-time 20\n"
        "See docs/wfm.md for the model, the special days and the backtest.\n";

enum format { FMT_JSON, FMT_CSV, FMT_TEXT };

/* Option names by the service's parameter names. */
static const struct {
	const char *field, *option;
	bool usage; /* wrong whatever the data: exit 2 */
} options_by_field[] = {
        {"client", "--client", false}, {"from", "--from", false},
        {"days", "--days", true},      {"interval", "--interval", true},
        {"tz", "--tz", true},          {"region", "--region", true},
        {"source", "--source", false}, {"model", "--model", false},
        {"peak", "--peak", true},      {"backtest_weeks", "--backtest-weeks", true},
};

static int fail(const struct lserr *e)
{
	for (size_t i = 0; i < ELEMENTSOF(options_by_field); i++)
		if (strcmp(options_by_field[i].field, e->field) == 0) {
			if (options_by_field[i].usage)
				return cli_usage("forecast", "%s: %s", options_by_field[i].option, e->message);
			fprintf(stderr, "leitstand forecast: %s: %s\n", options_by_field[i].option, e->message);
			if (e->hint[0])
				fprintf(stderr, "hint: %s\n", e->hint);
			return EXIT_FAILURE;
		}
	return cli_fail("forecast", e);
}

static void pct(const char *label, double v)
{
	if (isnan(v))
		printf("%s -", label);
	else
		printf("%s %.1f %%", label, v * 100.0);
}

static void print_text(const struct forecast_answer *a)
{
	static const char *const wd[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	const struct forecast_meta *m = &a->meta;
	const struct forecast_model *md = &a->result.model;
	const struct forecast_backtest *b = &a->result.backtest;
	char d1[16], d2[16];
	printf("client    %s, %s, %s, holidays %s, %u-minute intervals\n", m->client, m->source, m->timezone, m->region,
	       m->interval_seconds / 60);
	printf("history   %s .. %s (%ld days)\n", forecast_date_format(m->history_first, d1, sizeof(d1)),
	       forecast_date_format(m->history_last, d2, sizeof(d2)), (long)(m->history_last - m->history_first + 1));
	printf("model     Holt-Winters %s: alpha %.3f, beta %.3f, gamma %.3f; level %.1f, trend %+.2f a day, "
	       "RMSE %.1f a day\n",
	       forecast_seasonality_to_string(md->seasonality), md->alpha, md->beta, md->gamma, md->level, md->trend,
	       md->rmse);
	if (md->holiday_learned)
		printf("special   holidays x %.2f (%zu seen), bridge days x %.2f (%zu seen)\n", md->holiday_factor,
		       md->holiday_days, md->bridge_factor, md->bridge_days);
	else
		printf("special   holidays as Sundays (none seen), bridge days x %.2f (%zu seen)\n", md->bridge_factor,
		       md->bridge_days);
	printf("backtest  %u weeks:", b->weeks);
	pct(" WAPE", b->wape);
	pct(", daily WAPE", b->daily_wape);
	pct(", bias", b->bias);
	printf("\n\n%-10s %-3s %10s  %s\n", "date", "day", "total", "special");
	for (size_t i = 0; i < a->result.n_days; i++) {
		const struct forecast_day *d = &a->result.days[i];
		const char *sp = d->special != FORECAST_NORMAL          ? forecast_special_to_string(d->special)
		                 : md->closed[forecast_weekday(d->day)] ? "closed"
		                 : d->peak                              ? "peak"
		                                                        : "";
		printf("%-10s %-3s %10.1f  %s", forecast_date_format(d->day, d1, sizeof(d1)),
		       wd[forecast_weekday(d->day)], d->total, sp);
		if (d->factor != 1.0)
			printf(" x %.2f", d->factor);
		putchar('\n');
	}
}

static void print(const struct forecast_answer *a, enum format fmt)
{
	if (fmt == FMT_JSON) {
		json_t *o = forecast_to_json(&a->result, &a->meta);
		json_dumpf(o, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(o);
	} else if (fmt == FMT_CSV) {
		fputs("start,volume\n", stdout);
		for (size_t i = 0; i < a->meta.n_intervals; i++)
			printf("%s,%.17g\n", a->meta.intervals[i].start, a->meta.intervals[i].volume);
	} else {
		print_text(a);
	}
}

int cmd_forecast(int argc, char **argv)
{
	enum {
		O_DB = 256,
		O_CLIENT,
		O_FROM,
		O_DAYS,
		O_INTERVAL,
		O_SOURCE,
		O_TZ,
		O_REGION,
		O_PEAK,
		O_BACKTEST,
		O_MODEL,
		O_FORMAT,
		O_HELP
	};
	static const struct option opts[] = {
	        {"db", required_argument, NULL, O_DB},
	        {"client", required_argument, NULL, O_CLIENT},
	        {"from", required_argument, NULL, O_FROM},
	        {"days", required_argument, NULL, O_DAYS},
	        {"interval", required_argument, NULL, O_INTERVAL},
	        {"source", required_argument, NULL, O_SOURCE},
	        {"tz", required_argument, NULL, O_TZ},
	        {"region", required_argument, NULL, O_REGION},
	        {"peak", required_argument, NULL, O_PEAK},
	        {"backtest-weeks", required_argument, NULL, O_BACKTEST},
	        {"model", required_argument, NULL, O_MODEL},
	        {"format", required_argument, NULL, O_FORMAT},
	        {"help", no_argument, NULL, O_HELP},
	        {NULL, 0, NULL, 0},
	};
	struct forecast_request rq = {.interval = 1800, .backtest_weeks = -1};
	struct forecast_peak peaks[LS_MAX_FORECAST_PEAKS];
	const char *db = NULL;
	bool have_from = false, have_days = false;
	enum format fmt = FMT_JSON;
	struct lserr e;
	lserr_clear(&e);
	int c, days;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_DB: db = optarg; break;
		case O_CLIENT: rq.client = optarg; break;
		case O_FROM:
			if (forecast_date_parse(optarg, &rq.from) < 0)
				return cli_usage("forecast", "--from must be a date YYYY-MM-DD, not '%s'", optarg);
			have_from = true;
			break;
		case O_DAYS:
			if (parse_int(optarg, 1, LS_MAX_FORECAST_DAYS, &days) < 0)
				return cli_usage("forecast", "--days must be a whole number 1 to %d, not '%s'",
				                 LS_MAX_FORECAST_DAYS, optarg);
			rq.days = (size_t)days;
			have_days = true;
			break;
		case O_INTERVAL:
			if (forecast_interval_parse(optarg, &rq.interval) < 0)
				return cli_usage("forecast", "--interval must be 15m, 30m or 60m, not '%s'", optarg);
			break;
		case O_SOURCE:
			if (strcmp(optarg, "tickets") != 0 && strcmp(optarg, "calls") != 0)
				return cli_usage("forecast", "--source must be tickets or calls, not '%s'", optarg);
			rq.source = optarg;
			break;
		case O_TZ: rq.tz = optarg; break;
		case O_REGION: rq.region = optarg; break;
		case O_PEAK:
			if (rq.n_peaks == LS_MAX_FORECAST_PEAKS)
				return cli_usage("forecast", "--peak: at most %d peaks", LS_MAX_FORECAST_PEAKS);
			if (forecast_peak_parse(optarg, &peaks[rq.n_peaks], &e) < 0)
				return cli_usage("forecast", "--peak: %s", e.message);
			rq.n_peaks++;
			break;
		case O_BACKTEST:
			if (parse_int(optarg, 0, LS_MAX_FORECAST_BACKTEST_WEEKS, &rq.backtest_weeks) < 0)
				return cli_usage("forecast",
				                 "--backtest-weeks must be a whole number 0 to %d, not '%s'",
				                 LS_MAX_FORECAST_BACKTEST_WEEKS, optarg);
			break;
		case O_MODEL:
			if (forecast_seasonality_from_string(optarg) < 0)
				return cli_usage("forecast",
				                 "--model must be auto, additive or multiplicative, not '%s'", optarg);
			rq.model = optarg;
			break;
		case O_FORMAT:
			if (strcmp(optarg, "json") == 0)
				fmt = FMT_JSON;
			else if (strcmp(optarg, "csv") == 0)
				fmt = FMT_CSV;
			else if (strcmp(optarg, "text") == 0)
				fmt = FMT_TEXT;
			else
				return cli_usage("forecast", "--format must be json, csv or text, not '%s'", optarg);
			break;
		case O_HELP: fputs(help, stdout); return 0;
		default: return cli_usage("forecast", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("forecast", "unexpected argument '%s'", argv[optind]);
	if (!rq.client)
		return cli_usage("forecast", "--client CODE is required");
	if (!have_from)
		return cli_usage("forecast", "--from DATE is required");
	if (!have_days)
		return cli_usage("forecast", "--days N is required");
	rq.peaks = peaks;
	struct cli_ctx ctx;
	int r;
	if ((r = cli_ctx_open(&ctx, "forecast", cli_db_path(db), 0)))
		return r;
	struct forecast_answer a;
	if (forecast_compute(&ctx.svc, &rq, &a) < 0)
		r = fail(&ctx.err);
	else
		print(&a, fmt);
	cli_ctx_close(&ctx);
	return r;
}
