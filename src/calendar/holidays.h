/* German public holidays (gesetzliche Feiertage), 1995–2099, computed offline from
 * a versioned rule file: fixed dates, Easter offsets (Gauss/Meeus), Buß- und
 * Bettag, each with the years and regions it applies to. Room: calendar.
 *
 * The rules are data, not code: src/calendar/holidays-de.txt (format in that file
 * and in docs/calendar.md) is compiled into the binary and parsed at first use. An
 * operator puts a newer file in force without a rebuild with the environment
 * variable LEITSTAND_HOLIDAYS_FILE (read at first use) or holidays_load_file().
 *
 * Regions are ISO 3166-2 codes: DE (nationwide holidays only), DE-BW … DE-TH (a
 * Land's statewide statutory holidays) and two Bavarian municipality groups,
 * DE-BY-CATHOLIC (adds Mariä Himmelfahrt) and DE-BY-AUGSBURG (adds Mariä
 * Himmelfahrt and the Hohes Friedensfest). Municipality-only holidays elsewhere
 * (Fronleichnam in parts of Saxony and Thuringia) are not part of any region.
 *
 * Thread rules: the rules in force are put in place once, at the first call of any
 * function below that needs them (pthread_once), and are read-only afterwards, so
 * every function is safe from any number of threads. The load functions replace
 * the rules in force atomically; call them at startup or from a tool, not while
 * other threads hold holiday ids (struct holiday.ids): an id names a holiday of the
 * rules in force when holidays_year() returned it. Rules replaced by a load stay in
 * memory, so names and versions handed out earlier stay valid for the process's
 * lifetime. Nothing here logs; only the explicit load functions read files. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define HOLIDAYS_FIRST_YEAR   1995
#define HOLIDAYS_LAST_YEAR    2099
#define HOLIDAYS_MAX_PER_YEAR 32 /* holiday days of one region in one year, with room */
#define HOLIDAYS_MAX_NAMES    3  /* holidays falling on one day */

/* Bounds of a rule file (an operator's input; checked before allocating). */
#define HOLIDAYS_MAX_FILE_BYTES    (256 * 1024)
#define HOLIDAYS_MAX_RULES         256 /* rule lines */
#define HOLIDAYS_MAX_HOLIDAYS      200 /* name lines; ids fit struct holiday.ids */
#define HOLIDAYS_MAX_GROUPS        32  /* group lines */
#define HOLIDAYS_MAX_VERSION_BYTES 40
#define HOLIDAYS_MAX_ID_BYTES      31  /* a name's or a group's identifier */
#define HOLIDAYS_MAX_NAME_BYTES    200 /* one holiday name in one language */

/* The environment variable naming a rule file to use instead of the built-in one. */
#define HOLIDAYS_FILE_ENV "LEITSTAND_HOLIDAYS_FILE"

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
	uint8_t n;                       /* 1..HOLIDAYS_MAX_NAMES */
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

/* The version of the rules in force (the `version` line of the rule file, e.g.
 * "de-2025.1"): bumped with every change of the data, so that a compiled calendar
 * can record which holiday law it reflects. Valid for the process's lifetime; ""
 * when no rules are in force (see holidays_init()). */
const char *holidays_data_version(void);

/* Puts the rules in force if that has not happened yet: those of the file named by
 * $LEITSTAND_HOLIDAYS_FILE when it is set and not empty, else the built-in ones.
 * Every function that needs the rules does this at its first call; call this at
 * startup to report a bad file early. Returns 0, or the error of that first load
 * (as holidays_load_file(); until a later load succeeds, holidays_year() fails with
 * it too: a bad operator file is never silently replaced by the built-in rules). */
int holidays_init(struct lserr *e);

/* Reads and checks the rule file at path and, when it is valid, puts its rules in
 * force (the previous ones otherwise stay). Returns 0; -EINVAL for a malformed file,
 * with e->message "PATH:LINE: reason" ("PATH: reason" for a whole-file problem such
 * as a missing version line); -LS_ETOOLARGE above HOLIDAYS_MAX_FILE_BYTES; a
 * negated errno when the file cannot be read. e names the field "holidays_file". */
int holidays_load_file(const char *path, struct lserr *e);
/* The same for a rule file already in memory (len bytes, need not be terminated);
 * origin names it in messages. */
int holidays_load_text(const char *origin, const char *text, size_t len, struct lserr *e);
/* Only checks text as holidays_load_text() does; the rules in force do not change
 * and nothing is kept (for validators and fuzzing). */
int holidays_check_text(const char *origin, const char *text, size_t len, struct lserr *e);
/* Puts the built-in rules (holidays-de.txt as compiled in) back in force. Returns
 * 0, or -EINVAL if the built-in file is malformed (a test guards against that). */
int holidays_load_builtin(struct lserr *e);

/* Easter Sunday of a Gregorian year (1583..9999) by the anonymous Gregorian
 * algorithm (Meeus/Jones/Butcher). 0 or -ERANGE. */
int holidays_easter(int year, unsigned *ret_month, unsigned *ret_day);

/* The holiday days of region r in year, sorted by date, a day with two holidays
 * listed once with both names. Writes up to HOLIDAYS_MAX_PER_YEAR entries to out
 * and their number to *ret_n. HOLIDAYS_NONE yields none. Returns 0, -EINVAL for an
 * invalid region or -ERANGE for a year outside HOLIDAYS_FIRST_YEAR..LAST_YEAR, e
 * naming the field "holidays" or "year"; or the holidays_init() error (field
 * "holidays_file") when no rules are in force. */
int holidays_year(enum holidays_region r, int year, struct holiday *out, size_t *ret_n, struct lserr *e);

/* Name of holiday id (struct holiday.ids) in lang, from the rules in force; never
 * NULL ("?" for bad ids); valid for the process's lifetime. */
const char *holidays_name(unsigned id, enum holidays_lang lang);
