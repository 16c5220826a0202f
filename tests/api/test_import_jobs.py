"""Imports uploaded over HTTP run as jobs: POST /api/v1/imports takes the file as the
body and answers 202 at once; the job runs in the background, GET shows its state and
then the same summary the CLI prints; the KPIs see the imported tickets; bad options
fail the upload naming the parameter; roles and tenants hold; a job queued when the
server is killed runs after the restart; the real UCI log imports with its counts."""
import gzip
import os
import time

from harness import assert_error

HERE = os.path.dirname(os.path.abspath(__file__))
EXCERPT = os.path.join(HERE, "..", "unit", "data", "servicenow-audit.csv")
UCI = os.path.join(HERE, "..", "..", "..", "shared", "data", "real", "uci-incident-event-log",
                   "incident_event_log.csv.gz")
IMPORTS = "/api/v1/imports"


def upload(w, data, query, who="admin", gz=False):
    return w.req("POST", IMPORTS + "?" + query, raw=gzip.compress(data) if gz else data, who=who,
                 headers={"Content-Type": "text/csv"})


def wait_done(w, job_id, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        r = w.req("GET", IMPORTS + "/%d" % job_id)
        assert r.status == 200, r
        if r.json["state"] in ("done", "failed"):
            return r.json
        time.sleep(0.1)
    raise AssertionError("import %d did not finish in %ds" % (job_id, seconds))


def test_an_uploaded_export_is_imported_as_a_job(w):
    data = open(EXCERPT, "rb").read()
    r = upload(w, data, "client=ACME&source=servicenow", gz=True)
    assert r.status == 202, r
    job = r.json
    assert job["state"] == "queued" and job["source"] == "servicenow" and job["client"] == "ACME", job
    assert job["created_by"] == w.email["admin"] and job["bytes"] > 0, job
    done = wait_done(w, job["id"])
    assert done["state"] == "done" and done["error"] is None, done
    res = done["result"]
    assert res["rows"] == 10 and res["tickets"] == res["new_tickets"] > 0 and res["skipped_rows"] == 0, res
    assert done["rows_read"] == 10 and done["finished_at"] is not None, done
    # the same file again changes nothing
    again = wait_done(w, upload(w, data, "client=ACME&source=servicenow").json["id"])
    assert again["result"]["new_tickets"] == 0 and again["result"]["tickets"] == res["tickets"], again
    kpis = w.req("GET", "/api/v1/kpis?client=ACME").json
    assert kpis["tickets"] >= res["tickets"], kpis
    listed = w.req("GET", IMPORTS + "?client=ACME").json["items"]
    assert [j["id"] for j in listed][:2] == [again["id"], done["id"]], listed
    # the uploads directory is empty again
    updir = w.db + "-uploads"
    assert os.path.isdir(updir), updir
    deadline = time.monotonic() + 5
    while os.listdir(updir) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert os.listdir(updir) == [], os.listdir(updir)


def test_bad_uploads_fail_naming_the_parameter_and_store_nothing(w):
    data = open(EXCERPT, "rb").read()
    for q, field in (("source=servicenow", "client"), ("client=ACME", "source"),
                     ("client=ACME&source=excel", "source"), ("client=NOPE&source=servicenow", "client"),
                     ("client=ACME&source=servicenow&tz=Mars/Base", "tz"),
                     ("client=ACME&source=csv", "mapping"), ("client=ACME&source=csv&mapping=/etc/passwd", "mapping"),
                     ("client=ACME&source=servicenow&max_errors=-1", "max_errors"),
                     ("client=ACME&source=acd&interval=7s", "interval"),
                     ("client=ACME&source=servicenow&bogus=1", "bogus")):
        assert_error(upload(w, data, q), 400, "invalid_parameter", field)
    assert_error(upload(w, b"", "client=ACME&source=servicenow"), 400, "invalid_parameter")
    assert_error(upload(w, data, "client=ACME&source=servicenow", who="agent_a"), 403, "forbidden")
    assert_error(upload(w, data, "client=ACME&source=servicenow", who="manager_b"), 400, "invalid_parameter",
                 "client")
    # a refused upload's file goes when its request is finished, which may be just after the answer
    deadline = time.monotonic() + 5
    while os.listdir(w.db + "-uploads") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert os.listdir(w.db + "-uploads") == []


def test_a_failing_import_reports_its_error_and_tenants_are_kept_apart(w):
    r = upload(w, b"foo,bar\n1,2\n", "client=ACME&source=servicenow")
    assert r.status == 202, r
    done = wait_done(w, r.json["id"])
    assert done["state"] == "failed" and done["result"] is None, done
    assert done["error"]["code"] and done["error"]["message"], done
    assert_error(w.req("GET", IMPORTS + "/%d" % r.json["id"], who="manager_b"), 404, "not_found")
    assert_error(w.req("GET", IMPORTS + "/%d" % r.json["id"], who="agent_a"), 403, "forbidden")
    assert_error(w.req("GET", IMPORTS + "/999999"), 404, "not_found")


def test_a_queued_job_survives_a_kill_9(w):
    if not os.path.exists(UCI):
        raise AssertionError("missing %s" % UCI)
    data = open(UCI, "rb").read()
    r = upload(w, data, "client=BETA&source=servicenow")
    assert r.status == 202, r
    w.server.kill9()  # before or while it runs: one transaction, so nothing half-done
    w.start()
    done = wait_done(w, r.json["id"], seconds=300)
    assert done["state"] == "done", done
    # the published counts of the UCI log (its README): 141,712 rows, 24,918 incidents
    assert done["result"]["rows"] == 141712 and done["result"]["tickets"] == 24918, done["result"]
