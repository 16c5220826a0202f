/* Delivery schedules (see schedule.h). Room: calendar.
 * schedule_next() walks candidate local dates forward from the local date of
 * `after` and returns the first whose run instant lies after it; the walk is bounded
 * (8 days, 14 months, 5 quarters), so it always ends. Dates are day numbers and local
 * times "local seconds" as in tz.h, so no struct tm and no process time zone. */
#include "calendar/schedule.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const weekdays[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

int schedule_weekday(int64_t day)
{
	int64_t w = (day + 3) % 7; /* 1970-01-01 was a Thursday */
	return (int)(w < 0 ? w + 7 : w);
}

/* The next word of *p (lowercased into w, at most n-1 bytes); false at the end. */
static bool next_word(const char **p, char *w, size_t n)
{
	const char *s = *p;
	while (*s == ' ')
		s++;
	size_t k = 0;
	while (*s && *s != ' ') {
		if (k + 1 >= n)
			return false;
		w[k++] = (char)tolower((unsigned char)*s++);
	}
	w[k] = 0;
	*p = s;
	return k > 0;
}

static bool parse_hhmm(const char *w, int *ret)
{
	if (!isdigit((unsigned char)w[0]) || !isdigit((unsigned char)w[1]) || w[2] != ':' ||
	    !isdigit((unsigned char)w[3]) || !isdigit((unsigned char)w[4]) || w[5])
		return false;
	int h = (w[0] - '0') * 10 + (w[1] - '0'), m = (w[3] - '0') * 10 + (w[4] - '0');
	if (h > 23 || m > 59)
		return false;
	*ret = h * 60 + m;
	return true;
}

static int refuse(struct lserr *e, const char *text)
{
	int r = lserr_set(e, -EINVAL, "invalid_field", "schedule", "schedule '%.80s' is not understood", text);
	lserr_hint(e, "use \"every monday 07:00\" (any weekday), \"first working day 07:00\" (of the month) or "
	              "\"first working day of quarter 07:00\"");
	return r;
}

int schedule_parse(const char *text, struct schedule *ret, struct lserr *e)
{
	if (!text || strlen(text) > SCHEDULE_MAX_BYTES)
		return refuse(e, text ? text : "");
	const char *p = text;
	char w[6][16];
	size_t n = 0;
	while (n < 6 && next_word(&p, w[n], sizeof(w[n])))
		n++;
	while (*p == ' ')
		p++;
	if (*p)
		return refuse(e, text); /* more words than any form has, or an overlong word */
	struct schedule sc = {0};
	bool first_working =
	        n >= 4 && strcmp(w[0], "first") == 0 && strcmp(w[1], "working") == 0 && strcmp(w[2], "day") == 0;
	if (n == 3 && strcmp(w[0], "every") == 0) {
		int d = -1;
		for (int i = 0; i < 7; i++)
			if (strcmp(w[1], weekdays[i]) == 0)
				d = i;
		if (d < 0 || !parse_hhmm(w[2], &sc.minute))
			return refuse(e, text);
		sc.kind = SCHEDULE_WEEKDAY;
		sc.weekday = d;
	} else if (first_working && n == 4 && parse_hhmm(w[3], &sc.minute)) {
		sc.kind = SCHEDULE_FIRST_WORKING_MONTH;
	} else if (first_working && n == 6 && strcmp(w[3], "of") == 0 && parse_hhmm(w[5], &sc.minute) &&
	           (strcmp(w[4], "month") == 0 || strcmp(w[4], "quarter") == 0)) {
		sc.kind = strcmp(w[4], "month") == 0 ? SCHEDULE_FIRST_WORKING_MONTH : SCHEDULE_FIRST_WORKING_QUARTER;
	} else {
		return refuse(e, text);
	}
	*ret = sc;
	return 0;
}

char *schedule_format(const struct schedule *sc, char *buf, size_t n)
{
	int h = sc->minute / 60, m = sc->minute % 60;
	switch (sc->kind) {
	case SCHEDULE_WEEKDAY: snprintf(buf, n, "every %s %02d:%02d", weekdays[sc->weekday % 7], h, m); break;
	case SCHEDULE_FIRST_WORKING_MONTH: snprintf(buf, n, "first working day of month %02d:%02d", h, m); break;
	default: snprintf(buf, n, "first working day of quarter %02d:%02d", h, m); break;
	}
	return buf;
}

/* The first working day of month (year y, month m 1..12) as a day number. */
static int first_working_day(enum holidays_region region, int64_t y, unsigned m, int64_t *ret, struct lserr *e)
{
	struct holiday hs[HOLIDAYS_MAX_PER_YEAR];
	size_t nh = 0;
	int r = holidays_year(region, (int)y, hs, &nh, e);
	if (r < 0)
		return r;
	int64_t d = time_days_from_civil(y, m, 1);
	for (;; d++) {
		bool off = schedule_weekday(d) >= 5;
		for (size_t i = 0; i < nh && !off; i++)
			off = hs[i].day == d;
		if (!off)
			break;
	}
	*ret = d;
	return 0;
}

int schedule_next(const struct schedule *sc, const struct tz *tz, enum holidays_region region, ls_time after,
                  ls_time *ret, struct lserr *e)
{
	int64_t local = after + tz_offset_at(tz, after);
	int64_t today = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	if (sc->kind == SCHEDULE_WEEKDAY) {
		/* a day before today too: a run late on the previous local day can still lie ahead in
		 * UTC only if the zone moved backwards, which the > after test sorts out */
		for (int64_t d = today - 1; d <= today + 8; d++) {
			if (schedule_weekday(d) != sc->weekday)
				continue;
			ls_time t = tz_local_to_utc(tz, d * 86400 + (int64_t)sc->minute * 60);
			if (t > after) {
				*ret = t;
				return 0;
			}
		}
		return lserr_set(e, -ERANGE, "internal", "schedule", "no run found within a week");
	}
	int64_t y;
	unsigned m, dd;
	time_civil_from_days(today, &y, &m, &dd);
	for (int i = 0; i < 16; i++) {
		if (sc->kind == SCHEDULE_FIRST_WORKING_QUARTER && (m - 1) % 3 != 0)
			goto next_month;
		int64_t d;
		int r = first_working_day(region, y, m, &d, e);
		if (r < 0)
			return r;
		ls_time t = tz_local_to_utc(tz, d * 86400 + (int64_t)sc->minute * 60);
		if (t > after) {
			*ret = t;
			return 0;
		}
	next_month:
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
	return lserr_set(e, -ERANGE, "internal", "schedule", "no run found within a year");
}
