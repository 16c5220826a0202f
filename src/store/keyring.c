/* Master key, client data keys, sealing of personal fields (see keyring.h).
 * Room: store. Each connection keeps its own cache of unwrapped keys (no lock on
 * the read path); a process-wide generation counter drops every cache when a key
 * is rotated or shredded in this process, and a failed open retries once with a
 * freshly read key in case another process rotated it. */
#include "store/keyring.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"

#define KEY_BYTES     32
#define NONCE_BYTES   crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES     crypto_aead_xchacha20poly1305_ietf_ABYTES
#define SEAL_VERSION  0x01
#define SEAL_OVERHEAD (1 + NONCE_BYTES + TAG_BYTES)
#define CACHE_SLOTS   16

static char key_file_override[PATH_MAX];
static atomic_uint generation = 1;

struct client_slot {
	bool used;
	int64_t client_id;
	int64_t version;
	uint8_t dk[KEY_BYTES]; /* data key */
	uint8_t ek[KEY_BYTES]; /* email lookup key, derived from dk */
};

struct keyring_cache {
	unsigned gen;
	bool master_loaded;
	uint8_t master[KEY_BYTES];
	char source[PATH_MAX];
	struct client_slot slot[CACHE_SLOTS];
	unsigned next;
};

void keyring_cache_free(struct keyring_cache *kc)
{
	if (!kc)
		return;
	sodium_memzero(kc, sizeof(*kc));
	xfree(kc);
}

void keyring_set_key_file(const char *path)
{
	snprintf(key_file_override, sizeof(key_file_override), "%s", path ? path : "");
}

void keyring_forget(void)
{
	atomic_fetch_add(&generation, 1);
}

static struct keyring_cache *cache_of(struct store *st)
{
	struct keyring_cache **p = store_keyring_slot(st);
	if (!*p) {
		if (sodium_init() < 0)
			abort(); /* no usable random source: nothing may be sealed */
		*p = xcalloc(1, sizeof(**p));
	}
	struct keyring_cache *kc = *p;
	unsigned g = atomic_load(&generation);
	if (kc->gen != g) {
		sodium_memzero(kc, sizeof(*kc));
		kc->gen = g;
	}
	return kc;
}

/* The key file's path; "" for a database in memory, which gets a key that lives
 * as long as the process and is never written anywhere. */
static void key_path(struct store *st, char *buf, size_t n)
{
	const char *f = key_file_override[0] ? key_file_override : getenv("LEITSTAND_KEY_FILE");
	if (f && *f) {
		snprintf(buf, n, "%s", f);
		return;
	}
	const char *db = sqlite3_db_filename(store_handle(st), "main");
	if (db && *db)
		snprintf(buf, n, "%s.key", db);
	else
		buf[0] = 0;
}

static uint8_t memory_key[KEY_BYTES];
static pthread_once_t memory_key_once = PTHREAD_ONCE_INIT;

static void memory_key_make(void)
{
	randombytes_buf(memory_key, sizeof(memory_key));
}

const char *keyring_source(struct store *st)
{
	const char *env = getenv("LEITSTAND_MASTER_KEY");
	if (env && *env)
		return "$LEITSTAND_MASTER_KEY";
	struct keyring_cache *kc = cache_of(st);
	if (!kc->source[0])
		key_path(st, kc->source, sizeof(kc->source));
	return kc->source;
}

static int parse_hex_key(const char *text, uint8_t out[KEY_BYTES])
{
	size_t n = 0;
	const char *end;
	if (sodium_hex2bin(out, KEY_BYTES, text, strlen(text), " \t\r\n", &n, &end) != 0 || n != KEY_BYTES)
		return -EINVAL;
	while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
		end++;
	return *end ? -EINVAL : 0;
}

static int read_key_file(const char *path, uint8_t out[KEY_BYTES], struct lserr *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat sb;
	char buf[256];
	ssize_t n = -1;
	if (fstat(fd, &sb) == 0)
		n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return lserr_set(e, -EIO, "internal", "key_file", "cannot read master key file '%s'", path);
	if (sb.st_mode & 077) {
		lserr_set(e, -EPERM, "invalid_field", "key_file",
		          "master key file '%s' may be read by others (mode %03o)", path,
		          (unsigned)(sb.st_mode & 0777));
		lserr_hint(e, "chmod 600 '%s'", path);
		return -EPERM;
	}
	buf[n] = 0;
	int r = parse_hex_key(buf, out);
	sodium_memzero(buf, sizeof(buf));
	if (r < 0)
		return lserr_set(e, -EINVAL, "invalid_field", "key_file",
		                 "master key file '%s' does not hold 64 hexadecimal digits", path);
	return 0;
}

