/* Retention in SQLite (see retentiondb.h). Room: store.
 * A due selection is one comparison against a cutoff the service computed
 * (model/retention.c), so it uses the indexes. A hold is active at ?2 = now when
 * it is not released, has begun and has not ended; "held" for a ticket means a
 * hold on the ticket or on its requester (a hold on the whole client is checked
 * before anything else and stops a client's run altogether). The audit log loses
 * entries only through retentiondb_audit_delete(): the gate row and the anchor
 * the triggers of migration 0016 demand exist only inside that function. */
#include "store/retentiondb.h"

#include <errno.h>
#include <string.h>

#define ACTIVE(h)                                                                                                      \
	h ".client_id = ?1 AND " h ".released_at IS NULL AND " h ".from_at <= ?2 AND (" h ".until_at IS NULL OR " h    \
	  ".until_at > ?2)"
#define HELD                                                                                                           \
	"EXISTS (SELECT 1 FROM legal_holds h WHERE " ACTIVE(                                                           \
	        "h") " AND (h.ticket_id = t.id OR h.person_id = t.person_id))"

/* Open tickets never fall due, whatever the start event. */
#define DUE_CLOSED  "(t.state = 'closed' AND t.closed_at <= ?3)"
#define DUE_CREATED "(t.state = 'closed' AND t.created_at <= ?3)"
#define DUE_ACTIVE  "(t.state = 'closed' AND t.updated_at <= ?3)"

static int get_doc(struct store *st, struct arena *a, const char *sql, int64_t client_id, struct retention_doc *ret)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	*ret = (struct retention_doc){
	        .json = store_col_dup(a, s, 0),
	        .version = sqlite3_column_int64(s, 1),
	        .at = sqlite3_column_int64(s, 2),
	        .by = store_col_dup(a, s, 3),
	};
	return 0;
}

int retentiondb_rules_get(struct store *st, struct arena *a, int64_t client_id, struct retention_doc *ret)
{
	static const char sql[] = "SELECT rules, version, created_at, created_by FROM retention_rule_sets "
	                          "WHERE client_id = ? ORDER BY version DESC LIMIT 1";
	return get_doc(st, a, sql, client_id, ret);
}

int retentiondb_rules_put(struct store *st, int64_t client_id, int64_t expected, const char *json, ls_time now,
                          const char *by)
{
	static const char cur[] = "SELECT coalesce(max(version), 0) FROM retention_rule_sets WHERE client_id = ?";
	static const char ins[] = "INSERT INTO retention_rule_sets (client_id, version, rules, created_at, created_by) "
	                          "VALUES (?, ?, ?, ?, ?)";
	int64_t v;
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, cur);
		if (!s)
			return -LS_EDB;
		sqlite3_bind_int64(s, 1, client_id);
		if (sqlite3_step(s) != SQLITE_ROW)
			return -LS_EDB;
		v = sqlite3_column_int64(s, 0);
	}
	if (v != expected)
		return -LS_ESTALE;
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, ins);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, v + 1);
	store_bind_text(s, 3, json);
	sqlite3_bind_int64(s, 4, now);
	store_bind_text(s, 5, by);
	return store_step_done(s);
}

int retentiondb_record_get(struct store *st, struct arena *a, int64_t client_id, struct retention_doc *ret)
{
	static const char sql[] = "SELECT record, version, updated_at, updated_by FROM processing_records "
	                          "WHERE client_id = ?";
	return get_doc(st, a, sql, client_id, ret);
}

int retentiondb_record_put(struct store *st, int64_t client_id, int64_t expected, const char *json, ls_time now,
                           const char *by)
{
	static const char ins[] = "INSERT OR IGNORE INTO processing_records (client_id, version, record, updated_at, "
	                          "updated_by) VALUES (?1, 1, ?2, ?3, ?4)";
	static const char upd[] = "UPDATE processing_records SET record = ?2, version = version + 1, updated_at = ?3, "
	                          "updated_by = ?4 WHERE client_id = ?1 AND version = ?5";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, expected ? upd : ins);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	store_bind_text(s, 2, json);
	sqlite3_bind_int64(s, 3, now);
	store_bind_text(s, 4, by);
	if (expected)
		sqlite3_bind_int64(s, 5, expected);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	return store_changes(st) == 1 ? 0 : -LS_ESTALE;
}

