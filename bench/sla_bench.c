/* SLA engine throughput on one core: evaluates the SLA state of N tickets (default
 * 1,000,000) from their events, as a service or the timer thread would after loading
 * a ticket's history: a new clock per ticket, every event applied, the state as of one
 * instant computed (targets, warnings, escalation levels) and the next deadline asked
 * for. The events are generated beforehand with a fixed seed (so the timed loop runs
 * the engine only): created in 2025 at random instants, P1..P4, first reply, customer
 * turns and answers, pauses in pending_customer, priority changes, resolutions,
 * reopens and closes; 10 % of the tickets are still open. Each ticket is evaluated as
 * of a random instant up to 8 hours after its last event (when a timer or the next
 * event would look at it), so open tickets have running targets and deadlines. The
 * policy is an office
 * calendar (Europe/Berlin, Mon-Fri 08:00-17:00, DE-NW, compiled for 1995-2099) with
 * first response, next update and resolution targets for P1..P4, warnings at 75 and
 * 90 % and three escalation levels on resolution.
 * Usage: sla_bench [TICKETS]
 * Build type matters: run the release build (meson setup build-rel --buildtype=release). */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/parse.h"
#include "core/rng.h"
#include "core/timeutil.h"
#include "sla/clock.h"

static const char policy_json[] =
        "{\"name\":\"bench\",\"calendar\":{\"tz\":\"Europe/Berlin\",\"hours\":\"mon-fri "
        "08:00-17:00\",\"holidays\":\"DE-NW\"},"
        "\"pause_states\":[\"pending_customer\"],\"warnings\":[\"75%\",\"90%\"],"
        "\"targets\":{\"P1\":{\"first_response\":\"30m\",\"next_update\":\"1h\",\"resolution\":\"4h\"},"
        "\"P2\":{\"first_response\":\"1h\",\"next_update\":\"4h\",\"resolution\":\"8h\"},"
        "\"P3\":{\"first_response\":\"4h\",\"next_update\":\"8h\",\"resolution\":\"24h\"},"
        "\"P4\":{\"first_response\":\"8h\",\"next_update\":\"16h\",\"resolution\":{\"within\":\"240h\",\"time\":"
        "\"calendar\"}}},"
        "\"escalations\":{\"resolution\":[{\"at\":\"75%\",\"owner\":\"team_lead\",\"ack_within\":\"30m\"},"
        "{\"at\":\"100%\",\"action\":\"reassign\",\"owner\":\"L2\"},{\"after_breach\":\"1h\",\"owner\":\"service_"
        "manager\"}]}}";

#define MAX_EVENTS 24

static double seconds_since(uint64_t t0)
{
	return (double)(time_mono_ns() - t0) / 1e9;
}

static size_t gen_ticket(struct rng *g, const struct policy *p, struct clock_event *ev)
{
	size_t n = 0;
	ls_time t = 1735689600 + (ls_time)rng_below(g, 360 * 86400); /* 2025 */
	int prio = 1 + (int)rng_below(g, 4);
	ev[n++] = (struct clock_event){.at = t, .kind = CLOCK_EV_CREATED, .priority = prio, .policy = p};
#define AT(max) (t += (ls_time)rng_below(g, (max)))
#define REPLY(who, pub)                                                                                                \
	(ev[n++] = (struct clock_event){.at = t, .kind = CLOCK_EV_REPLY, .author = (who), .is_public = (pub)})
	AT(6 * 3600);
	REPLY(AUTHOR_KIND_AGENT, true);
	for (unsigned turns = (unsigned)rng_below(g, 3); turns; turns--) {
		AT(24 * 3600);
		REPLY(AUTHOR_KIND_CUSTOMER, true);
		if (rng_below(g, 3) == 0) {
			AT(3600);
			REPLY(AUTHOR_KIND_AGENT, false);
		}
		if (rng_below(g, 8) == 0)
			break; /* unanswered */
		AT(8 * 3600);
		REPLY(AUTHOR_KIND_AGENT, true);
	}
	if (rng_below(g, 10) < 3) {
		AT(8 * 3600);
		ev[n++] = (struct clock_event){.at = t, .kind = CLOCK_EV_STATE, .state = TICKET_STATE_PENDING_CUSTOMER};
		AT(48 * 3600);
		ev[n++] = (struct clock_event){.at = t, .kind = CLOCK_EV_STATE, .state = TICKET_STATE_IN_PROGRESS};
	}
	if (rng_below(g, 10) == 0) {
		AT(4 * 3600);
		ev[n++] = (struct clock_event){.at = t, .kind = CLOCK_EV_PRIORITY, .priority = 1 + (prio % 4)};
	}
	if (rng_below(g, 10) == 0)
		return n; /* still open */
	AT(48 * 3600);
	ev[n++] = (struct clock_event){.at = t, .kind = CLOCK_EV_RESOLVED};
	if (rng_below(g, 20) == 0) {
		AT(72 * 3600);
		ev[n++] = (struct clock_event){.at = t, .kind = CLOCK_EV_REOPENED};
		AT(24 * 3600);
		ev[n++] = (struct clock_event){.at = t, .kind = CLOCK_EV_RESOLVED};
	}
	if (rng_below(g, 10) < 8) {
		t += 4 * 86400;
		ev[n++] = (struct clock_event){.at = t, .kind = CLOCK_EV_CLOSED};
	}
#undef AT
#undef REPLY
	return n;
}

