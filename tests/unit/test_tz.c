/* Tests for calendar/tz.c: the TZif reader and POSIX footer rules against the
 * system's zdump (glibc's reading of the same tzdata) for 1900-2099 in zones with
 * every kind of rule (southern hemisphere, negative DST, 30-minute DST, transitions
 * at 24:00, 2-hour DST, DST all year), hard-coded transitions verified with
 * `zdump -v` when the tool is missing, local-to-UTC resolution in gaps and
 * overlaps, formatting, synthetic files and malformed input. Includes tz.c to test
 * the footer parser directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/calendar/tz.c"
#include "core/rng.h"

static ls_time at(const char *s)
{
	ls_time t = 0;
	if (time_parse_rfc3339(s, &t) < 0)
		fail_msg("bad test timestamp %s", s);
	return t;
}

static int64_t local(int y, unsigned mo, unsigned d, int h, int mi)
{
	return time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

static struct tz *load(const char *name)
{
	struct tz *tz = NULL;
	struct lserr e;
	lserr_clear(&e);
	if (tz_load(name, &tz, &e) < 0)
		fail_msg("tz_load(%s): %s", name, e.message);
	return tz;
}

/* ---- against zdump ---- */

static const char *const zdump_zones[] = {
        "Europe/Berlin",       "America/New_York",   "Australia/Sydney",  "Australia/Lord_Howe",
        "Europe/Dublin",       "America/Santiago",   "America/Sao_Paulo", "Asia/Tehran",
        "Pacific/Apia",        "Africa/Casablanca",  "America/Nuuk",      "Asia/Kolkata",
        "Pacific/Chatham",     "Europe/London",      "America/St_Johns",  "Etc/UTC",
        "America/Havana",      "Antarctica/Troll",   "Europe/Moscow",     "Asia/Jerusalem",
        "America/Los_Angeles", "Pacific/Kiritimati", "Asia/Gaza",         "Europe/Lisbon",
};

static int month_of(const char *m)
{
	static const char *const names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	for (int i = 0; i < 12; i++)
		if (strncmp(m, names[i], 3) == 0)
			return i + 1;
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static void check_zone_against_zdump(const char *zone, unsigned *ret_lines)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "zdump -v -c 1900,2100 %s", zone);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct tz *tz = load(zone);
	size_t n = 0, cap = 4096;
	int64_t *seen = xmalloc(cap * sizeof(*seen));
	char line[512];
	unsigned lines = 0;
	while (fgets(line, sizeof(line), p)) {
		char wd[8], mon[8];
		int d, h, mi, s, y;
		long off;
		const char *q = strchr(line, ' ');
		if (!q || strstr(line, "= NULL"))
			continue;
		const char *g = strstr(line, "gmtoff=");
		if (sscanf(q, " %7s %7s %d %d:%d:%d %d UT", wd, mon, &d, &h, &mi, &s, &y) != 7 || !g ||
		    sscanf(g, "gmtoff=%ld", &off) != 1)
			fail_msg("unparsable zdump line: %s", line);
		ls_time t =
		        time_days_from_civil(y, (unsigned)month_of(mon), (unsigned)d) * 86400 + h * 3600 + mi * 60 + s;
		if (tz_offset_at(tz, t) != off)
			fail_msg("%s at %lld: offset %d, zdump says %ld (%s)", zone, (long long)t, tz_offset_at(tz, t),
			         off, line);
		if (n == cap)
			seen = xrealloc(seen, (cap *= 2) * sizeof(*seen));
		seen[n++] = t;
		lines++;
	}
	pclose(p);
	/* every transition of ours in range is one zdump reports too */
	qsort(seen, n, sizeof(*seen), cmp_i64);
	ls_time lo = at("1900-01-02T00:00:00Z"), hi = at("2099-12-31T00:00:00Z");
	for (size_t i = 0; i < tz_transition_count(tz); i++) {
		ls_time t;
		tz_transition(tz, i, &t, NULL);
		if (t < lo || t > hi)
			continue;
		if (!bsearch(&t, seen, n, sizeof(*seen), cmp_i64))
			fail_msg("%s: transition at %lld is not in zdump's output", zone, (long long)t);
	}
	xfree(seen);
	tz_free(tz);
	*ret_lines = lines;
}

static void test_offsets_match_zdump_1900_to_2099(void **state)
{
	(void)state;
	if (access("/usr/bin/zdump", X_OK) != 0 && access("/usr/sbin/zdump", X_OK) != 0) {
		print_message("zdump not installed: covered by the hard-coded transitions only\n");
		skip();
	}
	unsigned total = 0;
	for (size_t i = 0; i < ELEMENTSOF(zdump_zones); i++) {
		unsigned lines = 0;
		check_zone_against_zdump(zdump_zones[i], &lines);
		total += lines;
	}
	assert_true(total > 5000); /* the comparison really ran */
}

