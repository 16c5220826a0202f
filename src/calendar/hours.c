/* The opening-hours syntax (see hours.h). Room: calendar.
 *
 * A hand-written scanner over (pointer, length) slices of the input: nothing is
 * copied or modified, so an error can quote exactly the part that is wrong. Frames
 * are staged with their weekday, then sorted, checked for overlaps, merged where
 * they touch and indexed by weekday. Input size and frame count are bounded by
 * core/limits.h before anything grows. */
#include "calendar/hours.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

struct staged {
	uint8_t day;
	uint16_t start, end;
};

const char *hours_day_to_string(unsigned wday)
{
	return wday < 7 ? day_names[wday] : NULL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Next whitespace-separated token of [*p, end), or false at the end. */
static bool next_token(const char **p, const char *end, const char **tok, size_t *n)
{
	const char *s = *p;
	while (s < end && is_space(*s))
		s++;
	if (s == end)
		return false;
	const char *t = s;
	while (t < end && !is_space(*t))
		t++;
	*tok = s;
	*n = (size_t)(t - s);
	*p = t;
	return true;
}

static int day_from(const char *s, size_t n)
{
	if (n == 3)
		for (int i = 0; i < 7; i++)
			if (strncasecmp(s, day_names[i], 3) == 0)
				return i;
	return -1;
}

static bool two_digits(const char *s, int *ret)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return false;
	*ret = (s[0] - '0') * 10 + (s[1] - '0');
	return true;
}

/* "HH:MM" (exactly five characters) → minutes 0..1440, or -1. */
static int hhmm(const char *s)
{
	int h, m;
	if (!two_digits(s, &h) || s[2] != ':' || !two_digits(s + 3, &m) || m > 59 || h > 24 || (h == 24 && m))
		return -1;
	return h * 60 + m;
}

static int frame_error(struct lserr *e, const char *field, const char *tok, size_t n, const char *why)
{
	return lserr_set(e, -EINVAL, "invalid_field", field, "%s: '%.*s' %s", field, (int)(n > 60 ? 60 : n), tok, why);
}

static int parse_frame(const char *tok, size_t n, const char *field, struct hours_frame *f, struct lserr *e)
{
	if (n != 11 || tok[5] != '-')
		return frame_error(e, field, tok, n, "is not a time frame; write HH:MM-HH:MM, e.g. 08:00-17:00");
	int s = hhmm(tok), t = hhmm(tok + 6);
	if (s < 0)
		return frame_error(e, field, tok, 5, "is not a time; use 00:00 to 23:59 for a start");
	if (t < 0)
		return frame_error(e, field, tok + 6, 5, "is not a time; use 00:01 to 24:00 for an end");
	if (s == 1440)
		return frame_error(e, field, tok, n, "starts at 24:00; write 00:00 on the next day");
	if (t == s)
		return frame_error(e, field, tok, n, "is empty");
	if (t < s) {
		frame_error(e, field, tok, n, "crosses midnight");
		lserr_hint(e, "write it as two frames, e.g. 'tue %.5s-24:00; wed 00:00-%.5s'", tok, tok + 6);
		return -EINVAL;
	}
	f->start = (uint16_t)s;
	f->end = (uint16_t)t;
	return 0;
}

static int staged_cmp(const void *a, const void *b)
{
	const struct staged *x = a, *y = b;
	if (x->day != y->day)
		return x->day - y->day;
	return x->start - y->start;
}

/* Sorts, rejects overlaps, merges touching frames; n is updated. */
static int normalise(struct staged *v, size_t *n, const char *field, struct lserr *e)
{
	qsort(v, *n, sizeof(*v), staged_cmp);
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		if (k > 0 && v[k - 1].day == v[i].day && v[i].start <= v[k - 1].end) {
			if (v[i].start < v[k - 1].end)
				return lserr_set(e, -EINVAL, "invalid_field", field,
				                 "%s: frames %02u:%02u-%02u:%02u and %02u:%02u-%02u:%02u overlap on %s",
				                 field, v[k - 1].start / 60, v[k - 1].start % 60, v[k - 1].end / 60,
				                 v[k - 1].end % 60, v[i].start / 60, v[i].start % 60, v[i].end / 60,
				                 v[i].end % 60, day_names[v[i].day]);
			if (v[i].end > v[k - 1].end)
				v[k - 1].end = v[i].end;
			continue;
		}
		v[k++] = v[i];
	}
	*n = k;
	return 0;
}

