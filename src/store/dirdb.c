/* Clients, users, teams and tokens in SQLite (see dirdb.h). Room: store. */
#include "store/dirdb.h"

#include <stdio.h>
#include <string.h>

#include "core/limits.h"

/* ---- clients ---- */

static void client_row(struct arena *a, sqlite3_stmt *s, struct client *c)
{
	c->id = sqlite3_column_int64(s, 0);
	c->code = store_col_dup(a, s, 1);
	c->name = store_col_dup(a, s, 2);
	c->timezone = store_col_dup(a, s, 3);
	const char *m = store_col_text(s, 4);
	snprintf(c->priority_matrix, sizeof(c->priority_matrix), "%s", m ? m : PRIORITY_MATRIX_DEFAULT);
	c->created_at = sqlite3_column_int64(s, 5);
}

int dirdb_client_insert(struct store *st, struct client *c)
{
	static const char sql[] =
	        "INSERT INTO clients (code, name, timezone, priority_matrix, created_at) VALUES (?,?,?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, c->code);
	store_bind_text(s, 2, c->name);
	store_bind_text(s, 3, c->timezone ? c->timezone : "Europe/Berlin");
	store_bind_text(s, 4, c->priority_matrix[0] ? c->priority_matrix : PRIORITY_MATRIX_DEFAULT);
	sqlite3_bind_int64(s, 5, c->created_at);
	int r = store_step_done(s);
	if (r == 0)
		c->id = store_last_insert_id(st);
	return r;
}

static int client_one(struct store *st, struct arena *a, const char *sql, const char *code, int64_t id,
                      struct client *ret)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	if (code)
		store_bind_text(s, 1, code);
	else
		sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	client_row(a, s, ret);
	return 0;
}

int dirdb_client_by_code(struct store *st, struct arena *a, const char *code, struct client *ret)
{
	static const char sql[] =
	        "SELECT id, code, name, timezone, priority_matrix, created_at FROM clients WHERE code = ?";
	return client_one(st, a, sql, code, 0, ret);
}

int dirdb_client_by_id(struct store *st, struct arena *a, int64_t id, struct client *ret)
{
	static const char sql[] =
	        "SELECT id, code, name, timezone, priority_matrix, created_at FROM clients WHERE id = ?";
	return client_one(st, a, sql, NULL, id, ret);
}

int dirdb_client_list(struct store *st, struct arena *a, struct client **ret, size_t *ret_n)
{
	static const char sql[] =
	        "SELECT id, code, name, timezone, priority_matrix, created_at FROM clients ORDER BY code";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	size_t n = 0, cap = 0;
	struct client *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		client_row(a, s, &ARENA_PUSH(a, v, n, cap));
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

/* ---- users ---- */

#define USER_SELECT                                                                                                    \
	"SELECT u.id, u.email, u.name, u.role, u.active, u.created_at, u.vendor_id, v.code FROM users u "              \
	"LEFT JOIN vendors v ON v.id = u.vendor_id "

static void user_row(struct arena *a, sqlite3_stmt *s, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(s, 0);
	u->email = store_col_dup(a, s, 1);
	u->name = store_col_dup(a, s, 2);
	u->role = user_role_from_string(store_col_text(s, 3));
	u->active = sqlite3_column_int(s, 4) != 0;
	u->created_at = sqlite3_column_int64(s, 5);
	u->vendor_id = sqlite3_column_int64(s, 6);
	u->vendor_code = store_col_dup(a, s, 7);
}

int dirdb_user_insert(struct store *st, struct user *u, const char *password_hash)
{
	static const char sql[] =
	        "INSERT INTO users (email, name, role, password_hash, active, created_at) VALUES (?,?,?,?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, u->email);
	store_bind_text(s, 2, u->name);
	store_bind_text(s, 3, user_role_to_string(u->role));
	store_bind_text(s, 4, password_hash);
	sqlite3_bind_int(s, 5, u->active ? 1 : 0);
	sqlite3_bind_int64(s, 6, u->created_at);
	int r = store_step_done(s);
	if (r == 0)
		u->id = store_last_insert_id(st);
	return r;
}

static int user_one(struct store *st, struct arena *a, const char *sql, const char *email, int64_t id, struct user *ret)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	if (email)
		store_bind_text(s, 1, email);
	else
		sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	user_row(a, s, ret);
	return 0;
}

int dirdb_user_by_email(struct store *st, struct arena *a, const char *email, struct user *ret)
{
	static const char sql[] = USER_SELECT "WHERE u.email = ?";
	return user_one(st, a, sql, email, 0, ret);
}

int dirdb_user_by_id(struct store *st, struct arena *a, int64_t id, struct user *ret)
{
	static const char sql[] = USER_SELECT "WHERE u.id = ?";
	return user_one(st, a, sql, NULL, id, ret);
}

