/* German public holidays from a rule file (see holidays.h). Room: calendar.
 *
 * The law lives in data, not here: holidays-de.txt, compiled in by scripts/embed.py
 * as holidays_builtin_rules[], or an operator's newer copy of it. Parsing turns a
 * file into a ruleset: its version, the holiday names (a holiday's id is the
 * position of its name line) and the rules in file order. A year's list is built by
 * applying every rule whose years and region match, sorting by date (stable, so
 * names on one day keep rule order) and folding a day that carries two holidays into
 * one entry. The parser refuses anything it does not understand with the file and
 * line, and checks every region and year 1995-2099 against the bounds of struct
 * holiday, so a file that loads never loses a holiday.
 *
 * A ruleset is immutable once published; `current` points at the one in force. The
 * first use publishes the built-in or $LEITSTAND_HOLIDAYS_FILE's rules under
 * pthread_once; later loads publish under a mutex and keep the replaced ruleset
 * reachable (`replaced`), because ids, names and version strings handed out from it
 * may still be in use. The table of regions stays in code: regions are part of the
 * API (enum holidays_region). */
#include "calendar/holidays.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/parse.h"
#include "core/timeutil.h"

/* generated from holidays-de.txt (meson.build) */
extern const char holidays_builtin_rules[];
extern const size_t holidays_builtin_rules_len;

#define BUILTIN_ORIGIN "holidays-de.txt (built in)"
#define FIELD          "holidays_file"
#define YEAR_MIN       1583 /* the Gregorian Easter computus starts here */
#define YEAR_MAX       9999
#define EASTER_MIN     (-80) /* 22 March - 80 days is 1 or 2 January */
#define EASTER_MAX     250   /* 25 April + 250 days is 30 or 31 December */

_Static_assert(HOLIDAYS_MAX_HOLIDAYS <= 256, "ids are uint8_t in struct holiday");
_Static_assert(_HOLIDAYS_REGION_MAX <= 32, "regions are bits of a uint32_t");

enum kind {
	FIXED,       /* a = month, b = day */
	EASTER,      /* a = days after Easter Sunday */
	BUSS_BETTAG, /* the Wednesday in 16..22 November */
};

struct rule {
	uint8_t name; /* holiday id */
	uint8_t kind;
	int16_t a, b;
	int16_t from, until; /* years, inclusive */
	uint32_t regions;    /* bit (1u << enum holidays_region) */
	unsigned line;       /* in its file, for messages */
};

struct ruleset {
	char version[HOLIDAYS_MAX_VERSION_BYTES + 1];
	size_t n_names, n_rules;
	char *names[HOLIDAYS_MAX_HOLIDAYS][_HOLIDAYS_LANG_MAX];
	struct rule rules[HOLIDAYS_MAX_RULES];
	const struct ruleset *replaced; /* kept alive, never freed: see above */
};

/* the region bits of ALL in a rule file: every region but none */
#define ALL_REGIONS (((1u << _HOLIDAYS_REGION_MAX) - 1) & ~(1u << HOLIDAYS_NONE))

