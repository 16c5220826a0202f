"""SLA policies over HTTP and a ticket's SLA: creation with field-named validation
errors (the engine's paths under "definition"), versioning with If-Match, tenant
isolation and roles, policy selection by order and applies_to, and the SLA of
tickets created through the API: a running first-response target due where the
calendar says, exact numbers on a 24x7 policy evaluated ?at= a fixed offset, a
reply that meets the first response, and "no policy applies" as a result."""
import calendar
import time
from urllib.parse import quote

from harness import assert_error, assert_rfc3339_utc

POL = "/api/v1/sla-policies"
TICKETS = "/api/v1/tickets"
EXAMPLE = {"calendar": {"tz": "Europe/Berlin", "hours": "mon-fri 08:00-17:00", "holidays": "DE-NW"},
           "pause_states": ["pending_customer"],
           "targets": {"P1": {"first_response": "1h", "resolution": "4h"},
                       "P2": {"first_response": "4h", "next_update": "8h", "resolution": "16h"}}}
STD = {"client": "ACME", "code": "STD", "name": "Standard", "definition": EXAMPLE}
# 24x7 (no calendar), chosen before STD for tickets of category "flat"
FLAT = {"client": "ACME", "code": "FLAT", "name": "Flat", "definition": {
    "order": -1, "applies_to": {"categories": ["flat"]}, "warnings": [],
    "targets": {"P2": {"first_response": "4h", "resolution": "16h"}}}}
CALENDAR = {"client": "ACME", "code": "OFFICE", "timezone": "Europe/Berlin", "hours": "mon-fri 08:00-17:00",
            "holidays": "DE-NW"}


def ts(s):
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def policies(w):
    if "pol" not in w.cache:
        r = w.req("POST", POL, STD)
        assert r.status == 201, r
        r2 = w.req("POST", POL, FLAT)
        assert r2.status == 201, r2
        w.cache["pol"] = (r.json, r2.json)
    return w.cache["pol"]


def sla(w, number, who="admin", at=None):
    r = w.req("GET", TICKETS + "/%s/sla%s" % (number, "?at=" + quote(at) if at else ""), who=who)
    assert r.status == 200, r
    return r.json


def target(s, kind, state=None):
    ts_ = [t for t in s["targets"] if t["kind"] == kind and (state is None or t["state"] == state)]
    assert ts_, "no %s target in %r" % (kind, s)
    return ts_[-1]


def test_create_answers_the_stored_policy_as_version_1(w):
    p, f = policies(w)
    assert p["client"] == "ACME" and p["code"] == "STD" and p["name"] == "Standard", p
    assert p["version"] == 1 and p["current_version"] == 1 and p["order"] == 0, p
    assert p["definition"] == EXAMPLE, p
    assert_rfc3339_utc(p["created_at"])
    assert f["order"] == -1
    r = w.req("GET", POL + "?client=ACME")
    assert r.status == 200 and [x["code"] for x in r.json["items"]] == ["FLAT", "STD"], r
    r = w.req("GET", POL + "/ACME/STD")
    assert r.status == 200 and r.json == p and r.headers.get("etag") == '"1"', r


def test_invalid_policies_name_the_field_and_store_nothing(w):
    policies(w)
    bad_p2 = {"P2": {"first_response": "1d"}}
    cases = [
        (dict(STD, code="B1", definition=dict(EXAMPLE, targets=bad_p2)), 400, "invalid_field",
         "definition.targets.P2.first_response"),
        (dict(STD, code="B2", definition=dict(EXAMPLE, calendar=dict(EXAMPLE["calendar"], hours="mon-fry 8-17"))),
         400, "invalid_field", "definition.calendar.hours"),
        (dict(STD, code="B3", definition=dict(EXAMPLE, extra=1)), 400, "invalid_field", "definition.extra"),
        (dict(STD, code="B4", definition=dict(EXAMPLE, order=-1)), 409, "conflict", "definition.order"),
        (dict(STD, code="B5", definition=dict(EXAMPLE, calendar="NOPE")), 400, "invalid_field",
         "definition.calendar"),
        (dict(STD, code="B6", definition=dict(EXAMPLE, version=2)), 400, "invalid_field", "definition.version"),
        (dict(STD, client="NOPE"), 400, "invalid_field", "client"),
        (dict(STD, code="has space"), 400, "invalid_field", "code"),
        (dict(STD, code="B7", definition=[1]), 400, "invalid_field", "definition"),
        (STD, 409, "conflict", "code"),
    ]
    for body, status, code, field in cases:
        assert_error(w.req("POST", POL, body), status, code, field)
    body = dict(STD, code="B8")
    del body["definition"]
    assert_error(w.req("POST", POL, body), 400, "missing_field", "definition")
    assert_error(w.req("POST", POL, dict(STD, code="B9", extra=1)), 400, "unknown_field", "extra")
    assert [x["code"] for x in w.req("GET", POL + "?client=ACME").json["items"]] == ["FLAT", "STD"]
    assert_error(w.req("GET", POL), 400, "invalid_parameter", "client")


