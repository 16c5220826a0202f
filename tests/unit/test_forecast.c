/* Tests for wfm/forecast.c on synthetic histories with known answers: a flat series
 * forecasts flat with WAPE 0; a weekly pattern (totals and intraday shapes) is
 * reproduced; a linear trend is extrapolated; a multiplicative season; a weekday
 * without arrivals is closed; holidays and
 * bridge days of a region are left out of the fit and forecast with their learned
 * factor (or as Sundays when the history has none); peaks multiply their range; the
 * backtest's WAPE and bias against a hand-computed week; 23- and 25-hour days;
 * special-day marking; peak and date parsing; validation naming the field;
 * determinism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/limits.h"
#include "core/rng.h"
#include "core/timeutil.h"
#include "wfm/forecast.h"

#define assert_near(got, want, tol)                                                                                    \
	do {                                                                                                           \
		double g_ = (got), w_ = (want);                                                                        \
		if (!(fabs(g_ - w_) <= (tol)))                                                                         \
			fail_msg("%s = %.17g, want %.17g (tolerance %g)", #got, g_, w_, (double)(tol));                \
	} while (0)

static int32_t date(int y, unsigned m, unsigned d)
{
	return (int32_t)time_days_from_civil(y, m, d);
}

/* A history of n days from first with `slots` slots, zeroed. */
struct hist {
	struct forecast_input in;
	double *v;
	uint8_t *mult;
};

static void hist_init(struct hist *h, int32_t first, size_t n, unsigned slots)
{
	h->v = xcalloc(n * slots, sizeof(double));
	h->mult = NULL;
	h->in = (struct forecast_input){
	        .slots = slots,
	        .first_day = first,
	        .n_days = n,
	        .volume = h->v,
	        .from = first + (int32_t)n,
	        .days = 7,
	        .region = HOLIDAYS_NONE,
	        .seasonality = FORECAST_AUTO,
	        .backtest_weeks = 0,
	};
}

static void hist_free(struct hist *h)
{
	xfree(h->v);
	xfree(h->mult);
}

/* Day t gets total spread by shape (slots values summing to 1). */
static void set_day(struct hist *h, size_t t, double total, const double *shape)
{
	for (unsigned k = 0; k < h->in.slots; k++)
		h->v[t * h->in.slots + k] = total * (shape ? shape[k] : 1.0 / h->in.slots);
}

static struct forecast_result run_ok(struct arena *a, const struct forecast_input *in)
{
	struct forecast_result r;
	struct lserr e;
	lserr_clear(&e);
	if (forecast_run(a, in, &r, &e) < 0)
		fail_msg("forecast_run: %s (%s)", e.message, e.field);
	return r;
}

static void run_fails(const struct forecast_input *in, int rc, const char *field)
{
	struct arena a = ARENA_INIT;
	struct forecast_result r;
	struct lserr e;
	lserr_clear(&e);
	assert_int_equal(forecast_run(&a, in, &r, &e), rc);
	assert_string_equal(e.field, field);
	assert_true(e.message[0] != '\0');
	arena_release(&a);
}

static void test_a_flat_series_forecasts_flat_with_wape_zero(void **state)
{
	(void)state;
	struct hist h;
	hist_init(&h, date(2025, 1, 6), 42, 48);
	for (size_t t = 0; t < 42; t++)
		set_day(&h, t, 96.0, NULL);
	h.in.days = 14;
	h.in.backtest_weeks = 4;
	struct arena a = ARENA_INIT;
	struct forecast_result r = run_ok(&a, &h.in);
	assert_int_equal(r.n_days, 14);
	for (size_t i = 0; i < r.n_days; i++) {
		assert_int_equal(r.days[i].day, h.in.from + (int32_t)i);
		assert_near(r.days[i].total, 96.0, 1e-9);
		assert_int_equal(r.days[i].special, FORECAST_NORMAL);
		for (unsigned k = 0; k < 48; k++)
			assert_near(r.volume[i * 48 + k], 2.0, 1e-9);
	}
	assert_int_equal(r.model.seasonality, FORECAST_ADDITIVE); /* a tie keeps additive */
	assert_near(r.model.level, 96.0, 1e-9);
	assert_near(r.model.trend, 0.0, 1e-12);
	assert_near(r.model.rmse, 0.0, 1e-12);
	assert_int_equal(r.backtest.weeks, 4);
	assert_int_equal(r.backtest.n_days, 28);
	assert_near(r.backtest.wape, 0.0, 1e-12);
	assert_near(r.backtest.bias, 0.0, 1e-12);
	assert_near(r.backtest.actual, 28 * 96.0, 1e-9);
	arena_release(&a);
	hist_free(&h);
}

