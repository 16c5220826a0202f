/* Webhook delivery: the text, body, signature, retry schedule and HTTP POST of one
 * event to one subscription. Room: jobs.
 *
 * The outbox thread (jobs/outbox) calls this for every due delivery; the wire
 * contract is docs/webhooks.md. Everything but webhook_post() is pure and
 * reentrant. webhook_post() blocks for at most the request's timeout and may run in
 * several threads at once (one libcurl handle per call; libcurl is initialised once,
 * at first use). Nothing here logs: outcomes go to the caller in struct
 * webhook_result. */
#pragma once
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/strbuf.h"

enum webhook_format {
	WEBHOOK_JSON,
	WEBHOOK_SLACK,
	WEBHOOK_TEAMS,
	_WEBHOOK_FORMAT_MAX,
	_WEBHOOK_FORMAT_INVALID = -22,
};

/* "json", "slack", "teams"; NULL for anything else. */
const char *webhook_format_to_string(enum webhook_format f);
/* The inverse; _WEBHOOK_FORMAT_INVALID for NULL or an unknown name. */
enum webhook_format webhook_format_from_string(const char *s);

/* Longest subscription URL, and the longest text webhook_text() writes (bytes,
 * without the terminating NUL). */
#define WEBHOOK_URL_MAX  2048
#define WEBHOOK_TEXT_MAX 999
/* Bytes of the response body kept in struct webhook_result (with the NUL). */
#define WEBHOOK_RESPONSE_MAX 512
/* Default whole-request timeout and retry base. */
#define WEBHOOK_TIMEOUT_MS   10000L
#define WEBHOOK_RETRY_BASE   30
#define WEBHOOK_RETRY_CAP    3600        /* longest wait between attempts, before jitter */
#define WEBHOOK_RETRY_WINDOW (24 * 3600) /* no retry once a failure came this long after the first attempt */

/* Appends one line of human text for event (the outbox event object: "event", "client",
 * "ticket", "sla", "from"; any of them may be absent or null) to out. lang "de" gives
 * German; anything else (NULL included) English. The line holds no control characters
 * and at most WEBHOOK_TEXT_MAX bytes of valid UTF-8: the ticket title is cut at 200
 * bytes and every other value at its own bound, each cut marked with "…". Unknown
 * event names get a generic line.
 * Returns 0, -EINVAL when event is not an object, or -LS_ETOOLARGE when out is full
 * (out is then unchanged). */
int webhook_text(const json_t *event, const char *lang, struct strbuf *out);

/* Appends the request body for a subscription of format f to out: WEBHOOK_JSON the
 * event object with "text" (webhook_text) added or replaced; WEBHOOK_SLACK and
 * WEBHOOK_TEAMS {"text":"..."} only, which is what Slack and Microsoft Teams incoming
 * webhooks accept. Compact JSON. Returns 0, or -EINVAL (unknown format: field
 * "format"; event not an object: field "event") or -LS_ETOOLARGE (out is full) with e
 * set; out is unchanged on failure. event is not modified. */
int webhook_body(enum webhook_format f, const json_t *event, const char *lang, struct strbuf *out, struct lserr *e);

/* Writes the X-Leitstand-Signature value into out: "sha256=" and the 64 lowercase hex
 * digits of HMAC-SHA256 keyed with secret (NULL counts as "") over "<ts>.<body>", ts
 * in decimal. out holds 72 bytes (71 characters and the NUL). */
void webhook_sign(const char *secret, int64_t ts, const char *body, size_t len, char out[72]);

/* The instant of the next attempt after `attempts` failed attempts (>= 1; 0 counts as
 * 1) of a delivery first tried at first_at, the last failure at last_attempt_at:
 * last_attempt_at + base * 2^(attempts-1) seconds, capped at WEBHOOK_RETRY_CAP, plus a
 * jitter of 0..10 % of that wait derived from seed alone (pass the delivery id), so
 * deliveries that failed together spread out while each delivery's waits never
 * shrink. base <= 0 means WEBHOOK_RETRY_BASE. Returns 0 ("give up") once
 * last_attempt_at lies more than WEBHOOK_RETRY_WINDOW after first_at: a delivery is
 * retried for at least 24 hours. first_at 0 (unknown) counts as last_attempt_at. */
int64_t webhook_next_attempt(int64_t first_at, int64_t last_attempt_at, unsigned attempts, int64_t base, uint64_t seed);

struct webhook_request {
	const char *url;  /* http:// or https:// */
	const char *body; /* NULL only with len 0 */
	size_t len;
	const char *secret;      /* NULL or "": no signature header */
	int64_t ts;              /* X-Leitstand-Timestamp */
	const char *delivery_id; /* X-Leitstand-Delivery; NULL: header left out */
	const char *event;       /* X-Leitstand-Event, e.g. "sla.breach"; NULL: left out */
	long timeout_ms;         /* whole request; <= 0: WEBHOOK_TIMEOUT_MS */
};

struct webhook_result {
	long status;                         /* HTTP status, 0 when no response */
	char error[256];                     /* transport error or "HTTP 503", empty on 2xx */
	char response[WEBHOOK_RESPONSE_MAX]; /* the first bytes of the response body, valid UTF-8 */
	double seconds;                      /* wall time of the attempt */
};

/* POSTs rq->body to rq->url with Content-Type: application/json, User-Agent:
 * Leitstand/<version>, X-Leitstand-Event, X-Leitstand-Delivery, X-Leitstand-Timestamp
 * and, when a secret is given, X-Leitstand-Signature (webhook_sign over the body).
 * Redirects are not followed; proxy settings in the environment (http_proxy and the
 * like) are ignored: a delivery goes straight to the URL. Reading the response stops
 * after its first WEBHOOK_RESPONSE_MAX - 1 bytes.
 * Returns 0 when the receiver answered 2xx, -EIO otherwise (transport error, timeout,
 * any other status), -EINVAL for a request it refuses to send (bad URL, a header value
 * with control characters). out is filled in every case. Thread-safe. */
int webhook_post(const struct webhook_request *rq, struct webhook_result *out);

/* Checks a subscription URL: scheme http or https (any case), "//", a host (name,
 * IPv4 or bracketed IPv6) with an optional port 1..65535, no spaces or control
 * characters, at most WEBHOOK_URL_MAX bytes. Returns 0, or -EINVAL with e naming
 * field "url". */
int webhook_url_check(const char *url, struct lserr *e);
