/* leitstand calendar add|elapsed|next-open|next-close: business-time arithmetic
 * on a calendar given on the command line. Room: cli.
 * Compiles the calendar for all its years (1995-2099, a few milliseconds), runs one
 * query and prints instants in RFC 3339 with the zone's offset at that instant.
 * Every invalid input (zone, region, hours, days, timestamps, years, order) is a
 * usage error: message naming the field, exit 2. */
#include <getopt.h>
#include <string.h>

#include "calendar/calendar.h"
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/limits.h"
#include "core/parse.h"
#include "core/timeutil.h"

static const char help[] =
        "Usage: leitstand calendar add        CALENDAR --from TIME --seconds N\n"
        "       leitstand calendar elapsed    CALENDAR --from TIME --to TIME\n"
        "       leitstand calendar next-open  CALENDAR --from TIME\n"
        "       leitstand calendar next-close CALENDAR --from TIME\n"
        "CALENDAR: --tz ZONE --hours HOURS --holidays REGION [--closed DAYS]... [--open DAY]...\n\n"
        "Business-time arithmetic. 'add' prints the earliest instant at which N business\n"
        "seconds have passed since TIME (counting from the next opening when TIME is\n"
        "closed); 'elapsed' prints the business seconds between two instants; 'next-open'\n"
        "and 'next-close' print the next opening and closing at or after TIME.\n\n"
        "  --tz ZONE          IANA time zone, e.g. Europe/Berlin\n"
        "  --hours HOURS      weekly hours, e.g. 'mon-fri 08:00-12:00 13:00-17:00; sat 09:00-13:00';\n"
        "                     a night shift is two frames: 'tue 22:00-24:00; wed 00:00-06:00';\n"
        "                     'mon-sun 00:00-24:00' is 24x7\n"
        "  --holidays REGION  DE, DE-BW ... DE-TH, DE-BY-CATHOLIC, DE-BY-AUGSBURG, or none\n"
        "                     (see 'leitstand holidays --help')\n"
        "  --closed DAYS      extra closed days: YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD, several\n"
        "                     separated by commas; may be repeated (company closures)\n"
        "  --open DAY         an extra open day: 'YYYY-MM-DD' reopens a holiday or closed day\n"
        "                     with its weekday's hours, 'YYYY-MM-DD 08:00-12:00' with its own;\n"
        "                     may be repeated\n"
        "  --from TIME        RFC 3339 with offset, e.g. 2025-03-28T16:00:00+01:00\n"
        "  --to TIME          (elapsed) the end, not before --from\n"
        "  --seconds N        (add) business seconds, a whole number >= 0\n"
        "  --format FMT       text (default) or json\n"
        "  --help             show this help\n\n"
        "Years 1995-2099. Example:\n"
        "  leitstand calendar add --tz Europe/Berlin --hours \"mon-fri 08:00-17:00\" --holidays DE-NW \\\n"
        "      --from 2025-03-28T16:00:00+01:00 --seconds 14400      # 2025-03-31T11:00:00+02:00\n";

static const char *const subs[] = {"add", "elapsed", "next-open", "next-close"};

struct args {
	struct calendar_spec spec;
	const char *from, *to, *seconds;
	const char **closed, **open;
	size_t closed_cap, open_cap;
	enum cli_format fmt;
};

static int fail_usage(const struct lserr *e)
{
	fprintf(stderr, "leitstand calendar: %s\n", e->message);
	if (e->hint[0])
		fprintf(stderr, "hint: %s\n", e->hint);
	return EXIT_USAGE;
}

static int parse_time(const char *field, const char *s, ls_time *ret)
{
	if (!s)
		return cli_usage("calendar", "--%s TIME is required", field);
	/* A bare date would silently mean midnight UTC: demand a time and an offset. */
	if (strlen(s) <= 10 || time_parse_rfc3339(s, ret) < 0)
		return cli_usage("calendar",
		                 "%s: '%s' is not an RFC 3339 timestamp with offset, e.g. "
		                 "2025-03-28T16:00:00+01:00",
		                 field, s);
	return 0;
}

/* --closed "a,b..c" adds one entry per comma-separated item; the strings point into
 * a copy owned by the caller's list. */
static int add_closed(struct args *a, char *list)
{
	for (char *p = list, *next; p; p = next) {
		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		if (!*p)
			continue;
		if (a->spec.n_closed == LS_MAX_CALENDAR_DAYS)
			return cli_usage("calendar", "closed: more than %d entries", LS_MAX_CALENDAR_DAYS);
		if (a->spec.n_closed == a->closed_cap) {
			a->closed_cap = a->closed_cap ? a->closed_cap * 2 : 8;
			a->closed = xrealloc(a->closed, a->closed_cap * sizeof(*a->closed));
		}
		a->closed[a->spec.n_closed++] = p;
	}
	return 0;
}

static int add_open(struct args *a, const char *s)
{
	if (a->spec.n_open == LS_MAX_CALENDAR_DAYS)
		return cli_usage("calendar", "open: more than %d entries", LS_MAX_CALENDAR_DAYS);
	if (a->spec.n_open == a->open_cap) {
		a->open_cap = a->open_cap ? a->open_cap * 2 : 8;
		a->open = xrealloc(a->open, a->open_cap * sizeof(*a->open));
	}
	a->open[a->spec.n_open++] = s;
	return 0;
}

