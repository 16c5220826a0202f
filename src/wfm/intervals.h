/* A forecast as a table of intervals for staffing, read from CSV and grouped by queue
 * and skill. Room: wfm.
 *
 * The CSV has a header row naming its columns (any order, case-insensitive, '-' or ' '
 * may stand for '_'); unknown columns are an error. Separator ',' or, when the header
 * holds ';' and no ',', ';' with decimal commas accepted in numbers (spreadsheets
 * saved in German). RFC 4180 quoting; LF or CRLF; blank lines and a UTF-8 byte-order
 * mark are ignored.
 *
 *   queue, skill, channel, start    labels; channel is voice (default) or deferred
 *   contacts (or calls, volume), aht  per interval (required unless a default is given)
 *   interval, target, answer_time, max_occupancy, max_asa, patience, max_abandon,
 *   response_time, shrinkage, min_agents
 *                                   per row; an absent column or an empty cell takes
 *                                   the caller's default (see struct staffing_input)
 *
 * Rows of one queue+skill must be consecutive intervals in time order (they may be
 * interleaved with other queues' rows); start is a label and is not interpreted.
 * Everything the table points to lives in the caller's arena. */
#pragma once
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "wfm/staffing.h"

struct intervals_row {
	const char *queue; /* "" when the file has no queue column */
	const char *skill; /* "" when absent */
	const char *start; /* "" when absent */
	unsigned line;     /* 1-based line of the row in the file */
};

struct intervals_queue {
	const char *queue, *skill;
	enum staffing_channel channel;
	size_t first, n; /* rows[first .. first + n) */
};

struct intervals_table {
	struct intervals_row *rows;    /* grouped by queue, file order within a queue */
	struct staffing_input *inputs; /* parallel to rows, already checked */
	size_t n_rows;
	struct intervals_queue *queues; /* in order of first appearance */
	size_t n_queues;
};

/* Parses len bytes of CSV (need not be NUL-terminated) into *ret, allocating from a.
 * defaults gives every value a column does not (start from staffing_input_init()).
 * Every row is checked with staffing_input_check(); a queue's rows must share one
 * channel, and deferred rows one interval length.
 * Returns 0; -EINVAL (syntax, unknown or duplicate column, bad number, invalid value:
 * e names the column as field and the line in the message); -LS_ETOOLARGE (more than
 * LS_MAX_STAFFING_FILE_BYTES, LS_MAX_STAFFING_ROWS rows or a field longer than
 * LS_MAX_STAFFING_FIELD_BYTES). *ret is untouched on failure; the arena keeps what was
 * allocated until it is reset. */
int intervals_parse_csv(struct arena *a, const char *text, size_t len, const struct staffing_input *defaults,
                        struct intervals_table *ret, struct lserr *e);

/* Staffs every queue of t with staffing_plan() into out[0 .. t->n_rows), parallel to
 * t->rows. Returns 0 or the first queue's error, its message prefixed with the row's
 * line ("line 17: no staffing ..."). */
int intervals_plan(const struct intervals_table *t, struct staffing_result *out, struct lserr *e);
