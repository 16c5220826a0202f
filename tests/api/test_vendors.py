"""Vendors and the vendor_agent role: the vendor register (admins and managers add
vendors for the clients they see; listing shows each role only its clients), a
vendor_agent belongs to exactly one vendor, tickets are handed to a vendor that
works for their client (recorded in the history), and a vendor_agent sees and
works exactly the tickets assigned to its vendor: every other ticket answers
404 exactly like a missing one."""
from harness import assert_error, cli

VENDORS = "/api/v1/vendors"
TICKETS = "/api/v1/tickets"


def setup_vendors(w):
    """Vendor PRINTFIX works for ACME, NETCO for ACME and BETA; one agent each."""
    if "vendors" in w.cache:
        return w.cache["vendors"]
    r = w.req("POST", VENDORS, {"code": "PRINTFIX", "name": "Printfix GmbH", "clients": ["ACME"]})
    assert r.status == 201, r
    r = w.req("POST", VENDORS, {"code": "NETCO", "name": "Netco AG", "clients": ["BETA", "ACME"]})
    assert r.status == 201, r
    for who, vendor in (("printfix", "PRINTFIX"), ("netco", "NETCO")):
        email = "%s@vendor.example" % who
        cli("user", "add", "--db", w.db, "--email", email, "--name", who, "--role", "vendor_agent", "--vendor",
            vendor, check=0)
        w.tok[who] = cli("token", "create", "--db", w.db, "--email", email, check=0).out.strip()
        w.email[who] = email
    w.cache["vendors"] = True
    return True


def test_vendor_register_shows_each_role_the_vendors_of_its_clients(w):
    setup_vendors(w)
    r = w.req("GET", VENDORS + "/NETCO")
    assert r.status == 200 and r.json["clients"] == ["ACME", "BETA"] and r.json["name"] == "Netco AG", r
    assert set(r.json) == {"code", "name", "clients", "created_at"}, r.json
    codes = [v["code"] for v in w.req("GET", VENDORS).json["items"]]
    assert codes == ["NETCO", "PRINTFIX"], codes
    # agent_a sees ACME only: both vendors, with ACME alone
    items = w.req("GET", VENDORS, who="agent_a").json["items"]
    assert [(v["code"], v["clients"]) for v in items] == [("NETCO", ["ACME"]), ("PRINTFIX", ["ACME"])], items
    # manager_b sees BETA only: PRINTFIX is not its business
    items = w.req("GET", VENDORS, who="manager_b").json["items"]
    assert [(v["code"], v["clients"]) for v in items] == [("NETCO", ["BETA"])], items
    assert_error(w.req("GET", VENDORS + "/PRINTFIX", who="manager_b"), 404, "not_found", "code")
    assert_error(w.req("GET", VENDORS + "/NOPE"), 404, "not_found", "code")
    # adding: admins and managers, for clients they see, codes unique
    assert_error(w.req("POST", VENDORS, {"code": "X1", "name": "x", "clients": ["ACME"]}, who="manager_b"), 400,
                 "invalid_field", "clients")
    r = w.req("POST", VENDORS, {"code": "BETAONLY", "name": "Beta Service", "clients": ["BETA"]}, who="manager_b")
    assert r.status == 201 and r.json["clients"] == ["BETA"], r
    assert_error(w.req("POST", VENDORS, {"code": "NETCO", "name": "again", "clients": ["ACME"]}), 409, "conflict",
                 "code")
    assert_error(w.req("POST", VENDORS, {"code": "EMPTY", "name": "x", "clients": []}), 400, "missing_field",
                 "clients")
    assert_error(w.req("POST", VENDORS, {"code": "bad code", "name": "x", "clients": ["ACME"]}), 400,
                 "invalid_field", "code")
    assert_error(w.req("POST", VENDORS, {"code": "X2", "name": "x", "clients": ["ACME"]}, who="agent_a"), 403,
                 "forbidden")
    assert_error(w.req("GET", VENDORS, who="viewer_a"), 403, "forbidden")
    out = cli("vendor", "list", "--db", w.db, "--format", "json", check=0).out
    assert '"PRINTFIX"' in out and '"BETAONLY"' in out, out


def test_a_vendor_agent_belongs_to_exactly_one_vendor(w):
    setup_vendors(w)
    r = cli("user", "add", "--db", w.db, "--email", "nov@vendor.example", "--name", "x", "--role", "vendor_agent")
    assert r.rc == 1 and "vendor" in r.err, r
    r = cli("user", "add", "--db", w.db, "--email", "ag@vendor.example", "--name", "x", "--role", "agent",
            "--client", "ACME", "--vendor", "NETCO")
    assert r.rc == 1 and "vendor_agent" in r.err, r
    r = cli("user", "add", "--db", w.db, "--email", "nov@vendor.example", "--name", "x", "--role", "vendor_agent",
            "--vendor", "NOPE")
    assert r.rc == 1 and "NOPE" in r.err, r
    r = w.req("POST", "/api/v1/users", {"email": "api.v@vendor.example", "name": "V", "role": "vendor_agent",
                                        "vendor": "NETCO"})
    assert r.status == 201 and r.json["vendor"] == "NETCO" and r.json["clients"] == [], r
    assert_error(w.req("POST", "/api/v1/users", {"email": "api.w@vendor.example", "name": "W",
                                                 "role": "vendor_agent"}), 400, "missing_field", "vendor")
    users = {u["email"]: u for u in w.req("GET", "/api/v1/users").json["items"]}
    assert users["printfix@vendor.example"]["vendor"] == "PRINTFIX"
    assert "vendor" not in users[w.email["agent_a"]]


