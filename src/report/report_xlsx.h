/* A report as an XLSX workbook (libxlsxwriter): one sheet per report table, named
 * by its id, with the localised headers, real numbers (not text) in number formats
 * (rates as percent, counts with thousands separators), frozen header rows and no
 * row cap beyond Excel's own 1,048,576. A first sheet "report" names the client,
 * period and the sheets. Room: report; it writes the file at path, because
 * libxlsxwriter writes to a path. */
#pragma once
#include "core/err.h"
#include "report/report.h"

/* Writes the workbook to path. Returns 0, or -EIO / -LS_ETOOLARGE with e's message
 * naming the path and libxlsxwriter's error. */
int report_xlsx(const struct report *r, const char *path, struct lserr *e);
