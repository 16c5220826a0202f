/* Storage of tickets and everything hanging off them: tags, links, messages,
 * effort entries, the event history and the full-text index. Room: store.
 * Results come from the arena passed in. Lookups return -ENOENT when nothing
 * matches. Nothing here checks tenant visibility: the services do. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "model/ticket.h"
#include "store/store.h"

/* Takes the next number for a type (inside the caller's transaction). */
int ticketdb_next_seq(struct store *st, enum ticket_type type, int64_t *ret_seq);
/* Inserts t (number already set); fills t->id; version starts at 1. */
int ticketdb_insert(struct store *st, struct ticket *t);
int ticketdb_get_by_number(struct store *st, struct arena *a, const char *number, struct ticket *ret);
int ticketdb_get_by_id(struct store *st, struct arena *a, int64_t id, struct ticket *ret);
/* Writes every mutable column of t and sets version = expected + 1, but only if
 * the stored version is still `expected`: -LS_ESTALE otherwise. */
int ticketdb_update(struct store *st, const struct ticket *t, int64_t expected_version);

struct ticket_filter {
	int64_t client_id;       /* 0: any */
	int64_t visible_to_user; /* non-zero: only clients granted to this user */
	int64_t vendor_id;       /* non-zero: only tickets assigned to this vendor */
	int state;               /* enum ticket_state, or -1 */
	int type;                /* enum ticket_type, or -1 */
	int priority;            /* 1..5, or 0 */
	int64_t team_id;         /* 0: any */
	int64_t assignee_id;     /* 0: any */
	const char *person_ids;  /* a JSON array of person ids, or NULL: any requester */
	bool has_updated_since;  /* then ordered by (updated_at, id) ascending, else id descending */
	ls_time updated_since;
	const char *fts_query; /* an FTS5 MATCH expression built by the service, or NULL */
	bool has_after;        /* keyset position from a cursor */
	ls_time after_updated_at;
	int64_t after_id;
	unsigned limit; /* rows to return; the caller asks one more to see if a page follows */
};
int ticketdb_list(struct store *st, struct arena *a, const struct ticket_filter *f, struct ticket **ret, size_t *ret_n);

int ticketdb_tags_set(struct store *st, int64_t ticket_id, const char *const *tags, size_t n);
/* Assigns the ticket to a vendor (0: none); the caller bumps the version (ticketdb_update). */
int ticketdb_set_vendor(struct store *st, int64_t ticket_id, int64_t vendor_id);

int ticketdb_event_append(struct store *st, const struct ticket_event *ev);
int ticketdb_events(struct store *st, struct arena *a, int64_t client_id, int64_t ticket_id, struct ticket_event **ret,
                    size_t *ret_n);

/* Whether the client keeps replies and notes sealed (clients.seal_messages). */
bool ticketdb_client_seals_messages(struct store *st, int64_t client_id);
/* Switches sealing of the client's replies and notes; switching it on seals the
 * messages stored so far and empties their full-text index entries (*ret_sealed
 * how many). In the caller's write transaction. */
int ticketdb_seal_messages(struct store *st, int64_t client_id, bool on, int64_t *ret_sealed, struct lserr *e);
/* Inserts the message; with seal (ticketdb_client_seals_messages of its client),
 * body and author name are stored sealed with the client's key. */
int ticketdb_message_insert(struct store *st, struct ticket_message *m, bool seal);
/* include_notes false: public replies only. */
int ticketdb_messages(struct store *st, struct arena *a, int64_t client_id, int64_t ticket_id, bool include_notes,
                      struct ticket_message **ret, size_t *ret_n);

int ticketdb_effort_insert(struct store *st, struct ticket_effort *e);
int ticketdb_efforts(struct store *st, struct arena *a, int64_t client_id, int64_t ticket_id,
                     struct ticket_effort **ret, size_t *ret_n);

/* -LS_ECONFLICT when the same link exists already. */
int ticketdb_link_insert(struct store *st, int64_t client_id, int64_t ticket_id, enum link_kind kind, int64_t target_id,
                         ls_time now);
/* Links from and to a ticket. */
int ticketdb_links(struct store *st, struct arena *a, int64_t client_id, int64_t ticket_id, struct ticket_link **ret,
                   size_t *ret_n);

/* Full-text index maintenance. */
int ticketdb_fts_put(struct store *st, int64_t ticket_id, const char *title, const char *description);
int ticketdb_fts_add_reply(struct store *st, int64_t ticket_id, const char *body);
