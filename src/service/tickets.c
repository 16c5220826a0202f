/* Ticket use cases (see tickets.h). Room: service.
 *
 * Rules that live here and nowhere else:
 *  - priority is always derived from impact and urgency through the client's matrix;
 *  - giving a new ticket an assignee moves it to `assigned`;
 *  - the first public reply by an agent sets first_response_at (never changed again);
 *  - a public customer reply on a ticket pending on the customer resumes work;
 *  - resolved → open is a reopen: reopen_count + 1, resolved_at cleared;
 *  - `assigned` needs a team or an agent; closed is final. */
#include "service/tickets.h"
#include "service/audit.h"
#include "service/sla.h"
#include "service/webhooks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "core/strbuf.h"
#include "store/dirdb.h"
#include "service/persons.h"
#include "store/persondb.h"
#include "store/ticketdb.h"
#include "store/vendordb.h"

static enum author_kind actor_kind(const struct svc *s)
{
	if (s->actor->user_id == 0)
		return AUTHOR_KIND_SYSTEM;
	return s->actor->role == USER_ROLE_CLIENT_VIEWER ? AUTHOR_KIND_CUSTOMER : AUTHOR_KIND_AGENT;
}

/* Ticket events a webhook may subscribe to, collected while a write runs and
 * published with the ticket as it is when the write commits (flush_webhook_events). */
#define MAX_PENDING_EVENTS 8
static _Thread_local struct {
	const char *event, *from;
} pending[MAX_PENDING_EVENTS];
static _Thread_local size_t n_pending;

static const char *webhook_event_of(const char *field)
{
	static const struct {
		const char *field, *event;
	} map[] = {
	        {"created", "ticket.created"},      {"state", "ticket.state"},   {"reply", "ticket.reply"},
	        {"customer_reply", "ticket.reply"}, {"team", "ticket.assigned"}, {"assignee", "ticket.assigned"},
	        {"priority", "ticket.priority"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].field, field) == 0)
			return map[i].event;
	return NULL;
}

static int flush_webhook_events(struct svc *s, const struct ticket *t)
{
	if (n_pending == 0)
		return 0;
	struct webhook_sub *subs;
	size_t nsubs;
	int r = webhooks_active(s, t->client_id, &subs, &nsubs);
	if (r < 0 || nsubs == 0) {
		n_pending = 0;
		return r;
	}
	for (size_t i = 0; i < n_pending && r == 0; i++) {
		bool dup = false; /* team and assignee in one write are one ticket.assigned */
		for (size_t j = 0; j < i; j++)
			dup = dup || strcmp(pending[j].event, pending[i].event) == 0;
		if (!dup)
			r = outbox_ticket_event(s, t, subs, nsubs, pending[i].event, pending[i].from);
	}
	n_pending = 0;
	return r;
}

static ticket_change_fn change_hook;
static void *change_ctx;

void tickets_set_change_hook(ticket_change_fn fn, void *ctx)
{
	change_hook = fn;
	change_ctx = ctx;
}

void tickets_changed(int64_t ticket_id)
{
	if (change_hook)
		change_hook(change_ctx, ticket_id);
}

static int event_as(struct svc *s, enum author_kind kind, const struct ticket *t, const char *field,
                    const char *old_value, const char *new_value)
{
	const char *wev = webhook_event_of(field);
	if (wev && n_pending < MAX_PENDING_EVENTS) {
		pending[n_pending].event = wev;
		pending[n_pending].from = strcmp(field, "state") == 0 ? old_value : NULL;
		n_pending++;
	}
	struct ticket_event ev = {
	        .client_id = t->client_id,
	        .ticket_id = t->id,
	        .at = s->now,
	        .actor_kind = kind,
	        .actor_id = s->actor->user_id,
	        .field = field,
	        .old_value = old_value,
	        .new_value = new_value,
	};
	return ticketdb_event_append(s->st, &ev);
}

static int event(struct svc *s, const struct ticket *t, const char *field, const char *old_value, const char *new_value)
{
	return event_as(s, actor_kind(s), t, field, old_value, new_value);
}

static const char *itoa_arena(struct arena *a, int64_t v)
{
	return arena_printf(a, "%lld", (long long)v);
}

static int check_text(struct svc *s, const char *field, const char *v, size_t max, bool required)
{
	if (!v || !*v) {
		if (required)
			return lserr_set(s->err, -EINVAL, "missing_field", field, "%s must not be empty", field);
		return 0;
	}
	if (strlen(v) > max)
		return lserr_set(s->err, -EINVAL, "invalid_field", field, "%s is longer than %zu bytes", field, max);
	return 0;
}

static int check_level(struct svc *s, const char *field, int v)
{
	if (v < 1 || v > 3)
		return lserr_set(s->err, -EINVAL, "invalid_field", field, "%s must be 1, 2 or 3 (got %d)", field, v);
	return 0;
}

static int check_tags(struct svc *s, const char *const *tags, size_t n)
{
	if (n > LS_MAX_TAGS)
		return lserr_set(s->err, -EINVAL, "invalid_field", "tags", "at most %d tags", LS_MAX_TAGS);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(tags[i]);
		if (len == 0 || len > LS_MAX_TAG_BYTES)
			return lserr_set(s->err, -EINVAL, "invalid_field", "tags", "a tag must have 1 to %d bytes",
			                 LS_MAX_TAG_BYTES);
		for (size_t k = 0; k < len; k++)
			if ((unsigned char)tags[i][k] <= ' ' || tags[i][k] == ',')
				return lserr_set(s->err, -EINVAL, "invalid_field", "tags",
				                 "tag '%s' contains a space, comma or control character", tags[i]);
	}
	return 0;
}

