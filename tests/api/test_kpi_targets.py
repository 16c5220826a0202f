"""KPI targets per client with traffic lights: GET/PUT /api/v1/kpi-targets/{client}
(validation naming the field, If-Match versions, tenants and roles), the "lights"
object of `GET /api/v1/kpis` and `leitstand kpi`, and `leitstand report` using the
stored targets when no --targets file is given."""
import csv
import json
import os

from harness import assert_error, cli

HERE = os.path.dirname(os.path.abspath(__file__))
EXCERPT = os.path.join(HERE, "..", "unit", "data", "servicenow-audit.csv")
TARGETS = {
    "sla_compliance": {"target": 0.95, "green": 0.95, "amber": 0.90, "better": "higher"},
    "resolution_hours.median": {"green": 24, "amber": 48, "better": "lower"},
    "csat": {"green": 0.9, "amber": 0.8, "better": "higher"},
}


def light(v, t):
    if v is None:
        return None
    if t["better"] == "lower":
        return "green" if v <= t["green"] else "amber" if v <= t["amber"] else "red"
    return "green" if v >= t["green"] else "amber" if v >= t["amber"] else "red"


def path_get(o, key):
    for part in key.split("."):
        o = o.get(part) if isinstance(o, dict) else None
    return o


def test_targets_are_stored_with_versions(w):
    r = w.req("GET", "/api/v1/kpi-targets/ACME", who="viewer_a")
    assert r.status == 200 and r.json["targets"] == {} and r.json["version"] == 0, r
    r = w.req("PUT", "/api/v1/kpi-targets/ACME", TARGETS)
    assert r.status == 200 and r.json["version"] == 1 and r.headers.get("etag") == '"1"', r
    assert r.json["targets"]["resolution_hours.median"] == {"target": 24, "green": 24, "amber": 48,
                                                             "better": "lower"}, r.json
    # a second write needs the version it changes
    assert_error(w.req("PUT", "/api/v1/kpi-targets/ACME", TARGETS), 428, "precondition_required", "If-Match")
    assert_error(w.req("PUT", "/api/v1/kpi-targets/ACME", TARGETS, headers={"If-Match": '"7"'}), 412,
                 "version_mismatch", "version")
    assert_error(w.req("PUT", "/api/v1/kpi-targets/ACME", TARGETS, headers={"If-Match": "x"}), 400,
                 "invalid_parameter", "If-Match")
    r = w.req("PUT", "/api/v1/kpi-targets/ACME", {"csat": TARGETS["csat"]}, headers={"If-Match": '"1"'})
    assert r.status == 200 and r.json["version"] == 2 and list(r.json["targets"]) == ["csat"], r
    assert r.json["updated_by"] == "admin@example.com", r.json
    r = w.req("GET", "/api/v1/kpi-targets/ACME", who="agent_a")
    assert r.status == 200 and r.json["version"] == 2 and r.headers.get("etag") == '"2"', r


def test_invalid_targets_name_the_field(w):
    before = w.req("GET", "/api/v1/kpi-targets/ACME").json
    for body, field in (
        ({"sla": {"green": 1, "amber": 0, "better": "higher"}}, "sla"),
        ({"sla_compliance": {"green": 0.9, "better": "higher"}}, "sla_compliance.amber"),
        ({"sla_compliance": {"green": 0.9, "amber": 0.95, "better": "higher"}}, "sla_compliance.amber"),
        ({"reopen_rate": {"green": 0.02, "amber": 0.05, "better": "down"}}, "reopen_rate.better"),
        ({"reopen_rate": {"green": "x", "amber": 0.05, "better": "lower"}}, "reopen_rate.green"),
        ({"reopen_rate": {"green": 0.02, "amber": 0.05, "better": "lower", "red": 1}}, "reopen_rate.red"),
    ):
        assert_error(w.req("PUT", "/api/v1/kpi-targets/ACME", body), 400, "invalid_field", field)
    assert w.req("GET", "/api/v1/kpi-targets/ACME").json == before  # nothing was written


