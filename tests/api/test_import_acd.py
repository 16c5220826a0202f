"""Call-centre interval imports from the command line: `leitstand import acd` stores a
German ACD export (BOM, CRLF, ';', decimal commas, missing markers, a sum line, bad
rows) in one transaction, importing it twice changes nothing, a newer export of the
same intervals updates them; `leitstand kpi` then carries a "calls" object with the
hand-computed call KPIs (and none for a client without ACD data), grouped by queue
and period like the ticket KPIs; GET /api/v1/kpis answers the same object."""
import json
import os
import sqlite3

from harness import cli

HERE = os.path.dirname(os.path.abspath(__file__))
GERMAN = os.path.join(HERE, "..", "unit", "data", "acd-intervals-de.csv")
ENGLISH_GZ = os.path.join(HERE, "..", "unit", "data", "acd-intervals-en.csv.gz")


def fresh_db(tmp, *codes):
    db = os.path.join(tmp, "t.db")
    cli("init", "--db", db, check=0)
    for code in codes:
        cli("client", "add", "--db", db, "--code", code, "--name", code, "--timezone", "UTC", check=0)
    return db


def stored(db, code):
    c = sqlite3.connect(db)
    try:
        return c.execute("SELECT count(*), coalesce(sum(offered), 0) FROM acd_intervals WHERE client_id = "
                         "(SELECT id FROM clients WHERE code = ?)", (code,)).fetchone()
    finally:
        c.close()


def imp(db, path, *extra, check=0):
    return cli("import", "acd", "--db", db, "--client", "ACME", "--tz", "Europe/Berlin", *extra, path, check=check)


def kpi(db, *extra, code="ACME"):
    return json.loads(cli("kpi", "--db", db, "--client", code, "--format", "json", *extra, check=0).out)


def near(a, b):
    return a is not None and abs(a - b) < 1e-9


def test_importing_twice_is_idempotent_and_the_kpis_are_the_hand_computed_ones(tmp):
    db = fresh_db(tmp, "ACME", "BETA")
    first = json.loads(imp(db, GERMAN, "--max-errors", "3", "--format", "json").out)
    assert first["source"] == "acd" and first["rows"] == 9, first
    assert first["intervals"] == 5 and first["new_intervals"] == 5 and first["queues"] == 2, first
    assert first["skipped_rows"] == 3 and [b["line"] for b in first["skipped"]] == [6, 7, 8], first
    assert stored(db, "ACME") == (5, 30)
    again = json.loads(imp(db, GERMAN, "--max-errors", "3", "--format", "json").out)
    assert again["new_intervals"] == 0 and again["updated_intervals"] == 5, again
    assert stored(db, "ACME") == (5, 30)

    k = kpi(db)
    assert k["tickets"] == 0 and "reopen_rate" in k, k  # the ticket keys stay as they were
    c = k["calls"]
    # Hotline 08:00 10/8/2 (6 within SL), Vertrieb 08:00 4/4/0 (4), Hotline 08:30 12/9/2 (7),
    # Vertrieb 08:30 ?→4/3/1 (2), Hotline 09:30 without traffic (no SL count)
    assert (c["offered"], c["answered"], c["abandoned"]) == (30, 24, 5), c
    assert near(c["abandonment_rate"], 5 / 30), c
    assert near(c["service_level"], 19 / 29) and c["service_level_formula"] == "icmi3", c
    assert near(c["service_level_formulas"]["icmi2"], 19 / 24), c
    assert c["service_level_formulas"]["icmi1"] is None and c["abandonment_rate_excl_short"] is None, c
    # (1200.5 + 60 + 240) + (600 + 0 + 120) + (1350 + 300, hold "#N/B") + (450 + 30 + 90) over 24 answered
    assert near(c["aht_seconds"], 4440.5 / 24), c
    assert c["service_level_threshold_seconds"] == 20 and c["asa_seconds"] is None, c
    assert c["intervals"] == 5 and c["queues"] == 2, c
    assert "calls" not in kpi(db, code="BETA")

    by = kpi(db, "--group", "team", "--by", "month")
    assert by["calls"]["group_by"] == "queue" and by["calls"]["period"] == "month", by["calls"]
    groups = {(g["group"], g["period"]): g for g in by["calls"]["groups"]}
    assert set(groups) == {("Hotline", "2024-03"), ("Vertrieb", "2024-03")}, groups
    assert groups[("Vertrieb", "2024-03")]["offered"] == 8, groups
    assert near(groups[("Hotline", "2024-03")]["service_level"], 13 / 21), groups
    assert kpi(db, "--from", "2024-04-01", "--to", "2024-05-01")["calls"]["offered"] == 0

    text = cli("kpi", "--db", db, "--client", "ACME", "--format", "text", check=0).out
    assert "calls:" in text and "abandonment_rate" in text, text


