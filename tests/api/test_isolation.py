"""Tenant isolation and roles. Users granted only client BETA must not learn
anything about client ACME's tickets on any route: each ticket route (taken
from the OpenAPI document) answers 404 not_found for ACME's ticket with exactly
the body of a missing ticket, and changes nothing; lists and search never
show ACME's tickets. Client viewers cannot write and do not see internal
notes; agents and managers cannot create clients or users."""
import json

from harness import assert_error, cli

TICKETS = "/api/v1/tickets"
MISSING = "INC9999999"
SECRET = "Zebrafischgeheimnis"   # a word only in ACME's ticket
NOTE_SECRET = "Notizgeheimnis"   # a word only in an internal note

# A valid request for every ticket route, so that only visibility decides the answer.
SAMPLES = {
    ("GET", "/api/v1/tickets/{number}"): None,
    ("PATCH", "/api/v1/tickets/{number}"): {"title": "taken over"},
    ("POST", "/api/v1/tickets/{number}/transition"): {"state": "in_progress"},
    ("POST", "/api/v1/tickets/{number}/replies"): {"body": "hello"},
    ("POST", "/api/v1/tickets/{number}/notes"): {"body": "hello"},
    ("GET", "/api/v1/tickets/{number}/messages"): None,
    ("POST", "/api/v1/tickets/{number}/effort"): {"minutes": 5},
    ("GET", "/api/v1/tickets/{number}/effort"): None,
    ("POST", "/api/v1/tickets/{number}/links"): {"kind": "duplicate_of", "target": "@other"},
    ("GET", "/api/v1/tickets/{number}/links"): None,
    ("GET", "/api/v1/tickets/{number}/history"): None,
    ("GET", "/api/v1/tickets/{number}/sla"): None,
    ("POST", "/api/v1/tickets/{number}/sla/repair"): None,
}
WRITE_ROUTES = [k for k in SAMPLES if k[0] != "GET"]


def openapi_routes(w):
    doc = w.req("GET", "/api/v1/openapi.json", who=None).json
    return [(m.upper(), p) for p, item in doc["paths"].items() for m in item]


def setup_secret_ticket(w):
    """ACME's ticket with a reply, a note, effort and a link; returns (ticket, other ACME ticket)."""
    if "secret" in w.cache:
        return w.cache["secret"]
    other = w.create_ticket(title="ACME other", type="problem")
    t = w.create_ticket(title="ACME " + SECRET, description="Beschreibung " + SECRET)
    n = t["number"]
    assert w.req("POST", TICKETS + "/%s/replies" % n, {"body": "public " + SECRET}).status == 201
    assert w.req("POST", TICKETS + "/%s/notes" % n, {"body": "internal " + NOTE_SECRET}).status == 201
    assert w.req("POST", TICKETS + "/%s/effort" % n, {"minutes": 15}).status == 201
    assert w.req("POST", TICKETS + "/%s/links" % n, {"kind": "caused_by", "target": other["number"]}).status == 201
    w.cache["secret"] = (w.get_ticket(n), other)
    return w.cache["secret"]


def snapshot(w, number):
    """Everything the admin sees of a ticket."""
    base = TICKETS + "/" + number
    return [w.get_ticket(number)] + [w.req("GET", base + s).json for s in
                                      ("/messages", "/effort", "/links", "/history")]


