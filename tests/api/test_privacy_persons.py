"""Persons behind requesters (docs/privacy.md): linking by email per client, personal
fields encrypted at rest, rectification, the data-subject export (Art. 15/20) and
erasure (Art. 17) that leaves no plain trace in the database file or its WAL while
every KPI stays the same, and the key operations (client key rotation, master key
rotation, crypto-shredding, a wrong master key)."""
import io
import json
import os
import shutil
import sqlite3
import urllib.parse
import zipfile

from harness import assert_error, cli


def dpo(w):
    if "dpo" not in w.tok:
        cli("user", "add", "--db", w.db, "--email", "dsb@acme.example", "--name", "DSB", "--role", "dpo",
            "--client", "ACME", check=0)
        w.tok["dpo"] = cli("token", "create", "--db", w.db, "--email", "dsb@acme.example", check=0).out.strip()
        w.email["dpo"] = "dsb@acme.example"
    return "dpo"


def db_bytes(w):
    """The database file and its WAL as they are on disk."""
    data = b""
    for suffix in ("", "-wal"):
        p = w.db + suffix
        if os.path.exists(p):
            with open(p, "rb") as f:
                data += f.read()
    return data


def person_of(w, email, client=None, who="admin"):
    q = "email=" + email + ("&client=" + client if client else "")
    r = w.req("GET", "/api/v1/persons?" + q, who=who)
    assert r.status == 200, r
    return r.json["items"]


def kpis(w, client="ACME"):
    r = cli("kpi", "--db", w.db, "--client", client, "--format", "json", check=0)
    return json.loads(r.out)


def test_requesters_are_persons_linked_by_email_per_client(w):
    a = w.create_ticket(title="first", requester={"name": "Jana Link", "email": "jana@acme.example"})
    b = w.create_ticket(title="second", requester={"email": "JANA@acme.example", "phone": "+49 30 555"})
    c = w.create_ticket(client="BETA", title="elsewhere", requester={"name": "Jana L.", "email": "jana@acme.example"})
    acme = person_of(w, "jana@acme.example", "ACME")
    assert len(acme) == 1, acme
    p = acme[0]
    # the second ticket filled in the phone the first lacked; the name stays
    assert (p["name"], p["email"], p["phone"]) == ("Jana Link", "jana@acme.example", "+49 30 555"), p
    assert p["pseudonym"].startswith("P-") and len(p["pseudonym"]) == 10
    one = w.req("GET", "/api/v1/persons/%d" % p["id"]).json
    assert one["tickets"] == [a["number"], b["number"]], one
    # both tickets show the person's data
    assert w.get_ticket(b["number"])["requester"] == {"name": "Jana Link", "email": "jana@acme.example",
                                                     "phone": "+49 30 555"}
    # the same address in another client is another person
    both = person_of(w, "jana@acme.example")
    assert sorted(x["client"] for x in both) == ["ACME", "BETA"]
    assert w.req("GET", "/api/v1/persons/%d" % both[1]["id"]).json["tickets"] in ([c["number"]], [a["number"],
                                                                                                   b["number"]])
    # tickets by requester: exact email through the keyed hash, within the caller's clients
    nums = lambda r: sorted(x["number"] for x in r.json["items"])
    assert nums(w.req("GET", "/api/v1/tickets?requester=JANA@acme.example")) == sorted([a["number"], b["number"],
                                                                                      c["number"]])
    assert nums(w.req("GET", "/api/v1/tickets?requester=jana@acme.example&client=ACME")) == sorted([a["number"],
                                                                                                  b["number"]])
    assert nums(w.req("GET", "/api/v1/tickets?requester=jana@acme.example", who="agent_a")) == \
        sorted([a["number"], b["number"]])
    assert w.req("GET", "/api/v1/tickets?requester=nobody@acme.example").json["items"] == []
    assert_error(w.req("GET", "/api/v1/tickets?requester="), 400, "missing_field", "requester")
    # agents find persons only through tickets; no email, no search
    assert w.req("GET", "/api/v1/persons?email=jana@acme.example", who="agent_a").status == 403
    assert_error(w.req("GET", "/api/v1/persons"), 400, "missing_field", "email")
    assert_error(w.req("GET", "/api/v1/persons?email=x@y.z&client=NOPE"), 400, "invalid_parameter", "client")
    assert w.req("GET", "/api/v1/persons/999999").status == 404


