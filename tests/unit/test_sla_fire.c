/* Tests for service/sla_timer.c, the firing rules of the SLA timer, driven directly
 * with an injected clock against a fresh database: sla_fire() at instants around
 * every warning, breach and escalation level fires exactly the marks that fell due
 * (outbox rows with their fire keys and due instants, ticket history events) and
 * reports the next deadline and the earliest running due instant; a mark fires once,
 * also when evaluated again, late, or after a new store connection; marks that fell
 * due before `since` are not fired; business-time policies on the Berlin office
 * calendar (DST, Easter, pauses) fire at instants computed by hand; escalation levels
 * climb without an acknowledgement and do not after one, and a reassign level moves
 * the ticket; each fired event gets one delivery per subscription that wants it;
 * a ticket keeps its policy version until a repair. */
#include "helpers.h"

#include <jansson.h>
#include <sqlite3.h>

#include "service/sla.h"
#include "service/sla_timer.h"
#include "service/tickets.h"
#include "service/webhooks.h"
#include "store/jobsdb.h"

#define M 60
#define H 3600

/* 24×7 UTC: business time equals calendar time, so every instant is t0 + a sum. */
#define SIMPLE "{\"warnings\":[\"50%\"],\"targets\":{\"P5\":{\"first_response\":\"1h\",\"resolution\":\"4h\"}}}"

#define OFFICE                                                                                                         \
	"{\"calendar\":{\"tz\":\"Europe/Berlin\",\"hours\":\"mon-fri 08:00-17:00\",\"holidays\":\"DE-NW\"},"           \
	"\"pause_states\":[\"pending_customer\"],\"warnings\":[\"50%\",\"75%\"],"                                      \
	"\"targets\":{\"P5\":{\"resolution\":\"4h\"}}}"

/* Level 1 at half the resolution target with 30 minutes to acknowledge; level 2 at
 * the breach moves the ticket to team L2. */
#define ESCALATING                                                                                                     \
	"{\"warnings\":[],\"targets\":{\"P5\":{\"resolution\":\"4h\"}},\"escalations\":{\"resolution\":["              \
	"{\"at\":\"50%\",\"action\":\"notify\",\"owner\":\"team_lead\",\"ack_within\":\"30m\"},"                       \
	"{\"at\":\"100%\",\"action\":\"reassign\",\"owner\":\"L2\"}]}}"

static int setup(void **state)
{
	sla_cache_clear(); /* compiled policies are keyed by row id, which every fresh database reuses */
	return fixture_setup(state);
}

static int teardown(void **state)
{
	sla_cache_clear();
	return fixture_teardown(state);
}

static void create_policy(struct fixture *f, const char *code, const char *definition)
{
	struct sla_input in = {.client = "ACME", .code = code, .definition = definition};
	struct sla_def d;
	assert_ok(f, sla_policies_create(&f->svc, &in, &d));
}

/* An ACME incident at the current clock; impact and urgency 3: P5. */
static struct ticket new_ticket(struct fixture *f)
{
	struct ticket_input in = {.client = "ACME", .type = TICKET_TYPE_INCIDENT, .title = "t", .channel = -1};
	struct ticket t;
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	assert_int_equal(t.priority, 5);
	return t;
}

static struct ticket reload(struct fixture *f, const char *number)
{
	struct ticket t;
	assert_ok(f, tickets_get(&f->svc, number, &t));
	return t;
}

static struct sla_fire_result fire_at(struct fixture *f, int64_t ticket_id, ls_time at, ls_time since)
{
	f->svc.now = at;
	struct sla_fire_result res;
	assert_ok(f, sla_fire(&f->svc, ticket_id, since, &res));
	return res;
}

/* Instants in the expectations are offsets from a base, 0 stays 0 ("none"). */
#define assert_fired(res, fired_, next_, due_)                                                                         \
	do {                                                                                                           \
		assert_int_equal((res).fired, (fired_));                                                               \
		assert_int_equal((res).next, (next_));                                                                 \
		assert_int_equal((res).due, (due_));                                                                   \
	} while (0)

static long long rel(ls_time t, ls_time base)
{
	return (long long)(t - base);
}

/* The ticket's outbox rows, oldest first, one a line: "event key due=+s at=+s" with
 * the ticket id at the start of the key written as T. */
static const char *outbox_of(struct fixture *f, int64_t ticket_id, ls_time base)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_handle(f->st),
	                                    "SELECT event, fire_key, due_at, created_at FROM outbox "
	                                    "WHERE ticket_id = ? AND fire_key IS NOT NULL ORDER BY id",
	                                    -1, &q, NULL),
	                 SQLITE_OK);
	sqlite3_bind_int64(q, 1, ticket_id);
	const char *out = "";
	const char *prefix = arena_printf(&f->arena, "%lld/", (long long)ticket_id);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(q, 1);
		assert_true(strncmp(key, prefix, strlen(prefix)) == 0);
		out = arena_printf(&f->arena, "%s%s T/%s due=%+lld at=%+lld\n", out, sqlite3_column_text(q, 0),
		                   key + strlen(prefix), rel(sqlite3_column_int64(q, 2), base),
		                   rel(sqlite3_column_int64(q, 3), base));
	}
	sqlite3_finalize(q);
	return out;
}

static int64_t count_rows(struct fixture *f, const char *sql)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_handle(f->st), sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

/* Field a (or a.b) of the payload of the ticket's n-th fired SLA event (0-based), as
 * text: a string, an integer in decimal, true or false; NULL when absent. Copied to the
 * arena, so no JSON value is held when an assertion fails. */
static const char *payload_field(struct fixture *f, int64_t ticket_id, int n, const char *a, const char *b)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_handle(f->st),
	                                    "SELECT payload FROM outbox WHERE ticket_id = ? AND fire_key IS NOT NULL "
	                                    "ORDER BY id LIMIT 1 OFFSET ?",
	                                    -1, &q, NULL),
	                 SQLITE_OK);
	sqlite3_bind_int64(q, 1, ticket_id);
	sqlite3_bind_int(q, 2, n);
	const char *text =
	        sqlite3_step(q) == SQLITE_ROW ? arena_strdup(&f->arena, (const char *)sqlite3_column_text(q, 0)) : NULL;
	sqlite3_finalize(q);
	assert_non_null(text);
	json_error_t je;
	json_t *o = json_loads(text, 0, &je);
	assert_non_null(o);
	json_t *v = json_object_get(o, a);
	if (b)
		v = json_object_get(v, b);
	const char *ret = json_is_string(v)    ? arena_strdup(&f->arena, json_string_value(v))
	                  : json_is_integer(v) ? arena_printf(&f->arena, "%lld", (long long)json_integer_value(v))
	                  : json_is_boolean(v) ? (json_is_true(v) ? "true" : "false")
	                                       : NULL;
	json_decref(o);
	return ret;
}

