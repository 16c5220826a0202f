"""Retention with legal holds and the Art. 30 record: rules per client and data kind
(GET/PUT /api/v1/privacy/retention/{client}, strict validation, If-Match), legal
holds, `leitstand retention run` (back-dated with --now): a dry run changes
nothing; a run erases the requesters whose tickets are all due, reports the ones
waiting for a younger ticket, never touches a held ticket or person, replaces reply
bodies, deletes ACD intervals and leaves every ticket KPI as it was; a run over
every client deletes the oldest audit entries under an anchor and `audit verify`
still holds; the retention log; the Art. 30 document naming vendors, rules and
measures; and who may do what."""
import datetime
import json
import os
import sqlite3

from harness import assert_error, cli

HERE = os.path.dirname(os.path.abspath(__file__))
ACD = os.path.join(HERE, "..", "unit", "data", "acd-intervals-de.csv")
RET = "/api/v1/privacy/retention/"
HOLDS = "/api/v1/privacy/legal-holds"
RUNS = "/api/v1/privacy/retention-runs"
REC = "/api/v1/privacy/processing-record/"
MARKER = "[removed under the retention rule]"
RULES = {"rules": [
    {"kind": "tickets", "start": "ticket_closed", "period": "P2Y", "legal_basis": "Art. 6(1)(b) DSGVO"},
    {"kind": "replies", "start": "ticket_closed", "period": "P2Y"},
    {"kind": "attachments", "start": "ticket_created", "period": "P1Y"},
    {"kind": "call_records", "start": "interval_start", "period": "P1Y", "year_end": True},
    {"kind": "audit_entries", "start": "entry_time", "period": "P10Y", "legal_basis": "§ 147 AO"},
]}


def years_ahead(n):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=366 * n)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def q(w, sql, *args):
    c = sqlite3.connect(w.db)
    try:
        return c.execute(sql, args).fetchall()
    finally:
        c.close()


def run(w, *extra, check=0):
    r = cli("retention", "run", "--db", w.db, "--format", "json", *extra, check=check)
    return json.loads(r.out) if check == 0 else r


def kind(report, client, k):
    for c in report["clients"]:
        if c["client"] == client:
            for x in c["kinds"]:
                if x["kind"] == k:
                    return x
    raise AssertionError("no %s/%s in %r" % (client, k, report))


def kpis(w):
    k = json.loads(cli("kpi", "--db", w.db, "--client", "ACME", "--format", "json", check=0).out)
    k.pop("calls", None)  # the call KPIs go with the deleted intervals
    return k


def close(w, number):
    for state in ("resolved", "closed"):
        r = w.req("POST", "/api/v1/tickets/%s/transition" % number, {"state": state})
        assert r.status == 200, r


def ticket(w, name, email, closed=True, client="ACME", reply=None):
    t = w.create_ticket(client=client, requester={"name": name, "email": email},
                        description="Bitte %s zurückrufen" % name)
    r = w.req("POST", "/api/v1/tickets/%s/replies" % t["number"],
              {"body": reply or "Hallo %s, wir kümmern uns." % name})
    assert r.status == 201, r
    if closed:
        close(w, t["number"])
    return t["number"]


def setup(w):
    if "ret" in w.cache:
        return w.cache["ret"]
    for who, email, role, clients in (("dpo_a", "dpo.a@example.com", "dpo", ["ACME"]),
                                      ("auditor", "pruefer@example.com", "auditor", [])):
        args = ["user", "add", "--db", w.db, "--email", email, "--name", who, "--role", role]
        for c in clients:
            args += ["--client", c]
        cli(*args, check=0)
        w.tok[who] = cli("token", "create", "--db", w.db, "--email", email, check=0).out.strip()
    r = w.req("POST", "/api/v1/vendors", {"code": "PRINTFIX", "name": "Printfix GmbH", "clients": ["ACME"]})
    assert r.status == 201, r
    s = {
        "anna": [ticket(w, "Anna Alt", "anna@kunde.example"), ticket(w, "Anna Alt", "anna@kunde.example")],
        "bert": [ticket(w, "Bert Bauer", "bert@kunde.example"),
                 ticket(w, "Bert Bauer", "bert@kunde.example", closed=False)],
        "carla": [ticket(w, "Carla Cramer", "carla@kunde.example")],
        "dora": [ticket(w, "Dora Dietz", "dora@kunde.example")],
        "emil": [ticket(w, "Emil Ernst", "emil@beta.example", client="BETA")],
    }
    cli("import", "acd", "--db", w.db, "--client", "ACME", "--tz", "Europe/Berlin", "--max-errors", "3", ACD,
        check=0)
    w.cache["ret"] = s
    return s


