/* The SLA timer thread (see timers.h). Room: jobs.
 *
 * State under one mutex: a hash map ticket → (next deadline, earliest due, generation)
 * and a min-heap of (deadline, ticket, generation). An update bumps the ticket's
 * generation and pushes a new heap node; nodes whose generation is stale are dropped
 * when they surface, and the heap is rebuilt from the map when stale nodes outnumber
 * live ones. Evaluation and firing happen outside the mutex. */
#include "jobs/timers.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/log.h"
#include "service/sla_timer.h"
#include "service/svc.h"
#include "store/store.h"

struct entry {
	int64_t ticket; /* 0: empty slot */
	ls_time next;
	ls_time due;
	uint32_t gen;
};

struct node {
	ls_time at;
	int64_t ticket;
	uint32_t gen;
};

struct timers {
	char *db_path;
	void (*on_fired)(void *ctx);
	void *ctx;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	bool stop;
	/* map */
	struct entry *slots;
	size_t cap, n;
	/* heap */
	struct node *heap;
	size_t heap_n, heap_cap;
	/* touched tickets, waiting for evaluation */
	int64_t *dirty;
	size_t dirty_n, dirty_cap;
	struct timers_stats stats;
};

static struct timers *current;

struct timers *timers_current(void)
{
	return __atomic_load_n(&current, __ATOMIC_ACQUIRE);
}

/* ---- map: linear probing, backward-shift deletion ---- */

static size_t slot_of(const struct timers *t, int64_t key)
{
	uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 17) & (t->cap - 1);
}

static struct entry *map_find(struct timers *t, int64_t key)
{
	if (!t->cap)
		return NULL;
	for (size_t i = slot_of(t, key);; i = (i + 1) & (t->cap - 1)) {
		if (t->slots[i].ticket == key)
			return &t->slots[i];
		if (t->slots[i].ticket == 0)
			return NULL;
	}
}

static void map_grow(struct timers *t)
{
	size_t old_cap = t->cap;
	struct entry *old = t->slots;
	t->cap = old_cap ? old_cap * 2 : 1024;
	t->slots = xcalloc(t->cap, sizeof(*t->slots));
	for (size_t i = 0; i < old_cap; i++) {
		if (!old[i].ticket)
			continue;
		size_t j = slot_of(t, old[i].ticket);
		while (t->slots[j].ticket)
			j = (j + 1) & (t->cap - 1);
		t->slots[j] = old[i];
	}
	xfree(old);
}

static struct entry *map_put(struct timers *t, int64_t key)
{
	struct entry *e = map_find(t, key);
	if (e)
		return e;
	if ((t->n + 1) * 10 > t->cap * 7)
		map_grow(t);
	size_t i = slot_of(t, key);
	while (t->slots[i].ticket)
		i = (i + 1) & (t->cap - 1);
	t->slots[i] = (struct entry){.ticket = key};
	t->n++;
	return &t->slots[i];
}

static void map_del(struct timers *t, struct entry *e)
{
	size_t i = (size_t)(e - t->slots), mask = t->cap - 1;
	t->slots[i].ticket = 0;
	t->n--;
	for (size_t j = (i + 1) & mask; t->slots[j].ticket; j = (j + 1) & mask) {
		size_t home = slot_of(t, t->slots[j].ticket);
		/* move j back to i when i lies cyclically in [home, j) */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			t->slots[i] = t->slots[j];
			t->slots[j].ticket = 0;
			i = j;
		}
	}
}

/* ---- heap ---- */

static bool earlier(const struct node *a, const struct node *b)
{
	return a->at < b->at || (a->at == b->at && a->ticket < b->ticket);
}

static void heap_push(struct timers *t, struct node nd)
{
	if (t->heap_n == t->heap_cap) {
		t->heap_cap = t->heap_cap ? t->heap_cap * 2 : 1024;
		t->heap = xrealloc(t->heap, t->heap_cap * sizeof(*t->heap));
	}
	size_t i = t->heap_n++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!earlier(&nd, &t->heap[p]))
			break;
		t->heap[i] = t->heap[p];
		i = p;
	}
	t->heap[i] = nd;
}

