/* Tests for calendar/holidays.c: Easter against published dates, against
 * python-dateutil's independent computus (every year 1995-2099, table below) and
 * against Carter's algorithm; full hand-made 2026 lists of several Länder from the
 * rules in domain research §3; every year rule (Buß- und Bettag, Reformationstag,
 * Frauentag, Weltkindertag, Berlin's one-off days); the Bavarian municipality
 * regions; a day with two holidays; region and year refusals; and structural
 * properties over all regions and years. Then the rule file: the built-in
 * holidays-de.txt parses and gives exactly the holidays of the C rule table it
 * replaced (tests/unit/data/holidays-de-expected.txt, every region 1995-2099); an
 * operator's file, by holidays_load_file() or $LEITSTAND_HOLIDAYS_FILE (checked in a
 * fresh process, since the variable is read once), changes holidays and version; and
 * malformed files are refused with the line that is wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calendar/holidays.h"
#include "core/alloc.h"
#include "core/limits.h"
#include "core/strbuf.h"
#include "core/timeutil.h"

/* Easter Sunday (MMDD) 1995..2099 from python-dateutil 2.8 (dateutil.easter.easter). */
static const char dateutil_easter[] = "0416 0407 0330 0412 0404 0423 0415 0331 0420 0411 0327 0416 0408 0323 0412 "
                                      "0404 0424 0408 0331 0420 0405 0327 0416 0401 0421 0412 0404 0417 0409 0331 "
                                      "0420 0405 0328 0416 0401 0421 0413 0328 0417 0409 0325 0413 0405 0425 0410 "
                                      "0401 0421 0406 0329 0417 0409 0325 0414 0405 0418 0410 0402 0421 0406 0329 "
                                      "0418 0402 0422 0414 0330 0418 0410 0326 0415 0406 0329 0411 0403 0422 0414 "
                                      "0330 0419 0410 0326 0415 0407 0419 0411 0403 0423 0407 0330 0419 0404 0326 "
                                      "0415 0331 0420 0411 0403 0416 0408 0330 0412 0404 0424 0415 0331 0420 0412 ";

static void easter_of(int y, unsigned *m, unsigned *d)
{
	assert_int_equal(holidays_easter(y, m, d), 0);
}

static void test_easter_published_dates(void **state)
{
	(void)state;
	static const struct {
		int y;
		unsigned m, d;
	} v[] = {
	        {1961, 4, 2},  {2008, 3, 23}, {2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5},  {2027, 3, 28}, {2028, 4, 16},
	        {2038, 4, 25}, {2285, 3, 22}, {1818, 3, 22}, {1943, 4, 25}, {2000, 4, 23}, {1995, 4, 16}, {2099, 4, 12},
	};
	for (size_t i = 0; i < ELEMENTSOF(v); i++) {
		unsigned m, d;
		easter_of(v[i].y, &m, &d);
		if (m != v[i].m || d != v[i].d)
			fail_msg("Easter %d: %u-%u, want %u-%u", v[i].y, m, d, v[i].m, v[i].d);
	}
	unsigned m, d;
	assert_int_equal(holidays_easter(1582, &m, &d), -ERANGE);
}

static void test_easter_matches_dateutil_and_carter_1995_to_2099(void **state)
{
	(void)state;
	for (int y = 1995; y <= 2099; y++) {
		unsigned m, d;
		easter_of(y, &m, &d);
		const char *ref = dateutil_easter + (y - 1995) * 5;
		unsigned rm = (unsigned)((ref[0] - '0') * 10 + ref[1] - '0'),
		         rd = (unsigned)((ref[2] - '0') * 10 + ref[3] - '0');
		if (m != rm || d != rd)
			fail_msg("Easter %d: %u-%u, dateutil says %u-%u", y, m, d, rm, rd);
		/* Carter's algorithm, valid 1900-2099 */
		int b = 225 - 11 * (y % 19), dd = ((b - 21) % 30) + 21;
		if (dd > 48)
			dd--;
		int e = (y + y / 4 + dd + 1) % 7, q = dd + 7 - e;
		unsigned cm = q < 32 ? 3 : 4, cd = (unsigned)(q < 32 ? q : q - 31);
		if (m != cm || d != cd)
			fail_msg("Easter %d: %u-%u, Carter says %u-%u", y, m, d, cm, cd);
		/* always a Sunday */
		int64_t day = time_days_from_civil(y, m, d);
		assert_int_equal(((day % 7) + 7 + 4) % 7, 0);
	}
}

/* "MM-DD MM-DD …" of a region's holidays in year, for comparing with hand-made lists. */
static void dates_of(enum holidays_region r, int year, char *buf, size_t n)
{
	struct holiday h[HOLIDAYS_MAX_PER_YEAR];
	size_t k;
	struct lserr e;
	assert_int_equal(holidays_year(r, year, h, &k, &e), 0);
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < k; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%02u-%02u", i ? " " : "", h[i].month, h[i].mday);
}

