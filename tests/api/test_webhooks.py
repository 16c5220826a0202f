"""Webhook subscriptions over HTTP and their delivery from the outbox to a real
receiver on 127.0.0.1: validation naming the field, roles and tenants, the secret
shown once, the HMAC-SHA256 signature, Slack/Teams bodies, German texts, retries with
backoff after the receiver failed (the server runs with --webhook-retry-base 1), the
delivery log, and an event that is delivered after a kill -9 rather than never."""
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import harness
from harness import assert_error

HOOKS = "/api/v1/webhooks"
TICKETS = "/api/v1/tickets"


def make_world():
    w = harness.World(start=False)
    w.start("--webhook-retry-base", "1")
    return w


class Receiver:
    """Records every POST; answers the statuses queued in `fail_first` first, then 200."""

    def __init__(self, port=0):
        self.requests = []
        self.statuses = []
        self.lock = threading.Lock()
        rec = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with rec.lock:
                    rec.requests.append((time.time(), dict(self.headers.items()), body))
                    status = rec.statuses.pop(0) if rec.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *a):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.httpd.server_address[1]
        self.url = "http://127.0.0.1:%d/hook" % self.port
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wait(self, n, seconds=10, event=None):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            got = self.got(event)
            if len(got) >= n:
                return got
            time.sleep(0.05)
        raise AssertionError("receiver got %d of %d requests" % (len(self.got(event)), n))

    def got(self, event=None):
        with self.lock:
            return [r for r in self.requests if event is None or r[1].get("X-Leitstand-Event") == event]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def subscribe(w, url, **kw):
    body = {"client": "ACME", "url": url, "events": ["ticket.created"]}
    body.update(kw)
    r = w.req("POST", HOOKS, body)
    assert r.status == 201, r
    return r.json


def signed_ok(secret, headers, body):
    msg = headers["X-Leitstand-Timestamp"].encode() + b"." + body
    want = "sha256=" + hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, headers["X-Leitstand-Signature"])


def test_subscriptions_are_validated_field_by_field(w):
    good = {"client": "ACME", "url": "https://hooks.example.com/x", "events": ["sla.*"]}
    for field, value, code in (("url", "ftp://x", "invalid_field"), ("url", "https://", "invalid_field"),
                               ("url", "https://a b", "invalid_field"), ("events", [], "invalid_field"),
                               ("events", ["sla.nope"], "invalid_field"), ("format", "xml", "invalid_field"),
                               ("lang", "fr", "invalid_field"), ("secret", "short", "invalid_field"),
                               ("active", "yes", "invalid_field"), ("client", "NOPE", "invalid_field")):
        assert_error(w.req("POST", HOOKS, dict(good, **{field: value})), 400, code, field)
    for missing in ("client", "url", "events"):
        body = dict(good)
        del body[missing]
        assert_error(w.req("POST", HOOKS, body), 400, "missing_field", missing)
    assert_error(w.req("POST", HOOKS, dict(good, extra=1)), 400, "unknown_field", "extra")
    assert_error(w.req("POST", HOOKS, good, who="agent_a"), 403, "forbidden")
    assert_error(w.req("POST", HOOKS, dict(good, client="ACME"), who="manager_b"), 400, "invalid_field", "client")