static void sift_down(struct timers *t, size_t i)
{
	struct node nd = t->heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= t->heap_n)
			break;
		if (c + 1 < t->heap_n && earlier(&t->heap[c + 1], &t->heap[c]))
			c++;
		if (!earlier(&t->heap[c], &nd))
			break;
		t->heap[i] = t->heap[c];
		i = c;
	}
	t->heap[i] = nd;
}

static void heap_pop(struct timers *t)
{
	t->heap[0] = t->heap[--t->heap_n];
	if (t->heap_n)
		sift_down(t, 0);
}

static bool node_live(struct timers *t, const struct node *nd)
{
	const struct entry *e = map_find(t, nd->ticket);
	return e && e->gen == nd->gen && e->next == nd->at;
}

/* Drops stale nodes by rebuilding the heap from the map. */
static void heap_compact(struct timers *t)
{
	t->heap_n = 0;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i].ticket && t->slots[i].next)
			t->heap[t->heap_n++] = (struct node){
			        .at = t->slots[i].next, .ticket = t->slots[i].ticket, .gen = t->slots[i].gen};
	for (size_t i = t->heap_n / 2; i-- > 0;)
		sift_down(t, i);
}

/* Under the mutex: the ticket's deadlines are now next and due (0: none). */
static void set_deadline(struct timers *t, int64_t ticket, ls_time next, ls_time due)
{
	if (!next) {
		struct entry *e = map_find(t, ticket);
		if (e)
			map_del(t, e);
	} else {
		struct entry *e = map_put(t, ticket);
		if (e->next == next && e->due == due)
			return;
		e->next = next;
		e->due = due;
		e->gen++;
		heap_push(t, (struct node){.at = next, .ticket = ticket, .gen = e->gen});
	}
	if (t->heap_n > 2 * t->n + 4096)
		heap_compact(t);
	t->stats.watched = t->n;
}

/* ---- evaluation ---- */

