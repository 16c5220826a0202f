-- Leitstand schema 2: business calendars per client, versioned.
-- A calendar's definition is never changed in place: every change writes a new
-- row in calendar_versions, so an SLA computed with version N can always be
-- recomputed and explained with exactly that version.

CREATE TABLE calendars (
  id         INTEGER PRIMARY KEY,
  client_id  INTEGER NOT NULL REFERENCES clients(id),
  code       TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
  name       TEXT NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1,   -- the current version
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (client_id, code)
) STRICT;

CREATE TABLE calendar_versions (
  client_id        INTEGER NOT NULL REFERENCES clients(id),
  calendar_id      INTEGER NOT NULL REFERENCES calendars(id),
  version          INTEGER NOT NULL,
  name             TEXT NOT NULL,
  timezone         TEXT NOT NULL,
  hours            TEXT NOT NULL,
  holidays         TEXT NOT NULL,             -- region code or 'none'
  closed_days      TEXT NOT NULL DEFAULT '[]', -- JSON array of "YYYY-MM-DD" or ranges
  open_days        TEXT NOT NULL DEFAULT '[]', -- JSON array of "YYYY-MM-DD[ HH:MM-HH:MM…]"
  holidays_version TEXT NOT NULL,             -- the holiday rule table this version was checked with
  created_at       INTEGER NOT NULL,
  created_by       INTEGER REFERENCES users(id),
  PRIMARY KEY (client_id, calendar_id, version)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER calendar_versions_append_only_update BEFORE UPDATE ON calendar_versions
BEGIN SELECT RAISE(ABORT, 'calendar_versions is append-only'); END;
CREATE TRIGGER calendar_versions_append_only_delete BEFORE DELETE ON calendar_versions
BEGIN SELECT RAISE(ABORT, 'calendar_versions is append-only'); END;
