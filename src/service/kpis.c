/* KPIs (see kpis.h). Room: service.
 * The tickets are loaded once per call (kpis_load) and every requested view is one
 * kpi_compute() over the same array, so a report's views and `leitstand kpi` read
 * the same tickets in the same order and agree to the last digit. */
#include "service/kpis.h"

#include <stdio.h>
#include <string.h>

#include "calendar/tz.h"
#include "kpi/kpi_calls.h"
#include "service/calendars.h"
#include "service/targets.h"
#include "store/acddb.h"
#include "store/dirdb.h"
#include "store/importdb.h"

/* The client's ACD intervals, loaded once for all requests of a call. */
struct calls_input {
	const struct rec_interval *v;
	size_t n;
	bool stored; /* false: the client has no ACD data, the results get no calls */
};

/* The intervals the requests rq[0..n) need: none when none wants calls, all of them
 * when one asks for periods or for everything (its calls total covers every
 * interval), else those starting in the union of the requested ranges.
 * kpi_calls_compute() leaves out the intervals outside a request's range itself, in
 * the same order, so a superset gives the same numbers. */
static int load_intervals(struct svc *s, int64_t client_id, const struct kpi_request *rq, size_t n,
                          struct calls_input *ret)
{
	size_t stored;
	*ret = (struct calls_input){0};
	if (acddb_count(s->st, client_id, &stored) < 0)
		return store_error(s->st, s->err, "loading call intervals");
	size_t wanted = 0;
	for (size_t i = 0; i < n; i++)
		wanted += !rq[i].no_calls;
	if (!stored || !wanted)
		return 0;
	ls_time from = 0, to = 0;
	for (size_t i = 0; i < n; i++) {
		if (rq[i].no_calls)
			continue;
		if (!(rq[i].from && rq[i].by == KPI_PERIOD_NONE)) {
			from = to = 0;
			break;
		}
		from = !from || rq[i].from < from ? rq[i].from : from;
		to = rq[i].to > to ? rq[i].to : to;
	}
	struct rec_interval *iv;
	if (acddb_intervals(s->st, s->arena, client_id, from, to, &iv, &ret->n) < 0)
		return store_error(s->st, s->err, "loading call intervals");
	ret->v = iv;
	ret->stored = true;
	return 0;
}

static int check_range(struct svc *s, const struct kpi_request *rq)
{
	if ((rq->from || rq->to) && !(rq->from && rq->to && rq->from < rq->to))
		return lserr_set(s->err, -EINVAL, "invalid_parameter", rq->from ? "to" : "from",
		                 "from and to must both be given, from before to");
	return 0;
}

int kpis_load(struct svc *s, const char *client, bool for_findings, struct kpis_tickets *ret)
{
	struct kpis_tickets kt = {0};
	int r = dirdb_client_by_code(s->st, s->arena, client ? client : "", &kt.client);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, kt.client.id)))
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "client", "client '%.40s' does not exist",
		                 client ? client : "");
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");
	struct rec_ticket *t;
	if (importdb_client_tickets(s->st, s->arena, kt.client.id, for_findings ? IMPORTDB_FINDINGS : IMPORTDB_KPI, &t,
	                            &kt.n) < 0)
		return store_error(s->st, s->err, "loading tickets");
	kt.tickets = t;
	if ((r = targets_of_client(s, kt.client.id, &kt.targets)) < 0)
		return r;
	*ret = kt;
	return 0;
}

/* One view: the tickets' KPIs and, when the client has ACD data, the call KPIs over
 * the same range and periods, split by queue whenever the tickets are grouped (queue
 * is the one dimension of ACD data). */
static int compute(struct svc *s, const struct client *c, const struct rec_ticket *all, size_t n,
                   const struct calls_input *calls, const struct kpi_request *rq, struct kpi_result *ret)
{
	int r;
	if ((r = check_range(s, rq)) < 0)
		return r;
	struct tz *zone = NULL;
	if ((r = tz_load(rq->tz ? rq->tz : c->timezone, &zone, s->err)) < 0) {
		s->err->code = "invalid_parameter";
		snprintf(s->err->field, sizeof(s->err->field), "tz");
		return r;
	}
	struct calendar *cal = NULL;
	if (rq->calendar) {
		struct calendar_def d;
		r = calendars_get(s, c->code, rq->calendar, 0, &d);
		if (r == 0)
			r = calendars_compile(s, &d, 0, 0, &cal);
		if (r < 0) {
			tz_free(zone);
			if (r == -ENOENT)
				return lserr_set(s->err, -EINVAL, "invalid_parameter", "calendar",
				                 "calendar '%.40s' of client '%.40s' does not exist", rq->calendar,
				                 c->code);
			return r;
		}
	}
	struct kpi_options o = {
	        .group_by = rq->group,
	        .period = rq->by,
	        .tz = zone,
	        .cal = cal,
	};
	if (rq->from && rq->by == KPI_PERIOD_NONE) {
		o.period = KPI_PERIOD_RANGE;
		o.from = rq->from;
		o.to = rq->to;
	}
	struct kpi_result res;
	r = kpi_compute(all, n, &o, &res, s->err);
	calendar_free(cal);
	if (r < 0) {
		tz_free(zone);
		if (s->err)
			s->err->code = "invalid_parameter";
		return r;
	}
	if (calls->stored && !rq->no_calls &&
	    (r = kpi_calls_compute(calls->v, calls->n, &o, rq->group != KPI_DIM_NONE, &res.calls, s->err)) < 0) {
		kpi_result_release(&res);
		tz_free(zone);
		return r;
	}
	tz_free(zone);
	if (rq->from && rq->by != KPI_PERIOD_NONE) {
		size_t k = 0;
		for (size_t i = 0; i < res.n_groups; i++)
			if (res.groups[i].period_start >= rq->from && res.groups[i].period_start < rq->to)
				res.groups[k++] = res.groups[i];
		res.n_groups = k;
		struct kpi_calls *cr = res.calls;
		k = 0;
		for (size_t i = 0; cr && i < cr->n_groups; i++)
			if (cr->groups[i].period_start >= rq->from && cr->groups[i].period_start < rq->to)
				cr->groups[k++] = cr->groups[i];
		if (cr)
			cr->n_groups = k;
	}
	*ret = res;
	return 0;
}

int kpis_compute(struct svc *s, const struct kpi_request *rq, struct kpi_result *ret)
{
	struct kpis_tickets kt;
	bool own_tx = store_begin_read(s->st) == 0;
	int r = kpis_load(s, rq->client, false, &kt);
	if (r == 0)
		r = kpis_compute_loaded(s, &kt, rq, 1, ret);
	if (own_tx)
		store_commit(s->st);
	return r;
}

int kpis_compute_loaded(struct svc *s, const struct kpis_tickets *kt, const struct kpi_request *rq, size_t n,
                        struct kpi_result *ret)
{
	int r;
	for (size_t i = 0; i < n; i++)
		if ((r = check_range(s, &rq[i])) < 0)
			return r;
	struct calls_input calls;
	if ((r = load_intervals(s, kt->client.id, rq, n, &calls)) < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		r = compute(s, &kt->client, kt->tickets, kt->n, &calls, &rq[i], &ret[i]);
		if (r < 0) {
			while (i-- > 0)
				kpi_result_release(&ret[i]);
			return r;
		}
		ret[i].targets = kt->targets;
	}
	return 0;
}
