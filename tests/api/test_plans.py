"""A client's action plan and contract: POST/GET /api/v1/clients/{code}/actions,
PATCH .../actions/{id} under If-Match, GET/PUT .../contract (validation naming the
field, versions, tenants and roles), and `leitstand action` / `leitstand contract`
with their errors naming the option."""
from harness import assert_error, cli

ACTION = {"title": "VPN-Störungen: Problem-Ticket eröffnen", "owner": "IT-Leitung", "agreed_on": "2026-01-15",
          "due_on": "2026-03-31", "finding": "sla_hotspot:VPN"}
CONTRACT = {"monthly_fee": "12500.00", "included_tickets": 1500, "price_per_ticket": "6.50", "sla_target": 0.95,
            "penalty_per_point": "250", "valid_from": "2026-01-01"}


def test_actions_are_added_listed_and_changed_under_if_match(w):
    r = w.req("POST", "/api/v1/clients/ACME/actions", ACTION)
    assert r.status == 201 and r.json["state"] == "open" and r.json["version"] == 1, r
    assert r.json["closed_on"] is None and r.json["finding"] == "sla_hotspot:VPN", r.json
    assert r.headers.get("etag") == '"1"', r.headers
    aid = r.json["id"]
    items = w.req("GET", "/api/v1/clients/ACME/actions", who="viewer_a").json["items"]
    assert [a["id"] for a in items] == [aid] and items[0]["title"] == ACTION["title"], items
    path = "/api/v1/clients/ACME/actions/%d" % aid
    assert_error(w.req("PATCH", path, {"state": "done"}), 428, "precondition_required", "If-Match")
    assert_error(w.req("PATCH", path, {"state": "done"}, headers={"If-Match": '"5"'}), 412, "version_mismatch",
                 "version")
    r = w.req("PATCH", path, {"state": "done", "closed_on": "2026-03-20"}, headers={"If-Match": '"1"'})
    assert r.status == 200 and r.json["state"] == "done" and r.json["closed_on"] == "2026-03-20", r
    assert r.json["version"] == 2 and r.headers.get("etag") == '"2"', r
    # reopened: the closing day goes; the finding can be removed with null
    r = w.req("PATCH", path, {"state": "in_progress", "finding": None}, headers={"If-Match": '"2"'})
    assert r.status == 200 and r.json["closed_on"] is None and r.json["finding"] is None, r
    # each write is on record for ACME, naming the action
    writes = [e for e in w.req("GET", "/api/v1/audit?client=ACME&kind=api_write&limit=100").json["items"]
              if e["detail"]["route"].startswith("/api/v1/clients/{code}/actions")]
    assert len(writes) == 3 and {e["subject"] for e in writes} == {"action %d" % aid}, writes
    # another tenant's manager does not see ACME's plan; agents and viewers do not write
    assert_error(w.req("GET", "/api/v1/clients/ACME/actions", who="manager_b"), 404, "not_found", "client")
    assert_error(w.req("POST", "/api/v1/clients/ACME/actions", ACTION, who="agent_a"), 403, "forbidden")
    assert_error(w.req("PATCH", "/api/v1/clients/ACME/actions/999", {"title": "x"}, headers={"If-Match": '"1"'}),
                 404, "not_found", "id")
    assert_error(w.req("PATCH", "/api/v1/clients/BETA/actions/%d" % aid, {"title": "x"},
                       headers={"If-Match": '"3"'}), 404, "not_found", "id")


def test_invalid_actions_name_the_field(w):
    for body, status, code, field in (
        ({"owner": "x", "due_on": "2026-03-01"}, 400, "missing_field", "title"),
        ({"title": "x"}, 400, "missing_field", "due_on"),
        ({"title": "x", "due_on": "2026-02-30"}, 400, "invalid_field", "due_on"),
        ({"title": "x", "due_on": "2026-03-01", "agreed_on": "2026-04-01"}, 400, "invalid_field", "due_on"),
        ({"title": "x", "due_on": "2026-03-01", "state": "finished"}, 400, "invalid_field", "state"),
        ({"title": "x", "due_on": "2026-03-01", "closed_on": "2026-03-01"}, 400, "invalid_field", "closed_on"),
        ({"title": "x", "due_on": "2026-03-01", "finding": "astrology"}, 400, "invalid_field", "finding"),
        ({"title": "   ", "due_on": "2026-03-01"}, 400, "invalid_field", "title"),
        ({"title": "x" * 301, "due_on": "2026-03-01"}, 400, "invalid_field", "title"),
        ({"title": "x", "due_on": "2026-03-01", "colour": "red"}, 400, "unknown_field", "colour"),
        ({"title": "x", "due_on": "2026-03-01", "client": "BETA"}, 400, "invalid_field", "client"),
    ):
        assert_error(w.req("POST", "/api/v1/clients/ACME/actions", body), status, code, field)


