/* Ticket kinds, states and rules (see ticket.h). Room: model.
 * The transition table is the single statement of the ticket life cycle; the
 * service layer consults it and docs/tickets.md describes it. */
#include "model/ticket.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define ENUM_STRING_FUNCS(name, type, table, maxv, invalid)                                                            \
	const char *name##_to_string(type v)                                                                           \
	{                                                                                                              \
		if ((int)v < 0 || (int)v >= (int)(maxv))                                                               \
			return NULL;                                                                                   \
		return table[v];                                                                                       \
	}                                                                                                              \
	type name##_from_string(const char *s)                                                                         \
	{                                                                                                              \
		if (!s)                                                                                                \
			return invalid;                                                                                \
		for (int i = 0; i < (int)(maxv); i++)                                                                  \
			if (strcmp(table[i], s) == 0)                                                                  \
				return (type)i;                                                                        \
		return invalid;                                                                                        \
	}

static const char *const type_names[] = {"incident", "problem", "service_request", "complaint"};
static const char *const type_prefixes[] = {"INC", "PRB", "REQ", "CMP"};
static const char *const state_names[] = {"new",      "assigned", "in_progress", "pending_customer", "pending_vendor",
                                          "resolved", "closed"};
static const char *const channel_names[] = {"email", "phone", "web", "chat", "api"};
static const char *const message_names[] = {"reply", "note"};
static const char *const author_names[] = {"agent", "customer", "system"};
static const char *const link_names[] = {"child_of", "caused_by", "duplicate_of"};
static const char *const role_names[] = {"admin", "manager", "agent",       "client_viewer",
                                         "dpo",   "auditor", "vendor_agent"};

ENUM_STRING_FUNCS(ticket_type, enum ticket_type, type_names, _TICKET_TYPE_MAX, _TICKET_TYPE_INVALID)
ENUM_STRING_FUNCS(ticket_state, enum ticket_state, state_names, _TICKET_STATE_MAX, _TICKET_STATE_INVALID)
ENUM_STRING_FUNCS(ticket_channel, enum ticket_channel, channel_names, _TICKET_CHANNEL_MAX, _TICKET_CHANNEL_INVALID)
ENUM_STRING_FUNCS(message_kind, enum message_kind, message_names, _MESSAGE_KIND_MAX, _MESSAGE_KIND_INVALID)
ENUM_STRING_FUNCS(author_kind, enum author_kind, author_names, _AUTHOR_KIND_MAX, _AUTHOR_KIND_INVALID)
ENUM_STRING_FUNCS(link_kind, enum link_kind, link_names, _LINK_KIND_MAX, _LINK_KIND_INVALID)
ENUM_STRING_FUNCS(user_role, enum user_role, role_names, _USER_ROLE_MAX, _USER_ROLE_INVALID)

const char *ticket_type_prefix(enum ticket_type t)
{
	if ((int)t < 0 || t >= _TICKET_TYPE_MAX)
		return NULL;
	return type_prefixes[t];
}

bool ticket_state_is_open(enum ticket_state s)
{
	return s != TICKET_STATE_RESOLVED && s != TICKET_STATE_CLOSED;
}

bool ticket_state_is_pending(enum ticket_state s)
{
	return s == TICKET_STATE_PENDING_CUSTOMER || s == TICKET_STATE_PENDING_VENDOR;
}

/* allowed[from] is a bit set of the states `from` may move to. Closed is final:
 * later contact about a closed ticket opens a follow-up ticket. */
#define B(s) (1u << TICKET_STATE_##s)
static const unsigned allowed[_TICKET_STATE_MAX] = {
        [TICKET_STATE_NEW] = B(ASSIGNED) | B(IN_PROGRESS) | B(PENDING_CUSTOMER) | B(PENDING_VENDOR) | B(RESOLVED),
        [TICKET_STATE_ASSIGNED] = B(NEW) | B(IN_PROGRESS) | B(PENDING_CUSTOMER) | B(PENDING_VENDOR) | B(RESOLVED),
        [TICKET_STATE_IN_PROGRESS] = B(ASSIGNED) | B(PENDING_CUSTOMER) | B(PENDING_VENDOR) | B(RESOLVED),
        [TICKET_STATE_PENDING_CUSTOMER] = B(ASSIGNED) | B(IN_PROGRESS) | B(PENDING_VENDOR) | B(RESOLVED),
        [TICKET_STATE_PENDING_VENDOR] = B(ASSIGNED) | B(IN_PROGRESS) | B(PENDING_CUSTOMER) | B(RESOLVED),
        [TICKET_STATE_RESOLVED] = B(ASSIGNED) | B(IN_PROGRESS) | B(CLOSED),
        [TICKET_STATE_CLOSED] = 0,
};
#undef B

bool ticket_transition_allowed(enum ticket_state from, enum ticket_state to)
{
	if ((int)from < 0 || from >= _TICKET_STATE_MAX || (int)to < 0 || to >= _TICKET_STATE_MAX)
		return false;
	return (allowed[from] >> to) & 1u;
}

bool ticket_transition_is_reopen(enum ticket_state from, enum ticket_state to)
{
	return from == TICKET_STATE_RESOLVED && ticket_transition_allowed(from, to) && ticket_state_is_open(to);
}

void ticket_transitions_describe(enum ticket_state s, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int to = 0; to < _TICKET_STATE_MAX; to++) {
		if (!ticket_transition_allowed(s, (enum ticket_state)to))
			continue;
		int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", state_names[to]);
		if (w < 0 || (size_t)w >= n - used)
			return;
		used += (size_t)w;
	}
	if (used == 0)
		snprintf(buf, n, "none");
}

bool priority_matrix_valid(const char *m)
{
	if (!m || strlen(m) != 9)
		return false;
	for (int i = 0; i < 9; i++)
		if (m[i] < '1' || m[i] > '5')
			return false;
	return true;
}

int priority_from_matrix(const char *m, int impact, int urgency)
{
	if (!priority_matrix_valid(m) || impact < 1 || impact > 3 || urgency < 1 || urgency > 3)
		return -EINVAL;
	return m[(impact - 1) * 3 + (urgency - 1)] - '0';
}

void ticket_number_format(enum ticket_type t, int64_t seq, char *buf, size_t n)
{
	snprintf(buf, n, "%s%07lld", ticket_type_prefix(t), (long long)seq);
}

bool ticket_number_valid(const char *s)
{
	size_t len = strlen(s);
	if (len < 10 || len > 22)
		return false;
	bool known = false;
	for (int i = 0; i < _TICKET_TYPE_MAX; i++)
		if (memcmp(s, type_prefixes[i], 3) == 0)
			known = true;
	if (!known)
		return false;
	for (size_t i = 3; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}
