/* Storage of business calendars and their immutable versions. Room: store.
 * Lookups return -ENOENT; a duplicate code within a client -LS_ECONFLICT; a stale
 * optimistic update -LS_ESTALE. Results come from the arena passed in. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "model/calendar_def.h"
#include "store/store.h"

/* Inserts calendar and version 1 from d (client_id, code, name and the definition);
 * fills d->id and the versions. */
int calendardb_insert(struct store *st, struct calendar_def *d, int64_t user_id);
/* Appends version expected+1 with d's definition, only if the current version is
 * `expected` (-LS_ESTALE otherwise); fills d->version. */
int calendardb_add_version(struct store *st, struct calendar_def *d, int64_t expected, int64_t user_id, ls_time now);
/* version 0: the current one. */
int calendardb_get(struct store *st, struct arena *a, int64_t client_id, const char *code, int64_t version,
                   struct calendar_def *ret);
/* Current versions; client_id 0: all clients, visible_to_user non-zero: granted ones only. */
int calendardb_list(struct store *st, struct arena *a, int64_t client_id, int64_t visible_to_user,
                    struct calendar_def **ret, size_t *ret_n);
/* Every version of one calendar, oldest first. */
int calendardb_versions(struct store *st, struct arena *a, int64_t client_id, const char *code,
                        struct calendar_def **ret, size_t *ret_n);
