/* leitstand serve. Room: cli.
 * SIGINT and SIGTERM are blocked before any thread starts, so only the main
 * thread receives them in sigwait(); shutdown then drains in-flight requests.
 * SIGPIPE is ignored: a client that hangs up is the server's everyday life. */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/persons.h"
#include "store/keyring.h"
#include "core/log.h"
#include "core/parse.h"
#include "calendar/holidays.h"
#include "jobs/auditlog.h"
#include "jobs/importer.h"
#include "jobs/outbox.h"
#include "jobs/reports.h"
#include "jobs/retention.h"
#include "jobs/timers.h"
#include "report/chart.h"
#include "server/http.h"
#include "service/tickets.h"

static const char help[] =
        "Usage: leitstand serve [--db PATH] [--listen ADDR:PORT] [--threads N] [--log-level LEVEL]\n"
        "                       [--webhook-retry-base SECONDS] [--smtp-url URL --smtp-from ADDRESS]\n"
        "                       [--smtp-user USER] [--report-retry-base SECONDS] [--hsts]\n\n"
        "Run the HTTP API, the SLA timer (warnings, breaches and escalations fire within a\n"
        "second of falling due), the webhook outbox and the import worker (uploads wait in\n"
        "<db>-uploads/ until they are imported) and the report worker (scheduled reports,\n"
        "docs/reports.md). Stops cleanly on SIGINT or SIGTERM.\n\n"
        "  --db PATH          database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
        "  --key-file FILE    master key for personal data at rest (default $LEITSTAND_MASTER_KEY,\n"
        "                     then $LEITSTAND_KEY_FILE, then DB.key beside the database)\n"
        "  --listen ADDR:PORT address to listen on (default 127.0.0.1:8080; port 0 picks a free port,\n"
        "                     printed on the first line of output)\n"
        "  --threads N        worker threads (default: one per core)\n"
        "  --log-level LEVEL  error, warn, info (default) or debug\n"
        "  --webhook-retry-base SECONDS\n"
        "                     wait before the first retry of a failed webhook delivery; later\n"
        "                     retries double it, at most an hour apart, for 24 hours (default 30)\n"
        "  --smtp-url URL     mail server for scheduled reports: smtp://host:port (STARTTLS when\n"
        "                     offered, required with --smtp-user) or smtps://host:port; without\n"
        "                     it reports are stored for download, not mailed\n"
        "  --smtp-from ADDRESS sender address of report mails (required with --smtp-url)\n"
        "  --smtp-user USER   SMTP login; the password is read from $LEITSTAND_SMTP_PASSWORD\n"
        "  --report-retry-base SECONDS\n"
        "                     wait before the first retry of a report mail the server did not\n"
        "                     accept; doubled per retry like webhooks, for 24 hours (default 30)\n"
        "  --hsts             send Strict-Transport-Security (one year) with every answer: only\n"
        "                     when clients reach the server through TLS (a reverse proxy that\n"
        "                     terminates it); leitstand itself speaks plain HTTP\n"
        "  --retention-at HH:MM\n"
        "                     apply the retention rules every day at this time, UTC (default 02:30),\n"
        "                     and at start when the last run is older than a day; off: never\n"
        "  --help             show this help\n";

struct jobs {
	struct timers *timers;
	struct outbox *outbox;
};

static void kick_outbox(void *ctx)
{
	outbox_kick(ctx);
}

/* A committed ticket change: its SLA may have new deadlines, and it may have put
 * events into the outbox. */