static void expect(enum holidays_region r, int year, const char *want)
{
	char got[512];
	dates_of(r, year, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("%s %d:\n got  %s\n want %s", holidays_region_to_string(r), year, got, want);
}

/* 2026: Easter 5 April → Karfreitag 04-03, Ostermontag 04-06, Himmelfahrt 05-14,
 * Pfingsten 05-24/25, Fronleichnam 06-04; Buß- und Bettag 11-18. */
static void test_2026_lists_by_hand(void **state)
{
	(void)state;
	expect(HOLIDAYS_DE, 2026, "01-01 04-03 04-06 05-01 05-14 05-25 10-03 12-25 12-26");
	expect(HOLIDAYS_DE_BW, 2026, "01-01 01-06 04-03 04-06 05-01 05-14 05-25 06-04 10-03 11-01 12-25 12-26");
	expect(HOLIDAYS_DE_BY, 2026, "01-01 01-06 04-03 04-06 05-01 05-14 05-25 06-04 10-03 11-01 12-25 12-26");
	expect(HOLIDAYS_DE_BY_CATHOLIC, 2026,
	       "01-01 01-06 04-03 04-06 05-01 05-14 05-25 06-04 08-15 10-03 11-01 12-25 12-26");
	expect(HOLIDAYS_DE_BY_AUGSBURG, 2026,
	       "01-01 01-06 04-03 04-06 05-01 05-14 05-25 06-04 08-08 08-15 10-03 11-01 12-25 12-26");
	expect(HOLIDAYS_DE_BE, 2026, "01-01 03-08 04-03 04-06 05-01 05-14 05-25 10-03 12-25 12-26");
	expect(HOLIDAYS_DE_BB, 2026, "01-01 04-03 04-05 04-06 05-01 05-14 05-24 05-25 10-03 10-31 12-25 12-26");
	expect(HOLIDAYS_DE_HB, 2026, "01-01 04-03 04-06 05-01 05-14 05-25 10-03 10-31 12-25 12-26");
	expect(HOLIDAYS_DE_HH, 2026, "01-01 04-03 04-06 05-01 05-14 05-25 10-03 10-31 12-25 12-26");
	expect(HOLIDAYS_DE_HE, 2026, "01-01 04-03 04-06 05-01 05-14 05-25 06-04 10-03 12-25 12-26");
	expect(HOLIDAYS_DE_MV, 2026, "01-01 03-08 04-03 04-06 05-01 05-14 05-25 10-03 10-31 12-25 12-26");
	expect(HOLIDAYS_DE_NI, 2026, "01-01 04-03 04-06 05-01 05-14 05-25 10-03 10-31 12-25 12-26");
	expect(HOLIDAYS_DE_NW, 2026, "01-01 04-03 04-06 05-01 05-14 05-25 06-04 10-03 11-01 12-25 12-26");
	expect(HOLIDAYS_DE_RP, 2026, "01-01 04-03 04-06 05-01 05-14 05-25 06-04 10-03 11-01 12-25 12-26");
	expect(HOLIDAYS_DE_SL, 2026, "01-01 04-03 04-06 05-01 05-14 05-25 06-04 08-15 10-03 11-01 12-25 12-26");
	expect(HOLIDAYS_DE_SN, 2026, "01-01 04-03 04-06 05-01 05-14 05-25 10-03 10-31 11-18 12-25 12-26");
	expect(HOLIDAYS_DE_ST, 2026, "01-01 01-06 04-03 04-06 05-01 05-14 05-25 10-03 10-31 12-25 12-26");
	expect(HOLIDAYS_DE_SH, 2026, "01-01 04-03 04-06 05-01 05-14 05-25 10-03 10-31 12-25 12-26");
	expect(HOLIDAYS_DE_TH, 2026, "01-01 04-03 04-06 05-01 05-14 05-25 09-20 10-03 10-31 12-25 12-26");
	expect(HOLIDAYS_NONE, 2026, "");
}

static void test_names_in_german_and_english(void **state)
{
	(void)state;
	struct holiday h[HOLIDAYS_MAX_PER_YEAR];
	size_t n;
	assert_int_equal(holidays_year(HOLIDAYS_DE_BY_AUGSBURG, 2026, h, &n, NULL), 0);
	assert_string_equal(holidays_name(h[0].ids[0], HOLIDAYS_LANG_DE), "Neujahr");
	assert_string_equal(holidays_name(h[0].ids[0], HOLIDAYS_LANG_EN), "New Year's Day");
	assert_string_equal(holidays_name(h[1].ids[0], HOLIDAYS_LANG_DE), "Heilige Drei Könige");
	assert_string_equal(holidays_name(h[8].ids[0], HOLIDAYS_LANG_DE), "Augsburger Hohes Friedensfest");
	assert_string_equal(holidays_name(h[9].ids[0], HOLIDAYS_LANG_DE), "Mariä Himmelfahrt");
	assert_string_equal(holidays_name(h[9].ids[0], HOLIDAYS_LANG_EN), "Assumption Day");
	assert_string_equal(holidays_name(h[13].ids[0], HOLIDAYS_LANG_EN), "Second Day of Christmas");
	assert_string_equal(holidays_name(999, HOLIDAYS_LANG_DE), "?");
	assert_int_equal(holidays_year(HOLIDAYS_DE_SN, 2025, h, &n, NULL), 0);
	assert_string_equal(holidays_name(h[8].ids[0], HOLIDAYS_LANG_DE), "Buß- und Bettag");
	assert_true(h[8].month == 11 && h[8].mday == 19);
}

static bool has(enum holidays_region r, int y, unsigned m, unsigned d)
{
	struct holiday h[HOLIDAYS_MAX_PER_YEAR];
	size_t n;
	assert_int_equal(holidays_year(r, y, h, &n, NULL), 0);
	for (size_t i = 0; i < n; i++)
		if (h[i].month == m && h[i].mday == d)
			return true;
	return false;
}

static void test_buss_und_bettag_only_in_saxony_from_1995(void **state)
{
	(void)state;
	assert_true(has(HOLIDAYS_DE_SN, 1995, 11, 22));
	assert_false(has(HOLIDAYS_DE, 1995, 11, 22));
	assert_false(has(HOLIDAYS_DE_BY, 1995, 11, 22));
	assert_true(has(HOLIDAYS_DE_SN, 2024, 11, 20));
	assert_true(has(HOLIDAYS_DE_SN, 2025, 11, 19));
	assert_true(has(HOLIDAYS_DE_SN, 2026, 11, 18));
	assert_true(has(HOLIDAYS_DE_SN, 2028, 11, 22));
	assert_true(has(HOLIDAYS_DE_SN, 2099, 11, 18));
	assert_false(has(HOLIDAYS_DE_TH, 2025, 11, 19));
	/* always the Wednesday in 16..22 November */
	for (int y = 1995; y <= 2099; y++) {
		struct holiday h[HOLIDAYS_MAX_PER_YEAR];
		size_t n;
		assert_int_equal(holidays_year(HOLIDAYS_DE_SN, y, h, &n, NULL), 0);
		const struct holiday *b = &h[n - 3]; /* ... Bettag, 25 Dec, 26 Dec */
		assert_int_equal(b->month, 11);
		assert_true(b->mday >= 16 && b->mday <= 22);
		assert_int_equal(((b->day % 7) + 7 + 3) % 7, 2);
	}
}

static void test_reformationstag_rules(void **state)
{
	(void)state;
	static const enum holidays_region always[] = {HOLIDAYS_DE_BB, HOLIDAYS_DE_MV, HOLIDAYS_DE_SN, HOLIDAYS_DE_ST,
	                                              HOLIDAYS_DE_TH};
	static const enum holidays_region from2018[] = {HOLIDAYS_DE_HB, HOLIDAYS_DE_HH, HOLIDAYS_DE_NI, HOLIDAYS_DE_SH};
	static const enum holidays_region never[] = {
	        HOLIDAYS_DE,    HOLIDAYS_DE_BW, HOLIDAYS_DE_BY, HOLIDAYS_DE_BE,          HOLIDAYS_DE_HE,
	        HOLIDAYS_DE_NW, HOLIDAYS_DE_RP, HOLIDAYS_DE_SL, HOLIDAYS_DE_BY_CATHOLIC, HOLIDAYS_DE_BY_AUGSBURG};
	for (size_t i = 0; i < ELEMENTSOF(always); i++)
		for (int y = 1995; y <= 2099; y += 13)
			assert_true(has(always[i], y, 10, 31));
	for (size_t i = 0; i < ELEMENTSOF(from2018); i++) {
		assert_false(has(from2018[i], 2016, 10, 31));
		assert_true(has(from2018[i], 2017, 10, 31));
		assert_true(has(from2018[i], 2018, 10, 31));
		assert_true(has(from2018[i], 2050, 10, 31));
	}
	for (size_t i = 0; i < ELEMENTSOF(never); i++) {
		assert_false(has(never[i], 2016, 10, 31));
		assert_true(has(never[i], 2017, 10, 31)); /* 500 years of the Reformation: nationwide once */
		assert_false(has(never[i], 2018, 10, 31));
	}
	/* 2017 in Brandenburg: one day, one name, although two rows apply */
	struct holiday h[HOLIDAYS_MAX_PER_YEAR];
	size_t n;
	assert_int_equal(holidays_year(HOLIDAYS_DE_BB, 2017, h, &n, NULL), 0);
	for (size_t i = 0; i < n; i++)
		if (h[i].month == 10 && h[i].mday == 31)
			assert_int_equal(h[i].n, 1);
}

static void test_frauentag_weltkindertag_and_berlin_one_offs(void **state)
{
	(void)state;
	assert_false(has(HOLIDAYS_DE_BE, 2018, 3, 8));
	assert_true(has(HOLIDAYS_DE_BE, 2019, 3, 8));
	assert_false(has(HOLIDAYS_DE_MV, 2022, 3, 8));
	assert_true(has(HOLIDAYS_DE_MV, 2023, 3, 8));
	assert_false(has(HOLIDAYS_DE_BB, 2023, 3, 8));
	assert_false(has(HOLIDAYS_DE_TH, 2018, 9, 20));
	assert_true(has(HOLIDAYS_DE_TH, 2019, 9, 20));
	assert_false(has(HOLIDAYS_DE_SN, 2019, 9, 20));
	assert_true(has(HOLIDAYS_DE_BE, 2020, 5, 8));
	assert_true(has(HOLIDAYS_DE_BE, 2025, 5, 8));
	assert_true(has(HOLIDAYS_DE_BE, 2028, 6, 17));
	assert_false(has(HOLIDAYS_DE_BE, 2021, 5, 8));
	assert_false(has(HOLIDAYS_DE_BE, 2030, 5, 8));
	assert_false(has(HOLIDAYS_DE_BE, 2029, 6, 17));
	assert_false(has(HOLIDAYS_DE_BB, 2020, 5, 8));
	assert_false(has(HOLIDAYS_DE, 2025, 5, 8));
	struct holiday h[HOLIDAYS_MAX_PER_YEAR];
	size_t n;
	assert_int_equal(holidays_year(HOLIDAYS_DE_BE, 2028, h, &n, NULL), 0);
	bool found = false;
	for (size_t i = 0; i < n; i++)
		if (h[i].month == 6 && h[i].mday == 17) {
			found = true;
			assert_non_null(strstr(holidays_name(h[i].ids[0], HOLIDAYS_LANG_DE), "17. Juni 1953"));
		}
	assert_true(found);
}

static void test_brandenburg_lists_its_sunday_holidays(void **state)
{
	(void)state;
	/* Ostersonntag and Pfingstsonntag, both Sundays, are statutory in Brandenburg only */
	assert_true(has(HOLIDAYS_DE_BB, 2025, 4, 20));
	assert_true(has(HOLIDAYS_DE_BB, 2025, 6, 8));
	assert_false(has(HOLIDAYS_DE_BE, 2025, 4, 20));
	assert_false(has(HOLIDAYS_DE, 2025, 6, 8));
	/* Fronleichnam dates of the domain research */
	assert_true(has(HOLIDAYS_DE_HE, 2024, 5, 30));
	assert_true(has(HOLIDAYS_DE_HE, 2025, 6, 19));
	assert_false(has(HOLIDAYS_DE_SN, 2025, 6, 19)); /* only in Sorbian municipalities: not statewide */
	assert_false(has(HOLIDAYS_DE_TH, 2025, 6, 19));
	assert_false(has(HOLIDAYS_DE_BY, 2025, 8, 15)); /* only Catholic-majority municipalities */
	assert_true(has(HOLIDAYS_DE_BY_CATHOLIC, 2025, 8, 15));
	assert_false(has(HOLIDAYS_DE_BY_CATHOLIC, 2025, 8, 8));
	assert_true(has(HOLIDAYS_DE_BY_AUGSBURG, 2025, 8, 8));
}

static void test_day_with_two_holidays_counts_once(void **state)
{
	(void)state;
	/* 2008: Easter 23 March, Christi Himmelfahrt on 1 May */
	struct holiday h[HOLIDAYS_MAX_PER_YEAR];
	size_t n;
	assert_int_equal(holidays_year(HOLIDAYS_DE, 2008, h, &n, NULL), 0);
	assert_int_equal(n, 8);
	assert_int_equal(h[3].month, 5);
	assert_int_equal(h[3].mday, 1);
	assert_int_equal(h[3].n, 2);
	assert_string_equal(holidays_name(h[3].ids[0], HOLIDAYS_LANG_DE), "Tag der Arbeit");
	assert_string_equal(holidays_name(h[3].ids[1], HOLIDAYS_LANG_DE), "Christi Himmelfahrt");
}

static void test_years_and_regions_outside_are_refused(void **state)
{
	(void)state;
	struct holiday h[HOLIDAYS_MAX_PER_YEAR];
	size_t n = 99;
	struct lserr e;
	assert_int_equal(holidays_year(HOLIDAYS_DE, 1994, h, &n, &e), -ERANGE);
	assert_string_equal(e.field, "year");
	assert_int_equal(holidays_year(HOLIDAYS_DE, 2100, h, &n, &e), -ERANGE);
	assert_non_null(strstr(e.message, "2100"));
	assert_int_equal(holidays_year((enum holidays_region)77, 2025, h, &n, &e), -EINVAL);
	assert_string_equal(e.field, "holidays");
	assert_int_equal(n, 99);
	assert_int_equal(holidays_year(HOLIDAYS_DE, 1995, h, &n, &e), 0);
	assert_int_equal(holidays_year(HOLIDAYS_DE, 2099, h, &n, &e), 0);
}

static void test_region_codes_round_trip(void **state)
{
	(void)state;
	for (int r = 0; r < _HOLIDAYS_REGION_MAX; r++) {
		const char *s = holidays_region_to_string((enum holidays_region)r);
		assert_non_null(s);
		assert_int_equal(holidays_region_from_string(s), r);
		assert_non_null(holidays_region_description((enum holidays_region)r));
	}
	assert_int_equal(holidays_region_from_string("de-by-catholic"), HOLIDAYS_DE_BY_CATHOLIC);
	assert_int_equal(holidays_region_from_string("NONE"), HOLIDAYS_NONE);
	assert_int_equal(holidays_region_from_string("BY"), _HOLIDAYS_REGION_INVALID);
	assert_int_equal(holidays_region_from_string("DE-XX"), _HOLIDAYS_REGION_INVALID);
	assert_int_equal(holidays_region_from_string("DE-BY "), _HOLIDAYS_REGION_INVALID);
	assert_int_equal(holidays_region_from_string(""), _HOLIDAYS_REGION_INVALID);
	assert_int_equal(holidays_region_from_string(NULL), _HOLIDAYS_REGION_INVALID);
	assert_null(holidays_region_to_string(_HOLIDAYS_REGION_MAX));
	assert_int_equal(holidays_lang_from_string("en"), HOLIDAYS_LANG_EN);
	assert_int_equal(holidays_lang_from_string("fr"), _HOLIDAYS_LANG_INVALID);
	assert_string_equal(holidays_lang_to_string(HOLIDAYS_LANG_DE), "de");
	assert_true(strlen(holidays_data_version()) > 0);
}

/* Every region and year: sorted distinct days inside the year, within the bound,
 * every nationwide holiday present, and the Bavarian groups nested. */
static void test_structure_of_every_region_and_year(void **state)
{
	(void)state;
	for (int y = HOLIDAYS_FIRST_YEAR; y <= HOLIDAYS_LAST_YEAR; y++) {
		struct holiday de[HOLIDAYS_MAX_PER_YEAR];
		size_t nde;
		assert_int_equal(holidays_year(HOLIDAYS_DE, y, de, &nde, NULL), 0);
		assert_true(nde >= 8 && nde <= 10);
		for (int r = HOLIDAYS_DE; r < _HOLIDAYS_REGION_MAX; r++) {
			struct holiday h[HOLIDAYS_MAX_PER_YEAR];
			size_t n;
			assert_int_equal(holidays_year((enum holidays_region)r, y, h, &n, NULL), 0);
			assert_true(n < HOLIDAYS_MAX_PER_YEAR);
			for (size_t i = 0; i < n; i++) {
				assert_int_equal(h[i].year, y);
				assert_true(h[i].day == time_days_from_civil(y, h[i].month, h[i].mday));
				if (i)
					assert_true(h[i].day > h[i - 1].day);
			}
			for (size_t i = 0; i < nde; i++) {
				bool found = false;
				for (size_t k = 0; k < n; k++)
					found |= h[k].day == de[i].day;
				assert_true(found);
			}
		}
		for (unsigned m = 1; m <= 12; m++)
			for (unsigned d = 1; d <= 31; d += 1) {
				if (d > 28 && m == 2)
					break;
				if (has(HOLIDAYS_DE_BY, y, m, d))
					assert_true(has(HOLIDAYS_DE_BY_CATHOLIC, y, m, d));
				if (has(HOLIDAYS_DE_BY_CATHOLIC, y, m, d))
					assert_true(has(HOLIDAYS_DE_BY_AUGSBURG, y, m, d));
			}
	}
}

/* ---- the rule file ---- */

extern const char holidays_builtin_rules[];
extern const size_t holidays_builtin_rules_len;

/* Every holiday day of every region and year as text: the names in order of first
 * use, then one line per region and year with MM-DD=N[+N] per holiday day. The same
 * function wrote tests/unit/data/holidays-de-expected.txt from the C rule table of
 * de-2025.1 before the rules moved into holidays-de.txt. */
static void dump_all_holidays(struct strbuf *out)
{
	const char *seen[64][_HOLIDAYS_LANG_MAX];
	size_t nseen = 0;
	struct strbuf days = STRBUF_INIT;
	for (int r = 0; r < _HOLIDAYS_REGION_MAX; r++)
		for (int y = HOLIDAYS_FIRST_YEAR; y <= HOLIDAYS_LAST_YEAR; y++) {
			struct holiday h[HOLIDAYS_MAX_PER_YEAR];
			size_t n;
			assert_int_equal(holidays_year((enum holidays_region)r, y, h, &n, NULL), 0);
			strbuf_addf(&days, "%s %d", holidays_region_to_string((enum holidays_region)r), y);
			for (size_t i = 0; i < n; i++) {
				strbuf_addf(&days, " %02u-%02u", h[i].month, h[i].mday);
				for (unsigned k = 0; k < h[i].n; k++) {
					const char *de = holidays_name(h[i].ids[k], HOLIDAYS_LANG_DE),
					           *en = holidays_name(h[i].ids[k], HOLIDAYS_LANG_EN);
					size_t j = 0;
					while (j < nseen &&
					       !(strcmp(seen[j][0], de) == 0 && strcmp(seen[j][1], en) == 0))
						j++;
					if (j == nseen) {
						assert_true(nseen < ELEMENTSOF(seen));
						seen[nseen][0] = de;
						seen[nseen++][1] = en;
					}
					strbuf_addf(&days, "%c%zu", k ? '+' : '=', j);
				}
			}
			strbuf_addch(&days, '\n');
		}
	strbuf_reset(out);
	for (size_t j = 0; j < nseen; j++)
		strbuf_addf(out, "name %zu \"%s\" \"%s\"\n", j, seen[j][0], seen[j][1]);
	strbuf_add(out, days.buf, days.len);
	strbuf_release(&days);
	assert_true(strbuf_ok(out));
}

static void dump_header(struct strbuf *out)
{
	strbuf_addf(out,
	            "# Every German holiday day of every region, 1995-2099, under the holiday rules %s.\n"
	            "# First written from the C rule table of holidays.c (de-2025.1) before the rules\n"
	            "# moved into src/calendar/holidays-de.txt; test_holidays.c compares the built-in\n"
	            "# rules with it line by line. Format: 'name N \"German\" \"English\"' numbers the\n"
	            "# names in order of first use; then 'REGION YEAR' and MM-DD=N[+N] per holiday day.\n"
	            "# Generated; after a deliberate change of the rules, regenerate it with\n"
	            "#   build/tests/test_holidays --dump-expected > tests/unit/data/holidays-de-expected.txt\n",
	            holidays_data_version());
}

/* A file of tests/unit/data, found next to this source file: meson compiles it as
 * ../tests/unit/test_holidays.c and runs the tests in the build directory. */
static char *read_test_data(const char *name, size_t *ret_len)
{
	char path[4096];
	const char *slash = strrchr(__FILE__, '/');
	snprintf(path, sizeof(path), "%.*s/data/%s", slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s: run the test from the build directory, as meson test does", path);
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	assert_false(ferror(f));
	fclose(f);
	return strbuf_detach(&sb, ret_len);
}

/* Writes text to a new temporary file; the caller unlinks and frees the path. */
static char *temp_file(const char *text, size_t len)
{
	const char *dir = getenv("TMPDIR");
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/test_holidays-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path.buf);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	return strbuf_detach(&path, NULL);
}

/* The built-in text with another version line and extra lines at the end. */
static char *builtin_with(const char *version, const char *extra)
{
	const char *v = strstr(holidays_builtin_rules, "\nversion de-2025.1\n");
	assert_non_null(v);
	struct strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, holidays_builtin_rules, (size_t)(v - holidays_builtin_rules));
	strbuf_addf(&sb, "\nversion %s\n", version);
	strbuf_adds(&sb, v + strlen("\nversion de-2025.1\n"));
	strbuf_adds(&sb, extra);
	return strbuf_detach(&sb, NULL);
}

