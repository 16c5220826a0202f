/* Fuzz target for the SLA input parsers (sla/policy, sla/replay): policy JSON
 * and replay event lines. The first byte chooses the parser.
 * Properties: no crash, leak or undefined behaviour; a refusal carries a message
 * and names a field; an accepted policy's calendar either compiles for one year or
 * fails with a message. */
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/arena.h"
#include "fuzz.h"
#include "sla/policy.h"
#include "sla/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct arena a = ARENA_INIT;
	struct lserr e = {0};
	const char *text = (const char *)data + 1;
	size_t n = size - 1;
	if (data[0] & 1) {
		struct policy *p = NULL;
		int r = policy_parse(text, n, &a, &p, &e);
		if (r < 0 && !e.message[0])
			fuzz_fail(data, size, "policy refused without a message");
		if (r == 0) {
			struct calendar *cal = NULL;
			struct lserr ce = {0};
			int cr = policy_compile_calendar(p, 2025, 2025, &cal, &ce);
			if (cr < 0 && cr != -ENOENT && !ce.message[0])
				fuzz_fail(data, size, "calendar refused without a message");
			calendar_free(cal);
		}
	} else {
		struct replay_event ev;
		int r = replay_parse_event(text, n, &a, &ev, &e);
		if (r < 0 && !e.message[0])
			fuzz_fail(data, size, "event refused without a message");
	}
	arena_release(&a);
	return 0;
}
