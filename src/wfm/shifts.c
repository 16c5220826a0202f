/* Shift planning as set covering (see shifts.h). Room: wfm.
 *
 * Rows of the programme are numbered slot-major (slot 0 of every skill, then slot 1,
 * ...), so "the lowest row" is the earliest slot: the greedy's tie-break. Columns are
 * the candidate shifts in order of day, template, skill, followed by one slack column
 * per covering row. The greedy's solution, slacks included, is feasible by
 * construction and is handed to the solver as its start; whatever the solver returns
 * is checked for feasibility and priced again here before it is believed.
 *
 * Invariants: every size grows only up to LS_MAX_SHIFT_COLUMNS candidates and the
 * grid of LS_MAX_SHIFT_DAYS days; scratch memory is released before returning; the
 * result is untouched on failure. */
#include "wfm/shifts.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"

static const char *const status_names[_SHIFTS_STATUS_MAX] = {
        [SHIFTS_OPTIMAL] = "optimal",
        [SHIFTS_TIME_LIMIT] = "time_limit",
        [SHIFTS_GREEDY] = "greedy",
};

const char *shifts_status_to_string(enum shifts_status s)
{
	return (int)s >= 0 && s < _SHIFTS_STATUS_MAX ? status_names[s] : NULL;
}

int32_t shift_template_work(const struct shift_template *t)
{
	int32_t w = t->length;
	for (size_t i = 0; i < t->n_breaks; i++)
		w -= t->breaks[i].end - t->breaks[i].start;
	return w;
}

static int hm(int32_t s, char *buf, size_t n)
{
	return snprintf(buf, n, "%dh%02dm", s / 3600, s % 3600 / 60);
}

int shift_template_check(const struct shift_template *t, struct lserr *e)
{
	if (t->start < 0 || t->start >= 86400 || t->start % SHIFTS_SLOT)
		return lserr_set(e, -EINVAL, "invalid_field", "start",
		                 "start must be a local time on the quarter hour (00:00 to 23:45)");
	if (t->length < SHIFTS_SLOT || t->length > 86400 || t->length % SHIFTS_SLOT)
		return lserr_set(e, -EINVAL, "invalid_field", "length",
		                 "length must be whole quarter hours, 15m to 24h");
	if (t->n_breaks > SHIFTS_MAX_BREAKS)
		return lserr_set(e, -EINVAL, "invalid_field", "breaks", "at most %d breaks", SHIFTS_MAX_BREAKS);
	int32_t prev_end = 0;
	for (size_t i = 0; i < t->n_breaks; i++) {
		const struct arbzg_pause *b = &t->breaks[i];
		if (b->start % SHIFTS_SLOT || b->end % SHIFTS_SLOT)
			return lserr_set(e, -EINVAL, "invalid_field", "breaks",
			                 "breaks must start and last whole quarter hours");
		if (b->end - b->start < ARBZG_BREAK_PART_MIN)
			return lserr_set(e, -EINVAL, "invalid_field", "breaks",
			                 "a break must last at least 15 minutes (ArbZG §4)");
		if (b->start <= 0 || b->end >= t->length)
			return lserr_set(e, -EINVAL, "invalid_field", "breaks",
			                 "a break must lie inside the shift, after its start and before its end");
		if (b->start < prev_end)
			return lserr_set(e, -EINVAL, "invalid_field", "breaks",
			                 "breaks must be in order and must not overlap");
		prev_end = b->end;
	}
	if (!(t->days & 0x7f) || (t->days & 0x80))
		return lserr_set(e, -EINVAL, "invalid_field", "days", "days must name at least one weekday");
	if (!(t->cost > 0.0) || !isfinite(t->cost) || t->cost > 1e9)
		return lserr_set(e, -EINVAL, "invalid_field", "cost", "cost must be a number > 0");
	struct arbzg_figures f;
	arbzg_figures(t->length, t->breaks, t->n_breaks, &f);
	char a[24], b[24];
	if (f.work > ARBZG_DAY_MAX) {
		hm(f.work, a, sizeof(a));
		return lserr_set(e, -EINVAL, "invalid_field", "length",
		                 "%s of work is more than the 10 hours a day ArbZG §3 allows", a);
	}
	if (!arbzg_breaks_ok(&f)) {
		hm(f.work, a, sizeof(a));
		return lserr_set(e, -EINVAL, "invalid_field", "breaks",
		                 "%s of work need %d minutes of break (ArbZG §4), the template has %d", a,
		                 f.required / 60, f.breaks / 60);
	}
	if (!arbzg_stretch_ok(&f)) {
		hm(f.stretch, b, sizeof(b));
		return lserr_set(e, -EINVAL, "invalid_field", "breaks",
		                 "%s of work without a break; ArbZG §4 allows at most 6 hours in a row", b);
	}
	return 0;
}

