/* The register of data-subject requests (see dsr.h). Room: service.
 * Invariants: due_at and due_date are fixed at receipt (one calendar month in the
 * client's time zone); an extension is granted once, before the first deadline,
 * and runs to three months after receipt; a closed request (done, rejected) is
 * final and carries completed_at; every change leaves a history event and a
 * privacy audit entry in the same transaction. The schema refuses the rest. */
#include "service/dsr.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "core/parse.h"
#include "core/strbuf.h"
#include "service/audit.h"
#include "service/directory.h"
#include "service/persons.h"
#include "store/dirdb.h"
#include "store/dsrdb.h"

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t local_day(const struct tz *tz, ls_time t)
{
	return floor_div(t + tz_offset_at(tz, t), 86400);
}

void dsr_deadline(const struct tz *tz, ls_time received_at, unsigned months, int64_t *ret_day, ls_time *ret_at)
{
	int64_t day = dsr_add_months(local_day(tz, received_at), months);
	*ret_day = day;
	*ret_at = tz_local_to_utc(tz, (day + 1) * 86400) - 1;
}

/* ---- time zones of clients, loaded once per call ---- */

struct zones {
	struct {
		int64_t client_id;
		struct tz *tz;
	} v[8];
	size_t n;
};

static void zones_free(struct zones *z)
{
	for (size_t i = 0; i < z->n; i++)
		tz_free(z->v[i].tz);
	z->n = 0;
}

static int zone_of(struct svc *s, struct zones *z, int64_t client_id, const struct tz **ret)
{
	for (size_t i = 0; i < z->n; i++)
		if (z->v[i].client_id == client_id) {
			*ret = z->v[i].tz;
			return 0;
		}
	struct client c;
	int r = dirdb_client_by_id(s->st, s->arena, client_id, &c);
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");
	struct tz *tz;
	if ((r = tz_load(c.timezone && *c.timezone ? c.timezone : "UTC", &tz, s->err)) < 0)
		return r;
	if (z->n == sizeof(z->v) / sizeof(z->v[0])) { /* many clients on one page: keep the newest */
		tz_free(z->v[0].tz);
		memmove(&z->v[0], &z->v[1], (z->n - 1) * sizeof(z->v[0]));
		z->n--;
	}
	z->v[z->n].client_id = client_id;
	z->v[z->n].tz = tz;
	z->n++;
	*ret = tz;
	return 0;
}

static void derive(struct svc *s, const struct tz *tz, struct dsr_request *r)
{
	ls_time deadline = r->extended_until ? r->extended_until : r->due_at;
	r->days_left = local_day(tz, deadline) - local_day(tz, s->now);
	r->overdue = !dsr_state_closed(r->state) && s->now > deadline;
	r->late = dsr_state_closed(r->state) && r->completed_at > deadline;
}

/* ---- helpers ---- */

static bool may(const struct svc *s, unsigned perm)
{
	return (role_permissions(s->actor->role) & perm) == perm;
}

static int forbidden(struct svc *s, const char *what, bool write)
{
	return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL, "%s needs privacy %s permission (admin, dpo%s)",
	                 what, write ? "write" : "read", write ? "" : ", auditor");
}

static int fail(struct svc *s, int r, const char *what)
{
	if (r != -ENOENT && r != -LS_ECONFLICT && r != -LS_ESTALE && r != -EINVAL && r != -LS_EFORBIDDEN)
		r = store_error(s->st, s->err, what);
	store_rollback(s->st);
	return r;
}

static bool text_ok(const char *t, size_t max)
{
	return consent_text_valid(t, max, true);
}

static int audit_dsr(struct svc *s, const struct dsr_request *r, const char *action, json_t *extra)
{
	json_t *d = json_pack("{s:s, s:I, s:s, s:s, s:o}", "action", action, "request", (json_int_t)r->id, "kind",
	                      dsr_kind_to_string(r->kind), "state", dsr_state_to_string(r->state), "person",
	                      r->person_pseudonym ? json_string(r->person_pseudonym) : json_null());
	if (extra)
		json_object_update_new(d, extra);
	return audit_append(s, AUDIT_KIND_PRIVACY, r->client_id,
	                    arena_printf(s->arena, "request %lld", (long long)r->id), d);
}

