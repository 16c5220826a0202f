"""The ticket life cycle over HTTP: allowed and refused state transitions
(409 invalid_transition with a hint), reopening, closed being final, pending
tickets resumed by customer replies, first_response_at, assignment rules, and
the replies/notes/effort/links/history endpoints."""
from harness import assert_error, assert_rfc3339_utc

TICKETS = "/api/v1/tickets"

ALL_STATES = ["new", "assigned", "in_progress", "pending_customer", "pending_vendor", "resolved", "closed"]
# The life cycle as documented: from → states it may move to.
ALLOWED = {
    "new": {"assigned", "in_progress", "pending_customer", "pending_vendor", "resolved"},
    "assigned": {"new", "in_progress", "pending_customer", "pending_vendor", "resolved"},
    "in_progress": {"assigned", "pending_customer", "pending_vendor", "resolved"},
    "pending_customer": {"assigned", "in_progress", "pending_vendor", "resolved"},
    "pending_vendor": {"assigned", "in_progress", "pending_customer", "resolved"},
    "resolved": {"assigned", "in_progress", "closed"},
    "closed": set(),
}
# A path from new to each state.
PATH_TO = {
    "new": [], "assigned": ["assigned"], "in_progress": ["in_progress"],
    "pending_customer": ["pending_customer"], "pending_vendor": ["pending_vendor"], "resolved": ["resolved"],
    "closed": ["resolved", "closed"],
}


def move(w, number, state, who="admin", **kw):
    return w.req("POST", TICKETS + "/%s/transition" % number, {"state": state}, who=who, **kw)


def moved(w, number, state, who="admin"):
    r = move(w, number, state, who)
    assert r.status == 200, "%s -> %s: %r" % (number, state, r)
    assert r.json["state"] == state
    return r.json


def ticket_in(w, state):
    t = w.create_ticket(title="in " + state, team="L1")  # a team makes `assigned` reachable
    assert t["state"] == "assigned"
    if state == "new":
        r = w.req("PATCH", TICKETS + "/" + t["number"], {"team": None}, headers={"If-Match": '"%d"' % t["version"]})
        assert r.status == 200 and r.json["state"] == "new", r
        return r.json
    for s in PATH_TO[state]:
        if s != t["state"]:
            t = moved(w, t["number"], s)
    assert t["state"] == state
    return t


def history(w, number):
    r = w.req("GET", TICKETS + "/%s/history" % number)
    assert r.status == 200, r
    return r.json["items"]


def test_every_transition_is_allowed_or_refused_as_documented(w):
    failures = []
    for frm in ALL_STATES:
        for to in ALL_STATES:
            if frm == to:
                continue
            t = ticket_in(w, frm)
            r = move(w, t["number"], to)
            try:
                if frm == "new" and to == "assigned":
                    # allowed by the life cycle, but only with a team or assignee (see below)
                    e = assert_error(r, 409, "invalid_transition", "state")
                    assert e.get("hint"), "no hint: %r" % r
                elif to in ALLOWED[frm]:
                    assert r.status == 200, "expected 200: %r" % r
                    assert r.json["state"] == to and r.json["version"] == t["version"] + 1, r.json
                else:
                    e = assert_error(r, 409, "invalid_transition", "state")
                    assert e.get("hint"), "no hint: %r" % r
                    if frm != "closed":
                        for s in ALLOWED[frm]:
                            assert s in e["hint"], "hint %r does not name %s" % (e["hint"], s)
                    assert w.get_ticket(t["number"]) == t, "a refused transition changed the ticket"
            except AssertionError as ex:
                failures.append("%s -> %s: %s" % (frm, to, ex))
    assert not failures, "\n".join(failures)


def test_moving_to_the_current_state_is_refused_with_a_hint(w):
    for state in ALL_STATES:
        t = ticket_in(w, state)
        e = assert_error(move(w, t["number"], state), 409, "invalid_transition", "state")
        assert e.get("hint"), "no hint: %r" % e
        assert w.get_ticket(t["number"]) == t


