/* The Art. 30 record as HTML or Markdown (see privacy_doc.h). Room: report.
 * One walk over the sections writes either format through four primitives
 * (heading, paragraph, list, table), so both always hold the same content. Labels
 * come from one table per language; ids Leitstand generates (data kinds, start
 * events, measures) are translated, texts people entered are printed as they are,
 * escaped for the format. */
#include "report/privacy_doc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

struct out {
	struct strbuf *sb;
	enum privacy_doc_format fmt;
	bool de;
};

static const char *L(const struct out *o, const char *en, const char *de)
{
	return o->de ? de : en;
}

static void esc(struct out *o, const char *s)
{
	for (; s && *s; s++) {
		if (o->fmt == PRIVACY_DOC_HTML) {
			switch (*s) {
			case '<': strbuf_adds(o->sb, "&lt;"); continue;
			case '>': strbuf_adds(o->sb, "&gt;"); continue;
			case '&': strbuf_adds(o->sb, "&amp;"); continue;
			case '"': strbuf_adds(o->sb, "&quot;"); continue;
			default: break;
			}
		} else if (strchr("\\`*_[]<>|#", *s)) {
			strbuf_addch(o->sb, '\\');
		} else if (*s == '\n' || *s == '\r') {
			strbuf_addch(o->sb, ' ');
			continue;
		}
		strbuf_addch(o->sb, *s);
	}
}

static void heading(struct out *o, const char *t)
{
	strbuf_adds(o->sb, o->fmt == PRIVACY_DOC_HTML ? "<h2>" : "\n## ");
	esc(o, t);
	strbuf_adds(o->sb, o->fmt == PRIVACY_DOC_HTML ? "</h2>\n" : "\n\n");
}

static void para(struct out *o, const char *t)
{
	strbuf_adds(o->sb, o->fmt == PRIVACY_DOC_HTML ? "<p>" : "");
	esc(o, t);
	strbuf_adds(o->sb, o->fmt == PRIVACY_DOC_HTML ? "</p>\n" : "\n\n");
}

/* A list of strings; `none` when empty. */
static void list(struct out *o, const json_t *a, const char *none)
{
	if (!json_array_size(a)) {
		para(o, none);
		return;
	}
	strbuf_adds(o->sb, o->fmt == PRIVACY_DOC_HTML ? "<ul>\n" : "");
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		strbuf_adds(o->sb, o->fmt == PRIVACY_DOC_HTML ? "<li>" : "- ");
		esc(o, json_string_value(v));
		strbuf_adds(o->sb, o->fmt == PRIVACY_DOC_HTML ? "</li>\n" : "\n");
	}
	strbuf_adds(o->sb, o->fmt == PRIVACY_DOC_HTML ? "</ul>\n" : "\n");
}

static void row(struct out *o, const char *const *cells, size_t n, bool head)
{
	const char *open = head ? "<th>" : "<td>", *close = head ? "</th>" : "</td>";
	strbuf_adds(o->sb, o->fmt == PRIVACY_DOC_HTML ? "<tr>" : "|");
	for (size_t i = 0; i < n; i++) {
		strbuf_adds(o->sb, o->fmt == PRIVACY_DOC_HTML ? open : " ");
		esc(o, cells[i] ? cells[i] : "");
		strbuf_adds(o->sb, o->fmt == PRIVACY_DOC_HTML ? close : " |");
	}
	strbuf_adds(o->sb, o->fmt == PRIVACY_DOC_HTML ? "</tr>\n" : "\n");
	if (head && o->fmt == PRIVACY_DOC_MD) {
		strbuf_adds(o->sb, "|");
		for (size_t i = 0; i < n; i++)
			strbuf_adds(o->sb, " --- |");
		strbuf_adds(o->sb, "\n");
	}
}

static void table_open(struct out *o, const char *const *head, size_t n)
{
	strbuf_adds(o->sb, o->fmt == PRIVACY_DOC_HTML ? "<table>\n" : "");
	row(o, head, n, true);
}

