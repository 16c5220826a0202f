/* Staffing throughput on one core: a day of 96 quarter-hour intervals for 50 queues
 * (4,800 staffing searches) by Erlang C, by Erlang A and by the deferred-work model,
 * plus single searches at 2,000 Erlangs. Queue q peaks at 1 + 10 q Erlangs (1 to 491)
 * on a two-hump day curve with a quiet night; inputs are pre-generated with a fixed
 * seed, so the loop times the engine only. Each scenario runs ROUNDS times; the table
 * shows the median and the fastest round.
 * Usage: wfm_bench [ROUNDS]   (default 9)
 * Build type matters: run the release build (meson setup build-rel --buildtype=release). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/parse.h"
#include "core/rng.h"
#include "core/timeutil.h"
#include "wfm/erlang.h"
#include "wfm/staffing.h"

enum { QUEUES = 50, INTERVALS = 96, MAX_ROUNDS = 101 };

/* Share of the daily peak in quarter-hour i: night near zero, humps at 10:00 and 15:00. */
static double day_curve(int i)
{
	double h = (i + 0.5) / 4.0;
	if (h < 6.0 || h >= 22.0)
		return 0.0;
	return 0.15 + 0.85 * exp(-pow((h - 10.0) / 2.0, 2.0)) + 0.7 * exp(-pow((h - 15.0) / 2.5, 2.0));
}

static void make_day(struct staffing_input *rows, enum staffing_channel ch, bool abandon, struct rng *rng)
{
	for (int q = 0; q < QUEUES; q++) {
		const double peak = 1.0 + 10.0 * q; /* Erlangs */
		const double aht = 180.0 + (double)rng_below(rng, 240);
		const double patience = 60.0 + (double)rng_below(rng, 240);
		for (int i = 0; i < INTERVALS; i++) {
			struct staffing_input *in = &rows[q * INTERVALS + i];
			staffing_input_init(in);
			in->channel = ch;
			in->interval = 900.0;
			in->aht = aht;
			/* Poisson-ish noise of +-10 % around the curve */
			double noise = 0.9 + 0.2 * rng_unit(rng);
			in->contacts = round(peak * day_curve(i) * 900.0 / aht * noise);
			in->shrinkage = 0.3;
			if (ch == STAFFING_VOICE) {
				in->target = 0.8;
				in->answer_time = 20.0;
				in->max_occupancy = 0.9;
				if (abandon)
					in->patience = patience;
			} else {
				in->response_time = 4 * 3600.0;
				in->max_occupancy = 0.85;
			}
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Runs the 50-queue day `rounds` times; prints median and best, returns 0 or 1. */
static int bench_day(const char *label, enum staffing_channel ch, bool abandon, int rounds)
{
	struct rng rng;
	rng_seed(&rng, 4711);
	struct staffing_input *rows = xcalloc(QUEUES * INTERVALS, sizeof(*rows));
	struct staffing_result *out = xcalloc(QUEUES * INTERVALS, sizeof(*out));
	make_day(rows, ch, abandon, &rng);
	double t[MAX_ROUNDS];
	long agents = 0;
	for (int k = 0; k < rounds; k++) {
		uint64_t t0 = time_mono_ns();
		agents = 0;
		for (int q = 0; q < QUEUES; q++) {
			struct lserr e;
			if (staffing_plan(rows + q * INTERVALS, INTERVALS, out + q * INTERVALS, NULL, &e) < 0) {
				fprintf(stderr, "wfm_bench: %s: queue %d: %s\n", label, q, e.message);
				return 1;
			}
			for (int i = 0; i < INTERVALS; i++)
				agents += out[q * INTERVALS + i].agents;
		}
		t[k] = (double)(time_mono_ns() - t0) / 1e6;
	}
	qsort(t, (size_t)rounds, sizeof(t[0]), cmp_double);
	double med = t[rounds / 2];
	printf("| %-28s | %8.2f ms | %8.2f ms | %7.2f µs | %9ld |\n", label, med, t[0],
	       med * 1000.0 / (QUEUES * INTERVALS), agents);
	xfree(rows);
	xfree(out);
	return 0;
}

static int bench_single(const char *label, double load, double patience, int rounds)
{
	struct erlang_params p = {.load = load, .aht = 180.0, .answer_time = 20.0, .patience = patience};
	struct erlang_targets tg = {
	        .service_level = 0.999, .max_occupancy = 1.0, .max_asa = INFINITY, .max_abandon = 1.0};
	double t[MAX_ROUNDS];
	struct erlang_metrics m = {0};
	for (int k = 0; k < rounds; k++) {
		uint64_t t0 = time_mono_ns();
		if (erlang_staff(&p, &tg, &m) < 0) {
			fprintf(stderr, "wfm_bench: %s failed\n", label);
			return 1;
		}
		t[k] = (double)(time_mono_ns() - t0) / 1e6;
	}
	qsort(t, (size_t)rounds, sizeof(t[0]), cmp_double);
	printf("| %-28s | %8.3f ms | %8.3f ms | %10s | %9d |\n", label, t[rounds / 2], t[0], "-", m.agents);
	return 0;
}

int main(int argc, char **argv)
{
	int rounds = 9;
	if (argc > 1 && parse_int(argv[1], 1, MAX_ROUNDS, &rounds) < 0) {
		fprintf(stderr, "usage: wfm_bench [ROUNDS 1-%d]\n", MAX_ROUNDS);
		return 2;
	}
	printf("%d queues x %d intervals = %d staffings per day; %d rounds\n\n", QUEUES, INTERVALS, QUEUES * INTERVALS,
	       rounds);
	printf("| %-28s | %11s | %11s | %10s | %9s |\n", "scenario", "median", "best", "per intvl", "agents");
	printf("|------------------------------|-------------|-------------|------------|-----------|\n");
	int r = 0;
	r |= bench_day("day, Erlang C, 80/20", STAFFING_VOICE, false, rounds);
	r |= bench_day("day, Erlang A, 80/20", STAFFING_VOICE, true, rounds);
	r |= bench_day("day, deferred, 4 h window", STAFFING_DEFERRED, false, rounds);
	r |= bench_single("2,000 Erlangs, C, 99.9/20", 2000.0, 0.0, rounds);
	r |= bench_single("2,000 Erlangs, A, 99.9/20", 2000.0, 300.0, rounds);
	return r;
}
