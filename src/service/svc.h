/* What every service call runs with. Room: service.
 *
 * A service call performs one use case: it validates business rules, loads from
 * the store, changes, and writes back in one transaction, appending to the
 * ticket history. It never logs and never formats output; on failure it fills
 * *err (field, code, message) and returns the negative code. */
#pragma once
#include "core/arena.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "model/directory.h"
#include "store/store.h"

struct audit_notes;

struct svc {
	struct store *st;
	struct arena *arena; /* results are allocated here */
	const struct actor *actor;
	ls_time now; /* injected clock: the demo and tests set their own */
	struct lserr *err;
	struct audit_notes *audit; /* the request's audit notes (service/audit.h), or NULL */
};
