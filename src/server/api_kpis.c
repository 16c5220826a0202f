/* KPIs over HTTP. Room: server. GET /api/v1/kpis answers the object that
 * `leitstand kpi --format json` prints, for the same parameters. */
#include <string.h>

#include "kpi/kpi_json.h"
#include "server/api.h"
#include "server/json.h"
#include "service/kpis.h"

int api_kpis(struct request *rq)
{
	struct kpi_request k = {.client = request_query(rq, "client"),
	                        .tz = request_query(rq, "tz"),
	                        .calendar = request_query(rq, "calendar")};
	const char *v;
	if (!k.client)
		return reply_errorf(rq, "invalid_parameter", "client", "client is required");
	if ((v = request_query(rq, "by"))) {
		k.by = kpi_period_from_string(v);
		if ((int)k.by <= 0 || k.by == KPI_PERIOD_RANGE)
			return reply_errorf(rq, "invalid_parameter", "by", "by must be week, month or quarter");
	}
	if ((v = request_query(rq, "group"))) {
		k.group = kpi_dim_from_string(v);
		if ((int)k.group <= 0)
			return reply_errorf(rq, "invalid_parameter", "group",
			                    "group must be priority, team, category, channel, agent, type or client");
	}
	if ((v = request_query(rq, "from")) && time_parse_rfc3339(v, &k.from) < 0)
		return reply_errorf(rq, "invalid_parameter", "from", "from must be a date or RFC 3339 time");
	if ((v = request_query(rq, "to")) && time_parse_rfc3339(v, &k.to) < 0)
		return reply_errorf(rq, "invalid_parameter", "to", "to must be a date or RFC 3339 time");
	struct kpi_result res;
	int r = kpis_compute(&rq->svc, &k, &res);
	if (r < 0)
		return reply_error(rq, r);
	json_t *o = kpi_json_result(&res);
	kpi_result_release(&res);
	return reply_json(rq, 200, o);
}
