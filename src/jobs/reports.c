/* The report worker thread (see reports.h). Room: jobs.
 * Each pass: queue the runs of due subscriptions, then work through due runs
 * oldest first: produce (queued), then mail (sending). The outcome of every attempt
 * is written to the run before the next one starts, so the log always shows the
 * last attempt, and nothing is dropped: a run leaves queued/sending only as
 * delivered, stored or failed. */
#include "jobs/reports.h"

#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "core/timeutil.h"
#include "jobs/mail.h"
#include "jobs/webhook.h"
#include "service/report_subs.h"
#include "service/svc.h"
#include "store/reportdb.h"
#include "store/store.h"

#define WORKER_BATCH        8
#define WORKER_IDLE_SECONDS 60 /* look at the tables at least this often */

struct report_worker {
	char *db_path;
	char *smtp_url, *smtp_from, *smtp_user, *smtp_password;
	int64_t retry_base;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	bool stop, kicked;
};

static struct report_worker *current;

struct report_worker *report_worker_current(void)
{
	return __atomic_load_n(&current, __ATOMIC_ACQUIRE);
}

static const char *kind_name(const char *kind, bool de)
{
	if (strcmp(kind, "weekly") == 0)
		return de ? "Wochenbericht" : "weekly report";
	if (strcmp(kind, "monthly") == 0)
		return de ? "Monatsbericht" : "monthly report";
	return de ? "Quartalsbericht" : "quarterly report";
}

/* Builds the mail of a produced report into out. */
static int compose(struct arena *a, const struct report_worker *w, const struct report_sub *sub,
                   const struct report_run *run, const struct report_file *file, const char *const *to, size_t n_to,
                   struct strbuf *out)
{
	bool de = strcmp(sub->lang, "de") == 0;
	const char *kn = kind_name(sub->kind, de);
	const char *text =
	        de ? arena_printf(a,
	                          "Guten Tag,\n\nim Anhang finden Sie den %s für %s, Zeitraum %s (%s).\n\n"
	                          "Der Bericht ist auch über die Leitstand-API abrufbar: GET /api/v1/reports/%lld\n\n"
	                          "Diese Nachricht wurde automatisch versandt (Berichtsabonnement %lld).\n",
	                          kn, sub->client_code, run->period, sub->timezone, (long long)file->id,
	                          (long long)sub->id)
	           : arena_printf(
	                     a,
	                     "Hello,\n\nattached is the %s for %s, period %s (%s).\n\n"
	                     "The report can also be downloaded from the Leitstand API: GET /api/v1/reports/%lld\n\n"
	                     "This message was sent automatically (report subscription %lld).\n",
	                     kn, sub->client_code, run->period, sub->timezone, (long long)file->id, (long long)sub->id);
	unsigned char rnd[12];
	char hex[25], bnd[25];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(bnd, sizeof(bnd), rnd, sizeof(rnd));
	const char *at = strchr(w->smtp_from, '@');
	struct mail_message m = {
	        .from = w->smtp_from,
	        .to = to,
	        .n_to = n_to,
	        .subject = arena_printf(a, "%s – %s %s", sub->client_code, kn, run->period),
	        .text = text,
	        .attachment_name = file->filename,
	        .attachment_type = file->content_type,
	        .attachment = file->bytes,
	        .attachment_len = file->size,
	        .date = time_now(),
	        .message_id = arena_printf(a, "report-%lld-%s@%s", (long long)run->id, hex, at ? at + 1 : "leitstand"),
	        .boundary = arena_printf(a, "=_leitstand_%s", bnd),
	};
	return mail_write(&m, out);
}

