/* Action plans and contracts (see plans.h). Room: service.
 * "Today" (the default agreed and closing day) is the local date of the injected
 * clock in the client's zone. A stored contract is the canonical JSON
 * contract_to_json() writes; it is parsed again on every read, and a text that no
 * longer parses is reported as a storage error, never replaced by a default. */
#include "service/plans.h"
#include "service/directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/tz.h"
#include "core/limits.h"
#include "kpi/findings.h"
#include "service/audit.h"
#include "store/dirdb.h"
#include "store/plandb.h"

static int may_write(struct svc *s, const char *what)
{
	if (s->actor->role != USER_ROLE_ADMIN && s->actor->role != USER_ROLE_MANAGER)
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL, "only admins and managers may change %s",
		                 what);
	return 0;
}

static int64_t today(struct svc *s, const struct client *c)
{
	struct tz *zone = NULL;
	struct lserr e = {0};
	int64_t local = s->now;
	if (tz_load(c->timezone, &zone, &e) == 0) {
		local += tz_offset_at(zone, s->now);
		tz_free(zone);
	}
	return local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
}

static int day_arg(struct svc *s, const char *field, const char *v, int64_t *ret)
{
	if (plan_day_parse(v, ret) < 0)
		return lserr_set(s->err, -EINVAL, "invalid_field", field,
		                 "%s must be a date like 2026-10-31 (got '%.40s')", field, v);
	return 0;
}

/* Applies in's fields to a (a fresh action on add) and checks the result. */
static int apply(struct svc *s, const struct client *c, const struct action_input *in, bool add, struct action *a)
{
	if (in->title || add) {
		size_t n = in->title ? strlen(in->title) : 0;
		if (n == 0 || strspn(in->title, " \t") == n)
			return lserr_set(s->err, -EINVAL, add && !in->title ? "missing_field" : "invalid_field",
			                 "title", "title must not be empty");
		if (n > LS_MAX_TITLE_BYTES)
			return lserr_set(s->err, -EINVAL, "invalid_field", "title", "title is longer than %d bytes",
			                 LS_MAX_TITLE_BYTES);
		a->title = arena_strdup(s->arena, in->title);
	}
	if (in->owner) {
		if (strlen(in->owner) > PLAN_MAX_OWNER_BYTES)
			return lserr_set(s->err, -EINVAL, "invalid_field", "owner", "owner is longer than %d bytes",
			                 PLAN_MAX_OWNER_BYTES);
		a->owner = arena_strdup(s->arena, in->owner);
	}
	if (in->finding) {
		char kind[64];
		size_t k = strcspn(in->finding, ":");
		snprintf(kind, sizeof(kind), "%.*s", (int)(k < sizeof(kind) - 1 ? k : sizeof(kind) - 1), in->finding);
		if (!plan_finding_valid(in->finding) || k >= sizeof(kind) - 1 ||
		    (int)findings_kind_from_string(kind) < 0)
			return lserr_set(s->err, -EINVAL, "invalid_field", "finding",
			                 "finding must be KIND or KIND:detail with a finding kind of `leitstand "
			                 "analyze` (got '%.40s')",
			                 in->finding);
		a->finding = arena_strdup(s->arena, in->finding);
	} else if (in->clear_finding) {
		a->finding = NULL;
	}
	int r;
	if (in->agreed_on && (r = day_arg(s, "agreed_on", in->agreed_on, &a->agreed_on)) < 0)
		return r;
	if (add && !in->agreed_on)
		a->agreed_on = today(s, c);
	if (add && !in->due_on)
		return lserr_set(s->err, -EINVAL, "missing_field", "due_on",
		                 "due_on is required (a date like 2026-10-31)");
	if (in->due_on && (r = day_arg(s, "due_on", in->due_on, &a->due_on)) < 0)
		return r;
	enum action_state was = add ? ACTION_OPEN : a->state;
	if (in->state) {
		enum action_state st = action_state_from_string(in->state);
		if ((int)st < 0)
			return lserr_set(s->err, -EINVAL, "invalid_field", "state",
			                 "state must be open, in_progress, done or dropped (got '%.40s')", in->state);
		a->state = st;
	} else if (add) {
		a->state = ACTION_OPEN;
	}
	if (!action_state_closed(a->state)) {
		if (in->closed_on)
			return lserr_set(s->err, -EINVAL, "invalid_field", "closed_on",
			                 "closed_on is only for an action that is done or dropped");
		a->closed_on = PLAN_NO_DAY;
	} else if (in->closed_on) {
		if ((r = day_arg(s, "closed_on", in->closed_on, &a->closed_on)) < 0)
			return r;
	} else if (add || !action_state_closed(was) || was != a->state || a->closed_on == PLAN_NO_DAY) {
		a->closed_on = today(s, c);
	}
	if (a->due_on < a->agreed_on)
		return lserr_set(s->err, -EINVAL, "invalid_field", "due_on", "due_on is before agreed_on");
	if (a->closed_on != PLAN_NO_DAY && a->closed_on < a->agreed_on)
		return lserr_set(s->err, -EINVAL, "invalid_field", "closed_on", "closed_on is before agreed_on");
	return 0;
}

int plans_actions(struct svc *s, const char *client, struct action_list *ret)
{
	struct client c;
	int r = directory_visible_client(s, client, &c);
	if (r < 0)
		return r;
	if (plandb_actions(s->st, s->arena, c.id, &ret->items, &ret->n) < 0)
		return store_error(s->st, s->err, "loading the action plan");
	ret->client = c.code;
	return 0;
}

