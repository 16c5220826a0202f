"""Shift plans over HTTP and on the command line: POST /api/v1/shift-plans answers
what `leitstand shifts plan --format json` prints for the same inputs, keeps to the
Arbeitszeitgesetz (a Sunday nobody may work stays uncovered, with the reason), names
the field of every bad input, and the CLI writes CSV and one iCalendar per agent."""
import json
import os

from harness import assert_error, cli

URL = "/api/v1/shift-plans"

# Monday 2 March 2026, Europe/Berlin: 2 agents 08:00-12:00, 3 agents 12:00-16:00,
# 1 agent 16:00-18:00, Monday to Sunday of one week.
DAYS = ["2026-03-0%d" % d for d in range(2, 9)]


def requirements():
    rows = []
    for d in DAYS:
        for h in range(8, 18):
            need = 2 if h < 12 else 3 if h < 16 else 1
            rows.append({"start": "%sT%02d:00" % (d, h), "required": need})
    return rows


TEMPLATES = [
    {"name": "early", "start": "08:00", "length": "8h30m", "breaks": [{"after": "4h", "length": "30m"}]},
    {"name": "late", "start": "10:00", "length": "8h30m", "breaks": [{"after": "4h", "length": "30m"}]},
    {"name": "short", "start": "12:00", "length": "4h", "cost": 4.5},
]


def agents(sundays=True):
    return [{"name": "Agent %d" % i, "place_of_work": "DE-NW",
             "contract": {"weekly_hours": 40, "sundays": sundays, "holidays": False},
             "availability": "mon-sun 07:00-21:00"} for i in range(8)]


def body(**kw):
    b = {"from": "2026-03-02", "days": 7, "tz": "Europe/Berlin", "requirements": requirements(),
         "templates": TEMPLATES, "agents": agents()}
    b.update(kw)
    return b


def write_inputs(tmp, sundays=True):
    req = os.path.join(tmp, "req.csv")
    with open(req, "w") as f:
        f.write("start,required\n")
        for r in requirements():
            f.write("%s,%d\n" % (r["start"], r["required"]))
    tpl = os.path.join(tmp, "templates.json")
    with open(tpl, "w") as f:
        json.dump({"templates": TEMPLATES}, f)
    ag = os.path.join(tmp, "agents.json")
    with open(ag, "w") as f:
        json.dump({"agents": agents(sundays)}, f)
    return req, tpl, ag


def plan_cli(tmp, *extra, sundays=True, check=0):
    req, tpl, ag = write_inputs(tmp, sundays)
    return cli("shifts", "plan", "--requirements", req, "--templates", tpl, "--agents", ag,
               "--from", "2026-03-02", "--days", "7", *extra, check=check)


def test_the_api_answers_what_the_cli_prints(w, tmp):
    r = w.req("POST", URL, body(), who="agent_a")
    assert r.status == 200, r
    out = json.loads(plan_cli(tmp, "--format", "json").out)
    for k in ("shifts", "roster", "coverage", "violations", "cost", "summary"):
        assert r.json[k] == out[k], (k, r.json[k], out[k])
    assert r.json["solver"]["name"] == "cbc" and r.json["solver"]["status"] == "optimal", r.json["solver"]


def test_every_interval_is_covered_by_lawful_shifts(w):
    r = w.req("POST", URL, body())
    assert r.status == 200, r
    j = r.json
    assert j["violations"] == [] and j["summary"]["uncovered_shifts"] == 0, j["summary"]
    assert all(c["staffed"] >= c["required"] for c in j["coverage"]), j["coverage"]
    assert j["solver"]["objective"] <= j["solver"]["greedy_objective"] + 1e-9, j["solver"]
    assert abs(j["cost"] - sum(s["cost"] for s in j["shifts"])) < 1e-9, j["cost"]
    for s in j["shifts"]:
        assert s["agent"] is not None and s["work_hours"] <= 10, s


def test_sundays_stay_uncovered_without_a_contract_that_allows_them(w):
    r = w.req("POST", URL, body(agents=agents(sundays=False)))
    assert r.status == 200, r
    sunday = [s for s in r.json["shifts"] if s["day"] == "2026-03-08"]
    assert sunday and all(s["agent"] is None for s in sunday), sunday
    assert all(s["uncovered"]["reason"] == "sunday" for s in sunday), sunday
    assert r.json["violations"] == [], r.json["violations"]
    assert r.json["summary"]["uncovered_shifts"] == len(sunday), r.json["summary"]


def test_the_greedy_alone_reports_itself(w):
    r = w.req("POST", URL, body(solver="greedy"))
    assert r.status == 200, r
    s = r.json["solver"]
    assert s["name"] == "greedy" and s["status"] == "greedy" and s["fallback"], s
    assert s["bound"] is None and s["gap"] is None, s


