/* Chart drawing on cairo (see chart.h). Room: report.
 *
 * One drawing function per kind works on any cairo context; chart_render() only
 * chooses the surface. Invariants: no coordinate handed to cairo is derived from a
 * non-finite number (values are checked and clamped first), so SVG output never
 * contains "nan"; text is drawn with cairo's toy API in DejaVu Sans, which is enough
 * for the short labels of a chart (no wrapping). */
#define _GNU_SOURCE /* memmem */
#include "report/chart.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/err.h"
#include "report/numfmt.h"

#define FONT     "DejaVu Sans"
#define CLAMP_V  1e300
#define MAX_SIDE 10000.0

static const double okabe_ito[][3] = {
        {0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0}, /* blue */
        {0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0}, /* orange */
        {0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0}, /* bluish green */
        {0xCC / 255.0, 0x79 / 255.0, 0xA7 / 255.0}, /* reddish purple */
        {0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0}, /* sky blue */
        {0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0}, /* vermillion */
        {0xF0 / 255.0, 0xE4 / 255.0, 0x42 / 255.0}, /* yellow */
};

void chart_palette(unsigned i, double *r, double *g, double *b)
{
	const double *c = okabe_ito[i % ELEMENTSOF(okabe_ito)];
	*r = c[0];
	*g = c[1];
	*b = c[2];
}

void chart_light_colour(int state, double *r, double *g, double *b)
{
	static const double c[][3] = {
	        {0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0}, /* green: bluish green */
	        {0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0}, /* amber: orange */
	        {0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0}, /* red: vermillion */
	        {0.62, 0.62, 0.62},
	};
	int i = state >= 0 && state <= 2 ? state : 3;
	*r = c[i][0];
	*g = c[i][1];
	*b = c[i][2];
}

static double clampv(double v)
{
	return v > CLAMP_V ? CLAMP_V : v < -CLAMP_V ? -CLAMP_V : v;
}

static void set_rgb(cairo_t *cr, double r, double g, double b)
{
	cairo_set_source_rgb(cr, r, g, b);
}

