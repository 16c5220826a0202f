/* Business calendars of a client: create, read, list, change (as a new version),
 * version history, compile for computation, and the holiday lists. Room: service.
 *
 * A calendar is identified by its client and code. Every change writes a new
 * immutable version; whatever was computed with an older version (an SLA target)
 * keeps referring to it and can be recomputed exactly. A definition is accepted
 * only if the calendar engine compiles it, so errors name the field (timezone,
 * hours, holidays, closed_days, open_days). Reads follow the tenant rules of
 * tickets: another client's calendar is not_found. */
#pragma once
#include <stddef.h>

#include "calendar/calendar.h"
#include "calendar/holidays.h"
#include "model/calendar_def.h"
#include "service/svc.h"

struct calendar_input {
	const char *client; /* code; create only */
	const char *code;   /* create only */
	const char *name;
	const char *timezone; /* default Europe/Berlin */
	const char *hours;    /* required on create */
	const char *holidays; /* region or "none"; default "none" */
	const char *const *closed;
	size_t n_closed;
	const char *const *open;
	size_t n_open;
};

enum calendar_patch_field {
	CAL_PATCH_NAME = 1 << 0,
	CAL_PATCH_TIMEZONE = 1 << 1,
	CAL_PATCH_HOURS = 1 << 2,
	CAL_PATCH_HOLIDAYS = 1 << 3,
	CAL_PATCH_CLOSED = 1 << 4,
	CAL_PATCH_OPEN = 1 << 5,
};

int calendars_create(struct svc *s, const struct calendar_input *in, struct calendar_def *ret);
/* version 0: the current version. */
int calendars_get(struct svc *s, const char *client, const char *code, int64_t version, struct calendar_def *ret);
/* client NULL: every visible client. */
int calendars_list(struct svc *s, const char *client, struct calendar_def **ret, size_t *ret_n);
/* Writes version expected_version + 1 with the fields named in `fields` changed.
 * -LS_ESTALE (version_mismatch) when the calendar has moved on meanwhile. */
int calendars_update(struct svc *s, const char *client, const char *code, int64_t expected_version, unsigned fields,
                     const struct calendar_input *in, struct calendar_def *ret);
int calendars_versions(struct svc *s, const char *client, const char *code, struct calendar_def **ret, size_t *ret_n);
/* Compiles a stored definition for the local years first..last (0, 0: the engine's
 * whole range). The caller frees the result with calendar_free(). */
int calendars_compile(struct svc *s, const struct calendar_def *d, int first_year, int last_year,
                      struct calendar **ret);

/* The holiday days of a region and year (out: HOLIDAYS_MAX_PER_YEAR entries). */
int calendars_holidays(struct svc *s, const char *region, int year, struct holiday *out, size_t *ret_n);

/* Business seconds of a stored calendar version in [from, to). */
int calendars_elapsed(struct svc *s, const char *client, const char *code, int64_t version, ls_time from, ls_time to,
                      int64_t *ret_seconds);
/* The instant at which `seconds` of business time have passed since from; its local
 * RFC 3339 form with the zone's offset goes to buf. */
int calendars_due(struct svc *s, const char *client, const char *code, int64_t version, ls_time from, int64_t seconds,
                  ls_time *ret_due, char *buf, size_t n);
