/* Firing SLA marks exactly once; acknowledging escalations (see sla_timer.h).
 * Room: service. */
#include "service/sla_timer.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/parse.h"
#include "service/sla.h"
#include "service/tickets.h"
#include "service/webhooks.h"
#include "store/dirdb.h"
#include "store/jobsdb.h"
#include "store/ticketdb.h"

enum mark_kind { MARK_WARNING, MARK_BREACH, MARK_ESCALATION };

struct mark {
	enum mark_kind kind;
	size_t target; /* index into the clock result's targets */
	size_t index;  /* warning index, or level index (0-based) */
	ls_time due;
	char key[96];
};

static const char *const mark_events[] = {"sla.warning", "sla.breach", "sla.escalation"};
static const char *const mark_fields[] = {"sla_warning", "sla_breach", "sla_escalation"};

static void add_mark(struct arena *a, struct mark **v, size_t *n, size_t *cap, int64_t ticket_id, enum mark_kind k,
                     size_t target, const struct clock_target *t, size_t index, ls_time due)
{
	struct mark *m = &ARENA_PUSH(a, *v, *n, *cap);
	*m = (struct mark){.kind = k, .target = target, .index = index, .due = due};
	const char *metric = policy_metric_to_string(t->metric);
	switch (k) {
	case MARK_WARNING:
		snprintf(m->key, sizeof(m->key), "%lld/%zu/%s/P%d/w%u", (long long)ticket_id, target, metric,
		         t->priority, t->policy ? t->policy->warnings[index] : 0);
		break;
	case MARK_BREACH:
		snprintf(m->key, sizeof(m->key), "%lld/%zu/%s/P%d/breach", (long long)ticket_id, target, metric,
		         t->priority);
		break;
	case MARK_ESCALATION:
		snprintf(m->key, sizeof(m->key), "%lld/%zu/%s/P%d/l%zu", (long long)ticket_id, target, metric,
		         t->priority, index + 1);
		break;
	}
}

static json_t *instant(ls_time t)
{
	char buf[32];
	return t ? json_string(time_format_rfc3339(t, buf, sizeof(buf))) : json_null();
}

static char *payload(struct svc *s, const struct sla_ticket_result *r, const struct ticket *tk, const struct mark *m,
                     const struct sla_escalation *esc, const char *reassign_error)
{
	const struct clock_target *t = &r->clock->targets[m->target];
	const struct sla_def *def = sla_ticket_policy(r, t->policy);
	char prio[4];
	snprintf(prio, sizeof(prio), "P%d", t->priority);
	json_t *ticket = json_pack("{s:s, s:s, s:s, s:s, s:s}", "number", tk->number, "title",
	                           tk->title ? tk->title : "", "priority", prio, "state",
	                           ticket_state_to_string(tk->state), "type", ticket_type_to_string(tk->type));
	if (tk->team_code)
		json_object_set_new(ticket, "team", json_string(tk->team_code));
	if (tk->assignee_email)
		json_object_set_new(ticket, "assignee", json_string(tk->assignee_email));
	json_t *sla = json_pack("{s:s, s:s, s:o, s:I, s:s}", "target", policy_metric_to_string(t->metric), "priority",
	                        prio, "due", instant(t->due), "target_seconds", (json_int_t)t->target_seconds, "time",
	                        policy_time_to_string(t->time));
	if (def)
		json_object_set_new(
		        sla, "policy",
		        json_string(arena_printf(s->arena, "%s v%lld", def->name, (long long)def->version)));
	if (m->kind == MARK_WARNING)
		json_object_set_new(sla, "percent", json_integer(t->policy->warnings[m->index]));
	if (m->kind == MARK_BREACH)
		json_object_set_new(sla, "breached_at", instant(t->breached_at));
	if (esc) {
		json_object_set_new(sla, "level", json_integer(esc->level));
		json_object_set_new(sla, "action", json_string(esc->action));
		json_object_set_new(sla, "owner", json_string(esc->owner));
		json_object_set_new(sla, "escalation_id", json_integer(esc->id));
		json_object_set_new(sla, "climbed", json_boolean(esc->climbed));
		json_object_set_new(sla, "ack_within_seconds",
		                    esc->ack_within ? json_integer(esc->ack_within) : json_null());
		if (reassign_error)
			json_object_set_new(sla, "reassign_error", json_string(reassign_error));
	}
	json_t *o = json_pack("{s:s, s:o, s:o, s:s, s:o, s:o}", "event", mark_events[m->kind], "at", instant(s->now),
	                      "due_at", instant(m->due), "client", tk->client_code ? tk->client_code : "", "ticket",
	                      ticket, "sla", sla);
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text)
		return NULL;
	char *ret = arena_strdup(s->arena, text);
	xfree(text);
	return ret;
}

