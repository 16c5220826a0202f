/* The report model (see report.h). Room: report.
 *
 * Every KPI shown is read from a kpi_set through one table (kpis[]), whose keys are
 * the JSON paths of kpi_json.h: the tables carry these keys, so a reader (or a test)
 * finds each number in `leitstand kpi --format json` under the same name. Display
 * texts are made here once, in the report's language, so every renderer shows the
 * same rounding. All memory lives in the model's arena. */
#include "report/report.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "calendar/tz.h"
#include "core/alloc.h"
#include "core/timeutil.h"
#include "kpi/kpi_calls.h"
#include "report/numfmt.h"

static const char *const kind_names[] = {"weekly", "monthly", "quarterly"};
static const char *const format_names[] = {"html", "pdf", "xlsx", "csv"};

const char *report_kind_to_string(enum report_kind k)
{
	return (int)k >= 0 && k < _REPORT_KIND_MAX ? kind_names[k] : NULL;
}

enum report_kind report_kind_from_string(const char *s)
{
	for (size_t i = 0; s && i < ELEMENTSOF(kind_names); i++)
		if (strcmp(s, kind_names[i]) == 0)
			return (enum report_kind)i;
	return _REPORT_KIND_INVALID;
}

const char *report_format_to_string(enum report_format f)
{
	return (int)f >= 0 && f < _REPORT_FORMAT_MAX ? format_names[f] : NULL;
}

enum report_format report_format_from_string(const char *s)
{
	for (size_t i = 0; s && i < ELEMENTSOF(format_names); i++)
		if (strcmp(s, format_names[i]) == 0)
			return (enum report_format)i;
	return _REPORT_FORMAT_INVALID;
}

enum kpi_period report_kind_period(enum report_kind k)
{
	return k == REPORT_WEEKLY ? KPI_PERIOD_WEEK : k == REPORT_QUARTERLY ? KPI_PERIOD_QUARTER : KPI_PERIOD_MONTH;
}

