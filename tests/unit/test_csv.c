/* Tests for importers/csv.c: RFC 4180 quoting (separators, doubled quotes and line
 * ends inside quotes), CRLF, a UTF-8 BOM, separator detection (',' ';' tab), blank
 * lines, lenient stray quotes, an unterminated quote, the record size limit, lines
 * named correctly, and gzip files read through zlib. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "importers/csv.h"

static struct csv_reader *open_mem(const char *s, char sep)
{
	struct csv_reader *r = NULL;
	struct lserr e;
	assert_int_equal(csv_open_mem(s, strlen(s), sep, &r, &e), 0);
	return r;
}

static void expect_row(struct csv_reader *r, unsigned line, size_t n, ...)
{
	struct csv_row row;
	struct lserr e;
	assert_int_equal(csv_next(r, &row, &e), 1);
	assert_int_equal(row.line, line);
	assert_int_equal(row.n, n);
	va_list ap;
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(row.fields[i], va_arg(ap, const char *));
	va_end(ap);
}

static void expect_end(struct csv_reader *r)
{
	struct csv_row row;
	struct lserr e;
	assert_int_equal(csv_next(r, &row, &e), 0);
}

static void test_plain_rows_and_empty_fields(void **state)
{
	(void)state;
	struct csv_reader *r = open_mem("a,b,c\n1,,3\n,,\n", 0);
	assert_int_equal(csv_separator(r), ',');
	expect_row(r, 1, 3, "a", "b", "c");
	expect_row(r, 2, 3, "1", "", "3");
	expect_row(r, 3, 3, "", "", "");
	expect_end(r);
	csv_close(r);
}

static void test_quotes_hold_separators_quotes_and_line_ends(void **state)
{
	(void)state;
	struct csv_reader *r = open_mem("id,text\n1,\"a,b \"\"c\"\"\"\n2,\"two\r\nlines\"\n3,x\n", 0);
	expect_row(r, 1, 2, "id", "text");
	expect_row(r, 2, 2, "1", "a,b \"c\"");
	expect_row(r, 3, 2, "2", "two\r\nlines");
	expect_row(r, 5, 2, "3", "x"); /* the quoted line end counted as a line */
	expect_end(r);
	csv_close(r);
}

static void test_crlf_bom_and_semicolon_are_detected(void **state)
{
	(void)state;
	struct csv_reader *r = open_mem("\xEF\xBB\xBFnr;wert\r\n1;3,5\r\n2;#N/B", 0);
	assert_true(csv_had_bom(r));
	assert_int_equal(csv_separator(r), ';');
	expect_row(r, 1, 2, "nr", "wert");
	expect_row(r, 2, 2, "1", "3,5");
	expect_row(r, 3, 2, "2", "#N/B"); /* no line end after the last record */
	expect_end(r);
	csv_close(r);
}

static void test_tab_detected_and_fixed_separator_wins(void **state)
{
	(void)state;
	struct csv_reader *r = open_mem("a\tb,c\n", 0);
	assert_int_equal(csv_separator(r), ','); /* one of each: ',' wins ties */
	csv_close(r);
	r = open_mem("a\tb\tc,d\n", 0);
	assert_int_equal(csv_separator(r), '\t');
	csv_close(r);
	r = open_mem("a;b,c;d\n", ',');
	expect_row(r, 1, 2, "a;b", "c;d");
	csv_close(r);
	struct lserr e;
	assert_int_equal(csv_open_mem("x", 1, '|', &r, &e), -EINVAL);
}

static void test_blank_lines_are_skipped_but_counted(void **state)
{
	(void)state;
	struct csv_reader *r = open_mem("\na\n\r\n\nb\n\n", 0);
	expect_row(r, 2, 1, "a");
	expect_row(r, 5, 1, "b");
	expect_end(r);
	csv_close(r);
}

static void test_stray_quotes_are_data(void **state)
{
	(void)state;
	struct csv_reader *r = open_mem("5\" disk,\"q\"x\n", 0);
	expect_row(r, 1, 2, "5\" disk", "qx");
	csv_close(r);
}

static void test_unterminated_quote_is_an_error_naming_the_line(void **state)
{
	(void)state;
	struct csv_reader *r = open_mem("a\n\"open,\nstill\n", 0);
	expect_row(r, 1, 1, "a");
	struct csv_row row;
	struct lserr e;
	assert_int_equal(csv_next(r, &row, &e), -EINVAL);
	assert_int_equal(row.line, 2);
	assert_non_null(strstr(e.message, ":2: unterminated"));
	csv_close(r);
}

