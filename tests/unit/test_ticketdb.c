/* Tests for store/ticketdb.c against a fresh database: per-type numbering,
 * insert/get round trips of every column, optimistic updates (-LS_ESTALE on a
 * stale version), tags, list filters and keyset pagination in both orders, the
 * full-text index, and history, messages, effort and links scoped by client. */
#include "helpers.h"

#include "store/dirdb.h"
#include "store/persondb.h"
#include "store/ticketdb.h"

static int64_t acme, globex;

static int setup(void **state)
{
	fixture_setup(state);
	struct fixture *f = *state;
	acme = fx_client(f, "ACME", NULL);
	globex = fx_client(f, "GLOBEX", NULL);
	return 0;
}

/* Inserts a minimal ticket numbered from the type's sequence. */
static struct ticket put(struct fixture *f, int64_t client, enum ticket_type type, const char *title, ls_time at)
{
	struct ticket t = {
	        .client_id = client,
	        .type = type,
	        .title = title,
	        .description = "",
	        .impact = 3,
	        .urgency = 3,
	        .priority = 5,
	        .state = TICKET_STATE_NEW,
	        .channel = TICKET_CHANNEL_WEB,
	        .created_at = at,
	        .updated_at = at,
	};
	int64_t seq;
	assert_int_equal(ticketdb_next_seq(f->st, type, &seq), 0);
	ticket_number_format(type, seq, t.number, sizeof(t.number));
	assert_int_equal(ticketdb_insert(f->st, &t), 0);
	assert_true(t.id > 0);
	assert_int_equal(t.version, 1);
	return t;
}

static struct ticket_filter any(unsigned limit)
{
	return (struct ticket_filter){.state = -1, .type = -1, .limit = limit};
}

static size_t list(struct fixture *f, const struct ticket_filter *flt, struct ticket **ret)
{
	size_t n = 99;
	assert_int_equal(ticketdb_list(f->st, &f->arena, flt, ret, &n), 0);
	return n;
}

static void test_sequences_count_per_type_from_one(void **state)
{
	struct fixture *f = *state;
	int64_t s;
	assert_int_equal(ticketdb_next_seq(f->st, TICKET_TYPE_INCIDENT, &s), 0);
	assert_true(s == 1);
	assert_int_equal(ticketdb_next_seq(f->st, TICKET_TYPE_INCIDENT, &s), 0);
	assert_true(s == 2);
	assert_int_equal(ticketdb_next_seq(f->st, TICKET_TYPE_PROBLEM, &s), 0);
	assert_true(s == 1);
	assert_int_equal(ticketdb_next_seq(f->st, TICKET_TYPE_SERVICE_REQUEST, &s), 0);
	assert_true(s == 1);
	assert_int_equal(ticketdb_next_seq(f->st, TICKET_TYPE_COMPLAINT, &s), 0);
	assert_true(s == 1);
	assert_int_equal(ticketdb_next_seq(f->st, TICKET_TYPE_INCIDENT, &s), 0);
	assert_true(s == 3);
}

