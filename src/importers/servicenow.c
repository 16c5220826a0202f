/* ServiceNow incident exports (see servicenow.h). Room: importers.
 *
 * One pass over the CSV. The rows of the current incident are copied into a group
 * arena (one memcpy per row, fields stay back to back); when the number changes, the
 * group is turned into one rec_ticket (values of the row with the highest
 * sys_mod_count) and, if asked, events (diffs between consecutive rows in
 * sys_mod_count order), and the arena is reset. Finished numbers go into an open-
 * addressing hash set so a reappearing number is reported instead of producing a
 * second ticket. Every row's stamps are validated when it is read, so a bad row is
 * named by its own line, not by the group it ends up in. */
#include "importers/servicenow.h"

#include "importers/keyset.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/limits.h"

enum col {
	C_NUMBER,
	C_STATE,
	C_REASSIGN,
	C_REOPEN,
	C_MOD,
	C_MADE_SLA,
	C_OPENED_AT,
	C_UPDATED_BY,
	C_UPDATED_AT,
	C_CONTACT,
	C_CATEGORY,
	C_IMPACT,
	C_URGENCY,
	C_PRIORITY,
	C_GROUP,
	C_ASSIGNED,
	C_RESOLVED_AT,
	C_CLOSED_AT,
	C_TITLE,
	C_CI,
	C_SYMPTOM,
	_C_MAX,
};

static const char *const col_names[_C_MAX] = {
        [C_NUMBER] = "number",
        [C_STATE] = "incident_state",
        [C_REASSIGN] = "reassignment_count",
        [C_REOPEN] = "reopen_count",
        [C_MOD] = "sys_mod_count",
        [C_MADE_SLA] = "made_sla",
        [C_OPENED_AT] = "opened_at",
        [C_UPDATED_BY] = "sys_updated_by",
        [C_UPDATED_AT] = "sys_updated_at",
        [C_CONTACT] = "contact_type",
        [C_CATEGORY] = "category",
        [C_IMPACT] = "impact",
        [C_URGENCY] = "urgency",
        [C_PRIORITY] = "priority",
        [C_GROUP] = "assignment_group",
        [C_ASSIGNED] = "assigned_to",
        [C_RESOLVED_AT] = "resolved_at",
        [C_CLOSED_AT] = "closed_at",
        [C_TITLE] = "short_description",
        [C_CI] = "cmdb_ci",
        [C_SYMPTOM] = "u_symptom",
};

/* Fields whose changes become events, with their canonical names. */
static const struct {
	enum col col;
	const char *field;
} tracked[] = {
        {C_STATE, "state"},   {C_GROUP, "team"},      {C_ASSIGNED, "agent"},    {C_PRIORITY, "priority"},
        {C_IMPACT, "impact"}, {C_URGENCY, "urgency"}, {C_CATEGORY, "category"},
};

/* ServiceNow incident_state → canonical state. */
static const struct {
	const char *name;
	enum ticket_state state;
	bool waiting;
} states[] = {
        {"New", TICKET_STATE_NEW, false},
        {"Active", TICKET_STATE_IN_PROGRESS, false},
        {"In Progress", TICKET_STATE_IN_PROGRESS, false},
        {"Awaiting User Info", TICKET_STATE_PENDING_CUSTOMER, true},
        {"Awaiting Evidence", TICKET_STATE_PENDING_CUSTOMER, true},
        {"Awaiting Problem", TICKET_STATE_PENDING_VENDOR, true},
        {"Awaiting Vendor", TICKET_STATE_PENDING_VENDOR, true},
        {"On Hold", TICKET_STATE_PENDING_CUSTOMER, true},
        {"Resolved", TICKET_STATE_RESOLVED, false},
        {"Closed", TICKET_STATE_CLOSED, false},
};

struct srow {
	const char **f; /* _C_MAX values, NULL when missing or the column is absent */
	unsigned line;
	int mod;
	ls_time updated_at;
	ls_time opened_at, resolved_at, closed_at;
};

struct run {
	struct csv_reader *r;
	const struct import_options *o;
	const struct import_sink *sink;
	struct lserr *e;
	struct import_stats st;
	int idx[_C_MAX]; /* column position, -1 absent */
	size_t ncols;
	struct arena group; /* rows of the current incident */
	struct srow *rows;
	size_t n, cap;
	struct keyset done;
	struct rec_pause_track pauses; /* of the current incident */
	char reason[256];
};

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
	for (int c = 0; c < _C_MAX; c++)
		u->idx[c] = -1;
	for (size_t i = 0; i < row.n; i++) {
		const char *h = row.fields[i];
		while (*h == ' ')
			h++;
		for (int c = 0; c < _C_MAX; c++)
			if (u->idx[c] < 0 && strcasecmp(h, col_names[c]) == 0)
				u->idx[c] = (int)i;
	}
	u->ncols = row.n;
	if (u->idx[C_NUMBER] < 0)
		return lserr_set(u->e, -EINVAL, "invalid_file", "file",
		                 "%s:%u: no 'number' column; not a ServiceNow incident export", csv_name(u->r),
		                 row.line);
	return 0;
}

