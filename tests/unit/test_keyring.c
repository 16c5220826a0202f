#define _GNU_SOURCE /* memmem */
/* Encryption at rest (store/keyring.c), person records (store/persondb.c) and the
 * ZIP writer (core/zip.c): sealed values open only for their client and field, a
 * key file is made once and refused when readable by others, a wrong master key
 * is refused, data-key rotation re-seals and re-hashes, master rotation re-wraps,
 * shredding makes a client's values unreadable, and a written ZIP reads back. */
#include "helpers.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <zlib.h>

#include "core/zip.h"
#include "store/keyring.h"
#include "store/persondb.h"

static int setup(void **state)
{
	unsetenv("LEITSTAND_MASTER_KEY");
	unsetenv("LEITSTAND_KEY_FILE");
	keyring_set_key_file(NULL);
	keyring_forget();
	return fixture_setup(state);
}

static int teardown(void **state)
{
	keyring_set_key_file(NULL);
	keyring_forget();
	return fixture_teardown(state);
}

static const char *seal_open(struct fixture *f, int64_t client, const char *field, const char *plain,
                             int64_t open_client, const char *open_field, int *ret)
{
	const uint8_t *b;
	size_t n;
	struct lserr e = {0};
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(keyring_seal(f->st, &f->arena, client, field, plain, &b, &n, &e), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_true(n > strlen(plain));
	assert_null(memmem(b, n, plain, strlen(plain))); /* not in plain */
	const char *out = NULL;
	*ret = keyring_open(f->st, &f->arena, open_client, open_field, b, n, &out, &e);
	return out;
}

static void test_sealed_values_open_only_for_their_client_and_field(void **state)
{
	struct fixture *f = *state;
	int64_t a = fx_client(f, "ACME", NULL), b = fx_client(f, "BETA", NULL);
	int r;
	const char *v = seal_open(f, a, "email", "eva@acme.example", a, "email", &r);
	assert_int_equal(r, 0);
	assert_string_equal(v, "eva@acme.example");
	seal_open(f, a, "email", "eva@acme.example", a, "name", &r);
	assert_int_equal(r, -EBADMSG);
	/* BETA has no key yet: nothing sealed for it can exist */
	seal_open(f, a, "email", "eva@acme.example", b, "email", &r);
	assert_int_equal(r, -ENOKEY);
	/* the key file beside the database, the owner's only */
	char kf[200];
	snprintf(kf, sizeof(kf), "%s.key", f->path);
	struct stat sb;
	assert_int_equal(stat(kf, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, 65);
}

static void test_email_hash_ignores_case_and_spaces_and_differs_by_client(void **state)
{
	struct fixture *f = *state;
	int64_t a = fx_client(f, "ACME", NULL), b = fx_client(f, "BETA", NULL);
	uint8_t h1[KEYRING_HASH_BYTES], h2[KEYRING_HASH_BYTES], h3[KEYRING_HASH_BYTES];
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(keyring_email_hash(f->st, a, "Eva@ACME.example", h1, true, NULL), 0);
	assert_int_equal(keyring_email_hash(f->st, a, "  eva@acme.example ", h2, true, NULL), 0);
	assert_int_equal(keyring_email_hash(f->st, b, "eva@acme.example", h3, true, NULL), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_memory_equal(h1, h2, sizeof(h1));
	assert_memory_not_equal(h1, h3, sizeof(h1));
}

static struct person add_person(struct fixture *f, int64_t client, const char *name, const char *email)
{
	struct person p = {.client_id = client, .name = name, .email = email, .phone = "+49 30 1", .created_at = 1};
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(persondb_insert(f->st, &f->arena, &p, NULL), 0);
	assert_int_equal(store_commit(f->st), 0);
	return p;
}

static void test_persons_are_found_by_email_and_unique_per_client(void **state)
{
	struct fixture *f = *state;
	int64_t a = fx_client(f, "ACME", NULL);
	struct person p = add_person(f, a, "Eva", "eva@acme.example"), q;
	assert_int_equal(persondb_find_email(f->st, &f->arena, a, "EVA@acme.example", &q, NULL), 0);
	assert_true(q.id == p.id);
	assert_string_equal(q.name, "Eva");
	assert_string_equal(q.pseudonym, p.pseudonym);
	assert_int_equal(persondb_find_email(f->st, &f->arena, a, "adam@acme.example", &q, NULL), -ENOENT);
	struct person dup = {.client_id = a, .email = "Eva@Acme.Example", .created_at = 2};
	struct lserr e = {0};
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(persondb_insert(f->st, &f->arena, &dup, &e), -LS_ECONFLICT);
	store_rollback(f->st);
	assert_string_equal(e.field, "email");
}

static void test_client_key_rotation_reseals_and_rehashes(void **state)
{
	struct fixture *f = *state;
	int64_t a = fx_client(f, "ACME", NULL);
	struct person p = add_person(f, a, "Eva Rot", "eva@acme.example");
	sqlite3_stmt *s;
	assert_int_equal(
	        sqlite3_prepare_v2(store_handle(f->st), "SELECT email_enc, email_hash FROM persons", -1, &s, NULL),
	        SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	uint8_t before[200], hbefore[KEYRING_HASH_BYTES];
	size_t nb = (size_t)sqlite3_column_bytes(s, 0);
	memcpy(before, sqlite3_column_blob(s, 0), nb);
	memcpy(hbefore, sqlite3_column_blob(s, 1), sizeof(hbefore));
	sqlite3_finalize(s);
	int64_t n = 0;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(keyring_rotate_client(f->st, &f->arena, a, &n, NULL), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(n, 1);
	struct person q;
	assert_int_equal(persondb_find_email(f->st, &f->arena, a, "eva@acme.example", &q, NULL), 0);
	assert_true(q.id == p.id);
	assert_string_equal(q.name, "Eva Rot");
	assert_int_equal(
	        sqlite3_prepare_v2(store_handle(f->st),
	                           "SELECT email_enc, email_hash, (SELECT version FROM client_keys) FROM persons", -1,
	                           &s, NULL),
	        SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_false((size_t)sqlite3_column_bytes(s, 0) == nb && memcmp(before, sqlite3_column_blob(s, 0), nb) == 0);
	assert_memory_not_equal(hbefore, sqlite3_column_blob(s, 1), sizeof(hbefore));
	assert_int_equal(sqlite3_column_int(s, 2), 2);
	sqlite3_finalize(s);
}

static void test_master_rotation_rewraps_and_the_old_key_is_refused(void **state)
{
	struct fixture *f = *state;
	int64_t a = fx_client(f, "ACME", NULL);
	add_person(f, a, "Max", "max@acme.example");
	char kf[200], nf[210], old[200];
	snprintf(kf, sizeof(kf), "%s.key", f->path);
	snprintf(nf, sizeof(nf), "%s.key.new", f->path);
	snprintf(old, sizeof(old), "%s/old.key", f->dir);
	assert_int_equal(link(kf, old), 0);
	int64_t n = 0;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(keyring_rotate_master(f->st, nf, &n, NULL), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(n, 1);
	assert_int_equal(keyring_rotate_master_finish(f->st, nf, NULL), 0);
	assert_int_equal(access(nf, F_OK), -1);
	struct person q;
	assert_int_equal(persondb_find_email(f->st, &f->arena, a, "max@acme.example", &q, NULL), 0);
	assert_string_equal(q.name, "Max");
	/* the old key no longer fits: refused by name, not read as garbage */
	keyring_set_key_file(old);
	keyring_forget();
	struct lserr e = {0};
	assert_int_equal(persondb_find_email(f->st, &f->arena, a, "max@acme.example", &q, &e), -EKEYREJECTED);
	assert_string_equal(e.code, "key_mismatch");
	/* a key file others may read is refused */
	keyring_set_key_file(kf);
	keyring_forget();
	chmod(kf, 0644);
	memset(&e, 0, sizeof(e));
	assert_int_equal(persondb_find_email(f->st, &f->arena, a, "max@acme.example", &q, &e), -EPERM);
	chmod(kf, 0600);
	unlink(old);
}

/* Runs fn in a child process on its own connection: a rotation by another process,
 * which this process's key caches do not hear of. */
static void in_other_process(struct fixture *f, int (*fn)(struct store *st, struct fixture *f))
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *st = NULL;
		struct lserr e = {0};
		int r = store_open(f->path, 0, &st, &e);
		if (r == 0)
			r = store_begin(st);
		if (r == 0)
			r = fn(st, f);
		if (r == 0)
			r = store_commit(st);
		store_close(st);
		_exit(r == 0 ? 0 : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static int rotate_acme(struct store *st, struct fixture *f)
{
	struct arena a;
	arena_init(&a);
	int64_t n;
	int r = keyring_rotate_client(st, &a, 1, &n, NULL);
	arena_release(&a);
	(void)f;
	return r;
}

static int rotate_master(struct store *st, struct fixture *f)
{
	char nf[210];
	snprintf(nf, sizeof(nf), "%s.key.new", f->path);
	int64_t n;
	int r = keyring_rotate_master(st, nf, &n, NULL);
	return r ? r : 0;
}

static void test_keys_rotated_by_another_process_are_noticed(void **state)
{
	struct fixture *f = *state;
	int64_t a = fx_client(f, "ACME", NULL), b = fx_client(f, "BETA", NULL);
	assert_int_equal(a, 1);
	add_person(f, a, "Eva", "eva@acme.example"); /* this connection caches ACME's key */
	in_other_process(f, rotate_acme);
	/* the lookup hash comes from the new key, so the person is found, not made twice */
	struct person q;
	assert_int_equal(persondb_find_email(f->st, &f->arena, a, "eva@acme.example", &q, NULL), 0);
	assert_string_equal(q.name, "Eva");
	/* the master key replaced by another process: a new client's key is wrapped by the
	 * new one, so it still opens once the key file has moved into place */
	in_other_process(f, rotate_master);
	char kf[200], nf[210];
	snprintf(kf, sizeof(kf), "%s.key", f->path);
	snprintf(nf, sizeof(nf), "%s.key.new", f->path);
	assert_int_equal(rename(nf, kf), 0);
	add_person(f, b, "Ben", "ben@beta.example");
	keyring_forget();
	assert_int_equal(persondb_find_email(f->st, &f->arena, b, "ben@beta.example", &q, NULL), 0);
	assert_string_equal(q.name, "Ben");
}

static void test_shredding_leaves_the_pseudonym_only(void **state)
{
	struct fixture *f = *state;
	int64_t a = fx_client(f, "ACME", NULL);
	struct person p = add_person(f, a, "Sven", "sven@acme.example");
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(keyring_shred_client(f->st, a, 5, NULL), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_true(keyring_client_shredded(f->st, a));
	struct person q;
	assert_int_equal(persondb_get(f->st, &f->arena, p.id, &q, NULL), 0);
	assert_null(q.name);
	assert_null(q.email);
	assert_true(q.erased_at == 5);
	assert_string_equal(q.pseudonym, p.pseudonym);
	/* nothing new can be sealed for a shredded client */
	const uint8_t *b;
	size_t n;
	struct lserr e = {0};
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(keyring_seal(f->st, &f->arena, a, "name", "x", &b, &n, &e), -ENOKEY);
	store_rollback(f->st);
	assert_string_equal(e.code, "shredded");
}

/* The stored data of the ZIP's entry `name`, inflated. */
static char *zip_entry(const char *zip, size_t n, const char *name, size_t *ret_n)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i + 30 < n; i++) {
		const unsigned char *p = (const unsigned char *)zip + i;
		if (!(p[0] == 0x50 && p[1] == 0x4b && p[2] == 3 && p[3] == 4))
			continue;
		unsigned method = p[8] | p[9] << 8;
		uint32_t crc = p[14] | p[15] << 8 | p[16] << 16 | (uint32_t)p[17] << 24;
		uint32_t cs = p[18] | p[19] << 8 | p[20] << 16 | (uint32_t)p[21] << 24;
		uint32_t us = p[22] | p[23] << 8 | p[24] << 16 | (uint32_t)p[25] << 24;
		unsigned fl = p[26] | p[27] << 8, xl = p[28] | p[29] << 8;
		if (fl != nl || memcmp(p + 30, name, nl) != 0)
			continue;
		const unsigned char *d = p + 30 + fl + xl;
		char *out = xmalloc(us + 1);
		if (method == 0) {
			memcpy(out, d, us);
		} else {
			z_stream zs = {0};
			assert_int_equal(inflateInit2(&zs, -15), Z_OK);
			zs.next_in = (Bytef *)d;
			zs.avail_in = cs;
			zs.next_out = (Bytef *)out;
			zs.avail_out = us;
			assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
			inflateEnd(&zs);
		}
		assert_true(crc32(crc32(0, Z_NULL, 0), (Bytef *)out, us) == crc);
		out[us] = 0;
		*ret_n = us;
		return out;
	}
	return NULL;
}

static void test_zip_reads_back_with_its_checksums(void **state)
{
	(void)state;
	struct zip z;
	zip_init(&z, 1 << 20);
	char big[5000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = "Leitstand "[i % 10];
	assert_int_equal(zip_add(&z, "a.txt", "hallo", 5, TEST_T0), 0);
	assert_int_equal(zip_add(&z, "grüße/b.csv", big, sizeof(big), TEST_T0), 0);
	assert_int_equal(zip_add(&z, "empty", "", 0, TEST_T0), 0);
	char *zip;
	size_t n;
	assert_int_equal(zip_finish(&z, &zip, &n), 0);
	zip_release(&z);
	assert_true(n < sizeof(big)); /* the repetitive entry was deflated */
	size_t en;
	char *a = zip_entry(zip, n, "a.txt", &en);
	assert_non_null(a);
	assert_string_equal(a, "hallo");
	char *b = zip_entry(zip, n, "grüße/b.csv", &en);
	assert_non_null(b);
	assert_int_equal(en, sizeof(big));
	assert_memory_equal(b, big, sizeof(big));
	/* end of central directory: three entries */
	const unsigned char *eocd = (const unsigned char *)zip + n - 22;
	assert_true(eocd[0] == 0x50 && eocd[1] == 0x4b && eocd[2] == 5 && eocd[3] == 6);
	assert_int_equal(eocd[10] | eocd[11] << 8, 3);
	xfree(a);
	xfree(b);
	xfree(zip);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_sealed_values_open_only_for_their_client_and_field, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_email_hash_ignores_case_and_spaces_and_differs_by_client, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_persons_are_found_by_email_and_unique_per_client, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_client_key_rotation_reseals_and_rehashes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_master_rotation_rewraps_and_the_old_key_is_refused, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_keys_rotated_by_another_process_are_noticed, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_shredding_leaves_the_pseudonym_only, setup, teardown),
	        cmocka_unit_test(test_zip_reads_back_with_its_checksums),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