static int too_many(struct lserr *e, const char *field)
{
	return lserr_set(e, -LS_ETOOLARGE, "invalid_field", field, "%s: more than %d time frames", field,
	                 HOURS_MAX_FRAMES);
}

/* Day list "mon-fri,sun" → bit mask of weekdays. */
static int parse_days(const char *tok, size_t n, const char *group, size_t gn, unsigned *ret, struct lserr *e)
{
	unsigned mask = 0;
	const char *p = tok, *end = tok + n;
	for (;;) {
		const char *item = p;
		while (p < end && *p != ',')
			p++;
		size_t in = (size_t)(p - item);
		const char *dash = memchr(item, '-', in);
		int a = day_from(item, dash ? (size_t)(dash - item) : in), b = a;
		if (dash)
			b = day_from(dash + 1, (size_t)(item + in - dash - 1));
		if (a < 0 || b < 0) {
			lserr_set(e, -EINVAL, "invalid_field", "hours",
			          "hours: '%.*s' is not a day or day range in '%.*s'", (int)(in > 40 ? 40 : in), item,
			          (int)(gn > 80 ? 80 : gn), group);
			lserr_hint(e, "days are mon tue wed thu fri sat sun, "
			              "e.g. 'mon-fri 08:00-17:00; sat 09:00-13:00'");
			return -EINVAL;
		}
		for (int d = a;; d = (d + 1) % 7) { /* a range may wrap: fri-mon */
			mask |= 1u << d;
			if (d == b)
				break;
		}
		if (p == end)
			break;
		p++; /* the comma */
	}
	*ret = mask;
	return 0;
}

static void index_days(const struct staged *v, size_t n, struct hours *h)
{
	size_t i = 0;
	for (unsigned d = 0; d < 7; d++) {
		h->first[d] = (uint16_t)i;
		while (i < n && v[i].day == d) {
			h->f[i] = (struct hours_frame){v[i].start, v[i].end};
			i++;
		}
	}
	h->first[7] = (uint16_t)i;
}

int hours_parse(const char *s, struct hours *ret, struct lserr *e)
{
	if (!s)
		s = "";
	size_t len = strlen(s);
	if (len > LS_MAX_HOURS_BYTES)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "hours", "hours: longer than %d bytes",
		                 LS_MAX_HOURS_BYTES);
	_cleanup_free_ struct staged *v = xcalloc(HOURS_MAX_FRAMES, sizeof(*v));
	size_t n = 0;
	bool any_group = false;
	const char *p = s, *end = s + len;
	while (p < end) {
		const char *gs = p, *ge = memchr(p, ';', (size_t)(end - p));
		if (!ge)
			ge = end;
		p = ge + (ge < end);
		while (gs < ge && is_space(*gs))
			gs++;
		size_t gn = (size_t)(ge - gs);
		while (gn && is_space(gs[gn - 1]))
			gn--;
		const char *q = gs, *tok;
		size_t tn;
		if (!next_token(&q, ge, &tok, &tn))
			continue; /* empty group: "a; ;b" or a trailing ';' */
		any_group = true;
		unsigned mask;
		if (tok[0] >= '0' && tok[0] <= '9') {
			lserr_set(e, -EINVAL, "invalid_field", "hours", "hours: '%.*s' starts without days",
			          (int)(gn > 80 ? 80 : gn), gs);
			lserr_hint(e, "name the days first, e.g. 'mon-fri 08:00-17:00'");
			return -EINVAL;
		}
		int r = parse_days(tok, tn, gs, gn, &mask, e);
		if (r < 0)
			return r;
		bool any_frame = false;
		while (next_token(&q, ge, &tok, &tn)) {
			struct hours_frame f;
			if ((r = parse_frame(tok, tn, "hours", &f, e)) < 0)
				return r;
			any_frame = true;
			for (unsigned d = 0; d < 7; d++) {
				if (!(mask & (1u << d)))
					continue;
				if (n == HOURS_MAX_FRAMES)
					return too_many(e, "hours");
				v[n++] = (struct staged){(uint8_t)d, f.start, f.end};
			}
		}
		if (!any_frame) {
			lserr_set(e, -EINVAL, "invalid_field", "hours", "hours: '%.*s' has no time frames",
			          (int)(gn > 80 ? 80 : gn), gs);
			lserr_hint(e, "write the frames after the days, e.g. 'sat 09:00-13:00'");
			return -EINVAL;
		}
	}
	if (!any_group) {
		lserr_set(e, -EINVAL, "invalid_field", "hours", "hours: empty");
		lserr_hint(e, "e.g. 'mon-fri 08:00-17:00', or 'mon-sun 00:00-24:00' for 24x7");
		return -EINVAL;
	}
	int r = normalise(v, &n, "hours", e);
	if (r < 0)
		return r;
	index_days(v, n, ret);
	return 0;
}

