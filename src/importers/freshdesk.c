/* Freshdesk ticket CSV exports (see freshdesk.h). Room: importers.
 *
 * One pass, one ticket per row: the row's stamps are parsed (a bad one makes the
 * row bad, named by its line), the ticket is built from the row's fields in place
 * and handed to the sink; only the set of finished ids is kept. */
#include "importers/freshdesk.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "importers/keyset.h"

enum col {
	C_ID,
	C_SUBJECT,
	C_STATUS,
	C_PRIORITY,
	C_SOURCE,
	C_TYPE,
	C_AGENT,
	C_GROUP,
	C_CREATED,
	C_DUE,
	C_RESOLVED,
	C_CLOSED,
	C_UPDATED,
	C_INITIAL_RESPONSE,
	C_FRT_HRS,
	C_RES_HRS,
	C_AGENT_INTERACTIONS,
	C_CUSTOMER_INTERACTIONS,
	C_RESOLUTION_STATUS,
	C_FIRST_RESPONSE_STATUS,
	C_TAGS,
	C_CATEGORY,
	_C_MAX,
};

static const char *const col_names[_C_MAX] = {
        [C_ID] = "Ticket ID",
        [C_SUBJECT] = "Subject",
        [C_STATUS] = "Status",
        [C_PRIORITY] = "Priority",
        [C_SOURCE] = "Source",
        [C_TYPE] = "Type",
        [C_AGENT] = "Agent",
        [C_GROUP] = "Group",
        [C_CREATED] = "Created time",
        [C_DUE] = "Due by Time",
        [C_RESOLVED] = "Resolved time",
        [C_CLOSED] = "Closed time",
        [C_UPDATED] = "Last updated time",
        [C_INITIAL_RESPONSE] = "Initial response time",
        [C_FRT_HRS] = "First response time (in hrs)",
        [C_RES_HRS] = "Resolution time (in hrs)",
        [C_AGENT_INTERACTIONS] = "Agent interactions",
        [C_CUSTOMER_INTERACTIONS] = "Customer interactions",
        [C_RESOLUTION_STATUS] = "Resolution status",
        [C_FIRST_RESPONSE_STATUS] = "First response status",
        [C_TAGS] = "Tags",
        [C_CATEGORY] = "Category",
};

static const struct {
	const char *name;
	enum ticket_state state;
} states[] = {
        {"Open", TICKET_STATE_IN_PROGRESS},
        {"Pending", TICKET_STATE_PENDING_CUSTOMER},
        {"Waiting on Customer", TICKET_STATE_PENDING_CUSTOMER},
        {"Waiting on Third Party", TICKET_STATE_PENDING_VENDOR},
        {"Resolved", TICKET_STATE_RESOLVED},
        {"Closed", TICKET_STATE_CLOSED},
};

static const struct {
	const char *name;
	int level;
} priorities[] = {
        {"Urgent", 1},
        {"High", 2},
        {"Medium", 3},
        {"Low", 4},
};

static const struct {
	const char *name, *canon;
} channels[] = {
        {"Email", "email"}, {"Phone", "phone"}, {"Portal", "web"}, {"Chat", "chat"}, {"API", "api"},
};

struct run {
	struct csv_reader *r;
	const struct import_options *o;
	const struct import_sink *sink;
	struct lserr *e;
	struct import_stats st;
	int idx[_C_MAX];
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
	if (u->idx[C_ID] < 0)
		return lserr_set(u->e, -EINVAL, "invalid_file", "file",
		                 "%s:%u: no 'Ticket ID' column; not a Freshdesk ticket export", csv_name(u->r),
		                 row.line);
	return 0;
}

/* Hours as Freshdesk writes them: "2.5", "2,5" or "H:MM[:SS]". */
static int hours(const char *s, double *ret)
{
	if (value_double(s, 0, 1e7, ret) == 0)
		return 0;
	unsigned h, m, sec = 0;
	int n = 0;
	if ((sscanf(s, "%u:%2u:%2u%n", &h, &m, &sec, &n) == 3 || sscanf(s, "%u:%2u%n", &h, &m, &n) == 2) &&
	    s[n] == '\0' && m < 60 && sec < 60 && h < 10000000) {
		*ret = h + m / 60.0 + sec / 3600.0;
		return 0;
	}
	return -EINVAL;
}

