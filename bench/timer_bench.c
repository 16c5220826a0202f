/* SLA timer latency with many open tickets (issue 4): the timer of `leitstand serve`
 * must fire every warning and breach within one second of the instant it falls due,
 * however many tickets are open.
 *
 * The harness builds a fresh database in a temporary directory through the store and
 * the services: one client, one SLA policy for P5 (24x7, first response and
 * resolution in calendar time, a warning at 50 %) and N open P5 tickets, created with
 * tickets_create() under an injected clock so that their creation instants are spread
 * evenly over the W seconds before now. With a first-response target of 2 (W + L)
 * seconds, the warnings then fall due over [T + L, T + L + W) and the breaches over
 * [T + W + 2L, T + 2W + 2L), where T is when the tickets were written and L the lead
 * (enough for creating them and for the timer's start-up pass): two waves of N/W
 * deadlines per second each. Resolution (8 h) falls due long after the run, so every
 * ticket stays watched throughout.
 *
 * Then the timer is started on the database with timers_start() as `serve` does; the
 * harness waits for the start-up pass, then until both waves have passed, and reads
 * timers_stats(). Finally it checks the outbox on its own connection: every ticket has
 * exactly one sla.warning and one sla.breach, each due at the expected instant, and
 * nothing else was fired. It prints the figures, one JSON line, and exits 1 when a
 * deadline was 1000 ms late or more, or an event is missing, doubled or mistimed.
 *
 * The harness's own connection writes with synchronous=OFF so that 100,000 tickets are
 * created in seconds; the timer opens its own connection with the store's usual
 * settings (synchronous=FULL), so every firing is durable as in production.
 *
 * Usage: timer_bench [--tickets N] [--window S] [--lead S] [--trace] [--keep]
 * Build type matters: run the release build (meson setup build-rel --buildtype=release). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "jobs/timers.h"
#include "service/directory.h"
#include "service/sla.h"
#include "service/tickets.h"
#include "store/store.h"

#define LATE_LIMIT_MS 1000.0
#define RESOLUTION    "8h"

struct options {
	int64_t tickets;
	int64_t window; /* seconds over which each wave falls due */
	int64_t lead;   /* seconds from writing the tickets to the first deadline; 0: derived from N */
	bool keep;      /* keep the temporary directory */
	bool trace;     /* a progress line every second instead of every ten */
};

struct plan {
	ls_time t0;          /* when the tickets were planned: the creation instants lie before it */
	int64_t first_resp;  /* first-response target, seconds (even, so 50 % is exact) */
	ls_time warn_from;   /* first warning */
	ls_time breach_from; /* first breach */
	ls_time last_due;    /* last breach */
};

struct outcome {
	int64_t warnings, warned_tickets, breaches, breached_tickets, other;
	int64_t warn_misdue, breach_misdue;   /* due_at not creation + 50 % / 100 % of the target */
	int64_t max_written_late_s;           /* outbox created_at - due_at, whole seconds */
	int64_t hist_warnings, hist_breaches; /* ticket history events sla_warning, sla_breach */
};

static void usage(void)
{
	fprintf(stderr, "usage: timer_bench [--tickets N] [--window SECONDS] [--lead SECONDS] [--trace] [--keep]\n");
}

static int parse_args(int argc, char **argv, struct options *o)
{
	*o = (struct options){.tickets = 100000, .window = 60};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int64_t *dst = NULL, min = 1, max = 0;
		if (strcmp(a, "--keep") == 0 || strcmp(a, "--trace") == 0) {
			*(a[2] == 'k' ? &o->keep : &o->trace) = true;
			continue;
		}
		if (strcmp(a, "--tickets") == 0)
			dst = &o->tickets, max = 10000000;
		else if (strcmp(a, "--window") == 0)
			dst = &o->window, max = 3600;
		else if (strcmp(a, "--lead") == 0)
			dst = &o->lead, min = 3, max = 3600;
		if (!dst || i + 1 >= argc || parse_i64(argv[++i], min, max, dst) < 0) {
			usage();
			return -EINVAL;
		}
	}
	if (!o->lead) /* creating a ticket takes about 0.08 ms, the start-up pass 0.02 ms: twice that */
		o->lead = 10 + o->tickets / 5000;
	return 0;
}

static double mono_s(void)
{
	return (double)time_mono_ns() / 1e9;
}

