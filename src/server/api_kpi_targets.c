/* KPI targets per client over HTTP: GET and PUT /api/v1/kpi-targets/{client}.
 * Room: server. The body of a PUT is the target set itself; the ETag and If-Match
 * carry its version, as for calendars (a first PUT needs none). */
#include <stdio.h>
#include <string.h>

#include "server/api.h"
#include "server/json.h"
#include "service/targets.h"

static int reply_set(struct request *rq, const struct target_set *t)
{
	if (t->version)
		snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)t->version);
	json_t *o = json_object();
	json_object_set_new(o, "client", json_string(t->client));
	json_object_set_new(o, "targets", kpi_targets_to_json(t->targets));
	json_object_set_new(o, "version", json_integer(t->version));
	json_object_set_new(o, "updated_at", json_time(t->updated_at));
	json_object_set_new(o, "updated_by", json_str_or_null(t->updated_by));
	return reply_json(rq, 200, o);
}

int api_kpi_targets_get(struct request *rq)
{
	struct target_set t;
	int r = targets_get(&rq->svc, rq->params[0], &t);
	if (r < 0)
		return reply_error(rq, r);
	return reply_set(rq, &t);
}

int api_kpi_targets_put(struct request *rq)
{
	json_t *body;
	if (request_json_object(rq, &body) < 0)
		return -EINVAL;
	struct kpi_targets check; /* the body's errors come before the version's */
	if (kpi_targets_from_json(body, &check, &rq->err) < 0)
		return reply_error(rq, -EINVAL);
	int64_t ver = 0;
	const char *im = request_header(rq, MHD_HTTP_HEADER_IF_MATCH);
	if (im && (ver = if_match_version(im)) < 0)
		return reply_errorf(rq, "invalid_parameter", "If-Match", "If-Match must name a version like \"3\"");
	struct target_set cur;
	int r = targets_get(&rq->svc, rq->params[0], &cur);
	if (r < 0)
		return reply_error(rq, r);
	if (!im && cur.version)
		return reply_error_full(rq, "precondition_required", "If-Match",
		                        "a change of existing KPI targets must name the version it changes",
		                        "send If-Match: \"<version>\" with the version from GET");
	struct target_set t;
	if ((r = targets_put(&rq->svc, rq->params[0], body, ver, &t)) < 0)
		return reply_error(rq, r);
	return reply_set(rq, &t);
}