static const struct {
	const char *code;
	const char *description;
} regions[_HOLIDAYS_REGION_MAX] = {
        [HOLIDAYS_NONE] = {"none", "keine Feiertage"},
        [HOLIDAYS_DE] = {"DE", "Deutschland, nur bundesweite Feiertage"},
        [HOLIDAYS_DE_BW] = {"DE-BW", "Baden-Württemberg"},
        [HOLIDAYS_DE_BY] = {"DE-BY", "Bayern, landesweite Feiertage"},
        [HOLIDAYS_DE_BE] = {"DE-BE", "Berlin"},
        [HOLIDAYS_DE_BB] = {"DE-BB", "Brandenburg"},
        [HOLIDAYS_DE_HB] = {"DE-HB", "Bremen"},
        [HOLIDAYS_DE_HH] = {"DE-HH", "Hamburg"},
        [HOLIDAYS_DE_HE] = {"DE-HE", "Hessen"},
        [HOLIDAYS_DE_MV] = {"DE-MV", "Mecklenburg-Vorpommern"},
        [HOLIDAYS_DE_NI] = {"DE-NI", "Niedersachsen"},
        [HOLIDAYS_DE_NW] = {"DE-NW", "Nordrhein-Westfalen"},
        [HOLIDAYS_DE_RP] = {"DE-RP", "Rheinland-Pfalz"},
        [HOLIDAYS_DE_SL] = {"DE-SL", "Saarland"},
        [HOLIDAYS_DE_SN] = {"DE-SN", "Sachsen, landesweite Feiertage"},
        [HOLIDAYS_DE_ST] = {"DE-ST", "Sachsen-Anhalt"},
        [HOLIDAYS_DE_SH] = {"DE-SH", "Schleswig-Holstein"},
        [HOLIDAYS_DE_TH] = {"DE-TH", "Thüringen, landesweite Feiertage"},
        [HOLIDAYS_DE_BY_CATHOLIC] = {"DE-BY-CATHOLIC", "Bayern, Gemeinden mit überwiegend katholischer Bevölkerung"},
        [HOLIDAYS_DE_BY_AUGSBURG] = {"DE-BY-AUGSBURG", "Bayern, Stadt Augsburg"},
};

/* ---- computing a year ---- */

int holidays_easter(int year, unsigned *ret_month, unsigned *ret_day)
{
	if (year < 1583 || year > 9999)
		return -ERANGE;
	int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
	*ret_month = (unsigned)((h + l - 7 * m + 114) / 31);
	*ret_day = (unsigned)((h + l - 7 * m + 114) % 31 + 1);
	return 0;
}

static int64_t rule_day(const struct rule *r, int year, int64_t easter)
{
	switch (r->kind) {
	case FIXED: return time_days_from_civil(year, (unsigned)r->a, (unsigned)r->b);
	case EASTER: return easter + r->a;
	default: {
		int64_t nov22 = time_days_from_civil(year, 11, 22);
		int wd = (int)(((nov22 % 7) + 7 + 3) % 7); /* Monday = 0; 1970-01-01 was a Thursday */
		return nov22 - (wd - 2 + 7) % 7;
	}
	}
}

enum overflow { FITS, TOO_MANY_NAMES, TOO_MANY_DAYS };

/* The holiday days of region r in year under rs (see holidays_year()). What does not
 * fit struct holiday is left out and reported with the rule that did not fit; the
 * parser refuses such files, so for a published ruleset this returns FITS. */
static enum overflow build_year(const struct ruleset *rs, enum holidays_region r, int year, struct holiday *out,
                                size_t *ret_n, size_t *ret_rule)
{
	enum overflow over = FITS;
	unsigned em, ed;
	holidays_easter(year, &em, &ed);
	int64_t easter = time_days_from_civil(year, em, ed);
	struct {
		int64_t day;
		size_t rule;
	} hit[HOLIDAYS_MAX_RULES];
	size_t nh = 0;
	for (size_t i = 0; i < rs->n_rules; i++) {
		const struct rule *ru = &rs->rules[i];
		if (year < ru->from || year > ru->until || !(ru->regions & (1u << r)))
			continue;
		/* insertion keeps the sort stable: rule order within a day */
		int64_t day = rule_day(ru, year, easter);
		size_t j = nh++;
		while (j > 0 && hit[j - 1].day > day) {
			hit[j] = hit[j - 1];
			j--;
		}
		hit[j].day = day;
		hit[j].rule = i;
	}
	size_t n = 0;
	for (size_t i = 0; i < nh; i++) {
		uint8_t id = rs->rules[hit[i].rule].name;
		struct holiday *h = n ? &out[n - 1] : NULL;
		if (h && h->day == hit[i].day) {
			bool dup = false;
			for (unsigned k = 0; k < h->n; k++)
				dup |= h->ids[k] == id;
			if (!dup && h->n < HOLIDAYS_MAX_NAMES)
				h->ids[h->n++] = id;
			else if (!dup && !over) {
				over = TOO_MANY_NAMES;
				*ret_rule = hit[i].rule;
			}
			continue;
		}
		if (n == HOLIDAYS_MAX_PER_YEAR) {
			if (!over) {
				over = TOO_MANY_DAYS;
				*ret_rule = hit[i].rule;
			}
			break;
		}
		h = &out[n++];
		int64_t y;
		unsigned m, d;
		time_civil_from_days(hit[i].day, &y, &m, &d);
		*h = (struct holiday){.day = (int32_t)hit[i].day,
		                      .year = (int16_t)y,
		                      .month = (uint8_t)m,
		                      .mday = (uint8_t)d,
		                      .n = 1,
		                      .ids = {id}};
	}
	*ret_n = n;
	return over;
}

