/* Tickets and their history in SQLite (see ticketdb.h). Room: store.
 * The full-text index is a plain FTS5 table keyed by ticket id: title and
 * description are replaced on change, public replies are appended. */
#include "store/ticketdb.h"

#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"
#include "store/keyring.h"
#include "store/persondb.h"

int ticketdb_next_seq(struct store *st, enum ticket_type type, int64_t *ret_seq)
{
	static const char sql[] =
	        "UPDATE ticket_sequences SET next_seq = next_seq + 1 WHERE type = ? RETURNING next_seq - 1";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, ticket_type_to_string(type));
	if (sqlite3_step(s) != SQLITE_ROW)
		return -LS_EDB;
	*ret_seq = sqlite3_column_int64(s, 0);
	return 0;
}

int ticketdb_insert(struct store *st, struct ticket *t)
{
	static const char sql[] =
	        "INSERT INTO tickets (client_id, number, type, title, description, impact, urgency, priority, "
	        "state, category, channel, requester_name, requester_email, requester_phone, team_id, "
	        "assignee_id, version, reopen_count, created_at, updated_at, first_response_at, resolved_at, "
	        "closed_at, person_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?,?,?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, t->client_id);
	store_bind_text(s, 2, t->number);
	store_bind_text(s, 3, ticket_type_to_string(t->type));
	store_bind_text(s, 4, t->title);
	store_bind_text(s, 5, t->description ? t->description : "");
	sqlite3_bind_int(s, 6, t->impact);
	sqlite3_bind_int(s, 7, t->urgency);
	sqlite3_bind_int(s, 8, t->priority);
	store_bind_text(s, 9, ticket_state_to_string(t->state));
	store_bind_text(s, 10, t->category);
	store_bind_text(s, 11, ticket_channel_to_string(t->channel));
	/* the requester is the person (persons, sealed); these columns stay empty */
	sqlite3_bind_null(s, 12);
	sqlite3_bind_null(s, 13);
	sqlite3_bind_null(s, 14);
	store_bind_id(s, 15, t->team_id);
	store_bind_id(s, 16, t->assignee_id);
	sqlite3_bind_int(s, 17, t->reopen_count);
	sqlite3_bind_int64(s, 18, t->created_at);
	sqlite3_bind_int64(s, 19, t->updated_at);
	store_bind_time(s, 20, t->first_response_at);
	store_bind_time(s, 21, t->resolved_at);
	store_bind_time(s, 22, t->closed_at);
	store_bind_id(s, 23, t->person_id);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	t->id = store_last_insert_id(st);
	t->version = 1;
	return 0;
}

int ticketdb_update(struct store *st, const struct ticket *t, int64_t expected_version)
{
	static const char sql[] =
	        "UPDATE tickets SET title = ?, description = ?, impact = ?, urgency = ?, priority = ?, state = ?, "
	        "category = ?, channel = ?, requester_name = ?, requester_email = ?, requester_phone = ?, "
	        "team_id = ?, assignee_id = ?, version = version + 1, reopen_count = ?, updated_at = ?, "
	        "first_response_at = ?, resolved_at = ?, closed_at = ?, person_id = ? WHERE id = ? AND version = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, t->title);
	store_bind_text(s, 2, t->description ? t->description : "");
	sqlite3_bind_int(s, 3, t->impact);
	sqlite3_bind_int(s, 4, t->urgency);
	sqlite3_bind_int(s, 5, t->priority);
	store_bind_text(s, 6, ticket_state_to_string(t->state));
	store_bind_text(s, 7, t->category);
	store_bind_text(s, 8, ticket_channel_to_string(t->channel));
	sqlite3_bind_null(s, 9);
	sqlite3_bind_null(s, 10);
	sqlite3_bind_null(s, 11);
	store_bind_id(s, 12, t->team_id);
	store_bind_id(s, 13, t->assignee_id);
	sqlite3_bind_int(s, 14, t->reopen_count);
	sqlite3_bind_int64(s, 15, t->updated_at);
	store_bind_time(s, 16, t->first_response_at);
	store_bind_time(s, 17, t->resolved_at);
	store_bind_time(s, 18, t->closed_at);
	store_bind_id(s, 19, t->person_id);
	sqlite3_bind_int64(s, 20, t->id);
	sqlite3_bind_int64(s, 21, expected_version);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	return store_changes(st) == 1 ? 0 : -LS_ESTALE;
}

