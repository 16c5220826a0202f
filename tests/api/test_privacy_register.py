"""Consent records and the register of data-subject requests (docs/privacy.md).

Consents: an agent records a consent a caller gives on the phone, it is withdrawn
once with its channel, the history shows both with who recorded them, giving it
again is a new record, the list of who may be contacted for a purpose shows exactly
the consents in force, persons of other clients are 404, validation names the field.
Register: deadlines one calendar month after receipt (hand-computed: 31 January,
29 February, 30 November, 31 December), back-dated letters, never in the future,
the overdue flag and filter, one extension before the first deadline to three
months after receipt, If-Match, reasons for a rejection, closed is final, role
refusals, the CLI, and no personal data in the audit log."""
import datetime
import json
import sqlite3
from zoneinfo import ZoneInfo

from harness import assert_error, assert_rfc3339_utc, cli

BERLIN = ZoneInfo("Europe/Berlin")
EXTRA = {
    "dpo_a": ("dpo.a@example.com", "dpo", ["ACME"]),
    "auditor": ("auditor@example.com", "auditor", []),
    "auditor_b": ("auditor.b@example.com", "auditor", ["BETA"]),
}
CONSENT = {"purpose": "newsletter", "channel": "phone", "text_version": "nl-2026-01",
           "wording": "Dürfen wir Ihnen unseren Newsletter senden?", "evidence": "Anruf 4711"}


def setup_people(w):
    if "people" in w.cache:
        return
    for who, (email, role, clients) in EXTRA.items():
        args = ["user", "add", "--db", w.db, "--email", email, "--name", who, "--role", role]
        for c in clients:
            args += ["--client", c]
        cli(*args, check=0)
        w.tok[who] = cli("token", "create", "--db", w.db, "--email", email, check=0).out.strip()
        w.email[who] = email
    w.cache["people"] = True


def person(w, name, email, client="ACME"):
    """Creates a ticket whose requester is the person and returns the person's id."""
    w.create_ticket(client=client, title="Anfrage von " + name, requester={"name": name, "email": email})
    r = w.req("GET", "/api/v1/persons?email=" + email)
    if r.status == 200 and r.json["items"]:
        return r.json["items"][0]["id"]
    con = sqlite3.connect(w.db)  # fallback while GET /api/v1/persons is not there
    try:
        return con.execute("SELECT max(id) FROM persons").fetchone()[0]
    finally:
        con.close()


def give(w, pid, who="agent_a", **fields):
    body = dict(CONSENT)
    body.update(fields)
    return w.req("POST", "/api/v1/persons/%d/consents" % pid, body, who=who)