def test_contract_is_stored_with_versions_and_validated(w):
    r = w.req("GET", "/api/v1/clients/ACME/contract", who="viewer_a")
    assert r.status == 200 and r.json["contract"] is None and r.json["version"] == 0, r
    r = w.req("PUT", "/api/v1/clients/ACME/contract", CONTRACT)
    assert r.status == 200 and r.json["version"] == 1 and r.headers.get("etag") == '"1"', r
    c = r.json["contract"]
    assert c["currency"] == "EUR" and c["monthly_fee"] == "12500.00" and c["penalty_per_point"] == "250.00", c
    assert c["sla_target"] == 0.95 and c["valid_to"] is None and c["included_tickets"] == 1500, c
    assert_error(w.req("PUT", "/api/v1/clients/ACME/contract", CONTRACT), 428, "precondition_required", "If-Match")
    assert_error(w.req("PUT", "/api/v1/clients/ACME/contract", CONTRACT, headers={"If-Match": '"4"'}), 412,
                 "version_mismatch", "version")
    r = w.req("PUT", "/api/v1/clients/ACME/contract", dict(CONTRACT, valid_to="2026-12-31"),
              headers={"If-Match": '"1"'})
    assert r.status == 200 and r.json["version"] == 2 and r.json["contract"]["valid_to"] == "2026-12-31", r
    assert r.json["updated_by"] == "admin@example.com", r.json
    for patch, code, field in (
        ({"monthly_fee": "12.345"}, "invalid_field", "monthly_fee"),
        ({"monthly_fee": 12.5}, "invalid_field", "monthly_fee"),
        ({"price_per_ticket": "-1"}, "invalid_field", "price_per_ticket"),
        ({"included_tickets": -3}, "invalid_field", "included_tickets"),
        ({"sla_target": 95}, "invalid_field", "sla_target"),
        ({"currency": "Euro"}, "invalid_field", "currency"),
        ({"valid_from": "01.01.2026"}, "invalid_field", "valid_from"),
        ({"valid_to": "2025-12-31"}, "invalid_field", "valid_to"),
        ({"discount": "5"}, "unknown_field", "discount"),
    ):
        assert_error(w.req("PUT", "/api/v1/clients/ACME/contract", dict(CONTRACT, **patch),
                           headers={"If-Match": '"2"'}), 400, code, field)
    body = dict(CONTRACT)
    del body["monthly_fee"]
    assert_error(w.req("PUT", "/api/v1/clients/ACME/contract", body, headers={"If-Match": '"2"'}), 400,
                 "missing_field", "monthly_fee")
    assert_error(w.req("PUT", "/api/v1/clients/ACME/contract", CONTRACT, who="agent_a"), 403, "forbidden")
    assert_error(w.req("GET", "/api/v1/clients/ACME/contract", who="manager_b"), 404, "not_found", "client")
    assert w.req("GET", "/api/v1/clients/ACME/contract", who="agent_a").json["version"] == 2


def test_cli_action_and_contract_name_the_option(w):
    base = ("--db", w.db, "--client", "BETA")
    r = cli("action", "add", *base, "--title", "Schichtplan anpassen", "--due", "2026-05-31", "--owner", "Herr Kurz",
            "--agreed", "2026-01-10",
            check=0)
    assert r.out.startswith("added action "), r
    aid = r.out.split()[2]
    assert "--due" in cli("action", "add", *base, "--title", "x", "--due", "31.05.2026", check=1).err
    assert "--state" in cli("action", "set", *base, "--id", aid, "--state", "fertig", check=1).err
    assert "--finding" in cli("action", "add", *base, "--title", "x", "--due", "2026-05-31", "--finding", "x",
                              check=1).err
    assert "--id" in cli("action", "set", *base, "--id", "99999", "--state", "done", check=1).err
    assert cli("action", "add", *base, "--title", "x", check=2).rc == 2
    r = cli("action", "set", *base, "--id", aid, "--state", "done", "--closed", "2026-05-20", check=0)
    assert "done" in r.out, r
    listed = cli("action", "list", *base, "--format", "json", check=0).out
    assert '"closed_on": "2026-05-20"' in listed, listed
    assert cli("action", "--help", check=0).out.startswith("Usage: leitstand action")
    assert cli("contract", "--help", check=0).out.startswith("Usage: leitstand contract")
    assert "--fee" in cli("contract", "set", *base, "--fee", "12,50", "--valid-from", "2026-01-01", check=1).err
    assert "--sla-target" in cli("contract", "set", *base, "--fee", "10", "--valid-from", "2026-01-01",
                                 "--penalty", "5", check=1).err
    assert "--valid-to" in cli("contract", "set", *base, "--fee", "10", "--valid-from", "2026-01-01",
                               "--valid-to", "2025-01-01", check=1).err
    cli("contract", "set", *base, "--fee", "9000", "--included", "800", "--price", "7.25", "--valid-from",
        "2026-01-01", check=0)
    assert "9000.00 EUR" in cli("contract", "show", *base, check=0).out
    # set replaces the stored contract (the CLI sends the stored version)
    cli("contract", "set", *base, "--fee", "9500", "--valid-from", "2026-01-01", check=0)
    assert '"version": 2' in cli("contract", "show", *base, "--format", "json", check=0).out
