/* Clients, users and teams (see directory.h). Room: service. */
#include "service/directory.h"

#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "core/strbuf.h"
#include "service/audit.h"
#include "service/auth.h"
#include "store/dirdb.h"
#include "store/vendordb.h"

bool directory_code_valid(const char *code)
{
	size_t n = strlen(code);
	if (n < 1 || n > LS_MAX_CODE_BYTES)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = code[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

bool directory_email_valid(const char *email)
{
	size_t n = strlen(email);
	const char *at = strchr(email, '@');
	if (n < 3 || n > LS_MAX_EMAIL_BYTES || !at || at == email || !at[1] || strchr(at + 1, '@'))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)email[i] <= ' ')
			return false;
	return true;
}

static int check_name(struct svc *s, const char *field, const char *v)
{
	if (!v || !*v)
		return lserr_set(s->err, -EINVAL, "missing_field", field, "%s must not be empty", field);
	if (strlen(v) > LS_MAX_NAME_BYTES)
		return lserr_set(s->err, -EINVAL, "invalid_field", field, "%s is longer than %d bytes", field,
		                 LS_MAX_NAME_BYTES);
	return 0;
}

static int require_admin(struct svc *s)
{
	if (s->actor->role != USER_ROLE_ADMIN)
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL, "only admins may do this");
	return 0;
}

int directory_client_add(struct svc *s, const struct client_input *in, struct client *ret)
{
	int r = require_admin(s);
	if (r < 0)
		return r;
	if (!in->code || !directory_code_valid(in->code))
		return lserr_set(s->err, -EINVAL, "invalid_field", "code",
		                 "client code must be 1-%d letters, digits, '_' or '-'", LS_MAX_CODE_BYTES);
	if ((r = check_name(s, "name", in->name)) < 0)
		return r;
	if (in->priority_matrix && !priority_matrix_valid(in->priority_matrix))
		return lserr_set(s->err, -EINVAL, "invalid_field", "priority_matrix",
		                 "priority matrix must be 9 digits 1-5 (rows impact 1-3, columns urgency 1-3)");
	if (in->timezone && (strlen(in->timezone) > 64 || !*in->timezone))
		return lserr_set(s->err, -EINVAL, "invalid_field", "timezone", "time zone name is invalid");
	struct client c = {
	        .code = arena_strdup(s->arena, in->code),
	        .name = arena_strdup(s->arena, in->name),
	        .timezone = arena_strdup(s->arena, in->timezone ? in->timezone : "Europe/Berlin"),
	        .created_at = s->now,
	};
	snprintf(c.priority_matrix, sizeof(c.priority_matrix), "%s",
	         in->priority_matrix ? in->priority_matrix : PRIORITY_MATRIX_DEFAULT);
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	r = dirdb_client_insert(s->st, &c);
	if (r == -LS_ECONFLICT) {
		store_rollback(s->st);
		return lserr_set(s->err, r, "conflict", "code", "client '%s' exists already", in->code);
	}
	if (r < 0 || (r = store_commit(s->st)) < 0) {
		r = store_error(s->st, s->err, "adding the client");
		store_rollback(s->st);
		return r;
	}
	*ret = c;
	return 0;
}

int directory_client_list(struct svc *s, struct client **ret, size_t *ret_n)
{
	struct client *all;
	size_t n;
	int r = dirdb_client_list(s->st, s->arena, &all, &n);
	if (r < 0)
		return store_error(s->st, s->err, "listing clients");
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (actor_sees_client(s->actor, all[i].id))
			all[k++] = all[i];
	*ret = all;
	*ret_n = k;
	return 0;
}

int directory_client_get(struct svc *s, const char *code, struct client *ret)
{
	struct client c;
	int r = dirdb_client_by_code(s->st, s->arena, code, &c);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, c.id)))
		return lserr_set(s->err, -ENOENT, "not_found", "client", "client '%s' does not exist", code);
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");
	*ret = c;
	return 0;
}

