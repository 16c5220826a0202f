/* Fuzz target for the ACD interval importer (importers/acd) over arbitrary bytes, read
 * as CSV with the separator detected and with ';', the interval length inferred and
 * fixed.
 *
 * Properties:
 *  - the import ends with 0 or a negative code, never crashes or leaks;
 *  - every interval has a queue, a length of 1 s to 1 day and counts that add up
 *    (answered + abandoned <= offered, the within and short counts inside theirs);
 *  - bad rows and intervals are never more than rows; queues never more than intervals. */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "core/err.h"
#include "importers/acd.h"

struct seen {
	const uint8_t *data;
	size_t size;
};

static int on_interval(void *ctx, const struct rec_interval *iv)
{
	struct seen *s = ctx;
	if (!iv->queue || !*iv->queue)
		fuzz_fail(s->data, s->size, "interval without queue");
	if (iv->length < 1 || iv->length > 86400)
		fuzz_fail(s->data, s->size, "interval length %d", (int)iv->length);
	if (iv->answered < 0 || iv->abandoned < 0 || iv->answered + iv->abandoned > iv->offered ||
	    iv->answered_within > iv->answered || iv->abandoned_within > iv->abandoned ||
	    iv->abandoned_short > iv->abandoned)
		fuzz_fail(s->data, s->size, "counts do not add up");
	if (iv->talk < 0 || iv->hold < 0 || iv->wrap_up < 0 || iv->handle < 0 || iv->wait < 0)
		fuzz_fail(s->data, s->size, "negative seconds");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char seps[] = {0, ';'};
	static const int lengths[] = {0, 900};
	struct seen s = {data, size};
	for (size_t i = 0; i < sizeof(seps); i++) {
		struct csv_reader *r = NULL;
		struct lserr e;
		if (csv_open_mem(data, size, seps[i], &r, &e) < 0)
			return 0;
		struct import_options o = {.max_bad_rows = i ? 3 : 0};
		struct import_sink sink = {.ctx = &s, .interval = on_interval};
		struct import_stats st = {0};
		if (acd_import(r, &o, lengths[i], &sink, &st, &e) == 0 &&
		    (st.bad_rows > st.rows || st.intervals > st.rows || st.queues > st.intervals))
			fuzz_fail(data, size, "%zu bad rows, %zu intervals, %zu queues of %zu rows", st.bad_rows,
			          st.intervals, st.queues, st.rows);
		csv_close(r);
	}
	return 0;
}
