/* A report as one self-contained HTML file: inline CSS and SVG charts, no external
 * reference of any kind, laid out for the screen and for printing on A4. Room:
 * report (pure).
 *
 * Structure (what tests and readers can rely on): <header class="cover"> with the
 * title (h1), <section class="tiles">, then per model block an h2, p, ul,
 * <div class="charts"> of <figure> with an inline <svg>, or <table class="data"
 * id="t-ID"> whose rows carry data-key (the KPI's JSON key, in the KPI table) and
 * whose number cells carry data-value: the exact value, as the JSON prints it. */
#pragma once
#include "core/strbuf.h"
#include "report/report.h"

/* Appends the document to out. Returns 0 or -LS_ETOOLARGE (out's maximum). */
int report_html(const struct report *r, struct strbuf *out);
