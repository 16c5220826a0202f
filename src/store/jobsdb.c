/* The background jobs' tables in SQLite (see jobsdb.h). Room: store. */
#include "store/jobsdb.h"

#include <string.h>

/* ---- settings ---- */

int jobsdb_state_get(struct store *st, struct arena *a, const char *key, const char **ret)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, "SELECT value FROM jobs_state WHERE key = ?");
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, key);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	*ret = store_col_dup(a, s, 0);
	return 0;
}

int jobsdb_state_set(struct store *st, const char *key, const char *value)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, "INSERT INTO jobs_state (key, value) VALUES (?1, ?2) "
	                                                "ON CONFLICT (key) DO UPDATE SET value = ?2");
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, key);
	store_bind_text(s, 2, value);
	return store_step_done(s);
}

int jobsdb_open_tickets(struct store *st, int64_t after, size_t limit, int64_t *ids, size_t *ret_n)
{
	_cleanup_stmt_ sqlite3_stmt *s =
	        store_stmt(st, "SELECT id FROM tickets WHERE id > ? AND state NOT IN ('resolved','closed') "
	                       "ORDER BY id LIMIT ?");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int64(s, 2, (int64_t)limit);
	size_t n = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW && n < limit)
		ids[n++] = sqlite3_column_int64(s, 0);
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		return -LS_EDB;
	*ret_n = n;
	return 0;
}

/* ---- outbox ---- */

int jobsdb_outbox_insert(struct store *st, struct outbox_event *ev, bool *ret_inserted)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(
	        st, "INSERT INTO outbox (client_id, ticket_id, event, fire_key, due_at, payload, created_at) "
	            "VALUES (?,?,?,?,?,?,?) ON CONFLICT (fire_key) DO NOTHING");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, ev->client_id);
	store_bind_id(s, 2, ev->ticket_id);
	store_bind_text(s, 3, ev->event);
	store_bind_text(s, 4, ev->fire_key);
	store_bind_time(s, 5, ev->due_at);
	store_bind_text(s, 6, ev->payload);
	sqlite3_bind_int64(s, 7, ev->created_at);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	*ret_inserted = store_changes(st) == 1;
	if (*ret_inserted)
		ev->id = store_last_insert_id(st);
	return 0;
}

int jobsdb_outbox_fired(struct store *st, const char *fire_key, bool *ret)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, "SELECT 1 FROM outbox WHERE fire_key = ?");
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, fire_key);
	int r = sqlite3_step(s);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return -LS_EDB;
	*ret = r == SQLITE_ROW;
	return 0;
}

int jobsdb_outbox_get(struct store *st, struct arena *a, int64_t id, struct outbox_event *ret)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, "SELECT id, client_id, ticket_id, event, fire_key, due_at, "
	                                                "payload, created_at FROM outbox WHERE id = ?");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	*ret = (struct outbox_event){
	        .id = sqlite3_column_int64(s, 0),
	        .client_id = sqlite3_column_int64(s, 1),
	        .ticket_id = sqlite3_column_int64(s, 2),
	        .event = store_col_dup(a, s, 3),
	        .fire_key = store_col_dup(a, s, 4),
	        .due_at = sqlite3_column_int64(s, 5),
	        .payload = store_col_dup(a, s, 6),
	        .created_at = sqlite3_column_int64(s, 7),
	};
	return 0;
}

/* ---- subscriptions ---- */

#define WEBHOOK_SELECT                                                                                                 \
	"SELECT w.id, w.client_id, c.code, w.url, w.secret, w.events, w.format, w.lang, w.active, w.version, "         \
	"w.created_at, w.updated_at FROM webhooks w JOIN clients c ON c.id = w.client_id "

