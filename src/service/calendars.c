/* Business calendars (see calendars.h). Room: service. */
#include "service/calendars.h"

#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "service/directory.h"
#include "store/calendardb.h"
#include "store/dirdb.h"

static int visible_client(struct svc *s, const char *code, const char *field, struct client *ret)
{
	if (!code || !*code)
		return lserr_set(s->err, -EINVAL, "missing_field", field, "client must be given");
	int r = dirdb_client_by_code(s->st, s->arena, code, ret);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, ret->id)))
		return lserr_set(s->err, -ENOENT, "not_found", field, "client '%.40s' does not exist", code);
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");
	return 0;
}

static int require_writer(struct svc *s)
{
	if (s->actor->role != USER_ROLE_ADMIN && s->actor->role != USER_ROLE_MANAGER)
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL,
		                 "only admins and managers may change calendars");
	return 0;
}

/* The engine is the judge of a definition: compiling one year proves every part. */
static int validate(struct svc *s, const struct calendar_def *d)
{
	struct calendar *cal = NULL;
	int r = calendars_compile(s, d, 2000, 2000, &cal);
	calendar_free(cal);
	return r;
}

int calendars_compile(struct svc *s, const struct calendar_def *d, int first_year, int last_year, struct calendar **ret)
{
	struct calendar_spec spec = {
	        .tz = d->timezone,
	        .hours = d->hours,
	        .holidays = d->holidays,
	        .closed = d->closed,
	        .n_closed = d->n_closed,
	        .open = d->open,
	        .n_open = d->n_open,
	        .first_year = first_year,
	        .last_year = last_year,
	};
	int r = calendar_compile(&spec, ret, s->err);
	if (r < 0 && s->err) {
		/* the engine names its fields after calendar_spec; the API names them thus */
		static const struct {
			const char *engine, *api;
		} names[] = {{"tz", "timezone"}, {"closed", "closed_days"}, {"open", "open_days"}};
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(s->err->field, names[i].engine) == 0)
				snprintf(s->err->field, sizeof(s->err->field), "%s", names[i].api);
		s->err->code = "invalid_field";
	}
	return r;
}

static int check_name(struct svc *s, const char *name)
{
	if (!name || !*name)
		return lserr_set(s->err, -EINVAL, "missing_field", "name", "name must not be empty");
	if (strlen(name) > LS_MAX_NAME_BYTES)
		return lserr_set(s->err, -EINVAL, "invalid_field", "name", "name is longer than %d bytes",
		                 LS_MAX_NAME_BYTES);
	return 0;
}

