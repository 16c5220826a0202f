/* leitstand sla replay: what-if evaluation of SLA policies over a JSON-lines stream
 * of ticket events, without a database. Room: cli.
 * This file does the I/O the engine may not: it reads the policy files and the event
 * stream (bounded: LS_MAX_SLA_POLICY_BYTES per policy, LS_MAX_SLA_EVENT_BYTES per
 * line), compiles each policy's calendar for all years, hands every line to
 * sla/replay.c, lets it check all tickets before printing anything (so bad input
 * never leaves half an output), and then streams the result ticket by ticket with one
 * arena reset per ticket. Every problem with the input is a usage error naming file,
 * line and field: exit 2. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <string.h>

#include "calendar/tz.h"
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/limits.h"
#include "sla/duration.h"
#include "sla/policy.h"
#include "sla/replay.h"

static const char help[] =
        "Usage: leitstand sla replay --policy POLICY.json --events EVENTS.jsonl [--at TIME]\n"
        "                            [--format text|json] [--ledger]\n\n"
        "What-if replay: evaluates an SLA policy against a stream of ticket events without a\n"
        "database and prints every ticket's targets (first response, next update, resolution)\n"
        "with their state, due instant and the business time they used, and a summary with\n"
        "the compliance met / (met + breached). docs/sla.md describes policies, events and\n"
        "the clock rules.\n\n"
        "  --policy FILE   the policy as JSON, e.g.\n"
        "                  {\"calendar\":{\"tz\":\"Europe/Berlin\",\"hours\":\"mon-fri 08:00-17:00\",\n"
        "                   \"holidays\":\"DE-NW\"},\"pause_states\":[\"pending_customer\"],\n"
        "                   \"targets\":{\"P1\":{\"first_response\":\"1h\",\"resolution\":\"4h\"}}}\n"
        "                  durations: 90s, 30m, 4h, 1h30m (no days). May be repeated: each\n"
        "                  ticket gets the applicable policy with the lowest \"order\"\n"
        "  --events FILE   one JSON event per line, '-' for standard input, e.g.\n"
        "                  "
        "{\"ticket\":\"INC1\",\"at\":\"2025-03-28T16:00:00+01:00\",\"kind\":\"created\",\"priority\":\"P2\"}\n"
        "                  kinds: created, reply (author, public), state (to), priority (to),\n"
        "                  resolved, reopened, closed, acknowledged (target, level)\n"
        "  --at TIME       evaluate as of TIME (RFC 3339 with offset); later events are\n"
        "                  checked but not applied. Default: the instant of the last event\n"
        "  --format FMT    text (default) or json\n"
        "  --ledger        add every ticket's clock ledger (running, outside hours, paused,\n"
        "                  resolved segments with the policy and calendar that applied)\n"
        "  --help          show this help\n\n"
        "Instants are printed in RFC 3339 with the policy calendar's offset. Exit status: 0\n"
        "success, 1 failure, 2 bad usage or input (file:line and the field are named).\n";

#define CMD "sla"

struct args {
	const char **policy_files;
	size_t n_policies;
	const char *events, *at;
	enum cli_format fmt;
	bool ledger;
};

struct loaded {
	struct arena arena;
	struct policy **policies;
	struct calendar **cals;
	size_t n;
};

static void loaded_release(struct loaded *l)
{
	for (size_t i = 0; i < l->n; i++)
		calendar_free(l->cals[i]);
	xfree(l->cals);
	xfree(l->policies);
	arena_release(&l->arena);
}

static int input_error(const char *where, const struct lserr *e)
{
	fprintf(stderr, "leitstand " CMD ": %s: %s\n", where, e->message[0] ? e->message : err_str(e->rc));
	if (e->hint[0])
		fprintf(stderr, "hint: %s\n", e->hint);
	return EXIT_USAGE;
}

static int read_file(const char *path, size_t max, char **ret, size_t *ret_n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cli_usage(CMD, "%s: %s", path, strerror(errno));
	char *buf = xmalloc(max + 1);
	size_t n = fread(buf, 1, max + 1, f);
	bool err = ferror(f);
	fclose(f);
	if (err) {
		xfree(buf);
		return cli_failf(CMD, "%s: read error", path);
	}
	if (n > max) {
		xfree(buf);
		return cli_usage(CMD, "%s: larger than %zu bytes", path, max);
	}
	buf[n] = '\0';
	*ret = buf;
	*ret_n = n;
	return 0;
}

static int load_policies(const struct args *a, struct loaded *l)
{
	arena_init(&l->arena);
	l->policies = xcalloc(a->n_policies, sizeof(*l->policies));
	l->cals = xcalloc(a->n_policies, sizeof(*l->cals));
	for (size_t i = 0; i < a->n_policies; i++) {
		char *text = NULL;
		size_t n = 0;
		int r = read_file(a->policy_files[i], LS_MAX_SLA_POLICY_BYTES, &text, &n);
		if (r)
			return r;
		struct lserr e;
		lserr_clear(&e);
		r = policy_parse(text, n, &l->arena, &l->policies[i], &e);
		xfree(text);
		if (r < 0)
			return input_error(a->policy_files[i], &e);
		if (policy_compile_calendar(l->policies[i], 0, 0, &l->cals[i], &e) < 0)
			return input_error(a->policy_files[i], &e);
		l->n = i + 1;
		l->policies[i]->cal = l->cals[i];
	}
	struct lserr e;
	if (policy_check_set((const struct policy *const *)l->policies, l->n, &e) < 0)
		return input_error("--policy", &e);
	return 0;
}

/* Feeds the event stream line by line; lines longer than the limit are an error. */
static int read_events(const char *path, struct replay *rp)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return cli_usage(CMD, "%s: %s", path, strerror(errno));
	const char *name = f == stdin ? "<stdin>" : path;
	size_t cap = LS_MAX_SLA_EVENT_BYTES + 2;
	char *buf = xmalloc(cap);
	int rc = 0;
	for (size_t lineno = 1; fgets(buf, (int)cap, f); lineno++) {
		size_t n = strlen(buf);
		char where[600];
		snprintf(where, sizeof(where), "%.512s:%zu", name, lineno);
		if (n == cap - 1 && buf[n - 1] != '\n') {
			rc = cli_usage(CMD, "%s: line longer than %d bytes", where, LS_MAX_SLA_EVENT_BYTES);
			break;
		}
		struct lserr e;
		lserr_clear(&e);
		if (replay_line(rp, buf, n, &e) < 0) {
			rc = input_error(where, &e);
			break;
		}
	}
	if (rc == 0 && ferror(f))
		rc = cli_failf(CMD, "%s: read error", name);
	if (f != stdin)
		fclose(f);
	xfree(buf);
	return rc;
}

