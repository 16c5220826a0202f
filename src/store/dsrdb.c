/* The data-subject request register in SQLite (see dsrdb.h). Room: store. */
#include "store/dsrdb.h"

#include <stdio.h>
#include <string.h>

#define DSR_SELECT                                                                                                     \
	"SELECT r.id, r.client_id, c.code, r.person_id, p.pseudonym, r.kind, r.channel, r.reference, r.received_at, "  \
	"r.due_date, r.due_at, r.extended_date, r.extended_until, r.extension_reason, r.extended_at, r.state, "        \
	"r.completed_at, r.outcome, COALESCE(u.email, 'system'), r.created_at, r.updated_at, r.version "               \
	"FROM dsr_requests r JOIN clients c ON c.id = r.client_id LEFT JOIN persons p ON p.id = r.person_id "          \
	"LEFT JOIN users u ON u.id = r.created_by "

static void request_row(struct arena *a, sqlite3_stmt *s, struct dsr_request *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(s, 0);
	r->client_id = sqlite3_column_int64(s, 1);
	r->client_code = store_col_dup(a, s, 2);
	r->person_id = sqlite3_column_int64(s, 3);
	r->person_pseudonym = store_col_dup(a, s, 4);
	int k = dsr_kind_from_string(store_col_text(s, 5));
	r->kind = k < 0 ? DSR_KIND_ACCESS : (enum dsr_kind)k; /* the schema admits only known names */
	int ch = privacy_channel_from_string(store_col_text(s, 6));
	r->channel = ch < 0 ? PRIVACY_CHANNEL_API : (enum privacy_channel)ch;
	r->reference = store_col_dup(a, s, 7);
	r->received_at = sqlite3_column_int64(s, 8);
	snprintf(r->due_date, sizeof(r->due_date), "%s", store_col_text(s, 9) ? store_col_text(s, 9) : "");
	r->due_at = sqlite3_column_int64(s, 10);
	snprintf(r->extended_date, sizeof(r->extended_date), "%s", store_col_text(s, 11) ? store_col_text(s, 11) : "");
	r->extended_until = sqlite3_column_int64(s, 12);
	r->extension_reason = store_col_dup(a, s, 13);
	r->extended_at = sqlite3_column_int64(s, 14);
	int st = dsr_state_from_string(store_col_text(s, 15));
	r->state = st < 0 ? DSR_STATE_OPEN : (enum dsr_state)st;
	r->completed_at = sqlite3_column_int64(s, 16);
	r->outcome = store_col_dup(a, s, 17);
	r->created_by = store_col_dup(a, s, 18);
	r->created_at = sqlite3_column_int64(s, 19);
	r->updated_at = sqlite3_column_int64(s, 20);
	r->version = sqlite3_column_int64(s, 21);
}

int dsrdb_insert(struct store *st, struct dsr_request *r, int64_t actor_id)
{
	static const char sql[] = "INSERT INTO dsr_requests (client_id, person_id, kind, channel, reference, "
	                          "received_at, due_date, due_at, state, created_by, created_at, updated_at) "
	                          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, r->client_id);
	store_bind_id(s, 2, r->person_id);
	store_bind_text(s, 3, dsr_kind_to_string(r->kind));
	store_bind_text(s, 4, privacy_channel_to_string(r->channel));
	store_bind_text(s, 5, r->reference);
	sqlite3_bind_int64(s, 6, r->received_at);
	store_bind_text(s, 7, r->due_date);
	sqlite3_bind_int64(s, 8, r->due_at);
	store_bind_text(s, 9, dsr_state_to_string(r->state));
	store_bind_id(s, 10, actor_id);
	sqlite3_bind_int64(s, 11, r->created_at);
	sqlite3_bind_int64(s, 12, r->updated_at);
	int rc = store_step_done(s);
	if (rc == 0) {
		r->id = store_last_insert_id(st);
		r->version = 1;
	}
	return rc;
}

int dsrdb_update(struct store *st, struct dsr_request *r, int64_t expected_version)
{
	static const char sql[] = "UPDATE dsr_requests SET person_id = ?, reference = ?, extended_date = ?, "
	                          "extended_until = ?, extension_reason = ?, extended_at = ?, state = ?, "
	                          "completed_at = ?, outcome = ?, updated_at = ?, version = version + 1 "
	                          "WHERE id = ? AND version = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_id(s, 1, r->person_id);
	store_bind_text(s, 2, r->reference);
	store_bind_text(s, 3, r->extended_until ? r->extended_date : NULL);
	store_bind_time(s, 4, r->extended_until);
	store_bind_text(s, 5, r->extended_until ? r->extension_reason : NULL);
	store_bind_time(s, 6, r->extended_until ? r->extended_at : 0);
	store_bind_text(s, 7, dsr_state_to_string(r->state));
	store_bind_time(s, 8, r->completed_at);
	store_bind_text(s, 9, r->outcome);
	sqlite3_bind_int64(s, 10, r->updated_at);
	sqlite3_bind_int64(s, 11, r->id);
	sqlite3_bind_int64(s, 12, expected_version);
	int rc = store_step_done(s);
	if (rc < 0)
		return rc;
	if (store_changes(st) == 0)
		return -LS_ESTALE;
	r->version = expected_version + 1;
	return 0;
}

