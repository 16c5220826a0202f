"""The command line: every command answers --help with exit 0, bad usage exits
2, failures exit 1 with a message on stderr; JSON output is JSON; backup makes
a database that opens and holds the tickets; demo data is deterministic."""
import json
import os
import socket
import sqlite3

from harness import Server, World, cli

COMMANDS = ["init", "migrate", "serve", "client", "user", "team", "token", "backup", "demo"]


def fresh_db(tmp, name="t.db", clients=("ACME",)):
    db = os.path.join(tmp, name)
    cli("init", "--db", db, check=0)
    for c in clients:
        cli("client", "add", "--db", db, "--code", c, "--name", c + " GmbH", check=0)
    return db


def listed_commands():
    """The commands `leitstand --help` lists."""
    out = cli("--help", check=0).out
    body = out.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in body.splitlines() if line.strip()]


def test_every_command_answers_help_with_exit_0():
    listed = listed_commands()
    missing = [c for c in COMMANDS if c not in listed]
    assert not missing, "top-level help does not list %s" % missing
    for cmd in listed:
        r = cli(cmd, "--help", check=0)
        assert r.out.startswith("Usage: leitstand " + cmd), r
        assert "--help" in r.out and r.err == "", r
    r = cli("--help", check=0)
    assert cli("help", check=0).out == r.out
    assert cli("--version", check=0).out.startswith("leitstand ")


def test_help_after_a_subcommand_also_exits_0():
    for cmd, sub in (("client", "add"), ("client", "list"), ("user", "add"), ("team", "list"), ("token", "create")):
        r = cli(cmd, sub, "--help", check=0)
        assert r.out.startswith("Usage: leitstand " + cmd), r


def test_bad_usage_exits_2_with_a_message(tmp):
    db = fresh_db(tmp)
    cases = [
        [],
        ["frobnicate"],
        ["init", "--bogus"],
        ["init", "--db", os.path.join(tmp, "x.db"), "extra"],
        ["init", "--db"],
        ["migrate", "--nope"],
        ["serve", "--db", db, "--listen", "nonsense"],
        ["serve", "--db", db, "--listen", "127.0.0.1:99999"],
        ["serve", "--db", db, "--threads", "0"],
        ["serve", "--db", db, "--log-level", "loud"],
        ["client"],
        ["client", "frobnicate"],
        ["client", "add", "--db", db, "--code", "X"],
        ["client", "list", "--db", db, "--format", "xml"],
        ["client", "list", "--db", db, "stray"],
        ["user"],
        ["user", "add", "--db", db, "--email", "a@example.com", "--name", "A"],
        ["user", "add", "--db", db, "--email", "a@example.com", "--name", "A", "--role", "wizard"],
        ["user", "add", "--db", db, "--email", "a@example.com", "--name", "A", "--role", "client_viewer"],
        ["user", "passwd", "--db", db, "--email", "a@example.com"],
        ["team"],
        ["team", "add", "--db", db, "--code", "T"],
        ["token"],
        ["token", "mint"],
        ["token", "create", "--db", db],
        ["token", "create", "--db", db, "--email", "a@example.com", "--expires-days", "0"],
        ["backup", "--db", db],
        ["backup", "--db", db, "--to"],
        ["demo", "--db", os.path.join(tmp, "d.db"), "--tickets", "0"],
        ["demo", "--db", os.path.join(tmp, "d.db"), "--now", "yesterday"],
        ["demo", "--db", os.path.join(tmp, "d.db"), "--seed", "-1"],
        ["demo", "--db", os.path.join(tmp, "d.db"), "--months", "61"],
    ]
    failures = []
    for args in cases:
        r = cli(*args)
        if r.rc != 2 or "leitstand" not in r.err or r.out:
            failures.append(repr(r))
    assert not failures, "\n\n".join(failures)
    assert not os.path.exists(os.path.join(tmp, "d.db")) and not os.path.exists(os.path.join(tmp, "x.db"))


