-- Leitstand schema 16: retention rules, legal holds, retention runs, the Art. 30
-- processing record, and deleting a prefix of the audit log under an anchor.
--
-- retention_rule_sets: a client's deletion rules (DIN 66398: per data kind one start
-- event and one period), one row per version, never changed: the newest version is
-- the rule set in force, the older ones are its history. rules is the canonical JSON
-- the service writes (service/retention.c).
-- legal_holds: while a hold is active (from_at <= now < until_at or open, not
-- released), a retention run touches nothing it covers: the whole client, or only
-- one ticket, or only one person.
-- retention_runs: one row per run and client: what was done, due and held, as JSON
-- counts (never personal data).
-- processing_records: what a human must enter for the Art. 30 record and the AVV
-- register of a client, as JSON, versioned for If-Match.
-- audit_anchor: the id and hash of the last audit entry a retention run deleted;
-- the chain verifies from there (docs/design/0011-retention.md). The log may lose
-- only its oldest entries, only up to the anchor, and only while retention_gate
-- holds a row, which exists only inside a retention transaction.

CREATE TABLE retention_rule_sets (
  client_id  INTEGER NOT NULL REFERENCES clients(id),
  version    INTEGER NOT NULL CHECK (version >= 1),
  rules      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (client_id, version)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER retention_rule_sets_no_update BEFORE UPDATE ON retention_rule_sets
BEGIN SELECT RAISE(ABORT, 'retention_rule_sets is append-only'); END;
CREATE TRIGGER retention_rule_sets_no_delete BEFORE DELETE ON retention_rule_sets
BEGIN SELECT RAISE(ABORT, 'retention_rule_sets is append-only'); END;

CREATE TABLE legal_holds (
  id          INTEGER PRIMARY KEY,
  client_id   INTEGER NOT NULL REFERENCES clients(id),
  ticket_id   INTEGER REFERENCES tickets(id),
  person_id   INTEGER REFERENCES persons(id),
  reason      TEXT NOT NULL,
  from_at     INTEGER NOT NULL,
  until_at    INTEGER,
  created_at  INTEGER NOT NULL,
  created_by  TEXT NOT NULL,
  released_at INTEGER,
  released_by TEXT,
  CHECK (ticket_id IS NULL OR person_id IS NULL),
  CHECK (until_at IS NULL OR until_at > from_at)
) STRICT;
CREATE INDEX legal_holds_by_client ON legal_holds (client_id, id);

CREATE TABLE retention_runs (
  id         INTEGER PRIMARY KEY,
  client_id  INTEGER REFERENCES clients(id), -- NULL: the installation-wide audit kind
  started_at INTEGER NOT NULL,
  as_of      INTEGER NOT NULL,
  dry_run    INTEGER NOT NULL,
  actor      TEXT NOT NULL,
  result     TEXT NOT NULL
) STRICT;
CREATE INDEX retention_runs_by_client ON retention_runs (client_id, id);

CREATE TABLE processing_records (
  client_id  INTEGER PRIMARY KEY REFERENCES clients(id),
  version    INTEGER NOT NULL,
  record     TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL
) STRICT;

CREATE TABLE retention_gate (
  one INTEGER PRIMARY KEY CHECK (one = 1)
) STRICT;

CREATE TABLE audit_anchor (
  one       INTEGER PRIMARY KEY CHECK (one = 1),
  last_id   INTEGER NOT NULL,
  last_hash TEXT NOT NULL CHECK (length(last_hash) = 64),
  moved_at  INTEGER NOT NULL
) STRICT;
INSERT INTO audit_anchor (one, last_id, last_hash, moved_at)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);
CREATE TRIGGER audit_anchor_forward BEFORE UPDATE ON audit_anchor
WHEN NOT EXISTS (SELECT 1 FROM retention_gate) OR NEW.last_id < OLD.last_id
  OR NEW.last_hash IS NOT (SELECT hash FROM audit_log WHERE id = NEW.last_id)
BEGIN SELECT RAISE(ABORT, 'audit_anchor moves only forward, to an existing entry, in a retention run'); END;
CREATE TRIGGER audit_anchor_no_delete BEFORE DELETE ON audit_anchor
BEGIN SELECT RAISE(ABORT, 'audit_anchor cannot be deleted'); END;

DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM retention_gate)
  OR OLD.id > (SELECT last_id FROM audit_anchor)
  OR OLD.id IS NOT (SELECT min(id) FROM audit_log)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
