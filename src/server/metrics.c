/* Prometheus metrics (see metrics.h). Room: server.
 * Counters are kept per route and status code; the histogram per route uses
 * fixed buckets from 100 µs to 1 s. The metric arrays are allocated once at
 * start-up and only ever incremented. */
#include "server/metrics.h"

#include "jobs/timers.h"

#include <stdatomic.h>
#include <string.h>

#include "core/alloc.h"
#include "server/router.h"

static const unsigned statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 412, 413, 415, 428, 500, 503};
#define N_STATUS (sizeof(statuses) / sizeof(statuses[0]))
static const double bucket_s[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0};
#define N_BUCKET (sizeof(bucket_s) / sizeof(bucket_s[0]))

struct route_metrics {
	_Atomic uint64_t by_status[N_STATUS + 1]; /* last: any other status */
	_Atomic uint64_t buckets[N_BUCKET];       /* non-cumulative; summed when rendered */
	_Atomic uint64_t count;
	_Atomic uint64_t sum_ns;
};

static struct route_metrics *per_route; /* n_routes + 1, the last for unmatched paths */
static unsigned n_slots;

void metrics_init(unsigned n_routes)
{
	if (per_route)
		return;
	n_slots = n_routes + 1;
	per_route = xcalloc(n_slots, sizeof(*per_route));
}

void metrics_free(void)
{
	xfree(per_route);
	per_route = NULL;
}

void metrics_record(int route_index, unsigned status, uint64_t latency_ns)
{
	if (!per_route)
		return;
	struct route_metrics *m = &per_route[route_index < 0 ? n_slots - 1 : (unsigned)route_index];
	unsigned si = N_STATUS;
	for (unsigned i = 0; i < N_STATUS; i++)
		if (statuses[i] == status)
			si = i;
	atomic_fetch_add_explicit(&m->by_status[si], 1, memory_order_relaxed);
	double s = (double)latency_ns / 1e9;
	for (unsigned b = 0; b < N_BUCKET; b++)
		if (s <= bucket_s[b]) {
			atomic_fetch_add_explicit(&m->buckets[b], 1, memory_order_relaxed);
			break;
		}
	atomic_fetch_add_explicit(&m->count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->sum_ns, latency_ns, memory_order_relaxed);
}

static void route_labels(struct strbuf *out, unsigned i)
{
	if (i == n_slots - 1)
		strbuf_adds(out, "method=\"\",route=\"unmatched\"");
	else
		strbuf_addf(out, "method=\"%s\",route=\"%s\"", routes[i].method, routes[i].pattern);
}

void metrics_render(struct strbuf *out)
{
	if (!per_route)
		return;
	strbuf_adds(out, "# HELP leitstand_http_requests_total HTTP requests by route and status code.\n"
	                 "# TYPE leitstand_http_requests_total counter\n");
	for (unsigned i = 0; i < n_slots; i++)
		for (unsigned si = 0; si <= N_STATUS; si++) {
			uint64_t v = atomic_load_explicit(&per_route[i].by_status[si], memory_order_relaxed);
			if (!v)
				continue;
			strbuf_adds(out, "leitstand_http_requests_total{");
			route_labels(out, i);
			if (si < N_STATUS)
				strbuf_addf(out, ",code=\"%u\"} %llu\n", statuses[si], (unsigned long long)v);
			else
				strbuf_addf(out, ",code=\"other\"} %llu\n", (unsigned long long)v);
		}
	strbuf_adds(out, "# HELP leitstand_http_errors_total HTTP responses with status 400 or above.\n"
	                 "# TYPE leitstand_http_errors_total counter\n");
	for (unsigned i = 0; i < n_slots; i++) {
		uint64_t err = 0;
		for (unsigned si = 0; si <= N_STATUS; si++)
			if (si == N_STATUS || statuses[si] >= 400)
				err += atomic_load_explicit(&per_route[i].by_status[si], memory_order_relaxed);
		if (!err)
			continue;
		strbuf_adds(out, "leitstand_http_errors_total{");
		route_labels(out, i);
		strbuf_addf(out, "} %llu\n", (unsigned long long)err);
	}
	strbuf_adds(out, "# HELP leitstand_http_request_duration_seconds Time from request start to response.\n"
	                 "# TYPE leitstand_http_request_duration_seconds histogram\n");
	for (unsigned i = 0; i < n_slots; i++) {
		uint64_t count = atomic_load_explicit(&per_route[i].count, memory_order_relaxed);
		if (!count)
			continue;
		uint64_t cum = 0;
		for (unsigned b = 0; b < N_BUCKET; b++) {
			cum += atomic_load_explicit(&per_route[i].buckets[b], memory_order_relaxed);
			strbuf_adds(out, "leitstand_http_request_duration_seconds_bucket{");
			route_labels(out, i);
			strbuf_addf(out, ",le=\"%g\"} %llu\n", bucket_s[b], (unsigned long long)cum);
		}
		strbuf_adds(out, "leitstand_http_request_duration_seconds_bucket{");
		route_labels(out, i);
		strbuf_addf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)count);
		strbuf_adds(out, "leitstand_http_request_duration_seconds_sum{");
		route_labels(out, i);
		strbuf_addf(out, "} %.6f\n",
		            (double)atomic_load_explicit(&per_route[i].sum_ns, memory_order_relaxed) / 1e9);
		strbuf_adds(out, "leitstand_http_request_duration_seconds_count{");
		route_labels(out, i);
		strbuf_addf(out, "} %llu\n", (unsigned long long)count);
	}
	struct timers *tm = timers_current();
	if (!tm)
		return;
	struct timers_stats st;
	timers_stats(tm, &st);
	strbuf_addf(out,
	            "# HELP leitstand_sla_timer_watched Tickets with an SLA deadline ahead\n"
	            "# TYPE leitstand_sla_timer_watched gauge\nleitstand_sla_timer_watched %zu\n"
	            "# HELP leitstand_sla_timer_fired_total SLA events written (warnings, breaches, escalations)\n"
	            "# TYPE leitstand_sla_timer_fired_total counter\nleitstand_sla_timer_fired_total %llu\n"
	            "# HELP leitstand_sla_timer_errors_total Ticket evaluations that failed\n"
	            "# TYPE leitstand_sla_timer_errors_total counter\nleitstand_sla_timer_errors_total %llu\n"
	            "# HELP leitstand_sla_timer_lateness_seconds_max Worst lateness of a deadline since start\n"
	            "# TYPE leitstand_sla_timer_lateness_seconds_max gauge\n"
	            "leitstand_sla_timer_lateness_seconds_max %.3f\n",
	            st.watched, (unsigned long long)st.fired, (unsigned long long)st.errors, st.latency_max_ms / 1e3);
	static const char *const le[] = {"0.001", "0.005", "0.01", "0.05", "0.1", "0.5", "1", "+Inf"};
	strbuf_adds(out, "# HELP leitstand_sla_timer_lateness_seconds How late deadlines fired\n"
	                 "# TYPE leitstand_sla_timer_lateness_seconds histogram\n");
	uint64_t cum = 0;
	for (size_t b = 0; b < 8; b++) {
		cum += st.latency_buckets[b];
		strbuf_addf(out, "leitstand_sla_timer_lateness_seconds_bucket{le=\"%s\"} %llu\n", le[b],
		            (unsigned long long)cum);
	}
	strbuf_addf(out,
	            "leitstand_sla_timer_lateness_seconds_sum %.6f\nleitstand_sla_timer_lateness_seconds_count %llu\n",
	            st.latency_sum_ms / 1e3, (unsigned long long)st.deadlines);
}
