"""Roles and the audit log. Every route of the OpenAPI document is called by every
role: a role outside the route's x-roles gets 403 forbidden, a role inside it never
does (another client's resource answers 404); dpo and auditor write nothing. Writes,
logins, permission changes and reads of requester details become chained audit
entries; GET /api/v1/audit shows each role only its clients' entries; the chain can
be re-verified from the documented format with hashlib alone; and `leitstand audit
verify` catches rows edited or deleted with the sqlite3 CLI."""
import hashlib
import json
import sqlite3
import os

from harness import assert_error, cli

EXTRA = {
    "dpo_a": ("dpo.a@example.com", "dpo", ["ACME"]),
    "auditor": ("auditor@example.com", "auditor", []),
    "auditor_b": ("auditor.b@example.com", "auditor", ["BETA"]),
    "vendor": ("vendor@example.com", "vendor_agent", []),
}
# routes every role may call about its own credentials: they change no business data
OWN_CREDENTIALS = {("post", "/api/v1/auth/logout"), ("delete", "/api/v1/auth/tokens/{id}")}
ROLE_OF = {"admin": "admin", "manager_b": "manager", "agent_a": "agent", "viewer_a": "client_viewer",
           "dpo_a": "dpo", "auditor": "auditor", "vendor": "vendor_agent"}


def setup_people(w):
    if "people" in w.cache:
        return
    cli("vendor", "add", "--db", w.db, "--code", "VEND", "--name", "Vendor GmbH", "--client", "ACME", check=0)
    for who, (email, role, clients) in EXTRA.items():
        args = ["user", "add", "--db", w.db, "--email", email, "--name", who, "--role", role]
        for c in clients:
            args += ["--client", c]
        if role == "vendor_agent":
            args += ["--vendor", "VEND"]
        cli(*args, check=0)
        w.tok[who] = cli("token", "create", "--db", w.db, "--email", email, check=0).out.strip()
        w.email[who] = email
    w.cache["people"] = True


def audit(w, who="admin", query=""):
    r = w.req("GET", "/api/v1/audit" + ("?" + query if query else ""), who=who)
    assert r.status == 200, "GET /api/v1/audit?%s as %s: %r" % (query, who, r)
    return r.json["items"]


def test_user_add_accepts_the_new_roles_and_refuses_bad_grants(w):
    setup_people(w)
    r = cli("user", "add", "--db", w.db, "--email", "d2@example.com", "--name", "x", "--role", "dpo")
    assert r.rc == 2 and "needs at least one --client" in r.err, r
    r = cli("user", "add", "--db", w.db, "--email", "v2@example.com", "--name", "x", "--role", "vendor_agent",
            "--client", "ACME")
    assert r.rc == 1 and "vendor_agent" in r.err, r
    for who in ("dpo_a", "auditor", "vendor"):
        me = w.req("GET", "/api/v1/me", who=who).json
        assert me["role"] == EXTRA[who][1], me