static int check_input_fields(struct svc *s, const struct ticket_input *in, unsigned fields)
{
	int r = 0;
	if ((fields & PATCH_TITLE) && (r = check_text(s, "title", in->title, LS_MAX_TITLE_BYTES, true)) < 0)
		return r;
	if ((fields & PATCH_DESCRIPTION) &&
	    (r = check_text(s, "description", in->description, LS_MAX_TEXT_BYTES, false)) < 0)
		return r;
	if ((fields & PATCH_IMPACT) && (r = check_level(s, "impact", in->impact)) < 0)
		return r;
	if ((fields & PATCH_URGENCY) && (r = check_level(s, "urgency", in->urgency)) < 0)
		return r;
	if ((fields & PATCH_CATEGORY) &&
	    (r = check_text(s, "category", in->category, LS_MAX_CATEGORY_BYTES, false)) < 0)
		return r;
	if ((fields & PATCH_CHANNEL) && (in->channel < 0 || in->channel >= _TICKET_CHANNEL_MAX))
		return lserr_set(s->err, -EINVAL, "invalid_field", "channel", "unknown channel");
	if ((fields & PATCH_TYPE) && ((int)in->type < 0 || in->type >= _TICKET_TYPE_MAX))
		return lserr_set(s->err, -EINVAL, "invalid_field", "type", "unknown ticket type");
	if ((fields & PATCH_REQUESTER_NAME) &&
	    (r = check_text(s, "requester.name", in->requester_name, LS_MAX_NAME_BYTES, false)) < 0)
		return r;
	if ((fields & PATCH_REQUESTER_EMAIL) &&
	    (r = persons_check_email(s, "requester.email", in->requester_email)) < 0)
		return r;
	if ((fields & PATCH_REQUESTER_PHONE) &&
	    (r = check_text(s, "requester.phone", in->requester_phone, LS_MAX_PHONE_BYTES, false)) < 0)
		return r;
	if ((fields & PATCH_TAGS) && (r = check_tags(s, in->tags, in->n_tags)) < 0)
		return r;
	return 0;
}

/* An empty optional string is stored as absent. */
static const char *opt(struct arena *a, const char *v)
{
	return v && *v ? arena_strdup(a, v) : NULL;
}

static int resolve_team(struct svc *s, const char *code, int64_t *ret_id)
{
	if (!code || !*code) {
		*ret_id = 0;
		return 0;
	}
	struct team t;
	int r = dirdb_team_by_code(s->st, s->arena, code, &t);
	if (r == -ENOENT)
		return lserr_set(s->err, -EINVAL, "invalid_field", "team", "team '%s' does not exist", code);
	if (r < 0)
		return store_error(s->st, s->err, "looking up the team");
	*ret_id = t.id;
	return 0;
}

/* The assignee must be an active agent, manager or admin who may see the client. */
static int resolve_assignee(struct svc *s, const char *email, int64_t client_id, int64_t *ret_id)
{
	if (!email || !*email) {
		*ret_id = 0;
		return 0;
	}
	struct user u;
	int r = dirdb_user_by_email(s->st, s->arena, email, &u);
	if (r == -ENOENT)
		return lserr_set(s->err, -EINVAL, "invalid_field", "assignee", "user '%s' does not exist", email);
	if (r < 0)
		return store_error(s->st, s->err, "looking up the assignee");
	if (!u.active || !(role_permissions(u.role) & PERM_TICKET_WRITE))
		return lserr_set(s->err, -EINVAL, "invalid_field", "assignee", "user '%s' cannot work on tickets",
		                 email);
	if (u.role != USER_ROLE_ADMIN) {
		int64_t *ids;
		size_t n;
		if (dirdb_user_grants(s->st, s->arena, u.id, &ids, &n) < 0)
			return store_error(s->st, s->err, "loading grants");
		struct actor a = {.user_id = u.id, .role = u.role, .client_ids = ids, .n_clients = n};
		if (!actor_sees_client(&a, client_id))
			return lserr_set(s->err, -EINVAL, "invalid_field", "assignee",
			                 "user '%s' is not granted this ticket's client", email);
	}
	*ret_id = u.id;
	return 0;
}

/* A vendor that works for the client, by code (NULL or empty: none). */
static int resolve_vendor(struct svc *s, const char *code, int64_t client_id, int64_t *ret_id, const char **ret_code)
{
	*ret_id = 0;
	*ret_code = NULL;
	if (!code || !*code)
		return 0;
	struct vendor v;
	int r = vendordb_by_code(s->st, s->arena, code, &v, NULL);
	if (r == -ENOENT)
		return lserr_set(s->err, -EINVAL, "invalid_field", "vendor", "vendor '%.40s' does not exist", code);
	if (r == 0 && (r = vendordb_works_for(s->st, v.id, client_id)) == -ENOENT)
		return lserr_set(s->err, -EINVAL, "invalid_field", "vendor",
		                 "vendor '%.40s' does not work for this ticket's client", code);
	if (r < 0)
		return store_error(s->st, s->err, "looking up the vendor");
	*ret_id = v.id;
	*ret_code = v.code;
	return 0;
}

static int not_found(struct svc *s, const char *number)
{
	return lserr_set(s->err, -ENOENT, "not_found", "number", "ticket '%.30s' does not exist", number);
}

/* Loads a ticket the actor may see. */
static int load_visible(struct svc *s, const char *number, struct ticket *ret)
{
	if (!ticket_number_valid(number))
		return not_found(s, number);
	int r = ticketdb_get_by_number(s->st, s->arena, number, ret);
	if (r == -ENOENT || (r == 0 && !actor_sees_ticket(s->actor, ret->client_id, ret->vendor_id)))
		return not_found(s, number);
	if (r < 0)
		return store_error(s->st, s->err, "loading the ticket");
	audit_note(s, ret->client_id, ret->number);
	return 0;
}