#define TICKET_SELECT                                                                                                  \
	"SELECT t.id, t.client_id, c.code, t.number, t.type, t.title, t.description, t.category, t.impact, "           \
	"t.urgency, t.priority, t.state, t.channel, p.name_enc, p.email_enc, p.phone_enc, "                            \
	"t.team_id, tm.code, t.assignee_id, u.email, t.version, t.reopen_count, t.created_at, t.updated_at, "          \
	"t.first_response_at, t.resolved_at, t.closed_at, t.vendor_id, vd.code, t.person_id, p.pseudonym, "            \
	"p.erased_at, t.requester_name, t.requester_email, t.requester_phone FROM tickets t "                          \
	"JOIN clients c ON c.id = t.client_id LEFT JOIN teams tm ON tm.id = t.team_id "                                \
	"LEFT JOIN users u ON u.id = t.assignee_id LEFT JOIN vendors vd ON vd.id = t.vendor_id "                       \
	"LEFT JOIN persons p ON p.id = t.person_id "

static int load_tags(struct store *st, struct arena *a, struct ticket *t)
{
	static const char sql[] = "SELECT tag FROM ticket_tags WHERE ticket_id = ? ORDER BY tag";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, t->id);
	size_t n = 0, cap = 0;
	const char **v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		ARENA_PUSH(a, v, n, cap) = store_col_dup(a, s, 0);
	if (r != SQLITE_DONE)
		return -LS_EDB;
	t->tags = v;
	t->n_tags = n;
	return 0;
}

/* Tags of a whole page in one query: every tag row with a ticket id inside the
 * page's id range, matched to the page's tickets (other tickets in the range,
 * of clients not shown, are skipped). */
static int load_page_tags(struct store *st, struct arena *a, struct ticket *v, size_t n)
{
	static const char sql[] =
	        "SELECT ticket_id, tag FROM ticket_tags WHERE ticket_id BETWEEN ? AND ? ORDER BY ticket_id, tag";
	int64_t lo = v[0].id, hi = v[0].id;
	for (size_t i = 1; i < n; i++) {
		if (v[i].id < lo)
			lo = v[i].id;
		if (v[i].id > hi)
			hi = v[i].id;
	}
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, lo);
	sqlite3_bind_int64(s, 2, hi);
	size_t *caps = arena_zalloc(a, n * sizeof(*caps));
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		for (size_t i = 0; i < n; i++)
			if (v[i].id == id) {
				ARENA_PUSH(a, v[i].tags, v[i].n_tags, caps[i]) = store_col_dup(a, s, 1);
				break;
			}
	}
	return r == SQLITE_DONE ? 0 : -LS_EDB;
}

