/* Webhook delivery (see webhook.h). Room: jobs.
 *
 * Texts are built field by field from the event with every interpolated value
 * clipped to its own bound on a UTF-8 boundary and control characters turned into
 * spaces, so a line stays one line and below WEBHOOK_TEXT_MAX whatever the event
 * holds; a final clip guards the sum. The signature is libsodium's HMAC-SHA256 fed
 * in parts, so the "<ts>.<body>" message is never copied. webhook_post() uses one
 * libcurl easy handle per call: the outbox sends one request at a time and a fresh
 * handle keeps calls independent. The response is read only as far as the log
 * keeps it; the transfer is cut off there on purpose, which is not an error. */
#include "jobs/webhook.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/timeutil.h"

#ifndef LEITSTAND_VERSION
#define LEITSTAND_VERSION "0.1.0" /* keep in step with project() in meson.build */
#endif

/* Bounds of the values a text interpolates (bytes). */
#define CLIP_TITLE 200
#define CLIP_NAME  120 /* owner, assignee */
#define CLIP_CODE  64  /* ticket number, client, team, event name */
#define CLIP_WORD  40  /* priority, target, state, action, a raw instant */
#define HEADER_MAX 256 /* longest X-Leitstand-Event or X-Leitstand-Delivery value */

static const char *const format_names[] = {"json", "slack", "teams"};

const char *webhook_format_to_string(enum webhook_format f)
{
	return (int)f >= 0 && f < _WEBHOOK_FORMAT_MAX ? format_names[f] : NULL;
}

enum webhook_format webhook_format_from_string(const char *s)
{
	for (int i = 0; s && i < _WEBHOOK_FORMAT_MAX; i++)
		if (strcmp(format_names[i], s) == 0)
			return (enum webhook_format)i;
	return _WEBHOOK_FORMAT_INVALID;
}

/* --- text --- */

/* Length of the longest prefix of s[0..n) that does not split a UTF-8 sequence. */
static size_t utf8_prefix(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* Appends s clipped to max bytes ("…" marks a cut), control characters as spaces.
 * s comes from jansson and is therefore valid UTF-8. */
static void put(struct strbuf *sb, const char *s, size_t max)
{
	size_t n = strlen(s);
	bool cut = n > max;
	if (cut)
		n = utf8_prefix(s, max);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		strbuf_addch(sb, c < 0x20 || c == 0x7f ? ' ' : (char)c);
	}
	if (cut)
		strbuf_adds(sb, "…");
}

/* A non-empty string member of o, or NULL. */
static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? s : NULL;
}

struct text {
	struct strbuf *sb;
	bool de;
	const json_t *ev, *ticket, *sla;
};

/* "INC0000001 (P1, ACME)": the parts present. */
static void subject(const struct text *t)
{
	const char *number = str(t->ticket, "number"), *prio = str(t->ticket, "priority"),
	           *client = str(t->ev, "client");
	put(t->sb, number ? number : t->de ? "ein Ticket" : "a ticket", CLIP_CODE);
	if (!prio && !client)
		return;
	strbuf_adds(t->sb, " (");
	if (prio)
		put(t->sb, prio, CLIP_WORD);
	if (prio && client)
		strbuf_adds(t->sb, ", ");
	if (client)
		put(t->sb, client, CLIP_CODE);
	strbuf_addch(t->sb, ')');
}

/* " — Printer on fire" when the ticket has a title. */
static void title(const struct text *t)
{
	const char *s = str(t->ticket, "title");
	if (!s)
		return;
	strbuf_adds(t->sb, " — ");
	put(t->sb, s, CLIP_TITLE);
}

/* An RFC 3339 instant as "2026-11-27 14:00 UTC"; anything else as it is. */
static void instant(const struct text *t, const char *s)
{
	ls_time at;
	if (time_parse_rfc3339(s, &at) < 0) {
		put(t->sb, s, CLIP_WORD);
		return;
	}
	int64_t days = at >= 0 ? at / 86400 : -((-at + 86399) / 86400);
	int64_t sec = at - days * 86400, y;
	unsigned m, d;
	time_civil_from_days(days, &y, &m, &d);
	strbuf_addf(t->sb, "%04lld-%02u-%02u %02lld:%02lld UTC", (long long)y, m, d, (long long)(sec / 3600),
	            (long long)(sec / 60 % 60));
}