/* ---- output ---- */

static json_t *jtime(const struct policy *p, ls_time t)
{
	if (!t)
		return json_null();
	char buf[TZ_RFC3339_MAX];
	tz_format_rfc3339(calendar_tz(p->cal), t, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *jpolicy(const struct policy *p)
{
	if (!p)
		return json_null();
	char buf[96];
	return json_string(policy_label(p, buf, sizeof(buf)));
}

static json_t *target_json(const struct clock_target *t)
{
	const struct policy *p = t->policy;
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(policy_metric_to_string(t->metric)));
	json_object_set_new(o, "priority", json_string(policy_priority_to_string(t->priority)));
	json_object_set_new(o, "state", json_string(clock_state_to_string(t->state)));
	json_object_set_new(o, "due", jtime(p, t->due));
	json_object_set_new(o, "breached_at", jtime(p, t->breached_at));
	json_object_set_new(o, "business_seconds", json_integer(t->consumed));
	json_object_set_new(o, "target_seconds", json_integer(t->target_seconds));
	json_object_set_new(o, "time", json_string(policy_time_to_string(t->time)));
	json_object_set_new(o, "started_at", jtime(p, t->started_at));
	json_object_set_new(o, "stopped_at", jtime(p, t->stopped_at));
	json_object_set_new(o, "policy", jpolicy(p));
	json_t *w = json_array();
	for (size_t i = 0; i < t->n_warnings; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "percent", json_integer(p->warnings[i]));
		json_object_set_new(x, "at", jtime(p, t->warnings[i].at));
		json_object_set_new(x, "reached", json_boolean(t->warnings[i].reached));
		json_array_append_new(w, x);
	}
	json_object_set_new(o, "warnings", w);
	if (t->n_levels) {
		json_t *lv = json_array();
		for (size_t i = 0; i < t->n_levels; i++) {
			const struct clock_level *l = &t->levels[i];
			const struct policy_level *pl = &p->levels[t->metric][l->index];
			json_t *x = json_object();
			json_object_set_new(x, "level", json_integer((json_int_t)i + 1));
			json_object_set_new(x, "action", json_string(policy_action_to_string(pl->action)));
			json_object_set_new(x, "owner", json_string(pl->owner));
			json_object_set_new(x, "due", jtime(p, l->due));
			json_object_set_new(x, "fired", json_boolean(l->fired));
			json_object_set_new(x, "climbed", json_boolean(l->climbed));
			json_object_set_new(x, "acknowledged_at", jtime(p, l->acked));
			json_array_append_new(lv, x);
		}
		json_object_set_new(o, "escalations", lv);
	}
	return o;
}