/* ---- parsing a rule file ---- */

#define MAX_WORDS 8

struct word {
	const char *s;
	bool quoted;
};

struct parser {
	const char *origin;
	unsigned line;
	struct lserr *e;
	struct ruleset *rs;
	unsigned version_line;
	char ids[HOLIDAYS_MAX_HOLIDAYS][HOLIDAYS_MAX_ID_BYTES + 1];
	size_t n_groups;
	struct {
		char name[HOLIDAYS_MAX_ID_BYTES + 1];
		uint32_t regions;
	} groups[HOLIDAYS_MAX_GROUPS];
};

/* "ORIGIN:LINE: reason" (the whole file when line is 0); always -EINVAL. */
static int fail_at(struct parser *p, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail_at(struct parser *p, unsigned line, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (line)
		return lserr_set(p->e, -EINVAL, "invalid_field", FIELD, "%.120s:%u: %s", p->origin, line, why);
	return lserr_set(p->e, -EINVAL, "invalid_field", FIELD, "%.120s: %s", p->origin, why);
}
#define fail(p, ...) fail_at((p), (p)->line, __VA_ARGS__)

static void ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n_names; i++)
		for (int l = 0; l < _HOLIDAYS_LANG_MAX; l++)
			xfree(rs->names[i][l]);
	xfree(rs);
}

/* Well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF):
 * names go into JSON, which requires it. */
static bool utf8_valid(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t len;
		unsigned lo = 0x80, hi = 0xBF;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF)
			len = 2;
		else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else
			return false;
		if (n - i < len)
			return false;
		for (size_t k = 1; k < len; k++) {
			if (s[i + k] < lo || s[i + k] > hi)
				return false;
			lo = 0x80;
			hi = 0xBF;
		}
		i += len;
	}
	return true;
}

/* Splits a line (modified in place) into words: bare words end at a space or tab,
 * quoted ones are decoded (\" and \\); a word starting with '#' ends the line. */
static int split(struct parser *p, char *s, struct word *w, size_t *ret_n)
{
	size_t n = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			break;
		if (n == MAX_WORDS)
			return fail(p, "too many words");
		if (*s == '"') {
			char *r = s + 1, *out = s;
			for (; *r != '"'; r++) {
				if (!*r)
					return fail(p, "a quoted name is not closed with '\"'");
				if ((unsigned char)*r < 0x20 || *r == 0x7f)
					return fail(p, "control character in a quoted name");
				if (*r == '\\') {
					r++;
					if (*r != '"' && *r != '\\')
						return fail(p, "unknown escape in a quoted name: write \\\" or \\\\");
				}
				*out++ = *r;
			}
			if (r[1] && r[1] != ' ' && r[1] != '\t')
				return fail(p, "a space must follow the closing '\"'");
			*out = '\0';
			w[n++] = (struct word){.s = s, .quoted = true};
			s = r + 1;
		} else {
			w[n++] = (struct word){.s = s, .quoted = false};
			while (*s && *s != ' ' && *s != '\t') {
				if (*s == '"')
					return fail(p, "'\"' inside a word; quote whole names");
				s++;
			}
		}
		if (!*s)
			break;
		*s++ = '\0';
	}
	*ret_n = n;
	return 0;
}