static void webhook_row(struct arena *a, sqlite3_stmt *s, struct webhook_sub *w)
{
	*w = (struct webhook_sub){
	        .id = sqlite3_column_int64(s, 0),
	        .client_id = sqlite3_column_int64(s, 1),
	        .client_code = store_col_dup(a, s, 2),
	        .url = store_col_dup(a, s, 3),
	        .secret = store_col_dup(a, s, 4),
	        .events = store_col_dup(a, s, 5),
	        .format = store_col_dup(a, s, 6),
	        .lang = store_col_dup(a, s, 7),
	        .active = sqlite3_column_int(s, 8) != 0,
	        .version = sqlite3_column_int64(s, 9),
	        .created_at = sqlite3_column_int64(s, 10),
	        .updated_at = sqlite3_column_int64(s, 11),
	};
}

int jobsdb_webhooks(struct store *st, struct arena *a, int64_t client_id, bool active_only, struct webhook_sub **ret,
                    size_t *ret_n)
{
	_cleanup_stmt_ sqlite3_stmt *s =
	        store_stmt(st, WEBHOOK_SELECT "WHERE w.client_id = ?1 AND w.deleted_at IS NULL "
	                                      "AND (?2 = 0 OR w.active = 1) ORDER BY w.id");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int(s, 2, active_only);
	struct webhook_sub *v = NULL;
	size_t n = 0, cap = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		webhook_row(a, s, &ARENA_PUSH(a, v, n, cap));
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int jobsdb_webhook_get(struct store *st, struct arena *a, int64_t id, struct webhook_sub *ret)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, WEBHOOK_SELECT "WHERE w.id = ? AND w.deleted_at IS NULL");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	webhook_row(a, s, ret);
	return 0;
}

int jobsdb_webhook_insert(struct store *st, struct webhook_sub *w)
{
	_cleanup_stmt_ sqlite3_stmt *s =
	        store_stmt(st, "INSERT INTO webhooks (client_id, url, secret, events, format, lang, active, version, "
	                       "created_at, updated_at) VALUES (?,?,?,?,?,?,?,1,?,?)");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, w->client_id);
	store_bind_text(s, 2, w->url);
	store_bind_text(s, 3, w->secret);
	store_bind_text(s, 4, w->events);
	store_bind_text(s, 5, w->format);
	store_bind_text(s, 6, w->lang);
	sqlite3_bind_int(s, 7, w->active);
	sqlite3_bind_int64(s, 8, w->created_at);
	sqlite3_bind_int64(s, 9, w->created_at);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	w->id = store_last_insert_id(st);
	w->version = 1;
	w->updated_at = w->created_at;
	return 0;
}

int jobsdb_webhook_update(struct store *st, const struct webhook_sub *w, int64_t expected, ls_time now)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(
	        st, "UPDATE webhooks SET url = ?, secret = ?, events = ?, format = ?, lang = ?, active = ?, "
	            "version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND deleted_at IS NULL");
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, w->url);
	store_bind_text(s, 2, w->secret);
	store_bind_text(s, 3, w->events);
	store_bind_text(s, 4, w->format);
	store_bind_text(s, 5, w->lang);
	sqlite3_bind_int(s, 6, w->active);
	sqlite3_bind_int64(s, 7, now);
	sqlite3_bind_int64(s, 8, w->id);
	sqlite3_bind_int64(s, 9, expected);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	return store_changes(st) == 1 ? 0 : -LS_ESTALE;
}

int jobsdb_webhook_delete(struct store *st, int64_t id, ls_time now)
{
	_cleanup_stmt_ sqlite3_stmt *s =
	        store_stmt(st, "UPDATE webhooks SET deleted_at = ?, active = 0 WHERE id = ? AND deleted_at IS NULL");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, id);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	if (store_changes(st) != 1)
		return -ENOENT;
	/* what was still waiting for this subscription is not delivered any more */
	_cleanup_stmt_ sqlite3_stmt *d =
	        store_stmt(st, "UPDATE webhook_deliveries SET state = 'failed', last_error = 'subscription deleted', "
	                       "next_attempt_at = NULL WHERE webhook_id = ? AND state = 'pending'");
	if (!d)
		return -LS_EDB;
	sqlite3_bind_int64(d, 1, id);
	return store_step_done(d);
}

