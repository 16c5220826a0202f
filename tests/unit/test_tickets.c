/* Tests for service/tickets.c, the ticket use cases, against a fresh database
 * with an injected clock: creation (numbering, priority from the client's matrix,
 * validation naming the field), updates (optimistic versions, one history event
 * per changed field, automatic assigned/new), the state machine (hints, reopen,
 * resolved_at/closed_at, closed is final), replies and notes (first response,
 * customer reply resuming work), effort limits, links, tenant isolation
 * (invisible tickets behave exactly like missing ones), listing with keyset
 * pagination and full-text search including tickets_fts_expression(). */
#include "helpers.h"

#include <sqlite3.h>

#include "core/limits.h"
#include "service/tickets.h"

/* Two clients, a team, agents and a client viewer; rebuilt for every test. */
static struct {
	int64_t acme, globex, team;
	int64_t anna, bert, vera;
	const struct actor *anna_a; /* agent granted ACME */
	const struct actor *bert_a; /* agent granted ACME and GLOBEX */
	const struct actor *vera_a; /* client viewer of ACME */
} W;

static int setup(void **state)
{
	fixture_setup(state);
	struct fixture *f = *state;
	W.acme = fx_client(f, "ACME", NULL);
	W.globex = fx_client(f, "GLOBEX", NULL);
	W.team = fx_team(f, "L1");
	W.anna = fx_user(f, "anna@example.com", USER_ROLE_AGENT, "ACME");
	W.bert = fx_user(f, "bert@example.com", USER_ROLE_AGENT, "ACME", "GLOBEX");
	W.vera = fx_user(f, "vera@acme.example", USER_ROLE_CLIENT_VIEWER, "ACME");
	W.anna_a = fx_actor(f, W.anna);
	W.bert_a = fx_actor(f, W.bert);
	W.vera_a = fx_actor(f, W.vera);
	return 0;
}

static struct ticket_input input(const char *client, enum ticket_type type, const char *title)
{
	return (struct ticket_input){.client = client, .type = type, .title = title, .channel = -1};
}

static struct ticket create(struct fixture *f, const char *client, enum ticket_type type, const char *title)
{
	struct ticket_input in = input(client, type, title);
	struct ticket t;
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	return t;
}

static struct ticket move(struct fixture *f, const char *number, enum ticket_state to)
{
	struct ticket t;
	assert_ok(f, tickets_transition(&f->svc, number, 0, to, &t));
	assert_int_equal(t.state, to);
	return t;
}

static struct ticket get(struct fixture *f, const char *number)
{
	const struct actor *saved = f->svc.actor;
	f->svc.actor = &actor_system;
	struct ticket t;
	assert_ok(f, tickets_get(&f->svc, number, &t));
	f->svc.actor = saved;
	return t;
}

static struct ticket patch(struct fixture *f, const char *number, const struct ticket_patch *p)
{
	struct ticket t;
	assert_ok(f, tickets_update(&f->svc, number, 0, p, &t));
	return t;
}

static struct ticket_event *history(struct fixture *f, const char *number, size_t *ret_n)
{
	const struct actor *saved = f->svc.actor;
	f->svc.actor = &actor_system;
	struct ticket_event *ev;
	assert_ok(f, tickets_history(&f->svc, number, &ev, ret_n));
	f->svc.actor = saved;
	return ev;
}

/* The history's field names, space-separated, oldest first. */
static const char *fields(struct fixture *f, const char *number)
{
	size_t n;
	struct ticket_event *ev = history(f, number, &n);
	const char *s = "";
	for (size_t i = 0; i < n; i++)
		s = arena_printf(&f->arena, "%s%s%s", s, i ? " " : "", ev[i].field);
	return s;
}

/* The newest event of a field, or NULL. */
static const struct ticket_event *last_event(struct fixture *f, const char *number, const char *field)
{
	size_t n;
	struct ticket_event *ev = history(f, number, &n);
	for (size_t i = n; i-- > 0;)
		if (strcmp(ev[i].field, field) == 0)
			return &ev[i];
	return NULL;
}

static int count_events(struct fixture *f, const char *number, const char *field)
{
	size_t n;
	struct ticket_event *ev = history(f, number, &n);
	int c = 0;
	for (size_t i = 0; i < n; i++)
		c += strcmp(ev[i].field, field) == 0;
	return c;
}

static void assert_opt_equal(const char *got, const char *want)
{
	if (!want)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
}

static void assert_event(const struct ticket_event *e, const char *old_value, const char *new_value)
{
	assert_non_null(e);
	assert_opt_equal(e->old_value, old_value);
	assert_opt_equal(e->new_value, new_value);
}

static char *repeat(struct fixture *f, char c, size_t n)
{
	char *s = arena_alloc(&f->arena, n + 1);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static size_t list_count(struct fixture *f, const struct ticket_query *q)
{
	struct ticket *v;
	size_t n;
	bool more;
	assert_ok(f, tickets_list(&f->svc, q, &v, &n, &more));
	return n;
}

static struct ticket_query query(unsigned limit)
{
	return (struct ticket_query){.state = -1, .type = -1, .limit = limit};
}

static struct message_input reply_in(const char *body)
{
	return (struct message_input){.kind = MESSAGE_KIND_REPLY, .author_kind = AUTHOR_KIND_AGENT, .body = body};
}

/* ---- create ---- */

static void test_create_numbers_tickets_per_type_across_clients(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(create(f, "ACME", TICKET_TYPE_INCIDENT, "a").number, "INC0000001");
	assert_string_equal(create(f, "GLOBEX", TICKET_TYPE_INCIDENT, "b").number, "INC0000002");
	assert_string_equal(create(f, "ACME", TICKET_TYPE_PROBLEM, "c").number, "PRB0000001");
	assert_string_equal(create(f, "ACME", TICKET_TYPE_SERVICE_REQUEST, "d").number, "REQ0000001");
	assert_string_equal(create(f, "GLOBEX", TICKET_TYPE_COMPLAINT, "e").number, "CMP0000001");
	assert_string_equal(create(f, "ACME", TICKET_TYPE_INCIDENT, "f").number, "INC0000003");
}

static void test_create_derives_priority_from_the_default_matrix(void **state)
{
	struct fixture *f = *state;
	for (int impact = 1; impact <= 3; impact++)
		for (int urgency = 1; urgency <= 3; urgency++) {
			struct ticket_input in = input("ACME", TICKET_TYPE_INCIDENT, "p");
			in.impact = impact;
			in.urgency = urgency;
			struct ticket t;
			assert_ok(f, tickets_create(&f->svc, &in, &t));
			assert_int_equal(t.impact, impact);
			assert_int_equal(t.urgency, urgency);
			assert_int_equal(t.priority, impact + urgency - 1);
		}
	/* impact and urgency default to 3 (low): priority 5 */
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "defaults");
	assert_int_equal(t.impact, 3);
	assert_int_equal(t.urgency, 3);
	assert_int_equal(t.priority, 5);
}

static void test_create_uses_the_clients_own_matrix(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "CUST", "112223345");
	static const int want[3][3] = {{1, 1, 2}, {2, 2, 3}, {3, 4, 5}};
	for (int impact = 1; impact <= 3; impact++)
		for (int urgency = 1; urgency <= 3; urgency++) {
			struct ticket_input in = input("CUST", TICKET_TYPE_INCIDENT, "p");
			in.impact = impact;
			in.urgency = urgency;
			struct ticket t;
			assert_ok(f, tickets_create(&f->svc, &in, &t));
			assert_int_equal(t.priority, want[impact - 1][urgency - 1]);
		}
}

static void test_create_fills_defaults_and_timestamps(void **state)
{
	struct fixture *f = *state;
	f->svc.now = TEST_T0 + 42;
	const char *tags[] = {"vpn", "homeoffice"};
	struct ticket_input in = input("ACME", TICKET_TYPE_INCIDENT, "VPN drops");
	in.category = "";
	in.requester_name = "Kim";
	in.requester_email = "kim@acme.example";
	in.requester_phone = "";
	in.tags = tags;
	in.n_tags = 2;
	struct ticket t;
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	assert_int_equal(t.state, TICKET_STATE_NEW);
	assert_int_equal(t.channel, TICKET_CHANNEL_WEB);
	assert_int_equal(t.version, 1);
	assert_int_equal(t.reopen_count, 0);
	assert_true(t.created_at == TEST_T0 + 42 && t.updated_at == TEST_T0 + 42);
	assert_true(t.first_response_at == 0 && t.resolved_at == 0 && t.closed_at == 0);
	assert_string_equal(t.client_code, "ACME");
	assert_true(t.client_id == W.acme);
	assert_string_equal(t.description, "");
	assert_null(t.category); /* empty optional strings are stored as absent */
	assert_null(t.requester_phone);
	assert_string_equal(t.requester_name, "Kim");
	assert_string_equal(t.requester_email, "kim@acme.example");
	assert_int_equal(t.n_tags, 2);
	assert_string_equal(t.tags[0], "homeoffice");
	assert_string_equal(t.tags[1], "vpn");
	in.channel = TICKET_CHANNEL_PHONE;
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	assert_int_equal(t.channel, TICKET_CHANNEL_PHONE);
}

