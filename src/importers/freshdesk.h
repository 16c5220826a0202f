/* Freshdesk ticket CSV export → canonical tickets and events. Room: importers.
 *
 * One row per ticket. Columns are found by the names Freshdesk exports
 * (case-insensitive; order free; unknown ones ignored; every column but "Ticket ID"
 * may be missing): Ticket ID (required), Subject, Status, Priority, Source, Type,
 * Agent, Group, Created time, Due by Time, Resolved time, Closed time, Last updated
 * time, Initial response time, First response time (in hrs), Resolution time (in
 * hrs), Agent interactions, Customer interactions, Resolution status, First response
 * status, Tags, Category.
 *
 * Rules (docs/kpi.md): state from Status (Open → in_progress, Pending and Waiting on
 * Customer → pending_customer, Waiting on Third Party → pending_vendor, Resolved,
 * Closed; other custom statuses keep their text, canonical unknown); priority Urgent
 * 1, High 2, Medium 3, Low 4; channel from Source (Email → email, Phone → phone,
 * Portal → web, Chat → chat, API → api; other sources keep their text); category
 * from Category, else Type; team Group, agent Agent; opened_at Created time,
 * resolved_at Resolved time (else Created time + Resolution time (in hrs)), closed_at
 * Closed time, resolution_due_at Due by Time, first_response_at Initial response time
 * (else Created time + First response time (in hrs): decimal hours or H:MM[:SS]);
 * agent_replies Agent interactions, customer_interactions Customer interactions;
 * made_sla from Resolution status ("Within SLA" 1, "SLA Violated" 0). The export
 * has no reopen or reassignment counts: they stay unknown.
 *
 * Events (options.events): "created" at opened_at (new value: "Open"), then "state"
 * to Resolved at resolved_at and to Closed at closed_at when the row has them.
 *
 * A row whose Ticket ID was seen before is a bad row. Memory: the set of ids. */
#pragma once
#include "core/err.h"
#include "importers/csv.h"
#include "importers/import.h"

/* Reads every record of r (header first). Returns 0 and *ret_stats (may be NULL), or
 * a negative code with e set: -EINVAL (no header, no Ticket ID column, too many bad
 * rows), -EIO, or a sink's code. */
int freshdesk_import(struct csv_reader *r, const struct import_options *o, const struct import_sink *sink,
                     struct import_stats *ret_stats, struct lserr *e);
/* Opens path (plain or gzip) with o->sep and imports it. */
int freshdesk_import_file(const char *path, const struct import_options *o, const struct import_sink *sink,
                          struct import_stats *ret_stats, struct lserr *e);
