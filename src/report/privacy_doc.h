/* The record of processing activities (Art. 30 GDPR) with the AVV register of one
 * client as a document a data-protection officer can hand over: self-contained,
 * printable HTML or Markdown, in German or English. Room: report.
 * The input is the JSON document service/processing.h builds (its "record" is what
 * people entered, its "generated" what Leitstand knows about itself); every text
 * from it is escaped. Pure: no I/O, thread-safe. */
#pragma once
#include <jansson.h>

#include "core/strbuf.h"

enum privacy_doc_format { PRIVACY_DOC_HTML, PRIVACY_DOC_MD };

/* Appends the document to out; lang is "de" or "en". -EINVAL for another
 * language, -LS_ETOOLARGE when out's maximum is reached. */
int privacy_doc_render(const json_t *doc, enum privacy_doc_format fmt, const char *lang, struct strbuf *out);
