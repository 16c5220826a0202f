/* Baseline findings of a client (leitstand analyze, GET /api/v1/findings): loads its
 * imported history and its tickets worked in Leitstand — the same tickets the KPIs
 * see — with their change events and the client's call intervals, and runs the
 * findings engine (kpi/findings.h). Room: service. */
#pragma once
#include <jansson.h>

#include "kpi/findings.h"
#include "service/kpis.h"
#include "service/svc.h"

struct analysis_request {
	const char *client; /* code (required) */
	ls_time from, to;   /* 0, 0: everything; both set: tickets opened in [from, to) */
	const char *tz;     /* zone of the hours of the week; NULL: the client's */
};

struct analysis {
	const char *client; /* the client's code (in the svc arena) */
	struct tz *tz;      /* the zone used; owned */
	struct findings_result result;
};

/* Fills *ret (release with analysis_release). Fails with invalid_parameter naming
 * client, from, to or tz; or a store error. */
int analysis_run(struct svc *s, const struct analysis_request *rq, struct analysis *ret);
/* The same over tickets already loaded by kpis_load() with for_findings (rq->client is not read
 * again): a report computes its KPI views and its findings from one load. Loads the
 * events and intervals; call inside the read transaction of the load for one
 * snapshot. */
int analysis_run_loaded(struct svc *s, const struct kpis_tickets *kt, const struct analysis_request *rq,
                        struct analysis *ret);
/* Accepts NULL. */
void analysis_release(struct analysis *a);
/* The JSON the CLI and the API print (findings_json). New reference. */
json_t *analysis_json(const struct analysis *a);
