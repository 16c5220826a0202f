/* The register of data-subject requests (Art. 12 GDPR): kinds, states, the
 * request and its history, and the deadline arithmetic. Room: model.
 * Plain data; strings are owned by whoever loaded the struct (an arena).
 *
 * Deadlines (Art. 12(3) GDPR, counted by Regulation 1182/71 Art. 3(2)(c)): a
 * period of months ends with the last hour of the day in the last month that has
 * the same date as the day of receipt; where the last month has no such date, with
 * the last hour of its last day. Received 31 January: due 28 (29) February. The
 * extension by two further months gives three months after receipt, by the same
 * rule. docs/privacy.md gives sources and worked examples. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/timeutil.h"
#include "model/consent.h"

#define DSR_DUE_MONTHS      1    /* Art. 12(3) first sentence */
#define DSR_EXTENDED_MONTHS 3    /* one month plus the extension by two further months */
#define DSR_MAX_REASON      1000 /* extension reason, outcome, note */
#define DSR_MAX_REFERENCE   100  /* a letter's or ticket's reference */
#define DSR_DATE_LEN        10   /* "2026-02-28" */

enum dsr_kind {
	DSR_KIND_ACCESS,        /* Art. 15 */
	DSR_KIND_RECTIFICATION, /* Art. 16 */
	DSR_KIND_ERASURE,       /* Art. 17 */
	DSR_KIND_RESTRICTION,   /* Art. 18 */
	DSR_KIND_PORTABILITY,   /* Art. 20 */
	DSR_KIND_OBJECTION,     /* Art. 21 */
	_DSR_KIND_MAX,
	_DSR_KIND_INVALID = -22,
};
const char *dsr_kind_to_string(enum dsr_kind k);
enum dsr_kind dsr_kind_from_string(const char *s);

enum dsr_state {
	DSR_STATE_OPEN,
	DSR_STATE_IN_PROGRESS,
	DSR_STATE_DONE,     /* answered; final */
	DSR_STATE_REJECTED, /* refused with reasons (Art. 12(4), 12(5)); final */
	_DSR_STATE_MAX,
	_DSR_STATE_INVALID = -22,
};
const char *dsr_state_to_string(enum dsr_state s);
enum dsr_state dsr_state_from_string(const char *s);
static inline bool dsr_state_closed(enum dsr_state s)
{
	return s == DSR_STATE_DONE || s == DSR_STATE_REJECTED;
}

/* The day `months` calendar months after `day` (both days since 1970-01-01,
 * proleptic Gregorian): the same day of the month, or the target month's last day
 * when it is shorter. months may be 0 (the same day). */
int64_t dsr_add_months(int64_t day, unsigned months);
/* "YYYY-MM-DD" of a day into buf (DSR_DATE_LEN + 1 bytes at least). Returns buf. */
char *dsr_format_day(int64_t day, char *buf, size_t n);

struct dsr_event {
	int64_t id;
	ls_time at;
	const char *actor;  /* email, "system" */
	const char *action; /* received, state, person, extended, reference */
	const char *from_value, *to_value, *note;
};

struct dsr_request {
	int64_t id;
	int64_t client_id;
	const char *client_code;
	int64_t person_id; /* 0: not identified (yet) */
	const char *person_pseudonym;
	enum dsr_kind kind;
	enum privacy_channel channel; /* how it was received */
	const char *reference;        /* NULL: none */
	ls_time received_at;
	char due_date[DSR_DATE_LEN + 1];
	ls_time due_at;                       /* the last second of the due day in the client's time zone */
	char extended_date[DSR_DATE_LEN + 1]; /* "" unless extended */
	ls_time extended_until;               /* 0: not extended */
	const char *extension_reason;
	ls_time extended_at;
	enum dsr_state state;
	ls_time completed_at; /* 0: open */
	const char *outcome;
	const char *created_by; /* email, "system" */
	ls_time created_at, updated_at;
	int64_t version;
	/* derived by the service as of its clock, in the client's time zone */
	int64_t days_left;        /* whole days from today to the deadline day; negative when past */
	bool overdue;             /* not closed and the deadline has passed */
	bool late;                /* closed after the deadline */
	struct dsr_event *events; /* oldest first, when loaded */
	size_t n_events;
};