/* Totals by weekday (Monday first) and an intraday shape per weekday over 4 slots. */
static const double week[7] = {120, 140, 130, 110, 100, 30, 10};
static const double shapes[7][4] = {
        {0.1, 0.4, 0.4, 0.1}, {0.1, 0.5, 0.3, 0.1}, {0.2, 0.3, 0.3, 0.2},     {0.1, 0.4, 0.4, 0.1},
        {0.1, 0.6, 0.2, 0.1}, {0.0, 0.5, 0.5, 0.0}, {0.25, 0.25, 0.25, 0.25},
};

static void test_a_pure_weekly_pattern_is_reproduced_per_day_and_interval(void **state)
{
	(void)state;
	struct hist h;
	const int32_t first = date(2025, 1, 8); /* a Wednesday: the season is by weekday, not by position */
	hist_init(&h, first, 35, 4);
	for (size_t t = 0; t < 35; t++) {
		unsigned w = forecast_weekday(first + (int32_t)t);
		set_day(&h, t, week[w], shapes[w]);
	}
	h.in.days = 21;
	h.in.from += 3; /* a gap after the history */
	h.in.backtest_weeks = 3;
	struct arena a = ARENA_INIT;
	struct forecast_result r = run_ok(&a, &h.in);
	for (size_t i = 0; i < r.n_days; i++) {
		unsigned w = forecast_weekday(r.days[i].day);
		assert_near(r.days[i].total, week[w], 1e-9);
		for (unsigned k = 0; k < 4; k++)
			assert_near(r.volume[i * 4 + k], week[w] * shapes[w][k], 1e-9);
	}
	assert_near(r.model.season[0], 120 - 640.0 / 7, 1e-9); /* additive: Monday above the mean */
	assert_int_equal(r.backtest.weeks, 3);
	assert_near(r.backtest.wape, 0.0, 1e-12);
	assert_near(r.backtest.daily_wape, 0.0, 1e-12);
	arena_release(&a);
	hist_free(&h);
}

static void test_a_linear_trend_is_extrapolated(void **state)
{
	(void)state;
	struct hist h;
	const int32_t first = date(2025, 2, 3);
	hist_init(&h, first, 56, 24);
	for (size_t t = 0; t < 56; t++)
		set_day(&h, t, 100.0 + 2.0 * (double)t + (week[forecast_weekday(first + (int32_t)t)] - 640.0 / 7),
		        NULL);
	h.in.days = 28;
	h.in.backtest_weeks = 2;
	struct arena a = ARENA_INIT;
	struct forecast_result r = run_ok(&a, &h.in);
	assert_int_equal(r.model.seasonality, FORECAST_ADDITIVE);
	assert_near(r.model.trend, 2.0, 1e-9);
	assert_near(r.model.level, 100.0 + 2.0 * 55, 1e-9);
	for (size_t i = 0; i < r.n_days; i++) {
		double t = 56.0 + (double)i;
		assert_near(r.days[i].total, 100.0 + 2.0 * t + week[forecast_weekday(r.days[i].day)] - 640.0 / 7, 1e-8);
	}
	assert_near(r.backtest.wape, 0.0, 1e-12);
	arena_release(&a);
	hist_free(&h);
}

