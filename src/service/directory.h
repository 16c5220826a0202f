/* Use cases on clients, users and teams. Room: service.
 * Creating clients and users is for admins (and the system actor of the CLI);
 * listing shows only what the actor may see. */
#pragma once
#include <stddef.h>

#include "model/directory.h"
#include "service/svc.h"

struct client_input {
	const char *code; /* 1-32 of A-Z a-z 0-9 _ - */
	const char *name;
	const char *timezone;        /* NULL: Europe/Berlin */
	const char *priority_matrix; /* NULL: ServiceNow's default */
};
int directory_client_add(struct svc *s, const struct client_input *in, struct client *ret);
/* Clients the actor sees, by code. */
int directory_client_list(struct svc *s, struct client **ret, size_t *ret_n);
/* A visible client by code; -ENOENT for missing and invisible alike. */
int directory_client_get(struct svc *s, const char *code, struct client *ret);

struct user_input {
	const char *email;
	const char *name;
	enum user_role role;
	const char *password;       /* NULL: token access only */
	const char *const *clients; /* client codes granted */
	size_t n_clients;
	const char *vendor; /* vendor code: required for a vendor_agent, refused for other roles */
};
int directory_user_add(struct svc *s, const struct user_input *in, struct user *ret);
/* Admins see every user; others see admins and the users sharing a client with them. */
int directory_user_list(struct svc *s, struct user **ret, size_t *ret_n);
int directory_user_set_password(struct svc *s, const char *email, const char *password);

struct team_input {
	const char *code;
	const char *name;
	const char *const *members; /* user emails */
	size_t n_members;
};
int directory_team_add(struct svc *s, const struct team_input *in, struct team *ret);
int directory_team_list(struct svc *s, struct team **ret, size_t *ret_n);

/* Shape checks shared with the edges. */
bool directory_code_valid(const char *code);
bool directory_email_valid(const char *email);

/* The clients a list may show, as a JSON array of ids for a store filter: the one
 * named by code (invalid_parameter "client" when the caller does not see it), else
 * the caller's granted clients, else NULL for an actor who sees every client. */
int directory_client_ids_json(struct svc *s, const char *code, const char **ret);
/* The client with this code if the caller sees it; else not_found naming "client"
 * (a client the caller is not granted is answered like a missing one). */
int directory_visible_client(struct svc *s, const char *code, struct client *ret);
