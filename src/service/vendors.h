/* Vendors: the sub-contractors a client's tickets can be handed to. Room: service.
 *
 * A vendor works for one or more clients (the recipients of those clients' data,
 * Art. 30 GDPR). Its users, of role vendor_agent, see and work exactly the tickets
 * assigned to it (actor_sees_ticket); tickets are assigned with the ticket field
 * "vendor" (service/tickets.h), only to a vendor that works for their client.
 * Admins and managers add vendors (the route table checks the permission); a
 * manager only for clients it sees. Listing shows the vendors of the clients the
 * actor sees, each with only those clients. */
#pragma once
#include <stddef.h>

#include "model/directory.h"
#include "service/svc.h"

struct vendor_input {
	const char *code; /* 1-32 of A-Z a-z 0-9 _ - */
	const char *name;
	const char *const *clients; /* client codes, at least one */
	size_t n_clients;
};
int vendors_add(struct svc *s, const struct vendor_input *in, struct vendor *ret);
int vendors_list(struct svc *s, struct vendor **ret, size_t *ret_n);
/* A vendor the actor sees; -ENOENT for missing and invisible alike. */
int vendors_get(struct svc *s, const char *code, struct vendor *ret);
/* The vendors working for a client (without their client lists), by code: the
 * recipients of its data. No visibility check: the caller has checked the client. */
int vendors_of_client(struct svc *s, int64_t client_id, struct vendor **ret, size_t *ret_n);
