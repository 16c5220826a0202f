"""Request validation: every malformed body, field, query parameter and cursor
is refused with a 4xx error {"error":{"code","message","detail":{"field"}}}
naming the field, and nothing is stored (counts, versions and the ticket
number sequence are unchanged afterwards)."""
import base64
import json

from harness import assert_error

TICKETS = "/api/v1/tickets"
BASE = {"client": "ACME", "type": "incident", "title": "Valid title"}


def with_(**kw):
    b = dict(BASE)
    b.update(kw)
    return b


def without(key):
    b = dict(BASE)
    del b[key]
    return b


def raw(obj):
    return json.dumps(obj).encode()


# (what, body as bytes, status, code, field or None when the body as a whole is wrong)
CREATE_CASES = [
    ("malformed JSON", b'{"client": "ACME", "type":', 400, "invalid_json", None),
    ("trailing garbage", raw(BASE) + b" x", 400, "invalid_json", None),
    ("single quotes", b"{'client': 'ACME'}", 400, "invalid_json", None),
    ("empty body", b"", 400, "invalid_json", None),
    ("whitespace body", b"   \n", 400, "invalid_json", None),
    ("array body", raw([BASE]), 400, "invalid_json", None),
    ("string body", b'"ticket"', 400, "invalid_json", None),
    ("number body", b"42", 400, "invalid_json", None),
    ("null body", b"null", 400, "invalid_json", None),
    ("duplicate keys", b'{"client":"ACME","client":"BETA","type":"incident","title":"t"}', 400,
     "invalid_json", None),
    ("raw NUL byte in the body", raw(BASE)[:-1] + b',"description":"a\x00b"}', 400, "invalid_json", None),
    ("invalid UTF-8 in a string", b'{"client":"ACME","type":"incident","title":"\xff\xfe"}', 400,
     "invalid_json", None),
    ("nesting beyond any limit", b'{"requester":' + b"[" * 100000 + b"]" * 100000 + b"}", 400, "invalid_json",
     None),
    ("unknown top-level field", raw(with_(colour="red")), 400, "unknown_field", "colour"),
    ("unknown field inside requester", raw(with_(requester={"name": "Eva", "fax": "1"})), 400, "unknown_field",
     "requester.fax"),
    ("title of the wrong type", raw(with_(title=5)), 400, "invalid_field", "title"),
    ("client of the wrong type", raw(with_(client=1)), 400, "invalid_field", "client"),
    ("type of the wrong type", raw(with_(type=["incident"])), 400, "invalid_field", "type"),
    ("description of the wrong type", raw(with_(description={"text": "x"})), 400, "invalid_field",
     "description"),
    ("impact as a string", raw(with_(impact="2")), 400, "invalid_field", "impact"),
    ("impact as a fraction", raw(with_(impact=2.5)), 400, "invalid_field", "impact"),
    ("impact as a boolean", raw(with_(impact=True)), 400, "invalid_field", "impact"),
    ("urgency null", raw(with_(urgency=None)), 400, "invalid_field", "urgency"),
    ("category as a number", raw(with_(category=5)), 400, "invalid_field", "category"),
    ("channel as a number", raw(with_(channel=1)), 400, "invalid_field", "channel"),
    ("requester as a string", raw(with_(requester="Eva")), 400, "invalid_field", "requester"),
    ("requester.name as a number", raw(with_(requester={"name": 5})), 400, "invalid_field", "requester.name"),
    ("requester.email as a list", raw(with_(requester={"email": ["a@b.c"]})), 400, "invalid_field",
     "requester.email"),
    ("team as a number", raw(with_(team=1)), 400, "invalid_field", "team"),
    ("assignee as a boolean", raw(with_(assignee=True)), 400, "invalid_field", "assignee"),
    ("tags as a string", raw(with_(tags="vpn")), 400, "invalid_field", "tags"),
    ("tags holding a number", raw(with_(tags=["vpn", 1])), 400, "invalid_field", "tags"),
    ("tags holding null", raw(with_(tags=[None])), 400, "invalid_field", "tags"),
    ("impact 0", raw(with_(impact=0)), 400, "invalid_field", "impact"),
    ("impact 4", raw(with_(impact=4)), 400, "invalid_field", "impact"),
    ("impact -1", raw(with_(impact=-1)), 400, "invalid_field", "impact"),
    ("impact 2^62", raw(with_(impact=2 ** 62)), 400, "invalid_field", "impact"),
    ("urgency 0", raw(with_(urgency=0)), 400, "invalid_field", "urgency"),
    ("urgency 4", raw(with_(urgency=4)), 400, "invalid_field", "urgency"),
    ("title of 301 bytes", raw(with_(title="x" * 301)), 400, "invalid_field", "title"),
    ("title of 151 umlauts (302 bytes)", raw(with_(title="ä" * 151)), 400, "invalid_field", "title"),
    ("client code of 33 bytes", raw(with_(client="A" * 33)), 400, "invalid_field", "client"),
    ("description over 256 KiB", raw(with_(description="d" * (256 * 1024 + 1))), 400, "invalid_field",
     "description"),
    ("category of 101 bytes", raw(with_(category="c" * 101)), 400, "invalid_field", "category"),
    ("requester.name of 201 bytes", raw(with_(requester={"name": "n" * 201})), 400, "invalid_field",
     "requester.name"),
    ("requester.email of 255 bytes", raw(with_(requester={"email": "e" * 243 + "@example.com"})), 400,
     "invalid_field", "requester.email"),
    ("requester.phone of 41 bytes", raw(with_(requester={"phone": "1" * 41})), 400, "invalid_field",
     "requester.phone"),
    ("a tag of 51 bytes", raw(with_(tags=["t" * 51])), 400, "invalid_field", "tags"),
    ("33 tags", raw(with_(tags=["t%d" % i for i in range(33)])), 400, "invalid_field", "tags"),
    ("an empty tag", raw(with_(tags=[""])), 400, "invalid_field", "tags"),
    ("a tag with a space", raw(with_(tags=["a b"])), 400, "invalid_field", "tags"),
    ("a tag with a comma", raw(with_(tags=["a,b"])), 400, "invalid_field", "tags"),
    ("NUL in the title", raw(with_(title="a\u0000b")), 400, "invalid_field", "title"),
    ("NUL in the description", raw(with_(description="a\u0000b")), 400, "invalid_field", "description"),
    ("NUL in requester.name", raw(with_(requester={"name": "Eva\u0000"})), 400, "invalid_field",
     "requester.name"),
    ("NUL in a tag", raw(with_(tags=["vpn\u0000x"])), 400, "invalid_field", "tags"),
    ("unknown type", raw(with_(type="bogus")), 400, "invalid_field", "type"),
    ("type in the wrong case", raw(with_(type="Incident")), 400, "invalid_field", "type"),
    ("unknown channel", raw(with_(channel="fax")), 400, "invalid_field", "channel"),
    ("client missing", raw(without("client")), 400, "missing_field", "client"),
    ("type missing", raw(without("type")), 400, "missing_field", "type"),
    ("title missing", raw(without("title")), 400, "missing_field", "title"),
    ("title empty", raw(with_(title="")), 400, "missing_field", "title"),
    ("client empty", raw(with_(client="")), 400, "missing_field", "client"),
    ("priority given", raw(with_(priority=1)), 400, "invalid_field", "priority"),
    ("state given", raw(with_(state="closed")), 400, "invalid_field", "state"),
    ("unknown client", raw(with_(client="NOPE")), 400, "invalid_field", "client"),
    ("unknown team", raw(with_(team="NOPE")), 400, "invalid_field", "team"),
    ("unknown assignee", raw(with_(assignee="nobody@example.com")), 400, "invalid_field", "assignee"),
    ("a client viewer as assignee", raw(with_(assignee="viewer.a@example.com")), 400, "invalid_field",
     "assignee"),
    ("an agent not granted the client as assignee", raw(with_(assignee="agent.b@example.com")), 400,
     "invalid_field", "assignee"),
    ("requester.email without @", raw(with_(requester={"email": "eva.example.com"})), 400, "invalid_field",
     "requester.email"),
]


