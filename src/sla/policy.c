/* SLA policies: the JSON form, validation and selection (see policy.h). Room: sla.
 *
 * Parsing walks the jansson tree by hand instead of json_unpack, so that every error
 * names the field by its full path and lists what is allowed there. Invariants of a
 * parsed policy: every target is > 0 seconds or absent (0); warnings ascend within
 * 1..99; escalation levels of a metric have non-decreasing thresholds (shares
 * ascending within 1..100, then after-breach offsets ascending), which is what lets
 * an unacknowledged level climb to the next one; pause states are open states. The
 * engine never opens files: the caller hands over text. */
#include "sla/policy.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/parse.h"
#include "sla/duration.h"

/* ---- names ---- */

static const char *const metric_names[] = {"first_response", "next_update", "resolution"};
static const char *const time_names[] = {"business", "calendar"};
static const char *const trigger_names[] = {"share", "after_breach"};
static const char *const action_names[] = {"notify", "reassign"};
static const char *const priority_names[] = {"P1", "P2", "P3", "P4", "P5"};

static int lookup(const char *const *table, int n, const char *s)
{
	if (!s)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		if (strcmp(table[i], s) == 0)
			return i;
	return -EINVAL;
}

const char *policy_metric_to_string(enum policy_metric m)
{
	return (int)m >= 0 && m < _POLICY_METRIC_MAX ? metric_names[m] : NULL;
}

enum policy_metric policy_metric_from_string(const char *s)
{
	return (enum policy_metric)lookup(metric_names, _POLICY_METRIC_MAX, s);
}

const char *policy_time_to_string(enum policy_time t)
{
	return (int)t >= 0 && t < _POLICY_TIME_MAX ? time_names[t] : NULL;
}

enum policy_time policy_time_from_string(const char *s)
{
	return (enum policy_time)lookup(time_names, _POLICY_TIME_MAX, s);
}

const char *policy_trigger_to_string(enum policy_trigger t)
{
	return (int)t >= 0 && t < _POLICY_TRIGGER_MAX ? trigger_names[t] : NULL;
}

const char *policy_action_to_string(enum policy_action a)
{
	return (int)a >= 0 && a < _POLICY_ACTION_MAX ? action_names[a] : NULL;
}

enum policy_action policy_action_from_string(const char *s)
{
	return (enum policy_action)lookup(action_names, _POLICY_ACTION_MAX, s);
}

const char *policy_priority_to_string(int priority)
{
	return priority >= 1 && priority <= POLICY_PRIORITIES ? priority_names[priority - 1] : NULL;
}

int policy_priority_from_string(const char *s)
{
	int i = lookup(priority_names, POLICY_PRIORITIES, s);
	return i < 0 ? -EINVAL : i + 1;
}

/* ---- parsing helpers ---- */

struct parser {
	struct arena *a;
	struct lserr *e;
	char path[128]; /* field path of the value being parsed */
};

static int bad(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct parser *ps, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return lserr_set(ps->e, -EINVAL, "invalid_field", ps->path, "%s: %s", ps->path, msg);
}

static size_t path_push(struct parser *ps, const char *key, long idx);

/* A required member `key` of the object at the current path is absent. */
static int missing(struct parser *ps, const char *key, const char *example)
{
	path_push(ps, key, 0);
	return lserr_set(ps->e, -EINVAL, "missing_field", ps->path, "%s: required, %s", ps->path, example);
}

/* Appends ".key" or "[i]" to the path for the duration of a nested parse; returns the
 * old length to restore. */
static size_t path_push(struct parser *ps, const char *key, long idx)
{
	size_t len = strlen(ps->path);
	if (key)
		snprintf(ps->path + len, sizeof(ps->path) - len, "%s%s", len ? "." : "", key);
	else
		snprintf(ps->path + len, sizeof(ps->path) - len, "[%ld]", idx);
	return len;
}

static void path_pop(struct parser *ps, size_t len)
{
	ps->path[len] = '\0';
}