static const struct {
	const char *name, *en, *de;
} targets[] = {
        {"first_response", "first response", "Reaktionszeit"},
        {"next_update", "next update", "Rückmeldezeit"},
        {"resolution", "resolution", "Lösungszeit"},
};

/* en: "resolution target" (after "its"); de: "Lösungszeit" (after "die"/"der"). */
static void target(const struct text *t)
{
	const char *s = str(t->sla, "target");
	for (size_t i = 0; s && i < sizeof(targets) / sizeof(targets[0]); i++)
		if (strcmp(s, targets[i].name) == 0) {
			strbuf_adds(t->sb, t->de ? targets[i].de : targets[i].en);
			if (!t->de)
				strbuf_adds(t->sb, " target");
			return;
		}
	if (t->de) {
		strbuf_adds(t->sb, "Zielzeit");
		if (s) {
			strbuf_addch(t->sb, ' ');
			put(t->sb, s, CLIP_WORD);
		}
	} else {
		if (s) {
			put(t->sb, s, CLIP_WORD);
			strbuf_addch(t->sb, ' ');
		}
		strbuf_adds(t->sb, "target");
	}
}

static const struct {
	const char *name, *en, *de;
} states[] = {
        {"new", "new", "neu"},
        {"assigned", "assigned", "zugewiesen"},
        {"in_progress", "in progress", "in Bearbeitung"},
        {"pending_customer", "pending customer", "wartet auf Kunde"},
        {"pending_vendor", "pending vendor", "wartet auf Lieferant"},
        {"resolved", "resolved", "gelöst"},
        {"closed", "closed", "geschlossen"},
};

static void state(const struct text *t, const char *s)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(s, states[i].name) == 0) {
			strbuf_adds(t->sb, t->de ? states[i].de : states[i].en);
			return;
		}
	put(t->sb, s, CLIP_WORD);
}

static void number(const struct text *t, const json_t *v)
{
	if (json_is_integer(v))
		strbuf_addf(t->sb, "%lld", (long long)json_integer_value(v));
	else
		strbuf_addf(t->sb, "%g", json_real_value(v));
}

static void sla_warning(const struct text *t)
{
	const json_t *percent = json_object_get(t->sla, "percent");
	const char *due = str(t->sla, "due");
	strbuf_adds(t->sb, t->de ? "SLA-Warnung: " : "SLA warning: ");
	subject(t);
	if (json_is_number(percent)) {
		strbuf_adds(t->sb, t->de ? " hat " : " has used ");
		number(t, percent);
		strbuf_adds(t->sb, t->de ? " % der " : " % of its ");
	} else {
		strbuf_adds(t->sb, t->de ? " nähert sich dem Ende der " : " is close to its ");
	}
	target(t);
	if (t->de && json_is_number(percent))
		strbuf_adds(t->sb, " verbraucht");
	if (due) {
		strbuf_adds(t->sb, t->de ? ", fällig " : ", due ");
		instant(t, due);
	}
	title(t);
}

static void sla_breach(const struct text *t)
{
	const char *due = str(t->sla, "due");
	strbuf_adds(t->sb, t->de ? "SLA verletzt: " : "SLA breach: ");
	subject(t);
	strbuf_adds(t->sb, t->de ? " hat die " : " missed its ");
	target(t);
	if (due) {
		strbuf_adds(t->sb, t->de ? " (fällig " : " due ");
		instant(t, due);
		if (t->de)
			strbuf_addch(t->sb, ')');
	}
	if (t->de)
		strbuf_adds(t->sb, " überschritten");
	title(t);
}

/* "notify team_lead", "reassign to L2" / "team_lead benachrichtigen", "an L2 übergeben". */
static void action(const struct text *t)
{
	const char *act = str(t->sla, "action"), *owner = str(t->sla, "owner");
	if (!act && !owner)
		return;
	bool notify = act && strcmp(act, "notify") == 0, reassign = act && strcmp(act, "reassign") == 0;
	strbuf_adds(t->sb, ": ");
	if (t->de && (notify || reassign)) {
		if (owner) {
			strbuf_adds(t->sb, reassign ? "an " : "");
			put(t->sb, owner, CLIP_NAME);
			strbuf_addch(t->sb, ' ');
		}
		strbuf_adds(t->sb, reassign ? "übergeben" : "benachrichtigen");
		return;
	}
	if (act)
		put(t->sb, act, CLIP_WORD);
	if (act && owner)
		strbuf_adds(t->sb, reassign ? " to " : " ");
	if (owner)
		put(t->sb, owner, CLIP_NAME);
}

