/* Tests for report/report.c, report_csv.c, report_html.c, report_pdf.c and numfmt.c:
 * periods, German and English number formats, targets and traffic lights, the CSV of
 * a hand-built history against a golden file, the structure of the HTML (self-
 * contained, one table per model table, exact values in data-value), and a PDF that
 * starts and ends like one. Five tickets in February and March 2024 (UTC). */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "kpi/kpi.h"
#include "kpi/kpi_calls.h"
#include "report/numfmt.h"
#include "report/report.h"
#include "report/report_csv.h"
#include "report/report_html.h"
#include "report/report_pdf.h"

#define H 3600
#define D 86400

static ls_time at(int y, unsigned m, unsigned d, int hh)
{
	return time_days_from_civil(y, m, d) * D + hh * H;
}

static struct rec_ticket T[5];

static void tickets(void)
{
	for (int i = 0; i < 5; i++) {
		rec_ticket_init(&T[i]);
		T[i].source = "test";
		T[i].reassignment_count = 0;
		T[i].reopen_count = 0;
	}
	/* February: two tickets, one resolved in 4 h with SLA made, one in 30 h missed */
	T[0] = (struct rec_ticket){.source = "test",
	                           .team = "Service Desk",
	                           .category = "Netz, VPN",
	                           .agent = "anna",
	                           .opened_at = at(2024, 2, 5, 9),
	                           .resolved_at = at(2024, 2, 5, 13),
	                           .made_sla = 1,
	                           .reopen_count = 0,
	                           .reassignment_count = 0,
	                           .effort_minutes = NAN,
	                           .csat = NAN,
	                           .nps = NAN,
	                           .agent_replies = -1,
	                           .customer_interactions = -1,
	                           .wait_count = -1,
	                           .group_escalations = -1,
	                           .fcr_flag = -1};
	T[1] = T[0];
	T[1].opened_at = at(2024, 2, 20, 9);
	T[1].resolved_at = at(2024, 2, 21, 15);
	T[1].made_sla = 0;
	T[1].category = "Drucker \"Etage 2\"";
	/* March: three tickets, two resolved (2 h made, 10 h made, reopened), one open */
	T[2] = T[0];
	T[2].opened_at = at(2024, 3, 4, 8);
	T[2].resolved_at = at(2024, 3, 4, 10);
	T[3] = T[0];
	T[3].opened_at = at(2024, 3, 11, 8);
	T[3].resolved_at = at(2024, 3, 11, 18);
	T[3].reopen_count = 1;
	T[3].reassignment_count = 2;
	T[3].team = "Field";
	T[3].category = "Drucker \"Etage 2\"";
	T[3].agent = "ben";
	T[4] = T[0];
	T[4].opened_at = at(2024, 3, 20, 8);
	T[4].resolved_at = 0;
	T[4].made_sla = REC_UNKNOWN;
}

struct built {
	struct kpi_result trend, cat, team, agent;
	struct report *r;
};

static void build(struct built *b, bool german, const struct report_targets *targets)
{
	tickets();
	struct lserr e = {0};
	struct kpi_options o = {.period = KPI_PERIOD_MONTH};
	assert_int_equal(kpi_compute(T, 5, &o, &b->trend, &e), 0);
	struct kpi_options rg = {.period = KPI_PERIOD_RANGE, .from = at(2024, 3, 1, 0), .to = at(2024, 4, 1, 0)};
	rg.group_by = KPI_DIM_CATEGORY;
	assert_int_equal(kpi_compute(T, 5, &rg, &b->cat, &e), 0);
	rg.group_by = KPI_DIM_TEAM;
	assert_int_equal(kpi_compute(T, 5, &rg, &b->team, &e), 0);
	rg.group_by = KPI_DIM_AGENT;
	assert_int_equal(kpi_compute(T, 5, &rg, &b->agent, &e), 0);
	struct report_input in = {
	        .kind = REPORT_MONTHLY,
	        .german = german,
	        .client_code = "ACME",
	        .client_name = "ACME GmbH",
	        .tz_name = "UTC",
	        .period_key = 2024 * 12 + 2,
	        .generated_at = at(2024, 4, 2, 7),
	        .trend = &b->trend,
	        .by_category = &b->cat,
	        .by_team = &b->team,
	        .by_agent = &b->agent,
	        .targets = targets,
	};
	assert_int_equal(report_build(&in, &b->r, &e), 0);
}

