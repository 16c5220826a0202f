/* HTML rendering of a report (see report_html.h). Room: report.
 * Text from the model (client names, categories from imported data) is escaped
 * everywhere; charts come from chart_render() with an id prefix per chart. */
#include "report/report_html.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "report/chart.h"
#include "report/numfmt.h"

static const char css[] =
        "@page{size:A4;margin:14mm 12mm 16mm}"
        "*{box-sizing:border-box}"
        "body{font-family:'DejaVu Sans',Verdana,sans-serif;color:#1d1d22;margin:0 auto;max-width:820px;"
        "padding:24px;font-size:10.5pt;line-height:1.45;background:#fff}"
        ".cover{border-bottom:3px solid #0072B2;padding-bottom:10px;margin-bottom:16px}"
        ".brand{font-size:9pt;letter-spacing:.12em;text-transform:uppercase;color:#0072B2;font-weight:bold}"
        "h1{font-size:20pt;margin:4px 0 2px}"
        ".meta{color:#555;margin:0;font-size:9.5pt}"
        "h2{font-size:13pt;margin:22px 0 8px;padding-bottom:3px;border-bottom:1px solid #d8d8de;"
        "break-after:avoid;page-break-after:avoid}"
        ".tiles{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 4px}"
        ".tile{flex:1 1 120px;border:1px solid #d8d8de;border-left:5px solid #9e9e9e;border-radius:4px;"
        "padding:6px 9px;break-inside:avoid}"
        ".tile.l0{border-left-color:#009E73}.tile.l1{border-left-color:#E69F00}.tile.l2{border-left-color:#D55E00}"
        ".tile .label{font-size:8pt;color:#555}.tile .value{font-size:16pt;font-weight:bold}"
        ".tile .sub{font-size:7.5pt;color:#666}"
        ".charts{display:flex;gap:10px;margin:6px 0;break-inside:avoid;page-break-inside:avoid}"
        ".charts figure{margin:0;flex:1 1 0;border:1px solid #ececf0;border-radius:4px;padding:4px}"
        ".charts svg{width:100%;height:auto;display:block}"
        "table.data{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:8.5pt}"
        "table.data.wide{font-size:7pt}"
        "table.data caption{text-align:left;font-weight:bold;padding:4px 0;font-size:9pt}"
        "table.data th{background:#eef3f8;text-align:left;padding:3px 5px;border-bottom:1px solid #b9c6d3}"
        "table.data td{padding:2px 5px;border-bottom:1px solid #ececf0}"
        "table.data td.n,table.data th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
        "table.data tr{break-inside:avoid;page-break-inside:avoid}"
        ".light{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:4px;vertical-align:-1px}"
        ".light.l0{background:#009E73}.light.l1{background:#E69F00}.light.l2{background:#D55E00}"
        "footer{margin-top:24px;border-top:1px solid #d8d8de;padding-top:6px;color:#777;font-size:8pt}"
        "@media print{body{padding:0;max-width:none}.charts figure{border:none}}";

static void esc(struct strbuf *o, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': strbuf_adds(o, "&lt;"); break;
		case '>': strbuf_adds(o, "&gt;"); break;
		case '&': strbuf_adds(o, "&amp;"); break;
		case '"': strbuf_adds(o, "&quot;"); break;
		case '\'': strbuf_adds(o, "&#39;"); break;
		default: strbuf_addch(o, *s);
		}
	}
}

static bool is_num(enum report_cell_kind k)
{
	return k == REPORT_CELL_INT || k == REPORT_CELL_NUM || k == REPORT_CELL_RATE;
}

static void table(struct strbuf *o, const struct report_table *t)
{
	char buf[64];
	/* the machine key column is a row attribute, not something to read */
	size_t key_col = SIZE_MAX;
	for (size_t c = 0; c < t->n_cols; c++)
		if (strcmp(t->keys[c], "key") == 0)
			key_col = c;
	strbuf_addf(o, "<table class=\"data%s\" id=\"t-%s\"><caption>", t->wide ? " wide" : "", t->id);
	esc(o, t->title);
	strbuf_adds(o, "</caption><thead><tr>");
	for (size_t c = 0; c < t->n_cols; c++) {
		if (c == key_col)
			continue;
		bool num = t->n_rows && (is_num(t->cells[c].kind) || t->cells[c].kind == REPORT_CELL_EMPTY) && c > 0;
		strbuf_addf(o, "<th data-col=\"%s\"%s>", t->keys[c], num ? " class=\"n\"" : "");
		esc(o, t->head[c]);
		strbuf_adds(o, "</th>");
	}
	strbuf_adds(o, "</tr></thead><tbody>");
	for (size_t i = 0; i < t->n_rows; i++) {
		const struct report_cell *row = &t->cells[i * t->n_cols];
		if (key_col != SIZE_MAX) {
			strbuf_adds(o, "<tr data-key=\"");
			esc(o, row[key_col].text);
			strbuf_adds(o, "\">");
		} else {
			strbuf_adds(o, "<tr>");
		}
		for (size_t c = 0; c < t->n_cols; c++) {
			const struct report_cell *x = &row[c];
			if (c == key_col)
				continue;
			if (is_num(x->kind))
				strbuf_addf(o, "<td class=\"n\" data-col=\"%s\" data-value=\"%s\">", t->keys[c],
				            numfmt_exact(x->v, buf, sizeof(buf)));
			else if (x->kind == REPORT_CELL_EMPTY && c > 0)
				strbuf_addf(o, "<td class=\"n\" data-col=\"%s\">", t->keys[c]);
			else
				strbuf_addf(o, "<td data-col=\"%s\">", t->keys[c]);
			if (x->kind == REPORT_CELL_LIGHT)
				strbuf_addf(o, "<span class=\"light l%d\"></span>", (int)x->v);
			esc(o, x->text);
			strbuf_adds(o, "</td>");
		}
		strbuf_adds(o, "</tr>");
	}
	strbuf_adds(o, "</tbody></table>\n");
}