static int unknown(struct parser *ps, const char *key, const char *allowed)
{
	char parent[128];
	snprintf(parent, sizeof(parent), "%s", ps->path);
	size_t len = path_push(ps, key, 0);
	int r = lserr_set(ps->e, -EINVAL, "unknown_field", ps->path, "%s: unknown field", ps->path);
	if (len)
		lserr_hint(ps->e, "allowed in %s: %s", parent, allowed);
	else
		lserr_hint(ps->e, "allowed at the top level: %s", allowed);
	path_pop(ps, len);
	return r;
}

static int get_string(struct parser *ps, json_t *v, size_t max, const char **ret)
{
	if (!json_is_string(v))
		return bad(ps, "must be a string");
	size_t n = json_string_length(v);
	if (n == 0)
		return bad(ps, "must not be empty");
	if (n > max)
		return lserr_set(ps->e, -LS_ETOOLARGE, "invalid_field", ps->path, "%s: longer than %zu bytes", ps->path,
		                 max);
	if (memchr(json_string_value(v), '\0', n))
		return bad(ps, "must not contain NUL");
	*ret = arena_strndup(ps->a, json_string_value(v), n);
	return 0;
}

static int get_array(struct parser *ps, json_t *v, size_t max)
{
	if (!json_is_array(v))
		return bad(ps, "must be an array");
	if (json_array_size(v) > max)
		return lserr_set(ps->e, -LS_ETOOLARGE, "invalid_field", ps->path, "%s: more than %zu entries", ps->path,
		                 max);
	return 0;
}

static int get_duration(struct parser *ps, json_t *v, bool positive, int64_t *ret)
{
	if (!json_is_string(v))
		return bad(ps, "must be a duration string such as \"4h\" or \"1h30m\"");
	int64_t s;
	int r = duration_parse(json_string_value(v), ps->path, &s, ps->e);
	if (r < 0)
		return r;
	if (positive && s == 0)
		return bad(ps, "must be longer than 0s");
	*ret = s;
	return 0;
}

/* "75%" or 75, within lo..hi. */
static int get_percent(struct parser *ps, json_t *v, int lo, int hi, uint32_t *ret)
{
	int pct;
	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		if (i < lo || i > hi)
			return bad(ps, "must lie between %d%% and %d%%", lo, hi);
		pct = (int)i;
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		char num[16];
		if (n < 2 || n > sizeof(num) || s[n - 1] != '%')
			return bad(ps, "'%.20s' is not a percentage such as \"75%%\"", s);
		memcpy(num, s, n - 1);
		num[n - 1] = '\0';
		if (num[0] < '0' || num[0] > '9' || parse_int(num, lo, hi, &pct) < 0)
			return bad(ps, "'%.20s' is not a percentage between %d%% and %d%%", s, lo, hi);
	} else {
		return bad(ps, "must be a percentage such as \"75%%\"");
	}
	*ret = (uint32_t)pct;
	return 0;
}

/* A list of names mapped by from_string into a bit mask. */
static int get_mask(struct parser *ps, json_t *v, int (*from)(const char *), const char *what, uint32_t *ret)
{
	int r = get_array(ps, v, LS_MAX_SLA_LIST);
	if (r < 0)
		return r;
	if (json_array_size(v) == 0)
		return bad(ps, "must not be empty (leave the field out to mean any)");
	uint32_t mask = 0;
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		size_t len = path_push(ps, NULL, (long)i);
		int bit = json_is_string(x) ? from(json_string_value(x)) : -EINVAL;
		if (bit < 0) {
			r = json_is_string(x) ? bad(ps, "'%.40s' is not %s", json_string_value(x), what)
			                      : bad(ps, "must be a string naming %s", what);
			return r;
		}
		path_pop(ps, len);
		mask |= 1u << bit;
	}
	*ret = mask;
	return 0;
}

static int type_bit(const char *s)
{
	return (int)ticket_type_from_string(s);
}