static void font(cairo_t *cr, double size, bool bold)
{
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
	                       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

static double text_width(cairo_t *cr, const char *s)
{
	cairo_text_extents_t e;
	cairo_text_extents(cr, s, &e);
	return e.x_advance;
}

/* s cut to at most maxw points, with "…" when cut; whole UTF-8 characters only. */
static const char *fit(cairo_t *cr, const char *s, double maxw, char *buf, size_t n)
{
	if (!s)
		s = "";
	if (text_width(cr, s) <= maxw)
		return s;
	size_t len = strlen(s);
	if (len + 4 > n)
		len = n - 4;
	while (len > 0) {
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
		memcpy(buf, s, len);
		memcpy(buf + len, "…", sizeof("…"));
		if (text_width(cr, buf) <= maxw)
			return buf;
		len--;
	}
	snprintf(buf, n, "…");
	return buf;
}

/* Draws s with its anchor at (x, y): align 0 left, 0.5 centre, 1 right; y is the
 * baseline. */
static void text_at(cairo_t *cr, const char *s, double x, double y, double align)
{
	cairo_move_to(cr, x - align * text_width(cr, s), y);
	cairo_show_text(cr, s);
}

/* A nice step (1, 2, 2.5 or 5 × 10^k) for about `ticks` intervals over range. */
static double nice_step(double range, int ticks)
{
	if (!(range > 0) || !isfinite(range))
		return 1;
	double raw = range / ticks;
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	double nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
	return nf * mag;
}

struct scale {
	double lo, hi, step;
	int decimals;
};

/* Axis bounds covering [lo, hi] and zero, on whole steps. */
static struct scale make_scale(double lo, double hi)
{
	struct scale s;
	if (lo > 0)
		lo = 0;
	if (hi < 0)
		hi = 0;
	if (hi - lo < 1e-12 * fmax(1, fabs(hi)))
		hi = lo + (lo == 0 ? 1 : fabs(lo));
	/* lo and hi may be ±1e300: halve before subtracting so the range stays finite */
	double range = 2 * (hi / 2 - lo / 2);
	if (!isfinite(range))
		range = 2 * CLAMP_V;
	s.step = nice_step(range, 5);
	s.lo = floor(lo / s.step) * s.step;
	s.hi = ceil(hi / s.step) * s.step;
	if (!isfinite(s.lo) || !isfinite(s.hi)) {
		s.lo = lo;
		s.hi = hi;
	}
	s.decimals = s.step >= 1 ? 0 : (int)ceil(-log10(s.step) - 1e-9);
	if (s.decimals > 6)
		s.decimals = 6;
	return s;
}

static void tick_label(double v, const struct scale *s, bool percent, bool german, char *buf, size_t n)
{
	if (fabs(v) < s->step * 1e-9)
		v = 0;
	if (percent) {
		int d = s->decimals > 2 ? s->decimals - 2 : 0;
		numfmt_percent(v, d, german, buf, n);
	} else if (fabs(v) >= 1e9) {
		snprintf(buf, n, "%.3g", v);
	} else {
		numfmt_number(v, s->decimals, german, buf, n);
	}
}

static void value_label(double v, bool percent, bool german, char *buf, size_t n)
{
	if (percent)
		numfmt_percent(v, 1, german, buf, n);
	else if (fabs(v) >= 1e9)
		snprintf(buf, n, "%.3g", v);
	else
		numfmt_number(v, fabs(v) >= 100 || v == floor(v) ? 0 : 1, german, buf, n);
}

static double title_block(cairo_t *cr, const struct chart *c, double x, double y, double w)
{
	char buf[256];
	set_rgb(cr, 0.1, 0.1, 0.12);
	font(cr, 12, true);
	text_at(cr, fit(cr, c->title, w, buf, sizeof(buf)), x, y + 13, 0);
	return 22;
}

static void no_data(cairo_t *cr, const struct chart *c, double x, double y, double w, double h)
{
	set_rgb(cr, 0.55, 0.55, 0.58);
	font(cr, 11, false);
	text_at(cr, c->german ? "Keine Daten" : "No data", x + w / 2, y + h / 2, 0.5);
}

static size_t n_series(const struct chart *c)
{
	size_t k = c->series ? c->n_series : 0;
	return k > CHART_MAX_SERIES ? CHART_MAX_SERIES : k;
}

static bool value_at(const struct chart *c, size_t s, size_t i, double *ret)
{
	if (!c->series[s].values)
		return false;
	double v = c->series[s].values[i];
	if (!isfinite(v))
		return false;
	*ret = clampv(v);
	return true;
}

/* Legend under the title; returns its height. */
static double legend(cairo_t *cr, const struct chart *c, double x, double y, double w)
{
	size_t k = n_series(c);
	bool tgt = isfinite(c->target);
	if (k <= 1 && !tgt)
		return 0;
	char buf[128];
	font(cr, 8.5, false);
	double cx = x;
	for (size_t s = 0; s < k + tgt; s++) {
		const char *name = s < k ? c->series[s].name : c->target_label;
		name = fit(cr, name ? name : "", w / 3, buf, sizeof(buf));
		double r, g, b;
		if (s < k)
			chart_palette((unsigned)s, &r, &g, &b);
		else
			chart_light_colour(2, &r, &g, &b);
		set_rgb(cr, r, g, b);
		cairo_set_line_width(cr, 2);
		if (s == k) {
			double dash[] = {4, 3};
			cairo_set_dash(cr, dash, 2, 0);
		}
		cairo_move_to(cr, cx, y + 5);
		cairo_line_to(cr, cx + 16, y + 5);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		set_rgb(cr, 0.25, 0.25, 0.28);
		text_at(cr, name, cx + 20, y + 8.5, 0);
		cx += 20 + text_width(cr, name) + 14;
	}
	return 16;
}

static void y_axis_title(cairo_t *cr, const char *label, double x, double y_mid, double maxh)
{
	if (!label || !*label)
		return;
	char buf[128];
	font(cr, 8.5, false);
	set_rgb(cr, 0.35, 0.35, 0.38);
	const char *s = fit(cr, label, maxh, buf, sizeof(buf));
	cairo_save(cr);
	cairo_translate(cr, x, y_mid);
	cairo_rotate(cr, -M_PI / 2);
	text_at(cr, s, 0, 0, 0.5);
	cairo_restore(cr);
}

static void draw_line(cairo_t *cr, const struct chart *c, double x, double y, double w, double h)
{
	double top = y + title_block(cr, c, x, y, w);
	top += legend(cr, c, x, top, w);
	size_t k = n_series(c);
	double lo = INFINITY, hi = -INFINITY;
	size_t points = 0;
	for (size_t s = 0; s < k; s++)
		for (size_t i = 0; i < c->n; i++) {
			double v;
			if (value_at(c, s, i, &v)) {
				lo = fmin(lo, v);
				hi = fmax(hi, v);
				points++;
			}
		}
	if (!points) {
		no_data(cr, c, x, top, w, y + h - top);
		return;
	}
	if (isfinite(c->target)) {
		lo = fmin(lo, clampv(c->target));
		hi = fmax(hi, clampv(c->target));
	}
	if (c->percent && hi <= 1 && lo >= 0)
		hi = fmax(hi, 1); /* rates: the full 0-100 % scale, so a dip is not dramatised */
	struct scale sc = make_scale(lo, hi);
	char buf[128];
	font(cr, 8.5, false);
	double lw = 0;
	for (double t = sc.lo; t <= sc.hi + sc.step / 2; t += sc.step) {
		tick_label(t, &sc, c->percent, c->german, buf, sizeof(buf));
		lw = fmax(lw, text_width(cr, buf));
		if (sc.hi - sc.lo > sc.step * 50)
			break;
	}
	double left = x + 14 + lw + 6, right = x + w - 8, bottom = y + h - 30;
	if (right - left < 20 || bottom - top < 20) {
		no_data(cr, c, x, top, w, y + h - top);
		return;
	}
	double span = sc.hi / 2 - sc.lo / 2;
#define YPOS(v) (bottom - ((v) / 2 - sc.lo / 2) / span * (bottom - top - 6))
	/* grid and tick labels */
	int nt = (int)fmin(50, floor((sc.hi / 2 - sc.lo / 2) / (sc.step / 2) + 0.5));
	for (int i = 0; i <= nt; i++) {
		double t = sc.lo + i * sc.step;
		double py = YPOS(t);
		set_rgb(cr, 0.88, 0.88, 0.9);
		cairo_set_line_width(cr, 0.6);
		cairo_move_to(cr, left, py);
		cairo_line_to(cr, right, py);
		cairo_stroke(cr);
		set_rgb(cr, 0.35, 0.35, 0.38);
		tick_label(t, &sc, c->percent, c->german, buf, sizeof(buf));
		text_at(cr, buf, left - 5, py + 3, 1);
	}
	y_axis_title(cr, c->y_label, x + 8, (top + bottom) / 2, bottom - top);
	/* x labels, thinned so they do not overlap */
	double slot = c->n > 1 ? (right - left - 16) / (double)(c->n - 1) : 0;
	double x0 = c->n > 1 ? left + 8 : (left + right) / 2;
	double maxlw = 0;
	for (size_t i = 0; i < c->n; i++)
		maxlw = fmax(maxlw, text_width(cr, c->categories && c->categories[i] ? c->categories[i] : ""));
	size_t every = slot > 0 ? (size_t)ceil((maxlw + 6) / slot) : 1;
	if (every < 1)
		every = 1;
	set_rgb(cr, 0.35, 0.35, 0.38);
	for (size_t i = 0; i < c->n; i++) {
		if ((c->n - 1 - i) % every)
			continue; /* keep the last (current) period labelled */
		const char *l = c->categories && c->categories[i] ? c->categories[i] : "";
		text_at(cr, fit(cr, l, fmax(slot * every - 4, 30), buf, sizeof(buf)), x0 + slot * i, bottom + 12, 0.5);
	}
	if (c->x_label && *c->x_label)
		text_at(cr, fit(cr, c->x_label, right - left, buf, sizeof(buf)), (left + right) / 2, bottom + 25, 0.5);
	set_rgb(cr, 0.45, 0.45, 0.48);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, left, bottom);
	cairo_line_to(cr, right, bottom);
	cairo_stroke(cr);
	/* target */
	if (isfinite(c->target)) {
		double r, g, b;
		chart_light_colour(2, &r, &g, &b);
		set_rgb(cr, r, g, b);
		double dash[] = {5, 3};
		cairo_set_dash(cr, dash, 2, 0);
		cairo_set_line_width(cr, 1.4);
		double py = YPOS(clampv(c->target));
		cairo_move_to(cr, left, py);
		cairo_line_to(cr, right, py);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}
	struct end_label {
		char text[48];
		unsigned series;
		double x, y, align;
	} ends[8];
	size_t n_ends = 0;
	/* series: segments between consecutive values, a dot on every value */
	for (size_t s = 0; s < k; s++) {
		double r, g, b, v;
		chart_palette((unsigned)s, &r, &g, &b);
		set_rgb(cr, r, g, b);
		cairo_set_line_width(cr, 2);
		bool open = false;
		for (size_t i = 0; i < c->n; i++) {
			if (!value_at(c, s, i, &v)) {
				open = false;
				continue;
			}
			if (open)
				cairo_line_to(cr, x0 + slot * i, YPOS(v));
			else
				cairo_move_to(cr, x0 + slot * i, YPOS(v));
			open = true;
		}
		cairo_stroke(cr);
		for (size_t i = 0; i < c->n; i++)
			if (value_at(c, s, i, &v)) {
				cairo_arc(cr, x0 + slot * i, YPOS(v), 2.6, 0, 2 * M_PI);
				cairo_fill(cr);
			}
		/* the last value, labelled: what a reader looks for first (drawn below,
		 * once every series' label has a place) */
		for (size_t i = c->n; i-- > 0 && s < ELEMENTSOF(ends);)
			if (value_at(c, s, i, &v)) {
				struct end_label *e = &ends[n_ends++];
				value_label(v, c->percent, c->german, e->text, sizeof(e->text));
				e->series = (unsigned)s;
				e->x = x0 + slot * i;
				e->y = YPOS(v) - 6;
				e->align = i + 1 == c->n && c->n > 1 ? 1 : 0.5;
				break;
			}
	}
	/* labels at least a line apart, the higher value above, none above the plot */
	for (size_t i = 1; i < n_ends; i++)
		for (size_t j = i; j > 0 && ends[j].y < ends[j - 1].y; j--) {
			struct end_label t = ends[j];
			ends[j] = ends[j - 1];
			ends[j - 1] = t;
		}
	for (size_t i = 0; i < n_ends; i++) {
		if (ends[i].y < top + 8)
			ends[i].y = top + 8;
		if (i && ends[i].y - ends[i - 1].y < 11)
			ends[i].y = ends[i - 1].y + 11;
	}
	font(cr, 8.5, true);
	for (size_t i = 0; i < n_ends; i++) {
		/* a light halo keeps the label readable where it crosses a line */
		double tw = text_width(cr, ends[i].text), r, g, b;
		cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
		cairo_rectangle(cr, ends[i].x - ends[i].align * tw - 1.5, ends[i].y - 8.5, tw + 3, 10.5);
		cairo_fill(cr);
		chart_palette(ends[i].series, &r, &g, &b);
		set_rgb(cr, r, g, b);
		text_at(cr, ends[i].text, ends[i].x, ends[i].y, ends[i].align);
	}
	font(cr, 8.5, false);
#undef YPOS
}

