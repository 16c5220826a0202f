/* Storage of the data-subject request register and its history. Room: store.
 * Results come from the arena passed in; -ENOENT when nothing matches. Writes run
 * inside the caller's transaction. Nothing here checks who may see what or which
 * change is allowed: the service does (service/dsr.h); the schema refuses changing
 * a closed request, its receipt, due date or a granted extension. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "model/dsr.h"
#include "store/store.h"

/* Inserts r (everything but id, events, completed fields) created by actor_id (0:
 * the system); sets r->id and r->version. */
int dsrdb_insert(struct store *st, struct dsr_request *r, int64_t actor_id);
/* Writes person_id, reference, the extension, state, completed_at, outcome and
 * updated_at of r if it is still at expected_version (-LS_ESTALE otherwise);
 * r->version becomes the new one. */
int dsrdb_update(struct store *st, struct dsr_request *r, int64_t expected_version);
/* Appends one history event (from, to, note may be NULL). */
int dsrdb_event(struct store *st, const struct dsr_request *r, ls_time at, int64_t actor_id, const char *action,
                const char *from, const char *to, const char *note);
/* One request with its history. */
int dsrdb_get(struct store *st, struct arena *a, int64_t id, struct dsr_request *ret);

struct dsr_filter {
	const char *client_ids_json; /* a JSON array of client ids, or NULL: every client */
	int state;                   /* enum dsr_state, or -1: any */
	int kind;                    /* enum dsr_kind, or -1: any */
	ls_time overdue_at;          /* > 0: only requests not closed whose deadline is before it */
	int64_t person_id;           /* > 0: only this person's */
	ls_time after_due;           /* cursor: (deadline, id) after (after_due, after_id) */
	int64_t after_id;
	size_t limit;
};
/* Requests by deadline (the extended one where granted), then id; without history. */
int dsrdb_list(struct store *st, struct arena *a, const struct dsr_filter *f, struct dsr_request **ret, size_t *ret_n);
