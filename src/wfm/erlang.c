/* Erlang C and Erlang A (see erlang.h). Room: wfm.
 *
 * Erlang B comes from the recursion B(k) = A B(k-1) / (k + A B(k-1)), whose every
 * step is a convex combination bounded by [0, 1]: no factorials, no powers, no
 * overflow, relative error O(N ulp). Erlang C and its service level, ASA and queue
 * length follow in closed form from B. The staffing search walks N upwards and
 * advances B by one step of the same recursion per agent.
 *
 * Erlang A is the birth-death chain of M/M/N+M. Relative to state N the states below
 * N sum to (1 - B)/B (they are the Erlang B chain), and the queue states are
 * q_j = prod_{k<=j} y/(x + k) with x = N mu/theta and y = lambda/theta. One pass over
 * j accumulates sum q_j, sum j q_j and the service-level sum, and stops when
 * geometric bounds on the rest fall below 1e-17 of both sums (so the mean queue, and
 * with it abandonment, is accurate even when tiny); memory is O(1), time O(queue
 * states). Normalising with B (not 1/B) keeps every term
 * finite however far N exceeds the load; while the chain still grows (N below the
 * load) the accumulators are rescaled before they can overflow.
 *
 * The Erlang A service level needs G_j(t), the probability that a caller who finds
 * j callers ahead is answered within t. The time to reach an agent is a sum of
 * exponentials with rates theta (x + k), k = 0..j, which is distributed as the
 * (j+1)-th order statistic of x + j unit exponentials (scaled by theta); discounting
 * by the caller's own Exp(theta) patience and integrating gives the closed form
 *     G_j(t) = x / (x + j + 1) * P(K > j),   K ~ NegativeBinomial(x + 1, e^(-theta t)),
 * (the number of failures before the (x+1)-th success with success probability
 * e^(-theta t)). P(K > j) is 1 minus a running sum of the negative-binomial
 * probabilities d_j = d_{j-1} z (x + j) / j with z = 1 - e^(-theta t), so the whole
 * service level costs O(1) per queue state. d_0 = e^(-(x+1) theta t) underflows for
 * large centres, so d is carried as a mantissa and a logarithm until it becomes
 * representable. This replaces the uniformization used by pyworkforce (O(states^2
 * times steps)); both agree to 1e-15 on the published examples (tests/unit/test_erlang.c
 * keeps a uniformization oracle). */
#include "wfm/erlang.h"

#include <errno.h>
#include <math.h>

#include "core/limits.h"

double erlang_b(int agents, double load)
{
	double b = 1.0;
	for (int k = 1; k <= agents; k++)
		b = load * b / ((double)k + load * b);
	return b;
}

double erlang_c(int agents, double load)
{
	if (load <= 0.0)
		return 0.0;
	if ((double)agents <= load)
		return 1.0;
	double b = erlang_b(agents, load);
	return (double)agents * b / ((double)agents - load * (1.0 - b));
}

static bool params_valid(const struct erlang_params *p)
{
	if (!(isfinite(p->load) && p->load >= 0.0 && isfinite(p->aht) && p->aht > 0.0 && isfinite(p->answer_time) &&
	      p->answer_time >= 0.0 && isfinite(p->patience) && p->patience >= 0.0))
		return false;
	/* Erlang A works with patience/AHT ratios; beyond 1e12 it is Erlang C in all digits */
	return p->patience == 0.0 || (p->patience / p->aht <= 1e12 && isfinite(p->load * (p->patience / p->aht)) &&
	                              isfinite((double)LS_MAX_STAFFING_AGENTS * (p->patience / p->aht)));
}

static bool targets_valid(const struct erlang_targets *t)
{
	return isfinite(t->service_level) && t->service_level >= 0.0 && t->service_level < 1.0 &&
	       isfinite(t->max_occupancy) && t->max_occupancy > 0.0 && t->max_occupancy <= 1.0 && !isnan(t->max_asa) &&
	       t->max_asa > 0.0 && isfinite(t->max_abandon) && t->max_abandon >= 0.0 && t->max_abandon <= 1.0 &&
	       t->min_agents >= 0 && t->min_agents <= LS_MAX_STAFFING_AGENTS;
}

static double clamp01(double v)
{
	return v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v;
}

/* No contacts: nobody waits, nobody is busy. */
static void idle_metrics(int n, struct erlang_metrics *m)
{
	*m = (struct erlang_metrics){.agents = n, .service_level = 1.0};
}

/* Erlang C for N > A > 0 with b = B(N, A). */
static void erlang_c_metrics(const struct erlang_params *p, int n, double b, struct erlang_metrics *m)
{
	const double a = p->load, dn = (double)n, gap = dn - a;
	const double c = dn * b / (dn - a * (1.0 - b));
	m->agents = n;
	m->prob_wait = c;
	m->service_level = clamp01(1.0 - c * exp(-gap * p->answer_time / p->aht));
	m->asa = c * p->aht / gap;
	m->occupancy = a / dn;
	m->prob_abandon = 0.0;
	m->queue_length = c * a / gap;
}

