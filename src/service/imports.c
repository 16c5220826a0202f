/* Imports (see imports.h). Room: service.
 * The importer streams canonical records into a sink that writes them to the
 * store inside one write transaction; bad rows are collected for the report. */
#include "service/imports.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "calendar/tz.h"
#include "core/alloc.h"
#include "importers/acd.h"
#include "importers/csvmap.h"
#include "importers/freshdesk.h"
#include "importers/jira.h"
#include "importers/servicenow.h"
#include "importers/zendesk.h"
#include "store/acddb.h"
#include "store/dirdb.h"
#include "store/importdb.h"
#include "store/jobsdb.h"

static int run_servicenow(const struct import_request *rq, const struct import_options *o,
                          const struct import_sink *sink, struct import_stats *ret_stats, struct lserr *e)
{
	return servicenow_import_file(rq->path, o, sink, ret_stats, e);
}

static int run_csv(const struct import_request *rq, const struct import_options *o, const struct import_sink *sink,
                   struct import_stats *ret_stats, struct lserr *e)
{
	if (!rq->mapping || !*rq->mapping)
		return lserr_set(e, -EINVAL, "invalid_field", "mapping",
		                 "the csv source needs a mapping: a preset name or a mapping file");
	struct csvmap *m = NULL;
	int r = csvmap_load(rq->mapping, &m, e);
	if (r < 0)
		return r;
	r = csvmap_import_file(rq->path, m, o, sink, ret_stats, e);
	csvmap_free(m);
	return r;
}

static int run_freshdesk(const struct import_request *rq, const struct import_options *o,
                         const struct import_sink *sink, struct import_stats *ret_stats, struct lserr *e)
{
	return freshdesk_import_file(rq->path, o, sink, ret_stats, e);
}

static int run_jira(const struct import_request *rq, const struct import_options *o, const struct import_sink *sink,
                    struct import_stats *ret_stats, struct lserr *e)
{
	return jira_import_file(rq->path, o, sink, ret_stats, e);
}

static int run_zendesk(const struct import_request *rq, const struct import_options *o, const struct import_sink *sink,
                       struct import_stats *ret_stats, struct lserr *e)
{
	return zendesk_import_file(rq->path, o, sink, ret_stats, e);
}

static int run_acd(const struct import_request *rq, const struct import_options *o, const struct import_sink *sink,
                   struct import_stats *ret_stats, struct lserr *e)
{
	return acd_import_file(rq->path, o, rq->interval_seconds, sink, ret_stats, e);
}

/* One entry per importer: its name on the command line and its file function. An
 * importer that needs more than the common options (a mapping file) reads them from
 * struct import_request. */
static const struct {
	const char *name;
	int (*run)(const struct import_request *rq, const struct import_options *o, const struct import_sink *sink,
	           struct import_stats *ret_stats, struct lserr *e);
} importers[] = {
        {"servicenow", run_servicenow},
        {"freshdesk", run_freshdesk},
        {"jira", run_jira},
        {"zendesk", run_zendesk},
        {"csv", run_csv},
        {"acd", run_acd},
};

const char *const imports_sources[] = {"servicenow", "freshdesk", "jira", "zendesk", "csv", "acd", NULL};

struct sink_ctx {
	struct svc *s;
	const struct import_request *rq;
	int64_t client_id, import_id;
	struct import_summary *sum;
	size_t seen;
};

static int on_ticket(void *p, const struct rec_ticket *t)
{
	struct sink_ctx *c = p;
	bool is_new = false;
	int r = importdb_ticket_put(c->s->st, c->client_id, c->import_id, t, &is_new);
	if (r < 0)
		return store_error(c->s->st, c->s->err, "storing an imported ticket");
	if (is_new)
		c->sum->new_tickets++;
	else
		c->sum->updated_tickets++;
	if (c->rq->progress && ++c->seen % 2000 == 0)
		c->rq->progress(c->seen, c->rq->progress_ctx);
	return 0;
}

static int on_event(void *p, const struct rec_event *ev)
{
	struct sink_ctx *c = p;
	int r = importdb_event_add(c->s->st, c->client_id, c->import_id, c->rq->source, ev);
	return r < 0 ? store_error(c->s->st, c->s->err, "storing an imported event") : 0;
}

