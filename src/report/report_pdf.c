/* PDF rendering of a report with cairo (see report_pdf.h). Room: report.
 *
 * Layout is a single top-to-bottom flow on A4 with a cursor (pdf.y): every block
 * asks for the height it needs and starts a new page when it does not fit; tables
 * break between rows and repeat their header. The same code runs twice: the first
 * pass writes to a sink that discards the bytes and records the page count and the
 * page of every heading, the second draws with "Page n of N" and the table of
 * contents filled in. */
#include "report/report_pdf.h"

#include <cairo-pdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/err.h"
#include "report/chart.h"

#define PAGE_W       595.28
#define PAGE_H       841.89
#define MARGIN_X     48.0
#define MARGIN_T     50.0
#define MARGIN_B     58.0
#define CONTENT_W    (PAGE_W - 2 * MARGIN_X)
#define FONT         "DejaVu Sans"
#define MAX_HEADINGS 64

struct pdf {
	const struct report *r;
	cairo_t *cr;
	int page;  /* 1-based */
	int pages; /* total, from the first pass (0 in the first pass) */
	double y;
	size_t n_headings;
	int heading_page[MAX_HEADINGS];
	const int *toc_pages; /* the first pass's heading pages (second pass) */
};

static void font(cairo_t *cr, double size, bool bold)
{
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
	                       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

static double tw(cairo_t *cr, const char *s)
{
	cairo_text_extents_t e;
	cairo_text_extents(cr, s, &e);
	return e.x_advance;
}

static void text_at(cairo_t *cr, const char *s, double x, double y, double align)
{
	cairo_move_to(cr, x - align * tw(cr, s), y);
	cairo_show_text(cr, s);
}

static void grey(cairo_t *cr, double v)
{
	cairo_set_source_rgb(cr, v, v, v + 0.02);
}

/* s cut to maxw points with "…"; whole UTF-8 characters only. */
static const char *fit(cairo_t *cr, const char *s, double maxw, char *buf, size_t n)
{
	if (tw(cr, s) <= maxw)
		return s;
	size_t len = strlen(s);
	if (len + 4 > n)
		len = n - 4;
	while (len > 0) {
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
		memcpy(buf, s, len);
		memcpy(buf + len, "…", sizeof("…"));
		if (tw(cr, buf) <= maxw)
			return buf;
		len--;
	}
	return "…";
}

static void footer(struct pdf *p)
{
	cairo_t *cr = p->cr;
	char buf[160];
	font(cr, 7.5, false);
	grey(cr, 0.45);
	cairo_set_line_width(cr, 0.5);
	cairo_move_to(cr, MARGIN_X, PAGE_H - MARGIN_B + 22);
	cairo_line_to(cr, PAGE_W - MARGIN_X, PAGE_H - MARGIN_B + 22);
	cairo_stroke(cr);
	text_at(cr, fit(cr, p->r->footer, CONTENT_W - 110, buf, sizeof(buf)), MARGIN_X, PAGE_H - MARGIN_B + 34, 0);
	if (p->pages)
		snprintf(buf, sizeof(buf), "%s %d %s %d", report_word(p->r, "Page"), p->page, report_word(p->r, "of"),
		         p->pages);
	else
		snprintf(buf, sizeof(buf), "%s %d", report_word(p->r, "Page"), p->page);
	text_at(cr, buf, PAGE_W - MARGIN_X, PAGE_H - MARGIN_B + 34, 1);
	if (p->page > 1) {
		text_at(cr, fit(cr, p->r->client, CONTENT_W / 2, buf, sizeof(buf)), MARGIN_X, MARGIN_T - 22, 0);
		text_at(cr, p->r->title, PAGE_W - MARGIN_X, MARGIN_T - 22, 1);
	}
}

static void new_page(struct pdf *p)
{
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN_T;
}

/* Makes room for h points, starting a new page when the rest of this one is short. */
static void need(struct pdf *p, double h)
{
	if (p->y + h > PAGE_H - MARGIN_B && p->y > MARGIN_T + 1)
		new_page(p);
}

/* Draws s wrapped to width w from (x, p->y), line height lh; returns the lines. */
static int wrap(struct pdf *p, const char *s, double x, double w, double lh, bool measure_only)
{
	cairo_t *cr = p->cr;
	char line[1024];
	size_t ll = 0;
	int lines = 0;
	const char *q = s;
	while (*q) {
		const char *sp = strchr(q, ' ');
		size_t wl = sp ? (size_t)(sp - q) : strlen(q);
		char cand[1024];
		if (ll + 1 + wl >= sizeof(cand))
			wl = sizeof(cand) - ll - 2;
		memcpy(cand, line, ll);
		size_t cl = ll;
		if (ll)
			cand[cl++] = ' ';
		memcpy(cand + cl, q, wl);
		cl += wl;
		cand[cl] = '\0';
		if (ll && tw(cr, cand) > w) {
			line[ll] = '\0';
			if (!measure_only) {
				need(p, lh);
				text_at(cr, line, x, p->y + lh * 0.75, 0);
				p->y += lh;
			}
			lines++;
			memcpy(line, q, wl);
			ll = wl;
		} else {
			memcpy(line, cand, cl);
			ll = cl;
		}
		q += wl;
		while (*q == ' ')
			q++;
	}
	if (ll) {
		line[ll] = '\0';
		if (!measure_only) {
			need(p, lh);
			text_at(cr, line, x, p->y + lh * 0.75, 0);
			p->y += lh;
		}
		lines++;
	}
	return lines;
}

static void light_colour(cairo_t *cr, int state)
{
	double r, g, b;
	chart_light_colour(state, &r, &g, &b);
	cairo_set_source_rgb(cr, r, g, b);
}

static void title_block(struct pdf *p)
{
	cairo_t *cr = p->cr;
	const struct report *r = p->r;
	char buf[256];
	double r0, g0, b0;
	chart_palette(0, &r0, &g0, &b0);
	cairo_set_source_rgb(cr, r0, g0, b0);
	font(cr, 8.5, true);
	text_at(cr, "LEITSTAND", MARGIN_X, p->y + 8, 0);
	font(cr, 21, true);
	grey(cr, 0.1);
	text_at(cr, fit(cr, r->title, CONTENT_W, buf, sizeof(buf)), MARGIN_X, p->y + 36, 0);
	font(cr, 10.5, false);
	grey(cr, 0.25);
	text_at(cr, fit(cr, r->client, CONTENT_W, buf, sizeof(buf)), MARGIN_X, p->y + 54, 0);
	font(cr, 8.5, false);
	grey(cr, 0.4);
	snprintf(buf, sizeof(buf), "%s · %s", r->period_text, r->generated);
	text_at(cr, buf, MARGIN_X, p->y + 68, 0);
	cairo_set_source_rgb(cr, r0, g0, b0);
	cairo_rectangle(cr, MARGIN_X, p->y + 76, CONTENT_W, 2.2);
	cairo_fill(cr);
	p->y += 90;
}

static void toc(struct pdf *p)
{
	cairo_t *cr = p->cr;
	font(cr, 13, true);
	grey(cr, 0.1);
	text_at(cr, report_word(p->r, "Contents"), MARGIN_X, p->y + 13, 0);
	p->y += 24;
	size_t h = 0;
	char buf[32];
	for (size_t i = 0; i < p->r->n_blocks; i++) {
		const struct report_block *b = &p->r->blocks[i];
		if (b->kind != REPORT_BLOCK_HEADING)
			continue;
		font(cr, 10, false);
		grey(cr, 0.15);
		text_at(cr, b->text, MARGIN_X + 6, p->y + 11, 0);
		int pg = p->toc_pages && h < MAX_HEADINGS ? p->toc_pages[h] : 0;
		snprintf(buf, sizeof(buf), "%d", pg);
		text_at(cr, pg ? buf : "", PAGE_W - MARGIN_X, p->y + 11, 1);
		/* dotted leader */
		grey(cr, 0.7);
		double x0 = MARGIN_X + 12 + tw(cr, b->text), x1 = PAGE_W - MARGIN_X - 20;
		for (double x = x0; x < x1; x += 4) {
			cairo_rectangle(cr, x, p->y + 10, 0.8, 0.8);
		}
		cairo_fill(cr);
		p->y += 17;
		h++;
	}
	new_page(p);
}

static void tiles(struct pdf *p)
{
	cairo_t *cr = p->cr;
	const struct report *r = p->r;
	if (!r->n_tiles)
		return;
	double gap = 7, h = 60;
	double w = (CONTENT_W - gap * (double)(r->n_tiles - 1)) / (double)r->n_tiles;
	need(p, h + 10);
	char buf[160];
	for (size_t i = 0; i < r->n_tiles; i++) {
		const struct report_tile *t = &r->tiles[i];
		double x = MARGIN_X + (w + gap) * (double)i;
		cairo_set_source_rgb(cr, 0.965, 0.97, 0.98);
		cairo_rectangle(cr, x, p->y, w, h);
		cairo_fill(cr);
		light_colour(cr, t->light);
		cairo_rectangle(cr, x, p->y, 3.5, h);
		cairo_fill(cr);
		grey(cr, 0.35);
		font(cr, 6.8, false);
		/* labels may take two lines */
		double save = p->y;
		p->y = save + 4;
		wrap(p, t->label, x + 8, w - 12, 8.2, false);
		p->y = save;
		grey(cr, 0.08);
		font(cr, 15, true);
		text_at(cr, fit(cr, t->value, w - 12, buf, sizeof(buf)), x + 8, p->y + 41, 0);
		font(cr, 5.8, false);
		grey(cr, 0.4);
		text_at(cr, fit(cr, t->sub, w - 12, buf, sizeof(buf)), x + 8, p->y + 53, 0);
	}
	p->y += h + 12;
}

static void heading(struct pdf *p, const char *s)
{
	cairo_t *cr = p->cr;
	need(p, 240); /* a heading never ends a page alone: room for a chart row after it */
	if (p->n_headings < MAX_HEADINGS)
		p->heading_page[p->n_headings] = p->page;
	p->n_headings++;
	p->y += 8;
	font(cr, 12.5, true);
	grey(cr, 0.1);
	text_at(cr, s, MARGIN_X, p->y + 12, 0);
	grey(cr, 0.82);
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, MARGIN_X, p->y + 17);
	cairo_line_to(cr, PAGE_W - MARGIN_X, p->y + 17);
	cairo_stroke(cr);
	p->y += 25;
}

