/* Fuzz target for the CSV reader and the ServiceNow importer (importers/csv,
 * importers/servicenow) over arbitrary bytes, and for value_time on each field.
 *
 * Properties:
 *  - the import ends with 0 or a negative code, never crashes or leaks;
 *  - every ticket has a non-empty number, bad rows are never more than rows;
 *  - every record csv_next() returns has at least one field, and the value parsers
 *    accept or refuse each field without reading past its NUL. */
#include <string.h>

#include "fuzz.h"
#include "core/err.h"
#include "importers/servicenow.h"

struct seen {
	const uint8_t *data;
	size_t size;
};

static int on_ticket(void *ctx, const struct rec_ticket *t)
{
	struct seen *s = ctx;
	if (!t->source_id || !*t->source_id)
		fuzz_fail(s->data, s->size, "ticket without number");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = {data, size};
	struct csv_reader *r = NULL;
	struct lserr e;
	if (csv_open_mem(data, size, 0, &r, &e) < 0)
		return 0;
	struct import_options o = {.events = true};
	struct import_sink sink = {.ctx = &s, .ticket = on_ticket};
	struct import_stats st = {0};
	if (servicenow_import(r, &o, &sink, &st, &e) == 0 && st.bad_rows > st.rows)
		fuzz_fail(data, size, "%zu bad rows of %zu", st.bad_rows, st.rows);
	csv_close(r);

	if (csv_open_mem(data, size, ';', &r, &e) < 0)
		return 0;
	struct csv_row row;
	int rc;
	while ((rc = csv_next(r, &row, &e)) != 0) {
		if (rc < 0) {
			if (rc == -LS_ETOOLARGE)
				continue;
			break;
		}
		for (size_t i = 0; i < row.n; i++) {
			ls_time t;
			(void)value_time(row.fields[i], VALUE_DMY, NULL, &t);
			double d;
			(void)value_double(row.fields[i], -1e300, 1e300, &d);
		}
		if (row.n == 0)
			fuzz_fail(data, size, "record without fields");
	}
	csv_close(r);
	return 0;
}