static void deliver(struct report_worker *w, struct svc *s, struct report_run *run, const struct report_sub *sub,
                    const struct report_file *file)
{
	const char **to = NULL;
	size_t n_to = 0, cap = 0;
	char *list = arena_strdup(s->arena, run->recipients ? run->recipients : sub->recipients);
	for (char *p = list, *sp; p && *p; p = sp ? sp + 1 : NULL) {
		sp = strchr(p, ' ');
		if (sp)
			*sp = 0;
		if (*p)
			ARENA_PUSH(s->arena, to, n_to, cap) = p;
	}
	struct strbuf msg = STRBUF_INIT_MAX(LS_STRBUF_DEFAULT_MAX);
	char err[MAIL_ERROR_MAX] = "";
	int r = compose(s->arena, w, sub, run, file, to, n_to, &msg);
	if (r < 0) {
		snprintf(err, sizeof(err), "cannot write the message: %s", err_str(r));
	} else {
		struct mail_server srv = {.url = w->smtp_url, .user = w->smtp_user, .password = w->smtp_password};
		r = mail_send(&srv, w->smtp_from, to, n_to, msg.buf, msg.len, err);
	}
	strbuf_release(&msg);
	ls_time now = time_now();
	run->attempts++;
	run->last_attempt_at = now;
	if (!run->first_attempt_at)
		run->first_attempt_at = now;
	if (r == 0) {
		run->state = REPORT_RUN_DELIVERED;
		run->delivered_at = now;
		run->next_attempt_at = 0;
		run->last_error = NULL;
		log_info("report run %lld: %s %s mailed to %zu recipient(s)", (long long)run->id, sub->client_code,
		         run->period, n_to);
	} else {
		run->last_error = arena_strdup(s->arena, err);
		run->next_attempt_at = webhook_next_attempt(run->first_attempt_at, now, (unsigned)run->attempts,
		                                            w->retry_base, (uint64_t)run->id);
		if (!run->next_attempt_at)
			run->state = REPORT_RUN_FAILED;
		else
			run->next_attempt_at++; /* whole seconds: wait at least the full backoff */
		log_warn("report run %lld: mail failed (attempt %lld)%s: %s", (long long)run->id,
		         (long long)run->attempts, run->state == REPORT_RUN_FAILED ? ", given up" : "", err);
	}
	if (report_subs_record(s, run) < 0)
		log_error("report run %lld: recording the attempt failed: %s", (long long)run->id, s->err->message);
}

static void process(struct report_worker *w, struct svc *s, struct report_run *run)
{
	struct report_sub sub;
	struct report_file file;
	bool mail = w->smtp_url != NULL;
	if (run->state == REPORT_RUN_QUEUED) {
		if (report_subs_produce(s, run, mail, &sub, &file) < 0) {
			log_error("report run %lld: %s", (long long)run->id, s->err->message);
			return;
		}
		if (!mail) {
			log_info("report run %lld: %s %s stored as report %lld, not mailed (no --smtp-url)",
			         (long long)run->id, sub.client_code, run->period, (long long)file.id);
			return;
		}
	} else {
		int r = reportdb_sub_get(s->st, s->arena, run->subscription_id, &sub);
		if (r == 0)
			r = reportdb_file_get(s->st, s->arena, run->report_id, &file);
		if (r < 0) {
			run->state = REPORT_RUN_FAILED;
			run->next_attempt_at = 0;
			run->last_error =
			        r == -ENOENT ? "subscription or report no longer exists" : "cannot load the report";
			report_subs_record(s, run);
			return;
		}
		if (!mail) {
			/* sending runs from a start with a mail server; this one has none */
			run->state = REPORT_RUN_STORED;
			run->next_attempt_at = 0;
			report_subs_record(s, run);
			return;
		}
	}
	deliver(w, s, run, &sub, &file);
}

/* Whether one of the runs just processed is still due exactly as it was: recording
 * its outcome failed (a busy or full disk), so taking it again at once would only
 * produce or send the same report in a loop. */
static bool unrecorded(struct store *st, struct arena *a, ls_time now, const struct report_run *done, size_t n)
{
	struct report_run *v;
	size_t m;
	if (!n || reportdb_runs_due(st, a, now, WORKER_BATCH, &v, &m) < 0)
		return false;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++)
			if (v[i].id == done[j].id && v[i].state == done[j].state && v[i].attempts == done[j].attempts)
				return true;
	return false;
}

static bool stopping(struct report_worker *w)
{
	pthread_mutex_lock(&w->mu);
	bool stop = w->stop;
	pthread_mutex_unlock(&w->mu);
	return stop;
}