static const char *at(const struct srow *s, enum col c)
{
	return s->f[c];
}

static int row_time(struct run *u, const char *v, const char *col, unsigned line, ls_time *ret, bool *bad)
{
	if (!v) {
		*ret = REC_TIME_NONE;
		return 0;
	}
	int rc = value_time(v, u->o->date_order, u->o->tz, ret);
	if (rc < 0) {
		*bad = true;
		return bad_row(u, line, "%s: not a timestamp: '%.40s'", col, v);
	}
	return 0;
}

static int state_index(const char *s)
{
	if (!s)
		return -1;
	for (size_t i = 0; i < ELEMENTSOF(states); i++)
		if (strcasecmp(s, states[i].name) == 0)
			return (int)i;
	return -1;
}

static int cmp_mod(const void *a, const void *b)
{
	const struct srow *x = a, *y = b;
	if (x->mod != y->mod)
		return x->mod < y->mod ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static bool same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static int level(const char *v)
{
	int x;
	return value_int(v, true, 1, 5, &x) == 0 ? x : 0;
}

static int count(const char *v)
{
	int x;
	return value_int(v, false, 0, 1000000, &x) == 0 ? x : REC_UNKNOWN;
}

static int emit_events(struct run *u)
{
	const struct srow *r0 = &u->rows[0];
	struct rec_event ev = {
	        .ticket = at(r0, C_NUMBER),
	        .at = r0->opened_at ? r0->opened_at : r0->updated_at,
	        .field = "created",
	        .new_value = at(r0, C_STATE),
	        .actor = NULL,
	        .line = r0->line,
	};
	int rc;
	if (u->sink->event && (rc = u->sink->event(u->sink->ctx, &ev)) < 0)
		return rc;
	u->st.events++;
	for (size_t i = 1; i < u->n; i++) {
		const struct srow *p = &u->rows[i - 1], *s = &u->rows[i];
		for (size_t k = 0; k < ELEMENTSOF(tracked); k++) {
			enum col c = tracked[k].col;
			if (same(at(p, c), at(s, c)))
				continue;
			ev = (struct rec_event){
			        .ticket = at(s, C_NUMBER),
			        .at = s->updated_at,
			        .field = tracked[k].field,
			        .old_value = at(p, c),
			        .new_value = at(s, c),
			        .actor = at(s, C_UPDATED_BY),
			        .line = s->line,
			};
			if (u->sink->event && (rc = u->sink->event(u->sink->ctx, &ev)) < 0)
				return rc;
			u->st.events++;
		}
	}
	return 0;
}

/* Turns the buffered rows of one incident into its ticket (and events). */
static int flush(struct run *u)
{
	if (u->n == 0)
		return 0;
	int rc;
	bool sorted = true;
	for (size_t i = 1; i < u->n && sorted; i++)
		sorted = cmp_mod(&u->rows[i - 1], &u->rows[i]) <= 0;
	if (!sorted)
		qsort(u->rows, u->n, sizeof(*u->rows), cmp_mod);
	const struct srow *last = &u->rows[u->n - 1];

	struct rec_ticket t;
	rec_ticket_init(&t);
	t.source = "servicenow";
	t.source_id = t.number = at(last, C_NUMBER);
	t.type = TICKET_TYPE_INCIDENT;
	t.title = at(last, C_TITLE);
	t.state = at(last, C_STATE);
	int si = state_index(t.state);
	t.state_canon = si >= 0 ? states[si].state : _TICKET_STATE_INVALID;
	t.priority = level(at(last, C_PRIORITY));
	t.impact = level(at(last, C_IMPACT));
	t.urgency = level(at(last, C_URGENCY));
	t.category = at(last, C_CATEGORY);
	t.ci = at(last, C_CI);
	t.symptom = at(last, C_SYMPTOM);
	t.channel = at(last, C_CONTACT);
	t.client = u->o->client;
	t.team = at(last, C_GROUP);
	t.agent = at(last, C_ASSIGNED);
	t.opened_at = last->opened_at;
	t.resolved_at = last->resolved_at;
	t.closed_at = last->closed_at;
	t.reopen_count = count(at(last, C_REOPEN));
	t.reassignment_count = count(at(last, C_REASSIGN));
	bool b;
	if (value_bool(at(last, C_MADE_SLA), &b) == 0)
		t.made_sla = b;
	t.line = last->line;
	if (u->idx[C_STATE] >= 0) {
		int waits = 0, prev = -1;
		rec_pause_track_reset(&u->pauses);
		for (size_t i = 0; i < u->n; i++) {
			int k = state_index(at(&u->rows[i], C_STATE));
			if (k < 0)
				continue;
			/* a waiting state lasts from the update that shows it to the next
			 * update that shows a state that is not waiting */
			rec_pause_track_state(&u->pauses, u->rows[i].updated_at, states[k].waiting);
			bool done = states[k].state == TICKET_STATE_RESOLVED || states[k].state == TICKET_STATE_CLOSED;
			if (states[k].waiting && (prev < 0 || !states[prev].waiting))
				waits++;
			if (done && !t.first_resolved_at)
				t.first_resolved_at = u->rows[i].updated_at;
			if (!done && t.first_resolved_at && !t.reopened_at)
				t.reopened_at = u->rows[i].updated_at;
			prev = k;
		}
		t.wait_count = waits;
		t.pauses = u->pauses.v;
		t.n_pauses = (int)u->pauses.n;
	}
	if (u->sink->ticket && (rc = u->sink->ticket(u->sink->ctx, &t)) < 0)
		return rc;
	u->st.tickets++;
	if (u->o->events && (rc = emit_events(u)) < 0)
		return rc;
	keyset_add(&u->done, t.source_id);
	u->n = 0;
	arena_reset(&u->group);
	return 0;
}

static int add_row(struct run *u, const struct csv_row *row)
{
	if (row->n != u->ncols)
		return bad_row(u, row->line, "%zu fields, the header has %zu", row->n, u->ncols);
	const char *num = value_or_null(row->fields[u->idx[C_NUMBER]]);
	if (!num)
		return bad_row(u, row->line, "number is missing");
	int rc;
	bool other = u->n > 0 && strcmp(num, at(&u->rows[0], C_NUMBER)) != 0;
	if ((u->n == 0 || other) && keyset_has(&u->done, num))
		return bad_row(u, row->line, "rows of incident %s are not contiguous; this row is ignored", num);
	if (other && (rc = flush(u)) < 0)
		return rc;
	if (u->n == LS_MAX_IMPORT_CASE_ROWS)
		return bad_row(u, row->line, "incident %s has more than %d rows", num, LS_MAX_IMPORT_CASE_ROWS);

	struct srow s = {.line = row->line};
	bool bad = false;
	int mod = 0;
	if (u->idx[C_MOD] >= 0 && value_int(row->fields[u->idx[C_MOD]], false, 0, INT32_MAX, &mod) < 0)
		return bad_row(u, row->line, "sys_mod_count: not a count: '%.40s'", row->fields[u->idx[C_MOD]]);
	s.mod = mod;
	static const enum col stamps[] = {C_UPDATED_AT, C_OPENED_AT, C_RESOLVED_AT, C_CLOSED_AT};
	ls_time *dst[] = {&s.updated_at, &s.opened_at, &s.resolved_at, &s.closed_at};
	for (size_t k = 0; k < ELEMENTSOF(stamps); k++) {
		int ci = u->idx[stamps[k]];
		if (ci < 0)
			continue;
		if ((rc = row_time(u, value_or_null(row->fields[ci]), col_names[stamps[k]], row->line, dst[k], &bad)) <
		    0)
			return rc;
		if (bad)
			return 0;
	}

	/* keep the row: one copy of the field block, pointers rebuilt into it */
	const char *b0 = row->fields[0];
	const char *bl = row->fields[row->n - 1];
	size_t len = (size_t)(bl - b0) + strlen(bl) + 1;
	char *copy = arena_alloc(&u->group, len);
	memcpy(copy, b0, len);
	s.f = arena_alloc(&u->group, sizeof(*s.f) * _C_MAX);
	for (int c = 0; c < _C_MAX; c++) {
		int ci = u->idx[c];
		s.f[c] = ci < 0 ? NULL : value_or_null(copy + (row->fields[ci] - b0));
	}
	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 64;
		u->rows = xrealloc(u->rows, u->cap * sizeof(*u->rows));
	}
	u->rows[u->n++] = s;
	return 0;
}

int servicenow_import(struct csv_reader *r, const struct import_options *o, const struct import_sink *sink,
                      struct import_stats *ret_stats, struct lserr *e)
{
	struct run u = {.r = r, .o = o, .sink = sink, .e = e};
	arena_init(&u.group);
	u.group.block_size = 256 * 1024;
	keyset_init(&u.done);
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
		rc = add_row(&u, &row);
	}
	if (rc == 0)
		rc = flush(&u);
	if (rc == 0 && ret_stats)
		*ret_stats = u.st;
	xfree(u.rows);
	keyset_release(&u.done);
	arena_release(&u.group);
	rec_pause_track_free(&u.pauses);
	return rc;
}

int servicenow_import_file(const char *path, const struct import_options *o, const struct import_sink *sink,
                           struct import_stats *ret_stats, struct lserr *e)
{
	struct csv_reader *r = NULL;
	int rc = csv_open_file(path, o->sep, &r, e);
	if (rc < 0)
		return rc;
	rc = servicenow_import(r, o, sink, ret_stats, e);
	csv_close(r);
	return rc;
}