int main(int argc, char **argv)
{
	int64_t nt = 1000000;
	if (argc > 1 && parse_i64(argv[1], 1, 100000000, &nt) < 0) {
		fprintf(stderr, "usage: sla_bench [TICKETS]\n");
		return 2;
	}
	struct arena pa = ARENA_INIT;
	struct policy *p;
	struct calendar *cal;
	struct lserr e;
	uint64_t t0 = time_mono_ns();
	if (policy_parse(policy_json, sizeof(policy_json) - 1, &pa, &p, &e) < 0 ||
	    policy_compile_calendar(p, 0, 0, &cal, &e) < 0) {
		fprintf(stderr, "sla_bench: %s\n", e.message);
		return 1;
	}
	p->cal = cal;
	double setup_s = seconds_since(t0);

	size_t n = (size_t)nt;
	size_t *first = xcalloc(n + 1, sizeof(*first));
	ls_time *at = xcalloc(n, sizeof(*at));
	struct clock_event *ev = xcalloc(n * MAX_EVENTS / 2 + MAX_EVENTS, sizeof(*ev));
	size_t cap = n * MAX_EVENTS / 2 + MAX_EVENTS, total = 0;
	struct rng g;
	rng_seed(&g, 4711);
	for (size_t i = 0; i < n; i++) {
		if (total + MAX_EVENTS > cap) {
			cap *= 2;
			ev = xrealloc(ev, cap * sizeof(*ev));
		}
		first[i] = total;
		total += gen_ticket(&g, p, ev + total);
		at[i] = ev[total - 1].at + (ls_time)rng_below(&g, 8 * 3600);
	}
	first[n] = total;

	for (int pass = 0; pass < 2; pass++) {
		unsigned flags = pass ? CLOCK_LEDGER : 0;
		size_t states[_CLOCK_STATE_MAX] = {0}, deadlines = 0, targets = 0, segments = 0, failed = 0;
		struct arena a = ARENA_INIT;
		a.block_size = 64 * 1024;
		size_t m = pass ? (n < 200000 ? n : 200000) : n; /* the ledger pass on a sample */
		t0 = time_mono_ns();
		for (size_t i = 0; i < m; i++) {
			struct clock_result *r;
			arena_reset(&a);
			if (clock_eval(ev + first[i], first[i + 1] - first[i], at[i], flags, &a, &r, &e) < 0) {
				failed++;
				continue;
			}
			targets += r->n_targets;
			segments += r->n_ledger;
			for (size_t k = 0; k < r->n_targets; k++)
				states[r->targets[k].state]++;
			struct clock_deadline d;
			deadlines += clock_next_deadline(r, &d) == 0;
		}
		double s = seconds_since(t0);
		arena_release(&a);
		size_t events = first[m];
		if (!pass)
			printf("sla_bench: %zu tickets, %zu events (%.1f per ticket), one core; policy + calendar "
			       "1995-2099 in %.1f ms\n",
			       m, events, (double)events / (double)m, setup_s * 1e3);
		printf("%-22s %8.3f s  %8.0f tickets/s  %6.2f us/ticket  %6.2f M events/s%s\n",
		       pass ? "state + ledger:" : "state:", s, (double)m / s, s * 1e6 / (double)m,
		       (double)events / s / 1e6, failed ? "  (some tickets failed!)" : "");
		if (!pass)
			printf("  %zu targets: %zu met, %zu breached, %zu running, %zu paused, %zu superseded, %zu "
			       "cancelled; %zu tickets with a next deadline\n",
			       targets, states[CLOCK_MET], states[CLOCK_BREACHED], states[CLOCK_RUNNING],
			       states[CLOCK_PAUSED], states[CLOCK_SUPERSEDED], states[CLOCK_CANCELLED], deadlines);
		else
			printf("  %zu ledger segments (%.1f per ticket)\n", segments, (double)segments / (double)m);
		if (failed) {
			fprintf(stderr, "sla_bench: %s\n", e.message);
			return 1;
		}
	}
	xfree(ev);
	xfree(first);
	xfree(at);
	calendar_free(cal);
	arena_release(&pa);
	return 0;
}
