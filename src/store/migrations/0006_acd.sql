-- Leitstand schema 6: call-centre (ACD) interval statistics imported per client.
-- One row per client, queue and interval start (UTC seconds), so re-importing an
-- export changes nothing and a newer export of the same intervals replaces their
-- values. Counts are calls in the interval; *_seconds are totals over the interval.
-- Unknown values are NULL.

CREATE TABLE acd_intervals (
  client_id        INTEGER NOT NULL REFERENCES clients(id),
  queue            TEXT NOT NULL,
  start            INTEGER NOT NULL,
  length           INTEGER NOT NULL CHECK (length > 0),
  offered          INTEGER NOT NULL CHECK (offered >= 0),
  answered         INTEGER NOT NULL CHECK (answered >= 0),
  abandoned        INTEGER NOT NULL CHECK (abandoned >= 0),
  answered_within  INTEGER,            -- answered within the service-level threshold
  abandoned_within INTEGER,            -- abandoned within the threshold
  abandoned_short  INTEGER,            -- short abandons
  threshold        INTEGER,            -- service-level threshold, seconds
  talk_seconds     REAL,
  hold_seconds     REAL,
  wrap_up_seconds  REAL,
  handle_seconds   REAL,               -- only when the export gives no components
  wait_seconds     REAL,               -- queue wait of the answered calls
  import_id        INTEGER NOT NULL REFERENCES imports(id),
  PRIMARY KEY (client_id, queue, start)
) STRICT, WITHOUT ROWID;

-- what an import run stored besides tickets
ALTER TABLE imports ADD COLUMN intervals INTEGER NOT NULL DEFAULT 0;
