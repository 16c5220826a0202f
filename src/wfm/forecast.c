/* Volume forecasts (see forecast.h). Room: wfm.
 *
 * One pipeline, run on the whole history for the forecast and on each prefix that
 * ends before a backtest week:
 *   1. profiles: per weekday the share of each slot in the day's arrivals, over the
 *      last FORECAST_PROFILE_WEEKS plain days of that weekday (no special day, no
 *      daylight-saving change), weighted FORECAST_PROFILE_DECAY^j for the j-th most
 *      recent; a weekday without arrivals takes the profile of all weekdays pooled,
 *      a history without arrivals a flat one; a weekday without arrivals on each of
 *      at least FORECAST_CLOSED_DAYS such days is closed;
 *   2. the daily series: each day's total divided by the share of a standard day its
 *      slots cover (1 except on daylight-saving days), special days marked missing;
 *   3. Holt-Winters, season by weekday: initial level, trend and season from the
 *      first up to four weeks (week means give level and trend, the detrended days
 *      the season); alpha, beta and gamma in [0, 1] by a fixed grid and then
 *      Nelder-Mead from its best point, minimising the sum of squared one-step
 *      errors; a missing day advances the state without an update (level + trend,
 *      season kept). Multiplicative is tried only when every fitted day has
 *      arrivals; "auto" keeps the lower error, additive on a tie (within 1e-12 of the
 *      sum of squares of the series);
 *   4. special-day factors: actual / one-step forecast summed over the holidays
 *      (bridge days) of the history.
 * A forecast h days after the last history day is level + h * trend with the
 * weekday's season (added or multiplied), never below 0, times the special-day and
 * peak factors, spread over the slots by the profile; 0 on a closed weekday (a
 * holiday follows its own rule).
 *
 * Invariants: deterministic (fixed grid, fixed simplex, ties to the first); no
 * allocation that a user controls beyond the limits checked in forecast_run();
 * scratch with xcalloc, freed before returning; results in the caller's arena. */
#include "wfm/forecast.h"

#include <jansson.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "core/parse.h"
#include "core/timeutil.h"

#define SUNDAY      6
#define INIT_WEEKS  4    /* weeks that initialise level, trend and season */
#define NM_MAX_ITER 300  /* Nelder-Mead iterations */
#define NM_TOL      1e-7 /* simplex size at which Nelder-Mead stops */
#define MULT_EPS    1e-9 /* a multiplicative state at or below this is invalid */

static const char *const seasonality_names[_FORECAST_SEASONALITY_MAX] = {
        [FORECAST_AUTO] = "auto",
        [FORECAST_ADDITIVE] = "additive",
        [FORECAST_MULTIPLICATIVE] = "multiplicative",
};

static const char *const special_names[_FORECAST_SPECIAL_MAX] = {
        [FORECAST_NORMAL] = "normal",
        [FORECAST_HOLIDAY] = "holiday",
        [FORECAST_BRIDGE] = "bridge",
};

const char *forecast_seasonality_to_string(enum forecast_seasonality s)
{
	return (unsigned)s < _FORECAST_SEASONALITY_MAX ? seasonality_names[s] : NULL;
}

int forecast_seasonality_from_string(const char *s)
{
	for (int i = 0; s && i < _FORECAST_SEASONALITY_MAX; i++)
		if (strcmp(s, seasonality_names[i]) == 0)
			return i;
	return -EINVAL;
}

const char *forecast_special_to_string(enum forecast_special s)
{
	return (unsigned)s < _FORECAST_SPECIAL_MAX ? special_names[s] : NULL;
}

unsigned forecast_weekday(int32_t day)
{
	int64_t w = ((int64_t)day + 3) % 7; /* 1970-01-01 was a Thursday */
	return (unsigned)(w < 0 ? w + 7 : w);
}

/* ---- dates and peaks ---- */

static int two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* "YYYY-MM-DD" in exactly n bytes. */
static int date_parse_n(const char *s, size_t n, int32_t *ret)
{
	if (n != 10 || s[4] != '-' || s[7] != '-')
		return -EINVAL;
	int hi = two_digits(s), lo = two_digits(s + 2), m = two_digits(s + 5), d = two_digits(s + 8);
	if (hi < 0 || lo < 0 || m < 1 || m > 12 || d < 1 || d > 31)
		return -EINVAL;
	int y = hi * 100 + lo;
	if (y < 1970)
		return -EINVAL;
	int64_t days = time_days_from_civil(y, (unsigned)m, (unsigned)d);
	int64_t yy;
	unsigned mm, dd;
	time_civil_from_days(days, &yy, &mm, &dd);
	if (yy != y || mm != (unsigned)m || dd != (unsigned)d) /* 2026-02-30 */
		return -EINVAL;
	*ret = (int32_t)days;
	return 0;
}

int forecast_date_parse(const char *s, int32_t *ret)
{
	return s ? date_parse_n(s, strlen(s), ret) : -EINVAL;
}

char *forecast_date_format(int32_t day, char *buf, size_t n)
{
	int64_t y;
	unsigned m, d;
	time_civil_from_days(day, &y, &m, &d);
	snprintf(buf, n, "%04lld-%02u-%02u", (long long)y, m, d);
	return buf;
}

