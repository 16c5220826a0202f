/* Health, metrics, the OpenAPI document, login and the caller's identity.
 * Room: server. */
#include <string.h>

#include "core/limits.h"
#include "core/strbuf.h"
#include "server/api.h"
#include "server/json.h"
#include "server/metrics.h"
#include "server/openapi.h"
#include "service/auth.h"
#include "store/store.h"

#define LOGIN_TTL_S (12 * 3600)

int api_healthz(struct request *rq)
{
	return reply_json(rq, 200, json_pack("{s:s,s:i}", "status", "ok", "schema", store_schema_version(rq->svc.st)));
}

int api_metrics(struct request *rq)
{
	struct strbuf sb = STRBUF_INIT_MAX(16 * 1024 * 1024);
	metrics_render(&sb);
	size_t len;
	char *text = strbuf_detach(&sb, &len);
	reply_text(rq, 200, "text/plain; version=0.0.4", text);
	xfree(text);
	return 0;
}

int api_openapi(struct request *rq)
{
	return reply_json(rq, 200, openapi_document());
}

int api_login(struct request *rq)
{
	static const struct jfield spec[] = {
	        {"email", JF_STRING, true, 0, LS_MAX_EMAIL_BYTES},
	        {"password", JF_STRING, true, 0, LS_MAX_PASSWORD_BYTES},
	        {NULL},
	};
	json_t *body;
	if (request_json_object(rq, &body) < 0 || json_check(rq, body, spec, "") < 0)
		return -EINVAL;
	const char *token;
	int r = auth_login(&rq->svc, jstr(body, "email"), jstr(body, "password"), LOGIN_TTL_S, &token);
	if (r < 0)
		return reply_error(rq, r);
	return reply_json(rq, 200,
	                  json_pack("{s:s,s:s,s:o}", "token", token, "token_type", "Bearer", "expires_at",
	                            json_time(rq->svc.now + LOGIN_TTL_S)));
}

int api_me(struct request *rq)
{
	json_t *o = json_pack("{s:s,s:s}", "email", rq->actor.email, "role", user_role_to_string(rq->actor.role));
	return reply_json(rq, 200, o);
}
