/* Compiled business calendars (see calendar.h). Room: calendar.
 *
 * Compiling walks the local days of the requested years once: each day gets its
 * frames (an extra open day's, none on a holiday or closed day, else its weekday's),
 * each frame boundary goes through tz_local_to_utc(), and the resulting UTC
 * intervals are appended, merging any that touch (24:00 → 00:00). Invariants of a
 * compiled calendar: start[i] < end[i] < start[i+1]; cum[i] is the business time
 * before interval i, cum[n] the total. With B(t) = business seconds from the range
 * start to t, elapsed is B(to) − B(from) and add is the inverse of B, each one
 * binary search over start[] or cum[]. Closed days and holidays are a bitmap over
 * CALENDAR_FIRST_YEAR..LAST_YEAR, which bounds every user-given date list. */
#include "calendar/calendar.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/hours.h"
#include "core/alloc.h"
#include "core/limits.h"

#define DAY0  ((int32_t)9131)  /* time_days_from_civil(1995, 1, 1) */
#define NDAYS ((int32_t)38351) /* days of 1995-01-01 .. 2099-12-31 */

struct open_day {
	int32_t day;
	uint16_t first, n; /* frames in open_frames; n == 0: the weekday's frames */
};

struct calendar {
	struct tz *tz;
	struct hours hours;
	enum holidays_region region;
	const char *holidays_version;
	uint8_t closed[(NDAYS + 7) / 8]; /* extra closed days, bit (day - DAY0) */
	struct open_day *open;
	size_t n_open;
	struct hours_frame *open_frames;
	size_t n_open_frames;

	/* compiled */
	int first_year, last_year;
	ls_time lo, hi;
	size_t n;
	int64_t *start, *end, *cum; /* cum has n + 1 entries */
};

/* ---- definition ---- */

static bool bit(const uint8_t *m, int32_t i)
{
	return m[i / 8] & (1u << (i % 8));
}

