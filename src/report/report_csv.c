/* CSV rendering of report tables (see report_csv.h). Room: report. */
#include "report/report_csv.h"

#include <math.h>
#include <string.h>

#include "core/err.h"
#include "report/numfmt.h"

static void field(struct strbuf *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		strbuf_adds(out, s);
		return;
	}
	strbuf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, *s);
	}
	strbuf_addch(out, '"');
}

int report_csv_table(const struct report_table *t, struct strbuf *out)
{
	static const char *const lights[] = {"green", "amber", "red"};
	char buf[64];
	for (size_t c = 0; c < t->n_cols; c++) {
		if (c)
			strbuf_addch(out, ',');
		field(out, t->keys[c]);
	}
	strbuf_adds(out, "\r\n");
	for (size_t i = 0; i < t->n_rows; i++) {
		for (size_t c = 0; c < t->n_cols; c++) {
			const struct report_cell *x = &t->cells[i * t->n_cols + c];
			if (c)
				strbuf_addch(out, ',');
			switch (x->kind) {
			case REPORT_CELL_TEXT: field(out, x->code ? x->code : x->text); break;
			case REPORT_CELL_INT:
			case REPORT_CELL_NUM:
			case REPORT_CELL_RATE: strbuf_adds(out, numfmt_exact(x->v, buf, sizeof(buf))); break;
			case REPORT_CELL_LIGHT: strbuf_adds(out, lights[(int)x->v % 3]); break;
			default: break;
			}
		}
		strbuf_adds(out, "\r\n");
	}
	return strbuf_ok(out) ? 0 : -LS_ETOOLARGE;
}
