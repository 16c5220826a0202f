/* The audit log: appending chained entries, the notes a request's services leave
 * for it, listing by role, and verifying the chain. Room: service.
 *
 * Ordering: an append reads the head and inserts inside a write transaction, and
 * write transactions are serialised (store_begin), so the chain has one total
 * order across threads and processes. audit_append() joins the caller's open
 * transaction; audit_record() opens its own. docs/privacy.md describes what is
 * audited and the chain format. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "model/audit.h"
#include "service/svc.h"

struct audit_read {
	int64_t client_id;
	const char *number;
};

/* What the services of one request noted for its audit entries (the server
 * points svc.audit at one; NULL elsewhere, and then nothing is noted). */
struct audit_notes {
	int64_t client_id;        /* the first client the request touched */
	const char *subject;      /* and the ticket it touched there */
	struct audit_read *reads; /* tickets whose personal data the response carries (arena) */
	size_t n_reads, cap;
	bool written; /* the request's write entry is appended */
};

/* Names what a write request changed, for its api_write entry: the first call wins
 * (copied into the arena). Before the commit, which writes the entry. */
void audit_subject(struct svc *s, int64_t client_id, const char *subject);
/* Notes that the request touched ticket `number` of client_id (copied into the arena):
 * its subject, and a read of the ticket's personal data. */
void audit_note(struct svc *s, int64_t client_id, const char *number);

/* Appends one entry as s->actor (or as `anonymous` without one) at s->now inside
 * the open write transaction. Takes ownership of detail (NULL: {}). */
int audit_append(struct svc *s, enum audit_kind kind, int64_t client_id, const char *subject, json_t *detail);
/* Like audit_append() with the given actor, for logins. */
int audit_append_as(struct svc *s, int64_t actor_id, const char *actor_email, enum audit_kind kind, int64_t client_id,
                    const char *subject, json_t *detail);
/* audit_append() in a transaction of its own. */
int audit_record(struct svc *s, enum audit_kind kind, int64_t client_id, const char *subject, json_t *detail);
/* The personal-data reads noted in s->audit as entries, one per client, naming
 * up to LS_MAX_AUDIT_NUMBERS ticket numbers each, in one transaction. `what`
 * names the request ("GET /api/v1/tickets"). No open transaction may be left. */
int audit_record_reads(struct svc *s, const char *what);

/* Read entries in a server: with audit_async(true) audit_record_reads() only queues
 * its entries in memory (copied) and returns; a flusher (jobs/auditlog) writes the
 * queue with audit_flush() in one transaction every few milliseconds, so reads do
 * not take the database's write lock. The queue is bounded: a reader waits when it
 * is full. The cost: a crash may lose the read entries of the last moments
 * (docs/privacy.md). Without it (command-line tools) entries are written at once,
 * reads that happen together sharing one transaction. */
void audit_async(bool on);
/* Writes every queued read entry in one transaction; *ret_n how many. Entries stay
 * queued when writing fails. */
int audit_flush(struct svc *s, size_t *ret_n);
/* Waits (up to timeout_ms) until every queued read entry is written. */
void audit_wait_flushed(unsigned timeout_ms);

struct audit_query {
	const char *client; /* client code */
	const char *actor;  /* email */
	const char *kind;
	ls_time from, to;
	unsigned limit;    /* 1 … LS_MAX_PAGE_SIZE, default 50 */
	int64_t before_id; /* cursor */
};
/* Parses the query parameters of GET /api/v1/audit: get(name, ctx) returns a
 * parameter's value or NULL. Errors name the parameter (invalid_parameter). */
int audit_query_parse(struct svc *s, const char *(*get)(const char *name, void *ctx), void *ctx,
                      struct audit_query *ret);
/* Entries the actor may read, newest first: admins and auditors of the whole
 * installation see everything; dpo and auditors with granted clients see only
 * entries of those clients (never unscoped ones). *ret_more tells whether an
 * older page exists (its cursor is the last entry's id). */
int audit_list(struct svc *s, const struct audit_query *q, struct audit_entry **ret, size_t *ret_n, bool *ret_more);

struct audit_verify_result {
	int64_t n;           /* entries checked */
	int64_t anchor_id;   /* entries up to this one were deleted by retention (0: none) */
	int64_t bad_id;      /* first broken entry, 0 when the chain holds */
	const char *problem; /* what is wrong with it (arena), NULL when ok */
};
/* Checks the whole chain: ids without gaps from 1 (from the retention anchor + 1,
 * whose hash the first prev_hash must be, once old entries were deleted), each prev_hash equal to the
 * hash before, each hash recomputed, and audit_head naming the last entry. A
 * broken chain is a result (bad_id set), not an error; errors are I/O only. */
int audit_verify(struct svc *s, struct audit_verify_result *ret);