#define assert_payload(f, id, n, a, b, want)                                                                           \
	do {                                                                                                           \
		const char *_v = payload_field((f), (id), (n), (a), (b));                                              \
		if (!_v)                                                                                               \
			fail_msg("payload %d: %s%s%s is missing", (n), (a), (b) ? "." : "", (b) ? (b) : "");           \
		assert_string_equal(_v, (want));                                                                       \
	} while (0)

/* The SLA events of the ticket's history, one a line: "field value at=+s". */
static const char *sla_history(struct fixture *f, const char *number, ls_time base)
{
	struct ticket_event *ev;
	size_t n;
	assert_ok(f, tickets_history(&f->svc, number, &ev, &n));
	const char *out = "";
	for (size_t i = 0; i < n; i++) {
		if (strcmp(ev[i].field, "sla_warning") != 0 && strcmp(ev[i].field, "sla_breach") != 0 &&
		    strcmp(ev[i].field, "sla_escalation") != 0 && strcmp(ev[i].field, "sla_ack") != 0)
			continue;
		assert_int_equal(ev[i].actor_kind,
		                 strcmp(ev[i].field, "sla_ack") == 0 ? AUTHOR_KIND_AGENT : AUTHOR_KIND_SYSTEM);
		out = arena_printf(&f->arena, "%s%s %s at=%+lld\n", out, ev[i].field,
		                   ev[i].new_value ? ev[i].new_value : "(null)", rel(ev[i].at, base));
	}
	return out;
}

static const struct ticket_event *events_of(struct fixture *f, const char *number, const char *field, size_t *ret_n)
{
	struct ticket_event *ev, *v = NULL;
	size_t n, k = 0, cap = 0;
	assert_ok(f, tickets_history(&f->svc, number, &ev, &n));
	for (size_t i = 0; i < n; i++)
		if (strcmp(ev[i].field, field) == 0)
			ARENA_PUSH(&f->arena, v, k, cap) = ev[i];
	*ret_n = k;
	return v;
}

/* ---- 1. the instants around each mark ---- */

static void test_fire_at_each_instant_writes_exactly_the_marks_due(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	create_policy(f, "SIMPLE", SIMPLE);
	const ls_time t0 = TEST_T0;
	struct ticket t = new_ticket(f);
	const int64_t id = t.id;
	/* first response: 50 % at +30m, due +1h; resolution: 50 % at +2h, due +4h */

	struct sla_fire_result r = fire_at(f, id, t0, 0);
	assert_fired(r, 0, t0 + 30 * M, t0 + 1 * H);
	assert_int_equal(r.client_id, t.client_id);
	r = fire_at(f, id, t0 + 30 * M - 1, 0);
	assert_fired(r, 0, t0 + 30 * M, t0 + 1 * H);
	assert_string_equal(outbox_of(f, id, t0), "");

	r = fire_at(f, id, t0 + 30 * M, 0); /* the warning's second */
	assert_fired(r, 1, t0 + 1 * H, t0 + 1 * H);
	assert_string_equal(outbox_of(f, id, t0), "sla.warning T/0/first_response/P5/w50 due=+1800 at=+1800\n");
	assert_string_equal(sla_history(f, t.number, t0), "sla_warning first_response 50% at=+1800\n");
	assert_payload(f, id, 0, "event", NULL, "sla.warning");
	assert_payload(f, id, 0, "due_at", NULL, "2026-03-02T09:30:00Z");
	assert_payload(f, id, 0, "at", NULL, "2026-03-02T09:30:00Z");
	assert_payload(f, id, 0, "client", NULL, "ACME");
	assert_payload(f, id, 0, "ticket", "number", t.number);
	assert_payload(f, id, 0, "sla", "target", "first_response");
	assert_payload(f, id, 0, "sla", "due", "2026-03-02T10:00:00Z");
	assert_payload(f, id, 0, "sla", "policy", "SIMPLE v1");
	assert_payload(f, id, 0, "sla", "percent", "50");

	r = fire_at(f, id, t0 + 45 * M, 0); /* between */
	assert_fired(r, 0, t0 + 1 * H, t0 + 1 * H);
	r = fire_at(f, id, t0 + 1 * H - 1, 0);
	assert_fired(r, 0, t0 + 1 * H, t0 + 1 * H);

	r = fire_at(f, id, t0 + 1 * H, 0); /* the breach's second: breached as of its end */
	assert_fired(r, 1, t0 + 2 * H, t0 + 4 * H);
	r = fire_at(f, id, t0 + 1 * H + 1, 0);
	assert_fired(r, 0, t0 + 2 * H, t0 + 4 * H);
	r = fire_at(f, id, t0 + 2 * H, 0);
	assert_fired(r, 1, t0 + 4 * H, t0 + 4 * H);
	r = fire_at(f, id, t0 + 4 * H - 1, 0);
	assert_fired(r, 0, t0 + 4 * H, t0 + 4 * H);
	r = fire_at(f, id, t0 + 4 * H, 0);
	assert_fired(r, 1, 0, 0); /* nothing runs any more, nothing is ahead */
	r = fire_at(f, id, t0 + 9 * H, 0);
	assert_fired(r, 0, 0, 0);

	assert_string_equal(outbox_of(f, id, t0), "sla.warning T/0/first_response/P5/w50 due=+1800 at=+1800\n"
	                                          "sla.breach T/0/first_response/P5/breach due=+3600 at=+3600\n"
	                                          "sla.warning T/1/resolution/P5/w50 due=+7200 at=+7200\n"
	                                          "sla.breach T/1/resolution/P5/breach due=+14400 at=+14400\n");
	assert_string_equal(sla_history(f, t.number, t0), "sla_warning first_response 50% at=+1800\n"
	                                                  "sla_breach first_response at=+3600\n"
	                                                  "sla_warning resolution 50% at=+7200\n"
	                                                  "sla_breach resolution at=+14400\n");
	assert_payload(f, id, 3, "event", NULL, "sla.breach");
	assert_payload(f, id, 3, "sla", "breached_at", "2026-03-02T13:00:00Z");
	assert_null(payload_field(f, id, 3, "sla", "percent"));
}

/* ---- 2. exactly once ---- */

