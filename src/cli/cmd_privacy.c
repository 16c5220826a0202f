/* leitstand privacy requests list|add|show|close: the register of data-subject
 * requests from the command line (service/dsr.h). Room: cli.
 * Runs as the system actor: every change is in the request's history and in the
 * audit log (kind privacy, actor system). */
#include <getopt.h>
#include <jansson.h>
#include <string.h>

#include "cli/cli.h"
#include "core/limits.h"
#include "core/parse.h"
#include "service/dsr.h"

static const char help[] =
        "Usage: leitstand privacy requests list [--client CODE] [--state STATE] [--overdue] [--format text|json]\n"
        "       leitstand privacy requests add --client CODE --kind KIND --channel CHANNEL [--received TIME]\n"
        "                                      [--person ID] [--reference TEXT] [--note TEXT]\n"
        "       leitstand privacy requests show ID [--format text|json]\n"
        "       leitstand privacy requests close ID [--outcome TEXT] [--reject]\n"
        "       leitstand privacy record --client CODE [--format html|md|json] [--lang de|en] [-o FILE]\n"
        "       (each with [--db PATH])\n\n"
        "The register of data-subject requests (Art. 12 GDPR; docs/privacy.md). A request is due\n"
        "one calendar month after receipt, on the same day of the month or the month's last day\n"
        "(received 31 January: due 28/29 February), in the client's time zone. Extensions (once,\n"
        "before the first deadline) are made through the API: PATCH /api/v1/privacy/requests/ID.\n\n"
        "  --client CODE     the client (controller) the request concerns\n"
        "  --kind KIND       access, rectification, erasure, restriction, portability, objection\n"
        "  --channel CH      how it came: web, email, phone, letter, in_person, api\n"
        "  --received TIME   when it was received, RFC 3339 or YYYY-MM-DD (default now; never future)\n"
        "  --person ID       the person, once identified\n"
        "  --reference TEXT  the letter's or ticket's reference\n"
        "  --note TEXT       a note for the history (no personal data beyond what is needed)\n"
        "  --state STATE     open, in_progress, done, rejected\n"
        "  --overdue         only requests not closed whose deadline has passed\n"
        "  --outcome TEXT    what was done; with --reject the reasons given to the person\n"
        "  --reject          close as rejected instead of done (needs --outcome)\n"
        "  --format FMT      text (default) or json\n"
        "  --db PATH         database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
        "  --help            show this help\n";

static json_t *request_json(const struct dsr_request *r, bool history)
{
	char rec[32], done[32];
	json_t *o =
	        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b}", "id", (json_int_t)r->id, "client",
	                  r->client_code, "kind", dsr_kind_to_string(r->kind), "state", dsr_state_to_string(r->state),
	                  "received_at", time_format_rfc3339(r->received_at, rec, sizeof(rec)), "due_date", r->due_date,
	                  "deadline", r->extended_until ? r->extended_date : r->due_date, "days_left",
	                  (json_int_t)r->days_left, "overdue", r->overdue);
	json_object_set_new(o, "person", r->person_id ? json_integer(r->person_id) : json_null());
	json_object_set_new(o, "extended_date", r->extended_until ? json_string(r->extended_date) : json_null());
	json_object_set_new(o, "completed_at",
	                    r->completed_at ? json_string(time_format_rfc3339(r->completed_at, done, sizeof(done)))
	                                    : json_null());
	json_object_set_new(o, "late", json_boolean(r->late));
	if (history) {
		json_t *h = json_array();
		for (size_t i = 0; i < r->n_events; i++) {
			const struct dsr_event *e = &r->events[i];
			json_array_append_new(h, json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?}", "at",
			                                   time_format_rfc3339(e->at, rec, sizeof(rec)), "actor",
			                                   e->actor, "action", e->action, "from", e->from_value, "to",
			                                   e->to_value, "note", e->note));
		}
		json_object_set_new(o, "history", h);
	}
	return o;
}

static void print_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(v);
}

static const char *deadline_of(const struct dsr_request *r)
{
	return r->extended_until ? r->extended_date : r->due_date;
}

