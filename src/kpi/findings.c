/* Baseline findings (see findings.h; definitions in docs/kpi.md "Findings"). Room: kpi.
 *
 * Each analysis is one pass (or one sort) over the analysed tickets: strings are
 * interned into small ids by an open-addressing map, groups are counted in arrays
 * indexed by those ids, per-ticket sequences (team changes, repeat incidents) come
 * from sorting index arrays. Medians are kpi_dist_of()'s, so a finding's median is
 * the KPI engine's median. Every finding is built as an item with its evidence (a
 * jansson object) and titles in English and German; at the end the items are sorted
 * by their value and cut to max_per_kind per kind. Nothing is logged; inconsistent
 * input is the only error. */
#include "kpi/findings.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "kpi/kpi_calls.h"
#include "kpi/kpi_json.h"

#define MONTH_SECONDS 2629746.0         /* 30.436875 days: a Gregorian year / 12 */
#define WILSON_Z      1.959963984540054 /* 95 % two-sided */
#define MAX_LISTED    10                /* hours, pairs, examples listed in evidence */
#define MAX_PARETO    20                /* categories listed in a Pareto finding */
#define TITLE_MAX     768               /* bytes of a title: fixed words and at most four clipped names */

static const char *const kind_names[] = {"arrival_peaks",     "sla_hotspot",   "reassignment_pingpong",
                                         "problem_candidate", "pareto_volume", "pareto_effort"};