static void test_a_multiplicative_season_and_a_closed_weekday(void **state)
{
	(void)state;
	struct hist h;
	const int32_t first = date(2025, 2, 3);
	hist_init(&h, first, 28, 1);
	const double factor[7] = {1.2, 1.4, 1.3, 1.1, 1.0, 0.6, 0.4};
	for (size_t t = 0; t < 28; t++)
		set_day(&h, t, 50.0 * factor[forecast_weekday(first + (int32_t)t)], NULL);
	h.in.seasonality = FORECAST_MULTIPLICATIVE;
	struct arena a = ARENA_INIT;
	struct forecast_result r = run_ok(&a, &h.in);
	assert_int_equal(r.model.seasonality, FORECAST_MULTIPLICATIVE);
	assert_near(r.model.level, 50.0, 1e-9);
	for (size_t i = 0; i < r.n_days; i++)
		assert_near(r.days[i].total, 50.0 * factor[forecast_weekday(r.days[i].day)], 1e-9);
	assert_near(r.model.season[1], 1.4, 1e-12);

	/* closed on Sundays: multiplicative is impossible, auto falls back to additive */
	for (size_t t = 0; t < 28; t++)
		if (forecast_weekday(first + (int32_t)t) == 6)
			h.v[t] = 0.0;
	run_fails(&h.in, -EINVAL, "model");
	h.in.seasonality = FORECAST_AUTO;
	r = run_ok(&a, &h.in);
	assert_int_equal(r.model.seasonality, FORECAST_ADDITIVE);
	assert_true(r.model.closed[6]);
	assert_false(r.model.closed[5]);
	for (size_t i = 0; i < r.n_days; i++) {
		if (forecast_weekday(r.days[i].day) == 6)
			assert_true(r.days[i].total == 0.0); /* closed: no arrivals on its last 4 Sundays */
		else
			assert_true(r.days[i].total > 0.0);
	}
	/* three Sundays are not enough to call the day closed */
	h.in.n_days = 27;
	h.in.from = first + 27;
	r = run_ok(&a, &h.in);
	assert_false(r.model.closed[6]);
	arena_release(&a);
	hist_free(&h);
}

static void test_special_days_of_a_region(void **state)
{
	(void)state;
	uint8_t k[400];
	struct lserr e;
	lserr_clear(&e);
	const int32_t first = date(2023, 1, 1);
	assert_int_equal(forecast_special_days(HOLIDAYS_DE_NW, first, 365, k, &e), 0);
	assert_int_equal(k[date(2023, 10, 3) - first], FORECAST_HOLIDAY); /* Tuesday */
	assert_int_equal(k[date(2023, 10, 2) - first], FORECAST_BRIDGE);  /* Monday before it */
	assert_int_equal(k[date(2023, 5, 18) - first], FORECAST_HOLIDAY); /* Ascension, Thursday */
	assert_int_equal(k[date(2023, 5, 19) - first], FORECAST_BRIDGE);
	assert_int_equal(k[date(2023, 6, 8) - first], FORECAST_HOLIDAY); /* Corpus Christi in NW */
	assert_int_equal(k[date(2023, 6, 9) - first], FORECAST_BRIDGE);
	assert_int_equal(k[date(2023, 11, 1) - first], FORECAST_HOLIDAY); /* All Saints', Wednesday */
	assert_int_equal(k[date(2023, 10, 31) - first], FORECAST_NORMAL); /* not in NW, and Monday is a workday */
	assert_int_equal(k[date(2023, 12, 24) - first], FORECAST_NORMAL); /* Sunday, no holiday */
	assert_int_equal(k[date(2023, 5, 20) - first], FORECAST_NORMAL);  /* the Saturday after a bridge */
	/* Berlin has no Corpus Christi; the day stays a workday */
	assert_int_equal(forecast_special_days(HOLIDAYS_DE_BE, first, 365, k, &e), 0);
	assert_int_equal(k[date(2023, 6, 8) - first], FORECAST_NORMAL);
	assert_int_equal(k[date(2023, 6, 9) - first], FORECAST_NORMAL);
	/* New Year 2026 is a Thursday: Friday 2 January bridges to the weekend */
	assert_int_equal(forecast_special_days(HOLIDAYS_DE, date(2026, 1, 1), 3, k, &e), 0);
	assert_int_equal(k[0], FORECAST_HOLIDAY);
	assert_int_equal(k[1], FORECAST_BRIDGE);
	assert_int_equal(k[2], FORECAST_NORMAL);
	/* the day before the first day counts as a neighbour */
	assert_int_equal(forecast_special_days(HOLIDAYS_DE, date(2026, 1, 2), 1, k, &e), 0);
	assert_int_equal(k[0], FORECAST_BRIDGE);
	assert_int_equal(forecast_special_days(HOLIDAYS_NONE, first, 365, k, &e), 0);
	for (size_t i = 0; i < 365; i++)
		assert_int_equal(k[i], FORECAST_NORMAL);
	assert_int_equal(forecast_special_days((enum holidays_region)99, first, 3, k, &e), -EINVAL);
	assert_string_equal(e.field, "region");
}