static int fsync_dir_of(const char *path)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s", path);
	int fd = open(dirname(tmp), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = fsync(fd) < 0 ? -errno : 0;
	close(fd);
	return r;
}

/* A fresh key written to path (which must not exist), durably, mode 0600. */
static int write_new_key_file(const char *path, uint8_t out[KEY_BYTES], struct lserr *e)
{
	randombytes_buf(out, KEY_BYTES);
	char hex[2 * KEY_BYTES + 2];
	sodium_bin2hex(hex, sizeof(hex), out, KEY_BYTES);
	hex[2 * KEY_BYTES] = '\n';
	hex[2 * KEY_BYTES + 1] = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return lserr_set(e, -errno, "internal", "key_file", "cannot create master key file '%s': %s", path,
		                 strerror(errno));
	ssize_t w = write(fd, hex, strlen(hex));
	int r = (w == (ssize_t)strlen(hex) && fsync(fd) == 0) ? 0 : -EIO;
	close(fd);
	sodium_memzero(hex, sizeof(hex));
	if (r == 0)
		r = fsync_dir_of(path);
	if (r < 0) {
		unlink(path);
		return lserr_set(e, -EIO, "internal", "key_file", "cannot write master key file '%s'", path);
	}
	return 0;
}

static void master_check(const uint8_t master[KEY_BYTES], uint8_t out[KEY_BYTES])
{
	static const char msg[] = "leitstand-master-key-check-1";
	crypto_generichash(out, KEY_BYTES, (const uint8_t *)msg, sizeof(msg) - 1, master, KEY_BYTES);
}

/* 1: a check value is stored and *check holds it; 0: none stored yet. */
static int stored_check(struct store *st, uint8_t check[KEY_BYTES])
{
	static const char sql[] = "SELECT master_check FROM privacy_keys WHERE one = 1";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return 0;
	if (r != SQLITE_ROW || sqlite3_column_bytes(s, 0) != KEY_BYTES)
		return -LS_EDB;
	memcpy(check, sqlite3_column_blob(s, 0), KEY_BYTES);
	return 1;
}

static int store_check(struct store *st, const uint8_t master[KEY_BYTES])
{
	static const char sql[] = "INSERT INTO privacy_keys (one, master_check, changed_at) VALUES (1, ?, unixepoch()) "
	                          "ON CONFLICT (one) DO UPDATE SET master_check = excluded.master_check, "
	                          "changed_at = excluded.changed_at";
	uint8_t check[KEY_BYTES];
	master_check(master, check);
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -LS_EDB;
	sqlite3_bind_blob(s, 1, check, KEY_BYTES, SQLITE_TRANSIENT);
	return store_step_done(s);
}

static bool any_client_key(struct store *st)
{
	static const char sql[] = "SELECT 1 FROM client_keys LIMIT 1";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	return s && sqlite3_step(s) == SQLITE_ROW;
}

/* Loads the master key into the cache. create: make a key file when there is no
 * key anywhere and the database holds no client key yet (write transaction). */
