/* Retention rules, legal holds, retention runs, Art. 30 processing records, and the
 * deletions a retention run makes, in SQLite. Room: store.
 * Results come from the arena passed in; writes run in the caller's transaction.
 * Nothing here checks who may see what: the services do. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/timeutil.h"
#include "model/directory.h"
#include "model/retention.h"
#include "store/store.h"

/* A stored JSON document with its version (rule sets, processing records). */
struct retention_doc {
	const char *json;
	int64_t version;
	ls_time at;
	const char *by;
};

/* The newest rule set of a client, or -ENOENT. */
int retentiondb_rules_get(struct store *st, struct arena *a, int64_t client_id, struct retention_doc *ret);
/* Appends version expected + 1; -LS_ESTALE when the newest is not `expected` (0: none). */
int retentiondb_rules_put(struct store *st, int64_t client_id, int64_t expected, const char *json, ls_time now,
                          const char *by);

int retentiondb_record_get(struct store *st, struct arena *a, int64_t client_id, struct retention_doc *ret);
/* Replaces the record if its version is still `expected` (0: none yet); -LS_ESTALE otherwise. */
int retentiondb_record_put(struct store *st, int64_t client_id, int64_t expected, const char *json, ls_time now,
                           const char *by);

struct legal_hold {
	int64_t id;
	int64_t client_id;
	const char *client_code;
	int64_t ticket_id; /* 0: not narrowed to a ticket */
	const char *ticket_number;
	int64_t person_id; /* 0: not narrowed to a person */
	const char *person_pseudonym;
	const char *reason;
	ls_time from, until; /* until 0: open */
	ls_time created_at;
	const char *created_by;
	ls_time released_at; /* 0: not released */
	const char *released_by;
};
/* Fills h->id. */
int retentiondb_hold_insert(struct store *st, struct legal_hold *h);
int retentiondb_hold_get(struct store *st, struct arena *a, int64_t id, struct legal_hold *ret);
/* Holds the actor sees (of client_id only unless 0), newest first, ids below
 * before_id (0: from the newest), at most limit; *ret_more when more follow. */
int retentiondb_hold_list(struct store *st, struct arena *a, const struct actor *who, int64_t client_id,
                          int64_t before_id, size_t limit, struct legal_hold **ret, size_t *ret_n, bool *ret_more);
/* The id of the client's person with this pseudonym, or -ENOENT. */
int retentiondb_person_by_pseudonym(struct store *st, int64_t client_id, const char *pseudonym, int64_t *ret_id);
/* Sets released_at/by; -LS_ECONFLICT when released already. */
int retentiondb_hold_release(struct store *st, int64_t id, ls_time now, const char *by);
/* Whether a hold on the whole client is active at now. */
int retentiondb_client_held(struct store *st, int64_t client_id, ls_time now, bool *ret);
/* How many narrow (ticket or person) holds of the client are active at now. */
int retentiondb_narrow_holds(struct store *st, int64_t client_id, ls_time now, int64_t *ret_n);

struct retention_person {
	int64_t person_id;
	int64_t tickets, due, held; /* all its tickets, those due, those under a hold */
};
/* The client's persons (not erased) with at least one due ticket: a ticket is due
 * when it is closed and its start event is <= cutoff. */
int retentiondb_due_persons(struct store *st, struct arena *a, int64_t client_id, enum retention_event ev,
                            ls_time cutoff, ls_time now, struct retention_person **ret, size_t *ret_n);
/* Whether a held ticket of the client mentions needle (its texts, replies, notes
 * or history values, ignoring ASCII case). */
int retentiondb_held_mentions(struct store *st, int64_t client_id, ls_time now, const char *needle, bool *ret);

/* Due tickets with messages not yet replaced by marker: the ids not under a hold
 * (at most limit) and the counts of messages there and under holds. */
int retentiondb_due_replies(struct store *st, struct arena *a, int64_t client_id, enum retention_event ev,
                            ls_time cutoff, ls_time now, const char *marker, size_t limit, int64_t **ret_ids,
                            size_t *ret_n, int64_t *ret_messages, int64_t *ret_held_messages);
/* Replaces the bodies of one ticket's messages by marker and rebuilds its
 * full-text replies; *ret_n messages changed. */
int retentiondb_replace_replies(struct store *st, int64_t ticket_id, const char *marker, int64_t *ret_n);

/* ACD intervals of the client starting at or before cutoff: counted, or deleted. */
int retentiondb_call_records(struct store *st, int64_t client_id, ls_time cutoff, bool delete_them, int64_t *ret_n);

/* The current audit anchor (0 and 64 zeros before any deletion). */
int retentiondb_audit_anchor(struct store *st, int64_t *ret_id, char ret_hash[65]);
/* Calls due(at, client_id, ctx) on audit entries from the oldest until it returns
 * false; *ret_last is the last entry it accepted (0: none), *ret_n how many. */
int retentiondb_audit_prefix(struct store *st, bool (*due)(ls_time at, int64_t client_id, void *ctx), void *ctx,
                             int64_t *ret_last, int64_t *ret_n);
/* Deletes audit entries up to last_id under the anchor (opens and closes the gate
 * in the caller's transaction); *ret_hash the anchor's hash. */
int retentiondb_audit_delete(struct store *st, int64_t last_id, ls_time now, char ret_hash[65], int64_t *ret_n);

/* Appends a run's log row. client_id 0: installation-wide. */
int retentiondb_run_insert(struct store *st, int64_t client_id, ls_time started, ls_time as_of, bool dry_run,
                           const char *actor, const char *result_json);
struct retention_run_row {
	int64_t id;
	int64_t client_id;
	const char *client_code; /* NULL: installation-wide */
	ls_time started_at, as_of;
	bool dry_run;
	const char *actor;
	const char *result;
};
/* Runs the actor sees (installation-wide rows: only actors of every client), of
 * client_id only unless 0, newest first, below before_id, at most limit. */
int retentiondb_run_list(struct store *st, struct arena *a, const struct actor *who, int64_t client_id,
                         int64_t before_id, size_t limit, struct retention_run_row **ret, size_t *ret_n,
                         bool *ret_more);
/* Whether any client has ever had retention rules. */
int retentiondb_any_rules(struct store *st, bool *ret);
/* The start of the newest run without --client filtering (for the daily job), 0 if none. */
int retentiondb_last_run(struct store *st, ls_time *ret);
