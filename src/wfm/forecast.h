/* Volume forecasts per interval from a history of arrivals per interval. Room: wfm.
 *
 * The model (docs/wfm.md, "Forecasting", has the rules in words):
 *   day total  = Holt-Winters on the daily totals with a weekly season of 7, additive
 *                or multiplicative, alpha/beta/gamma fitted by minimising the
 *                one-step-ahead squared error over the history;
 *   interval   = day total x the intraday profile of the day's weekday (the share of
 *                each interval in that weekday's total, recent weeks weighted more);
 *                a weekday without any arrivals in recent weeks is closed (0);
 *   special    = public holidays and bridge days of a German region are left out of
 *                the fit and of the profiles and forecast with a factor learned from
 *                their history; a peak multiplies the days of a date range.
 * A backtest refits on the history before each of the last K weeks, forecasts that
 * week and reports WAPE and bias.
 *
 * Time: a day is a local calendar date (days since 1970-01-01); its `slots` intervals
 * are wall-clock slots (slot k covers local k*L .. (k+1)*L, L = 86400 / slots). The
 * caller maps arrivals to slots in its time zone. A daylight-saving day has slots
 * that do not occur (the skipped hour: multiplicity 0) or occur twice (the repeated
 * hour: multiplicity 2); the caller gives these multiplicities, history arrivals of
 * a repeated slot summed into it. Forecast volumes are per occurrence of a slot, so a
 * 23-hour day forecasts 23 hours and a 25-hour day 25.
 *
 * Pure: no I/O, no logging, no global state (the holiday rules are compiled in and
 * read-only). Results live in the caller's arena; every function is safe from any
 * thread with its own arena. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/holidays.h"
#include "core/arena.h"
#include "core/err.h"

#define FORECAST_SEASON        7   /* days of the weekly season */
#define FORECAST_MIN_HISTORY   14  /* days: two weeks initialise the season */
#define FORECAST_PROFILE_DECAY 0.9 /* weight of a weekday's profile one week further back */
#define FORECAST_PROFILE_WEEKS 26  /* comparable days a weekday's profile looks back at most */
#define FORECAST_CLOSED_DAYS   4   /* a weekday without arrivals on this many recent days is closed */

enum forecast_seasonality {
	FORECAST_AUTO,           /* both fitted, the lower one-step error wins */
	FORECAST_ADDITIVE,       /* weekday effect in arrivals: level + season */
	FORECAST_MULTIPLICATIVE, /* weekday effect as a factor: level x season */
	_FORECAST_SEASONALITY_MAX,
};

/* "auto", "additive", "multiplicative"; NULL for an invalid value. */
const char *forecast_seasonality_to_string(enum forecast_seasonality s);
/* The seasonality named s, or -EINVAL. */
int forecast_seasonality_from_string(const char *s);

enum forecast_special {
	FORECAST_NORMAL,
	FORECAST_HOLIDAY, /* a public holiday of the region */
	FORECAST_BRIDGE,  /* a working day between a holiday and a weekend or another holiday */
	_FORECAST_SPECIAL_MAX,
};

/* "normal", "holiday", "bridge"; NULL for an invalid value. */
const char *forecast_special_to_string(enum forecast_special s);

/* A named peak: the forecast of every day first..last (inclusive) is multiplied by
 * factor (1.4 = +40 %). */
struct forecast_peak {
	int32_t first, last; /* days since 1970-01-01 */
	double factor;       /* >= 0 */
};

struct forecast_input {
	unsigned slots;              /* intervals per day, 1..LS_MAX_FORECAST_SLOTS (96 for 15 min) */
	int32_t first_day;           /* date of history day 0 */
	size_t n_days;               /* history days, FORECAST_MIN_HISTORY..LS_MAX_FORECAST_HISTORY_DAYS */
	const double *volume;        /* n_days * slots arrivals, day-major; finite and >= 0 */
	const uint8_t *mult;         /* n_days * slots occurrences of each slot (0, 1, 2); NULL: all 1 */
	int32_t from;                /* first forecast day; after the last history day */
	size_t days;                 /* forecast days, 1..LS_MAX_FORECAST_DAYS */
	const uint8_t *future_mult;  /* days * slots occurrences; NULL: all 1 */
	enum holidays_region region; /* special days; HOLIDAYS_NONE for none */
	const struct forecast_peak *peaks;
	size_t n_peaks; /* 0..LS_MAX_FORECAST_PEAKS; a day in two peaks gets both factors */
	enum forecast_seasonality seasonality;
	unsigned backtest_weeks; /* 0..LS_MAX_FORECAST_BACKTEST_WEEKS */
};

