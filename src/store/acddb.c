/* Imported ACD intervals in SQLite (see acddb.h). Room: store.
 * Unknown values of a record (REC_UNKNOWN counts, NaN seconds) are stored as SQL NULL
 * and read back into the same markers. One upsert per interval keeps a re-import
 * idempotent without a lookup first. */
#include "store/acddb.h"

#include <math.h>
#include <string.h>

static void bind_count(sqlite3_stmt *s, int i, int64_t v)
{
	if (v >= 0)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

static void bind_real(sqlite3_stmt *s, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_double(s, i, v);
}

int acddb_interval_put(struct store *st, int64_t client_id, int64_t import_id, const struct rec_interval *iv)
{
	static const char sql[] =
	        "INSERT INTO acd_intervals (client_id, queue, start, length, offered, answered, abandoned, "
	        "answered_within, abandoned_within, abandoned_short, threshold, talk_seconds, hold_seconds, "
	        "wrap_up_seconds, handle_seconds, wait_seconds, import_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
	        "ON CONFLICT (client_id, queue, start) DO UPDATE SET length = excluded.length, "
	        "offered = excluded.offered, answered = excluded.answered, abandoned = excluded.abandoned, "
	        "answered_within = excluded.answered_within, abandoned_within = excluded.abandoned_within, "
	        "abandoned_short = excluded.abandoned_short, threshold = excluded.threshold, "
	        "talk_seconds = excluded.talk_seconds, hold_seconds = excluded.hold_seconds, "
	        "wrap_up_seconds = excluded.wrap_up_seconds, handle_seconds = excluded.handle_seconds, "
	        "wait_seconds = excluded.wait_seconds, import_id = excluded.import_id";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	int i = 1;
	sqlite3_bind_int64(s, i++, client_id);
	store_bind_text(s, i++, iv->queue);
	sqlite3_bind_int64(s, i++, iv->start);
	sqlite3_bind_int(s, i++, iv->length);
	sqlite3_bind_int64(s, i++, iv->offered);
	sqlite3_bind_int64(s, i++, iv->answered);
	sqlite3_bind_int64(s, i++, iv->abandoned);
	bind_count(s, i++, iv->answered_within);
	bind_count(s, i++, iv->abandoned_within);
	bind_count(s, i++, iv->abandoned_short);
	bind_count(s, i++, iv->threshold);
	bind_real(s, i++, iv->talk);
	bind_real(s, i++, iv->hold);
	bind_real(s, i++, iv->wrap_up);
	bind_real(s, i++, iv->handle);
	bind_real(s, i++, iv->wait);
	sqlite3_bind_int64(s, i++, import_id);
	return store_step_done(s);
}

int acddb_count(struct store *st, int64_t client_id, size_t *ret_n)
{
	static const char sql[] = "SELECT count(*) FROM acd_intervals WHERE client_id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	if (sqlite3_step(s) != SQLITE_ROW)
		return -LS_EDB;
	*ret_n = (size_t)sqlite3_column_int64(s, 0);
	return 0;
}

int acddb_run_intervals(struct store *st, int64_t import_id, size_t intervals)
{
	static const char sql[] = "UPDATE imports SET intervals = ? WHERE id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, (int64_t)intervals);
	sqlite3_bind_int64(s, 2, import_id);
	return store_step_done(s);
}

static int64_t col_count(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? REC_UNKNOWN : sqlite3_column_int64(s, i);
}

static double col_real(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}

int acddb_intervals(struct store *st, struct arena *a, int64_t client_id, ls_time from, ls_time to,
                    struct rec_interval **ret, size_t *ret_n)
{
	/* counted first so the array is allocated once at its size (a client may hold
	 * millions of intervals) */
	static const char count_sql[] = "SELECT count(*) FROM acd_intervals WHERE client_id = ?1 AND "
	                                "(?2 = ?3 OR (start >= ?2 AND start < ?3))";
	static const char sql[] =
	        "SELECT queue, start, length, offered, answered, abandoned, answered_within, abandoned_within, "
	        "abandoned_short, threshold, talk_seconds, hold_seconds, wrap_up_seconds, handle_seconds, wait_seconds "
	        "FROM acd_intervals WHERE client_id = ?1 AND (?2 = ?3 OR (start >= ?2 AND start < ?3)) "
	        "ORDER BY queue, start";
	size_t cap;
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, count_sql);
		if (!s)
			return -LS_EDB;
		sqlite3_bind_int64(s, 1, client_id);
		sqlite3_bind_int64(s, 2, from);
		sqlite3_bind_int64(s, 3, to);
		if (sqlite3_step(s) != SQLITE_ROW)
			return -LS_EDB;
		cap = (size_t)sqlite3_column_int64(s, 0);
	}
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	struct rec_interval *v = arena_alloc(a, (cap ? cap : 1) * sizeof(*v));
	size_t n = 0;
	const char *prev = NULL; /* rows come by queue: one copy of each name */
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW && n < cap) {
		struct rec_interval *iv = &v[n++];
		rec_interval_init(iv);
		const char *q = store_col_text(s, 0);
		if (!q)
			q = "";
		if (!prev || strcmp(prev, q) != 0)
			prev = arena_strdup(a, q);
		iv->queue = prev;
		iv->start = sqlite3_column_int64(s, 1);
		iv->length = sqlite3_column_int(s, 2);
		iv->offered = sqlite3_column_int64(s, 3);
		iv->answered = sqlite3_column_int64(s, 4);
		iv->abandoned = sqlite3_column_int64(s, 5);
		iv->answered_within = col_count(s, 6);
		iv->abandoned_within = col_count(s, 7);
		iv->abandoned_short = col_count(s, 8);
		iv->threshold = (int32_t)col_count(s, 9);
		iv->talk = col_real(s, 10);
		iv->hold = col_real(s, 11);
		iv->wrap_up = col_real(s, 12);
		iv->handle = col_real(s, 13);
		iv->wait = col_real(s, 14);
	}
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int acddb_offered(struct store *st, struct arena *a, int64_t client_id, ls_time before, struct acddb_offered **ret,
                  size_t *ret_n)
{
	static const char sql[] = "SELECT start, length, sum(offered) FROM acd_intervals "
	                          "WHERE client_id = ?1 AND start < ?2 GROUP BY start, length ORDER BY start, length";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, before);
	struct acddb_offered *v = NULL;
	size_t n = 0, cap = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		ARENA_PUSH(a, v, n, cap) = (struct acddb_offered){
		        .start = sqlite3_column_int64(s, 0),
		        .length = sqlite3_column_int(s, 1),
		        .offered = sqlite3_column_int64(s, 2),
		};
	(void)st;
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}