static void table_close(struct out *o)
{
	strbuf_adds(o->sb, o->fmt == PRIVACY_DOC_HTML ? "</table>\n" : "\n");
}

static const char *str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

/* ---- translations of generated ids ---- */

struct label {
	const char *id, *en, *de;
};

static const struct label labels[] = {
        {"tickets", "Tickets (requester)", "Tickets (Anfragende)"},
        {"replies", "Replies and notes", "Antworten und Notizen"},
        {"attachments", "Attachments", "Anhänge"},
        {"call_records", "Call interval statistics (ACD)", "Anrufstatistik je Intervall (ACD)"},
        {"audit_entries", "Audit log entries", "Einträge des Audit-Protokolls"},
        {"ticket_closed", "ticket closed", "Schließen des Tickets"},
        {"ticket_created", "ticket created", "Anlage des Tickets"},
        {"last_activity", "last activity on the ticket", "letzte Aktivität am Ticket"},
        {"interval_start", "start of the interval", "Beginn des Intervalls"},
        {"entry_time", "time of the entry", "Zeitpunkt des Eintrags"},
        {"pseudonymise", "requester erased, replaced by a pseudonym", "Anfragende gelöscht, durch Pseudonym ersetzt"},
        {"replace", "text replaced by a marker", "Text durch Platzhalter ersetzt"},
        {"none", "nothing stored", "nichts gespeichert"},
        {"delete", "deleted", "gelöscht"},
        {"requester", "Requester contact data", "Kontaktdaten der Anfragenden"},
        {"ticket_texts", "Ticket texts, replies, notes and history", "Tickettexte, Antworten, Notizen und Verlauf"},
        {"call_intervals", "Call interval aggregates (no caller data)",
         "Anrufaggregate je Intervall (keine Anruferdaten)"},
        {"audit_log", "Audit log: who read or changed what", "Audit-Protokoll: wer was gelesen oder geändert hat"},
        {"users", "Users of Leitstand (staff, vendors)", "Nutzer von Leitstand (Personal, Dienstleister)"},
        {"encryption_at_rest", "Encryption at rest", "Verschlüsselung ruhender Daten"},
        {"audit_chain", "Tamper-evident audit log", "Manipulationssicheres Audit-Protokoll"},
        {"roles", "Roles and tenant isolation", "Rollen und Mandantentrennung"},
        {"login_lockout", "Login protection", "Schutz der Anmeldung"},
        {"passwords", "Password storage", "Speicherung von Passwörtern"},
        {"transport", "Transport encryption", "Transportverschlüsselung"},
        {"retention", "Deletion concept", "Löschkonzept"},
        {"erasure", "Data-subject rights", "Betroffenenrechte"},
};

static const char *label(const struct out *o, const char *id)
{
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].id, id) == 0)
			return o->de ? labels[i].de : labels[i].en;
	return id;
}

/* ---- sections ---- */

static void party(struct out *o, const json_t *rec)
{
	heading(o, L(o, "1. Controller and processor", "1. Verantwortlicher und Auftragsverarbeiter"));
	const char *head[] = {"", L(o, "Controller (the client)", "Verantwortlicher (Auftraggeber)"),
	                      L(o, "Processor", "Auftragsverarbeiter")};
	const json_t *c = json_object_get(rec, "controller"), *p = json_object_get(rec, "processor");
	table_open(o, head, 3);
	static const struct label rows[] = {{"name", "Name", "Name"},
	                                    {"address", "Address", "Anschrift"},
	                                    {"contact", "Contact", "Kontakt"},
	                                    {"dpo", "Data-protection officer", "Datenschutzbeauftragte(r)"}};
	for (size_t i = 0; i < 4; i++) {
		const char *cells[] = {L(o, rows[i].en, rows[i].de), str(c, rows[i].id), str(p, rows[i].id)};
		row(o, cells, 3, false);
	}
	table_close(o);
}

