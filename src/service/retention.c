/* Retention rules, legal holds and runs (see retention.h). Room: service.
 *
 * A run works client by client and kind by kind, each change in a transaction of
 * its own (an erasure is persons_erase()'s transaction), so a failure midway
 * leaves whatever was finished done and consistent. Holds are read at the run's
 * instant; a hold on the whole client stops every kind of that client, a hold on a
 * ticket or person keeps that ticket's replies and the person's requester data,
 * and a person whose email a held ticket mentions is not erased either (erasure
 * rewrites the email client-wide). The audit log is one chain for the whole
 * installation, so only a run over every client deletes from it, and only its
 * oldest entries up to the first one not yet due (docs/design/0011-retention.md). */
#include "service/retention.h"
#include "service/directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "service/audit.h"
#include "service/persons.h"
#include "store/dirdb.h"
#include "store/ticketdb.h"

static const char *who(const struct svc *s)
{
	return s->actor && s->actor->email ? s->actor->email : "system";
}

static json_t *jtime(ls_time t)
{
	char buf[32];
	return t ? json_string(time_format_rfc3339(t, buf, sizeof(buf))) : json_null();
}

static json_t *jstr_or_null(const char *v)
{
	return v ? json_string(v) : json_null();
}

static int db_fail(struct svc *s, const char *what)
{
	int r = store_error(s->st, s->err, what);
	store_rollback(s->st);
	return r;
}

/* ---- strict JSON ---- */

static int only_fields(json_t *o, const char *const *allowed, const char *prefix, struct lserr *e)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
	{
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, k) == 0;
		if (!ok)
			return lserr_set(e, -EINVAL, "unknown_field", NULL, "unknown field '%s%.60s'", prefix, k);
	}
	return 0;
}

/* A string field: NULL when absent or null and not required. */
static int str_field(json_t *o, const char *name, bool required, size_t max, const char *prefix, const char **ret,
                     struct lserr *e)
{
	char field[64];
	snprintf(field, sizeof(field), "%s%s", prefix, name);
	json_t *v = json_object_get(o, name);
	*ret = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return lserr_set(e, -EINVAL, "missing_field", field, "%s is required", field);
		return 0;
	}
	if (!json_is_string(v))
		return lserr_set(e, -EINVAL, "invalid_field", field, "%s must be a string", field);
	const char *t = json_string_value(v);
	if (json_string_length(v) != strlen(t))
		return lserr_set(e, -EINVAL, "invalid_field", field, "%s must not contain NUL", field);
	if (max && strlen(t) > max)
		return lserr_set(e, -EINVAL, "invalid_field", field, "%s is longer than %zu bytes", field, max);
	if (required && !*t)
		return lserr_set(e, -EINVAL, "invalid_field", field, "%s must not be empty", field);
	*ret = t;
	return 0;
}

/* ---- rules ---- */

