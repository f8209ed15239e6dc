-- 0003: every outbox item names the operator who made its record (the signed-in operator
-- when it was written), since the agency server refuses records from anyone not on its
-- roster; items queued before this migration name nobody ('').
ALTER TABLE outbox ADD COLUMN operator TEXT NOT NULL DEFAULT '';
