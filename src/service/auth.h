/* Authentication: argon2id passwords, API tokens, and turning a token into an
 * actor. Room: service.
 *
 * Tokens are "lst_" + 43 characters of URL-safe base64 over 32 random bytes.
 * Only their BLAKE2b-256 hash is stored. auth_init() must run once before any
 * other call (it initialises libsodium); everything after is thread-safe. */
#pragma once
#include <stddef.h>

#include "service/svc.h"

#define AUTH_TOKEN_LEN 47 /* "lst_" + 43 */

int auth_init(void);
/* argon2id at libsodium's INTERACTIVE limits; the hash string goes to *ret
 * (arena). Slow on purpose (~0.1 s): never call on a request thread. */
int auth_password_hash(struct svc *s, const char *password, const char **ret);
/* Creates a token for the user with this email; the clear token (arena) goes to
 * *ret — it is shown once and cannot be recovered. expires_at 0: no expiry. */
int auth_token_create(struct svc *s, const char *email, const char *name, ls_time expires_at, const char **ret);
/* Checks email and password and creates a token valid for `ttl` seconds. A wrong
 * email and a wrong password fail alike (-LS_EAUTH). */
int auth_login(struct svc *s, const char *email, const char *password, ls_time ttl, const char **ret_token);
/* Resolves a presented token into an actor (arena). -LS_EAUTH when unknown,
 * expired or the user is inactive. */
int auth_actor_from_token(struct svc *s, const char *token, struct actor *ret);
/* Loads the actor for a user id (its role and granted clients). */
int auth_actor_for_user(struct svc *s, int64_t user_id, struct actor *ret);