static int run_list(struct cli_ctx *ctx, struct dsr_query *q, enum cli_format fmt)
{
	json_t *all = json_array();
	if (fmt == CLI_FORMAT_TEXT)
		printf("%-6s %-10s %-14s %-12s %-10s %-10s %5s  %s\n", "ID", "CLIENT", "KIND", "STATE", "RECEIVED",
		       "DEADLINE", "DAYS", "");
	for (;;) {
		struct dsr_request *v;
		size_t n;
		const char *next;
		if (dsr_list(&ctx->svc, q, &v, &n, &next) < 0) {
			json_decref(all);
			return cli_fail("privacy", &ctx->err);
		}
		for (size_t i = 0; i < n; i++) {
			if (fmt == CLI_FORMAT_JSON) {
				json_array_append_new(all, request_json(&v[i], false));
				continue;
			}
			char rec[32];
			time_format_rfc3339(v[i].received_at, rec, sizeof(rec));
			rec[10] = '\0';
			printf("%-6lld %-10s %-14s %-12s %-10s %-10s %5lld  %s\n", (long long)v[i].id, v[i].client_code,
			       dsr_kind_to_string(v[i].kind), dsr_state_to_string(v[i].state), rec, deadline_of(&v[i]),
			       (long long)v[i].days_left,
			       v[i].overdue ? "OVERDUE"
			       : v[i].late  ? "late"
			                    : "");
		}
		if (!next)
			break;
		q->cursor = next;
	}
	if (fmt == CLI_FORMAT_JSON)
		print_json(all);
	else
		json_decref(all);
	return 0;
}

static void print_request(const struct dsr_request *r)
{
	char buf[32];
	printf("request %lld (%s, %s)\n", (long long)r->id, r->client_code, dsr_kind_to_string(r->kind));
	printf("  state      %s%s\n", dsr_state_to_string(r->state),
	       r->overdue ? " (OVERDUE)"
	       : r->late  ? " (answered late)"
	                  : "");
	printf("  received   %s via %s\n", time_format_rfc3339(r->received_at, buf, sizeof(buf)),
	       privacy_channel_to_string(r->channel));
	printf("  due        %s\n", r->due_date);
	if (r->extended_until)
		printf("  extended   to %s: %s\n", r->extended_date, r->extension_reason);
	printf("  days left  %lld\n", (long long)r->days_left);
	if (r->person_id)
		printf("  person     %lld (%s)\n", (long long)r->person_id,
		       r->person_pseudonym ? r->person_pseudonym : "");
	if (r->reference)
		printf("  reference  %s\n", r->reference);
	if (r->completed_at)
		printf("  closed     %s%s%s\n", time_format_rfc3339(r->completed_at, buf, sizeof(buf)),
		       r->outcome ? ": " : "", r->outcome ? r->outcome : "");
	printf("history:\n");
	for (size_t i = 0; i < r->n_events; i++) {
		const struct dsr_event *e = &r->events[i];
		printf("  %s  %-10s %-9s %s%s%s%s%s\n", time_format_rfc3339(e->at, buf, sizeof(buf)), e->action,
		       e->actor, e->from_value ? e->from_value : "", e->from_value ? " -> " : "",
		       e->to_value ? e->to_value : "", e->note ? "  " : "", e->note ? e->note : "");
	}
}

static int parse_received(const char *v, ls_time *ret)
{
	return time_parse_rfc3339(v, ret);
}

