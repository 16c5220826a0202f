/* Report subscriptions, runs and files (see report_subs.h). Room: service.
 * The schedule is stored in its canonical text; next_run_at is recomputed on every
 * change that can move it (schedule, zone, holidays, activation), so the worker only
 * compares instants. */
#include "service/report_subs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar/holidays.h"
#include "calendar/schedule.h"
#include "calendar/tz.h"
#include "core/alloc.h"
#include "core/limits.h"
#include "core/strbuf.h"
#include "kpi/kpi.h"
#include "report/report.h"
#include "report/report_html.h"
#include "report/report_pdf.h"
#include "report/report_xlsx.h"
#include "service/reports.h"
#include "store/calendardb.h"
#include "store/dirdb.h"
#include "store/reportdb.h"

#define DEFAULT_TZ "Europe/Berlin"

static int require_config(struct svc *s)
{
	if (s->actor->role != USER_ROLE_ADMIN && s->actor->role != USER_ROLE_MANAGER)
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL,
		                 "only admins and managers may see and change report subscriptions");
	return 0;
}

/* local@domain: printable ASCII without spaces and specials, one @, a domain of
 * letters, digits and hyphens with at least one dot. */
static bool email_ok(const char *a)
{
	size_t n = strlen(a);
	const char *at = strchr(a, '@');
	if (n < 3 || n > 254 || !at || at == a || at - a > 64 || strchr(at + 1, '@'))
		return false;
	for (const char *p = a; p < at; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr(".!#$%&'*+/=?^_`{|}~-", *p)))
			return false;
	const char *d = at + 1;
	if (!*d || *d == '.' || *d == '-' || d[strlen(d) - 1] == '.' || !strchr(d, '.') || strstr(d, ".."))
		return false;
	for (const char *p = d; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '.'))
			return false;
	return true;
}

static const char *default_region(struct svc *s, int64_t client_id)
{
	struct calendar_def *cs;
	size_t n;
	if (calendardb_list(s->st, s->arena, client_id, 0, &cs, &n) == 0)
		for (size_t i = 0; i < n; i++)
			if (cs[i].holidays && *cs[i].holidays)
				return cs[i].holidays;
	return "DE";
}

/* The next run after s->now of an active subscription; 0 when inactive. */
static int compute_next(struct svc *s, struct report_sub *w)
{
	w->next_run_at = 0;
	if (!w->active)
		return 0;
	struct schedule sc;
	struct tz *zone = NULL;
	int r = schedule_parse(w->schedule, &sc, s->err);
	if (r == 0)
		r = tz_load(w->timezone, &zone, s->err);
	if (r == 0)
		r = schedule_next(&sc, zone, holidays_region_from_string(w->holidays_region), s->now, &w->next_run_at,
		                  s->err);
	tz_free(zone);
	return r;
}

