-- Leitstand schema 9: an imported ticket names the configuration item it affects and
-- the source's symptom, when the export carries them (ServiceNow cmdb_ci and
-- u_symptom, a CSV mapping's "ci" and "symptom"). Repeat incidents on one item or
-- symptom are problem candidates (leitstand analyze).
ALTER TABLE import_tickets ADD COLUMN ci TEXT;
ALTER TABLE import_tickets ADD COLUMN symptom TEXT;
