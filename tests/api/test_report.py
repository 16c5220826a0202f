"""`leitstand report` end to end on the real UCI ServiceNow log (../shared/data): a
monthly report in every format, a weekly and a quarterly one, each checked against
`leitstand kpi --format json` for the same client and period. HTML must be
self-contained, PDF text and page count are read with pdftotext/pdfinfo
(poppler-utils), XLSX is unzipped and its sheet XML read, CSV parsed back."""
import csv
import io
import json
import math
import os
import re
import subprocess
import zipfile
import xml.etree.ElementTree as ET

from harness import cli

HERE = os.path.dirname(os.path.abspath(__file__))
UCI = os.path.join(HERE, "..", "..", "..", "shared", "data", "real", "uci-incident-event-log",
                   "incident_event_log.csv.gz")
TZ = "Europe/Berlin"


def uci_db(tmp):
    if not os.path.exists(UCI):
        raise AssertionError("the shared data set %s is missing" % UCI)
    db = os.path.join(tmp, "r.db")
    cli("init", "--db", db, check=0)
    cli("client", "add", "--db", db, "--code", "UCI", "--name", "UCI Service GmbH", "--timezone", TZ, check=0)
    cli("import", "servicenow", "--db", db, "--client", "UCI", UCI, check=0)
    return db


def path_get(obj, key):
    for part in key.split("."):
        obj = obj[part]
    return obj


def kpi_month(db, label):
    k = json.loads(cli("kpi", "--db", db, "--client", "UCI", "--by", "month", "--format", "json", check=0).out)
    return next(g for g in k["groups"] if g["period"] == label)


def same(a, b):
    """A report number against the JSON: equal to the last digit, None for null."""
    if b is None:
        return a is None
    return a is not None and float(a) == float(b)


def de_int(n):
    return "{:,}".format(n).replace(",", ".")


