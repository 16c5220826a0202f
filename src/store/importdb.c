/* Imported ticket history in SQLite (see importdb.h). Room: store.
 * Unknown values of a record (0 instants, REC_UNKNOWN counts, NaN scores, NULL
 * strings) are stored as SQL NULL and read back into the same markers. */
#include "store/importdb.h"

#include "core/alloc.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bind_time(sqlite3_stmt *s, int i, ls_time t)
{
	if (t != REC_TIME_NONE)
		sqlite3_bind_int64(s, i, t);
	else
		sqlite3_bind_null(s, i);
}

static void bind_count(sqlite3_stmt *s, int i, int v)
{
	if (v >= 0)
		sqlite3_bind_int(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

static void bind_level(sqlite3_stmt *s, int i, int v)
{
	if (v > 0)
		sqlite3_bind_int(s, i, v);
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

int importdb_run_begin(struct store *st, int64_t client_id, const char *source, const char *file, ls_time now,
                       int64_t *ret_id)
{
	static const char sql[] = "INSERT INTO imports (client_id, source, file, started_at) VALUES (?,?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	store_bind_text(s, 2, source);
	store_bind_text(s, 3, file);
	sqlite3_bind_int64(s, 4, now);
	int r = store_step_done(s);
	if (r == 0)
		*ret_id = store_last_insert_id(st);
	return r;
}

int importdb_run_finish(struct store *st, int64_t id, size_t rows, size_t tickets, size_t events, size_t bad_rows,
                        ls_time now)
{
	static const char sql[] =
	        "UPDATE imports SET rows = ?, tickets = ?, events = ?, bad_rows = ?, finished_at = ? WHERE id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, (int64_t)rows);
	sqlite3_bind_int64(s, 2, (int64_t)tickets);
	sqlite3_bind_int64(s, 3, (int64_t)events);
	sqlite3_bind_int64(s, 4, (int64_t)bad_rows);
	sqlite3_bind_int64(s, 5, now);
	sqlite3_bind_int64(s, 6, id);
	return store_step_done(s);
}

/* Waiting spans as stored: "start-end,start-end" in Unix seconds, the end empty
 * while the ticket still waits; "" no pause; NULL (SQL NULL) not known. */
static char *pauses_encode(const struct rec_ticket *t)
{
	if (t->n_pauses < 0)
		return NULL;
	size_t cap = (size_t)t->n_pauses * 44 + 1, k = 0;
	char *out = xmalloc(cap);
	out[0] = '\0';
	for (int i = 0; i < t->n_pauses; i++) {
		const struct rec_pause *p = &t->pauses[i];
		int w = p->end != REC_TIME_NONE
		                ? snprintf(out + k, cap - k, "%s%" PRId64 "-%" PRId64, i ? "," : "", p->start, p->end)
		                : snprintf(out + k, cap - k, "%s%" PRId64 "-", i ? "," : "", p->start);
		k += (size_t)w;
	}
	return out;
}

static bool read_i64(const char **p, int64_t *ret)
{
	char *end;
	errno = 0;
	long long v = strtoll(*p, &end, 10);
	if (end == *p || errno)
		return false;
	*p = end;
	*ret = v;
	return true;
}

/* The inverse of pauses_encode; a malformed text leaves the pauses unknown. */
static void pauses_decode(struct arena *a, const char *text, struct rec_ticket *t)
{
	t->pauses = NULL;
	t->n_pauses = REC_UNKNOWN;
	if (!text)
		return;
	size_t n = *text ? 1 : 0;
	for (const char *c = text; *c; c++)
		n += *c == ',';
	struct rec_pause *v = n ? arena_alloc(a, n * sizeof(*v)) : NULL;
	const char *p = text;
	for (size_t i = 0; i < n; i++) {
		if (!read_i64(&p, &v[i].start) || *p++ != '-')
			return;
		v[i].end = REC_TIME_NONE;
		if (*p && *p != ',' && !read_i64(&p, &v[i].end))
			return;
		if (*p == ',')
			p++;
	}
	t->pauses = v;
	t->n_pauses = (int)n;
}

/* The waiting spans of a ticket worked in Leitstand from its state changes,
 * "at:state,…" in history order. */
static void pauses_from_states(struct arena *a, const char *text, struct rec_ticket *t)
{
	struct rec_pause_track pt = {0};
	for (const char *p = text ? text : ""; *p;) {
		int64_t at;
		if (!read_i64(&p, &at) || *p++ != ':')
			break;
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool waiting = (len == 16 && strncmp(p, "pending_customer", len) == 0) ||
		               (len == 14 && strncmp(p, "pending_vendor", len) == 0);
		rec_pause_track_state(&pt, at, waiting);
		p += len;
		if (*p == ',')
			p++;
	}
	t->n_pauses = (int)pt.n;
	t->pauses = NULL;
	if (pt.n) {
		struct rec_pause *v = arena_alloc(a, pt.n * sizeof(*v));
		memcpy(v, pt.v, pt.n * sizeof(*v));
		t->pauses = v;
	}
	rec_pause_track_free(&pt);
}

int importdb_ticket_put(struct store *st, int64_t client_id, int64_t import_id, const struct rec_ticket *t,
                        bool *ret_new)
{
	static const char exists[] =
	        "SELECT 1 FROM import_tickets WHERE client_id = ? AND source = ? AND source_id = ?";
	static const char clear[] = "DELETE FROM import_events WHERE client_id = ? AND source = ? AND source_id = ?";
	static const char put[] =
	        "INSERT OR REPLACE INTO import_tickets (client_id, source, source_id, number, type, title, state, "
	        "state_canon, priority, impact, urgency, category, channel, team, agent, opened_at, first_response_at, "
	        "first_resolved_at, resolved_at, closed_at, reopened_at, resolution_due_at, reopen_count, "
	        "reassignment_count, group_escalations, agent_replies, customer_interactions, wait_count, made_sla, "
	        "fcr_flag, effort_minutes, csat, nps, import_id, ci, symptom, pauses) "
	        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	bool is_new;
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, exists);
		if (!s)
			return -LS_EDB;
		sqlite3_bind_int64(s, 1, client_id);
		store_bind_text(s, 2, t->source);
		store_bind_text(s, 3, t->source_id);
		int r = sqlite3_step(s);
		if (r != SQLITE_ROW && r != SQLITE_DONE)
			return -LS_EDB;
		is_new = r == SQLITE_DONE;
	}
	if (!is_new) {
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, clear);
		if (!s)
			return -LS_EDB;
		sqlite3_bind_int64(s, 1, client_id);
		store_bind_text(s, 2, t->source);
		store_bind_text(s, 3, t->source_id);
		int r = store_step_done(s);
		if (r < 0)
			return r;
	}
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, put);
	if (!s)
		return -LS_EDB;
	int i = 1;
	sqlite3_bind_int64(s, i++, client_id);
	store_bind_text(s, i++, t->source);
	store_bind_text(s, i++, t->source_id);
	store_bind_text(s, i++, t->number);
	store_bind_text(s, i++, ticket_type_to_string(t->type) ? ticket_type_to_string(t->type) : "incident");
	store_bind_text(s, i++, t->title);
	store_bind_text(s, i++, t->state);
	store_bind_text(s, i++, (int)t->state_canon >= 0 ? ticket_state_to_string(t->state_canon) : NULL);
	bind_level(s, i++, t->priority);
	bind_level(s, i++, t->impact);
	bind_level(s, i++, t->urgency);
	store_bind_text(s, i++, t->category);
	store_bind_text(s, i++, t->channel);
	store_bind_text(s, i++, t->team);
	store_bind_text(s, i++, t->agent);
	bind_time(s, i++, t->opened_at);
	bind_time(s, i++, t->first_response_at);
	bind_time(s, i++, t->first_resolved_at);
	bind_time(s, i++, t->resolved_at);
	bind_time(s, i++, t->closed_at);
	bind_time(s, i++, t->reopened_at);
	bind_time(s, i++, t->resolution_due_at);
	bind_count(s, i++, t->reopen_count);
	bind_count(s, i++, t->reassignment_count);
	bind_count(s, i++, t->group_escalations);
	bind_count(s, i++, t->agent_replies);
	bind_count(s, i++, t->customer_interactions);
	bind_count(s, i++, t->wait_count);
	bind_count(s, i++, t->made_sla);
	bind_count(s, i++, t->fcr_flag);
	bind_real(s, i++, t->effort_minutes);
	bind_real(s, i++, t->csat);
	bind_real(s, i++, t->nps);
	sqlite3_bind_int64(s, i++, import_id);
	store_bind_text(s, i++, t->ci);
	store_bind_text(s, i++, t->symptom);
	char *pauses = pauses_encode(t);
	if (pauses)
		sqlite3_bind_text(s, i++, pauses, -1, xfree);
	else
		sqlite3_bind_null(s, i++);
	int r = store_step_done(s);
	if (r == 0 && ret_new)
		*ret_new = is_new;
	return r;
}

