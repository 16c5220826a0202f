/* Forecast CSV for staffing (see intervals.h). Room: wfm.
 *
 * A small RFC 4180 reader over (pointer, end): it never reads past len, copies each
 * field into a bounded stack buffer (LS_MAX_STAFFING_FIELD_BYTES) and then into the
 * arena, and counts physical lines so that messages can name them (a quoted field
 * may span lines). The header maps each position to a column from one table; a row
 * becomes a struct staffing_input that starts as the caller's defaults. Rows are
 * grouped by (queue, skill) with a stable sort, groups ordered by first appearance.
 * Sizes are checked before anything grows: file bytes, rows, field length. */
#include "wfm/intervals.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "core/parse.h"

enum column {
	COL_QUEUE,
	COL_SKILL,
	COL_CHANNEL,
	COL_START,
	COL_CONTACTS,
	COL_AHT,
	COL_INTERVAL,
	COL_TARGET,
	COL_ANSWER_TIME,
	COL_MAX_OCCUPANCY,
	COL_MAX_ASA,
	COL_PATIENCE,
	COL_MAX_ABANDON,
	COL_RESPONSE_TIME,
	COL_SHRINKAGE,
	COL_MIN_AGENTS,
	_COL_MAX,
};

static const struct {
	const char *name;
	enum column col;
} column_names[] = {
        {"queue", COL_QUEUE},
        {"skill", COL_SKILL},
        {"channel", COL_CHANNEL},
        {"start", COL_START},
        {"contacts", COL_CONTACTS},
        {"calls", COL_CONTACTS},
        {"volume", COL_CONTACTS}, /* the CSV of leitstand forecast */
        {"aht", COL_AHT},
        {"interval", COL_INTERVAL},
        {"target", COL_TARGET},
        {"answer_time", COL_ANSWER_TIME},
        {"max_occupancy", COL_MAX_OCCUPANCY},
        {"max_asa", COL_MAX_ASA},
        {"patience", COL_PATIENCE},
        {"max_abandon", COL_MAX_ABANDON},
        {"response_time", COL_RESPONSE_TIME},
        {"shrinkage", COL_SHRINKAGE},
        {"min_agents", COL_MIN_AGENTS},
};

struct csv {
	const char *p, *end;
	unsigned line; /* physical line of *p */
	char sep;
	bool decimal_comma;
};

static int column_from(const char *s)
{
	char norm[32];
	size_t n = strlen(s);
	if (n >= sizeof(norm))
		return -1;
	for (size_t i = 0; i <= n; i++) {
		char c = s[i];
		norm[i] = (c == '-' || c == ' ') ? '_' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	for (size_t i = 0; i < ELEMENTSOF(column_names); i++)
		if (strcmp(norm, column_names[i].name) == 0)
			return (int)column_names[i].col;
	return -1;
}

static const char *column_name(enum column c)
{
	for (size_t i = 0; i < ELEMENTSOF(column_names); i++)
		if (column_names[i].col == c)
			return column_names[i].name;
	return "?";
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Reads one record: fields go to out[0..max) as arena strings, their count to *ret_n,
 * the line it started on to *ret_line. Returns 1, 0 at the end of input, or an error.
 * Blank lines are skipped. A record with more than max fields is an error. */
static int csv_record(struct csv *c, struct arena *a, char **out, size_t max, size_t *ret_n, unsigned *ret_line,
                      struct lserr *e)
{
	char buf[LS_MAX_STAFFING_FIELD_BYTES + 1];
	for (;;) { /* skip blank lines */
		const char *q = c->p;
		while (q < c->end && is_blank(*q))
			q++;
		if (q < c->end && (*q == '\n' || *q == '\r')) {
			if (*q == '\r' && q + 1 < c->end && q[1] == '\n')
				q++;
			c->p = q + 1;
			c->line++;
			continue;
		}
		if (q == c->end)
			return 0;
		break;
	}
	*ret_line = c->line;
	size_t n = 0;
	for (;;) {
		size_t len = 0;
		while (c->p < c->end && is_blank(*c->p))
			c->p++;
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				if (c->p == c->end)
					return lserr_set(e, -EINVAL, "invalid_field", "", "line %u: unterminated quote",
					                 *ret_line);
				char ch = *c->p++;
				if (ch == '"') {
					if (c->p < c->end && *c->p == '"')
						c->p++;
					else
						break;
				} else if (ch == '\n') {
					c->line++;
				}
				if (len == LS_MAX_STAFFING_FIELD_BYTES)
					return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "",
					                 "line %u: a field is longer than %d bytes", *ret_line,
					                 LS_MAX_STAFFING_FIELD_BYTES);
				buf[len++] = ch;
			}
			while (c->p < c->end && is_blank(*c->p))
				c->p++;
		} else {
			while (c->p < c->end && *c->p != c->sep && *c->p != '\n' && *c->p != '\r') {
				if (*c->p == '"')
					return lserr_set(e, -EINVAL, "invalid_field", "",
					                 "line %u: a quote inside an unquoted field", *ret_line);
				if (len == LS_MAX_STAFFING_FIELD_BYTES)
					return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "",
					                 "line %u: a field is longer than %d bytes", *ret_line,
					                 LS_MAX_STAFFING_FIELD_BYTES);
				buf[len++] = *c->p++;
			}
			while (len > 0 && is_blank(buf[len - 1]))
				len--;
		}
		if (n == max)
			return lserr_set(e, -EINVAL, "invalid_field", "",
			                 "line %u: more fields than the header has columns", *ret_line);
		out[n++] = arena_strndup(a, buf, len);
		if (c->p == c->end)
			break;
		if (*c->p == c->sep) {
			c->p++;
			continue;
		}
		if (*c->p == '\r' || *c->p == '\n') {
			if (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n')
				c->p++;
			c->p++;
			c->line++;
			break;
		}
		return lserr_set(e, -EINVAL, "invalid_field", "", "line %u: text after a closing quote", *ret_line);
	}
	*ret_n = n;
	return 1;
}

