/* Importing a client's ticket history from its old tools. Room: service.
 * One file is one transaction: a failed or aborted import leaves nothing behind,
 * and re-importing the same file changes nothing (tickets are keyed by their
 * source id; a newer export replaces their values and events; ACD intervals are
 * keyed by queue and start). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "importers/import.h"
#include "service/svc.h"

#define IMPORTS_MAX_REPORTED 20 /* bad rows reported by line; the rest are counted */

struct import_request {
	const char *source;      /* "servicenow" */
	const char *client;      /* client code */
	const char *path;        /* plain or gzip */
	const char *tz;          /* zone of stamps without one; NULL: UTC */
	const char *mapping;     /* csv: a preset name or a mapping file (importers/csvmap.h) */
	int interval_seconds;    /* acd: length of intervals the file does not state; 0 infers */
	size_t max_errors;       /* bad rows tolerated; 0: none */
	bool events;             /* keep the change events too (default true) */
	void (*progress)(size_t rows, void *ctx); /* may be NULL; called every few thousand rows */
	void *progress_ctx;
};

struct import_bad_row {
	unsigned line;
	const char *reason;
};

struct import_summary {
	int64_t import_id;
	struct import_stats stats;
	size_t new_tickets, updated_tickets;
	size_t new_intervals, updated_intervals; /* acd */
	struct import_bad_row bad[IMPORTS_MAX_REPORTED];
	size_t n_bad;            /* reported in bad[] */
};

/* The sources this build can read, NULL-terminated. */
extern const char *const imports_sources[];

int imports_run(struct svc *s, const struct import_request *rq, struct import_summary *ret);