def test_every_route_refuses_roles_outside_its_x_roles_and_admits_the_others(w):
    setup_people(w)
    t = w.create_ticket(title="matrix", requester={"name": "Erika Muster", "email": "erika@acme.example"})
    doc = w.req("GET", "/api/v1/openapi.json", who=None).json
    subst = {"{number}": t["number"], "{client}": "ACME", "{code}": "nope", "{id}": "999999"}
    before = {who: len(audit(w, query="actor=%s&kind=api_write&limit=500" % w.email[who]))
              for who in ("dpo_a", "auditor")}
    failures, walked = [], 0
    for pattern, item in doc["paths"].items():
        for method, op in item.items():
            if not op.get("security"):
                continue
            if (method, pattern) == ("post", "/api/v1/auth/logout"):
                continue  # would end the caller's token for the rest of the walk (test_security covers it)
            assert "x-roles" in op, "%s %s has no x-roles" % (method, pattern)
            path = pattern
            for k, v in subst.items():
                path = path.replace(k, v)
            body = {} if method.upper() in ("POST", "PATCH") and "requestBody" in op else None
            for who, role in ROLE_OF.items():
                walked += 1
                r = w.req(method.upper(), path, body, who=who, headers={"If-Match": '"999"'})
                allowed = role in op["x-roles"]
                if not allowed and (r.status != 403 or r.json["error"]["code"] != "forbidden"):
                    failures.append("%s %s as %s: expected 403, got %d" % (method, pattern, role, r.status))
                if allowed and (r.status == 403 or r.status >= 500):
                    failures.append("%s %s as %s: allowed but got %d %s" % (method, pattern, role, r.status,
                                                                           r.body[:120]))
                if allowed and role == "vendor_agent" and "{number}" in pattern and \
                        r.status not in ((404,) if method == "get" else (400, 404)):
                    failures.append("%s %s as vendor_agent: sees a ticket (%d)" % (method, pattern, r.status))
    assert not failures, "\n".join(failures)
    assert walked > 300, walked
    # vendor scoping: the vendor_agent sees exactly the tickets assigned to its vendor
    handed = w.create_ticket(title="for the vendor", vendor="VEND")
    r = w.req("GET", "/api/v1/tickets/" + handed["number"], who="vendor")
    assert r.status == 200 and r.json["vendor"] == "VEND", r
    assert [x["number"] for x in w.req("GET", "/api/v1/tickets", who="vendor").json["items"]] == [handed["number"]]
    assert w.req("GET", "/api/v1/tickets/" + t["number"], who="vendor").status == 404
    assert w.req("POST", "/api/v1/tickets/%s/replies" % handed["number"], {"body": "on it"}, who="vendor").status \
        == 201
    assert w.req("POST", "/api/v1/tickets/%s/replies" % t["number"], {"body": "x"}, who="vendor").status == 404
    # the roles as documented: auditors read, never write (but may end their own tokens); a dpo
    # writes only data-subject and privacy records (routes tagged privacy)
    privacy_writes = 0
    for pattern, item in doc["paths"].items():
        for method, op in item.items():
            roles = op.get("x-roles", [])
            if method != "get" and pattern not in ("/api/v1/staffing", "/api/v1/shift-plans") and \
                    (method, pattern) not in OWN_CREDENTIALS:
                assert "auditor" not in roles, (method, pattern, roles)
                if "privacy" in op.get("tags", []) and "dpo" in roles:
                    privacy_writes += 1
                    assert "agent" not in roles or pattern.startswith("/api/v1/consents") or \
                        pattern.endswith("/consents"), (method, pattern, roles)
                else:
                    assert "dpo" not in roles, (method, pattern, roles)
    assert privacy_writes >= 3, privacy_writes
    assert "dpo" in doc["paths"]["/api/v1/audit"]["get"]["x-roles"]
    assert "auditor" in doc["paths"]["/api/v1/tickets/{number}"]["get"]["x-roles"]
    assert "agent" not in doc["paths"]["/api/v1/audit"]["get"]["x-roles"]
    after = len(audit(w, query="actor=%s&kind=api_write&limit=500" % w.email["auditor"]))
    assert after == before["auditor"], "the auditor wrote something: %d api_write entries" % (after - before["auditor"])
    privacy = ("/api/v1/persons", "/api/v1/privacy", "/api/v1/consents")
    for e in audit(w, query="actor=%s&kind=api_write&limit=500" % w.email["dpo_a"]):
        assert e["detail"]["route"].startswith(privacy), e
    # the walk changed nothing a vendor_agent sees: still only its vendor's ticket
    assert [x["number"] for x in w.req("GET", "/api/v1/tickets", who="vendor").json["items"]] == [handed["number"]]



def test_writes_logins_permission_changes_and_personal_reads_are_audited(w):
    setup_people(w)
    t = w.create_ticket(title="audited", requester={"name": "Max Muster", "email": "max@acme.example"})
    n = t["number"]
    w.get_ticket(n, who="agent_a")
    w.req("GET", "/api/v1/tickets?client=ACME&limit=5", who="agent_a")
    r = w.req("POST", "/api/v1/auth/login", {"email": "nobody@example.com", "password": "Geheimnis123!"}, who=None)
    assert r.status == 401
    items = audit(w, query="limit=50")
    kinds = [e["kind"] for e in items]
    assert "api_write" in kinds and "personal_data_read" in kinds and "login_failed" in kinds, kinds
    write = next(e for e in items if e["kind"] == "api_write" and e["subject"] == n)
    assert write["detail"]["route"] == "/api/v1/tickets" and write["detail"]["status"] == 201, write
    assert write["actor"] == "admin@example.com" and write["client_id"]
    write = next(e for e in items if e["kind"] == "api_write" and e["subject"] == n)
    reads = [e for e in items if e["kind"] == "personal_data_read" and e["actor"] == "agent.a@example.com"
             and e["id"] > write["id"]]
    # reads of one user waiting in the same flush share an entry ("requests", "reads")
    routes = set()
    for e in reads:
        routes |= {e["detail"]["request"]} if "request" in e["detail"] else set(e["detail"]["requests"])
    assert routes == {"GET /api/v1/tickets/{number}", "GET /api/v1/tickets"}, routes
    assert all(n in e["detail"]["tickets"] for e in reads), reads
    failed = next(e for e in items if e["kind"] == "login_failed")
    assert failed["subject"] == "nobody@example.com"
    blob = json.dumps(items)
    assert "Geheimnis123!" not in blob and "max@acme.example" not in blob
    perms = audit(w, query="kind=permission_change&limit=500")
    assert any(e["subject"] == "dpo.a@example.com" and e["detail"]["action"] == "user_add"
               and e["detail"]["role"] == "dpo" for e in perms), perms
    assert any(e["detail"]["action"] == "token_create" for e in perms)