def test_personal_fields_are_encrypted_at_rest(w):
    w.create_ticket(title="sealed", requester={"name": "Quirin Sealmann", "email": "quirin.seal@acme.example",
                                               "phone": "+49 89 4711 0815"})
    w.req("GET", "/api/v1/persons?email=quirin.seal@acme.example")
    raw = db_bytes(w)
    for plain in (b"quirin.seal@acme.example", b"Quirin Sealmann", b"+49 89 4711 0815"):
        assert plain not in raw, plain
    assert os.stat(w.db + ".key").st_mode & 0o077 == 0  # the key file is the owner's only


def test_rectification_needs_if_match_and_shows_on_every_ticket(w):
    t1 = w.create_ticket(title="rect 1", requester={"name": "Rita Typo", "email": "rita@acme.example"})
    t2 = w.create_ticket(title="rect 2", requester={"email": "rita@acme.example"})
    p = person_of(w, "rita@acme.example", "ACME")[0]
    path = "/api/v1/persons/%d" % p["id"]
    assert_error(w.req("PATCH", path, {"name": "Rita Richtig"}), 428, "precondition_required")
    assert_error(w.req("PATCH", path, {"name": "x"}, headers={"If-Match": '"99"'}), 412, "version_mismatch")
    assert_error(w.req("PATCH", path, {"email": "no-at-sign"}, headers={"If-Match": '"%d"' % p["version"]}), 400,
                 "invalid_field", "email")
    assert_error(w.req("PATCH", path, {"fax": "1"}, headers={"If-Match": '"%d"' % p["version"]}), 400,
                 "unknown_field", "fax")
    r = w.req("PATCH", path, {"name": "Rita Richtig", "company": "ACME GmbH"},
              headers={"If-Match": '"%d"' % p["version"]})
    assert r.status == 200 and r.json["name"] == "Rita Richtig" and r.json["version"] == p["version"] + 1, r
    for t in (t1, t2):
        assert w.get_ticket(t["number"])["requester"]["name"] == "Rita Richtig"
    # an agent cannot rectify; a dpo of the client can
    assert w.req("PATCH", path, {"name": "x"}, who="agent_a", headers={"If-Match": '"2"'}).status == 403
    r = w.req("PATCH", path, {"phone": "+49 1"}, who=dpo(w), headers={"If-Match": '"2"'})
    assert r.status == 200 and r.json["phone"] == "+49 1", r
    entries = w.req("GET", "/api/v1/audit?kind=privacy&limit=50").json["items"]
    mine = [e for e in entries if e["subject"] == p["pseudonym"]]
    assert mine and all(e["detail"]["action"] == "rectify" for e in mine), mine
    assert "Rita" not in json.dumps(mine)


def test_ticket_patch_moves_the_requester_without_plain_history(w):
    t = w.create_ticket(title="moving", requester={"name": "Otto Erst", "email": "otto@acme.example"})
    r = w.req("PATCH", "/api/v1/tickets/" + t["number"], {"requester": {"email": "paula@acme.example",
                                                                       "name": "Paula Zweit"}},
              headers={"If-Match": '"%d"' % t["version"]})
    assert r.status == 200 and r.json["requester"]["email"] == "paula@acme.example", r
    hist = w.req("GET", "/api/v1/tickets/%s/history" % t["number"]).json["items"]
    text = json.dumps(hist)
    assert "otto@" not in text and "paula@" not in text and "Otto" not in text, text
    moves = [e for e in hist if e["field"] == "requester"]
    assert len(moves) == 1 and moves[0]["new"].startswith("P-") and moves[0]["old"].startswith("P-"), moves
    assert person_of(w, "otto@acme.example", "ACME")[0]["pseudonym"] == moves[0]["old"]


