/* leitstand keys status|rotate|rotate-master|shred: the keys that encrypt personal
 * data at rest (store/keyring.h, docs/privacy.md). Room: cli. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "service/audit.h"
#include "store/dirdb.h"
#include "store/keyring.h"
#include "store/ticketdb.h"

static const char help[] =
        "Usage: leitstand keys status        --db PATH\n"
        "       leitstand keys rotate        --db PATH --client CODE\n"
        "       leitstand keys rotate-master --db PATH [--new-key-file FILE]\n"
        "       leitstand keys shred         --db PATH --client CODE --yes\n"
        "       leitstand keys seal-messages --db PATH --client CODE on|off\n\n"
        "Personal fields (requester name, email, phone, company) are encrypted with a data key per\n"
        "client; the data keys are wrapped by the installation's master key, which lives outside the\n"
        "database: $LEITSTAND_MASTER_KEY (64 hex digits), --key-file / $LEITSTAND_KEY_FILE, or DB.key\n"
        "beside the database (made at `init`). Back the key file up apart from the database.\n\n"
        "  status          where the master key comes from; each client's key version, or shredded\n"
        "  rotate          a new data key for the client; its persons are re-encrypted\n"
        "  rotate-master   a new master key (read from --new-key-file, or made there; default KEYFILE.new);\n"
        "                  every client key is re-wrapped, then the new file replaces the key file\n"
        "  shred           destroy the client's data key: its personal fields can never be read again\n"
        "                  (crypto-shredding at contract end; backups included). Needs --yes.\n"
        "  seal-messages   on: the client's replies and notes are stored encrypted too, those stored so\n"
        "                  far are sealed now; they leave the full-text search. off: new ones are plain\n\n"
        "  --db PATH            database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
        "  --client CODE        the client\n"
        "  --key-file FILE      master key file\n"
        "  --new-key-file FILE  rotate-master: the new key file\n"
        "  --yes                shred: confirm\n"
        "  --help               show this help\n";

static int audit_keys(struct cli_ctx *ctx, int64_t client_id, const char *action)
{
	return audit_append(&ctx->svc, AUDIT_KIND_PRIVACY, client_id, "keys", json_pack("{s:s}", "action", action));
}

int cmd_keys(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"client", required_argument, NULL, 'c'},
	        {"key-file", required_argument, NULL, 'k'},
	        {"new-key-file", required_argument, NULL, 'n'},
	        {"yes", no_argument, NULL, 'y'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("keys", "missing subcommand: status, rotate, rotate-master or shred");
	const char *sub = argv[1];
	if (strcmp(sub, "status") != 0 && strcmp(sub, "rotate") != 0 && strcmp(sub, "rotate-master") != 0 &&
	    strcmp(sub, "shred") != 0 && strcmp(sub, "seal-messages") != 0)
		return cli_usage("keys", "unknown subcommand '%s'", sub);
	const char *db = NULL, *client = NULL, *newfile = NULL;
	bool yes = false;
	int c, r;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': client = optarg; break;
		case 'k': keyring_set_key_file(optarg); break;
		case 'n': newfile = optarg; break;
		case 'y': yes = true; break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("keys", "unknown or incomplete option '%s'", argv[optind]);
		}
	}
	const char *onoff = NULL;
	if (strcmp(sub, "seal-messages") == 0 && optind == argc - 2)
		onoff = argv[++optind];
	if (optind < argc - 1)
		return cli_usage("keys", "unexpected argument '%s'", argv[optind + 1]);
	if (strcmp(sub, "seal-messages") == 0 && (!onoff || (strcmp(onoff, "on") != 0 && strcmp(onoff, "off") != 0)))
		return cli_usage("keys", "seal-messages needs on or off");
	bool need_client = strcmp(sub, "rotate") == 0 || strcmp(sub, "shred") == 0 || strcmp(sub, "seal-messages") == 0;
	if (need_client && !client)
		return cli_usage("keys", "%s needs --client CODE", sub);
	if (strcmp(sub, "shred") == 0 && !yes)
		return cli_usage("keys", "shred destroys the client's personal data for good: add --yes");
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "keys", cli_db_path(db), 0)))
		return r;
	struct client cl = {0};
	if (client) {
		r = dirdb_client_by_code(ctx.st, &ctx.arena, client, &cl);
		if (r < 0) {
			r = r == -ENOENT ? cli_failf("keys", "client '%s' does not exist", client)
			                 : cli_fail("keys", &ctx.err);
			goto done;
		}
	}
	if (strcmp(sub, "status") == 0) {
		printf("master key: %s\n", keyring_source(ctx.st));
		struct client *cs;
		size_t n;
		if (dirdb_client_list(ctx.st, &ctx.arena, &cs, &n) < 0) {
			r = cli_failf("keys", "cannot list clients");
			goto done;
		}
		sqlite3_stmt *s = store_stmt(ctx.st, "SELECT version FROM client_keys WHERE client_id = ?");
		for (size_t i = 0; i < n && s; i++) {
			sqlite3_reset(s);
			sqlite3_bind_int64(s, 1, cs[i].id);
			if (sqlite3_step(s) == SQLITE_ROW)
				printf("%-12s data key version %lld\n", cs[i].code,
				       (long long)sqlite3_column_int64(s, 0));
			else if (keyring_client_shredded(ctx.st, cs[i].id))
				printf("%-12s shredded\n", cs[i].code);
			else
				printf("%-12s no personal data yet\n", cs[i].code);
		}
		store_stmt_done(s);
		r = 0;
		goto done;
	}
	char defnew[4200];
	if (strcmp(sub, "rotate-master") == 0 && !newfile && keyring_source(ctx.st)[0] == '$') {
		r = cli_usage("keys", "the master key comes from the environment: name the new key's file with "
		                      "--new-key-file");
		goto done;
	}
	if (strcmp(sub, "rotate-master") == 0 && !newfile) {
		snprintf(defnew, sizeof(defnew), "%s.new", keyring_source(ctx.st));
		newfile = defnew;
	}
	if ((r = store_begin(ctx.st)) < 0) {
		r = cli_failf("keys", "cannot start a transaction");
		goto done;
	}
	int64_t n = 0;
	if (strcmp(sub, "rotate") == 0)
		r = keyring_rotate_client(ctx.st, &ctx.arena, cl.id, &n, &ctx.err);
	else if (strcmp(sub, "rotate-master") == 0)
		r = keyring_rotate_master(ctx.st, newfile, &n, &ctx.err);
	else if (strcmp(sub, "seal-messages") == 0)
		r = ticketdb_seal_messages(ctx.st, cl.id, strcmp(onoff, "on") == 0, &n, &ctx.err);
	else
		r = keyring_shred_client(ctx.st, cl.id, ctx.svc.now, &ctx.err);
	const char *action = strcmp(sub, "rotate") == 0          ? "key_rotate"
	                     : strcmp(sub, "rotate-master") == 0 ? "master_key_rotate"
	                     : strcmp(sub, "shred") == 0         ? "key_shred"
	                     : strcmp(onoff, "on") == 0          ? "seal_messages_on"
	                                                         : "seal_messages_off";
	if (r == 0)
		r = audit_keys(&ctx, cl.id, action);
	if (r == 0)
		r = store_commit(ctx.st);
	if (r < 0) {
		store_rollback(ctx.st);
		r = ctx.err.code ? cli_fail("keys", &ctx.err) : cli_failf("keys", "%s failed", sub);
		goto done;
	}
	if (strcmp(sub, "seal-messages") == 0) {
		/* the plain versions of the pages just rewritten must not linger in the WAL */
		sqlite3_wal_checkpoint_v2(store_handle(ctx.st), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		if (strcmp(onoff, "on") == 0)
			printf("client %s: replies and notes are stored encrypted; %lld stored so far sealed now\n",
			       client, (long long)n);
		else
			printf("client %s: new replies and notes are stored in plain text (sealed ones stay sealed)\n",
			       client);
	} else if (strcmp(sub, "rotate") == 0) {
		printf("client %s: new data key, %lld person%s re-encrypted\n", client, (long long)n,
		       n == 1 ? "" : "s");
	} else if (strcmp(sub, "rotate-master") == 0) {
		const char *src = keyring_source(ctx.st);
		if (keyring_rotate_master_finish(ctx.st, newfile, &ctx.err) < 0) {
			r = cli_fail("keys", &ctx.err);
			goto done;
		}
		if (strcmp(src, "$LEITSTAND_MASTER_KEY") == 0)
			printf("%lld client key%s re-wrapped; set $LEITSTAND_MASTER_KEY to the key in %s now\n",
			       (long long)n, n == 1 ? "" : "s", newfile);
		else
			printf("%lld client key%s re-wrapped; the new master key is in %s\n", (long long)n,
			       n == 1 ? "" : "s", src);
	} else {
		sqlite3_wal_checkpoint_v2(store_handle(ctx.st), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		printf("client %s: data key destroyed; its personal fields can no longer be read\n", client);
	}
	r = 0;
done:
	cli_ctx_close(&ctx);
	return r;
}