int shifts_grid(const struct tz *tz, int32_t first_day, int32_t n_days, ls_time *ret_start, size_t *ret_slots,
                struct lserr *e)
{
	if (n_days < 1 || n_days > LS_MAX_SHIFT_DAYS)
		return lserr_set(e, -EINVAL, "invalid_field", "days", "days must be 1 to %d", LS_MAX_SHIFT_DAYS);
	ls_time start = tz_local_to_utc(tz, (int64_t)first_day * 86400);
	ls_time end = tz_local_to_utc(tz, ((int64_t)first_day + n_days) * 86400);
	if (tz_offset_at(tz, start) % SHIFTS_SLOT || (end - start) % SHIFTS_SLOT || end <= start)
		return lserr_set(e, -EINVAL, "invalid_field", "tz",
		                 "time zone %s is not on whole quarter hours; plan in another zone", tz_name(tz));
	*ret_start = start;
	*ret_slots = (size_t)((end - start) / SHIFTS_SLOT);
	return 0;
}

/* ---- building the programme ---- */

struct build {
	const struct shifts_problem *p;
	ls_time grid;
	size_t n_slots;
	/* candidates */
	struct shift *cand;
	size_t n_cand, cap_cand;
	/* entries of candidate columns (covering rows only), CSC */
	size_t *cstart; /* [n_cand + 1] */
	int32_t *crow;
	size_t n_ent, cap_ent;
	/* covering rows */
	int32_t *row_of; /* [n_skills * n_slots]: row or -1 */
	size_t n_rows;
	int32_t *rhs;    /* [n_rows] */
	size_t *row_key; /* [n_rows]: skill * n_slots + slot */
};

static void build_free(struct build *b)
{
	xfree(b->cand);
	xfree(b->cstart);
	xfree(b->crow);
	xfree(b->row_of);
	xfree(b->rhs);
	xfree(b->row_key);
}