def test_monthly_report_in_every_format_equals_the_kpi_json(tmp):
    db = uci_db(tmp)
    want = kpi_month(db, "2016-05")
    prev = kpi_month(db, "2016-04")
    base = ("report", "--db", db, "--client", "UCI", "--kind", "monthly", "--period", "2016-05")

    # CSV: one RFC 4180 file per table, numbers exact
    out = os.path.join(tmp, "csv")
    cli(*base, "--format", "csv", "-o", out, check=0)
    files = sorted(os.listdir(out))
    for name in ("kpis.csv", "trend.csv", "by_category.csv", "by_team.csv", "agent_load.csv",
                 "arrivals_by_hour.csv", "findings.csv"):
        assert name in files, files
    raw = open(os.path.join(out, "kpis.csv"), "rb").read()
    assert b"\r\n" in raw and not raw.startswith(b"\xef\xbb\xbf"), raw[:40]
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert len(rows) >= 10, rows
    for r in rows:
        v = path_get(want, r["key"])
        assert same(r["value"] or None, v), (r, v)
        assert same(r["previous"] or None, path_get(prev, r["key"])), r
    trend = list(csv.DictReader(open(os.path.join(out, "trend.csv"), encoding="utf-8", newline="")))
    assert len(trend) == 12 and trend[-1]["period"] == "2016-05", trend
    assert int(trend[-1]["tickets"]) == want["tickets"] and same(trend[-1]["sla_compliance"], want["sla_compliance"])
    # by category: the period as a range in the client's zone, grouped
    cat = json.loads(cli("kpi", "--db", db, "--client", "UCI", "--from", "2016-05-01T00:00:00+02:00",
                         "--to", "2016-06-01T00:00:00+02:00", "--group", "category", check=0).out)
    by = {g["group"]: g for g in cat["groups"]}
    got = list(csv.DictReader(open(os.path.join(out, "by_category.csv"), encoding="utf-8", newline="")))
    assert len(got) == len(by), (len(got), len(by))
    for r in got:
        g = by[r["group"]] if r["group"] in by else by[None]
        assert int(r["tickets"]) == g["tickets"] and same(r["sla_compliance"] or None, g["sla_compliance"]), (r, g)
    heat = list(csv.DictReader(open(os.path.join(out, "arrivals_by_hour.csv"), encoding="utf-8", newline="")))
    assert sum(int(r["h%02d" % h]) for r in heat for h in range(24)) == want["tickets"]

    # HTML: self-contained, every KPI row carries the exact value
    html_path = os.path.join(tmp, "m.html")
    cli(*base, "--format", "html", "-o", html_path, check=0)
    html = open(html_path, encoding="utf-8").read()
    assert html.startswith("<!DOCTYPE html>") and "Monatsbericht Mai 2016" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html and "<link" not in html
    assert "nan" not in html and html.count("<svg") >= 7
    for key, value in re.findall(r'<tr data-key="([^"]+)"><td data-col="kpi">[^<]*</td><td class="n" '
                                 r'data-col="value"(?: data-value="([^"]*)")?>', html):
        assert same(value or None, path_get(want, key)), (key, value)
    assert '<tr data-key="sla_compliance">' in html
    assert de_int(want["tickets"]) in html  # German grouping: 7.512

    # PDF: text and pages
    pdf = os.path.join(tmp, "m.pdf")
    cli(*base, "--format", "pdf", "--targets", write_targets(tmp), "-o", pdf, check=0)
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 3 <= pages <= 30, info
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    assert "Monatsbericht Mai 2016" in text and "UCI Service GmbH (UCI)" in text
    assert "Seite 1 von %d" % pages in text and "Seite %d von %d" % (pages, pages) in text
    assert "01.05.2016 – 31.05.2016" in text
    assert de_int(want["tickets"]) in text
    sla = ("%.1f" % (want["sla_compliance"] * 100)).replace(".", ",")
    assert re.search(re.escape(sla) + r"\s?%", text), sla
    assert "Kennzahlen gegen Ziel" in text and "Eingang nach Wochentag und Stunde" in text

    # XLSX: one sheet per table, real numbers
    xlsx = os.path.join(tmp, "m.xlsx")
    cli(*base, "--format", "xlsx", "--lang", "en", "-o", xlsx, check=0)
    z = zipfile.ZipFile(xlsx)
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    names = [s.get("name") for s in wb.find("m:sheets", ns)]
    assert names[0] == "report" and "kpis" in names and "trend" in names, names
    shared = [si.find("m:t", ns).text for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)]
    sheet = ET.fromstring(z.read("xl/worksheets/sheet%d.xml" % (names.index("kpis") + 1)))
    cells = {}
    for c in sheet.iter("{%s}c" % ns["m"]):
        v = c.find("m:v", ns)
        if v is not None:
            cells[c.get("r")] = shared[int(v.text)] if c.get("t") == "s" else float(v.text)
    assert cells["A1"] == "Key" and cells["C1"] == "Value", cells
    checked = 0
    for row in range(2, 20):
        key = cells.get("A%d" % row)
        if key is None:
            break
        v = path_get(want, key)
        got = cells.get("C%d" % row)
        if v is None:
            assert got is None, (key, got)
        else:
            # Excel keeps 15 significant digits; libxlsxwriter writes 16 or more
            assert got is not None and abs(got - v) <= abs(v) * 1e-15, (key, got, v)
            checked += 1
    assert checked >= 8, cells


def test_reports_show_the_call_kpis_of_the_kpi_json_when_there_is_acd_data(tmp):
    db = os.path.join(tmp, "c.db")
    cli("init", "--db", db, check=0)
    cli("client", "add", "--db", db, "--code", "CALL", "--name", "Call GmbH", "--timezone", TZ, check=0)
    acd = os.path.join(HERE, "..", "unit", "data", "acd-intervals-de.csv")
    cli("import", "acd", "--db", db, "--client", "CALL", "--max-errors", "3", "--tz", TZ, acd, check=0)
    for kind, period, by, start, end, n in (("weekly", "2024-W10", "week", "2024-01-15T00:00:00+01:00",
                                              "2024-03-11T00:00:00+01:00", 8),
                                             ("monthly", "2024-03", "month", "2023-04-01T00:00:00+02:00",
                                              "2024-04-01T00:00:00+02:00", 12)):
        out = os.path.join(tmp, kind)
        cli("report", "--db", db, "--client", "CALL", "--kind", kind, "--period", period, "--format", "csv",
            "-o", out, check=0)
        rows = list(csv.DictReader(open(os.path.join(out, "calls.csv"), encoding="utf-8", newline="")))
        k = json.loads(cli("kpi", "--db", db, "--client", "CALL", "--by", by, "--from", start, "--to", end,
                           "--format", "json", check=0).out)
        groups = {g["period"]: g for g in k["calls"]["groups"]}
        assert len(rows) == n and rows[-1]["period"] == period and period in groups, (rows, groups)
        for r in rows:
            g = groups.get(r["period"])
            for key in ("offered", "answered", "abandoned"):
                assert int(r[key]) == (g[key] if g else 0), (r, g)
            for key in ("abandonment_rate", "service_level", "aht_seconds", "asa_seconds"):
                assert same(r[key] or None, g[key] if g else None), (key, r, g)
    html = os.path.join(tmp, "m.html")
    cli("report", "--db", db, "--client", "CALL", "--kind", "monthly", "--period", "2024-03", "-o", html, check=0)
    assert "Telefonie (Call-Center)" in open(html, encoding="utf-8").read()


