/* SLA duration text (see duration.h). Room: sla.
 * The grammar is tiny on purpose: [N h][N m][N s], at least one part, units in
 * descending order. Every number is accumulated with an overflow check against
 * LS_MAX_SLA_SECONDS, so no input can overflow int64 on the way. */
#include "sla/duration.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/limits.h"

static int syntax(const char *s, const char *field, struct lserr *e)
{
	int r = lserr_set(e, -EINVAL, "invalid_field", field,
	                  "%s: '%.40s' is not a duration; write e.g. 90s, 30m, 4h or 1h30m", field, s);
	if (e && strpbrk(s, "dDwW"))
		lserr_hint(e, "durations have no days: a business day is ambiguous (ServiceNow counts it as "
		              "24 business hours); write the hours, e.g. 8h or 24h");
	return r;
}

int duration_parse(const char *s, const char *field, int64_t *ret, struct lserr *e)
{
	static const struct {
		char unit;
		int64_t seconds;
	} units[] = {{'h', 3600}, {'m', 60}, {'s', 1}};
	if (!s || !*s)
		return lserr_set(e, -EINVAL, "invalid_field", field,
		                 "%s: empty duration; write e.g. 90s, 30m, 4h or 1h30m", field);
	const char *p = s;
	size_t next_unit = 0;
	int64_t total = 0;
	while (*p) {
		if (*p < '0' || *p > '9')
			return syntax(s, field, e);
		int64_t v = 0;
		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (*p++ - '0');
			if (v > LS_MAX_SLA_SECONDS)
				goto too_long;
		}
		size_t u = next_unit;
		while (u < sizeof(units) / sizeof(units[0]) && units[u].unit != *p)
			u++;
		if (u == sizeof(units) / sizeof(units[0]))
			return syntax(s, field, e);
		p++;
		next_unit = u + 1;
		if (v > (LS_MAX_SLA_SECONDS - total) / units[u].seconds)
			goto too_long;
		total += v * units[u].seconds;
	}
	*ret = total;
	return 0;
too_long:
	return lserr_set(e, -ERANGE, "invalid_field", field, "%s: '%.40s' is longer than the limit of %lldh", field, s,
	                 (long long)(LS_MAX_SLA_SECONDS / 3600));
}

char *duration_format(int64_t seconds, char *buf, size_t n)
{
	if (n == 0)
		return buf;
	if (seconds <= 0) {
		snprintf(buf, n, "%s", seconds == 0 ? "0s" : "-");
		return buf;
	}
	int64_t h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
	size_t len = 0;
	buf[0] = '\0';
	if (h)
		len += (size_t)snprintf(buf + len, n - len, "%lldh", (long long)h);
	if (m && len < n)
		len += (size_t)snprintf(buf + len, n - len, "%lldm", (long long)m);
	if (s && len < n)
		snprintf(buf + len, n - len, "%llds", (long long)s);
	return buf;
}
