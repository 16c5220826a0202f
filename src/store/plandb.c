/* Action plans and contracts in SQLite (see plandb.h). Room: store.
 * The version columns are the optimistic locks; a row that fails to parse back
 * (edited outside Leitstand) is a storage error, never a silent default. */
#include "store/plandb.h"

#include <errno.h>

#define ACTION_COLS "id, title, owner, state, agreed_on, due_on, closed_on, finding, version, created_at, updated_at"

static int day_col(sqlite3_stmt *s, int i, int64_t *ret)
{
	const char *t = store_col_text(s, i);
	if (!t) {
		*ret = PLAN_NO_DAY;
		return 0;
	}
	return plan_day_parse(t, ret) < 0 ? -LS_EDB : 0;
}

static int read_action(sqlite3_stmt *s, struct arena *a, struct action *ret)
{
	struct action x = {
	        .id = sqlite3_column_int64(s, 0),
	        .title = store_col_dup(a, s, 1),
	        .owner = store_col_dup(a, s, 2),
	        .state = action_state_from_string(store_col_text(s, 3)),
	        .finding = store_col_dup(a, s, 7),
	        .version = sqlite3_column_int64(s, 8),
	        .created_at = sqlite3_column_int64(s, 9),
	        .updated_at = sqlite3_column_int64(s, 10),
	};
	if ((int)x.state < 0 || day_col(s, 4, &x.agreed_on) < 0 || day_col(s, 5, &x.due_on) < 0 ||
	    day_col(s, 6, &x.closed_on) < 0 || x.agreed_on == PLAN_NO_DAY || x.due_on == PLAN_NO_DAY)
		return -LS_EDB;
	*ret = x;
	return 0;
}

static void bind_day(sqlite3_stmt *s, int i, int64_t day)
{
	char buf[16];
	if (day == PLAN_NO_DAY)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, plan_day_format(day, buf, sizeof(buf)), -1, SQLITE_TRANSIENT);
}

/* title, owner, state, agreed_on, due_on, closed_on, finding as ?2 … ?8 */
static void bind_fields(sqlite3_stmt *s, const struct action *a)
{
	store_bind_text(s, 2, a->title);
	store_bind_text(s, 3, a->owner ? a->owner : "");
	store_bind_text(s, 4, action_state_to_string(a->state));
	bind_day(s, 5, a->agreed_on);
	bind_day(s, 6, a->due_on);
	bind_day(s, 7, a->closed_on);
	if (a->finding)
		store_bind_text(s, 8, a->finding);
	else
		sqlite3_bind_null(s, 8);
}

int plandb_action_insert(struct store *st, int64_t client_id, struct action *a)
{
	static const char sql[] =
	        "INSERT INTO actions (client_id, title, owner, state, agreed_on, due_on, closed_on, "
	        "finding, version, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, "
	        "?9, ?9)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	bind_fields(s, a);
	sqlite3_bind_int64(s, 9, a->created_at);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	a->id = store_last_insert_id(st);
	a->version = 1;
	a->updated_at = a->created_at;
	return 0;
}

int plandb_actions(struct store *st, struct arena *a, int64_t client_id, struct action **ret, size_t *ret_n)
{
	static const char sql[] = "SELECT " ACTION_COLS " FROM actions WHERE client_id = ? ORDER BY id";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	struct action *v = NULL;
	size_t n = 0, cap = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct action *x = &ARENA_PUSH(a, v, n, cap);
		if (read_action(s, a, x) < 0)
			return -LS_EDB;
	}
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int plandb_action_get(struct store *st, struct arena *a, int64_t client_id, int64_t id, struct action *ret)
{
	static const char sql[] = "SELECT " ACTION_COLS " FROM actions WHERE client_id = ? AND id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	return read_action(s, a, ret);
}

int plandb_action_update(struct store *st, int64_t client_id, const struct action *a, int64_t expected)
{
	static const char sql[] = "UPDATE actions SET title = ?2, owner = ?3, state = ?4, agreed_on = ?5, due_on = ?6, "
	                          "closed_on = ?7, finding = ?8, version = version + 1, updated_at = ?9 "
	                          "WHERE id = ?1 AND client_id = ?10 AND version = ?11";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, a->id);
	bind_fields(s, a);
	sqlite3_bind_int64(s, 9, a->updated_at);
	sqlite3_bind_int64(s, 10, client_id);
	sqlite3_bind_int64(s, 11, expected);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	return store_changes(st) == 1 ? 0 : -LS_ESTALE;
}

int plandb_contract_get(struct store *st, struct arena *a, int64_t client_id, struct contract_row *ret)
{
	static const char sql[] = "SELECT k.contract, k.version, k.updated_at, u.email FROM contracts k "
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
	*ret = (struct contract_row){
	        .contract = store_col_dup(a, s, 0),
	        .version = sqlite3_column_int64(s, 1),
	        .updated_at = sqlite3_column_int64(s, 2),
	        .updated_by = store_col_dup(a, s, 3),
	};
	return ret->contract ? 0 : -LS_EDB;
}

int plandb_contract_put(struct store *st, int64_t client_id, const char *contract, int64_t expected, int64_t user_id,
                        ls_time now)
{
	static const char ins[] = "INSERT OR IGNORE INTO contracts (client_id, contract, version, updated_at, "
	                          "updated_by) VALUES (?, ?, 1, ?, ?)";
	static const char upd[] = "UPDATE contracts SET contract = ?2, version = version + 1, updated_at = ?3, "
	                          "updated_by = ?4 WHERE client_id = ?1 AND version = ?5";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, expected ? upd : ins);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	store_bind_text(s, 2, contract);
	sqlite3_bind_int64(s, 3, now);
	store_bind_id(s, 4, user_id);
	if (expected)
		sqlite3_bind_int64(s, 5, expected);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	return store_changes(st) == 1 ? 0 : -LS_ESTALE;
}