static json_t *ticket_json(const struct replay_ticket *rt, bool ledger, const struct policy *fallback)
{
	const struct clock_result *r = rt->result;
	const struct policy *zone = r->policy ? r->policy : fallback;
	json_t *o = json_object();
	json_object_set_new(o, "ticket", json_string(rt->ticket));
	json_object_set_new(o, "priority", json_string(policy_priority_to_string(r->priority)));
	json_object_set_new(o, "state", json_string(ticket_state_to_string(r->state)));
	json_object_set_new(o, "policy", jpolicy(r->policy));
	if (rt->no_policy)
		json_object_set_new(o, "no_policy", json_string(rt->no_policy));
	json_t *ts = json_array();
	for (size_t i = 0; i < r->n_targets; i++)
		json_array_append_new(ts, target_json(&r->targets[i]));
	json_object_set_new(o, "targets", ts);
	struct clock_deadline d;
	if (clock_next_deadline(r, &d) == 0) {
		const struct clock_target *t = &r->targets[d.target];
		json_t *x = json_object();
		json_object_set_new(x, "at", jtime(t->policy, d.at));
		json_object_set_new(x, "kind", json_string(clock_deadline_kind_to_string(d.kind)));
		json_object_set_new(x, "target", json_string(policy_metric_to_string(t->metric)));
		if (d.kind == CLOCK_DEADLINE_WARNING)
			json_object_set_new(x, "percent", json_integer(t->policy->warnings[d.index]));
		if (d.kind == CLOCK_DEADLINE_ESCALATION)
			json_object_set_new(x, "level", json_integer(d.index));
		json_object_set_new(o, "next_deadline", x);
	} else {
		json_object_set_new(o, "next_deadline", json_null());
	}
	if (ledger) {
		json_t *lg = json_array();
		for (size_t i = 0; i < r->n_ledger; i++) {
			const struct clock_segment *s = &r->ledger[i];
			const struct policy *p = s->policy ? s->policy : zone;
			json_t *x = json_object();
			json_object_set_new(x, "from", jtime(p, s->from));
			json_object_set_new(x, "to", jtime(p, s->to));
			json_object_set_new(x, "kind", json_string(clock_segment_kind_to_string(s->kind)));
			json_object_set_new(x, "business_seconds", json_integer(s->business_seconds));
			json_object_set_new(x, "priority", json_string(policy_priority_to_string(s->priority)));
			json_object_set_new(x, "policy", jpolicy(s->policy));
			if (s->policy) {
				const struct policy_calendar *c = &s->policy->calendar;
				char cal[256];
				if (c->name)
					snprintf(cal, sizeof(cal), "%s", c->name);
				else
					snprintf(cal, sizeof(cal), "%s; %s; %s", c->spec.tz, c->spec.hours,
					         c->spec.holidays);
				json_object_set_new(x, "calendar", json_string(cal));
				json_object_set_new(x, "calendar_version",
				                    c->version ? json_integer(c->version) : json_null());
			} else {
				json_object_set_new(x, "calendar", json_null());
				json_object_set_new(x, "calendar_version", json_null());
			}
			json_array_append_new(lg, x);
		}
		json_object_set_new(o, "ledger", lg);
	}
	return o;
}

/* Prints and releases o; one write per ticket through a buffer kept between calls
 * (json_dumpf() would write every token on its own). */
static void print_json(json_t *o)
{
	static char *buf;
	static size_t cap;
	if (!o) { /* release the buffer */
		xfree(buf);
		buf = NULL;
		cap = 0;
		return;
	}
	size_t n = json_dumpb(o, buf, cap, JSON_COMPACT);
	if (n > cap) {
		cap = n + n / 2 + 4096;
		buf = xrealloc(buf, cap);
		n = json_dumpb(o, buf, cap, JSON_COMPACT);
	}
	fwrite(buf, 1, n, stdout);
	json_decref(o);
}

static const char *fmt_time(const struct policy *p, ls_time t, char *buf, size_t n)
{
	if (!t)
		return "-";
	return tz_format_rfc3339(calendar_tz(p->cal), t, buf, n);
}