static int system_event(struct svc *s, const struct ticket *t, const char *field, const char *from, const char *to)
{
	struct ticket_event ev = {.client_id = t->client_id,
	                          .ticket_id = t->id,
	                          .at = s->now,
	                          .actor_kind = AUTHOR_KIND_SYSTEM,
	                          .field = field,
	                          .old_value = from,
	                          .new_value = to};
	return ticketdb_event_append(s->st, &ev);
}

/* A reassign level: the ticket goes to the owner's team; an assignee who is not in
 * that team is taken off, and a new ticket, or one in progress that lost its
 * assignee, becomes `assigned`: the new team has to pick it up. Waiting states stay.
 * *t is the ticket afterwards. NULL, or why it could not. */
static const char *reassign(struct svc *s, int64_t ticket_id, const char *owner, struct ticket *ret, int *rc)
{
	struct team team;
	*rc = 0;
	int r = dirdb_team_by_code(s->st, s->arena, owner, &team);
	if (r == -ENOENT)
		return arena_printf(s->arena, "team '%s' does not exist", owner);
	struct ticket t;
	if (r < 0 || (r = ticketdb_get_by_id(s->st, s->arena, ticket_id, &t)) < 0) {
		*rc = r;
		return NULL;
	}
	*ret = t;
	if (t.team_id == team.id || t.state == TICKET_STATE_CLOSED)
		return NULL;
	const char *old = t.team_code, *old_assignee = t.assignee_email;
	enum ticket_state old_state = t.state;
	t.team_id = team.id;
	t.team_code = team.code;
	bool unassigned = t.assignee_id && !dirdb_team_has_member(s->st, team.id, t.assignee_id);
	if (unassigned) {
		t.assignee_id = 0;
		t.assignee_email = NULL;
	}
	if (t.state == TICKET_STATE_NEW || (t.state == TICKET_STATE_IN_PROGRESS && unassigned))
		t.state = TICKET_STATE_ASSIGNED;
	t.updated_at = s->now;
	if ((r = ticketdb_update(s->st, &t, t.version)) < 0 || (r = system_event(s, &t, "team", old, team.code)) < 0 ||
	    (unassigned && (r = system_event(s, &t, "assignee", old_assignee, NULL)) < 0) ||
	    (t.state != old_state && (r = system_event(s, &t, "state", ticket_state_to_string(old_state),
	                                               ticket_state_to_string(t.state))) < 0)) {
		*rc = r;
		return NULL;
	}
	t.version++;
	*ret = t;
	return NULL;
}