static void test_a_mark_fires_once_late_and_never_again_after_a_restart(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	create_policy(f, "SIMPLE", SIMPLE);
	const ls_time t0 = TEST_T0;
	struct ticket t = new_ticket(f);

	/* nobody looked until an hour after the resolution breach: everything fires now,
	 * each with the instant it fell due */
	struct sla_fire_result r = fire_at(f, t.id, t0 + 5 * H, 0);
	assert_fired(r, 4, 0, 0);
	const char *want = "sla.warning T/0/first_response/P5/w50 due=+1800 at=+18000\n"
	                   "sla.breach T/0/first_response/P5/breach due=+3600 at=+18000\n"
	                   "sla.warning T/1/resolution/P5/w50 due=+7200 at=+18000\n"
	                   "sla.breach T/1/resolution/P5/breach due=+14400 at=+18000\n";
	assert_string_equal(outbox_of(f, t.id, t0), want);
	const char *hist = "sla_warning first_response 50% at=+18000\n"
	                   "sla_breach first_response at=+18000\n"
	                   "sla_warning resolution 50% at=+18000\n"
	                   "sla_breach resolution at=+18000\n";
	assert_string_equal(sla_history(f, t.number, t0), hist);
	assert_payload(f, t.id, 1, "due_at", NULL, "2026-03-02T10:00:00Z");
	assert_payload(f, t.id, 1, "at", NULL, "2026-03-02T14:00:00Z");

	/* again at the same instant, and later */
	r = fire_at(f, t.id, t0 + 5 * H, 0);
	assert_fired(r, 0, 0, 0);
	r = fire_at(f, t.id, t0 + 30 * H, 0);
	assert_fired(r, 0, 0, 0);

	/* a restart: a new store connection, a new service context, no compiled policies */
	store_close(f->st);
	f->st = NULL;
	sla_cache_clear();
	if (store_open(f->path, 0, &f->st, &f->err) < 0)
		fail_msg("store_open: %s", f->err.message);
	struct arena a2;
	arena_init(&a2);
	struct svc s2 = {.st = f->st, .arena = &a2, .actor = &actor_system, .now = t0 + 31 * H, .err = &f->err};
	f->svc.st = f->st;
	assert_int_equal(sla_fire(&s2, t.id, 0, &r), 0);
	assert_fired(r, 0, 0, 0);
	assert_int_equal(r.client_id, t.client_id);
	arena_release(&a2);
	assert_string_equal(outbox_of(f, t.id, t0), want);
	assert_string_equal(sla_history(f, t.number, t0), hist);
	bool fired;
	const char *key = arena_printf(&f->arena, "%lld/1/resolution/P5/breach", (long long)t.id);
	assert_int_equal(jobsdb_outbox_fired(f->st, key, &fired), 0);
	assert_true(fired);
	key = arena_printf(&f->arena, "%lld/1/resolution/P5/w75", (long long)t.id);
	assert_int_equal(jobsdb_outbox_fired(f->st, key, &fired), 0);
	assert_false(fired);

	/* an unknown ticket fires nothing and is no error */
	r = fire_at(f, t.id + 100, t0 + 31 * H, 0);
	assert_fired(r, 0, 0, 0);
	assert_int_equal(r.client_id, 0);
}

/* ---- 3. since ---- */

static void test_marks_due_before_since_are_not_fired(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	create_policy(f, "SIMPLE", SIMPLE);
	const ls_time t0 = TEST_T0;
	struct ticket a = new_ticket(f);
	struct ticket b = new_ticket(f);

	/* the first call stores the instant; later calls, on any clock, return it */
	ls_time since = 0;
	f->svc.now = t0 + 1 * H;
	assert_ok(f, sla_fire_since(&f->svc, &since));
	assert_int_equal(since, t0 + 1 * H);
	f->svc.now = t0 + 2 * H;
	assert_ok(f, sla_fire_since(&f->svc, &since));
	assert_int_equal(since, t0 + 1 * H);

	/* a: first response 50 % (+30m) lies before since; its breach (+1h) is at since */
	struct sla_fire_result r = fire_at(f, a.id, t0 + 2 * H + 30 * M, since);
	assert_fired(r, 2, t0 + 4 * H, t0 + 4 * H);
	assert_string_equal(outbox_of(f, a.id, t0), "sla.breach T/0/first_response/P5/breach due=+3600 at=+9000\n"
	                                            "sla.warning T/1/resolution/P5/w50 due=+7200 at=+9000\n");
	/* b: one second later, the first response's breach is history too */
	r = fire_at(f, b.id, t0 + 2 * H + 30 * M, since + 1);
	assert_fired(r, 1, t0 + 4 * H, t0 + 4 * H);
	assert_string_equal(outbox_of(f, b.id, t0), "sla.warning T/1/resolution/P5/w50 due=+7200 at=+9000\n");
	assert_string_equal(sla_history(f, b.number, t0), "sla_warning resolution 50% at=+9000\n");

	/* c: since at the first response's warning itself: it fires */
	f->svc.now = t0;
	struct ticket c = new_ticket(f);
	r = fire_at(f, c.id, t0 + 2 * H + 30 * M, t0 + 30 * M);
	assert_fired(r, 3, t0 + 4 * H, t0 + 4 * H);
	r = fire_at(f, c.id, t0 + 2 * H + 30 * M, t0 + 30 * M + 1);
	assert_fired(r, 0, t0 + 4 * H, t0 + 4 * H);
	assert_string_equal(outbox_of(f, c.id, t0), "sla.warning T/0/first_response/P5/w50 due=+1800 at=+9000\n"
	                                            "sla.breach T/0/first_response/P5/breach due=+3600 at=+9000\n"
	                                            "sla.warning T/1/resolution/P5/w50 due=+7200 at=+9000\n");

	/* what was not fired is still shown by the ticket's SLA, and never fires later */
	struct sla_ticket_result s;
	assert_ok(f, sla_ticket(&f->svc, b.number, 0, &s));
	assert_int_equal(s.clock->targets[0].state, CLOCK_BREACHED);
	assert_int_equal(s.clock->targets[0].breached_at, t0 + 1 * H);
	assert_true(s.clock->targets[0].warnings[0].reached);
	assert_int_equal(s.clock->targets[0].warnings[0].at, t0 + 30 * M);
	r = fire_at(f, b.id, t0 + 5 * H, since + 1);
	assert_fired(r, 1, 0, 0);
	assert_string_equal(outbox_of(f, b.id, t0), "sla.warning T/1/resolution/P5/w50 due=+7200 at=+9000\n"
	                                            "sla.breach T/1/resolution/P5/breach due=+14400 at=+18000\n");
}

/* ---- 4. business time on the Berlin office calendar ---- */

/* Steps the clock across a 4h resolution target with warnings at 50 % and 75 %. */
static void walk_office_target(struct fixture *f, const struct ticket *t, ls_time w50, ls_time w75, ls_time breach)
{
	struct sla_fire_result r = fire_at(f, t->id, t->created_at + 1, 0);
	assert_fired(r, 0, w50, breach);
	r = fire_at(f, t->id, w50 - 1, 0);
	assert_fired(r, 0, w50, breach);
	r = fire_at(f, t->id, w50, 0);
	assert_fired(r, 1, w75, breach);
	r = fire_at(f, t->id, w75 - 1, 0);
	assert_fired(r, 0, w75, breach);
	r = fire_at(f, t->id, w75, 0);
	assert_fired(r, 1, breach, breach);
	r = fire_at(f, t->id, breach - 1, 0);
	assert_fired(r, 0, breach, breach);
	r = fire_at(f, t->id, breach, 0);
	assert_fired(r, 1, 0, 0);
	r = fire_at(f, t->id, breach + 1 * H, 0);
	assert_fired(r, 0, 0, 0);
	const ls_time c = t->created_at;
	const char *want =
	        arena_printf(&f->arena,
	                     "sla.warning T/0/resolution/P5/w50 due=%+lld at=%+lld\n"
	                     "sla.warning T/0/resolution/P5/w75 due=%+lld at=%+lld\n"
	                     "sla.breach T/0/resolution/P5/breach due=%+lld at=%+lld\n",
	                     rel(w50, c), rel(w50, c), rel(w75, c), rel(w75, c), rel(breach, c), rel(breach, c));
	assert_string_equal(outbox_of(f, t->id, c), want);
}

