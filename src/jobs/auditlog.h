/* The audit flusher of `leitstand serve`: writes queued read entries of the audit
 * log (service/audit.h, audit_async) in one transaction every few milliseconds, so
 * reading personal data never waits for the database's write lock. Room: jobs. */
#pragma once
#include "core/err.h"

struct audit_flusher;

int audit_flusher_start(const char *db_path, struct audit_flusher **ret, struct lserr *e);
/* Stops queueing, writes what is queued and stops. Accepts NULL; returns NULL. */
struct audit_flusher *audit_flusher_stop(struct audit_flusher *f);
