/* Audit log entries and their hash chain. Room: model.
 *
 * An entry's hash is SHA-256 over the previous entry's hash (32 bytes) followed by
 * the entry's canonical serialisation (docs/privacy.md gives it exactly, so that a
 * short script can re-verify a database): each field, in a fixed order, as its
 * length in bytes in decimal, a colon and the bytes. Hashes travel as 64 lowercase
 * hex digits. Pure functions, thread-safe; they need sodium_init() to have run. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "core/timeutil.h"

#define AUDIT_HASH_HEX_LEN 64
#define AUDIT_FORMAT_TAG   "leitstand-audit-1"

enum audit_kind {
	AUDIT_KIND_API_WRITE,          /* a successful write through the HTTP API */
	AUDIT_KIND_LOGIN,              /* a successful password login */
	AUDIT_KIND_LOGIN_FAILED,       /* a failed one: the email given, never the password */
	AUDIT_KIND_PERMISSION_CHANGE,  /* user added, password set, token issued: who may do what */
	AUDIT_KIND_PERSONAL_DATA_READ, /* a response that carried personal data (requester details) */
	AUDIT_KIND_LOGIN_LOCKED,       /* an account locked after failed logins, or a login refused while locked */
	AUDIT_KIND_PRIVACY,            /* data-subject requests and key operations outside the API (CLI, jobs) */
	_AUDIT_KIND_MAX,
	_AUDIT_KIND_INVALID = -22,
};
const char *audit_kind_to_string(enum audit_kind k);
enum audit_kind audit_kind_from_string(const char *s);

struct audit_entry {
	int64_t id;              /* 1, 2, 3 … without gaps */
	ls_time at;              /* UTC seconds */
	int64_t actor_id;        /* 0: the system or nobody */
	const char *actor_email; /* "system" for the CLI and jobs */
	const char *kind;        /* audit_kind_to_string(); kept as text so old kinds verify */
	int64_t client_id;       /* 0: not about one client */
	const char *subject;     /* what it is about (a ticket number, an email), may be "" */
	const char *detail;      /* JSON text, hashed byte for byte as stored */
	char prev_hash[AUDIT_HASH_HEX_LEN + 1];
	char hash[AUDIT_HASH_HEX_LEN + 1];
};

/* The prev_hash of the first entry: 64 zeros. */
extern const char audit_genesis_hash[AUDIT_HASH_HEX_LEN + 1];

/* Computes the hash of e from e->prev_hash and its other fields into out
 * (64 hex digits and a NUL). -EINVAL when e->prev_hash is not 64 hex digits. */
int audit_entry_hash(const struct audit_entry *e, char out[AUDIT_HASH_HEX_LEN + 1]);
/* true when s is exactly 64 lowercase hex digits. */
bool audit_hash_valid(const char *s);
