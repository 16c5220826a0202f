/* Shift plans: inputs, run and outputs (see shiftplan.h). Room: wfm.
 *
 * Parsing keeps names (skills of templates and agents) as text until the run, when
 * the requirements have fixed the plan's skills; a template or agent skill no row
 * asks for is simply never needed. Requirement rows become cells of the grid of
 * shifts.h at the run, because the default row length may be inferred from all rows:
 * the smallest gap between two distinct starts of one skill.
 *
 * Local times: a requirement start without an offset is wall-clock time of the plan's
 * zone. A time in the spring gap does not exist and its row is ignored; a time in the
 * autumn overlap means its first occurrence unless that interval is already taken by
 * an earlier row, then the second (a forecast lists the repeated hour twice, in
 * order). Bounds come from core/limits.h and are checked before allocating. */
#include "wfm/shiftplan.h"

#include <jansson.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/hours.h"
#include "core/alloc.h"
#include "core/limits.h"
#include "core/parse.h"
#include "sla/duration.h"
#include "wfm/ical.h"

#define DEFAULT_TZ         "Europe/Berlin"
#define DEFAULT_TIME_LIMIT 10.0

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int bad(struct lserr *e, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(struct lserr *e, const char *field, const char *fmt, ...)
{
	char msg[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return lserr_set(e, -EINVAL, "invalid_field", field, "%s: %s", field, msg);
}

/* ---- small text parsers ---- */

static bool digits(const char *s, int n, int *ret)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*ret = v;
	return true;
}

/* "YYYY-MM-DD" (exactly) into days since 1970-01-01. */
static bool parse_date(const char *s, size_t n, int32_t *ret)
{
	int y, m, d;
	if (n != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
	    !digits(s + 8, 2, &d) || m < 1 || m > 12 || d < 1)
		return false;
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return false;
	*ret = (int32_t)time_days_from_civil(y, (unsigned)m, (unsigned)d);
	return true;
}

/* "HH:MM" into seconds after midnight (00:00 .. 23:59). */
static bool parse_hhmm(const char *s, int32_t *ret)
{
	int h, m;
	if (strlen(s) != 5 || s[2] != ':' || !digits(s, 2, &h) || !digits(s + 3, 2, &m) || h > 23 || m > 59)
		return false;
	*ret = h * 3600 + m * 60;
	return true;
}

/* A local "YYYY-MM-DDTHH:MM[:SS]" (or with a space) as local seconds; false when it
 * is not that form. */
static bool parse_local(const char *s, int64_t *ret)
{
	size_t n = strlen(s);
	int32_t day;
	int h, m, sec = 0;
	if ((n != 16 && n != 19) || (s[10] != 'T' && s[10] != ' ') || !parse_date(s, 10, &day) || s[13] != ':' ||
	    !digits(s + 11, 2, &h) || !digits(s + 14, 2, &m) || h > 23 || m > 59)
		return false;
	if (n == 19 && (s[16] != ':' || !digits(s + 17, 2, &sec) || sec > 59))
		return false;
	*ret = (int64_t)day * 86400 + h * 3600 + m * 60 + sec;
	return true;
}

/* An instant: local time of the plan's zone, or RFC 3339 with an offset. alt gets the
 * second occurrence of an ambiguous local time (else 0); *gap is set for a local time
 * that does not exist. */
static bool parse_instant(const struct shiftplan *p, const char *s, ls_time *ret, ls_time *alt, bool *gap)
{
	int64_t local;
	*alt = 0;
	*gap = false;
	if (parse_local(s, &local)) {
		ls_time t = tz_local_to_utc(p->tz, local);
		if (t + tz_offset_at(p->tz, t) != local)
			*gap = true;
		ls_time later = local - tz_offset_at(p->tz, t + 86400 / 8);
		if (later > t && later + tz_offset_at(p->tz, later) == local)
			*alt = later;
		*ret = t;
		return true;
	}
	return time_parse_rfc3339(s, ret) == 0;
}

/* "mon-fri", "mon,wed,fri-sun": a set of weekdays (bit 0 = Monday). */
static bool parse_days(const char *s, uint8_t *ret)
{
	uint8_t set = 0;
	const char *p = s;
	while (*p) {
		int a = -1, b = -1;
		for (int d = 0; d < 7; d++)
			if (strncmp(p, day_names[d], 3) == 0)
				a = d;
		if (a < 0)
			return false;
		p += 3;
		b = a;
		if (*p == '-') {
			p++;
			b = -1;
			for (int d = 0; d < 7; d++)
				if (strncmp(p, day_names[d], 3) == 0)
					b = d;
			if (b < 0)
				return false;
			p += 3;
		}
		for (int d = a;; d = (d + 1) % 7) {
			set |= (uint8_t)(1u << d);
			if (d == b)
				break;
		}
		if (*p == ',')
			p++;
		else if (*p)
			return false;
	}
	if (!set)
		return false;
	*ret = set;
	return true;
}

/* ---- init ---- */

static void tz_cleanup(void *p)
{
	tz_free(p);
}

int shiftplan_init(struct shiftplan *p, struct arena *a, const char *tz, const char *from, int days, struct lserr *e)
{
	struct shiftplan x = {.arena = a, .time_limit = DEFAULT_TIME_LIMIT, .tz_name = tz ? tz : DEFAULT_TZ};
	if (!from || !parse_date(from, strlen(from), &x.first_day))
		return lserr_set(e, -EINVAL, "invalid_field", "from", "from must be a date YYYY-MM-DD, not '%s'",
		                 from ? from : "");
	int64_t y;
	unsigned m, d;
	time_civil_from_days(x.first_day, &y, &m, &d);
	if (y < HOLIDAYS_FIRST_YEAR || y > HOLIDAYS_LAST_YEAR - 2)
		return lserr_set(e, -EINVAL, "invalid_field", "from", "from must lie in %d to %d", HOLIDAYS_FIRST_YEAR,
		                 HOLIDAYS_LAST_YEAR - 2);
	if (days < 1 || days > LS_MAX_SHIFT_DAYS)
		return lserr_set(e, -EINVAL, "invalid_field", "days", "days must be 1 to %d, not %d", LS_MAX_SHIFT_DAYS,
		                 days);
	x.n_days = days;
	struct lserr te;
	lserr_clear(&te);
	if (tz_load(x.tz_name, &x.tz, &te) < 0)
		return lserr_set(e, -EINVAL, "invalid_field", "tz", "%s", te.message);
	arena_on_reset(a, tz_cleanup, x.tz);
	x.tz_name = arena_strdup(a, x.tz_name);
	*p = x;
	return 0;
}

static uint32_t skill_index(struct shiftplan *p, const char *name, bool add)
{
	for (size_t k = 0; k < p->n_skills; k++)
		if (strcmp(p->skills[k], name) == 0)
			return (uint32_t)k;
	if (!add || p->n_skills == LS_MAX_SHIFT_SKILLS)
		return UINT32_MAX;
	ARENA_PUSH(p->arena, p->skills, p->n_skills, p->cap_skills) = arena_strdup(p->arena, name);
	return (uint32_t)(p->n_skills - 1);
}

/* ---- requirements ---- */

/* Adds one row from text cells; line names it in messages. */
static int add_req(struct shiftplan *p, const char *start, const char *required, const char *skill,
                   const char *interval, unsigned line, const char *where, struct lserr *e)
{
	if (p->n_reqs >= LS_MAX_STAFFING_ROWS)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "requirements", "%s: more than %d rows", where,
		                 LS_MAX_STAFFING_ROWS);
	struct shiftplan_req r = {.line = line};
	if (!start || !*start)
		return lserr_set(e, -EINVAL, "missing_field", "start", "%s: start is missing", where);
	if (!parse_instant(p, start, &r.start, &r.alt, &r.skip))
		return lserr_set(e, -EINVAL, "invalid_field", "start",
		                 "%s: start '%.40s' is not a time: write 2026-03-02T08:00 (local) or with an offset",
		                 where, start);
	if (!required || !*required)
		return lserr_set(e, -EINVAL, "missing_field", "required", "%s: required is missing", where);
	if (parse_int(required, 0, LS_MAX_STAFFING_AGENTS, &r.required) < 0)
		return lserr_set(e, -EINVAL, "invalid_field", "required",
		                 "%s: required '%.40s' is not a whole number of agents 0 to %d", where, required,
		                 LS_MAX_STAFFING_AGENTS);
	if (interval && *interval) {
		int v;
		if (parse_int(interval, SHIFTS_SLOT, 86400, &v) < 0 || v % SHIFTS_SLOT)
			return lserr_set(e, -EINVAL, "invalid_field", "interval",
			                 "%s: interval '%.40s' must be seconds in whole quarter hours (900, 1800, "
			                 "3600)",
			                 where, interval);
		r.length = v;
	}
	r.skill = skill_index(p, skill ? skill : "", true);
	if (r.skill == UINT32_MAX)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "skill", "%s: more than %d skills", where,
		                 LS_MAX_SHIFT_SKILLS);
	size_t n = p->n_reqs;
	ARENA_PUSH(p->arena, p->reqs, n, p->cap_reqs) = r;
	p->n_reqs = n;
	return 0;
}