static void charts(struct pdf *p, const struct report_block *b)
{
	double h = 195, gap = 12;
	size_t n = b->n_charts > 2 ? 2 : b->n_charts;
	double w = n == 1 ? CONTENT_W : (CONTENT_W - gap) / 2;
	if (n == 1 && b->charts[0].kind == CHART_HEATMAP)
		h = 180;
	need(p, h + 8);
	for (size_t i = 0; i < n; i++)
		chart_draw(p->cr, &b->charts[i], MARGIN_X + (w + gap) * (double)i, p->y, w, h);
	p->y += h + 10;
}

static bool is_num(enum report_cell_kind k)
{
	return k == REPORT_CELL_INT || k == REPORT_CELL_NUM || k == REPORT_CELL_RATE || k == REPORT_CELL_EMPTY;
}

static void table_head(struct pdf *p, const struct report_table *t, const double *cw, size_t key_col, double fs,
                       double rh)
{
	cairo_t *cr = p->cr;
	char buf[160];
	cairo_set_source_rgb(cr, 0.93, 0.95, 0.97);
	cairo_rectangle(cr, MARGIN_X, p->y, CONTENT_W, rh + 2);
	cairo_fill(cr);
	font(cr, fs, true);
	grey(cr, 0.15);
	double x = MARGIN_X;
	for (size_t c = 0; c < t->n_cols; c++) {
		if (c == key_col)
			continue;
		bool right = c > 0 && t->n_rows && is_num(t->cells[c].kind);
		const char *s = fit(cr, t->head[c], cw[c] - 6, buf, sizeof(buf));
		text_at(cr, s, right ? x + cw[c] - 3 : x + 3, p->y + rh * 0.72 + 1, right ? 1 : 0);
		x += cw[c];
	}
	p->y += rh + 2;
}