int retention_rules_parse(json_t *body, struct arena *a, struct retention_rule_set *ret, struct lserr *e)
{
	static const char *const top[] = {"rules", NULL};
	static const char *const fields[] = {"kind", "start", "period", "year_end", "legal_basis", "action", NULL};
	memset(ret, 0, sizeof(*ret));
	if (!json_is_object(body))
		return lserr_set(e, -EINVAL, "invalid_json", NULL, "the body must be a JSON object");
	int r = only_fields(body, top, "", e);
	if (r < 0)
		return r;
	json_t *rules = json_object_get(body, "rules");
	if (!rules)
		return lserr_set(e, -EINVAL, "missing_field", "rules", "rules is required (an empty list removes all)");
	if (!json_is_array(rules))
		return lserr_set(e, -EINVAL, "invalid_field", "rules", "rules must be a list of rules");
	size_t i;
	json_t *rj;
	bool seen[_RETENTION_KIND_MAX] = {false};
	json_array_foreach(rules, i, rj)
	{
		char prefix[32];
		snprintf(prefix, sizeof(prefix), "rules[%zu].", i);
		if (!json_is_object(rj))
			return lserr_set(e, -EINVAL, "invalid_field", "rules", "rules[%zu] must be an object", i);
		const char *kind, *start, *period, *basis, *action;
		if ((r = only_fields(rj, fields, prefix, e)) < 0 ||
		    (r = str_field(rj, "kind", true, 40, prefix, &kind, e)) < 0 ||
		    (r = str_field(rj, "start", true, 40, prefix, &start, e)) < 0 ||
		    (r = str_field(rj, "period", true, 40, prefix, &period, e)) < 0 ||
		    (r = str_field(rj, "legal_basis", false, LS_MAX_PRIVACY_TEXT, prefix, &basis, e)) < 0 ||
		    (r = str_field(rj, "action", false, 40, prefix, &action, e)) < 0)
			return r;
		char f[64];
		enum retention_kind k = retention_kind_from_string(kind);
		snprintf(f, sizeof(f), "%skind", prefix);
		if ((int)k < 0)
			return lserr_set(e, -EINVAL, "invalid_field", f,
			                 "%s must be tickets, replies, attachments, call_records or audit_entries", f);
		if (seen[k])
			return lserr_set(e, -EINVAL, "invalid_field", f,
			                 "kind %s has a rule already: one rule per kind", kind);
		seen[k] = true;
		struct retention_rule *rule = &ret->rules[ret->n++];
		rule->kind = k;
		rule->start = retention_event_from_string(start);
		snprintf(f, sizeof(f), "%sstart", prefix);
		if ((int)rule->start < 0 || !retention_event_fits(k, rule->start))
			return lserr_set(e, -EINVAL, "invalid_field", f,
			                 "%s: '%.40s' is not a start event of kind %s (%s)", f, start, kind,
			                 k == RETENTION_CALL_RECORDS ? "interval_start"
			                 : k == RETENTION_AUDIT_ENTRIES
			                         ? "entry_time"
			                         : "ticket_closed, ticket_created or last_activity");
		snprintf(f, sizeof(f), "%speriod", prefix);
		if (retention_period_parse(period, &rule->period) < 0)
			return lserr_set(e, -EINVAL, "invalid_field", f,
			                 "%s must be an ISO 8601 duration of years, months, weeks and days, at least a "
			                 "day and at most %d years (P6M, P2Y, P10Y, P30D)",
			                 f, RETENTION_MAX_YEARS);
		json_t *ye = json_object_get(rj, "year_end");
		snprintf(f, sizeof(f), "%syear_end", prefix);
		if (ye && !json_is_boolean(ye))
			return lserr_set(e, -EINVAL, "invalid_field", f, "%s must be true or false", f);
		rule->year_end = ye && json_is_true(ye);
		snprintf(f, sizeof(f), "%saction", prefix);
		if (action && strcmp(action, retention_action(k)) != 0)
			return lserr_set(e, -EINVAL, "invalid_field", f, "the action of kind %s is %s", kind,
			                 retention_action(k));
		rule->legal_basis = arena_strdup(a, basis ? basis : "");
	}
	/* kind order: the stored form is canonical */
	struct retention_rule sorted[_RETENTION_KIND_MAX];
	size_t n = 0;
	for (int k = 0; k < _RETENTION_KIND_MAX; k++)
		for (size_t j = 0; j < ret->n; j++)
			if (ret->rules[j].kind == (enum retention_kind)k)
				sorted[n++] = ret->rules[j];
	memcpy(ret->rules, sorted, n * sizeof(sorted[0]));
	return 0;
}

static json_t *rule_json(const struct retention_rule *r)
{
	char p[32];
	return json_pack("{s:s, s:s, s:s, s:b, s:s, s:s}", "kind", retention_kind_to_string(r->kind), "start",
	                 retention_event_to_string(r->start), "period",
	                 retention_period_format(&r->period, p, sizeof(p)), "year_end", r->year_end, "action",
	                 retention_action(r->kind), "legal_basis", r->legal_basis ? r->legal_basis : "");
}

static json_t *rules_array(const struct retention_rule_set *set)
{
	json_t *a = json_array();
	for (size_t i = 0; i < set->n; i++)
		json_array_append_new(a, rule_json(&set->rules[i]));
	return a;
}

