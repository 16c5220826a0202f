/* Volume forecasts of a client (see forecast.h). Room: service.
 *
 * Local time: an arrival at UTC t belongs to local day floor((t + offset(t)) / 86400)
 * and wall-clock slot (t + offset(t)) mod 86400 / interval. The arrivals of a
 * repeated hour (autumn) share their wall-clock slots; the skipped hour (spring) has
 * none. Walking the real intervals of a day in UTC steps of one interval, from the
 * UTC instant of its local midnight to that of the next, gives each slot's number of
 * occurrences (0, 1 or 2) and, for the forecast days, the intervals to answer in
 * time order. ACD rows count at their start's slot; a row that crosses a slot
 * boundary (a 60-minute export forecast in 15-minute slots) is spread over the slots
 * in proportion to the time it spends in each.
 *
 * The history runs from the first to the last local day with data before `from`,
 * at most LS_MAX_FORECAST_HISTORY_DAYS days back from the last. */
#include "service/forecast.h"

#include <stdio.h>
#include <string.h>

#include "calendar/tz.h"
#include "core/limits.h"
#include "store/acddb.h"
#include "store/dirdb.h"
#include "store/importdb.h"

#define DEFAULT_BACKTEST_WEEKS 4
#define DAY                    86400

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

#define bad(s, field, ...) lserr_set((s)->err, -EINVAL, "invalid_parameter", (field), __VA_ARGS__)

/* Arrivals placed on the grid of local days [first, first + n) and slots. */
struct grid {
	const struct tz *zone;
	unsigned interval, slots;
	int64_t first;
	size_t n;
	double *v;
};

static void put(struct grid *g, int64_t local, double amount)
{
	int64_t day = floor_div(local, DAY) - g->first;
	if (day < 0 || (size_t)day >= g->n)
		return;
	int64_t slot = (local - floor_div(local, DAY) * DAY) / g->interval;
	g->v[(size_t)day * g->slots + (size_t)slot] += amount;
}

/* One ACD row [start, start + length) with `offered` calls. */
static void put_row(struct grid *g, ls_time start, int32_t length, double offered)
{
	const ls_time end = start + (length > 0 ? length : 1);
	const int32_t off = tz_offset_at(g->zone, start);
	const int64_t local = start + off;
	if (tz_offset_at(g->zone, end - 1) == off &&
	    floor_div(local, g->interval) == floor_div(local + (end - start) - 1, g->interval)) {
		put(g, local, offered);
		return;
	}
	for (ls_time u = start; u < end;) {
		const int32_t o = tz_offset_at(g->zone, u);
		const int64_t l = u + o;
		ls_time next = u + ((floor_div(l, g->interval) + 1) * g->interval - l);
		if (next > end)
			next = end;
		if (tz_offset_at(g->zone, next - 1) != o) /* a transition inside: go by minutes */
			next = u + 60 < end ? u + 60 : end;
		put(g, l, offered * (double)(next - u) / (double)(end - start));
		u = next;
	}
}

/* Occurrences of each slot of local day `day` into mult (slots bytes); with out, also
 * the day's real intervals (start labels, volumes from vol) appended to *out. */
static void walk_day(struct svc *s, const struct tz *zone, unsigned interval, unsigned slots, int64_t day,
                     uint8_t *mult, const double *vol, struct forecast_interval **out, size_t *n, size_t *cap)
{
	memset(mult, 0, slots);
	const ls_time begin = tz_local_to_utc(zone, day * DAY), end = tz_local_to_utc(zone, (day + 1) * DAY);
	for (ls_time u = begin; u < end; u += interval) {
		int64_t local = u + tz_offset_at(zone, u) - day * DAY;
		if (local < 0 || local >= DAY)
			continue;
		const unsigned k = (unsigned)(local / interval);
		if (mult[k] < 2)
			mult[k]++;
		if (out) {
			char buf[TZ_RFC3339_MAX];
			ARENA_PUSH(s->arena, *out, *n, *cap) = (struct forecast_interval){
			        .start = arena_strdup(s->arena, tz_format_rfc3339(zone, u, buf, sizeof(buf))),
			        .volume = vol[k],
			};
		}
	}
}