static void ticket_row(struct store *st, struct arena *a, sqlite3_stmt *s, struct ticket *t)
{
	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(s, 0);
	t->client_id = sqlite3_column_int64(s, 1);
	t->client_code = store_col_dup(a, s, 2);
	snprintf(t->number, sizeof(t->number), "%s", store_col_text(s, 3));
	t->type = ticket_type_from_string(store_col_text(s, 4));
	t->title = store_col_dup(a, s, 5);
	t->description = store_col_dup(a, s, 6);
	t->category = store_col_dup(a, s, 7);
	t->impact = sqlite3_column_int(s, 8);
	t->urgency = sqlite3_column_int(s, 9);
	t->priority = sqlite3_column_int(s, 10);
	t->state = ticket_state_from_string(store_col_text(s, 11));
	t->channel = ticket_channel_from_string(store_col_text(s, 12));
	t->team_id = sqlite3_column_int64(s, 16);
	t->team_code = store_col_dup(a, s, 17);
	t->assignee_id = sqlite3_column_int64(s, 18);
	t->assignee_email = store_col_dup(a, s, 19);
	t->version = sqlite3_column_int64(s, 20);
	t->reopen_count = sqlite3_column_int(s, 21);
	t->created_at = sqlite3_column_int64(s, 22);
	t->updated_at = sqlite3_column_int64(s, 23);
	t->first_response_at = sqlite3_column_int64(s, 24);
	t->resolved_at = sqlite3_column_int64(s, 25);
	t->closed_at = sqlite3_column_int64(s, 26);
	t->vendor_id = sqlite3_column_int64(s, 27);
	t->vendor_code = store_col_dup(a, s, 28);
	t->person_id = sqlite3_column_int64(s, 29);
	if (t->person_id) {
		/* the person's sealed fields; an erased person (or a shredded client) shows
		 * its pseudonym as the name */
		snprintf(t->person_pseudonym, sizeof(t->person_pseudonym), "%s", store_col_text(s, 30));
		if (sqlite3_column_type(s, 31) != SQLITE_NULL ||
		    persondb_open_fields(st, a, t->client_id, s, 13, &t->requester_name, &t->requester_email,
		                         &t->requester_phone) < 0)
			t->requester_name = arena_strdup(a, t->person_pseudonym);
	} else {
		/* written before persons existed and not yet moved (persons_backfill) */
		t->requester_name = store_col_dup(a, s, 32);
		t->requester_email = store_col_dup(a, s, 33);
		t->requester_phone = store_col_dup(a, s, 34);
	}
}

static int get_one(struct store *st, struct arena *a, sqlite3_stmt *s, struct ticket *ret)
{
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	struct ticket t;
	ticket_row(st, a, s, &t);
	store_stmt_done(s);
	r = load_tags(st, a, &t);
	if (r < 0)
		return r;
	*ret = t;
	return 0;
}

int ticketdb_get_by_number(struct store *st, struct arena *a, const char *number, struct ticket *ret)
{
	static const char sql[] = TICKET_SELECT "WHERE t.number = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, number);
	return get_one(st, a, s, ret);
}

int ticketdb_get_by_id(struct store *st, struct arena *a, int64_t id, struct ticket *ret)
{
	static const char sql[] = TICKET_SELECT "WHERE t.id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, id);
	return get_one(st, a, s, ret);
}