static bool is_id(const char *s, bool group)
{
	size_t n = strlen(s);
	if (n == 0 || n > HOLIDAYS_MAX_ID_BYTES)
		return false;
	if (group && !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool digit = c >= '0' && c <= '9', lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z';
		if (!(digit || lower || c == '_' || (group ? upper : c == '-')))
			return false;
	}
	return true;
}

static int parse_version(struct parser *p, const struct word *w, size_t n)
{
	if (p->version_line)
		return fail(p, "a second version line (the first is line %u)", p->version_line);
	if (n != 2 || w[1].quoted)
		return fail(p, "expected 'version VERSION', e.g. 'version de-2026.1'");
	size_t len = strlen(w[1].s);
	if (len > HOLIDAYS_MAX_VERSION_BYTES || strspn(w[1].s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                                                       "0123456789._-") != len)
		return fail(p, "version '%.60s' must be 1-%d characters of A-Z a-z 0-9 . _ -", w[1].s,
		            HOLIDAYS_MAX_VERSION_BYTES);
	memcpy(p->rs->version, w[1].s, len + 1);
	p->version_line = p->line;
	return 0;
}

static int find_name(const struct parser *p, const char *id)
{
	for (size_t i = 0; i < p->rs->n_names; i++)
		if (strcmp(p->ids[i], id) == 0)
			return (int)i;
	return -1;
}

static int parse_name(struct parser *p, const struct word *w, size_t n)
{
	static const char *const lang[_HOLIDAYS_LANG_MAX] = {"German", "English"};
	struct ruleset *rs = p->rs;
	if (n != 4)
		return fail(p, "expected 'name ID \"German name\" \"English name\"'");
	if (w[1].quoted || !is_id(w[1].s, false))
		return fail(p, "holiday id '%.40s' must be 1-%d characters of a-z 0-9 _ -", w[1].s,
		            HOLIDAYS_MAX_ID_BYTES);
	if (find_name(p, w[1].s) >= 0)
		return fail(p, "holiday '%s' is declared twice", w[1].s);
	if (rs->n_names == HOLIDAYS_MAX_HOLIDAYS)
		return fail(p, "more than %d holidays", HOLIDAYS_MAX_HOLIDAYS);
	for (int l = 0; l < _HOLIDAYS_LANG_MAX; l++) {
		const struct word *t = &w[2 + l];
		if (!t->quoted)
			return fail(p, "the %s name must be in double quotes: \"%.40s\"", lang[l], t->s);
		size_t len = strlen(t->s);
		if (len == 0 || len > HOLIDAYS_MAX_NAME_BYTES)
			return fail(p, "the %s name must be 1-%d bytes long", lang[l], HOLIDAYS_MAX_NAME_BYTES);
	}
	snprintf(p->ids[rs->n_names], sizeof(p->ids[0]), "%s", w[1].s);
	for (int l = 0; l < _HOLIDAYS_LANG_MAX; l++)
		rs->names[rs->n_names][l] = xstrdup(w[2 + l].s);
	rs->n_names++;
	return 0;
}

