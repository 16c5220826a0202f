-- Leitstand schema 17: replies and notes encrypted at rest, per client by setting.
-- With seal_messages = 1 a client's new messages are stored sealed with its data key
-- (store/keyring.h): body and author_name hold "ls1:" and the base64 of the sealed
-- bytes. Sealed messages are left out of the full-text index.
ALTER TABLE clients ADD COLUMN seal_messages INTEGER NOT NULL DEFAULT 0 CHECK (seal_messages IN (0, 1));
