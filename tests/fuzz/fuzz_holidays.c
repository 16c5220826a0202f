/* Fuzz target for the holiday rule-file parser (calendar/holidays).
 *
 * holidays_check_text() validates a rule file without putting it in force.
 * Properties: it never crashes or leaks; a refusal carries a message and names
 * the field "holidays_file"; checking the same text twice gives the same answer. */
#include <stdlib.h>
#include <string.h>

#include "calendar/holidays.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);
	struct lserr e1 = {0}, e2 = {0};
	int r1 = holidays_check_text("fuzz.txt", s, size, &e1);
	int r2 = holidays_check_text("fuzz.txt", s, size, &e2);
	if (r1 != r2)
		fuzz_fail(data, size, "checking twice gave %d and %d", r1, r2);
	if (r1 < 0 && (!e1.message[0] || strcmp(e1.field, "holidays_file") != 0))
		fuzz_fail(data, size, "refusal without message or with field '%s'", e1.field);
	free(s);
	return 0;
}
