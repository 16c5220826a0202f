"""Resolution time in business hours net of pauses (docs/kpi.md): the UCI ServiceNow
log imported end to end, `GET /api/v1/kpis?calendar=…` and `leitstand kpi
--calendar` compared with an independent computation from the CSV file."""
import csv
import datetime
import gzip
import json
import math
import os

from harness import assert_error, cli

HERE = os.path.dirname(os.path.abspath(__file__))
UCI = os.path.join(HERE, "..", "..", "..", "shared", "data", "real", "uci-incident-event-log",
                   "incident_event_log.csv.gz")
WAITING = {"Awaiting User Info", "Awaiting Evidence", "Awaiting Problem", "Awaiting Vendor", "On Hold"}
KNOWN = WAITING | {"New", "Active", "In Progress", "Resolved", "Closed"}
OPEN_H, CLOSE_H = 8, 17  # mon-fri 08:00-17:00 UTC, no holidays


def stamp(s):
    if not s or s == "?":
        return None
    d = datetime.datetime.strptime(s, "%d/%m/%Y %H:%M").replace(tzinfo=datetime.timezone.utc)
    return int(d.timestamp())


def bh(a, b):
    """Business seconds in [a, b) under the office hours, day by day."""
    if b <= a:
        return 0
    total = 0
    day = a - a % 86400
    while day < b:
        if datetime.datetime.fromtimestamp(day, datetime.timezone.utc).weekday() < 5:
            lo, hi = max(a, day + OPEN_H * 3600), min(b, day + CLOSE_H * 3600)
            total += max(0, hi - lo)
        day += 86400
    return total


def expected_net_hours():
    rows = {}
    with gzip.open(UCI, "rt", encoding="utf-8", newline="") as f:
        for line, r in enumerate(csv.DictReader(f)):
            rows.setdefault(r["number"], []).append((int(r["sys_mod_count"]), line, r))
    out = []
    for recs in rows.values():
        recs.sort(key=lambda x: (x[0], x[1]))
        last = recs[-1][2]
        opened, resolved = stamp(last["opened_at"]), stamp(last["resolved_at"])
        if opened is None or resolved is None or resolved < opened:
            continue
        spans, start = [], None
        for _, _, r in recs:
            st = r["incident_state"]
            if st not in KNOWN:
                continue
            t = stamp(r["sys_updated_at"])
            if st in WAITING and start is None:
                start = t
            elif st not in WAITING and start is not None:
                spans.append((start, t))
                start = None
        if start is not None:
            spans.append((start, None))
        paused = sum(bh(max(s, opened), min(e if e is not None else resolved, resolved)) for s, e in spans)
        out.append((bh(opened, resolved) - paused) / 3600)
    return out


def dist(v):
    v = sorted(v)
    n = len(v)
    med = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    return {"n": n, "mean": sum(v) / n, "median": med, "p90": v[math.ceil(0.9 * n) - 1]}


def test_uci_net_resolution_business_hours_match_an_independent_count(w):
    if not os.path.exists(UCI):
        raise AssertionError("the shared data set %s is missing" % UCI)
    r = w.req("POST", "/api/v1/calendars", {"client": "ACME", "code": "office", "name": "Office",
                                            "timezone": "UTC", "hours": "mon-fri 08:00-17:00",
                                            "holidays": "none"})
    assert r.status == 201, r
    cli("import", "servicenow", "--db", w.db, "--client", "ACME", UCI, check=0)
    r = w.req("GET", "/api/v1/kpis?client=ACME&calendar=office", who="viewer_a")
    assert r.status == 200, r
    got = r.json["resolution_business_hours_net"]
    want = dist(expected_net_hours())
    assert got["n"] == want["n"] == 23362, (got, want)
    for k in ("mean", "median", "p90"):
        assert abs(got[k] - want[k]) < 1e-6, (k, got, want)
    gross = r.json["resolution_business_hours"]
    assert gross["n"] == got["n"] and gross["mean"] > got["mean"], (gross, got)
    # the command line prints the same object
    k = json.loads(cli("kpi", "--db", w.db, "--client", "ACME", "--calendar", "office", check=0).out)
    assert k["resolution_business_hours_net"] == got, (k["resolution_business_hours_net"], got)
    # by month: each incident in the month of its resolution
    r = w.req("GET", "/api/v1/kpis?client=ACME&calendar=office&by=month")
    assert sum(g["resolution_business_hours_net"]["n"] for g in r.json["groups"]) == 23362
    print("UCI resolution_business_hours_net:", json.dumps(got))


def test_calendar_parameter_is_checked(w):
    assert_error(w.req("GET", "/api/v1/kpis?client=ACME&calendar=nope"), 400, "invalid_parameter", "calendar")
    r = w.req("GET", "/api/v1/kpis?client=ACME")
    assert r.status == 200 and r.json["resolution_business_hours_net"]["median"] is None, r
