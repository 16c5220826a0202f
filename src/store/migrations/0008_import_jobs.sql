-- Leitstand schema 8: imports uploaded over HTTP run as jobs. The uploaded file waits
-- in the upload directory beside the database; the job row says where it is, with
-- which options it runs, how far it got and what came out. A job found 'running' at
-- start was interrupted by a crash: the import is one transaction, so nothing of it
-- was stored, and it is queued again.
CREATE TABLE import_jobs (
  id          INTEGER PRIMARY KEY,
  client_id   INTEGER NOT NULL REFERENCES clients(id),
  source      TEXT NOT NULL,
  options     TEXT NOT NULL,           -- JSON: tz, mapping, interval, max_errors, events
  file        TEXT NOT NULL,           -- the uploaded file on disk
  bytes       INTEGER NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('queued','running','done','failed')),
  result      TEXT,                    -- JSON summary when done
  error       TEXT,                    -- JSON error when failed
  import_id   INTEGER REFERENCES imports(id),
  created_by  INTEGER REFERENCES users(id),
  created_at  INTEGER NOT NULL,
  started_at  INTEGER,
  finished_at INTEGER
) STRICT;
CREATE INDEX import_jobs_queue ON import_jobs (state, id);
CREATE INDEX import_jobs_by_client ON import_jobs (client_id, id);

-- A fired escalation names its target by start as well, so that an acknowledgement
-- arriving after the target was superseded cannot count for its successor.
ALTER TABLE sla_escalations ADD COLUMN target_started_at INTEGER;