static int load_master(struct store *st, struct keyring_cache *kc, bool create, bool *ret_created, struct lserr *e)
{
	if (ret_created)
		*ret_created = false;
	if (kc->master_loaded)
		return 0;
	uint8_t key[KEY_BYTES];
	const char *env = getenv("LEITSTAND_MASTER_KEY");
	int r;
	if (env && *env) {
		snprintf(kc->source, sizeof(kc->source), "$LEITSTAND_MASTER_KEY");
		if (parse_hex_key(env, key) < 0)
			return lserr_set(e, -EINVAL, "invalid_field", "LEITSTAND_MASTER_KEY",
			                 "$LEITSTAND_MASTER_KEY does not hold 64 hexadecimal digits");
	} else if (key_path(st, kc->source, sizeof(kc->source)), !kc->source[0]) {
		snprintf(kc->source, sizeof(kc->source), "(in memory)");
		pthread_once(&memory_key_once, memory_key_make);
		memcpy(key, memory_key, KEY_BYTES);
	} else {
		r = read_key_file(kc->source, key, e);
		if (r == -ENOENT) {
			if (!create || any_client_key(st)) {
				lserr_set(e, -ENOKEY, "key_missing", "key_file", "master key file '%s' not found",
				          kc->source);
				lserr_hint(e, "restore the key file next to the database, or set $LEITSTAND_MASTER_KEY "
				              "or --key-file");
				return -ENOKEY;
			}
			if ((r = write_new_key_file(kc->source, key, e)) < 0)
				return r;
			if (ret_created)
				*ret_created = true;
		} else if (r < 0) {
			if (!e || !e->rc)
				lserr_set(e, r, "internal", "key_file", "cannot read master key file '%s': %s",
				          kc->source, strerror(-r));
			return r;
		}
	}
	uint8_t want[KEY_BYTES], have[KEY_BYTES];
	r = stored_check(st, want);
	if (r < 0)
		return store_error(st, e, "reading the master key check");
	master_check(key, have);
	if (r == 1 && sodium_memcmp(want, have, KEY_BYTES) != 0) {
		/* a master key rotation that committed but did not get to replace the file */
		char next[PATH_MAX + 8];
		uint8_t nk[KEY_BYTES];
		struct lserr ignore = {0};
		snprintf(next, sizeof(next), "%s.new", kc->source);
		if (!(env && *env) && read_key_file(next, nk, &ignore) == 0) {
			master_check(nk, have);
			if (sodium_memcmp(want, have, KEY_BYTES) == 0 && rename(next, kc->source) == 0) {
				fsync_dir_of(kc->source);
				memcpy(key, nk, KEY_BYTES);
				r = 2;
			}
			sodium_memzero(nk, sizeof(nk));
		}
		if (r != 2) {
			sodium_memzero(key, sizeof(key));
			lserr_set(e, -EKEYREJECTED, "key_mismatch", "key_file",
			          "the master key from %s does not belong to this database", kc->source);
			lserr_hint(e, "use the key file that was created with the database");
			return -EKEYREJECTED;
		}
	} else if (r == 0 && create) {
		if ((r = store_check(st, key)) < 0) {
			sodium_memzero(key, sizeof(key));
			return store_error(st, e, "storing the master key check");
		}
	}
	memcpy(kc->master, key, KEY_BYTES);
	sodium_memzero(key, sizeof(key));
	kc->master_loaded = true;
	return 0;
}

int keyring_ensure_master(struct store *st, bool *ret_created, const char **ret_path, struct lserr *e)
{
	struct keyring_cache *kc = cache_of(st);
	int r = load_master(st, kc, true, ret_created, e);
	if (ret_path)
		*ret_path = kc->source;
	return r;
}

static void wrap_ad(char *buf, size_t n, int64_t client_id, int64_t version)
{
	snprintf(buf, n, "leitstand-ck:%lld:%lld", (long long)client_id, (long long)version);
}

static int wrap_key(const uint8_t master[KEY_BYTES], int64_t client_id, int64_t version, const uint8_t dk[KEY_BYTES],
                    uint8_t out[NONCE_BYTES + KEY_BYTES + TAG_BYTES])
{
	char ad[64];
	wrap_ad(ad, sizeof(ad), client_id, version);
	randombytes_buf(out, NONCE_BYTES);
	unsigned long long n;
	return crypto_aead_xchacha20poly1305_ietf_encrypt(out + NONCE_BYTES, &n, dk, KEY_BYTES, (const uint8_t *)ad,
	                                                  strlen(ad), NULL, out, master);
}

static int unwrap_key(const uint8_t master[KEY_BYTES], int64_t client_id, int64_t version, const uint8_t *w, size_t n,
                      uint8_t dk[KEY_BYTES])
{
	char ad[64];
	wrap_ad(ad, sizeof(ad), client_id, version);
	if (n != NONCE_BYTES + KEY_BYTES + TAG_BYTES)
		return -EBADMSG;
	unsigned long long out;
	return crypto_aead_xchacha20poly1305_ietf_decrypt(dk, &out, NULL, w + NONCE_BYTES, n - NONCE_BYTES,
	                                                  (const uint8_t *)ad, strlen(ad), w, master) == 0
	               ? 0
	               : -EBADMSG;
}

