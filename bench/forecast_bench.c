/* Forecast engine on one core: two years of quarter-hour history (730 days x 96
 * slots) forecast 8 weeks ahead at 15 minutes, with the DE-NW holidays and a 4-week
 * backtest (five fits in all). The history is generated before timing with a fixed
 * seed: a weekday pattern, a two-hump day, a slow trend, noise of +-30 %, holidays at
 * 5 %. Each round runs forecast_run() once; the table shows the median and the
 * fastest round, and the same for the fit alone (no backtest).
 * Usage: forecast_bench [ROUNDS]   (default 9)
 * Build type matters: run the release build (meson setup build-rel --buildtype=release). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/parse.h"
#include "core/rng.h"
#include "core/timeutil.h"
#include "wfm/forecast.h"

enum { DAYS = 730, SLOTS = 96, HORIZON = 56, MAX_ROUNDS = 101 };

static double hump(int k)
{
	double h = (k + 0.5) / 4.0;
	if (h < 7.0 || h >= 20.0)
		return 0.0;
	return 0.3 + exp(-pow((h - 10.0) / 1.5, 2.0)) + 0.8 * exp(-pow((h - 15.0) / 2.0, 2.0));
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void run(const char *label, const struct forecast_input *in, int rounds)
{
	double ms[MAX_ROUNDS];
	struct forecast_model m = {0};
	struct forecast_backtest b = {0};
	for (int i = 0; i < rounds; i++) {
		struct arena a = ARENA_INIT;
		struct forecast_result r;
		struct lserr e;
		lserr_clear(&e);
		uint64_t t0 = time_mono_ns();
		if (forecast_run(&a, in, &r, &e) < 0) {
			fprintf(stderr, "forecast_run: %s\n", e.message);
			exit(1);
		}
		ms[i] = (double)(time_mono_ns() - t0) / 1e6;
		m = r.model;
		b = r.backtest; /* numbers only: the days die with the arena */
		arena_release(&a);
	}
	qsort(ms, (size_t)rounds, sizeof(double), cmp);
	printf("%-24s %9.1f ms %9.1f ms   %s, alpha %.3f beta %.3f gamma %.3f", label, ms[rounds / 2], ms[0],
	       forecast_seasonality_to_string(m.seasonality), m.alpha, m.beta, m.gamma);
	if (b.weeks)
		printf("; backtest WAPE %.3f, bias %+.4f", b.wape, b.bias);
	putchar('\n');
}

int main(int argc, char **argv)
{
	int rounds = 9;
	if (argc > 1 && parse_int(argv[1], 1, MAX_ROUNDS, &rounds) < 0) {
		fprintf(stderr, "usage: forecast_bench [ROUNDS 1..%d]\n", MAX_ROUNDS);
		return 2;
	}
	static const double weekday[7] = {1.0, 0.9, 0.85, 0.85, 0.8, 0.3, 0.05};
	const int32_t first = (int32_t)time_days_from_civil(2024, 1, 1);
	double *v = xcalloc((size_t)DAYS * SLOTS, sizeof(double));
	uint8_t *kind = xcalloc(DAYS, 1);
	struct lserr e;
	lserr_clear(&e);
	if (forecast_special_days(HOLIDAYS_DE_NW, first, DAYS, kind, &e) < 0)
		return 1;
	double norm = 0.0;
	for (int k = 0; k < SLOTS; k++)
		norm += hump(k);
	struct rng rng;
	rng_seed(&rng, 42);
	for (int t = 0; t < DAYS; t++) {
		double total = 2000.0 * weekday[forecast_weekday(first + t)] * (1.0 + 0.0005 * t) *
		               (kind[t] == FORECAST_HOLIDAY ? 0.05 : 1.0);
		for (int k = 0; k < SLOTS; k++)
			v[(size_t)t * SLOTS + k] = round(total * hump(k) / norm * (0.7 + 0.6 * rng_unit(&rng)));
	}
	struct forecast_input in = {
	        .slots = SLOTS,
	        .first_day = first,
	        .n_days = DAYS,
	        .volume = v,
	        .from = first + DAYS,
	        .days = HORIZON,
	        .region = HOLIDAYS_DE_NW,
	        .seasonality = FORECAST_AUTO,
	        .backtest_weeks = 4,
	};
	printf("730 days x 96 slots, 56 days ahead, %d rounds\n%-24s %12s %12s\n", rounds, "", "median", "fastest");
	run("auto, 4-week backtest", &in, rounds);
	in.backtest_weeks = 0;
	run("auto, no backtest", &in, rounds);
	in.seasonality = FORECAST_ADDITIVE;
	run("additive, no backtest", &in, rounds);
	xfree(v);
	xfree(kind);
	return 0;
}