int directory_user_add(struct svc *s, const struct user_input *in, struct user *ret)
{
	int r = require_admin(s);
	if (r < 0)
		return r;
	if (!in->email || !directory_email_valid(in->email))
		return lserr_set(s->err, -EINVAL, "invalid_field", "email", "'%s' is not a valid email address",
		                 in->email ? in->email : "");
	if ((r = check_name(s, "name", in->name)) < 0)
		return r;
	if ((int)in->role < 0 || in->role >= _USER_ROLE_MAX)
		return lserr_set(s->err, -EINVAL, "invalid_field", "role", "unknown role");
	if ((in->role == USER_ROLE_CLIENT_VIEWER || in->role == USER_ROLE_DPO) && in->n_clients == 0)
		return lserr_set(s->err, -EINVAL, "missing_field", "clients",
		                 "a %s must be granted at least one client", user_role_to_string(in->role));
	if (in->role == USER_ROLE_VENDOR_AGENT && in->n_clients > 0)
		return lserr_set(s->err, -EINVAL, "invalid_field", "clients",
		                 "a vendor_agent is not granted clients: it sees the tickets assigned to its vendor");
	if (in->n_clients > LS_MAX_GRANTS)
		return lserr_set(s->err, -EINVAL, "invalid_field", "clients", "too many clients granted");
	if (in->role == USER_ROLE_VENDOR_AGENT && (!in->vendor || !*in->vendor))
		return lserr_set(s->err, -EINVAL, "missing_field", "vendor", "a vendor_agent must belong to a vendor");
	if (in->role != USER_ROLE_VENDOR_AGENT && in->vendor)
		return lserr_set(s->err, -EINVAL, "invalid_field", "vendor",
		                 "only a vendor_agent belongs to a vendor, not a %s", user_role_to_string(in->role));
	struct vendor vendor = {0};
	if (in->vendor) {
		r = vendordb_by_code(s->st, s->arena, in->vendor, &vendor, NULL);
		if (r == -ENOENT)
			return lserr_set(s->err, -EINVAL, "invalid_field", "vendor", "vendor '%.40s' does not exist",
			                 in->vendor);
		if (r < 0)
			return store_error(s->st, s->err, "looking up the vendor");
	}
	const char *hash = NULL;
	if (in->password && (r = auth_password_hash(s, in->password, &hash)) < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	struct user u = {
	        .email = arena_strdup(s->arena, in->email),
	        .name = arena_strdup(s->arena, in->name),
	        .role = in->role,
	        .active = true,
	        .created_at = s->now,
	};
	r = dirdb_user_insert(s->st, &u, hash);
	if (r == -LS_ECONFLICT) {
		store_rollback(s->st);
		return lserr_set(s->err, r, "conflict", "email", "user '%s' exists already", in->email);
	}
	if (r < 0)
		goto fail;
	if (vendor.id) {
		if ((r = dirdb_user_set_vendor(s->st, u.id, vendor.id)) < 0)
			goto fail;
		u.vendor_id = vendor.id;
		u.vendor_code = vendor.code;
	}
	u.client_codes = arena_alloc(s->arena, (in->n_clients + 1) * sizeof(char *));
	for (size_t i = 0; i < in->n_clients; i++) {
		struct client c;
		r = dirdb_client_by_code(s->st, s->arena, in->clients[i], &c);
		if (r == -ENOENT) {
			store_rollback(s->st);
			return lserr_set(s->err, -EINVAL, "invalid_field", "clients", "client '%s' does not exist",
			                 in->clients[i]);
		}
		if (r < 0 || (r = dirdb_user_grant(s->st, u.id, c.id)) < 0)
			goto fail;
		u.client_codes[u.n_clients++] = c.code;
	}
	json_t *granted = json_array();
	for (size_t i = 0; i < u.n_clients; i++)
		json_array_append_new(granted, json_string(u.client_codes[i]));
	json_t *detail = json_pack("{s:s,s:s,s:o}", "action", "user_add", "role", user_role_to_string(u.role),
	                           "clients", granted);
	if (u.vendor_code)
		json_object_set_new(detail, "vendor", json_string(u.vendor_code));
	if ((r = audit_append(s, AUDIT_KIND_PERMISSION_CHANGE, 0, u.email, detail)) < 0) {
		store_rollback(s->st);
		return r;
	}
	if ((r = store_commit(s->st)) < 0)
		goto fail;
	*ret = u;
	return 0;
fail:
	r = store_error(s->st, s->err, "adding the user");
	store_rollback(s->st);
	return r;
}

int directory_user_list(struct svc *s, struct user **ret, size_t *ret_n)
{
	struct user *v;
	size_t n;
	int r = dirdb_user_list(s->st, s->arena, &v, &n);
	if (r < 0)
		return store_error(s->st, s->err, "listing users");
	if (!s->actor->all_clients) {
		/* a user outside the actor's clients is none of the actor's business:
		 * keep admins (they work for every client) and users sharing a client */
		struct client *vis;
		size_t nvis;
		if ((r = directory_client_list(s, &vis, &nvis)) < 0)
			return r;
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			bool keep = v[i].role == USER_ROLE_ADMIN;
			for (size_t c = 0; !keep && c < v[i].n_clients; c++)
				for (size_t j = 0; !keep && j < nvis; j++)
					keep = strcmp(v[i].client_codes[c], vis[j].code) == 0;
			if (keep)
				v[k++] = v[i];
		}
		n = k;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

int directory_user_set_password(struct svc *s, const char *email, const char *password)
{
	int r = require_admin(s);
	if (r < 0)
		return r;
	struct user u;
	r = dirdb_user_by_email(s->st, s->arena, email, &u);
	if (r == -ENOENT)
		return lserr_set(s->err, r, "not_found", "email", "user '%s' does not exist", email);
	if (r < 0)
		return store_error(s->st, s->err, "looking up the user");
	const char *hash;
	if ((r = auth_password_hash(s, password, &hash)) < 0)
		return r;
	if (store_begin(s->st) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	if (dirdb_user_set_password_hash(s->st, u.id, hash) < 0) {
		r = store_error(s->st, s->err, "storing the password");
		store_rollback(s->st);
		return r;
	}
	if ((r = audit_append(s, AUDIT_KIND_PERMISSION_CHANGE, 0, u.email,
	                      json_pack("{s:s}", "action", "password_set"))) < 0) {
		store_rollback(s->st);
		return r;
	}
	if (store_commit(s->st) < 0)
		return store_error(s->st, s->err, "committing the password");
	return 0;
}

int directory_team_add(struct svc *s, const struct team_input *in, struct team *ret)
{
	if (!(role_permissions(s->actor->role) & PERM_TEAM_WRITE))
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL, "only admins and managers may add teams");
	if (!in->code || !directory_code_valid(in->code))
		return lserr_set(s->err, -EINVAL, "invalid_field", "code",
		                 "team code must be 1-%d letters, digits, '_' or '-'", LS_MAX_CODE_BYTES);
	int r = check_name(s, "name", in->name);
	if (r < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	struct team t = {
	        .code = arena_strdup(s->arena, in->code),
	        .name = arena_strdup(s->arena, in->name),
	        .created_at = s->now,
	};
	r = dirdb_team_insert(s->st, &t);
	if (r == -LS_ECONFLICT) {
		store_rollback(s->st);
		return lserr_set(s->err, r, "conflict", "code", "team '%s' exists already", in->code);
	}
	if (r < 0)
		goto fail;
	for (size_t i = 0; i < in->n_members; i++) {
		struct user u;
		r = dirdb_user_by_email(s->st, s->arena, in->members[i], &u);
		if (r == -ENOENT) {
			store_rollback(s->st);
			return lserr_set(s->err, -EINVAL, "invalid_field", "members", "user '%s' does not exist",
			                 in->members[i]);
		}
		if (r < 0 || (r = dirdb_team_add_member(s->st, t.id, u.id)) < 0)
			goto fail;
	}
	if ((r = store_commit(s->st)) < 0)
		goto fail;
	*ret = t;
	return 0;
fail:
	r = store_error(s->st, s->err, "adding the team");
	store_rollback(s->st);
	return r;
}

int directory_team_list(struct svc *s, struct team **ret, size_t *ret_n)
{
	int r = dirdb_team_list(s->st, s->arena, ret, ret_n);
	return r < 0 ? store_error(s->st, s->err, "listing teams") : 0;
}

int directory_client_ids_json(struct svc *s, const char *code, const char **ret)
{
	*ret = NULL;
	if (code) {
		struct client c;
		int r = dirdb_client_by_code(s->st, s->arena, code, &c);
		if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, c.id)))
			return lserr_set(s->err, -EINVAL, "invalid_parameter", "client",
			                 "client '%.40s' does not exist", code);
		if (r < 0)
			return store_error(s->st, s->err, "looking up the client");
		*ret = arena_printf(s->arena, "[%lld]", (long long)c.id);
		return 0;
	}
	if (s->actor->all_clients)
		return 0;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addch(&sb, '[');
	for (size_t i = 0; i < s->actor->n_clients; i++)
		strbuf_addf(&sb, "%s%lld", i ? "," : "", (long long)s->actor->client_ids[i]);
	strbuf_addch(&sb, ']');
	*ret = arena_strdup(s->arena, sb.buf);
	strbuf_release(&sb);
	return 0;
}

int directory_visible_client(struct svc *s, const char *code, struct client *ret)
{
	int r = dirdb_client_by_code(s->st, s->arena, code ? code : "", ret);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, ret->id)))
		return lserr_set(s->err, -ENOENT, "not_found", "client", "client '%.40s' does not exist",
		                 code ? code : "");
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");
	return 0;
}