def test_bad_inputs_name_the_field(w):
    bad_tpl = [dict(TEMPLATES[0], breaks=[])]
    e = assert_error(w.req("POST", URL, body(templates=bad_tpl)), 400, "invalid_field", "templates[0].breaks")
    assert "ArbZG" in e["message"], e
    ag = agents()
    del ag[1]["contract"]["weekly_hours"]
    assert_error(w.req("POST", URL, body(agents=ag)), 400, "missing_field", "agents[1].contract.weekly_hours")
    req = requirements()
    req[1]["required"] = "three"
    assert_error(w.req("POST", URL, body(requirements=req)), 400, "invalid_field", "requirements[1].required")
    req = requirements()
    req[0]["queue"] = "x"
    assert_error(w.req("POST", URL, body(requirements=req)), 400, "unknown_field", "requirements[0].queue")
    assert_error(w.req("POST", URL, body(time_limit=600)), 400, "invalid_field", "time_limit")
    req = requirements()
    req.append(dict(req[0]))
    e = assert_error(w.req("POST", URL, body(requirements=req)), 400, "invalid_field", "start")
    assert "requirements[70]" in e["message"] and "requirements[0]" in e["message"], e
    assert_error(w.req("POST", URL, body(tz="Mars/Olympus")), 400, "invalid_field", "tz")
    assert_error(w.req("POST", URL, body(nope=1)), 400, "unknown_field", "nope")
    b = body()
    del b["agents"]
    assert_error(w.req("POST", URL, b), 400, "missing_field", "agents")
    assert_error(w.req("POST", URL, body(), who=None), 401, "unauthorized")


def test_cli_csv_has_one_row_per_assigned_shift(tmp):
    j = json.loads(plan_cli(tmp, "--format", "json").out)
    out = plan_cli(tmp, "--format", "csv").out
    lines = out.splitlines()
    assert lines[0] == "agent,day,start,end,template,skill,work_hours,breaks", lines[0]
    assert len(lines) - 1 == j["summary"]["assigned"], (len(lines), j["summary"])
    assert any(",early,," in ln and "12:00-12:30" in ln for ln in lines[1:]), lines[:4]


def test_cli_ics_writes_one_calendar_per_agent(tmp):
    out_dir = os.path.join(tmp, "ics")
    res = plan_cli(tmp, "--format", "ics", "--out", out_dir)
    files = sorted(os.listdir(out_dir))
    assert files and all(f.endswith(".ics") for f in files), files
    data = open(os.path.join(out_dir, files[0]), "rb").read()
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and data.endswith(b"END:VCALENDAR\r\n"), data[:80]
    assert b"\n" not in data.replace(b"\r\n", b""), "bare LF"
    assert all(len(ln) <= 75 for ln in data.split(b"\r\n")), "line longer than 75 octets"
    assert data.count(b"BEGIN:VEVENT") == data.count(b"UID:") == data.count(b"DTSTAMP:"), data
    assert b"DTSTART:20260302T" in data or b"DTSTART:2026030" in data, data
    assert "wrote" in res.err, res
    # without --out: the calendars one after another on standard output
    stream = plan_cli(tmp, "--format", "ics").out
    assert stream.count("BEGIN:VCALENDAR") == len(files), (stream.count("BEGIN:VCALENDAR"), files)


def test_cli_errors_name_file_line_and_field(tmp):
    req, tpl, ag = write_inputs(tmp)
    with open(req, "a") as f:
        f.write("2026-03-03T19:00,lots\n")
    res = cli("shifts", "plan", "--requirements", req, "--templates", tpl, "--agents", ag, "--from", "2026-03-02",
              "--days", "7", check=2)
    assert "req.csv: line 72: required 'lots'" in res.err, res
    req, tpl, ag = write_inputs(tmp)
    with open(ag, "w") as f:
        f.write('{"agents": [{"name": "A", "place_of_work": "XX", "contract": {"weekly_hours": 40}}]}')
    res = cli("shifts", "plan", "--requirements", req, "--templates", tpl, "--agents", ag, "--from", "2026-03-02",
              "--days", "7", check=2)
    assert "agents.json: agents[0].place_of_work" in res.err, res
    res = cli("shifts", "plan", "--requirements", req, "--templates", tpl, "--agents", ag, "--days", "7", check=2)
    assert "--from is required" in res.err, res
    res = cli("shifts", "plan", "--requirements", os.path.join(tmp, "none.csv"), "--templates", tpl, "--agents",
              ag, "--from", "2026-03-02", "--days", "7", check=1)
    assert "none.csv" in res.err, res
    assert "Usage: leitstand shifts plan" in cli("shifts", "plan", "--help", check=0).out
