/* Reports (see reports.h). Room: service.
 * One load of the client's tickets (kpis_load, in one read transaction with the call
 * intervals and the findings' events) serves every KPI view of the report and the
 * findings; each view is a plain kpi request over that load (kpis_compute_loaded), so
 * each number equals what `leitstand kpi` prints for the same request. The 12-month
 * (8-week) trend is one request by month (week): one pass over the tickets for all its
 * periods, its call KPIs the report's calls table. Design note:
 * docs/design/0010-report-loading.md. */
#include "service/reports.h"

#include <stdio.h>
#include <string.h>

#include "calendar/tz.h"
#include "service/analysis.h"
#include "service/kpis.h"
#include "service/plans.h"
#include "service/targets.h"
#include "store/dirdb.h"
#include "store/importdb.h"

enum { RQ_TREND, RQ_CATEGORY, RQ_TEAM, RQ_AGENT, RQ_QUARTERS, _RQ_MAX };

/* The quarter's KPI sets of every client with at least min_tickets opened in
 * [from, to): a count per client (two index ranges) first, then one load and one
 * range computation for each client that passes, in an arena of its own that is
 * released before the next, as the system actor (the result keeps no name). The
 * client's own set is `own` (its report's computation), not loaded again. */
static int benchmark(struct svc *s, int64_t own_id, const struct kpi_set *own, ls_time from, ls_time to,
                     const char *tzname, uint64_t min_tickets, struct report_benchmark *ret)
{
	struct client *cl;
	size_t n;
	if (dirdb_client_list(s->st, s->arena, &cl, &n) < 0)
		return store_error(s->st, s->err, "listing the clients");
	struct kpi_set *sets = arena_alloc(s->arena, (n + 1) * sizeof(*sets));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (cl[i].id == own_id) {
			if (own && own->tickets >= min_tickets)
				sets[k++] = *own;
			continue;
		}
		uint64_t count;
		if (importdb_count_opened(s->st, cl[i].id, from, to, &count) < 0)
			return store_error(s->st, s->err, "counting a client's tickets");
		if (count < min_tickets)
			continue;
		struct arena tmp;
		arena_init(&tmp);
		struct svc peer = *s;
		peer.arena = &tmp;
		peer.actor = &actor_system;
		peer.audit = NULL;
		struct kpis_tickets kt;
		struct kpi_result res;
		struct kpi_request kr = {.client = cl[i].code, .from = from, .to = to, .tz = tzname, .no_calls = true};
		int r = kpis_load(&peer, cl[i].code, false, &kt);
		if (r == 0 && (r = kpis_compute_loaded(&peer, &kt, &kr, 1, &res)) == 0) {
			for (size_t g = 0; g < res.n_groups; g++)
				if (!res.groups[g].value && res.groups[g].set.tickets >= min_tickets)
					sets[k++] = res.groups[g].set;
			kpi_result_release(&res);
		}
		arena_release(&tmp);
		if (r < 0)
			return r;
	}
	*ret = (struct report_benchmark){.min_tickets = min_tickets, .n = k, .sets = sets};
	return 0;
}

