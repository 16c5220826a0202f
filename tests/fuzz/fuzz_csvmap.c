/* Fuzz target for the generic CSV importer (importers/csvmap) over arbitrary bytes.
 *
 * Input: when it starts with '{', the bytes up to the first blank line are a mapping
 * (fuzzing csvmap_parse) and the rest is the CSV; otherwise the first byte picks a
 * built-in preset and the rest is the CSV.
 *
 * Properties:
 *  - parsing and importing end with 0 or a negative code, never crash or leak;
 *  - every ticket has a non-empty source id, and tickets and bad rows are never more
 *    than the rows read. */
#include <string.h>

#include "fuzz.h"
#include "core/err.h"
#include "importers/csvmap.h"

struct seen {
	const uint8_t *data;
	size_t size;
};

static int on_ticket(void *ctx, const struct rec_ticket *t)
{
	struct seen *s = ctx;
	if (!t->source_id || !*t->source_id)
		fuzz_fail(s->data, s->size, "ticket without id");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = {data, size};
	struct csvmap *m = NULL;
	struct lserr e;
	const uint8_t *csv;
	size_t n;
	if (size == 0)
		return 0;
	if (data[0] == '{') {
		const uint8_t *end = NULL;
		for (size_t i = 0; i + 1 < size && !end; i++)
			if (data[i] == '\n' && data[i + 1] == '\n')
				end = data + i;
		if (!end)
			end = data + size;
		if (csvmap_parse((const char *)data, (size_t)(end - data), &m, &e) < 0)
			return 0;
		csv = end;
		n = size - (size_t)(end - data);
	} else {
		size_t k = 0;
		while (csvmap_presets[k])
			k++;
		const char *js = csvmap_preset_json(csvmap_presets[data[0] % k]);
		if (csvmap_parse(js, strlen(js), &m, &e) < 0)
			fuzz_fail(data, size, "preset %s does not parse", csvmap_presets[data[0] % k]);
		csv = data + 1;
		n = size - 1;
	}
	struct csv_reader *r = NULL;
	if (csv_open_mem(csv, n, csvmap_separator(m), &r, &e) == 0) {
		struct import_options o = {.events = true};
		struct import_sink sink = {.ctx = &s, .ticket = on_ticket};
		struct import_stats st = {0};
		if (csvmap_import(r, m, &o, &sink, &st, &e) == 0 && (st.bad_rows > st.rows || st.tickets > st.rows))
			fuzz_fail(data, size, "%zu tickets, %zu bad rows of %zu", st.tickets, st.bad_rows, st.rows);
		csv_close(r);
	}
	csvmap_free(m);
	return 0;
}
