/* The Art. 30 record and AVV register (see processing.h). Room: service.
 * The entered part is checked against one field spec and stored as canonical JSON
 * with a version (optimistic lock). The generated part is computed at every read,
 * so it never goes stale: the measures are the ones this binary has, the vendors
 * and rules the ones configured now. */
#include "service/processing.h"
#include "service/directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "service/retention.h"
#include "store/dirdb.h"
#include "store/retentiondb.h"
#include "store/vendordb.h"

enum ftype { F_STR, F_STR_LIST, F_DATE, F_OBJ, F_OBJ_LIST };

struct fspec {
	const char *name;
	enum ftype type;
	const struct fspec *children; /* F_OBJ, F_OBJ_LIST; ended by {NULL} */
};

static const struct fspec party[] = {{"name", F_STR}, {"address", F_STR}, {"contact", F_STR}, {"dpo", F_STR}, {NULL}};
static const struct fspec transfer[] = {{"country", F_STR}, {"recipient", F_STR}, {"safeguard", F_STR}, {NULL}};
static const struct fspec subprocessor[] = {{"name", F_STR}, {"service", F_STR}, {"location", F_STR}, {NULL}};
static const struct fspec avv[] = {{"reference", F_STR},
                                   {"date", F_DATE},
                                   {"version", F_STR},
                                   {"subprocessors", F_OBJ_LIST, subprocessor},
                                   {NULL}};
static const struct fspec record[] = {{"controller", F_OBJ, party},
                                      {"processor", F_OBJ, party},
                                      {"purposes", F_STR_LIST},
                                      {"data_subjects", F_STR_LIST},
                                      {"data_categories", F_STR_LIST},
                                      {"recipients", F_STR_LIST},
                                      {"third_country_transfers", F_OBJ_LIST, transfer},
                                      {"toms", F_STR_LIST},
                                      {"avv", F_OBJ, avv},
                                      {"notes", F_STR},
                                      {NULL}};

static int check_str(json_t *v, const char *field, struct lserr *e)
{
	if (!json_is_string(v))
		return lserr_set(e, -EINVAL, "invalid_field", field, "%s must be a string", field);
	if (json_string_length(v) > LS_MAX_PRIVACY_TEXT)
		return lserr_set(e, -EINVAL, "invalid_field", field, "%s is longer than %d bytes", field,
		                 LS_MAX_PRIVACY_TEXT);
	if (json_string_length(v) != strlen(json_string_value(v)))
		return lserr_set(e, -EINVAL, "invalid_field", field, "%s must not contain NUL", field);
	return 0;
}

static int check_obj(json_t *o, const struct fspec *spec, const char *prefix, struct lserr *e);

static int check_list(json_t *v, const struct fspec *f, const char *field, struct lserr *e)
{
	if (!json_is_array(v))
		return lserr_set(e, -EINVAL, "invalid_field", field, "%s must be a list", field);
	if (json_array_size(v) > LS_MAX_PRIVACY_LIST)
		return lserr_set(e, -EINVAL, "invalid_field", field, "%s has more than %d items", field,
		                 LS_MAX_PRIVACY_LIST);
	size_t i;
	json_t *item;
	json_array_foreach(v, i, item)
	{
		char sub[96];
		snprintf(sub, sizeof(sub), "%.60s[%zu]", field, i);
		int r = f->type == F_STR_LIST ? check_str(item, sub, e) : check_obj(item, f->children, sub, e);
		if (r < 0)
			return r;
	}
	return 0;
}

static int check_obj(json_t *o, const struct fspec *spec, const char *prefix, struct lserr *e)
{
	if (!json_is_object(o))
		return lserr_set(e, -EINVAL, "invalid_field", prefix, "%s must be an object",
		                 *prefix ? prefix : "the body");
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
	{
		const struct fspec *f = spec;
		while (f->name && strcmp(f->name, k) != 0)
			f++;
		char field[64];
		snprintf(field, sizeof(field), "%s%s%.40s", prefix, *prefix ? "." : "", k);
		if (!f->name)
			return lserr_set(e, -EINVAL, "unknown_field", field, "unknown field '%s'", field);
		int r = 0;
		switch (f->type) {
		case F_STR: r = check_str(v, field, e); break;
		case F_DATE: {
			ls_time t;
			if ((r = check_str(v, field, e)) == 0 && *json_string_value(v) &&
			    (json_string_length(v) != 10 || time_parse_rfc3339(json_string_value(v), &t) < 0))
				r = lserr_set(e, -EINVAL, "invalid_field", field, "%s must be a date YYYY-MM-DD",
				              field);
			break;
		}
		case F_OBJ: r = check_obj(v, f->children, field, e); break;
		case F_STR_LIST:
		case F_OBJ_LIST: r = check_list(v, f, field, e); break;
		}
		if (r < 0)
			return r;
	}
	return 0;
}