json_t *retention_rules_json(const struct retention_rule_set *set)
{
	return json_pack("{s:s, s:I, s:o, s:o, s:o}", "client", set->client, "version", (json_int_t)set->version,
	                 "updated_at", jtime(set->updated_at), "updated_by", jstr_or_null(set->updated_by), "rules",
	                 rules_array(set));
}

static int load_rules(struct svc *s, int64_t client_id, struct retention_rule_set *ret)
{
	struct retention_doc d;
	const char *client = ret->client;
	memset(ret, 0, sizeof(*ret));
	ret->client = client;
	int r = retentiondb_rules_get(s->st, s->arena, client_id, &d);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return store_error(s->st, s->err, "loading retention rules");
	json_t *j = json_loads(d.json, 0, NULL);
	struct lserr e;
	r = retention_rules_parse(j, s->arena, ret, &e);
	json_decref(j);
	ret->client = client;
	if (r < 0)
		return lserr_set(s->err, -LS_EDB, "internal", NULL, "stored retention rules are unreadable: %s",
		                 e.message);
	ret->version = d.version;
	ret->updated_at = d.at;
	ret->updated_by = d.by;
	return 0;
}

int retention_rules_get(struct svc *s, const char *client, struct retention_rule_set *ret)
{
	struct client c;
	int r = directory_visible_client(s, client, &c);
	if (r < 0)
		return r;
	ret->client = c.code;
	return load_rules(s, c.id, ret);
}

int retention_rules_put(struct svc *s, const char *client, json_t *body, int64_t expected,
                        struct retention_rule_set *ret)
{
	struct client c;
	int r = directory_visible_client(s, client, &c);
	if (r < 0)
		return r;
	struct retention_rule_set set;
	if ((r = retention_rules_parse(body, s->arena, &set, s->err)) < 0)
		return r;
	json_t *canon = json_pack("{s:o}", "rules", rules_array(&set));
	char *text = json_dumps(canon, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(canon);
	if ((r = store_begin(s->st)) < 0) {
		free(text); /* json_dumps allocates with malloc */
		return store_error(s->st, s->err, "starting a transaction");
	}
	r = retentiondb_rules_put(s->st, c.id, expected, text, s->now, who(s));
	free(text); /* json_dumps */
	if (r == -LS_ESTALE) {
		store_rollback(s->st);
		return lserr_set(s->err, r, "version_mismatch", "version",
		                 expected ? "the retention rules of client '%s' were changed meanwhile"
		                          : "client '%s' has retention rules already: send If-Match with their version",
		                 c.code);
	}
	if (r < 0)
		return db_fail(s, "storing retention rules");
	if ((r = audit_append(
	             s, AUDIT_KIND_PRIVACY, c.id, "retention",
	             json_pack("{s:s, s:I}", "action", "retention_rules", "version", (json_int_t)expected + 1))) < 0 ||
	    (r = store_commit(s->st)) < 0)
		return db_fail(s, "storing retention rules");
	ret->client = c.code;
	return load_rules(s, c.id, ret);
}

/* ---- legal holds ---- */

bool retention_hold_active(const struct legal_hold *h, ls_time now)
{
	return !h->released_at && h->from <= now && (!h->until || h->until > now);
}

json_t *retention_hold_json(const struct legal_hold *h, ls_time now)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:s, s:o, s:o, s:b, s:o, s:s, s:o, s:o}", "id", (json_int_t)h->id,
	                 "client", h->client_code, "ticket", jstr_or_null(h->ticket_number), "person",
	                 jstr_or_null(h->person_pseudonym), "reason", h->reason, "from", jtime(h->from), "until",
	                 jtime(h->until), "active", retention_hold_active(h, now), "created_at", jtime(h->created_at),
	                 "created_by", h->created_by, "released_at", jtime(h->released_at), "released_by",
	                 jstr_or_null(h->released_by));
}

static int time_field(json_t *o, const char *name, ls_time def, ls_time *ret, struct lserr *e)
{
	const char *v;
	int r = str_field(o, name, false, 64, "", &v, e);
	if (r < 0)
		return r;
	*ret = def;
	if (v && time_parse_rfc3339(v, ret) < 0)
		return lserr_set(e, -EINVAL, "invalid_field", name, "%s must be an RFC 3339 time or a date", name);
	return 0;
}

