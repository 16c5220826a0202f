/* leitstand action add|list|set and leitstand contract show|set: a client's action
 * plan and contract (service/plans.h). Room: cli. Errors name the option. */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/parse.h"
#include "service/plans.h"

static const char action_help[] =
        "Usage: leitstand action add --client CODE --title TEXT --due DATE [--owner TEXT] [--agreed DATE]\n"
        "                            [--state STATE] [--closed DATE] [--finding KIND[:DETAIL]] [--db PATH]\n"
        "       leitstand action list --client CODE [--format text|json] [--db PATH]\n"
        "       leitstand action set --client CODE --id N [--title TEXT] [--owner TEXT] [--due DATE]\n"
        "                            [--agreed DATE] [--state STATE] [--closed DATE]\n"
        "                            [--finding KIND[:DETAIL] | --no-finding] [--version N] [--db PATH]\n\n"
        "The action plan of a client: the actions agreed with its steering committee. The\n"
        "monthly and quarterly reports show it with its status and overdue flags as of the\n"
        "period end (docs/reports.md \"Action plan\").\n\n"
        "  --client CODE      the client\n"
        "  --title TEXT       what is to be done (1-300 bytes)\n"
        "  --owner TEXT       who does it: a name or a role\n"
        "  --due DATE         due date, 2026-12-31 (required for add)\n"
        "  --agreed DATE      the day it was agreed (default: today in the client's zone)\n"
        "  --state STATE      open (default), in_progress, done or dropped\n"
        "  --closed DATE      the day it was done or dropped (default: today when the state closes)\n"
        "  --finding F        the finding of `leitstand analyze` it answers: its kind, optionally\n"
        "                     with a detail (sla_hotspot:Netzwerk)\n"
        "  --no-finding       set: remove the finding\n"
        "  --id N             set: the action\n"
        "  --version N        set: the version the change is based on (default: the stored one)\n"
        "  --format FMT       list: text (default) or json\n"
        "  --db PATH          database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
        "  --help             show this help\n";

static const char contract_help[] =
        "Usage: leitstand contract show --client CODE [--format text|json] [--db PATH]\n"
        "       leitstand contract set --client CODE --fee AMOUNT --valid-from DATE [--valid-to DATE]\n"
        "                              [--currency EUR] [--included N] [--price AMOUNT]\n"
        "                              [--sla-target FRACTION] [--penalty AMOUNT] [--db PATH]\n\n"
        "The service contract of a client, for the contract economics of the quarterly\n"
        "report (docs/reports.md \"Contract economics\"). set replaces the whole contract.\n"
        "Amounts in C notation with at most two decimals: 12500.00.\n\n"
        "  --client CODE         the client\n"
        "  --fee AMOUNT          fixed fee per month (required)\n"
        "  --included N          tickets per month covered by the fee (default 0)\n"
        "  --price AMOUNT        price per ticket beyond the included ones (default 0)\n"
        "  --sla-target FRACTION SLA compliance target, e.g. 0.95 (needed with --penalty)\n"
        "  --penalty AMOUNT      penalty per percentage point below the target, per month\n"
        "  --valid-from DATE     first day of the contract (required)\n"
        "  --valid-to DATE       last day (default: open-ended)\n"
        "  --currency CODE       ISO 4217 code (default EUR)\n"
        "  --format FMT          show: text (default) or json\n"
        "  --db PATH             database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
        "  --help                show this help\n";

static void print_day(int64_t day)
{
	char buf[16];
	fputs(day == PLAN_NO_DAY ? "-" : plan_day_format(day, buf, sizeof(buf)), stdout);
}