int calendars_create(struct svc *s, const struct calendar_input *in, struct calendar_def *ret)
{
	lserr_clear(s->err);
	int r = require_writer(s);
	if (r < 0)
		return r;
	struct client c;
	if ((r = visible_client(s, in->client, "client", &c)) < 0) {
		if (r != -ENOENT)
			return r;
		/* an unknown client in a body is a bad field, not a missing resource */
		return lserr_set(s->err, -EINVAL, "invalid_field", "client", "client '%.40s' does not exist",
		                 in->client);
	}
	if (!in->code || !directory_code_valid(in->code))
		return lserr_set(s->err, -EINVAL, "invalid_field", "code",
		                 "calendar code must be 1-%d letters, digits, '_' or '-'", LS_MAX_CODE_BYTES);
	if ((r = check_name(s, in->name ? in->name : in->code)) < 0)
		return r;
	if (!in->hours || !*in->hours)
		return lserr_set(s->err, -EINVAL, "missing_field", "hours",
		                 "hours must be given, e.g. \"mon-fri 08:00-17:00\"");
	struct calendar_def d = {
	        .client_id = c.id,
	        .client_code = c.code,
	        .code = arena_strdup(s->arena, in->code),
	        .name = arena_strdup(s->arena, in->name ? in->name : in->code),
	        .timezone = arena_strdup(s->arena, in->timezone ? in->timezone : "Europe/Berlin"),
	        .hours = arena_strdup(s->arena, in->hours),
	        .holidays = arena_strdup(s->arena, in->holidays ? in->holidays : "none"),
	        .closed = (const char **)in->closed,
	        .n_closed = in->n_closed,
	        .open = (const char **)in->open,
	        .n_open = in->n_open,
	        .holidays_version = holidays_data_version(),
	        .created_at = s->now,
	};
	if ((r = validate(s, &d)) < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	r = calendardb_insert(s->st, &d, s->actor->user_id);
	if (r == -LS_ECONFLICT) {
		store_rollback(s->st);
		return lserr_set(s->err, r, "conflict", "code", "client '%s' has a calendar '%s' already", c.code,
		                 in->code);
	}
	if (r < 0 || (r = store_commit(s->st)) < 0) {
		r = store_error(s->st, s->err, "storing the calendar");
		store_rollback(s->st);
		return r;
	}
	return calendars_get(s, c.code, d.code, 0, ret);
}

int calendars_get(struct svc *s, const char *client, const char *code, int64_t version, struct calendar_def *ret)
{
	struct client c;
	int r = visible_client(s, client, "client", &c);
	if (r < 0)
		return r;
	r = calendardb_get(s->st, s->arena, c.id, code, version, ret);
	if (r == -ENOENT)
		return version ? lserr_set(s->err, r, "not_found", "version",
		                           "calendar '%.40s' of client '%s' has no version %lld", code, c.code,
		                           (long long)version)
		               : lserr_set(s->err, r, "not_found", "code", "client '%s' has no calendar '%.40s'",
		                           c.code, code);
	return r < 0 ? store_error(s->st, s->err, "loading the calendar") : 0;
}

int calendars_list(struct svc *s, const char *client, struct calendar_def **ret, size_t *ret_n)
{
	int64_t client_id = 0;
	if (client) {
		struct client c;
		int r = visible_client(s, client, "client", &c);
		if (r < 0) {
			if (r == -ENOENT)
				s->err->code = "invalid_parameter";
			return r;
		}
		client_id = c.id;
	}
	int r = calendardb_list(s->st, s->arena, client_id, s->actor->all_clients ? 0 : s->actor->user_id, ret, ret_n);
	return r < 0 ? store_error(s->st, s->err, "listing calendars") : 0;
}

int calendars_update(struct svc *s, const char *client, const char *code, int64_t expected_version, unsigned fields,
                     const struct calendar_input *in, struct calendar_def *ret)
{
	lserr_clear(s->err);
	int r = require_writer(s);
	if (r < 0)
		return r;
	struct calendar_def d;
	if ((r = calendars_get(s, client, code, 0, &d)) < 0)
		return r;
	if (d.version != expected_version) {
		r = lserr_set(s->err, -LS_ESTALE, "version_mismatch", "version",
		              "calendar '%s' is at version %lld, not %lld", d.code, (long long)d.version,
		              (long long)expected_version);
		lserr_hint(s->err, "reload the calendar and send If-Match: \"%lld\"", (long long)d.version);
		return r;
	}
	if ((fields & CAL_PATCH_NAME) && (r = check_name(s, in->name)) < 0)
		return r;
	if (fields & CAL_PATCH_NAME)
		d.name = arena_strdup(s->arena, in->name);
	if (fields & CAL_PATCH_TIMEZONE)
		d.timezone = in->timezone ? arena_strdup(s->arena, in->timezone) : "Europe/Berlin";
	if (fields & CAL_PATCH_HOURS)
		d.hours = in->hours ? arena_strdup(s->arena, in->hours) : "";
	if (fields & CAL_PATCH_HOLIDAYS)
		d.holidays = in->holidays ? arena_strdup(s->arena, in->holidays) : "none";
	if (fields & CAL_PATCH_CLOSED) {
		d.closed = (const char **)in->closed;
		d.n_closed = in->n_closed;
	}
	if (fields & CAL_PATCH_OPEN) {
		d.open = (const char **)in->open;
		d.n_open = in->n_open;
	}
	d.holidays_version = holidays_data_version();
	if ((r = validate(s, &d)) < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	r = calendardb_add_version(s->st, &d, expected_version, s->actor->user_id, s->now);
	if (r == -LS_ESTALE) {
		store_rollback(s->st);
		return lserr_set(s->err, r, "version_mismatch", "version", "calendar '%s' was changed meanwhile",
		                 d.code);
	}
	if (r < 0 || (r = store_commit(s->st)) < 0) {
		r = store_error(s->st, s->err, "storing the calendar version");
		store_rollback(s->st);
		return r;
	}
	return calendars_get(s, client, code, 0, ret);
}

int calendars_versions(struct svc *s, const char *client, const char *code, struct calendar_def **ret, size_t *ret_n)
{
	struct client c;
	int r = visible_client(s, client, "client", &c);
	if (r < 0)
		return r;
	r = calendardb_versions(s->st, s->arena, c.id, code, ret, ret_n);
	if (r < 0)
		return store_error(s->st, s->err, "loading calendar versions");
	if (*ret_n == 0)
		return lserr_set(s->err, -ENOENT, "not_found", "code", "client '%s' has no calendar '%.40s'", c.code,
		                 code);
	return 0;
}

int calendars_holidays(struct svc *s, const char *region, int year, struct holiday *out, size_t *ret_n)
{
	enum holidays_region r = holidays_region_from_string(region);
	if ((int)r < 0)
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "region",
		                 "region '%.40s' is unknown: use DE, DE-BW … DE-TH, DE-BY-CATHOLIC, DE-BY-AUGSBURG",
		                 region);
	int rc = holidays_year(r, year, out, ret_n, s->err);
	if (rc < 0 && s->err) {
		s->err->code = "invalid_parameter";
		if (strcmp(s->err->field, "holidays") == 0)
			snprintf(s->err->field, sizeof(s->err->field), "region");
	}
	return rc;
}

/* Years to compile for a query starting at t: a margin of a year on each side (a
 * long target may run into the next year; local dates differ from UTC at New Year). */
static int year_of(ls_time t)
{
	int64_t y;
	unsigned m, d;
	time_civil_from_days(t / 86400 - (t % 86400 < 0), &y, &m, &d);
	return (int)y;
}

static int clamp_year(int y)
{
	return y < CALENDAR_FIRST_YEAR ? CALENDAR_FIRST_YEAR : y > CALENDAR_LAST_YEAR ? CALENDAR_LAST_YEAR : y;
}

int calendars_elapsed(struct svc *s, const char *client, const char *code, int64_t version, ls_time from, ls_time to,
                      int64_t *ret_seconds)
{
	if (to < from)
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "to", "to lies before from");
	struct calendar_def d;
	int r = calendars_get(s, client, code, version, &d);
	if (r < 0)
		return r;
	struct calendar *cal = NULL;
	r = calendars_compile(s, &d, clamp_year(year_of(from) - 1), clamp_year(year_of(to) + 1), &cal);
	if (r == 0)
		r = calendar_elapsed(cal, from, to, ret_seconds, s->err);
	calendar_free(cal);
	if (r < 0 && s->err)
		s->err->code = "invalid_parameter";
	return r;
}

int calendars_due(struct svc *s, const char *client, const char *code, int64_t version, ls_time from, int64_t seconds,
                  ls_time *ret_due, char *buf, size_t n)
{
	if (seconds < 0)
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "seconds", "seconds must not be negative");
	struct calendar_def d;
	int r = calendars_get(s, client, code, version, &d);
	if (r < 0)
		return r;
	struct calendar *cal = NULL;
	r = calendars_compile(s, &d, clamp_year(year_of(from) - 1), clamp_year(year_of(from) + 10), &cal);
	if (r == 0)
		r = calendar_add(cal, from, seconds, ret_due, s->err);
	if (r == 0)
		tz_format_rfc3339(calendar_tz(cal), *ret_due, buf, n);
	calendar_free(cal);
	if (r < 0 && s->err)
		s->err->code = "invalid_parameter";
	return r;
}