static int channel_bit(const char *s)
{
	return (int)ticket_channel_from_string(s);
}

static int priority_bit(const char *s)
{
	return policy_priority_from_string(s);
}

/* ---- sections ---- */

static int parse_applies(struct parser *ps, json_t *v, struct policy *p)
{
	if (!json_is_object(v))
		return bad(ps, "must be an object with types, priorities, categories or channels");
	const char *key;
	json_t *x;
	json_object_foreach(v, key, x)
	{
		size_t len = path_push(ps, key, 0);
		int r;
		if (strcmp(key, "types") == 0) {
			r = get_mask(ps, x, type_bit, "a ticket type (incident, problem, service_request, complaint)",
			             &p->types);
		} else if (strcmp(key, "channels") == 0) {
			r = get_mask(ps, x, channel_bit, "a channel (email, phone, web, chat, api)", &p->channels);
		} else if (strcmp(key, "priorities") == 0) {
			r = get_mask(ps, x, priority_bit, "a priority P1..P5", &p->priorities);
		} else if (strcmp(key, "categories") == 0) {
			r = get_array(ps, x, LS_MAX_SLA_LIST);
			if (r == 0 && json_array_size(x) == 0)
				r = bad(ps, "must not be empty (leave the field out to mean any)");
			if (r == 0) {
				p->n_categories = json_array_size(x);
				p->categories = arena_zalloc(ps->a, p->n_categories * sizeof(*p->categories));
				size_t i;
				json_t *c;
				json_array_foreach(x, i, c)
				{
					size_t l2 = path_push(ps, NULL, (long)i);
					if ((r = get_string(ps, c, LS_MAX_CATEGORY_BYTES, &p->categories[i])) < 0)
						break;
					path_pop(ps, l2);
				}
			}
		} else {
			path_pop(ps, len);
			return unknown(ps, key, "types, priorities, categories, channels");
		}
		if (r < 0)
			return r;
		path_pop(ps, len);
	}
	return 0;
}

static int get_string_list(struct parser *ps, json_t *v, const char ***ret, size_t *ret_n)
{
	int r = get_array(ps, v, LS_MAX_CALENDAR_DAYS);
	if (r < 0)
		return r;
	size_t n = json_array_size(v);
	const char **list = arena_zalloc(ps->a, (n ? n : 1) * sizeof(*list));
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		size_t len = path_push(ps, NULL, (long)i);
		if ((r = get_string(ps, x, 200, &list[i])) < 0)
			return r;
		path_pop(ps, len);
	}
	*ret = list;
	*ret_n = n;
	return 0;
}

static int parse_calendar(struct parser *ps, json_t *v, struct policy *p)
{
	struct policy_calendar *c = &p->calendar;
	if (json_is_string(v))
		return get_string(ps, v, LS_MAX_NAME_BYTES, &c->ref);
	if (!json_is_object(v))
		return bad(ps, "must be an object {\"tz\", \"hours\", \"holidays\"} or the name of a stored calendar");
	c->spec = (struct calendar_spec){0}; /* an inline calendar replaces the 24x7 UTC default */
	const char *key;
	json_t *x;
	json_object_foreach(v, key, x)
	{
		size_t len = path_push(ps, key, 0);
		int r;
		if (strcmp(key, "tz") == 0)
			r = get_string(ps, x, 200, &c->spec.tz);
		else if (strcmp(key, "hours") == 0)
			r = get_string(ps, x, LS_MAX_HOURS_BYTES, &c->spec.hours);
		else if (strcmp(key, "holidays") == 0)
			r = get_string(ps, x, 40, &c->spec.holidays);
		else if (strcmp(key, "closed") == 0)
			r = get_string_list(ps, x, &c->spec.closed, &c->spec.n_closed);
		else if (strcmp(key, "open") == 0)
			r = get_string_list(ps, x, &c->spec.open, &c->spec.n_open);
		else if (strcmp(key, "name") == 0)
			r = get_string(ps, x, LS_MAX_NAME_BYTES, &c->name);
		else if (strcmp(key, "version") == 0)
			r = json_is_integer(x) && json_integer_value(x) >= 1 ? (c->version = json_integer_value(x), 0)
			                                                     : bad(ps, "must be a whole number >= 1");
		else {
			path_pop(ps, len);
			return unknown(ps, key, "tz, hours, holidays, closed, open, name, version");
		}
		if (r < 0)
			return r;
		path_pop(ps, len);
	}
	if (!c->spec.tz)
		return missing(ps, "tz", "e.g. \"Europe/Berlin\"");
	if (!c->spec.hours)
		return missing(ps, "hours", "e.g. \"mon-fri 08:00-17:00\"");
	if (!c->spec.holidays)
		c->spec.holidays = "none";
	return 0;
}

