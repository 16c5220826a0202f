/* Ticket use cases: create, read, list and search, update, state transitions,
 * replies and notes, effort, links, history. Room: service.
 *
 * Tenant isolation: every call resolves the ticket and then asks
 * actor_sees_ticket(); a ticket of a client the actor may not see (for a
 * vendor_agent: one not assigned to its vendor) fails exactly like a missing one
 * (-ENOENT, "not_found"), so its existence does not leak.
 *
 * Concurrency: each write is one IMMEDIATE transaction. Updates of fields carry
 * the version the caller read; a different stored version fails with -LS_ESTALE
 * ("version_mismatch") and changes nothing. Every successful write bumps the
 * ticket's version and appends one history event per changed field. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "model/ticket.h"
#include "service/svc.h"

struct ticket_input {
	const char *client; /* client code (required) */
	enum ticket_type type;
	const char *title; /* required, 1..LS_MAX_TITLE_BYTES */
	const char *description;
	int impact, urgency; /* 1..3, 0: default 3 (low) */
	const char *category;
	int channel; /* enum ticket_channel, -1: web */
	const char *requester_name, *requester_email, *requester_phone;
	const char *team;     /* team code */
	const char *assignee; /* user email */
	const char *vendor;   /* vendor code: only a vendor that works for the client */
	const char *const *tags;
	size_t n_tags;
};
int tickets_create(struct svc *s, const struct ticket_input *in, struct ticket *ret);
int tickets_get(struct svc *s, const char *number, struct ticket *ret);

enum ticket_patch_field {
	PATCH_TITLE = 1 << 0,
	PATCH_DESCRIPTION = 1 << 1,
	PATCH_IMPACT = 1 << 2,
	PATCH_URGENCY = 1 << 3,
	PATCH_CATEGORY = 1 << 4,
	PATCH_CHANNEL = 1 << 5,
	PATCH_REQUESTER_NAME = 1 << 6,
	PATCH_REQUESTER_EMAIL = 1 << 7,
	PATCH_REQUESTER_PHONE = 1 << 8,
	PATCH_TEAM = 1 << 9,
	PATCH_ASSIGNEE = 1 << 10,
	PATCH_TAGS = 1 << 11,
	PATCH_TYPE = 1 << 12,
	PATCH_VENDOR = 1 << 13, /* not by a vendor_agent: it would hand the ticket out of its own sight */
};
/* Fields named in `fields` are set; NULL strings clear optional fields. */
struct ticket_patch {
	unsigned fields;
	struct ticket_input v;
};
int tickets_update(struct svc *s, const char *number, int64_t expected_version, const struct ticket_patch *p,
                   struct ticket *ret);
/* expected_version 0: no version check (the state machine still decides). */
int tickets_transition(struct svc *s, const char *number, int64_t expected_version, enum ticket_state to,
                       struct ticket *ret);

struct message_input {
	enum message_kind kind;
	enum author_kind author_kind; /* agent (default for users) or customer */
	const char *author_name;      /* for customer messages */
	const char *body;
};
int tickets_add_message(struct svc *s, const char *number, const struct message_input *in,
                        struct ticket_message *ret_msg, struct ticket *ret_ticket);
int tickets_add_effort(struct svc *s, const char *number, int minutes, const char *note, ls_time worked_at,
                       struct ticket_effort *ret);
int tickets_add_link(struct svc *s, const char *number, enum link_kind kind, const char *target_number,
                     struct ticket *ret);

int tickets_history(struct svc *s, const char *number, struct ticket_event **ret, size_t *ret_n);
/* Notes are left out for client viewers. */
int tickets_messages(struct svc *s, const char *number, struct ticket_message **ret, size_t *ret_n);
int tickets_efforts(struct svc *s, const char *number, struct ticket_effort **ret, size_t *ret_n);
int tickets_links(struct svc *s, const char *number, struct ticket_link **ret, size_t *ret_n);

struct ticket_query {
	const char *client;        /* code or NULL */
	int state, type, priority; /* -1 / -1 / 0: any */
	const char *team;          /* code or NULL */
	const char *assignee;      /* email or NULL */
	const char *requester;     /* the requester's email (any case) or NULL: found by its keyed hash */
	bool has_updated_since;
	ls_time updated_since;
	const char *q;  /* full-text words or NULL */
	bool has_after; /* position decoded from a cursor */
	ls_time after_updated_at;
	int64_t after_id;
	unsigned limit; /* 1..LS_MAX_PAGE_SIZE */
};
/* One page; *ret_more tells whether another page follows the last item. */
int tickets_list(struct svc *s, const struct ticket_query *q, struct ticket **ret, size_t *ret_n, bool *ret_more);
/* Turns user words into a safe FTS5 expression (every word quoted, a trailing *
 * kept as prefix search). NULL when nothing searchable remains. */
const char *tickets_fts_expression(struct arena *a, const char *q);

/* Called after every committed change of a ticket (create, update, transition,
 * message, effort, link) with its id, on the writing thread: the SLA timer
 * (jobs/timers) re-evaluates the ticket. One hook per process; NULL removes it. The
 * hook must be quick and must not call back into the services. */
typedef void (*ticket_change_fn)(void *ctx, int64_t ticket_id);
void tickets_set_change_hook(ticket_change_fn fn, void *ctx);
/* Calls the hook, if any (for other services that change tickets). */
void tickets_changed(int64_t ticket_id);