static int on_interval(void *p, const struct rec_interval *iv)
{
	struct sink_ctx *c = p;
	int r = acddb_interval_put(c->s->st, c->client_id, c->import_id, iv);
	if (r < 0)
		return store_error(c->s->st, c->s->err, "storing an imported interval");
	if (c->rq->progress && ++c->seen % 20000 == 0)
		c->rq->progress(c->seen, c->rq->progress_ctx);
	return 0;
}

static void on_bad_row(void *p, const char *file, unsigned line, const char *reason)
{
	(void)file;
	struct sink_ctx *c = p;
	if (c->sum->n_bad < IMPORTS_MAX_REPORTED) {
		c->sum->bad[c->sum->n_bad].line = line;
		c->sum->bad[c->sum->n_bad].reason = arena_strdup(c->s->arena, reason);
		c->sum->n_bad++;
	}
}

int imports_run(struct svc *s, const struct import_request *rq, struct import_summary *ret)
{
	lserr_clear(s->err);
	if (s->actor->role != USER_ROLE_ADMIN && s->actor->role != USER_ROLE_MANAGER)
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL, "only admins and managers may import");
	size_t which = 0;
	while (which < sizeof(importers) / sizeof(importers[0]) && strcmp(importers[which].name, rq->source) != 0)
		which++;
	if (which == sizeof(importers) / sizeof(importers[0]))
		return lserr_set(s->err, -EINVAL, "invalid_field", "source", "no importer for '%.40s'", rq->source);
	struct client c;
	int r = dirdb_client_by_code(s->st, s->arena, rq->client, &c);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, c.id)))
		return lserr_set(s->err, -EINVAL, "invalid_field", "client", "client '%.40s' does not exist",
		                 rq->client);
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");
	struct tz *zone = NULL;
	if (rq->tz && (r = tz_load(rq->tz, &zone, s->err)) < 0) {
		s->err->code = "invalid_field";
		snprintf(s->err->field, sizeof(s->err->field), "tz");
		return r;
	}
	struct import_summary sum = {0};
	struct sink_ctx ctx = {.s = s, .rq = rq, .client_id = c.id, .sum = &sum};
	struct import_options o = {
	        .tz = zone,
	        .events = rq->events,
	        .client = c.code,
	        .max_bad_rows = rq->max_errors + 1, /* the importer stops when this many are reached */
	};
	struct import_sink sink = {.ctx = &ctx,
	                           .ticket = on_ticket,
	                           .event = rq->events ? on_event : NULL,
	                           .interval = on_interval,
	                           .bad_row = on_bad_row};
	size_t intervals_before = 0, intervals_after = 0;
	if ((r = store_begin(s->st)) < 0) {
		tz_free(zone);
		return store_error(s->st, s->err, "starting the import");
	}
	if ((r = importdb_run_begin(s->st, c.id, rq->source, rq->path, s->now, &ctx.import_id)) < 0 ||
	    (importers[which].run == run_acd && (r = acddb_count(s->st, c.id, &intervals_before)) < 0)) {
		r = store_error(s->st, s->err, "recording the import");
		goto fail;
	}
	r = importers[which].run(rq, &o, &sink, &sum.stats, s->err);
	if (r < 0) {
		if (s->err && !s->err->code)
			s->err->code = "invalid_field";
		goto fail;
	}
	if (sum.stats.intervals && ((r = acddb_count(s->st, c.id, &intervals_after)) < 0 ||
	                            (r = acddb_run_intervals(s->st, ctx.import_id, sum.stats.intervals)) < 0)) {
		r = store_error(s->st, s->err, "recording the import");
		goto fail;
	}
	if (sum.stats.intervals) {
		/* an upsert does not say which it did: the count tells */
		sum.new_intervals = intervals_after - intervals_before;
		sum.updated_intervals = sum.stats.intervals - sum.new_intervals;
	}
	if ((r = importdb_run_finish(s->st, ctx.import_id, sum.stats.rows, sum.stats.tickets, sum.stats.events,
	                             sum.stats.bad_rows, s->now)) < 0 ||
	    (r = store_commit(s->st)) < 0) {
		r = store_error(s->st, s->err, "committing the import");
		goto fail;
	}
	tz_free(zone);
	sum.import_id = ctx.import_id;
	*ret = sum;
	return 0;
fail:
	store_rollback(s->st);
	tz_free(zone);
	return r;
}

/* ---- jobs ---- */

