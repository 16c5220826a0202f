/* leitstand token create|list|revoke. Room: cli.
 * `create` prints the token alone on stdout so that scripts can capture it:
 * TOKEN=$(leitstand token create --email a@example.com). */
#include <getopt.h>
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "core/parse.h"
#include "service/auth.h"
#include "store/dirdb.h"

static const char help[] =
        "Usage: leitstand token create --email EMAIL [--name LABEL] [--expires 30d|12h] [--db PATH]\n"
        "       leitstand token list [--email EMAIL] [--format text|json] [--db PATH]\n"
        "       leitstand token revoke --id N [--db PATH]\n\n"
        "create makes an API token for a user and prints it alone on stdout. Only a hash is\n"
        "stored: the token cannot be shown again. Send it as 'Authorization: Bearer TOKEN'.\n"
        "list shows tokens (never the tokens themselves), newest first; revoke ends one at\n"
        "once (a running server notices within a second).\n\n"
        "  --email EMAIL      the user the token acts as (list: only this user's tokens)\n"
        "  --name LABEL       what the token is for (shown in listings)\n"
        "  --expires DUR      expire after DUR: N followed by d (days) or h (hours), at most 3650d\n"
        "                     (default: never)\n"
        "  --expires-days N   the same as --expires Nd\n"
        "  --id N             the token to revoke (from token list)\n"
        "  --format FMT       text (default) or json\n"
        "  --db PATH          database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
        "  --help             show this help\n";

/* "30d" or "12h" in seconds; -EINVAL otherwise. */
static int parse_expiry(const char *s, ls_time *ret)
{
	size_t n = strlen(s);
	if (n < 2 || n > 8 || (s[n - 1] != 'd' && s[n - 1] != 'h'))
		return -EINVAL;
	char num[8];
	memcpy(num, s, n - 1);
	num[n - 1] = '\0';
	int v;
	int max = s[n - 1] == 'd' ? 3650 : 3650 * 24;
	if (parse_int(num, 1, max, &v) < 0)
		return -EINVAL;
	*ret = (ls_time)v * (s[n - 1] == 'd' ? 86400 : 3600);
	return 0;
}

static void print_list(const struct api_token *v, size_t n, const char *email, enum cli_format fmt, ls_time now)
{
	json_t *arr = json_array();
	if (fmt == CLI_FORMAT_TEXT)
		printf("%-6s %-32s %-16s %-22s %s\n", "ID", "USER", "NAME", "EXPIRES", "STATE");
	for (size_t i = 0; i < n; i++) {
		if (email && strcasecmp(v[i].user_email, email) != 0)
			continue;
		const char *state = v[i].revoked_at                             ? "revoked"
		                    : v[i].expires_at && v[i].expires_at <= now ? "expired"
		                                                                : "active";
		char exp[32] = "never";
		if (v[i].expires_at)
			time_format_rfc3339(v[i].expires_at, exp, sizeof(exp));
		if (fmt == CLI_FORMAT_JSON)
			json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)v[i].id, "user",
			                                     v[i].user_email, "name", v[i].name ? v[i].name : "",
			                                     "expires_at", exp, "state", state));
		else
			printf("%-6lld %-32s %-16s %-22s %s\n", (long long)v[i].id, v[i].user_email,
			       v[i].name ? v[i].name : "", exp, state);
	}
	if (fmt == CLI_FORMAT_JSON) {
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_decref(arr);
}

int cmd_token(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"email", required_argument, NULL, 'e'},
	        {"name", required_argument, NULL, 'n'},
	        {"expires-days", required_argument, NULL, 'x'},
	        {"expires", required_argument, NULL, 'E'},
	        {"id", required_argument, NULL, 'i'},
	        {"format", required_argument, NULL, 'f'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("token", "missing subcommand: create, list or revoke");
	const char *sub = argv[1];
	if (strcmp(sub, "create") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "revoke") != 0)
		return cli_usage("token", "unknown subcommand '%s': use create, list or revoke", sub);
	const char *db = NULL, *email = NULL, *name = "cli";
	ls_time expires = 0;
	int64_t id = 0;
	enum cli_format fmt = CLI_FORMAT_TEXT;
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
			expires = (ls_time)days * 86400;
			break;
		case 'E':
			if (parse_expiry(optarg, &expires) < 0)
				return cli_usage("token", "--expires must be like 30d or 12h (at most 3650d), not '%s'",
				                 optarg);
			break;
		case 'i':
			if (parse_i64(optarg, 1, INT64_MAX, &id) < 0)
				return cli_usage("token", "--id must be a token id from token list");
			break;
		case 'f':
			if ((r = cli_parse_format("token", optarg, &fmt)))
				return r;
			break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("token", "unknown or incomplete option '%s'", argv[optind]);
		}
	}
	if (optind < argc - 1)
		return cli_usage("token", "unexpected argument '%s'", argv[optind + 1]);
	if (strcmp(sub, "create") == 0 && !email)
		return cli_usage("token", "token create needs --email");
	if (strcmp(sub, "revoke") == 0 && !id)
		return cli_usage("token", "token revoke needs --id");
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "token", cli_db_path(db), 0)))
		return r;
	if (strcmp(sub, "create") == 0) {
		const char *tok;
		if (auth_token_create(&ctx.svc, email, name, expires ? ctx.svc.now + expires : 0, &tok) < 0)
			r = cli_fail("token", &ctx.err);
		else
			printf("%s\n", tok);
	} else if (strcmp(sub, "list") == 0) {
		struct api_token *v;
		size_t n;
		if (auth_token_list(&ctx.svc, &v, &n) < 0)
			r = cli_fail("token", &ctx.err);
		else
			print_list(v, n, email, fmt, ctx.svc.now);
	} else {
		struct api_token t;
		if (auth_token_revoke(&ctx.svc, id, &t) < 0)
			r = cli_fail("token", &ctx.err);
		else
			printf("revoked token %lld of %s\n", (long long)t.id, t.user_email);
	}
	cli_ctx_close(&ctx);
	return r;
}