static void derive_email_key(const uint8_t dk[KEY_BYTES], uint8_t ek[KEY_BYTES])
{
	crypto_kdf_derive_from_key(ek, KEY_BYTES, 1, "lsemail_", dk);
}

bool keyring_client_shredded(struct store *st, int64_t client_id)
{
	static const char sql[] = "SELECT 1 FROM privacy_shredded WHERE client_id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return false;
	sqlite3_bind_int64(s, 1, client_id);
	return sqlite3_step(s) == SQLITE_ROW;
}

static struct client_slot *slot_find(struct keyring_cache *kc, int64_t client_id)
{
	for (unsigned i = 0; i < CACHE_SLOTS; i++)
		if (kc->slot[i].used && kc->slot[i].client_id == client_id)
			return &kc->slot[i];
	return NULL;
}

static void slot_drop(struct client_slot *sl)
{
	sodium_memzero(sl, sizeof(*sl));
}

/* The cached master key is the one the database names now: another process may
 * have rotated it. If not, it is read again. */
static int master_fresh(struct store *st, struct keyring_cache *kc, struct lserr *e)
{
	uint8_t want[KEY_BYTES], have[KEY_BYTES];
	int r = stored_check(st, want);
	if (r < 0)
		return store_error(st, e, "reading the master key check");
	if (r == 1 && kc->master_loaded) {
		master_check(kc->master, have);
		if (sodium_memcmp(want, have, KEY_BYTES) != 0) {
			sodium_memzero(kc->master, sizeof(kc->master));
			kc->master_loaded = false;
		}
	}
	return load_master(st, kc, false, NULL, e);
}

static int client_key(struct store *st, int64_t client_id, bool create, struct client_slot **ret, struct lserr *e)
{
	struct keyring_cache *kc = cache_of(st);
	struct client_slot *sl = slot_find(kc, client_id);
	if (sl) {
		*ret = sl;
		return 0;
	}
	static const char sel[] = "SELECT version, wrapped FROM client_keys WHERE client_id = ?";
	static const char ins[] = "INSERT INTO client_keys (client_id, version, wrapped, created_at) "
	                          "VALUES (?, 1, ?, unixepoch())";
	uint8_t dk[KEY_BYTES];
	int64_t version = 1;
	int r;
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sel);
		if (!s)
			return store_error(st, e, "reading the client key");
		sqlite3_bind_int64(s, 1, client_id);
		r = sqlite3_step(s);
		if (r == SQLITE_ROW) {
			version = sqlite3_column_int64(s, 0);
			const uint8_t *w = sqlite3_column_blob(s, 1);
			size_t n = (size_t)sqlite3_column_bytes(s, 1);
			uint8_t wrapped[NONCE_BYTES + KEY_BYTES + TAG_BYTES];
			if (n != sizeof(wrapped))
				return lserr_set(e, -EBADMSG, "internal", NULL, "client key %lld is damaged",
				                 (long long)client_id);
			memcpy(wrapped, w, n);
			store_stmt_done(s);
			if ((r = load_master(st, kc, false, NULL, e)) < 0)
				return r;
			/* a failure may be a master key rotated by another process: read it again once */
			if (unwrap_key(kc->master, client_id, version, wrapped, n, dk) < 0 &&
			    ((r = master_fresh(st, kc, e)) < 0 ||
			     unwrap_key(kc->master, client_id, version, wrapped, n, dk) < 0))
				return r < 0 ? r
				             : lserr_set(e, -EBADMSG, "key_mismatch", NULL,
				                         "the data key of client %lld cannot be unwrapped with the "
				                         "master key",
				                         (long long)client_id);
		} else if (r != SQLITE_DONE) {
			return store_error(st, e, "reading the client key");
		} else {
			store_stmt_done(s);
			if (keyring_client_shredded(st, client_id))
				return lserr_set(e, -ENOKEY, "shredded", NULL,
				                 "the personal data of client %lld was crypto-shredded",
				                 (long long)client_id);
			if (!create)
				return lserr_set(e, -ENOKEY, "key_missing", NULL, "client %lld has no data key",
				                 (long long)client_id);
			/* a new key must be wrapped by the master key the database names now */
			if ((r = load_master(st, kc, true, NULL, e)) < 0 || (r = master_fresh(st, kc, e)) < 0)
				return r;
			uint8_t wrapped[NONCE_BYTES + KEY_BYTES + TAG_BYTES];
			randombytes_buf(dk, KEY_BYTES);
			wrap_key(kc->master, client_id, 1, dk, wrapped);
			_cleanup_stmt_ sqlite3_stmt *w = store_stmt(st, ins);
			if (!w)
				return store_error(st, e, "storing the client key");
			sqlite3_bind_int64(w, 1, client_id);
			sqlite3_bind_blob(w, 2, wrapped, sizeof(wrapped), SQLITE_TRANSIENT);
			if (store_step_done(w) < 0)
				return store_error(st, e, "storing the client key");
		}
	}
	sl = &kc->slot[kc->next++ % CACHE_SLOTS];
	slot_drop(sl);
	sl->used = true;
	sl->client_id = client_id;
	sl->version = version;
	memcpy(sl->dk, dk, KEY_BYTES);
	derive_email_key(dk, sl->ek);
	sodium_memzero(dk, sizeof(dk));
	*ret = sl;
	return 0;
}

