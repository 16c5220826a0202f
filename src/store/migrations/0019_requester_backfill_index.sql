-- Leitstand schema 19: the tickets whose requester is still in the plain columns of
-- schema 1 (persons_backfill moves them into person records). The partial index holds
-- only those, so the check at every start of `serve` costs nothing once they are moved.
CREATE INDEX tickets_plain_requester ON tickets (id)
WHERE person_id IS NULL AND (requester_name IS NOT NULL OR requester_email IS NOT NULL OR requester_phone IS NOT NULL);
