-- Leitstand schema 4: SLA policies per client, versioned.
-- A policy's definition is the JSON document the SLA engine parses (docs/sla.md,
-- "Policies"). It is never changed in place: every change writes a new row in
-- sla_policy_versions, so a ticket's SLA can be recomputed with exactly the version
-- that applied. sort_order mirrors the current version's "order": between policies
-- that both apply to a ticket, the lower order wins.

CREATE TABLE sla_policies (
  id         INTEGER PRIMARY KEY,
  client_id  INTEGER NOT NULL REFERENCES clients(id),
  code       TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
  name       TEXT NOT NULL,
  sort_order INTEGER NOT NULL DEFAULT 0,
  version    INTEGER NOT NULL DEFAULT 1,   -- the current version
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (client_id, code)
) STRICT;
CREATE INDEX sla_policies_by_order ON sla_policies (client_id, sort_order);

CREATE TABLE sla_policy_versions (
  client_id  INTEGER NOT NULL REFERENCES clients(id),
  policy_id  INTEGER NOT NULL REFERENCES sla_policies(id),
  version    INTEGER NOT NULL,
  name       TEXT NOT NULL,
  sort_order INTEGER NOT NULL,
  definition TEXT NOT NULL,                -- the policy JSON as policy_parse() reads it
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id),
  PRIMARY KEY (client_id, policy_id, version)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER sla_policy_versions_append_only_update BEFORE UPDATE ON sla_policy_versions
BEGIN SELECT RAISE(ABORT, 'sla_policy_versions is append-only'); END;
CREATE TRIGGER sla_policy_versions_append_only_delete BEFORE DELETE ON sla_policy_versions
BEGIN SELECT RAISE(ABORT, 'sla_policy_versions is append-only'); END;
