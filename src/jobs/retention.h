/* The daily retention job of `leitstand serve`: applies every client's retention
 * rules (service/retention.h) once a day at a configured UTC time, and once at
 * start when the last complete run is more than a day old. Nothing happens while
 * no client has rules. Room: jobs. */
#pragma once
#include "core/err.h"

struct retention_job;

/* at_minute: minutes after midnight UTC (0 … 1439). */
int retention_job_start(const char *db_path, int at_minute, struct retention_job **ret, struct lserr *e);
/* Finishes a run in hand and stops. Accepts NULL; returns NULL. */
struct retention_job *retention_job_stop(struct retention_job *j);