static void sla_escalation(const struct text *t)
{
	const json_t *level = json_object_get(t->sla, "level");
	strbuf_adds(t->sb, t->de ? "Eskalationsstufe" : "Escalation level");
	if (json_is_integer(level)) {
		strbuf_addch(t->sb, ' ');
		number(t, level);
	}
	strbuf_adds(t->sb, t->de ? " für " : " for ");
	subject(t);
	strbuf_adds(t->sb, ", ");
	target(t);
	action(t);
}

static void ticket_created(const struct text *t)
{
	strbuf_adds(t->sb, t->de ? "Neues Ticket " : "New ticket ");
	subject(t);
	title(t);
}

static void ticket_state(const struct text *t)
{
	const char *to = str(t->ticket, "state"), *from = str(t->ev, "from");
	subject(t);
	if (!to) {
		strbuf_adds(t->sb, t->de ? " hat den Status gewechselt" : " changed state");
	} else {
		strbuf_adds(t->sb, t->de ? " ist jetzt " : " is now ");
		state(t, to);
	}
	if (from) {
		strbuf_adds(t->sb, t->de ? " (vorher " : " (was ");
		state(t, from);
		strbuf_addch(t->sb, ')');
	}
	title(t);
}

static void ticket_reply(const struct text *t)
{
	strbuf_adds(t->sb, t->de ? "Neue Antwort zu " : "New reply on ");
	subject(t);
	title(t);
}

static void ticket_assigned(const struct text *t)
{
	const char *who = str(t->ticket, "assignee"), *team = str(t->ticket, "team");
	subject(t);
	if (who) {
		strbuf_adds(t->sb, t->de ? " zugewiesen an " : " assigned to ");
		put(t->sb, who, CLIP_NAME);
		if (team) {
			strbuf_adds(t->sb, t->de ? " (Team " : " (team ");
			put(t->sb, team, CLIP_CODE);
			strbuf_addch(t->sb, ')');
		}
	} else if (team) {
		strbuf_adds(t->sb, t->de ? " dem Team " : " assigned to team ");
		put(t->sb, team, CLIP_CODE);
		if (t->de)
			strbuf_adds(t->sb, " zugewiesen");
	} else {
		strbuf_adds(t->sb, t->de ? " ist niemandem zugewiesen" : " is unassigned");
	}
	title(t);
}

static void ticket_priority(const struct text *t)
{
	const char *from = str(t->ev, "from");
	strbuf_adds(t->sb, t->de ? "Priorität geändert: " : "Priority changed: ");
	subject(t);
	if (from) {
		strbuf_adds(t->sb, t->de ? ", vorher " : ", was ");
		put(t->sb, from, CLIP_WORD);
	}
	title(t);
}

static void generic(const struct text *t)
{
	const char *name = str(t->ev, "event");
	strbuf_adds(t->sb, t->de ? "Leitstand-Ereignis" : "Leitstand event");
	if (name) {
		strbuf_addch(t->sb, ' ');
		put(t->sb, name, CLIP_CODE);
	}
	if (json_is_object(t->ticket)) {
		strbuf_adds(t->sb, t->de ? " zu " : " for ");
		subject(t);
		title(t);
	}
}

static const struct {
	const char *event;
	void (*write)(const struct text *t);
} writers[] = {
        {"sla.warning", sla_warning},         {"sla.breach", sla_breach},           {"sla.escalation", sla_escalation},
        {"ticket.created", ticket_created},   {"ticket.state", ticket_state},       {"ticket.reply", ticket_reply},
        {"ticket.assigned", ticket_assigned}, {"ticket.priority", ticket_priority},
};

