/* The generic CSV importer (see csvmap.h). Room: importers.
 *
 * The mapping is parsed once into column roles, a state table and a level table. The
 * header resolves each role to a field position. A row is checked when it is read
 * (field count, id, stamps), so a bad row is named by its own line; the mapped fields
 * of a kept row are copied into an arena, one block per row. Table rows become tickets
 * at once. Log rows are buffered per case: grouped logs flush a case when the id
 * changes (finished ids go into a hash set so a reappearing id is reported), ungrouped
 * logs keep every row, chained per case through a hash map, and build the cases in
 * order of first appearance at the end. A case's rows are sorted by instant (stable),
 * then folded into one rec_ticket and, if asked, one event per row. */
#include "importers/csvmap.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/limits.h"

enum role {
	R_ID,
	R_NUMBER,
	R_TITLE,
	R_STATE,
	R_ACTIVITY,
	R_AT,
	R_PRIORITY,
	R_IMPACT,
	R_URGENCY,
	R_CATEGORY,
	R_CHANNEL,
	R_TEAM,
	R_AGENT,
	R_OPENED_AT,
	R_RESOLVED_AT,
	R_CLOSED_AT,
	R_REOPENED_AT,
	R_REASSIGN,
	R_REOPENS,
	R_MADE_SLA,
	R_FCR,
	R_EFFORT,
	R_CSAT,
	R_CI,
	R_SYMPTOM,
	_R_MAX,
};

static const char *const role_names[_R_MAX] = {
        [R_ID] = "id",
        [R_NUMBER] = "number",
        [R_TITLE] = "title",
        [R_STATE] = "state",
        [R_ACTIVITY] = "activity",
        [R_AT] = "at",
        [R_PRIORITY] = "priority",
        [R_IMPACT] = "impact",
        [R_URGENCY] = "urgency",
        [R_CATEGORY] = "category",
        [R_CHANNEL] = "channel",
        [R_TEAM] = "team",
        [R_AGENT] = "agent",
        [R_OPENED_AT] = "opened_at",
        [R_RESOLVED_AT] = "resolved_at",
        [R_CLOSED_AT] = "closed_at",
        [R_REOPENED_AT] = "reopened_at",
        [R_REASSIGN] = "reassignments",
        [R_REOPENS] = "reopens",
        [R_MADE_SLA] = "made_sla",
        [R_FCR] = "fcr",
        [R_EFFORT] = "effort",
        [R_CSAT] = "csat",
        [R_CI] = "ci",
        [R_SYMPTOM] = "symptom",
};

/* Roles holding stamps, and where a row keeps them. */
enum { T_AT, T_OPENED, T_RESOLVED, T_CLOSED, T_REOPENED, _T_MAX };
static const enum role stamp_roles[_T_MAX] = {R_AT, R_OPENED_AT, R_RESOLVED_AT, R_CLOSED_AT, R_REOPENED_AT};

enum time_format { TF_DEFAULT, TF_DMY, TF_MDY, TF_YMD };

struct textmap {
	const char *text;
	int value;
};

struct csvmap {
	struct arena arena;
	bool log, grouped;
	char sep;
	enum time_format tf;
	enum ticket_type type;
	double effort_factor;    /* to minutes */
	const char *col[_R_MAX]; /* header names, NULL unmapped */
	struct textmap *states, *levels;
	size_t n_states, n_levels;
};

/* ---- presets ---- */