static void test_insert_and_get_round_trip_every_column(void **state)
{
	struct fixture *f = *state;
	int64_t team = fx_team(f, "L1");
	int64_t agent = fx_user(f, "anna@example.com", USER_ROLE_AGENT, "ACME");
	struct ticket t = {
	        .client_id = acme,
	        .number = "PRB0000042",
	        .type = TICKET_TYPE_PROBLEM,
	        .title = "Printer prints blank pages",
	        .description = "Since Monday.",
	        .category = "Printing",
	        .impact = 1,
	        .urgency = 2,
	        .priority = 2,
	        .state = TICKET_STATE_PENDING_VENDOR,
	        .channel = TICKET_CHANNEL_PHONE,
	        .team_id = team,
	        .assignee_id = agent,
	        .reopen_count = 2,
	        .created_at = 1000,
	        .updated_at = 2000,
	        .first_response_at = 1500,
	        .resolved_at = 1600,
	        .closed_at = 1700,
	};
	/* the requester is a person record, sealed with the client's key */
	struct person bert = {.client_id = acme,
	                      .name = "Bert",
	                      .email = "bert@acme.example",
	                      .phone = "+49 30 1234",
	                      .created_at = 1000};
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(persondb_insert(f->st, &f->arena, &bert, NULL), 0);
	assert_int_equal(store_commit(f->st), 0);
	t.person_id = bert.id;
	assert_int_equal(ticketdb_insert(f->st, &t), 0);
	struct ticket g, h;
	assert_int_equal(ticketdb_get_by_number(f->st, &f->arena, "PRB0000042", &g), 0);
	assert_int_equal(ticketdb_get_by_id(f->st, &f->arena, t.id, &h), 0);
	for (int i = 0; i < 2; i++) {
		const struct ticket *x = i ? &h : &g;
		assert_true(x->id == t.id);
		assert_true(x->client_id == acme);
		assert_string_equal(x->client_code, "ACME");
		assert_string_equal(x->number, "PRB0000042");
		assert_int_equal(x->type, TICKET_TYPE_PROBLEM);
		assert_string_equal(x->title, "Printer prints blank pages");
		assert_string_equal(x->description, "Since Monday.");
		assert_string_equal(x->category, "Printing");
		assert_int_equal(x->impact, 1);
		assert_int_equal(x->urgency, 2);
		assert_int_equal(x->priority, 2);
		assert_int_equal(x->state, TICKET_STATE_PENDING_VENDOR);
		assert_int_equal(x->channel, TICKET_CHANNEL_PHONE);
		assert_string_equal(x->requester_name, "Bert");
		assert_string_equal(x->requester_email, "bert@acme.example");
		assert_string_equal(x->requester_phone, "+49 30 1234");
		assert_true(x->person_id == bert.id);
		assert_string_equal(x->person_pseudonym, bert.pseudonym);
		assert_true(x->team_id == team);
		assert_string_equal(x->team_code, "L1");
		assert_true(x->assignee_id == agent);
		assert_string_equal(x->assignee_email, "anna@example.com");
		assert_int_equal(x->version, 1);
		assert_int_equal(x->reopen_count, 2);
		assert_true(x->created_at == 1000 && x->updated_at == 2000);
		assert_true(x->first_response_at == 1500 && x->resolved_at == 1600 && x->closed_at == 1700);
		assert_int_equal(x->n_tags, 0);
	}
}

static void test_absent_optionals_load_as_null_and_zero(void **state)
{
	struct fixture *f = *state;
	struct ticket t = put(f, acme, TICKET_TYPE_INCIDENT, "Minimal", 10);
	struct ticket g;
	assert_int_equal(ticketdb_get_by_number(f->st, &f->arena, t.number, &g), 0);
	assert_string_equal(g.number, "INC0000001");
	assert_null(g.category);
	assert_null(g.requester_name);
	assert_null(g.requester_email);
	assert_null(g.requester_phone);
	assert_true(g.team_id == 0 && g.assignee_id == 0);
	assert_null(g.team_code);
	assert_null(g.assignee_email);
	assert_true(g.first_response_at == 0 && g.resolved_at == 0 && g.closed_at == 0);
	assert_string_equal(g.description, "");
}

static void test_get_unknown_ticket_is_enoent(void **state)
{
	struct fixture *f = *state;
	struct ticket g = {.id = 77};
	assert_int_equal(ticketdb_get_by_number(f->st, &f->arena, "INC0000001", &g), -ENOENT);
	assert_int_equal(ticketdb_get_by_id(f->st, &f->arena, 12345, &g), -ENOENT);
	assert_true(g.id == 77); /* untouched */
}

static void test_duplicate_number_and_unknown_client_are_conflicts(void **state)
{
	struct fixture *f = *state;
	struct ticket t = put(f, acme, TICKET_TYPE_INCIDENT, "One", 10);
	struct ticket dup = t;
	dup.id = 0;
	assert_int_equal(ticketdb_insert(f->st, &dup), -LS_ECONFLICT);
	struct ticket orphan = t;
	snprintf(orphan.number, sizeof(orphan.number), "INC0000099");
	orphan.client_id = 424242;
	assert_int_equal(ticketdb_insert(f->st, &orphan), -LS_ECONFLICT);
}