static int parse_pause_states(struct parser *ps, json_t *v, struct policy *p)
{
	int r = get_array(ps, v, LS_MAX_SLA_LIST);
	if (r < 0)
		return r;
	uint32_t mask = 0;
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		size_t len = path_push(ps, NULL, (long)i);
		enum ticket_state s =
		        json_is_string(x) ? ticket_state_from_string(json_string_value(x)) : _TICKET_STATE_INVALID;
		if ((int)s < 0)
			return json_is_string(x) ? bad(ps, "'%.40s' is not a ticket state", json_string_value(x))
			                         : bad(ps, "must be a ticket state name");
		if (!ticket_state_is_open(s))
			return bad(ps,
			           "'%s' stops every clock already; pause states are open states such as "
			           "pending_customer",
			           ticket_state_to_string(s));
		mask |= 1u << s;
		path_pop(ps, len);
	}
	p->pause_states = mask;
	return 0;
}

static int parse_warnings(struct parser *ps, json_t *v, struct policy *p)
{
	int r = get_array(ps, v, LS_MAX_SLA_WARNINGS);
	if (r < 0)
		return r;
	p->n_warnings = 0;
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		size_t len = path_push(ps, NULL, (long)i);
		uint32_t pct;
		if ((r = get_percent(ps, x, 1, 99, &pct)) < 0)
			return r;
		if (i > 0 && pct <= p->warnings[i - 1])
			return bad(ps, "warnings must ascend (%u%% after %u%%)", pct, p->warnings[i - 1]);
		p->warnings[p->n_warnings++] = pct;
		path_pop(ps, len);
	}
	return 0;
}

static int parse_target(struct parser *ps, json_t *v, struct policy_target *t)
{
	t->time = POLICY_TIME_BUSINESS;
	if (json_is_string(v))
		return get_duration(ps, v, true, &t->seconds);
	if (!json_is_object(v))
		return bad(ps, "must be a duration such as \"4h\" or an object {\"within\": \"24h\", \"time\": "
		               "\"calendar\"}");
	const char *key;
	json_t *x;
	bool within = false;
	json_object_foreach(v, key, x)
	{
		size_t len = path_push(ps, key, 0);
		int r;
		if (strcmp(key, "within") == 0) {
			r = get_duration(ps, x, true, &t->seconds);
			within = true;
		} else if (strcmp(key, "time") == 0) {
			t->time = json_is_string(x) ? policy_time_from_string(json_string_value(x))
			                            : _POLICY_TIME_INVALID;
			r = (int)t->time < 0 ? bad(ps, "must be business or calendar") : 0;
		} else {
			path_pop(ps, len);
			return unknown(ps, key, "within, time");
		}
		if (r < 0)
			return r;
		path_pop(ps, len);
	}
	if (!within)
		return missing(ps, "within", "e.g. \"24h\"");
	return 0;
}

