/* Tests for core/strbuf.c: the documented invariants (buf never NULL, always
 * NUL-terminated, len never above max), overflow handling (-LS_ETOOLARGE, the
 * sticky overflow flag, the buffer left as it was), formatting, JSON escaping and
 * handing the buffer out with strbuf_detach(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/alloc.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/strbuf.h"

static void assert_invariants(const struct strbuf *sb)
{
	assert_non_null(sb->buf);
	assert_true(sb->len <= sb->max);
	assert_int_equal(sb->buf[sb->len], '\0');
	assert_int_equal(strlen(sb->buf), sb->len);
	if (sb->alloc)
		assert_true(sb->len < sb->alloc);
}

static void test_new_strbuf_is_an_empty_c_string(void **state)
{
	(void)state;
	struct strbuf a = STRBUF_INIT;
	assert_invariants(&a);
	assert_string_equal(a.buf, "");
	assert_int_equal(a.max, LS_STRBUF_DEFAULT_MAX);
	assert_true(strbuf_ok(&a));
	struct strbuf b;
	strbuf_init(&b, 10);
	assert_invariants(&b);
	assert_int_equal(b.max, 10);
	assert_int_equal(b.alloc, 0);
	strbuf_release(&a);
	strbuf_release(&b);
}

static void test_appends_keep_the_string_terminated(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(strbuf_adds(&sb, "abc"), 0);
	assert_invariants(&sb);
	assert_int_equal(strbuf_addch(&sb, '-'), 0);
	assert_int_equal(strbuf_add(&sb, "xyz123", 3), 0);
	assert_invariants(&sb);
	assert_int_equal(strbuf_addf(&sb, "[%d|%s|%04x]", -5, "q", 0xbeef), 0);
	assert_invariants(&sb);
	assert_string_equal(sb.buf, "abc-xyz[-5|q|beef]");
	assert_int_equal(sb.len, 18);
	assert_int_equal(strbuf_add(&sb, "", 0), 0);
	assert_int_equal(sb.len, 18);
	strbuf_release(&sb);
}

static void test_many_appends_grow_the_buffer_correctly(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 5000; i++) {
		assert_int_equal(strbuf_addch(&sb, (char)('a' + i % 26)), 0);
		if (i % 1000 == 0)
			assert_invariants(&sb);
	}
	assert_invariants(&sb);
	assert_int_equal(sb.len, 5000);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(sb.buf[i], 'a' + i % 26);
	char big[3000];
	memset(big, 'Z', sizeof(big));
	assert_int_equal(strbuf_add(&sb, big, sizeof(big)), 0);
	assert_int_equal(sb.len, 8000);
	assert_int_equal(sb.buf[7999], 'Z');
	assert_invariants(&sb);
	strbuf_release(&sb);
}

static void test_add_of_zero_bytes_to_empty_buffer_keeps_it_valid(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT_MAX(4);
	assert_int_equal(strbuf_add(&sb, NULL, 0), 0);
	assert_int_equal(strbuf_adds(&sb, ""), 0);
	assert_invariants(&sb);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

static void test_max_is_enforced_and_buffer_left_as_it_was(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT_MAX(8);
	assert_int_equal(strbuf_adds(&sb, "12345678"), 0); /* exactly max fits */
	assert_true(strbuf_ok(&sb));
	assert_int_equal(strbuf_addch(&sb, '9'), -LS_ETOOLARGE);
	assert_true(sb.overflow);
	assert_false(strbuf_ok(&sb));
	assert_string_equal(sb.buf, "12345678");
	assert_int_equal(sb.len, 8);
	assert_invariants(&sb);
	strbuf_release(&sb);
}

static void test_overflow_flag_is_sticky_until_reset(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT_MAX(5);
	assert_int_equal(strbuf_adds(&sb, "abcdef"), -LS_ETOOLARGE);
	assert_string_equal(sb.buf, "");
	assert_int_equal(strbuf_adds(&sb, "ab"), 0); /* a later append that fits still works */
	assert_string_equal(sb.buf, "ab");
	assert_false(strbuf_ok(&sb)); /* ... but the builder remembers the loss */
	strbuf_reset(&sb);
	assert_true(strbuf_ok(&sb));
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	assert_invariants(&sb);
	strbuf_release(&sb);
}

static void test_formatted_append_over_max_fails_cleanly(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT_MAX(10);
	assert_int_equal(strbuf_addf(&sb, "%s", "12345"), 0);
	assert_int_equal(strbuf_addf(&sb, "%d", 123456), -LS_ETOOLARGE);
	assert_string_equal(sb.buf, "12345");
	assert_int_equal(strbuf_addf(&sb, "%05d", 42), 0);
	assert_string_equal(sb.buf, "1234500042");
	assert_invariants(&sb);
	strbuf_release(&sb);
}

static void test_huge_length_does_not_wrap_around(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT_MAX(16);
	assert_int_equal(strbuf_adds(&sb, "x"), 0);
	assert_int_equal(strbuf_add(&sb, "y", SIZE_MAX), -LS_ETOOLARGE);
	assert_int_equal(strbuf_add(&sb, "y", SIZE_MAX - 1), -LS_ETOOLARGE);
	assert_string_equal(sb.buf, "x");
	strbuf_release(&sb);
}

