/* Tests for the ticket loader of store/importdb.c (importdb_client_tickets): the
 * order the KPI engine sums in (opened_at with unknown first, source id, source, then
 * the tickets worked in Leitstand), whatever order the primary key scan delivers;
 * shared strings stored once; what each field set reads; stored markers read back. */
#include "helpers.h"

#include <math.h>

#include "core/rng.h"
#include "service/tickets.h"
#include "store/importdb.h"

static int64_t run_of(struct fixture *f, int64_t client_id, const char *source)
{
	int64_t id;
	assert_int_equal(importdb_run_begin(f->st, client_id, source, "test.csv", TEST_T0, &id), 0);
	return id;
}

static void put(struct fixture *f, int64_t client_id, int64_t run, const char *source, const char *id, ls_time opened,
                const char *category)
{
	struct rec_ticket t;
	rec_ticket_init(&t);
	t.source = source;
	t.source_id = id;
	t.number = id;
	t.title = "Drucker defekt";
	t.opened_at = opened;
	t.category = category;
	assert_int_equal(importdb_ticket_put(f->st, client_id, run, &t, NULL), 0);
}

static void test_tickets_come_in_opened_order_across_sources_then_native(void **state)
{
	struct fixture *f = *state;
	int64_t c = fx_client(f, "ACME", NULL);
	int64_t sn = run_of(f, c, "servicenow"), zd = run_of(f, c, "zendesk");
	put(f, c, sn, "servicenow", "B", 1000, "Netz");
	put(f, c, zd, "zendesk", "A", 1000, "Netz");
	put(f, c, zd, "zendesk", "X", 2000, NULL);
	put(f, c, sn, "servicenow", "X", 2000, NULL);
	put(f, c, sn, "servicenow", "Z", REC_TIME_NONE, "Drucker");
	put(f, c, zd, "zendesk", "OLD", -86400, "Drucker"); /* before 1970 */
	struct ticket nt;
	assert_ok(f, tickets_create(&f->svc, &(struct ticket_input){.client = "ACME", .title = "Neu", .channel = -1},
	                            &nt));

	struct rec_ticket *v;
	size_t n;
	assert_int_equal(importdb_client_tickets(f->st, &f->arena, c, IMPORTDB_FINDINGS, &v, &n), 0);
	assert_int_equal(n, 7);
	static const char *const want_source[] = {"servicenow", "zendesk", "zendesk",  "servicenow",
	                                          "servicenow", "zendesk", "leitstand"};
	const char *want_id[] = {"Z", "OLD", "A", "B", "X", "X", nt.number};
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(v[i].source, want_source[i]);
		assert_string_equal(v[i].source_id, want_id[i]);
	}
	assert_true(v[0].opened_at == REC_TIME_NONE);
	assert_true(v[1].opened_at == -86400);
	/* one copy per distinct text */
	assert_ptr_equal(v[2].category, v[3].category);
	assert_ptr_equal(v[0].category, v[1].category);
	assert_ptr_equal(v[3].source, v[4].source);
	assert_null(v[4].category);
	assert_string_equal(v[2].title, "Drucker defekt");
	assert_string_equal(v[2].number, "A");
	assert_string_equal(v[6].number, nt.number);
	assert_string_equal(v[6].title, "Neu");
}

