/* The outbox delivery thread (see outbox.h). Room: jobs. */
#include "jobs/outbox.h"

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "core/timeutil.h"
#include "jobs/webhook.h"
#include "service/webhooks.h"
#include "service/svc.h"
#include "store/jobsdb.h"
#include "store/store.h"

#define OUTBOX_BATCH        32
#define OUTBOX_IDLE_SECONDS 30 /* look at the table at least this often */

struct outbox {
	char *db_path;
	int64_t retry_base;
	long timeout_ms;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	bool stop, kicked;
};

/* The body for one delivery: the stored event with its outbox id, in the format. */
static int body_of(const struct webhook_delivery *d, struct strbuf *out, struct lserr *e)
{
	json_error_t je;
	json_t *ev = json_loads(d->payload, 0, &je);
	if (!ev)
		return lserr_set(e, -EINVAL, "internal", "payload", "stored event is not JSON: %s", je.text);
	json_object_set_new(ev, "id", json_integer(d->outbox_id));
	enum webhook_format f = webhook_format_from_string(d->format);
	int r = webhook_body((int)f < 0 ? WEBHOOK_JSON : f, ev, d->lang ? d->lang : "en", out, e);
	json_decref(ev);
	return r;
}

/* One attempt, recorded; -1 when recording it failed (the delivery stays due). */
static int deliver(struct outbox *o, struct store *st, struct arena *a, struct webhook_delivery *d)
{
	struct strbuf body = STRBUF_INIT;
	struct lserr e;
	lserr_clear(&e);
	struct webhook_result res;
	memset(&res, 0, sizeof(res));
	ls_time now = time_now();
	int r = body_of(d, &body, &e);
	if (r == 0) {
		char id[24];
		snprintf(id, sizeof(id), "%lld", (long long)d->id);
		struct webhook_request rq = {
		        .url = d->url,
		        .body = body.buf,
		        .len = body.len,
		        .secret = d->secret,
		        .ts = now,
		        .delivery_id = id,
		        .event = d->event,
		        .timeout_ms = o->timeout_ms,
		};
		r = webhook_post(&rq, &res);
	} else {
		snprintf(res.error, sizeof(res.error), "%.200s", e.message);
	}
	strbuf_release(&body);
	now = time_now();
	d->attempts++;
	d->last_attempt_at = now;
	if (!d->first_attempt_at)
		d->first_attempt_at = now;
	d->last_status = res.status;
	d->last_error = res.error[0] ? arena_strdup(a, res.error) : NULL;
	d->last_response = res.response[0] ? arena_strdup(a, res.response) : NULL;
	if (r == 0) {
		d->state = DELIVERY_DELIVERED;
		d->delivered_at = now;
		d->next_attempt_at = 0;
	} else {
		d->next_attempt_at = webhook_next_attempt(d->first_attempt_at, now, (unsigned)d->attempts,
		                                          o->retry_base, (uint64_t)d->id);
		if (!d->next_attempt_at)
			d->state = DELIVERY_FAILED;
		else
			d->next_attempt_at++; /* instants are whole seconds: wait at least the full backoff */
	}
	int recorded = 0;
	if (store_begin(st) < 0 || jobsdb_delivery_update(st, d) < 0 || store_commit(st) < 0) {
		store_rollback(st);
		log_error("outbox: recording delivery %lld failed", (long long)d->id);
		recorded = -1;
	}
	if (r != 0)
		log_warn("outbox: delivery %lld to %s failed (attempt %lld): %s", (long long)d->id, d->url,
		         (long long)d->attempts, res.error);
	return recorded;
}

static void *thread_main(void *arg)
{
	struct outbox *o = arg;
	struct store *st;
	struct lserr e;
	if (store_open(o->db_path, 0, &st, &e) < 0) {
		log_error("outbox: cannot open the database: %s", e.message);
		return NULL;
	}
	struct arena a;
	arena_init(&a);
	pthread_mutex_lock(&o->mu);
	while (!o->stop) {
		o->kicked = false;
		pthread_mutex_unlock(&o->mu);
		arena_reset(&a);
		struct webhook_delivery *v = NULL;
		size_t n = 0;
		if (jobsdb_deliveries_due(st, &a, time_now(), OUTBOX_BATCH, &v, &n) < 0)
			log_error("outbox: reading due deliveries failed");
		bool unrecorded = false; /* a due delivery we could not record: do not post it again at once */
		for (size_t i = 0; i < n; i++) {
			unrecorded |= deliver(o, st, &a, &v[i]) < 0;
			pthread_mutex_lock(&o->mu);
			bool stop = o->stop;
			pthread_mutex_unlock(&o->mu);
			if (stop)
				break;
		}
		ls_time next = 0;
		int r = jobsdb_next_delivery(st, &next);
		pthread_mutex_lock(&o->mu);
		if (o->stop || o->kicked || (n == OUTBOX_BATCH && !unrecorded))
			continue;
		ls_time now = time_now();
		if (r == 0 && next <= now && !unrecorded)
			continue;
		ls_time until = now + (unrecorded ? (ls_time)o->retry_base : OUTBOX_IDLE_SECONDS);
		if (r == 0 && next < until && !unrecorded)
			until = next;
		struct timespec ts = {.tv_sec = (time_t)until, .tv_nsec = 0};
		while (!o->stop && !o->kicked && time_now() < until)
			if (pthread_cond_timedwait(&o->cond, &o->mu, &ts) != 0)
				break;
	}
	pthread_mutex_unlock(&o->mu);
	arena_release(&a);
	store_close(st);
	return NULL;
}

int outbox_start(const struct outbox_config *cfg, struct outbox **ret, struct lserr *e)
{
	struct outbox *o = xcalloc(1, sizeof(*o));
	o->db_path = xstrdup(cfg->db_path);
	o->retry_base = cfg->retry_base > 0 ? cfg->retry_base : 30;
	o->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 10000;
	pthread_mutex_init(&o->mu, NULL);
	pthread_cond_init(&o->cond, NULL);
	int r = pthread_create(&o->thread, NULL, thread_main, o);
	if (r != 0) {
		xfree(o->db_path);
		xfree(o);
		return lserr_set(e, -r, "internal", NULL, "cannot start the outbox thread");
	}
	*ret = o;
	return 0;
}

struct outbox *outbox_stop(struct outbox *o)
{
	if (!o)
		return NULL;
	pthread_mutex_lock(&o->mu);
	o->stop = true;
	pthread_cond_signal(&o->cond);
	pthread_mutex_unlock(&o->mu);
	pthread_join(o->thread, NULL);
	pthread_mutex_destroy(&o->mu);
	pthread_cond_destroy(&o->cond);
	xfree(o->db_path);
	xfree(o);
	return NULL;
}

void outbox_kick(struct outbox *o)
{
	pthread_mutex_lock(&o->mu);
	o->kicked = true;
	pthread_cond_signal(&o->cond);
	pthread_mutex_unlock(&o->mu);
}
