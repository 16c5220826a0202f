/* A report as PDF, drawn with cairo: A4 portrait, a title block, the charts as
 * vector graphics, tables that continue on the next page with their header
 * repeated, a footer with "Page n of N" on every page, and for quarterly reports a
 * table of contents with page numbers on page 1. Room: report (pure: the bytes go
 * to out through cairo's stream interface).
 *
 * Two passes: the first lays out without output to count pages and find where each
 * section starts; the second draws. */
#pragma once
#include "core/strbuf.h"
#include "report/report.h"

/* Appends the PDF to out. Returns 0 or -LS_ETOOLARGE. */
int report_pdf(const struct report *r, struct strbuf *out);
