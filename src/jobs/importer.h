/* The import worker of `leitstand serve`: runs imports uploaded over HTTP
 * (POST /api/v1/imports) one at a time, oldest first. Room: jobs.
 *
 * Jobs are rows (service/imports.h), so a queued job survives a restart; a job that
 * was running when the process died is queued again at start (the import is one
 * transaction, so nothing of it was stored). Progress (rows read) is kept in memory
 * for the running job. One thread, its own store connection; an import holds the
 * database's write lock for its transaction, so other writers wait for it (about
 * half a second for the 141,712-row UCI log). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct import_worker;

int import_worker_start(const char *db_path, struct import_worker **ret, struct lserr *e);
/* Waits for a running import to finish. Accepts NULL; returns NULL. */
struct import_worker *import_worker_stop(struct import_worker *w);
/* A job was queued. */
void import_worker_kick(struct import_worker *w);
/* The running instance, or NULL. */
struct import_worker *import_worker_current(void);
/* Rows read so far when job_id is the one running now. */
bool import_worker_progress(struct import_worker *w, int64_t job_id, size_t *ret_rows);