static void test_update_bumps_version_and_refuses_a_stale_one(void **state)
{
	struct fixture *f = *state;
	struct ticket t = put(f, acme, TICKET_TYPE_INCIDENT, "Old title", 10);
	t.title = "New title";
	t.state = TICKET_STATE_IN_PROGRESS;
	t.updated_at = 20;
	assert_int_equal(ticketdb_update(f->st, &t, 1), 0);
	struct ticket g;
	assert_int_equal(ticketdb_get_by_id(f->st, &f->arena, t.id, &g), 0);
	assert_int_equal(g.version, 2);
	assert_string_equal(g.title, "New title");
	assert_int_equal(g.state, TICKET_STATE_IN_PROGRESS);
	assert_true(g.updated_at == 20);

	t.title = "Lost update";
	assert_int_equal(ticketdb_update(f->st, &t, 1), -LS_ESTALE);
	assert_int_equal(ticketdb_get_by_id(f->st, &f->arena, t.id, &g), 0);
	assert_int_equal(g.version, 2);
	assert_string_equal(g.title, "New title");

	assert_int_equal(ticketdb_update(f->st, &t, 2), 0);
	assert_int_equal(ticketdb_get_by_id(f->st, &f->arena, t.id, &g), 0);
	assert_int_equal(g.version, 3);
	assert_string_equal(g.title, "Lost update");

	struct ticket ghost = t;
	ghost.id = 999;
	assert_int_equal(ticketdb_update(f->st, &ghost, 1), -LS_ESTALE);
}

static void test_update_clears_optional_values(void **state)
{
	struct fixture *f = *state;
	int64_t team = fx_team(f, "L2");
	struct ticket t = put(f, acme, TICKET_TYPE_INCIDENT, "Clear me", 10);
	t.category = "Net";
	t.team_id = team;
	t.resolved_at = 15;
	assert_int_equal(ticketdb_update(f->st, &t, 1), 0);
	t.category = NULL;
	t.team_id = 0;
	t.resolved_at = 0;
	assert_int_equal(ticketdb_update(f->st, &t, 2), 0);
	struct ticket g;
	assert_int_equal(ticketdb_get_by_id(f->st, &f->arena, t.id, &g), 0);
	assert_null(g.category);
	assert_true(g.team_id == 0);
	assert_null(g.team_code);
	assert_true(g.resolved_at == 0);
}

static void test_tags_are_replaced_and_loaded_sorted_once(void **state)
{
	struct fixture *f = *state;
	struct ticket t = put(f, acme, TICKET_TYPE_INCIDENT, "Tagged", 10);
	const char *tags[] = {"vpn", "homeoffice", "vpn", "urgent"};
	assert_int_equal(ticketdb_tags_set(f->st, t.id, tags, 4), 0);
	struct ticket g;
	assert_int_equal(ticketdb_get_by_id(f->st, &f->arena, t.id, &g), 0);
	assert_int_equal(g.n_tags, 3);
	assert_string_equal(g.tags[0], "homeoffice");
	assert_string_equal(g.tags[1], "urgent");
	assert_string_equal(g.tags[2], "vpn");
	const char *other[] = {"printer"};
	assert_int_equal(ticketdb_tags_set(f->st, t.id, other, 1), 0);
	assert_int_equal(ticketdb_get_by_id(f->st, &f->arena, t.id, &g), 0);
	assert_int_equal(g.n_tags, 1);
	assert_string_equal(g.tags[0], "printer");
	assert_int_equal(ticketdb_tags_set(f->st, t.id, NULL, 0), 0);
	assert_int_equal(ticketdb_get_by_id(f->st, &f->arena, t.id, &g), 0);
	assert_int_equal(g.n_tags, 0);
}

