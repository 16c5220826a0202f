/* Persons: linking, rectification, export and erasure (see persons.h).
 * Room: service. */
#include "service/persons.h"

#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "core/strbuf.h"
#include "core/zip.h"
#include "service/audit.h"
#include "store/consentdb.h"
#include "store/dirdb.h"
#include "store/keyring.h"
#include "store/persondb.h"
#include "store/ticketdb.h"

static bool empty(const char *v)
{
	return !v || !*v;
}

static bool same(const char *a, const char *b)
{
	if (empty(a) || empty(b))
		return empty(a) == empty(b);
	return strcmp(a, b) == 0;
}

static bool same_email(const char *a, const char *b)
{
	if (empty(a) || empty(b))
		return empty(a) == empty(b);
	return strcasecmp(a, b) == 0;
}

static const char *opt(const char *v)
{
	return empty(v) ? NULL : v;
}

static int fail(struct svc *s, int r, const char *what)
{
	if (!s->err || !s->err->code)
		r = store_error(s->st, s->err, what);
	return r;
}

static int create_person(struct svc *s, int64_t client_id, const char *name, const char *email, const char *phone,
                         int64_t *ret_id)
{
	struct person p = {
	        .client_id = client_id,
	        .name = opt(name),
	        .email = opt(email),
	        .phone = opt(phone),
	        .created_at = s->now,
	};
	int r = persondb_insert(s->st, s->arena, &p, s->err);
	if (r < 0)
		return fail(s, r, "storing the requester");
	*ret_id = p.id;
	return 0;
}

/* A found person gets the fields it lacks. */
static int fill_in(struct svc *s, struct person *p, const char *name, const char *phone)
{
	bool change = false;
	if (empty(p->name) && !empty(name)) {
		p->name = name;
		change = true;
	}
	if (empty(p->phone) && !empty(phone)) {
		p->phone = phone;
		change = true;
	}
	if (!change)
		return 0;
	p->updated_at = s->now;
	int r = persondb_update(s->st, s->arena, p, p->version, s->err);
	return r < 0 ? fail(s, r, "storing the requester") : 0;
}

int persons_link(struct svc *s, int64_t client_id, const char *name, const char *email, const char *phone,
                 int64_t *ret_id)
{
	*ret_id = 0;
	if (empty(name) && empty(email) && empty(phone))
		return 0;
	if (!empty(email)) {
		struct person p;
		int r = persondb_find_email(s->st, s->arena, client_id, email, &p, s->err);
		if (r == 0) {
			*ret_id = p.id;
			return fill_in(s, &p, name, phone);
		}
		if (r != -ENOENT)
			return fail(s, r, "looking up the requester");
	}
	return create_person(s, client_id, name, email, phone, ret_id);
}

int persons_requester_change(struct svc *s, const struct ticket *t, const char *name, const char *email,
                             const char *phone, int64_t *ret_id, bool *ret_moved)
{
	*ret_id = t->person_id;
	*ret_moved = false;
	struct person cur = {0};
	bool have = false;
	int r;
	if (t->person_id) {
		r = persondb_get(s->st, s->arena, t->person_id, &cur, s->err);
		if (r < 0)
			return fail(s, r, "loading the requester");
		have = !cur.erased_at && !cur.shredded;
	}
	/* the same person, rectified: same email, or both without one */
	if (have && (empty(email) ? empty(cur.email) : same_email(cur.email, email))) {
		if (same(cur.name, name) && same(cur.phone, phone) && same(cur.email, email))
			return 0;
		cur.name = opt(name);
		cur.phone = opt(phone);
		cur.email = opt(email);
		cur.updated_at = s->now;
		r = persondb_update(s->st, s->arena, &cur, cur.version, s->err);
		return r < 0 ? fail(s, r, "storing the requester") : 0;
	}
	r = persons_link(s, t->client_id, name, email, phone, ret_id);
	if (r == 0)
		*ret_moved = *ret_id != t->person_id;
	return r;
}

int persons_get(struct svc *s, int64_t id, struct person *ret)
{
	lserr_clear(s->err);
	int r = persondb_get(s->st, s->arena, id, ret, s->err);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, ret->client_id)))
		return lserr_set(s->err, -ENOENT, "not_found", "id", "person %lld does not exist", (long long)id);
	return r < 0 ? fail(s, r, "loading the person") : 0;
}

