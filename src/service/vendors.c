/* Vendors (see vendors.h). Room: service. */
#include "service/vendors.h"

#include <string.h>

#include "core/limits.h"
#include "service/audit.h"
#include "service/directory.h"
#include "store/dirdb.h"
#include "store/vendordb.h"

/* Keeps only the clients the actor sees; false when none remains. */
static bool visible_part(const struct actor *a, struct vendor *v, const int64_t *ids)
{
	if (a->all_clients)
		return true;
	size_t k = 0;
	for (size_t i = 0; i < v->n_clients; i++)
		if (actor_sees_client(a, ids[i]))
			v->client_codes[k++] = v->client_codes[i];
	v->n_clients = k;
	return k > 0;
}

int vendors_add(struct svc *s, const struct vendor_input *in, struct vendor *ret)
{
	lserr_clear(s->err);
	if (!in->code || !directory_code_valid(in->code))
		return lserr_set(s->err, -EINVAL, "invalid_field", "code",
		                 "vendor code must be 1-32 of A-Z a-z 0-9 _ - (got '%.40s')", in->code ? in->code : "");
	if (!in->name || !*in->name)
		return lserr_set(s->err, -EINVAL, "missing_field", "name", "name must not be empty");
	if (strlen(in->name) > LS_MAX_NAME_BYTES)
		return lserr_set(s->err, -EINVAL, "invalid_field", "name", "name is longer than %d bytes",
		                 LS_MAX_NAME_BYTES);
	if (in->n_clients == 0)
		return lserr_set(s->err, -EINVAL, "missing_field", "clients",
		                 "a vendor must work for at least one client");
	if (in->n_clients > LS_MAX_GRANTS)
		return lserr_set(s->err, -EINVAL, "invalid_field", "clients", "too many clients");
	int64_t *ids = arena_alloc(s->arena, in->n_clients * sizeof(*ids));
	const char **codes = arena_alloc(s->arena, in->n_clients * sizeof(*codes));
	for (size_t i = 0; i < in->n_clients; i++) {
		struct client c;
		int r = dirdb_client_by_code(s->st, s->arena, in->clients[i], &c);
		if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, c.id)))
			return lserr_set(s->err, -EINVAL, "invalid_field", "clients", "client '%.40s' does not exist",
			                 in->clients[i]);
		if (r < 0)
			return store_error(s->st, s->err, "looking up a client");
		ids[i] = c.id;
		codes[i] = c.code;
	}
	if (store_begin(s->st) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	struct vendor v = {
	        .code = arena_strdup(s->arena, in->code),
	        .name = arena_strdup(s->arena, in->name),
	        .created_at = s->now,
	};
	int r = vendordb_insert(s->st, &v);
	if (r == -LS_ECONFLICT) {
		store_rollback(s->st);
		return lserr_set(s->err, r, "conflict", "code", "vendor '%s' exists already", in->code);
	}
	json_t *clients = json_array();
	for (size_t i = 0; r == 0 && i < in->n_clients; i++) {
		r = vendordb_add_client(s->st, v.id, ids[i]);
		json_array_append_new(clients, json_string(codes[i]));
	}
	audit_subject(s, ids[0], v.code);
	if (r < 0) {
		json_decref(clients);
		r = store_error(s->st, s->err, "storing the vendor");
		store_rollback(s->st);
		return r;
	}
	/* who may see which client's tickets changes with it: a permission change */
	if ((r = audit_append(s, AUDIT_KIND_PERMISSION_CHANGE, 0, v.code,
	                      json_pack("{s:s,s:o}", "action", "vendor_add", "clients", clients))) < 0) {
		store_rollback(s->st);
		return r;
	}
	if (store_commit(s->st) < 0) {
		r = store_error(s->st, s->err, "committing the vendor");
		store_rollback(s->st);
		return r;
	}
	return vendors_get(s, v.code, ret);
}

int vendors_list(struct svc *s, struct vendor **ret, size_t *ret_n)
{
	struct vendor *v;
	int64_t **ids;
	size_t n;
	if (vendordb_list(s->st, s->arena, &v, &ids, &n) < 0)
		return store_error(s->st, s->err, "listing vendors");
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (visible_part(s->actor, &v[i], ids[i]))
			v[k++] = v[i];
	*ret = v;
	*ret_n = k;
	return 0;
}

int vendors_get(struct svc *s, const char *code, struct vendor *ret)
{
	struct vendor v;
	int64_t *ids = NULL;
	int r = vendordb_by_code(s->st, s->arena, code, &v, &ids);
	if (r == -ENOENT || (r == 0 && !visible_part(s->actor, &v, ids)))
		return lserr_set(s->err, -ENOENT, "not_found", "code", "vendor '%.40s' does not exist", code);
	if (r < 0)
		return store_error(s->st, s->err, "loading the vendor");
	*ret = v;
	return 0;
}

int vendors_of_client(struct svc *s, int64_t client_id, struct vendor **ret, size_t *ret_n)
{
	if (vendordb_of_client(s->st, s->arena, client_id, ret, ret_n) < 0)
		return store_error(s->st, s->err, "listing the client's vendors");
	return 0;
}