int ticketdb_list(struct store *st, struct arena *a, const struct ticket_filter *f, struct ticket **ret, size_t *ret_n)
{
	char sql[2048];
	struct strbuf sb = STRBUF_INIT_MAX(sizeof(sql) - 1);
	strbuf_adds(&sb, TICKET_SELECT "WHERE 1");
	if (f->client_id)
		strbuf_adds(&sb, " AND t.client_id = :client");
	if (f->visible_to_user)
		strbuf_adds(&sb, " AND t.client_id IN (SELECT client_id FROM user_clients WHERE user_id = :user)");
	if (f->vendor_id)
		strbuf_adds(&sb, " AND t.vendor_id = :vendor");
	if (f->state >= 0)
		strbuf_adds(&sb, " AND t.state = :state");
	if (f->type >= 0)
		strbuf_adds(&sb, " AND t.type = :type");
	if (f->priority > 0)
		strbuf_adds(&sb, " AND t.priority = :priority");
	if (f->team_id)
		strbuf_adds(&sb, " AND t.team_id = :team");
	if (f->assignee_id)
		strbuf_adds(&sb, " AND t.assignee_id = :assignee");
	if (f->person_ids)
		strbuf_adds(&sb, " AND t.person_id IN (SELECT value FROM json_each(:persons))");
	if (f->fts_query)
		strbuf_adds(&sb, " AND t.id IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH :q)");
	if (f->has_updated_since) {
		strbuf_adds(&sb, " AND t.updated_at >= :since");
		if (f->has_after)
			strbuf_adds(&sb, " AND (t.updated_at, t.id) > (:after_at, :after_id)");
		strbuf_adds(&sb, " ORDER BY t.updated_at, t.id");
	} else {
		if (f->has_after)
			strbuf_adds(&sb, " AND t.id < :after_id");
		strbuf_adds(&sb, " ORDER BY t.id DESC");
	}
	strbuf_adds(&sb, " LIMIT :limit");
	if (!strbuf_ok(&sb)) {
		strbuf_release(&sb);
		return -LS_ETOOLARGE;
	}
	snprintf(sql, sizeof(sql), "%s", sb.buf);
	strbuf_release(&sb);

	_cleanup_stmt_ sqlite3_stmt *s = store_stmt_dynamic(st, sql);
	if (!s)
		return -LS_EDB;
#define BIND_I64(name, v)                                                                                              \
	do {                                                                                                           \
		int _i = sqlite3_bind_parameter_index(s, name);                                                        \
		if (_i > 0)                                                                                            \
			sqlite3_bind_int64(s, _i, (v));                                                                \
	} while (0)
	BIND_I64(":client", f->client_id);
	BIND_I64(":user", f->visible_to_user);
	BIND_I64(":vendor", f->vendor_id);
	BIND_I64(":priority", f->priority);
	BIND_I64(":team", f->team_id);
	BIND_I64(":assignee", f->assignee_id);
	BIND_I64(":since", f->updated_since);
	BIND_I64(":after_at", f->after_updated_at);
	BIND_I64(":after_id", f->after_id);
	BIND_I64(":limit", f->limit);
#undef BIND_I64
	int i;
	if ((i = sqlite3_bind_parameter_index(s, ":state")) > 0)
		store_bind_text(s, i, ticket_state_to_string((enum ticket_state)f->state));
	if ((i = sqlite3_bind_parameter_index(s, ":type")) > 0)
		store_bind_text(s, i, ticket_type_to_string((enum ticket_type)f->type));
	if ((i = sqlite3_bind_parameter_index(s, ":q")) > 0)
		store_bind_text(s, i, f->fts_query);
	if ((i = sqlite3_bind_parameter_index(s, ":persons")) > 0)
		store_bind_text(s, i, f->person_ids);

	size_t n = 0, cap = 0;
	struct ticket *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		ticket_row(st, a, s, &ARENA_PUSH(a, v, n, cap));
	if (r != SQLITE_DONE)
		return -LS_EDB;
	store_stmt_done(s);
	if (n && (r = load_page_tags(st, a, v, n)) < 0)
		return r;
	*ret = v;
	*ret_n = n;
	return 0;
}

int ticketdb_set_vendor(struct store *st, int64_t ticket_id, int64_t vendor_id)
{
	static const char sql[] = "UPDATE tickets SET vendor_id = ? WHERE id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_id(s, 1, vendor_id);
	sqlite3_bind_int64(s, 2, ticket_id);
	return store_step_done(s);
}

int ticketdb_tags_set(struct store *st, int64_t ticket_id, const char *const *tags, size_t n)
{
	static const char del[] = "DELETE FROM ticket_tags WHERE ticket_id = ?";
	static const char ins[] = "INSERT OR IGNORE INTO ticket_tags (ticket_id, tag) VALUES (?,?)";
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, del);
		if (!s)
			return -LS_EDB;
		sqlite3_bind_int64(s, 1, ticket_id);
		int r = store_step_done(s);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < n; i++) {
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, ins);
		if (!s)
			return -LS_EDB;
		sqlite3_bind_int64(s, 1, ticket_id);
		store_bind_text(s, 2, tags[i]);
		int r = store_step_done(s);
		if (r < 0)
			return r;
	}
	return 0;
}

int ticketdb_event_append(struct store *st, const struct ticket_event *ev)
{
	static const char sql[] = "INSERT INTO ticket_events (client_id, ticket_id, at, actor_kind, actor_id, "
	                          "field, old_value, new_value) VALUES (?,?,?,?,?,?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, ev->client_id);
	sqlite3_bind_int64(s, 2, ev->ticket_id);
	sqlite3_bind_int64(s, 3, ev->at);
	store_bind_text(s, 4, author_kind_to_string(ev->actor_kind));
	store_bind_id(s, 5, ev->actor_id);
	store_bind_text(s, 6, ev->field);
	store_bind_text(s, 7, ev->old_value);
	store_bind_text(s, 8, ev->new_value);
	return store_step_done(s);
}

