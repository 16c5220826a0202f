/* Business calendars and holidays over HTTP. Room: server. */
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "core/parse.h"
#include "server/api.h"
#include "server/json.h"
#include "service/calendars.h"

static json_t *strv(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *json_calendar(const struct calendar_def *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "client", json_string(d->client_code));
	json_object_set_new(o, "code", json_string(d->code));
	json_object_set_new(o, "name", json_string(d->name));
	json_object_set_new(o, "version", json_integer(d->version));
	json_object_set_new(o, "current_version", json_integer(d->current_version));
	json_object_set_new(o, "timezone", json_string(d->timezone));
	json_object_set_new(o, "hours", json_string(d->hours));
	json_object_set_new(o, "holidays", json_string(d->holidays));
	json_object_set_new(o, "closed_days", strv(d->closed, d->n_closed));
	json_object_set_new(o, "open_days", strv(d->open, d->n_open));
	json_object_set_new(o, "holidays_version", json_string(d->holidays_version));
	json_object_set_new(o, "created_at", json_time(d->created_at));
	json_object_set_new(o, "version_created_at", json_time(d->version_created_at));
	json_object_set_new(o, "version_created_by", json_str_or_null(d->version_created_by));
	return o;
}

static int reply_calendar(struct request *rq, unsigned status, const struct calendar_def *d)
{
	snprintf(rq->etag, sizeof(rq->etag), "\"%lld\"", (long long)d->current_version);
	return reply_json(rq, status, json_calendar(d));
}

static const struct jfield def_fields[] = {
        {"client", JF_STRING, true, 0, LS_MAX_CODE_BYTES},
        {"code", JF_STRING, true, 0, LS_MAX_CODE_BYTES},
        {"name", JF_STRING, false, 0, LS_MAX_NAME_BYTES},
        {"timezone", JF_STRING, false, 0, 64},
        {"hours", JF_STRING, true, 0, LS_MAX_HOURS_BYTES},
        {"holidays", JF_STRING, false, 0, 32},
        {"closed_days", JF_STRING_ARRAY, false},
        {"open_days", JF_STRING_ARRAY, false},
        {NULL},
};

static int check_days(struct request *rq, json_t *body, const char *name)
{
	if (json_array_size(json_object_get(body, name)) > LS_MAX_CALENDAR_DAYS) {
		reply_errorf(rq, "invalid_field", name, "at most %d entries in '%s'", LS_MAX_CALENDAR_DAYS, name);
		return -EINVAL;
	}
	return 0;
}

static void read_input(struct request *rq, json_t *body, struct calendar_input *in)
{
	in->client = jstr(body, "client");
	in->code = jstr(body, "code");
	in->name = jstr(body, "name");
	in->timezone = jstr(body, "timezone");
	in->hours = jstr(body, "hours");
	in->holidays = jstr(body, "holidays");
	in->closed = jstrv(&rq->arena, body, "closed_days", &in->n_closed);
	in->open = jstrv(&rq->arena, body, "open_days", &in->n_open);
}

int api_calendars_create(struct request *rq)
{
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, def_fields, "") < 0 ||
	    check_days(rq, body, "closed_days") < 0 || check_days(rq, body, "open_days") < 0)
		return -EINVAL;
	struct calendar_input in;
	read_input(rq, body, &in);
	struct calendar_def d;
	int r = calendars_create(&rq->svc, &in, &d);
	if (r < 0)
		return reply_error(rq, r);
	return reply_calendar(rq, 201, &d);
}

int api_calendars_list(struct request *rq)
{
	struct calendar_def *v;
	size_t n;
	int r = calendars_list(&rq->svc, request_query(rq, "client"), &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_calendar(&v[i]));
	return reply_json(rq, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

static int query_version(struct request *rq, int64_t *ret)
{
	const char *v = request_query(rq, "version");
	*ret = 0;
	if (v && parse_i64(v, 1, INT64_MAX, ret) < 0) {
		reply_errorf(rq, "invalid_parameter", "version", "version must be a positive integer");
		return -EINVAL;
	}
	return 0;
}

int api_calendars_get(struct request *rq)
{
	int64_t version;
	if (query_version(rq, &version) < 0)
		return -EINVAL;
	struct calendar_def d;
	int r = calendars_get(&rq->svc, rq->params[0], rq->params[1], version, &d);
	if (r < 0)
		return reply_error(rq, r);
	return reply_calendar(rq, 200, &d);
}

int api_calendars_update(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"name", JF_STRING, false, 0, LS_MAX_NAME_BYTES},
	        {"timezone", JF_STRING, false, 0, 64},
	        {"hours", JF_STRING, false, 0, LS_MAX_HOURS_BYTES},
	        {"holidays", JF_STRING, false, 0, 32},
	        {"closed_days", JF_STRING_ARRAY, false},
	        {"open_days", JF_STRING_ARRAY, false},
	        {"version", JF_INT, false, 1, INT64_MAX},
	        {"client", JF_STRING, false, 0, 0, NULL, "a calendar stays with its client", true},
	        {"code", JF_STRING, false, 0, 0, NULL, "create a calendar with the new code instead", true},
	        {NULL},
	};
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0 ||
	    check_days(rq, body, "closed_days") < 0 || check_days(rq, body, "open_days") < 0)
		return -EINVAL;
	int64_t ver = jint(body, "version", 0);
	const char *im = request_header(rq, MHD_HTTP_HEADER_IF_MATCH);
	if (im && (ver = if_match_version(im)) < 0)
		return reply_errorf(rq, "invalid_parameter", "If-Match", "If-Match must name a version like \"3\"");
	if (ver == 0)
		return reply_error_full(rq, "precondition_required", "If-Match",
		                        "a calendar change must name the version it changes",
		                        "send If-Match: \"<version>\" with the version from GET");
	static const struct {
		const char *name;
		unsigned flag;
	} fields[] = {{"name", CAL_PATCH_NAME},          {"timezone", CAL_PATCH_TIMEZONE},
	              {"hours", CAL_PATCH_HOURS},        {"holidays", CAL_PATCH_HOLIDAYS},
	              {"closed_days", CAL_PATCH_CLOSED}, {"open_days", CAL_PATCH_OPEN}};
	unsigned mask = 0;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (jhas(body, fields[i].name))
			mask |= fields[i].flag;
	struct calendar_input in;
	read_input(rq, body, &in);
	struct calendar_def d;
	int r = calendars_update(&rq->svc, rq->params[0], rq->params[1], ver, mask, &in, &d);
	if (r < 0)
		return reply_error(rq, r);
	return reply_calendar(rq, 200, &d);
}

