/* Names of request kinds and states, and calendar-month arithmetic (see dsr.h).
 * Room: model. */
#include "model/dsr.h"

#include <stdio.h>
#include <string.h>

static const char *const kinds[_DSR_KIND_MAX] = {
        [DSR_KIND_ACCESS] = "access",           [DSR_KIND_RECTIFICATION] = "rectification",
        [DSR_KIND_ERASURE] = "erasure",         [DSR_KIND_RESTRICTION] = "restriction",
        [DSR_KIND_PORTABILITY] = "portability", [DSR_KIND_OBJECTION] = "objection",
};

static const char *const states[_DSR_STATE_MAX] = {
        [DSR_STATE_OPEN] = "open",
        [DSR_STATE_IN_PROGRESS] = "in_progress",
        [DSR_STATE_DONE] = "done",
        [DSR_STATE_REJECTED] = "rejected",
};

const char *dsr_kind_to_string(enum dsr_kind k)
{
	return (unsigned)k < _DSR_KIND_MAX ? kinds[k] : NULL;
}

enum dsr_kind dsr_kind_from_string(const char *s)
{
	for (int i = 0; s && i < _DSR_KIND_MAX; i++)
		if (strcmp(kinds[i], s) == 0)
			return (enum dsr_kind)i;
	return _DSR_KIND_INVALID;
}

const char *dsr_state_to_string(enum dsr_state s)
{
	return (unsigned)s < _DSR_STATE_MAX ? states[s] : NULL;
}

enum dsr_state dsr_state_from_string(const char *s)
{
	for (int i = 0; s && i < _DSR_STATE_MAX; i++)
		if (strcmp(states[i], s) == 0)
			return (enum dsr_state)i;
	return _DSR_STATE_INVALID;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : len[m - 1];
}

int64_t dsr_add_months(int64_t day, unsigned months)
{
	int64_t y;
	unsigned m, d;
	time_civil_from_days(day, &y, &m, &d);
	int64_t idx = (int64_t)(m - 1) + months; /* months since January of year y */
	y += idx / 12;
	m = (unsigned)(idx % 12) + 1;
	unsigned last = days_in_month(y, m);
	return time_days_from_civil(y, m, d < last ? d : last);
}

char *dsr_format_day(int64_t day, char *buf, size_t n)
{
	int64_t y;
	unsigned m, d;
	time_civil_from_days(day, &y, &m, &d);
	snprintf(buf, n, "%04lld-%02u-%02u", (long long)y, m, d);
	return buf;
}
