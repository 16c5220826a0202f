/* Report subscriptions of a client, their runs (the delivery log), the produced
 * report files, and the production step of the report worker. Room: service.
 *
 * A subscription names a report (kind weekly|monthly|quarterly, format
 * html|pdf|xlsx, lang de|en), its recipients (1 to LS_MAX_REPORT_RECIPIENTS email
 * addresses) and a schedule (calendar/schedule.h) in a time zone (default
 * Europe/Berlin) with the working days of a holiday region (default: the region of
 * the client's first business calendar, else DE). CSV is refused: a CSV report is
 * one file per table, not one file to attach or download. Admins and managers read
 * and write; another client's subscription is not_found. Changes need the version
 * (If-Match).
 *
 * A run produces the report of the period that ended before its instant (the
 * previous ISO week, month or quarter in the subscription's zone) through
 * reports_build(), exactly what `leitstand report` makes, and stores it as a
 * report file; the worker (jobs/reports) then mails it. A report file is readable
 * by every role that sees its client. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/report_sub.h"
#include "service/svc.h"

struct report_sub_input {
	const char *client;            /* code; create only */
	const char *kind;              /* required on create */
	const char *format;            /* default pdf */
	const char *lang;              /* default de */
	const char *const *recipients; /* required on create */
	size_t n_recipients;
	const char *schedule; /* required on create */
	const char *timezone; /* default Europe/Berlin */
	const char *holidays; /* region code; default see above */
	int active;           /* default true */
};

enum report_sub_patch_field {
	REPORT_SUB_PATCH_KIND = 1 << 0,
	REPORT_SUB_PATCH_FORMAT = 1 << 1,
	REPORT_SUB_PATCH_LANG = 1 << 2,
	REPORT_SUB_PATCH_RECIPIENTS = 1 << 3,
	REPORT_SUB_PATCH_SCHEDULE = 1 << 4,
	REPORT_SUB_PATCH_TIMEZONE = 1 << 5,
	REPORT_SUB_PATCH_HOLIDAYS = 1 << 6,
	REPORT_SUB_PATCH_ACTIVE = 1 << 7,
};

int report_subs_create(struct svc *s, const struct report_sub_input *in, struct report_sub *ret);
int report_subs_get(struct svc *s, int64_t id, struct report_sub *ret);
/* client NULL: every visible client. */
int report_subs_list(struct svc *s, const char *client, struct report_sub **ret, size_t *ret_n);
int report_subs_update(struct svc *s, int64_t id, int64_t expected_version, unsigned fields,
                       const struct report_sub_input *in, struct report_sub *ret);
int report_subs_delete(struct svc *s, int64_t id);
/* The runs, newest first: ids below before (0: from the newest), at most limit. */
int report_subs_runs(struct svc *s, int64_t id, int64_t before, size_t limit, struct report_run **ret, size_t *ret_n);
/* Queues a run now (trigger manual) for period (NULL: the period that ended before
 * now in the subscription's zone); an inactive subscription may run too. */
int report_subs_run_now(struct svc *s, int64_t id, const char *period, struct report_run *ret);
/* A produced report with its bytes; not_found unless the actor sees its client. */
int report_subs_file(struct svc *s, int64_t id, struct report_file *ret);

/* The label of the period of a report kind ("weekly", …) that ended before instant
 * t in zone tzname ("2026-W43", "2026-10", "2026-Q3") into buf (n >= 16). */
int report_subs_period_before(const char *kind, const char *tzname, ls_time t, char *buf, size_t n, struct lserr *e);

/* ---- for the report worker (actor_system) ---- */

/* Queues one run for each active subscription due at s->now, at most limit, and
 * moves each one's next run to its first scheduled instant after s->now (a run
 * missed while the server was down is made up once). *ret_n: runs queued. */
int report_subs_queue_due(struct svc *s, size_t limit, size_t *ret_n);
/* Produces and stores the report of a queued run: on success the run is sending
 * (mail = true) or stored, with report_id set, and *ret_file, *ret_sub describe
 * them; on failure the run is failed with the error and the error returned. */
int report_subs_produce(struct svc *s, struct report_run *run, bool mail, struct report_sub *ret_sub,
                        struct report_file *ret_file);
/* Writes the run's state, attempts, instants and error (after a delivery attempt). */
int report_subs_record(struct svc *s, const struct report_run *run);