static const char *const staff_names[] = {"none", "acd_handled_load", "ticket_event_actors"};
static const char *const day_en[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const day_de[] = {"Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"};

const char *findings_kind_to_string(enum findings_kind k)
{
	return (int)k >= 0 && k < _FINDINGS_KIND_MAX ? kind_names[k] : NULL;
}

enum findings_kind findings_kind_from_string(const char *s)
{
	for (int i = 0; s && i < _FINDINGS_KIND_MAX; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return (enum findings_kind)i;
	return _FINDINGS_KIND_INVALID;
}

const char *findings_staffing_to_string(enum findings_staffing s)
{
	return (int)s >= 0 && s < _FINDINGS_STAFF_MAX ? staff_names[s] : NULL;
}

const char *findings_hour_label(int how, bool german, char *buf, size_t n)
{
	if (how < 0 || how >= FINDINGS_HOURS_OF_WEEK)
		how = 0;
	snprintf(buf, n, "%s %02d:00", (german ? day_de : day_en)[how / 24], how % 24);
	return buf;
}

/* ---- small tools ---- */

/* Interns strings (which must outlive the map) into dense ids 0, 1, 2, ... */
struct smap {
	const char **keys;
	uint32_t n, cap;
	uint32_t *slots; /* id + 1; 0 = empty */
	size_t nslots;   /* power of two */
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static uint32_t smap_id(struct smap *m, const char *s)
{
	if ((size_t)m->n * 2 >= m->nslots) {
		size_t ns = m->nslots ? m->nslots * 2 : 64;
		uint32_t *sl = xcalloc(ns, sizeof(*sl));
		for (uint32_t i = 0; i < m->n; i++) {
			size_t j = hash_str(m->keys[i]) & (ns - 1);
			while (sl[j])
				j = (j + 1) & (ns - 1);
			sl[j] = i + 1;
		}
		xfree(m->slots);
		m->slots = sl;
		m->nslots = ns;
	}
	size_t j = hash_str(s) & (m->nslots - 1);
	while (m->slots[j]) {
		if (strcmp(m->keys[m->slots[j] - 1], s) == 0)
			return m->slots[j] - 1;
		j = (j + 1) & (m->nslots - 1);
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->keys = xrealloc(m->keys, m->cap * sizeof(*m->keys));
	}
	m->keys[m->n] = s;
	m->slots[j] = m->n + 1;
	return m->n++;
}

static void smap_free(struct smap *m)
{
	xfree(m->keys);
	xfree(m->slots);
	*m = (struct smap){0};
}

struct dvec {
	double *v;
	size_t n, cap;
};

static void dpush(struct dvec *d, double x)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	d->v[d->n++] = x;
}

/* The median of d (reorders it); NaN when empty. */
static double median(struct dvec *d)
{
	return kpi_dist_of(d->v, d->n).median;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static json_t *num(double x)
{
	return isnan(x) || isinf(x) ? json_null() : json_real(x);
}

static json_t *text(const char *s)
{
	return kpi_json_text(s);
}

/* Formatted pieces of titles, alive until the end of the full expression. */
struct piece {
	char s[72];
};

/* A foreign name cut to fit (at a UTF-8 boundary, "…" appended). */
static struct piece clip(const char *s)
{
	struct piece p;
	size_t n = strlen(s);
	if (n < sizeof(p.s)) {
		memcpy(p.s, s, n + 1);
		return p;
	}
	size_t k = sizeof(p.s) - 4;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	memcpy(p.s, s, k);
	memcpy(p.s + k, "\xe2\x80\xa6", 4);
	return p;
}

/* 12,345 (English) or 12.345 (German). */
static struct piece count_fmt(uint64_t v, bool de)
{
	char raw[32];
	struct piece p;
	int n = snprintf(raw, sizeof(raw), "%llu", (unsigned long long)v);
	size_t k = 0;
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			p.s[k++] = de ? '.' : ',';
		p.s[k++] = raw[i];
	}
	p.s[k] = '\0';
	return p;
}

/* x with d decimals, a decimal comma in German. */
static struct piece dec_fmt(double x, int d, bool de)
{
	struct piece p;
	snprintf(p.s, sizeof(p.s), "%.*f", d, x);
	if (de)
		for (char *c = p.s; *c; c++)
			if (*c == '.')
				*c = ',';
	return p;
}

/* A fraction as a percentage: "62 %", below 10 % with one decimal. */
static struct piece pct_fmt(double f, bool de)
{
	struct piece p = dec_fmt(100.0 * f, 100.0 * f < 10.0 ? 1 : 0, de);
	size_t n = strlen(p.s);
	snprintf(p.s + n, sizeof(p.s) - n, " %%");
	return p;
}

/* Local calendar date of t, YYYY-MM-DD. */
static struct piece date_fmt(const struct tz *tz, ls_time t)
{
	struct piece p;
	int64_t local = t + (tz ? tz_offset_at(tz, t) : 0);
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t y;
	unsigned m, d;
	time_civil_from_days(days, &y, &m, &d);
	snprintf(p.s, sizeof(p.s), "%04lld-%02u-%02u", (long long)y, m, d);
	return p;
}

static int hour_of_week(const struct tz *tz, ls_time t)
{
	int64_t local = t + (tz ? tz_offset_at(tz, t) : 0);
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t sec = local - days * 86400;
	int wd = (int)(((days + 3) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
	return wd * 24 + (int)(sec / 3600);
}

/* ---- the run ---- */

struct run {
	const struct findings_input *in;
	struct findings_options o; /* defaults filled in */
	struct findings_result *r;
	bool *scope; /* per ticket: analysed */
	double *res; /* per ticket: resolution hours, NaN unknown */
	struct arena arena;
	size_t cap_items;
};

static const char *ticket_name(const struct rec_ticket *t)
{
	return t->number ? t->number : t->source_id ? t->source_id : "";
}

static void add_item(struct run *u, enum findings_kind kind, double value, json_t *evidence, const char *title,
                     const char *title_de, const char *assumption)
{
	struct findings_result *r = u->r;
	if (r->n_items == u->cap_items) {
		u->cap_items = u->cap_items ? u->cap_items * 2 : 16;
		r->items = xrealloc(r->items, u->cap_items * sizeof(*r->items));
	}
	json_object_set_new(evidence, "value_assumption", json_string(assumption));
	r->items[r->n_items++] = (struct findings_item){
	        .kind = kind,
	        .title = xstrdup(title),
	        .title_de = xstrdup(title_de),
	        .value_hours_per_month = value < 0 ? 0 : value, /* NaN stays NaN */
	        .evidence = evidence,
	};
}

/* Median resolution hours of the analysed tickets for which pick() holds and of the
 * others (both NaN without resolved tickets). */
static void split_medians(struct run *u, const bool *pick, double *ret_in, double *ret_out)
{
	struct dvec a = {0}, b = {0};
	for (size_t i = 0; i < u->in->n_tickets; i++)
		if (u->scope[i] && !isnan(u->res[i]))
			dpush(pick[i] ? &a : &b, u->res[i]);
	*ret_in = median(&a);
	*ret_out = median(&b);
	xfree(a.v);
	xfree(b.v);
}

/* ---- 1. arrivals by hour of week against staffing ---- */

struct peak {
	int how;
	double ratio; /* INFINITY: arrivals and no staff */
};

static int cmp_peak(const void *a, const void *b)
{
	const struct peak *x = a, *y = b;
	if (x->ratio != y->ratio)
		return x->ratio > y->ratio ? -1 : 1;
	return x->how - y->how;
}

static void staffing_from_actors(struct run *u, struct findings_profile *p)
{
	const struct findings_input *in = u->in;
	struct smap actors = {0};
	uint64_t *keys = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < in->n_events; i++) {
		const struct findings_event *ev = &in->events[i];
		if (!ev->actor || ev->at < u->r->from || ev->at >= u->r->to || ev->at < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			keys = xrealloc(keys, cap * sizeof(*keys));
		}
		keys[n++] = ((uint64_t)(ev->at / 3600) << 32) | smap_id(&actors, ev->actor);
	}
	if (n) {
		qsort(keys, n, sizeof(*keys), cmp_u64);
		p->staffing = FINDINGS_STAFF_ACTORS;
	}
	for (size_t i = 0; i < n; i++)
		if (i == 0 || keys[i] != keys[i - 1])
			p->agent_hours[hour_of_week(u->o.tz, (ls_time)(keys[i] >> 32) * 3600)] += 1;
	xfree(keys);
	smap_free(&actors);
}

/* ACD: offered calls and busy agent-hours by the interval's start; also the sums the
 * value needs, per flagged / other hour after flagging. */
static bool staffing_from_acd(struct run *u, struct findings_profile *p, double *answered, double *abandoned,
                              double *handle_s)
{
	bool any = false;
	for (size_t i = 0; i < u->in->n_intervals; i++) {
		const struct rec_interval *iv = &u->in->intervals[i];
		if (iv->start < u->r->from || iv->start >= u->r->to)
			continue;
		int h = hour_of_week(u->o.tz, iv->start);
		any = true;
		p->calls[h] += (uint64_t)iv->offered;
		answered[h] += (double)iv->answered;
		abandoned[h] += (double)iv->abandoned;
		double hs = kpi_calls_handle_seconds(iv);
		if (!isnan(hs)) {
			p->agent_hours[h] += hs / 3600.0;
			handle_s[h] += hs;
		}
	}
	if (any)
		p->staffing = FINDINGS_STAFF_ACD;
	return any;
}

static void arrival_peaks(struct run *u)
{
	struct findings_profile *p = &u->r->profile;
	const struct findings_input *in = u->in;
	for (size_t i = 0; i < in->n_tickets; i++)
		if (u->scope[i] && in->tickets[i].opened_at != REC_TIME_NONE)
			p->tickets[hour_of_week(u->o.tz, in->tickets[i].opened_at)]++;
	p->median_ratio = NAN;
	if (u->r->from >= u->r->to)
		return;
	double answered[FINDINGS_HOURS_OF_WEEK] = {0}, abandoned[FINDINGS_HOURS_OF_WEEK] = {0},
	       handle_s[FINDINGS_HOURS_OF_WEEK] = {0};
	if (!staffing_from_acd(u, p, answered, abandoned, handle_s))
		staffing_from_actors(u, p);
	bool acd = p->staffing == FINDINGS_STAFF_ACD;

	struct dvec ratios = {0};
	for (int h = 0; h < FINDINGS_HOURS_OF_WEEK; h++) {
		p->arrivals[h] = acd ? (double)p->calls[h] : (double)p->tickets[h];
		if (p->staffing == FINDINGS_STAFF_NONE)
			p->ratio[h] = p->arrivals[h];
		else
			p->ratio[h] = p->agent_hours[h] > 0 ? p->arrivals[h] / p->agent_hours[h] : NAN;
		if (p->arrivals[h] > 0 && !isnan(p->ratio[h]))
			dpush(&ratios, p->ratio[h]);
	}
	p->median_ratio = median(&ratios);
	xfree(ratios.v);

	struct peak peaks[FINDINGS_HOURS_OF_WEEK];
	size_t np = 0;
	for (int h = 0; h < FINDINGS_HOURS_OF_WEEK; h++) {
		if (p->arrivals[h] < (double)u->o.min_support)
			continue;
		bool unstaffed = p->staffing != FINDINGS_STAFF_NONE && !(p->agent_hours[h] > 0);
		if (unstaffed || (!isnan(p->median_ratio) && p->ratio[h] >= u->o.peak_factor * p->median_ratio)) {
			p->flagged[h] = true;
			peaks[np++] = (struct peak){h, unstaffed ? INFINITY : p->ratio[h]};
		}
	}
	if (!np)
		return;
	qsort(peaks, np, sizeof(*peaks), cmp_peak);

	/* what the peaks cost */
	double value = NAN, med_in = NAN, med_out = NAN, excess = NAN, aht_h = NAN;
	uint64_t in_peak = 0;
	const char *assumption;
	if (acd) {
		double off_in = 0, ab_in = 0, off_out = 0, ab_out = 0, ans = 0, hs = 0;
		for (int h = 0; h < FINDINGS_HOURS_OF_WEEK; h++) {
			if (p->flagged[h]) {
				off_in += (double)p->calls[h];
				ab_in += abandoned[h];
			} else {
				off_out += (double)p->calls[h];
				ab_out += abandoned[h];
			}
			ans += answered[h];
			hs += handle_s[h];
		}
		in_peak = (uint64_t)off_in;
		aht_h = ans > 0 && hs > 0 ? hs / ans / 3600.0 : NAN;
		if (off_out > 0)
			excess = ab_in - off_in * (ab_out / off_out);
		value = excess * aht_h / u->r->months;
		assumption = "the calls abandoned in the peak hours beyond the other hours' abandonment rate would be "
		             "answered, each worth the average handle time";
	} else {
		bool *pick = xcalloc(in->n_tickets ? in->n_tickets : 1, sizeof(*pick));
		for (size_t i = 0; i < in->n_tickets; i++) {
			const struct rec_ticket *t = &in->tickets[i];
			if (u->scope[i] && t->opened_at != REC_TIME_NONE &&
			    p->flagged[hour_of_week(u->o.tz, t->opened_at)]) {
				pick[i] = true;
				in_peak++;
			}
		}
		split_medians(u, pick, &med_in, &med_out);
		xfree(pick);
		value = (med_in - med_out) * (double)in_peak / u->r->months;
		assumption = "tickets opened in the peak hours would be resolved in the median resolution time of the "
		             "tickets opened in the other hours";
	}

	json_t *ev = json_object();
	json_object_set_new(ev, "staffing_source", json_string(findings_staffing_to_string(p->staffing)));
	json_object_set_new(ev, "arrivals", json_string(acd ? "calls_offered" : "tickets_opened"));
	json_object_set_new(ev, "median_ratio", num(p->median_ratio));
	json_object_set_new(ev, "peak_factor", json_real(u->o.peak_factor));
	json_object_set_new(ev, "min_arrivals", json_integer(u->o.min_support));
	json_object_set_new(ev, "peak_hours", json_integer((json_int_t)np));
	json_t *hours = json_array();
	for (size_t i = 0; i < np && i < MAX_LISTED * 2; i++) {
		int h = peaks[i].how;
		char lb[16];
		json_t *o = json_object();
		json_object_set_new(o, "hour", json_string(findings_hour_label(h, false, lb, sizeof(lb))));
		json_object_set_new(o, "hour_of_week", json_integer(h));
		json_object_set_new(o, "arrivals", json_real(p->arrivals[h]));
		json_object_set_new(o, "agent_hours",
		                    p->staffing == FINDINGS_STAFF_NONE ? json_null() : json_real(p->agent_hours[h]));
		json_object_set_new(o, "ratio", num(p->ratio[h]));
		json_object_set_new(o, "times_median", num(p->ratio[h] / p->median_ratio));
		json_array_append_new(hours, o);
	}
	json_object_set_new(ev, "hours", hours);
	json_object_set_new(ev, acd ? "calls_in_peak_hours" : "tickets_in_peak_hours",
	                    json_integer((json_int_t)in_peak));
	if (acd) {
		json_object_set_new(ev, "excess_abandoned_calls", num(excess));
		json_object_set_new(ev, "aht_hours", num(aht_h));
	} else {
		json_object_set_new(ev, "median_resolution_hours_peak", num(med_in));
		json_object_set_new(ev, "median_resolution_hours_other", num(med_out));
	}

	char en[TITLE_MAX], de[TITLE_MAX], lb_en[16], lb_de[16];
	int w = peaks[0].how;
	findings_hour_label(w, false, lb_en, sizeof(lb_en));
	findings_hour_label(w, true, lb_de, sizeof(lb_de));
	double times = peaks[0].ratio / p->median_ratio;
	const char *hours_en = np == 1 ? "hour" : "hours", *hours_de = np == 1 ? "Wochenstunde" : "Wochenstunden";
	if (p->staffing == FINDINGS_STAFF_NONE) {
		snprintf(en, sizeof(en),
		         "Arrival peaks: %zu %s of the week with %s times the median arrivals or more (no staffing "
		         "data), worst %s with %s times",
		         np, hours_en, dec_fmt(u->o.peak_factor, 1, false).s, lb_en, dec_fmt(times, 1, false).s);
		snprintf(de, sizeof(de),
		         "Ankunftsspitzen: %zu %s mit mindestens dem %s-fachen der mittleren Ankünfte (keine "
		         "Besetzungsdaten), am stärksten %s mit dem %s-fachen",
		         np, hours_de, dec_fmt(u->o.peak_factor, 1, true).s, lb_de, dec_fmt(times, 1, true).s);
	} else if (isinf(peaks[0].ratio)) {
		snprintf(en, sizeof(en),
		         "Arrival peaks without staff: %zu %s of the week, worst %s with %s %s and no agent active", np,
		         hours_en, lb_en, dec_fmt(p->arrivals[w], 0, false).s, acd ? "calls" : "tickets");
		snprintf(de, sizeof(de),
		         "Ankunftsspitzen ohne Besetzung: %zu %s, am stärksten %s mit %s %s und keinem aktiven "
		         "Agenten",
		         np, hours_de, lb_de, dec_fmt(p->arrivals[w], 0, true).s, acd ? "Anrufen" : "Tickets");
	} else {
		snprintf(en, sizeof(en),
		         "Arrival peaks without matching staff: %zu %s of the week, worst %s with %s times the median "
		         "%s per agent-hour",
		         np, hours_en, lb_en, dec_fmt(times, 1, false).s, acd ? "calls" : "tickets");
		snprintf(de, sizeof(de),
		         "Ankunftsspitzen ohne passende Besetzung: %zu %s, am stärksten %s mit dem %s-fachen "
		         "der mittleren %s je Agentenstunde",
		         np, hours_de, lb_de, dec_fmt(times, 1, true).s, acd ? "Anrufe" : "Tickets");
	}
	add_item(u, FINDINGS_ARRIVAL_PEAKS, value, ev, en, de, assumption);
}

/* ---- 2. SLA hot spots ---- */

enum { D_TEAM, D_CATEGORY, D_PRIORITY, D_HOUR, _D_MAX };
static const char *const dim_en[] = {"team", "category", "priority", "hour"};
static const char *const dim_de[] = {"Team", "Kategorie", "Priorität", "Stunde"};
static const char *const dim_key[] = {"team", "category", "priority", "hour_of_week"};

struct tally {
	uint64_t n, k; /* counted, breached */
};

static void sla_hotspots(struct run *u)
{
	const struct findings_input *in = u->in;
	enum kpi_sla_variant v = u->r->sla_variant;
	if (v == KPI_SLA_NONE)
		return;
	static const char *const prio[] = {"1", "2", "3", "4", "5"};
	char labels[FINDINGS_HOURS_OF_WEEK][16];
	for (int h = 0; h < FINDINGS_HOURS_OF_WEEK; h++)
		findings_hour_label(h, false, labels[h], sizeof(labels[h]));
	struct smap maps[_D_MAX] = {0};
	struct tally *tl[_D_MAX] = {0};
	size_t tcap[_D_MAX] = {0};
	struct tally all = {0};
	struct dvec met = {0}, breached = {0};
	for (size_t i = 0; i < in->n_tickets; i++) {
		const struct rec_ticket *t = &in->tickets[i];
		int out = u->scope[i] ? kpi_sla_outcome(t, v, u->o.as_of) : -1;
		if (out < 0)
			continue;
		all.n++;
		all.k += out == 0;
		if (!isnan(u->res[i]))
			dpush(out ? &met : &breached, u->res[i]);
		const char *key[_D_MAX] = {
		        t->team,
		        t->category,
		        t->priority >= 1 && t->priority <= 5 ? prio[t->priority - 1] : NULL,
		        t->opened_at != REC_TIME_NONE ? labels[hour_of_week(u->o.tz, t->opened_at)] : NULL,
		};
		for (int d = 0; d < _D_MAX; d++) {
			if (!key[d])
				continue;
			uint32_t id = smap_id(&maps[d], key[d]);
			if (id >= tcap[d]) {
				size_t nc = tcap[d] ? tcap[d] * 2 : 64;
				tl[d] = xrealloc(tl[d], nc * sizeof(*tl[d]));
				memset(tl[d] + tcap[d], 0, (nc - tcap[d]) * sizeof(*tl[d]));
				tcap[d] = nc;
			}
			tl[d][id].n++;
			tl[d][id].k += out == 0;
		}
	}
	double med_breached = median(&breached), med_met = median(&met);
	xfree(met.v);
	xfree(breached.v);
	double p0 = all.n ? (double)all.k / (double)all.n : NAN;
	double per_breach = med_breached - med_met;
	if (per_breach < 0)
		per_breach = 0;
	for (int d = 0; all.n && p0 > 0 && p0 < 1 && d < _D_MAX; d++) {
		for (uint32_t id = 0; id < maps[d].n; id++) {
			struct tally g = tl[d][id];
			if (g.n < u->o.min_support)
				continue;
			double n = (double)g.n, k = (double)g.k, p = k / n;
			double z = (k - n * p0) / sqrt(n * p0 * (1 - p0));
			if (!(z >= u->o.z_min))
				continue;
			double z2 = WILSON_Z * WILSON_Z;
			double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
			double half = WILSON_Z / (1 + z2 / n) * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
			double excess = k - n * p0;
			double per_month = excess / u->r->months;
			const char *name = maps[d].keys[id];

			json_t *ev = json_object();
			json_object_set_new(ev, "dimension", json_string(dim_key[d]));
			json_object_set_new(ev, "group", text(name));
			json_object_set_new(ev, "tickets", json_integer((json_int_t)g.n));
			json_object_set_new(ev, "breached", json_integer((json_int_t)g.k));
			json_object_set_new(ev, "breach_rate", json_real(p));
			json_object_set_new(ev, "overall_breach_rate", json_real(p0));
			json_object_set_new(ev, "z", json_real(z));
			json_object_set_new(ev, "wilson95", json_pack("[ff]", centre - half, centre + half));
			json_object_set_new(ev, "test",
			                    json_string("one-sided binomial z-score against the overall rate"));
			json_object_set_new(ev, "z_min", json_real(u->o.z_min));
			json_object_set_new(ev, "min_support", json_integer(u->o.min_support));
			json_object_set_new(ev, "excess_breaches", json_real(excess));
			json_object_set_new(ev, "breaches_avoided_per_month", num(per_month));
			json_object_set_new(ev, "hours_per_breach", num(per_breach));
			json_object_set_new(ev, "sla_variant", json_string(kpi_sla_variant_to_string(v)));

			char en[TITLE_MAX], de[TITLE_MAX], de_name[72];
			const char *shown = name;
			if (d == D_HOUR) {
				int h = 0;
				while (h < FINDINGS_HOURS_OF_WEEK - 1 && strcmp(labels[h], name) != 0)
					h++;
				findings_hour_label(h, true, de_name, sizeof(de_name));
				shown = de_name;
			}
			snprintf(en, sizeof(en),
			         "SLA breaches concentrate in %s %s: %s of %s tickets breached vs %s overall",
			         dim_en[d], clip(name).s, pct_fmt(p, false).s, count_fmt(g.n, false).s,
			         pct_fmt(p0, false).s);
			snprintf(de, sizeof(de),
			         "SLA-Verletzungen gehäuft in %s %s: %s von %s Tickets verletzt gegenüber %s insgesamt",
			         dim_de[d], clip(shown).s, pct_fmt(p, true).s, count_fmt(g.n, true).s,
			         pct_fmt(p0, true).s);
			add_item(u, FINDINGS_SLA_HOTSPOT, per_month * per_breach, ev, en, de,
			         "the group's breach rate falls to the overall rate; each breach avoided saves the "
			         "difference of the median resolution hours of breached and met tickets");
		}
	}
	for (int d = 0; d < _D_MAX; d++) {
		smap_free(&maps[d]);
		xfree(tl[d]);
	}
}

/* ---- 3. reassignment ping-pong ---- */

struct team_ev {
	size_t ticket, idx;
	ls_time at;
};

static int cmp_team_ev(const void *a, const void *b)
{
	const struct team_ev *x = a, *y = b;
	if (x->ticket != y->ticket)
		return x->ticket < y->ticket ? -1 : 1;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

struct bounce {
	uint64_t pair; /* lower team id << 32 | higher */
	size_t ticket;
};

static int cmp_bounce(const void *a, const void *b)
{
	const struct bounce *x = a, *y = b;
	if (x->pair != y->pair)
		return x->pair < y->pair ? -1 : 1;
	return x->ticket < y->ticket ? -1 : x->ticket > y->ticket;
}

struct pair_stat {
	uint64_t pair;
	size_t first; /* into the sorted bounces */
	uint64_t bounces, tickets;
};

static int cmp_pair_stat(const void *a, const void *b)
{
	const struct pair_stat *x = a, *y = b;
	if (x->bounces != y->bounces)
		return x->bounces > y->bounces ? -1 : 1;
	if (x->tickets != y->tickets)
		return x->tickets > y->tickets ? -1 : 1;
	return x->pair < y->pair ? -1 : x->pair > y->pair;
}

static void pingpong(struct run *u)
{
	const struct findings_input *in = u->in;
	struct team_ev *te = NULL;
	size_t nte = 0, tecap = 0;
	for (size_t i = 0; i < in->n_events; i++) {
		const struct findings_event *ev = &in->events[i];
		if (!ev->field || strcmp(ev->field, "team") != 0 || !u->scope[ev->ticket])
			continue;
		if (nte == tecap) {
			tecap = tecap ? tecap * 2 : 256;
			te = xrealloc(te, tecap * sizeof(*te));
		}
		te[nte++] = (struct team_ev){ev->ticket, i, ev->at};
	}
	if (!nte) {
		xfree(te);
		return;
	}
	qsort(te, nte, sizeof(*te), cmp_team_ev);
	struct smap teams = {0};
	uint32_t *seq = NULL;
	size_t seqcap = 0;
	struct bounce *bs = NULL;
	size_t nb = 0, bcap = 0;
	bool *pp = xcalloc(in->n_tickets, sizeof(*pp));
	uint64_t with_history = 0, pp_tickets = 0, max_bounces = 0;
	for (size_t i = 0; i < nte;) {
		size_t tk = te[i].ticket, n = 0;
		with_history++;
		for (size_t j = i; j < nte && te[j].ticket == tk; j++) {
			const struct findings_event *ev = &in->events[te[j].idx];
			const char *vals[2] = {j == i ? ev->old_value : NULL, ev->new_value};
			for (int k = 0; k < 2; k++) {
				if (!vals[k])
					continue;
				uint32_t id = smap_id(&teams, vals[k]);
				if (n && seq[n - 1] == id)
					continue;
				if (n + 1 > seqcap) {
					seqcap = seqcap ? seqcap * 2 : 16;
					seq = xrealloc(seq, seqcap * sizeof(*seq));
				}
				seq[n++] = id;
			}
		}
		uint64_t b = 0;
		for (size_t k = 2; k < n; k++) {
			if (seq[k] != seq[k - 2])
				continue;
			uint32_t lo = seq[k] < seq[k - 1] ? seq[k] : seq[k - 1];
			uint32_t hi = seq[k] < seq[k - 1] ? seq[k - 1] : seq[k];
			if (nb == bcap) {
				bcap = bcap ? bcap * 2 : 256;
				bs = xrealloc(bs, bcap * sizeof(*bs));
			}
			bs[nb++] = (struct bounce){((uint64_t)lo << 32) | hi, tk};
			b++;
		}
		if (b) {
			pp[tk] = true;
			pp_tickets++;
			if (b > max_bounces)
				max_bounces = b;
		}
		while (i < nte && te[i].ticket == tk)
			i++;
	}
	xfree(te);
	xfree(seq);
	if (!pp_tickets) {
		xfree(pp);
		xfree(bs);
		smap_free(&teams);
		return;
	}
	double med_pp, med_other;
	split_medians(u, pp, &med_pp, &med_other);

	qsort(bs, nb, sizeof(*bs), cmp_bounce);
	struct pair_stat *ps = NULL;
	size_t nps = 0;
	for (size_t i = 0; i < nb; i++) {
		if (i == 0 || bs[i].pair != bs[i - 1].pair) {
			ps = xrealloc(ps, (nps + 1) * sizeof(*ps));
			ps[nps++] = (struct pair_stat){bs[i].pair, i, 0, 0};
		}
		struct pair_stat *s = &ps[nps - 1];
		s->bounces++;
		if (i == s->first || bs[i].ticket != bs[i - 1].ticket)
			s->tickets++;
	}
	qsort(ps, nps, sizeof(*ps), cmp_pair_stat);

	json_t *ev = json_object();
	json_object_set_new(ev, "definition",
	                    json_string("a bounce is a hand-back X -> Y -> X in the ticket's sequence of teams "
	                                "(repeats and unassigned steps removed)"));
	json_object_set_new(ev, "tickets_with_team_history", json_integer((json_int_t)with_history));
	json_object_set_new(ev, "pingpong_tickets", json_integer((json_int_t)pp_tickets));
	json_object_set_new(ev, "share", json_real((double)pp_tickets / (double)with_history));
	json_object_set_new(ev, "bounces", json_integer((json_int_t)nb));
	json_object_set_new(ev, "bounces_max", json_integer((json_int_t)max_bounces));
	json_object_set_new(ev, "median_resolution_hours_pingpong", num(med_pp));
	json_object_set_new(ev, "median_resolution_hours_other", num(med_other));
	json_object_set_new(ev, "extra_hours_per_ticket", num(med_pp - med_other));
	json_t *pairs = json_array();
	for (size_t i = 0; i < nps && i < MAX_LISTED; i++) {
		const struct pair_stat *s = &ps[i];
		struct dvec d = {0};
		json_t *ex = json_array();
		for (size_t j = s->first; j < nb && bs[j].pair == s->pair; j++) {
			if (j > s->first && bs[j].ticket == bs[j - 1].ticket)
				continue;
			if (!isnan(u->res[bs[j].ticket]))
				dpush(&d, u->res[bs[j].ticket]);
			if (json_array_size(ex) < 3)
				json_array_append_new(ex, text(ticket_name(&in->tickets[bs[j].ticket])));
		}
		double m = median(&d);
		xfree(d.v);
		json_t *o = json_object();
		json_object_set_new(
		        o, "teams",
		        json_pack("[oo]", text(teams.keys[s->pair >> 32]), text(teams.keys[s->pair & 0xffffffffu])));
		json_object_set_new(o, "tickets", json_integer((json_int_t)s->tickets));
		json_object_set_new(o, "bounces", json_integer((json_int_t)s->bounces));
		json_object_set_new(o, "median_resolution_hours", num(m));
		json_object_set_new(o, "extra_hours_per_ticket", num(m - med_other));
		json_object_set_new(o, "examples", ex);
		json_array_append_new(pairs, o);
	}
	json_object_set_new(ev, "pairs", pairs);

	char en[TITLE_MAX], de[TITLE_MAX];
	const char *a = teams.keys[ps[0].pair >> 32], *b = teams.keys[ps[0].pair & 0xffffffffu];
	double extra = med_pp - med_other;
	snprintf(en, sizeof(en),
	         "Reassignment ping-pong: %s tickets handed back between teams (most: %s \xe2\x86\x94 %s), median "
	         "resolution %s h longer",
	         count_fmt(pp_tickets, false).s, clip(a).s, clip(b).s, isnan(extra) ? "?" : dec_fmt(extra, 1, false).s);
	snprintf(de, sizeof(de),
	         "Zuweisungs-Pingpong: %s Tickets zwischen Teams hin- und hergereicht (am häufigsten %s "
	         "\xe2\x86\x94 %s), mediane Lösungszeit %s h länger",
	         count_fmt(pp_tickets, true).s, clip(a).s, clip(b).s, isnan(extra) ? "?" : dec_fmt(extra, 1, true).s);
	add_item(u, FINDINGS_PINGPONG, extra * (double)pp_tickets / u->r->months, ev, en, de,
	         "ping-pong tickets would be resolved in the median resolution time of the other tickets");
	xfree(ps);
	xfree(bs);
	xfree(pp);
	smap_free(&teams);
}

/* ---- 4. repeat incidents → problem candidates ---- */

/* Words that say nothing about a symptom (English and German). */
static const char *const stop_words[] = {
        "and",  "are",  "auf",  "bei",   "can",   "cannot", "das",   "dem",  "den",  "der",    "des",  "die",
        "does", "ein",  "eine", "einem", "einen", "einer",  "for",   "from", "fuer", "für",    "has",  "have",
        "ist",  "kann", "kein", "keine", "mit",   "nach",   "nicht", "not",  "oder", "please", "sich", "sind",
        "the",  "this", "und",  "von",   "was",   "werden", "wird",  "with", "zum",  "zur",
};

static bool is_stop_word(const char *w)
{
	for (size_t i = 0; i < sizeof(stop_words) / sizeof(stop_words[0]); i++)
		if (strcmp(stop_words[i], w) == 0)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The normalised words of a title: lower case, words of three or more letters, no
 * words with digits (numbers, dates, ids), no stop words, each once, sorted, joined
 * by blanks. NULL when nothing is left. */
static const char *title_signature(struct arena *a, const char *title)
{
	if (!title)
		return NULL;
	const char *words[32];
	size_t nw = 0;
	const unsigned char *p = (const unsigned char *)title;
	while (*p && nw < 32) {
		while (*p && !(((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || (*p >= '0' && *p <= '9') || *p >= 0x80))
			p++;
		const unsigned char *s = p;
		bool digit = false;
		while (*p && (((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || (*p >= '0' && *p <= '9') || *p >= 0x80)) {
			digit |= *p >= '0' && *p <= '9';
			p++;
		}
		size_t n = (size_t)(p - s);
		if (n < 3 || digit)
			continue;
		char *w = arena_strndup(a, (const char *)s, n);
		for (char *c = w; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c + 32);
		if (!is_stop_word(w))
			words[nw++] = w;
	}
	if (!nw)
		return NULL;
	qsort(words, nw, sizeof(words[0]), cmp_str);
	size_t len = 0;
	for (size_t i = 0; i < nw; i++)
		len += strlen(words[i]) + 1;
	char *out = arena_alloc(a, len + 1);
	size_t n = 0;
	for (size_t i = 0; i < nw; i++) {
		if (i && strcmp(words[i], words[i - 1]) == 0)
			continue;
		size_t l = strlen(words[i]);
		if (n)
			out[n++] = ' ';
		memcpy(out + n, words[i], l);
		n += l;
	}
	out[n] = '\0';
	return out;
}

enum { K_CI, K_SYMPTOM, K_TITLE };

struct rep {
	uint32_t key;
	ls_time at;
	size_t ticket;
};

static int cmp_rep(const void *a, const void *b)
{
	const struct rep *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->ticket < y->ticket ? -1 : x->ticket > y->ticket;
}

static void problem_candidates(struct run *u)
{
	const struct findings_input *in = u->in;
	struct smap keys = {0};
	uint8_t *key_kind = NULL;
	const char **key_cat = NULL, **key_val = NULL;
	size_t kcap = 0;
	size_t nt = in->n_tickets ? in->n_tickets : 1;
	struct rep *rs = xmalloc(nt * sizeof(*rs));
	size_t nr = 0;
	/* what each incident is matched by, and how common each symptom or title is */
	int8_t *kinds = xmalloc(nt * sizeof(*kinds));
	const char **vals = xmalloc(nt * sizeof(*vals));
	uint32_t *vid = xmalloc(nt * sizeof(*vid));
	struct smap vmap = {0};
	uint64_t *vcount = NULL, incidents_all = 0;
	size_t vcap = 0;
	for (size_t i = 0; i < in->n_tickets; i++) {
		const struct rec_ticket *t = &in->tickets[i];
		kinds[i] = -1;
		if (!u->scope[i] || t->type != TICKET_TYPE_INCIDENT || t->opened_at == REC_TIME_NONE)
			continue;
		incidents_all++;
		if (t->ci) {
			kinds[i] = K_CI;
			vals[i] = t->ci;
		} else if (t->symptom) {
			kinds[i] = K_SYMPTOM;
			vals[i] = t->symptom;
		} else if ((vals[i] = title_signature(&u->arena, t->title))) {
			kinds[i] = K_TITLE;
		} else {
			continue;
		}
		vid[i] = smap_id(&vmap, arena_printf(&u->arena, "%d\x1f%s", kinds[i], vals[i]));
		if (vid[i] >= vcap) {
			size_t nc = vcap ? vcap * 2 : 256;
			vcount = xrealloc(vcount, nc * sizeof(*vcount));
			memset(vcount + vcap, 0, (nc - vcap) * sizeof(*vcount));
			vcap = nc;
		}
		vcount[vid[i]]++;
	}
	uint64_t generic = 0;
	for (size_t i = 0; i < in->n_tickets; i++) {
		const struct rec_ticket *t = &in->tickets[i];
		int kind = kinds[i];
		if (kind < 0)
			continue;
		/* a symptom or title most incidents share is the source's default, not a symptom */
		if (kind != K_CI && (double)vcount[vid[i]] > u->o.generic_share * (double)incidents_all) {
			generic++;
			continue;
		}
		const char *val = vals[i];
		const char *cat = kind == K_CI ? NULL : t->category;
		const char *key = arena_printf(&u->arena, "%d\x1f%s\x1f%s", kind, cat ? cat : "", val);
		uint32_t id = smap_id(&keys, key);
		if (id >= kcap) {
			kcap = kcap ? kcap * 2 : 256;
			key_kind = xrealloc(key_kind, kcap * sizeof(*key_kind));
			key_cat = xrealloc(key_cat, kcap * sizeof(*key_cat));
			key_val = xrealloc(key_val, kcap * sizeof(*key_val));
		}
		key_kind[id] = (uint8_t)kind;
		key_cat[id] = cat;
		key_val[id] = val;
		rs[nr++] = (struct rep){id, t->opened_at, i};
	}
	if (nr)
		qsort(rs, nr, sizeof(*rs), cmp_rep);
	int64_t window = (int64_t)u->o.repeat_window_days * 86400;
	bool any_effort = false;
	for (size_t i = 0; i < in->n_tickets && !any_effort; i++)
		any_effort = u->scope[i] && !isnan(in->tickets[i].effort_minutes);
	for (size_t i = 0; i < nr;) {
		uint32_t key = rs[i].key;
		size_t end = i;
		while (end < nr && rs[end].key == key)
			end++;
		/* clusters: runs whose consecutive openings lie at most the window apart */
		uint64_t incidents = 0, clusters = 0;
		size_t best = 0, best_n = 0;
		ls_time first = 0, last = 0;
		struct dvec hours = {0};
		for (size_t c = i; c < end;) {
			size_t ce = c + 1;
			while (ce < end && rs[ce].at - rs[ce - 1].at <= window)
				ce++;
			size_t n = ce - c;
			if (n >= u->o.repeat_min) {
				clusters++;
				incidents += n;
				if (!first || rs[c].at < first)
					first = rs[c].at;
				if (rs[ce - 1].at > last)
					last = rs[ce - 1].at;
				if (n > best_n) {
					best_n = n;
					best = c;
				}
				for (size_t j = c; j < ce; j++) {
					const struct rec_ticket *t = &in->tickets[rs[j].ticket];
					double h = any_effort ? t->effort_minutes / 60.0 : u->res[rs[j].ticket];
					if (!isnan(h))
						dpush(&hours, h);
				}
			}
			c = ce;
		}
		i = end;
		if (!clusters) {
			xfree(hours.v);
			continue;
		}
		double per_incident = median(&hours);
		xfree(hours.v);
		uint64_t repeats = incidents - clusters;
		int kind = key_kind[key];
		const char *cat = key_cat[key], *val = key_val[key];

		json_t *ev = json_object();
		json_object_set_new(ev, "match",
		                    json_string(kind == K_CI        ? "configuration_item"
		                                : kind == K_SYMPTOM ? "category_symptom"
		                                                    : "category_title_words"));
		if (kind == K_CI)
			json_object_set_new(ev, "configuration_item", text(val));
		else
			json_object_set_new(ev, "category", text(cat));
		if (kind == K_SYMPTOM)
			json_object_set_new(ev, "symptom", text(val));
		if (kind == K_TITLE)
			json_object_set_new(ev, "title_words", text(val));
		json_object_set_new(ev, "incidents", json_integer((json_int_t)incidents));
		json_object_set_new(ev, "clusters", json_integer((json_int_t)clusters));
		json_object_set_new(ev, "repeats", json_integer((json_int_t)repeats));
		json_object_set_new(ev, "window_days", json_integer(u->o.repeat_window_days));
		json_object_set_new(ev, "min_incidents", json_integer(u->o.repeat_min));
		char b1[TZ_RFC3339_MAX], b2[TZ_RFC3339_MAX];
		json_object_set_new(ev, "first",
		                    json_string(u->o.tz ? tz_format_rfc3339(u->o.tz, first, b1, sizeof(b1))
		                                        : time_format_rfc3339(first, b1, sizeof(b1))));
		json_object_set_new(ev, "last",
		                    json_string(u->o.tz ? tz_format_rfc3339(u->o.tz, last, b2, sizeof(b2))
		                                        : time_format_rfc3339(last, b2, sizeof(b2))));
		json_object_set_new(ev, "largest_cluster", json_integer((json_int_t)best_n));
		json_t *ex = json_array();
		for (size_t j = best; j < best + best_n && j < best + 5; j++)
			json_array_append_new(ex, text(ticket_name(&in->tickets[rs[j].ticket])));
		json_object_set_new(ev, "examples", ex);
		json_object_set_new(ev, "hours_basis", json_string(any_effort ? "effort" : "resolution"));
		json_object_set_new(ev, "median_hours_per_incident", num(per_incident));

		char en[TITLE_MAX], de[TITLE_MAX];
		struct piece d1 = date_fmt(u->o.tz, first), d2 = date_fmt(u->o.tz, last);
		struct piece c_en = clip(cat ? cat : "(none)"), c_de = clip(cat ? cat : "(keine)");
		if (kind == K_CI) {
			snprintf(
			        en, sizeof(en),
			        "Problem candidate: %s incidents on configuration item %s in %s %s (gaps of at most %u "
			        "days), %s to %s",
			        count_fmt(incidents, false).s, clip(val).s, count_fmt(clusters, false).s,
			        clusters == 1 ? "burst" : "bursts", u->o.repeat_window_days, d1.s, d2.s);
			snprintf(de, sizeof(de),
			         "Problemkandidat: %s Incidents am Konfigurationselement %s in %s %s (Abstand "
			         "höchstens %u Tage), %s bis %s",
			         count_fmt(incidents, true).s, clip(val).s, count_fmt(clusters, true).s,
			         clusters == 1 ? "Häufung" : "Häufungen", u->o.repeat_window_days, d1.s, d2.s);
		} else if (kind == K_SYMPTOM) {
			snprintf(en, sizeof(en),
			         "Problem candidate: %s incidents with symptom %s in category %s in %s %s (gaps of at "
			         "most %u days), %s to %s",
			         count_fmt(incidents, false).s, clip(val).s, c_en.s, count_fmt(clusters, false).s,
			         clusters == 1 ? "burst" : "bursts", u->o.repeat_window_days, d1.s, d2.s);
			snprintf(de, sizeof(de),
			         "Problemkandidat: %s Incidents mit Symptom %s in Kategorie %s in %s %s (Abstand "
			         "höchstens %u Tage), %s bis %s",
			         count_fmt(incidents, true).s, clip(val).s, c_de.s, count_fmt(clusters, true).s,
			         clusters == 1 ? "Häufung" : "Häufungen", u->o.repeat_window_days, d1.s, d2.s);
		} else {
			snprintf(en, sizeof(en),
			         "Problem candidate: %s incidents titled \"%s\" in category %s in %s %s (gaps of at "
			         "most %u days), %s to %s",
			         count_fmt(incidents, false).s, clip(val).s, c_en.s, count_fmt(clusters, false).s,
			         clusters == 1 ? "burst" : "bursts", u->o.repeat_window_days, d1.s, d2.s);
			snprintf(de, sizeof(de),
			         "Problemkandidat: %s Incidents mit Titel „%s“ in Kategorie %s in %s %s (Abstand "
			         "höchstens %u Tage), %s bis %s",
			         count_fmt(incidents, true).s, clip(val).s, c_de.s, count_fmt(clusters, true).s,
			         clusters == 1 ? "Häufung" : "Häufungen", u->o.repeat_window_days, d1.s, d2.s);
		}
		add_item(u, FINDINGS_PROBLEM_CANDIDATE, (double)repeats / u->r->months * per_incident, ev, en, de,
		         any_effort ? "solving the underlying problem avoids every repeat after the first incident of "
		                      "each burst, each worth the median effort hours of these incidents"
		                    : "solving the underlying problem avoids every repeat after the first incident of "
		                      "each burst, each worth the median resolution hours of these incidents");
	}
	u->r->generic_skipped = generic;
	xfree(kinds);
	xfree(vals);
	xfree(vid);
	xfree(vcount);
	smap_free(&vmap);
	xfree(rs);
	xfree(key_kind);
	xfree(key_cat);
	xfree(key_val);
	smap_free(&keys);
}

/* ---- 5. Pareto of categories ---- */

struct cat_stat {
	const char *name;
	double x; /* tickets or hours */
	uint64_t tickets;
};

static int cmp_cat(const void *a, const void *b)
{
	const struct cat_stat *x = a, *y = b;
	if (x->x != y->x)
		return x->x > y->x ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The smallest prefix of the sorted categories covering share of the total. */
static size_t covering(const struct cat_stat *c, size_t n, double total, double share)
{
	double cum = 0;
	for (size_t i = 0; i < n; i++) {
		cum += c[i].x;
		if (cum >= share * total * (1 - 1e-12))
			return i + 1;
	}
	return n;
}

static void pareto_one(struct run *u, struct cat_stat *c, size_t n, bool effort, const char *basis, uint64_t without,
                       double per_ticket_hours_of_set)
{
	double total = 0;
	size_t nz = 0;
	for (size_t i = 0; i < n; i++) {
		total += c[i].x;
		nz += c[i].x > 0;
	}
	if (nz < 2 || !(total > 0))
		return;
	qsort(c, n, sizeof(*c), cmp_cat);
	size_t k = covering(c, n, total, u->o.pareto_share);
	double cum = 0;
	uint64_t set_tickets = 0;
	json_t *top = json_array();
	for (size_t i = 0; i < k; i++) {
		cum += c[i].x;
		set_tickets += c[i].tickets;
		if (i >= MAX_PARETO)
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "category", text(c[i].name));
		json_object_set_new(o, effort ? "hours" : "tickets",
		                    effort ? json_real(c[i].x) : json_integer((json_int_t)c[i].tickets));
		json_object_set_new(o, "share", json_real(c[i].x / total));
		json_object_set_new(o, "cumulative_share", json_real(cum / total));
		json_array_append_new(top, o);
	}
	json_t *ev = json_object();
	json_object_set_new(ev, "measure", json_string(effort ? basis : "tickets"));
	json_object_set_new(ev, "categories", json_integer((json_int_t)nz));
	json_object_set_new(ev, "covering", json_integer((json_int_t)k));
	json_object_set_new(ev, "target_share", json_real(u->o.pareto_share));
	json_object_set_new(ev, "covered_share", json_real(cum / total));
	json_object_set_new(ev, effort ? "total_hours" : "total_tickets", json_real(total));
	json_object_set_new(ev, "without_category", json_integer((json_int_t)without));
	json_object_set_new(ev, "top", top);
	json_object_set_new(ev, "assumed_reduction", json_real(u->o.pareto_reduction));

	char en[TITLE_MAX], de[TITLE_MAX], names[256];
	size_t ln = 0;
	names[0] = '\0';
	for (size_t i = 0; i < k && i < 3; i++)
		ln += (size_t)snprintf(names + ln, ln < sizeof(names) ? sizeof(names) - ln : 0, "%s%s", i ? ", " : "",
		                       clip(c[i].name).s);
	if (ln >= sizeof(names))
		ln = sizeof(names) - 1;
	const char *more = k > 3 ? ", \xe2\x80\xa6" : "";
	double value;
	const char *assumption;
	if (!effort) {
		snprintf(en, sizeof(en), "Pareto by volume: %zu of %zu categories carry %s of the tickets (%s%s)", k,
		         nz, pct_fmt(cum / total, false).s, names, more);
		snprintf(de, sizeof(de), "Pareto nach Menge: %zu von %zu Kategorien tragen %s der Tickets (%s%s)", k,
		         nz, pct_fmt(cum / total, true).s, names, more);
		value = u->o.pareto_reduction * (double)set_tickets / u->r->months * per_ticket_hours_of_set;
		assumption = "the reduction share of these categories' tickets is avoided (self-service, knowledge "
		             "articles, removed causes), each worth the median hours per ticket of these categories";
		json_object_set_new(ev, "median_hours_per_ticket", num(per_ticket_hours_of_set));
	} else {
		bool eff = strcmp(basis, "effort_hours") == 0;
		snprintf(en, sizeof(en), "Pareto by %s: %zu of %zu categories carry %s of it (%s%s)",
		         eff ? "effort" : "resolution time", k, nz, pct_fmt(cum / total, false).s, names, more);
		snprintf(de, sizeof(de), "Pareto nach %s: %zu von %zu Kategorien tragen %s davon (%s%s)",
		         eff ? "Aufwand" : "Lösungszeit", k, nz, pct_fmt(cum / total, true).s, names, more);
		value = u->o.pareto_reduction * cum / u->r->months;
		assumption = eff ? "the effort of these categories falls by the reduction share"
		                 : "the resolution hours of these categories fall by the reduction share (the data "
		                   "has no effort: elapsed time stands in for it)";
	}
	json_object_set_new(ev, "basis", json_string(basis));
	add_item(u, effort ? FINDINGS_PARETO_EFFORT : FINDINGS_PARETO_VOLUME, value, ev, en, de, assumption);
}

static void pareto(struct run *u)
{
	const struct findings_input *in = u->in;
	bool any_effort = false;
	for (size_t i = 0; i < in->n_tickets && !any_effort; i++)
		any_effort = u->scope[i] && !isnan(in->tickets[i].effort_minutes);
	struct smap cats = {0};
	struct cat_stat *vol = NULL, *eff = NULL;
	struct dvec *hrs = NULL; /* per category: hours per ticket */
	size_t cap = 0;
	uint64_t without = 0;
	for (size_t i = 0; i < in->n_tickets; i++) {
		const struct rec_ticket *t = &in->tickets[i];
		if (!u->scope[i])
			continue;
		if (!t->category) {
			without++;
			continue;
		}
		uint32_t seen = cats.n;
		uint32_t id = smap_id(&cats, t->category);
		if (id >= cap) {
			size_t nc = cap ? cap * 2 : 64;
			vol = xrealloc(vol, nc * sizeof(*vol));
			eff = xrealloc(eff, nc * sizeof(*eff));
			hrs = xrealloc(hrs, nc * sizeof(*hrs));
			cap = nc;
		}
		if (cats.n > seen) { /* first sight */
			vol[id] = eff[id] = (struct cat_stat){t->category, 0, 0};
			hrs[id] = (struct dvec){0};
		}
		vol[id].x += 1;
		vol[id].tickets++;
		double h = any_effort ? t->effort_minutes / 60.0 : u->res[i];
		if (!isnan(h)) {
			eff[id].x += h;
			eff[id].tickets++;
			dpush(&hrs[id], h);
		}
	}
	size_t n = cats.n;
	if (n) {
		/* median hours per ticket over the categories of the volume set */
		struct cat_stat *sorted = xmalloc(n * sizeof(*sorted));
		memcpy(sorted, vol, n * sizeof(*sorted));
		qsort(sorted, n, sizeof(*sorted), cmp_cat);
		double total = 0;
		for (size_t i = 0; i < n; i++)
			total += sorted[i].x;
		size_t k = covering(sorted, n, total, u->o.pareto_share);
		struct dvec all = {0};
		for (size_t i = 0; i < k; i++) {
			uint32_t id = smap_id(&cats, sorted[i].name);
			for (size_t j = 0; j < hrs[id].n; j++)
				dpush(&all, hrs[id].v[j]);
		}
		double per_ticket = median(&all);
		xfree(all.v);
		xfree(sorted);
		const char *basis = any_effort ? "effort_hours" : "resolution_hours";
		pareto_one(u, vol, n, false, basis, without, per_ticket);
		pareto_one(u, eff, n, true, basis, without, NAN);
	}
	for (size_t i = 0; i < n; i++)
		xfree(hrs[i].v);
	xfree(hrs);
	xfree(vol);
	xfree(eff);
	smap_free(&cats);
}

/* ---- driver ---- */

static int cmp_item(const void *a, const void *b)
{
	const struct findings_item *x = a, *y = b;
	bool xn = isnan(x->value_hours_per_month), yn = isnan(y->value_hours_per_month);
	if (xn != yn)
		return xn ? 1 : -1;
	if (!xn && x->value_hours_per_month != y->value_hours_per_month)
		return x->value_hours_per_month > y->value_hours_per_month ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->title, y->title);
}

static void item_release(struct findings_item *it)
{
	xfree(it->title);
	xfree(it->title_de);
	json_decref(it->evidence);
}

int findings_compute(const struct findings_input *in, const struct findings_options *opt, struct findings_result *ret,
                     struct lserr *e)
{
	struct findings_options o = *opt;
	if ((o.from || o.to) && !(o.from < o.to))
		return lserr_set(e, -EINVAL, "invalid_field", "to", "the period needs from < to");
	if (o.z_min < 0 || o.peak_factor < 0 || o.pareto_share < 0 || o.pareto_share > 1 || o.pareto_reduction < 0 ||
	    o.pareto_reduction > 1 || o.generic_share < 0 || o.generic_share > 1)
		return lserr_set(e, -EINVAL, "invalid_field", "options", "thresholds must be positive, shares 0..1");
	for (size_t i = 0; i < in->n_events; i++)
		if (in->events[i].ticket >= in->n_tickets)
			return lserr_set(e, -EINVAL, "invalid_field", "events", "event %zu names ticket %zu of %zu", i,
			                 in->events[i].ticket, in->n_tickets);
	if (!o.min_support)
		o.min_support = 30;
	if (!(o.z_min > 0))
		o.z_min = 3;
	if (!o.repeat_window_days)
		o.repeat_window_days = 7;
	if (!o.repeat_min)
		o.repeat_min = 3;
	if (!(o.peak_factor > 0))
		o.peak_factor = 2;
	if (!(o.pareto_share > 0))
		o.pareto_share = 0.8;
	if (!(o.pareto_reduction > 0))
		o.pareto_reduction = 0.1;
	if (!(o.generic_share > 0))
		o.generic_share = 0.2;
	if (!o.max_per_kind)
		o.max_per_kind = 10;

	struct findings_result r = {.months = NAN, .sla_variant = kpi_sla_variant_of(in->tickets, in->n_tickets)};
	size_t nt = in->n_tickets ? in->n_tickets : 1;
	struct run u = {.in = in, .o = o, .r = &r};
	arena_init(&u.arena);
	u.scope = xcalloc(nt, sizeof(*u.scope));
	u.res = xmalloc(nt * sizeof(*u.res));
	ls_time lo = INT64_MAX, hi = INT64_MIN;
	for (size_t i = 0; i < in->n_tickets; i++) {
		const struct rec_ticket *t = &in->tickets[i];
		u.res[i] = NAN;
		if (o.from ? t->opened_at == REC_TIME_NONE || t->opened_at < o.from || t->opened_at >= o.to : false)
			continue;
		u.scope[i] = true;
		r.tickets++;
		if (t->opened_at != REC_TIME_NONE) {
			lo = t->opened_at < lo ? t->opened_at : lo;
			hi = t->opened_at > hi ? t->opened_at : hi;
			if (t->resolved_at != REC_TIME_NONE && t->resolved_at >= t->opened_at)
				u.res[i] = (double)(t->resolved_at - t->opened_at) / 3600.0;
		}
	}
	if (o.from) {
		r.from = o.from;
		r.to = o.to;
	} else if (lo <= hi) { /* whole clock hours around the openings */
		r.from = lo - ((lo % 3600) + 3600) % 3600;
		r.to = hi - ((hi % 3600) + 3600) % 3600 + 3600;
	}
	if (r.to > r.from) {
		double span = (double)(r.to - r.from);
		r.months = (span < 86400 ? 86400 : span) / MONTH_SECONDS;
	}

	arrival_peaks(&u);
	sla_hotspots(&u);
	pingpong(&u);
	problem_candidates(&u);
	pareto(&u);

	if (r.n_items)
		qsort(r.items, r.n_items, sizeof(*r.items), cmp_item);
	size_t kept[_FINDINGS_KIND_MAX] = {0}, k = 0;
	for (size_t i = 0; i < r.n_items; i++) {
		struct findings_item *it = &r.items[i];
		if (kept[it->kind] >= o.max_per_kind) {
			r.omitted[it->kind]++;
			item_release(it);
			continue;
		}
		kept[it->kind]++;
		r.items[k++] = *it;
	}
	r.n_items = k;

	xfree(u.scope);
	xfree(u.res);
	arena_release(&u.arena);
	*ret = r;
	return 0;
}

void findings_result_release(struct findings_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_items; i++)
		item_release(&r->items[i]);
	xfree(r->items);
	r->items = NULL;
	r->n_items = 0;
}

/* ---- JSON ---- */

static json_t *instant(const struct tz *tz, ls_time t)
{
	char b[TZ_RFC3339_MAX];
	return json_string(tz ? tz_format_rfc3339(tz, t, b, sizeof(b)) : time_format_rfc3339(t, b, sizeof(b)));
}

json_t *findings_json(const struct findings_result *r, const char *client, const struct tz *tz)
{
	json_t *o = json_object();
	json_object_set_new(o, "client", text(client));
	json_t *p = json_object();
	bool dated = r->to > r->from;
	json_object_set_new(p, "from", dated ? instant(tz, r->from) : json_null());
	json_object_set_new(p, "to", dated ? instant(tz, r->to) : json_null());
	json_object_set_new(p, "months", num(r->months));
	json_object_set_new(p, "tz", json_string(tz ? tz_name(tz) : "UTC"));
	json_object_set_new(o, "period", p);
	json_object_set_new(o, "tickets", json_integer((json_int_t)r->tickets));
	json_object_set_new(o, "sla_variant", json_string(kpi_sla_variant_to_string(r->sla_variant)));
	json_t *items = json_array();
	for (size_t i = 0; i < r->n_items; i++) {
		const struct findings_item *it = &r->items[i];
		json_t *f = json_object();
		json_object_set_new(f, "kind", json_string(findings_kind_to_string(it->kind)));
		json_object_set_new(f, "title", text(it->title));
		json_object_set_new(f, "title_de", text(it->title_de));
		json_object_set_new(f, "value_hours_per_month", num(it->value_hours_per_month));
		json_object_set_new(f, "evidence", json_incref(it->evidence));
		json_array_append_new(items, f);
	}
	json_object_set_new(o, "findings", items);
	json_t *om = json_object();
	for (int k = 0; k < _FINDINGS_KIND_MAX; k++)
		if (r->omitted[k])
			json_object_set_new(om, kind_names[k], json_integer((json_int_t)r->omitted[k]));
	json_object_set_new(o, "omitted", om);
	json_object_set_new(o, "incidents_with_generic_symptom", json_integer((json_int_t)r->generic_skipped));

	const struct findings_profile *pf = &r->profile;
	json_t *h = json_object();
	json_object_set_new(h, "staffing_source", json_string(findings_staffing_to_string(pf->staffing)));
	json_object_set_new(h, "median_ratio", num(pf->median_ratio));
	json_t *tk = json_array(), *calls = json_array(), *ah = json_array(), *fl = json_array();
	for (int i = 0; i < FINDINGS_HOURS_OF_WEEK; i++) {
		json_array_append_new(tk, json_integer((json_int_t)pf->tickets[i]));
		json_array_append_new(calls, json_integer((json_int_t)pf->calls[i]));
		json_array_append_new(ah, json_real(pf->agent_hours[i]));
		if (pf->flagged[i])
			json_array_append_new(fl, json_integer(i));
	}
	json_object_set_new(h, "tickets", tk);
	if (pf->staffing == FINDINGS_STAFF_ACD)
		json_object_set_new(h, "calls", calls);
	else
		json_decref(calls);
	if (pf->staffing != FINDINGS_STAFF_NONE)
		json_object_set_new(h, "agent_hours", ah);
	else
		json_decref(ah);
	json_object_set_new(h, "flagged", fl);
	json_object_set_new(o, "hour_of_week", h);
	return o;
}