def test_create_ticket_refuses_every_invalid_body_and_stores_nothing(w):
    first = w.create_ticket(title="before the invalid ones")
    count = w.count_tickets()
    failures = []
    for what, body, status, code, field in CREATE_CASES:
        r = w.req("POST", TICKETS, raw=body)
        try:
            assert_error(r, status, code, field, no_field=field is None)
        except AssertionError as ex:
            failures.append("%s: %s" % (what, ex))
    assert not failures, "\n".join(failures)
    assert w.count_tickets() == count, "an invalid request stored a ticket"
    after = w.create_ticket(title="after the invalid ones")
    assert int(after["number"][3:]) == int(first["number"][3:]) + 1, \
        "refused requests consumed ticket numbers: %s then %s" % (first["number"], after["number"])


def test_refused_fields_come_with_a_hint(w):
    for body, field in ((with_(priority=1), "priority"), (with_(state="closed"), "state")):
        e = assert_error(w.req("POST", TICKETS, body), 400, "invalid_field", field)
        assert e.get("hint"), "no hint for refused field %s: %r" % (field, e)


def test_boundary_values_are_accepted(w):
    t = w.create_ticket(title="x" * 300, description="d" * (256 * 1024), impact=1, urgency=3,
                        category="c" * 100, tags=["t%d" % i for i in range(32)],
                        requester={"name": "n" * 200, "email": "e" * 242 + "@example.com", "phone": "1" * 40})
    assert len(t["title"]) == 300 and len(t["description"]) == 256 * 1024 and len(t["tags"]) == 32
    t = w.create_ticket(title="ä" * 150)
    assert t["title"] == "ä" * 150