int retention_hold_create(struct svc *s, json_t *body, struct legal_hold *ret)
{
	static const char *const fields[] = {"client", "ticket", "person", "reason", "from", "until", NULL};
	lserr_clear(s->err);
	if (!json_is_object(body))
		return lserr_set(s->err, -EINVAL, "invalid_json", NULL, "the body must be a JSON object");
	const char *client, *ticket, *person, *reason;
	struct legal_hold h = {.created_at = s->now, .created_by = who(s)};
	int r;
	if ((r = only_fields(body, fields, "", s->err)) < 0 ||
	    (r = str_field(body, "client", true, 64, "", &client, s->err)) < 0 ||
	    (r = str_field(body, "ticket", false, 32, "", &ticket, s->err)) < 0 ||
	    (r = str_field(body, "person", false, 32, "", &person, s->err)) < 0 ||
	    (r = str_field(body, "reason", true, LS_MAX_PRIVACY_TEXT, "", &reason, s->err)) < 0 ||
	    (r = time_field(body, "from", s->now, &h.from, s->err)) < 0 ||
	    (r = time_field(body, "until", 0, &h.until, s->err)) < 0)
		return r;
	if (ticket && person)
		return lserr_set(s->err, -EINVAL, "invalid_field", "person",
		                 "a hold covers a client, a ticket or a person: not a ticket and a person at once");
	if (h.until && h.until <= h.from)
		return lserr_set(s->err, -EINVAL, "invalid_field", "until", "until must be later than from");
	struct client c;
	if ((r = directory_visible_client(s, client, &c)) < 0)
		return r;
	h.client_id = c.id;
	h.reason = reason;
	if (ticket) {
		struct ticket t;
		r = ticketdb_get_by_number(s->st, s->arena, ticket, &t);
		if (r == -ENOENT || (r == 0 && t.client_id != c.id))
			return lserr_set(s->err, -ENOENT, "not_found", "ticket", "client %s has no ticket '%.30s'",
			                 c.code, ticket);
		if (r < 0)
			return store_error(s->st, s->err, "looking up the ticket");
		h.ticket_id = t.id;
	}
	if (person) {
		r = retentiondb_person_by_pseudonym(s->st, c.id, person, &h.person_id);
		if (r == -ENOENT)
			return lserr_set(s->err, -ENOENT, "not_found", "person", "client %s has no person '%.30s'",
			                 c.code, person);
		if (r < 0)
			return store_error(s->st, s->err, "looking up the person");
	}
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	if ((r = retentiondb_hold_insert(s->st, &h)) < 0 ||
	    (r = audit_append(s, AUDIT_KIND_PRIVACY, c.id, "legal_hold",
	                      json_pack("{s:s, s:I}", "action", "legal_hold", "hold", (json_int_t)h.id))) < 0 ||
	    (r = store_commit(s->st)) < 0)
		return db_fail(s, "storing the legal hold");
	r = retentiondb_hold_get(s->st, s->arena, h.id, ret);
	return r < 0 ? store_error(s->st, s->err, "loading the legal hold") : 0;
}

int retention_hold_list(struct svc *s, const char *client, int64_t before_id, unsigned limit, struct legal_hold **ret,
                        size_t *ret_n, bool *ret_more)
{
	struct client c = {0};
	int r;
	if (client && (r = directory_visible_client(s, client, &c)) < 0)
		return r;
	r = retentiondb_hold_list(s->st, s->arena, s->actor, c.id, before_id, limit, ret, ret_n, ret_more);
	return r < 0 ? store_error(s->st, s->err, "listing legal holds") : 0;
}

