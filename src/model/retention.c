/* Retention kinds, start events and period arithmetic (see retention.h). Room: model.
 * Adding a period is monotone in the start (two starts in order stay in order; a
 * clamped month end is the end of the last day, after every unclamped result of
 * that day, so the clamp can only make results equal), so the set of due starts is everything
 * up to one cutoff, which retention_cutoff() finds by bisection: a due selection is
 * then one indexed comparison instead of a date computation per row. */
#include "model/retention.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define DAY INT64_C(86400)

static const char *const kind_names[] = {"tickets", "replies", "attachments", "call_records", "audit_entries"};
static const char *const event_names[] = {"ticket_closed", "ticket_created", "last_activity", "interval_start",
                                          "entry_time"};
static const char *const actions[] = {"pseudonymise", "replace", "none", "delete", "delete"};

const char *retention_kind_to_string(enum retention_kind k)
{
	return (int)k >= 0 && k < _RETENTION_KIND_MAX ? kind_names[k] : NULL;
}

enum retention_kind retention_kind_from_string(const char *s)
{
	for (int i = 0; s && i < _RETENTION_KIND_MAX; i++)
		if (strcmp(kind_names[i], s) == 0)
			return (enum retention_kind)i;
	return _RETENTION_KIND_INVALID;
}

const char *retention_event_to_string(enum retention_event e)
{
	return (int)e >= 0 && e < _RETENTION_EVENT_MAX ? event_names[e] : NULL;
}

enum retention_event retention_event_from_string(const char *s)
{
	for (int i = 0; s && i < _RETENTION_EVENT_MAX; i++)
		if (strcmp(event_names[i], s) == 0)
			return (enum retention_event)i;
	return _RETENTION_EVENT_INVALID;
}

bool retention_event_fits(enum retention_kind k, enum retention_event e)
{
	switch (k) {
	case RETENTION_TICKETS:
	case RETENTION_REPLIES:
	case RETENTION_ATTACHMENTS:
		return e == RETENTION_EVENT_TICKET_CLOSED || e == RETENTION_EVENT_TICKET_CREATED ||
		       e == RETENTION_EVENT_LAST_ACTIVITY;
	case RETENTION_CALL_RECORDS: return e == RETENTION_EVENT_INTERVAL_START;
	case RETENTION_AUDIT_ENTRIES: return e == RETENTION_EVENT_ENTRY_TIME;
	default: return false;
	}
}

const char *retention_action(enum retention_kind k)
{
	return (int)k >= 0 && k < _RETENTION_KIND_MAX ? actions[k] : NULL;
}

int retention_period_parse(const char *s, struct retention_period *ret)
{
	static const char units[] = "YMWD";
	struct retention_period p = {0};
	int64_t weeks = 0;
	if (!s || s[0] != 'P' || !s[1])
		return -EINVAL;
	const char *c = s + 1;
	int next = 0; /* index into units: each at most once, in this order */
	while (*c) {
		if (*c < '0' || *c > '9')
			return -EINVAL;
		int64_t v = 0;
		int digits = 0;
		while (*c >= '0' && *c <= '9') {
			if (++digits > 6)
				return -EINVAL;
			v = v * 10 + (*c++ - '0');
		}
		const char *u = *c ? strchr(units + next, *c) : NULL;
		if (!u)
			return -EINVAL;
		next = (int)(u - units) + 1;
		c++;
		switch (*u) {
		case 'Y': p.years = (int)v; break;
		case 'M': p.months = (int)v; break;
		case 'W': weeks = v; break;
		default: p.days = (int)v; break;
		}
	}
	int64_t days = (int64_t)p.days + weeks * 7;
	int64_t months = (int64_t)p.years * 12 + p.months;
	if (months + days == 0 || months > RETENTION_MAX_YEARS * 12 || days > RETENTION_MAX_YEARS * 366 ||
	    months * 31 + days > RETENTION_MAX_YEARS * 366)
		return -EINVAL;
	p.days = (int)days;
	*ret = p;
	return 0;
}

char *retention_period_format(const struct retention_period *p, char *buf, size_t n)
{
	int k = snprintf(buf, n, "P");
	if (p->years && k >= 0 && (size_t)k < n)
		k += snprintf(buf + k, n - (size_t)k, "%dY", p->years);
	if (p->months && k >= 0 && (size_t)k < n)
		k += snprintf(buf + k, n - (size_t)k, "%dM", p->months);
	if ((p->days || (!p->years && !p->months)) && k >= 0 && (size_t)k < n)
		snprintf(buf + k, n - (size_t)k, "%dD", p->days);
	return buf;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dim[m - 1];
}

ls_time retention_due_at(ls_time start, const struct retention_period *p, bool year_end)
{
	int64_t day = floor_div(start, DAY), sod = start - day * DAY;
	int64_t y;
	unsigned m, d;
	time_civil_from_days(day, &y, &m, &d);
	if (year_end) { /* from the end of the calendar year: 1 January 00:00 of the next */
		day = time_days_from_civil(y + 1, 1, 1);
		sod = 0;
		time_civil_from_days(day, &y, &m, &d);
	}
	int64_t months = y * 12 + (m - 1) + (int64_t)p->years * 12 + p->months;
	int64_t ny = floor_div(months, 12);
	unsigned nm = (unsigned)(months - ny * 12) + 1;
	unsigned dim = days_in_month(ny, nm);
	if (d > dim) { /* the month lacks the day: the period ends with its last day (§ 188(3) BGB) */
		d = dim;
		sod = DAY;
	}
	return (time_days_from_civil(ny, nm, d) + p->days) * DAY + sod;
}

ls_time retention_cutoff(ls_time now, const struct retention_period *p, bool year_end)
{
	/* the period adds at most 31 days a month plus its days, the year end at most
	 * 366 days: lo is due; now itself is not (a period is at least a day) */
	int64_t span = ((int64_t)p->years * 12 + p->months) * 31 + p->days + (year_end ? 366 : 0) + 2;
	ls_time lo = now - span * DAY, hi = now;
	while (hi - lo > 1) {
		ls_time mid = lo + (hi - lo) / 2;
		if (retention_due_at(mid, p, year_end) <= now)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}
