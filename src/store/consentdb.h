/* Storage of consent records and their history. Room: store.
 * Results come from the arena passed in; -ENOENT when nothing matches. Writes run
 * inside the caller's transaction. Nothing here checks who may see what: the
 * services do (service/consents.h). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "model/consent.h"
#include "store/store.h"

/* Inserts c (client_id, person_id, purpose, channel, text_version, wording,
 * evidence, given_at, recorded_at) recorded by actor_id (0: the system) and its
 * "given" event; sets c->id and c->version. -LS_ECONFLICT: a consent of the person
 * for this purpose is in force. */
int consentdb_insert(struct store *st, struct consent *c, int64_t actor_id);
/* Marks consent id withdrawn at `at` through channel, recorded at recorded_at by
 * actor_id, and appends the "withdrawn" event. -ENOENT: no such consent in force. */
int consentdb_withdraw(struct store *st, int64_t id, ls_time at, enum privacy_channel channel, ls_time recorded_at,
                       int64_t actor_id);
/* One consent with its history. */
int consentdb_get(struct store *st, struct arena *a, int64_t id, struct consent *ret);
/* A person's consents, oldest first, each with its history. */
int consentdb_of_person(struct store *st, struct arena *a, int64_t person_id, struct consent **ret, size_t *ret_n);

struct consent_filter {
	const char *client_ids_json; /* a JSON array of client ids, or NULL: every client */
	const char *purpose;         /* NULL: any */
	int state;                   /* -1 any, 0 in force (of persons not erased), 1 withdrawn */
	int64_t after_id;            /* cursor: ids above it */
	size_t limit;
};
/* Consents by id ascending, without history. */
int consentdb_list(struct store *st, struct arena *a, const struct consent_filter *f, struct consent **ret,
                   size_t *ret_n);
