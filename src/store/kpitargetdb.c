/* KPI target sets in SQLite (see kpitargetdb.h). Room: store.
 * The row is replaced in place; the version column is the optimistic lock. */
#include "store/kpitargetdb.h"

#include <errno.h>

int kpitargetdb_get(struct store *st, struct arena *a, int64_t client_id, struct kpitarget_row *ret)
{
	static const char sql[] = "SELECT k.targets, k.version, k.updated_at, u.email FROM kpi_targets k "
	                          "LEFT JOIN users u ON u.id = k.updated_by WHERE k.client_id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	const char *by = store_col_text(s, 3);
	*ret = (struct kpitarget_row){
	        .targets = arena_strdup(a, store_col_text(s, 0)),
	        .version = sqlite3_column_int64(s, 1),
	        .updated_at = sqlite3_column_int64(s, 2),
	        .updated_by = by ? arena_strdup(a, by) : NULL,
	};
	return 0;
}

int kpitargetdb_put(struct store *st, int64_t client_id, const char *targets, int64_t expected, int64_t user_id,
                    ls_time now)
{
	static const char ins[] = "INSERT OR IGNORE INTO kpi_targets (client_id, targets, version, updated_at, "
	                          "updated_by) VALUES (?, ?, 1, ?, ?)";
	static const char upd[] = "UPDATE kpi_targets SET targets = ?2, version = version + 1, updated_at = ?3, "
	                          "updated_by = ?4 WHERE client_id = ?1 AND version = ?5";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, expected ? upd : ins);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	store_bind_text(s, 2, targets);
	sqlite3_bind_int64(s, 3, now);
	if (user_id)
		sqlite3_bind_int64(s, 4, user_id);
	else
		sqlite3_bind_null(s, 4);
	if (expected)
		sqlite3_bind_int64(s, 5, expected);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	return store_changes(st) == 1 ? 0 : -LS_ESTALE;
}
