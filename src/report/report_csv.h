/* Report tables as CSV: RFC 4180 (comma, CRLF, fields quoted when they contain a
 * comma, quote or line break), UTF-8 without BOM, one table per file. The header
 * row has the machine column names (report_table.keys), numbers are written in C
 * notation with the shortest digits that read back as the exact value (so they
 * agree with `leitstand kpi --format json`), rates as fractions, traffic lights as
 * green/amber/red, and a missing value as an empty field. Room: report (pure). */
#pragma once
#include "core/strbuf.h"
#include "report/report.h"

/* Appends table t. Returns 0 or -LS_ETOOLARGE. */
int report_csv_table(const struct report_table *t, struct strbuf *out);
