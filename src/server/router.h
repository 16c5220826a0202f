/* Routes are data: one table (routes.c) gives method, path pattern, handler,
 * permission, query parameters and documentation. The router matches requests
 * against it, the OpenAPI document is generated from it, and the API tests
 * walk it. Room: server. */
#pragma once
#include <stdbool.h>

#include "server/http.h"

enum route_flags {
	ROUTE_PUBLIC = 1 << 0,   /* no authentication */
	ROUTE_SLOW = 1 << 1,     /* runs on the slow-work thread */
	ROUTE_BODY = 1 << 2,     /* takes a JSON body */
	ROUTE_UPLOAD = 1 << 3,   /* takes a file as the raw body, streamed to the upload directory */
	ROUTE_PERSONAL = 1 << 4, /* answers carry personal data (requester details): every answer is audited */
};

struct route {
	const char *method;
	const char *pattern; /* "/api/v1/tickets/{number}" */
	int (*handler)(struct request *rq);
	unsigned perm; /* enum permission bits needed; 0 with ROUTE_PUBLIC */
	unsigned flags;
	unsigned ok_status;
	const char *tag;
	const char *summary;
	const char *const *query;   /* accepted query parameters, NULL-terminated, or NULL */
	const char *request_schema; /* components/schemas name, or NULL */
	const char *response_schema;
	bool response_is_list; /* {"items":[schema],"next":cursor} */
};

extern const struct route routes[];
extern const unsigned routes_count;

enum route_match {
	ROUTE_MATCHED,
	ROUTE_NO_PATH,
	ROUTE_WRONG_METHOD,
};
/* Matches method and path; captures go to params. */
enum route_match router_match(const char *method, const char *path, int *ret_index,
                              const char *params[REQUEST_MAX_PARAMS], struct arena *a);