static int count(const char *v)
{
	int x;
	return v && value_int(v, false, 0, 1000000, &x) == 0 ? x : REC_UNKNOWN;
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
		f[c] = u->idx[c] < 0 ? NULL : value_or_null(row->fields[u->idx[c]]);
	if (!f[C_ID])
		return bad_row(u, row->line, "Ticket ID is missing");
	if (keyset_has(&u->done, f[C_ID]))
		return bad_row(u, row->line, "ticket %.40s appears a second time; this row is ignored", f[C_ID]);

	static const enum col stamps[] = {C_CREATED, C_DUE, C_RESOLVED, C_CLOSED, C_UPDATED, C_INITIAL_RESPONSE};
	ls_time at[ELEMENTSOF(stamps)];
	for (size_t k = 0; k < ELEMENTSOF(stamps); k++) {
		at[k] = REC_TIME_NONE;
		const char *v = f[stamps[k]];
		if (v && value_time(v, u->o->date_order, u->o->tz, &at[k]) < 0)
			return bad_row(u, row->line, "%s: not a timestamp: '%.40s'", col_names[stamps[k]], v);
	}
	double frt = NAN, res = NAN;
	if (f[C_FRT_HRS] && hours(f[C_FRT_HRS], &frt) < 0)
		return bad_row(u, row->line, "%s: not a number of hours: '%.40s'", col_names[C_FRT_HRS], f[C_FRT_HRS]);
	if (f[C_RES_HRS] && hours(f[C_RES_HRS], &res) < 0)
		return bad_row(u, row->line, "%s: not a number of hours: '%.40s'", col_names[C_RES_HRS], f[C_RES_HRS]);

	struct rec_ticket t;
	rec_ticket_init(&t);
	t.source = "freshdesk";
	t.source_id = t.number = f[C_ID];
	t.title = f[C_SUBJECT];
	t.state = f[C_STATUS];
	t.state_canon = _TICKET_STATE_INVALID;
	for (size_t i = 0; t.state && i < ELEMENTSOF(states); i++)
		if (strcasecmp(t.state, states[i].name) == 0)
			t.state_canon = states[i].state;
	for (size_t i = 0; f[C_PRIORITY] && i < ELEMENTSOF(priorities); i++)
		if (strcasecmp(f[C_PRIORITY], priorities[i].name) == 0)
			t.priority = priorities[i].level;
	t.channel = f[C_SOURCE];
	for (size_t i = 0; t.channel && i < ELEMENTSOF(channels); i++)
		if (strcasecmp(f[C_SOURCE], channels[i].name) == 0)
			t.channel = channels[i].canon;
	t.category = f[C_CATEGORY] ? f[C_CATEGORY] : f[C_TYPE];
	t.client = u->o->client;
	t.team = f[C_GROUP];
	t.agent = f[C_AGENT];
	t.opened_at = at[0];
	t.resolution_due_at = at[1];
	t.resolved_at = at[2];
	t.closed_at = at[3];
	t.first_response_at = at[5];
	if (!t.first_response_at && t.opened_at && !isnan(frt))
		t.first_response_at = t.opened_at + (ls_time)llround(frt * 3600.0);
	if (!t.resolved_at && t.opened_at && !isnan(res))
		t.resolved_at = t.opened_at + (ls_time)llround(res * 3600.0);
	t.first_resolved_at = REC_TIME_NONE;
	t.agent_replies = count(f[C_AGENT_INTERACTIONS]);
	t.customer_interactions = count(f[C_CUSTOMER_INTERACTIONS]);
	if (f[C_RESOLUTION_STATUS]) {
		if (strcasecmp(f[C_RESOLUTION_STATUS], "Within SLA") == 0)
			t.made_sla = 1;
		else if (strcasecmp(f[C_RESOLUTION_STATUS], "SLA Violated") == 0)
			t.made_sla = 0;
	}
	t.line = row->line;
	int rc;
	if (u->sink->ticket && (rc = u->sink->ticket(u->sink->ctx, &t)) < 0)
		return rc;
	u->st.tickets++;
	keyset_add(&u->done, t.source_id);
	if (!u->o->events)
		return 0;
	struct rec_event ev = {.ticket = t.source_id,
	                       .at = t.opened_at ? t.opened_at : at[4],
	                       .field = "created",
	                       .new_value = "Open",
	                       .line = row->line};
	if ((rc = emit(u, &ev)) < 0)
		return rc;
	const char *prev = "Open";
	if (t.resolved_at) {
		ev = (struct rec_event){.ticket = t.source_id,
		                        .at = t.resolved_at,
		                        .field = "state",
		                        .old_value = prev,
		                        .new_value = "Resolved",
		                        .line = row->line};
		if ((rc = emit(u, &ev)) < 0)
			return rc;
		prev = "Resolved";
	}
	if (t.closed_at) {
		ev = (struct rec_event){.ticket = t.source_id,
		                        .at = t.closed_at,
		                        .field = "state",
		                        .old_value = prev,
		                        .new_value = "Closed",
		                        .line = row->line};
		if ((rc = emit(u, &ev)) < 0)
			return rc;
	}
	return 0;
}

int freshdesk_import(struct csv_reader *r, const struct import_options *o, const struct import_sink *sink,
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

int freshdesk_import_file(const char *path, const struct import_options *o, const struct import_sink *sink,
                          struct import_stats *ret_stats, struct lserr *e)
{
	struct csv_reader *r = NULL;
	int rc = csv_open_file(path, o->sep, &r, e);
	if (rc < 0)
		return rc;
	rc = freshdesk_import(r, o, sink, ret_stats, e);
	csv_close(r);
	return rc;
}