def test_the_secret_is_shown_once_and_changes_need_if_match(w):
    h = subscribe(w, "https://hooks.example.com/a", events=["sla.breach", "ticket.*"], format="teams", lang="de")
    assert len(h["secret"]) == 48 and h["version"] == 1 and h["active"] is True, h
    assert h["events"] == ["sla.breach", "ticket.*"] and h["format"] == "teams" and h["lang"] == "de", h
    r = w.req("GET", HOOKS + "/%d" % h["id"])
    assert r.status == 200 and "secret" not in r.json and r.json["secret_set"] is True, r
    assert r.headers.get("etag") == '"1"', r.headers
    assert any(x["id"] == h["id"] for x in w.req("GET", HOOKS + "?client=ACME").json["items"])
    assert_error(w.req("GET", HOOKS + "/%d" % h["id"], who="manager_b"), 404, "not_found")
    assert not any(x["id"] == h["id"] for x in w.req("GET", HOOKS, who="manager_b").json["items"])
    assert_error(w.req("PATCH", HOOKS + "/%d" % h["id"], {"active": False}), 428, "precondition_required")
    assert_error(w.req("PATCH", HOOKS + "/%d" % h["id"], {"active": False}, headers={"If-Match": '"7"'}), 412,
                 "version_mismatch")
    r = w.req("PATCH", HOOKS + "/%d" % h["id"], {"active": False, "events": ["*"]}, headers={"If-Match": '"1"'})
    assert r.status == 200 and r.json["active"] is False and r.json["events"] == ["*"], r
    assert r.json["version"] == 2 and "secret" not in r.json, r.json
    r = w.req("PATCH", HOOKS + "/%d" % h["id"], {"secret": "s" * 20}, headers={"If-Match": '"2"'})
    assert r.status == 200 and r.json["secret"] == "s" * 20, r
    assert w.req("DELETE", HOOKS + "/%d" % h["id"]).status == 200
    assert_error(w.req("GET", HOOKS + "/%d" % h["id"]), 404, "not_found")
    assert_error(w.req("DELETE", HOOKS + "/%d" % h["id"]), 404, "not_found")


def delivered_log(w, hook_id, seconds=10):
    """The newest delivery of the hook once it is recorded as delivered (the sender writes
    the log after the receiver has the request), or as it is after `seconds`."""
    deadline = time.time() + seconds
    while True:
        log = w.req("GET", HOOKS + "/%d/deliveries" % hook_id).json["items"]
        if (log and log[0]["state"] == "delivered") or time.time() > deadline:
            return log[0] if log else None
        time.sleep(0.05)


def test_a_ticket_event_arrives_signed_and_logged(w):
    rec = Receiver()
    try:
        h = subscribe(w, rec.url)
        t = w.create_ticket(title="Drucker brennt")
        (at, headers, body) = rec.wait(1)[0]
        assert headers["X-Leitstand-Event"] == "ticket.created", headers
        assert headers["Content-Type"] == "application/json", headers
        assert signed_ok(h["secret"], headers, body), headers
        ev = json.loads(body)
        assert ev["event"] == "ticket.created" and ev["client"] == "ACME", ev
        assert ev["ticket"]["number"] == t["number"] and ev["ticket"]["title"] == "Drucker brennt", ev
        assert isinstance(ev["id"], int) and t["number"] in ev["text"], ev
        # the receiver has the request before the sender records the answer: wait for the log
        deadline = time.time() + 10
        while True:
            log = w.req("GET", HOOKS + "/%d/deliveries" % h["id"]).json["items"]
            if (log and log[0]["state"] == "delivered") or time.time() > deadline:
                break
            time.sleep(0.05)
        assert len(log) == 1 and log[0]["state"] == "delivered" and log[0]["attempts"] == 1, log
        assert log[0]["last_status"] == 200 and log[0]["event"] == "ticket.created", log
        assert str(log[0]["id"]) == headers["X-Leitstand-Delivery"], (log, headers)
        # a tampered body fails the check a receiver makes
        assert not signed_ok(h["secret"], headers, body.replace(b"Drucker", b"Dricker"))
        assert w.req("DELETE", HOOKS + "/%d" % h["id"]).status == 200
    finally:
        rec.close()


def test_slack_and_teams_get_text_only_in_the_language_asked_for(w):
    rec = Receiver()
    try:
        slack = subscribe(w, rec.url + "/slack", format="slack", lang="de")
        teams = subscribe(w, rec.url + "/teams", format="teams")
        w.create_ticket(title="Kasse hängt")
        got = rec.wait(2)
        bodies = {json.dumps(sorted(json.loads(b).keys())) for _, _, b in got}
        assert bodies == {'["text"]'}, bodies
        texts = sorted(json.loads(b)["text"] for _, _, b in got)
        assert all("Kasse hängt" in x for x in texts), texts
        assert texts[0] != texts[1], texts  # one German, one English
        for h in (slack, teams):
            assert w.req("DELETE", HOOKS + "/%d" % h["id"]).status == 200
    finally:
        rec.close()


