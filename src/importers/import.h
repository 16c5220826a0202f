/* What every importer shares: options, the sink that receives canonical records, and
 * the counts of a run. Room: importers (pure parsers: files in, records out, no
 * storage; service/ wires a sink that writes to the store, tests and benches wire
 * their own).
 *
 * Streaming: an importer calls sink->ticket once per ticket and sink->event once per
 * change (an ACD importer: sink->interval once per interval) as soon as it knows
 * them; it holds at most the rows of one ticket. Record pointers are valid only
 * during the callback (see model/record.h). A callback that returns a negative code
 * stops the import, which returns that code.
 *
 * Bad rows: a row that cannot be read (wrong field count, unparsable value, missing
 * key) is skipped and reported through sink->bad_row with file, line and a reason;
 * the import goes on unless max_bad_rows is reached (then -EINVAL, e says so).
 * Importers never log. */
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "calendar/tz.h"
#include "importers/value.h"
#include "model/record.h"

struct import_options {
	const struct tz *tz;              /* zone of stamps without one; NULL = UTC */
	enum value_date_order date_order; /* for "D/M/Y" vs "M/D/Y"; default DMY */
	char sep;                         /* CSV separator; 0 = detect */
	bool events;                      /* emit rec_events (costs time); tickets always */
	const char *client;               /* tenant code for every ticket, or NULL */
	size_t max_bad_rows;              /* 0: no limit */
};

struct import_sink {
	void *ctx;
	int (*ticket)(void *ctx, const struct rec_ticket *t);      /* may be NULL */
	int (*event)(void *ctx, const struct rec_event *ev);       /* may be NULL */
	int (*interval)(void *ctx, const struct rec_interval *iv); /* ACD importers; may be NULL */
	void (*bad_row)(void *ctx, const char *file, unsigned line, const char *reason); /* may be NULL */
};

struct import_stats {
	size_t rows;      /* data rows read (header excluded, bad rows included) */
	size_t tickets;   /* tickets emitted */
	size_t events;    /* events emitted */
	size_t bad_rows;  /* rows skipped and reported */
	size_t intervals; /* ACD intervals emitted */
	size_t queues;    /* distinct ACD queues among them */
};

/* Reports a bad row: formats the reason into reason (reason_size bytes), counts it in
 * st, hands it to sink->bad_row and, once o->max_bad_rows rows are bad, returns
 * -EINVAL with e saying the import gives up; otherwise 0 (skip the row, go on). */
int import_vbad_row(const struct import_options *o, const struct import_sink *sink, struct import_stats *st,
                    struct lserr *e, const char *file, unsigned line, char *reason, size_t reason_size, const char *fmt,
                    va_list ap) __attribute__((format(printf, 9, 0)));
