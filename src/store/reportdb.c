/* Scheduled report delivery in SQLite (see reportdb.h). Room: store. */
#include "store/reportdb.h"

#include <string.h>

/* ---- subscriptions ---- */

#define SUB_SELECT                                                                                                     \
	"SELECT r.id, r.client_id, c.code, r.kind, r.format, r.lang, r.recipients, r.schedule, r.timezone, "           \
	"r.holidays_region, r.active, r.next_run_at, r.version, r.created_at, r.updated_at "                           \
	"FROM report_subscriptions r JOIN clients c ON c.id = r.client_id "

static void sub_row(struct arena *a, sqlite3_stmt *s, struct report_sub *r)
{
	*r = (struct report_sub){
	        .id = sqlite3_column_int64(s, 0),
	        .client_id = sqlite3_column_int64(s, 1),
	        .client_code = store_col_dup(a, s, 2),
	        .kind = store_col_dup(a, s, 3),
	        .format = store_col_dup(a, s, 4),
	        .lang = store_col_dup(a, s, 5),
	        .recipients = store_col_dup(a, s, 6),
	        .schedule = store_col_dup(a, s, 7),
	        .timezone = store_col_dup(a, s, 8),
	        .holidays_region = store_col_dup(a, s, 9),
	        .active = sqlite3_column_int(s, 10) != 0,
	        .next_run_at = sqlite3_column_int64(s, 11),
	        .version = sqlite3_column_int64(s, 12),
	        .created_at = sqlite3_column_int64(s, 13),
	        .updated_at = sqlite3_column_int64(s, 14),
	};
}

static int sub_rows(struct arena *a, sqlite3_stmt *s, struct report_sub **ret, size_t *ret_n)
{
	struct report_sub *v = NULL;
	size_t n = 0, cap = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		sub_row(a, s, &ARENA_PUSH(a, v, n, cap));
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int reportdb_subs(struct store *st, struct arena *a, int64_t client_id, struct report_sub **ret, size_t *ret_n)
{
	_cleanup_stmt_ sqlite3_stmt *s =
	        store_stmt(st, SUB_SELECT "WHERE r.client_id = ? AND r.deleted_at IS NULL ORDER BY r.id");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	return sub_rows(a, s, ret, ret_n);
}

int reportdb_sub_get(struct store *st, struct arena *a, int64_t id, struct report_sub *ret)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, SUB_SELECT "WHERE r.id = ? AND r.deleted_at IS NULL");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	sub_row(a, s, ret);
	return 0;
}

int reportdb_sub_insert(struct store *st, struct report_sub *r)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(
	        st, "INSERT INTO report_subscriptions (client_id, kind, format, lang, recipients, schedule, timezone, "
	            "holidays_region, active, next_run_at, version, created_at, updated_at) "
	            "VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?)");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, r->client_id);
	store_bind_text(s, 2, r->kind);
	store_bind_text(s, 3, r->format);
	store_bind_text(s, 4, r->lang);
	store_bind_text(s, 5, r->recipients);
	store_bind_text(s, 6, r->schedule);
	store_bind_text(s, 7, r->timezone);
	store_bind_text(s, 8, r->holidays_region);
	sqlite3_bind_int(s, 9, r->active);
	store_bind_time(s, 10, r->next_run_at);
	sqlite3_bind_int64(s, 11, r->created_at);
	sqlite3_bind_int64(s, 12, r->created_at);
	int rc = store_step_done(s);
	if (rc < 0)
		return rc;
	r->id = store_last_insert_id(st);
	r->version = 1;
	r->updated_at = r->created_at;
	return 0;
}

int reportdb_sub_update(struct store *st, const struct report_sub *r, int64_t expected, ls_time now)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(
	        st, "UPDATE report_subscriptions SET kind = ?, format = ?, lang = ?, recipients = ?, schedule = ?, "
	            "timezone = ?, holidays_region = ?, active = ?, next_run_at = ?, version = version + 1, "
	            "updated_at = ? WHERE id = ? AND version = ? AND deleted_at IS NULL");
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, r->kind);
	store_bind_text(s, 2, r->format);
	store_bind_text(s, 3, r->lang);
	store_bind_text(s, 4, r->recipients);
	store_bind_text(s, 5, r->schedule);
	store_bind_text(s, 6, r->timezone);
	store_bind_text(s, 7, r->holidays_region);
	sqlite3_bind_int(s, 8, r->active);
	store_bind_time(s, 9, r->next_run_at);
	sqlite3_bind_int64(s, 10, now);
	sqlite3_bind_int64(s, 11, r->id);
	sqlite3_bind_int64(s, 12, expected);
	int rc = store_step_done(s);
	if (rc < 0)
		return rc;
	return store_changes(st) == 1 ? 0 : -LS_ESTALE;
}