/* Transitions verified with `zdump -v` (tzdata 2025b) when these tests were written. */
static void test_known_transitions(void **state)
{
	(void)state;
	static const struct {
		const char *zone, *utc;
		int32_t before, after;
	} v[] = {
	        {"Europe/Berlin", "2025-03-30T01:00:00Z", 3600, 7200},
	        {"Europe/Berlin", "2025-10-26T01:00:00Z", 7200, 3600},
	        {"Europe/Berlin", "2024-03-31T01:00:00Z", 3600, 7200},
	        {"Europe/Berlin", "2024-10-27T01:00:00Z", 7200, 3600},
	        {"Europe/Berlin", "2099-03-29T01:00:00Z", 3600, 7200}, /* from the footer rule */
	        {"America/New_York", "2025-03-09T07:00:00Z", -18000, -14400},
	        {"America/New_York", "2025-11-02T06:00:00Z", -14400, -18000},
	        {"America/New_York", "2060-03-14T07:00:00Z", -18000, -14400},
	        {"Australia/Sydney", "2025-04-05T16:00:00Z", 39600, 36000},
	        {"Australia/Sydney", "2025-10-04T16:00:00Z", 36000, 39600},
	        {"Australia/Lord_Howe", "2025-10-04T15:30:00Z", 37800, 39600},
	        {"Europe/Dublin", "2025-03-30T01:00:00Z", 0, 3600},
	        {"Europe/Dublin", "2025-10-26T01:00:00Z", 3600, 0},
	        {"America/Santiago", "2025-04-06T03:00:00Z", -10800, -14400},
	        {"America/Santiago", "2025-09-07T04:00:00Z", -14400, -10800},
	        {"Antarctica/Troll", "2025-03-30T01:00:00Z", 0, 7200},
	        {"Asia/Kolkata", "1945-10-14T17:30:00Z", 23400, 19800},
	};
	for (size_t i = 0; i < ELEMENTSOF(v); i++) {
		struct tz *tz = load(v[i].zone);
		ls_time t = at(v[i].utc);
		if (tz_offset_at(tz, t - 1) != v[i].before || tz_offset_at(tz, t) != v[i].after)
			fail_msg("%s %s: %d/%d, want %d/%d", v[i].zone, v[i].utc, tz_offset_at(tz, t - 1),
			         tz_offset_at(tz, t), v[i].before, v[i].after);
		tz_free(tz);
	}
}

static void test_utc_has_no_transitions(void **state)
{
	(void)state;
	struct tz *tz = load("UTC");
	assert_int_equal(tz_transition_count(tz), 0);
	assert_int_equal(tz_offset_at(tz, at("2025-06-01T00:00:00Z")), 0);
	assert_true(tz_local_to_utc(tz, local(2025, 6, 1, 12, 0)) == at("2025-06-01T12:00:00Z"));
	assert_string_equal(tz_name(tz), "UTC");
	tz_free(tz);
}

/* ---- local time to UTC ---- */

static void test_gap_maps_to_first_instant_after_it(void **state)
{
	(void)state;
	struct tz *tz = load("Europe/Berlin");
	/* 30 March 2025: 02:00 CET becomes 03:00 CEST at 01:00 UTC */
	assert_true(tz_local_to_utc(tz, local(2025, 3, 30, 1, 59)) == at("2025-03-30T00:59:00Z"));
	assert_true(tz_local_to_utc(tz, local(2025, 3, 30, 2, 0)) == at("2025-03-30T01:00:00Z"));
	assert_true(tz_local_to_utc(tz, local(2025, 3, 30, 2, 30)) == at("2025-03-30T01:00:00Z"));
	assert_true(tz_local_to_utc(tz, local(2025, 3, 30, 3, 0)) == at("2025-03-30T01:00:00Z"));
	assert_true(tz_local_to_utc(tz, local(2025, 3, 30, 3, 1)) == at("2025-03-30T01:01:00Z"));
	tz_free(tz);
	tz = load("America/New_York");
	assert_true(tz_local_to_utc(tz, local(2025, 3, 9, 2, 30)) == at("2025-03-09T07:00:00Z"));
	tz_free(tz);
	tz = load("Australia/Sydney"); /* 5 October 2025, 02:00 AEST → 03:00 AEDT */
	assert_true(tz_local_to_utc(tz, local(2025, 10, 5, 2, 30)) == at("2025-10-04T16:00:00Z"));
	tz_free(tz);
	tz = load("America/Santiago"); /* 7 September 2025 starts at 01:00: midnight does not exist */
	assert_true(tz_local_to_utc(tz, local(2025, 9, 7, 0, 0)) == at("2025-09-07T04:00:00Z"));
	assert_true(tz_local_to_utc(tz, local(2025, 9, 7, 1, 0)) == at("2025-09-07T04:00:00Z"));
	tz_free(tz);
}