int ticketdb_events(struct store *st, struct arena *a, int64_t client_id, int64_t ticket_id, struct ticket_event **ret,
                    size_t *ret_n)
{
	static const char sql[] = "SELECT e.id, e.at, e.actor_kind, e.actor_id, u.email, e.field, e.old_value, "
	                          "e.new_value FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id "
	                          "WHERE e.client_id = ? AND e.ticket_id = ? ORDER BY e.id";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, ticket_id);
	size_t n = 0, cap = 0;
	struct ticket_event *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct ticket_event *e = &ARENA_PUSH(a, v, n, cap);
		e->id = sqlite3_column_int64(s, 0);
		e->client_id = client_id;
		e->ticket_id = ticket_id;
		e->at = sqlite3_column_int64(s, 1);
		e->actor_kind = author_kind_from_string(store_col_text(s, 2));
		e->actor_id = sqlite3_column_int64(s, 3);
		e->actor_email = store_col_dup(a, s, 4);
		e->field = store_col_dup(a, s, 5);
		e->old_value = store_col_dup(a, s, 6);
		e->new_value = store_col_dup(a, s, 7);
	}
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

bool ticketdb_client_seals_messages(struct store *st, int64_t client_id)
{
	static const char sql[] = "SELECT seal_messages FROM clients WHERE id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return false;
	sqlite3_bind_int64(s, 1, client_id);
	return sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) != 0;
}

/* Inserts body and author name exactly as given (sealed already, or plain). */
static int message_insert(struct store *st, struct ticket_message *m)
{
	static const char sql[] = "INSERT INTO ticket_messages (client_id, ticket_id, kind, author_kind, "
	                          "author_user_id, author_name, body, created_at) VALUES (?,?,?,?,?,?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, m->client_id);
	sqlite3_bind_int64(s, 2, m->ticket_id);
	store_bind_text(s, 3, message_kind_to_string(m->kind));
	store_bind_text(s, 4, author_kind_to_string(m->author_kind));
	store_bind_id(s, 5, m->author_user_id);
	store_bind_text(s, 6, m->author_name);
	store_bind_text(s, 7, m->body);
	sqlite3_bind_int64(s, 8, m->created_at);
	int r = store_step_done(s);
	if (r == 0)
		m->id = store_last_insert_id(st);
	return r;
}

int ticketdb_message_insert(struct store *st, struct ticket_message *m, bool seal)
{
	if (!seal)
		return message_insert(st, m);
	/* sealed with the client's key; the plain text never reaches the file */
	struct arena a;
	arena_init(&a);
	struct ticket_message sealed = *m;
	int r = keyring_seal_text(st, &a, m->client_id, "message", m->body, &sealed.body, NULL);
	if (r == 0)
		r = keyring_seal_text(st, &a, m->client_id, "author", m->author_name, &sealed.author_name, NULL);
	if (r == 0)
		r = message_insert(st, &sealed);
	m->id = sealed.id;
	arena_release(&a);
	return r;
}

