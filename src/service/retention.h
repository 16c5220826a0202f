/* Retention rules, legal holds and retention runs (storage limitation, Art. 5(1)(e)
 * GDPR; a DIN 66398 deletion concept per client). Room: service.
 * docs/privacy.md ("Retention and legal holds") says exactly what a run does per
 * data kind. Every function checks that the actor sees the client; the routes
 * check the permission. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/retention.h"
#include "service/svc.h"
#include "store/retentiondb.h"

/* What a reply body becomes when its ticket falls due. */
#define RETENTION_REPLY_MARKER "[removed under the retention rule]"

struct retention_rule_set {
	const char *client;
	struct retention_rule rules[_RETENTION_KIND_MAX]; /* at most one per kind, in kind order */
	size_t n;
	int64_t version; /* 0: no rules yet */
	ls_time updated_at;
	const char *updated_by;
};

/* Parses {"rules":[{"kind","start","period","year_end"?,"legal_basis"?,"action"?}]}
 * strictly (unknown fields, a kind twice, a start event that does not fit the kind,
 * an action other than the kind's are errors naming the field). Strings go to a. */
int retention_rules_parse(json_t *body, struct arena *a, struct retention_rule_set *ret, struct lserr *e);
/* The wire form: {"client","version","updated_at","updated_by","rules":[...]}. */
json_t *retention_rules_json(const struct retention_rule_set *set);

int retention_rules_get(struct svc *s, const char *client, struct retention_rule_set *ret);
/* Stores a new version of the rules if the current one is `expected` (0: none yet):
 * -LS_ESTALE (version_mismatch) otherwise. */
int retention_rules_put(struct svc *s, const char *client, json_t *body, int64_t expected,
                        struct retention_rule_set *ret);

/* {"client","ticket"?,"person"?,"reason","from"?,"until"?}: a ticket by number, a
 * person by pseudonym; from defaults to now, until to open. */
int retention_hold_create(struct svc *s, json_t *body, struct legal_hold *ret);
/* Holds of the clients the actor sees (client: only that one), newest first. */
int retention_hold_list(struct svc *s, const char *client, int64_t before_id, unsigned limit, struct legal_hold **ret,
                        size_t *ret_n, bool *ret_more);
/* Ends a hold now; 409 conflict when it was released already. */
int retention_hold_release(struct svc *s, int64_t id, struct legal_hold *ret);
/* Whether the hold is in force at `now`. */
bool retention_hold_active(const struct legal_hold *h, ls_time now);
json_t *retention_hold_json(const struct legal_hold *h, ls_time now);

struct retention_run_opts {
	const char *client; /* NULL: every client, and the audit log */
	bool dry_run;       /* compute what is due, change nothing, log nothing */
};
/* Runs every client's rules as of s->now (see docs/privacy.md) as the actor (the
 * system: the CLI and the daily job). *ret_report (owned by the caller) says per
 * client and kind what was done, due, waiting and held. Each client's result is
 * logged in retention_runs and the audit log (not in a dry run). A failure stops
 * the run; what was done before it stays done and logged. */
int retention_run(struct svc *s, const struct retention_run_opts *o, json_t **ret_report);

/* Logged runs the actor sees, newest first; each item's result is parsed JSON. */
int retention_runs_list(struct svc *s, const char *client, int64_t before_id, unsigned limit, json_t **ret_items,
                        bool *ret_more, int64_t *ret_last_id);
/* Whether any client has retention rules (the daily job does nothing before). */
int retention_any_rules(struct svc *s, bool *ret);
/* The start of the newest complete (all clients, not dry) run, 0 if none. */
int retention_last_run(struct svc *s, ls_time *ret);
