/* KPI result → JSON (see kpi_json.h). Room: kpi.
 * The first six keys are the contract with the CLI (`leitstand kpi`); the rest follow
 * in a fixed order so that output diffs stay readable. NaN is never printed as a
 * number: every undefined value is null. */
#include "kpi/kpi_json.h"

#include <math.h>

#include "kpi/kpi_calls.h"
#include "kpi/kpi_targets.h"

static json_t *num(double x)
{
	return isnan(x) ? json_null() : json_real(x);
}

/* Group values come from foreign files: bytes that are not UTF-8 are kept, as
 * jansson's escapes cannot carry them, as a string of their code units (Latin-1). */
static json_t *text(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	char buf[512];
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && k + 3 < sizeof(buf); p++) {
		if (*p < 0x80) {
			buf[k++] = (char)*p;
		} else {
			buf[k++] = (char)(0xC0 | (*p >> 6));
			buf[k++] = (char)(0x80 | (*p & 0x3F));
		}
	}
	buf[k] = '\0';
	return json_string(buf);
}

json_t *kpi_json_text(const char *s)
{
	return text(s);
}

static json_t *dist(const struct kpi_dist *d)
{
	return json_pack("{s:o,s:o,s:o,s:I}", "mean", num(d->mean), "median", num(d->median), "p90", num(d->p90), "n",
	                 (json_int_t)d->n);
}

static json_t *rate_detail(const struct kpi_rate *r)
{
	return json_pack("{s:o,s:I,s:I}", "value", num(r->value), "num", (json_int_t)r->num, "den", (json_int_t)r->den);
}

json_t *kpi_json_set(const struct kpi_set *s, enum kpi_sla_variant v)
{
	json_t *o = json_object();
	json_object_set_new(o, "tickets", json_integer((json_int_t)s->tickets));
	json_object_set_new(o, "reopen_rate", num(s->reopen_rate.value));
	json_object_set_new(o, "sla_compliance", num(s->sla_compliance.value));
	json_object_set_new(o, "resolution_hours", dist(&s->resolution_hours));
	json_object_set_new(o, "reassigned_share", num(s->reassigned_share.value));
	json_object_set_new(o, "reassignments_mean", num(s->reassignments_mean));
	json_object_set_new(o, "solved", json_integer((json_int_t)s->solved));
	json_object_set_new(o, "backlog", json_integer((json_int_t)s->backlog));
	json_object_set_new(o, "sla_variant", json_string(kpi_sla_variant_to_string(v)));
	json_object_set_new(o, "sla_source", rate_detail(&s->sla_source));
	json_object_set_new(o, "sla_target", rate_detail(&s->sla_target));
	json_object_set_new(o, "resolution_business_hours", dist(&s->resolution_business_hours));
	json_object_set_new(o, "resolution_business_hours_net", dist(&s->resolution_business_hours_net));
	json_object_set_new(o, "first_response_hours", dist(&s->first_response_hours));
	json_object_set_new(o, "first_response_business_hours", dist(&s->first_response_business_hours));
	json_object_set_new(o, "aht_minutes", dist(&s->handle_minutes));
	json_object_set_new(o, "fcr",
	                    json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "one_touch", num(s->fcr_one_touch.value),
	                              "one_touch_messaging", num(s->fcr_one_touch_messaging.value), "freshservice",
	                              num(s->fcr_freshservice.value), "zoho", num(s->fcr_zoho.value),
	                              "one_business_hour", num(s->fcr_one_business_hour.value), "canonical",
	                              num(s->fcr_canonical.value), "net", num(s->fcr_net.value), "source",
	                              num(s->fcr_source.value)));
	json_object_set_new(o, "csat", num(s->csat.value));
	json_object_set_new(o, "nps", num(s->nps.value));
	return o;
}

