/* KPI aggregation (see kpi.h, definitions in docs/kpi.md). Room: kpi.
 *
 * One pass over the tickets. Each measure asks for the accumulator of (period of the
 * instant it measures, group of the ticket); accumulators live in one array found
 * through an open-addressing map keyed by (period key, group index), group values
 * are interned once per ticket. Counts are integers; durations are collected per
 * accumulator and reduced at the end with quickselect (O(n), no full sort) for the
 * median and P90. Backlog with periods is answered per group from two arrays of
 * instants (opened, solve instants of opened tickets): open at E = #opened < E −
 * #solved < E, by binary search after a radix sort, or by one count for a custom
 * range (a single E). Nothing is logged; bad options are the only error. */
#include "kpi/kpi.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "kpi/kpi_calls.h"

static const char *const dim_names[] = {"none", "client", "team", "agent", "priority", "category", "channel", "type"};
static const char *const period_names[] = {"none", "week", "month", "quarter", "range"};
static const char *const sla_names[] = {"none", "made_sla", "resolution_target"};

const char *kpi_dim_to_string(enum kpi_dim d)
{
	return (int)d >= 0 && d < _KPI_DIM_MAX ? dim_names[d] : NULL;
}

enum kpi_dim kpi_dim_from_string(const char *s)
{
	for (int i = 0; s && i < _KPI_DIM_MAX; i++)
		if (strcmp(s, dim_names[i]) == 0)
			return (enum kpi_dim)i;
	return _KPI_DIM_INVALID;
}

const char *kpi_period_to_string(enum kpi_period p)
{
	return (int)p >= 0 && p < _KPI_PERIOD_MAX ? period_names[p] : NULL;
}

enum kpi_period kpi_period_from_string(const char *s)
{
	for (int i = 0; s && i < _KPI_PERIOD_MAX; i++)
		if (strcmp(s, period_names[i]) == 0)
			return (enum kpi_period)i;
	return _KPI_PERIOD_INVALID;
}

const char *kpi_sla_variant_to_string(enum kpi_sla_variant v)
{
	return (int)v >= 0 && v <= KPI_SLA_TARGET ? sla_names[v] : NULL;
}

/* ---- distributions ---- */

struct dvec {
	double *v;
	size_t n, cap;
};

static void dvec_push(struct dvec *d, double x)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	d->v[d->n++] = x;
}

static void swapd(double *a, double *b)
{
	double t = *a;
	*a = *b;
	*b = t;
}

/* Reorders v so that v[k] is the k-th smallest, smaller-or-equal before it and
 * greater-or-equal after it (Hoare partition, median of three). */
static void select_k(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (hi > lo) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < v[lo])
			swapd(&v[mid], &v[lo]);
		if (v[hi] < v[lo])
			swapd(&v[hi], &v[lo]);
		if (v[hi] < v[mid])
			swapd(&v[hi], &v[mid]);
		double pivot = v[mid];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				swapd(&v[i], &v[j]);
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

struct kpi_dist kpi_dist_of(double *v, size_t n)
{
	struct kpi_dist d = {.n = n, .mean = NAN, .median = NAN, .p90 = NAN};
	if (n == 0)
		return d;
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	d.mean = sum / (double)n;
	size_t m = n / 2;
	select_k(v, n, m);
	double hi = v[m];
	if (n % 2 == 0) {
		double lo = v[0];
		for (size_t i = 1; i < m; i++)
			if (v[i] > lo)
				lo = v[i];
		d.median = (lo + hi) / 2;
	} else {
		d.median = hi;
	}
	size_t k = (size_t)((9 * (uint64_t)n + 9) / 10) - 1; /* rank ceil(0.9 n), 0-based */
	select_k(v + m, n - m, k - m);
	d.p90 = v[k];
	return d;
}

/* ---- instants of the backlog ---- */

struct tvec {
	int64_t *v;
	size_t n, cap;
};

static void tvec_push(struct tvec *d, int64_t x)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	d->v[d->n++] = x;
}

/* Sorts v ascending: LSD radix sort by bytes of the sign-flipped value, skipping the
 * bytes every value shares (instants of a few years differ in three or four). */
