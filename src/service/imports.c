/* Imports (see imports.h). Room: service.
 * The importer streams canonical records into a sink that writes them to the
 * store inside one write transaction; bad rows are collected for the report. */
#include "service/imports.h"

#include <stdio.h>
#include <string.h>

#include "calendar/tz.h"
#include "importers/acd.h"
#include "importers/csvmap.h"
#include "importers/freshdesk.h"
#include "importers/jira.h"
#include "importers/servicenow.h"
#include "importers/zendesk.h"
#include "store/acddb.h"
#include "store/dirdb.h"
#include "store/importdb.h"

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

static int run_zendesk(const struct import_request *rq, const struct import_options *o,
		       const struct import_sink *sink, struct import_stats *ret_stats, struct lserr *e)
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
	{ "servicenow", run_servicenow },
	{ "freshdesk", run_freshdesk },
	{ "jira", run_jira },
	{ "zendesk", run_zendesk },
	{ "csv", run_csv },
	{ "acd", run_acd },
};

const char *const imports_sources[] = { "servicenow", "freshdesk", "jira", "zendesk", "csv", "acd", NULL };

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
	struct import_summary sum = { 0 };
	struct sink_ctx ctx = { .s = s, .rq = rq, .client_id = c.id, .sum = &sum };
	struct import_options o = {
		.tz = zone,
		.events = rq->events,
		.client = c.code,
		.max_bad_rows = rq->max_errors + 1, /* the importer stops when this many are reached */
	};
	struct import_sink sink = { .ctx = &ctx, .ticket = on_ticket, .event = rq->events ? on_event : NULL,
				    .interval = on_interval, .bad_row = on_bad_row };
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
	if (sum.stats.intervals &&
	    ((r = acddb_count(s->st, c.id, &intervals_after)) < 0 ||
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
