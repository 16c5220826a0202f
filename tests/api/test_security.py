"""Security basics: headers on every answer, API token listing, revocation and
logout, browser sessions in an HttpOnly cookie with a CSRF token for writes,
account lockout after failed logins (stored: it survives a restart; an admin
unlocks), the per-address login limit, and a server log that never holds
personal data, passwords or tokens."""
import time

from harness import PASSWORD_USER, Server, World, assert_error, cli

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "cache-control": "no-store",
}


def make_world():
    return World(password_user=True)


def login(w, email, password, **extra):
    body = {"email": email, "password": password}
    body.update(extra)
    return w.req("POST", "/api/v1/auth/login", body, who=None)


def test_every_answer_carries_the_security_headers(w):
    t = w.create_ticket(title="headers")
    answers = [w.req("GET", "/healthz", who=None), w.req("GET", "/api/v1/openapi.json", who=None),
               w.req("GET", "/api/v1/tickets/" + t["number"]), w.req("GET", "/api/v1/nothing"),
               w.req("GET", "/api/v1/me", who=None), w.req("POST", "/api/v1/tickets", {"client": "ACME"}),
               w.req("GET", "/metrics", who=None)]
    for r in answers:
        for k, v in SECURITY_HEADERS.items():
            assert r.headers.get(k) == v, "%s missing or wrong on %r: %r" % (k, r, r.headers)
        assert "strict-transport-security" not in r.headers, r.headers
    # only when told that clients come through TLS
    srv = Server(w.db, w.dir, name="hsts", args=["--hsts"])
    try:
        r = srv.request("GET", "/healthz")
        assert r.headers.get("strict-transport-security") == "max-age=31536000", r.headers
    finally:
        srv.stop_checked()


def test_tokens_are_listed_revoked_and_logged_out(w):
    tok = cli("token", "create", "--db", w.db, "--email", w.email["agent_a"], "--name", "laptop", "--expires", "30d",
              check=0).out.strip()
    mine = w.req("GET", "/api/v1/auth/tokens", who=None, token=tok)
    assert mine.status == 200, mine
    items = mine.json["items"]
    assert {i["user"] for i in items} == {w.email["agent_a"]} and len(items) == 2, items
    laptop = items[0]
    assert laptop["name"] == "laptop" and laptop["revoked_at"] is None and laptop["expires_at"], laptop
    assert set(laptop) == {"id", "user", "name", "created_at", "expires_at", "revoked_at"}
    assert not any(tok in str(v) for v in laptop.values())
    # nobody else's token: missing to an agent, revocable by an admin
    theirs = w.req("GET", "/api/v1/auth/tokens", who="agent_b").json["items"][0]
    assert_error(w.req("DELETE", "/api/v1/auth/tokens/%d" % theirs["id"], who=None, token=tok), 404, "not_found",
                 "id")
    assert_error(w.req("DELETE", "/api/v1/auth/tokens/abc", who=None, token=tok), 404, "not_found", "id")
    everyone = w.req("GET", "/api/v1/auth/tokens").json["items"]
    assert {w.email["agent_a"], w.email["agent_b"], w.email["admin"]} <= {i["user"] for i in everyone}
    # revoking works at once, also on a thread that just cached the token
    for _ in range(4):
        assert w.req("GET", "/api/v1/me", who=None, token=tok).status == 200
    r = w.req("DELETE", "/api/v1/auth/tokens/%d" % laptop["id"], who=None, token=tok)
    assert r.status == 200 and r.json["revoked_at"], r
    for _ in range(4):
        assert_error(w.req("GET", "/api/v1/me", who=None, token=tok), 401, "unauthorized")
    assert w.req("GET", "/api/v1/me", who="agent_a").status == 200, "the other token still works"
    # logout revokes the token it is sent with
    tok2 = cli("token", "create", "--db", w.db, "--email", w.email["agent_a"], check=0).out.strip()
    r = w.req("POST", "/api/v1/auth/logout", who=None, token=tok2)
    assert r.status == 200 and r.json["revoked_at"], r
    assert_error(w.req("GET", "/api/v1/me", who=None, token=tok2), 401, "unauthorized")
    # the command line: list and revoke (a running server notices within a second)
    out = cli("token", "list", "--db", w.db, "--email", w.email["agent_a"], check=0).out
    assert "laptop" in out and "revoked" in out and tok not in out, out
    tok3 = cli("token", "create", "--db", w.db, "--email", w.email["agent_a"], "--name", "cli3", check=0).out.strip()
    ident = next(i["id"] for i in w.req("GET", "/api/v1/auth/tokens", who=None, token=tok3).json["items"]
                 if i["name"] == "cli3")
    cli("token", "revoke", "--db", w.db, "--id", str(ident), check=0)
    time.sleep(1.1)  # the per-thread token cache of another process's change: one second
    assert_error(w.req("GET", "/api/v1/me", who=None, token=tok3), 401, "unauthorized")
    assert cli("token", "create", "--db", w.db, "--email", w.email["agent_a"], "--expires", "3x").rc == 2
    perms = w.req("GET", "/api/v1/audit?kind=permission_change&limit=100").json["items"]
    assert sum(1 for e in perms if e["detail"].get("action") == "token_revoke") >= 3, perms