enum col { C_START, C_REQUIRED, C_SKILL, C_INTERVAL, _C_MAX };
static const char *const col_names[_C_MAX] = {"start", "required", "skill", "interval"};

/* One CSV record from text at *pos into fields (arena strings). Returns 1, 0 at the
 * end, -EINVAL for an unterminated quote. *line is the record's first line. */
static int csv_record(struct arena *a, const char *text, size_t len, size_t *pos, unsigned *lineno, char sep,
                      char **fields, size_t max, size_t *ret_n, unsigned *ret_line)
{
	size_t i = *pos;
	/* skip blank lines */
	while (i < len && (text[i] == '\n' || text[i] == '\r')) {
		if (text[i] == '\n')
			(*lineno)++;
		i++;
	}
	if (i >= len) {
		*pos = i;
		return 0;
	}
	*ret_line = *lineno;
	struct strbuf f = STRBUF_INIT_MAX(LS_MAX_STAFFING_FIELD_BYTES);
	size_t n = 0;
	bool quoted = false, end = false;
	int r = 1;
	while (!end) {
		if (i >= len) {
			if (quoted) {
				r = -EINVAL;
				break;
			}
			end = true;
		} else if (quoted) {
			char c = text[i++];
			if (c == '"') {
				if (i < len && text[i] == '"') {
					strbuf_addch(&f, '"');
					i++;
				} else {
					quoted = false;
				}
			} else {
				if (c == '\n')
					(*lineno)++;
				strbuf_addch(&f, c);
			}
			continue;
		} else if (text[i] == '"' && f.len == 0) {
			quoted = true;
			i++;
			continue;
		} else if (text[i] == sep) {
			i++;
		} else if (text[i] == '\r' || text[i] == '\n') {
			if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
				i++;
			i++;
			(*lineno)++;
			end = true;
		} else {
			strbuf_addch(&f, text[i++]);
			continue;
		}
		if (!strbuf_ok(&f)) {
			r = -LS_ETOOLARGE;
			break;
		}
		if (n < max)
			fields[n] = arena_strndup(a, f.buf, f.len);
		n++;
		strbuf_reset(&f);
	}
	strbuf_release(&f);
	*pos = i;
	*ret_n = n;
	return r;
}

static void trim(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	size_t k = 0;
	while (s[k] == ' ' || s[k] == '\t')
		k++;
	if (k)
		memmove(s, s + k, n - k + 1);
}

int shiftplan_requirements_csv(struct shiftplan *p, const char *text, size_t len, struct lserr *e)
{
	if (len > LS_MAX_SHIFT_FILE_BYTES)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "requirements", "larger than %d bytes",
		                 LS_MAX_SHIFT_FILE_BYTES);
	size_t pos = 0;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	/* separator: ';' when the header line has one and no ',' */
	char sep = ',';
	size_t eol = pos;
	while (eol < len && text[eol] != '\n')
		eol++;
	if (memchr(text + pos, ';', eol - pos) && !memchr(text + pos, ',', eol - pos))
		sep = ';';
	unsigned lineno = 1, line = 0;
	char *fields[16];
	size_t n;
	int r = csv_record(p->arena, text, len, &pos, &lineno, sep, fields, 16, &n, &line);
	if (r == 0)
		return lserr_set(e, -EINVAL, "missing_field", "start", "no header row: the file is empty");
	if (r < 0 || n > 16)
		return lserr_set(e, r < 0 ? r : -EINVAL, "invalid_field", "requirements", "line %u: bad header row",
		                 line);
	int idx[_C_MAX] = {-1, -1, -1, -1};
	for (size_t i = 0; i < n; i++) {
		trim(fields[i]);
		for (char *c = fields[i]; *c; c++)
			*c = (*c >= 'A' && *c <= 'Z') ? (char)(*c - 'A' + 'a') : *c == '-' || *c == ' ' ? '_' : *c;
		int c = -1;
		for (int k = 0; k < _C_MAX; k++)
			if (strcmp(fields[i], col_names[k]) == 0)
				c = k;
		if (strcmp(fields[i], "queue") == 0)
			c = C_SKILL;
		if (c < 0)
			return lserr_set(e, -EINVAL, "unknown_field", fields[i],
			                 "line %u: unknown column '%.40s'; the columns are start, required, skill "
			                 "(or queue) and interval",
			                 line, fields[i]);
		if (idx[c] >= 0)
			return lserr_set(e, -EINVAL, "invalid_field", col_names[c],
			                 "line %u: column %s given twice (skill and queue are one column)", line,
			                 col_names[c]);
		idx[c] = (int)i;
	}
	for (int c = 0; c < 2; c++)
		if (idx[c] < 0)
			return lserr_set(e, -EINVAL, "missing_field", col_names[c], "line %u: no column '%s'", line,
			                 col_names[c]);
	size_t ncols = n;
	for (;;) {
		r = csv_record(p->arena, text, len, &pos, &lineno, sep, fields, 16, &n, &line);
		if (r == 0)
			break;
		if (r < 0)
			return lserr_set(e, r, "invalid_field", "requirements",
			                 r == -LS_ETOOLARGE ? "line %u: a field is longer than the limit"
			                                    : "line %u: a quote is not closed",
			                 line);
		if (n != ncols)
			return lserr_set(e, -EINVAL, "invalid_field", "requirements",
			                 "line %u: %zu fields, the header has %zu", line, n, ncols);
		const char *cell[_C_MAX] = {0};
		for (int c = 0; c < _C_MAX; c++)
			if (idx[c] >= 0) {
				trim(fields[idx[c]]);
				cell[c] = fields[idx[c]];
			}
		char where[32];
		snprintf(where, sizeof(where), "line %u", line);
		r = add_req(p, cell[C_START], cell[C_REQUIRED], cell[C_SKILL], cell[C_INTERVAL], line, where, e);
		if (r < 0)
			return r;
	}
	return 0;
}