def test_export_holds_everything_and_who_read_it(w, tmp):
    t1 = w.create_ticket(title="Export eins", description="Bitte zurückrufen",
                         requester={"name": "Erik Export", "email": "erik.export@acme.example", "phone": "+49 1"})
    t2 = w.create_ticket(title="Export zwei", requester={"email": "erik.export@acme.example"})
    w.req("POST", "/api/v1/tickets/%s/replies" % t1["number"], {"body": "Wir melden uns."})
    w.get_ticket(t1["number"], who="agent_a")  # a read of their data by an agent
    pid = person_of(w, "erik.export@acme.example", "ACME")[0]["id"]
    r = w.req("POST", "/api/v1/persons/%d/consents" % pid, {"purpose": "newsletter", "channel": "web",
                                                           "text_version": "v1"})
    assert r.status == 201, r
    out = os.path.join(tmp, "erik.zip")
    r = cli("person", "export", "--db", w.db, "--email", "Erik.Export@acme.example", "-o", out, check=0)
    assert "exported 1 person record" in r.out, r
    z = zipfile.ZipFile(out)
    assert z.testzip() is None
    names = set(z.namelist())
    assert {"README.txt", "person.json", "tickets.json", "tickets.csv", "messages.csv", "access_log.csv",
            "access_log.json", "consents.csv", "consents.json"} <= names, names
    person = json.loads(z.read("person.json"))
    assert len(person) == 1 and person[0]["email"] == "erik.export@acme.example" and person[0]["name"] == \
        "Erik Export", person
    tickets = json.loads(z.read("tickets.json"))
    assert [t["number"] for t in tickets] == [t1["number"], t2["number"]]
    assert tickets[0]["description"] == "Bitte zurückrufen"
    assert any(m["body"] == "Wir melden uns." for m in tickets[0]["messages"])
    assert tickets[0]["history"] and tickets[0]["history"][0]["field"] == "created"
    consents = json.loads(z.read("consents.json"))
    assert [(c["purpose"], c["channel"], c["text_version"], c["withdrawn_at"]) for c in consents] == \
        [("newsletter", "web", "v1", None)], consents
    assert z.read("consents.csv").decode().splitlines()[1].startswith("ACME,newsletter,web,")
    rows = z.read("tickets.csv").decode("utf-8").splitlines()
    assert rows[0].startswith("number,client,type,title") and len(rows) == 3
    access = json.loads(z.read("access_log.json"))
    readers = {(a["actor"], a["kind"]) for a in access}
    assert ("agent.a@example.com", "personal_data_read") in readers, access
    # the export is on record too, naming the pseudonym only
    entries = w.req("GET", "/api/v1/audit?kind=privacy&limit=20").json["items"]
    assert any(e["detail"].get("action") == "export" and e["subject"] == person[0]["pseudonym"] for e in entries)
    # the same over HTTP for a dpo, as a zip download
    r = w.req("GET", "/api/v1/persons/%d/export" % pid, who=dpo(w))
    assert r.status == 200 and r.headers["content-type"] == "application/zip", r
    assert "attachment" in r.headers.get("content-disposition", "")
    z2 = zipfile.ZipFile(io.BytesIO(r.body))
    assert json.loads(z2.read("person.json"))[0]["email"] == "erik.export@acme.example"
    assert w.req("GET", "/api/v1/persons/%d/export" % pid, who="agent_a").status == 403
    assert cli("person", "export", "--db", w.db, "--email", "nobody@acme.example", "-o", out).rc == 1
    assert cli("person", "export", "--db", w.db, "--email", "x@acme.example").rc == 2  # no -o


def test_erasure_leaves_no_trace_and_every_kpi_unchanged(w):
    email, name, phone = "eva.loesch@acme.example", "Eva Löschmich", "+49 221 987654"
    t1 = w.create_ticket(title="Drucker defekt (Eva Löschmich)", description="Rückruf an %s oder %s" % (email, phone),
                         requester={"name": name, "email": email, "phone": phone})
    w.req("POST", "/api/v1/tickets/%s/replies" % t1["number"], {"body": "Hallo Eva Löschmich, erledigt."})
    w.req("POST", "/api/v1/tickets/%s/notes" % t1["number"], {"body": "Kundin %s informiert" % email.upper()})
    other = w.create_ticket(title="Kollege", description="cc: %s" % email,
                            requester={"name": "Karl Bleibt", "email": "karl@acme.example"})
    r = w.req("PATCH", "/api/v1/tickets/" + t1["number"], {"team": "L1"},
              headers={"If-Match": '"%d"' % w.get_ticket(t1["number"])["version"]})
    assert r.status == 200, r
    for st in ("in_progress", "resolved"):
        r = w.req("POST", "/api/v1/tickets/%s/transition" % t1["number"], {"state": st})
        assert r.status == 200, r
    before = kpis(w)
    assert email.encode() in db_bytes(w)  # free text held it in plain
    r = cli("person", "erase", "--db", w.db, "--email", email, check=0)
    assert "erased P-" in r.out and "1 ticket kept" in r.out, r
    raw = db_bytes(w)
    for plain in (email, email.upper(), name, phone):
        assert plain.encode() not in raw, plain
    assert "Löschmich".encode() not in raw
    assert kpis(w) == before
    # tickets stay, the pseudonym stands where the data was
    got = w.get_ticket(t1["number"])
    ps = got["requester"]["name"]
    assert ps.startswith("P-") and got["requester"]["email"] is None and got["requester"]["phone"] is None, got
    assert ps in got["description"] and ps in got["title"], got
    assert w.get_ticket(other["number"])["description"] == "cc: " + ps
    assert w.get_ticket(other["number"])["requester"]["name"] == "Karl Bleibt"
    msgs = w.req("GET", "/api/v1/tickets/%s/messages" % t1["number"]).json["items"]
    assert all(name not in m["body"] and email.upper() not in m["body"] for m in msgs), msgs
    assert person_of(w, email) == []
    assert cli("person", "erase", "--db", w.db, "--email", email).rc == 1  # nobody left with that address
    assert cli("audit", "verify", "--db", w.db, check=0).out.startswith("ok ")
    # search finds the pseudonym, not the name
    assert w.req("GET", "/api/v1/search?q=" + urllib.parse.quote("Löschmich")).json["items"] == []