/* Linux's CPU pressure: microseconds during which some runnable task waited for a
 * CPU, machine-wide; -1 where the kernel does not report it. Tells a slow timer from a
 * busy machine. */
static int64_t cpu_pressure_us(void)
{
	FILE *f = fopen("/proc/pressure/cpu", "r");
	if (!f)
		return -1;
	char line[256];
	int64_t v = -1;
	if (fgets(line, sizeof(line), f) && strncmp(line, "some ", 5) == 0) {
		const char *t = strstr(line, "total=");
		char *end;
		if (t) {
			t += 6;
			t += strspn(t, " ");
			line[strcspn(line, "\n")] = '\0';
			long long x = strtoll(t, &end, 10);
			if (end != t && *end == '\0' && x >= 0)
				v = x;
		}
	}
	fclose(f);
	return v;
}

/* CPU seconds of the whole process: the timer thread, as the harness itself sleeps. */
static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int fail(const char *what, const struct lserr *e)
{
	fprintf(stderr, "timer_bench: %s: %s\n", what, e->message);
	return 1;
}

/* The client, the policy and N tickets through the services. */
static int populate(struct store *st, const struct options *o, struct plan *p, double *ret_s)
{
	struct arena a = ARENA_INIT;
	struct lserr e = {0};
	struct svc s = {.st = st, .arena = &a, .actor = &actor_system, .now = time_now(), .err = &e};
	int rc = 1;

	p->t0 = s.now;
	p->first_resp = 2 * (o->window + o->lead);
	p->warn_from = p->t0 - o->window + p->first_resp / 2;
	p->breach_from = p->t0 - o->window + p->first_resp;
	p->last_due = p->breach_from + (ls_time)((o->tickets - 1) * o->window / o->tickets);

	struct client c;
	struct client_input ci = {.code = "BENCH", .name = "Timer bench"};
	/* the policy exists before the first ticket, as in production */
	s.now = p->t0 - o->window - 60;
	if (directory_client_add(&s, &ci, &c) < 0) {
		fail("creating the client", &e);
		goto out;
	}
	const char *def = arena_printf(&a,
	                               "{\"pause_states\":[],\"warnings\":[\"50%%\"],\"targets\":{\"P5\":{"
	                               "\"first_response\":{\"within\":\"%llds\",\"time\":\"calendar\"},"
	                               "\"resolution\":{\"within\":\"%s\",\"time\":\"calendar\"}}}}",
	                               (long long)p->first_resp, RESOLUTION);
	struct sla_input si = {.client = "BENCH", .code = "STD", .name = "Timer bench", .definition = def};
	struct sla_def sd;
	if (sla_policies_create(&s, &si, &sd) < 0) {
		fail("creating the SLA policy", &e);
		goto out;
	}

	double t = mono_s();
	for (int64_t i = 0; i < o->tickets; i++) {
		arena_reset(&a);
		char title[64];
		snprintf(title, sizeof(title), "Timer bench ticket %lld", (long long)i + 1);
		/* impact and urgency 3: P5 with the default matrix */
		struct ticket_input in = {
		        .client = "BENCH", .type = TICKET_TYPE_INCIDENT, .title = title, .channel = -1};
		struct ticket tk;
		s.now = p->t0 - o->window + (ls_time)(i * o->window / o->tickets);
		if (tickets_create(&s, &in, &tk) < 0) {
			fail("creating a ticket", &e);
			goto out;
		}
		if (tk.priority != 5) {
			fprintf(stderr, "timer_bench: ticket %s has priority P%d, not P5\n", tk.number, tk.priority);
			goto out;
		}
	}
	*ret_s = mono_s() - t;
	rc = 0;
out:
	arena_release(&a);
	return rc;
}

/* One number from the database into *ret; ?1, if the query has it, is arg. */
static int query_int(struct store *st, const char *sql, int64_t arg, int64_t *ret)
{
	sqlite3_stmt *q = store_stmt(st, sql);
	if (!q)
		return -1;
	if (sqlite3_bind_parameter_count(q) > 0)
		sqlite3_bind_int64(q, 1, arg);
	int r = sqlite3_step(q) == SQLITE_ROW ? 0 : -1;
	if (r == 0)
		*ret = sqlite3_column_int64(q, 0);
	store_stmt_done(q);
	return r;
}