/* The person to link: visible and of the request's client; *ret_pseudonym its pseudonym. */
static int check_person(struct svc *s, int64_t client_id, int64_t person_id, const char **ret_pseudonym)
{
	struct person p;
	int r = persons_get(s, person_id, &p);
	if (r == -ENOENT || (r == 0 && p.client_id != client_id)) {
		lserr_clear(s->err);
		return lserr_set(s->err, -EINVAL, "invalid_field", "person",
		                 "person %lld does not exist in the request's client", (long long)person_id);
	}
	if (r < 0)
		return r;
	*ret_pseudonym = arena_strdup(s->arena, p.pseudonym);
	return 0;
}

static int load(struct svc *s, int64_t id, struct dsr_request *ret)
{
	int r = dsrdb_get(s->st, s->arena, id, ret);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, ret->client_id)))
		return lserr_set(s->err, -ENOENT, "not_found", "id", "request %lld does not exist", (long long)id);
	return r < 0 ? store_error(s->st, s->err, "reading the request") : 0;
}

static int load_derived(struct svc *s, int64_t id, struct dsr_request *ret)
{
	int r = load(s, id, ret);
	if (r < 0)
		return r;
	struct zones z = {.n = 0};
	const struct tz *tz;
	if ((r = zone_of(s, &z, ret->client_id, &tz)) == 0)
		derive(s, tz, ret);
	zones_free(&z);
	return r;
}

/* ---- create ---- */

int dsr_create(struct svc *s, const struct dsr_input *in, struct dsr_request *ret)
{
	lserr_clear(s->err);
	if (!may(s, PERM_PRIVACY_WRITE))
		return forbidden(s, "registering a request", true);
	if (!in->client || !*in->client)
		return lserr_set(s->err, -EINVAL, "missing_field", "client", "client must be given");
	struct client c;
	int r = dirdb_client_by_code(s->st, s->arena, in->client, &c);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, c.id)))
		return lserr_set(s->err, -EINVAL, "invalid_field", "client", "client '%.40s' does not exist",
		                 in->client);
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");
	if (!in->kind || !*in->kind)
		return lserr_set(s->err, -EINVAL, "missing_field", "kind", "kind must be given");
	int kind = dsr_kind_from_string(in->kind);
	if (kind < 0)
		return lserr_set(s->err, -EINVAL, "invalid_field", "kind",
		                 "kind must be access, rectification, erasure, restriction, portability or objection");
	if (!in->channel || !*in->channel)
		return lserr_set(s->err, -EINVAL, "missing_field", "channel",
		                 "channel must say how the request came (one of %s)", privacy_channel_list);
	int ch = privacy_channel_from_string(in->channel);
	if (ch < 0)
		return lserr_set(s->err, -EINVAL, "invalid_field", "channel", "channel must be one of %s",
		                 privacy_channel_list);
	ls_time received = in->received_at ? in->received_at : s->now;
	if (received > s->now)
		return lserr_set(s->err, -EINVAL, "invalid_field", "received_at",
		                 "received_at must not be in the future");
	if (received < DSR_EARLIEST)
		return lserr_set(s->err, -EINVAL, "invalid_field", "received_at",
		                 "received_at must not be before 2018-05-25 (the GDPR applies from then)");
	if (in->reference && !consent_text_valid(in->reference, DSR_MAX_REFERENCE, false))
		return lserr_set(s->err, -EINVAL, "invalid_field", "reference",
		                 "reference must be 1 to %d characters without control characters", DSR_MAX_REFERENCE);
	if (in->note && !text_ok(in->note, DSR_MAX_REASON))
		return lserr_set(s->err, -EINVAL, "invalid_field", "note",
		                 "note must be 1 to %d characters without control characters", DSR_MAX_REASON);
	struct dsr_request q = {
	        .client_id = c.id,
	        .client_code = c.code,
	        .kind = (enum dsr_kind)kind,
	        .channel = (enum privacy_channel)ch,
	        .reference = in->reference,
	        .received_at = received,
	        .state = DSR_STATE_OPEN,
	        .created_at = s->now,
	        .updated_at = s->now,
	};
	if (in->person_id > 0 && (r = check_person(s, c.id, in->person_id, &q.person_pseudonym)) < 0)
		return r;
	q.person_id = in->person_id > 0 ? in->person_id : 0;
	struct zones z = {.n = 0};
	const struct tz *tz;
	if ((r = zone_of(s, &z, c.id, &tz)) < 0)
		return r;
	int64_t due_day;
	dsr_deadline(tz, received, DSR_DUE_MONTHS, &due_day, &q.due_at);
	zones_free(&z);
	dsr_format_day(due_day, q.due_date, sizeof(q.due_date));
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	if ((r = dsrdb_insert(s->st, &q, s->actor->user_id)) < 0 ||
	    (r = dsrdb_event(s->st, &q, s->now, s->actor->user_id, "received", NULL, dsr_kind_to_string(q.kind),
	                     in->note)) < 0)
		return fail(s, r, "storing the request");
	audit_subject(s, c.id, arena_printf(s->arena, "request %lld", (long long)q.id));
	if ((r = audit_dsr(s, &q, "dsr_received", json_pack("{s:s}", "due_date", q.due_date))) < 0 ||
	    (r = store_commit(s->st)) < 0)
		return fail(s, r, "storing the request");
	return load_derived(s, q.id, ret);
}