static struct ticket office_ticket(struct fixture *f, const char *created)
{
	fx_client(f, "ACME", NULL);
	f->svc.now = fx_time("2025-01-01T00:00:00Z");
	create_policy(f, "OFFICE", OFFICE);
	f->svc.now = fx_time(created);
	return new_ticket(f);
}

static void test_office_friday_afternoon_ticket_falls_due_monday(void **state)
{
	struct fixture *f = *state;
	struct ticket t = office_ticket(f, "2025-03-21T16:00:00+01:00");
	/* 1h on Friday 16-17, 3h on Monday from 08:00 CET */
	ls_time breach = fx_time("2025-03-24T11:00:00+01:00");
	assert_int_equal(breach - t.created_at, 67 * H);
	walk_office_target(f, &t, fx_time("2025-03-24T09:00:00+01:00"), fx_time("2025-03-24T10:00:00+01:00"), breach);
}

static void test_office_ticket_across_the_dst_change(void **state)
{
	struct fixture *f = *state;
	struct ticket t = office_ticket(f, "2025-03-28T16:00:00+01:00");
	/* clocks go forward on Sunday 30 March: Monday 08:00 is CEST, 66 real hours later */
	ls_time breach = fx_time("2025-03-31T11:00:00+02:00");
	assert_int_equal(breach - t.created_at, 66 * H);
	walk_office_target(f, &t, fx_time("2025-03-31T09:00:00+02:00"), fx_time("2025-03-31T10:00:00+02:00"), breach);
}

static void test_office_ticket_across_easter(void **state)
{
	struct fixture *f = *state;
	/* created on Good Friday; Easter Monday is a holiday in NW as well: the clock
	 * starts on Tuesday 22 April at 08:00 */
	struct ticket t = office_ticket(f, "2025-04-18T16:00:00+02:00");
	walk_office_target(f, &t, fx_time("2025-04-22T10:00:00+02:00"), fx_time("2025-04-22T11:00:00+02:00"),
	                   fx_time("2025-04-22T12:00:00+02:00"));
}

static void test_pending_customer_delays_warnings_and_breach(void **state)
{
	struct fixture *f = *state;
	struct ticket t = office_ticket(f, "2025-03-21T16:00:00+01:00");
	f->svc.now = fx_time("2025-03-21T16:30:00+01:00"); /* 30 min used */
	assert_ok(f, tickets_transition(&f->svc, t.number, 0, TICKET_STATE_PENDING_CUSTOMER, NULL));

	/* paused: nothing fires and nothing is ahead, although without the pause both
	 * warnings (Monday 09:00 and 10:00) would have fallen due by now */
	struct sla_fire_result r = fire_at(f, t.id, fx_time("2025-03-24T10:00:00+01:00") - 1, 0);
	assert_fired(r, 0, 0, 0);

	f->svc.now = fx_time("2025-03-24T10:00:00+01:00");
	assert_ok(f, tickets_transition(&f->svc, t.number, 0, TICKET_STATE_IN_PROGRESS, NULL));
	/* 3h30m left from Monday 10:00: 50 % at 11:30, 75 % at 12:30, due 13:30 */
	const ls_time w50 = fx_time("2025-03-24T11:30:00+01:00"), w75 = fx_time("2025-03-24T12:30:00+01:00"),
	              breach = fx_time("2025-03-24T13:30:00+01:00");
	r = fire_at(f, t.id, f->svc.now, 0);
	assert_fired(r, 0, w50, breach);
	r = fire_at(f, t.id, fx_time("2025-03-24T11:00:00+01:00"), 0); /* the breach without the pause */
	assert_fired(r, 0, w50, breach);
	r = fire_at(f, t.id, w50, 0);
	assert_fired(r, 1, w75, breach);
	r = fire_at(f, t.id, breach - 1, 0);
	assert_fired(r, 1, breach, breach);
	r = fire_at(f, t.id, breach, 0);
	assert_fired(r, 1, 0, 0);
	const ls_time c = t.created_at;
	const char *want =
	        arena_printf(&f->arena,
	                     "sla.warning T/0/resolution/P5/w50 due=%+lld at=%+lld\n"
	                     "sla.warning T/0/resolution/P5/w75 due=%+lld at=%+lld\n"
	                     "sla.breach T/0/resolution/P5/breach due=%+lld at=%+lld\n",
	                     rel(w50, c), rel(w50, c), rel(w75, c), rel(breach - 1, c), rel(breach, c), rel(breach, c));
	assert_string_equal(outbox_of(f, t.id, c), want);
}

/* ---- 5. escalation levels ---- */

