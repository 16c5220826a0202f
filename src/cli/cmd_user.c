/* leitstand user add|list|passwd|unlock. Room: cli.
 * Passwords are read from standard input (--password-stdin), never from the
 * command line, where other users of the machine could read them in ps. */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/limits.h"
#include "service/auth.h"
#include "service/directory.h"

static const char help[] =
        "Usage: leitstand user add --email EMAIL --name NAME --role ROLE [--client CODE]... [--vendor CODE]\n"
        "                          [--password-stdin]\n"
        "       leitstand user list [--format text|json]\n"
        "       leitstand user passwd --email EMAIL --password-stdin\n"
        "       leitstand user unlock --email EMAIL\n\n"
        "Roles: admin (all clients), manager, agent, client_viewer (read-only, needs --client),\n"
        "dpo (needs --client), auditor (without --client: the whole installation) and\n"
        "vendor_agent (needs --vendor: sees exactly the tickets assigned to its vendor).\n"
        "Managers and agents see the clients granted with --client.\n"
        "unlock clears an account's failed logins and lockout (docs/privacy.md, Security).\n\n"
        "  --email EMAIL       login and unique name of the user\n"
        "  --name NAME         display name\n"
        "  --role ROLE         admin, manager, agent, client_viewer, dpo, auditor or vendor_agent\n"
        "  --client CODE       grant a client (repeatable)\n"
        "  --vendor CODE       the vendor a vendor_agent belongs to\n"
        "  --password-stdin    read the password (at least 10 characters) from the first line of stdin\n"
        "  --format FMT        text (default) or json\n"
        "  --db PATH           database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
        "  --help              show this help\n";

static int read_password(char *buf, size_t n)
{
	if (!fgets(buf, (int)n, stdin))
		return -1;
	size_t len = strlen(buf);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 0;
}

int cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},       {"email", required_argument, NULL, 'e'},
	        {"name", required_argument, NULL, 'n'},     {"role", required_argument, NULL, 'r'},
	        {"client", required_argument, NULL, 'c'},   {"vendor", required_argument, NULL, 'v'},
	        {"password-stdin", no_argument, NULL, 'p'}, {"format", required_argument, NULL, 'f'},
	        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("user", "missing subcommand: add, list, passwd or unlock");
	const char *sub = argv[1];
	if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "passwd") != 0 &&
	    strcmp(sub, "unlock") != 0)
		return cli_usage("user", "unknown subcommand '%s': use add, list, passwd or unlock", sub);
	const char *db = NULL, *role = NULL;
	struct user_input in = {0};
	const char *clients[64];
	size_t n_clients = 0;
	bool pw_stdin = false;
	enum cli_format fmt = CLI_FORMAT_TEXT;
	int c, r;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'e': in.email = optarg; break;
		case 'n': in.name = optarg; break;
		case 'r': role = optarg; break;
		case 'c':
			if (n_clients == sizeof(clients) / sizeof(clients[0]))
				return cli_usage("user", "at most 64 --client options");
			clients[n_clients++] = optarg;
			break;
		case 'v': in.vendor = optarg; break;
		case 'p': pw_stdin = true; break;
		case 'f':
			if ((r = cli_parse_format("user", optarg, &fmt)))
				return r;
			break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("user", "unknown or incomplete option '%s'", argv[optind]);
		}
	}
	if (optind < argc - 1)
		return cli_usage("user", "unexpected argument '%s'", argv[optind + 1]);
	if (strcmp(sub, "add") == 0) {
		if (!in.email || !in.name || !role)
			return cli_usage("user", "user add needs --email, --name and --role");
		in.role = user_role_from_string(role);
		if ((int)in.role < 0)
			return cli_usage(
			        "user",
			        "--role must be admin, manager, agent, client_viewer, dpo, auditor or vendor_agent, "
			        "not '%s'",
			        role);
		if ((in.role == USER_ROLE_CLIENT_VIEWER || in.role == USER_ROLE_DPO) && n_clients == 0)
			return cli_usage("user", "role %s needs at least one --client CODE", role);
	}
	if (strcmp(sub, "unlock") == 0 && !in.email)
		return cli_usage("user", "user unlock needs --email");
	if (strcmp(sub, "passwd") == 0 && (!in.email || !pw_stdin))
		return cli_usage("user", "user passwd needs --email and --password-stdin");
	char pw[LS_MAX_PASSWORD_BYTES + 2];
	if (pw_stdin) {
		if (read_password(pw, sizeof(pw)) < 0)
			return cli_failf("user", "no password on standard input");
		in.password = pw;
	}
	in.clients = clients;
	in.n_clients = n_clients;
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "user", cli_db_path(db), 0)))
		return r;
	if (strcmp(sub, "add") == 0) {
		struct user u;
		if (directory_user_add(&ctx.svc, &in, &u) < 0) {
			r = cli_fail("user", &ctx.err);
		} else if (fmt == CLI_FORMAT_JSON) {
			/* through jansson: an email may hold a quote */
			json_t *o = json_pack("{s:s,s:s}", "email", u.email, "role", user_role_to_string(u.role));
			json_dumpf(o, stdout, JSON_COMPACT);
			putchar('\n');
			json_decref(o);
		} else {
			printf("added user %s (%s)\n", u.email, user_role_to_string(u.role));
		}
	} else if (strcmp(sub, "unlock") == 0) {
		if (auth_unlock(&ctx.svc, in.email) < 0)
			r = cli_fail("user", &ctx.err);
		else
			printf("unlocked %s\n", in.email);
	} else if (strcmp(sub, "passwd") == 0) {
		if (directory_user_set_password(&ctx.svc, in.email, in.password) < 0)
			r = cli_fail("user", &ctx.err);
		else
			printf("password of %s changed\n", in.email);
	} else {
		struct user *v;
		size_t n;
		if (directory_user_list(&ctx.svc, &v, &n) < 0) {
			r = cli_fail("user", &ctx.err);
		} else if (fmt == CLI_FORMAT_JSON) {
			json_t *arr = json_array();
			for (size_t i = 0; i < n; i++) {
				json_t *cl = json_array();
				for (size_t k = 0; k < v[i].n_clients; k++)
					json_array_append_new(cl, json_string(v[i].client_codes[k]));
				json_t *o = json_pack("{s:s,s:s,s:s,s:b,s:o}", "email", v[i].email, "name", v[i].name,
				                      "role", user_role_to_string(v[i].role), "active", v[i].active,
				                      "clients", cl);
				if (v[i].vendor_code)
					json_object_set_new(o, "vendor", json_string(v[i].vendor_code));
				json_array_append_new(arr, o);
			}
			json_dumpf(arr, stdout, JSON_INDENT(2));
			putchar('\n');
			json_decref(arr);
		} else {
			printf("%-32s %-24s %-14s %s\n", "EMAIL", "NAME", "ROLE", "CLIENTS");
			for (size_t i = 0; i < n; i++) {
				printf("%-32s %-24s %-14s ", v[i].email, v[i].name, user_role_to_string(v[i].role));
				if (v[i].role == USER_ROLE_ADMIN ||
				    (v[i].role == USER_ROLE_AUDITOR && v[i].n_clients == 0))
					printf("(all)");
				if (v[i].vendor_code)
					printf("(vendor %s)", v[i].vendor_code);
				for (size_t k = 0; k < v[i].n_clients; k++)
					printf("%s%s", k ? "," : "", v[i].client_codes[k]);
				putchar('\n');
			}
		}
	}
	explicit_bzero(pw, sizeof(pw));
	cli_ctx_close(&ctx);
	return r;
}
