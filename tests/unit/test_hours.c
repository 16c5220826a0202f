/* Tests for calendar/hours.c: the opening-hours syntax (day ranges, lists,
 * wrapping ranges, several frames per day, 24:00, 24x7, night shifts as two
 * frames), normalisation (sorting, merging touching frames), canonical
 * formatting, and errors that name the bad part. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "calendar/hours.h"
#include "core/alloc.h"
#include "core/strbuf.h"

static struct hours *parse_ok(const char *s)
{
	struct hours *h = xcalloc(1, sizeof(*h));
	struct lserr e;
	lserr_clear(&e);
	if (hours_parse(s, h, &e) < 0)
		fail_msg("hours_parse('%s'): %s", s, e.message);
	return h;
}

static unsigned nframes(const struct hours *h, unsigned d)
{
	return (unsigned)(h->first[d + 1] - h->first[d]);
}

static const struct hours_frame *frame(const struct hours *h, unsigned d, unsigned i)
{
	return &h->f[h->first[d] + i];
}

static void assert_format(const char *in, const char *want)
{
	struct hours *h = parse_ok(in);
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(hours_format(h, &sb), 0);
	if (strcmp(sb.buf, want) != 0)
		fail_msg("format('%s') = '%s', want '%s'", in, sb.buf, want);
	/* the canonical text parses to the same schedule */
	struct hours *again = parse_ok(sb.buf);
	assert_memory_equal(h, again, sizeof(*h));
	strbuf_release(&sb);
	xfree(h);
	xfree(again);
}

static void test_weekdays_with_lunch_break_and_saturday(void **state)
{
	(void)state;
	struct hours *h = parse_ok("mon-fri 08:00-12:00 13:00-17:00; sat 09:00-13:00");
	for (unsigned d = 0; d < 5; d++) {
		assert_int_equal(nframes(h, d), 2);
		assert_int_equal(frame(h, d, 0)->start, 8 * 60);
		assert_int_equal(frame(h, d, 0)->end, 12 * 60);
		assert_int_equal(frame(h, d, 1)->start, 13 * 60);
		assert_int_equal(frame(h, d, 1)->end, 17 * 60);
	}
	assert_int_equal(nframes(h, 5), 1);
	assert_int_equal(frame(h, 5, 0)->start, 9 * 60);
	assert_int_equal(nframes(h, 6), 0);
	assert_int_equal(hours_weekly_minutes(h), 5 * 8 * 60 + 4 * 60);
	xfree(h);
}

static void test_lists_ranges_and_wrapping(void **state)
{
	(void)state;
	struct hours *h = parse_ok("mon,wed 10:00-11:00; fri-mon 07:30-07:45");
	assert_int_equal(nframes(h, 0), 2); /* mon: both groups */
	assert_int_equal(nframes(h, 1), 0);
	assert_int_equal(nframes(h, 2), 1);
	assert_int_equal(nframes(h, 3), 0);
	assert_int_equal(nframes(h, 4), 1);
	assert_int_equal(nframes(h, 5), 1);
	assert_int_equal(nframes(h, 6), 1);
	assert_int_equal(frame(h, 0, 0)->start, 7 * 60 + 30);
	assert_int_equal(frame(h, 0, 1)->start, 10 * 60);
	xfree(h);
	h = parse_ok("MON-Fri 08:00-17:00");
	assert_int_equal(nframes(h, 0), 1);
	xfree(h);
	h = parse_ok("  mon-tue,thu-fri   09:00-10:00 ;; sun 00:00-00:01 ;  ");
	assert_int_equal(nframes(h, 2), 0);
	assert_int_equal(nframes(h, 3), 1);
	assert_int_equal(frame(h, 6, 0)->end, 1);
	xfree(h);
}

static void test_24x7_and_midnight_frames(void **state)
{
	(void)state;
	struct hours *h = parse_ok("mon-sun 00:00-24:00");
	for (unsigned d = 0; d < 7; d++) {
		assert_int_equal(nframes(h, d), 1);
		assert_int_equal(frame(h, d, 0)->start, 0);
		assert_int_equal(frame(h, d, 0)->end, 1440);
	}
	assert_int_equal(hours_weekly_minutes(h), 7 * 1440);
	xfree(h);
	/* a night shift written as two frames */
	h = parse_ok("tue 22:00-24:00; wed 00:00-06:00");
	assert_int_equal(frame(h, 1, 0)->end, 1440);
	assert_int_equal(frame(h, 2, 0)->start, 0);
	xfree(h);
}

static void test_touching_frames_merge_and_order_is_free(void **state)
{
	(void)state;
	struct hours *h = parse_ok("mon 13:00-17:00 08:00-12:00 12:00-13:00");
	assert_int_equal(nframes(h, 0), 1);
	assert_int_equal(frame(h, 0, 0)->start, 8 * 60);
	assert_int_equal(frame(h, 0, 0)->end, 17 * 60);
	xfree(h);
	h = parse_ok("mon-fri 08:00-12:00; mon-fri 12:00-16:00");
	assert_int_equal(nframes(h, 4), 1);
	xfree(h);
}

