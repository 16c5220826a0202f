"""Baseline findings from the command line and over HTTP: `leitstand analyze` over the
real UCI ServiceNow log (../shared/data) finds the reassignment ping-pong, SLA hot
spots, Pareto sets and problem candidates whose numbers are recounted here with
Python's csv module from the file itself; its JSON is stable from run to run and
sorted by value; usage errors exit 2, a missing client 1; GET /api/v1/findings
answers what the CLI prints, including ping-pong between teams of tickets worked in
Leitstand."""
import collections
import csv
import gzip
import json
import math
import os

from harness import assert_error, cli

HERE = os.path.dirname(os.path.abspath(__file__))
EXCERPT = os.path.join(HERE, "..", "unit", "data", "servicenow-audit.csv")
UCI = os.path.join(HERE, "..", "..", "..", "shared", "data", "real", "uci-incident-event-log",
                   "incident_event_log.csv.gz")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def fresh_db(tmp, code="ACME"):
    db = os.path.join(tmp, "t.db")
    cli("init", "--db", db, check=0)
    cli("client", "add", "--db", db, "--code", code, "--name", code, "--timezone", "UTC", check=0)
    return db


def analyze(db, code, *extra):
    return json.loads(cli("analyze", "--db", db, "--client", code, "--format", "json", *extra, check=0).out)


def stamp(s):
    """UCI 'd/m/YYYY HH:MM' (UTC) -> (seconds since 1970, hour of week)."""
    date, hm = s.split(" ")
    d, m, y = (int(x) for x in date.split("/"))
    hh, mm = (int(x) for x in hm.split(":"))
    # days from civil (Howard Hinnant's algorithm)
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    return days * 86400 + hh * 3600 + mm * 60, ((days + 3) % 7) * 24 + hh


def recount_uci():
    """Per incident: its rows in sys_mod_count order (ties: file order)."""
    rows = collections.defaultdict(list)
    with gzip.open(UCI, "rt", newline="") as f:
        for line, r in enumerate(csv.DictReader(f)):
            rows[r["number"]].append((int(r["sys_mod_count"]), line, r))
    for v in rows.values():
        v.sort(key=lambda x: (x[0], x[1]))
    return {n: [r for _, _, r in v] for n, v in rows.items()}


def value(v):
    return None if v == "?" else v


