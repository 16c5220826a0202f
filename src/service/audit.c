/* The audit log (see audit.h). Room: service.
 * Invariant: an entry is appended only inside a write transaction, after reading
 * audit_head in that same transaction, so id and prev_hash always continue the
 * chain; the schema's trigger refuses anything else. Entries never carry a
 * password or a token, and name tickets by number, not by their contents. */
#include "service/audit.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "core/parse.h"
#include "store/auditdb.h"
#include "store/retentiondb.h"
#include "store/dirdb.h"

void audit_subject(struct svc *s, int64_t client_id, const char *subject)
{
	struct audit_notes *n = s->audit;
	if (n && !n->client_id) {
		n->client_id = client_id;
		n->subject = arena_strdup(s->arena, subject);
	}
}

void audit_note(struct svc *s, int64_t client_id, const char *number)
{
	struct audit_notes *n = s->audit;
	if (!n)
		return;
	audit_subject(s, client_id, number);
	if (n->n_reads == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 16;
		struct audit_read *v = arena_alloc(s->arena, cap * sizeof(*v));
		if (n->n_reads)
			memcpy(v, n->reads, n->n_reads * sizeof(*v));
		n->reads = v;
		n->cap = cap;
	}
	n->reads[n->n_reads++] = (struct audit_read){client_id, arena_strdup(s->arena, number)};
}

/* Inside a write transaction: gives e the next id, chains it to the head, stores it. */
static int append_entry(struct svc *s, struct audit_entry *e)
{
	int64_t last;
	int r = auditdb_head(s->st, &last, e->prev_hash);
	if (r < 0)
		return store_error(s->st, s->err, "reading the audit head");
	e->id = last + 1;
	if (audit_entry_hash(e, e->hash) < 0)
		return lserr_set(s->err, -LS_EDB, "internal", NULL, "the audit head holds a malformed hash");
	if (auditdb_insert(s->st, e) < 0)
		return store_error(s->st, s->err, "appending to the audit log");
	return 0;
}

int audit_append_as(struct svc *s, int64_t actor_id, const char *actor_email, enum audit_kind kind, int64_t client_id,
                    const char *subject, json_t *detail)
{
	if (!detail)
		detail = json_object();
	char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(detail);
	if (!text)
		return lserr_set(s->err, -ENOMEM, "internal", NULL, "cannot serialise an audit entry");
	struct audit_entry e = {
	        .at = s->now,
	        .actor_id = actor_id,
	        .actor_email = actor_email && *actor_email ? actor_email : "anonymous",
	        .kind = audit_kind_to_string(kind),
	        .client_id = client_id,
	        .subject = subject ? subject : "",
	        .detail = arena_strdup(s->arena, text),
	};
	free(text); /* json_dumps allocates with malloc */
	return append_entry(s, &e);
}

/* ---- group commit of read entries ----
 *
 * Every read of personal data must be on record before the data leaves, and a
 * durable commit costs a disk sync. Requests that read at the same time therefore
 * share one: each queues its entries and waits; whichever finds nobody writing
 * becomes the leader, writes every queued entry in one transaction on its own
 * connection, and wakes the others with the outcome. An entry is appended in queue
 * order, so the chain stays one total order. */

struct pending {
	struct audit_entry *e; /* the requester's, valid while it waits */
	size_t n;
	int result; /* set by the leader */
	struct pending *next;
};

/* the asynchronous queue (audit_async): reads as plain data, turned into entries by
 * the flusher */
#define AUDIT_QUEUE_MAX 100000
struct qread {
	int64_t actor_id;
	char *actor_email;
	int64_t client_id;
	ls_time at;
	char *what;
	char *subject;
	char **numbers; /* at most LS_MAX_AUDIT_NUMBERS */
	size_t n_numbers;
	int64_t count;
};
static bool q_async;
static pthread_mutex_t q_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_space = PTHREAD_COND_INITIALIZER; /* the flusher made room */
static bool q_flushing;                                   /* a flush is writing what it took from the queue */
static struct qread *aq;
static size_t aq_n, aq_cap;

