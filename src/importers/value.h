/* Cell values of foreign exports: missing markers, numbers with a decimal comma,
 * booleans, leading codes ("3 - Moderate") and timestamps in the shapes real exports
 * use, with or without a zone. Room: importers. Pure functions; any thread.
 *
 * Every parser returns 0 and writes *ret, -ENODATA for a missing value (see
 * value_is_missing), -EINVAL for text that is not such a value, -ERANGE for a value
 * outside the bounds; *ret is untouched on failure. */
#pragma once
#include <stdbool.h>

#include "calendar/tz.h"
#include "core/timeutil.h"

/* "", "?", "#N/B", "#N/A", "N/A", "NULL", "#MULTIVALUE" (spreadsheet error values and
 * the placeholders of the real data sets). Surrounding blanks are not trimmed. */
bool value_is_missing(const char *s);
/* s, or NULL when it is missing. */
const char *value_or_null(const char *s);

/* A whole number; also the leading number of "3 - Moderate" / "2-High" when
 * allow_label is true (digits followed by optional blanks and '-' and a label). */
int value_int(const char *s, bool allow_label, int min, int max, int *ret);
/* A decimal number with '.' or, when the text has no '.', a decimal comma
 * ("3871,691111"). No thousands separators. */
int value_double(const char *s, double min, double max, double *ret);
/* true/false, yes/no, y/n, ja/nein, 1/0 (case-insensitive). */
int value_bool(const char *s, bool *ret);

/* Order of day and month when the year comes last ("5/3/2016"). */
enum value_date_order {
	VALUE_DMY, /* European, the default of every real set we know */
	VALUE_MDY, /* US exports */
};

/* A timestamp: date "Y-M-D", "Y/M/D" (year first: always year, month, day) or "D/M/Y",
 * "D-M-Y", "D.M.Y" (order as given), day and month with or without padding; then
 * optionally ' ' or 'T' and "H:MM", "H:MM:SS" or "H:MM:SS.fff" (fraction dropped);
 * then optionally a zone: 'Z', "+hh:mm", "+hhmm" or "+hh" (a blank before it is
 * allowed). A stamp without zone is local time in tz (tz_local_to_utc: a time in a DST
 * gap moves past the gap, an ambiguous one takes its first occurrence); tz NULL
 * means UTC. Years 1900..2999. */
int value_time(const char *s, enum value_date_order order, const struct tz *tz, ls_time *ret);