int retention_hold_release(struct svc *s, int64_t id, struct legal_hold *ret)
{
	struct legal_hold h;
	int r = retentiondb_hold_get(s->st, s->arena, id, &h);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, h.client_id)))
		return lserr_set(s->err, -ENOENT, "not_found", "id", "legal hold %lld does not exist", (long long)id);
	if (r < 0)
		return store_error(s->st, s->err, "loading the legal hold");
	if (h.released_at)
		return lserr_set(s->err, -LS_ECONFLICT, "conflict", "id", "legal hold %lld was released already",
		                 (long long)id);
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	r = retentiondb_hold_release(s->st, id, s->now, who(s));
	if (r == -LS_ECONFLICT) {
		store_rollback(s->st);
		return lserr_set(s->err, r, "conflict", "id", "legal hold %lld was released already", (long long)id);
	}
	if (r < 0 ||
	    (r = audit_append(s, AUDIT_KIND_PRIVACY, h.client_id, "legal_hold",
	                      json_pack("{s:s, s:I}", "action", "legal_hold_release", "hold", (json_int_t)id))) < 0 ||
	    (r = store_commit(s->st)) < 0)
		return db_fail(s, "releasing the legal hold");
	r = retentiondb_hold_get(s->st, s->arena, id, ret);
	return r < 0 ? store_error(s->st, s->err, "loading the legal hold") : 0;
}

/* ---- runs ---- */

static const char *const units[] = {"persons", "messages", "attachments", "intervals", "entries"};

static json_t *kind_report(const struct retention_rule *rule, enum retention_kind k, ls_time now)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "kind", retention_kind_to_string(k), "action",
	                      retention_action(k), "unit", units[k], "due", (json_int_t)0, "done", (json_int_t)0,
	                      "waiting", (json_int_t)0, "held", (json_int_t)0);
	json_object_set_new(o, "rule", rule ? rule_json(rule) : json_null());
	json_object_set_new(o, "cutoff",
	                    rule ? jtime(retention_cutoff(now, &rule->period, rule->year_end)) : json_null());
	return o;
}

static void add(json_t *o, const char *key, int64_t v)
{
	json_object_set_new(o, key, json_integer(json_integer_value(json_object_get(o, key)) + v));
}

static int run_tickets(struct svc *s, const struct client *c, const struct retention_rule *rule, bool dry, json_t *out)
{
	ls_time cutoff = retention_cutoff(s->now, &rule->period, rule->year_end);
	struct retention_person *v;
	size_t n;
	int64_t narrow;
	int r;
	if ((r = retentiondb_due_persons(s->st, s->arena, c->id, rule->start, cutoff, s->now, &v, &n)) < 0 ||
	    (r = retentiondb_narrow_holds(s->st, c->id, s->now, &narrow)) < 0)
		return store_error(s->st, s->err, "selecting due tickets");
	int64_t tickets = 0, t_wait = 0, t_held = 0, mentioned = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].held) {
			add(out, "held", 1);
			t_held += v[i].due;
			continue;
		}
		if (v[i].due < v[i].tickets) {
			add(out, "waiting", 1);
			t_wait += v[i].due;
			continue;
		}
		if (narrow) { /* erasure rewrites the email client-wide: not inside a held ticket */
			struct person p;
			bool hit = false;
			if ((r = persons_get(s, v[i].person_id, &p)) < 0)
				return r;
			if (p.email && (r = retentiondb_held_mentions(s->st, c->id, s->now, p.email, &hit)) < 0)
				return store_error(s->st, s->err, "checking legal holds");
			if (hit) {
				add(out, "held", 1);
				t_held += v[i].due;
				mentioned++;
				continue;
			}
		}
		add(out, "due", 1);
		if (dry) {
			tickets += v[i].tickets;
			continue;
		}
		struct erase_summary sum;
		if ((r = persons_erase(s, v[i].person_id, &sum)) < 0)
			return r;
		add(out, "done", 1);
		tickets += sum.tickets;
	}
	json_object_set_new(out, "tickets", json_integer(tickets));
	json_object_set_new(out, "tickets_waiting", json_integer(t_wait));
	json_object_set_new(out, "tickets_held", json_integer(t_held));
	if (mentioned)
		json_object_set_new(
		        out, "note",
		        json_sprintf("%lld persons are mentioned in tickets under a legal hold and were kept",
		                     (long long)mentioned));
	return 0;
}