static void ticket_changed(void *ctx, int64_t ticket_id)
{
	struct jobs *j = ctx;
	timers_touch(j->timers, ticket_id);
	outbox_kick(j->outbox);
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},
	        {"listen", required_argument, NULL, 'l'},
	        {"threads", required_argument, NULL, 't'},
	        {"log-level", required_argument, NULL, 'L'},
	        {"webhook-retry-base", required_argument, NULL, 'R'},
	        {"smtp-url", required_argument, NULL, 'S'},
	        {"smtp-from", required_argument, NULL, 'F'},
	        {"smtp-user", required_argument, NULL, 'U'},
	        {"report-retry-base", required_argument, NULL, 'B'},
	        {"hsts", no_argument, NULL, 'H'},
	        {"retention-at", required_argument, NULL, 'A'},
	        {"key-file", required_argument, NULL, 'K'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	const char *db = NULL, *listen = "127.0.0.1:8080";
	const char *smtp_url = NULL, *smtp_from = NULL, *smtp_user = NULL;
	int threads = 0, retry_base = 30, report_retry_base = 30, c;
	bool hsts = false;
	int retention_at = 2 * 60 + 30; /* minutes after midnight UTC; -1: off */
	enum log_level lvl = LOG_INFO;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'l': listen = optarg; break;
		case 't':
			if (parse_int(optarg, 1, 256, &threads) < 0)
				return cli_usage("serve", "--threads must be 1 to 256");
			break;
		case 'L':
			if (log_level_from_string(optarg, &lvl) < 0)
				return cli_usage("serve", "--log-level must be error, warn, info or debug");
			break;
		case 'R':
			if (parse_int(optarg, 1, 3600, &retry_base) < 0)
				return cli_usage("serve", "--webhook-retry-base must be 1 to 3600 seconds");
			break;
		case 'S':
			if (strncmp(optarg, "smtp://", 7) != 0 && strncmp(optarg, "smtps://", 8) != 0)
				return cli_usage("serve", "--smtp-url must be smtp://host:port or smtps://host:port");
			smtp_url = optarg;
			break;
		case 'F':
			if (!strchr(optarg, '@') || strpbrk(optarg, " \t\r\n<>,"))
				return cli_usage("serve", "--smtp-from must be an email address");
			smtp_from = optarg;
			break;
		case 'U': smtp_user = optarg; break;
		case 'B':
			if (parse_int(optarg, 1, 3600, &report_retry_base) < 0)
				return cli_usage("serve", "--report-retry-base must be 1 to 3600 seconds");
			break;
		case 'H': hsts = true; break;
		case 'A': {
			int hh, mm;
			char h2[3] = {0};
			if (strcmp(optarg, "off") == 0) {
				retention_at = -1;
				break;
			}
			if (strlen(optarg) == 5 && optarg[2] == ':')
				memcpy(h2, optarg, 2);
			if (!h2[0] || parse_int(h2, 0, 23, &hh) < 0 || parse_int(optarg + 3, 0, 59, &mm) < 0)
				return cli_usage("serve", "--retention-at must be HH:MM (UTC) or off");
			retention_at = hh * 60 + mm;
			break;
		}
		case 'K': keyring_set_key_file(optarg); break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("serve", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("serve", "unexpected argument '%s'", argv[optind]);
	if (smtp_url && !smtp_from)
		return cli_usage("serve", "--smtp-url needs --smtp-from ADDRESS");
	if ((smtp_from || smtp_user) && !smtp_url)
		return cli_usage("serve", "--smtp-from and --smtp-user need --smtp-url");
	log_set_level(lvl);
	char host[128];
	uint16_t port;
	if (parse_listen(listen, host, sizeof(host), &port) < 0)
		return cli_usage("serve", "--listen must be ADDR:PORT, e.g. 127.0.0.1:8080 (got '%s')", listen);

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* a bad LEITSTAND_HOLIDAYS_FILE stops the start, not the first calendar request */
	struct lserr he = {0};
	if (holidays_init(&he) < 0)
		return cli_fail("serve", &he);

	/* requesters written before persons existed move into encrypted person
	 * records; a missing or wrong master key stops the start, not a request */
	{
		struct cli_ctx pc;
		int64_t moved = 0;
		int pr = cli_ctx_open(&pc, "serve", cli_db_path(db), 0);
		if (pr)
			return pr;
		if (persons_backfill(&pc.svc, &moved) < 0 || persons_check_keys(&pc.svc) < 0) {
			pr = cli_fail("serve", &pc.err);
			cli_ctx_close(&pc);
			return pr;
		}
		if (moved)
			log_msg(LOG_INFO, "moved %lld ticket requesters into person records", (long long)moved);
		cli_ctx_close(&pc);
	}

	struct server_config cfg = {
	        .db_path = cli_db_path(db), .host = host, .port = port, .threads = (unsigned)threads, .hsts = hsts};
	struct server *srv;
	struct lserr e = {0};
	uint16_t bound;
	if (server_start(&cfg, &srv, &bound, &e) < 0)
		return cli_fail("serve", &e);
	struct outbox *ob = NULL;
	struct timers *tm = NULL;
	struct import_worker *iw = NULL;
	struct audit_flusher *af = NULL;
	struct report_worker *rw = NULL;
	struct report_worker_config rc = {.db_path = cfg.db_path,
	                                  .smtp_url = smtp_url,
	                                  .smtp_from = smtp_from,
	                                  .smtp_user = smtp_user,
	                                  .smtp_password = smtp_user ? getenv("LEITSTAND_SMTP_PASSWORD") : NULL,
	                                  .retry_base = report_retry_base};
	struct outbox_config oc = {.db_path = cfg.db_path, .retry_base = retry_base};
	struct timers_config tc = {.db_path = cfg.db_path, .on_fired = kick_outbox};
	if (outbox_start(&oc, &ob, &e) < 0 || (tc.ctx = ob, timers_start(&tc, &tm, &e)) < 0 ||
	    import_worker_start(cfg.db_path, &iw, &e) < 0 || report_worker_start(&rc, &rw, &e) < 0 ||
	    audit_flusher_start(cfg.db_path, &af, &e) < 0) {
		report_worker_stop(rw);
		import_worker_stop(iw);
		timers_stop(tm);
		outbox_stop(ob);
		server_stop(srv);
		return cli_fail("serve", &e);
	}
	struct retention_job *rj = NULL;
	if (retention_at >= 0 && retention_job_start(cfg.db_path, retention_at, &rj, &e) < 0) {
		audit_flusher_stop(af);
		report_worker_stop(rw);
		import_worker_stop(iw);
		timers_stop(tm);
		outbox_stop(ob);
		server_stop(srv);
		return cli_fail("serve", &e);
	}
	struct jobs jobs = {.timers = tm, .outbox = ob};
	tickets_set_change_hook(ticket_changed, &jobs);
	printf("listening on http://%s%s%s:%u\n", strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "",
	       bound);
	fflush(stdout);
	log_info("serving %s on %s:%u", cfg.db_path, host, bound);
	int sig = 0;
	sigwait(&set, &sig);
	log_info("received %s, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	server_stop(srv);
	tickets_set_change_hook(NULL, NULL);
	import_worker_stop(iw);
	report_worker_stop(rw);
	retention_job_stop(rj);
	timers_stop(tm);
	outbox_stop(ob);
	audit_flusher_stop(af);
	chart_shutdown();
	log_info("stopped");
	return 0;
}