/* A weekday pattern through spring 2025 in DE-NW: holidays carry 10 % of a normal day
 * with Sunday's intraday shape, bridge days 60 %. The fit sees only normal days, so it
 * is exact; the factors are learned exactly. */
static void test_holidays_and_bridge_days_are_left_out_and_get_their_factor(void **state)
{
	(void)state;
	struct hist h;
	const int32_t first = date(2025, 3, 3);
	const size_t n = (size_t)(date(2025, 6, 30) - first);
	hist_init(&h, first, n, 4);
	uint8_t *kind = xcalloc(n, 1);
	struct lserr e;
	lserr_clear(&e);
	assert_int_equal(forecast_special_days(HOLIDAYS_DE_NW, first, n, kind, &e), 0);
	size_t hol = 0, br = 0;
	for (size_t t = 0; t < n; t++) {
		unsigned w = forecast_weekday(first + (int32_t)t);
		double f = kind[t] == FORECAST_HOLIDAY ? 0.1 : kind[t] == FORECAST_BRIDGE ? 0.6 : 1.0;
		hol += kind[t] == FORECAST_HOLIDAY;
		br += kind[t] == FORECAST_BRIDGE;
		set_day(&h, t, week[w] * f, kind[t] == FORECAST_HOLIDAY ? shapes[6] : shapes[w]);
	}
	/* Good Friday, Easter Monday, 1 May, Ascension, Whit Monday, Corpus Christi; the
	 * Fridays after 1 May, Ascension and Corpus Christi */
	assert_int_equal(hol, 6);
	assert_int_equal(br, 3);
	h.in.region = HOLIDAYS_DE_NW;
	h.in.from = date(2025, 9, 29);
	h.in.days = 7;
	h.in.backtest_weeks = 4;
	struct arena a = ARENA_INIT;
	struct forecast_result r = run_ok(&a, &h.in);
	assert_near(r.model.rmse, 0.0, 1e-9);
	assert_int_equal(r.model.holiday_days, 6);
	assert_true(r.model.holiday_learned);
	assert_near(r.model.holiday_factor, 0.1, 1e-9);
	assert_int_equal(r.model.bridge_days, 3);
	assert_near(r.model.bridge_factor, 0.6, 1e-9);
	for (size_t i = 0; i < r.n_days; i++) {
		unsigned w = forecast_weekday(r.days[i].day);
		if (r.days[i].day == date(2025, 10, 3)) { /* German Unity Day, a Friday, Sunday's intraday shape */
			assert_int_equal(r.days[i].special, FORECAST_HOLIDAY);
			assert_near(r.days[i].total, week[w] * 0.1, 1e-9);
			assert_near(r.days[i].factor, 0.1, 1e-9);
			for (unsigned k = 0; k < 4; k++)
				assert_near(r.volume[i * 4 + k], week[w] * 0.1 * shapes[6][k], 1e-9);
		} else {
			assert_int_equal(r.days[i].special, FORECAST_NORMAL);
			assert_near(r.days[i].total, week[w], 1e-9);
		}
	}
	/* the backtest weeks (June) hold Whit Monday and Corpus Christi with its bridge:
	 * each forecast from the history before it, factors included */
	assert_near(r.backtest.wape, 0.0, 1e-9);
	xfree(kind);

	/* a history without holidays: a holiday is forecast as the Sunday of its week */
	hist_free(&h);
	const int32_t summer = date(2025, 7, 7);
	hist_init(&h, summer, 84, 4);
	for (size_t t = 0; t < 84; t++) {
		unsigned w = forecast_weekday(summer + (int32_t)t);
		set_day(&h, t, week[w], shapes[w]);
	}
	h.in.region = HOLIDAYS_DE_NW;
	h.in.from = date(2025, 9, 29);
	r = run_ok(&a, &h.in);
	assert_int_equal(r.model.holiday_days, 0);
	assert_false(r.model.holiday_learned);
	assert_int_equal(r.days[4].day, date(2025, 10, 3));
	assert_int_equal(r.days[4].special, FORECAST_HOLIDAY);
	assert_near(r.days[4].total, week[6], 1e-9);
	assert_near(r.days[4].factor, week[6] / week[4], 1e-9);
	arena_release(&a);
	hist_free(&h);
}

