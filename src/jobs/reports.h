/* The report worker of `leitstand serve`: queues a run for every report
 * subscription whose scheduled instant has come, produces the report of the period
 * that just ended through the report service, stores it, and mails it over SMTP
 * (jobs/mail.h); a failed delivery is retried with the webhook backoff
 * (webhook_next_attempt()) for 24 hours and then marked failed. Room: jobs.
 *
 * Subscriptions and runs are rows (service/report_subs.h): a due instant that passed
 * while the server was down is made up once at start, a run that was being
 * produced or sent when the process died is picked up again. One thread with its
 * own store connection; it sleeps until the earliest next run or retry, at most a
 * minute, or until kicked (a manual run, a changed subscription). */
#pragma once
#include <stdint.h>

#include "core/err.h"

struct report_worker_config {
	const char *db_path;
	const char *smtp_url;      /* NULL: reports are stored, not mailed */
	const char *smtp_from;     /* required with smtp_url */
	const char *smtp_user;     /* NULL: no authentication */
	const char *smtp_password; /* with smtp_user */
	int64_t retry_base;        /* seconds before the first retry; <= 0: the webhook default */
};

struct report_worker;

int report_worker_start(const struct report_worker_config *cfg, struct report_worker **ret, struct lserr *e);
/* Finishes the run in hand and stops. Accepts NULL; returns NULL. */
struct report_worker *report_worker_stop(struct report_worker *w);
/* Something may be due now. */
void report_worker_kick(struct report_worker *w);
/* The running instance, or NULL. */
struct report_worker *report_worker_current(void);