/* Erlang A for A > 0, N >= 0, with b = B(N, A). */
static int erlang_a_metrics(const struct erlang_params *p, int n, double b, struct erlang_metrics *m)
{
	const double a = p->load;
	if (n == 0) { /* everybody waits until they give up */
		*m = (struct erlang_metrics){
		        .prob_wait = 1.0,
		        .asa = p->patience,
		        .prob_abandon = 1.0,
		        .queue_length = a * p->patience / p->aht,
		};
		return 0;
	}
	const double x = (double)n * p->patience / p->aht; /* N mu / theta */
	const double y = a * p->patience / p->aht;         /* lambda / theta */
	const double tt = p->answer_time / p->patience;    /* theta t */
	const double z = -expm1(-tt);

	/* d_j = dm * exp(dlog); dlog is 0 once d is representable */
	double dlog = -(x + 1.0) * tt, dm = 1.0;
	if (dlog > -600.0) {
		dm = exp(dlog);
		dlog = 0.0;
	}
	double cdf = 0.0, q = 1.0, scale = 1.0, sum_q = 0.0, sum_jq = 0.0, sum_served = 0.0;
	for (long j = 0;; j++) {
		const double dj = (double)j;
		if (j > 0) {
			q *= y / (x + dj);
			dm *= z * (x + dj) / dj;
			if (dlog < 0.0 && dm > 0x1p600) {
				double l = log(dm);
				if (dlog + l > -600.0) {
					dm = exp(dlog + l);
					dlog = 0.0;
				} else {
					dlog += l;
					dm = 1.0;
				}
			}
		}
		if (dlog == 0.0)
			cdf += dm;
		const double beyond = cdf < 1.0 ? 1.0 - cdf : 0.0; /* P(K > j) */
		sum_q += q;
		sum_jq += dj * q;
		sum_served += q * (x / (x + dj + 1.0)) * beyond;
		if (q > 1e250) {
			q *= 1e-250;
			sum_q *= 1e-250;
			sum_jq *= 1e-250;
			sum_served *= 1e-250;
			scale *= 1e-250;
		}
		/* Stop when geometric bounds on the rest (r is the largest ratio still to come)
		 * are negligible against the mass and against sum j q_j: the mean queue, and so
		 * abandonment (theta Lq / lambda), stays accurate even when it is tiny. */
		const double r = y / (x + dj + 1.0);
		if (r == 0.0)
			break;
		if (r < 1.0 && j > 0 && q * r <= 1e-17 * (1.0 - r) * sum_q &&
		    q * r * (dj + 1.0 / (1.0 - r)) <= 1e-17 * (1.0 - r) * sum_jq)
			break;
		if (j >= LS_MAX_ERLANG_A_STATES)
			return -E2BIG;
	}
	/* weights: states 0..N-1 together 1 - b, queue state j (n = N + j) b q_j */
	const double below = (1.0 - b) * scale;
	const double total = below + b * sum_q;
	const double lq = b * sum_jq / total;
	/* lq > 0 implies y > 0 (y is 0 only when lambda/theta underflows) */
	const double abandon = lq > 0.0 ? clamp01(lq / y) : 0.0;
	m->agents = n;
	m->prob_wait = clamp01(b * sum_q / total);
	m->service_level = clamp01((below + b * sum_served) / total);
	m->asa = lq * p->aht / a;
	m->occupancy = a * (1.0 - abandon) / (double)n;
	m->prob_abandon = abandon;
	m->queue_length = lq;
	return 0;
}

int erlang_eval(const struct erlang_params *p, int agents, struct erlang_metrics *ret)
{
	if (!params_valid(p) || agents < 0 || agents > LS_MAX_STAFFING_AGENTS)
		return -EINVAL;
	struct erlang_metrics m;
	if (p->load == 0.0) {
		idle_metrics(agents, &m);
	} else if (p->patience == 0.0) {
		if ((double)agents <= p->load)
			return -EDOM;
		erlang_c_metrics(p, agents, erlang_b(agents, p->load), &m);
	} else {
		int r = erlang_a_metrics(p, agents, erlang_b(agents, p->load), &m);
		if (r < 0)
			return r;
	}
	*ret = m;
	return 0;
}

bool erlang_meets(const struct erlang_metrics *m, const struct erlang_targets *t)
{
	return m->agents >= t->min_agents && m->service_level >= t->service_level - ERLANG_TOLERANCE &&
	       m->occupancy <= t->max_occupancy + ERLANG_TOLERANCE &&
	       m->prob_abandon <= t->max_abandon + ERLANG_TOLERANCE &&
	       (isinf(t->max_asa) || m->asa <= t->max_asa * (1.0 + ERLANG_TOLERANCE));
}

int erlang_staff(const struct erlang_params *p, const struct erlang_targets *t, struct erlang_metrics *ret)
{
	if (!params_valid(p) || !targets_valid(t))
		return -EINVAL;
	struct erlang_metrics m;
	if (p->load == 0.0) {
		idle_metrics(t->min_agents, &m);
		*ret = m;
		return 0;
	}
	const double first = floor(p->load) + 1.0;
	if (first > (double)LS_MAX_STAFFING_AGENTS)
		return -ERANGE;
	int n = (int)first > t->min_agents ? (int)first : t->min_agents;
	double b = erlang_b(n, p->load);
	for (;;) {
		if (p->patience == 0.0) {
			erlang_c_metrics(p, n, b, &m);
		} else {
			int r = erlang_a_metrics(p, n, b, &m);
			if (r < 0)
				return r;
		}
		if (erlang_meets(&m, t))
			break;
		if (n >= LS_MAX_STAFFING_AGENTS)
			return -ERANGE;
		n++;
		b = p->load * b / ((double)n + p->load * b);
	}
	*ret = m;
	return 0;
}
