/* UTC instants as 64-bit seconds since the epoch. Room: core.
 * Local time exists only at the edges and inside calendars, never here. */
#pragma once
#include <stddef.h>
#include <stdint.h>

typedef int64_t ls_time;

/* Current UTC time; tests and the demo inject their own instants instead. */
ls_time time_now(void);
/* Monotonic clock in nanoseconds, for latency measurement only. */
uint64_t time_mono_ns(void);
/* "2026-11-27T08:15:00Z" into buf (at least 21 bytes). Returns buf. */
char *time_format_rfc3339(ls_time t, char *buf, size_t n);
/* Accepts RFC 3339 with 'Z' or ±hh:mm offset, optional fractional seconds
 * (truncated), and a bare date "2026-11-27" (midnight UTC). 0 or -EINVAL.
 * An instant outside [TIME_RFC3339_MIN, TIME_RFC3339_MAX] (possible through
 * an offset) is refused, so whatever parses can be formatted back. */
#define TIME_RFC3339_MIN INT64_C(-62167219200) /* 0000-01-01T00:00:00Z */
#define TIME_RFC3339_MAX INT64_C(253402300799) /* 9999-12-31T23:59:59Z */
int time_parse_rfc3339(const char *s, ls_time *ret);
/* Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm). */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);
void time_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