static int parse_targets(struct parser *ps, json_t *v, struct policy *p)
{
	if (!json_is_object(v))
		return bad(ps, "must be an object keyed by priority, e.g. {\"P1\": {\"resolution\": \"4h\"}}");
	bool any = false;
	const char *key;
	json_t *x;
	json_object_foreach(v, key, x)
	{
		size_t len = path_push(ps, key, 0);
		int prio = policy_priority_from_string(key);
		if (prio < 0)
			return bad(ps, "unknown priority; use P1 .. P5");
		if (!json_is_object(x))
			return bad(ps, "must be an object with first_response, next_update or resolution");
		const char *k2;
		json_t *y;
		json_object_foreach(x, k2, y)
		{
			enum policy_metric m = policy_metric_from_string(k2);
			if ((int)m < 0)
				return unknown(ps, k2, "first_response, next_update, resolution");
			size_t l2 = path_push(ps, k2, 0);
			int r = parse_target(ps, y, &p->targets[prio - 1][m]);
			if (r < 0)
				return r;
			path_pop(ps, l2);
			any = true;
		}
		path_pop(ps, len);
	}
	if (!any)
		return bad(ps, "defines no target at all");
	return 0;
}

static int parse_level(struct parser *ps, json_t *v, struct policy_level *l)
{
	if (!json_is_object(v))
		return bad(ps, "must be an object such as {\"at\": \"75%%\", \"action\": \"notify\", \"owner\": "
		               "\"team_lead\"}");
	bool at = false, after = false;
	l->action = POLICY_ACTION_NOTIFY;
	const char *key;
	json_t *x;
	json_object_foreach(v, key, x)
	{
		size_t len = path_push(ps, key, 0);
		int r;
		if (strcmp(key, "at") == 0) {
			at = true;
			l->trigger = POLICY_TRIGGER_SHARE;
			r = get_percent(ps, x, 1, 100, &l->percent);
		} else if (strcmp(key, "after_breach") == 0) {
			after = true;
			l->trigger = POLICY_TRIGGER_AFTER_BREACH;
			r = get_duration(ps, x, true, &l->offset);
		} else if (strcmp(key, "action") == 0) {
			l->action = json_is_string(x) ? policy_action_from_string(json_string_value(x))
			                              : _POLICY_ACTION_INVALID;
			r = (int)l->action < 0 ? bad(ps, "must be notify (hierarchical) or reassign (functional)") : 0;
		} else if (strcmp(key, "owner") == 0) {
			r = get_string(ps, x, LS_MAX_NAME_BYTES, &l->owner);
		} else if (strcmp(key, "ack_within") == 0) {
			r = get_duration(ps, x, true, &l->ack_within);
		} else if (strcmp(key, "priorities") == 0) {
			uint32_t mask = 0;
			r = get_mask(ps, x, priority_bit, "a priority P1..P5", &mask);
			l->priorities = mask;
		} else {
			path_pop(ps, len);
			return unknown(ps, key, "at, after_breach, action, owner, ack_within, priorities");
		}
		if (r < 0)
			return r;
		path_pop(ps, len);
	}
	if (at == after)
		return bad(ps, at ? "give either at or after_breach, not both"
		                  : "needs at (a share such as \"75%%\") or after_breach (such as \"1h\")");
	if (!l->owner)
		return missing(ps, "owner", "who is notified or receives the ticket, e.g. \"team_lead\"");
	return 0;
}