def test_every_ticket_route_hides_other_clients_tickets_exactly_like_missing_ones(w):
    t, other = setup_secret_ticket(w)
    beta_own = w.create_ticket(client="BETA", title="beta own")
    routes = [r for r in openapi_routes(w) if "{number}" in r[1]]
    unknown = [r for r in routes if r not in SAMPLES]
    assert not unknown, "ticket routes without a sample request (extend SAMPLES): %s" % unknown
    assert len(routes) == len(SAMPLES), "routes missing from the OpenAPI document: %s" % (
        set(SAMPLES) - set(routes))
    before = snapshot(w, t["number"])
    failures = []
    for who in ("agent_b", "manager_b", "viewer_b"):
        for method, pattern in routes:
            body = SAMPLES[(method, pattern)]
            if body and body.get("target") == "@other":
                body = dict(body, target=beta_own["number"])
            answers = {}
            for label, number in (("hidden", t["number"]), ("missing", MISSING)):
                hdrs = {"If-Match": '"%d"' % t["version"]} if method == "PATCH" else None
                r = w.req(method, pattern.replace("{number}", number), body, who=who, headers=hdrs)
                answers[label] = r
            hid, mis = answers["hidden"], answers["missing"]
            where = "%s %s %s" % (who, method, pattern)
            try:
                if who == "viewer_b" and method != "GET" or (who == "viewer_b" and pattern.endswith("/effort")) \
                        or (who == "agent_b" and pattern.endswith("/sla/repair")):  # managers and admins only
                    assert_error(hid, 403, "forbidden")
                else:
                    assert_error(hid, 404, "not_found", "number")
                assert mis.status == hid.status, "missing answers %d, hidden %d" % (mis.status, hid.status)
                hb = hid.body.replace(t["number"].encode(), b"<N>")
                mb = mis.body.replace(MISSING.encode(), b"<N>")
                assert hb == mb, "bodies differ:\nhidden  %s\nmissing %s" % (hb, mb)
                hh = {k: v for k, v in hid.headers.items() if k != "date"}
                mh = {k: v for k, v in mis.headers.items() if k != "date"}
                assert hh == mh, "headers differ: %s vs %s" % (hh, mh)
                assert SECRET.encode() not in hid.body
            except AssertionError as ex:
                failures.append("%s: %s" % (where, ex))
    assert not failures, "\n".join(failures)
    assert snapshot(w, t["number"]) == before, "a hidden ticket was changed through another tenant's user"


def test_a_user_granted_both_clients_sees_both(w):
    t, _ = setup_secret_ticket(w)
    r = w.req("POST", "/api/v1/users", {"email": "both@example.com", "name": "Both", "role": "agent",
                                          "clients": ["ACME", "BETA"]})
    assert r.status == 201, r
    assert sorted(r.json["clients"]) == ["ACME", "BETA"], r
    token = cli("token", "create", "--db", w.db, "--email", "both@example.com", check=0).out.strip()
    b = w.create_ticket(client="BETA", title="for both", assignee="both@example.com")
    assert b["state"] == "assigned" and b["assignee"] == "both@example.com", b
    r = w.req("GET", TICKETS + "?limit=500", who=None, token=token)
    clients = {x["client"] for x in r.json["items"]}
    assert clients == {"ACME", "BETA"}, clients
    assert w.req("GET", TICKETS + "/" + t["number"], who=None, token=token).status == 200
    r = w.req("GET", "/api/v1/search?q=" + SECRET, who=None, token=token)
    assert [x["number"] for x in r.json["items"]] == [t["number"]], r


def test_lists_never_show_other_clients_tickets(w):
    t, other = setup_secret_ticket(w)
    beta = w.create_ticket(client="BETA", title="beta listed")
    for who in ("agent_b", "manager_b", "viewer_b"):
        for query in ("limit=500", "limit=3", "updated_since=2000-01-01T00:00:00Z&limit=4", "state=new",
                      "type=incident", "type=problem", "priority=5", "q=" + SECRET, "q=ACME", "q=ACME*",
                      "assignee=" + w.email["agent_a"], "team=L1"):
            items = w.list_all(query, who=who)
            clients = {x["client"] for x in items}
            assert clients <= {"BETA"}, "%s ?%s shows %s" % (who, query, clients)
        items = w.list_all("limit=500", who=who)
        assert beta["number"] in [x["number"] for x in items], "%s does not see its own client's ticket" % who
        for q in (SECRET, SECRET.lower(), SECRET[:6] + "*", "ACME", "Beschreibung"):
            r = w.req("GET", "/api/v1/search?q=" + q, who=who)
            assert r.status == 200 and r.json["items"] == [], "%s search %s: %r" % (who, q, r)
    for who in ("admin", "agent_a", "viewer_a"):
        r = w.req("GET", "/api/v1/search?q=" + SECRET, who=who)
        assert [x["number"] for x in r.json["items"]] == [t["number"]], "%s: %r" % (who, r)


