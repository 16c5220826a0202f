-- Leitstand schema 12: scheduled report delivery (docs/reports.md "Scheduled delivery").
--
-- report_subscriptions: per client, which report (kind, format, language) goes to
-- whom (recipients: addresses separated by single spaces) when (schedule text in the
-- syntax of calendar/schedule.h, wall-clock time in timezone, working days after the
-- holidays of holidays_region). next_run_at is the next scheduled instant; the report
-- worker moves it forward when it queues a run, to the first instant after now, so
-- that runs missed while the server was down are made up once, not once per period.
-- report_runs: one production and delivery of a report (the delivery log): queued
-- until produced, then sending (and retried with backoff) until delivered, or stored
-- when no mail server is configured, or failed.
-- report_files: the produced reports as BLOBs (docs/reports.md gives the size limit),
-- kept apart from the runs so that reading the log never loads the bytes.

CREATE TABLE report_subscriptions (
  id              INTEGER PRIMARY KEY,
  client_id       INTEGER NOT NULL REFERENCES clients(id),
  kind            TEXT NOT NULL CHECK (kind IN ('weekly','monthly','quarterly')),
  format          TEXT NOT NULL CHECK (format IN ('html','pdf','xlsx')),
  lang            TEXT NOT NULL CHECK (lang IN ('de','en')),
  recipients      TEXT NOT NULL,
  schedule        TEXT NOT NULL,
  timezone        TEXT NOT NULL,
  holidays_region TEXT NOT NULL,
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  next_run_at     INTEGER,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  deleted_at      INTEGER
) STRICT;
CREATE INDEX report_subscriptions_by_client ON report_subscriptions (client_id) WHERE deleted_at IS NULL;
CREATE INDEX report_subscriptions_due ON report_subscriptions (next_run_at)
  WHERE deleted_at IS NULL AND active = 1;

CREATE TABLE report_files (
  id              INTEGER PRIMARY KEY,
  client_id       INTEGER NOT NULL REFERENCES clients(id),
  subscription_id INTEGER REFERENCES report_subscriptions(id),
  kind            TEXT NOT NULL,
  period          TEXT NOT NULL,
  format          TEXT NOT NULL,
  lang            TEXT NOT NULL,
  content_type    TEXT NOT NULL,
  filename        TEXT NOT NULL,
  size            INTEGER NOT NULL,
  bytes           BLOB NOT NULL,
  created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX report_files_by_client ON report_files (client_id, id);

CREATE TABLE report_runs (
  id               INTEGER PRIMARY KEY,
  subscription_id  INTEGER NOT NULL REFERENCES report_subscriptions(id),
  client_id        INTEGER NOT NULL REFERENCES clients(id),
  trigger          TEXT NOT NULL CHECK (trigger IN ('schedule','manual')),
  period           TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('queued','sending','delivered','stored','failed')),
  report_id        INTEGER REFERENCES report_files(id),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER,
  first_attempt_at INTEGER,
  last_attempt_at  INTEGER,
  last_error       TEXT,
  recipients       TEXT,
  delivered_at     INTEGER,
  scheduled_for    INTEGER NOT NULL,
  created_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX report_runs_due ON report_runs (next_attempt_at) WHERE state IN ('queued','sending');
CREATE INDEX report_runs_by_subscription ON report_runs (subscription_id, id);