static int parse_escalations(struct parser *ps, json_t *v, struct policy *p)
{
	if (!json_is_object(v))
		return bad(ps, "must be an object keyed by target kind, e.g. {\"resolution\": [ ... ]}");
	const char *key;
	json_t *x;
	json_object_foreach(v, key, x)
	{
		enum policy_metric m = policy_metric_from_string(key);
		if ((int)m < 0)
			return unknown(ps, key, "first_response, next_update, resolution");
		size_t len = path_push(ps, key, 0);
		int r = get_array(ps, x, LS_MAX_SLA_LEVELS);
		if (r < 0)
			return r;
		size_t i;
		json_t *y;
		json_array_foreach(x, i, y)
		{
			size_t l2 = path_push(ps, NULL, (long)i);
			struct policy_level *l = &p->levels[m][i];
			if ((r = parse_level(ps, y, l)) < 0)
				return r;
			if (i > 0) {
				const struct policy_level *prev = &p->levels[m][i - 1];
				bool ok =
				        prev->trigger == POLICY_TRIGGER_SHARE
				                ? l->trigger == POLICY_TRIGGER_AFTER_BREACH ||
				                          l->percent > prev->percent
				                : l->trigger == POLICY_TRIGGER_AFTER_BREACH && l->offset > prev->offset;
				if (!ok)
					return bad(ps, "levels must climb: shares ascending first, then after_breach "
					               "offsets ascending");
			}
			p->n_levels[m]++;
			path_pop(ps, l2);
		}
		path_pop(ps, len);
	}
	return 0;
}

static int parse_root(struct parser *ps, json_t *root, struct policy *p)
{
	if (!json_is_object(root))
		return lserr_set(ps->e, -EINVAL, "invalid_field", "policy", "policy: must be a JSON object");
	bool have_targets = false;
	const char *key;
	json_t *x;
	json_object_foreach(root, key, x)
	{
		size_t len = path_push(ps, key, 0);
		int r;
		if (strcmp(key, "name") == 0) {
			r = get_string(ps, x, LS_MAX_NAME_BYTES, &p->name);
		} else if (strcmp(key, "version") == 0) {
			r = json_is_integer(x) && json_integer_value(x) >= 1 ? (p->version = json_integer_value(x), 0)
			                                                     : bad(ps, "must be a whole number >= 1");
		} else if (strcmp(key, "order") == 0) {
			r = json_is_integer(x) ? (p->order = json_integer_value(x), 0)
			                       : bad(ps, "must be a whole number");
		} else if (strcmp(key, "applies_to") == 0) {
			r = parse_applies(ps, x, p);
		} else if (strcmp(key, "calendar") == 0) {
			r = parse_calendar(ps, x, p);
		} else if (strcmp(key, "pause_states") == 0) {
			r = parse_pause_states(ps, x, p);
		} else if (strcmp(key, "warnings") == 0) {
			r = parse_warnings(ps, x, p);
		} else if (strcmp(key, "targets") == 0) {
			r = parse_targets(ps, x, p);
			have_targets = true;
		} else if (strcmp(key, "escalations") == 0) {
			r = parse_escalations(ps, x, p);
		} else {
			path_pop(ps, len);
			return unknown(ps, key,
			               "name, version, order, applies_to, calendar, pause_states, warnings, targets, "
			               "escalations");
		}
		if (r < 0)
			return r;
		path_pop(ps, len);
	}
	if (!have_targets)
		return missing(ps, "targets", "e.g. {\"P1\": {\"first_response\": \"1h\", \"resolution\": \"4h\"}}");
	return 0;
}

int policy_parse(const char *text, size_t n, struct arena *a, struct policy **ret, struct lserr *e)
{
	if (n > LS_MAX_SLA_POLICY_BYTES)
		return lserr_set(e, -LS_ETOOLARGE, "invalid_field", "policy", "policy: larger than %d bytes",
		                 LS_MAX_SLA_POLICY_BYTES);
	json_error_t je;
	json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return lserr_set(e, -EINVAL, "invalid_json", "policy", "policy: line %d, column %d: %s", je.line,
		                 je.column, je.text);
	struct policy *p = arena_zalloc(a, sizeof(*p));
	p->version = 1;
	p->pause_states = 1u << TICKET_STATE_PENDING_CUSTOMER;
	p->warnings[0] = 75;
	p->warnings[1] = 90;
	p->n_warnings = 2;
	p->calendar.spec.tz = "UTC";
	p->calendar.spec.hours = "mon-sun 00:00-24:00";
	p->calendar.spec.holidays = "none";
	struct parser ps = {.a = a, .e = e};
	int r = parse_root(&ps, root, p);
	json_decref(root);
	if (r < 0)
		return r;
	*ret = p;
	return 0;
}