def test_a_vendor_agent_sees_and_works_only_its_vendors_tickets(w):
    setup_vendors(w)
    mine = w.create_ticket(title="toner leak", vendor="PRINTFIX",
                           requester={"name": "Erika Muster", "email": "erika@acme.example"})
    assert mine["vendor"] == "PRINTFIX", mine
    plain = w.create_ticket(title="toner elsewhere")
    assert plain["vendor"] is None
    beta = w.create_ticket(client="BETA", title="router toner", vendor="NETCO")
    n = mine["number"]
    # list and search: exactly the vendor's tickets
    assert [t["number"] for t in w.list_all(who="printfix")] == [n]
    assert [t["number"] for t in w.list_all(who="netco")] == [beta["number"]]
    assert [t["number"] for t in w.list_all("q=toner", who="printfix", path="/api/v1/search")] == [n]
    assert [t["number"] for t in w.list_all("client=ACME", who="printfix")] == [n]
    assert w.list_all("client=ACME", who="netco") == []
    assert_error(w.req("GET", TICKETS + "?client=BETA", who="printfix"), 400, "invalid_parameter", "client")
    # get, reply, patch its own
    assert w.get_ticket(n, who="printfix")["requester"]["email"] == "erika@acme.example"
    assert w.req("POST", TICKETS + "/%s/replies" % n, {"body": "new toner sent"}, who="printfix").status == 201
    r = w.req("PATCH", TICKETS + "/" + n, {"title": "toner leak fixed"}, who="printfix",
              headers={"If-Match": '"%d"' % w.get_ticket(n)["version"]})
    assert r.status == 200 and r.json["title"] == "toner leak fixed", r
    assert w.req("POST", TICKETS + "/%s/transition" % n, {"state": "in_progress"}, who="printfix").status == 200
    # but not hand it on
    assert_error(w.req("PATCH", TICKETS + "/" + n, {"vendor": None}, who="printfix",
                       headers={"If-Match": '"%d"' % w.get_ticket(n)["version"]}), 400, "invalid_field", "vendor")
    # everything else is missing to it, exactly like a ticket that does not exist
    for other in (plain["number"], beta["number"]):
        hid = w.req("GET", TICKETS + "/" + other, who="printfix")
        mis = w.req("GET", TICKETS + "/INC9999991", who="printfix")
        assert_error(hid, 404, "not_found", "number")
        assert hid.body.replace(other.encode(), b"N") == mis.body.replace(b"INC9999991", b"N")
        assert_error(w.req("POST", TICKETS + "/%s/replies" % other, {"body": "x"}, who="printfix"), 404,
                     "not_found", "number")
    assert_error(w.req("GET", TICKETS + "/" + n, who="netco"), 404, "not_found", "number")
    # nothing of the clients themselves
    assert w.req("GET", "/api/v1/clients", who="printfix").json["items"] == []
    # the hand-over is in the history; a vendor must work for the ticket's client
    hist = w.req("GET", TICKETS + "/%s/history" % n).json["items"]
    assert any(e["field"] == "vendor" and e["old"] is None and e["new"] == "PRINTFIX" for e in hist), hist
    assert_error(w.req("PATCH", TICKETS + "/" + beta["number"], {"vendor": "PRINTFIX"},
                       headers={"If-Match": '"%d"' % beta["version"]}), 400, "invalid_field", "vendor")
    assert_error(w.req("POST", TICKETS, {"client": "ACME", "type": "incident", "title": "x", "vendor": "BETAONLY"}),
                 400, "invalid_field", "vendor")
    # moved to another vendor: the first one loses it at once
    v = w.get_ticket(n)["version"]
    r = w.req("PATCH", TICKETS + "/" + n, {"vendor": "NETCO"}, headers={"If-Match": '"%d"' % v})
    assert r.status == 200 and r.json["vendor"] == "NETCO", r
    hist = w.req("GET", TICKETS + "/%s/history" % n).json["items"]
    assert any(e["field"] == "vendor" and e["old"] == "PRINTFIX" and e["new"] == "NETCO" for e in hist), hist
    assert_error(w.req("GET", TICKETS + "/" + n, who="printfix"), 404, "not_found", "number")
    assert w.get_ticket(n, who="netco")["vendor"] == "NETCO"
    # a vendor_agent creates no tickets: it sees no client
    assert_error(w.req("POST", TICKETS, {"client": "ACME", "type": "incident", "title": "x"}, who="netco"), 400,
                 "invalid_field", "client")
