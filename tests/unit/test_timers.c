/* The SLA timer's bookkeeping under load: many touches from several threads while
 * the timer thread drains them (its queue is swapped in and out while it grows),
 * then real tickets whose deadlines land in the watch list, and a clean stop.
 * Run under AddressSanitizer, an overflow of the queue would abort the test. */
#include "helpers.h"

#include <pthread.h>

#include "jobs/timers.h"
#include "service/sla.h"
#include "service/tickets.h"

struct toucher {
	struct timers *t;
	unsigned seed;
	int64_t real[2]; /* tickets that exist: evaluating them takes the timer a while */
};

static void *touch_many(void *arg)
{
	struct toucher *x = arg;
	for (int round = 0; round < 40; round++) {
		unsigned burst = 1 + (x->seed = x->seed * 1103515245u + 12345u) % 1500;
		for (unsigned i = 0; i < burst; i++) /* every third id does not exist: evaluated and dropped */
			timers_touch(x->t, i % 3 == 2 ? 1000000 + (int64_t)i : x->real[i % 3]);
		if (round % 7 == 0)
			usleep(2000);
	}
	return NULL;
}

static void wait_watched(struct timers *t, size_t want)
{
	struct timers_stats st;
	for (int i = 0; i < 500; i++) {
		timers_stats(t, &st);
		if (st.rebuilt && st.watched == want)
			return;
		usleep(10000);
	}
	fail_msg("the timer watches %zu tickets, not %zu", st.watched, want);
}

static void test_touch_bursts_from_threads_and_real_deadlines(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	struct sla_input pol = {.client = "ACME",
	                        .code = "STD",
	                        .definition = "{\"warnings\":[],\"targets\":{\"P5\":{\"first_response\":{\"within\":"
	                                      "\"2h\",\"time\":\"calendar\"}}}}"};
	struct sla_def d;
	assert_ok(f, sla_policies_create(&f->svc, &pol, &d));
	/* two tickets now: the timer's start-up pass finds them */
	f->svc.now = time_now();
	struct ticket_input in = {.client = "ACME", .type = TICKET_TYPE_INCIDENT, .title = "a", .channel = -1};
	struct ticket a, b;
	assert_ok(f, tickets_create(&f->svc, &in, &a));
	assert_ok(f, tickets_create(&f->svc, &in, &b));

	struct timers *t;
	struct timers_config cfg = {.db_path = f->path};
	assert_int_equal(timers_start(&cfg, &t, &f->err), 0);
	assert_ptr_equal(timers_current(), t);
	wait_watched(t, 2);

	pthread_t th[4];
	struct toucher x[4];
	for (int i = 0; i < 4; i++) {
		x[i] = (struct toucher){.t = t, .seed = 17u + (unsigned)i, .real = {a.id, b.id}};
		assert_int_equal(pthread_create(&th[i], NULL, touch_many, &x[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	wait_watched(t, 2); /* the unknown ids left nothing behind */

	int64_t ids[8];
	ls_time dues[8];
	size_t n = timers_due_before(t, f->svc.now + 2 * 3600, ids, dues, 8);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], a.id);
	assert_int_equal(ids[1], b.id);
	assert_int_equal(dues[0], a.created_at + 2 * 3600);
	assert_int_equal(timers_due_before(t, f->svc.now + 3600, ids, dues, 8), 0);
	struct timers_stats st;
	timers_stats(t, &st);
	assert_true(st.evaluations >= 2);
	assert_int_equal(st.errors, 0);
	assert_int_equal(st.fired, 0);
	assert_null(timers_stop(t));
	assert_null(timers_current());
	sla_cache_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_touch_bursts_from_threads_and_real_deadlines, fixture_setup,
	                                        fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