static void test_create_records_who_created_the_ticket(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "by system");
	size_t n;
	struct ticket_event *ev = history(f, t.number, &n);
	assert_int_equal(n, 1);
	assert_string_equal(ev[0].field, "created");
	assert_null(ev[0].old_value);
	assert_string_equal(ev[0].new_value, "INC0000001");
	assert_int_equal(ev[0].actor_kind, AUTHOR_KIND_SYSTEM);
	assert_true(ev[0].actor_id == 0);
	assert_true(ev[0].at == TEST_T0);
	f->svc.actor = W.anna_a;
	t = create(f, "ACME", TICKET_TYPE_INCIDENT, "by anna");
	ev = history(f, t.number, &n);
	assert_int_equal(ev[0].actor_kind, AUTHOR_KIND_AGENT);
	assert_true(ev[0].actor_id == W.anna);
	assert_string_equal(ev[0].actor_email, "anna@example.com");
}

static void test_create_with_assignee_starts_assigned(void **state)
{
	struct fixture *f = *state;
	struct ticket_input in = input("ACME", TICKET_TYPE_INCIDENT, "assigned at once");
	in.assignee = "anna@example.com";
	struct ticket t;
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	assert_int_equal(t.state, TICKET_STATE_ASSIGNED);
	assert_true(t.assignee_id == W.anna);
	assert_string_equal(t.assignee_email, "anna@example.com");
	assert_string_equal(fields(f, t.number), "created state assignee");
	assert_event(last_event(f, t.number, "state"), "new", "assigned");
	assert_event(last_event(f, t.number, "assignee"), NULL, "anna@example.com");
}

static void test_create_with_team_only_starts_assigned(void **state)
{
	struct fixture *f = *state;
	struct ticket_input in = input("ACME", TICKET_TYPE_INCIDENT, "for the desk");
	in.team = "L1";
	struct ticket t;
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	assert_int_equal(t.state, TICKET_STATE_ASSIGNED);
	assert_string_equal(t.team_code, "L1");
	assert_true(t.assignee_id == 0);
	assert_string_equal(fields(f, t.number), "created state team");
}

#define EXPECT_CREATE_FAILS(f, code_, field_, ...)                                                                     \
	do {                                                                                                           \
		struct ticket_input in = input("ACME", TICKET_TYPE_INCIDENT, "Title");                                 \
		__VA_ARGS__;                                                                                           \
		struct ticket t_ = {.id = -1};                                                                         \
		assert_svc_error(f, tickets_create(&f->svc, &in, &t_), -EINVAL, code_, field_);                        \
		assert_true(t_.id == -1);                                                                              \
	} while (0)

static void test_create_validation_errors_name_the_field(void **state)
{
	struct fixture *f = *state;
	const char *bad_tag[] = {"home office"};
	const char *comma_tag[] = {"a,b"};
	const char *empty_tag[] = {""};
	const char *long_tag[] = {repeat(f, 't', LS_MAX_TAG_BYTES + 1)};
	const char *many_tags[LS_MAX_TAGS + 1];
	for (int i = 0; i <= LS_MAX_TAGS; i++)
		many_tags[i] = arena_printf(&f->arena, "t%d", i);

	EXPECT_CREATE_FAILS(f, "missing_field", "client", in.client = NULL);
	EXPECT_CREATE_FAILS(f, "missing_field", "client", in.client = "");
	EXPECT_CREATE_FAILS(f, "invalid_field", "client", in.client = "NOPE");
	EXPECT_CREATE_FAILS(f, "missing_field", "title", in.title = NULL);
	EXPECT_CREATE_FAILS(f, "missing_field", "title", in.title = "");
	EXPECT_CREATE_FAILS(f, "invalid_field", "title", in.title = repeat(f, 'x', LS_MAX_TITLE_BYTES + 1));
	EXPECT_CREATE_FAILS(f, "invalid_field", "description", in.description = repeat(f, 'd', LS_MAX_TEXT_BYTES + 1));
	EXPECT_CREATE_FAILS(f, "invalid_field", "impact", in.impact = 4);
	EXPECT_CREATE_FAILS(f, "invalid_field", "impact", in.impact = -1);
	EXPECT_CREATE_FAILS(f, "invalid_field", "urgency", in.urgency = 5);
	EXPECT_CREATE_FAILS(f, "invalid_field", "channel", in.channel = _TICKET_CHANNEL_MAX);
	EXPECT_CREATE_FAILS(f, "invalid_field", "type", in.type = _TICKET_TYPE_MAX);
	EXPECT_CREATE_FAILS(f, "invalid_field", "type", in.type = _TICKET_TYPE_INVALID);
	EXPECT_CREATE_FAILS(f, "invalid_field", "category", in.category = repeat(f, 'c', LS_MAX_CATEGORY_BYTES + 1));
	EXPECT_CREATE_FAILS(f, "invalid_field", "requester.name", in.requester_name = repeat(f, 'n', 201));
	EXPECT_CREATE_FAILS(f, "invalid_field", "requester.email", in.requester_email = "kim.acme.example");
	EXPECT_CREATE_FAILS(f, "invalid_field", "requester.email", in.requester_email = "@acme.example");
	EXPECT_CREATE_FAILS(f, "invalid_field", "requester.email", in.requester_email = "kim@");
	EXPECT_CREATE_FAILS(f, "invalid_field", "requester.email", in.requester_email = "kim @acme.example");
	EXPECT_CREATE_FAILS(f, "invalid_field", "requester.phone", in.requester_phone = repeat(f, '1', 41));
	EXPECT_CREATE_FAILS(f, "invalid_field", "tags", in.tags = bad_tag; in.n_tags = 1);
	EXPECT_CREATE_FAILS(f, "invalid_field", "tags", in.tags = comma_tag; in.n_tags = 1);
	EXPECT_CREATE_FAILS(f, "invalid_field", "tags", in.tags = empty_tag; in.n_tags = 1);
	EXPECT_CREATE_FAILS(f, "invalid_field", "tags", in.tags = long_tag; in.n_tags = 1);
	EXPECT_CREATE_FAILS(f, "invalid_field", "tags", in.tags = many_tags; in.n_tags = LS_MAX_TAGS + 1);
	EXPECT_CREATE_FAILS(f, "invalid_field", "team", in.team = "NOPE");
	EXPECT_CREATE_FAILS(f, "invalid_field", "assignee", in.assignee = "nobody@example.com");
	EXPECT_CREATE_FAILS(f, "invalid_field", "assignee", in.assignee = "vera@acme.example");

	/* nothing was stored and no number was used up */
	struct ticket_query q = query(10);
	assert_int_equal(list_count(f, &q), 0);
	assert_string_equal(create(f, "ACME", TICKET_TYPE_INCIDENT, "first").number, "INC0000001");
}

static void test_create_accepts_values_at_their_limits(void **state)
{
	struct fixture *f = *state;
	const char *many_tags[LS_MAX_TAGS];
	for (int i = 0; i < LS_MAX_TAGS; i++)
		many_tags[i] = arena_printf(&f->arena, "tag%02d", i);
	const char *long_tag[] = {repeat(f, 't', LS_MAX_TAG_BYTES)};
	struct ticket_input in = input("ACME", TICKET_TYPE_INCIDENT, repeat(f, 'x', LS_MAX_TITLE_BYTES));
	in.tags = many_tags;
	in.n_tags = LS_MAX_TAGS;
	struct ticket t;
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	assert_int_equal(strlen(t.title), LS_MAX_TITLE_BYTES);
	assert_int_equal(t.n_tags, LS_MAX_TAGS);
	in.tags = long_tag;
	in.n_tags = 1;
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	assert_int_equal(strlen(t.tags[0]), LS_MAX_TAG_BYTES);
}

static void test_create_in_an_invisible_client_fails_like_a_missing_one(void **state)
{
	struct fixture *f = *state;
	f->svc.actor = W.anna_a;
	struct ticket_input in = input("GLOBEX", TICKET_TYPE_INCIDENT, "sneaky");
	struct ticket t;
	assert_svc_error(f, tickets_create(&f->svc, &in, &t), -EINVAL, "invalid_field", "client");
	assert_string_equal(f->err.message, "client 'GLOBEX' does not exist");
	in.client = "ACME";
	assert_ok(f, tickets_create(&f->svc, &in, &t));
}

