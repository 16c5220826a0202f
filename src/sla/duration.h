/* SLA durations in text form: "90s", "30m", "4h", "1h30m", "2h15m30s". Room: sla.
 *
 * Units are h, m and s, each at most once and in that order, each with a whole
 * number of digits; nothing else (no spaces, signs, fractions or days). There is
 * deliberately no day unit: a "day" of business time is ambiguous (ServiceNow
 * counts it as 24 business hours, a contract usually means one opening day), so a
 * policy says 8h or 24h. Pure and reentrant. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Bytes a buffer for duration_format() needs ("87600h59m59s" with room). */
#define DURATION_TEXT_MAX 32

/* Parses s into seconds (0 .. LS_MAX_SLA_SECONDS). Returns 0 and *ret, or -EINVAL
 * (syntax; a day unit gets its own hint) or -ERANGE (longer than LS_MAX_SLA_SECONDS);
 * e names `field` and quotes s. *ret is untouched on failure. "0s" parses as 0:
 * callers that need a positive duration say so themselves. */
int duration_parse(const char *s, const char *field, int64_t *ret, struct lserr *e);

/* The canonical text of seconds >= 0 ("1h30m", "45s", "0s") into buf, which must hold
 * DURATION_TEXT_MAX bytes (n is checked; output is truncated, never overrun). Returns buf. */
char *duration_format(int64_t seconds, char *buf, size_t n);
