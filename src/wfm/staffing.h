/* Staffing requirements per interval: voice by Erlang C/A, deferrable work (e-mail,
 * tickets) by a workload model with a response-time window, heads after shrinkage.
 * Room: wfm.
 *
 * The unit is one interval of one queue and skill: a struct staffing_input in, a
 * struct staffing_result out. A whole day of one queue is an array of inputs in time
 * order (staffing_plan), because deferrable work carries over from one interval to
 * the next. Labels (queue, skill, interval start) are the caller's business; an HTTP
 * handler or a CLI command fills the structs, calls one function, formats the result.
 *
 * Validation errors fill a struct lserr with a catalogue code ("missing_field",
 * "invalid_field") and the field name as a JSON body would spell it (snake_case:
 * "answer_time", "max_occupancy", ...). Nothing here logs, allocates globally or
 * keeps state; every function is safe from any thread. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

enum staffing_channel {
	STAFFING_VOICE,    /* callers wait on the line: Erlang C, or Erlang A with patience */
	STAFFING_DEFERRED, /* e-mail, tickets: answered within a response window */
	_STAFFING_CHANNEL_MAX,
};

/* "voice", "deferred"; NULL for an invalid value. */
const char *staffing_channel_to_string(enum staffing_channel c);
/* The channel named s, or -EINVAL. */
int staffing_channel_from_string(const char *s);

/* One interval of one queue. Times are seconds, shares are fractions. A required
 * value not given is NAN (staffing_input_init() sets them so); optional bounds take
 * their neutral value. */
struct staffing_input {
	enum staffing_channel channel;
	double contacts; /* arrivals in the interval, >= 0 (required) */
	double interval; /* interval length, > 0 (required; 900, 1800, 3600 typical) */
	double aht;      /* average handle time, > 0 (required) */
	/* voice */
	double target;      /* service-level target in [0, 1) (required for voice) */
	double answer_time; /* ... within this many seconds, >= 0 (required for voice) */
	double max_asa;     /* average speed of answer bound, > 0; INFINITY = none */
	double patience;    /* mean caller patience > 0 selects Erlang A; 0 = Erlang C */
	double max_abandon; /* Erlang A: abandonment bound in [0, 1]; 1 = none */
	/* deferred */
	double response_time; /* every contact answered within this window, >= 0 (required for deferred) */
	/* both */
	double max_occupancy; /* (0, 1]; voice: bound on occupancy, deferred: planned productive share; 1 = none */
	double shrinkage;     /* share of paid time not available, [0, 1) */
	int min_agents;       /* never staff fewer, 0..LS_MAX_STAFFING_AGENTS */
};

/* Sets channel voice, every required value to NAN and the optional ones to their
 * neutral values (no caps, no shrinkage, min_agents 0). */
void staffing_input_init(struct staffing_input *in);

/* Checks the values the input's channel uses. Returns 0 or -EINVAL with e naming the
 * field ("missing_field" for a NAN required value, "invalid_field" otherwise). */
int staffing_input_check(const struct staffing_input *in, struct lserr *e);

struct staffing_result {
	enum staffing_channel channel;
	bool erlang_a;    /* voice with patience */
	double load;      /* Erlangs: contacts * aht / interval */
	int agents;       /* productive agents required */
	int scheduled;    /* heads to schedule: ceil(agents / (1 - shrinkage)) */
	double occupancy; /* voice: A/N (Erlang A: answered load / N); deferred: worked / staffed time */
	/* voice (0 for deferred) */
	double service_level; /* share of all arrivals answered within answer_time */
	double prob_wait;     /* share of arrivals that wait at all */
	double asa;           /* mean wait of all arrivals, seconds */
	double prob_abandon;  /* Erlang A; 0 for Erlang C */
	/* deferred (0 for voice), seconds of work */
	double workload; /* arriving in this interval: contacts * aht */
	double due;      /* cumulative work whose response window ends by the interval's end */
	double backlog;  /* cumulative work arrived but not done at the interval's end */
};

/* Voice staffing for one interval: the smallest N (searched upwards from
 * floor(load) + 1, see erlang_staff()) meeting target, max_occupancy, max_asa and,
 * with patience, max_abandon; then scheduled heads. Load 0 gives min_agents agents.
 * Returns 0; -EINVAL for invalid input (e names the field); -ERANGE when no staffing up
 * to LS_MAX_STAFFING_AGENTS meets the targets, or the load or scheduled heads exceed
 * that limit (e names "target", "contacts" or "shrinkage"); -E2BIG when Erlang A cannot
 * converge (e names "patience"). *ret is untouched on failure. */
int staffing_voice(const struct staffing_input *in, struct staffing_result *ret, struct lserr *e);

/* The requirement for n consecutive intervals of one queue, in time order, into
 * out[0..n-1]. All rows have the same channel; deferred rows the same interval length.
 * Voice rows are independent (staffing_voice() each). Deferred rows use the workload
 * model: a contact arriving at time s (arrivals spread evenly over their interval) is
 * due at s + response_time; capacity is agents * interval * max_occupancy seconds of
 * work; each interval gets the fewest agents (at least min_agents) that finish all due
 * work by its end, given what earlier intervals finished (work is never done before it
 * arrives). Work due after the last interval stays in the last backlog.
 * Allocates O(n) scratch with xcalloc and frees it. Returns 0; -LS_ETOOLARGE for
 * n > LS_MAX_STAFFING_ROWS; other errors as staffing_voice(). On failure *ret_failed
 * (may be NULL; meaningless after success) is the 0-based index of the offending
 * interval, and out is unspecified. */
int staffing_plan(const struct staffing_input *rows, size_t n, struct staffing_result *out, size_t *ret_failed,
                  struct lserr *e);

/* Scheduled heads for productive agents: ceil(agents / (1 - shrinkage)), with the
 * quotient taken 1e-12 (relative) lower before the ceiling so that floating-point noise
 * does not add a head (66 agents at 0.34 shrinkage are 100, not 101). Returns 0,
 * -EINVAL (shrinkage outside [0, 1), agents < 0) or -ERANGE (the heads would
 * exceed INT_MAX: a shrinkage too close to 1). */
int staffing_scheduled(int agents, double shrinkage, int *ret);

/* Adds the result fields of one interval to the JSON object o, in the documented
 * order: load, agents, scheduled, then for voice service_level, prob_wait, asa,
 * occupancy (and prob_abandon with Erlang A), for deferred work occupancy, workload,
 * due, backlog. Reals keep full double precision (jansson prints 10.0, not 10). */
struct json_t;
void staffing_result_to_json(const struct staffing_result *r, struct json_t *o);