static void test_list_filters_combine(void **state)
{
	struct fixture *f = *state;
	int64_t team = fx_team(f, "L1");
	int64_t agent = fx_user(f, "anna@example.com", USER_ROLE_AGENT, "ACME");
	int64_t viewer = fx_user(f, "gus@globex.example", USER_ROLE_CLIENT_VIEWER, "GLOBEX");
	struct ticket a1 = put(f, acme, TICKET_TYPE_INCIDENT, "a1", 10);
	struct ticket a2 = put(f, acme, TICKET_TYPE_PROBLEM, "a2", 11);
	struct ticket g1 = put(f, globex, TICKET_TYPE_INCIDENT, "g1", 12);
	a1.state = TICKET_STATE_ASSIGNED;
	a1.team_id = team;
	a1.assignee_id = agent;
	a1.impact = 1;
	a1.priority = 3;
	assert_int_equal(ticketdb_update(f->st, &a1, 1), 0);

	struct ticket *v;
	struct ticket_filter flt = any(10);
	assert_int_equal(list(f, &flt, &v), 3);
	assert_string_equal(v[0].title, "g1"); /* newest id first */
	assert_string_equal(v[2].title, "a1");

	flt.client_id = acme;
	assert_int_equal(list(f, &flt, &v), 2);
	flt.type = TICKET_TYPE_INCIDENT;
	assert_int_equal(list(f, &flt, &v), 1);
	assert_true(v[0].id == a1.id);
	flt = any(10);
	flt.state = TICKET_STATE_NEW;
	assert_int_equal(list(f, &flt, &v), 2);
	assert_true(v[0].id == g1.id && v[1].id == a2.id);
	flt = any(10);
	flt.priority = 3;
	assert_int_equal(list(f, &flt, &v), 1);
	assert_true(v[0].id == a1.id);
	flt = any(10);
	flt.team_id = team;
	assert_int_equal(list(f, &flt, &v), 1);
	flt = any(10);
	flt.assignee_id = agent;
	assert_int_equal(list(f, &flt, &v), 1);
	assert_string_equal(v[0].assignee_email, "anna@example.com");
	flt = any(10);
	flt.visible_to_user = viewer;
	assert_int_equal(list(f, &flt, &v), 1);
	assert_true(v[0].id == g1.id);
	flt.visible_to_user = agent;
	assert_int_equal(list(f, &flt, &v), 2);
	assert_true(v[0].client_id == acme && v[1].client_id == acme);
	flt.client_id = globex; /* a client the user is not granted */
	assert_int_equal(list(f, &flt, &v), 0);
}

static void test_list_pages_by_id_descending_with_keyset(void **state)
{
	struct fixture *f = *state;
	int64_t ids[7];
	for (int i = 0; i < 7; i++)
		ids[i] = put(f, acme, TICKET_TYPE_INCIDENT, "t", 10 + i).id;
	struct ticket *v;
	struct ticket_filter flt = any(3);
	assert_int_equal(list(f, &flt, &v), 3);
	assert_true(v[0].id == ids[6] && v[1].id == ids[5] && v[2].id == ids[4]);
	flt.has_after = true;
	flt.after_id = v[2].id;
	assert_int_equal(list(f, &flt, &v), 3);
	assert_true(v[0].id == ids[3] && v[2].id == ids[1]);
	flt.after_id = v[2].id;
	assert_int_equal(list(f, &flt, &v), 1);
	assert_true(v[0].id == ids[0]);
	flt.after_id = v[0].id;
	assert_int_equal(list(f, &flt, &v), 0);
}

static void test_list_updated_since_orders_by_update_then_id(void **state)
{
	struct fixture *f = *state;
	struct ticket t[5];
	static const ls_time at[] = {100, 300, 200, 300, 50};
	for (int i = 0; i < 5; i++)
		t[i] = put(f, acme, TICKET_TYPE_INCIDENT, "t", at[i]);
	struct ticket *v;
	struct ticket_filter flt = any(2);
	flt.has_updated_since = true;
	flt.updated_since = 100;
	/* expected order: t0 (100), t2 (200), t1 (300, lower id), t3 (300) */
	assert_int_equal(list(f, &flt, &v), 2);
	assert_true(v[0].id == t[0].id && v[1].id == t[2].id);
	flt.has_after = true;
	flt.after_updated_at = v[1].updated_at;
	flt.after_id = v[1].id;
	assert_int_equal(list(f, &flt, &v), 2);
	assert_true(v[0].id == t[1].id && v[1].id == t[3].id);
	flt.after_updated_at = v[0].updated_at; /* same instant: the id breaks the tie */
	flt.after_id = v[0].id;
	assert_int_equal(list(f, &flt, &v), 1);
	assert_true(v[0].id == t[3].id);
	flt.after_updated_at = 300;
	flt.after_id = t[3].id;
	assert_int_equal(list(f, &flt, &v), 0);
}

