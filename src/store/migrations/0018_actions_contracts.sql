-- Leitstand schema 18: a client's action plan (the actions agreed with its steering
-- committee) and its service contract (the economics of the quarterly report).
-- docs/reports.md "Action plan" and "Contract economics" define both.

-- One row per agreed action. Dates are calendar days "YYYY-MM-DD" in the client's
-- zone: agreed_on (the day it was agreed), due_on, closed_on (the day it was done or
-- dropped; NULL while open or in progress). version counts writes (If-Match).
CREATE TABLE actions (
  id         INTEGER PRIMARY KEY,
  client_id  INTEGER NOT NULL REFERENCES clients(id),
  title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  owner      TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('open', 'in_progress', 'done', 'dropped')),
  agreed_on  TEXT NOT NULL,
  due_on     TEXT NOT NULL,
  closed_on  TEXT,
  finding    TEXT,
  version    INTEGER NOT NULL CHECK (version >= 1),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((closed_on IS NULL) = (state IN ('open', 'in_progress')))
) STRICT;
CREATE INDEX actions_client ON actions (client_id, id);

-- One contract per client: the JSON object PUT /api/v1/clients/{code}/contract
-- accepts, in its canonical form (amounts as decimal strings). version counts writes.
CREATE TABLE contracts (
  client_id  INTEGER PRIMARY KEY REFERENCES clients(id),
  contract   TEXT NOT NULL,
  version    INTEGER NOT NULL CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
) STRICT;