/* ---- deliveries ---- */

int jobsdb_delivery_insert(struct store *st, int64_t client_id, int64_t outbox_id, int64_t webhook_id, ls_time now)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(
	        st,
	        "INSERT INTO webhook_deliveries (client_id, outbox_id, webhook_id, state, next_attempt_at, created_at) "
	        "VALUES (?,?,?,'pending',?,?) ON CONFLICT (outbox_id, webhook_id) DO NOTHING");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, outbox_id);
	sqlite3_bind_int64(s, 3, webhook_id);
	sqlite3_bind_int64(s, 4, now);
	sqlite3_bind_int64(s, 5, now);
	return store_step_done(s);
}

#define DELIVERY_SELECT                                                                                                \
	"SELECT d.id, d.client_id, d.outbox_id, d.webhook_id, d.state, d.attempts, d.next_attempt_at, "                \
	"d.first_attempt_at, d.last_attempt_at, d.delivered_at, d.created_at, d.last_status, d.last_error, "           \
	"d.last_response, o.event, o.payload, w.url, w.secret, w.format, w.lang "                                      \
	"FROM webhook_deliveries d JOIN outbox o ON o.id = d.outbox_id JOIN webhooks w ON w.id = d.webhook_id "

static void delivery_row(struct arena *a, sqlite3_stmt *s, struct webhook_delivery *d)
{
	*d = (struct webhook_delivery){
	        .id = sqlite3_column_int64(s, 0),
	        .client_id = sqlite3_column_int64(s, 1),
	        .outbox_id = sqlite3_column_int64(s, 2),
	        .webhook_id = sqlite3_column_int64(s, 3),
	        .state = delivery_state_from_string(store_col_text(s, 4)),
	        .attempts = sqlite3_column_int64(s, 5),
	        .next_attempt_at = sqlite3_column_int64(s, 6),
	        .first_attempt_at = sqlite3_column_int64(s, 7),
	        .last_attempt_at = sqlite3_column_int64(s, 8),
	        .delivered_at = sqlite3_column_int64(s, 9),
	        .created_at = sqlite3_column_int64(s, 10),
	        .last_status = sqlite3_column_int64(s, 11),
	        .last_error = store_col_dup(a, s, 12),
	        .last_response = store_col_dup(a, s, 13),
	        .event = store_col_dup(a, s, 14),
	        .payload = store_col_dup(a, s, 15),
	        .url = store_col_dup(a, s, 16),
	        .secret = store_col_dup(a, s, 17),
	        .format = store_col_dup(a, s, 18),
	        .lang = store_col_dup(a, s, 19),
	};
}