int dsr_get(struct svc *s, int64_t id, struct dsr_request *ret)
{
	lserr_clear(s->err);
	if (!may(s, PERM_PRIVACY_READ))
		return forbidden(s, "reading the register", false);
	return load_derived(s, id, ret);
}

/* ---- change ---- */

int dsr_update(struct svc *s, int64_t id, int64_t expected_version, const struct dsr_patch *p, struct dsr_request *ret)
{
	lserr_clear(s->err);
	if (!may(s, PERM_PRIVACY_WRITE))
		return forbidden(s, "changing a request", true);
	struct dsr_request cur;
	int r = load(s, id, &cur);
	if (r < 0)
		return r;
	if (cur.version != expected_version)
		return lserr_set(s->err, -LS_ESTALE, "version_mismatch", "version",
		                 "request %lld is at version %lld, not %lld", (long long)id, (long long)cur.version,
		                 (long long)expected_version);
	if (dsr_state_closed(cur.state))
		return lserr_set(s->err, -LS_ECONFLICT, "conflict", "state",
		                 "request %lld is %s; a closed request is final", (long long)id,
		                 dsr_state_to_string(cur.state));
	struct dsr_request nw = cur;
	enum dsr_state to = cur.state;
	if (p->fields & DSR_PATCH_STATE) {
		int st = p->state ? dsr_state_from_string(p->state) : -1;
		if (st < 0)
			return lserr_set(s->err, -EINVAL, "invalid_field", "state",
			                 "state must be open, in_progress, done or rejected");
		to = (enum dsr_state)st;
	}
	if (p->fields & DSR_PATCH_OUTCOME) {
		if (p->outcome && !text_ok(p->outcome, DSR_MAX_REASON))
			return lserr_set(s->err, -EINVAL, "invalid_field", "outcome",
			                 "outcome must be 1 to %d characters without control characters",
			                 DSR_MAX_REASON);
		if (!dsr_state_closed(to))
			return lserr_set(s->err, -EINVAL, "invalid_field", "outcome",
			                 "outcome is given when the request is closed (state done or rejected)");
		nw.outcome = p->outcome;
	}
	if (to == DSR_STATE_REJECTED && (!nw.outcome || !*nw.outcome))
		return lserr_set(
		        s->err, -EINVAL, "missing_field", "outcome",
		        "a rejected request needs the reasons given to the person in outcome (Art. 12(4) GDPR)");
	if (p->fields & DSR_PATCH_REFERENCE) {
		if (p->reference && !consent_text_valid(p->reference, DSR_MAX_REFERENCE, false))
			return lserr_set(s->err, -EINVAL, "invalid_field", "reference",
			                 "reference must be 1 to %d characters without control characters",
			                 DSR_MAX_REFERENCE);
		nw.reference = p->reference;
	}
	if (p->fields & DSR_PATCH_PERSON) {
		nw.person_id = p->person_id > 0 ? p->person_id : 0;
		nw.person_pseudonym = NULL;
		if (nw.person_id && (r = check_person(s, cur.client_id, nw.person_id, &nw.person_pseudonym)) < 0)
			return r;
	}
	if (p->fields & DSR_PATCH_EXTEND) {
		if (!p->extension_reason || !text_ok(p->extension_reason, DSR_MAX_REASON))
			return lserr_set(s->err, -EINVAL, "invalid_field", "extension_reason",
			                 "extension_reason must be 1 to %d characters: the reasons told to the person",
			                 DSR_MAX_REASON);
		if (cur.extended_until)
			return lserr_set(s->err, -LS_ECONFLICT, "conflict", "extension_reason",
			                 "request %lld was extended already (to %s); it can be extended once",
			                 (long long)id, cur.extended_date);
		if (s->now > cur.due_at) {
			int rc = lserr_set(s->err, -LS_ECONFLICT, "conflict", "extension_reason",
			                   "the deadline of request %lld (%s) has passed; it can no longer be extended",
			                   (long long)id, cur.due_date);
			lserr_hint(s->err, "Art. 12(3) GDPR: the person must be told of an extension within one month "
			                   "of receipt");
			return rc;
		}
		struct zones z = {.n = 0};
		const struct tz *tz;
		if ((r = zone_of(s, &z, cur.client_id, &tz)) < 0)
			return r;
		int64_t day;
		dsr_deadline(tz, cur.received_at, DSR_EXTENDED_MONTHS, &day, &nw.extended_until);
		zones_free(&z);
		dsr_format_day(day, nw.extended_date, sizeof(nw.extended_date));
		nw.extension_reason = p->extension_reason;
		nw.extended_at = s->now;
	}
	nw.state = to;
	if (dsr_state_closed(to))
		nw.completed_at = s->now;
	bool person_changed = nw.person_id != cur.person_id;
	bool ref_changed = (nw.reference == NULL) != (cur.reference == NULL) ||
	                   (nw.reference && cur.reference && strcmp(nw.reference, cur.reference) != 0);
	bool extended = nw.extended_until != cur.extended_until;
	bool state_changed = to != cur.state;
	if (!person_changed && !ref_changed && !extended && !state_changed) {
		*ret = cur;
		return load_derived(s, id, ret);
	}
	nw.updated_at = s->now;
	json_t *changed = json_array();
	if ((r = store_begin(s->st)) < 0) {
		json_decref(changed);
		return store_error(s->st, s->err, "starting a transaction");
	}
	r = dsrdb_update(s->st, &nw, expected_version);
	if (r == 0 && state_changed) {
		json_array_append_new(changed, json_string("state"));
		r = dsrdb_event(s->st, &nw, s->now, s->actor->user_id, "state", dsr_state_to_string(cur.state),
		                dsr_state_to_string(to), nw.outcome);
	}
	if (r == 0 && person_changed) {
		json_array_append_new(changed, json_string("person"));
		r = dsrdb_event(s->st, &nw, s->now, s->actor->user_id, "person", cur.person_pseudonym,
		                nw.person_pseudonym, NULL);
	}
	if (r == 0 && extended) {
		json_array_append_new(changed, json_string("extension"));
		r = dsrdb_event(s->st, &nw, s->now, s->actor->user_id, "extended", cur.due_date, nw.extended_date,
		                nw.extension_reason);
	}
	if (r == 0 && ref_changed) {
		json_array_append_new(changed, json_string("reference"));
		r = dsrdb_event(s->st, &nw, s->now, s->actor->user_id, "reference", cur.reference, nw.reference, NULL);
	}
	if (r == -LS_ESTALE) {
		json_decref(changed);
		store_rollback(s->st);
		return lserr_set(s->err, -LS_ESTALE, "version_mismatch", "version",
		                 "request %lld was changed in the meantime", (long long)id);
	}
	audit_subject(s, cur.client_id, arena_printf(s->arena, "request %lld", (long long)id));
	if (r < 0) {
		json_decref(changed);
		return fail(s, r, "storing the request");
	}
	const char *action = !state_changed             ? "dsr_changed"
	                     : to == DSR_STATE_DONE     ? "dsr_completed"
	                     : to == DSR_STATE_REJECTED ? "dsr_rejected"
	                                                : "dsr_changed";
	if ((r = audit_dsr(s, &nw, action, json_pack("{s:o}", "changed", changed))) < 0 ||
	    (r = store_commit(s->st)) < 0)
		return fail(s, r, "storing the request");
	return load_derived(s, id, ret);
}