/* The history as local days of arrivals into g (g->first, g->n, g->v; n 0: no data
 * before `from`). */
static int load_history(struct svc *s, int64_t client_id, bool calls, struct grid *g, int32_t from)
{
	const ls_time before = tz_local_to_utc(g->zone, (int64_t)from * DAY);
	struct acddb_offered *rows = NULL;
	ls_time *times = NULL;
	size_t n = 0;
	int r = calls ? acddb_offered(s->st, s->arena, client_id, before, &rows, &n)
	              : importdb_arrivals(s->st, s->arena, client_id, before, &times, &n);
	if (r < 0)
		return store_error(s->st, s->err, calls ? "loading call intervals" : "loading tickets");
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	for (size_t i = 0; i < n; i++) {
		ls_time t = calls ? rows[i].start : times[i];
		int64_t day = floor_div(t + tz_offset_at(g->zone, t), DAY);
		if (day >= from)
			continue;
		lo = day < lo ? day : lo;
		hi = day > hi ? day : hi;
	}
	g->n = 0;
	if (lo > hi)
		return 0;
	if (hi - lo + 1 > LS_MAX_FORECAST_HISTORY_DAYS)
		lo = hi - LS_MAX_FORECAST_HISTORY_DAYS + 1;
	g->first = lo;
	g->n = (size_t)(hi - lo + 1);
	g->v = arena_zalloc(s->arena, g->n * g->slots * sizeof(double));
	for (size_t i = 0; i < n; i++) {
		if (calls)
			put_row(g, rows[i].start, rows[i].length, (double)rows[i].offered);
		else
			put(g, times[i] + tz_offset_at(g->zone, times[i]), 1.0);
	}
	return 0;
}

static int lookup_client(struct svc *s, const char *code, struct client *c)
{
	int r = dirdb_client_by_code(s->st, s->arena, code ? code : "", c);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, c->id)))
		return bad(s, "client", "client '%.40s' does not exist", code ? code : "");
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");
	return 0;
}

static int check_request(struct svc *s, const struct forecast_request *rq, enum holidays_region *region,
                         int *seasonality)
{
	if (!rq->client)
		return bad(s, "client", "client is required");
	if (rq->interval != 900 && rq->interval != 1800 && rq->interval != 3600)
		return bad(s, "interval", "interval must be 15m, 30m or 60m");
	if (rq->days < 1 || rq->days > LS_MAX_FORECAST_DAYS)
		return bad(s, "days", "days must be 1 to %d", LS_MAX_FORECAST_DAYS);
	*region = holidays_region_from_string(rq->region ? rq->region : "DE");
	if ((int)*region < 0) {
		bad(s, "region", "unknown holiday region '%.40s'", rq->region);
		lserr_hint(s->err, "DE, DE-BW ... DE-TH, DE-BY-CATHOLIC, DE-BY-AUGSBURG or none");
		return -EINVAL;
	}
	*seasonality = forecast_seasonality_from_string(rq->model ? rq->model : "auto");
	if (*seasonality < 0)
		return bad(s, "model", "model must be auto, additive or multiplicative, not '%.40s'", rq->model);
	if (rq->source && strcmp(rq->source, "tickets") != 0 && strcmp(rq->source, "calls") != 0)
		return bad(s, "source", "source must be tickets or calls, not '%.40s'", rq->source);
	if (rq->backtest_weeks > LS_MAX_FORECAST_BACKTEST_WEEKS)
		return bad(s, "backtest_weeks", "backtest_weeks must be 0 to %d", LS_MAX_FORECAST_BACKTEST_WEEKS);
	if (rq->n_peaks > LS_MAX_FORECAST_PEAKS)
		return bad(s, "peak", "at most %d peaks", LS_MAX_FORECAST_PEAKS);
	return 0;
}