int dirdb_user_password_hash(struct store *st, struct arena *a, int64_t user_id, const char **ret)
{
	static const char sql[] = "SELECT password_hash FROM users WHERE id = ? AND password_hash IS NOT NULL";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, user_id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	*ret = store_col_dup(a, s, 0);
	return 0;
}

int dirdb_user_set_password_hash(struct store *st, int64_t user_id, const char *hash)
{
	static const char sql[] = "UPDATE users SET password_hash = ? WHERE id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, hash);
	sqlite3_bind_int64(s, 2, user_id);
	int r = store_step_done(s);
	if (r == 0 && store_changes(st) == 0)
		return -ENOENT;
	return r;
}

int dirdb_user_list(struct store *st, struct arena *a, struct user **ret, size_t *ret_n)
{
	static const char sql[] = USER_SELECT "ORDER BY u.email";
	static const char grants_sql[] = "SELECT c.code FROM user_clients uc JOIN clients c ON c.id = uc.client_id "
	                                 "WHERE uc.user_id = ? ORDER BY c.code";
	size_t n = 0, cap = 0;
	struct user *v = NULL;
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return -LS_EDB;
		int r;
		while ((r = sqlite3_step(s)) == SQLITE_ROW)
			user_row(a, s, &ARENA_PUSH(a, v, n, cap));
		if (r != SQLITE_DONE)
			return -LS_EDB;
	}
	for (size_t i = 0; i < n; i++) {
		_cleanup_stmt_ sqlite3_stmt *g = store_stmt(st, grants_sql);
		if (!g)
			return -LS_EDB;
		sqlite3_bind_int64(g, 1, v[i].id);
		size_t gn = 0, gcap = 0;
		const char **codes = NULL;
		while (sqlite3_step(g) == SQLITE_ROW)
			ARENA_PUSH(a, codes, gn, gcap) = store_col_dup(a, g, 0);
		v[i].client_codes = codes;
		v[i].n_clients = gn;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

int dirdb_user_grant(struct store *st, int64_t user_id, int64_t client_id)
{
	static const char sql[] = "INSERT OR IGNORE INTO user_clients (user_id, client_id) VALUES (?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int64(s, 2, client_id);
	return store_step_done(s);
}

int dirdb_user_grants(struct store *st, struct arena *a, int64_t user_id, int64_t **ret, size_t *ret_n)
{
	static const char sql[] = "SELECT client_id FROM user_clients WHERE user_id = ? ORDER BY client_id";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, user_id);
	size_t n = 0, cap = 0;
	int64_t *v = NULL;
	while (n < LS_MAX_GRANTS && sqlite3_step(s) == SQLITE_ROW)
		ARENA_PUSH(a, v, n, cap) = sqlite3_column_int64(s, 0);
	*ret = v;
	*ret_n = n;
	return 0;
}

/* ---- teams ---- */

int dirdb_team_insert(struct store *st, struct team *t)
{
	static const char sql[] = "INSERT INTO teams (code, name, created_at) VALUES (?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, t->code);
	store_bind_text(s, 2, t->name);
	sqlite3_bind_int64(s, 3, t->created_at);
	int r = store_step_done(s);
	if (r == 0)
		t->id = store_last_insert_id(st);
	return r;
}

int dirdb_team_by_code(struct store *st, struct arena *a, const char *code, struct team *ret)
{
	static const char sql[] = "SELECT id, code, name, created_at FROM teams WHERE code = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, code);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	ret->id = sqlite3_column_int64(s, 0);
	ret->code = store_col_dup(a, s, 1);
	ret->name = store_col_dup(a, s, 2);
	ret->created_at = sqlite3_column_int64(s, 3);
	return 0;
}

int dirdb_team_list(struct store *st, struct arena *a, struct team **ret, size_t *ret_n)
{
	static const char sql[] = "SELECT id, code, name, created_at FROM teams ORDER BY code";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	size_t n = 0, cap = 0;
	struct team *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct team *t = &ARENA_PUSH(a, v, n, cap);
		t->id = sqlite3_column_int64(s, 0);
		t->code = store_col_dup(a, s, 1);
		t->name = store_col_dup(a, s, 2);
		t->created_at = sqlite3_column_int64(s, 3);
	}
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int dirdb_team_add_member(struct store *st, int64_t team_id, int64_t user_id)
{
	static const char sql[] = "INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, team_id);
	sqlite3_bind_int64(s, 2, user_id);
	return store_step_done(s);
}

/* ---- tokens ---- */

int dirdb_token_insert(struct store *st, int64_t user_id, const unsigned char hash[32], const char *name, ls_time now,
                       ls_time expires_at)
{
	static const char sql[] =
	        "INSERT INTO api_tokens (user_id, token_hash, name, created_at, expires_at) VALUES (?,?,?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_blob(s, 2, hash, 32, SQLITE_TRANSIENT);
	store_bind_text(s, 3, name ? name : "");
	sqlite3_bind_int64(s, 4, now);
	if (expires_at > 0)
		sqlite3_bind_int64(s, 5, expires_at);
	else
		sqlite3_bind_null(s, 5);
	return store_step_done(s);
}