int shiftplan_requirements_json(struct shiftplan *p, json_t *v, const char *path, struct lserr *e)
{
	p->json_rows = true;
	if (!json_is_array(v))
		return bad(e, path, "must be an array of {\"start\", \"required\"}");
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *o = json_array_get(v, i);
		char where[96];
		snprintf(where, sizeof(where), "%s[%zu]", path, i);
		if (!json_is_object(o))
			return bad(e, where, "must be an object");
		const char *key;
		json_t *x;
		char cells[4][48] = {"", "", "", ""};
		bool have[4] = {false, false, false, false};
		json_object_foreach(o, key, x)
		{
			int c = -1;
			for (int k = 0; k < _C_MAX; k++)
				if (strcmp(key, col_names[k]) == 0)
					c = k;
			char f[160];
			snprintf(f, sizeof(f), "%.90s.%.60s", where, key);
			if (c < 0)
				return lserr_set(
				        e, -EINVAL, "unknown_field", f,
				        "%s: unknown field; a requirement has start, required, skill, interval", f);
			if (c == C_START || c == C_SKILL) {
				if (!json_is_string(x) || json_string_length(x) >= sizeof(cells[0]))
					return bad(e, f, "must be a string of at most %zu bytes", sizeof(cells[0]) - 1);
				snprintf(cells[c], sizeof(cells[c]), "%s", json_string_value(x));
			} else {
				if (!json_is_integer(x))
					return bad(e, f, "must be a whole number");
				snprintf(cells[c], sizeof(cells[c]), "%lld", (long long)json_integer_value(x));
			}
			have[c] = true;
		}
		int r = add_req(p, have[C_START] ? cells[C_START] : NULL, have[C_REQUIRED] ? cells[C_REQUIRED] : NULL,
		                cells[C_SKILL], have[C_INTERVAL] ? cells[C_INTERVAL] : NULL, (unsigned)i + 1, where, e);
		if (r < 0) {
			char f[160];
			snprintf(f, sizeof(f), "%.90s.%.60s", where, e->field);
			snprintf(e->field, sizeof(e->field), "%.63s", f);
			return r;
		}
	}
	return 0;
}

/* ---- JSON helpers ---- */

int shiftplan_parse_json(const char *text, size_t len, json_t **ret, struct lserr *e)
{
	if (len > LS_MAX_SHIFT_FILE_BYTES)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_json", NULL, "larger than %d bytes",
		                 LS_MAX_SHIFT_FILE_BYTES);
	json_error_t je;
	json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!v)
		return lserr_set(e, -EINVAL, "invalid_json", NULL, "line %d, column %d: %s", je.line, je.column,
		                 je.text);
	*ret = v;
	return 0;
}

/* The array itself, or the array under `key` of an object holding only that key. */
static json_t *list_of(json_t *v, const char *key)
{
	if (json_is_object(v) && json_object_size(v) == 1)
		v = json_object_get(v, key);
	return json_is_array(v) ? v : NULL;
}

static int get_string(json_t *x, const char *f, size_t max, const char **ret, struct arena *a, struct lserr *e)
{
	if (!json_is_string(x) || json_string_length(x) == 0 || json_string_length(x) > max)
		return bad(e, f, "must be a non-empty string of at most %zu bytes", max);
	*ret = arena_strdup(a, json_string_value(x));
	return 0;
}

