"""Forecasts from the command line and over HTTP. A generated ACD history (20 weeks of
15-minute intervals in Europe/Berlin with a weekday pattern, a two-hump day, a slight
trend, Poisson noise, DE-NW holidays at 5 % and a bridge day at 60 %, spring's 23-hour
day) is imported and forecast: the JSON has the documented shape, days add up to
their intervals, holidays and bridge days are marked and low, 25-hour days have 25
hours, the backtest's WAPE and bias are finite, small and the same on every run; the
CSV feeds `leitstand staff --intervals`; peaks multiply their days; every bad option
is named. The real UCI ServiceNow log forecasts from its ticket creations.
GET /api/v1/forecast answers what the command prints."""
import csv
import io
import json
import math
import os
import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from harness import assert_error, cli

HERE = os.path.dirname(os.path.abspath(__file__))
UCI = os.path.join(HERE, "..", "..", "..", "shared", "data", "real", "uci-incident-event-log",
                   "incident_event_log.csv.gz")
BERLIN = ZoneInfo("Europe/Berlin")
FIRST = date(2025, 1, 6)            # a Monday
DAYS = 140                          # through Sunday 2025-05-25
WEEKDAY = [1.0, 0.9, 0.85, 0.85, 0.8, 0.3, 0.0]
SPECIAL = {date(2025, 4, 18): 0.05, date(2025, 4, 21): 0.05, date(2025, 5, 1): 0.05,  # DE-NW holidays
           date(2025, 5, 2): 0.6}                                                    # the bridge day


def hump(hour):
    """Share of the day's calls per hour of local time: open 07-20, peaks at 10 and 15."""
    if hour < 7 or hour >= 20:
        return 0.0
    return 0.3 + math.exp(-((hour - 10) / 1.5) ** 2) + 0.8 * math.exp(-((hour - 15) / 2.0) ** 2)


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    k, p, limit = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def write_acd(path):
    """The generated export: UTC stamps, two queues, one row per queue and 15 minutes."""
    rng = random.Random(11)
    weights = [hump(q / 4.0 + 0.125) for q in range(96)]
    norm = sum(weights)
    with open(path, "w", encoding="utf-8") as f:
        f.write("Interval Start,Queue,Offered,Answered,Abandoned\n")
        for i in range(DAYS):
            d = FIRST + timedelta(days=i)
            total = 1200.0 * WEEKDAY[d.weekday()] * (1 + 0.001 * i) * SPECIAL.get(d, 1.0)
            t = datetime(d.year, d.month, d.day, tzinfo=BERLIN).astimezone(timezone.utc)
            end = (datetime(d.year, d.month, d.day, tzinfo=BERLIN) + timedelta(days=1)).astimezone(timezone.utc)
            while t < end:
                local = t.astimezone(BERLIN)
                q = local.hour * 4 + local.minute // 15
                n = poisson(rng, total * weights[q] / norm)
                a = int(round(0.7 * n))
                stamp = t.strftime("%Y-%m-%dT%H:%M:%SZ")
                f.write("%s,Hotline,%d,%d,0\n%s,Billing,%d,%d,0\n" % (stamp, a, a, stamp, n - a, n - a))
                t += timedelta(minutes=15)


def fresh(tmp):
    db = os.path.join(tmp, "t.db")
    cli("init", "--db", db, check=0)
    cli("client", "add", "--db", db, "--code", "ACME", "--name", "ACME GmbH", check=0)
    path = os.path.join(tmp, "acd.csv")
    write_acd(path)
    cli("import", "acd", "--db", db, "--client", "ACME", "--interval", "15m", path, check=0)
    return db


def forecast(db, *args, check=0, fmt="json"):
    r = cli("forecast", "--db", db, "--client", "ACME", *args, "--format", fmt, check=check)
    return json.loads(r.out) if check == 0 and fmt == "json" else r


