/* leitstand holidays: the German public holidays of a region and year. Room: cli.
 * One line per holiday day, "YYYY-MM-DD name"; a day that carries two holidays is
 * one line with both names joined by " / ". JSON is an array of {date, name}. The
 * rules are the built-in ones, $LEITSTAND_HOLIDAYS_FILE's or those of --rules FILE;
 * a bad rule file is reported with its line. */
#include <getopt.h>
#include <jansson.h>
#include <string.h>

#include "calendar/holidays.h"
#include "cli/cli.h"
#include "core/limits.h"
#include "core/parse.h"
#include "core/strbuf.h"
#include "core/timeutil.h"

static const char help[] =
        "Usage: leitstand holidays --region REGION [--year YEAR] [--lang de|en] [--format text|json]\n"
        "                          [--rules FILE]\n\n"
        "List the statutory public holidays of a German region in one year (1995-2099),\n"
        "sorted by date, one per line as 'YYYY-MM-DD name'.\n\n"
        "  --region REGION   DE (nationwide holidays only), a Land DE-BW DE-BY DE-BE DE-BB\n"
        "                    DE-HB DE-HH DE-HE DE-MV DE-NI DE-NW DE-RP DE-SL DE-SN DE-ST\n"
        "                    DE-SH DE-TH, or DE-BY-CATHOLIC (Bavarian municipalities with a\n"
        "                    Catholic majority: adds 15 Aug), DE-BY-AUGSBURG (adds 8 and 15 Aug)\n"
        "  --year YEAR       1995-2099 (default: the current year)\n"
        "  --lang LANG       de (default) or en\n"
        "  --format FMT      text (default) or json: [{\"date\":\"YYYY-MM-DD\",\"name\":\"...\"}]\n"
        "  --rules FILE      use the holiday rules of FILE (format: docs/calendar.md, \"Holiday\n"
        "                    rule files\") instead of $LEITSTAND_HOLIDAYS_FILE or the built-in\n"
        "                    ones; an error names the line of FILE that is wrong\n"
        "  --help            show this help\n";

static void join_names(const struct holiday *h, enum holidays_lang lang, struct strbuf *sb)
{
	strbuf_reset(sb);
	for (unsigned k = 0; k < h->n; k++) {
		if (k)
			strbuf_adds(sb, " / ");
		strbuf_adds(sb, holidays_name(h->ids[k], lang));
	}
}

int cmd_holidays(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"region", required_argument, NULL, 'r'},
	        {"year", required_argument, NULL, 'y'},
	        {"lang", required_argument, NULL, 'l'},
	        {"format", required_argument, NULL, 'f'},
	        {"rules", required_argument, NULL, 'R'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	const char *region_s = NULL, *year_s = NULL, *rules = NULL;
	enum holidays_lang lang = HOLIDAYS_LANG_DE;
	enum cli_format fmt = CLI_FORMAT_TEXT;
	int c, r;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': region_s = optarg; break;
		case 'y': year_s = optarg; break;
		case 'R': rules = optarg; break;
		case 'l':
			lang = holidays_lang_from_string(optarg);
			if ((int)lang < 0)
				return cli_usage("holidays", "--lang must be de or en, not '%s'", optarg);
			break;
		case 'f':
			if ((r = cli_parse_format("holidays", optarg, &fmt)))
				return r;
			break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("holidays", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("holidays", "unexpected argument '%s'", argv[optind]);
	if (!region_s)
		return cli_usage("holidays", "--region is required, e.g. --region DE-NW");
	enum holidays_region region = holidays_region_from_string(region_s);
	if ((int)region < 0)
		return cli_usage("holidays",
		                 "unknown region '%s' (DE, DE-BW ... DE-TH, DE-BY-CATHOLIC, DE-BY-AUGSBURG)", region_s);
	int year;
	if (year_s) {
		if (parse_int(year_s, HOLIDAYS_FIRST_YEAR, HOLIDAYS_LAST_YEAR, &year) < 0)
			return cli_usage("holidays", "year '%s' is not a year in %d-%d", year_s, HOLIDAYS_FIRST_YEAR,
			                 HOLIDAYS_LAST_YEAR);
	} else {
		int64_t y;
		unsigned m, d;
		time_civil_from_days(time_now() / 86400, &y, &m, &d);
		year = (int)y;
	}
	struct holiday h[HOLIDAYS_MAX_PER_YEAR];
	size_t n;
	struct lserr err;
	lserr_clear(&err);
	if (rules ? holidays_load_file(rules, &err) < 0 : holidays_init(&err) < 0) {
		cli_fail("holidays", &err);
		return rules ? EXIT_USAGE : EXIT_FAILURE;
	}
	if (holidays_year(region, year, h, &n, &err) < 0) {
		cli_fail("holidays", &err);
		return EXIT_USAGE;
	}
	struct strbuf names = STRBUF_INIT;
	if (fmt == CLI_FORMAT_JSON) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			char date[16];
			snprintf(date, sizeof(date), "%04d-%02u-%02u", h[i].year, h[i].month, h[i].mday);
			join_names(&h[i], lang, &names);
			json_array_append_new(arr, json_pack("{s:s,s:s}", "date", date, "name", names.buf));
		}
		json_dumpf(arr, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(arr);
	} else {
		for (size_t i = 0; i < n; i++) {
			join_names(&h[i], lang, &names);
			printf("%04d-%02u-%02u %s\n", h[i].year, h[i].month, h[i].mday, names.buf);
		}
	}
	strbuf_release(&names);
	return 0;
}