static int fire_one(struct svc *s, const struct sla_ticket_result *r, const struct mark *m, bool *ret_fired)
{
	const struct clock_target *t = &r->clock->targets[m->target];
	struct sla_escalation esc = {0}, *pe = NULL;
	const char *reassign_error = NULL;
	struct ticket now_ticket = r->ticket;
	int rc;
	*ret_fired = false;
	if (m->kind == MARK_ESCALATION) {
		const struct clock_level *lv = &t->levels[m->index];
		const struct policy_level *pl = &t->policy->levels[t->metric][lv->index];
		esc = (struct sla_escalation){
		        .client_id = r->ticket.client_id,
		        .ticket_id = r->ticket.id,
		        .target = policy_metric_to_string(t->metric),
		        .target_seq = (int64_t)m->target,
		        .target_started_at = t->started_at,
		        .priority = t->priority,
		        .level = (int)m->index + 1,
		        .action = policy_action_to_string(pl->action),
		        .owner = pl->owner ? pl->owner : "",
		        .climbed = lv->climbed,
		        .due_at = m->due,
		        .fired_at = s->now,
		        .ack_within = pl->ack_within,
		};
		rc = jobsdb_escalation_insert(s->st, &esc);
		if (rc == -LS_ECONFLICT)
			return 0; /* fired before */
		if (rc < 0)
			return rc;
		pe = &esc;
		if (pl->action == POLICY_ACTION_REASSIGN && pl->owner) {
			reassign_error = reassign(s, r->ticket.id, pl->owner, &now_ticket, &rc);
			if (rc < 0)
				return rc;
		}
	}
	char *body = payload(s, r, &now_ticket, m, pe, reassign_error);
	if (!body)
		return -ENOMEM;
	struct outbox_event ev = {
	        .client_id = r->ticket.client_id,
	        .ticket_id = r->ticket.id,
	        .event = mark_events[m->kind],
	        .fire_key = m->key,
	        .due_at = m->due,
	        .payload = body,
	        .created_at = s->now,
	};
	bool inserted;
	if ((rc = outbox_publish(s, &ev, &inserted)) < 0)
		return rc;
	if (!inserted)
		return 0;
	if (pe && (rc = jobsdb_escalation_set_outbox(s->st, esc.id, ev.id)) < 0)
		return rc;
	const char *metric = policy_metric_to_string(t->metric);
	const char *value = m->kind == MARK_WARNING
	                            ? arena_printf(s->arena, "%s %u%%", metric, t->policy->warnings[m->index])
	                    : m->kind == MARK_BREACH
	                            ? metric
	                            : arena_printf(s->arena, "%s %zu %lld", metric, m->index + 1, (long long)esc.id);
	struct ticket_event te = {.client_id = r->ticket.client_id,
	                          .ticket_id = r->ticket.id,
	                          .at = s->now,
	                          .actor_kind = AUTHOR_KIND_SYSTEM,
	                          .field = mark_fields[m->kind],
	                          .new_value = value};
	if ((rc = ticketdb_event_append(s->st, &te)) < 0)
		return rc;
	*ret_fired = true;
	return 0;
}

static int fire(struct svc *s, int64_t ticket_id, ls_time since, bool in_tx, struct sla_fire_result *ret)
{
	memset(ret, 0, sizeof(*ret));
	struct sla_ticket_result r;
	int rc = sla_ticket_by_id(s, ticket_id, s->now, &r);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	ret->client_id = r.ticket.client_id;
	if (r.has_deadline)
		ret->next = r.deadline.at;

	struct mark *marks = NULL;
	size_t nm = 0, cap = 0;
	for (size_t i = 0; i < r.clock->n_targets; i++) {
		const struct clock_target *t = &r.clock->targets[i];
		if (t->state == CLOCK_RUNNING && t->due && (!ret->due || t->due < ret->due))
			ret->due = t->due;
		if (!t->policy)
			continue;
		for (size_t w = 0; w < t->n_warnings; w++)
			if (t->warnings[w].reached && t->warnings[w].at >= since)
				add_mark(s->arena, &marks, &nm, &cap, ticket_id, MARK_WARNING, i, t, w,
				         t->warnings[w].at);
		if (t->breached_at && t->breached_at >= since)
			add_mark(s->arena, &marks, &nm, &cap, ticket_id, MARK_BREACH, i, t, 0, t->breached_at);
		for (size_t l = 0; l < t->n_levels; l++)
			if (t->levels[l].fired && t->levels[l].due >= since)
				add_mark(s->arena, &marks, &nm, &cap, ticket_id, MARK_ESCALATION, i, t, l,
				         t->levels[l].due);
	}
	/* what fired before is the common case: find out without a write transaction */
	size_t fresh = 0;
	for (size_t i = 0; i < nm; i++) {
		bool fired;
		if ((rc = jobsdb_outbox_fired(s->st, marks[i].key, &fired)) < 0)
			return store_error(s->st, s->err, "reading the outbox");
		if (!fired)
			marks[fresh++] = marks[i];
	}
	if (!fresh)
		return 0;
	if (!in_tx && (rc = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	for (size_t i = 0; i < fresh; i++) {
		bool fired;
		if ((rc = fire_one(s, &r, &marks[i], &fired)) < 0) {
			rc = store_error(s->st, s->err, "firing an SLA event");
			if (!in_tx)
				store_rollback(s->st);
			return rc;
		}
		ret->fired += fired;
	}
	if (in_tx)
		return 0;
	if ((rc = store_commit(s->st)) < 0) {
		rc = store_error(s->st, s->err, "committing SLA events");
		store_rollback(s->st);
		return rc;
	}
	return 0;
}

int sla_fire(struct svc *s, int64_t ticket_id, ls_time since, struct sla_fire_result *ret)
{
	return fire(s, ticket_id, since, false, ret);
}

int sla_fire_batch(struct svc *s, const int64_t *ids, size_t n, ls_time since, struct sla_fire_result *ret)
{
	int r = store_begin(s->st);
	if (r < 0)
		return store_error(s->st, s->err, "starting a transaction");
	for (size_t i = 0; i < n; i++)
		if ((r = fire(s, ids[i], since, true, &ret[i])) < 0) {
			store_rollback(s->st);
			return r;
		}
	if ((r = store_commit(s->st)) < 0) {
		r = store_error(s->st, s->err, "committing SLA events");
		store_rollback(s->st);
		return r;
	}
	return 0;
}

int sla_open_tickets(struct svc *s, int64_t after, size_t limit, int64_t *ids, size_t *ret_n)
{
	int r = jobsdb_open_tickets(s->st, after, limit, ids, ret_n);
	return r < 0 ? store_error(s->st, s->err, "listing open tickets") : 0;
}

int sla_fire_since(struct svc *s, ls_time *ret)
{
	const char *v;
	int r = jobsdb_state_get(s->st, s->arena, "sla_fire_since", &v);
	if (r == 0) {
		int64_t t;
		if (parse_i64(v, 0, INT64_MAX, &t) == 0) {
			*ret = t;
			return 0;
		}
	} else if (r != -ENOENT) {
		return store_error(s->st, s->err, "reading the job state");
	}
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", (long long)s->now);
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	if ((r = jobsdb_state_set(s->st, "sla_fire_since", buf)) < 0 || (r = store_commit(s->st)) < 0) {
		r = store_error(s->st, s->err, "storing the job state");
		store_rollback(s->st);
		return r;
	}
	*ret = s->now;
	return 0;
}

/* ---- escalations ---- */

static int load_escalation(struct svc *s, int64_t id, struct sla_escalation *ret)
{
	int r = jobsdb_escalation_get(s->st, s->arena, id, ret);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, ret->client_id)))
		return lserr_set(s->err, -ENOENT, "not_found", "id", "escalation %lld does not exist", (long long)id);
	return r < 0 ? store_error(s->st, s->err, "loading the escalation") : 0;
}