def test_a_failing_receiver_is_retried_with_growing_waits(w):
    rec = Receiver()
    rec.statuses = [500, 503]
    try:
        h = subscribe(w, rec.url)
        w.create_ticket(title="retry me")
        got = rec.wait(3, seconds=15)
        ids = {hd["X-Leitstand-Delivery"] for _, hd, _ in got}
        assert len(ids) == 1, ids  # the same delivery each time
        gap1, gap2 = got[1][0] - got[0][0], got[2][0] - got[1][0]
        assert gap1 >= 0.95 and gap2 >= 1.95, (gap1, gap2)  # base 1 s, then doubled
        log = delivered_log(w, h["id"])
        assert log["state"] == "delivered" and log["attempts"] == 3 and log["last_status"] == 200, log
        assert w.req("DELETE", HOOKS + "/%d" % h["id"]).status == 200
    finally:
        rec.close()


def test_a_deleted_webhook_gets_no_more_attempts(w):
    rec = Receiver()
    port = rec.port
    rec.close()  # nobody listens: the first attempt fails and a retry is due a second later
    h = subscribe(w, "http://127.0.0.1:%d/hook" % port)
    w.create_ticket(title="deleted before the retry")
    deadline = time.time() + 10
    while w.req("GET", HOOKS + "/%d/deliveries" % h["id"]).json["items"][0]["attempts"] < 1:
        assert time.time() < deadline, "no first attempt"
        time.sleep(0.05)
    assert w.req("DELETE", HOOKS + "/%d" % h["id"]).status == 200
    rec = Receiver(port)
    try:
        time.sleep(3)  # three retry periods of the test server
        assert rec.got() == [], rec.got()
    finally:
        rec.close()


def test_an_event_queued_before_a_kill_9_is_delivered_after_the_restart(w):
    rec = Receiver()
    port = rec.port
    rec.close()  # nobody listens: the delivery fails and waits
    h = subscribe(w, "http://127.0.0.1:%d/hook" % port)
    t = w.create_ticket(title="after the crash")
    time.sleep(0.5)
    w.server.kill9()
    rec = Receiver(port)
    try:
        w.start("--webhook-retry-base", "1")
        got = rec.wait(1, seconds=15)
        assert json.loads(got[0][2])["ticket"]["number"] == t["number"]
        log = delivered_log(w, h["id"])
        assert log["state"] == "delivered" and log["attempts"] >= 2, log
        assert "127.0.0.1" in (log["last_error"] or "") or log["last_error"] is None, log
        assert w.req("DELETE", HOOKS + "/%d" % h["id"]).status == 200
    finally:
        rec.close()


def test_an_sla_breach_reaches_the_receiver_once_with_its_numbers(w):
    pol = {"client": "ACME", "code": "QUICK", "definition": {
        "applies_to": {"categories": ["quick"]}, "warnings": [],
        "targets": {"P5": {"first_response": {"within": "2s", "time": "calendar"}}}}}
    assert w.req("POST", "/api/v1/sla-policies", pol).status == 201
    rec = Receiver()
    try:
        h = subscribe(w, rec.url, events=["sla.*"])
        t = w.create_ticket(category="quick", title="quick one")
        got = rec.wait(1, seconds=8, event="sla.breach")
        time.sleep(1.0)
        assert len(rec.got("sla.breach")) == 1 and len(rec.got()) == 1, rec.got()
        _, headers, body = got[0]
        assert signed_ok(h["secret"], headers, body)
        ev = json.loads(body)
        assert ev["ticket"]["number"] == t["number"] and ev["sla"]["target"] == "first_response", ev
        assert ev["sla"]["target_seconds"] == 2 and ev["sla"]["policy"] == "QUICK v1", ev
        assert ev["sla"]["breached_at"] == ev["due_at"] == ev["sla"]["due"], ev
        created = time.mktime(time.strptime(t["created_at"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
        due = time.mktime(time.strptime(ev["due_at"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
        assert due == created + 2, (t["created_at"], ev["due_at"])
        assert "SLA" in ev["text"] and t["number"] in ev["text"], ev["text"]
        assert w.req("DELETE", HOOKS + "/%d" % h["id"]).status == 200
    finally:
        rec.close()
