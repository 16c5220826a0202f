/* Staffing per interval (see staffing.h). Room: wfm.
 *
 * Voice: the load is contacts * aht / interval (in that order, so 100 calls of 180 s in
 * 1800 s are exactly 10.0 Erlangs); erlang_staff() finds the agents; shrinkage turns
 * agents into scheduled heads with a guarded ceiling.
 *
 * Deferred work: per queue, in time order. Work arriving in interval s (contacts *
 * aht seconds, spread evenly over the interval) becomes due response_time later, so
 * the share of it due by the end of interval t is clamp(t + 1 - s - response/interval,
 * 0, 1): zero, at most one fractional interval, then whole. A difference array gives
 * the cumulative due work of every interval in O(n). A greedy pass then staffs each
 * interval with the fewest agents whose capacity (agents * interval * max_occupancy)
 * finishes everything due by its end, given what is already done; work is done only
 * after it arrives, so done <= arrived always. Staffing each interval as late as the
 * window allows uses the fewest agent-intervals; smoothing the curve into shifts is
 * the shift planner's job.
 *
 * Invariants: outputs only on success; every user-controlled size bounded by
 * core/limits.h before allocating; no logging. */
#include "wfm/staffing.h"

#include <jansson.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "wfm/erlang.h"

static const char *const channel_names[_STAFFING_CHANNEL_MAX] = {
        [STAFFING_VOICE] = "voice",
        [STAFFING_DEFERRED] = "deferred",
};

const char *staffing_channel_to_string(enum staffing_channel c)
{
	return (unsigned)c < _STAFFING_CHANNEL_MAX ? channel_names[c] : NULL;
}

int staffing_channel_from_string(const char *s)
{
	for (int i = 0; s && i < _STAFFING_CHANNEL_MAX; i++)
		if (strcmp(s, channel_names[i]) == 0)
			return i;
	return -EINVAL;
}

void staffing_input_init(struct staffing_input *in)
{
	*in = (struct staffing_input){
	        .channel = STAFFING_VOICE,
	        .contacts = NAN,
	        .interval = NAN,
	        .aht = NAN,
	        .target = NAN,
	        .answer_time = NAN,
	        .max_asa = INFINITY,
	        .patience = 0.0,
	        .max_abandon = 1.0,
	        .response_time = NAN,
	        .max_occupancy = 1.0,
	        .shrinkage = 0.0,
	        .min_agents = 0,
	};
}

/* A bounded check: NAN is "missing", anything else outside [lo, hi] (with open ends
 * as asked) "invalid". what describes the valid range for the message. */