def test_assigned_needs_a_team_or_assignee(w):
    t = w.create_ticket(title="nobody")
    e = assert_error(move(w, t["number"], "assigned"), 409, "invalid_transition", "state")
    assert e.get("hint"), e
    assert w.get_ticket(t["number"]) == t


def test_new_ticket_with_an_assignee_or_team_starts_assigned(w):
    a = w.create_ticket(title="with assignee", assignee="agent.a@example.com")
    assert a["state"] == "assigned" and a["assignee"] == "agent.a@example.com", a
    b = w.create_ticket(title="with team", team="L1")
    assert b["state"] == "assigned" and b["team"] == "L1", b


def test_setting_and_clearing_the_assignee_moves_between_new_and_assigned(w):
    t = w.create_ticket(title="assign me")
    r = w.req("PATCH", TICKETS + "/" + t["number"], {"assignee": "agent.a@example.com"},
              headers={"If-Match": '"%d"' % t["version"]})
    assert r.status == 200 and r.json["state"] == "assigned" and r.json["assignee"] == "agent.a@example.com", r
    r = w.req("PATCH", TICKETS + "/" + t["number"], {"assignee": None}, headers={"If-Match": r.headers["etag"]})
    assert r.status == 200 and r.json["state"] == "new" and r.json["assignee"] is None, r


def test_resolve_sets_resolved_at_and_reopen_counts(w):
    t = moved(w, w.create_ticket(title="reopen me")["number"], "in_progress")
    n = t["number"]
    t = moved(w, n, "resolved")
    assert_rfc3339_utc(t["resolved_at"], "resolved_at")
    assert t["reopen_count"] == 0
    t = moved(w, n, "in_progress")
    assert t["reopen_count"] == 1 and t["resolved_at"] is None, t
    t = moved(w, n, "resolved")
    t = moved(w, n, "assigned") if t["team"] or t["assignee"] else moved(w, n, "in_progress")
    assert t["reopen_count"] == 2, t
    reopened = [e for e in history(w, n) if e["field"] == "reopened"]
    assert [e["new"] for e in reopened] == ["1", "2"], reopened
    assert w.get_ticket(n)["reopen_count"] == 2


def test_leaving_other_states_is_not_a_reopen(w):
    t = ticket_in(w, "pending_vendor")
    t = moved(w, t["number"], "in_progress")
    assert t["reopen_count"] == 0, t


def test_closed_is_final(w):
    t = ticket_in(w, "closed")
    n = t["number"]
    assert_rfc3339_utc(t["closed_at"], "closed_at")
    for to in ALL_STATES:
        assert_error(move(w, n, to), 409, "invalid_transition", "state")
    im = {"If-Match": '"%d"' % t["version"]}
    assert_error(w.req("PATCH", TICKETS + "/" + n, {"title": "changed"}, headers=im), 409, "invalid_transition")
    other = w.create_ticket(title="link target")
    for sub, body in (("replies", {"body": "hello?"}), ("replies", {"body": "hi", "author_kind": "customer"}),
                      ("notes", {"body": "note"}), ("effort", {"minutes": 5}),
                      ("links", {"kind": "duplicate_of", "target": other["number"]})):
        assert_error(w.req("POST", TICKETS + "/%s/%s" % (n, sub), body), 409, "invalid_transition")
    assert w.get_ticket(n) == t, "a closed ticket changed"
    assert w.req("GET", TICKETS + "/%s/messages" % n).json["items"] == []


def test_customer_reply_resumes_a_ticket_pending_on_the_customer(w):
    t = ticket_in(w, "pending_customer")
    n = t["number"]
    r = w.req("POST", TICKETS + "/%s/replies" % n, {"body": "here is the log", "author_kind": "customer",
                                                   "author_name": "Eva"})
    assert r.status == 201, r
    assert r.json["author_kind"] == "customer" and r.json["author_name"] == "Eva" and r.json["kind"] == "reply"
    t = w.get_ticket(n)
    assert t["state"] == "in_progress", t
    ev = [e for e in history(w, n) if e["field"] == "state"]
    assert ev[-1]["old"] == "pending_customer" and ev[-1]["new"] == "in_progress", ev


