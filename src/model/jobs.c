/* Names of the background jobs' states (see jobs.h). Room: model. */
#include "model/jobs.h"

#include <stddef.h>
#include <string.h>

static const char *const delivery_names[] = {"pending", "delivered", "failed"};

const char *delivery_state_to_string(enum delivery_state s)
{
	return (int)s >= 0 && s < _DELIVERY_STATE_MAX ? delivery_names[s] : NULL;
}

enum delivery_state delivery_state_from_string(const char *s)
{
	for (int i = 0; s && i < _DELIVERY_STATE_MAX; i++)
		if (strcmp(delivery_names[i], s) == 0)
			return (enum delivery_state)i;
	return _DELIVERY_STATE_INVALID;
}