static int get_names(json_t *x, const char *f, const char ***ret, size_t *ret_n, struct arena *a, struct lserr *e)
{
	if (!json_is_array(x) || json_array_size(x) > LS_MAX_SHIFT_LIST)
		return bad(e, f, "must be an array of at most %d names", LS_MAX_SHIFT_LIST);
	size_t n = json_array_size(x);
	const char **v = arena_alloc(a, (n ? n : 1) * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		char g[176];
		snprintf(g, sizeof(g), "%.150s[%zu]", f, i);
		int r = get_string(json_array_get(x, i), g, LS_MAX_NAME_BYTES, &v[i], a, e);
		if (r < 0)
			return r;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

static int get_duration(json_t *x, const char *f, int32_t *ret, struct lserr *e)
{
	if (!json_is_string(x))
		return bad(e, f, "must be a duration such as \"8h\", \"8h30m\" or \"30m\"");
	int64_t s;
	struct lserr de;
	lserr_clear(&de);
	if (duration_parse(json_string_value(x), f, &s, &de) < 0 || s > 86400)
		return bad(e, f, "'%.40s' is not a duration of at most 24h such as \"8h30m\" or \"30m\"",
		           json_string_value(x));
	*ret = (int32_t)s;
	return 0;
}

/* ---- templates ---- */

static int parse_template(struct shiftplan *p, json_t *o, const char *where, struct shiftplan_template *ret,
                          struct lserr *e)
{
	struct shiftplan_template t = {.t.days = 0x7f, .t.cost = NAN};
	bool have_start = false, have_length = false;
	const char *key;
	json_t *x;
	json_object_foreach(o, key, x)
	{
		char f[160];
		snprintf(f, sizeof(f), "%.90s.%.60s", where, key);
		int r = 0;
		if (strcmp(key, "name") == 0) {
			r = get_string(x, f, LS_MAX_NAME_BYTES, &t.t.name, p->arena, e);
		} else if (strcmp(key, "start") == 0) {
			if (!json_is_string(x) || !parse_hhmm(json_string_value(x), &t.t.start))
				return bad(e, f, "must be a local time \"HH:MM\"");
			have_start = true;
		} else if (strcmp(key, "length") == 0) {
			r = get_duration(x, f, &t.t.length, e);
			have_length = true;
		} else if (strcmp(key, "breaks") == 0) {
			if (!json_is_array(x) || json_array_size(x) > SHIFTS_MAX_BREAKS)
				return bad(e, f, "must be an array of at most %d {\"after\", \"length\"}",
				           SHIFTS_MAX_BREAKS);
			for (size_t i = 0; i < json_array_size(x) && r == 0; i++) {
				json_t *b = json_array_get(x, i);
				char g[176];
				snprintf(g, sizeof(g), "%.150s[%zu]", f, i);
				if (!json_is_object(b))
					return bad(e, g, "must be an object {\"after\", \"length\"}");
				const char *k2;
				json_t *y;
				int32_t after = -1, len = -1;
				json_object_foreach(b, k2, y)
				{
					char h[200];
					snprintf(h, sizeof(h), "%.150s.%.40s", g, k2);
					if (strcmp(k2, "after") == 0)
						r = get_duration(y, h, &after, e);
					else if (strcmp(k2, "length") == 0)
						r = get_duration(y, h, &len, e);
					else
						return lserr_set(e, -EINVAL, "unknown_field", h,
						                 "%s: unknown field; a break has after and length", h);
					if (r < 0)
						return r;
				}
				if (after < 0 || len < 0)
					return lserr_set(e, -EINVAL, "missing_field", g,
					                 "%s: a break needs after (time from the shift's start) and "
					                 "length",
					                 g);
				t.t.breaks[t.t.n_breaks++] = (struct arbzg_pause){after, after + len};
			}
		} else if (strcmp(key, "days") == 0) {
			if (!json_is_string(x) || !parse_days(json_string_value(x), &t.t.days))
				return bad(e, f, "must name weekdays such as \"mon-fri\" or \"mon,wed,sat-sun\"");
		} else if (strcmp(key, "cost") == 0) {
			if (!json_is_number(x) || !(json_number_value(x) > 0) || json_number_value(x) > 1e9)
				return bad(e, f, "must be a number > 0");
			t.t.cost = json_number_value(x);
		} else if (strcmp(key, "skills") == 0) {
			r = get_names(x, f, &t.skills, &t.n_skills, p->arena, e);
		} else {
			return lserr_set(e, -EINVAL, "unknown_field", f,
			                 "%s: unknown field; a template has name, start, length, breaks, days, cost, "
			                 "skills",
			                 f);
		}
		if (r < 0)
			return r;
	}
	const char *missing = !t.t.name ? "name" : !have_start ? "start" : !have_length ? "length" : NULL;
	if (missing) {
		char f[160];
		snprintf(f, sizeof(f), "%.90s.%.60s", where, missing);
		return lserr_set(e, -EINVAL, "missing_field", f, "%s: missing", f);
	}
	if (isnan(t.t.cost))
		t.t.cost = shift_template_work(&t.t) / 3600.0; /* paid hours */
	t.t.skills = ~UINT64_C(0);
	struct lserr te;
	lserr_clear(&te);
	if (shift_template_check(&t.t, &te) < 0) {
		char f[160];
		snprintf(f, sizeof(f), "%.90s.%.60s", where, te.field);
		return lserr_set(e, -EINVAL, "invalid_field", f, "%s (template '%s'): %s", f, t.t.name, te.message);
	}
	*ret = t;
	return 0;
}

int shiftplan_templates_json(struct shiftplan *p, json_t *v, const char *path, struct lserr *e)
{
	json_t *list = list_of(v, "templates");
	if (!list)
		return bad(e, path, "must be an array of templates (or {\"templates\": [...]})");
	if (json_array_size(list) > LS_MAX_SHIFT_TEMPLATES)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", path, "%s: more than %d templates", path,
		                 LS_MAX_SHIFT_TEMPLATES);
	for (size_t i = 0; i < json_array_size(list); i++) {
		char where[96];
		snprintf(where, sizeof(where), "%s[%zu]", path, i);
		json_t *o = json_array_get(list, i);
		if (!json_is_object(o))
			return bad(e, where, "must be an object");
		struct shiftplan_template t;
		int r = parse_template(p, o, where, &t, e);
		if (r < 0)
			return r;
		for (size_t k = 0; k < p->n_templates; k++)
			if (strcmp(p->templates[k].t.name, t.t.name) == 0)
				return bad(e, where, "a second template named '%s'", t.t.name);
		size_t n = p->n_templates;
		ARENA_PUSH(p->arena, p->templates, n, p->cap_templates) = t;
		p->n_templates = n;
	}
	return 0;
}

/* ---- agents ---- */

static void avail_from_hours(const struct hours *h, uint64_t *bits)
{
	memset(bits, 0, ROSTER_WEEK_WORDS * sizeof(*bits));
	for (unsigned d = 0; d < 7; d++)
		for (unsigned i = h->first[d]; i < h->first[d + 1]; i++)
			for (unsigned q = 0; q < 96; q++)
				if (q * 15u >= h->f[i].start && q * 15u + 15u <= h->f[i].end) {
					unsigned b = d * 96 + q;
					bits[b / 64] |= UINT64_C(1) << (b % 64);
				}
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

static int parse_absent(struct shiftplan *p, json_t *x, const char *f, struct roster_agent *a, struct lserr *e)
{
	if (!json_is_array(x) || json_array_size(x) > LS_MAX_SHIFT_LIST)
		return bad(e, f, "must be an array of at most %d dates or ranges", LS_MAX_SHIFT_LIST);
	size_t n = 0, cap = 0;
	int32_t *days = NULL;
	for (size_t i = 0; i < json_array_size(x); i++) {
		json_t *y = json_array_get(x, i);
		char g[176];
		snprintf(g, sizeof(g), "%.150s[%zu]", f, i);
		const char *s = json_string_value(y);
		int32_t d0, d1;
		if (!s ||
		    !(strlen(s) == 10 ? (parse_date(s, 10, &d0) && (d1 = d0, true))
		                      : strlen(s) == 22 && strncmp(s + 10, "..", 2) == 0 && parse_date(s, 10, &d0) &&
		                                parse_date(s + 12, 10, &d1)) ||
		    d1 < d0)
			return bad(e, g, "must be a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD");
		/* only the plan's days (and one either side, for night shifts) matter */
		int32_t lo = p->first_day - 1, hi = p->first_day + p->n_days;
		for (int32_t d = d0 > lo ? d0 : lo; d <= d1 && d <= hi; d++)
			ARENA_PUSH(p->arena, days, n, cap) = d;
	}
	if (n)
		qsort(days, n, sizeof(*days), cmp_i32);
	a->absent = days;
	a->n_absent = n;
	return 0;
}

static int parse_contract(json_t *x, const char *f, struct roster_agent *a, struct lserr *e)
{
	if (!json_is_object(x))
		return bad(e, f, "must be an object {\"weekly_hours\", \"sundays\", \"holidays\"}");
	bool have_hours = false;
	const char *key;
	json_t *y;
	json_object_foreach(x, key, y)
	{
		char g[176];
		snprintf(g, sizeof(g), "%.100s.%.60s", f, key);
		if (strcmp(key, "weekly_hours") == 0) {
			if (!json_is_number(y) || !(json_number_value(y) > 0) || json_number_value(y) > 60)
				return bad(e, g, "must be hours > 0 and at most 60 (6 days of 10 h, ArbZG §3)");
			a->weekly_hours = json_number_value(y);
			have_hours = true;
		} else if (strcmp(key, "sundays") == 0 || strcmp(key, "holidays") == 0) {
			if (!json_is_boolean(y))
				return bad(e, g, "must be true or false");
			*(key[0] == 's' ? &a->sundays : &a->holidays) = json_is_true(y);
		} else {
			return lserr_set(e, -EINVAL, "unknown_field", g,
			                 "%s: unknown field; a contract has weekly_hours, sundays, holidays", g);
		}
	}
	if (!have_hours) {
		char g[176];
		snprintf(g, sizeof(g), "%.150s.weekly_hours", f);
		return lserr_set(e, -EINVAL, "missing_field", g, "%s: missing", g);
	}
	return 0;
}

static int parse_agent(struct shiftplan *p, json_t *o, const char *where, struct shiftplan_agent *ret, struct lserr *e)
{
	struct shiftplan_agent ag = {0};
	struct roster_agent *a = &ag.a;
	memset(a->avail, 0xff, sizeof(a->avail));
	a->place = _HOLIDAYS_REGION_INVALID;
	bool have_contract = false;
	const char *key;
	json_t *x;
	json_object_foreach(o, key, x)
	{
		char f[160];
		snprintf(f, sizeof(f), "%.90s.%.60s", where, key);
		int r = 0;
		if (strcmp(key, "name") == 0) {
			r = get_string(x, f, LS_MAX_NAME_BYTES, &a->name, p->arena, e);
		} else if (strcmp(key, "skills") == 0) {
			r = get_names(x, f, &ag.skills, &ag.n_skills, p->arena, e);
		} else if (strcmp(key, "place_of_work") == 0) {
			const char *s = json_string_value(x);
			char buf[16];
			if (s && strlen(s) == 2) { /* "NW" for "DE-NW" */
				snprintf(buf, sizeof(buf), "DE-%s", s);
				s = buf;
			}
			a->place = s ? holidays_region_from_string(s) : _HOLIDAYS_REGION_INVALID;
			if (a->place == _HOLIDAYS_REGION_INVALID)
				return bad(e, f, "must be a German state code such as \"DE-NW\" (or \"DE\", \"none\")");
		} else if (strcmp(key, "contract") == 0) {
			r = parse_contract(x, f, a, e);
			have_contract = true;
		} else if (strcmp(key, "availability") == 0) {
			struct hours h;
			struct lserr he;
			lserr_clear(&he);
			if (!json_is_string(x))
				return bad(e, f,
				           "must be weekly hours such as \"mon-fri 07:00-20:00; sat 08:00-14:00\"");
			if (hours_parse(json_string_value(x), &h, &he) < 0)
				return bad(e, f, "%s", he.message);
			avail_from_hours(&h, a->avail);
		} else if (strcmp(key, "absent") == 0) {
			r = parse_absent(p, x, f, a, e);
		} else if (strcmp(key, "last_shift_end") == 0) {
			ls_time alt;
			bool gap;
			if (!json_is_string(x) || !parse_instant(p, json_string_value(x), &a->last_end, &alt, &gap))
				return bad(e, f,
				           "must be a time such as \"2026-03-01T22:00\" (local) or with an offset");
		} else if (strcmp(key, "history") == 0) {
			json_t *h = json_object_get(x, "hours"), *d = json_object_get(x, "days");
			if (!json_is_object(x) || json_object_size(x) != 2 || !json_is_number(h) ||
			    !json_is_integer(d) || json_number_value(h) < 0 || json_number_value(h) > 24 * 7 * 27 ||
			    json_integer_value(d) < 0 || json_integer_value(d) > 7 * 27)
				return bad(e, f,
				           "must be {\"hours\": H, \"days\": D}: work and working days of the "
				           "compensation period before the plan");
			a->prior_hours = json_number_value(h);
			a->prior_days = (int32_t)json_integer_value(d);
		} else {
			return lserr_set(e, -EINVAL, "unknown_field", f,
			                 "%s: unknown field; an agent has name, skills, place_of_work, contract, "
			                 "availability, absent, last_shift_end, history",
			                 f);
		}
		if (r < 0)
			return r;
	}
	const char *missing = !a->name                               ? "name"
	                      : a->place == _HOLIDAYS_REGION_INVALID ? "place_of_work"
	                      : !have_contract                       ? "contract"
	                                                             : NULL;
	if (missing) {
		char f[160];
		snprintf(f, sizeof(f), "%.90s.%.60s", where, missing);
		return lserr_set(e, -EINVAL, "missing_field", f, "%s: missing", f);
	}
	*ret = ag;
	return 0;
}

int shiftplan_agents_json(struct shiftplan *p, json_t *v, const char *path, struct lserr *e)
{
	json_t *list = list_of(v, "agents");
	if (!list)
		return bad(e, path, "must be an array of agents (or {\"agents\": [...]})");
	if (json_array_size(list) > LS_MAX_SHIFT_AGENTS)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", path, "%s: more than %d agents", path,
		                 LS_MAX_SHIFT_AGENTS);
	for (size_t i = 0; i < json_array_size(list); i++) {
		char where[96];
		snprintf(where, sizeof(where), "%s[%zu]", path, i);
		json_t *o = json_array_get(list, i);
		if (!json_is_object(o))
			return bad(e, where, "must be an object");
		struct shiftplan_agent a;
		int r = parse_agent(p, o, where, &a, e);
		if (r < 0)
			return r;
		for (size_t k = 0; k < p->n_agents; k++)
			if (strcmp(p->agents[k].a.name, a.a.name) == 0)
				return bad(e, where, "a second agent named '%s'", a.a.name);
		size_t n = p->n_agents;
		ARENA_PUSH(p->arena, p->agents, n, p->cap_agents) = a;
		p->n_agents = n;
	}
	return 0;
}

/* ---- run ---- */

static int infer_interval(const struct shiftplan *p, int32_t *ret, struct lserr *e)
{
	int64_t best = 0;
	ls_time *v = xcalloc(p->n_reqs ? p->n_reqs : 1, sizeof(*v));
	for (size_t k = 0; k < p->n_skills; k++) {
		size_t n = 0;
		for (size_t i = 0; i < p->n_reqs; i++)
			if (p->reqs[i].skill == k && !p->reqs[i].skip)
				v[n++] = p->reqs[i].start;
		for (size_t i = 1; i < n; i++) { /* insertion sort is fine: files come sorted */
			ls_time x = v[i];
			size_t j = i;
			while (j > 0 && v[j - 1] > x) {
				v[j] = v[j - 1];
				j--;
			}
			v[j] = x;
		}
		for (size_t i = 1; i < n; i++)
			if (v[i] > v[i - 1] && (best == 0 || v[i] - v[i - 1] < best))
				best = v[i] - v[i - 1];
	}
	xfree(v);
	if (best == 0)
		return lserr_set(e, -EINVAL, "missing_field", "interval",
		                 "cannot tell the interval length from the rows; give it (--interval SECONDS, or "
		                 "an interval column)");
	if (best % SHIFTS_SLOT || best > 86400)
		return lserr_set(e, -EINVAL, "invalid_field", "interval",
		                 "rows are %lld s apart: interval lengths must be whole quarter hours up to a day",
		                 (long long)best);
	*ret = (int32_t)best;
	return 0;
}

/* "line 17" for a CSV row, "requirements[16]" for an element of a JSON array. */
static void row_name(const struct shiftplan *p, unsigned line, char *buf, size_t n)
{
	if (p->json_rows)
		snprintf(buf, n, "requirements[%u]", line - 1);
	else
		snprintf(buf, n, "line %u", line);
}

/* Lays the rows on the grid: required[skill * n_slots + slot]. */
static int lay_rows(const struct shiftplan *p, ls_time grid, size_t n_slots, int32_t *required, size_t *ignored,
                    struct lserr *e)
{
	size_t cells = p->n_skills * n_slots;
	unsigned *owner = xcalloc(cells ? cells : 1, sizeof(*owner));
	int r = 0;
	for (size_t i = 0; i < p->n_reqs && r == 0; i++) {
		const struct shiftplan_req *q = &p->reqs[i];
		if (q->skip) {
			(*ignored)++;
			continue;
		}
		int32_t len = q->length ? q->length : p->interval;
		ls_time start = q->start;
		if ((start - grid) % SHIFTS_SLOT) {
			char at[32];
			row_name(p, q->line, at, sizeof(at));
			r = lserr_set(e, -EINVAL, "invalid_field", "start",
			              "%s: start is not on a quarter hour of the plan's zone", at);
			break;
		}
		/* the second occurrence of an autumn hour when the first is taken */
		int64_t s0 = floor_div(start - grid, SHIFTS_SLOT);
		if (q->alt && s0 >= 0 && (size_t)s0 < n_slots && owner[q->skill * n_slots + (size_t)s0]) {
			start = q->alt;
			s0 = floor_div(start - grid, SHIFTS_SLOT);
		}
		int64_t s1 = s0 + len / SHIFTS_SLOT;
		if (s1 <= 0 || s0 >= (int64_t)n_slots) {
			(*ignored)++;
			continue;
		}
		for (int64_t s = s0 < 0 ? 0 : s0; s < s1 && (size_t)s < n_slots; s++) {
			size_t c = q->skill * n_slots + (size_t)s;
			if (owner[c]) {
				char at[32], other[32];
				row_name(p, q->line, at, sizeof(at));
				row_name(p, owner[c], other, sizeof(other));
				r = lserr_set(e, -EINVAL, "invalid_field", "start",
				              "%s: the interval overlaps the one of %s (same skill)", at, other);
				break;
			}
			owner[c] = q->line ? q->line : 1;
			required[c] = q->required;
		}
	}
	xfree(owner);
	return r;
}

int shiftplan_run(struct shiftplan *p, const struct shifts_solver *solver, struct shiftplan_result *ret,
                  struct lserr *e)
{
	if (p->n_templates == 0)
		return lserr_set(e, -EINVAL, "missing_field", "templates",
		                 "templates: give at least one shift template");
	if (p->n_skills == 0)
		skill_index(p, "", true);
	int r;
	if (p->interval == 0 && p->n_reqs > 0) {
		bool need = false;
		for (size_t i = 0; i < p->n_reqs; i++)
			need |= p->reqs[i].length == 0;
		if (need && (r = infer_interval(p, &p->interval, e)) < 0)
			return r;
	}
	ls_time grid;
	size_t n_slots;
	if ((r = shifts_grid(p->tz, p->first_day, p->n_days, &grid, &n_slots, e)) < 0)
		return r;
	struct shiftplan_result out = {0};
	size_t cells = p->n_skills * n_slots;
	out.required = xcalloc(cells ? cells : 1, sizeof(*out.required));
	out.staffed = xcalloc(cells ? cells : 1, sizeof(*out.staffed));
	struct shift_template *tpl = xcalloc(p->n_templates, sizeof(*tpl));
	struct roster_agent *agents = xcalloc(p->n_agents ? p->n_agents : 1, sizeof(*agents));
	int32_t *cap = xcalloc((size_t)p->n_days, sizeof(*cap));
	if ((r = lay_rows(p, grid, n_slots, out.required, &out.ignored, e)) < 0)
		goto fail;
	uint64_t any = 0;
	for (size_t k = 0; k < p->n_skills; k++)
		if (!p->skills[k][0])
			any |= UINT64_C(1) << k;
	for (size_t i = 0; i < p->n_templates; i++) {
		tpl[i] = p->templates[i].t;
		if (p->templates[i].n_skills) {
			tpl[i].skills = any;
			for (size_t k = 0; k < p->templates[i].n_skills; k++) {
				uint32_t s = skill_index(p, p->templates[i].skills[k], false);
				if (s != UINT32_MAX)
					tpl[i].skills |= UINT64_C(1) << s;
			}
		}
	}
	for (size_t i = 0; i < p->n_agents; i++) {
		agents[i] = p->agents[i].a;
		agents[i].skills = 0;
		for (size_t k = 0; k < p->agents[i].n_skills; k++) {
			uint32_t s = skill_index(p, p->agents[i].skills[k], false);
			if (s != UINT32_MAX)
				agents[i].skills |= UINT64_C(1) << s;
		}
		for (int32_t d = 0; d < p->n_days; d++) {
			bool off = false;
			for (size_t k = 0; k < agents[i].n_absent && !off; k++)
				off = agents[i].absent[k] == p->first_day + d;
			cap[d] += !off;
		}
	}
	struct shifts_problem sp = {
	        .tz = p->tz,
	        .first_day = p->first_day,
	        .n_days = p->n_days,
	        .n_skills = p->n_skills,
	        .required = out.required,
	        .templates = tpl,
	        .n_templates = p->n_templates,
	        .day_cap = p->n_agents ? cap : NULL,
	};
	if ((r = shifts_plan(&sp, solver, p->time_limit, &out.plan, e)) < 0)
		goto fail;
	struct roster_input ri = {
	        .tz = p->tz,
	        .first_day = p->first_day,
	        .n_days = p->n_days,
	        .templates = tpl,
	        .shifts = out.plan.shifts,
	        .n_shifts = out.plan.n_shifts,
	        .agents = agents,
	        .n_agents = p->n_agents,
	        .any_skills = any,
	};
	if ((r = roster_assign(&ri, &out.roster, e)) < 0)
		goto fail;
	for (size_t i = 0; i < out.plan.n_shifts; i++) {
		if (out.roster.agent_of[i] < 0)
			continue;
		const struct shift *s = &out.plan.shifts[i];
		const struct shift_template *t = &tpl[s->tpl];
		for (int32_t off = 0; off < t->length; off += SHIFTS_SLOT) {
			int64_t sl = s->slot + off / SHIFTS_SLOT;
			bool brk = false;
			for (size_t b = 0; b < t->n_breaks; b++)
				brk |= off >= t->breaks[b].start && off < t->breaks[b].end;
			if (!brk && sl >= 0 && (size_t)sl < n_slots)
				out.staffed[s->skill * n_slots + (size_t)sl]++;
		}
	}
	xfree(tpl);
	xfree(agents);
	xfree(cap);
	*ret = out;
	return 0;
fail:
	xfree(tpl);
	xfree(agents);
	xfree(cap);
	shiftplan_result_free(&out);
	return r;
}

void shiftplan_result_free(struct shiftplan_result *r)
{
	if (!r)
		return;
	shifts_plan_free(&r->plan);
	roster_result_free(&r->roster);
	xfree(r->required);
	xfree(r->staffed);
	r->required = r->staffed = NULL;
}

/* ---- output ---- */

static json_t *real_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *time_json(const struct shiftplan *p, ls_time t)
{
	char buf[TZ_RFC3339_MAX];
	return json_string(tz_format_rfc3339(p->tz, t, buf, sizeof(buf)));
}

static void day_text(int64_t day, char *buf, size_t n)
{
	int64_t y;
	unsigned m, d;
	time_civil_from_days(day, &y, &m, &d);
	snprintf(buf, n, "%04lld-%02u-%02u", (long long)y, m, d);
}

static void local_hhmm(const struct shiftplan *p, ls_time t, char *buf, size_t n)
{
	int64_t l = t + tz_offset_at(p->tz, t);
	int64_t s = l - floor_div(l, 86400) * 86400;
	snprintf(buf, n, "%02d:%02d", (int)(s / 3600), (int)(s % 3600 / 60));
}

static const struct shift_template *tpl_of(const struct shiftplan *p, const struct shift *s)
{
	return &p->templates[s->tpl].t;
}

static void violation_text(const struct shiftplan *p, const struct roster_violation *v, char *buf, size_t n)
{
	(void)p;
	switch (v->rule) {
	case ROSTER_DAILY_MAX: snprintf(buf, n, "%.2f h of work on one day; at most 10 h", v->value); break;
	case ROSTER_DAILY_AVERAGE:
		snprintf(buf, n, "a day above 8 h while the average is %.2f h per working day; at most 8 h", v->value);
		break;
	case ROSTER_BREAKS: snprintf(buf, n, "%.0f min of break; the work needs %.0f min", v->value, v->limit); break;
	case ROSTER_STRETCH: snprintf(buf, n, "%.2f h of work without a break; at most 6 h", v->value); break;
	case ROSTER_REST: snprintf(buf, n, "%.2f h of rest before the shift; at least 11 h", v->value); break;
	case ROSTER_SUNDAY: snprintf(buf, n, "work on a Sunday; the contract does not allow it"); break;
	case ROSTER_HOLIDAY:
		snprintf(buf, n, "work on a public holiday of the place of work; the contract does not allow it");
		break;
	case ROSTER_WEEKLY_HOURS:
		snprintf(buf, n, "%.2f h of work in the week; the contract allows %.2f h", v->value, v->limit);
		break;
	case ROSTER_AVAILABILITY: snprintf(buf, n, "outside the agent's availability or on a day off"); break;
	case ROSTER_SKILL: snprintf(buf, n, "the agent lacks the shift's skill"); break;
	default: snprintf(buf, n, "%s", roster_rule_to_string(v->rule) ? roster_rule_to_string(v->rule) : "?");
	}
}

json_t *shiftplan_to_json(const struct shiftplan *p, const struct shiftplan_result *r)
{
	const struct shifts_plan *pl = &r->plan;
	char buf[64];
	json_t *shifts = json_array();
	double req_h = 0, plan_short = 0, staffed_short = 0;
	for (size_t i = 0; i < pl->n_shifts; i++) {
		const struct shift *s = &pl->shifts[i];
		const struct shift_template *t = tpl_of(p, s);
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer((json_int_t)i + 1));
		json_object_set_new(o, "template", json_string(t->name));
		json_object_set_new(o, "skill", json_string(p->skills[s->skill]));
		day_text(s->day, buf, sizeof(buf));
		json_object_set_new(o, "day", json_string(buf));
		json_object_set_new(o, "start", time_json(p, s->start));
		json_object_set_new(o, "end", time_json(p, s->end));
		json_t *br = json_array();
		for (size_t b = 0; b < t->n_breaks; b++)
			json_array_append_new(br, json_pack("{s:o,s:o}", "start",
			                                    time_json(p, s->start + t->breaks[b].start), "end",
			                                    time_json(p, s->start + t->breaks[b].end)));
		json_object_set_new(o, "breaks", br);
		json_object_set_new(o, "work_hours", json_real(shift_template_work(t) / 3600.0));
		json_object_set_new(o, "cost", json_real(t->cost));
		int32_t a = r->roster.agent_of[i];
		json_object_set_new(o, "agent", a >= 0 ? json_string(p->agents[a].a.name) : json_null());
		if (a < 0) {
			json_t *why = json_object();
			int best = -1;
			for (int k = 0; k < _ROSTER_RULE_MAX; k++)
				if (r->roster.blocked[i][k]) {
					json_object_set_new(why, roster_rule_to_string((enum roster_rule)k),
					                    json_integer(r->roster.blocked[i][k]));
					if (best < 0 || r->roster.blocked[i][k] > r->roster.blocked[i][best])
						best = k;
				}
			json_object_set_new(
			        o, "uncovered",
			        json_pack("{s:s,s:o}", "reason",
			                  best >= 0 ? roster_rule_to_string((enum roster_rule)best) : "no_agents",
			                  "agents_kept_away", why));
		}
		json_array_append_new(shifts, o);
	}
	json_t *roster = json_array();
	for (size_t a = 0; a < p->n_agents; a++)
		json_array_append_new(roster, json_pack("{s:s,s:i,s:f,s:f,s:i}", "agent", p->agents[a].a.name, "shifts",
		                                        (int)r->roster.n_assigned[a], "hours", r->roster.hours[a],
		                                        "weekly_hours", p->agents[a].a.weekly_hours, "workdays",
		                                        (int)r->roster.workdays[a]));
	/* coverage per requirement row, in time order */
	json_t *coverage = json_array();
	size_t *order = xcalloc(p->n_reqs ? p->n_reqs : 1, sizeof(*order));
	size_t n = 0;
	for (size_t i = 0; i < p->n_reqs; i++)
		order[n++] = i;
	for (size_t i = 1; i < n; i++) {
		size_t x = order[i], j = i;
		while (j > 0 && (p->reqs[order[j - 1]].start > p->reqs[x].start ||
		                 (p->reqs[order[j - 1]].start == p->reqs[x].start &&
		                  p->reqs[order[j - 1]].skill > p->reqs[x].skill))) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = x;
	}
	for (size_t k = 0; k < n; k++) {
		const struct shiftplan_req *q = &p->reqs[order[k]];
		if (q->skip)
			continue;
		int32_t len = q->length ? q->length : p->interval;
		int64_t s0 = floor_div(q->start - pl->grid_start, SHIFTS_SLOT), s1 = s0 + len / SHIFTS_SLOT;
		if (s1 <= 0 || s0 >= (int64_t)pl->n_slots)
			continue;
		int32_t planned = INT32_MAX, staffed = INT32_MAX;
		for (int64_t s = s0 < 0 ? 0 : s0; s < s1 && (size_t)s < pl->n_slots; s++) {
			size_t c = q->skill * pl->n_slots + (size_t)s;
			if (pl->planned[c] < planned)
				planned = pl->planned[c];
			if (r->staffed[c] < staffed)
				staffed = r->staffed[c];
		}
		json_array_append_new(coverage,
		                      json_pack("{s:o,s:o,s:s,s:i,s:i,s:i}", "start", time_json(p, q->start), "end",
		                                time_json(p, q->start + len), "skill", p->skills[q->skill], "required",
		                                (int)q->required, "planned", (int)planned, "staffed", (int)staffed));
	}
	xfree(order);
	size_t cells = p->n_skills * pl->n_slots;
	for (size_t c = 0; c < cells; c++) {
		req_h += r->required[c] * (SHIFTS_SLOT / 3600.0);
		if (r->required[c] > pl->planned[c])
			plan_short += (r->required[c] - pl->planned[c]) * (SHIFTS_SLOT / 3600.0);
		if (r->required[c] > r->staffed[c])
			staffed_short += (r->required[c] - r->staffed[c]) * (SHIFTS_SLOT / 3600.0);
	}
	json_t *viol = json_array();
	for (size_t i = 0; i < r->roster.n_violations; i++) {
		const struct roster_violation *v = &r->roster.violations[i];
		char msg[200];
		violation_text(p, v, msg, sizeof(msg));
		day_text(v->day, buf, sizeof(buf));
		json_array_append_new(
		        viol, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s}", "rule", roster_rule_to_string(v->rule),
		                        "law", roster_rule_source(v->rule), "agent", p->agents[v->agent].a.name, "day",
		                        buf, "shift", v->shift >= 0 ? json_integer(v->shift + 1) : json_null(), "value",
		                        json_real(v->value), "limit", json_real(v->limit), "message", msg));
	}
	double work_h = 0;
	for (size_t i = 0; i < pl->n_shifts; i++)
		work_h += shift_template_work(tpl_of(p, &pl->shifts[i])) / 3600.0;
	day_text(p->first_day, buf, sizeof(buf));
	json_t *solver = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:f,s:f,s:I,s:o}", "name", pl->solver, "status",
	                           shifts_status_to_string(pl->status), "objective", real_or_null(pl->objective),
	                           "bound", real_or_null(pl->bound), "gap", real_or_null(pl->gap), "greedy_objective",
	                           real_or_null(pl->greedy_objective), "seconds", pl->seconds, "time_limit",
	                           p->time_limit, "candidates", (json_int_t)pl->candidates, "fallback",
	                           pl->fallback[0] ? json_string(pl->fallback) : json_null());
	json_t *summary =
	        json_pack("{s:i,s:i,s:i,s:f,s:f,s:f,s:f,s:i,s:i}", "shifts", (int)pl->n_shifts, "assigned",
	                  (int)(pl->n_shifts - r->roster.n_uncovered), "uncovered_shifts", (int)r->roster.n_uncovered,
	                  "required_agent_hours", req_h, "planned_work_hours", work_h, "short_agent_hours_plan",
	                  plan_short, "short_agent_hours_roster", staffed_short, "violations",
	                  (int)r->roster.n_violations, "ignored_rows", (int)r->ignored);
	return json_pack("{s:s,s:i,s:s,s:i,s:o,s:f,s:o,s:o,s:o,s:o,s:o}", "from", buf, "days", (int)p->n_days, "tz",
	                 p->tz_name, "interval", (int)p->interval, "solver", solver, "cost", pl->cost, "summary",
	                 summary, "shifts", shifts, "roster", roster, "coverage", coverage, "violations", viol);
}

