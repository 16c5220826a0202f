/* SQLite connection management (see store.h). Room: store.
 * Migrations are the numbered .sql files in store/migrations/, compiled into the
 * binary by the build (migrations_gen.c); PRAGMA user_version records the last
 * one applied. */
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/limits.h"
#include "core/strbuf.h"
#include "store/keyring.h"

struct migration {
	int version;
	const char *name;
	const char *sql;
};
extern const struct migration store_migrations[];
extern const unsigned store_migrations_count;

#define STMT_CACHE_SIZE 128 /* power of two */

struct stmt_slot {
	const char *sql;
	sqlite3_stmt *stmt;
};

#define DYN_CACHE_SIZE 64

struct dyn_slot {
	char *sql; /* owned copy */
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	enum { TX_NONE, TX_READ, TX_WRITE } in_tx;
	struct stmt_slot cache[STMT_CACHE_SIZE];
	struct dyn_slot dyn[DYN_CACHE_SIZE];
	unsigned dyn_next; /* next slot to evict */
	store_commit_hook commit_hook;
	void *commit_hook_ctx;
	struct keyring_cache *keys; /* store/keyring.c: this connection's master and client keys */
	/* why the last COMMIT failed: the ROLLBACK after it resets SQLite's error state */
	int commit_ec;
	char commit_msg[160];
};

struct keyring_cache **store_keyring_slot(struct store *st)
{
	return &st->keys;
}

void store_set_commit_hook(struct store *st, store_commit_hook fn, void *ctx)
{
	st->commit_hook = fn;
	st->commit_hook_ctx = ctx;
}

sqlite3 *store_handle(struct store *st)
{
	return st->db;
}

int64_t store_last_insert_id(struct store *st)
{
	return sqlite3_last_insert_rowid(st->db);
}

int store_changes(struct store *st)
{
	return sqlite3_changes(st->db);
}

int store_error(struct store *st, struct lserr *e, const char *what)
{
	int ec = st->commit_ec ? st->commit_ec : sqlite3_extended_errcode(st->db);
	const char *msg = st->commit_ec ? st->commit_msg : sqlite3_errmsg(st->db);
	st->commit_ec = 0; /* told once */
	int rc = -LS_EDB;
	const char *code = "internal";
	if ((ec & 0xff) == SQLITE_CONSTRAINT) {
		rc = -LS_ECONFLICT;
		code = "conflict";
	} else if ((ec & 0xff) == SQLITE_BUSY) {
		rc = -EBUSY;
		code = "unavailable";
	}
	return lserr_set(e, rc, code, NULL, "%s: %s", what, msg);
}

static int exec(struct store *st, const char *sql)
{
	char *msg = NULL;
	int r = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
	sqlite3_free(msg);
	return r == SQLITE_OK ? 0 : -LS_EDB;
}

int store_schema_latest(void)
{
	return store_migrations_count ? store_migrations[store_migrations_count - 1].version : 0;
}

int store_schema_version(struct store *st)
{
	sqlite3_stmt *s = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

static bool foreign_keys_hold(struct store *st)
{
	sqlite3_stmt *s = NULL;
	bool ok = sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s, NULL) == SQLITE_OK &&
	          sqlite3_step(s) == SQLITE_DONE;
	sqlite3_finalize(s);
	return ok;
}

static int migrate_one(struct store *st, const struct migration *m, struct lserr *e);