static int run(const char *sub, struct args *a)
{
	ls_time from, to = 0, out;
	int64_t seconds = 0;
	int r;
	if (!a->spec.tz)
		return cli_usage("calendar", "--tz ZONE is required, e.g. --tz Europe/Berlin");
	if (!a->spec.hours)
		return cli_usage("calendar", "--hours HOURS is required, e.g. --hours 'mon-fri 08:00-17:00'");
	if (!a->spec.holidays)
		return cli_usage("calendar", "--holidays REGION is required (none for no holidays)");
	if ((r = parse_time("from", a->from, &from)))
		return r;
	if (strcmp(sub, "elapsed") == 0) {
		if ((r = parse_time("to", a->to, &to)))
			return r;
	} else if (a->to) {
		return cli_usage("calendar", "--to belongs to 'calendar elapsed'");
	}
	if (strcmp(sub, "add") == 0) {
		if (!a->seconds)
			return cli_usage("calendar", "--seconds N is required");
		if (parse_i64(a->seconds, 0, INT64_MAX, &seconds) < 0)
			return cli_usage("calendar", "seconds: '%s' is not a whole number >= 0", a->seconds);
	} else if (a->seconds) {
		return cli_usage("calendar", "--seconds belongs to 'calendar add'");
	}
	a->spec.closed = a->closed;
	a->spec.open = a->open;
	struct lserr err;
	lserr_clear(&err);
	struct calendar *cal;
	if (calendar_compile(&a->spec, &cal, &err) < 0)
		return fail_usage(&err);
	char buf[TZ_RFC3339_MAX];
	if (strcmp(sub, "elapsed") == 0) {
		if (calendar_elapsed(cal, from, to, &seconds, &err) == 0) {
			if (a->fmt == CLI_FORMAT_JSON)
				printf("{\"seconds\":%lld}\n", (long long)seconds);
			else
				printf("%lld\n", (long long)seconds);
		}
	} else {
		if (strcmp(sub, "add") == 0)
			r = calendar_add(cal, from, seconds, &out, &err);
		else if (strcmp(sub, "next-open") == 0)
			r = calendar_next_open(cal, from, &out, &err);
		else
			r = calendar_next_close(cal, from, &out, &err);
		if (r == 0) {
			tz_format_rfc3339(calendar_tz(cal), out, buf, sizeof(buf));
			if (a->fmt == CLI_FORMAT_JSON)
				printf("{\"%s\":\"%s\"}\n", strcmp(sub, "add") == 0 ? "due" : "at", buf);
			else
				printf("%s\n", buf);
		}
	}
	calendar_free(cal);
	return err.rc ? fail_usage(&err) : 0;
}

int cmd_calendar(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"tz", required_argument, NULL, 'z'},
	        {"hours", required_argument, NULL, 'H'},
	        {"holidays", required_argument, NULL, 'R'},
	        {"closed", required_argument, NULL, 'c'},
	        {"open", required_argument, NULL, 'o'},
	        {"from", required_argument, NULL, 'F'},
	        {"to", required_argument, NULL, 'T'},
	        {"seconds", required_argument, NULL, 's'},
	        {"format", required_argument, NULL, 'f'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("calendar", "missing subcommand: add, elapsed, next-open or next-close");
	const char *sub = argv[1];
	bool known = false;
	for (size_t i = 0; i < ELEMENTSOF(subs); i++)
		known |= strcmp(sub, subs[i]) == 0;
	if (!known)
		return cli_usage("calendar", "unknown subcommand '%s': use add, elapsed, next-open or next-close", sub);
	struct args a = {.fmt = CLI_FORMAT_TEXT};
	/* --closed lists are split in place: keep copies, freed at the end */
	char **copies = xcalloc((size_t)argc, sizeof(*copies));
	size_t ncopies = 0;
	int c, r = 0;
	optind = 1;
	opterr = 0;
	while (r == 0 && (c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'z': a.spec.tz = optarg; break;
		case 'H': a.spec.hours = optarg; break;
		case 'R': a.spec.holidays = optarg; break;
		case 'c':
			copies[ncopies] = xstrdup(optarg);
			r = add_closed(&a, copies[ncopies++]);
			break;
		case 'o': r = add_open(&a, optarg); break;
		case 'F': a.from = optarg; break;
		case 'T': a.to = optarg; break;
		case 's': a.seconds = optarg; break;
		case 'f': r = cli_parse_format("calendar", optarg, &a.fmt); break;
		case 'h': fputs(help, stdout); goto out;
		default: r = cli_usage("calendar", "unknown or incomplete option '%s'", argv[optind]); break;
		}
	}
	if (r == 0 && optind < argc - 1)
		r = cli_usage("calendar", "unexpected argument '%s'", argv[optind + 1]);
	if (r == 0)
		r = run(sub, &a);
out:
	for (size_t i = 0; i < ncopies; i++)
		xfree(copies[i]);
	xfree(copies);
	xfree(a.closed);
	xfree(a.open);
	return r;
}
