/* A ZIP archive written into memory (PKWARE APPNOTE 6.3: local headers, deflate,
 * central directory; no ZIP64, so at most 65,535 entries and 4 GiB). Room: core.
 * Names are UTF-8 (general purpose bit 11); times are stored as given (UTC). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"
#include "core/timeutil.h"

struct zip {
	struct strbuf out;     /* the archive so far */
	struct strbuf central; /* the central directory, appended at the end */
	unsigned n;
	int failed;
};

void zip_init(struct zip *z, size_t max_bytes);
/* Adds a file; data compressed with deflate. 0 or a negative code. */
int zip_add(struct zip *z, const char *name, const void *data, size_t n, ls_time mtime);
/* Finishes the archive: *ret is the whole file (owned by the caller, xfree). */
int zip_finish(struct zip *z, char **ret, size_t *ret_n);
void zip_release(struct zip *z);