/* ---- legal holds ---- */

#define HOLD_COLS                                                                                                      \
	"SELECT h.id, h.client_id, c.code, h.ticket_id, t.number, h.person_id, p.pseudonym, h.reason, h.from_at, "     \
	"h.until_at, h.created_at, h.created_by, h.released_at, h.released_by FROM legal_holds h "                     \
	"JOIN clients c ON c.id = h.client_id LEFT JOIN tickets t ON t.id = h.ticket_id "                              \
	"LEFT JOIN persons p ON p.id = h.person_id "

static void hold_row(struct arena *a, sqlite3_stmt *s, struct legal_hold *h)
{
	*h = (struct legal_hold){
	        .id = sqlite3_column_int64(s, 0),
	        .client_id = sqlite3_column_int64(s, 1),
	        .client_code = store_col_dup(a, s, 2),
	        .ticket_id = sqlite3_column_int64(s, 3),
	        .ticket_number = store_col_dup(a, s, 4),
	        .person_id = sqlite3_column_int64(s, 5),
	        .person_pseudonym = store_col_dup(a, s, 6),
	        .reason = store_col_dup(a, s, 7),
	        .from = sqlite3_column_int64(s, 8),
	        .until = sqlite3_column_int64(s, 9),
	        .created_at = sqlite3_column_int64(s, 10),
	        .created_by = store_col_dup(a, s, 11),
	        .released_at = sqlite3_column_int64(s, 12),
	        .released_by = store_col_dup(a, s, 13),
	};
}

int retentiondb_hold_insert(struct store *st, struct legal_hold *h)
{
	static const char sql[] =
	        "INSERT INTO legal_holds (client_id, ticket_id, person_id, reason, from_at, until_at, "
	        "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, h->client_id);
	store_bind_id(s, 2, h->ticket_id ? h->ticket_id : -1);
	store_bind_id(s, 3, h->person_id ? h->person_id : -1);
	store_bind_text(s, 4, h->reason);
	sqlite3_bind_int64(s, 5, h->from);
	store_bind_id(s, 6, h->until ? h->until : -1);
	sqlite3_bind_int64(s, 7, h->created_at);
	store_bind_text(s, 8, h->created_by);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	h->id = store_last_insert_id(st);
	return 0;
}

int retentiondb_hold_get(struct store *st, struct arena *a, int64_t id, struct legal_hold *ret)
{
	static const char sql[] = HOLD_COLS "WHERE h.id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	hold_row(a, s, ret);
	return 0;
}

int retentiondb_hold_list(struct store *st, struct arena *a, const struct actor *who, int64_t client_id,
                          int64_t before_id, size_t limit, struct legal_hold **ret, size_t *ret_n, bool *ret_more)
{
	static const char sql[] = HOLD_COLS "WHERE h.id < ?1 AND (?2 = 0 OR h.client_id = ?2) ORDER BY h.id DESC";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, before_id > 0 ? before_id : INT64_MAX);
	sqlite3_bind_int64(s, 2, client_id);
	struct legal_hold *v = NULL;
	size_t n = 0, cap = 0;
	int r;
	*ret_more = false;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (!actor_sees_client(who, sqlite3_column_int64(s, 1)))
			continue;
		if (n == limit) {
			*ret_more = true;
			break;
		}
		hold_row(a, s, &ARENA_PUSH(a, v, n, cap));
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int retentiondb_person_by_pseudonym(struct store *st, int64_t client_id, const char *pseudonym, int64_t *ret_id)
{
	static const char sql[] = "SELECT id FROM persons WHERE client_id = ? AND pseudonym = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	store_bind_text(s, 2, pseudonym);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	*ret_id = sqlite3_column_int64(s, 0);
	return 0;
}

int retentiondb_hold_release(struct store *st, int64_t id, ls_time now, const char *by)
{
	static const char sql[] = "UPDATE legal_holds SET released_at = ?2, released_by = ?3 "
	                          "WHERE id = ?1 AND released_at IS NULL";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	store_bind_text(s, 3, by);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	return store_changes(st) == 1 ? 0 : -LS_ECONFLICT;
}

