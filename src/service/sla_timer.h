/* What the SLA timer needs from the services: firing what fell due on a ticket,
 * exactly once, and acknowledging escalations. Room: service.
 *
 * sla_fire() evaluates a ticket as of s->now (docs/sla.md) and fires every warning,
 * breach and escalation level that fell due at or after `since` and has not fired
 * before. Each firing is one outbox event (sla.warning, sla.breach, sla.escalation)
 * with a fire key made of the ticket, the target's place among its targets and the
 * mark, so the same mark never fires twice, whatever restarts come between; a ticket
 * history event (sla_warning, sla_breach, sla_escalation) and, for escalations, a row
 * in sla_escalations go into the same transaction, and a `reassign` level moves the
 * ticket to the owner's team. Nothing is written when nothing is new.
 *
 * `since` is the instant from which deadlines are fired at all (sla_fire_since):
 * the first start of the timer stores it, so marks of imported or older tickets that
 * fell due before Leitstand watched them are shown by GET .../sla but never fired. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/jobs.h"
#include "service/svc.h"

struct sla_fire_result {
	int64_t client_id;
	unsigned fired; /* events written by this call */
	ls_time next;   /* the next deadline strictly after s->now; 0: none */
	ls_time due;    /* the earliest due instant of a running target; 0: none */
};

int sla_fire(struct svc *s, int64_t ticket_id, ls_time since, struct sla_fire_result *ret);
/* sla_fire() for n tickets in one write transaction (one disk sync for all), results
 * into ret[0..n). On failure nothing is written; the caller may retry one by one. */
int sla_fire_batch(struct svc *s, const int64_t *ids, size_t n, ls_time since, struct sla_fire_result *ret);

/* Ids of tickets neither resolved nor closed, > after, ascending, at most limit. */
int sla_open_tickets(struct svc *s, int64_t after, size_t limit, int64_t *ids, size_t *ret_n);

/* The instant from which deadlines are fired; stored at the first call (s->now). */
int sla_fire_since(struct svc *s, ls_time *ret);

/* Acknowledges escalation id as the actor (agents, managers, admins of the client):
 * records acked_at and a ticket history event the SLA engine reads, so the level
 * does not climb. -LS_ECONFLICT (conflict) when it is acknowledged already. */
int sla_escalation_ack(struct svc *s, int64_t id, const char *note, struct sla_escalation *ret);
int sla_escalation_get(struct svc *s, int64_t id, struct sla_escalation *ret);
/* The fired escalations of a ticket, oldest first. */
int sla_escalations_of_ticket(struct svc *s, int64_t ticket_id, struct sla_escalation **ret, size_t *ret_n);