static const struct {
	const char *name;
	const char *json;
} presets[] = {
        {"bpi2013-incidents",
         "{\"shape\":\"log\",\"grouped\":true,\"time_format\":\"iso8601\","
         "\"columns\":{\"id\":\"SR Number\",\"at\":\"Change Date+Time\",\"state\":\"Activity\","
         "\"activity\":\"Activity\",\"impact\":\"SR Latest Impact\",\"category\":\"Product\","
         "\"team\":\"Involved ST\",\"agent\":\"Resource\"},"
         "\"states\":{\"Queued-Awaiting Assignment\":\"assigned\",\"Accepted-Assigned\":\"assigned\","
         "\"Accepted-In Progress\":\"in_progress\",\"Accepted-Wait\":\"pending_customer\","
         "\"Accepted-Wait - User\":\"pending_customer\",\"Accepted-Wait - Customer\":\"pending_customer\","
         "\"Accepted-Wait - Implementation\":\"pending_vendor\",\"Accepted-Wait - Vendor\":\"pending_vendor\","
         "\"Completed-In Call\":\"resolved\",\"Completed-Resolved\":\"resolved\","
         "\"Completed-Closed\":\"closed\",\"Completed-Cancelled\":\"closed\"},"
         "\"levels\":{\"Major\":1,\"High\":2,\"Medium\":3,\"Low\":4}}"},
        {"bpi2014-incidents",
         "{\"shape\":\"table\",\"separator\":\";\",\"time_format\":\"dmy\",\"effort_unit\":\"hours\","
         "\"columns\":{\"id\":\"Incident ID\",\"state\":\"Status\",\"impact\":\"Impact\",\"urgency\":\"Urgency\","
         "\"priority\":\"Priority\",\"category\":\"Category\",\"ci\":\"CI Name (aff)\",\"opened_at\":\"Open Time\","
         "\"reopened_at\":\"Reopen Time\",\"resolved_at\":\"Resolved Time\",\"closed_at\":\"Close Time\","
         "\"reassignments\":\"# Reassignments\",\"effort\":\"Handle Time (Hours)\"},"
         "\"states\":{\"Work in progress\":\"in_progress\",\"Closed\":\"closed\"}}"},
        {"bpi2014-activities",
         "{\"shape\":\"log\",\"grouped\":false,\"separator\":\",\",\"time_format\":\"ymd\","
         "\"columns\":{\"id\":\"Incident ID\",\"activity\":\"Detail Incident Activity.IncidentActivity_Type\","
         "\"at\":\"Detail Incident Activity.DateStamp\",\"team\":\"Detail Incident Activity.Assignment Group\","
         "\"category\":\"Category\",\"reassignments\":\"# Reassignments\",\"impact\":\"Impact\","
         "\"urgency\":\"Urgency\",\"priority\":\"Priority\"},"
         "\"states\":{\"Open\":\"new\",\"Pending vendor\":\"pending_vendor\",\"Resolved\":\"resolved\","
         "\"Closed\":\"closed\",\"Reopen\":\"in_progress\"}}"},
        {"bpi2014-interactions",
         "{\"shape\":\"table\",\"separator\":\";\",\"time_format\":\"dmy\",\"effort_unit\":\"seconds\","
         "\"columns\":{\"id\":\"Interaction ID\",\"state\":\"Status\",\"impact\":\"Impact\",\"urgency\":\"Urgency\","
         "\"priority\":\"Priority\",\"category\":\"Category\",\"opened_at\":\"Open Time (First Touch)\","
         "\"closed_at\":\"Close Time\",\"fcr\":\"First Call Resolution\",\"effort\":\"Handle Time (secs)\"},"
         "\"states\":{\"Open - Linked\":\"in_progress\",\"Closed\":\"closed\"}}"},
        {"helpdesk", "{\"shape\":\"log\",\"grouped\":true,\"separator\":\",\",\"time_format\":\"ymd\","
                     "\"columns\":{\"id\":\"Case ID\",\"activity\":\"Activity\",\"at\":\"Complete Timestamp\","
                     "\"agent\":\"Resource\",\"team\":\"workgroup\",\"category\":\"product\"},"
                     "\"states\":{\"Insert ticket\":\"new\",\"Assign seriousness\":\"new\","
                     "\"Take in charge ticket\":\"in_progress\",\"Require upgrade\":\"in_progress\","
                     "\"Create SW anomaly\":\"in_progress\",\"Schedule intervention\":\"in_progress\","
                     "\"Wait\":\"pending_customer\",\"Resolve ticket\":\"resolved\",\"Closed\":\"closed\"}}"},
};

const char *const csvmap_presets[] = {"bpi2013-incidents",    "bpi2014-incidents", "bpi2014-activities",
                                      "bpi2014-interactions", "helpdesk",          NULL};

const char *csvmap_preset_json(const char *name)
{
	for (size_t i = 0; name && i < ELEMENTSOF(presets); i++)
		if (strcmp(presets[i].name, name) == 0)
			return presets[i].json;
	return NULL;
}

/* ---- mapping ---- */

static int map_err(struct lserr *e, json_t *root, struct csvmap *m, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static int map_err(struct lserr *e, json_t *root, struct csvmap *m, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_decref(root);
	csvmap_free(m);
	return lserr_set(e, -EINVAL, "invalid_field", "mapping", "mapping: %s", msg);
}

static int parse_textmap(struct csvmap *m, json_t *obj, bool states, struct textmap **ret, size_t *ret_n, char *why,
                         size_t whylen)
{
	size_t n = json_object_size(obj), i = 0;
	struct textmap *tm = arena_alloc(&m->arena, (n ? n : 1) * sizeof(*tm));
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v)
	{
		int x;
		if (states) {
			if (!json_is_string(v) || (x = ticket_state_from_string(json_string_value(v))) < 0) {
				snprintf(why, whylen,
				         "states: '%.40s' is not a state (new, assigned, in_progress, "
				         "pending_customer, pending_vendor, resolved, closed)",
				         k);
				return -EINVAL;
			}
		} else {
			if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 5) {
				snprintf(why, whylen, "levels: '%.40s' must map to a number 1 to 5", k);
				return -EINVAL;
			}
			x = (int)json_integer_value(v);
		}
		tm[i].text = arena_strdup(&m->arena, k);
		tm[i].value = x;
		i++;
	}
	*ret = tm;
	*ret_n = i;
	return 0;
}