static int check(double v, const char *field, double lo, bool lo_open, double hi, bool hi_open, const char *what,
                 struct lserr *e)
{
	if (isnan(v))
		return lserr_set(e, -EINVAL, "missing_field", field, "%s is required", field);
	bool ok = (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
	if (!ok)
		return lserr_set(e, -EINVAL, "invalid_field", field, "%s must be %s, not %g", field, what, v);
	return 0;
}

int staffing_input_check(const struct staffing_input *in, struct lserr *e)
{
	int r;
	if (!staffing_channel_to_string(in->channel))
		return lserr_set(e, -EINVAL, "invalid_field", "channel", "channel must be voice or deferred");
	if ((r = check(in->contacts, "contacts", 0, false, HUGE_VAL, true, "a number >= 0", e)) < 0 ||
	    (r = check(in->interval, "interval", 0, true, HUGE_VAL, true, "a number of seconds > 0", e)) < 0 ||
	    (r = check(in->aht, "aht", 0, true, HUGE_VAL, true, "a number of seconds > 0", e)) < 0 ||
	    (r = check(in->max_occupancy, "max_occupancy", 0, true, 1, false, "a fraction > 0 and <= 1", e)) < 0 ||
	    (r = check(in->shrinkage, "shrinkage", 0, false, 1, true, "a fraction >= 0 and < 1", e)) < 0)
		return r;
	if (in->min_agents < 0 || in->min_agents > LS_MAX_STAFFING_AGENTS)
		return lserr_set(e, -EINVAL, "invalid_field", "min_agents", "min_agents must be 0 to %d, not %d",
		                 LS_MAX_STAFFING_AGENTS, in->min_agents);
	if (in->channel == STAFFING_DEFERRED)
		return check(in->response_time, "response_time", 0, false, HUGE_VAL, true, "a number of seconds >= 0",
		             e);
	if ((r = check(in->answer_time, "answer_time", 0, false, HUGE_VAL, true, "a number of seconds >= 0", e)) < 0)
		return r;
	if (in->target == 1.0) {
		lserr_set(e, -EINVAL, "invalid_field", "target",
		          "target 1 cannot be met: with calls arriving at random some always wait longer than %g s "
		          "however many agents answer",
		          in->answer_time);
		lserr_hint(e, "ask for a share below 1, e.g. 0.99 or 0.999");
		return -EINVAL;
	}
	if ((r = check(in->target, "target", 0, false, 1, true, "a fraction >= 0 and < 1", e)) < 0 ||
	    (r = check(in->max_asa, "max_asa", 0, true, HUGE_VAL, false, "a number of seconds > 0", e)) < 0 ||
	    (r = check(in->patience, "patience", 0, false, HUGE_VAL, true, "a number of seconds >= 0 (0: Erlang C)",
	               e)) < 0 ||
	    (r = check(in->max_abandon, "max_abandon", 0, false, 1, false, "a fraction >= 0 and <= 1", e)) < 0)
		return r;
	if (in->patience / in->aht > 1e12) {
		lserr_set(e, -EINVAL, "invalid_field", "patience",
		          "patience %g s is more than 1e12 times the AHT: that is Erlang C", in->patience);
		lserr_hint(e, "leave patience out to use Erlang C");
		return -EINVAL;
	}
	return 0;
}

int staffing_scheduled(int agents, double shrinkage, int *ret)
{
	if (agents < 0 || !(shrinkage >= 0.0 && shrinkage < 1.0))
		return -EINVAL;
	double heads = agents == 0 ? 0.0 : ceil((double)agents / (1.0 - shrinkage) * (1.0 - 1e-12));
	if (heads < (double)agents)
		heads = agents;
	if (heads > (double)INT_MAX)
		return -ERANGE;
	*ret = (int)heads;
	return 0;
}

static int scheduled_or_fail(int agents, double shrinkage, int *ret, struct lserr *e)
{
	if (staffing_scheduled(agents, shrinkage, ret) < 0)
		return lserr_set(e, -ERANGE, "invalid_field", "shrinkage",
		                 "shrinkage %g turns %d agents into more heads than can be counted", shrinkage, agents);
	return 0;
}

int staffing_voice(const struct staffing_input *in, struct staffing_result *ret, struct lserr *e)
{
	int r;
	if ((r = staffing_input_check(in, e)) < 0)
		return r;
	if (in->channel != STAFFING_VOICE)
		return lserr_set(e, -EINVAL, "invalid_field", "channel", "channel must be voice for Erlang staffing");
	const double load = in->contacts * in->aht / in->interval;
	if (!(load < (double)LS_MAX_STAFFING_AGENTS))
		return lserr_set(e, -ERANGE, "invalid_field", "contacts",
		                 "the load of %g Erlangs exceeds the limit of %d agents", load, LS_MAX_STAFFING_AGENTS);
	const struct erlang_params p = {
	        .load = load,
	        .aht = in->aht,
	        .answer_time = in->answer_time,
	        .patience = in->patience,
	};
	const struct erlang_targets t = {
	        .service_level = in->target,
	        .max_occupancy = in->max_occupancy,
	        .max_asa = in->max_asa,
	        .max_abandon = in->max_abandon,
	        .min_agents = in->min_agents,
	};
	struct erlang_metrics m;
	r = erlang_staff(&p, &t, &m);
	if (r == -ERANGE)
		return lserr_set(e, r, "invalid_field", "target", "no staffing up to %d agents meets the targets",
		                 LS_MAX_STAFFING_AGENTS);
	if (r == -E2BIG) {
		lserr_set(e, r, "invalid_field", "patience",
		          "patience %g s is too long for Erlang A at %g Erlangs: the queue does not converge",
		          in->patience, load);
		lserr_hint(e, "leave patience out to use Erlang C");
		return r;
	}
	if (r < 0)
		return lserr_set(e, r, "invalid_field", "", "invalid staffing parameters");
	int heads;
	if ((r = scheduled_or_fail(m.agents, in->shrinkage, &heads, e)) < 0)
		return r;
	*ret = (struct staffing_result){
	        .channel = STAFFING_VOICE,
	        .erlang_a = in->patience > 0.0,
	        .load = load,
	        .agents = m.agents,
	        .scheduled = heads,
	        .occupancy = m.occupancy,
	        .service_level = m.service_level,
	        .prob_wait = m.prob_wait,
	        .asa = m.asa,
	        .prob_abandon = m.prob_abandon,
	};
	return 0;
}

/* Work due by the end of each interval, cumulative, into due[0..n-1]. */
static void deferred_due(const struct staffing_input *rows, size_t n, double *due)
{
	double *whole = xcalloc(n + 1, sizeof(*whole)); /* difference array of fully due work */
	double *part = xcalloc(n, sizeof(*part));       /* partly due work, per interval */
	const double len = rows[0].interval;
	for (size_t s = 0; s < n; s++) {
		const double work = rows[s].contacts * rows[s].aht;
		const double delta = rows[s].response_time / len;
		const double lag = floor(delta), frac = delta - lag;
		if ((double)s + lag >= (double)n)
			continue; /* due after the horizon */
		size_t t0 = s + (size_t)lag;
		if (frac > 0.0) {
			part[t0] += work * (1.0 - frac);
			t0++;
		}
		whole[t0] += work;
	}
	double cum = 0.0;
	for (size_t t = 0; t < n; t++) {
		cum += whole[t];
		due[t] = cum + part[t];
	}
	xfree(whole);
	xfree(part);
}

static int deferred_plan(const struct staffing_input *rows, size_t n, struct staffing_result *out, size_t *ret_failed,
                         struct lserr *e)
{
	const double len = rows[0].interval;
	double *due = xcalloc(n, sizeof(*due));
	deferred_due(rows, n, due);
	double arrived = 0.0, done = 0.0;
	int r = 0;
	for (size_t t = 0; t < n; t++) {
		const struct staffing_input *in = &rows[t];
		const double work = in->contacts * in->aht;
		const double per_agent = len * in->max_occupancy;
		arrived += work;
		const double need = due[t] - done;
		double agents = 0.0;
		/* rounding noise in the cumulative sums must not cost a whole agent */
		if (need > 1e-9 * (due[t] > 1.0 ? due[t] : 1.0))
			agents = ceil(need / per_agent * (1.0 - 1e-12));
		if (agents < (double)in->min_agents)
			agents = in->min_agents;
		if (agents > (double)LS_MAX_STAFFING_AGENTS) {
			r = lserr_set(e, -ERANGE, "invalid_field", "contacts", "the due work needs more than %d agents",
			              LS_MAX_STAFFING_AGENTS);
			*ret_failed = t;
			break;
		}
		double worked = agents * per_agent;
		if (worked > arrived - done)
			worked = arrived - done;
		if (worked < 0.0)
			worked = 0.0;
		done += worked;
		struct staffing_result *o = &out[t];
		*o = (struct staffing_result){
		        .channel = STAFFING_DEFERRED,
		        .load = work / len,
		        .agents = (int)agents,
		        .occupancy = agents > 0.0 ? worked / (agents * len) : 0.0,
		        .workload = work,
		        .due = due[t],
		        .backlog = arrived - done,
		};
		if ((r = scheduled_or_fail(o->agents, in->shrinkage, &o->scheduled, e)) < 0) {
			*ret_failed = t;
			break;
		}
	}
	xfree(due);
	return r;
}

int staffing_plan(const struct staffing_input *rows, size_t n, struct staffing_result *out, size_t *ret_failed,
                  struct lserr *e)
{
	size_t failed_dummy;
	if (!ret_failed)
		ret_failed = &failed_dummy;
	*ret_failed = 0;
	if (n > LS_MAX_STAFFING_ROWS)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "intervals", "more than %d intervals",
		                 LS_MAX_STAFFING_ROWS);
	int r;
	for (size_t i = 0; i < n; i++) {
		*ret_failed = i;
		if ((r = staffing_input_check(&rows[i], e)) < 0)
			return r;
		if (rows[i].channel != rows[0].channel)
			return lserr_set(e, -EINVAL, "invalid_field", "channel",
			                 "channel %s differs from the queue's first interval (%s)",
			                 staffing_channel_to_string(rows[i].channel),
			                 staffing_channel_to_string(rows[0].channel));
		if (rows[i].channel == STAFFING_DEFERRED && rows[i].interval != rows[0].interval)
			return lserr_set(e, -EINVAL, "invalid_field", "interval",
			                 "interval %g s differs from the queue's first interval (%g s)",
			                 rows[i].interval, rows[0].interval);
	}
	if (n == 0)
		return 0;
	if (rows[0].channel == STAFFING_DEFERRED)
		return deferred_plan(rows, n, out, ret_failed, e);
	for (size_t i = 0; i < n; i++) {
		*ret_failed = i;
		if ((r = staffing_voice(&rows[i], &out[i], e)) < 0)
			return r;
	}
	return 0;
}

void staffing_result_to_json(const struct staffing_result *r, json_t *o)
{
	json_object_set_new(o, "load", json_real(r->load));
	json_object_set_new(o, "agents", json_integer(r->agents));
	json_object_set_new(o, "scheduled", json_integer(r->scheduled));
	if (r->channel == STAFFING_VOICE) {
		json_object_set_new(o, "service_level", json_real(r->service_level));
		json_object_set_new(o, "prob_wait", json_real(r->prob_wait));
		json_object_set_new(o, "asa", json_real(r->asa));
		json_object_set_new(o, "occupancy", json_real(r->occupancy));
		if (r->erlang_a)
			json_object_set_new(o, "prob_abandon", json_real(r->prob_abandon));
	} else {
		json_object_set_new(o, "occupancy", json_real(r->occupancy));
		json_object_set_new(o, "workload", json_real(r->workload));
		json_object_set_new(o, "due", json_real(r->due));
		json_object_set_new(o, "backlog", json_real(r->backlog));
	}
}