def test_tenants_and_roles(w):
    # another client's targets do not exist for the caller; agents and viewers do not write
    assert_error(w.req("GET", "/api/v1/kpi-targets/ACME", who="viewer_b"), 404, "not_found", "client")
    assert_error(w.req("PUT", "/api/v1/kpi-targets/ACME", TARGETS, who="manager_b"), 404, "not_found", "client")
    assert w.req("PUT", "/api/v1/kpi-targets/ACME", TARGETS, who="agent_a").status == 403
    assert w.req("PUT", "/api/v1/kpi-targets/BETA", TARGETS, who="viewer_b").status == 403
    r = w.req("PUT", "/api/v1/kpi-targets/BETA", TARGETS, who="manager_b")
    assert r.status == 200 and r.json["updated_by"] == "manager.b@example.com", r
    assert_error(w.req("GET", "/api/v1/kpi-targets/NOPE"), 404, "not_found", "client")


def test_kpis_and_report_show_the_lights(w):
    cli("import", "servicenow", "--db", w.db, "--client", "ACME", EXCERPT, check=0)
    ver = w.req("GET", "/api/v1/kpi-targets/ACME").json["version"]
    if ver:  # an empty set: no lights
        r = w.req("PUT", "/api/v1/kpi-targets/ACME", {}, headers={"If-Match": '"%d"' % ver})
        assert r.status == 200, r
        ver = r.json["version"]
    plain = w.req("GET", "/api/v1/kpis?client=ACME&by=month").json
    assert "lights" not in plain, plain
    r = w.req("PUT", "/api/v1/kpi-targets/ACME", TARGETS, headers={"If-Match": '"%d"' % ver} if ver else {})
    assert r.status == 200, r
    k = w.req("GET", "/api/v1/kpis?client=ACME&by=month", who="viewer_a").json
    for o in [k] + k["groups"]:
        want = {key: light(path_get(o, key), t) for key, t in TARGETS.items() if path_get(o, key) is not None}
        assert o["lights"] == want, (o["lights"], want)
        # only keys were added
        assert {x: y for x, y in o.items() if x not in ("lights", "groups")} == \
            {x: y for x, y in next(p for p in [plain] + plain["groups"] if p.get("period") == o.get("period"))
             .items() if x != "groups"}
    assert "csat" not in k["lights"] and "sla_compliance" in k["lights"], k["lights"]
    c = json.loads(cli("kpi", "--db", w.db, "--client", "ACME", "--by", "month", check=0).out)
    assert c["lights"] == k["lights"], (c["lights"], k["lights"])
    # the report takes the stored targets when no file is given
    out = os.path.join(w.dir, "rep")
    cli("report", "--db", w.db, "--client", "ACME", "--kind", "monthly", "--period", "2016-03", "--format",
        "csv", "-o", out, check=0)
    rows = {r["key"]: r for r in csv.DictReader(open(os.path.join(out, "kpis.csv"), encoding="utf-8",
                                                     newline=""))}
    month = next(g for g in k["groups"] if g["period"] == "2016-03")
    sla = rows["sla_compliance"]
    assert float(sla["target"]) == 0.95 and sla["status"] == month["lights"]["sla_compliance"], (sla, month)
    # a targets file still wins
    tf = os.path.join(w.dir, "t.json")
    with open(tf, "w") as f:
        json.dump({"sla_compliance": {"target": 0.10, "warn": 0.05}}, f)
    cli("report", "--db", w.db, "--client", "ACME", "--kind", "monthly", "--period", "2016-03", "--format",
        "csv", "--targets", tf, "-o", out, check=0)
    rows = {r["key"]: r for r in csv.DictReader(open(os.path.join(out, "kpis.csv"), encoding="utf-8",
                                                     newline=""))}
    assert float(rows["sla_compliance"]["target"]) == 0.10, rows["sla_compliance"]