static int apply_input(struct svc *s, const struct report_sub_input *in, unsigned fields, struct report_sub *w)
{
	if (fields & REPORT_SUB_PATCH_KIND) {
		if (!in->kind)
			return lserr_set(s->err, -EINVAL, "missing_field", "kind", "kind must be given");
		if ((int)report_kind_from_string(in->kind) < 0)
			return lserr_set(s->err, -EINVAL, "invalid_field", "kind",
			                 "kind must be weekly, monthly or quarterly");
		w->kind = report_kind_to_string(report_kind_from_string(in->kind));
	}
	if (fields & REPORT_SUB_PATCH_FORMAT) {
		const char *f = in->format ? in->format : "pdf";
		if (strcmp(f, "csv") == 0) {
			int r = lserr_set(
			        s->err, -EINVAL, "invalid_field", "format",
			        "format csv is not offered for subscriptions: a CSV report is one file per table");
			lserr_hint(s->err, "use xlsx for the tables in one file, or `leitstand report --format csv`");
			return r;
		}
		if (strcmp(f, "html") != 0 && strcmp(f, "pdf") != 0 && strcmp(f, "xlsx") != 0)
			return lserr_set(s->err, -EINVAL, "invalid_field", "format",
			                 "format must be html, pdf or xlsx");
		w->format = report_format_to_string(report_format_from_string(f));
	}
	if (fields & REPORT_SUB_PATCH_LANG) {
		const char *l = in->lang ? in->lang : "de";
		if (strcmp(l, "de") != 0 && strcmp(l, "en") != 0)
			return lserr_set(s->err, -EINVAL, "invalid_field", "lang", "lang must be de or en");
		w->lang = strcmp(l, "de") == 0 ? "de" : "en";
	}
	if (fields & REPORT_SUB_PATCH_RECIPIENTS) {
		if (in->n_recipients == 0)
			return lserr_set(s->err, -EINVAL, in->recipients ? "invalid_field" : "missing_field",
			                 "recipients", "recipients must name at least one email address");
		if (in->n_recipients > LS_MAX_REPORT_RECIPIENTS)
			return lserr_set(s->err, -EINVAL, "invalid_field", "recipients", "at most %d recipients",
			                 LS_MAX_REPORT_RECIPIENTS);
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < in->n_recipients; i++) {
			if (!email_ok(in->recipients[i])) {
				strbuf_release(&sb);
				return lserr_set(s->err, -EINVAL, "invalid_field", "recipients",
				                 "recipients[%zu]: '%.60s' is not an email address", i,
				                 in->recipients[i]);
			}
			strbuf_addf(&sb, "%s%s", i ? " " : "", in->recipients[i]);
		}
		w->recipients = arena_strdup(s->arena, sb.buf);
		strbuf_release(&sb);
	}
	if (fields & REPORT_SUB_PATCH_SCHEDULE) {
		if (!in->schedule)
			return lserr_set(s->err, -EINVAL, "missing_field", "schedule", "schedule must be given");
		struct schedule sc;
		int r = schedule_parse(in->schedule, &sc, s->err);
		if (r < 0)
			return r;
		char buf[SCHEDULE_MAX_BYTES];
		w->schedule = arena_strdup(s->arena, schedule_format(&sc, buf, sizeof(buf)));
	}
	if (fields & REPORT_SUB_PATCH_TIMEZONE) {
		const char *z = in->timezone ? in->timezone : DEFAULT_TZ;
		struct tz *zone = NULL;
		struct lserr te = {0};
		if (tz_load(z, &zone, &te) < 0)
			return lserr_set(s->err, -EINVAL, "invalid_field", "timezone",
			                 "timezone '%.60s' is not a known IANA zone", z);
		tz_free(zone);
		w->timezone = arena_strdup(s->arena, z);
	}
	if ((fields & REPORT_SUB_PATCH_HOLIDAYS) && in->holidays) {
		enum holidays_region reg = holidays_region_from_string(in->holidays);
		if ((int)reg < 0)
			return lserr_set(s->err, -EINVAL, "invalid_field", "holidays",
			                 "holidays must be a region such as DE, DE-BY or none");
		w->holidays_region = holidays_region_to_string(reg);
	}
	if (fields & REPORT_SUB_PATCH_ACTIVE)
		w->active = in->active != 0;
	return 0;
}

static int fail(struct svc *s, int r, const char *what)
{
	if (r != -LS_ESTALE && r != -ENOENT && !s->err->code)
		r = store_error(s->st, s->err, what);
	store_rollback(s->st);
	return r;
}

int report_subs_create(struct svc *s, const struct report_sub_input *in, struct report_sub *ret)
{
	lserr_clear(s->err);
	int r = require_config(s);
	if (r < 0)
		return r;
	if (!in->client || !*in->client)
		return lserr_set(s->err, -EINVAL, "missing_field", "client", "client must be given");
	struct client c;
	r = dirdb_client_by_code(s->st, s->arena, in->client, &c);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, c.id)))
		return lserr_set(s->err, -EINVAL, "invalid_field", "client", "client '%.40s' does not exist",
		                 in->client);
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");
	struct report_sub w = {
	        .client_id = c.id, .client_code = c.code, .active = in->active != 0, .created_at = s->now};
	if ((r = apply_input(s, in, ~0u & ~REPORT_SUB_PATCH_ACTIVE, &w)) < 0)
		return r;
	if (!w.holidays_region)
		w.holidays_region = default_region(s, c.id);
	if ((r = compute_next(s, &w)) < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	if ((r = reportdb_sub_insert(s->st, &w)) < 0 || (r = store_commit(s->st)) < 0)
		return fail(s, r, "storing the report subscription");
	*ret = w;
	return 0;
}

static int load(struct svc *s, int64_t id, struct report_sub *ret)
{
	int r = reportdb_sub_get(s->st, s->arena, id, ret);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, ret->client_id)))
		return lserr_set(s->err, -ENOENT, "not_found", "id", "report subscription %lld does not exist",
		                 (long long)id);
	return r < 0 ? store_error(s->st, s->err, "loading the report subscription") : 0;
}