static void test_overlap_maps_to_first_occurrence(void **state)
{
	(void)state;
	struct tz *tz = load("Europe/Berlin");
	/* 26 October 2025: 02:00-03:00 happens twice, first in CEST */
	assert_true(tz_local_to_utc(tz, local(2025, 10, 26, 2, 0)) == at("2025-10-26T00:00:00Z"));
	assert_true(tz_local_to_utc(tz, local(2025, 10, 26, 2, 30)) == at("2025-10-26T00:30:00Z"));
	assert_true(tz_local_to_utc(tz, local(2025, 10, 26, 2, 59)) == at("2025-10-26T00:59:00Z"));
	assert_true(tz_local_to_utc(tz, local(2025, 10, 26, 3, 0)) == at("2025-10-26T02:00:00Z"));
	tz_free(tz);
	tz = load("America/New_York");
	assert_true(tz_local_to_utc(tz, local(2025, 11, 2, 1, 30)) == at("2025-11-02T05:30:00Z"));
	tz_free(tz);
	tz = load("Australia/Sydney"); /* 6 April 2025, 03:00 AEDT → 02:00 AEST */
	assert_true(tz_local_to_utc(tz, local(2025, 4, 6, 2, 30)) == at("2025-04-05T15:30:00Z"));
	tz_free(tz);
}

static void test_local_to_utc_round_trips_and_is_monotonic(void **state)
{
	(void)state;
	static const char *const zones[] = {"Europe/Berlin",    "America/New_York", "Australia/Lord_Howe",
	                                    "America/Santiago", "Europe/Dublin",    "Antarctica/Troll"};
	struct rng rng;
	rng_seed(&rng, 42);
	for (size_t z = 0; z < ELEMENTSOF(zones); z++) {
		struct tz *tz = load(zones[z]);
		ls_time lo = at("1995-01-01T00:00:00Z"), span = at("2099-12-31T00:00:00Z") - lo;
		for (int i = 0; i < 20000; i++) {
			ls_time t = lo + (ls_time)rng_below(&rng, (uint64_t)span);
			int64_t l = t + tz_offset_at(tz, t);
			ls_time u = tz_local_to_utc(tz, l);
			/* the same wall clock, and t itself unless t is the second occurrence */
			assert_true(u + tz_offset_at(tz, u) == l);
			assert_true(u <= t);
			if (u != t)
				assert_true(t - u == tz_offset_at(tz, u) - tz_offset_at(tz, t));
		}
		int64_t l = local(2024, 1, 1, 0, 0);
		ls_time prev = tz_local_to_utc(tz, l);
		for (; l < local(2026, 1, 1, 0, 0); l += 600) {
			ls_time u = tz_local_to_utc(tz, l);
			assert_true(u >= prev);
			prev = u;
		}
		tz_free(tz);
	}
}

/* ---- formatting ---- */

static void test_format_uses_offset_at_the_instant(void **state)
{
	(void)state;
	char buf[TZ_RFC3339_MAX];
	struct tz *tz = load("Europe/Berlin");
	assert_string_equal(tz_format_rfc3339(tz, at("2025-03-31T09:00:00Z"), buf, sizeof(buf)),
	                    "2025-03-31T11:00:00+02:00");
	assert_string_equal(tz_format_rfc3339(tz, at("2025-03-28T15:00:00Z"), buf, sizeof(buf)),
	                    "2025-03-28T16:00:00+01:00");
	tz_free(tz);
	tz = load("UTC");
	assert_string_equal(tz_format_rfc3339(tz, at("2025-03-31T09:00:00Z"), buf, sizeof(buf)),
	                    "2025-03-31T09:00:00+00:00");
	tz_free(tz);
	tz = load("America/St_Johns");
	assert_string_equal(tz_format_rfc3339(tz, at("2025-01-15T12:00:00Z"), buf, sizeof(buf)),
	                    "2025-01-15T08:30:00-03:30");
	tz_free(tz);
	tz = load("Asia/Kolkata");
	assert_string_equal(tz_format_rfc3339(tz, at("2025-01-15T12:00:00Z"), buf, sizeof(buf)),
	                    "2025-01-15T17:30:00+05:30");
	tz_free(tz);
}

