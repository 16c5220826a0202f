/* A person behind requesters and contacts. Room: model.
 * Personal fields are plain here; the store seals them (store/keyring.h). An erased
 * person keeps id and pseudonym, its personal fields are NULL. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "core/timeutil.h"

#define PERSON_PSEUDONYM_LEN 10 /* "P-" and 8 Crockford base32 digits */

struct person {
	int64_t id;
	int64_t client_id;
	const char *client_code;
	char pseudonym[PERSON_PSEUDONYM_LEN + 1];
	const char *name; /* NULL: none, erased or shredded */
	const char *email;
	const char *phone;
	const char *company;
	int64_t version;
	ls_time created_at, updated_at;
	ls_time erased_at; /* 0: not erased */
	bool shredded;     /* the client's key is gone */
};
