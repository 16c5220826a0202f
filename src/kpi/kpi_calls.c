/* Call KPIs over ACD intervals (see kpi_calls.h, definitions in docs/kpi.md).
 * Room: kpi.
 *
 * One pass: every interval adds its integer counts (and second totals) to the total
 * and, when asked, to the accumulator of (period of its start, queue), found through
 * an open-addressing map. Rates keep num and den as integers, so a rate over many
 * intervals is exact; values are divided once at the end. Nothing is logged. */
#include "kpi/kpi_calls.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

static const char *const sl_names[_KPI_SL_MAX] = {"icmi1", "icmi2", "icmi3", "icmi4", "icmi5", "offered"};

const char *kpi_sl_formula_to_string(enum kpi_sl_formula f)
{
	return (int)f >= 0 && f < _KPI_SL_MAX ? sl_names[f] : NULL;
}

double kpi_calls_handle_seconds(const struct rec_interval *iv)
{
	if (!isnan(iv->talk))
		return iv->talk + (isnan(iv->hold) ? 0 : iv->hold) + (isnan(iv->wrap_up) ? 0 : iv->wrap_up);
	return iv->handle;
}

struct cacc {
	int64_t pkey;
	uint32_t q; /* queue index; 0 when not grouped by queue */
	uint64_t intervals, offered, answered, abandoned;
	uint64_t sl_num[_KPI_SL_MAX], sl_den[_KPI_SL_MAX];
	uint64_t xs_num, xs_den;
	double handle, wait;
	uint64_t handle_calls, wait_calls;
	int32_t threshold; /* REC_UNKNOWN until seen */
	bool thr_seen, thr_mixed;
};

