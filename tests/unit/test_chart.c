/* Tests for report/chart.c: every kind renders to SVG, PNG and PDF for empty data, a
 * single point, huge and negative values; outputs have sane sizes, the SVG never
 * carries "nan" or "inf", ids are prefixed, and bad sizes are refused. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "report/chart.h"

static const char *const cats[] = {"2026-01", "2026-02", "2026-03", "2026-04", "Kategorie mit einem sehr langen Namen"};
static const char *const days[] = {"Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"};

static void check_all_formats(const struct chart *c, const char *what)
{
	for (int f = 0; f < _CHART_FORMAT_MAX; f++) {
		struct strbuf sb = STRBUF_INIT;
		assert_int_equal(chart_render(c, (enum chart_format)f, 360, 220, "t1", &sb), 0);
		if (f == CHART_SVG) {
			assert_true(sb.len > 200 && sb.len < 2 * 1024 * 1024);
			assert_true(strncmp(sb.buf, "<svg", 4) == 0);
			if (strstr(sb.buf, "nan") || strstr(sb.buf, "inf") || strstr(sb.buf, "NaN"))
				fail_msg("%s: SVG carries a non-number", what);
			assert_null(strstr(sb.buf, "id=\"glyph"));
			assert_null(strstr(sb.buf, "http://"));
		} else if (f == CHART_PNG) {
			assert_true(sb.len > 500 && sb.len < 2 * 1024 * 1024);
			assert_memory_equal(sb.buf, "\x89PNG", 4);
		} else {
			assert_true(sb.len > 500);
			assert_memory_equal(sb.buf, "%PDF-", 5);
		}
		strbuf_release(&sb);
	}
}

static void series_cases(enum chart_kind kind)
{
	const double one[] = {42};
	const double gaps[] = {NAN, 3, NAN, 5, 7};
	const double huge[] = {1e300, -1e300, INFINITY, 1e308, 2};
	const double neg[] = {-5, -120.5, 3, -0.25, -7};
	const double flat[] = {0, 0, 0, 0, 0};
	const double *cases[] = {NULL, one, gaps, huge, neg, flat};
	const size_t ns[] = {0, 1, 5, 5, 5, 5};
	const char *names[] = {"empty", "one point", "gaps", "huge", "negative", "flat"};
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct chart_series s[2] = {{"A", cases[i]}, {"B", cases[i]}};
		struct chart c = {.kind = kind,
		                  .title = names[i],
		                  .x_label = "Monat",
		                  .y_label = "Tickets",
		                  .categories = cats,
		                  .n = ns[i],
		                  .series = s,
		                  .n_series = kind == CHART_LINE ? 2 : 1,
		                  .target = i == 3 ? 1e301 : 4,
		                  .target_label = "Ziel",
		                  .german = true};
		check_all_formats(&c, names[i]);
		c.percent = true;
		check_all_formats(&c, names[i]);
	}
}

static void test_line_charts_survive_empty_single_huge_and_negative_data(void **state)
{
	(void)state;
	series_cases(CHART_LINE);
}

static void test_bar_charts_survive_empty_single_huge_and_negative_data(void **state)
{
	(void)state;
	series_cases(CHART_BAR);
}

static void test_heat_map_and_gauge_survive_odd_values(void **state)
{
	(void)state;
	double cells[CHART_HEAT_ROWS * CHART_HEAT_COLS];
	for (int i = 0; i < CHART_HEAT_ROWS * CHART_HEAT_COLS; i++)
		cells[i] = i % 5 ? i : (i % 2 ? NAN : 1e305);
	struct chart h = {.kind = CHART_HEATMAP,
	                  .title = "Eingang",
	                  .x_label = "Stunde",
	                  .cells = cells,
	                  .row_labels = days,
	                  .target = NAN};
	check_all_formats(&h, "heat");
	h.cells = NULL;
	check_all_formats(&h, "heat empty");
	const double vals[] = {NAN, 0.5, 1.0, -3, 1e300};
	for (size_t i = 0; i < ELEMENTSOF(vals); i++) {
		struct chart g = {.kind = CHART_GAUGE,
		                  .title = "SLA",
		                  .value = vals[i],
		                  .green = 0.9,
		                  .amber = 0.8,
		                  .percent = true,
		                  .german = i % 2};
		check_all_formats(&g, "gauge");
		g.green = g.amber = NAN;
		g.percent = false;
		check_all_formats(&g, "gauge without target");
	}
}

static void test_svg_ids_are_prefixed_and_bad_sizes_refused(void **state)
{
	(void)state;
	const double v[] = {1, 2, 3};
	struct chart_series s = {"A", v};
	struct chart c = {.kind = CHART_LINE,
	                  .title = "T",
	                  .categories = cats,
	                  .n = 3,
	                  .series = &s,
	                  .n_series = 1,
	                  .target = NAN};
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(chart_render(&c, CHART_SVG, 300, 200, "x7", &sb), 0);
	assert_non_null(strstr(sb.buf, "id=\"x7-"));
	assert_non_null(strstr(sb.buf, "href=\"#x7-"));
	strbuf_reset(&sb);
	assert_int_equal(chart_render(&c, CHART_SVG, 0, 200, "x", &sb), -EINVAL);
	assert_int_equal(chart_render(&c, CHART_SVG, NAN, 200, "x", &sb), -EINVAL);
	assert_int_equal(chart_render(&c, CHART_SVG, 300, 1e9, "x", &sb), -EINVAL);
	assert_int_equal(chart_render(&c, CHART_SVG, 300, 200, "a\"b", &sb), -EINVAL);
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
}

static int teardown(void **state)
{
	(void)state;
	chart_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_line_charts_survive_empty_single_huge_and_negative_data),
	        cmocka_unit_test(test_bar_charts_survive_empty_single_huge_and_negative_data),
	        cmocka_unit_test(test_heat_map_and_gauge_survive_odd_values),
	        cmocka_unit_test(test_svg_ids_are_prefixed_and_bad_sizes_refused),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
