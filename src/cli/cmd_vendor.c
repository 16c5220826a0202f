/* leitstand vendor add|list. Room: cli. */
#include <getopt.h>
#include <jansson.h>
#include <string.h>

#include "cli/cli.h"
#include "service/vendors.h"

static const char help[] = "Usage: leitstand vendor add --code CODE --name NAME --client CODE... [--db PATH]\n"
                           "       leitstand vendor list [--format text|json] [--db PATH]\n\n"
                           "Vendors are sub-contractors that work tickets of the clients they serve. A ticket\n"
                           "is handed to one with the ticket field \"vendor\"; its users (role vendor_agent,\n"
                           "`leitstand user add --role vendor_agent --vendor CODE`) see exactly those tickets.\n\n"
                           "  --code CODE      short unique code (e.g. DRUCKER-SVC)\n"
                           "  --name NAME      vendor name\n"
                           "  --client CODE    a client the vendor works for (repeatable, at least one)\n"
                           "  --format FMT     text (default) or json\n"
                           "  --db PATH        database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
                           "  --help           show this help\n";

int cmd_vendor(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"code", required_argument, NULL, 'c'},
	        {"name", required_argument, NULL, 'n'},
	        {"client", required_argument, NULL, 'C'},
	        {"format", required_argument, NULL, 'f'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("vendor", "missing subcommand: add or list");
	const char *sub = argv[1];
	if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0)
		return cli_usage("vendor", "unknown subcommand '%s': use add or list", sub);
	const char *db = NULL, *clients[64];
	struct vendor_input in = {0};
	enum cli_format fmt = CLI_FORMAT_TEXT;
	int c, r;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': in.code = optarg; break;
		case 'n': in.name = optarg; break;
		case 'C':
			if (in.n_clients == sizeof(clients) / sizeof(clients[0]))
				return cli_usage("vendor", "at most 64 --client options");
			clients[in.n_clients++] = optarg;
			break;
		case 'f':
			if ((r = cli_parse_format("vendor", optarg, &fmt)))
				return r;
			break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("vendor", "unknown or incomplete option '%s'", argv[optind]);
		}
	}
	if (optind < argc - 1)
		return cli_usage("vendor", "unexpected argument '%s'", argv[optind + 1]);
	if (strcmp(sub, "add") == 0 && (!in.code || !in.name || !in.n_clients))
		return cli_usage("vendor", "vendor add needs --code, --name and at least one --client");
	in.clients = clients;
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "vendor", cli_db_path(db), 0)))
		return r;
	if (strcmp(sub, "add") == 0) {
		struct vendor v;
		if (vendors_add(&ctx.svc, &in, &v) < 0)
			r = cli_fail("vendor", &ctx.err);
		else
			printf("added vendor %s (%s)\n", v.code, v.name);
	} else {
		struct vendor *v;
		size_t n;
		if (vendors_list(&ctx.svc, &v, &n) < 0) {
			r = cli_fail("vendor", &ctx.err);
		} else if (fmt == CLI_FORMAT_JSON) {
			json_t *arr = json_array();
			for (size_t i = 0; i < n; i++) {
				json_t *cl = json_array();
				for (size_t k = 0; k < v[i].n_clients; k++)
					json_array_append_new(cl, json_string(v[i].client_codes[k]));
				json_array_append_new(arr, json_pack("{s:s,s:s,s:o}", "code", v[i].code, "name",
				                                     v[i].name, "clients", cl));
			}
			json_dumpf(arr, stdout, JSON_INDENT(2));
			putchar('\n');
			json_decref(arr);
		} else {
			printf("%-16s %-32s %s\n", "CODE", "NAME", "CLIENTS");
			for (size_t i = 0; i < n; i++) {
				printf("%-16s %-32s ", v[i].code, v[i].name);
				for (size_t k = 0; k < v[i].n_clients; k++)
					printf("%s%s", k ? "," : "", v[i].client_codes[k]);
				putchar('\n');
			}
		}
	}
	cli_ctx_close(&ctx);
	return r;
}
