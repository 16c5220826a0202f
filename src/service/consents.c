/* Consent records (see consents.h). Room: service.
 * Invariants: a consent is recorded only for a person the actor sees, of that
 * person's client; at most one consent per person and purpose is in force (the
 * schema's unique index backs the check); times are never in the future and a
 * withdrawal never precedes the consent. */
#include "service/consents.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "core/strbuf.h"
#include "service/audit.h"
#include "service/directory.h"
#include "service/persons.h"
#include "store/consentdb.h"
#include "store/dirdb.h"

#define CONSENT_EARLIEST INT64_C(946684800) /* 2000-01-01: older dates are typing errors */

static bool may(const struct svc *s, unsigned perms)
{
	return (role_permissions(s->actor->role) & perms) != 0;
}

static int fail(struct svc *s, int r, const char *what)
{
	if (r != -ENOENT && r != -LS_ECONFLICT && r != -LS_ESTALE && r != -EINVAL)
		r = store_error(s->st, s->err, what);
	store_rollback(s->st);
	return r;
}

/* The request's api_write entry names the client and the subject (no-op outside a request). */
static int check_time(struct svc *s, const char *field, ls_time t, ls_time not_before)
{
	if (t > s->now)
		return lserr_set(s->err, -EINVAL, "invalid_field", field, "%s must not be in the future", field);
	if (t < not_before)
		return lserr_set(s->err, -EINVAL, "invalid_field", field, "%s is before %s", field,
		                 not_before == CONSENT_EARLIEST ? "2000-01-01" : "the consent was given");
	return 0;
}

static int check_input(struct svc *s, const struct consent_input *in, struct consent *c)
{
	if (!in->purpose || !*in->purpose)
		return lserr_set(s->err, -EINVAL, "missing_field", "purpose", "purpose must be given");
	if (!consent_purpose_valid(in->purpose)) {
		int r = lserr_set(s->err, -EINVAL, "invalid_field", "purpose",
		                  "purpose must be a code of 1 to %d characters: a-z, then a-z, 0-9, '_', '-', '.'",
		                  CONSENT_MAX_PURPOSE);
		lserr_hint(s->err, "e.g. newsletter, survey, call_recording");
		return r;
	}
	if (!in->channel || !*in->channel)
		return lserr_set(s->err, -EINVAL, "missing_field", "channel", "channel must be given");
	int ch = privacy_channel_from_string(in->channel);
	if (ch < 0)
		return lserr_set(s->err, -EINVAL, "invalid_field", "channel", "channel must be one of %s",
		                 privacy_channel_list);
	if (!in->text_version || !*in->text_version)
		return lserr_set(s->err, -EINVAL, "missing_field", "text_version",
		                 "text_version must name the version of the consent text the person was shown");
	if (!consent_text_valid(in->text_version, CONSENT_MAX_TEXT_VERSION, false))
		return lserr_set(s->err, -EINVAL, "invalid_field", "text_version",
		                 "text_version must be 1 to %d characters without control characters",
		                 CONSENT_MAX_TEXT_VERSION);
	if (in->wording && !consent_text_valid(in->wording, CONSENT_MAX_WORDING, true))
		return lserr_set(s->err, -EINVAL, "invalid_field", "wording",
		                 "wording must be 1 to %d characters without control characters", CONSENT_MAX_WORDING);
	if (in->evidence && !consent_text_valid(in->evidence, CONSENT_MAX_EVIDENCE, false))
		return lserr_set(s->err, -EINVAL, "invalid_field", "evidence",
		                 "evidence must be 1 to %d characters without control characters",
		                 CONSENT_MAX_EVIDENCE);
	ls_time at = in->given_at ? in->given_at : s->now;
	int r = check_time(s, "given_at", at, CONSENT_EARLIEST);
	if (r < 0)
		return r;
	c->purpose = in->purpose;
	c->channel = (enum privacy_channel)ch;
	c->text_version = in->text_version;
	c->wording = in->wording;
	c->evidence = in->evidence;
	c->given_at = at;
	return 0;
}

static int audit_consent(struct svc *s, const struct consent *c, const char *action, const char *pseudonym,
                         enum privacy_channel channel)
{
	return audit_append(s, AUDIT_KIND_PRIVACY, c->client_id, pseudonym,
	                    json_pack("{s:s, s:I, s:s, s:s}", "action", action, "consent", (json_int_t)c->id, "purpose",
	                              c->purpose, "channel", privacy_channel_to_string(channel)));
}