int hours_parse_frames(const char *s, const char *field, struct hours_frame *out, size_t max, size_t *ret_n,
                       struct lserr *e)
{
	if (!s)
		s = "";
	size_t len = strlen(s);
	if (len > LS_MAX_HOURS_BYTES)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", field, "%s: longer than %d bytes", field,
		                 LS_MAX_HOURS_BYTES);
	_cleanup_free_ struct staged *v = xcalloc(max ? max : 1, sizeof(*v));
	size_t n = 0, tn;
	const char *p = s, *tok;
	int r;
	while (next_token(&p, s + len, &tok, &tn)) {
		struct hours_frame f;
		if ((r = parse_frame(tok, tn, field, &f, e)) < 0)
			return r;
		if (n == max)
			return too_many(e, field);
		v[n++] = (struct staged){0, f.start, f.end};
	}
	if (n == 0)
		return lserr_set(e, -EINVAL, "invalid_field", field, "%s: no time frames", field);
	if ((r = normalise(v, &n, field, e)) < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		out[i] = (struct hours_frame){v[i].start, v[i].end};
	*ret_n = n;
	return 0;
}

static bool same_frames(const struct hours *h, unsigned a, unsigned b)
{
	unsigned na = h->first[a + 1] - h->first[a], nb = h->first[b + 1] - h->first[b];
	return na == nb && memcmp(&h->f[h->first[a]], &h->f[h->first[b]], na * sizeof(h->f[0])) == 0;
}

int hours_format(const struct hours *h, struct strbuf *sb)
{
	unsigned done = 0;
	bool first_group = true;
	for (unsigned d = 0; d < 7; d++) {
		if ((done & (1u << d)) || h->first[d] == h->first[d + 1])
			continue;
		unsigned mask = 0;
		for (unsigned x = d; x < 7; x++)
			if (same_frames(h, d, x))
				mask |= 1u << x;
		done |= mask;
		if (!first_group)
			strbuf_adds(sb, "; ");
		first_group = false;
		bool first_item = true;
		for (unsigned x = 0; x < 7; x++) {
			if (!(mask & (1u << x)) || (x > 0 && (mask & (1u << (x - 1)))))
				continue;
			unsigned y = x;
			while (y + 1 < 7 && (mask & (1u << (y + 1))))
				y++;
			strbuf_addf(sb, "%s%s", first_item ? "" : ",", day_names[x]);
			if (y > x)
				strbuf_addf(sb, "-%s", day_names[y]);
			first_item = false;
		}
		for (unsigned i = h->first[d]; i < h->first[d + 1]; i++)
			strbuf_addf(sb, " %02u:%02u-%02u:%02u", h->f[i].start / 60u, h->f[i].start % 60u,
			            h->f[i].end / 60u, h->f[i].end % 60u);
	}
	return strbuf_ok(sb) ? 0 : -LS_ETOOLARGE;
}

unsigned hours_weekly_minutes(const struct hours *h)
{
	unsigned m = 0;
	for (unsigned i = 0; i < h->first[7]; i++)
		m += (unsigned)(h->f[i].end - h->f[i].start);
	return m;
}
