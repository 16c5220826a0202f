/* Business-time arithmetic throughput on one core: compiles calendars over the
 * full range 1995-2099 and times calendar_elapsed() and calendar_add() with random
 * inputs spread over 2024-2027 (pre-generated, so the loop times the engine only).
 * Usage: calendar_bench [QUERIES]   (default 5,000,000 per measurement)
 * Build type matters: run the release build (meson setup build-rel --buildtype=release). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "calendar/calendar.h"
#include "core/alloc.h"
#include "core/parse.h"
#include "core/rng.h"
#include "core/timeutil.h"

struct query {
	ls_time from, to;
	int64_t seconds;
};

static double seconds_since(uint64_t t0)
{
	return (double)(time_mono_ns() - t0) / 1e9;
}

static int bench(const char *label, const char *tz, const char *hours, const char *holidays, size_t nq)
{
	struct calendar_spec spec = {.tz = tz, .hours = hours, .holidays = holidays};
	struct calendar *cal;
	struct lserr e;
	uint64_t t0 = time_mono_ns();
	if (calendar_compile(&spec, &cal, &e) < 0) {
		fprintf(stderr, "calendar_bench: %s\n", e.message);
		return 1;
	}
	double compile_s = seconds_since(t0);

	struct rng rng;
	rng_seed(&rng, 4711);
	struct query *q = xcalloc(nq, sizeof(*q));
	ls_time lo = 1704067200; /* 2024-01-01T00:00:00Z */
	for (size_t i = 0; i < nq; i++) {
		q[i].from = lo + (ls_time)rng_below(&rng, 4 * 365 * 86400);
		q[i].to = q[i].from + (ls_time)rng_below(&rng, 30 * 86400);
		q[i].seconds = (int64_t)rng_below(&rng, 200 * 3600);
	}

	int64_t sum = 0;
	size_t failed = 0;
	t0 = time_mono_ns();
	for (size_t i = 0; i < nq; i++) {
		int64_t s;
		if (calendar_elapsed(cal, q[i].from, q[i].to, &s, NULL) == 0)
			sum += s;
		else
			failed++;
	}
	double elapsed_s = seconds_since(t0);

	t0 = time_mono_ns();
	for (size_t i = 0; i < nq; i++) {
		ls_time due;
		if (calendar_add(cal, q[i].from, q[i].seconds, &due, NULL) == 0)
			sum += due;
		else
			failed++;
	}
	double add_s = seconds_since(t0);

	printf("%-34s %8zu intervals, compile %6.1f ms, elapsed %6.2f M/s, add %6.2f M/s%s\n", label,
	       calendar_interval_count(cal), compile_s * 1e3, (double)nq / elapsed_s / 1e6, (double)nq / add_s / 1e6,
	       failed ? " (some queries failed!)" : "");
	fprintf(stderr, "checksum %lld\n", (long long)sum);
	xfree(q);
	calendar_free(cal);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	int64_t nq = 5000000;
	if (argc > 1 && parse_i64(argv[1], 1000, 1000000000, &nq) < 0) {
		fprintf(stderr, "usage: calendar_bench [QUERIES]\n");
		return 2;
	}
	printf("calendar_bench: %lld random queries each, one core, years 1995-2099 compiled\n", (long long)nq);
	int r = 0;
	r |= bench("office Berlin mon-fri 08-17 DE-NW", "Europe/Berlin", "mon-fri 08:00-17:00", "DE-NW", (size_t)nq);
	r |= bench("lunch break + sat, DE-BY", "Europe/Berlin", "mon-fri 08:00-12:00 13:00-17:00; sat 09:00-13:00",
	           "DE-BY", (size_t)nq);
	r |= bench("night shifts New York", "America/New_York", "mon-fri 22:00-24:00; tue-sat 00:00-06:00", "none",
	           (size_t)nq);
	r |= bench("dense: 24 frames a day", "Europe/Berlin",
	           "mon-sun 00:00-00:30 01:00-01:30 02:00-02:30 03:00-03:30 04:00-04:30 05:00-05:30 06:00-06:30 "
	           "07:00-07:30 08:00-08:30 09:00-09:30 10:00-10:30 11:00-11:30 12:00-12:30 13:00-13:30 14:00-14:30 "
	           "15:00-15:30 16:00-16:30 17:00-17:30 18:00-18:30 19:00-19:30 20:00-20:30 21:00-21:30 22:00-22:30 "
	           "23:00-23:30",
	           "DE", (size_t)nq);
	return r;
}
