/* leitstand team add|list. Room: cli. */
#include <getopt.h>
#include <jansson.h>
#include <string.h>

#include "cli/cli.h"
#include "service/directory.h"

static const char help[] = "Usage: leitstand team add --code CODE --name NAME [--member EMAIL]... [--db PATH]\n"
                           "       leitstand team list [--format text|json] [--db PATH]\n\n"
                           "Teams belong to the service operation and can work for several clients.\n\n"
                           "  --code CODE      short unique code (e.g. L1-DESK)\n"
                           "  --name NAME      team name\n"
                           "  --member EMAIL   add a user to the team (repeatable)\n"
                           "  --format FMT     text (default) or json\n"
                           "  --db PATH        database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
                           "  --help           show this help\n";

int cmd_team(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"code", required_argument, NULL, 'c'},
	        {"name", required_argument, NULL, 'n'},
	        {"member", required_argument, NULL, 'm'},
	        {"format", required_argument, NULL, 'f'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("team", "missing subcommand: add or list");
	const char *sub = argv[1];
	if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0)
		return cli_usage("team", "unknown subcommand '%s': use add or list", sub);
	const char *db = NULL, *members[128];
	struct team_input in = {0};
	enum cli_format fmt = CLI_FORMAT_TEXT;
	int c, r;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': in.code = optarg; break;
		case 'n': in.name = optarg; break;
		case 'm':
			if (in.n_members == sizeof(members) / sizeof(members[0]))
				return cli_usage("team", "at most 128 --member options");
			members[in.n_members++] = optarg;
			break;
		case 'f':
			if ((r = cli_parse_format("team", optarg, &fmt)))
				return r;
			break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("team", "unknown or incomplete option '%s'", argv[optind]);
		}
	}
	if (optind < argc - 1)
		return cli_usage("team", "unexpected argument '%s'", argv[optind + 1]);
	if (strcmp(sub, "add") == 0 && (!in.code || !in.name))
		return cli_usage("team", "team add needs --code and --name");
	in.members = members;
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "team", cli_db_path(db), 0)))
		return r;
	if (strcmp(sub, "add") == 0) {
		struct team t;
		if (directory_team_add(&ctx.svc, &in, &t) < 0)
			r = cli_fail("team", &ctx.err);
		else
			printf("added team %s (%s)\n", t.code, t.name);
	} else {
		struct team *v;
		size_t n;
		if (directory_team_list(&ctx.svc, &v, &n) < 0) {
			r = cli_fail("team", &ctx.err);
		} else if (fmt == CLI_FORMAT_JSON) {
			json_t *arr = json_array();
			for (size_t i = 0; i < n; i++)
				json_array_append_new(arr,
				                      json_pack("{s:s,s:s}", "code", v[i].code, "name", v[i].name));
			json_dumpf(arr, stdout, JSON_INDENT(2));
			putchar('\n');
			json_decref(arr);
		} else {
			printf("%-16s %s\n", "CODE", "NAME");
			for (size_t i = 0; i < n; i++)
				printf("%-16s %s\n", v[i].code, v[i].name);
		}
	}
	cli_ctx_close(&ctx);
	return r;
}