def pseudonym(w, number):
    return q(w, "SELECT p.pseudonym FROM persons p JOIN tickets t ON t.person_id = p.id WHERE t.number = ?",
             number)[0][0]


def erased(w, number):
    return q(w, "SELECT p.erased_at IS NOT NULL FROM persons p JOIN tickets t ON t.person_id = p.id "
                "WHERE t.number = ?", number)[0][0] == 1


def bodies(w, number):
    r = w.req("GET", "/api/v1/tickets/%s/messages" % number)
    assert r.status == 200, r
    return [m["body"] for m in r.json["items"]]


def test_rules_are_validated_versioned_and_guarded_by_roles(w):
    setup(w)
    r = w.req("GET", RET + "ACME", who="dpo_a")
    assert r.status == 200 and r.json["version"] == 0 and r.json["rules"] == [], r
    bad = [
        ({"rules": [{"kind": "tickets", "start": "ticket_closed", "period": "2 years"}]}, "rules[0].period"),
        ({"rules": [{"kind": "tickets", "start": "interval_start", "period": "P2Y"}]}, "rules[0].start"),
        ({"rules": [{"kind": "files", "start": "ticket_closed", "period": "P2Y"}]}, "rules[0].kind"),
        ({"rules": [{"kind": "tickets", "start": "ticket_closed", "period": "P0D"}]}, "rules[0].period"),
        ({"rules": [{"kind": "tickets", "start": "ticket_closed", "period": "P2Y", "action": "delete"}]},
         "rules[0].action"),
        ({"rules": [RULES["rules"][0], RULES["rules"][0]]}, "rules[1].kind"),
        ({"rules": [{"kind": "tickets", "start": "ticket_closed"}]}, "rules[0].period"),
    ]
    for body, field in bad:
        assert_error(w.req("PUT", RET + "ACME", body, who="dpo_a"), 400,
                     "missing_field" if "period" not in json.dumps(body) else "invalid_field", field)
    assert_error(w.req("PUT", RET + "ACME", {"rules": [], "extra": 1}, who="dpo_a"), 400, "unknown_field")
    # roles: agents, managers, viewers and auditors change nothing; auditors read
    for who in ("agent_a", "manager_b", "viewer_a", "auditor"):
        assert_error(w.req("PUT", RET + "ACME", RULES, who=who), 403, "forbidden")
    for who in ("agent_a", "viewer_a"):
        assert_error(w.req("GET", RET + "ACME", who=who), 403, "forbidden")
    assert w.req("GET", RET + "ACME", who="auditor").status == 200
    assert_error(w.req("GET", RET + "BETA", who="dpo_a"), 404, "not_found", "client")

    r = w.req("PUT", RET + "ACME", RULES, who="dpo_a")
    assert r.status == 200 and r.json["version"] == 1 and r.headers["etag"] == '"1"', r
    assert [x["kind"] for x in r.json["rules"]] == ["tickets", "replies", "attachments", "call_records",
                                                   "audit_entries"]
    assert r.json["rules"][0]["action"] == "pseudonymise" and r.json["rules"][3]["year_end"] is True
    assert_error(w.req("PUT", RET + "ACME", RULES, who="dpo_a"), 428, "precondition_required")
    assert_error(w.req("PUT", RET + "ACME", RULES, who="admin", headers={"If-Match": '"7"'}), 412,
                 "version_mismatch")
    r = w.req("PUT", RET + "ACME", RULES, who="admin", headers={"If-Match": '"1"'})
    assert r.status == 200 and r.json["version"] == 2, r
    assert q(w, "SELECT count(*) FROM retention_rule_sets")[0][0] == 2  # the history stays


