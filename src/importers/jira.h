/* Jira CSV issue export → canonical tickets and events. Room: importers.
 *
 * One row per issue. Columns are found by the names Jira exports (case-insensitive;
 * order free; unknown ones ignored; every column but "Issue key" may be missing):
 * Issue key (required), Issue id, Summary, Issue Type, Status, Priority, Assignee,
 * Reporter, Created, Updated, Resolved, Resolution, Component/s, Labels. Jira repeats
 * a column once per value of a multi-valued field ("Component/s" three times): of a
 * repeated column the first non-empty value counts.
 *
 * Stamps: Jira's own "12/Mar/24 3:04 PM" (day, English month abbreviation, two- or
 * four-digit year, 12-hour clock with AM/PM or 24-hour clock, optional seconds) and
 * every shape value_time() reads (ISO 8601 "2024-03-12T15:04:00.000+0100", ...).
 * Without zone they are local time in o->tz.
 *
 * Rules (docs/kpi.md): source_id and number are the Issue key; type from Issue Type
 * (Problem → problem, Service Request* → service_request, else incident); state from
 * Status (Open, To Do, Backlog, New → new; In Progress, Reopened, Waiting for support,
 * Escalated → in_progress; Waiting for customer, Pending → pending_customer; Waiting
 * for vendor, Waiting for third party → pending_vendor; Resolved, Done → resolved;
 * Closed, Canceled → closed; others keep their text, canonical unknown); priority
 * Highest/Blocker 1, High/Critical 2, Medium/Major 3, Low/Minor 4, Lowest/Trivial 5;
 * category the first Component/s; agent Assignee; opened_at Created; resolved_at
 * Resolved; closed_at Updated when the status is Closed. A Jira export has no
 * channel, team, reply or reassignment data. reopen_count is 1 when the status is
 * Reopened, else unknown (the export does not keep the history).
 *
 * Events (options.events): "created" at Created by Reporter, "resolution" at Resolved
 * (new value: Resolution).
 *
 * A row whose Issue key was seen before is a bad row. Memory: the set of keys. */
#pragma once
#include "core/err.h"
#include "importers/csv.h"
#include "importers/import.h"

/* Reads every record of r (header first). Returns 0 and *ret_stats (may be NULL), or
 * a negative code with e set: -EINVAL (no header, no Issue key column, too many bad
 * rows), -EIO, or a sink's code. */
int jira_import(struct csv_reader *r, const struct import_options *o, const struct import_sink *sink,
                struct import_stats *ret_stats, struct lserr *e);
/* Opens path (plain or gzip) with o->sep and imports it. */
int jira_import_file(const char *path, const struct import_options *o, const struct import_sink *sink,
                     struct import_stats *ret_stats, struct lserr *e);
/* A Jira stamp (see above) as a UTC instant; the codes of value_time(). */
int jira_time(const char *s, enum value_date_order order, const struct tz *tz, ls_time *ret);
