/* KPI targets and traffic lights (see kpi_targets.h). Room: kpi.
 * A key is valid when it names a number (or null) in the kpi JSON of an empty
 * result: the JSON shape is the single list of KPI keys, so a new KPI needs no
 * change here. */
#include "kpi/kpi_targets.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kpi/kpi_json.h"

static const char *const light_names[] = {"green", "amber", "red"};

const char *kpi_light_to_string(enum kpi_light l)
{
	return (int)l >= 0 && l < _KPI_LIGHT_MAX ? light_names[l] : NULL;
}

enum kpi_light kpi_light_of(const struct kpi_target *t, double v)
{
	if (isnan(v))
		return KPI_LIGHT_NONE;
	if (t->lower_is_better)
		return v <= t->green ? KPI_LIGHT_GREEN : v <= t->amber ? KPI_LIGHT_AMBER : KPI_LIGHT_RED;
	return v >= t->green ? KPI_LIGHT_GREEN : v >= t->amber ? KPI_LIGHT_AMBER : KPI_LIGHT_RED;
}

/* The value at a dotted key; NULL when the path does not exist. */
static const json_t *lookup(const json_t *o, const char *key)
{
	char part[48];
	const char *p = key;
	while (o && json_is_object(o)) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		if (len == 0 || len >= sizeof(part))
			return NULL;
		memcpy(part, p, len);
		part[len] = '\0';
		o = json_object_get(o, part);
		if (!dot)
			return o;
		p = dot + 1;
	}
	return NULL;
}

double kpi_targets_value(const json_t *kpi, const char *key)
{
	const json_t *v = lookup(kpi, key);
	return v && json_is_number(v) ? json_number_value(v) : NAN;
}

static bool known_key(const char *key)
{
	static json_t *shape; /* built once; never freed (a constant of the program) */
	if (!shape) {
		struct kpi_set empty;
		memset(&empty, 0, sizeof(empty));
		json_t *s = kpi_json_set(&empty, KPI_SLA_NONE);
		if (!__sync_bool_compare_and_swap(&shape, NULL, s))
			json_decref(s);
	}
	const json_t *v = lookup(shape, key);
	return v && (json_is_number(v) || json_is_null(v));
}

static int bad(struct lserr *e, const char *key, const char *field, const char *msg)
{
	char name[64];
	snprintf(name, sizeof(name), "%.47s%s%s", key, field ? "." : "", field ? field : "");
	return lserr_set(e, -EINVAL, "invalid_field", name, "%s: %s", name, msg);
}

int kpi_targets_from_json(const json_t *o, struct kpi_targets *ret, struct lserr *e)
{
	if (!json_is_object(o))
		return lserr_set(e, -EINVAL, "invalid_field", "targets", "targets must be an object of KPI keys");
	if (json_object_size(o) > KPI_MAX_TARGETS)
		return lserr_set(e, -EINVAL, "invalid_field", "targets", "at most %d KPI targets", KPI_MAX_TARGETS);
	struct kpi_targets t = {.n = 0};
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)o, key, v)
	{
		if (strlen(key) >= sizeof(t.t[0].key) || !known_key(key))
			return lserr_set(e, -EINVAL, "invalid_field", key[0] && strlen(key) < 48 ? key : "targets",
			                 "'%.47s' is not a KPI key of the kpi JSON", key);
		if (!json_is_object(v))
			return bad(e, key, NULL, "must be an object {\"green\", \"amber\", \"better\"[, \"target\"]}");
		static const char *const fields[] = {"target", "green", "amber", "better"};
		const char *f;
		json_t *x;
		json_object_foreach(v, f, x)
		{
			bool ok = false;
			for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
				ok |= strcmp(f, fields[i]) == 0;
			if (!ok)
				return bad(e, key, f[0] && strlen(f) < 16 ? f : NULL, "unknown field");
		}
		struct kpi_target *k = &t.t[t.n];
		snprintf(k->key, sizeof(k->key), "%s", key);
		const char *num[] = {"green", "amber", "target"};
		double *dst[] = {&k->green, &k->amber, &k->target};
		for (int i = 0; i < 3; i++) {
			x = json_object_get(v, num[i]);
			if (!x && i == 2) {
				k->target = k->green;
				continue;
			}
			if (!x)
				return bad(e, key, num[i], "is required");
			if (!json_is_number(x) || !isfinite(json_number_value(x)))
				return bad(e, key, num[i], "must be a finite number");
			*dst[i] = json_number_value(x);
		}
		x = json_object_get(v, "better");
		const char *b = json_is_string(x) ? json_string_value(x) : NULL;
		if (!b || (strcmp(b, "higher") != 0 && strcmp(b, "lower") != 0))
			return bad(e, key, "better", "must be \"higher\" or \"lower\"");
		k->lower_is_better = b[0] == 'l';
		if (k->lower_is_better ? k->green > k->amber : k->green < k->amber)
			return bad(e, key, "amber",
			           k->lower_is_better ? "must not lie below green when lower is better"
			                              : "must not lie above green when higher is better");
		t.n++;
	}
	*ret = t;
	return 0;
}

json_t *kpi_targets_to_json(const struct kpi_targets *t)
{
	json_t *o = json_object();
	for (size_t i = 0; i < t->n; i++) {
		const struct kpi_target *k = &t->t[i];
		json_object_set_new(o, k->key,
		                    json_pack("{s:f,s:f,s:f,s:s}", "target", k->target, "green", k->green, "amber",
		                              k->amber, "better", k->lower_is_better ? "lower" : "higher"));
	}
	return o;
}

static void lights(json_t *set, const struct kpi_targets *t)
{
	json_t *l = json_object();
	for (size_t i = 0; i < t->n; i++) {
		enum kpi_light x = kpi_light_of(&t->t[i], kpi_targets_value(set, t->t[i].key));
		if (x != KPI_LIGHT_NONE)
			json_object_set_new(l, t->t[i].key, json_string(kpi_light_to_string(x)));
	}
	json_object_set_new(set, "lights", l);
}

void kpi_targets_add_lights(json_t *kpi, const struct kpi_targets *t)
{
	if (!t || !t->n)
		return;
	json_t *groups = json_object_get(kpi, "groups");
	size_t i;
	json_t *g;
	json_array_foreach(groups, i, g) lights(g, t);
	lights(kpi, t);
}
