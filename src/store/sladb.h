/* Storage of SLA policies and their immutable versions. Room: store.
 * Lookups return -ENOENT; a duplicate code within a client -LS_ECONFLICT; a stale
 * optimistic update -LS_ESTALE. Results come from the arena passed in. Nothing here
 * checks tenant visibility: the service does. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "model/sla_def.h"
#include "store/store.h"

/* Inserts the policy and version 1 from d (client_id, code, name, sort_order,
 * definition, created_at); fills d->id and the versions. */
int sladb_insert(struct store *st, struct sla_def *d, int64_t user_id);
/* Appends version expected+1 with d's name, sort order and definition, only if the
 * current version is `expected` (-LS_ESTALE otherwise); fills d->version. */
int sladb_add_version(struct store *st, struct sla_def *d, int64_t expected, int64_t user_id, ls_time now);
/* version 0: the current one. */
int sladb_get(struct store *st, struct arena *a, int64_t client_id, const char *code, int64_t version,
              struct sla_def *ret);
/* Marks the policy retired; -LS_ECONFLICT when it is retired already. */
int sladb_retire(struct store *st, int64_t client_id, int64_t policy_id, ls_time now);
/* Current versions of one client's policies in use (not retired) by sort order, then code. */
int sladb_list(struct store *st, struct arena *a, int64_t client_id, struct sla_def **ret, size_t *ret_n);