/* "DE-BW,BY_ALL,DE-ST" → region bits. */
static int parse_regions(struct parser *p, const char *list, uint32_t *ret)
{
	uint32_t bits = 0;
	const char *s = list;
	for (;;) {
		size_t len = strcspn(s, ",");
		char item[64];
		if (len == 0)
			return fail(p, "empty region in '%.80s' (a comma-separated list without spaces)", list);
		if (len >= sizeof(item))
			return fail(p, "unknown region or group '%.40s...'", s);
		memcpy(item, s, len);
		item[len] = '\0';
		size_t g = 0;
		while (g < p->n_groups && strcasecmp(p->groups[g].name, item) != 0)
			g++;
		if (strcasecmp(item, "ALL") == 0)
			bits |= ALL_REGIONS;
		else if (g < p->n_groups)
			bits |= p->groups[g].regions;
		else {
			enum holidays_region r = holidays_region_from_string(item);
			if (r == HOLIDAYS_NONE)
				return fail(p, "region 'none' has no holidays and cannot be given");
			if ((int)r < 0) {
				fail(p, "unknown region or group '%s'", item);
				lserr_hint(p->e, "regions are ALL, DE, DE-BW ... DE-TH, DE-BY-CATHOLIC, DE-BY-AUGSBURG "
				                 "or a group declared above");
				return -EINVAL;
			}
			bits |= 1u << r;
		}
		s += len;
		if (!*s)
			break;
		s++;
	}
	*ret = bits;
	return 0;
}

static int parse_group(struct parser *p, const struct word *w, size_t n)
{
	if (n != 3 || w[1].quoted || w[2].quoted)
		return fail(p, "expected 'group GROUP REGION,REGION,...'");
	const char *name = w[1].s;
	if (!is_id(name, true))
		return fail(p, "group name '%.40s' must be a letter and up to %d letters, digits or _", name,
		            HOLIDAYS_MAX_ID_BYTES - 1);
	if (strcasecmp(name, "ALL") == 0 || (int)holidays_region_from_string(name) >= 0)
		return fail(p, "group name '%s' is a region code", name);
	for (size_t g = 0; g < p->n_groups; g++)
		if (strcasecmp(p->groups[g].name, name) == 0)
			return fail(p, "group '%s' is declared twice", name);
	if (p->n_groups == HOLIDAYS_MAX_GROUPS)
		return fail(p, "more than %d groups", HOLIDAYS_MAX_GROUPS);
	uint32_t bits;
	int r = parse_regions(p, w[2].s, &bits);
	if (r < 0)
		return r;
	snprintf(p->groups[p->n_groups].name, sizeof(p->groups[0].name), "%s", name);
	p->groups[p->n_groups++].regions = bits;
	return 0;
}

static bool two_digits(const char *s, int *ret)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return false;
	*ret = (s[0] - '0') * 10 + (s[1] - '0');
	return true;
}

static bool year4(const char *s, size_t len, int16_t *ret)
{
	int hi, lo;
	if (len != 4 || !two_digits(s, &hi) || !two_digits(s + 2, &lo) || hi * 100 + lo < YEAR_MIN)
		return false;
	*ret = (int16_t)(hi * 100 + lo);
	return true;
}

/* YYYY, YYYY-YYYY, YYYY- or always. */
static int parse_years(struct parser *p, const char *s, int16_t *ret_from, int16_t *ret_until)
{
	int16_t from = YEAR_MIN, until = YEAR_MAX;
	const char *dash = strchr(s, '-');
	bool ok;
	if (strcmp(s, "always") == 0)
		ok = true;
	else if (!dash)
		ok = year4(s, strlen(s), &from) && year4(s, strlen(s), &until);
	else
		ok = year4(s, (size_t)(dash - s), &from) && (!dash[1] || year4(dash + 1, strlen(dash + 1), &until));
	if (!ok)
		return fail(p, "years '%.40s' must be YYYY, YYYY-YYYY, YYYY- or always, with years in %d-%d", s,
		            YEAR_MIN, YEAR_MAX);
	if (from > until)
		return fail(p, "years '%s' end before they begin", s);
	*ret_from = from;
	*ret_until = until;
	return 0;
}