struct worker {
	struct timers *t;
	struct store *st;
	struct arena arena;
	struct lserr err;
	ls_time since;
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Under no lock: the outcome of evaluating one ticket goes into the heap and stats. */
static void record(struct worker *w, int64_t ticket, ls_time due_at, int r, const struct sla_fire_result *res,
                   ls_time now)
{
	struct timers *t = w->t;
	pthread_mutex_lock(&t->mu);
	t->stats.evaluations++;
	if (r < 0) {
		t->stats.errors++;
		/* try again in a minute rather than never */
		set_deadline(t, ticket, now + 60, 0);
	} else {
		set_deadline(t, ticket, res->next, res->due);
		t->stats.fired += res->fired;
	}
	if (due_at) {
		double late = now_ms() - (double)due_at * 1e3;
		static const double bounds[] = {1, 5, 10, 50, 100, 500, 1000};
		size_t b = 0;
		while (b < 7 && late >= bounds[b])
			b++;
		t->stats.latency_buckets[b]++;
		t->stats.latency_last_ms = late;
		t->stats.latency_sum_ms += late;
		t->stats.deadlines++;
		if (late > t->stats.latency_max_ms)
			t->stats.latency_max_ms = late;
	}
	pthread_mutex_unlock(&t->mu);
	if (r < 0)
		log_error("sla timer: ticket %lld: %s", (long long)ticket, w->err.message);
}

static void evaluate(struct worker *w, int64_t ticket, ls_time due_at)
{
	arena_reset(&w->arena);
	lserr_clear(&w->err);
	struct svc s = {.st = w->st, .arena = &w->arena, .actor = &actor_system, .now = time_now(), .err = &w->err};
	struct sla_fire_result res;
	int r = sla_fire(&s, ticket, w->since, &res);
	record(w, ticket, due_at, r, &res, s.now);
	if (r == 0 && res.fired && w->t->on_fired)
		w->t->on_fired(w->t->ctx);
}

#define FIRE_BATCH 256

/* Deadlines that fell due together: one transaction, one disk sync for all of them
 * (falling back to one by one when the batch fails). */
static void evaluate_due(struct worker *w, const struct node *nodes, size_t n)
{
	if (n == 1) {
		evaluate(w, nodes[0].ticket, nodes[0].at);
		return;
	}
	int64_t ids[FIRE_BATCH];
	struct sla_fire_result res[FIRE_BATCH];
	for (size_t i = 0; i < n; i++)
		ids[i] = nodes[i].ticket;
	arena_reset(&w->arena);
	lserr_clear(&w->err);
	struct svc s = {.st = w->st, .arena = &w->arena, .actor = &actor_system, .now = time_now(), .err = &w->err};
	if (sla_fire_batch(&s, ids, n, w->since, res) < 0) {
		for (size_t i = 0; i < n; i++)
			evaluate(w, nodes[i].ticket, nodes[i].at);
		return;
	}
	unsigned fired = 0;
	for (size_t i = 0; i < n; i++) {
		record(w, nodes[i].ticket, nodes[i].at, 0, &res[i], s.now);
		fired += res[i].fired;
	}
	if (fired && w->t->on_fired)
		w->t->on_fired(w->t->ctx);
}

static void rebuild(struct worker *w)
{
	double t0 = now_ms();
	int64_t ids[1000], after = 0;
	size_t n, total = 0;
	do {
		arena_reset(&w->arena);
		struct svc s = {
		        .st = w->st, .arena = &w->arena, .actor = &actor_system, .now = time_now(), .err = &w->err};
		if (sla_open_tickets(&s, after, 1000, ids, &n) < 0) {
			log_error("sla timer: %s", w->err.message);
			break;
		}
		for (size_t i = 0; i < n; i++)
			evaluate(w, ids[i], 0);
		total += n;
		if (n)
			after = ids[n - 1];
		pthread_mutex_lock(&w->t->mu);
		bool stop = w->t->stop;
		pthread_mutex_unlock(&w->t->mu);
		if (stop)
			return;
	} while (n == 1000);
	pthread_mutex_lock(&w->t->mu);
	w->t->stats.rebuilt = true;
	w->t->stats.rebuilt_tickets = total;
	w->t->stats.rebuilt_in_ms = (ls_time)(now_ms() - t0);
	pthread_mutex_unlock(&w->t->mu);
	log_info("sla timer: watching %zu of %zu open tickets after %.0f ms", w->t->stats.watched, total,
	         now_ms() - t0);
}

static void *thread_main(void *arg)
{
	struct timers *t = arg;
	struct worker w = {.t = t};
	arena_init(&w.arena);
	struct lserr e;
	if (store_open(t->db_path, 0, &w.st, &e) < 0) {
		log_error("sla timer: cannot open the database: %s", e.message);
		arena_release(&w.arena);
		return NULL;
	}
	{
		struct svc s = {
		        .st = w.st, .arena = &w.arena, .actor = &actor_system, .now = time_now(), .err = &w.err};
		if (sla_fire_since(&s, &w.since) < 0) {
			log_error("sla timer: %s", w.err.message);
			w.since = s.now;
		}
	}
	rebuild(&w);

	int64_t *batch = NULL;
	size_t batch_cap = 0;
	pthread_mutex_lock(&t->mu);
	while (!t->stop) {
		if (t->dirty_n) {
			/* take the touched tickets; evaluate them without the lock */
			int64_t *d = t->dirty;
			size_t n = t->dirty_n, dcap = t->dirty_cap;
			t->dirty = batch;
			t->dirty_cap = batch_cap;
			t->dirty_n = 0;
			batch = d;
			batch_cap = dcap;
			pthread_mutex_unlock(&t->mu);
			for (size_t i = 0; i < n; i++)
				evaluate(&w, d[i], 0);
			pthread_mutex_lock(&t->mu);
			continue;
		}
		while (t->heap_n && !node_live(t, &t->heap[0]))
			heap_pop(t);
		ls_time now = time_now();
		if (t->heap_n && t->heap[0].at <= now) {
			struct node due[FIRE_BATCH];
			size_t n = 0;
			while (n < FIRE_BATCH && t->heap_n && t->heap[0].at <= now) {
				if (node_live(t, &t->heap[0]))
					due[n++] = t->heap[0];
				heap_pop(t);
			}
			pthread_mutex_unlock(&t->mu);
			evaluate_due(&w, due, n);
			pthread_mutex_lock(&t->mu);
			continue;
		}
		if (t->heap_n) {
			struct timespec until = {.tv_sec = (time_t)t->heap[0].at, .tv_nsec = 0};
			pthread_cond_timedwait(&t->cond, &t->mu, &until);
		} else {
			pthread_cond_wait(&t->cond, &t->mu);
		}
	}
	pthread_mutex_unlock(&t->mu);
	xfree(batch);
	store_close(w.st);
	arena_release(&w.arena);
	return NULL;
}

int timers_start(const struct timers_config *cfg, struct timers **ret, struct lserr *e)
{
	struct timers *t = xcalloc(1, sizeof(*t));
	t->db_path = xstrdup(cfg->db_path);
	t->on_fired = cfg->on_fired;
	t->ctx = cfg->ctx;
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cond, NULL);
	int r = pthread_create(&t->thread, NULL, thread_main, t);
	if (r != 0) {
		xfree(t->db_path);
		xfree(t);
		return lserr_set(e, -r, "internal", NULL, "cannot start the SLA timer thread");
	}
	__atomic_store_n(&current, t, __ATOMIC_RELEASE);
	*ret = t;
	return 0;
}

