/* IANA time zones without the process-wide TZ: our own reader of the TZif files
 * (RFC 8536, versions 1 to 4) that Debian's tzdata installs under
 * /usr/share/zoneinfo, with the POSIX TZ footer string expanded into explicit
 * transitions up to the end of TZ_LAST_RULE_YEAR. Room: calendar.
 *
 * A struct tz is immutable after tz_load()/tz_parse(): any number of threads may
 * query one concurrently. The caller owns it and releases it with tz_free().
 *
 * "Local seconds" are wall-clock seconds counted as if the wall clock were UTC:
 * local 2025-03-30T03:00 is time_days_from_civil(2025, 3, 30) * 86400 + 3 * 3600. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/timeutil.h"

/* Transitions from the footer rule are generated through this year; after it the
 * offset of the last generated period stays in force. */
#define TZ_LAST_RULE_YEAR 2199
/* Bytes a buffer for tz_format_rfc3339() needs: "-YYYY-MM-DDTHH:MM:SS+hh:mm\0" with room. */
#define TZ_RFC3339_MAX 32

struct tz;

/* Loads zone NAME ("Europe/Berlin", "UTC") from $TZDIR, else /usr/share/zoneinfo.
 * Returns 0 and a new zone in *ret, or -EINVAL (malformed name, not a TZif file,
 * leap-second zones), -ENOENT (no such zone) or another negated errno; e names the
 * field "tz" and the zone. */
int tz_load(const char *name, struct tz **ret, struct lserr *e);
/* Parses TZif bytes (data, n) as zone NAME; same results as tz_load(). For tests and
 * for zones kept in a database. Never reads beyond data + n. */
int tz_parse(const char *name, const void *data, size_t n, struct tz **ret, struct lserr *e);
/* Accepts NULL. */
void tz_free(struct tz *tz);
/* A deep copy, owned by the caller. */
struct tz *tz_dup(const struct tz *tz);

/* The name given at load time. */
const char *tz_name(const struct tz *tz);
/* Offset from UTC in seconds east (CEST: 7200) in effect at UTC instant t. */
int32_t tz_offset_at(const struct tz *tz, ls_time t);
/* 1 if daylight-saving time is in effect at t, else 0. */
int tz_is_dst(const struct tz *tz, ls_time t);
/* The UTC instant of local wall-clock time `local` (see above). A time inside a
 * gap (spring forward) maps to the first instant after the gap, i.e. the
 * transition itself; an ambiguous time (fall back) maps to its first occurrence.
 * Monotonic: a later local time never maps to an earlier instant. */
ls_time tz_local_to_utc(const struct tz *tz, int64_t local);
/* Formats t as RFC 3339 in whole seconds with the zone's numeric offset at t
 * ("2025-03-31T11:00:00+02:00", "+00:00" rather than "Z"). Offsets that are not
 * whole minutes (local mean time before 1900) are printed in UTC. Returns buf,
 * which must hold TZ_RFC3339_MAX bytes (n is checked; output is truncated, never
 * overrun). */
char *tz_format_rfc3339(const struct tz *tz, ls_time t, char *buf, size_t n);

/* Number of transitions, and the i-th one (UTC instant and offset in force from it):
 * for tests and diagnostics. Returns -ERANGE for i out of range. */
size_t tz_transition_count(const struct tz *tz);
int tz_transition(const struct tz *tz, size_t i, ls_time *ret_at, int32_t *ret_offset);
