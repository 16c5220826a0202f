/* A set of ticket keys an importer has finished, to report a key seen again instead
 * of emitting a second ticket. Room: importers. Open addressing over FNV-1a; keys
 * are copied into the set's arena. One thread. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

struct keyset {
	char **slot;
	size_t cap, n;
	struct arena arena;
};

void keyset_init(struct keyset *ks);
void keyset_release(struct keyset *ks);
/* Adds s; returns false when it was already there. */
bool keyset_add(struct keyset *ks, const char *s);
bool keyset_has(const struct keyset *ks, const char *s);
