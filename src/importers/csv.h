/* Streaming CSV input for importers: plain or gzip-compressed files (zlib), a UTF-8
 * byte-order mark skipped, LF or CRLF line ends, separator ',' ';' or tab detected
 * from the first line (or fixed), RFC 4180 quoting ("" inside quotes is one quote,
 * a quoted field may span lines). Room: importers.
 *
 * Leniency, on purpose (real exports break the RFC): a quote inside an unquoted field
 * is data; characters after a closing quote are appended to the field; a lone CR is
 * data. An unterminated quote at the end of the input is an error. Blank lines are
 * skipped (they still count as lines).
 *
 * Bounds: a record may hold at most LS_MAX_IMPORT_ROW_BYTES bytes of field data and
 * LS_MAX_IMPORT_FIELDS fields (core/limits.h). A longer record is consumed to its end
 * and reported as -LS_ETOOLARGE; reading may continue with the next one.
 *
 * Ownership and threads: a reader belongs to one thread. The fields csv_next()
 * returns point into the reader and stay valid until the next csv_next() or
 * csv_close(). csv_close() accepts NULL. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct csv_reader;

struct csv_row {
	/* n NUL-terminated fields, stored back to back in one block: field i+1 starts right
	 * after the NUL of field i, so a consumer can keep a record with one copy of
	 * fields[0] .. end of fields[n-1] (importers buffer the rows of one ticket so). */
	const char *const *fields;
	size_t n;
	unsigned line; /* 1-based physical line where the record starts */
};

/* Opens path (gzip or plain, told apart by its magic bytes). sep is ',', ';', '\t'
 * or 0 to detect it from the first line (the most frequent of the three outside
 * quotes; ',' when none occurs). Returns 0 and a reader, -ENOENT or another negated
 * errno (e names the file), -EINVAL for a bad sep. */
int csv_open_file(const char *path, char sep, struct csv_reader **ret, struct lserr *e);
/* The same over bytes in memory (not gzip); the reader keeps a pointer, the caller
 * keeps data alive until csv_close(). */
int csv_open_mem(const void *data, size_t n, char sep, struct csv_reader **ret, struct lserr *e);
void csv_close(struct csv_reader *r);

/* Reads the next record into *ret. Returns 1 for a record, 0 at the end of the input,
 * -LS_ETOOLARGE (record too long or too many fields; skipped, ret->line names it),
 * -EINVAL (unterminated quote at the end; ret->line names the record), -EIO (read or
 * decompression error; e says which). */
int csv_next(struct csv_reader *r, struct csv_row *ret, struct lserr *e);

/* The separator in use, whether a byte-order mark was skipped, the name for messages. */
char csv_separator(const struct csv_reader *r);
bool csv_had_bom(const struct csv_reader *r);
const char *csv_name(const struct csv_reader *r);