static void test_too_long_record_is_skipped_and_reading_goes_on(void **state)
{
	(void)state;
	size_t big = LS_MAX_IMPORT_ROW_BYTES + 10;
	char *s = xmalloc(big + 16);
	memcpy(s, "a\n", 2);
	memset(s + 2, 'x', big);
	memcpy(s + 2 + big, "\nb\n", 4);
	struct csv_reader *r = open_mem(s, ',');
	expect_row(r, 1, 1, "a");
	struct csv_row row;
	struct lserr e;
	assert_int_equal(csv_next(r, &row, &e), -LS_ETOOLARGE);
	assert_int_equal(row.line, 2);
	expect_row(r, 3, 1, "b");
	expect_end(r);
	csv_close(r);
	xfree(s);
}

static void test_too_many_fields_is_too_large(void **state)
{
	(void)state;
	size_t n = LS_MAX_IMPORT_FIELDS + 1;
	char *s = xcalloc(2 * n + 2, 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + 2 * i, i + 1 < n ? "x," : "x\n", 2);
	struct csv_reader *r = open_mem(s, ',');
	struct csv_row row;
	struct lserr e;
	assert_int_equal(csv_next(r, &row, &e), -LS_ETOOLARGE);
	csv_close(r);
	xfree(s);
}

static void test_fields_lie_back_to_back(void **state)
{
	(void)state;
	struct csv_reader *r = open_mem("ab,\"c\"\"\",,d\n", 0);
	struct csv_row row;
	struct lserr e;
	assert_int_equal(csv_next(r, &row, &e), 1);
	for (size_t i = 1; i < row.n; i++)
		assert_ptr_equal(row.fields[i], row.fields[i - 1] + strlen(row.fields[i - 1]) + 1);
	csv_close(r);
}

static void data_path(char *buf, size_t n, const char *name)
{
	const char *d = getenv("LEITSTAND_TEST_DATA");
	snprintf(buf, n, "%s/%s", d ? d : "tests/unit/data", name);
}

static int count_rows(const char *name, unsigned *ret_last_line)
{
	char path[512];
	data_path(path, sizeof(path), name);
	struct csv_reader *r = NULL;
	struct lserr e;
	assert_int_equal(csv_open_file(path, 0, &r, &e), 0);
	struct csv_row row;
	int n = 0, rc;
	while ((rc = csv_next(r, &row, &e)) == 1) {
		n++;
		*ret_last_line = row.line;
	}
	assert_int_equal(rc, 0);
	csv_close(r);
	return n;
}

static void test_gzip_file_reads_like_the_plain_file(void **state)
{
	(void)state;
	unsigned a = 0, b = 0;
	assert_int_equal(count_rows("servicenow-audit.csv", &a), 11);
	assert_int_equal(count_rows("servicenow-audit.csv.gz", &b), 11);
	assert_int_equal(a, b);
}

static void test_missing_file_is_enoent(void **state)
{
	(void)state;
	struct csv_reader *r = NULL;
	struct lserr e;
	assert_int_equal(csv_open_file("/nonexistent/x.csv", 0, &r, &e), -ENOENT);
	assert_non_null(strstr(e.message, "/nonexistent/x.csv"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_plain_rows_and_empty_fields),
	        cmocka_unit_test(test_quotes_hold_separators_quotes_and_line_ends),
	        cmocka_unit_test(test_crlf_bom_and_semicolon_are_detected),
	        cmocka_unit_test(test_tab_detected_and_fixed_separator_wins),
	        cmocka_unit_test(test_blank_lines_are_skipped_but_counted),
	        cmocka_unit_test(test_stray_quotes_are_data),
	        cmocka_unit_test(test_unterminated_quote_is_an_error_naming_the_line),
	        cmocka_unit_test(test_too_long_record_is_skipped_and_reading_goes_on),
	        cmocka_unit_test(test_too_many_fields_is_too_large),
	        cmocka_unit_test(test_fields_lie_back_to_back),
	        cmocka_unit_test(test_gzip_file_reads_like_the_plain_file),
	        cmocka_unit_test(test_missing_file_is_enoent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