static json_t *calls_set(const struct kpi_calls_set *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "offered", json_integer((json_int_t)s->offered));
	json_object_set_new(o, "answered", json_integer((json_int_t)s->answered));
	json_object_set_new(o, "abandoned", json_integer((json_int_t)s->abandoned));
	json_object_set_new(o, "abandonment_rate", num(s->abandonment_rate.value));
	json_object_set_new(o, "service_level", num(s->service_level[KPI_SL_DEFAULT].value));
	json_object_set_new(o, "aht_seconds", num(s->aht_seconds));
	json_object_set_new(o, "intervals", json_integer((json_int_t)s->intervals));
	json_object_set_new(o, "abandonment_rate_excl_short", num(s->abandonment_rate_excl_short.value));
	json_object_set_new(o, "service_level_formula", json_string(kpi_sl_formula_to_string(KPI_SL_DEFAULT)));
	json_object_set_new(o, "service_level_threshold_seconds",
	                    s->threshold >= 0 ? json_integer(s->threshold) : json_null());
	json_t *v = json_object();
	for (int f = 0; f < _KPI_SL_MAX; f++)
		json_object_set_new(v, kpi_sl_formula_to_string((enum kpi_sl_formula)f),
		                    num(s->service_level[f].value));
	json_object_set_new(o, "service_level_formulas", v);
	json_object_set_new(o, "asa_seconds", num(s->asa_seconds));
	return o;
}

json_t *kpi_json_calls(const struct kpi_calls *c)
{
	json_t *o = calls_set(&c->total);
	json_object_set_new(o, "queues", json_integer((json_int_t)c->queues));
	if (!c->by_queue && c->period == KPI_PERIOD_NONE)
		return o;
	if (c->by_queue)
		json_object_set_new(o, "group_by", json_string("queue"));
	if (c->period != KPI_PERIOD_NONE)
		json_object_set_new(o, "period", json_string(kpi_period_to_string(c->period)));
	json_t *groups = json_array();
	for (size_t i = 0; i < c->n_groups; i++) {
		const struct kpi_calls_group *g = &c->groups[i];
		json_t *x = json_object();
		if (c->by_queue)
			json_object_set_new(x, "group", text(g->queue));
		if (c->period != KPI_PERIOD_NONE)
			json_object_set_new(x, "period", json_string(g->period));
		json_t *set = calls_set(&g->set);
		json_object_update(x, set);
		json_decref(set);
		json_array_append_new(groups, x);
	}
	json_object_set_new(o, "groups", groups);
	return o;
}

static json_t *tickets(const struct kpi_result *r)
{
	json_t *o = kpi_json_set(&r->total, r->sla_variant);
	if (r->group_by == KPI_DIM_NONE && r->period == KPI_PERIOD_NONE)
		return o;
	if (r->group_by != KPI_DIM_NONE)
		json_object_set_new(o, "group_by", json_string(kpi_dim_to_string(r->group_by)));
	if (r->period != KPI_PERIOD_NONE)
		json_object_set_new(o, "period", json_string(kpi_period_to_string(r->period)));
	json_t *groups = json_array();
	for (size_t i = 0; i < r->n_groups; i++) {
		const struct kpi_group *g = &r->groups[i];
		json_t *x = json_object();
		if (r->group_by != KPI_DIM_NONE)
			json_object_set_new(x, "group", text(g->value));
		if (r->period != KPI_PERIOD_NONE)
			json_object_set_new(x, "period", json_string(g->period));
		json_t *set = kpi_json_set(&g->set, r->sla_variant);
		json_object_update(x, set);
		json_decref(set);
		json_array_append_new(groups, x);
	}
	json_object_set_new(o, "groups", groups);
	return o;
}

json_t *kpi_json_result(const struct kpi_result *r)
{
	json_t *o = tickets(r);
	kpi_targets_add_lights(o, r->targets);
	if (r->calls)
		json_object_set_new(o, "calls", kpi_json_calls(r->calls));
	return o;
}