static int parse_rule(struct parser *p, const struct word *w, size_t n)
{
	static const char usage[] = "expected 'rule ID fixed MM-DD|easter N|buss-bettag YEARS REGIONS'";
	struct ruleset *rs = p->rs;
	if (n < 5)
		return fail(p, "%s", usage);
	for (size_t i = 1; i < n; i++)
		if (w[i].quoted)
			return fail(p, "rule: word %zu must not be quoted", i + 1);
	int id = find_name(p, w[1].s);
	if (id < 0)
		return fail(p, "unknown holiday '%.40s' (declare it with a name line above)", w[1].s);
	if (rs->n_rules == HOLIDAYS_MAX_RULES)
		return fail(p, "more than %d rules", HOLIDAYS_MAX_RULES);
	struct rule ru = {.name = (uint8_t)id, .line = p->line};
	size_t next;
	if (strcmp(w[2].s, "fixed") == 0) {
		int m, d;
		static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		if (n != 6)
			return fail(p, "%s", usage);
		const char *t = w[3].s;
		if (strlen(t) != 5 || t[2] != '-' || !two_digits(t, &m) || !two_digits(t + 3, &d) || m < 1 || m > 12 ||
		    d < 1 || d > (m == 2 ? 29 : mdays[m - 1]))
			return fail(p, "'%.40s' is not a date MM-DD, e.g. 10-03", t);
		if (m == 2 && d == 29)
			return fail(p, "29 February exists only in leap years and is not supported");
		ru.kind = FIXED;
		ru.a = (int16_t)m;
		ru.b = (int16_t)d;
		next = 4;
	} else if (strcmp(w[2].s, "easter") == 0) {
		int off;
		if (n != 6)
			return fail(p, "%s", usage);
		if (parse_int(w[3].s, EASTER_MIN, EASTER_MAX, &off) < 0)
			return fail(p, "easter offset '%.40s' must be a whole number of days in %d..+%d", w[3].s,
			            EASTER_MIN, EASTER_MAX);
		ru.kind = EASTER;
		ru.a = (int16_t)off;
		next = 4;
	} else if (strcmp(w[2].s, "buss-bettag") == 0) {
		if (n != 5)
			return fail(p, "%s", usage);
		ru.kind = BUSS_BETTAG;
		next = 3;
	} else
		return fail(p, "unknown date kind '%.40s' (fixed, easter or buss-bettag)", w[2].s);
	int r = parse_years(p, w[next].s, &ru.from, &ru.until);
	if (r < 0 || (r = parse_regions(p, w[next + 1].s, &ru.regions)) < 0)
		return r;
	rs->rules[rs->n_rules++] = ru;
	return 0;
}

static int parse_line(struct parser *p, char *line, size_t len)
{
	if (strlen(line) != len)
		return fail(p, "contains a NUL byte");
	if (!utf8_valid((const unsigned char *)line, len))
		return fail(p, "is not valid UTF-8");
	struct word w[MAX_WORDS];
	size_t n = 0;
	int r = split(p, line, w, &n);
	if (r < 0 || n == 0)
		return r;
	if (!p->version_line && strcmp(w[0].s, "version") != 0)
		return fail(p, "the file must start with a version line, e.g. 'version de-2026.1'");
	if (strcmp(w[0].s, "version") == 0)
		return parse_version(p, w, n);
	if (strcmp(w[0].s, "name") == 0)
		return parse_name(p, w, n);
	if (strcmp(w[0].s, "group") == 0)
		return parse_group(p, w, n);
	if (strcmp(w[0].s, "rule") == 0)
		return parse_rule(p, w, n);
	return fail(p, "unknown statement '%.40s' (version, name, group or rule)", w[0].s);
}

