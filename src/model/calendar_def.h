/* A stored business-calendar definition: one version of a client's calendar.
 * Room: model. The engine in calendar/ compiles it; the store keeps every version.
 * Strings are owned by whoever loaded the struct (an arena). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/timeutil.h"

struct calendar_def {
	int64_t id;
	int64_t client_id;
	const char *client_code;
	const char *code;
	const char *name;
	int64_t version;         /* of this definition */
	int64_t current_version; /* the calendar's newest version */
	const char *timezone;
	const char *hours;
	const char *holidays; /* region code or "none" */
	const char **closed;  /* "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD" */
	size_t n_closed;
	const char **open; /* "YYYY-MM-DD[ HH:MM-HH:MM …]" */
	size_t n_open;
	const char *holidays_version;
	ls_time created_at;         /* of the calendar */
	ls_time version_created_at; /* of this version */
	const char *version_created_by;
};
