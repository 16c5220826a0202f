/* Workforce use cases (see workforce.h). Room: service. */
#include "service/workforce.h"

#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "wfm/shifts_cbc.h"

int workforce_staffing(struct svc *s, const struct staffing_input *rows, size_t n, struct staffing_result *out)
{
	if (n == 0)
		return lserr_set(s->err, -EINVAL, "missing_field", "intervals", "no interval to staff");
	size_t failed = 0;
	int r = n == 1 && rows[0].channel == STAFFING_VOICE ? staffing_voice(rows, out, s->err)
	                                                    : staffing_plan(rows, n, out, &failed, s->err);
	if (r < 0 && s->err) {
		if (!s->err->code || r == -ERANGE || r == -E2BIG)
			s->err->code = "invalid_field";
		if (n > 1) {
			/* prefix the interval; a message at the size limit loses its tail */
			char msg[sizeof(s->err->message)];
			memcpy(msg, s->err->message, sizeof(msg));
			int k = snprintf(s->err->message, sizeof(s->err->message), "interval %zu: ", failed + 1);
			if (k > 0 && (size_t)k < sizeof(s->err->message))
				snprintf(s->err->message + k, sizeof(s->err->message) - (size_t)k, "%.*s",
				         (int)(sizeof(s->err->message) - (size_t)k - 1), msg);
		}
	}
	return r;
}

int workforce_shift_plan(struct svc *s, struct shiftplan *p, bool greedy, struct shiftplan_result *ret)
{
	int r = shiftplan_run(p, greedy ? NULL : shifts_cbc_solver(), ret, s->err);
	if (r < 0 && s->err && !s->err->code)
		s->err->code = "invalid_field";
	return r;
}