static void table(struct pdf *p, const struct report_table *t)
{
	cairo_t *cr = p->cr;
	double fs = t->wide ? 6.2 : 7.6, rh = t->wide ? 10.5 : 12.5;
	size_t key_col = SIZE_MAX;
	for (size_t c = 0; c < t->n_cols; c++)
		if (strcmp(t->keys[c], "key") == 0)
			key_col = c;
	double *cw = xcalloc(t->n_cols + 1, sizeof(*cw));
	double total = 0;
	font(cr, fs, false);
	size_t sample = t->n_rows < 200 ? t->n_rows : 200;
	for (size_t c = 0; c < t->n_cols; c++) {
		if (c == key_col)
			continue;
		font(cr, fs, true);
		double m = fmin(tw(cr, t->head[c]), 90);
		font(cr, fs, false);
		for (size_t i = 0; i < sample; i++)
			m = fmax(m, tw(cr, t->cells[i * t->n_cols + c].text) +
			                    (t->cells[i * t->n_cols + c].kind == REPORT_CELL_LIGHT ? 10 : 0));
		cw[c] = fmin(m, c == 0 || (c == 1 && key_col == 0) ? 200 : 110) + 8;
		total += cw[c];
	}
	/* fit the text width: widen evenly; or shrink the widest columns first (cap every
	 * width at the level that makes them fit), so short columns — dates, counts,
	 * amounts — keep their full text and long texts are cut instead */
	if (total > CONTENT_W) {
		double lo = 0, hi = 0;
		for (size_t c = 0; c < t->n_cols; c++)
			hi = fmax(hi, cw[c]);
		for (int it = 0; it < 60; it++) {
			double mid = (lo + hi) / 2, sum = 0;
			for (size_t c = 0; c < t->n_cols; c++)
				sum += fmin(cw[c], mid);
			if (sum > CONTENT_W)
				hi = mid;
			else
				lo = mid;
		}
		total = 0;
		for (size_t c = 0; c < t->n_cols; c++)
			total += cw[c] = fmin(cw[c], lo);
	}
	for (size_t c = 0; c < t->n_cols; c++)
		cw[c] *= CONTENT_W / total;
	char buf[256];
	need(p, rh * 4 + 18);
	font(cr, 8.5, true);
	grey(cr, 0.15);
	text_at(cr, t->title, MARGIN_X, p->y + 9, 0);
	p->y += 14;
	table_head(p, t, cw, key_col, fs, rh);
	for (size_t i = 0; i < t->n_rows; i++) {
		if (p->y + rh > PAGE_H - MARGIN_B) {
			new_page(p);
			table_head(p, t, cw, key_col, fs, rh);
		}
		const struct report_cell *row = &t->cells[i * t->n_cols];
		if (i % 2) {
			cairo_set_source_rgb(cr, 0.975, 0.978, 0.985);
			cairo_rectangle(cr, MARGIN_X, p->y, CONTENT_W, rh);
			cairo_fill(cr);
		}
		font(cr, fs, false);
		double x = MARGIN_X;
		for (size_t c = 0; c < t->n_cols; c++) {
			if (c == key_col)
				continue;
			const struct report_cell *cell = &row[c];
			grey(cr, 0.12);
			double base = p->y + rh * 0.72;
			if (cell->kind == REPORT_CELL_LIGHT) {
				light_colour(cr, (int)cell->v);
				cairo_arc(cr, x + 7, base - fs * 0.35, fs * 0.42, 0, 2 * M_PI);
				cairo_fill(cr);
				grey(cr, 0.12);
				text_at(cr, fit(cr, cell->text, cw[c] - 16, buf, sizeof(buf)), x + 13, base, 0);
			} else if (c > 0 && is_num(cell->kind)) {
				text_at(cr, fit(cr, cell->text, cw[c] - 6, buf, sizeof(buf)), x + cw[c] - 3, base, 1);
			} else {
				text_at(cr, fit(cr, cell->text, cw[c] - 6, buf, sizeof(buf)), x + 3, base, 0);
			}
			x += cw[c];
		}
		p->y += rh;
	}
	grey(cr, 0.8);
	cairo_set_line_width(cr, 0.5);
	cairo_move_to(cr, MARGIN_X, p->y);
	cairo_line_to(cr, PAGE_W - MARGIN_X, p->y);
	cairo_stroke(cr);
	p->y += 12;
	xfree(cw);
}