def test_erasure_over_http_closes_the_register_entry(w):
    w.create_ticket(title="api erase", requester={"name": "Ida Weg", "email": "ida@acme.example"})
    pid = person_of(w, "ida@acme.example", "ACME")[0]["id"]
    req = w.req("POST", "/api/v1/privacy/requests", {"client": "ACME", "kind": "erasure", "person": pid, "channel": "email"},
                who=dpo(w))
    assert req.status == 201, req
    assert w.req("POST", "/api/v1/persons/%d/erase" % pid, who="agent_a").status == 403
    assert_error(w.req("POST", "/api/v1/persons/%d/erase" % pid, {"request": "x"}, who=dpo(w)), 400,
                 "invalid_field", "request")
    r = w.req("POST", "/api/v1/persons/%d/erase" % pid, {"request": req.json["id"]}, who=dpo(w))
    assert r.status == 200 and r.json["tickets"] == 1 and r.json["request"] == req.json["id"], r
    assert w.req("GET", "/api/v1/privacy/requests/%d" % req.json["id"], who=dpo(w)).json["state"] == "done"
    again = w.req("POST", "/api/v1/persons/%d/erase" % pid, who=dpo(w))
    assert_error(again, 409, "erased")
    p = w.req("GET", "/api/v1/persons/%d" % pid).json
    assert p["erased_at"] and p["name"] is None and p["email"] is None, p
    assert_error(w.req("PATCH", "/api/v1/persons/%d" % pid, {"name": "x"}, headers={"If-Match": '"%d"' %
                                                                                   p["version"]}), 409, "erased")


def test_sealed_messages_stay_readable_unsearchable_and_erasable(w):
    cli("client", "add", "--db", w.db, "--code", "GAMMA", "--name", "Gamma KG", check=0)
    t = w.create_ticket(client="GAMMA", title="sealed replies", requester={"name": "Hugo Geheim",
                                                                          "email": "hugo@gamma.example"})
    before = w.req("POST", "/api/v1/tickets/%s/replies" % t["number"], {"body": "Kennwort 4711 an hugo@gamma.example"})
    assert before.status == 201, before
    assert w.req("GET", "/api/v1/search?q=Kennwort").json["items"]
    r = cli("keys", "seal-messages", "--db", w.db, "--client", "GAMMA", "on", check=0)
    assert "1 stored so far sealed" in r.out, r
    assert cli("keys", "seal-messages", "--db", w.db, "--client", "GAMMA").rc == 2
    w.req("POST", "/api/v1/tickets/%s/notes" % t["number"], {"body": "Notiz Zugangscode 0815"})
    raw = db_bytes(w)
    assert b"Kennwort 4711" not in raw and b"Zugangscode 0815" not in raw
    bodies = [m["body"] for m in w.req("GET", "/api/v1/tickets/%s/messages" % t["number"]).json["items"]]
    assert bodies == ["Kennwort 4711 an hugo@gamma.example", "Notiz Zugangscode 0815"], bodies
    assert w.req("GET", "/api/v1/search?q=Kennwort").json["items"] == []  # sealed text leaves the index
    r = cli("person", "erase", "--db", w.db, "--email", "hugo@gamma.example", "--client", "GAMMA", check=0)
    assert "erased" in r.out, r
    got = w.get_ticket(t["number"])["requester"]["name"]
    bodies = [m["body"] for m in w.req("GET", "/api/v1/tickets/%s/messages" % t["number"]).json["items"]]
    assert bodies[0] == "Kennwort 4711 an " + got, bodies
    r = cli("keys", "seal-messages", "--db", w.db, "--client", "GAMMA", "off", check=0)
    assert "plain text" in r.out
    assert w.req("GET", "/api/v1/tickets/%s/messages" % t["number"]).json["items"][1]["body"] == \
        "Notiz Zugangscode 0815"