int report_subs_get(struct svc *s, int64_t id, struct report_sub *ret)
{
	lserr_clear(s->err);
	int r = require_config(s);
	return r < 0 ? r : load(s, id, ret);
}

int report_subs_list(struct svc *s, const char *client, struct report_sub **ret, size_t *ret_n)
{
	lserr_clear(s->err);
	int r = require_config(s);
	if (r < 0)
		return r;
	struct client *cs;
	size_t nc;
	if (client) {
		cs = arena_alloc(s->arena, sizeof(*cs));
		nc = 1;
		r = dirdb_client_by_code(s->st, s->arena, client, cs);
		if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, cs->id)))
			return lserr_set(s->err, -EINVAL, "invalid_parameter", "client",
			                 "client '%.40s' does not exist", client);
	} else {
		r = dirdb_client_list(s->st, s->arena, &cs, &nc);
	}
	if (r < 0)
		return store_error(s->st, s->err, "looking up clients");
	struct report_sub *all = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < nc; i++) {
		if (!actor_sees_client(s->actor, cs[i].id))
			continue;
		struct report_sub *v;
		size_t k;
		if ((r = reportdb_subs(s->st, s->arena, cs[i].id, &v, &k)) < 0)
			return store_error(s->st, s->err, "listing report subscriptions");
		for (size_t j = 0; j < k; j++)
			ARENA_PUSH(s->arena, all, n, cap) = v[j];
	}
	*ret = all;
	*ret_n = n;
	return 0;
}

int report_subs_update(struct svc *s, int64_t id, int64_t expected_version, unsigned fields,
                       const struct report_sub_input *in, struct report_sub *ret)
{
	lserr_clear(s->err);
	int r = require_config(s);
	if (r < 0)
		return r;
	struct report_sub w;
	if ((r = load(s, id, &w)) < 0)
		return r;
	if (w.version != expected_version) {
		r = lserr_set(s->err, -LS_ESTALE, "version_mismatch", "version",
		              "report subscription %lld is at version %lld, not %lld", (long long)id,
		              (long long)w.version, (long long)expected_version);
		lserr_hint(s->err, "reload the subscription and send If-Match: \"%lld\"", (long long)w.version);
		return r;
	}
	if ((r = apply_input(s, in, fields, &w)) < 0)
		return r;
	if ((r = compute_next(s, &w)) < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	r = reportdb_sub_update(s->st, &w, expected_version, s->now);
	if (r == -LS_ESTALE)
		r = lserr_set(s->err, r, "version_mismatch", "version",
		              "report subscription %lld was changed meanwhile", (long long)id);
	if (r < 0 || (r = store_commit(s->st)) < 0)
		return fail(s, r, "storing the report subscription");
	return load(s, id, ret);
}

int report_subs_delete(struct svc *s, int64_t id)
{
	lserr_clear(s->err);
	int r = require_config(s);
	struct report_sub w;
	if (r < 0 || (r = load(s, id, &w)) < 0)
		return r;
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	if ((r = reportdb_sub_delete(s->st, id, s->now)) < 0 || (r = store_commit(s->st)) < 0)
		return fail(s, r, "deleting the report subscription");
	return 0;
}

int report_subs_runs(struct svc *s, int64_t id, int64_t before, size_t limit, struct report_run **ret, size_t *ret_n)
{
	lserr_clear(s->err);
	int r = require_config(s);
	struct report_sub w;
	if (r < 0 || (r = load(s, id, &w)) < 0)
		return r;
	r = reportdb_runs(s->st, s->arena, id, before, limit, ret, ret_n);
	return r < 0 ? store_error(s->st, s->err, "loading the runs") : 0;
}

int report_subs_period_before(const char *kind, const char *tzname, ls_time t, char *buf, size_t n, struct lserr *e)
{
	enum report_kind k = report_kind_from_string(kind);
	if ((int)k < 0)
		return lserr_set(e, -EINVAL, "invalid_field", "kind", "kind must be weekly, monthly or quarterly");
	struct tz *zone = NULL;
	int r = tz_load(tzname, &zone, e);
	if (r < 0)
		return r;
	struct kpi_options o = {.period = report_kind_period(k), .tz = zone};
	int64_t key = 0;
	kpi_period_key(&o, t, &key);
	ls_time from, to;
	kpi_period_bounds(&o, report_period_shift(k, key, -1), &from, &to, buf, n); /* the one before */
	tz_free(zone);
	return 0;
}

static int insert_run(struct svc *s, const struct report_sub *w, const char *trigger, const char *period,
                      ls_time scheduled_for, struct report_run *ret)
{
	struct report_run run = {
	        .subscription_id = w->id,
	        .client_id = w->client_id,
	        .trigger = trigger,
	        .period = arena_strdup(s->arena, period),
	        .state = REPORT_RUN_QUEUED,
	        .next_attempt_at = s->now,
	        .recipients = w->recipients,
	        .scheduled_for = scheduled_for,
	        .created_at = s->now,
	};
	int r = reportdb_run_insert(s->st, &run);
	if (r == 0 && ret)
		*ret = run;
	return r;
}

int report_subs_run_now(struct svc *s, int64_t id, const char *period, struct report_run *ret)
{
	lserr_clear(s->err);
	int r = require_config(s);
	struct report_sub w;
	if (r < 0 || (r = load(s, id, &w)) < 0)
		return r;
	char label[32];
	if (period) {
		int64_t key;
		if ((r = report_period_parse(period, report_kind_from_string(w.kind), &key, s->err)) < 0) {
			s->err->code = "invalid_field";
			return r;
		}
		snprintf(label, sizeof(label), "%s", period);
	} else if ((r = report_subs_period_before(w.kind, w.timezone, s->now, label, sizeof(label), s->err)) < 0) {
		return r;
	}
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	if ((r = insert_run(s, &w, "manual", label, s->now, ret)) < 0 || (r = store_commit(s->st)) < 0)
		return fail(s, r, "queuing the run");
	return 0;
}

int report_subs_file(struct svc *s, int64_t id, struct report_file *ret)
{
	lserr_clear(s->err);
	int r = reportdb_file_get(s->st, s->arena, id, ret);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, ret->client_id)))
		return lserr_set(s->err, -ENOENT, "not_found", "id", "report %lld does not exist", (long long)id);
	return r < 0 ? store_error(s->st, s->err, "loading the report") : 0;
}

