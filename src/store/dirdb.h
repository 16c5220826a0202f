/* Storage of clients, users, client grants, teams and API tokens. Room: store.
 * Results are allocated from the arena passed in. Lookups return -ENOENT when
 * nothing matches; inserts return -LS_ECONFLICT on a duplicate key. None of
 * these checks permissions: that is the services' job. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "model/directory.h"
#include "store/store.h"

int dirdb_client_insert(struct store *st, struct client *c);
/* Whether the user is a member of the team. */
bool dirdb_team_has_member(struct store *st, int64_t team_id, int64_t user_id);
int dirdb_client_by_code(struct store *st, struct arena *a, const char *code, struct client *ret);
int dirdb_client_by_id(struct store *st, struct arena *a, int64_t id, struct client *ret);
int dirdb_client_list(struct store *st, struct arena *a, struct client **ret, size_t *ret_n);

int dirdb_user_insert(struct store *st, struct user *u, const char *password_hash);
int dirdb_user_by_email(struct store *st, struct arena *a, const char *email, struct user *ret);
int dirdb_user_by_id(struct store *st, struct arena *a, int64_t id, struct user *ret);
/* The stored argon2id hash (arena copy) or -ENOENT when the user has none. */
int dirdb_user_password_hash(struct store *st, struct arena *a, int64_t user_id, const char **ret);
int dirdb_user_set_password_hash(struct store *st, int64_t user_id, const char *hash);
int dirdb_user_list(struct store *st, struct arena *a, struct user **ret, size_t *ret_n);
int dirdb_user_grant(struct store *st, int64_t user_id, int64_t client_id);
/* Sorted ascending client ids granted to a user. */
int dirdb_user_grants(struct store *st, struct arena *a, int64_t user_id, int64_t **ret, size_t *ret_n);

int dirdb_team_insert(struct store *st, struct team *t);
int dirdb_team_by_code(struct store *st, struct arena *a, const char *code, struct team *ret);
int dirdb_team_list(struct store *st, struct arena *a, struct team **ret, size_t *ret_n);
int dirdb_team_add_member(struct store *st, int64_t team_id, int64_t user_id);

int dirdb_token_insert(struct store *st, int64_t user_id, const unsigned char hash[32], const char *name, ls_time now,
                       ls_time expires_at);
/* The user id behind a token hash that has not expired at `now` nor been revoked. */
int dirdb_token_user(struct store *st, const unsigned char hash[32], ls_time now, int64_t *ret_user_id);

/* A vendor_agent's vendor (0: none). */
int dirdb_user_set_vendor(struct store *st, int64_t user_id, int64_t vendor_id);

/* An API token as listings show it: never the token, nor its hash. */
struct api_token {
	int64_t id;
	int64_t user_id;
	const char *user_email;
	const char *name;
	ls_time created_at;
	ls_time expires_at; /* 0: never */
	ls_time revoked_at; /* 0: not revoked */
};
/* Tokens of a user (0: of everybody), newest first, at most LS_MAX_PAGE_SIZE. */
int dirdb_token_list(struct store *st, struct arena *a, int64_t user_id, struct api_token **ret, size_t *ret_n);
int dirdb_token_by_id(struct store *st, struct arena *a, int64_t id, struct api_token *ret);
int dirdb_token_id_by_hash(struct store *st, const unsigned char hash[32], int64_t *ret_id);
/* Sets revoked_at unless the token is revoked already (then nothing changes). */
int dirdb_token_revoke(struct store *st, int64_t id, ls_time now);

/* Failed-login state of an account (the email given, compared lower-cased);
 * all zero when there is none. */
struct login_throttle {
	int failures;         /* consecutive failed logins */
	int lockouts;         /* lockouts so far: each doubles the next one */
	ls_time locked_until; /* 0 or the end of the current lockout */
};
int dirdb_login_throttle_get(struct store *st, const char *account, struct login_throttle *ret);
int dirdb_login_throttle_put(struct store *st, const char *account, const struct login_throttle *t, ls_time now);
int dirdb_login_throttle_clear(struct store *st, const char *account);
