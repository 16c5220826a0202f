/* The error catalogue: machine codes, their HTTP status and meaning. Room: core.
 * Codes are stable API: clients branch on them. Add codes; never rename one. */
#include "core/err.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *code;
	int status;
	const char *meaning;
} catalogue[] = {
        {"invalid_json", 400, "the request body is not well-formed JSON"},
        {"invalid_field", 400, "a field has the wrong type or an invalid value"},
        {"missing_field", 400, "a required field is absent"},
        {"unknown_field", 400, "the body holds a field the endpoint does not accept"},
        {"invalid_parameter", 400, "a query parameter is invalid"},
        {"invalid_file", 400, "an uploaded or imported file cannot be read (the message names line and reason)"},
        {"invalid_csv", 400, "a CSV file is malformed (the message names the line)"},
        {"invalid_cursor", 400, "the pagination cursor is malformed or belongs to another query"},
        {"unauthorized", 401, "no valid API token or session was presented"},
        {"login_failed", 401, "email or password is wrong"},
        {"forbidden", 403, "the caller's role does not allow this action"},
        {"csrf_failed", 403, "a write authenticated by the session cookie lacks the matching X-CSRF-Token header"},
        {"not_found", 404, "no such resource, or not visible to the caller"},
        {"route_not_found", 404, "no endpoint has this path"},
        {"method_not_allowed", 405, "the endpoint exists but not with this method"},
        {"conflict", 409, "the resource exists already or conflicts with another"},
        {"invalid_transition", 409, "the ticket's state does not allow this change"},
        {"version_mismatch", 412, "If-Match names a version that is no longer current"},
        {"body_too_large", 413, "the request body exceeds the limit"},
        {"unsupported_media_type", 415, "the body must be application/json"},
        {"precondition_required", 428, "an update needs If-Match or a version field"},
        {"login_locked", 429, "too many failed logins for this account or from this address; see Retry-After"},
        {"erased", 409, "the person was erased; only the pseudonym remains"},
        {"shredded", 410, "the client's personal data was crypto-shredded; its key is gone"},
        {"internal", 500, "an unexpected server error; see the server log"},
        {"key_missing", 500, "the master key for encrypted personal data is not available (key file or environment)"},
        {"key_mismatch", 500, "the master key does not belong to this database"},
        {"unavailable", 503, "the server is shutting down or overloaded"},
};

int lserr_set(struct lserr *e, int rc, const char *code, const char *field, const char *fmt, ...)
{
	if (!e)
		return rc;
	e->rc = rc;
	e->code = code;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	e->hint[0] = '\0';
	return rc;
}

void lserr_hint(struct lserr *e, const char *fmt, ...)
{
	if (!e)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->hint, sizeof(e->hint), fmt, ap);
	va_end(ap);
}

void lserr_clear(struct lserr *e)
{
	if (!e)
		return;
	e->rc = 0;
	e->code = NULL;
	e->field[0] = e->message[0] = e->hint[0] = '\0';
}

int err_http_status(const char *code)
{
	if (code)
		for (size_t i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
			if (strcmp(catalogue[i].code, code) == 0)
				return catalogue[i].status;
	return 500;
}

const char *err_catalogue_code(unsigned i, int *ret_status, const char **ret_meaning)
{
	if (i >= sizeof(catalogue) / sizeof(catalogue[0]))
		return NULL;
	if (ret_status)
		*ret_status = catalogue[i].status;
	if (ret_meaning)
		*ret_meaning = catalogue[i].meaning;
	return catalogue[i].code;
}

const char *err_str(int rc)
{
	switch (-rc) {
	case LS_ECONFLICT: return "conflict";
	case LS_ESTALE: return "stale version";
	case LS_EFORBIDDEN: return "forbidden";
	case LS_ETOOLARGE: return "too large";
	case LS_EDB: return "storage error";
	case LS_EAUTH: return "authentication failed";
	default: return strerror(-rc);
	}
}