static void test_assignee_must_be_an_active_worker_granted_the_client(void **state)
{
	struct fixture *f = *state;
	fx_user_v(f, "root@example.com", USER_ROLE_ADMIN, NULL);
	struct ticket_input in = input("GLOBEX", TICKET_TYPE_INCIDENT, "for globex");
	struct ticket t;
	in.assignee = "anna@example.com"; /* granted ACME only */
	assert_svc_error(f, tickets_create(&f->svc, &in, &t), -EINVAL, "invalid_field", "assignee");
	in.assignee = "bert@example.com";
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	assert_true(t.assignee_id == W.bert);
	in.assignee = "root@example.com"; /* admins need no grant */
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	in.assignee = "BERT@example.com"; /* emails are case-insensitive */
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	assert_true(t.assignee_id == W.bert);
	static const char deactivate[] = "UPDATE users SET active = 0 WHERE email = 'bert@example.com'";
	assert_int_equal(sqlite3_exec(store_handle(f->st), deactivate, NULL, NULL, NULL), SQLITE_OK);
	in.assignee = "bert@example.com";
	assert_svc_error(f, tickets_create(&f->svc, &in, &t), -EINVAL, "invalid_field", "assignee");
}

/* ---- update ---- */

static void test_update_with_a_stale_version_fails_and_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "First");
	struct ticket_patch p = {.fields = PATCH_TITLE, .v.title = "Second"};
	struct ticket u;
	assert_ok(f, tickets_update(&f->svc, t.number, 1, &p, &u));
	assert_int_equal(u.version, 2);
	p.v.title = "Third";
	assert_svc_error(f, tickets_update(&f->svc, t.number, 1, &p, &u), -LS_ESTALE, "version_mismatch", "version");
	assert_non_null(strstr(f->err.hint, "\"2\""));
	u = get(f, t.number);
	assert_string_equal(u.title, "Second");
	assert_int_equal(u.version, 2);
	assert_string_equal(fields(f, t.number), "created title");
	assert_ok(f, tickets_update(&f->svc, t.number, 2, &p, &u));
	assert_string_equal(u.title, "Third");
	assert_int_equal(u.version, 3);
}

static void test_update_records_one_event_per_changed_field(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Printer");
	f->svc.now = TEST_T0 + 60;
	f->svc.actor = W.anna_a;
	struct ticket_patch p = {
	        .fields = PATCH_TITLE | PATCH_IMPACT | PATCH_URGENCY | PATCH_CATEGORY | PATCH_CHANNEL |
	                  PATCH_REQUESTER_NAME | PATCH_REQUESTER_EMAIL,
	        .v = {.title = "Printer on fire",
	              .impact = 1,
	              .urgency = 3,
	              .category = "Hardware",
	              .channel = TICKET_CHANNEL_WEB,
	              .requester_name = NULL,
	              .requester_email = "kim@acme.example"},
	};
	struct ticket u = patch(f, t.number, &p);
	assert_int_equal(u.version, 2);
	assert_true(u.updated_at == TEST_T0 + 60);
	assert_int_equal(u.priority, 3);
	/* urgency, channel and requester name did not change: no events for them */
	/* the ticket moved to the person with that email: named by pseudonyms, never the address */
	assert_string_equal(fields(f, t.number), "created title category requester impact priority");
	assert_event(last_event(f, t.number, "title"), "Printer", "Printer on fire");
	assert_event(last_event(f, t.number, "category"), NULL, "Hardware");
	const struct ticket_event *rq = last_event(f, t.number, "requester");
	assert_null(rq->old_value);
	assert_string_equal(rq->new_value, u.person_pseudonym);
	assert_int_equal(strncmp(rq->new_value, "P-", 2), 0);
	assert_string_equal(u.requester_email, "kim@acme.example");
	assert_event(last_event(f, t.number, "impact"), "3", "1");
	assert_event(last_event(f, t.number, "priority"), "5", "3");
	const struct ticket_event *e = last_event(f, t.number, "title");
	assert_int_equal(e->actor_kind, AUTHOR_KIND_AGENT);
	assert_true(e->actor_id == W.anna);
	assert_true(e->at == TEST_T0 + 60);
}

static void test_update_without_changes_records_nothing(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Same");
	struct ticket_patch p = {.fields = PATCH_TITLE | PATCH_CATEGORY | PATCH_IMPACT,
	                         .v = {.title = "Same", .category = "", .impact = 3}};
	struct ticket u = patch(f, t.number, &p);
	assert_string_equal(fields(f, t.number), "created");
	assert_int_equal(u.version, 2); /* every successful write bumps the version */
}

static void test_description_change_is_recorded_without_its_text(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Mail");
	struct ticket_patch p = {.fields = PATCH_DESCRIPTION, .v.description = "password is hunter2"};
	struct ticket u = patch(f, t.number, &p);
	assert_string_equal(u.description, "password is hunter2");
	assert_event(last_event(f, t.number, "description"), NULL, NULL);
	struct ticket_query q = query(10);
	q.q = "hunter2"; /* the new text is searchable */
	assert_int_equal(list_count(f, &q), 1);
}

static void test_assignee_on_a_new_ticket_moves_it_to_assigned(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Unassigned");
	struct ticket_patch p = {.fields = PATCH_ASSIGNEE, .v.assignee = "anna@example.com"};
	struct ticket u = patch(f, t.number, &p);
	assert_int_equal(u.state, TICKET_STATE_ASSIGNED);
	assert_string_equal(u.assignee_email, "anna@example.com");
	assert_string_equal(fields(f, t.number), "created assignee state");
	assert_event(last_event(f, t.number, "state"), "new", "assigned");
	/* on a ticket in progress a new assignee does not change the state */
	move(f, t.number, TICKET_STATE_IN_PROGRESS);
	p.v.assignee = "bert@example.com";
	u = patch(f, t.number, &p);
	assert_int_equal(u.state, TICKET_STATE_IN_PROGRESS);
	assert_event(last_event(f, t.number, "assignee"), "anna@example.com", "bert@example.com");
}

static void test_removing_team_and_assignee_returns_ticket_to_new(void **state)
{
	struct fixture *f = *state;
	struct ticket_input in = input("ACME", TICKET_TYPE_INCIDENT, "Both");
	in.team = "L1";
	in.assignee = "anna@example.com";
	struct ticket t;
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	assert_int_equal(t.state, TICKET_STATE_ASSIGNED);
	struct ticket_patch p = {.fields = PATCH_ASSIGNEE, .v.assignee = NULL};
	struct ticket u = patch(f, t.number, &p);
	assert_int_equal(u.state, TICKET_STATE_ASSIGNED); /* the team still holds it */
	assert_true(u.assignee_id == 0);
	p = (struct ticket_patch){.fields = PATCH_TEAM, .v.team = ""};
	u = patch(f, t.number, &p);
	assert_int_equal(u.state, TICKET_STATE_NEW);
	assert_null(u.team_code);
	assert_event(last_event(f, t.number, "team"), "L1", NULL);
	assert_event(last_event(f, t.number, "assignee"), "anna@example.com", NULL);
	assert_event(last_event(f, t.number, "state"), "assigned", "new");
}

static void test_type_of_a_ticket_cannot_change(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Typed");
	struct ticket_patch p = {.fields = PATCH_TYPE, .v.type = TICKET_TYPE_PROBLEM};
	struct ticket u;
	assert_svc_error(f, tickets_update(&f->svc, t.number, 0, &p, &u), -EINVAL, "invalid_field", "type");
	assert_true(strlen(f->err.hint) > 0);
	assert_int_equal(get(f, t.number).version, 1);
	p.v.type = TICKET_TYPE_INCIDENT;
	assert_ok(f, tickets_update(&f->svc, t.number, 0, &p, &u));
}