int reportdb_sub_delete(struct store *st, int64_t id, ls_time now)
{
	_cleanup_stmt_ sqlite3_stmt *s =
	        store_stmt(st, "UPDATE report_subscriptions SET deleted_at = ?, active = 0, next_run_at = NULL "
	                       "WHERE id = ? AND deleted_at IS NULL");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, id);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	if (store_changes(st) != 1)
		return -ENOENT;
	_cleanup_stmt_ sqlite3_stmt *d =
	        store_stmt(st, "UPDATE report_runs SET state = 'failed', last_error = 'subscription deleted', "
	                       "next_attempt_at = NULL WHERE subscription_id = ? AND state IN ('queued','sending')");
	if (!d)
		return -LS_EDB;
	sqlite3_bind_int64(d, 1, id);
	return store_step_done(d);
}

int reportdb_subs_due(struct store *st, struct arena *a, ls_time now, size_t limit, struct report_sub **ret,
                      size_t *ret_n)
{
	_cleanup_stmt_ sqlite3_stmt *s =
	        store_stmt(st, SUB_SELECT "WHERE r.deleted_at IS NULL AND r.active = 1 AND r.next_run_at <= ? "
	                                  "ORDER BY r.next_run_at, r.id LIMIT ?");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, (int64_t)limit);
	return sub_rows(a, s, ret, ret_n);
}

int reportdb_sub_set_next(struct store *st, int64_t id, ls_time next)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, "UPDATE report_subscriptions SET next_run_at = ? WHERE id = ?");
	if (!s)
		return -LS_EDB;
	store_bind_time(s, 1, next);
	sqlite3_bind_int64(s, 2, id);
	return store_step_done(s);
}

static int min_of(struct store *st, const char *sql, ls_time *ret)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	if (sqlite3_step(s) != SQLITE_ROW)
		return -LS_EDB;
	if (sqlite3_column_type(s, 0) == SQLITE_NULL)
		return -ENOENT;
	*ret = sqlite3_column_int64(s, 0);
	return 0;
}

int reportdb_next_sub_run(struct store *st, ls_time *ret)
{
	return min_of(st, "SELECT min(next_run_at) FROM report_subscriptions WHERE deleted_at IS NULL AND active = 1",
	              ret);
}

/* ---- runs ---- */

#define RUN_SELECT                                                                                                     \
	"SELECT id, subscription_id, client_id, trigger, period, state, report_id, attempts, next_attempt_at, "        \
	"first_attempt_at, last_attempt_at, delivered_at, scheduled_for, created_at, last_error, recipients "          \
	"FROM report_runs "

static void run_row(struct arena *a, sqlite3_stmt *s, struct report_run *r)
{
	*r = (struct report_run){
	        .id = sqlite3_column_int64(s, 0),
	        .subscription_id = sqlite3_column_int64(s, 1),
	        .client_id = sqlite3_column_int64(s, 2),
	        .trigger = store_col_dup(a, s, 3),
	        .period = store_col_dup(a, s, 4),
	        .state = report_run_state_from_string(store_col_text(s, 5)),
	        .report_id = sqlite3_column_int64(s, 6),
	        .attempts = sqlite3_column_int64(s, 7),
	        .next_attempt_at = sqlite3_column_int64(s, 8),
	        .first_attempt_at = sqlite3_column_int64(s, 9),
	        .last_attempt_at = sqlite3_column_int64(s, 10),
	        .delivered_at = sqlite3_column_int64(s, 11),
	        .scheduled_for = sqlite3_column_int64(s, 12),
	        .created_at = sqlite3_column_int64(s, 13),
	        .last_error = store_col_dup(a, s, 14),
	        .recipients = store_col_dup(a, s, 15),
	};
}

static int run_rows(struct arena *a, sqlite3_stmt *s, struct report_run **ret, size_t *ret_n)
{
	struct report_run *v = NULL;
	size_t n = 0, cap = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		run_row(a, s, &ARENA_PUSH(a, v, n, cap));
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int reportdb_run_insert(struct store *st, struct report_run *r)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(
	        st, "INSERT INTO report_runs (subscription_id, client_id, trigger, period, state, next_attempt_at, "
	            "recipients, scheduled_for, created_at) VALUES (?,?,?,?,?,?,?,?,?)");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, r->subscription_id);
	sqlite3_bind_int64(s, 2, r->client_id);
	store_bind_text(s, 3, r->trigger);
	store_bind_text(s, 4, r->period);
	store_bind_text(s, 5, report_run_state_to_string(r->state));
	store_bind_time(s, 6, r->next_attempt_at);
	store_bind_text(s, 7, r->recipients);
	sqlite3_bind_int64(s, 8, r->scheduled_for);
	sqlite3_bind_int64(s, 9, r->created_at);
	int rc = store_step_done(s);
	if (rc < 0)
		return rc;
	r->id = store_last_insert_id(st);
	return 0;
}

