/* Call KPIs over ACD intervals (model/record.h rec_interval): abandonment rate,
 * service level in every formula the domain research names, average handle time and
 * ASA, in total and per period and queue. Room: kpi (pure: no I/O, no logging).
 * Definitions: docs/kpi.md "Calls" (domain research §1.3, §1.13, §1.14, §1.15).
 *
 * Counting rule: an interval counts in the period of its start (the ACD has already
 * put each call into an interval: Genesys reports handle time in the interval where
 * after-call work ended). Each KPI sums over the intervals that carry the values it
 * needs (an interval without a service-level count is left out of the service level,
 * numerator and denominator alike); a zero denominator gives NaN (JSON null).
 *
 * Ownership and threads: kpi_calls_compute() allocates the result, kpi_calls_free()
 * releases it (accepts NULL). Queue names in the result point into the intervals:
 * keep them alive while the result is used. Pure: any thread, own result. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "kpi/kpi.h"
#include "model/record.h"

/* Service-level formulas (domain §1.14, ICMI [I1][I2]), T = the threshold:
 *   ICMI1    (answered≤T + abandoned≤T) / (answered + abandoned)
 *   ICMI2    answered≤T / answered                      (ignores abandons)
 *   ICMI3    answered≤T / (answered + abandoned)         (Genesys Cloud's default)
 *   ICMI4    answered≤T / (answered + abandoned>T)       (abandons before T neutral)
 *   ICMI5    (answered≤T + short abandons) / (answered + abandoned)
 *   OFFERED  answered≤T / offered  (Genesys Cloud with flowouts in the denominator:
 *            offered = answered + abandoned + flowouts) */
enum kpi_sl_formula {
	KPI_SL_ICMI1,
	KPI_SL_ICMI2,
	KPI_SL_ICMI3,
	KPI_SL_ICMI4,
	KPI_SL_ICMI5,
	KPI_SL_OFFERED,
	_KPI_SL_MAX,
};

/* The formula `service_level` reports. */
#define KPI_SL_DEFAULT KPI_SL_ICMI3

/* "icmi1" … "icmi5", "offered" */
const char *kpi_sl_formula_to_string(enum kpi_sl_formula f);

struct kpi_calls_set {
	uint64_t intervals;
	uint64_t offered, answered, abandoned;
	struct kpi_rate abandonment_rate;            /* abandoned / offered */
	struct kpi_rate abandonment_rate_excl_short; /* abandoned / (offered − short abandons) */
	struct kpi_rate service_level[_KPI_SL_MAX];
	int32_t threshold;  /* seconds: the one threshold of the intervals in the service
	                     * level; REC_UNKNOWN when none is given or they differ */
	double aht_seconds; /* (talk + hold + wrap-up) / answered; NaN without data */
	uint64_t aht_calls; /* its denominator */
	double asa_seconds; /* queue wait of answered calls / answered; NaN without data */
	uint64_t asa_calls;
};

struct kpi_calls_group {
	const char *queue; /* NULL when not grouped by queue */
	char period[32];   /* as kpi_group.period */
	ls_time period_start, period_end;
	struct kpi_calls_set set;
};

struct kpi_calls {
	bool by_queue;
	enum kpi_period period;
	uint64_t queues;                /* distinct queues counted in the total */
	struct kpi_calls_set total;     /* KPI_PERIOD_RANGE: intervals starting inside it */
	struct kpi_calls_group *groups; /* by period, then queue; NULL/0 when neither */
	size_t n_groups;
};

/* Computes the call KPIs of v[0..n) with o's period, range and zone (o->group_by is
 * not used: calls have one dimension, the queue, asked for with by_queue). Returns
 * 0 and *ret, or -EINVAL (bad period or range: e names the field). */
int kpi_calls_compute(const struct rec_interval *v, size_t n, const struct kpi_options *o, bool by_queue,
                      struct kpi_calls **ret, struct lserr *e);
void kpi_calls_free(struct kpi_calls *c);

/* AHT of one interval's numbers: talk + hold + wrap-up when talk is known (a missing
 * hold or wrap-up counts as 0), else the handle total; NaN when neither is known. */
double kpi_calls_handle_seconds(const struct rec_interval *iv);
