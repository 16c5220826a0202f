/* Consent records in SQLite (see consentdb.h). Room: store.
 * The schema (migration 0014) keeps them honest: a consent row changes once, by
 * its withdrawal; consent_events refuses UPDATE and DELETE. */
#include "store/consentdb.h"

#include <string.h>

#define CONSENT_SELECT                                                                                                 \
	"SELECT c.id, c.client_id, cl.code, c.person_id, p.pseudonym, p.erased_at IS NOT NULL, c.purpose, c.channel, " \
	"c.text_version, c.wording, c.evidence, c.given_at, c.recorded_at, COALESCE(u1.email, 'system'), "             \
	"c.withdrawn_at, c.withdrawn_channel, c.withdrawn_recorded_at, "                                               \
	"CASE WHEN c.withdrawn_at IS NULL THEN NULL ELSE COALESCE(u2.email, 'system') END, c.version "                 \
	"FROM consents c JOIN clients cl ON cl.id = c.client_id JOIN persons p ON p.id = c.person_id "                 \
	"LEFT JOIN users u1 ON u1.id = c.recorded_by LEFT JOIN users u2 ON u2.id = c.withdrawn_by "

static enum privacy_channel channel_col(sqlite3_stmt *s, int i)
{
	enum privacy_channel c = privacy_channel_from_string(store_col_text(s, i));
	return c < 0 ? PRIVACY_CHANNEL_API : c; /* the schema admits only known names */
}

static void consent_row(struct arena *a, sqlite3_stmt *s, struct consent *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(s, 0);
	c->client_id = sqlite3_column_int64(s, 1);
	c->client_code = store_col_dup(a, s, 2);
	c->person_id = sqlite3_column_int64(s, 3);
	c->person_pseudonym = store_col_dup(a, s, 4);
	c->person_erased = sqlite3_column_int(s, 5) != 0;
	c->purpose = store_col_dup(a, s, 6);
	c->channel = channel_col(s, 7);
	c->text_version = store_col_dup(a, s, 8);
	c->wording = store_col_dup(a, s, 9);
	c->evidence = store_col_dup(a, s, 10);
	c->given_at = sqlite3_column_int64(s, 11);
	c->recorded_at = sqlite3_column_int64(s, 12);
	c->recorded_by = store_col_dup(a, s, 13);
	c->withdrawn_at = sqlite3_column_int64(s, 14);
	c->withdrawn_channel =
	        sqlite3_column_type(s, 15) == SQLITE_NULL ? _PRIVACY_CHANNEL_INVALID : channel_col(s, 15);
	c->withdrawn_recorded_at = sqlite3_column_int64(s, 16);
	c->withdrawn_by = store_col_dup(a, s, 17);
	c->version = sqlite3_column_int64(s, 18);
}

static int add_event(struct store *st, int64_t consent_id, int64_t client_id, const char *action, ls_time at,
                     enum privacy_channel channel, ls_time recorded_at, int64_t actor_id)
{
	static const char sql[] =
	        "INSERT INTO consent_events (consent_id, client_id, action, at, channel, recorded_at, "
	        "actor_id) VALUES (?,?,?,?,?,?,?)";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, consent_id);
	sqlite3_bind_int64(s, 2, client_id);
	store_bind_text(s, 3, action);
	sqlite3_bind_int64(s, 4, at);
	store_bind_text(s, 5, privacy_channel_to_string(channel));
	sqlite3_bind_int64(s, 6, recorded_at);
	store_bind_id(s, 7, actor_id > 0 ? actor_id : -1);
	return store_step_done(s);
}

int consentdb_insert(struct store *st, struct consent *c, int64_t actor_id)
{
	static const char sql[] =
	        "INSERT INTO consents (client_id, person_id, purpose, channel, text_version, wording, "
	        "evidence, given_at, recorded_at, recorded_by) VALUES (?,?,?,?,?,?,?,?,?,?)";
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return -LS_EDB;
		sqlite3_bind_int64(s, 1, c->client_id);
		sqlite3_bind_int64(s, 2, c->person_id);
		store_bind_text(s, 3, c->purpose);
		store_bind_text(s, 4, privacy_channel_to_string(c->channel));
		store_bind_text(s, 5, c->text_version);
		store_bind_text(s, 6, c->wording);
		store_bind_text(s, 7, c->evidence);
		sqlite3_bind_int64(s, 8, c->given_at);
		sqlite3_bind_int64(s, 9, c->recorded_at);
		store_bind_id(s, 10, actor_id > 0 ? actor_id : -1);
		int r = store_step_done(s);
		if (r < 0)
			return r;
	}
	c->id = store_last_insert_id(st);
	c->version = 1;
	return add_event(st, c->id, c->client_id, "given", c->given_at, c->channel, c->recorded_at, actor_id);
}