static int delivery_rows(struct arena *a, sqlite3_stmt *s, struct webhook_delivery **ret, size_t *ret_n)
{
	struct webhook_delivery *v = NULL;
	size_t n = 0, cap = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		delivery_row(a, s, &ARENA_PUSH(a, v, n, cap));
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int jobsdb_deliveries_due(struct store *st, struct arena *a, ls_time now, size_t limit, struct webhook_delivery **ret,
                          size_t *ret_n)
{
	_cleanup_stmt_ sqlite3_stmt *s =
	        store_stmt(st, DELIVERY_SELECT "WHERE d.state = 'pending' AND w.deleted_at IS NULL AND "
	                                       "d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, (int64_t)limit);
	return delivery_rows(a, s, ret, ret_n);
}

int jobsdb_next_delivery(struct store *st, ls_time *ret)
{
	_cleanup_stmt_ sqlite3_stmt *s =
	        store_stmt(st, "SELECT min(next_attempt_at) FROM webhook_deliveries WHERE state = 'pending'");
	if (!s)
		return -LS_EDB;
	if (sqlite3_step(s) != SQLITE_ROW)
		return -LS_EDB;
	if (sqlite3_column_type(s, 0) == SQLITE_NULL)
		return -ENOENT;
	*ret = sqlite3_column_int64(s, 0);
	return 0;
}

int jobsdb_delivery_update(struct store *st, const struct webhook_delivery *d)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(
	        st, "UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ?, first_attempt_at = ?, "
	            "last_attempt_at = ?, delivered_at = ?, last_status = ?, last_error = ?, last_response = ? WHERE "
	            "id = ? AND state = 'pending'"); /* a delivery failed by deleting its webhook stays failed */
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, delivery_state_to_string(d->state));
	sqlite3_bind_int64(s, 2, d->attempts);
	store_bind_time(s, 3, d->next_attempt_at);
	store_bind_time(s, 4, d->first_attempt_at);
	store_bind_time(s, 5, d->last_attempt_at);
	store_bind_time(s, 6, d->delivered_at);
	if (d->last_status)
		sqlite3_bind_int64(s, 7, d->last_status);
	else
		sqlite3_bind_null(s, 7);
	store_bind_text(s, 8, d->last_error);
	store_bind_text(s, 9, d->last_response);
	sqlite3_bind_int64(s, 10, d->id);
	return store_step_done(s);
}

int jobsdb_deliveries(struct store *st, struct arena *a, int64_t webhook_id, int64_t before_id, size_t limit,
                      struct webhook_delivery **ret, size_t *ret_n)
{
	_cleanup_stmt_ sqlite3_stmt *s =
	        store_stmt(st, DELIVERY_SELECT "WHERE d.webhook_id = ?1 AND "
	                                       "(?2 = 0 OR d.id < ?2) ORDER BY d.id DESC LIMIT ?3");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, webhook_id);
	sqlite3_bind_int64(s, 2, before_id);
	sqlite3_bind_int64(s, 3, (int64_t)limit);
	return delivery_rows(a, s, ret, ret_n);
}

/* ---- escalations ---- */

int jobsdb_escalation_insert(struct store *st, struct sla_escalation *e)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(
	        st,
	        "INSERT INTO sla_escalations (client_id, ticket_id, outbox_id, target, target_seq, priority, level, "
	        "action, owner, climbed, due_at, fired_at, ack_within, target_started_at) "
	        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, e->client_id);
	sqlite3_bind_int64(s, 2, e->ticket_id);
	store_bind_id(s, 3, e->outbox_id);
	store_bind_text(s, 4, e->target);
	sqlite3_bind_int64(s, 5, e->target_seq);
	sqlite3_bind_int(s, 6, e->priority);
	sqlite3_bind_int(s, 7, e->level);
	store_bind_text(s, 8, e->action);
	store_bind_text(s, 9, e->owner);
	sqlite3_bind_int(s, 10, e->climbed);
	sqlite3_bind_int64(s, 11, e->due_at);
	sqlite3_bind_int64(s, 12, e->fired_at);
	if (e->ack_within > 0)
		sqlite3_bind_int64(s, 13, e->ack_within);
	else
		sqlite3_bind_null(s, 13);
	sqlite3_bind_int64(s, 14, e->target_started_at);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	e->id = store_last_insert_id(st);
	return 0;
}

#define ESCALATION_SELECT                                                                                              \
	"SELECT e.id, e.client_id, e.ticket_id, t.number, e.outbox_id, e.target, e.target_seq, e.priority, "           \
	"e.level, e.action, e.owner, e.climbed, e.due_at, e.fired_at, e.ack_within, e.acked_at, u.email, e.ack_note, " \
	"e.target_started_at "                                                                                         \
	"FROM sla_escalations e JOIN tickets t ON t.id = e.ticket_id LEFT JOIN users u ON u.id = e.acked_by "

