/* Request validation and wire formats (see json.h). Room: server. */
#include "server/json.h"

#include <stdio.h>
#include <string.h>

static const char *type_name(enum jfield_type t)
{
	switch (t) {
	case JF_STRING: return "a string";
	case JF_STRING_OR_NULL: return "a string or null";
	case JF_INT: return "an integer";
	case JF_STRING_ARRAY: return "an array of strings";
	case JF_OBJECT: return "an object";
	case JF_NUMBER: return "a number";
	case JF_OBJECT_ARRAY: return "an array of objects";
	case JF_BOOL: return "true or false";
	}
	return "?";
}

int json_check(struct request *rq, json_t *obj, const struct jfield *spec, const char *prefix)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		const struct jfield *f = spec;
		while (f->name && strcmp(f->name, key) != 0)
			f++;
		char *full = arena_printf(&rq->arena, "%s%s", prefix, key);
		if (!f->name) {
			reply_errorf(rq, "unknown_field", full, "unknown field '%.60s'", full);
			return -EINVAL;
		}
		if (f->refused) {
			reply_error_full(rq, "invalid_field", full,
			                 arena_printf(&rq->arena, "field '%s' cannot be set here", full), f->hint);
			return -EINVAL;
		}
		bool ok;
		switch (f->type) {
		case JF_STRING: ok = json_is_string(v); break;
		case JF_STRING_OR_NULL: ok = json_is_string(v) || json_is_null(v); break;
		case JF_INT: ok = json_is_integer(v); break;
		case JF_OBJECT: ok = json_is_object(v); break;
		case JF_NUMBER: ok = json_is_number(v); break;
		case JF_BOOL: ok = json_is_boolean(v); break;
		case JF_OBJECT_ARRAY:
			ok = json_is_array(v);
			for (size_t i = 0; ok && i < json_array_size(v); i++)
				ok = json_is_object(json_array_get(v, i));
			break;
		case JF_STRING_ARRAY:
			ok = json_is_array(v);
			for (size_t i = 0; ok && i < json_array_size(v); i++)
				ok = json_is_string(json_array_get(v, i));
			break;
		default: ok = false;
		}
		if (!ok) {
			reply_errorf(rq, "invalid_field", full, "field '%s' must be %s", full, type_name(f->type));
			return -EINVAL;
		}
		if (f->type == JF_STRING_ARRAY)
			for (size_t i = 0; i < json_array_size(v); i++) {
				json_t *s = json_array_get(v, i);
				if (strlen(json_string_value(s)) != json_string_length(s)) {
					reply_errorf(rq, "invalid_field", full, "field '%s' contains a NUL character",
					             full);
					return -EINVAL;
				}
			}
		if (f->type == JF_INT && (json_integer_value(v) < f->min || json_integer_value(v) > f->max)) {
			reply_errorf(rq, "invalid_field", full, "field '%s' must be %lld to %lld (got %lld)", full,
			             (long long)f->min, (long long)f->max, (long long)json_integer_value(v));
			return -EINVAL;
		}
		if ((f->type == JF_STRING || f->type == JF_STRING_OR_NULL) && json_is_string(v)) {
			if (f->max && json_string_length(v) > (size_t)f->max) {
				reply_errorf(rq, "invalid_field", full, "field '%s' is longer than %lld bytes", full,
				             (long long)f->max);
				return -EINVAL;
			}
			if (strlen(json_string_value(v)) != json_string_length(v)) {
				reply_errorf(rq, "invalid_field", full, "field '%s' contains a NUL character", full);
				return -EINVAL;
			}
		}
		if (f->type == JF_OBJECT && f->children) {
			int r = json_check(rq, v, f->children, arena_printf(&rq->arena, "%s.", full));
			if (r < 0)
				return r;
		}
		if (f->type == JF_OBJECT_ARRAY && f->children) {
			if (f->max && json_array_size(v) > (size_t)f->max) {
				reply_errorf(rq, "invalid_field", full, "field '%s' holds more than %lld entries", full,
				             (long long)f->max);
				return -EINVAL;
			}
			for (size_t i = 0; i < json_array_size(v); i++) {
				int r = json_check(rq, json_array_get(v, i), f->children,
				                   arena_printf(&rq->arena, "%s[%zu].", full, i));
				if (r < 0)
					return r;
			}
		}
	}
	for (const struct jfield *f = spec; f->name; f++)
		if (f->required && !json_object_get(obj, f->name)) {
			char *full = arena_printf(&rq->arena, "%s%s", prefix, f->name);
			reply_errorf(rq, "missing_field", full, "field '%s' is required", full);
			return -EINVAL;
		}
	return 0;
}

const char *jstr(json_t *obj, const char *name)
{
	return json_string_value(json_object_get(obj, name));
}

int64_t jint(json_t *obj, const char *name, int64_t def)
{
	json_t *v = json_object_get(obj, name);
	return json_is_integer(v) ? json_integer_value(v) : def;
}

double jnum(json_t *obj, const char *name, double def)
{
	json_t *v = json_object_get(obj, name);
	return json_is_number(v) ? json_number_value(v) : def;
}

bool jhas(json_t *obj, const char *name)
{
	return json_object_get(obj, name) != NULL;
}