int consentdb_withdraw(struct store *st, int64_t id, ls_time at, enum privacy_channel channel, ls_time recorded_at,
                       int64_t actor_id)
{
	static const char sql[] = "UPDATE consents SET withdrawn_at = ?, withdrawn_channel = ?, "
	                          "withdrawn_recorded_at = ?, withdrawn_by = ?, version = version + 1 "
	                          "WHERE id = ? AND withdrawn_at IS NULL RETURNING client_id";
	int64_t client_id;
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return -LS_EDB;
		sqlite3_bind_int64(s, 1, at);
		store_bind_text(s, 2, privacy_channel_to_string(channel));
		sqlite3_bind_int64(s, 3, recorded_at);
		store_bind_id(s, 4, actor_id > 0 ? actor_id : -1);
		sqlite3_bind_int64(s, 5, id);
		int r = sqlite3_step(s);
		if (r == SQLITE_DONE)
			return -ENOENT;
		if (r != SQLITE_ROW)
			return -LS_EDB;
		client_id = sqlite3_column_int64(s, 0);
		if (sqlite3_step(s) != SQLITE_DONE)
			return -LS_EDB;
	}
	return add_event(st, id, client_id, "withdrawn", at, channel, recorded_at, actor_id);
}

static int load_events(struct store *st, struct arena *a, struct consent *c)
{
	static const char sql[] = "SELECT e.id, e.action, e.at, e.channel, e.recorded_at, COALESCE(u.email, 'system') "
	                          "FROM consent_events e LEFT JOIN users u ON u.id = e.actor_id "
	                          "WHERE e.consent_id = ? ORDER BY e.id";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, c->id);
	size_t n = 0, cap = 0;
	struct consent_event *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct consent_event *e = &ARENA_PUSH(a, v, n, cap);
		e->id = sqlite3_column_int64(s, 0);
		e->consent_id = c->id;
		e->action = store_col_dup(a, s, 1);
		e->at = sqlite3_column_int64(s, 2);
		e->channel = channel_col(s, 3);
		e->recorded_at = sqlite3_column_int64(s, 4);
		e->actor = store_col_dup(a, s, 5);
	}
	if (r != SQLITE_DONE)
		return -LS_EDB;
	c->events = v;
	c->n_events = n;
	return 0;
}

int consentdb_get(struct store *st, struct arena *a, int64_t id, struct consent *ret)
{
	static const char sql[] = CONSENT_SELECT "WHERE c.id = ?";
	struct consent c;
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return -LS_EDB;
		sqlite3_bind_int64(s, 1, id);
		int r = sqlite3_step(s);
		if (r == SQLITE_DONE)
			return -ENOENT;
		if (r != SQLITE_ROW)
			return -LS_EDB;
		consent_row(a, s, &c);
	}
	int r = load_events(st, a, &c);
	if (r < 0)
		return r;
	*ret = c;
	return 0;
}

int consentdb_of_person(struct store *st, struct arena *a, int64_t person_id, struct consent **ret, size_t *ret_n)
{
	static const char sql[] = CONSENT_SELECT "WHERE c.person_id = ? ORDER BY c.id";
	size_t n = 0, cap = 0;
	struct consent *v = NULL;
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return -LS_EDB;
		sqlite3_bind_int64(s, 1, person_id);
		int r;
		while ((r = sqlite3_step(s)) == SQLITE_ROW)
			consent_row(a, s, &ARENA_PUSH(a, v, n, cap));
		if (r != SQLITE_DONE)
			return -LS_EDB;
	}
	for (size_t i = 0; i < n; i++) {
		int r = load_events(st, a, &v[i]);
		if (r < 0)
			return r;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

int consentdb_list(struct store *st, struct arena *a, const struct consent_filter *f, struct consent **ret,
                   size_t *ret_n)
{
	static const char sql[] =
	        CONSENT_SELECT "WHERE c.id > :after "
	                       "AND (:clients IS NULL OR c.client_id IN (SELECT value FROM json_each(:clients))) "
	                       "AND (:purpose IS NULL OR c.purpose = :purpose) "
	                       "AND (:state < 0 OR (:state = 0 AND c.withdrawn_at IS NULL AND p.erased_at IS NULL) "
	                       "OR (:state = 1 AND c.withdrawn_at IS NOT NULL)) "
	                       "ORDER BY c.id LIMIT :limit";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":after"), f->after_id);
	store_bind_text(s, sqlite3_bind_parameter_index(s, ":clients"), f->client_ids_json);
	store_bind_text(s, sqlite3_bind_parameter_index(s, ":purpose"), f->purpose);
	sqlite3_bind_int(s, sqlite3_bind_parameter_index(s, ":state"), f->state);
	sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":limit"), (sqlite3_int64)f->limit);
	size_t n = 0, cap = 0;
	struct consent *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		consent_row(a, s, &ARENA_PUSH(a, v, n, cap));
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}