def test_a_policy_may_run_on_a_stored_calendar(w):
    policies(w)
    assert w.req("POST", "/api/v1/calendars", CALENDAR).status == 201
    d = {"order": 50, "calendar": "OFFICE", "applies_to": {"types": ["problem"]},
         "targets": {"P3": {"resolution": "40h"}}}
    r = w.req("POST", POL, {"client": "ACME", "code": "PRB", "definition": d})
    assert r.status == 201 and r.json["name"] == "PRB" and r.json["definition"] == d, r
    assert w.req("POST", POL, {"client": "BETA", "code": "PRB", "definition": d}, who="manager_b").status == 400


def test_a_change_is_a_new_version_and_needs_if_match(w):
    policies(w)
    more = dict(EXAMPLE, targets=dict(EXAMPLE["targets"], P3={"resolution": "24h"}))
    assert_error(w.req("PATCH", POL + "/ACME/STD", {"definition": more}), 428, "precondition_required", "If-Match")
    r = w.req("PATCH", POL + "/ACME/STD", {"definition": more}, headers={"If-Match": '"1"'})
    assert r.status == 200 and r.json["version"] == 2 and r.json["definition"] == more, r
    assert r.headers.get("etag") == '"2"' and r.json["name"] == "Standard", r
    assert_error(w.req("PATCH", POL + "/ACME/STD", {"name": "late"}, headers={"If-Match": '"1"'}), 412,
                 "version_mismatch")
    assert_error(w.req("PATCH", POL + "/ACME/STD", {"definition": dict(EXAMPLE, warnings=["120%"])},
                       headers={"If-Match": '"2"'}), 400, "invalid_field", "definition.warnings[0]")
    assert_error(w.req("PATCH", POL + "/ACME/STD", {"code": "X"}, headers={"If-Match": '"2"'}), 400,
                 "invalid_field", "code")
    r = w.req("PATCH", POL + "/ACME/STD", {"definition": EXAMPLE}, headers={"If-Match": '"2"'})
    assert r.status == 200 and r.json["version"] == 3, r
    v1 = w.req("GET", POL + "/ACME/STD?version=1").json
    assert v1["version"] == 1 and v1["current_version"] == 3 and v1["definition"] == EXAMPLE, v1
    v2 = w.req("GET", POL + "/ACME/STD?version=2").json
    assert v2["definition"] == more, v2
    assert_error(w.req("GET", POL + "/ACME/STD?version=9"), 404, "not_found", "version")
    assert_error(w.req("GET", POL + "/ACME/STD?version=x"), 400, "invalid_parameter", "version")


def test_roles_and_other_clients(w):
    policies(w)
    for who in ("agent_b", "viewer_b", "manager_b"):
        assert_error(w.req("GET", POL + "/ACME/STD", who=who), 404, "not_found")
    assert_error(w.req("GET", POL + "?client=ACME", who="agent_b"), 400, "invalid_parameter", "client")
    assert w.req("GET", POL + "/ACME/STD", who="viewer_a").status == 200
    assert w.req("GET", POL + "?client=ACME", who="agent_a").status == 200
    assert w.req("POST", POL, dict(STD, code="AG"), who="agent_a").status == 403
    assert_error(w.req("POST", POL, dict(STD, client="ACME", code="MB"), who="manager_b"), 400, "invalid_field",
                 "client")
    assert_error(w.req("PATCH", POL + "/ACME/STD", {"name": "x"}, who="manager_b", headers={"If-Match": '"1"'}),
                 404, "not_found")
    beta = dict(EXAMPLE, applies_to={"types": ["incident"]})
    r = w.req("POST", POL, dict(STD, client="BETA", code="BSTD", definition=beta), who="manager_b")
    assert r.status == 201, r


def test_a_new_p2_ticket_has_a_running_first_response_due_by_the_calendar(w):
    policies(w)
    t = w.create_ticket(impact=1, urgency=2, category="Network")
    assert t["priority"] == 2, t
    s = sla(w, t["number"])
    assert s["ticket"] == t["number"] and s["priority"] == "P2" and s["no_policy"] is None, s
    assert s["policy"]["code"] == "STD", s
    assert sorted(x["kind"] for x in s["targets"]) == ["first_response", "resolution"], s
    fr = target(s, "first_response")
    assert fr["state"] == "running" and fr["priority"] == "P2" and fr["target_seconds"] == 4 * 3600, fr
    assert fr["time"] == "business" and fr["started_at"] == t["created_at"], (fr, t)
    for k in ("due", "started_at", "at"):
        assert_rfc3339_utc(fr.get(k) or s[k])
    assert fr["business_seconds"] + fr["remaining_seconds"] == 4 * 3600, fr
    # the due instant as the calendar service computes it on the same calendar
    if w.req("GET", "/api/v1/calendars/ACME/OFFICE").status == 404:
        assert w.req("POST", "/api/v1/calendars", CALENDAR).status == 201
    due = w.req("GET", "/api/v1/calendars/ACME/OFFICE/due?from=%s&seconds=14400" % quote(t["created_at"])).json
    assert fr["due"] == due["due_utc"], (fr, due)
    res = target(s, "resolution")
    assert res["state"] in ("running", "paused") and res["target_seconds"] == 16 * 3600, res
    assert [x["warnings"] for x in (fr,)][0] and [x["percent"] for x in fr["warnings"]] == [75, 90], fr
    assert isinstance(s["ledger"], list) and all(g["from"] >= t["created_at"] for g in s["ledger"]), s
    assert s["next_deadline"] and s["next_deadline"]["at"] > s["at"], s