int ticketdb_messages(struct store *st, struct arena *a, int64_t client_id, int64_t ticket_id, bool include_notes,
                      struct ticket_message **ret, size_t *ret_n)
{
	static const char sql[] = "SELECT id, kind, author_kind, author_user_id, author_name, body, created_at "
	                          "FROM ticket_messages WHERE client_id = ? AND ticket_id = ? "
	                          "AND (? OR kind = 'reply') ORDER BY id";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, ticket_id);
	sqlite3_bind_int(s, 3, include_notes ? 1 : 0);
	size_t n = 0, cap = 0;
	struct ticket_message *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct ticket_message *m = &ARENA_PUSH(a, v, n, cap);
		m->id = sqlite3_column_int64(s, 0);
		m->client_id = client_id;
		m->ticket_id = ticket_id;
		m->kind = message_kind_from_string(store_col_text(s, 1));
		m->author_kind = author_kind_from_string(store_col_text(s, 2));
		m->author_user_id = sqlite3_column_int64(s, 3);
		m->author_name = store_col_dup(a, s, 4);
		m->body = store_col_dup(a, s, 5);
		m->created_at = sqlite3_column_int64(s, 6);
		/* sealed messages open with the client's key; a shredded client's show a marker */
		if (keyring_open_text(st, a, client_id, "message", m->body, &m->body, NULL) < 0)
			m->body = "[encrypted: key not available]";
		if (keyring_open_text(st, a, client_id, "author", m->author_name, &m->author_name, NULL) < 0)
			m->author_name = NULL;
	}
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int ticketdb_effort_insert(struct store *st, struct ticket_effort *e)
{
	static const char sql[] = "INSERT INTO ticket_efforts (client_id, ticket_id, user_id, minutes, note, "
	                          "worked_at, created_at) VALUES (?,?,?,?,?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, e->client_id);
	sqlite3_bind_int64(s, 2, e->ticket_id);
	store_bind_id(s, 3, e->user_id);
	sqlite3_bind_int(s, 4, e->minutes);
	store_bind_text(s, 5, e->note ? e->note : "");
	sqlite3_bind_int64(s, 6, e->worked_at);
	sqlite3_bind_int64(s, 7, e->created_at);
	int r = store_step_done(s);
	if (r == 0)
		e->id = store_last_insert_id(st);
	return r;
}

int ticketdb_efforts(struct store *st, struct arena *a, int64_t client_id, int64_t ticket_id,
                     struct ticket_effort **ret, size_t *ret_n)
{
	static const char sql[] = "SELECT e.id, e.user_id, u.email, e.minutes, e.note, e.worked_at, e.created_at "
	                          "FROM ticket_efforts e LEFT JOIN users u ON u.id = e.user_id "
	                          "WHERE e.client_id = ? AND e.ticket_id = ? ORDER BY e.id";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, ticket_id);
	size_t n = 0, cap = 0;
	struct ticket_effort *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct ticket_effort *e = &ARENA_PUSH(a, v, n, cap);
		e->id = sqlite3_column_int64(s, 0);
		e->client_id = client_id;
		e->ticket_id = ticket_id;
		e->user_id = sqlite3_column_int64(s, 1);
		e->user_email = store_col_dup(a, s, 2);
		e->minutes = sqlite3_column_int(s, 3);
		e->note = store_col_dup(a, s, 4);
		e->worked_at = sqlite3_column_int64(s, 5);
		e->created_at = sqlite3_column_int64(s, 6);
	}
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int ticketdb_link_insert(struct store *st, int64_t client_id, int64_t ticket_id, enum link_kind kind, int64_t target_id,
                         ls_time now)
{
	static const char sql[] = "INSERT INTO ticket_links (client_id, ticket_id, kind, target_id, created_at) "
	                          "VALUES (?,?,?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, ticket_id);
	store_bind_text(s, 3, link_kind_to_string(kind));
	sqlite3_bind_int64(s, 4, target_id);
	sqlite3_bind_int64(s, 5, now);
	return store_step_done(s);
}

