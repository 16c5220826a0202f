/* Forecasts over HTTP. Room: server. GET /api/v1/forecast answers the object that
 * `leitstand forecast --format json` prints for the same parameters; a peak list is
 * comma-separated (peak=2026-12-01..2026-12-24:1.4,2026-12-31:0.5). */
#include <string.h>

#include "core/limits.h"
#include "core/parse.h"
#include "server/api.h"
#include "server/json.h"
#include "service/forecast.h"

/* Splits the comma-separated peaks of v into peaks[], counting them in *n; replies
 * the error itself and returns -EINVAL. */
static int read_peaks(struct request *rq, const char *v, struct forecast_peak *peaks, size_t *n)
{
	char item[64];
	for (const char *p = v;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (*n == LS_MAX_FORECAST_PEAKS) {
			reply_errorf(rq, "invalid_parameter", "peak", "at most %d peaks", LS_MAX_FORECAST_PEAKS);
			return -EINVAL;
		}
		if (len >= sizeof(item)) {
			reply_errorf(rq, "invalid_parameter", "peak", "peak '%.40s...' is too long", p);
			return -EINVAL;
		}
		memcpy(item, p, len);
		item[len] = '\0';
		struct lserr e;
		lserr_clear(&e);
		if (forecast_peak_parse(item, &peaks[*n], &e) < 0) {
			reply_errorf(rq, "invalid_parameter", "peak", "%s", e.message);
			return -EINVAL;
		}
		(*n)++;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

int api_forecast(struct request *rq)
{
	struct forecast_request f = {
	        .client = request_query(rq, "client"),
	        .interval = 1800,
	        .tz = request_query(rq, "tz"),
	        .region = request_query(rq, "region"),
	        .source = request_query(rq, "source"),
	        .model = request_query(rq, "model"),
	        .backtest_weeks = -1,
	};
	struct forecast_peak *peaks = arena_alloc(&rq->arena, LS_MAX_FORECAST_PEAKS * sizeof(*peaks));
	const char *v;
	int days;
	if (!f.client)
		return reply_errorf(rq, "invalid_parameter", "client", "client is required");
	if (!(v = request_query(rq, "from")) || forecast_date_parse(v, &f.from) < 0)
		return reply_errorf(rq, "invalid_parameter", "from", "from must be a date YYYY-MM-DD");
	if (!(v = request_query(rq, "days")) || parse_int(v, 1, LS_MAX_FORECAST_DAYS, &days) < 0)
		return reply_errorf(rq, "invalid_parameter", "days", "days must be a whole number 1 to %d",
		                    LS_MAX_FORECAST_DAYS);
	f.days = (size_t)days;
	if ((v = request_query(rq, "interval")) && forecast_interval_parse(v, &f.interval) < 0)
		return reply_errorf(rq, "invalid_parameter", "interval", "interval must be 15m, 30m or 60m");
	if ((v = request_query(rq, "backtest_weeks")) &&
	    parse_int(v, 0, LS_MAX_FORECAST_BACKTEST_WEEKS, &f.backtest_weeks) < 0)
		return reply_errorf(rq, "invalid_parameter", "backtest_weeks", "backtest_weeks must be 0 to %d",
		                    LS_MAX_FORECAST_BACKTEST_WEEKS);
	if ((v = request_query(rq, "peak")) && read_peaks(rq, v, peaks, &f.n_peaks) < 0)
		return -EINVAL;
	f.peaks = peaks;
	struct forecast_answer a;
	int r = forecast_compute(&rq->svc, &f, &a);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 200, forecast_to_json(&a.result, &a.meta));
}