static int run_replies(struct svc *s, const struct client *c, const struct retention_rule *rule, bool dry, json_t *out)
{
	ls_time cutoff = retention_cutoff(s->now, &rule->period, rule->year_end);
	int64_t *ids, msgs, held;
	size_t n;
	int r = retentiondb_due_replies(s->st, s->arena, c->id, rule->start, cutoff, s->now, RETENTION_REPLY_MARKER,
	                                LS_MAX_RETENTION_TICKETS, &ids, &n, &msgs, &held);
	if (r < 0)
		return store_error(s->st, s->err, "selecting due replies");
	add(out, "due", msgs);
	add(out, "held", held);
	json_object_set_new(out, "tickets", json_integer((json_int_t)n));
	if (dry || !n)
		return 0;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	int64_t done = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t k;
		if ((r = retentiondb_replace_replies(s->st, ids[i], RETENTION_REPLY_MARKER, &k)) < 0)
			return db_fail(s, "replacing replies");
		done += k;
	}
	if ((r = store_commit(s->st)) < 0)
		return db_fail(s, "replacing replies");
	add(out, "done", done);
	if (n == LS_MAX_RETENTION_TICKETS)
		json_object_set_new(out, "note", json_string("more tickets are due: the next run continues"));
	return 0;
}

static int run_calls(struct svc *s, const struct client *c, const struct retention_rule *rule, bool dry, json_t *out)
{
	ls_time cutoff = retention_cutoff(s->now, &rule->period, rule->year_end);
	int64_t n;
	int r = retentiondb_call_records(s->st, c->id, cutoff, false, &n);
	if (r < 0)
		return store_error(s->st, s->err, "counting call records");
	add(out, "due", n);
	if (dry || !n)
		return 0;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	if ((r = retentiondb_call_records(s->st, c->id, cutoff, true, &n)) < 0 || (r = store_commit(s->st)) < 0)
		return db_fail(s, "deleting call records");
	add(out, "done", n);
	return 0;
}

static const struct retention_rule *find_rule(const struct retention_rule_set *set, enum retention_kind k)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->rules[i].kind == k)
			return &set->rules[i];
	return NULL;
}

static int log_run(struct svc *s, int64_t client_id, ls_time started, json_t *result)
{
	char *text = json_dumps(result, JSON_COMPACT | JSON_SORT_KEYS);
	int r = store_begin(s->st);
	if (r < 0) {
		free(text); /* json_dumps allocates with malloc */
		return store_error(s->st, s->err, "starting a transaction");
	}
	r = retentiondb_run_insert(s->st, client_id, started, s->now, false, who(s), text);
	free(text); /* json_dumps */
	if (r < 0)
		return db_fail(s, "logging the retention run");
	/* the log entry names counts only, never a person */
	json_t *d = json_pack("{s:s}", "action", "retention_run");
	json_t *kinds = json_object_get(result, "kinds");
	size_t i;
	json_t *k;
	json_array_foreach(kinds, i, k)
	        json_object_set(d, json_string_value(json_object_get(k, "kind")), json_object_get(k, "done"));
	if ((r = audit_append(s, AUDIT_KIND_PRIVACY, client_id, "retention", d)) < 0 || (r = store_commit(s->st)) < 0)
		return db_fail(s, "logging the retention run");
	return 0;
}