def month_later(d, months):
    """The same date `months` calendar months after d, or that month's last day."""
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    last = (datetime.date(y + (m == 12), m % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(y, m, min(d.day, last))


def today_berlin():
    return datetime.datetime.now(BERLIN).date()


def register(w, who="dpo_a", **fields):
    body = {"client": "ACME", "kind": "access", "channel": "email"}
    body.update(fields)
    return w.req("POST", "/api/v1/privacy/requests", body, who=who)


def patch(w, rid, body, version, who="dpo_a"):
    return w.req("PATCH", "/api/v1/privacy/requests/%d" % rid, body, who=who,
                 headers={"If-Match": '"%d"' % version})


# ---- consents ----

def test_an_agent_records_a_consent_given_on_the_phone_with_its_history(w):
    setup_people(w)
    pid = person(w, "Erika Muster", "erika@acme.example")
    r = give(w, pid)
    assert r.status == 201, r
    c = r.json
    assert c["person"] == pid and c["client"] == "ACME" and c["purpose"] == "newsletter"
    assert c["state"] == "given" and c["channel"] == "phone" and c["text_version"] == "nl-2026-01"
    assert c["wording"] == CONSENT["wording"] and c["evidence"] == "Anruf 4711"
    assert c["recorded_by"] == w.email["agent_a"] and c["withdrawn_at"] is None
    assert c["person_pseudonym"].startswith("P-")
    assert_rfc3339_utc(c["given_at"], "given_at")
    assert [(h["action"], h["channel"], h["actor"]) for h in c["history"]] == \
        [("given", "phone", w.email["agent_a"])]
    assert r.headers.get("etag") == '"%d"' % c["version"]
    r = w.req("GET", "/api/v1/persons/%d/consents" % pid, who="agent_a")
    assert r.status == 200 and [x["id"] for x in r.json["items"]] == [c["id"]], r
    assert r.json["items"][0]["history"] == c["history"]
    # a consent given on paper last week is recorded with that time
    r = give(w, pid, purpose="survey", channel="letter", given_at="2026-01-15T10:00:00+01:00")
    assert r.status == 201 and r.json["given_at"] == "2026-01-15T09:00:00Z", r
    assert r.json["history"][0]["at"] == "2026-01-15T09:00:00Z"


def test_a_consent_is_withdrawn_once_and_given_again_as_a_new_record(w):
    setup_people(w)
    pid = person(w, "Max Mustermann", "max@acme.example")
    c = give(w, pid, purpose="call_recording").json
    assert_error(give(w, pid, purpose="call_recording"), 409, "conflict", "purpose")
    r = w.req("POST", "/api/v1/consents/%d/withdraw" % c["id"], {"channel": "email"}, who="agent_a")
    assert r.status == 200, r
    x = r.json
    assert x["state"] == "withdrawn" and x["withdrawn_channel"] == "email"
    assert x["withdrawn_by"] == w.email["agent_a"] and x["version"] == c["version"] + 1
    assert_rfc3339_utc(x["withdrawn_at"], "withdrawn_at")
    assert [(h["action"], h["channel"]) for h in x["history"]] == [("given", "phone"), ("withdrawn", "email")]
    assert_error(w.req("POST", "/api/v1/consents/%d/withdraw" % c["id"], {"channel": "email"}, who="agent_a"),
                 409, "conflict")
    again = give(w, pid, purpose="call_recording", channel="web")
    assert again.status == 201 and again.json["id"] != c["id"], again
    items = w.req("GET", "/api/v1/persons/%d/consents" % pid, who="agent_a").json["items"]
    assert [(i["id"], i["state"]) for i in items] == [(c["id"], "withdrawn"), (again.json["id"], "given")]
    # a withdrawal can be back-dated to when the letter came, not before the consent
    r = w.req("POST", "/api/v1/consents/%d/withdraw" % again.json["id"],
              {"channel": "letter", "at": "2020-01-01T00:00:00Z"}, who="agent_a")
    assert_error(r, 400, "invalid_field", "at")
    # the table refuses rewriting history even outside the server
    con = sqlite3.connect(w.db)
    try:
        for sql in ("UPDATE consent_events SET channel = 'web'", "DELETE FROM consent_events",
                    "UPDATE consents SET purpose = 'x'", "DELETE FROM consents"):
            try:
                con.execute(sql)
                raise AssertionError("the schema accepted: " + sql)
            except sqlite3.DatabaseError:
                pass
    finally:
        con.close()


def test_the_contact_list_shows_exactly_the_consents_in_force_for_a_purpose(w):
    setup_people(w)
    a = person(w, "Anna A", "anna@acme.example")
    b = person(w, "Bert B", "bert@acme.example")
    c = person(w, "Carl C", "carl@acme.example")
    beta = person(w, "Dora D", "dora@beta.example", client="BETA")
    ids = {}
    for pid in (a, b, c):
        ids[pid] = give(w, pid, purpose="promo").json["id"]
    give(w, a, purpose="other")
    w.req("POST", "/api/v1/consents/%d/withdraw" % ids[b], {"channel": "web"}, who="agent_a")
    assert give(w, beta, who="agent_b", purpose="promo").status == 201

    def listed(query, who="dpo_a"):
        r = w.req("GET", "/api/v1/consents?" + query, who=who)
        assert r.status == 200, r
        assert all("history" not in i for i in r.json["items"])
        return sorted(i["person"] for i in r.json["items"])

    assert listed("client=ACME&purpose=promo&state=given") == sorted([a, c])
    assert listed("client=ACME&purpose=promo&state=withdrawn") == [b]
    assert listed("purpose=promo") == sorted([a, b, c]), "a dpo of ACME sees ACME only"
    assert listed("purpose=promo&state=given", who="auditor") == sorted([a, c, beta])
    assert listed("purpose=promo&state=given&limit=1", who="admin") == [a]
    r = w.req("GET", "/api/v1/consents?purpose=promo&state=given&limit=1", who="admin")
    nxt = w.req("GET", "/api/v1/consents?purpose=promo&state=given&limit=5&cursor=" + r.json["next"])
    assert [i["person"] for i in nxt.json["items"]] == [c, beta], nxt
    assert_error(w.req("GET", "/api/v1/consents?client=BETA", who="dpo_a"), 400, "invalid_parameter", "client")
    assert_error(w.req("GET", "/api/v1/consents?state=maybe", who="dpo_a"), 400, "invalid_parameter", "state")
    assert_error(w.req("GET", "/api/v1/consents?purpose=Promo!", who="dpo_a"), 400, "invalid_parameter",
                 "purpose")
    for who in ("agent_a", "viewer_a", "manager_b"):
        assert_error(w.req("GET", "/api/v1/consents", who=who), 403, "forbidden")


def test_persons_and_consents_of_other_clients_are_not_found(w):
    setup_people(w)
    pid = person(w, "Eva Geheim", "eva@acme.example")
    cid = give(w, pid, purpose="hidden").json["id"]
    for who in ("agent_b", "manager_b"):
        assert_error(give(w, pid, who=who), 404, "not_found")
        assert_error(w.req("GET", "/api/v1/persons/%d/consents" % pid, who=who), 404, "not_found")
        assert_error(w.req("GET", "/api/v1/consents/%d" % cid, who=who), 404, "not_found")
        assert_error(w.req("POST", "/api/v1/consents/%d/withdraw" % cid, {"channel": "web"}, who=who),
                     404, "not_found")
    assert_error(give(w, 999999), 404, "not_found")
    assert_error(w.req("GET", "/api/v1/persons/999999/consents", who="agent_a"), 404, "not_found")
    # recording needs ticket write: not a client viewer, nor (by design) a dpo or auditor
    for who in ("viewer_a", "dpo_a", "auditor"):
        assert_error(give(w, pid, who=who), 403, "forbidden")
    assert w.req("GET", "/api/v1/consents/%d" % cid, who="dpo_a").status == 200
    assert w.req("GET", "/api/v1/persons/%d/consents" % pid, who="viewer_a").status == 200


def test_consent_validation_names_the_field(w):
    setup_people(w)
    pid = person(w, "Vera Valid", "vera@acme.example")
    cases = [
        ({"purpose": None}, 400, "missing_field", "purpose"),
        ({"purpose": "News Letter"}, 400, "invalid_field", "purpose"),
        ({"purpose": "x" * 41}, 400, "invalid_field", "purpose"),
        ({"channel": "fax"}, 400, "invalid_field", "channel"),
        ({"text_version": None}, 400, "missing_field", "text_version"),
        ({"text_version": "v\u0001"}, 400, "invalid_field", "text_version"),
        ({"given_at": "2099-01-01T00:00:00Z"}, 400, "invalid_field", "given_at"),
        ({"given_at": "gestern"}, 400, "invalid_field", "given_at"),
        ({"evidence": "x" * 201}, 400, "invalid_field", "evidence"),
        ({"name": "Vera"}, 400, "unknown_field", "name"),
    ]
    for change, status, code, field in cases:
        body = dict(CONSENT, purpose="valid")
        for k, v in change.items():
            if v is None:
                body.pop(k)
            else:
                body[k] = v
        r = w.req("POST", "/api/v1/persons/%d/consents" % pid, body, who="agent_a")
        assert_error(r, status, code, field)
    cid = give(w, pid, purpose="valid").json["id"]
    assert_error(w.req("POST", "/api/v1/consents/%d/withdraw" % cid, {}, who="agent_a"), 400, "missing_field",
                 "channel")
    assert_error(w.req("POST", "/api/v1/consents/%d/withdraw" % cid, {"channel": "pigeon"}, who="agent_a"), 400,
                 "invalid_field", "channel")
    assert_error(w.req("POST", "/api/v1/consents/%d/withdraw" % cid, {"channel": "web", "at": "2099-01-01"},
                       who="agent_a"), 400, "invalid_field", "at")


# ---- the register ----

def test_deadlines_are_one_calendar_month_after_receipt(w):
    setup_people(w)
    # hand-computed: 31 Jan -> 28/29 Feb, 29 Feb -> 29 Mar, 30 Nov -> 30 Dec, 31 Dec -> 31 Jan
    cases = [("2025-01-31T10:00:00+01:00", "2025-02-28", "2025-02-28T22:59:59Z"),
             ("2024-01-31T10:00:00+01:00", "2024-02-29", "2024-02-29T22:59:59Z"),
             ("2024-02-29T10:00:00+01:00", "2024-03-29", "2024-03-29T22:59:59Z"),
             ("2025-11-30T10:00:00+01:00", "2025-12-30", "2025-12-30T22:59:59Z"),
             ("2025-12-31T10:00:00+01:00", "2026-01-31", "2026-01-31T22:59:59Z"),
             ("2025-05-31T23:30:00Z", "2025-07-01", "2025-07-01T21:59:59Z")]  # 1 June in Berlin
    for received, due_date, due_at in cases:
        r = register(w, channel="letter", received_at=received, reference="Brief " + received[:10])
        assert r.status == 201, r
        q = r.json
        assert (q["due_date"], q["due_at"], q["deadline"]) == (due_date, due_at, due_date), (received, q)
        assert q["state"] == "open" and q["overdue"] is True and q["late"] is False
        expected_left = (datetime.date.fromisoformat(due_date) - today_berlin()).days
        assert q["days_left"] == expected_left, (q["days_left"], expected_left)
        assert [h["action"] for h in q["history"]] == ["received"]
        assert q["created_by"] == w.email["dpo_a"]
    r = register(w)  # received now
    q = r.json
    due = month_later(today_berlin(), 1)
    assert q["due_date"] == due.isoformat() and q["overdue"] is False, q
    assert q["days_left"] == (due - today_berlin()).days and 28 <= q["days_left"] <= 31
    assert_error(register(w, received_at="2099-01-01T00:00:00Z"), 400, "invalid_field", "received_at")
    assert_error(register(w, received_at="2017-01-01T00:00:00Z"), 400, "invalid_field", "received_at")
    assert_error(register(w, received_at="letzte Woche"), 400, "invalid_field", "received_at")
    assert_error(register(w, kind="deletion"), 400, "invalid_field", "kind")
    assert_error(register(w, channel="fax"), 400, "invalid_field", "channel")
    assert_error(register(w, client="BETA"), 400, "invalid_field", "client")
    assert_error(register(w, person=999999), 400, "invalid_field", "person")
    assert_error(w.req("POST", "/api/v1/privacy/requests", {"client": "ACME", "channel": "web"}, who="dpo_a"),
                 400, "missing_field", "kind")


def test_the_overdue_filter_lists_open_requests_past_their_deadline(w):
    setup_people(w)
    old = register(w, received_at="2025-03-03T09:00:00Z", reference="overdue-test").json
    fresh = register(w, reference="overdue-test").json
    items = w.list_all("overdue=true&client=ACME&limit=2", who="dpo_a", path="/api/v1/privacy/requests")
    ids = [i["id"] for i in items]
    assert old["id"] in ids and fresh["id"] not in ids
    assert all(i["overdue"] and i["state"] in ("open", "in_progress") and i["days_left"] < 0 for i in items)
    deadlines = [(i["deadline"], i["id"]) for i in items]
    assert deadlines == sorted(deadlines), "soonest deadline first"
    for i in items:
        assert_rfc3339_utc(i["due_at"], "due_at")
        assert "history" not in i
    r = patch(w, old["id"], {"state": "done", "outcome": "Auskunft versandt"}, old["version"])
    assert r.status == 200 and r.json["state"] == "done" and r.json["late"] is True and not r.json["overdue"], r
    items = w.list_all("overdue=true", who="dpo_a", path="/api/v1/privacy/requests")
    assert old["id"] not in [i["id"] for i in items]
    done = w.list_all("state=done", who="dpo_a", path="/api/v1/privacy/requests")
    assert old["id"] in [i["id"] for i in done]
    assert_error(w.req("GET", "/api/v1/privacy/requests?overdue=yes", who="dpo_a"), 400, "invalid_parameter",
                 "overdue")
    assert_error(w.req("GET", "/api/v1/privacy/requests?state=closed", who="dpo_a"), 400, "invalid_parameter",
                 "state")
    assert_error(w.req("GET", "/api/v1/privacy/requests?cursor=x", who="dpo_a"), 400, "invalid_cursor", "cursor")


def test_an_extension_is_granted_once_before_the_first_deadline(w):
    setup_people(w)
    q = register(w, kind="portability").json
    r = patch(w, q["id"], {"extension_reason": "Export aus drei Archivsystemen"}, q["version"])
    assert r.status == 200, r
    x = r.json
    expected = month_later(today_berlin(), 3)
    assert x["extended_date"] == expected.isoformat() and x["deadline"] == expected.isoformat(), x
    assert x["due_date"] == q["due_date"], "the first deadline stays on record"
    assert x["extension_reason"] == "Export aus drei Archivsystemen"
    assert x["days_left"] == (expected - today_berlin()).days
    assert [h["action"] for h in x["history"]] == ["received", "extended"]
    assert x["history"][1]["from"] == q["due_date"] and x["history"][1]["to"] == expected.isoformat()
    assert_error(patch(w, q["id"], {"extension_reason": "noch einmal"}, x["version"]), 409, "conflict",
                 "extension_reason")
    late = register(w, received_at="2025-06-01T09:00:00Z").json
    assert_error(patch(w, late["id"], {"extension_reason": "zu spät"}, late["version"]), 409, "conflict",
                 "extension_reason")
    assert_error(patch(w, late["id"], {"extension_reason": ""}, late["version"]), 400, "invalid_field",
                 "extension_reason")


def test_changes_need_if_match_and_a_closed_request_is_final(w):
    setup_people(w)
    pid = person(w, "Rita Request", "rita@acme.example")
    other = person(w, "Otto Other", "otto@beta.example", client="BETA")
    q = register(w, kind="erasure").json
    r = w.req("PATCH", "/api/v1/privacy/requests/%d" % q["id"], {"state": "in_progress"}, who="dpo_a")
    assert_error(r, 428, "precondition_required")
    assert_error(patch(w, q["id"], {"state": "in_progress"}, q["version"] + 5), 412, "version_mismatch")
    assert_error(patch(w, q["id"], {"person": other}, q["version"]), 400, "invalid_field", "person")
    assert_error(patch(w, q["id"], {"state": "closed"}, q["version"]), 400, "invalid_field", "state")
    assert_error(patch(w, q["id"], {"received_at": "2025-01-01T00:00:00Z"}, q["version"]), 400, "invalid_field",
                 "received_at")
    r = patch(w, q["id"], {"state": "in_progress", "person": pid}, q["version"])
    assert r.status == 200 and r.json["person"] == pid and r.json["state"] == "in_progress", r
    x = r.json
    assert_error(patch(w, q["id"], {"state": "rejected"}, x["version"]), 400, "missing_field", "outcome")
    assert_error(patch(w, q["id"], {"outcome": "noch offen"}, x["version"]), 400, "invalid_field", "outcome")
    r = patch(w, q["id"], {"state": "rejected", "outcome": "Identität nicht nachgewiesen (Art. 12(6))"},
              x["version"])
    assert r.status == 200 and r.json["state"] == "rejected", r
    x = r.json
    assert_rfc3339_utc(x["completed_at"], "completed_at")
    assert [h["action"] for h in x["history"]] == ["received", "state", "person", "state"]
    assert_error(patch(w, q["id"], {"state": "open"}, x["version"]), 409, "conflict", "state")
    got = w.req("GET", "/api/v1/privacy/requests/%d" % q["id"], who="auditor")
    assert got.status == 200 and got.json == x and got.headers.get("etag") == '"%d"' % x["version"]
    mine = w.list_all("person=%d" % pid, who="dpo_a", path="/api/v1/privacy/requests")
    assert [i["id"] for i in mine] == [q["id"]]


def test_the_register_belongs_to_privacy_roles_and_their_clients(w):
    setup_people(w)
    beta = w.req("POST", "/api/v1/privacy/requests", {"client": "BETA", "kind": "objection", "channel": "web"})
    assert beta.status == 201, beta
    bid = beta.json["id"]
    assert_error(w.req("GET", "/api/v1/privacy/requests/%d" % bid, who="dpo_a"), 404, "not_found")
    assert_error(patch(w, bid, {"state": "in_progress"}, 1), 404, "not_found")
    assert bid not in [i["id"] for i in w.list_all("", who="dpo_a", path="/api/v1/privacy/requests")]
    assert bid in [i["id"] for i in w.list_all("", who="auditor", path="/api/v1/privacy/requests")]
    assert w.req("GET", "/api/v1/privacy/requests/%d" % bid, who="auditor_b").status == 200
    for who in ("agent_a", "manager_b", "viewer_a"):
        assert_error(register(w, who=who), 403, "forbidden")
        assert_error(w.req("GET", "/api/v1/privacy/requests", who=who), 403, "forbidden")
        assert_error(w.req("GET", "/api/v1/privacy/requests/%d" % bid, who=who), 403, "forbidden")
    for who in ("auditor", "auditor_b"):
        assert_error(register(w, who=who), 403, "forbidden")
        assert_error(patch(w, bid, {"state": "in_progress"}, 1, who=who), 403, "forbidden")
    assert_error(w.req("GET", "/api/v1/privacy/requests/abc", who="dpo_a"), 404, "not_found")


def test_the_cli_registers_lists_shows_and_closes_requests(w):
    setup_people(w)
    r = cli("privacy", "requests", "--help", check=0)
    assert "requests add" in r.out and "one calendar month" in r.out
    r = cli("privacy", "requests", "add", "--db", w.db, "--client", "ACME", "--kind", "rectification",
            "--channel", "letter", "--received", "2024-01-31", "--reference", "CLI-1", check=0)
    assert "due 2024-02-29" in r.out, r
    rid = int(r.out.split()[2])
    r = cli("privacy", "requests", "list", "--db", w.db, "--overdue", "--format", "json", check=0)
    items = json.loads(r.out)
    assert rid in [i["id"] for i in items] and all(i["overdue"] for i in items), items
    r = cli("privacy", "requests", "show", str(rid), "--db", w.db, check=0)
    assert "2024-02-29" in r.out and "received" in r.out and "OVERDUE" in r.out, r
    r = cli("privacy", "requests", "close", str(rid), "--db", w.db, "--outcome", "Anschrift berichtigt", check=0)
    assert "closed request %d as done" % rid in r.out
    r = cli("privacy", "requests", "close", str(rid), "--db", w.db, check=1)
    assert "done already" in r.err, r
    r = cli("privacy", "requests", "close", "999999", "--db", w.db, check=1)
    r = cli("privacy", "requests", "add", "--db", w.db, "--client", "ACME", check=2)
    r = cli("privacy", "requests", "close", str(rid), "--db", w.db, "--reject", check=2)
    got = w.req("GET", "/api/v1/privacy/requests/%d" % rid, who="dpo_a").json
    assert got["state"] == "done" and got["late"] is True and got["outcome"] == "Anschrift berichtigt"
    assert [h["actor"] for h in got["history"]] == ["system", "system"]


def test_privacy_writes_are_audited_without_personal_data(w):
    setup_people(w)
    pid = person(w, "Paula Privat", "paula.privat@acme.example")
    cid = give(w, pid, purpose="audited").json["id"]
    w.req("POST", "/api/v1/consents/%d/withdraw" % cid, {"channel": "web"}, who="agent_a")
    q = register(w, person=pid).json
    patch(w, q["id"], {"state": "done"}, q["version"])
    r = w.req("GET", "/api/v1/audit?kind=privacy&limit=500", who="admin")
    assert r.status == 200, r
    actions = [e["detail"].get("action") for e in r.json["items"]]
    for a in ("consent_given", "consent_withdrawn", "dsr_received", "dsr_completed"):
        assert a in actions, (a, actions)
    writes = w.req("GET", "/api/v1/audit?kind=api_write&limit=500", who="dpo_a").json["items"]
    routes = [e["detail"]["route"] for e in writes]
    assert "/api/v1/persons/{id}/consents" in routes and "/api/v1/privacy/requests" in routes, routes
    everything = json.dumps(w.req("GET", "/api/v1/audit?limit=500", who="admin").json)
    assert "paula.privat@acme.example" not in everything and "Paula Privat" not in everything
