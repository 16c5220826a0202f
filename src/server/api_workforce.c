/* Workforce endpoints: staffing requirements and shift plans. Room: server.
 * POST /api/v1/staffing takes the inputs of `leitstand staff` as JSON (durations in
 * seconds, shares as fractions) and answers the same result object; with
 * "intervals" it staffs consecutive intervals of one queue, each interval taking
 * the top-level values as defaults. */
#include <math.h>
#include <string.h>

#include "core/limits.h"
#include "server/api.h"
#include "server/json.h"
#include "service/workforce.h"

#define STAFFING_FIELDS                                                                                                \
	{"channel", JF_STRING, false, 0, 16}, {"calls", JF_NUMBER, false}, {"contacts", JF_NUMBER, false},             \
	        {"interval", JF_NUMBER, false}, {"aht", JF_NUMBER, false}, {"target", JF_NUMBER, false},               \
	        {"answer_time", JF_NUMBER, false}, {"max_asa", JF_NUMBER, false}, {"patience", JF_NUMBER, false},      \
	        {"max_abandon", JF_NUMBER, false}, {"response_time", JF_NUMBER, false},                                \
	        {"max_occupancy", JF_NUMBER, false}, {"shrinkage", JF_NUMBER, false},                                  \
	{                                                                                                              \
		"min_agents", JF_INT, false, 0, LS_MAX_STAFFING_AGENTS                                                 \
	}

static const struct jfield interval_spec[] = {STAFFING_FIELDS, {NULL}};
static const struct jfield body_spec[] = {
        STAFFING_FIELDS,
        {"intervals", JF_OBJECT_ARRAY, false, 0, LS_MAX_STAFFING_ROWS, interval_spec},
        {NULL},
};

/* Fills in from o, keeping what `in` holds for absent fields. */
static int read_input(struct request *rq, json_t *o, struct staffing_input *in)
{
	const char *ch = jstr(o, "channel");
	if (ch) {
		int c = staffing_channel_from_string(ch);
		if (c < 0) {
			reply_errorf(rq, "invalid_field", "channel", "channel must be voice or deferred");
			return -EINVAL;
		}
		in->channel = (enum staffing_channel)c;
	}
	if (jhas(o, "calls") && jhas(o, "contacts")) {
		reply_errorf(rq, "invalid_field", "contacts", "give calls or contacts, not both");
		return -EINVAL;
	}
	in->contacts = jnum(o, "calls", jnum(o, "contacts", in->contacts));
	in->interval = jnum(o, "interval", in->interval);
	in->aht = jnum(o, "aht", in->aht);
	in->target = jnum(o, "target", in->target);
	in->answer_time = jnum(o, "answer_time", in->answer_time);
	in->max_asa = jnum(o, "max_asa", in->max_asa);
	in->patience = jnum(o, "patience", in->patience);
	in->max_abandon = jnum(o, "max_abandon", in->max_abandon);
	in->response_time = jnum(o, "response_time", in->response_time);
	in->max_occupancy = jnum(o, "max_occupancy", in->max_occupancy);
	in->shrinkage = jnum(o, "shrinkage", in->shrinkage);
	in->min_agents = (int)jint(o, "min_agents", in->min_agents);
	return 0;
}

int api_staffing(struct request *rq)
{
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, body_spec, "") < 0)
		return -EINVAL;
	struct staffing_input base;
	staffing_input_init(&base);
	if (read_input(rq, body, &base) < 0)
		return -EINVAL;
	json_t *list = json_object_get(body, "intervals");
	size_t n = list ? json_array_size(list) : 1;
	if (list && n == 0)
		return reply_errorf(rq, "invalid_field", "intervals", "intervals must not be empty");
	struct staffing_input *rows = arena_alloc(&rq->arena, n * sizeof(*rows));
	struct staffing_result *out = arena_alloc(&rq->arena, n * sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		rows[i] = base;
		if (list && read_input(rq, json_array_get(list, i), &rows[i]) < 0)
			return -EINVAL;
	}
	int r = workforce_staffing(&rq->svc, rows, n, out);
	if (r < 0)
		return reply_error(rq, r);
	if (!list) {
		json_t *o = json_object();
		staffing_result_to_json(&out[0], o);
		return reply_json(rq, 200, o);
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		staffing_result_to_json(&out[i], o);
		json_array_append_new(items, o);
	}
	return reply_json(rq, 200, json_pack("{s:o}", "intervals", items));
}

/* POST /api/v1/shift-plans: the inputs of `leitstand shifts plan` as one JSON body
 * (requirements as an array of {"start", "required", "skill", "interval"}), the
 * output of `--format json` as the answer. Runs on the slow-work thread, so the
 * solver's time limit is capped at LS_MAX_SHIFT_API_TIME_LIMIT seconds. */
static const struct jfield shift_plan_spec[] = {
        {"from", JF_STRING, true, 0, 10},        {"days", JF_INT, true, 1, LS_MAX_SHIFT_DAYS},
        {"tz", JF_STRING, false, 0, 64},         {"interval", JF_INT, false, 900, 86400},
        {"time_limit", JF_NUMBER, false},        {"solver", JF_STRING, false, 0, 16},
        {"requirements", JF_OBJECT_ARRAY, true}, {"templates", JF_OBJECT_ARRAY, true},
        {"agents", JF_OBJECT_ARRAY, true},       {NULL},
};

int api_shift_plans(struct request *rq)
{
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, shift_plan_spec, "") < 0)
		return -EINVAL;
	struct lserr *e = rq->svc.err;
	struct shiftplan p;
	if (shiftplan_init(&p, &rq->arena, jstr(body, "tz"), jstr(body, "from"), (int)jint(body, "days", 0), e) < 0)
		return reply_error(rq, -EINVAL);
	int64_t interval = jint(body, "interval", 0);
	if (interval % SHIFTS_SLOT)
		return reply_errorf(rq, "invalid_field", "interval", "interval must be seconds in whole quarter hours");
	p.interval = (int32_t)interval;
	p.time_limit = jnum(body, "time_limit", 5.0);
	if (!(p.time_limit > 0) || p.time_limit > LS_MAX_SHIFT_API_TIME_LIMIT)
		return reply_errorf(rq, "invalid_field", "time_limit", "time_limit must be seconds > 0 and <= %d",
		                    LS_MAX_SHIFT_API_TIME_LIMIT);
	const char *solver = jstr(body, "solver");
	if (solver && strcmp(solver, "cbc") != 0 && strcmp(solver, "greedy") != 0)
		return reply_errorf(rq, "invalid_field", "solver", "solver must be cbc or greedy");
	if (shiftplan_requirements_json(&p, json_object_get(body, "requirements"), "requirements", e) < 0 ||
	    shiftplan_templates_json(&p, json_object_get(body, "templates"), "templates", e) < 0 ||
	    shiftplan_agents_json(&p, json_object_get(body, "agents"), "agents", e) < 0)
		return reply_error(rq, -EINVAL);
	struct shiftplan_result res;
	int r = workforce_shift_plan(&rq->svc, &p, solver && strcmp(solver, "greedy") == 0, &res);
	if (r < 0)
		return reply_error(rq, r);
	json_t *o = shiftplan_to_json(&p, &res);
	shiftplan_result_free(&res);
	return reply_json(rq, 200, o);
}