static void draw_bar(cairo_t *cr, const struct chart *c, double x, double y, double w, double h)
{
	double top = y + title_block(cr, c, x, y, w) + 4;
	double lo = INFINITY, hi = -INFINITY, v;
	size_t points = 0;
	for (size_t i = 0; n_series(c) && i < c->n; i++)
		if (value_at(c, 0, i, &v)) {
			lo = fmin(lo, v);
			hi = fmax(hi, v);
			points++;
		}
	if (!points) {
		no_data(cr, c, x, top, w, y + h - top);
		return;
	}
	struct scale sc = make_scale(lo, hi);
	char buf[160];
	font(cr, 8.5, false);
	double labw = 0;
	for (size_t i = 0; i < c->n; i++)
		labw = fmax(labw, text_width(cr, c->categories && c->categories[i] ? c->categories[i] : ""));
	labw = fmin(labw, w * 0.32);
	double left = x + labw + 8, right = x + w - 46, bottom = y + h - 26;
	if (right - left < 20 || bottom - top < 10) {
		no_data(cr, c, x, top, w, y + h - top);
		return;
	}
	double span = sc.hi / 2 - sc.lo / 2;
#define XPOS(val) (left + ((val) / 2 - sc.lo / 2) / span * (right - left))
	int nt = (int)fmin(50, floor(span / (sc.step / 2) + 0.5));
	for (int i = 0; i <= nt; i++) {
		double t = sc.lo + i * sc.step;
		double px = XPOS(t);
		set_rgb(cr, 0.88, 0.88, 0.9);
		cairo_set_line_width(cr, 0.6);
		cairo_move_to(cr, px, top);
		cairo_line_to(cr, px, bottom);
		cairo_stroke(cr);
		set_rgb(cr, 0.35, 0.35, 0.38);
		tick_label(t, &sc, c->percent, c->german, buf, sizeof(buf));
		text_at(cr, buf, px, bottom + 11, 0.5);
	}
	if (c->x_label && *c->x_label)
		text_at(cr, fit(cr, c->x_label, right - left, buf, sizeof(buf)), (left + right) / 2, bottom + 23, 0.5);
	double row = (bottom - top) / (double)c->n;
	double bh = fmin(row * 0.7, 18);
	double zero = XPOS(0.0);
	double r, g, b;
	chart_palette(0, &r, &g, &b);
	for (size_t i = 0; i < c->n; i++) {
		double cy = top + row * (i + 0.5);
		set_rgb(cr, 0.2, 0.2, 0.22);
		const char *l = c->categories && c->categories[i] ? c->categories[i] : "";
		if (row >= 7)
			text_at(cr, fit(cr, l, labw, buf, sizeof(buf)), left - 5, cy + 3, 1);
		if (!value_at(c, 0, i, &v))
			continue;
		double px = XPOS(v);
		set_rgb(cr, r, g, b);
		cairo_rectangle(cr, fmin(zero, px), cy - bh / 2, fabs(px - zero), bh);
		cairo_fill(cr);
		if (row >= 7) {
			set_rgb(cr, 0.2, 0.2, 0.22);
			value_label(v, c->percent, c->german, buf, sizeof(buf));
			text_at(cr, buf, v >= 0 ? px + 3 : px - 3, cy + 3, v >= 0 ? 0 : 1);
		}
	}
	set_rgb(cr, 0.45, 0.45, 0.48);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, zero, top);
	cairo_line_to(cr, zero, bottom);
	cairo_stroke(cr);