int cmd_privacy(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"client", required_argument, NULL, 'c'},
	        {"kind", required_argument, NULL, 'k'},
	        {"channel", required_argument, NULL, 'C'},
	        {"received", required_argument, NULL, 'r'},
	        {"person", required_argument, NULL, 'p'},
	        {"reference", required_argument, NULL, 'R'},
	        {"note", required_argument, NULL, 'n'},
	        {"state", required_argument, NULL, 's'},
	        {"overdue", no_argument, NULL, 'o'},
	        {"outcome", required_argument, NULL, 'O'},
	        {"reject", no_argument, NULL, 'x'},
	        {"format", required_argument, NULL, 'f'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		if (argc < 2)
			return cli_usage("privacy", "missing subcommand: requests or record");
		fputs(help, stdout);
		return 0;
	}
	if (strcmp(argv[1], "record") == 0) /* the Art. 30 record: cmd_retention.c */
		return cmd_privacy_record(argc - 1, argv + 1);
	if (strcmp(argv[1], "requests") != 0)
		return cli_usage("privacy", "unknown subcommand '%s': use requests or record", argv[1]);
	if (argc < 3)
		return cli_usage("privacy", "missing action: list, add, show or close");
	const char *act = argv[2];
	if (strcmp(act, "--help") == 0 || strcmp(act, "-h") == 0) {
		fputs(help, stdout);
		return 0;
	}
	if (strcmp(act, "list") != 0 && strcmp(act, "add") != 0 && strcmp(act, "show") != 0 &&
	    strcmp(act, "close") != 0)
		return cli_usage("privacy", "unknown action '%s': use list, add, show or close", act);
	const char *db = NULL, *outcome = NULL, *person = NULL, *received = NULL;
	struct dsr_input in = {0};
	struct dsr_query q = {.limit = LS_MAX_PAGE_SIZE};
	bool reject = false;
	enum cli_format fmt = CLI_FORMAT_TEXT;
	int c, r;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 2, argv + 2, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': in.client = q.client = optarg; break;
		case 'k': in.kind = optarg; break;
		case 'C': in.channel = optarg; break;
		case 'r': received = optarg; break;
		case 'p': person = optarg; break;
		case 'R': in.reference = optarg; break;
		case 'n': in.note = optarg; break;
		case 's': q.state = optarg; break;
		case 'o': q.overdue = true; break;
		case 'O': outcome = optarg; break;
		case 'x': reject = true; break;
		case 'f':
			if ((r = cli_parse_format("privacy", optarg, &fmt)))
				return r;
			break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("privacy", "unknown or incomplete option '%s'", argv[optind + 1]);
		}
	}
	int64_t id = 0;
	bool needs_id = strcmp(act, "show") == 0 || strcmp(act, "close") == 0;
	if (needs_id) {
		if (optind >= argc - 2)
			return cli_usage("privacy", "requests %s needs the request id", act);
		if (parse_i64(argv[optind + 2], 1, INT64_MAX, &id) < 0)
			return cli_usage("privacy", "'%s' is not a request id", argv[optind + 2]);
		optind++;
	}
	if (optind < argc - 2)
		return cli_usage("privacy", "unexpected argument '%s'", argv[optind + 2]);
	if (strcmp(act, "add") == 0 && (!in.client || !in.kind || !in.channel))
		return cli_usage("privacy", "requests add needs --client, --kind and --channel");
	if (person && parse_i64(person, 1, INT64_MAX, &in.person_id) < 0)
		return cli_usage("privacy", "--person must be a person id");
	if (received && parse_received(received, &in.received_at) < 0)
		return cli_usage("privacy", "--received must be RFC 3339 (2026-01-31T09:00:00+01:00) or YYYY-MM-DD");
	if (reject && !outcome)
		return cli_usage("privacy", "--reject needs --outcome with the reasons given to the person");
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "privacy", cli_db_path(db), 0)))
		return r;
	struct dsr_request req;
	if (strcmp(act, "list") == 0) {
		r = run_list(&ctx, &q, fmt);
	} else if (strcmp(act, "add") == 0) {
		if (dsr_create(&ctx.svc, &in, &req) < 0) {
			r = cli_fail("privacy", &ctx.err);
		} else {
			printf("registered request %lld (%s, %s), due %s\n", (long long)req.id, req.client_code,
			       dsr_kind_to_string(req.kind), req.due_date);
		}
	} else if (strcmp(act, "show") == 0) {
		if (dsr_get(&ctx.svc, id, &req) < 0)
			r = cli_fail("privacy", &ctx.err);
		else if (fmt == CLI_FORMAT_JSON)
			print_json(request_json(&req, true));
		else
			print_request(&req);
	} else {
		int rc;
		if (reject) {
			struct dsr_request cur;
			rc = dsr_get(&ctx.svc, id, &cur);
			if (rc == 0) {
				struct dsr_patch p = {.fields = DSR_PATCH_STATE | DSR_PATCH_OUTCOME,
				                      .state = "rejected",
				                      .outcome = outcome};
				rc = dsr_update(&ctx.svc, id, cur.version, &p, &req);
			}
		} else {
			rc = dsr_complete(&ctx.svc, id, outcome);
		}
		if (rc < 0)
			r = cli_fail("privacy", &ctx.err);
		else
			printf("closed request %lld as %s\n", (long long)id, reject ? "rejected" : "done");
	}
	cli_ctx_close(&ctx);
	return r;
}