/* The cached key is current (another process may have rotated it). */
static int slot_current(struct store *st, struct client_slot **sl, bool create, struct lserr *e)
{
	static const char sql[] = "SELECT version FROM client_keys WHERE client_id = ?";
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return store_error(st, e, "reading the client key");
	sqlite3_bind_int64(s, 1, (*sl)->client_id);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int64(s, 0) == (*sl)->version)
		return 0;
	int64_t cid = (*sl)->client_id;
	store_stmt_done(s);
	slot_drop(*sl);
	return client_key(st, cid, create, sl, e);
}

static void field_ad(char *buf, size_t n, int64_t client_id, const char *field)
{
	snprintf(buf, n, "leitstand-pii:%lld:%s", (long long)client_id, field);
}

static void seal_with(const uint8_t dk[KEY_BYTES], int64_t client_id, const char *field, const char *plain, size_t len,
                      uint8_t *out)
{
	char ad[96];
	field_ad(ad, sizeof(ad), client_id, field);
	out[0] = SEAL_VERSION;
	randombytes_buf(out + 1, NONCE_BYTES);
	unsigned long long n;
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + 1 + NONCE_BYTES, &n, (const uint8_t *)plain, len,
	                                           (const uint8_t *)ad, strlen(ad), NULL, out + 1, dk);
}

/* plain: n - SEAL_OVERHEAD bytes and a NUL. */
static int open_with(const uint8_t dk[KEY_BYTES], int64_t client_id, const char *field, const uint8_t *blob, size_t n,
                     char *plain)
{
	char ad[96];
	if (n < SEAL_OVERHEAD || blob[0] != SEAL_VERSION)
		return -EBADMSG;
	field_ad(ad, sizeof(ad), client_id, field);
	unsigned long long out;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((uint8_t *)plain, &out, NULL, blob + 1 + NONCE_BYTES,
	                                               n - 1 - NONCE_BYTES, (const uint8_t *)ad, strlen(ad), blob + 1,
	                                               dk) != 0)
		return -EBADMSG;
	plain[out] = 0;
	return 0;
}

int keyring_seal(struct store *st, struct arena *a, int64_t client_id, const char *field, const char *plain,
                 const uint8_t **ret, size_t *ret_n, struct lserr *e)
{
	*ret = NULL;
	*ret_n = 0;
	if (!plain || !*plain)
		return 0;
	struct client_slot *sl;
	int r = client_key(st, client_id, true, &sl, e);
	if (r == 0)
		r = slot_current(st, &sl, true, e);
	if (r < 0)
		return r;
	size_t len = strlen(plain);
	uint8_t *out = arena_alloc(a, len + SEAL_OVERHEAD);
	seal_with(sl->dk, client_id, field, plain, len, out);
	*ret = out;
	*ret_n = len + SEAL_OVERHEAD;
	return 0;
}

