-- Leitstand schema 10: the tamper-evident audit log and the remaining roles.
--
-- audit_log: one row per audited act (docs/privacy.md). Each row carries the hash of
-- the row before it (prev_hash) and its own hash = SHA-256(prev_hash || canonical
-- serialisation of the row), both as 64 lowercase hex digits; the first row's
-- prev_hash is 64 zeros. Rows are only ever inserted, in id order, by one writer at a
-- time (the write transaction); the triggers refuse UPDATE and DELETE so that the
-- application cannot change history by mistake. Somebody editing the file directly
-- can drop the triggers: `leitstand audit verify` is what detects that.
-- detail is the JSON text exactly as it was hashed.
-- audit_head: the latest entry's id and hash, kept by a trigger in the same
-- transaction as the insert, so that deleting the newest rows is detected too.

CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  actor_id    INTEGER,                 -- NULL: the system (CLI, jobs) or nobody (a failed login)
  actor_email TEXT NOT NULL,
  kind        TEXT NOT NULL,
  client_id   INTEGER,                 -- NULL: not about one client (logins, user administration)
  subject     TEXT NOT NULL DEFAULT '',
  detail      TEXT NOT NULL,
  prev_hash   TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash        TEXT NOT NULL CHECK (length(hash) = 64)
) STRICT;
CREATE INDEX audit_by_client ON audit_log (client_id, id);
CREATE INDEX audit_by_actor ON audit_log (actor_email, id);

CREATE TABLE audit_head (
  one       INTEGER PRIMARY KEY CHECK (one = 1),
  last_id   INTEGER NOT NULL,
  last_hash TEXT NOT NULL
) STRICT;
INSERT INTO audit_head (one, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
WHEN NEW.id IS NOT (SELECT last_id + 1 FROM audit_head) OR NEW.prev_hash IS NOT (SELECT last_hash FROM audit_head)
BEGIN SELECT RAISE(ABORT, 'audit_log: entry does not continue the chain'); END;
CREATE TRIGGER audit_log_advance AFTER INSERT ON audit_log
BEGIN UPDATE audit_head SET last_id = NEW.id, last_hash = NEW.hash WHERE one = 1; END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
WHEN NEW.last_id IS NOT (SELECT max(id) FROM audit_log)
BEGIN SELECT RAISE(ABORT, 'audit_head follows the newest audit_log entry only'); END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'audit_head cannot be deleted'); END;

-- Roles dpo, auditor and vendor_agent: SQLite cannot change a CHECK in place, so the
-- users table is rebuilt (store_migrate runs migrations with foreign keys off and
-- checks them before committing).
CREATE TABLE users_new (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin','manager','agent','client_viewer','dpo','auditor',
                                              'vendor_agent')),
  password_hash TEXT,
  active        INTEGER NOT NULL DEFAULT 1,
  created_at    INTEGER NOT NULL
) STRICT;
INSERT INTO users_new (id, email, name, role, password_hash, active, created_at)
SELECT id, email, name, role, password_hash, active, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
