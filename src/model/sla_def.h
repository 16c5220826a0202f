/* A stored SLA policy: one version of a client's policy. Room: model.
 * The definition is the policy JSON the engine in sla/ parses (policy_parse());
 * the store keeps every version. Strings are owned by whoever loaded the struct
 * (an arena). */
#pragma once
#include <stdint.h>

#include "core/timeutil.h"

struct sla_def {
	int64_t id;
	int64_t client_id;
	const char *client_code;
	const char *code;
	const char *name;
	int64_t sort_order;         /* the definition's "order": the lower wins */
	int64_t version;            /* of this definition */
	int64_t current_version;    /* the policy's newest version */
	const char *definition;     /* JSON text */
	ls_time created_at;         /* of the policy */
	ls_time version_created_at; /* of this version */
	const char *version_created_by;
	ls_time retired_at; /* 0: in use */
};