/* Reads exactly `digits` decimal digits at *p. */
static bool digits_at(const char **p, int digits, int64_t *ret)
{
	int64_t v = 0;
	for (int i = 0; i < digits; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += digits;
	*ret = v;
	return true;
}

int report_period_parse(const char *s, enum report_kind k, int64_t *ret_key, struct lserr *e)
{
	static const char *const shapes[] = {"YYYY-Www (ISO week, e.g. 2026-W43)", "YYYY-MM (e.g. 2026-10)",
	                                     "YYYY-Qn (e.g. 2026-Q3)"};
	const char *p = s ? s : "";
	int64_t y = 0, x = 0, key = 0;
	bool ok = digits_at(&p, 4, &y) && *p++ == '-' && y >= 1900 && y <= 9999;
	if (ok && k == REPORT_WEEKLY) {
		ok = *p++ == 'W' && digits_at(&p, 2, &x) && !*p && x >= 1;
		if (ok) {
			/* the Monday of ISO week 1 is the Monday on or before 4 January */
			int64_t jan4 = time_days_from_civil(y, 1, 4);
			int64_t wd = ((jan4 % 7) + 7 + 3) % 7; /* 0 = Monday (1970-01-01 was a Thursday) */
			int64_t monday = jan4 - wd + (x - 1) * 7;
			int64_t next4 = time_days_from_civil(y + 1, 1, 4);
			int64_t next_monday = next4 - (((next4 % 7) + 7 + 3) % 7);
			ok = monday < next_monday;
			key = monday;
		}
	} else if (ok && k == REPORT_MONTHLY) {
		ok = digits_at(&p, 2, &x) && !*p && x >= 1 && x <= 12;
		key = y * 12 + x - 1;
	} else if (ok && k == REPORT_QUARTERLY) {
		ok = *p++ == 'Q' && digits_at(&p, 1, &x) && !*p && x >= 1 && x <= 4;
		key = y * 4 + x - 1;
	} else {
		ok = false;
	}
	if (!ok)
		return lserr_set(e, -EINVAL, "invalid_parameter", "period", "period '%.40s' is not %s", s ? s : "",
		                 (int)k >= 0 && k < _REPORT_KIND_MAX ? shapes[k] : "a period");
	*ret_key = key;
	return 0;
}

int64_t report_period_shift(enum report_kind k, int64_t key, int n)
{
	return key + (int64_t)n * (k == REPORT_WEEKLY ? 7 : 1);
}

/* ---- the KPIs shown, by their JSON key ---- */

enum kfmt { KF_INT, KF_RATE, KF_HOURS, KF_MINUTES, KF_NUM2, KF_NPS };

struct kdef {
	const char *key, *de, *en;
	enum kfmt fmt;
	int better; /* 1 higher, -1 lower, 0 neither */
};

enum {
	K_TICKETS,
	K_SOLVED,
	K_BACKLOG,
	K_SLA,
	K_FRT_MEDIAN,
	K_RES_MEAN,
	K_RES_MEDIAN,
	K_RES_P90,
	K_AHT,
	K_FCR,
	K_REOPEN,
	K_REASSIGNED,
	K_REASSIGN_MEAN,
	K_CSAT,
	K_NPS,
	_K_MAX,
};

static const struct kdef kpis[_K_MAX] = {
        [K_TICKETS] = {"tickets", "Eingegangene Tickets", "Tickets received", KF_INT, 0},
        [K_SOLVED] = {"solved", "Gelöste Tickets", "Tickets solved", KF_INT, 1},
        [K_BACKLOG] = {"backlog", "Rückstand am Periodenende", "Backlog at period end", KF_INT, -1},
        [K_SLA] = {"sla_compliance", "SLA-Erfüllung", "SLA compliance", KF_RATE, 1},
        [K_FRT_MEDIAN] = {"first_response_hours.median", "Erste Antwort, Median (Std.)", "First response, median (h)",
                          KF_HOURS, -1},
        [K_RES_MEAN] = {"resolution_hours.mean", "Lösungszeit, Mittel (Std.)", "Resolution time, mean (h)", KF_HOURS,
                        -1},
        [K_RES_MEDIAN] = {"resolution_hours.median", "Lösungszeit, Median (Std.)", "Resolution time, median (h)",
                          KF_HOURS, -1},
        [K_RES_P90] = {"resolution_hours.p90", "Lösungszeit, P90 (Std.)", "Resolution time, P90 (h)", KF_HOURS, -1},
        [K_AHT] = {"aht_minutes.mean", "Bearbeitungsaufwand je Ticket (AHT, Min.)", "Handle time per ticket (AHT, min)",
                   KF_MINUTES, -1},
        [K_FCR] = {"fcr.canonical", "Erstlösungsquote (FCR)", "First contact resolution (FCR)", KF_RATE, 1},
        [K_REOPEN] = {"reopen_rate", "Wiedereröffnungsquote", "Reopen rate", KF_RATE, -1},
        [K_REASSIGNED] = {"reassigned_share", "Anteil weitergeleiteter Tickets", "Share reassigned", KF_RATE, -1},
        [K_REASSIGN_MEAN] = {"reassignments_mean", "Weiterleitungen je Ticket", "Reassignments per ticket", KF_NUM2,
                             -1},
        [K_CSAT] = {"csat", "Kundenzufriedenheit (CSAT)", "Customer satisfaction (CSAT)", KF_RATE, 1},
        [K_NPS] = {"nps", "Net Promoter Score (NPS)", "Net Promoter Score (NPS)", KF_NPS, 1},
};

static double kval(const struct kpi_set *s, int k)
{
	if (!s)
		return NAN;
	switch (k) {
	case K_TICKETS: return (double)s->tickets;
	case K_SOLVED: return (double)s->solved;
	case K_BACKLOG: return (double)s->backlog;
	case K_SLA: return s->sla_compliance.value;
	case K_FRT_MEDIAN: return s->first_response_hours.median;
	case K_RES_MEAN: return s->resolution_hours.mean;
	case K_RES_MEDIAN: return s->resolution_hours.median;
	case K_RES_P90: return s->resolution_hours.p90;
	case K_AHT: return s->handle_minutes.mean;
	case K_FCR: return s->fcr_canonical.value;
	case K_REOPEN: return s->reopen_rate.value;
	case K_REASSIGNED: return s->reassigned_share.value;
	case K_REASSIGN_MEAN: return s->reassignments_mean;
	case K_CSAT: return s->csat.value;
	case K_NPS: return s->nps.value;
	default: return NAN;
	}
}

static int kdecimals(enum kfmt f)
{
	return f == KF_INT ? 0 : f == KF_NUM2 ? 2 : 1;
}

static int find_kpi(const char *key)
{
	for (int k = 0; k < _K_MAX; k++)
		if (strcmp(kpis[k].key, key) == 0)
			return k;
	return -1;
}

/* ---- targets ---- */

int report_targets_parse(const char *text, size_t n, struct report_targets *ret, struct lserr *e)
{
	json_error_t je;
	json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return lserr_set(e, -EINVAL, "invalid_parameter", "targets", "targets: line %d: %s", je.line, je.text);
	struct report_targets t = {.n = 0};
	int r = 0;
	const char *key;
	json_t *v;
	if (!json_is_object(root))
		r = lserr_set(e, -EINVAL, "invalid_parameter", "targets", "targets must be a JSON object of KPI keys");
	json_object_foreach(root, key, v)
	{
		if (r < 0)
			break;
		int k = find_kpi(key);
		if (k < 0) {
			r = lserr_set(e, -EINVAL, "invalid_parameter", "targets", "targets: unknown KPI '%.40s'", key);
			break;
		}
		if (t.n >= REPORT_MAX_TARGETS) {
			r = lserr_set(e, -EINVAL, "invalid_parameter", "targets", "targets: more than %d KPIs",
			              REPORT_MAX_TARGETS);
			break;
		}
		struct report_target *x = &t.t[t.n];
		snprintf(x->key, sizeof(x->key), "%s", key);
		x->lower_is_better = kpis[k].better < 0;
		x->warn = NAN;
		x->green = NAN;
		json_t *warn = NULL;
		const char *better = NULL;
		if (json_is_number(v)) {
			x->target = json_number_value(v);
		} else if (json_is_object(v)) {
			json_t *tv = NULL;
			if (json_unpack_ex(v, &je, JSON_STRICT, "{s:o, s?:o, s?:s}", "target", &tv, "warn", &warn,
			                   "better", &better) < 0 ||
			    !json_is_number(tv) || (warn && !json_is_number(warn))) {
				r = lserr_set(e, -EINVAL, "invalid_parameter", "targets",
				              "targets: '%.40s' must be a number or {\"target\": N, \"warn\": N, "
				              "\"better\": \"higher\"|\"lower\"} (%s)",
				              key, je.text);
				break;
			}
			x->target = json_number_value(tv);
			if (warn)
				x->warn = json_number_value(warn);
			if (better && strcmp(better, "higher") != 0 && strcmp(better, "lower") != 0) {
				r = lserr_set(e, -EINVAL, "invalid_parameter", "targets",
				              "targets: '%.40s': better must be higher or lower", key);
				break;
			}
			if (better)
				x->lower_is_better = strcmp(better, "lower") == 0;
		} else {
			r = lserr_set(e, -EINVAL, "invalid_parameter", "targets",
			              "targets: '%.40s' must be a number or object", key);
			break;
		}
		if (!isfinite(x->target)) {
			r = lserr_set(e, -EINVAL, "invalid_parameter", "targets", "targets: '%.40s' is not finite",
			              key);
			break;
		}
		if (!isfinite(x->warn))
			x->warn = x->lower_is_better ? x->target + fabs(x->target) * 0.1
			                             : x->target - fabs(x->target) * 0.1;
		t.n++;
	}
	json_decref(root);
	if (r < 0)
		return r;
	*ret = t;
	return 0;
}

static const struct report_target *target_of(const struct report_input *in, int k)
{
	for (size_t i = 0; in->targets && i < in->targets->n; i++)
		if (strcmp(in->targets->t[i].key, kpis[k].key) == 0)
			return &in->targets->t[i];
	return NULL;
}

/* 0 green, 1 amber, 2 red; -1 without a value or target. */
static int light_of(const struct report_target *t, double v)
{
	if (!t || !isfinite(v))
		return -1;
	double g = isnan(t->green) ? t->target : t->green;
	if (t->lower_is_better)
		return v <= g ? 0 : v <= t->warn ? 1 : 2;
	return v >= g ? 0 : v >= t->warn ? 1 : 2;
}

/* ---- building ---- */

struct builder {
	struct report *r;
	const struct report_input *in;
	struct kpi_options po; /* the kind's period in the report's zone */
	size_t cap_blocks, cap_tables, cap_tiles;
};

static bool de(const struct builder *b)
{
	return b->r->german;
}

static const char *L(const struct builder *b, const char *d, const char *en)
{
	return de(b) ? d : en;
}

static char *fmt(struct builder *b, const char *f, ...) __attribute__((format(printf, 2, 3)));
static char *fmt(struct builder *b, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *s = arena_vprintf(&b->r->arena, f, ap);
	va_end(ap);
	return s;
}

static const char *show(struct builder *b, enum kfmt f, double v)
{
	char buf[96];
	if (!isfinite(v))
		return "–";
	if (f == KF_RATE)
		numfmt_percent(v, 1, de(b), buf, sizeof(buf));
	else
		numfmt_number(v, kdecimals(f), de(b), buf, sizeof(buf));
	return arena_strdup(&b->r->arena, buf);
}

static struct report_cell cell_kpi(struct builder *b, int k, double v)
{
	enum kfmt f = kpis[k].fmt;
	if (!isfinite(v))
		return (struct report_cell){REPORT_CELL_EMPTY, NAN, 0, "–"};
	return (struct report_cell){f == KF_INT    ? REPORT_CELL_INT
	                            : f == KF_RATE ? REPORT_CELL_RATE
	                                           : REPORT_CELL_NUM,
	                            v, f == KF_RATE ? 1 : kdecimals(f), show(b, f, v)};
}

static struct report_cell cell_text(struct builder *b, const char *s)
{
	return (struct report_cell){REPORT_CELL_TEXT, NAN, 0, arena_strdup(&b->r->arena, s ? s : "")};
}

static struct report_cell cell_int(struct builder *b, double v)
{
	char buf[64];
	return (struct report_cell){REPORT_CELL_INT, v, 0,
	                            arena_strdup(&b->r->arena, numfmt_number(v, 0, de(b), buf, sizeof(buf)))};
}

static struct report_cell cell_light(struct builder *b, int light)
{
	static const char *const de_w[] = {"grün", "gelb", "rot"}, *const en_w[] = {"green", "amber", "red"};
	if (light < 0)
		return (struct report_cell){REPORT_CELL_EMPTY, NAN, 0, "–"};
	return (struct report_cell){REPORT_CELL_LIGHT, light, 0, (de(b) ? de_w : en_w)[light]};
}

static struct report_block *add_block(struct builder *b, enum report_block_kind k, const char *text)
{
	struct report_block *x = &ARENA_PUSH(&b->r->arena, b->r->blocks, b->r->n_blocks, b->cap_blocks);
	x->kind = k;
	x->text = text;
	return x;
}

static struct report_table *add_table(struct builder *b, const char *id, const char *title, size_t cols, size_t rows)
{
	struct report *r = b->r;
	struct report_table *t = &ARENA_PUSH(&r->arena, r->tables, r->n_tables, b->cap_tables);
	t->id = id;
	t->title = title;
	t->n_cols = cols;
	t->n_rows = rows;
	t->keys = arena_zalloc(&r->arena, (cols + 1) * sizeof(*t->keys));
	t->head = arena_zalloc(&r->arena, (cols + 1) * sizeof(*t->head));
	t->cells = arena_zalloc(&r->arena, (cols * rows + 1) * sizeof(*t->cells));
	return t;
}

/* By id: a table pointer may be stale once the vector grew (ids are unique). */
static void table_block(struct builder *b, const struct report_table *t)
{
	size_t i = 0;
	while (i < b->r->n_tables && strcmp(b->r->tables[i].id, t->id) != 0)
		i++;
	add_block(b, REPORT_BLOCK_TABLE, NULL)->table = i;
}

static void add_tile(struct builder *b, const char *label, const char *value, const char *sub, int light)
{
	struct report_tile *t = &ARENA_PUSH(&b->r->arena, b->r->tiles, b->r->n_tiles, b->cap_tiles);
	*t = (struct report_tile){label, value, sub ? sub : "", light};
}

static void charts_block(struct builder *b, const struct chart *c, size_t n)
{
	struct chart *copy = arena_alloc(&b->r->arena, n * sizeof(*copy));
	memcpy(copy, c, n * sizeof(*copy));
	struct report_block *x = add_block(b, REPORT_BLOCK_CHARTS, NULL);
	x->charts = copy;
	x->n_charts = n;
}

/* The local calendar date of UTC instant t. */
static void local_date(const struct report_input *in, ls_time t, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t local = t + (in->tz ? tz_offset_at(in->tz, t) : 0);
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	time_civil_from_days(days, y, m, d);
}

static const char *date_text(struct builder *b, ls_time t)
{
	int64_t y;
	unsigned m, d;
	char buf[32];
	local_date(b->in, t, &y, &m, &d);
	return arena_strdup(&b->r->arena, numfmt_date(y, m, d, de(b), buf, sizeof(buf)));
}

/* The trend window: period keys, labels and their sets (NULL: no tickets counted). */
struct window {
	size_t n;
	int64_t key[16];
	char label[16][32];
	const char *show[16]; /* display label: "Okt 26", "KW 43" */
	const struct kpi_set *set[16];
};

static const struct kpi_set *group_by_label(const struct kpi_result *res, const char *label)
{
	for (size_t i = 0; res && i < res->n_groups; i++)
		if (!res->groups[i].value && strcmp(res->groups[i].period, label) == 0)
			return &res->groups[i].set;
	return NULL;
}

static const char *const months_de[] = {"Januar", "Februar", "März",      "April",   "Mai",      "Juni",
                                        "Juli",   "August",  "September", "Oktober", "November", "Dezember"};
static const char *const months_en[] = {"January", "February", "March",     "April",   "May",      "June",
                                        "July",    "August",   "September", "October", "November", "December"};

/* Three-letter month abbreviations (DIN 5008 style for German: "Mär", not a byte cut). */
static const char *const months_de_short[] = {"Jan", "Feb", "Mär", "Apr", "Mai", "Jun",
                                              "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"};

static const char *short_label(struct builder *b, enum kpi_period p, const char *label)
{
	int64_t y = 0, x = 0;
	const char *s = label;
	if (!digits_at(&s, 4, &y) || *s++ != '-')
		return label;
	if (p == KPI_PERIOD_MONTH && digits_at(&s, 2, &x) && x >= 1 && x <= 12)
		return de(b) ? fmt(b, "%s %02lld", months_de_short[x - 1], (long long)(y % 100))
		             : fmt(b, "%.3s %02lld", months_en[x - 1], (long long)(y % 100));
	if (p == KPI_PERIOD_WEEK && *s == 'W')
		return fmt(b, "%s %s", de(b) ? "KW" : "W", s + 1);
	if (p == KPI_PERIOD_QUARTER && *s == 'Q')
		return fmt(b, "%s/%02lld", s, (long long)(y % 100));
	return label;
}

static void make_window(struct builder *b, const struct kpi_result *res, enum kpi_period p, int64_t last_key, size_t n,
                        struct window *w)
{
	struct kpi_options o = {.period = p, .tz = b->in->tz};
	enum report_kind step_kind = p == KPI_PERIOD_WEEK ? REPORT_WEEKLY : REPORT_MONTHLY;
	w->n = n;
	for (size_t i = 0; i < n; i++) {
		ls_time s, e;
		w->key[i] = report_period_shift(step_kind, last_key, -(int)(n - 1 - i));
		kpi_period_bounds(&o, w->key[i], &s, &e, w->label[i], sizeof(w->label[i]));
		w->set[i] = group_by_label(res, w->label[i]);
		w->show[i] = short_label(b, p, w->label[i]);
	}
}

static double *window_values(struct builder *b, const struct window *w, int k)
{
	double *v = arena_alloc(&b->r->arena, (w->n + 1) * sizeof(*v));
	for (size_t i = 0; i < w->n; i++) {
		/* a period without any counted ticket: counts are 0, everything else no value */
		if (!w->set[i])
			v[i] = k == K_TICKETS || k == K_SOLVED ? 0 : NAN;
		else
			v[i] = kval(w->set[i], k);
	}
	return v;
}

static const char **window_labels(struct builder *b, const struct window *w)
{
	const char **l = arena_alloc(&b->r->arena, (w->n + 1) * sizeof(*l));
	for (size_t i = 0; i < w->n; i++)
		l[i] = w->show[i];
	return l;
}

/* Columns of the period tables (trend, quarters). */
static const int period_cols[] = {K_TICKETS, K_SOLVED, K_BACKLOG, K_SLA,        K_FRT_MEDIAN, K_RES_MEDIAN, K_RES_P90,
                                  K_AHT,     K_FCR,    K_REOPEN,  K_REASSIGNED, K_CSAT,       K_NPS};

static const char *short_head(struct builder *b, int k)
{
	static const char *const de_h[_K_MAX] = {
	        [K_TICKETS] = "Eingang",
	        [K_SOLVED] = "Gelöst",
	        [K_BACKLOG] = "Rückstand",
	        [K_SLA] = "SLA",
	        [K_FRT_MEDIAN] = "Antwort Median (Std.)",
	        [K_RES_MEAN] = "Lösung Mittel (Std.)",
	        [K_RES_MEDIAN] = "Lösung Median (Std.)",
	        [K_RES_P90] = "Lösung P90 (Std.)",
	        [K_AHT] = "AHT (Min.)",
	        [K_FCR] = "FCR",
	        [K_REOPEN] = "Wiedereröffnet",
	        [K_REASSIGNED] = "Weitergeleitet",
	        [K_REASSIGN_MEAN] = "Weiterl. je Ticket",
	        [K_CSAT] = "CSAT",
	        [K_NPS] = "NPS",
	};
	static const char *const en_h[_K_MAX] = {
	        [K_TICKETS] = "Received",
	        [K_SOLVED] = "Solved",
	        [K_BACKLOG] = "Backlog",
	        [K_SLA] = "SLA",
	        [K_FRT_MEDIAN] = "Response median (h)",
	        [K_RES_MEAN] = "Resolution mean (h)",
	        [K_RES_MEDIAN] = "Resolution median (h)",
	        [K_RES_P90] = "Resolution P90 (h)",
	        [K_AHT] = "AHT (min)",
	        [K_FCR] = "FCR",
	        [K_REOPEN] = "Reopened",
	        [K_REASSIGNED] = "Reassigned",
	        [K_REASSIGN_MEAN] = "Reassign. per ticket",
	        [K_CSAT] = "CSAT",
	        [K_NPS] = "NPS",
	};
	return (de(b) ? de_h : en_h)[k];
}

static struct report_table *period_table(struct builder *b, const char *id, const char *title, const struct window *w)
{
	size_t nc = 1 + ELEMENTSOF(period_cols);
	struct report_table *t = add_table(b, id, title, nc, w->n);
	t->wide = true;
	t->keys[0] = "period";
	t->head[0] = L(b, "Periode", "Period");
	for (size_t c = 0; c < ELEMENTSOF(period_cols); c++) {
		t->keys[c + 1] = kpis[period_cols[c]].key;
		t->head[c + 1] = short_head(b, period_cols[c]);
	}
	for (size_t i = 0; i < w->n; i++) {
		struct report_cell *row = &t->cells[i * nc];
		row[0] = cell_text(b, w->label[i]);
		for (size_t c = 0; c < ELEMENTSOF(period_cols); c++) {
			int k = period_cols[c];
			double v = w->set[i] ? kval(w->set[i], k) : (k == K_TICKETS || k == K_SOLVED ? 0 : NAN);
			row[c + 1] = cell_kpi(b, k, v);
		}
	}
	return t;
}

/* ---- calls ---- */

static const struct kpi_calls_set *calls_by_label(const struct kpi_calls *c, const char *label)
{
	for (size_t i = 0; c && i < c->n_groups; i++)
		if (!c->groups[i].queue && strcmp(c->groups[i].period, label) == 0)
			return &c->groups[i].set;
	return NULL;
}

static struct report_cell cell_value(struct builder *b, enum report_cell_kind kind, double v, int decimals)
{
	char buf[96];
	if (!isfinite(v))
		return (struct report_cell){REPORT_CELL_EMPTY, NAN, 0, "–"};
	if (kind == REPORT_CELL_RATE)
		numfmt_percent(v, decimals, de(b), buf, sizeof(buf));
	else
		numfmt_number(v, decimals, de(b), buf, sizeof(buf));
	return (struct report_cell){kind, v, decimals, arena_strdup(&b->r->arena, buf)};
}

/* The call-centre KPIs per period of the trend window, as `leitstand kpi` prints them
 * under "calls" (service level: the default formula); a period without intervals has
 * 0 calls and no rates. */
static struct report_table *calls_table(struct builder *b, const struct kpi_calls *c, const struct window *w,
                                        const char *title)
{
	static const char *const keys[] = {"period",           "offered",       "answered",    "abandoned",
	                                   "abandonment_rate", "service_level", "aht_seconds", "asa_seconds"};
	const char *head[] = {L(b, "Periode", "Period"),
	                      L(b, "Angeboten", "Offered"),
	                      L(b, "Angenommen", "Answered"),
	                      L(b, "Aufgelegt", "Abandoned"),
	                      L(b, "Abbruchquote", "Abandonment rate"),
	                      L(b, "Servicelevel", "Service level"),
	                      L(b, "AHT (Sek.)", "AHT (s)"),
	                      L(b, "ASA (Sek.)", "ASA (s)")};
	size_t nc = ELEMENTSOF(keys);
	struct report_table *t = add_table(b, "calls", title, nc, w->n);
	for (size_t i = 0; i < nc; i++) {
		t->keys[i] = keys[i];
		t->head[i] = head[i];
	}
	for (size_t i = 0; i < w->n; i++) {
		const struct kpi_calls_set *x = calls_by_label(c, w->label[i]);
		struct report_cell *row = &t->cells[i * nc];
		row[0] = cell_text(b, w->label[i]);
		row[1] = cell_int(b, x ? (double)x->offered : 0);
		row[2] = cell_int(b, x ? (double)x->answered : 0);
		row[3] = cell_int(b, x ? (double)x->abandoned : 0);
		row[4] = cell_value(b, REPORT_CELL_RATE, x ? x->abandonment_rate.value : NAN, 1);
		row[5] = cell_value(b, REPORT_CELL_RATE, x ? x->service_level[KPI_SL_DEFAULT].value : NAN, 1);
		row[6] = cell_value(b, REPORT_CELL_NUM, x ? x->aht_seconds : NAN, 0);
		row[7] = cell_value(b, REPORT_CELL_NUM, x ? x->asa_seconds : NAN, 0);
	}
	return t;
}

/* The KPI table: every KPI, this period against the previous one and the target. */
static struct report_table *kpi_table(struct builder *b, const struct kpi_set *cur, const struct kpi_set *prev,
                                      bool have_prev)
{
	static const char *const keys[] = {"key", "kpi", "value", "previous", "change", "target", "status"};
	struct report_table *t =
	        add_table(b, "kpis", L(b, "Kennzahlen im Überblick", "KPIs at a glance"), ELEMENTSOF(keys), _K_MAX);
	const char *de_h[] = {"Schlüssel", "Kennzahl", "Wert", "Vorperiode", "Veränderung", "Ziel", "Ampel"};
	const char *en_h[] = {"Key", "KPI", "Value", "Previous", "Change", "Target", "Status"};
	for (size_t c = 0; c < ELEMENTSOF(keys); c++) {
		t->keys[c] = keys[c];
		t->head[c] = de(b) ? de_h[c] : en_h[c];
	}
	for (int k = 0; k < _K_MAX; k++) {
		struct report_cell *row = &t->cells[(size_t)k * t->n_cols];
		double v = cur ? kval(cur, k) : (k == K_TICKETS || k == K_SOLVED ? 0 : NAN);
		double pv = prev ? kval(prev, k) : (have_prev && (k == K_TICKETS || k == K_SOLVED) ? 0 : NAN);
		row[0] = cell_text(b, kpis[k].key);
		row[1] = cell_text(b, de(b) ? kpis[k].de : kpis[k].en);
		row[2] = cell_kpi(b, k, v);
		row[3] = cell_kpi(b, k, pv);
		if (isfinite(v) && isfinite(pv)) {
			double d = v - pv;
			char buf[64];
			if (kpis[k].fmt == KF_RATE) {
				numfmt_number(d * 100, 1, de(b), buf, sizeof(buf));
				row[4] = (struct report_cell){
				        REPORT_CELL_RATE, d, 1,
				        fmt(b, "%s%s %s", d > 0 ? "+" : "", buf, de(b) ? "Pp." : "pp")};
			} else {
				numfmt_number(d, kdecimals(kpis[k].fmt), de(b), buf, sizeof(buf));
				row[4] = (struct report_cell){kpis[k].fmt == KF_INT ? REPORT_CELL_INT : REPORT_CELL_NUM,
				                              d, kdecimals(kpis[k].fmt),
				                              fmt(b, "%s%s", d > 0 ? "+" : "", buf)};
			}
		} else {
			row[4] = (struct report_cell){REPORT_CELL_EMPTY, NAN, 0, "–"};
		}
		const struct report_target *tg = target_of(b->in, k);
		row[5] = tg ? cell_kpi(b, k, tg->target) : (struct report_cell){REPORT_CELL_EMPTY, NAN, 0, "–"};
		row[6] = cell_light(b, light_of(tg, v));
	}
	return t;
}

static int cmp_tickets_desc(const void *a, const void *b)
{
	const struct kpi_group *x = *(const struct kpi_group *const *)a, *y = *(const struct kpi_group *const *)b;
	uint64_t tx = x->set.tickets + x->set.solved, ty = y->set.tickets + y->set.solved;
	if (tx != ty)
		return tx > ty ? -1 : 1;
	if (!x->value || !y->value)
		return !x->value ? (y->value ? 1 : 0) : -1;
	return strcmp(x->value, y->value);
}

/* A table of one dimension over the period (all values, by volume), and a bar chart
 * of its top `top` values of KPI `bar_k`. */
static struct report_table *dim_table(struct builder *b, const struct kpi_result *res, const char *id,
                                      const char *title, const char *dim_head, const char *none_label, const int *cols,
                                      size_t ncols, const struct kpi_group ***ret_sorted)
{
	size_t n = res ? res->n_groups : 0;
	const struct kpi_group **g = arena_alloc(&b->r->arena, (n + 1) * sizeof(*g));
	for (size_t i = 0; i < n; i++)
		g[i] = &res->groups[i];
	if (n)
		qsort(g, n, sizeof(*g), cmp_tickets_desc);
	struct report_table *t = add_table(b, id, title, ncols + 1, n);
	t->keys[0] = "group";
	t->head[0] = dim_head;
	for (size_t c = 0; c < ncols; c++) {
		t->keys[c + 1] = kpis[cols[c]].key;
		t->head[c + 1] = short_head(b, cols[c]);
	}
	for (size_t i = 0; i < n; i++) {
		struct report_cell *row = &t->cells[i * t->n_cols];
		row[0] = cell_text(b, g[i]->value ? g[i]->value : none_label);
		if (!g[i]->value)
			row[0].kind = REPORT_CELL_TEXT;
		for (size_t c = 0; c < ncols; c++)
			row[c + 1] = cell_kpi(b, cols[c], kval(&g[i]->set, cols[c]));
	}
	*ret_sorted = g;
	return t;
}

/* ---- action plan, contract economics ---- */

static int64_t local_day(const struct report_input *in, ls_time t)
{
	int64_t y;
	unsigned m, d;
	local_date(in, t, &y, &m, &d);
	return time_days_from_civil(y, m, d);
}

static const char *day_text(struct builder *b, int64_t day)
{
	int64_t y;
	unsigned m, d;
	char buf[32];
	time_civil_from_days(day, &y, &m, &d);
	return arena_strdup(&b->r->arena, numfmt_date(y, m, d, de(b), buf, sizeof(buf)));
}

static struct report_cell cell_day(struct builder *b, int64_t day)
{
	char buf[16];
	if (day == PLAN_NO_DAY)
		return (struct report_cell){REPORT_CELL_EMPTY, NAN, 0, "–"};
	struct report_cell c = cell_text(b, day_text(b, day));
	c.code = arena_strdup(&b->r->arena, plan_day_format(day, buf, sizeof(buf)));
	return c;
}

static const char *state_text(struct builder *b, enum action_state s)
{
	static const char *const de_s[] = {"offen", "in Arbeit", "erledigt", "verworfen"};
	static const char *const en_s[] = {"open", "in progress", "done", "dropped"};
	return (unsigned)s < _ACTION_STATE_MAX ? (de(b) ? de_s : en_s)[s] : "?";
}

/* Exact money text from cents: "12.500,00" (de), "12,500.00" (en). */
static const char *money_text(struct builder *b, int64_t cents)
{
	char digits[32], out[48];
	uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)(a / 100));
	size_t k = 0;
	if (cents < 0)
		out[k++] = '-';
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[k++] = de(b) ? '.' : ',';
		out[k++] = digits[i];
	}
	snprintf(out + k, sizeof(out) - k, "%c%02u", de(b) ? ',' : '.', (unsigned)(a % 100));
	return arena_strdup(&b->r->arena, out);
}