def test_filtering_by_another_clients_code_fails_like_an_unknown_client(w):
    for who in ("agent_b", "viewer_b"):
        for path in (TICKETS + "?client=", "/api/v1/search?q=x&client="):
            hid = w.req("GET", path + "ACME", who=who)
            mis = w.req("GET", path + "NOPE", who=who)
            assert_error(hid, 400, "invalid_parameter", "client")
            assert hid.body.replace(b"ACME", b"<C>") == mis.body.replace(b"NOPE", b"<C>"), (hid, mis)
        assert w.req("GET", TICKETS + "?client=BETA", who=who).status == 200


def test_creating_a_ticket_for_another_client_fails_like_an_unknown_client(w):
    count = w.count_tickets()
    hid = w.req("POST", TICKETS, {"client": "ACME", "type": "incident", "title": "sneaky"}, who="agent_b")
    mis = w.req("POST", TICKETS, {"client": "NOPE", "type": "incident", "title": "sneaky"}, who="agent_b")
    assert_error(hid, 400, "invalid_field", "client")
    assert hid.body.replace(b"ACME", b"<C>") == mis.body.replace(b"NOPE", b"<C>"), (hid, mis)
    assert w.count_tickets() == count


def test_linking_to_another_clients_ticket_fails_like_a_missing_ticket(w):
    t, _ = setup_secret_ticket(w)
    own = w.create_ticket(client="BETA", title="beta link source")
    path = TICKETS + "/%s/links" % own["number"]
    hid = w.req("POST", path, {"kind": "duplicate_of", "target": t["number"]}, who="agent_b")
    mis = w.req("POST", path, {"kind": "duplicate_of", "target": MISSING}, who="agent_b")
    assert_error(hid, 400, "invalid_field", "target")
    assert hid.body.replace(t["number"].encode(), b"<N>") == mis.body.replace(MISSING.encode(), b"<N>")
    assert w.req("GET", path, who="agent_b").json["items"] == []


def test_clients_route_shows_only_granted_clients(w):
    for who, want in (("agent_b", ["BETA"]), ("viewer_a", ["ACME"]), ("manager_b", ["BETA"])):
        r = w.req("GET", "/api/v1/clients", who=who)
        assert r.status == 200 and [c["code"] for c in r.json["items"]] == want, (who, r)
        hid = w.req("GET", "/api/v1/clients/" + ("ACME" if want == ["BETA"] else "BETA"), who=who)
        mis = w.req("GET", "/api/v1/clients/NOPE", who=who)
        assert_error(hid, 404, "not_found", "client")
        assert hid.body.replace(b"ACME", b"<C>").replace(b"BETA", b"<C>") == mis.body.replace(b"NOPE", b"<C>")
        assert w.req("GET", "/api/v1/clients/" + want[0], who=who).status == 200
    codes = {c["code"] for c in w.req("GET", "/api/v1/clients").json["items"]}
    assert {"ACME", "BETA"} <= codes


def test_no_list_route_leaks_another_clients_ticket_data(w):
    t, other = setup_secret_ticket(w)
    failures = []
    for method, pattern in openapi_routes(w):
        if method != "GET" or "{" in pattern:
            continue
        path = pattern + ("?q=" + SECRET if pattern.endswith("/search") else "")
        for who in ("agent_b", "manager_b", "viewer_b"):
            r = w.req(method, path, who=None if pattern in ("/healthz", "/metrics") else who)
            if r.status == 403:
                continue
            for leak in (SECRET, NOTE_SECRET, t["number"], other["number"]):
                if leak.encode() in r.body:
                    failures.append("%s %s as %s shows %s" % (method, path, who, leak))
    assert not failures, "\n".join(failures)