int importdb_event_add(struct store *st, int64_t client_id, int64_t import_id, const char *source,
                       const struct rec_event *ev)
{
	static const char sql[] = "INSERT INTO import_events (client_id, source, source_id, at, field, old_value, "
	                          "new_value, actor, import_id) VALUES (?,?,?,?,?,?,?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	store_bind_text(s, 2, source);
	store_bind_text(s, 3, ev->ticket);
	sqlite3_bind_int64(s, 4, ev->at);
	store_bind_text(s, 5, ev->field);
	store_bind_text(s, 6, ev->old_value);
	store_bind_text(s, 7, ev->new_value);
	store_bind_text(s, 8, ev->actor);
	sqlite3_bind_int64(s, 9, import_id);
	return store_step_done(s);
}

static const char *col_str(struct arena *a, sqlite3_stmt *s, int i)
{
	const char *t = store_col_text(s, i);
	return t ? arena_strdup(a, t) : NULL;
}

static ls_time col_time(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? REC_TIME_NONE : sqlite3_column_int64(s, i);
}

static int col_count(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? REC_UNKNOWN : sqlite3_column_int(s, i);
}

static double col_real(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}

/* Both queries below give the same 37 columns in this order (the source in column 33,
 * ci and symptom in 34 and 35, the pauses in 36: stored spans of imported tickets,
 * the state changes of tickets worked in Leitstand). */
