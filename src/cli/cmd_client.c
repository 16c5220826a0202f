/* leitstand client add|list. Room: cli. */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/directory.h"

static const char help[] =
        "Usage: leitstand client add --code CODE --name NAME [--timezone TZ] [--priority-matrix DIGITS] [--db PATH]\n"
        "       leitstand client list [--format text|json] [--db PATH]\n\n"
        "Client companies are the tenants: every ticket belongs to one, and users see\n"
        "only the clients granted to them.\n\n"
        "  --code CODE             short unique code, letters, digits, _ or - (e.g. ACME)\n"
        "  --name NAME             company name\n"
        "  --timezone TZ           IANA time zone (default Europe/Berlin)\n"
        "  --priority-matrix D     9 digits 1-5: priority for impact 1-3 (rows) x urgency 1-3\n"
        "                          (columns); default 123234345 (ServiceNow)\n"
        "  --format FMT            text (default) or json\n"
        "  --db PATH               database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
        "  --help                  show this help\n";

int cmd_client(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"code", required_argument, NULL, 'c'},
	        {"name", required_argument, NULL, 'n'},
	        {"timezone", required_argument, NULL, 'z'},
	        {"priority-matrix", required_argument, NULL, 'm'},
	        {"format", required_argument, NULL, 'f'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("client", "missing subcommand: add or list");
	const char *sub = argv[1];
	if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0)
		return cli_usage("client", "unknown subcommand '%s': use add or list", sub);
	struct client_input in = {0};
	const char *db = NULL;
	enum cli_format fmt = CLI_FORMAT_TEXT;
	int c, r;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': in.code = optarg; break;
		case 'n': in.name = optarg; break;
		case 'z': in.timezone = optarg; break;
		case 'm': in.priority_matrix = optarg; break;
		case 'f':
			if ((r = cli_parse_format("client", optarg, &fmt)))
				return r;
			break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("client", "unknown or incomplete option '%s'", argv[optind]);
		}
	}
	if (optind < argc - 1)
		return cli_usage("client", "unexpected argument '%s'", argv[optind + 1]);
	if (strcmp(sub, "add") == 0 && (!in.code || !in.name))
		return cli_usage("client", "client add needs --code and --name");
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "client", cli_db_path(db), 0)))
		return r;
	if (strcmp(sub, "add") == 0) {
		struct client cl;
		if (directory_client_add(&ctx.svc, &in, &cl) < 0)
			r = cli_fail("client", &ctx.err);
		else if (fmt == CLI_FORMAT_JSON)
			printf("{\"code\":\"%s\"}\n", cl.code);
		else
			printf("added client %s (%s)\n", cl.code, cl.name);
	} else {
		struct client *v;
		size_t n;
		if (directory_client_list(&ctx.svc, &v, &n) < 0) {
			r = cli_fail("client", &ctx.err);
		} else if (fmt == CLI_FORMAT_JSON) {
			json_t *arr = json_array();
			for (size_t i = 0; i < n; i++)
				json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "code", v[i].code, "name",
				                                     v[i].name, "timezone", v[i].timezone,
				                                     "priority_matrix", v[i].priority_matrix));
			json_dumpf(arr, stdout, JSON_INDENT(2));
			putchar('\n');
			json_decref(arr);
		} else {
			printf("%-12s %-32s %s\n", "CODE", "NAME", "TIMEZONE");
			for (size_t i = 0; i < n; i++)
				printf("%-12s %-32s %s\n", v[i].code, v[i].name, v[i].timezone);
		}
	}
	cli_ctx_close(&ctx);
	return r;
}
