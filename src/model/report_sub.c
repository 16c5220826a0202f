/* Names of report run states (see report_sub.h). Room: model. */
#include "model/report_sub.h"

#include <string.h>

static const char *const run_states[_REPORT_RUN_STATE_MAX] = {
        [REPORT_RUN_QUEUED] = "queued", [REPORT_RUN_SENDING] = "sending", [REPORT_RUN_DELIVERED] = "delivered",
        [REPORT_RUN_STORED] = "stored", [REPORT_RUN_FAILED] = "failed",
};

const char *report_run_state_to_string(enum report_run_state s)
{
	return (unsigned)s < _REPORT_RUN_STATE_MAX ? run_states[s] : NULL;
}

enum report_run_state report_run_state_from_string(const char *s)
{
	for (int i = 0; s && i < _REPORT_RUN_STATE_MAX; i++)
		if (strcmp(run_states[i], s) == 0)
			return (enum report_run_state)i;
	return _REPORT_RUN_STATE_INVALID;
}