static void row_to_record(struct arena *a, sqlite3_stmt *s, const char *source, struct rec_ticket *t)
{
	rec_ticket_init(t);
	int i = 0;
	t->source = source;
	t->source_id = col_str(a, s, i++);
	t->number = col_str(a, s, i++);
	t->type = ticket_type_from_string(store_col_text(s, i++));
	if ((int)t->type < 0)
		t->type = TICKET_TYPE_INCIDENT;
	t->title = col_str(a, s, i++);
	t->state = col_str(a, s, i++);
	t->state_canon = ticket_state_from_string(store_col_text(s, i++));
	t->priority = sqlite3_column_int(s, i++);
	t->impact = sqlite3_column_int(s, i++);
	t->urgency = sqlite3_column_int(s, i++);
	t->category = col_str(a, s, i++);
	t->channel = col_str(a, s, i++);
	t->team = col_str(a, s, i++);
	t->agent = col_str(a, s, i++);
	t->opened_at = col_time(s, i++);
	t->first_response_at = col_time(s, i++);
	t->first_resolved_at = col_time(s, i++);
	t->resolved_at = col_time(s, i++);
	t->closed_at = col_time(s, i++);
	t->reopened_at = col_time(s, i++);
	t->resolution_due_at = col_time(s, i++);
	t->reopen_count = col_count(s, i++);
	t->reassignment_count = col_count(s, i++);
	t->group_escalations = col_count(s, i++);
	t->agent_replies = col_count(s, i++);
	t->customer_interactions = col_count(s, i++);
	t->wait_count = col_count(s, i++);
	t->made_sla = col_count(s, i++);
	t->fcr_flag = col_count(s, i++);
	t->effort_minutes = col_real(s, i++);
	t->csat = col_real(s, i++);
	t->nps = col_real(s, i++);
	t->ci = col_str(a, s, 34);
	t->symptom = col_str(a, s, 35);
}

static int collect(struct store *st, struct arena *a, sqlite3_stmt *s, int64_t client_id, bool native,
                   struct rec_ticket **ret, size_t *ret_n)
{
	sqlite3_bind_int64(s, 1, client_id);
	size_t n = 0, cap = 0;
	struct rec_ticket *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		const char *source = native ? "leitstand" : arena_strdup(a, store_col_text(s, 33));
		struct rec_ticket *t = &ARENA_PUSH(a, v, n, cap);
		row_to_record(a, s, source, t);
		if (native)
			pauses_from_states(a, store_col_text(s, 36), t);
		else
			pauses_decode(a, store_col_text(s, 36), t);
	}
	(void)st;
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int importdb_tickets(struct store *st, struct arena *a, int64_t client_id, struct rec_ticket **ret, size_t *ret_n)
{
	static const char sql[] =
	        "SELECT source_id, number, type, title, state, state_canon, priority, impact, urgency, category, "
	        "channel, team, agent, opened_at, first_response_at, first_resolved_at, resolved_at, closed_at, "
	        "reopened_at, resolution_due_at, reopen_count, reassignment_count, group_escalations, agent_replies, "
	        "customer_interactions, wait_count, made_sla, fcr_flag, effort_minutes, csat, nps, NULL, NULL, source, "
	        "ci, symptom, pauses FROM import_tickets WHERE client_id = ? ORDER BY opened_at, source_id";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	return collect(st, a, s, client_id, false, ret, ret_n);
}