def test_agent_reply_and_notes_leave_a_pending_ticket_pending(w):
    t = ticket_in(w, "pending_customer")
    n = t["number"]
    assert w.req("POST", TICKETS + "/%s/replies" % n, {"body": "any news?"}).status == 201
    assert w.req("POST", TICKETS + "/%s/notes" % n, {"body": "waiting"}).status == 201
    assert w.get_ticket(n)["state"] == "pending_customer"


def test_customer_reply_on_pending_vendor_does_not_change_the_state(w):
    t = ticket_in(w, "pending_vendor")
    r = w.req("POST", TICKETS + "/%s/replies" % t["number"], {"body": "still broken", "author_kind": "customer"})
    assert r.status == 201, r
    assert w.get_ticket(t["number"])["state"] == "pending_vendor"


def test_first_response_at_is_set_by_the_first_agent_reply_only(w):
    t = w.create_ticket(title="first response")
    n = t["number"]
    assert w.req("POST", TICKETS + "/%s/replies" % n, {"body": "customer first", "author_kind": "customer"}) \
        .status == 201
    assert w.get_ticket(n)["first_response_at"] is None, "a customer reply is no first response"
    assert w.req("POST", TICKETS + "/%s/notes" % n, {"body": "internal"}).status == 201
    assert w.get_ticket(n)["first_response_at"] is None, "an internal note is no first response"
    r = w.req("POST", TICKETS + "/%s/replies" % n, {"body": "we are on it"}, who="agent_a")
    assert r.status == 201 and r.json["author_kind"] == "agent", r
    first = w.get_ticket(n)["first_response_at"]
    assert_rfc3339_utc(first, "first_response_at")
    assert w.req("POST", TICKETS + "/%s/replies" % n, {"body": "update"}, who="admin").status == 201
    assert w.get_ticket(n)["first_response_at"] == first
    events = [e for e in history(w, n) if e["field"] == "first_response"]
    assert len(events) == 1, "first_response recorded %d times" % len(events)


def test_messages_keep_order_kind_and_author(w):
    t = w.create_ticket(title="messages")
    n = t["number"]
    sent = [("replies", {"body": "one"}, "agent"), ("notes", {"body": "two"}, "agent"),
            ("replies", {"body": "three", "author_kind": "customer", "author_name": "Eva"}, "customer")]
    for sub, body, kind in sent:
        r = w.req("POST", TICKETS + "/%s/%s" % (n, sub), body, who="agent_a")
        assert r.status == 201 and r.json["body"] == body["body"] and r.json["author_kind"] == kind, r
        assert_rfc3339_utc(r.json["created_at"])
        assert r.headers.get("etag"), "a message answer carries the ticket's new version"
    items = w.req("GET", TICKETS + "/%s/messages" % n).json["items"]
    assert [(m["kind"], m["body"], m["author_kind"]) for m in items] == [
        ("reply", "one", "agent"), ("note", "two", "agent"), ("reply", "three", "customer")], items
    assert items[0]["author_name"] == "agent.a@example.com" and items[2]["author_name"] == "Eva", items
    assert [m["id"] for m in items] == sorted(m["id"] for m in items)
    assert w.get_ticket(n)["version"] == t["version"] + 3


