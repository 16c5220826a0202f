"""Scheduled report delivery: report subscriptions over HTTP (validation naming the
field, If-Match, roles and tenants), runs triggered now and by the schedule, the
report mailed through a real SMTP server on 127.0.0.1 (a small one below, speaking
EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT), the attachment equal to the
bytes of GET /api/v1/reports/{id}, and a refused delivery (451 to DATA) retried with
backoff until it succeeds (serve runs with --report-retry-base 1)."""
import datetime
import email
import email.policy
import os
import socketserver
import threading
import time

import harness
from harness import assert_error, cli

HERE = os.path.dirname(os.path.abspath(__file__))
EXCERPT = os.path.join(HERE, "..", "unit", "data", "servicenow-audit.csv")
SUBS = "/api/v1/report-subscriptions"


class SmtpServer:
    """Accepts every message; answers 451 to the first `refuse_data` DATA commands."""

    def __init__(self):
        self.messages = []  # (mail_from, [rcpt], raw bytes)
        self.refuse_data = 0
        self.refused = 0
        self.lock = threading.Lock()
        srv = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line):
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self):
                self.reply("220 test.local ESMTP")
                mail_from, rcpts = None, []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    cmd = line.decode("latin-1").strip()
                    verb = cmd.split(" ", 1)[0].upper()
                    if verb == "EHLO":
                        self.wfile.write(b"250-test.local\r\n250 8BITMIME\r\n")
                    elif verb == "HELO":
                        self.reply("250 test.local")
                    elif verb == "MAIL":
                        mail_from, rcpts = cmd[10:].strip(), []
                        self.reply("250 ok")
                    elif verb == "RCPT":
                        rcpts.append(cmd[8:].strip())
                        self.reply("250 ok")
                    elif verb == "DATA":
                        with srv.lock:
                            refuse = srv.refused < srv.refuse_data
                            if refuse:
                                srv.refused += 1
                        if refuse:
                            self.reply("451 4.3.0 try again later")
                            continue
                        self.reply("354 end with <CRLF>.<CRLF>")
                        data = []
                        while True:
                            l = self.rfile.readline()
                            if not l or l == b".\r\n":
                                break
                            data.append(l[1:] if l.startswith(b"..") else l)
                        with srv.lock:
                            srv.messages.append((mail_from, rcpts, b"".join(data)))
                        self.reply("250 queued")
                    elif verb in ("RSET", "NOOP"):
                        self.reply("250 ok")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not implemented")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, n, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= n:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError("expected %d mails, got %d" % (n, len(self.messages)))


def make_world():
    w = harness.World(start=False)
    cli("import", "servicenow", "--db", w.db, "--client", "ACME", EXCERPT, check=0)
    w.smtp = SmtpServer()
    w.start("--smtp-url", "smtp://127.0.0.1:%d" % w.smtp.port, "--smtp-from", "reports@leitstand.example",
            "--report-retry-base", "1")
    return w


def create(w, who="admin", **fields):
    body = {"client": "ACME", "kind": "monthly", "format": "pdf", "lang": "de",
            "recipients": ["cio@acme.example", "ops@acme.example"], "schedule": "first working day 07:00"}
    body.update(fields)
    return w.req("POST", SUBS, body, who=who)


