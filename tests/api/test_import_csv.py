"""The generic csv importer from the command line: `leitstand import csv --mapping
PRESET|FILE` reads each public data set in ../shared/data/real with its preset and
finds the case and event counts that data set's README gives; a mapping file works
the same way; usage errors (no mapping, unknown preset, a mapping that does not fit
the file, --mapping with another source) exit 2 or 1 and store nothing."""
import json
import os
import sqlite3

from harness import cli

HERE = os.path.dirname(os.path.abspath(__file__))
UNIT_DATA = os.path.join(HERE, "..", "unit", "data")
REAL = os.path.join(HERE, "..", "..", "..", "shared", "data", "real")

# (preset, file under REAL, data rows, tickets): the counts of the data README
# (/work/shared/data/real/README.md). A log's events are its rows, one per activity.
SETS = [
    ("bpi2013-incidents", "bpi2013-volvo-incidents/VINST-new.csv.gz", 65533, 7554),
    ("bpi2014-incidents", "bpi2014-rabobank-itil/Detail_Incident.csv.gz", 46606 + 203, 46606),
    ("bpi2014-activities", "bpi2014-rabobank-itil/Incident_Activity_derived.csv.gz", 466660, 46629),
    ("bpi2014-interactions", "bpi2014-rabobank-itil/Detail_Interaction.csv.gz", 147004, 147004),
    ("helpdesk", "helpdesk-italian-software/helpdesk.csv.gz", 21348, 4580),
]
LOGS = ("bpi2013-incidents", "bpi2014-activities", "helpdesk")


def fresh_db(tmp, *codes):
    db = os.path.join(tmp, "t.db")
    cli("init", "--db", db, check=0)
    for code in codes:
        cli("client", "add", "--db", db, "--code", code, "--name", code, "--timezone", "UTC", check=0)
    return db


def stored(db, code):
    c = sqlite3.connect(db)
    try:
        cid = c.execute("SELECT id FROM clients WHERE code = ?", (code,)).fetchone()[0]
        return tuple(c.execute(q, (cid,)).fetchone()[0] for q in (
            "SELECT count(*) FROM import_tickets WHERE client_id = ?",
            "SELECT count(*) FROM import_events WHERE client_id = ?"))
    finally:
        c.close()


def real(path):
    full = os.path.join(REAL, path)
    if not os.path.exists(full):
        raise AssertionError("the shared data set %s is missing (see /work/shared/data/real/README.md)"
                             % os.path.abspath(full))
    return full


def test_each_real_set_imports_with_its_preset_and_published_counts(tmp):
    codes = ["C%d" % i for i in range(len(SETS))]
    db = fresh_db(tmp, *codes)
    for code, (preset, path, rows, tickets) in zip(codes, SETS):
        out = json.loads(cli("import", "csv", "--mapping", preset, "--client", code, "--db", db, "--format",
                             "json", real(path), check=0).out)
        assert out["source"] == "csv", out
        assert out["skipped_rows"] == 0, (preset, out)
        assert out["rows"] == rows and out["tickets"] == tickets, (preset, "want rows %d, tickets %d" % (
            rows, tickets), out)
        if preset in LOGS:
            assert out["events"] == rows, (preset, out)
        assert stored(db, code) == (out["tickets"], out["events"]), (preset, stored(db, code), out)
        k = json.loads(cli("kpi", "--db", db, "--client", code, "--format", "json", check=0).out)
        assert k["tickets"] == tickets, (preset, k)


def test_a_mapping_file_and_a_zone(tmp):
    db = fresh_db(tmp, "ACME")
    mapping = os.path.join(UNIT_DATA, "mapping-interactions.json")
    data = os.path.join(UNIT_DATA, "interactions-excerpt.csv")
    r = cli("import", "csv", "--db", db, "--client", "ACME", "--mapping", mapping, data, check=1)
    assert "line 4" in r.err and "Open Time (First Touch)" in r.err, r.err
    assert stored(db, "ACME") == (0, 0)
    out = json.loads(cli("import", "csv", "--db", db, "--client", "ACME", "--mapping", mapping, "--tz",
                         "Europe/Amsterdam", "--max-errors", "2", "--format", "json", data, check=0).out)
    assert out["tickets"] == 2 and out["skipped_rows"] == 2, out
    assert [b["line"] for b in out["skipped"]] == [4, 5], out


def test_csv_usage_errors(tmp):
    db = fresh_db(tmp, "ACME")
    data = os.path.join(UNIT_DATA, "helpdesk-excerpt.csv")
    cli("import", "csv", "--db", db, "--client", "ACME", data, check=2)
    cli("import", "servicenow", "--db", db, "--client", "ACME", "--mapping", "helpdesk", data, check=2)
    r = cli("import", "csv", "--db", db, "--client", "ACME", "--mapping", "bpi2016", data, check=1)
    assert "neither a preset nor a readable file" in r.err, r.err
    r = cli("import", "csv", "--db", db, "--client", "ACME", "--mapping", "bpi2013-incidents", data, check=1)
    assert "no column 'SR Number'" in r.err, r.err
    assert stored(db, "ACME") == (0, 0)
    help_text = cli("import", "--help", check=0).out
    for preset, _, _, _ in SETS:
        assert preset in help_text, preset
    out = json.loads(cli("import", "csv", "--db", db, "--client", "ACME", "--mapping", "helpdesk", "--format",
                         "json", data, check=0).out)
    assert out["tickets"] == 2 and out["events"] == 7, out
