/* The SLA timer of `leitstand serve`. Room: jobs.
 *
 * One thread keeps, for every ticket with an SLA deadline ahead, the next instant
 * something happens (a warning, a breach, an escalation level: clock_next_deadline)
 * in a min-heap, sleeps until the earliest and fires it within the second through
 * sla_fire(), which writes the outbox exactly once. No sweeps, no caps: waking costs
 * O(log n) for n watched tickets.
 *
 * A ticket is (re-)evaluated when it changes (tickets_set_change_hook → timers_touch)
 * and when its deadline comes. At start the thread rebuilds the heap from every open
 * ticket in the database and fires what fell due while the server was down; the
 * outbox's fire keys make that exactly once (docs/design/0009).
 *
 * Threads: timers_touch() and the queries may be called from any thread; they take
 * the timer's mutex briefly. The timer thread owns its own store connection. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/timeutil.h"

struct timers;

struct timers_config {
	const char *db_path;
	void (*on_fired)(void *ctx); /* called after events were written (wakes the outbox); may be NULL */
	void *ctx;
};

int timers_start(const struct timers_config *cfg, struct timers **ret, struct lserr *e);
/* Stops the thread and frees everything. Accepts NULL; returns NULL. */
struct timers *timers_stop(struct timers *t);
/* The ticket changed: evaluate it again soon. */
void timers_touch(struct timers *t, int64_t ticket_id);

/* The running instance (set by timers_start, cleared by timers_stop), or NULL. */
struct timers *timers_current(void);

struct timers_stats {
	size_t watched;         /* tickets with a deadline ahead */
	uint64_t evaluations;   /* tickets evaluated since start */
	uint64_t fired;         /* events written since start */
	uint64_t errors;        /* evaluations that failed (logged) */
	double latency_max_ms;  /* worst lateness of a deadline since start */
	double latency_last_ms; /* lateness of the latest deadline */
	double latency_sum_ms;  /* over `deadlines` */
	uint64_t deadlines;     /* deadlines reached (each may fire several events) */
	/* lateness histogram: < 1, 5, 10, 50, 100, 500, 1000 ms and beyond */
	uint64_t latency_buckets[8];
	bool rebuilt;          /* the start-up pass over open tickets has finished */
	ls_time rebuilt_in_ms; /* how long it took */
	size_t rebuilt_tickets;
};
void timers_stats(struct timers *t, struct timers_stats *ret);

/* Tickets whose earliest running SLA target is due at or before `until`, soonest
 * first: at most max ids into ids[] (and their due instants into dues[]); returns how
 * many. Tenant checks are the caller's. */
size_t timers_due_before(struct timers *t, ls_time until, int64_t *ids, ls_time *dues, size_t max);
