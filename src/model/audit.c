/* The audit chain's hash (see audit.h). Room: model.
 * The serialisation is length-prefixed so that no choice of field contents (a
 * colon or newline in a subject, an empty email) can make two different entries
 * serialise alike; numbers are plain decimal, absent ids are empty fields. */
#include "model/audit.h"

#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_names[] = {
        "api_write", "login", "login_failed", "permission_change", "personal_data_read", "login_locked", "privacy",
};

const char *audit_kind_to_string(enum audit_kind k)
{
	return (int)k >= 0 && k < _AUDIT_KIND_MAX ? kind_names[k] : NULL;
}

enum audit_kind audit_kind_from_string(const char *s)
{
	for (int i = 0; s && i < _AUDIT_KIND_MAX; i++)
		if (strcmp(kind_names[i], s) == 0)
			return (enum audit_kind)i;
	return _AUDIT_KIND_INVALID;
}

const char audit_genesis_hash[AUDIT_HASH_HEX_LEN + 1] =
        "0000000000000000000000000000000000000000000000000000000000000000";

bool audit_hash_valid(const char *s)
{
	if (!s || strlen(s) != AUDIT_HASH_HEX_LEN)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

static void put_field(crypto_hash_sha256_state *h, const char *v, size_t n)
{
	char len[24];
	int k = snprintf(len, sizeof(len), "%zu:", n);
	crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)k);
	crypto_hash_sha256_update(h, (const unsigned char *)v, n);
}

static void put_str(crypto_hash_sha256_state *h, const char *v)
{
	put_field(h, v ? v : "", v ? strlen(v) : 0);
}

static void put_num(crypto_hash_sha256_state *h, int64_t v, bool zero_is_empty)
{
	char buf[24];
	if (zero_is_empty && v == 0) {
		put_field(h, "", 0);
		return;
	}
	int k = snprintf(buf, sizeof(buf), "%" PRId64, v);
	put_field(h, buf, (size_t)k);
}

int audit_entry_hash(const struct audit_entry *e, char out[AUDIT_HASH_HEX_LEN + 1])
{
	if (!audit_hash_valid(e->prev_hash))
		return -EINVAL;
	unsigned char prev[32], digest[crypto_hash_sha256_BYTES];
	if (sodium_hex2bin(prev, sizeof(prev), e->prev_hash, AUDIT_HASH_HEX_LEN, NULL, NULL, NULL) != 0)
		return -EINVAL;
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, prev, sizeof(prev));
	put_str(&h, AUDIT_FORMAT_TAG);
	put_num(&h, e->id, false);
	put_num(&h, e->at, false);
	put_num(&h, e->actor_id, true);
	put_str(&h, e->actor_email);
	put_str(&h, e->kind);
	put_num(&h, e->client_id, true);
	put_str(&h, e->subject);
	put_str(&h, e->detail);
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(out, AUDIT_HASH_HEX_LEN + 1, digest, sizeof(digest));
	return 0;
}