static void test_a_peak_multiplies_its_range(void **state)
{
	(void)state;
	struct hist h;
	const int32_t first = date(2026, 10, 5);
	hist_init(&h, first, 56, 4);
	for (size_t t = 0; t < 56; t++) {
		unsigned w = forecast_weekday(first + (int32_t)t);
		set_day(&h, t, week[w], shapes[w]);
	}
	struct forecast_peak peaks[2];
	struct lserr e;
	lserr_clear(&e);
	assert_int_equal(forecast_peak_parse("2026-12-01..2026-12-24:1.4", &peaks[0], &e), 0);
	assert_int_equal(forecast_peak_parse("2026-12-24:1.5", &peaks[1], &e), 0);
	h.in.peaks = peaks;
	h.in.n_peaks = 2;
	h.in.from = date(2026, 11, 30);
	h.in.days = 28;
	struct arena a = ARENA_INIT;
	struct forecast_result r = run_ok(&a, &h.in);
	for (size_t i = 0; i < r.n_days; i++) {
		int32_t d = r.days[i].day;
		double want = week[forecast_weekday(d)];
		double f = d == date(2026, 12, 24)                             ? 1.4 * 1.5
		           : d >= date(2026, 12, 1) && d <= date(2026, 12, 24) ? 1.4
		                                                               : 1.0;
		assert_int_equal(r.days[i].peak, f != 1.0);
		assert_near(r.days[i].total, want * f, 1e-9);
		assert_near(r.days[i].factor, f, 1e-12);
	}
	arena_release(&a);
	hist_free(&h);
}

/* Three flat weeks (5 + 5 per day), then a week that differs. Backtest of the last
 * week alone: forecast 5 + 5 every day against
 *   [6,6] [6,6] [4,4] [7,3] [5,5] [10,5] [5,0]   (totals 12 12 8 10 10 15 5 = 72)
 * interval errors 2+2+2+4+0+5+5 = 20, day errors 2+2+2+0+0+5+5 = 16, bias 70-72. */