def test_effort_is_recorded_and_totalled(w):
    t = w.create_ticket(title="effort")
    n = t["number"]
    r = w.req("POST", TICKETS + "/%s/effort" % n, {"minutes": 30, "note": "analysis"}, who="agent_a")
    assert r.status == 201, r
    assert r.json["minutes"] == 30 and r.json["note"] == "analysis" and r.json["user"] == "agent.a@example.com"
    r = w.req("POST", TICKETS + "/%s/effort" % n, {"minutes": 1440, "worked_at": "2026-01-05T10:00:00Z"})
    assert r.status == 201 and r.json["worked_at"] == "2026-01-05T10:00:00Z", r
    r = w.req("GET", TICKETS + "/%s/effort" % n)
    assert r.status == 200 and r.json["total_minutes"] == 1470, r
    assert [e["minutes"] for e in r.json["items"]] == [30, 1440]
    assert [e["new"] for e in history(w, n) if e["field"] == "effort"] == ["30", "1440"]


def test_links_are_visible_from_both_ends(w):
    prb = w.create_ticket(type="problem", title="root cause")
    inc = w.create_ticket(title="symptom")
    r = w.req("POST", TICKETS + "/%s/links" % inc["number"], {"kind": "caused_by", "target": prb["number"]})
    assert r.status == 201, r
    assert r.json["items"] == [{"kind": "caused_by", "direction": "outbound", "ticket": prb["number"],
                                "title": "root cause", "created_at": r.json["items"][0]["created_at"]}], r
    back = w.req("GET", TICKETS + "/%s/links" % prb["number"]).json["items"]
    assert [(l["kind"], l["direction"], l["ticket"]) for l in back] == [("caused_by", "inbound", inc["number"])]
    again = w.req("POST", TICKETS + "/%s/links" % inc["number"], {"kind": "caused_by", "target": prb["number"]})
    assert_error(again, 409, "conflict", "target")
    dup = w.create_ticket(title="duplicate")
    r = w.req("POST", TICKETS + "/%s/links" % dup["number"], {"kind": "duplicate_of", "target": inc["number"]})
    assert r.status == 201, r
    assert len(w.req("GET", TICKETS + "/%s/links" % inc["number"]).json["items"]) == 2


def test_history_records_each_change_in_order(w):
    t = w.create_ticket(title="history", impact=3, urgency=3)
    n = t["number"]
    r = w.req("PATCH", TICKETS + "/" + n, {"title": "history 2", "impact": 1, "tags": ["vpn"]},
              headers={"If-Match": '"1"'}, who="agent_a")
    assert r.status == 200 and r.json["priority"] == 3 and r.json["version"] == 2, r
    moved(w, n, "in_progress")
    items = history(w, n)
    fields = [e["field"] for e in items]
    assert fields[0] == "created" and items[0]["new"] == n, items
    for f in ("title", "impact", "priority", "tags", "state"):
        assert f in fields, "no %s event: %s" % (f, fields)
    title = next(e for e in items if e["field"] == "title")
    assert (title["old"], title["new"], title["actor"], title["actor_kind"]) == \
        ("history", "history 2", "agent.a@example.com", "agent"), title
    prio = next(e for e in items if e["field"] == "priority")
    assert (prio["old"], prio["new"]) == ("5", "3"), prio
    assert [e["id"] for e in items] == sorted(e["id"] for e in items)
    for e in items:
        assert_rfc3339_utc(e["at"], "event time")


def test_patch_changes_fields_and_returns_the_new_ticket(w):
    t = w.create_ticket(title="patch me", category="hardware", requester={"name": "Eva"})
    r = w.req("PATCH", TICKETS + "/" + t["number"],
              {"title": "patched", "description": "new text", "urgency": 1, "category": None, "channel": "phone",
               "requester": {"email": "eva@acme.example", "name": None}, "tags": ["b", "a"]},
              headers={"If-Match": '"%d"' % t["version"]})
    assert r.status == 200, r
    p = r.json
    assert (p["title"], p["description"], p["urgency"], p["priority"], p["category"], p["channel"]) == \
        ("patched", "new text", 1, 3, None, "phone"), p
    assert p["requester"] == {"name": None, "email": "eva@acme.example", "phone": None}, p
    assert sorted(p["tags"]) == ["a", "b"] and p["version"] == t["version"] + 1
    assert w.get_ticket(t["number"]) == p