def test_a_session_cookie_needs_the_csrf_token_for_writes(w):
    email, pw = PASSWORD_USER
    r = login(w, email, pw, session=True)
    assert r.status == 200, r
    assert "token" not in r.json and r.json["token_type"] == "Cookie", r.json
    csrf = r.json["csrf_token"]
    cookie = r.headers["set-cookie"]
    name_value = cookie.split(";")[0]
    attrs = {a.strip().split("=")[0].lower() for a in cookie.split(";")[1:]}
    assert name_value.startswith("leitstand_session=lst_"), cookie
    assert {"httponly", "secure", "samesite", "path", "max-age"} <= attrs, cookie
    assert "SameSite=Strict" in cookie and "Path=/api" in cookie, cookie
    jar = {"Cookie": name_value}
    me = w.req("GET", "/api/v1/me", who=None, headers=jar)
    assert me.status == 200 and me.json["email"] == email, me
    body = {"client": "ACME", "type": "incident", "title": "from the browser"}
    assert_error(w.req("POST", "/api/v1/tickets", body, who=None, headers=jar), 403, "csrf_failed", "X-CSRF-Token")
    wrong = csrf[:-1] + ("A" if csrf[-1] != "A" else "B")
    assert_error(w.req("POST", "/api/v1/tickets", body, who=None, headers=dict(jar, **{"X-CSRF-Token": wrong})), 403,
                 "csrf_failed")
    r = w.req("POST", "/api/v1/tickets", body, who=None, headers=dict(jar, **{"X-CSRF-Token": csrf}))
    assert r.status == 201, r
    # a bearer token needs none
    assert w.req("POST", "/api/v1/tickets", body, who="agent_a").status == 201
    # logout ends the session and clears the cookie
    assert_error(w.req("POST", "/api/v1/auth/logout", who=None, headers=jar), 403, "csrf_failed")
    r = w.req("POST", "/api/v1/auth/logout", who=None, headers=dict(jar, **{"X-CSRF-Token": csrf}))
    assert r.status == 200 and "Max-Age=0" in r.headers.get("set-cookie", ""), r.headers
    assert_error(w.req("GET", "/api/v1/me", who=None, headers=jar), 401, "unauthorized")


def test_failed_logins_lock_the_account_across_a_restart_until_an_admin_unlocks(w):
    email, pw = PASSWORD_USER
    for i in range(5):
        assert_error(login(w, email, "wrong password %d" % i), 401, "login_failed")
    r = login(w, email, pw)
    assert_error(r, 429, "login_locked")
    assert 890 <= int(r.headers["retry-after"]) <= 900, r.headers
    # the lock is stored: a restart does not lift it
    w.server.stop_checked()
    w.start()
    r = login(w, email, pw)
    assert_error(r, 429, "login_locked")
    locked = w.req("GET", "/api/v1/audit?kind=login_locked&limit=10").json["items"]
    assert len(locked) >= 3 and all(e["subject"] == email for e in locked), locked
    assert locked[-1]["detail"]["scope"] == "account" and "locked_until" in locked[-1]["detail"]
    assert "wrong password" not in str(locked)
    out = cli("user", "unlock", "--db", w.db, "--email", email, check=0)
    assert "unlocked" in out.out, out
    assert login(w, email, pw).status == 200
    assert cli("user", "unlock", "--db", w.db, "--email", email).rc == 1


def test_the_server_log_holds_no_personal_data_passwords_or_tokens(w):
    email, pw = PASSWORD_USER
    secrets = ["Renate Rasmussen", "renate.rasmussen@kunde.example", "+49 170 5550123", pw, "falsches Passwort 9",
               email, w.tok["admin"], w.tok["agent_a"]]
    r = login(w, email, pw)
    assert r.status == 200
    secrets.append(r.json["token"])
    login(w, email, "falsches Passwort 9")
    login(w, "renate.rasmussen@kunde.example", "falsches Passwort 9")
    t = w.create_ticket(title="Rückruf", requester={"name": "Renate Rasmussen",
                                                    "email": "renate.rasmussen@kunde.example",
                                                    "phone": "+49 170 5550123"})
    n = t["number"]
    w.req("PATCH", "/api/v1/tickets/" + n, {"requester": {"email": "renate.rasmussen@kunde.example"}},
          headers={"If-Match": '"%d"' % t["version"]})
    w.req("POST", "/api/v1/tickets/%s/replies" % n, {"body": "Sehr geehrte Frau Rasmussen"}, who="agent_a")
    w.req("GET", "/api/v1/search?q=Rasmussen", who="agent_a")
    w.req("POST", "/api/v1/tickets", {"client": "ACME", "type": "incident", "title": "x",
                                      "requester": {"email": "renate.rasmussen@kunde.example bad"}})
    w.req("GET", "/api/v1/me", who=None, token="lst_" + "x" * 43)
    log = w.server.stderr()
    for s in secrets:
        assert s not in log, "the server log contains %r:\n%s" % (s, log[-2000:])
    assert "Rasmussen" not in log


def test_an_address_with_too_many_failed_logins_must_wait(w):
    # different emails: no account locks, the address does
    seen = []
    for i in range(25):
        r = login(w, "nobody%d@example.com" % i, "wrong password")
        seen.append(r.status)
        if r.status == 429:
            break
    assert seen[-1] == 429 and set(seen[:-1]) == {401} and len(seen) > 5, seen
    assert_error(r, 429, "login_locked")
    assert 1 <= int(r.headers["retry-after"]) <= 3, r.headers
    # the right password does not get through either, and its account is not touched
    email, pw = PASSWORD_USER
    assert_error(login(w, email, pw), 429, "login_locked")
    entries = w.req("GET", "/api/v1/audit?kind=login_locked&limit=50").json["items"]
    assert any(e["detail"].get("scope") == "address" for e in entries), entries
    # API tokens are not affected
    assert w.req("GET", "/api/v1/me", who="agent_a").status == 200
