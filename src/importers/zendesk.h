/* Zendesk JSON ticket export → canonical tickets and events. Room: importers.
 *
 * Input (plain or gzip, UTF-8 BOM skipped): JSON lines, one ticket object per line as
 * the incremental export writes them, or an array of ticket objects (pretty-printed
 * or not), or API pages {"tickets": [...]} (one per line or alone). The input is
 * read as a stream: each top-level object is cut out by bracket counting (strings
 * respected) and parsed alone with jansson, so memory holds one ticket (at most
 * LS_MAX_IMPORT_JSON_RECORD_BYTES) and the set of finished ids; its line is the
 * physical line where the object starts.
 *
 * A ticket: "id" (required, number or digits), subject, status, priority, type,
 * via.channel, group_id, assignee_id, requester_id, created_at, updated_at, due_at,
 * satisfaction_rating.score; optionally "metric_set" (reply_time_in_minutes,
 * first_resolution_time_in_minutes, full_resolution_time_in_minutes {calendar,
 * business}, reopens, replies, assignee_stations, group_stations, solved_at,
 * status_updated_at, assigned_at, initially_assigned_at), "audits" (each with
 * created_at, author_id and events of type Create, Change, Comment) and
 * "metric_events" (an array, or an object of arrays per metric, of {metric, type,
 * time}).
 *
 * Rules (docs/kpi.md, domain §1): state new → new, open → in_progress, pending →
 * pending_customer, hold → pending_vendor, solved → resolved, closed → closed;
 * priority urgent 1, high 2, normal 3, low 4; type problem → problem, else incident;
 * channel via.channel (email, web, api, chat kept; voice → phone; messaging kinds →
 * chat; others their text); team/agent the group/assignee id as text. Instants and
 * counts, each from the first source that has it:
 *  - first_response_at: created_at + reply_time_in_minutes.calendar; else the first
 *    fulfilled reply_time metric event; else the first public comment in a later
 *    audit than the creation by someone other than the requester;
 *  - first_resolved_at: created_at + first_resolution_time_in_minutes.calendar; else
 *    the first fulfilled resolution_time event; else the first audit to solved;
 *  - resolved_at (only when the ticket is solved or closed now): metric_set.solved_at;
 *    else created_at + full_resolution_time_in_minutes.calendar; else the last audit
 *    to solved; closed_at (status closed): status_updated_at, else updated_at;
 *  - reopen_count: metric_set.reopens; else resolution_time activations after a
 *    fulfil; else audits from solved back to a working status; reopened_at the first
 *    such instant;
 *  - agent_replies: metric_set.replies, else the counted public comments;
 *    reassignment_count: assignee_stations − 1, else assignee changes from one
 *    assignee to another; group_escalations: group_stations − 1, else group changes;
 *  - wait_count: audits to pending or hold; made_sla: 0 when a metric event breached,
 *    1 when an SLA applied and the solved ticket never breached, else unknown;
 *  - csat: satisfaction good → 5, bad → 1 (offered/unoffered: unrated).
 *
 * Events (options.events): "created" at created_at (new value: the status of the
 * Create audit, else "new"), then each audit Change of status, group_id, assignee_id,
 * priority as "state", "team", "agent", "priority" by its author; without audits a
 * "state" change to solved at resolved_at.
 *
 * Bad rows (reported with the line where the object starts): text that is not JSON
 * or not an object, a ticket without id, an id seen before, an unparsable stamp, an
 * object over the limit, an unterminated object at the end. */
#pragma once
#include <stddef.h>

#include "core/err.h"
#include "importers/import.h"

/* Imports path (plain or gzip). Returns 0 and *ret_stats (may be NULL), or a
 * negative code with e set: -ENOENT or another negated errno (cannot open), -EIO,
 * -EINVAL (too many bad rows), or a sink's code. */
int zendesk_import_file(const char *path, const struct import_options *o, const struct import_sink *sink,
                        struct import_stats *ret_stats, struct lserr *e);
/* The same over bytes in memory (not gzip); name is used in messages. */
int zendesk_import_mem(const void *data, size_t n, const char *name, const struct import_options *o,
                       const struct import_sink *sink, struct import_stats *ret_stats, struct lserr *e);
