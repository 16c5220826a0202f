/* Storage of scheduled report delivery: report subscriptions, runs and report
 * files. Room: store.
 * Lookups return -ENOENT; results come from the arena passed in. Nothing here checks
 * tenant visibility: the service does. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "model/report_sub.h"
#include "store/store.h"

/* A client's subscriptions (not deleted), by id. */
int reportdb_subs(struct store *st, struct arena *a, int64_t client_id, struct report_sub **ret, size_t *ret_n);
int reportdb_sub_get(struct store *st, struct arena *a, int64_t id, struct report_sub *ret);
/* Fills s->id, version 1. */
int reportdb_sub_insert(struct store *st, struct report_sub *s);
/* Writes every field but id and client, version expected+1, only if the version is
 * `expected` (-LS_ESTALE otherwise). */
int reportdb_sub_update(struct store *st, const struct report_sub *s, int64_t expected, ls_time now);
/* Marks it deleted; its queued and sending runs fail with "subscription deleted". */
int reportdb_sub_delete(struct store *st, int64_t id, ls_time now);
/* Active subscriptions whose next run is due at now, at most limit. */
int reportdb_subs_due(struct store *st, struct arena *a, ls_time now, size_t limit, struct report_sub **ret,
                      size_t *ret_n);
/* Moves the next run of a subscription (no version change: the schedule itself did
 * not change). */
int reportdb_sub_set_next(struct store *st, int64_t id, ls_time next);
/* The earliest next run of an active subscription; -ENOENT when none. */
int reportdb_next_sub_run(struct store *st, ls_time *ret);

/* Fills r->id. */
int reportdb_run_insert(struct store *st, struct report_run *r);
int reportdb_run_get(struct store *st, struct arena *a, int64_t id, struct report_run *ret);
/* Writes state, report, attempts, the instants, error and recipients. */
int reportdb_run_update(struct store *st, const struct report_run *r);
/* Runs in state queued or sending due at now, oldest first, at most limit. */
int reportdb_runs_due(struct store *st, struct arena *a, ls_time now, size_t limit, struct report_run **ret,
                      size_t *ret_n);
/* The earliest next attempt of a queued or sending run; -ENOENT when none. */
int reportdb_next_run_attempt(struct store *st, ls_time *ret);
/* The runs of a subscription, newest first, ids below before_id (0: from the newest). */
int reportdb_runs(struct store *st, struct arena *a, int64_t sub_id, int64_t before_id, size_t limit,
                  struct report_run **ret, size_t *ret_n);

/* Fills f->id. */
int reportdb_file_insert(struct store *st, struct report_file *f);
/* With the bytes (copied into a). */
int reportdb_file_get(struct store *st, struct arena *a, int64_t id, struct report_file *ret);