def test_body_of_exactly_one_mebibyte_is_accepted(w):
    body = raw(with_(title="exactly 1 MiB"))
    body += b" " * (1024 * 1024 - len(body))
    assert len(body) == 1024 * 1024
    r = w.req("POST", TICKETS, raw=body)
    assert r.status == 201, r


def test_oversized_body_is_413_body_too_large_and_stores_nothing(w):
    count = w.count_tickets()
    body = raw(with_(title="too big"))
    body += b" " * (1024 * 1024 + 1 - len(body))
    assert len(body) == 1024 * 1024 + 1
    assert_error(w.req("POST", TICKETS, raw=body), 413, "body_too_large")
    big = raw(with_(description="d" * (2 * 1024 * 1024)))
    assert_error(w.req("POST", TICKETS, raw=big), 413, "body_too_large")
    assert_error(w.req("POST", TICKETS, raw=big, chunked=True), 413, "body_too_large")
    assert_error(w.req("POST", TICKETS, raw=body, chunked=True), 413, "body_too_large")
    assert w.count_tickets() == count
    assert w.req("GET", "/healthz", who=None).status == 200


def test_chunked_body_within_the_limit_is_accepted(w):
    r = w.req("POST", TICKETS, raw=raw(with_(title="chunked", description="c" * 200000)), chunked=True)
    assert r.status == 201, r


def test_body_must_be_json(w):
    count = w.count_tickets()
    r = w.req("POST", TICKETS, raw=raw(BASE), headers={"Content-Type": "text/plain"})
    assert_error(r, 415, "unsupported_media_type")
    r = w.req("POST", TICKETS, raw=raw(BASE), headers={"Content-Type": "application/xml"})
    assert_error(r, 415, "unsupported_media_type")
    assert w.count_tickets() == count


def test_a_body_on_a_get_is_refused(w):
    assert_error(w.req("GET", TICKETS, raw=b'{"limit":1}'), 400, "invalid_json")


