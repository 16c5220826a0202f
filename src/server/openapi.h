/* The OpenAPI 3 document, generated from the route table and the schemas of
 * the wire formats. Room: server. */
#pragma once
#include <jansson.h>

/* A new reference; the caller owns it. */
json_t *openapi_document(void);
