/* Jira CSV issue exports (see jira.h). Room: importers.
 *
 * One pass, one ticket per row, built from the row's fields in place. A repeated
 * column (several "Labels") keeps every position; the first non-empty value is the
 * field's value. Jira's "12/Mar/24 3:04 PM" is rewritten as "2024-03-12 15:04:00" and
 * handed to value_time(), so zones and bounds follow the common rules. */
#include "importers/jira.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "importers/keyset.h"

enum col {
	C_KEY,
	C_ID,
	C_SUMMARY,
	C_TYPE,
	C_STATUS,
	C_PRIORITY,
	C_ASSIGNEE,
	C_REPORTER,
	C_CREATED,
	C_UPDATED,
	C_RESOLVED,
	C_RESOLUTION,
	C_COMPONENT,
	C_LABELS,
	_C_MAX,
};

static const char *const col_names[_C_MAX] = {
        [C_KEY] = "Issue key",         [C_ID] = "Issue id",       [C_SUMMARY] = "Summary",
        [C_TYPE] = "Issue Type",       [C_STATUS] = "Status",     [C_PRIORITY] = "Priority",
        [C_ASSIGNEE] = "Assignee",     [C_REPORTER] = "Reporter", [C_CREATED] = "Created",
        [C_UPDATED] = "Updated",       [C_RESOLVED] = "Resolved", [C_RESOLUTION] = "Resolution",
        [C_COMPONENT] = "Component/s", [C_LABELS] = "Labels",
};

#define MAX_REPEAT 32 /* positions of one repeated column that are looked at */

static const struct {
	const char *name;
	enum ticket_state state;
} states[] = {
        {"Open", TICKET_STATE_NEW},
        {"To Do", TICKET_STATE_NEW},
        {"Backlog", TICKET_STATE_NEW},
        {"New", TICKET_STATE_NEW},
        {"In Progress", TICKET_STATE_IN_PROGRESS},
        {"Reopened", TICKET_STATE_IN_PROGRESS},
        {"Waiting for support", TICKET_STATE_IN_PROGRESS},
        {"Escalated", TICKET_STATE_IN_PROGRESS},
        {"Waiting for customer", TICKET_STATE_PENDING_CUSTOMER},
        {"Pending", TICKET_STATE_PENDING_CUSTOMER},
        {"Waiting for vendor", TICKET_STATE_PENDING_VENDOR},
        {"Waiting for third party", TICKET_STATE_PENDING_VENDOR},
        {"Resolved", TICKET_STATE_RESOLVED},
        {"Done", TICKET_STATE_RESOLVED},
        {"Closed", TICKET_STATE_CLOSED},
        {"Canceled", TICKET_STATE_CLOSED},
};

static const struct {
	const char *name;
	int level;
} priorities[] = {
        {"Highest", 1}, {"Blocker", 1}, {"High", 2},  {"Critical", 2}, {"Medium", 3},
        {"Major", 3},   {"Low", 4},     {"Minor", 4}, {"Lowest", 5},   {"Trivial", 5},
};

struct run {
	struct csv_reader *r;
	const struct import_options *o;
	const struct import_sink *sink;
	struct lserr *e;
	struct import_stats st;
	int idx[_C_MAX][MAX_REPEAT]; /* positions of each column, -1 after the last */
	size_t ncols;
	struct keyset done;
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
	size_t n[_C_MAX] = {0};
	for (int c = 0; c < _C_MAX; c++)
		for (int k = 0; k < MAX_REPEAT; k++)
			u->idx[c][k] = -1;
	for (size_t i = 0; i < row.n; i++) {
		const char *h = row.fields[i];
		while (*h == ' ')
			h++;
		for (int c = 0; c < _C_MAX; c++)
			if (strcasecmp(h, col_names[c]) == 0 && n[c] < MAX_REPEAT)
				u->idx[c][n[c]++] = (int)i;
	}
	u->ncols = row.n;
	if (u->idx[C_KEY][0] < 0)
		return lserr_set(u->e, -EINVAL, "invalid_file", "file",
		                 "%s:%u: no 'Issue key' column; not a Jira issue export", csv_name(u->r), row.line);
	return 0;
}

int jira_time(const char *s, enum value_date_order order, const struct tz *tz, ls_time *ret)
{
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	if (value_is_missing(s))
		return -ENODATA;
	unsigned d, y, h, mi, sec = 0;
	char mon[4], ampm[3] = "";
	int n = 0, m = -1;
	if (sscanf(s, "%2u/%3[A-Za-z]/%4u%n", &d, mon, &y, &n) != 3 || strlen(mon) != 3)
		return value_time(s, order, tz, ret);
	const char *ys = strchr(strchr(s, '/') + 1, '/') + 1;
	size_t ny = (size_t)(s + n - ys);
	for (int i = 0; i < 12; i++)
		if (strcasecmp(mon, months[i]) == 0)
			m = i + 1;
	const char *p = s + n;
	if (m < 0 || (ny != 2 && ny != 4))
		return -EINVAL;
	if (y < 100)
		y += 2000;
	if (*p == '\0') {
		h = mi = 0;
	} else {
		n = 0;
		if (sscanf(p, " %2u:%2u%n", &h, &mi, &n) != 2)
			return -EINVAL;
		p += n;
		if (*p == ':') {
			n = 0;
			if (sscanf(p, ":%2u%n", &sec, &n) != 1)
				return -EINVAL;
			p += n;
		}
		while (*p == ' ')
			p++;
		if (*p) {
			n = 0;
			if (sscanf(p, "%2[AaPpMm]%n", ampm, &n) != 1 || p[n] || strlen(ampm) != 2 ||
			    toupper((unsigned char)ampm[1]) != 'M')
				return -EINVAL;
			if (h < 1 || h > 12)
				return -EINVAL;
			bool pm = toupper((unsigned char)ampm[0]) == 'P';
			if (!pm && toupper((unsigned char)ampm[0]) != 'A')
				return -EINVAL;
			h = h % 12 + (pm ? 12 : 0);
		}
	}
	if (d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59)
		return -EINVAL;
	char iso[40];
	snprintf(iso, sizeof(iso), "%04u-%02d-%02u %02u:%02u:%02u", y, m, d, h, mi, sec);
	return value_time(iso, order, tz, ret);
}