static void test_update_validation_errors_name_the_field(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Valid");
	const char *bad_tag[] = {"a b"};
	static const struct {
		unsigned fields;
		const char *code, *field;
	} cases[] = {
	        {PATCH_TITLE, "missing_field", "title"},
	        {PATCH_IMPACT, "invalid_field", "impact"},
	        {PATCH_URGENCY, "invalid_field", "urgency"},
	        {PATCH_CHANNEL, "invalid_field", "channel"},
	        {PATCH_REQUESTER_EMAIL, "invalid_field", "requester.email"},
	        {PATCH_TAGS, "invalid_field", "tags"},
	        {PATCH_TEAM, "invalid_field", "team"},
	        {PATCH_ASSIGNEE, "invalid_field", "assignee"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ticket_patch p = {
		        .fields = cases[i].fields,
		        .v = {.title = "",
		              .impact = 0,
		              .urgency = 4,
		              .channel = 17,
		              .requester_email = "no-at",
		              .tags = bad_tag,
		              .n_tags = 1,
		              .team = "NOPE",
		              .assignee = "vera@acme.example"},
		};
		struct ticket u;
		assert_svc_error(f, tickets_update(&f->svc, t.number, 0, &p, &u), -EINVAL, cases[i].code,
		                 cases[i].field);
	}
	struct ticket u = get(f, t.number);
	assert_int_equal(u.version, 1);
	assert_string_equal(fields(f, t.number), "created");
}

static void test_priority_follows_impact_and_urgency(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Prio");
	struct ticket_patch p = {.fields = PATCH_URGENCY, .v.urgency = 1};
	assert_int_equal(patch(f, t.number, &p).priority, 3);
	p = (struct ticket_patch){.fields = PATCH_IMPACT, .v.impact = 1};
	assert_int_equal(patch(f, t.number, &p).priority, 1);
	assert_event(last_event(f, t.number, "priority"), "3", "1");
	assert_int_equal(count_events(f, t.number, "priority"), 2);
}

static void test_tag_changes_record_old_and_new_lists(void **state)
{
	struct fixture *f = *state;
	const char *tags[] = {"vpn", "homeoffice"};
	struct ticket_input in = input("ACME", TICKET_TYPE_INCIDENT, "Tags");
	in.tags = tags;
	in.n_tags = 2;
	struct ticket t;
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	const char *next[] = {"printer"};
	struct ticket_patch p = {.fields = PATCH_TAGS, .v = {.tags = next, .n_tags = 1}};
	struct ticket u = patch(f, t.number, &p);
	assert_int_equal(u.n_tags, 1);
	assert_string_equal(u.tags[0], "printer");
	assert_event(last_event(f, t.number, "tags"), "homeoffice,vpn", "printer");
	patch(f, t.number, &p);
	assert_int_equal(count_events(f, t.number, "tags"), 1);
}

static void test_same_tags_in_another_order_are_not_a_change(void **state)
{
	struct fixture *f = *state;
	const char *tags[] = {"vpn", "homeoffice"};
	struct ticket_input in = input("ACME", TICKET_TYPE_INCIDENT, "Tags");
	in.tags = tags;
	in.n_tags = 2;
	struct ticket t;
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	struct ticket_patch p = {.fields = PATCH_TAGS, .v = {.tags = tags, .n_tags = 2}};
	patch(f, t.number, &p);
	const char *dup[] = {"homeoffice", "vpn", "vpn"};
	p.v.tags = dup;
	p.v.n_tags = 3;
	patch(f, t.number, &p);
	assert_int_equal(count_events(f, t.number, "tags"), 0);
}

/* ---- state machine ---- */

static void test_invalid_transition_names_the_allowed_targets(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Fresh");
	struct ticket u;
	assert_svc_error(f, tickets_transition(&f->svc, t.number, 0, TICKET_STATE_CLOSED, &u), -LS_ECONFLICT,
	                 "invalid_transition", "state");
	assert_string_equal(f->err.message, "ticket 'INC0000001' cannot go from new to closed");
	assert_string_equal(f->err.hint,
	                    "from new it may go to: assigned, in_progress, pending_customer, pending_vendor, resolved");
	u = get(f, t.number);
	assert_int_equal(u.state, TICKET_STATE_NEW);
	assert_int_equal(u.version, 1);
	assert_string_equal(fields(f, t.number), "created");
}

static void test_transition_to_the_current_state_is_refused(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Fresh");
	struct ticket u;
	assert_svc_error(f, tickets_transition(&f->svc, t.number, 0, TICKET_STATE_NEW, &u), -LS_ECONFLICT,
	                 "invalid_transition", "state");
	assert_string_equal(f->err.message, "ticket 'INC0000001' is new already");
	assert_int_equal(get(f, t.number).version, 1);
	assert_string_equal(fields(f, t.number), "created");
}

static void test_assigned_needs_a_team_or_an_assignee(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Nobody's");
	struct ticket u;
	assert_svc_error(f, tickets_transition(&f->svc, t.number, 0, TICKET_STATE_ASSIGNED, &u), -LS_ECONFLICT,
	                 "invalid_transition", "state");
	assert_non_null(strstr(f->err.hint, "team or assignee"));
	assert_int_equal(get(f, t.number).state, TICKET_STATE_NEW);
}

static void test_unknown_target_state_is_an_invalid_field(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "x");
	struct ticket u;
	assert_svc_error(f, tickets_transition(&f->svc, t.number, 0, _TICKET_STATE_MAX, &u), -EINVAL, "invalid_field",
	                 "state");
	assert_svc_error(f, tickets_transition(&f->svc, t.number, 0, _TICKET_STATE_INVALID, &u), -EINVAL,
	                 "invalid_field", "state");
}

static void test_transition_checks_the_version_when_given(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Versioned");
	struct ticket u;
	assert_svc_error(f, tickets_transition(&f->svc, t.number, 7, TICKET_STATE_IN_PROGRESS, &u), -LS_ESTALE,
	                 "version_mismatch", "version");
	assert_int_equal(get(f, t.number).state, TICKET_STATE_NEW);
	assert_ok(f, tickets_transition(&f->svc, t.number, 1, TICKET_STATE_IN_PROGRESS, &u));
	assert_int_equal(u.version, 2);
	assert_ok(f, tickets_transition(&f->svc, t.number, 0, TICKET_STATE_PENDING_VENDOR, &u));
	assert_int_equal(u.version, 3);
}

static void test_resolving_sets_resolved_at(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Fix me");
	move(f, t.number, TICKET_STATE_IN_PROGRESS);
	f->svc.now = TEST_T0 + 3600;
	struct ticket u = move(f, t.number, TICKET_STATE_RESOLVED);
	assert_true(u.resolved_at == TEST_T0 + 3600);
	assert_true(u.updated_at == TEST_T0 + 3600);
	assert_true(u.closed_at == 0);
	assert_int_equal(u.reopen_count, 0);
	assert_event(last_event(f, t.number, "state"), "in_progress", "resolved");
}

static void test_reopen_counts_and_clears_resolved_at(void **state)
{
	struct fixture *f = *state;
	struct ticket_input in = input("ACME", TICKET_TYPE_INCIDENT, "Comes back");
	in.team = "L1";
	struct ticket t;
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	move(f, t.number, TICKET_STATE_RESOLVED);
	f->svc.now += 100;
	struct ticket u = move(f, t.number, TICKET_STATE_IN_PROGRESS);
	assert_int_equal(u.reopen_count, 1);
	assert_true(u.resolved_at == 0);
	assert_event(last_event(f, t.number, "reopened"), NULL, "1");
	f->svc.now += 100;
	u = move(f, t.number, TICKET_STATE_RESOLVED);
	assert_true(u.resolved_at == TEST_T0 + 200);
	u = move(f, t.number, TICKET_STATE_ASSIGNED); /* reopening into assigned counts too */
	assert_int_equal(u.reopen_count, 2);
	assert_true(u.resolved_at == 0);
	assert_event(last_event(f, t.number, "reopened"), NULL, "2");
	/* leaving other states is no reopen */
	u = move(f, t.number, TICKET_STATE_IN_PROGRESS);
	u = move(f, t.number, TICKET_STATE_PENDING_CUSTOMER);
	u = move(f, t.number, TICKET_STATE_IN_PROGRESS);
	assert_int_equal(u.reopen_count, 2);
	assert_int_equal(count_events(f, t.number, "reopened"), 2);
}

static void test_closed_ticket_refuses_every_change(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Done");
	struct ticket other = create(f, "ACME", TICKET_TYPE_PROBLEM, "Other");
	f->svc.now = TEST_T0 + 100;
	move(f, t.number, TICKET_STATE_RESOLVED);
	f->svc.now = TEST_T0 + 200;
	struct ticket c = move(f, t.number, TICKET_STATE_CLOSED);
	assert_true(c.closed_at == TEST_T0 + 200);
	assert_true(c.resolved_at == TEST_T0 + 100); /* kept */
	size_t n_before;
	history(f, t.number, &n_before);

	struct ticket u;
	struct ticket_patch p = {.fields = PATCH_TITLE, .v.title = "Changed"};
	assert_svc_error(f, tickets_update(&f->svc, t.number, 0, &p, &u), -LS_ECONFLICT, "invalid_transition", "state");
	assert_string_equal(f->err.message, "ticket 'INC0000001' is closed and cannot change");
	for (int s = 0; s < _TICKET_STATE_MAX; s++)
		assert_int_equal(tickets_transition(&f->svc, t.number, 0, (enum ticket_state)s, &u), -LS_ECONFLICT);
	struct message_input m = reply_in("hello?");
	assert_svc_error(f, tickets_add_message(&f->svc, t.number, &m, NULL, &u), -LS_ECONFLICT, "invalid_transition",
	                 "state");
	m.kind = MESSAGE_KIND_NOTE;
	assert_int_equal(tickets_add_message(&f->svc, t.number, &m, NULL, &u), -LS_ECONFLICT);
	m = (struct message_input){.kind = MESSAGE_KIND_REPLY, .author_kind = AUTHOR_KIND_CUSTOMER, .body = "hi"};
	assert_int_equal(tickets_add_message(&f->svc, t.number, &m, NULL, &u), -LS_ECONFLICT);
	assert_int_equal(tickets_add_effort(&f->svc, t.number, 10, NULL, 0, NULL), -LS_ECONFLICT);
	assert_int_equal(tickets_add_link(&f->svc, t.number, LINK_KIND_CAUSED_BY, other.number, &u), -LS_ECONFLICT);

	u = get(f, t.number);
	assert_int_equal(u.version, c.version);
	assert_string_equal(u.title, "Done");
	size_t n_after;
	history(f, t.number, &n_after);
	assert_int_equal(n_after, n_before);
	struct ticket_message *msgs;
	size_t n;
	assert_ok(f, tickets_messages(&f->svc, t.number, &msgs, &n));
	assert_int_equal(n, 0);
}