int webhook_text(const json_t *event, const char *lang, struct strbuf *out)
{
	if (!json_is_object(event))
		return -EINVAL;
	/* The clips above keep a line far below this bound; it only makes the sum certain. */
	struct strbuf sb = STRBUF_INIT_MAX(4 * WEBHOOK_TEXT_MAX);
	struct text t = {
	        .sb = &sb,
	        .de = lang && strcmp(lang, "de") == 0,
	        .ev = event,
	        .ticket = json_object_get(event, "ticket"),
	        .sla = json_object_get(event, "sla"),
	};
	const char *name = str(event, "event");
	void (*fn)(const struct text *) = generic;
	for (size_t i = 0; name && i < sizeof(writers) / sizeof(writers[0]); i++)
		if (strcmp(name, writers[i].event) == 0)
			fn = writers[i].write;
	fn(&t);
	size_t n = sb.len;
	if (!strbuf_ok(&sb) || n > WEBHOOK_TEXT_MAX)
		n = utf8_prefix(sb.buf, n < WEBHOOK_TEXT_MAX ? n : WEBHOOK_TEXT_MAX);
	int r = strbuf_add(out, sb.buf, n);
	strbuf_release(&sb);
	return r;
}

/* --- body --- */

static int dump_to_strbuf(const char *buffer, size_t size, void *data)
{
	return strbuf_add(data, buffer, size) < 0 ? -1 : 0;
}

int webhook_body(enum webhook_format f, const json_t *event, const char *lang, struct strbuf *out, struct lserr *e)
{
	if ((int)f < 0 || f >= _WEBHOOK_FORMAT_MAX)
		return lserr_set(e, -EINVAL, "invalid_field", "format",
		                 "webhook format %d is unknown; use json, slack or teams", (int)f);
	if (!json_is_object(event))
		return lserr_set(e, -EINVAL, "invalid_field", "event", "a webhook event must be a JSON object");
	struct strbuf text = STRBUF_INIT_MAX(WEBHOOK_TEXT_MAX);
	int r = webhook_text(event, lang, &text);
	if (r < 0) {
		strbuf_release(&text);
		return lserr_set(e, r, "internal", "event", "the text of the webhook event cannot be made");
	}
	json_t *o = f == WEBHOOK_JSON ? json_deep_copy(event) : json_object();
	/* json_string refuses nothing here: the text is valid UTF-8 by construction */
	if (!o || json_object_set_new(o, "text", json_string(text.buf)) < 0) {
		json_decref(o);
		strbuf_release(&text);
		return lserr_set(e, -ENOMEM, "internal", "event", "the webhook body cannot be built");
	}
	strbuf_release(&text);
	size_t len0 = out->len;
	r = json_dump_callback(o, dump_to_strbuf, out, JSON_COMPACT);
	json_decref(o);
	if (r < 0) {
		out->len = len0;
		out->buf[len0] = '\0';
		return lserr_set(e, -LS_ETOOLARGE, "internal", "event", "the webhook body exceeds %zu bytes", out->max);
	}
	return 0;
}

/* --- signature --- */

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;

static void sodium_setup(void)
{
	/* HMAC-SHA256 works without it; the call is what libsodium asks for first. */
	(void)!sodium_init();
}

/* HMAC-SHA256 keyed with key over a followed by b (either may be empty). */
static void hmac_sha256(const void *key, size_t keylen, const void *a, size_t alen, const void *b, size_t blen,
                        unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
	crypto_auth_hmacsha256_state st;
	pthread_once(&sodium_once, sodium_setup);
	crypto_auth_hmacsha256_init(&st, key, keylen);
	if (alen)
		crypto_auth_hmacsha256_update(&st, a, alen);
	if (blen)
		crypto_auth_hmacsha256_update(&st, b, blen);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof(st));
}

void webhook_sign(const char *secret, int64_t ts, const char *body, size_t len, char out[72])
{
	char head[32];
	int n = snprintf(head, sizeof(head), "%lld.", (long long)ts);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	if (!secret)
		secret = "";
	hmac_sha256(secret, strlen(secret), head, (size_t)n, body, body ? len : 0, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, 72 - 7, mac, sizeof(mac));
}

/* --- retries --- */