int reports_build(struct svc *s, const struct report_request *rq, struct report **ret)
{
	struct client c;
	int r = dirdb_client_by_code(s->st, s->arena, rq->client ? rq->client : "", &c);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, c.id)))
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "client", "client '%.40s' does not exist",
		                 rq->client ? rq->client : "");
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");
	const char *tzname = rq->tz ? rq->tz : c.timezone;
	struct tz *zone = NULL;
	if ((r = tz_load(tzname, &zone, s->err)) < 0) {
		s->err->code = "invalid_parameter";
		snprintf(s->err->field, sizeof(s->err->field), "tz");
		return r;
	}
	int64_t key;
	if ((r = report_period_parse(rq->period, rq->kind, &key, s->err)) < 0) {
		tz_free(zone);
		return r;
	}
	enum kpi_period p = report_kind_period(rq->kind);
	struct kpi_options po = {.period = p, .tz = zone};
	ls_time from, to, trend_from, q_from, dummy;
	char label[32];
	kpi_period_bounds(&po, key, &from, &to, label, sizeof(label));
	/* the trend window: 8 weeks, or the 12 months ending with the period */
	enum kpi_period tp = rq->kind == REPORT_WEEKLY ? KPI_PERIOD_WEEK : KPI_PERIOD_MONTH;
	struct kpi_options to_ = {.period = tp, .tz = zone};
	int64_t last = rq->kind == REPORT_QUARTERLY ? (key / 4) * 12 + (key % 4) * 3 + 2 : key;
	int64_t first = rq->kind == REPORT_WEEKLY ? last - 7 * 7 : last - 11;
	kpi_period_bounds(&to_, first, &trend_from, &dummy, label, sizeof(label));
	kpi_period_bounds(&po, key - 4, &q_from, &dummy, label, sizeof(label));

	struct kpi_request kr[_RQ_MAX] = {
	        [RQ_TREND] = {.client = c.code, .by = tp, .from = trend_from, .to = to, .tz = tzname},
	        [RQ_CATEGORY] = {.client = c.code,
	                         .group = KPI_DIM_CATEGORY,
	                         .from = from,
	                         .to = to,
	                         .tz = tzname,
	                         .no_calls = true},
	        [RQ_TEAM] = {.client = c.code,
	                     .group = KPI_DIM_TEAM,
	                     .from = from,
	                     .to = to,
	                     .tz = tzname,
	                     .no_calls = true},
	        [RQ_AGENT] = {.client = c.code,
	                      .group = KPI_DIM_AGENT,
	                      .from = from,
	                      .to = to,
	                      .tz = tzname,
	                      .no_calls = true},
	        [RQ_QUARTERS] = {.client = c.code,
	                         .by = KPI_PERIOD_QUARTER,
	                         .from = q_from,
	                         .to = to,
	                         .tz = tzname,
	                         .no_calls = true},
	};
	size_t nk = rq->kind == REPORT_QUARTERLY ? _RQ_MAX : RQ_QUARTERS;
	struct kpi_result res[_RQ_MAX];
	struct kpis_tickets tickets;
	struct analysis an;
	struct analysis_request ar = {.client = c.code, .from = from, .to = to, .tz = tzname};
	bool own_tx = store_begin_read(s->st) == 0;
	r = kpis_load(s, c.code, true, &tickets);
	if (r == 0 && (r = kpis_compute_loaded(s, &tickets, kr, nk, res)) == 0 &&
	    (r = analysis_run_loaded(s, &tickets, &ar, &an)) < 0)
		for (size_t i = 0; i < nk; i++)
			kpi_result_release(&res[i]);
	struct action *actions = NULL;
	size_t n_actions = 0;
	const struct contract *contract = NULL;
	if (r == 0 && rq->kind != REPORT_WEEKLY && (r = plans_of_client(s, c.id, &actions, &n_actions, &contract)) < 0)
		goto release;
	struct report_benchmark bench;
	if (r == 0 && rq->kind == REPORT_QUARTERLY) {
		/* the quarter's own set: the last group of the quarter comparison */
		const struct kpi_set *own = NULL;
		char ql[32];
		kpi_period_bounds(&po, key, &dummy, &dummy, ql, sizeof(ql));
		for (size_t g = 0; g < res[RQ_QUARTERS].n_groups; g++)
			if (!res[RQ_QUARTERS].groups[g].value && strcmp(res[RQ_QUARTERS].groups[g].period, ql) == 0)
				own = &res[RQ_QUARTERS].groups[g].set;
		if ((r = benchmark(s, c.id, own, from, to, tzname,
		                   rq->benchmark_min_tickets ? rq->benchmark_min_tickets : REPORTS_BENCH_MIN_TICKETS,
		                   &bench)) < 0)
			goto release;
	}
	if (own_tx)
		store_commit(s->st);
	own_tx = false;
	if (r < 0) {
		tz_free(zone);
		return r;
	}
	/* without a targets file the client's stored targets give the lights */
	const struct report_targets *targets = rq->targets;
	if (!targets && tickets.targets) {
		const struct kpi_targets *kt = tickets.targets;
		struct report_targets *rt = arena_alloc(s->arena, sizeof(*rt));
		rt->n = 0;
		for (size_t i = 0; i < kt->n && rt->n < REPORT_MAX_TARGETS; i++) {
			struct report_target *x = &rt->t[rt->n++];
			snprintf(x->key, sizeof(x->key), "%s", kt->t[i].key);
			x->target = kt->t[i].target;
			x->green = kt->t[i].green;
			x->warn = kt->t[i].amber;
			x->lower_is_better = kt->t[i].lower_is_better;
		}
		targets = rt;
	}
	struct report_input in = {
	        .kind = rq->kind,
	        .german = rq->german,
	        .client_code = c.code,
	        .client_name = c.name,
	        .tz_name = tzname,
	        .period_key = key,
	        .tz = zone,
	        .generated_at = s->now,
	        .trend = &res[RQ_TREND],
	        .quarters = rq->kind == REPORT_QUARTERLY ? &res[RQ_QUARTERS] : NULL,
	        .by_category = &res[RQ_CATEGORY],
	        .by_team = &res[RQ_TEAM],
	        .by_agent = &res[RQ_AGENT],
	        .findings = &an.result,
	        .targets = targets,
	        .actions = actions,
	        .n_actions = n_actions,
	        .contract = contract,
	        .benchmark = rq->kind == REPORT_QUARTERLY ? &bench : NULL,
	};
	r = report_build(&in, ret, s->err);
release:
	if (own_tx)
		store_commit(s->st);
	analysis_release(&an);
	for (size_t i = 0; i < nk; i++)
		kpi_result_release(&res[i]);
	tz_free(zone);
	return r;
}