static void test_life_cycle_history_lists_every_state_change(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Story");
	static const enum ticket_state path[] = {TICKET_STATE_IN_PROGRESS, TICKET_STATE_PENDING_CUSTOMER,
	                                         TICKET_STATE_IN_PROGRESS, TICKET_STATE_PENDING_VENDOR,
	                                         TICKET_STATE_RESOLVED,    TICKET_STATE_CLOSED};
	for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
		f->svc.now = TEST_T0 + 60 * (ls_time)(i + 1);
		move(f, t.number, path[i]);
	}
	size_t n;
	struct ticket_event *ev = history(f, t.number, &n);
	assert_int_equal(n, 7);
	enum ticket_state from = TICKET_STATE_NEW;
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(ev[i + 1].field, "state");
		assert_string_equal(ev[i + 1].old_value, ticket_state_to_string(from));
		assert_string_equal(ev[i + 1].new_value, ticket_state_to_string(path[i]));
		assert_true(ev[i + 1].at == TEST_T0 + 60 * (ls_time)(i + 1));
		from = path[i];
	}
	assert_int_equal(get(f, t.number).version, 7);
}

/* ---- replies and notes ---- */

static void test_first_agent_reply_sets_first_response_once(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Help");
	f->svc.actor = W.anna_a;
	f->svc.now = TEST_T0 + 600;
	struct message_input m = reply_in("Looking into it");
	struct ticket_message msg;
	struct ticket u;
	assert_ok(f, tickets_add_message(&f->svc, t.number, &m, &msg, &u));
	assert_true(u.first_response_at == TEST_T0 + 600);
	assert_int_equal(u.version, 2);
	assert_true(msg.id > 0);
	assert_int_equal(msg.kind, MESSAGE_KIND_REPLY);
	assert_int_equal(msg.author_kind, AUTHOR_KIND_AGENT);
	assert_true(msg.author_user_id == W.anna);
	assert_string_equal(msg.author_name, "anna@example.com");
	assert_string_equal(msg.body, "Looking into it");
	assert_true(msg.created_at == TEST_T0 + 600);
	assert_string_equal(fields(f, t.number), "created reply first_response");
	f->svc.now = TEST_T0 + 1200;
	m.body = "Still on it";
	assert_ok(f, tickets_add_message(&f->svc, t.number, &m, NULL, &u));
	assert_true(u.first_response_at == TEST_T0 + 600);
	assert_int_equal(count_events(f, t.number, "first_response"), 1);
	assert_int_equal(count_events(f, t.number, "reply"), 2);
}

static void test_notes_and_customer_replies_are_no_first_response(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Help");
	f->svc.actor = W.anna_a;
	struct ticket u;
	struct message_input note = {.kind = MESSAGE_KIND_NOTE, .author_kind = AUTHOR_KIND_AGENT, .body = "internal"};
	assert_ok(f, tickets_add_message(&f->svc, t.number, &note, NULL, &u));
	assert_true(u.first_response_at == 0);
	struct message_input cust = {.kind = MESSAGE_KIND_REPLY,
	                             .author_kind = AUTHOR_KIND_CUSTOMER,
	                             .author_name = "Kim",
	                             .body = "any news?"};
	assert_ok(f, tickets_add_message(&f->svc, t.number, &cust, NULL, &u));
	assert_true(u.first_response_at == 0);
	assert_string_equal(fields(f, t.number), "created note customer_reply");
	f->svc.now = TEST_T0 + 900;
	struct message_input r = reply_in("on it");
	assert_ok(f, tickets_add_message(&f->svc, t.number, &r, NULL, &u));
	assert_true(u.first_response_at == TEST_T0 + 900);
}

static void test_pending_customer_reply_resumes_work(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Need info");
	move(f, t.number, TICKET_STATE_IN_PROGRESS);
	move(f, t.number, TICKET_STATE_PENDING_CUSTOMER);
	f->svc.actor = W.anna_a;
	f->svc.now = TEST_T0 + 5000;
	struct message_input cust = {.kind = MESSAGE_KIND_REPLY,
	                             .author_kind = AUTHOR_KIND_CUSTOMER,
	                             .author_name = "Kim",
	                             .body = "Here are the logs"};
	struct ticket_message msg;
	struct ticket u;
	assert_ok(f, tickets_add_message(&f->svc, t.number, &cust, &msg, &u));
	assert_int_equal(u.state, TICKET_STATE_IN_PROGRESS);
	assert_true(msg.author_user_id == 0);
	assert_string_equal(msg.author_name, "Kim");
	assert_int_equal(msg.author_kind, AUTHOR_KIND_CUSTOMER);
	const struct ticket_event *e = last_event(f, t.number, "customer_reply");
	assert_non_null(e);
	assert_int_equal(e->actor_kind, AUTHOR_KIND_CUSTOMER);
	assert_event(last_event(f, t.number, "state"), "pending_customer", "in_progress");
	assert_true(last_event(f, t.number, "state")->at == TEST_T0 + 5000);
}

static void test_customer_reply_elsewhere_and_agent_reply_keep_the_state(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Waiting");
	struct message_input cust = {.kind = MESSAGE_KIND_REPLY, .author_kind = AUTHOR_KIND_CUSTOMER, .body = "hello"};
	struct ticket u;
	assert_ok(f, tickets_add_message(&f->svc, t.number, &cust, NULL, &u));
	assert_int_equal(u.state, TICKET_STATE_NEW);
	move(f, t.number, TICKET_STATE_PENDING_VENDOR);
	assert_ok(f, tickets_add_message(&f->svc, t.number, &cust, NULL, &u));
	assert_int_equal(u.state, TICKET_STATE_PENDING_VENDOR);
	move(f, t.number, TICKET_STATE_PENDING_CUSTOMER);
	struct message_input agent = reply_in("please send logs");
	assert_ok(f, tickets_add_message(&f->svc, t.number, &agent, NULL, &u));
	assert_int_equal(u.state, TICKET_STATE_PENDING_CUSTOMER);
	/* a customer's words as an internal note are refused, not a resume */
	struct message_input bad = {.kind = MESSAGE_KIND_NOTE, .author_kind = AUTHOR_KIND_CUSTOMER, .body = "x"};
	assert_svc_error(f, tickets_add_message(&f->svc, t.number, &bad, NULL, &u), -EINVAL, "invalid_field",
	                 "author_kind");
	assert_int_equal(get(f, t.number).state, TICKET_STATE_PENDING_CUSTOMER);
}

static void test_message_validation_errors_name_the_field(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Msgs");
	struct ticket u;
	struct message_input m = reply_in(NULL);
	assert_svc_error(f, tickets_add_message(&f->svc, t.number, &m, NULL, &u), -EINVAL, "missing_field", "body");
	m.body = "";
	assert_svc_error(f, tickets_add_message(&f->svc, t.number, &m, NULL, &u), -EINVAL, "missing_field", "body");
	m.body = repeat(f, 'b', LS_MAX_TEXT_BYTES + 1);
	assert_svc_error(f, tickets_add_message(&f->svc, t.number, &m, NULL, &u), -EINVAL, "invalid_field", "body");
	m.body = "ok";
	m.kind = _MESSAGE_KIND_MAX;
	assert_svc_error(f, tickets_add_message(&f->svc, t.number, &m, NULL, &u), -EINVAL, "invalid_field", "kind");
	m.kind = MESSAGE_KIND_REPLY;
	m.author_kind = _AUTHOR_KIND_INVALID;
	assert_svc_error(f, tickets_add_message(&f->svc, t.number, &m, NULL, &u), -EINVAL, "invalid_field",
	                 "author_kind");
	m.author_kind = AUTHOR_KIND_CUSTOMER;
	m.author_name = repeat(f, 'n', LS_MAX_NAME_BYTES + 1);
	assert_svc_error(f, tickets_add_message(&f->svc, t.number, &m, NULL, &u), -EINVAL, "invalid_field",
	                 "author_name");
	assert_int_equal(get(f, t.number).version, 1);
	assert_string_equal(fields(f, t.number), "created");
}

static void test_client_viewer_sees_replies_but_not_notes(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Shared");
	struct message_input r = reply_in("public answer");
	struct message_input n = {.kind = MESSAGE_KIND_NOTE, .author_kind = AUTHOR_KIND_AGENT, .body = "internal"};
	struct ticket u;
	assert_ok(f, tickets_add_message(&f->svc, t.number, &r, NULL, &u));
	assert_ok(f, tickets_add_message(&f->svc, t.number, &n, NULL, &u));
	struct ticket_message *v;
	size_t cnt;
	f->svc.actor = W.vera_a;
	assert_ok(f, tickets_messages(&f->svc, t.number, &v, &cnt));
	assert_int_equal(cnt, 1);
	assert_string_equal(v[0].body, "public answer");
	f->svc.actor = W.anna_a;
	assert_ok(f, tickets_messages(&f->svc, t.number, &v, &cnt));
	assert_int_equal(cnt, 2);
	assert_string_equal(v[1].body, "internal");
	assert_int_equal(v[1].kind, MESSAGE_KIND_NOTE);
}

