/* The daily retention job (see retention.h). Room: jobs.
 * One thread with its own connection sleeps on a condition variable until the next
 * run is due or it is told to stop; a run is retention_run() over every client as
 * the system, logged by the service in retention_runs and the audit log. */
#include "jobs/retention.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "service/retention.h"
#include "service/svc.h"
#include "store/store.h"

#define DAY 86400

struct retention_job {
	struct store *st;
	int at_minute;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop; /* under lock */
};

static void run_once(struct retention_job *j, bool only_if_stale)
{
	struct arena a;
	arena_init(&a);
	struct lserr e;
	lserr_clear(&e);
	struct svc s = {.st = j->st, .arena = &a, .actor = &actor_system, .now = time_now(), .err = &e};
	bool any = false;
	ls_time last = 0;
	if (retention_any_rules(&s, &any) < 0 || (only_if_stale && retention_last_run(&s, &last) < 0)) {
		log_error("retention: %s", e.message);
	} else if (any && (!only_if_stale || last <= s.now - DAY)) {
		json_t *rep;
		struct retention_run_opts o = {0};
		if (retention_run(&s, &o, &rep) < 0) {
			log_error("retention run failed: %s", e.message);
		} else {
			log_info("retention run done for %zu clients",
			         json_array_size(json_object_get(rep, "clients")));
			json_decref(rep);
		}
	}
	arena_release(&a);
}

static ls_time next_run(ls_time now, int at_minute)
{
	ls_time day = now - ((now % DAY) + DAY) % DAY;
	ls_time t = day + (ls_time)at_minute * 60;
	return t > now ? t : t + DAY;
}

static void *thread_main(void *arg)
{
	struct retention_job *j = arg;
	run_once(j, true);
	pthread_mutex_lock(&j->lock);
	while (!j->stop) {
		ls_time due = next_run(time_now(), j->at_minute);
		struct timespec ts = {.tv_sec = (time_t)due, .tv_nsec = 0};
		while (!j->stop && pthread_cond_timedwait(&j->wake, &j->lock, &ts) != ETIMEDOUT)
			;
		if (j->stop)
			break;
		pthread_mutex_unlock(&j->lock);
		run_once(j, false);
		pthread_mutex_lock(&j->lock);
	}
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

int retention_job_start(const char *db_path, int at_minute, struct retention_job **ret, struct lserr *e)
{
	struct retention_job *j = xcalloc(1, sizeof(*j));
	j->at_minute = at_minute;
	int r = store_open(db_path, 0, &j->st, e);
	if (r < 0) {
		xfree(j);
		return r;
	}
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->wake, NULL); /* CLOCK_REALTIME: the deadline is a wall-clock time of day */
	if ((r = pthread_create(&j->thread, NULL, thread_main, j)) != 0) {
		pthread_cond_destroy(&j->wake);
		pthread_mutex_destroy(&j->lock);
		store_close(j->st);
		xfree(j);
		return lserr_set(e, -r, "internal", NULL, "cannot start the retention job");
	}
	*ret = j;
	return 0;
}

struct retention_job *retention_job_stop(struct retention_job *j)
{
	if (!j)
		return NULL;
	pthread_mutex_lock(&j->lock);
	j->stop = true;
	pthread_cond_signal(&j->wake);
	pthread_mutex_unlock(&j->lock);
	pthread_join(j->thread, NULL);
	pthread_cond_destroy(&j->wake);
	pthread_mutex_destroy(&j->lock);
	store_close(j->st);
	xfree(j);
	return NULL;
}
