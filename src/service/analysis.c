/* Baseline findings (see analysis.h). Room: service.
 * Everything is read in one read transaction when the caller has none, so tickets,
 * events and intervals come from one snapshot even while an import commits. The
 * tickets are the KPIs' (kpis_load), loaded once when a report needs both. Events
 * name their ticket by (source, source id) — the number for tickets worked in
 * Leitstand — and are matched to the loaded tickets through a hash table on that
 * key, built only when there are events; an event without its ticket is left out. */
#include "service/analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/tz.h"
#include "store/acddb.h"
#include "store/dirdb.h"
#include "store/importdb.h"

/* Checks the range and loads the zone (into *ret_zone, or only checks it when
 * ret_zone is NULL). */
static int check_request(struct svc *s, const struct client *c, const struct analysis_request *rq, struct tz **ret_zone)
{
	if ((rq->from || rq->to) && !(rq->from && rq->to && rq->from < rq->to))
		return lserr_set(s->err, -EINVAL, "invalid_parameter", rq->from ? "to" : "from",
		                 "from and to must both be given, from before to");
	struct tz *zone = NULL;
	int r = tz_load(rq->tz ? rq->tz : c->timezone, &zone, s->err);
	if (r < 0) {
		s->err->code = "invalid_parameter";
		snprintf(s->err->field, sizeof(s->err->field), "tz");
		return r;
	}
	if (ret_zone)
		*ret_zone = zone;
	else
		tz_free(zone);
	return 0;
}

/* Tickets by (source, source id): an open-addressing table of ticket indexes.
 * Sources are interned by the loader, but compared as text all the same. */
struct keys {
	const struct rec_ticket *t;
	uint32_t *slot; /* index + 1, 0 empty */
	size_t cap;
};

static uint64_t hash_key(const char *source, const char *id)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = source; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (const char *p = id; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h ^ (h >> 31);
}

static void keys_build(struct arena *a, const struct rec_ticket *t, size_t n, struct keys *k)
{
	k->t = t;
	k->cap = 16;
	while (k->cap < 2 * n)
		k->cap *= 2;
	k->slot = arena_zalloc(a, k->cap * sizeof(*k->slot));
	for (size_t i = 0; i < n; i++) {
		if (!t[i].source || !t[i].source_id)
			continue;
		size_t j = hash_key(t[i].source, t[i].source_id) & (k->cap - 1);
		while (k->slot[j]) /* a key seen twice keeps its first ticket */
			j = (j + 1) & (k->cap - 1);
		k->slot[j] = (uint32_t)i + 1;
	}
}

/* The index of the first ticket (source, id), or SIZE_MAX. */
static size_t keys_find(const struct keys *k, const char *source, const char *id)
{
	for (size_t j = hash_key(source, id) & (k->cap - 1); k->slot[j]; j = (j + 1) & (k->cap - 1)) {
		const struct rec_ticket *t = &k->t[k->slot[j] - 1];
		if (strcmp(t->source_id, id) == 0 && strcmp(t->source, source) == 0)
			return k->slot[j] - 1;
	}
	return SIZE_MAX;
}

/* The events and intervals of the client's loaded tickets (in one read transaction
 * with the tickets when the caller holds one). */
static int load(struct svc *s, const struct kpis_tickets *kt, const struct analysis_request *rq,
                struct findings_input *in)
{
	struct arena *a = s->arena;
	int64_t client_id = kt->client.id;
	struct rec_event *iev, *nev;
	const char **isrc;
	size_t nie, nne;
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
	in->tickets = kt->tickets;
	in->n_tickets = kt->n;
	in->events = NULL;
	in->n_events = 0;
	if (nie + nne == 0)
		return 0;
	if (kt->n > UINT32_MAX - 1)
		return lserr_set(s->err, -LS_ETOOLARGE, "too_large", "client", "too many tickets to analyse");
	struct keys keys;
	keys_build(a, kt->tickets, kt->n, &keys);
	struct findings_event *ev = arena_alloc(a, (nie + nne) * sizeof(*ev));
	size_t ne = 0;
	for (size_t i = 0; i < nie + nne; i++) {
		const struct rec_event *e = i < nie ? &iev[i] : &nev[i - nie];
		const char *source = i < nie ? isrc[i] : "leitstand";
		size_t t = source && e->ticket ? keys_find(&keys, source, e->ticket) : SIZE_MAX;
		if (t == SIZE_MAX)
			continue;
		ev[ne++] = (struct findings_event){t, e->at, e->field, e->old_value, e->new_value, e->actor};
	}
	in->events = ev;
	in->n_events = ne;
	return 0;
}

int analysis_run(struct svc *s, const struct analysis_request *rq, struct analysis *ret)
{
	/* the client and the range are checked before anything is loaded */
	struct client c;
	int r = dirdb_client_by_code(s->st, s->arena, rq->client ? rq->client : "", &c);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, c.id)))
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "client", "client '%.40s' does not exist",
		                 rq->client ? rq->client : "");
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");
	if ((r = check_request(s, &c, rq, NULL)) < 0)
		return r;
	bool own_tx = store_begin_read(s->st) == 0;
	struct kpis_tickets kt;
	r = kpis_load(s, c.code, true, &kt);
	if (r == 0)
		r = analysis_run_loaded(s, &kt, rq, ret);
	if (own_tx)
		store_commit(s->st);
	return r;
}

int analysis_run_loaded(struct svc *s, const struct kpis_tickets *kt, const struct analysis_request *rq,
                        struct analysis *ret)
{
	struct tz *zone = NULL;
	int r = check_request(s, &kt->client, rq, &zone);
	if (r < 0)
		return r;
	struct findings_input in;
	if ((r = load(s, kt, rq, &in)) < 0) {
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
	*ret = (struct analysis){.client = kt->client.code, .tz = zone, .result = res};
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