int forecast_interval_parse(const char *s, unsigned *ret)
{
	char num[16];
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n + 1);
	int64_t unit = 0;
	if (num[n - 1] == 's' || num[n - 1] == 'm' || num[n - 1] == 'h') {
		unit = num[n - 1] == 'h' ? 3600 : num[n - 1] == 'm' ? 60 : 1;
		num[n - 1] = '\0';
	}
	int64_t v;
	if (parse_i64(num, 1, 86400, &v) < 0)
		return -EINVAL;
	if (!unit) /* plain: minutes when 15, 30 or 60, else seconds */
		unit = v == 15 || v == 30 || v == 60 ? 60 : 1;
	v *= unit;
	if (v != 900 && v != 1800 && v != 3600)
		return -EINVAL;
	*ret = (unsigned)v;
	return 0;
}

int forecast_peak_parse(const char *s, struct forecast_peak *ret, struct lserr *e)
{
	const char *colon = s ? strrchr(s, ':') : NULL;
	if (!colon)
		return lserr_set(e, -EINVAL, "invalid_field", "peak",
		                 "peak must be FIRST..LAST:FACTOR (2026-12-01..2026-12-24:1.4), not '%.60s'",
		                 s ? s : "");
	struct forecast_peak p;
	const char *dots = strstr(s, "..");
	if (dots && dots < colon) {
		if (date_parse_n(s, (size_t)(dots - s), &p.first) < 0 ||
		    date_parse_n(dots + 2, (size_t)(colon - dots - 2), &p.last) < 0)
			return lserr_set(e, -EINVAL, "invalid_field", "peak",
			                 "peak '%.60s': dates must be YYYY-MM-DD..YYYY-MM-DD", s);
	} else if (date_parse_n(s, (size_t)(colon - s), &p.first) < 0) {
		return lserr_set(e, -EINVAL, "invalid_field", "peak", "peak '%.60s': the date must be YYYY-MM-DD", s);
	} else {
		p.last = p.first;
	}
	if (p.last < p.first)
		return lserr_set(e, -EINVAL, "invalid_field", "peak", "peak '%.60s' ends before it begins", s);
	if (parse_double(colon + 1, 0.0, 1000.0, &p.factor) < 0)
		return lserr_set(e, -EINVAL, "invalid_field", "peak",
		                 "peak '%.60s': the factor must be a number from 0 to 1000", s);
	*ret = p;
	return 0;
}

/* ---- special days ---- */