# ---- client viewers ----

def test_client_viewer_cannot_write_anything(w):
    t = w.create_ticket(title="viewer target")
    before = snapshot(w, t["number"])
    # POST /api/v1/staffing and /api/v1/shift-plans only compute (POST for the body) and
    # are open to every role; so is ending one's own token (logout, token revocation)
    computing = ("/api/v1/auth/login", "/api/v1/staffing", "/api/v1/shift-plans", "/api/v1/auth/logout",
                 "/api/v1/auth/tokens/{id}")
    writes = [(m, p) for m, p in openapi_routes(w) if m != "GET" and p not in computing]
    assert len(writes) >= 10, writes
    for m, p in writes:
        body = SAMPLES.get((m, p), {"code": "X1", "name": "x", "email": "x@example.com", "role": "agent"})
        if body and body.get("target") == "@other":
            body = dict(body, target=t["number"])
        if p == TICKETS:
            body = {"client": "ACME", "type": "incident", "title": "by a viewer"}
        if m == "DELETE":
            body = None
        r = w.req(m, p.replace("{number}", t["number"]), body, who="viewer_a",
                  headers={"If-Match": '"%d"' % t["version"]})
        assert_error(r, 403, "forbidden")
    assert snapshot(w, t["number"]) == before


def test_client_viewer_reads_its_tickets_but_not_internal_notes(w):
    t = w.create_ticket(title="viewer reads")
    base = TICKETS + "/" + t["number"]
    assert w.req("POST", base + "/replies", {"body": "agent reply"}, who="agent_a").status == 201
    assert w.req("POST", base + "/notes", {"body": "internal " + NOTE_SECRET}, who="agent_a").status == 201
    assert w.req("POST", base + "/replies", {"body": "customer says hi", "author_kind": "customer",
                                             "author_name": "Eva"}, who="agent_a").status == 201
    r = w.req("GET", base, who="viewer_a")
    assert r.status == 200 and r.json["number"] == t["number"], r
    msgs = w.req("GET", base + "/messages", who="viewer_a")
    assert msgs.status == 200, msgs
    assert [m["kind"] for m in msgs.json["items"]] == ["reply", "reply"], msgs
    assert NOTE_SECRET.encode() not in msgs.body
    assert [m["body"] for m in msgs.json["items"]] == ["agent reply", "customer says hi"]
    agent = w.req("GET", base + "/messages", who="agent_a").json["items"]
    assert [m["kind"] for m in agent] == ["reply", "note", "reply"], agent
    hist = w.req("GET", base + "/history", who="viewer_a")
    assert hist.status == 200 and NOTE_SECRET.encode() not in hist.body, hist
    assert w.req("GET", base + "/links", who="viewer_a").status == 200
    assert_error(w.req("GET", base + "/effort", who="viewer_a"), 403, "forbidden")


# ---- roles ----

def test_agents_cannot_create_clients_users_or_teams(w):
    clients = w.req("GET", "/api/v1/clients").json
    teams = w.req("GET", "/api/v1/teams").json
    for who in ("agent_a", "agent_b"):
        assert_error(w.req("POST", "/api/v1/clients", {"code": "AGNT", "name": "x"}, who=who), 403, "forbidden")
        assert_error(w.req("POST", "/api/v1/users", {"email": "x@example.com", "name": "x", "role": "admin"},
                           who=who), 403, "forbidden")
        assert_error(w.req("POST", "/api/v1/teams", {"code": "AGT", "name": "x"}, who=who), 403, "forbidden")
        assert_error(w.req("GET", "/api/v1/users", who=who), 403, "forbidden")
    assert w.req("GET", "/api/v1/clients").json == clients
    assert w.req("GET", "/api/v1/teams").json == teams
    emails = [u["email"] for u in w.req("GET", "/api/v1/users").json["items"]]
    assert "x@example.com" not in emails