# ---- PATCH ----

def test_patch_refuses_every_invalid_body_and_changes_nothing(w):
    t = w.create_ticket(title="patch target")
    path = TICKETS + "/" + t["number"]
    im = {"If-Match": '"%d"' % t["version"]}
    cases = [
        ("malformed JSON", b'{"title":', "invalid_json", None),
        ("empty body", b"", "invalid_json", None),
        ("array body", b"[]", "invalid_json", None),
        ("unknown field", raw({"colour": "red"}), "unknown_field", "colour"),
        ("unknown field inside requester", raw({"requester": {"fax": "1"}}), "unknown_field", "requester.fax"),
        ("state", raw({"state": "closed"}), "invalid_field", "state"),
        ("priority", raw({"priority": 1}), "invalid_field", "priority"),
        ("client", raw({"client": "BETA"}), "invalid_field", "client"),
        ("type", raw({"type": "problem"}), "invalid_field", "type"),
        ("number", raw({"number": "INC0000099"}), "invalid_field", "number"),
        ("title of the wrong type", raw({"title": 1}), "invalid_field", "title"),
        ("impact as a string", raw({"impact": "1"}), "invalid_field", "impact"),
        ("tags as a string", raw({"tags": "x"}), "invalid_field", "tags"),
        ("impact 0", raw({"impact": 0}), "invalid_field", "impact"),
        ("impact 4", raw({"impact": 4}), "invalid_field", "impact"),
        ("urgency 0", raw({"urgency": 0}), "invalid_field", "urgency"),
        ("urgency 4", raw({"urgency": 4}), "invalid_field", "urgency"),
        ("title of 301 bytes", raw({"title": "x" * 301}), "invalid_field", "title"),
        ("category of 101 bytes", raw({"category": "c" * 101}), "invalid_field", "category"),
        ("NUL in the title", raw({"title": "a\u0000b"}), "invalid_field", "title"),
        ("unknown channel", raw({"channel": "fax"}), "invalid_field", "channel"),
        ("empty title", raw({"title": ""}), "missing_field", "title"),
        ("unknown team", raw({"team": "NOPE"}), "invalid_field", "team"),
        ("unknown assignee", raw({"assignee": "nobody@example.com"}), "invalid_field", "assignee"),
        ("bad requester email", raw({"requester": {"email": "no-at-sign"}}), "invalid_field", "requester.email"),
        ("version disagreeing with If-Match", raw({"title": "x", "version": t["version"] + 5}), "invalid_field",
         "version"),
    ]
    failures = []
    for what, body, code, field in cases:
        r = w.req("PATCH", path, raw=body, headers=im)
        try:
            e = assert_error(r, 400, code, field, no_field=field is None)
            if what in ("state", "priority", "client", "type", "number"):
                assert e.get("hint"), "refused field %s without hint" % what
        except AssertionError as ex:
            failures.append("%s: %s" % (what, ex))
    for what, value in (("garbage", "abc"), ("empty quotes", '""'), ("weak prefix only", "W/"),
                        ("negative", '"-1"'), ("zero", '"0"'), ("star", "*"), ("too long", '"' + "1" * 40 + '"')):
        r = w.req("PATCH", path, {"title": "x"}, headers={"If-Match": value})
        try:
            assert_error(r, 400, "invalid_parameter", "If-Match")
        except AssertionError as ex:
            failures.append("If-Match %s: %s" % (what, ex))
    r = w.req("PATCH", path, {"title": "x", "version": "1"})
    try:
        assert_error(r, 400, "invalid_field", "version")
    except AssertionError as ex:
        failures.append("version as a string: %s" % ex)
    assert not failures, "\n".join(failures)
    now = w.get_ticket(t["number"])
    assert now == t, "a refused PATCH changed the ticket:\n%s\n%s" % (t, now)
    h = w.req("GET", path + "/history").json["items"]
    assert [e["field"] for e in h] == ["created"], h


