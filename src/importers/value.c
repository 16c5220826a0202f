/* Cell value parsing for importers (see value.h). Room: importers.
 * Hand-written scanners instead of sscanf/strptime: they run several times per row
 * of exports with hundreds of thousands of rows, must not depend on the locale, and
 * must reject trailing junk. Nothing here allocates. */
#include "importers/value.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "core/parse.h"

bool value_is_missing(const char *s)
{
	if (!s || !*s)
		return true;
	switch (s[0]) {
	case '?': return s[1] == '\0';
	case '#': return strcmp(s, "#N/B") == 0 || strcmp(s, "#N/A") == 0 || strcmp(s, "#MULTIVALUE") == 0;
	case 'N': return strcmp(s, "N/A") == 0 || strcmp(s, "NULL") == 0;
	default: return false;
	}
}

const char *value_or_null(const char *s)
{
	return value_is_missing(s) ? NULL : s;
}

int value_int(const char *s, bool allow_label, int min, int max, int *ret)
{
	if (value_is_missing(s))
		return -ENODATA;
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	long long v = 0;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p - '0');
		if (v > 1000000000000LL)
			return -ERANGE;
		p++;
	}
	if (*p) {
		if (!allow_label)
			return -EINVAL;
		while (*p == ' ')
			p++;
		if (*p != '-')
			return -EINVAL;
	}
	if (s[0] == '-')
		v = -v;
	if (v < min || v > max)
		return -ERANGE;
	*ret = (int)v;
	return 0;
}

int value_double(const char *s, double min, double max, double *ret)
{
	if (value_is_missing(s))
		return -ENODATA;
	size_t n = strlen(s);
	if (n >= 64)
		return -EINVAL;
	char buf[64];
	memcpy(buf, s, n + 1);
	if (!strchr(buf, '.')) {
		char *c = strchr(buf, ',');
		if (c) {
			if (strchr(c + 1, ','))
				return -EINVAL;
			*c = '.';
		}
	}
	return parse_double(buf, min, max, ret);
}

int value_bool(const char *s, bool *ret)
{
	if (value_is_missing(s))
		return -ENODATA;
	static const char *const yes[] = {"true", "yes", "y", "ja", "j", "1"};
	static const char *const no[] = {"false", "no", "n", "nein", "0"};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcasecmp(s, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcasecmp(s, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	return -EINVAL;
}

/* Reads 1..maxd digits; returns the count (0: none). */
static int digits(const char **pp, int maxd, int *ret)
{
	const char *p = *pp;
	int v = 0, n = 0;
	while (n < maxd && *p >= '0' && *p <= '9') {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (n == 0 || (*p >= '0' && *p <= '9'))
		return 0;
	*pp = p;
	*ret = v;
	return n;
}

/* Exactly two digits, whatever follows ("+0100"). */
static bool two(const char **pp, int *ret)
{
	const char *p = *pp;
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return false;
	*ret = (p[0] - '0') * 10 + (p[1] - '0');
	*pp = p + 2;
	return true;
}

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

int value_time(const char *s, enum value_date_order order, const struct tz *tz, ls_time *ret)
{
	if (value_is_missing(s))
		return -ENODATA;
	const char *p = s;
	int a, b, c, y, m, d;
	int na = digits(&p, 4, &a);
	if (!na)
		return -EINVAL;
	char sep = *p;
	if (sep != '-' && sep != '/' && sep != '.')
		return -EINVAL;
	p++;
	if (!digits(&p, 2, &b) || *p != sep)
		return -EINVAL;
	p++;
	int nc = digits(&p, 4, &c);
	if (!nc)
		return -EINVAL;
	if (na == 4 && nc <= 2) {
		y = a, m = b, d = c;
	} else if (na <= 2 && nc == 4) {
		y = c;
		m = order == VALUE_MDY ? a : b;
		d = order == VALUE_MDY ? b : a;
	} else {
		return -EINVAL;
	}
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -ERANGE;
	int hh = 0, mm = 0, ss = 0;
	if (*p == ' ' || *p == 'T') {
		p++;
		if (!digits(&p, 2, &hh) || *p != ':')
			return -EINVAL;
		p++;
		if (digits(&p, 2, &mm) != 2)
			return -EINVAL;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &ss) != 2)
				return -EINVAL;
			if (*p == '.' || *p == ',') {
				p++;
				if (*p < '0' || *p > '9')
					return -EINVAL;
				while (*p >= '0' && *p <= '9')
					p++;
			}
		}
		if (hh > 23 || mm > 59 || ss > 59)
			return -ERANGE;
	}
	int64_t local = time_days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + hh * 3600 + mm * 60 + ss;
	if (*p == ' ' && (p[1] == '+' || p[1] == '-' || p[1] == 'Z'))
		p++;
	if (*p == 'Z' && p[1] == '\0') {
		*ret = local;
		return 0;
	}
	if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, oh = 0, om = 0;
		p++;
		if (!two(&p, &oh))
			return -EINVAL;
		if (*p == ':')
			p++;
		if (*p && !two(&p, &om))
			return -EINVAL;
		if (*p || oh > 18 || om > 59)
			return *p ? -EINVAL : -ERANGE;
		*ret = local - sign * (oh * 3600 + om * 60);
		return 0;
	}
	if (*p)
		return -EINVAL;
	*ret = tz ? tz_local_to_utc(tz, local) : local;
	return 0;
}
