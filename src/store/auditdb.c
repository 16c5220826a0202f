/* The audit log's tables in SQLite (see auditdb.h). Room: store. */
#include "store/auditdb.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"

int auditdb_head(struct store *st, int64_t *ret_id, char ret_hash[AUDIT_HASH_HEX_LEN + 1])
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, "SELECT last_id, last_hash FROM audit_head WHERE one = 1");
	if (!s)
		return -LS_EDB;
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	const char *h = store_col_text(s, 1);
	*ret_id = sqlite3_column_int64(s, 0);
	snprintf(ret_hash, AUDIT_HASH_HEX_LEN + 1, "%s", h ? h : "");
	return 0;
}

int auditdb_insert(struct store *st, const struct audit_entry *e)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(
	        st, "INSERT INTO audit_log (id, at, actor_id, actor_email, kind, client_id, subject, detail, "
	            "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, e->id);
	sqlite3_bind_int64(s, 2, e->at);
	store_bind_id(s, 3, e->actor_id);
	store_bind_text(s, 4, e->actor_email);
	store_bind_text(s, 5, e->kind);
	store_bind_id(s, 6, e->client_id);
	store_bind_text(s, 7, e->subject ? e->subject : "");
	store_bind_text(s, 8, e->detail);
	store_bind_text(s, 9, e->prev_hash);
	store_bind_text(s, 10, e->hash);
	return store_step_done(s);
}

#define COLUMNS "id, at, actor_id, actor_email, kind, client_id, subject, detail, prev_hash, hash"

/* Fills e from the current row; strings point into the statement. */
static void row(sqlite3_stmt *s, struct audit_entry *e)
{
	*e = (struct audit_entry){
	        .id = sqlite3_column_int64(s, 0),
	        .at = sqlite3_column_int64(s, 1),
	        .actor_id = sqlite3_column_int64(s, 2),
	        .actor_email = store_col_text(s, 3),
	        .kind = store_col_text(s, 4),
	        .client_id = sqlite3_column_int64(s, 5),
	        .subject = store_col_text(s, 6),
	        .detail = store_col_text(s, 7),
	};
	const char *p = store_col_text(s, 8), *h = store_col_text(s, 9);
	snprintf(e->prev_hash, sizeof(e->prev_hash), "%s", p ? p : "");
	snprintf(e->hash, sizeof(e->hash), "%s", h ? h : "");
}

int auditdb_list(struct store *st, struct arena *a, const struct audit_filter *f, struct audit_entry **ret,
                 size_t *ret_n)
{
	struct strbuf sb = STRBUF_INIT_MAX(2048);
	strbuf_adds(&sb, "SELECT " COLUMNS " FROM audit_log WHERE 1");
	if (f->client_id > 0)
		strbuf_adds(&sb, " AND client_id = :client");
	if (f->visible_to_user > 0)
		strbuf_adds(&sb, " AND client_id IN (SELECT client_id FROM user_clients WHERE user_id = :user)");
	if (f->scoped_only)
		strbuf_adds(&sb, " AND client_id IS NOT NULL");
	if (f->actor_email)
		strbuf_adds(&sb, " AND actor_email = :actor COLLATE NOCASE");
	if (f->kind)
		strbuf_adds(&sb, " AND kind = :kind");
	if (f->from)
		strbuf_adds(&sb, " AND at >= :from");
	if (f->to)
		strbuf_adds(&sb, " AND at < :to");
	if (f->before_id > 0)
		strbuf_adds(&sb, " AND id < :before");
	strbuf_adds(&sb, " ORDER BY id DESC LIMIT :limit");
	if (!strbuf_ok(&sb)) {
		strbuf_release(&sb);
		return -LS_ETOOLARGE;
	}
	sqlite3_stmt *s = store_stmt_dynamic(st, sb.buf);
	strbuf_release(&sb);
	if (!s)
		return -LS_EDB;
	int i;
	if ((i = sqlite3_bind_parameter_index(s, ":client")) > 0)
		sqlite3_bind_int64(s, i, f->client_id);
	if ((i = sqlite3_bind_parameter_index(s, ":user")) > 0)
		sqlite3_bind_int64(s, i, f->visible_to_user);
	if ((i = sqlite3_bind_parameter_index(s, ":actor")) > 0)
		store_bind_text(s, i, f->actor_email);
	if ((i = sqlite3_bind_parameter_index(s, ":kind")) > 0)
		store_bind_text(s, i, f->kind);
	if ((i = sqlite3_bind_parameter_index(s, ":from")) > 0)
		sqlite3_bind_int64(s, i, f->from);
	if ((i = sqlite3_bind_parameter_index(s, ":to")) > 0)
		sqlite3_bind_int64(s, i, f->to);
	if ((i = sqlite3_bind_parameter_index(s, ":before")) > 0)
		sqlite3_bind_int64(s, i, f->before_id);
	sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":limit"), f->limit);
	struct audit_entry *v = arena_alloc(a, (f->limit ? f->limit : 1) * sizeof(*v));
	size_t n = 0;
	int r = SQLITE_DONE;
	while (n < f->limit && (r = sqlite3_step(s)) == SQLITE_ROW) {
		row(s, &v[n]);
		v[n].actor_email = arena_strdup(a, v[n].actor_email ? v[n].actor_email : "");
		v[n].kind = arena_strdup(a, v[n].kind ? v[n].kind : "");
		v[n].subject = arena_strdup(a, v[n].subject ? v[n].subject : "");
		v[n].detail = arena_strdup(a, v[n].detail ? v[n].detail : "{}");
		n++;
	}
	if (n < f->limit && r != SQLITE_DONE) {
		store_stmt_done(s);
		return -LS_EDB;
	}
	store_stmt_done(s);
	*ret = v;
	*ret_n = n;
	return 0;
}

int auditdb_each(struct store *st, int (*fn)(const struct audit_entry *e, void *ctx), void *ctx)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, "SELECT " COLUMNS " FROM audit_log ORDER BY id");
	if (!s)
		return -LS_EDB;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct audit_entry e;
		row(s, &e);
		int k = fn(&e, ctx);
		if (k)
			return k;
	}
	return r == SQLITE_DONE ? 0 : -LS_EDB;
}

int auditdb_count(struct store *st, int64_t *ret)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, "SELECT count(*) FROM audit_log");
	if (!s || sqlite3_step(s) != SQLITE_ROW)
		return -LS_EDB;
	*ret = sqlite3_column_int64(s, 0);
	return 0;
}