struct timers *timers_stop(struct timers *t)
{
	if (!t)
		return NULL;
	__atomic_store_n(&current, NULL, __ATOMIC_RELEASE);
	pthread_mutex_lock(&t->mu);
	t->stop = true;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->mu);
	pthread_join(t->thread, NULL);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cond);
	xfree(t->slots);
	xfree(t->heap);
	xfree(t->dirty);
	xfree(t->db_path);
	xfree(t);
	return NULL;
}

void timers_touch(struct timers *t, int64_t ticket_id)
{
	pthread_mutex_lock(&t->mu);
	if (t->dirty_n == t->dirty_cap) {
		t->dirty_cap = t->dirty_cap ? t->dirty_cap * 2 : 256;
		t->dirty = xrealloc(t->dirty, t->dirty_cap * sizeof(*t->dirty));
	}
	t->dirty[t->dirty_n++] = ticket_id;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->mu);
}

void timers_stats(struct timers *t, struct timers_stats *ret)
{
	pthread_mutex_lock(&t->mu);
	*ret = t->stats;
	ret->watched = t->n;
	pthread_mutex_unlock(&t->mu);
}

struct due_item {
	ls_time due;
	int64_t ticket;
};

static int cmp_due(const void *a, const void *b)
{
	const struct due_item *x = a, *y = b;
	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	return x->ticket < y->ticket ? -1 : x->ticket > y->ticket;
}

size_t timers_due_before(struct timers *t, ls_time until, int64_t *ids, ls_time *dues, size_t max)
{
	struct due_item *v = NULL;
	size_t n = 0, cap = 0;
	pthread_mutex_lock(&t->mu);
	for (size_t i = 0; i < t->cap; i++) {
		const struct entry *e = &t->slots[i];
		if (!e->ticket || !e->due || e->due > until)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = (struct due_item){.due = e->due, .ticket = e->ticket};
	}
	pthread_mutex_unlock(&t->mu);
	if (n)
		qsort(v, n, sizeof(*v), cmp_due);
	size_t k = n < max ? n : max;
	for (size_t i = 0; i < k; i++) {
		ids[i] = v[i].ticket;
		dues[i] = v[i].due;
	}
	xfree(v);
	return k;
}
