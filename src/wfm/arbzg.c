/* Working-time rules of a single shift (see arbzg.h). Room: wfm.
 * Everything is integer seconds, so a limit is met or missed exactly: 6 h of work
 * need no break, 6 h and one second need 30 minutes. */
#include "wfm/arbzg.h"

int32_t arbzg_break_required(int32_t work)
{
	if (work > 9 * 3600)
		return 45 * 60;
	if (work > 6 * 3600)
		return 30 * 60;
	return 0;
}

void arbzg_figures(int32_t length, const struct arbzg_pause *p, size_t n, struct arbzg_figures *ret)
{
	int32_t breaks = 0, stretch = 0, run_from = 0;
	for (size_t i = 0; i < n; i++) {
		int32_t len = p[i].end - p[i].start;
		if (len < ARBZG_BREAK_PART_MIN)
			continue;
		breaks += len;
		if (p[i].start - run_from > stretch)
			stretch = p[i].start - run_from;
		run_from = p[i].end;
	}
	if (length - run_from > stretch)
		stretch = length - run_from;
	ret->breaks = breaks;
	ret->work = length - breaks;
	ret->required = arbzg_break_required(ret->work);
	/* a run of work is its span minus the short pauses inside it; counting them as
	 * work keeps the figure conservative */
	ret->stretch = stretch;
}

bool arbzg_breaks_ok(const struct arbzg_figures *f)
{
	return f->breaks >= f->required;
}

bool arbzg_stretch_ok(const struct arbzg_figures *f)
{
	return f->stretch <= ARBZG_STRETCH_MAX;
}