#undef XPOS
}

/* Sequential blue (light to dark), readable for every kind of colour vision. */
static void heat_colour(double t, double *r, double *g, double *b)
{
	static const double lo[3] = {0.97, 0.98, 1.0}, hi[3] = {0.03, 0.19, 0.42};
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	*r = lo[0] + (hi[0] - lo[0]) * t;
	*g = lo[1] + (hi[1] - lo[1]) * t;
	*b = lo[2] + (hi[2] - lo[2]) * t;
}

static void draw_heat(cairo_t *cr, const struct chart *c, double x, double y, double w, double h)
{
	double top = y + title_block(cr, c, x, y, w) + 2;
	double hi = 0;
	size_t points = 0;
	for (size_t i = 0; c->cells && i < CHART_HEAT_ROWS * CHART_HEAT_COLS; i++)
		if (isfinite(c->cells[i])) {
			hi = fmax(hi, clampv(c->cells[i]));
			points++;
		}
	if (!points) {
		no_data(cr, c, x, top, w, y + h - top);
		return;
	}
	char buf[64];
	font(cr, 8, false);
	double left = x + 26, right = x + w - 56, bottom = y + h - 24;
	double cw = (right - left) / CHART_HEAT_COLS, ch = (bottom - top) / CHART_HEAT_ROWS;
	if (cw < 2 || ch < 2) {
		no_data(cr, c, x, top, w, y + h - top);
		return;
	}
	for (int rI = 0; rI < CHART_HEAT_ROWS; rI++) {
		set_rgb(cr, 0.25, 0.25, 0.28);
		const char *l = c->row_labels && c->row_labels[rI] ? c->row_labels[rI] : "";
		text_at(cr, fit(cr, l, 24, buf, sizeof(buf)), left - 4, top + ch * (rI + 0.5) + 3, 1);
		for (int k = 0; k < CHART_HEAT_COLS; k++) {
			double v = c->cells[rI * CHART_HEAT_COLS + k];
			double r, g, b;
			if (isfinite(v) && hi > 0)
				heat_colour(clampv(v) / hi, &r, &g, &b);
			else
				r = g = b = 0.95;
			set_rgb(cr, r, g, b);
			cairo_rectangle(cr, left + cw * k + 0.5, top + ch * rI + 0.5, cw - 1, ch - 1);
			cairo_fill(cr);
		}
	}
	set_rgb(cr, 0.35, 0.35, 0.38);
	for (int k = 0; k < CHART_HEAT_COLS; k += 3) {
		snprintf(buf, sizeof(buf), "%02d", k);
		text_at(cr, buf, left + cw * (k + 0.5), bottom + 10, 0.5);
	}
	if (c->x_label && *c->x_label)
		text_at(cr, c->x_label, (left + right) / 2, bottom + 21, 0.5);
	/* colour scale: 0 to the maximum */
	double sx = right + 12, sh = bottom - top;
	for (int i = 0; i < 20; i++) {
		double r, g, b;
		heat_colour(1 - i / 19.0, &r, &g, &b);
		set_rgb(cr, r, g, b);
		cairo_rectangle(cr, sx, top + sh * i / 20.0, 10, sh / 20.0 + 0.3);
		cairo_fill(cr);
	}
	set_rgb(cr, 0.35, 0.35, 0.38);
	value_label(hi, false, c->german, buf, sizeof(buf));
	text_at(cr, buf, sx + 13, top + 7, 0);
	text_at(cr, "0", sx + 13, bottom, 0);
}

