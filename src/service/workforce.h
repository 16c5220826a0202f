/* Workforce use cases: staffing requirements and shift plans; forecasts to come.
 * Room: service. Staffing needs no stored data: it validates, calls the wfm
 * engine and hands back the results (errors name the field as the API spells it). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "service/svc.h"
#include "wfm/staffing.h"
#include "wfm/shiftplan.h"

/* One interval (n == 1) or consecutive intervals of one queue (a plan). On failure
 * s->err names the field; for a plan the message names the interval. */
int workforce_staffing(struct svc *s, const struct staffing_input *rows, size_t n, struct staffing_result *out);

/* Plans shifts and rosters agents for a plan whose inputs are loaded (shiftplan.h),
 * with CBC, or with the greedy alone when greedy is set. Needs no stored data. On
 * failure s->err names the field. The caller releases *ret with
 * shiftplan_result_free(). */
int workforce_shift_plan(struct svc *s, struct shiftplan *p, bool greedy, struct shiftplan_result *ret);