int processing_record_check(json_t *rec, struct lserr *e)
{
	return check_obj(rec, record, "", e);
}

/* ---- what Leitstand knows ---- */

struct gen_text {
	const char *id, *data, *data_de, *storage, *storage_de;
};

static const struct gen_text categories[] = {
        {"requester", "name, email, phone, company", "Name, E-Mail, Telefon, Firma",
         "encrypted per client (XChaCha20-Poly1305); email findable by a keyed hash only",
         "je Auftraggeber verschlüsselt (XChaCha20-Poly1305); E-Mail nur über einen Schlüssel-Hash auffindbar"},
        {"ticket_texts", "titles, descriptions, replies, notes, history values, effort notes (may mention persons)",
         "Titel, Beschreibungen, Antworten, Notizen, Verlaufswerte, Aufwandsnotizen (können Personen nennen)",
         "in the database and its full-text index", "in der Datenbank und ihrem Volltextindex"},
        {"call_intervals", "per queue and interval: calls offered, answered, abandoned, times",
         "je Warteschlange und Intervall: angebotene, angenommene, abgebrochene Anrufe, Zeiten",
         "aggregates without caller data", "Aggregate ohne Anruferdaten"},
        {"audit_log", "user email, time, kind of access, client, ticket numbers",
         "E-Mail des Nutzers, Zeitpunkt, Art des Zugriffs, Auftraggeber, Ticketnummern",
         "SHA-256 hash chain, append-only", "SHA-256-Hashkette, nur anfügbar"},
        {"users", "name, email, role, granted clients", "Name, E-Mail, Rolle, freigegebene Auftraggeber",
         "passwords as argon2id hashes, API tokens as hashes", "Passwörter als argon2id-Hash, API-Tokens als Hash"},
};

