/* leitstand retention run, and leitstand privacy record (the Art. 30 document;
 * cmd_privacy.c hands the `record` subcommand here). Room: cli. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "service/processing.h"
#include "service/retention.h"

static const char run_help[] =
        "Usage: leitstand retention run [--db PATH] [--client CODE] [--dry-run] [--now TIME]\n"
        "                               [--format text|json]\n\n"
        "Apply every client's retention rules (docs/privacy.md, \"Retention and legal holds\"):\n"
        "tickets: requesters whose closed tickets are all due are erased (pseudonymised; tickets,\n"
        "times and KPIs stay); replies: message bodies of due tickets are replaced by a marker;\n"
        "call_records: ACD intervals are deleted; audit_entries: the oldest audit entries are\n"
        "deleted under an anchor (only in a run over every client); attachments: none are stored.\n"
        "Nothing under an active legal hold is touched. Prints per client and kind what was\n"
        "done, due, waiting (a person with tickets not yet due) and held. `leitstand serve` runs\n"
        "this every day (--retention-at).\n\n"
        "  --client CODE  only this client (the audit log is then left alone)\n"
        "  --dry-run      show what is due; change and log nothing\n"
        "  --now TIME     run as of this instant, RFC 3339 (tests, and what-if runs)\n"
        "  --format FMT   text (default) or json\n"
        "  --db PATH      database file\n"
        "  --help         show this help\n";

static void print_kind(json_t *k)
{
	const char *note = json_string_value(json_object_get(k, "note"));
	printf("  %-14s %-13s", json_string_value(json_object_get(k, "kind")),
	       json_string_value(json_object_get(k, "action")) ? json_string_value(json_object_get(k, "action")) : "");
	if (json_is_null(json_object_get(k, "rule")) || !json_object_get(k, "due")) {
		printf(" %s\n", note ? note : "");
		return;
	}
	printf(" done %lld, due %lld, waiting %lld, held %lld %s",
	       (long long)json_integer_value(json_object_get(k, "done")),
	       (long long)json_integer_value(json_object_get(k, "due")),
	       (long long)json_integer_value(json_object_get(k, "waiting")),
	       (long long)json_integer_value(json_object_get(k, "held")),
	       json_string_value(json_object_get(k, "unit")));
	json_t *t = json_object_get(k, "tickets");
	if (t && strcmp(json_string_value(json_object_get(k, "kind")), "tickets") == 0)
		printf(" (tickets %lld, waiting %lld, held %lld)", (long long)json_integer_value(t),
		       (long long)json_integer_value(json_object_get(k, "tickets_waiting")),
		       (long long)json_integer_value(json_object_get(k, "tickets_held")));
	if (note)
		printf("; %s", note);
	putchar('\n');
}

static void print_text(json_t *rep)
{
	printf("retention run as of %s%s\n", json_string_value(json_object_get(rep, "as_of")),
	       json_is_true(json_object_get(rep, "dry_run")) ? " (dry run: nothing changed)" : "");
	size_t i, j;
	json_t *c, *k;
	json_array_foreach(json_object_get(rep, "clients"), i, c)
	{
		printf("%s (rules version %lld)%s\n", json_string_value(json_object_get(c, "client")),
		       (long long)json_integer_value(json_object_get(c, "rules_version")),
		       json_is_true(json_object_get(c, "client_held")) ? ": under a legal hold" : "");
		json_array_foreach(json_object_get(c, "kinds"), j, k) print_kind(k);
	}
	json_t *a = json_object_get(rep, "audit_entries");
	if (a) {
		printf("installation\n");
		print_kind(a);
	}
}

int cmd_retention(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"client", required_argument, NULL, 'c'},
	        {"dry-run", no_argument, NULL, 'n'},
	        {"now", required_argument, NULL, 't'},
	        {"format", required_argument, NULL, 'f'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	if (argc < 2)
		return cli_usage("retention", "missing subcommand: run");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(run_help, stdout);
		return 0;
	}
	if (strcmp(argv[1], "run") != 0)
		return cli_usage("retention", "unknown subcommand '%s': use run", argv[1]);
	const char *db = NULL, *client = NULL;
	bool dry = false;
	ls_time now = 0;
	enum cli_format fmt = CLI_FORMAT_TEXT;
	int c;
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': client = optarg; break;
		case 'n': dry = true; break;
		case 't':
			if (time_parse_rfc3339(optarg, &now) < 0)
				return cli_usage("retention", "--now must be an RFC 3339 time (got '%s')", optarg);
			break;
		case 'f':
			if (cli_parse_format("retention", optarg, &fmt) < 0)
				return EXIT_USAGE;
			break;
		case 'h': fputs(run_help, stdout); return 0;
		default: return cli_usage("retention", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("retention", "unexpected argument '%s'", argv[optind]);
	struct cli_ctx ctx;
	int r;
	if ((r = cli_ctx_open(&ctx, "retention", cli_db_path(db), 0)))
		return r;
	if (now)
		ctx.svc.now = now;
	json_t *rep = NULL;
	struct retention_run_opts o = {.client = client, .dry_run = dry};
	if (retention_run(&ctx.svc, &o, &rep) < 0) {
		r = cli_fail("retention", &ctx.err);
	} else {
		if (fmt == CLI_FORMAT_JSON) {
			char *t = json_dumps(rep, JSON_INDENT(2) | JSON_SORT_KEYS);
			puts(t);
			free(t); /* json_dumps allocates with malloc */
		} else {
			print_text(rep);
		}
		json_decref(rep);
		r = 0;
	}
	cli_ctx_close(&ctx);
	return r;
}