def wait_run(w, sub_id, run_id, states, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        r = w.req("GET", "%s/%d/runs" % (SUBS, sub_id))
        assert r.status == 200, r
        for run in r.json["items"]:
            if run["id"] == run_id and run["state"] in states:
                return run
        time.sleep(0.1)
    raise AssertionError("run %d never reached %s: %r" % (run_id, states, r.json))


def test_create_returns_the_subscription_with_its_next_run(w):
    r = create(w, schedule="First Working Day of Quarter 07:30", timezone="Europe/Berlin")
    assert r.status == 201, r
    s = r.json
    assert s["client"] == "ACME" and s["kind"] == "monthly" and s["format"] == "pdf" and s["lang"] == "de"
    assert s["schedule"] == "first working day of quarter 07:30", s
    assert s["recipients"] == ["cio@acme.example", "ops@acme.example"]
    assert s["timezone"] == "Europe/Berlin" and s["holidays"] == "DE" and s["active"] is True
    assert s["version"] == 1 and r.headers["etag"] == '"1"'
    nxt = datetime.datetime.fromisoformat(s["next_run_at"].replace("Z", "+00:00"))
    assert nxt > datetime.datetime.now(datetime.timezone.utc)
    assert nxt.month in (1, 4, 7, 10) and nxt.day <= 7, s
    assert w.req("GET", "%s/%d" % (SUBS, s["id"])).json == s
    listed = w.req("GET", SUBS + "?client=ACME").json["items"]
    assert s["id"] in [x["id"] for x in listed]


def test_validation_errors_name_the_field(w):
    cases = [
        ({"kind": "daily"}, "kind"),
        ({"format": "csv"}, "format"),
        ({"format": "docx"}, "format"),
        ({"lang": "fr"}, "lang"),
        ({"recipients": []}, "recipients"),
        ({"recipients": ["not-an-address"]}, "recipients"),
        ({"recipients": ["a@b.example", "x y@example.com"]}, "recipients"),
        ({"recipients": ["a@b.example\r\nBcc: evil@example.com"]}, "recipients"),
        ({"schedule": "every blue moon"}, "schedule"),
        ({"schedule": "every monday 25:00"}, "schedule"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"holidays": "XX"}, "holidays"),
        ({"client": "NOPE"}, "client"),
        ({"color": "red"}, "color"),
    ]
    for fields, field in cases:
        r = create(w, **fields)
        assert r.status == 400, (fields, r)
        assert_error(r, 400, r.json["error"]["code"], field=field)
    r = w.req("POST", SUBS, {"client": "ACME", "kind": "weekly", "recipients": ["a@b.example"]})
    assert_error(r, 400, "missing_field", field="schedule")


def test_patch_needs_the_version_and_moves_the_next_run(w):
    s = create(w, schedule="every monday 07:00").json
    path = "%s/%d" % (SUBS, s["id"])
    assert_error(w.req("PATCH", path, {"lang": "en"}), 428, "precondition_required")
    r = w.req("PATCH", path, {"schedule": "every friday 18:15", "lang": "en"}, headers={"If-Match": '"1"'})
    assert r.status == 200, r
    assert r.json["version"] == 2 and r.json["lang"] == "en" and r.json["schedule"] == "every friday 18:15"
    nxt = datetime.datetime.fromisoformat(r.json["next_run_at"].replace("Z", "+00:00"))
    assert nxt.weekday() == 4, r.json
    assert_error(w.req("PATCH", path, {"lang": "de"}, headers={"If-Match": '"1"'}), 412, "version_mismatch")
    r = w.req("PATCH", path, {"active": False}, headers={"If-Match": '"2"'})
    assert r.status == 200 and r.json["active"] is False and r.json["next_run_at"] is None, r
    r = w.req("PATCH", path, {"client": "BETA"}, headers={"If-Match": '"3"'})
    assert r.status == 400 and r.json["error"]["detail"]["field"] == "client", r
    assert w.req("DELETE", path).status == 200
    assert_error(w.req("GET", path), 404, "not_found")


def test_roles_and_tenants(w):
    s = create(w).json
    path = "%s/%d" % (SUBS, s["id"])
    for who in ("agent_a", "viewer_a"):
        assert w.req("GET", path, who=who).status == 403
        assert create(w, who=who).status == 403
    # a manager of BETA sees neither ACME's subscriptions nor may create one for ACME
    assert_error(w.req("GET", path, who="manager_b"), 404, "not_found")
    assert_error(create(w, who="manager_b"), 400, "invalid_field", field="client")
    assert all(x["client"] == "BETA" for x in w.req("GET", SUBS, who="manager_b").json["items"])
    r = create(w, who="manager_b", client="BETA")
    assert r.status == 201, r
    assert w.req("POST", "%s/%d/run" % (SUBS, s["id"]), who="manager_b").status == 404


