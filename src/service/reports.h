/* Management reports of a client (leitstand report): loads the client's tickets once
 * (kpis_load) and computes from them the KPIs a report shows with the same service
 * calls `leitstand kpi` uses (kpis_compute_loaded: the trend by period, the period by
 * category, team and agent), the baseline findings of the period
 * (analysis_run_loaded: top findings and arrivals by hour of the week), adds the
 * client's action plan and contract (service/plans.h) and, for a quarter, the
 * installation benchmark (one load per other client with enough tickets), and builds
 * the report model (report/report.h). Room: service. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "report/report.h"
#include "service/svc.h"

struct report_request {
	const char *client; /* code (required) */
	enum report_kind kind;
	const char *period; /* "2026-W43", "2026-10", "2026-Q3" (as the kind needs) */
	bool german;
	const char *tz;                       /* zone of the period; NULL: the client's */
	const struct report_targets *targets; /* NULL: none */
	/* quarterly: clients with fewer tickets in the quarter stay out of the benchmark;
	 * 0: REPORTS_BENCH_MIN_TICKETS */
	uint64_t benchmark_min_tickets;
};

#define REPORTS_BENCH_MIN_TICKETS 100

/* Fills *ret (release with report_free). Fails with invalid_parameter naming
 * client, period or tz, or a store error. */
int reports_build(struct svc *s, const struct report_request *rq, struct report **ret);
