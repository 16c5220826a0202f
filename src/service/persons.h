/* Persons behind requesters: linking tickets to them, finding, rectifying,
 * exporting (Art. 15/20 GDPR) and erasing (Art. 17) them. Room: service.
 * docs/privacy.md describes what an export holds and what erasure changes. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/person.h"
#include "model/ticket.h"
#include "service/svc.h"

/* The person a new ticket's requester is: found by email in the client (empty
 * fields of a found person are filled in), else created; *ret_id 0 when no
 * requester field is given. Inside the caller's write transaction. */
int persons_link(struct svc *s, int64_t client_id, const char *name, const char *email, const char *phone,
                 int64_t *ret_id);
/* A ticket's requester changes to name/email/phone (the values after the patch).
 * Same email as the ticket's person: that person is rectified. Another email: the
 * ticket moves to that person (found or created). No email: the ticket's own
 * email-less person is changed, or a new one made. *ret_id is the ticket's person
 * afterwards, *ret_moved whether it is another person than before. In the
 * caller's transaction. */
int persons_requester_change(struct svc *s, const struct ticket *t, const char *name, const char *email,
                             const char *phone, int64_t *ret_id, bool *ret_moved);

/* An email address a person may have (empty passes): an @ with text on both sides,
 * no space, at most LS_MAX_EMAIL_BYTES; the error names field. */
int persons_check_email(struct svc *s, const char *field, const char *e);

/* A person the actor may see, by id. */
int persons_get(struct svc *s, int64_t id, struct person *ret);
/* The persons with this email in the clients the actor sees (or in client_code only). */
int persons_find(struct svc *s, const char *client_code, const char *email, struct person **ret, size_t *ret_n);

struct person_patch {
	unsigned fields; /* PERSON_PATCH_* */
	const char *name, *email, *phone, *company;
};
enum {
	PERSON_PATCH_NAME = 1u << 0,
	PERSON_PATCH_EMAIL = 1u << 1,
	PERSON_PATCH_PHONE = 1u << 2,
	PERSON_PATCH_COMPANY = 1u << 3,
};
/* Rectification (Art. 16): the fields given, if the person is still at version
 * expected_version. Every ticket of the person shows the new values. */
int persons_rectify(struct svc *s, int64_t id, int64_t expected_version, const struct person_patch *p,
                    struct person *ret);

/* The person's tickets (numbers, oldest first). */
int persons_ticket_numbers(struct svc *s, int64_t id, const char ***ret, size_t *ret_n);

/* Everything stored about the persons (one or several clients' records of one
 * email) as a ZIP archive: person.json, tickets.json with replies, notes and
 * history, tickets.csv, messages.csv, access_log.csv (who read their data, from
 * the audit log), consents.csv, README.txt. *ret is xmalloc'd. The export is
 * audited. */
int persons_export(struct svc *s, const struct person *persons, size_t n, char **ret, size_t *ret_n);

struct erase_summary {
	char pseudonym[PERSON_PSEUDONYM_LEN + 1];
	int64_t tickets;  /* tickets whose requester the person was */
	int64_t replaced; /* text values in which the person's data was replaced */
};
/* Erasure (Art. 17): the person's name, email, phone and company are removed
 * from the person record and replaced by its pseudonym in every ticket title,
 * description, reply, note, history value, effort note and webhook event of the
 * client (email anywhere in the client; name and phone in the person's tickets);
 * tickets, times and outcomes stay, so every KPI is unchanged. Then the WAL is
 * checkpointed so that no old page version remains in it. */
int persons_erase(struct svc *s, int64_t id, struct erase_summary *ret);

/* The master key is present and opens the client keys (keyring_check). */
int persons_check_keys(struct svc *s);

/* Moves requester columns written before persons existed into person records;
 * *ret_n tickets moved. Runs in batches of its own transactions. */
int persons_backfill(struct svc *s, int64_t *ret_n);
