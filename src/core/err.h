/* Error codes and the error record services hand to the edges. Room: core.
 *
 * Fallible functions return 0 or a negative code: a negated errno where one fits,
 * otherwise one of the LS_E* project codes below (also negated when returned).
 * A service that fails for a reason a user must read fills a struct lserr with a
 * machine code from the catalogue (err.c), a message naming the subject and, for
 * validation errors, the field. The edge turns it into an HTTP status and JSON body
 * or a CLI message: the catalogue is the one place that maps codes to statuses. */
#pragma once
#include <errno.h>
#include <stdarg.h>

enum {
	LS_EBASE = 1000,
	LS_ECONFLICT, /* a uniqueness or state conflict */
	LS_ESTALE,    /* If-Match version no longer current */
	LS_EFORBIDDEN,
	LS_ETOOLARGE,
	LS_EDB,   /* storage failure */
	LS_EAUTH, /* authentication failed */
};

struct lserr {
	int rc;           /* negative code */
	const char *code; /* machine code from the catalogue, e.g. "invalid_field" */
	char field[64];   /* offending field, "" when none */
	char message[384];
	char hint[192];
};

/* Sets e (if non-NULL) and returns rc, so callers write `return lserr_set(...)`. */
int lserr_set(struct lserr *e, int rc, const char *code, const char *field, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));
void lserr_hint(struct lserr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lserr_clear(struct lserr *e);

/* HTTP status for a catalogue code; 500 for unknown codes. */
int err_http_status(const char *code);
/* Iterates the catalogue for documentation: returns NULL past the end. */
const char *err_catalogue_code(unsigned i, int *ret_status, const char **ret_meaning);
/* Short text for an error code (negative errno or LS_E*). Never NULL. */
const char *err_str(int rc);
