/* XLSX rendering with libxlsxwriter (see report_xlsx.h). Room: report.
 * Numbers are written as numbers with a format chosen by the cell kind; a missing
 * value stays an empty cell (not 0, not text). libxlsxwriter copies every string
 * it is given, so the model's texts can be passed directly. */
#include "report/report_xlsx.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/alloc.h"

#define XLSX_MAX_ROWS 1048575 /* Excel's limit, less the header row */

struct formats {
	lxw_format *head, *title, *integer, *rate, *num[4], *text;
};

static lxw_format *num_format(lxw_workbook *wb, const char *f)
{
	lxw_format *x = workbook_add_format(wb);
	format_set_num_format(x, f);
	return x;
}

static void sheet(lxw_workbook *wb, const struct report_table *t, const struct formats *fm)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, t->id);
	if (!ws)
		return;
	for (size_t c = 0; c < t->n_cols; c++) {
		worksheet_write_string(ws, 0, (lxw_col_t)c, t->head[c], fm->head);
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
		                     c == 0 || (c == 1 && !strcmp(t->id, "kpis")) ? 34 : 14, NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
	size_t rows = t->n_rows < XLSX_MAX_ROWS ? t->n_rows : XLSX_MAX_ROWS;
	for (size_t i = 0; i < rows; i++) {
		for (size_t c = 0; c < t->n_cols; c++) {
			const struct report_cell *x = &t->cells[i * t->n_cols + c];
			lxw_row_t row = (lxw_row_t)(i + 1);
			lxw_col_t col = (lxw_col_t)c;
			switch (x->kind) {
			case REPORT_CELL_TEXT:
			case REPORT_CELL_LIGHT: worksheet_write_string(ws, row, col, x->text, NULL); break;
			case REPORT_CELL_INT: worksheet_write_number(ws, row, col, x->v, fm->integer); break;
			case REPORT_CELL_RATE: worksheet_write_number(ws, row, col, x->v, fm->rate); break;
			case REPORT_CELL_NUM:
				worksheet_write_number(ws, row, col, x->v,
				                       fm->num[x->decimals < 0   ? 0
				                               : x->decimals > 3 ? 3
				                                                 : x->decimals]);
				break;
			default: break;
			}
		}
	}
	if (t->n_rows)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)rows, (lxw_col_t)(t->n_cols - 1));
}

int report_xlsx(const struct report *r, const char *path, struct lserr *e)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return lserr_set(e, -EIO, "io_error", "output", "cannot create %s", path);
	struct formats fm;
	fm.head = workbook_add_format(wb);
	format_set_bold(fm.head);
	format_set_bg_color(fm.head, 0xEEF3F8);
	format_set_bottom(fm.head, LXW_BORDER_THIN);
	format_set_text_wrap(fm.head);
	fm.title = workbook_add_format(wb);
	format_set_bold(fm.title);
	format_set_font_size(fm.title, 14);
	fm.integer = num_format(wb, "#,##0");
	fm.rate = num_format(wb, "0.0%");
	fm.num[0] = num_format(wb, "#,##0");
	fm.num[1] = num_format(wb, "#,##0.0");
	fm.num[2] = num_format(wb, "#,##0.00");
	fm.num[3] = num_format(wb, "#,##0.000");
	fm.text = NULL;

	lxw_worksheet *cover = workbook_add_worksheet(wb, "report");
	worksheet_set_column(cover, 0, 0, 28, NULL);
	worksheet_set_column(cover, 1, 1, 60, NULL);
	worksheet_write_string(cover, 0, 0, r->title, fm.title);
	worksheet_write_string(cover, 2, 0, report_word(r, "Client"), fm.head);
	worksheet_write_string(cover, 2, 1, r->client, NULL);
	worksheet_write_string(cover, 3, 0, report_word(r, "Period"), fm.head);
	worksheet_write_string(cover, 3, 1, r->period_text, NULL);
	worksheet_write_string(cover, 4, 0, r->generated, NULL);
	for (size_t i = 0; i < r->n_tables; i++) {
		worksheet_write_string(cover, (lxw_row_t)(6 + i), 0, r->tables[i].id, NULL);
		worksheet_write_string(cover, (lxw_row_t)(6 + i), 1, r->tables[i].title, NULL);
		sheet(wb, &r->tables[i], &fm);
	}
	/* libxlsxwriter copies the strings; its struct merely lacks const */
	_cleanup_free_ char *title = xstrdup(r->title), *company = xstrdup(r->client), *author = xstrdup("Leitstand");
	lxw_doc_properties props = {.title = title, .company = company, .author = author};
	workbook_set_properties(wb, &props);
	lxw_error err = workbook_close(wb);
	if (err != LXW_NO_ERROR)
		return lserr_set(e, -EIO, "io_error", "output", "cannot write %s: %s", path, lxw_strerror(err));
	return 0;
}