static int compute(struct svc *s, const struct forecast_request *rq, const struct client *c, struct tz *zone,
                   enum holidays_region region, int seasonality, struct forecast_answer *ret)
{
	size_t stored;
	if (acddb_count(s->st, c->id, &stored) < 0)
		return store_error(s->st, s->err, "counting call intervals");
	const bool calls = rq->source ? strcmp(rq->source, "calls") == 0 : stored > 0;
	if (calls && !stored)
		return bad(s, "source", "client %s has no call intervals (import an ACD export first)", c->code);
	const unsigned slots = (unsigned)(DAY / rq->interval);
	struct grid g = {.zone = zone, .interval = rq->interval, .slots = slots};
	int r = load_history(s, c->id, calls, &g, rq->from);
	if (r < 0)
		return r;
	char date[16];
	forecast_date_format(rq->from, date, sizeof(date));
	if (g.n == 0)
		return bad(s, "from", "client %s has no %s before %s", c->code, calls ? "call intervals" : "tickets",
		           date);
	if (g.n < FORECAST_MIN_HISTORY)
		return bad(s, "from", "client %s has %zu days of %s before %s; a forecast needs at least %d", c->code,
		           g.n, calls ? "call history" : "ticket history", date, FORECAST_MIN_HISTORY);

	uint8_t *mult = arena_alloc(s->arena, g.n * slots);
	for (size_t t = 0; t < g.n; t++)
		walk_day(s, zone, rq->interval, slots, g.first + (int64_t)t, mult + t * slots, NULL, NULL, NULL, NULL);
	uint8_t *future = arena_alloc(s->arena, rq->days * slots);
	for (size_t i = 0; i < rq->days; i++)
		walk_day(s, zone, rq->interval, slots, (int64_t)rq->from + (int64_t)i, future + i * slots, NULL, NULL,
		         NULL, NULL);
	struct forecast_input in = {
	        .slots = slots,
	        .first_day = (int32_t)g.first,
	        .n_days = g.n,
	        .volume = g.v,
	        .mult = mult,
	        .from = rq->from,
	        .days = rq->days,
	        .future_mult = future,
	        .region = region,
	        .peaks = rq->peaks,
	        .n_peaks = rq->n_peaks,
	        .seasonality = (enum forecast_seasonality)seasonality,
	        .backtest_weeks = rq->backtest_weeks < 0 ? DEFAULT_BACKTEST_WEEKS : (unsigned)rq->backtest_weeks,
	};
	struct forecast_result res;
	if ((r = forecast_run(s->arena, &in, &res, s->err)) < 0) {
		if (s->err)
			s->err->code = "invalid_parameter";
		return r;
	}
	struct forecast_interval *iv = NULL;
	size_t n = 0, cap = 0;
	uint8_t scratch[LS_MAX_FORECAST_SLOTS];
	for (size_t i = 0; i < rq->days; i++)
		walk_day(s, zone, rq->interval, slots, (int64_t)rq->from + (int64_t)i, scratch, res.volume + i * slots,
		         &iv, &n, &cap);
	ret->result = res;
	ret->meta = (struct forecast_meta){
	        .client = c->code,
	        .source = calls ? "calls" : "tickets",
	        .timezone = arena_strdup(s->arena, tz_name(zone)),
	        .region = holidays_region_to_string(region),
	        .interval_seconds = rq->interval,
	        .history_first = (int32_t)g.first,
	        .history_last = (int32_t)(g.first + (int64_t)g.n - 1),
	        .peaks = rq->peaks,
	        .n_peaks = rq->n_peaks,
	        .intervals = iv,
	        .n_intervals = n,
	};
	return 0;
}

int forecast_compute(struct svc *s, const struct forecast_request *rq, struct forecast_answer *ret)
{
	enum holidays_region region = HOLIDAYS_DE;
	int seasonality = FORECAST_AUTO;
	int r = check_request(s, rq, &region, &seasonality);
	if (r < 0)
		return r;
	struct client c;
	if ((r = lookup_client(s, rq->client, &c)) < 0)
		return r;
	struct tz *zone = NULL;
	if ((r = tz_load(rq->tz ? rq->tz : c.timezone, &zone, s->err)) < 0) {
		s->err->code = "invalid_parameter";
		snprintf(s->err->field, sizeof(s->err->field), "tz");
		return r;
	}
	r = compute(s, rq, &c, zone, region, seasonality, ret);
	tz_free(zone);
	return r;
}