static void test_the_backtest_wape_and_bias_of_a_hand_computed_week(void **state)
{
	(void)state;
	static const double last[7][2] = {{6, 6}, {6, 6}, {4, 4}, {7, 3}, {5, 5}, {10, 5}, {5, 0}};
	struct hist h;
	hist_init(&h, date(2025, 9, 1), 28, 2);
	for (size_t t = 0; t < 28; t++)
		for (unsigned k = 0; k < 2; k++)
			h.v[t * 2 + k] = t < 21 ? 5.0 : last[t - 21][k];
	h.in.backtest_weeks = 1;
	struct arena a = ARENA_INIT;
	struct forecast_result r = run_ok(&a, &h.in);
	assert_int_equal(r.backtest.weeks, 1);
	assert_int_equal(r.backtest.n_days, 7);
	assert_near(r.backtest.wape, 20.0 / 72.0, 1e-12);
	assert_near(r.backtest.daily_wape, 16.0 / 72.0, 1e-12);
	assert_near(r.backtest.bias, -2.0 / 72.0, 1e-12);
	assert_near(r.backtest.actual, 72.0, 1e-12);
	assert_near(r.backtest.forecast, 70.0, 1e-9);
	assert_int_equal(r.backtest.days[0].day, date(2025, 9, 22));
	assert_near(r.backtest.days[0].wape, 2.0 / 12.0, 1e-12);
	assert_near(r.backtest.days[0].bias, -2.0 / 12.0, 1e-12);
	assert_near(r.backtest.days[3].wape, 4.0 / 10.0, 1e-12);
	assert_near(r.backtest.days[3].bias, 0.0, 1e-12);
	assert_near(r.backtest.days[6].bias, 5.0 / 5.0, 1e-12);

	/* two weeks: the flat one adds 70 arrivals and no error */
	h.in.backtest_weeks = 2;
	r = run_ok(&a, &h.in);
	assert_int_equal(r.backtest.weeks, 2);
	assert_near(r.backtest.wape, 20.0 / 142.0, 1e-12);
	assert_near(r.backtest.bias, -2.0 / 142.0, 1e-12);
	assert_near(r.backtest.days[0].wape, 0.0, 1e-12);

	/* four weeks asked, two possible: a fit needs 14 days before the week */
	h.in.backtest_weeks = 4;
	r = run_ok(&a, &h.in);
	assert_int_equal(r.backtest.weeks, 2);

	/* a week without arrivals: WAPE and bias are undefined */
	for (size_t t = 21; t < 28; t++)
		h.v[t * 2] = h.v[t * 2 + 1] = 0.0;
	h.in.backtest_weeks = 1;
	r = run_ok(&a, &h.in);
	assert_true(isnan(r.backtest.wape));
	assert_true(isnan(r.backtest.bias));
	assert_true(isnan(r.backtest.days[0].wape));
	arena_release(&a);
	hist_free(&h);
}

/* Hourly slots, one arrival per real hour. 2025-03-30 (Berlin: 23 hours, 02:00 does
 * not occur) is in the history and in its first backtest week; the forecast covers
 * 2025-10-26 (25 hours, 02:00 twice). */
static void test_daylight_saving_days_have_23_and_25_hours(void **state)
{
	(void)state;
	struct hist h;
	const int32_t first = date(2025, 3, 10);
	hist_init(&h, first, 28, 24);
	h.mult = xcalloc(28 * 24, 1);
	memset(h.mult, 1, 28 * 24);
	for (size_t t = 0; t < 28; t++)
		set_day(&h, t, 24.0, NULL);
	const size_t dst = (size_t)(date(2025, 3, 30) - first);
	h.mult[dst * 24 + 2] = 0;
	h.v[dst * 24 + 2] = 0.0;
	h.in.mult = h.mult;
	h.in.from = date(2025, 10, 20);
	h.in.days = 7;
	uint8_t fm[7 * 24];
	memset(fm, 1, sizeof(fm));
	fm[6 * 24 + 2] = 2; /* Sunday 26 October */
	h.in.future_mult = fm;
	h.in.backtest_weeks = 2;
	struct arena a = ARENA_INIT;
	struct forecast_result r = run_ok(&a, &h.in);
	assert_near(r.model.rmse, 0.0, 1e-9); /* the 23-hour day counts as a standard day of 24 */
	for (size_t i = 0; i < 6; i++)
		assert_near(r.days[i].total, 24.0, 1e-9);
	assert_near(r.days[6].total, 25.0, 1e-9);
	assert_near(r.volume[6 * 24 + 2], 1.0, 1e-9); /* per occurrence */
	/* the backtest compares the 23-hour day with 23 forecast hours */
	assert_near(r.backtest.wape, 0.0, 1e-9);
	int found = 0;
	for (size_t i = 0; i < r.backtest.n_days; i++)
		if (r.backtest.days[i].day == date(2025, 3, 30)) {
			assert_near(r.backtest.days[i].forecast, 23.0, 1e-9);
			assert_near(r.backtest.days[i].actual, 23.0, 1e-9);
			found = 1;
		}
	assert_true(found);
	arena_release(&a);
	hist_free(&h);
}

