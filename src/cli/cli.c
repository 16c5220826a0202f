/* Shared command-line helpers and the command table (see cli.h). Room: cli. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "service/auth.h"

const struct cli_command cli_commands[] = {
        {"init", "create a new database", cmd_init},
        {"migrate", "upgrade a database to this version's schema", cmd_migrate},
        {"serve", "run the HTTP API", cmd_serve},
        {"client", "add or list client companies", cmd_client},
        {"user", "add or list users", cmd_user},
        {"team", "add or list teams", cmd_team},
        {"token", "create, list or revoke API tokens", cmd_token},
        {"vendor", "add or list vendors (who vendor_agents work for)", cmd_vendor},
        {"audit", "verify the audit log's hash chain", cmd_audit},
        {"person", "data-subject requests: show, export or erase a person", cmd_person},
        {"keys", "the keys that encrypt personal data: status, rotate, shred", cmd_keys},
        {"privacy", "the register of data-subject requests and their deadlines", cmd_privacy},
        {"retention", "apply the retention rules: erase, replace or delete what is due", cmd_retention},
        {"backup", "copy a live database to a file", cmd_backup},
        {"demo", "fill a database with realistic demo data", cmd_demo},
        {"holidays", "list German public holidays of a region and year", cmd_holidays},
        {"calendar", "business-time arithmetic on a calendar", cmd_calendar},
        {"sla", "what-if replay of SLA policies over ticket events", cmd_sla},
        {"staff", "agents needed for a forecast (Erlang C/A, deferred work)", cmd_staff},
        {"shifts", "plan shifts and roster agents under the Arbeitszeitgesetz", cmd_shifts},
        {"forecast", "arrivals per interval for the next days, from a client's history", cmd_forecast},
        {"import", "import a client's ticket history from its old tool", cmd_import},
        {"kpi", "KPIs of a client: resolution, reopen, SLA, reassignment, ...", cmd_kpi},
        {"report", "weekly, monthly or quarterly report of a client as HTML, PDF, XLSX or CSV", cmd_report},
        {"action", "a client's action plan: add, list or change agreed actions", cmd_action},
        {"contract", "a client's service contract (fees, included tickets, SLA penalty)", cmd_contract},
        {"analyze", "baseline findings of a client: peaks, SLA hot spots, ping-pong, ...", cmd_analyze},
        {NULL, NULL, NULL},
};

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "leitstand %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'leitstand %s --help'.\n", cmd);
	return EXIT_USAGE;
}

int cli_fail(const char *cmd, const struct lserr *e)
{
	fprintf(stderr, "leitstand %s: %s\n", cmd, e->message[0] ? e->message : err_str(e->rc));
	if (e->hint[0])
		fprintf(stderr, "hint: %s\n", e->hint);
	return EXIT_FAILURE;
}

int cli_failf(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "leitstand %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FAILURE;
}

int cli_parse_format(const char *cmd, const char *s, enum cli_format *ret)
{
	if (strcmp(s, "text") == 0)
		*ret = CLI_FORMAT_TEXT;
	else if (strcmp(s, "json") == 0)
		*ret = CLI_FORMAT_JSON;
	else
		return cli_usage(cmd, "--format must be text or json, not '%s'", s);
	return 0;
}

const char *cli_db_path(const char *opt)
{
	if (opt)
		return opt;
	const char *env = getenv("LEITSTAND_DB");
	return env && *env ? env : "var/leitstand.db";
}

int cli_ctx_open(struct cli_ctx *c, const char *cmd, const char *db, unsigned store_flags)
{
	memset(c, 0, sizeof(*c));
	arena_init(&c->arena);
	if (auth_init() < 0)
		return cli_failf(cmd, "libsodium failed to initialise");
	if (store_open(db, store_flags, &c->st, &c->err) < 0) {
		arena_release(&c->arena);
		return cli_fail(cmd, &c->err);
	}
	c->svc = (struct svc){
	        .st = c->st,
	        .arena = &c->arena,
	        .actor = &actor_system,
	        .now = time_now(),
	        .err = &c->err,
	};
	return 0;
}

void cli_ctx_close(struct cli_ctx *c)
{
	c->st = store_close(c->st);
	arena_release(&c->arena);
}
