-- Leitstand schema 5: what `leitstand serve` fires and delivers in the background.
--
-- outbox: every fired SLA event (warning, breach, escalation) and every ticket event a
-- webhook subscribes to, written in the same transaction as the change that caused it.
-- fire_key is UNIQUE: the timer derives the same key for the same deadline however
-- often it is evaluated (after a restart too), so a deadline fires exactly once.
-- webhook_deliveries: one row per (outbox event, subscription), created with the
-- outbox row; the delivery thread works through the pending ones with backoff.
-- sla_escalations: fired escalation levels, with their acknowledgement.
-- jobs_state: small settings of the background jobs (e.g. since when SLA deadlines
-- are fired, so a first start does not fire years of imported history).

CREATE TABLE outbox (
  id         INTEGER PRIMARY KEY,
  client_id  INTEGER NOT NULL REFERENCES clients(id),
  ticket_id  INTEGER REFERENCES tickets(id),
  event      TEXT NOT NULL,          -- sla.warning, sla.breach, sla.escalation, ticket.*
  fire_key   TEXT UNIQUE,            -- SLA events: ticket/target/kind/index; NULL for ticket events
  due_at     INTEGER,                -- SLA events: the instant it fell due
  payload    TEXT NOT NULL,          -- the event JSON (docs/webhooks.md)
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_by_client ON outbox (client_id, id);
CREATE INDEX outbox_by_ticket ON outbox (ticket_id, id);
CREATE TRIGGER outbox_append_only_update BEFORE UPDATE ON outbox
BEGIN SELECT RAISE(ABORT, 'outbox is append-only'); END;

CREATE TABLE webhooks (
  id         INTEGER PRIMARY KEY,
  client_id  INTEGER NOT NULL REFERENCES clients(id),
  url        TEXT NOT NULL,
  secret     TEXT NOT NULL,
  events     TEXT NOT NULL,          -- space-separated names; 'sla.*', 'ticket.*' or '*' match groups
  format     TEXT NOT NULL CHECK (format IN ('json','slack','teams')),
  lang       TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en','de')),
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  version    INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
) STRICT;
CREATE INDEX webhooks_by_client ON webhooks (client_id) WHERE deleted_at IS NULL;

CREATE TABLE webhook_deliveries (
  id               INTEGER PRIMARY KEY,
  client_id        INTEGER NOT NULL REFERENCES clients(id),
  outbox_id        INTEGER NOT NULL REFERENCES outbox(id),
  webhook_id       INTEGER NOT NULL REFERENCES webhooks(id),
  state            TEXT NOT NULL CHECK (state IN ('pending','delivered','failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER,
  first_attempt_at INTEGER,
  last_attempt_at  INTEGER,
  last_status      INTEGER,
  last_error       TEXT,
  last_response    TEXT,
  delivered_at     INTEGER,
  created_at       INTEGER NOT NULL,
  UNIQUE (outbox_id, webhook_id)
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id);

CREATE TABLE sla_escalations (
  id          INTEGER PRIMARY KEY,
  client_id   INTEGER NOT NULL REFERENCES clients(id),
  ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
  outbox_id   INTEGER REFERENCES outbox(id), -- set once the event is in the outbox
  target      TEXT NOT NULL,         -- first_response, next_update, resolution
  target_seq  INTEGER NOT NULL,      -- the target's place among the ticket's targets
  priority    INTEGER NOT NULL,
  level       INTEGER NOT NULL,
  action      TEXT NOT NULL,
  owner       TEXT NOT NULL,
  climbed     INTEGER NOT NULL DEFAULT 0,
  due_at      INTEGER NOT NULL,
  fired_at    INTEGER NOT NULL,
  ack_within  INTEGER,               -- seconds; NULL: no acknowledgement asked for
  acked_at    INTEGER,
  acked_by    INTEGER REFERENCES users(id),
  ack_note    TEXT,
  UNIQUE (ticket_id, target_seq, level)
) STRICT;
CREATE INDEX sla_escalations_by_client ON sla_escalations (client_id, id);

CREATE TABLE jobs_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