static void print_ticket_text(const struct replay_ticket *rt, bool ledger, const struct policy *fallback)
{
	const struct clock_result *r = rt->result;
	char pl[96], a[TZ_RFC3339_MAX], b[TZ_RFC3339_MAX], d1[DURATION_TEXT_MAX], d2[DURATION_TEXT_MAX];
	printf("%s  %s  %s  %s\n", rt->ticket, policy_priority_to_string(r->priority), ticket_state_to_string(r->state),
	       r->policy ? policy_label(r->policy, pl, sizeof(pl)) : "no policy");
	if (rt->no_policy)
		printf("  %s\n", rt->no_policy);
	for (size_t i = 0; i < r->n_targets; i++) {
		const struct clock_target *t = &r->targets[i];
		printf("  %-15s %s  %-10s due %-25s used %s of %s%s", policy_metric_to_string(t->metric),
		       policy_priority_to_string(t->priority), clock_state_to_string(t->state),
		       fmt_time(t->policy, t->due, a, sizeof(a)), duration_format(t->consumed, d1, sizeof(d1)),
		       duration_format(t->target_seconds, d2, sizeof(d2)),
		       t->time == POLICY_TIME_CALENDAR ? " (calendar time)" : "");
		if (t->breached_at)
			printf("  breached %s", fmt_time(t->policy, t->breached_at, b, sizeof(b)));
		putchar('\n');
	}
	struct clock_deadline d;
	if (clock_next_deadline(r, &d) == 0) {
		const struct clock_target *t = &r->targets[d.target];
		printf("  next deadline %s: %s of %s", fmt_time(t->policy, d.at, a, sizeof(a)),
		       clock_deadline_kind_to_string(d.kind), policy_metric_to_string(t->metric));
		if (d.kind == CLOCK_DEADLINE_WARNING)
			printf(" (%u %%)", t->policy->warnings[d.index]);
		else if (d.kind == CLOCK_DEADLINE_ESCALATION)
			printf(" (level %u)", d.index);
		putchar('\n');
	}
	if (ledger)
		for (size_t i = 0; i < r->n_ledger; i++) {
			const struct clock_segment *s = &r->ledger[i];
			const struct policy *p = s->policy ? s->policy : fallback;
			printf("    %s .. %s  %-13s %s business\n", fmt_time(p, s->from, a, sizeof(a)),
			       fmt_time(p, s->to, b, sizeof(b)), clock_segment_kind_to_string(s->kind),
			       duration_format(s->business_seconds, d1, sizeof(d1)));
		}
}

