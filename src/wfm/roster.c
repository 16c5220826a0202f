/* Rostering and the working-time check (see roster.h). Room: wfm.
 *
 * Per shift the facts the rules need are computed once: its work, the local days it
 * touches, the quarter hours of the week it spans (a bit mask ANDed with an agent's
 * availability) and its break figures. Holidays come from calendar/holidays per
 * place of work, as a table of the plan's days (one day of margin on either side
 * for night shifts), built the first time a region is asked for.
 *
 * The assignment and the check share rule_blocks() for everything that can be decided
 * before a shift is given; the check then adds what only a finished roster shows
 * (daily totals, the final average, weekly totals). Both work in whole seconds, so a
 * limit is met exactly: 11 h of rest pass, 10 h 59 min do not. */
#include "wfm/roster.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "wfm/arbzg.h"

static const struct {
	const char *name, *source;
} rules[_ROSTER_RULE_MAX] = {
        [ROSTER_DAILY_MAX] = {"daily_max", "ArbZG §3"},
        [ROSTER_DAILY_AVERAGE] = {"daily_average", "ArbZG §3"},
        [ROSTER_BREAKS] = {"breaks", "ArbZG §4"},
        [ROSTER_STRETCH] = {"work_without_break", "ArbZG §4"},
        [ROSTER_REST] = {"rest", "ArbZG §5"},
        [ROSTER_SUNDAY] = {"sunday", "ArbZG §9, contract"},
        [ROSTER_HOLIDAY] = {"holiday", "ArbZG §9, contract"},
        [ROSTER_WEEKLY_HOURS] = {"weekly_hours", "contract"},
        [ROSTER_AVAILABILITY] = {"availability", "contract"},
        [ROSTER_SKILL] = {"skill", "roster"},
        [ROSTER_BUSY] = {"busy", "roster"},
};

const char *roster_rule_to_string(enum roster_rule r)
{
	return (int)r >= 0 && r < _ROSTER_RULE_MAX ? rules[r].name : NULL;
}

