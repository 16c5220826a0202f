/* Charts for reports, drawn with cairo: one drawing code for SVG (inlined in HTML),
 * PNG and PDF. Room: report (pure: data in, bytes out; the only streams are cairo's
 * in-memory ones).
 *
 * Kinds: a line chart for trends with an optional target line, horizontal bars for
 * volume by category, team or agent, a heat map of 7 × 24 cells (arrivals by hour of
 * the week, Monday first), and a gauge for a rate against its target (traffic-light
 * zones). Every chart has a title, axis titles carrying the unit, tick values at
 * 1/2/5 × 10^k steps, DejaVu Sans, and the Okabe–Ito palette (safe for colour-blind
 * readers; the traffic light also says its state in words). Missing values (NaN) are
 * gaps; a chart without any value says "no data" instead of drawing axes; values are
 * clamped to ±1e300 so that huge numbers never make the scale infinite.
 *
 * Ownership: a struct chart only points at the caller's data for the duration of a
 * call. Threads: any, each with its own output; fonts come from fontconfig, which is
 * thread-safe. */
#pragma once
#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"

enum chart_kind {
	CHART_LINE,
	CHART_BAR,
	CHART_HEATMAP,
	CHART_GAUGE,
	_CHART_KIND_MAX,
};

enum chart_format {
	CHART_SVG,
	CHART_PNG,
	CHART_PDF,
	_CHART_FORMAT_MAX,
};

#define CHART_MAX_SERIES 4
#define CHART_HEAT_ROWS  7
#define CHART_HEAT_COLS  24

struct chart_series {
	const char *name;     /* legend text */
	const double *values; /* n values (struct chart.n); NaN: no value */
};

struct chart {
	enum chart_kind kind;
	const char *title;
	const char *x_label;           /* axis title with unit, e.g. "Monat" */
	const char *y_label;           /* e.g. "Tickets" or "Stunden (Median)" */
	const char *const *categories; /* n labels: periods (line) or bars */
	size_t n;
	const struct chart_series *series; /* line: up to CHART_MAX_SERIES; bar: the first */
	size_t n_series;
	double target; /* line: a horizontal target line; NaN: none */
	const char *target_label;
	bool percent; /* values are fractions shown as percent */
	bool german;  /* decimal comma, German "no data" text */
	/* heat map: CHART_HEAT_ROWS × CHART_HEAT_COLS values, row-major, Monday first */
	const double *cells;
	const char *const *row_labels; /* 7 day names */
	/* gauge: value against target, zones red < amber < green (higher is better) or
	 * the reverse (lower is better) */
	double value, green, amber;
	bool lower_is_better;
	const char *value_label; /* e.g. "SLA-Erfüllung"; under the number */
};

/* Draws c into the rectangle (x, y, w, h) of cr (points), saving and restoring the
 * cairo state. Never fails: bad data draws as "no data". */
void chart_draw(cairo_t *cr, const struct chart *c, double x, double y, double w, double h);

/* Renders c as a w × h point picture (PNG: 2 pixels per point) and appends the bytes
 * to out. SVG: every id is prefixed with id_prefix (letters, digits, '-'; NULL: "c")
 * so that several charts can be inlined in one HTML document, and the
 * namespace declarations are left out (HTML5 implies them): the text holds no URL. Returns 0, -EINVAL
 * (bad size or format) or -LS_ETOOLARGE (out's maximum reached). */
int chart_render(const struct chart *c, enum chart_format f, double w, double h, const char *id_prefix,
                 struct strbuf *out);

/* Releases cairo's and fontconfig's process-wide caches (fonts loaded for
 * drawing), so that a leak checker sees a clean exit. Call once at process end,
 * after every thread has stopped drawing. */
void chart_shutdown(void);

/* The palette: Okabe & Ito (2008). i wraps around. Components 0..1. */
void chart_palette(unsigned i, double *r, double *g, double *b);
/* Traffic-light colours: 0 green, 1 amber, 2 red, other: grey. */
void chart_light_colour(int state, double *r, double *g, double *b);
