/* Fuzz target for time_parse_rfc3339() and time_format_rfc3339() (core/timeutil).
 *
 * Properties:
 *  - parsing never reads past the terminating NUL and never overflows;
 *  - a refused input returns -EINVAL and leaves *ret untouched;
 *  - an accepted input's instant, formatted, is a 20-byte "YYYY-MM-DDThh:mm:ssZ"
 *    string that parses back to the same instant (round trip);
 *  - formatting agrees with libc's gmtime_r() for every instant in years
 *    0000-9999 (the first 8 input bytes pick one), and parses back to it. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/timeutil.h"
#include "fuzz.h"

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what four-digit years can write. */
#define T_MIN    INT64_C(-62167219200)
#define T_MAX    INT64_C(253402300799)
#define SENTINEL INT64_C(0x5a5a5a5a5a5a5a5a)

static void check_format(const uint8_t *data, size_t size, ls_time t)
{
	char buf[32];
	memset(buf, 'x', sizeof(buf));
	char *r = time_format_rfc3339(t, buf, sizeof(buf));
	if (r != buf)
		fuzz_fail(data, size, "format returned another pointer");
	if (strlen(buf) != 20 || buf[4] != '-' || buf[7] != '-' || buf[10] != 'T' || buf[13] != ':' || buf[16] != ':' ||
	    buf[19] != 'Z')
		fuzz_fail(data, size, "format(%" PRId64 ") = \"%s\" is not YYYY-MM-DDThh:mm:ssZ", t, buf);
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm))
		fuzz_fail(data, size, "gmtime_r(%" PRId64 ") failed", t);
	char want[64];
	snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	         tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (strcmp(buf, want) != 0)
		fuzz_fail(data, size, "format(%" PRId64 ") = \"%s\", gmtime_r says \"%s\"", t, buf, want);
	ls_time back = SENTINEL;
	if (time_parse_rfc3339(buf, &back) != 0 || back != t)
		fuzz_fail(data, size, "\"%s\" (from %" PRId64 ") parses back to %" PRId64, buf, t, back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);
	ls_time t = SENTINEL;
	int r = time_parse_rfc3339(s, &t);
	if (r != 0 && r != -EINVAL)
		fuzz_fail(data, size, "parse returned %d", r);
	if (r != 0 && t != SENTINEL)
		fuzz_fail(data, size, "a refused input changed *ret");
	if (r == 0) {
		/* An accepted instant must be one the format can write: else the API
		 * would store a time it prints as something it refuses to read. */
		if (t < T_MIN || t > T_MAX)
			fuzz_fail(data, size, "\"%s\" parses to %" PRId64 ", outside years 0000-9999", s, t);
		check_format(data, size, t);
	}
	free(s);

	if (size >= 8) {
		uint64_t u;
		memcpy(&u, data, 8);
		ls_time any = T_MIN + (ls_time)(u % (uint64_t)(T_MAX - T_MIN + 1));
		check_format(data, size, any);
	}
	return 0;
}