def test_holds_are_created_listed_and_refused_for_wrong_input(w):
    s = setup(w)
    r = w.req("POST", HOLDS, {"client": "ACME", "ticket": s["carla"][0], "reason": "Rechtsstreit"}, who="dpo_a")
    assert r.status == 201 and r.json["active"] is True and r.json["ticket"] == s["carla"][0], r
    w.cache["carla_hold"] = r.json["id"]
    r = w.req("POST", HOLDS, {"client": "ACME", "person": pseudonym(w, s["dora"][0]),
                              "reason": "Anfrage der Staatsanwaltschaft", "from": "2020-01-01"}, who="admin")
    assert r.status == 201 and r.json["person"] == pseudonym(w, s["dora"][0]) and r.json["until"] is None, r
    assert_error(w.req("POST", HOLDS, {"client": "ACME", "reason": ""}, who="dpo_a"), 400, "invalid_field", "reason")
    assert_error(w.req("POST", HOLDS, {"client": "ACME", "ticket": s["emil"][0], "reason": "x"}, who="admin"), 404,
                 "not_found", "ticket")
    assert_error(w.req("POST", HOLDS, {"client": "ACME", "reason": "x", "from": "2026-01-02",
                                       "until": "2026-01-01"}, who="admin"), 400, "invalid_field", "until")
    assert_error(w.req("POST", HOLDS, {"client": "ACME", "reason": "x", "why": 1}, who="admin"), 400,
                 "unknown_field")
    assert_error(w.req("POST", HOLDS, {"client": "BETA", "reason": "x"}, who="dpo_a"), 404, "not_found", "client")
    assert_error(w.req("POST", HOLDS, {"client": "ACME", "reason": "x"}, who="auditor"), 403, "forbidden")
    items = w.list_all(who="auditor", path=HOLDS)
    assert len(items) == 2 and items[0]["id"] > items[1]["id"], items
    assert w.list_all(who="admin", path=HOLDS, query="client=BETA") == []


def test_a_dry_run_changes_nothing(w):
    s = setup(w)
    before = (q(w, "SELECT count(*) FROM persons WHERE erased_at IS NOT NULL"),
              q(w, "SELECT count(*) FROM acd_intervals"), q(w, "SELECT count(*) FROM audit_log"),
              bodies(w, s["anna"][0]))
    rep = run(w, "--dry-run", "--now", years_ahead(3))
    assert rep["dry_run"] is True
    t = kind(rep, "ACME", "tickets")
    assert t["due"] == 1 and t["done"] == 0 and t["waiting"] == 1 and t["held"] == 2, t
    assert kind(rep, "ACME", "call_records")["due"] > 0
    assert after_eq(w, before, s)
    assert q(w, "SELECT count(*) FROM retention_runs")[0][0] == 0
    text = cli("retention", "run", "--db", w.db, "--dry-run", "--now", years_ahead(3), check=0).out
    assert "dry run" in text and "ACME" in text and "no attachments" in text, text


def after_eq(w, before, s):
    return before == (q(w, "SELECT count(*) FROM persons WHERE erased_at IS NOT NULL"),
                      q(w, "SELECT count(*) FROM acd_intervals"), q(w, "SELECT count(*) FROM audit_log"),
                      bodies(w, s["anna"][0]))


def test_a_run_erases_due_persons_keeps_held_ones_and_every_kpi(w):
    s = setup(w)
    k0 = kpis(w)
    beta = w.get_ticket(s["emil"][0])
    rep = run(w, "--client", "ACME", "--now", years_ahead(3))
    assert "audit_entries" not in rep  # one client: the audit log is left alone
    t = kind(rep, "ACME", "tickets")
    assert (t["done"], t["waiting"], t["held"], t["tickets"]) == (1, 1, 2, 2), t
    assert t["tickets_waiting"] == 1 and t["tickets_held"] == 2, t
    assert erased(w, s["anna"][0]) and erased(w, s["anna"][1])
    for who in ("bert", "carla", "dora"):
        assert not erased(w, s[who][0]), who
    a = w.get_ticket(s["anna"][0])
    assert "anna" not in json.dumps(a).lower(), a
    # replies of due tickets replaced, also Bert's closed one; held ones untouched
    assert bodies(w, s["anna"][0]) == [MARKER]
    assert bodies(w, s["bert"][0]) == [MARKER]
    assert bodies(w, s["bert"][1]) != [MARKER]  # open
    assert bodies(w, s["carla"][0]) == ["Hallo Carla Cramer, wir kümmern uns."]
    assert bodies(w, s["dora"][0]) == ["Hallo Dora Dietz, wir kümmern uns."]
    r = w.req("GET", "/api/v1/search?q=k%C3%BCmmern&client=ACME")
    assert r.status == 200 and {x["number"] for x in r.json["items"]} == {s["bert"][1], s["carla"][0], s["dora"][0]}, r
    # call records gone, attachments reported, the other client untouched
    assert kind(rep, "ACME", "call_records")["done"] > 0
    assert q(w, "SELECT count(*) FROM acd_intervals")[0][0] == 0
    assert "no attachments" in kind(rep, "ACME", "attachments")["note"]
    assert w.get_ticket(s["emil"][0]) == beta
    assert kpis(w) == k0
    # logged, and on record in the audit log
    r = w.req("GET", RUNS, who="dpo_a")
    assert r.status == 200 and len(r.json["items"]) == 1 and r.json["items"][0]["client"] == "ACME", r
    assert r.json["items"][0]["result"]["kinds"][0]["done"] == 1
    r = w.req("GET", "/api/v1/audit?kind=privacy&client=ACME")
    actions = [e["detail"]["action"] for e in r.json["items"]]
    assert "erase" in actions and "retention_run" in actions, actions
    # a second run finds nothing new
    rep = run(w, "--client", "ACME", "--now", years_ahead(3))
    assert kind(rep, "ACME", "tickets")["done"] == 0 and kind(rep, "ACME", "replies")["done"] == 0