static int weekday(int32_t day)
{
	return (int)(((int64_t)day % 7 + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
}

/* Covering rows: every (skill, slot) with demand, numbered slot-major. */
static void make_rows(struct build *b)
{
	const struct shifts_problem *p = b->p;
	size_t cells = p->n_skills * b->n_slots;
	b->row_of = xcalloc(cells ? cells : 1, sizeof(*b->row_of));
	size_t n = 0;
	for (size_t c = 0; c < cells; c++)
		n += p->required[c] > 0;
	b->rhs = xcalloc(n ? n : 1, sizeof(*b->rhs));
	b->row_key = xcalloc(n ? n : 1, sizeof(*b->row_key));
	for (size_t c = 0; c < cells; c++)
		b->row_of[c] = -1;
	for (size_t s = 0; s < b->n_slots; s++)
		for (size_t k = 0; k < p->n_skills; k++) {
			size_t c = k * b->n_slots + s;
			if (p->required[c] > 0) {
				b->row_of[c] = (int32_t)b->n_rows;
				b->rhs[b->n_rows] = p->required[c];
				b->row_key[b->n_rows++] = c;
			}
		}
}

static bool in_break(const struct shift_template *t, int32_t off)
{
	for (size_t i = 0; i < t->n_breaks; i++)
		if (off >= t->breaks[i].start && off < t->breaks[i].end)
			return true;
	return false;
}

static int add_candidates(struct build *b, struct lserr *e)
{
	const struct shifts_problem *p = b->p;
	b->cap_cand = 1024;
	b->cand = xcalloc(b->cap_cand, sizeof(*b->cand));
	b->cstart = xcalloc(b->cap_cand + 1, sizeof(*b->cstart));
	b->cap_ent = 16384;
	b->crow = xcalloc(b->cap_ent, sizeof(*b->crow));
	for (int32_t d = 0; d < p->n_days; d++) {
		int32_t day = p->first_day + d;
		int wd = weekday(day);
		for (size_t ti = 0; ti < p->n_templates; ti++) {
			const struct shift_template *t = &p->templates[ti];
			if (!(t->days & (1u << wd)))
				continue;
			ls_time start = tz_local_to_utc(p->tz, (int64_t)day * 86400 + t->start);
			if ((start - b->grid) % SHIFTS_SLOT)
				return lserr_set(e, -EINVAL, "invalid_field", "tz",
				                 "time zone %s is not on whole quarter hours; plan in another zone",
				                 tz_name(p->tz));
			int64_t slot = (start - b->grid) / SHIFTS_SLOT;
			for (size_t k = 0; k < p->n_skills; k++) {
				if (!(t->skills & (UINT64_C(1) << k)))
					continue;
				size_t ent0 = b->n_ent;
				for (int32_t off = 0; off < t->length; off += SHIFTS_SLOT) {
					int64_t s = slot + off / SHIFTS_SLOT;
					if (s < 0 || (size_t)s >= b->n_slots || in_break(t, off))
						continue;
					int32_t r = b->row_of[k * b->n_slots + (size_t)s];
					if (r < 0)
						continue;
					if (b->n_ent == b->cap_ent) {
						b->cap_ent *= 2;
						b->crow = xrealloc(b->crow, b->cap_ent * sizeof(*b->crow));
					}
					b->crow[b->n_ent++] = r;
				}
				if (b->n_ent == ent0)
					continue; /* covers no demand: never part of a cheapest plan */
				if (b->n_cand == LS_MAX_SHIFT_COLUMNS)
					return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "templates",
					                 "more than %d candidate shifts (templates x days x skills); "
					                 "plan fewer days or templates",
					                 LS_MAX_SHIFT_COLUMNS);
				if (b->n_cand == b->cap_cand) {
					b->cap_cand *= 2;
					b->cand = xrealloc(b->cand, b->cap_cand * sizeof(*b->cand));
					b->cstart = xrealloc(b->cstart, (b->cap_cand + 1) * sizeof(*b->cstart));
				}
				b->cstart[b->n_cand] = ent0;
				b->cand[b->n_cand++] = (struct shift){
				        .tpl = (uint32_t)ti,
				        .skill = (uint32_t)k,
				        .day = day,
				        .start = start,
				        .end = start + t->length,
				        .slot = (int32_t)slot,
				};
				b->cstart[b->n_cand] = b->n_ent;
			}
		}
	}
	b->cstart[b->n_cand] = b->n_ent;
	return 0;
}

/* ---- greedy ---- */

struct greedy {
	const struct build *b;
	const double *cost; /* per candidate */
	const double *ub;   /* per candidate */
	int32_t *cap_left;  /* per day, or NULL */
	size_t *rstart;     /* row -> candidates (CSR, transposed) */
	int32_t *rcol;
};

static void transpose(struct greedy *g)
{
	const struct build *b = g->b;
	g->rstart = xcalloc(b->n_rows + 1, sizeof(*g->rstart));
	g->rcol = xcalloc(b->n_ent ? b->n_ent : 1, sizeof(*g->rcol));
	for (size_t i = 0; i < b->n_ent; i++)
		g->rstart[b->crow[i] + 1]++;
	for (size_t r = 0; r < b->n_rows; r++)
		g->rstart[r + 1] += g->rstart[r];
	size_t *fill = xcalloc(b->n_rows + 1, sizeof(*fill));
	memcpy(fill, g->rstart, (b->n_rows + 1) * sizeof(*fill));
	for (size_t j = 0; j < b->n_cand; j++)
		for (size_t i = b->cstart[j]; i < b->cstart[j + 1]; i++)
			g->rcol[fill[b->crow[i]]++] = (int32_t)j;
	xfree(fill);
}

/* Fills x[n_cand] with the greedy plan (see shifts.h). */
static void greedy_run(struct greedy *g, double *x)
{
	const struct build *b = g->b;
	const struct shifts_problem *p = b->p;
	int32_t *deficit = xcalloc(b->n_rows ? b->n_rows : 1, sizeof(*deficit));
	int32_t *cover = xcalloc(b->n_rows ? b->n_rows : 1, sizeof(*cover));
	bool *dead = xcalloc(b->n_rows ? b->n_rows : 1, sizeof(*dead));
	memcpy(deficit, b->rhs, b->n_rows * sizeof(*deficit));
	for (;;) {
		size_t best_r = SIZE_MAX;
		int32_t most = 0;
		for (size_t r = 0; r < b->n_rows; r++)
			if (!dead[r] && deficit[r] > most) {
				most = deficit[r];
				best_r = r;
			}
		if (best_r == SIZE_MAX)
			break;
		int32_t best = -1;
		double best_score = 0.0;
		for (size_t i = g->rstart[best_r]; i < g->rstart[best_r + 1]; i++) {
			int32_t j = g->rcol[i];
			if (x[j] >= g->ub[j])
				continue;
			if (g->cap_left && g->cap_left[b->cand[j].day - p->first_day] <= 0)
				continue;
			int gain = 0;
			for (size_t q = b->cstart[j]; q < b->cstart[j + 1]; q++)
				gain += deficit[b->crow[q]] > 0;
			double score = gain / g->cost[j];
			if (best < 0 || score > best_score || (score == best_score && g->cost[j] < g->cost[best])) {
				best = j;
				best_score = score;
			}
		}
		if (best < 0) {
			dead[best_r] = true;
			continue;
		}
		x[best] += 1.0;
		if (g->cap_left)
			g->cap_left[b->cand[best].day - p->first_day]--;
		for (size_t q = b->cstart[best]; q < b->cstart[best + 1]; q++) {
			if (deficit[b->crow[q]] > 0)
				deficit[b->crow[q]]--;
			cover[b->crow[q]]++;
		}
	}
	/* drop shifts that only over-cover, most expensive first */
	int32_t *order = xcalloc(b->n_cand ? b->n_cand : 1, sizeof(*order));
	size_t n = 0;
	for (size_t j = 0; j < b->n_cand; j++)
		if (x[j] > 0)
			order[n++] = (int32_t)j;
	for (size_t i = 1; i < n; i++) { /* insertion sort: cost descending, later first */
		int32_t v = order[i];
		size_t k = i;
		while (k > 0 && (g->cost[order[k - 1]] < g->cost[v] ||
		                 (g->cost[order[k - 1]] == g->cost[v] && order[k - 1] < v))) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = v;
	}
	for (size_t i = 0; i < n; i++) {
		int32_t j = order[i];
		while (x[j] > 0) {
			bool spare = true;
			for (size_t q = b->cstart[j]; q < b->cstart[j + 1] && spare; q++)
				spare = cover[b->crow[q]] > b->rhs[b->crow[q]];
			if (!spare)
				break;
			x[j] -= 1.0;
			for (size_t q = b->cstart[j]; q < b->cstart[j + 1]; q++)
				cover[b->crow[q]]--;
		}
	}
	xfree(order);
	xfree(deficit);
	xfree(cover);
	xfree(dead);
}

/* ---- the programme in column form ---- */

struct ilp_store {
	struct shifts_ilp ilp;
	double *obj, *ub, *value, *rhs;
	size_t *cstart;
	int32_t *row;
	char *sense;
	int32_t *cap_row; /* day -> row of its cap, or -1 */
	double penalty;
};

static void ilp_free(struct ilp_store *s)
{
	xfree(s->obj);
	xfree(s->ub);
	xfree(s->value);
	xfree(s->rhs);
	xfree(s->cstart);
	xfree(s->row);
	xfree(s->sense);
	xfree(s->cap_row);
}

static void ilp_make(const struct build *b, struct ilp_store *s)
{
	const struct shifts_problem *p = b->p;
	size_t n_cols = b->n_cand + b->n_rows;
	size_t n_rows = b->n_rows;
	s->cap_row = xcalloc((size_t)p->n_days, sizeof(*s->cap_row));
	for (int32_t d = 0; d < p->n_days; d++)
		s->cap_row[d] = -1;
	if (p->day_cap)
		for (size_t j = 0; j < b->n_cand; j++) {
			int32_t d = b->cand[j].day - p->first_day;
			if (s->cap_row[d] < 0)
				s->cap_row[d] = (int32_t)n_rows++;
		}
	size_t n_ent = b->n_ent + (p->day_cap ? b->n_cand : 0) + b->n_rows;
	s->obj = xcalloc(n_cols ? n_cols : 1, sizeof(double));
	s->ub = xcalloc(n_cols ? n_cols : 1, sizeof(double));
	s->cstart = xcalloc(n_cols + 1, sizeof(size_t));
	s->row = xcalloc(n_ent ? n_ent : 1, sizeof(int32_t));
	s->value = xcalloc(n_ent ? n_ent : 1, sizeof(double));
	s->sense = xcalloc(n_rows ? n_rows : 1, 1);
	s->rhs = xcalloc(n_rows ? n_rows : 1, sizeof(double));
	double max_cost = 0.0;
	for (size_t j = 0; j < b->n_cand; j++)
		max_cost = fmax(max_cost, p->templates[b->cand[j].tpl].cost);
	s->penalty = 2.0 * max_cost + 1.0;
	size_t e = 0;
	for (size_t j = 0; j < b->n_cand; j++) {
		s->cstart[j] = e;
		s->obj[j] = p->templates[b->cand[j].tpl].cost;
		int32_t most = 1;
		for (size_t q = b->cstart[j]; q < b->cstart[j + 1]; q++) {
			s->row[e] = b->crow[q];
			s->value[e++] = 1.0;
			if (b->rhs[b->crow[q]] > most)
				most = b->rhs[b->crow[q]];
		}
		s->ub[j] = most;
		if (p->day_cap) {
			s->row[e] = s->cap_row[b->cand[j].day - p->first_day];
			s->value[e++] = 1.0;
		}
	}
	for (size_t r = 0; r < b->n_rows; r++) {
		size_t j = b->n_cand + r;
		s->cstart[j] = e;
		s->obj[j] = s->penalty;
		s->ub[j] = b->rhs[r];
		s->row[e] = (int32_t)r;
		s->value[e++] = 1.0;
		s->sense[r] = 'G';
		s->rhs[r] = b->rhs[r];
	}
	s->cstart[n_cols] = e;
	for (int32_t d = 0; d < p->n_days; d++)
		if (s->cap_row[d] >= 0) {
			s->sense[s->cap_row[d]] = 'L';
			s->rhs[s->cap_row[d]] = p->day_cap[d] > 0 ? p->day_cap[d] : 0;
		}
	s->ilp = (struct shifts_ilp){
	        .n_cols = n_cols,
	        .n_rows = n_rows,
	        .obj = s->obj,
	        .col_ub = s->ub,
	        .col_start = s->cstart,
	        .row = s->row,
	        .value = s->value,
	        .sense = s->sense,
	        .rhs = s->rhs,
	};
}

/* Sets the slack columns of x to what the candidates leave short. */
static void fill_slack(const struct build *b, double *x)
{
	for (size_t r = 0; r < b->n_rows; r++)
		x[b->n_cand + r] = b->rhs[r];
	for (size_t j = 0; j < b->n_cand; j++)
		for (size_t q = b->cstart[j]; q < b->cstart[j + 1]; q++)
			x[b->n_cand + b->crow[q]] -= x[j];
	for (size_t r = 0; r < b->n_rows; r++)
		if (x[b->n_cand + r] < 0)
			x[b->n_cand + r] = 0;
}

/* The objective of x, or NAN when x is not a feasible whole-number solution. */
static double price(const struct shifts_ilp *ilp, const double *x)
{
	double *act = xcalloc(ilp->n_rows ? ilp->n_rows : 1, sizeof(*act));
	double obj = 0.0;
	bool ok = true;
	for (size_t j = 0; j < ilp->n_cols && ok; j++) {
		if (!(x[j] >= 0.0 && x[j] <= ilp->col_ub[j]) || x[j] != floor(x[j]))
			ok = false;
		obj += ilp->obj[j] * x[j];
		for (size_t q = ilp->col_start[j]; q < ilp->col_start[j + 1]; q++)
			act[ilp->row[q]] += ilp->value[q] * x[j];
	}
	for (size_t r = 0; r < ilp->n_rows && ok; r++)
		ok = ilp->sense[r] == 'G' ? act[r] >= ilp->rhs[r] - 1e-9 : act[r] <= ilp->rhs[r] + 1e-9;
	xfree(act);
	return ok ? obj : NAN;
}

static int cmp_shift(const void *pa, const void *pb)
{
	const struct shift *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->skill != b->skill)
		return a->skill < b->skill ? -1 : 1;
	return (a->tpl > b->tpl) - (a->tpl < b->tpl);
}

