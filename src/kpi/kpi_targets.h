/* KPI targets of a client and their traffic lights. Room: kpi (pure: no I/O).
 *
 * A target set maps KPI keys of the kpi JSON (kpi_json.h) to a target: "key" is a
 * top-level number ("sla_compliance", "reopen_rate", "csat") or a dotted path to a
 * number inside one ("resolution_hours.median", "fcr.canonical",
 * "sla_source.value"). Each has green and amber thresholds and a direction:
 *   better = higher: green when value >= green, amber when value >= amber, else red;
 *   better = lower:  green when value <= green, amber when value <= amber, else red.
 * A threshold is met when the value equals it. A KPI that is null has no light.
 *
 * JSON form (what the API stores and returns):
 *   {"sla_compliance":{"target":0.95,"green":0.95,"amber":0.90,"better":"higher"}, …}
 * "target" is optional and defaults to green (it is the figure shown as the goal).
 *
 * Ownership: plain values; any thread. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define KPI_MAX_TARGETS 64

enum kpi_light {
	KPI_LIGHT_GREEN,
	KPI_LIGHT_AMBER,
	KPI_LIGHT_RED,
	_KPI_LIGHT_MAX,
	KPI_LIGHT_NONE = -1,
};

struct kpi_target {
	char key[48];
	double target, green, amber;
	bool lower_is_better;
};

struct kpi_targets {
	struct kpi_target t[KPI_MAX_TARGETS];
	size_t n;
};

/* "green", "amber", "red"; NULL for KPI_LIGHT_NONE. */
const char *kpi_light_to_string(enum kpi_light l);
/* The light of value v (NaN: KPI_LIGHT_NONE). */
enum kpi_light kpi_light_of(const struct kpi_target *t, double v);

/* Parses and checks a target set (strict: unknown keys and fields are errors).
 * Returns 0 and *ret, or -EINVAL with e naming the field ("sla_compliance.amber",
 * "nps.better", or the unknown KPI key) and code "invalid_field". */
int kpi_targets_from_json(const json_t *o, struct kpi_targets *ret, struct lserr *e);
/* The JSON form (every field written out). New reference. */
json_t *kpi_targets_to_json(const struct kpi_targets *t);

/* The number at a key of a kpi JSON object (dotted for nested objects); NaN when
 * it is null or missing. */
double kpi_targets_value(const json_t *kpi, const char *key);
/* Adds "lights":{"key":"green",…} to the kpi JSON object and to each element of its
 * "groups" array, for the keys of t whose value is not null (an empty object when
 * none). Nothing else is changed. No-op when t is NULL or empty. */
void kpi_targets_add_lights(json_t *kpi, const struct kpi_targets *t);