static int job_visible(struct svc *s, const char *client, struct client *c)
{
	int r = dirdb_client_by_code(s->st, s->arena, client ? client : "", c);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, c->id)))
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "client", "client '%.40s' does not exist",
		                 client ? client : "");
	return r < 0 ? store_error(s->st, s->err, "looking up the client") : 0;
}

int imports_job_submit(struct svc *s, const struct import_job_input *in, struct import_job *ret)
{
	lserr_clear(s->err);
	if (s->actor->role != USER_ROLE_ADMIN && s->actor->role != USER_ROLE_MANAGER)
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL, "only admins and managers may import");
	if (!in->client)
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "client",
		                 "client is required, e.g. ?client=ACME");
	if (!in->source)
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "source",
		                 "source is required: servicenow, zendesk, freshdesk, jira, csv or acd");
	size_t k = 0;
	while (imports_sources[k] && strcmp(imports_sources[k], in->source) != 0)
		k++;
	if (!imports_sources[k])
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "source", "no importer for '%.40s'", in->source);
	struct client c;
	int r = job_visible(s, in->client, &c);
	if (r < 0)
		return r;
	if (in->tz) {
		struct tz *zone;
		if ((r = tz_load(in->tz, &zone, s->err)) < 0) {
			s->err->code = "invalid_parameter";
			snprintf(s->err->field, sizeof(s->err->field), "tz");
			return r;
		}
		tz_free(zone);
	}
	bool csv = strcmp(in->source, "csv") == 0;
	if (csv && !in->mapping)
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "mapping",
		                 "a csv import needs ?mapping= naming a preset, e.g. bpi2013-incidents");
	if (in->mapping && (!csv || !csvmap_preset_json(in->mapping)))
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "mapping",
		                 csv ? "'%.40s' is not a preset; over HTTP a mapping names a built-in preset"
		                     : "mapping is for csv imports only (got '%.40s')",
		                 in->mapping);
	if (in->interval_seconds && strcmp(in->source, "acd") != 0)
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "interval", "interval is for acd imports only");
	json_t *o = json_pack("{s:b, s:I}", "events", in->events, "max_errors", (json_int_t)in->max_errors);
	if (in->tz)
		json_object_set_new(o, "tz", json_string(in->tz));
	if (in->mapping)
		json_object_set_new(o, "mapping", json_string(in->mapping));
	if (in->interval_seconds)
		json_object_set_new(o, "interval_seconds", json_integer(in->interval_seconds));
	char *opts = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	struct import_job j = {.client_id = c.id,
	                       .client_code = c.code,
	                       .source = imports_sources[k],
	                       .options = arena_strdup(s->arena, opts),
	                       .file = in->file,
	                       .bytes = in->bytes,
	                       .created_at = s->now,
	                       .created_by = s->actor->email};
	xfree(opts);
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	if ((r = jobsdb_import_job_insert(s->st, &j, s->actor->user_id)) < 0 || (r = store_commit(s->st)) < 0) {
		r = store_error(s->st, s->err, "queueing the import");
		store_rollback(s->st);
		return r;
	}
	*ret = j;
	return 0;
}

int imports_job_get(struct svc *s, int64_t id, struct import_job *ret)
{
	lserr_clear(s->err);
	int r = jobsdb_import_job_get(s->st, s->arena, id, ret);
	if (r == -ENOENT || (r == 0 && (!actor_sees_client(s->actor, ret->client_id) ||
	                                (s->actor->role != USER_ROLE_ADMIN && s->actor->role != USER_ROLE_MANAGER))))
		return lserr_set(s->err, -ENOENT, "not_found", "id", "import %lld does not exist", (long long)id);
	return r < 0 ? store_error(s->st, s->err, "loading the import") : 0;
}

int imports_job_list(struct svc *s, const char *client, struct import_job **ret, size_t *ret_n)
{
	lserr_clear(s->err);
	if (s->actor->role != USER_ROLE_ADMIN && s->actor->role != USER_ROLE_MANAGER)
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL, "only admins and managers see imports");
	struct client c;
	int r = job_visible(s, client, &c);
	if (r < 0)
		return r;
	r = jobsdb_import_jobs(s->st, s->arena, c.id, 100, ret, ret_n);
	return r < 0 ? store_error(s->st, s->err, "listing imports") : 0;
}

