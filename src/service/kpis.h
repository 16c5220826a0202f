/* KPIs of a client: over its imported history and the tickets worked in Leitstand.
 * Room: service. Computes with the kpi engine; definitions in docs/kpi.md. */
#pragma once
#include "kpi/kpi.h"
#include "service/svc.h"

struct kpi_request {
	const char *client;   /* code (required) */
	enum kpi_period by;   /* KPI_PERIOD_NONE, WEEK, MONTH, QUARTER */
	enum kpi_dim group;   /* KPI_DIM_NONE or a dimension */
	ls_time from, to;     /* 0, 0: everything; both set: [from, to) */
	const char *tz;       /* zone of period boundaries; NULL: the client's */
	const char *calendar; /* code of the client's calendar for the business-hour
	                       * KPIs (current version); NULL: those are null */
};

/* Fills *ret (release with kpi_result_release); ret->targets points at the client's
 * stored KPI targets (request arena) when it has any. With from/to and no `by` the KPIs
 * cover the range; with `by` too, periods outside the range are left out. */
int kpis_compute(struct svc *s, const struct kpi_request *rq, struct kpi_result *ret);
/* Fills ret[0..n) for the requests rq[0..n) of one client (the same code in each),
 * loading its tickets once: what reports use to show several views of the same
 * data. Each result equals kpis_compute() of its request. On failure nothing is
 * left to release. */
int kpis_compute_many(struct svc *s, const struct kpi_request *rq, size_t n, struct kpi_result *ret);
