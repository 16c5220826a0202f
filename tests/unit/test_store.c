/* Tests for store/store.c on real files in a private /tmp directory: creating
 * and migrating, the connection pragmas (WAL, foreign keys, synchronous=FULL),
 * schema version checks on reopen, the append-only trigger on ticket_events,
 * transactions, the statement caches, error mapping, and online backup into a
 * new file (refused when the target exists). */
#include "helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

static int64_t query_int(struct store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_handle(st), sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void query_text(struct store *st, const char *sql, char *buf, size_t n)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_handle(st), sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(buf, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
}

/* The primary result code (connections run with extended codes on). */
static int exec_sql(struct store *st, const char *sql)
{
	return sqlite3_exec(store_handle(st), sql, NULL, NULL, NULL) & 0xff;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* A client, a ticket and one history event, inserted with plain SQL. */
static void seed_rows(struct store *st)
{
	static const char sql[] =
	        "INSERT INTO clients (code, name, created_at) VALUES ('ACME', 'Acme', 1);"
	        "INSERT INTO tickets (client_id, number, type, title, impact, urgency, priority, state, channel, "
	        "created_at, updated_at) VALUES (1, 'INC0000001', 'incident', 'Printer', 3, 3, 5, 'new', 'web', 1, 1);"
	        "INSERT INTO ticket_events (client_id, ticket_id, at, actor_kind, field, new_value) "
	        "VALUES (1, 1, 1, 'system', 'created', 'INC0000001');";
	assert_int_equal(exec_sql(st, sql), SQLITE_OK);
}

static void test_open_missing_file_without_create_is_enoent(void **state)
{
	struct fixture *f = *state;
	char path[160];
	snprintf(path, sizeof(path), "%s/missing.db", f->dir);
	struct store *st = (struct store *)0x1;
	struct lserr e;
	lserr_clear(&e);
	assert_int_equal(store_open(path, 0, &st, &e), -ENOENT);
	assert_ptr_equal(st, (struct store *)0x1); /* untouched */
	assert_string_equal(e.code, "not_found");
	assert_int_equal(access(path, F_OK), -1); /* and not created */
}

static void test_create_applies_every_migration(void **state)
{
	struct fixture *f = *state;
	assert_true(store_schema_latest() >= 1);
	assert_int_equal(store_schema_version(f->st), store_schema_latest());
	static const char *const tables[] = {"clients",       "users",        "user_clients",     "api_tokens",
	                                     "teams",         "team_members", "ticket_sequences", "tickets",
	                                     "ticket_tags",   "ticket_links", "ticket_messages",  "ticket_efforts",
	                                     "ticket_events", "ticket_fts"};
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char sql[160];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'",
		         tables[i]);
		if (query_int(f->st, sql) != 1)
			fail_msg("table %s missing", tables[i]);
	}
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM ticket_sequences WHERE next_seq = 1"), 4);
	int applied = -1;
	assert_int_equal(store_migrate(f->st, &applied, &f->err), 0);
	assert_int_equal(applied, 0); /* nothing left to do */
}

static void test_connection_uses_wal_foreign_keys_and_full_sync(void **state)
{
	struct fixture *f = *state;
	char mode[16];
	query_text(f->st, "PRAGMA journal_mode", mode, sizeof(mode));
	assert_string_equal(mode, "wal");
	assert_int_equal(query_int(f->st, "PRAGMA foreign_keys"), 1);
	assert_int_equal(query_int(f->st, "PRAGMA synchronous"), 2); /* FULL */
	assert_int_equal(query_int(f->st, "PRAGMA busy_timeout"), 10000);
}

static void test_foreign_keys_are_enforced(void **state)
{
	struct fixture *f = *state;
	int r = exec_sql(f->st, "INSERT INTO tickets (client_id, number, type, title, impact, urgency, priority, "
	                        "state, channel, created_at, updated_at) VALUES (999, 'INC0000001', 'incident', 't', "
	                        "3, 3, 5, 'new', 'web', 1, 1)");
	assert_int_equal(r, SQLITE_CONSTRAINT);
	assert_int_equal(sqlite3_extended_errcode(store_handle(f->st)), SQLITE_CONSTRAINT_FOREIGNKEY);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM tickets"), 0);
}