static int set_number(struct csv *c, char *s, enum column col, unsigned line, double *ret, struct lserr *e)
{
	if (c->decimal_comma)
		for (char *p = s; *p; p++)
			if (*p == ',')
				*p = '.';
	if (parse_double(s, -HUGE_VAL, HUGE_VAL, ret) < 0)
		return lserr_set(e, -EINVAL, "invalid_field", column_name(col), "line %u: %s '%s' is not a number",
		                 line, column_name(col), s);
	return 0;
}

/* Well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF), so that
 * labels can go into JSON as they are. */
static bool utf8_valid(const char *str)
{
	const unsigned char *p = (const unsigned char *)str;
	while (*p) {
		unsigned c = *p++, n, min;
		if (c < 0x80)
			continue;
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			min = 0x80;
			c &= 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			min = 0x800;
			c &= 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			min = 0x10000;
			c &= 0x07;
		} else {
			return false;
		}
		for (unsigned i = 0; i < n; i++, p++) {
			if ((*p & 0xC0) != 0x80)
				return false;
			c = (c << 6) | (*p & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return false;
	}
	return true;
}

static int set_field(struct csv *c, struct intervals_row *row, struct staffing_input *in, enum column col, char *s,
                     struct lserr *e)
{
	if ((col == COL_QUEUE || col == COL_SKILL || col == COL_START) && !utf8_valid(s))
		return lserr_set(e, -EINVAL, "invalid_field", column_name(col), "line %u: %s is not valid UTF-8",
		                 row->line, column_name(col));
	switch (col) {
	case COL_QUEUE: row->queue = s; return 0;
	case COL_SKILL: row->skill = s; return 0;
	case COL_START: row->start = s; return 0;
	default: break;
	}
	if (!*s)
		return 0; /* empty cell: the default */
	switch (col) {
	case COL_CHANNEL: {
		int ch = staffing_channel_from_string(s);
		if (ch < 0)
			return lserr_set(e, -EINVAL, "invalid_field", "channel",
			                 "line %u: channel '%s' is neither voice nor deferred", row->line, s);
		in->channel = (enum staffing_channel)ch;
		return 0;
	}
	case COL_MIN_AGENTS:
		if (parse_int(s, 0, LS_MAX_STAFFING_AGENTS, &in->min_agents) < 0)
			return lserr_set(e, -EINVAL, "invalid_field", "min_agents",
			                 "line %u: min_agents '%s' is not a whole number 0 to %d", row->line, s,
			                 LS_MAX_STAFFING_AGENTS);
		return 0;
	case COL_CONTACTS: return set_number(c, s, col, row->line, &in->contacts, e);
	case COL_AHT: return set_number(c, s, col, row->line, &in->aht, e);
	case COL_INTERVAL: return set_number(c, s, col, row->line, &in->interval, e);
	case COL_TARGET: return set_number(c, s, col, row->line, &in->target, e);
	case COL_ANSWER_TIME: return set_number(c, s, col, row->line, &in->answer_time, e);
	case COL_MAX_OCCUPANCY: return set_number(c, s, col, row->line, &in->max_occupancy, e);
	case COL_MAX_ASA: return set_number(c, s, col, row->line, &in->max_asa, e);
	case COL_PATIENCE: return set_number(c, s, col, row->line, &in->patience, e);
	case COL_MAX_ABANDON: return set_number(c, s, col, row->line, &in->max_abandon, e);
	case COL_RESPONSE_TIME: return set_number(c, s, col, row->line, &in->response_time, e);
	case COL_SHRINKAGE: return set_number(c, s, col, row->line, &in->shrinkage, e);
	default: return 0;
	}
}

/* Prefixes e's message with "line N: ". */
static int at_line(int r, unsigned line, struct lserr *e)
{
	if (!e)
		return r;
	char msg[sizeof(e->message)];
	int k = snprintf(msg, sizeof(msg), "line %u: ", line);
	size_t room = sizeof(msg) - (size_t)k - 1, n = strnlen(e->message, sizeof(e->message));
	if (n > room)
		n = room;
	memcpy(msg + k, e->message, n);
	msg[(size_t)k + n] = '\0';
	memcpy(e->message, msg, sizeof(msg));
	return r;
}

struct sort_key {
	const char *queue, *skill;
	size_t index;
	size_t group_first; /* file index of the group's first row */
};

static int by_queue(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;
	int d = strcmp(a->queue, b->queue);
	if (!d)
		d = strcmp(a->skill, b->skill);
	if (!d)
		d = (a->index > b->index) - (a->index < b->index);
	return d;
}

static int by_group(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;
	if (a->group_first != b->group_first)
		return (a->group_first > b->group_first) - (a->group_first < b->group_first);
	return (a->index > b->index) - (a->index < b->index);
}

/* Orders rows by queue (first appearance), file order within a queue, and checks
 * that a queue keeps one channel and (deferred) one interval length. */
static int group(struct arena *a, struct intervals_row *rows, struct staffing_input *inputs, size_t n,
                 struct intervals_table *ret, struct lserr *e)
{
	struct sort_key *keys = xcalloc(n ? n : 1, sizeof(*keys));
	for (size_t i = 0; i < n; i++)
		keys[i] = (struct sort_key){rows[i].queue, rows[i].skill, i, 0};
	qsort(keys, n, sizeof(*keys), by_queue);
	for (size_t i = 0; i < n; i++) {
		bool same = i > 0 && strcmp(keys[i].queue, keys[i - 1].queue) == 0 &&
		            strcmp(keys[i].skill, keys[i - 1].skill) == 0;
		keys[i].group_first = same ? keys[i - 1].group_first : keys[i].index;
	}
	qsort(keys, n, sizeof(*keys), by_group);

	struct intervals_table t = {.n_rows = n};
	t.rows = arena_alloc(a, (n ? n : 1) * sizeof(*t.rows));
	t.inputs = arena_alloc(a, (n ? n : 1) * sizeof(*t.inputs));
	size_t cap = 0;
	int r = 0;
	for (size_t i = 0; i < n; i++) {
		const size_t k = keys[i].index;
		t.rows[i] = rows[k];
		t.inputs[i] = inputs[k];
		if (i == 0 || keys[i].group_first != keys[i - 1].group_first) {
			struct intervals_queue *q = &ARENA_PUSH(a, t.queues, t.n_queues, cap);
			*q = (struct intervals_queue){rows[k].queue, rows[k].skill, inputs[k].channel, i, 0};
		}
		struct intervals_queue *q = &t.queues[t.n_queues - 1];
		const struct staffing_input *first = &t.inputs[q->first];
		q->n++;
		if (inputs[k].channel != q->channel) {
			r = lserr_set(e, -EINVAL, "invalid_field", "channel",
			              "line %u: channel %s differs from line %u of queue '%s' (%s)", rows[k].line,
			              staffing_channel_to_string(inputs[k].channel), t.rows[q->first].line, q->queue,
			              staffing_channel_to_string(q->channel));
			break;
		}
		if (q->channel == STAFFING_DEFERRED && inputs[k].interval != first->interval) {
			r = lserr_set(e, -EINVAL, "invalid_field", "interval",
			              "line %u: interval %g s differs from line %u of queue '%s' (%g s)", rows[k].line,
			              inputs[k].interval, t.rows[q->first].line, q->queue, first->interval);
			break;
		}
	}
	xfree(keys);
	if (r < 0)
		return r;
	*ret = t;
	return 0;
}

int intervals_parse_csv(struct arena *a, const char *text, size_t len, const struct staffing_input *defaults,
                        struct intervals_table *ret, struct lserr *e)
{
	if (len > LS_MAX_STAFFING_FILE_BYTES)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "intervals", "the forecast is larger than %d bytes",
		                 LS_MAX_STAFFING_FILE_BYTES);
	struct csv c = {.p = text, .end = text + len, .line = 1, .sep = ','};
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		c.p += 3;
	const char *eol = c.p;
	while (eol < c.end && *eol != '\n')
		eol++;
	if (!memchr(c.p, ',', (size_t)(eol - c.p)) && memchr(c.p, ';', (size_t)(eol - c.p))) {
		c.sep = ';';
		c.decimal_comma = true;
	}

	char *fields[4 * _COL_MAX]; /* room for a header with unknown or repeated columns */
	size_t nf;
	unsigned line;
	int r = csv_record(&c, a, fields, ELEMENTSOF(fields), &nf, &line, e);
	if (r < 0)
		return r;
	if (r == 0)
		return lserr_set(e, -EINVAL, "missing_field", "", "the forecast is empty: a header row is required");
	enum column cols[ELEMENTSOF(fields)];
	bool seen[_COL_MAX] = {false};
	for (size_t i = 0; i < nf; i++) {
		int col = column_from(fields[i]);
		if (col < 0)
			return lserr_set(e, -EINVAL, "unknown_field", fields[i], "line %u: unknown column '%s'", line,
			                 fields[i]);
		if (seen[col])
			return lserr_set(e, -EINVAL, "invalid_field", fields[i], "line %u: column '%s' appears twice",
			                 line, column_name((enum column)col));
		seen[col] = true;
		cols[i] = (enum column)col;
	}
	if (!seen[COL_CONTACTS])
		return lserr_set(e, -EINVAL, "missing_field", "contacts", "line %u: the header has no contacts column",
		                 line);
	const size_t ncols = nf;

	struct intervals_row *rows = NULL;
	struct staffing_input *inputs = NULL;
	size_t n = 0, n_in = 0, cap = 0, cap_in = 0;
	for (;;) {
		r = csv_record(&c, a, fields, ncols, &nf, &line, e);
		if (r < 0)
			return r;
		if (r == 0)
			break;
		if (n == LS_MAX_STAFFING_ROWS)
			return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "intervals", "line %u: more than %d rows",
			                 line, LS_MAX_STAFFING_ROWS);
		if (nf != ncols)
			return lserr_set(e, -EINVAL, "invalid_field", "", "line %u: %zu fields, the header has %zu",
			                 line, nf, ncols);
		struct intervals_row *row = &ARENA_PUSH(a, rows, n, cap);
		struct staffing_input *in = &ARENA_PUSH(a, inputs, n_in, cap_in);
		*row = (struct intervals_row){"", "", "", line};
		*in = *defaults;
		for (size_t i = 0; i < ncols; i++)
			if ((r = set_field(&c, row, in, cols[i], fields[i], e)) < 0)
				return r;
		if ((r = staffing_input_check(in, e)) < 0)
			return at_line(r, line, e);
	}
	return group(a, rows, inputs, n, ret, e);
}

int intervals_plan(const struct intervals_table *t, struct staffing_result *out, struct lserr *e)
{
	for (size_t i = 0; i < t->n_queues; i++) {
		const struct intervals_queue *q = &t->queues[i];
		size_t failed = 0;
		int r = staffing_plan(t->inputs + q->first, q->n, out + q->first, &failed, e);
		if (r < 0)
			return at_line(r, t->rows[q->first + failed].line, e);
	}
	return 0;
}
