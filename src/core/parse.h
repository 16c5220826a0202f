/* Checked number parsing: the only way text becomes a number. Room: core.
 * Each returns 0 and writes *ret, or -EINVAL (not a number, trailing junk, empty)
 * or -ERANGE (outside [min,max]); *ret is untouched on failure. */
#pragma once
#include <stdint.h>

int parse_i64(const char *s, int64_t min, int64_t max, int64_t *ret);
int parse_int(const char *s, int min, int max, int *ret);
/* A plain decimal number ("12", "-0.5", "1e3", ".25"): no leading spaces, no hex,
 * no "inf" or "nan"; the result must be finite and within [min,max]. Independent of
 * the process locale's decimal separator only while LC_NUMERIC is "C" (we never
 * call setlocale). */
int parse_double(const char *s, double min, double max, double *ret);
/* "127.0.0.1:8080" → host (static buffer of size hostsz) and port 0..65535. */
int parse_listen(const char *s, char *host, unsigned hostsz, uint16_t *ret_port);