int retentiondb_client_held(struct store *st, int64_t client_id, ls_time now, bool *ret)
{
	static const char sql[] = "SELECT EXISTS (SELECT 1 FROM legal_holds h WHERE " ACTIVE(
	        "h") " AND h.ticket_id IS NULL AND h.person_id IS NULL)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, now);
	if (sqlite3_step(s) != SQLITE_ROW)
		return -LS_EDB;
	*ret = sqlite3_column_int(s, 0) != 0;
	return 0;
}

int retentiondb_narrow_holds(struct store *st, int64_t client_id, ls_time now, int64_t *ret_n)
{
	static const char sql[] = "SELECT count(*) FROM legal_holds h WHERE " ACTIVE(
	        "h") " AND (h.ticket_id IS NOT NULL OR h.person_id IS NOT NULL)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, now);
	if (sqlite3_step(s) != SQLITE_ROW)
		return -LS_EDB;
	*ret_n = sqlite3_column_int64(s, 0);
	return 0;
}

/* ---- due selections ---- */

#define DUE_PERSONS(DUE)                                                                                               \
	"SELECT t.person_id, count(*), sum(CASE WHEN " DUE " THEN 1 ELSE 0 END), sum(CASE WHEN " HELD                  \
	" THEN 1 ELSE 0 END) FROM tickets t JOIN persons p ON p.id = t.person_id WHERE t.client_id = ?1 AND "          \
	"p.erased_at IS NULL GROUP BY t.person_id HAVING sum(CASE WHEN " DUE " THEN 1 ELSE 0 END) > 0 "                \
	"ORDER BY t.person_id"

static const char *const due_persons_sql[] = {DUE_PERSONS(DUE_CLOSED), DUE_PERSONS(DUE_CREATED),
                                              DUE_PERSONS(DUE_ACTIVE)};

int retentiondb_due_persons(struct store *st, struct arena *a, int64_t client_id, enum retention_event ev,
                            ls_time cutoff, ls_time now, struct retention_person **ret, size_t *ret_n)
{
	if ((int)ev < 0 || ev > RETENTION_EVENT_LAST_ACTIVITY)
		return -EINVAL;
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, due_persons_sql[ev]);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, cutoff);
	struct retention_person *v = NULL;
	size_t n = 0, cap = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		ARENA_PUSH(a, v, n, cap) = (struct retention_person){
		        .person_id = sqlite3_column_int64(s, 0),
		        .tickets = sqlite3_column_int64(s, 1),
		        .due = sqlite3_column_int64(s, 2),
		        .held = sqlite3_column_int64(s, 3),
		};
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int retentiondb_held_mentions(struct store *st, int64_t client_id, ls_time now, const char *needle, bool *ret)
{
	static const char sql[] =
	        "SELECT EXISTS (SELECT 1 FROM tickets t WHERE t.client_id = ?1 AND " HELD
	        " AND (instr(lower(t.title || ' ' || t.description), lower(?3)) > 0 "
	        "OR EXISTS (SELECT 1 FROM ticket_messages m WHERE m.client_id = ?1 AND m.ticket_id = t.id AND "
	        "instr(lower(m.body || ' ' || coalesce(m.author_name, '')), lower(?3)) > 0) "
	        "OR EXISTS (SELECT 1 FROM ticket_events e WHERE e.client_id = ?1 AND e.ticket_id = t.id AND "
	        "instr(lower(coalesce(e.old_value, '') || ' ' || coalesce(e.new_value, '')), lower(?3)) > 0)))";
	*ret = false;
	if (!needle || !*needle)
		return 0;
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, now);
	store_bind_text(s, 3, needle);
	if (sqlite3_step(s) != SQLITE_ROW)
		return -LS_EDB;
	*ret = sqlite3_column_int(s, 0) != 0;
	return 0;
}

#define DUE_REPLIES(DUE)                                                                                               \
	"SELECT t.id, " HELD ", (SELECT count(*) FROM ticket_messages m WHERE m.client_id = ?1 AND "                   \
	"m.ticket_id = t.id AND m.body != ?4) FROM tickets t WHERE t.client_id = ?1 AND " DUE " AND EXISTS "           \
	"(SELECT 1 FROM ticket_messages m WHERE m.client_id = ?1 AND m.ticket_id = t.id AND m.body != ?4) "            \
	"ORDER BY t.id"