static void categories(struct out *o, const json_t *rec, const json_t *gen)
{
	heading(o, L(o, "4. Categories of personal data", "4. Kategorien personenbezogener Daten"));
	para(o, L(o, "Stored by Leitstand for this client:", "Von Leitstand für diesen Auftraggeber gespeichert:"));
	const char *head[] = {L(o, "Category", "Kategorie"), L(o, "Data", "Daten"), L(o, "Storage", "Speicherung")};
	table_open(o, head, 3);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(gen, "data_categories"), i, v)
	{
		const char *cells[] = {label(o, str(v, "id")), str(v, o->de ? "data_de" : "data"),
		                       str(v, o->de ? "storage_de" : "storage")};
		row(o, cells, 3, false);
	}
	table_close(o);
	if (json_array_size(json_object_get(rec, "data_categories"))) {
		para(o, L(o, "Further categories:", "Weitere Kategorien:"));
		list(o, json_object_get(rec, "data_categories"), "");
	}
}

static void recipients(struct out *o, const json_t *rec, const json_t *gen)
{
	heading(o, L(o, "5. Recipients", "5. Empfänger"));
	const json_t *vendors = json_object_get(gen, "recipients");
	if (json_array_size(vendors)) {
		para(o, L(o, "Vendors working this client's tickets in Leitstand (subprocessors):",
		          "Dienstleister, die in Leitstand Tickets dieses Auftraggebers bearbeiten "
		          "(Unterauftragsverarbeiter):"));
		const char *head[] = {L(o, "Code", "Kürzel"), L(o, "Name", "Name")};
		table_open(o, head, 2);
		size_t i;
		json_t *v;
		json_array_foreach(vendors, i, v)
		{
			const char *cells[] = {str(v, "code"), str(v, "name")};
			row(o, cells, 2, false);
		}
		table_close(o);
	} else {
		para(o, L(o, "No vendor works for this client in Leitstand.",
		          "Für diesen Auftraggeber arbeitet in Leitstand kein Dienstleister."));
	}
	if (json_array_size(json_object_get(rec, "recipients"))) {
		para(o, L(o, "Further recipients:", "Weitere Empfänger:"));
		list(o, json_object_get(rec, "recipients"), "");
	}
}

static void transfers(struct out *o, const json_t *rec)
{
	heading(o, L(o, "6. Transfers to third countries", "6. Übermittlungen in Drittländer"));
	const json_t *t = json_object_get(rec, "third_country_transfers");
	if (!json_array_size(t)) {
		para(o, L(o, "None entered.", "Keine angegeben."));
		return;
	}
	const char *head[] = {L(o, "Country", "Land"), L(o, "Recipient", "Empfänger"),
	                      L(o, "Safeguards (Art. 46)", "Garantien (Art. 46)")};
	table_open(o, head, 3);
	size_t i;
	json_t *v;
	json_array_foreach(t, i, v)
	{
		const char *cells[] = {str(v, "country"), str(v, "recipient"), str(v, "safeguard")};
		row(o, cells, 3, false);
	}
	table_close(o);
}