static void test_ticket_events_refuse_update_and_delete(void **state)
{
	struct fixture *f = *state;
	seed_rows(f->st);
	assert_int_equal(exec_sql(f->st, "UPDATE ticket_events SET field = 'forged'"), SQLITE_CONSTRAINT);
	assert_int_equal(sqlite3_extended_errcode(store_handle(f->st)), SQLITE_CONSTRAINT_TRIGGER);
	assert_non_null(strstr(sqlite3_errmsg(store_handle(f->st)), "append-only"));
	assert_int_equal(exec_sql(f->st, "DELETE FROM ticket_events"), SQLITE_CONSTRAINT);
	assert_int_equal(sqlite3_extended_errcode(store_handle(f->st)), SQLITE_CONSTRAINT_TRIGGER);
	assert_non_null(strstr(sqlite3_errmsg(store_handle(f->st)), "append-only"));
	assert_int_equal(exec_sql(f->st, "DELETE FROM ticket_events WHERE id = 1"), SQLITE_CONSTRAINT);
	char field[32];
	query_text(f->st, "SELECT field FROM ticket_events WHERE id = 1", field, sizeof(field));
	assert_string_equal(field, "created");
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM ticket_events"), 1);
	/* appending still works */
	assert_int_equal(exec_sql(f->st, "INSERT INTO ticket_events (client_id, ticket_id, at, actor_kind, field) "
	                                 "VALUES (1, 1, 2, 'agent', 'note')"),
	                 SQLITE_OK);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM ticket_events"), 2);
}

static void test_reopen_keeps_data_without_migrating(void **state)
{
	struct fixture *f = *state;
	seed_rows(f->st);
	f->st = store_close(f->st);
	assert_null(f->st);
	assert_int_equal(store_open(f->path, STORE_OPEN_NO_MIGRATE, &f->st, &f->err), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM tickets WHERE number = 'INC0000001'"), 1);
	assert_int_equal(store_schema_version(f->st), store_schema_latest());
}

static void test_open_refuses_a_newer_schema(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(exec_sql(f->st, "PRAGMA user_version = 99"), SQLITE_OK);
	f->st = store_close(f->st);
	struct store *st = NULL;
	lserr_clear(&f->err);
	assert_int_equal(store_open(f->path, 0, &st, &f->err), -EPROTO);
	assert_null(st);
	assert_non_null(strstr(f->err.message, "99"));
	/* migrate refuses too */
	assert_int_equal(store_open(f->path, STORE_OPEN_AS_IS, &f->st, &f->err), 0);
	assert_int_equal(store_migrate(f->st, NULL, &f->err), -EPROTO);
	assert_int_equal(store_schema_version(f->st), 99);
}

static void test_older_schema_is_refused_without_migrate_and_named_in_hint(void **state)
{
	struct fixture *f = *state;
	char path[160];
	snprintf(path, sizeof(path), "%s/old.db", f->dir);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE legacy (x INTEGER)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct store *st = NULL;
	struct lserr e;
	lserr_clear(&e);
	assert_int_equal(store_open(path, STORE_OPEN_NO_MIGRATE, &st, &e), -EPROTO);
	assert_null(st);
	assert_non_null(strstr(e.hint, "leitstand migrate"));
	assert_int_equal(store_open(path, STORE_OPEN_READONLY, &st, &e), -EPROTO);
	assert_null(st);
	/* as-is opens it, and an explicit migration brings it up to date */
	assert_int_equal(store_open(path, STORE_OPEN_AS_IS, &st, &e), 0);
	assert_int_equal(store_schema_version(st), 0);
	int applied = -1;
	assert_int_equal(store_migrate(st, &applied, &e), 0);
	assert_int_equal(applied, store_schema_latest()); /* every migration, each once */
	assert_int_equal(store_schema_version(st), store_schema_latest());
	assert_int_equal(query_int(st, "SELECT count(*) FROM legacy"), 0);
	store_close(st);
}

static void test_plain_open_migrates_an_older_database(void **state)
{
	struct fixture *f = *state;
	char path[160];
	snprintf(path, sizeof(path), "%s/empty.db", f->dir);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE legacy (x INTEGER)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct store *st = NULL;
	assert_int_equal(store_open(path, 0, &st, &f->err), 0);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	store_close(st);
}

static void test_open_rejects_a_file_that_is_not_a_database(void **state)
{
	struct fixture *f = *state;
	char path[160];
	snprintf(path, sizeof(path), "%s/notes.txt", f->dir);
	write_file(path, "These are not the pages you are looking for. This file is long enough to have a header.\n");
	struct store *st = NULL;
	struct lserr e;
	lserr_clear(&e);
	int r = store_open(path, 0, &st, &e);
	assert_true(r < 0);
	assert_null(st);
	assert_non_null(e.code);
	assert_true(strlen(e.message) > 0);
}

static void test_readonly_open_refuses_writes(void **state)
{
	struct fixture *f = *state;
	seed_rows(f->st);
	struct store *ro = NULL;
	assert_int_equal(store_open(f->path, STORE_OPEN_READONLY, &ro, &f->err), 0);
	assert_int_equal(query_int(ro, "SELECT count(*) FROM tickets"), 1);
	assert_int_equal(exec_sql(ro, "INSERT INTO clients (code, name, created_at) VALUES ('X', 'X', 1)"),
	                 SQLITE_READONLY);
	store_close(ro);
}

static void test_transactions_do_not_nest_and_rollback_discards(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_commit(f->st), -EINVAL); /* nothing open */
	store_rollback(f->st);                          /* harmless without a transaction */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_begin(f->st), -EBUSY);
	assert_int_equal(exec_sql(f->st, "INSERT INTO clients (code, name, created_at) VALUES ('A', 'A', 1)"),
	                 SQLITE_OK);
	store_rollback(f->st);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM clients"), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(exec_sql(f->st, "INSERT INTO clients (code, name, created_at) VALUES ('B', 'B', 1)"),
	                 SQLITE_OK);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM clients"), 1);
}