static const char *const due_replies_sql[] = {DUE_REPLIES(DUE_CLOSED), DUE_REPLIES(DUE_CREATED),
                                              DUE_REPLIES(DUE_ACTIVE)};

int retentiondb_due_replies(struct store *st, struct arena *a, int64_t client_id, enum retention_event ev,
                            ls_time cutoff, ls_time now, const char *marker, size_t limit, int64_t **ret_ids,
                            size_t *ret_n, int64_t *ret_messages, int64_t *ret_held_messages)
{
	if ((int)ev < 0 || ev > RETENTION_EVENT_LAST_ACTIVITY)
		return -EINVAL;
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, due_replies_sql[ev]);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, cutoff);
	store_bind_text(s, 4, marker);
	int64_t *v = NULL, msgs = 0, held = 0;
	size_t n = 0, cap = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t m = sqlite3_column_int64(s, 2);
		if (sqlite3_column_int(s, 1)) {
			held += m;
			continue;
		}
		msgs += m;
		if (n < limit)
			ARENA_PUSH(a, v, n, cap) = sqlite3_column_int64(s, 0);
	}
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret_ids = v;
	*ret_n = n;
	*ret_messages = msgs;
	*ret_held_messages = held;
	return 0;
}

int retentiondb_replace_replies(struct store *st, int64_t ticket_id, const char *marker, int64_t *ret_n)
{
	static const char upd[] = "UPDATE ticket_messages SET body = ?2 WHERE ticket_id = ?1 AND body != ?2";
	static const char fts[] = "UPDATE ticket_fts SET replies = coalesce((SELECT char(10) || group_concat(body, "
	                          "char(10)) FROM (SELECT body FROM ticket_messages WHERE ticket_id = ?1 AND "
	                          "kind = 'reply' ORDER BY id)), '') WHERE rowid = ?1";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, upd);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, ticket_id);
	store_bind_text(s, 2, marker);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	*ret_n = store_changes(st);
	_cleanup_stmt_ sqlite3_stmt *f = store_stmt(st, fts);
	if (!f)
		return -LS_EDB;
	sqlite3_bind_int64(f, 1, ticket_id);
	return store_step_done(f);
}

int retentiondb_call_records(struct store *st, int64_t client_id, ls_time cutoff, bool delete_them, int64_t *ret_n)
{
	static const char cnt[] = "SELECT count(*) FROM acd_intervals WHERE client_id = ? AND start <= ?";
	static const char del[] = "DELETE FROM acd_intervals WHERE client_id = ? AND start <= ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, delete_them ? del : cnt);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, cutoff);
	if (delete_them) {
		int r = store_step_done(s);
		if (r < 0)
			return r;
		*ret_n = store_changes(st);
		return 0;
	}
	if (sqlite3_step(s) != SQLITE_ROW)
		return -LS_EDB;
	*ret_n = sqlite3_column_int64(s, 0);
	return 0;
}

/* ---- the audit log's prefix ---- */

int retentiondb_audit_anchor(struct store *st, int64_t *ret_id, char ret_hash[65])
{
	static const char sql[] = "SELECT last_id, last_hash FROM audit_anchor WHERE one = 1";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	const char *h = store_col_text(s, 1);
	if (r != SQLITE_ROW || !h || strlen(h) != 64)
		return -LS_EDB;
	*ret_id = sqlite3_column_int64(s, 0);
	memcpy(ret_hash, h, 65);
	return 0;
}

int retentiondb_audit_prefix(struct store *st, bool (*due)(ls_time at, int64_t client_id, void *ctx), void *ctx,
                             int64_t *ret_last, int64_t *ret_n)
{
	static const char sql[] = "SELECT id, at, client_id FROM audit_log ORDER BY id";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	int64_t last = 0, n = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (!due(sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2), ctx))
			break;
		last = sqlite3_column_int64(s, 0);
		n++;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return -LS_EDB;
	*ret_last = last;
	*ret_n = n;
	return 0;
}