static void test_unacknowledged_level_climbs_and_reassign_moves_the_ticket(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	int64_t l2 = fx_team(f, "L2");
	create_policy(f, "ESC", ESCALATING);
	const ls_time t0 = TEST_T0;
	struct ticket t = new_ticket(f);

	struct sla_fire_result r = fire_at(f, t.id, t0 + 2 * H - 1, 0);
	assert_fired(r, 0, t0 + 2 * H, t0 + 4 * H);
	r = fire_at(f, t.id, t0 + 2 * H, 0);
	/* level 2 now falls due at the end of level 1's reaction time, before its own 100 % */
	assert_fired(r, 1, t0 + 2 * H + 30 * M, t0 + 4 * H);
	struct sla_escalation *e;
	size_t n;
	assert_ok(f, sla_escalations_of_ticket(&f->svc, t.id, &e, &n));
	assert_int_equal(n, 1);
	assert_string_equal(e[0].target, "resolution");
	assert_int_equal(e[0].target_seq, 0);
	assert_int_equal(e[0].priority, 5);
	assert_int_equal(e[0].level, 1);
	assert_string_equal(e[0].action, "notify");
	assert_string_equal(e[0].owner, "team_lead");
	assert_false(e[0].climbed);
	assert_int_equal(e[0].due_at, t0 + 2 * H);
	assert_int_equal(e[0].fired_at, t0 + 2 * H);
	assert_int_equal(e[0].ack_within, 30 * M);
	assert_int_equal(e[0].acked_at, 0);
	assert_true(e[0].outbox_id > 0);
	const int64_t e1 = e[0].id;

	r = fire_at(f, t.id, t0 + 2 * H + 30 * M - 1, 0);
	assert_fired(r, 0, t0 + 2 * H + 30 * M, t0 + 4 * H);
	r = fire_at(f, t.id, t0 + 2 * H + 30 * M, 0);
	assert_fired(r, 1, t0 + 4 * H, t0 + 4 * H);
	assert_ok(f, sla_escalations_of_ticket(&f->svc, t.id, &e, &n));
	assert_int_equal(n, 2);
	assert_int_equal(e[1].level, 2);
	assert_string_equal(e[1].action, "reassign");
	assert_string_equal(e[1].owner, "L2");
	assert_true(e[1].climbed);
	assert_int_equal(e[1].due_at, t0 + 2 * H + 30 * M);
	assert_int_equal(e[1].ack_within, 0);
	const int64_t e2 = e[1].id;

	/* the ticket went to L2, recorded as a system change */
	struct ticket now = reload(f, t.number);
	assert_int_equal(now.team_id, l2);
	assert_string_equal(now.team_code, "L2");
	size_t nt;
	const struct ticket_event *team = events_of(f, t.number, "team", &nt);
	assert_int_equal(nt, 1);
	assert_null(team[0].old_value);
	assert_string_equal(team[0].new_value, "L2");
	assert_int_equal(team[0].actor_kind, AUTHOR_KIND_SYSTEM);
	assert_int_equal(team[0].at, t0 + 2 * H + 30 * M);
	/* a new ticket given to a team is assigned: L2 has to pick it up */
	assert_int_equal(now.state, TICKET_STATE_ASSIGNED);
	const struct ticket_event *st = events_of(f, t.number, "state", &nt);
	assert_int_equal(nt, 1);
	assert_string_equal(st[0].old_value, "new");
	assert_string_equal(st[0].new_value, "assigned");
	assert_int_equal(st[0].actor_kind, AUTHOR_KIND_SYSTEM);

	/* the breach fires; level 2 does not fire again at its own threshold */
	r = fire_at(f, t.id, t0 + 4 * H, 0);
	assert_fired(r, 1, 0, 0);
	assert_ok(f, sla_escalations_of_ticket(&f->svc, t.id, &e, &n));
	assert_int_equal(n, 2);
	assert_string_equal(outbox_of(f, t.id, t0), "sla.escalation T/0/resolution/P5/l1 due=+7200 at=+7200\n"
	                                            "sla.escalation T/0/resolution/P5/l2 due=+9000 at=+9000\n"
	                                            "sla.breach T/0/resolution/P5/breach due=+14400 at=+14400\n");
	assert_string_equal(sla_history(f, t.number, t0), arena_printf(&f->arena,
	                                                               "sla_escalation resolution 1 %lld at=+7200\n"
	                                                               "sla_escalation resolution 2 %lld at=+9000\n"
	                                                               "sla_breach resolution at=+14400\n",
	                                                               (long long)e1, (long long)e2));
	assert_payload(f, t.id, 1, "event", NULL, "sla.escalation");
	assert_payload(f, t.id, 1, "sla", "level", "2");
	assert_payload(f, t.id, 1, "sla", "action", "reassign");
	assert_payload(f, t.id, 1, "sla", "climbed", "true");
	assert_payload(f, t.id, 1, "sla", "escalation_id", arena_printf(&f->arena, "%lld", (long long)e2));
	assert_null(payload_field(f, t.id, 1, "sla", "reassign_error"));
	assert_null(payload_field(f, t.id, 1, "sla", "ack_within_seconds"));
	assert_payload(f, t.id, 0, "sla", "ack_within_seconds", "1800");
	assert_payload(f, t.id, 0, "sla", "climbed", "false");
	/* docs/webhooks.md: the ticket moves "before the event is written", so the event
	 * shows the new team */
	assert_payload(f, t.id, 1, "ticket", "team", "L2");
}

static void test_acknowledged_level_does_not_climb(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	int64_t l2 = fx_team(f, "L2");
	int64_t anna = fx_user(f, "anna@example.com", USER_ROLE_AGENT, "ACME");
	create_policy(f, "ESC", ESCALATING);
	const ls_time t0 = TEST_T0;
	struct ticket t = new_ticket(f);

	struct sla_fire_result r = fire_at(f, t.id, t0 + 2 * H, 0);
	assert_fired(r, 1, t0 + 2 * H + 30 * M, t0 + 4 * H);
	struct sla_escalation *e;
	size_t n;
	assert_ok(f, sla_escalations_of_ticket(&f->svc, t.id, &e, &n));
	assert_int_equal(n, 1);
	const int64_t e1 = e[0].id;

	/* acknowledged 10 minutes in, 20 before the reaction time ends */
	f->svc.now = t0 + 2 * H + 10 * M;
	f->svc.actor = fx_actor(f, anna);
	struct sla_escalation acked;
	assert_ok(f, sla_escalation_ack(&f->svc, e1, "on it", &acked));
	assert_int_equal(acked.acked_at, t0 + 2 * H + 10 * M);
	assert_string_equal(acked.acked_by, "anna@example.com");
	assert_string_equal(acked.ack_note, "on it");
	f->svc.now += 60;
	assert_svc_error(f, sla_escalation_ack(&f->svc, e1, NULL, &acked), -LS_ECONFLICT, "conflict", "id");
	assert_non_null(strstr(f->err.message, "acknowledged at 2026-03-02T11:10:00Z")); /* the first one's time */
	f->svc.actor = &actor_system;
	size_t na;
	const struct ticket_event *ack = events_of(f, t.number, "sla_ack", &na);
	assert_int_equal(na, 1);
	assert_string_equal(ack[0].new_value, arena_printf(&f->arena, "resolution 1 P5 %lld", (long long)t0));
	assert_int_equal(ack[0].actor_id, anna);

	/* level 2 falls due at its own threshold, the breach, not climbed */
	r = fire_at(f, t.id, t0 + 2 * H + 30 * M, 0);
	assert_fired(r, 0, t0 + 4 * H, t0 + 4 * H);
	assert_int_equal(reload(f, t.number).team_id, 0);
	r = fire_at(f, t.id, t0 + 4 * H - 1, 0);
	assert_fired(r, 0, t0 + 4 * H, t0 + 4 * H);
	r = fire_at(f, t.id, t0 + 4 * H, 0);
	assert_fired(r, 2, 0, 0);
	assert_ok(f, sla_escalations_of_ticket(&f->svc, t.id, &e, &n));
	assert_int_equal(n, 2);
	assert_int_equal(e[0].acked_at, t0 + 2 * H + 10 * M);
	assert_int_equal(e[1].level, 2);
	assert_false(e[1].climbed);
	assert_int_equal(e[1].due_at, t0 + 4 * H);
	assert_int_equal(reload(f, t.number).team_id, l2);
	assert_string_equal(outbox_of(f, t.id, t0), "sla.escalation T/0/resolution/P5/l1 due=+7200 at=+7200\n"
	                                            "sla.breach T/0/resolution/P5/breach due=+14400 at=+14400\n"
	                                            "sla.escalation T/0/resolution/P5/l2 due=+14400 at=+14400\n");
	assert_string_equal(sla_history(f, t.number, t0),
	                    arena_printf(&f->arena,
	                                 "sla_escalation resolution 1 %lld at=+7200\n"
	                                 "sla_ack resolution 1 P5 %lld at=+7800\n"
	                                 "sla_breach resolution at=+14400\n"
	                                 "sla_escalation resolution 2 %lld at=+14400\n",
	                                 (long long)e1, (long long)t0, (long long)e[1].id));
}