/* splitmix64's finaliser: neighbouring ids get unrelated jitter. */
static uint64_t mix(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

int64_t webhook_next_attempt(int64_t first_at, int64_t last_attempt_at, unsigned attempts, int64_t base, uint64_t seed)
{
	if (base <= 0)
		base = WEBHOOK_RETRY_BASE;
	if (attempts == 0)
		attempts = 1;
	if (first_at == 0)
		first_at = last_attempt_at;
	/* also keeps the sums below from overflowing on absurd instants */
	if (last_attempt_at > INT64_MAX - 2 * WEBHOOK_RETRY_CAP || first_at < INT64_MIN / 2 ||
	    last_attempt_at - first_at > WEBHOOK_RETRY_WINDOW)
		return 0;
	int64_t wait = base < WEBHOOK_RETRY_CAP ? base : WEBHOOK_RETRY_CAP;
	for (unsigned i = 1; i < attempts && wait < WEBHOOK_RETRY_CAP; i++)
		wait *= 2;
	if (wait > WEBHOOK_RETRY_CAP)
		wait = WEBHOOK_RETRY_CAP;
	/* jitter from the seed alone: per mille 0..100 of the wait */
	int64_t jitter = wait * (int64_t)(mix(seed) % 101) / 1000;
	return last_attempt_at + wait + jitter;
}

/* --- URL --- */

static int bad_url(struct lserr *e)
{
	return lserr_set(
	        e, -EINVAL, "invalid_field", "url",
	        "url must be http:// or https:// followed by a host, e.g. https://hooks.example.com/leitstand");
}

static bool host_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
	       c == '_' || c == '~' || c == '%' || c >= 0x80;
}

int webhook_url_check(const char *url, struct lserr *e)
{
	if (!url || !*url)
		return lserr_set(e, -EINVAL, "missing_field", "url", "url must be given");
	size_t n = strlen(url);
	if (n > WEBHOOK_URL_MAX)
		return lserr_set(e, -EINVAL, "invalid_field", "url", "url is longer than %d bytes", WEBHOOK_URL_MAX);
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return lserr_set(e, -EINVAL, "invalid_field", "url",
			                 "url must not contain spaces or control characters");
	const char *p;
	if (strncasecmp(url, "https://", 8) == 0)
		p = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else
		return bad_url(e);
	size_t auth_len = strcspn(p, "/?#");
	const char *end = p + auth_len;
	/* user:password@ is allowed; the host follows the last '@' of the authority */
	for (const char *q = p; q < end; q++)
		if (*q == '@')
			p = q + 1;
	const char *port = NULL;
	if (*p == '[') {
		const char *q = p + 1;
		while (q < end && (strchr("0123456789abcdefABCDEF:.", *q)))
			q++;
		if (q == p + 1 || q >= end || *q != ']')
			return bad_url(e);
		q++;
		if (q < end && *q != ':')
			return bad_url(e);
		port = q < end ? q + 1 : NULL;
	} else {
		const char *q = p;
		while (q < end && host_char((unsigned char)*q))
			q++;
		if (q == p || (q < end && *q != ':'))
			return bad_url(e);
		port = q < end ? q + 1 : NULL;
	}
	if (port) {
		long v = 0;
		const char *q = port;
		while (q < end && *q >= '0' && *q <= '9' && v <= 65535)
			v = v * 10 + (*q++ - '0');
		if (q == port || q != end || v < 1 || v > 65535)
			return lserr_set(e, -EINVAL, "invalid_field", "url",
			                 "url: the port must be a number from 1 to 65535");
	}
	return 0;
}

/* --- POST --- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_setup(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct capture {
	char buf[WEBHOOK_RESPONSE_MAX];
	size_t len;
	bool full; /* stopped reading on purpose */
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct capture *c = arg;
	size_t n = size * nmemb, room = sizeof(c->buf) - 1 - c->len;
	if (n > room) {
		memcpy(c->buf + c->len, data, room);
		c->len += room;
		c->full = true;
		return 0; /* makes libcurl stop with CURLE_WRITE_ERROR */
	}
	memcpy(c->buf + c->len, data, n);
	c->len += n;
	return n;
}

/* Copies in[0..n) to out (at least n + 1 bytes) as valid UTF-8 without NULs: a byte
 * that starts no valid sequence becomes '?', a sequence cut off at the end is dropped. */
static void utf8_clean(const char *in, size_t n, char *out)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len = c < 0x80                 ? 1
		             : c >= 0xc2 && c <= 0xdf ? 2
		             : c >= 0xe0 && c <= 0xef ? 3
		             : c >= 0xf0 && c <= 0xf4 ? 4
		                                      : 0;
		bool ok = len > 0;
		if (len > 1 && i + len > n) {
			bool prefix = true;
			for (size_t k = 1; i + k < n; k++)
				prefix = prefix && (s[i + k] & 0xc0) == 0x80;
			if (prefix)
				break;
			ok = false;
		}
		for (size_t k = 1; ok && k < len; k++)
			ok = (s[i + k] & 0xc0) == 0x80;
		if (ok && len == 3) {
			unsigned cp = (c & 0x0fu) << 12 | (s[i + 1] & 0x3fu) << 6;
			ok = cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff);
		}
		if (ok && len == 4) {
			unsigned cp = (c & 0x07u) << 18 | (s[i + 1] & 0x3fu) << 12;
			ok = cp >= 0x10000 && cp <= 0x10ffff;
		}
		if (!ok || c == 0) {
			out[o++] = '?';
			i++;
			continue;
		}
		memcpy(out + o, s + i, len);
		o += len;
		i += len;
	}
	out[o] = '\0';
}