static int run_client(struct svc *s, const struct client *c, bool dry, ls_time started, json_t *clients)
{
	struct retention_rule_set set = {.client = c->code};
	int r = load_rules(s, c->id, &set);
	if (r < 0)
		return r;
	bool held;
	if ((r = retentiondb_client_held(s->st, c->id, s->now, &held)) < 0)
		return store_error(s->st, s->err, "checking legal holds");
	json_t *res = json_pack("{s:s, s:b, s:I, s:[]}", "client", c->code, "client_held", held, "rules_version",
	                        (json_int_t)set.version, "kinds");
	json_array_append_new(clients, res);
	json_t *kinds = json_object_get(res, "kinds");
	for (int k = 0; k < RETENTION_AUDIT_ENTRIES; k++) {
		const struct retention_rule *rule = find_rule(&set, (enum retention_kind)k);
		json_t *out = kind_report(rule, (enum retention_kind)k, s->now);
		json_array_append_new(kinds, out);
		if (!rule) {
			json_object_set_new(out, "note", json_string("no rule: nothing falls due"));
			continue;
		}
		if (held) {
			json_object_set_new(out, "note",
			                    json_string("the client is under a legal hold: nothing touched"));
			continue;
		}
		switch ((enum retention_kind)k) {
		case RETENTION_TICKETS: r = run_tickets(s, c, rule, dry, out); break;
		case RETENTION_REPLIES: r = run_replies(s, c, rule, dry, out); break;
		case RETENTION_CALL_RECORDS: r = run_calls(s, c, rule, dry, out); break;
		default:
			json_object_set_new(out, "note",
			                    json_string("Leitstand stores no attachments yet: nothing to delete"));
			break;
		}
		if (r < 0)
			return r;
	}
	if (find_rule(&set, RETENTION_AUDIT_ENTRIES))
		json_array_append_new(
		        kinds,
		        json_pack("{s:s, s:s}", "kind", "audit_entries", "note",
		                  "the audit log is one chain for the installation: see audit_entries of the run"));
	return dry ? 0 : log_run(s, c->id, started, res);
}

struct audit_cut {
	int64_t *client_ids; /* ascending */
	ls_time *cutoffs;    /* INT64_MIN: never due */
	size_t n;
	ls_time unscoped; /* cutoff of entries without a client */
};

static bool audit_due(ls_time at, int64_t client_id, void *ctx)
{
	const struct audit_cut *ac = ctx;
	if (!client_id)
		return at <= ac->unscoped;
	for (size_t i = 0; i < ac->n; i++)
		if (ac->client_ids[i] == client_id)
			return at <= ac->cutoffs[i];
	return false; /* a client without a rule (or created since): kept */
}

/* The installation-wide row: a complete run always writes one (the daily job reads it). */
static int log_audit(struct svc *s, ls_time started, json_t *out)
{
	json_t *res = json_pack("{s:[O]}", "kinds", out);
	int r = log_run(s, 0, started, res);
	json_decref(res);
	return r;
}

static int run_audit(struct svc *s, const struct client *cs, size_t n, bool dry, ls_time started, json_t *report)
{
	struct audit_cut ac = {.client_ids = arena_alloc(s->arena, (n + 1) * sizeof(int64_t)),
	                       .cutoffs = arena_alloc(s->arena, (n + 1) * sizeof(ls_time)),
	                       .unscoped = INT64_MAX};
	size_t rules = 0;
	int r;
	for (size_t i = 0; i < n; i++) {
		struct retention_rule_set set = {.client = cs[i].code};
		if ((r = load_rules(s, cs[i].id, &set)) < 0)
			return r;
		const struct retention_rule *rule = find_rule(&set, RETENTION_AUDIT_ENTRIES);
		bool held = false;
		if ((r = retentiondb_client_held(s->st, cs[i].id, s->now, &held)) < 0)
			return store_error(s->st, s->err, "checking legal holds");
		ac.client_ids[ac.n] = cs[i].id;
		ac.cutoffs[ac.n] = INT64_MIN;
		if (rule) {
			ls_time cut = retention_cutoff(s->now, &rule->period, rule->year_end);
			rules++;
			if (!held)
				ac.cutoffs[ac.n] = cut;
			if (cut < ac.unscoped) /* the longest period rules the entries of no client */
				ac.unscoped = cut;
		}
		ac.n++;
	}
	json_t *out = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "kind", "audit_entries", "action", "delete",
	                        "unit", "entries", "due", (json_int_t)0, "done", (json_int_t)0, "waiting",
	                        (json_int_t)0, "held", (json_int_t)0);
	json_object_set_new(report, "audit_entries", out);
	if (!rules) {
		json_object_set_new(out, "note",
		                    json_string("no client has a rule for audit entries: nothing falls due"));
		return dry ? 0 : log_audit(s, started, out);
	}
	int64_t last, due, deleted = 0;
	char hash[65];
	if ((r = retentiondb_audit_prefix(s->st, audit_due, &ac, &last, &due)) < 0)
		return store_error(s->st, s->err, "reading the audit log");
	add(out, "due", due);
	json_object_set_new(out, "note",
	                    json_string("only the oldest entries, up to the first one not yet due in its client's "
	                                "rule (clients without a rule keep theirs)"));
	if (!dry && due) {
		if ((r = store_begin(s->st)) < 0)
			return store_error(s->st, s->err, "starting a transaction");
		if ((r = retentiondb_audit_delete(s->st, last, s->now, hash, &deleted)) < 0 ||
		    (r = audit_append(s, AUDIT_KIND_PRIVACY, 0, "retention",
		                      json_pack("{s:s, s:I, s:I, s:s}", "action", "retention_audit_delete", "deleted",
		                                (json_int_t)deleted, "anchor_id", (json_int_t)last, "anchor_hash",
		                                hash))) < 0 ||
		    (r = store_commit(s->st)) < 0)
			return db_fail(s, "deleting audit entries");
		add(out, "done", deleted);
		json_object_set_new(out, "anchor", json_pack("{s:I, s:s}", "id", (json_int_t)last, "hash", hash));
	}
	return dry ? 0 : log_audit(s, started, out);
}

