-- Leitstand schema 1: tenants, people, tickets and their history.
-- Times are UTC seconds since the epoch (INTEGER). Every tenant-owned table
-- carries client_id and every index on it starts with client_id, so that a
-- distributed Postgres-compatible engine can shard the data by client company.

CREATE TABLE clients (
  id              INTEGER PRIMARY KEY,
  code            TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32),
  name            TEXT NOT NULL,
  timezone        TEXT NOT NULL DEFAULT 'Europe/Berlin',
  priority_matrix TEXT NOT NULL DEFAULT '123234345' CHECK (length(priority_matrix) = 9),
  created_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin','manager','agent','client_viewer')),
  password_hash TEXT,
  active        INTEGER NOT NULL DEFAULT 1,
  created_at    INTEGER NOT NULL
) STRICT;

-- The clients a user may see. Admins see every client without rows here.
CREATE TABLE user_clients (
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, client_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash   BLOB NOT NULL UNIQUE,   -- BLAKE2b-256 of the token; the token is never stored
  name         TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER                 -- NULL: no expiry
) STRICT;

-- Teams belong to the service operation and may work for several clients.
CREATE TABLE teams (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32),
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE team_members (
  team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (team_id, user_id)
) STRICT, WITHOUT ROWID;

-- One counter per ticket type: numbers are unique across clients so that
-- INC0001234 names exactly one ticket.
CREATE TABLE ticket_sequences (
  type     TEXT PRIMARY KEY,
  next_seq INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO ticket_sequences VALUES ('incident',1),('problem',1),('service_request',1),('complaint',1);

CREATE TABLE tickets (
  id                INTEGER PRIMARY KEY,
  client_id         INTEGER NOT NULL REFERENCES clients(id),
  number            TEXT NOT NULL UNIQUE,
  type              TEXT NOT NULL CHECK (type IN ('incident','problem','service_request','complaint')),
  title             TEXT NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  impact            INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 3),
  urgency           INTEGER NOT NULL CHECK (urgency BETWEEN 1 AND 3),
  priority          INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
  state             TEXT NOT NULL CHECK (state IN ('new','assigned','in_progress','pending_customer',
                                                   'pending_vendor','resolved','closed')),
  category          TEXT,
  channel           TEXT NOT NULL CHECK (channel IN ('email','phone','web','chat','api')),
  requester_name    TEXT,
  requester_email   TEXT,
  requester_phone   TEXT,
  team_id           INTEGER REFERENCES teams(id),
  assignee_id       INTEGER REFERENCES users(id),
  version           INTEGER NOT NULL DEFAULT 1,
  reopen_count      INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  first_response_at INTEGER,  -- first public reply by an agent
  resolved_at       INTEGER,  -- latest resolution (cleared by a reopen)
  closed_at         INTEGER
) STRICT;
CREATE INDEX tickets_by_client ON tickets (client_id, id);
CREATE INDEX tickets_by_client_updated ON tickets (client_id, updated_at, id);
CREATE INDEX tickets_by_client_state ON tickets (client_id, state, id);
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, id) WHERE assignee_id IS NOT NULL;
CREATE INDEX tickets_by_team ON tickets (team_id, id) WHERE team_id IS NOT NULL;

CREATE TABLE ticket_tags (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  tag       TEXT NOT NULL,
  PRIMARY KEY (ticket_id, tag)
) STRICT, WITHOUT ROWID;

CREATE TABLE ticket_links (
  client_id INTEGER NOT NULL REFERENCES clients(id),
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  kind      TEXT NOT NULL CHECK (kind IN ('child_of','caused_by','duplicate_of')),
  target_id INTEGER NOT NULL REFERENCES tickets(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (client_id, ticket_id, kind, target_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX ticket_links_by_target ON ticket_links (client_id, target_id);

CREATE TABLE ticket_messages (
  id             INTEGER PRIMARY KEY,
  client_id      INTEGER NOT NULL REFERENCES clients(id),
  ticket_id      INTEGER NOT NULL REFERENCES tickets(id),
  kind           TEXT NOT NULL CHECK (kind IN ('reply','note')),
  author_kind    TEXT NOT NULL CHECK (author_kind IN ('agent','customer','system')),
  author_user_id INTEGER REFERENCES users(id),
  author_name    TEXT,
  body           TEXT NOT NULL,
  created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX ticket_messages_by_ticket ON ticket_messages (client_id, ticket_id, id);

CREATE TABLE ticket_efforts (
  id         INTEGER PRIMARY KEY,
  client_id  INTEGER NOT NULL REFERENCES clients(id),
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
  user_id    INTEGER REFERENCES users(id),
  minutes    INTEGER NOT NULL CHECK (minutes > 0),
  note       TEXT NOT NULL DEFAULT '',
  worked_at  INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX ticket_efforts_by_ticket ON ticket_efforts (client_id, ticket_id, id);

-- The append-only history: one row per change. KPIs, SLA clocks, audits and
-- imports all read these events.
CREATE TABLE ticket_events (
  id         INTEGER PRIMARY KEY,
  client_id  INTEGER NOT NULL REFERENCES clients(id),
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
  at         INTEGER NOT NULL,
  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('agent','customer','system')),
  actor_id   INTEGER REFERENCES users(id),
  field      TEXT NOT NULL,
  old_value  TEXT,
  new_value  TEXT
) STRICT;
CREATE INDEX ticket_events_by_ticket ON ticket_events (client_id, ticket_id, id);
CREATE INDEX ticket_events_by_client_at ON ticket_events (client_id, at);
CREATE TRIGGER ticket_events_append_only_update BEFORE UPDATE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;
CREATE TRIGGER ticket_events_append_only_delete BEFORE DELETE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;

-- Full-text index over title, description and public replies; rowid = tickets.id.
CREATE VIRTUAL TABLE ticket_fts USING fts5 (title, description, replies, tokenize = 'unicode61 remove_diacritics 2');