static void test_reassign_takes_the_ticket_from_an_assignee_outside_the_new_team(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	fx_team(f, "L2");
	fx_user(f, "anna@example.com", USER_ROLE_AGENT, "ACME");
	create_policy(f, "ESC", ESCALATING);
	const ls_time t0 = TEST_T0;
	struct ticket_input in = {.client = "ACME",
	                          .type = TICKET_TYPE_INCIDENT,
	                          .title = "t",
	                          .channel = -1,
	                          .assignee = "anna@example.com"};
	struct ticket t;
	assert_ok(f, tickets_create(&f->svc, &in, &t));
	assert_ok(f, tickets_transition(&f->svc, t.number, t.version, TICKET_STATE_IN_PROGRESS, &t));
	fire_at(f, t.id, t0 + 2 * H, 0);
	fire_at(f, t.id, t0 + 2 * H + 30 * M, 0); /* level 2 climbs: reassign to L2 */
	struct ticket now = reload(f, t.number);
	assert_string_equal(now.team_code, "L2");
	assert_int_equal(now.assignee_id, 0);
	assert_int_equal(now.state, TICKET_STATE_ASSIGNED);
	size_t n;
	const struct ticket_event *a = events_of(f, t.number, "assignee", &n);
	assert_int_equal(n, 2); /* given at creation, taken by the escalation */
	assert_string_equal(a[1].old_value, "anna@example.com");
	assert_null(a[1].new_value);
	assert_int_equal(a[1].actor_kind, AUTHOR_KIND_SYSTEM);
	const struct ticket_event *st = events_of(f, t.number, "state", &n);
	assert_string_equal(st[n - 1].old_value, "in_progress");
	assert_string_equal(st[n - 1].new_value, "assigned");
}

static void test_reassign_to_an_unknown_team_is_recorded_not_fatal(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	create_policy(f, "NOTEAM",
	              "{\"warnings\":[],\"targets\":{\"P5\":{\"resolution\":\"4h\"}},\"escalations\":{\"resolution\":["
	              "{\"at\":\"50%\",\"action\":\"reassign\",\"owner\":\"NOPE\"}]}}");
	const ls_time t0 = TEST_T0;
	struct ticket t = new_ticket(f);

	struct sla_fire_result r = fire_at(f, t.id, t0 + 2 * H, 0);
	assert_fired(r, 1, t0 + 4 * H, t0 + 4 * H);
	assert_payload(f, t.id, 0, "sla", "action", "reassign");
	assert_payload(f, t.id, 0, "sla", "owner", "NOPE");
	assert_payload(f, t.id, 0, "sla", "reassign_error", "team 'NOPE' does not exist");
	assert_null(payload_field(f, t.id, 0, "ticket", "team"));
	struct sla_escalation *e;
	size_t n;
	assert_ok(f, sla_escalations_of_ticket(&f->svc, t.id, &e, &n));
	assert_int_equal(n, 1);
	assert_string_equal(e[0].action, "reassign");
	struct ticket now = reload(f, t.number);
	assert_int_equal(now.team_id, 0);
	assert_int_equal(now.version, t.version);
	size_t nt;
	events_of(f, t.number, "team", &nt);
	assert_int_equal(nt, 0);
	r = fire_at(f, t.id, t0 + 3 * H, 0);
	assert_fired(r, 0, t0 + 4 * H, t0 + 4 * H);
}

/* Business-time reaction time: it counts opening hours only and runs on while the
 * ticket waits for the customer (docs/sla.md, "Escalation levels"). */
#define OFFICE_ESC                                                                                                     \
	"{\"calendar\":{\"tz\":\"Europe/Berlin\",\"hours\":\"mon-fri 08:00-17:00\",\"holidays\":\"DE-NW\"},"           \
	"\"pause_states\":[\"pending_customer\"],\"warnings\":[],\"targets\":{\"P5\":{\"resolution\":\"8h\"}},"        \
	"\"escalations\":{\"resolution\":[{\"at\":\"50%\",\"action\":\"notify\",\"owner\":\"team_lead\","              \
	"\"ack_within\":\"90m\"},{\"at\":\"100%\",\"action\":\"notify\",\"owner\":\"service_manager\"}]}}"

static void test_office_reaction_time_counts_business_hours_and_ignores_pauses(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	f->svc.now = fx_time("2025-01-01T00:00:00Z");
	create_policy(f, "OFFICE", OFFICE_ESC);
	/* created Monday 12:00 CET, 8h: 5h on Monday, due Tuesday 11:00. Level 1 (50 %) at
	 * Monday 16:00; 90 min to acknowledge: 16:00-17:00 and Tuesday 08:00-08:30, so
	 * level 2 climbs at Tuesday 08:30, before its own threshold at 11:00 */
	f->svc.now = fx_time("2025-03-24T12:00:00+01:00");
	struct ticket a = new_ticket(f);
	struct ticket b = new_ticket(f);
	const ls_time l1 = fx_time("2025-03-24T16:00:00+01:00"), l2 = fx_time("2025-03-25T08:30:00+01:00"),
	              due = fx_time("2025-03-25T11:00:00+01:00");

	struct sla_fire_result r = fire_at(f, a.id, l1 - 1, 0);
	assert_fired(r, 0, l1, due);
	r = fire_at(f, a.id, l1, 0);
	assert_fired(r, 1, l2, due);
	r = fire_at(f, b.id, l1, 0);
	assert_fired(r, 1, l2, due);

	/* b waits for the customer from 16:15: the resolution clock stops, the reaction time does not */
	f->svc.now = fx_time("2025-03-24T16:15:00+01:00");
	assert_ok(f, tickets_transition(&f->svc, b.number, 0, TICKET_STATE_PENDING_CUSTOMER, NULL));

	r = fire_at(f, a.id, l2 - 1, 0);
	assert_fired(r, 0, l2, due);
	r = fire_at(f, a.id, l2, 0);
	assert_fired(r, 1, due, due);
	r = fire_at(f, b.id, l2 - 1, 0);
	assert_fired(r, 0, l2, 0);
	r = fire_at(f, b.id, l2, 0);
	assert_fired(r, 1, 0, 0);
	const char *want = arena_printf(&f->arena,
	                                "sla.escalation T/0/resolution/P5/l1 due=%+lld at=%+lld\n"
	                                "sla.escalation T/0/resolution/P5/l2 due=%+lld at=%+lld\n",
	                                rel(l1, a.created_at), rel(l1, a.created_at), rel(l2, a.created_at),
	                                rel(l2, a.created_at));
	assert_string_equal(outbox_of(f, a.id, a.created_at), want);
	assert_string_equal(outbox_of(f, b.id, b.created_at), want);
	struct sla_escalation *e;
	size_t n;
	assert_ok(f, sla_escalations_of_ticket(&f->svc, b.id, &e, &n));
	assert_int_equal(n, 2);
	assert_true(e[1].climbed);
	assert_int_equal(e[1].due_at, l2);
	/* a's breach is still to come: level 2 does not fire again at its own threshold */
	r = fire_at(f, a.id, due, 0);
	assert_fired(r, 1, 0, 0);
	assert_ok(f, sla_escalations_of_ticket(&f->svc, a.id, &e, &n));
	assert_int_equal(n, 2);
}

