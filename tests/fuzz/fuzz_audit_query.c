/* Fuzz target for the query parameters of GET /api/v1/audit (audit_query_parse).
 * The input is split at NUL bytes into up to seven values, given to the parameters
 * client, actor, kind, from, to, limit and cursor in that order (an empty piece
 * leaves the parameter out). Properties: no crash or undefined behaviour; a refusal
 * carries a message and names one of the parameters; an accepted query has a limit
 * of 1 to LS_MAX_PAGE_SIZE, a known kind, to after from, a positive cursor. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/limits.h"
#include "fuzz.h"
#include "service/audit.h"

static const char *const names[] = {"client", "actor", "kind", "from", "to", "limit", "cursor"};

struct params {
	const char *v[7];
};

static const char *get(const char *name, void *ctx)
{
	struct params *p = ctx;
	for (size_t i = 0; i < 7; i++)
		if (strcmp(names[i], name) == 0)
			return p->v[i];
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	struct params p = {{0}};
	size_t k = 0;
	for (char *s = buf; k < 7 && s <= buf + size; k++) {
		size_t n = strlen(s);
		p.v[k] = n ? s : NULL;
		s += n + 1;
	}
	struct arena a;
	arena_init(&a);
	struct lserr e = {0};
	struct svc s = {.arena = &a, .err = &e, .actor = &actor_system};
	struct audit_query q;
	if (audit_query_parse(&s, get, &p, &q) < 0) {
		bool named = false;
		for (size_t i = 0; i < 7; i++)
			named |= strcmp(e.field, names[i]) == 0;
		if (!e.message[0] || !named)
			fuzz_fail(data, size, "refused without a message or a parameter name ('%s')", e.field);
	} else if (q.limit < 1 || q.limit > LS_MAX_PAGE_SIZE || (q.kind && audit_kind_from_string(q.kind) < 0) ||
	           (q.from && q.to && q.to <= q.from) || q.before_id < 0) {
		fuzz_fail(data, size, "accepted a query with limit %u", q.limit);
	}
	arena_release(&a);
	free(buf);
	return 0;
}
