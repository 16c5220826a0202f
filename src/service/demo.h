/* Demo data: a realistic, deterministic operation to explore and benchmark.
 * Room: service.
 *
 * Three client companies, five teams, about 25 agents, and tickets over the
 * months before `now`, with arrivals following weekday and hour-of-day patterns,
 * replies, internal notes, reassignments, pending periods, reopenings and effort
 * entries, all written through the ticket services with an injected clock so
 * that every history event is true to its time. The same seed and `now` give
 * the same data. */
#pragma once
#include <stdint.h>

#include "service/svc.h"

struct demo_options {
	uint64_t seed;
	unsigned tickets; /* total over the period (default 20000) */
	unsigned months;  /* history length (default 6) */
	ls_time now;      /* end of the period */
	/* progress callback: done of total tickets; may be NULL */
	void (*progress)(unsigned done, unsigned total, void *ctx);
	void *progress_ctx;
};

struct demo_result {
	unsigned clients, teams, users, tickets, messages, efforts, reopened;
	const char *admin_email;
};

/* Fills an empty database (no clients yet; -EEXIST otherwise). */
int demo_generate(struct svc *s, const struct demo_options *o, struct demo_result *ret);
