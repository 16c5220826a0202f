/* Streaming CSV reader (see csv.h). Room: importers.
 *
 * Input arrives in chunks (zlib's gzread, which passes plain files through, or one
 * chunk from memory); record bytes are copied, unquoted, into one growable row
 * buffer with a NUL after each field, so a chunk can be replaced at any point —
 * no record ever needs two chunks at once. Runs of ordinary bytes are copied with one
 * memcpy; only separators, quotes and line ends go through the state machine.
 * Invariants: nf <= LS_MAX_IMPORT_FIELDS; rlen <= LS_MAX_IMPORT_ROW_BYTES + fields
 * (the NULs); fields[] is rebuilt from offs[] only when a record is complete, because
 * rbuf may move while it grows. */
#include "importers/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/limits.h"

#define CHUNK_BYTES (256 * 1024)

struct csv_reader {
	gzFile gz;       /* NULL for memory input */
	const char *buf; /* current chunk */
	char *own;       /* chunk storage for file input */
	size_t pos, len;
	bool eof, bom;
	int ioerr; /* sticky negative code of a failed read */
	char sep;
	unsigned line;
	char *rbuf; /* fields of the current record */
	size_t rlen, rcap;
	size_t *offs;        /* start of each field in rbuf */
	const char **fields; /* pointers handed out, rebuilt per record */
	size_t nf, fcap;
	bool overflow;
	char name[256];
};

static int refill(struct csv_reader *r)
{
	r->pos = r->len = 0;
	if (r->eof || r->ioerr)
		return r->ioerr;
	if (!r->gz) {
		r->eof = true;
		return 0;
	}
	int n = gzread(r->gz, r->own, CHUNK_BYTES);
	if (n < 0) {
		r->ioerr = -EIO;
		return r->ioerr;
	}
	if (n == 0)
		r->eof = true;
	r->buf = r->own;
	r->len = (size_t)n;
	return 0;
}

/* The next byte without consuming it, refilling as needed; -1 at the end or on error. */
static int peek(struct csv_reader *r)
{
	if (r->pos == r->len && refill(r) < 0)
		return -1;
	return r->pos < r->len ? (unsigned char)r->buf[r->pos] : -1;
}

static void detect(struct csv_reader *r)
{
	if (r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
		r->pos = 3;
		r->bom = true;
	}
	if (r->sep)
		return;
	size_t comma = 0, semi = 0, tab = 0;
	bool inq = false;
	for (size_t i = r->pos; i < r->len; i++) {
		char c = r->buf[i];
		if (c == '"')
			inq = !inq;
		else if (inq)
			continue;
		else if (c == '\n')
			break;
		else if (c == ',')
			comma++;
		else if (c == ';')
			semi++;
		else if (c == '\t')
			tab++;
	}
	r->sep = ',';
	if (semi > comma && semi >= tab)
		r->sep = ';';
	else if (tab > comma && tab > semi)
		r->sep = '\t';
}

static int make(const char *name, char sep, struct csv_reader **ret, struct lserr *e)
{
	if (sep != 0 && sep != ',' && sep != ';' && sep != '\t')
		return lserr_set(e, -EINVAL, "invalid_field", "separator", "separator must be ',', ';' or tab");
	struct csv_reader *r = xcalloc(1, sizeof(*r));
	r->sep = sep;
	r->line = 1;
	r->rcap = 4096;
	r->rbuf = xmalloc(r->rcap);
	r->fcap = 64;
	r->offs = xmalloc(r->fcap * sizeof(*r->offs));
	r->fields = xmalloc(r->fcap * sizeof(*r->fields));
	snprintf(r->name, sizeof(r->name), "%s", name);
	*ret = r;
	return 0;
}

int csv_open_file(const char *path, char sep, struct csv_reader **ret, struct lserr *e)
{
	struct csv_reader *r = NULL;
	int rc = make(path, sep, &r, e);
	if (rc < 0)
		return rc;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		csv_close(r);
		return lserr_set(e, rc, rc == -ENOENT ? "not_found" : "io_error", "file", "%s: %s", path,
		                 strerror(-rc));
	}
	r->gz = gzdopen(fd, "rb");
	if (!r->gz) {
		close(fd);
		csv_close(r);
		return lserr_set(e, -ENOMEM, "io_error", "file", "%s: cannot start decompression", path);
	}
	gzbuffer(r->gz, CHUNK_BYTES);
	r->own = xmalloc(CHUNK_BYTES);
	if (refill(r) < 0) {
		csv_close(r);
		return lserr_set(e, -EIO, "io_error", "file", "%s: read error (corrupt gzip data?)", path);
	}
	detect(r);
	*ret = r;
	return 0;
}

int csv_open_mem(const void *data, size_t n, char sep, struct csv_reader **ret, struct lserr *e)
{
	struct csv_reader *r = NULL;
	int rc = make("<memory>", sep, &r, e);
	if (rc < 0)
		return rc;
	r->buf = data;
	r->len = n;
	r->eof = true; /* the one chunk is already here */
	detect(r);
	*ret = r;
	return 0;
}