int report_html(const struct report *r, struct strbuf *out)
{
	struct strbuf *o = out;
	unsigned chart_no = 0;
	strbuf_addf(o,
	            "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>",
	            r->german ? "de" : "en");
	esc(o, r->title);
	strbuf_adds(o, " – ");
	esc(o, r->client);
	strbuf_addf(o,
	            "</title><style>%s</style></head>\n<body>\n<header class=\"cover\"><div "
	            "class=\"brand\">Leitstand</div><h1>",
	            css);
	esc(o, r->title);
	strbuf_adds(o, "</h1><p class=\"meta\">");
	esc(o, r->client);
	strbuf_adds(o, " · ");
	esc(o, r->period_text);
	strbuf_adds(o, " · ");
	esc(o, r->generated);
	strbuf_adds(o, "</p></header>\n");
	for (size_t i = 0; i < r->n_blocks; i++) {
		const struct report_block *b = &r->blocks[i];
		switch (b->kind) {
		case REPORT_BLOCK_HEADING:
			strbuf_adds(o, "<h2>");
			esc(o, b->text);
			strbuf_adds(o, "</h2>\n");
			break;
		case REPORT_BLOCK_TEXT:
			strbuf_adds(o, "<p>");
			esc(o, b->text);
			strbuf_adds(o, "</p>\n");
			break;
		case REPORT_BLOCK_TILES:
			strbuf_adds(o, "<section class=\"tiles\">");
			for (size_t k = 0; k < r->n_tiles; k++) {
				const struct report_tile *t = &r->tiles[k];
				if (t->light >= 0)
					strbuf_addf(o, "<div class=\"tile l%d\">", t->light);
				else
					strbuf_adds(o, "<div class=\"tile\">");
				strbuf_adds(o, "<div class=\"label\">");
				esc(o, t->label);
				strbuf_adds(o, "</div><div class=\"value\">");
				esc(o, t->value);
				strbuf_adds(o, "</div><div class=\"sub\">");
				esc(o, t->sub);
				strbuf_adds(o, "</div></div>");
			}
			strbuf_adds(o, "</section>\n");
			break;
		case REPORT_BLOCK_CHARTS:
			strbuf_addf(o, "<div class=\"charts n%zu\">", b->n_charts);
			for (size_t k = 0; k < b->n_charts; k++) {
				char prefix[16];
				snprintf(prefix, sizeof(prefix), "c%u", ++chart_no);
				double w = b->n_charts == 1 ? 760 : 370,
				       h = b->charts[k].kind == CHART_HEATMAP ? 230 : 240;
				strbuf_adds(o, "<figure>");
				chart_render(&b->charts[k], CHART_SVG, w, h, prefix, o);
				strbuf_adds(o, "</figure>");
			}
			strbuf_adds(o, "</div>\n");
			break;
		case REPORT_BLOCK_TABLE:
			if (b->table < r->n_tables)
				table(o, &r->tables[b->table]);
			break;
		case REPORT_BLOCK_BULLETS:
			strbuf_adds(o, "<ul>");
			for (size_t k = 0; k < b->n_items; k++) {
				strbuf_adds(o, "<li>");
				esc(o, b->items[k]);
				strbuf_adds(o, "</li>");
			}
			strbuf_adds(o, "</ul>\n");
			break;
		}
	}
	strbuf_adds(o, "<footer>");
	esc(o, r->footer);
	strbuf_adds(o, " · ");
	esc(o, r->generated);
	strbuf_adds(o, "</footer>\n</body></html>\n");
	return strbuf_ok(o) ? 0 : -LS_ETOOLARGE;
}