/* Header values come from the database; a CR or LF would forge headers. */
static bool header_value_ok(const char *s)
{
	if (strlen(s) > HEADER_MAX)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static int refuse(struct webhook_result *out, const char *why)
{
	snprintf(out->error, sizeof(out->error), "%s", why);
	return -EINVAL;
}

static bool add_header(struct curl_slist **list, const char *name, const char *value)
{
	char line[HEADER_MAX + 64];
	if (value)
		snprintf(line, sizeof(line), "%s: %s", name, value);
	else
		snprintf(line, sizeof(line), "%s:", name);
	struct curl_slist *l = curl_slist_append(*list, line);
	if (!l)
		return false;
	*list = l;
	return true;
}

int webhook_post(const struct webhook_request *rq, struct webhook_result *out)
{
	memset(out, 0, sizeof(*out));
	uint64_t t0 = time_mono_ns();
	if (webhook_url_check(rq->url, NULL) < 0)
		return refuse(out, "invalid url");
	if ((rq->event && !header_value_ok(rq->event)) || (rq->delivery_id && !header_value_ok(rq->delivery_id)))
		return refuse(out, "invalid event or delivery id for a header");
	if (!rq->body && rq->len)
		return refuse(out, "no body");
	pthread_once(&curl_once, curl_setup);
	if (curl_init_rc != CURLE_OK) {
		snprintf(out->error, sizeof(out->error), "libcurl: %s", curl_easy_strerror(curl_init_rc));
		return -EIO;
	}
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(out->error, sizeof(out->error), "libcurl: no handle");
		return -EIO;
	}
	struct curl_slist *headers = NULL;
	char ts[24], sig[72];
	snprintf(ts, sizeof(ts), "%lld", (long long)rq->ts);
	/* "Expect:" with nothing after it drops libcurl's 100-continue round trip for big bodies */
	bool ok = add_header(&headers, "Content-Type", "application/json") && add_header(&headers, "Expect", NULL) &&
	          add_header(&headers, "X-Leitstand-Timestamp", ts) &&
	          (!rq->event || add_header(&headers, "X-Leitstand-Event", rq->event)) &&
	          (!rq->delivery_id || add_header(&headers, "X-Leitstand-Delivery", rq->delivery_id));
	if (ok && rq->secret && *rq->secret) {
		webhook_sign(rq->secret, rq->ts, rq->body, rq->len, sig);
		ok = add_header(&headers, "X-Leitstand-Signature", sig);
	}
	if (!ok) {
		curl_slist_free_all(headers);
		curl_easy_cleanup(h);
		snprintf(out->error, sizeof(out->error), "libcurl: out of memory");
		return -EIO;
	}
	struct capture cap = {.len = 0};
	char errbuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, rq->url);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body ? rq->body : "");
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->len);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "Leitstand/" LEITSTAND_VERSION);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, rq->timeout_ms > 0 ? rq->timeout_ms : WEBHOOK_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* several threads; timeouts without SIGALRM */
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_PROXY, ""); /* ignore http_proxy and friends */
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &cap);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	CURLcode rc = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	curl_slist_free_all(headers);

	out->status = status;
	out->seconds = (double)(time_mono_ns() - t0) / 1e9;
	utf8_clean(cap.buf, cap.len, out->response);
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && cap.full)) {
		char clean[CURL_ERROR_SIZE];
		const char *msg = errbuf[0] ? errbuf : curl_easy_strerror(rc);
		utf8_clean(msg, strnlen(msg, sizeof(clean) - 1), clean);
		snprintf(out->error, sizeof(out->error), "%s", clean);
		return -EIO;
	}
	if (status < 200 || status > 299) {
		snprintf(out->error, sizeof(out->error), "HTTP %ld", status);
		return -EIO;
	}
	return 0;
}
