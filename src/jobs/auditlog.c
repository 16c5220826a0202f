/* The audit flusher thread (see auditlog.h). Room: jobs. */
#include "jobs/auditlog.h"

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "service/audit.h"
#include "service/svc.h"
#include "store/store.h"

#define FLUSH_EVERY_MS 20

struct audit_flusher {
	struct store *st;
	pthread_t thread;
	bool stop; /* read and written under the atomic builtins */
};

static void flush(struct audit_flusher *f)
{
	struct arena a;
	arena_init(&a);
	struct lserr e;
	lserr_clear(&e);
	struct svc s = {.st = f->st, .arena = &a, .actor = &actor_system, .now = time_now(), .err = &e};
	size_t n;
	if (audit_flush(&s, &n) < 0)
		log_error("audit: writing %s read entries failed: %s", "queued", e.message);
	arena_release(&a);
}

static void *thread_main(void *arg)
{
	struct audit_flusher *f = arg;
	/* a fixed rhythm, not a wake-up per queued read: one transaction per interval
	 * however many reads arrive, and no context switch per request */
	while (!__atomic_load_n(&f->stop, __ATOMIC_ACQUIRE)) {
		struct timespec ts = {0, FLUSH_EVERY_MS * 1000000L};
		nanosleep(&ts, NULL);
		flush(f);
	}
	return NULL;
}

int audit_flusher_start(const char *db_path, struct audit_flusher **ret, struct lserr *e)
{
	struct audit_flusher *f = xcalloc(1, sizeof(*f));
	int r = store_open(db_path, 0, &f->st, e);
	if (r < 0) {
		xfree(f);
		return r;
	}
	audit_async(true);
	if ((r = pthread_create(&f->thread, NULL, thread_main, f)) != 0) {
		audit_async(false);
		store_close(f->st);
		xfree(f);
		return lserr_set(e, -r, "internal", NULL, "cannot start the audit flusher");
	}
	*ret = f;
	return 0;
}

struct audit_flusher *audit_flusher_stop(struct audit_flusher *f)
{
	if (!f)
		return NULL;
	audit_async(false); /* from now on readers write their entries themselves */
	__atomic_store_n(&f->stop, true, __ATOMIC_RELEASE);
	pthread_join(f->thread, NULL);
	flush(f); /* what was queued before */
	store_close(f->st);
	xfree(f);
	return NULL;
}