int persons_find(struct svc *s, const char *client_code, const char *email, struct person **ret, size_t *ret_n)
{
	lserr_clear(s->err);
	*ret = NULL;
	*ret_n = 0;
	if (empty(email))
		return lserr_set(s->err, -EINVAL, "missing_field", "email", "an email address must be given");
	if (strlen(email) > LS_MAX_EMAIL_BYTES)
		return lserr_set(s->err, -EINVAL, "invalid_field", "email", "the email address is too long");
	struct client *cs;
	size_t nc;
	int r = dirdb_client_list(s->st, s->arena, &cs, &nc);
	if (r < 0)
		return fail(s, r, "listing clients");
	bool found_client = !client_code;
	size_t n = 0, cap = 0;
	struct person *v = NULL;
	for (size_t i = 0; i < nc; i++) {
		if (!actor_sees_client(s->actor, cs[i].id))
			continue;
		if (client_code && strcmp(client_code, cs[i].code) != 0)
			continue;
		found_client = true;
		struct person p;
		r = persondb_find_email(s->st, s->arena, cs[i].id, email, &p, s->err);
		if (r == -ENOENT)
			continue;
		if (r < 0)
			return fail(s, r, "looking up the person");
		ARENA_PUSH(s->arena, v, n, cap) = p;
	}
	if (!found_client)
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "client", "client '%.40s' does not exist",
		                 client_code);
	*ret = v;
	*ret_n = n;
	return 0;
}

int persons_check_email(struct svc *s, const char *field, const char *e)
{
	if (empty(e))
		return 0;
	const char *at = strchr(e, '@');
	if (strlen(e) > LS_MAX_EMAIL_BYTES || !at || at == e || !at[1] || strchr(e, ' '))
		return lserr_set(s->err, -EINVAL, "invalid_field", field, "'%.100s' is not a valid email address", e);
	return 0;
}

