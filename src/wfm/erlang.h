/* Erlang C and Erlang A: queueing formulas for staffing a voice queue. Room: wfm.
 *
 * Erlang C is the M/M/N queue: Poisson arrivals, exponential handle times, N agents,
 * callers wait as long as it takes. Erlang A (M/M/N+M) adds exponential patience:
 * a waiting caller hangs up after a mean of `patience` seconds. Both are evaluated
 * exactly in double precision without factorials, for any N up to
 * LS_MAX_STAFFING_AGENTS (see docs/design/0006-erlang.md and docs/wfm.md).
 *
 * Conventions: times are seconds, probabilities and occupancy are fractions, the load
 * is in Erlangs (arrival rate × AHT). The service level is the share of *all*
 * arrivals answered within the answer time, so in Erlang A an abandoned call counts
 * as a miss; ASA is the mean wait over all arrivals (Erlang A: including the time
 * abandoners waited before hanging up).
 *
 * Every function is pure: no allocation, no global state, callable from any thread.
 * Outputs go through ret pointers, untouched on failure. */
#pragma once
#include <stdbool.h>

struct erlang_params {
	double load;        /* offered load A in Erlangs, >= 0 */
	double aht;         /* mean handle time, seconds, > 0 */
	double answer_time; /* service-level threshold t, seconds, >= 0 */
	double patience;    /* mean patience, seconds: 0 = infinitely patient (Erlang C), > 0 = Erlang A */
};

struct erlang_metrics {
	int agents;           /* N */
	double prob_wait;     /* probability that an arrival waits at all */
	double service_level; /* probability that an arrival is answered within answer_time */
	double asa;           /* mean wait over all arrivals, seconds */
	double occupancy;     /* share of agent time spent handling: A/N, Erlang A: A(1 - P(abandon))/N */
	double prob_abandon;  /* probability that an arrival hangs up (0 in Erlang C) */
	double queue_length;  /* mean number of callers waiting */
};

/* What a staffing must meet. A bound that is not wanted is given as its neutral
 * value: max_occupancy 1, max_asa INFINITY, max_abandon 1, min_agents 0. */
struct erlang_targets {
	double service_level; /* [0, 1): the smallest acceptable service level */
	double max_occupancy; /* (0, 1] */
	double max_asa;       /* seconds, > 0 or INFINITY */
	double max_abandon;   /* [0, 1], Erlang A only */
	int min_agents;       /* >= 0 */
};

/* The tolerance of every target comparison: SL >= target - ERLANG_TOLERANCE,
 * occupancy <= max + ERLANG_TOLERANCE, abandon <= max + ERLANG_TOLERANCE,
 * ASA <= max_asa * (1 + ERLANG_TOLERANCE). */
#define ERLANG_TOLERANCE 1e-12

/* Erlang B blocking probability B(N, A) by the recursion B(k) = A B(k-1) / (k + A B(k-1)):
 * O(N), no overflow for any N. Returns a value in [0, 1]; 1 for N = 0. Arguments are
 * not validated (N >= 0, A >= 0 finite is the caller's duty). */
double erlang_b(int agents, double load);

/* Erlang C probability of waiting C(N, A) = N B / (N - A (1 - B)); 1 when N <= A
 * (the queue grows without bound), 0 when A = 0. Not validated, as erlang_b(). */
double erlang_c(int agents, double load);

/* Metrics of N agents. Erlang C when p->patience is 0, Erlang A otherwise.
 * Returns 0; -EINVAL for invalid parameters (negative, not finite, aht 0, agents < 0
 * or above LS_MAX_STAFFING_AGENTS, patience above 1e12 times the AHT); -EDOM for Erlang C with 0 < load and N <= load
 * (no steady state: waits grow without bound); -E2BIG when an Erlang A queue needs
 * more than LS_MAX_ERLANG_A_STATES states to converge (a patience far above the AHT
 * with N at or below the load). With load 0 everyone is answered at once (SL 1,
 * occupancy 0). */
int erlang_eval(const struct erlang_params *p, int agents, struct erlang_metrics *ret);

/* The smallest N that meets every target, and its metrics. The search starts at
 * max(floor(A) + 1, t->min_agents) and walks up one agent at a time, updating Erlang B
 * in O(1) per step, so the result is the smallest N above the load even where a
 * target is not monotone in N. Erlang A too is only staffed above the load: a plan
 * whose queue is stable only because callers hang up is not a plan. With load 0 the
 * answer is t->min_agents (0 by default): no contacts, no agents.
 * Returns 0; -EINVAL for invalid parameters or targets (service_level outside [0, 1),
 * a maximum outside its range); -ERANGE when no N up to LS_MAX_STAFFING_AGENTS meets
 * the targets; -E2BIG as erlang_eval(). */
int erlang_staff(const struct erlang_params *p, const struct erlang_targets *t, struct erlang_metrics *ret);

/* Whether m meets t, with ERLANG_TOLERANCE. */
bool erlang_meets(const struct erlang_metrics *m, const struct erlang_targets *t);
