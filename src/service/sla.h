/* SLA policies of a client and the SLA state of a ticket. Room: service.
 *
 * A policy is identified by its client and code; its definition is the policy JSON
 * of docs/sla.md ("Policies"). Every change writes a new immutable version (If-Match
 * semantics as for calendars). A definition is accepted only if the SLA engine parses
 * it and its calendar compiles (an inline one, or the client's stored calendar it
 * names), so errors name the field ("definition.targets.P2.first_response"). The
 * definition's "order" decides between policies that both apply (lower wins) and
 * must differ between a client's policies. Admins and managers write; every role
 * that sees the client reads; another client's policy is not_found.
 *
 * sla_ticket() rebuilds a ticket's SLA from its history (docs/design/0005): the
 * ticket's events become clock events, the client's current policies are chosen
 * from (policy_select()) at creation and again at every priority change, and the
 * engine evaluates as of an instant. Nothing is stored. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "model/sla_def.h"
#include "model/ticket.h"
#include "service/svc.h"
#include "sla/clock.h"

struct sla_input {
	const char *client;     /* code; create only */
	const char *code;       /* create only */
	const char *name;       /* default: the code */
	const char *definition; /* policy JSON text; required on create */
};

enum sla_patch_field {
	SLA_PATCH_NAME = 1 << 0,
	SLA_PATCH_DEFINITION = 1 << 1,
};

int sla_policies_create(struct svc *s, const struct sla_input *in, struct sla_def *ret);
/* version 0: the current version. */
int sla_policies_get(struct svc *s, const char *client, const char *code, int64_t version, struct sla_def *ret);
/* One client's policies (current versions) in selection order. */
int sla_policies_list(struct svc *s, const char *client, struct sla_def **ret, size_t *ret_n);
/* Writes version expected_version + 1 with the fields named in `fields` changed.
 * -LS_ESTALE (version_mismatch) when the policy has moved on meanwhile. */
int sla_policies_update(struct svc *s, const char *client, const char *code, int64_t expected_version, unsigned fields,
                        const struct sla_input *in, struct sla_def *ret);

/* Retires a policy: it is no longer chosen for tickets; tickets pinned to one of its
 * versions keep it. -LS_ECONFLICT when retired already. Admins and managers. */
int sla_policies_retire(struct svc *s, const char *client, const char *code, struct sla_def *ret);

struct sla_ticket_result {
	struct ticket ticket;
	ls_time at;                   /* the evaluation instant */
	struct clock_result *clock;   /* targets, ledger (always built) */
	const struct sla_def *policy; /* in force at `at`; NULL: none applies */
	const char *no_policy;        /* why none applies now; NULL when one does */
	bool has_deadline;
	struct clock_deadline deadline; /* the next deadline, if has_deadline */
	/* private: the client's policies as parsed, for sla_ticket_policy() */
	const struct policy *const *policies;
	const struct sla_def *defs;
	size_t n_policies;
};

/* The stored policy version a policy pointer of r->clock (a target's, a segment's)
 * was parsed from; NULL for NULL. */
const struct sla_def *sla_ticket_policy(const struct sla_ticket_result *r, const struct policy *p);

/* The SLA of ticket `number` as of `at` (0: now); events after `at` are left out.
 * Tenant rules as tickets_get(): an invisible ticket is not_found. */
int sla_ticket(struct svc *s, const char *number, ls_time at, struct sla_ticket_result *ret);
/* The same for the ticket with this id (the SLA timer's way in). */
int sla_ticket_by_id(struct svc *s, int64_t ticket_id, ls_time at, struct sla_ticket_result *ret);

/* Parsed policies with compiled calendars are kept per (policy version, stored
 * calendar version) for the life of the process; this drops them (tests, tools). */
void sla_cache_clear(void);

/* Inside the caller's write transaction, after t's row and events are written:
 * chooses the client's current policy version for t (type, channel and category as
 * at creation, priority as now) and, when it is not the one the ticket's history last
 * recorded, appends an "sla_policy" event ("CODE vN", or null: none applies). Called
 * at creation and when the priority changes; a ticket keeps the version it was given
 * until then, so editing a policy never rewrites a running ticket's targets. */
int sla_record_policy(struct svc *s, const struct ticket *t, bool *ret_changed);
/* The explicit, audited recomputation: records the policy version the ticket would
 * get now (sla_record_policy) as the actor; the SLA engine treats it as a policy
 * change (running targets superseded, new ones measured from the original start).
 * Admins and managers; a closed ticket is final (invalid_transition). */
int sla_repair(struct svc *s, const char *number, bool *ret_changed);