static void test_kpi_fields_leave_the_texts_out_and_keep_the_markers(void **state)
{
	struct fixture *f = *state;
	int64_t c = fx_client(f, "ACME", NULL);
	int64_t run = run_of(f, c, "servicenow");
	struct rec_pause pauses[] = {{100, 200}, {300, REC_TIME_NONE}};
	struct rec_ticket t;
	rec_ticket_init(&t);
	t.source = "servicenow";
	t.source_id = "INC1";
	t.number = "INC1";
	t.title = "VPN";
	t.ci = "vpn-gw-1";
	t.symptom = "timeout";
	t.type = TICKET_TYPE_PROBLEM;
	t.state_canon = TICKET_STATE_RESOLVED;
	t.priority = 2;
	t.team = "Netz";
	t.agent = "anna";
	t.channel = "Phone";
	t.opened_at = 50;
	t.resolved_at = 400;
	t.reopen_count = 0;
	t.made_sla = 1;
	t.effort_minutes = 12.5;
	t.pauses = pauses;
	t.n_pauses = 2;
	assert_int_equal(importdb_ticket_put(f->st, c, run, &t, NULL), 0);

	struct rec_ticket *v;
	size_t n;
	assert_int_equal(importdb_client_tickets(f->st, &f->arena, c, IMPORTDB_KPI, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].source_id, "INC1");
	assert_null(v[0].number);
	assert_null(v[0].title);
	assert_null(v[0].ci);
	assert_null(v[0].symptom);
	assert_int_equal(v[0].type, TICKET_TYPE_PROBLEM);
	assert_int_equal(v[0].state_canon, TICKET_STATE_RESOLVED);
	assert_int_equal(v[0].priority, 2);
	assert_string_equal(v[0].team, "Netz");
	assert_string_equal(v[0].agent, "anna");
	assert_string_equal(v[0].channel, "Phone");
	assert_true(v[0].opened_at == 50 && v[0].resolved_at == 400 && v[0].closed_at == REC_TIME_NONE);
	assert_int_equal(v[0].reopen_count, 0);
	assert_int_equal(v[0].reassignment_count, REC_UNKNOWN);
	assert_int_equal(v[0].made_sla, 1);
	assert_int_equal(v[0].fcr_flag, REC_UNKNOWN);
	assert_true(v[0].effort_minutes == 12.5);
	assert_true(isnan(v[0].csat) && isnan(v[0].nps));
	assert_int_equal(v[0].n_pauses, 2);
	assert_true(v[0].pauses[0].start == 100 && v[0].pauses[0].end == 200);
	assert_true(v[0].pauses[1].start == 300 && v[0].pauses[1].end == REC_TIME_NONE);

	assert_int_equal(importdb_client_tickets(f->st, &f->arena, c, IMPORTDB_FINDINGS, &v, &n), 0);
	assert_string_equal(v[0].number, "INC1");
	assert_string_equal(v[0].title, "VPN");
	assert_string_equal(v[0].ci, "vpn-gw-1");
	assert_string_equal(v[0].symptom, "timeout");
}

struct want {
	ls_time opened;
	char id[16];
};

static int cmp_want(const void *a, const void *b)
{
	const struct want *x = a, *y = b;
	/* SQL order: NULL first, then by value */
	bool xn = x->opened == REC_TIME_NONE, yn = y->opened == REC_TIME_NONE;
	if (xn != yn)
		return xn ? -1 : 1;
	if (x->opened != y->opened)
		return x->opened < y->opened ? -1 : 1;
	return strcmp(x->id, y->id);
}

static void test_many_tickets_of_one_source_sort_like_sql(void **state)
{
	struct fixture *f = *state;
	int64_t c = fx_client(f, "ACME", NULL);
	int64_t run = run_of(f, c, "jira");
	enum { N = 3000 };
	struct want *w = xcalloc(N, sizeof(*w));
	struct rng r;
	rng_seed(&r, 42);
	assert_int_equal(store_begin(f->st), 0);
	for (size_t i = 0; i < N; i++) {
		/* few distinct instants, so ties are common; some unknown, some negative */
		uint64_t x = rng_next(&r);
		w[i].opened = x % 10 == 0 ? REC_TIME_NONE : (ls_time)(x % 97) * 3600 - 40 * 3600;
		snprintf(w[i].id, sizeof(w[i].id), "K-%llu", (unsigned long long)(rng_next(&r) % 1000000));
		struct rec_ticket t;
		rec_ticket_init(&t);
		t.source = "jira";
		t.source_id = w[i].id;
		t.opened_at = w[i].opened;
		bool is_new = false;
		assert_int_equal(importdb_ticket_put(f->st, c, run, &t, &is_new), 0);
		if (!is_new) /* the same key drawn twice: the later write is the ticket */
			for (size_t j = 0; j < i; j++)
				if (strcmp(w[j].id, w[i].id) == 0)
					w[j].id[0] = '\0';
	}
	assert_int_equal(store_commit(f->st), 0);
	size_t nw = 0;
	for (size_t i = 0; i < N; i++)
		if (w[i].id[0])
			w[nw++] = w[i];
	qsort(w, nw, sizeof(*w), cmp_want);

	struct rec_ticket *v;
	size_t n;
	assert_int_equal(store_begin_read(f->st), 0);
	assert_int_equal(importdb_client_tickets(f->st, &f->arena, c, IMPORTDB_KPI, &v, &n), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(n, nw);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(v[i].source_id, w[i].id);
		assert_true(v[i].opened_at == w[i].opened);
	}
	xfree(w);
}

static void test_a_client_without_tickets_loads_an_empty_array(void **state)
{
	struct fixture *f = *state;
	int64_t c = fx_client(f, "ACME", NULL);
	struct rec_ticket *v = NULL;
	size_t n = 1;
	assert_int_equal(importdb_client_tickets(f->st, &f->arena, c, IMPORTDB_KPI, &v, &n), 0);
	assert_int_equal(n, 0);
	assert_non_null(v);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_tickets_come_in_opened_order_across_sources_then_native),
	        T(test_kpi_fields_leave_the_texts_out_and_keep_the_markers),
	        T(test_many_tickets_of_one_source_sort_like_sql),
	        T(test_a_client_without_tickets_loads_an_empty_array),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