static const char sql_warnings[] = "SELECT count(*) FROM outbox WHERE event = 'sla.warning'";
static const char sql_warned[] = "SELECT count(DISTINCT ticket_id) FROM outbox WHERE event = 'sla.warning'";
static const char sql_breaches[] = "SELECT count(*) FROM outbox WHERE event = 'sla.breach'";
static const char sql_breached[] = "SELECT count(DISTINCT ticket_id) FROM outbox WHERE event = 'sla.breach'";
static const char sql_other[] =
        "SELECT count(*) FROM outbox WHERE event LIKE 'sla.%' AND event NOT IN ('sla.warning', 'sla.breach')";
static const char sql_warn_misdue[] = "SELECT count(*) FROM outbox o JOIN tickets t ON t.id = o.ticket_id "
                                      "WHERE o.event = 'sla.warning' AND o.due_at <> t.created_at + ?1 / 2";
static const char sql_breach_misdue[] = "SELECT count(*) FROM outbox o JOIN tickets t ON t.id = o.ticket_id "
                                        "WHERE o.event = 'sla.breach' AND o.due_at <> t.created_at + ?1";
static const char sql_written_late[] =
        "SELECT coalesce(max(created_at - due_at), 0) FROM outbox WHERE event LIKE 'sla.%'";
static const char sql_hist_warnings[] = "SELECT count(*) FROM ticket_events WHERE field = 'sla_warning'";
static const char sql_hist_breaches[] = "SELECT count(*) FROM ticket_events WHERE field = 'sla_breach'";

static int check_outbox(struct store *st, const struct plan *p, struct outcome *r)
{
	const struct {
		const char *sql;
		int64_t *dst;
	} q[] = {
	        {sql_warnings, &r->warnings},
	        {sql_warned, &r->warned_tickets},
	        {sql_breaches, &r->breaches},
	        {sql_breached, &r->breached_tickets},
	        {sql_other, &r->other},
	        {sql_warn_misdue, &r->warn_misdue},
	        {sql_breach_misdue, &r->breach_misdue},
	        {sql_written_late, &r->max_written_late_s},
	        {sql_hist_warnings, &r->hist_warnings},
	        {sql_hist_breaches, &r->hist_breaches},
	};
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		if (query_int(st, q[i].sql, p->first_resp, q[i].dst) < 0)
			return -1;
	return 0;
}

