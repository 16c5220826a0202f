/* Consent records (Art. 7 GDPR): recording that a person gave a consent for a
 * purpose, its withdrawal, the history, and who may be contacted for a purpose now.
 * Room: service. docs/privacy.md ("Consent records") describes the rules.
 *
 * Who: recording and withdrawing need ticket write (agents take a consent on the
 * phone) or privacy write; a person's consents are read by whoever may read
 * tickets of the person's client; the list across persons needs privacy read. A
 * person of a client the actor does not see is not_found. Every write appends an
 * audit entry of kind privacy (action consent_given, consent_withdrawn) naming the
 * consent, its purpose and channel, never the person's data. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "model/consent.h"
#include "service/svc.h"

struct consent_input {
	const char *purpose;      /* required: a purpose code of the client, e.g. "newsletter" */
	const char *channel;      /* required: web, email, phone, letter, in_person, api */
	const char *text_version; /* required: the version of the wording the person was shown */
	const char *wording;      /* optional: that wording itself */
	const char *evidence;     /* optional: where the proof is (form id, call id, ticket number) */
	ls_time given_at;         /* when the person gave it; 0: now; never in the future */
};

/* Records a consent of person_id. -LS_ECONFLICT (conflict): a consent for this
 * purpose is in force already; erased persons (code erased) consent to nothing. */
int consents_give(struct svc *s, int64_t person_id, const struct consent_input *in, struct consent *ret);
/* Withdraws consent id, at `at` (0: now; not before it was given, never in the
 * future) through channel. -LS_ECONFLICT: withdrawn already. */
int consents_withdraw(struct svc *s, int64_t id, const char *channel, ls_time at, struct consent *ret);
/* One consent with its history. */
int consents_get(struct svc *s, int64_t id, struct consent *ret);
/* A person's consents, oldest first, each with its history. */
int consents_of_person(struct svc *s, int64_t person_id, struct consent **ret, size_t *ret_n);

struct consent_query {
	const char *client;  /* code; NULL: every client the actor sees */
	const char *purpose; /* NULL: any */
	const char *state;   /* given (in force, persons not erased), withdrawn, NULL: any */
	int64_t after_id;    /* cursor */
	size_t limit;        /* 1 … LS_MAX_PAGE_SIZE */
};
/* Consents across persons by id, without history. Errors name the parameter. */
int consents_list(struct svc *s, const struct consent_query *q, struct consent **ret, size_t *ret_n);