static int fail_tx(struct svc *s, int r, const char *what)
{
	/* an error already described by a rule keeps its message */
	if (!s->err || !s->err->code)
		r = store_error(s->st, s->err, what);
	store_rollback(s->st);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool streq_opt(const char *a, const char *b)
{
	if (!a || !*a)
		return !b || !*b;
	return b && strcmp(a, b) == 0;
}

int tickets_create(struct svc *s, const struct ticket_input *in, struct ticket *ret)
{
	lserr_clear(s->err);
	if (!in->client || !*in->client)
		return lserr_set(s->err, -EINVAL, "missing_field", "client", "client must be given");
	int r = check_input_fields(s, in, ~0u & ~(PATCH_IMPACT | PATCH_URGENCY | PATCH_CHANNEL));
	if (r < 0)
		return r;
	int impact = in->impact ? in->impact : 3, urgency = in->urgency ? in->urgency : 3;
	if ((r = check_level(s, "impact", impact)) < 0 || (r = check_level(s, "urgency", urgency)) < 0)
		return r;
	if (in->channel >= _TICKET_CHANNEL_MAX)
		return lserr_set(s->err, -EINVAL, "invalid_field", "channel", "unknown channel");
	struct client c;
	r = dirdb_client_by_code(s->st, s->arena, in->client, &c);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, c.id)))
		return lserr_set(s->err, -EINVAL, "invalid_field", "client", "client '%.40s' does not exist",
		                 in->client);
	if (r < 0)
		return store_error(s->st, s->err, "looking up the client");

	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	n_pending = 0;
	struct ticket t = {
	        .client_id = c.id,
	        .type = in->type,
	        .title = in->title,
	        .description = in->description ? in->description : "",
	        .category = opt(s->arena, in->category),
	        .impact = impact,
	        .urgency = urgency,
	        .priority = priority_from_matrix(c.priority_matrix, impact, urgency),
	        .state = TICKET_STATE_NEW,
	        .channel = in->channel < 0 ? TICKET_CHANNEL_WEB : (enum ticket_channel)in->channel,
	        .requester_name = opt(s->arena, in->requester_name),
	        .requester_email = opt(s->arena, in->requester_email),
	        .requester_phone = opt(s->arena, in->requester_phone),
	        .created_at = s->now,
	        .updated_at = s->now,
	};
	if ((r = resolve_team(s, in->team, &t.team_id)) < 0 ||
	    (r = resolve_assignee(s, in->assignee, c.id, &t.assignee_id)) < 0 ||
	    (r = resolve_vendor(s, in->vendor, c.id, &t.vendor_id, &t.vendor_code)) < 0)
		return fail_tx(s, r, "resolving the assignment");
	if (t.assignee_id || t.team_id)
		t.state = TICKET_STATE_ASSIGNED;
	int64_t seq;
	if ((r = ticketdb_next_seq(s->st, t.type, &seq)) < 0)
		return fail_tx(s, r, "numbering the ticket");
	ticket_number_format(t.type, seq, t.number, sizeof(t.number));
	audit_note(s, c.id, t.number);
	if ((r = persons_link(s, c.id, t.requester_name, t.requester_email, t.requester_phone, &t.person_id)) < 0)
		return fail_tx(s, r, "storing the requester");
	if ((r = ticketdb_insert(s->st, &t)) < 0 || (r = ticketdb_fts_put(s->st, t.id, t.title, t.description)) < 0 ||
	    (r = ticketdb_tags_set(s->st, t.id, in->tags, in->n_tags)) < 0 ||
	    (r = event(s, &t, "created", NULL, t.number)) < 0)
		return fail_tx(s, r, "storing the ticket");
	if (t.state != TICKET_STATE_NEW && (r = event(s, &t, "state", "new", ticket_state_to_string(t.state))) < 0)
		return fail_tx(s, r, "storing the ticket");
	if (t.team_id && (r = event(s, &t, "team", NULL, in->team)) < 0)
		return fail_tx(s, r, "storing the ticket");
	if (t.assignee_id && (r = event(s, &t, "assignee", NULL, in->assignee)) < 0)
		return fail_tx(s, r, "storing the ticket");
	if (t.vendor_id && ((r = ticketdb_set_vendor(s->st, t.id, t.vendor_id)) < 0 ||
	                    (r = event(s, &t, "vendor", NULL, t.vendor_code)) < 0))
		return fail_tx(s, r, "storing the ticket");
	t.team_code = in->team;
	t.assignee_email = in->assignee;
	bool pinned;
	if ((r = sla_record_policy(s, &t, &pinned)) < 0)
		return fail_tx(s, r, "recording the SLA policy");
	if ((r = flush_webhook_events(s, &t)) < 0)
		return fail_tx(s, r, "publishing the ticket's events");
	if ((r = store_commit(s->st)) < 0)
		return fail_tx(s, r, "committing the ticket");
	tickets_changed(t.id);
	r = ticketdb_get_by_id(s->st, s->arena, t.id, ret);
	return r < 0 ? store_error(s->st, s->err, "reloading the ticket") : 0;
}

int tickets_get(struct svc *s, const char *number, struct ticket *ret)
{
	return load_visible(s, number, ret);
}