def test_failures_exit_1_with_a_message_on_stderr(tmp):
    db = fresh_db(tmp)
    cli("user", "add", "--db", db, "--email", "a@example.com", "--name", "A", "--role", "admin", check=0)
    backup = os.path.join(tmp, "exists.db")
    open(backup, "w").close()
    missing = os.path.join(tmp, "missing.db")
    cases = [
        (["init", "--db", db], "exists already"),
        (["token", "create", "--db", db, "--email", "nobody@example.com"], "nobody@example.com"),
        (["client", "add", "--db", db, "--code", "ACME", "--name", "again"], "ACME"),
        (["client", "add", "--db", db, "--code", "A B", "--name", "bad code"], "code"),
        (["client", "add", "--db", db, "--code", "NEW", "--name", "x", "--priority-matrix", "999"], "matrix"),
        (["user", "add", "--db", db, "--email", "a@example.com", "--name", "again", "--role", "agent"],
         "a@example.com"),
        (["user", "add", "--db", db, "--email", "b@example.com", "--name", "B", "--role", "agent", "--client",
          "NOPE"], "NOPE"),
        (["user", "add", "--db", db, "--email", "not-an-email", "--name", "B", "--role", "agent"], "email"),
        (["team", "add", "--db", db, "--code", "T1", "--name", "T", "--member", "nobody@example.com"],
         "nobody@example.com"),
        (["client", "list", "--db", missing], "does not exist"),
        (["migrate", "--db", missing], "does not exist"),
        (["backup", "--db", db, "--to", backup], "exists already"),
        (["backup", "--db", missing, "--to", os.path.join(tmp, "b2.db")], "does not exist"),
        (["serve", "--db", missing, "--listen", "127.0.0.1:0"], "does not exist"),
        (["demo", "--db", db, "--tickets", "5"], ""),
    ]
    failures = []
    for args, word in cases:
        r = cli(*args)
        if r.rc != 1 or not r.err.startswith("leitstand ") or word not in r.err:
            failures.append("%r (stderr should name %r)" % (r, word))
    assert not failures, "\n\n".join(failures)
    assert not os.path.exists(missing), "a failing command created the database"
    listing = json.loads(cli("client", "list", "--db", db, "--format", "json", check=0).out)
    assert [c["code"] for c in listing] == ["ACME"], listing


def test_password_problems_exit_1(tmp):
    db = fresh_db(tmp)
    r = cli("user", "add", "--db", db, "--email", "p@example.com", "--name", "P", "--role", "agent",
            "--client", "ACME", "--password-stdin", stdin="short\n")
    assert r.rc == 1 and "password" in r.err, r
    r = cli("user", "add", "--db", db, "--email", "p@example.com", "--name", "P", "--role", "agent",
            "--client", "ACME", "--password-stdin", stdin="")
    assert r.rc == 1 and "password" in r.err, r
    users = json.loads(cli("user", "list", "--db", db, "--format", "json", check=0).out)
    assert users == [], users
    r = cli("user", "passwd", "--db", db, "--email", "nobody@example.com", "--password-stdin",
            stdin="long enough password\n")
    assert r.rc == 1 and "nobody@example.com" in r.err, r


def test_serve_on_a_port_in_use_exits_1(tmp):
    db = fresh_db(tmp)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    try:
        r = cli("serve", "--db", db, "--listen", "127.0.0.1:%d" % s.getsockname()[1], timeout=60)
        assert r.rc == 1 and "listen" in r.err, r
    finally:
        s.close()


def test_init_creates_a_database_that_migrate_leaves_alone(tmp):
    db = os.path.join(tmp, "new.db")
    r = cli("init", "--db", db, check=0)
    assert db in r.out and os.path.exists(db)
    r = cli("migrate", "--db", db, check=0)
    assert "latest" in r.out, r
    assert cli("migrate", "--db", db, check=0).out == r.out


def test_client_user_and_team_lists_in_json_are_json(tmp):
    db = fresh_db(tmp, clients=("ACME", "BETA"))
    cli("client", "add", "--db", db, "--code", "GAMMA", "--name", 'Gamma "Quote" & Söhne', "--timezone",
            "Europe/Vienna", "--priority-matrix", "111222333", check=0)
    out = cli("client", "list", "--db", db, "--format", "json", check=0).out
    clients = json.loads(out)
    assert isinstance(clients, list)
    by = {c["code"]: c for c in clients}
    assert set(by) == {"ACME", "BETA", "GAMMA"}, by
    assert by["GAMMA"] == {"code": "GAMMA", "name": 'Gamma "Quote" & Söhne', "timezone": "Europe/Vienna",
                           "priority_matrix": "111222333"}, by["GAMMA"]
    assert by["ACME"]["timezone"] == "Europe/Berlin" and by["ACME"]["priority_matrix"] == "123234345"
    text = cli("client", "list", "--db", db, check=0).out
    assert "GAMMA" in text and "CODE" in text
    cli("user", "add", "--db", db, "--email", "v@example.com", "--name", "V", "--role", "client_viewer",
        "--client", "ACME", "--client", "BETA", check=0)
    cli("user", "add", "--db", db, "--email", "adm@example.com", "--name", "Adm", "--role", "admin", check=0)
    users = json.loads(cli("user", "list", "--db", db, "--format", "json", check=0).out)
    byu = {u["email"]: u for u in users}
    assert byu["v@example.com"]["role"] == "client_viewer" and byu["v@example.com"]["clients"] == ["ACME", "BETA"]
    assert byu["adm@example.com"]["clients"] == [] and byu["adm@example.com"]["active"] is True
    cli("team", "add", "--db", db, "--code", "L2", "--name", "Level 2", "--member", "adm@example.com", check=0)
    teams = json.loads(cli("team", "list", "--db", db, "--format", "json", check=0).out)
    assert teams == [{"code": "L2", "name": "Level 2"}], teams


