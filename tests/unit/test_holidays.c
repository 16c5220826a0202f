/* Tests for calendar/holidays.c: Easter against published dates, against
 * python-dateutil's independent computus (every year 1995-2099, table below) and
 * against Carter's algorithm; full hand-made 2026 lists of several Länder from the
 * rules in domain research §3; every year rule (Buß- und Bettag, Reformationstag,
 * Frauentag, Weltkindertag, Berlin's one-off days); the Bavarian municipality
 * regions; a day with two holidays; region and year refusals; and structural
 * properties over all regions and years. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "calendar/holidays.h"
#include "core/alloc.h"
#include "core/timeutil.h"

/* Easter Sunday (MMDD) 1995..2099 from python-dateutil 2.8 (dateutil.easter.easter). */
static const char dateutil_easter[] =
	"0416 0407 0330 0412 0404 0423 0415 0331 0420 0411 0327 0416 0408 0323 0412 "
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
		{ 1961, 4, 2 },	 { 2008, 3, 23 }, { 2024, 3, 31 }, { 2025, 4, 20 }, { 2026, 4, 5 },
		{ 2027, 3, 28 }, { 2028, 4, 16 }, { 2038, 4, 25 }, { 2285, 3, 22 }, { 1818, 3, 22 },
		{ 1943, 4, 25 }, { 2000, 4, 23 }, { 1995, 4, 16 }, { 2099, 4, 12 },
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
	static const enum holidays_region always[] = { HOLIDAYS_DE_BB, HOLIDAYS_DE_MV, HOLIDAYS_DE_SN, HOLIDAYS_DE_ST,
						       HOLIDAYS_DE_TH };
	static const enum holidays_region from2018[] = { HOLIDAYS_DE_HB, HOLIDAYS_DE_HH, HOLIDAYS_DE_NI,
							 HOLIDAYS_DE_SH };
	static const enum holidays_region never[] = { HOLIDAYS_DE,    HOLIDAYS_DE_BW, HOLIDAYS_DE_BY, HOLIDAYS_DE_BE,
						      HOLIDAYS_DE_HE, HOLIDAYS_DE_NW, HOLIDAYS_DE_RP, HOLIDAYS_DE_SL,
						      HOLIDAYS_DE_BY_CATHOLIC, HOLIDAYS_DE_BY_AUGSBURG };
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
				assert_true(h[i].day ==
					    time_days_from_civil(y, h[i].month, h[i].mday));
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

int main(void)
{
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
