/* German public holidays from a rule table (see holidays.h). Room: calendar.
 *
 * The law lives in two constant tables below, `names` and `rules`, and in
 * HOLIDAYS_DATA_VERSION: a new holiday, a holiday that ends or a region that gains
 * one is a new row or a changed year in `rules` plus a new version, never new code.
 * Sources: docs domain research §3 (python-holidays, which cites each Land's
 * Feiertagsgesetz; Bavarian and Saxon sources). A year's list is built by applying
 * every row whose years and region match, sorting by date (stable, so names on one
 * day keep table order) and folding a day that carries two holidays into one entry. */
#include "calendar/holidays.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/timeutil.h"

#define HOLIDAYS_DATA_VERSION "de-2025.1"

/* ---- data ---- */

enum {
	H_NEUJAHR,
	H_DREI_KOENIGE,
	H_FRAUENTAG,
	H_KARFREITAG,
	H_OSTERSONNTAG,
	H_OSTERMONTAG,
	H_TAG_DER_ARBEIT,
	H_BEFREIUNG_75,
	H_BEFREIUNG_80,
	H_HIMMELFAHRT,
	H_PFINGSTSONNTAG,
	H_PFINGSTMONTAG,
	H_FRONLEICHNAM,
	H_AUFSTAND_1953_75,
	H_FRIEDENSFEST,
	H_MARIAE_HIMMELFAHRT,
	H_WELTKINDERTAG,
	H_EINHEIT,
	H_REFORMATIONSTAG,
	H_ALLERHEILIGEN,
	H_BUSS_UND_BETTAG,
	H_WEIHNACHTEN_1,
	H_WEIHNACHTEN_2,
	_H_MAX,
};

static const char *const names[_H_MAX][_HOLIDAYS_LANG_MAX] = {
	[H_NEUJAHR] = { "Neujahr", "New Year's Day" },
	[H_DREI_KOENIGE] = { "Heilige Drei Könige", "Epiphany" },
	[H_FRAUENTAG] = { "Internationaler Frauentag", "International Women's Day" },
	[H_KARFREITAG] = { "Karfreitag", "Good Friday" },
	[H_OSTERSONNTAG] = { "Ostersonntag", "Easter Sunday" },
	[H_OSTERMONTAG] = { "Ostermontag", "Easter Monday" },
	[H_TAG_DER_ARBEIT] = { "Tag der Arbeit", "Labour Day" },
	[H_BEFREIUNG_75] = { "75. Jahrestag der Befreiung vom Nationalsozialismus und der Beendigung des Zweiten "
			     "Weltkriegs in Europa",
			     "75th anniversary of the liberation from National Socialism and the end of the Second "
			     "World War in Europe" },
	[H_BEFREIUNG_80] = { "80. Jahrestag der Befreiung vom Nationalsozialismus und der Beendigung des Zweiten "
			     "Weltkriegs in Europa",
			     "80th anniversary of the liberation from National Socialism and the end of the Second "
			     "World War in Europe" },
	[H_HIMMELFAHRT] = { "Christi Himmelfahrt", "Ascension Day" },
	[H_PFINGSTSONNTAG] = { "Pfingstsonntag", "Whit Sunday" },
	[H_PFINGSTMONTAG] = { "Pfingstmontag", "Whit Monday" },
	[H_FRONLEICHNAM] = { "Fronleichnam", "Corpus Christi" },
	[H_AUFSTAND_1953_75] = { "75. Jahrestag des Volksaufstandes vom 17. Juni 1953",
				 "75th anniversary of the uprising of 17 June 1953" },
	[H_FRIEDENSFEST] = { "Augsburger Hohes Friedensfest", "Augsburg Peace Festival" },
	[H_MARIAE_HIMMELFAHRT] = { "Mariä Himmelfahrt", "Assumption Day" },
	[H_WELTKINDERTAG] = { "Weltkindertag", "World Children's Day" },
	[H_EINHEIT] = { "Tag der Deutschen Einheit", "German Unity Day" },
	[H_REFORMATIONSTAG] = { "Reformationstag", "Reformation Day" },
	[H_ALLERHEILIGEN] = { "Allerheiligen", "All Saints' Day" },
	[H_BUSS_UND_BETTAG] = { "Buß- und Bettag", "Day of Repentance and Prayer" },
	[H_WEIHNACHTEN_1] = { "1. Weihnachtstag", "Christmas Day" },
	[H_WEIHNACHTEN_2] = { "2. Weihnachtstag", "Second Day of Christmas" },
};