static void qread_free(struct qread *x)
{
	xfree(x->actor_email);
	xfree(x->what);
	xfree(x->subject);
	for (size_t i = 0; i < x->n_numbers; i++)
		xfree(x->numbers[i]);
	xfree(x->numbers);
}

/* Queues the reads noted in n, one item per client. */
static int enqueue_reads(struct svc *s, const struct audit_notes *n, const char *what)
{
	const struct actor *a = s->actor;
	pthread_mutex_lock(&q_mu);
	while (aq_n + n->n_reads > AUDIT_QUEUE_MAX && __atomic_load_n(&q_async, __ATOMIC_ACQUIRE))
		pthread_cond_wait(&q_space, &q_mu);
	pthread_mutex_unlock(&q_mu);
	bool *done = arena_zalloc(s->arena, n->n_reads * sizeof(bool));
	for (size_t i = 0; i < n->n_reads; i++) {
		if (done[i])
			continue;
		struct qread x = {
		        .actor_id = a ? a->user_id : 0,
		        .actor_email = xstrdup(a && a->email && *a->email ? a->email : "anonymous"),
		        .client_id = n->reads[i].client_id,
		        .at = s->now,
		        .what = xstrdup(what),
		        .subject = xstrdup(n->reads[i].number),
		};
		for (size_t j = i; j < n->n_reads; j++) {
			if (done[j] || n->reads[j].client_id != x.client_id)
				continue;
			done[j] = true;
			if (x.count++ < LS_MAX_AUDIT_NUMBERS) {
				x.numbers = xrealloc(x.numbers, (x.n_numbers + 1) * sizeof(*x.numbers));
				x.numbers[x.n_numbers++] = xstrdup(n->reads[j].number);
			}
		}
		pthread_mutex_lock(&q_mu);
		if (aq_n == aq_cap) {
			aq_cap = aq_cap ? aq_cap * 2 : 256;
			aq = xrealloc(aq, aq_cap * sizeof(*aq));
		}
		aq[aq_n++] = x;
		pthread_mutex_unlock(&q_mu);
	}
	return 0;
}

static pthread_mutex_t gc_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gc_done = PTHREAD_COND_INITIALIZER;
static struct pending *gc_head, **gc_tail = &gc_head;
static bool gc_writing;
static uint64_t gc_queued, gc_written; /* requests queued and written so far */

static int write_group(struct svc *s, struct pending *list)
{
	int r = store_begin(s->st);
	if (r < 0)
		return store_error(s->st, s->err, "starting a transaction");
	for (struct pending *p = list; p && r == 0; p = p->next)
		for (size_t i = 0; i < p->n && r == 0; i++)
			r = append_entry(s, &p->e[i]);
	if (r < 0) {
		store_rollback(s->st);
		return r;
	}
	if (store_commit(s->st) < 0) {
		r = store_error(s->st, s->err, "committing audit entries");
		store_rollback(s->st);
		return r;
	}
	return 0;
}

static int group_commit(struct svc *s, struct audit_entry *e, size_t n)
{
	struct pending me = {.e = e, .n = n, .result = 1};
	pthread_mutex_lock(&gc_mu);
	*gc_tail = &me;
	gc_tail = &me.next;
	uint64_t mine = ++gc_queued;
	while (gc_written < mine) {
		if (gc_writing) {
			pthread_cond_wait(&gc_done, &gc_mu);
			continue;
		}
		/* lead: take the whole queue */
		gc_writing = true;
		struct pending *list = gc_head;
		uint64_t upto = gc_queued;
		gc_head = NULL;
		gc_tail = &gc_head;
		pthread_mutex_unlock(&gc_mu);
		int r = write_group(s, list);
		pthread_mutex_lock(&gc_mu);
		for (struct pending *p = list; p;) {
			struct pending *next = p->next; /* p may go away once its result is set */
			p->result = r;
			p = next;
		}
		gc_written = upto;
		gc_writing = false;
		pthread_cond_broadcast(&gc_done);
	}
	int r = me.result;
	pthread_mutex_unlock(&gc_mu);
	if (r < 0 && s->err && !s->err->code)
		lserr_set(s->err, r, "internal", NULL, "the audit entry could not be written");
	return r < 0 ? r : 0;
}