/* ---- footer rules ---- */

static void test_posix_rules_parse(void **state)
{
	(void)state;
	struct rule r;
	assert_int_equal(parse_rule("CET-1CEST,M3.5.0,M10.5.0/3", &r), 0);
	assert_int_equal(r.std_off, 3600);
	assert_int_equal(r.dst_off, 7200);
	assert_int_equal(r.end_time, 3 * 3600);
	assert_int_equal(parse_rule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", &r), 0);
	assert_int_equal(r.std_off, 37800);
	assert_int_equal(r.dst_off, 39600);
	assert_int_equal(parse_rule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", &r), 0);
	assert_int_equal(r.start_time, -3600);
	assert_int_equal(parse_rule("<-04>4<-03>,M9.1.6/24,M4.1.6/24", &r), 0);
	assert_int_equal(r.start_time, 24 * 3600);
	assert_int_equal(parse_rule("EST5EDT4,0/0,J365/25", &r), 0);
	assert_int_equal(r.start.kind, 'N');
	assert_int_equal(r.end.kind, 'J');
	assert_int_equal(parse_rule("<+0330>-3:30", &r), 0);
	assert_false(r.has_dst);
	assert_int_equal(parse_rule("EST5EDT", &r), 0); /* default US rule */
	assert_int_equal(r.start.a, 3);
	static const char *const bad[] = {"",
	                                  "CE-1",
	                                  "CET",
	                                  "CET-1CEST,M13.1.0,M10.5.0",
	                                  "CET-1CEST,M3.6.0,M10.5.0",
	                                  "CET-1CEST,M3.5.7,M10.5.0",
	                                  "CET-1CEST,J366,J1",
	                                  "CET-1CEST,M3.5.0",
	                                  "<+01-1",
	                                  "CET-1CEST,M3.5.0/168,M10.5.0",
	                                  "CET-25"};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++)
		if (parse_rule(bad[i], &r) == 0)
			fail_msg("'%s' parsed", bad[i]);
}

/* A TZif v2 file with no transitions and only a footer rule. */
static size_t synth(uint8_t *buf, const char *footer)
{
	size_t k = 0;
	for (int v = 0; v < 2; v++) {
		memcpy(buf + k, "TZif2", 5);
		memset(buf + k + 5, 0, 39);
		buf[k + 39] = 1; /* typecnt */
		buf[k + 43] = 4; /* charcnt */
		k += 44;
		memset(buf + k, 0, 6); /* utoff 0 */
		k += 6;
		memcpy(buf + k, "UTC", 4);
		k += 4;
	}
	/* the types give utoff 0; make type 0 say +1 h (CET) in the v2 block */
	buf[44 + 10 + 44 + 3] = 0x10;
	buf[44 + 10 + 44 + 2] = 0x0e; /* 3600 = 0x0e10 */
	buf[k++] = '\n';
	memcpy(buf + k, footer, strlen(footer));
	k += strlen(footer);
	buf[k++] = '\n';
	return k;
}

static void test_footer_only_file_generates_transitions(void **state)
{
	(void)state;
	uint8_t buf[256];
	size_t n = synth(buf, "CET-1CEST,M3.5.0,M10.5.0/3");
	struct tz *tz = NULL;
	struct lserr e;
	assert_int_equal(tz_parse("Synth/CET", buf, n, &tz, &e), 0);
	assert_int_equal(tz_offset_at(tz, at("2025-03-30T00:59:59Z")), 3600);
	assert_int_equal(tz_offset_at(tz, at("2025-03-30T01:00:00Z")), 7200);
	assert_int_equal(tz_offset_at(tz, at("2150-07-01T00:00:00Z")), 7200);
	assert_int_equal(tz_is_dst(tz, at("2150-07-01T00:00:00Z")), 1);
	assert_int_equal(tz_offset_at(tz, at("2150-12-01T00:00:00Z")), 3600);
	struct tz *copy = tz_dup(tz);
	tz_free(tz);
	assert_int_equal(tz_offset_at(copy, at("2025-03-30T01:00:00Z")), 7200);
	assert_string_equal(tz_name(copy), "Synth/CET");
	tz_free(copy);
}

static void test_dst_all_year_rule_collapses(void **state)
{
	(void)state;
	uint8_t buf[256];
	size_t n = synth(buf, "EST5EDT4,0/0,J365/25");
	buf[44 + 10 + 44 + 0] = 0xff; /* type 0: -18000 = 0xffffb9b0 */
	buf[44 + 10 + 44 + 1] = 0xff;
	buf[44 + 10 + 44 + 2] = 0xb9;
	buf[44 + 10 + 44 + 3] = 0xb0;
	struct tz *tz = NULL;
	assert_int_equal(tz_parse("Synth/EDT", buf, n, &tz, NULL), 0);
	assert_int_equal(tz_transition_count(tz), 1);
	assert_int_equal(tz_offset_at(tz, at("2050-01-01T04:59:59Z")), -14400);
	assert_int_equal(tz_offset_at(tz, at("2050-07-01T00:00:00Z")), -14400);
	tz_free(tz);
}

/* ---- refusals ---- */

static void test_bad_names_and_files_are_refused(void **state)
{
	(void)state;
	struct tz *tz = NULL;
	struct lserr e;
	static const char *const bad_names[] = {"",
	                                        "/etc/passwd",
	                                        "../../etc/passwd",
	                                        "Europe/../../etc/passwd",
	                                        "Europe//Berlin",
	                                        "Europe/Berlin/",
	                                        "Europe/Ber lin",
	                                        "-x"};
	for (size_t i = 0; i < ELEMENTSOF(bad_names); i++) {
		lserr_clear(&e);
		assert_int_equal(tz_load(bad_names[i], &tz, &e), -EINVAL);
		assert_string_equal(e.field, "tz");
	}
	lserr_clear(&e);
	assert_int_equal(tz_load("Europe/Berln", &tz, &e), -ENOENT);
	assert_string_equal(e.field, "tz");
	assert_non_null(strstr(e.message, "Europe/Berln"));
	assert_int_equal(tz_load("Europe", &tz, &e), -ENOENT); /* a directory */
	assert_int_equal(tz_load("zone.tab", &tz, &e), -EINVAL);
	if (access("/usr/share/zoneinfo/right/Europe/Berlin", R_OK) == 0) {
		assert_int_equal(tz_load("right/Europe/Berlin", &tz, &e), -EINVAL);
		assert_non_null(strstr(e.message, "leap"));
	}
	assert_null(tz);
}

static void test_truncated_and_corrupt_files_are_refused(void **state)
{
	(void)state;
	FILE *f = fopen("/usr/share/zoneinfo/Europe/Berlin", "rb");
	assert_non_null(f);
	uint8_t buf[8192];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	struct tz *tz = NULL;
	assert_int_equal(tz_parse("x", buf, n, &tz, NULL), 0);
	tz_free(tz);
	tz = NULL;
	/* every prefix is either refused or (rarely) a shorter valid file; never a crash */
	for (size_t k = 0; k < n; k++) {
		uint8_t *copy = xmalloc(k ? k : 1);
		memcpy(copy, buf, k);
		if (tz_parse("x", copy, k, &tz, NULL) == 0) {
			tz_free(tz);
			tz = NULL;
		}
		xfree(copy);
	}
	/* flipped bytes: never a crash, and if accepted still answers queries */
	struct rng rng;
	rng_seed(&rng, 7);
	for (int i = 0; i < 3000; i++) {
		uint8_t copy[8192];
		memcpy(copy, buf, n);
		for (int j = 0; j < 3; j++)
			copy[rng_below(&rng, n)] ^= (uint8_t)(1 + rng_below(&rng, 255));
		if (tz_parse("x", copy, n, &tz, NULL) == 0) {
			(void)tz_offset_at(tz, at("2025-01-01T00:00:00Z"));
			(void)tz_local_to_utc(tz, local(2025, 3, 30, 2, 30));
			tz_free(tz);
			tz = NULL;
		}
	}
	memcpy(buf, "TZiX", 4);
	struct lserr e;
	assert_int_equal(tz_parse("x", buf, n, &tz, &e), -EINVAL);
	assert_string_equal(e.field, "tz");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_offsets_match_zdump_1900_to_2099),
	        cmocka_unit_test(test_known_transitions),
	        cmocka_unit_test(test_utc_has_no_transitions),
	        cmocka_unit_test(test_gap_maps_to_first_instant_after_it),
	        cmocka_unit_test(test_overlap_maps_to_first_occurrence),
	        cmocka_unit_test(test_local_to_utc_round_trips_and_is_monotonic),
	        cmocka_unit_test(test_format_uses_offset_at_the_instant),
	        cmocka_unit_test(test_posix_rules_parse),
	        cmocka_unit_test(test_footer_only_file_generates_transitions),
	        cmocka_unit_test(test_dst_all_year_rule_collapses),
	        cmocka_unit_test(test_bad_names_and_files_are_refused),
	        cmocka_unit_test(test_truncated_and_corrupt_files_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
