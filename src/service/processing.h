/* The record of processing activities (Art. 30 GDPR) and the AVV register of a
 * client: what people enter (controller, purposes, subjects, transfers, the Art. 28
 * contract and its subprocessors) joined with what Leitstand knows about itself (the
 * data it stores, the vendors working for the client, the retention rules, the
 * measures in place). Room: service. docs/privacy.md, "Record of processing
 * activities", lists the fields. */
#pragma once
#include <jansson.h>
#include <stdint.h>

#include "report/privacy_doc.h"
#include "service/svc.h"

/* Checks an entered record strictly (unknown fields, types, lengths, list sizes,
 * avv.date as YYYY-MM-DD); errors name the field. */
int processing_record_check(json_t *record, struct lserr *e);

/* The whole document of a client the actor sees (caller owns it):
 * {"client":{"code","name"},"version","updated_at","updated_by","generated_at",
 *  "record":{...entered...},"generated":{"data_categories","recipients","retention",
 *  "legal_holds_active","measures"}}. */
int processing_record_get(struct svc *s, const char *client, json_t **ret);
/* Replaces the entered record if its version is still `expected` (0: none yet);
 * -LS_ESTALE (version_mismatch) otherwise. *ret as from processing_record_get(). */
int processing_record_put(struct svc *s, const char *client, json_t *record, int64_t expected, json_t **ret);

/* The document rendered; *ret is xmalloc'd, NUL-terminated. fmt "html", "md" or
 * "json"; lang "de" or "en". Errors name the parameter ("format", "lang"). */
int processing_record_document(struct svc *s, const char *client, const char *fmt, const char *lang, char **ret,
                               size_t *ret_n);
