/* Baseline findings (see analysis.h). Room: service.
 * Everything is read in one read transaction when the caller has none, so tickets,
 * events and intervals come from one snapshot even while an import commits. Events
 * name their ticket by (source, source id) — the number for tickets worked in
 * Leitstand — and are matched to the loaded tickets by binary search over the
 * tickets sorted by that key; an event without its ticket is left out. */
#include "service/analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/tz.h"
#include "store/acddb.h"
#include "store/dirdb.h"
#include "store/importdb.h"

struct key {
	const char *source, *id;
	size_t ticket;
};

static int cmp_key(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->source, y->source);
	return c ? c : strcmp(x->id, y->id);
}

/* The index of ticket (source, id) in keys[0..n), or SIZE_MAX. */
static size_t find(const struct key *keys, size_t n, const char *source, const char *id)
{
	struct key k = {source, id, 0};
	const struct key *hit = n ? bsearch(&k, keys, n, sizeof(*keys), cmp_key) : NULL;
	return hit ? hit->ticket : SIZE_MAX;
}

static int load(struct svc *s, int64_t client_id, const struct analysis_request *rq, struct findings_input *in)
{
	struct arena *a = s->arena;
	struct rec_ticket *imported, *native;
	size_t ni, nn;
	struct rec_event *iev, *nev;
	const char **isrc;
	size_t nie, nne;
	if (importdb_tickets(s->st, a, client_id, &imported, &ni) < 0 ||
	    importdb_native_tickets(s->st, a, client_id, &native, &nn) < 0)
		return store_error(s->st, s->err, "loading tickets");
	if (importdb_events(s->st, a, client_id, &iev, &isrc, &nie) < 0 ||
	    importdb_native_events(s->st, a, client_id, &nev, &nne) < 0)
		return store_error(s->st, s->err, "loading ticket events");
	size_t stored, niv = 0;
	struct rec_interval *iv = NULL;
	if (acddb_count(s->st, client_id, &stored) < 0 ||
	    (stored && acddb_intervals(s->st, a, client_id, rq->from, rq->to, &iv, &niv) < 0))
		return store_error(s->st, s->err, "loading call intervals");
	in->intervals = iv;
	in->n_intervals = niv;

	size_t n = ni + nn;
	struct rec_ticket *all = arena_alloc(a, (n + 1) * sizeof(*all));
	struct key *keys = arena_alloc(a, (n + 1) * sizeof(*keys));
	if (ni)
		memcpy(all, imported, ni * sizeof(*all));
	if (nn)
		memcpy(all + ni, native, nn * sizeof(*all));
	size_t nk = 0;
	for (size_t i = 0; i < n; i++)
		if (all[i].source && all[i].source_id)
			keys[nk++] = (struct key){all[i].source, all[i].source_id, i};
	if (nk)
		qsort(keys, nk, sizeof(*keys), cmp_key);

	struct findings_event *ev = arena_alloc(a, (nie + nne + 1) * sizeof(*ev));
	size_t ne = 0;
	for (size_t i = 0; i < nie + nne; i++) {
		const struct rec_event *e = i < nie ? &iev[i] : &nev[i - nie];
		const char *source = i < nie ? isrc[i] : "leitstand";
		size_t t = source && e->ticket ? find(keys, nk, source, e->ticket) : SIZE_MAX;
		if (t == SIZE_MAX)
			continue;
		ev[ne++] = (struct findings_event){t, e->at, e->field, e->old_value, e->new_value, e->actor};
	}
	in->tickets = all;
	in->n_tickets = n;
	in->events = ev;
	in->n_events = ne;
	return 0;
}

int analysis_run(struct svc *s, const struct analysis_request *rq, struct analysis *ret)
{
	struct client c;
	int r = dirdb_client_by_code(s->st, s->arena, rq->client ? rq->client : "", &c);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, c.id)))
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "client", "client '%.40s' does not exist",
		                 rq->client ? rq->client : "");
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");
	if ((rq->from || rq->to) && !(rq->from && rq->to && rq->from < rq->to))
		return lserr_set(s->err, -EINVAL, "invalid_parameter", rq->from ? "to" : "from",
		                 "from and to must both be given, from before to");
	struct tz *zone = NULL;
	if ((r = tz_load(rq->tz ? rq->tz : c.timezone, &zone, s->err)) < 0) {
		s->err->code = "invalid_parameter";
		snprintf(s->err->field, sizeof(s->err->field), "tz");
		return r;
	}
	bool own_tx = store_begin_read(s->st) == 0;
	struct findings_input in;
	r = load(s, c.id, rq, &in);
	if (own_tx)
		store_commit(s->st);
	if (r < 0) {
		tz_free(zone);
		return r;
	}
	struct findings_options o = {.tz = zone, .from = rq->from, .to = rq->to};
	struct findings_result res;
	if ((r = findings_compute(&in, &o, &res, s->err)) < 0) {
		tz_free(zone);
		s->err->code = "invalid_parameter";
		return r;
	}
	*ret = (struct analysis){.client = c.code, .tz = zone, .result = res};
	return 0;
}

void analysis_release(struct analysis *a)
{
	if (!a)
		return;
	findings_result_release(&a->result);
	tz_free(a->tz);
	a->tz = NULL;
}

json_t *analysis_json(const struct analysis *a)
{
	return findings_json(&a->result, a->client, a->tz);
}