int importdb_arrivals(struct store *st, struct arena *a, int64_t client_id, ls_time before, ls_time **ret,
                      size_t *ret_n)
{
	static const char sql[] = "SELECT opened_at FROM import_tickets WHERE client_id = ?1 AND opened_at < ?2 "
	                          "UNION ALL SELECT created_at FROM tickets WHERE client_id = ?1 AND created_at < ?2";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, before);
	ls_time *v = NULL;
	size_t n = 0, cap = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		ARENA_PUSH(a, v, n, cap) = sqlite3_column_int64(s, 0);
	(void)st;
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int importdb_native_tickets(struct store *st, struct arena *a, int64_t client_id, struct rec_ticket **ret,
                            size_t *ret_n)
{
	/* reassignments: assignee changes after the first assignment; replies: public
	 * agent replies; waits: moves into a pending state */
	static const char sql[] =
	        "SELECT t.number, t.number, t.type, t.title, t.state, t.state, t.priority, t.impact, t.urgency, "
	        "t.category, t.channel, tm.code, u.email, t.created_at, t.first_response_at, "
	        "(SELECT min(e.at) FROM ticket_events e WHERE e.client_id = t.client_id AND e.ticket_id = t.id "
	        " AND e.field = 'state' AND e.new_value = 'resolved'), t.resolved_at, t.closed_at, "
	        "(SELECT min(e.at) FROM ticket_events e WHERE e.client_id = t.client_id AND e.ticket_id = t.id "
	        " AND e.field = 'reopened'), NULL, t.reopen_count, "
	        "(SELECT count(*) FROM ticket_events e WHERE e.client_id = t.client_id AND e.ticket_id = t.id "
	        " AND e.field = 'assignee' AND e.old_value IS NOT NULL), "
	        "(SELECT count(*) FROM ticket_events e WHERE e.client_id = t.client_id AND e.ticket_id = t.id "
	        " AND e.field = 'team' AND e.old_value IS NOT NULL), "
	        "(SELECT count(*) FROM ticket_events e WHERE e.client_id = t.client_id AND e.ticket_id = t.id "
	        " AND e.field = 'reply'), "
	        "(SELECT count(*) FROM ticket_events e WHERE e.client_id = t.client_id AND e.ticket_id = t.id "
	        " AND e.field = 'customer_reply'), "
	        "(SELECT count(*) FROM ticket_events e WHERE e.client_id = t.client_id AND e.ticket_id = t.id "
	        " AND e.field = 'state' AND e.new_value IN ('pending_customer', 'pending_vendor')), "
	        "NULL, NULL, "
	        "(SELECT sum(f.minutes) FROM ticket_efforts f WHERE f.client_id = t.client_id AND f.ticket_id = t.id), "
	        "NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
	        "(SELECT group_concat(x, ',') FROM (SELECT e.at || ':' || coalesce(e.new_value, '') AS x "
	        " FROM ticket_events e WHERE e.client_id = t.client_id AND e.ticket_id = t.id AND e.field = 'state' "
	        " ORDER BY e.at, e.id)) "
	        "FROM tickets t LEFT JOIN teams tm ON tm.id = t.team_id LEFT JOIN users u ON u.id = t.assignee_id "
	        "WHERE t.client_id = ? ORDER BY t.id";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	return collect(st, a, s, client_id, true, ret, ret_n);
}

static void row_to_event(struct arena *a, sqlite3_stmt *s, struct rec_event *ev)
{
	*ev = (struct rec_event){
	        .ticket = col_str(a, s, 0),
	        .at = sqlite3_column_int64(s, 1),
	        .field = col_str(a, s, 2),
	        .old_value = col_str(a, s, 3),
	        .new_value = col_str(a, s, 4),
	        .actor = col_str(a, s, 5),
	};
}

int importdb_events(struct store *st, struct arena *a, int64_t client_id, struct rec_event **ret,
                    const char ***ret_sources, size_t *ret_n)
{
	static const char sql[] = "SELECT source_id, at, field, old_value, new_value, actor, source FROM import_events "
	                          "WHERE client_id = ? ORDER BY source, source_id, at, id";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	size_t n = 0, cap = 0, ns = 0, caps = 0;
	struct rec_event *v = NULL;
	const char **src = NULL;
	const char *last = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		row_to_event(a, s, &ARENA_PUSH(a, v, n, cap));
		const char *t = store_col_text(s, 6);
		if (!last || !t || strcmp(last, t) != 0) /* few sources: one copy per run of them */
			last = t ? arena_strdup(a, t) : NULL;
		ARENA_PUSH(a, src, ns, caps) = last;
	}
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_sources = src;
	*ret_n = n;
	return 0;
}

int importdb_native_events(struct store *st, struct arena *a, int64_t client_id, struct rec_event **ret, size_t *ret_n)
{
	static const char sql[] =
	        "SELECT t.number, e.at, e.field, e.old_value, e.new_value, "
	        "CASE WHEN e.actor_kind = 'agent' THEN u.email END "
	        "FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id LEFT JOIN users u ON u.id = e.actor_id "
	        "WHERE e.client_id = ? ORDER BY e.ticket_id, e.id";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	size_t n = 0, cap = 0;
	struct rec_event *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		row_to_event(a, s, &ARENA_PUSH(a, v, n, cap));
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}
