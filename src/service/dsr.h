/* The register of data-subject requests (Art. 12 GDPR): receiving a request,
 * tracking its one-month deadline and the one extension by two further months,
 * linking the person once identified, closing it. Room: service.
 * docs/privacy.md ("Data-subject requests register") describes the rules.
 *
 * Who: reading needs privacy read (admin, dpo, auditor), every change privacy
 * write (admin, dpo); a request of a client the actor does not see is not_found.
 * Deadlines are days in the client's time zone (model/dsr.h); the derived fields
 * days_left, overdue and late are as of the service's clock. Every change appends
 * to the request's history and an audit entry of kind privacy (dsr_received,
 * dsr_changed, dsr_completed) that names the request, never the person's data. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/tz.h"
#include "model/dsr.h"
#include "service/svc.h"

#define DSR_EARLIEST INT64_C(1527206400) /* 2018-05-25T00:00:00Z: the GDPR applies from then */

/* The deadline `months` calendar months after received_at: the day (days since
 * 1970-01-01 in zone tz) and the last second of that day as a UTC instant. */
void dsr_deadline(const struct tz *tz, ls_time received_at, unsigned months, int64_t *ret_day, ls_time *ret_at);

struct dsr_input {
	const char *client;    /* required: client code */
	const char *kind;      /* required: access, rectification, erasure, restriction, portability, objection */
	const char *channel;   /* required: how it came: web, email, phone, letter, in_person, api */
	int64_t person_id;     /* 0: not identified yet */
	ls_time received_at;   /* 0: now; earlier for a letter received before; never in the future */
	const char *reference; /* optional: the letter's or ticket's reference */
	const char *note;      /* optional: goes into the "received" history event */
};
int dsr_create(struct svc *s, const struct dsr_input *in, struct dsr_request *ret);
/* One request with its history. */
int dsr_get(struct svc *s, int64_t id, struct dsr_request *ret);

enum dsr_patch_field {
	DSR_PATCH_STATE = 1 << 0,
	DSR_PATCH_PERSON = 1 << 1,
	DSR_PATCH_EXTEND = 1 << 2, /* extension_reason given */
	DSR_PATCH_OUTCOME = 1 << 3,
	DSR_PATCH_REFERENCE = 1 << 4,
};
struct dsr_patch {
	unsigned fields;
	const char *state;            /* open, in_progress, done, rejected (the last two are final) */
	int64_t person_id;            /* 0: unlink */
	const char *extension_reason; /* extends once, before the first deadline, to three months after receipt */
	const char *outcome;          /* with done (optional) or rejected (required: the reasons) */
	const char *reference;        /* NULL: clear */
};
/* Changes the request if it is still at expected_version (-LS_ESTALE,
 * version_mismatch otherwise). A closed request is final (conflict). */
int dsr_update(struct svc *s, int64_t id, int64_t expected_version, const struct dsr_patch *p, struct dsr_request *ret);
/* Closes request_id as done now with outcome (may be NULL), in a transaction of its
 * own: for `leitstand person export|erase --request ID` once the export or erasure
 * has committed. -ENOENT (not_found), -LS_ECONFLICT (conflict: closed already). */
int dsr_complete(struct svc *s, int64_t request_id, const char *outcome);

struct dsr_query {
	const char *client; /* code; NULL: every client the actor sees */
	const char *state;  /* NULL: any */
	const char *kind;   /* NULL: any */
	bool overdue;       /* only requests not closed whose deadline has passed */
	int64_t person_id;  /* > 0: only this person's */
	const char *cursor; /* the `next` of the previous page, or NULL */
	size_t limit;       /* 1 … LS_MAX_PAGE_SIZE */
};
/* Requests by deadline (soonest first), then id, without history; *ret_next is the
 * cursor of the next page or NULL. Errors name the parameter (invalid_parameter). */
int dsr_list(struct svc *s, const struct dsr_query *q, struct dsr_request **ret, size_t *ret_n, const char **ret_next);
