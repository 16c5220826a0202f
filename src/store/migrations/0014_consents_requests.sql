-- Leitstand schema 14: consent records (Art. 7 GDPR) and the register of
-- data-subject requests (Art. 12(3) GDPR). Depends on schema 13 (persons,
-- privacy_gate). docs/privacy.md describes both.
--
-- consents: one row per consent a person gave for one purpose of one client. The
-- row is written once when the consent is given and changed once more when it is
-- withdrawn (withdrawn_* set); nothing else about it ever changes. Giving the
-- consent again after a withdrawal is a new row. At most one consent per person
-- and purpose is in force (withdrawn_at NULL) at any time.
-- consent_events: the append-only history (given, withdrawn) with the actor who
-- recorded it and when; the triggers refuse UPDATE and DELETE.
-- dsr_requests: one row per data-subject request, its current state. due_at is the
-- end of the due day in the client's time zone (one calendar month after receipt,
-- docs/privacy.md), extended_until the end of the day three months after receipt.
-- A closed request (done, rejected) is final. dsr_events: its append-only history.
-- Only an open privacy_gate (a client's end-of-contract purge) may delete rows.

CREATE TABLE consents (
  id                INTEGER PRIMARY KEY,
  client_id         INTEGER NOT NULL REFERENCES clients(id),
  person_id         INTEGER NOT NULL REFERENCES persons(id),
  purpose           TEXT NOT NULL CHECK (length(purpose) BETWEEN 1 AND 40),
  channel           TEXT NOT NULL CHECK (channel IN ('web', 'email', 'phone', 'letter', 'in_person', 'api')),
  text_version      TEXT NOT NULL CHECK (length(text_version) BETWEEN 1 AND 64),
  wording           TEXT,
  evidence          TEXT,
  given_at          INTEGER NOT NULL,
  recorded_at       INTEGER NOT NULL,
  recorded_by       INTEGER REFERENCES users(id),
  withdrawn_at      INTEGER,
  withdrawn_channel TEXT CHECK (withdrawn_channel IN ('web', 'email', 'phone', 'letter', 'in_person', 'api')),
  withdrawn_recorded_at INTEGER,
  withdrawn_by      INTEGER REFERENCES users(id),
  version           INTEGER NOT NULL DEFAULT 1,
  CHECK ((withdrawn_at IS NULL) = (withdrawn_channel IS NULL)),
  CHECK ((withdrawn_at IS NULL) = (withdrawn_recorded_at IS NULL)),
  CHECK (withdrawn_at IS NULL OR withdrawn_at >= given_at)
) STRICT;
CREATE INDEX consents_by_person ON consents (person_id, id);
CREATE INDEX consents_by_purpose ON consents (client_id, purpose, id);
CREATE UNIQUE INDEX consents_one_in_force ON consents (person_id, purpose) WHERE withdrawn_at IS NULL;

CREATE TRIGGER consents_withdraw_only BEFORE UPDATE ON consents
WHEN OLD.withdrawn_at IS NOT NULL OR NEW.withdrawn_at IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.client_id IS NOT OLD.client_id OR NEW.person_id IS NOT OLD.person_id
  OR NEW.purpose IS NOT OLD.purpose OR NEW.channel IS NOT OLD.channel OR NEW.text_version IS NOT OLD.text_version
  OR NEW.wording IS NOT OLD.wording OR NEW.evidence IS NOT OLD.evidence OR NEW.given_at IS NOT OLD.given_at
  OR NEW.recorded_at IS NOT OLD.recorded_at OR NEW.recorded_by IS NOT OLD.recorded_by
BEGIN SELECT RAISE(ABORT, 'a consent changes only once, by its withdrawal'); END;
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
WHEN NOT EXISTS (SELECT 1 FROM privacy_gate)
BEGIN SELECT RAISE(ABORT, 'consents are kept as evidence'); END;

CREATE TABLE consent_events (
  id          INTEGER PRIMARY KEY,
  consent_id  INTEGER NOT NULL REFERENCES consents(id),
  client_id   INTEGER NOT NULL REFERENCES clients(id),
  action      TEXT NOT NULL CHECK (action IN ('given', 'withdrawn')),
  at          INTEGER NOT NULL,
  channel     TEXT NOT NULL CHECK (channel IN ('web', 'email', 'phone', 'letter', 'in_person', 'api')),
  recorded_at INTEGER NOT NULL,
  actor_id    INTEGER REFERENCES users(id)
) STRICT;
CREATE INDEX consent_events_by_consent ON consent_events (consent_id, id);
CREATE TRIGGER consent_events_append_only_update BEFORE UPDATE ON consent_events
BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;
CREATE TRIGGER consent_events_append_only_delete BEFORE DELETE ON consent_events
WHEN NOT EXISTS (SELECT 1 FROM privacy_gate)
BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;

CREATE TABLE dsr_requests (
  id               INTEGER PRIMARY KEY,
  client_id        INTEGER NOT NULL REFERENCES clients(id),
  person_id        INTEGER REFERENCES persons(id),
  kind             TEXT NOT NULL CHECK (kind IN ('access', 'rectification', 'erasure', 'restriction',
                                                 'portability', 'objection')),
  channel          TEXT NOT NULL CHECK (channel IN ('web', 'email', 'phone', 'letter', 'in_person', 'api')),
  reference        TEXT,
  received_at      INTEGER NOT NULL,
  due_date         TEXT NOT NULL,
  due_at           INTEGER NOT NULL,
  extended_date    TEXT,
  extended_until   INTEGER,
  extension_reason TEXT,
  extended_at      INTEGER,
  state            TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'in_progress', 'done', 'rejected')),
  completed_at     INTEGER,
  outcome          TEXT,
  created_by       INTEGER REFERENCES users(id),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  version          INTEGER NOT NULL DEFAULT 1,
  CHECK (due_at > received_at),
  CHECK ((extended_until IS NULL) = (extension_reason IS NULL)),
  CHECK ((extended_until IS NULL) = (extended_date IS NULL)),
  CHECK (extended_until IS NULL OR extended_until > due_at),
  CHECK ((state IN ('done', 'rejected')) = (completed_at IS NOT NULL))
) STRICT;
CREATE INDEX dsr_requests_by_client ON dsr_requests (client_id, state, id);
CREATE INDEX dsr_requests_by_person ON dsr_requests (person_id) WHERE person_id IS NOT NULL;

