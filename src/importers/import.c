/* What every importer shares at run time: reporting a bad row (see import.h).
 * Room: importers. */
#include "importers/import.h"

#include <stdio.h>

int import_vbad_row(const struct import_options *o, const struct import_sink *sink, struct import_stats *st,
                    struct lserr *e, const char *file, unsigned line, char *reason, size_t reason_size, const char *fmt,
                    va_list ap)
{
	vsnprintf(reason, reason_size, fmt, ap);
	st->bad_rows++;
	if (sink->bad_row)
		sink->bad_row(sink->ctx, file, line, reason);
	if (o->max_bad_rows && st->bad_rows >= o->max_bad_rows)
		return lserr_set(e, -EINVAL, "invalid_file", "file",
		                 "%s: %zu bad rows, giving up (last at line %u: %s)", file, st->bad_rows, line, reason);
	return 0;
}