int shifts_plan(const struct shifts_problem *p, const struct shifts_solver *solver, double time_limit,
                struct shifts_plan *ret, struct lserr *e)
{
	if (p->n_skills < 1 || p->n_skills > LS_MAX_SHIFT_SKILLS)
		return lserr_set(e, -EINVAL, "invalid_field", "skill", "a plan has 1 to %d skills",
		                 LS_MAX_SHIFT_SKILLS);
	if (p->n_templates > LS_MAX_SHIFT_TEMPLATES)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "templates", "more than %d templates",
		                 LS_MAX_SHIFT_TEMPLATES);
	if (!(time_limit > 0.0))
		return lserr_set(e, -EINVAL, "invalid_field", "time_limit", "the time limit must be > 0 seconds");
	for (size_t i = 0; i < p->n_templates; i++) {
		int r = shift_template_check(&p->templates[i], e);
		if (r < 0)
			return r;
	}
	struct build b = {.p = p};
	int r = shifts_grid(p->tz, p->first_day, p->n_days, &b.grid, &b.n_slots, e);
	if (r < 0)
		return r;
	make_rows(&b);
	r = add_candidates(&b, e);
	if (r < 0) {
		build_free(&b);
		return r;
	}
	struct ilp_store s = {0};
	ilp_make(&b, &s);
	const struct shifts_ilp *ilp = &s.ilp;

	/* greedy first: the start, and the fallback */
	struct greedy g = {.b = &b, .cost = s.obj, .ub = s.ub};
	if (p->day_cap) {
		g.cap_left = xcalloc((size_t)p->n_days, sizeof(*g.cap_left));
		memcpy(g.cap_left, p->day_cap, (size_t)p->n_days * sizeof(*g.cap_left));
	}
	transpose(&g);
	double *xg = xcalloc(ilp->n_cols ? ilp->n_cols : 1, sizeof(*xg));
	greedy_run(&g, xg);
	fill_slack(&b, xg);
	double greedy_obj = price(ilp, xg);

	struct shifts_plan out = {
	        .grid_start = b.grid,
	        .n_slots = b.n_slots,
	        .status = SHIFTS_GREEDY,
	        .solver = "greedy",
	        .objective = greedy_obj,
	        .bound = NAN,
	        .gap = NAN,
	        .greedy_objective = greedy_obj,
	        .candidates = (int64_t)b.n_cand,
	};
	const double *x = xg;
	double *xs = NULL;
	if (b.n_cand == 0) {
		out.status = SHIFTS_OPTIMAL; /* nothing can be covered: the empty plan is the best */
		out.bound = greedy_obj;
		out.gap = 0.0;
	} else if (!solver) {
		snprintf(out.fallback, sizeof(out.fallback), "no solver: the greedy plan alone was asked for");
	} else {
		xs = xcalloc(ilp->n_cols, sizeof(*xs));
		struct shifts_solution sol = {0};
		uint64_t t0 = time_mono_ns();
		int sr = solver->solve(solver, ilp, xg, time_limit, xs, &sol);
		out.seconds = (double)(time_mono_ns() - t0) / 1e9;
		double obj = sr == 0 ? price(ilp, xs) : NAN;
		if (sr == -ETIME) {
			snprintf(out.fallback, sizeof(out.fallback), "%s found no plan within the time limit of %g s",
			         solver->name, time_limit);
		} else if (sr < 0) {
			snprintf(out.fallback, sizeof(out.fallback), "%s failed: %s", solver->name, err_str(sr));
		} else if (isnan(obj)) {
			snprintf(out.fallback, sizeof(out.fallback), "%s returned an infeasible plan", solver->name);
		} else if (obj > greedy_obj + 1e-9) {
			snprintf(out.fallback, sizeof(out.fallback), "%s stopped at %.6g, above the greedy plan's %.6g",
			         solver->name, obj, greedy_obj);
		} else {
			x = xs;
			out.solver = solver->name;
			out.objective = obj;
			out.status = sol.optimal ? SHIFTS_OPTIMAL : SHIFTS_TIME_LIMIT;
			out.bound = fmin(sol.bound, obj);
			if (sol.optimal)
				out.bound = obj;
			out.gap = obj > 0 ? (obj - out.bound) / obj : 0.0;
		}
		if (out.status == SHIFTS_GREEDY && sr == 0 && !isnan(sol.bound)) {
			out.bound = fmin(sol.bound, greedy_obj);
			out.gap = greedy_obj > 0 ? (greedy_obj - out.bound) / greedy_obj : 0.0;
		}
	}

	/* expand the counts into shifts */
	size_t n = 0;
	for (size_t j = 0; j < b.n_cand; j++)
		n += (size_t)llround(x[j]);
	out.shifts = xcalloc(n ? n : 1, sizeof(*out.shifts));
	for (size_t j = 0; j < b.n_cand; j++)
		for (long k = llround(x[j]); k > 0; k--) {
			out.shifts[out.n_shifts++] = b.cand[j];
			out.cost += p->templates[b.cand[j].tpl].cost;
		}
	qsort(out.shifts, out.n_shifts, sizeof(*out.shifts), cmp_shift);
	size_t cells = p->n_skills * b.n_slots;
	out.planned = xcalloc(cells ? cells : 1, sizeof(*out.planned));
	for (size_t i = 0; i < out.n_shifts; i++) {
		const struct shift *sh = &out.shifts[i];
		const struct shift_template *t = &p->templates[sh->tpl];
		for (int32_t off = 0; off < t->length; off += SHIFTS_SLOT) {
			int64_t sl = sh->slot + off / SHIFTS_SLOT;
			if (sl >= 0 && (size_t)sl < b.n_slots && !in_break(t, off))
				out.planned[sh->skill * b.n_slots + (size_t)sl]++;
		}
	}
	for (size_t c = 0; c < cells; c++)
		if (p->required[c] > out.planned[c])
			out.short_slots += p->required[c] - out.planned[c];

	xfree(xg);
	xfree(xs);
	xfree(g.cap_left);
	xfree(g.rstart);
	xfree(g.rcol);
	ilp_free(&s);
	build_free(&b);
	*ret = out;
	return 0;
}

void shifts_plan_free(struct shifts_plan *p)
{
	if (!p)
		return;
	xfree(p->shifts);
	xfree(p->planned);
	p->shifts = NULL;
	p->planned = NULL;
}