int retention_run(struct svc *s, const struct retention_run_opts *o, json_t **ret_report)
{
	lserr_clear(s->err);
	ls_time started = time_now();
	struct client *cs;
	size_t n;
	int r;
	if (o->client) {
		cs = arena_alloc(s->arena, sizeof(*cs));
		n = 1;
		if ((r = directory_visible_client(s, o->client, cs)) < 0)
			return r;
	} else if ((r = dirdb_client_list(s->st, s->arena, &cs, &n)) < 0)
		return store_error(s->st, s->err, "listing clients");
	json_t *report = json_pack("{s:o, s:b, s:[]}", "as_of", jtime(s->now), "dry_run", o->dry_run, "clients");
	json_t *clients = json_object_get(report, "clients");
	for (size_t i = 0; i < n; i++) {
		if (!actor_sees_client(s->actor, cs[i].id))
			continue;
		if ((r = run_client(s, &cs[i], o->dry_run, started, clients)) < 0)
			goto fail;
	}
	if (!o->client && s->actor->all_clients && (r = run_audit(s, cs, n, o->dry_run, started, report)) < 0)
		goto fail;
	*ret_report = report;
	return 0;
fail:
	json_decref(report);
	return r;
}

int retention_runs_list(struct svc *s, const char *client, int64_t before_id, unsigned limit, json_t **ret_items,
                        bool *ret_more, int64_t *ret_last_id)
{
	struct client c = {0};
	int r;
	if (client && (r = directory_visible_client(s, client, &c)) < 0)
		return r;
	struct retention_run_row *v;
	size_t n;
	if ((r = retentiondb_run_list(s->st, s->arena, s->actor, c.id, before_id, limit, &v, &n, ret_more)) < 0)
		return store_error(s->st, s->err, "listing retention runs");
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *res = json_loads(v[i].result, 0, NULL);
		json_array_append_new(items,
		                      json_pack("{s:I, s:o, s:o, s:o, s:s, s:o}", "id", (json_int_t)v[i].id, "client",
		                                jstr_or_null(v[i].client_code), "started_at", jtime(v[i].started_at),
		                                "as_of", jtime(v[i].as_of), "actor", v[i].actor ? v[i].actor : "",
		                                "result", res ? res : json_null()));
	}
	*ret_items = items;
	*ret_last_id = n ? v[n - 1].id : 0;
	return 0;
}

int retention_last_run(struct svc *s, ls_time *ret)
{
	int r = retentiondb_last_run(s->st, ret);
	return r < 0 ? store_error(s->st, s->err, "reading the retention log") : 0;
}

int retention_any_rules(struct svc *s, bool *ret)
{
	int r = retentiondb_any_rules(s->st, ret);
	return r < 0 ? store_error(s->st, s->err, "reading retention rules") : 0;
}