int store_migrate(struct store *st, int *ret_applied, struct lserr *e)
{
	int cur = store_schema_version(st), applied = 0;
	if (cur < 0)
		return store_error(st, e, "reading the schema version");
	if (cur > store_schema_latest())
		return lserr_set(e, -EPROTO, "internal", NULL,
		                 "database schema %d is newer than this binary supports (%d)", cur,
		                 store_schema_latest());
	/* foreign keys off while a migration runs (it may rebuild a referenced table,
	 * which SQLite does by copy, drop and rename); checked before each commit */
	if (cur < store_schema_latest() && exec(st, "PRAGMA foreign_keys=OFF") < 0)
		return store_error(st, e, "preparing migrations");
	int r = 0;
	for (unsigned i = 0; i < store_migrations_count && r == 0; i++) {
		const struct migration *m = &store_migrations[i];
		if (m->version <= cur)
			continue;
		r = migrate_one(st, m, e);
		if (r == 0)
			applied++;
	}
	if (exec(st, "PRAGMA foreign_keys=ON") < 0 && r == 0)
		r = store_error(st, e, "re-enabling foreign keys");
	if (r < 0)
		return r;
	if (ret_applied)
		*ret_applied = applied;
	return 0;
}

static int migrate_one(struct store *st, const struct migration *m, struct lserr *e)
{
	char *msg = NULL;
	char pragma[64];
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d;", m->version);
	if (exec(st, "BEGIN IMMEDIATE") < 0)
		return store_error(st, e, "starting a migration");
	if (sqlite3_exec(st->db, m->sql, NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(st->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
		lserr_set(e, -LS_EDB, "internal", NULL, "migration %s failed: %s", m->name,
		          msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		exec(st, "ROLLBACK");
		return -LS_EDB;
	}
	if (!foreign_keys_hold(st)) {
		lserr_set(e, -LS_EDB, "internal", NULL, "migration %s leaves dangling references", m->name);
		exec(st, "ROLLBACK");
		return -LS_EDB;
	}
	if (exec(st, "COMMIT") < 0) {
		exec(st, "ROLLBACK");
		return store_error(st, e, "committing a migration");
	}
	return 0;
}

/* ls_ireplace(X, Y, Z): X with every occurrence of Y replaced by Z, where Y matches
 * ignoring ASCII case (an email address in any spelling). NULL X gives NULL. */
static void sql_ireplace(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *x = (const char *)sqlite3_value_text(argv[0]);
	const char *y = (const char *)sqlite3_value_text(argv[1]);
	const char *z = (const char *)sqlite3_value_text(argv[2]);
	if (!x) {
		sqlite3_result_null(ctx);
		return;
	}
	struct strbuf sb =
	        STRBUF_INIT_MAX((size_t)sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1));
	strbuf_add_ireplaced(&sb, x, y ? y : "", z ? z : "");
	if (!strbuf_ok(&sb)) {
		strbuf_release(&sb);
		sqlite3_result_error_toobig(ctx);
		return;
	}
	size_t n;
	char *out = strbuf_detach(&sb, &n);
	sqlite3_result_text64(ctx, out, n, xfree, SQLITE_UTF8);
}

int store_open(const char *path, unsigned flags, struct store **ret, struct lserr *e)
{
	struct stat sb;
	if (!(flags & STORE_OPEN_CREATE) && stat(path, &sb) < 0)
		return lserr_set(e, -ENOENT, "not_found", "db", "database '%s' does not exist", path);
	struct store *st = xcalloc(1, sizeof(*st));
	int oflags = SQLITE_OPEN_NOMUTEX;
	oflags |= (flags & STORE_OPEN_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (flags & STORE_OPEN_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK) {
		lserr_set(e, -LS_EDB, "internal", "db", "cannot open database '%s': %s", path,
		          st->db ? sqlite3_errmsg(st->db) : "out of memory");
		store_close(st);
		return -LS_EDB;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 10000);
	/* journal_mode returns a row; exec ignores it */
	if (!(flags & STORE_OPEN_READONLY) && exec(st, "PRAGMA journal_mode=WAL") < 0) {
		int r = store_error(st, e, "enabling WAL");
		store_close(st);
		return r;
	}
	if (exec(st, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;"
	             "PRAGMA cache_size=-16384; PRAGMA mmap_size=268435456; PRAGMA secure_delete=ON;") < 0 ||
	    sqlite3_create_function(st->db, "ls_ireplace", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_ireplace,
	                            NULL, NULL) != SQLITE_OK) {
		int r = store_error(st, e, "setting pragmas");
		store_close(st);
		return r;
	}
	int v = store_schema_version(st);
	if (v < 0) {
		int r = lserr_set(e, -LS_EDB, "internal", "db", "'%s' is not a Leitstand database: %s", path,
		                  sqlite3_errmsg(st->db));
		store_close(st);
		return r;
	}
	if (flags & STORE_OPEN_AS_IS) {
		/* the caller migrates explicitly */
	} else if (v < store_schema_latest()) {
		if (flags & (STORE_OPEN_NO_MIGRATE | STORE_OPEN_READONLY)) {
			lserr_set(e, -EPROTO, "internal", "db", "database '%s' has schema %d; this binary needs %d",
			          path, v, store_schema_latest());
			lserr_hint(e, "run 'leitstand migrate --db %s'", path);
			store_close(st);
			return -EPROTO;
		}
		int r = store_migrate(st, NULL, e);
		if (r < 0) {
			store_close(st);
			return r;
		}
	} else if (v > store_schema_latest()) {
		lserr_set(e, -EPROTO, "internal", "db", "database '%s' has schema %d, newer than this binary (%d)",
		          path, v, store_schema_latest());
		store_close(st);
		return -EPROTO;
	}
	*ret = st;
	return 0;
}

struct store *store_close(struct store *st)
{
	if (!st)
		return NULL;
	for (unsigned i = 0; i < STMT_CACHE_SIZE; i++)
		sqlite3_finalize(st->cache[i].stmt);
	for (unsigned i = 0; i < DYN_CACHE_SIZE; i++) {
		sqlite3_finalize(st->dyn[i].stmt);
		xfree(st->dyn[i].sql);
	}
	store_rollback(st);
	sqlite3_close_v2(st->db);
	keyring_cache_free(st->keys);
	xfree(st);
	return NULL;
}

/* Writers of this process queue on one mutex before they ask SQLite for the write
 * lock. SQLite's busy handler sleeps in growing steps while another connection
 * holds the lock, so two busy threads starve each other into second-long waits;
 * a mutex hands the lock over in FIFO-like order instead. Other processes (a CLI
 * command next to the server) still meet the busy timeout. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

int store_global_init(void)
{
	/* no memory accounting: it takes a global mutex on every allocation */
	int r = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	return r == SQLITE_OK || r == SQLITE_MISUSE ? 0 : -LS_EDB;
}

int store_begin(struct store *st)
{
	if (st->in_tx)
		return -EBUSY;
	st->commit_ec = 0;
	pthread_mutex_lock(&write_lock);
	if (exec(st, "BEGIN IMMEDIATE") < 0) {
		pthread_mutex_unlock(&write_lock);
		return -LS_EDB;
	}
	st->in_tx = TX_WRITE;
	return 0;
}

int store_begin_read(struct store *st)
{
	if (st->in_tx)
		return -EBUSY;
	st->commit_ec = 0;
	if (exec(st, "BEGIN") < 0)
		return -LS_EDB;
	st->in_tx = TX_READ;
	return 0;
}

static void tx_done(struct store *st)
{
	if (st->in_tx == TX_WRITE)
		pthread_mutex_unlock(&write_lock);
	st->in_tx = TX_NONE;
}

int store_commit(struct store *st)
{
	if (!st->in_tx)
		return -EINVAL;
	int r = 0;
	if (st->in_tx == TX_WRITE && st->commit_hook && (r = st->commit_hook(st, st->commit_hook_ctx)) < 0) {
		store_rollback(st);
		return r;
	}
	if (exec(st, "COMMIT") < 0) {
		st->commit_ec = sqlite3_extended_errcode(st->db);
		snprintf(st->commit_msg, sizeof(st->commit_msg), "%s", sqlite3_errmsg(st->db));
		exec(st, "ROLLBACK");
		r = -LS_EDB;
	}
	tx_done(st);
	return r;
}

void store_rollback(struct store *st)
{
	if (!st->in_tx)
		return;
	exec(st, "ROLLBACK");
	tx_done(st);
}

sqlite3_stmt *store_stmt(struct store *st, const char *sql)
{
	uintptr_t h = (uintptr_t)sql;
	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ull;
	unsigned i = (unsigned)(h >> 40) & (STMT_CACHE_SIZE - 1);
	for (unsigned n = 0; n < STMT_CACHE_SIZE; n++, i = (i + 1) & (STMT_CACHE_SIZE - 1)) {
		struct stmt_slot *slot = &st->cache[i];
		if (slot->sql == sql)
			return slot->stmt;
		if (!slot->sql) {
			sqlite3_stmt *s = NULL;
			if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
				return NULL;
			slot->sql = sql;
			slot->stmt = s;
			return s;
		}
	}
	/* cache full: a programming error (more distinct statements than slots) */
	return NULL;
}

sqlite3_stmt *store_stmt_dynamic(struct store *st, const char *sql)
{
	for (unsigned i = 0; i < DYN_CACHE_SIZE; i++)
		if (st->dyn[i].sql && strcmp(st->dyn[i].sql, sql) == 0)
			return st->dyn[i].stmt;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
		return NULL;
	struct dyn_slot *slot = &st->dyn[st->dyn_next];
	st->dyn_next = (st->dyn_next + 1) % DYN_CACHE_SIZE;
	sqlite3_finalize(slot->stmt);
	xfree(slot->sql);
	slot->sql = xstrdup(sql);
	slot->stmt = s;
	return s;
}

void store_stmt_done(sqlite3_stmt *s)
{
	if (!s)
		return;
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

int store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(s, i);
}

int store_bind_time(sqlite3_stmt *s, int i, ls_time t)
{
	return t ? sqlite3_bind_int64(s, i, t) : sqlite3_bind_null(s, i);
}

int store_bind_id(sqlite3_stmt *s, int i, int64_t v)
{
	return v > 0 ? sqlite3_bind_int64(s, i, v) : sqlite3_bind_null(s, i);
}

const char *store_col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

const char *store_col_dup(struct arena *a, sqlite3_stmt *s, int i)
{
	const char *t = store_col_text(s, i);
	return t ? arena_strdup(a, t) : NULL;
}

int store_step_done(sqlite3_stmt *s)
{
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return 0;
	return (r & 0xff) == SQLITE_CONSTRAINT ? -LS_ECONFLICT : -LS_EDB;
}

int store_backup(struct store *st, const char *dest, struct lserr *e)
{
	if (access(dest, F_OK) == 0)
		return lserr_set(e, -EEXIST, "conflict", "to", "backup target '%s' exists already", dest);
	sqlite3 *out = NULL;
	if (sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		lserr_set(e, -LS_EDB, "internal", "to", "cannot create '%s': %s", dest,
		          out ? sqlite3_errmsg(out) : "out of memory");
		sqlite3_close(out);
		return -LS_EDB;
	}
	sqlite3_backup *b = sqlite3_backup_init(out, "main", st->db, "main");
	if (!b) {
		lserr_set(e, -LS_EDB, "internal", "to", "backup to '%s' failed: %s", dest, sqlite3_errmsg(out));
		sqlite3_close(out);
		unlink(dest);
		return -LS_EDB;
	}
	int r;
	/* copy in steps so that writers on other connections are not blocked for long */
	do {
		r = sqlite3_backup_step(b, 1024);
		if (r == SQLITE_BUSY || r == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (r == SQLITE_OK || r == SQLITE_BUSY || r == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (r != SQLITE_DONE) {
		lserr_set(e, -LS_EDB, "internal", "to", "backup to '%s' failed: %s", dest, sqlite3_errstr(r));
		sqlite3_close(out);
		unlink(dest);
		return -LS_EDB;
	}
	sqlite3_close(out);
	return 0;
}
