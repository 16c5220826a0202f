/* Encryption at rest of personal fields. Room: store.
 *
 * One master key per installation, never stored in the database: taken from
 * $LEITSTAND_MASTER_KEY (64 hex digits), else the file named by
 * keyring_set_key_file() or $LEITSTAND_KEY_FILE, else "<database>.key" beside the
 * database file (created, mode 0600, when the first client key is made and no key
 * exists anywhere). Each client has a data key (client_keys), wrapped by the master
 * key with XChaCha20-Poly1305. Personal fields are sealed with the client's data key:
 *
 *     blob = 0x01 || nonce (24 bytes) || XChaCha20-Poly1305(data key, field, ad)
 *
 * where ad = "leitstand-pii:<client id>:<field>". An email is found through a keyed
 * BLAKE2b-256 hash of its trimmed, lower-cased form under a key derived from the
 * data key (crypto_kdf subkey 1, context "lsemail_").
 *
 * Each connection caches the master key and unwrapped data keys (connections are
 * per thread, so no lock); a rotation or shredding in this process empties every
 * cache, and each use checks the stored key version (and, before wrapping a new
 * key or after a failed unwrap, the master key's check value), so keys replaced by
 * another process are read again. Every function that may create a client key
 * must run inside a write transaction. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

#define KEYRING_HASH_BYTES 32

/* Use this key file instead of the default (CLI --key-file); NULL: the default. */
void keyring_set_key_file(const char *path);
/* Creates "<db>.key" (or the configured file) with a fresh master key if no key is
 * configured and none exists; *ret_created tells whether it did. For `init`. */
int keyring_ensure_master(struct store *st, bool *ret_created, const char **ret_path, struct lserr *e);

/* Seal plain (NUL-terminated) for client and field into a, *ret and *ret_n; plain NULL
 * or empty gives NULL/0. Creates the client's data key if it has none. */
int keyring_seal(struct store *st, struct arena *a, int64_t client_id, const char *field, const char *plain,
                 const uint8_t **ret, size_t *ret_n, struct lserr *e);
/* Open a sealed blob into a NUL-terminated string in a; a NULL blob gives NULL.
 * -ENOKEY: the client's key is gone (shredded); -EBADMSG: the blob is corrupt or
 * sealed for another client or field. */
int keyring_open(struct store *st, struct arena *a, int64_t client_id, const char *field, const void *blob, size_t n,
                 const char **ret, struct lserr *e);
/* Text form of a sealed value for TEXT columns: "ls1:" and base64 (no padding).
 * keyring_seal_text gives plain unchanged when it is NULL or empty; keyring_open_text
 * gives its input unchanged when it does not start with "ls1:". */
#define KEYRING_TEXT_PREFIX "ls1:"
int keyring_seal_text(struct store *st, struct arena *a, int64_t client_id, const char *field, const char *plain,
                      const char **ret, struct lserr *e);
int keyring_open_text(struct store *st, struct arena *a, int64_t client_id, const char *field, const char *text,
                      const char **ret, struct lserr *e);

/* The lookup hash of an email for a client (trimmed, ASCII lower-cased). */
int keyring_email_hash(struct store *st, int64_t client_id, const char *email, uint8_t out[KEYRING_HASH_BYTES],
                       bool create, struct lserr *e);

/* Whether the client's data key was destroyed (crypto-shredded). */
bool keyring_client_shredded(struct store *st, int64_t client_id);
/* Replace a client's data key by a new one: every sealed field and email hash of
 * its persons is re-sealed in the caller's transaction; *ret_n the persons done. */
int keyring_rotate_client(struct store *st, struct arena *a, int64_t client_id, int64_t *ret_n, struct lserr *e);
/* Destroy a client's data key (crypto-shredding) in the caller's transaction. */
int keyring_shred_client(struct store *st, int64_t client_id, int64_t now, struct lserr *e);
/* Re-wrap every client key under a new master key read from new_key_file (created
 * with a fresh key when missing); the configured key file is replaced by it only
 * after the commit (keyring_rotate_master_finish). In the caller's transaction. */
int keyring_rotate_master(struct store *st, const char *new_key_file, int64_t *ret_n, struct lserr *e);
int keyring_rotate_master_finish(struct store *st, const char *new_key_file, struct lserr *e);
/* Where the master key comes from, for messages: "environment" or a path. */
const char *keyring_source(struct store *st);
/* Fails with a clear error when client keys exist but the master key is missing
 * or wrong (checked at start of `serve`; a sample of the clients is unwrapped). */
int keyring_check(struct store *st, struct lserr *e);
/* Forget cached keys (tests, after rotation or shredding by another process). */
void keyring_forget(void);