static void test_fts_finds_title_description_and_replies(void **state)
{
	struct fixture *f = *state;
	struct ticket a = put(f, acme, TICKET_TYPE_INCIDENT, "Drucker druckt leere Seiten", 10);
	struct ticket b = put(f, acme, TICKET_TYPE_INCIDENT, "VPN bricht ab", 11);
	assert_int_equal(ticketdb_fts_put(f->st, a.id, a.title, "Im zweiten Stock bei Müller"), 0);
	assert_int_equal(ticketdb_fts_put(f->st, b.id, b.title, NULL), 0);
	struct ticket *v;
	struct ticket_filter flt = any(10);
	flt.fts_query = "\"drucker\"";
	assert_int_equal(list(f, &flt, &v), 1);
	assert_true(v[0].id == a.id);
	flt.fts_query = "\"muller\""; /* diacritics removed */
	assert_int_equal(list(f, &flt, &v), 1);
	flt.fts_query = "\"vpn\"";
	assert_int_equal(list(f, &flt, &v), 1);
	assert_true(v[0].id == b.id);
	flt.fts_query = "\"toner\"";
	assert_int_equal(list(f, &flt, &v), 0);
	assert_int_equal(ticketdb_fts_add_reply(f->st, b.id, "Toner getauscht"), 0);
	assert_int_equal(ticketdb_fts_add_reply(f->st, b.id, "Router neu gestartet"), 0);
	assert_int_equal(list(f, &flt, &v), 1);
	assert_true(v[0].id == b.id);
	flt.fts_query = "\"router\"";
	assert_int_equal(list(f, &flt, &v), 1);
	/* a new title replaces the old words */
	assert_int_equal(ticketdb_fts_put(f->st, a.id, "Scanner defekt", ""), 0);
	flt.fts_query = "\"drucker\"";
	assert_int_equal(list(f, &flt, &v), 0);
	flt.fts_query = "\"scan\"*";
	assert_int_equal(list(f, &flt, &v), 1);
	assert_true(v[0].id == a.id);
	/* the text filter combines with the others */
	flt.client_id = globex;
	assert_int_equal(list(f, &flt, &v), 0);
}