int reportdb_run_get(struct store *st, struct arena *a, int64_t id, struct report_run *ret)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, RUN_SELECT "WHERE id = ?");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	run_row(a, s, ret);
	return 0;
}

int reportdb_run_update(struct store *st, const struct report_run *r)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(
	        st, "UPDATE report_runs SET state = ?, report_id = ?, attempts = ?, next_attempt_at = ?, "
	            "first_attempt_at = ?, last_attempt_at = ?, delivered_at = ?, last_error = ?, recipients = ? "
	            "WHERE id = ? AND state IN ('queued', 'sending')"); /* a run failed by deleting its
	                                                                 * subscription stays failed */
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, report_run_state_to_string(r->state));
	store_bind_id(s, 2, r->report_id ? r->report_id : -1);
	sqlite3_bind_int64(s, 3, r->attempts);
	store_bind_time(s, 4, r->next_attempt_at);
	store_bind_time(s, 5, r->first_attempt_at);
	store_bind_time(s, 6, r->last_attempt_at);
	store_bind_time(s, 7, r->delivered_at);
	store_bind_text(s, 8, r->last_error);
	store_bind_text(s, 9, r->recipients);
	sqlite3_bind_int64(s, 10, r->id);
	return store_step_done(s);
}

int reportdb_runs_due(struct store *st, struct arena *a, ls_time now, size_t limit, struct report_run **ret,
                      size_t *ret_n)
{
	_cleanup_stmt_ sqlite3_stmt *s =
	        store_stmt(st, RUN_SELECT "WHERE state IN ('queued','sending') AND next_attempt_at <= ? "
	                                  "ORDER BY next_attempt_at, id LIMIT ?");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, (int64_t)limit);
	return run_rows(a, s, ret, ret_n);
}

int reportdb_next_run_attempt(struct store *st, ls_time *ret)
{
	return min_of(st, "SELECT min(next_attempt_at) FROM report_runs WHERE state IN ('queued','sending')", ret);
}

int reportdb_runs(struct store *st, struct arena *a, int64_t sub_id, int64_t before_id, size_t limit,
                  struct report_run **ret, size_t *ret_n)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(
	        st, RUN_SELECT "WHERE subscription_id = ?1 AND (?2 = 0 OR id < ?2) ORDER BY id DESC LIMIT ?3");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, sub_id);
	sqlite3_bind_int64(s, 2, before_id);
	sqlite3_bind_int64(s, 3, (int64_t)limit);
	return run_rows(a, s, ret, ret_n);
}

/* ---- files ---- */

int reportdb_file_insert(struct store *st, struct report_file *f)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(
	        st, "INSERT INTO report_files (client_id, subscription_id, kind, period, format, lang, content_type, "
	            "filename, size, bytes, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, f->client_id);
	store_bind_id(s, 2, f->subscription_id ? f->subscription_id : -1);
	store_bind_text(s, 3, f->kind);
	store_bind_text(s, 4, f->period);
	store_bind_text(s, 5, f->format);
	store_bind_text(s, 6, f->lang);
	store_bind_text(s, 7, f->content_type);
	store_bind_text(s, 8, f->filename);
	sqlite3_bind_int64(s, 9, (int64_t)f->size);
	sqlite3_bind_blob64(s, 10, f->bytes ? f->bytes : "", f->size, SQLITE_STATIC);
	sqlite3_bind_int64(s, 11, f->created_at);
	int rc = store_step_done(s);
	sqlite3_bind_null(s, 10); /* the cached statement must not keep pointing at the caller's bytes */
	if (rc < 0)
		return rc;
	f->id = store_last_insert_id(st);
	return 0;
}

int reportdb_file_get(struct store *st, struct arena *a, int64_t id, struct report_file *ret)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(
	        st, "SELECT id, client_id, subscription_id, kind, period, format, lang, content_type, filename, size, "
	            "bytes, created_at FROM report_files WHERE id = ?");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	size_t n = (size_t)sqlite3_column_bytes(s, 10);
	void *b = arena_alloc(a, n ? n : 1);
	if (n)
		memcpy(b, sqlite3_column_blob(s, 10), n);
	*ret = (struct report_file){
	        .id = sqlite3_column_int64(s, 0),
	        .client_id = sqlite3_column_int64(s, 1),
	        .subscription_id = sqlite3_column_int64(s, 2),
	        .kind = store_col_dup(a, s, 3),
	        .period = store_col_dup(a, s, 4),
	        .format = store_col_dup(a, s, 5),
	        .lang = store_col_dup(a, s, 6),
	        .content_type = store_col_dup(a, s, 7),
	        .filename = store_col_dup(a, s, 8),
	        .size = n,
	        .bytes = b,
	        .created_at = sqlite3_column_int64(s, 11),
	};
	return 0;
}