const char *roster_rule_source(enum roster_rule r)
{
	return (int)r >= 0 && r < _ROSTER_RULE_MAX ? rules[r].source : NULL;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int weekday(int64_t day)
{
	return (int)(((day % 7) + 7 + 3) % 7); /* 0 = Monday; 1970-01-01 was a Thursday */
}

static int32_t week_of(int64_t day)
{
	return (int32_t)floor_div(day + 3, 7);
}

struct sinfo {
	int32_t work;   /* seconds */
	int32_t d0, d1; /* first and last local day the shift touches */
	uint64_t mask[ROSTER_WEEK_WORDS];
	struct arbzg_figures f;
};

struct ctx {
	const struct roster_input *in;
	int32_t lo, n_table; /* holiday tables cover days lo .. lo + n_table - 1 */
	bool *hol[_HOLIDAYS_REGION_MAX];
	struct sinfo *si;
	struct lserr *e;
};

static void ctx_free(struct ctx *c)
{
	for (size_t r = 0; r < _HOLIDAYS_REGION_MAX; r++)
		xfree(c->hol[r]);
	xfree(c->si);
}

static int64_t local_of(const struct tz *tz, ls_time t)
{
	return t + tz_offset_at(tz, t);
}

static int ctx_init(struct ctx *c, const struct roster_input *in, struct lserr *e)
{
	*c = (struct ctx){.in = in, .e = e, .lo = in->first_day - 1, .n_table = in->n_days + 3};
	c->si = xcalloc(in->n_shifts ? in->n_shifts : 1, sizeof(*c->si));
	for (size_t i = 0; i < in->n_shifts; i++) {
		const struct shift *s = &in->shifts[i];
		const struct shift_template *t = &in->templates[s->tpl];
		struct sinfo *x = &c->si[i];
		arbzg_figures(t->length, t->breaks, t->n_breaks, &x->f);
		x->work = x->f.work;
		x->d0 = (int32_t)floor_div(local_of(in->tz, s->start), 86400);
		x->d1 = (int32_t)floor_div(local_of(in->tz, s->end - 1), 86400);
		for (ls_time at = s->start; at < s->end; at += SHIFTS_SLOT) {
			int64_t l = local_of(in->tz, at);
			int64_t d = floor_div(l, 86400);
			unsigned q = (unsigned)(weekday(d) * 96 + (l - d * 86400) / SHIFTS_SLOT);
			x->mask[q / 64] |= UINT64_C(1) << (q % 64);
		}
	}
	return 0;
}

/* Whether local day d is a public holiday at place r. */
static int holiday(struct ctx *c, enum holidays_region r, int64_t d, bool *ret)
{
	if ((int)r <= HOLIDAYS_NONE || r >= _HOLIDAYS_REGION_MAX) {
		*ret = false;
		return 0;
	}
	if (!c->hol[r]) {
		bool *t = xcalloc((size_t)c->n_table, sizeof(*t));
		int64_t y0, y1;
		unsigned m, md;
		time_civil_from_days(c->lo, &y0, &m, &md);
		time_civil_from_days(c->lo + c->n_table - 1, &y1, &m, &md);
		for (int64_t y = y0; y <= y1; y++) {
			struct holiday h[HOLIDAYS_MAX_PER_YEAR];
			size_t n = 0;
			struct lserr he;
			lserr_clear(&he);
			int rc = holidays_year(r, (int)y, h, &n, &he);
			if (rc < 0) {
				xfree(t);
				if (rc == -ERANGE)
					return lserr_set(c->e, rc, "invalid_field", "from",
					                 "the plan must lie in %d to %d, the years of the holiday data",
					                 HOLIDAYS_FIRST_YEAR, HOLIDAYS_LAST_YEAR);
				return lserr_set(c->e, rc, he.code ? he.code : "internal", he.field, "%s", he.message);
			}
			for (size_t k = 0; k < n; k++)
				if (h[k].day >= c->lo && h[k].day < c->lo + c->n_table)
					t[h[k].day - c->lo] = true;
		}
		c->hol[r] = t;
	}
	*ret = d >= c->lo && d < c->lo + c->n_table && c->hol[r][d - c->lo];
	return 0;
}

static bool absent(const struct roster_agent *a, int32_t d)
{
	size_t lo = 0, hi = a->n_absent;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a->absent[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < a->n_absent && a->absent[lo] == d;
}

static bool has_skill(const struct roster_input *in, const struct roster_agent *a, uint32_t k)
{
	uint64_t bit = UINT64_C(1) << k;
	return (in->any_skills & bit) || (a->skills & bit);
}

static bool available(const struct roster_agent *a, const struct sinfo *x)
{
	for (size_t w = 0; w < ROSTER_WEEK_WORDS; w++)
		if (x->mask[w] & ~a->avail[w])
			return false;
	return true;
}

/* Working days of the plan for the average: Monday to Saturday, not a holiday. */
static int workdays(struct ctx *c, const struct roster_agent *a, int32_t *ret)
{
	int32_t n = 0;
	for (int32_t d = c->in->first_day; d < c->in->first_day + c->in->n_days; d++) {
		bool h;
		int r = holiday(c, a->place, d, &h);
		if (r < 0)
			return r;
		n += weekday(d) != 6 && !h;
	}
	*ret = n;
	return 0;
}

/* Sunday and holiday rule of shift i for agent a: -1 when allowed, else the rule. */
static int sunday_holiday(struct ctx *c, const struct roster_agent *a, size_t i, int *ret)
{
	const struct sinfo *x = &c->si[i];
	*ret = -1;
	for (int64_t d = x->d0; d <= x->d1; d++) {
		if (weekday(d) == 6 && !a->sundays) {
			*ret = ROSTER_SUNDAY;
			return 0;
		}
		bool h;
		int r = holiday(c, a->place, d, &h);
		if (r < 0)
			return r;
		if (h && !a->holidays) {
			*ret = ROSTER_HOLIDAY;
			return 0;
		}
	}
	return 0;
}

/* An agent's running totals while assigning. */
struct astate {
	ls_time last_end;
	int64_t total; /* seconds of work in the plan */
	bool has_long; /* a day above 8 h in the roster */
	int64_t *week; /* [n_weeks] seconds of work */
	int32_t workdays;
	int64_t cap_week; /* seconds */
	int32_t busy_day; /* the day of the last shift given */
};

/* First rule that keeps agent a from shift i given the state: -1 when none. */
static int blocks(struct ctx *c, size_t ai, const struct astate *st, size_t i, int32_t week0, int *ret)
{
	const struct roster_input *in = c->in;
	const struct roster_agent *a = &in->agents[ai];
	const struct shift *s = &in->shifts[i];
	const struct sinfo *x = &c->si[i];
	*ret = -1;
	if (!has_skill(in, a, s->skill)) {
		*ret = ROSTER_SKILL;
		return 0;
	}
	bool off = !available(a, x);
	for (int32_t d = x->d0; d <= x->d1 && !off; d++)
		off = absent(a, d);
	if (off) {
		*ret = ROSTER_AVAILABILITY;
		return 0;
	}
	if (st->busy_day == s->day) {
		*ret = ROSTER_BUSY;
		return 0;
	}
	if (st->last_end && s->start - st->last_end < ARBZG_REST_MIN) {
		*ret = ROSTER_REST;
		return 0;
	}
	int r = sunday_holiday(c, a, i, ret);
	if (r < 0 || *ret >= 0)
		return r;
	if (st->week[week_of(s->day) - week0] + x->work > st->cap_week) {
		*ret = ROSTER_WEEKLY_HOURS;
		return 0;
	}
	if ((st->has_long || x->work > ARBZG_DAY_REGULAR) &&
	    llround(a->prior_hours * 3600.0) + st->total + x->work >
	            (int64_t)ARBZG_DAY_REGULAR * (a->prior_days + st->workdays)) {
		*ret = ROSTER_DAILY_AVERAGE;
		return 0;
	}
	return 0;
}

/* ---- matching of one day ---- */

struct day {
	size_t lo, n;   /* the day's shifts: lo .. lo + n */
	int32_t **elig; /* [n]: eligible agents, preferred first */
	size_t *n_elig;
	int32_t *match_shift; /* [n]: agent or -1 */
	int32_t *match_agent; /* [n_agents]: local shift or -1 */
	uint32_t *seen;       /* [n_agents] */
	uint32_t epoch;
};

static bool augment(struct day *d, size_t s)
{
	for (size_t k = 0; k < d->n_elig[s]; k++) {
		int32_t a = d->elig[s][k];
		if (d->seen[a] == d->epoch)
			continue;
		d->seen[a] = d->epoch;
		if (d->match_agent[a] < 0 || augment(d, (size_t)d->match_agent[a])) {
			d->match_agent[a] = (int32_t)s;
			d->match_shift[s] = a;
			return true;
		}
	}
	return false;
}

struct pref {
	int32_t agent;
	double load;
	int skills;
};

static int cmp_pref(const void *pa, const void *pb)
{
	const struct pref *a = pa, *b = pb;
	if (a->load != b->load)
		return a->load < b->load ? -1 : 1;
	if (a->skills != b->skills)
		return a->skills - b->skills;
	return (a->agent > b->agent) - (a->agent < b->agent);
}

static int cmp_scarce(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	return (a > b) - (a < b);
}

int roster_assign(const struct roster_input *in, struct roster_result *ret, struct lserr *e)
{
	struct ctx c;
	ctx_init(&c, in, e);
	size_t na = in->n_agents, ns = in->n_shifts;
	int32_t week0 = week_of(in->first_day);
	int32_t n_weeks = week_of(in->first_day + in->n_days - 1) - week0 + 1;
	struct roster_result out = {0};
	out.agent_of = xcalloc(ns ? ns : 1, sizeof(*out.agent_of));
	out.blocked = xcalloc(ns ? ns : 1, sizeof(*out.blocked));
	out.hours = xcalloc(na ? na : 1, sizeof(*out.hours));
	out.n_assigned = xcalloc(na ? na : 1, sizeof(*out.n_assigned));
	out.workdays = xcalloc(na ? na : 1, sizeof(*out.workdays));
	struct astate *st = xcalloc(na ? na : 1, sizeof(*st));
	int64_t *weeks = xcalloc(na * (size_t)n_weeks + 1, sizeof(*weeks));
	int r = 0;
	for (size_t a = 0; a < na && r == 0; a++) {
		st[a].last_end = in->agents[a].last_end;
		st[a].week = weeks + a * (size_t)n_weeks;
		st[a].cap_week = llround(in->agents[a].weekly_hours * 3600.0);
		st[a].busy_day = INT32_MIN;
		r = workdays(&c, &in->agents[a], &st[a].workdays);
		out.workdays[a] = st[a].workdays;
	}
	for (size_t i = 0; i < ns; i++)
		out.agent_of[i] = -1;

	struct day d = {0};
	d.match_agent = xcalloc(na ? na : 1, sizeof(*d.match_agent));
	d.seen = xcalloc(na ? na : 1, sizeof(*d.seen));
	struct pref *prefs = xcalloc(na ? na : 1, sizeof(*prefs));
	size_t *order = xcalloc(ns ? ns : 1, sizeof(*order) * 2);
	for (size_t lo = 0; lo < ns && r == 0;) {
		size_t hi = lo;
		while (hi < ns && in->shifts[hi].day == in->shifts[lo].day)
			hi++;
		d.lo = lo;
		d.n = hi - lo;
		d.elig = xcalloc(d.n, sizeof(*d.elig));
		d.n_elig = xcalloc(d.n, sizeof(*d.n_elig));
		d.match_shift = xcalloc(d.n, sizeof(*d.match_shift));
		for (size_t a = 0; a < na; a++)
			d.match_agent[a] = -1;
		for (size_t s = 0; s < d.n && r == 0; s++) {
			d.match_shift[s] = -1;
			size_t np = 0;
			for (size_t a = 0; a < na; a++) {
				int b;
				r = blocks(&c, a, &st[a], lo + s, week0, &b);
				if (r < 0)
					break;
				if (b >= 0) {
					out.blocked[lo + s][b]++;
					continue;
				}
				double cap = st[a].cap_week > 0 ? (double)st[a].cap_week : 1.0;
				prefs[np++] = (struct pref){(int32_t)a, (double)st[a].total / cap,
				                            __builtin_popcountll(in->agents[a].skills)};
			}
			qsort(prefs, np, sizeof(*prefs), cmp_pref);
			d.elig[s] = xcalloc(np ? np : 1, sizeof(**d.elig));
			for (size_t k = 0; k < np; k++)
				d.elig[s][k] = prefs[k].agent;
			d.n_elig[s] = np;
		}
		/* scarce shifts first: sort (n_elig << 32 | index) */
		for (size_t s = 0; s < d.n; s++)
			order[s] = (d.n_elig[s] << 24) | s;
		qsort(order, d.n, sizeof(*order), cmp_scarce);
		for (size_t k = 0; k < d.n && r == 0; k++) {
			d.epoch++;
			augment(&d, order[k] & ((1u << 24) - 1));
		}
		for (size_t s = 0; s < d.n && r == 0; s++) {
			int32_t a = d.match_shift[s];
			size_t i = lo + s;
			if (a < 0) {
				/* agents busy with another shift of the day count as busy */
				for (size_t k = 0; k < d.n_elig[s]; k++)
					out.blocked[i][ROSTER_BUSY]++;
				out.n_uncovered++;
				continue;
			}
			memset(out.blocked[i], 0, sizeof(out.blocked[i]));
			out.agent_of[i] = a;
			const struct sinfo *x = &c.si[i];
			struct astate *sa = &st[a];
			sa->last_end = in->shifts[i].end > sa->last_end ? in->shifts[i].end : sa->last_end;
			sa->total += x->work;
			sa->week[week_of(in->shifts[i].day) - week0] += x->work;
			sa->has_long |= x->work > ARBZG_DAY_REGULAR;
			sa->busy_day = in->shifts[i].day;
			out.hours[a] += x->work / 3600.0;
			out.n_assigned[a]++;
		}
		for (size_t s = 0; s < d.n; s++)
			xfree(d.elig[s]);
		xfree(d.elig);
		xfree(d.n_elig);
		xfree(d.match_shift);
		lo = hi;
	}
	xfree(prefs);
	xfree(order);
	xfree(d.match_agent);
	xfree(d.seen);
	xfree(weeks);
	xfree(st);
	ctx_free(&c);
	if (r == 0)
		r = roster_check(in, out.agent_of, &out.violations, &out.n_violations, e);
	if (r < 0) {
		roster_result_free(&out);
		return r;
	}
	*ret = out;
	return 0;
}

/* ---- the check ---- */

struct vlist {
	struct roster_violation *v;
	size_t n, cap;
};

static void add(struct vlist *l, enum roster_rule rule, size_t agent, int32_t day, int32_t shift, double value,
                double limit)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = (struct roster_violation){rule, (uint32_t)agent, day, shift, value, limit};
}

static int cmp_violation(const void *pa, const void *pb)
{
	const struct roster_violation *a = pa, *b = pb;
	if (a->agent != b->agent)
		return a->agent < b->agent ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return (a->shift > b->shift) - (a->shift < b->shift);
}

/* Insertion sort of one agent's shifts by start (a few dozen; usually sorted already). */
static void sort_by_start(const struct shift *all, int32_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		int32_t x = v[i];
		size_t k = i;
		while (k > 0 &&
		       (all[v[k - 1]].start > all[x].start || (all[v[k - 1]].start == all[x].start && v[k - 1] > x))) {
			v[k] = v[k - 1];
			k--;
		}
		v[k] = x;
	}
}

