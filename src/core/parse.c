/* Checked number parsing (see parse.h). Room: core. */
#include "core/parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int parse_i64(const char *s, int64_t min, int64_t max, int64_t *ret)
{
	if (!s || !*s)
		return -EINVAL;
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return -EINVAL; /* strtoll would accept leading spaces */
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

int parse_int(const char *s, int min, int max, int *ret)
{
	int64_t v;
	int r = parse_i64(s, min, max, &v);
	if (r < 0)
		return r;
	*ret = (int)v;
	return 0;
}

int parse_double(const char *s, double min, double max, double *ret)
{
	if (!s || !*s)
		return -EINVAL;
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	/* strtod would also take spaces, hex floats, "inf" and "nan" */
	if (!((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' && p[1] <= '9')))
		return -EINVAL;
	for (const char *q = p; *q; q++)
		if (!((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' || *q == '-' || *q == '+'))
			return -EINVAL;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE && (v > 1.0 || v < -1.0))
		return -ERANGE; /* overflow; an underflow to (almost) zero is an honest tiny number */
	if (!(v >= min && v <= max))
		return -ERANGE;
	*ret = v;
	return 0;
}

int parse_listen(const char *s, char *host, unsigned hostsz, uint16_t *ret_port)
{
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s)
		return -EINVAL;
	size_t hl = (size_t)(colon - s);
	if (s[0] == '[' && hl >= 2 && s[hl - 1] == ']') { /* [::1]:8080 */
		s++;
		hl -= 2;
	}
	if (hl + 1 > hostsz)
		return -EINVAL;
	int64_t port;
	int r = parse_i64(colon + 1, 0, 65535, &port);
	if (r < 0)
		return r;
	memcpy(host, s, hl);
	host[hl] = '\0';
	*ret_port = (uint16_t)port;
	return 0;
}