int dirdb_token_user(struct store *st, const unsigned char hash[32], ls_time now, int64_t *ret_user_id)
{
	static const char sql[] = "SELECT t.user_id FROM api_tokens t JOIN users u ON u.id = t.user_id "
	                          "WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?) "
	                          "AND t.revoked_at IS NULL AND u.active = 1";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	*ret_user_id = sqlite3_column_int64(s, 0);
	return 0;
}

int dirdb_user_set_vendor(struct store *st, int64_t user_id, int64_t vendor_id)
{
	static const char sql[] = "UPDATE users SET vendor_id = ? WHERE id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_id(s, 1, vendor_id);
	sqlite3_bind_int64(s, 2, user_id);
	return store_step_done(s);
}

int dirdb_token_list(struct store *st, struct arena *a, int64_t user_id, struct api_token **ret, size_t *ret_n)
{
	static const char sql[] = "SELECT t.id, t.user_id, u.email, t.name, t.created_at, t.expires_at, t.revoked_at "
	                          "FROM api_tokens t JOIN users u ON u.id = t.user_id "
	                          "WHERE ?1 = 0 OR t.user_id = ?1 ORDER BY t.id DESC LIMIT ?2";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int(s, 2, LS_MAX_PAGE_SIZE);
	size_t n = 0, cap = 0;
	struct api_token *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct api_token *t = &ARENA_PUSH(a, v, n, cap);
		t->id = sqlite3_column_int64(s, 0);
		t->user_id = sqlite3_column_int64(s, 1);
		t->user_email = store_col_dup(a, s, 2);
		t->name = store_col_dup(a, s, 3);
		t->created_at = sqlite3_column_int64(s, 4);
		t->expires_at = sqlite3_column_int64(s, 5);
		t->revoked_at = sqlite3_column_int64(s, 6);
	}
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int dirdb_token_by_id(struct store *st, struct arena *a, int64_t id, struct api_token *ret)
{
	static const char sql[] = "SELECT t.id, t.user_id, u.email, t.name, t.created_at, t.expires_at, t.revoked_at "
	                          "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	ret->id = sqlite3_column_int64(s, 0);
	ret->user_id = sqlite3_column_int64(s, 1);
	ret->user_email = store_col_dup(a, s, 2);
	ret->name = store_col_dup(a, s, 3);
	ret->created_at = sqlite3_column_int64(s, 4);
	ret->expires_at = sqlite3_column_int64(s, 5);
	ret->revoked_at = sqlite3_column_int64(s, 6);
	return 0;
}

int dirdb_token_id_by_hash(struct store *st, const unsigned char hash[32], int64_t *ret_id)
{
	static const char sql[] = "SELECT id FROM api_tokens WHERE token_hash = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	*ret_id = sqlite3_column_int64(s, 0);
	return 0;
}

int dirdb_token_revoke(struct store *st, int64_t id, ls_time now)
{
	static const char sql[] = "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, id);
	return store_step_done(s);
}

/* ---- login throttling ---- */

int dirdb_login_throttle_get(struct store *st, const char *account, struct login_throttle *ret)
{
	static const char sql[] =
	        "SELECT failures, lockouts, locked_until FROM login_throttle WHERE account = lower(?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, account);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE) {
		*ret = (struct login_throttle){0};
		return 0;
	}
	if (r != SQLITE_ROW)
		return -LS_EDB;
	ret->failures = sqlite3_column_int(s, 0);
	ret->lockouts = sqlite3_column_int(s, 1);
	ret->locked_until = sqlite3_column_int64(s, 2);
	return 0;
}

int dirdb_login_throttle_put(struct store *st, const char *account, const struct login_throttle *t, ls_time now)
{
	static const char sql[] = "INSERT INTO login_throttle (account, failures, lockouts, locked_until, updated_at) "
	                          "VALUES (lower(?1),?2,?3,?4,?5) ON CONFLICT (account) DO UPDATE SET "
	                          "failures = ?2, lockouts = ?3, locked_until = ?4, updated_at = ?5";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, account);
	sqlite3_bind_int(s, 2, t->failures);
	sqlite3_bind_int(s, 3, t->lockouts);
	sqlite3_bind_int64(s, 4, t->locked_until);
	sqlite3_bind_int64(s, 5, now);
	return store_step_done(s);
}

int dirdb_login_throttle_clear(struct store *st, const char *account)
{
	static const char sql[] = "DELETE FROM login_throttle WHERE account = lower(?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, account);
	return store_step_done(s);
}

bool dirdb_team_has_member(struct store *st, int64_t team_id, int64_t user_id)
{
	static const char sql[] = "SELECT 1 FROM team_members WHERE team_id = ? AND user_id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return false;
	sqlite3_bind_int64(s, 1, team_id);
	sqlite3_bind_int64(s, 2, user_id);
	return sqlite3_step(s) == SQLITE_ROW;
}
