/* Volume forecasts of a client from its stored history. Room: service.
 *
 * The history is the client's ACD intervals (calls offered) when it has any, else
 * the creation times of its tickets (imported and worked in Leitstand); the request
 * may choose. Arrivals are counted per interval of local time in a time zone (the
 * client's unless the request names one), the wfm engine forecasts, and the answer
 * lists every real interval of the forecast days with its local start: a 23-hour day
 * has 23 hours of intervals, a 25-hour day 25 (docs/wfm.md, "Forecasting"). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "service/svc.h"
#include "wfm/forecast.h"

struct forecast_request {
	const char *client; /* code (required) */
	int32_t from;       /* first forecast day, a local date (days since 1970-01-01) */
	size_t days;        /* forecast days */
	unsigned interval;  /* seconds: 900, 1800 or 3600 */
	const char *tz;     /* IANA zone; NULL: the client's */
	const char *region; /* holiday region ("DE-NW", "none"); NULL: "DE" */
	const char *source; /* "tickets" or "calls"; NULL: calls when there are ACD intervals */
	const char *model;  /* "auto", "additive", "multiplicative"; NULL: auto */
	const struct forecast_peak *peaks;
	size_t n_peaks;
	int backtest_weeks; /* < 0: 4 */
};

struct forecast_answer {
	struct forecast_meta meta; /* labels and the real intervals */
	struct forecast_result result;
};

/* Loads the history before rq->from, forecasts and labels the intervals, all in
 * s->arena. Returns 0, or a negative code with s->err naming the parameter as the
 * API spells it (client, from, days, interval, tz, region, source, model, peak,
 * backtest_weeks; code "invalid_parameter"), or a storage error. */
int forecast_compute(struct svc *s, const struct forecast_request *rq, struct forecast_answer *ret);
