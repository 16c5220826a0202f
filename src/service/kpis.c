/* KPIs (see kpis.h). Room: service. */
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

/* The call KPIs, when the client has ACD intervals: over the same range and
 * periods as the tickets; split by queue whenever the tickets are grouped (queue is
 * the one dimension of ACD data). Releases res on failure. */
static int add_calls(struct svc *s, int64_t client_id, const struct kpi_request *rq, const struct kpi_options *o,
                     struct kpi_result *res)
{
	size_t stored;
	struct rec_interval *iv;
	size_t n;
	int r;
	if ((r = acddb_count(s->st, client_id, &stored)) < 0 ||
	    (stored && (r = acddb_intervals(s->st, s->arena, client_id, o->period == KPI_PERIOD_RANGE ? rq->from : 0,
	                                    o->period == KPI_PERIOD_RANGE ? rq->to : 0, &iv, &n)) < 0)) {
		kpi_result_release(res);
		return store_error(s->st, s->err, "loading call intervals");
	}
	if (!stored)
		return 0;
	if ((r = kpi_calls_compute(iv, n, o, rq->group != KPI_DIM_NONE, &res->calls, s->err)) < 0) {
		kpi_result_release(res);
		return r;
	}
	return 0;
}

/* The client and its tickets (imported and worked in Leitstand), loaded once for
 * any number of computations. */
static int load(struct svc *s, const struct kpi_request *rq, struct client *c, struct rec_ticket **ret, size_t *ret_n)
{
	int r = dirdb_client_by_code(s->st, s->arena, rq->client ? rq->client : "", c);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, c->id)))
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "client", "client '%.40s' does not exist",
		                 rq->client ? rq->client : "");
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");
	struct rec_ticket *imported, *native;
	size_t ni, nn;
	if ((r = importdb_tickets(s->st, s->arena, c->id, &imported, &ni)) < 0 ||
	    (r = importdb_native_tickets(s->st, s->arena, c->id, &native, &nn)) < 0)
		return store_error(s->st, s->err, "loading tickets");
	struct rec_ticket *all = arena_alloc(s->arena, (ni + nn + 1) * sizeof(*all));
	if (ni)
		memcpy(all, imported, ni * sizeof(*all));
	if (nn)
		memcpy(all + ni, native, nn * sizeof(*all));
	*ret = all;
	*ret_n = ni + nn;
	return 0;
}

static int compute(struct svc *s, const struct client *c, const struct rec_ticket *all, size_t n,
                   const struct kpi_request *rq, struct kpi_result *ret)
{
	int r;
	if ((rq->from || rq->to) && !(rq->from && rq->to && rq->from < rq->to))
		return lserr_set(s->err, -EINVAL, "invalid_parameter", rq->from ? "to" : "from",
		                 "from and to must both be given, from before to");
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
	r = add_calls(s, c->id, rq, &o, &res);
	tz_free(zone);
	if (r < 0)
		return r;
	if (rq->from && rq->by != KPI_PERIOD_NONE) {
		size_t k = 0;
		for (size_t i = 0; i < res.n_groups; i++)
			if (res.groups[i].period_start >= rq->from && res.groups[i].period_start < rq->to)
				res.groups[k++] = res.groups[i];
		res.n_groups = k;
		struct kpi_calls *calls = res.calls;
		k = 0;
		for (size_t i = 0; calls && i < calls->n_groups; i++)
			if (calls->groups[i].period_start >= rq->from && calls->groups[i].period_start < rq->to)
				calls->groups[k++] = calls->groups[i];
		if (calls)
			calls->n_groups = k;
	}
	*ret = res;
	return 0;
}

int kpis_compute(struct svc *s, const struct kpi_request *rq, struct kpi_result *ret)
{
	return kpis_compute_many(s, rq, 1, ret);
}

int kpis_compute_many(struct svc *s, const struct kpi_request *rq, size_t n, struct kpi_result *ret)
{
	struct client c;
	struct rec_ticket *all = NULL;
	size_t nt = 0;
	int r;
	if (!n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!rq[i].client || !rq[0].client || strcmp(rq[i].client, rq[0].client) != 0)
			return lserr_set(s->err, -EINVAL, "invalid_parameter", "client",
			                 "one computation covers one client");
	const struct kpi_targets *targets;
	if ((r = load(s, &rq[0], &c, &all, &nt)) < 0 || (r = targets_of_client(s, c.id, &targets)) < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if ((r = compute(s, &c, all, nt, &rq[i], &ret[i])) < 0) {
			while (i-- > 0)
				kpi_result_release(&ret[i]);
			return r;
		}
		ret[i].targets = targets;
	}
	return 0;
}
