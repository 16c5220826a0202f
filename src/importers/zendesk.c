/* Zendesk JSON exports (see zendesk.h). Room: importers.
 *
 * A byte scanner over the input (gzread chunks, or memory) cuts out each top-level
 * object: outside objects it skips blanks, commas and the brackets of an enclosing
 * array; inside it counts brackets outside strings. The object's bytes go to a
 * growing buffer and jansson parses them; a page {"tickets": [...]} yields each
 * element. A ticket is read in two steps: its audits and metric events give the
 * derived instants and counts, then the ticket goes to the sink and after it the
 * events (the store replaces a ticket's events when the ticket is written). Strings
 * made for one ticket (ids as text) live in an arena reset per ticket. */
#include "importers/zendesk.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/limits.h"
#include "importers/keyset.h"

#define CHUNK_BYTES (256 * 1024)

struct run {
	const char *name;
	gzFile gz; /* NULL for memory input */
	const unsigned char *data;
	size_t len, pos;
	unsigned char *own;
	bool eof, failed;
	unsigned line;
	const struct import_options *o;
	const struct import_sink *sink;
	struct lserr *e;
	struct import_stats st;
	struct keyset done;
	struct arena arena;
	char *buf;
	size_t blen, bcap;
	char reason[256];
};

static int bad_row(struct run *u, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad_row(struct run *u, unsigned line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = import_vbad_row(u->o, u->sink, &u->st, u->e, u->name, line, u->reason, sizeof(u->reason), fmt, ap);
	va_end(ap);
	return r;
}

/* The next byte, -1 at the end (u->failed on a read error). */
static int next(struct run *u)
{
	if (u->pos == u->len) {
		if (!u->gz || u->eof)
			return -1;
		int n = gzread(u->gz, u->own, CHUNK_BYTES);
		if (n <= 0) {
			u->eof = true;
			if (n < 0)
				u->failed = true;
			else {
				int err;
				gzerror(u->gz, &err);
				u->failed = err != Z_OK && err != Z_BUF_ERROR;
			}
			return -1;
		}
		u->data = u->own;
		u->len = (size_t)n;
		u->pos = 0;
	}
	int c = u->data[u->pos++];
	if (c == '\n')
		u->line++;
	return c;
}

static void buf_put(struct run *u, char c)
{
	if (u->blen + 1 >= u->bcap) {
		u->bcap = u->bcap ? u->bcap * 2 : 64 * 1024;
		u->buf = xrealloc(u->buf, u->bcap);
	}
	u->buf[u->blen++] = c;
}

/* ---- reading one ticket ---- */

static const struct {
	const char *name;
	enum ticket_state state;
} states[] = {
        {"new", TICKET_STATE_NEW},
        {"open", TICKET_STATE_IN_PROGRESS},
        {"pending", TICKET_STATE_PENDING_CUSTOMER},
        {"hold", TICKET_STATE_PENDING_VENDOR},
        {"solved", TICKET_STATE_RESOLVED},
        {"closed", TICKET_STATE_CLOSED},
};

static const struct {
	const char *name;
	int level;
} priorities[] = {{"urgent", 1}, {"high", 2}, {"normal", 3}, {"low", 4}};

static const struct {
	const char *name, *canon;
} channels[] = {
        {"email", "email"},    {"web", "web"},       {"api", "api"},
        {"chat", "chat"},      {"voice", "phone"},   {"native_messaging", "chat"},
        {"messaging", "chat"}, {"whatsapp", "chat"}, {"mobile_sdk", "chat"},
};

static enum ticket_state state_of(const char *s)
{
	for (size_t i = 0; s && i < ELEMENTSOF(states); i++)
		if (strcmp(s, states[i].name) == 0)
			return states[i].state;
	return _TICKET_STATE_INVALID;
}

static bool is_done(const char *s)
{
	return s && (strcmp(s, "solved") == 0 || strcmp(s, "closed") == 0);
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? s : NULL;
}

/* A JSON scalar as text (numbers printed into the ticket's arena); NULL for null. */
static const char *text(struct run *u, const json_t *v)
{
	if (json_is_string(v))
		return *json_string_value(v) ? json_string_value(v) : NULL;
	if (json_is_integer(v))
		return arena_printf(&u->arena, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	if (json_is_true(v))
		return "true";
	if (json_is_false(v))
		return "false";
	if (json_is_real(v))
		return arena_printf(&u->arena, "%.17g", json_real_value(v));
	return NULL;
}

/* A JSON number in [min, max] (a real is truncated); REC_UNKNOWN otherwise. */
static int num(const json_t *v, int min, int max)
{
	json_int_t x;
	if (json_is_integer(v))
		x = json_integer_value(v);
	else if (json_is_real(v) && json_real_value(v) >= min && json_real_value(v) <= max)
		x = (json_int_t)json_real_value(v);
	else
		return REC_UNKNOWN;
	return x < min || x > max ? REC_UNKNOWN : (int)x;
}

/* Minutes of a metric {calendar, business} (or a bare number) as seconds; -1 unknown. */
static int64_t minutes(const json_t *ms, const char *key)
{
	const json_t *v = json_object_get(ms, key);
	if (json_is_object(v))
		v = json_object_get(v, "calendar");
	if (!json_is_number(v))
		return -1;
	double m = json_number_value(v);
	if (!isfinite(m) || m < 0 || m > 1e9)
		return -1;
	return (int64_t)llround(m * 60.0);
}

/* Parses key of o as a stamp into *ret (0 when absent). Returns false when present but
 * not a stamp (the caller reports the row). */
static bool stamp(struct run *u, const json_t *o, const char *key, ls_time *ret)
{
	*ret = REC_TIME_NONE;
	const char *s = str(o, key);
	return !s || value_time(s, VALUE_DMY, u->o->tz, ret) == 0;
}

struct tevent {
	ls_time at;
	const char *field, *old_value, *new_value, *actor;
};

struct derived {
	ls_time first_response_at, first_resolved_at, last_solved_at, reopened_at;
	int reopens, replies, reassignments, group_changes, waits;
	bool any_breach, sla_applied;
	const char *created_status;
	struct tevent *ev;
	size_t n_ev, cap_ev;
};

static const struct {
	const char *zendesk, *field;
} tracked[] = {
        {"status", "state"},
        {"group_id", "team"},
        {"assignee_id", "agent"},
        {"priority", "priority"},
};

static void push_event(struct run *u, struct derived *d, const struct tevent *ev)
{
	if (d->n_ev == LS_MAX_IMPORT_CASE_ROWS)
		return;
	if (d->n_ev == d->cap_ev) {
		size_t ncap = d->cap_ev ? d->cap_ev * 2 : 16;
		struct tevent *n = arena_alloc(&u->arena, ncap * sizeof(*n));
		if (d->n_ev)
			memcpy(n, d->ev, d->n_ev * sizeof(*n));
		d->ev = n;
		d->cap_ev = ncap;
	}
	d->ev[d->n_ev++] = *ev;
}

/* Walks the audits: status changes, comments, assignee and group changes. */
static int read_audits(struct run *u, const json_t *t, const json_t *audits, struct derived *d, bool *bad,
                       unsigned line)
{
	const json_t *req = json_object_get(t, "requester_id");
	const char *requester = text(u, req);
	size_t i;
	const json_t *a;
	bool first_comment_seen = false;
	json_array_foreach(audits, i, a)
	{
		ls_time at;
		if (!stamp(u, a, "created_at", &at)) {
			*bad = true;
			return bad_row(u, line, "audits[%zu].created_at: not a timestamp: '%.40s'", i,
			               str(a, "created_at"));
		}
		const char *author = text(u, json_object_get(a, "author_id"));
		size_t k;
		const json_t *x;
		json_array_foreach(json_object_get(a, "events"), k, x)
		{
			const char *type = str(x, "type");
			if (!type)
				continue;
			const char *fname = str(x, "field_name");
			if (strcmp(type, "Create") == 0 && fname && strcmp(fname, "status") == 0) {
				d->created_status = text(u, json_object_get(x, "value"));
			} else if (strcmp(type, "Comment") == 0) {
				bool public = !json_is_false(json_object_get(x, "public"));
				const char *by = text(u, json_object_get(x, "author_id"));
				if (!by)
					by = author;
				/* the creation's comment is the request itself, never a reply */
				bool creation = i == 0 && !first_comment_seen;
				first_comment_seen = true;
				if (public && !creation && by && (!requester || strcmp(by, requester) != 0)) {
					d->replies++;
					if (!d->first_response_at)
						d->first_response_at = at;
				}
			} else if (strcmp(type, "Change") == 0 && fname) {
				const char *nv = text(u, json_object_get(x, "value"));
				const char *ov = text(u, json_object_get(x, "previous_value"));
				for (size_t m = 0; m < ELEMENTSOF(tracked); m++) {
					if (strcmp(fname, tracked[m].zendesk) != 0)
						continue;
					struct tevent ev = {.at = at,
					                    .field = tracked[m].field,
					                    .old_value = ov,
					                    .new_value = nv,
					                    .actor = author};
					push_event(u, d, &ev);
				}
				if (strcmp(fname, "status") == 0) {
					if (is_done(nv) && !is_done(ov)) {
						if (!d->first_resolved_at)
							d->first_resolved_at = at;
						if (nv && strcmp(nv, "solved") == 0)
							d->last_solved_at = at;
					}
					if (is_done(ov) && nv && !is_done(nv)) {
						d->reopens++;
						if (!d->reopened_at)
							d->reopened_at = at;
					}
					if (nv && (strcmp(nv, "pending") == 0 || strcmp(nv, "hold") == 0) &&
					    !(ov && (strcmp(ov, "pending") == 0 || strcmp(ov, "hold") == 0)))
						d->waits++;
				} else if (strcmp(fname, "assignee_id") == 0 && ov && nv) {
					d->reassignments++;
				} else if (strcmp(fname, "group_id") == 0 && ov && nv) {
					d->group_changes++;
				}
			}
		}
	}
	return 0;
}

struct mevent {
	ls_time at;
	bool activate;
};

static int cmp_mevent(const void *a, const void *b)
{
	const struct mevent *x = a, *y = b;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* Reads one metric event: reply_time and resolution_time fulfilments, SLA outcomes. */
static int metric_event(struct run *u, const json_t *m, const char *metric, struct derived *d, ls_time *reply,
                        struct mevent *res, size_t *n_res, bool *bad, unsigned line)
{
	if (!metric)
		metric = str(m, "metric");
	const char *type = str(m, "type");
	if (!metric || !type)
		return 0;
	ls_time at;
	if (!stamp(u, m, "time", &at)) {
		*bad = true;
		return bad_row(u, line, "metric_events: %.40s %.20s: not a timestamp: '%.40s'", metric, type,
		               str(m, "time"));
	}
	if (strcmp(type, "breach") == 0)
		d->any_breach = true;
	if (strcmp(type, "apply_sla") == 0)
		d->sla_applied = true;
	if (strcmp(metric, "reply_time") == 0 && strcmp(type, "fulfill") == 0 && at && (!*reply || at < *reply))
		*reply = at;
	if (strcmp(metric, "resolution_time") == 0 && at && *n_res < 256 &&
	    (strcmp(type, "fulfill") == 0 || strcmp(type, "activate") == 0))
		res[(*n_res)++] = (struct mevent){at, strcmp(type, "activate") == 0};
	return 0;
}

static int read_metric_events(struct run *u, const json_t *me, struct derived *d, ls_time *reply, ls_time *first_res,
                              int *reopens, ls_time *reopened, bool *bad, unsigned line)
{
	struct mevent res[256];
	size_t n_res = 0;
	int rc;
	size_t i;
	const json_t *m;
	if (json_is_array(me)) {
		json_array_foreach(me, i, m)
		{
			if ((rc = metric_event(u, m, NULL, d, reply, res, &n_res, bad, line)) < 0 || *bad)
				return rc;
		}
	} else if (json_is_object(me)) {
		const char *key;
		const json_t *arr;
		json_object_foreach((json_t *)me, key, arr)
		{
			json_array_foreach(arr, i, m)
			{
				if ((rc = metric_event(u, m, key, d, reply, res, &n_res, bad, line)) < 0 || *bad)
					return rc;
			}
		}
	}
	if (n_res == 0)
		return 0;
	qsort(res, n_res, sizeof(*res), cmp_mevent);
	bool fulfilled = false;
	*reopens = 0;
	for (size_t k = 0; k < n_res; k++) {
		if (!res[k].activate) {
			if (!*first_res)
				*first_res = res[k].at;
			fulfilled = true;
		} else if (fulfilled) {
			(*reopens)++;
			if (!*reopened)
				*reopened = res[k].at;
			fulfilled = false;
		}
	}
	return 0;
}

static int emit(struct run *u, const struct rec_event *ev)
{
	int rc;
	if (u->sink->event && (rc = u->sink->event(u->sink->ctx, ev)) < 0)
		return rc;
	u->st.events++;
	return 0;
}

static int ticket(struct run *u, const json_t *t, unsigned line)
{
	arena_reset(&u->arena);
	u->st.rows++;
	if (!json_is_object(t))
		return bad_row(u, line, "not a JSON object");
	const json_t *jid = json_object_get(t, "id");
	const char *id = NULL;
	if (json_is_integer(jid))
		id = text(u, jid);
	else if (json_is_string(jid) && *json_string_value(jid) &&
	         strspn(json_string_value(jid), "0123456789") == strlen(json_string_value(jid)))
		id = json_string_value(jid);
	if (!id)
		return bad_row(u, line, jid ? "id is not a ticket number" : "id is missing");
	if (keyset_has(&u->done, id))
		return bad_row(u, line, "ticket %.40s appears a second time; this one is ignored", id);

	static const char *const keys[] = {"created_at", "updated_at", "due_at"};
	ls_time at[3];
	for (size_t k = 0; k < ELEMENTSOF(keys); k++)
		if (!stamp(u, t, keys[k], &at[k]))
			return bad_row(u, line, "%s: not a timestamp: '%.40s'", keys[k], str(t, keys[k]));
	const json_t *ms = json_object_get(t, "metric_set");
	if (!json_is_object(ms))
		ms = NULL;
	ls_time solved_at = 0, status_updated_at = 0;
	if (ms && !stamp(u, ms, "solved_at", &solved_at))
		return bad_row(u, line, "metric_set.solved_at: not a timestamp: '%.40s'", str(ms, "solved_at"));
	if (ms && !stamp(u, ms, "status_updated_at", &status_updated_at))
		return bad_row(u, line, "metric_set.status_updated_at: not a timestamp: '%.40s'",
		               str(ms, "status_updated_at"));

	struct derived d = {0};
	bool bad = false;
	int rc;
	const json_t *audits = json_object_get(t, "audits");
	bool have_audits = json_is_array(audits) && json_array_size(audits) > 0;
	if (have_audits && ((rc = read_audits(u, t, audits, &d, &bad, line)) < 0 || bad))
		return rc;
	ls_time me_reply = 0, me_first_res = 0, me_reopened = 0;
	int me_reopens = REC_UNKNOWN;
	const json_t *me = json_object_get(t, "metric_events");
	if (me && ((rc = read_metric_events(u, me, &d, &me_reply, &me_first_res, &me_reopens, &me_reopened, &bad,
	                                    line)) < 0 ||
	           bad))
		return rc;

	struct rec_ticket r;
	rec_ticket_init(&r);
	r.source = "zendesk";
	r.source_id = r.number = id;
	const char *type = str(t, "type");
	if (type && strcmp(type, "problem") == 0)
		r.type = TICKET_TYPE_PROBLEM;
	r.title = str(t, "subject");
	r.state = str(t, "status");
	r.state_canon = state_of(r.state);
	for (size_t i = 0; str(t, "priority") && i < ELEMENTSOF(priorities); i++)
		if (strcmp(str(t, "priority"), priorities[i].name) == 0)
			r.priority = priorities[i].level;
	r.channel = str(json_object_get(t, "via"), "channel");
	for (size_t i = 0; r.channel && i < ELEMENTSOF(channels); i++)
		if (strcmp(r.channel, channels[i].name) == 0)
			r.channel = channels[i].canon;
	r.client = u->o->client;
	r.team = text(u, json_object_get(t, "group_id"));
	r.agent = text(u, json_object_get(t, "assignee_id"));
	r.opened_at = at[0];
	r.resolution_due_at = at[2];
	bool done = is_done(r.state);

	int64_t s;
	if (r.opened_at && ms && (s = minutes(ms, "reply_time_in_minutes")) >= 0)
		r.first_response_at = r.opened_at + s;
	else if (me_reply)
		r.first_response_at = me_reply;
	else
		r.first_response_at = d.first_response_at;
	if (r.opened_at && ms && (s = minutes(ms, "first_resolution_time_in_minutes")) >= 0)
		r.first_resolved_at = r.opened_at + s;
	else if (me_first_res)
		r.first_resolved_at = me_first_res;
	else
		r.first_resolved_at = d.first_resolved_at;
	if (done) {
		if (solved_at)
			r.resolved_at = solved_at;
		else if (r.opened_at && ms && (s = minutes(ms, "full_resolution_time_in_minutes")) >= 0)
			r.resolved_at = r.opened_at + s;
		else
			r.resolved_at = d.last_solved_at;
		if (strcmp(r.state, "closed") == 0)
			r.closed_at = status_updated_at ? status_updated_at : at[1];
	}
	int v;
	if (ms && (v = num(json_object_get(ms, "reopens"), 0, 1000000)) != REC_UNKNOWN)
		r.reopen_count = v;
	else if (me_reopens != REC_UNKNOWN)
		r.reopen_count = me_reopens;
	else if (have_audits)
		r.reopen_count = d.reopens;
	r.reopened_at = me_reopened ? me_reopened : d.reopened_at;
	if (ms && (v = num(json_object_get(ms, "replies"), 0, 1000000)) != REC_UNKNOWN)
		r.agent_replies = v;
	else if (have_audits)
		r.agent_replies = d.replies;
	if (ms && (v = num(json_object_get(ms, "assignee_stations"), 0, 1000000)) != REC_UNKNOWN)
		r.reassignment_count = v > 1 ? v - 1 : 0;
	else if (have_audits)
		r.reassignment_count = d.reassignments;
	if (ms && (v = num(json_object_get(ms, "group_stations"), 0, 1000000)) != REC_UNKNOWN)
		r.group_escalations = v > 1 ? v - 1 : 0;
	else if (have_audits)
		r.group_escalations = d.group_changes;
	if (have_audits)
		r.wait_count = d.waits;
	if (d.any_breach)
		r.made_sla = 0;
	else if (d.sla_applied && done)
		r.made_sla = 1;
	const char *score = str(json_object_get(t, "satisfaction_rating"), "score");
	if (score && strcmp(score, "good") == 0)
		r.csat = 5;
	else if (score && strcmp(score, "bad") == 0)
		r.csat = 1;
	r.line = line;

	if (u->sink->ticket && (rc = u->sink->ticket(u->sink->ctx, &r)) < 0)
		return rc;
	u->st.tickets++;
	keyset_add(&u->done, id);
	if (!u->o->events)
		return 0;
	struct rec_event ev = {.ticket = id,
	                       .at = r.opened_at ? r.opened_at : at[1],
	                       .field = "created",
	                       .new_value = d.created_status ? d.created_status : "new",
	                       .line = line};
	if ((rc = emit(u, &ev)) < 0)
		return rc;
	for (size_t i = 0; i < d.n_ev; i++) {
		ev = (struct rec_event){.ticket = id,
		                        .at = d.ev[i].at,
		                        .field = d.ev[i].field,
		                        .old_value = d.ev[i].old_value,
		                        .new_value = d.ev[i].new_value,
		                        .actor = d.ev[i].actor,
		                        .line = line};
		if ((rc = emit(u, &ev)) < 0)
			return rc;
	}
	if (!have_audits && r.resolved_at) {
		ev = (struct rec_event){
		        .ticket = id, .at = r.resolved_at, .field = "state", .new_value = "solved", .line = line};
		if ((rc = emit(u, &ev)) < 0)
			return rc;
	}
	return 0;
}

/* One top-level object: a ticket or a page of tickets. */
static int object(struct run *u, unsigned line)
{
	json_error_t jerr;
	json_t *j = json_loadb(u->buf, u->blen, JSON_DECODE_ANY, &jerr);
	if (!j) {
		u->st.rows++;
		return bad_row(u, line + (jerr.line > 1 ? (unsigned)jerr.line - 1 : 0), "not JSON: %.120s", jerr.text);
	}
	int rc = 0;
	const json_t *page = json_object_get(j, "tickets");
	if (json_is_array(page) && !json_object_get(j, "id")) {
		size_t i;
		const json_t *t;
		json_array_foreach(page, i, t)
		{
			if ((rc = ticket(u, t, line)) < 0)
				break;
		}
	} else {
		rc = ticket(u, j, line);
	}
	json_decref(j);
	return rc;
}

static int run(struct run *u)
{
	int c, rc = 0;
	u->line = 1;
	/* UTF-8 byte-order mark */
	if (u->pos + 3 <= u->len && memcmp(u->data + u->pos, "\xEF\xBB\xBF", 3) == 0)
		u->pos += 3;
	while (rc == 0 && (c = next(u)) >= 0) {
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == '[' || c == ']')
			continue;
		unsigned start = u->line;
		if (c != '{') {
			u->st.rows++;
			rc = bad_row(u, start, "not a JSON object (starts with '%c')", c >= 0x20 && c < 0x7f ? c : '?');
			while ((c = next(u)) >= 0 && c != '\n')
				;
			continue;
		}
		u->blen = 0;
		buf_put(u, (char)c);
		int depth = 1;
		bool in_str = false, esc = false, big = false;
		while (depth > 0 && (c = next(u)) >= 0) {
			if (u->blen < LS_MAX_IMPORT_JSON_RECORD_BYTES)
				buf_put(u, (char)c);
			else
				big = true;
			if (in_str) {
				if (esc)
					esc = false;
				else if (c == '\\')
					esc = true;
				else if (c == '"')
					in_str = false;
			} else if (c == '"') {
				in_str = true;
			} else if (c == '{' || c == '[') {
				depth++;
			} else if (c == '}' || c == ']') {
				depth--;
			}
		}
		if (u->failed)
			break;
		if (depth > 0) {
			u->st.rows++;
			rc = bad_row(u, start, "unterminated JSON object at the end of the input");
		} else if (big) {
			u->st.rows++;
			rc = bad_row(u, start, "ticket object longer than %d bytes", LS_MAX_IMPORT_JSON_RECORD_BYTES);
		} else {
			rc = object(u, start);
		}
	}
	if (rc == 0 && u->failed)
		rc = lserr_set(u->e, -EIO, "io_error", "file", "%s:%u: read error (corrupt gzip data?)", u->name,
		               u->line);
	return rc;
}

static int finish(struct run *u, int rc, struct import_stats *ret_stats)
{
	if (rc == 0 && ret_stats)
		*ret_stats = u->st;
	keyset_release(&u->done);
	arena_release(&u->arena);
	xfree(u->buf);
	xfree(u->own);
	if (u->gz)
		gzclose(u->gz);
	return rc;
}

int zendesk_import_mem(const void *data, size_t n, const char *name, const struct import_options *o,
                       const struct import_sink *sink, struct import_stats *ret_stats, struct lserr *e)
{
	struct run u = {.name = name, .data = data, .len = n, .o = o, .sink = sink, .e = e};
	keyset_init(&u.done);
	arena_init(&u.arena);
	return finish(&u, run(&u), ret_stats);
}

int zendesk_import_file(const char *path, const struct import_options *o, const struct import_sink *sink,
                        struct import_stats *ret_stats, struct lserr *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int rc = -errno;
		return lserr_set(e, rc, rc == -ENOENT ? "not_found" : "io_error", "file", "%s: %s", path,
		                 strerror(-rc));
	}
	struct run u = {.name = path, .o = o, .sink = sink, .e = e};
	u.gz = gzdopen(fd, "rb");
	if (!u.gz) {
		close(fd);
		return lserr_set(e, -ENOMEM, "io_error", "file", "%s: cannot start decompression", path);
	}
	gzbuffer(u.gz, CHUNK_BYTES);
	u.own = xmalloc(CHUNK_BYTES);
	keyset_init(&u.done);
	arena_init(&u.arena);
	/* fill the first chunk so the byte-order mark can be seen */
	int c = next(&u);
	if (c >= 0) {
		u.pos--;
		if (c == '\n')
			u.line--;
	}
	return finish(&u, run(&u), ret_stats);
}
