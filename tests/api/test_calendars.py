"""Business calendars and holidays over HTTP: creation with field-named
validation errors, versioning with If-Match (an older version stays readable
and computable), business-time queries including the DST example of the
domain notes, tenant isolation and roles, and the holiday list."""
from urllib.parse import quote

from harness import assert_error

CAL = "/api/v1/calendars"
STD = {"client": "ACME", "code": "STD", "name": "Standard", "timezone": "Europe/Berlin",
       "hours": "mon-fri 08:00-17:00", "holidays": "DE-NW", "closed_days": ["2025-12-24", "2025-12-31"]}


def std(w):
    if "std" not in w.cache:
        r = w.req("POST", CAL, STD)
        assert r.status == 201, r
        w.cache["std"] = r.json
    return w.cache["std"]


def test_create_answers_the_stored_definition_as_version_1(w):
    c = std(w)
    for k in ("client", "code", "name", "timezone", "hours", "holidays", "closed_days"):
        assert c[k] == STD[k], (k, c)
    assert c["version"] == 1 and c["current_version"] == 1 and c["open_days"] == []
    assert c["holidays_version"], c


def test_invalid_definitions_name_the_field_and_store_nothing(w):
    before = len(w.req("GET", CAL).json["items"])
    cases = [
        ({"hours": "mon-fry 08:00-17:00"}, "hours"),
        ({"hours": "mon-fri 08:00-25:00"}, "hours"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"holidays": "DE-XX"}, "holidays"),
        ({"closed_days": ["2025-02-30"]}, "closed_days"),
        ({"client": "NOPE"}, "client"),
        ({"code": "has space"}, "code"),
    ]
    for change, field in cases:
        body = dict(STD, code="BAD")
        body.update(change)
        assert_error(w.req("POST", CAL, body), 400, "invalid_field", field)
    body = dict(STD, code="BAD")
    del body["hours"]
    assert_error(w.req("POST", CAL, body), 400, "missing_field", "hours")
    assert_error(w.req("POST", CAL, dict(STD, code="BAD", extra=1)), 400, "unknown_field", "extra")
    assert_error(w.req("POST", CAL, STD), 409, "conflict", "code")
    assert len(w.req("GET", CAL).json["items"]) == before


def test_due_and_elapsed_follow_the_dst_example(w):
    std(w)
    frm = quote("2025-03-28T16:00:00+01:00")
    r = w.req("GET", CAL + "/ACME/STD/due?from=%s&seconds=14400" % frm)
    assert r.status == 200, r
    assert r.json == {"due": "2025-03-31T11:00:00+02:00", "due_utc": "2025-03-31T09:00:00Z"}, r.json
    to = quote("2025-03-31T11:00:00+02:00")
    r = w.req("GET", CAL + "/ACME/STD/elapsed?from=%s&to=%s" % (frm, to))
    assert r.status == 200 and r.json == {"seconds": 14400}, r
    assert_error(w.req("GET", CAL + "/ACME/STD/elapsed?from=%s&to=%s" % (to, frm)), 400, "invalid_parameter",
                 "to")
    assert_error(w.req("GET", CAL + "/ACME/STD/due?from=yesterday&seconds=1"), 400, "invalid_parameter", "from")
    assert_error(w.req("GET", CAL + "/ACME/STD/due?from=%s&seconds=-1" % frm), 400, "invalid_parameter",
                 "seconds")