static void test_a_noisy_history_gives_finite_parameters_and_errors(void **state)
{
	(void)state;
	struct hist h;
	const int32_t first = date(2024, 1, 1);
	hist_init(&h, first, 364, 48);
	struct rng rng;
	rng_seed(&rng, 7);
	for (size_t t = 0; t < 364; t++) {
		unsigned w = forecast_weekday(first + (int32_t)t);
		for (unsigned k = 0; k < 48; k++) {
			double rate = (k >= 16 && k < 36) ? week[w] / 20.0 * (1.0 + 0.002 * (double)t) : 0.1;
			h.v[t * 48 + k] = floor(rate * (0.5 + rng_unit(&rng)) + 0.5);
		}
	}
	h.in.region = HOLIDAYS_DE_BY;
	h.in.days = 56;
	h.in.backtest_weeks = 4;
	struct arena a = ARENA_INIT;
	struct forecast_result r = run_ok(&a, &h.in);
	assert_true(r.model.alpha >= 0.0 && r.model.alpha <= 1.0);
	assert_true(r.model.beta >= 0.0 && r.model.beta <= 1.0);
	assert_true(r.model.gamma >= 0.0 && r.model.gamma <= 1.0);
	assert_true(isfinite(r.backtest.wape) && r.backtest.wape > 0.0 && r.backtest.wape < 0.5);
	assert_true(isfinite(r.backtest.bias) && fabs(r.backtest.bias) < 0.2);
	assert_true(r.backtest.daily_wape <= r.backtest.wape + 1e-12);
	for (size_t i = 0; i < r.n_days; i++) {
		double s = 0.0;
		for (unsigned k = 0; k < 48; k++) {
			assert_true(r.volume[i * 48 + k] >= 0.0);
			s += r.volume[i * 48 + k];
		}
		assert_near(r.days[i].total, s, 1e-9 * (1.0 + s));
	}
	/* the same input gives the same bits */
	struct forecast_result again = run_ok(&a, &h.in);
	assert_true(again.model.alpha == r.model.alpha && again.model.beta == r.model.beta &&
	            again.model.gamma == r.model.gamma && again.model.level == r.model.level &&
	            again.model.trend == r.model.trend && again.model.holiday_factor == r.model.holiday_factor);
	assert_memory_equal(again.volume, r.volume, 56 * 48 * sizeof(double));
	assert_true(again.backtest.wape == r.backtest.wape && again.backtest.bias == r.backtest.bias);
	arena_release(&a);
	hist_free(&h);
}

static void test_invalid_input_names_the_field(void **state)
{
	(void)state;
	struct hist h;
	hist_init(&h, date(2025, 1, 6), 28, 4);
	for (size_t t = 0; t < 28; t++)
		set_day(&h, t, 10.0, NULL);
	struct forecast_input ok = h.in;
	h.in.n_days = 13;
	run_fails(&h.in, -EINVAL, "history");
	h.in = ok;
	h.in.n_days = LS_MAX_FORECAST_HISTORY_DAYS + 1;
	run_fails(&h.in, -LS_ETOOLARGE, "history");
	h.in = ok;
	h.in.from = ok.first_day + 27;
	run_fails(&h.in, -EINVAL, "from");
	h.in = ok;
	h.in.days = 0;
	run_fails(&h.in, -EINVAL, "days");
	h.in.days = LS_MAX_FORECAST_DAYS + 1;
	run_fails(&h.in, -EINVAL, "days");
	h.in = ok;
	h.in.slots = 7;
	run_fails(&h.in, -EINVAL, "interval");
	h.in = ok;
	h.in.backtest_weeks = LS_MAX_FORECAST_BACKTEST_WEEKS + 1;
	run_fails(&h.in, -EINVAL, "backtest_weeks");
	h.in = ok;
	h.in.region = (enum holidays_region)77;
	run_fails(&h.in, -EINVAL, "region");
	h.in = ok;
	struct forecast_peak bad = {.first = 5, .last = 4, .factor = 1.0};
	h.in.peaks = &bad;
	h.in.n_peaks = 1;
	run_fails(&h.in, -EINVAL, "peak");
	h.in = ok;
	h.v[17] = NAN;
	run_fails(&h.in, -EINVAL, "history");
	h.v[17] = -1.0;
	run_fails(&h.in, -EINVAL, "history");
	hist_free(&h);
}