static int check_text(struct svc *s, const char *field, const char *v, size_t max)
{
	if (v && strlen(v) > max)
		return lserr_set(s->err, -EINVAL, "invalid_field", field, "%s is longer than %zu bytes", field, max);
	for (const char *p = v; p && *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			return lserr_set(s->err, -EINVAL, "invalid_field", field, "%s holds a control character",
			                 field);
	return 0;
}

int persons_rectify(struct svc *s, int64_t id, int64_t expected_version, const struct person_patch *p,
                    struct person *ret)
{
	int r;
	if ((r = check_text(s, "name", p->name, LS_MAX_NAME_BYTES)) < 0 ||
	    (r = check_text(s, "phone", p->phone, LS_MAX_PHONE_BYTES)) < 0 ||
	    (r = check_text(s, "company", p->company, LS_MAX_NAME_BYTES)) < 0 ||
	    (r = persons_check_email(s, "email", p->email)) < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return fail(s, r, "starting a transaction");
	struct person cur;
	if ((r = persons_get(s, id, &cur)) < 0)
		goto out;
	if (cur.erased_at || cur.shredded) {
		r = lserr_set(s->err, -LS_ECONFLICT, "erased", "id", "person %s was erased", cur.pseudonym);
		goto out;
	}
	if (cur.version != expected_version) {
		r = lserr_set(s->err, -LS_ESTALE, "version_mismatch", NULL, "person %s is at version %lld, not %lld",
		              cur.pseudonym, (long long)cur.version, (long long)expected_version);
		goto out;
	}
	json_t *changed = json_array();
#define TAKE(flag, f)                                                                                                  \
	if ((p->fields & flag) && !same(cur.f, p->f)) {                                                                \
		cur.f = opt(p->f);                                                                                     \
		json_array_append_new(changed, json_string(#f));                                                       \
	}
	TAKE(PERSON_PATCH_NAME, name)
	TAKE(PERSON_PATCH_EMAIL, email)
	TAKE(PERSON_PATCH_PHONE, phone)
	TAKE(PERSON_PATCH_COMPANY, company)
#undef TAKE
	if (json_array_size(changed) == 0) {
		json_decref(changed);
		store_rollback(s->st);
		*ret = cur;
		return 0;
	}
	cur.updated_at = s->now;
	if ((r = persondb_update(s->st, s->arena, &cur, expected_version, s->err)) < 0) {
		json_decref(changed);
		r = fail(s, r, "storing the person");
		goto out;
	}
	/* the audit names the fields, never their values */
	if ((r = audit_append(s, AUDIT_KIND_PRIVACY, cur.client_id, cur.pseudonym,
	                      json_pack("{s:s, s:o}", "action", "rectify", "fields", changed))) < 0 ||
	    (r = store_commit(s->st)) < 0) {
		r = fail(s, r, "storing the person");
		goto out;
	}
	*ret = cur;
	return 0;
out:
	store_rollback(s->st);
	return r;
}

int persons_ticket_numbers(struct svc *s, int64_t id, const char ***ret, size_t *ret_n)
{
	static const char sql[] = "SELECT number FROM tickets WHERE person_id = ? ORDER BY id";
	_cleanup_stmt_ sqlite3_stmt *q = store_stmt(s->st, sql);
	if (!q)
		return fail(s, -LS_EDB, "listing the person's tickets");
	sqlite3_bind_int64(q, 1, id);
	size_t n = 0, cap = 0;
	const char **v = NULL;
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW)
		ARENA_PUSH(s->arena, v, n, cap) = store_col_dup(s->arena, q, 0);
	if (r != SQLITE_DONE)
		return fail(s, -LS_EDB, "listing the person's tickets");
	*ret = v;
	*ret_n = n;
	return 0;
}

/* ---- export ---- */

static void csv_field(struct strbuf *sb, const char *v, bool last)
{
	v = v ? v : "";
	if (strpbrk(v, ",\"\r\n")) {
		strbuf_addch(sb, '"');
		for (const char *p = v; *p; p++) {
			if (*p == '"')
				strbuf_addch(sb, '"');
			strbuf_addch(sb, *p);
		}
		strbuf_addch(sb, '"');
	} else {
		strbuf_adds(sb, v);
	}
	strbuf_adds(sb, last ? "\r\n" : ",");
}

static const char *when(struct svc *s, ls_time t)
{
	if (!t)
		return NULL;
	char buf[40];
	time_format_rfc3339(t, buf, sizeof(buf));
	return arena_strdup(s->arena, buf);
}

static json_t *jstr(const char *v)
{
	return v ? json_string(v) : json_null();
}

static json_t *person_json(struct svc *s, const struct person *p)
{
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "client", p->client_code, "pseudonym",
	                 p->pseudonym, "name", jstr(p->name), "email", jstr(p->email), "phone", jstr(p->phone),
	                 "company", jstr(p->company), "created_at", jstr(when(s, p->created_at)), "updated_at",
	                 jstr(when(s, p->updated_at)), "erased_at", jstr(when(s, p->erased_at)), "shredded",
	                 p->shredded);
}

struct export_ctx {
	struct svc *s;
	json_t *tickets;
	struct strbuf tickets_csv, messages_csv, access_csv, consents_csv;
	json_t *access;
	json_t *consents;
};

static int export_tickets(struct export_ctx *x, const struct person *p)
{
	struct svc *s = x->s;
	int64_t *ids;
	size_t n;
	int r = persondb_ticket_ids(s->st, s->arena, p->id, &ids, &n);
	if (r < 0)
		return fail(s, r, "listing the person's tickets");
	for (size_t i = 0; i < n; i++) {
		struct ticket t;
		if ((r = ticketdb_get_by_id(s->st, s->arena, ids[i], &t)) < 0)
			return fail(s, r, "loading a ticket");
		struct ticket_message *ms;
		size_t nm;
		struct ticket_event *evs;
		size_t ne;
		if ((r = ticketdb_messages(s->st, s->arena, t.client_id, t.id, true, &ms, &nm)) < 0 ||
		    (r = ticketdb_events(s->st, s->arena, t.client_id, t.id, &evs, &ne)) < 0)
			return fail(s, r, "loading a ticket's history");
		json_t *jm = json_array(), *je = json_array();
		for (size_t k = 0; k < nm; k++) {
			const char *at = when(s, ms[k].created_at);
			json_array_append_new(jm, json_pack("{s:s, s:s, s:s, s:o, s:s}", "at", at, "kind",
			                                    message_kind_to_string(ms[k].kind), "author_kind",
			                                    author_kind_to_string(ms[k].author_kind), "author",
			                                    jstr(ms[k].author_name), "body", ms[k].body));
			csv_field(&x->messages_csv, t.number, false);
			csv_field(&x->messages_csv, at, false);
			csv_field(&x->messages_csv, message_kind_to_string(ms[k].kind), false);
			csv_field(&x->messages_csv, author_kind_to_string(ms[k].author_kind), false);
			csv_field(&x->messages_csv, ms[k].author_name, false);
			csv_field(&x->messages_csv, ms[k].body, true);
		}
		for (size_t k = 0; k < ne; k++)
			json_array_append_new(je, json_pack("{s:s, s:s, s:o, s:o}", "at", when(s, evs[k].at), "field",
			                                    evs[k].field, "from", jstr(evs[k].old_value), "to",
			                                    jstr(evs[k].new_value)));
		json_array_append_new(
		        x->tickets,
		        json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		                  "number", t.number, "client", t.client_code, "type", ticket_type_to_string(t.type),
		                  "title", t.title, "description", t.description ? t.description : "", "category",
		                  jstr(t.category), "channel", ticket_channel_to_string(t.channel), "priority",
		                  t.priority, "state", ticket_state_to_string(t.state), "requester",
		                  json_pack("{s:o, s:o, s:o}", "name", jstr(t.requester_name), "email",
		                            jstr(t.requester_email), "phone", jstr(t.requester_phone)),
		                  "created_at", jstr(when(s, t.created_at)), "resolved_at",
		                  jstr(when(s, t.resolved_at)), "closed_at", jstr(when(s, t.closed_at)), "messages", jm,
		                  "history", je, "tags", json_array()));
		csv_field(&x->tickets_csv, t.number, false);
		csv_field(&x->tickets_csv, t.client_code, false);
		csv_field(&x->tickets_csv, ticket_type_to_string(t.type), false);
		csv_field(&x->tickets_csv, t.title, false);
		csv_field(&x->tickets_csv, ticket_state_to_string(t.state), false);
		char prio[8];
		snprintf(prio, sizeof(prio), "%d", t.priority);
		csv_field(&x->tickets_csv, prio, false);
		csv_field(&x->tickets_csv, ticket_channel_to_string(t.channel), false);
		csv_field(&x->tickets_csv, when(s, t.created_at), false);
		csv_field(&x->tickets_csv, when(s, t.resolved_at), false);
		csv_field(&x->tickets_csv, when(s, t.closed_at), true);
	}
	return 0;
}

/* Who read the person's data: read entries naming one of its tickets, and the
 * privacy entries about the person. */
static int export_access(struct export_ctx *x, const struct person *p)
{
	static const char sql[] =
	        "SELECT a.id, a.at, a.actor_email, a.kind, a.detail FROM audit_log a "
	        "WHERE a.client_id = ?1 AND ((a.kind = 'personal_data_read' AND EXISTS (SELECT 1 FROM "
	        "json_each(a.detail, '$.tickets') j WHERE j.value = ?3 OR j.value IN (SELECT number FROM tickets WHERE "
	        "person_id = ?2))) "
	        "OR (a.kind = 'privacy' AND a.subject = ?3)) ORDER BY a.id";
	struct svc *s = x->s;
	_cleanup_stmt_ sqlite3_stmt *q = store_stmt(s->st, sql);
	if (!q)
		return fail(s, -LS_EDB, "reading the audit log");
	sqlite3_bind_int64(q, 1, p->client_id);
	sqlite3_bind_int64(q, 2, p->id);
	store_bind_text(q, 3, p->pseudonym);
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		const char *at = when(s, sqlite3_column_int64(q, 1));
		const char *actor = store_col_text(q, 2), *kind = store_col_text(q, 3);
		json_t *detail = json_loads(store_col_text(q, 4), 0, NULL);
		const char *what = json_string_value(json_object_get(detail, "request"));
		if (!what)
			what = json_string_value(json_object_get(detail, "action"));
		json_array_append_new(x->access, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "audit_id",
		                                           (json_int_t)sqlite3_column_int64(q, 0), "at", at, "actor",
		                                           actor, "kind", kind, "client", p->client_code, "detail",
		                                           detail ? detail : json_null()));
		char id[24];
		snprintf(id, sizeof(id), "%lld", (long long)sqlite3_column_int64(q, 0));
		csv_field(&x->access_csv, id, false);
		csv_field(&x->access_csv, at, false);
		csv_field(&x->access_csv, actor, false);
		csv_field(&x->access_csv, kind, false);
		csv_field(&x->access_csv, what, true);
	}
	return r == SQLITE_DONE ? 0 : fail(s, -LS_EDB, "reading the audit log");
}