static void load_builtin(void)
{
	struct lserr e;
	lserr_clear(&e);
	if (holidays_load_builtin(&e) < 0)
		fail_msg("built-in holiday rules: %s", e.message);
}

static void test_builtin_rule_file_parses(void **state)
{
	(void)state;
	struct lserr e;
	lserr_clear(&e);
	if (holidays_check_text("holidays-de.txt", holidays_builtin_rules, holidays_builtin_rules_len, &e) < 0)
		fail_msg("holidays-de.txt does not parse: %s", e.message);
	assert_int_equal(strlen(holidays_builtin_rules), holidays_builtin_rules_len);
	load_builtin();
	assert_int_equal(holidays_init(NULL), 0);
	assert_string_equal(holidays_data_version(), "de-2025.1");
	/* every declared name is used and none is lost: ids 0..22 as in the C table */
	assert_string_equal(holidays_name(0, HOLIDAYS_LANG_DE), "Neujahr");
	assert_string_equal(holidays_name(22, HOLIDAYS_LANG_EN), "Second Day of Christmas");
	assert_string_equal(holidays_name(23, HOLIDAYS_LANG_DE), "?");
}

static void test_builtin_rules_give_the_holidays_of_the_c_table_1995_to_2099(void **state)
{
	(void)state;
	load_builtin();
	size_t len;
	char *want = read_test_data("holidays-de-expected.txt", &len);
	struct strbuf got = STRBUF_INIT;
	dump_all_holidays(&got);
	/* compare line by line, skipping the comment lines of the expected file */
	const char *w = want, *g = got.buf;
	unsigned line = 0, compared = 0;
	while (*w) {
		line++;
		size_t wl = strcspn(w, "\n");
		if (*w != '#') {
			size_t gl = strcspn(g, "\n");
			if (wl != gl || memcmp(w, g, wl) != 0)
				fail_msg("holidays-de-expected.txt:%u differs:\n want %.*s\n got  %.*s", line, (int)wl,
				         w, (int)gl, g);
			g += gl + (g[gl] == '\n');
			compared++;
		}
		w += wl + (w[wl] == '\n');
	}
	if (*g)
		fail_msg("more holiday lines than expected, from: %.80s", g);
	assert_int_equal(compared, 23 + _HOLIDAYS_REGION_MAX * (HOLIDAYS_LAST_YEAR - HOLIDAYS_FIRST_YEAR + 1));
	strbuf_release(&got);
	xfree(want);
}

