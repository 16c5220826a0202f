"""The interface contract: ticket create/get/list shapes, health, metrics, the
OpenAPI document, login, /me, authentication (401) and routing errors."""
import http.client
import json
import re
import threading

from harness import PASSWORD_USER, World, assert_error, assert_rfc3339_utc

# Every endpoint; the OpenAPI document must list at least these. New ticket routes
# also need a sample request in test_isolation.SAMPLES (that test fails without one).
ROUTES = {
    ("GET", "/healthz"), ("GET", "/metrics"), ("GET", "/api/v1/openapi.json"),
    ("POST", "/api/v1/auth/login"), ("GET", "/api/v1/me"),
    ("GET", "/api/v1/clients"), ("POST", "/api/v1/clients"), ("GET", "/api/v1/clients/{code}"),
    ("GET", "/api/v1/users"), ("POST", "/api/v1/users"),
    ("GET", "/api/v1/teams"), ("POST", "/api/v1/teams"),
    ("GET", "/api/v1/tickets"), ("POST", "/api/v1/tickets"), ("GET", "/api/v1/search"),
    ("GET", "/api/v1/tickets/{number}"), ("PATCH", "/api/v1/tickets/{number}"),
    ("POST", "/api/v1/tickets/{number}/transition"),
    ("POST", "/api/v1/tickets/{number}/replies"), ("POST", "/api/v1/tickets/{number}/notes"),
    ("GET", "/api/v1/tickets/{number}/messages"),
    ("POST", "/api/v1/tickets/{number}/effort"), ("GET", "/api/v1/tickets/{number}/effort"),
    ("POST", "/api/v1/tickets/{number}/links"), ("GET", "/api/v1/tickets/{number}/links"),
    ("GET", "/api/v1/tickets/{number}/history"),
    ("POST", "/api/v1/auth/logout"), ("GET", "/api/v1/auth/tokens"), ("DELETE", "/api/v1/auth/tokens/{id}"),
    ("GET", "/api/v1/vendors"), ("POST", "/api/v1/vendors"), ("GET", "/api/v1/vendors/{code}"),
}
PUBLIC = {("GET", "/healthz"), ("GET", "/metrics"), ("GET", "/api/v1/openapi.json"),
          ("POST", "/api/v1/auth/login")}

TICKET_KEYS = {"number", "client", "type", "title", "description", "impact", "urgency", "priority", "state",
               "category", "channel", "requester", "team", "assignee", "vendor", "tags", "version", "reopen_count",
               "created_at", "updated_at", "first_response_at", "resolved_at", "closed_at"}


def make_world():
    return World(password_user=True)


def openapi(w):
    r = w.req("GET", "/api/v1/openapi.json", who=None)
    assert r.status == 200, r
    return r.json


def test_create_ticket_answers_201_with_the_documented_fields(w):
    body = {"client": "ACME", "type": "incident", "title": "Mail server down", "description": "No mail since 9:00",
            "impact": 2, "urgency": 2}
    r = w.req("POST", "/api/v1/tickets", body)
    assert r.status == 201, r
    t = r.json
    assert set(t) == TICKET_KEYS, "ticket keys: %s" % sorted(t)
    assert re.fullmatch(r"INC\d{7}", t["number"]), t["number"]
    assert t["client"] == "ACME" and t["type"] == "incident"
    assert t["title"] == "Mail server down" and t["description"] == "No mail since 9:00"
    assert t["impact"] == 2 and t["urgency"] == 2
    assert t["priority"] == 3, "impact 2 x urgency 2 must give priority 3, got %r" % t["priority"]
    assert t["state"] == "new"
    assert isinstance(t["version"], int) and t["version"] >= 1
    assert t["reopen_count"] == 0
    assert_rfc3339_utc(t["created_at"], "created_at")
    assert_rfc3339_utc(t["updated_at"], "updated_at")
    assert t["first_response_at"] is None and t["resolved_at"] is None and t["closed_at"] is None
    assert r.headers.get("etag") == '"%d"' % t["version"], r.headers


def test_get_ticket_returns_the_same_object_as_create(w):
    t = w.create_ticket(title="Same object", description="d", impact=1, urgency=3, tags=["vpn", "urgent"],
                        requester={"name": "Eva", "email": "eva@acme.example", "phone": "+49 40 1"})
    r = w.req("GET", "/api/v1/tickets/" + t["number"])
    assert r.status == 200, r
    assert r.json == t, "GET differs from the create answer:\n%s\n%s" % (r.json, t)
    assert sorted(r.json["tags"]) == ["urgent", "vpn"], r.json["tags"]
    assert r.json["requester"] == {"name": "Eva", "email": "eva@acme.example", "phone": "+49 40 1"}


