"""The SLA timer of `leitstand serve`, end to end with real time: warnings, breaches
and escalation levels fire within a second of falling due and exactly once (also when
they fell due while the server was down), an acknowledged level does not climb, a
reassign level moves the ticket, targets at risk are listed soonest first, and a
ticket keeps the policy version it started with until an explicit repair.

Targets are a few seconds of calendar time so the tests can wait for them."""
import time

from harness import assert_error

POL = "/api/v1/sla-policies"
TICKETS = "/api/v1/tickets"
FAST = {"client": "ACME", "code": "FAST", "definition": {
    "order": 1, "applies_to": {"categories": ["fast"]}, "warnings": ["50%"],
    "targets": {"P5": {"first_response": {"within": "4s", "time": "calendar"},
                       "resolution": {"within": "1h", "time": "calendar"}}},
    "escalations": {"first_response": [
        {"at": "100%", "action": "notify", "owner": "team_lead", "ack_within": "3s"},
        {"after_breach": "30s", "action": "reassign", "owner": "L1"}]}}}
RISK30 = {"client": "ACME", "code": "RISK30", "definition": {
    "order": 2, "applies_to": {"categories": ["risk30"]}, "warnings": [],
    "targets": {"P5": {"first_response": {"within": "30m", "time": "calendar"}}}}}
RISK90 = {"client": "ACME", "code": "RISK90", "definition": {
    "order": 3, "applies_to": {"categories": ["risk90"]}, "warnings": [],
    "targets": {"P5": {"first_response": {"within": "90m", "time": "calendar"}}}}}
PIN = {"client": "ACME", "code": "PIN", "definition": {
    "order": 4, "applies_to": {"categories": ["pin"]}, "warnings": [],
    "targets": {"P5": {"first_response": {"within": "1h", "time": "calendar"}}}}}


def policies(w):
    if "pol" not in w.cache:
        for p in (FAST, RISK30, RISK90, PIN):
            r = w.req("POST", POL, p)
            assert r.status == 201, r
        w.cache["pol"] = True


