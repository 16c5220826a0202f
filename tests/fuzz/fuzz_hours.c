/* Fuzz target for the opening-hours parser (calendar/hours).
 *
 * Properties:
 *  - hours_parse() either fails with an error naming the field "hours", or gives
 *    frames that are sorted, disjoint, not touching, within 0..1440 minutes;
 *  - the canonical text of an accepted schedule parses again to the same frames
 *    (format and parse round-trip). */
#include <stdlib.h>
#include <string.h>

#include "calendar/hours.h"
#include "fuzz.h"

static void check_frames(const uint8_t *data, size_t size, const struct hours *h)
{
	for (unsigned d = 0; d < 7; d++) {
		if (h->first[d] > h->first[d + 1] || h->first[d + 1] > HOURS_MAX_FRAMES)
			fuzz_fail(data, size, "day %u has a bad frame range", d);
		for (unsigned i = h->first[d]; i < h->first[d + 1]; i++) {
			const struct hours_frame *f = &h->f[i];
			if (f->start >= f->end || f->end > 1440)
				fuzz_fail(data, size, "day %u frame %u is %u-%u", d, i, f->start, f->end);
			if (i > h->first[d] && h->f[i - 1].end >= f->start)
				fuzz_fail(data, size, "day %u frames %u and %u touch or overlap", d, i - 1, i);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);
	struct hours *h = calloc(1, sizeof(*h)), *again = calloc(1, sizeof(*again));
	struct lserr e = {0};
	if (hours_parse(s, h, &e) == 0) {
		check_frames(data, size, h);
		struct strbuf sb = STRBUF_INIT_MAX(1 << 20);
		if (hours_format(h, &sb) < 0)
			fuzz_fail(data, size, "formatting an accepted schedule failed");
		if (sb.len) {
			struct lserr e2 = {0};
			if (hours_parse(sb.buf, again, &e2) != 0)
				fuzz_fail(data, size, "canonical text '%s' does not parse: %s", sb.buf, e2.message);
			if (memcmp(h->first, again->first, sizeof(h->first)) != 0 ||
			    memcmp(h->f, again->f, h->first[7] * sizeof(h->f[0])) != 0)
				fuzz_fail(data, size, "canonical text '%s' parses to other frames", sb.buf);
		}
		strbuf_release(&sb);
	} else if (strcmp(e.field, "hours") != 0) {
		fuzz_fail(data, size, "error names field '%s', not 'hours'", e.field);
	}
	free(again);
	free(h);
	free(s);
	return 0;
}