static struct report_cell cell_money(struct builder *b, int64_t cents)
{
	return (struct report_cell){REPORT_CELL_NUM, (double)cents / 100.0, 2, money_text(b, cents)};
}

static int cmp_action_due(const void *x, const void *y)
{
	const struct action *a = *(const struct action *const *)x, *c = *(const struct action *const *)y;
	if (a->due_on != c->due_on)
		return a->due_on < c->due_on ? -1 : 1;
	return a->id < c->id ? -1 : a->id > c->id;
}

/* The action plan as of the period end (model/plan.h gives the rules). */
static void actions_section(struct builder *b, const struct plan_period *pp)
{
	const struct report_input *in = b->in;
	add_block(b, REPORT_BLOCK_HEADING, L(b, "Maßnahmenplan", "Action plan"));
	if (!in->n_actions) {
		add_block(b, REPORT_BLOCK_TEXT,
		          L(b, "Für diesen Mandanten ist noch kein Maßnahmenplan hinterlegt.",
		            "No action plan has been recorded for this client yet."));
		return;
	}
	const struct action **idx = arena_alloc(&b->r->arena, (in->n_actions + 1) * sizeof(*idx));
	size_t n = 0, done = 0, open = 0, overdue = 0;
	for (size_t i = 0; i < in->n_actions; i++)
		if (action_in_period(&in->actions[i], pp))
			idx[n++] = &in->actions[i];
	if (!n) {
		add_block(b, REPORT_BLOCK_TEXT,
		          L(b, "Im Berichtszeitraum war keine Maßnahme des Maßnahmenplans vereinbart oder offen.",
		            "No action of the action plan was agreed or open in the period."));
		return;
	}
	qsort(idx, n, sizeof(*idx), cmp_action_due);
	static const char *const keys[] = {"title", "owner", "due_on", "status", "closed_on", "overdue"};
	const char *head[] = {
	        L(b, "Maßnahme", "Action"), L(b, "Verantwortlich", "Owner"),  L(b, "Fällig", "Due"),
	        L(b, "Status", "Status"),   L(b, "Erledigt am", "Closed on"), L(b, "Überfällig", "Overdue")};
	size_t nc = ELEMENTSOF(keys);
	struct report_table *t = add_table(b, "actions", L(b, "Maßnahmen", "Actions"), nc, n);
	for (size_t c = 0; c < nc; c++) {
		t->keys[c] = keys[c];
		t->head[c] = head[c];
	}
	for (size_t i = 0; i < n; i++) {
		const struct action *a = idx[i];
		enum action_state st = action_state_at(a, pp);
		bool od = action_overdue_at(a, pp);
		done += action_done_in(a, pp);
		open += !action_state_closed(st);
		overdue += od;
		struct report_cell *row = &t->cells[i * nc];
		row[0] = cell_text(b, a->title);
		row[1] = cell_text(b, a->owner && *a->owner ? a->owner : "–");
		if (!a->owner || !*a->owner)
			row[1].code = "";
		row[2] = cell_day(b, a->due_on);
		row[3] = cell_text(b, state_text(b, st));
		row[3].code = action_state_to_string(st);
		row[4] = cell_day(b, action_state_closed(st) ? a->closed_on : PLAN_NO_DAY);
		row[5] = cell_text(b, od ? L(b, "überfällig", "overdue") : L(b, "nein", "no"));
		row[5].code = od ? "true" : "false";
	}
	const char *end = day_text(b, pp->last);
	add_block(b, REPORT_BLOCK_TEXT,
	          de(b) ? fmt(b,
	                      "Stand zum Periodenende (%s): %zu %s im Zeitraum erledigt, %zu %s offen, davon %zu "
	                      "überfällig (Fälligkeitsdatum am oder vor dem %s).",
	                      end, done, done == 1 ? "Maßnahme" : "Maßnahmen", open, open == 1 ? "ist" : "sind",
	                      overdue, end)
	                : fmt(b,
	                      "As of the period end (%s): %zu %s done in the period, %zu open, %zu of them overdue "
	                      "(due on or before %s).",
	                      end, done, done == 1 ? "action" : "actions", open, overdue, end));
	table_block(b, t);
}