static void escalation_row(struct arena *a, sqlite3_stmt *s, struct sla_escalation *e)
{
	*e = (struct sla_escalation){
	        .id = sqlite3_column_int64(s, 0),
	        .client_id = sqlite3_column_int64(s, 1),
	        .ticket_id = sqlite3_column_int64(s, 2),
	        .ticket_number = store_col_dup(a, s, 3),
	        .outbox_id = sqlite3_column_int64(s, 4),
	        .target = store_col_dup(a, s, 5),
	        .target_seq = sqlite3_column_int64(s, 6),
	        .priority = sqlite3_column_int(s, 7),
	        .level = sqlite3_column_int(s, 8),
	        .action = store_col_dup(a, s, 9),
	        .owner = store_col_dup(a, s, 10),
	        .climbed = sqlite3_column_int(s, 11) != 0,
	        .due_at = sqlite3_column_int64(s, 12),
	        .fired_at = sqlite3_column_int64(s, 13),
	        .ack_within = sqlite3_column_int64(s, 14),
	        .acked_at = sqlite3_column_int64(s, 15),
	        .acked_by = store_col_dup(a, s, 16),
	        .ack_note = store_col_dup(a, s, 17),
	        .target_started_at = sqlite3_column_int64(s, 18),
	};
}

int jobsdb_escalation_get(struct store *st, struct arena *a, int64_t id, struct sla_escalation *ret)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, ESCALATION_SELECT "WHERE e.id = ?");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	escalation_row(a, s, ret);
	return 0;
}

int jobsdb_escalation_set_outbox(struct store *st, int64_t id, int64_t outbox_id)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, "UPDATE sla_escalations SET outbox_id = ? WHERE id = ?");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, outbox_id);
	sqlite3_bind_int64(s, 2, id);
	return store_step_done(s);
}

int jobsdb_escalation_ack(struct store *st, int64_t id, int64_t user_id, ls_time at, const char *note)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, "UPDATE sla_escalations SET acked_at = ?, acked_by = ?, "
	                                                "ack_note = ? WHERE id = ? AND acked_at IS NULL");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, at);
	store_bind_id(s, 2, user_id);
	store_bind_text(s, 3, note);
	sqlite3_bind_int64(s, 4, id);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	return store_changes(st) == 1 ? 0 : -LS_ECONFLICT;
}

int jobsdb_escalations_of_ticket(struct store *st, struct arena *a, int64_t ticket_id, struct sla_escalation **ret,
                                 size_t *ret_n)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, ESCALATION_SELECT "WHERE e.ticket_id = ? ORDER BY e.id");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, ticket_id);
	struct sla_escalation *v = NULL;
	size_t n = 0, cap = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		escalation_row(a, s, &ARENA_PUSH(a, v, n, cap));
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

/* ---- import jobs ---- */

#define IMPORT_JOB_SELECT                                                                                              \
	"SELECT j.id, j.client_id, c.code, j.source, j.options, j.file, j.bytes, j.state, j.result, j.error, "         \
	"j.import_id, u.email, j.created_at, j.started_at, j.finished_at FROM import_jobs j "                          \
	"JOIN clients c ON c.id = j.client_id LEFT JOIN users u ON u.id = j.created_by "

static void import_job_row(struct arena *a, sqlite3_stmt *s, struct import_job *j)
{
	*j = (struct import_job){
	        .id = sqlite3_column_int64(s, 0),
	        .client_id = sqlite3_column_int64(s, 1),
	        .client_code = store_col_dup(a, s, 2),
	        .source = store_col_dup(a, s, 3),
	        .options = store_col_dup(a, s, 4),
	        .file = store_col_dup(a, s, 5),
	        .bytes = sqlite3_column_int64(s, 6),
	        .state = store_col_dup(a, s, 7),
	        .result = store_col_dup(a, s, 8),
	        .error = store_col_dup(a, s, 9),
	        .import_id = sqlite3_column_int64(s, 10),
	        .created_by = store_col_dup(a, s, 11),
	        .created_at = sqlite3_column_int64(s, 12),
	        .started_at = sqlite3_column_int64(s, 13),
	        .finished_at = sqlite3_column_int64(s, 14),
	};
}

