/* Actors, tenant visibility and role permissions. Room: model.
 * The permission table below is the whole authorisation policy by role; the
 * route table names the permission each route needs. */
#include "model/directory.h"

const struct actor actor_system = {
        .user_id = 0,
        .email = "system",
        .role = USER_ROLE_ADMIN,
        .all_clients = true,
};

bool actor_sees_client(const struct actor *a, int64_t client_id)
{
	if (a->all_clients)
		return true;
	size_t lo = 0, hi = a->n_clients;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->client_ids[mid] == client_id)
			return true;
		if (a->client_ids[mid] < client_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool actor_sees_ticket(const struct actor *a, int64_t client_id, int64_t vendor_id)
{
	if (a->vendor_id)
		return vendor_id == a->vendor_id;
	return actor_sees_client(a, client_id);
}

unsigned role_permissions(enum user_role r)
{
	switch (r) {
	case USER_ROLE_ADMIN:
		return PERM_TICKET_READ | PERM_TICKET_WRITE | PERM_DIRECTORY_READ | PERM_DIRECTORY_WRITE |
		       PERM_TEAM_WRITE | PERM_USER_READ | PERM_CONFIG_WRITE | PERM_AUDIT_READ | PERM_PRIVACY_READ |
		       PERM_PRIVACY_WRITE;
	case USER_ROLE_MANAGER:
		return PERM_TICKET_READ | PERM_TICKET_WRITE | PERM_DIRECTORY_READ | PERM_TEAM_WRITE | PERM_USER_READ |
		       PERM_CONFIG_WRITE;
	case USER_ROLE_AGENT: return PERM_TICKET_READ | PERM_TICKET_WRITE | PERM_DIRECTORY_READ;
	case USER_ROLE_CLIENT_VIEWER: return PERM_TICKET_READ;
	case USER_ROLE_DPO: return PERM_TICKET_READ | PERM_AUDIT_READ | PERM_PRIVACY_READ | PERM_PRIVACY_WRITE;
	case USER_ROLE_AUDITOR: return PERM_TICKET_READ | PERM_DIRECTORY_READ | PERM_AUDIT_READ | PERM_PRIVACY_READ;
	case USER_ROLE_VENDOR_AGENT:
		/* its visibility, not its permissions, keeps it to its vendor's tickets */
		return PERM_TICKET_READ | PERM_TICKET_WRITE;
	default: return 0;
	}
}