def ts(s):
    return int(time.mktime(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone)


def history(w, number, field=None):
    r = w.req("GET", TICKETS + "/%s/history" % number)
    assert r.status == 200, r
    return [e for e in r.json["items"] if field is None or e["field"] == field]


def wait_for(pred, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.1)
    raise AssertionError("waited %ss for %s" % (seconds, what))


def sla(w, number, who="admin"):
    r = w.req("GET", TICKETS + "/%s/sla" % number, who=who)
    assert r.status == 200, r
    return r.json


def test_warning_breach_and_escalations_fire_within_a_second_exactly_once(w):
    policies(w)
    t = w.create_ticket(category="fast")
    n, t0 = t["number"], ts(t["created_at"])
    wait_for(lambda: len(history(w, n, "sla_escalation")) >= 2, 12, "two escalation levels")
    warn, breach = history(w, n, "sla_warning"), history(w, n, "sla_breach")
    assert len(warn) == 1 and warn[0]["new"] == "first_response 50%", warn
    assert len(breach) == 1 and breach[0]["new"] == "first_response", breach
    # 50 % of 4 s falls due at t0 + 2, the breach at t0 + 4: each fired within the second
    assert t0 + 2 <= ts(warn[0]["at"]) <= t0 + 3, (t0, warn)
    assert t0 + 4 <= ts(breach[0]["at"]) <= t0 + 5, (t0, breach)
    esc = sla(w, n)["escalations"]
    assert [e["level"] for e in esc] == [1, 2], esc
    one, two = esc
    assert one["due_at"] == breach[0]["at"] or ts(one["due_at"]) == t0 + 4, one
    assert one["action"] == "notify" and one["owner"] == "team_lead" and one["ack_within_seconds"] == 3
    assert ts(one["fired_at"]) - ts(one["due_at"]) <= 1, one
    # level 1 was not acknowledged within 3 s: level 2 climbed at t0 + 7, not at breach + 30 s
    assert two["climbed"] is True and ts(two["due_at"]) == t0 + 7, two
    assert two["action"] == "reassign" and two["owner"] == "L1"
    assert ts(two["fired_at"]) - ts(two["due_at"]) <= 1, two
    # the reassign level moved the ticket to team L1, recorded as a system change
    assert w.get_ticket(n)["team"] == "L1"
    team = history(w, n, "team")
    assert team and team[-1]["new"] == "L1" and team[-1]["actor_kind"] == "system", team
    # nothing fires twice, however often the ticket is evaluated again
    assert w.req("PATCH", TICKETS + "/" + n, {"title": "touched"},
                 headers={"If-Match": '"%d"' % w.get_ticket(n)["version"]}).status == 200
    time.sleep(1.5)
    assert len(history(w, n, "sla_breach")) == 1 and len(history(w, n, "sla_escalation")) == 2


def test_an_acknowledged_level_does_not_climb(w):
    policies(w)
    t = w.create_ticket(category="fast")
    n, t0 = t["number"], ts(t["created_at"])
    esc = wait_for(lambda: sla(w, n)["escalations"], 8, "escalation level 1")
    eid = esc[0]["id"]
    assert_error(w.req("POST", "/api/v1/escalations/%d/ack" % eid, {}, who="viewer_a"), 403, "forbidden")
    assert_error(w.req("POST", "/api/v1/escalations/%d/ack" % eid, {}, who="agent_b"), 404, "not_found")
    assert_error(w.req("POST", "/api/v1/escalations/%d/ack" % eid, {"nope": 1}, who="agent_a"), 400,
                 "unknown_field", "nope")
    r = w.req("POST", "/api/v1/escalations/%d/ack" % eid, {"note": "on it"}, who="agent_a")
    assert r.status == 200, r
    assert r.json["acked_by"] == w.email["agent_a"] and r.json["ack_note"] == "on it", r.json
    assert ts(r.json["acked_at"]) <= t0 + 7, r.json
    assert_error(w.req("POST", "/api/v1/escalations/%d/ack" % eid, who="agent_a"), 409, "conflict")
    assert_error(w.req("POST", "/api/v1/escalations/999999/ack", who="agent_a"), 404, "not_found")
    assert_error(w.req("POST", "/api/v1/escalations/x1/ack", who="agent_a"), 404, "not_found")
    acks = history(w, n, "sla_ack")
    assert len(acks) == 1 and acks[0]["new"].startswith("first_response 1 P5 "), acks
    # without the acknowledgement level 2 would have climbed at t0 + 7
    time.sleep(max(0, t0 + 9 - time.time()))
    assert len(sla(w, n)["escalations"]) == 1
    assert w.get_ticket(n)["team"] is None


def test_what_fell_due_while_the_server_was_down_fires_once_after_restart(w):
    policies(w)
    t = w.create_ticket(category="fast")
    n, t0 = t["number"], ts(t["created_at"])
    w.server.stop_checked()
    time.sleep(max(0, t0 + 6 - time.time()))
    w.start()
    wait_for(lambda: history(w, n, "sla_breach"), 5, "the breach after the restart")
    fired_at = ts(history(w, n, "sla_breach")[0]["at"])
    assert fired_at >= t0 + 6, "fired while the server was down?"
    w.server.stop_checked()
    w.start()
    time.sleep(1.5)
    assert len(history(w, n, "sla_warning")) == 1
    assert len(history(w, n, "sla_breach")) == 1
    time.sleep(max(0, t0 + 9 - time.time()))
    assert [e["level"] for e in sla(w, n)["escalations"]] == [1, 2]  # level 2 climbed at t0 + 7
    assert len(history(w, n, "sla_escalation")) == 2


def test_targets_at_risk_are_listed_soonest_first(w):
    policies(w)
    late = w.create_ticket(category="risk90", title="ninety")
    soon = w.create_ticket(category="risk30", title="thirty")
    time.sleep(0.5)  # the timer picks new tickets up from its queue

    def listed(q, who="admin"):
        r = w.req("GET", "/api/v1/sla/at-risk?" + q, who=who)
        assert r.status == 200, r
        return [(i["ticket"], i["kind"]) for i in r.json["items"] if i["ticket"] in (late["number"], soon["number"])]

    items = listed("within=2h")
    assert items == [(soon["number"], "first_response"), (late["number"], "first_response")], items
    assert listed("within=1h") == [(soon["number"], "first_response")]
    assert listed("within=2h&client=BETA") == []
    assert listed("within=2h", who="agent_b") == []
    assert listed("within=2h", who="viewer_a") == items
    r = w.req("GET", "/api/v1/sla/at-risk?within=1h")
    item = [i for i in r.json["items"] if i["ticket"] == soon["number"]][0]
    assert 1790 <= item["seconds_until_due"] <= 1800, item
    assert item["state"] == "running" and item["title"] == "thirty" and item["client"] == "ACME", item
    assert_error(w.req("GET", "/api/v1/sla/at-risk?within=2d"), 400, "invalid_parameter", "within")
    assert_error(w.req("GET", "/api/v1/sla/at-risk?limit=0"), 400, "invalid_parameter", "limit")
    # met targets are not at risk
    assert w.req("POST", TICKETS + "/%s/replies" % soon["number"], {"body": "hello"}).status == 201
    time.sleep(0.5)
    assert listed("within=2h") == [(late["number"], "first_response")]


def test_a_ticket_keeps_its_policy_version_until_an_explicit_repair(w):
    policies(w)
    old = w.create_ticket(category="pin")
    r = w.req("PATCH", POL + "/ACME/PIN", {"definition": dict(PIN["definition"], targets={
        "P5": {"first_response": {"within": "2h", "time": "calendar"}}})}, headers={"If-Match": '"1"'})
    assert r.status == 200 and r.json["version"] == 2, r
    new = w.create_ticket(category="pin")
    s_old, s_new = sla(w, old["number"]), sla(w, new["number"])
    assert s_old["policy"]["version"] == 1 and s_old["targets"][0]["target_seconds"] == 3600, s_old
    assert s_new["policy"]["version"] == 2 and s_new["targets"][0]["target_seconds"] == 7200, s_new
    pins = history(w, old["number"], "sla_policy")
    assert [(p["old"], p["new"]) for p in pins] == [(None, "PIN v1")], pins
    # recomputation is explicit and audited
    assert_error(w.req("POST", TICKETS + "/%s/sla/repair" % old["number"], who="agent_a"), 403, "forbidden")
    r = w.req("POST", TICKETS + "/%s/sla/repair" % old["number"])
    assert r.status == 200 and r.json["repaired"] is True, r
    kinds = [(t["state"], t["target_seconds"], t["policy"]["version"]) for t in r.json["targets"]]
    assert kinds == [("superseded", 3600, 1), ("running", 7200, 2)], kinds
    pins = history(w, old["number"], "sla_policy")
    assert [(p["old"], p["new"]) for p in pins] == [(None, "PIN v1"), ("PIN v1", "PIN v2")], pins
    assert pins[-1]["actor"] == w.email["admin"], pins[-1]
    r = w.req("POST", TICKETS + "/%s/sla/repair" % old["number"])
    assert r.status == 200 and r.json["repaired"] is False, r
    assert len(history(w, old["number"], "sla_policy")) == 2


def test_a_retired_policy_is_no_longer_chosen_but_pinned_tickets_keep_it(w):
    policies(w)
    r = w.req("POST", POL, {"client": "ACME", "code": "OLD", "definition": {
        "order": 9, "applies_to": {"categories": ["old"]}, "warnings": [],
        "targets": {"P5": {"first_response": {"within": "3h", "time": "calendar"}}}}})
    assert r.status == 201, r
    before = w.create_ticket(category="old")
    assert_error(w.req("DELETE", POL + "/ACME/OLD", who="agent_a"), 403, "forbidden")
    r = w.req("DELETE", POL + "/ACME/OLD")
    assert r.status == 200 and r.json["retired_at"] is not None, r
    assert_error(w.req("DELETE", POL + "/ACME/OLD"), 409, "conflict", "code")
    assert_error(w.req("PATCH", POL + "/ACME/OLD", {"name": "x"}, headers={"If-Match": '"1"'}), 409, "conflict")
    assert_error(w.req("DELETE", POL + "/ACME/NOPE"), 404, "not_found")
    assert "OLD" not in [p["code"] for p in w.req("GET", POL + "?client=ACME").json["items"]]
    assert w.req("GET", POL + "/ACME/OLD").json["retired_at"] is not None
    after = w.create_ticket(category="old")
    assert sla(w, after["number"])["policy"] is None
    s = sla(w, before["number"])
    assert s["policy"]["code"] == "OLD" and s["targets"][0]["target_seconds"] == 10800, s


def test_a_calendar_change_does_not_rewrite_a_pinned_ticket(w):
    policies(w)
    r = w.req("POST", "/api/v1/calendars", {"client": "ACME", "code": "DESK", "timezone": "UTC",
                                            "hours": "mon-sun 00:00-24:00"})
    assert r.status == 201, r
    r = w.req("POST", POL, {"client": "ACME", "code": "DESKPOL", "definition": {
        "order": 11, "applies_to": {"categories": ["desk"]}, "warnings": [], "calendar": "DESK",
        "targets": {"P5": {"first_response": "1h", "resolution": "8h"}}}})
    assert r.status == 201, r
    t = w.create_ticket(category="desk")
    pins = history(w, t["number"], "sla_policy")
    assert [p["new"] for p in pins] == ["DESKPOL v1 DESK v1"], pins
    due = sla(w, t["number"])["targets"][0]["due"]
    # the calendar closes on every day now: a re-read with the new version would have no due instant
    r = w.req("PATCH", "/api/v1/calendars/ACME/DESK", {"hours": "mon 00:00-00:01"}, headers={"If-Match": '"1"'})
    assert r.status == 200 and r.json["version"] == 2, r
    time.sleep(1.1)  # the ledger runs from creation to now
    s = sla(w, t["number"])
    assert s["targets"][0]["due"] == due, s
    assert {(g["calendar"], g["calendar_version"]) for g in s["ledger"]} == {("DESK", 1)}, s["ledger"]
    r = w.req("POST", TICKETS + "/%s/sla/repair" % t["number"])
    assert r.status == 200 and r.json["repaired"] is True, r
    assert [p["new"] for p in history(w, t["number"], "sla_policy")][-1] == "DESKPOL v1 DESK v2"
    assert [x["state"] for x in r.json["targets"]] == ["superseded", "superseded", "running", "running"], \
        r.json["targets"]
    # the new targets count on version 2: one open minute a week
    assert r.json["targets"][2]["due"] > due and r.json["targets"][2]["policy"]["version"] == 1, r.json["targets"]


def test_a_burst_of_writes_from_many_threads_keeps_the_timer_consistent(w):
    """Hundreds of ticket writes queue up for the timer while it works; every one is
    evaluated (the server stays up and each new ticket shows up at risk)."""
    import threading
    policies(w)
    numbers, errors = [], []
    lock = threading.Lock()

    def work():
        for _ in range(60):
            r = w.req("POST", TICKETS, {"client": "ACME", "type": "incident", "title": "burst",
                                        "category": "risk30"})
            with lock:
                (numbers.append(r.json["number"]) if r.status == 201 else errors.append(r))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    assert len(numbers) == 480

    def listed():
        r = w.req("GET", "/api/v1/sla/at-risk?within=1h&limit=1000")
        assert r.status == 200, r
        return {i["ticket"] for i in r.json["items"]}
    wait_for(lambda: set(numbers) <= listed(), 20, "every burst ticket at risk")
    assert w.req("GET", "/healthz", who=None).status == 200