int forecast_special_days(enum holidays_region r, int32_t first, size_t n, uint8_t *ret, struct lserr *e)
{
	if ((int)r < 0 || r >= _HOLIDAYS_REGION_MAX)
		return lserr_set(e, -EINVAL, "invalid_field", "region", "unknown holiday region");
	/* hol[j]: day first - 1 + j is a holiday, j = 0 .. n + 1 */
	_cleanup_free_ uint8_t *hol = xcalloc(n + 2, 1);
	if (r != HOLIDAYS_NONE && n > 0) {
		int64_t y0, y1;
		unsigned m, d;
		time_civil_from_days((int64_t)first - 1, &y0, &m, &d);
		time_civil_from_days((int64_t)first + (int64_t)n, &y1, &m, &d);
		if (y0 < HOLIDAYS_FIRST_YEAR)
			y0 = HOLIDAYS_FIRST_YEAR;
		if (y1 > HOLIDAYS_LAST_YEAR)
			y1 = HOLIDAYS_LAST_YEAR;
		for (int64_t y = y0; y <= y1; y++) {
			struct holiday h[HOLIDAYS_MAX_PER_YEAR];
			size_t nh;
			int rc = holidays_year(r, (int)y, h, &nh, e);
			if (rc < 0)
				return rc;
			for (size_t i = 0; i < nh; i++) {
				int64_t j = (int64_t)h[i].day - ((int64_t)first - 1);
				if (j >= 0 && j < (int64_t)n + 2)
					hol[j] = 1;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		int32_t day = (int32_t)((int64_t)first + (int64_t)i);
		if (hol[i + 1]) {
			ret[i] = FORECAST_HOLIDAY;
			continue;
		}
		bool before_off = hol[i] || forecast_weekday(day - 1) >= 5;
		bool after_off = hol[i + 2] || forecast_weekday(day + 1) >= 5;
		ret[i] = forecast_weekday(day) < 5 && before_off && after_off && (hol[i] || hol[i + 2])
		                 ? FORECAST_BRIDGE
		                 : FORECAST_NORMAL;
	}
	return 0;
}

/* ---- Holt-Winters ---- */

struct hw_state {
	double level, trend;
	double season[FORECAST_SEASON]; /* by weekday */
};

/* The daily series of one fit. */
struct series {
	const double *y;
	const uint8_t *skip; /* 1: missing (special day) */
	size_t n;
	unsigned wd0; /* weekday of day 0 */
};

static double hw_predict(const struct hw_state *s, bool mult, double h, unsigned wd)
{
	double base = s->level + h * s->trend;
	return mult ? base * s->season[wd] : base + s->season[wd];
}

/* Runs the recursions over x from state *st (updated to the final state). Writes the
 * one-step forecast of every day to yhat when given. Returns the sum of squared
 * errors over the days not skipped, their number in *ret_n; INFINITY when a
 * multiplicative state turns non-positive or anything stops being finite. */
static double hw_pass(const struct series *x, bool mult, const double p[3], struct hw_state *st, double *yhat,
                      size_t *ret_n)
{
	const double a = p[0], b = p[1], g = p[2];
	double sse = 0.0;
	size_t n_obs = 0;
	for (size_t t = 0; t < x->n; t++) {
		const unsigned w = (unsigned)((x->wd0 + t) % FORECAST_SEASON);
		const double prev = st->level + st->trend;
		const double f = mult ? prev * st->season[w] : prev + st->season[w];
		if (yhat)
			yhat[t] = f;
		if (x->skip[t]) {
			st->level = prev;
			continue;
		}
		const double y = x->y[t];
		const double err = y - f;
		sse += err * err;
		n_obs++;
		double level;
		if (mult) {
			if (!(st->season[w] > MULT_EPS) || !(prev > MULT_EPS))
				return INFINITY;
			level = a * (y / st->season[w]) + (1.0 - a) * prev;
			st->season[w] = g * (y / prev) + (1.0 - g) * st->season[w];
		} else {
			level = a * (y - st->season[w]) + (1.0 - a) * prev;
			st->season[w] = g * (y - prev) + (1.0 - g) * st->season[w];
		}
		st->trend = b * (level - st->level) + (1.0 - b) * st->trend;
		st->level = level;
	}
	if (ret_n)
		*ret_n = n_obs;
	return isfinite(sse) && isfinite(st->level) && isfinite(st->trend) ? sse : INFINITY;
}

/* Initial state from the first weeks: the line through the first and the last week
 * mean gives level (one day before day 0) and trend; each weekday's season is the
 * mean deviation (ratio) of its days from that line, normalised to sum 0 (mean 1).
 * Returns false when fewer than two weeks have data or, multiplicative, the line
 * is not positive. */
static bool hw_init(const struct series *x, bool mult, struct hw_state *st)
{
	size_t weeks = x->n / FORECAST_SEASON;
	if (weeks > INIT_WEEKS)
		weeks = INIT_WEEKS;
	double mean[INIT_WEEKS];
	int first = -1, last = -1;
	for (size_t j = 0; j < weeks; j++) {
		double sum = 0.0;
		size_t k = 0;
		for (size_t t = j * FORECAST_SEASON; t < (j + 1) * FORECAST_SEASON; t++)
			if (!x->skip[t]) {
				sum += x->y[t];
				k++;
			}
		mean[j] = k ? sum / (double)k : NAN;
		if (k) {
			if (first < 0)
				first = (int)j;
			last = (int)j;
		}
	}
	if (first < 0 || last == first)
		return false;
	const double trend = (mean[last] - mean[first]) / (double)(FORECAST_SEASON * (last - first));
	/* the mean of week j lies on the line at day 7j + 3, one day before day 0 is -1 */
	const double level = mean[first] - trend * (double)(FORECAST_SEASON * first + 4);
	double sum[FORECAST_SEASON] = {0}, cnt[FORECAST_SEASON] = {0};
	for (size_t t = 0; t < weeks * FORECAST_SEASON; t++) {
		if (x->skip[t])
			continue;
		const double line = level + trend * (double)(t + 1);
		const unsigned w = (unsigned)((x->wd0 + t) % FORECAST_SEASON);
		if (mult) {
			if (!(line > MULT_EPS))
				return false;
			sum[w] += x->y[t] / line;
		} else {
			sum[w] += x->y[t] - line;
		}
		cnt[w] += 1.0;
	}
	double total = 0.0;
	for (unsigned w = 0; w < FORECAST_SEASON; w++) {
		st->season[w] = cnt[w] > 0.0 ? sum[w] / cnt[w] : (mult ? 1.0 : 0.0);
		total += st->season[w];
	}
	for (unsigned w = 0; w < FORECAST_SEASON; w++) {
		if (mult)
			st->season[w] = total > 0.0 ? st->season[w] * FORECAST_SEASON / total : 1.0;
		else
			st->season[w] -= total / FORECAST_SEASON;
	}
	if (mult)
		for (unsigned w = 0; w < FORECAST_SEASON; w++)
			if (!(st->season[w] > MULT_EPS))
				return false;
	st->level = level;
	st->trend = trend;
	return true;
}

static double hw_sse(const struct series *x, bool mult, const struct hw_state *init, const double p[3])
{
	struct hw_state s = *init;
	return hw_pass(x, mult, p, &s, NULL, NULL);
}

static void clamp01(double p[3])
{
	for (int i = 0; i < 3; i++)
		p[i] = p[i] < 0.0 ? 0.0 : p[i] > 1.0 ? 1.0 : p[i];
}

/* Nelder-Mead in the unit cube (points are clamped into it) from p, which holds the
 * best point found on return; returns its error. */
static double nelder_mead(const struct series *x, bool mult, const struct hw_state *init, double p[3], double fp)
{
	double s[4][3], f[4];
	memcpy(s[0], p, sizeof(s[0]));
	f[0] = fp;
	for (int i = 0; i < 3; i++) {
		memcpy(s[i + 1], p, sizeof(s[0]));
		s[i + 1][i] += p[i] + 0.1 <= 1.0 ? 0.1 : -0.1;
		f[i + 1] = hw_sse(x, mult, init, s[i + 1]);
	}
	for (int iter = 0; iter < NM_MAX_ITER; iter++) {
		/* order by error, ties keep their place */
		for (int i = 1; i < 4; i++)
			for (int j = i; j > 0 && f[j] < f[j - 1]; j--) {
				double tf = f[j];
				f[j] = f[j - 1];
				f[j - 1] = tf;
				double tp[3];
				memcpy(tp, s[j], sizeof(tp));
				memcpy(s[j], s[j - 1], sizeof(tp));
				memcpy(s[j - 1], tp, sizeof(tp));
			}
		double size = 0.0;
		for (int i = 1; i < 4; i++)
			for (int k = 0; k < 3; k++)
				size = fmax(size, fabs(s[i][k] - s[0][k]));
		if (size < NM_TOL || !(f[3] > f[0]))
			break;
		double c[3], xr[3], xe[3], xc[3];
		for (int k = 0; k < 3; k++)
			c[k] = (s[0][k] + s[1][k] + s[2][k]) / 3.0;
		for (int k = 0; k < 3; k++)
			xr[k] = c[k] + (c[k] - s[3][k]);
		clamp01(xr);
		double fr = hw_sse(x, mult, init, xr);
		if (fr < f[0]) {
			for (int k = 0; k < 3; k++)
				xe[k] = c[k] + 2.0 * (c[k] - s[3][k]);
			clamp01(xe);
			double fe = hw_sse(x, mult, init, xe);
			if (fe < fr) {
				memcpy(s[3], xe, sizeof(xe));
				f[3] = fe;
			} else {
				memcpy(s[3], xr, sizeof(xr));
				f[3] = fr;
			}
			continue;
		}
		if (fr < f[2]) {
			memcpy(s[3], xr, sizeof(xr));
			f[3] = fr;
			continue;
		}
		const bool outside = fr < f[3];
		for (int k = 0; k < 3; k++)
			xc[k] = outside ? c[k] + 0.5 * (xr[k] - c[k]) : c[k] + 0.5 * (s[3][k] - c[k]);
		double fc = hw_sse(x, mult, init, xc);
		if (fc < (outside ? fr : f[3])) {
			memcpy(s[3], xc, sizeof(xc));
			f[3] = fc;
			continue;
		}
		for (int i = 1; i < 4; i++) {
			for (int k = 0; k < 3; k++)
				s[i][k] = s[0][k] + 0.5 * (s[i][k] - s[0][k]);
			f[i] = hw_sse(x, mult, init, s[i]);
		}
	}
	int best = 0;
	for (int i = 1; i < 4; i++)
		if (f[i] < f[best])
			best = i;
	memcpy(p, s[best], sizeof(s[0]));
	return f[best];
}

/* Fits one seasonality: initial state, grid, Nelder-Mead. Returns the error, INFINITY
 * when the seasonality cannot be fitted; *init and p as fitted. */
static double hw_fit(const struct series *x, bool mult, struct hw_state *init, double p[3])
{
	static const double alphas[] = {0.02, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9};
	static const double betas[] = {0.0, 0.01, 0.05, 0.15, 0.3};
	static const double gammas[] = {0.0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7};
	if (!hw_init(x, mult, init))
		return INFINITY;
	double best = INFINITY;
	for (size_t i = 0; i < ELEMENTSOF(alphas); i++)
		for (size_t j = 0; j < ELEMENTSOF(betas); j++)
			for (size_t k = 0; k < ELEMENTSOF(gammas); k++) {
				double q[3] = {alphas[i], betas[j], gammas[k]};
				double f = hw_sse(x, mult, init, q);
				if (f < best) {
					best = f;
					memcpy(p, q, sizeof(q));
				}
			}
	if (!isfinite(best))
		return INFINITY;
	if (best > 0.0)
		best = nelder_mead(x, mult, init, p, best);
	return best;
}

/* ---- the pipeline ---- */

/* The input as the pipeline reads it, plus what every fit shares. */
struct ctx {
	const struct forecast_input *in;
	const uint8_t *kind;  /* n_days special-day kinds of the history */
	const uint8_t *plain; /* n_days: 1 when every slot occurs once */
	double *total;        /* n_days arrivals per day */
	/* scratch of one fit, n_days each */
	double *y, *yhat;
	uint8_t *skip;
};

/* A fit on the first n history days. */
struct fitted {
	struct forecast_model m;
	struct hw_state end;
	int32_t last_day;
	double *profile; /* FORECAST_SEASON * slots */
};

static uint8_t mult_at(const uint8_t *mult, size_t i)
{
	return mult ? mult[i] : 1;
}

/* Intraday profiles into prof (FORECAST_SEASON * slots); closed[w] for a weekday
 * without arrivals on any of at least FORECAST_CLOSED_DAYS recent plain days. */
static void profiles(const struct ctx *c, size_t n, double *prof, bool *closed)
{
	const unsigned slots = c->in->slots;
	const double *vol = c->in->volume;
	_cleanup_free_ double *num = xcalloc((size_t)FORECAST_SEASON * slots, sizeof(double));
	double den[FORECAST_SEASON] = {0};
	unsigned used[FORECAST_SEASON] = {0};
	double weight[FORECAST_SEASON];
	for (unsigned w = 0; w < FORECAST_SEASON; w++)
		weight[w] = 1.0;
	for (size_t t = n; t-- > 0;) {
		const unsigned w = forecast_weekday(c->in->first_day + (int32_t)t);
		if (c->kind[t] != FORECAST_NORMAL || !c->plain[t] || used[w] >= FORECAST_PROFILE_WEEKS)
			continue;
		for (unsigned k = 0; k < slots; k++)
			num[w * slots + k] += weight[w] * vol[t * slots + k];
		den[w] += weight[w] * c->total[t];
		weight[w] *= FORECAST_PROFILE_DECAY;
		used[w]++;
	}
	double pooled_den = 0.0;
	for (unsigned w = 0; w < FORECAST_SEASON; w++) {
		pooled_den += den[w];
		closed[w] = den[w] == 0.0 && used[w] >= FORECAST_CLOSED_DAYS;
	}
	for (unsigned w = 0; w < FORECAST_SEASON; w++)
		for (unsigned k = 0; k < slots; k++) {
			double v;
			if (den[w] > 0.0) {
				v = num[w * slots + k] / den[w];
			} else if (pooled_den > 0.0) {
				double s = 0.0;
				for (unsigned u = 0; u < FORECAST_SEASON; u++)
					s += num[u * slots + k];
				v = s / pooled_den;
			} else {
				v = 1.0 / slots;
			}
			prof[w * slots + k] = v;
		}
}

/* The share of a standard day that the slots of a day with multiplicities mult cover. */
static double day_cover(const double *profile, const uint8_t *mult, unsigned slots)
{
	if (!mult)
		return 1.0;
	double z = 0.0;
	for (unsigned k = 0; k < slots; k++)
		z += mult[k] * profile[k];
	return z;
}

static int fit(const struct ctx *c, struct arena *a, size_t n, struct fitted *ret)
{
	const struct forecast_input *in = c->in;
	const unsigned slots = in->slots;
	struct fitted f = {.last_day = in->first_day + (int32_t)(n - 1)};
	f.profile = arena_alloc(a, (size_t)FORECAST_SEASON * slots * sizeof(double));
	profiles(c, n, f.profile, f.m.closed);
	for (size_t t = 0; t < n; t++) {
		const unsigned w = forecast_weekday(in->first_day + (int32_t)t);
		double z = c->plain[t] ? 1.0 : day_cover(f.profile + w * slots, in->mult + t * slots, slots);
		c->y[t] = z > 0.0 ? c->total[t] / z : c->total[t];
		c->skip[t] = c->kind[t] != FORECAST_NORMAL;
	}
	struct series x = {.y = c->y, .skip = c->skip, .n = n, .wd0 = forecast_weekday(in->first_day)};

	bool positive = true;
	double sum_sq = 0.0;
	for (size_t t = 0; t < n; t++)
		if (!x.skip[t]) {
			positive = positive && x.y[t] > 0.0;
			sum_sq += x.y[t] * x.y[t];
		}
	struct hw_state init_add, init_mul;
	double p_add[3] = {0}, p_mul[3] = {0};
	double e_add = INFINITY, e_mul = INFINITY;
	if (in->seasonality != FORECAST_MULTIPLICATIVE)
		e_add = hw_fit(&x, false, &init_add, p_add);
	if (in->seasonality == FORECAST_MULTIPLICATIVE || (in->seasonality == FORECAST_AUTO && positive))
		e_mul = hw_fit(&x, true, &init_mul, p_mul);
	/* rounding noise does not pick multiplicative: a tie (both exact) stays additive */
	const bool mult = e_mul + 1e-12 * sum_sq < e_add;
	if (!isfinite(mult ? e_mul : e_add))
		return -EINVAL;
	const double *p = mult ? p_mul : p_add;
	f.end = mult ? init_mul : init_add;
	size_t n_obs = 0;
	double sse = hw_pass(&x, mult, p, &f.end, c->yhat, &n_obs);
	if (!isfinite(sse))
		return -EINVAL;

	double hol_y = 0.0, hol_f = 0.0, br_y = 0.0, br_f = 0.0;
	size_t hol_n = 0, br_n = 0;
	for (size_t t = 0; t < n; t++) {
		const double yh = fmax(0.0, c->yhat[t]);
		if (c->kind[t] == FORECAST_HOLIDAY) {
			hol_y += x.y[t];
			hol_f += yh;
			hol_n++;
		} else if (c->kind[t] == FORECAST_BRIDGE) {
			br_y += x.y[t];
			br_f += yh;
			br_n++;
		}
	}
	bool closed[FORECAST_SEASON];
	memcpy(closed, f.m.closed, sizeof(closed));
	f.m = (struct forecast_model){
	        .seasonality = mult ? FORECAST_MULTIPLICATIVE : FORECAST_ADDITIVE,
	        .alpha = p[0],
	        .beta = p[1],
	        .gamma = p[2],
	        .level = f.end.level,
	        .trend = f.end.trend,
	        .rmse = n_obs ? sqrt(sse / (double)n_obs) : 0.0,
	        .fitted_days = n_obs,
	        .holiday_factor = hol_f > 0.0 ? hol_y / hol_f : 1.0,
	        .holiday_days = hol_n,
	        .holiday_learned = hol_f > 0.0,
	        .bridge_factor = br_f > 0.0 ? br_y / br_f : 1.0,
	        .bridge_days = br_n,
	};
	memcpy(f.m.season, f.end.season, sizeof(f.m.season));
	memcpy(f.m.closed, closed, sizeof(closed));
	*ret = f;
	return 0;
}

static double peak_factor(const struct forecast_input *in, int32_t day, bool *ret_in_peak)
{
	double f = 1.0;
	*ret_in_peak = false;
	for (size_t i = 0; i < in->n_peaks; i++)
		if (day >= in->peaks[i].first && day <= in->peaks[i].last) {
			f *= in->peaks[i].factor;
			*ret_in_peak = true;
		}
	return f;
}

/* The forecast of one day from fit f: per-occurrence slot volumes into vol (slots),
 * the day into *d (total over the occurrences given by mult, NULL: one each). */
static void predict_day(const struct fitted *f, const struct forecast_input *in, int32_t day,
                        enum forecast_special special, const uint8_t *mult, double *vol, struct forecast_day *d)
{
	const bool mul = f->m.seasonality == FORECAST_MULTIPLICATIVE;
	const double h = (double)day - (double)f->last_day;
	const unsigned w = forecast_weekday(day);
	const double base = fmax(0.0, hw_predict(&f->end, mul, h, w));
	double total = base, factor = 1.0;
	const double *prof = f->profile + (size_t)w * in->slots;
	if (special == FORECAST_HOLIDAY) {
		prof = f->profile + (size_t)SUNDAY * in->slots;
		if (f->m.holiday_learned)
			total = base * f->m.holiday_factor;
		else
			total = f->m.closed[SUNDAY] ? 0.0 : fmax(0.0, hw_predict(&f->end, mul, h, SUNDAY));
		factor = base > 0.0 ? total / base : 1.0;
	} else if (f->m.closed[w]) {
		total = 0.0;
	} else if (special == FORECAST_BRIDGE) {
		total = base * f->m.bridge_factor;
		factor = f->m.bridge_factor;
	}
	bool in_peak;
	const double pf = peak_factor(in, day, &in_peak);
	total *= pf;
	factor *= pf;
	double sum = 0.0;
	for (unsigned k = 0; k < in->slots; k++) {
		vol[k] = total * prof[k];
		sum += mult_at(mult, k) * vol[k];
	}
	*d = (struct forecast_day){.day = day, .total = sum, .special = special, .peak = in_peak, .factor = factor};
}

static double ratio(double num, double den)
{
	return den > 0.0 ? num / den : NAN;
}

static void backtest(const struct ctx *c, struct arena *a, struct forecast_backtest *bt)
{
	const struct forecast_input *in = c->in;
	const unsigned slots = in->slots;
	*bt = (struct forecast_backtest){0};
	size_t weeks = 0;
	for (size_t k = in->backtest_weeks; k >= 1; k--)
		if (k * FORECAST_SEASON + FORECAST_MIN_HISTORY <= in->n_days)
			weeks++;
	bt->weeks = (unsigned)weeks;
	bt->days = arena_zalloc(a, (weeks ? weeks : 1) * FORECAST_SEASON * sizeof(*bt->days));
	_cleanup_free_ double *vol = xcalloc(slots, sizeof(double));
	double abs_sum = 0.0, day_abs = 0.0, act = 0.0, fc = 0.0;
	for (size_t k = weeks; k >= 1; k--) {
		const size_t origin = in->n_days - k * FORECAST_SEASON;
		struct arena scratch = ARENA_INIT;
		struct fitted f;
		if (fit(c, &scratch, origin, &f) < 0) { /* e.g. no arrivals in the first weeks */
			arena_release(&scratch);
			bt->weeks--;
			continue;
		}
		for (size_t i = 0; i < FORECAST_SEASON; i++) {
			const size_t t = origin + i;
			const uint8_t *mult = in->mult ? in->mult + t * slots : NULL;
			struct forecast_day d;
			predict_day(&f, in, in->first_day + (int32_t)t, (enum forecast_special)c->kind[t], mult, vol,
			            &d);
			double e = 0.0;
			for (unsigned s = 0; s < slots; s++)
				e += fabs(in->volume[t * slots + s] - mult_at(mult, s) * vol[s]);
			struct forecast_backtest_day *b = &bt->days[bt->n_days++];
			*b = (struct forecast_backtest_day){
			        .day = d.day,
			        .actual = c->total[t],
			        .forecast = d.total,
			        .abs_error = e,
			        .wape = ratio(e, c->total[t]),
			        .bias = ratio(d.total - c->total[t], c->total[t]),
			};
			abs_sum += e;
			day_abs += fabs(d.total - c->total[t]);
			act += c->total[t];
			fc += d.total;
		}
		arena_release(&scratch);
	}
	bt->actual = act;
	bt->forecast = fc;
	bt->wape = ratio(abs_sum, act);
	bt->bias = ratio(fc - act, act);
	bt->daily_wape = ratio(day_abs, act);
}

static int check_input(const struct forecast_input *in, struct lserr *e)
{
	if (in->slots < 1 || in->slots > LS_MAX_FORECAST_SLOTS || 86400 % in->slots != 0)
		return lserr_set(e, -EINVAL, "invalid_field", "interval",
		                 "the interval must divide a day into at most %d slots", LS_MAX_FORECAST_SLOTS);
	if (in->n_days > LS_MAX_FORECAST_HISTORY_DAYS)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "history",
		                 "a history of %zu days is longer than %d days", in->n_days,
		                 LS_MAX_FORECAST_HISTORY_DAYS);
	if (in->n_days < FORECAST_MIN_HISTORY || !in->volume)
		return lserr_set(e, -EINVAL, "invalid_field", "history",
		                 "a history of %zu days is too short: a forecast needs at least %d days", in->n_days,
		                 FORECAST_MIN_HISTORY);
	if (in->days < 1 || in->days > LS_MAX_FORECAST_DAYS)
		return lserr_set(e, -EINVAL, "invalid_field", "days", "days must be 1 to %d, not %zu",
		                 LS_MAX_FORECAST_DAYS, in->days);
	if ((int64_t)in->from <= (int64_t)in->first_day + (int64_t)in->n_days - 1)
		return lserr_set(e, -EINVAL, "invalid_field", "from", "the forecast must begin after the history");
	if ((int64_t)in->from + (int64_t)in->days > INT32_MAX)
		return lserr_set(e, -EINVAL, "invalid_field", "from", "the forecast ends beyond the calendar");
	if (in->n_peaks > LS_MAX_FORECAST_PEAKS)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "peak", "at most %d peaks", LS_MAX_FORECAST_PEAKS);
	for (size_t i = 0; i < in->n_peaks; i++)
		if (!(in->peaks[i].factor >= 0.0 && isfinite(in->peaks[i].factor)) ||
		    in->peaks[i].last < in->peaks[i].first)
			return lserr_set(e, -EINVAL, "invalid_field", "peak", "peak %zu is invalid", i + 1);
	if (in->backtest_weeks > LS_MAX_FORECAST_BACKTEST_WEEKS)
		return lserr_set(e, -EINVAL, "invalid_field", "backtest_weeks", "backtest_weeks must be 0 to %d",
		                 LS_MAX_FORECAST_BACKTEST_WEEKS);
	if ((unsigned)in->seasonality >= _FORECAST_SEASONALITY_MAX)
		return lserr_set(e, -EINVAL, "invalid_field", "model", "unknown seasonality");
	const size_t cells = in->n_days * in->slots;
	for (size_t i = 0; i < cells; i++) {
		if (!(in->volume[i] >= 0.0) || !isfinite(in->volume[i]))
			return lserr_set(e, -EINVAL, "invalid_field", "history",
			                 "history day %zu, slot %zu: arrivals must be a finite number >= 0",
			                 i / in->slots + 1, i % in->slots + 1);
		if (in->mult && in->mult[i] > 2)
			return lserr_set(e, -EINVAL, "invalid_field", "history", "a slot occurs at most twice a day");
	}
	for (size_t i = 0; in->future_mult && i < in->days * in->slots; i++)
		if (in->future_mult[i] > 2)
			return lserr_set(e, -EINVAL, "invalid_field", "history", "a slot occurs at most twice a day");
	return 0;
}