def test_releasing_a_hold_lets_the_next_run_erase(w):
    s = setup(w)
    hid = w.cache.get("carla_hold")
    assert_error(w.req("POST", HOLDS + "/%d/release" % hid, who="auditor"), 403, "forbidden")
    r = w.req("POST", HOLDS + "/%d/release" % hid, who="dpo_a")
    assert r.status == 200 and r.json["active"] is False and r.json["released_by"] == "dpo.a@example.com", r
    assert_error(w.req("POST", HOLDS + "/%d/release" % hid, who="dpo_a"), 409, "conflict")
    assert_error(w.req("POST", HOLDS + "/999999/release", who="dpo_a"), 404, "not_found")
    rep = run(w, "--client", "ACME", "--now", years_ahead(3))
    assert kind(rep, "ACME", "tickets")["done"] == 1
    assert erased(w, s["carla"][0]) and not erased(w, s["dora"][0])


def test_a_hold_on_the_client_stops_everything(w):
    s = setup(w)
    r = w.req("POST", HOLDS, {"client": "ACME", "reason": "Betriebsprüfung"}, who="admin")
    assert r.status == 201, r
    ticket(w, "Fritz Frei", "fritz@kunde.example")
    rep = run(w, "--client", "ACME", "--now", years_ahead(3))
    c = [x for x in rep["clients"] if x["client"] == "ACME"][0]
    assert c["client_held"] is True and all(x["done"] == 0 for x in c["kinds"] if "done" in x), c
    assert w.req("POST", HOLDS + "/%d/release" % r.json["id"], who="admin").status == 200
    assert not erased(w, s["dora"][0])


def test_a_run_over_every_client_deletes_the_oldest_audit_entries_under_an_anchor(w):
    setup(w)
    n0 = q(w, "SELECT count(*) FROM audit_log")[0][0]
    # BETA has no rule: its first entry stops the prefix
    rep = run(w, "--now", years_ahead(11))
    a = rep["audit_entries"]
    first_beta = q(w, "SELECT min(id) FROM audit_log WHERE client_id = (SELECT id FROM clients WHERE code='BETA')")
    assert a["done"] > 0 and a["anchor"]["id"] < (first_beta[0][0] or 10 ** 9), a
    assert q(w, "SELECT min(id) FROM audit_log")[0][0] == a["anchor"]["id"] + 1
    assert q(w, "SELECT count(*) FROM audit_log")[0][0] < n0
    out = cli("audit", "verify", "--db", w.db, check=0).out
    assert out.startswith("ok ") and "after entry %d" % a["anchor"]["id"] in out, out
    # the deletion is itself on record, with the anchor
    r = w.req("GET", "/api/v1/audit?kind=privacy")
    d = [e["detail"] for e in r.json["items"] if e["detail"].get("action") == "retention_audit_delete"]
    assert d and d[0]["anchor_id"] == a["anchor"]["id"] and d[0]["anchor_hash"] == a["anchor"]["hash"], d
    # the installation row is for admins and whole-installation auditors only
    assert any(i["client"] is None for i in w.list_all(path=RUNS, who="auditor"))
    assert all(i["client"] == "ACME" for i in w.list_all(path=RUNS, who="dpo_a"))
    assert_error(w.req("GET", RUNS, who="agent_a"), 403, "forbidden")


