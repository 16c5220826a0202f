/* The storage connection: open, pragmas, migrations, transactions, statement cache,
 * online backup. Room: store — the only room that knows SQL.
 *
 * Threads: a struct store wraps one SQLite connection and belongs to one thread at
 * a time (the server gives each worker thread its own). Connections are opened with
 * WAL, foreign keys on, synchronous=FULL (a committed transaction survives power
 * loss, so every acknowledged write survives kill -9), and a busy timeout so that
 * writers on different threads queue instead of failing.
 *
 * Statements: store_stmt() returns a cached prepared statement keyed by the address
 * of its SQL text, which must therefore be a string literal or otherwise static.
 * The caller resets it with store_stmt_done() (or the _cleanup_stmt_ attribute). */
#pragma once
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/timeutil.h"

struct store;

enum store_open_flags {
	STORE_OPEN_CREATE = 1 << 0, /* create the file if missing */
	STORE_OPEN_READONLY = 1 << 1,
	STORE_OPEN_NO_MIGRATE = 1 << 2, /* fail if the schema is older than the binary */
	STORE_OPEN_AS_IS = 1 << 3,      /* neither migrate nor check (for `leitstand migrate`) */
};

/* Opens path. Without STORE_OPEN_CREATE a missing file is -ENOENT. Unless
 * STORE_OPEN_NO_MIGRATE is given, an older schema is migrated. On failure e
 * explains why. */
int store_open(const char *path, unsigned flags, struct store **ret, struct lserr *e);
/* Accepts NULL; returns NULL. */
struct store *store_close(struct store *st);
static inline void store_closep(struct store **p)
{
	store_close(*p);
}
#define _cleanup_store_ _cleanup_(store_closep)

/* Schema version of the open database and of this binary. */
int store_schema_version(struct store *st);
int store_schema_latest(void);
/* Applies every migration newer than the database, each in its own transaction.
 * Writes the number applied into *ret_applied. */
int store_migrate(struct store *st, int *ret_applied, struct lserr *e);

/* Process-wide SQLite settings; call once before any other store function. */
int store_global_init(void);

/* BEGIN IMMEDIATE: takes the write lock now, so a transaction never fails later
 * on lock upgrade. Nested calls are an error (use savepoints in one service). */
int store_begin(struct store *st);
/* A read transaction: every statement until commit sees one snapshot, and the
 * connection takes its shared lock once instead of once per statement. */
int store_begin_read(struct store *st);
/* Ends either kind of transaction. */
int store_commit(struct store *st);
/* Accepts being called without an open transaction. */
void store_rollback(struct store *st);
/* A function run inside every write transaction of this connection just before its
 * COMMIT (the audit log appends there, so an entry commits with the change it
 * records). A negative return rolls the transaction back and store_commit() returns
 * it. NULL clears; the hook belongs to the connection's thread like the connection. */
typedef int (*store_commit_hook)(struct store *st, void *ctx);
void store_set_commit_hook(struct store *st, store_commit_hook fn, void *ctx);

sqlite3_stmt *store_stmt(struct store *st, const char *sql);
/* Like store_stmt() for SQL assembled at run time (a list with optional filters):
 * cached by content in a small table that evicts the oldest entry when full. */
sqlite3_stmt *store_stmt_dynamic(struct store *st, const char *sql);
void store_stmt_done(sqlite3_stmt *s);
static inline void store_stmt_donep(sqlite3_stmt **s)
{
	store_stmt_done(*s);
}
#define _cleanup_stmt_ _cleanup_(store_stmt_donep)

/* Maps the last SQLite error to a code and fills e with a storage error. */
int store_error(struct store *st, struct lserr *e, const char *what);
sqlite3 *store_handle(struct store *st);
/* The connection's key cache (store/keyring.c owns what it points at). */
struct keyring_cache;
struct keyring_cache **store_keyring_slot(struct store *st);
void keyring_cache_free(struct keyring_cache *kc);
int64_t store_last_insert_id(struct store *st);
int store_changes(struct store *st);

/* Online backup into a new file at dest (must not exist). */
int store_backup(struct store *st, const char *dest, struct lserr *e);

/* Helpers for binding optional values: NULL strings and negative ids bind NULL. */
int store_bind_text(sqlite3_stmt *s, int i, const char *v);
int store_bind_id(sqlite3_stmt *s, int i, int64_t v);
/* An instant, or NULL for 0 (absent). */
int store_bind_time(sqlite3_stmt *s, int i, ls_time t);
/* Column text copied into arena-free storage is the caller's business; this
 * returns the statement-owned text (valid until the next step) or NULL. */
const char *store_col_text(sqlite3_stmt *s, int i);
/* The column's text copied into a, or NULL for SQL NULL. */
const char *store_col_dup(struct arena *a, sqlite3_stmt *s, int i);
/* Steps a statement that returns no rows: 0, -LS_ECONFLICT for a constraint, else -LS_EDB. */
int store_step_done(sqlite3_stmt *s);
