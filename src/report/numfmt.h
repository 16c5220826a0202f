/* Numbers and dates for people, in German or English: "1.234,5" and "27.11.2026"
 * in German, "1,234.5" and "2026-11-27" in English. Room: report (pure).
 * Every function writes at most n bytes (always terminated) and returns buf. NaN
 * and infinities print as the dash "–" (no value). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* v with `decimals` digits after the separator, thousands grouped. */
char *numfmt_number(double v, int decimals, bool german, char *buf, size_t n);
/* A fraction as a percentage: 0.6342 → "63,4 %" (German) / "63.4%" (English). */
char *numfmt_percent(double fraction, int decimals, bool german, char *buf, size_t n);
/* A civil date: "27.11.2026" / "2026-11-27". */
char *numfmt_date(int64_t y, unsigned m, unsigned d, bool german, char *buf, size_t n);
/* The shortest text that reads back as exactly v ("%.17g" narrowed): what CSV and
 * data attributes carry, so they agree with the JSON to the last digit. */
char *numfmt_exact(double v, char *buf, size_t n);