def test_analyze_on_the_uci_log_is_sensible_and_stable(tmp):
    if not os.path.exists(UCI):
        raise AssertionError("the shared data set %s is missing" % UCI)
    db = fresh_db(tmp, "UCI")
    cli("import", "servicenow", "--db", db, "--client", "UCI", UCI, check=0)
    first = cli("analyze", "--db", db, "--client", "UCI", "--format", "json", check=0).out
    assert cli("analyze", "--db", db, "--client", "UCI", "--format", "json", check=0).out == first
    a = json.loads(first)
    assert a["client"] == "UCI" and a["tickets"] == 24918 and a["sla_variant"] == "made_sla", a["period"]
    assert a["period"]["tz"] == "UTC" and a["period"]["from"].startswith("2016-02-29T"), a["period"]
    inc = recount_uci()
    last = {n: rs[-1] for n, rs in inc.items()}

    # every finding is complete, sorted by value, and says what its value assumes
    values = [f["value_hours_per_month"] for f in a["findings"]]
    known = [v for v in values if v is not None]
    assert known == sorted(known, reverse=True) and values[:len(known)] == known, values
    kinds = collections.Counter(f["kind"] for f in a["findings"])
    assert set(kinds) >= {"sla_hotspot", "reassignment_pingpong", "problem_candidate", "pareto_volume",
                          "pareto_effort"}, kinds
    assert all(n <= 10 for n in kinds.values()), kinds
    for f in a["findings"]:
        assert list(f) == ["kind", "title", "title_de", "value_hours_per_month", "evidence"], f
        assert f["title"] and f["title_de"] and f["title"] != f["title_de"], f
        assert f["evidence"]["value_assumption"], f

    # ping-pong: the team sequence of each incident (rows in sys_mod_count order,
    # missing '?' left out, repeats collapsed), a bounce wherever X -> Y -> X
    with_history = pingpong = bounces = 0
    pairs = collections.Counter()
    for rs in inc.values():
        groups = [r["assignment_group"] for r in rs]
        with_history += any(groups[i] != groups[i - 1] for i in range(1, len(groups)))
        seq = []
        for g in groups:
            if g != "?" and (not seq or seq[-1] != g):
                seq.append(g)
        b = [tuple(sorted((seq[i - 1], seq[i]))) for i in range(2, len(seq)) if seq[i] == seq[i - 2]]
        bounces += len(b)
        pingpong += bool(b)
        pairs.update(b)
    pp = [f for f in a["findings"] if f["kind"] == "reassignment_pingpong"]
    assert len(pp) == 1
    e = pp[0]["evidence"]
    assert (e["pingpong_tickets"], e["tickets_with_team_history"], e["bounces"]) == (
        pingpong, with_history, bounces), (e, pingpong, with_history, bounces)
    top = e["pairs"][0]
    assert top["bounces"] == max(pairs.values()) == pairs[tuple(sorted(top["teams"]))], (top, pairs.most_common(3))
    assert e["median_resolution_hours_pingpong"] > e["median_resolution_hours_other"], e

    # SLA hot spots: recounted per group from the last record of each incident; all
    # incidents are closed, so every made_sla is an outcome
    overall = sum(r["made_sla"] == "false" for r in last.values()) / len(last)
    for f in (f for f in a["findings"] if f["kind"] == "sla_hotspot"):
        e = f["evidence"]
        assert abs(e["overall_breach_rate"] - overall) < 1e-12, e
        assert e["tickets"] >= 30 and e["z"] >= 3 and e["wilson95"][0] > overall, e
        key = {"team": lambda r: value(r["assignment_group"]),
               "category": lambda r: value(r["category"]),
               "priority": lambda r: r["priority"][0] if value(r["priority"]) else None,
               "hour_of_week": lambda r: "%s %02d:00" % (DAYS[stamp(r["opened_at"])[1] // 24],
                                                         stamp(r["opened_at"])[1] % 24)}[e["dimension"]]
        group = [r for r in last.values() if key(r) == e["group"]]
        assert e["tickets"] == len(group), (e, len(group))
        assert e["breached"] == sum(r["made_sla"] == "false" for r in group), e
        n, p0 = len(group), overall
        assert abs(e["z"] - (e["breached"] - n * p0) / math.sqrt(n * p0 * (1 - p0))) < 1e-9, e

    # Pareto by volume: the fewest categories (of the last records) covering 80 %
    cats = collections.Counter(value(r["category"]) for r in last.values() if value(r["category"]))
    counts = sorted(cats.values(), reverse=True)
    total, cum, k = sum(counts), 0, 0
    while cum < 0.8 * total:
        cum += counts[k]
        k += 1
    vol = next(f for f in a["findings"] if f["kind"] == "pareto_volume")["evidence"]
    assert (vol["categories"], vol["covering"], vol["total_tickets"]) == (len(cats), k, total), vol
    assert vol["without_category"] == len(last) - total, vol

    # problem candidates: incidents of one category and symptom (a symptom shared by
    # more than 20 % of all incidents is the source's default), chained while the
    # openings lie at most 7 days apart, bursts of at least 3
    # (an incident with a configuration item is matched by the item instead)
    sym = collections.Counter(value(r["u_symptom"]) for r in last.values() if not value(r["cmdb_ci"]))
    generic = {s for s, n in sym.items() if s and n > 0.2 * len(last)}
    keyed = collections.defaultdict(list)
    for r in last.values():
        s = value(r["u_symptom"])
        if value(r["cmdb_ci"]):
            keyed[("ci", r["cmdb_ci"])].append(stamp(r["opened_at"])[0])
        elif s and s not in generic:
            keyed[(value(r["category"]), s)].append(stamp(r["opened_at"])[0])
    assert a["incidents_with_generic_symptom"] == sum(sym[s] for s in generic) > 0, generic
    for f in (f for f in a["findings"] if f["kind"] == "problem_candidate"):
        e = f["evidence"]
        assert e["match"] == "category_symptom", e
        times = sorted(keyed[(e["category"], e["symptom"])])
        bursts, run = [], [times[0]]
        for t in times[1:]:
            if t - run[-1] <= 7 * 86400:
                run.append(t)
            else:
                bursts.append(run)
                run = [t]
        bursts.append(run)
        bursts = [b for b in bursts if len(b) >= 3]
        assert (e["incidents"], e["clusters"], e["largest_cluster"]) == (
            sum(map(len, bursts)), len(bursts), max(map(len, bursts))), (e, list(map(len, bursts)))

    # the hour-of-week profile: every incident opened once, agents from the events
    h = a["hour_of_week"]
    assert h["staffing_source"] == "ticket_event_actors" and sum(h["tickets"]) == 24918, h["staffing_source"]
    assert len(h["agent_hours"]) == 168 and sum(h["agent_hours"]) > 0

    # another zone moves the hours, not the tickets; the text output reads
    b = analyze(db, "UCI", "--tz", "Europe/Berlin")
    assert b["period"]["tz"] == "Europe/Berlin" and b["tickets"] == 24918
    assert b["hour_of_week"]["tickets"] != h["tickets"] and sum(b["hour_of_week"]["tickets"]) == 24918
    text = cli("analyze", "--db", db, "--client", "UCI", check=0).out
    assert text.startswith("Findings for UCI: 24918 tickets"), text[:200]
    assert " 1. [" in text and "worth about" in text and "Reassignment ping-pong" in text, text[:2000]
    de = cli("analyze", "--db", db, "--client", "UCI", "--format", "text", "--lang", "de", check=0).out
    assert "Zuweisungs-Pingpong" in de, de[:2000]

    # a range analyses the tickets opened in it
    r = analyze(db, "UCI", "--from", "2016-03-01", "--to", "2016-04-01")
    march = sum(1 for rs in last.values() if 1456790400 <= stamp(rs["opened_at"])[0] < 1459468800)
    assert r["tickets"] == march and r["period"]["from"] == "2016-03-01T00:00:00+00:00", r["period"]


def test_analyze_usage_and_errors(tmp):
    db = fresh_db(tmp)
    assert cli("analyze", "--help", check=0).out.startswith("Usage: leitstand analyze")
    cli("analyze", "--db", db, check=2)
    cli("analyze", "--db", db, "--client", "ACME", "--from", "2016-01-01", check=2)
    cli("analyze", "--db", db, "--client", "ACME", "--from", "2016-02-01", "--to", "2016-01-01", check=2)
    cli("analyze", "--db", db, "--client", "ACME", "--format", "xml", check=2)
    cli("analyze", "--db", db, "--client", "ACME", "--lang", "fr", check=2)
    cli("analyze", "--db", db, "--client", "ACME", "extra", check=2)
    cli("analyze", "--db", db, "--client", "NOPE", check=1)
    cli("analyze", "--db", db, "--client", "ACME", "--tz", "Mars/Base", check=1)
    empty = analyze(db, "ACME")
    assert empty["tickets"] == 0 and empty["findings"] == [] and empty["period"]["from"] is None, empty
    assert "No findings" in cli("analyze", "--db", db, "--client", "ACME", check=0).out


def test_findings_over_http_equal_the_command_line(w):
    cli("import", "servicenow", "--db", w.db, "--client", "ACME", EXCERPT, check=0)
    cli("team", "add", "--db", w.db, "--code", "L2", "--name", "Level 2", check=0)
    # a ticket worked in Leitstand, handed L1 -> L2 -> L1
    t = w.create_ticket(team="L1")
    for team in ("L2", "L1"):
        r = w.req("PATCH", "/api/v1/tickets/" + t["number"], {"team": team},
                  headers={"If-Match": '"%d"' % t["version"]})
        assert r.status == 200, r
        t = r.json
    want = json.loads(cli("analyze", "--db", w.db, "--client", "ACME", "--format", "json", check=0).out)
    r = w.req("GET", "/api/v1/findings?client=ACME", who="viewer_a")
    assert r.status == 200, r
    assert r.json == want, (r.json, want)
    assert r.json["tickets"] == 4, r.json  # three imported, one native
    pp = [f for f in r.json["findings"] if f["kind"] == "reassignment_pingpong"]
    assert len(pp) == 1 and pp[0]["evidence"]["pingpong_tickets"] == 1, r.json["findings"]
    assert pp[0]["evidence"]["pairs"][0]["teams"] == ["L1", "L2"], pp
    assert pp[0]["evidence"]["pairs"][0]["examples"] == [t["number"]], pp
    r = w.req("GET", "/api/v1/findings?client=ACME&tz=Europe/Berlin&from=2016-01-01&to=2030-01-01")
    assert r.status == 200 and r.json["period"]["tz"] == "Europe/Berlin", r
    assert_error(w.req("GET", "/api/v1/findings?client=ACME", who="viewer_b"), 400, "invalid_parameter", "client")
    assert_error(w.req("GET", "/api/v1/findings"), 400, "invalid_parameter", "client")
    assert_error(w.req("GET", "/api/v1/findings?client=ACME&from=yesterday"), 400, "invalid_parameter", "from")
    assert_error(w.req("GET", "/api/v1/findings?client=ACME&from=2016-01-01"), 400, "invalid_parameter", "to")
    assert_error(w.req("GET", "/api/v1/findings?client=ACME&tz=Mars/Base"), 400, "invalid_parameter", "tz")
