-- Leitstand schema 3: the client's ticket history imported from its old tools.
-- Imported tickets are a baseline, kept apart from the tickets worked in Leitstand:
-- their teams and agents are the source's names, not our users. One row per ticket
-- and source, keyed by the source's id, so a re-import updates instead of doubling.
-- Unknown values are NULL.

CREATE TABLE imports (
  id          INTEGER PRIMARY KEY,
  client_id   INTEGER NOT NULL REFERENCES clients(id),
  source      TEXT NOT NULL,              -- importer: servicenow, csv, ...
  file        TEXT NOT NULL,              -- as given on the command line
  rows        INTEGER NOT NULL DEFAULT 0,
  tickets     INTEGER NOT NULL DEFAULT 0,
  events      INTEGER NOT NULL DEFAULT 0,
  bad_rows    INTEGER NOT NULL DEFAULT 0,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER
) STRICT;
CREATE INDEX imports_by_client ON imports (client_id, id);

CREATE TABLE import_tickets (
  client_id             INTEGER NOT NULL REFERENCES clients(id),
  source                TEXT NOT NULL,
  source_id             TEXT NOT NULL,
  number                TEXT,
  type                  TEXT NOT NULL,
  title                 TEXT,
  state                 TEXT,
  state_canon           TEXT,
  priority              INTEGER,
  impact                INTEGER,
  urgency               INTEGER,
  category              TEXT,
  channel               TEXT,
  team                  TEXT,
  agent                 TEXT,
  opened_at             INTEGER,
  first_response_at     INTEGER,
  first_resolved_at     INTEGER,
  resolved_at           INTEGER,
  closed_at             INTEGER,
  reopened_at           INTEGER,
  resolution_due_at     INTEGER,
  reopen_count          INTEGER,
  reassignment_count    INTEGER,
  group_escalations     INTEGER,
  agent_replies         INTEGER,
  customer_interactions INTEGER,
  wait_count            INTEGER,
  made_sla              INTEGER,
  fcr_flag              INTEGER,
  effort_minutes        REAL,
  csat                  REAL,
  nps                   REAL,
  import_id             INTEGER NOT NULL REFERENCES imports(id),
  PRIMARY KEY (client_id, source, source_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX import_tickets_by_opened ON import_tickets (client_id, opened_at);

CREATE TABLE import_events (
  id         INTEGER PRIMARY KEY,
  client_id  INTEGER NOT NULL REFERENCES clients(id),
  source     TEXT NOT NULL,
  source_id  TEXT NOT NULL,     -- the ticket's
  at         INTEGER NOT NULL,
  field      TEXT NOT NULL,
  old_value  TEXT,
  new_value  TEXT,
  actor      TEXT,
  import_id  INTEGER NOT NULL REFERENCES imports(id)
) STRICT;
CREATE INDEX import_events_by_ticket ON import_events (client_id, source, source_id, at);
