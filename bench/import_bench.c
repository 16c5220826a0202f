/* Import and KPI benchmark: parses the UCI ServiceNow incident event log (141,712
 * rows) with the servicenow importer, computes the ServiceNow KPI set, then computes
 * every KPI over 1,000,000 synthetic canonical tickets (total, by team, by month).
 * Goals (issue 5): >= 500,000 rows/s import parsing; KPIs over 1M tickets < 1 s.
 *
 *   build-bench/import_bench [UCI_FILE] [ROUNDS]
 * UCI_FILE defaults to $LEITSTAND_SHARED_DATA/real/uci-incident-event-log/
 * incident_event_log.csv.gz, else ../shared/data/... relative to the working dir. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/rng.h"
#include "core/timeutil.h"
#include "importers/servicenow.h"
#include "kpi/kpi.h"
#include "kpi/kpi_json.h"

struct keep {
	struct arena arena;
	struct rec_ticket *t;
	size_t n, cap;
};

static int on_ticket(void *ctx, const struct rec_ticket *t)
{
	struct keep *k = ctx;
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 1024;
		k->t = xrealloc(k->t, k->cap * sizeof(*k->t));
	}
	rec_ticket_copy(&k->arena, t, &k->t[k->n++]);
	return 0;
}

static double secs(uint64_t a, uint64_t b)
{
	return (double)(b - a) / 1e9;
}

int main(int argc, char **argv)
{
	char path[1024];
	const char *env = getenv("LEITSTAND_SHARED_DATA");
	if (argc > 1)
		snprintf(path, sizeof(path), "%s", argv[1]);
	else
		snprintf(path, sizeof(path), "%s/real/uci-incident-event-log/incident_event_log.csv.gz",
		         env ? env : "../shared/data");
	int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
	if (rounds < 1)
		rounds = 1;

	struct import_options o = {0};
	struct import_stats st = {0};
	struct lserr e = {0};
	double best = 1e9, best_keep = 1e9;
	for (int r = 0; r < rounds; r++) {
		struct import_sink none = {0};
		uint64_t t0 = time_mono_ns();
		if (servicenow_import_file(path, &o, &none, &st, &e) < 0) {
			fprintf(stderr, "import_bench: %s\n", e.message);
			return 1;
		}
		double s = secs(t0, time_mono_ns());
		if (s < best)
			best = s;
	}
	struct keep k = {0};
	arena_init(&k.arena);
	for (int r = 0; r < rounds; r++) {
		arena_reset(&k.arena);
		k.n = 0;
		struct import_sink keep = {.ctx = &k, .ticket = on_ticket};
		uint64_t t0 = time_mono_ns();
		if (servicenow_import_file(path, &o, &keep, &st, &e) < 0) {
			fprintf(stderr, "import_bench: %s\n", e.message);
			return 1;
		}
		double s = secs(t0, time_mono_ns());
		if (s < best_keep)
			best_keep = s;
	}
	printf("uci import (gzip, tickets discarded): %zu rows, %zu incidents, %zu bad rows in %.3f s = %.0f rows/s "
	       "(best of %d)\n",
	       st.rows, st.tickets, st.bad_rows, best, (double)st.rows / best, rounds);
	printf("uci import (gzip, tickets copied):    %.3f s = %.0f rows/s\n", best_keep, (double)st.rows / best_keep);
	struct import_options oe = {.events = true};
	uint64_t t0 = time_mono_ns();
	servicenow_import_file(path, &oe, &(struct import_sink){0}, &st, &e);
	printf("uci import with events:               %.3f s, %zu events\n", secs(t0, time_mono_ns()), st.events);

	struct kpi_options ko = {0};
	struct kpi_result res;
	t0 = time_mono_ns();
	kpi_compute(k.t, k.n, &ko, &res, &e);
	double ks = secs(t0, time_mono_ns());
	json_t *j = kpi_json_result(&res);
	char *txt = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6));
	printf("uci kpis (%.4f s): %.200s...\n", ks, txt);
	free(txt); /* jansson's own allocation */
	json_decref(j);
	kpi_result_release(&res);

	/* 1,000,000 synthetic tickets over two years, 40 teams, 400 agents */
	const size_t N = 1000000;
	struct rec_ticket *syn = xcalloc(N, sizeof(*syn));
	static char teams[40][16], agents[400][16], cats[30][16];
	for (int i = 0; i < 40; i++)
		snprintf(teams[i], sizeof(teams[i]), "Team %d", i);
	for (int i = 0; i < 400; i++)
		snprintf(agents[i], sizeof(agents[i]), "Agent %d", i);
	for (int i = 0; i < 30; i++)
		snprintf(cats[i], sizeof(cats[i]), "Cat %d", i);
	struct rng rng;
	rng_seed(&rng, 42);
	ls_time base = 1704067200; /* 2024-01-01 */
	for (size_t i = 0; i < N; i++) {
		struct rec_ticket *t = &syn[i];
		rec_ticket_init(t);
		t->source = "synthetic";
		t->team = teams[rng_next(&rng) % 40];
		t->agent = agents[rng_next(&rng) % 400];
		t->category = cats[rng_next(&rng) % 30];
		t->channel = "email";
		t->priority = (int)(rng_next(&rng) % 4) + 1;
		t->opened_at = base + (ls_time)(rng_next(&rng) % (730 * 86400));
		t->first_response_at = t->opened_at + (ls_time)(rng_next(&rng) % 36000);
		if (rng_next(&rng) % 10 != 0)
			t->resolved_at = t->opened_at + (ls_time)(rng_next(&rng) % (20 * 86400));
		t->reopen_count = rng_next(&rng) % 20 == 0;
		t->reassignment_count = (int)(rng_next(&rng) % 4);
		t->agent_replies = (int)(rng_next(&rng) % 4);
		t->made_sla = (int)(rng_next(&rng) % 5 != 0);
		t->effort_minutes = (double)(rng_next(&rng) % 120);
		if (rng_next(&rng) % 3 == 0)
			t->csat = (double)(rng_next(&rng) % 5 + 1);
	}
	static const struct {
		const char *name;
		enum kpi_dim dim;
		enum kpi_period period;
	} runs[] = {
	        {"total", KPI_DIM_NONE, KPI_PERIOD_NONE},
	        {"by team", KPI_DIM_TEAM, KPI_PERIOD_NONE},
	        {"by agent", KPI_DIM_AGENT, KPI_PERIOD_NONE},
	        {"by month", KPI_DIM_NONE, KPI_PERIOD_MONTH},
	        {"by team and ISO week", KPI_DIM_TEAM, KPI_PERIOD_WEEK},
	};
	for (size_t r = 0; r < ELEMENTSOF(runs); r++) {
		struct kpi_options so = {.group_by = runs[r].dim, .period = runs[r].period};
		double b = 1e9;
		size_t ng = 0;
		for (int i = 0; i < 3; i++) {
			t0 = time_mono_ns();
			kpi_compute(syn, N, &so, &res, &e);
			double s = secs(t0, time_mono_ns());
			if (s < b)
				b = s;
			ng = res.n_groups;
			kpi_result_release(&res);
		}
		printf("kpis over 1,000,000 tickets, %-22s %.3f s (%zu groups, best of 3)\n", runs[r].name, b, ng);
	}
	xfree(syn);
	xfree(k.t);
	arena_release(&k.arena);
	return 0;
}
