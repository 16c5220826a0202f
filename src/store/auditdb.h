/* Storage of the audit log (schema 10). Room: store.
 * Appends happen inside the caller's write transaction; the schema's triggers
 * refuse an entry that does not continue the chain (id = head + 1, prev_hash =
 * head hash) and keep audit_head in step. Hashes are computed by the caller
 * (model/audit.h): this file only moves rows. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "model/audit.h"
#include "store/store.h"

/* The newest entry's id and hash as audit_head records them (0 and the genesis
 * hash for an empty log). -ENOENT when the head row is missing. */
int auditdb_head(struct store *st, int64_t *ret_id, char ret_hash[AUDIT_HASH_HEX_LEN + 1]);
/* Inserts e as is (every field, id included). Call inside a write transaction. */
int auditdb_insert(struct store *st, const struct audit_entry *e);

struct audit_filter {
	int64_t client_id;       /* > 0: only this client */
	int64_t visible_to_user; /* > 0: only clients granted to this user (no unscoped entries) */
	bool scoped_only;        /* only entries with a client */
	const char *actor_email; /* exact, case-insensitive */
	const char *kind;
	ls_time from, to;  /* at >= from, at < to when non-zero */
	int64_t before_id; /* > 0: keyset position (entries with a smaller id) */
	unsigned limit;
};
/* Entries matching f, newest first, at most f->limit (arena). */
int auditdb_list(struct store *st, struct arena *a, const struct audit_filter *f, struct audit_entry **ret,
                 size_t *ret_n);
/* Calls fn for every entry in id order; the entry's strings are valid during the
 * call only. Stops at fn's first non-zero return and returns it. */
int auditdb_each(struct store *st, int (*fn)(const struct audit_entry *e, void *ctx), void *ctx);
/* Number of entries. */
int auditdb_count(struct store *st, int64_t *ret);