def test_transition_refuses_invalid_bodies(w):
    t = w.create_ticket(title="transition target")
    path = TICKETS + "/" + t["number"] + "/transition"
    cases = [
        (b"", "invalid_json", None),
        (b"[]", "invalid_json", None),
        (raw({}), "missing_field", "state"),
        (raw({"state": "bogus"}), "invalid_field", "state"),
        (raw({"state": "Resolved"}), "invalid_field", "state"),
        (raw({"state": 5}), "invalid_field", "state"),
        (raw({"state": "resolved", "reason": "x"}), "unknown_field", "reason"),
        (raw({"state": "resolved", "version": "1"}), "invalid_field", "version"),
        (raw({"state": "resolved", "version": 0}), "invalid_field", "version"),
        (raw({"state": "res\u0000olved"}), "invalid_field", "state"),
    ]
    failures = []
    for body, code, field in cases:
        try:
            assert_error(w.req("POST", path, raw=body), 400, code, field, no_field=field is None)
        except AssertionError as ex:
            failures.append("%r: %s" % (body[:60], ex))
    assert not failures, "\n".join(failures)
    assert w.get_ticket(t["number"]) == t


def test_replies_and_notes_refuse_invalid_bodies(w):
    t = w.create_ticket(title="message target")
    base = TICKETS + "/" + t["number"]
    cases = [
        ("replies", b"", "invalid_json", None),
        ("replies", b"{", "invalid_json", None),
        ("replies", raw({}), "missing_field", "body"),
        ("replies", raw({"body": ""}), "missing_field", "body"),
        ("replies", raw({"body": 5}), "invalid_field", "body"),
        ("replies", raw({"body": "b" * (256 * 1024 + 1)}), "invalid_field", "body"),
        ("replies", raw({"body": "a\u0000b"}), "invalid_field", "body"),
        ("replies", raw({"body": "hi", "author_kind": "system"}), "invalid_field", "author_kind"),
        ("replies", raw({"body": "hi", "author_kind": "robot"}), "invalid_field", "author_kind"),
        ("replies", raw({"body": "hi", "author_name": "n" * 201}), "invalid_field", "author_name"),
        ("replies", raw({"body": "hi", "cc": "x"}), "unknown_field", "cc"),
        ("notes", raw({}), "missing_field", "body"),
        ("notes", raw({"body": ""}), "missing_field", "body"),
        ("notes", raw({"body": "hi", "author_kind": "customer"}), "unknown_field", "author_kind"),
        ("notes", raw({"body": ["hi"]}), "invalid_field", "body"),
    ]
    failures = []
    for sub, body, code, field in cases:
        try:
            assert_error(w.req("POST", base + "/" + sub, raw=body), 400, code, field, no_field=field is None)
        except AssertionError as ex:
            failures.append("%s %r: %s" % (sub, body[:60], ex))
    assert not failures, "\n".join(failures)
    assert w.req("GET", base + "/messages").json["items"] == []
    assert w.get_ticket(t["number"]) == t


def test_effort_refuses_invalid_bodies(w):
    t = w.create_ticket(title="effort target")
    path = TICKETS + "/" + t["number"] + "/effort"
    cases = [
        (b"", "invalid_json", None),
        (raw({}), "missing_field", "minutes"),
        (raw({"minutes": 0}), "invalid_field", "minutes"),
        (raw({"minutes": 1441}), "invalid_field", "minutes"),
        (raw({"minutes": -5}), "invalid_field", "minutes"),
        (raw({"minutes": "30"}), "invalid_field", "minutes"),
        (raw({"minutes": 30.5}), "invalid_field", "minutes"),
        (raw({"minutes": 30, "worked_at": "yesterday"}), "invalid_field", "worked_at"),
        (raw({"minutes": 30, "worked_at": "2026-02-30T10:00:00Z"}), "invalid_field", "worked_at"),
        (raw({"minutes": 30, "worked_at": "2999-01-01T00:00:00Z"}), "invalid_field", "worked_at"),
        (raw({"minutes": 30, "note": 5}), "invalid_field", "note"),
        (raw({"minutes": 30, "billable": True}), "unknown_field", "billable"),
    ]
    failures = []
    for body, code, field in cases:
        try:
            assert_error(w.req("POST", path, raw=body), 400, code, field, no_field=field is None)
        except AssertionError as ex:
            failures.append("%r: %s" % (body[:60], ex))
    assert not failures, "\n".join(failures)
    r = w.req("GET", path)
    assert r.status == 200 and r.json["items"] == [] and r.json["total_minutes"] == 0, r
    assert w.get_ticket(t["number"]) == t