static void set_bit(uint8_t *m, int32_t i)
{
	m[i / 8] |= (uint8_t)(1u << (i % 8));
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Exactly "YYYY-MM-DD" at s → days since the epoch within the calendar years. */
static int parse_date(const char *s, size_t n, const char *field, int32_t *ret, struct lserr *e)
{
	static const unsigned dm[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = n == 10 ? digits(s, 4) : -1, m = n == 10 ? digits(s + 5, 2) : -1, d = n == 10 ? digits(s + 8, 2) : -1;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 0 || m < 1 || m > 12 || d < 1 || s[4] != '-' || s[7] != '-' || (unsigned)d > dm[m - 1] ||
	    (m == 2 && d == 29 && !leap))
		return lserr_set(e, -EINVAL, "invalid_field", field, "%s: '%.*s' is not a date (YYYY-MM-DD)", field,
		                 (int)(n > 40 ? 40 : n), s);
	if (y < CALENDAR_FIRST_YEAR || y > CALENDAR_LAST_YEAR)
		return lserr_set(e, -ERANGE, "invalid_field", field, "%s: %.10s is outside %d-%d", field, s,
		                 CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
	*ret = (int32_t)time_days_from_civil(y, (unsigned)m, (unsigned)d);
	return 0;
}

static int parse_closed(struct calendar *cal, const char *s, struct lserr *e)
{
	size_t len = strlen(s);
	const char *dots = strstr(s, "..");
	int32_t a, b;
	int r;
	if (dots) {
		if ((r = parse_date(s, (size_t)(dots - s), "closed", &a, e)) < 0 ||
		    (r = parse_date(dots + 2, len - (size_t)(dots - s) - 2, "closed", &b, e)) < 0)
			return r;
		if (b < a)
			return lserr_set(e, -EINVAL, "invalid_field", "closed",
			                 "closed: range '%s' ends before it starts", s);
	} else {
		if ((r = parse_date(s, len, "closed", &a, e)) < 0)
			return r;
		b = a;
	}
	for (int32_t d = a; d <= b; d++)
		set_bit(cal->closed, d - DAY0);
	return 0;
}

static int open_cmp(const void *x, const void *y)
{
	const struct open_day *a = x, *b = y;
	return (a->day > b->day) - (a->day < b->day);
}

static int parse_open(struct calendar *cal, const char *s, struct lserr *e)
{
	size_t len = strlen(s), dl = 0;
	while (dl < len && s[dl] != ' ' && s[dl] != '\t')
		dl++;
	int32_t day;
	int r;
	if ((r = parse_date(s, dl, "open", &day, e)) < 0)
		return r;
	struct open_day od = {day, (uint16_t)cal->n_open_frames, 0};
	const char *rest = s + dl;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	if (*rest) {
		struct hours_frame f[HOURS_MAX_FRAMES];
		size_t nf;
		if ((r = hours_parse_frames(rest, "open", f, ELEMENTSOF(f), &nf, e)) < 0)
			return r;
		if (cal->n_open_frames + nf > HOURS_MAX_FRAMES)
			return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "open",
			                 "open: more than %d time frames in all", HOURS_MAX_FRAMES);
		cal->open_frames = xrealloc(cal->open_frames, (cal->n_open_frames + nf) * sizeof(*f));
		memcpy(cal->open_frames + cal->n_open_frames, f, nf * sizeof(*f));
		cal->n_open_frames += nf;
		od.n = (uint16_t)nf;
	} else {
		unsigned wd = (unsigned)(((day % 7) + 7 + 3) % 7);
		if (cal->hours.first[wd] == cal->hours.first[wd + 1]) {
			lserr_set(e, -EINVAL, "invalid_field", "open",
			          "open: %.10s is a %s, which has no opening hours to reopen", s,
			          hours_day_to_string(wd));
			lserr_hint(e, "give the day its frames, e.g. '%.10s 09:00-13:00'", s);
			return -EINVAL;
		}
	}
	cal->open[cal->n_open++] = od;
	return 0;
}

static int check_years(int first, int last, struct lserr *e)
{
	if (first < CALENDAR_FIRST_YEAR || last > CALENDAR_LAST_YEAR || first > last)
		return lserr_set(e, -ERANGE, "invalid_field", "year", "years %d-%d are outside %d-%d", first, last,
		                 CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
	return 0;
}

/* ---- compiling ---- */

struct builder {
	size_t n, cap;
	int64_t *start, *end;
};

static void push(struct builder *b, int64_t s, int64_t t)
{
	if (t <= s)
		return; /* a frame that lies wholly in a DST gap */
	if (b->n && s <= b->end[b->n - 1]) {
		if (t > b->end[b->n - 1])
			b->end[b->n - 1] = t;
		return;
	}
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 1024;
		b->start = xrealloc(b->start, b->cap * sizeof(*b->start));
		b->end = xrealloc(b->end, b->cap * sizeof(*b->end));
	}
	b->start[b->n] = s;
	b->end[b->n] = t;
	b->n++;
}

static const struct open_day *find_open(const struct calendar *cal, int32_t day)
{
	struct open_day key = {.day = day};
	return bsearch(&key, cal->open, cal->n_open, sizeof(key), open_cmp);
}

static int compile_range(struct calendar *cal, int first, int last, struct lserr *e)
{
	int r = check_years(first, last, e);
	if (r < 0)
		return r;
	int32_t d0 = (int32_t)time_days_from_civil(first, 1, 1), d1 = (int32_t)time_days_from_civil(last + 1, 1, 1);
	_cleanup_free_ uint8_t *shut = xcalloc(sizeof(cal->closed), 1);
	memcpy(shut, cal->closed, sizeof(cal->closed));
	for (int y = first; y <= last; y++) {
		struct holiday h[HOLIDAYS_MAX_PER_YEAR];
		size_t nh;
		if ((r = holidays_year(cal->region, y, h, &nh, e)) < 0)
			return r;
		for (size_t i = 0; i < nh; i++)
			set_bit(shut, h[i].day - DAY0);
	}
	struct builder b = {0};
	for (int32_t day = d0; day < d1; day++) {
		const struct hours_frame *f;
		size_t nf;
		unsigned wd = (unsigned)(((day % 7) + 7 + 3) % 7); /* Monday = 0 */
		const struct open_day *od = cal->n_open ? find_open(cal, day) : NULL;
		if (od && od->n) {
			f = cal->open_frames + od->first;
			nf = od->n;
		} else if (!od && bit(shut, day - DAY0)) {
			continue;
		} else {
			f = cal->hours.f + cal->hours.first[wd];
			nf = (size_t)(cal->hours.first[wd + 1] - cal->hours.first[wd]);
		}
		int64_t base = (int64_t)day * 86400;
		for (size_t i = 0; i < nf; i++)
			push(&b, tz_local_to_utc(cal->tz, base + f[i].start * 60),
			     tz_local_to_utc(cal->tz, base + f[i].end * 60));
	}
	xfree(cal->start);
	xfree(cal->end);
	xfree(cal->cum);
	cal->n = b.n;
	cal->start = b.start ? b.start : xmalloc(sizeof(int64_t));
	cal->end = b.end ? b.end : xmalloc(sizeof(int64_t));
	cal->cum = xmalloc((b.n + 1) * sizeof(*cal->cum));
	cal->cum[0] = 0;
	for (size_t i = 0; i < b.n; i++)
		cal->cum[i + 1] = cal->cum[i] + (b.end[i] - b.start[i]);
	cal->first_year = first;
	cal->last_year = last;
	cal->lo = tz_local_to_utc(cal->tz, (int64_t)d0 * 86400);
	cal->hi = tz_local_to_utc(cal->tz, (int64_t)d1 * 86400);
	return 0;
}

int calendar_compile(const struct calendar_spec *spec, struct calendar **ret, struct lserr *e)
{
	int r;
	struct calendar *cal = xcalloc(1, sizeof(*cal));
	if (!spec->tz || !*spec->tz) {
		r = lserr_set(e, -EINVAL, "missing_field", "tz", "tz: a time zone is required, e.g. Europe/Berlin");
		goto fail;
	}
	if ((r = tz_load(spec->tz, &cal->tz, e)) < 0)
		goto fail;
	if ((r = hours_parse(spec->hours, &cal->hours, e)) < 0)
		goto fail;
	if (spec->holidays) {
		cal->region = holidays_region_from_string(spec->holidays);
		if ((int)cal->region < 0) {
			r = lserr_set(e, -EINVAL, "invalid_field", "holidays", "holidays: unknown region '%s'",
			              spec->holidays);
			lserr_hint(e, "use none, DE, DE-BW, DE-BY, DE-BY-CATHOLIC, DE-BY-AUGSBURG, DE-BE, DE-BB, "
			              "DE-HB, DE-HH, DE-HE, DE-MV, DE-NI, DE-NW, DE-RP, DE-SL, DE-SN, DE-ST, DE-SH "
			              "or DE-TH");
			goto fail;
		}
	}
	cal->holidays_version = holidays_data_version();
	if (spec->n_closed > LS_MAX_CALENDAR_DAYS || spec->n_open > LS_MAX_CALENDAR_DAYS) {
		const char *field = spec->n_closed > LS_MAX_CALENDAR_DAYS ? "closed" : "open";
		r = lserr_set(e, -LS_ETOOLARGE, "invalid_field", field, "%s: more than %d extra days", field,
		              LS_MAX_CALENDAR_DAYS);
		goto fail;
	}
	for (size_t i = 0; i < spec->n_closed; i++)
		if ((r = parse_closed(cal, spec->closed[i] ? spec->closed[i] : "", e)) < 0)
			goto fail;
	cal->open = xcalloc(spec->n_open ? spec->n_open : 1, sizeof(*cal->open));
	for (size_t i = 0; i < spec->n_open; i++)
		if ((r = parse_open(cal, spec->open[i] ? spec->open[i] : "", e)) < 0)
			goto fail;
	qsort(cal->open, cal->n_open, sizeof(*cal->open), open_cmp);
	for (size_t i = 0; i < cal->n_open; i++) {
		int64_t y;
		unsigned m, d;
		time_civil_from_days(cal->open[i].day, &y, &m, &d);
		if (i > 0 && cal->open[i].day == cal->open[i - 1].day) {
			r = lserr_set(e, -EINVAL, "invalid_field", "open", "open: %04lld-%02u-%02u is given twice",
			              (long long)y, m, d);
			goto fail;
		}
		if (bit(cal->closed, cal->open[i].day - DAY0)) {
			r = lserr_set(e, -EINVAL, "invalid_field", "open",
			              "open: %04lld-%02u-%02u is also a closed day", (long long)y, m, d);
			goto fail;
		}
	}
	int first = spec->first_year, last = spec->last_year;
	if (first == 0 && last == 0) {
		first = CALENDAR_FIRST_YEAR;
		last = CALENDAR_LAST_YEAR;
	}
	if ((r = compile_range(cal, first, last, e)) < 0)
		goto fail;
	*ret = cal;
	return 0;
fail:
	calendar_free(cal);
	return r;
}

int calendar_extend(struct calendar *cal, int first_year, int last_year, struct lserr *e)
{
	int r = check_years(first_year, last_year, e);
	if (r < 0)
		return r;
	if (first_year >= cal->first_year && last_year <= cal->last_year)
		return 0;
	return compile_range(cal, first_year < cal->first_year ? first_year : cal->first_year,
	                     last_year > cal->last_year ? last_year : cal->last_year, e);
}

void calendar_free(struct calendar *cal)
{
	if (!cal)
		return;
	tz_free(cal->tz);
	xfree(cal->open);
	xfree(cal->open_frames);
	xfree(cal->start);
	xfree(cal->end);
	xfree(cal->cum);
	xfree(cal);
}

const struct tz *calendar_tz(const struct calendar *cal)
{
	return cal->tz;
}

enum holidays_region calendar_region(const struct calendar *cal)
{
	return cal->region;
}

const char *calendar_holidays_version(const struct calendar *cal)
{
	return cal->holidays_version;
}

void calendar_range(const struct calendar *cal, ls_time *ret_lo, ls_time *ret_hi)
{
	*ret_lo = cal->lo;
	*ret_hi = cal->hi;
}

size_t calendar_interval_count(const struct calendar *cal)
{
	return cal->n;
}

int calendar_interval(const struct calendar *cal, size_t i, ls_time *ret_start, ls_time *ret_end)
{
	if (i >= cal->n)
		return -ERANGE;
	*ret_start = cal->start[i];
	*ret_end = cal->end[i];
	return 0;
}

/* ---- queries: the hot path ---- */

/* Number of elements of a[0..n) that are <= t (branch-free binary search). */
static inline size_t count_le(const int64_t *a, size_t n, int64_t t)
{
	if (n == 0)
		return 0;
	const int64_t *base = a;
	while (n > 1) {
		size_t half = n / 2;
		base = base[half] <= t ? base + half : base;
		n -= half;
	}
	return (size_t)(base - a) + (*base <= t);
}

/* Number of elements of a[0..n) that are < t. */
static inline size_t count_lt(const int64_t *a, size_t n, int64_t t)
{
	if (n == 0)
		return 0;
	const int64_t *base = a;
	while (n > 1) {
		size_t half = n / 2;
		base = base[half] < t ? base + half : base;
		n -= half;
	}
	return (size_t)(base - a) + (*base < t);
}

/* Business seconds from the range start to t. */
static inline int64_t business_before(const struct calendar *cal, ls_time t)
{
	size_t i = count_le(cal->start, cal->n, t);
	if (i == 0)
		return 0;
	i--;
	return cal->cum[i] + (t < cal->end[i] ? t : cal->end[i]) - cal->start[i];
}

static int out_of_range(const struct calendar *cal, ls_time t, const char *field, struct lserr *e)
{
	if (!e)
		return -ERANGE;
	char buf[TZ_RFC3339_MAX];
	return lserr_set(e, -ERANGE, "invalid_field", field, "%s: %s is outside the calendar's years %d-%d", field,
	                 tz_format_rfc3339(cal->tz, t, buf, sizeof(buf)), cal->first_year, cal->last_year);
}

static inline bool in_range(const struct calendar *cal, ls_time t)
{
	return t >= cal->lo && t <= cal->hi;
}

bool calendar_is_open(const struct calendar *cal, ls_time t)
{
	if (!in_range(cal, t))
		return false;
	size_t i = count_le(cal->start, cal->n, t);
	return i > 0 && t < cal->end[i - 1];
}

int calendar_elapsed(const struct calendar *cal, ls_time from, ls_time to, int64_t *ret_seconds, struct lserr *e)
{
	if (!in_range(cal, from))
		return out_of_range(cal, from, "from", e);
	if (!in_range(cal, to))
		return out_of_range(cal, to, "to", e);
	if (to < from)
		return lserr_set(e, -EINVAL, "invalid_field", "to", "to: lies before from");
	*ret_seconds = business_before(cal, to) - business_before(cal, from);
	return 0;
}

int calendar_next_open(const struct calendar *cal, ls_time t, ls_time *ret, struct lserr *e)
{
	if (!in_range(cal, t))
		return out_of_range(cal, t, "from", e);
	size_t i = count_le(cal->start, cal->n, t);
	if (i > 0 && t < cal->end[i - 1]) {
		*ret = t;
		return 0;
	}
	if (i == cal->n)
		return lserr_set(e, -ERANGE, "invalid_field", "from",
		                 "from: the calendar does not open again before %d", cal->last_year + 1);
	*ret = cal->start[i];
	return 0;
}

int calendar_next_close(const struct calendar *cal, ls_time t, ls_time *ret, struct lserr *e)
{
	if (!in_range(cal, t))
		return out_of_range(cal, t, "from", e);
	size_t i = count_le(cal->start, cal->n, t);
	size_t k = i > 0 && t < cal->end[i - 1] ? i - 1 : i;
	if (k == cal->n || cal->end[k] >= cal->hi)
		return lserr_set(e, -ERANGE, "invalid_field", "from", "from: the calendar does not close before %d",
		                 cal->last_year + 1);
	*ret = cal->end[k];
	return 0;
}

int calendar_add(const struct calendar *cal, ls_time from, int64_t seconds, ls_time *ret, struct lserr *e)
{
	if (!in_range(cal, from))
		return out_of_range(cal, from, "from", e);
	if (seconds < 0)
		return lserr_set(e, -EINVAL, "invalid_field", "seconds", "seconds: must not be negative");
	if (seconds == 0)
		return calendar_next_open(cal, from, ret, e);
	int64_t b = business_before(cal, from);
	if (seconds > cal->cum[cal->n] - b)
		return lserr_set(e, -ERANGE, "invalid_field", "seconds",
		                 "seconds: the result lies beyond the calendar's last year %d", cal->last_year);
	int64_t target = b + seconds;
	size_t j = count_lt(cal->cum + 1, cal->n, target);
	*ret = cal->start[j] + (target - cal->cum[j]);
	return 0;
}