/* Acknowledging a level of a target that a repair has superseded since: the sla_ack
 * event names the target (priority and start), so the engine ignores it for the new
 * target, which has no escalation levels; the ticket's SLA stays readable and its
 * breach fires. */
static void test_ack_of_a_superseded_targets_level_leaves_the_sla_readable(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	fx_team(f, "L2");
	create_policy(f, "ESC", ESCALATING);
	const ls_time t0 = TEST_T0;
	struct ticket t = new_ticket(f);
	struct sla_fire_result r = fire_at(f, t.id, t0 + 2 * H, 0);
	assert_fired(r, 1, t0 + 2 * H + 30 * M, t0 + 4 * H);
	struct sla_escalation *e;
	size_t n;
	assert_ok(f, sla_escalations_of_ticket(&f->svc, t.id, &e, &n));
	assert_int_equal(n, 1);

	/* version 2 has no escalations; the repair moves the ticket onto it */
	f->svc.now = t0 + 2 * H + 5 * M;
	struct sla_input in = {.definition = "{\"warnings\":[],\"targets\":{\"P5\":{\"resolution\":\"8h\"}}}"};
	struct sla_def d;
	assert_ok(f, sla_policies_update(&f->svc, "ACME", "ESC", 1, SLA_PATCH_DEFINITION, &in, &d));
	bool changed;
	assert_ok(f, sla_repair(&f->svc, t.number, &changed));
	assert_true(changed);

	/* the old level 1 is acknowledged afterwards */
	f->svc.now = t0 + 2 * H + 10 * M;
	struct sla_escalation acked;
	assert_ok(f, sla_escalation_ack(&f->svc, e[0].id, NULL, &acked));

	struct sla_ticket_result s;
	assert_ok(f, sla_ticket(&f->svc, t.number, 0, &s));
	assert_int_equal(s.clock->n_targets, 2);
	assert_int_equal(s.clock->targets[0].state, CLOCK_SUPERSEDED);
	assert_int_equal(s.clock->targets[1].state, CLOCK_RUNNING);
	assert_int_equal(s.clock->targets[1].due, t0 + 8 * H);
	r = fire_at(f, t.id, t0 + 8 * H, 0);
	assert_fired(r, 1, 0, 0);
	assert_string_equal(outbox_of(f, t.id, t0), "sla.escalation T/0/resolution/P5/l1 due=+7200 at=+7200\n"
	                                            "sla.breach T/1/resolution/P5/breach due=+28800 at=+28800\n");
}

/* ---- 6. webhook fan-out ---- */

static int64_t subscribe(struct fixture *f, const char *event, int active)
{
	const char *events[] = {event};
	struct webhook_input in = {.client = "ACME",
	                           .url = "https://hooks.example.com/x",
	                           .events = events,
	                           .n_events = 1,
	                           .active = active};
	struct webhook_sub w;
	assert_ok(f, webhooks_create(&f->svc, &in, &w));
	assert_int_equal(w.active, active != 0);
	return w.id;
}

static void test_each_fired_event_gets_one_delivery_per_wanting_subscription(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	create_policy(f, "SIMPLE", SIMPLE);
	const ls_time t0 = TEST_T0;
	int64_t sla_sub = subscribe(f, "sla.*", -1);
	int64_t created_sub = subscribe(f, "ticket.created", -1);
	int64_t off_sub = subscribe(f, "sla.*", 0);
	struct ticket t = new_ticket(f);

	struct sla_fire_result r = fire_at(f, t.id, t0 + 30 * M, 0);
	assert_fired(r, 1, t0 + 1 * H, t0 + 1 * H);
	r = fire_at(f, t.id, t0 + 5 * H, 0);
	assert_fired(r, 3, 0, 0);
	r = fire_at(f, t.id, t0 + 6 * H, 0);
	assert_fired(r, 0, 0, 0);

	struct webhook_delivery *d;
	size_t n;
	assert_int_equal(jobsdb_deliveries_due(f->st, &f->arena, t0 + 6 * H, 100, &d, &n), 0);
	const char *got = "";
	for (size_t i = 0; i < n; i++) {
		const char *sub = d[i].webhook_id == sla_sub ? "sla" : d[i].webhook_id == created_sub ? "created" : "?";
		assert_int_equal(d[i].state, DELIVERY_PENDING);
		assert_int_equal(d[i].attempts, 0);
		struct outbox_event ev;
		assert_int_equal(jobsdb_outbox_get(f->st, &f->arena, d[i].outbox_id, &ev), 0);
		assert_string_equal(ev.event, d[i].event);
		assert_string_equal(ev.payload, d[i].payload);
		got = arena_printf(&f->arena, "%s%s %s next=%+lld\n", got, sub, d[i].event,
		                   rel(d[i].next_attempt_at, t0));
	}
	assert_string_equal(got, "created ticket.created next=+0\n"
	                         "sla sla.warning next=+1800\n"
	                         "sla sla.breach next=+18000\n"
	                         "sla sla.warning next=+18000\n"
	                         "sla sla.breach next=+18000\n");
	/* exactly one per (event, subscription), none for the inactive subscription */
	assert_int_equal(count_rows(f, "SELECT count(*) FROM webhook_deliveries"), 5);
	assert_int_equal(count_rows(f, "SELECT count(*) FROM (SELECT outbox_id, webhook_id FROM webhook_deliveries "
	                               "GROUP BY 1, 2 HAVING count(*) > 1)"),
	                 0);
	assert_ok(f, webhooks_deliveries(&f->svc, off_sub, 0, 100, &d, &n));
	assert_int_equal(n, 0);
	assert_ok(f, webhooks_deliveries(&f->svc, created_sub, 0, 100, &d, &n));
	assert_int_equal(n, 1);
}