def test_links_refuse_invalid_bodies(w):
    t = w.create_ticket(title="link source")
    other = w.create_ticket(title="link target incident")
    beta = w.create_ticket(client="BETA", type="problem", title="beta problem")
    path = TICKETS + "/" + t["number"] + "/links"
    cases = [
        (b"", "invalid_json", None),
        (raw({}), "missing_field", "kind"),
        (raw({"kind": "duplicate_of"}), "missing_field", "target"),
        (raw({"kind": "bogus", "target": other["number"]}), "invalid_field", "kind"),
        (raw({"kind": 1, "target": other["number"]}), "invalid_field", "kind"),
        (raw({"kind": "duplicate_of", "target": "INC9999999"}), "invalid_field", "target"),
        (raw({"kind": "duplicate_of", "target": "garbage"}), "invalid_field", "target"),
        (raw({"kind": "duplicate_of", "target": t["number"]}), "invalid_field", "target"),
        (raw({"kind": "caused_by", "target": other["number"]}), "invalid_field", "target"),
        (raw({"kind": "caused_by", "target": beta["number"]}), "invalid_field", "target"),
        (raw({"kind": "duplicate_of", "target": other["number"], "note": "x"}), "unknown_field", "note"),
    ]
    failures = []
    for body, code, field in cases:
        try:
            assert_error(w.req("POST", path, raw=body), 400, code, field, no_field=field is None)
        except AssertionError as ex:
            failures.append("%r: %s" % (body[:80], ex))
    assert not failures, "\n".join(failures)
    assert w.req("GET", path).json["items"] == []
    assert w.get_ticket(t["number"]) == t


# ---- directory ----

def test_client_creation_refuses_invalid_bodies_and_stores_nothing(w):
    before = w.req("GET", "/api/v1/clients").json["items"]
    cases = [
        (b"", "invalid_json", None),
        (raw({}), "missing_field", "code"),
        (raw({"code": "NEW"}), "missing_field", "name"),
        (raw({"code": "A B", "name": "x"}), "invalid_field", "code"),
        (raw({"code": "A" * 33, "name": "x"}), "invalid_field", "code"),
        (raw({"code": "", "name": "x"}), "invalid_field", "code"),
        (raw({"code": "NEW", "name": ""}), "missing_field", "name"),
        (raw({"code": "NEW", "name": "n" * 201}), "invalid_field", "name"),
        (raw({"code": "NEW", "name": "x", "priority_matrix": "12"}), "invalid_field", "priority_matrix"),
        (raw({"code": "NEW", "name": "x", "priority_matrix": "123456789"}), "invalid_field", "priority_matrix"),
        (raw({"code": "NEW", "name": "x", "timezone": ""}), "invalid_field", "timezone"),
        (raw({"code": "NEW", "name": "x", "vat": "DE1"}), "unknown_field", "vat"),
        (raw({"code": "NEW", "name": 7}), "invalid_field", "name"),
        (raw({"code": "NEW", "name": "a\u0000"}), "invalid_field", "name"),
    ]
    failures = []
    for body, code, field in cases:
        try:
            assert_error(w.req("POST", "/api/v1/clients", raw=body), 400, code, field, no_field=field is None)
        except AssertionError as ex:
            failures.append("%r: %s" % (body[:60], ex))
    assert not failures, "\n".join(failures)
    assert_error(w.req("POST", "/api/v1/clients", {"code": "ACME", "name": "again"}), 409, "conflict", "code")
    assert w.req("GET", "/api/v1/clients").json["items"] == before