int csvmap_parse(const char *text, size_t n, struct csvmap **ret, struct lserr *e)
{
	json_error_t je;
	json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return lserr_set(e, -EINVAL, "invalid_field", "mapping", "mapping: not JSON (line %d: %s)", je.line,
		                 je.text);
	struct csvmap *m = xcalloc(1, sizeof(*m));
	arena_init(&m->arena);
	m->log = false;
	m->grouped = true;
	m->type = TICKET_TYPE_INCIDENT;
	m->effort_factor = 1;
	if (!json_is_object(root))
		return map_err(e, root, m, "expected an object");
	const char *k;
	json_t *v;
	bool shape = false;
	char why[160];
	json_object_foreach(root, k, v)
	{
		const char *s = json_is_string(v) ? json_string_value(v) : NULL;
		if (strcmp(k, "shape") == 0) {
			if (!s || (strcmp(s, "log") != 0 && strcmp(s, "table") != 0))
				return map_err(e, root, m, "shape must be \"log\" or \"table\"");
			m->log = strcmp(s, "log") == 0;
			shape = true;
		} else if (strcmp(k, "grouped") == 0) {
			if (!json_is_boolean(v))
				return map_err(e, root, m, "grouped must be true or false");
			m->grouped = json_is_true(v);
		} else if (strcmp(k, "separator") == 0) {
			if (!s || strlen(s) != 1 || (s[0] != ',' && s[0] != ';' && s[0] != '\t'))
				return map_err(e, root, m, "separator must be \",\", \";\" or \"\\t\"");
			m->sep = s[0];
		} else if (strcmp(k, "time_format") == 0) {
			if (s && strcmp(s, "dmy") == 0)
				m->tf = TF_DMY;
			else if (s && strcmp(s, "mdy") == 0)
				m->tf = TF_MDY;
			else if (s && (strcmp(s, "ymd") == 0 || strcmp(s, "iso8601") == 0))
				m->tf = TF_YMD;
			else
				return map_err(e, root, m, "time_format must be dmy, mdy, ymd or iso8601");
		} else if (strcmp(k, "type") == 0) {
			int t = s ? ticket_type_from_string(s) : -1;
			if (t < 0)
				return map_err(e, root, m,
				               "type must be incident, problem, service_request or complaint");
			m->type = t;
		} else if (strcmp(k, "effort_unit") == 0) {
			if (s && strcmp(s, "hours") == 0)
				m->effort_factor = 60;
			else if (s && strcmp(s, "minutes") == 0)
				m->effort_factor = 1;
			else if (s && strcmp(s, "seconds") == 0)
				m->effort_factor = 1.0 / 60;
			else
				return map_err(e, root, m, "effort_unit must be hours, minutes or seconds");
		} else if (strcmp(k, "columns") == 0) {
			if (!json_is_object(v))
				return map_err(e, root, m, "columns must be an object");
			const char *rk;
			json_t *rv;
			json_object_foreach(v, rk, rv)
			{
				int r = 0;
				while (r < _R_MAX && strcmp(role_names[r], rk) != 0)
					r++;
				if (r == _R_MAX)
					return map_err(e, root, m, "columns: unknown role '%.40s'", rk);
				if (!json_is_string(rv) || !*json_string_value(rv))
					return map_err(e, root, m, "columns: %s must name a header column", rk);
				m->col[r] = arena_strdup(&m->arena, json_string_value(rv));
			}
		} else if (strcmp(k, "states") == 0 || strcmp(k, "levels") == 0) {
			bool st = k[0] == 's';
			if (!json_is_object(v))
				return map_err(e, root, m, "%s must be an object", k);
			if (parse_textmap(m, v, st, st ? &m->states : &m->levels, st ? &m->n_states : &m->n_levels, why,
			                  sizeof(why)) < 0)
				return map_err(e, root, m, "%s", why);
		} else {
			return map_err(e, root, m, "unknown key '%.40s'", k);
		}
	}
	if (!shape)
		return map_err(e, root, m, "shape is required (\"log\" or \"table\")");
	if (!m->col[R_ID])
		return map_err(e, root, m, "columns: id is required");
	if (m->log && !m->col[R_AT])
		return map_err(e, root, m, "columns: at (the instant of each row) is required for a log");
	json_decref(root);
	*ret = m;
	return 0;
}

int csvmap_load(const char *name_or_path, struct csvmap **ret, struct lserr *e)
{
	const char *js = csvmap_preset_json(name_or_path);
	if (js)
		return csvmap_parse(js, strlen(js), ret, e);
	FILE *f = fopen(name_or_path, "rb");
	if (!f)
		return lserr_set(e, -ENOENT, "invalid_field", "mapping",
		                 "mapping '%.200s' is neither a preset nor a readable file", name_or_path);
	char *buf = xmalloc(LS_MAX_IMPORT_MAPPING_BYTES + 1);
	size_t n = fread(buf, 1, LS_MAX_IMPORT_MAPPING_BYTES + 1, f);
	bool err = ferror(f);
	fclose(f);
	int rc;
	if (err)
		rc = lserr_set(e, -EIO, "invalid_field", "mapping", "cannot read mapping '%.200s'", name_or_path);
	else if (n > LS_MAX_IMPORT_MAPPING_BYTES)
		rc = lserr_set(e, -EINVAL, "invalid_field", "mapping", "mapping '%.200s' is larger than %d bytes",
		               name_or_path, LS_MAX_IMPORT_MAPPING_BYTES);
	else
		rc = csvmap_parse(buf, n, ret, e);
	xfree(buf);
	return rc;
}

