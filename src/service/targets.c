/* KPI targets per client (see targets.h). Room: service.
 * The stored JSON is the canonical form kpi_targets_to_json() writes, so a read
 * never meets a set that fails the checks of the current binary silently: it is
 * parsed again, and a failure is reported as a storage error. */
#include "service/targets.h"
#include "service/directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/dirdb.h"
#include "store/kpitargetdb.h"

static int load(struct svc *s, int64_t client_id, struct target_set *ret)
{
	struct kpitarget_row row;
	struct kpi_targets *t = arena_alloc(s->arena, sizeof(*t));
	t->n = 0;
	ret->targets = t;
	ret->version = 0;
	ret->updated_at = 0;
	ret->updated_by = NULL;
	int r = kpitargetdb_get(s->st, s->arena, client_id, &row);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return store_error(s->st, s->err, "loading KPI targets");
	json_t *j = json_loads(row.targets, 0, NULL);
	struct lserr e;
	r = kpi_targets_from_json(j, t, &e);
	json_decref(j);
	if (r < 0)
		return lserr_set(s->err, -LS_EDB, "internal", NULL, "stored KPI targets are unreadable: %s", e.message);
	ret->version = row.version;
	ret->updated_at = row.updated_at;
	ret->updated_by = row.updated_by;
	return 0;
}

int targets_get(struct svc *s, const char *client, struct target_set *ret)
{
	struct client c;
	int r = directory_visible_client(s, client, &c);
	if (r < 0)
		return r;
	ret->client = c.code;
	return load(s, c.id, ret);
}

int targets_put(struct svc *s, const char *client, const json_t *targets, int64_t expected, struct target_set *ret)
{
	struct client c;
	int r = directory_visible_client(s, client, &c);
	if (r < 0)
		return r;
	if (s->actor->role != USER_ROLE_ADMIN && s->actor->role != USER_ROLE_MANAGER)
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL,
		                 "only admins and managers may change KPI targets");
	struct kpi_targets t;
	if ((r = kpi_targets_from_json(targets, &t, s->err)) < 0)
		return r;
	json_t *j = kpi_targets_to_json(&t);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if ((r = store_begin(s->st)) < 0) {
		free(text); /* json_dumps allocates with malloc */
		return store_error(s->st, s->err, "starting a transaction");
	}
	r = kpitargetdb_put(s->st, c.id, text, expected, s->actor->user_id, s->now);
	free(text); /* json_dumps allocates with malloc */
	if (r == -LS_ESTALE) {
		store_rollback(s->st);
		return lserr_set(s->err, r, "version_mismatch", "version",
		                 expected ? "the KPI targets of client '%s' were changed meanwhile"
		                          : "client '%s' has KPI targets already: send If-Match with their version",
		                 c.code);
	}
	if (r < 0 || (r = store_commit(s->st)) < 0) {
		r = store_error(s->st, s->err, "storing KPI targets");
		store_rollback(s->st);
		return r;
	}
	ret->client = c.code;
	return load(s, c.id, ret);
}

int targets_of_client(struct svc *s, int64_t client_id, const struct kpi_targets **ret)
{
	struct target_set set;
	int r = load(s, client_id, &set);
	if (r < 0)
		return r;
	*ret = set.targets->n ? set.targets : NULL;
	return 0;
}