def test_user_creation_refuses_invalid_bodies_and_stores_nothing(w):
    before = w.req("GET", "/api/v1/users").json["items"]
    ok = {"email": "new@example.com", "name": "New", "role": "agent"}

    def u(**kw):
        b = dict(ok)
        b.update(kw)
        return raw({k: v for k, v in b.items() if v is not ...})
    cases = [
        (b"{", "invalid_json", None),
        (u(email=...), "missing_field", "email"),
        (u(role=...), "missing_field", "role"),
        (u(role="wizard"), "invalid_field", "role"),
        (u(email="not-an-email"), "invalid_field", "email"),
        (u(email="a b@example.com"), "invalid_field", "email"),
        (u(name=""), "missing_field", "name"),
        (u(password="short"), "invalid_field", "password"),
        (u(password=1234567890), "invalid_field", "password"),
        (u(role="client_viewer"), "missing_field", "clients"),
        (u(clients=["NOPE"]), "invalid_field", "clients"),
        (u(clients=[1]), "invalid_field", "clients"),
        (u(clients=["AC\u0000ME"]), "invalid_field", "clients"),
        (u(admin=True), "unknown_field", "admin"),
    ]
    failures = []
    for body, code, field in cases:
        try:
            assert_error(w.req("POST", "/api/v1/users", raw=body), 400, code, field, no_field=field is None)
        except AssertionError as ex:
            failures.append("%r: %s" % (body[:80], ex))
    assert not failures, "\n".join(failures)
    assert_error(w.req("POST", "/api/v1/users", dict(ok, email=w.email["agent_a"])), 409, "conflict", "email")
    assert_error(w.req("POST", "/api/v1/users", dict(ok, email=w.email["agent_a"].upper())), 409, "conflict",
                 "email")
    assert w.req("GET", "/api/v1/users").json["items"] == before


def test_team_creation_refuses_invalid_bodies_and_stores_nothing(w):
    before = w.req("GET", "/api/v1/teams").json["items"]
    cases = [
        (b"[]", "invalid_json", None),
        (raw({"name": "x"}), "missing_field", "code"),
        (raw({"code": "bad code", "name": "x"}), "invalid_field", "code"),
        (raw({"code": "NEWT", "name": ""}), "missing_field", "name"),
        (raw({"code": "NEWT", "name": "x", "members": ["nobody@example.com"]}), "invalid_field", "members"),
        (raw({"code": "NEWT", "name": "x", "members": "agent.a@example.com"}), "invalid_field", "members"),
        (raw({"code": "NEWT", "name": "x", "lead": "a"}), "unknown_field", "lead"),
    ]
    failures = []
    for body, code, field in cases:
        try:
            assert_error(w.req("POST", "/api/v1/teams", raw=body), 400, code, field, no_field=field is None)
        except AssertionError as ex:
            failures.append("%r: %s" % (body[:60], ex))
    assert not failures, "\n".join(failures)
    assert_error(w.req("POST", "/api/v1/teams", {"code": "L1", "name": "again"}), 409, "conflict", "code")
    assert w.req("GET", "/api/v1/teams").json["items"] == before


# ---- query parameters and cursors ----

BAD_QUERIES = [
    ("limit=0", "limit"), ("limit=501", "limit"), ("limit=abc", "limit"), ("limit=-1", "limit"),
    ("limit=", "limit"), ("limit=1.5", "limit"), ("limit=%2010", "limit"), ("limit=99999999999999999999", "limit"),
    ("state=bogus", "state"), ("state=", "state"), ("type=bogus", "type"), ("priority=0", "priority"),
    ("priority=6", "priority"), ("priority=x", "priority"), ("updated_since=yesterday", "updated_since"),
    ("updated_since=2026-13-01T00:00:00Z", "updated_since"), ("client=NOPE", "client"), ("team=NOPE", "team"),
    ("assignee=nobody@example.com", "assignee"), ("foo=1", "foo"), ("limit=5&sort=asc", "sort"),
    ("q=%21%21%21", "q"),
]