static void release(struct built *b)
{
	report_free(b->r);
	kpi_result_release(&b->trend);
	kpi_result_release(&b->cat);
	kpi_result_release(&b->team);
	kpi_result_release(&b->agent);
}

static const struct report_table *table_by_id(const struct report *r, const char *id)
{
	for (size_t i = 0; i < r->n_tables; i++)
		if (strcmp(r->tables[i].id, id) == 0)
			return &r->tables[i];
	return NULL;
}

static char *slurp(const char *name)
{
	char path[1024];
	const char *dir = getenv("LEITSTAND_TEST_DATA");
	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/unit/data", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb, NULL);
}

static void test_periods_parse_iso_weeks_months_and_quarters(void **state)
{
	(void)state;
	int64_t k;
	struct lserr e = {0};
	assert_int_equal(report_period_parse("2026-W43", REPORT_WEEKLY, &k, &e), 0);
	assert_int_equal(k, time_days_from_civil(2026, 10, 19)); /* a Monday */
	assert_int_equal(report_period_parse("2026-W01", REPORT_WEEKLY, &k, &e), 0);
	assert_int_equal(k, time_days_from_civil(2025, 12, 29));                     /* ISO week 1 starts in December */
	assert_int_equal(report_period_parse("2026-W53", REPORT_WEEKLY, &k, &e), 0); /* 2026 has 53 weeks */
	assert_int_equal(report_period_parse("2025-W53", REPORT_WEEKLY, &k, &e), -EINVAL);
	assert_string_equal(e.field, "period");
	assert_int_equal(report_period_parse("2026-10", REPORT_MONTHLY, &k, &e), 0);
	assert_int_equal(k, 2026 * 12 + 9);
	assert_int_equal(report_period_parse("2026-Q3", REPORT_QUARTERLY, &k, &e), 0);
	assert_int_equal(k, 2026 * 4 + 2);
	assert_int_equal(report_period_parse("2026-10", REPORT_QUARTERLY, &k, &e), -EINVAL);
	assert_int_equal(report_period_parse("2026-13", REPORT_MONTHLY, &k, &e), -EINVAL);
	assert_int_equal(report_period_parse("2026-1", REPORT_MONTHLY, &k, &e), -EINVAL);
	assert_int_equal(report_period_parse("2026-W43x", REPORT_WEEKLY, &k, &e), -EINVAL);
	assert_int_equal(report_period_parse(NULL, REPORT_WEEKLY, &k, &e), -EINVAL);
}

static void test_numbers_and_dates_follow_the_language(void **state)
{
	(void)state;
	char b[64];
	assert_string_equal(numfmt_number(1234.5, 1, true, b, sizeof(b)), "1.234,5");
	assert_string_equal(numfmt_number(1234.5, 1, false, b, sizeof(b)), "1,234.5");
	assert_string_equal(numfmt_number(-1234567, 0, true, b, sizeof(b)), "−1.234.567");
	assert_string_equal(numfmt_number(-0.01, 1, true, b, sizeof(b)), "0,0");
	assert_string_equal(numfmt_number(NAN, 1, true, b, sizeof(b)), "–");
	assert_string_equal(numfmt_percent(0.6342, 1, true, b, sizeof(b)), "63,4\u202f%");
	assert_string_equal(numfmt_percent(0.6342, 1, false, b, sizeof(b)), "63.4%");
	assert_string_equal(numfmt_date(2026, 11, 27, true, b, sizeof(b)), "27.11.2026");
	assert_string_equal(numfmt_date(2026, 11, 27, false, b, sizeof(b)), "2026-11-27");
	assert_string_equal(numfmt_exact(0.1, b, sizeof(b)), "0.1");
	assert_string_equal(numfmt_exact(1.0 / 3, b, sizeof(b)), "0.3333333333333333");
	assert_true(strtod(numfmt_exact(0.7788334652942729, b, sizeof(b)), NULL) == 0.7788334652942729);
}

