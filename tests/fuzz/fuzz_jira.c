/* Fuzz target for the Jira importer (importers/jira) over arbitrary bytes, read as
 * CSV with the separator detected and with ';'.
 *
 * Properties:
 *  - the import ends with 0 or a negative code, never crashes or leaks;
 *  - every ticket has a non-empty key and source "jira"; every event names a ticket;
 *  - bad rows are never more than rows, tickets never more than rows. */
#include <string.h>

#include "fuzz.h"
#include "core/err.h"
#include "importers/jira.h"

struct seen {
	const uint8_t *data;
	size_t size;
};

static int on_ticket(void *ctx, const struct rec_ticket *t)
{
	struct seen *s = ctx;
	if (!t->source_id || !*t->source_id || strcmp(t->source, "jira") != 0)
		fuzz_fail(s->data, s->size, "ticket without key");
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
	static const char seps[] = {0, ';'};
	struct seen s = {data, size};
	for (size_t i = 0; i < sizeof(seps); i++) {
		struct csv_reader *r = NULL;
		struct lserr e;
		if (csv_open_mem(data, size, seps[i], &r, &e) < 0)
			return 0;
		struct import_options o = {.events = true, .max_bad_rows = i ? 3 : 0};
		struct import_sink sink = {.ctx = &s, .ticket = on_ticket, .event = on_event};
		struct import_stats st = {0};
		if (jira_import(r, &o, &sink, &st, &e) == 0 && (st.bad_rows > st.rows || st.tickets > st.rows))
			fuzz_fail(data, size, "%zu bad rows, %zu tickets of %zu rows", st.bad_rows, st.tickets,
			          st.rows);
		csv_close(r);
	}
	return 0;
}