/* The person's consents and withdrawals (store/consentdb). */
static int export_consents(struct export_ctx *x, const struct person *p)
{
	struct svc *s = x->s;
	struct consent *v;
	size_t n;
	if (consentdb_of_person(s->st, s->arena, p->id, &v, &n) < 0)
		return fail(s, -LS_EDB, "loading the person's consents");
	for (size_t i = 0; i < n; i++) {
		const struct consent *c = &v[i];
		const char *given = when(s, c->given_at), *gone = when(s, c->withdrawn_at);
		const char *channel = privacy_channel_to_string(c->channel);
		json_array_append_new(
		        x->consents,
		        json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "client", p->client_code, "purpose",
		                  c->purpose, "channel", channel, "text_version", c->text_version, "given_at",
		                  jstr(given), "withdrawn_at", jstr(gone), "withdrawn_channel",
		                  c->withdrawn_at ? json_string(privacy_channel_to_string(c->withdrawn_channel))
		                                  : json_null()));
		csv_field(&x->consents_csv, p->client_code, false);
		csv_field(&x->consents_csv, c->purpose, false);
		csv_field(&x->consents_csv, channel, false);
		csv_field(&x->consents_csv, given, false);
		csv_field(&x->consents_csv, gone, true);
	}
	return 0;
}

static const char readme[] =
        "Auskunft nach Art. 15 DSGVO / Datenkopie nach Art. 20 DSGVO\n"
        "Data-subject access (Art. 15 GDPR) and portability (Art. 20 GDPR)\n"
        "\n"
        "person.json      Stammdaten der Person je Mandant / the person's record per client\n"
        "tickets.json     Tickets mit Antworten, Notizen und Verlauf / tickets with replies, notes, history\n"
        "tickets.csv      Tickets als Tabelle / tickets as a table\n"
        "messages.csv     Antworten und Notizen / replies and notes\n"
        "access_log.csv   Wer die Daten gelesen oder geaendert hat (Auditprotokoll) / who read or changed\n"
        "                 the data (audit log)\n"
        "access_log.json  dasselbe mit allen Angaben / the same with every detail\n"
        "consents.csv     Einwilligungen und Widerrufe / consents and withdrawals\n"
        "\n"
        "CSV: RFC 4180, UTF-8, Komma als Trenner / comma-separated. Zeiten in UTC / times in UTC (RFC 3339).\n";

