/* ServiceNow incident exports → canonical tickets and events. Room: importers.
 *
 * Two shapes, told apart by the header alone:
 *  - the audit-log export (one row per update, the UCI "incident event log"): rows
 *    carry sys_mod_count; the rows of one incident are contiguous;
 *  - the plain incident table export (one row per incident, no sys_mod_count).
 * Columns are found by name (case-insensitive; order free; unknown ones ignored):
 * number (required), incident_state, active, reassignment_count, reopen_count,
 * sys_mod_count, made_sla, caller_id, opened_by, opened_at, sys_created_by,
 * sys_created_at, sys_updated_by, sys_updated_at, contact_type, location, category,
 * subcategory, u_symptom, cmdb_ci, impact, urgency, priority, assignment_group,
 * assigned_to, knowledge, u_priority_confirmation, notify, problem_id, rfc, vendor,
 * caused_by, closed_code, resolved_by, resolved_at, closed_at, short_description.
 *
 * Rules (docs/kpi.md): an incident's values are those of its last record, the row with
 * the highest sys_mod_count (ties and table exports: the later row). From the last
 * record: state, priority/impact/urgency ("3 - Moderate" → 3), category, ci
 * (cmdb_ci), symptom (u_symptom), channel (contact_type), team (assignment_group),
 * agent (assigned_to), opened_at, resolved_at, closed_at, reopen_count,
 * reassignment_count, made_sla. From the rows
 * in sys_mod_count order: first_resolved_at (sys_updated_at of the first row in
 * Resolved or Closed), reopened_at (first row back in work after that), wait_count
 * (entries into an Awaiting state). The log has no replies: first_response_at,
 * agent_replies stay unknown.
 *
 * Events (options.events): "created" at opened_at, then for each update the changed
 * fields among state, team, agent, priority, impact, urgency, category at
 * sys_updated_at by sys_updated_by.
 *
 * A row that repeats the number of an incident already finished (rows not
 * contiguous) is a bad row. Memory: the rows of one incident (at most
 * LS_MAX_IMPORT_CASE_ROWS) and the set of finished numbers. */
#pragma once
#include "core/err.h"
#include "importers/csv.h"
#include "importers/import.h"

/* Reads every record of r (header first). Returns 0 and *ret_stats (may be NULL), or
 * a negative code with e set: -EINVAL (no header, no number column, too many bad
 * rows), -EIO, or a sink's code. Tickets already emitted stay emitted. */
int servicenow_import(struct csv_reader *r, const struct import_options *o, const struct import_sink *sink,
                      struct import_stats *ret_stats, struct lserr *e);
/* Opens path (plain or gzip) with o->sep and imports it. */
int servicenow_import_file(const char *path, const struct import_options *o, const struct import_sink *sink,
                           struct import_stats *ret_stats, struct lserr *e);