def test_a_change_is_a_new_version_and_the_old_one_still_computes(w):
    std(w)
    r = w.req("PATCH", CAL + "/ACME/STD", {"hours": "mon-fri 07:00-19:00"})
    assert_error(r, 428, "precondition_required", "If-Match")
    r = w.req("PATCH", CAL + "/ACME/STD", {"hours": "mon-fri 07:00-19:00"}, headers={"If-Match": '"1"'})
    assert r.status == 200 and r.json["version"] == 2 and r.json["hours"] == "mon-fri 07:00-19:00", r
    assert r.headers.get("etag") == '"2"', r.headers
    r = w.req("PATCH", CAL + "/ACME/STD", {"name": "late"}, headers={"If-Match": '"1"'})
    assert_error(r, 412, "version_mismatch")
    v1 = w.req("GET", CAL + "/ACME/STD?version=1").json
    assert v1["version"] == 1 and v1["current_version"] == 2 and v1["hours"] == "mon-fri 08:00-17:00", v1
    frm = quote("2025-03-28T16:00:00+01:00")
    old = w.req("GET", CAL + "/ACME/STD/due?from=%s&seconds=14400&version=1" % frm).json
    new = w.req("GET", CAL + "/ACME/STD/due?from=%s&seconds=14400" % frm).json
    assert old["due"] == "2025-03-31T11:00:00+02:00", old
    assert new["due"] == "2025-03-31T08:00:00+02:00", new   # Fri 16-19 is 3 h, then Mon 07-08
    versions = w.req("GET", CAL + "/ACME/STD/versions").json["items"]
    assert [v["version"] for v in versions] == [1, 2], versions
    assert_error(w.req("GET", CAL + "/ACME/STD?version=9"), 404, "not_found", "version")


def test_other_clients_calendars_are_invisible_and_only_managers_write(w):
    std(w)
    missing = w.req("GET", CAL + "/ACME/NOPE", who="agent_a")
    assert_error(missing, 404, "not_found")
    hidden = w.req("GET", CAL + "/ACME/STD", who="agent_b")
    assert_error(hidden, 404, "not_found")
    assert [c["client"] for c in w.req("GET", CAL, who="agent_b").json["items"]] == []
    assert w.req("GET", CAL + "/ACME/STD", who="viewer_a").status == 200
    assert_error(w.req("POST", CAL, dict(STD, code="AG"), who="agent_a"), 403, "forbidden")
    assert_error(w.req("POST", CAL, dict(STD, client="BETA", code="X"), who="viewer_b"), 403, "forbidden")
    r = w.req("POST", CAL, dict(STD, client="BETA", code="B1"), who="manager_b")
    assert r.status == 201, r
    assert_error(w.req("POST", CAL, dict(STD, code="M1"), who="manager_b"), 400, "invalid_field", "client")
    for path in ("/due?from=2025-01-01T00:00:00Z&seconds=1", "/elapsed?from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z",
                 "/versions"):
        assert_error(w.req("GET", CAL + "/ACME/STD" + path, who="agent_b"), 404, "not_found")
    assert_error(w.req("PATCH", CAL + "/ACME/STD", {"name": "x"}, who="manager_b", headers={"If-Match": '"2"'}),
                 404, "not_found")


def test_holidays_of_bavaria_2026(w):
    r = w.req("GET", "/api/v1/holidays?region=DE-BY&year=2026", who="viewer_a")
    assert r.status == 200, r
    dates = [h["date"] for h in r.json["items"]]
    assert dates == ["2026-01-01", "2026-01-06", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14",
                     "2026-05-25", "2026-06-04", "2026-10-03", "2026-11-01", "2026-12-25", "2026-12-26"], dates
    assert r.json["items"][1]["name"] == "Heilige Drei Könige", r.json["items"][1]
    en = w.req("GET", "/api/v1/holidays?region=DE-BY&year=2026&lang=en").json["items"]
    assert en[0]["name"] == "New Year's Day", en[0]
    assert_error(w.req("GET", "/api/v1/holidays?region=DE-XX&year=2026"), 400, "invalid_parameter", "region")
    assert_error(w.req("GET", "/api/v1/holidays?region=DE-BY&year=1990"), 400, "invalid_parameter", "year")
    assert_error(w.req("GET", "/api/v1/holidays?region=DE-BY"), 400, "invalid_parameter", "year")
    assert_error(w.req("GET", "/api/v1/holidays?region=DE-BY&year=2026&lang=fr"), 400, "invalid_parameter", "lang")