int audit_append(struct svc *s, enum audit_kind kind, int64_t client_id, const char *subject, json_t *detail)
{
	const struct actor *a = s->actor;
	return audit_append_as(s, a ? a->user_id : 0, a ? a->email : NULL, kind, client_id, subject, detail);
}

int audit_record(struct svc *s, enum audit_kind kind, int64_t client_id, const char *subject, json_t *detail)
{
	if (store_begin(s->st) < 0) {
		json_decref(detail);
		return store_error(s->st, s->err, "starting a transaction");
	}
	int r = audit_append(s, kind, client_id, subject, detail);
	if (r < 0) {
		store_rollback(s->st);
		return r;
	}
	if (store_commit(s->st) < 0)
		return store_error(s->st, s->err, "committing an audit entry");
	return 0;
}

int audit_record_reads(struct svc *s, const char *what)
{
	struct audit_notes *n = s->audit;
	if (!n || !n->n_reads)
		return 0;
	if (__atomic_load_n(&q_async, __ATOMIC_ACQUIRE))
		return enqueue_reads(s, n, what);
	struct audit_entry *entries = arena_alloc(s->arena, n->n_reads * sizeof(*entries));
	size_t ne = 0;
	bool *done = arena_alloc(s->arena, n->n_reads * sizeof(bool));
	memset(done, 0, n->n_reads * sizeof(bool));
	int r = 0;
	for (size_t i = 0; i < n->n_reads && r == 0; i++) {
		if (done[i])
			continue;
		int64_t client = n->reads[i].client_id;
		json_t *numbers = json_array();
		size_t count = 0;
		for (size_t j = i; j < n->n_reads; j++) {
			if (done[j] || n->reads[j].client_id != client)
				continue;
			done[j] = true;
			if (count++ < LS_MAX_AUDIT_NUMBERS)
				json_array_append_new(numbers, json_string(n->reads[j].number));
		}
		json_t *detail = json_pack("{s:s,s:o,s:I,s:s}", "request", what, "tickets", numbers, "count",
		                           (json_int_t)count, "fields", "requester");
		char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
		json_decref(detail);
		if (!text)
			return lserr_set(s->err, -ENOMEM, "internal", NULL, "cannot serialise an audit entry");
		const struct actor *a = s->actor;
		entries[ne++] = (struct audit_entry){
		        .at = s->now,
		        .actor_id = a ? a->user_id : 0,
		        .actor_email = a && a->email && *a->email ? a->email : "anonymous",
		        .kind = audit_kind_to_string(AUDIT_KIND_PERSONAL_DATA_READ),
		        .client_id = client,
		        .subject = n->reads[i].number,
		        .detail = arena_strdup(s->arena, text),
		};
		free(text); /* json_dumps allocates with malloc */
	}
	if (r < 0)
		return r;
	return group_commit(s, entries, ne);
}

/* ---- the asynchronous queue ---- */

void audit_wait_flushed(unsigned timeout_ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	until.tv_sec += timeout_ms / 1000 + until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&q_mu);
	while ((aq_n > 0 || q_flushing) && __atomic_load_n(&q_async, __ATOMIC_ACQUIRE))
		if (pthread_cond_timedwait(&q_space, &q_mu, &until) != 0)
			break;
	pthread_mutex_unlock(&q_mu);
}

void audit_async(bool on)
{
	__atomic_store_n(&q_async, on, __ATOMIC_RELEASE);
}