int api_calendars_versions(struct request *rq)
{
	struct calendar_def *v;
	size_t n;
	int r = calendars_versions(&rq->svc, rq->params[0], rq->params[1], &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_calendar(&v[i]));
	return reply_json(rq, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

static int query_time(struct request *rq, const char *name, ls_time *ret)
{
	const char *v = request_query(rq, name);
	if (!v) {
		reply_errorf(rq, "invalid_parameter", name, "%s is required (RFC 3339)", name);
		return -EINVAL;
	}
	if (time_parse_rfc3339(v, ret) < 0) {
		reply_errorf(rq, "invalid_parameter", name,
		             "%s must be an RFC 3339 time such as 2025-03-28T16:00:00+01:00", name);
		return -EINVAL;
	}
	return 0;
}

int api_calendars_elapsed(struct request *rq)
{
	ls_time from, to;
	int64_t version, secs;
	if (query_version(rq, &version) < 0 || query_time(rq, "from", &from) < 0 || query_time(rq, "to", &to) < 0)
		return -EINVAL;
	int r = calendars_elapsed(&rq->svc, rq->params[0], rq->params[1], version, from, to, &secs);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 200, json_pack("{s:I}", "seconds", (json_int_t)secs));
}

int api_calendars_due(struct request *rq)
{
	ls_time from, due;
	int64_t version, secs;
	if (query_version(rq, &version) < 0 || query_time(rq, "from", &from) < 0)
		return -EINVAL;
	const char *sv = request_query(rq, "seconds");
	if (!sv || parse_i64(sv, 0, INT64_MAX / 2, &secs) < 0)
		return reply_errorf(rq, "invalid_parameter", "seconds", "seconds must be a non-negative integer");
	char local[64];
	int r = calendars_due(&rq->svc, rq->params[0], rq->params[1], version, from, secs, &due, local, sizeof(local));
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 200, json_pack("{s:s,s:o}", "due", local, "due_utc", json_time(due)));
}

int api_holidays(struct request *rq)
{
	const char *region = request_query(rq, "region");
	const char *ys = request_query(rq, "year");
	const char *ls = request_query(rq, "lang");
	int year;
	if (!region)
		return reply_errorf(rq, "invalid_parameter", "region", "region is required, e.g. DE-BY");
	if (!ys || parse_int(ys, 0, 9999, &year) < 0)
		return reply_errorf(rq, "invalid_parameter", "year", "year is required, e.g. 2026");
	enum holidays_lang lang = HOLIDAYS_LANG_DE;
	if (ls && (int)(lang = holidays_lang_from_string(ls)) < 0)
		return reply_errorf(rq, "invalid_parameter", "lang", "lang must be de or en");
	struct holiday out[HOLIDAYS_MAX_PER_YEAR];
	size_t n;
	int r = calendars_holidays(&rq->svc, region, year, out, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		char date[16], name[256] = "";
		snprintf(date, sizeof(date), "%04d-%02u-%02u", out[i].year, out[i].month, out[i].mday);
		for (unsigned k = 0; k < out[i].n; k++) {
			size_t used = strlen(name);
			snprintf(name + used, sizeof(name) - used, "%s%s", k ? " / " : "",
			         holidays_name(out[i].ids[k], lang));
		}
		json_array_append_new(items, json_pack("{s:s,s:s}", "date", date, "name", name));
	}
	enum holidays_region reg = holidays_region_from_string(region);
	return reply_json(rq, 200,
	                  json_pack("{s:s,s:i,s:s,s:s,s:o}", "region", holidays_region_to_string(reg), "year", year,
	                            "lang", holidays_lang_to_string(lang), "version", holidays_data_version(), "items",
	                            items));
}
