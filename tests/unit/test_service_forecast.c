/* Tests for service/forecast.c (named test_service_forecast to keep it apart from
 * wfm/forecast.c): tickets counted in the wall-clock slot of their local time on
 * 23- and 25-hour days (Europe/Berlin), the forecast's real intervals with their
 * offsets (a 25-hour day lists 02:00 twice), the history window, and errors that
 * name the parameter. */
#include "helpers.h"

#include <math.h>

#include "calendar/tz.h"
#include "service/forecast.h"
#include "service/tickets.h"

static struct tz *berlin;

static int group_setup(void **state)
{
	(void)state;
	return tz_load("Europe/Berlin", &berlin, NULL) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	tz_free(berlin);
	return 0;
}

static int32_t day_of(int y, unsigned m, unsigned d)
{
	return (int32_t)time_days_from_civil(y, m, d);
}

/* A ticket created at UTC instant t. */
static void ticket_at(struct fixture *f, const char *client, ls_time t)
{
	f->svc.now = t;
	struct ticket_input in = {.client = client, .type = TICKET_TYPE_INCIDENT, .title = "x", .channel = -1};
	struct ticket tk;
	assert_ok(f, tickets_create(&f->svc, &in, &tk));
}

/* The UTC instant of local wall-clock time hh:mm on a day. */
static ls_time local(int32_t day, int hh, int mm)
{
	return tz_local_to_utc(berlin, (int64_t)day * 86400 + hh * 3600 + mm * 60);
}

static struct forecast_request request(const char *client, int32_t from, size_t days)
{
	return (struct forecast_request){
	        .client = client, .from = from, .days = days, .interval = 3600, .region = "none", .backtest_weeks = -1};
}

/* Four tickets at 09:10 every day from 17 March 2025 for four weeks, across the
 * 23-hour 30 March: each lands in the 09:00 slot, so the history is flat. */
static void test_tickets_count_in_their_local_slot_across_spring_forward(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	const int32_t first = day_of(2025, 3, 17);
	for (int32_t d = first; d < first + 28; d++)
		for (int i = 0; i < 4; i++)
			ticket_at(f, "ACME", local(d, 9, 10) + i);
	struct forecast_request rq = request("ACME", day_of(2025, 4, 14), 7);
	struct forecast_answer a;
	assert_ok(f, forecast_compute(&f->svc, &rq, &a));
	assert_string_equal(a.meta.source, "tickets");
	assert_string_equal(a.meta.timezone, "Europe/Berlin");
	assert_int_equal(a.meta.history_first, first);
	assert_int_equal(a.meta.history_last, first + 27);
	assert_true(a.result.model.rmse < 1e-9);
	assert_int_equal(a.meta.n_intervals, 7 * 24);
	assert_string_equal(a.meta.intervals[9].start, "2025-04-14T09:00:00+02:00");
	for (size_t i = 0; i < a.meta.n_intervals; i++)
		assert_true(fabs(a.meta.intervals[i].volume - (i % 24 == 9 ? 4.0 : 0.0)) < 1e-9);
	assert_int_equal(a.result.backtest.weeks, 2); /* 28 days: two weeks with 14 before them */
	assert_true(a.result.backtest.wape < 1e-9);

	/* a forecast over 26 October 2025: 25 intervals, 02:00 twice */
	rq = request("ACME", day_of(2025, 10, 20), 7);
	assert_ok(f, forecast_compute(&f->svc, &rq, &a));
	assert_int_equal(a.meta.n_intervals, 7 * 24 + 1);
	const struct forecast_interval *sun = &a.meta.intervals[6 * 24];
	assert_string_equal(sun[2].start, "2025-10-26T02:00:00+02:00");
	assert_string_equal(sun[3].start, "2025-10-26T02:00:00+01:00");
	assert_string_equal(sun[4].start, "2025-10-26T03:00:00+01:00");
	assert_string_equal(sun[10].start, "2025-10-26T09:00:00+01:00");
	assert_true(fabs(sun[10].volume - 4.0) < 1e-9);
	assert_true(fabs(a.result.days[6].total - 4.0) < 1e-9);

	/* in UTC the same tickets fall at 08:10 (two Mondays) or 07:10 (the two recent
	 * ones): the profile weighs recent weeks more, 1 + 0.9 against 0.81 + 0.729 */
	rq = request("ACME", day_of(2025, 4, 14), 1);
	rq.tz = "UTC";
	assert_ok(f, forecast_compute(&f->svc, &rq, &a));
	assert_string_equal(a.meta.intervals[7].start, "2025-04-14T07:00:00+00:00");
	assert_true(fabs(a.meta.intervals[7].volume - 4.0 * 1.9 / 3.439) < 1e-9);
	assert_true(fabs(a.meta.intervals[8].volume - 4.0 * 1.539 / 3.439) < 1e-9);
}

