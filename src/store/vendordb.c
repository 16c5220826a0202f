/* Vendors and the clients they work for in SQLite (see vendordb.h). Room: store. */
#include "store/vendordb.h"

#include <string.h>

static void vendor_row(struct arena *a, sqlite3_stmt *s, struct vendor *v)
{
	memset(v, 0, sizeof(*v));
	v->id = sqlite3_column_int64(s, 0);
	v->code = store_col_dup(a, s, 1);
	v->name = store_col_dup(a, s, 2);
	v->created_at = sqlite3_column_int64(s, 3);
}

int vendordb_insert(struct store *st, struct vendor *v)
{
	static const char sql[] = "INSERT INTO vendors (code, name, created_at) VALUES (?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, v->code);
	store_bind_text(s, 2, v->name);
	sqlite3_bind_int64(s, 3, v->created_at);
	int r = store_step_done(s);
	if (r == 0)
		v->id = store_last_insert_id(st);
	return r;
}

int vendordb_add_client(struct store *st, int64_t vendor_id, int64_t client_id)
{
	static const char sql[] = "INSERT OR IGNORE INTO vendor_clients (client_id, vendor_id) VALUES (?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, vendor_id);
	return store_step_done(s);
}

static int load_clients(struct store *st, struct arena *a, struct vendor *v, int64_t **ret_ids)
{
	static const char sql[] = "SELECT c.id, c.code FROM vendor_clients vc JOIN clients c ON c.id = vc.client_id "
	                          "WHERE vc.vendor_id = ? ORDER BY c.code";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, v->id);
	size_t n = 0, cap = 0, idn = 0, idcap = 0;
	const char **codes = NULL;
	int64_t *ids = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		ARENA_PUSH(a, ids, idn, idcap) = sqlite3_column_int64(s, 0);
		ARENA_PUSH(a, codes, n, cap) = store_col_dup(a, s, 1);
	}
	if (r != SQLITE_DONE)
		return -LS_EDB;
	v->client_codes = codes;
	v->n_clients = n;
	if (ret_ids)
		*ret_ids = ids;
	return 0;
}

int vendordb_by_code(struct store *st, struct arena *a, const char *code, struct vendor *ret, int64_t **ret_client_ids)
{
	static const char sql[] = "SELECT id, code, name, created_at FROM vendors WHERE code = ?";
	struct vendor v;
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return -LS_EDB;
		store_bind_text(s, 1, code);
		int r = sqlite3_step(s);
		if (r == SQLITE_DONE)
			return -ENOENT;
		if (r != SQLITE_ROW)
			return -LS_EDB;
		vendor_row(a, s, &v);
	}
	int r = load_clients(st, a, &v, ret_client_ids);
	if (r < 0)
		return r;
	*ret = v;
	return 0;
}

int vendordb_list(struct store *st, struct arena *a, struct vendor **ret, int64_t ***ret_client_ids, size_t *ret_n)
{
	static const char sql[] = "SELECT id, code, name, created_at FROM vendors ORDER BY code";
	size_t n = 0, cap = 0;
	struct vendor *v = NULL;
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return -LS_EDB;
		int r;
		while ((r = sqlite3_step(s)) == SQLITE_ROW)
			vendor_row(a, s, &ARENA_PUSH(a, v, n, cap));
		if (r != SQLITE_DONE)
			return -LS_EDB;
	}
	int64_t **ids = arena_zalloc(a, (n + 1) * sizeof(*ids));
	for (size_t i = 0; i < n; i++) {
		int r = load_clients(st, a, &v[i], &ids[i]);
		if (r < 0)
			return r;
	}
	*ret = v;
	*ret_client_ids = ids;
	*ret_n = n;
	return 0;
}

int vendordb_of_client(struct store *st, struct arena *a, int64_t client_id, struct vendor **ret, size_t *ret_n)
{
	static const char sql[] = "SELECT v.id, v.code, v.name, v.created_at FROM vendor_clients vc "
	                          "JOIN vendors v ON v.id = vc.vendor_id WHERE vc.client_id = ? ORDER BY v.code";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	size_t n = 0, cap = 0;
	struct vendor *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		vendor_row(a, s, &ARENA_PUSH(a, v, n, cap));
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int vendordb_works_for(struct store *st, int64_t vendor_id, int64_t client_id)
{
	static const char sql[] = "SELECT 1 FROM vendor_clients WHERE client_id = ? AND vendor_id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, vendor_id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	return r == SQLITE_ROW ? 0 : -LS_EDB;
}