static int check_agent(struct ctx *c, size_t ai, const int32_t *mine, size_t n, struct vlist *l)
{
	const struct roster_input *in = c->in;
	const struct roster_agent *a = &in->agents[ai];
	ls_time last = a->last_end;
	int64_t total = 0;
	bool any_long = false;
	int32_t week0 = week_of(in->first_day);
	int32_t n_weeks = week_of(in->first_day + in->n_days - 1) - week0 + 1;
	int64_t *week = xcalloc((size_t)n_weeks + 2, sizeof(*week));
	int64_t cap = llround(a->weekly_hours * 3600.0);
	int r = 0;
	for (size_t k = 0; k < n && r == 0; k++) {
		size_t i = (size_t)mine[k];
		const struct shift *s = &in->shifts[i];
		const struct sinfo *x = &c->si[i];
		if (!has_skill(in, a, s->skill))
			add(l, ROSTER_SKILL, ai, s->day, (int32_t)i, 0, 0);
		bool off = !available(a, x);
		for (int32_t d = x->d0; d <= x->d1 && !off; d++)
			off = absent(a, d);
		if (off)
			add(l, ROSTER_AVAILABILITY, ai, s->day, (int32_t)i, 0, 0);
		if (!arbzg_breaks_ok(&x->f))
			add(l, ROSTER_BREAKS, ai, s->day, (int32_t)i, x->f.breaks / 60.0, x->f.required / 60.0);
		if (!arbzg_stretch_ok(&x->f))
			add(l, ROSTER_STRETCH, ai, s->day, (int32_t)i, x->f.stretch / 3600.0,
			    ARBZG_STRETCH_MAX / 3600.0);
		if (last && s->start - last < ARBZG_REST_MIN)
			add(l, ROSTER_REST, ai, s->day, (int32_t)i, (double)(s->start - last) / 3600.0,
			    ARBZG_REST_MIN / 3600.0);
		if (s->end > last)
			last = s->end;
		for (int64_t d = x->d0; d <= x->d1; d++) {
			if (weekday(d) == 6 && !a->sundays)
				add(l, ROSTER_SUNDAY, ai, (int32_t)d, (int32_t)i, x->work / 3600.0, 0);
			bool h;
			r = holiday(c, a->place, d, &h);
			if (r < 0)
				break;
			if (h && !a->holidays)
				add(l, ROSTER_HOLIDAY, ai, (int32_t)d, (int32_t)i, x->work / 3600.0, 0);
		}
		total += x->work;
		int32_t w = week_of(s->day) - week0;
		if (w >= 0 && w < n_weeks)
			week[w] += x->work;
	}
	/* daily totals: shifts are by start, so one day's shifts are adjacent */
	int32_t wd = 0;
	if (r == 0)
		r = workdays(c, a, &wd);
	int64_t worked = llround(a->prior_hours * 3600.0) + total;
	int64_t days = (int64_t)a->prior_days + wd;
	for (size_t k = 0; k < n && r == 0;) {
		int32_t day = in->shifts[mine[k]].day;
		int64_t sum = 0;
		size_t k0 = k;
		while (k < n && in->shifts[mine[k]].day == day)
			sum += c->si[mine[k++]].work;
		if (sum > ARBZG_DAY_MAX)
			add(l, ROSTER_DAILY_MAX, ai, day, k - k0 == 1 ? mine[k0] : -1, sum / 3600.0,
			    ARBZG_DAY_MAX / 3600.0);
		any_long |= sum > ARBZG_DAY_REGULAR;
	}
	if (r == 0 && any_long && worked > (int64_t)ARBZG_DAY_REGULAR * days) {
		double avg = days > 0 ? (double)worked / 3600.0 / (double)days : INFINITY;
		for (size_t k = 0; k < n;) {
			int32_t day = in->shifts[mine[k]].day;
			int64_t sum = 0;
			while (k < n && in->shifts[mine[k]].day == day)
				sum += c->si[mine[k++]].work;
			if (sum > ARBZG_DAY_REGULAR)
				add(l, ROSTER_DAILY_AVERAGE, ai, day, -1, avg, ARBZG_DAY_REGULAR / 3600.0);
		}
	}
	for (int32_t w = 0; w < n_weeks && r == 0; w++)
		if (week[w] > cap) {
			int32_t monday = (week0 + w) * 7 - 3;
			add(l, ROSTER_WEEKLY_HOURS, ai, monday, -1, week[w] / 3600.0, a->weekly_hours);
		}
	xfree(week);
	return r;
}