def test_audit_api_shows_each_role_only_its_clients(w):
    setup_people(w)
    w.create_ticket(client="BETA", title="beta", requester={"name": "B", "email": "b@beta.example"})
    w.create_ticket(title="acme", requester={"name": "A", "email": "a@acme.example"})
    acme_id = {e["client_id"] for e in audit(w, query="client=ACME")} - {None}
    dpo = audit(w, "dpo_a", "limit=500")
    assert dpo and all(e["client_id"] in acme_id for e in dpo), dpo[:3]
    assert_error(w.req("GET", "/api/v1/audit?client=BETA", who="dpo_a"), 400, "invalid_parameter", "client")
    whole = audit(w, "auditor", "limit=500")
    assert any(e["client_id"] is None for e in whole)
    beta = audit(w, "auditor_b", "limit=500")
    assert beta and all(e["client_id"] is not None and e["client_id"] not in acme_id for e in beta)
    for who in ("agent_a", "manager_b", "viewer_a", "vendor"):
        assert_error(w.req("GET", "/api/v1/audit", who=who), 403, "forbidden")
    assert_error(w.req("GET", "/api/v1/audit?kind=nope", who="admin"), 400, "invalid_parameter", "kind")
    assert_error(w.req("GET", "/api/v1/audit?limit=0", who="admin"), 400, "invalid_parameter", "limit")
    assert_error(w.req("GET", "/api/v1/audit?from=yesterday", who="admin"), 400, "invalid_parameter", "from")
    # pagination walks the whole log newest first, once
    ids, cursor = [], None
    while True:
        page = w.req("GET", "/api/v1/audit?limit=7" + ("&cursor=" + cursor if cursor else ""), who="admin").json
        ids += [e["id"] for e in page["items"]]
        cursor = page["next"]
        if not cursor:
            break
    assert ids == sorted(ids, reverse=True) and len(ids) == len(set(ids)) and ids[-1] == 1


def field(b):
    return str(len(b)).encode() + b":" + b


def rehash(row):
    """The documented chain format (docs/privacy.md), independently."""
    id_, at, actor_id, email, kind, client_id, subject, detail, prev = row
    ser = b"".join(field(x) for x in [b"leitstand-audit-1", str(id_).encode(), str(at).encode(),
                                       str(actor_id).encode() if actor_id else b"", email.encode(),
                                       kind.encode(), str(client_id).encode() if client_id else b"",
                                       subject.encode(), detail.encode()])
    return hashlib.sha256(bytes.fromhex(prev) + ser).hexdigest()


def test_the_chain_verifies_with_a_script_and_the_cli(w):
    setup_people(w)
    r = cli("audit", "verify", "--db", w.db, check=0)
    assert r.out.startswith("ok ") and r.out.strip().endswith(" entries"), r
    n = int(r.out.split()[1])
    con = sqlite3.connect(w.db)
    rows = con.execute("SELECT id, at, actor_id, actor_email, kind, client_id, subject, detail, prev_hash, hash "
                       "FROM audit_log ORDER BY id").fetchall()
    con.close()
    assert len(rows) >= n > 10
    prev = "0" * 64
    for row in rows[:n]:
        assert row[8] == prev, row
        assert rehash(row[:9]) == row[9], row
        prev = row[9]


def tamper(w, tmp, sql):
    db = os.path.join(tmp, "copy%d.db" % len(os.listdir(tmp)))
    cli("backup", "--db", w.db, "--to", db, check=0)
    con = sqlite3.connect(db)
    con.executescript("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; "
                      "DROP TRIGGER audit_head_forward; " + sql)
    con.close()
    return cli("audit", "verify", "--db", db)


def test_verify_catches_rows_edited_or_deleted_in_the_file(w, tmp):
    setup_people(w)
    r = tamper(w, tmp, "UPDATE audit_log SET detail = '{\"route\":\"/nothing\"}' WHERE id = 5;")
    assert r.rc == 1 and "entry 5:" in r.out and "hash does not match" in r.out, r
    r = tamper(w, tmp, "UPDATE audit_log SET hash = printf('%064d', 7) WHERE id = 4;")
    assert r.rc == 1 and "entry 4:" in r.out, r
    r = tamper(w, tmp, "DELETE FROM audit_log WHERE id = 6;")
    assert r.rc == 1 and "entry 7:" in r.out and "entry 6 before it is missing" in r.out, r
    r = tamper(w, tmp, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log);")
    assert r.rc == 1 and "audit_head names entry" in r.out, r
    # recomputing the edited entry's hash does not help: the next entry's prev_hash breaks
    r = tamper(w, tmp, "UPDATE audit_log SET subject = 'forged' WHERE id = 3;")
    assert r.rc == 1 and "entry 3:" in r.out, r
