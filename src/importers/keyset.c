/* Key sets of importers (see keyset.h). Room: importers. */
#include "importers/keyset.h"

#include <stdint.h>
#include <string.h>

#include "core/alloc.h"

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

void keyset_init(struct keyset *ks)
{
	*ks = (struct keyset){0};
	arena_init(&ks->arena);
}

void keyset_release(struct keyset *ks)
{
	xfree(ks->slot);
	arena_release(&ks->arena);
	ks->slot = NULL;
	ks->cap = ks->n = 0;
}

bool keyset_add(struct keyset *ks, const char *s)
{
	if (2 * (ks->n + 1) > ks->cap) {
		size_t ncap = ks->cap ? ks->cap * 2 : 1024;
		char **nslot = xcalloc(ncap, sizeof(*nslot));
		for (size_t i = 0; i < ks->cap; i++)
			if (ks->slot[i]) {
				size_t j = hash_str(ks->slot[i]) & (ncap - 1);
				while (nslot[j])
					j = (j + 1) & (ncap - 1);
				nslot[j] = ks->slot[i];
			}
		xfree(ks->slot);
		ks->slot = nslot;
		ks->cap = ncap;
	}
	size_t j = hash_str(s) & (ks->cap - 1);
	while (ks->slot[j]) {
		if (strcmp(ks->slot[j], s) == 0)
			return false;
		j = (j + 1) & (ks->cap - 1);
	}
	ks->slot[j] = arena_strdup(&ks->arena, s);
	ks->n++;
	return true;
}

bool keyset_has(const struct keyset *ks, const char *s)
{
	if (!ks->cap)
		return false;
	size_t j = hash_str(s) & (ks->cap - 1);
	while (ks->slot[j]) {
		if (strcmp(ks->slot[j], s) == 0)
			return true;
		j = (j + 1) & (ks->cap - 1);
	}
	return false;
}