int roster_check(const struct roster_input *in, const int32_t *agent_of, struct roster_violation **ret, size_t *ret_n,
                 struct lserr *e)
{
	struct ctx c;
	ctx_init(&c, in, e);
	size_t na = in->n_agents, ns = in->n_shifts;
	/* shifts of each agent, by start */
	size_t *start = xcalloc(na + 1, sizeof(*start));
	int32_t *list = xcalloc(ns ? ns : 1, sizeof(*list));
	for (size_t i = 0; i < ns; i++)
		if (agent_of[i] >= 0 && (size_t)agent_of[i] < na)
			start[agent_of[i] + 1]++;
	for (size_t a = 0; a < na; a++)
		start[a + 1] += start[a];
	size_t *fill = xcalloc(na + 1, sizeof(*fill));
	memcpy(fill, start, (na + 1) * sizeof(*fill));
	for (size_t i = 0; i < ns; i++)
		if (agent_of[i] >= 0 && (size_t)agent_of[i] < na)
			list[fill[agent_of[i]]++] = (int32_t)i;
	struct vlist l = {0};
	int r = 0;
	for (size_t a = 0; a < na && r == 0; a++) {
		sort_by_start(in->shifts, list + start[a], start[a + 1] - start[a]);
		r = check_agent(&c, a, list + start[a], start[a + 1] - start[a], &l);
	}
	xfree(start);
	xfree(fill);
	xfree(list);
	ctx_free(&c);
	if (r < 0) {
		xfree(l.v);
		return r;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_violation);
	*ret = l.v;
	*ret_n = l.n;
	return 0;
}

void roster_result_free(struct roster_result *r)
{
	if (!r)
		return;
	xfree(r->agent_of);
	xfree(r->blocked);
	xfree(r->hours);
	xfree(r->n_assigned);
	xfree(r->workdays);
	xfree(r->violations);
	memset(r, 0, sizeof(*r));
}