/* Per month of the quarter and the total: the contract's economics from the
 * month's received tickets and SLA compliance as the trend window has them. */
static void contract_section(struct builder *b, const struct window *w)
{
	const struct contract *k = b->in->contract;
	add_block(b, REPORT_BLOCK_HEADING, L(b, "Vertragsökonomie", "Contract economics"));
	if (!k) {
		add_block(b, REPORT_BLOCK_TEXT,
		          L(b, "Für diesen Mandanten ist kein Vertrag hinterlegt; die Vertragsökonomie entfällt.",
		            "No contract is stored for this client; contract economics are left out."));
		return;
	}
	static const char *const keys[] = {"period",          "tickets",     "fixed_fee",
	                                   "overage_tickets", "overage",     "sla_compliance",
	                                   "sla_penalty",     "net_revenue", "revenue_per_ticket"};
	const char *head[] = {L(b, "Monat", "Month"),
	                      L(b, "Tickets", "Tickets"),
	                      L(b, "Grundgebühr", "Fixed fee"),
	                      L(b, "Mehrtickets", "Overage tickets"),
	                      L(b, "Mehrvergütung", "Overage"),
	                      L(b, "SLA", "SLA"),
	                      L(b, "SLA-Malus", "SLA penalty"),
	                      L(b, "Nettoerlös", "Net revenue"),
	                      L(b, "Erlös je Ticket", "Per ticket")};
	size_t nc = ELEMENTSOF(keys), months = 3;
	struct report_table *t = add_table(
	        b, "contract",
	        fmt(b, "%s (%s)", L(b, "Vertragsökonomie je Monat", "Contract economics per month"), k->currency), nc,
	        months + 1);
	for (size_t c = 0; c < nc; c++) {
		t->keys[c] = keys[c];
		t->head[c] = head[c];
	}
	struct contract_month total = {0};
	uint64_t sla_num = 0, sla_den = 0; /* the covered months' SLA targets, for the total */
	struct kpi_options mo = {.period = KPI_PERIOD_MONTH, .tz = b->in->tz};
	const struct report_cell none = {REPORT_CELL_EMPTY, NAN, 0, "–", NULL};
	for (size_t i = 0; i <= months; i++) {
		struct report_cell *row = &t->cells[i * nc];
		struct contract_month m;
		double sla = NAN;
		if (i < months) {
			size_t wi = w->n - months + i;
			const struct kpi_set *set = w->set[wi];
			ls_time from, to;
			char lb[32];
			kpi_period_bounds(&mo, w->key[wi], &from, &to, lb, sizeof(lb));
			struct plan_period mp = {local_day(b->in, from), local_day(b->in, to - 1)};
			contract_month_compute(k, &mp, set ? set->tickets : 0, set ? set->sla_compliance.num : 0,
			                       set ? set->sla_compliance.den : 0, &m);
			contract_month_add(&total, &m);
			if (m.covered && set) {
				sla_num += set->sla_compliance.num;
				sla_den += set->sla_compliance.den;
			}
			sla = set ? set->sla_compliance.value : NAN;
			row[0] = cell_text(b, w->show[wi]);
			row[0].code = arena_strdup(&b->r->arena, w->label[wi]);
		} else {
			m = total;
			row[0] = cell_text(b, L(b, "Quartal", "Quarter"));
			row[0].code = "total";
			/* the quarter's compliance for reference: the covered months' targets together,
			 * the same months as the fee, overage and penalty of this row */
			if (total.covered && total.tickets && sla_den)
				sla = (double)sla_num / (double)sla_den;
		}
		row[1] = cell_int(b, (double)m.tickets);
		if (!m.covered) {
			for (size_t c = 2; c < nc; c++)
				row[c] = none;
			row[5] = cell_value(b, REPORT_CELL_RATE, sla, 1);
			continue;
		}
		row[2] = cell_money(b, m.fee);
		row[3] = cell_int(b, (double)m.overage_tickets);
		row[4] = cell_money(b, m.overage);
		row[5] = cell_value(b, REPORT_CELL_RATE, sla, 1);
		row[6] = k->sla_target_bp ? cell_money(b, m.penalty) : none;
		row[7] = cell_money(b, m.net);
		row[8] = m.has_per_ticket ? cell_money(b, m.revenue_per_ticket) : none;
	}
	const char *valid = k->valid_to == PLAN_NO_DAY
	                            ? fmt(b, "%s %s", L(b, "ab", "from"), day_text(b, k->valid_from))
	                            : fmt(b, "%s – %s", day_text(b, k->valid_from), day_text(b, k->valid_to));
	const char *sla_txt = "";
	if (k->sla_target_bp) {
		char pct[32];
		numfmt_percent(k->sla_target_bp / 10000.0, 2, de(b), pct, sizeof(pct));
		sla_txt = de(b) ? fmt(b,
		                      " SLA-Ziel %s; je Prozentpunkt darunter %s %s Malus im Monat, anteilig für "
		                      "Bruchteile, auf den Cent gerundet.",
		                      pct, money_text(b, k->penalty_per_point), k->currency)
		                : fmt(b,
		                      " SLA target %s; %s %s penalty per percentage point below it per month, pro "
		                      "rata for fractions, rounded to the cent.",
		                      pct, money_text(b, k->penalty_per_point), k->currency);
	}
	add_block(b, REPORT_BLOCK_TEXT,
	          de(b) ? fmt(b,
	                      "Vertrag %s: Grundgebühr %s %s je Monat mit %s inklusiven Tickets, je weiterem Ticket "
	                      "%s %s.%s Tickets sind die im Monat eingegangenen Tickets (Kennzahl „Eingegangene "
	                      "Tickets“ dieses Berichts); Nettoerlös = Grundgebühr + Mehrvergütung − SLA-Malus; "
	                      "Monate außerhalb der Vertragslaufzeit bleiben leer und zählen nicht zur Quartalssumme.",
	                      valid, money_text(b, k->monthly_fee), k->currency,
	                      show(b, KF_INT, (double)k->included_tickets), money_text(b, k->price_per_ticket),
	                      k->currency, sla_txt)
	                : fmt(b,
	                      "Contract %s: fixed fee %s %s per month including %s tickets, %s %s per further "
	                      "ticket.%s Tickets are the tickets received in the month (this report's \"Tickets "
	                      "received\"); net revenue = fixed fee + overage charge − SLA penalty; months outside "
	                      "the contract term stay empty and are not part of the quarter's total.",
	                      valid, money_text(b, k->monthly_fee), k->currency,
	                      show(b, KF_INT, (double)k->included_tickets), money_text(b, k->price_per_ticket),
	                      k->currency, sla_txt));
	table_block(b, t);
}

