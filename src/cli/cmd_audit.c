/* leitstand audit verify. Room: cli.
 * Opens the database read-only and as it is (no migration), so that checking a
 * copy taken from a suspect machine changes nothing in it. */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"
#include "service/audit.h"

static const char help[] = "Usage: leitstand audit verify [--db PATH]\n\n"
                           "Check the audit log's hash chain from the first entry to the last: ids without\n"
                           "gaps, each entry linked to the hash of the one before, each hash recomputed from\n"
                           "the entry, and the recorded head naming the last entry (docs/privacy.md).\n"
                           "Prints 'ok N entries' and exits 0, or names the first broken entry and exits 1.\n\n"
                           "  --db PATH   database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
                           "  --help      show this help\n";

int cmd_audit(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("audit", "missing subcommand: verify");
	if (strcmp(argv[1], "verify") != 0)
		return cli_usage("audit", "unknown subcommand '%s': use verify", argv[1]);
	const char *db = NULL;
	int c, r;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("audit", "unknown or incomplete option '%s'", argv[optind]);
		}
	}
	if (optind < argc - 1)
		return cli_usage("audit", "unexpected argument '%s'", argv[optind + 1]);
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "audit", cli_db_path(db), STORE_OPEN_READONLY)))
		return r;
	struct audit_verify_result res;
	if (audit_verify(&ctx.svc, &res) < 0) {
		r = cli_fail("audit", &ctx.err);
	} else if (res.bad_id) {
		printf("broken at entry %lld: %s (%lld entries before it verified)\n", (long long)res.bad_id,
		       res.problem, (long long)res.n);
		r = 1;
	} else {
		printf("ok %lld entries", (long long)res.n);
		if (res.anchor_id) /* retention deleted the oldest entries */
			printf(" after entry %lld (entries up to it deleted by retention)", (long long)res.anchor_id);
		putchar('\n');
	}
	cli_ctx_close(&ctx);
	return r;
}
