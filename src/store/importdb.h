/* Storage of imported ticket history: import runs, tickets keyed by their source id,
 * and their change events. Room: store. The caller holds the write transaction of a
 * whole file; these functions only run statements. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "model/record.h"
#include "store/store.h"

int importdb_run_begin(struct store *st, int64_t client_id, const char *source, const char *file, ls_time now,
                       int64_t *ret_id);
int importdb_run_finish(struct store *st, int64_t id, size_t rows, size_t tickets, size_t events, size_t bad_rows,
                        ls_time now);
/* Inserts or replaces the ticket (client_id, t->source, t->source_id); whether it was
 * new goes to *ret_new (may be NULL). Its stored events are removed: the importer
 * hands the events of this export next, so a re-import never doubles them. */
int importdb_ticket_put(struct store *st, int64_t client_id, int64_t import_id, const struct rec_ticket *t,
                        bool *ret_new);
int importdb_event_add(struct store *st, int64_t client_id, int64_t import_id, const char *source,
                       const struct rec_event *ev);
/* Creation instants of the client's tickets before `before`: imported (opened_at)
 * and worked in Leitstand (created_at), unordered, in arena a (what a forecast reads). */
int importdb_arrivals(struct store *st, struct arena *a, int64_t client_id, ls_time before, ls_time **ret,
                      size_t *ret_n);
/* What importdb_client_tickets() reads. */
enum importdb_fields {
	IMPORTDB_KPI,      /* what the KPI engine reads; number, title, ci and symptom stay NULL */
	IMPORTDB_FINDINGS, /* also those, which the findings match and name tickets by */
};
/* Every ticket of a client as records, the array and its strings in arena a (the
 * array itself is one block freed on the arena's reset): first the imported ones,
 * ordered by opened_at (unknown first), source id and source, then the tickets worked
 * in Leitstand (source "leitstand", counts and instants from the ticket row and its
 * history) in creation order. Strings most tickets share (source, category, team,
 * agent, channel, configuration item, symptom) are one copy each: tickets with the
 * same value point at the same text. The source's state text, impact and urgency are
 * not read (NULL, 0): no KPI and no finding uses them. Call inside a read transaction
 * to see one snapshot. */
int importdb_client_tickets(struct store *st, struct arena *a, int64_t client_id, enum importdb_fields fields,
                            struct rec_ticket **ret, size_t *ret_n);
/* Every change event of the client's imported tickets, ordered by source, source id,
 * instant and insertion, as records in arena a; (*ret_sources)[i] is the source of
 * event i (its ticket is (source, ev.ticket)). */
int importdb_events(struct store *st, struct arena *a, int64_t client_id, struct rec_event **ret,
                    const char ***ret_sources, size_t *ret_n);
/* The history of the tickets worked in Leitstand as records: ticket = the number,
 * actor = the agent's email (NULL for customer and system changes), ordered by
 * ticket and insertion. */
int importdb_native_events(struct store *st, struct arena *a, int64_t client_id, struct rec_event **ret, size_t *ret_n);
/* Tickets of a client opened in [from, to): imported ones by opened_at and Leitstand
 * ones by created_at (an index range each; the benchmark's pre-filter). */
int importdb_count_opened(struct store *st, int64_t client_id, ls_time from, ls_time to, uint64_t *ret);