def test_client_key_rotation_and_master_rotation_keep_data_readable(w, tmp):
    t = w.create_ticket(client="BETA", title="rotate", requester={"name": "Rolf Rotor", "email": "rolf@beta.example"})
    r = cli("keys", "rotate", "--db", w.db, "--client", "BETA", check=0)
    assert "new data key" in r.out, r
    w.server.stop_checked()  # the server caches keys per connection: start afresh
    w.start()
    assert w.get_ticket(t["number"])["requester"]["email"] == "rolf@beta.example"
    assert person_of(w, "rolf@beta.example", "BETA")  # the lookup hash was recomputed
    old_key = open(w.db + ".key").read()
    r = cli("keys", "rotate-master", "--db", w.db, check=0)
    assert "re-wrapped" in r.out, r
    assert open(w.db + ".key").read() != old_key and not os.path.exists(w.db + ".key.new")
    assert "data key version 2" in cli("keys", "status", "--db", w.db, check=0).out
    assert cli("person", "show", "--db", w.db, "--email", "rolf@beta.example", check=0).out.startswith("P-")
    # the old key no longer opens anything: a clear error, nothing changed
    wrong = os.path.join(tmp, "old.key")
    with open(wrong, "w") as f:
        f.write(old_key)
    os.chmod(wrong, 0o600)
    r = cli("person", "show", "--db", w.db, "--email", "rolf@beta.example", "--key-file", wrong)
    assert r.rc == 1 and "does not belong to this database" in r.err, r
    loose = os.path.join(tmp, "loose.key")
    shutil.copy(w.db + ".key", loose)
    os.chmod(loose, 0o644)
    r = cli("person", "show", "--db", w.db, "--email", "rolf@beta.example", "--key-file", loose)
    assert r.rc == 1 and "chmod 600" in r.err, r
    w.server.stop_checked()
    w.start()


def test_crypto_shredding_makes_a_clients_persons_unreadable(w):
    t = w.create_ticket(client="BETA", title="shred", requester={"name": "Sven Schredder", "email": "sven@beta.example"})
    acme = w.create_ticket(title="stays", requester={"name": "Anna Bleibt", "email": "anna.b@acme.example"})
    assert cli("keys", "shred", "--db", w.db, "--client", "BETA").rc == 2  # needs --yes
    r = cli("keys", "shred", "--db", w.db, "--client", "BETA", "--yes", check=0)
    assert "data key destroyed" in r.out, r
    w.server.stop_checked()
    w.start()
    got = w.get_ticket(t["number"])["requester"]
    assert got["name"].startswith("P-") and got["email"] is None, got
    assert w.get_ticket(acme["number"])["requester"]["email"] == "anna.b@acme.example"
    assert "shredded" in cli("keys", "status", "--db", w.db, check=0).out
    assert b"Sven Schredder" not in db_bytes(w)


def test_migrate_moves_plain_requester_columns_into_person_records(tmp):
    db = os.path.join(tmp, "old.db")
    cli("init", "--db", db, check=0)
    cli("client", "add", "--db", db, "--code", "ACME", "--name", "ACME GmbH", check=0)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO tickets (client_id, number, type, title, impact, urgency, priority, state, channel, "
                "requester_name, requester_email, requester_phone, created_at, updated_at) VALUES "
                "(1, 'INC0000001', 'incident', 'alt', 3, 3, 5, 'new', 'email', 'Olga Alt', 'olga@acme.example', "
                "'+49 1', 1700000000, 1700000000)")
    con.commit()
    con.close()
    r = cli("migrate", "--db", db, check=0)
    assert "1 ticket requester moved" in r.out, r
    con = sqlite3.connect(db)
    assert con.execute("SELECT requester_name, requester_email, requester_phone, person_id IS NOT NULL "
                       "FROM tickets").fetchone() == (None, None, None, 1)
    con.close()
    assert "Olga Alt <olga@acme.example>" in cli("person", "show", "--db", db, "--email", "olga@acme.example",
                                                 check=0).out
    # nothing left to move: quiet
    assert "moved" not in cli("migrate", "--db", db, check=0).out