void csvmap_free(struct csvmap *m)
{
	if (!m)
		return;
	arena_release(&m->arena);
	xfree(m);
}

char csvmap_separator(const struct csvmap *m)
{
	return m->sep;
}

/* ---- import ---- */

struct crow {
	const char **f; /* _R_MAX values, NULL when missing or unmapped */
	ls_time t[_T_MAX];
	unsigned line;
	int32_t next; /* ungrouped: next row of the same case, -1 none */
};

struct ccase {
	int32_t first, last;
	uint32_t n;
};

/* Open addressing: key → index (into cases; grouped logs and tables use it as a set). */
struct strmap {
	char **key;
	int32_t *val;
	size_t cap, n;
};

struct run {
	const struct csvmap *m;
	struct csv_reader *r;
	const struct import_options *o;
	const struct import_sink *sink;
	struct lserr *e;
	struct import_stats st;
	enum value_date_order order;
	int idx[_R_MAX];
	size_t ncols;
	struct arena rows_arena; /* kept fields */
	struct arena keys;       /* strmap keys */
	struct crow *rows;
	size_t n, cap;
	struct ccase *cases;
	size_t n_cases, cap_cases;
	struct strmap ids;
	struct crow **sorted;
	size_t cap_sorted;
	struct rec_pause_track pauses; /* of the current case */
	char reason[256];
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int32_t *strmap_find(const struct strmap *sm, const char *s)
{
	if (!sm->cap)
		return NULL;
	size_t j = hash_str(s) & (sm->cap - 1);
	while (sm->key[j]) {
		if (strcmp(sm->key[j], s) == 0)
			return &sm->val[j];
		j = (j + 1) & (sm->cap - 1);
	}
	return NULL;
}

/* Adds s (not present) with value v. */
static void strmap_add(struct strmap *sm, struct arena *a, const char *s, int32_t v)
{
	if (2 * (sm->n + 1) > sm->cap) {
		size_t ncap = sm->cap ? sm->cap * 2 : 1024;
		char **nkey = xcalloc(ncap, sizeof(*nkey));
		int32_t *nval = xcalloc(ncap, sizeof(*nval));
		for (size_t i = 0; i < sm->cap; i++)
			if (sm->key[i]) {
				size_t j = hash_str(sm->key[i]) & (ncap - 1);
				while (nkey[j])
					j = (j + 1) & (ncap - 1);
				nkey[j] = sm->key[i];
				nval[j] = sm->val[i];
			}
		xfree(sm->key);
		xfree(sm->val);
		sm->key = nkey;
		sm->val = nval;
		sm->cap = ncap;
	}
	size_t j = hash_str(s) & (sm->cap - 1);
	while (sm->key[j])
		j = (j + 1) & (sm->cap - 1);
	sm->key[j] = arena_strdup(a, s);
	sm->val[j] = v;
	sm->n++;
}

static int bad_row(struct run *u, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad_row(struct run *u, unsigned line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = import_vbad_row(u->o, u->sink, &u->st, u->e, csv_name(u->r), line, u->reason, sizeof(u->reason), fmt,
	                        ap);
	va_end(ap);
	return r;
}

static int header(struct run *u)
{
	struct csv_row row;
	int rc = csv_next(u->r, &row, u->e);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return lserr_set(u->e, -EINVAL, "invalid_file", "file", "%s: empty file, expected a header line",
		                 csv_name(u->r));
	for (int c = 0; c < _R_MAX; c++) {
		u->idx[c] = -1;
		const char *want = u->m->col[c];
		if (!want)
			continue;
		while (*want == ' ')
			want++;
		size_t wl = strlen(want);
		while (wl && want[wl - 1] == ' ')
			wl--;
		for (size_t i = 0; i < row.n && u->idx[c] < 0; i++) {
			const char *h = row.fields[i];
			while (*h == ' ')
				h++;
			size_t hl = strlen(h);
			while (hl && h[hl - 1] == ' ')
				hl--;
			if (hl == wl && strncasecmp(h, want, wl) == 0)
				u->idx[c] = (int)i;
		}
		if (u->idx[c] < 0)
			return lserr_set(u->e, -EINVAL, "invalid_file", "file",
			                 "%s:%u: no column '%.80s' (mapped as %s); the mapping does not fit this file",
			                 csv_name(u->r), row.line, u->m->col[c], role_names[c]);
	}
	u->ncols = row.n;
	return 0;
}

static int textmap_find(const struct textmap *tm, size_t n, const char *s)
{
	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(tm[i].text, s) == 0)
			return tm[i].value;
	return -1;
}

static int level(const struct csvmap *m, const char *v)
{
	int x;
	if (!v)
		return 0;
	if (value_int(v, true, 1, 5, &x) == 0)
		return x;
	x = textmap_find(m->levels, m->n_levels, v);
	return x > 0 ? x : 0;
}

static int count(const char *v)
{
	int x;
	return v && value_int(v, false, 0, 1000000, &x) == 0 ? x : REC_UNKNOWN;
}

static int flag(const char *v)
{
	bool b;
	return v && value_bool(v, &b) == 0 ? b : REC_UNKNOWN;
}

/* The canonical state a row names, or -1. */
static int row_state(const struct csvmap *m, const struct crow *s)
{
	int k = textmap_find(m->states, m->n_states, s->f[R_STATE]);
	if (k < 0 && !s->f[R_STATE])
		k = textmap_find(m->states, m->n_states, s->f[R_ACTIVITY]);
	return k;
}

static bool is_done(int k)
{
	return k == TICKET_STATE_RESOLVED || k == TICKET_STATE_CLOSED;
}

static void fill_common(struct run *u, const struct crow *s, struct rec_ticket *t)
{
	const struct csvmap *m = u->m;
	t->source = "csv";
	t->source_id = s->f[R_ID];
	t->number = s->f[R_NUMBER] ? s->f[R_NUMBER] : s->f[R_ID];
	t->type = m->type;
	t->client = u->o->client;
	t->line = s->line;
}

static double effort(const struct csvmap *m, const char *v)
{
	double d;
	if (!v || value_double(v, 0, 1e12, &d) < 0)
		return NAN;
	return d * m->effort_factor;
}

static int emit_ticket(struct run *u, const struct rec_ticket *t)
{
	int rc;
	if (u->sink->ticket && (rc = u->sink->ticket(u->sink->ctx, t)) < 0)
		return rc;
	u->st.tickets++;
	return 0;
}

static int emit_event(struct run *u, const struct rec_event *ev)
{
	int rc;
	if (u->sink->event && (rc = u->sink->event(u->sink->ctx, ev)) < 0)
		return rc;
	u->st.events++;
	return 0;
}

static int table_ticket(struct run *u, const struct crow *s)
{
	const struct csvmap *m = u->m;
	struct rec_ticket t;
	rec_ticket_init(&t);
	fill_common(u, s, &t);
	t.title = s->f[R_TITLE];
	t.state = s->f[R_STATE] ? s->f[R_STATE] : s->f[R_ACTIVITY];
	int k = row_state(m, s);
	t.state_canon = k >= 0 ? (enum ticket_state)k : _TICKET_STATE_INVALID;
	t.priority = level(m, s->f[R_PRIORITY]);
	t.impact = level(m, s->f[R_IMPACT]);
	t.urgency = level(m, s->f[R_URGENCY]);
	t.category = s->f[R_CATEGORY];
	t.ci = s->f[R_CI];
	t.symptom = s->f[R_SYMPTOM];
	t.channel = s->f[R_CHANNEL];
	t.team = s->f[R_TEAM];
	t.agent = s->f[R_AGENT];
	t.opened_at = s->t[T_OPENED] ? s->t[T_OPENED] : s->t[T_AT];
	t.resolved_at = t.first_resolved_at = s->t[T_RESOLVED];
	t.closed_at = s->t[T_CLOSED];
	t.reopened_at = s->t[T_REOPENED];
	if (u->idx[R_REOPENS] >= 0)
		t.reopen_count = count(s->f[R_REOPENS]);
	else if (u->idx[R_REOPENED_AT] >= 0)
		t.reopen_count = t.reopened_at ? 1 : 0;
	if (t.reopened_at && t.resolved_at && t.reopened_at < t.resolved_at)
		t.first_resolved_at = REC_TIME_NONE; /* the first resolution is before the reopen, not known */
	t.reassignment_count = count(s->f[R_REASSIGN]);
	t.made_sla = flag(s->f[R_MADE_SLA]);
	t.fcr_flag = flag(s->f[R_FCR]);
	t.effort_minutes = effort(m, s->f[R_EFFORT]);
	double d;
	if (s->f[R_CSAT] && value_double(s->f[R_CSAT], 1, 5, &d) == 0)
		t.csat = d;
	int rc = emit_ticket(u, &t);
	if (rc < 0 || !u->o->events)
		return rc;
	struct rec_event ev = {
	        .ticket = t.source_id, .at = t.opened_at, .field = "created", .new_value = t.state, .line = s->line};
	if (ev.at && (rc = emit_event(u, &ev)) < 0)
		return rc;
	static const char *const names[] = {"resolved", "closed"};
	ls_time when[] = {t.resolved_at, t.closed_at};
	for (size_t i = 0; i < 2; i++) {
		if (!when[i])
			continue;
		ev = (struct rec_event){
		        .ticket = t.source_id, .at = when[i], .field = "state", .new_value = names[i], .line = s->line};
		if ((rc = emit_event(u, &ev)) < 0)
			return rc;
	}
	return 0;
}

static int cmp_at(const void *a, const void *b)
{
	const struct crow *x = *(const struct crow *const *)a, *y = *(const struct crow *const *)b;
	if (x->t[T_AT] != y->t[T_AT])
		return x->t[T_AT] < y->t[T_AT] ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Folds the rows of one case (rs[0..n), any order) into its ticket and events. */
static int log_case(struct run *u, struct crow **rs, size_t n)
{
	const struct csvmap *m = u->m;
	qsort(rs, n, sizeof(*rs), cmp_at);
	struct rec_ticket t;
	rec_ticket_init(&t);
	fill_common(u, rs[n - 1], &t);
	t.opened_at = rs[0]->t[T_OPENED] ? rs[0]->t[T_OPENED] : rs[0]->t[T_AT];
	int cur = -1, waits = 0, reopens = 0, reassign = 0, escal = 0;
	ls_time closed_entry = 0;
	const char *agent = NULL, *team = NULL;
	rec_pause_track_reset(&u->pauses);
	for (size_t i = 0; i < n; i++) {
		const struct crow *s = rs[i];
		int k = row_state(m, s);
		if (k >= 0) {
			rec_pause_track_state(&u->pauses, s->t[T_AT], ticket_state_is_pending((enum ticket_state)k));
			if (is_done(k) && !is_done(cur)) {
				if (!t.first_resolved_at)
					t.first_resolved_at = s->t[T_AT];
				t.resolved_at = s->t[T_AT];
			}
			if (k == TICKET_STATE_CLOSED && cur != TICKET_STATE_CLOSED)
				closed_entry = s->t[T_AT];
			if (!is_done(k) && t.first_resolved_at && is_done(cur)) {
				reopens++;
				if (!t.reopened_at)
					t.reopened_at = s->t[T_AT];
			}
			if (ticket_state_is_pending((enum ticket_state)k) &&
			    (cur < 0 || !ticket_state_is_pending((enum ticket_state)cur)))
				waits++;
			cur = k;
			t.state_canon = (enum ticket_state)k;
		}
		/* last known values */
		if (s->f[R_STATE] || s->f[R_ACTIVITY])
			t.state = s->f[R_STATE] ? s->f[R_STATE] : s->f[R_ACTIVITY];
		/* who works the case while it is open; resolving, closing and rows after
		 * that are no hand-over */
		bool open = !is_done(cur);
		if (s->f[R_AGENT] && (open || !agent)) {
			if (agent && strcmp(agent, s->f[R_AGENT]) != 0)
				reassign++;
			agent = s->f[R_AGENT];
		}
		if (s->f[R_TEAM] && (open || !team)) {
			if (team && strcmp(team, s->f[R_TEAM]) != 0) {
				escal++;
				if (u->idx[R_AGENT] < 0)
					reassign++;
			}
			team = s->f[R_TEAM];
		}
		if (s->f[R_TITLE])
			t.title = s->f[R_TITLE];
		if (s->f[R_PRIORITY] && level(m, s->f[R_PRIORITY]))
			t.priority = level(m, s->f[R_PRIORITY]);
		if (s->f[R_IMPACT] && level(m, s->f[R_IMPACT]))
			t.impact = level(m, s->f[R_IMPACT]);
		if (s->f[R_URGENCY] && level(m, s->f[R_URGENCY]))
			t.urgency = level(m, s->f[R_URGENCY]);
		if (s->f[R_CATEGORY])
			t.category = s->f[R_CATEGORY];
		if (s->f[R_CI])
			t.ci = s->f[R_CI];
		if (s->f[R_SYMPTOM])
			t.symptom = s->f[R_SYMPTOM];
		if (s->f[R_CHANNEL])
			t.channel = s->f[R_CHANNEL];
		if (s->f[R_REASSIGN] && count(s->f[R_REASSIGN]) >= 0)
			t.reassignment_count = count(s->f[R_REASSIGN]);
		if (s->f[R_MADE_SLA] && flag(s->f[R_MADE_SLA]) >= 0)
			t.made_sla = flag(s->f[R_MADE_SLA]);
		if (s->f[R_FCR] && flag(s->f[R_FCR]) >= 0)
			t.fcr_flag = flag(s->f[R_FCR]);
		if (s->f[R_EFFORT] && !isnan(effort(m, s->f[R_EFFORT])))
			t.effort_minutes = effort(m, s->f[R_EFFORT]);
		double d;
		if (s->f[R_CSAT] && value_double(s->f[R_CSAT], 1, 5, &d) == 0)
			t.csat = d;
		if (s->t[T_RESOLVED])
			t.resolved_at = s->t[T_RESOLVED];
		if (s->t[T_CLOSED])
			closed_entry = s->t[T_CLOSED];
	}
	t.team = team;
	t.agent = agent;
	if (t.reassignment_count == REC_UNKNOWN)
		t.reassignment_count = reassign;
	t.group_escalations = escal;
	if (u->idx[R_STATE] >= 0 || (u->idx[R_ACTIVITY] >= 0 && m->n_states)) {
		t.wait_count = waits;
		t.reopen_count = reopens;
		t.pauses = u->pauses.v;
		t.n_pauses = (int)u->pauses.n;
		if (cur == TICKET_STATE_CLOSED)
			t.closed_at = closed_entry;
	}
	if (u->idx[R_REOPENS] >= 0 && count(rs[n - 1]->f[R_REOPENS]) >= 0)
		t.reopen_count = count(rs[n - 1]->f[R_REOPENS]);
	if (!is_done(cur) && cur >= 0)
		t.resolved_at = u->idx[R_RESOLVED_AT] >= 0 ? t.resolved_at : REC_TIME_NONE;
	t.line = rs[n - 1]->line;
	int rc = emit_ticket(u, &t);
	if (rc < 0 || !u->o->events)
		return rc;
	const char *prev = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct crow *s = rs[i];
		const char *what = s->f[R_ACTIVITY] ? s->f[R_ACTIVITY] : s->f[R_STATE];
		struct rec_event ev = {.ticket = t.source_id,
		                       .at = s->t[T_AT],
		                       .field = "activity",
		                       .old_value = prev,
		                       .new_value = what,
		                       .actor = s->f[R_AGENT],
		                       .line = s->line};
		if ((rc = emit_event(u, &ev)) < 0)
			return rc;
		prev = what;
	}
	return 0;
}

static int flush_grouped(struct run *u)
{
	if (u->n == 0)
		return 0;
	if (u->cap_sorted < u->n) {
		u->cap_sorted = u->cap;
		u->sorted = xrealloc(u->sorted, u->cap_sorted * sizeof(*u->sorted));
	}
	for (size_t i = 0; i < u->n; i++)
		u->sorted[i] = &u->rows[i];
	int rc = log_case(u, u->sorted, u->n);
	if (rc < 0)
		return rc;
	strmap_add(&u->ids, &u->keys, u->rows[0].f[R_ID], 0);
	u->n = 0;
	arena_reset(&u->rows_arena);
	return 0;
}

static int flush_ungrouped(struct run *u)
{
	for (size_t c = 0; c < u->n_cases; c++) {
		const struct ccase *k = &u->cases[c];
		if (u->cap_sorted < k->n) {
			u->cap_sorted = k->n;
			u->sorted = xrealloc(u->sorted, u->cap_sorted * sizeof(*u->sorted));
		}
		size_t n = 0;
		for (int32_t i = k->first; i >= 0; i = u->rows[i].next)
			u->sorted[n++] = &u->rows[i];
		int rc = log_case(u, u->sorted, n);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static bool all_empty(const struct csv_row *row)
{
	for (size_t i = 0; i < row->n; i++)
		for (const char *p = row->fields[i]; *p; p++)
			if (*p != ' ')
				return false;
	return true;
}

static int add_row(struct run *u, const struct csv_row *row)
{
	const struct csvmap *m = u->m;
	if (all_empty(row))
		return 0;
	if (row->n != u->ncols)
		return bad_row(u, row->line, "%zu fields, the header has %zu", row->n, u->ncols);
	const char *id = value_or_null(row->fields[u->idx[R_ID]]);
	if (!id)
		return bad_row(u, row->line, "%s (the id) is missing", m->col[R_ID]);

	struct crow s = {.line = row->line, .next = -1};
	for (int k = 0; k < _T_MAX; k++) {
		int ci = u->idx[stamp_roles[k]];
		const char *v = ci < 0 ? NULL : value_or_null(row->fields[ci]);
		if (!v) {
			if (k == T_AT && m->log)
				return bad_row(u, row->line, "%s (the instant) is missing", m->col[R_AT]);
			continue;
		}
		if (m->tf == TF_YMD && !(v[0] >= '0' && v[0] <= '9' && v[1] >= '0' && v[1] <= '9' && v[2] >= '0' &&
		                         v[2] <= '9' && v[3] >= '0' && v[3] <= '9' && (v[4] == '-' || v[4] == '/')))
			return bad_row(u, row->line, "%s: not a year-first timestamp: '%.40s'", m->col[stamp_roles[k]],
			               v);
		if (value_time(v, u->order, u->o->tz, &s.t[k]) < 0)
			return bad_row(u, row->line, "%s: not a timestamp: '%.40s'", m->col[stamp_roles[k]], v);
	}

	int rc;
	int32_t *ci = NULL;
	if (!m->log || m->grouped) {
		bool other = m->log && u->n > 0 && strcmp(id, u->rows[0].f[R_ID]) != 0;
		if ((!m->log || u->n == 0 || other) && strmap_find(&u->ids, id))
			return bad_row(u, row->line,
			               m->log ? "rows of case %s are not contiguous; this row is ignored"
			                      : "ticket %s appears twice; this row is ignored",
			               id);
		if (other && (rc = flush_grouped(u)) < 0)
			return rc;
	} else {
		ci = strmap_find(&u->ids, id);
		if (ci && u->cases[*ci].n >= LS_MAX_IMPORT_CASE_ROWS)
			return bad_row(u, row->line, "case %s has more than %d rows", id, LS_MAX_IMPORT_CASE_ROWS);
	}
	if (m->log && m->grouped && u->n == LS_MAX_IMPORT_CASE_ROWS)
		return bad_row(u, row->line, "case %s has more than %d rows", id, LS_MAX_IMPORT_CASE_ROWS);

	/* keep the mapped fields: one block */
	size_t len = 0;
	for (int c = 0; c < _R_MAX; c++)
		if (u->idx[c] >= 0)
			len += strlen(row->fields[u->idx[c]]) + 1;
	char *p = arena_alloc(&u->rows_arena, len + sizeof(*s.f) * _R_MAX);
	s.f = (const char **)(void *)p;
	p += sizeof(*s.f) * _R_MAX;
	for (int c = 0; c < _R_MAX; c++) {
		s.f[c] = NULL;
		if (u->idx[c] < 0)
			continue;
		size_t l = strlen(row->fields[u->idx[c]]) + 1;
		memcpy(p, row->fields[u->idx[c]], l);
		s.f[c] = value_or_null(p);
		p += l;
	}
	if (!m->log) {
		rc = table_ticket(u, &s);
		if (rc == 0)
			strmap_add(&u->ids, &u->keys, id, 0);
		arena_reset(&u->rows_arena);
		return rc;
	}
	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 64;
		u->rows = xrealloc(u->rows, u->cap * sizeof(*u->rows));
	}
	int32_t ri = (int32_t)u->n;
	u->rows[u->n++] = s;
	if (!m->grouped) {
		if (ci) {
			struct ccase *k = &u->cases[*ci];
			u->rows[k->last].next = ri;
			k->last = ri;
			k->n++;
		} else {
			if (u->n_cases == u->cap_cases) {
				u->cap_cases = u->cap_cases ? u->cap_cases * 2 : 1024;
				u->cases = xrealloc(u->cases, u->cap_cases * sizeof(*u->cases));
			}
			u->cases[u->n_cases] = (struct ccase){.first = ri, .last = ri, .n = 1};
			strmap_add(&u->ids, &u->keys, id, (int32_t)u->n_cases);
			u->n_cases++;
		}
	}
	return 0;
}

int csvmap_import(struct csv_reader *r, const struct csvmap *m, const struct import_options *o,
                  const struct import_sink *sink, struct import_stats *ret_stats, struct lserr *e)
{
	struct run u = {.m = m, .r = r, .o = o, .sink = sink, .e = e};
	u.order = m->tf == TF_DMY ? VALUE_DMY : m->tf == TF_MDY ? VALUE_MDY : o->date_order;
	arena_init(&u.rows_arena);
	u.rows_arena.block_size = 256 * 1024;
	arena_init(&u.keys);
	int rc = header(&u);
	while (rc == 0) {
		struct csv_row row;
		rc = csv_next(r, &row, e);
		if (rc == 0)
			break;
		if (rc == -LS_ETOOLARGE) {
			u.st.rows++;
			rc = bad_row(&u, row.line, "%s", e ? e->message : "record too long");
			continue;
		}
		if (rc < 0)
			break;
		u.st.rows++;
		if (m->log && !m->grouped && u.n >= (size_t)INT32_MAX - 1) {
			rc = lserr_set(e, -EINVAL, "invalid_file", "file", "%s: too many rows", csv_name(r));
			break;
		}
		rc = add_row(&u, &row);
	}
	if (rc == 0 && m->log)
		rc = m->grouped ? flush_grouped(&u) : flush_ungrouped(&u);
	if (rc == 0 && ret_stats)
		*ret_stats = u.st;
	xfree(u.rows);
	xfree(u.cases);
	xfree(u.sorted);
	xfree(u.ids.key);
	xfree(u.ids.val);
	arena_release(&u.keys);
	arena_release(&u.rows_arena);
	rec_pause_track_free(&u.pauses);
	return rc;
}

int csvmap_import_file(const char *path, const struct csvmap *m, const struct import_options *o,
                       const struct import_sink *sink, struct import_stats *ret_stats, struct lserr *e)
{
	struct csv_reader *r = NULL;
	int rc = csv_open_file(path, m->sep ? m->sep : o->sep, &r, e);
	if (rc < 0)
		return rc;
	rc = csvmap_import(r, m, o, sink, ret_stats, e);
	csv_close(r);
	return rc;
}