/* The reads of one user about one client's data that wait in the same flush become
 * one entry. A single read keeps the one-request form ("request", "tickets",
 * "count", "fields"); several give "reads" (how many requests), the distinct
 * "requests" (at most 16), the distinct "tickets" (at most LS_MAX_AUDIT_NUMBERS),
 * the summed "count" and "first_at". Order: by each group's first read. */
static size_t merge_reads(struct svc *s, const struct qread *v, size_t n, struct audit_entry *out)
{
	bool *used = arena_zalloc(s->arena, n * sizeof(bool));
	const char **nums = arena_alloc(s->arena, LS_MAX_AUDIT_NUMBERS * sizeof(*nums));
	const char *reqs[16];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (used[i])
			continue;
		size_t nn = 0, nr = 0;
		int64_t count = 0, reads = 0;
		ls_time last = v[i].at;
		for (size_t j = i; j < n; j++) {
			const struct qread *x = &v[j];
			if (used[j] || x->actor_id != v[i].actor_id || x->client_id != v[i].client_id ||
			    strcmp(x->actor_email, v[i].actor_email) != 0)
				continue;
			used[j] = true;
			reads++;
			count += x->count;
			if (x->at > last)
				last = x->at;
			bool seen = false;
			for (size_t q = 0; q < nr && !seen; q++)
				seen = strcmp(reqs[q], x->what) == 0;
			if (!seen && nr < 16)
				reqs[nr++] = x->what;
			for (size_t t = 0; t < x->n_numbers && nn < LS_MAX_AUDIT_NUMBERS; t++) {
				bool dup = false;
				for (size_t q = 0; q < nn && !dup; q++)
					dup = strcmp(nums[q], x->numbers[t]) == 0;
				if (!dup)
					nums[nn++] = x->numbers[t];
			}
		}
		json_t *tickets = json_array();
		for (size_t t = 0; t < nn; t++)
			json_array_append_new(tickets, json_string(nums[t]));
		json_t *d;
		if (reads == 1) {
			d = json_pack("{s:s,s:o,s:I,s:s}", "request", reqs[0], "tickets", tickets, "count",
			              (json_int_t)count, "fields", "requester");
		} else {
			json_t *rq = json_array();
			for (size_t q = 0; q < nr; q++)
				json_array_append_new(rq, json_string(reqs[q]));
			d = json_pack("{s:o,s:o,s:I,s:I,s:s,s:I}", "requests", rq, "tickets", tickets, "count",
			              (json_int_t)count, "reads", (json_int_t)reads, "fields", "requester", "first_at",
			              (json_int_t)v[i].at);
		}
		char *text = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
		json_decref(d);
		out[k++] = (struct audit_entry){
		        .at = last,
		        .actor_id = v[i].actor_id,
		        .actor_email = arena_strdup(s->arena, v[i].actor_email),
		        .kind = audit_kind_to_string(AUDIT_KIND_PERSONAL_DATA_READ),
		        .client_id = v[i].client_id,
		        .subject = arena_strdup(s->arena, v[i].subject),
		        .detail = arena_strdup(s->arena, text ? text : "{}"),
		};
		free(text); /* json_dumps allocates with malloc */
	}
	return k;
}

int audit_flush(struct svc *s, size_t *ret_n)
{
	*ret_n = 0;
	pthread_mutex_lock(&q_mu);
	struct qread *v = aq;
	size_t n = aq_n;
	aq = NULL;
	aq_n = aq_cap = 0;
	q_flushing = n > 0;
	pthread_mutex_unlock(&q_mu);
	if (!n)
		return 0;
	struct audit_entry *merged = arena_alloc(s->arena, n * sizeof(*merged));
	struct pending all = {.e = merged, .n = merge_reads(s, v, n, merged)};
	int r = write_group(s, &all);
	pthread_mutex_lock(&q_mu);
	if (r < 0) {
		/* put them back in front of what came meanwhile, order kept */
		struct qread *w = xcalloc(n + aq_n + 1, sizeof(*w));
		memcpy(w, v, n * sizeof(*w));
		if (aq_n)
			memcpy(w + n, aq, aq_n * sizeof(*w));
		xfree(aq);
		aq = w;
		aq_n += n;
		aq_cap = aq_n + 1;
		xfree(v);
	} else {
		for (size_t i = 0; i < n; i++)
			qread_free(&v[i]);
		xfree(v);
		*ret_n = all.n;
	}
	q_flushing = false;
	pthread_cond_broadcast(&q_space);
	pthread_mutex_unlock(&q_mu);
	return r;
}