static const char test_holiday[] = "\nname testtag \"Testfeiertag\" \"Test Holiday\"\n"
                                   "rule testtag fixed 09-01 2027- DE-BE\n"
                                   "rule testtag fixed 05-01 2030 DE-BE\n";

static void test_custom_rule_file_changes_holidays_and_version(void **state)
{
	(void)state;
	load_builtin();
	const char *old_version = holidays_data_version();
	struct holiday h[HOLIDAYS_MAX_PER_YEAR];
	size_t n, n2026;
	assert_int_equal(holidays_year(HOLIDAYS_DE_BE, 2027, h, &n, NULL), 0);
	assert_int_equal(holidays_year(HOLIDAYS_DE_BE, 2026, h, &n2026, NULL), 0);
	assert_false(has(HOLIDAYS_DE_BE, 2027, 9, 1));

	char *text = builtin_with("de-2027.1-test", test_holiday);
	char *path = temp_file(text, strlen(text));
	struct lserr e;
	lserr_clear(&e);
	if (holidays_load_file(path, &e) < 0)
		fail_msg("%s", e.message);
	assert_string_equal(holidays_data_version(), "de-2027.1-test");
	assert_string_equal(old_version, "de-2025.1"); /* handed-out versions stay valid */
	assert_true(has(HOLIDAYS_DE_BE, 2027, 9, 1));
	assert_true(has(HOLIDAYS_DE_BE, 2099, 9, 1));
	assert_false(has(HOLIDAYS_DE_BE, 2026, 9, 1));
	assert_false(has(HOLIDAYS_DE_BB, 2027, 9, 1));
	assert_false(has(HOLIDAYS_DE, 2027, 9, 1));
	size_t n2;
	assert_int_equal(holidays_year(HOLIDAYS_DE_BE, 2027, h, &n2, NULL), 0);
	assert_int_equal(n2, n + 1);
	assert_int_equal(holidays_year(HOLIDAYS_DE_BE, 2026, h, &n2, NULL), 0);
	assert_int_equal(n2, n2026);
	assert_int_equal(holidays_year(HOLIDAYS_DE_BE, 2027, h, &n2, NULL), 0);
	for (size_t i = 0; i < n2; i++)
		if (h[i].month == 9 && h[i].mday == 1) {
			assert_string_equal(holidays_name(h[i].ids[0], HOLIDAYS_LANG_DE), "Testfeiertag");
			assert_string_equal(holidays_name(h[i].ids[0], HOLIDAYS_LANG_EN), "Test Holiday");
		}
	/* a later rule on the day of an earlier one: one day, names in rule order */
	assert_int_equal(holidays_year(HOLIDAYS_DE_BE, 2030, h, &n2, NULL), 0);
	size_t may1 = 0;
	while (may1 < n2 && !(h[may1].month == 5 && h[may1].mday == 1))
		may1++;
	assert_true(may1 < n2);
	assert_int_equal(h[may1].n, 2);
	assert_string_equal(holidays_name(h[may1].ids[0], HOLIDAYS_LANG_DE), "Tag der Arbeit");
	assert_string_equal(holidays_name(h[may1].ids[1], HOLIDAYS_LANG_DE), "Testfeiertag");

	/* a bad file leaves the rules in force alone */
	char *bad = temp_file("version x\nrule neujahr fixed 01-01 always ALL\n", 43);
	assert_int_equal(holidays_load_file(bad, &e), -EINVAL);
	assert_string_equal(e.field, "holidays_file");
	char want[4200];
	snprintf(want, sizeof(want), "%s:2: unknown holiday 'neujahr'", bad);
	assert_non_null(strstr(e.message, want));
	assert_string_equal(holidays_data_version(), "de-2027.1-test");
	assert_int_equal(holidays_load_file("/nonexistent/holidays.txt", &e), -ENOENT);
	assert_string_equal(e.field, "holidays_file");
	assert_non_null(strstr(e.message, "/nonexistent/holidays.txt"));
	assert_int_equal(holidays_load_file(NULL, &e), -EINVAL);

	load_builtin();
	assert_string_equal(holidays_data_version(), "de-2025.1");
	assert_false(has(HOLIDAYS_DE_BE, 2027, 9, 1));
	unlink(path);
	unlink(bad);
	xfree(path);
	xfree(bad);
	xfree(text);
}