static json_t *measures(void)
{
	char lock[256], lock_de[256];
	snprintf(lock, sizeof(lock),
	         "an account locks after %d failed logins for %d minutes, doubling up to %d hours; failed logins "
	         "are rate-limited per address; every login and lockout is audited",
	         LS_LOGIN_MAX_FAILURES, LS_LOGIN_LOCK_S / 60, LS_LOGIN_LOCK_MAX_S / 3600);
	snprintf(lock_de, sizeof(lock_de),
	         "ein Konto wird nach %d Fehlversuchen für %d Minuten gesperrt, jede weitere Sperre doppelt so "
	         "lang bis %d Stunden; Fehlversuche je Adresse begrenzt; jede Anmeldung und Sperre protokolliert",
	         LS_LOGIN_MAX_FAILURES, LS_LOGIN_LOCK_S / 60, LS_LOGIN_LOCK_MAX_S / 3600);
	return json_pack(
	        "[{s:s,s:s,s:s}, {s:s,s:s,s:s}, {s:s,s:s,s:s}, {s:s,s:s,s:s}, {s:s,s:s,s:s}, {s:s,s:s,s:s}, "
	        "{s:s,s:s,s:s}, {s:s,s:s,s:s}]",
	        "id", "encryption_at_rest", "text",
	        "personal fields of requesters encrypted with XChaCha20-Poly1305 under a data key per client, "
	        "wrapped by a master key kept outside the database; deleting a client's key crypto-shreds its "
	        "personal data",
	        "text_de",
	        "personenbezogene Felder der Anfragenden mit XChaCha20-Poly1305 unter einem Datenschlüssel je "
	        "Auftraggeber verschlüsselt, dieser durch einen Hauptschlüssel außerhalb der Datenbank geschützt; "
	        "Löschen des Schlüssels macht die Daten unlesbar (Crypto-Shredding)",
	        "id", "audit_chain", "text",
	        "every write, login, permission change and read of personal data is recorded in a SHA-256 "
	        "hash-chained, append-only audit log; `leitstand audit verify` checks the chain",
	        "text_de",
	        "jeder Schreibzugriff, jede Anmeldung, jede Rechteänderung und jeder Lesezugriff auf "
	        "personenbezogene Daten wird in einem SHA-256-verketteten, nur anfügbaren Audit-Protokoll "
	        "festgehalten; `leitstand audit verify` prüft die Kette",
	        "id", "roles", "text",
	        "role-based access (admin, manager, agent, client_viewer, dpo, auditor, vendor_agent); users see "
	        "only the clients granted to them, vendor agents only the tickets assigned to their vendor",
	        "text_de",
	        "rollenbasierter Zugriff (admin, manager, agent, client_viewer, dpo, auditor, vendor_agent); "
	        "Nutzer sehen nur freigegebene Auftraggeber, Dienstleister nur die ihnen zugewiesenen Tickets",
	        "id", "login_lockout", "text", lock, "text_de", lock_de, "id", "passwords", "text",
	        "passwords stored as argon2id hashes, API tokens only as hashes, tokens expire", "text_de",
	        "Passwörter als argon2id-Hash, API-Tokens nur als Hash gespeichert, Tokens laufen ab", "id",
	        "transport", "text",
	        "Leitstand speaks HTTP and is run behind a TLS-terminating reverse proxy (operator's duty); with "
	        "--hsts it sends Strict-Transport-Security",
	        "text_de",
	        "Leitstand spricht HTTP und wird hinter einem TLS-terminierenden Reverse Proxy betrieben (Pflicht "
	        "des Betreibers); mit --hsts sendet es Strict-Transport-Security",
	        "id", "retention", "text",
	        "retention rules per data kind run daily; data under a legal hold is never deleted; every run is "
	        "logged",
	        "text_de",
	        "Löschregeln je Datenart laufen täglich; Daten unter einer Löschsperre werden nie gelöscht; jeder "
	        "Lauf wird protokolliert",
	        "id", "erasure", "text",
	        "export of everything stored about a person (Art. 15/20) and erasure by pseudonymisation across "
	        "all tickets (Art. 17), keeping tickets and KPIs",
	        "text_de",
	        "Export aller zu einer Person gespeicherten Daten (Art. 15/20) und Löschung durch Pseudonymisierung "
	        "in allen Tickets (Art. 17), Tickets und Kennzahlen bleiben erhalten");
}

static int generated(struct svc *s, const struct client *c, json_t **ret)
{
	json_t *cats = json_array();
	for (size_t i = 0; i < ELEMENTSOF(categories); i++)
		json_array_append_new(cats, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", categories[i].id, "data",
		                                      categories[i].data, "data_de", categories[i].data_de, "storage",
		                                      categories[i].storage, "storage_de", categories[i].storage_de));
	json_t *g = json_pack("{s:o, s:[], s:o}", "data_categories", cats, "recipients", "measures", measures());
	struct vendor *v;
	size_t n;
	int r = vendordb_of_client(s->st, s->arena, c->id, &v, &n);
	if (r < 0 && r != -ENOENT) {
		json_decref(g);
		return store_error(s->st, s->err, "listing the client's vendors");
	}
	for (size_t i = 0; r == 0 && i < n; i++)
		json_array_append_new(json_object_get(g, "recipients"),
		                      json_pack("{s:s, s:s}", "code", v[i].code, "name", v[i].name));
	struct retention_rule_set set;
	if ((r = retention_rules_get(s, c->code, &set)) < 0) {
		json_decref(g);
		return r;
	}
	json_t *rj = retention_rules_json(&set);
	json_object_set(g, "retention", json_object_get(rj, "rules"));
	json_decref(rj);
	struct legal_hold *h;
	bool more;
	if ((r = retentiondb_hold_list(s->st, s->arena, &actor_system, c->id, 0, 100000, &h, &n, &more)) < 0) {
		json_decref(g);
		return store_error(s->st, s->err, "listing legal holds");
	}
	json_int_t active = 0;
	for (size_t i = 0; i < n; i++)
		active += retention_hold_active(&h[i], s->now);
	json_object_set_new(g, "legal_holds_active", json_integer(active));
	*ret = g;
	return 0;
}

