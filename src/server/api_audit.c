/* GET /api/v1/audit: the audit log for admins, auditors and data-protection
 * officers, filtered to what the caller may see by the service. Room: server. */
#include <string.h>

#include "server/api.h"
#include "server/json.h"
#include "service/audit.h"

static const char *query_get(const char *name, void *ctx)
{
	return request_query(ctx, name);
}

static json_t *entry_json(const struct audit_entry *e)
{
	json_t *detail = json_loads(e->detail, 0, NULL);
	return json_pack("{s:I,s:o,s:I,s:o,s:s,s:s,s:o,s:s,s:o,s:s,s:s,s:s}", "id", (json_int_t)e->id, "at",
	                 json_time(e->at), "at_unix", (json_int_t)e->at, "actor_id",
	                 e->actor_id ? json_integer(e->actor_id) : json_null(), "actor", e->actor_email, "kind",
	                 e->kind, "client_id", e->client_id ? json_integer(e->client_id) : json_null(), "subject",
	                 e->subject, "detail", detail ? detail : json_object(), "detail_text", e->detail, "prev_hash",
	                 e->prev_hash, "hash", e->hash);
}

int api_audit_list(struct request *rq)
{
	/* reads of a moment ago may still wait in the flusher's queue: let them land,
	 * then look at a snapshot taken after that */
	if (rq->read_tx) {
		store_commit(rq->svc.st);
		audit_wait_flushed(2000);
		if (store_begin_read(rq->svc.st) < 0)
			rq->read_tx = false;
	}
	struct audit_query q;
	int r = audit_query_parse(&rq->svc, query_get, rq, &q);
	if (r < 0)
		return reply_error(rq, r);
	struct audit_entry *v;
	size_t n;
	bool more;
	if ((r = audit_list(&rq->svc, &q, &v, &n, &more)) < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, entry_json(&v[i]));
	json_t *next = more && n ? json_string(arena_printf(&rq->arena, "%lld", (long long)v[n - 1].id)) : json_null();
	return reply_json(rq, 200, json_pack("{s:o,s:o}", "items", items, "next", next));
}