struct cengine {
	const struct kpi_options *o;
	bool by_queue, bucketed;
	struct cacc total;
	struct cacc *accs;
	size_t n_accs, cap_accs;
	uint32_t *map;
	size_t map_cap;
	const char **qval; /* interned queue names */
	size_t n_q, cap_q;
	uint32_t *qmap;
	size_t qmap_cap;
	uint8_t *q_in_total; /* queue counted in the total */
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static uint32_t intern(struct cengine *g, const char *s)
{
	if (!s)
		s = "";
	if (2 * (g->n_q + 1) > g->qmap_cap) {
		size_t ncap = g->qmap_cap ? g->qmap_cap * 2 : 64;
		uint32_t *nm = xcalloc(ncap, sizeof(*nm));
		for (size_t i = 0; i < g->n_q; i++) {
			size_t j = hash_str(g->qval[i]) & (ncap - 1);
			while (nm[j])
				j = (j + 1) & (ncap - 1);
			nm[j] = (uint32_t)i + 1;
		}
		xfree(g->qmap);
		g->qmap = nm;
		g->qmap_cap = ncap;
	}
	size_t j = hash_str(s) & (g->qmap_cap - 1);
	while (g->qmap[j]) {
		if (strcmp(g->qval[g->qmap[j] - 1], s) == 0)
			return g->qmap[j] - 1;
		j = (j + 1) & (g->qmap_cap - 1);
	}
	if (g->n_q == g->cap_q) {
		g->cap_q = g->cap_q ? g->cap_q * 2 : 16;
		g->qval = xrealloc(g->qval, g->cap_q * sizeof(*g->qval));
		g->q_in_total = xrealloc(g->q_in_total, g->cap_q);
	}
	g->qval[g->n_q] = s;
	g->q_in_total[g->n_q] = 0;
	g->qmap[j] = (uint32_t)g->n_q + 1;
	return (uint32_t)g->n_q++;
}

static void acc_init(struct cacc *a, int64_t pkey, uint32_t q)
{
	memset(a, 0, sizeof(*a));
	a->pkey = pkey;
	a->q = q;
	a->threshold = REC_UNKNOWN;
}

static struct cacc *bucket(struct cengine *g, int64_t pkey, uint32_t q)
{
	if (2 * (g->n_accs + 1) > g->map_cap) {
		size_t ncap = g->map_cap ? g->map_cap * 2 : 256;
		uint32_t *nm = xcalloc(ncap, sizeof(*nm));
		for (size_t i = 0; i < g->n_accs; i++) {
			size_t j = mix((uint64_t)g->accs[i].pkey * 0x9E3779B97F4A7C15ULL ^ g->accs[i].q) & (ncap - 1);
			while (nm[j])
				j = (j + 1) & (ncap - 1);
			nm[j] = (uint32_t)i + 1;
		}
		xfree(g->map);
		g->map = nm;
		g->map_cap = ncap;
	}
	size_t j = mix((uint64_t)pkey * 0x9E3779B97F4A7C15ULL ^ q) & (g->map_cap - 1);
	while (g->map[j]) {
		struct cacc *a = &g->accs[g->map[j] - 1];
		if (a->pkey == pkey && a->q == q)
			return a;
		j = (j + 1) & (g->map_cap - 1);
	}
	if (g->n_accs == g->cap_accs) {
		g->cap_accs = g->cap_accs ? g->cap_accs * 2 : 64;
		g->accs = xrealloc(g->accs, g->cap_accs * sizeof(*g->accs));
	}
	acc_init(&g->accs[g->n_accs], pkey, q);
	g->map[j] = (uint32_t)++g->n_accs;
	return &g->accs[g->n_accs - 1];
}

static void sl(struct cacc *a, enum kpi_sl_formula f, uint64_t num, uint64_t den)
{
	a->sl_num[f] += num;
	a->sl_den[f] += den;
}

static void add(struct cacc *a, const struct rec_interval *iv)
{
	uint64_t off = (uint64_t)iv->offered, ans = (uint64_t)iv->answered, ab = (uint64_t)iv->abandoned;
	a->intervals++;
	a->offered += off;
	a->answered += ans;
	a->abandoned += ab;
	if (iv->abandoned_short >= 0) {
		a->xs_num += ab;
		uint64_t sh = (uint64_t)iv->abandoned_short;
		a->xs_den += off > sh ? off - sh : 0;
	}
	if (iv->answered_within >= 0) {
		uint64_t aw = (uint64_t)iv->answered_within;
		sl(a, KPI_SL_ICMI2, aw, ans);
		sl(a, KPI_SL_ICMI3, aw, ans + ab);
		sl(a, KPI_SL_OFFERED, aw, off);
		if (iv->abandoned_within >= 0) {
			uint64_t bw = (uint64_t)iv->abandoned_within;
			sl(a, KPI_SL_ICMI1, aw + bw, ans + ab);
			sl(a, KPI_SL_ICMI4, aw, ans + (ab > bw ? ab - bw : 0));
		}
		if (iv->abandoned_short >= 0)
			sl(a, KPI_SL_ICMI5, aw + (uint64_t)iv->abandoned_short, ans + ab);
		if (!a->thr_seen) {
			a->thr_seen = true;
			a->threshold = iv->threshold;
		} else if (a->threshold != iv->threshold) {
			a->thr_mixed = true;
		}
	}
	double h = kpi_calls_handle_seconds(iv);
	if (!isnan(h)) {
		a->handle += h;
		a->handle_calls += ans;
	}
	if (!isnan(iv->wait)) {
		a->wait += iv->wait;
		a->wait_calls += ans;
	}
}

static struct kpi_rate mkrate(uint64_t num, uint64_t den)
{
	struct kpi_rate r = {num, den, NAN};
	if (den)
		r.value = (double)num / (double)den;
	return r;
}

static void finish(const struct cacc *a, struct kpi_calls_set *s)
{
	memset(s, 0, sizeof(*s));
	s->intervals = a->intervals;
	s->offered = a->offered;
	s->answered = a->answered;
	s->abandoned = a->abandoned;
	s->abandonment_rate = mkrate(a->abandoned, a->offered);
	s->abandonment_rate_excl_short = mkrate(a->xs_num, a->xs_den);
	for (int f = 0; f < _KPI_SL_MAX; f++)
		s->service_level[f] = mkrate(a->sl_num[f], a->sl_den[f]);
	s->threshold = a->thr_seen && !a->thr_mixed ? a->threshold : REC_UNKNOWN;
	s->aht_calls = a->handle_calls;
	s->aht_seconds = a->handle_calls ? a->handle / (double)a->handle_calls : NAN;
	s->asa_calls = a->wait_calls;
	s->asa_seconds = a->wait_calls ? a->wait / (double)a->wait_calls : NAN;
}

static int cmp_group(const void *x, const void *y)
{
	const struct kpi_calls_group *a = x, *b = y;
	if (a->period_start != b->period_start)
		return a->period_start < b->period_start ? -1 : 1;
	if (!a->queue || !b->queue)
		return !a->queue ? (b->queue ? -1 : 0) : 1;
	return strcmp(a->queue, b->queue);
}

int kpi_calls_compute(const struct rec_interval *v, size_t n, const struct kpi_options *o, bool by_queue,
                      struct kpi_calls **ret, struct lserr *e)
{
	if ((int)o->period < 0 || o->period >= _KPI_PERIOD_MAX)
		return lserr_set(e, -EINVAL, "invalid_field", "period", "unknown period");
	if (o->period == KPI_PERIOD_RANGE && !(o->from < o->to))
		return lserr_set(e, -EINVAL, "invalid_field", "to", "a custom range needs from < to");
	struct cengine g = {.o = o, .by_queue = by_queue};
	g.bucketed = by_queue || o->period != KPI_PERIOD_NONE;
	acc_init(&g.total, 0, 0);
	for (size_t i = 0; i < n; i++) {
		const struct rec_interval *iv = &v[i];
		int64_t key = 0;
		bool in = kpi_period_key(o, iv->start, &key);
		if (o->period == KPI_PERIOD_RANGE && !in)
			continue;
		uint32_t q = intern(&g, iv->queue);
		g.q_in_total[q] = 1;
		add(&g.total, iv);
		if (g.bucketed)
			add(bucket(&g, o->period == KPI_PERIOD_NONE ? 0 : key, by_queue ? q : 0), iv);
	}
	struct kpi_calls *c = xcalloc(1, sizeof(*c));
	c->by_queue = by_queue;
	c->period = o->period;
	for (size_t q = 0; q < g.n_q; q++)
		c->queues += g.q_in_total[q];
	finish(&g.total, &c->total);
	if (g.bucketed) {
		c->groups = xcalloc(g.n_accs ? g.n_accs : 1, sizeof(*c->groups));
		c->n_groups = g.n_accs;
		for (size_t i = 0; i < g.n_accs; i++) {
			struct kpi_calls_group *cg = &c->groups[i];
			cg->queue = by_queue ? g.qval[g.accs[i].q] : NULL;
			kpi_period_bounds(o, g.accs[i].pkey, &cg->period_start, &cg->period_end, cg->period,
			                  sizeof(cg->period));
			finish(&g.accs[i], &cg->set);
		}
		qsort(c->groups, c->n_groups, sizeof(*c->groups), cmp_group);
	}
	xfree(g.accs);
	xfree(g.map);
	xfree(g.qval);
	xfree(g.qmap);
	xfree(g.q_in_total);
	*ret = c;
	return 0;
}

void kpi_calls_free(struct kpi_calls *c)
{
	if (!c)
		return;
	xfree(c->groups);
	xfree(c);
}