int dsrdb_event(struct store *st, const struct dsr_request *r, ls_time at, int64_t actor_id, const char *action,
                const char *from, const char *to, const char *note)
{
	static const char sql[] = "INSERT INTO dsr_events (request_id, client_id, at, actor_id, action, from_value, "
	                          "to_value, note) VALUES (?,?,?,?,?,?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int64(s, 2, r->client_id);
	sqlite3_bind_int64(s, 3, at);
	store_bind_id(s, 4, actor_id);
	store_bind_text(s, 5, action);
	store_bind_text(s, 6, from);
	store_bind_text(s, 7, to);
	store_bind_text(s, 8, note);
	return store_step_done(s);
}

static int load_events(struct store *st, struct arena *a, struct dsr_request *r)
{
	static const char sql[] = "SELECT e.id, e.at, COALESCE(u.email, 'system'), e.action, e.from_value, e.to_value, "
	                          "e.note FROM dsr_events e LEFT JOIN users u ON u.id = e.actor_id "
	                          "WHERE e.request_id = ? ORDER BY e.id";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, r->id);
	size_t n = 0, cap = 0;
	struct dsr_event *v = NULL;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct dsr_event *e = &ARENA_PUSH(a, v, n, cap);
		e->id = sqlite3_column_int64(s, 0);
		e->at = sqlite3_column_int64(s, 1);
		e->actor = store_col_dup(a, s, 2);
		e->action = store_col_dup(a, s, 3);
		e->from_value = store_col_dup(a, s, 4);
		e->to_value = store_col_dup(a, s, 5);
		e->note = store_col_dup(a, s, 6);
	}
	if (rc != SQLITE_DONE)
		return -LS_EDB;
	r->events = v;
	r->n_events = n;
	return 0;
}

int dsrdb_get(struct store *st, struct arena *a, int64_t id, struct dsr_request *ret)
{
	static const char sql[] = DSR_SELECT "WHERE r.id = ?";
	struct dsr_request r;
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return -LS_EDB;
		sqlite3_bind_int64(s, 1, id);
		int rc = sqlite3_step(s);
		if (rc == SQLITE_DONE)
			return -ENOENT;
		if (rc != SQLITE_ROW)
			return -LS_EDB;
		request_row(a, s, &r);
	}
	int rc = load_events(st, a, &r);
	if (rc < 0)
		return rc;
	*ret = r;
	return 0;
}

int dsrdb_list(struct store *st, struct arena *a, const struct dsr_filter *f, struct dsr_request **ret, size_t *ret_n)
{
	static const char sql[] =
	        DSR_SELECT "WHERE (COALESCE(r.extended_until, r.due_at), r.id) > (:after_due, :after_id) "
	                   "AND (:clients IS NULL OR r.client_id IN (SELECT value FROM json_each(:clients))) "
	                   "AND (:state IS NULL OR r.state = :state) AND (:kind IS NULL OR r.kind = :kind) "
	                   "AND (:person IS NULL OR r.person_id = :person) "
	                   "AND (:overdue IS NULL OR (r.state IN ('open', 'in_progress') "
	                   "AND COALESCE(r.extended_until, r.due_at) < :overdue)) "
	                   "ORDER BY COALESCE(r.extended_until, r.due_at), r.id LIMIT :limit";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":after_due"), f->after_due);
	sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":after_id"), f->after_id);
	store_bind_text(s, sqlite3_bind_parameter_index(s, ":clients"), f->client_ids_json);
	store_bind_text(s, sqlite3_bind_parameter_index(s, ":state"),
	                f->state >= 0 ? dsr_state_to_string((enum dsr_state)f->state) : NULL);
	store_bind_text(s, sqlite3_bind_parameter_index(s, ":kind"),
	                f->kind >= 0 ? dsr_kind_to_string((enum dsr_kind)f->kind) : NULL);
	store_bind_id(s, sqlite3_bind_parameter_index(s, ":person"), f->person_id);
	store_bind_time(s, sqlite3_bind_parameter_index(s, ":overdue"), f->overdue_at);
	sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":limit"), (sqlite3_int64)f->limit);
	size_t n = 0, cap = 0;
	struct dsr_request *v = NULL;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		request_row(a, s, &ARENA_PUSH(a, v, n, cap));
	if (rc != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}