def write_targets(tmp):
    p = os.path.join(tmp, "targets.json")
    with open(p, "w") as f:
        json.dump({"sla_compliance": {"target": 0.9, "warn": 0.8}, "resolution_hours.median": 24}, f)
    return p


def test_weekly_and_quarterly_reports(tmp):
    db = uci_db(tmp)
    k = json.loads(cli("kpi", "--db", db, "--client", "UCI", "--by", "week", check=0).out)
    week = next(g for g in k["groups"] if g["period"] == "2016-W18")
    pdf = os.path.join(tmp, "w.pdf")
    cli("report", "--db", db, "--client", "UCI", "--kind", "weekly", "--period", "2016-W18", "--format", "pdf",
        "--lang", "en", "-o", pdf, check=0)
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    assert "Weekly report 2016-W18" in text and "SLA breached" in text and "Agent load" in text
    assert "{:,}".format(week["tickets"]) in text
    q = os.path.join(tmp, "q.pdf")
    cli("report", "--db", db, "--client", "UCI", "--kind", "quarterly", "--period", "2016-Q2", "--format", "pdf",
        "-o", q, check=0)
    text = subprocess.run(["pdftotext", "-l", "1", q, "-"], capture_output=True, text=True, check=True).stdout
    assert "Quartalsbericht Q2 2016" in text and "Inhalt" in text and "Quartalsvergleich" in text
    out = os.path.join(tmp, "qcsv")
    cli("report", "--db", db, "--client", "UCI", "--kind", "quarterly", "--period", "2016-Q2", "--format", "csv",
        "-o", out, check=0)
    kq = json.loads(cli("kpi", "--db", db, "--client", "UCI", "--by", "quarter", check=0).out)
    quarters = list(csv.DictReader(open(os.path.join(out, "quarters.csv"), encoding="utf-8", newline="")))
    assert quarters[-1]["period"] == "2016-Q2"
    g = next(x for x in kq["groups"] if x["period"] == "2016-Q2")
    assert int(quarters[-1]["tickets"]) == g["tickets"] and same(quarters[-1]["resolution_hours.median"],
                                                                 g["resolution_hours"]["median"])


def test_report_usage_errors_name_the_option(tmp):
    db = os.path.join(tmp, "e.db")
    cli("init", "--db", db, check=0)
    cli("client", "add", "--db", db, "--code", "ACME", "--name", "ACME", check=0)
    base = ("report", "--db", db, "--client", "ACME")
    r = cli(*base, "--kind", "monthly", "--period", "2026-13", check=2)
    assert "--period" in r.err, r.err
    assert "--kind" in cli(*base, "--kind", "daily", "--period", "2026-10", check=2).err
    assert "--format" in cli(*base, "--kind", "monthly", "--period", "2026-10", "--format", "doc", check=2).err
    assert "--lang" in cli(*base, "--kind", "monthly", "--period", "2026-10", "--lang", "fr", check=2).err
    assert "-o" in cli(*base, "--kind", "monthly", "--period", "2026-10", "--format", "xlsx", check=2).err
    assert "--period" in cli(*base, "--kind", "weekly", check=2).err
    assert "--client" in cli("report", "--db", db, "--client", "NOPE", "--kind", "monthly", "--period", "2026-10",
                             check=1).err
    assert "--tz" in cli(*base, "--kind", "monthly", "--period", "2026-10", "--tz", "Mars/Base", check=1).err
    bad = os.path.join(tmp, "t.json")
    open(bad, "w").write('{"speed": 1}')
    assert "--targets" in cli(*base, "--kind", "monthly", "--period", "2026-10", "--targets", bad, check=1).err
    # a client without any ticket still gets a report
    html = cli(*base, "--kind", "monthly", "--period", "2026-10", check=0).out
    assert html.startswith("<!DOCTYPE html>") and "nan" not in html
    assert cli("report", "--help", check=0).out.startswith("Usage: leitstand report")