static void test_replies_are_searchable_but_notes_are_not(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Printer");
	struct message_input r = reply_in("Toner getauscht");
	struct message_input n = {.kind = MESSAGE_KIND_NOTE, .author_kind = AUTHOR_KIND_AGENT, .body = "Geheimwort"};
	struct ticket u;
	assert_ok(f, tickets_add_message(&f->svc, t.number, &r, NULL, &u));
	assert_ok(f, tickets_add_message(&f->svc, t.number, &n, NULL, &u));
	struct ticket_query q = query(10);
	q.q = "toner";
	assert_int_equal(list_count(f, &q), 1);
	q.q = "geheimwort";
	assert_int_equal(list_count(f, &q), 0);
}

/* ---- effort ---- */

static void test_effort_takes_one_minute_to_one_day(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Work");
	f->svc.actor = W.anna_a;
	static const int bad[] = {0, -1, LS_MAX_EFFORT_MINUTES + 1, 100000};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_svc_error(f, tickets_add_effort(&f->svc, t.number, bad[i], NULL, 0, NULL), -EINVAL,
		                 "invalid_field", "minutes");
	struct ticket_effort e;
	assert_ok(f, tickets_add_effort(&f->svc, t.number, 1, NULL, 0, &e));
	assert_int_equal(e.minutes, 1);
	assert_true(e.worked_at == TEST_T0); /* 0: now */
	assert_ok(f, tickets_add_effort(&f->svc, t.number, LS_MAX_EFFORT_MINUTES, "whole day", TEST_T0 - 86400, &e));
	struct ticket_effort *v;
	size_t n;
	assert_ok(f, tickets_efforts(&f->svc, t.number, &v, &n));
	assert_int_equal(n, 2);
	assert_int_equal(v[1].minutes, 1440);
	assert_string_equal(v[1].note, "whole day");
	assert_true(v[1].worked_at == TEST_T0 - 86400);
	assert_true(v[1].user_id == W.anna);
	assert_string_equal(v[1].user_email, "anna@example.com");
	assert_event(last_event(f, t.number, "effort"), NULL, "1440");
	assert_int_equal(get(f, t.number).version, 3);
}

static void test_effort_cannot_lie_more_than_a_day_ahead(void **state)
{
	struct fixture *f = *state;
	struct ticket t = create(f, "ACME", TICKET_TYPE_INCIDENT, "Work");
	assert_svc_error(f, tickets_add_effort(&f->svc, t.number, 30, NULL, TEST_T0 + 86401, NULL), -EINVAL,
	                 "invalid_field", "worked_at");
	assert_ok(f, tickets_add_effort(&f->svc, t.number, 30, NULL, TEST_T0 + 86400, NULL));
	assert_svc_error(f, tickets_add_effort(&f->svc, t.number, 30, repeat(f, 'n', LS_MAX_TEXT_BYTES + 1), 0, NULL),
	                 -EINVAL, "invalid_field", "note");
}

/* ---- links ---- */

static void test_caused_by_must_point_at_a_problem(void **state)
{
	struct fixture *f = *state;
	struct ticket inc = create(f, "ACME", TICKET_TYPE_INCIDENT, "Symptom");
	struct ticket inc2 = create(f, "ACME", TICKET_TYPE_INCIDENT, "Another symptom");
	struct ticket prb = create(f, "ACME", TICKET_TYPE_PROBLEM, "Root cause");
	struct ticket u;
	assert_svc_error(f, tickets_add_link(&f->svc, inc.number, LINK_KIND_CAUSED_BY, inc2.number, &u), -EINVAL,
	                 "invalid_field", "target");
	assert_non_null(strstr(f->err.message, "problem"));
	assert_ok(f, tickets_add_link(&f->svc, inc.number, LINK_KIND_CAUSED_BY, prb.number, &u));
	assert_int_equal(u.version, 2);
	assert_event(last_event(f, inc.number, "link"), NULL, "caused_by PRB0000001");
	struct ticket_link *l;
	size_t n;
	assert_ok(f, tickets_links(&f->svc, inc.number, &l, &n));
	assert_int_equal(n, 1);
	assert_int_equal(l[0].kind, LINK_KIND_CAUSED_BY);
	assert_false(l[0].inverse);
	assert_string_equal(l[0].other_number, "PRB0000001");
	assert_ok(f, tickets_links(&f->svc, prb.number, &l, &n));
	assert_int_equal(n, 1);
	assert_true(l[0].inverse);
	assert_string_equal(l[0].other_number, "INC0000001");
	/* other kinds may point at any type */
	assert_ok(f, tickets_add_link(&f->svc, inc2.number, LINK_KIND_DUPLICATE_OF, inc.number, &u));
	assert_ok(f, tickets_add_link(&f->svc, inc2.number, LINK_KIND_CHILD_OF, inc.number, &u));
}

static void test_links_stay_within_one_client(void **state)
{
	struct fixture *f = *state;
	struct ticket inc = create(f, "ACME", TICKET_TYPE_INCIDENT, "Acme incident");
	struct ticket prb = create(f, "GLOBEX", TICKET_TYPE_PROBLEM, "Globex problem");
	struct ticket u;
	assert_svc_error(f, tickets_add_link(&f->svc, inc.number, LINK_KIND_CAUSED_BY, prb.number, &u), -EINVAL,
	                 "invalid_field", "target");
	assert_svc_error(f, tickets_add_link(&f->svc, inc.number, LINK_KIND_CHILD_OF, "PRB0000099", &u), -EINVAL,
	                 "invalid_field", "target");
	assert_svc_error(f, tickets_add_link(&f->svc, inc.number, LINK_KIND_CHILD_OF, "garbage", &u), -EINVAL,
	                 "invalid_field", "target");
	struct ticket_link *l;
	size_t n;
	assert_ok(f, tickets_links(&f->svc, inc.number, &l, &n));
	assert_int_equal(n, 0);
	assert_int_equal(get(f, inc.number).version, 1);
}

static void test_ticket_cannot_link_to_itself(void **state)
{
	struct fixture *f = *state;
	struct ticket prb = create(f, "ACME", TICKET_TYPE_PROBLEM, "Self");
	struct ticket u;
	for (int k = 0; k < _LINK_KIND_MAX; k++)
		assert_svc_error(f, tickets_add_link(&f->svc, prb.number, (enum link_kind)k, prb.number, &u), -EINVAL,
		                 "invalid_field", "target");
	assert_int_equal(get(f, prb.number).version, 1);
}

static void test_duplicate_link_is_a_conflict(void **state)
{
	struct fixture *f = *state;
	struct ticket a = create(f, "ACME", TICKET_TYPE_INCIDENT, "A");
	struct ticket b = create(f, "ACME", TICKET_TYPE_INCIDENT, "B");
	struct ticket u;
	assert_ok(f, tickets_add_link(&f->svc, a.number, LINK_KIND_DUPLICATE_OF, b.number, &u));
	assert_svc_error(f, tickets_add_link(&f->svc, a.number, LINK_KIND_DUPLICATE_OF, b.number, &u), -LS_ECONFLICT,
	                 "conflict", "target");
	assert_int_equal(get(f, a.number).version, 2);
	assert_int_equal(count_events(f, a.number, "link"), 1);
	assert_svc_error(f, tickets_add_link(&f->svc, a.number, _LINK_KIND_MAX, b.number, &u), -EINVAL, "invalid_field",
	                 "kind");
}

/* ---- tenant isolation ---- */

