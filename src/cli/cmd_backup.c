/* leitstand backup. Room: cli.
 * Uses SQLite's online backup: the server may keep running and writing; the
 * copy is a consistent snapshot. */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"
#include "store/keyring.h"

static const char help[] = "Usage: leitstand backup --to FILE [--db PATH]\n\n"
                           "Copy a database, live or not, to FILE as a consistent snapshot (SQLite online\n"
                           "backup). FILE must not exist. Restore by stopping the server and putting FILE in\n"
                           "place of the database.\n\n"
                           "  --to FILE    where to write the copy\n"
                           "  --db PATH    database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
                           "  --help       show this help\n";

int cmd_backup(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {"to", required_argument, NULL, 't'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *db = NULL, *to = NULL;
	int c, r;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 't': to = optarg; break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("backup", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("backup", "unexpected argument '%s'", argv[optind]);
	if (!to)
		return cli_usage("backup", "--to FILE is required");
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "backup", cli_db_path(db), STORE_OPEN_NO_MIGRATE)))
		return r;
	if (store_backup(ctx.st, to, &ctx.err) < 0)
		r = cli_fail("backup", &ctx.err);
	else {
		printf("backed up %s to %s\n", cli_db_path(db), to);
		/* the copy holds personal fields sealed: useless without the master key */
		printf("the master key (%s) is not in the copy: keep it backed up apart from the database\n",
		       keyring_source(ctx.st));
	}
	cli_ctx_close(&ctx);
	return r;
}