int retentiondb_audit_delete(struct store *st, int64_t last_id, ls_time now, char ret_hash[65], int64_t *ret_n)
{
	static const char open_gate[] = "INSERT INTO retention_gate (one) VALUES (1)";
	static const char anchor[] = "UPDATE audit_anchor SET last_id = ?1, last_hash = (SELECT hash FROM audit_log "
	                             "WHERE id = ?1), moved_at = ?2 WHERE one = 1";
	static const char del[] = "DELETE FROM audit_log WHERE id <= ?";
	static const char close_gate[] = "DELETE FROM retention_gate";
	int r;
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, open_gate);
		if (!s)
			return -LS_EDB;
		if ((r = store_step_done(s)) < 0)
			return r;
	}
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, anchor);
		if (!s)
			return -LS_EDB;
		sqlite3_bind_int64(s, 1, last_id);
		sqlite3_bind_int64(s, 2, now);
		if ((r = store_step_done(s)) < 0)
			return r;
	}
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, del);
		if (!s)
			return -LS_EDB;
		sqlite3_bind_int64(s, 1, last_id);
		if ((r = store_step_done(s)) < 0)
			return r;
		*ret_n = store_changes(st);
	}
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, close_gate);
		if (!s)
			return -LS_EDB;
		if ((r = store_step_done(s)) < 0)
			return r;
	}
	int64_t id;
	return retentiondb_audit_anchor(st, &id, ret_hash);
}

/* ---- runs ---- */

int retentiondb_run_insert(struct store *st, int64_t client_id, ls_time started, ls_time as_of, bool dry_run,
                           const char *actor, const char *result_json)
{
	static const char sql[] = "INSERT INTO retention_runs (client_id, started_at, as_of, dry_run, actor, result) "
	                          "VALUES (?, ?, ?, ?, ?, ?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_id(s, 1, client_id ? client_id : -1);
	sqlite3_bind_int64(s, 2, started);
	sqlite3_bind_int64(s, 3, as_of);
	sqlite3_bind_int(s, 4, dry_run);
	store_bind_text(s, 5, actor);
	store_bind_text(s, 6, result_json);
	return store_step_done(s);
}

int retentiondb_run_list(struct store *st, struct arena *a, const struct actor *who, int64_t client_id,
                         int64_t before_id, size_t limit, struct retention_run_row **ret, size_t *ret_n, bool *ret_more)
{
	static const char sql[] = "SELECT r.id, r.client_id, c.code, r.started_at, r.as_of, r.dry_run, r.actor, "
	                          "r.result FROM retention_runs r LEFT JOIN clients c ON c.id = r.client_id "
	                          "WHERE r.id < ?1 AND (?2 = 0 OR r.client_id = ?2) ORDER BY r.id DESC";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, before_id > 0 ? before_id : INT64_MAX);
	sqlite3_bind_int64(s, 2, client_id);
	struct retention_run_row *v = NULL;
	size_t n = 0, cap = 0;
	int r;
	*ret_more = false;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(s, 1);
		if (cid ? !actor_sees_client(who, cid) : !who->all_clients)
			continue;
		if (n == limit) {
			*ret_more = true;
			break;
		}
		ARENA_PUSH(a, v, n, cap) = (struct retention_run_row){
		        .id = sqlite3_column_int64(s, 0),
		        .client_id = cid,
		        .client_code = store_col_dup(a, s, 2),
		        .started_at = sqlite3_column_int64(s, 3),
		        .as_of = sqlite3_column_int64(s, 4),
		        .dry_run = sqlite3_column_int(s, 5) != 0,
		        .actor = store_col_dup(a, s, 6),
		        .result = store_col_dup(a, s, 7),
		};
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int retentiondb_last_run(struct store *st, ls_time *ret)
{
	static const char sql[] = "SELECT coalesce(max(started_at), 0) FROM retention_runs "
	                          "WHERE client_id IS NULL AND dry_run = 0";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	if (sqlite3_step(s) != SQLITE_ROW)
		return -LS_EDB;
	*ret = sqlite3_column_int64(s, 0);
	return 0;
}

int retentiondb_any_rules(struct store *st, bool *ret)
{
	static const char sql[] = "SELECT EXISTS (SELECT 1 FROM retention_rule_sets)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	if (sqlite3_step(s) != SQLITE_ROW)
		return -LS_EDB;
	*ret = sqlite3_column_int(s, 0) != 0;
	return 0;
}