static void test_malformed_rule_files_name_the_line(void **state)
{
	(void)state;
	load_builtin();
#define V  "version t1\n"
#define NA V "name a \"A\" \"A-en\"\n"
	static const struct {
		const char *text;
		const char *want; /* start of the message */
	} v[] = {
	        {"", "bad.txt: no version line"},
	        {"# only a comment\n\n", "bad.txt: no version line"},
	        {V, "bad.txt: no rule lines"},
	        {NA, "bad.txt: no rule lines"},
	        {"name a \"A\" \"B\"\n", "bad.txt:1: the file must start with a version line"},
	        {V "version t2\n", "bad.txt:2: a second version line (the first is line 1)"},
	        {"version\n", "bad.txt:1: expected 'version VERSION'"},
	        {"version a/b\n", "bad.txt:1: version 'a/b' must be"},
	        {V "rule neujahr fixed 01-01 always ALL\n", "bad.txt:2: unknown holiday 'neujahr'"},
	        {NA "rule a fixed 13-01 always ALL\n", "bad.txt:3: '13-01' is not a date MM-DD"},
	        {NA "rule a fixed 04-31 always ALL\n", "bad.txt:3: '04-31' is not a date"},
	        {NA "rule a fixed 1-1 always ALL\n", "bad.txt:3: '1-1' is not a date"},
	        {NA "rule a fixed 02-29 always ALL\n", "bad.txt:3: 29 February"},
	        {NA "rule a easter +251 always ALL\n", "bad.txt:3: easter offset '+251'"},
	        {NA "rule a easter -81 always ALL\n", "bad.txt:3: easter offset '-81'"},
	        {NA "rule a easter x always ALL\n", "bad.txt:3: easter offset 'x'"},
	        {NA "rule a easter always ALL\n", "bad.txt:3: expected 'rule ID"},
	        {NA "rule a buss-bettag always\n", "bad.txt:3: expected 'rule ID"},
	        {NA "rule a yearly 01-01 always ALL\n", "bad.txt:3: unknown date kind 'yearly'"},
	        {NA "rule a fixed 01-01 2030-2020 ALL\n", "bad.txt:3: years '2030-2020' end before"},
	        {NA "rule a fixed 01-01 20x0 ALL\n", "bad.txt:3: years '20x0' must be"},
	        {NA "rule a fixed 01-01 1500- ALL\n", "bad.txt:3: years '1500-' must be"},
	        {NA "rule a fixed 01-01 always DE-XX\n", "bad.txt:3: unknown region or group 'DE-XX'"},
	        {NA "rule a fixed 01-01 always none\n", "bad.txt:3: region 'none'"},
	        {NA "rule a fixed 01-01 always DE-BE,,DE-BB\n", "bad.txt:3: empty region"},
	        {NA "rule a fixed 01-01 always \"ALL\"\n", "bad.txt:3: rule: word 6 must not be quoted"},
	        {NA "name a \"A\" \"B\"\n", "bad.txt:3: holiday 'a' is declared twice"},
	        {V "name A \"A\" \"B\"\n", "bad.txt:2: holiday id 'A' must be"},
	        {V "name b \"open\n", "bad.txt:2: a quoted name is not closed"},
	        {V "name b \"x\" \"y\\n\"\n", "bad.txt:2: unknown escape"},
	        {V "name b \"x\"\"y\"\n", "bad.txt:2: a space must follow the closing"},
	        {V "name b Name \"B\"\n", "bad.txt:2: the German name must be in double quotes"},
	        {V "name b \"\" \"B\"\n", "bad.txt:2: the German name must be 1-200 bytes"},
	        {V "name b \"A\"\n", "bad.txt:2: expected 'name ID"},
	        {V "name b \"\xff\" \"B\"\n", "bad.txt:2: is not valid UTF-8"},
	        {V "name b \"\xc3\x28\" \"B\"\n", "bad.txt:2: is not valid UTF-8"},
	        {V "name b \"\t\" \"B\"\n", "bad.txt:2: control character"},
	        {V "group DE-BY DE-BY\n", "bad.txt:2: group name 'DE-BY' must be"},
	        {V "group DE DE-BY\n", "bad.txt:2: group name 'DE' is a region code"},
	        {V "group G DE-BY\ngroup g DE-BE\n", "bad.txt:3: group 'g' is declared twice"},
	        {V "frobnicate 1\n", "bad.txt:2: unknown statement 'frobnicate'"},
	        {V "name b \"a\" \"b\" \"c\" d e f g h\n", "bad.txt:2: too many words"},
	        {NA "name b \"B\" \"B\"\nname c \"C\" \"C\"\nname d \"D\" \"D\"\n"
	            "rule a fixed 01-01 always DE-SN\nrule b fixed 01-01 always DE-SN\n"
	            "rule c fixed 01-01 always DE-SN\nrule d fixed 01-01 always DE-SN\n",
	         "bad.txt:9: DE-SN in 1995: more than 3 holidays on one day"},
	};
	for (size_t i = 0; i < ELEMENTSOF(v); i++) {
		struct lserr e;
		lserr_clear(&e);
		int r = holidays_check_text("bad.txt", v[i].text, strlen(v[i].text), &e);
		if (r != -EINVAL || strncmp(e.message, v[i].want, strlen(v[i].want)) != 0)
			fail_msg("case %zu: rc %d, message '%s', want '%s...'", i, r, e.message, v[i].want);
		assert_string_equal(e.field, "holidays_file");
	}
	/* a NUL byte, more than 32 days a year, a file too large */
	struct lserr e;
	static const char nul[] = V "name a \"A\"\0\"B\"\n";
	assert_int_equal(holidays_check_text("bad.txt", nul, sizeof(nul) - 1, &e), -EINVAL);
	assert_non_null(strstr(e.message, "bad.txt:2: contains a NUL byte"));
	struct strbuf many = STRBUF_INIT;
	strbuf_adds(&many, NA);
	for (int d = 0; d < 33; d++)
		strbuf_addf(&many, "rule a fixed %02d-%02d 2050- DE-HB\n", 1 + d / 28, 1 + d % 28);
	assert_int_equal(holidays_check_text("bad.txt", many.buf, many.len, &e), -EINVAL);
	assert_string_equal(e.message, "bad.txt:35: DE-HB in 2050: more than 32 holiday days");
	strbuf_release(&many);
	char *big = xcalloc(HOLIDAYS_MAX_FILE_BYTES + 1, 1);
	memset(big, '#', HOLIDAYS_MAX_FILE_BYTES);
	assert_int_equal(holidays_check_text("big.txt", big, HOLIDAYS_MAX_FILE_BYTES + 1, &e), -LS_ETOOLARGE);
	assert_non_null(strstr(e.message, "big.txt"));
	xfree(big);
	/* the same rule file in every syntax the format allows */
	static const char ok[] = "\xEF\xBB\xBF# comment\r\n"
	                         "version t-1.2_b  # trailing comment\r\n"
	                         "\tname a \"Tag \\\"A\\\" \\\\ x\" \"Day A\"\n"
	                         "group Some_Group de-be,DE-bb\n"
	                         "group MORE some_group,DE-SN\n"
	                         "rule a fixed 03-01 1995 more\n"
	                         "rule a easter -80 1996-1997 ALL\n"
	                         "rule a buss-bettag always DE\n"
	                         "rule a easter 0 2000- DE-BY,DE-BY-AUGSBURG";
	lserr_clear(&e);
	if (holidays_check_text("ok.txt", ok, sizeof(ok) - 1, &e) < 0)
		fail_msg("%s", e.message);
	/* checking changes nothing; the rules in force are still the built-in ones */
	assert_string_equal(holidays_data_version(), "de-2025.1");
	assert_int_equal(holidays_load_text("ok.txt", ok, sizeof(ok) - 1, &e), 0);
	assert_string_equal(holidays_data_version(), "t-1.2_b");
	assert_string_equal(holidays_name(0, HOLIDAYS_LANG_DE), "Tag \"A\" \\ x");
	assert_true(has(HOLIDAYS_DE_BB, 1995, 3, 1));
	assert_true(has(HOLIDAYS_DE_SN, 1995, 3, 1));
	assert_false(has(HOLIDAYS_DE_BW, 1995, 3, 1));
	assert_false(has(HOLIDAYS_DE_BB, 1996, 3, 1));
	assert_true(has(HOLIDAYS_DE_TH, 1996, 1, 18)); /* Easter 1996: 7 April, - 80 days */
	assert_true(has(HOLIDAYS_DE, 2025, 11, 19));
	assert_false(has(HOLIDAYS_DE_BY_CATHOLIC, 2025, 4, 20));
	assert_true(has(HOLIDAYS_DE_BY_AUGSBURG, 2025, 4, 20));
	load_builtin();
#undef NA
#undef V
}

