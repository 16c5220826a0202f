/* Rendering a KPI result as JSON (jansson), the shape the CLI and the API print.
 * Room: kpi. Pure formatting: no I/O.
 *
 * Shape (rates are fractions 0..1, durations in hours, NaN → null):
 *   {"tickets":N,"reopen_rate":R,"sla_compliance":R,
 *    "resolution_hours":{"mean":…,"median":…,"p90":…,"n":N},
 *    "reassigned_share":R,"reassignments_mean":…,
 *    … the further KPIs of kpi_set (solved, backlog, sla_variant, sla_source,
 *    sla_target, resolution_business_hours, resolution_business_hours_net,
 *    first_response_hours,
 *    first_response_business_hours, aht_minutes, fcr{…}, csat, nps) …,
 *    "group_by":"team","period":"month",          (only when asked for)
 *    "groups":[{"group":"Group 56","period":"2016-03", same keys as above}, …]}
 * "group" is null for tickets without a value; "period" appears only with periods.
 * When the result carries targets (kpi_result.targets) a "lights" object is added
 * to the totals and to each group (kpi_targets_add_lights). When the result carries call KPIs (kpi_result.calls) a
 * "calls" object follows last (kpi_json_calls).
 *
 * Returns a new reference the caller owns (json_decref); never NULL (jansson aborts
 * through our allocator only on out-of-memory). */
#pragma once
#include <jansson.h>

#include "kpi/kpi.h"

json_t *kpi_json_result(const struct kpi_result *r);
/* The call KPIs: {"offered":N,"answered":N,"abandoned":N,"abandonment_rate":R,
 * "service_level":R,"aht_seconds":S,"intervals":N,"abandonment_rate_excl_short":R,
 * "service_level_formula":"icmi3","service_level_threshold_seconds":T,
 * "service_level_formulas":{"icmi1":R,…,"icmi5":R,"offered":R},"asa_seconds":S,
 * "queues":N, and with queues or periods "group_by":"queue", "period":"month",
 * "groups":[{"group":QUEUE,"period":P, the same keys but queues}]}. New reference. */
struct kpi_calls;
json_t *kpi_json_calls(const struct kpi_calls *c);
/* One set's keys (without groups), for callers that build their own envelope. */
json_t *kpi_json_set(const struct kpi_set *s, enum kpi_sla_variant v);
/* A string from a foreign file as JSON: bytes that are not UTF-8 are kept as the
 * string of their code units (read as Latin-1); NULL → null. New reference. */
json_t *kpi_json_text(const char *s);
