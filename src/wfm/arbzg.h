/* The German Working Hours Act (Arbeitszeitgesetz, ArbZG) in numbers, as the shift
 * planner applies it. Room: wfm.
 *
 *   §3  at most 8 h of work per working day; up to 10 h when the average over the
 *       compensation period (6 calendar months or 24 weeks) stays at 8 h;
 *   §4  breaks of at least 30 min for more than 6 h of work, 45 min for more than
 *       9 h, in parts of at least 15 min; never more than 6 h of work in a row;
 *   §5  at least 11 h of uninterrupted rest between two shifts;
 *   §9/§10  no work on Sundays and public holidays unless the contract (an exception
 *       of §10) allows it.
 *
 * Durations are whole seconds. The calendar rules (Sundays, holidays, the average)
 * need dates and contracts and live in roster.c; this module holds what a single
 * shift can be judged by. Pure functions, safe from any thread. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARBZG_DAY_REGULAR    (8 * 3600)  /* §3: a working day's work, and the average to keep */
#define ARBZG_DAY_MAX        (10 * 3600) /* §3: a working day's work, at most, with compensation */
#define ARBZG_REST_MIN       (11 * 3600) /* §5 */
#define ARBZG_STRETCH_MAX    (6 * 3600)  /* §4: work in a row without a break */
#define ARBZG_BREAK_PART_MIN (15 * 60)   /* §4: shorter pauses are no break */
#define ARBZG_AVERAGE_WEEKS  24          /* §3: compensation period */

/* A pause inside a shift, in seconds from the shift's start: [start, end). */
struct arbzg_pause {
	int32_t start, end;
};

/* What a shift of `length` seconds with its pauses amounts to. */
struct arbzg_figures {
	int32_t work;     /* length minus the breaks that count (parts of >= 15 min) */
	int32_t breaks;   /* seconds of break that count */
	int32_t required; /* arbzg_break_required(work) */
	int32_t stretch;  /* longest run of work without a counting break */
};

/* The break §4 requires for `work` seconds of work: 0 up to 6 h, 30 min for more than
 * 6 h up to 9 h, 45 min for more than 9 h. */
int32_t arbzg_break_required(int32_t work);

/* Figures of a shift of `length` seconds whose pauses p[0..n) are sorted, disjoint and
 * inside [0, length]. A pause shorter than 15 minutes is not a break under §4: it
 * counts as working time and does not interrupt a run of work (the conservative
 * reading). */
void arbzg_figures(int32_t length, const struct arbzg_pause *p, size_t n, struct arbzg_figures *ret);

/* §4 on the figures: enough break for the work, and no run longer than 6 h. */
bool arbzg_breaks_ok(const struct arbzg_figures *f);
bool arbzg_stretch_ok(const struct arbzg_figures *f);
