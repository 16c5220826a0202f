-- Leitstand schema 15: vendors, login throttling and API token revocation.
-- Depends only on schema 12 and earlier (0013 and 0014 are independent of it).
--
-- vendors: sub-contractors of the service operation (a hardware maintainer, a
-- carrier). vendor_clients names the clients a vendor works for: the recipients of
-- a client's data (Art. 30 record). A user of role vendor_agent belongs to exactly
-- one vendor (users.vendor_id, set for vendor_agents only) and sees exactly the
-- tickets assigned to it (tickets.vendor_id). A ticket can be assigned only to a
-- vendor that works for the ticket's client (checked by the service).
CREATE TABLE vendors (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32),
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE vendor_clients (
  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  vendor_id INTEGER NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  PRIMARY KEY (client_id, vendor_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX vendor_clients_by_vendor ON vendor_clients (vendor_id, client_id);

ALTER TABLE users ADD COLUMN vendor_id INTEGER REFERENCES vendors(id);
ALTER TABLE tickets ADD COLUMN vendor_id INTEGER REFERENCES vendors(id);
CREATE INDEX tickets_by_vendor ON tickets (vendor_id, id) WHERE vendor_id IS NOT NULL;

-- Revocation: a revoked token stops working (within the server's 1 s token cache).
ALTER TABLE api_tokens ADD COLUMN revoked_at INTEGER;
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, id);

-- Failed password logins per account (the email given, lower-cased, known or not):
-- after LS_LOGIN_MAX_FAILURES consecutive failures the account is locked until
-- locked_until; each further lockout doubles its length. A success or
-- `leitstand user unlock` deletes the row. Stored so that a restart does not unlock.
CREATE TABLE login_throttle (
  account      TEXT PRIMARY KEY,
  failures     INTEGER NOT NULL DEFAULT 0,
  lockouts     INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  updated_at   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