def test_bad_and_unknown_query_parameters_are_400_naming_the_parameter(w):
    failures = []
    for path in (TICKETS, "/api/v1/search"):
        for q, field in BAD_QUERIES:
            if path.endswith("search") and not q.startswith("q="):
                q = "q=printer&" + q
            r = w.req("GET", path + "?" + q)
            try:
                assert_error(r, 400, "invalid_parameter", field)
            except AssertionError as ex:
                failures.append("%s?%s: %s" % (path, q, ex))
    for path, param in (("/healthz", "x"), ("/api/v1/me", "verbose"), ("/api/v1/tickets/INC0000001", "expand"),
                        ("/api/v1/clients", "limit"), ("/api/v1/openapi.json", "format")):
        r = w.req("GET", "%s?%s=1" % (path, param))
        try:
            assert_error(r, 400, "invalid_parameter", param)
        except AssertionError as ex:
            failures.append("%s?%s: %s" % (path, param, ex))
    assert not failures, "\n".join(failures)


def b64(s):
    return base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")


def test_bad_cursors_are_400_invalid_cursor(w):
    for i in range(3):
        w.create_ticket(title="cursor %d" % i)
    page = w.req("GET", TICKETS + "?limit=1").json
    id_cursor = page["next"]
    assert id_cursor
    upd = w.req("GET", TICKETS + "?limit=1&updated_since=2000-01-01T00:00:00Z").json
    upd_cursor = upd["next"]
    assert upd_cursor
    since = "updated_since=2000-01-01T00:00:00Z"
    cases = [
        ("garbage", "", "!!!notbase64!!!"),
        ("empty", "", ""),
        ("base64 of garbage", "", b64("hello world")),
        ("base64 of a non-number id", "", b64("i:abc")),
        ("base64 of id 0", "", b64("i:0")),
        ("base64 of a negative id", "", b64("i:-5")),
        ("base64 with padding", "", base64.urlsafe_b64encode(b"i:12").decode()),
        ("very long", "", "A" * 500),
        ("update cursor without updated_since", "", upd_cursor),
        ("id cursor with updated_since", since, id_cursor),
        ("update cursor without an id", since, b64("u:1700000000")),
        ("update cursor with a bad time", since, b64("u:x:5")),
        ("garbage with updated_since", since, "%%%"),
    ]
    failures = []
    for what, extra, cursor in cases:
        q = "limit=2&cursor=" + cursor + ("&" + extra if extra else "")
        for path in (TICKETS, "/api/v1/search"):
            qq = q + "&q=cursor" if path.endswith("search") else q
            r = w.req("GET", path + "?" + qq)
            try:
                assert_error(r, 400, "invalid_cursor", "cursor")
            except AssertionError as ex:
                failures.append("%s %s: %s" % (path, what, ex))
    assert not failures, "\n".join(failures)
    assert w.req("GET", TICKETS + "?limit=1&cursor=" + id_cursor).status == 200
    assert w.req("GET", TICKETS + "?limit=1&cursor=" + upd_cursor + "&" + since).status == 200


def test_deeply_nested_bodies_are_refused(w):
    before = w.count_tickets()
    deep = {"client": "ACME", "type": "incident", "title": "deep", "requester": {"name": "x"}}
    inner = {}
    node = inner
    for _ in range(20):
        node["x"] = {}
        node = node["x"]
    deep["requester"] = inner
    r = w.req("POST", "/api/v1/tickets", deep)
    assert_error(r, 400, "invalid_json")
    assert "deeper" in r.json["error"]["message"], r.json
    assert w.count_tickets() == before