static void test_peaks_and_dates_parse_strictly(void **state)
{
	(void)state;
	struct forecast_peak p;
	struct lserr e;
	lserr_clear(&e);
	assert_int_equal(forecast_peak_parse("2026-12-01..2026-12-24:1.4", &p, &e), 0);
	assert_int_equal(p.first, date(2026, 12, 1));
	assert_int_equal(p.last, date(2026, 12, 24));
	assert_near(p.factor, 1.4, 0);
	assert_int_equal(forecast_peak_parse("2026-12-24:0", &p, &e), 0);
	assert_int_equal(p.first, p.last);
	static const char *const bad[] = {
	        "",
	        "x",
	        ":1.4",
	        "2026-12-01..2026-12-24",
	        "2026-12-01..2026-12-24:",
	        "2026-12-24..2026-12-01:1.2",
	        "2026-02-30:1",
	        "2026-12-01..:1",
	        "..2026-12-01:1",
	        "2026-12-01..2026-12-24:-1",
	        "2026-12-01..2026-12-24:1e9",
	        "2026-12-1:1",
	        "2026-12-01 :1",
	        "2026-12-01...2026-12-24:1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lserr_clear(&e);
		if (forecast_peak_parse(bad[i], &p, &e) != -EINVAL)
			fail_msg("'%s' parsed", bad[i]);
		assert_string_equal(e.field, "peak");
	}
	int32_t d = 0;
	assert_int_equal(forecast_date_parse("2024-02-29", &d), 0);
	assert_int_equal(d, date(2024, 2, 29));
	assert_int_equal(forecast_date_parse("2025-02-29", &d), -EINVAL);
	assert_int_equal(forecast_date_parse("2025-1-01", &d), -EINVAL);
	assert_int_equal(forecast_date_parse("1969-12-31", &d), -EINVAL);
	assert_int_equal(forecast_date_parse("2025-01-01T00:00:00Z", &d), -EINVAL);
	assert_int_equal(forecast_date_parse(NULL, &d), -EINVAL);
	assert_int_equal(forecast_weekday(date(2026, 3, 2)), 0);
	assert_int_equal(forecast_weekday(date(1970, 1, 1)), 3);
	assert_string_equal(forecast_seasonality_to_string(FORECAST_MULTIPLICATIVE), "multiplicative");
	assert_int_equal(forecast_seasonality_from_string("additive"), FORECAST_ADDITIVE);
	assert_int_equal(forecast_seasonality_from_string("Additive"), -EINVAL);
	assert_string_equal(forecast_special_to_string(FORECAST_BRIDGE), "bridge");
	assert_null(forecast_special_to_string(_FORECAST_SPECIAL_MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_a_flat_series_forecasts_flat_with_wape_zero),
	        cmocka_unit_test(test_a_pure_weekly_pattern_is_reproduced_per_day_and_interval),
	        cmocka_unit_test(test_a_linear_trend_is_extrapolated),
	        cmocka_unit_test(test_a_multiplicative_season_and_a_closed_weekday),
	        cmocka_unit_test(test_special_days_of_a_region),
	        cmocka_unit_test(test_holidays_and_bridge_days_are_left_out_and_get_their_factor),
	        cmocka_unit_test(test_a_peak_multiplies_its_range),
	        cmocka_unit_test(test_the_backtest_wape_and_bias_of_a_hand_computed_week),
	        cmocka_unit_test(test_daylight_saving_days_have_23_and_25_hours),
	        cmocka_unit_test(test_a_noisy_history_gives_finite_parameters_and_errors),
	        cmocka_unit_test(test_invalid_input_names_the_field),
	        cmocka_unit_test(test_peaks_and_dates_parse_strictly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