static json_t *action_json(const struct action *a)
{
	char ag[16], du[16], cl[16];
	return json_pack(
	        "{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:I}", "id", (json_int_t)a->id, "title", a->title, "owner",
	        a->owner ? a->owner : "", "state", action_state_to_string(a->state), "agreed_on",
	        plan_day_format(a->agreed_on, ag, sizeof(ag)), "due_on", plan_day_format(a->due_on, du, sizeof(du)),
	        "closed_on",
	        a->closed_on == PLAN_NO_DAY ? json_null() : json_string(plan_day_format(a->closed_on, cl, sizeof(cl))),
	        "finding", a->finding ? json_string(a->finding) : json_null(), "version", (json_int_t)a->version);
}

/* The option of a service error's field. */
static const char *action_option(const char *field)
{
	static const char *const map[][2] = {
	        {"title", "--title"},     {"owner", "--owner"},      {"state", "--state"},
	        {"due_on", "--due"},      {"agreed_on", "--agreed"}, {"closed_on", "--closed"},
	        {"finding", "--finding"}, {"client", "--client"},    {"id", "--id"},
	        {"version", "--version"}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], field) == 0)
			return map[i][1];
	return NULL;
}

static int fail_named(const char *cmd, const struct lserr *e, const char *(*option)(const char *))
{
	const char *opt = e->field[0] ? option(e->field) : NULL;
	if (!opt)
		return cli_fail(cmd, e);
	return cli_failf(cmd, "%s: %s", opt, e->message);
}

int cmd_action(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"client", required_argument, NULL, 'c'},
	        {"title", required_argument, NULL, 't'},
	        {"owner", required_argument, NULL, 'o'},
	        {"due", required_argument, NULL, 'u'},
	        {"agreed", required_argument, NULL, 'a'},
	        {"state", required_argument, NULL, 's'},
	        {"closed", required_argument, NULL, 'C'},
	        {"finding", required_argument, NULL, 'F'},
	        {"no-finding", no_argument, NULL, 'N'},
	        {"id", required_argument, NULL, 'i'},
	        {"version", required_argument, NULL, 'v'},
	        {"format", required_argument, NULL, 'f'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(action_help, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("action", "missing subcommand: add, list or set");
	const char *sub = argv[1];
	if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "set") != 0)
		return cli_usage("action", "unknown subcommand '%s': use add, list or set", sub);
	const char *db = NULL, *client = NULL;
	struct action_input in = {0};
	int64_t id = 0, version = 0;
	enum cli_format fmt = CLI_FORMAT_TEXT;
	int c, r;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': client = optarg; break;
		case 't': in.title = optarg; break;
		case 'o': in.owner = optarg; break;
		case 'u': in.due_on = optarg; break;
		case 'a': in.agreed_on = optarg; break;
		case 's': in.state = optarg; break;
		case 'C': in.closed_on = optarg; break;
		case 'F': in.finding = optarg; break;
		case 'N': in.clear_finding = true; break;
		case 'i':
			if (parse_i64(optarg, 1, INT64_MAX, &id) < 0)
				return cli_usage("action", "--id must be a positive integer, not '%s'", optarg);
			break;
		case 'v':
			if (parse_i64(optarg, 1, INT64_MAX, &version) < 0)
				return cli_usage("action", "--version must be a positive integer, not '%s'", optarg);
			break;
		case 'f':
			if ((r = cli_parse_format("action", optarg, &fmt)))
				return r;
			break;
		case 'h': fputs(action_help, stdout); return 0;
		default: return cli_usage("action", "unknown or incomplete option '%s'", argv[optind]);
		}
	}
	if (optind < argc - 1)
		return cli_usage("action", "unexpected argument '%s'", argv[optind + 1]);
	if (!client)
		return cli_usage("action", "--client CODE is required");
	if (strcmp(sub, "add") == 0 && (!in.title || !in.due_on))
		return cli_usage("action", "action add needs --title and --due");
	if (strcmp(sub, "set") == 0 && !id)
		return cli_usage("action", "action set needs --id");
	if (in.finding && in.clear_finding)
		return cli_usage("action", "--finding and --no-finding exclude each other");
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "action", cli_db_path(db), 0)))
		return r;
	struct action a;
	if (strcmp(sub, "add") == 0) {
		if (plans_action_add(&ctx.svc, client, &in, &a) < 0)
			r = fail_named("action", &ctx.err, action_option);
		else
			printf("added action %lld to %s\n", (long long)a.id, client);
	} else {
		struct action_list l;
		if (plans_actions(&ctx.svc, client, &l) < 0) {
			r = fail_named("action", &ctx.err, action_option);
		} else if (strcmp(sub, "list") == 0 && fmt == CLI_FORMAT_JSON) {
			json_t *arr = json_array();
			for (size_t i = 0; i < l.n; i++)
				json_array_append_new(arr, action_json(&l.items[i]));
			json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			putchar('\n');
			json_decref(arr);
		} else if (strcmp(sub, "list") == 0) {
			printf("%-5s %-11s %-10s %-10s %-20s %s\n", "ID", "STATE", "DUE", "CLOSED", "OWNER", "TITLE");
			for (size_t i = 0; i < l.n; i++) {
				const struct action *x = &l.items[i];
				printf("%-5lld %-11s ", (long long)x->id, action_state_to_string(x->state));
				print_day(x->due_on);
				fputs(x->closed_on == PLAN_NO_DAY ? "          " : " ", stdout);
				if (x->closed_on != PLAN_NO_DAY)
					print_day(x->closed_on);
				printf(" %-20.20s %s\n", x->owner, x->title);
			}
		} else {
			int64_t ver = version;
			for (size_t i = 0; !ver && i < l.n; i++)
				if (l.items[i].id == id)
					ver = l.items[i].version;
			if (!ver) {
				r = cli_failf("action", "--id: client '%s' has no action %lld", client, (long long)id);
			} else if (plans_action_update(&ctx.svc, client, id, ver, &in, &a) < 0) {
				r = fail_named("action", &ctx.err, action_option);
			} else {
				printf("action %lld of %s: %s, version %lld\n", (long long)a.id, client,
				       action_state_to_string(a.state), (long long)a.version);
			}
		}
	}
	cli_ctx_close(&ctx);
	return r;
}

