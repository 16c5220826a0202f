-- Leitstand schema 7: SLA policies can be retired. A retired policy is no longer
-- chosen for tickets; tickets pinned to one of its versions keep it, and its versions
-- stay readable (they are append-only). Its code is not reused.
ALTER TABLE sla_policies ADD COLUMN retired_at INTEGER;
