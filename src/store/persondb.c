/* Persons in SQLite (see persondb.h). Room: store. */
#include "store/persondb.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "store/keyring.h"

#define PERSON_SELECT                                                                                                  \
	"SELECT p.id, p.client_id, c.code, p.pseudonym, p.name_enc, p.email_enc, p.phone_enc, p.company_enc, "         \
	"p.version, p.created_at, p.updated_at, p.erased_at FROM persons p JOIN clients c ON c.id = p.client_id "

static int open_col(struct store *st, struct arena *a, int64_t client_id, const char *field, sqlite3_stmt *s, int col,
                    const char **ret, struct lserr *e)
{
	return keyring_open(st, a, client_id, field, sqlite3_column_blob(s, col), (size_t)sqlite3_column_bytes(s, col),
	                    ret, e);
}

static int person_row(struct store *st, struct arena *a, sqlite3_stmt *s, struct person *p, struct lserr *e)
{
	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(s, 0);
	p->client_id = sqlite3_column_int64(s, 1);
	p->client_code = store_col_dup(a, s, 2);
	snprintf(p->pseudonym, sizeof(p->pseudonym), "%s", store_col_text(s, 3));
	p->version = sqlite3_column_int64(s, 8);
	p->created_at = sqlite3_column_int64(s, 9);
	p->updated_at = sqlite3_column_int64(s, 10);
	p->erased_at = sqlite3_column_int64(s, 11);
	int r = 0;
	if ((r = open_col(st, a, p->client_id, "name", s, 4, &p->name, e)) < 0 ||
	    (r = open_col(st, a, p->client_id, "email", s, 5, &p->email, e)) < 0 ||
	    (r = open_col(st, a, p->client_id, "phone", s, 6, &p->phone, e)) < 0 ||
	    (r = open_col(st, a, p->client_id, "company", s, 7, &p->company, e)) < 0) {
		if (r != -ENOKEY)
			return r;
		p->name = p->email = p->phone = p->company = NULL;
		p->shredded = true;
		lserr_clear(e);
	}
	return 0;
}

static int get_one(struct store *st, struct arena *a, sqlite3_stmt *s, struct person *ret, struct lserr *e)
{
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return -ENOENT;
	if (r != SQLITE_ROW)
		return store_error(st, e, "reading a person");
	return person_row(st, a, s, ret, e);
}

int persondb_find_email(struct store *st, struct arena *a, int64_t client_id, const char *email, struct person *ret,
                        struct lserr *e)
{
	static const char sql[] = PERSON_SELECT "WHERE p.client_id = ? AND p.email_hash = ?";
	uint8_t h[KEYRING_HASH_BYTES];
	int r = keyring_email_hash(st, client_id, email, h, false, e);
	if (r == -ENOKEY) {
		lserr_clear(e);
		return -ENOENT; /* no key: nobody of this client was ever stored */
	}
	if (r < 0)
		return r;
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return store_error(st, e, "looking up a person");
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_blob(s, 2, h, sizeof(h), SQLITE_TRANSIENT);
	return get_one(st, a, s, ret, e);
}

int persondb_get(struct store *st, struct arena *a, int64_t id, struct person *ret, struct lserr *e)
{
	static const char sql[] = PERSON_SELECT "WHERE p.id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return store_error(st, e, "reading a person");
	sqlite3_bind_int64(s, 1, id);
	return get_one(st, a, s, ret, e);
}

static void new_pseudonym(char out[PERSON_PSEUDONYM_LEN + 1])
{
	static const char digits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; /* Crockford */
	uint8_t raw[8];
	randombytes_buf(raw, sizeof(raw));
	out[0] = 'P';
	out[1] = '-';
	for (int i = 0; i < 8; i++)
		out[2 + i] = digits[raw[i] & 31];
	out[PERSON_PSEUDONYM_LEN] = 0;
}

