"""Staffing over HTTP: POST /api/v1/staffing answers what `leitstand staff`
prints for the same inputs, names the field of every bad input, and staffs
consecutive intervals of one queue."""
import json

from harness import assert_error, cli

URL = "/api/v1/staffing"
EXAMPLE = {"calls": 100, "interval": 1800, "aht": 180, "target": 0.8, "answer_time": 20}


def test_the_published_example_matches_the_cli_to_the_last_digit(w):
    r = w.req("POST", URL, dict(EXAMPLE, shrinkage=0.3, max_occupancy=0.85), who="agent_a")
    assert r.status == 200, r
    assert r.json["agents"] == 14 and r.json["scheduled"] == 20 and r.json["load"] == 10.0, r.json
    out = cli("staff", "--calls", "100", "--interval", "1800", "--aht", "180", "--target", "0.8",
              "--answer-time", "20", "--shrinkage", "0.3", "--max-occupancy", "0.85", "--format", "json", check=0)
    assert json.loads(out.out) == r.json, (out.out, r.json)
    assert list(r.json) == ["load", "agents", "scheduled", "service_level", "prob_wait", "asa", "occupancy"]


def test_patience_selects_erlang_a_with_prob_abandon(w):
    r = w.req("POST", URL, dict(EXAMPLE, patience=120))
    assert r.status == 200 and "prob_abandon" in r.json and 0 < r.json["prob_abandon"] < 1, r


def test_bad_inputs_name_the_field(w):
    assert_error(w.req("POST", URL, dict(EXAMPLE, target=1.5)), 400, "invalid_field", "target")
    assert_error(w.req("POST", URL, dict(EXAMPLE, aht=-3)), 400, "invalid_field", "aht")
    body = dict(EXAMPLE)
    del body["aht"]
    assert_error(w.req("POST", URL, body), 400, "missing_field", "aht")
    assert_error(w.req("POST", URL, dict(EXAMPLE, aht="180")), 400, "invalid_field", "aht")
    assert_error(w.req("POST", URL, dict(EXAMPLE, queue="x")), 400, "unknown_field", "queue")
    assert_error(w.req("POST", URL, dict(EXAMPLE, channel="fax")), 400, "invalid_field", "channel")
    assert_error(w.req("POST", URL, dict(EXAMPLE, contacts=100)), 400, "invalid_field", "contacts")
    assert_error(w.req("POST", URL, EXAMPLE, who=None), 401, "unauthorized")


def test_consecutive_intervals_take_the_top_level_values_as_defaults(w):
    body = dict(EXAMPLE)
    del body["calls"]
    body["intervals"] = [{"calls": 100}, {"calls": 300}, {"calls": 0}]
    r = w.req("POST", URL, body)
    assert r.status == 200, r
    rows = r.json["intervals"]
    assert [x["agents"] for x in rows][0] == 14 and rows[1]["agents"] > 14 and rows[2]["agents"] == 0, rows
    body["intervals"] = [{"calls": 100}, {"calls": 100, "target": 2}]
    r = w.req("POST", URL, body)
    assert_error(r, 400, "invalid_field")
    assert r.json["error"]["message"].startswith("interval 2:"), r.json
    body["intervals"] = [{"calls": 100, "nope": 1}]
    assert_error(w.req("POST", URL, body), 400, "unknown_field", "intervals[0].nope")


def test_deferred_work_within_a_response_window(w):
    # 60 mails of 5 min each within an hour, answered within 30 min: what arrives in
    # the first half hour is due by the end, 15,000 s of the 18,000 s of work
    r = w.req("POST", URL, {"channel": "deferred", "contacts": 60, "interval": 3600, "aht": 300,
                            "response_time": 1800})
    assert r.status == 200, r
    assert r.json["workload"] == 18000.0 and "service_level" not in r.json, r.json
    assert r.json["agents"] * 3600 >= r.json["due"] > 0, r.json
    # with a window longer than the interval nothing falls due: all work is backlog
    r = w.req("POST", URL, {"channel": "deferred", "contacts": 60, "interval": 3600, "aht": 300,
                            "response_time": 7200})
    assert r.status == 200 and r.json["agents"] == 0 and r.json["backlog"] == 18000.0, r.json