int keyring_open(struct store *st, struct arena *a, int64_t client_id, const char *field, const void *blob, size_t n,
                 const char **ret, struct lserr *e)
{
	*ret = NULL;
	if (!blob || n == 0)
		return 0;
	if (n < SEAL_OVERHEAD)
		return lserr_set(e, -EBADMSG, "internal", field, "sealed field is damaged");
	struct client_slot *sl;
	int r = client_key(st, client_id, false, &sl, e);
	if (r < 0)
		return r;
	char *plain = arena_alloc(a, n - SEAL_OVERHEAD + 1);
	if (open_with(sl->dk, client_id, field, blob, n, plain) == 0) {
		*ret = plain;
		return 0;
	}
	/* perhaps rotated by another process since it was cached: read it again */
	slot_drop(sl);
	if ((r = client_key(st, client_id, false, &sl, e)) < 0)
		return r;
	if (open_with(sl->dk, client_id, field, blob, n, plain) < 0)
		return lserr_set(e, -EBADMSG, "internal", field, "sealed field cannot be opened");
	*ret = plain;
	return 0;
}

static size_t normalise_email(const char *email, char *buf, size_t n)
{
	while (*email == ' ' || *email == '\t')
		email++;
	size_t len = strlen(email);
	while (len && (email[len - 1] == ' ' || email[len - 1] == '\t'))
		len--;
	if (len >= n)
		len = n - 1;
	for (size_t i = 0; i < len; i++) {
		char c = email[i];
		buf[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	buf[len] = 0;
	return len;
}

static void hash_with(const uint8_t ek[KEY_BYTES], const char *email, uint8_t out[KEYRING_HASH_BYTES])
{
	char norm[512];
	size_t len = normalise_email(email, norm, sizeof(norm));
	crypto_generichash(out, KEYRING_HASH_BYTES, (const uint8_t *)norm, len, ek, KEY_BYTES);
	sodium_memzero(norm, sizeof(norm));
}

int keyring_email_hash(struct store *st, int64_t client_id, const char *email, uint8_t out[KEYRING_HASH_BYTES],
                       bool create, struct lserr *e)
{
	struct client_slot *sl;
	/* a lookup with a stale key would miss the person and make a second one */
	int r = client_key(st, client_id, create, &sl, e);
	if (r == 0)
		r = slot_current(st, &sl, create, e);
	if (r < 0)
		return r;
	hash_with(sl->ek, email, out);
	return 0;
}

/* The person columns sealed with the data key, and their field names. */
static const char *const person_fields[] = {"name", "email", "phone", "company"};

int keyring_rotate_client(struct store *st, struct arena *a, int64_t client_id, int64_t *ret_n, struct lserr *e)
{
	struct client_slot *sl;
	int r = client_key(st, client_id, true, &sl, e);
	if (r == 0)
		r = slot_current(st, &sl, true, e);
	if (r < 0)
		return r;
	uint8_t old_dk[KEY_BYTES], new_dk[KEY_BYTES], new_ek[KEY_BYTES];
	memcpy(old_dk, sl->dk, KEY_BYTES);
	int64_t version = sl->version + 1;
	randombytes_buf(new_dk, KEY_BYTES);
	derive_email_key(new_dk, new_ek);
	struct keyring_cache *kc = cache_of(st);
	static const char sel[] = "SELECT id, name_enc, email_enc, phone_enc, company_enc FROM persons "
	                          "WHERE client_id = ? ORDER BY id";
	static const char upd[] = "UPDATE persons SET name_enc = ?, email_enc = ?, phone_enc = ?, company_enc = ?, "
	                          "email_hash = ? WHERE id = ?";
	int64_t n = 0;
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sel);
	if (!s) {
		r = store_error(st, e, "reading persons");
		goto out;
	}
	sqlite3_bind_int64(s, 1, client_id);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		_cleanup_stmt_ sqlite3_stmt *u = store_stmt(st, upd);
		if (!u) {
			r = store_error(st, e, "re-sealing persons");
			goto out;
		}
		const char *email = NULL;
		for (int f = 0; f < 4; f++) {
			const uint8_t *b = sqlite3_column_blob(s, 1 + f);
			size_t bn = (size_t)sqlite3_column_bytes(s, 1 + f);
			if (!b || bn == 0) {
				sqlite3_bind_null(u, 1 + f);
				continue;
			}
			char *plain = arena_alloc(a, bn);
			if (bn < SEAL_OVERHEAD || open_with(old_dk, client_id, person_fields[f], b, bn, plain) < 0) {
				r = lserr_set(e, -EBADMSG, "internal", NULL, "person %lld: %s cannot be opened",
				              (long long)id, person_fields[f]);
				goto out;
			}
			size_t len = strlen(plain);
			uint8_t *sealed = arena_alloc(a, len + SEAL_OVERHEAD);
			seal_with(new_dk, client_id, person_fields[f], plain, len, sealed);
			sqlite3_bind_blob(u, 1 + f, sealed, (int)(len + SEAL_OVERHEAD), SQLITE_TRANSIENT);
			if (f == 1)
				email = plain;
		}
		if (email) {
			uint8_t h[KEYRING_HASH_BYTES];
			hash_with(new_ek, email, h);
			sqlite3_bind_blob(u, 5, h, sizeof(h), SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_null(u, 5);
		}
		sqlite3_bind_int64(u, 6, id);
		if ((r = store_step_done(u)) < 0) {
			r = store_error(st, e, "re-sealing persons");
			goto out;
		}
		n++;
	}
	if (r != SQLITE_DONE) {
		r = store_error(st, e, "reading persons");
		goto out;
	}
	{
		static const char wk[] = "UPDATE client_keys SET version = ?, wrapped = ?, created_at = unixepoch() "
		                         "WHERE client_id = ?";
		uint8_t wrapped[NONCE_BYTES + KEY_BYTES + TAG_BYTES];
		if ((r = load_master(st, kc, false, NULL, e)) < 0)
			goto out;
		wrap_key(kc->master, client_id, version, new_dk, wrapped);
		_cleanup_stmt_ sqlite3_stmt *w = store_stmt(st, wk);
		if (!w) {
			r = store_error(st, e, "storing the client key");
			goto out;
		}
		sqlite3_bind_int64(w, 1, version);
		sqlite3_bind_blob(w, 2, wrapped, sizeof(wrapped), SQLITE_TRANSIENT);
		sqlite3_bind_int64(w, 3, client_id);
		if ((r = store_step_done(w)) < 0) {
			r = store_error(st, e, "storing the client key");
			goto out;
		}
	}
	r = 0;
	*ret_n = n;
	keyring_forget();
out:
	sodium_memzero(old_dk, sizeof(old_dk));
	sodium_memzero(new_dk, sizeof(new_dk));
	sodium_memzero(new_ek, sizeof(new_ek));
	return r;
}

int keyring_shred_client(struct store *st, int64_t client_id, int64_t now, struct lserr *e)
{
	static const char del[] = "DELETE FROM client_keys WHERE client_id = ?";
	static const char mark[] = "INSERT INTO privacy_shredded (client_id, shredded_at) VALUES (?, ?) "
	                           "ON CONFLICT (client_id) DO NOTHING";
	static const char wipe[] = "UPDATE persons SET name_enc = NULL, email_enc = NULL, phone_enc = NULL, "
	                           "company_enc = NULL, email_hash = NULL, erased_at = coalesce(erased_at, ?), "
	                           "version = version + 1 WHERE client_id = ?";
	_cleanup_stmt_ sqlite3_stmt *d = store_stmt(st, del);
	_cleanup_stmt_ sqlite3_stmt *m = store_stmt(st, mark);
	_cleanup_stmt_ sqlite3_stmt *w = store_stmt(st, wipe);
	if (!d || !m || !w)
		return store_error(st, e, "shredding the client key");
	sqlite3_bind_int64(d, 1, client_id);
	sqlite3_bind_int64(m, 1, client_id);
	sqlite3_bind_int64(m, 2, now);
	sqlite3_bind_int64(w, 1, now);
	sqlite3_bind_int64(w, 2, client_id);
	if (store_step_done(d) < 0 || store_step_done(m) < 0 || store_step_done(w) < 0)
		return store_error(st, e, "shredding the client key");
	keyring_forget();
	return 0;
}

int keyring_rotate_master(struct store *st, const char *new_key_file, int64_t *ret_n, struct lserr *e)
{
	struct keyring_cache *kc = cache_of(st);
	int r = load_master(st, kc, false, NULL, e);
	if (r < 0)
		return r;
	uint8_t nk[KEY_BYTES];
	r = read_key_file(new_key_file, nk, e);
	if (r == -ENOENT)
		r = write_new_key_file(new_key_file, nk, e);
	if (r < 0)
		return r;
	static const char sel[] = "SELECT client_id, version, wrapped FROM client_keys ORDER BY client_id";
	static const char upd[] = "UPDATE client_keys SET wrapped = ? WHERE client_id = ?";
	int64_t n = 0;
	_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sel);
	if (!s) {
		r = store_error(st, e, "reading client keys");
		goto out;
	}
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(s, 0), version = sqlite3_column_int64(s, 1);
		uint8_t dk[KEY_BYTES], wrapped[NONCE_BYTES + KEY_BYTES + TAG_BYTES];
		if (unwrap_key(kc->master, cid, version, sqlite3_column_blob(s, 2), (size_t)sqlite3_column_bytes(s, 2),
		               dk) < 0) {
			r = lserr_set(e, -EBADMSG, "key_mismatch", NULL,
			              "the data key of client %lld cannot be unwrapped", (long long)cid);
			goto out;
		}
		wrap_key(nk, cid, version, dk, wrapped);
		sodium_memzero(dk, sizeof(dk));
		_cleanup_stmt_ sqlite3_stmt *u = store_stmt(st, upd);
		if (!u) {
			r = store_error(st, e, "re-wrapping client keys");
			goto out;
		}
		sqlite3_bind_blob(u, 1, wrapped, sizeof(wrapped), SQLITE_TRANSIENT);
		sqlite3_bind_int64(u, 2, cid);
		if (store_step_done(u) < 0) {
			r = store_error(st, e, "re-wrapping client keys");
			goto out;
		}
		n++;
	}
	if (r != SQLITE_DONE) {
		r = store_error(st, e, "reading client keys");
		goto out;
	}
	if ((r = store_check(st, nk)) < 0) {
		r = store_error(st, e, "storing the master key check");
		goto out;
	}
	r = 0;
	*ret_n = n;