/* Binds the sealed fields and the email hash of p at columns first..first+4. */
static int bind_sealed(struct store *st, struct arena *a, sqlite3_stmt *s, int first, const struct person *p,
                       struct lserr *e)
{
	const char *v[4] = {p->name, p->email, p->phone, p->company};
	static const char *const f[4] = {"name", "email", "phone", "company"};
	for (int i = 0; i < 4; i++) {
		const uint8_t *b;
		size_t n;
		int r = keyring_seal(st, a, p->client_id, f[i], v[i], &b, &n, e);
		if (r < 0)
			return r;
		if (b)
			sqlite3_bind_blob(s, first + i, b, (int)n, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(s, first + i);
	}
	if (p->email && *p->email) {
		uint8_t h[KEYRING_HASH_BYTES];
		int r = keyring_email_hash(st, p->client_id, p->email, h, true, e);
		if (r < 0)
			return r;
		sqlite3_bind_blob(s, first + 4, h, sizeof(h), SQLITE_TRANSIENT);
	} else {
		sqlite3_bind_null(s, first + 4);
	}
	return 0;
}

int persondb_insert(struct store *st, struct arena *a, struct person *p, struct lserr *e)
{
	static const char sql[] = "INSERT INTO persons (client_id, pseudonym, name_enc, email_enc, phone_enc, "
	                          "company_enc, email_hash, version, created_at, updated_at) "
	                          "VALUES (?,?,?,?,?,?,?,1,?,?)";
	for (int attempt = 0; attempt < 4; attempt++) {
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return store_error(st, e, "storing a person");
		new_pseudonym(p->pseudonym);
		sqlite3_bind_int64(s, 1, p->client_id);
		store_bind_text(s, 2, p->pseudonym);
		int r = bind_sealed(st, a, s, 3, p, e);
		if (r < 0)
			return r;
		sqlite3_bind_int64(s, 8, p->created_at);
		sqlite3_bind_int64(s, 9, p->created_at);
		r = sqlite3_step(s);
		if (r == SQLITE_DONE) {
			p->id = store_last_insert_id(st);
			p->version = 1;
			p->updated_at = p->created_at;
			return 0;
		}
		if (r != SQLITE_CONSTRAINT_UNIQUE)
			return store_error(st, e, "storing a person");
		if (strstr(sqlite3_errmsg(store_handle(st)), "email_hash") ||
		    strstr(sqlite3_errmsg(store_handle(st)), "persons_by_email"))
			return lserr_set(e, -LS_ECONFLICT, "conflict", "email",
			                 "a person with this email exists for the client");
		/* a pseudonym collision: draw again */
	}
	return lserr_set(e, -LS_EDB, "internal", NULL, "no free pseudonym found");
}

int persondb_update(struct store *st, struct arena *a, struct person *p, int64_t expected_version, struct lserr *e)
{
	static const char sql[] = "UPDATE persons SET name_enc = ?, email_enc = ?, phone_enc = ?, company_enc = ?, "
	                          "email_hash = ?, version = version + 1, updated_at = ? "
	                          "WHERE id = ? AND version = ? AND erased_at IS NULL";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return store_error(st, e, "storing a person");
	int r = bind_sealed(st, a, s, 1, p, e);
	if (r < 0)
		return r;
	sqlite3_bind_int64(s, 6, p->updated_at);
	sqlite3_bind_int64(s, 7, p->id);
	sqlite3_bind_int64(s, 8, expected_version);
	r = sqlite3_step(s);
	if (r == SQLITE_CONSTRAINT_UNIQUE)
		return lserr_set(e, -LS_ECONFLICT, "conflict", "email", "another person of the client has this email");
	if (r != SQLITE_DONE)
		return store_error(st, e, "storing a person");
	if (store_changes(st) != 1)
		return lserr_set(e, -LS_ESTALE, "version_mismatch", NULL,
		                 "person %s was changed by someone else (or erased)", p->pseudonym);
	p->version = expected_version + 1;
	return 0;
}

int persondb_mark_erased(struct store *st, int64_t id, ls_time now)
{
	static const char sql[] = "UPDATE persons SET name_enc = NULL, email_enc = NULL, phone_enc = NULL, "
	                          "company_enc = NULL, email_hash = NULL, erased_at = ?, updated_at = ?, "
	                          "version = version + 1 WHERE id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, id);
	return store_step_done(s);
}

int persondb_list(struct store *st, struct arena *a, int64_t client_id, int64_t after_id, size_t limit,
                  struct person **ret, size_t *ret_n, struct lserr *e)
{
	static const char sql[] = PERSON_SELECT "WHERE p.client_id = ? AND p.id > ? ORDER BY p.id LIMIT ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return store_error(st, e, "listing persons");
	sqlite3_bind_int64(s, 1, client_id);
	sqlite3_bind_int64(s, 2, after_id);
	sqlite3_bind_int64(s, 3, (int64_t)limit);
	size_t n = 0, cap = 0;
	struct person *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct person *p = &ARENA_PUSH(a, v, n, cap);
		if ((r = person_row(st, a, s, p, e)) < 0)
			return r;
	}
	if (r != SQLITE_DONE)
		return store_error(st, e, "listing persons");
	*ret = v;
	*ret_n = n;
	return 0;
}

int persondb_ticket_ids(struct store *st, struct arena *a, int64_t person_id, int64_t **ret, size_t *ret_n)
{
	static const char sql[] =
	        "SELECT t.id FROM persons p JOIN tickets t ON t.client_id = p.client_id AND t.person_id = p.id "
	        "WHERE p.id = ? ORDER BY t.id";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_int64(s, 1, person_id);
	size_t n = 0, cap = 0;
	int64_t *v = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		ARENA_PUSH(a, v, n, cap) = sqlite3_column_int64(s, 0);
	if (r != SQLITE_DONE)
		return -LS_EDB;
	*ret = v;
	*ret_n = n;
	return 0;
}

int persondb_open_fields(struct store *st, struct arena *a, int64_t client_id, sqlite3_stmt *s, int col_name,
                         const char **name, const char **email, const char **phone)
{
	struct lserr ignore = {0};
	*name = *email = *phone = NULL;
	if (sqlite3_column_type(s, col_name) == SQLITE_NULL && sqlite3_column_type(s, col_name + 1) == SQLITE_NULL &&
	    sqlite3_column_type(s, col_name + 2) == SQLITE_NULL)
		return 0;
	int r;
	if ((r = open_col(st, a, client_id, "name", s, col_name, name, &ignore)) < 0 ||
	    (r = open_col(st, a, client_id, "email", s, col_name + 1, email, &ignore)) < 0 ||
	    (r = open_col(st, a, client_id, "phone", s, col_name + 2, phone, &ignore)) < 0) {
		*name = *email = *phone = NULL;
		return r;
	}
	return 0;
}
