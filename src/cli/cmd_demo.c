/* leitstand demo. Room: cli. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "service/demo.h"

static const char help[] = "Usage: leitstand demo [--db PATH] [--seed N] [--tickets N] [--months N] [--now TIME]\n\n"
                           "Create PATH if needed and fill it with a realistic, deterministic demo: 3 client\n"
                           "companies, 5 teams, about 25 agents and 20,000 tickets over the last 6 months,\n"
                           "with replies, notes, reassignments, pending periods, reopenings and effort.\n"
                           "The database must hold no clients yet. The same seed and --now give the same data.\n\n"
                           "  --db PATH      database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
                           "  --seed N       random seed (default 1)\n"
                           "  --tickets N    number of tickets (default 20000)\n"
                           "  --months N     months of history (default 6)\n"
                           "  --now TIME     end of the history, RFC 3339 (default: now)\n"
                           "  --help         show this help\n";

static void progress(unsigned done, unsigned total, void *ctx)
{
	(void)ctx;
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\rdemo: %u of %u tickets (%u%%)%s", done, total, total ? done * 100 / total : 100,
		        done == total ? "\n" : "");
}

int cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"seed", required_argument, NULL, 's'},
	        {"tickets", required_argument, NULL, 't'},
	        {"months", required_argument, NULL, 'm'},
	        {"now", required_argument, NULL, 'n'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	const char *db = NULL;
	struct demo_options o = {.seed = 1, .tickets = 20000, .months = 6, .now = time_now(), .progress = progress};
	int c, r;
	int64_t v;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 's':
			if (parse_i64(optarg, 0, INT64_MAX, &v) < 0)
				return cli_usage("demo", "--seed must be a non-negative integer");
			o.seed = (uint64_t)v;
			break;
		case 't':
			if (parse_i64(optarg, 1, 2000000, &v) < 0)
				return cli_usage("demo", "--tickets must be 1 to 2000000");
			o.tickets = (unsigned)v;
			break;
		case 'm':
			if (parse_i64(optarg, 1, 60, &v) < 0)
				return cli_usage("demo", "--months must be 1 to 60");
			o.months = (unsigned)v;
			break;
		case 'n':
			if (time_parse_rfc3339(optarg, &o.now) < 0)
				return cli_usage("demo", "--now must be an RFC 3339 time, e.g. 2026-11-01T00:00:00Z");
			break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("demo", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("demo", "unexpected argument '%s'", argv[optind]);
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "demo", cli_db_path(db), STORE_OPEN_CREATE)))
		return r;
	struct demo_result res;
	if (demo_generate(&ctx.svc, &o, &res) < 0) {
		r = cli_fail("demo", &ctx.err);
	} else {
		printf("demo data in %s: %u clients, %u teams, %u users, %u tickets, %u messages, %u effort entries, "
		       "%u reopened\n",
		       cli_db_path(db), res.clients, res.teams, res.users, res.tickets, res.messages, res.efforts,
		       res.reopened);
		printf("admin user: %s (create a token with 'leitstand token create --email %s')\n", res.admin_email,
		       res.admin_email);
	}
	cli_ctx_close(&ctx);
	return r;
}