/* ---- the worker's side ---- */

int report_subs_queue_due(struct svc *s, size_t limit, size_t *ret_n)
{
	struct report_sub *v;
	size_t n;
	*ret_n = 0;
	int r = reportdb_subs_due(s->st, s->arena, s->now, limit, &v, &n);
	if (r < 0)
		return store_error(s->st, s->err, "reading due subscriptions");
	for (size_t i = 0; i < n; i++) {
		struct report_sub w = v[i];
		ls_time due = w.next_run_at;
		char label[32];
		struct lserr pe = {0};
		bool have_period = report_subs_period_before(w.kind, w.timezone, due, label, sizeof(label), &pe) == 0;
		if (compute_next(s, &w) < 0)
			w.next_run_at = 0; /* a schedule beyond the holiday data: stop rather than spin */
		if ((r = store_begin(s->st)) < 0)
			return store_error(s->st, s->err, "starting a transaction");
		if ((have_period && (r = insert_run(s, &w, "schedule", label, due, NULL)) < 0) ||
		    (r = reportdb_sub_set_next(s->st, w.id, w.next_run_at)) < 0 || (r = store_commit(s->st)) < 0)
			return fail(s, r, "queuing a scheduled run");
		if (have_period)
			++*ret_n;
	}
	return 0;
}

static const char *content_type_of(enum report_format f)
{
	switch (f) {
	case REPORT_HTML: return "text/html; charset=utf-8";
	case REPORT_PDF: return "application/pdf";
	default: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	}
}

/* XLSX is written to a file by libxlsxwriter: a private temporary file, read back. */
static int render_xlsx(struct svc *s, const struct report *rep, struct strbuf *out)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/leitstand-report-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return lserr_set(s->err, -errno, "internal", NULL, "cannot create a temporary file: %s",
		                 strerror(errno));
	close(fd);
	int r = report_xlsx(rep, path, s->err);
	if (r == 0) {
		FILE *f = fopen(path, "rb");
		char buf[65536];
		size_t k;
		if (!f)
			r = lserr_set(s->err, -EIO, "internal", NULL, "cannot read the XLSX back");
		while (r == 0 && (k = fread(buf, 1, sizeof(buf), f)) > 0)
			if (strbuf_add(out, buf, k) < 0)
				r = lserr_set(s->err, -LS_ETOOLARGE, "too_large", NULL,
				              "the report is larger than %d bytes", LS_MAX_REPORT_FILE_BYTES);
		if (f)
			fclose(f);
	}
	unlink(path);
	return r;
}