static const char record_help[] =
        "Usage: leitstand privacy record --client CODE [--format html|md|json] [--lang de|en]\n"
        "                                [-o FILE] [--db PATH]\n\n"
        "The record of processing activities (Art. 30 GDPR) and the AVV register of a client as a\n"
        "document to hand over: what was entered through PUT /api/v1/privacy/processing-record/CODE\n"
        "and what Leitstand generates (data it stores, vendors, retention rules, measures).\n\n"
        "  --client CODE  the client (required)\n"
        "  --format FMT   html (default; self-contained, printable), md or json\n"
        "  --lang LANG    de (default) or en\n"
        "  -o FILE        write to FILE instead of standard output\n"
        "  --db PATH      database file\n"
        "  --help         show this help\n";

int cmd_privacy_record(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"client", required_argument, NULL, 'c'},
	        {"format", required_argument, NULL, 'f'},
	        {"lang", required_argument, NULL, 'l'},
	        {"output", required_argument, NULL, 'o'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	const char *db = NULL, *client = NULL, *fmt = "html", *lang = "de", *out = NULL;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': client = optarg; break;
		case 'f': fmt = optarg; break;
		case 'l': lang = optarg; break;
		case 'o': out = optarg; break;
		case 'h': fputs(record_help, stdout); return 0;
		default: return cli_usage("privacy record", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("privacy record", "unexpected argument '%s'", argv[optind]);
	if (!client)
		return cli_usage("privacy record", "--client CODE is required");
	if (strcmp(fmt, "html") != 0 && strcmp(fmt, "md") != 0 && strcmp(fmt, "json") != 0)
		return cli_usage("privacy record", "--format must be html, md or json");
	if (strcmp(lang, "de") != 0 && strcmp(lang, "en") != 0)
		return cli_usage("privacy record", "--lang must be de or en");
	struct cli_ctx ctx;
	int r;
	if ((r = cli_ctx_open(&ctx, "privacy record", cli_db_path(db), 0)))
		return r;
	char *text;
	size_t n;
	if (processing_record_document(&ctx.svc, client, fmt, lang, &text, &n) < 0) {
		r = cli_fail("privacy record", &ctx.err);
	} else {
		FILE *f = out ? fopen(out, "wb") : stdout;
		if (!f) {
			r = cli_failf("privacy record", "cannot write '%s': %m", out);
		} else {
			bool ok = fwrite(text, 1, n, f) == n;
			if (out)
				ok = fclose(f) == 0 && ok;
			r = ok ? 0 : cli_failf("privacy record", "cannot write '%s': %m", out ? out : "stdout");
		}
		xfree(text);
	}
	cli_ctx_close(&ctx);
	return r;
}