def test_run_now_mails_the_report_and_stores_the_same_bytes(w):
    s = create(w, recipients=["cio@acme.example", "ops@acme.example"]).json
    before = len(w.smtp.messages)
    r = w.req("POST", "%s/%d/run" % (SUBS, s["id"]), {"period": "2016-03"})
    assert r.status == 202, r
    assert r.json["state"] == "queued" and r.json["period"] == "2016-03" and r.json["trigger"] == "manual"
    run = wait_run(w, s["id"], r.json["id"], ("delivered", "failed"))
    assert run["state"] == "delivered", run
    assert run["attempts"] == 1 and run["last_error"] is None and run["delivered_at"], run
    mails = w.smtp.wait(before + 1)
    mail_from, rcpts, raw = mails[before]
    assert mail_from == "<reports@leitstand.example>", mail_from
    assert sorted(rcpts) == ["<cio@acme.example>", "<ops@acme.example>"], rcpts
    for line in raw.split(b"\r\n"):
        assert len(line) <= 998
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["From"] == "reports@leitstand.example"
    assert "cio@acme.example" in msg["To"] and "ops@acme.example" in msg["To"]
    assert msg["Subject"] == "ACME – Monatsbericht 2016-03", msg["Subject"]
    assert msg["Date"] and msg["Message-ID"].startswith("<") and msg["MIME-Version"] == "1.0"
    assert msg.get_content_type() == "multipart/mixed"
    parts = list(msg.iter_parts())
    assert len(parts) == 2
    assert parts[0].get_content_type() == "text/plain" and "Monatsbericht" in parts[0].get_content()
    att = parts[1]
    assert att.get_content_type() == "application/pdf" and att.get_content_disposition() == "attachment"
    assert att.get_filename() == "ACME-monthly-2016-03.pdf"
    pdf = att.get_payload(decode=True)
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    for line in att.get_payload().splitlines():
        assert len(line) <= 76
    # the stored report is the same file
    d = w.req("GET", "/api/v1/reports/%d" % run["report"], who="viewer_a")
    assert d.status == 200, d
    assert d.headers["content-type"] == "application/pdf"
    assert d.headers["content-disposition"] == 'attachment; filename="ACME-monthly-2016-03.pdf"'
    assert d.body == pdf
    # other tenants do not see it
    assert_error(w.req("GET", "/api/v1/reports/%d" % run["report"], who="viewer_b"), 404, "not_found")
    assert_error(w.req("GET", "/api/v1/reports/%d" % run["report"], who="manager_b"), 404, "not_found")