static void test_events_messages_and_efforts_round_trip(void **state)
{
	struct fixture *f = *state;
	int64_t agent = fx_user(f, "anna@example.com", USER_ROLE_AGENT, "ACME");
	struct ticket t = put(f, acme, TICKET_TYPE_INCIDENT, "t", 10);
	struct ticket_event ev1 = {.client_id = acme,
	                           .ticket_id = t.id,
	                           .at = 10,
	                           .actor_kind = AUTHOR_KIND_SYSTEM,
	                           .field = "created",
	                           .new_value = t.number};
	struct ticket_event ev2 = {.client_id = acme,
	                           .ticket_id = t.id,
	                           .at = 20,
	                           .actor_kind = AUTHOR_KIND_AGENT,
	                           .actor_id = agent,
	                           .field = "state",
	                           .old_value = "new",
	                           .new_value = "in_progress"};
	assert_int_equal(ticketdb_event_append(f->st, &ev1), 0);
	assert_int_equal(ticketdb_event_append(f->st, &ev2), 0);
	struct ticket_event *ev;
	size_t n;
	assert_int_equal(ticketdb_events(f->st, &f->arena, acme, t.id, &ev, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ev[0].field, "created");
	assert_null(ev[0].old_value);
	assert_string_equal(ev[0].new_value, "INC0000001");
	assert_int_equal(ev[0].actor_kind, AUTHOR_KIND_SYSTEM);
	assert_true(ev[0].actor_id == 0);
	assert_null(ev[0].actor_email);
	assert_string_equal(ev[1].old_value, "new");
	assert_string_equal(ev[1].actor_email, "anna@example.com");
	assert_true(ev[1].at == 20);
	/* the client id scopes the history */
	assert_int_equal(ticketdb_events(f->st, &f->arena, globex, t.id, &ev, &n), 0);
	assert_int_equal(n, 0);

	struct ticket_message reply = {.client_id = acme,
	                               .ticket_id = t.id,
	                               .kind = MESSAGE_KIND_REPLY,
	                               .author_kind = AUTHOR_KIND_AGENT,
	                               .author_user_id = agent,
	                               .author_name = "Anna",
	                               .body = "Hello",
	                               .created_at = 30};
	struct ticket_message note = {.client_id = acme,
	                              .ticket_id = t.id,
	                              .kind = MESSAGE_KIND_NOTE,
	                              .author_kind = AUTHOR_KIND_AGENT,
	                              .body = "internal",
	                              .created_at = 31};
	assert_int_equal(ticketdb_message_insert(f->st, &reply, false), 0);
	assert_int_equal(ticketdb_message_insert(f->st, &note, false), 0);
	assert_true(reply.id > 0 && note.id > reply.id);
	struct ticket_message *m;
	assert_int_equal(ticketdb_messages(f->st, &f->arena, acme, t.id, true, &m, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(m[1].kind, MESSAGE_KIND_NOTE);
	assert_string_equal(m[0].body, "Hello");
	assert_string_equal(m[0].author_name, "Anna");
	assert_true(m[0].author_user_id == agent);
	assert_int_equal(ticketdb_messages(f->st, &f->arena, acme, t.id, false, &m, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].kind, MESSAGE_KIND_REPLY);

	struct ticket_effort e = {.client_id = acme,
	                          .ticket_id = t.id,
	                          .user_id = agent,
	                          .minutes = 45,
	                          .note = NULL,
	                          .worked_at = 40,
	                          .created_at = 41};
	assert_int_equal(ticketdb_effort_insert(f->st, &e), 0);
	struct ticket_effort *ef;
	assert_int_equal(ticketdb_efforts(f->st, &f->arena, acme, t.id, &ef, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ef[0].minutes, 45);
	assert_string_equal(ef[0].note, "");
	assert_string_equal(ef[0].user_email, "anna@example.com");
	assert_true(ef[0].worked_at == 40 && ef[0].created_at == 41);
	e.minutes = 0; /* CHECK (minutes > 0) */
	assert_int_equal(ticketdb_effort_insert(f->st, &e), -LS_ECONFLICT);
}

static void test_links_show_from_both_ends_and_refuse_duplicates(void **state)
{
	struct fixture *f = *state;
	struct ticket inc = put(f, acme, TICKET_TYPE_INCIDENT, "Incident", 10);
	struct ticket prb = put(f, acme, TICKET_TYPE_PROBLEM, "Root cause", 11);
	assert_int_equal(ticketdb_link_insert(f->st, acme, inc.id, LINK_KIND_CAUSED_BY, prb.id, 50), 0);
	assert_int_equal(ticketdb_link_insert(f->st, acme, inc.id, LINK_KIND_CAUSED_BY, prb.id, 51), -LS_ECONFLICT);
	struct ticket_link *l;
	size_t n;
	assert_int_equal(ticketdb_links(f->st, &f->arena, acme, inc.id, &l, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(l[0].kind, LINK_KIND_CAUSED_BY);
	assert_false(l[0].inverse);
	assert_string_equal(l[0].other_number, "PRB0000001");
	assert_string_equal(l[0].other_title, "Root cause");
	assert_true(l[0].created_at == 50);
	assert_int_equal(ticketdb_links(f->st, &f->arena, acme, prb.id, &l, &n), 0);
	assert_int_equal(n, 1);
	assert_true(l[0].inverse);
	assert_string_equal(l[0].other_number, "INC0000001");
	assert_int_equal(ticketdb_links(f->st, &f->arena, globex, prb.id, &l, &n), 0);
	assert_int_equal(n, 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_sequences_count_per_type_from_one),
	        T(test_insert_and_get_round_trip_every_column),
	        T(test_absent_optionals_load_as_null_and_zero),
	        T(test_get_unknown_ticket_is_enoent),
	        T(test_duplicate_number_and_unknown_client_are_conflicts),
	        T(test_update_bumps_version_and_refuses_a_stale_one),
	        T(test_update_clears_optional_values),
	        T(test_tags_are_replaced_and_loaded_sorted_once),
	        T(test_list_filters_combine),
	        T(test_list_pages_by_id_descending_with_keyset),
	        T(test_list_updated_since_orders_by_update_then_id),
	        T(test_fts_finds_title_description_and_replies),
	        T(test_events_messages_and_efforts_round_trip),
	        T(test_links_show_from_both_ends_and_refuse_duplicates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