/* $LEITSTAND_HOLIDAYS_FILE is read once, at first use: each case runs in a fresh
 * process (this binary with --env-child), where threads race to that first use. */
struct first_use {
	const char *version;
	int rc;
	size_t n;
};

static void *first_use_thread(void *arg)
{
	struct first_use *f = arg;
	struct holiday h[HOLIDAYS_MAX_PER_YEAR];
	f->version = holidays_data_version();
	f->rc = holidays_year(HOLIDAYS_DE_BE, 2027, h, &f->n, NULL);
	return NULL;
}

#define CHILD_CHECK(c)                                                                                                 \
	do {                                                                                                           \
		if (!(c)) {                                                                                            \
			printf("env child: %s:%d: %s failed\n", __FILE__, __LINE__, #c);                               \
			return 1;                                                                                      \
		}                                                                                                      \
	} while (0)

/* want "good": the file of test_holiday is in force; "bad": it is refused. */
static int env_child(const char *want, const char *path)
{
	pthread_t t[4];
	struct first_use f[4] = {0};
	for (int i = 0; i < 4; i++)
		CHILD_CHECK(pthread_create(&t[i], NULL, first_use_thread, &f[i]) == 0);
	for (int i = 0; i < 4; i++)
		CHILD_CHECK(pthread_join(t[i], NULL) == 0);
	for (int i = 1; i < 4; i++)
		CHILD_CHECK(f[i].version == f[0].version && f[i].rc == f[0].rc && f[i].n == f[0].n);
	struct lserr e;
	lserr_clear(&e);
	struct holiday h[HOLIDAYS_MAX_PER_YEAR];
	size_t n = 0;
	if (strcmp(want, "good") == 0) {
		CHILD_CHECK(holidays_init(&e) == 0);
		CHILD_CHECK(strcmp(f[0].version, "de-2027.1-env") == 0 && f[0].rc == 0);
		CHILD_CHECK(has(HOLIDAYS_DE_BE, 2027, 9, 1));
		CHILD_CHECK(!has(HOLIDAYS_DE_BE, 2026, 9, 1));
		return 0;
	}
	char line3[4200];
	snprintf(line3, sizeof(line3), "%s:3: unknown date kind 'yearly'", path);
	CHILD_CHECK(holidays_init(&e) == -EINVAL);
	CHILD_CHECK(strcmp(e.field, "holidays_file") == 0 && strstr(e.message, line3));
	CHILD_CHECK(f[0].rc == -EINVAL && strcmp(f[0].version, "") == 0);
	lserr_clear(&e);
	CHILD_CHECK(holidays_year(HOLIDAYS_DE, 2025, h, &n, &e) == -EINVAL && n == 0);
	CHILD_CHECK(strcmp(e.field, "holidays_file") == 0 && strstr(e.message, line3));
	CHILD_CHECK(strcmp(holidays_name(0, HOLIDAYS_LANG_DE), "?") == 0);
	/* never silently the built-in rules, but a load repairs it */
	CHILD_CHECK(holidays_load_builtin(&e) == 0 && holidays_init(&e) == 0);
	CHILD_CHECK(strcmp(holidays_data_version(), "de-2025.1") == 0);
	return 0;
}

static void run_env_child(const char *want, const char *path)
{
	fflush(stdout);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv(HOLIDAYS_FILE_ENV, path, 1);
		execl("/proc/self/exe", "test_holidays", "--env-child", want, path, (char *)NULL);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("the %s-file child failed (status 0x%x)", want, status);
}

static void test_environment_variable_names_the_rule_file(void **state)
{
	(void)state;
	char *text = builtin_with("de-2027.1-env", test_holiday);
	char *good = temp_file(text, strlen(text));
	static const char broken[] = "version x\nname a \"A\" \"A\"\nrule a yearly 01-01 always ALL\n";
	char *bad = temp_file(broken, sizeof(broken) - 1);
	run_env_child("good", good);
	run_env_child("bad", bad);
	unlink(good);
	unlink(bad);
	xfree(good);
	xfree(bad);
	xfree(text);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--env-child") == 0)
		return env_child(argv[2], argv[3]);
	/* the tests above expect the built-in rules at first use */
	unsetenv(HOLIDAYS_FILE_ENV);
	if (argc == 2 && strcmp(argv[1], "--dump-expected") == 0) {
		struct strbuf sb = STRBUF_INIT;
		dump_header(&sb);
		struct strbuf days = STRBUF_INIT;
		dump_all_holidays(&days);
		strbuf_add(&sb, days.buf, days.len);
		fwrite(sb.buf, 1, sb.len, stdout);
		strbuf_release(&days);
		strbuf_release(&sb);
		return 0;
	}
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_easter_published_dates),
	        cmocka_unit_test(test_easter_matches_dateutil_and_carter_1995_to_2099),
	        cmocka_unit_test(test_2026_lists_by_hand),
	        cmocka_unit_test(test_names_in_german_and_english),
	        cmocka_unit_test(test_buss_und_bettag_only_in_saxony_from_1995),
	        cmocka_unit_test(test_reformationstag_rules),
	        cmocka_unit_test(test_frauentag_weltkindertag_and_berlin_one_offs),
	        cmocka_unit_test(test_brandenburg_lists_its_sunday_holidays),
	        cmocka_unit_test(test_day_with_two_holidays_counts_once),
	        cmocka_unit_test(test_years_and_regions_outside_are_refused),
	        cmocka_unit_test(test_region_codes_round_trip),
	        cmocka_unit_test(test_structure_of_every_region_and_year),
	        cmocka_unit_test(test_builtin_rule_file_parses),
	        cmocka_unit_test(test_builtin_rules_give_the_holidays_of_the_c_table_1995_to_2099),
	        cmocka_unit_test(test_custom_rule_file_changes_holidays_and_version),
	        cmocka_unit_test(test_malformed_rule_files_name_the_line),
	        cmocka_unit_test(test_environment_variable_names_the_rule_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
