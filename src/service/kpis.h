/* KPIs of a client: over its imported history and the tickets worked in Leitstand.
 * Room: service. Computes with the kpi engine; definitions in docs/kpi.md. */
#pragma once
#include <stdbool.h>

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
	bool no_calls;        /* leave out the call KPIs (ACD data) even when the client
	                       * has some: a view that does not show them */
};

/* A client's tickets as the KPIs see them: imported and worked in Leitstand
 * (importdb_client_tickets), loaded once for any number of KPI views and the
 * findings (analysis_run_loaded). Everything lives in the svc arena. */
struct kpis_tickets {
	struct client client; /* looked up by code, visible to the actor */
	const struct rec_ticket *tickets;
	size_t n;
	const struct kpi_targets *targets; /* the client's stored targets; NULL: none */
};

/* Looks up the client (invalid_parameter "client" when it does not exist or the actor
 * may not see it) and loads its tickets and targets into *ret: the fields the KPIs
 * read, and with for_findings also the ticket numbers and titles the findings need.
 * Call inside a read transaction when the loaded tickets must be one snapshot with
 * other reads. */
int kpis_load(struct svc *s, const char *client, bool for_findings, struct kpis_tickets *ret);
/* Fills *ret (release with kpi_result_release); ret->targets points at the client's
 * stored KPI targets (request arena) when it has any. With from/to and no `by` the KPIs
 * cover the range; with `by` too, periods outside the range are left out. */
int kpis_compute(struct svc *s, const struct kpi_request *rq, struct kpi_result *ret);
/* Fills ret[0..n) for the requests rq[0..n) over tickets loaded by kpis_load() (the
 * requests' client codes are not read again), loading the client's ACD intervals once
 * for all of them: what reports use to show several views of the same data. Each
 * result equals kpis_compute() of its request for that client. On failure nothing is
 * left to release. */
int kpis_compute_loaded(struct svc *s, const struct kpis_tickets *kt, const struct kpi_request *rq, size_t n,
                        struct kpi_result *ret);