static void csv_cell(struct strbuf *sb, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		strbuf_adds(sb, s);
		return;
	}
	strbuf_addch(sb, '"');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '"');
}

int shiftplan_csv(const struct shiftplan *p, const struct shiftplan_result *r, struct strbuf *sb)
{
	strbuf_adds(sb, "agent,day,start,end,template,skill,work_hours,breaks\n");
	for (size_t a = 0; a < p->n_agents; a++)
		for (size_t i = 0; i < r->plan.n_shifts; i++) {
			if (r->roster.agent_of[i] != (int32_t)a)
				continue;
			const struct shift *s = &r->plan.shifts[i];
			const struct shift_template *t = tpl_of(p, s);
			char d[16], b1[TZ_RFC3339_MAX], b2[TZ_RFC3339_MAX];
			day_text(s->day, d, sizeof(d));
			csv_cell(sb, p->agents[a].a.name);
			strbuf_addf(sb, ",%s,%s,%s,", d, tz_format_rfc3339(p->tz, s->start, b1, sizeof(b1)),
			            tz_format_rfc3339(p->tz, s->end, b2, sizeof(b2)));
			csv_cell(sb, t->name);
			strbuf_addch(sb, ',');
			csv_cell(sb, p->skills[s->skill]);
			strbuf_addf(sb, ",%.17g,", shift_template_work(t) / 3600.0);
			for (size_t k = 0; k < t->n_breaks; k++) {
				char h1[8], h2[8];
				local_hhmm(p, s->start + t->breaks[k].start, h1, sizeof(h1));
				local_hhmm(p, s->start + t->breaks[k].end, h2, sizeof(h2));
				strbuf_addf(sb, "%s%s-%s", k ? " " : "", h1, h2);
			}
			strbuf_addch(sb, '\n');
		}
	return strbuf_ok(sb) ? 0 : -LS_ETOOLARGE;
}

