/* What the background jobs of `leitstand serve` keep: outbox events, webhook
 * subscriptions and their deliveries, fired escalation levels. Room: model.
 * Plain data; strings are owned by whoever loaded the struct (an arena). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "core/timeutil.h"

/* One event in the outbox (docs/webhooks.md): an SLA event the timer fired, or a
 * ticket event a subscription asked for. */
struct outbox_event {
	int64_t id;
	int64_t client_id;
	int64_t ticket_id;    /* 0: none */
	const char *event;    /* "sla.breach", "ticket.created", ... */
	const char *fire_key; /* SLA events: what makes the firing unique; NULL otherwise */
	ls_time due_at;       /* SLA events: when it fell due; 0 otherwise */
	const char *payload;  /* the event JSON */
	ls_time created_at;
};

struct webhook_sub {
	int64_t id;
	int64_t client_id;
	const char *client_code;
	const char *url;
	const char *secret;
	const char *events; /* space-separated names or groups: "sla.*", "ticket.*", "*" */
	const char *format; /* json, slack, teams */
	const char *lang;   /* en, de */
	bool active;
	int64_t version;
	ls_time created_at, updated_at;
};

enum delivery_state {
	DELIVERY_PENDING,
	DELIVERY_DELIVERED,
	DELIVERY_FAILED, /* given up after the retry window */
	_DELIVERY_STATE_MAX,
	_DELIVERY_STATE_INVALID = -22,
};

struct webhook_delivery {
	int64_t id;
	int64_t client_id;
	int64_t outbox_id;
	int64_t webhook_id;
	enum delivery_state state;
	int64_t attempts;
	ls_time next_attempt_at, first_attempt_at, last_attempt_at, delivered_at, created_at;
	int64_t last_status;       /* HTTP status of the last attempt; 0: none */
	const char *last_error;    /* NULL: none */
	const char *last_response; /* the first bytes of the last response */
	/* joined for the delivery thread and the log */
	const char *event;
	const char *payload;
	const char *url, *secret, *format, *lang;
};

struct sla_escalation {
	int64_t id;
	int64_t client_id;
	int64_t ticket_id;
	const char *ticket_number;
	int64_t outbox_id;
	const char *target; /* first_response, next_update, resolution */
	int64_t target_seq;
	ls_time target_started_at;
	int priority;
	int level;
	const char *action; /* notify, reassign */
	const char *owner;
	bool climbed;
	ls_time due_at, fired_at;
	int64_t ack_within; /* seconds; 0: no acknowledgement asked for */
	ls_time acked_at;   /* 0: not acknowledged */
	const char *acked_by;
	const char *ack_note;
};

/* An import uploaded over HTTP, run by the import worker (service/imports.h). */
struct import_job {
	int64_t id;
	int64_t client_id;
	const char *client_code;
	const char *source;
	const char *options; /* JSON */
	const char *file;
	int64_t bytes;
	const char *state;  /* queued, running, done, failed */
	const char *result; /* JSON or NULL */
	const char *error;  /* JSON or NULL */
	int64_t import_id;
	const char *created_by;
	ls_time created_at, started_at, finished_at;
};

const char *delivery_state_to_string(enum delivery_state s);
enum delivery_state delivery_state_from_string(const char *s);