int dsr_complete(struct svc *s, int64_t request_id, const char *outcome)
{
	lserr_clear(s->err);
	struct dsr_request cur;
	int r = load(s, request_id, &cur);
	if (r < 0)
		return r;
	if (dsr_state_closed(cur.state))
		return lserr_set(s->err, -LS_ECONFLICT, "conflict", "request", "request %lld is %s already",
		                 (long long)request_id, dsr_state_to_string(cur.state));
	struct dsr_patch p = {
	        .fields = DSR_PATCH_STATE | (outcome ? DSR_PATCH_OUTCOME : 0),
	        .state = "done",
	        .outcome = outcome,
	};
	struct dsr_request done;
	return dsr_update(s, request_id, cur.version, &p, &done);
}

/* ---- list ---- */

static int parse_cursor(struct svc *s, const char *cursor, struct dsr_filter *f)
{
	const char *dot = cursor ? strchr(cursor, '.') : NULL;
	char due[24];
	if (!dot || (size_t)(dot - cursor) >= sizeof(due))
		goto bad;
	memcpy(due, cursor, (size_t)(dot - cursor));
	due[dot - cursor] = '\0';
	if (parse_i64(due, INT64_MIN + 1, INT64_MAX, &f->after_due) < 0 ||
	    parse_i64(dot + 1, 1, INT64_MAX, &f->after_id) < 0)
		goto bad;
	return 0;
bad:
	return lserr_set(s->err, -EINVAL, "invalid_cursor", "cursor",
	                 "cursor must be the 'next' value of a previous page");
}

