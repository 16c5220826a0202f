/* KPIs (see kpis.h). Room: service. */
#include "service/kpis.h"

#include <stdio.h>
#include <string.h>

#include "calendar/tz.h"
#include "store/dirdb.h"
#include "store/importdb.h"

int kpis_compute(struct svc *s, const struct kpi_request *rq, struct kpi_result *ret)
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
	struct rec_ticket *imported, *native;
	size_t ni, nn;
	if ((r = importdb_tickets(s->st, s->arena, c.id, &imported, &ni)) < 0 ||
	    (r = importdb_native_tickets(s->st, s->arena, c.id, &native, &nn)) < 0)
		return store_error(s->st, s->err, "loading tickets");
	struct rec_ticket *all = arena_alloc(s->arena, (ni + nn + 1) * sizeof(*all));
	if (ni)
		memcpy(all, imported, ni * sizeof(*all));
	if (nn)
		memcpy(all + ni, native, nn * sizeof(*all));
	struct tz *zone = NULL;
	if ((r = tz_load(rq->tz ? rq->tz : c.timezone, &zone, s->err)) < 0) {
		s->err->code = "invalid_parameter";
		snprintf(s->err->field, sizeof(s->err->field), "tz");
		return r;
	}
	struct kpi_options o = {
		.group_by = rq->group,
		.period = rq->by,
		.tz = zone,
	};
	if (rq->from && rq->by == KPI_PERIOD_NONE) {
		o.period = KPI_PERIOD_RANGE;
		o.from = rq->from;
		o.to = rq->to;
	}
	struct kpi_result res;
	r = kpi_compute(all, ni + nn, &o, &res, s->err);
	tz_free(zone);
	if (r < 0) {
		if (s->err)
			s->err->code = "invalid_parameter";
		return r;
	}
	if (rq->from && rq->by != KPI_PERIOD_NONE) {
		size_t k = 0;
		for (size_t i = 0; i < res.n_groups; i++)
			if (res.groups[i].period_start >= rq->from && res.groups[i].period_start < rq->to)
				res.groups[k++] = res.groups[i];
		res.n_groups = k;
	}
	*ret = res;
	return 0;
}