static void remove_dir(const char *dir)
{
	static const char *const files[] = {"timer_bench.db", "timer_bench.db-wal", "timer_bench.db-shm"};
	char path[1100];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

int main(int argc, char **argv)
{
	struct options o;
	if (parse_args(argc, argv, &o) < 0)
		return 2;
	log_set_level(LOG_WARN);
	if (store_global_init() < 0) {
		fprintf(stderr, "timer_bench: cannot initialise SQLite\n");
		return 1;
	}
	const char *tmp = getenv("TMPDIR");
	char dir[1024], db[1100];
	snprintf(dir, sizeof(dir), "%s/timer_bench.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "timer_bench: cannot create a temporary directory in %s: %s\n",
		        tmp && *tmp ? tmp : "/tmp", strerror(errno));
		return 1;
	}
	snprintf(db, sizeof(db), "%s/timer_bench.db", dir);

	int rc = 1;
	struct store *st = NULL;
	struct timers *tm = NULL;
	struct lserr e = {0};
	struct plan p;
	double create_s = 0;
	if (store_open(db, STORE_OPEN_CREATE, &st, &e) < 0) {
		fail("opening the database", &e);
		goto out;
	}
	if (sqlite3_exec(store_handle(st), "PRAGMA synchronous=OFF", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "timer_bench: %s\n", sqlite3_errmsg(store_handle(st)));
		goto out;
	}
	printf("timer_bench: %lld open tickets, window %lld s, lead %lld s, database %s\n", (long long)o.tickets,
	       (long long)o.window, (long long)o.lead, db);
	fflush(stdout);
	if (populate(st, &o, &p, &create_s) != 0)
		goto out;
	printf("created %lld tickets in %.1f s (%.0f/s); first response %llds, resolution %s, warning at 50 %%\n",
	       (long long)o.tickets, create_s, (double)o.tickets / create_s, (long long)p.first_resp, RESOLUTION);
	printf("warnings due from +%llds, breaches from +%llds, last at +%llds (after planning)\n",
	       (long long)(p.warn_from - p.t0), (long long)(p.breach_from - p.t0), (long long)(p.last_due - p.t0));
	fflush(stdout);

	struct timers_config tc = {.db_path = db};
	if (timers_start(&tc, &tm, &e) < 0) {
		fail("starting the timer", &e);
		goto out;
	}
	struct timers_stats s;
	for (;;) {
		timers_stats(tm, &s);
		if (s.rebuilt)
			break;
		if (time_now() > p.last_due) {
			fprintf(stderr, "timer_bench: the timer did not finish its start-up pass\n");
			goto out;
		}
		sleep_ms(20);
	}
	ls_time rebuilt_at = time_now();
	double cpu0 = cpu_s(), wall0 = mono_s();
	int64_t psi0 = cpu_pressure_us();
	printf("start-up pass: %lld ms over %zu open tickets, watching %zu; %lld s before the first deadline\n",
	       (long long)s.rebuilt_in_ms, s.rebuilt_tickets, s.watched, (long long)(p.warn_from - rebuilt_at));
	fflush(stdout);
	bool overran = rebuilt_at >= p.warn_from;
	if (overran)
		fprintf(stderr, "timer_bench: the start-up pass ran into the window; raise --lead\n");

	/* wait for both waves, then for the timer to finish the last second's work; every
	 * second, note whether deadlines were late and whether the machine was busy then
	 * (some task waited for a CPU more than half of that second) */
	uint64_t expected = 2 * (uint64_t)o.tickets;
	ls_time second = time_now();
	struct timers_stats sec_prev = s, line_prev = s;
	int64_t psi_prev = psi0;
	unsigned busy_seconds = 0, late_seconds = 0, late_busy_seconds = 0;
	for (;;) {
		sleep_ms(100);
		timers_stats(tm, &s);
		ls_time now = time_now();
		if ((now > p.last_due && s.deadlines >= expected) || now > p.last_due + 60)
			break;
		if (now == second)
			continue;
		second = now;
		int64_t psi = cpu_pressure_us();
		int64_t waited_ms = psi >= 0 && psi_prev >= 0 ? (psi - psi_prev) / 1000 : -1;
		bool late = s.latency_buckets[7] > sec_prev.latency_buckets[7];
		busy_seconds += waited_ms > 500;
		late_seconds += late;
		late_busy_seconds += late && waited_ms > 500;
		sec_prev = s;
		psi_prev = psi;
		if (!o.trace && (now - p.t0) % 10 != 0)
			continue;
		fprintf(stderr,
		        "  +%llds: %llu deadlines (%llu since the last line, %llu of them >= 1 s late), last %.1f ms "
		        "late, max %.1f ms; CPU pressure %lld ms in the last second\n",
		        (long long)(now - p.t0), (unsigned long long)s.deadlines,
		        (unsigned long long)(s.deadlines - line_prev.deadlines),
		        (unsigned long long)(s.latency_buckets[7] - line_prev.latency_buckets[7]), s.latency_last_ms,
		        s.latency_max_ms, (long long)waited_ms);
		line_prev = s;
	}
	timers_stats(tm, &s);
	double cpu = cpu_s() - cpu0, wall = mono_s() - wall0;
	int64_t psi = cpu_pressure_us();
	double pressure = psi >= 0 && psi0 >= 0 ? (double)(psi - psi0) / 1e6 / wall * 100 : -1;
	tm = timers_stop(tm);

	struct outcome r;
	if (check_outbox(st, &p, &r) < 0) {
		fprintf(stderr, "timer_bench: reading the outbox: %s\n", sqlite3_errmsg(store_handle(st)));
		goto out;
	}
	int64_t n = o.tickets;
	int64_t missing = (n - r.warned_tickets) + (n - r.breached_tickets);
	int64_t doubled = (r.warnings - r.warned_tickets) + (r.breaches - r.breached_tickets) + r.other;
	double mean = s.deadlines ? s.latency_sum_ms / (double)s.deadlines : 0;
	bool late = s.latency_max_ms > LATE_LIMIT_MS || s.latency_buckets[7] > 0;
	bool ok = !late && !overran && missing == 0 && doubled == 0 && r.warn_misdue == 0 && r.breach_misdue == 0 &&
	          s.deadlines == expected && s.fired == expected && s.errors == 0;

	static const char *const labels[] = {"<1", "<5", "<10", "<50", "<100", "<500", "<1000", ">=1000"};
	printf("deadlines reached: %llu of %llu; events fired: %llu; errors: %llu; watched at the end: %zu\n",
	       (unsigned long long)s.deadlines, (unsigned long long)expected, (unsigned long long)s.fired,
	       (unsigned long long)s.errors, s.watched);
	printf("lateness: max %.1f ms, mean %.1f ms, last %.1f ms\n", s.latency_max_ms, mean, s.latency_last_ms);
	printf("histogram (ms):");
	for (size_t i = 0; i < 8; i++)
		printf(" %s: %llu%s", labels[i], (unsigned long long)s.latency_buckets[i], i < 7 ? "," : "\n");
	printf("outbox: %lld sla.warning (%lld tickets), %lld sla.breach (%lld tickets), %lld other SLA events; "
	       "%lld missing, %lld doubled, %lld due at the wrong instant; written at most %lld s after due\n",
	       (long long)r.warnings, (long long)r.warned_tickets, (long long)r.breaches, (long long)r.breached_tickets,
	       (long long)r.other, (long long)missing, (long long)doubled, (long long)(r.warn_misdue + r.breach_misdue),
	       (long long)r.max_written_late_s);
	printf("history: %lld sla_warning, %lld sla_breach events\n", (long long)r.hist_warnings,
	       (long long)r.hist_breaches);
	printf("CPU after the start-up pass: %.1f s in %.0f s, %.3f ms per deadline; some task waited for a CPU "
	       "%.0f %% of that time (-1: unknown)\n",
	       cpu, wall, s.deadlines ? cpu * 1e3 / (double)s.deadlines : 0, pressure);
	printf("seconds with a deadline >= 1 s late: %u, of them busy: %u; busy seconds (a task waited for a CPU "
	       "more than half of the second): %u\n",
	       late_seconds, late_busy_seconds, busy_seconds);
	printf("{\"bench\":\"timer\",\"tickets\":%lld,\"window_s\":%lld,\"lead_s\":%lld,\"create_s\":%.2f,"
	       "\"startup_ms\":%lld,\"startup_tickets\":%zu,\"watched\":%zu,\"deadlines\":%llu,"
	       "\"expected\":%llu,\"fired\":%llu,\"errors\":%llu,\"late_max_ms\":%.2f,\"late_mean_ms\":%.2f,"
	       "\"cpu_ms_per_deadline\":%.3f,\"cpu_pressure_pct\":%.1f,\"busy_seconds\":%u,\"late_seconds\":%u,"
	       "\"late_busy_seconds\":%u,\"histogram_ms\":{",
	       (long long)o.tickets, (long long)o.window, (long long)o.lead, create_s, (long long)s.rebuilt_in_ms,
	       s.rebuilt_tickets, s.watched, (unsigned long long)s.deadlines, (unsigned long long)expected,
	       (unsigned long long)s.fired, (unsigned long long)s.errors, s.latency_max_ms, mean,
	       s.deadlines ? cpu * 1e3 / (double)s.deadlines : 0, pressure, busy_seconds, late_seconds,
	       late_busy_seconds);
	for (size_t i = 0; i < 8; i++)
		printf("\"%s\":%llu%s", labels[i], (unsigned long long)s.latency_buckets[i], i < 7 ? "," : "},");
	printf("\"outbox_warnings\":%lld,\"outbox_breaches\":%lld,\"missing\":%lld,\"doubled\":%lld,\"ok\":%s}\n",
	       (long long)r.warnings, (long long)r.breaches, (long long)missing, (long long)doubled,
	       ok ? "true" : "false");
	if (!ok)
		fprintf(stderr, "timer_bench: FAILED%s%s%s%s%s\n", late ? " (a deadline was 1000 ms late or more)" : "",
		        missing || doubled ? " (events missing or doubled)" : "",
		        r.warn_misdue || r.breach_misdue ? " (events due at the wrong instant)" : "",
		        overran ? " (start-up pass ran into the window)" : "",
		        s.deadlines != expected || s.fired != expected || s.errors
		                ? " (deadline, event or error count off)"
		                : "");
	rc = ok ? 0 : 1;
out:
	timers_stop(tm);
	store_close(st);
	if (o.keep)
		fprintf(stderr, "timer_bench: kept %s\n", dir);
	else
		remove_dir(dir);
	return rc;
}