int dsr_list(struct svc *s, const struct dsr_query *q, struct dsr_request **ret, size_t *ret_n, const char **ret_next)
{
	lserr_clear(s->err);
	*ret_next = NULL;
	if (!may(s, PERM_PRIVACY_READ))
		return forbidden(s, "reading the register", false);
	struct dsr_filter f = {.state = -1, .kind = -1, .after_due = INT64_MIN, .person_id = q->person_id};
	if (q->state && (f.state = dsr_state_from_string(q->state)) < 0)
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "state",
		                 "state must be open, in_progress, done or rejected");
	if (q->kind && (f.kind = dsr_kind_from_string(q->kind)) < 0)
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "kind",
		                 "kind must be access, rectification, erasure, restriction, portability or objection");
	if (q->overdue)
		f.overdue_at = s->now;
	if (q->limit < 1 || q->limit > LS_MAX_PAGE_SIZE)
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "limit", "limit must be 1 to %d",
		                 LS_MAX_PAGE_SIZE);
	int r;
	if (q->cursor && (r = parse_cursor(s, q->cursor, &f)) < 0)
		return r;
	if ((r = directory_client_ids_json(s, q->client, &f.client_ids_json)) < 0)
		return r;
	f.limit = q->limit + 1;
	struct dsr_request *v;
	size_t n;
	if ((r = dsrdb_list(s->st, s->arena, &f, &v, &n)) < 0)
		return store_error(s->st, s->err, "listing requests");
	if (n > q->limit) {
		n = q->limit;
		const struct dsr_request *last = &v[n - 1];
		*ret_next = arena_printf(s->arena, "%lld.%lld",
		                         (long long)(last->extended_until ? last->extended_until : last->due_at),
		                         (long long)last->id);
	}
	struct zones z = {.n = 0};
	for (size_t i = 0; i < n; i++) {
		const struct tz *tz = NULL;
		if ((r = zone_of(s, &z, v[i].client_id, &tz)) < 0)
			break;
		derive(s, tz, &v[i]);
	}
	zones_free(&z);
	if (r < 0)
		return r;
	*ret = v;
	*ret_n = n;
	return 0;
}