int consents_give(struct svc *s, int64_t person_id, const struct consent_input *in, struct consent *ret)
{
	lserr_clear(s->err);
	if (!may(s, PERM_TICKET_WRITE | PERM_PRIVACY_WRITE))
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL,
		                 "recording a consent needs ticket or privacy write permission");
	struct person p;
	int r = persons_get(s, person_id, &p);
	if (r < 0)
		return r;
	if (p.erased_at)
		return lserr_set(s->err, -LS_ECONFLICT, "erased", "id",
		                 "person %lld was erased; an erased person consents to nothing", (long long)p.id);
	struct consent c = {.client_id = p.client_id, .person_id = p.id, .recorded_at = s->now};
	if ((r = check_input(s, in, &c)) < 0)
		return r;
	audit_subject(s, p.client_id, p.pseudonym);
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	r = consentdb_insert(s->st, &c, s->actor->user_id);
	if (r == -LS_ECONFLICT) {
		store_rollback(s->st);
		r = lserr_set(s->err, -LS_ECONFLICT, "conflict", "purpose",
		              "person %lld has a consent for '%s' in force already", (long long)p.id, c.purpose);
		lserr_hint(s->err, "a consent is given once; after a withdrawal it can be given again");
		return r;
	}
	if (r < 0 || (r = audit_consent(s, &c, "consent_given", p.pseudonym, c.channel)) < 0 ||
	    (r = store_commit(s->st)) < 0)
		return fail(s, r, "storing the consent");
	if ((r = consentdb_get(s->st, s->arena, c.id, ret)) < 0)
		return store_error(s->st, s->err, "reading the consent");
	return 0;
}

static int load(struct svc *s, int64_t id, struct consent *ret)
{
	int r = consentdb_get(s->st, s->arena, id, ret);
	if (r == -ENOENT || (r == 0 && !actor_sees_client(s->actor, ret->client_id)))
		return lserr_set(s->err, -ENOENT, "not_found", "id", "consent %lld does not exist", (long long)id);
	return r < 0 ? store_error(s->st, s->err, "reading the consent") : 0;
}

int consents_withdraw(struct svc *s, int64_t id, const char *channel, ls_time at, struct consent *ret)
{
	lserr_clear(s->err);
	if (!may(s, PERM_TICKET_WRITE | PERM_PRIVACY_WRITE))
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL,
		                 "recording a withdrawal needs ticket or privacy write permission");
	struct consent c;
	int r = load(s, id, &c);
	if (r < 0)
		return r;
	if (!channel || !*channel)
		return lserr_set(s->err, -EINVAL, "missing_field", "channel",
		                 "channel must say how the person withdrew (one of %s)", privacy_channel_list);
	int ch = privacy_channel_from_string(channel);
	if (ch < 0)
		return lserr_set(s->err, -EINVAL, "invalid_field", "channel", "channel must be one of %s",
		                 privacy_channel_list);
	if (c.withdrawn_at)
		return lserr_set(s->err, -LS_ECONFLICT, "conflict", "id", "consent %lld was withdrawn already",
		                 (long long)id);
	if (!at)
		at = s->now;
	if ((r = check_time(s, "at", at, c.given_at)) < 0)
		return r;
	audit_subject(s, c.client_id, c.person_pseudonym);
	if ((r = store_begin(s->st)) < 0)
		return store_error(s->st, s->err, "starting a transaction");
	r = consentdb_withdraw(s->st, id, at, (enum privacy_channel)ch, s->now, s->actor->user_id);
	if (r == -ENOENT) { /* withdrawn in the meantime */
		store_rollback(s->st);
		return lserr_set(s->err, -LS_ECONFLICT, "conflict", "id", "consent %lld was withdrawn already",
		                 (long long)id);
	}
	if (r < 0 ||
	    (r = audit_consent(s, &c, "consent_withdrawn", c.person_pseudonym, (enum privacy_channel)ch)) < 0 ||
	    (r = store_commit(s->st)) < 0)
		return fail(s, r, "storing the withdrawal");
	if ((r = consentdb_get(s->st, s->arena, id, ret)) < 0)
		return store_error(s->st, s->err, "reading the consent");
	return 0;
}

int consents_get(struct svc *s, int64_t id, struct consent *ret)
{
	lserr_clear(s->err);
	return load(s, id, ret);
}

int consents_of_person(struct svc *s, int64_t person_id, struct consent **ret, size_t *ret_n)
{
	struct person p;
	int r = persons_get(s, person_id, &p);
	if (r < 0)
		return r;
	if ((r = consentdb_of_person(s->st, s->arena, p.id, ret, ret_n)) < 0)
		return store_error(s->st, s->err, "reading the consents");
	return 0;
}

/* The clients the actor sees as a JSON array for the store's filter, or NULL for
 * every client; with code, just that client (not seen: invalid_parameter). */

int consents_list(struct svc *s, const struct consent_query *q, struct consent **ret, size_t *ret_n)
{
	lserr_clear(s->err);
	if (!may(s, PERM_PRIVACY_READ))
		return lserr_set(s->err, -LS_EFORBIDDEN, "forbidden", NULL, "listing consents needs privacy read");
	struct consent_filter f = {.purpose = q->purpose, .state = -1, .after_id = q->after_id, .limit = q->limit};
	if (q->purpose && !consent_purpose_valid(q->purpose))
		return lserr_set(s->err, -EINVAL, "invalid_parameter", "purpose", "purpose must be a purpose code");
	if (q->state) {
		if (strcmp(q->state, "given") == 0)
			f.state = 0;
		else if (strcmp(q->state, "withdrawn") == 0)
			f.state = 1;
		else
			return lserr_set(s->err, -EINVAL, "invalid_parameter", "state",
			                 "state must be given or withdrawn");
	}
	int r = directory_client_ids_json(s, q->client, &f.client_ids_json);
	if (r < 0)
		return r;
	if ((r = consentdb_list(s->st, s->arena, &f, ret, ret_n)) < 0)
		return store_error(s->st, s->err, "listing consents");
	return 0;
}