static const char *contract_option(const char *field)
{
	static const char *const map[][2] = {
	        {"monthly_fee", "--fee"},       {"included_tickets", "--included"}, {"price_per_ticket", "--price"},
	        {"sla_target", "--sla-target"}, {"penalty_per_point", "--penalty"}, {"valid_from", "--valid-from"},
	        {"valid_to", "--valid-to"},     {"currency", "--currency"},         {"client", "--client"}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], field) == 0)
			return map[i][1];
	return NULL;
}

/* A numeric option as a JSON number when it reads as one (else as a string, which
 * the contract parser refuses with the field's message). */
static json_t *number_or_text(const char *s, bool integer)
{
	int64_t i;
	double d;
	if (integer && parse_i64(s, INT64_MIN, INT64_MAX, &i) == 0)
		return json_integer(i);
	if (!integer && parse_double(s, -1e300, 1e300, &d) == 0)
		return json_real(d);
	return json_string(s);
}

int cmd_contract(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"client", required_argument, NULL, 'c'},
	        {"fee", required_argument, NULL, 'F'},
	        {"included", required_argument, NULL, 'i'},
	        {"price", required_argument, NULL, 'p'},
	        {"sla-target", required_argument, NULL, 's'},
	        {"penalty", required_argument, NULL, 'P'},
	        {"valid-from", required_argument, NULL, 'a'},
	        {"valid-to", required_argument, NULL, 'b'},
	        {"currency", required_argument, NULL, 'C'},
	        {"format", required_argument, NULL, 'f'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(contract_help, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("contract", "missing subcommand: show or set");
	const char *sub = argv[1];
	if (strcmp(sub, "show") != 0 && strcmp(sub, "set") != 0)
		return cli_usage("contract", "unknown subcommand '%s': use show or set", sub);
	const char *db = NULL, *client = NULL;
	enum cli_format fmt = CLI_FORMAT_TEXT;
	json_t *body = json_object();
	int c, r = 0;
	optind = 1;
	opterr = 0;
	while (r == 0 && (c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': client = optarg; break;
		case 'F': json_object_set_new(body, "monthly_fee", json_string(optarg)); break;
		case 'i': json_object_set_new(body, "included_tickets", number_or_text(optarg, true)); break;
		case 'p': json_object_set_new(body, "price_per_ticket", json_string(optarg)); break;
		case 's': json_object_set_new(body, "sla_target", number_or_text(optarg, false)); break;
		case 'P': json_object_set_new(body, "penalty_per_point", json_string(optarg)); break;
		case 'a': json_object_set_new(body, "valid_from", json_string(optarg)); break;
		case 'b': json_object_set_new(body, "valid_to", json_string(optarg)); break;
		case 'C': json_object_set_new(body, "currency", json_string(optarg)); break;
		case 'f': r = cli_parse_format("contract", optarg, &fmt); break;
		case 'h':
			fputs(contract_help, stdout);
			json_decref(body);
			return 0;
		default: r = cli_usage("contract", "unknown or incomplete option '%s'", argv[optind]); break;
		}
	}
	if (r == 0 && optind < argc - 1)
		r = cli_usage("contract", "unexpected argument '%s'", argv[optind + 1]);
	if (r == 0 && !client)
		r = cli_usage("contract", "--client CODE is required");
	if (r == 0 && strcmp(sub, "set") == 0 &&
	    (!json_object_get(body, "monthly_fee") || !json_object_get(body, "valid_from")))
		r = cli_usage("contract", "contract set needs --fee and --valid-from");
	struct cli_ctx ctx;
	if (r || (r = cli_ctx_open(&ctx, "contract", cli_db_path(db), 0))) {
		json_decref(body);
		return r;
	}
	struct contract_set cur;
	if (plans_contract_get(&ctx.svc, client, &cur) < 0) {
		r = fail_named("contract", &ctx.err, contract_option);
	} else if (strcmp(sub, "set") == 0) {
		struct contract_set set;
		if (plans_contract_put(&ctx.svc, client, body, cur.version, &set) < 0)
			r = fail_named("contract", &ctx.err, contract_option);
		else
			printf("contract of %s stored, version %lld\n", set.client, (long long)set.version);
	} else if (fmt == CLI_FORMAT_JSON) {
		json_t *o = json_pack("{s:s,s:o,s:I}", "client", cur.client, "contract",
		                      cur.stored ? contract_to_json(&cur.c) : json_null(), "version",
		                      (json_int_t)cur.version);
		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(o);
	} else if (!cur.stored) {
		printf("client %s has no contract\n", cur.client);
	} else {
		char a[32], b[32], p[32];
		printf("client            %s (version %lld)\n", cur.client, (long long)cur.version);
		printf("monthly fee       %s %s\n", plan_money_format(cur.c.monthly_fee, a, sizeof(a)), cur.c.currency);
		printf("included tickets  %lld per month\n", (long long)cur.c.included_tickets);
		printf("price per ticket  %s %s beyond them\n", plan_money_format(cur.c.price_per_ticket, b, sizeof(b)),
		       cur.c.currency);
		if (cur.c.sla_target_bp)
			printf("SLA target        %d.%02d %%, penalty %s %s per point below, per month\n",
			       cur.c.sla_target_bp / 100, cur.c.sla_target_bp % 100,
			       plan_money_format(cur.c.penalty_per_point, p, sizeof(p)), cur.c.currency);
		fputs("valid             ", stdout);
		print_day(cur.c.valid_from);
		fputs(" to ", stdout);
		if (cur.c.valid_to == PLAN_NO_DAY)
			fputs("open end", stdout);
		else
			print_day(cur.c.valid_to);
		putchar('\n');
	}
	json_decref(body);
	cli_ctx_close(&ctx);
	return r;
}