static void test_agent_gets_not_found_for_another_clients_ticket(void **state)
{
	struct fixture *f = *state;
	struct ticket hidden = create(f, "GLOBEX", TICKET_TYPE_INCIDENT, "Globex secret");
	struct ticket mine = create(f, "ACME", TICKET_TYPE_PROBLEM, "Acme problem");
	f->svc.actor = W.anna_a;
	const char *num = hidden.number;
	struct ticket u;
	struct ticket_patch p = {.fields = PATCH_TITLE, .v.title = "pwned"};
	struct message_input r = reply_in("hi");
	struct message_input n = {.kind = MESSAGE_KIND_NOTE, .author_kind = AUTHOR_KIND_AGENT, .body = "hi"};
	struct ticket_event *ev;
	struct ticket_message *msgs;
	struct ticket_effort *efs;
	struct ticket_link *links;
	size_t cnt;
	assert_svc_error(f, tickets_get(&f->svc, num, &u), -ENOENT, "not_found", "number");
	assert_string_equal(f->err.message, "ticket 'INC0000001' does not exist");
	assert_svc_error(f, tickets_update(&f->svc, num, 0, &p, &u), -ENOENT, "not_found", "number");
	assert_svc_error(f, tickets_update(&f->svc, num, 1, &p, &u), -ENOENT, "not_found", "number");
	assert_svc_error(f, tickets_transition(&f->svc, num, 0, TICKET_STATE_IN_PROGRESS, &u), -ENOENT, "not_found",
	                 "number");
	assert_svc_error(f, tickets_add_message(&f->svc, num, &r, NULL, &u), -ENOENT, "not_found", "number");
	assert_svc_error(f, tickets_add_message(&f->svc, num, &n, NULL, &u), -ENOENT, "not_found", "number");
	assert_svc_error(f, tickets_add_effort(&f->svc, num, 5, NULL, 0, NULL), -ENOENT, "not_found", "number");
	assert_svc_error(f, tickets_add_link(&f->svc, num, LINK_KIND_CHILD_OF, mine.number, &u), -ENOENT, "not_found",
	                 "number");
	assert_svc_error(f, tickets_history(&f->svc, num, &ev, &cnt), -ENOENT, "not_found", "number");
	assert_svc_error(f, tickets_messages(&f->svc, num, &msgs, &cnt), -ENOENT, "not_found", "number");
	assert_svc_error(f, tickets_efforts(&f->svc, num, &efs, &cnt), -ENOENT, "not_found", "number");
	assert_svc_error(f, tickets_links(&f->svc, num, &links, &cnt), -ENOENT, "not_found", "number");
	/* exactly like a number that does not exist at all */
	assert_svc_error(f, tickets_get(&f->svc, "INC0000099", &u), -ENOENT, "not_found", "number");
	assert_string_equal(f->err.message, "ticket 'INC0000099' does not exist");

	/* and nothing happened to it */
	u = get(f, num);
	assert_int_equal(u.version, 1);
	assert_string_equal(u.title, "Globex secret");
	assert_int_equal(u.state, TICKET_STATE_NEW);
	assert_string_equal(fields(f, num), "created");
	/* an agent granted GLOBEX reaches it */
	f->svc.actor = W.bert_a;
	assert_ok(f, tickets_get(&f->svc, num, &u));
}

static void test_link_to_an_invisible_ticket_fails_like_a_missing_one(void **state)
{
	struct fixture *f = *state;
	struct ticket hidden = create(f, "GLOBEX", TICKET_TYPE_PROBLEM, "Globex problem");
	struct ticket mine = create(f, "ACME", TICKET_TYPE_INCIDENT, "Acme incident");
	f->svc.actor = W.anna_a;
	struct ticket u;
	assert_svc_error(f, tickets_add_link(&f->svc, mine.number, LINK_KIND_CAUSED_BY, hidden.number, &u), -EINVAL,
	                 "invalid_field", "target");
	assert_string_equal(f->err.message, "ticket 'PRB0000001' does not exist for this client");
}

static void test_list_never_shows_another_clients_tickets(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 3; i++)
		create(f, "ACME", TICKET_TYPE_INCIDENT, "Drucker streikt");
	for (int i = 0; i < 2; i++)
		create(f, "GLOBEX", TICKET_TYPE_INCIDENT, "Drucker streikt");
	struct ticket_query q = query(50);
	struct ticket *v;
	size_t n;
	bool more;
	f->svc.actor = W.anna_a;
	assert_ok(f, tickets_list(&f->svc, &q, &v, &n, &more));
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(v[i].client_code, "ACME");
	q.q = "drucker";
	assert_int_equal(list_count(f, &q), 3);
	q.q = NULL;
	q.state = TICKET_STATE_NEW;
	assert_int_equal(list_count(f, &q), 3);
	q.client = "GLOBEX";
	assert_svc_error(f, tickets_list(&f->svc, &q, &v, &n, &more), -EINVAL, "invalid_parameter", "client");
	assert_string_equal(f->err.message, "client 'GLOBEX' does not exist");
	f->svc.actor = W.vera_a;
	q = query(50);
	assert_int_equal(list_count(f, &q), 3);
	f->svc.actor = W.bert_a;
	assert_int_equal(list_count(f, &q), 5);
	q.client = "GLOBEX";
	assert_int_equal(list_count(f, &q), 2);
	f->svc.actor = &actor_system;
	q.client = NULL;
	assert_int_equal(list_count(f, &q), 5);
	/* an agent without any grant sees nothing at all */
	f->svc.actor = fx_actor(f, fx_user_v(f, "new@example.com", USER_ROLE_AGENT, NULL));
	assert_int_equal(list_count(f, &q), 0);
	struct ticket u;
	assert_svc_error(f, tickets_get(&f->svc, "INC0000001", &u), -ENOENT, "not_found", "number");
}

/* ---- list and search ---- */

static void test_list_pages_with_a_keyset_cursor(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5];
	for (int i = 0; i < 5; i++)
		ids[i] = create(f, "ACME", TICKET_TYPE_INCIDENT, "t").id;
	struct ticket_query q = query(2);
	struct ticket *v;
	size_t n;
	bool more = false;
	assert_ok(f, tickets_list(&f->svc, &q, &v, &n, &more));
	assert_int_equal(n, 2);
	assert_true(more);
	assert_true(v[0].id == ids[4] && v[1].id == ids[3]);
	q.has_after = true;
	q.after_id = v[1].id;
	assert_ok(f, tickets_list(&f->svc, &q, &v, &n, &more));
	assert_int_equal(n, 2);
	assert_true(more);
	assert_true(v[0].id == ids[2] && v[1].id == ids[1]);
	q.after_id = v[1].id;
	assert_ok(f, tickets_list(&f->svc, &q, &v, &n, &more));
	assert_int_equal(n, 1);
	assert_false(more);
	assert_true(v[0].id == ids[0]);
	/* a page that ends exactly at the last item says so */
	q = query(5);
	assert_ok(f, tickets_list(&f->svc, &q, &v, &n, &more));
	assert_int_equal(n, 5);
	assert_false(more);
}

static void test_list_updated_since_pages_in_update_order(void **state)
{
	struct fixture *f = *state;
	struct ticket a = create(f, "ACME", TICKET_TYPE_INCIDENT, "a");
	struct ticket b = create(f, "ACME", TICKET_TYPE_INCIDENT, "b");
	create(f, "ACME", TICKET_TYPE_INCIDENT, "c"); /* untouched since TEST_T0 */
	f->svc.now = TEST_T0 + 100;
	move(f, a.number, TICKET_STATE_IN_PROGRESS);
	f->svc.now = TEST_T0 + 50;
	move(f, b.number, TICKET_STATE_IN_PROGRESS);
	struct ticket_query q = query(1);
	q.has_updated_since = true;
	q.updated_since = TEST_T0 + 1;
	struct ticket *v;
	size_t n;
	bool more;
	assert_ok(f, tickets_list(&f->svc, &q, &v, &n, &more));
	assert_int_equal(n, 1);
	assert_true(more);
	assert_string_equal(v[0].number, b.number);
	q.has_after = true;
	q.after_updated_at = v[0].updated_at;
	q.after_id = v[0].id;
	assert_ok(f, tickets_list(&f->svc, &q, &v, &n, &more));
	assert_int_equal(n, 1);
	assert_false(more);
	assert_string_equal(v[0].number, a.number);
}

static void test_list_filters_by_state_type_priority_team_and_assignee(void **state)
{
	struct fixture *f = *state;
	struct ticket_input in = input("ACME", TICKET_TYPE_INCIDENT, "one");
	in.impact = 1;
	in.urgency = 1;
	in.team = "L1";
	struct ticket t1;
	assert_ok(f, tickets_create(&f->svc, &in, &t1));
	in = input("ACME", TICKET_TYPE_PROBLEM, "two");
	in.assignee = "anna@example.com";
	struct ticket t2;
	assert_ok(f, tickets_create(&f->svc, &in, &t2));
	struct ticket t3 = create(f, "GLOBEX", TICKET_TYPE_INCIDENT, "three");
	move(f, t3.number, TICKET_STATE_IN_PROGRESS);
	struct ticket_query q = query(10);
	struct ticket *v;
	size_t n;
	bool more;
	q.state = TICKET_STATE_ASSIGNED;
	assert_int_equal(list_count(f, &q), 2);
	q.type = TICKET_TYPE_PROBLEM;
	assert_ok(f, tickets_list(&f->svc, &q, &v, &n, &more));
	assert_int_equal(n, 1);
	assert_string_equal(v[0].number, t2.number);
	q = query(10);
	q.priority = 1;
	assert_ok(f, tickets_list(&f->svc, &q, &v, &n, &more));
	assert_int_equal(n, 1);
	assert_string_equal(v[0].number, t1.number);
	q = query(10);
	q.team = "L1";
	assert_int_equal(list_count(f, &q), 1);
	q = query(10);
	q.assignee = "anna@example.com";
	assert_ok(f, tickets_list(&f->svc, &q, &v, &n, &more));
	assert_int_equal(n, 1);
	assert_string_equal(v[0].number, t2.number);
	q = query(10);
	q.state = TICKET_STATE_IN_PROGRESS;
	q.client = "GLOBEX";
	assert_int_equal(list_count(f, &q), 1);
}

