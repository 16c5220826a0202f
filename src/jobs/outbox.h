/* The outbox delivery thread of `leitstand serve`. Room: jobs.
 *
 * Works through pending webhook deliveries (service/webhooks.h) whose next attempt
 * is due: POSTs the event in the subscription's format with its HMAC-SHA256
 * signature (jobs/webhook.h) and records the outcome. A 2xx marks the delivery
 * delivered; anything else schedules the next attempt with exponential backoff
 * (retry_base, doubling, at most an hour apart) until more than 24 hours have passed
 * since the first attempt, then marks it failed. A delivery is marked delivered only
 * after the receiver's 2xx, so a crash in between delivers it again (receivers
 * de-duplicate by the X-Leitstand-Delivery header): at least once, never lost. */
#pragma once
#include <stdint.h>

#include "core/err.h"

struct outbox;

struct outbox_config {
	const char *db_path;
	int64_t retry_base; /* seconds before the first retry; 0: 30 */
	long timeout_ms;    /* per request; 0: 10000 */
};

int outbox_start(const struct outbox_config *cfg, struct outbox **ret, struct lserr *e);
/* Stops the thread (a request in flight finishes first). Accepts NULL; returns NULL. */
struct outbox *outbox_stop(struct outbox *o);
/* New deliveries may be due: look now rather than at the next planned instant. */
void outbox_kick(struct outbox *o);