int persons_export(struct svc *s, const struct person *persons, size_t n, char **ret, size_t *ret_n)
{
	lserr_clear(s->err);
	struct export_ctx x = {.s = s, .tickets = json_array(), .access = json_array(), .consents = json_array()};
	strbuf_init(&x.tickets_csv, LS_MAX_EXPORT_BYTES);
	strbuf_init(&x.messages_csv, LS_MAX_EXPORT_BYTES);
	strbuf_init(&x.access_csv, LS_MAX_EXPORT_BYTES);
	strbuf_init(&x.consents_csv, LS_MAX_EXPORT_BYTES);
	strbuf_adds(&x.tickets_csv,
	            "number,client,type,title,state,priority,channel,created_at,resolved_at,closed_at\r\n");
	strbuf_adds(&x.messages_csv, "ticket,at,kind,author_kind,author,body\r\n");
	strbuf_adds(&x.access_csv, "audit_id,at,actor,kind,what\r\n");
	strbuf_adds(&x.consents_csv, "client,purpose,channel,given_at,withdrawn_at\r\n");
	json_t *people = json_array();
	struct zip z;
	zip_init(&z, LS_MAX_EXPORT_BYTES);
	int r = store_begin_read(s->st);
	for (size_t i = 0; i < n && r >= 0; i++) {
		json_array_append_new(people, person_json(s, &persons[i]));
		if ((r = export_tickets(&x, &persons[i])) < 0 || (r = export_access(&x, &persons[i])) < 0 ||
		    (r = export_consents(&x, &persons[i])) < 0)
			break;
	}
	store_rollback(s->st);
	if (r >= 0) {
		char *pj = json_dumps(people, JSON_INDENT(2) | JSON_SORT_KEYS);
		char *tj = json_dumps(x.tickets, JSON_INDENT(2));
		char *aj = json_dumps(x.access, JSON_INDENT(2));
		char *cj = json_dumps(x.consents, JSON_INDENT(2));
		zip_add(&z, "README.txt", readme, sizeof(readme) - 1, s->now);
		zip_add(&z, "person.json", pj, strlen(pj), s->now);
		zip_add(&z, "tickets.json", tj, strlen(tj), s->now);
		zip_add(&z, "tickets.csv", x.tickets_csv.buf, x.tickets_csv.len, s->now);
		zip_add(&z, "messages.csv", x.messages_csv.buf, x.messages_csv.len, s->now);
		zip_add(&z, "access_log.csv", x.access_csv.buf, x.access_csv.len, s->now);
		zip_add(&z, "access_log.json", aj, strlen(aj), s->now);
		zip_add(&z, "consents.csv", x.consents_csv.buf, x.consents_csv.len, s->now);
		zip_add(&z, "consents.json", cj, strlen(cj), s->now);
		free(pj); /* json_dumps allocates with malloc */
		free(tj); /* json_dumps */
		free(aj); /* json_dumps */
		free(cj); /* json_dumps */
		if (!strbuf_ok(&x.tickets_csv) || !strbuf_ok(&x.messages_csv) || !strbuf_ok(&x.access_csv) ||
		    !strbuf_ok(&x.consents_csv))
			r = lserr_set(s->err, -LS_ETOOLARGE, "body_too_large", NULL, "the export exceeds %d MiB",
			              LS_MAX_EXPORT_BYTES >> 20);
		else if ((r = zip_finish(&z, ret, ret_n)) < 0)
			r = lserr_set(s->err, -LS_ETOOLARGE, "body_too_large", NULL, "the export cannot be packed");
	}
	json_decref(people);
	json_decref(x.tickets);
	json_decref(x.access);
	json_decref(x.consents);
	strbuf_release(&x.tickets_csv);
	strbuf_release(&x.messages_csv);
	strbuf_release(&x.access_csv);
	strbuf_release(&x.consents_csv);
	zip_release(&z);
	if (r < 0)
		return r;
	/* the export is a read of everything about the person: on record */
	for (size_t i = 0; i < n; i++) {
		r = audit_record(s, AUDIT_KIND_PRIVACY, persons[i].client_id, persons[i].pseudonym,
		                 json_pack("{s:s}", "action", "export"));
		if (r < 0) {
			xfree(*ret);
			*ret = NULL;
			return fail(s, r, "recording the export");
		}
	}
	return 0;
}

/* ---- erasure ---- */

/* Each statement replaces ?1 by ?2 (ignoring ASCII case) in its columns. ?3 is the
 * client; ?4 the person, for statements limited to the person's tickets. */
struct scrub {
	const char *sql_client; /* the whole client (email) */
	const char *sql_person; /* the person's tickets (name, phone) */
};