/* ---- benchmark ---- */

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, c = *(const double *)y;
	return a < c ? -1 : a > c;
}

/* The q-quantile of sorted v[0..n) by linear interpolation between order
 * statistics (Hyndman–Fan type 7, the default of R and NumPy). */
static double quantile(const double *v, size_t n, double q)
{
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

static void benchmark_section(struct builder *b, const struct kpi_set *cur)
{
	const struct report_benchmark *bm = b->in->benchmark;
	add_block(b, REPORT_BLOCK_HEADING, L(b, "Benchmark", "Benchmark"));
	if (!bm) {
		add_block(b, REPORT_BLOCK_TEXT,
		          L(b, "Für diesen Bericht wurde kein Vergleich mit anderen Mandanten berechnet.",
		            "No comparison with other clients was computed for this report."));
		return;
	}
	if (bm->n < REPORT_BENCH_MIN_CLIENTS) {
		add_block(b, REPORT_BLOCK_TEXT,
		          de(b) ? fmt(b,
		                      "Zu wenige Mandanten für einen anonymen Vergleich: %zu %s dieser Installation "
		                      "%s im Quartal mindestens %s Tickets, nötig sind %d.",
		                      bm->n, bm->n == 1 ? "Mandant" : "Mandanten", bm->n == 1 ? "hatte" : "hatten",
		                      show(b, KF_INT, (double)bm->min_tickets), REPORT_BENCH_MIN_CLIENTS)
		                : fmt(b,
		                      "Too few clients for an anonymous comparison: %zu %s of this installation had at "
		                      "least %s tickets in the quarter; %d are needed.",
		                      bm->n, bm->n == 1 ? "client" : "clients",
		                      show(b, KF_INT, (double)bm->min_tickets), REPORT_BENCH_MIN_CLIENTS));
		return;
	}
	static const int bk[] = {K_TICKETS, K_SLA,    K_FRT_MEDIAN, K_RES_MEDIAN, K_RES_P90,
	                         K_FCR,     K_REOPEN, K_REASSIGNED, K_CSAT};
	static const char *const keys[] = {"key", "kpi", "value", "p25", "median", "p75", "clients", "position"};
	const char *head[] = {L(b, "Schlüssel", "Key"),     L(b, "Kennzahl", "KPI"),
	                      L(b, "Mandant", "Client"),    L(b, "Unteres Quartil", "Lower quartile"),
	                      L(b, "Median", "Median"),     L(b, "Oberes Quartil", "Upper quartile"),
	                      L(b, "Mandanten", "Clients"), L(b, "Einordnung", "Position")};
	size_t nc = ELEMENTSOF(keys);
	struct report_table *t =
	        add_table(b, "benchmark", L(b, "Mandant im Vergleich", "Client compared"), nc, ELEMENTSOF(bk));
	for (size_t c = 0; c < nc; c++) {
		t->keys[c] = keys[c];
		t->head[c] = head[c];
	}
	double *v = arena_alloc(&b->r->arena, (bm->n + 1) * sizeof(*v));
	for (size_t i = 0; i < ELEMENTSOF(bk); i++) {
		int k = bk[i];
		size_t n = 0;
		for (size_t j = 0; j < bm->n; j++) {
			double x = kval(&bm->sets[j], k);
			if (isfinite(x))
				v[n++] = x;
		}
		qsort(v, n, sizeof(*v), cmp_double);
		double mine = cur ? kval(cur, k) : (k == K_TICKETS ? 0 : NAN);
		double q1 = n ? quantile(v, n, 0.25) : NAN, q2 = n ? quantile(v, n, 0.5) : NAN,
		       q3 = n ? quantile(v, n, 0.75) : NAN;
		struct report_cell *row = &t->cells[i * nc];
		row[0] = cell_text(b, kpis[k].key);
		row[1] = cell_text(b, de(b) ? kpis[k].de : kpis[k].en);
		row[2] = cell_kpi(b, k, mine);
		row[3] = cell_kpi(b, k, q1);
		row[4] = cell_kpi(b, k, q2);
		row[5] = cell_kpi(b, k, q3);
		row[6] = cell_int(b, (double)n);
		const char *pos = "–", *code = "";
		if (isfinite(mine) && n >= REPORT_BENCH_MIN_CLIENTS && kpis[k].better) {
			/* in the better direction: above the upper quartile is the best quarter */
			double s = kpis[k].better > 0 ? 1 : -1;
			double hi = s > 0 ? q3 : q1, lo = s > 0 ? q1 : q3;
			if (s * (mine - hi) > 0)
				pos = L(b, "bestes Viertel", "best quarter"), code = "best_quarter";
			else if (s * (mine - q2) >= 0)
				pos = L(b, "über dem Median", "above median"), code = "above_median";
			else if (s * (mine - lo) >= 0)
				pos = L(b, "unter dem Median", "below median"), code = "below_median";
			else
				pos = L(b, "schwächstes Viertel", "weakest quarter"), code = "weakest_quarter";
		}
		row[7] = cell_text(b, pos);
		row[7].code = code;
	}
	add_block(b, REPORT_BLOCK_TEXT,
	          de(b) ? fmt(b,
	                      "Vergleich mit den %zu Mandanten dieser Installation, die im Quartal mindestens %s "
	                      "Tickets erhielten (dieser eingeschlossen, wenn er so viele hatte); die anderen "
	                      "bleiben anonym. Quartile linear interpoliert; „Einordnung“ in Richtung der besseren "
	                      "Werte (kürzere Zeiten, weniger Wiedereröffnungen und Weiterleitungen sind besser).",
	                      bm->n, show(b, KF_INT, (double)bm->min_tickets))
	                : fmt(b,
	                      "Compared with the %zu clients of this installation that received at least %s "
	                      "tickets in the quarter (this one included when it had that many); the others stay "
	                      "anonymous. Quartiles linearly interpolated; \"Position\" in the direction of the "
	                      "better values (shorter times, fewer reopens and reassignments are better).",
	                      bm->n, show(b, KF_INT, (double)bm->min_tickets)));
	table_block(b, t);
}

static struct chart bar_chart(struct builder *b, const char *title, const char *x_label, const struct kpi_group **g,
                              size_t n, size_t top, int k, const char *none_label)
{
	if (n > top)
		n = top;
	const char **cat = arena_alloc(&b->r->arena, (n + 1) * sizeof(*cat));
	double *v = arena_alloc(&b->r->arena, (n + 1) * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		cat[i] = g[i]->value ? arena_strdup(&b->r->arena, g[i]->value) : none_label;
		v[i] = kval(&g[i]->set, k);
	}
	struct chart_series *s = arena_zalloc(&b->r->arena, sizeof(*s));
	s->name = title;
	s->values = v;
	return (struct chart){.kind = CHART_BAR,
	                      .title = title,
	                      .x_label = x_label,
	                      .categories = cat,
	                      .n = n,
	                      .series = s,
	                      .n_series = 1,
	                      .target = NAN,
	                      .percent = kpis[k].fmt == KF_RATE,
	                      .german = de(b)};
}

static struct chart line_chart(struct builder *b, const char *title, const char *y_label, const struct window *w,
                               const int *ks, const char *const *names, size_t n, int target_k)
{
	struct chart_series *s = arena_zalloc(&b->r->arena, (n + 1) * sizeof(*s));
	for (size_t i = 0; i < n; i++) {
		s[i].name = names[i];
		s[i].values = window_values(b, w, ks[i]);
	}
	const struct report_target *tg = target_k >= 0 ? target_of(b->in, target_k) : NULL;
	return (struct chart){.kind = CHART_LINE,
	                      .title = title,
	                      .y_label = y_label,
	                      .x_label = NULL,
	                      .categories = window_labels(b, w),
	                      .n = w->n,
	                      .series = s,
	                      .n_series = n,
	                      .target = tg ? tg->target : NAN,
	                      .target_label = tg ? L(b, "Ziel", "Target") : NULL,
	                      .percent = kpis[ks[0]].fmt == KF_RATE,
	                      .german = de(b)};
}

static struct chart gauge_chart(struct builder *b, const struct kpi_set *cur)
{
	const struct report_target *tg = target_of(b->in, K_SLA);
	return (struct chart){.kind = CHART_GAUGE,
	                      .title = L(b, "SLA-Erfüllung", "SLA compliance"),
	                      .value = cur ? cur->sla_compliance.value : NAN,
	                      .green = tg ? (isnan(tg->green) ? tg->target : tg->green) : NAN,
	                      .amber = tg ? tg->warn : NAN,
	                      .lower_is_better = tg && tg->lower_is_better,
	                      .percent = true,
	                      .german = de(b),
	                      .value_label =
	                              cur ? fmt(b, "%s %s %s %s", show(b, KF_INT, (double)cur->sla_compliance.num),
	                                        L(b, "von", "of"), show(b, KF_INT, (double)cur->sla_compliance.den),
	                                        L(b, "Zielen erreicht", "targets met"))
	                                  : NULL};
}

static const char *const days_de[] = {"Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"};
static const char *const days_en[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

static struct chart heat_chart(struct builder *b, const struct findings_result *f)
{
	double *cells = arena_alloc(&b->r->arena, FINDINGS_HOURS_OF_WEEK * sizeof(*cells));
	bool any = false;
	for (int i = 0; i < FINDINGS_HOURS_OF_WEEK; i++) {
		cells[i] = f ? (double)f->profile.tickets[i] : NAN;
		any |= f && f->profile.tickets[i] > 0;
	}
	if (!any)
		for (int i = 0; i < FINDINGS_HOURS_OF_WEEK; i++)
			cells[i] = NAN;
	return (struct chart){
	        .kind = CHART_HEATMAP,
	        .title = L(b, "Eingang nach Wochentag und Stunde", "Arrivals by weekday and hour"),
	        .x_label = fmt(b, "%s (%s)", L(b, "Stunde", "Hour"), b->in->tz_name ? b->in->tz_name : "UTC"),
	        .cells = cells,
	        .row_labels = (const char *const *)(de(b) ? days_de : days_en),
	        .target = NAN,
	        .german = de(b)};
}

static void heat_table(struct builder *b, const struct findings_result *f)
{
	struct report_table *t =
	        add_table(b, "arrivals_by_hour",
	                  L(b, "Eingang nach Wochentag und Stunde", "Arrivals by weekday and hour"), 25, 7);
	t->wide = true;
	t->keys[0] = "weekday";
	t->head[0] = L(b, "Tag", "Day");
	for (int h = 0; h < 24; h++) {
		t->keys[h + 1] = fmt(b, "h%02d", h);
		t->head[h + 1] = fmt(b, "%02d", h);
	}
	for (int d = 0; d < 7; d++) {
		struct report_cell *row = &t->cells[(size_t)d * 25];
		row[0] = cell_text(b, (de(b) ? days_de : days_en)[d]);
		for (int h = 0; h < 24; h++)
			row[h + 1] = cell_int(b, f ? (double)f->profile.tickets[d * 24 + h] : 0);
	}
}

static void findings_section(struct builder *b, const struct findings_result *f, size_t top)
{
	add_block(b, REPORT_BLOCK_HEADING, L(b, "Wichtigste Befunde", "Top findings"));
	if (!f || !f->n_items) {
		add_block(b, REPORT_BLOCK_TEXT,
		          L(b, "Für diesen Zeitraum ergeben die Daten keine Befunde.",
		            "The data show no findings for this period."));
		return;
	}
	size_t n = f->n_items < top ? f->n_items : top;
	struct report_table *t = add_table(b, "findings", L(b, "Befunde", "Findings"), 4, f->n_items);
	static const char *const keys[] = {"rank", "kind", "title", "value_hours_per_month"};
	t->head[0] = "#";
	t->head[1] = L(b, "Art", "Kind");
	t->head[2] = L(b, "Befund", "Finding");
	t->head[3] = L(b, "Wert (Std./Monat)", "Value (h/month)");
	for (int c = 0; c < 4; c++)
		t->keys[c] = keys[c];
	const char **items = arena_alloc(&b->r->arena, (n + 1) * sizeof(*items));
	for (size_t i = 0; i < f->n_items; i++) {
		const struct findings_item *it = &f->items[i];
		struct report_cell *row = &t->cells[i * 4];
		row[0] = cell_int(b, (double)(i + 1));
		row[1] = cell_text(b, findings_kind_to_string(it->kind));
		row[2] = cell_text(b, de(b) && it->title_de ? it->title_de : it->title);
		if (isfinite(it->value_hours_per_month)) {
			char buf[64];
			row[3] = (struct report_cell){
			        REPORT_CELL_NUM, it->value_hours_per_month, 1,
			        arena_strdup(&b->r->arena,
			                     numfmt_number(it->value_hours_per_month, 1, de(b), buf, sizeof(buf)))};
		} else {
			row[3] = (struct report_cell){REPORT_CELL_EMPTY, NAN, 0, "–"};
		}
		if (i < n) {
			items[i] = isfinite(it->value_hours_per_month)
			                   ? fmt(b, "%s (%s %s)", row[2].text, L(b, "etwa", "about"),
			                         fmt(b, "%s %s", row[3].text, L(b, "Std. je Monat", "hours a month")))
			                   : row[2].text;
		}
	}
	struct report_block *x = add_block(b, REPORT_BLOCK_BULLETS, NULL);
	x->items = items;
	x->n_items = n;
	table_block(b, t);
}

static const char *pct_change(struct builder *b, double cur, double prev)
{
	char buf[64];
	if (!(prev > 0) || !isfinite(cur))
		return NULL;
	double d = (cur - prev) / prev;
	numfmt_percent(d, 1, de(b), buf, sizeof(buf));
	return fmt(b, "%s%s", d > 0 ? "+" : "", buf);
}

static const char *kind_title(struct builder *b, const char *label)
{
	int64_t y = 0, x = 0;
	const char *s = label;
	digits_at(&s, 4, &y);
	s++;
	switch (b->r->kind) {
	case REPORT_WEEKLY:
		return de(b) ? fmt(b, "Wochenbericht KW %s/%lld", s + 1, (long long)y)
		             : fmt(b, "Weekly report %s", label);
	case REPORT_MONTHLY:
		digits_at(&s, 2, &x);
		if (x < 1 || x > 12)
			x = 1;
		return de(b) ? fmt(b, "Monatsbericht %s %lld", months_de[x - 1], (long long)y)
		             : fmt(b, "Monthly report %s %lld", months_en[x - 1], (long long)y);
	default:
		return de(b) ? fmt(b, "Quartalsbericht %s %lld", s, (long long)y)
		             : fmt(b, "Quarterly report %s %lld", s, (long long)y);
	}
}

static void summary(struct builder *b, const struct kpi_set *cur, const struct kpi_set *prev, const char *prev_word)
{
	const char *t = show(b, KF_INT, cur ? (double)cur->tickets : 0);
	const char *sv = show(b, KF_INT, cur ? (double)cur->solved : 0);
	const char *ch = prev ? pct_change(b, cur ? (double)cur->tickets : 0, (double)prev->tickets) : NULL;
	const char *p1 =
	        de(b) ? fmt(b, "Im Berichtszeitraum gingen %s Tickets ein%s%s%s; %s Tickets wurden gelöst.", t,
	                    ch ? " (" : "", ch ? fmt(b, "%s gegenüber %s", ch, prev_word) : "", ch ? ")" : "", sv)
	              : fmt(b, "%s tickets were received in the period%s%s%s; %s were solved.", t, ch ? " (" : "",
	                    ch ? fmt(b, "%s against %s", ch, prev_word) : "", ch ? ")" : "", sv);
	const char *p2 = "";
	if (cur && isfinite(cur->sla_compliance.value)) {
		const struct report_target *tg = target_of(b->in, K_SLA);
		const char *v = show(b, KF_RATE, cur->sla_compliance.value);
		const char *tt = tg ? show(b, KF_RATE, tg->target) : NULL;
		p2 = de(b) ? fmt(b, " Die SLA-Erfüllung lag bei %s%s%s%s.", v, tt ? " (Ziel " : "", tt ? tt : "",
		                 tt ? ")" : "")
		           : fmt(b, " SLA compliance was %s%s%s%s.", v, tt ? " (target " : "", tt ? tt : "",
		                 tt ? ")" : "");
	}
	const char *p3 = "";
	if (cur && isfinite(cur->resolution_hours.median))
		p3 = de(b) ? fmt(b,
		                 " Die Hälfte der gelösten Tickets war nach %s Stunden gelöst, 90 %% nach %s Stunden.",
		                 show(b, KF_HOURS, cur->resolution_hours.median),
		                 show(b, KF_HOURS, cur->resolution_hours.p90))
		           : fmt(b,
		                 " Half of the resolved tickets were resolved within %s hours, 90%% within %s hours.",
		                 show(b, KF_HOURS, cur->resolution_hours.median),
		                 show(b, KF_HOURS, cur->resolution_hours.p90));
	add_block(b, REPORT_BLOCK_TEXT, fmt(b, "%s%s%s", p1, p2, p3));
}

static void tiles(struct builder *b, const struct kpi_set *cur, const struct kpi_set *prev)
{
	static const int tk[] = {K_TICKETS, K_SOLVED, K_BACKLOG, K_SLA, K_RES_MEDIAN};
	for (size_t i = 0; i < ELEMENTSOF(tk); i++) {
		int k = tk[i];
		double v = cur ? kval(cur, k) : (k == K_TICKETS || k == K_SOLVED ? 0 : NAN);
		double pv = prev ? kval(prev, k) : NAN;
		const char *sub = NULL;
		if (isfinite(pv))
			sub = fmt(b, "%s %s", L(b, "Vorperiode", "previous"), show(b, kpis[k].fmt, pv));
		const struct report_target *tg = target_of(b->in, k);
		if (tg)
			sub = fmt(b, "%s %s%s%s", L(b, "Ziel", "target"), show(b, kpis[k].fmt, tg->target),
			          sub ? " · " : "", sub ? sub : "");
		add_tile(b, de(b) ? kpis[k].de : kpis[k].en, show(b, kpis[k].fmt, v), sub, light_of(tg, v));
	}
	if (b->r->kind == REPORT_WEEKLY && cur) {
		uint64_t breached = cur->sla_compliance.den - cur->sla_compliance.num;
		add_tile(b, L(b, "SLA verletzt", "SLA breached"), show(b, KF_INT, (double)breached),
		         fmt(b, "%s %llu", L(b, "erreicht", "met"), (unsigned long long)cur->sla_compliance.num), -1);
	}
}

int report_build(const struct report_input *in, struct report **ret, struct lserr *e)
{
	if (!in->trend || !in->by_category || !in->by_team || !in->by_agent ||
	    (in->kind == REPORT_QUARTERLY && !in->quarters))
		return lserr_set(e, -EINVAL, "invalid_parameter", "input", "report inputs missing for the kind");
	if ((int)in->kind < 0 || in->kind >= _REPORT_KIND_MAX)
		return lserr_set(e, -EINVAL, "invalid_parameter", "kind", "unknown report kind");
	struct report *r = xcalloc(1, sizeof(*r));
	arena_init(&r->arena);
	r->kind = in->kind;
	r->german = in->german;
	struct builder bb = {.r = r, .in = in}, *b = &bb;

	enum kpi_period p = report_kind_period(in->kind);
	struct kpi_options po = {.period = p, .tz = in->tz};
	ls_time from, to;
	char label[32];
	kpi_period_bounds(&po, in->period_key, &from, &to, label, sizeof(label));
	r->period = arena_strdup(&r->arena, label);
	r->title = kind_title(b, label);
	r->client = in->client_name && strcmp(in->client_name, in->client_code) != 0
	                    ? fmt(b, "%s (%s)", in->client_name, in->client_code)
	                    : arena_strdup(&r->arena, in->client_code);
	r->period_text =
	        fmt(b, "%s – %s (%s)", date_text(b, from), date_text(b, to - 1), in->tz_name ? in->tz_name : "UTC");
	{
		int64_t y;
		unsigned m, d;
		local_date(in, in->generated_at, &y, &m, &d);
		char dt[32];
		int64_t local = in->generated_at + (in->tz ? tz_offset_at(in->tz, in->generated_at) : 0);
		int64_t sod = ((local % 86400) + 86400) % 86400;
		numfmt_date(y, m, d, de(b), dt, sizeof(dt));
		r->generated = fmt(b, "%s %s %02d:%02d", L(b, "Erstellt am", "Generated"), dt, (int)(sod / 3600),
		                   (int)(sod % 3600 / 60));
	}
	r->footer = fmt(b, "Leitstand · %s · %s", in->client_code, r->title);
	r->toc = in->kind == REPORT_QUARTERLY;

	/* this period and the previous one, from the trend (weekly, monthly) or the
	 * quarter comparison */
	struct window w;
	const struct kpi_set *cur, *prev;
	struct window q = {0};
	if (in->kind == REPORT_QUARTERLY) {
		make_window(b, in->trend, KPI_PERIOD_MONTH, (in->period_key / 4) * 12 + (in->period_key % 4) * 3 + 2,
		            12, &w);
		make_window(b, in->quarters, KPI_PERIOD_QUARTER, in->period_key, 5, &q);
		cur = q.set[4];
		prev = q.set[3];
	} else {
		make_window(b, in->trend, p, in->period_key, in->kind == REPORT_WEEKLY ? 8 : 12, &w);
		cur = w.set[w.n - 1];
		prev = w.set[w.n - 2];
	}
	const char *prev_word = in->kind == REPORT_WEEKLY    ? L(b, "der Vorwoche", "the previous week")
	                        : in->kind == REPORT_MONTHLY ? L(b, "dem Vormonat", "the previous month")
	                                                     : L(b, "dem Vorquartal", "the previous quarter");
	tiles(b, cur, prev);
	add_block(b, REPORT_BLOCK_TILES, NULL);
	add_block(b, REPORT_BLOCK_HEADING, L(b, "Zusammenfassung", "Summary"));
	summary(b, cur, prev, prev_word);
	if (in->kind != REPORT_WEEKLY && (!in->targets || !in->targets->n))
		add_block(b, REPORT_BLOCK_TEXT,
		          L(b, "Für diesen Mandanten sind keine Zielwerte hinterlegt; die Ampeln bleiben leer.",
		            "No targets are set for this client; the traffic lights stay empty."));

	static const int vol_k[] = {K_TICKETS, K_SOLVED};
	const char *vol_names[] = {L(b, "Eingang", "Received"), L(b, "Gelöst", "Solved")};
	static const int backlog_k[] = {K_BACKLOG};
	const char *backlog_names[] = {L(b, "Rückstand", "Backlog")};
	static const int sla_k[] = {K_SLA};
	const char *sla_names[] = {L(b, "SLA-Erfüllung", "SLA compliance")};
	static const int res_k[] = {K_RES_MEDIAN, K_RES_P90};
	const char *res_names[] = {"Median", "P90"};
	const char *trend_word = in->kind == REPORT_WEEKLY ? L(b, "letzte 8 Wochen", "last 8 weeks")
	                                                   : L(b, "letzte 12 Monate", "last 12 months");

	/* KPI table */
	add_block(b, REPORT_BLOCK_HEADING,
	          in->kind == REPORT_MONTHLY ? L(b, "Kennzahlen gegen Ziel", "KPIs against target")
	                                     : L(b, "Kennzahlen", "KPIs"));
	struct report_table *kt =
	        kpi_table(b, cur, prev, prev != NULL || (in->kind == REPORT_QUARTERLY ? q.n : w.n) > 1);
	table_block(b, kt);
	if (in->kind == REPORT_QUARTERLY) {
		add_block(b, REPORT_BLOCK_HEADING, L(b, "Quartalsvergleich", "Quarter comparison"));
		table_block(b, period_table(b, "quarters", L(b, "Die letzten fünf Quartale", "The last five quarters"),
		                            &q));
	}

	/* volume, SLA, resolution */
	add_block(b, REPORT_BLOCK_HEADING, L(b, "Volumen und Rückstand", "Volume and backlog"));
	struct chart c2[2];
	c2[0] = line_chart(b, fmt(b, "%s (%s)", L(b, "Ticketvolumen", "Ticket volume"), trend_word),
	                   L(b, "Tickets", "Tickets"), &w, vol_k, vol_names, 2, -1);
	c2[1] = line_chart(b, fmt(b, "%s (%s)", L(b, "Rückstand", "Backlog"), trend_word),
	                   L(b, "Offene Tickets", "Open tickets"), &w, backlog_k, backlog_names, 1, K_BACKLOG);
	charts_block(b, c2, 2);

	add_block(b, REPORT_BLOCK_HEADING, L(b, "Servicequalität", "Service quality"));
	c2[0] = line_chart(b, fmt(b, "%s (%s)", L(b, "SLA-Erfüllung", "SLA compliance"), trend_word),
	                   L(b, "Anteil erfüllter SLA-Ziele (%)", "Share of SLA targets met (%)"), &w, sla_k, sla_names,
	                   1, K_SLA);
	c2[1] = gauge_chart(b, cur);
	charts_block(b, c2, 2);
	c2[0] = line_chart(b, fmt(b, "%s (%s)", L(b, "Lösungszeit", "Resolution time"), trend_word),
	                   L(b, "Stunden", "Hours"), &w, res_k, res_names, 2, K_RES_MEDIAN);
	charts_block(b, c2, 1);

	/* dimensions */
	add_block(b, REPORT_BLOCK_HEADING, L(b, "Volumen nach Kategorie und Team", "Volume by category and team"));
	static const int dim_cols[] = {K_TICKETS, K_SOLVED, K_BACKLOG, K_SLA, K_RES_MEDIAN, K_REOPEN};
	const char *none = L(b, "(ohne)", "(none)");
	const struct kpi_group **cat, **team, **agent;
	struct report_table *ct = dim_table(b, in->by_category, "by_category", L(b, "Nach Kategorie", "By category"),
	                                    L(b, "Kategorie", "Category"), none, dim_cols, ELEMENTSOF(dim_cols), &cat);
	struct report_table *tt = dim_table(b, in->by_team, "by_team", L(b, "Nach Team", "By team"),
	                                    L(b, "Team", "Team"), none, dim_cols, ELEMENTSOF(dim_cols), &team);
	c2[0] = bar_chart(b, L(b, "Eingang nach Kategorie (Top 10)", "Received by category (top 10)"), "Tickets", cat,
	                  ct->n_rows, 10, K_TICKETS, none);
	c2[1] = bar_chart(b, L(b, "Eingang nach Team (Top 10)", "Received by team (top 10)"), "Tickets", team,
	                  tt->n_rows, 10, K_TICKETS, none);
	charts_block(b, c2, 2);
	struct chart hc = heat_chart(b, in->findings);
	charts_block(b, &hc, 1);

	if (in->trend->calls) {
		const struct kpi_calls *c = in->trend->calls;
		add_block(b, REPORT_BLOCK_HEADING, L(b, "Telefonie (Call-Center)", "Calls (call centre)"));
		table_block(b,
		            calls_table(b, c, &w,
		                        fmt(b, "%s (%s)", L(b, "Anrufe je Periode", "Calls per period"), trend_word)));
		const struct kpi_calls_set *x = calls_by_label(c, w.label[w.n - 1]);
		char sl[32] = "–";
		if (x && isfinite(x->service_level[KPI_SL_DEFAULT].value))
			numfmt_percent(x->service_level[KPI_SL_DEFAULT].value, 1, de(b), sl, sizeof(sl));
		add_block(b, REPORT_BLOCK_TEXT,
		          fmt(b,
		              de(b) ? "Aus den ACD-Intervallen des Mandanten. Servicelevel: angenommen innerhalb "
		                      "der Schwelle / (angenommen + aufgelegt) (ICMI 3), in %s: %s. AHT: Gespräch "
		                      "+ Halten + Nachbearbeitung je angenommenem Anruf; ASA: Wartezeit je "
		                      "angenommenem Anruf."
		                    : "From the client's ACD intervals. Service level: answered within the "
		                      "threshold / (answered + abandoned) (ICMI 3), in %s: %s. AHT: talk + hold + "
		                      "wrap-up per answered call; ASA: queue wait per answered call.",
		              w.show[w.n - 1], sl));
	}

	const struct report_table *at = NULL;
	if (in->kind != REPORT_QUARTERLY) {
		add_block(b, REPORT_BLOCK_HEADING, L(b, "Auslastung der Bearbeiter", "Agent load"));
		static const int agent_cols[] = {K_TICKETS, K_SOLVED, K_BACKLOG, K_RES_MEDIAN};
		at = dim_table(b, in->by_agent, "agent_load", L(b, "Nach Bearbeiter", "By agent"),
		               L(b, "Bearbeiter", "Agent"), none, agent_cols, ELEMENTSOF(agent_cols), &agent);
		c2[0] = bar_chart(b,
		                  L(b, "Gelöste Tickets je Bearbeiter (Top 15)", "Tickets solved per agent (top 15)"),
		                  "Tickets", agent, at->n_rows, 15, K_SOLVED, none);
		charts_block(b, c2, 1);
		add_block(b, REPORT_BLOCK_TEXT,
		          L(b,
		            "Bearbeiter ist der zuletzt zugewiesene Bearbeiter eines Tickets; die vollständige Liste "
		            "steht im Anhang.",
		            "Agent is the ticket's last assignee; the full list is in the appendix."));
	}

	if (in->kind != REPORT_WEEKLY) {
		if (in->findings)
			findings_section(b, in->findings, 5);
		struct plan_period pp = {local_day(in, from), local_day(in, to - 1)};
		actions_section(b, &pp);
		if (in->kind == REPORT_QUARTERLY) {
			contract_section(b, &w);
			benchmark_section(b, cur);
		}
	}

	add_block(b, REPORT_BLOCK_HEADING, L(b, "Anhang: Zahlen", "Appendix: figures"));
	table_block(b, period_table(b, "trend", fmt(b, "%s (%s)", L(b, "Verlauf", "Trend"), trend_word), &w));
	table_block(b, ct);
	table_block(b, tt);
	if (at)
		table_block(b, at);
	heat_table(b, in->findings);
	add_block(b, REPORT_BLOCK_TABLE, NULL)->table = r->n_tables - 1;
	add_block(
	        b, REPORT_BLOCK_TEXT,
	        L(b,
	          "Definitionen der Kennzahlen: docs/kpi.md. Raten sind Anteile erfüllter Fälle an allen gezählten "
	          "Fällen; "
	          "„–“ bedeutet: keine Daten. Jede Zahl entspricht `leitstand kpi` für denselben Zeitraum.",
	          "KPI definitions: docs/kpi.md. Rates are the share of cases that met the condition among all counted "
	          "cases; \"–\" means no data. Every figure equals `leitstand kpi` for the same period."));
	*ret = r;
	return 0;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	arena_release(&r->arena);
	xfree(r);
}

const char *report_word(const struct report *r, const char *en)
{
	static const char *const words[][2] = {
	        {"Page", "Seite"},     {"of", "von"},          {"Contents", "Inhalt"},
	        {"Client", "Mandant"}, {"Period", "Zeitraum"}, {"Confidential", "Vertraulich"},
	};
	for (size_t i = 0; r->german && i < ELEMENTSOF(words); i++)
		if (strcmp(words[i][0], en) == 0)
			return words[i][1];
	return en;
}