static int load(struct svc *s, const struct client *c, json_t **ret)
{
	struct retention_doc d = {0};
	int r = retentiondb_record_get(s->st, s->arena, c->id, &d);
	if (r < 0 && r != -ENOENT)
		return store_error(s->st, s->err, "loading the processing record");
	json_t *rec = d.json ? json_loads(d.json, 0, NULL) : json_object();
	if (!rec)
		return lserr_set(s->err, -LS_EDB, "internal", NULL, "the stored processing record is unreadable");
	json_t *gen = NULL;
	if ((r = generated(s, c, &gen)) < 0) {
		json_decref(rec);
		return r;
	}
	char at[32], now[32];
	*ret = json_pack("{s:{s:s, s:s}, s:I, s:o, s:o, s:s, s:o, s:o}", "client", "code", c->code, "name", c->name,
	                 "version", (json_int_t)d.version, "updated_at",
	                 d.at ? json_string(time_format_rfc3339(d.at, at, sizeof(at))) : json_null(), "updated_by",
	                 d.by ? json_string(d.by) : json_null(), "generated_at",
	                 time_format_rfc3339(s->now, now, sizeof(now)), "record", rec, "generated", gen);
	return 0;
}

int processing_record_get(struct svc *s, const char *client, json_t **ret)
{
	lserr_clear(s->err);
	struct client c;
	int r = directory_visible_client(s, client, &c);
	return r < 0 ? r : load(s, &c, ret);
}

int processing_record_put(struct svc *s, const char *client, json_t *rec, int64_t expected, json_t **ret)
{
	lserr_clear(s->err);
	struct client c;
	int r = directory_visible_client(s, client, &c);
	if (r < 0 || (r = processing_record_check(rec, s->err)) < 0)
		return r;
	char *text = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS);
	if ((r = store_begin(s->st)) < 0) {
		free(text); /* json_dumps allocates with malloc */
		return store_error(s->st, s->err, "starting a transaction");
	}
	r = retentiondb_record_put(s->st, c.id, expected, text, s->now,
	                           s->actor && s->actor->email ? s->actor->email : "system");
	free(text); /* json_dumps */
	if (r == -LS_ESTALE) {
		store_rollback(s->st);
		return lserr_set(
		        s->err, r, "version_mismatch", "version",
		        expected ? "the processing record of client '%s' was changed meanwhile"
		                 : "client '%s' has a processing record already: send If-Match with its version",
		        c.code);
	}
	if (r < 0 || (r = store_commit(s->st)) < 0) {
		r = store_error(s->st, s->err, "storing the processing record");
		store_rollback(s->st);
		return r;
	}
	return load(s, &c, ret);
}

int processing_record_document(struct svc *s, const char *client, const char *fmt, const char *lang, char **ret,
                               size_t *ret_n)
{
	lserr_clear(s->err);
	enum privacy_doc_format f;
	bool json = false;
	if (!fmt || strcmp(fmt, "html") == 0)
		f = PRIVACY_DOC_HTML;
	else if (strcmp(fmt, "md") == 0)
		f = PRIVACY_DOC_MD;
	else if (strcmp(fmt, "json") == 0) {
		f = PRIVACY_DOC_HTML;
		json = true;
	} else
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "format", "format must be html, md or json");
	if (!lang)
		lang = "de";
	if (strcmp(lang, "de") != 0 && strcmp(lang, "en") != 0)
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "lang", "lang must be de or en");
	json_t *doc;
	int r = processing_record_get(s, client, &doc);
	if (r < 0)
		return r;
	struct strbuf sb;
	strbuf_init(&sb, LS_MAX_REPORT_FILE_BYTES);
	if (json) {
		char *t = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
		strbuf_adds(&sb, t);
		strbuf_addch(&sb, '\n');
		free(t); /* json_dumps allocates with malloc */
	} else {
		r = privacy_doc_render(doc, f, lang, &sb);
	}
	json_decref(doc);
	if (r < 0 || !strbuf_ok(&sb)) {
		strbuf_release(&sb);
		return lserr_set(s->err, -LS_ETOOLARGE, "body_too_large", NULL, "the document exceeds %d MiB",
		                 LS_MAX_REPORT_FILE_BYTES >> 20);
	}
	*ret = strbuf_detach(&sb, ret_n);
	return 0;
}