/* Another process meets SQLite's lock (writers of this process queue on the
 * store's mutex first): a child that tries to write while we hold the write
 * transaction fails at once with a zero busy timeout, and succeeds after commit. */
static int child_tries_to_write(const char *path)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct store *other = NULL;
		struct lserr e = {0};
		int code = 3;
		if (store_open(path, 0, &other, &e) == 0) {
			/* raw SQL: the store's process mutex was copied locked by fork() */
			sqlite3_busy_timeout(store_handle(other), 0);
			code = sqlite3_exec(store_handle(other), "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 0
			                                                                                           : 1;
			if (code == 0)
				sqlite3_exec(store_handle(other), "COMMIT", NULL, NULL, NULL);
		}
		store_close(other);
		_exit(code);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 4;
}

static void test_write_transaction_blocks_a_writer_in_another_process(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(child_tries_to_write(f->path), 1);
	store_rollback(f->st);
	assert_int_equal(child_tries_to_write(f->path), 0);
}

static void test_statement_caches_return_the_same_statement(void **state)
{
	struct fixture *f = *state;
	static const char sql[] = "SELECT count(*) FROM clients";
	sqlite3_stmt *a = store_stmt(f->st, sql);
	assert_non_null(a);
	assert_ptr_equal(store_stmt(f->st, sql), a);
	store_stmt_done(a);
	char dyn1[64], dyn2[64];
	snprintf(dyn1, sizeof(dyn1), "SELECT %d", 42);
	snprintf(dyn2, sizeof(dyn2), "SELECT %d", 42);
	sqlite3_stmt *d = store_stmt_dynamic(f->st, dyn1);
	assert_non_null(d);
	assert_ptr_equal(store_stmt_dynamic(f->st, dyn2), d); /* by content, not address */
	assert_int_equal(sqlite3_step(d), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(d, 0), 42);
	store_stmt_done(d);
	store_stmt_done(NULL);
	assert_null(store_stmt(f->st, "THIS IS NOT SQL"));
	assert_null(store_stmt_dynamic(f->st, "NEITHER IS THIS"));
}

static void test_dynamic_cache_evicts_oldest_and_stays_correct(void **state)
{
	struct fixture *f = *state;
	/* more distinct queries than slots: each must still give its own answer */
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 150; i++) {
			char sql[64];
			snprintf(sql, sizeof(sql), "SELECT %d + 0", i);
			sqlite3_stmt *s = store_stmt_dynamic(f->st, sql);
			assert_non_null(s);
			assert_int_equal(sqlite3_step(s), SQLITE_ROW);
			assert_int_equal(sqlite3_column_int(s, 0), i);
			store_stmt_done(s);
		}
}

static void test_store_error_maps_constraints_to_conflict(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(exec_sql(f->st, "INSERT INTO clients (code, name, created_at) VALUES ('A', 'A', 1)"),
	                 SQLITE_OK);
	assert_int_equal(exec_sql(f->st, "INSERT INTO clients (code, name, created_at) VALUES ('A', 'B', 1)"),
	                 SQLITE_CONSTRAINT);
	struct lserr e;
	assert_int_equal(store_error(f->st, &e, "adding"), -LS_ECONFLICT);
	assert_string_equal(e.code, "conflict");
	assert_int_equal(strncmp(e.message, "adding: ", 8), 0);
	assert_int_equal(exec_sql(f->st, "SELECT * FROM no_such_table"), SQLITE_ERROR);
	assert_int_equal(store_error(f->st, &e, "reading"), -LS_EDB);
	assert_string_equal(e.code, "internal");
	assert_int_equal(store_error(f->st, NULL, "reading"), -LS_EDB);
}

