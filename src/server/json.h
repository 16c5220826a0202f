/* JSON at the HTTP edge: strict validation of request bodies against a field
 * spec, and the wire form of every model struct. Room: server.
 *
 * Validation rejects unknown fields, wrong types and out-of-range numbers with
 * a reply naming the field; handlers then read the checked values with the
 * jansson getters without further type checks. */
#pragma once
#include <jansson.h>
#include <stdbool.h>

#include "model/directory.h"
#include "model/ticket.h"
#include "server/http.h"

enum jfield_type {
	JF_STRING,
	JF_STRING_OR_NULL,
	JF_INT,
	JF_STRING_ARRAY,
	JF_OBJECT,
	JF_NUMBER,       /* integer or real; ranges are the engine's to check */
	JF_OBJECT_ARRAY, /* array of objects, each checked against children */
	JF_BOOL,
};

struct jfield {
	const char *name;
	enum jfield_type type;
	bool required;
	int64_t min, max;              /* JF_INT range; JF_STRING max length (0: none) */
	const struct jfield *children; /* JF_OBJECT: its fields, ended by {NULL} */
	const char *hint;              /* given for a field that is refused outright */
	bool refused;                  /* known but not accepted here (hint says why) */
};

/* Checks obj against spec (ended by an entry with name NULL). On failure it
 * replies 400 and returns negative. `prefix` names the parent ("requester."). */
int json_check(struct request *rq, json_t *obj, const struct jfield *spec, const char *prefix);

/* Getters on checked objects: NULL / def when absent; a JSON null gives NULL. */
const char *jstr(json_t *obj, const char *name);
int64_t jint(json_t *obj, const char *name, int64_t def);
bool jhas(json_t *obj, const char *name);
/* A number field (integer or real) or def when absent. */
double jnum(json_t *obj, const char *name, double def);
/* String array into an arena vector. */
const char **jstrv(struct arena *a, json_t *obj, const char *name, size_t *ret_n);

json_t *json_time(ls_time t); /* RFC 3339 UTC or null for 0 */
json_t *json_str_or_null(const char *s);
json_t *json_ticket(const struct ticket *t);
json_t *json_client(const struct client *c);
json_t *json_user(const struct user *u);
json_t *json_team(const struct team *t);
json_t *json_vendor(const struct vendor *v);
json_t *json_event(const struct ticket_event *e);
json_t *json_message(const struct ticket_message *m);
json_t *json_effort(const struct ticket_effort *e);
json_t *json_link(const struct ticket_link *l);
