/* leitstand init / migrate. Room: cli. */
#include <getopt.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "service/persons.h"
#include "store/keyring.h"

static const char init_help[] = "Usage: leitstand init [--db PATH]\n\n"
                                "Create a new, empty Leitstand database (SQLite, WAL, foreign keys on) with\n"
                                "the current schema. Fails if PATH exists already.\n\n"
                                "  --db PATH   database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
                                "  --help      show this help\n";

static const char migrate_help[] = "Usage: leitstand migrate [--db PATH]\n\n"
                                   "Upgrade an existing database to this version's schema, applying each pending\n"
                                   "numbered migration in its own transaction. Safe to run repeatedly.\n\n"
                                   "  --db PATH   database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
                                   "  --help      show this help\n";

static int parse_db_only(int argc, char **argv, const char *cmd, const char *help, const char **ret_db)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *db = NULL;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'h': fputs(help, stdout); return -1;
		default: return cli_usage(cmd, "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	*ret_db = cli_db_path(db);
	return 0;
}

int cmd_init(int argc, char **argv)
{
	const char *db = NULL;
	int r = parse_db_only(argc, argv, "init", init_help, &db);
	if (r)
		return r < 0 ? 0 : r;
	if (access(db, F_OK) == 0)
		return cli_failf("init", "'%s' exists already; use 'leitstand migrate' to upgrade it", db);
	struct cli_ctx c;
	if ((r = cli_ctx_open(&c, "init", db, STORE_OPEN_CREATE)))
		return r;
	printf("created %s (schema %d)\n", db, store_schema_version(c.st));
	/* the master key for personal data at rest: made now, so the operator sees it */
	bool made = false;
	const char *where = NULL;
	if ((r = store_begin(c.st)) < 0 || (r = keyring_ensure_master(c.st, &made, &where, &c.err)) < 0 ||
	    (r = store_commit(c.st)) < 0) {
		store_rollback(c.st);
		r = c.err.code ? cli_fail("init", &c.err) : cli_failf("init", "cannot set up the master key");
		cli_ctx_close(&c);
		return r;
	}
	if (made)
		printf("master key written to %s: keep a copy apart from the database's backups\n", where);
	cli_ctx_close(&c);
	return 0;
}

int cmd_migrate(int argc, char **argv)
{
	const char *db = NULL;
	int r = parse_db_only(argc, argv, "migrate", migrate_help, &db);
	if (r)
		return r < 0 ? 0 : r;
	struct cli_ctx c;
	if ((r = cli_ctx_open(&c, "migrate", db, STORE_OPEN_AS_IS)))
		return r;
	int before = store_schema_version(c.st), applied = 0;
	if (store_migrate(c.st, &applied, &c.err) < 0) {
		r = cli_fail("migrate", &c.err);
		cli_ctx_close(&c);
		return r;
	}
	if (applied)
		printf("%s migrated from schema %d to %d (%d migration%s)\n", db, before, store_schema_version(c.st),
		       applied, applied == 1 ? "" : "s");
	else
		printf("%s is at schema %d, the latest\n", db, before);
	int64_t moved = 0;
	if (persons_backfill(&c.svc, &moved) < 0) {
		r = cli_fail("migrate", &c.err);
		cli_ctx_close(&c);
		return r;
	}
	if (moved)
		printf("%lld ticket requester%s moved into encrypted person records\n", (long long)moved,
		       moved == 1 ? "" : "s");
	cli_ctx_close(&c);
	return 0;
}