#define R(x)     (1u << HOLIDAYS_##x)
#define BY_ALL   (R(DE_BY) | R(DE_BY_CATHOLIC) | R(DE_BY_AUGSBURG))
#define ALL      (((1u << _HOLIDAYS_REGION_MAX) - 1) & ~R(NONE))
#define ALWAYS   1991, 9999
#define FROM(y)  (y), 9999
#define ONLY(y)  (y), (y)

enum kind {
	FIXED,       /* a = month, b = day */
	EASTER,      /* a = days after Easter Sunday */
	BUSS_BETTAG, /* the Wednesday in 16..22 November */
};

static const struct rule {
	uint8_t name;
	uint8_t kind;
	int8_t a, b;
	int16_t from, until; /* years, inclusive */
	uint32_t regions;
} rules[] = {
	{ H_NEUJAHR, FIXED, 1, 1, ALWAYS, ALL },
	{ H_DREI_KOENIGE, FIXED, 1, 6, ALWAYS, R(DE_BW) | BY_ALL | R(DE_ST) },
	{ H_FRAUENTAG, FIXED, 3, 8, FROM(2019), R(DE_BE) },
	{ H_FRAUENTAG, FIXED, 3, 8, FROM(2023), R(DE_MV) },
	{ H_KARFREITAG, EASTER, -2, 0, ALWAYS, ALL },
	{ H_OSTERSONNTAG, EASTER, 0, 0, ALWAYS, R(DE_BB) },
	{ H_OSTERMONTAG, EASTER, 1, 0, ALWAYS, ALL },
	{ H_TAG_DER_ARBEIT, FIXED, 5, 1, ALWAYS, ALL },
	{ H_BEFREIUNG_75, FIXED, 5, 8, ONLY(2020), R(DE_BE) },
	{ H_BEFREIUNG_80, FIXED, 5, 8, ONLY(2025), R(DE_BE) },
	{ H_HIMMELFAHRT, EASTER, 39, 0, ALWAYS, ALL },
	{ H_PFINGSTSONNTAG, EASTER, 49, 0, ALWAYS, R(DE_BB) },
	{ H_PFINGSTMONTAG, EASTER, 50, 0, ALWAYS, ALL },
	{ H_FRONLEICHNAM, EASTER, 60, 0, ALWAYS,
	  R(DE_BW) | BY_ALL | R(DE_HE) | R(DE_NW) | R(DE_RP) | R(DE_SL) },
	{ H_AUFSTAND_1953_75, FIXED, 6, 17, ONLY(2028), R(DE_BE) },
	{ H_FRIEDENSFEST, FIXED, 8, 8, ALWAYS, R(DE_BY_AUGSBURG) },
	{ H_MARIAE_HIMMELFAHRT, FIXED, 8, 15, ALWAYS, R(DE_SL) | R(DE_BY_CATHOLIC) | R(DE_BY_AUGSBURG) },
	{ H_WELTKINDERTAG, FIXED, 9, 20, FROM(2019), R(DE_TH) },
	{ H_EINHEIT, FIXED, 10, 3, ALWAYS, ALL },
	{ H_REFORMATIONSTAG, FIXED, 10, 31, ALWAYS, R(DE_BB) | R(DE_MV) | R(DE_SN) | R(DE_ST) | R(DE_TH) },
	{ H_REFORMATIONSTAG, FIXED, 10, 31, FROM(2018), R(DE_HB) | R(DE_HH) | R(DE_NI) | R(DE_SH) },
	{ H_REFORMATIONSTAG, FIXED, 10, 31, ONLY(2017), ALL },
	{ H_ALLERHEILIGEN, FIXED, 11, 1, ALWAYS, R(DE_BW) | BY_ALL | R(DE_NW) | R(DE_RP) | R(DE_SL) },
	{ H_BUSS_UND_BETTAG, BUSS_BETTAG, 0, 0, 1991, 1994, ALL },
	{ H_BUSS_UND_BETTAG, BUSS_BETTAG, 0, 0, FROM(1995), R(DE_SN) },
	{ H_WEIHNACHTEN_1, FIXED, 12, 25, ALWAYS, ALL },
	{ H_WEIHNACHTEN_2, FIXED, 12, 26, ALWAYS, ALL },
};

