/* The command line: one file per command, shared helpers here. Room: cli.
 * Exit codes: 0 success, 1 failure, 2 bad usage. Human output by default,
 * `--format json` for scripts. Errors go to stderr as "leitstand CMD: message". */
#pragma once
#include <stdbool.h>
#include <stdio.h>

#include "core/arena.h"
#include "core/err.h"
#include "service/svc.h"
#include "store/store.h"

#define EXIT_USAGE 2

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
};

extern const struct cli_command cli_commands[];

enum cli_format { CLI_FORMAT_TEXT, CLI_FORMAT_JSON };

/* Prints to stderr and returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints an lserr (message and hint) and returns EXIT_FAILURE. */
int cli_fail(const char *cmd, const struct lserr *e);
int cli_failf(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_parse_format(const char *cmd, const char *s, enum cli_format *ret);
/* The database path: --db, else $LEITSTAND_DB, else var/leitstand.db. */
const char *cli_db_path(const char *opt);

/* A service context for the system actor over an open store. */
struct cli_ctx {
	struct store *st;
	struct arena arena;
	struct lserr err;
	struct svc svc;
};
int cli_ctx_open(struct cli_ctx *c, const char *cmd, const char *db, unsigned store_flags);
void cli_ctx_close(struct cli_ctx *c);

int cmd_init(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_client(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_team(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_vendor(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_person(int argc, char **argv);
int cmd_keys(int argc, char **argv);
int cmd_privacy(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_kpi(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_action(int argc, char **argv);
int cmd_contract(int argc, char **argv);
int cmd_holidays(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_sla(int argc, char **argv);
int cmd_staff(int argc, char **argv);
int cmd_shifts(int argc, char **argv);
int cmd_forecast(int argc, char **argv);
int cmd_retention(int argc, char **argv);
/* `leitstand privacy record` (cmd_retention.c); argv[0] is "record". */
int cmd_privacy_record(int argc, char **argv);