def test_exact_numbers_on_a_24x7_policy_and_a_reply_meets_the_first_response(w):
    policies(w)
    t = w.create_ticket(impact=1, urgency=2, category="flat")
    n, c = t["number"], ts(t["created_at"])
    s = sla(w, n, at=iso(c + 3600))
    assert s["policy"]["code"] == "FLAT" and s["at"] == iso(c + 3600), s
    fr = target(s, "first_response")
    assert fr["state"] == "running" and fr["due"] == iso(c + 4 * 3600), fr
    assert fr["business_seconds"] == 3600 and fr["remaining_seconds"] == 3 * 3600 and fr["warnings"] == [], fr
    res = target(s, "resolution")
    assert res["due"] == iso(c + 16 * 3600) and res["business_seconds"] == 3600, res
    assert s["next_deadline"] == {"at": iso(c + 4 * 3600), "kind": "breach", "target": "first_response",
                                  "target_index": s["targets"].index(fr)}, s
    # as of five hours later, with nothing done, the first response is breached
    late = target(sla(w, n, at=iso(c + 5 * 3600)), "first_response")
    assert late["state"] == "breached" and late["breached_at"] == iso(c + 4 * 3600), late
    assert w.req("POST", TICKETS + "/%s/notes" % n, {"body": "internal"}).status == 201
    assert target(sla(w, n), "first_response")["state"] == "running"
    assert w.req("POST", TICKETS + "/%s/replies" % n, {"body": "on it"}).status == 201
    s = sla(w, n)
    fr = target(s, "first_response")
    assert fr["state"] == "met" and fr["stopped_at"] is not None, fr
    assert_error(w.req("GET", TICKETS + "/%s/sla?at=%s" % (n, quote(iso(c - 10)))), 400, "invalid_parameter", "at")
    assert_error(w.req("GET", TICKETS + "/%s/sla?at=soon" % n), 400, "invalid_parameter", "at")


def test_a_priority_change_supersedes_and_resolution_stops_the_clock(w):
    policies(w)
    t = w.create_ticket(impact=1, urgency=2, category="flat")
    n = t["number"]
    r = w.req("PATCH", TICKETS + "/" + n, {"urgency": 1}, headers={"If-Match": '"%d"' % t["version"]})
    assert r.status == 200 and r.json["priority"] == 1, r
    s = sla(w, n)
    # FLAT has no P1 targets but applies to any priority: P2 targets are superseded, none start
    assert s["priority"] == "P1" and s["policy"]["code"] == "FLAT", s
    assert {x["state"] for x in s["targets"]} == {"superseded"}, s
    t2 = w.create_ticket(impact=1, urgency=2)
    r = w.req("POST", TICKETS + "/%s/transition" % t2["number"], {"state": "resolved"})
    assert r.status == 200, r
    s = sla(w, t2["number"])
    assert target(s, "resolution")["state"] == "met" and target(s, "first_response")["state"] == "cancelled", s
    assert s["next_deadline"] is None, s
    later = sla(w, t2["number"], at=iso(ts(s["at"]) + 60))
    assert later["ledger"][-1]["kind"] == "resolved" and later["state"] == "resolved", later


def test_no_policy_applies_is_a_result_and_other_clients_tickets_are_not_found(w):
    policies(w)
    r = w.req("POST", TICKETS, {"client": "BETA", "type": "problem", "title": "beta"}, who="agent_b")
    assert r.status == 201, r
    n = r.json["number"]
    s = sla(w, n, who="agent_b")
    assert s["policy"] is None and s["targets"] == [] and s["next_deadline"] is None, s
    assert isinstance(s["no_policy"], str) and "problem" in s["no_policy"], s
    a = w.create_ticket()
    for who in ("agent_b", "viewer_b", "manager_b"):
        assert_error(w.req("GET", TICKETS + "/%s/sla" % a["number"], who=who), 404, "not_found", "number")
    assert_error(w.req("GET", TICKETS + "/INC9999999/sla"), 404, "not_found", "number")
    assert w.req("GET", TICKETS + "/%s/sla" % a["number"], who="viewer_a").status == 200
