/* Webhook subscriptions of a client, their delivery log, and publishing events to
 * the outbox. Room: service.
 *
 * A subscription names a URL, the events it wants (names such as "sla.breach", or
 * the groups "sla.*", "ticket.*", "*"), a body format (json, slack, teams), the
 * language of the text (en, de) and a secret for the HMAC-SHA256 signature. The
 * secret is shown once, in the answer to the create (or to a change that sets a new
 * one); reads show only whether one is set. Admins and managers read and write;
 * another client's subscription is not_found.
 *
 * Publishing (outbox_publish) runs inside the caller's write transaction: the event
 * goes to the outbox and one pending delivery per matching active subscription is
 * created with it, so an event is delivered later, never lost, if the process dies
 * after the commit. The delivery thread (jobs/outbox) does the rest. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/jobs.h"
#include "model/ticket.h"
#include "service/svc.h"

/* Every event name a subscription may ask for, NULL-terminated. */
extern const char *const webhook_event_names[];

struct webhook_input {
	const char *client;        /* code; create only */
	const char *url;           /* required on create */
	const char *const *events; /* required on create, at least one */
	size_t n_events;
	const char *format; /* json (default), slack, teams */
	const char *lang;   /* en (default), de */
	const char *secret; /* NULL on create: a random one is made */
	int active;         /* -1: unchanged / default true */
};

enum webhook_patch_field {
	WEBHOOK_PATCH_URL = 1 << 0,
	WEBHOOK_PATCH_EVENTS = 1 << 1,
	WEBHOOK_PATCH_FORMAT = 1 << 2,
	WEBHOOK_PATCH_LANG = 1 << 3,
	WEBHOOK_PATCH_SECRET = 1 << 4,
	WEBHOOK_PATCH_ACTIVE = 1 << 5,
};

int webhooks_create(struct svc *s, const struct webhook_input *in, struct webhook_sub *ret);
int webhooks_get(struct svc *s, int64_t id, struct webhook_sub *ret);
/* client NULL: every visible client. */
int webhooks_list(struct svc *s, const char *client, struct webhook_sub **ret, size_t *ret_n);
int webhooks_update(struct svc *s, int64_t id, int64_t expected_version, unsigned fields,
                    const struct webhook_input *in, struct webhook_sub *ret);
int webhooks_delete(struct svc *s, int64_t id);
/* The delivery log, newest first: ids below before (0: from the newest), at most limit. */
int webhooks_deliveries(struct svc *s, int64_t id, int64_t before, size_t limit, struct webhook_delivery **ret,
                        size_t *ret_n);

/* Whether a subscription's event list (space-separated) asks for event. */
bool webhook_wants(const char *events, const char *event);

/* Inside the caller's write transaction: writes ev to the outbox (unless its fire_key
 * fired already: *ret_inserted false) and a pending delivery for every active
 * subscription of its client that wants it. */
int outbox_publish(struct svc *s, struct outbox_event *ev, bool *ret_inserted);

/* Inside the caller's write transaction, after the ticket's row is written: publishes
 * ticket event `event` ("ticket.created", "ticket.state", ...) for t when any of the
 * client's active subscriptions subs wants it; `from` is the previous value (state) or
 * NULL. */
int outbox_ticket_event(struct svc *s, const struct ticket *t, const struct webhook_sub *subs, size_t n_subs,
                        const char *event, const char *from);
/* The active subscriptions of a client (inside or outside a transaction). */
int webhooks_active(struct svc *s, int64_t client_id, struct webhook_sub **ret, size_t *ret_n);