/* The fitted model of the whole history. */
struct forecast_model {
	enum forecast_seasonality seasonality; /* additive or multiplicative, never auto */
	double alpha, beta, gamma;             /* smoothing of level, trend, season; in [0, 1] */
	double level, trend;                   /* at the end of the history, arrivals per day */
	double season[FORECAST_SEASON];        /* Monday .. Sunday: added (additive) or a factor */
	double rmse;                           /* of the one-step forecasts of the fitted days */
	size_t fitted_days;                    /* history days the fit used (special days left out) */
	double holiday_factor;                 /* actual / model on the holidays of the history; see holiday_learned */
	size_t holiday_days;                   /* holidays in the history */
	bool holiday_learned; /* false: no holiday with expected volume; holidays are forecast as Sundays */
	double bridge_factor; /* actual / model on bridge days; 1 when none was seen */
	size_t bridge_days;
	bool closed[FORECAST_SEASON]; /* weekdays without arrivals on their recent normal days: forecast 0 */
};

struct forecast_day {
	int32_t day;
	double total;                  /* sum over the day's real intervals */
	enum forecast_special special; /* the region's calendar */
	bool peak;                     /* inside at least one peak */
	double factor;                 /* special-day factor x peak factors (1 for a plain day) */
};

/* One backtest day: its actual arrivals against the forecast made the day before its
 * week began. wape and bias are NAN when actual is 0. */
struct forecast_backtest_day {
	int32_t day;
	double actual, forecast;
	double abs_error; /* sum over the day's intervals of |actual - forecast| */
	double wape, bias;
};

struct forecast_backtest {
	unsigned weeks;    /* weeks backtested: fewer than asked when the history is short */
	double wape;       /* sum |actual - forecast| over every interval / sum actual; NAN without arrivals */
	double bias;       /* sum (forecast - actual) / sum actual; NAN without arrivals */
	double daily_wape; /* the same as wape with day totals instead of intervals */
	double actual, forecast;
	struct forecast_backtest_day *days; /* 7 * weeks, in date order */
	size_t n_days;
};

struct forecast_result {
	struct forecast_model model;
	struct forecast_day *days; /* input.days of them, from input.from on */
	size_t n_days;
	unsigned slots;
	double *volume; /* n_days * slots: expected arrivals in one occurrence of the slot */
	struct forecast_backtest backtest;
};

/* Marks each of the n days from first as normal, holiday or bridge day in region r
 * (weekends: Saturday and Sunday). A bridge day is a Monday to Friday that is no
 * holiday and whose neighbours are both a holiday or a weekend day, at least one of
 * them a holiday. Years outside HOLIDAYS_FIRST_YEAR..HOLIDAYS_LAST_YEAR have no
 * holidays. Returns 0; -EINVAL (invalid region; e names "region") or the holiday
 * rules' error. */
int forecast_special_days(enum holidays_region r, int32_t first, size_t n, uint8_t *ret, struct lserr *e);

/* Fits the model on the history, forecasts input.days days from input.from, runs the
 * backtest, all into *ret (allocated from a). Returns 0 or -EINVAL for invalid input
 * (e names the field as the API spells it: "from", "days", "interval", "peak",
 * "backtest_weeks", "region", or "history" for a history that is too short or holds
 * bad numbers); -LS_ETOOLARGE above a limit of core/limits.h. *ret is untouched on
 * failure. Deterministic: the same input gives the same bits. */
int forecast_run(struct arena *a, const struct forecast_input *in, struct forecast_result *ret, struct lserr *e);

/* Parses a peak "FIRST..LAST:FACTOR" ("2026-12-01..2026-12-24:1.4"; a single day
 * "2026-12-24:1.8"). Returns 0 or -EINVAL with e naming the field "peak". */
int forecast_peak_parse(const char *s, struct forecast_peak *ret, struct lserr *e);

/* Parses an interval length: "15m", "30m", "60m", "1h", seconds ("1800", "900s") or
 * plain minutes 15, 30, 60. Returns 0 and 900, 1800 or 3600 in *ret, or -EINVAL. */
int forecast_interval_parse(const char *s, unsigned *ret);

/* One real interval of a forecast as the caller labels it. */
struct forecast_interval {
	const char *start; /* local start with its offset, "2026-03-02T08:00:00+01:00" */
	double volume;
};

/* What a forecast is about; the edges print it with the result. */
struct forecast_meta {
	const char *client, *source, *timezone, *region;
	unsigned interval_seconds;
	int32_t history_first, history_last; /* dates of the first and last history day */
	const struct forecast_peak *peaks;
	size_t n_peaks;
	const struct forecast_interval *intervals; /* every real interval of the forecast days */
	size_t n_intervals;
};

/* The forecast as the JSON object of docs/wfm.md (client, source, timezone, region,
 * interval_seconds, history, model, backtest, peaks, days, intervals); NAN prints as
 * null. A new reference for the caller. */
struct json_t;
struct json_t *forecast_to_json(const struct forecast_result *r, const struct forecast_meta *m);

/* "2026-03-02" for a date into buf (at least 11 bytes); returns buf. */
char *forecast_date_format(int32_t day, char *buf, size_t n);

/* Parses a date "YYYY-MM-DD" (years 1970..9999) into days since 1970-01-01.
 * Returns 0 or -EINVAL; *ret is untouched on failure. */
int forecast_date_parse(const char *s, int32_t *ret);

/* Weekday of a date, Monday 0 .. Sunday 6. */
unsigned forecast_weekday(int32_t day);
