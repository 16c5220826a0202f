/* German public holidays (gesetzliche Feiertage), 1995–2099, computed offline from
 * a versioned rule table: fixed dates, Easter offsets (Gauss/Meeus), Buß- und
 * Bettag, each with the years and regions it applies to. Room: calendar.
 *
 * Regions are ISO 3166-2 codes: DE (nationwide holidays only), DE-BW … DE-TH (a
 * Land's statewide statutory holidays) and two Bavarian municipality groups,
 * DE-BY-CATHOLIC (adds Mariä Himmelfahrt) and DE-BY-AUGSBURG (adds Mariä
 * Himmelfahrt and the Hohes Friedensfest). Municipality-only holidays elsewhere
 * (Fronleichnam in parts of Saxony and Thuringia) are not part of any region.
 *
 * Everything here is pure and reentrant; the tables are constant. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define HOLIDAYS_FIRST_YEAR   1995
#define HOLIDAYS_LAST_YEAR    2099
#define HOLIDAYS_MAX_PER_YEAR 32 /* holiday days of one region in one year, with room */
#define HOLIDAYS_MAX_NAMES    3  /* holidays falling on one day */

enum holidays_region {
	HOLIDAYS_NONE, /* "none": no holidays at all */
	HOLIDAYS_DE,
	HOLIDAYS_DE_BW,
	HOLIDAYS_DE_BY,
	HOLIDAYS_DE_BE,
	HOLIDAYS_DE_BB,
	HOLIDAYS_DE_HB,
	HOLIDAYS_DE_HH,
	HOLIDAYS_DE_HE,
	HOLIDAYS_DE_MV,
	HOLIDAYS_DE_NI,
	HOLIDAYS_DE_NW,
	HOLIDAYS_DE_RP,
	HOLIDAYS_DE_SL,
	HOLIDAYS_DE_SN,
	HOLIDAYS_DE_ST,
	HOLIDAYS_DE_SH,
	HOLIDAYS_DE_TH,
	HOLIDAYS_DE_BY_CATHOLIC,
	HOLIDAYS_DE_BY_AUGSBURG,
	_HOLIDAYS_REGION_MAX,
	_HOLIDAYS_REGION_INVALID = -22,
};

enum holidays_lang {
	HOLIDAYS_LANG_DE,
	HOLIDAYS_LANG_EN,
	_HOLIDAYS_LANG_MAX,
	_HOLIDAYS_LANG_INVALID = -22,
};

/* One holiday day: a local calendar date and the holidays on it (table order). */
struct holiday {
	int32_t day; /* days since 1970-01-01 */
	int16_t year;
	uint8_t month, mday;
	uint8_t n;                        /* 1..HOLIDAYS_MAX_NAMES */
	uint8_t ids[HOLIDAYS_MAX_NAMES]; /* for holidays_name() */
};

/* "DE-BY", "none", …; NULL for values out of range. */
const char *holidays_region_to_string(enum holidays_region r);
/* Case-insensitive ("de-by" is DE-BY); _HOLIDAYS_REGION_INVALID for anything else. */
enum holidays_region holidays_region_from_string(const char *s);
/* German name of the region ("Bayern, Gemeinden mit katholischer Mehrheit"). */
const char *holidays_region_description(enum holidays_region r);
/* "de" / "en". */
const char *holidays_lang_to_string(enum holidays_lang l);
enum holidays_lang holidays_lang_from_string(const char *s);

/* The version of the rule table: bumped with every change of the data, so that a
 * compiled calendar can record which holiday law it reflects. */
const char *holidays_data_version(void);

/* Easter Sunday of a Gregorian year (1583..9999) by the anonymous Gregorian
 * algorithm (Meeus/Jones/Butcher). 0 or -ERANGE. */
int holidays_easter(int year, unsigned *ret_month, unsigned *ret_day);

/* The holiday days of region r in year, sorted by date, a day with two holidays
 * listed once with both names. Writes up to HOLIDAYS_MAX_PER_YEAR entries to out
 * and their number to *ret_n. HOLIDAYS_NONE yields none. Returns 0, -EINVAL for an
 * invalid region or -ERANGE for a year outside HOLIDAYS_FIRST_YEAR..LAST_YEAR, e
 * naming the field "holidays" or "year". */
int holidays_year(enum holidays_region r, int year, struct holiday *out, size_t *ret_n, struct lserr *e);

/* Name of holiday id (struct holiday.ids) in lang; never NULL ("?" for bad ids). */
const char *holidays_name(unsigned id, enum holidays_lang lang);