/* 0 green, 1 amber, 2 red for v against the zones; -1 without a value or zones. */
static int gauge_state(const struct chart *c, double v)
{
	if (!isfinite(v) || !isfinite(c->green))
		return -1;
	double amber = isfinite(c->amber) ? c->amber : c->green;
	if (c->lower_is_better)
		return v <= c->green ? 0 : v <= amber ? 1 : 2;
	return v >= c->green ? 0 : v >= amber ? 1 : 2;
}

static void draw_gauge(cairo_t *cr, const struct chart *c, double x, double y, double w, double h)
{
	double top = y + title_block(cr, c, x, y, w);
	/* the arc rises rad above its centre; three lines of text go below it */
	double avail_h = y + h - top - 8;
	double rad = fmin(w / 2 - 16, (avail_h - 44) / 1.0);
	if (rad < 12) {
		no_data(cr, c, x, top, w, y + h - top);
		return;
	}
	double cx = x + w / 2, cy = top + 4 + rad;
	/* scale 0..1 for rates; otherwise 0..max(value, green, amber) × 1.25 */
	double v = isfinite(c->value) ? clampv(c->value) : NAN;
	double maxv = 1;
	if (!c->percent) {
		maxv = fmax(fabs(isfinite(v) ? v : 0),
		            fmax(isfinite(c->green) ? c->green : 0, isfinite(c->amber) ? c->amber : 0)) *
		       1.25;
		if (!(maxv > 0))
			maxv = 1;
	}
#define ANG(val) (M_PI + (fmin(fmax((val) / maxv, 0), 1)) * M_PI)
	cairo_set_line_width(cr, rad * 0.22);
	if (isfinite(c->green)) {
		double amber = isfinite(c->amber) ? c->amber : c->green;
		double edges[4] = {0, c->lower_is_better ? c->green : amber, c->lower_is_better ? amber : c->green,
		                   maxv};
		int states[3] = {c->lower_is_better ? 0 : 2, 1, c->lower_is_better ? 2 : 0};
		for (int i = 0; i < 3; i++) {
			double r, g, b;
			chart_light_colour(states[i], &r, &g, &b);
			cairo_set_source_rgba(cr, r, g, b, 0.35);
			if (ANG(edges[i + 1]) > ANG(edges[i])) {
				cairo_new_path(cr);
				cairo_arc(cr, cx, cy, rad * 0.85, ANG(edges[i]), ANG(edges[i + 1]));
				cairo_stroke(cr);
			}
		}
	} else {
		set_rgb(cr, 0.9, 0.9, 0.92);
		cairo_new_path(cr);
		cairo_arc(cr, cx, cy, rad * 0.85, M_PI, 2 * M_PI);
		cairo_stroke(cr);
	}
	int st = gauge_state(c, v);
	char buf[96];
	if (isfinite(v)) {
		double r, g, b;
		chart_light_colour(st, &r, &g, &b);
		if (st < 0)
			chart_palette(0, &r, &g, &b);
		set_rgb(cr, r, g, b);
		cairo_set_line_width(cr, rad * 0.22);
		cairo_new_path(cr);
		cairo_arc(cr, cx, cy, rad * 0.85, M_PI, ANG(v));
		cairo_stroke(cr);
		/* needle */
		set_rgb(cr, 0.15, 0.15, 0.18);
		cairo_set_line_width(cr, 2);
		cairo_move_to(cr, cx, cy);
		cairo_line_to(cr, cx + cos(ANG(v)) * rad * 0.72, cy + sin(ANG(v)) * rad * 0.72);
		cairo_stroke(cr);
		cairo_new_path(cr);
		cairo_arc(cr, cx, cy, 3.5, 0, 2 * M_PI);
		cairo_fill(cr);
	}
	set_rgb(cr, 0.1, 0.1, 0.12);
	font(cr, fmin(20, fmax(10, rad * 0.3)), true);
	value_label(v, c->percent, c->german, buf, sizeof(buf));
	text_at(cr, isfinite(v) ? buf : "–", cx, cy + 20, 0.5);
	font(cr, 9, false);
	set_rgb(cr, 0.3, 0.3, 0.33);
	static const char *const words_de[] = {"im Ziel", "knapp verfehlt", "verfehlt"};
	static const char *const words_en[] = {"on target", "near target", "off target"};
	char line[192];
	if (isfinite(c->green)) {
		char t[64];
		value_label(c->green, c->percent, c->german, t, sizeof(t));
		snprintf(line, sizeof(line), "%s %s%s%s", c->german ? "Ziel" : "Target", t, st >= 0 ? " · " : "",
		         st >= 0 ? (c->german ? words_de : words_en)[st] : "");
	} else {
		snprintf(line, sizeof(line), "%s", c->german ? "kein Ziel hinterlegt" : "no target set");
	}
	text_at(cr, fit(cr, line, w - 8, buf, sizeof(buf)), cx, cy + 33, 0.5);
	if (c->value_label)
		text_at(cr, fit(cr, c->value_label, w - 8, buf, sizeof(buf)), cx, cy + 44, 0.5);
#undef ANG
}

