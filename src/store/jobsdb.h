/* Storage of the background jobs: outbox, webhook subscriptions and deliveries,
 * fired escalation levels, small job settings. Room: store.
 * Lookups return -ENOENT; results come from the arena passed in. Nothing here checks
 * tenant visibility: the service does. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "model/jobs.h"
#include "store/store.h"

int jobsdb_state_get(struct store *st, struct arena *a, const char *key, const char **ret);
int jobsdb_state_set(struct store *st, const char *key, const char *value);

/* Tickets that are neither resolved nor closed with id > after, ascending, at most
 * limit: their ids into ids[] (room for limit); the count into *ret_n. */
int jobsdb_open_tickets(struct store *st, int64_t after, size_t limit, int64_t *ids, size_t *ret_n);

/* Inserts ev unless an event with its fire_key exists (then *ret_inserted is false
 * and nothing is written). Fills ev->id when inserted. */
int jobsdb_outbox_insert(struct store *st, struct outbox_event *ev, bool *ret_inserted);
/* Whether an event with this fire_key exists. */
int jobsdb_outbox_fired(struct store *st, const char *fire_key, bool *ret);
int jobsdb_outbox_get(struct store *st, struct arena *a, int64_t id, struct outbox_event *ret);

/* Subscriptions (not deleted). active_only: for the fan-out. */
int jobsdb_webhooks(struct store *st, struct arena *a, int64_t client_id, bool active_only, struct webhook_sub **ret,
                    size_t *ret_n);
int jobsdb_webhook_get(struct store *st, struct arena *a, int64_t id, struct webhook_sub *ret);
/* Fills w->id, version 1. */
int jobsdb_webhook_insert(struct store *st, struct webhook_sub *w);
/* Writes url, secret, events, format, lang, active and version expected+1, only if the
 * version is `expected` (-LS_ESTALE otherwise). */
int jobsdb_webhook_update(struct store *st, const struct webhook_sub *w, int64_t expected, ls_time now);
int jobsdb_webhook_delete(struct store *st, int64_t id, ls_time now);

int jobsdb_delivery_insert(struct store *st, int64_t client_id, int64_t outbox_id, int64_t webhook_id, ls_time now);
/* Pending deliveries due at `now`, oldest first, joined with their event and
 * subscription, at most limit. */
int jobsdb_deliveries_due(struct store *st, struct arena *a, ls_time now, size_t limit, struct webhook_delivery **ret,
                          size_t *ret_n);
/* The earliest next attempt of a pending delivery; -ENOENT when none is pending. */
int jobsdb_next_delivery(struct store *st, ls_time *ret);
/* Writes state, attempts, the attempt instants, status, error, response. */
int jobsdb_delivery_update(struct store *st, const struct webhook_delivery *d);
/* The delivery log of one subscription, newest first, ids below before_id (0: from
 * the newest), at most limit. */
int jobsdb_deliveries(struct store *st, struct arena *a, int64_t webhook_id, int64_t before_id, size_t limit,
                      struct webhook_delivery **ret, size_t *ret_n);

/* Import jobs. insert fills j->id (state queued). */
int jobsdb_import_job_insert(struct store *st, struct import_job *j, int64_t user_id);
int jobsdb_import_job_get(struct store *st, struct arena *a, int64_t id, struct import_job *ret);
/* A client's jobs, newest first, at most limit. */
int jobsdb_import_jobs(struct store *st, struct arena *a, int64_t client_id, size_t limit, struct import_job **ret,
                       size_t *ret_n);
/* Marks the oldest queued job running (started_at now) and returns it; -ENOENT when none. */
int jobsdb_import_job_claim(struct store *st, struct arena *a, ls_time now, struct import_job *ret);
/* state done or failed with the result or error JSON. */
int jobsdb_import_job_finish(struct store *st, int64_t id, const char *state, const char *result, const char *error,
                             int64_t import_id, ls_time now);
/* Jobs left running by a crash are queued again. */
int jobsdb_import_jobs_requeue(struct store *st);

/* Fills e->id. -LS_ECONFLICT when the level of that target fired already. */
int jobsdb_escalation_insert(struct store *st, struct sla_escalation *e);
int jobsdb_escalation_get(struct store *st, struct arena *a, int64_t id, struct sla_escalation *ret);
int jobsdb_escalation_set_outbox(struct store *st, int64_t id, int64_t outbox_id);
/* -LS_ECONFLICT when it is acknowledged already. */
int jobsdb_escalation_ack(struct store *st, int64_t id, int64_t user_id, ls_time at, const char *note);
int jobsdb_escalations_of_ticket(struct store *st, struct arena *a, int64_t ticket_id, struct sla_escalation **ret,
                                 size_t *ret_n);