def test_add_commands_with_json_format_print_json(tmp):
    db = fresh_db(tmp)
    r = cli("client", "add", "--db", db, "--code", "JSN", "--name", "J", "--format", "json", check=0)
    assert json.loads(r.out) == {"code": "JSN"}, r
    r = cli("user", "add", "--db", db, "--email", 'o"brien@example.com', "--name", "O", "--role", "admin",
            "--format", "json", check=0)
    assert json.loads(r.out) == {"email": 'o"brien@example.com', "role": "admin"}, r


def test_token_create_prints_the_token_alone_and_it_works(tmp):
    w = World(start=False)
    try:
        r = cli("token", "create", "--db", w.db, "--email", "agent.a@example.com", "--name", "ci",
                "--expires-days", "30", check=0)
        lines = r.out.splitlines()
        assert len(lines) == 1 and lines[0].startswith("lst_") and len(lines[0]) == 47, r
        w.start()
        me = w.req("GET", "/api/v1/me", who=None, token=lines[0])
        assert me.status == 200 and me.json["email"] == "agent.a@example.com", me
    finally:
        problems = w.close()
    assert not problems, problems


def test_backup_of_a_live_database_opens_and_holds_the_tickets(tmp):
    w = World()
    try:
        made = [w.create_ticket(title="backed up %d" % i, client=("ACME", "BETA")[i % 2]) for i in range(25)]
        assert w.req("POST", "/api/v1/tickets/%s/replies" % made[0]["number"], {"body": "in the backup"}).status == 201
        copy = os.path.join(tmp, "backup.db")
        r = cli("backup", "--db", w.db, "--to", copy, check=0)
        assert copy in r.out
        # the server keeps working while and after the backup runs
        later = w.create_ticket(title="after the backup")
    finally:
        problems = w.close()
    assert not problems, problems
    con = sqlite3.connect(copy)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = dict(con.execute("SELECT number, title FROM tickets").fetchall())
    finally:
        con.close()
    assert rows == {t["number"]: t["title"] for t in made}, "backup holds %d tickets" % len(rows)
    assert later["number"] not in rows
    srv = Server(copy, tmp, "backup")
    try:
        tok = cli("token", "create", "--db", copy, "--email", "admin@example.com", check=0).out.strip()
        r = srv.request("GET", "/api/v1/tickets/" + made[0]["number"], token=tok)
        assert r.status == 200 and r.json["title"] == made[0]["title"], r
        r = srv.request("GET", "/api/v1/tickets/%s/messages" % made[0]["number"], token=tok)
        assert [m["body"] for m in r.json["items"]] == ["in the backup"], r
    finally:
        srv.stop_checked()


DEMO_TABLES = ["tickets", "ticket_messages", "ticket_events", "ticket_efforts", "ticket_links", "ticket_tags"]


def dump(db, table):
    con = sqlite3.connect(db)
    try:
        cols = [r[1] for r in con.execute("PRAGMA table_info(%s)" % table)]
        return con.execute("SELECT * FROM %s ORDER BY %s" % (table, ", ".join(cols))).fetchall()
    finally:
        con.close()


def test_demo_creates_300_tickets_and_is_deterministic(tmp):
    now = "2026-06-01T00:00:00Z"
    dbs = [os.path.join(tmp, "demo%d.db" % i) for i in (1, 2)]
    for db in dbs:
        r = cli("demo", "--db", db, "--tickets", "300", "--seed", "7", "--now", now, check=0)
        assert "300 tickets" in r.out, r
    first = dump(dbs[0], "tickets")
    assert len(first) == 300, len(first)
    for table in DEMO_TABLES:
        a, b = dump(dbs[0], table), dump(dbs[1], table)
        assert a == b, "demo table %s differs between two runs with the same seed and --now" % table
    other = os.path.join(tmp, "demo3.db")
    cli("demo", "--db", other, "--tickets", "300", "--seed", "8", "--now", now, check=0)
    assert dump(other, "tickets") != first, "another seed gives other data"
    r = cli("demo", "--db", dbs[0], "--tickets", "10", "--seed", "7", "--now", now)
    assert r.rc == 1 and r.err, "demo into a filled database must fail: %r" % r
    assert dump(dbs[0], "tickets") == first


def test_demo_database_serves_its_tickets(tmp):
    db = os.path.join(tmp, "demo.db")
    out = cli("demo", "--db", db, "--tickets", "40", "--seed", "3", "--now", "2026-03-01T12:00:00Z", check=0).out
    admin = out.split("admin user: ", 1)[1].split()[0]
    tok = cli("token", "create", "--db", db, "--email", admin, check=0).out.strip()
    srv = Server(db, tmp, "demo")
    try:
        r = srv.request("GET", "/api/v1/tickets?limit=500", token=tok)
        assert r.status == 200 and len(r.json["items"]) == 40, r
        n = r.json["items"][0]["number"]
        assert srv.request("GET", "/api/v1/tickets/%s/history" % n, token=tok).status == 200
    finally:
        srv.stop_checked()
