/* Management reports: a report model built from KPI engine results, and its renderers
 * (report_html.h, report_csv.h, report_pdf.h, report_xlsx.h). Room: report (pure: no
 * SQL, no logging; the XLSX writer alone writes a file, because libxlsxwriter
 * writes to a path).
 *
 * The model is what every format shows: a title block, KPI tiles, sections of
 * headings, paragraphs, charts (chart.h) and tables. Every number in it is taken
 * from the kpi_result structs the caller computed (the same kpi_compute() results
 * `leitstand kpi` prints): nothing is computed here but differences between
 * periods and the traffic-light state against a target. Tables keep the exact
 * double, so CSV and XLSX agree with the JSON to the last digit; the display text
 * is rounded.
 *
 * Kinds: weekly (operations: volume, backlog, SLA outcomes, agent load), monthly
 * (management: every KPI against its target with traffic lights, 12-month trend,
 * top findings, action plan), quarterly (steering committee: quarter comparison,
 * 12-month trends, findings, action plan, contract economics, benchmark).
 * docs/reports.md describes each section.
 *
 * Ownership: report_build() allocates the model in its own arena; report_free()
 * releases it (accepts NULL). The model copies what it keeps from the inputs, so
 * the inputs may be released after report_build(). Threads: any, own model. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "kpi/findings.h"
#include "kpi/kpi.h"
#include "model/plan.h"
#include "report/chart.h"

enum report_kind {
	REPORT_WEEKLY,
	REPORT_MONTHLY,
	REPORT_QUARTERLY,
	_REPORT_KIND_MAX,
	_REPORT_KIND_INVALID = -22,
};

enum report_format {
	REPORT_HTML,
	REPORT_PDF,
	REPORT_XLSX,
	REPORT_CSV,
	_REPORT_FORMAT_MAX,
	_REPORT_FORMAT_INVALID = -22,
};

/* "weekly", "monthly", "quarterly" */
const char *report_kind_to_string(enum report_kind k);
enum report_kind report_kind_from_string(const char *s);
/* "html", "pdf", "xlsx", "csv" */
const char *report_format_to_string(enum report_format f);
enum report_format report_format_from_string(const char *s);

/* The KPI period of a kind (week, month, quarter). */
enum kpi_period report_kind_period(enum report_kind k);
/* Parses a period of kind k: "2026-W43" (ISO week), "2026-10", "2026-Q3". Returns 0
 * and the kpi period key (kpi_period_key(): weeks the Monday's day number, months
 * year·12 + month − 1, quarters year·4 + quarter − 1), or -EINVAL with e naming the
 * field "period" (wrong shape for the kind, week 53 in a year without one, …). */
int report_period_parse(const char *s, enum report_kind k, int64_t *ret_key, struct lserr *e);
/* The key of the period n periods before key (n may be negative). */
int64_t report_period_shift(enum report_kind k, int64_t key, int n);

/* Targets of KPIs (the traffic lights): green when the value meets `target`, amber
 * when it misses it but meets `warn`, red otherwise. Keys name KPIs as the JSON
 * does: "sla_compliance", "resolution_hours.median", "fcr.canonical", … */
#define REPORT_MAX_TARGETS 64
struct report_target {
	char key[48];
	double target, warn;
	double green; /* green threshold when it differs from target (stored targets,
	               * kpi_targets.h); NaN: target */
	bool lower_is_better;
};
struct report_targets {
	struct report_target t[REPORT_MAX_TARGETS];
	size_t n;
};
/* Parses a targets file: {"KEY": {"target": X, "warn": Y, "better": "higher"|"lower"}
 * | X, …}; "better" defaults to the KPI's natural direction, "warn" to 10 % of the
 * target below (higher is better) or above it. Unknown keys and fields are errors
 * (e names them). Returns 0 or -EINVAL. */
int report_targets_parse(const char *text, size_t n, struct report_targets *ret, struct lserr *e);

/* The installation benchmark of a quarter: the quarter's KPI sets of every client
 * with at least min_tickets received in it (this client's among them when it has
 * that many), in no particular order and without names. */
#define REPORT_BENCH_MIN_CLIENTS 5 /* fewer: the section says so (anonymity) */
struct report_benchmark {
	uint64_t min_tickets;
	size_t n;
	const struct kpi_set *sets;
};