void csv_close(struct csv_reader *r)
{
	if (!r)
		return;
	if (r->gz)
		gzclose(r->gz);
	xfree(r->own);
	xfree(r->rbuf);
	xfree(r->offs);
	xfree(r->fields);
	xfree(r);
}

char csv_separator(const struct csv_reader *r)
{
	return r->sep;
}

bool csv_had_bom(const struct csv_reader *r)
{
	return r->bom;
}

const char *csv_name(const struct csv_reader *r)
{
	return r->name;
}

static void append(struct csv_reader *r, const char *p, size_t n)
{
	if (r->overflow)
		return;
	if (r->rlen + n + 1 > LS_MAX_IMPORT_ROW_BYTES) {
		r->overflow = true;
		return;
	}
	if (r->rlen + n + 1 > r->rcap) {
		while (r->rlen + n + 1 > r->rcap)
			r->rcap *= 2;
		r->rbuf = xrealloc(r->rbuf, r->rcap);
	}
	memcpy(r->rbuf + r->rlen, p, n);
	r->rlen += n;
}

static void end_field(struct csv_reader *r, size_t start)
{
	if (r->overflow)
		return;
	if (r->nf == LS_MAX_IMPORT_FIELDS) {
		r->overflow = true;
		return;
	}
	if (r->nf == r->fcap) {
		r->fcap *= 2;
		r->offs = xrealloc(r->offs, r->fcap * sizeof(*r->offs));
		r->fields = xrealloc(r->fields, r->fcap * sizeof(*r->fields));
	}
	if (r->rlen + 1 > r->rcap) {
		r->rcap *= 2;
		r->rbuf = xrealloc(r->rbuf, r->rcap);
	}
	r->offs[r->nf++] = start;
	r->rbuf[r->rlen++] = '\0';
}

static void row_reset(struct csv_reader *r)
{
	r->rlen = 0;
	r->nf = 0;
	r->overflow = false;
}

int csv_next(struct csv_reader *r, struct csv_row *ret, struct lserr *e)
{
	const char sep = r->sep;
	size_t start = 0;      /* rbuf offset of the open field */
	bool inq = false;      /* inside quotes */
	bool touched = false;  /* the open field saw a byte or a quote */
	bool nonblank = false; /* the record saw anything at all */
	unsigned first = r->line;

	row_reset(r);
	for (;;) {
		if (r->pos == r->len) {
			if (refill(r) < 0)
				return lserr_set(e, -EIO, "io_error", "file", "%s:%u: read error (corrupt gzip data?)",
				                 r->name, r->line);
			if (r->len == 0) {
				ret->line = first;
				if (inq) {
					row_reset(r);
					return lserr_set(e, -EINVAL, "invalid_csv", "file",
					                 "%s:%u: unterminated quoted field", r->name, first);
				}
				if (!nonblank)
					return 0;
				break; /* last record without a line end */
			}
		}
		const char *p = r->buf + r->pos, *end = r->buf + r->len, *q = p;
		if (inq) {
			while (q < end && *q != '"' && *q != '\n')
				q++;
			append(r, p, (size_t)(q - p));
			r->pos += (size_t)(q - p);
			if (q == end)
				continue;
			r->pos++;
			if (*q == '\n') {
				r->line++;
				append(r, "\n", 1);
				continue;
			}
			if (peek(r) == '"') {
				r->pos++;
				append(r, "\"", 1);
			} else {
				inq = false;
			}
			continue;
		}
		while (q < end && *q != sep && *q != '\n' && *q != '\r' && *q != '"')
			q++;
		if (q > p) {
			append(r, p, (size_t)(q - p));
			r->pos += (size_t)(q - p);
			touched = nonblank = true;
			continue;
		}
		char c = *q;
		r->pos++;
		if (c == sep) {
			end_field(r, start);
			start = r->rlen;
			touched = false;
			nonblank = true;
		} else if (c == '"') {
			if (!touched)
				inq = true;
			else
				append(r, "\"", 1);
			touched = nonblank = true;
		} else if (c == '\r') {
			if (peek(r) == '\n')
				continue; /* the LF ends the record */
			append(r, "\r", 1);
			touched = nonblank = true;
		} else { /* '\n' */
			r->line++;
			if (!nonblank) {
				first = r->line; /* blank line */
				continue;
			}
			break;
		}
	}
	end_field(r, start);
	ret->line = first;
	if (r->overflow) {
		row_reset(r);
		return lserr_set(e, -LS_ETOOLARGE, "too_large", "file",
		                 "%s:%u: record longer than %d bytes or %d fields", r->name, first,
		                 LS_MAX_IMPORT_ROW_BYTES, LS_MAX_IMPORT_FIELDS);
	}
	for (size_t i = 0; i < r->nf; i++)
		r->fields[i] = r->rbuf + r->offs[i];
	ret->fields = r->fields;
	ret->n = r->nf;
	return 1;
}