def test_the_exact_form_gives_the_documented_object(tmp):
    db = fresh(tmp)
    f = forecast(db, "--from", "2025-05-26", "--days", "15", "--interval", "30m", "--region", "DE-NW")
    assert list(f) == ["client", "source", "timezone", "region", "interval_seconds", "history", "model",
                       "backtest", "peaks", "days", "intervals"], list(f)
    assert (f["client"], f["source"], f["timezone"], f["region"]) == ("ACME", "calls", "Europe/Berlin", "DE-NW"), f
    assert f["interval_seconds"] == 1800
    assert f["history"] == {"first": "2025-01-06", "last": "2025-05-25", "days": 140}, f["history"]
    m = f["model"]
    assert m["method"] == "holt_winters" and m["seasonality"] in ("additive", "multiplicative"), m
    assert all(0 <= m[k] <= 1 for k in ("alpha", "beta", "gamma")), m
    assert list(m["season"]) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], m
    # Good Friday, Easter Monday and 1 May at 5 %, 2 May at 60 % of a normal day
    assert m["holiday_days"] == 3 and m["bridge_days"] == 1, m
    assert 0 <= m["holiday_factor"] < 0.15 and 0.4 < m["bridge_factor"] < 0.8, m

    days = f["days"]
    assert [d["date"] for d in days] == [str(date(2025, 5, 26) + timedelta(days=i)) for i in range(15)]
    special = {d["date"]: d["special"] for d in days if d["special"]}
    # Ascension (Thursday), its bridge Friday, Whit Monday
    assert special == {"2025-05-29": "holiday", "2025-05-30": "bridge", "2025-06-09": "holiday"}, special
    total = {d["date"]: d["total"] for d in days}
    assert total["2025-05-29"] < 0.15 * total["2025-05-28"], total
    assert 0.4 * total["2025-05-28"] < total["2025-05-30"] < 0.8 * total["2025-05-28"], total
    assert total["2025-06-01"] == 0 and "sun" in m["closed_weekdays"], (total, m)  # closed on Sundays
    assert 1100 < total["2025-06-02"] < 1700, total  # a Sunday, a Monday

    iv = f["intervals"]
    assert len(iv) == 15 * 48 and iv[0]["start"] == "2025-05-26T00:00:00+02:00", iv[:2]
    assert all(x["volume"] >= 0 for x in iv)
    for i, d in enumerate(days):
        got = sum(x["volume"] for x in iv[48 * i:48 * (i + 1)])
        assert all(x["start"].startswith(d["date"]) for x in iv[48 * i:48 * (i + 1)])
        assert abs(got - d["total"]) < 1e-6 * (1 + d["total"]), (d, got)
    night = [x for x in iv if x["start"][11:13] in ("00", "01", "02", "03", "04", "05", "21", "22", "23")]
    assert sum(x["volume"] for x in night) < 1.0, "nights have no calls"

    b = f["backtest"]
    assert b["weeks"] == 4 and len(b["days"]) == 28 and b["days"][0]["date"] == "2025-04-28", b
    # Poisson noise at about 30 calls per half hour: roughly 0.1 per interval
    assert 0 < b["wape"] < 0.25 and abs(b["bias"]) < 0.1 and 0 < b["daily_wape"] <= b["wape"], b
    # stable: the same database gives the same numbers
    again = forecast(db, "--from", "2025-05-26", "--days", "15", "--interval", "30m", "--region", "DE-NW")
    assert again == f


def test_days_with_daylight_saving_changes_have_23_and_25_hours(tmp):
    db = fresh(tmp)
    f = forecast(db, "--from", "2025-05-26", "--days", "160", "--interval", "60m", "--backtest-weeks", "0")
    assert f["backtest"]["weeks"] == 0 and f["backtest"]["wape"] is None, f["backtest"]
    oct26 = [x["start"] for x in f["intervals"] if x["start"].startswith("2025-10-26")]
    assert len(oct26) == 25, oct26
    assert oct26[2:4] == ["2025-10-26T02:00:00+02:00", "2025-10-26T02:00:00+01:00"], oct26
    assert len(f["intervals"]) == 160 * 24 + 1
    # in UTC every day has 24 hours
    u = forecast(db, "--from", "2025-10-20", "--days", "7", "--interval", "15m", "--tz", "UTC",
                 "--backtest-weeks", "1")
    assert u["timezone"] == "UTC" and len(u["intervals"]) == 7 * 96, len(u["intervals"])
    assert u["intervals"][0]["start"] == "2025-10-20T00:00:00+00:00"