static void test_webhook_wants_names_groups_and_everything(void **state)
{
	(void)state;
	assert_true(webhook_wants("sla.breach", "sla.breach"));
	assert_false(webhook_wants("sla.breach", "sla.warning"));
	assert_false(webhook_wants("sla.breach", "sla.breach2"));
	assert_false(webhook_wants("sla.breach2", "sla.breach"));
	assert_false(webhook_wants("sla.brea", "sla.breach"));
	assert_true(webhook_wants("sla.*", "sla.breach"));
	assert_true(webhook_wants("sla.*", "sla.escalation"));
	assert_false(webhook_wants("sla.*", "ticket.created"));
	assert_true(webhook_wants("ticket.*", "ticket.created"));
	assert_false(webhook_wants("ticket.*", "sla.warning"));
	assert_false(webhook_wants("sla", "sla.breach"));
	assert_false(webhook_wants("s.*", "sla.breach"));
	assert_false(webhook_wants("slax.*", "sla.breach"));
	assert_true(webhook_wants("*", "sla.warning"));
	assert_true(webhook_wants("*", "ticket.priority"));
	assert_true(webhook_wants("ticket.created sla.warning", "sla.warning"));
	assert_true(webhook_wants("ticket.created  sla.*", "sla.breach"));
	assert_false(webhook_wants("ticket.created ticket.state", "sla.breach"));
	assert_false(webhook_wants("", "sla.breach"));
	assert_false(webhook_wants(NULL, "sla.breach"));
}

/* ---- 7. pinning and repair ---- */

static void test_pinned_ticket_keeps_its_version_until_repaired(void **state)
{
	struct fixture *f = *state;
	fx_client(f, "ACME", NULL);
	int64_t mia = fx_user(f, "mia@example.com", USER_ROLE_MANAGER, "ACME");
	create_policy(f, "STD", "{\"warnings\":[],\"targets\":{\"P5\":{\"resolution\":\"4h\"}}}");
	const ls_time t0 = TEST_T0;
	struct ticket t = new_ticket(f);

	f->svc.now = t0 + 1 * H;
	struct sla_input in = {.definition = "{\"warnings\":[],\"targets\":{\"P5\":{\"resolution\":\"2h\"}}}"};
	struct sla_def d;
	assert_ok(f, sla_policies_update(&f->svc, "ACME", "STD", 1, SLA_PATCH_DEFINITION, &in, &d));
	assert_int_equal(d.version, 2);

	/* still version 1: 4h, so nothing is breached at +2h30m */
	struct sla_ticket_result s;
	f->svc.now = t0 + 2 * H + 30 * M;
	assert_ok(f, sla_ticket(&f->svc, t.number, 0, &s));
	assert_non_null(s.policy);
	assert_int_equal(s.policy->version, 1);
	assert_int_equal(s.clock->n_targets, 1);
	assert_int_equal(s.clock->targets[0].state, CLOCK_RUNNING);
	assert_int_equal(s.clock->targets[0].due, t0 + 4 * H);
	assert_int_equal(s.clock->targets[0].target_seconds, 4 * H);
	struct sla_fire_result r = fire_at(f, t.id, t0 + 2 * H + 30 * M, 0);
	assert_fired(r, 0, t0 + 4 * H, t0 + 4 * H);

	/* the repair records version 2; its 2h target, measured from creation, is breached */
	f->svc.now = t0 + 3 * H;
	f->svc.actor = fx_actor(f, mia);
	bool changed = false;
	assert_ok(f, sla_repair(&f->svc, t.number, &changed));
	assert_true(changed);
	f->svc.actor = &actor_system;
	size_t np;
	const struct ticket_event *pin = events_of(f, t.number, "sla_policy", &np);
	assert_int_equal(np, 2);
	assert_null(pin[0].old_value);
	assert_string_equal(pin[0].new_value, "STD v1");
	assert_int_equal(pin[0].at, t0);
	assert_string_equal(pin[1].old_value, "STD v1");
	assert_string_equal(pin[1].new_value, "STD v2");
	assert_int_equal(pin[1].at, t0 + 3 * H);
	assert_int_equal(pin[1].actor_id, mia);

	assert_ok(f, sla_ticket(&f->svc, t.number, 0, &s));
	assert_int_equal(s.policy->version, 2);
	assert_int_equal(s.clock->n_targets, 2);
	assert_int_equal(s.clock->targets[0].state, CLOCK_SUPERSEDED);
	assert_int_equal(s.clock->targets[0].stopped_at, t0 + 3 * H);
	assert_int_equal(s.clock->targets[1].state, CLOCK_BREACHED);
	assert_int_equal(s.clock->targets[1].breached_at, t0 + 2 * H);
	assert_int_equal(s.clock->targets[1].target_seconds, 2 * H);
	assert_int_equal(sla_ticket_policy(&s, s.clock->targets[0].policy)->version, 1);
	assert_int_equal(sla_ticket_policy(&s, s.clock->targets[1].policy)->version, 2);
	r = fire_at(f, t.id, t0 + 3 * H, 0);
	assert_fired(r, 1, 0, 0);

	/* a second repair changes nothing; the superseded 4h target never breaches */
	f->svc.now = t0 + 3 * H + 60;
	f->svc.actor = fx_actor(f, mia);
	assert_ok(f, sla_repair(&f->svc, t.number, &changed));
	assert_false(changed);
	f->svc.actor = &actor_system;
	events_of(f, t.number, "sla_policy", &np);
	assert_int_equal(np, 2);
	r = fire_at(f, t.id, t0 + 5 * H, 0);
	assert_fired(r, 0, 0, 0);
	assert_string_equal(outbox_of(f, t.id, t0), "sla.breach T/1/resolution/P5/breach due=+7200 at=+10800\n");
	assert_string_equal(sla_history(f, t.number, t0), "sla_breach resolution at=+10800\n");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_fire_at_each_instant_writes_exactly_the_marks_due),
	        T(test_a_mark_fires_once_late_and_never_again_after_a_restart),
	        T(test_marks_due_before_since_are_not_fired),
	        T(test_office_friday_afternoon_ticket_falls_due_monday),
	        T(test_office_ticket_across_the_dst_change),
	        T(test_office_ticket_across_easter),
	        T(test_pending_customer_delays_warnings_and_breach),
	        T(test_unacknowledged_level_climbs_and_reassign_moves_the_ticket),
	        T(test_acknowledged_level_does_not_climb),
	        T(test_reassign_takes_the_ticket_from_an_assignee_outside_the_new_team),
	        T(test_reassign_to_an_unknown_team_is_recorded_not_fatal),
	        T(test_office_reaction_time_counts_business_hours_and_ignores_pauses),
	        T(test_ack_of_a_superseded_targets_level_leaves_the_sla_readable),
	        T(test_each_fired_event_gets_one_delivery_per_wanting_subscription),
	        cmocka_unit_test(test_webhook_wants_names_groups_and_everything),
	        T(test_pinned_ticket_keeps_its_version_until_repaired),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