static void test_json_escaping_of_quotes_backslashes_and_controls(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(strbuf_add_json_escaped(&sb, "a\"b\\c\nd\re\tf\x01g\x1f/h\x7f"), 0);
	assert_string_equal(sb.buf, "a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001f/h\x7f");
	assert_invariants(&sb);
	strbuf_reset(&sb);
	assert_int_equal(strbuf_add_json_escaped(&sb, "Müller – 東京"), 0); /* UTF-8 passes through */
	assert_string_equal(sb.buf, "Müller – 東京");
	strbuf_reset(&sb);
	assert_int_equal(strbuf_add_json_escaped(&sb, ""), 0);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

static void test_json_escaping_over_max_leaves_buffer_as_it_was(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT_MAX(6);
	assert_int_equal(strbuf_adds(&sb, "ab"), 0);
	/* "c\"d" escapes to 4 bytes + 2 = 6 fits; "c\"de" (7) does not */
	assert_int_equal(strbuf_add_json_escaped(&sb, "c\"de"), -LS_ETOOLARGE);
	assert_false(strbuf_ok(&sb));
	assert_string_equal(sb.buf, "ab");
	assert_int_equal(sb.len, 2);
	strbuf_reset(&sb);
	assert_int_equal(strbuf_add_json_escaped(&sb, "c\"d"), 0);
	assert_string_equal(sb.buf, "c\\\"d");
	strbuf_release(&sb);
}

static void test_detach_hands_out_the_buffer_and_reinitialises(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT_MAX(100);
	strbuf_adds(&sb, "hello");
	size_t len = 0;
	char *s = strbuf_detach(&sb, &len);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	assert_int_equal(sb.max, 100); /* the limit survives */
	assert_invariants(&sb);
	strbuf_adds(&sb, "again"); /* usable afterwards */
	assert_string_equal(sb.buf, "again");
	assert_ptr_not_equal(sb.buf, s);
	xfree(s);
	strbuf_release(&sb);
}

static void test_detach_of_empty_buffer_returns_freeable_string(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	size_t len = 99;
	char *s = strbuf_detach(&sb, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	assert_ptr_not_equal(s, strbuf_empty);
	xfree(s); /* ASan would complain if this were the shared "" */
	s = strbuf_detach(&sb, NULL);
	xfree(s);
}

static void test_release_twice_and_reuse(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT_MAX(32);
	strbuf_adds(&sb, "text");
	strbuf_release(&sb);
	assert_invariants(&sb);
	assert_int_equal(sb.max, 32);
	strbuf_release(&sb);
	strbuf_adds(&sb, "more");
	assert_string_equal(sb.buf, "more");
	strbuf_release(&sb);
	assert_string_equal(sb.buf, "");
}

static void test_ireplaced_ignores_ascii_case_and_counts_hits(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(strbuf_add_ireplaced(&sb, "Mail an EVA@acme.example, cc eva@ACME.example.", "eva@acme.example",
	                                      "P-1"),
	                 2);
	assert_string_equal(sb.buf, "Mail an P-1, cc P-1.");
	strbuf_reset(&sb);
	/* no hit: the text unchanged; an empty needle replaces nothing */
	assert_int_equal(strbuf_add_ireplaced(&sb, "nichts", "eva", "x"), 0);
	assert_int_equal(strbuf_add_ireplaced(&sb, "|abc", "", "x"), 0);
	assert_string_equal(sb.buf, "nichts|abc");
	strbuf_reset(&sb);
	/* matches do not overlap; a needle at the very end; a longer replacement */
	assert_int_equal(strbuf_add_ireplaced(&sb, "aaaa", "aa", "bbb"), 2);
	assert_string_equal(sb.buf, "bbbbbb");
	strbuf_reset(&sb);
	assert_int_equal(strbuf_add_ireplaced(&sb, "x@y", "Y", ""), 1);
	assert_string_equal(sb.buf, "x@");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_new_strbuf_is_an_empty_c_string),
	        cmocka_unit_test(test_appends_keep_the_string_terminated),
	        cmocka_unit_test(test_many_appends_grow_the_buffer_correctly),
	        cmocka_unit_test(test_add_of_zero_bytes_to_empty_buffer_keeps_it_valid),
	        cmocka_unit_test(test_max_is_enforced_and_buffer_left_as_it_was),
	        cmocka_unit_test(test_overflow_flag_is_sticky_until_reset),
	        cmocka_unit_test(test_formatted_append_over_max_fails_cleanly),
	        cmocka_unit_test(test_huge_length_does_not_wrap_around),
	        cmocka_unit_test(test_json_escaping_of_quotes_backslashes_and_controls),
	        cmocka_unit_test(test_json_escaping_over_max_leaves_buffer_as_it_was),
	        cmocka_unit_test(test_detach_hands_out_the_buffer_and_reinitialises),
	        cmocka_unit_test(test_detach_of_empty_buffer_returns_freeable_string),
	        cmocka_unit_test(test_release_twice_and_reuse),
	        cmocka_unit_test(test_ireplaced_ignores_ascii_case_and_counts_hits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
