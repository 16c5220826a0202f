/* Storage of a client's action plan and contract. Room: store.
 * Actions are rows (dates as "YYYY-MM-DD" text, parsed back with plan_day_parse);
 * the contract is one JSON text per client like the KPI targets. Each row carries a
 * version for If-Match. Lookups return -ENOENT; a stale write -LS_ESTALE. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/timeutil.h"
#include "model/plan.h"
#include "store/store.h"

/* Inserts a (id, version, created_at, updated_at are set from the row written). */
int plandb_action_insert(struct store *st, int64_t client_id, struct action *a);
/* The client's actions by id, in a. */
int plandb_actions(struct store *st, struct arena *a, int64_t client_id, struct action **ret, size_t *ret_n);
int plandb_action_get(struct store *st, struct arena *a, int64_t client_id, int64_t id, struct action *ret);
/* Writes every field of a as version expected + 1 if the stored version is
 * `expected` (-LS_ESTALE otherwise). */
int plandb_action_update(struct store *st, int64_t client_id, const struct action *a, int64_t expected);

struct contract_row {
	const char *contract; /* the canonical JSON text, in the arena */
	int64_t version;
	ls_time updated_at;
	const char *updated_by; /* email, NULL for the system */
};
int plandb_contract_get(struct store *st, struct arena *a, int64_t client_id, struct contract_row *ret);
/* Writes version expected + 1: expected 0 inserts (-LS_ESTALE when one exists),
 * otherwise only if the stored version is `expected`. */
int plandb_contract_put(struct store *st, int64_t client_id, const char *contract, int64_t expected, int64_t user_id,
                        ls_time now);