#define HAS(c)    "instr(lower(coalesce(" c ", '')), lower(?1)) > 0"
#define REP(c)    c " = ls_ireplace(" c ", ?1, ?2)"
#define MINE(col) " AND " col " IN (SELECT id FROM tickets WHERE client_id = ?3 AND person_id = ?4)"

static const struct scrub scrubs[] = {
        {"UPDATE tickets SET " REP("title") ", " REP("description") ", version = version + 1 WHERE client_id = ?3 "
                                                                    "AND (" HAS("title") " OR " HAS("description") ")",
         "UPDATE tickets SET " REP("title") ", " REP("description") ", version = version + 1 WHERE client_id = ?3 "
                                                                    "AND person_id = ?4 AND (" HAS("title") " OR " HAS(
                                                                            "description") ")"},
        {"UPDATE ticket_messages SET " REP("body") ", " REP("author_name") " WHERE client_id = ?3 AND (" HAS(
                 "body") " OR " HAS("author_name") ")",
         "UPDATE ticket_messages SET " REP("body") ", " REP("author_name") " WHERE client_id = ?3" MINE(
                 "ticket_id") " AND (" HAS("body") " OR " HAS("author_name") ")"},
        {"UPDATE ticket_events SET " REP("old_value") ", " REP("new_value") " WHERE client_id = ?3 AND (" HAS(
                 "old_value") " OR " HAS("new_value") ")",
         "UPDATE ticket_events SET " REP("old_value") ", " REP("new_value") " WHERE client_id = ?3" MINE(
                 "ticket_id") " AND (" HAS("old_value") " OR " HAS("new_value") ")"},
        {"UPDATE ticket_efforts SET " REP("note") " WHERE client_id = ?3 AND " HAS("note"),
         "UPDATE ticket_efforts SET " REP("note") " WHERE client_id = ?3" MINE("ticket_id") " AND " HAS("note")},
        {"UPDATE outbox SET " REP("payload") " WHERE client_id = ?3 AND " HAS("payload"),
         "UPDATE outbox SET " REP("payload") " WHERE client_id = ?3" MINE("ticket_id") " AND " HAS("payload")},
        {"UPDATE ticket_fts SET " REP("title") ", " REP("description") ", " REP(
                 "replies") " WHERE rowid IN (SELECT id FROM tickets WHERE client_id = ?3) AND "
                            "(" HAS("title") " OR " HAS("description") " OR " HAS("replies") ")",
         "UPDATE ticket_fts SET " REP("title") ", " REP("description") ", " REP(
                 "replies") " WHERE rowid IN (SELECT id FROM tickets WHERE client_id = ?3 AND person_id = ?4) "
                            "AND (" HAS("title") " OR " HAS("description") " OR " HAS("replies") ")"},
        {"UPDATE webhook_deliveries SET " REP("last_response") ", " REP("last_error") " WHERE client_id = ?3 AND (" HAS(
                 "last_response") " OR " HAS("last_error") ")",
         NULL},
        {"UPDATE import_tickets SET " REP("title") " WHERE client_id = ?3 AND " HAS("title"), NULL},
        {"UPDATE import_events SET " REP("old_value") ", " REP("new_value") ", " REP(
                 "actor") " WHERE client_id = ?3 AND (" HAS("old_value") " OR " HAS("new_value") " OR " HAS("actor") ")",
         NULL},
};

#undef HAS
#undef REP
#undef MINE

static int scrub_value(struct svc *s, const struct person *p, const char *needle, bool whole_client, int64_t *replaced)
{
	if (empty(needle) || strlen(needle) < 3)
		return 0; /* too short to find safely: "Al" would hit every "Also" */
	for (size_t i = 0; i < ELEMENTSOF(scrubs); i++) {
		const char *sql = whole_client ? scrubs[i].sql_client : scrubs[i].sql_person;
		if (!sql)
			continue;
		_cleanup_stmt_ sqlite3_stmt *q = store_stmt(s->st, sql);
		if (!q)
			return -LS_EDB;
		store_bind_text(q, 1, needle);
		store_bind_text(q, 2, p->pseudonym);
		sqlite3_bind_int64(q, 3, p->client_id);
		if (!whole_client)
			sqlite3_bind_int64(q, 4, p->id);
		int r = store_step_done(q);
		if (r < 0)
			return r;
		*replaced += store_changes(s->st);
	}
	return 0;
}

/* text with every occurrence of needle (ASCII case ignored) replaced by repl, or
 * NULL when there is none or needle is too short to search for. */
static char *ireplace(struct arena *a, const char *text, const char *needle, const char *repl)
{
	if (strlen(needle) < 3)
		return NULL;
	struct strbuf sb = STRBUF_INIT_MAX(SIZE_MAX);
	char *out = strbuf_add_ireplaced(&sb, text, needle, repl) ? arena_strdup(a, sb.buf) : NULL;
	strbuf_release(&sb);
	return out;
}

/* Sealed replies and notes (clients.seal_messages) cannot be searched in SQL: each
 * is opened, scrubbed like the plain ones and sealed again. */
