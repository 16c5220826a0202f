/* A client's action plan and service contract: list, add and change agreed actions
 * (PATCH under If-Match), read and replace the contract (If-Match once one exists),
 * and load both for the reports. Room: service. Rules: model/plan.h; definitions:
 * docs/reports.md "Action plan" and "Contract economics".
 *
 * Every role that sees the client reads; admins and managers of the client write
 * (the route table checks the permission, the service the role again for the CLI's
 * sake). Another client's plan is not_found. Errors name the field. */
#pragma once
#include <jansson.h>
#include <stddef.h>

#include "model/plan.h"
#include "service/svc.h"

/* Fields of an add or a change; NULL: not given. Dates "YYYY-MM-DD". */
struct action_input {
	const char *title;
	const char *owner;
	const char *state;     /* open (default), in_progress, done, dropped */
	const char *agreed_on; /* default: today in the client's zone */
	const char *due_on;    /* required on add */
	const char *closed_on; /* with done/dropped only; default today when the state closes */
	const char *finding;   /* "KIND" or "KIND:detail" (a kind of `leitstand analyze`) */
	bool clear_finding;    /* change: remove the link */
};

struct action_list {
	const char *client; /* code */
	struct action *items;
	size_t n;
};

int plans_actions(struct svc *s, const char *client, struct action_list *ret);
int plans_action_add(struct svc *s, const char *client, const struct action_input *in, struct action *ret);
/* Changes the given fields of action id; expected must be its version (-LS_ESTALE,
 * version_mismatch otherwise; -ENOENT for an id of another client). */
int plans_action_update(struct svc *s, const char *client, int64_t id, int64_t expected, const struct action_input *in,
                        struct action *ret);

struct contract_set {
	const char *client; /* code */
	bool stored;        /* false: no contract; c is zero */
	struct contract c;
	int64_t version; /* 0: never stored */
	ls_time updated_at;
	const char *updated_by; /* email; NULL for the system or never stored */
};

int plans_contract_get(struct svc *s, const char *client, struct contract_set *ret);
/* Replaces the contract with `body` (contract_from_json). expected 0: only when none
 * is stored yet; else the stored version must equal it (-LS_ESTALE). */
int plans_contract_put(struct svc *s, const char *client, const json_t *body, int64_t expected,
                       struct contract_set *ret);

/* For a report of a client the caller has looked up: its actions (all of them, by
 * id) and its contract (NULL when none is stored), in the request arena. */
int plans_of_client(struct svc *s, int64_t client_id, struct action **ret_actions, size_t *ret_n,
                    const struct contract **ret_contract);
