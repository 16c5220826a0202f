/* Persons in SQLite, their personal fields sealed with the client's data key
 * (store/keyring.h). Room: store. Writes run inside the caller's transaction. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/person.h"
#include "store/store.h"

/* The person of a client with this email (any case), or -ENOENT. */
int persondb_find_email(struct store *st, struct arena *a, int64_t client_id, const char *email, struct person *ret,
                        struct lserr *e);
int persondb_get(struct store *st, struct arena *a, int64_t id, struct person *ret, struct lserr *e);
/* Inserts p (client_id, name, email, phone, company, created_at); sets id, pseudonym,
 * version. -LS_ECONFLICT: a person with this email exists. */
int persondb_insert(struct store *st, struct arena *a, struct person *p, struct lserr *e);
/* Writes name, email, phone, company and updated_at of p if its version is still
 * expected_version (-LS_ESTALE otherwise); p->version becomes the new one. */
int persondb_update(struct store *st, struct arena *a, struct person *p, int64_t expected_version, struct lserr *e);
/* Clears the personal fields and sets erased_at. */
int persondb_mark_erased(struct store *st, int64_t id, ls_time now);
/* A client's persons in id order after `after_id`, at most limit. */
int persondb_list(struct store *st, struct arena *a, int64_t client_id, int64_t after_id, size_t limit,
                  struct person **ret, size_t *ret_n, struct lserr *e);
/* The ids of the tickets whose requester the person is, oldest first. */
int persondb_ticket_ids(struct store *st, struct arena *a, int64_t person_id, int64_t **ret, size_t *ret_n);
/* Opens the sealed requester columns of a row into plain strings (ticketdb). */
int persondb_open_fields(struct store *st, struct arena *a, int64_t client_id, sqlite3_stmt *s, int col_name,
                         const char **name, const char **email, const char **phone);