static int scrub_sealed_messages(struct svc *s, const struct person *p, int64_t *replaced)
{
	static const char sel[] =
	        "SELECT m.id, m.ticket_id IN (SELECT id FROM tickets WHERE client_id = ?1 AND "
	        "person_id = ?2), m.body, m.author_name FROM ticket_messages m WHERE m.client_id = ?1 "
	        "AND (substr(m.body, 1, 4) = 'ls1:' OR substr(m.author_name, 1, 4) = 'ls1:') "
	        "ORDER BY m.id";
	static const char upd[] = "UPDATE ticket_messages SET body = ?, author_name = ? WHERE id = ?";
	_cleanup_stmt_ sqlite3_stmt *q = store_stmt(s->st, sel);
	if (!q)
		return -LS_EDB;
	sqlite3_bind_int64(q, 1, p->client_id);
	sqlite3_bind_int64(q, 2, p->id);
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		bool mine = sqlite3_column_int(q, 1) != 0;
		const char *text[2], *sealed[2];
		if (keyring_open_text(s->st, s->arena, p->client_id, "message", store_col_text(q, 2), &text[0], NULL) <
		            0 ||
		    keyring_open_text(s->st, s->arena, p->client_id, "author", (const char *)sqlite3_column_text(q, 3),
		                      &text[1], NULL) < 0)
			continue; /* cannot be opened (key gone): nothing readable to scrub */
		bool changed = false;
		for (int k = 0; k < 2; k++) {
			const char *needles[4] = {p->email, mine ? p->name : NULL, mine ? p->phone : NULL,
			                          mine ? p->company : NULL};
			for (int i = 0; i < 4 && text[k]; i++) {
				char *x = needles[i] ? ireplace(s->arena, text[k], needles[i], p->pseudonym) : NULL;
				if (x) {
					text[k] = x;
					changed = true;
				}
			}
		}
		if (!changed)
			continue;
		if ((r = keyring_seal_text(s->st, s->arena, p->client_id, "message", text[0], &sealed[0], s->err)) <
		            0 ||
		    (r = keyring_seal_text(s->st, s->arena, p->client_id, "author", text[1], &sealed[1], s->err)) < 0)
			return r;
		_cleanup_stmt_ sqlite3_stmt *u = store_stmt(s->st, upd);
		if (!u)
			return -LS_EDB;
		store_bind_text(u, 1, sealed[0]);
		store_bind_text(u, 2, sealed[1]);
		sqlite3_bind_int64(u, 3, sqlite3_column_int64(q, 0));
		if ((r = store_step_done(u)) < 0)
			return r;
		(*replaced)++;
	}
	return r == SQLITE_DONE ? 0 : -LS_EDB;
}

static int gate(struct svc *s, bool open)
{
	_cleanup_stmt_ sqlite3_stmt *q =
	        store_stmt(s->st, open ? "INSERT INTO privacy_gate (one) VALUES (1)" : "DELETE FROM privacy_gate");
	return q ? store_step_done(q) : -LS_EDB;
}

