/* Canonical import records (see record.h): initialisation and copying. Room: model.
 * Absent values keep their marker through a copy: NULL strings stay NULL. */
#include "model/record.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"

void rec_ticket_init(struct rec_ticket *t)
{
	memset(t, 0, sizeof(*t));
	t->type = TICKET_TYPE_INCIDENT;
	t->state_canon = _TICKET_STATE_INVALID;
	t->reopen_count = REC_UNKNOWN;
	t->reassignment_count = REC_UNKNOWN;
	t->group_escalations = REC_UNKNOWN;
	t->agent_replies = REC_UNKNOWN;
	t->customer_interactions = REC_UNKNOWN;
	t->wait_count = REC_UNKNOWN;
	t->made_sla = REC_UNKNOWN;
	t->fcr_flag = REC_UNKNOWN;
	t->effort_minutes = NAN;
	t->csat = NAN;
	t->nps = NAN;
	t->n_pauses = REC_UNKNOWN;
}

void rec_interval_init(struct rec_interval *iv)
{
	memset(iv, 0, sizeof(*iv));
	iv->queue = "default";
	iv->answered_within = iv->abandoned_within = iv->abandoned_short = REC_UNKNOWN;
	iv->threshold = REC_UNKNOWN;
	iv->talk = iv->hold = iv->wrap_up = iv->handle = iv->wait = NAN;
}

static const char *dup(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

void rec_ticket_copy(struct arena *a, const struct rec_ticket *t, struct rec_ticket *ret)
{
	*ret = *t;
	ret->source_id = dup(a, t->source_id);
	ret->number = t->number == t->source_id ? ret->source_id : dup(a, t->number);
	ret->title = dup(a, t->title);
	ret->state = dup(a, t->state);
	ret->category = dup(a, t->category);
	ret->ci = dup(a, t->ci);
	ret->symptom = dup(a, t->symptom);
	ret->channel = dup(a, t->channel);
	ret->client = dup(a, t->client);
	ret->team = dup(a, t->team);
	ret->agent = dup(a, t->agent);
	if (t->n_pauses > 0) {
		struct rec_pause *p = arena_alloc(a, (size_t)t->n_pauses * sizeof(*p));
		memcpy(p, t->pauses, (size_t)t->n_pauses * sizeof(*p));
		ret->pauses = p;
	} else {
		ret->pauses = NULL;
	}
}

void rec_pause_track_reset(struct rec_pause_track *pt)
{
	pt->n = 0;
	pt->waiting = false;
}

void rec_pause_track_state(struct rec_pause_track *pt, ls_time at, bool waiting)
{
	if (waiting == pt->waiting)
		return;
	pt->waiting = waiting;
	if (!waiting) {
		pt->v[pt->n - 1].end = at;
		return;
	}
	if (pt->n == pt->cap) {
		pt->cap = pt->cap ? pt->cap * 2 : 8;
		pt->v = xrealloc(pt->v, pt->cap * sizeof(*pt->v));
	}
	pt->v[pt->n++] = (struct rec_pause){at, REC_TIME_NONE};
}

void rec_pause_track_free(struct rec_pause_track *pt)
{
	xfree(pt->v);
	*pt = (struct rec_pause_track){0};
}

bool rec_ticket_is_solved(const struct rec_ticket *t)
{
	return t->resolved_at != REC_TIME_NONE || t->closed_at != REC_TIME_NONE;
}

ls_time rec_ticket_solved_at(const struct rec_ticket *t)
{
	return t->resolved_at != REC_TIME_NONE ? t->resolved_at : t->closed_at;
}