static void test_targets_parse_and_reject_unknown_kpis(void **state)
{
	(void)state;
	struct report_targets t;
	struct lserr e = {0};
	const char *ok = "{\"sla_compliance\":{\"target\":0.9,\"warn\":0.8},\"resolution_hours.median\":24}";
	assert_int_equal(report_targets_parse(ok, strlen(ok), &t, &e), 0);
	assert_int_equal(t.n, 2);
	assert_false(t.t[0].lower_is_better);
	assert_true(t.t[1].lower_is_better); /* a duration: lower is better */
	assert_true(fabs(t.t[1].warn - 26.4) < 1e-9);
	const char *bad = "{\"speed\":1}";
	assert_int_equal(report_targets_parse(bad, strlen(bad), &t, &e), -EINVAL);
	assert_non_null(strstr(e.message, "speed"));
	const char *extra = "{\"csat\":{\"target\":0.8,\"colour\":\"red\"}}";
	assert_int_equal(report_targets_parse(extra, strlen(extra), &t, &e), -EINVAL);
}

static void test_csv_of_the_kpi_table_matches_the_golden_file(void **state)
{
	(void)state;
	struct report_targets t;
	struct lserr e = {0};
	const char *tg = "{\"sla_compliance\":{\"target\":0.9,\"warn\":0.5},\"resolution_hours.median\":4}";
	assert_int_equal(report_targets_parse(tg, strlen(tg), &t, &e), 0);
	struct built b;
	build(&b, false, &t);
	const char *ids[] = {"kpis", "trend", "by_category"};
	for (size_t i = 0; i < 3; i++) {
		const struct report_table *tab = table_by_id(b.r, ids[i]);
		assert_non_null(tab);
		struct strbuf sb = STRBUF_INIT;
		assert_int_equal(report_csv_table(tab, &sb), 0);
		char name[64];
		snprintf(name, sizeof(name), "report-%s.csv", ids[i]);
		if (getenv("LEITSTAND_UPDATE_GOLDEN")) { /* regenerate: review the diff before committing */
			char path[1024];
			snprintf(path, sizeof(path), "%s/%s", getenv("LEITSTAND_TEST_DATA"), name);
			FILE *f = fopen(path, "wb");
			assert_non_null(f);
			fwrite(sb.buf, 1, sb.len, f);
			fclose(f);
		}
		char *want = slurp(name);
		if (!want || strcmp(want, sb.buf) != 0)
			fprintf(stderr, "--- %s: got\n%s", name, sb.buf);
		assert_non_null(want);
		assert_string_equal(sb.buf, want);
		xfree(want);
		strbuf_release(&sb);
	}
	release(&b);
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_html_is_self_contained_with_exact_values(void **state)
{
	(void)state;
	struct built b;
	build(&b, true, NULL);
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(report_html(b.r, &sb), 0);
	const char *h = sb.buf;
	assert_true(strncmp(h, "<!DOCTYPE html>", 15) == 0);
	assert_non_null(strstr(h, "<html lang=\"de\">"));
	assert_int_equal(count(h, "<h1>"), 1);
	assert_non_null(strstr(h, "Monatsbericht März 2024"));
	assert_null(strstr(h, "http://"));
	assert_null(strstr(h, "https://"));
	assert_null(strstr(h, "<link"));
	assert_null(strstr(h, "<script"));
	assert_null(strstr(h, "nan"));
	/* one <table> per table block, charts inline */
	size_t tables = 0, charts = 0;
	for (size_t i = 0; i < b.r->n_blocks; i++) {
		tables += b.r->blocks[i].kind == REPORT_BLOCK_TABLE;
		charts += b.r->blocks[i].kind == REPORT_BLOCK_CHARTS ? b.r->blocks[i].n_charts : 0;
	}
	assert_int_equal(count(h, "<table class=\"data"), tables);
	assert_int_equal(count(h, "<svg"), charts);
	assert_true(count(h, "id=\"c1-glyph") > 0); /* ids prefixed per chart */
	assert_null(strstr(h, "id=\"glyph"));
	/* March: 3 received, 2 solved, SLA 2 of 2 made; the exact value is an attribute */
	assert_non_null(strstr(h, "<tr data-key=\"tickets\"><td data-col=\"kpi\">Eingegangene Tickets</td>"
	                          "<td class=\"n\" data-col=\"value\" data-value=\"3\">3</td>"));
	assert_non_null(strstr(h, "<tr data-key=\"reopen_rate\">"));
	assert_non_null(strstr(h, "data-col=\"value\" data-value=\"0.5\">50,0\u202f%</td>"));
	/* text from imported data is escaped */
	assert_non_null(strstr(h, "Drucker &quot;Etage 2&quot;"));
	assert_null(strstr(h, "Drucker \"Etage"));
	strbuf_release(&sb);
	release(&b);
}

static void test_pdf_is_a_pdf_with_its_pages(void **state)
{
	(void)state;
	struct built b;
	build(&b, true, NULL);
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(report_pdf(b.r, &sb), 0);
	assert_true(sb.len > 5000);
	assert_memory_equal(sb.buf, "%PDF-", 5);
	assert_non_null(memmem(sb.buf, sb.len, "%%EOF", 5));
	strbuf_release(&sb);
	release(&b);
}

static void test_english_report_without_data_in_the_period(void **state)
{
	(void)state;
	tickets();
	struct kpi_result none = {0};
	struct lserr e = {0};
	struct report_input in = {
	        .kind = REPORT_WEEKLY,
	        .german = false,
	        .client_code = "X",
	        .client_name = "X",
	        .period_key = time_days_from_civil(2026, 10, 19),
	        .trend = &none,
	        .by_category = &none,
	        .by_team = &none,
	        .by_agent = &none,
	};
	struct report *r;
	assert_int_equal(report_build(&in, &r, &e), 0);
	assert_string_equal(r->title, "Weekly report 2026-W43");
	assert_string_equal(r->period_text, "2026-10-19 – 2026-10-25 (UTC)");
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(report_html(r, &sb), 0);
	assert_non_null(strstr(sb.buf, "<div class=\"value\">–</div>")); /* no SLA value: a dash */
	assert_null(strstr(sb.buf, "nan"));
	strbuf_reset(&sb);
	assert_int_equal(report_pdf(r, &sb), 0);
	strbuf_release(&sb);
	report_free(r);
	in.trend = NULL;
	assert_int_equal(report_build(&in, &r, &e), -EINVAL);
}

static void test_calls_table_when_the_client_has_acd_data(void **state)
{
	(void)state;
	struct built b;
	build(&b, true, NULL);
	assert_null(table_by_id(b.r, "calls")); /* no ACD data: no calls section */
	report_free(b.r);
	/* two intervals in March, one in January; February has none */
	struct rec_interval iv[3];
	for (int i = 0; i < 3; i++)
		rec_interval_init(&iv[i]);
	iv[0].start = at(2024, 1, 15, 9);
	iv[1].start = at(2024, 3, 4, 8);
	iv[2].start = at(2024, 3, 4, 9);
	int64_t offered[] = {10, 20, 30}, answered[] = {9, 15, 29}, within[] = {8, 12, 20};
	for (int i = 0; i < 3; i++) {
		iv[i].length = 900;
		iv[i].offered = offered[i];
		iv[i].answered = answered[i];
		iv[i].abandoned = offered[i] - answered[i];
		iv[i].answered_within = within[i];
		iv[i].threshold = 20;
		iv[i].talk = 180.0 * (double)answered[i];
	}
	struct kpi_options o = {.period = KPI_PERIOD_MONTH};
	struct lserr e = {0};
	assert_int_equal(kpi_calls_compute(iv, 3, &o, false, &b.trend.calls, &e), 0);
	struct report_input in = {
	        .kind = REPORT_MONTHLY,
	        .german = true,
	        .client_code = "ACME",
	        .client_name = "ACME GmbH",
	        .tz_name = "UTC",
	        .period_key = 2024 * 12 + 2,
	        .generated_at = at(2024, 4, 2, 7),
	        .trend = &b.trend,
	        .by_category = &b.cat,
	        .by_team = &b.team,
	        .by_agent = &b.agent,
	};
	assert_int_equal(report_build(&in, &b.r, &e), 0);
	const struct report_table *t = table_by_id(b.r, "calls");
	assert_non_null(t);
	assert_int_equal(t->n_cols, 8);
	assert_int_equal(t->n_rows, 12); /* the trend window */
	assert_string_equal(t->keys[5], "service_level");
	const struct report_cell *mar = &t->cells[11 * t->n_cols], *feb = &t->cells[10 * t->n_cols];
	const struct report_cell *jan = &t->cells[9 * t->n_cols];
	assert_string_equal(mar[0].text, "2024-03");
	assert_true(mar[1].v == 50 && mar[2].v == 44 && mar[3].v == 6);
	assert_true(mar[4].v == 6.0 / 50);                /* abandonment rate */
	assert_true(mar[5].v == 32.0 / 50);               /* ICMI 3: within / (answered + abandoned) */
	assert_true(mar[6].v == 180.0);                   /* AHT seconds */
	assert_int_equal(mar[7].kind, REPORT_CELL_EMPTY); /* no ASA data */
	assert_string_equal(mar[5].text, "64,0\u202f%");
	assert_true(feb[1].v == 0); /* a month without intervals */
	assert_int_equal(feb[5].kind, REPORT_CELL_EMPTY);
	assert_true(jan[1].v == 10 && jan[5].v == 8.0 / 10);
	release(&b);
}

static int teardown_fonts(void **state)
{
	(void)state;
	chart_shutdown();
	return 0;
}

static struct kpi_set bench_set(uint64_t tickets, double sla)
{
	struct kpi_set k;
	memset(&k, 0, sizeof(k));
	k.tickets = tickets;
	k.sla_compliance.value = sla;
	k.first_response_hours.median = NAN;
	k.resolution_hours.median = NAN;
	k.resolution_hours.p90 = NAN;
	k.fcr_canonical.value = NAN;
	k.reopen_rate.value = NAN;
	k.reassigned_share.value = NAN;
	k.csat.value = NAN;
	return k;
}

static char *csv_of(const struct report *r, const char *id)
{
	const struct report_table *t = table_by_id(r, id);
	assert_non_null(t);
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(report_csv_table(t, &sb), 0);
	return strbuf_detach(&sb, NULL);
}

/* Q1 2024 with the five tickets: January none, February 2 (1 of 2 SLA targets met),
 * March 3 (2 of 2 met). Contract: 100.00 a month with 1 ticket, 10.00 beyond, 95 %
 * with 10.00 a point below. By hand: January 100.00 net, no per-ticket figure;
 * February 1 over = 10.00, 45 points = 450.00 penalty, net −340.00, −170.00 a
 * ticket; March 2 over = 20.00, net 120.00, 40.00 a ticket; the quarter 5 tickets,
 * net −120.00, −24.00 a ticket. */
static void test_quarterly_action_plan_contract_and_benchmark(void **state)
{
	(void)state;
	tickets();
	struct lserr e = {0};
	struct kpi_result trend, quarters, cat, team, agent;
	struct kpi_options o = {.period = KPI_PERIOD_MONTH};
	assert_int_equal(kpi_compute(T, 5, &o, &trend, &e), 0);
	o.period = KPI_PERIOD_QUARTER;
	assert_int_equal(kpi_compute(T, 5, &o, &quarters, &e), 0);
	struct kpi_options rg = {.period = KPI_PERIOD_RANGE, .from = at(2024, 1, 1, 0), .to = at(2024, 4, 1, 0)};
	rg.group_by = KPI_DIM_CATEGORY;
	assert_int_equal(kpi_compute(T, 5, &rg, &cat, &e), 0);
	rg.group_by = KPI_DIM_TEAM;
	assert_int_equal(kpi_compute(T, 5, &rg, &team, &e), 0);
	rg.group_by = KPI_DIM_AGENT;
	assert_int_equal(kpi_compute(T, 5, &rg, &agent, &e), 0);
	int64_t d0 = time_days_from_civil(2024, 1, 1);
	struct action acts[] = {
	        {.id = 1,
	         .title = "VPN: Problem-Ticket",
	         .owner = "IT-Leitung",
	         .finding = "sla_hotspot:VPN",
	         .state = ACTION_DONE,
	         .agreed_on = d0 + 9,
	         .due_on = d0 + 90,
	         .closed_on = d0 + 79},
	        {.id = 2,
	         .title = "Wissensdatenbank, \"Drucker\"",
	         .owner = "",
	         .state = ACTION_OPEN,
	         .agreed_on = d0 + 9,
	         .due_on = d0 + 45,
	         .closed_on = PLAN_NO_DAY},
	        {.id = 3,
	         .title = "Eskalationsmatrix",
	         .owner = "Frau Berg",
	         .state = ACTION_IN_PROGRESS,
	         .agreed_on = d0 + 31,
	         .due_on = d0 + 181,
	         .closed_on = PLAN_NO_DAY},
	        {.id = 4,
	         .title = "Alt",
	         .owner = "x",
	         .state = ACTION_DROPPED,
	         .agreed_on = d0 - 60,
	         .due_on = d0 - 30,
	         .closed_on = d0 - 1},
	};
	struct contract k = {.currency = "EUR",
	                     .monthly_fee = 10000,
	                     .included_tickets = 1,
	                     .price_per_ticket = 1000,
	                     .sla_target_bp = 9500,
	                     .penalty_per_point = 1000,
	                     .valid_from = d0,
	                     .valid_to = PLAN_NO_DAY};
	struct kpi_set sets[6];
	static const double sla[] = {0.5, 0.625, 0.75, 0.875, 0.9375, 1};
	for (int i = 0; i < 6; i++)
		sets[i] = bench_set(100 * (uint64_t)(i + 1), sla[i]);
	struct report_benchmark bm = {.min_tickets = 100, .n = 6, .sets = sets};
	struct report_input in = {
	        .kind = REPORT_QUARTERLY,
	        .german = true,
	        .client_code = "ACME",
	        .client_name = "ACME GmbH",
	        .tz_name = "UTC",
	        .period_key = 2024 * 4,
	        .generated_at = at(2024, 4, 2, 7),
	        .trend = &trend,
	        .quarters = &quarters,
	        .by_category = &cat,
	        .by_team = &team,
	        .by_agent = &agent,
	        .actions = acts,
	        .n_actions = 4,
	        .contract = &k,
	        .benchmark = &bm,
	};
	struct report *r;
	assert_int_equal(report_build(&in, &r, &e), 0);

	char *csv = csv_of(r, "actions");
	assert_string_equal(csv, "title,owner,due_on,status,closed_on,overdue\r\n"
	                         "\"Wissensdatenbank, \"\"Drucker\"\"\",,2024-02-15,open,,true\r\n"
	                         "VPN: Problem-Ticket,IT-Leitung,2024-03-31,done,2024-03-20,false\r\n"
	                         "Eskalationsmatrix,Frau Berg,2024-06-30,in_progress,,false\r\n");
	free(csv);
	csv = csv_of(r, "contract");
	assert_string_equal(csv, "period,tickets,fixed_fee,overage_tickets,overage,sla_compliance,sla_penalty,"
	                         "net_revenue,revenue_per_ticket\r\n"
	                         "2024-01,0,100,0,0,,0,100,\r\n"
	                         "2024-02,2,100,1,10,0.5,450,-340,-170\r\n"
	                         "2024-03,3,100,2,20,1,0,120,40\r\n"
	                         "total,5,300,3,30,0.75,450,-120,-24\r\n");
	free(csv);
	csv = csv_of(r, "benchmark");
	/* tickets 100…600: quartiles at 1.25, 2.5, 3.75 between order statistics (type 7):
	 * 225, 350, 475; SLA 0.5 … 1: 0.65625, 0.8125, 0.921875; ours 0.75 (3 of 4) */
	assert_non_null(strstr(csv, "tickets,Eingegangene Tickets,5,225,350,475,6,\r\n"));
	assert_non_null(strstr(csv, "sla_compliance,SLA-Erfüllung,0.75,0.65625,0.8125,0.921875,6,below_median\r\n"));
	free(csv);

	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(report_html(r, &sb), 0);
	assert_non_null(strstr(sb.buf, "Maßnahmenplan"));
	assert_non_null(strstr(sb.buf, "1 Maßnahme im Zeitraum erledigt, 2 sind offen, davon 1 überfällig"));
	assert_non_null(strstr(sb.buf, "id=\"t-actions\""));
	assert_non_null(strstr(sb.buf, "Vertragsökonomie"));
	assert_non_null(strstr(sb.buf, "id=\"t-contract\""));
	assert_non_null(strstr(sb.buf, "−340,00") ? strstr(sb.buf, "−340,00") : strstr(sb.buf, "-340,00"));
	assert_non_null(strstr(sb.buf, "id=\"t-benchmark\""));
	assert_non_null(strstr(sb.buf, "unter dem Median"));
	assert_null(strstr(sb.buf, "nan"));
	strbuf_reset(&sb);
	assert_int_equal(report_pdf(r, &sb), 0);
	assert_memory_equal(sb.buf, "%PDF-", 5);
	strbuf_release(&sb);
	report_free(r);

	/* a contract from March: January and February stay out of the total, its SLA too */
	k.valid_from = d0 + 60;
	assert_int_equal(report_build(&in, &r, &e), 0);
	csv = csv_of(r, "contract");
	assert_non_null(strstr(csv, "2024-02,2,,,,0.5,,,\r\n"));
	assert_non_null(strstr(csv, "total,3,100,2,20,1,0,120,40\r\n"));
	free(csv);
	report_free(r);
	k.valid_from = d0;

	/* English, no plan, no contract, too few clients: one sentence each */
	in.german = false;
	in.n_actions = 0;
	in.contract = NULL;
	bm.n = 4;
	assert_int_equal(report_build(&in, &r, &e), 0);
	assert_null(table_by_id(r, "actions"));
	assert_null(table_by_id(r, "contract"));
	assert_null(table_by_id(r, "benchmark"));
	int sentences = 0;
	for (size_t i = 0; i < r->n_blocks; i++)
		if (r->blocks[i].kind == REPORT_BLOCK_TEXT &&
		    (strstr(r->blocks[i].text, "No action plan has been recorded") ||
		     strstr(r->blocks[i].text, "No contract is stored") ||
		     strstr(r->blocks[i].text, "Too few clients for an anonymous comparison: 4 clients")))
			sentences++;
	assert_int_equal(sentences, 3);
	report_free(r);
	kpi_result_release(&trend);
	kpi_result_release(&quarters);
	kpi_result_release(&cat);
	kpi_result_release(&team);
	kpi_result_release(&agent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_periods_parse_iso_weeks_months_and_quarters),
	        cmocka_unit_test(test_numbers_and_dates_follow_the_language),
	        cmocka_unit_test(test_targets_parse_and_reject_unknown_kpis),
	        cmocka_unit_test(test_csv_of_the_kpi_table_matches_the_golden_file),
	        cmocka_unit_test(test_html_is_self_contained_with_exact_values),
	        cmocka_unit_test(test_pdf_is_a_pdf_with_its_pages),
	        cmocka_unit_test(test_english_report_without_data_in_the_period),
	        cmocka_unit_test(test_calls_table_when_the_client_has_acd_data),
	        cmocka_unit_test(test_quarterly_action_plan_contract_and_benchmark),
	};
	return cmocka_run_group_tests(tests, NULL, teardown_fonts);
}