RECORD = {
    "controller": {"name": "ACME GmbH", "address": "Hafenstraße 1, 20457 Hamburg", "dpo": "dsb@acme.example"},
    "processor": {"name": "Servicemanagement Nord", "contact": "leitung@sm-nord.example"},
    "purposes": ["Bearbeitung von Kundenanfragen <Support>"],
    "data_subjects": ["Kunden der ACME GmbH"],
    "third_country_transfers": [],
    "avv": {"reference": "AVV-2026-07", "date": "2026-01-15", "version": "2.1",
            "subprocessors": [{"name": "Hetzner Online GmbH", "service": "Hosting", "location": "Falkenstein"}]},
}


def test_the_art_30_record_is_stored_and_exported_as_a_document(w):
    setup(w)
    assert_error(w.req("PUT", REC + "ACME", {"purposes": "x"}, who="dpo_a"), 400, "invalid_field", "purposes")
    assert_error(w.req("PUT", REC + "ACME", {"avv": {"date": "15.01.2026"}}, who="dpo_a"), 400, "invalid_field",
                 "avv.date")
    assert_error(w.req("PUT", REC + "ACME", {"avv": {"signed": True}}, who="dpo_a"), 400, "unknown_field")
    assert_error(w.req("PUT", REC + "ACME", RECORD, who="auditor"), 403, "forbidden")
    r = w.req("PUT", REC + "ACME", RECORD, who="dpo_a")
    assert r.status == 200 and r.json["version"] == 1 and r.json["record"] == RECORD, r
    g = r.json["generated"]
    assert [v["code"] for v in g["recipients"]] == ["PRINTFIX"], g
    assert [x["period"] for x in g["retention"]][:2] == ["P2Y", "P2Y"], g
    assert {m["id"] for m in g["measures"]} >= {"encryption_at_rest", "audit_chain", "roles", "login_lockout"}
    assert_error(w.req("PUT", REC + "ACME", RECORD, who="dpo_a"), 428, "precondition_required")
    r = w.req("GET", REC + "ACME/document?format=html&lang=de", who="auditor")
    assert r.status == 200 and r.headers["content-type"].startswith("text/html"), r
    html = r.body.decode()
    for s in ("Verzeichnis von Verarbeitungstätigkeiten", "PRINTFIX", "Printfix GmbH", "P2Y", "P10Y",
              "XChaCha20-Poly1305", "AVV-2026-07", "Hetzner Online GmbH", "&lt;Support&gt;", "§ 147 AO"):
        assert s in html, s
    assert "<Support>" not in html
    r = w.req("GET", REC + "ACME/document?format=md&lang=en")
    assert r.status == 200 and "Record of processing activities" in r.body.decode(), r
    assert_error(w.req("GET", REC + "ACME/document?format=pdf"), 400, "invalid_parameter", "format")
    assert_error(w.req("GET", REC + "ACME/document?lang=fr"), 400, "invalid_parameter", "lang")
    assert_error(w.req("GET", REC + "ACME", who="agent_a"), 403, "forbidden")
    assert_error(w.req("GET", REC + "BETA", who="dpo_a"), 404, "not_found")
    out = os.path.join(w.dir, "vvt.json")
    cli("privacy", "record", "--db", w.db, "--client", "ACME", "--format", "json", "-o", out, check=0)
    with open(out) as f:
        doc = json.load(f)
    assert doc["record"]["avv"]["reference"] == "AVV-2026-07" and doc["generated"]["recipients"][0]["code"] == \
        "PRINTFIX", doc
    md = cli("privacy", "record", "--db", w.db, "--client", "ACME", "--format", "md", "--lang", "en", check=0).out
    assert md.startswith("# Record of processing activities") and "PRINTFIX" in md, md
    assert cli("privacy", "record", "--db", w.db, "--client", "ACME", "--lang", "fr").rc == 2


def test_command_line_help_and_usage(w):
    assert "--dry-run" in cli("retention", "run", "--help", check=0).out
    assert cli("retention", "run", "--db", w.db, "--now", "yesterday").rc == 2
    assert cli("retention", "purge").rc == 2
    assert cli("serve", "--retention-at", "25:00").rc == 2