def test_managers_may_add_teams_but_not_clients_or_users(w):
    assert_error(w.req("POST", "/api/v1/clients", {"code": "MGR", "name": "x"}, who="manager_b"), 403,
                 "forbidden")
    assert_error(w.req("POST", "/api/v1/users", {"email": "m@example.com", "name": "x", "role": "admin"},
                       who="manager_b"), 403, "forbidden")
    r = w.req("POST", "/api/v1/teams", {"code": "MGRT", "name": "Manager team"}, who="manager_b")
    assert r.status == 201 and r.json["code"] == "MGRT", r
    assert w.req("GET", "/api/v1/users", who="manager_b").status == 200


def test_viewers_cannot_read_the_directory(w):
    for path in ("/api/v1/users", "/api/v1/teams"):
        assert_error(w.req("GET", path, who="viewer_a"), 403, "forbidden")


def test_admin_creates_clients_and_users_that_work(w):
    r = w.req("POST", "/api/v1/clients", {"code": "GAMMA", "name": "Gamma KG", "priority_matrix": "111222333"})
    assert r.status == 201 and r.json["code"] == "GAMMA" and r.json["priority_matrix"] == "111222333", r
    r = w.req("POST", "/api/v1/users", {"email": "g.viewer@example.com", "name": "G", "role": "client_viewer",
                                          "clients": ["GAMMA"]})
    assert r.status == 201 and r.json["clients"] == ["GAMMA"] and r.json["role"] == "client_viewer", r
    t = w.create_ticket(client="GAMMA", title="gamma matrix", impact=2, urgency=3)
    assert t["priority"] == 2, "GAMMA's matrix gives 2 for impact 2, urgency 3: %r" % t
    r = w.req("POST", "/api/v1/teams", {"code": "G2", "name": "Gamma team", "members": [w.email["agent_a"]]})
    assert r.status == 201, r
    assert "G2" in [x["code"] for x in w.req("GET", "/api/v1/teams").json["items"]]


def test_error_bodies_are_json_objects_with_code_and_message(w):
    r = w.req("GET", TICKETS + "/" + MISSING, who="agent_b")
    e = assert_error(r, 404, "not_found", "number")
    assert json.loads(r.body) == {"error": e}


def test_user_list_shows_a_manager_only_people_of_its_clients(w):
    r = w.req("GET", "/api/v1/users", who="manager_b")
    assert r.status == 200, r
    emails = {u["email"] for u in r.json["items"]}
    for seen in ("admin@example.com", "agent.b@example.com", "manager.b@example.com", "viewer.b@example.com"):
        assert seen in emails, (seen, emails)
    for hidden in ("agent.a@example.com", "viewer.a@example.com"):
        assert hidden not in emails, (hidden, emails)
    every = [u["email"] for u in w.req("GET", "/api/v1/users").json["items"]]
    assert "viewer.a@example.com" in every and "agent.a@example.com" in every, every


def test_client_viewer_history_leaves_out_notes_and_effort(w):
    t = w.create_ticket(title="history for viewers")
    base = TICKETS + "/" + t["number"]
    assert w.req("POST", base + "/notes", {"body": "internal"}, who="agent_a").status == 201
    assert w.req("POST", base + "/effort", {"minutes": 10}, who="agent_a").status == 201
    assert w.req("POST", base + "/replies", {"body": "public"}, who="agent_a").status == 201
    agent = [e["field"] for e in w.req("GET", base + "/history", who="agent_a").json["items"]]
    viewer = [e["field"] for e in w.req("GET", base + "/history", who="viewer_a").json["items"]]
    assert "note" in agent and "effort" in agent, agent
    assert viewer == [f for f in agent if f not in ("note", "effort")], (agent, viewer)