const char **jstrv(struct arena *a, json_t *obj, const char *name, size_t *ret_n)
{
	json_t *arr = json_object_get(obj, name);
	size_t n = json_array_size(arr);
	const char **v = arena_alloc(a, (n + 1) * sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = json_string_value(json_array_get(arr, i));
	v[n] = NULL;
	*ret_n = n;
	return v;
}

json_t *json_time(ls_time t)
{
	if (!t)
		return json_null();
	char buf[32];
	return json_string(time_format_rfc3339(t, buf, sizeof(buf)));
}

json_t *json_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *json_ticket(const struct ticket *t)
{
	json_t *tags = json_array();
	for (size_t i = 0; i < t->n_tags; i++)
		json_array_append_new(tags, json_string(t->tags[i]));
	json_t *o = json_object();
	json_object_set_new(o, "number", json_string(t->number));
	json_object_set_new(o, "client", json_string(t->client_code));
	json_object_set_new(o, "type", json_string(ticket_type_to_string(t->type)));
	json_object_set_new(o, "title", json_string(t->title));
	json_object_set_new(o, "description", json_string(t->description ? t->description : ""));
	json_object_set_new(o, "impact", json_integer(t->impact));
	json_object_set_new(o, "urgency", json_integer(t->urgency));
	json_object_set_new(o, "priority", json_integer(t->priority));
	json_object_set_new(o, "state", json_string(ticket_state_to_string(t->state)));
	json_object_set_new(o, "category", json_str_or_null(t->category));
	json_object_set_new(o, "channel", json_string(ticket_channel_to_string(t->channel)));
	json_object_set_new(o, "requester",
	                    json_pack("{s:o,s:o,s:o}", "name", json_str_or_null(t->requester_name), "email",
	                              json_str_or_null(t->requester_email), "phone",
	                              json_str_or_null(t->requester_phone)));
	json_object_set_new(o, "team", json_str_or_null(t->team_code));
	json_object_set_new(o, "assignee", json_str_or_null(t->assignee_email));
	json_object_set_new(o, "vendor", json_str_or_null(t->vendor_code));
	json_object_set_new(o, "tags", tags);
	json_object_set_new(o, "version", json_integer(t->version));
	json_object_set_new(o, "reopen_count", json_integer(t->reopen_count));
	json_object_set_new(o, "created_at", json_time(t->created_at));
	json_object_set_new(o, "updated_at", json_time(t->updated_at));
	json_object_set_new(o, "first_response_at", json_time(t->first_response_at));
	json_object_set_new(o, "resolved_at", json_time(t->resolved_at));
	json_object_set_new(o, "closed_at", json_time(t->closed_at));
	return o;
}

json_t *json_client(const struct client *c)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:o}", "code", c->code, "name", c->name, "timezone", c->timezone,
	                 "priority_matrix", c->priority_matrix, "created_at", json_time(c->created_at));
}

json_t *json_user(const struct user *u)
{
	json_t *clients = json_array();
	for (size_t i = 0; i < u->n_clients; i++)
		json_array_append_new(clients, json_string(u->client_codes[i]));
	json_t *o = json_pack("{s:s,s:s,s:s,s:b,s:o,s:o}", "email", u->email, "name", u->name, "role",
	                      user_role_to_string(u->role), "active", u->active, "clients", clients, "created_at",
	                      json_time(u->created_at));
	if (u->role == USER_ROLE_VENDOR_AGENT)
		json_object_set_new(o, "vendor", json_str_or_null(u->vendor_code));
	return o;
}

json_t *json_vendor(const struct vendor *v)
{
	json_t *clients = json_array();
	for (size_t i = 0; i < v->n_clients; i++)
		json_array_append_new(clients, json_string(v->client_codes[i]));
	return json_pack("{s:s,s:s,s:o,s:o}", "code", v->code, "name", v->name, "clients", clients, "created_at",
	                 json_time(v->created_at));
}

json_t *json_team(const struct team *t)
{
	return json_pack("{s:s,s:s,s:o}", "code", t->code, "name", t->name, "created_at", json_time(t->created_at));
}

json_t *json_event(const struct ticket_event *e)
{
	return json_pack("{s:I,s:o,s:s,s:o,s:s,s:o,s:o}", "id", (json_int_t)e->id, "at", json_time(e->at), "actor_kind",
	                 author_kind_to_string(e->actor_kind), "actor", json_str_or_null(e->actor_email), "field",
	                 e->field, "old", json_str_or_null(e->old_value), "new", json_str_or_null(e->new_value));
}

json_t *json_message(const struct ticket_message *m)
{
	return json_pack("{s:I,s:s,s:s,s:o,s:s,s:o}", "id", (json_int_t)m->id, "kind", message_kind_to_string(m->kind),
	                 "author_kind", author_kind_to_string(m->author_kind), "author_name",
	                 json_str_or_null(m->author_name), "body", m->body, "created_at", json_time(m->created_at));
}

json_t *json_effort(const struct ticket_effort *e)
{
	return json_pack("{s:I,s:o,s:i,s:s,s:o,s:o}", "id", (json_int_t)e->id, "user", json_str_or_null(e->user_email),
	                 "minutes", e->minutes, "note", e->note ? e->note : "", "worked_at", json_time(e->worked_at),
	                 "created_at", json_time(e->created_at));
}

json_t *json_link(const struct ticket_link *l)
{
	return json_pack("{s:s,s:s,s:s,s:o,s:o}", "kind", link_kind_to_string(l->kind), "direction",
	                 l->inverse ? "inbound" : "outbound", "ticket", l->other_number, "title",
	                 json_str_or_null(l->other_title), "created_at", json_time(l->created_at));
}