def test_a_newer_export_updates_the_intervals(tmp):
    db = fresh_db(tmp, "ACME")
    imp(db, GERMAN, "--max-errors", "3")
    lines = open(GERMAN, encoding="utf-8-sig").read().splitlines()
    lines[1] = "04.03.2024 08:00;Hotline;10;9;1;7;20;1300;60;240"
    newer = os.path.join(tmp, "newer.csv")
    with open(newer, "w", encoding="utf-8") as f:
        f.write("\n".join(lines[:2]) + "\n")
    out = imp(db, newer).out
    assert "1 intervals (0 new, 1 updated) in 1 queues" in out, out
    assert stored(db, "ACME") == (5, 30)
    c = kpi(db)["calls"]
    assert (c["answered"], c["abandoned"]) == (25, 4) and near(c["abandonment_rate"], 4 / 30), c


def test_bad_rows_stop_the_import_and_nothing_is_half_written(tmp):
    db = fresh_db(tmp, "ACME")
    r = imp(db, GERMAN, check=1)
    assert "acd-intervals-de.csv" in r.err and "line 6" in r.err, r.err
    assert stored(db, "ACME") == (0, 0)
    assert "calls" not in kpi(db)
    r = imp(db, GERMAN, "--max-errors", "3")
    assert "skipped line 8: Intervallbeginn: not a timestamp: 'gestern'" in r.out, r.out


def test_gzip_english_export_and_the_interval_option(tmp):
    db = fresh_db(tmp, "ACME")
    out = json.loads(imp(db, ENGLISH_GZ, "--interval", "15m", "--format", "json").out)
    assert out["intervals"] == 3 and out["queues"] == 2 and out["skipped_rows"] == 0, out
    c = sqlite3.connect(db)
    try:
        lengths = {r[0] for r in c.execute("SELECT length FROM acd_intervals")}
        runs = c.execute("SELECT source, intervals, tickets FROM imports").fetchall()
    finally:
        c.close()
    assert lengths == {900} and runs == [("acd", 3, 0)], (lengths, runs)
    k = kpi(db)["calls"]
    # 12 + 9 + 1 answered within of 20 + 10 + 2 answered and abandoned; ICMI 5 adds the 2 short abandons
    assert near(k["service_level"], 22 / 32) and near(k["service_level_formulas"]["icmi5"], 24 / 32), k
    assert near(k["abandonment_rate_excl_short"], 6 / 30), k
    # ASA: 20 s * 15 + 10 s * 10 + 90 s * 1 over 26 answered
    assert near(k["asa_seconds"], 490 / 26), k


def test_usage(tmp):
    db = fresh_db(tmp, "ACME")
    assert "acd" in cli("import", "--help", check=0).out
    cli("import", "acd", "--db", db, "--client", "ACME", "--interval", "7x", GERMAN, check=2)
    cli("import", "acd", "--db", db, "--client", "ACME", "--interval", "0m", GERMAN, check=2)
    cli("import", "servicenow", "--db", db, "--client", "ACME", "--interval", "15m", GERMAN, check=2)
    r = cli("import", "acd", "--db", db, "--client", "ACME", os.path.join(HERE, "..", "unit", "data",
                                                                           "freshdesk-tickets.csv"), check=1)
    assert "not an ACD interval export" in r.err, r.err


def test_kpis_over_http_carry_the_same_calls(w):
    cli("import", "acd", "--db", w.db, "--client", "ACME", "--max-errors", "3", GERMAN, check=0)
    for query, args in (("", ()), ("&group=priority&by=week", ("--group", "priority", "--by", "week"))):
        want = kpi(w.db, *args)
        r = w.req("GET", "/api/v1/kpis?client=ACME" + query, who="viewer_a")
        assert r.status == 200, r
        assert r.json == want and "calls" in r.json, (r.json, want)
    r = w.req("GET", "/api/v1/kpis?client=BETA")
    assert r.status == 200 and "calls" not in r.json, r