static void test_canonical_format(void **state)
{
	(void)state;
	assert_format("mon-fri 08:00-12:00 13:00-17:00; sat 09:00-13:00",
	              "mon-fri 08:00-12:00 13:00-17:00; sat 09:00-13:00");
	assert_format("sun 10:00-11:00; mon,tue,wed 08:00-09:00", "mon-wed 08:00-09:00; sun 10:00-11:00");
	assert_format("mon,wed,fri 08:00-09:00", "mon,wed,fri 08:00-09:00");
	assert_format("sat-mon 08:00-09:00", "mon,sat-sun 08:00-09:00");
	assert_format("mon-sun 00:00-24:00", "mon-sun 00:00-24:00");
	struct hours empty = {0};
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(hours_format(&empty, &sb), 0);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

static void expect_error(const char *s, const char *part)
{
	struct hours *h = xcalloc(1, sizeof(*h));
	h->first[7] = 12345; /* untouched on failure */
	struct lserr e;
	lserr_clear(&e);
	int r = hours_parse(s, h, &e);
	if (r >= 0)
		fail_msg("'%s' parsed", s);
	assert_string_equal(e.field, "hours");
	assert_string_equal(e.code, "invalid_field");
	if (!strstr(e.message, part))
		fail_msg("error for '%s' is '%s', which does not name '%s'", s, e.message, part);
	assert_int_equal(h->first[7], 12345);
	xfree(h);
}

static void test_errors_name_the_bad_part(void **state)
{
	(void)state;
	expect_error("", "empty");
	expect_error("   ;  ; ", "empty");
	expect_error("mo-fr 08:00-17:00", "'mo-fr'");
	expect_error("mon-fri 8:00-17:00", "'8:00-17:00'");
	expect_error("mon-fri 08:00-17:60", "'17:60'");
	expect_error("mon-fri 08:00-25:00", "'25:00'");
	expect_error("mon-fri 24:00-24:00", "24:00");
	expect_error("mon-fri 08:00-08:00", "is empty");
	expect_error("mon-fri 22:00-06:00", "crosses midnight");
	expect_error("mon-fri", "'mon-fri' has no time frames");
	expect_error("08:00-17:00", "starts without days");
	expect_error("mon-fri 08:00-12:00 11:00-14:00", "overlap on mon");
	expect_error("mon-fri 08:00-17:00; fri 16:00-18:00", "overlap on fri");
	expect_error("mon,,tue 08:00-09:00", "''");
	expect_error("mon, 08:00-09:00", "''");
	expect_error("mon-sun-tue 08:00-09:00", "'mon-sun-tue'");
	expect_error("mon 08:00-09:00x", "'08:00-09:00x'");
	expect_error("mon 08:00–09:00", "08:00"); /* an en dash */
	expect_error("mon 0a:00-09:00", "'0a:00'");
	/* a hint says how to write a night shift */
	struct hours h;
	struct lserr e;
	assert_int_equal(hours_parse("tue 22:00-06:00", &h, &e), -EINVAL);
	assert_non_null(strstr(e.hint, "22:00-24:00"));
	assert_non_null(strstr(e.hint, "00:00-06:00"));
}

static void test_limits(void **state)
{
	(void)state;
	struct hours *h = xcalloc(1, sizeof(*h));
	struct lserr e;
	/* too long */
	char *big = xmalloc(LS_MAX_HOURS_BYTES + 2);
	memset(big, ' ', LS_MAX_HOURS_BYTES + 1);
	big[LS_MAX_HOURS_BYTES + 1] = '\0';
	assert_int_equal(hours_parse(big, h, &e), -LS_ETOOLARGE);
	xfree(big);
	/* the most frames fit: 73 one-minute frames a day x 7 = 511 */
	struct strbuf sb = STRBUF_INIT_MAX(LS_MAX_HOURS_BYTES);
	strbuf_adds(&sb, "mon-sun");
	for (unsigned i = 0; i < 73; i++)
		strbuf_addf(&sb, " %02u:%02u-%02u:%02u", (i * 2) / 60, (i * 2) % 60, (i * 2 + 1) / 60,
		            (i * 2 + 1) % 60);
	assert_true(strbuf_ok(&sb));
	assert_int_equal(hours_parse(sb.buf, h, &e), 0);
	assert_int_equal(h->first[7], 511);
	strbuf_addf(&sb, " 23:00-23:01");
	assert_int_equal(hours_parse(sb.buf, h, &e), -LS_ETOOLARGE);
	strbuf_release(&sb);
	xfree(h);
}

static void test_frame_lists_for_single_days(void **state)
{
	(void)state;
	struct hours_frame f[4];
	size_t n;
	struct lserr e;
	assert_int_equal(hours_parse_frames(" 13:00-15:00  08:00-12:00 ", "open", f, 4, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(f[0].start, 480);
	assert_int_equal(f[1].end, 900);
	assert_int_equal(hours_parse_frames("", "open", f, 4, &n, &e), -EINVAL);
	assert_string_equal(e.field, "open");
	assert_int_equal(hours_parse_frames("08:00-09:00 10:00-11:00 12:00-13:00", "open", f, 2, &n, &e),
	                 -LS_ETOOLARGE);
	assert_int_equal(hours_parse_frames("mon 08:00-09:00", "open", f, 4, &n, &e), -EINVAL);
	assert_non_null(strstr(e.message, "'mon'"));
	assert_string_equal(hours_day_to_string(6), "sun");
	assert_null(hours_day_to_string(7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_weekdays_with_lunch_break_and_saturday),
	        cmocka_unit_test(test_lists_ranges_and_wrapping),
	        cmocka_unit_test(test_24x7_and_midnight_frames),
	        cmocka_unit_test(test_touching_frames_merge_and_order_is_free),
	        cmocka_unit_test(test_canonical_format),
	        cmocka_unit_test(test_errors_name_the_bad_part),
	        cmocka_unit_test(test_limits),
	        cmocka_unit_test(test_frame_lists_for_single_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
