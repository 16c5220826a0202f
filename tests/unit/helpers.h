/* Shared fixtures for the unit tests: a private temporary directory, a fresh
 * migrated database in it, a service context running as the system actor with
 * an injected clock, and small helpers to add clients, users and teams.
 * Header-only (static inline) so that each test program takes what it uses. */
#pragma once
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "model/directory.h"
#include "service/auth.h"
#include "service/directory.h"
#include "service/svc.h"
#include "store/store.h"

/* 2026-03-02T09:00:00Z, a Monday: the clock every fixture starts at. */
#define TEST_T0 ((ls_time)1772442000)

/* Creates a fresh directory under /tmp; aborts the test on failure. */
static inline void tmpdir_make(char *buf, size_t n)
{
	snprintf(buf, n, "/tmp/leitstand-unit-XXXXXX");
	assert_non_null(mkdtemp(buf));
}

/* Removes the files in dir (flat: tests create no subdirectories) and dir itself. */
static inline void tmpdir_remove(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

struct fixture {
	char dir[64];
	char path[128]; /* dir/test.db */
	struct store *st;
	struct arena arena;
	struct lserr err;
	struct svc svc;
};

/* cmocka setup: temp dir, database created and migrated, svc as the system actor at TEST_T0. */
static inline int fixture_setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	tmpdir_make(f->dir, sizeof(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/test.db", f->dir);
	assert_int_equal(auth_init(), 0);
	int r = store_open(f->path, STORE_OPEN_CREATE, &f->st, &f->err);
	if (r < 0)
		fail_msg("store_open: %s", f->err.message);
	arena_init(&f->arena);
	f->svc = (struct svc){
	        .st = f->st,
	        .arena = &f->arena,
	        .actor = &actor_system,
	        .now = TEST_T0,
	        .err = &f->err,
	};
	*state = f;
	return 0;
}

static inline int fixture_teardown(void **state)
{
	struct fixture *f = *state;
	if (!f)
		return 0;
	store_close(f->st);
	arena_release(&f->arena);
	tmpdir_remove(f->dir);
	xfree(f);
	return 0;
}

/* Fails the test with the service error when r < 0. */
#define assert_ok(f, expr)                                                                                             \
	do {                                                                                                           \
		int _r = (expr);                                                                                       \
		if (_r < 0)                                                                                            \
			fail_msg("%s failed: %d %s (%s: %s)", #expr, _r, err_str(_r),                                  \
			         (f)->err.code ? (f)->err.code : "-", (f)->err.message);                               \
	} while (0)

/* Asserts a service failure: return code, catalogue code and field. */
#define assert_svc_error(f, expr, rc, code_, field_)                                                                   \
	do {                                                                                                           \
		int _r = (expr);                                                                                       \
		assert_int_equal(_r, (rc));                                                                            \
		assert_non_null((f)->err.code);                                                                        \
		assert_string_equal((f)->err.code, (code_));                                                           \
		assert_string_equal((f)->err.field, (field_));                                                         \
	} while (0)

/* Adds a client as the system actor; matrix NULL gives the default. Returns its id. */
static inline int64_t fx_client(struct fixture *f, const char *code, const char *matrix)
{
	const struct actor *saved = f->svc.actor;
	f->svc.actor = &actor_system;
	struct client c;
	struct client_input in = {.code = code, .name = code, .priority_matrix = matrix};
	assert_ok(f, directory_client_add(&f->svc, &in, &c));
	f->svc.actor = saved;
	return c.id;
}

/* Adds a user without password, granted the NULL-terminated list of client codes. */
static inline int64_t fx_user_v(struct fixture *f, const char *email, enum user_role role, const char *const *clients)
{
	const struct actor *saved = f->svc.actor;
	f->svc.actor = &actor_system;
	size_t n = 0;
	while (clients && clients[n])
		n++;
	struct user u;
	struct user_input in = {.email = email, .name = email, .role = role, .clients = clients, .n_clients = n};
	assert_ok(f, directory_user_add(&f->svc, &in, &u));
	f->svc.actor = saved;
	return u.id;
}
#define fx_user(f, email, role, ...) fx_user_v((f), (email), (role), (const char *const[]){__VA_ARGS__, NULL})

static inline int64_t fx_team(struct fixture *f, const char *code)
{
	const struct actor *saved = f->svc.actor;
	f->svc.actor = &actor_system;
	struct team t;
	struct team_input in = {.code = code, .name = code};
	assert_ok(f, directory_team_add(&f->svc, &in, &t));
	f->svc.actor = saved;
	return t.id;
}

/* The actor of a stored user (arena-allocated, lives as long as the fixture). */
static inline const struct actor *fx_actor(struct fixture *f, int64_t user_id)
{
	struct actor *a = arena_zalloc(&f->arena, sizeof(*a));
	assert_ok(f, auth_actor_for_user(&f->svc, user_id, a));
	return a;
}

/* Parses an RFC 3339 instant; fails the test on bad input. */
static inline ls_time fx_time(const char *s)
{
	ls_time t = 0;
	assert_int_equal(time_parse_rfc3339(s, &t), 0);
	return t;
}
