/* Tests for wfm/ical.c: CRLF line ends, folding at 75 octets with a leading space on
 * continuation lines, no UTF-8 character split by a fold, TEXT escaping, UTC times;
 * and one agent's calendar from wfm/shiftplan.c: its structure, UID, DTSTAMP, and no
 * calendar for an agent without shifts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/limits.h"
#include "core/strbuf.h"
#include "wfm/ical.h"
#include "wfm/shiftplan.h"

/* Every physical line ends in CRLF and is at most 75 octets. */
static void assert_lines_ok(const char *s)
{
	const char *p = s;
	while (*p) {
		const char *crlf = strstr(p, "\r\n");
		assert_non_null(crlf);
		assert_true(crlf - p <= ICAL_LINE_MAX);
		assert_null(memchr(p, '\n', (size_t)(crlf - p)));
		p = crlf + 2;
	}
}

/* Unfolds (RFC 5545 §3.1): CRLF followed by a space disappears. */
static char *unfold(const char *s)
{
	char *out = xstrdup(s), *o = out;
	for (const char *p = s; *p; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 2;
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

static void test_long_lines_fold_at_75_octets_with_crlf(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	char v[301];
	memset(v, 'x', 300);
	v[300] = '\0';
	assert_int_equal(ical_line(&sb, "DESCRIPTION", v), 0);
	assert_lines_ok(sb.buf);
	assert_int_equal(memcmp(sb.buf + 75, "\r\n x", 4), 0);
	char *u = unfold(sb.buf);
	assert_int_equal(strlen(u), strlen("DESCRIPTION:") + 300 + 2);
	assert_int_equal(memcmp(u + strlen(u) - 2, "\r\n", 2), 0);
	xfree(u);
	strbuf_release(&sb);
	/* exactly 75 octets: no fold */
	memset(v, 'y', 75 - 4);
	v[71] = '\0';
	assert_int_equal(ical_line(&sb, "UID", v), 0);
	assert_int_equal(sb.len, 77);
	strbuf_release(&sb);
}

static void test_folding_never_splits_a_utf8_character(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	struct strbuf v = STRBUF_INIT;
	for (int i = 0; i < 60; i++)
		strbuf_adds(&v, "\xc3\xbc"); /* ü */
	assert_int_equal(ical_text(&sb, "SUMMARY", v.buf), 0);
	assert_lines_ok(sb.buf);
	for (const char *p = strstr(sb.buf, "\r\n "); p; p = strstr(p + 1, "\r\n "))
		assert_true(((unsigned char)p[3] & 0xc0) != 0x80); /* a line never starts mid-character */
	char *u = unfold(sb.buf);
	assert_non_null(strstr(u, v.buf));
	xfree(u);
	strbuf_release(&v);
	strbuf_release(&sb);
}

static void test_text_is_escaped_and_times_are_utc(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(ical_text(&sb, "SUMMARY", "a,b;c\\d\ne"), 0);
	assert_string_equal(sb.buf, "SUMMARY:a\\,b\\;c\\\\d\\ne\r\n");
	strbuf_reset(&sb);
	assert_int_equal(ical_utc(&sb, "DTSTART", (ls_time)1772409600 + 5 * 3600), 0); /* 2026-03-02 05:00Z */
	assert_string_equal(sb.buf, "DTSTART:20260302T050000Z\r\n");
	strbuf_release(&sb);
}

static void test_one_calendar_per_agent_with_events(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct lserr e;
	struct shiftplan p;
	assert_int_equal(shiftplan_init(&p, &a, "Europe/Berlin", "2026-03-02", 2, &e), 0);
	const char csv[] = "start,required\n2026-03-02T08:00,1\n2026-03-02T09:00,1\n";
	assert_int_equal(shiftplan_requirements_csv(&p, csv, sizeof(csv) - 1, &e), 0);
	json_t *t = json_loads("[{\"name\":\"Früh, lang\",\"start\":\"08:00\",\"length\":\"2h\"}]", 0, NULL);
	json_t *ag = json_loads("[{\"name\":\"Zoë\",\"place_of_work\":\"DE-NW\",\"contract\":{\"weekly_hours\":40}},"
	                        "{\"name\":\"Idle\",\"place_of_work\":\"NW\",\"contract\":{\"weekly_hours\":40}}]",
	                        0, NULL);
	assert_int_equal(shiftplan_templates_json(&p, t, "templates", &e), 0);
	assert_int_equal(shiftplan_agents_json(&p, ag, "agents", &e), 0);
	json_decref(t);
	json_decref(ag);
	struct shiftplan_result r;
	assert_int_equal(shiftplan_run(&p, NULL, &r, &e), 0);
	assert_int_equal(r.plan.n_shifts, 1);
	struct strbuf sb = STRBUF_INIT;
	int busy = r.roster.agent_of[0];
	assert_int_equal(shiftplan_ics(&p, &r, (size_t)busy, (ls_time)1772409600 + 8 * 3600, &sb), 1);
	assert_lines_ok(sb.buf);
	assert_int_equal(strncmp(sb.buf, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:", 37), 0);
	assert_non_null(strstr(sb.buf, "\r\nBEGIN:VEVENT\r\nUID:shift-"));
	assert_non_null(strstr(sb.buf, "\r\nDTSTAMP:20260302T080000Z\r\n"));
	assert_non_null(strstr(sb.buf, "\r\nDTSTART:20260302T070000Z\r\nDTEND:20260302T090000Z\r\n"));
	assert_non_null(strstr(sb.buf, "SUMMARY:Shift Früh\\, lang\r\n"));
	assert_int_equal(strcmp(sb.buf + sb.len - 15, "END:VCALENDAR\r\n"), 0);
	strbuf_reset(&sb);
	assert_int_equal(shiftplan_ics(&p, &r, (size_t)(1 - busy), 0, &sb), 0);
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
	shiftplan_result_free(&r);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_long_lines_fold_at_75_octets_with_crlf),
	        cmocka_unit_test(test_folding_never_splits_a_utf8_character),
	        cmocka_unit_test(test_text_is_escaped_and_times_are_utc),
	        cmocka_unit_test(test_one_calendar_per_agent_with_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