static int run(const struct args *a)
{
	struct loaded l = {0};
	int rc = load_policies(a, &l);
	if (rc) {
		loaded_release(&l);
		return rc;
	}
	const struct policy *fallback = l.policies[0];
	ls_time at = 0;
	if (a->at) {
		if (strlen(a->at) <= 10 || time_parse_rfc3339(a->at, &at) < 0) {
			loaded_release(&l);
			return cli_usage(CMD,
			                 "at: '%s' is not an RFC 3339 timestamp with offset, e.g. "
			                 "2025-03-28T16:00:00+01:00",
			                 a->at);
		}
		ls_time lo, hi;
		calendar_range(fallback->cal, &lo, &hi);
		if (at < lo || at >= hi) {
			loaded_release(&l);
			return cli_usage(CMD, "at: '%s' lies outside the calendar's years %d-%d", a->at,
			                 CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
		}
	}
	struct replay *rp = replay_new((const struct policy *const *)l.policies, l.n);
	if (a->at)
		replay_set_until(rp, at);
	if ((rc = read_events(a->events, rp)) != 0)
		goto out;
	uint32_t bad_line;
	struct lserr ce;
	lserr_clear(&ce);
	if (replay_check(rp, &bad_line, &ce) < 0) {
		char where[600];
		snprintf(where, sizeof(where), "%.512s:%u", strcmp(a->events, "-") == 0 ? "<stdin>" : a->events,
		         bad_line);
		rc = input_error(where, &ce);
		goto out;
	}
	if (!a->at)
		at = replay_last_at(rp);

	struct replay_summary sum = {0};
	struct arena ar = ARENA_INIT;
	unsigned flags = a->ledger ? CLOCK_LEDGER : 0;
	bool first = true;
	if (a->fmt == CLI_FORMAT_JSON)
		fputs("{\"tickets\":[", stdout);
	for (size_t i = 0; i < replay_ticket_count(rp); i++) {
		struct replay_ticket rt;
		struct lserr e;
		lserr_clear(&e);
		arena_reset(&ar);
		if (replay_evaluate(rp, i, at, flags, &ar, &rt, &e) < 0) {
			if (a->fmt == CLI_FORMAT_JSON)
				fputs("]}\n", stdout);
			fflush(stdout);
			rc = cli_failf(CMD, "ticket %s: %s", rt.ticket ? rt.ticket : "?", e.message);
			arena_release(&ar);
			goto out;
		}
		if (!rt.result)
			continue;
		replay_summary_add(&sum, &rt);
		if (a->fmt == CLI_FORMAT_JSON) {
			if (!first)
				fputc(',', stdout);
			print_json(ticket_json(&rt, a->ledger, fallback));
		} else {
			print_ticket_text(&rt, a->ledger, fallback);
		}
		first = false;
	}
	arena_release(&ar);
	if (a->fmt == CLI_FORMAT_JSON) {
		json_t *s = json_object();
		json_object_set_new(s, "met", json_integer((json_int_t)sum.count[CLOCK_MET]));
		json_object_set_new(s, "breached", json_integer((json_int_t)sum.count[CLOCK_BREACHED]));
		json_object_set_new(s, "running", json_integer((json_int_t)sum.count[CLOCK_RUNNING]));
		json_object_set_new(s, "paused", json_integer((json_int_t)sum.count[CLOCK_PAUSED]));
		json_object_set_new(s, "superseded", json_integer((json_int_t)sum.count[CLOCK_SUPERSEDED]));
		json_object_set_new(s, "cancelled", json_integer((json_int_t)sum.count[CLOCK_CANCELLED]));
		json_object_set_new(s, "compliance", sum.has_compliance ? json_real(sum.compliance) : json_null());
		json_object_set_new(s, "tickets", json_integer((json_int_t)sum.tickets));
		json_object_set_new(s, "unmatched", json_integer((json_int_t)sum.unmatched));
		fputs("],\"summary\":", stdout);
		print_json(s);
		fputs("}\n", stdout);
	} else {
		char buf[TZ_RFC3339_MAX];
		printf("%s%zu ticket(s) as of %s: %zu met, %zu breached, %zu running, %zu paused, %zu superseded, "
		       "%zu cancelled",
		       first ? "" : "\n", sum.tickets, at ? fmt_time(fallback, at, buf, sizeof(buf)) : "-",
		       sum.count[CLOCK_MET], sum.count[CLOCK_BREACHED], sum.count[CLOCK_RUNNING],
		       sum.count[CLOCK_PAUSED], sum.count[CLOCK_SUPERSEDED], sum.count[CLOCK_CANCELLED]);
		if (sum.has_compliance)
			printf("; compliance %.1f %%", sum.compliance * 100.0);
		if (sum.unmatched)
			printf("; %zu without a policy", sum.unmatched);
		putchar('\n');
	}
out:
	print_json(NULL);
	replay_free(rp);
	loaded_release(&l);
	return rc;
}

int cmd_sla(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"policy", required_argument, NULL, 'p'},
	        {"events", required_argument, NULL, 'e'},
	        {"at", required_argument, NULL, 'a'},
	        {"format", required_argument, NULL, 'f'},
	        {"ledger", no_argument, NULL, 'l'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage(CMD, "missing subcommand: replay");
	if (strcmp(argv[1], "replay") != 0)
		return cli_usage(CMD, "unknown subcommand '%s': use replay", argv[1]);
	struct args a = {.fmt = CLI_FORMAT_TEXT};
	a.policy_files = xcalloc((size_t)argc, sizeof(*a.policy_files));
	int c, r = 0;
	optind = 1;
	opterr = 0;
	while (r == 0 && (c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': a.policy_files[a.n_policies++] = optarg; break;
		case 'e': a.events = optarg; break;
		case 'a': a.at = optarg; break;
		case 'f': r = cli_parse_format(CMD, optarg, &a.fmt); break;
		case 'l': a.ledger = true; break;
		case 'h': fputs(help, stdout); goto out;
		default: r = cli_usage(CMD, "unknown or incomplete option '%s'", argv[optind]); break;
		}
	}
	if (r == 0 && optind < argc - 1)
		r = cli_usage(CMD, "unexpected argument '%s'", argv[optind + 1]);
	if (r == 0 && a.n_policies == 0)
		r = cli_usage(CMD, "--policy FILE is required");
	if (r == 0 && !a.events)
		r = cli_usage(CMD, "--events FILE is required ('-' for standard input)");
	if (r == 0)
		r = run(&a);
out:
	xfree(a.policy_files);
	return r;
}
