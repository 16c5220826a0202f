/* Importing a client's ticket history from its old tools. Room: service.
 * One file is one transaction: a failed or aborted import leaves nothing behind,
 * and re-importing the same file changes nothing (tickets are keyed by their
 * source id; a newer export replaces their values and events; ACD intervals are
 * keyed by queue and start). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "importers/import.h"
#include "model/jobs.h"
#include "service/svc.h"

#define IMPORTS_MAX_REPORTED 20 /* bad rows reported by line; the rest are counted */

struct import_request {
	const char *source;                       /* "servicenow" */
	const char *client;                       /* client code */
	const char *path;                         /* plain or gzip */
	const char *tz;                           /* zone of stamps without one; NULL: UTC */
	const char *mapping;                      /* csv: a preset name or a mapping file (importers/csvmap.h) */
	int interval_seconds;                     /* acd: length of intervals the file does not state; 0 infers */
	size_t max_errors;                        /* bad rows tolerated; 0: none */
	bool events;                              /* keep the change events too (default true) */
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
	size_t n_bad; /* reported in bad[] */
};

/* The sources this build can read, NULL-terminated. */
extern const char *const imports_sources[];

int imports_run(struct svc *s, const struct import_request *rq, struct import_summary *ret);

/* ---- imports uploaded over HTTP, run as jobs ---- */

struct import_job_input {
	const char *client, *source;
	const char *tz;       /* NULL: UTC */
	const char *mapping;  /* csv: a preset name (files are not read on behalf of a web user) */
	int interval_seconds; /* acd */
	size_t max_errors;
	bool events;
	const char *file; /* the upload, already on disk and synced */
	int64_t bytes;
};

/* Queues an import of an uploaded file (admins and managers of the client). The
 * options are checked now, so a bad one fails the upload rather than the job. */
int imports_job_submit(struct svc *s, const struct import_job_input *in, struct import_job *ret);
int imports_job_get(struct svc *s, int64_t id, struct import_job *ret);
/* A client's jobs, newest first (at most 100). */
int imports_job_list(struct svc *s, const char *client, struct import_job **ret, size_t *ret_n);

/* For the import worker (jobs/), as the system: */
int imports_job_requeue(struct svc *s);
/* The oldest queued job, now running; -ENOENT when none. */
int imports_job_claim(struct svc *s, struct import_job *ret);
/* Runs a claimed job to the end and records its result (done) or error (failed);
 * returns 0 unless recording itself failed. The uploaded file is removed. */
int imports_job_run(struct svc *s, const struct import_job *j, void (*progress)(size_t rows, void *ctx), void *ctx);