/* After the last line: what only the whole file can tell. */
static int check_file(struct parser *p)
{
	if (!p->version_line)
		return fail_at(p, 0, "no version line");
	if (p->rs->n_rules == 0)
		return fail_at(p, 0, "no rule lines");
	for (int r = HOLIDAYS_DE; r < _HOLIDAYS_REGION_MAX; r++)
		for (int y = HOLIDAYS_FIRST_YEAR; y <= HOLIDAYS_LAST_YEAR; y++) {
			struct holiday h[HOLIDAYS_MAX_PER_YEAR];
			size_t n, bad = 0;
			enum overflow o = build_year(p->rs, (enum holidays_region)r, y, h, &n, &bad);
			if (o == TOO_MANY_NAMES)
				return fail_at(p, p->rs->rules[bad].line, "%s in %d: more than %d holidays on one day",
				               regions[r].code, y, HOLIDAYS_MAX_NAMES);
			if (o == TOO_MANY_DAYS)
				return fail_at(p, p->rs->rules[bad].line, "%s in %d: more than %d holiday days",
				               regions[r].code, y, HOLIDAYS_MAX_PER_YEAR);
		}
	return 0;
}

static int parse(const char *origin, const char *text, size_t len, struct ruleset **ret, struct lserr *e)
{
	if (len > HOLIDAYS_MAX_FILE_BYTES)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", FIELD, "%.120s: larger than %d bytes", origin,
		                 HOLIDAYS_MAX_FILE_BYTES);
	struct parser *p = xcalloc(1, sizeof(*p));
	*p = (struct parser){.origin = origin, .e = e, .rs = xcalloc(1, sizeof(struct ruleset))};
	char *buf = xmalloc(len + 1);
	memcpy(buf, text, len);
	buf[len] = '\0';
	char *s = buf, *end = buf + len;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3; /* a byte-order mark some editors write */
	int r = 0;
	while (s < end && r == 0) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = (size_t)((nl ? nl : end) - s);
		p->line++;
		s[n] = '\0';
		if (n && s[n - 1] == '\r')
			s[--n] = '\0';
		r = parse_line(p, s, n);
		s = nl ? nl + 1 : end;
	}
	if (r == 0)
		r = check_file(p);
	xfree(buf);
	if (r == 0)
		*ret = TAKE_PTR(p->rs);
	ruleset_free(p->rs);
	xfree(p);
	return r;
}

static int read_rules(const char *path, struct ruleset **ret, struct lserr *e)
{
	if (!path || !*path)
		return lserr_set(e, -EINVAL, "invalid_field", FIELD, "no holiday rule file given");
	FILE *f = fopen(path, "re");
	if (!f) {
		int r = -errno;
		return lserr_set(e, r, "invalid_field", FIELD, "%.200s: cannot open: %s", path, err_str(r));
	}
	char *buf = xmalloc(HOLIDAYS_MAX_FILE_BYTES + 1);
	size_t n = fread(buf, 1, HOLIDAYS_MAX_FILE_BYTES + 1, f);
	int r = ferror(f) ? -(errno ? errno : EIO) : 0;
	fclose(f);
	if (r < 0)
		r = lserr_set(e, r, "invalid_field", FIELD, "%.200s: cannot read: %s", path, err_str(r));
	else
		r = parse(path, buf, n, ret, e);
	xfree(buf);
	return r;
}

/* ---- the rules in force ---- */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(const struct ruleset *) current;
static struct lserr init_error; /* written only inside init_once() */

static void publish(struct ruleset *rs)
{
	pthread_mutex_lock(&load_lock);
	rs->replaced = atomic_load_explicit(&current, memory_order_relaxed);
	atomic_store_explicit(&current, rs, memory_order_release);
	pthread_mutex_unlock(&load_lock);
}

static void init_once(void)
{
	struct ruleset *rs = NULL;
	const char *path = getenv(HOLIDAYS_FILE_ENV);
	int r = path && *path
	                ? read_rules(path, &rs, &init_error)
	                : parse(BUILTIN_ORIGIN, holidays_builtin_rules, holidays_builtin_rules_len, &rs, &init_error);
	if (r == 0)
		publish(rs);
}

static const struct ruleset *in_force(void)
{
	pthread_once(&once, init_once);
	return atomic_load_explicit(&current, memory_order_acquire);
}

