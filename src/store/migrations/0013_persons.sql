-- Leitstand schema 13: persons behind requesters, encryption keys, erasure gate.
--
-- persons: a requester or contact of one client. Name, email, phone and company are
-- encrypted with the client's data key (XChaCha20-Poly1305, store/keyring.c); the
-- email is findable through email_hash, a keyed BLAKE2b hash of the lower-cased
-- address under a key derived from the client's data key. An erased person keeps its
-- row (tickets point at it) with the personal fields NULL and erased_at set; the
-- pseudonym stands in for the person wherever its data was (docs/privacy.md).
-- tickets.person_id replaces the plain requester_* columns, which stay NULL for
-- tickets written from this schema on (older rows are moved by persons_backfill).
-- client_keys: each client's data key, wrapped by the installation's master key
-- (a key file or the environment, never in the database). Deleting the row
-- crypto-shreds the client's personal fields. privacy_keys: a check value that
-- tells a wrong master key from the right one.
-- privacy_gate: a row exists only inside an erasure transaction; the append-only
-- triggers of ticket_events and outbox let exactly that transaction rewrite the
-- text values (never times, fields or ids).

CREATE TABLE persons (
  id          INTEGER PRIMARY KEY,
  client_id   INTEGER NOT NULL REFERENCES clients(id),
  pseudonym   TEXT NOT NULL UNIQUE,
  email_hash  BLOB,
  name_enc    BLOB,
  email_enc   BLOB,
  phone_enc   BLOB,
  company_enc BLOB,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  erased_at   INTEGER
) STRICT;
CREATE UNIQUE INDEX persons_by_email ON persons (client_id, email_hash) WHERE email_hash IS NOT NULL;
CREATE INDEX persons_by_client ON persons (client_id, id);

ALTER TABLE tickets ADD COLUMN person_id INTEGER REFERENCES persons(id);
CREATE INDEX tickets_by_person ON tickets (client_id, person_id) WHERE person_id IS NOT NULL;

CREATE TABLE client_keys (
  client_id  INTEGER PRIMARY KEY REFERENCES clients(id),
  version    INTEGER NOT NULL,
  wrapped    BLOB NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE privacy_keys (
  one          INTEGER PRIMARY KEY CHECK (one = 1),
  master_check BLOB NOT NULL,
  changed_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE privacy_shredded (
  client_id  INTEGER PRIMARY KEY REFERENCES clients(id),
  shredded_at INTEGER NOT NULL
) STRICT;

CREATE TABLE privacy_gate (
  one INTEGER PRIMARY KEY CHECK (one = 1)
) STRICT;

DROP TRIGGER ticket_events_append_only_update;
CREATE TRIGGER ticket_events_append_only_update BEFORE UPDATE ON ticket_events
WHEN NOT EXISTS (SELECT 1 FROM privacy_gate)
  OR NEW.id IS NOT OLD.id OR NEW.client_id IS NOT OLD.client_id OR NEW.ticket_id IS NOT OLD.ticket_id
  OR NEW.at IS NOT OLD.at OR NEW.actor_kind IS NOT OLD.actor_kind OR NEW.actor_id IS NOT OLD.actor_id
  OR NEW.field IS NOT OLD.field
BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;

DROP TRIGGER outbox_append_only_update;
CREATE TRIGGER outbox_append_only_update BEFORE UPDATE ON outbox
WHEN NOT EXISTS (SELECT 1 FROM privacy_gate)
  OR NEW.id IS NOT OLD.id OR NEW.client_id IS NOT OLD.client_id OR NEW.ticket_id IS NOT OLD.ticket_id
  OR NEW.event IS NOT OLD.event OR NEW.fire_key IS NOT OLD.fire_key OR NEW.due_at IS NOT OLD.due_at
  OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'outbox is append-only'); END;