def test_priority_follows_impact_and_urgency_through_the_default_matrix(w):
    for impact in (1, 2, 3):
        for urgency in (1, 2, 3):
            t = w.create_ticket(title="prio %d %d" % (impact, urgency), impact=impact, urgency=urgency)
            assert t["priority"] == impact + urgency - 1, (impact, urgency, t["priority"])
    t = w.create_ticket(title="defaults")
    assert (t["impact"], t["urgency"], t["priority"]) == (3, 3, 5), t


def test_ticket_numbers_carry_the_type_prefix(w):
    for typ, prefix in (("incident", "INC"), ("problem", "PRB"), ("service_request", "REQ"),
                        ("complaint", "CMP")):
        t = w.create_ticket(type=typ, title="a " + typ)
        assert re.fullmatch(prefix + r"\d{7}", t["number"]), t["number"]
        assert t["type"] == typ


def test_missing_ticket_is_404_not_found(w):
    for number in ("INC9999999", "PRB0000999", "garbage", "INC12"):
        r = w.req("GET", "/api/v1/tickets/" + number)
        assert_error(r, 404, "not_found")


def test_list_by_client_returns_items_and_next(w):
    for i in range(3):
        w.create_ticket(title="list %d" % i)
    r = w.req("GET", "/api/v1/tickets?client=ACME&limit=2")
    assert r.status == 200, r
    assert set(r.json) == {"items", "next"}, r
    assert len(r.json["items"]) == 2
    assert isinstance(r.json["next"], str) and r.json["next"]
    for t in r.json["items"]:
        assert set(t) == TICKET_KEYS and t["client"] == "ACME"
    r = w.req("GET", "/api/v1/tickets?client=ACME&limit=500")
    assert r.status == 200 and r.json["next"] is None, r


def test_created_ticket_appears_in_the_list(w):
    t = w.create_ticket(title="listed one")
    items = w.list_all("client=ACME&limit=50")
    assert [x for x in items if x["number"] == t["number"]] == [t]


def test_healthz_is_public_and_reports_ok(w):
    r = w.req("GET", "/healthz", who=None)
    assert r.status == 200, r
    assert r.json.get("status") == "ok" and isinstance(r.json.get("schema"), int) and r.json["schema"] >= 1, r


def metric(text, name, **labels):
    """The value of one sample in Prometheus text, 0 when absent."""
    want = {'%s="%s"' % kv for kv in labels.items()}
    for line in text.splitlines():
        if line.startswith(name + "{"):
            lab, val = line[len(name) + 1:].rsplit("} ", 1)
            if set(lab.split(",")) >= want:
                return float(val)
    return 0.0


def test_metrics_are_prometheus_text_and_count_requests(w):
    r = w.req("GET", "/metrics", who=None)
    assert r.status == 200, r
    assert r.headers["content-type"].startswith("text/plain"), r.headers
    for line in r.text.splitlines():
        assert line.startswith("#") or re.fullmatch(r'[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+', line), \
            "not Prometheus text: %r" % line
    # the SLA timer reports itself
    assert re.search(r"^leitstand_sla_timer_watched \d+$", r.text, re.M), r.text[-600:]
    assert re.search(r'^leitstand_sla_timer_lateness_seconds_bucket\{le="\+Inf"\} \d+$', r.text, re.M)
    before_ok = metric(r.text, "leitstand_http_requests_total", method="GET", route="/healthz", code="200")
    before_404 = metric(r.text, "leitstand_http_requests_total", method="GET", route="/api/v1/tickets/{number}",
                        code="404")
    before_err = metric(r.text, "leitstand_http_errors_total", method="GET", route="/api/v1/tickets/{number}")
    for _ in range(3):
        assert w.req("GET", "/healthz", who=None).status == 200
    assert w.req("GET", "/api/v1/tickets/INC9999998").status == 404
    r = w.req("GET", "/metrics", who=None)
    assert metric(r.text, "leitstand_http_requests_total", method="GET", route="/healthz", code="200") \
        == before_ok + 3, r.text
    assert metric(r.text, "leitstand_http_requests_total", method="GET", route="/api/v1/tickets/{number}",
                  code="404") == before_404 + 1
    assert metric(r.text, "leitstand_http_errors_total", method="GET", route="/api/v1/tickets/{number}") \
        == before_err + 1
    assert metric(r.text, "leitstand_http_request_duration_seconds_count", method="GET", route="/healthz") \
        >= before_ok + 3
    assert "# TYPE leitstand_http_request_duration_seconds histogram" in r.text