def test_the_csv_feeds_the_staffing_command(tmp):
    db = fresh(tmp)
    out = forecast(db, "--from", "2025-05-26", "--days", "2", "--interval", "30m", fmt="csv").out
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["start", "volume"] and len(rows) == 1 + 2 * 48, rows[:3]
    j = forecast(db, "--from", "2025-05-26", "--days", "2", "--interval", "30m")
    assert [[x["start"], x["volume"]] for x in j["intervals"]] == [[r[0], float(r[1])] for r in rows[1:]]
    path = os.path.join(tmp, "f.csv")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(out)
    staff = json.loads(cli("staff", "--intervals", path, "--interval", "1800", "--aht", "240", "--target", "0.8",
                           "--answer-time", "20", "--shrinkage", "0.3", "--format", "json", check=0).out)
    assert len(staff["intervals"]) == 96, len(staff["intervals"])
    peak = max(staff["intervals"], key=lambda x: x["contacts"])
    assert peak["agents"] > 0 and "08" <= peak["start"][11:13] <= "16", peak
    assert all(x["agents"] == 0 for x in staff["intervals"] if x["contacts"] == 0)


def test_a_peak_multiplies_its_days(tmp):
    db = fresh(tmp)
    base = forecast(db, "--from", "2025-06-02", "--days", "7", "--backtest-weeks", "0")
    up = forecast(db, "--from", "2025-06-02", "--days", "7", "--backtest-weeks", "0",
                  "--peak", "2025-06-03..2025-06-05:1.4", "--peak", "2025-06-05:2")
    assert up["peaks"] == [{"first": "2025-06-03", "last": "2025-06-05", "factor": 1.4},
                           {"first": "2025-06-05", "last": "2025-06-05", "factor": 2.0}], up["peaks"]
    for b, p in zip(base["days"], up["days"]):
        f = {"2025-06-03": 1.4, "2025-06-04": 1.4, "2025-06-05": 2.8}.get(b["date"], 1.0)
        assert abs(p["total"] - f * b["total"]) < 1e-9 * (1 + b["total"]), (b, p)
        assert p["special"] == ("peak" if f != 1.0 else b["special"]), p


def test_options_are_checked_and_named(tmp):
    db = fresh(tmp)
    assert "--backtest-weeks" in cli("forecast", "--help", check=0).out
    base = ("--from", "2025-05-26", "--days", "7")
    for args, option in (((), "--client"),
                         (("--client", "ACME", "--days", "7"), "--from"),
                         (("--client", "ACME", "--from", "2025-05-26"), "--days"),
                         (("--client", "ACME", "--from", "2025-13-01", "--days", "7"), "--from"),
                         (("--client", "ACME") + base[:3] + ("0",), "--days"),
                         (("--client", "ACME") + base + ("--interval", "7m"), "--interval"),
                         (("--client", "ACME") + base + ("--format", "xml"), "--format"),
                         (("--client", "ACME") + base + ("--peak", "2025-06-01:x"), "--peak"),
                         (("--client", "ACME") + base + ("--backtest-weeks", "53"), "--backtest-weeks"),
                         (("--client", "ACME") + base + ("--source", "mail"), "--source"),
                         (("--client", "ACME") + base + ("--model", "damped"), "--model"),
                         (("--client", "ACME") + base + ("--region", "DE-XX"), "--region"),
                         (("--client", "ACME") + base + ("--tz", "Mars/Olympus"), "--tz")):
        r = cli("forecast", "--db", db, *args, check=2)
        assert option in r.err, (args, r.err)
    r = cli("forecast", "--db", db, "--client", "NOPE", *base, check=1)
    assert "--client" in r.err and "NOPE" in r.err, r.err
    r = cli("forecast", "--db", db, "--client", "ACME", *base, "--source", "tickets", check=1)
    assert "no tickets" in r.err, r.err
    r = cli("forecast", "--db", db, "--client", "ACME", "--from", "2025-01-15", "--days", "7", check=1)
    assert "--from" in r.err and "9 days" in r.err, r.err
    r = cli("forecast", "--db", db, "--client", "ACME", *base, "--model", "multiplicative", check=1)
    assert "--model" in r.err and "multiplicative" in r.err, r.err  # Sundays have no calls
    text = cli("forecast", "--db", db, "--client", "ACME", *base, "--format", "text", check=0).out
    assert "Holt-Winters" in text and "WAPE" in text and "2025-05-29" in text, text