/* The first non-empty value of column c in the row. */
static const char *field(const struct run *u, const struct csv_row *row, enum col c)
{
	for (int k = 0; k < MAX_REPEAT && u->idx[c][k] >= 0; k++) {
		const char *v = value_or_null(row->fields[u->idx[c][k]]);
		if (v)
			return v;
	}
	return NULL;
}

static int emit(struct run *u, const struct rec_event *ev)
{
	int rc;
	if (u->sink->event && (rc = u->sink->event(u->sink->ctx, ev)) < 0)
		return rc;
	u->st.events++;
	return 0;
}

static int add_row(struct run *u, const struct csv_row *row)
{
	if (row->n != u->ncols)
		return bad_row(u, row->line, "%zu fields, the header has %zu", row->n, u->ncols);
	const char *f[_C_MAX];
	for (int c = 0; c < _C_MAX; c++)
		f[c] = field(u, row, c);
	if (!f[C_KEY])
		return bad_row(u, row->line, "Issue key is missing");
	if (keyset_has(&u->done, f[C_KEY]))
		return bad_row(u, row->line, "issue %.40s appears a second time; this row is ignored", f[C_KEY]);
	static const enum col stamps[] = {C_CREATED, C_UPDATED, C_RESOLVED};
	ls_time at[ELEMENTSOF(stamps)];
	for (size_t k = 0; k < ELEMENTSOF(stamps); k++) {
		at[k] = REC_TIME_NONE;
		const char *v = f[stamps[k]];
		if (v && jira_time(v, u->o->date_order, u->o->tz, &at[k]) < 0)
			return bad_row(u, row->line, "%s: not a timestamp: '%.40s'", col_names[stamps[k]], v);
	}

	struct rec_ticket t;
	rec_ticket_init(&t);
	t.source = "jira";
	t.source_id = t.number = f[C_KEY];
	if (f[C_TYPE] && strcasecmp(f[C_TYPE], "Problem") == 0)
		t.type = TICKET_TYPE_PROBLEM;
	else if (f[C_TYPE] && strncasecmp(f[C_TYPE], "Service Request", 15) == 0)
		t.type = TICKET_TYPE_SERVICE_REQUEST;
	t.title = f[C_SUMMARY];
	t.state = f[C_STATUS];
	t.state_canon = _TICKET_STATE_INVALID;
	for (size_t i = 0; t.state && i < ELEMENTSOF(states); i++)
		if (strcasecmp(t.state, states[i].name) == 0)
			t.state_canon = states[i].state;
	for (size_t i = 0; f[C_PRIORITY] && i < ELEMENTSOF(priorities); i++)
		if (strcasecmp(f[C_PRIORITY], priorities[i].name) == 0)
			t.priority = priorities[i].level;
	t.category = f[C_COMPONENT];
	t.client = u->o->client;
	t.agent = f[C_ASSIGNEE];
	t.opened_at = at[0];
	t.resolved_at = at[2];
	if (t.state_canon == TICKET_STATE_CLOSED)
		t.closed_at = at[1] ? at[1] : at[2];
	if (t.state && strcasecmp(t.state, "Reopened") == 0)
		t.reopen_count = 1;
	t.line = row->line;
	int rc;
	if (u->sink->ticket && (rc = u->sink->ticket(u->sink->ctx, &t)) < 0)
		return rc;
	u->st.tickets++;
	keyset_add(&u->done, t.source_id);
	if (!u->o->events)
		return 0;
	struct rec_event ev = {.ticket = t.source_id,
	                       .at = t.opened_at ? t.opened_at : at[1],
	                       .field = "created",
	                       .actor = f[C_REPORTER],
	                       .line = row->line};
	if ((rc = emit(u, &ev)) < 0)
		return rc;
	if (t.resolved_at) {
		ev = (struct rec_event){.ticket = t.source_id,
		                        .at = t.resolved_at,
		                        .field = "resolution",
		                        .new_value = f[C_RESOLUTION],
		                        .line = row->line};
		if ((rc = emit(u, &ev)) < 0)
			return rc;
	}
	return 0;
}

int jira_import(struct csv_reader *r, const struct import_options *o, const struct import_sink *sink,
                struct import_stats *ret_stats, struct lserr *e)
{
	struct run u = {.r = r, .o = o, .sink = sink, .e = e};
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
	if (rc == 0 && ret_stats)
		*ret_stats = u.st;
	keyset_release(&u.done);
	return rc;
}

int jira_import_file(const char *path, const struct import_options *o, const struct import_sink *sink,
                     struct import_stats *ret_stats, struct lserr *e)
{
	struct csv_reader *r = NULL;
	int rc = csv_open_file(path, o->sep, &r, e);
	if (rc < 0)
		return rc;
	rc = jira_import(r, o, sink, ret_stats, e);
	csv_close(r);
	return rc;
}
