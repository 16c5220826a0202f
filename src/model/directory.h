/* Clients (tenants), users, teams and the actor a request runs as. Room: model.
 * Strings are owned by whoever loaded the struct (an arena). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/timeutil.h"
#include "model/ticket.h"

struct client {
	int64_t id;
	const char *code;
	const char *name;
	const char *timezone;
	char priority_matrix[10];
	ls_time created_at;
};

struct user {
	int64_t id;
	const char *email;
	const char *name;
	enum user_role role;
	bool active;
	ls_time created_at;
	const char **client_codes; /* granted clients (empty for admins: they see all) */
	size_t n_clients;
	int64_t vendor_id;       /* vendor_agents: the vendor they belong to; 0 otherwise */
	const char *vendor_code; /* its code, or NULL */
};

/* A sub-contractor that works tickets of the clients it serves (its vendor_agents
 * see exactly the tickets assigned to it). */
struct vendor {
	int64_t id;
	const char *code;
	const char *name;
	ls_time created_at;
	const char **client_codes; /* the clients it works for, by code */
	size_t n_clients;
};

struct team {
	int64_t id;
	const char *code;
	const char *name;
	ls_time created_at;
};

/* Who performs an operation. Tenant isolation lives in actor_sees_client():
 * every service that reads or writes tenant data asks it, and nothing else. */
struct actor {
	int64_t user_id; /* 0 for the system (CLI, demo, importers) */
	const char *email;
	enum user_role role;
	bool all_clients;          /* admins and the system */
	const int64_t *client_ids; /* sorted ascending */
	size_t n_clients;
	int64_t vendor_id; /* vendor_agents: their vendor; 0 for everybody else */
};

bool actor_sees_client(const struct actor *a, int64_t client_id);
/* Whether the actor may see a ticket of client_id assigned to vendor_id (0: none):
 * a client it sees, or, for a vendor_agent, a ticket assigned to its vendor. The
 * one rule for tickets; everything else about a client asks actor_sees_client(). */
bool actor_sees_ticket(const struct actor *a, int64_t client_id, int64_t vendor_id);
/* The built-in system actor: all clients, author kind system. */
extern const struct actor actor_system;

/* Permissions by role, checked by the router before a handler runs. */
enum permission {
	PERM_TICKET_READ = 1 << 0,
	PERM_TICKET_WRITE = 1 << 1,
	PERM_DIRECTORY_READ = 1 << 2,  /* list clients, teams, users */
	PERM_DIRECTORY_WRITE = 1 << 3, /* create clients, users, teams */
	PERM_TEAM_WRITE = 1 << 4,
	PERM_USER_READ = 1 << 5,     /* list users */
	PERM_CONFIG_WRITE = 1 << 6,  /* calendars and other business configuration */
	PERM_AUDIT_READ = 1 << 7,    /* the audit log (of the clients one sees) */
	PERM_PRIVACY_READ = 1 << 8,  /* persons, data-subject exports and requests, privacy records */
	PERM_PRIVACY_WRITE = 1 << 9, /* rectification, erasure, consents, retention, legal holds */
};
unsigned role_permissions(enum user_role r);