/* ---- reading ---- */

static int bad_param(struct svc *s, const char *name, const char *why)
{
	return lserr_set(s->err, -EINVAL, "invalid_parameter", name, "query parameter '%s' %s", name, why);
}

int audit_query_parse(struct svc *s, const char *(*get)(const char *name, void *ctx), void *ctx,
                      struct audit_query *ret)
{
	struct audit_query q = {.limit = 50};
	static const char *const texts[] = {"client", "actor", "kind"};
	const char **slots[] = {&q.client, &q.actor, &q.kind};
	for (size_t i = 0; i < 3; i++) {
		const char *v = get(texts[i], ctx);
		if (!v)
			continue;
		if (!*v || strlen(v) > LS_MAX_AUDIT_QUERY_BYTES)
			return bad_param(s, texts[i], "must be 1 to 254 bytes");
		*slots[i] = v;
	}
	if (q.kind && audit_kind_from_string(q.kind) < 0)
		return bad_param(s, "kind",
		                 "must be api_write, login, login_failed, permission_change, personal_data_read or "
		                 "login_locked");
	const char *v;
	if ((v = get("from", ctx)) && time_parse_rfc3339(v, &q.from) < 0)
		return bad_param(s, "from", "must be an RFC 3339 time");
	if ((v = get("to", ctx)) && time_parse_rfc3339(v, &q.to) < 0)
		return bad_param(s, "to", "must be an RFC 3339 time");
	if (q.from && q.to && q.to <= q.from)
		return bad_param(s, "to", "must be after 'from'");
	int limit;
	if ((v = get("limit", ctx))) {
		if (parse_int(v, 1, LS_MAX_PAGE_SIZE, &limit) < 0)
			return bad_param(s, "limit", "must be 1 to 500");
		q.limit = (unsigned)limit;
	}
	if ((v = get("cursor", ctx)) && parse_i64(v, 1, INT64_MAX, &q.before_id) < 0)
		return lserr_set(s->err, -EINVAL, "invalid_cursor", "cursor", "the cursor is malformed");
	*ret = q;
	return 0;
}

int audit_list(struct svc *s, const struct audit_query *q, struct audit_entry **ret, size_t *ret_n, bool *ret_more)
{
	const struct actor *a = s->actor;
	struct audit_filter f = {
	        .actor_email = q->actor,
	        .kind = q->kind,
	        .from = q->from,
	        .to = q->to,
	        .before_id = q->before_id,
	        .limit = q->limit + 1,
	};
	if (!a->all_clients) {
		f.visible_to_user = a->user_id;
		f.scoped_only = true;
	}
	if (q->client) {
		struct client c;
		int r = dirdb_client_by_code(s->st, s->arena, q->client, &c);
		if (r == -ENOENT || (r == 0 && !actor_sees_client(a, c.id)))
			return lserr_set(s->err, -EINVAL, "invalid_parameter", "client",
			                 "client '%.40s' does not exist", q->client);
		if (r < 0)
			return store_error(s->st, s->err, "looking up the client");
		f.client_id = c.id;
	}
	struct audit_entry *v;
	size_t n;
	if (auditdb_list(s->st, s->arena, &f, &v, &n) < 0)
		return store_error(s->st, s->err, "listing the audit log");
	*ret_more = n > q->limit;
	*ret = v;
	*ret_n = n > q->limit ? q->limit : n;
	return 0;
}

