-- Leitstand schema 11: waiting spans of imported tickets (resolution time net of
-- pauses) and the KPI targets of a client (traffic lights).

-- "start-end,start-end" in Unix seconds, the end empty while the ticket still
-- waits; '' no pause; NULL: the source has no state history (imported before this
-- schema, or an export without one). docs/kpi.md gives the rule.
ALTER TABLE import_tickets ADD COLUMN pauses TEXT;

-- One target set per client: the JSON object PUT /api/v1/kpi-targets/{client}
-- accepts, checked before it is stored. version counts writes (If-Match).
CREATE TABLE kpi_targets (
  client_id  INTEGER PRIMARY KEY REFERENCES clients(id),
  targets    TEXT NOT NULL,
  version    INTEGER NOT NULL CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
) STRICT;
