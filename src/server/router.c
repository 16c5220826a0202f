/* Path matching against the route table (see router.h). Room: server.
 * Patterns are literal segments and {name} captures; a capture matches one
 * non-empty segment. Linear scan: the table is small and the match is a few
 * string compares. */
#include "server/router.h"

#include <string.h>

static bool match_one(const char *pattern, const char *path, const char *params[REQUEST_MAX_PARAMS], struct arena *a)
{
	unsigned np = 0;
	const char *p = pattern, *u = path;
	while (*p && *u) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *ue = strchr(u, '/');
			if (!ue)
				ue = u + strlen(u);
			if (ue == u || np >= REQUEST_MAX_PARAMS)
				return false;
			if (params)
				params[np] = arena_strndup(a, u, (size_t)(ue - u));
			np++;
			p = pe + 1;
			u = ue;
			continue;
		}
		if (*p != *u)
			return false;
		p++;
		u++;
	}
	return *p == '\0' && *u == '\0';
}

enum route_match router_match(const char *method, const char *path, int *ret_index,
                              const char *params[REQUEST_MAX_PARAMS], struct arena *a)
{
	bool path_seen = false;
	for (unsigned i = 0; i < routes_count; i++) {
		if (!match_one(routes[i].pattern, path, NULL, a))
			continue;
		path_seen = true;
		if (strcmp(routes[i].method, method) != 0)
			continue;
		match_one(routes[i].pattern, path, params, a);
		*ret_index = (int)i;
		return ROUTE_MATCHED;
	}
	return path_seen ? ROUTE_WRONG_METHOD : ROUTE_NO_PATH;
}