static void *thread_main(void *arg)
{
	struct report_worker *w = arg;
	struct store *st;
	struct lserr e;
	if (store_open(w->db_path, 0, &st, &e) < 0) {
		log_error("report worker: cannot open the database: %s", e.message);
		return NULL;
	}
	struct arena a;
	arena_init(&a);
	struct svc s = {.st = st, .arena = &a, .actor = &actor_system, .now = time_now(), .err = &e};
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		w->kicked = false;
		pthread_mutex_unlock(&w->mu);
		arena_reset(&a);
		lserr_clear(&e);
		s.now = time_now();
		size_t queued = 0, n = 0;
		if (report_subs_queue_due(&s, WORKER_BATCH, &queued) < 0)
			log_error("report worker: %s", e.message);
		struct report_run *v = NULL;
		if (reportdb_runs_due(st, &a, s.now, WORKER_BATCH, &v, &n) < 0)
			log_error("report worker: reading due runs failed");
		/* process() changes its copy of a run: keep what was due for the comparison */
		struct report_run *before = n ? arena_alloc(&a, n * sizeof(*before)) : NULL;
		if (n)
			memcpy(before, v, n * sizeof(*before));
		for (size_t i = 0; i < n && !stopping(w); i++) {
			s.now = time_now();
			lserr_clear(&e);
			process(w, &s, &v[i]);
		}
		bool stuck = unrecorded(st, &a, time_now(), before, n);
		ls_time next_sub = 0, next_run = 0;
		int rs = reportdb_next_sub_run(st, &next_sub), rr = reportdb_next_run_attempt(st, &next_run);
		pthread_mutex_lock(&w->mu);
		if (w->stop || w->kicked || ((n == WORKER_BATCH || queued == WORKER_BATCH) && !stuck))
			continue;
		ls_time now = time_now();
		ls_time until = now + (stuck ? (w->retry_base > 0 ? w->retry_base : 30) : WORKER_IDLE_SECONDS);
		if (rs == 0 && next_sub < until && !stuck)
			until = next_sub;
		if (rr == 0 && next_run < until && !stuck)
			until = next_run;
		if (until <= now)
			continue;
		struct timespec ts = {.tv_sec = (time_t)until, .tv_nsec = 0};
		while (!w->stop && !w->kicked && time_now() < until)
			if (pthread_cond_timedwait(&w->cond, &w->mu, &ts) != 0)
				break;
	}
	pthread_mutex_unlock(&w->mu);
	arena_release(&a);
	store_close(st);
	return NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

int report_worker_start(const struct report_worker_config *cfg, struct report_worker **ret, struct lserr *e)
{
	if (cfg->smtp_url && !cfg->smtp_from)
		return lserr_set(e, -EINVAL, "invalid_parameter", "smtp-from", "--smtp-url needs --smtp-from");
	if (sodium_init() < 0)
		return lserr_set(e, -EIO, "internal", NULL, "libsodium cannot start");
	struct report_worker *w = xcalloc(1, sizeof(*w));
	w->db_path = xstrdup(cfg->db_path);
	w->smtp_url = dup_or_null(cfg->smtp_url);
	w->smtp_from = dup_or_null(cfg->smtp_from);
	w->smtp_user = dup_or_null(cfg->smtp_user);
	w->smtp_password = dup_or_null(cfg->smtp_password);
	w->retry_base = cfg->retry_base;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cond, NULL);
	int r = pthread_create(&w->thread, NULL, thread_main, w);
	if (r != 0) {
		w->thread = 0;
		report_worker_stop(w);
		return lserr_set(e, -r, "internal", NULL, "cannot start the report worker");
	}
	__atomic_store_n(&current, w, __ATOMIC_RELEASE);
	*ret = w;
	return 0;
}

struct report_worker *report_worker_stop(struct report_worker *w)
{
	if (!w)
		return NULL;
	__atomic_store_n(&current, NULL, __ATOMIC_RELEASE);
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->mu);
	if (w->thread)
		pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cond);
	xfree(w->db_path);
	xfree(w->smtp_url);
	xfree(w->smtp_from);
	xfree(w->smtp_user);
	if (w->smtp_password)
		sodium_memzero(w->smtp_password, strlen(w->smtp_password));
	xfree(w->smtp_password);
	xfree(w);
	return NULL;
}

void report_worker_kick(struct report_worker *w)
{
	pthread_mutex_lock(&w->mu);
	w->kicked = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->mu);
}