int forecast_run(struct arena *a, const struct forecast_input *in, struct forecast_result *ret, struct lserr *e)
{
	int r = check_input(in, e);
	if (r < 0)
		return r;
	const unsigned slots = in->slots;
	const size_t n = in->n_days;
	_cleanup_free_ uint8_t *kind = xcalloc(n, 1);
	_cleanup_free_ uint8_t *plain = xcalloc(n, 1);
	_cleanup_free_ uint8_t *future = xcalloc(in->days, 1);
	_cleanup_free_ double *total = xcalloc(n, sizeof(double));
	_cleanup_free_ double *y = xcalloc(n, sizeof(double));
	_cleanup_free_ double *yhat = xcalloc(n, sizeof(double));
	_cleanup_free_ uint8_t *skip = xcalloc(n, 1);
	if ((r = forecast_special_days(in->region, in->first_day, n, kind, e)) < 0 ||
	    (r = forecast_special_days(in->region, in->from, in->days, future, e)) < 0)
		return r;
	for (size_t t = 0; t < n; t++) {
		double s = 0.0;
		bool p = true;
		for (unsigned k = 0; k < slots; k++) {
			s += in->volume[t * slots + k];
			if (mult_at(in->mult, t * slots + k) != 1)
				p = false;
		}
		total[t] = s;
		plain[t] = p;
	}
	struct ctx c = {.in = in, .kind = kind, .plain = plain, .total = total, .y = y, .yhat = yhat, .skip = skip};

	struct forecast_result res = {.slots = slots, .n_days = in->days};
	struct fitted f;
	if (fit(&c, a, n, &f) < 0) {
		if (in->seasonality == FORECAST_MULTIPLICATIVE)
			return lserr_set(
			        e, -EINVAL, "invalid_field", "model",
			        "a multiplicative season needs arrivals on every normal day of its first weeks");
		return lserr_set(e, -EINVAL, "invalid_field", "history",
		                 "the history cannot be fitted: its first two weeks hold no normal day");
	}
	res.model = f.m;
	res.days = arena_alloc(a, in->days * sizeof(*res.days));
	res.volume = arena_alloc(a, in->days * slots * sizeof(double));
	for (size_t i = 0; i < in->days; i++) {
		const uint8_t *mult = in->future_mult ? in->future_mult + i * slots : NULL;
		predict_day(&f, in, in->from + (int32_t)i, (enum forecast_special)future[i], mult,
		            res.volume + i * slots, &res.days[i]);
	}
	backtest(&c, a, &res.backtest);
	*ret = res;
	return 0;
}

