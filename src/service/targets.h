/* KPI targets per client (traffic lights): read, replace under If-Match, and load
 * for the KPI and report computations. Room: service. Definitions in docs/kpi.md.
 * Every role that sees the client reads; admins and managers of the client write.
 * Another client's targets are not_found. */
#pragma once
#include <jansson.h>

#include "kpi/kpi_targets.h"
#include "service/svc.h"

struct target_set {
	const char *client;          /* code */
	struct kpi_targets *targets; /* in the request arena; n = 0 when none are stored */
	int64_t version;             /* 0: never stored */
	ls_time updated_at;
	const char *updated_by; /* email; NULL for the system or never stored */
};

int targets_get(struct svc *s, const char *client, struct target_set *ret);
/* Replaces the set with `targets` (checked by kpi_targets_from_json). expected 0:
 * only when nothing is stored yet; else the stored version must equal it
 * (-LS_ESTALE, version_mismatch). Returns the stored set. */
int targets_put(struct svc *s, const char *client, const json_t *targets, int64_t expected, struct target_set *ret);
/* The stored targets of a client the caller has looked up (NULL when none), in the
 * request arena. */
int targets_of_client(struct svc *s, int64_t client_id, const struct kpi_targets **ret);