def test_openapi_is_valid_json_listing_every_route(w):
    r = w.req("GET", "/api/v1/openapi.json", who=None)
    assert r.status == 200 and r.headers["content-type"].startswith("application/json"), r
    doc = json.loads(r.body)
    assert doc.get("openapi", "").startswith("3."), doc.get("openapi")
    have = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    assert ROUTES <= have, "routes missing from the document: %s" % sorted(ROUTES - have)
    schemas = doc["components"]["schemas"]
    for p, item in doc["paths"].items():
        for m, op in item.items():
            for resp in op["responses"].values():
                for media in resp.get("content", {}).values():
                    s = json.dumps(media["schema"])
                    for ref in re.findall(r'"#/components/schemas/([A-Za-z]+)"', s):
                        assert ref in schemas, "%s %s refers to missing schema %s" % (m, p, ref)
            rb = op.get("requestBody")
            if rb:
                ref = rb["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
                assert ref in schemas, "%s %s: missing request schema %s" % (m, p, ref)
            public = (m.upper(), p) in PUBLIC
            assert (op.get("security") == []) == public, "%s %s security: %r" % (m, p, op.get("security"))
    codes = {c["code"] for c in doc["x-error-codes"]}
    assert {"invalid_json", "invalid_field", "not_found", "version_mismatch", "body_too_large"} <= codes


def test_every_protected_route_answers_401_without_a_token(w):
    doc = openapi(w)
    n = 0
    for p, item in doc["paths"].items():
        for m, op in item.items():
            if op.get("security") == []:
                continue
            path = p.replace("{number}", "INC0000001").replace("{code}", "ACME")
            body = {} if op.get("requestBody") else None
            r = w.req(m.upper(), path, body, who=None)
            assert_error(r, 401, "unauthorized")
            assert r.headers.get("www-authenticate", "").startswith("Bearer"), (m, p, r.headers)
            n += 1
    assert n >= 20, n


def test_bad_tokens_are_401_with_www_authenticate(w):
    cases = {
        "unknown token": {"Authorization": "Bearer lst_" + "A" * 43},
        "malformed token": {"Authorization": "Bearer nonsense"},
        "empty bearer": {"Authorization": "Bearer "},
        "basic auth": {"Authorization": "Basic YWRtaW46YWRtaW4="},
        "token without scheme": {"Authorization": w.tok["admin"]},
    }
    for what, hdrs in cases.items():
        r = w.req("GET", "/api/v1/tickets", who=None, headers=hdrs)
        assert r.status == 401, "%s: %r" % (what, r)
        assert_error(r, 401, "unauthorized")
        assert r.headers.get("www-authenticate") == 'Bearer realm="leitstand"', (what, r.headers)
    r = w.req("GET", "/api/v1/tickets?limit=1")
    assert r.status == 200, r


def test_me_names_the_caller(w):
    for who in ("admin", "agent_a", "viewer_b"):
        r = w.req("GET", "/api/v1/me", who=who)
        assert r.status == 200, r
        assert r.json["email"] == w.email[who], r
    assert w.req("GET", "/api/v1/me", who="manager_b").json["role"] == "manager"


def test_login_with_the_right_password_gives_a_working_token(w):
    email, pw = PASSWORD_USER
    r = w.req("POST", "/api/v1/auth/login", {"email": email, "password": pw}, who=None)
    assert r.status == 200, r
    assert r.json["token_type"] == "Bearer" and r.json["token"].startswith("lst_"), r
    assert_rfc3339_utc(r.json["expires_at"], "expires_at")
    me = w.req("GET", "/api/v1/me", who=None, token=r.json["token"])
    assert me.status == 200 and me.json == {"email": email, "role": "agent"}, me
    lst = w.req("GET", "/api/v1/tickets?limit=1", who=None, token=r.json["token"])
    assert lst.status == 200, lst


def test_login_with_a_wrong_password_or_unknown_email_is_401_login_failed(w):
    email, pw = PASSWORD_USER
    wrong = w.req("POST", "/api/v1/auth/login", {"email": email, "password": pw + "x"}, who=None)
    assert_error(wrong, 401, "login_failed")
    assert wrong.headers.get("www-authenticate", "").startswith("Bearer")
    unknown = w.req("POST", "/api/v1/auth/login", {"email": "nobody@example.com", "password": pw}, who=None)
    assert_error(unknown, 401, "login_failed")
    assert wrong.body == unknown.body, "a wrong email must fail exactly like a wrong password"
    no_pw = w.req("POST", "/api/v1/auth/login", {"email": w.email["admin"], "password": "whatever123"}, who=None)
    assert_error(no_pw, 401, "login_failed")


def test_login_validates_its_body(w):
    assert_error(w.req("POST", "/api/v1/auth/login", {"email": "a@example.com"}, who=None), 400,
                 "missing_field", "password")
    assert_error(w.req("POST", "/api/v1/auth/login", {"email": "a@example.com", "password": "x", "otp": "1"},
                       who=None), 400, "unknown_field", "otp")
    assert_error(w.req("POST", "/api/v1/auth/login", {"email": 1, "password": "x"}, who=None), 400,
                 "invalid_field", "email")
    assert_error(w.req("POST", "/api/v1/auth/login", raw=b"{", who=None), 400, "invalid_json")


def test_unknown_path_is_404_route_not_found(w):
    for path in ("/", "/api/v1/nothing", "/api/v1/tickets/INC0000001/bogus", "/api/v2/tickets"):
        assert_error(w.req("GET", path), 404, "route_not_found")


def test_wrong_method_is_405_method_not_allowed(w):
    assert_error(w.req("DELETE", "/api/v1/tickets/INC0000001"), 405, "method_not_allowed")
    assert_error(w.req("PUT", "/api/v1/tickets", {}), 405, "method_not_allowed")
    assert_error(w.req("POST", "/healthz", {}), 405, "method_not_allowed")


def test_responses_are_not_cacheable(w):
    t = w.create_ticket(title="cache")
    r = w.req("GET", "/api/v1/tickets/" + t["number"])
    assert r.headers.get("cache-control") == "no-store", r.headers


def test_keep_alive_connection_serves_several_requests(w):
    conn = http.client.HTTPConnection("127.0.0.1", w.port, timeout=60)
    auth = {"Authorization": "Bearer " + w.tok["admin"], "Content-Type": "application/json"}
    try:
        for i in range(3):
            conn.request("GET", "/healthz")
            r = conn.getresponse()
            assert r.status == 200 and json.loads(r.read())["status"] == "ok"
        conn.request("POST", "/api/v1/tickets", body=json.dumps({"client": "ACME", "type": "incident",
                                                                  "title": "keep-alive"}), headers=auth)
        r = conn.getresponse()
        created = json.loads(r.read())
        assert r.status == 201, created
        conn.request("GET", "/api/v1/tickets/" + created["number"], headers=auth)
        r = conn.getresponse()
        assert r.status == 200 and json.loads(r.read()) == created
        conn.request("GET", "/api/v1/tickets/INC9999997", headers=auth)
        r = conn.getresponse()
        assert r.status == 404 and json.loads(r.read())["error"]["code"] == "not_found"
        conn.request("GET", "/healthz")
        r = conn.getresponse()
        assert r.status == 200, "the connection survives an error answer"
        r.read()
    finally:
        conn.close()


def test_concurrent_logins_all_succeed(w):
    email, pw = PASSWORD_USER
    out = []

    def login():
        out.append(w.req("POST", "/api/v1/auth/login", {"email": email, "password": pw}, who=None))
    threads = [threading.Thread(target=login) for _ in range(5)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert sorted(r.status for r in out) == [200] * 5, out
    assert len({r.json["token"] for r in out}) == 5, "every login gets its own token"


def test_user_created_through_the_api_with_a_password_can_log_in(w):
    r = w.req("POST", "/api/v1/users", {"email": "api.user@example.com", "name": "Api", "role": "agent",
                                          "clients": ["BETA"], "password": "api password 1"})
    assert r.status == 201 and r.json["clients"] == ["BETA"] and "password" not in r.json, r
    r = w.req("POST", "/api/v1/auth/login", {"email": "api.user@example.com", "password": "api password 1"},
              who=None)
    assert r.status == 200, r
    me = w.req("GET", "/api/v1/me", who=None, token=r.json["token"])
    assert me.json == {"email": "api.user@example.com", "role": "agent"}, me
    assert_error(w.req("POST", "/api/v1/auth/login", {"email": "api.user@example.com", "password": "api password"},
                       who=None), 401, "login_failed")


def test_sigterm_during_slow_requests_stops_cleanly():
    w = World(password_user=True)
    email, pw = PASSWORD_USER
    out = []
    started = threading.Barrier(5)

    def login():
        started.wait()
        try:
            out.append(w.req("POST", "/api/v1/auth/login", {"email": email, "password": pw}, who=None).status)
        except (OSError, http.client.HTTPException) as e:
            out.append(type(e).__name__)
    threads = [threading.Thread(target=login) for _ in range(4)]
    for th in threads:
        th.start()
    started.wait()
    problems = w.close()
    for th in threads:
        th.join(120)
    assert not problems, "; ".join(problems)
    assert len(out) == 4 and all(s in (200, 503) or isinstance(s, str) for s in out), out