static void test_a_failed_commit_keeps_its_reason_for_store_error(void **state)
{
	struct fixture *f = *state;
	/* a deferred foreign key fails at COMMIT; the ROLLBACK after it must not hide why */
	assert_int_equal(exec_sql(f->st, "CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER "
	                                 "REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)"),
	                 SQLITE_OK);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(exec_sql(f->st, "INSERT INTO child VALUES (42)"), SQLITE_OK);
	assert_int_equal(store_commit(f->st), -LS_EDB);
	struct lserr e;
	assert_int_equal(store_error(f->st, &e, "committing"), -LS_ECONFLICT);
	assert_string_equal(e.code, "conflict");
	assert_non_null(strstr(e.message, "FOREIGN KEY"));
	/* told once: a later error is its own */
	assert_int_equal(exec_sql(f->st, "SELECT * FROM no_such_table"), SQLITE_ERROR);
	assert_int_equal(store_error(f->st, &e, "reading"), -LS_EDB);
	assert_non_null(strstr(e.message, "no_such_table"));
}

static void test_backup_copies_everything_into_a_new_file(void **state)
{
	struct fixture *f = *state;
	seed_rows(f->st); /* committed, still in the WAL */
	char dest[160];
	snprintf(dest, sizeof(dest), "%s/backup.db", f->dir);
	assert_int_equal(store_backup(f->st, dest, &f->err), 0);
	struct store *b = NULL;
	assert_int_equal(store_open(dest, STORE_OPEN_NO_MIGRATE, &b, &f->err), 0);
	assert_int_equal(store_schema_version(b), store_schema_latest());
	assert_int_equal(query_int(b, "SELECT count(*) FROM tickets WHERE number = 'INC0000001'"), 1);
	assert_int_equal(query_int(b, "SELECT count(*) FROM ticket_events"), 1);
	/* the copy carries the append-only trigger too */
	assert_int_equal(exec_sql(b, "DELETE FROM ticket_events"), SQLITE_CONSTRAINT);
	store_close(b);
}

static void test_backup_refuses_an_existing_target(void **state)
{
	struct fixture *f = *state;
	char dest[160];
	snprintf(dest, sizeof(dest), "%s/precious.db", f->dir);
	write_file(dest, "keep me");
	lserr_clear(&f->err);
	assert_int_equal(store_backup(f->st, dest, &f->err), -EEXIST);
	assert_string_equal(f->err.code, "conflict");
	assert_string_equal(f->err.field, "to");
	FILE *fp = fopen(dest, "r");
	assert_non_null(fp);
	char buf[32] = "";
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "keep me");
	/* the database itself as target is refused as well */
	assert_int_equal(store_backup(f->st, f->path, &f->err), -EEXIST);
}

static void test_backup_into_missing_directory_fails_cleanly(void **state)
{
	struct fixture *f = *state;
	char dest[200];
	snprintf(dest, sizeof(dest), "%s/no/such/dir/backup.db", f->dir);
	lserr_clear(&f->err);
	assert_int_equal(store_backup(f->st, dest, &f->err), -LS_EDB);
	assert_string_equal(f->err.field, "to");
	assert_int_equal(access(dest, F_OK), -1);
}

static void test_close_accepts_null(void **state)
{
	(void)state;
	assert_null(store_close(NULL));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_open_missing_file_without_create_is_enoent),
	        T(test_create_applies_every_migration),
	        T(test_connection_uses_wal_foreign_keys_and_full_sync),
	        T(test_foreign_keys_are_enforced),
	        T(test_ticket_events_refuse_update_and_delete),
	        T(test_reopen_keeps_data_without_migrating),
	        T(test_open_refuses_a_newer_schema),
	        T(test_older_schema_is_refused_without_migrate_and_named_in_hint),
	        T(test_plain_open_migrates_an_older_database),
	        T(test_open_rejects_a_file_that_is_not_a_database),
	        T(test_readonly_open_refuses_writes),
	        T(test_transactions_do_not_nest_and_rollback_discards),
	        T(test_write_transaction_blocks_a_writer_in_another_process),
	        T(test_statement_caches_return_the_same_statement),
	        T(test_dynamic_cache_evicts_oldest_and_stays_correct),
	        T(test_store_error_maps_constraints_to_conflict),
	        T(test_a_failed_commit_keeps_its_reason_for_store_error),
	        T(test_backup_copies_everything_into_a_new_file),
	        T(test_backup_refuses_an_existing_target),
	        T(test_backup_into_missing_directory_fails_cleanly),
	        cmocka_unit_test(test_close_accepts_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
