/* Fuzz target for the Zendesk importer (importers/zendesk) over arbitrary bytes: the
 * object scanner, jansson on each cut-out object and the ticket mapping.
 *
 * Properties:
 *  - the import ends with 0 or a negative code, never crashes or leaks;
 *  - every ticket has a non-empty all-digit id; every event names a ticket;
 *  - bad rows are never more than rows, tickets never more than rows. */
#include <string.h>

#include "fuzz.h"
#include "core/err.h"
#include "importers/zendesk.h"

struct seen {
	const uint8_t *data;
	size_t size;
};

static int on_ticket(void *ctx, const struct rec_ticket *t)
{
	struct seen *s = ctx;
	if (!t->source_id || !*t->source_id || strspn(t->source_id, "-0123456789") != strlen(t->source_id))
		fuzz_fail(s->data, s->size, "ticket without a numeric id");
	return 0;
}

static int on_event(void *ctx, const struct rec_event *ev)
{
	struct seen *s = ctx;
	if (!ev->ticket || !ev->field)
		fuzz_fail(s->data, s->size, "event without ticket or field");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = {data, size};
	struct lserr e;
	for (int pass = 0; pass < 2; pass++) {
		struct import_options o = {.events = pass == 0, .max_bad_rows = pass ? 2 : 0};
		struct import_sink sink = {.ctx = &s, .ticket = on_ticket, .event = on_event};
		struct import_stats st = {0};
		if (zendesk_import_mem(data, size, "<fuzz>", &o, &sink, &st, &e) == 0 &&
		    (st.bad_rows > st.rows || st.tickets > st.rows))
			fuzz_fail(data, size, "%zu bad rows, %zu tickets of %zu rows", st.bad_rows, st.tickets,
			          st.rows);
	}
	return 0;
}