static const struct {
	const char *code;
	const char *description;
} regions[_HOLIDAYS_REGION_MAX] = {
	[HOLIDAYS_NONE] = { "none", "keine Feiertage" },
	[HOLIDAYS_DE] = { "DE", "Deutschland, nur bundesweite Feiertage" },
	[HOLIDAYS_DE_BW] = { "DE-BW", "Baden-Württemberg" },
	[HOLIDAYS_DE_BY] = { "DE-BY", "Bayern, landesweite Feiertage" },
	[HOLIDAYS_DE_BE] = { "DE-BE", "Berlin" },
	[HOLIDAYS_DE_BB] = { "DE-BB", "Brandenburg" },
	[HOLIDAYS_DE_HB] = { "DE-HB", "Bremen" },
	[HOLIDAYS_DE_HH] = { "DE-HH", "Hamburg" },
	[HOLIDAYS_DE_HE] = { "DE-HE", "Hessen" },
	[HOLIDAYS_DE_MV] = { "DE-MV", "Mecklenburg-Vorpommern" },
	[HOLIDAYS_DE_NI] = { "DE-NI", "Niedersachsen" },
	[HOLIDAYS_DE_NW] = { "DE-NW", "Nordrhein-Westfalen" },
	[HOLIDAYS_DE_RP] = { "DE-RP", "Rheinland-Pfalz" },
	[HOLIDAYS_DE_SL] = { "DE-SL", "Saarland" },
	[HOLIDAYS_DE_SN] = { "DE-SN", "Sachsen, landesweite Feiertage" },
	[HOLIDAYS_DE_ST] = { "DE-ST", "Sachsen-Anhalt" },
	[HOLIDAYS_DE_SH] = { "DE-SH", "Schleswig-Holstein" },
	[HOLIDAYS_DE_TH] = { "DE-TH", "Thüringen, landesweite Feiertage" },
	[HOLIDAYS_DE_BY_CATHOLIC] = { "DE-BY-CATHOLIC",
				      "Bayern, Gemeinden mit überwiegend katholischer Bevölkerung" },
	[HOLIDAYS_DE_BY_AUGSBURG] = { "DE-BY-AUGSBURG", "Bayern, Stadt Augsburg" },
};

/* ---- code ---- */

const char *holidays_data_version(void)
{
	return HOLIDAYS_DATA_VERSION;
}

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

static const char *const lang_names[_HOLIDAYS_LANG_MAX] = { "de", "en" };

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
	if (id >= _H_MAX || (int)lang < 0 || lang >= _HOLIDAYS_LANG_MAX)
		return "?";
	return names[id][lang];
}

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

int holidays_year(enum holidays_region r, int year, struct holiday *out, size_t *ret_n, struct lserr *e)
{
	if ((int)r < 0 || r >= _HOLIDAYS_REGION_MAX)
		return lserr_set(e, -EINVAL, "invalid_field", "holidays", "unknown holiday region");
	if (year < HOLIDAYS_FIRST_YEAR || year > HOLIDAYS_LAST_YEAR)
		return lserr_set(e, -ERANGE, "invalid_field", "year", "year %d is outside %d-%d", year,
				 HOLIDAYS_FIRST_YEAR, HOLIDAYS_LAST_YEAR);
	unsigned em, ed;
	holidays_easter(year, &em, &ed);
	int64_t easter = time_days_from_civil(year, em, ed);
	struct {
		int64_t day;
		uint8_t id;
	} hit[ELEMENTSOF(rules)];
	size_t nh = 0;
	for (size_t i = 0; i < ELEMENTSOF(rules); i++) {
		const struct rule *ru = &rules[i];
		if (year < ru->from || year > ru->until || !(ru->regions & (1u << r)))
			continue;
		/* insertion keeps the sort stable: table order within a day */
		int64_t day = rule_day(ru, year, easter);
		size_t j = nh++;
		while (j > 0 && hit[j - 1].day > day) {
			hit[j] = hit[j - 1];
			j--;
		}
		hit[j].day = day;
		hit[j].id = ru->name;
	}
	size_t n = 0;
	for (size_t i = 0; i < nh; i++) {
		struct holiday *h = n ? &out[n - 1] : NULL;
		if (h && h->day == hit[i].day) {
			bool dup = false;
			for (unsigned k = 0; k < h->n; k++)
				dup |= h->ids[k] == hit[i].id;
			if (!dup && h->n < HOLIDAYS_MAX_NAMES)
				h->ids[h->n++] = hit[i].id;
			continue;
		}
		if (n == HOLIDAYS_MAX_PER_YEAR)
			break; /* cannot happen with the table above; a test checks the bound */
		h = &out[n++];
		int64_t y;
		unsigned m, d;
		time_civil_from_days(hit[i].day, &y, &m, &d);
		*h = (struct holiday){ .day = (int32_t)hit[i].day, .year = (int16_t)y, .month = (uint8_t)m,
				       .mday = (uint8_t)d, .n = 1, .ids = { hit[i].id } };
	}
	*ret_n = n;
	return 0;
}