static void render(struct pdf *p)
{
	cairo_t *cr = p->cr;
	const struct report *r = p->r;
	p->page = 1;
	p->y = MARGIN_T;
	title_block(p);
	if (r->toc)
		toc(p);
	for (size_t i = 0; i < r->n_blocks; i++) {
		const struct report_block *b = &r->blocks[i];
		switch (b->kind) {
		case REPORT_BLOCK_HEADING: heading(p, b->text); break;
		case REPORT_BLOCK_TEXT:
			font(cr, 9, false);
			grey(cr, 0.15);
			wrap(p, b->text, MARGIN_X, CONTENT_W, 12.5, false);
			p->y += 6;
			break;
		case REPORT_BLOCK_TILES: tiles(p); break;
		case REPORT_BLOCK_CHARTS: charts(p, b); break;
		case REPORT_BLOCK_TABLE:
			if (b->table < r->n_tables)
				table(p, &r->tables[b->table]);
			break;
		case REPORT_BLOCK_BULLETS:
			for (size_t k = 0; k < b->n_items; k++) {
				font(cr, 9, false);
				grey(cr, 0.15);
				need(p, 13);
				text_at(cr, "•", MARGIN_X + 4, p->y + 9.5, 0);
				wrap(p, b->items[k], MARGIN_X + 16, CONTENT_W - 16, 12.5, false);
				p->y += 2;
			}
			p->y += 6;
			break;
		}
	}
	footer(p);
	cairo_show_page(cr);
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
	(void)closure;
	(void)data;
	(void)len;
	return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t sink(void *closure, const unsigned char *data, unsigned int len)
{
	return strbuf_add(closure, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static int pass(const struct report *r, struct strbuf *out, struct pdf *ret, const struct pdf *first)
{
	cairo_surface_t *s = out ? cairo_pdf_surface_create_for_stream(sink, out, PAGE_W, PAGE_H)
	                         : cairo_pdf_surface_create_for_stream(discard, NULL, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, r->title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, "Leitstand");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, r->client);
	cairo_t *cr = cairo_create(s);
	*ret = (struct pdf){
	        .r = r, .cr = cr, .pages = first ? first->page : 0, .toc_pages = first ? first->heading_page : NULL};
	render(ret);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	return st == CAIRO_STATUS_SUCCESS ? 0 : -LS_ETOOLARGE;
}

int report_pdf(const struct report *r, struct strbuf *out)
{
	struct pdf first, second;
	int rc = pass(r, NULL, &first, NULL);
	if (rc == 0)
		rc = pass(r, out, &second, &first);
	return rc;
}
