/* Fuzz target for the forecast's small parsers (wfm/forecast): peaks
 * "FIRST..LAST:FACTOR", dates "YYYY-MM-DD" and interval lengths.
 * Properties: no crash or undefined behaviour; a refused peak carries a message and
 * names the field "peak"; an accepted peak runs forwards with a factor in [0, 1000];
 * an accepted date formats back to the same text; an accepted interval is 900, 1800
 * or 3600 seconds. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "wfm/forecast.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);
	struct forecast_peak p;
	struct lserr e = {0};
	if (forecast_peak_parse(s, &p, &e) < 0) {
		if (!e.message[0] || strcmp(e.field, "peak") != 0)
			fuzz_fail(data, size, "peak refused without a message or field");
	} else if (p.last < p.first || !(p.factor >= 0.0 && p.factor <= 1000.0)) {
		fuzz_fail(data, size, "peak accepted with days %d..%d, factor %g", p.first, p.last, p.factor);
	}
	int32_t day;
	if (forecast_date_parse(s, &day) == 0) {
		char buf[16];
		if (strcmp(forecast_date_format(day, buf, sizeof(buf)), s) != 0)
			fuzz_fail(data, size, "date '%s' formats back as '%s'", s, buf);
	}
	unsigned interval;
	if (forecast_interval_parse(s, &interval) == 0 && interval != 900 && interval != 1800 && interval != 3600)
		fuzz_fail(data, size, "interval %u accepted", interval);
	free(s);
	return 0;
}
