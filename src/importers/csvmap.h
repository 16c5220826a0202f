/* The generic CSV importer: any CSV export → canonical tickets and events, told how to
 * read it by a JSON column mapping (a file, or one of the built-in presets for the real
 * data sets). Room: importers.
 *
 * The mapping (an object; unknown keys are an error, so a typo does not go unnoticed):
 *   "shape":       "log" (one row per activity of a case; rows grouped by case id into
 *                  one ticket) or "table" (one row per ticket)
 *   "grouped":     log only: true (default) when the rows of a case are contiguous (the
 *                  import streams, holding one case); false when they are not (the
 *                  import holds the mapped fields of the whole file, then groups)
 *   "separator":   ",", ";" or "\t"; default: the import option, else detected
 *   "time_format": "dmy", "mdy" (order of day and month when the year comes last) or
 *                  "ymd" / "iso8601" (year first; anything else is a bad row); default
 *                  the import option's date order. Shapes as value_time(); a stamp
 *                  without zone is local time in the import's tz (--tz)
 *   "type":        ticket type of every ticket: incident (default), problem,
 *                  service_request, complaint
 *   "effort_unit": "hours", "minutes" (default) or "seconds", for the effort column
 *   "columns":     { role: header name }, header names matched case-insensitively,
 *                  surrounding blanks ignored, first match wins. Roles:
 *                  id (required), number, title, state, activity, at (log: the row's
 *                  instant, required), priority, impact, urgency, category, channel,
 *                  team, agent, opened_at, resolved_at, closed_at, reopened_at,
 *                  reassignments, reopens, made_sla, fcr, effort, csat, ci
 *                  (configuration item), symptom
 *   "states":      { source text: canonical state } (new, assigned, in_progress,
 *                  pending_customer, pending_vendor, resolved, closed), looked up
 *                  case-insensitively in the state column, else the activity column
 *   "levels":      { source text: 1..5 } for priority/impact/urgency given as words;
 *                  numbers and "3 - Moderate" are read without it
 * A column the mapping names that the header lacks is an error, not a silent gap.
 *
 * Table rules: each row is one ticket; values as mapped; reopen_count is "reopens",
 * else 1/0 when a reopened_at column is mapped; a repeated id is a bad row. Events:
 * "created" at opened_at, "state" → resolved/closed at resolved_at/closed_at.
 *
 * Log rules: a case's rows in time order (ties: file order). opened_at is the mapped
 * column of the first row, else the first instant. Each row's state is its state (or
 * activity) text through "states"; a text not in the map leaves the state as it was.
 * first_resolved_at: the first row entering resolved/closed; a row with an open state
 * after that is a reopen (reopen_count, reopened_at of the first); resolved_at: the
 * last entry into resolved/closed (unknown when the case ends open), closed_at: the last
 * entry into closed when the case ends closed (else unknown); wait_count: entries into
 * a pending state. While the case is open (resolving, closing and later rows are no
 * hand-over): reassignments are changes of agent between two known values (of team
 * when no agent column is mapped) unless a reassignments column is mapped (then its
 * last value), group_escalations are team changes, and team and agent are the last
 * ones. Other values: the last known one in the case. Events: one per row, field
 * "activity", new_value the activity (else state) text, old_value the previous row's,
 * actor the agent, so a log import has as many events as good rows.
 *
 * Rows whose fields are all empty (spreadsheet padding, e.g. ";;;;") are read and
 * skipped silently. Bad rows (wrong field count, missing id or instant, unparsable
 * stamp, grouped rows of a case not contiguous, case over LS_MAX_IMPORT_CASE_ROWS)
 * are reported with their line and skipped. */
#pragma once
#include <stddef.h>

#include "core/err.h"
#include "importers/csv.h"
#include "importers/import.h"

struct csvmap;

/* The built-in preset names, NULL-terminated (bpi2013-incidents, bpi2014-incidents,
 * bpi2014-activities, bpi2014-interactions, helpdesk). */
extern const char *const csvmap_presets[];
/* The JSON text of a preset, or NULL. */
const char *csvmap_preset_json(const char *name);

/* Parses a mapping from JSON text. Returns 0 and *ret, or -EINVAL with e naming the
 * problem (field "mapping"). */
int csvmap_parse(const char *json, size_t n, struct csvmap **ret, struct lserr *e);
/* A preset by name, else a mapping file (at most LS_MAX_IMPORT_MAPPING_BYTES). Returns
 * 0 and *ret, -ENOENT (neither a preset nor a readable file), -EINVAL. */
int csvmap_load(const char *name_or_path, struct csvmap **ret, struct lserr *e);
void csvmap_free(struct csvmap *m);
/* The mapping's separator, or 0 when it names none. */
char csvmap_separator(const struct csvmap *m);

/* Reads every record of r (header first) as m says. Returns 0 and *ret_stats (may be
 * NULL), or a negative code with e set: -EINVAL (no header, a mapped column missing,
 * too many bad rows), -EIO, or a sink's code. */
int csvmap_import(struct csv_reader *r, const struct csvmap *m, const struct import_options *o,
                  const struct import_sink *sink, struct import_stats *ret_stats, struct lserr *e);
/* Opens path (plain or gzip) with the mapping's separator, else o->sep, and imports it. */
int csvmap_import_file(const char *path, const struct csvmap *m, const struct import_options *o,
                       const struct import_sink *sink, struct import_stats *ret_stats, struct lserr *e);
