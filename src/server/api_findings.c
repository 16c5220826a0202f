/* Baseline findings over HTTP. Room: server. GET /api/v1/findings answers the object
 * that `leitstand analyze --format json` prints, for the same parameters; it runs on
 * the slow-work thread (a large history takes a noticeable fraction of a second). */
#include "server/api.h"
#include "server/json.h"
#include "service/analysis.h"

int api_findings(struct request *rq)
{
	struct analysis_request q = {.client = request_query(rq, "client"), .tz = request_query(rq, "tz")};
	const char *v;
	if (!q.client)
		return reply_errorf(rq, "invalid_parameter", "client", "client is required");
	if ((v = request_query(rq, "from")) && time_parse_rfc3339(v, &q.from) < 0)
		return reply_errorf(rq, "invalid_parameter", "from", "from must be a date or RFC 3339 time");
	if ((v = request_query(rq, "to")) && time_parse_rfc3339(v, &q.to) < 0)
		return reply_errorf(rq, "invalid_parameter", "to", "to must be a date or RFC 3339 time");
	struct analysis a;
	int r = analysis_run(&rq->svc, &q, &a);
	if (r < 0)
		return reply_error(rq, r);
	json_t *o = analysis_json(&a);
	analysis_release(&a);
	return reply_json(rq, 200, o);
}