static void retention(struct out *o, const json_t *gen)
{
	heading(o, L(o, "7. Erasure periods", "7. Löschfristen"));
	const json_t *rules = json_object_get(gen, "retention");
	if (!json_array_size(rules)) {
		para(o, L(o, "No retention rules are set: Leitstand deletes nothing by itself.",
		          "Es sind keine Löschregeln gesetzt: Leitstand löscht nichts von sich aus."));
	} else {
		para(o, L(o,
		          "Rules Leitstand applies every day (one start event and one period per data kind, DIN "
		          "66398):",
		          "Regeln, die Leitstand täglich anwendet (je Datenart ein Startzeitpunkt und eine "
		          "Regellöschfrist, DIN 66398):"));
		const char *head[] = {L(o, "Data", "Datenart"), L(o, "Start", "Startzeitpunkt"),
		                      L(o, "Period", "Frist"), L(o, "Then", "Danach"),
		                      L(o, "Legal basis", "Rechtsgrundlage")};
		table_open(o, head, 5);
		size_t i;
		json_t *v;
		json_array_foreach(rules, i, v)
		{
			char start[160];
			snprintf(start, sizeof(start), "%s%s", label(o, str(v, "start")),
			         json_is_true(json_object_get(v, "year_end"))
			                 ? L(o, ", from the end of that calendar year", ", ab Ende des Kalenderjahres")
			                 : "");
			const char *cells[] = {label(o, str(v, "kind")), start, str(v, "period"),
			                       label(o, str(v, "action")), str(v, "legal_basis")};
			row(o, cells, 5, false);
		}
		table_close(o);
	}
	json_int_t holds = json_integer_value(json_object_get(gen, "legal_holds_active"));
	char t[160];
	if (o->de)
		snprintf(t, sizeof(t), "Aktive Löschsperren (Legal Holds): %lld (gesperrte Daten werden nie gelöscht).",
		         (long long)holds);
	else
		snprintf(t, sizeof(t), "Legal holds in force: %lld (data under a hold is never deleted).",
		         (long long)holds);
	para(o, t);
}

static void measures(struct out *o, const json_t *rec, const json_t *gen)
{
	heading(o, L(o, "8. Technical and organisational measures (Art. 32)",
	             "8. Technische und organisatorische Maßnahmen (Art. 32)"));
	const char *head[] = {L(o, "Measure", "Maßnahme"), L(o, "In place", "Umsetzung")};
	table_open(o, head, 2);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(gen, "measures"), i, v)
	{
		const char *cells[] = {label(o, str(v, "id")), str(v, o->de ? "text_de" : "text")};
		row(o, cells, 2, false);
	}
	table_close(o);
	if (json_array_size(json_object_get(rec, "toms"))) {
		para(o, L(o, "Further measures:", "Weitere Maßnahmen:"));
		list(o, json_object_get(rec, "toms"), "");
	}
}

static void avv(struct out *o, const json_t *rec)
{
	heading(o, L(o, "9. Processing contract (Art. 28) and subprocessors",
	             "9. Auftragsverarbeitungsvertrag (Art. 28) und Unterauftragsverarbeiter"));
	const json_t *a = json_object_get(rec, "avv");
	const char *head[] = {L(o, "Contract", "Vertrag"), ""};
	table_open(o, head, 2);
	const char *r1[] = {L(o, "Reference", "Referenz"), str(a, "reference")};
	const char *r2[] = {L(o, "Date", "Datum"), str(a, "date")};
	const char *r3[] = {L(o, "Version", "Version"), str(a, "version")};
	row(o, r1, 2, false);
	row(o, r2, 2, false);
	row(o, r3, 2, false);
	table_close(o);
	const json_t *subs = json_object_get(a, "subprocessors");
	if (!json_array_size(subs)) {
		para(o, L(o, "No subprocessors entered.", "Keine Unterauftragsverarbeiter angegeben."));
		return;
	}
	const char *h2[] = {L(o, "Subprocessor", "Unterauftragsverarbeiter"), L(o, "Service", "Leistung"),
	                    L(o, "Location", "Ort der Verarbeitung")};
	table_open(o, h2, 3);
	size_t i;
	json_t *v;
	json_array_foreach(subs, i, v)
	{
		const char *cells[] = {str(v, "name"), str(v, "service"), str(v, "location")};
		row(o, cells, 3, false);
	}
	table_close(o);
}

