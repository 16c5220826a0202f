/* Escalation level instants (see escalation.h). Room: sla.
 * Invariant of a schedule: out[] never decreases over the levels that fall due, and a
 * level falls due only if every level before it did; together with the policy's
 * rule that thresholds never decrease, "the next level" is always well defined. */
#include "sla/escalation.h"

int64_t escalation_threshold(const struct policy_level *l, int64_t target_seconds)
{
	if (l->trigger == POLICY_TRIGGER_AFTER_BREACH)
		return target_seconds + l->offset;
	/* round up: a warning or escalation never comes before its share is used */
	return (target_seconds * (int64_t)l->percent + 99) / 100;
}

size_t escalation_levels(const struct policy *p, enum policy_metric m, int priority, uint8_t *out)
{
	size_t n = 0;
	if (!p || (int)m < 0 || m >= _POLICY_METRIC_MAX)
		return 0;
	for (size_t i = 0; i < p->n_levels[m] && i < LS_MAX_SLA_LEVELS; i++) {
		uint32_t mask = p->levels[m][i].priorities;
		if (!mask || (priority >= 1 && priority <= POLICY_PRIORITIES && (mask & (1u << priority))))
			out[n++] = (uint8_t)i;
	}
	return n;
}

int escalation_schedule(const struct escalation_input *in, size_t n, ls_time stop, const struct calendar *cal,
                        enum policy_time time, ls_time *out, bool *climbed, struct lserr *e)
{
	ls_time prev = 0;
	for (size_t i = 0; i < n; i++) {
		ls_time cand = in[i].reached, climb = 0;
		if (climbed)
			climbed[i] = false;
		if (i > 0 && prev && in[i - 1].level->ack_within) {
			ls_time deadline;
			int64_t r = in[i - 1].level->ack_within;
			if (time == POLICY_TIME_BUSINESS) {
				int rc = calendar_add(cal, prev, r, &deadline, e);
				if (rc < 0)
					return rc;
			} else {
				deadline = prev + r;
			}
			if (!in[i - 1].acked || in[i - 1].acked > deadline)
				climb = deadline;
		}
		if (i > 0 && !prev)
			cand = 0; /* a level never falls due before the one below it */
		if (climb && (!cand || climb < cand)) {
			cand = climb;
			if (climbed)
				climbed[i] = true;
		}
		if (cand && cand < prev)
			cand = prev;
		if (cand && stop && cand >= stop)
			cand = 0;
		out[i] = cand;
		prev = cand;
	}
	return 0;
}
