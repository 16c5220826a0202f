/* Fuzz target for the checked number and address parsers (core/parse):
 * parse_i64(), parse_int(), parse_listen().
 *
 * The first input byte picks the range (or host buffer size); the rest is the
 * text. Properties:
 *  - only [+-]?[0-9]+ is a number: anything else is -EINVAL;
 *  - an accepted number lies in [min, max] and equals strtoll()'s value;
 *  - a well-formed number outside [min, max] is -ERANGE;
 *  - on failure the outputs are untouched;
 *  - parse_listen() splits at the last colon, strips one pair of brackets,
 *    never writes more than hostsz bytes and always terminates the host. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "fuzz.h"

static const struct {
	int64_t min, max;
} ranges[] = {
        {INT64_MIN, INT64_MAX}, {0, INT64_MAX}, {1, INT64_MAX}, {0, 65535}, {1, 500}, {-5, 5},
        {INT32_MIN, INT32_MAX}, {0, 0},
};
#define N_RANGES (sizeof(ranges) / sizeof(ranges[0]))

static bool well_formed(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void check_i64(const uint8_t *data, size_t size, const char *s, int64_t min, int64_t max)
{
	const int64_t sentinel = 0x5a5a5a5a;
	int64_t v = sentinel;
	int r = parse_i64(s, min, max, &v);
	if (r == 0) {
		if (!well_formed(s))
			fuzz_fail(data, size, "parse_i64 accepted \"%s\"", s);
		if (v < min || v > max)
			fuzz_fail(data, size, "parse_i64(\"%s\") = %" PRId64 " outside [%" PRId64 ", %" PRId64 "]", s,
			          v, min, max);
		errno = 0;
		long long ref = strtoll(s, NULL, 10);
		if (errno || ref != v)
			fuzz_fail(data, size, "parse_i64(\"%s\") = %" PRId64 ", strtoll says %lld", s, v, ref);
		return;
	}
	if (v != sentinel)
		fuzz_fail(data, size, "parse_i64 failed with %d but wrote *ret", r);
	if (r != (well_formed(s) ? -ERANGE : -EINVAL))
		fuzz_fail(data, size, "parse_i64(\"%s\", %" PRId64 ", %" PRId64 ") returned %d", s, min, max, r);

	int iv = 0x5a5a;
	int imin = min < INT_MIN ? INT_MIN : (int)min, imax = max > INT_MAX ? INT_MAX : (int)max;
	if (min >= INT_MIN && max <= INT_MAX && parse_int(s, imin, imax, &iv) == 0)
		fuzz_fail(data, size, "parse_int accepted what parse_i64 refused: \"%s\"", s);
	if (iv != 0x5a5a)
		fuzz_fail(data, size, "parse_int failed but wrote *ret");
}

static void check_listen(const uint8_t *data, size_t size, const char *s, unsigned hostsz)
{
	char host[80];
	memset(host, 'Z', sizeof(host));
	uint16_t port = 0x5a5a;
	int r = parse_listen(s, host, hostsz, &port);
	for (size_t i = hostsz; i < sizeof(host); i++)
		if (host[i] != 'Z')
			fuzz_fail(data, size, "parse_listen wrote past hostsz %u", hostsz);
	if (r < 0) {
		if (r != -EINVAL && r != -ERANGE)
			fuzz_fail(data, size, "parse_listen returned %d", r);
		for (size_t i = 0; i < sizeof(host); i++)
			if (host[i] != 'Z')
				fuzz_fail(data, size, "parse_listen failed but wrote the host");
		if (port != 0x5a5a)
			fuzz_fail(data, size, "parse_listen failed but wrote the port");
		return;
	}
	const char *colon = strrchr(s, ':');
	if (!colon)
		fuzz_fail(data, size, "parse_listen accepted \"%s\" without a colon", s);
	if (!memchr(host, '\0', hostsz))
		fuzz_fail(data, size, "parse_listen left the host unterminated");
	int64_t want;
	if (parse_i64(colon + 1, 0, 65535, &want) != 0 || want != port)
		fuzz_fail(data, size, "parse_listen(\"%s\") gave port %u", s, port);
	size_t hl = (size_t)(colon - s);
	const char *h = s;
	if (s[0] == '[' && hl >= 2 && s[hl - 1] == ']') {
		h++;
		hl -= 2;
	}
	if (strlen(host) != hl || memcmp(host, h, hl) != 0)
		fuzz_fail(data, size, "parse_listen(\"%s\") gave host \"%s\"", s, host);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *s = fuzz_cstring(data + 1, size - 1);
	check_i64(data, size, s, ranges[data[0] % N_RANGES].min, ranges[data[0] % N_RANGES].max);
	check_i64(data, size, s, INT64_MIN, INT64_MAX);
	check_listen(data, size, s, 1 + data[0] % 64);
	free(s);
	return 0;
}
