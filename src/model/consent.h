/* Consent records (Art. 7 GDPR): what a person consented to, when, through which
 * channel, and its withdrawal. Room: model. Plain data; strings are owned by
 * whoever loaded the struct (an arena). Channels are shared with the register of
 * data-subject requests (model/dsr.h). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/timeutil.h"

#define CONSENT_MAX_PURPOSE      40   /* a purpose code: [a-z][a-z0-9_.-]* */
#define CONSENT_MAX_TEXT_VERSION 64   /* the version of the wording shown */
#define CONSENT_MAX_WORDING      4000 /* the wording itself, as shown or read out */
#define CONSENT_MAX_EVIDENCE     200  /* where the proof is: form id, call id, ticket number */

enum privacy_channel {
	PRIVACY_CHANNEL_WEB,
	PRIVACY_CHANNEL_EMAIL,
	PRIVACY_CHANNEL_PHONE,
	PRIVACY_CHANNEL_LETTER,
	PRIVACY_CHANNEL_IN_PERSON,
	PRIVACY_CHANNEL_API,
	_PRIVACY_CHANNEL_MAX,
	_PRIVACY_CHANNEL_INVALID = -22,
};
const char *privacy_channel_to_string(enum privacy_channel c);
enum privacy_channel privacy_channel_from_string(const char *s);
/* "web, email, phone, letter, in_person, api" for messages. */
extern const char privacy_channel_list[];

/* Whether s is a purpose code: 1 to CONSENT_MAX_PURPOSE bytes, a lower-case ASCII
 * letter followed by lower-case letters, digits, '_', '-' or '.'. */
bool consent_purpose_valid(const char *s);
/* Whether s is printable text of 1 to max bytes: no control characters other than
 * newline and tab (newline only if multiline), valid UTF-8 is the JSON layer's. */
bool consent_text_valid(const char *s, size_t max, bool multiline);

struct consent_event {
	int64_t id;
	int64_t consent_id;
	const char *action; /* given, withdrawn */
	ls_time at;         /* when the person did it */
	enum privacy_channel channel;
	ls_time recorded_at;
	const char *actor; /* the recording user's email, "system" for the CLI */
};

struct consent {
	int64_t id;
	int64_t client_id;
	const char *client_code;
	int64_t person_id;
	const char *person_pseudonym;
	bool person_erased;
	const char *purpose;
	enum privacy_channel channel;
	const char *text_version;
	const char *wording;  /* NULL: not recorded */
	const char *evidence; /* NULL: none */
	ls_time given_at, recorded_at;
	const char *recorded_by; /* email, "system" */
	ls_time withdrawn_at;    /* 0: in force */
	enum privacy_channel withdrawn_channel;
	ls_time withdrawn_recorded_at;
	const char *withdrawn_by;
	int64_t version;
	struct consent_event *events; /* history, oldest first (when loaded) */
	size_t n_events;
};
