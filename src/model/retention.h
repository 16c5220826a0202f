/* Retention rules (a DIN 66398 deletion concept): per data kind one start event and
 * one period; the arithmetic that says when data falls due. Room: model.
 *
 * A period is an ISO 8601 duration of years, months, weeks and days ("P6M", "P2Y",
 * "P10Y", "P1Y6M", "P30D"; no time part). It is added to the start instant on the
 * UTC calendar: years and months first, keeping the day and the time of day; when
 * the month reached lacks the day, the period ends with the end of the month's last
 * day (§ 188(3) BGB: 31 Jan + P1M = 1 Mar 00:00, the end of 28 Feb); then weeks
 * and days.
 * With year_end the period runs from the end of the calendar year (UTC) of the
 * start event, as the German retention periods of § 147 AO and § 257 HGB do.
 * Pure functions, thread-safe. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/timeutil.h"

enum retention_kind {
	RETENTION_TICKETS,       /* the requester of closed tickets: pseudonymised */
	RETENTION_REPLIES,       /* message bodies: replaced by a marker */
	RETENTION_ATTACHMENTS,   /* none stored yet: accepted, nothing to do */
	RETENTION_CALL_RECORDS,  /* ACD intervals: deleted */
	RETENTION_AUDIT_ENTRIES, /* the oldest audit entries: deleted under an anchor */
	_RETENTION_KIND_MAX,
	_RETENTION_KIND_INVALID = -22,
};
const char *retention_kind_to_string(enum retention_kind k);
enum retention_kind retention_kind_from_string(const char *s);

enum retention_event {
	RETENTION_EVENT_TICKET_CLOSED,  /* closed_at of a closed ticket (open tickets never fall due) */
	RETENTION_EVENT_TICKET_CREATED, /* created_at */
	RETENTION_EVENT_LAST_ACTIVITY,  /* updated_at */
	RETENTION_EVENT_INTERVAL_START, /* an ACD interval's start */
	RETENTION_EVENT_ENTRY_TIME,     /* an audit entry's time */
	_RETENTION_EVENT_MAX,
	_RETENTION_EVENT_INVALID = -22,
};
const char *retention_event_to_string(enum retention_event e);
enum retention_event retention_event_from_string(const char *s);
/* Whether a rule of kind k may start at event e. */
bool retention_event_fits(enum retention_kind k, enum retention_event e);
/* The one action a kind's rule takes ("pseudonymise", "replace", "none", "delete"). */
const char *retention_action(enum retention_kind k);

struct retention_period {
	int years, months, days; /* weeks are counted as 7 days */
};
#define RETENTION_MAX_YEARS 100 /* a longer period is a typo, not a deletion concept */

/* Parses an ISO 8601 date duration: 0, or -EINVAL (zero, negative, time parts,
 * fractions, more than RETENTION_MAX_YEARS in total). */
int retention_period_parse(const char *s, struct retention_period *ret);
/* The canonical form ("P1Y6M", "P30D") into buf (at least 32 bytes). */
char *retention_period_format(const struct retention_period *p, char *buf, size_t n);

/* The instant at which data whose start event happened at `start` falls due. */
ls_time retention_due_at(ls_time start, const struct retention_period *p, bool year_end);
/* The latest start instant that is due at `now` (retention_due_at(start) <= now):
 * every start <= the result is due, every later one is not. */
ls_time retention_cutoff(ls_time now, const struct retention_period *p, bool year_end);

struct retention_rule {
	enum retention_kind kind;
	enum retention_event start;
	struct retention_period period;
	bool year_end;
	const char *legal_basis; /* free text ("§ 147 AO", "Art. 6(1)(b)"), may be "" */
};