int policy_compile_calendar(const struct policy *p, int first_year, int last_year, struct calendar **ret,
                            struct lserr *e)
{
	if (p->calendar.ref)
		return lserr_set(e, -ENOENT, "not_found", "calendar",
		                 "calendar: '%s' names a stored calendar; give the calendar inline here",
		                 p->calendar.ref);
	struct calendar_spec spec = p->calendar.spec;
	spec.first_year = first_year;
	spec.last_year = last_year;
	struct lserr ce;
	lserr_clear(&ce);
	int r = calendar_compile(&spec, ret, &ce);
	if (r < 0 && e) {
		char field[64];
		snprintf(field, sizeof(field), "calendar.%.40s", ce.field[0] ? ce.field : "tz");
		lserr_set(e, r, ce.code ? ce.code : "invalid_field", field, "calendar.%s", ce.message);
		if (ce.hint[0])
			lserr_hint(e, "%s", ce.hint);
	}
	return r;
}

/* ---- queries ---- */

const struct policy_target *policy_target(const struct policy *p, int priority, enum policy_metric m)
{
	if (!p || priority < 1 || priority > POLICY_PRIORITIES || (int)m < 0 || m >= _POLICY_METRIC_MAX)
		return NULL;
	const struct policy_target *t = &p->targets[priority - 1][m];
	return t->seconds > 0 ? t : NULL;
}

bool policy_pauses(const struct policy *p, enum ticket_state s)
{
	return p && (int)s >= 0 && s < _TICKET_STATE_MAX && (p->pause_states & (1u << s));
}

bool policy_applies(const struct policy *p, const struct policy_subject *s)
{
	if (p->types && ((int)s->type < 0 || s->type >= _TICKET_TYPE_MAX || !(p->types & (1u << s->type))))
		return false;
	if (p->channels &&
	    ((int)s->channel < 0 || s->channel >= _TICKET_CHANNEL_MAX || !(p->channels & (1u << s->channel))))
		return false;
	if (p->priorities &&
	    (s->priority < 1 || s->priority > POLICY_PRIORITIES || !(p->priorities & (1u << s->priority))))
		return false;
	if (p->n_categories) {
		if (!s->category)
			return false;
		for (size_t i = 0; i < p->n_categories; i++)
			if (strcmp(p->categories[i], s->category) == 0)
				return true;
		return false;
	}
	return true;
}

int policy_check_set(const struct policy *const *set, size_t n, struct lserr *e)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (set[i]->order == set[j]->order) {
				char a[96], b[96];
				return lserr_set(e, -LS_ECONFLICT, "conflict", "order",
				                 "order: policies %s and %s both have order %lld; give each its own",
				                 policy_label(set[i], a, sizeof(a)), policy_label(set[j], b, sizeof(b)),
				                 (long long)set[i]->order);
			}
	return 0;
}

int policy_select(const struct policy *const *set, size_t n, const struct policy_subject *s, size_t *ret_index,
                  struct lserr *e)
{
	size_t best = n;
	for (size_t i = 0; i < n; i++)
		if (policy_applies(set[i], s) && (best == n || set[i]->order < set[best]->order))
			best = i;
	if (best == n) {
		const char *type = ticket_type_to_string(s->type), *chan = ticket_channel_to_string(s->channel);
		const char *prio = policy_priority_to_string(s->priority);
		return lserr_set(e, -ENOENT, "not_found", "policy",
		                 "no SLA policy applies to a ticket of type %s, priority %s, category %s, channel %s",
		                 type ? type : "(none)", prio ? prio : "(none)", s->category ? s->category : "(none)",
		                 chan ? chan : "(none)");
	}
	*ret_index = best;
	return 0;
}

const char *policy_label(const struct policy *p, char *buf, size_t n)
{
	snprintf(buf, n, "%.60s v%lld", p->name ? p->name : "policy", (long long)p->version);
	return buf;
}