static void tvec_sort(struct tvec *d)
{
	size_t n = d->n, count[8][256] = {{0}};
	if (n < 2)
		return;
	for (size_t i = 0; i < n; i++) {
		uint64_t k = (uint64_t)d->v[i] ^ (1ULL << 63);
		for (int b = 0; b < 8; b++)
			count[b][(k >> (8 * b)) & 0xff]++;
	}
	int64_t *src = d->v, *dst = xmalloc(n * sizeof(*dst));
	for (int b = 0; b < 8; b++) {
		size_t *c = count[b], pos = 0;
		bool one_bucket = false;
		for (int j = 0; j < 256 && !one_bucket; j++)
			one_bucket = c[j] == n;
		if (one_bucket)
			continue;
		for (int j = 0; j < 256; j++) {
			size_t x = c[j];
			c[j] = pos;
			pos += x;
		}
		for (size_t i = 0; i < n; i++) {
			uint64_t k = (uint64_t)src[i] ^ (1ULL << 63);
			dst[c[(k >> (8 * b)) & 0xff]++] = src[i];
		}
		int64_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != d->v) { /* an odd number of passes: the result is in the buffer */
		memcpy(d->v, src, n * sizeof(*src));
		dst = src;
	}
	xfree(dst);
}

/* Entries of v strictly below x: binary search when v is sorted, else one count. */
static uint64_t below(const struct tvec *v, int64_t x, bool sorted)
{
	size_t lo = 0, hi = v->n;
	if (!sorted) {
		for (size_t i = 0; i < v->n; i++)
			lo += v->v[i] < x;
		return lo;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- accumulators ---- */

enum { V_RES, V_RES_BH, V_RES_BH_NET, V_FRT, V_FRT_BH, V_HANDLE, _V_MAX };
enum {
	R_REOPEN,
	R_SLA_SRC,
	R_SLA_TGT,
	R_REASSIGNED,
	R_FCR_ONE_TOUCH,
	R_FCR_MSG,
	R_FCR_FRESH,
	R_FCR_ZOHO,
	R_FCR_1BH,
	R_FCR_CANON,
	R_FCR_NET,
	R_FCR_SOURCE,
	R_CSAT,
	_R_MAX
};

struct acc {
	int64_t pkey;
	uint32_t group; /* index into groups, UINT32_MAX: no grouping */
	uint64_t tickets, solved, backlog;
	uint64_t num[_R_MAX], den[_R_MAX];
	uint64_t reassign_sum, reassign_n;
	uint64_t nps_n, nps_pro, nps_det;
	struct dvec v[_V_MAX];
};

struct engine {
	const struct kpi_options *o;
	bool bucketed;
	struct acc total;
	struct acc *accs;
	size_t n_accs, cap_accs;
	uint32_t *map; /* acc index + 1, 0 empty */
	size_t map_cap;
	/* interned group values */
	const char **gval;
	size_t n_gval, cap_gval;
	uint32_t *gmap;
	size_t gmap_cap;
	uint32_t null_group; /* index of the NULL value, UINT32_MAX until seen */
	/* group values by address: loaders hand the same pointer for the same text
	 * (store/importdb.h), so most tickets are found here without hashing */
	struct {
		const char *s;
		uint32_t id;
	} seen[256];
	/* per-group instants for the backlog */
	struct tvec *opened, *solved;
	int64_t key, key_lo, key_hi; /* the last period: key and local days [lo, hi) */
	size_t last_acc;             /* index + 1 of the last accumulator found, 0 none */
	uint64_t skipped_negative, skipped_calendar;
	int64_t fcr_window;
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

static uint32_t intern_text(struct engine *g, const char *s)
{
	if (!s) {
		if (g->null_group == UINT32_MAX) {
			g->null_group = (uint32_t)g->n_gval;
			goto add;
		}
		return g->null_group;
	}
	if (2 * (g->n_gval + 1) > g->gmap_cap) {
		size_t ncap = g->gmap_cap ? g->gmap_cap * 2 : 256;
		uint32_t *nm = xcalloc(ncap, sizeof(*nm));
		for (size_t i = 0; i < g->n_gval; i++) {
			if (!g->gval[i])
				continue;
			size_t j = hash_str(g->gval[i]) & (ncap - 1);
			while (nm[j])
				j = (j + 1) & (ncap - 1);
			nm[j] = (uint32_t)i + 1;
		}
		xfree(g->gmap);
		g->gmap = nm;
		g->gmap_cap = ncap;
	}
	size_t j = hash_str(s) & (g->gmap_cap - 1);
	while (g->gmap[j]) {
		if (strcmp(g->gval[g->gmap[j] - 1], s) == 0)
			return g->gmap[j] - 1;
		j = (j + 1) & (g->gmap_cap - 1);
	}
	g->gmap[j] = (uint32_t)g->n_gval + 1;
add:
	if (g->n_gval == g->cap_gval) {
		g->cap_gval = g->cap_gval ? g->cap_gval * 2 : 64;
		g->gval = xrealloc(g->gval, g->cap_gval * sizeof(*g->gval));
		g->opened = xrealloc(g->opened, g->cap_gval * sizeof(*g->opened));
		g->solved = xrealloc(g->solved, g->cap_gval * sizeof(*g->solved));
	}
	g->gval[g->n_gval] = s;
	g->opened[g->n_gval] = (struct tvec){0};
	g->solved[g->n_gval] = (struct tvec){0};
	return (uint32_t)g->n_gval++;
}

static uint32_t intern(struct engine *g, const char *s)
{
	size_t slot = ((uintptr_t)s >> 3) & (ELEMENTSOF(g->seen) - 1);
	if (s && g->seen[slot].s == s)
		return g->seen[slot].id;
	uint32_t id = intern_text(g, s);
	g->seen[slot].s = s;
	g->seen[slot].id = id;
	return id;
}

static const char *const priority_names[] = {NULL, "1", "2", "3", "4", "5"};

static const char *dim_value(const struct rec_ticket *t, enum kpi_dim d)
{
	switch (d) {
	case KPI_DIM_CLIENT: return t->client;
	case KPI_DIM_TEAM: return t->team;
	case KPI_DIM_AGENT: return t->agent;
	case KPI_DIM_PRIORITY: return t->priority >= 1 && t->priority <= 5 ? priority_names[t->priority] : NULL;
	case KPI_DIM_CATEGORY: return t->category;
	case KPI_DIM_CHANNEL: return t->channel;
	case KPI_DIM_TYPE: return ticket_type_to_string(t->type);
	default: return NULL;
	}
}

static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The key of the week, month or quarter of local day number `days` (0 for other
 * periods) and the local days [*lo, *hi) that period covers. */
static int64_t key_of_days(enum kpi_period p, int64_t days, int64_t *lo, int64_t *hi)
{
	int64_t y, key;
	unsigned m, d;
	switch (p) {
	case KPI_PERIOD_WEEK:
		key = days - (((days + 3) % 7) + 7) % 7; /* Monday */
		*lo = key;
		*hi = key + 7;
		return key;
	case KPI_PERIOD_MONTH:
		time_civil_from_days(days, &y, &m, &d);
		*lo = time_days_from_civil(y, m, 1);
		*hi = m == 12 ? time_days_from_civil(y + 1, 1, 1) : time_days_from_civil(y, m + 1, 1);
		return y * 12 + (m - 1);
	case KPI_PERIOD_QUARTER: {
		time_civil_from_days(days, &y, &m, &d);
		unsigned q = (m - 1) / 3;
		*lo = time_days_from_civil(y, q * 3 + 1, 1);
		*hi = q == 3 ? time_days_from_civil(y + 1, 1, 1) : time_days_from_civil(y, q * 3 + 4, 1);
		return y * 4 + q;
	}
	default: *lo = *hi = days; return 0;
	}
}

static int64_t local_days(const struct kpi_options *o, ls_time t)
{
	return floordiv(t + (o->tz ? tz_offset_at(o->tz, t) : 0), 86400);
}

bool kpi_period_key(const struct kpi_options *o, ls_time t, int64_t *ret)
{
	if (o->period == KPI_PERIOD_RANGE) {
		*ret = 0;
		return t >= o->from && t < o->to;
	}
	int64_t lo, hi;
	*ret = key_of_days(o->period, local_days(o, t), &lo, &hi);
	return true;
}

static ls_time local_days_to_utc(const struct kpi_options *o, int64_t days)
{
	int64_t local = days * 86400;
	return o->tz ? tz_local_to_utc(o->tz, local) : local;
}

void kpi_period_bounds(const struct kpi_options *o, int64_t key, ls_time *start, ls_time *end, char *label, size_t n)
{
	int64_t y;
	unsigned m, d;
	switch (o->period) {
	case KPI_PERIOD_WEEK: {
		time_civil_from_days(key + 3, &y, &m, &d); /* the ISO year is the Thursday's */
		int64_t week = (key + 3 - time_days_from_civil(y, 1, 1)) / 7 + 1;
		snprintf(label, n, "%04lld-W%02lld", (long long)y, (long long)week);
		*start = local_days_to_utc(o, key);
		*end = local_days_to_utc(o, key + 7);
		return;
	}
	case KPI_PERIOD_MONTH:
		y = floordiv(key, 12);
		m = (unsigned)(key - y * 12) + 1;
		snprintf(label, n, "%04lld-%02u", (long long)y, m);
		*start = local_days_to_utc(o, time_days_from_civil(y, m, 1));
		*end = local_days_to_utc(o, m == 12 ? time_days_from_civil(y + 1, 1, 1)
		                                    : time_days_from_civil(y, m + 1, 1));
		return;
	case KPI_PERIOD_QUARTER: {
		y = floordiv(key, 4);
		unsigned q = (unsigned)(key - y * 4);
		snprintf(label, n, "%04lld-Q%u", (long long)y, q + 1);
		*start = local_days_to_utc(o, time_days_from_civil(y, q * 3 + 1, 1));
		*end = local_days_to_utc(o, q == 3 ? time_days_from_civil(y + 1, 1, 1)
		                                   : time_days_from_civil(y, q * 3 + 4, 1));
		return;
	}
	case KPI_PERIOD_RANGE:
		snprintf(label, n, "range");
		*start = o->from;
		*end = o->to;
		return;
	default:
		label[0] = '\0';
		*start = *end = 0;
		return;
	}
}

static struct acc *bucket(struct engine *g, int64_t pkey, uint32_t group)
{
	if (g->last_acc) {
		struct acc *a = &g->accs[g->last_acc - 1];
		if (a->pkey == pkey && a->group == group)
			return a;
	}
	if (2 * (g->n_accs + 1) > g->map_cap) {
		size_t ncap = g->map_cap ? g->map_cap * 2 : 1024;
		uint32_t *nm = xcalloc(ncap, sizeof(*nm));
		for (size_t i = 0; i < g->n_accs; i++) {
			size_t j =
			        mix((uint64_t)g->accs[i].pkey * 0x9E3779B97F4A7C15ULL ^ g->accs[i].group) & (ncap - 1);
			while (nm[j])
				j = (j + 1) & (ncap - 1);
			nm[j] = (uint32_t)i + 1;
		}
		xfree(g->map);
		g->map = nm;
		g->map_cap = ncap;
	}
	size_t j = mix((uint64_t)pkey * 0x9E3779B97F4A7C15ULL ^ group) & (g->map_cap - 1);
	while (g->map[j]) {
		struct acc *a = &g->accs[g->map[j] - 1];
		if (a->pkey == pkey && a->group == group) {
			g->last_acc = g->map[j];
			return a;
		}
		j = (j + 1) & (g->map_cap - 1);
	}
	if (g->n_accs == g->cap_accs) {
		g->cap_accs = g->cap_accs ? g->cap_accs * 2 : 64;
		g->accs = xrealloc(g->accs, g->cap_accs * sizeof(*g->accs));
	}
	struct acc *a = &g->accs[g->n_accs];
	memset(a, 0, sizeof(*a));
	a->pkey = pkey;
	a->group = group;
	g->map[j] = (uint32_t)++g->n_accs;
	g->last_acc = g->n_accs;
	return a;
}

/* kpi_period_key(), remembering the last period's local days: the key is a function
 * of the local day alone, so a day inside them has their key without calendar
 * arithmetic (a ticket's events mostly fall in one period). */
static bool period_key(struct engine *g, ls_time t, int64_t *ret)
{
	const struct kpi_options *o = g->o;
	if (o->period != KPI_PERIOD_WEEK && o->period != KPI_PERIOD_MONTH && o->period != KPI_PERIOD_QUARTER)
		return kpi_period_key(o, t, ret);
	int64_t days = local_days(o, t);
	if (!(days >= g->key_lo && days < g->key_hi))
		g->key = key_of_days(o->period, days, &g->key_lo, &g->key_hi);
	*ret = g->key;
	return true;
}

/* Up to two accumulators an event at instant t feeds: the total and its bucket. */
struct targets {
	struct acc *a[2];
	int n;
};

static struct targets at(struct engine *g, ls_time t, uint32_t group)
{
	struct targets r = {{NULL, NULL}, 0};
	const struct kpi_options *o = g->o;
	int64_t key = 0;
	bool in = t != REC_TIME_NONE && period_key(g, t, &key);
	if (o->period != KPI_PERIOD_RANGE || in)
		r.a[r.n++] = &g->total;
	if (g->bucketed && (in || o->period == KPI_PERIOD_NONE))
		r.a[r.n++] = bucket(g, key, group);
	return r;
}

static void rate(struct targets *tg, int r, bool hit)
{
	for (int i = 0; i < tg->n; i++) {
		tg->a[i]->den[r]++;
		tg->a[i]->num[r] += hit;
	}
}

static void value(struct targets *tg, int v, double x)
{
	for (int i = 0; i < tg->n; i++)
		dvec_push(&tg->a[i]->v[v], x);
}

static bool business_hours(struct engine *g, ls_time a, ls_time b, double *ret)
{
	int64_t s;
	if (calendar_elapsed(g->o->cal, a, b, &s, NULL) < 0) {
		g->skipped_calendar++;
		return false;
	}
	*ret = (double)s / 3600.0;
	return true;
}

/* total, the business seconds of [opened_at, resolved_at], minus the business
 * hours of the waiting spans, each clipped to that interval (a span still open at
 * the resolution ends there; a span whose clipped end is not after its start
 * counts nothing). */
static bool net_business_hours(struct engine *g, const struct rec_ticket *t, int64_t total, double *ret)
{
	int64_t paused = 0;
	for (int i = 0; i < t->n_pauses; i++) {
		const struct rec_pause *p = &t->pauses[i];
		ls_time a = p->start > t->opened_at ? p->start : t->opened_at;
		ls_time b = p->end != REC_TIME_NONE && p->end < t->resolved_at ? p->end : t->resolved_at;
		int64_t s;
		if (b <= a)
			continue;
		if (calendar_elapsed(g->o->cal, a, b, &s, NULL) < 0) {
			g->skipped_calendar++;
			return false;
		}
		paused += s;
	}
	*ret = (double)(total - paused) / 3600.0;
	return true;
}

static bool in_not_l1(const struct kpi_options *o, const char *category)
{
	for (size_t i = 0; category && i < o->n_not_l1; i++)
		if (strcmp(o->not_l1_categories[i], category) == 0)
			return true;
	return false;
}

enum kpi_sla_variant kpi_sla_variant_of(const struct rec_ticket *t, size_t n)
{
	enum kpi_sla_variant sv = KPI_SLA_NONE;
	for (size_t i = 0; i < n && sv != KPI_SLA_SOURCE; i++) {
		if (t[i].made_sla != REC_UNKNOWN)
			sv = KPI_SLA_SOURCE;
		else if (t[i].resolution_due_at != REC_TIME_NONE)
			sv = KPI_SLA_TARGET;
	}
	return sv;
}

int kpi_sla_outcome(const struct rec_ticket *t, enum kpi_sla_variant v, ls_time as_of)
{
	ls_time solved_at = rec_ticket_solved_at(t);
	switch (v) {
	case KPI_SLA_SOURCE:
		if (t->made_sla == REC_UNKNOWN || (!solved_at && t->made_sla != 0))
			return -1;
		return t->made_sla == 1;
	case KPI_SLA_TARGET:
		if (t->resolution_due_at == REC_TIME_NONE)
			return -1;
		if (solved_at)
			return solved_at <= t->resolution_due_at;
		return t->resolution_due_at < (as_of ? as_of : INT64_MAX) ? 0 : -1;
	case KPI_SLA_NONE: break;
	}
	return -1;
}

static void one_ticket(struct engine *g, const struct rec_ticket *t)
{
	const struct kpi_options *o = g->o;
	uint32_t grp = o->group_by != KPI_DIM_NONE ? intern(g, dim_value(t, o->group_by)) : 0;
	ls_time solved_at = rec_ticket_solved_at(t);
	bool solved = solved_at != REC_TIME_NONE;

	/* received: tickets and reassignments, by opened_at */
	struct targets tg = o->period == KPI_PERIOD_NONE ? at(g, 1, grp) : at(g, t->opened_at, grp);
	for (int i = 0; i < tg.n; i++) {
		tg.a[i]->tickets++;
		if (t->reassignment_count >= 0) {
			tg.a[i]->reassign_sum += (uint64_t)t->reassignment_count;
			tg.a[i]->reassign_n++;
		}
	}
	if (t->reassignment_count >= 0)
		rate(&tg, R_REASSIGNED, t->reassignment_count >= 1);

	/* backlog */
	if (o->period == KPI_PERIOD_NONE) {
		ls_time asof = o->as_of ? o->as_of : INT64_MAX;
		bool open = (t->opened_at == REC_TIME_NONE || t->opened_at <= asof) && (!solved || solved_at > asof);
		for (int i = 0; open && i < tg.n; i++)
			tg.a[i]->backlog++;
	} else if (t->opened_at != REC_TIME_NONE) {
		tvec_push(&g->opened[grp], t->opened_at);
		if (solved) /* never before its opening, so no snapshot goes negative */
			tvec_push(&g->solved[grp], solved_at > t->opened_at ? solved_at : t->opened_at);
	}

	/* resolution time, by resolved_at */
	if (t->resolved_at != REC_TIME_NONE && t->opened_at != REC_TIME_NONE) {
		if (t->resolved_at < t->opened_at) {
			g->skipped_negative++;
		} else {
			tg = at(g, t->resolved_at, grp);
			value(&tg, V_RES, (double)(t->resolved_at - t->opened_at) / 3600.0);
			int64_t total;
			double bh;
			if (o->cal && calendar_elapsed(o->cal, t->opened_at, t->resolved_at, &total, NULL) < 0) {
				g->skipped_calendar++;
			} else if (o->cal) {
				/* one calendar walk for the gross figure and the net one */
				value(&tg, V_RES_BH, (double)total / 3600.0);
				if (t->n_pauses >= 0 && net_business_hours(g, t, total, &bh))
					value(&tg, V_RES_BH_NET, bh);
			}
		}
	}

	/* first response, by first_response_at */
	if (t->first_response_at != REC_TIME_NONE && t->opened_at != REC_TIME_NONE) {
		if (t->first_response_at < t->opened_at) {
			g->skipped_negative++;
		} else {
			tg = at(g, t->first_response_at, grp);
			value(&tg, V_FRT, (double)(t->first_response_at - t->opened_at) / 3600.0);
			double bh;
			if (o->cal && business_hours(g, t->opened_at, t->first_response_at, &bh))
				value(&tg, V_FRT_BH, bh);
		}
	}

	/* SLA outcomes: completed targets, plus in-flight ones already breached (in the
	 * period of the opening for the source's outcome, of the due time for targets) */
	int sla = kpi_sla_outcome(t, KPI_SLA_SOURCE, o->as_of);
	if (sla >= 0) {
		tg = at(g, solved ? solved_at : t->opened_at, grp);
		rate(&tg, R_SLA_SRC, sla == 1);
	}
	sla = kpi_sla_outcome(t, KPI_SLA_TARGET, o->as_of);
	if (sla >= 0) {
		tg = at(g, solved ? solved_at : t->resolution_due_at, grp);
		rate(&tg, R_SLA_TGT, sla == 1);
	}

	if (!solved)
		return;
	/* everything about solved tickets, by the solve instant */
	tg = at(g, solved_at, grp);
	for (int i = 0; i < tg.n; i++)
		tg.a[i]->solved++;
	if (t->reopen_count >= 0)
		rate(&tg, R_REOPEN, t->reopen_count > 0);
	if (!isnan(t->effort_minutes))
		value(&tg, V_HANDLE, t->effort_minutes);
	if (t->agent_replies >= 0) {
		rate(&tg, R_FCR_ONE_TOUCH, t->agent_replies < 2);
		if (t->wait_count >= 0 && t->reopen_count >= 0)
			rate(&tg, R_FCR_MSG, t->agent_replies > 0 && t->wait_count == 0 && t->reopen_count == 0);
		bool closed = t->closed_at != REC_TIME_NONE || t->state_canon == TICKET_STATE_CLOSED;
		if (closed)
			rate(&tg, R_FCR_ZOHO, t->agent_replies == 1);
		if (t->reassignment_count >= 0 && t->reopen_count >= 0) {
			bool reopened_soon = t->reopen_count > 0;
			if (reopened_soon && t->reopened_at && t->first_resolved_at)
				reopened_soon = t->reopened_at - t->first_resolved_at <= g->fcr_window;
			bool fcr = t->agent_replies <= 1 && t->reassignment_count == 0 && t->group_escalations <= 0 &&
			           !reopened_soon;
			rate(&tg, R_FCR_CANON, fcr);
			if (!in_not_l1(o, t->category))
				rate(&tg, R_FCR_NET, false); /* denominator only; numerator added below */
			for (int i = 0; fcr && i < tg.n; i++)
				tg.a[i]->num[R_FCR_NET]++;
		}
	}
	if (t->customer_interactions >= 0)
		rate(&tg, R_FCR_FRESH, t->customer_interactions == 0);
	if (o->cal && t->resolved_at != REC_TIME_NONE && t->opened_at != REC_TIME_NONE &&
	    t->resolved_at >= t->opened_at) {
		double bh;
		if (business_hours(g, t->opened_at, t->resolved_at, &bh))
			rate(&tg, R_FCR_1BH, bh <= 1.0);
	}
	if (t->fcr_flag != REC_UNKNOWN)
		rate(&tg, R_FCR_SOURCE, t->fcr_flag == 1);
	if (!isnan(t->csat))
		rate(&tg, R_CSAT, t->csat >= 4);
	if (!isnan(t->nps))
		for (int i = 0; i < tg.n; i++) {
			tg.a[i]->nps_n++;
			tg.a[i]->nps_pro += t->nps >= 9;
			tg.a[i]->nps_det += t->nps <= 6;
		}
}

static struct kpi_rate mkrate(const struct acc *a, int r)
{
	struct kpi_rate x = {a->num[r], a->den[r], NAN};
	if (x.den)
		x.value = (double)x.num / (double)x.den;
	return x;
}

static void finish(struct acc *a, enum kpi_sla_variant sv, struct kpi_set *s)
{
	memset(s, 0, sizeof(*s));
	s->tickets = a->tickets;
	s->solved = a->solved;
	s->backlog = a->backlog;
	s->reopen_rate = mkrate(a, R_REOPEN);
	s->sla_source = mkrate(a, R_SLA_SRC);
	s->sla_target = mkrate(a, R_SLA_TGT);
	s->sla_compliance = sv == KPI_SLA_TARGET ? s->sla_target : s->sla_source;
	s->reassigned_share = mkrate(a, R_REASSIGNED);
	s->reassignments_mean = a->reassign_n ? (double)a->reassign_sum / (double)a->reassign_n : NAN;
	s->resolution_hours = kpi_dist_of(a->v[V_RES].v, a->v[V_RES].n);
	s->resolution_business_hours = kpi_dist_of(a->v[V_RES_BH].v, a->v[V_RES_BH].n);
	s->resolution_business_hours_net = kpi_dist_of(a->v[V_RES_BH_NET].v, a->v[V_RES_BH_NET].n);
	s->first_response_hours = kpi_dist_of(a->v[V_FRT].v, a->v[V_FRT].n);
	s->first_response_business_hours = kpi_dist_of(a->v[V_FRT_BH].v, a->v[V_FRT_BH].n);
	s->handle_minutes = kpi_dist_of(a->v[V_HANDLE].v, a->v[V_HANDLE].n);
	s->fcr_one_touch = mkrate(a, R_FCR_ONE_TOUCH);
	s->fcr_one_touch_messaging = mkrate(a, R_FCR_MSG);
	s->fcr_freshservice = mkrate(a, R_FCR_FRESH);
	s->fcr_zoho = mkrate(a, R_FCR_ZOHO);
	s->fcr_one_business_hour = mkrate(a, R_FCR_1BH);
	s->fcr_canonical = mkrate(a, R_FCR_CANON);
	s->fcr_net = mkrate(a, R_FCR_NET);
	s->fcr_source = mkrate(a, R_FCR_SOURCE);
	s->csat = mkrate(a, R_CSAT);
	s->nps = (struct kpi_nps){a->nps_n, a->nps_pro, a->nps_det, NAN};
	if (a->nps_n)
		s->nps.value = 100.0 * ((double)a->nps_pro - (double)a->nps_det) / (double)a->nps_n;
	for (int v = 0; v < _V_MAX; v++)
		xfree(a->v[v].v);
}

static int cmp_group(const void *a, const void *b)
{
	const struct kpi_group *x = a, *y = b;
	if (x->period_start != y->period_start)
		return x->period_start < y->period_start ? -1 : 1;
	if (!x->value || !y->value)
		return !x->value ? (y->value ? -1 : 0) : 1;
	return strcmp(x->value, y->value);
}

int kpi_compute(const struct rec_ticket *tickets, size_t n, const struct kpi_options *o, struct kpi_result *ret,
                struct lserr *e)
{
	if ((int)o->group_by < 0 || o->group_by >= _KPI_DIM_MAX)
		return lserr_set(e, -EINVAL, "invalid_field", "group_by", "unknown dimension");
	if ((int)o->period < 0 || o->period >= _KPI_PERIOD_MAX)
		return lserr_set(e, -EINVAL, "invalid_field", "period", "unknown period");
	if (o->period == KPI_PERIOD_RANGE && !(o->from < o->to))
		return lserr_set(e, -EINVAL, "invalid_field", "to", "a custom range needs from < to");

	struct engine g = {.o = o, .null_group = UINT32_MAX};
	g.bucketed = o->group_by != KPI_DIM_NONE || o->period != KPI_PERIOD_NONE;
	g.fcr_window = (int64_t)(o->fcr_reopen_days > 0 ? o->fcr_reopen_days : 7) * 86400;
	if (o->group_by == KPI_DIM_NONE) {
		g.opened = xcalloc(1, sizeof(*g.opened));
		g.solved = xcalloc(1, sizeof(*g.solved));
	}
	enum kpi_sla_variant sv = kpi_sla_variant_of(tickets, n);
	for (size_t i = 0; i < n; i++)
		one_ticket(&g, &tickets[i]);

	struct kpi_result r = {.group_by = o->group_by, .period = o->period, .sla_variant = sv};
	size_t n_groups_alloc = o->group_by == KPI_DIM_NONE ? 1 : g.n_gval;
	/* a custom range has one end, counted once; periods have one end each */
	bool sorted = o->period != KPI_PERIOD_NONE && o->period != KPI_PERIOD_RANGE;
	for (size_t k = 0; sorted && k < n_groups_alloc; k++) {
		tvec_sort(&g.opened[k]);
		tvec_sort(&g.solved[k]);
	}
	if (o->period != KPI_PERIOD_NONE) {
		/* total backlog: at the range end, or at the end of the last period */
		ls_time end = o->period == KPI_PERIOD_RANGE ? o->to : INT64_MAX;
		for (size_t k = 0; k < n_groups_alloc; k++)
			g.total.backlog += below(&g.opened[k], end, sorted) - below(&g.solved[k], end, sorted);
	}
	if (g.bucketed) {
		r.groups = xcalloc(g.n_accs ? g.n_accs : 1, sizeof(*r.groups));
		r.n_groups = g.n_accs;
		for (size_t i = 0; i < g.n_accs; i++) {
			struct acc *a = &g.accs[i];
			struct kpi_group *kg = &r.groups[i];
			kg->value = o->group_by != KPI_DIM_NONE ? g.gval[a->group] : NULL;
			kpi_period_bounds(o, a->pkey, &kg->period_start, &kg->period_end, kg->period,
			                  sizeof(kg->period));
			if (o->period != KPI_PERIOD_NONE) {
				uint32_t k = o->group_by != KPI_DIM_NONE ? a->group : 0;
				a->backlog = below(&g.opened[k], kg->period_end, sorted) -
				             below(&g.solved[k], kg->period_end, sorted);
			}
			finish(a, sv, &kg->set);
		}
		qsort(r.groups, r.n_groups, sizeof(*r.groups), cmp_group);
	}
	finish(&g.total, sv, &r.total);
	r.skipped_negative = g.skipped_negative;
	r.skipped_calendar = g.skipped_calendar;

	for (size_t k = 0; k < n_groups_alloc; k++) {
		xfree(g.opened[k].v);
		xfree(g.solved[k].v);
	}
	xfree(g.opened);
	xfree(g.solved);
	xfree(g.accs);
	xfree(g.map);
	xfree(g.gval);
	xfree(g.gmap);
	*ret = r;
	return 0;
}

void kpi_result_release(struct kpi_result *r)
{
	if (!r)
		return;
	xfree(r->groups);
	r->groups = NULL;
	r->n_groups = 0;
	kpi_calls_free(r->calls);
	r->calls = NULL;
}
