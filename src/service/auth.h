/* Authentication: argon2id passwords, API tokens, and turning a token into an
 * actor. Room: service.
 *
 * Tokens are "lst_" + 43 characters of URL-safe base64 over 32 random bytes.
 * Only their BLAKE2b-256 hash is stored. auth_init() must run once before any
 * other call (it initialises libsodium); everything after is thread-safe. */
#pragma once
#include <stdbool.h>
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
 * email and a wrong password fail alike (-LS_EAUTH, "login_failed", audited as
 * login_failed). LS_LOGIN_MAX_FAILURES consecutive failures for one email (known
 * or not) lock it for auth_lockout_seconds(); while locked every attempt fails
 * with -EAGAIN, "login_locked", without checking the password, and
 * *ret_retry_after (may be NULL) is set to the seconds left (audited as login_locked). A success
 * clears the count. The state is stored (table login_throttle): a restart does not
 * unlock. */
int auth_login(struct svc *s, const char *email, const char *password, ls_time ttl, const char **ret_token,
               ls_time *ret_retry_after);
/* The length of the n-th lockout: LS_LOGIN_LOCK_S doubled per earlier lockout, at
 * most LS_LOGIN_LOCK_MAX_S. */
ls_time auth_lockout_seconds(int lockouts);
/* Audits (login_locked, scope address) that the server's per-address limit
 * stopped logins; the email given is the entry's subject. */
void auth_record_address_throttled(struct svc *s, const char *email);
/* Clears an account's failed logins and lockout (-ENOENT when none is recorded). */
int auth_unlock(struct svc *s, const char *email);

/* The actor's own tokens, newest first (an admin: everybody's). */
struct api_token;
int auth_token_list(struct svc *s, struct api_token **ret, size_t *ret_n);
/* Revokes a token of the actor (an admin: anybody's); revoking a revoked token
 * changes nothing and succeeds. -ENOENT for missing and other users' tokens. The
 * revoked token stops working at once in this process and within
 * AUTH_CACHE_TTL_S (1 s) in other processes' token caches. */
int auth_token_revoke(struct svc *s, int64_t id, struct api_token *ret);
/* The id of a presented token (for logout). */
int auth_token_id(struct svc *s, const char *token, int64_t *ret_id);
/* Empties every thread's token cache at its next lookup. */
void auth_tokens_changed(void);

/* The CSRF token that goes with a session token: BLAKE2b of it under a fixed
 * context, URL-safe base64. The server stores nothing for it. */
#define AUTH_CSRF_LEN       43
#define AUTH_SESSION_COOKIE "leitstand_session"
void auth_csrf_token(const char *token, char csrf[AUTH_CSRF_LEN + 1]);
/* Whether `presented` is the CSRF token of session token `token` (constant time). */
bool auth_csrf_valid(const char *token, const char *presented);
/* Resolves a presented token into an actor (arena). -LS_EAUTH when unknown,
 * expired or the user is inactive. */
int auth_actor_from_token(struct svc *s, const char *token, struct actor *ret);
/* Loads the actor for a user id (its role and granted clients). */
int auth_actor_for_user(struct svc *s, int64_t user_id, struct actor *ret);