static int no_rules(struct lserr *e)
{
	if (e)
		*e = init_error;
	return init_error.rc;
}

int holidays_init(struct lserr *e)
{
	return in_force() ? 0 : no_rules(e);
}

int holidays_load_file(const char *path, struct lserr *e)
{
	pthread_once(&once, init_once); /* so that a first use later cannot undo this load */
	struct ruleset *rs;
	int r = read_rules(path, &rs, e);
	if (r < 0)
		return r;
	publish(rs);
	return 0;
}

int holidays_load_text(const char *origin, const char *text, size_t len, struct lserr *e)
{
	pthread_once(&once, init_once);
	struct ruleset *rs;
	int r = parse(origin ? origin : "(text)", text, len, &rs, e);
	if (r < 0)
		return r;
	publish(rs);
	return 0;
}

int holidays_check_text(const char *origin, const char *text, size_t len, struct lserr *e)
{
	struct ruleset *rs;
	int r = parse(origin ? origin : "(text)", text, len, &rs, e);
	if (r == 0)
		ruleset_free(rs);
	return r;
}

int holidays_load_builtin(struct lserr *e)
{
	return holidays_load_text(BUILTIN_ORIGIN, holidays_builtin_rules, holidays_builtin_rules_len, e);
}

const char *holidays_data_version(void)
{
	const struct ruleset *rs = in_force();
	return rs ? rs->version : "";
}

/* ---- regions, languages, names ---- */

const char *holidays_region_to_string(enum holidays_region r)
{
	return (int)r >= 0 && r < _HOLIDAYS_REGION_MAX ? regions[r].code : NULL;
}

enum holidays_region holidays_region_from_string(const char *s)
{
	if (s)
		for (int i = 0; i < _HOLIDAYS_REGION_MAX; i++)
			if (strcasecmp(regions[i].code, s) == 0)
				return (enum holidays_region)i;
	return _HOLIDAYS_REGION_INVALID;
}

const char *holidays_region_description(enum holidays_region r)
{
	return (int)r >= 0 && r < _HOLIDAYS_REGION_MAX ? regions[r].description : NULL;
}

static const char *const lang_names[_HOLIDAYS_LANG_MAX] = {"de", "en"};

const char *holidays_lang_to_string(enum holidays_lang l)
{
	return (int)l >= 0 && l < _HOLIDAYS_LANG_MAX ? lang_names[l] : NULL;
}

enum holidays_lang holidays_lang_from_string(const char *s)
{
	if (s)
		for (int i = 0; i < _HOLIDAYS_LANG_MAX; i++)
			if (strcmp(lang_names[i], s) == 0)
				return (enum holidays_lang)i;
	return _HOLIDAYS_LANG_INVALID;
}

const char *holidays_name(unsigned id, enum holidays_lang lang)
{
	const struct ruleset *rs = in_force();
	if (!rs || id >= rs->n_names || (int)lang < 0 || lang >= _HOLIDAYS_LANG_MAX)
		return "?";
	return rs->names[id][lang];
}

int holidays_year(enum holidays_region r, int year, struct holiday *out, size_t *ret_n, struct lserr *e)
{
	if ((int)r < 0 || r >= _HOLIDAYS_REGION_MAX)
		return lserr_set(e, -EINVAL, "invalid_field", "holidays", "unknown holiday region");
	if (year < HOLIDAYS_FIRST_YEAR || year > HOLIDAYS_LAST_YEAR)
		return lserr_set(e, -ERANGE, "invalid_field", "year", "year %d is outside %d-%d", year,
		                 HOLIDAYS_FIRST_YEAR, HOLIDAYS_LAST_YEAR);
	const struct ruleset *rs = in_force();
	if (!rs)
		return no_rules(e);
	size_t bad;
	(void)build_year(rs, r, year, out, ret_n, &bad); /* always FITS: parse() checked every year */
	return 0;
}
