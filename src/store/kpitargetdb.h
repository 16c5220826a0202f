/* Storage of a client's KPI target set (one JSON text per client, versioned for
 * If-Match). Room: store. Lookups return -ENOENT; a stale write -LS_ESTALE. */
#pragma once
#include <stdint.h>

#include "core/arena.h"
#include "core/timeutil.h"
#include "store/store.h"

struct kpitarget_row {
	const char *targets; /* the JSON text, in the arena */
	int64_t version;
	ls_time updated_at;
	const char *updated_by; /* email, NULL for the system */
};

int kpitargetdb_get(struct store *st, struct arena *a, int64_t client_id, struct kpitarget_row *ret);
/* Writes version expected + 1: expected 0 inserts (-LS_ESTALE when a set exists),
 * otherwise only if the stored version is `expected`. */
int kpitargetdb_put(struct store *st, int64_t client_id, const char *targets, int64_t expected, int64_t user_id,
                    ls_time now);