int ticketdb_links(struct store *st, struct arena *a, int64_t client_id, int64_t ticket_id, struct ticket_link **ret,
                   size_t *ret_n)
{
	static const char sql[] = "SELECT l.kind, 0, o.number, o.title, l.created_at FROM ticket_links l "
	                          "JOIN tickets o ON o.id = l.target_id WHERE l.client_id = ?1 AND l.ticket_id = ?2 "
	                          "UNION ALL SELECT l.kind, 1, o.number, o.title, l.created_at FROM ticket_links l "
	                          "JOIN tickets o ON o.id = l.ticket_id WHERE l.client_id = ?1 AND l.target_id = ?2 "
	                          "ORDER BY 5, 3";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, ticket_id);
	size_t n = 0, cap = 0;
	struct ticket_link *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct ticket_link *l = &ARENA_PUSH(a, v, n, cap);
		l->kind = link_kind_from_string(store_col_text(s, 0));
		l->inverse = sqlite3_column_int(s, 1) != 0;
		snprintf(l->other_number, sizeof(l->other_number), "%s", store_col_text(s, 2));
		l->other_title = store_col_dup(a, s, 3);
		l->created_at = sqlite3_column_int64(s, 4);
	}
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int ticketdb_fts_put(struct store *st, int64_t ticket_id, const char *title, const char *description)
{
	static const char upd[] = "UPDATE ticket_fts SET title = ?, description = ? WHERE rowid = ?";
	static const char ins[] = "INSERT INTO ticket_fts (rowid, title, description, replies) VALUES (?,?,?,'')";
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, upd);
		if (!s)
			return -LS_EDB;
		store_bind_text(s, 1, title);
		store_bind_text(s, 2, description ? description : "");
		sqlite3_bind_int64(s, 3, ticket_id);
		int r = store_step_done(s);
		if (r < 0)
			return r;
		if (store_changes(st) > 0)
			return 0;
	}
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, ins);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, ticket_id);
	store_bind_text(s, 2, title);
	store_bind_text(s, 3, description ? description : "");
	return store_step_done(s);
}

int ticketdb_fts_add_reply(struct store *st, int64_t ticket_id, const char *body)
{
	static const char sql[] = "UPDATE ticket_fts SET replies = replies || char(10) || ? WHERE rowid = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, body);
	sqlite3_bind_int64(s, 2, ticket_id);
	return store_step_done(s);
}

int ticketdb_seal_messages(struct store *st, int64_t client_id, bool on, int64_t *ret_sealed, struct lserr *e)
{
	static const char set[] = "UPDATE clients SET seal_messages = ? WHERE id = ?";
	static const char sel[] = "SELECT id, body, author_name FROM ticket_messages WHERE client_id = ? AND "
	                          "substr(body, 1, 4) != 'ls1:' ORDER BY id";
	static const char upd[] = "UPDATE ticket_messages SET body = ?, author_name = ? WHERE id = ?";
	static const char fts[] = "UPDATE ticket_fts SET replies = '' WHERE rowid IN (SELECT id FROM tickets "
	                          "WHERE client_id = ?) AND replies != ''";
	*ret_sealed = 0;
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, set);
	if (!s)
		return store_error(st, e, "changing the setting");
	sqlite3_bind_int(s, 1, on ? 1 : 0);
	sqlite3_bind_int64(s, 2, client_id);
	if (store_step_done(s) < 0)
		return store_error(st, e, "changing the setting");
	if (!on)
		return 0; /* messages sealed so far stay sealed and readable */
	_cleanup_stmt_ sqlite3_stmt *q = store_stmt(st, sel);
	if (!q)
		return store_error(st, e, "sealing messages");
	sqlite3_bind_int64(q, 1, client_id);
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		struct arena a;
		arena_init(&a);
		const char *body, *author;
		int rr = keyring_seal_text(st, &a, client_id, "message", store_col_text(q, 1), &body, e);
		if (rr == 0)
			rr = keyring_seal_text(st, &a, client_id, "author", (const char *)sqlite3_column_text(q, 2),
			                       &author, e);
		if (rr == 0) {
			_cleanup_stmt_ sqlite3_stmt *u = store_stmt(st, upd);
			if (!u)
				rr = -LS_EDB;
			else {
				store_bind_text(u, 1, body);
				store_bind_text(u, 2, author);
				sqlite3_bind_int64(u, 3, sqlite3_column_int64(q, 0));
				rr = store_step_done(u);
			}
		}
		arena_release(&a);
		if (rr < 0)
			return e && e->rc ? rr : store_error(st, e, "sealing messages");
		(*ret_sealed)++;
	}
	if (r != SQLITE_DONE)
		return store_error(st, e, "sealing messages");
	_cleanup_stmt_ sqlite3_stmt *f = store_stmt(st, fts);
	if (!f)
		return store_error(st, e, "clearing the reply index");
	sqlite3_bind_int64(f, 1, client_id);
	return store_step_done(f) < 0 ? store_error(st, e, "clearing the reply index") : 0;
}