int plans_action_add(struct svc *s, const char *client, const struct action_input *in, struct action *ret)
{
	lserr_clear(s->err);
	struct client c;
	int r = directory_visible_client(s, client, &c);
	if (r < 0 || (r = may_write(s, "the action plan")) < 0)
		return r;
	struct action a = {.owner = "", .closed_on = PLAN_NO_DAY, .created_at = s->now};
	if ((r = apply(s, &c, in, true, &a)) < 0)
		return r;
	if (store_begin(s->st) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	/* the request's audit entry is written by the commit: note its subject first */
	if ((r = plandb_action_insert(s->st, c.id, &a)) < 0 ||
	    (audit_subject(s, c.id, arena_printf(s->arena, "action %lld", (long long)a.id)),
	     (r = store_commit(s->st)) < 0)) {
		r = store_error(s->st, s->err, "storing the action");
		store_rollback(s->st);
		return r;
	}
	*ret = a;
	return 0;
}

int plans_action_update(struct svc *s, const char *client, int64_t id, int64_t expected, const struct action_input *in,
                        struct action *ret)
{
	lserr_clear(s->err);
	struct client c;
	int r = directory_visible_client(s, client, &c);
	if (r < 0 || (r = may_write(s, "the action plan")) < 0)
		return r;
	struct action a;
	r = plandb_action_get(s->st, s->arena, c.id, id, &a);
	if (r == -ENOENT)
		return lserr_set(s->err, -ENOENT, "not_found", "id", "client '%s' has no action %lld", c.code,
		                 (long long)id);
	if (r < 0)
		return store_error(s->st, s->err, "loading the action");
	if ((r = apply(s, &c, in, false, &a)) < 0)
		return r;
	a.updated_at = s->now;
	if (store_begin(s->st) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	r = plandb_action_update(s->st, c.id, &a, expected);
	if (r == -LS_ESTALE) {
		store_rollback(s->st);
		return lserr_set(s->err, r, "version_mismatch", "version",
		                 "action %lld of client '%s' was changed meanwhile (version %lld, not %lld)",
		                 (long long)id, c.code, (long long)a.version, (long long)expected);
	}
	audit_subject(s, c.id, arena_printf(s->arena, "action %lld", (long long)a.id));
	if (r < 0 || (r = store_commit(s->st)) < 0) {
		r = store_error(s->st, s->err, "storing the action");
		store_rollback(s->st);
		return r;
	}
	a.version = expected + 1;
	*ret = a;
	return 0;
}

/* ---- contract ---- */

static int load_contract(struct svc *s, int64_t client_id, struct contract_set *ret)
{
	struct contract_row row;
	ret->stored = false;
	memset(&ret->c, 0, sizeof(ret->c));
	ret->version = 0;
	ret->updated_at = 0;
	ret->updated_by = NULL;
	int r = plandb_contract_get(s->st, s->arena, client_id, &row);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return store_error(s->st, s->err, "loading the contract");
	json_t *j = json_loads(row.contract, 0, NULL);
	struct lserr e = {0};
	r = contract_from_json(j, &ret->c, &e);
	json_decref(j);
	if (r < 0)
		return lserr_set(s->err, -LS_EDB, "internal", NULL, "the stored contract is unreadable: %s", e.message);
	ret->stored = true;
	ret->version = row.version;
	ret->updated_at = row.updated_at;
	ret->updated_by = row.updated_by;
	return 0;
}

int plans_contract_get(struct svc *s, const char *client, struct contract_set *ret)
{
	struct client c;
	int r = directory_visible_client(s, client, &c);
	if (r < 0)
		return r;
	ret->client = c.code;
	return load_contract(s, c.id, ret);
}

int plans_contract_put(struct svc *s, const char *client, const json_t *body, int64_t expected,
                       struct contract_set *ret)
{
	lserr_clear(s->err);
	struct client c;
	int r = directory_visible_client(s, client, &c);
	if (r < 0 || (r = may_write(s, "the contract")) < 0)
		return r;
	struct contract k;
	if ((r = contract_from_json(body, &k, s->err)) < 0)
		return r;
	json_t *j = contract_to_json(&k);
	char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (store_begin(s->st) < 0) {
		free(text); /* json_dumps allocates with malloc */
		return store_error(s->st, s->err, "starting a transaction");
	}
	r = plandb_contract_put(s->st, c.id, text, expected, s->actor->user_id, s->now);
	free(text); /* json_dumps allocates with malloc */
	if (r == -LS_ESTALE) {
		store_rollback(s->st);
		return lserr_set(s->err, r, "version_mismatch", "version",
		                 expected ? "the contract of client '%s' was changed meanwhile"
		                          : "client '%s' has a contract already: send If-Match with its version",
		                 c.code);
	}
	audit_subject(s, c.id, "contract");
	if (r < 0 || (r = store_commit(s->st)) < 0) {
		r = store_error(s->st, s->err, "storing the contract");
		store_rollback(s->st);
		return r;
	}
	ret->client = c.code;
	return load_contract(s, c.id, ret);
}

int plans_of_client(struct svc *s, int64_t client_id, struct action **ret_actions, size_t *ret_n,
                    const struct contract **ret_contract)
{
	if (plandb_actions(s->st, s->arena, client_id, ret_actions, ret_n) < 0)
		return store_error(s->st, s->err, "loading the action plan");
	struct contract_set set;
	int r = load_contract(s, client_id, &set);
	if (r < 0)
		return r;
	struct contract *c = NULL;
	if (set.stored) {
		c = arena_alloc(s->arena, sizeof(*c));
		*c = set.c;
	}
	*ret_contract = c;
	return 0;
}