void chart_draw(cairo_t *cr, const struct chart *c, double x, double y, double w, double h)
{
	if (!(w > 0 && h > 0 && w < MAX_SIDE && h < MAX_SIDE))
		return;
	cairo_save(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_clip(cr);
	if (c->n && !c->categories && (c->kind == CHART_LINE || c->kind == CHART_BAR)) {
		/* categories are required for these kinds: treat as no data */
		title_block(cr, c, x, y, w);
		no_data(cr, c, x, y + 22, w, h - 22);
	} else {
		switch (c->kind) {
		case CHART_LINE: draw_line(cr, c, x, y, w, h); break;
		case CHART_BAR: draw_bar(cr, c, x, y, w, h); break;
		case CHART_HEATMAP: draw_heat(cr, c, x, y, w, h); break;
		case CHART_GAUGE: draw_gauge(cr, c, x, y, w, h); break;
		default: no_data(cr, c, x, y, w, h); break;
		}
	}
	cairo_restore(cr);
}

void chart_shutdown(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}

static cairo_status_t sink(void *closure, const unsigned char *data, unsigned int len)
{
	return strbuf_add(closure, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Copies svg to out with every id="X" / #X reference prefixed: cairo names glyphs
 * and clips "glyph0-1", "clip1" in every document, so two inlined charts would
 * otherwise share (and take each other's) definitions. */
static int prefix_ids(const char *svg, size_t n, const char *prefix, struct strbuf *out)
{
	static const char *const pats[] = {"id=\"", "href=\"#", "url(#"};
	size_t i = 0;
	int r = 0;
	/* skip the XML declaration: the SVG is inlined into HTML */
	if (n > 5 && memcmp(svg, "<?xml", 5) == 0) {
		const char *e = memchr(svg, '>', n);
		if (e)
			i = (size_t)(e - svg) + 1;
		while (i < n && (svg[i] == '\n' || svg[i] == '\r'))
			i++;
	}
	while (i < n && r == 0) {
		/* inlined in HTML5 the namespaces are implied: dropping them leaves no URL
		 * in the document (a reader's check for external references stays simple) */
		static const char *const drop[] = {" xmlns=\"http://www.w3.org/2000/svg\"",
		                                   " xmlns:xlink=\"http://www.w3.org/1999/xlink\""};
		bool dropped = false;
		for (size_t d = 0; d < ELEMENTSOF(drop); d++)
			if (n - i >= strlen(drop[d]) && memcmp(svg + i, drop[d], strlen(drop[d])) == 0) {
				i += strlen(drop[d]);
				dropped = true;
			}
		if (dropped)
			continue;
		size_t best = n, plen = 0;
		for (size_t p = 0; p < ELEMENTSOF(pats) + ELEMENTSOF(drop); p++) {
			const char *pat = p < ELEMENTSOF(pats) ? pats[p] : drop[p - ELEMENTSOF(pats)];
			const char *hit = memmem(svg + i, n - i, pat, strlen(pat));
			if (hit && (size_t)(hit - svg) < best) {
				best = (size_t)(hit - svg);
				plen = p < ELEMENTSOF(pats) ? strlen(pat) : 0;
			}
		}
		r = strbuf_add(out, svg + i, best - i);
		if (best == n)
			break;
		if (plen == 0) { /* a namespace to drop: handled at the top of the loop */
			i = best;
			continue;
		}
		if (r == 0)
			r = strbuf_add(out, svg + best, plen);
		if (r == 0)
			r = strbuf_addf(out, "%s-", prefix);
		i = best + plen;
	}
	return r < 0 ? -LS_ETOOLARGE : 0;
}

static bool prefix_ok(const char *p)
{
	if (!*p || strlen(p) > 32)
		return false;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return true;
}

int chart_render(const struct chart *c, enum chart_format f, double w, double h, const char *id_prefix,
                 struct strbuf *out)
{
	if (!(w >= 16 && h >= 16 && w <= MAX_SIDE && h <= MAX_SIDE) || (int)f < 0 || f >= _CHART_FORMAT_MAX)
		return -EINVAL;
	if (!id_prefix)
		id_prefix = "c";
	if (!prefix_ok(id_prefix))
		return -EINVAL;
	struct strbuf tmp = STRBUF_INIT_MAX(out->max);
	cairo_surface_t *s;
	double scale = 1;
	switch (f) {
	case CHART_SVG:
		s = cairo_svg_surface_create_for_stream(sink, &tmp, w, h);
		cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
		break;
	case CHART_PDF: s = cairo_pdf_surface_create_for_stream(sink, out, w, h); break;
	default:
		scale = 2;
		s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)ceil(w * scale), (int)ceil(h * scale));
		break;
	}
	cairo_t *cr = cairo_create(s);
	cairo_scale(cr, scale, scale);
	set_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	chart_draw(cr, c, 0, 0, w, h);
	cairo_destroy(cr);
	cairo_status_t st;
	if (f == CHART_PNG) {
		cairo_surface_flush(s);
		st = cairo_surface_write_to_png_stream(s, sink, out);
		cairo_surface_destroy(s);
	} else {
		cairo_surface_finish(s);
		st = cairo_surface_status(s);
		cairo_surface_destroy(s);
	}
	int r = st == CAIRO_STATUS_SUCCESS ? 0 : -LS_ETOOLARGE;
	if (r == 0 && f == CHART_SVG)
		r = prefix_ids(tmp.buf, tmp.len, id_prefix, out);
	strbuf_release(&tmp);
	return r;
}
