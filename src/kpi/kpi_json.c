/* KPI result → JSON (see kpi_json.h). Room: kpi.
 * The first six keys are the contract with the CLI (`leitstand kpi`); the rest follow
 * in a fixed order so that output diffs stay readable. NaN is never printed as a
 * number: every undefined value is null. */
#include "kpi/kpi_json.h"

#include <math.h>

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

static json_t *dist(const struct kpi_dist *d)
{
	return json_pack("{s:o,s:o,s:o,s:I}", "mean", num(d->mean), "median", num(d->median), "p90", num(d->p90), "n",
			 (json_int_t)d->n);
}

static json_t *rate_detail(const struct kpi_rate *r)
{
	return json_pack("{s:o,s:I,s:I}", "value", num(r->value), "num", (json_int_t)r->num, "den",
			 (json_int_t)r->den);
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

json_t *kpi_json_result(const struct kpi_result *r)
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