static void test_list_checks_its_parameters(void **state)
{
	struct fixture *f = *state;
	struct ticket *v;
	size_t n;
	bool more;
	struct ticket_query q = query(0);
	assert_svc_error(f, tickets_list(&f->svc, &q, &v, &n, &more), -EINVAL, "invalid_parameter", "limit");
	q.limit = LS_MAX_PAGE_SIZE + 1;
	assert_svc_error(f, tickets_list(&f->svc, &q, &v, &n, &more), -EINVAL, "invalid_parameter", "limit");
	q.limit = LS_MAX_PAGE_SIZE;
	assert_ok(f, tickets_list(&f->svc, &q, &v, &n, &more));
	q.client = "NOPE";
	assert_svc_error(f, tickets_list(&f->svc, &q, &v, &n, &more), -EINVAL, "invalid_parameter", "client");
	q = query(10);
	q.team = "NOPE";
	assert_svc_error(f, tickets_list(&f->svc, &q, &v, &n, &more), -EINVAL, "invalid_parameter", "team");
	q = query(10);
	q.assignee = "nobody@example.com";
	assert_svc_error(f, tickets_list(&f->svc, &q, &v, &n, &more), -EINVAL, "invalid_parameter", "assignee");
	q = query(10);
	q.q = repeat(f, 'w', LS_MAX_SEARCH_BYTES + 1);
	assert_svc_error(f, tickets_list(&f->svc, &q, &v, &n, &more), -EINVAL, "invalid_parameter", "q");
	q.q = repeat(f, 'w', LS_MAX_SEARCH_BYTES);
	assert_ok(f, tickets_list(&f->svc, &q, &v, &n, &more));
	q.q = "*** ()";
	assert_svc_error(f, tickets_list(&f->svc, &q, &v, &n, &more), -EINVAL, "invalid_parameter", "q");
}

static void test_search_cannot_be_broken_by_fts_syntax(void **state)
{
	struct fixture *f = *state;
	create(f, "ACME", TICKET_TYPE_INCIDENT, "Drucker im Flur");
	create(f, "ACME", TICKET_TYPE_INCIDENT, "VPN-Client stürzt ab");
	static const struct {
		const char *q;
		size_t n;
	} cases[] = {
	        {"drucker", 1},          {"DRUCKER", 1},
	        {"\"drucker", 1},        {"drucker AND", 0},  /* every word must occur, AND is just a word */
	        {"drucker OR vpn", 0},   {"NEAR(drucker", 0}, /* one word: "NEARdrucker" */
	        {"druck*", 1},           {"druck", 0},
	        {"flur drucker", 1},     {"sturzt", 1}, /* diacritics removed */
	        {"title:drucker", 0},                   /* no column filters */
	        {"drucker) OR (vpn", 0}, {"vpn-client", 1},
	        {"^drucker", 1},         {"-drucker", 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ticket_query q = query(10);
		q.q = cases[i].q;
		struct ticket *v;
		size_t n;
		bool more;
		int r = tickets_list(&f->svc, &q, &v, &n, &more);
		if (r < 0)
			fail_msg("q='%s' failed: %s", cases[i].q, f->err.message);
		if (n != cases[i].n)
			fail_msg("q='%s' found %zu, want %zu", cases[i].q, n, cases[i].n);
	}
}

static void test_fts_expression_quotes_every_word(void **state)
{
	struct fixture *f = *state;
	struct arena *a = &f->arena;
	assert_string_equal(tickets_fts_expression(a, "hello world"), "\"hello\" \"world\"");
	assert_string_equal(tickets_fts_expression(a, "  druck*  "), "\"druck\"*");
	assert_string_equal(tickets_fts_expression(a, "foo*bar"), "\"foobar\"");
	assert_string_equal(tickets_fts_expression(a, "a\"b"), "\"ab\"");
	assert_string_equal(tickets_fts_expression(a, "(x) OR y"), "\"x\" \"OR\" \"y\"");
	assert_string_equal(tickets_fts_expression(a, "e-mail\tuser@example.com\nv1.2"),
	                    "\"e-mail\" \"user@example.com\" \"v1.2\"");
	assert_string_equal(tickets_fts_expression(a, "Müller"), "\"Müller\"");
	assert_string_equal(tickets_fts_expression(a, "snake_case"), "\"snake_case\"");
	assert_string_equal(tickets_fts_expression(a, "\"* x"), "\"x\"");
	assert_null(tickets_fts_expression(a, ""));
	assert_null(tickets_fts_expression(a, "   \t\n"));
	assert_null(tickets_fts_expression(a, "*"));
	assert_null(tickets_fts_expression(a, "\"\" () : ^ +"));
	/* '_', '@', '.' and '-' alone are separators, not words */
	assert_null(tickets_fts_expression(a, "- _ @ . -- ..."));
	assert_string_equal(tickets_fts_expression(a, "- vpn"), "\"vpn\"");
}

static void test_fts_expression_limits_terms_and_word_length(void **state)
{
	struct fixture *f = *state;
	struct arena *a = &f->arena;
	const char *q = "";
	for (int i = 0; i < 20; i++)
		q = arena_printf(a, "%s w%d", q, i);
	const char *e = tickets_fts_expression(a, q);
	assert_non_null(e);
	unsigned quotes = 0;
	for (const char *p = e; *p; p++)
		quotes += *p == '"';
	assert_int_equal(quotes, 2 * LS_MAX_SEARCH_TERMS);
	assert_non_null(strstr(e, "\"w15\""));
	assert_null(strstr(e, "\"w16\""));
	e = tickets_fts_expression(a, repeat(f, 'z', 300));
	assert_non_null(e);
	assert_int_equal(strlen(e), LS_MAX_SEARCH_BYTES + 2);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_create_numbers_tickets_per_type_across_clients),
	        T(test_create_derives_priority_from_the_default_matrix),
	        T(test_create_uses_the_clients_own_matrix),
	        T(test_create_fills_defaults_and_timestamps),
	        T(test_create_records_who_created_the_ticket),
	        T(test_create_with_assignee_starts_assigned),
	        T(test_create_with_team_only_starts_assigned),
	        T(test_create_validation_errors_name_the_field),
	        T(test_create_accepts_values_at_their_limits),
	        T(test_create_in_an_invisible_client_fails_like_a_missing_one),
	        T(test_assignee_must_be_an_active_worker_granted_the_client),
	        T(test_update_with_a_stale_version_fails_and_changes_nothing),
	        T(test_update_records_one_event_per_changed_field),
	        T(test_update_without_changes_records_nothing),
	        T(test_description_change_is_recorded_without_its_text),
	        T(test_assignee_on_a_new_ticket_moves_it_to_assigned),
	        T(test_removing_team_and_assignee_returns_ticket_to_new),
	        T(test_type_of_a_ticket_cannot_change),
	        T(test_update_validation_errors_name_the_field),
	        T(test_priority_follows_impact_and_urgency),
	        T(test_tag_changes_record_old_and_new_lists),
	        T(test_same_tags_in_another_order_are_not_a_change),
	        T(test_invalid_transition_names_the_allowed_targets),
	        T(test_transition_to_the_current_state_is_refused),
	        T(test_assigned_needs_a_team_or_an_assignee),
	        T(test_unknown_target_state_is_an_invalid_field),
	        T(test_transition_checks_the_version_when_given),
	        T(test_resolving_sets_resolved_at),
	        T(test_reopen_counts_and_clears_resolved_at),
	        T(test_closed_ticket_refuses_every_change),
	        T(test_life_cycle_history_lists_every_state_change),
	        T(test_first_agent_reply_sets_first_response_once),
	        T(test_notes_and_customer_replies_are_no_first_response),
	        T(test_pending_customer_reply_resumes_work),
	        T(test_customer_reply_elsewhere_and_agent_reply_keep_the_state),
	        T(test_message_validation_errors_name_the_field),
	        T(test_client_viewer_sees_replies_but_not_notes),
	        T(test_replies_are_searchable_but_notes_are_not),
	        T(test_effort_takes_one_minute_to_one_day),
	        T(test_effort_cannot_lie_more_than_a_day_ahead),
	        T(test_caused_by_must_point_at_a_problem),
	        T(test_links_stay_within_one_client),
	        T(test_ticket_cannot_link_to_itself),
	        T(test_duplicate_link_is_a_conflict),
	        T(test_agent_gets_not_found_for_another_clients_ticket),
	        T(test_link_to_an_invisible_ticket_fails_like_a_missing_one),
	        T(test_list_never_shows_another_clients_tickets),
	        T(test_list_pages_with_a_keyset_cursor),
	        T(test_list_updated_since_pages_in_update_order),
	        T(test_list_filters_by_state_type_priority_team_and_assignee),
	        T(test_list_checks_its_parameters),
	        T(test_search_cannot_be_broken_by_fts_syntax),
	        T(test_fts_expression_quotes_every_word),
	        T(test_fts_expression_limits_terms_and_word_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