/* What report_build() reads; everything is the caller's and only read. */
struct report_input {
	enum report_kind kind;
	bool german;
	const char *client_code, *client_name;
	const char *tz_name; /* zone of the period boundaries */
	int64_t period_key;
	const struct tz *tz;
	ls_time generated_at; /* printed in the footer */
	/* by period (the kind's period for weekly and monthly; months for quarterly), the
	 * trend window ending with the report's period: 8 weeks, 12 months; its call KPIs
	 * (trend->calls, when the client has ACD data) give the calls table */
	const struct kpi_result *trend;
	const struct kpi_result *quarters;    /* quarterly: by quarter, the last 5; else NULL */
	const struct kpi_result *by_category; /* the period as a range, grouped */
	const struct kpi_result *by_team;
	const struct kpi_result *by_agent;
	const struct findings_result *findings; /* the period's; NULL: section left out */
	const struct report_targets *targets;   /* NULL: no targets */
	/* monthly and quarterly: the client's action plan (every action; the report
	 * picks those of the period, model/plan.h) */
	const struct action *actions;
	size_t n_actions;
	/* quarterly: the client's contract; NULL: none stored (the section says so) */
	const struct contract *contract;
	/* quarterly: the installation's benchmark (report_benchmark); NULL: left out */
	const struct report_benchmark *benchmark;
};

/* One table cell. Numbers keep the exact double; `text` is the display text. */
enum report_cell_kind {
	REPORT_CELL_EMPTY, /* no value (JSON null) */
	REPORT_CELL_TEXT,
	REPORT_CELL_INT,
	REPORT_CELL_NUM,
	REPORT_CELL_RATE,  /* a fraction 0..1, shown as percent */
	REPORT_CELL_LIGHT, /* a traffic light: v = 0 green, 1 amber, 2 red */
};

struct report_cell {
	enum report_cell_kind kind;
	double v;
	int decimals;     /* display decimals (NUM, RATE: of the percent) */
	const char *text; /* display text (localised); never NULL */
	const char *code; /* TEXT: the machine value CSV writes instead of the localised
	                   * text ("in_progress", "2026-10-31", "true"); NULL: the text */
};

struct report_table {
	const char *id;    /* file and sheet name: "kpis", "trend", "by_category", … */
	const char *title; /* localised */
	size_t n_cols, n_rows;
	const char **keys;         /* machine column names (CSV header) */
	const char **head;         /* localised column titles */
	struct report_cell *cells; /* row-major */
	bool wide;                 /* many columns: renderers may use a smaller font */
};

struct report_tile {
	const char *label, *value, *sub; /* localised display texts */
	int light;                       /* -1 none, 0 green, 1 amber, 2 red */
};

enum report_block_kind {
	REPORT_BLOCK_HEADING, /* text: a section title (part of the table of contents) */
	REPORT_BLOCK_TEXT,    /* text: a paragraph */
	REPORT_BLOCK_TILES,   /* the report's tiles */
	REPORT_BLOCK_CHARTS,  /* charts[0..n_charts), side by side (1 or 2) */
	REPORT_BLOCK_TABLE,   /* table: index into report.tables */
	REPORT_BLOCK_BULLETS, /* items[0..n_items) */
};

struct report_block {
	enum report_block_kind kind;
	const char *text;
	const struct chart *charts;
	size_t n_charts;
	size_t table;
	const char **items;
	size_t n_items;
};

struct report {
	struct arena arena;
	enum report_kind kind;
	bool german;
	const char *title;       /* "Monatsbericht Oktober 2026" */
	const char *client;      /* "ACME GmbH (ACME)" */
	const char *period;      /* "2026-10" */
	const char *period_text; /* "01.10.2026 – 31.10.2026 (Europe/Berlin)" */
	const char *generated;   /* "Erstellt am 02.11.2026 08:00" */
	const char *footer;      /* "Leitstand · ACME · Monatsbericht 2026-10" */
	struct report_tile *tiles;
	size_t n_tiles;
	struct report_block *blocks;
	size_t n_blocks;
	struct report_table *tables;
	size_t n_tables;
	bool toc; /* quarterly: the PDF gets a table of contents */
};

/* Builds the model. Returns 0 and a new model in *ret, or -EINVAL (inputs missing
 * for the kind: e names them). */
int report_build(const struct report_input *in, struct report **ret, struct lserr *e);
void report_free(struct report *r);

/* A localised text by English key for the renderers' fixed words ("Page", "of",
 * "Contents"). */
const char *report_word(const struct report *r, const char *en);
