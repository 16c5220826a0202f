/* The import worker thread (see importer.h). Room: jobs. */
#include "jobs/importer.h"

#include <pthread.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "service/imports.h"
#include "service/svc.h"
#include "store/store.h"

struct import_worker {
	char *db_path;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	bool stop, kicked;
	int64_t running; /* job id, 0: none */
	size_t rows;
};

static struct import_worker *current;

struct import_worker *import_worker_current(void)
{
	return __atomic_load_n(&current, __ATOMIC_ACQUIRE);
}

static void on_progress(size_t rows, void *ctx)
{
	struct import_worker *w = ctx;
	pthread_mutex_lock(&w->mu);
	w->rows = rows;
	pthread_mutex_unlock(&w->mu);
}

static void *thread_main(void *arg)
{
	struct import_worker *w = arg;
	struct store *st;
	struct lserr e;
	if (store_open(w->db_path, 0, &st, &e) < 0) {
		log_error("import worker: cannot open the database: %s", e.message);
		return NULL;
	}
	struct arena a;
	arena_init(&a);
	struct svc s = {.st = st, .arena = &a, .actor = &actor_system, .now = time_now(), .err = &e};
	if (imports_job_requeue(&s) < 0)
		log_error("import worker: %s", e.message);
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		w->kicked = false;
		pthread_mutex_unlock(&w->mu);
		arena_reset(&a);
		lserr_clear(&e);
		s.now = time_now();
		struct import_job j;
		int r = imports_job_claim(&s, &j);
		if (r == 0) {
			pthread_mutex_lock(&w->mu);
			w->running = j.id;
			w->rows = 0;
			pthread_mutex_unlock(&w->mu);
			log_info("import %lld: %s for %s from %s (%lld bytes)", (long long)j.id, j.source,
			         j.client_code, j.file, (long long)j.bytes);
			if (imports_job_run(&s, &j, on_progress, w) < 0)
				log_error("import %lld: %s", (long long)j.id, e.message);
			pthread_mutex_lock(&w->mu);
			w->running = 0;
			continue; /* look for the next one at once */
		}
		if (r != -ENOENT)
			log_error("import worker: %s", e.message);
		pthread_mutex_lock(&w->mu);
		while (!w->stop && !w->kicked)
			pthread_cond_wait(&w->cond, &w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	arena_release(&a);
	store_close(st);
	return NULL;
}

int import_worker_start(const char *db_path, struct import_worker **ret, struct lserr *e)
{
	struct import_worker *w = xcalloc(1, sizeof(*w));
	w->db_path = xstrdup(db_path);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cond, NULL);
	int r = pthread_create(&w->thread, NULL, thread_main, w);
	if (r != 0) {
		xfree(w->db_path);
		xfree(w);
		return lserr_set(e, -r, "internal", NULL, "cannot start the import worker");
	}
	__atomic_store_n(&current, w, __ATOMIC_RELEASE);
	*ret = w;
	return 0;
}

struct import_worker *import_worker_stop(struct import_worker *w)
{
	if (!w)
		return NULL;
	__atomic_store_n(&current, NULL, __ATOMIC_RELEASE);
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cond);
	xfree(w->db_path);
	xfree(w);
	return NULL;
}

void import_worker_kick(struct import_worker *w)
{
	pthread_mutex_lock(&w->mu);
	w->kicked = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->mu);
}

bool import_worker_progress(struct import_worker *w, int64_t job_id, size_t *ret_rows)
{
	pthread_mutex_lock(&w->mu);
	bool running = w->running == job_id;
	if (running)
		*ret_rows = w->rows;
	pthread_mutex_unlock(&w->mu);
	return running;
}