int sla_escalation_get(struct svc *s, int64_t id, struct sla_escalation *ret)
{
	lserr_clear(s->err);
	return load_escalation(s, id, ret);
}

int sla_escalation_ack(struct svc *s, int64_t id, const char *note, struct sla_escalation *ret)
{
	lserr_clear(s->err);
	if (s->actor->role == USER_ROLE_CLIENT_VIEWER)
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL, "client viewers cannot acknowledge");
	struct sla_escalation e;
	int r = load_escalation(s, id, &e);
	if (r < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	r = jobsdb_escalation_ack(s->st, id, s->actor->user_id, s->now, note);
	if (r == -LS_ECONFLICT) {
		/* acknowledged since it was loaded (or before): the time of that one */
		struct sla_escalation now;
		if (jobsdb_escalation_get(s->st, s->arena, id, &now) == 0)
			e.acked_at = now.acked_at;
		store_rollback(s->st);
		char at[32];
		return lserr_set(s->err, r, "conflict", "id", "escalation %lld was acknowledged at %s already",
		                 (long long)id, time_format_rfc3339(e.acked_at, at, sizeof(at)));
	}
	struct ticket_event te = {.client_id = e.client_id,
	                          .ticket_id = e.ticket_id,
	                          .at = s->now,
	                          .actor_kind = AUTHOR_KIND_AGENT,
	                          .actor_id = s->actor->user_id,
	                          .field = "sla_ack",
	                          .new_value = e.target_started_at
	                                               ? arena_printf(s->arena, "%s %d P%d %lld", e.target, e.level,
	                                                              e.priority, (long long)e.target_started_at)
	                                               : arena_printf(s->arena, "%s %d", e.target, e.level)};
	if (r < 0 || (r = ticketdb_event_append(s->st, &te)) < 0 || (r = store_commit(s->st)) < 0) {
		r = store_error(s->st, s->err, "recording the acknowledgement");
		store_rollback(s->st);
		return r;
	}
	tickets_changed(e.ticket_id);
	return load_escalation(s, id, ret);
}

int sla_escalations_of_ticket(struct svc *s, int64_t ticket_id, struct sla_escalation **ret, size_t *ret_n)
{
	int r = jobsdb_escalations_of_ticket(s->st, s->arena, ticket_id, ret, ret_n);
	return r < 0 ? store_error(s->st, s->err, "loading escalations") : 0;
}