static int produce(struct svc *s, const struct report_sub *w, const char *period, struct strbuf *out)
{
	struct report_request rq = {
	        .client = w->client_code,
	        .kind = report_kind_from_string(w->kind),
	        .period = period,
	        .german = strcmp(w->lang, "de") == 0,
	        .tz = w->timezone,
	};
	struct report *rep = NULL;
	int r = reports_build(s, &rq, &rep);
	if (r < 0)
		return r;
	enum report_format f = report_format_from_string(w->format);
	if (f == REPORT_XLSX)
		r = render_xlsx(s, rep, out);
	else if ((r = f == REPORT_HTML ? report_html(rep, out) : report_pdf(rep, out)) < 0)
		r = lserr_set(s->err, r, "too_large", NULL, "the report is larger than %d bytes",
		              LS_MAX_REPORT_FILE_BYTES);
	report_free(rep);
	return r;
}

int report_subs_produce(struct svc *s, struct report_run *run, bool mail, struct report_sub *ret_sub,
                        struct report_file *ret_file)
{
	lserr_clear(s->err);
	struct report_sub w;
	int r = reportdb_sub_get(s->st, s->arena, run->subscription_id, &w);
	if (r < 0) {
		if (r == -ENOENT)
			lserr_set(s->err, r, "not_found", "id", "the subscription was deleted");
		else
			store_error(s->st, s->err, "loading the subscription");
	}
	struct strbuf out = STRBUF_INIT_MAX(LS_MAX_REPORT_FILE_BYTES);
	if (r == 0)
		r = produce(s, &w, run->period, &out);
	if (r < 0) {
		run->state = REPORT_RUN_FAILED;
		run->next_attempt_at = 0;
		run->last_error = arena_strdup(s->arena, s->err->message[0] ? s->err->message : "production failed");
		strbuf_release(&out);
		struct lserr keep = *s->err;
		if (store_begin(s->st) < 0 || reportdb_run_update(s->st, run) < 0 || store_commit(s->st) < 0)
			store_rollback(s->st);
		*s->err = keep;
		return r;
	}
	enum report_format f = report_format_from_string(w.format);
	struct report_file file = {
	        .client_id = w.client_id,
	        .subscription_id = w.id,
	        .kind = w.kind,
	        .period = run->period,
	        .format = w.format,
	        .lang = w.lang,
	        .content_type = content_type_of(f),
	        .filename = arena_printf(s->arena, "%s-%s-%s.%s", w.client_code, w.kind, run->period, w.format),
	        .bytes = out.buf,
	        .size = out.len,
	        .created_at = s->now,
	};
	if ((r = store_begin(s->st)) < 0) {
		strbuf_release(&out);
		return store_error(s->st, s->err, "starting a transaction");
	}
	if ((r = reportdb_file_insert(s->st, &file)) < 0) {
		strbuf_release(&out);
		return fail(s, r, "storing the report");
	}
	run->report_id = file.id;
	run->state = mail ? REPORT_RUN_SENDING : REPORT_RUN_STORED;
	run->next_attempt_at = mail ? s->now : 0;
	run->last_error = NULL;
	if ((r = reportdb_run_update(s->st, run)) < 0 || (r = store_commit(s->st)) < 0) {
		strbuf_release(&out);
		return fail(s, r, "recording the run");
	}
	/* the caller mails the bytes: copy them into the arena, the strbuf goes */
	void *b = arena_alloc(s->arena, out.len ? out.len : 1);
	memcpy(b, out.buf, out.len);
	file.bytes = b;
	strbuf_release(&out);
	*ret_sub = w;
	*ret_file = file;
	return 0;
}

int report_subs_record(struct svc *s, const struct report_run *run)
{
	int r = store_begin(s->st);
	if (r < 0)
		return store_error(s->st, s->err, "starting a transaction");
	if ((r = reportdb_run_update(s->st, run)) < 0 || (r = store_commit(s->st)) < 0)
		return fail(s, r, "recording the run");
	return 0;
}