/* ---- JSON ---- */

static json_t *real_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *date_json(int32_t day)
{
	char buf[16];
	return json_string(forecast_date_format(day, buf, sizeof(buf)));
}

json_t *forecast_to_json(const struct forecast_result *r, const struct forecast_meta *m)
{
	static const char *const wd[FORECAST_SEASON] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	const struct forecast_model *md = &r->model;
	json_t *season = json_object();
	for (unsigned w = 0; w < FORECAST_SEASON; w++)
		json_object_set_new(season, wd[w], json_real(md->season[w]));
	json_t *model = json_object();
	json_object_set_new(model, "method", json_string("holt_winters"));
	json_object_set_new(model, "seasonality", json_string(forecast_seasonality_to_string(md->seasonality)));
	json_object_set_new(model, "season_length", json_integer(FORECAST_SEASON));
	json_object_set_new(model, "alpha", json_real(md->alpha));
	json_object_set_new(model, "beta", json_real(md->beta));
	json_object_set_new(model, "gamma", json_real(md->gamma));
	json_object_set_new(model, "level", json_real(md->level));
	json_object_set_new(model, "trend", json_real(md->trend));
	json_object_set_new(model, "season", season);
	json_object_set_new(model, "rmse", json_real(md->rmse));
	json_object_set_new(model, "fitted_days", json_integer((json_int_t)md->fitted_days));
	json_object_set_new(model, "holiday_factor", md->holiday_learned ? json_real(md->holiday_factor) : json_null());
	json_object_set_new(model, "holiday_days", json_integer((json_int_t)md->holiday_days));
	json_object_set_new(model, "bridge_factor", json_real(md->bridge_factor));
	json_object_set_new(model, "bridge_days", json_integer((json_int_t)md->bridge_days));
	json_t *closed = json_array();
	for (unsigned w = 0; w < FORECAST_SEASON; w++)
		if (md->closed[w])
			json_array_append_new(closed, json_string(wd[w]));
	json_object_set_new(model, "closed_weekdays", closed);
	json_object_set_new(model, "profile_weeks", json_integer(FORECAST_PROFILE_WEEKS));
	json_object_set_new(model, "profile_decay", json_real(FORECAST_PROFILE_DECAY));

	const struct forecast_backtest *b = &r->backtest;
	json_t *bdays = json_array();
	for (size_t i = 0; i < b->n_days; i++)
		json_array_append_new(bdays,
		                      json_pack("{s:o,s:f,s:f,s:o,s:o}", "date", date_json(b->days[i].day), "actual",
		                                b->days[i].actual, "forecast", b->days[i].forecast, "wape",
		                                real_or_null(b->days[i].wape), "bias", real_or_null(b->days[i].bias)));
	json_t *bt = json_pack("{s:i,s:o,s:o,s:o,s:f,s:f,s:o}", "weeks", (int)b->weeks, "wape", real_or_null(b->wape),
	                       "bias", real_or_null(b->bias), "daily_wape", real_or_null(b->daily_wape), "actual",
	                       b->actual, "forecast", b->forecast, "days", bdays);

	json_t *peaks = json_array();
	for (size_t i = 0; i < m->n_peaks; i++)
		json_array_append_new(peaks, json_pack("{s:o,s:o,s:f}", "first", date_json(m->peaks[i].first), "last",
		                                       date_json(m->peaks[i].last), "factor", m->peaks[i].factor));
	json_t *days = json_array();
	for (size_t i = 0; i < r->n_days; i++) {
		const struct forecast_day *d = &r->days[i];
		const char *special = d->special != FORECAST_NORMAL ? forecast_special_to_string(d->special)
		                      : d->peak                     ? "peak"
		                                                    : NULL;
		json_array_append_new(days, json_pack("{s:o,s:f,s:o}", "date", date_json(d->day), "total", d->total,
		                                      "special", special ? json_string(special) : json_null()));
	}
	json_t *iv = json_array();
	for (size_t i = 0; i < m->n_intervals; i++)
		json_array_append_new(
		        iv, json_pack("{s:s,s:f}", "start", m->intervals[i].start, "volume", m->intervals[i].volume));

	json_t *o = json_object();
	json_object_set_new(o, "client", json_string(m->client));
	json_object_set_new(o, "source", json_string(m->source));
	json_object_set_new(o, "timezone", json_string(m->timezone));
	json_object_set_new(o, "region", json_string(m->region));
	json_object_set_new(o, "interval_seconds", json_integer(m->interval_seconds));
	json_object_set_new(o, "history",
	                    json_pack("{s:o,s:o,s:I}", "first", date_json(m->history_first), "last",
	                              date_json(m->history_last), "days",
	                              (json_int_t)m->history_last - m->history_first + 1));
	json_object_set_new(o, "model", model);
	json_object_set_new(o, "backtest", bt);
	json_object_set_new(o, "peaks", peaks);
	json_object_set_new(o, "days", days);
	json_object_set_new(o, "intervals", iv);
	return o;
}