static const char css[] =
        "body{font-family:'DejaVu Sans',Arial,sans-serif;color:#1d2a33;margin:2.5em auto;max-width:60em;"
        "line-height:1.45;font-size:11pt}h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:"
        "1.6em;border-bottom:1px solid #9fb3c2;padding-bottom:.2em;page-break-after:avoid}table{border-collapse:"
        "collapse;width:100%;margin:.5em 0 1em}th,td{border:1px solid #c3d0da;padding:.3em .5em;text-align:left;"
        "vertical-align:top}th{background:#eef3f7}.meta{color:#56656f}footer{margin-top:2em;font-size:.85em;"
        "color:#56656f}@media print{body{margin:0;max-width:none}tr{page-break-inside:avoid}}";

int privacy_doc_render(const json_t *doc, enum privacy_doc_format fmt, const char *lang, struct strbuf *sb)
{
	if (!lang || (strcmp(lang, "de") != 0 && strcmp(lang, "en") != 0))
		return -EINVAL;
	struct out o = {.sb = sb, .fmt = fmt, .de = strcmp(lang, "de") == 0};
	const json_t *rec = json_object_get(doc, "record"), *gen = json_object_get(doc, "generated"),
	             *client = json_object_get(doc, "client");
	const char *title = L(&o, "Record of processing activities (Art. 30 GDPR) and DPA register",
	                      "Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO) und AVV-Register");
	char meta[512];
	snprintf(meta, sizeof(meta), "%s: %s (%s) · %s: %s · %s: %lld", L(&o, "Client", "Auftraggeber"),
	         str(client, "name"), str(client, "code"), L(&o, "Generated", "Erstellt"), str(doc, "generated_at"),
	         L(&o, "Record version", "Stand des Verzeichnisses"),
	         (long long)json_integer_value(json_object_get(doc, "version")));
	if (fmt == PRIVACY_DOC_HTML) {
		strbuf_addf(sb, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>", lang);
		esc(&o, title);
		strbuf_addf(sb, "</title><style>%s</style></head>\n<body>\n<h1>", css);
		esc(&o, title);
		strbuf_adds(sb, "</h1>\n<p class=\"meta\">");
		esc(&o, meta);
		strbuf_adds(sb, "</p>\n");
	} else {
		strbuf_adds(sb, "# ");
		esc(&o, title);
		strbuf_adds(sb, "\n\n");
		esc(&o, meta);
		strbuf_adds(sb, "\n");
	}
	party(&o, rec);
	heading(&o, L(&o, "2. Purposes of the processing", "2. Zwecke der Verarbeitung"));
	list(&o, json_object_get(rec, "purposes"), L(&o, "None entered.", "Keine angegeben."));
	heading(&o, L(&o, "3. Categories of data subjects", "3. Kategorien betroffener Personen"));
	list(&o, json_object_get(rec, "data_subjects"), L(&o, "None entered.", "Keine angegeben."));
	categories(&o, rec, gen);
	recipients(&o, rec, gen);
	transfers(&o, rec);
	retention(&o, gen);
	measures(&o, rec, gen);
	avv(&o, rec);
	if (*str(rec, "notes")) {
		heading(&o, L(&o, "10. Notes", "10. Anmerkungen"));
		para(&o, str(rec, "notes"));
	}
	const char *foot = L(&o,
	                     "Sections 4, 5, 7 and 8 are generated by Leitstand from its configuration at the time "
	                     "above; the other sections are what the service manager entered.",
	                     "Abschnitte 4, 5, 7 und 8 erzeugt Leitstand aus seiner Konfiguration zum obigen "
	                     "Zeitpunkt; die übrigen Abschnitte sind Angaben des Servicemanagers.");
	if (fmt == PRIVACY_DOC_HTML) {
		strbuf_adds(sb, "<footer>");
		esc(&o, foot);
		strbuf_adds(sb, "</footer>\n</body></html>\n");
	} else {
		strbuf_adds(sb, "\n---\n\n");
		esc(&o, foot);
		strbuf_adds(sb, "\n");
	}
	return strbuf_ok(sb) ? 0 : -LS_ETOOLARGE;
}