CREATE TRIGGER dsr_requests_fixed BEFORE UPDATE ON dsr_requests
WHEN OLD.state IN ('done', 'rejected')
  OR NEW.id IS NOT OLD.id OR NEW.client_id IS NOT OLD.client_id OR NEW.kind IS NOT OLD.kind
  OR NEW.received_at IS NOT OLD.received_at OR NEW.due_at IS NOT OLD.due_at OR NEW.due_date IS NOT OLD.due_date
  OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
  OR (OLD.extended_until IS NOT NULL AND (NEW.extended_until IS NOT OLD.extended_until
      OR NEW.extension_reason IS NOT OLD.extension_reason))
BEGIN SELECT RAISE(ABORT, 'a closed request, its receipt, due date and extension are fixed'); END;
CREATE TRIGGER dsr_requests_no_delete BEFORE DELETE ON dsr_requests
WHEN NOT EXISTS (SELECT 1 FROM privacy_gate)
BEGIN SELECT RAISE(ABORT, 'the request register is kept'); END;

CREATE TABLE dsr_events (
  id         INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES dsr_requests(id),
  client_id  INTEGER NOT NULL REFERENCES clients(id),
  at         INTEGER NOT NULL,
  actor_id   INTEGER REFERENCES users(id),
  action     TEXT NOT NULL CHECK (action IN ('received', 'state', 'person', 'extended', 'reference')),
  from_value TEXT,
  to_value   TEXT,
  note       TEXT
) STRICT;
CREATE INDEX dsr_events_by_request ON dsr_events (request_id, id);
CREATE TRIGGER dsr_events_append_only_update BEFORE UPDATE ON dsr_events
BEGIN SELECT RAISE(ABORT, 'dsr_events is append-only'); END;
CREATE TRIGGER dsr_events_append_only_delete BEFORE DELETE ON dsr_events
WHEN NOT EXISTS (SELECT 1 FROM privacy_gate)
BEGIN SELECT RAISE(ABORT, 'dsr_events is append-only'); END;
