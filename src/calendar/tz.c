/* Time zones from TZif files and POSIX TZ rules (see tz.h). Room: calendar.
 *
 * A zone is one sorted table of transitions: at[i] is a UTC instant, off[i] and
 * dst[i] the offset and DST flag in force from at[i] until at[i+1]; off0/dst0 hold
 * before at[0] (time type 0, RFC 8536 §3.2). The table holds the file's explicit
 * transitions followed by those generated from the footer rule through the end of
 * TZ_LAST_RULE_YEAR, so every query is one binary search and nothing consults the
 * C library's time-zone state. Invariants: at[] strictly ascending; no entry repeats
 * the offset and flag of the one before it. Leap-second ("right/") files are
 * refused: our instants are POSIX seconds. */
#include "calendar/tz.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/limits.h"

#define TZ_DEFAULT_DIR "/usr/share/zoneinfo"
#define MAX_ABS_OFFSET 93599       /* RFC 8536: utoff in [-89999, 93599] */
#define WINDOW         (26 * 3600) /* beyond any offset */

struct tz {
	char *name;
	size_t n, cap;
	int64_t *at;
	int32_t *off;
	uint8_t *dst;
	int32_t off0;
	uint8_t dst0;
};

/* ---- the transition table ---- */

static void table_push(struct tz *tz, int64_t at, int32_t off, uint8_t dst)
{
	if (tz->n > 0 && at == tz->at[tz->n - 1]) {
		/* Two changes at one instant (a footer rule with DST all year): the later wins. */
		tz->n--;
	}
	int32_t prev_off = tz->n ? tz->off[tz->n - 1] : tz->off0;
	uint8_t prev_dst = tz->n ? tz->dst[tz->n - 1] : tz->dst0;
	if (off == prev_off && dst == prev_dst)
		return;
	if (tz->n == tz->cap) {
		tz->cap = tz->cap ? tz->cap * 2 : 64;
		tz->at = xrealloc(tz->at, tz->cap * sizeof(*tz->at));
		tz->off = xrealloc(tz->off, tz->cap * sizeof(*tz->off));
		tz->dst = xrealloc(tz->dst, tz->cap * sizeof(*tz->dst));
	}
	tz->at[tz->n] = at;
	tz->off[tz->n] = off;
	tz->dst[tz->n] = dst;
	tz->n++;
}

