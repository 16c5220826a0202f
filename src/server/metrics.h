/* Request counters and latency histograms for /metrics (Prometheus text format).
 * Room: server. Lock-free: relaxed atomic increments from every worker thread. */
#pragma once
#include <stdint.h>

#include "core/strbuf.h"

void metrics_init(unsigned n_routes);
void metrics_free(void);
/* route_index -1: unmatched path. */
void metrics_record(int route_index, unsigned status, uint64_t latency_ns);
void metrics_render(struct strbuf *out);
