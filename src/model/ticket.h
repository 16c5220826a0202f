/* The ticket model: kinds, states, the state machine, priority from impact and
 * urgency, ticket numbers. Plain data and pure rules; no I/O. Room: model, which
 * sits on core and is shared by store, engines and services alike.
 *
 * Every enum has one table in ticket.c giving its wire name; *_from_string
 * returns the value or -EINVAL (the _INVALID member), never guesses. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/timeutil.h"

enum ticket_type {
	TICKET_TYPE_INCIDENT,
	TICKET_TYPE_PROBLEM,
	TICKET_TYPE_SERVICE_REQUEST,
	TICKET_TYPE_COMPLAINT,
	_TICKET_TYPE_MAX,
	_TICKET_TYPE_INVALID = -22,
};

enum ticket_state {
	TICKET_STATE_NEW,
	TICKET_STATE_ASSIGNED,
	TICKET_STATE_IN_PROGRESS,
	TICKET_STATE_PENDING_CUSTOMER,
	TICKET_STATE_PENDING_VENDOR,
	TICKET_STATE_RESOLVED,
	TICKET_STATE_CLOSED,
	_TICKET_STATE_MAX,
	_TICKET_STATE_INVALID = -22,
};

enum ticket_channel {
	TICKET_CHANNEL_EMAIL,
	TICKET_CHANNEL_PHONE,
	TICKET_CHANNEL_WEB,
	TICKET_CHANNEL_CHAT,
	TICKET_CHANNEL_API,
	_TICKET_CHANNEL_MAX,
	_TICKET_CHANNEL_INVALID = -22,
};

enum message_kind {
	MESSAGE_KIND_REPLY, /* public: the requester sees it */
	MESSAGE_KIND_NOTE,  /* internal */
	_MESSAGE_KIND_MAX,
	_MESSAGE_KIND_INVALID = -22,
};

enum author_kind {
	AUTHOR_KIND_AGENT,
	AUTHOR_KIND_CUSTOMER,
	AUTHOR_KIND_SYSTEM,
	_AUTHOR_KIND_MAX,
	_AUTHOR_KIND_INVALID = -22,
};

enum link_kind {
	LINK_KIND_CHILD_OF,     /* this ticket is a child of the target */
	LINK_KIND_CAUSED_BY,    /* this incident is caused by the target problem */
	LINK_KIND_DUPLICATE_OF, /* this ticket duplicates the target */
	_LINK_KIND_MAX,
	_LINK_KIND_INVALID = -22,
};

enum user_role {
	USER_ROLE_ADMIN,
	USER_ROLE_MANAGER,
	USER_ROLE_AGENT,
	USER_ROLE_CLIENT_VIEWER,
	USER_ROLE_DPO,          /* data-protection officer of granted clients: reads, audit log */
	USER_ROLE_AUDITOR,      /* read-only; without grants: the whole installation */
	USER_ROLE_VENDOR_AGENT, /* works exactly the tickets assigned to its vendor */
	_USER_ROLE_MAX,
	_USER_ROLE_INVALID = -22,
};

const char *ticket_type_to_string(enum ticket_type t);
enum ticket_type ticket_type_from_string(const char *s);
/* "INC", "PRB", "REQ", "CMP" */
const char *ticket_type_prefix(enum ticket_type t);
const char *ticket_state_to_string(enum ticket_state s);
enum ticket_state ticket_state_from_string(const char *s);
const char *ticket_channel_to_string(enum ticket_channel c);
enum ticket_channel ticket_channel_from_string(const char *s);
const char *message_kind_to_string(enum message_kind k);
enum message_kind message_kind_from_string(const char *s);
const char *author_kind_to_string(enum author_kind k);
enum author_kind author_kind_from_string(const char *s);
const char *link_kind_to_string(enum link_kind k);
enum link_kind link_kind_from_string(const char *s);
const char *user_role_to_string(enum user_role r);
enum user_role user_role_from_string(const char *s);

/* Open means not resolved and not closed. */
bool ticket_state_is_open(enum ticket_state s);
bool ticket_state_is_pending(enum ticket_state s);
/* Whether the state machine allows from → to (from != to). */
bool ticket_transition_allowed(enum ticket_state from, enum ticket_state to);
/* A transition out of resolved back into work counts as a reopen. */
bool ticket_transition_is_reopen(enum ticket_state from, enum ticket_state to);
/* Comma-separated list of states reachable from s, into buf. */
void ticket_transitions_describe(enum ticket_state s, char *buf, size_t n);

/* A priority matrix: 9 digits '1'..'5', row = impact 1..3, column = urgency 1..3. */
#define PRIORITY_MATRIX_DEFAULT "123234345" /* ServiceNow: priority = impact + urgency - 1 */
bool priority_matrix_valid(const char *m);
/* Priority 1..5 for impact and urgency 1..3, or -EINVAL. */
int priority_from_matrix(const char *m, int impact, int urgency);

/* "INC0001234": prefix + seq zero-padded to 7 digits (wider once past 9,999,999). */
void ticket_number_format(enum ticket_type t, int64_t seq, char *buf, size_t n);
/* Checks the shape of a ticket number (prefix known, digits only, sane length). */
bool ticket_number_valid(const char *s);

/* A ticket as the services see it. Strings are owned by whoever loaded it
 * (an arena); absent optional strings are NULL, absent instants are 0. */
struct ticket {
	int64_t id;
	int64_t client_id;
	const char *client_code;
	char number[24];
	enum ticket_type type;
	const char *title;
	const char *description;
	const char *category;
	int impact, urgency, priority;
	enum ticket_state state;
	enum ticket_channel channel;
	const char *requester_name;
	const char *requester_email;
	const char *requester_phone;
	int64_t person_id;         /* the requester's person record; 0: none */
	char person_pseudonym[12]; /* its pseudonym, "" when none */
	int64_t team_id;           /* 0: none */
	const char *team_code;
	int64_t assignee_id; /* 0: none */
	const char *assignee_email;
	int64_t vendor_id; /* 0: none */
	const char *vendor_code;
	int64_t version;
	int reopen_count;
	ls_time created_at, updated_at;
	ls_time first_response_at, resolved_at, closed_at;
	const char **tags;
	size_t n_tags;
};

/* One entry of the append-only history. */
struct ticket_event {
	int64_t id;
	int64_t client_id;
	int64_t ticket_id;
	ls_time at;
	enum author_kind actor_kind;
	int64_t actor_id; /* 0: none */
	const char *actor_email;
	const char *field;     /* "created", "state", "priority", "reply", ... */
	const char *old_value; /* NULL: none */
	const char *new_value;
};

struct ticket_message {
	int64_t id;
	int64_t client_id;
	int64_t ticket_id;
	enum message_kind kind;
	enum author_kind author_kind;
	int64_t author_user_id;
	const char *author_name;
	const char *body;
	ls_time created_at;
};

struct ticket_effort {
	int64_t id;
	int64_t client_id;
	int64_t ticket_id;
	int64_t user_id;
	const char *user_email;
	int minutes;
	const char *note;
	ls_time worked_at, created_at;
};

struct ticket_link {
	enum link_kind kind;
	bool inverse; /* the link points at this ticket from another */
	char other_number[24];
	const char *other_title;
	ls_time created_at;
};
