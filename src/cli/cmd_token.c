/* leitstand token create. Room: cli.
 * Prints the token alone on stdout so that scripts can capture it:
 * TOKEN=$(leitstand token create --email a@example.com). */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"
#include "core/parse.h"
#include "service/auth.h"

static const char help[] =
        "Usage: leitstand token create --email EMAIL [--name LABEL] [--expires-days N] [--db PATH]\n\n"
        "Create an API token for a user and print it alone on stdout. Only a hash is\n"
        "stored: the token cannot be shown again. Send it as 'Authorization: Bearer TOKEN'.\n\n"
        "  --email EMAIL      the user the token acts as\n"
        "  --name LABEL       what the token is for (shown in listings)\n"
        "  --expires-days N   expire after N days (default: never)\n"
        "  --db PATH          database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
        "  --help             show this help\n";

int cmd_token(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},   {"email", required_argument, NULL, 'e'},
	        {"name", required_argument, NULL, 'n'}, {"expires-days", required_argument, NULL, 'x'},
	        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("token", "missing subcommand: create");
	if (strcmp(argv[1], "create") != 0)
		return cli_usage("token", "unknown subcommand '%s': use create", argv[1]);
	const char *db = NULL, *email = NULL, *name = "cli";
	int days = 0, c, r;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'e': email = optarg; break;
		case 'n': name = optarg; break;
		case 'x':
			if (parse_int(optarg, 1, 3650, &days) < 0)
				return cli_usage("token", "--expires-days must be 1 to 3650");
			break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("token", "unknown or incomplete option '%s'", argv[optind]);
		}
	}
	if (optind < argc - 1)
		return cli_usage("token", "unexpected argument '%s'", argv[optind + 1]);
	if (!email)
		return cli_usage("token", "token create needs --email");
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "token", cli_db_path(db), 0)))
		return r;
	const char *tok;
	if (auth_token_create(&ctx.svc, email, name, days ? ctx.svc.now + (ls_time)days * 86400 : 0, &tok) < 0)
		r = cli_fail("token", &ctx.err);
	else
		printf("%s\n", tok);
	cli_ctx_close(&ctx);
	return r;
}