def test_the_real_uci_servicenow_log_forecasts_from_ticket_creations(tmp):
    if not os.path.exists(UCI):
        raise AssertionError("the shared data set %s is missing" % UCI)
    db = os.path.join(tmp, "t.db")
    cli("init", "--db", db, check=0)
    cli("client", "add", "--db", db, "--code", "UCI", "--name", "UCI", check=0)
    cli("import", "servicenow", "--db", db, "--client", "UCI", UCI, check=0)
    args = ("forecast", "--db", db, "--client", "UCI", "--from", "2016-05-23", "--days", "14", "--interval", "30m",
            "--format", "json")
    f = json.loads(cli(*args, check=0).out)
    # the log's bulk: 29 February to the end of May 2016
    assert f["source"] == "tickets" and f["history"]["first"] == "2016-02-29", f["history"]
    assert f["history"]["last"] == "2016-05-22" and len(f["intervals"]) == 14 * 48, f["history"]
    b = f["backtest"]
    assert b["weeks"] == 4 and all(math.isfinite(b[k]) for k in ("wape", "bias", "daily_wape")), b
    assert 0 < b["daily_wape"] <= b["wape"] < 1 and abs(b["bias"]) < 0.5, b
    totals = [d["total"] for d in f["days"]]
    assert all(t >= 0 for t in totals) and 1000 < sum(totals) < 8000, totals
    assert json.loads(cli(*args, check=0).out) == f


def test_over_http_the_same_object_as_the_command_line(w):
    path = os.path.join(w.dir, "acd.csv")
    write_acd(path)
    cli("import", "acd", "--db", w.db, "--client", "ACME", "--interval", "15m", path, check=0)
    want = forecast(w.db, "--from", "2025-05-26", "--days", "7", "--interval", "15m", "--region", "DE-NW",
                    "--peak", "2025-05-27..2025-05-28:1.2", "--backtest-weeks", "2")
    url = ("/api/v1/forecast?client=ACME&from=2025-05-26&days=7&interval=15m&region=DE-NW"
           "&peak=2025-05-27..2025-05-28:1.2&backtest_weeks=2")
    r = w.req("GET", url, who="viewer_a")
    assert r.status == 200, r
    assert r.json == want
    r = w.req("GET", "/api/v1/forecast?client=ACME&from=2025-05-26&days=7", who="agent_a")
    assert r.status == 200 and r.json["interval_seconds"] == 1800 and r.json["region"] == "DE", r
    assert_error(w.req("GET", "/api/v1/forecast?client=ACME&from=2025-05-26&days=7", who="viewer_b"), 400,
                 "invalid_parameter", "client")
    assert_error(w.req("GET", "/api/v1/forecast?from=2025-05-26&days=7"), 400, "invalid_parameter", "client")
    assert_error(w.req("GET", "/api/v1/forecast?client=ACME&days=7"), 400, "invalid_parameter", "from")
    assert_error(w.req("GET", "/api/v1/forecast?client=ACME&from=2025-05-26"), 400, "invalid_parameter", "days")
    assert_error(w.req("GET", "/api/v1/forecast?client=ACME&from=2025-05-26&days=7&interval=20m"), 400,
                 "invalid_parameter", "interval")
    assert_error(w.req("GET", "/api/v1/forecast?client=ACME&from=2025-05-26&days=7&peak=2025-05-27:1,x"), 400,
                 "invalid_parameter", "peak")
    assert_error(w.req("GET", "/api/v1/forecast?client=ACME&from=2025-05-26&days=7&region=XX"), 400,
                 "invalid_parameter", "region")
    assert_error(w.req("GET", "/api/v1/forecast?client=ACME&from=2025-05-26&days=7&tz=No/Zone"), 400,
                 "invalid_parameter", "tz")
    assert_error(w.req("GET", "/api/v1/forecast?client=BETA&from=2025-05-26&days=7"), 400, "invalid_parameter",
                 "from")
    assert_error(w.req("GET", "/api/v1/forecast?client=ACME&from=2025-05-26&days=7&colour=red"), 400,
                 "invalid_parameter")
    assert_error(w.req("GET", "/api/v1/forecast?client=ACME&from=2025-05-26&days=7", who=None), 401,
                 "unauthorized")