/* Number of transitions at or before t, i.e. the period that contains t. */
static size_t period_of(const struct tz *tz, int64_t t)
{
	size_t lo = 0, hi = tz->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tz->at[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int32_t period_off(const struct tz *tz, size_t p)
{
	return p ? tz->off[p - 1] : tz->off0;
}

/* ---- POSIX TZ strings (the TZif footer) ---- */

struct rule_date {
	char kind; /* 'J': Julian 1..365 without Feb 29; 'N': zero-based 0..365; 'M': month.week.day */
	int a, b, c;
};

struct rule {
	int32_t std_off, dst_off; /* seconds east of UTC */
	bool has_dst;
	struct rule_date start, end;
	int32_t start_time, end_time; /* local seconds after midnight, may be negative or > 24 h */
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static const char *parse_abbr(const char *p)
{
	const char *s;
	if (*p == '<') {
		s = ++p;
		while (is_alpha(*p) || is_digit(*p) || *p == '+' || *p == '-')
			p++;
		if (*p != '>' || p - s < 3)
			return NULL;
		return p + 1;
	}
	s = p;
	while (is_alpha(*p))
		p++;
	return p - s < 3 ? NULL : p;
}

static const char *parse_num(const char *p, int max_digits, int *ret)
{
	int v = 0, k = 0;
	while (is_digit(*p) && k < max_digits) {
		v = v * 10 + (*p++ - '0');
		k++;
	}
	if (k == 0 || is_digit(*p))
		return NULL;
	*ret = v;
	return p;
}

/* [+-]h[h[h]][:mm[:ss]] with hours up to max_h; result in seconds, sign applied. */
static const char *parse_hms(const char *p, int max_h, int32_t *ret)
{
	int sign = 1, h, m = 0, s = 0;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!(p = parse_num(p, 3, &h)) || h > max_h)
		return NULL;
	if (*p == ':') {
		if (!(p = parse_num(p + 1, 2, &m)) || m > 59)
			return NULL;
		if (*p == ':' && (!(p = parse_num(p + 1, 2, &s)) || s > 59))
			return NULL;
	}
	*ret = sign * (h * 3600 + m * 60 + s);
	return p;
}

static const char *parse_rule_date(const char *p, struct rule_date *d, int32_t *time)
{
	if (*p == 'J') {
		d->kind = 'J';
		if (!(p = parse_num(p + 1, 3, &d->a)) || d->a < 1 || d->a > 365)
			return NULL;
	} else if (*p == 'M') {
		d->kind = 'M';
		if (!(p = parse_num(p + 1, 2, &d->a)) || d->a < 1 || d->a > 12 || *p != '.' ||
		    !(p = parse_num(p + 1, 1, &d->b)) || d->b < 1 || d->b > 5 || *p != '.' ||
		    !(p = parse_num(p + 1, 1, &d->c)) || d->c > 6)
			return NULL;
	} else {
		d->kind = 'N';
		if (!(p = parse_num(p, 3, &d->a)) || d->a > 365)
			return NULL;
	}
	*time = 2 * 3600;
	if (*p == '/')
		p = parse_hms(p + 1, 167, time); /* RFC 8536 §3.3.1 allows -167..167 hours */
	return p;
}

static int parse_rule(const char *s, struct rule *r)
{
	const char *p = s;
	int32_t v;
	memset(r, 0, sizeof(*r));
	if (!(p = parse_abbr(p)) || !(p = parse_hms(p, 24, &v)))
		return -EINVAL;
	r->std_off = -v; /* POSIX counts west as positive */
	if (!*p)
		return 0;
	if (!(p = parse_abbr(p)))
		return -EINVAL;
	r->has_dst = true;
	r->dst_off = r->std_off + 3600;
	if (*p && *p != ',') {
		if (!(p = parse_hms(p, 24, &v)))
			return -EINVAL;
		r->dst_off = -v;
	}
	if (!*p) {
		/* POSIX leaves the default rule to the implementation; US rules as glibc does */
		r->start = (struct rule_date){'M', 3, 2, 0};
		r->end = (struct rule_date){'M', 11, 1, 0};
		r->start_time = r->end_time = 2 * 3600;
		return 0;
	}
	if (*p != ',' || !(p = parse_rule_date(p + 1, &r->start, &r->start_time)) || *p != ',' ||
	    !(p = parse_rule_date(p + 1, &r->end, &r->end_time)) || *p)
		return -EINVAL;
	if (r->std_off < -MAX_ABS_OFFSET || r->std_off > MAX_ABS_OFFSET || r->dst_off < -MAX_ABS_OFFSET ||
	    r->dst_off > MAX_ABS_OFFSET)
		return -EINVAL;
	return 0;
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, int m)
{
	static const unsigned dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Local seconds at which a rule date of year y takes effect. */
static int64_t rule_local(const struct rule_date *d, int32_t time, int64_t y)
{
	int64_t day;
	switch (d->kind) {
	case 'J': day = time_days_from_civil(y, 1, 1) + d->a - 1 + (is_leap(y) && d->a >= 60); break;
	case 'N': day = time_days_from_civil(y, 1, 1) + d->a; break;
	default: {
		int64_t first = time_days_from_civil(y, (unsigned)d->a, 1);
		int wd_first = (int)(((first % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday; Sunday = 0 */
		day = first + (d->c - wd_first + 7) % 7 + (d->b - 1) * 7;
		while (day >= first + month_days(y, d->a))
			day -= 7;
	}
	}
	return day * 86400 + time;
}

struct gen {
	int64_t at;
	int order; /* at equal instants the end of DST sorts first, so a DST start wins */
	bool to_dst;
};

static int gen_cmp(const void *a, const void *b)
{
	const struct gen *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->order - y->order;
}

static void append_rule(struct tz *tz, const struct rule *r)
{
	if (!r->has_dst)
		return; /* a fixed offset agrees with the last transition's type (RFC 8536 §3.3) */
	int64_t last = tz->n ? tz->at[tz->n - 1] : INT64_MIN;
	int64_t y0 = 1900;
	if (tz->n) {
		int64_t yy;
		unsigned mm, dd;
		time_civil_from_days(last / 86400 - (last % 86400 < 0), &yy, &mm, &dd);
		y0 = yy - 1;
	}
	if (y0 > TZ_LAST_RULE_YEAR)
		return;
	/* One year more than kept, so that a DST-all-year rule ("EST5EDT4,0/0,J365/25")
	 * does not end with a spurious return to standard time. */
	size_t ng = (size_t)(TZ_LAST_RULE_YEAR + 1 - y0 + 1) * 2;
	int64_t cutoff = time_days_from_civil(TZ_LAST_RULE_YEAR + 1, 1, 1) * 86400;
	struct gen *g = xcalloc(ng, sizeof(*g));
	size_t k = 0;
	for (int64_t y = y0; y <= TZ_LAST_RULE_YEAR + 1; y++) {
		g[k++] = (struct gen){rule_local(&r->start, r->start_time, y) - r->std_off, 1, true};
		g[k++] = (struct gen){rule_local(&r->end, r->end_time, y) - r->dst_off, 0, false};
	}
	qsort(g, ng, sizeof(*g), gen_cmp);
	for (size_t i = 0; i < ng; i++)
		if (g[i].at > last && g[i].at < cutoff)
			table_push(tz, g[i].at, g[i].to_dst ? r->dst_off : r->std_off, g[i].to_dst);
	xfree(g);
}

/* ---- TZif ---- */

struct rd {
	const uint8_t *p, *end;
};

static const uint8_t *take(struct rd *r, size_t n)
{
	if ((size_t)(r->end - r->p) < n)
		return NULL;
	const uint8_t *p = r->p;
	r->p += n;
	return p;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const uint8_t *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct hdr {
	char version;
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static int read_hdr(struct rd *r, struct hdr *h)
{
	const uint8_t *p = take(r, 44);
	if (!p || memcmp(p, "TZif", 4) != 0)
		return -EINVAL;
	h->version = (char)p[4];
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	return 0;
}

static size_t block_size(const struct hdr *h, size_t ts)
{
	return (size_t)h->timecnt * ts + h->timecnt + (size_t)h->typecnt * 6 + h->charcnt +
	       (size_t)h->leapcnt * (ts + 4) + h->isstdcnt + h->isutcnt;
}

static int read_block(struct rd *r, const struct hdr *h, size_t ts, struct tz *tz, const char **why)
{
	if (h->typecnt == 0 || h->typecnt > 256 || h->charcnt == 0 || (h->isutcnt && h->isutcnt != h->typecnt) ||
	    (h->isstdcnt && h->isstdcnt != h->typecnt)) {
		*why = "inconsistent header counts";
		return -EINVAL;
	}
	if (h->leapcnt) {
		*why = "zones with leap seconds are not supported";
		return -EINVAL;
	}
	const uint8_t *times = take(r, (size_t)h->timecnt * ts), *idx = take(r, h->timecnt),
	              *types = take(r, (size_t)h->typecnt * 6);
	if (!times || !idx || !types || !take(r, (size_t)h->charcnt + h->isstdcnt + h->isutcnt)) {
		*why = "truncated";
		return -EINVAL;
	}
	for (uint32_t i = 0; i < h->typecnt; i++) {
		int32_t off = (int32_t)be32(types + 6 * i);
		if (off < -89999 || off > MAX_ABS_OFFSET || types[6 * i + 4] > 1 || types[6 * i + 5] >= h->charcnt) {
			*why = "invalid local time type";
			return -EINVAL;
		}
	}
	tz->off0 = (int32_t)be32(types);
	tz->dst0 = types[4];
	int64_t prev = INT64_MIN;
	for (uint32_t i = 0; i < h->timecnt; i++) {
		int64_t at = ts == 8 ? be64(times + 8 * i) : (int64_t)(int32_t)be32(times + 4 * i);
		if ((i > 0 && at <= prev) || idx[i] >= h->typecnt) {
			*why = "transitions out of order or with an invalid type";
			return -EINVAL;
		}
		prev = at;
		const uint8_t *t = types + 6 * idx[i];
		table_push(tz, at, (int32_t)be32(t), t[4]);
	}
	return 0;
}

static int parse_tzif(const uint8_t *data, size_t n, struct tz *tz, const char **why)
{
	struct rd r = {data, data + n};
	struct hdr h;
	int rc;
	if (read_hdr(&r, &h) < 0) {
		*why = "no TZif header";
		return -EINVAL;
	}
	if (h.version == 0) {
		return read_block(&r, &h, 4, tz, why);
	}
	if (h.version < '2' || h.version > '4') {
		*why = "unknown TZif version";
		return -EINVAL;
	}
	if (!take(&r, block_size(&h, 4)) || read_hdr(&r, &h) < 0) {
		*why = "truncated";
		return -EINVAL;
	}
	if ((rc = read_block(&r, &h, 8, tz, why)) < 0)
		return rc;
	const uint8_t *nl = take(&r, 1);
	if (!nl || *nl != '\n') {
		*why = "missing footer";
		return -EINVAL;
	}
	const uint8_t *s = r.p, *e = memchr(s, '\n', (size_t)(r.end - r.p));
	if (!e || (size_t)(e - s) > 128) {
		*why = "malformed footer";
		return -EINVAL;
	}
	if (e > s) {
		char footer[130];
		memcpy(footer, s, (size_t)(e - s));
		footer[e - s] = '\0';
		struct rule rule;
		if (parse_rule(footer, &rule) < 0) {
			*why = "malformed footer rule";
			return -EINVAL;
		}
		append_rule(tz, &rule);
	}
	return 0;
}

int tz_parse(const char *name, const void *data, size_t n, struct tz **ret, struct lserr *e)
{
	struct tz *tz = xcalloc(1, sizeof(*tz));
	const char *why = "";
	int rc = parse_tzif(data, n, tz, &why);
	if (rc < 0) {
		tz_free(tz);
		return lserr_set(e, rc, "invalid_field", "tz", "tz: '%s' is not a valid TZif file: %s", name, why);
	}
	tz->name = xstrdup(name);
	*ret = tz;
	return 0;
}

static bool name_ok(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > 255 || s[0] == '/' || s[0] == '-')
		return false;
	const char *comp = s;
	for (const char *p = s;; p++) {
		if (*p == '/' || *p == '\0') {
			size_t cl = (size_t)(p - comp);
			if (cl == 0 || (cl == 1 && comp[0] == '.') || (cl == 2 && comp[0] == '.' && comp[1] == '.'))
				return false;
			if (!*p)
				return true;
			comp = p + 1;
		} else if (!is_alpha(*p) && !is_digit(*p) && *p != '_' && *p != '-' && *p != '+' && *p != '.') {
			return false;
		}
	}
}

int tz_load(const char *name, struct tz **ret, struct lserr *e)
{
	if (!name || !name_ok(name))
		return lserr_set(e, -EINVAL, "invalid_field", "tz", "tz: '%s' is not a time zone name",
		                 name ? name : "");
	const char *dir = getenv("TZDIR");
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : TZ_DEFAULT_DIR, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int rc = -errno;
		if (rc == -ENOENT || rc == -ENOTDIR)
			return lserr_set(e, -ENOENT, "invalid_field", "tz", "tz: unknown time zone '%s'", name);
		return lserr_set(e, rc, "invalid_field", "tz", "tz: cannot read time zone '%s': %s", name, err_str(rc));
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > LS_MAX_TZIF_BYTES) {
		close(fd);
		return lserr_set(e, -ENOENT, "invalid_field", "tz", "tz: unknown time zone '%s'", name);
	}
	size_t size = (size_t)st.st_size, got = 0;
	_cleanup_free_ uint8_t *buf = xmalloc(size ? size : 1);
	while (got < size) {
		ssize_t k = read(fd, buf + got, size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	return tz_parse(name, buf, got, ret, e);
}

void tz_free(struct tz *tz)
{
	if (!tz)
		return;
	xfree(tz->name);
	xfree(tz->at);
	xfree(tz->off);
	xfree(tz->dst);
	xfree(tz);
}

struct tz *tz_dup(const struct tz *src)
{
	struct tz *tz = xcalloc(1, sizeof(*tz));
	*tz = *src;
	tz->name = xstrdup(src->name);
	tz->cap = src->n;
	tz->at = xmalloc((src->n ? src->n : 1) * sizeof(*tz->at));
	tz->off = xmalloc((src->n ? src->n : 1) * sizeof(*tz->off));
	tz->dst = xmalloc(src->n ? src->n : 1);
	if (src->n) {
		memcpy(tz->at, src->at, src->n * sizeof(*tz->at));
		memcpy(tz->off, src->off, src->n * sizeof(*tz->off));
		memcpy(tz->dst, src->dst, src->n);
	}
	return tz;
}

const char *tz_name(const struct tz *tz)
{
	return tz->name;
}

int32_t tz_offset_at(const struct tz *tz, ls_time t)
{
	return period_off(tz, period_of(tz, t));
}

int tz_is_dst(const struct tz *tz, ls_time t)
{
	size_t p = period_of(tz, t);
	return p ? tz->dst[p - 1] : tz->dst0;
}

ls_time tz_local_to_utc(const struct tz *tz, int64_t local)
{
	const int64_t lim = INT64_MAX / 2;
	if (local > lim)
		local = lim;
	if (local < -lim)
		local = -lim;
	size_t p0 = period_of(tz, local - WINDOW), p1 = period_of(tz, local + WINDOW);
	/* Valid readings: periods whose offset puts local inside them. Two in an overlap;
	 * the first occurrence is the smaller instant. */
	bool found = false;
	int64_t best = 0;
	for (size_t p = p0; p <= p1; p++) {
		int64_t u = local - period_off(tz, p);
		if ((p == 0 || u >= tz->at[p - 1]) && (p == tz->n || u < tz->at[p]) && (!found || u < best)) {
			best = u;
			found = true;
		}
	}
	if (found)
		return best;
	/* In a gap: the transition whose skipped wall-clock span contains local. */
	for (size_t p = p0 > 0 ? p0 : 1; p <= p1; p++) {
		int64_t t = tz->at[p - 1];
		if (local >= t + period_off(tz, p - 1) && local < t + period_off(tz, p))
			return t;
	}
	return local - period_off(tz, p1);
}

char *tz_format_rfc3339(const struct tz *tz, ls_time t, char *buf, size_t n)
{
	int32_t off = tz_offset_at(tz, t);
	if (off % 60 != 0 || t > INT64_MAX / 2 || t < INT64_MIN / 2)
		off = 0;
	int64_t local = t + off, days = local / 86400, secs = local % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	time_civil_from_days(days, &y, &m, &d);
	int aoff = off < 0 ? -off : off;
	snprintf(buf, n, "%04lld-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", (long long)y, m, d, (int)(secs / 3600),
	         (int)(secs / 60 % 60), (int)(secs % 60), off < 0 ? '-' : '+', aoff / 3600, aoff / 60 % 60);
	return buf;
}

size_t tz_transition_count(const struct tz *tz)
{
	return tz->n;
}

int tz_transition(const struct tz *tz, size_t i, ls_time *ret_at, int32_t *ret_offset)
{
	if (i >= tz->n)
		return -ERANGE;
	if (ret_at)
		*ret_at = tz->at[i];
	if (ret_offset)
		*ret_offset = tz->off[i];
	return 0;
}