out:
	sodium_memzero(nk, sizeof(nk));
	return r;
}

int keyring_rotate_master_finish(struct store *st, const char *new_key_file, struct lserr *e)
{
	keyring_forget();
	const char *env = getenv("LEITSTAND_MASTER_KEY");
	if (env && *env)
		return 0; /* the operator replaces the variable */
	char cur[PATH_MAX];
	key_path(st, cur, sizeof(cur));
	if (strcmp(cur, new_key_file) == 0)
		return 0;
	if (rename(new_key_file, cur) < 0 || fsync_dir_of(cur) < 0)
		return lserr_set(e, -errno, "internal", "key_file", "cannot move '%s' to '%s': %s", new_key_file, cur,
		                 strerror(errno));
	return 0;
}

int keyring_check(struct store *st, struct lserr *e)
{
	static const char sql[] = "SELECT client_id FROM client_keys ORDER BY client_id";
	int64_t ids[CACHE_SLOTS];
	size_t n = 0;
	{
		_cleanup_stmt_ sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return store_error(st, e, "reading client keys");
		while (n < CACHE_SLOTS && sqlite3_step(s) == SQLITE_ROW)
			ids[n++] = sqlite3_column_int64(s, 0);
	}
	for (size_t i = 0; i < n; i++) {
		struct client_slot *sl;
		int r = client_key(st, ids[i], false, &sl, e);
		if (r < 0)
			return r;
	}
	return 0;
}

