/* Business calendars in SQLite (see calendardb.h). Room: store.
 * The lists of extra closed and open days are stored as JSON arrays of strings,
 * written with strbuf's JSON escaping and read back with SQLite's json_each, so
 * this module needs no JSON library. */
#include "store/calendardb.h"

#include <string.h>

#include "core/limits.h"
#include "core/strbuf.h"

static char *json_list(const char *const *v, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addch(&sb, '[');
	for (size_t i = 0; i < n; i++) {
		strbuf_adds(&sb, i ? ",\"" : "\"");
		strbuf_add_json_escaped(&sb, v[i]);
		strbuf_addch(&sb, '"');
	}
	strbuf_addch(&sb, ']');
	return strbuf_detach(&sb, NULL);
}

static int parse_list(struct store *st, struct arena *a, const char *json, const char ***ret, size_t *ret_n)
{
	static const char sql[] = "SELECT value FROM json_each(?) ORDER BY key";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, json ? json : "[]");
	size_t n = 0, cap = 0;
	const char **v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		ARENA_PUSH(a, v, n, cap) = store_col_dup(a, s, 0);
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

static int insert_version(struct store *st, const struct calendar_def *d, int64_t user_id, ls_time now)
{
	static const char sql[] =
	        "INSERT INTO calendar_versions (client_id, calendar_id, version, name, timezone, hours, holidays, "
	        "closed_days, open_days, holidays_version, created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	_cleanup_free_ char *closed = json_list(d->closed, d->n_closed);
	_cleanup_free_ char *open = json_list(d->open, d->n_open);
	sqlite3_bind_int64(s, 1, d->client_id);
	sqlite3_bind_int64(s, 2, d->id);
	sqlite3_bind_int64(s, 3, d->version);
	store_bind_text(s, 4, d->name);
	store_bind_text(s, 5, d->timezone);
	store_bind_text(s, 6, d->hours);
	store_bind_text(s, 7, d->holidays);
	store_bind_text(s, 8, closed);
	store_bind_text(s, 9, open);
	store_bind_text(s, 10, d->holidays_version);
	sqlite3_bind_int64(s, 11, now);
	store_bind_id(s, 12, user_id);
	return store_step_done(s);
}

int calendardb_insert(struct store *st, struct calendar_def *d, int64_t user_id)
{
	static const char sql[] = "INSERT INTO calendars (client_id, code, name, version, created_at, updated_at) "
	                          "VALUES (?,?,?,1,?,?)";
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return -LS_EDB;
		sqlite3_bind_int64(s, 1, d->client_id);
		store_bind_text(s, 2, d->code);
		store_bind_text(s, 3, d->name);
		sqlite3_bind_int64(s, 4, d->created_at);
		sqlite3_bind_int64(s, 5, d->created_at);
		int r = store_step_done(s);
		if (r < 0)
			return r;
	}
	d->id = store_last_insert_id(st);
	d->version = d->current_version = 1;
	d->version_created_at = d->created_at;
	return insert_version(st, d, user_id, d->created_at);
}

int calendardb_add_version(struct store *st, struct calendar_def *d, int64_t expected, int64_t user_id, ls_time now)
{
	static const char sql[] = "UPDATE calendars SET version = version + 1, name = ?, updated_at = ? "
	                          "WHERE id = ? AND client_id = ? AND version = ?";
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return -LS_EDB;
		store_bind_text(s, 1, d->name);
		sqlite3_bind_int64(s, 2, now);
		sqlite3_bind_int64(s, 3, d->id);
		sqlite3_bind_int64(s, 4, d->client_id);
		sqlite3_bind_int64(s, 5, expected);
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
	"SELECT c.id, c.client_id, cl.code, c.code, v.name, v.version, c.version, v.timezone, v.hours, v.holidays, "   \
	"v.closed_days, v.open_days, v.holidays_version, c.created_at, v.created_at, u.email "                         \
	"FROM calendars c JOIN clients cl ON cl.id = c.client_id "                                                     \
	"JOIN calendar_versions v ON v.client_id = c.client_id AND v.calendar_id = c.id "                              \
	"LEFT JOIN users u ON u.id = v.created_by "

static int def_row(struct store *st, struct arena *a, sqlite3_stmt *s, struct calendar_def *d)
{
	memset(d, 0, sizeof(*d));
	d->id = sqlite3_column_int64(s, 0);
	d->client_id = sqlite3_column_int64(s, 1);
	d->client_code = store_col_dup(a, s, 2);
	d->code = store_col_dup(a, s, 3);
	d->name = store_col_dup(a, s, 4);
	d->version = sqlite3_column_int64(s, 5);
	d->current_version = sqlite3_column_int64(s, 6);
	d->timezone = store_col_dup(a, s, 7);
	d->hours = store_col_dup(a, s, 8);
	d->holidays = store_col_dup(a, s, 9);
	const char *closed = store_col_dup(a, s, 10), *open = store_col_dup(a, s, 11);
	d->holidays_version = store_col_dup(a, s, 12);
	d->created_at = sqlite3_column_int64(s, 13);
	d->version_created_at = sqlite3_column_int64(s, 14);
	d->version_created_by = store_col_dup(a, s, 15);
	int r = parse_list(st, a, closed, &d->closed, &d->n_closed);
	if (r == 0)
		r = parse_list(st, a, open, &d->open, &d->n_open);
	return r;
}

/* Reads all rows of s into a vector. The day lists are parsed by another statement
 * while s is still stepping, which SQLite allows on one connection. */
static int collect(struct store *st, struct arena *a, sqlite3_stmt *s, struct calendar_def **ret, size_t *ret_n)
{
	size_t n = 0, cap = 0;
	struct calendar_def *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		if (def_row(st, a, s, &ARENA_PUSH(a, v, n, cap)) < 0)
			return -LS_EDB;
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int calendardb_get(struct store *st, struct arena *a, int64_t client_id, const char *code, int64_t version,
                   struct calendar_def *ret)
{
	static const char sql[] = DEF_SELECT "WHERE c.client_id = ?1 AND c.code = ?2 "
	                                     "AND v.version = CASE WHEN ?3 > 0 THEN ?3 ELSE c.version END";
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
	struct calendar_def d;
	r = def_row(st, a, s, &d);
	if (r < 0)
		return r;
	*ret = d;
	return 0;
}

int calendardb_list(struct store *st, struct arena *a, int64_t client_id, int64_t visible_to_user,
                    struct calendar_def **ret, size_t *ret_n)
{
	static const char sql[] =
	        DEF_SELECT "WHERE v.version = c.version AND (?1 = 0 OR c.client_id = ?1) AND (?2 = 0 OR c.client_id IN "
	                   "(SELECT client_id FROM user_clients WHERE user_id = ?2)) ORDER BY cl.code, c.code";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, visible_to_user);
	return collect(st, a, s, ret, ret_n);
}

int calendardb_versions(struct store *st, struct arena *a, int64_t client_id, const char *code,
                        struct calendar_def **ret, size_t *ret_n)
{
	static const char sql[] = DEF_SELECT "WHERE c.client_id = ? AND c.code = ? ORDER BY v.version";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	store_bind_text(s, 2, code);
	return collect(st, a, s, ret, ret_n);
}