int persons_erase(struct svc *s, int64_t id, struct erase_summary *ret)
{
	memset(ret, 0, sizeof(*ret));
	int r;
	if ((r = store_begin(s->st)) < 0)
		return fail(s, r, "starting a transaction");
	struct person p;
	if ((r = persons_get(s, id, &p)) < 0)
		goto out;
	snprintf(ret->pseudonym, sizeof(ret->pseudonym), "%s", p.pseudonym);
	if (p.erased_at) {
		r = lserr_set(s->err, -LS_ECONFLICT, "erased", "id", "person %s was erased already", p.pseudonym);
		goto out;
	}
	int64_t *ids;
	size_t n;
	if ((r = persondb_ticket_ids(s->st, s->arena, p.id, &ids, &n)) < 0) {
		r = fail(s, r, "listing the person's tickets");
		goto out;
	}
	ret->tickets = (int64_t)n;
	static const char legacy[] = "UPDATE tickets SET requester_name = NULL, requester_email = NULL, "
	                             "requester_phone = NULL WHERE client_id = ? AND person_id = ? AND "
	                             "(requester_name IS NOT NULL OR requester_email IS NOT NULL OR "
	                             "requester_phone IS NOT NULL)";
	{
		_cleanup_stmt_ sqlite3_stmt *q = store_stmt(s->st, legacy);
		if (!q) {
			r = fail(s, -LS_EDB, "erasing the person");
			goto out;
		}
		sqlite3_bind_int64(q, 1, p.client_id);
		sqlite3_bind_int64(q, 2, p.id);
		if ((r = store_step_done(q)) < 0) {
			r = fail(s, r, "erasing the person");
			goto out;
		}
	}
	if ((r = gate(s, true)) < 0 || (r = scrub_value(s, &p, p.email, true, &ret->replaced)) < 0 ||
	    (r = scrub_value(s, &p, p.name, false, &ret->replaced)) < 0 ||
	    (r = scrub_value(s, &p, p.phone, false, &ret->replaced)) < 0 ||
	    (r = scrub_value(s, &p, p.company, false, &ret->replaced)) < 0 ||
	    (r = scrub_sealed_messages(s, &p, &ret->replaced)) < 0 || (r = gate(s, false)) < 0 ||
	    (r = persondb_mark_erased(s->st, p.id, s->now)) < 0) {
		r = fail(s, r, "erasing the person");
		goto out;
	}
	if ((r = audit_append(s, AUDIT_KIND_PRIVACY, p.client_id, p.pseudonym,
	                      json_pack("{s:s, s:I, s:I}", "action", "erase", "tickets", (json_int_t)ret->tickets,
	                                "replaced", (json_int_t)ret->replaced))) < 0 ||
	    (r = store_commit(s->st)) < 0) {
		r = fail(s, r, "erasing the person");
		goto out;
	}
	/* old versions of the changed pages may still sit in the WAL: write them back
	 * and truncate it (waits for readers up to the busy timeout) */
	sqlite3_wal_checkpoint_v2(store_handle(s->st), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	return 0;
out:
	store_rollback(s->st);
	return r;
}

int persons_backfill(struct svc *s, int64_t *ret_n)
{
	static const char sel[] = "SELECT id, client_id, requester_name, requester_email, requester_phone FROM tickets "
	                          "WHERE person_id IS NULL AND (requester_name IS NOT NULL OR requester_email IS NOT "
	                          "NULL OR requester_phone IS NOT NULL) ORDER BY id LIMIT 500";
	static const char upd[] = "UPDATE tickets SET person_id = ?, requester_name = NULL, requester_email = NULL, "
	                          "requester_phone = NULL WHERE id = ?";
	static const char probe[] = "SELECT 1 FROM tickets WHERE person_id IS NULL AND (requester_name IS NOT NULL OR "
	                            "requester_email IS NOT NULL OR requester_phone IS NOT NULL) LIMIT 1";
	*ret_n = 0;
	{
		/* nothing to move (the usual case): no write lock taken (partial index, 0019) */
		_cleanup_stmt_ sqlite3_stmt *q = store_stmt(s->st, probe);
		if (!q)
			return fail(s, -LS_EDB, "looking for requesters to move");
		int pr = sqlite3_step(q);
		if (pr == SQLITE_DONE)
			return 0;
		if (pr != SQLITE_ROW)
			return fail(s, -LS_EDB, "looking for requesters to move");
	}
	for (;;) {
		int r = store_begin(s->st);
		if (r < 0)
			return fail(s, r, "starting a transaction");
		size_t done = 0;
		{
			_cleanup_stmt_ sqlite3_stmt *q = store_stmt(s->st, sel);
			if (!q) {
				store_rollback(s->st);
				return fail(s, -LS_EDB, "moving requesters");
			}
			struct row {
				int64_t id, client_id;
				const char *name, *email, *phone;
			} *rows = NULL;
			size_t n = 0, cap = 0;
			int sr;
			while ((sr = sqlite3_step(q)) == SQLITE_ROW) {
				struct row *w = &ARENA_PUSH(s->arena, rows, n, cap);
				w->id = sqlite3_column_int64(q, 0);
				w->client_id = sqlite3_column_int64(q, 1);
				w->name = store_col_dup(s->arena, q, 2);
				w->email = store_col_dup(s->arena, q, 3);
				w->phone = store_col_dup(s->arena, q, 4);
			}
			if (sr != SQLITE_DONE) {
				store_rollback(s->st);
				return fail(s, -LS_EDB, "moving requesters");
			}
			store_stmt_done(q);
			for (size_t i = 0; i < n; i++) {
				int64_t pid;
				if ((r = persons_link(s, rows[i].client_id, rows[i].name, rows[i].email, rows[i].phone,
				                      &pid)) < 0) {
					store_rollback(s->st);
					return r;
				}
				_cleanup_stmt_ sqlite3_stmt *u = store_stmt(s->st, upd);
				if (!u) {
					store_rollback(s->st);
					return fail(s, -LS_EDB, "moving requesters");
				}
				store_bind_id(u, 1, pid);
				sqlite3_bind_int64(u, 2, rows[i].id);
				if ((r = store_step_done(u)) < 0) {
					store_rollback(s->st);
					return fail(s, r, "moving requesters");
				}
			}
			done = n;
		}
		if ((r = store_commit(s->st)) < 0)
			return fail(s, r, "moving requesters");
		*ret_n += (int64_t)done;
		if (done < 500)
			return 0;
	}
}

int persons_check_keys(struct svc *s)
{
	lserr_clear(s->err);
	int r = store_begin_read(s->st);
	if (r < 0)
		return fail(s, r, "reading client keys");
	r = keyring_check(s->st, s->err);
	store_rollback(s->st);
	return r;
}