/* ---- verifying ---- */

struct verify_state {
	struct svc *s;
	struct audit_verify_result *res;
	int64_t last_id;
	char last_hash[AUDIT_HASH_HEX_LEN + 1];
};

static int broken(struct verify_state *vs, int64_t id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int broken(struct verify_state *vs, int64_t id, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vs->res->bad_id = id;
	vs->res->problem = arena_vprintf(vs->s->arena, fmt, ap);
	va_end(ap);
	return 1;
}

static int verify_one(const struct audit_entry *e, void *ctx)
{
	struct verify_state *vs = ctx;
	int64_t want = vs->last_id + 1;
	if (e->id != want) {
		if (e->id == want + 1)
			return broken(vs, e->id, "entry %lld before it is missing", (long long)want);
		if (e->id > want)
			return broken(vs, e->id, "entries %lld to %lld before it are missing", (long long)want,
			              (long long)e->id - 1);
		return broken(vs, e->id, "id out of order after entry %lld", (long long)vs->last_id);
	}
	if (strcmp(e->prev_hash, vs->last_hash) != 0)
		return broken(vs, e->id, "prev_hash does not match the hash of entry %lld", (long long)vs->last_id);
	char h[AUDIT_HASH_HEX_LEN + 1];
	if (audit_entry_hash(e, h) < 0 || strcmp(h, e->hash) != 0)
		return broken(vs, e->id, "hash does not match the entry's contents (changed after it was written)");
	vs->last_id = e->id;
	memcpy(vs->last_hash, e->hash, sizeof(vs->last_hash));
	vs->res->n++;
	return 0;
}

int audit_verify(struct svc *s, struct audit_verify_result *ret)
{
	struct audit_verify_result res = {0};
	struct verify_state vs = {.s = s, .res = &res};
	memcpy(vs.last_hash, audit_genesis_hash, sizeof(vs.last_hash));
	bool own = store_begin_read(s->st) == 0;
	/* entries a retention run deleted: the chain goes on from their anchor */
	int r = retentiondb_audit_anchor(s->st, &vs.last_id, vs.last_hash);
	if (r < 0 && r != -ENOENT) {
		r = store_error(s->st, s->err, "reading the audit anchor"); /* before the commit resets the reason */
		if (own)
			store_commit(s->st);
		return r;
	}
	res.anchor_id = vs.last_id;
	r = auditdb_each(s->st, verify_one, &vs);
	if (r < 0) {
		r = store_error(s->st, s->err, "reading the audit log"); /* before the commit resets the reason */
		if (own)
			store_commit(s->st);
		return r;
	}
	if (r == 0) {
		int64_t head_id;
		char head_hash[AUDIT_HASH_HEX_LEN + 1];
		r = auditdb_head(s->st, &head_id, head_hash);
		if (r == -ENOENT) {
			res.bad_id = vs.last_id + 1;
			res.problem = "audit_head is missing";
		} else if (r < 0) {
			r = store_error(s->st, s->err,
			                "reading the audit head"); /* before the commit resets the reason */
			if (own)
				store_commit(s->st);
			return r;
		} else if (head_id > vs.last_id) {
			res.bad_id = vs.last_id + 1;
			res.problem = arena_printf(s->arena,
			                           "the log ends at entry %lld but audit_head names entry %lld: "
			                           "the newest entries were deleted",
			                           (long long)vs.last_id, (long long)head_id);
		} else if (head_id < vs.last_id) {
			res.bad_id = head_id + 1;
			res.problem = arena_printf(s->arena, "audit_head names entry %lld but the log goes on to %lld",
			                           (long long)head_id, (long long)vs.last_id);
		} else if (strcmp(head_hash, vs.last_hash) != 0) {
			res.bad_id = vs.last_id;
			res.problem = "audit_head's hash differs from the last entry's hash";
		}
	}
	if (own)
		store_commit(s->st);
	*ret = res;
	return 0;
}