int keyring_seal_text(struct store *st, struct arena *a, int64_t client_id, const char *field, const char *plain,
                      const char **ret, struct lserr *e)
{
	*ret = plain;
	if (!plain || !*plain)
		return 0;
	const uint8_t *b;
	size_t n;
	int r = keyring_seal(st, a, client_id, field, plain, &b, &n, e);
	if (r < 0)
		return r;
	size_t pl = strlen(KEYRING_TEXT_PREFIX);
	size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	char *out = arena_alloc(a, pl + len);
	memcpy(out, KEYRING_TEXT_PREFIX, pl);
	sodium_bin2base64(out + pl, len, b, n, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	*ret = out;
	return 0;
}

int keyring_open_text(struct store *st, struct arena *a, int64_t client_id, const char *field, const char *text,
                      const char **ret, struct lserr *e)
{
	*ret = text;
	size_t pl = strlen(KEYRING_TEXT_PREFIX);
	if (!text || strncmp(text, KEYRING_TEXT_PREFIX, pl) != 0)
		return 0;
	size_t tl = strlen(text + pl), n = 0;
	uint8_t *b = arena_alloc(a, tl + 1);
	if (sodium_base642bin(b, tl + 1, text + pl, tl, NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0)
		return lserr_set(e, -EBADMSG, "internal", field, "sealed text is damaged");
	return keyring_open(st, a, client_id, field, b, n, ret, e);
}