int jobsdb_import_job_insert(struct store *st, struct import_job *j, int64_t user_id)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(
	        st, "INSERT INTO import_jobs (client_id, source, options, file, bytes, state, created_by, created_at) "
	            "VALUES (?,?,?,?,?,'queued',?,?)");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, j->client_id);
	store_bind_text(s, 2, j->source);
	store_bind_text(s, 3, j->options);
	store_bind_text(s, 4, j->file);
	sqlite3_bind_int64(s, 5, j->bytes);
	store_bind_id(s, 6, user_id);
	sqlite3_bind_int64(s, 7, j->created_at);
	int r = store_step_done(s);
	if (r < 0)
		return r;
	j->id = store_last_insert_id(st);
	j->state = "queued";
	return 0;
}

int jobsdb_import_job_get(struct store *st, struct arena *a, int64_t id, struct import_job *ret)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, IMPORT_JOB_SELECT "WHERE j.id = ?");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return -LS_EDB;
	import_job_row(a, s, ret);
	return 0;
}

int jobsdb_import_jobs(struct store *st, struct arena *a, int64_t client_id, size_t limit, struct import_job **ret,
                       size_t *ret_n)
{
	_cleanup_stmt_ sqlite3_stmt *s =
	        store_stmt(st, IMPORT_JOB_SELECT "WHERE j.client_id = ? ORDER BY j.id DESC LIMIT ?");
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, (int64_t)limit);
	struct import_job *v = NULL;
	size_t n = 0, cap = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		import_job_row(a, s, &ARENA_PUSH(a, v, n, cap));
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int jobsdb_import_job_claim(struct store *st, struct arena *a, ls_time now, struct import_job *ret)
{
	int64_t id;
	{
		_cleanup_stmt_ sqlite3_stmt *s =
		        store_stmt(st, "SELECT id FROM import_jobs WHERE state = 'queued' ORDER BY id LIMIT 1");
		if (!s)
			return -LS_EDB;
		int r = sqlite3_step(s);
		if (r == SQLITE_DONE)
			return -ENOENT;
		if (r != SQLITE_ROW)
			return -LS_EDB;
		id = sqlite3_column_int64(s, 0);
	}
	_cleanup_stmt_ sqlite3_stmt *u = store_stmt(
	        st, "UPDATE import_jobs SET state = 'running', started_at = ? WHERE id = ? AND state = 'queued'");
	if (!u)
		return -LS_EDB;
	sqlite3_bind_int64(u, 1, now);
	sqlite3_bind_int64(u, 2, id);
	int r = store_step_done(u);
	if (r < 0)
		return r;
	return jobsdb_import_job_get(st, a, id, ret);
}

int jobsdb_import_job_finish(struct store *st, int64_t id, const char *state, const char *result, const char *error,
                             int64_t import_id, ls_time now)
{
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(
	        st,
	        "UPDATE import_jobs SET state = ?, result = ?, error = ?, import_id = ?, finished_at = ? WHERE id = ?");
	if (!s)
		return -LS_EDB;
	store_bind_text(s, 1, state);
	store_bind_text(s, 2, result);
	store_bind_text(s, 3, error);
	store_bind_id(s, 4, import_id);
	sqlite3_bind_int64(s, 5, now);
	sqlite3_bind_int64(s, 6, id);
	return store_step_done(s);
}

int jobsdb_import_jobs_requeue(struct store *st)
{
	_cleanup_stmt_ sqlite3_stmt *s =
	        store_stmt(st, "UPDATE import_jobs SET state = 'queued', started_at = NULL WHERE state = 'running'");
	if (!s)
		return -LS_EDB;
	return store_step_done(s);
}
