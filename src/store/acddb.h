/* Storage of imported call-centre (ACD) intervals: one row per client, queue and
 * interval start. Room: store. The caller holds the write transaction of a whole
 * file; these functions only run statements. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "model/record.h"
#include "store/store.h"

/* Inserts the interval (client_id, iv->queue, iv->start), or replaces the values of
 * the one stored there (a newer export of the same interval). */
int acddb_interval_put(struct store *st, int64_t client_id, int64_t import_id, const struct rec_interval *iv);
/* Intervals stored for the client, into *ret_n. */
int acddb_count(struct store *st, int64_t client_id, size_t *ret_n);
/* Records the interval count of an import run (imports.intervals). */
int acddb_run_intervals(struct store *st, int64_t import_id, size_t intervals);
/* The client's intervals with start in [from, to) (0, 0: all), ordered by queue and
 * start, as records in arena a (queue names too). */
int acddb_intervals(struct store *st, struct arena *a, int64_t client_id, ls_time from, ls_time to,
                    struct rec_interval **ret, size_t *ret_n);

/* Calls offered per interval (start, length), summed over the client's queues. */
struct acddb_offered {
	ls_time start; /* UTC */
	int32_t length;
	int64_t offered;
};
/* The client's offered calls of intervals starting before `before`, ordered by start,
 * in arena a (what a forecast reads: no per-queue rows). */
int acddb_offered(struct store *st, struct arena *a, int64_t client_id, ls_time before, struct acddb_offered **ret,
                  size_t *ret_n);