int imports_job_requeue(struct svc *s)
{
	int r = store_begin(s->st);
	if (r == 0 && (r = jobsdb_import_jobs_requeue(s->st)) == 0 && (r = store_commit(s->st)) == 0)
		return 0;
	r = store_error(s->st, s->err, "queueing interrupted imports again");
	store_rollback(s->st);
	return r;
}

int imports_job_claim(struct svc *s, struct import_job *ret)
{
	int r = store_begin(s->st);
	if (r < 0)
		return store_error(s->st, s->err, "starting a transaction");
	r = jobsdb_import_job_claim(s->st, s->arena, s->now, ret);
	if (r == -ENOENT) {
		store_rollback(s->st);
		return r;
	}
	if (r < 0 || (r = store_commit(s->st)) < 0) {
		r = store_error(s->st, s->err, "claiming an import");
		store_rollback(s->st);
		return r;
	}
	return 0;
}

static char *summary_json(struct svc *s, const struct import_job *j, const struct import_summary *sum)
{
	json_t *bad = json_array();
	for (size_t i = 0; i < sum->n_bad; i++)
		json_array_append_new(bad,
		                      json_pack("{s:i,s:s}", "line", sum->bad[i].line, "reason", sum->bad[i].reason));
	json_t *o;
	if (strcmp(j->source, "acd") == 0)
		o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "rows", (json_int_t)sum->stats.rows, "intervals",
		              (json_int_t)sum->stats.intervals, "new_intervals", (json_int_t)sum->new_intervals,
		              "updated_intervals", (json_int_t)sum->updated_intervals, "queues",
		              (json_int_t)sum->stats.queues, "skipped_rows", (json_int_t)sum->stats.bad_rows, "skipped",
		              bad);
	else
		o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "rows", (json_int_t)sum->stats.rows, "tickets",
		              (json_int_t)sum->stats.tickets, "new_tickets", (json_int_t)sum->new_tickets,
		              "updated_tickets", (json_int_t)sum->updated_tickets, "events",
		              (json_int_t)sum->stats.events, "skipped_rows", (json_int_t)sum->stats.bad_rows, "skipped",
		              bad);
	char *t = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	char *ret = arena_strdup(s->arena, t ? t : "{}");
	xfree(t);
	return ret;
}

int imports_job_run(struct svc *s, const struct import_job *j, void (*progress)(size_t rows, void *ctx), void *ctx)
{
	json_t *o = json_loads(j->options, 0, NULL);
	struct import_request rq = {
	        .source = j->source,
	        .client = j->client_code,
	        .path = j->file,
	        .events = true,
	        .progress = progress,
	        .progress_ctx = ctx,
	};
	if (o) {
		json_t *v;
		if ((v = json_object_get(o, "tz")))
			rq.tz = arena_strdup(s->arena, json_string_value(v));
		if ((v = json_object_get(o, "mapping")))
			rq.mapping = csvmap_preset_json(json_string_value(v))
			                     ? arena_strdup(s->arena, json_string_value(v))
			                     : NULL;
		rq.interval_seconds = (int)json_integer_value(json_object_get(o, "interval_seconds"));
		rq.max_errors = (size_t)json_integer_value(json_object_get(o, "max_errors"));
		rq.events = !json_is_false(json_object_get(o, "events"));
		json_decref(o);
	}
	struct import_summary sum;
	int r = imports_run(s, &rq, &sum);
	const char *result = NULL, *error = NULL;
	if (r == 0) {
		result = summary_json(s, j, &sum);
	} else {
		json_t *e = json_pack("{s:s,s:s,s:o}", "code", s->err->code ? s->err->code : "internal", "message",
		                      s->err->message, "field",
		                      s->err->field[0] ? json_string(s->err->field) : json_null());
		char *t = json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(e);
		error = arena_strdup(s->arena, t ? t : "{}");
		xfree(t);
	}
	unlink(j->file);
	s->now = time_now();
	if ((r = store_begin(s->st)) < 0 ||
	    (r = jobsdb_import_job_finish(s->st, j->id, result ? "done" : "failed", result, error,
	                                  result ? sum.import_id : 0, s->now)) < 0 ||
	    (r = store_commit(s->st)) < 0) {
		r = store_error(s->st, s->err, "recording the import's result");
		store_rollback(s->st);
		return r;
	}
	return 0;
}