def quantile(v, q):
    """Type 7 (linear between order statistics), as the report computes it."""
    v = sorted(v)
    h = (len(v) - 1) * q
    lo = int(math.floor(h))
    return v[-1] if lo + 1 >= len(v) else v[lo] + (h - lo) * (v[lo + 1] - v[lo])


def test_quarterly_report_shows_action_plan_contract_and_benchmark_in_every_format(tmp):
    db = uci_db(tmp)
    excerpt = os.path.join(HERE, "..", "unit", "data", "servicenow-audit.csv")
    for i in range(4):
        cli("client", "add", "--db", db, "--code", "PEER%d" % i, "--name", "Geheim %d AG" % i, "--timezone", TZ,
            check=0)
        cli("import", "servicenow", "--db", db, "--client", "PEER%d" % i, excerpt, check=0)
    act = ("action", "add", "--db", db, "--client", "UCI")
    cli(*act, "--title", "Problem-Management für Netzwerkstörungen", "--owner", "IT-Leitung", "--agreed",
        "2016-01-15", "--due", "2016-02-29", "--state", "done", "--closed", "2016-03-10", "--finding",
        "sla_hotspot", check=0)
    cli(*act, "--title", "Wissensdatenbank aufbauen", "--owner", "Service Desk", "--agreed", "2016-01-15", "--due",
        "2016-03-31", check=0)
    cli(*act, "--title", "Eskalationsmatrix abstimmen", "--agreed", "2016-02-01", "--due", "2016-06-30", "--state",
        "in_progress", check=0)
    cli("contract", "set", "--db", db, "--client", "UCI", "--fee", "12500", "--included", "1500", "--price", "6.50",
        "--sla-target", "0.95", "--penalty", "250", "--valid-from", "2016-01-01", check=0)
    base = ("report", "--db", db, "--client", "UCI", "--kind", "quarterly", "--period", "2016-Q1",
            "--bench-min-tickets", "1")
    k = json.loads(cli("kpi", "--db", db, "--client", "UCI", "--by", "month", "--format", "json", check=0).out)
    months = {g["period"]: g for g in k["groups"]}

    # CSV: the three tables, numbers by hand from the KPI JSON of each month
    out = os.path.join(tmp, "q1csv")
    cli(*base, "--format", "csv", "-o", out, check=0)
    actions = list(csv.DictReader(open(os.path.join(out, "actions.csv"), encoding="utf-8", newline="")))
    assert [(a["due_on"], a["status"], a["overdue"]) for a in actions] == [
        ("2016-02-29", "done", "false"), ("2016-03-31", "open", "true"), ("2016-06-30", "in_progress", "false")], \
        actions
    contract = list(csv.DictReader(open(os.path.join(out, "contract.csv"), encoding="utf-8", newline="")))
    assert [r["period"] for r in contract] == ["2016-01", "2016-02", "2016-03", "total"], contract
    net_total = 0
    for r in contract[:3]:
        k = months.get(r["period"], {"tickets": 0, "sla_compliance": None})
        t = k["tickets"]
        over = max(0, t - 1500)
        penalty = 0
        sla = k.get("sla_compliance")
        if sla is not None and sla < 0.95:
            # exact: the report uses num/den; the JSON's double gives the same cents here
            penalty = int(math.floor((0.95 - sla) * 100 * 25000 + 0.5 + 1e-9))
        net = 1250000 + over * 650 - penalty
        net_total += net
        assert int(r["tickets"]) == t and int(r["overage_tickets"]) == over, (r, k)
        assert round(float(r["overage"]) * 100) == over * 650 and round(float(r["sla_penalty"]) * 100) == penalty, r
        assert round(float(r["net_revenue"]) * 100) == net, (r, net)
        if t:
            assert round(float(r["revenue_per_ticket"]) * 100) == int(math.floor(net / t + 0.5)), r
    assert round(float(contract[3]["net_revenue"]) * 100) == net_total, contract[3]
    bench = {r["key"]: r for r in csv.DictReader(open(os.path.join(out, "benchmark.csv"), encoding="utf-8",
                                                      newline=""))}
    kq = json.loads(cli("kpi", "--db", db, "--client", "UCI", "--by", "quarter", check=0).out)
    own = next(g for g in kq["groups"] if g["period"] == "2016-Q1")
    peer = json.loads(cli("kpi", "--db", db, "--client", "PEER0", "--from", "2016-01-01T00:00:00+01:00", "--to",
                          "2016-04-01T00:00:00+02:00", check=0).out)
    tickets = [own["tickets"]] + [peer["tickets"]] * 4
    assert int(bench["tickets"]["value"]) == own["tickets"] and int(bench["tickets"]["clients"]) == 5, bench
    for q, col in ((0.25, "p25"), (0.5, "median"), (0.75, "p75")):
        assert float(bench["tickets"][col]) == quantile(tickets, q), (col, bench["tickets"])
    for name in os.listdir(out):
        text = open(os.path.join(out, name), encoding="utf-8").read()
        assert "PEER" not in text and "Geheim" not in text, name

    # HTML and PDF (German), XLSX (English)
    html_path = os.path.join(tmp, "q1.html")
    cli(*base, "-o", html_path, check=0)
    html = open(html_path, encoding="utf-8").read()
    for s in ('id="t-actions"', 'id="t-contract"', 'id="t-benchmark"', "Maßnahmenplan", "Vertragsökonomie",
              "Benchmark", "1 Maßnahme im Zeitraum erledigt, 2 sind offen, davon 1 überfällig", "12.500,00"):
        assert s in html, s
    assert "PEER" not in html and "Geheim" not in html and "nan" not in html
    pdf = os.path.join(tmp, "q1.pdf")
    cli(*base, "--format", "pdf", "-o", pdf, check=0)
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    for s in ("Maßnahmenplan", "Vertragsökonomie je Monat (EUR)", "Mandant im Vergleich", "Wissensdatenbank aufbauen",
              "überfällig", "37.500,00", "Unteres Quartil"):
        assert s in text, s
    toc = subprocess.run(["pdftotext", "-l", "1", pdf, "-"], capture_output=True, text=True, check=True).stdout
    assert "Maßnahmenplan" in toc and "Vertragsökonomie" in toc and "Benchmark" in toc, toc
    assert "PEER" not in text and "Geheim" not in text
    xlsx = os.path.join(tmp, "q1.xlsx")
    cli(*base, "--format", "xlsx", "--lang", "en", "-o", xlsx, check=0)
    z = zipfile.ZipFile(xlsx)
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    names = [s.get("name") for s in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", ns)]
    assert "actions" in names and "contract" in names and "benchmark" in names, names
    shared = [si.find("m:t", ns).text for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)]
    sheet = ET.fromstring(z.read("xl/worksheets/sheet%d.xml" % (names.index("contract") + 1)))
    cells = {}
    for c in sheet.iter("{%s}c" % ns["m"]):
        v = c.find("m:v", ns)
        if v is not None:
            cells[c.get("r")] = shared[int(v.text)] if c.get("t") == "s" else float(v.text)
    assert cells["A1"] == "Month" and cells["H1"] == "Net revenue" and cells["A5"] == "Quarter", cells
    assert round(cells["H5"] * 100) == net_total and cells["C5"] == 37500, cells
    asheet = ET.fromstring(z.read("xl/worksheets/sheet%d.xml" % (names.index("actions") + 1)))
    strings = [shared[int(c.find("m:v", ns).text)] for c in asheet.iter("{%s}c" % ns["m"]) if c.get("t") == "s"]
    assert "Wissensdatenbank aufbauen" in strings and "overdue" in strings and "in progress" in strings, strings

    # without plan, contract and other clients: one sentence each
    db2 = os.path.join(tmp, "e.db")
    cli("init", "--db", db2, check=0)
    cli("client", "add", "--db", db2, "--code", "ACME", "--name", "ACME", check=0)
    html = cli("report", "--db", db2, "--client", "ACME", "--kind", "quarterly", "--period", "2016-Q1",
               check=0).out
    assert "Für diesen Mandanten ist noch kein Maßnahmenplan hinterlegt." in html
    assert "Für diesen Mandanten ist kein Vertrag hinterlegt" in html
    assert "Zu wenige Mandanten für einen anonymen Vergleich" in html
    assert 'id="t-actions"' not in html and 'id="t-contract"' not in html
    monthly = cli("report", "--db", db, "--client", "UCI", "--kind", "monthly", "--period", "2016-03", check=0).out
    assert 'id="t-actions"' in monthly and 'id="t-contract"' not in monthly and "Benchmark" not in monthly