/* FNV-1a, for stable event UIDs. */
static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
	const unsigned char *c = data;
	for (size_t i = 0; i < n; i++) {
		h ^= c[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

int shiftplan_ics(const struct shiftplan *p, const struct shiftplan_result *r, size_t agent, ls_time dtstamp,
                  struct strbuf *sb)
{
	if (agent >= p->n_agents || r->roster.n_assigned[agent] == 0)
		return 0;
	const char *name = p->agents[agent].a.name;
	int rc = 0;
	rc |= ical_line(sb, "BEGIN", "VCALENDAR");
	rc |= ical_line(sb, "VERSION", "2.0");
	rc |= ical_line(sb, "PRODID", "-//Leitstand//Shift plan//EN");
	rc |= ical_line(sb, "CALSCALE", "GREGORIAN");
	rc |= ical_line(sb, "METHOD", "PUBLISH");
	char title[LS_MAX_NAME_BYTES + 32];
	snprintf(title, sizeof(title), "Shifts: %s", name);
	rc |= ical_text(sb, "X-WR-CALNAME", title);
	for (size_t i = 0; i < r->plan.n_shifts; i++) {
		if (r->roster.agent_of[i] != (int32_t)agent)
			continue;
		const struct shift *s = &r->plan.shifts[i];
		const struct shift_template *t = tpl_of(p, s);
		uint64_t h = UINT64_C(14695981039346656037);
		h = fnv(h, name, strlen(name) + 1);
		h = fnv(h, t->name, strlen(t->name) + 1);
		h = fnv(h, p->skills[s->skill], strlen(p->skills[s->skill]) + 1);
		h = fnv(h, &s->start, sizeof(s->start));
		char uid[64];
		snprintf(uid, sizeof(uid), "shift-%016llx@leitstand", (unsigned long long)h);
		char summary[LS_MAX_NAME_BYTES * 2 + 16];
		if (p->skills[s->skill][0])
			snprintf(summary, sizeof(summary), "Shift %s (%s)", t->name, p->skills[s->skill]);
		else
			snprintf(summary, sizeof(summary), "Shift %s", t->name);
		struct strbuf desc = STRBUF_INIT_MAX(4096);
		strbuf_addf(&desc, "%d h %02d min of work", shift_template_work(t) / 3600,
		            shift_template_work(t) % 3600 / 60);
		for (size_t k = 0; k < t->n_breaks; k++) {
			char h1[8], h2[8];
			local_hhmm(p, s->start + t->breaks[k].start, h1, sizeof(h1));
			local_hhmm(p, s->start + t->breaks[k].end, h2, sizeof(h2));
			strbuf_addf(&desc, "%s%s-%s", k ? ", " : "; breaks ", h1, h2);
		}
		strbuf_addf(&desc, " (%s)", p->tz_name);
		rc |= ical_line(sb, "BEGIN", "VEVENT");
		rc |= ical_line(sb, "UID", uid);
		rc |= ical_utc(sb, "DTSTAMP", dtstamp);
		rc |= ical_utc(sb, "DTSTART", s->start);
		rc |= ical_utc(sb, "DTEND", s->end);
		rc |= ical_text(sb, "SUMMARY", summary);
		rc |= ical_text(sb, "DESCRIPTION", desc.buf);
		rc |= ical_line(sb, "TRANSP", "OPAQUE");
		rc |= ical_line(sb, "END", "VEVENT");
		strbuf_release(&desc);
	}
	rc |= ical_line(sb, "END", "VCALENDAR");
	return rc ? -LS_ETOOLARGE : 1;
}