def test_english_xlsx_and_html_reports(w):
    for fmt, ctype, magic in (("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
                              ("html", "text/html", b"<!DOCTYPE")):
        s = create(w, format=fmt, lang="en", kind="quarterly", recipients=["cfo@acme.example"]).json
        before = len(w.smtp.messages)
        r = w.req("POST", "%s/%d/run" % (SUBS, s["id"]), {"period": "2016-Q1"})
        assert r.status == 202, r
        run = wait_run(w, s["id"], r.json["id"], ("delivered", "failed"))
        assert run["state"] == "delivered", run
        msg = email.message_from_bytes(w.smtp.wait(before + 1)[before][2], policy=email.policy.default)
        assert msg["Subject"] == "ACME – quarterly report 2016-Q1"
        att = list(msg.iter_parts())[1]
        assert att.get_content_type() == ctype.split(";")[0]
        assert att.get_payload(decode=True).lstrip()[:len(magic)].upper() == magic.upper()
        d = w.req("GET", "/api/v1/reports/%d" % run["report"])
        assert d.body == att.get_payload(decode=True)


def test_run_with_a_period_of_the_wrong_shape_names_the_field(w):
    s = create(w, kind="weekly").json
    assert_error(w.req("POST", "%s/%d/run" % (SUBS, s["id"]), {"period": "2016-03"}), 400, "invalid_field",
                 field="period")
    r = w.req("POST", "%s/%d/run" % (SUBS, s["id"]), {"when": "now"})
    assert r.status == 400 and r.json["error"]["detail"]["field"] == "when", r


def test_refused_delivery_is_retried_and_visible(w):
    s = create(w, recipients=["ops@acme.example"]).json
    before = len(w.smtp.messages)
    with w.smtp.lock:
        w.smtp.refuse_data, w.smtp.refused = 2, 0
    r = w.req("POST", "%s/%d/run" % (SUBS, s["id"]), {"period": "2016-02"})
    run_id = r.json["id"]
    # the failure is in the log with its error while the run waits for its retry
    deadline = time.monotonic() + 30
    seen_failure = None
    while time.monotonic() < deadline:
        runs = w.req("GET", "%s/%d/runs" % (SUBS, s["id"])).json["items"]
        run = [x for x in runs if x["id"] == run_id][0]
        if run["state"] == "sending" and run["attempts"] >= 1:
            seen_failure = run
            break
        if run["state"] == "delivered":
            break
        time.sleep(0.02)
    assert seen_failure, run
    assert "451" in seen_failure["last_error"], seen_failure
    assert seen_failure["next_attempt_at"], seen_failure
    run = wait_run(w, s["id"], run_id, ("delivered", "failed"), seconds=60)
    assert run["state"] == "delivered" and run["attempts"] == 3, run
    assert w.smtp.refused == 2
    w.smtp.wait(before + 1)


def test_a_due_schedule_runs_by_itself_for_the_period_that_ended(w):
    # the next whole minute at least 5 s away, as "every <weekday> HH:MM" in UTC
    now = datetime.datetime.now(datetime.timezone.utc)
    at = (now + datetime.timedelta(seconds=65)).replace(second=0, microsecond=0)
    day = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][at.weekday()]
    s = create(w, kind="weekly", format="html", timezone="UTC",
               schedule="every %s %02d:%02d" % (day, at.hour, at.minute)).json
    assert s["next_run_at"] == at.strftime("%Y-%m-%dT%H:%M:%SZ"), s
    deadline = time.monotonic() + 150
    runs = []
    while time.monotonic() < deadline and not runs:
        runs = [x for x in w.req("GET", "%s/%d/runs" % (SUBS, s["id"])).json["items"]
                if x["state"] in ("delivered", "failed")]
        time.sleep(0.2)
    assert runs and runs[0]["state"] == "delivered" and runs[0]["trigger"] == "schedule", runs
    iso = (at - datetime.timedelta(days=7)).isocalendar()
    assert runs[0]["period"] == "%d-W%02d" % (iso[0], iso[1]), runs[0]
    assert runs[0]["scheduled_for"] == s["next_run_at"]
    s2 = w.req("GET", "%s/%d" % (SUBS, s["id"])).json
    assert s2["next_run_at"] == (at + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ"), s2


def test_without_a_mail_server_reports_are_stored_not_mailed(tmp):
    w = harness.World(start=False)
    try:
        cli("import", "servicenow", "--db", w.db, "--client", "ACME", EXCERPT, check=0)
        w.start()
        s = create(w).json
        r = w.req("POST", "%s/%d/run" % (SUBS, s["id"]), {"period": "2016-03"})
        run = wait_run(w, s["id"], r.json["id"], ("stored", "failed"))
        assert run["state"] == "stored" and run["note"] == "stored, not mailed" and run["attempts"] == 0, run
        d = w.req("GET", "/api/v1/reports/%d" % run["report"], who="agent_a")
        assert d.status == 200 and d.body.startswith(b"%PDF-"), d
    finally:
        problems = w.close()
    assert not problems, problems