/* Opens a write transaction and loads the ticket inside it, checking the version. */
static int begin_write(struct svc *s, const char *number, int64_t expected_version, struct ticket *t)
{
	lserr_clear(s->err);
	if (store_begin(s->st) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	n_pending = 0;
	int r = load_visible(s, number, t);
	if (r < 0) {
		store_rollback(s->st);
		return r;
	}
	if (expected_version && t->version != expected_version) {
		store_rollback(s->st);
		r = lserr_set(s->err, -LS_ESTALE, "version_mismatch", "version",
		              "ticket '%s' is at version %lld, not %lld", t->number, (long long)t->version,
		              (long long)expected_version);
		lserr_hint(s->err, "reload the ticket, reapply the change and send If-Match: \"%lld\"",
		           (long long)t->version);
		return r;
	}
	if (t->state == TICKET_STATE_CLOSED) {
		store_rollback(s->st);
		r = lserr_set(s->err, -LS_ECONFLICT, "invalid_transition", "state",
		              "ticket '%s' is closed and cannot change", t->number);
		lserr_hint(s->err, "closed is final: open a new ticket and link it to '%s'", t->number);
		return r;
	}
	return 0;
}

static int finish_write(struct svc *s, struct ticket *t, int64_t old_version, struct ticket *ret)
{
	t->updated_at = s->now;
	int r = ticketdb_update(s->st, t, old_version);
	if (r < 0)
		return fail_tx(s, r, "updating the ticket");
	if ((r = flush_webhook_events(s, t)) < 0)
		return fail_tx(s, r, "publishing the ticket's events");
	if ((r = store_commit(s->st)) < 0)
		return fail_tx(s, r, "committing the change");
	tickets_changed(t->id);
	if (!ret)
		return 0;
	r = ticketdb_get_by_id(s->st, s->arena, t->id, ret);
	return r < 0 ? store_error(s->st, s->err, "reloading the ticket") : 0;
}

/* Applies a state change with its side effects and history events. */
static int apply_state(struct svc *s, struct ticket *t, enum ticket_state to)
{
	enum ticket_state from = t->state;
	if (from == to)
		return 0;
	if (!ticket_transition_allowed(from, to)) {
		char allowed[160];
		ticket_transitions_describe(from, allowed, sizeof(allowed));
		lserr_set(s->err, -LS_ECONFLICT, "invalid_transition", "state", "ticket '%s' cannot go from %s to %s",
		          t->number, ticket_state_to_string(from), ticket_state_to_string(to));
		lserr_hint(s->err, "from %s it may go to: %s", ticket_state_to_string(from), allowed);
		return -LS_ECONFLICT;
	}
	if (to == TICKET_STATE_ASSIGNED && !t->team_id && !t->assignee_id) {
		lserr_set(s->err, -LS_ECONFLICT, "invalid_transition", "state",
		          "ticket '%s' has neither team nor assignee and cannot be assigned", t->number);
		lserr_hint(s->err, "set team or assignee first");
		return -LS_ECONFLICT;
	}
	int r = event(s, t, "state", ticket_state_to_string(from), ticket_state_to_string(to));
	if (r < 0)
		return r;
	if (ticket_transition_is_reopen(from, to)) {
		t->reopen_count++;
		t->resolved_at = 0;
		if ((r = event(s, t, "reopened", NULL, itoa_arena(s->arena, t->reopen_count))) < 0)
			return r;
	}
	if (to == TICKET_STATE_RESOLVED)
		t->resolved_at = s->now;
	if (to == TICKET_STATE_CLOSED)
		t->closed_at = s->now;
	t->state = to;
	return 0;
}

int tickets_update(struct svc *s, const char *number, int64_t expected_version, const struct ticket_patch *p,
                   struct ticket *ret)
{
	int r = check_input_fields(s, &p->v, p->fields);
	if (r < 0)
		return r;
	struct ticket t;
	if ((r = begin_write(s, number, expected_version, &t)) < 0)
		return r;
	int64_t old_version = t.version;
	const struct ticket_input *v = &p->v;
	bool fts = false;
	struct arena *a = s->arena;

#define CHANGE_STR(flag, field, name)                                                                                  \
	if ((p->fields & flag) && !streq_opt(t.field, v->field)) {                                                     \
		if ((r = event(s, &t, name, t.field, opt(a, v->field))) < 0)                                           \
			return fail_tx(s, r, "recording history");                                                     \
		t.field = opt(a, v->field);                                                                            \
	}
	if ((p->fields & PATCH_TITLE) && strcmp(t.title, v->title) != 0) {
		if ((r = event(s, &t, "title", t.title, v->title)) < 0)
			return fail_tx(s, r, "recording history");
		t.title = arena_strdup(a, v->title);
		fts = true;
	}
	if ((p->fields & PATCH_DESCRIPTION) && !streq_opt(t.description, v->description)) {
		/* descriptions can be long: the history notes the change, not the text */
		if ((r = event(s, &t, "description", NULL, NULL)) < 0)
			return fail_tx(s, r, "recording history");
		t.description = v->description ? arena_strdup(a, v->description) : "";
		fts = true;
	}
	CHANGE_STR(PATCH_CATEGORY, category, "category")
#undef CHANGE_STR
	if (p->fields & (PATCH_REQUESTER_NAME | PATCH_REQUESTER_EMAIL | PATCH_REQUESTER_PHONE)) {
		/* the requester is a person record: the history names persons by pseudonym
		 * and changed fields without their values, never personal data */
		const char *nn = (p->fields & PATCH_REQUESTER_NAME) ? opt(a, v->requester_name) : t.requester_name;
		const char *ne = (p->fields & PATCH_REQUESTER_EMAIL) ? opt(a, v->requester_email) : t.requester_email;
		const char *np = (p->fields & PATCH_REQUESTER_PHONE) ? opt(a, v->requester_phone) : t.requester_phone;
		if (!streq_opt(t.requester_name, nn) || !streq_opt(t.requester_email, ne) ||
		    !streq_opt(t.requester_phone, np)) {
			int64_t pid;
			bool moved;
			if ((r = persons_requester_change(s, &t, nn, ne, np, &pid, &moved)) < 0)
				return fail_tx(s, r, "storing the requester");
			if (moved) {
				struct person np_;
				const char *to = NULL;
				if (pid && persondb_get(s->st, a, pid, &np_, NULL) == 0)
					to = arena_strdup(a, np_.pseudonym);
				if ((r = event(s, &t, "requester", t.person_pseudonym[0] ? t.person_pseudonym : NULL,
				               to)) < 0)
					return fail_tx(s, r, "recording history");
				t.person_id = pid;
			} else {
				if ((!streq_opt(t.requester_name, nn) &&
				     (r = event(s, &t, "requester.name", NULL, NULL)) < 0) ||
				    (!streq_opt(t.requester_email, ne) &&
				     (r = event(s, &t, "requester.email", NULL, NULL)) < 0) ||
				    (!streq_opt(t.requester_phone, np) &&
				     (r = event(s, &t, "requester.phone", NULL, NULL)) < 0))
					return fail_tx(s, r, "recording history");
			}
			t.requester_name = nn;
			t.requester_email = ne;
			t.requester_phone = np;
		}
	}
	if ((p->fields & PATCH_TYPE) && v->type != t.type) {
		lserr_set(s->err, -EINVAL, "invalid_field", "type", "the type of ticket '%s' cannot change", t.number);
		lserr_hint(s->err, "create a new ticket of the right type and link it");
		return fail_tx(s, -EINVAL, "");
	}
	if ((p->fields & PATCH_CHANNEL) && (enum ticket_channel)v->channel != t.channel) {
		if ((r = event(s, &t, "channel", ticket_channel_to_string(t.channel),
		               ticket_channel_to_string((enum ticket_channel)v->channel))) < 0)
			return fail_tx(s, r, "recording history");
		t.channel = (enum ticket_channel)v->channel;
	}
	int impact = (p->fields & PATCH_IMPACT) ? v->impact : t.impact;
	int urgency = (p->fields & PATCH_URGENCY) ? v->urgency : t.urgency;
	if (impact != t.impact) {
		if ((r = event(s, &t, "impact", itoa_arena(a, t.impact), itoa_arena(a, impact))) < 0)
			return fail_tx(s, r, "recording history");
		t.impact = impact;
	}
	if (urgency != t.urgency) {
		if ((r = event(s, &t, "urgency", itoa_arena(a, t.urgency), itoa_arena(a, urgency))) < 0)
			return fail_tx(s, r, "recording history");
		t.urgency = urgency;
	}
	struct client c;
	if ((r = dirdb_client_by_id(s->st, a, t.client_id, &c)) < 0)
		return fail_tx(s, r, "loading the client");
	int prio = priority_from_matrix(c.priority_matrix, t.impact, t.urgency);
	if (prio != t.priority) {
		if ((r = event(s, &t, "priority", itoa_arena(a, t.priority), itoa_arena(a, prio))) < 0)
			return fail_tx(s, r, "recording history");
		t.priority = prio;
		bool repinned;
		if ((r = sla_record_policy(s, &t, &repinned)) < 0)
			return fail_tx(s, r, "recording the SLA policy");
	}
	if (p->fields & PATCH_TEAM) {
		int64_t team_id = 0;
		if ((r = resolve_team(s, v->team, &team_id)) < 0)
			return fail_tx(s, r, "");
		if (team_id != t.team_id) {
			if ((r = event(s, &t, "team", t.team_code, opt(a, v->team))) < 0)
				return fail_tx(s, r, "recording history");
			t.team_id = team_id;
		}
	}
	if (p->fields & PATCH_ASSIGNEE) {
		int64_t uid = 0;
		if ((r = resolve_assignee(s, v->assignee, t.client_id, &uid)) < 0)
			return fail_tx(s, r, "");
		if (uid != t.assignee_id) {
			if ((r = event(s, &t, "assignee", t.assignee_email, opt(a, v->assignee))) < 0)
				return fail_tx(s, r, "recording history");
			t.assignee_id = uid;
		}
	}
	if (p->fields & PATCH_VENDOR) {
		int64_t vid;
		const char *vcode;
		if (s->actor->vendor_id) {
			lserr_set(s->err, -EINVAL, "invalid_field", "vendor",
			          "a vendor_agent cannot reassign the vendor");
			return fail_tx(s, -EINVAL, "");
		}
		if ((r = resolve_vendor(s, v->vendor, t.client_id, &vid, &vcode)) < 0)
			return fail_tx(s, r, "");
		if (vid != t.vendor_id) {
			if ((r = event(s, &t, "vendor", t.vendor_code, vcode)) < 0 ||
			    (r = ticketdb_set_vendor(s->st, t.id, vid)) < 0)
				return fail_tx(s, r, "recording history");
			t.vendor_id = vid;
		}
	}
	if (t.state == TICKET_STATE_NEW && (t.assignee_id || t.team_id) &&
	    (r = apply_state(s, &t, TICKET_STATE_ASSIGNED)) < 0)
		return fail_tx(s, r, "recording history");
	if (t.state == TICKET_STATE_ASSIGNED && !t.assignee_id && !t.team_id &&
	    (r = apply_state(s, &t, TICKET_STATE_NEW)) < 0)
		return fail_tx(s, r, "recording history");
	if (p->fields & PATCH_TAGS) {
		if ((r = ticketdb_tags_set(s->st, t.id, v->tags, v->n_tags)) < 0)
			return fail_tx(s, r, "storing tags");
		/* compare with the stored set as it loads: sorted, without duplicates */
		const char **sorted = arena_alloc(a, (v->n_tags + 1) * sizeof(*sorted));
		for (size_t i = 0; i < v->n_tags; i++)
			sorted[i] = v->tags[i];
		qsort(sorted, v->n_tags, sizeof(*sorted), cmp_str);
		struct strbuf sb = STRBUF_INIT_MAX(LS_MAX_TAGS * (LS_MAX_TAG_BYTES + 1));
		for (size_t i = 0; i < v->n_tags; i++)
			if (i == 0 || strcmp(sorted[i], sorted[i - 1]) != 0)
				strbuf_addf(&sb, "%s%s", sb.len ? "," : "", sorted[i]);
		struct strbuf old = STRBUF_INIT_MAX(LS_MAX_TAGS * (LS_MAX_TAG_BYTES + 1));
		for (size_t i = 0; i < t.n_tags; i++)
			strbuf_addf(&old, "%s%s", i ? "," : "", t.tags[i]);
		if (strcmp(old.buf, sb.buf) != 0)
			r = event(s, &t, "tags", old.buf, sb.buf);
		strbuf_release(&sb);
		strbuf_release(&old);
		if (r < 0)
			return fail_tx(s, r, "recording history");
	}
	if (fts && (r = ticketdb_fts_put(s->st, t.id, t.title, t.description)) < 0)
		return fail_tx(s, r, "indexing the ticket");
	return finish_write(s, &t, old_version, ret);
}

int tickets_transition(struct svc *s, const char *number, int64_t expected_version, enum ticket_state to,
                       struct ticket *ret)
{
	if ((int)to < 0 || to >= _TICKET_STATE_MAX)
		return lserr_set(s->err, -EINVAL, "invalid_field", "state", "unknown state");
	struct ticket t;
	int r = begin_write(s, number, expected_version, &t);
	if (r < 0)
		return r;
	int64_t old_version = t.version;
	if (t.state == to) {
		store_rollback(s->st);
		char allowed[160];
		ticket_transitions_describe(t.state, allowed, sizeof(allowed));
		r = lserr_set(s->err, -LS_ECONFLICT, "invalid_transition", "state", "ticket '%s' is %s already",
		              t.number, ticket_state_to_string(to));
		lserr_hint(s->err, "from %s it may go to: %s", ticket_state_to_string(t.state), allowed);
		return r;
	}
	if ((r = apply_state(s, &t, to)) < 0)
		return fail_tx(s, r, "recording history");
	return finish_write(s, &t, old_version, ret);
}

int tickets_add_message(struct svc *s, const char *number, const struct message_input *in,
                        struct ticket_message *ret_msg, struct ticket *ret_ticket)
{
	int r = check_text(s, "body", in->body, LS_MAX_TEXT_BYTES, true);
	if (r < 0)
		return r;
	if ((int)in->kind < 0 || in->kind >= _MESSAGE_KIND_MAX)
		return lserr_set(s->err, -EINVAL, "invalid_field", "kind", "unknown message kind");
	if ((int)in->author_kind < 0 || in->author_kind >= _AUTHOR_KIND_MAX)
		return lserr_set(s->err, -EINVAL, "invalid_field", "author_kind", "unknown author kind");
	if (in->kind == MESSAGE_KIND_NOTE && in->author_kind == AUTHOR_KIND_CUSTOMER)
		return lserr_set(s->err, -EINVAL, "invalid_field", "author_kind",
		                 "an internal note cannot come from the customer");
	if ((r = check_text(s, "author_name", in->author_name, LS_MAX_NAME_BYTES, false)) < 0)
		return r;
	struct ticket t;
	if ((r = begin_write(s, number, 0, &t)) < 0)
		return r;
	int64_t old_version = t.version;
	struct ticket_message m = {
	        .client_id = t.client_id,
	        .ticket_id = t.id,
	        .kind = in->kind,
	        .author_kind = in->author_kind,
	        .author_user_id = in->author_kind == AUTHOR_KIND_AGENT ? s->actor->user_id : 0,
	        .author_name = opt(s->arena, in->author_name),
	        .body = in->body,
	        .created_at = s->now,
	};
	if (!m.author_name && in->author_kind == AUTHOR_KIND_AGENT)
		m.author_name = s->actor->email;
	bool sealed = ticketdb_client_seals_messages(s->st, t.client_id);
	if ((r = ticketdb_message_insert(s->st, &m, sealed)) < 0)
		return fail_tx(s, r, "storing the message");
	const char *field = in->kind == MESSAGE_KIND_NOTE             ? "note"
	                    : in->author_kind == AUTHOR_KIND_CUSTOMER ? "customer_reply"
	                                                              : "reply";
	if ((r = event_as(s, in->author_kind == AUTHOR_KIND_CUSTOMER ? AUTHOR_KIND_CUSTOMER : actor_kind(s), &t, field,
	                  NULL, itoa_arena(s->arena, m.id))) < 0)
		return fail_tx(s, r, "recording history");
	if (in->kind == MESSAGE_KIND_REPLY) {
		/* a sealed reply stays out of the full-text index (docs/privacy.md) */
		if (!sealed && (r = ticketdb_fts_add_reply(s->st, t.id, in->body)) < 0)
			return fail_tx(s, r, "indexing the reply");
		if (in->author_kind == AUTHOR_KIND_AGENT && !t.first_response_at) {
			t.first_response_at = s->now;
			if ((r = event(s, &t, "first_response", NULL, NULL)) < 0)
				return fail_tx(s, r, "recording history");
		}
		if (in->author_kind == AUTHOR_KIND_CUSTOMER && t.state == TICKET_STATE_PENDING_CUSTOMER &&
		    (r = apply_state(s, &t, TICKET_STATE_IN_PROGRESS)) < 0)
			return fail_tx(s, r, "resuming the ticket");
	}
	if ((r = finish_write(s, &t, old_version, ret_ticket)) < 0)
		return r;
	if (ret_msg) {
		m.body = arena_strdup(s->arena, in->body);
		*ret_msg = m;
	}
	return 0;
}

int tickets_add_effort(struct svc *s, const char *number, int minutes, const char *note, ls_time worked_at,
                       struct ticket_effort *ret)
{
	if (minutes < 1 || minutes > LS_MAX_EFFORT_MINUTES)
		return lserr_set(s->err, -EINVAL, "invalid_field", "minutes", "minutes must be 1 to %d (got %d)",
		                 LS_MAX_EFFORT_MINUTES, minutes);
	int r = check_text(s, "note", note, LS_MAX_TEXT_BYTES, false);
	if (r < 0)
		return r;
	if (worked_at > s->now + 86400)
		return lserr_set(s->err, -EINVAL, "invalid_field", "worked_at", "worked_at lies in the future");
	struct ticket t;
	if ((r = begin_write(s, number, 0, &t)) < 0)
		return r;
	int64_t old_version = t.version;
	struct ticket_effort e = {
	        .client_id = t.client_id,
	        .ticket_id = t.id,
	        .user_id = s->actor->user_id,
	        .user_email = s->actor->email,
	        .minutes = minutes,
	        .note = note ? arena_strdup(s->arena, note) : "",
	        .worked_at = worked_at ? worked_at : s->now,
	        .created_at = s->now,
	};
	if ((r = ticketdb_effort_insert(s->st, &e)) < 0)
		return fail_tx(s, r, "storing the effort");
	if ((r = event(s, &t, "effort", NULL, itoa_arena(s->arena, minutes))) < 0)
		return fail_tx(s, r, "recording history");
	if ((r = finish_write(s, &t, old_version, NULL)) < 0)
		return r;
	if (ret)
		*ret = e;
	return 0;
}

int tickets_add_link(struct svc *s, const char *number, enum link_kind kind, const char *target_number,
                     struct ticket *ret)
{
	if ((int)kind < 0 || kind >= _LINK_KIND_MAX)
		return lserr_set(s->err, -EINVAL, "invalid_field", "kind",
		                 "link kind must be child_of, caused_by or duplicate_of");
	struct ticket t, target;
	int r = begin_write(s, number, 0, &t);
	if (r < 0)
		return r;
	int64_t old_version = t.version;
	r = load_visible(s, target_number, &target);
	if (r < 0 || target.client_id != t.client_id) {
		store_rollback(s->st);
		return lserr_set(s->err, -EINVAL, "invalid_field", "target",
		                 "ticket '%.30s' does not exist for this client", target_number);
	}
	if (target.id == t.id) {
		store_rollback(s->st);
		return lserr_set(s->err, -EINVAL, "invalid_field", "target", "a ticket cannot link to itself");
	}
	if (kind == LINK_KIND_CAUSED_BY && target.type != TICKET_TYPE_PROBLEM) {
		store_rollback(s->st);
		return lserr_set(s->err, -EINVAL, "invalid_field", "target",
		                 "caused_by must point at a problem; '%s' is a %s", target.number,
		                 ticket_type_to_string(target.type));
	}
	r = ticketdb_link_insert(s->st, t.client_id, t.id, kind, target.id, s->now);
	if (r == -LS_ECONFLICT) {
		store_rollback(s->st);
		return lserr_set(s->err, r, "conflict", "target", "ticket '%s' is %s '%s' already", t.number,
		                 link_kind_to_string(kind), target.number);
	}
	if (r < 0)
		return fail_tx(s, r, "storing the link");
	if ((r = event(s, &t, "link", NULL,
	               arena_printf(s->arena, "%s %s", link_kind_to_string(kind), target.number))) < 0)
		return fail_tx(s, r, "recording history");
	return finish_write(s, &t, old_version, ret);
}

int tickets_history(struct svc *s, const char *number, struct ticket_event **ret, size_t *ret_n)
{
	struct ticket t;
	int r = load_visible(s, number, &t);
	if (r < 0)
		return r;
	r = ticketdb_events(s->st, s->arena, t.client_id, t.id, ret, ret_n);
	if (r < 0)
		return store_error(s->st, s->err, "loading the history");
	if (s->actor->role == USER_ROLE_CLIENT_VIEWER) {
		/* internal work is not the client's to see: notes and effort entries */
		size_t k = 0;
		for (size_t i = 0; i < *ret_n; i++)
			if (strcmp((*ret)[i].field, "note") != 0 && strcmp((*ret)[i].field, "effort") != 0)
				(*ret)[k++] = (*ret)[i];
		*ret_n = k;
	}
	return 0;
}

int tickets_messages(struct svc *s, const char *number, struct ticket_message **ret, size_t *ret_n)
{
	struct ticket t;
	int r = load_visible(s, number, &t);
	if (r < 0)
		return r;
	bool notes = s->actor->role != USER_ROLE_CLIENT_VIEWER;
	r = ticketdb_messages(s->st, s->arena, t.client_id, t.id, notes, ret, ret_n);
	return r < 0 ? store_error(s->st, s->err, "loading messages") : 0;
}

int tickets_efforts(struct svc *s, const char *number, struct ticket_effort **ret, size_t *ret_n)
{
	struct ticket t;
	int r = load_visible(s, number, &t);
	if (r < 0)
		return r;
	r = ticketdb_efforts(s->st, s->arena, t.client_id, t.id, ret, ret_n);
	return r < 0 ? store_error(s->st, s->err, "loading effort") : 0;
}

int tickets_links(struct svc *s, const char *number, struct ticket_link **ret, size_t *ret_n)
{
	struct ticket t;
	int r = load_visible(s, number, &t);
	if (r < 0)
		return r;
	r = ticketdb_links(s->st, s->arena, t.client_id, t.id, ret, ret_n);
	if (r < 0)
		return store_error(s->st, s->err, "loading links");
	/* a vendor_agent sees the linked tickets' numbers, not their titles: they may
	 * not be assigned to its vendor */
	for (size_t i = 0; s->actor->vendor_id && i < *ret_n; i++)
		(*ret)[i].other_title = NULL;
	return 0;
}

const char *tickets_fts_expression(struct arena *a, const char *q)
{
	struct strbuf sb = STRBUF_INIT_MAX(LS_MAX_SEARCH_BYTES * 3);
	unsigned terms = 0;
	const char *p = q;
	while (*p && terms < LS_MAX_SEARCH_TERMS) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		bool prefix = p > start && p[-1] == '*';
		char word[LS_MAX_SEARCH_BYTES + 1];
		size_t wn = 0;
		bool alnum = false; /* '_', '@', '.' and '-' alone are separators to the tokenizer */
		for (const char *c = start; c < p && wn < LS_MAX_SEARCH_BYTES; c++) {
			unsigned char ch = (unsigned char)*c;
			/* keep letters, digits and all non-ASCII bytes (UTF-8 letters) */
			bool letter = ch >= 0x80 || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
			              (ch >= 'A' && ch <= 'Z');
			alnum |= letter;
			if (letter || ch == '_' || ch == '@' || ch == '.' || ch == '-')
				word[wn++] = (char)ch;
		}
		word[wn] = '\0';
		if (!alnum)
			continue;
		strbuf_addf(&sb, "%s\"%s\"%s", terms ? " " : "", word, prefix ? "*" : "");
		terms++;
	}
	const char *out = terms && strbuf_ok(&sb) ? arena_strdup(a, sb.buf) : NULL;
	strbuf_release(&sb);
	return out;
}