/* One ticket at 02:30 every day around 27 October 2024, two that day (one in each
 * pass of the repeated hour): per occurrence of the slot still one, so the history is
 * flat and a 25-hour day forecasts two. */
static void test_the_repeated_hour_counts_once_per_occurrence(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "BETA", NULL);
	const int32_t first = day_of(2024, 10, 14), fall = day_of(2024, 10, 27);
	for (int32_t d = first; d < first + 28; d++)
		if (d != fall)
			ticket_at(f, "BETA", local(d, 2, 30));
	ticket_at(f, "BETA", fx_time("2024-10-27T00:30:00Z")); /* 02:30+02:00 */
	ticket_at(f, "BETA", fx_time("2024-10-27T01:30:00Z")); /* 02:30+01:00 */
	struct forecast_request rq = request("BETA", day_of(2025, 10, 20), 7);
	struct forecast_answer a;
	assert_ok(f, forecast_compute(&f->svc, &rq, &a));
	assert_true(a.result.model.rmse < 1e-9);
	assert_true(fabs(a.result.days[0].total - 1.0) < 1e-9);
	assert_true(fabs(a.result.days[6].total - 2.0) < 1e-9);
	assert_true(fabs(a.meta.intervals[6 * 24 + 2].volume - 1.0) < 1e-9);
	assert_true(fabs(a.meta.intervals[6 * 24 + 3].volume - 1.0) < 1e-9);
}

static void test_errors_name_the_parameter(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	const int32_t first = day_of(2025, 3, 3);
	for (int32_t d = first; d < first + 20; d++)
		ticket_at(f, "ACME", local(d, 10, 0));
	struct forecast_answer a;
	struct forecast_request rq = request("ACME", first + 20, 7);
	assert_ok(f, forecast_compute(&f->svc, &rq, &a));
	rq.client = "NOPE";
	assert_svc_error(f, forecast_compute(&f->svc, &rq, &a), -EINVAL, "invalid_parameter", "client");
	rq = request("ACME", first + 10, 7);
	assert_svc_error(f, forecast_compute(&f->svc, &rq, &a), -EINVAL, "invalid_parameter", "from");
	assert_non_null(strstr(f->err.message, "10 days"));
	rq = request("ACME", first, 7);
	assert_svc_error(f, forecast_compute(&f->svc, &rq, &a), -EINVAL, "invalid_parameter", "from");
	rq = request("ACME", first + 20, 7);
	rq.source = "calls";
	assert_svc_error(f, forecast_compute(&f->svc, &rq, &a), -EINVAL, "invalid_parameter", "source");
	rq.source = "mail";
	assert_svc_error(f, forecast_compute(&f->svc, &rq, &a), -EINVAL, "invalid_parameter", "source");
	rq = request("ACME", first + 20, 7);
	rq.tz = "Mars/Olympus";
	assert_svc_error(f, forecast_compute(&f->svc, &rq, &a), -ENOENT, "invalid_parameter", "tz");
	rq = request("ACME", first + 20, 7);
	rq.region = "DE-XX";
	assert_svc_error(f, forecast_compute(&f->svc, &rq, &a), -EINVAL, "invalid_parameter", "region");
	rq = request("ACME", first + 20, 7);
	rq.interval = 600;
	assert_svc_error(f, forecast_compute(&f->svc, &rq, &a), -EINVAL, "invalid_parameter", "interval");
	rq = request("ACME", first + 20, 0);
	assert_svc_error(f, forecast_compute(&f->svc, &rq, &a), -EINVAL, "invalid_parameter", "days");
	rq = request("ACME", first + 20, 7);
	rq.model = "damped";
	assert_svc_error(f, forecast_compute(&f->svc, &rq, &a), -EINVAL, "invalid_parameter", "model");
	rq = request("ACME", first + 20, 7);
	rq.backtest_weeks = 53;
	assert_svc_error(f, forecast_compute(&f->svc, &rq, &a), -EINVAL, "invalid_parameter", "backtest_weeks");
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_tickets_count_in_their_local_slot_across_spring_forward),
	        T(test_the_repeated_hour_counts_once_per_occurrence),
	        T(test_errors_name_the_parameter),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
