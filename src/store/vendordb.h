/* Storage of vendors and the clients they work for. Room: store.
 * Results come from the arena passed in. Lookups return -ENOENT when nothing
 * matches; an insert returns -LS_ECONFLICT on a duplicate code. Nothing here
 * checks who may see what: the services do. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "model/directory.h"
#include "store/store.h"

/* Inserts v (code, name, created_at); fills v->id. */
int vendordb_insert(struct store *st, struct vendor *v);
/* Records that the vendor works for the client (nothing when it does already). */
int vendordb_add_client(struct store *st, int64_t vendor_id, int64_t client_id);
/* One vendor with its clients (codes ascending; ret_client_ids in the same order,
 * may be NULL). */
int vendordb_by_code(struct store *st, struct arena *a, const char *code, struct vendor *ret, int64_t **ret_client_ids);
/* Every vendor by code, each with its clients; *ret_client_ids[i] are vendor i's
 * client ids (same order as its codes). */
int vendordb_list(struct store *st, struct arena *a, struct vendor **ret, int64_t ***ret_client_ids, size_t *ret_n);
/* The vendors that work for a client, by code, without their client lists: the
 * recipients of the client's data (for the Art. 30 record). */
int vendordb_of_client(struct store *st, struct arena *a, int64_t client_id, struct vendor **ret, size_t *ret_n);
/* 0 when the vendor works for the client, -ENOENT when not. */
int vendordb_works_for(struct store *st, int64_t vendor_id, int64_t client_id);
