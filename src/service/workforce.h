/* Workforce use cases: staffing requirements now; forecasts and shift plans to come.
 * Room: service. Staffing needs no stored data: it validates, calls the wfm
 * engine and hands back the results (errors name the field as the API spells it). */
#pragma once
#include <stddef.h>

#include "service/svc.h"
#include "wfm/staffing.h"

/* One interval (n == 1) or consecutive intervals of one queue (a plan). On failure
 * s->err names the field; for a plan the message names the interval. */
int workforce_staffing(struct svc *s, const struct staffing_input *rows, size_t n, struct staffing_result *out);