int tickets_list(struct svc *s, const struct ticket_query *q, struct ticket **ret, size_t *ret_n, bool *ret_more)
{
	struct ticket_filter f = {
	        .state = q->state,
	        .type = q->type,
	        .priority = q->priority,
	        .has_updated_since = q->has_updated_since,
	        .updated_since = q->updated_since,
	        .has_after = q->has_after,
	        .after_updated_at = q->after_updated_at,
	        .after_id = q->after_id,
	        .limit = q->limit + 1,
	};
	int r;
	if (q->limit < 1 || q->limit > LS_MAX_PAGE_SIZE)
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "limit", "limit must be 1 to %d",
		                 LS_MAX_PAGE_SIZE);
	if (q->client) {
		struct client c;
		r = dirdb_client_by_code(s->st, s->arena, q->client, &c);
		/* a vendor_agent may narrow its vendor's tickets to one of the vendor's clients */
		bool vendors_client =
		        r == 0 && s->actor->vendor_id && vendordb_works_for(s->st, s->actor->vendor_id, c.id) == 0;
		if (!vendors_client && (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, c.id))))
			return lserr_set(s->err, -EINVAL, "invalid_parameter", "client",
			                 "client '%.40s' does not exist", q->client);
		if (r < 0)
			return store_error(s->st, s->err, "looking up the client");
		f.client_id = c.id;
	}
	if (s->actor->vendor_id)
		f.vendor_id = s->actor->vendor_id;
	else if (!s->actor->all_clients)
		f.visible_to_user = s->actor->user_id;
	if (q->team) {
		struct team t;
		r = dirdb_team_by_code(s->st, s->arena, q->team, &t);
		if (r == -ENOENT)
			return lserr_set(s->err, -EINVAL, "invalid_parameter", "team", "team '%.40s' does not exist",
			                 q->team);
		if (r < 0)
			return store_error(s->st, s->err, "looking up the team");
		f.team_id = t.id;
	}
	if (q->assignee) {
		struct user u;
		r = dirdb_user_by_email(s->st, s->arena, q->assignee, &u);
		if (r == -ENOENT)
			return lserr_set(s->err, -EINVAL, "invalid_parameter", "assignee",
			                 "user '%.60s' does not exist", q->assignee);
		if (r < 0)
			return store_error(s->st, s->err, "looking up the assignee");
		f.assignee_id = u.id;
	}
	if (q->requester) {
		/* exact email lookup through the keyed hash: one person per client at most */
		struct person *ps;
		size_t np;
		if (strlen(q->requester) > LS_MAX_EMAIL_BYTES)
			return lserr_set(s->err, -EINVAL, "invalid_parameter", "requester",
			                 "the email address is too long");
		if ((r = persons_find(s, q->client, q->requester, &ps, &np)) < 0) {
			if (s->err->field[0] && strcmp(s->err->field, "client") != 0)
				snprintf(s->err->field, sizeof(s->err->field), "requester");
			return r;
		}
		struct strbuf ids = STRBUF_INIT_MAX(4096);
		strbuf_addch(&ids, '[');
		for (size_t i = 0; i < np; i++)
			strbuf_addf(&ids, "%s%lld", i ? "," : "", (long long)ps[i].id);
		strbuf_addch(&ids, ']');
		f.person_ids = arena_strdup(s->arena, ids.buf);
		strbuf_release(&ids);
	}
	if (q->q) {
		if (strlen(q->q) > LS_MAX_SEARCH_BYTES)
			return lserr_set(s->err, -EINVAL, "invalid_parameter", "q",
			                 "search text is longer than %d bytes", LS_MAX_SEARCH_BYTES);
		f.fts_query = tickets_fts_expression(s->arena, q->q);
		if (!f.fts_query)
			return lserr_set(s->err, -EINVAL, "invalid_parameter", "q",
			                 "search text has no searchable word");
	}
	struct ticket *v;
	size_t n;
	r = ticketdb_list(s->st, s->arena, &f, &v, &n);
	if (r < 0)
		return store_error(s->st, s->err, "listing tickets");
	*ret_more = n > q->limit;
	*ret = v;
	*ret_n = n > q->limit ? q->limit : n;
	for (size_t i = 0; i < *ret_n; i++)
		audit_note(s, v[i].client_id, v[i].number);
	return 0;
}
