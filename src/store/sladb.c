/* SLA policies in SQLite (see sladb.h). Room: store.
 * The policy row holds what selection needs (code, current version, sort order);
 * each version row holds the definition as JSON text, which this module stores and
 * returns without reading it. */
#include "store/sladb.h"

#include <string.h>

static int insert_version(struct store *st, const struct sla_def *d, int64_t user_id, ls_time now)
{
	static const char sql[] = "INSERT INTO sla_policy_versions (client_id, policy_id, version, name, sort_order, "
	                          "definition, created_at, created_by) VALUES (?,?,?,?,?,?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, d->client_id);
	sqlite3_bind_int64(s, 2, d->id);
	sqlite3_bind_int64(s, 3, d->version);
	store_bind_text(s, 4, d->name);
	sqlite3_bind_int64(s, 5, d->sort_order);
	store_bind_text(s, 6, d->definition);
	sqlite3_bind_int64(s, 7, now);
	store_bind_id(s, 8, user_id);
	return store_step_done(s);
}

int sladb_insert(struct store *st, struct sla_def *d, int64_t user_id)
{
	static const char sql[] = "INSERT INTO sla_policies (client_id, code, name, sort_order, version, created_at, "
	                          "updated_at) VALUES (?,?,?,?,1,?,?)";
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return -LS_EDB;
		sqlite3_bind_int64(s, 1, d->client_id);
		store_bind_text(s, 2, d->code);
		store_bind_text(s, 3, d->name);
		sqlite3_bind_int64(s, 4, d->sort_order);
		sqlite3_bind_int64(s, 5, d->created_at);
		sqlite3_bind_int64(s, 6, d->created_at);
		int r = store_step_done(s);
		if (r < 0)
			return r;
	}
	d->id = store_last_insert_id(st);
	d->version = d->current_version = 1;
	d->version_created_at = d->created_at;
	return insert_version(st, d, user_id, d->created_at);
}

int sladb_add_version(struct store *st, struct sla_def *d, int64_t expected, int64_t user_id, ls_time now)
{
	static const char sql[] = "UPDATE sla_policies SET version = version + 1, name = ?, sort_order = ?, "
	                          "updated_at = ? WHERE id = ? AND client_id = ? AND version = ?";
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return -LS_EDB;
		store_bind_text(s, 1, d->name);
		sqlite3_bind_int64(s, 2, d->sort_order);
		sqlite3_bind_int64(s, 3, now);
		sqlite3_bind_int64(s, 4, d->id);
		sqlite3_bind_int64(s, 5, d->client_id);
		sqlite3_bind_int64(s, 6, expected);
		int r = store_step_done(s);
		if (r < 0)
			return r;
		if (store_changes(st) != 1)
			return -LS_ESTALE;
	}
	d->version = d->current_version = expected + 1;
	d->version_created_at = now;
	return insert_version(st, d, user_id, now);
}

#define DEF_SELECT                                                                                                     \
	"SELECT p.id, p.client_id, cl.code, p.code, v.name, v.sort_order, v.version, p.version, v.definition, "        \
	"p.created_at, v.created_at, u.email, p.retired_at "                                                           \
	"FROM sla_policies p JOIN clients cl ON cl.id = p.client_id "                                                  \
	"JOIN sla_policy_versions v ON v.client_id = p.client_id AND v.policy_id = p.id "                              \
	"LEFT JOIN users u ON u.id = v.created_by "

static void def_row(struct arena *a, sqlite3_stmt *s, struct sla_def *d)
{
	memset(d, 0, sizeof(*d));
	d->id = sqlite3_column_int64(s, 0);
	d->client_id = sqlite3_column_int64(s, 1);
	d->client_code = store_col_dup(a, s, 2);
	d->code = store_col_dup(a, s, 3);
	d->name = store_col_dup(a, s, 4);
	d->sort_order = sqlite3_column_int64(s, 5);
	d->version = sqlite3_column_int64(s, 6);
	d->current_version = sqlite3_column_int64(s, 7);
	d->definition = store_col_dup(a, s, 8);
	d->created_at = sqlite3_column_int64(s, 9);
	d->version_created_at = sqlite3_column_int64(s, 10);
	d->version_created_by = store_col_dup(a, s, 11);
	d->retired_at = sqlite3_column_int64(s, 12);
}

int sladb_get(struct store *st, struct arena *a, int64_t client_id, const char *code, int64_t version,
              struct sla_def *ret)
{
	static const char sql[] = DEF_SELECT "WHERE p.client_id = ?1 AND p.code = ?2 "
	                                     "AND v.version = CASE WHEN ?3 > 0 THEN ?3 ELSE p.version END";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	store_bind_text(s, 2, code);
	sqlite3_bind_int64(s, 3, version);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	def_row(a, s, ret);
	return 0;
}

int sladb_list(struct store *st, struct arena *a, int64_t client_id, struct sla_def **ret, size_t *ret_n)
{
	static const char sql[] = DEF_SELECT "WHERE p.client_id = ? AND v.version = p.version AND p.retired_at IS NULL "
	                                     "ORDER BY p.sort_order, p.code";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	size_t n = 0, cap = 0;
	struct sla_def *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		def_row(a, s, &ARENA_PUSH(a, v, n, cap));
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int sladb_retire(struct store *st, int64_t client_id, int64_t policy_id, ls_time now)
{
	_cleanup_stmt_ sqlite3_stmt *s =
	        store_stmt(st, "UPDATE sla_policies SET retired_at = ?, updated_at = ? WHERE id = ? AND client_id = ? "
	                       "AND retired_at IS NULL");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, policy_id);
	sqlite3_bind_int64(s, 4, client_id);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	return store_changes(st) == 1 ? 0 : -LS_ECONFLICT;
}
